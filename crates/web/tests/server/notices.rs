//! Notifications that carry no health data, sent through a real SMTP server (the test
//! script's `aiosmtpd`), on both databases.

use crate::support;
use reqwest::StatusCode;
use trappa_data::demo::DEMO_PATIENT_USERNAME;

/// Quoted-printable decoded: soft line breaks joined, `=XX` bytes read.
fn unquote(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The patient chooses e-mail (a refused address keeps what was typed); the nurse
/// writes, and one mail reaches the address through SMTP saying only that there is a
/// new message, with the link to sign in — not the subject, not the text. The
/// patient's own message sends nothing; with e-mail turned off, nothing more is queued.
#[tokio::test]
async fn the_patient_is_told_by_email_that_something_is_new_and_nothing_more() {
    let Some((smtp, maildir)) = support::test_smtp() else {
        return;
    };
    for (backend, store) in trappa_store::testing::fresh_stores().await {
        let mut config = trappa_web::WebConfig::local();
        config.smtp = Some(smtp.clone());
        config.notify_every = std::time::Duration::from_millis(200);
        let s = support::start_with(backend, store, config).await;
        let b = s.backend;
        let own = s
            .store
            .credentials(DEMO_PATIENT_USERNAME)
            .await
            .unwrap()
            .unwrap();
        let patient = own.account.patient_id.unwrap();
        let address = format!(
            "patient-{}@trappa.test",
            trappa_store::Uuid::now_v7().simple()
        );

        let c = s.login(DEMO_PATIENT_USERNAME).await;
        let page = c.get("/mina-sidor/aviseringar").await.text().await.unwrap();
        assert!(page.contains("Skicka aviseringar med e-post"), "[{b}]");
        // E-mail without an address, and an address mail cannot reach, are refused
        // with what was typed kept.
        let refused = c
            .post(
                "/mina-sidor/aviseringar",
                &[("email", ""), ("by_email", "on")],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let html = refused.text().await.unwrap();
        assert!(
            html.contains("Ange en e-postadress om du vill ha aviseringar"),
            "[{b}]"
        );
        assert!(html.contains("checked"), "[{b}] the choice kept");
        let refused = c
            .post(
                "/mina-sidor/aviseringar",
                &[("email", "inte en adress"), ("by_email", "on")],
            )
            .await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            refused
                .text()
                .await
                .unwrap()
                .contains("value=\"inte en adress\""),
            "[{b}]"
        );
        let saved = c
            .post(
                "/mina-sidor/aviseringar",
                &[("email", &address), ("by_email", "on")],
            )
            .await;
        assert_eq!(saved.status(), StatusCode::SEE_OTHER, "[{b}]");
        let page = c.get("/mina-sidor/aviseringar").await.text().await.unwrap();
        assert!(
            page.contains("Dina val för aviseringar är sparade."),
            "[{b}]"
        );
        assert!(page.contains("Aviseringar med e-post: på."), "[{b}]");

        let nurse = s.login("sjukskoterska").await;
        let secret_subject = "Om din dos av Oxascand";
        let secret_body = "Vi sänker till 5 mg på måndag.";
        let sent = nurse
            .post(
                &format!("/patienter/{patient}/meddelanden"),
                &[
                    ("subject", secret_subject),
                    ("body", secret_body),
                    ("request_key", &trappa_store::Uuid::now_v7().to_string()),
                ],
            )
            .await;
        assert_eq!(
            sent.status(),
            StatusCode::SEE_OTHER,
            "[{b}] the nurse writes"
        );
        let mails = support::mail_to(&maildir, &address, 1).await;
        assert_eq!(mails.len(), 1, "[{b}] one mail");
        let mail = unquote(&mails[0]);
        assert!(mail.contains("Subject: Nytt i Trappa"), "[{b}] {mail}");
        assert!(
            mail.contains("Du har ett nytt meddelande i Trappa."),
            "[{b}] {mail}"
        );
        assert!(
            mail.contains(&s.url("/mina-sidor")),
            "[{b}] the link: {mail}"
        );
        for secret in [secret_subject, secret_body, "Oxascand", "mg"] {
            assert!(!mail.contains(secret), "[{b}] {secret:?} in the mail");
        }
        let page = c.get("/mina-sidor/aviseringar").await.text().await.unwrap();
        assert!(page.contains("skickad "), "[{b}] the patient sees it went");

        // The patient's own message tells nobody by mail.
        let queued = s.store.notices_of(own.account.id, 10).await.unwrap().len();
        c.post(
            "/mina-sidor/meddelanden",
            &[
                ("subject", "Fråga"),
                ("body", "Hur går det till?"),
                ("request_key", &trappa_store::Uuid::now_v7().to_string()),
            ],
        )
        .await;
        assert_eq!(
            s.store.notices_of(own.account.id, 10).await.unwrap().len(),
            queued,
            "[{b}]"
        );
        // Turned off, nothing more is queued.
        let off = c
            .post("/mina-sidor/aviseringar", &[("email", &address)])
            .await;
        assert_eq!(off.status(), StatusCode::SEE_OTHER, "[{b}]");
        nurse
            .post(
                &format!("/patienter/{patient}/meddelanden"),
                &[
                    ("subject", "Igen"),
                    ("body", "En fråga till."),
                    ("request_key", &trappa_store::Uuid::now_v7().to_string()),
                ],
            )
            .await;
        assert_eq!(
            s.store.notices_of(own.account.id, 10).await.unwrap().len(),
            queued,
            "[{b}]"
        );
        let log = support::patient_log(&s, patient).await;
        assert!(
            log.iter()
                .any(|e| e.resource == "own.notifications" && e.action == "update"),
            "[{b}] the choice is logged"
        );
    }
}
