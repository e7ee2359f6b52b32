//! Referrals over HTTP on both databases: a vårdcentral refers, the triage team sees the
//! rules' proposal and decides, the referrer sees the status and the reply.

mod support;

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
        // The same patient again is refused, kindly.
        let res = referrer.post("/remisser", &fields(pnr, "sömnbesvär")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");

        // The coordinator's inbox, the rules' proposal, the decision.
        let coordinator = s.login("koordinator").await;
        let inbox = coordinator.get("/remisser").await.text().await.unwrap();
        assert!(
            inbox.contains("Rut Remissdotter") && inbox.contains("Antagen, väntelista"),
            "[{b}] the proposal in the inbox"
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
