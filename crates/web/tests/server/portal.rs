//! The patient's own Trappa: the signed plan as it is lived today, and nothing else's.

use crate::support;
use reqwest::StatusCode;
use support::servers;
use trappa_data::demo::DEMO_PATIENT_USERNAME;
use trappa_policy::Role;
use trappa_store::accounts::NewAccount;

/// The demo patient tapers on a signed plan: the page says today's doses in words, the
/// next change and its date, and offers the handout on screen and as a PDF; each read
/// is logged against the patient's own record as such. A patient whose record has no
/// signed plan is told so — a draft is never shown — and no patient reaches another's
/// plan through the staff pages.
#[tokio::test]
async fn the_patient_reads_the_signed_plan_and_only_that() {
    for s in servers().await {
        let b = s.backend;
        let c = s.login(DEMO_PATIENT_USERNAME).await;
        let own = s
            .store
            .credentials(DEMO_PATIENT_USERNAME)
            .await
            .unwrap()
            .unwrap();
        let patient = own.account.patient_id.expect("the demo patient's record");
        let page = c.get("/mina-sidor/plan").await;
        assert_eq!(page.status(), StatusCode::OK, "[{b}]");
        let html = page.text().await.unwrap();
        assert!(html.contains("I dag, "), "[{b}] today's doses: {html}");
        let lines = html.matches("<li>").count();
        assert!(
            html.contains("class=\"dose-lines\"") && lines >= 2,
            "[{b}] doses in words"
        );
        assert!(
            html.contains("Nästa ändring, ") || html.contains("Inga fler ändringar"),
            "[{b}] the next change"
        );
        assert!(html.contains("/mina-sidor/plan/plan.pdf"), "[{b}]");
        // (No internal code reaches the patient: `visible_text` walks this page too.)
        let handout = c.get("/mina-sidor/plan/patientinformation").await;
        assert_eq!(handout.status(), StatusCode::OK, "[{b}]");
        let pdf = c.get("/mina-sidor/plan/plan.pdf").await;
        assert_eq!(pdf.headers()["content-type"], "application/pdf", "[{b}]");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"), "[{b}]");
        let log = support::patient_log(&s, patient).await;
        for resource in [
            "own.taper_plan",
            "own.taper_plan.handout",
            "own.taper_plan.pdf",
        ] {
            assert!(
                log.iter()
                    .any(|e| e.username == DEMO_PATIENT_USERNAME && e.resource == resource),
                "[{b}] {resource} logged"
            );
        }
        // The staff pages of the same record stay closed to the patient.
        assert_eq!(
            c.get(&format!("/patienter/{patient}/plan")).await.status(),
            StatusCode::FORBIDDEN,
            "[{b}]"
        );

        // A patient without a signed plan is told so, and has no handout.
        let other = support::patient_with_team(&s, 901, &["sjukskoterska"]).await;
        s.store
            .create_account(&NewAccount {
                username: "patient901".into(),
                display_name: "Patient 901".into(),
                profession: None,
                hsa_id: None,
                unit_id: None,
                patient_id: Some(other),
                partner_organisation_id: None,
                roles: vec![Role::Patient],
                password_hash: own.password_hash.clone(),
                created_by: None,
            })
            .await
            .unwrap();
        let c2 = s.login("patient901").await;
        let none = c2.get("/mina-sidor/plan").await.text().await.unwrap();
        assert!(
            none.contains("Du har ingen färdig nedtrappningsplan ännu")
                && !none.contains("I dag, "),
            "[{b}] no signed plan"
        );
        assert_eq!(
            c2.get("/mina-sidor/plan/plan.pdf").await.status(),
            StatusCode::NOT_FOUND,
            "[{b}]"
        );
    }
}

