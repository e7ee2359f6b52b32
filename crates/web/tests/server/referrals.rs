//! Referrals over HTTP on both databases: a vårdcentral refers, the triage team sees the
//! rules' proposal and decides, the referrer sees the status and the reply.

use crate::support;

use reqwest::StatusCode;
use support::servers;

fn patient_link(inbox: &str, name: &str) -> Option<String> {
    let at = inbox.find(name)?;
    let start = inbox[..at].rfind("href=\"/patienter/")? + "href=\"".len();
    let end = start + inbox[start..].find('"')?;
    Some(inbox[start..end].to_owned())
}

#[tokio::test]
async fn a_referral_is_triaged_and_the_referrer_sees_the_reply() {
    for s in servers().await {
        let b = s.backend;
        let referrer = s.login("remittent").await;
        let page = referrer.get("/remisser").await.text().await.unwrap();
        assert!(page.contains("Ny remiss"), "[{b}]");
        let pnr = support::test_identity(970).to_string();
        let fields = |pnr: &'static str, why: &'static str| {
            vec![
                ("personal_identity", pnr),
                ("given_name", "Rut"),
                ("family_name", "Remissdotter"),
                ("drug1", "oxazepam"),
                ("dose1", "45"),
                ("months1", "36"),
                ("attempt_drug", "oxazepam"),
                ("attempt_period", "2025-03 – 2025-09"),
                ("attempt_lowest", "30 mg"),
                ("attempt_why", why),
            ]
        };
        let pnr: &'static str = Box::leak(pnr.into_boxed_str());
        // A bad identity number: nothing saved.
        let res = referrer
            .post("/remisser", &fields("19640823-3235", "sömnbesvär"))
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("href=\"#personal_identity\"")
        );
        let res = referrer.post("/remisser", &fields(pnr, "sömnbesvär")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let mine = referrer.get("/remisser").await.text().await.unwrap();
        assert!(
            mine.contains("Rut Remissdotter") && mine.contains("Väntar på bedömning"),
            "[{b}]"
        );
        // The page it lands on confirms the referral with its reference number.
        assert!(
            mine.contains("Remissen är skickad. Referensnummer: R-"),
            "[{b}] the confirmation"
        );
        // The same patient again is received like any referral (the referrer learns
        // nothing about who is registered); it stays off the triage path.
        let res = referrer.post("/remisser", &fields(pnr, "sömnbesvär")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        assert_eq!(res.headers()["location"], "/remisser", "[{b}]");

        // The coordinator's inbox, the rules' proposal, the decision.
        let coordinator = s.login("koordinator").await;
        // The start page counts referrals, not the lines that sum them up.
        let (waiting, _) = s.store.referral_inbox_counts().await.unwrap();
        let start = coordinator.get("/start").await.text().await.unwrap();
        assert!(
            start.contains(&format!("Remisser ({waiting})")),
            "[{b}] the triage count is the referrals'"
        );
        let inbox = coordinator
            .get("/remisser?q=Remissdotter")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            inbox.contains("Rut Remissdotter") && inbox.contains("Anta till väntelistan"),
            "[{b}] the proposal in the inbox, worded as a proposal"
        );
        let link = patient_link(&inbox, "Rut Remissdotter").expect("a link to the referral");
        let detail = coordinator.get(&link).await.text().await.unwrap();
        assert!(
            detail.contains("tidigare nedtrappningsförsök dokumenterat"),
            "[{b}] the reasons"
        );
        let res = coordinator
            .post(
                &format!("{link}/beslut"),
                &[
                    ("referral", "x"),
                    ("expected", "0"),
                    ("decision", "accept"),
                    ("reply", ""),
                ],
            )
            .await;
        assert_ne!(
            res.status(),
            StatusCode::SEE_OTHER,
            "[{b}] nothing decided without a reply"
        );
        let referral_id = {
            let at = detail.find("name=\"referral\" value=\"").unwrap()
                + "name=\"referral\" value=\"".len();
            detail[at..at + 36].to_owned()
        };
        let reply = "Välkommen, kallelse kommer.";
        let decide = [
            ("referral", referral_id.as_str()),
            ("expected", "0"),
            ("decision", "accept"),
            ("reply", reply),
        ];
        let res = coordinator.post(&format!("{link}/beslut"), &decide).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let res = coordinator.post(&format!("{link}/beslut"), &decide).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "[{b}] a stale decision");
        let inbox = coordinator.get("/remisser").await.text().await.unwrap();
        assert!(
            !inbox.contains("Rut Remissdotter"),
            "[{b}] accepted: off the triage inbox"
        );

        // The referrer sees the decision and the reply.
        let mine = referrer.get("/remisser").await.text().await.unwrap();
        assert!(
            mine.contains("Antagen, väntelista") && mine.contains("Välkommen, kallelse kommer."),
            "[{b}]"
        );
        // A nurse may not triage.
        let nurse = s.login("sjukskoterska").await;
        assert_eq!(
            nurse.get(&link).await.status(),
            StatusCode::FORBIDDEN,
            "[{b}]"
        );
        // Every listing and read is logged.
        let log = s
            .store
            .search_access_log(&trappa_store::access_log::LogQuery {
                limit: 100_000,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            log.iter()
                .any(|e| e.resource == "patient.referral" && e.action == "update"),
            "[{b}]"
        );
        assert!(
            log.iter()
                .filter(|e| e.resource == "referrals.list")
                .count()
                >= 4,
            "[{b}]"
        );
    }
}

