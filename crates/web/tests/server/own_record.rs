//! The patient's own record in the portal ("Min journal") and the unit's choice of
//! which notes patients read, and when.

use crate::support;
use reqwest::StatusCode;
use support::servers;
use trappa_data::demo::DEMO_PATIENT_USERNAME;

/// A note written today waits the unit's delay before the patient reads it; the head
/// of the unit sets the delay to none and the note is there, then withholds its kind
/// and it is gone, with the patient told which kinds are not shown and how to ask for
/// them. Impossible choices are refused with what was typed kept; a choice made on an
/// old version is refused. The patient also reads the plan's signed versions, and
/// every read is logged as their own.
#[tokio::test]
async fn the_patient_reads_what_the_unit_releases_when_it_releases_it() {
    for s in servers().await {
        let b = s.backend;
        let patient = support::patient_of_login(&s, DEMO_PATIENT_USERNAME).await;
        let nurse = s.login("sjukskoterska").await;
        let written = "Patienten berättar att sömnen blivit bättre sedan förra steget.";
        let res = nurse
            .post(
                &format!("/patienter/{patient}/journal"),
                &[("kind", "note"), ("note", written)],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] the note");

        let c = s.login(DEMO_PATIENT_USERNAME).await;
        let page = c.get("/mina-sidor/journal").await.text().await.unwrap();
        assert!(page.contains("Min journal"), "[{b}]");
        assert!(!page.contains(written), "[{b}] not before the delay");
        assert!(
            page.contains("visas här 14\u{a0}dagar efter"),
            "[{b}] the rule: {page}"
        );
        assert!(page.contains("visas senare"), "[{b}] the note waiting");
        assert!(
            page.contains("gäller nu"),
            "[{b}] the plan in force among its versions"
        );

        let chef = s.login("chef").await;
        assert_eq!(
            chef.post("/roll", &[("role", "unit_manager")])
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        let form = chef
            .get("/enhet/journal-till-patienter")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            form.contains("alla slag visas efter 14"),
            "[{b}] the defaults"
        );
        // Refused and kept: a delay beyond the limit, no reason, a kind that is not one.
        let refused = chef
            .post(
                "/enhet/journal-till-patienter",
                &[
                    ("version", "0"),
                    ("kinds", "note"),
                    ("kinds", "horoscope"),
                    ("delay_days", "200"),
                    ("reason", ""),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let html = refused.text().await.unwrap();
        assert!(
            html.contains("Ange ett antal dagar från 0 till 90."),
            "[{b}]"
        );
        assert!(html.contains("value=\"200\""), "[{b}] the delay kept");
        assert!(html.contains("Fältet måste fyllas i."), "[{b}] the reason");
        assert!(html.contains("Välj ett av alternativen."), "[{b}] the kind");
        let all: Vec<(&str, &str)> = trappa_pathway::visits::Kind::ALL
            .iter()
            .map(|k| ("kinds", k.code()))
            .collect();
        let mut fields = all.clone();
        fields.extend([
            ("version", "0"),
            ("delay_days", "0"),
            ("reason", "Patienterna läser direkt"),
        ]);
        let saved = chef.post("/enhet/journal-till-patienter", &fields).await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER, "[{b}] saved");
        let page = c.get("/mina-sidor/journal").await.text().await.unwrap();
        assert!(page.contains(written), "[{b}] released at once");
        assert!(
            page.contains("Skriven av Sara Lindqvist."),
            "[{b}] who wrote it: {page}"
        );

        // Free notes withheld: gone, and the patient told how to read them.
        let mut fields: Vec<(&str, &str)> =
            all.iter().copied().filter(|(_, k)| *k != "note").collect();
        fields.extend([
            ("version", "1"),
            ("delay_days", "0"),
            ("reason", "Fria anteckningar inte längre"),
        ]);
        assert_eq!(
            chef.post("/enhet/journal-till-patienter", &fields)
                .await
                .status(),
            StatusCode::SEE_OTHER,
            "[{b}]"
        );
        let page = c.get("/mina-sidor/journal").await.text().await.unwrap();
        assert!(!page.contains(written), "[{b}] withheld");
        assert!(page.contains("be din vårdenhet om en kopia"), "[{b}]");
        // A choice made on a version that is no longer the newest changes nothing.
        let stale = chef.post("/enhet/journal-till-patienter", &fields).await;
        assert_eq!(stale.status(), StatusCode::CONFLICT, "[{b}] stale");
        let form = chef
            .get("/enhet/journal-till-patienter")
            .await
            .text()
            .await
            .unwrap();
        assert!(form.contains("Version 2"), "[{b}] {form}");

        let log = support::patient_log(&s, patient).await;
        assert!(
            log.iter()
                .any(|e| e.username == DEMO_PATIENT_USERNAME && e.resource == "own.record"),
            "[{b}] the patient's reading is logged"
        );
    }
}
