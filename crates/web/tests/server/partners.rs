//! Working with partners through the real server, on every backend: the care team
//! starts a SIP with Lilla Edet's social services and records the patient's consent; the
//! social worker then sees the plan and her organisation's task — not the record — and
//! reports it done; once the consent is withdrawn, her next request is refused. A refused
//! form keeps what was typed; an unknown field changes nothing; every open is logged.

use crate::support;
use reqwest::StatusCode;
use support::servers;
use trappa_store::access_log::LogQuery;

/// The value of the option whose text is `label`.
fn option_value(html: &str, label: &str) -> String {
    let at = html.find(&format!(">{label}<")).expect("the option");
    let before = &html[..at];
    let start = before.rfind("value=\"").expect("its value") + 7;
    before[start..].split('"').next().unwrap().to_owned()
}

/// Posts `fields` (a name may repeat) to `path`.
async fn post(
    c: &support::Client,
    path: String,
    fields: Vec<(&'static str, String)>,
) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post(&path, &pairs).await
}

/// The address of the form that changes the first plan on a page.
fn sign_action_to_edit(page: &str) -> String {
    page.split("href=\"")
        .skip(1)
        .map(|a| a.split('"').next().unwrap())
        .find(|a| a.ends_with("/andra"))
        .expect("the link that changes the plan")
        .to_owned()
}

/// The first `action` ending in `suffix`.
fn action_ending(html: &str, suffix: &str) -> String {
    html.split("action=\"")
        .skip(1)
        .map(|a| a.split('"').next().unwrap())
        .find(|a| a.ends_with(suffix))
        .unwrap_or_else(|| panic!("a form posting to …{suffix}"))
        .to_owned()
}

