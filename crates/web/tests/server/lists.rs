//! Long lists on both databases: the caseload on the start page filtered, sorted in
//! Swedish order and paged; the auditor's log saying why each entry is flagged and
//! paging back to the newest; the patient's own log grouping the same access on one
//! line.

use crate::support;

use reqwest::StatusCode;
use support::servers;

#[tokio::test]
async fn my_patients_are_filtered_sorted_in_swedish_order_and_paged() {
    for s in servers().await {
        let b = s.backend;
        // Two patients whose names byte order puts the wrong way round (Ä < Å).
        support::patient_named(&s, 41, "Ängström", &["sjukskoterska"]).await;
        support::patient_named(&s, 42, "Åkesson", &["sjukskoterska"]).await;
        let nurse = s.login("sjukskoterska").await;
        let start = nurse.get("/start").await.text().await.unwrap();
        let section = start
            .split("id=\"mina-patienter\"")
            .nth(1)
            .expect("my patients");
        let names = support::listed_names(section);
        assert_eq!(names.len(), 25, "[{b}] one page of 25");
        assert!(section.contains("rel=\"next\""), "[{b}] more pages");
        let mut sorted = names.clone();
        sorted.sort_by(|a, b| trappa_i18n::collate::compare(a, b));
        assert_eq!(names, sorted, "[{b}] Swedish order");
        // Filtered to the two: Å before Ä, as in a Swedish phone book.
        let found = nurse.get("/start?q=Testa").await.text().await.unwrap();
        let section = found.split("id=\"mina-patienter\"").nth(1).unwrap();
        assert_eq!(
            support::listed_names(section),
            ["Åkesson, Testa", "Ängström, Testa"],
            "[{b}] filtered and in order"
        );
        let back = nurse
            .get("/start?q=Testa&sort=namn&ordning=fallande")
            .await
            .text()
            .await
            .unwrap();
        let section = back.split("id=\"mina-patienter\"").nth(1).unwrap();
        assert_eq!(
            support::listed_names(section),
            ["Ängström, Testa", "Åkesson, Testa"],
            "[{b}] descending"
        );
        // By identity number, with or without the hyphen.
        let pnr = support::test_identity(41).to_string();
        let by_id = nurse
            .get(&format!("/start?q={}", pnr.replace('-', "")))
            .await
            .text()
            .await
            .unwrap();
        let section = by_id.split("id=\"mina-patienter\"").nth(1).unwrap();
        assert_eq!(support::listed_names(section), ["Ängström, Testa"], "[{b}]");
        // A page past the end shows the last one; nonsense is no error.
        let res = nurse.get("/start?sida=9999&sort=%3Cx%3E").await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
    }
}

#[tokio::test]
async fn the_auditor_sees_why_an_entry_is_flagged_and_pages_back() {
    for s in servers().await {
        let b = s.backend;
        let auditor = s.login("granskare").await;
        let page = auditor
            .get("/granskning/logg?flagged=on")
            .await
            .text()
            .await
            .unwrap();
        // The demo's emergency access is flagged, and says so.
        assert!(page.contains("Flaggad"), "[{b}] flagged entries");
        assert!(page.contains("nödåtkomst"), "[{b}] the reason for the flag");
        let all = auditor.get("/granskning/logg").await.text().await.unwrap();
        let older = all
            .split("before=")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("a link to older entries");
        let second = auditor
            .get(&format!(
                "/granskning/logg?patient=&user=&from=&to=&before={older}"
            ))
            .await
            .text()
            .await
            .unwrap();
        assert!(second.contains("Nyaste poster"), "[{b}] a way back");
    }
}

#[tokio::test]
async fn the_patients_own_log_groups_the_same_access_on_one_line() {
    for s in servers().await {
        let b = s.backend;
        let patient = s.login(trappa_data::demo::DEMO_PATIENT_USERNAME).await;
        // Five looks in a row at one's own log: one line, five times.
        for _ in 0..5 {
            assert_eq!(
                patient.get("/mina-sidor/logg").await.status(),
                StatusCode::OK
            );
        }
        let page = patient.get("/mina-sidor/logg").await.text().await.unwrap();
        let log = page.split("id=\"logg\"").nth(1).expect("the log");
        let first_row = log
            .split("<tbody>")
            .nth(1)
            .and_then(|b| b.split("</tr>").next())
            .unwrap();
        assert!(
            first_row.contains("6\u{a0}gånger"),
            "[{b}] the six reads on one line: {first_row}"
        );
    }
}
