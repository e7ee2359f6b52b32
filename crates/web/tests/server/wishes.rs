//! A patient's wish to move or cancel a visit, and the coordinator's answer.

use crate::support;
use reqwest::StatusCode;
use trappa_data::demo::DEMO_PATIENT_USERNAME;

/// The prescriber books a video visit; the demo patient sees it with its video link,
/// asks to move it (refused without saying when, kept; sent once), and nothing changes
/// until the coordinator, who finds the wish on the worklist, approves with a new time.
/// Another patient's wish to the same visit finds nothing.
#[tokio::test]
async fn a_visit_moves_only_when_the_coordinator_approves_the_patients_wish() {
    for (backend, store) in trappa_store::testing::fresh_stores().await {
        let mut config = trappa_web::WebConfig::local();
        config.video_url_template = Some("https://video.example.se/mote/{visit}".into());
        let s = support::start_with(backend, store, config).await;
        let b = s.backend;
        let own = s
            .store
            .credentials(DEMO_PATIENT_USERNAME)
            .await
            .unwrap()
            .unwrap();
        let patient = own.account.patient_id.unwrap();
        let doc = s.login("lakare").await;
        let doctor = s.account_id("lakare").await.to_string();
        let day = |n: i64| {
            trappa_app::clock::today()
                .saturating_add(jiff::ToSpan::days(n))
                .to_string()
        };
        let booked = doc
            .post(
                &format!("/patienter/{patient}/besok"),
                &[
                    ("kind", "medical_review"),
                    ("place", "video"),
                    ("date", &day(3)),
                    ("time", "10:00"),
                    ("minutes", "30"),
                    ("clinician", &doctor),
                    ("reason", ""),
                ],
            )
            .await;
        assert_eq!(booked.status(), StatusCode::SEE_OTHER, "[{b}] booked");

        let c = s.login(DEMO_PATIENT_USERNAME).await;
        let page = c.get("/mina-sidor/besok").await.text().await.unwrap();
        assert!(
            page.contains("Anslut till videobesöket"),
            "[{b}] the video link"
        );
        let link = page
            .split("href=\"https://video.example.se/mote/")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("the visit's video link")
            .to_owned();
        let visit = link.clone();
        let action = format!("/mina-sidor/besok/{visit}");
        let key = page
            .split("name=\"request_key\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_owned();
        let refused = c
            .post(
                &action,
                &[("kind", "move"), ("wish", ""), ("request_key", &key)],
            )
            .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] when?"
        );
        for _ in 0..2 {
            let sent = c
                .post(
                    &action,
                    &[
                        ("kind", "move"),
                        ("wish", "Helst eftermiddag"),
                        ("request_key", &key),
                    ],
                )
                .await;
            assert_eq!(sent.status(), StatusCode::SEE_OTHER, "[{b}] sent once");
        }
        let page = c.get("/mina-sidor/besok").await.text().await.unwrap();
        assert_eq!(
            page.matches("Helst eftermiddag").count(),
            1,
            "[{b}] one wish"
        );
        assert!(page.contains("Vi svarar så snart vi kan"), "[{b}] waiting");
        // A second wish about the same visit waits for the first.
        let again = c
            .post(
                &action,
                &[
                    ("kind", "cancel"),
                    ("wish", ""),
                    ("request_key", &trappa_store::Uuid::now_v7().to_string()),
                ],
            )
            .await;
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");

        // The coordinator: on the worklist, answered with a new time.
        let coord = s.login("koordinator").await;
        let start = coord.get("/start").await.text().await.unwrap();
        assert!(start.contains("Önskemål om besök"), "[{b}]");
        let visits = coord.get("/besok/onskemal").await.text().await.unwrap();
        let answer = visits
            .split(&format!("action=\"/patienter/{patient}/besok/onskemal/"))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("the answer form: {visits}"))
            .to_owned();
        let to = format!("/patienter/{patient}/besok/onskemal/{answer}");
        let declined_without_note = coord
            .post(&to, &[("decision", "decline"), ("note", "")])
            .await;
        assert_eq!(
            declined_without_note.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}]"
        );
        let approved = coord
            .post(
                &to,
                &[
                    ("decision", "approve"),
                    ("date", &day(4)),
                    ("time", "14:30"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(approved.status(), StatusCode::SEE_OTHER, "[{b}]");
        let twice = coord
            .post(
                &to,
                &[
                    ("decision", "approve"),
                    ("date", &day(5)),
                    ("time", "14:30"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(twice.status(), StatusCode::CONFLICT, "[{b}] answered once");

        let page = c.get("/mina-sidor/besok").await.text().await.unwrap();
        assert!(
            page.contains("14:30") && page.contains("Godkänt av Karin Nyström"),
            "[{b}] {page}"
        );

        // Another patient wishing about this visit finds nothing.
        let other = support::patient_with_team(&s, 904, &["sjukskoterska"]).await;
        s.store
            .create_account(&trappa_store::accounts::NewAccount {
                username: "patient904".into(),
                display_name: "Patient 904".into(),
                profession: None,
                hsa_id: None,
                unit_id: None,
                patient_id: Some(other),
                partner_organisation_id: None,
                roles: vec![trappa_policy::Role::Patient],
                password_hash: own.password_hash.clone(),
                created_by: None,
            })
            .await
            .unwrap();
        let stranger = s.login("patient904").await;
        let sneaked = stranger
            .post(
                &action,
                &[
                    ("kind", "cancel"),
                    ("wish", ""),
                    ("request_key", &trappa_store::Uuid::now_v7().to_string()),
                ],
            )
            .await;
        assert_eq!(sneaked.status(), StatusCode::NOT_FOUND, "[{b}]");
    }
}