#[tokio::test]
async fn a_partner_works_a_shared_plan_until_the_consent_is_withdrawn() {
    for s in servers().await {
        let b = s.backend;
        let patient = support::patient_with_team(&s, 901, &["sjukskoterska"]).await;
        let nurse = s.login("sjukskoterska").await;
        let worker = s.login("socialsekreterare").await;
        let worker_id = s.account_id("socialsekreterare").await;
        let base = format!("/patienter/{patient}/sip");

        // Nothing shared: refused, and logged.
        assert_eq!(
            worker.get(&base).await.status(),
            StatusCode::FORBIDDEN,
            "[{b}]"
        );

        let page = nurse.get(&base).await.text().await.unwrap();
        let org = option_value(&page, "Socialtjänsten, Lilla Edets kommun");
        // Followed up in three days: on the worklists of both parties.
        let follow_up = trappa_app::clock::today()
            .saturating_add(jiff::ToSpan::days(3))
            .to_string();
        let plan = |follow_up: &str| {
            vec![
                ("version", "0".to_owned()),
                ("skal", "Behöver stöd i hemmet".to_owned()),
                ("partner", org.clone()),
                ("partner", String::new()),
                ("partner", String::new()),
                ("motesdatum", "2026-12-01".to_owned()),
                ("deltagare_namn", "Sara Lindqvist".to_owned()),
                ("deltagare_roll", "Sjuksköterska".to_owned()),
                ("deltagare_for", "enheten".to_owned()),
                ("insats", "Nedtrappning av oxazepam".to_owned()),
                ("ansvarig", "enheten".to_owned()),
                ("insats", "Boendestöd två gånger i veckan".to_owned()),
                ("ansvarig", "p1".to_owned()),
                ("ovriga", String::new()),
                ("huvudansvar", "enheten".to_owned()),
                ("uppfoljning", follow_up.to_owned()),
            ]
        };
        // No follow-up date: refused, everything typed kept, the field named.
        let refused = post(&nurse, base.clone(), plan("")).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let html = refused.text().await.unwrap();
        assert!(
            html.contains("Behöver stöd i hemmet")
                && html.contains("value=\"Boendestöd två gånger i veckan\"")
                && html.contains("href=\"#uppfoljning\""),
            "[{b}] the form kept"
        );
        // An unknown field is refused and changes nothing.
        let mut sneaky = plan("2027-02-01");
        sneaky.push(("huvudansvarig_kommun", "1".to_owned()));
        let res = post(&nurse, base.clone(), sneaky).await;
        assert!(res.status().is_client_error(), "[{b}] {}", res.status());
        assert!(
            !nurse
                .get(&base)
                .await
                .text()
                .await
                .unwrap()
                .contains("id=\"sip-"),
            "[{b}] nothing started"
        );

        let res = post(&nurse, base.clone(), plan(&follow_up)).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] started");
        let start = nurse.get("/start").await.text().await.unwrap();
        assert!(
            start.contains("SIP att följa upp") && start.contains(&format!("{patient}/sip#sip-")),
            "[{b}] on the care team's worklist"
        );
        let consent = vec![
            ("organisation", org.clone()),
            ("lamnat", "2026-12-01".to_owned()),
            ("hur", "oral".to_owned()),
            ("anteckning", "Vid besöket".to_owned()),
        ];
        let res = post(&nurse, format!("{base}/samtycke"), consent).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] consent");
        let page = nurse.get(&base).await.text().await.unwrap();
        let sign = action_ending(&page, "/signera");
        let res = post(&nurse, sign.clone(), vec![("version", "1".into())]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] the unit signed");
        let tasks = action_ending(&page, "/uppgifter");
        for (who, what) in [
            (org.clone(), "Ansök om boendestöd"),
            ("enheten".to_owned(), "Uppföljning av nedtrappningen"),
        ] {
            let res = post(
                &nurse,
                tasks.clone(),
                vec![
                    ("uppgift", what.into()),
                    ("vem", who),
                    ("senast", "2027-01-15".into()),
                ],
            )
            .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] task");
        }

        // The social worker: her worklist, the shared list, the plan and her task; not
        // the record.
        let start = worker.get("/start").await.text().await.unwrap();
        assert!(
            start.contains("SIP att följa upp")
                && start.contains("Uppgifter att göra i delade planer"),
            "[{b}] on the partner's worklist"
        );
        let list = worker.get("/samverkan").await.text().await.unwrap();
        assert!(list.contains(&format!("/patienter/{patient}/sip")), "[{b}]");
        assert_eq!(
            worker.get(&format!("/patienter/{patient}")).await.status(),
            StatusCode::FORBIDDEN,
            "[{b}] the record stays closed"
        );
        let page = worker.get(&base).await.text().await.unwrap();
        assert!(
            page.contains("Ansök om boendestöd") && !page.contains("Uppföljning av nedtrappningen"),
            "[{b}] only her organisation's task"
        );
        assert!(
            !page.contains("/samtycke"),
            "[{b}] no consent forms for a partner"
        );
        let status = page
            .split("action=\"")
            .skip(1)
            .map(|a| a.split('"').next().unwrap())
            .find(|a| a.contains("/sip/uppgifter/"))
            .expect("her task's status form")
            .to_owned();
        let res = post(
            &worker,
            status,
            vec![
                ("handelser", "1".into()),
                ("status", "done".into()),
                ("kommentar", "Beviljat".into()),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] reported");
        let pdf = sign.replace("/signera", "/sip.pdf");
        let res = post(&worker, sign, vec![("version", "1".into())]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] she signed");
        // The plan as PDF, as she may see it: her task, the signatures, not the unit's task.
        let res = worker.get(&pdf).await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}] the PDF");
        let text = support::pdf_text(&res.bytes().await.unwrap());
        for want in [
            "Ansök om boendestöd",
            "Boendestöd två gånger i veckan",
            "Socialtjänsten, Lilla Edets kommun",
            "Undertecknad av Lina Sjöberg",
            follow_up.as_str(),
        ] {
            assert!(text.contains(want), "[{b}] {want} in the PDF:\n{text}");
        }
        assert!(
            !text.contains("Uppföljning av nedtrappningen"),
            "[{b}] {text}"
        );
        let page = nurse.get(&base).await.text().await.unwrap();
        assert!(
            page.contains("Beviljat") && page.contains("Lina Sjöberg"),
            "[{b}]"
        );
        // She may not start a plan or record a consent.
        let res = post(&worker, base.clone(), plan("2027-02-01")).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "[{b}]");

        // The patient withdraws the consent (by phone, recorded by the nurse): the
        // social worker's next request is refused, and her list no longer names them.
        let withdraw = action_ending(&page, "/aterkalla");
        let res = post(
            &nurse,
            withdraw,
            vec![
                ("version", "1".into()),
                ("anteckning", "Patienten ringde".into()),
            ],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] withdrawn");
        assert_eq!(
            worker.get(&base).await.status(),
            StatusCode::FORBIDDEN,
            "[{b}]"
        );
        let list = worker.get("/samverkan").await.text().await.unwrap();
        assert!(!list.contains(&patient.to_string()), "[{b}]");

        // The nurse changes the plan: its form comes filled in from the version, and a
        // new version takes the organisation chosen in the second slot with the first
        // left empty; a refused change keeps what was typed.
        let edit = sign_action_to_edit(&page);
        let form = nurse.get(&edit).await.text().await.unwrap();
        assert!(
            form.contains("value=\"Boendestöd två gånger i veckan\"")
                && form.contains("value=\"1\""),
            "[{b}] the form holds version 1"
        );
        assert!(
            form.contains("value=\"p1\" selected>Socialtjänsten, Lilla Edets kommun<"),
            "[{b}] who is responsible, by the organisation's name"
        );
        let pain = option_value(&form, "Smärtteamet i primärvården, Trollhättan");
        let revision = |reason: &str| {
            vec![
                ("version", "1".to_owned()),
                ("skal", reason.to_owned()),
                ("partner", String::new()),
                ("partner", pain.clone()),
                ("partner", String::new()),
                ("motesdatum", String::new()),
                ("insats", "Smärtbedömning".to_owned()),
                ("ansvarig", "p2".to_owned()),
                ("insats", "Nedtrappning".to_owned()),
                ("ansvarig", "enheten".to_owned()),
                ("ovriga", String::new()),
                ("huvudansvar", "enheten".to_owned()),
                ("uppfoljning", follow_up.clone()),
            ]
        };
        let refused = post(&nurse, edit.clone(), revision(" ")).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            refused
                .text()
                .await
                .unwrap()
                .contains("value=\"Smärtbedömning\""),
            "[{b}]"
        );
        let res = post(&nurse, edit, revision("Socialtjänsten är inte längre med")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] revised");
        let page = nurse.get(&base).await.text().await.unwrap();
        assert!(
            page.contains("Version 2")
                && page.contains("Smärtbedömning")
                && page.contains("Smärtteamet i primärvården, Trollhättan"),
            "[{b}] version 2 with the pain team"
        );

        // Every open of hers is in the log: on the consent basis while it held, refused
        // before and after.
        let log = s
            .store
            .search_access_log(&LogQuery {
                patient_id: Some(patient),
                account_id: Some(worker_id),
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        let denied = log.iter().filter(|e| e.outcome == "denied").count();
        let consented = log
            .iter()
            .filter(|e| e.basis.as_deref() == Some("partner_consent"))
            .count();
        assert!(denied >= 3, "[{b}] {denied} refusals logged");
        // The log names where she read from, as a patient's log extract must: her
        // organisation.
        assert!(
            log.iter()
                .all(|e| e.unit_name.as_deref() == Some("Socialtjänsten, Lilla Edets kommun")),
            "[{b}] {:?}",
            log.iter().map(|e| &e.unit_name).collect::<Vec<_>>()
        );
        assert!(consented >= 4, "[{b}] {consented} reads on consent logged");
    }
}

