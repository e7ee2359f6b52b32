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
        assert!(html.contains("Idag, "), "[{b}] today's doses: {html}");
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
                roles: vec![Role::Patient],
                password_hash: own.password_hash.clone(),
                created_by: None,
            })
            .await
            .unwrap();
        let c2 = s.login("patient901").await;
        let none = c2.get("/mina-sidor/plan").await.text().await.unwrap();
        assert!(
            none.contains("Du har ingen färdig nedtrappningsplan ännu") && !none.contains("Idag, "),
            "[{b}] no signed plan"
        );
        assert_eq!(
            c2.get("/mina-sidor/plan/plan.pdf").await.status(),
            StatusCode::NOT_FOUND,
            "[{b}]"
        );
    }
}
