//! The server's own logs never contain personal data: no identity numbers, names,
//! patient ids or search terms — only route templates, statuses and request ids.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use support::patient_with_team;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_hold_no_personal_data() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .init();

    let store = trappa_store::testing::fresh_sqlite().await;
    let s = support::start("sqlite", store).await;
    let patient = patient_with_team(&s, 706, &["sjukskoterska"]).await;
    let pnr = support::test_identity(706);
    let nurse = s.login("sjukskoterska").await;
    assert_eq!(
        nurse.get(&format!("/patienter?q={}", pnr)).await.status(),
        200
    );
    assert_eq!(nurse.get("/patienter?q=Testsson706").await.status(), 200);
    assert_eq!(
        nurse.get(&format!("/patienter/{patient}")).await.status(),
        200
    );
    assert_eq!(
        nurse
            .get(&format!("/api/v1/patients/{patient}"))
            .await
            .status(),
        200
    );
    let other = s.login("sjukskoterska2").await;
    assert_eq!(
        other.get(&format!("/patienter/{patient}")).await.status(),
        303
    );
    s.anonymous().sign_in("sjukskoterska", "fel lösenord").await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("\"route\":\"/patienter/{id}\""),
        "requests are logged by route template: {logs}"
    );
    for secret in [
        pnr.canonical(),
        pnr.to_string(),
        "Testsson706".to_owned(),
        patient.to_string(),
        "Hemliga vägen".to_owned(),
        "fel lösenord".to_owned(),
        trappa_data::demo::DEMO_PASSWORD.to_owned(),
    ] {
        assert!(
            !logs.contains(&secret),
            "the server log contains {secret:?}"
        );
    }
}
