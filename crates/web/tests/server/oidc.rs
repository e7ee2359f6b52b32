//! Sign-in through a real OpenID provider (npm's oidc-provider, started by the test
//! script): the authorization-code flow with PKCE, mapped by HSA-id and personnummer,
//! each door to its own kind of account only.

use crate::support;
use reqwest::StatusCode;
use trappa_data::demo::DEMO_PATIENT_USERNAME;
use trappa_store::access_log::{Action, LogQuery};

/// A patient signs in with "BankID" and lands on their plan; a nurse signs in
/// with "SITHS" by her HSA-id. A staff identity at the patients' door, a patient at
/// the staff door, an identity with no account and a forged answer are each refused
/// with a Swedish page, sign no one in, and are logged.
#[tokio::test]
async fn staff_and_patients_sign_in_through_the_identity_provider_each_at_their_door() {
    let Some(oidc) = support::test_oidc() else {
        eprintln!(
            "no test identity provider: {} is not set",
            support::OIDC_ENV
        );
        return;
    };
    for (backend, store) in trappa_store::testing::fresh_stores().await {
        let mut config = trappa_web::WebConfig::local();
        config.oidc = oidc.clone();
        let s = support::start_with(backend, store, config).await;
        let b = s.backend;
        // A patient of the nurse's with an account of their own.
        let own = s
            .store
            .credentials(DEMO_PATIENT_USERNAME)
            .await
            .unwrap()
            .unwrap();
        let patient = support::patient_with_team(&s, 903, &["sjukskoterska"]).await;
        s.store
            .create_account(&trappa_store::accounts::NewAccount {
                username: "patient903".into(),
                display_name: "Patient 903".into(),
                profession: None,
                hsa_id: None,
                unit_id: None,
                patient_id: Some(patient),
                partner_organisation_id: None,
                roles: vec![trappa_policy::Role::Patient],
                password_hash: own.password_hash.clone(),
                created_by: None,
            })
            .await
            .unwrap();
        let pnr = support::test_identity(903).canonical();
        let nurse = s.store.credentials("sjukskoterska").await.unwrap().unwrap();
        let hsa = nurse
            .account
            .hsa_id
            .clone()
            .expect("the demo nurse's HSA-id");

        // The sign-in page offers both doors.
        let page = s.anonymous().get("/logga-in").await.text().await.unwrap();
        assert!(
            page.contains("Logga in med BankID") && page.contains("Logga in med SITHS-kort"),
            "[{b}]"
        );

        // The patient, by personnummer, to their plan.
        let c = s.anonymous();
        let back = support::through_provider(
            &c,
            "/logga-in/oidc/patient?next=/mina-sidor/plan",
            &format!("pnr:{pnr}"),
        )
        .await;
        assert_eq!(back.status(), StatusCode::SEE_OTHER, "[{b}]");
        assert_eq!(back.headers()["location"], "/mina-sidor/plan", "[{b}]");
        let plan = c.get("/mina-sidor/plan").await;
        assert_eq!(
            plan.status(),
            StatusCode::OK,
            "[{b}] signed in as the patient"
        );
        assert!(
            plan.text().await.unwrap().contains("Patient 903"),
            "[{b}] as that patient"
        );
        assert_eq!(
            c.get("/patienter").await.status(),
            StatusCode::FORBIDDEN,
            "[{b}]"
        );

        // The nurse, by HSA-id, to the start page with her caseload.
        let n = s.anonymous();
        let back =
            support::through_provider(&n, "/logga-in/oidc/personal", &format!("hsa:{hsa}")).await;
        assert_eq!(back.headers()["location"], "/start", "[{b}]");
        let start = n.get("/start").await.text().await.unwrap();
        assert!(
            start.contains("Sara Lindqvist") && start.contains("Mina patienter"),
            "[{b}]"
        );

        // The administrator by SITHS: the card is the second factor, so the
        // administrator's pages open without a one-time code.
        let admin = s.store.credentials("admin").await.unwrap().unwrap();
        let admin_hsa = admin
            .account
            .hsa_id
            .expect("the demo administrator's HSA-id");
        let a = s.anonymous();
        support::through_provider(&a, "/logga-in/oidc/personal", &format!("hsa:{admin_hsa}")).await;
        assert_eq!(
            a.get("/admin/personal").await.status(),
            StatusCode::OK,
            "[{b}] an identity provider's sign-in has two factors"
        );

        // Wrong doors and unknown people: refused, no session.
        // A staff identity carries no personnummer and a patient's no HSA-id: the
        // answer is not one this door takes (400). An identity with no account is
        // refused as such (403).
        for (door, login, status) in [
            (
                "/logga-in/oidc/patient",
                format!("hsa:{hsa}"),
                StatusCode::BAD_REQUEST,
            ),
            (
                "/logga-in/oidc/personal",
                format!("pnr:{pnr}"),
                StatusCode::BAD_REQUEST,
            ),
            (
                "/logga-in/oidc/patient",
                "pnr:191212121212".to_owned(),
                StatusCode::FORBIDDEN,
            ),
            (
                "/logga-in/oidc/personal",
                "hsa:SE2321000131-P000000009999".to_owned(),
                StatusCode::FORBIDDEN,
            ),
        ] {
            let x = s.anonymous();
            let refused = support::through_provider(&x, door, &login).await;
            assert_eq!(refused.status(), status, "[{b}] {door} {login}");
            let text = refused.text().await.unwrap();
            assert!(
                text.contains("Inget konto i Trappa")
                    || text.contains("Inloggningen gick inte att slutföra"),
                "[{b}] {door} {login}: {text}"
            );
            assert!(
                support::is_login_redirect(&x.get("/start").await),
                "[{b}] no session"
            );
        }

        // A forged answer (no flow of its own, or a state that is not the flow's).
        let x = s.anonymous();
        let forged = x.get("/logga-in/oidc/svar?code=abc&state=xyz").await;
        assert_eq!(forged.status(), StatusCode::BAD_REQUEST, "[{b}]");

        let failures = s
            .store
            .search_access_log(&LogQuery {
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == Action::LoginFailed.code())
            .count();
        assert!(
            failures >= 2,
            "[{b}] the refusals without an account are logged"
        );
    }
}