/// The demo patient answers what the care team assigned and writes in the diary from
/// home: a refused form keeps what was typed, a double tap stores once, an answer that
/// needs a person leads straight to the crisis text, and only assigned questionnaires
/// open. The prescriber finds the reports on the worklist and marks them read; the
/// patient reaches no staff page of the record. Each read and write is logged as the
/// patient's own.
#[tokio::test]
async fn the_patient_reports_from_home_and_the_care_team_sees_it() {
    for s in servers().await {
        let b = s.backend;
        let c = s.login(DEMO_PATIENT_USERNAME).await;
        let own = s
            .store
            .credentials(DEMO_PATIENT_USERNAME)
            .await
            .unwrap()
            .unwrap();
        let patient = own.account.patient_id.expect("the demo patient's record");

        // What is assigned and due: PHQ-9 every four weeks, last answered 24 days ago.
        let list = c.get("/mina-sidor/skattningar").await.text().await.unwrap();
        assert!(list.contains("Fyll i Nedstämdhet (PHQ-9)"), "[{b}] {list}");
        assert!(
            list.contains("inför varje dosändring"),
            "[{b}] BWSQ's rhythm"
        );
        assert_eq!(
            c.get("/mina-sidor/skattningar/audit").await.status(),
            StatusCode::NOT_FOUND,
            "[{b}] a questionnaire not assigned does not open"
        );
        let form = c
            .get("/mina-sidor/skattningar/phq-9")
            .await
            .text()
            .await
            .unwrap();
        let key = form
            .split("name=\"request_key\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the form's request key")
            .to_owned();

        // Eight answers of nine: refused, with the eight kept and the ninth named.
        let mut answers: Vec<(String, String)> = (1..=8)
            .map(|i| (format!("item_q{i}"), "1".to_owned()))
            .collect();
        answers.push(("request_key".into(), key.clone()));
        let post = |path: &'static str, a: Vec<(String, String)>| {
            let c = &c;
            async move {
                let refs: Vec<(&str, &str)> =
                    a.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                c.post(path, &refs).await
            }
        };
        let refused = post("/mina-sidor/skattningar/phq-9", answers.clone()).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("href=\"#item_q9\"") && page.contains("value=\"1\" checked"),
            "[{b}] the missing answer named, the others kept"
        );
        // All nine, the last one above 0: the crisis text comes first, and a second
        // send of the same form stores nothing more.
        answers.push(("item_q9".into(), "1".into()));
        let doctor = s.account_id("lakare").await;
        let count = || async {
            let all = s.store.caseload_scores(doctor).await.unwrap();
            all.iter().filter(|(p, _)| *p == patient).count()
        };
        let before = count().await;
        for _ in 0..2 {
            let sent = post("/mina-sidor/skattningar/phq-9", answers.clone()).await;
            assert_eq!(sent.status(), StatusCode::SEE_OTHER, "[{b}]");
            assert_eq!(
                sent.headers()["location"],
                "/mina-sidor/hjalp?om=suicidal_thoughts",
                "[{b}]"
            );
        }
        assert_eq!(count().await, before + 1, "[{b}] stored once");
        let help = c
            .get("/mina-sidor/hjalp?om=suicidal_thoughts")
            .await
            .text()
            .await
            .unwrap();
        assert!(help.contains("112") && help.contains("1177"), "[{b}]");
        assert!(
            help.contains("Självmordslinjen"),
            "[{b}] advice that fits the answer"
        );
        assert!(help.contains("Tack!"), "[{b}] the confirmation");

        // The diary: a refused entry keeps its text; an unknown field is refused.
        let diary = c.get("/mina-sidor/dagbok").await.text().await.unwrap();
        assert!(diary.contains("Vill gärna vänta med nästa steg"), "[{b}]");
        let bad = c
            .post(
                "/mina-sidor/dagbok",
                &[
                    ("day", "i går"),
                    ("dose_taken", "as_planned"),
                    ("pain", "12"),
                    ("note", "Ont i ryggen efter promenaden"),
                ],
            )
            .await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let page = bad.text().await.unwrap();
        assert!(
            page.contains("Ont i ryggen efter promenaden")
                && page.contains("href=\"#day\"")
                && page.contains("href=\"#pain\""),
            "[{b}] {page}"
        );
        let unknown = c
            .post(
                "/mina-sidor/dagbok",
                &[
                    ("day", "2026-12-01"),
                    ("dose_taken", "as_planned"),
                    ("band", "none"),
                ],
            )
            .await;
        assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let today = trappa_app::clock::today().to_string();
        let good = c
            .post(
                "/mina-sidor/dagbok",
                &[
                    ("day", today.as_str()),
                    ("dose_taken", "as_planned"),
                    ("sleep", "6"),
                ],
            )
            .await;
        assert_eq!(good.headers()["location"], "/mina-sidor/dagbok", "[{b}]");

        // The staff pages of the record stay closed to the patient.
        for path in [
            format!("/patienter/{patient}/dagbok"),
            format!("/patienter/{patient}/skattningar"),
        ] {
            assert_eq!(
                c.get(&path).await.status(),
                StatusCode::FORBIDDEN,
                "[{b}] {path}"
            );
        }
        let log = support::patient_log(&s, patient).await;
        assert!(
            log.iter()
                .filter(|e| e.username == DEMO_PATIENT_USERNAME && e.resource == "own.reports")
                .count()
                >= 4,
            "[{b}] the patient's reads and writes logged as their own"
        );

        // The prescriber sees the flagged answer and the new reports, reads them, and
        // marks them read: the patient leaves the list.
        let doc = s.login("lakare").await;
        let start = doc.get("/start").await.text().await.unwrap();
        assert!(start.contains("Nya rapporter från patienter"), "[{b}]");
        assert!(
            start.contains("PHQ-9") && start.contains("suicidtankar"),
            "[{b}] the flagged PHQ-9 on the worklist"
        );
        let reports = doc.get(&format!("/patienter/{patient}/dagbok")).await;
        assert_eq!(reports.status(), StatusCode::OK, "[{b}]");
        let html = reports.text().await.unwrap();
        assert!(html.contains("Vill gärna vänta med nästa steg"), "[{b}]");
        let read = doc
            .post(
                &format!("/patienter/{patient}/dagbok/last"),
                &[(
                    "upto",
                    html.split("name=\"upto\" value=\"")
                        .nth(1)
                        .and_then(|r| r.split('"').next())
                        .expect("the newest report shown"),
                )],
            )
            .await;
        assert_eq!(read.status(), StatusCode::SEE_OTHER, "[{b}]");
        // Other demo patients report too: this patient's item is what leaves the list.
        let item = format!("href=\"/patienter/{patient}/dagbok\"");
        let after = doc.get("/start").await.text().await.unwrap();
        assert_eq!(
            after.matches(&item).count() + 1,
            start.matches(&item).count(),
            "[{b}] the patient's reports leave the worklist once read"
        );
    }
}