/// The administrator makes a partner's account at its organisation: the partner's role
/// alone, at a partner organisation — anything else is refused with the field named and
/// nothing stored. The new social worker signs in to an empty list of shared plans.
#[tokio::test]
async fn the_administrator_makes_a_partner_account_at_its_organisation() {
    for s in servers().await {
        let b = s.backend;
        let admin = s.login("admin").await;
        let form = admin.get("/admin/personal/ny").await.text().await.unwrap();
        let ale = option_value(&form, "Socialtjänsten, Ale kommun");
        let a_unit = form
            .split("<select id=\"unit_id\"")
            .nth(1)
            .and_then(|r| r.split("value=\"").nth(1))
            .and_then(|r| r.split('"').next())
            .expect("a unit")
            .to_owned();
        let account = |unit: &str, roles: &[&'static str]| {
            let mut v = vec![
                ("username", "socsek.ale".to_owned()),
                ("display_name", "Alva Lund".to_owned()),
                ("profession", "Socialsekreterare".to_owned()),
                ("hsa_id", String::new()),
                ("unit_id", unit.to_owned()),
                ("password", trappa_data::demo::DEMO_PASSWORD.to_owned()),
            ];
            v.extend(roles.iter().map(|r| ("role", (*r).to_owned())));
            v
        };
        for (unit, roles, field) in [
            (a_unit.as_str(), &["partner"][..], "#unit_id"),
            (ale.as_str(), &["nurse"][..], "#unit_id"),
            (ale.as_str(), &["partner", "nurse"][..], "#role"),
        ] {
            let res = post(&admin, "/admin/personal".into(), account(unit, roles)).await;
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{b}] {roles:?}"
            );
            let html = res.text().await.unwrap();
            assert!(
                html.contains(&format!("href=\"{field}\"")),
                "[{b}] {field} named"
            );
            assert!(
                s.store.credentials("socsek.ale").await.unwrap().is_none(),
                "[{b}]"
            );
        }
        let res = post(
            &admin,
            "/admin/personal".into(),
            account(&ale, &["partner"]),
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] made");
        let made = s
            .store
            .credentials("socsek.ale")
            .await
            .unwrap()
            .unwrap()
            .account;
        assert_eq!(made.unit_id, None, "[{b}]");
        assert_eq!(
            made.partner_organisation_id
                .map(|id| format!("partner:{id}")),
            Some(ale.clone()),
            "[{b}]"
        );
        // Her edit form names her organisation.
        let edit = admin
            .get(&format!("/admin/personal/{}", made.id))
            .await
            .text()
            .await
            .unwrap();
        assert!(edit.contains(&format!("value=\"{ale}\" selected")), "[{b}]");
        let alva = s.login("socsek.ale").await;
        let list = alva.get("/samverkan").await.text().await.unwrap();
        assert!(
            list.contains("Socialtjänsten, Ale kommun") && list.contains("Inga planer delas"),
            "[{b}]"
        );
    }
}