/// The hidden referral id in a triage page's decision form.
fn referral_id(page: &str) -> String {
    let at = page
        .find("name=\"referral\" value=\"")
        .expect("a decision form")
        + 23;
    page[at..at + 36].to_owned()
}

#[tokio::test]
async fn a_complement_goes_back_to_the_referrer_and_the_letter_follows() {
    for s in servers().await {
        let b = s.backend;
        let (referral, patient) = support::referral_from(&s, 971, "remittent").await;
        let coordinator = s.login("koordinator").await;
        let triage = coordinator
            .get(&format!("/patienter/{patient}/remiss"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            triage.contains("Komplettering"),
            "[{b}] the rules ask for the attempt"
        );
        assert_eq!(referral_id(&triage), referral.to_string());
        let res = coordinator
            .post(
                &format!("/patienter/{patient}/remiss/beslut"),
                &[
                    ("referral", &referral.to_string()),
                    ("expected", "0"),
                    ("decision", "complement"),
                    ("reply", "Beskriv nedtrappningsförsöket."),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");

        // The referrer sees the questions, the letter, and answers.
        let referrer = s.login("remittent").await;
        let mine = referrer.get("/remisser").await.text().await.unwrap();
        assert!(mine.contains("Komplettering begärd"), "[{b}]");
        let start = referrer.get("/start").await.text().await.unwrap();
        assert!(
            start.contains("Remisser att komplettera") && start.contains("Remissdotter971"),
            "[{b}] the complement on the referrer's start page"
        );
        let view = referrer
            .get(&format!("/remisser/{referral}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            view.contains("Beskriv nedtrappningsförsöket.")
                && view.contains("lägsta uppnådda dos")
                && view.contains("/komplettering"),
            "[{b}] questions and the form"
        );
        let letter = referrer
            .get(&format!("/remisser/{referral}/svar/1"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            letter.contains("Svar på remiss") && letter.contains("Remissdotter971"),
            "[{b}] the letter"
        );
        let pdf = referrer
            .get(&format!("/remisser/{referral}/svar/1/brev.pdf"))
            .await;
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
        // An empty answer changes nothing.
        let res = referrer
            .post(
                &format!("/remisser/{referral}/komplettering"),
                &[("expected", "0"), ("answer", " ")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let res = referrer
            .post(
                &format!("/remisser/{referral}/komplettering"),
                &[
                    ("expected", "0"),
                    ("answer", "Försök 2025 på vårdcentralen."),
                    ("attempt_drug", "oxazepam"),
                    ("attempt_period", "2025-01 – 2025-06"),
                    ("attempt_lowest", "15 mg"),
                    ("attempt_why", "abstinens"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        // Answering twice is refused: no complement is awaited any more.
        let res = referrer
            .post(
                &format!("/remisser/{referral}/komplettering"),
                &[("expected", "1"), ("answer", "igen")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "[{b}]");

        // Back in triage, with the completed facts: the rules now propose acceptance.
        let inbox = coordinator.get("/remisser").await.text().await.unwrap();
        assert!(inbox.contains("Komplettering inkommen"), "[{b}]");
        let triage = coordinator
            .get(&format!("/patienter/{patient}/remiss"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            triage.contains("Försök 2025 på vårdcentralen.")
                && triage.contains("tidigare nedtrappningsförsök dokumenterat"),
            "[{b}] the complement and the new proposal"
        );
        // Another referrer cannot open it; the refusal is logged.
        let nurse = s.login("sjukskoterska").await;
        assert_eq!(
            nurse.get(&format!("/remisser/{referral}")).await.status(),
            StatusCode::FORBIDDEN,
            "[{b}]"
        );
    }
}

#[tokio::test]
async fn a_self_referral_reaches_the_triage_queue_and_bots_do_not() {
    for s in servers().await {
        let b = s.backend;
        let anon = s.anonymous();
        let form = anon.get("/egenremiss").await;
        assert_eq!(form.status(), StatusCode::OK, "[{b}]");
        let html = form.text().await.unwrap();
        assert!(
            html.contains("Egenremiss") && html.contains("name=\"website\""),
            "[{b}]"
        );
        // Plain words for the patient: the package's name beside the substance, "I"
        // sentences instead of clinical terms.
        assert!(
            html.contains("oxazepam (Oxascand)")
                && html.contains("zopiklon (Imovane)")
                && html.contains("Jag har en psykisk sjukdom")
                && !html.contains("står i förgrunden"),
            "[{b}] plain words"
        );
        let pnr: &'static str = Box::leak(support::test_identity(972).to_string().into_boxed_str());
        let fields = |website: &'static str, phone: &'static str| {
            vec![
                ("personal_identity", pnr),
                ("given_name", "Siv"),
                ("family_name", "Självsdotter"),
                ("phone", phone),
                ("drug1", "zopiclone"),
                ("dose1", "7.5"),
                ("months1", "120"),
                ("website", website),
            ]
        };
        // The phone number is required: nothing stored.
        let res = anon.post("/egenremiss", &fields("", "")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            res.text().await.unwrap().contains("href=\"#phone\""),
            "[{b}]"
        );
        // A bot fills the honeypot: the same receipt, nothing stored.
        let res = anon
            .post("/egenremiss", &fields("http://spam", "0701111111"))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        let bot_receipt = res.text().await.unwrap();
        assert!(
            bot_receipt.contains("Vad händer nu?") && bot_receipt.contains("Referensnummer: R-"),
            "[{b}] the same receipt, with a reference number"
        );
        let coordinator = s.login("koordinator").await;
        let inbox = coordinator.get("/remisser").await.text().await.unwrap();
        assert!(
            !inbox.contains("Självsdotter"),
            "[{b}] the bot's referral was stored"
        );
        // A person: in the triage queue as a self-referral.
        let res = anon.post("/egenremiss", &fields("", "0701111111")).await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        assert!(
            res.text().await.unwrap().contains("Referensnummer: R-"),
            "[{b}] the receipt's reference number"
        );
        let inbox = coordinator.get("/remisser").await.text().await.unwrap();
        assert!(
            inbox.contains("Siv Självsdotter") && inbox.contains("Egenremiss"),
            "[{b}] in the inbox"
        );
        // The unit asks for more, calls the patient and records the answer itself.
        let link = patient_link(&inbox, "Siv Självsdotter").expect("a link");
        let page = coordinator.get(&link).await.text().await.unwrap();
        let referral = referral_id(&page);
        let res = coordinator
            .post(
                &format!("{link}/beslut"),
                &[
                    ("referral", &referral),
                    ("expected", "0"),
                    ("decision", "complement"),
                    ("reply", "Ring patienten om nedtrappningsförsöket."),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let page = coordinator.get(&link).await.text().await.unwrap();
        assert!(
            page.contains("Svar per telefon") && page.contains("0701111111"),
            "[{b}]"
        );
        let res = coordinator
            .post(
                &format!("{link}/komplettering"),
                &[("expected", "0"), ("answer", "")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let res = coordinator
            .post(
                &format!("{link}/komplettering"),
                &[
                    ("expected", "0"),
                    ("answer", "Försökte själv 2025, kom ned till halva dosen."),
                    ("attempt_drug", "zopiklon"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let inbox = coordinator.get("/remisser").await.text().await.unwrap();
        let row = &inbox[inbox.find("Siv Självsdotter").unwrap()..];
        assert!(
            row[..row.find("</tr>").unwrap()].contains("Komplettering inkommen"),
            "[{b}]"
        );
        // The same person again: the same receipt, so the form reveals nothing; it is
        // kept for the unit (and counts towards the limit like any other).
        let res = anon.post("/egenremiss", &fields("", "0701111111")).await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        // The rate limit per address: one more passes the limit of three an hour.
        for n in [973u16] {
            let pnr: &'static str =
                Box::leak(support::test_identity(n).to_string().into_boxed_str());
            let mut f = fields("", "0702222222");
            f[0] = ("personal_identity", pnr);
            assert_eq!(
                anon.post("/egenremiss", &f).await.status(),
                StatusCode::OK,
                "[{b}]"
            );
        }
        let pnr: &'static str = Box::leak(support::test_identity(975).to_string().into_boxed_str());
        let mut f = fields("", "0703333333");
        f[0] = ("personal_identity", pnr);
        let refused = anon.post("/egenremiss", &f).await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS, "[{b}]");
        // The window is an hour, and Retry-After says so.
        assert_eq!(refused.headers()["retry-after"], "3600", "[{b}]");
        assert!(
            refused.text().await.unwrap().contains("Vänta en timme"),
            "[{b}]"
        );
    }
}

/// A referral for a person who is already registered is answered exactly as one for a
/// new person — page and API alike — and the unit is told: a person in care gets an
/// alert on the overview for the care team (the path and its clock untouched), a person
/// who left without care is triaged again; each is flagged in the log.
#[tokio::test]
async fn a_registered_person_is_referred_like_anyone_and_the_unit_is_told() {
    use reqwest::Method;
    use serde_json::json;
    for s in servers().await {
        let b = s.backend;
        let in_care = support::patient_with_team(&s, 850, &["sjukskoterska"]).await;
        let referrer = s.login("remittent").await;
        let body = |n: u16| {
            json!({
                "personal_identity": support::test_identity(n).to_string(),
                "given_name": "Ny", "family_name": "Namnsson",
                "drugs": [{ "substance": "oxazepam", "daily_dose": 30.0, "months": 48 }]
            })
        };
        let answer = |res: reqwest::Response| async move {
            let status = res.status();
            let v: serde_json::Value = res.json().await.unwrap();
            let keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
            (status, keys)
        };
        let new = answer(
            referrer
                .send_json(Method::POST, "/api/v1/referrals", &body(851))
                .await,
        )
        .await;
        let known = answer(
            referrer
                .send_json(Method::POST, "/api/v1/referrals", &body(850))
                .await,
        )
        .await;
        assert_eq!(new, known, "[{b}] the same answer either way");
        assert_eq!(known, (StatusCode::CREATED, vec!["id".to_owned()]), "[{b}]");
        // The referrer's list shows the person as sent, not as registered.
        let mine = referrer.get("/remisser").await.text().await.unwrap();
        assert!(
            !mine.contains("Testsson850"),
            "[{b}] the record's name stays inside"
        );

        // The person in care: still in care, not in triage; the care team is told.
        let coordinator = s.login("koordinator").await;
        let inbox = coordinator.get("/remisser").await.text().await.unwrap();
        assert!(
            !inbox.contains(&in_care.to_string()),
            "[{b}] not in the inbox"
        );
        let nurse = s.login("sjukskoterska").await;
        let overview = nurse
            .get(&format!("/patienter/{in_care}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            overview.contains("fast patienten redan är aktuell"),
            "[{b}] the alert for the care team"
        );
        let flagged = support::patient_log(&s, in_care)
            .await
            .into_iter()
            .any(|e| {
                e.flagged && e.detail.as_deref() == Some("registered identity: waiting or in care")
            });
        assert!(flagged, "[{b}] flagged in the log");

        // A person who left without care (declined) is triaged again.
        let (declined, person) = support::referral_from(&s, 852, "remittent").await;
        let res = coordinator
            .send_json(
                Method::POST,
                &format!("/api/v1/referrals/{declined}/decision"),
                &json!({ "expected": 0, "decision": "decline", "reply": "Inte nu." }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "[{b}]");
        let again = answer(
            referrer
                .send_json(Method::POST, "/api/v1/referrals", &body(852))
                .await,
        )
        .await;
        assert_eq!(again, known, "[{b}]");
        let inbox = coordinator.get("/remisser").await.text().await.unwrap();
        assert!(inbox.contains(&person.to_string()), "[{b}] back in triage");
    }
}

/// The referrer's list of a few hundred referrals and the triage inbox are filtered by
/// name or identity number, status and proposal, sorted in Swedish order and paged.
#[tokio::test]
async fn long_referral_lists_are_filtered_sorted_and_paged() {
    for s in servers().await {
        let b = s.backend;
        let referrer = s.login("remittent").await;
        let first = referrer.get("/remisser").await.text().await.unwrap();
        let actor = trappa_store::access_log::Actor {
            account_id: None,
            username: "test".into(),
            role: None,
            unit_id: None,
            request_id: "test".into(),
            client_ip: None,
            new_role: false,
        };
        let total = s
            .store
            .referrals_sent_by(
                s.account_id("remittent").await,
                &trappa_store::access_log::NewEntry::new(
                    &actor,
                    trappa_store::access_log::Action::Listed,
                    "test",
                ),
            )
            .await
            .unwrap();
        assert!(
            total.len() > 50,
            "[{b}] the demo referrer has many referrals"
        );
        assert!(
            first.contains(&format!("Visar 1–25 av {}", total.len()))
                && first.contains("rel=\"next\""),
            "[{b}] the first page of many"
        );
        assert_eq!(support::listed_names(&first).len(), 25, "[{b}] one page");
        // Identity numbers tell two people of the same name apart.
        let one = &total[7];
        assert!(first.contains("Personnummer"), "[{b}] the column");
        let found = referrer
            .get(&format!(
                "/remisser?q={}",
                one.personal_identity.replace('-', "")
            ))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            found.contains(&one.personal_identity) && support::listed_names(&found).len() == 1,
            "[{b}] found by identity number"
        );
        // Sorted by name in Swedish order, both ways, and the second page goes on.
        let by_name = referrer
            .get("/remisser?sort=namn")
            .await
            .text()
            .await
            .unwrap();
        let names = support::listed_names(&by_name);
        let mut sorted = names.clone();
        sorted.sort_by(|a, b| trappa_i18n::collate::compare(a, b));
        assert_eq!(names, sorted, "[{b}] Swedish order");
        assert!(by_name.contains("aria-sort=\"ascending\""), "[{b}]");
        let next = referrer
            .get("/remisser?sort=namn&sida=2")
            .await
            .text()
            .await
            .unwrap();
        let second = support::listed_names(&next);
        assert!(
            trappa_i18n::collate::compare(names.last().unwrap(), &second[0]).is_le(),
            "[{b}] page 2 follows page 1"
        );
        let down = referrer
            .get("/remisser?sort=namn&ordning=fallande")
            .await
            .text()
            .await
            .unwrap();
        let mut reversed = support::listed_names(&down);
        reversed.reverse();
        let mut all: Vec<String> = total.iter().map(|r| r.name.clone()).collect();
        all.sort_by(|a, b| trappa_i18n::collate::compare(a, b));
        assert_eq!(
            reversed.last(),
            all.last(),
            "[{b}] descending starts at the end"
        );
        // The triage inbox filters by the rules' proposal.
        let coordinator = s.login("koordinator").await;
        let high = coordinator
            .get("/remisser?forslag=forturd")
            .await
            .text()
            .await
            .unwrap();
        let body = high.split("<tbody>").nth(1).unwrap_or("");
        assert!(
            !body.contains("Anta till väntelistan") && !body.contains("Begär komplettering"),
            "[{b}] only what the filter asks for"
        );
        // Nonsense in the query is no error: the defaults apply.
        let res = referrer.get("/remisser?sida=-4&sort=x%27&ordning=zz").await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
    }
}
