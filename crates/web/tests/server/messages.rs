//! Secure messages between the patient and the care team, through the real server.

use crate::support;
use reqwest::StatusCode;
use support::servers;
use trappa_data::demo::DEMO_PATIENT_USERNAME;
use trappa_policy::Role;
use trappa_store::accounts::NewAccount;

/// The form's request key, as the page gives it.
fn request_key(html: &str) -> String {
    html.split("name=\"request_key\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the form's request key")
        .to_owned()
}

/// The demo patient writes to the care team: a refused message keeps what was typed, a
/// double tap sends once, Trappa answers at once with when to expect an answer; the
/// prescriber finds it waiting in the inbox and on the worklist, answers, and the inbox
/// says who answered; the patient sees one unread message. Another patient reaches
/// none of it by the thread's id. Every read and write is logged.
#[tokio::test]
async fn the_patient_and_the_care_team_write_to_each_other() {
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

        let page = c.get("/mina-sidor/meddelanden").await.text().await.unwrap();
        assert!(
            page.contains("Kvällsdosen") && page.contains("Inför nästa steg"),
            "[{b}]"
        );
        let key = request_key(&page);
        let refused = c
            .post(
                "/mina-sidor/meddelanden",
                &[
                    ("subject", "Biverkningar"),
                    ("body", "  "),
                    ("request_key", &key),
                ],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("value=\"Biverkningar\"") && page.contains("href=\"#body\""),
            "[{b}] the subject kept, the empty message named"
        );
        let body = "Jag har fått huvudvärk efter senaste sänkningen. Är det vanligt?";
        let mut location = String::new();
        for _ in 0..2 {
            let sent = c
                .post(
                    "/mina-sidor/meddelanden",
                    &[
                        ("subject", "Biverkningar"),
                        ("body", body),
                        ("request_key", &key),
                    ],
                )
                .await;
            assert_eq!(sent.status(), StatusCode::SEE_OTHER, "[{b}]");
            let to = sent.headers()["location"].to_str().unwrap().to_owned();
            assert!(
                location.is_empty() || location == to,
                "[{b}] the same thread twice"
            );
            location = to;
        }
        let thread = c.get(&location).await.text().await.unwrap();
        assert_eq!(thread.matches(body).count(), 1, "[{b}] sent once");
        assert!(
            thread.contains("Trappa (automatiskt svar)") && thread.contains("inom 2\u{a0}vardagar"),
            "[{b}] the automatic reply: {thread}"
        );
        let thread_id = location.rsplit('/').next().unwrap().to_owned();

        // Another patient reaches nothing of it by its id.
        let other = support::patient_with_team(&s, 902, &["sjukskoterska"]).await;
        s.store
            .create_account(&NewAccount {
                username: "patient902".into(),
                display_name: "Patient 902".into(),
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
        let stranger = s.login("patient902").await;
        assert_eq!(
            stranger.get(&location).await.status(),
            StatusCode::NOT_FOUND,
            "[{b}]"
        );
        let sneaked = stranger
            .post(&location, &[("body", "Hej"), ("request_key", &uuid_key())])
            .await;
        assert_eq!(sneaked.status(), StatusCode::NOT_FOUND, "[{b}]");
        // Nor the questionnaires assigned to the demo patient: the portal's routes name
        // no patient, and what they do name is looked up in the caller's own record.
        for path in [
            "/mina-sidor/skattningar/phq-9",
            "/mina-sidor/skattningar/bwsq",
        ] {
            assert_eq!(
                stranger.get(path).await.status(),
                StatusCode::NOT_FOUND,
                "[{b}] {path}"
            );
            let sent = stranger
                .post(path, &[("total", "5"), ("request_key", &uuid_key())])
                .await;
            assert_eq!(sent.status(), StatusCode::NOT_FOUND, "[{b}] {path}");
        }
        let theirs = stranger
            .get("/mina-sidor/meddelanden")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !theirs.contains("Biverkningar") && !theirs.contains("Kvällsdosen"),
            "[{b}]"
        );

        // The prescriber: waiting in the inbox and on the worklist, answered.
        let doc = s.login("lakare").await;
        let inbox = doc.get("/meddelanden").await.text().await.unwrap();
        assert!(
            inbox.contains("Biverkningar") && inbox.contains("har väntat på svar"),
            "[{b}]"
        );
        let start = doc.get("/start").await.text().await.unwrap();
        assert!(
            start.contains("Obesvarade meddelanden") && start.contains("Biverkningar"),
            "[{b}]"
        );
        let staff_thread = format!("/patienter/{patient}/meddelanden/{thread_id}");
        let page = doc.get(&staff_thread).await.text().await.unwrap();
        let answered = doc
            .post(
                &staff_thread,
                &[
                    (
                        "body",
                        "Det är vanligt de första dagarna. Ring om det inte går över.",
                    ),
                    ("request_key", &request_key(&page)),
                ],
            )
            .await;
        assert_eq!(answered.status(), StatusCode::SEE_OTHER, "[{b}]");
        let inbox = doc.get("/meddelanden?q=biverk").await.text().await.unwrap();
        assert!(inbox.contains("besvarat av Maria Ek"), "[{b}] {inbox}");

        // The patient: the answer unread on the start page (with the demo's own
        // answered question, two).
        let home = c.get("/start").await.text().await.unwrap();
        assert!(home.contains("2\u{a0}olästa meddelanden"), "[{b}] {home}");

        let log = support::patient_log(&s, patient).await;
        for (who, resource) in [
            (DEMO_PATIENT_USERNAME, "own.messages"),
            ("lakare", "patient.messages"),
            ("lakare", "messages.inbox"),
        ] {
            assert!(
                log.iter()
                    .any(|e| e.username == who && e.resource == resource),
                "[{b}] {who} {resource} logged"
            );
        }
    }
}

fn uuid_key() -> String {
    trappa_store::Uuid::now_v7().to_string()
}
