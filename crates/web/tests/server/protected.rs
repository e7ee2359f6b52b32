//! Protected identity (*skyddad identitet*) over HTTP on both databases: the address of
//! a protected patient appears on no page, letter, PDF, CSV or API answer — the reply
//! letter goes through Skatteverket's forwarding instead — an edit that never showed it
//! keeps it, and every access to the patient is flagged for the auditor, whoever logs
//! it and on whatever basis.

use crate::support;

use reqwest::{Method, StatusCode};
use support::{Client, TestServer, pdf_text, servers};
use trappa_store::Uuid;
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::patients::{Address, PatientData, PostalAddress};
use trappa_store::referrals::{NewReferral, SELF_REFERRAL_ACCOUNT};

const STREET: &str = "Gömda gränd 7";
const TOWN: &str = "Skyddsby";

/// A self-referral from a person with protected identity whose address is recorded.
async fn protected_self_referral(s: &TestServer, n: u16) -> (Uuid, Uuid) {
    let actor = Actor {
        account_id: Some(SELF_REFERRAL_ACCOUNT),
        username: "egenremiss".into(),
        role: None,
        unit_id: None,
        request_id: "test".into(),
        client_ip: None,
        new_role: false,
    };
    let data = PatientData {
        personal_identity: support::test_identity(n),
        given_name: "Skydda".into(),
        family_name: format!("Personsdotter{n}"),
        phone: Some("0701234567".into()),
        email: None,
        address: Address::Known(PostalAddress {
            street: Some(STREET.into()),
            postal_code: Some("123 45".into()),
            city: Some(TOWN.into()),
        }),
        home_unit_id: None,
        protected_identity: true,
        synthetic: true,
    };
    let facts = serde_json::to_string(&trappa_triage::Facts {
        age: Some(52),
        drugs: vec![trappa_triage::ReferredDrug {
            substance: "zolpidem".into(),
            daily_dose: Some(10.0),
            months: Some(36),
        }],
        ..Default::default()
    })
    .unwrap();
    s.store
        .create_referral(
            &data,
            &NewReferral {
                facts: &facts,
                details: "{}",
                referrer: SELF_REFERRAL_ACCOUNT,
                unit: None,
            },
            &NewEntry::new(&actor, Action::Create, "patient.referral"),
        )
        .await
        .map(|(referral, patient, _)| (referral, patient))
        .unwrap()
}

async fn body(c: &Client, path: &str) -> (StatusCode, String) {
    let res = c.get(path).await;
    (res.status(), res.text().await.unwrap())
}

fn assert_hidden(b: &str, what: &str, text: &str) {
    assert!(
        !text.contains(STREET) && !text.contains("Gömda") && !text.contains(TOWN),
        "[{b}] {what} shows the protected address"
    );
}

/// A protected address is shown on no page, letter, PDF or export, and every access to the
/// patient is flagged. Long by design: a journey whose every step reads what the steps
/// before it left, so it is kept as one story told in order.
#[tokio::test]
async fn a_protected_address_is_shown_nowhere_and_every_access_is_flagged() {
    for s in servers().await {
        let b = s.backend;
        let (referral, patient) = protected_self_referral(&s, 761).await;
        let coordinator = s.login("koordinator").await;
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
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] decided");

        // Every page that could show an address.
        for path in [
            format!("/patienter/{patient}"),
            format!("/patienter/{patient}/andra"),
            format!("/patienter/{patient}/historik"),
            format!("/patienter/{patient}/remiss"),
            format!("/remisser/{referral}"),
            "/remisser".to_owned(),
            "/vantelista".to_owned(),
            "/start".to_owned(),
            format!("/api/v1/patients/{patient}"),
            format!("/api/v1/patients/{patient}/history"),
            format!("/api/v1/referrals/{referral}"),
            "/api/v1/referrals".to_owned(),
            format!("/granskning/patienter/{patient}/logg.csv"),
        ] {
            let (status, text) = body(&coordinator, &path).await;
            if status == StatusCode::OK {
                assert_hidden(b, &path, &text);
            }
        }
        // The edit form says why the address fields are empty.
        let (_, form) = body(&coordinator, &format!("/patienter/{patient}/andra")).await;
        assert!(
            form.contains("id=\"address-withheld\""),
            "[{b}] the form explains"
        );
        let (_, api) = body(&coordinator, &format!("/api/v1/patients/{patient}")).await;
        let api: serde_json::Value = serde_json::from_str(&api).unwrap();
        assert_eq!(api["address_withheld"], true, "[{b}] {api}");
        assert!(api["street_address"].is_null() && api["city"].is_null());

        // The reply letter, on screen and as PDF: through Skatteverket's forwarding.
        let (status, letter) = body(&coordinator, &format!("/remisser/{referral}/svar/1")).await;
        assert_eq!(status, StatusCode::OK, "[{b}] letter");
        assert_hidden(b, "the letter", &letter);
        assert!(
            letter.contains("Skatteverkets postförmedling")
                && letter.contains("Box 2820")
                && letter.contains(&support::test_identity(761).to_string()),
            "[{b}] the letter goes through the forwarding"
        );
        let pdf = coordinator
            .get(&format!("/remisser/{referral}/svar/1/brev.pdf"))
            .await
            .bytes()
            .await
            .unwrap();
        let text = pdf_text(&pdf);
        assert_hidden(b, "the letter PDF", &text);
        assert!(text.contains("postförmedling"), "[{b}] PDF: {text}");
        assert!(
            !text.contains("Box 2820"),
            "[{b}] the note to the sender stays off the letter"
        );

        // An edit that never showed the address keeps it: lift the protection and it is back.
        let pnr = support::test_identity(761).to_string();
        let mut fields = vec![
            ("personal_identity", pnr.as_str()),
            ("given_name", "Skydda"),
            ("family_name", "Personsdotter761"),
            ("phone", "0707654321"),
            ("protected_identity", "on"),
            ("reason", "Nytt telefonnummer"),
            ("version", "1"),
        ];
        let res = coordinator
            .post(&format!("/patienter/{patient}/andra"), &fields)
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] edited");
        let (_, overview) = body(&coordinator, &format!("/patienter/{patient}")).await;
        assert_hidden(b, "the overview after an edit", &overview);
        fields.retain(|(k, _)| *k != "protected_identity");
        fields.retain(|(k, _)| *k != "version" && *k != "reason");
        fields.push(("version", "2"));
        fields.push(("reason", "Skyddet har upphört enligt Skatteverket"));
        let res = coordinator
            .post(&format!("/patienter/{patient}/andra"), &fields)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "[{b}] protection lifted"
        );
        let (_, overview) = body(&coordinator, &format!("/patienter/{patient}")).await;
        assert!(
            overview.contains(STREET),
            "[{b}] the address was kept, not erased"
        );

        // Every entry about the patient while protected is flagged, whatever the basis:
        // created, listed in the inbox, read as a referral, decided, letters, edits.
        let log = support::patient_log(&s, patient).await;
        let lifted = log
            .iter()
            .find(|e| e.detail.as_deref() == Some("version 3"))
            .map(|e| e.id)
            .expect("the lifting edit is logged");
        let while_protected: Vec<_> = log.iter().filter(|e| e.id < lifted).collect();
        assert!(
            while_protected.len() >= 8,
            "[{b}] {} entries",
            while_protected.len()
        );
        for e in &while_protected {
            assert!(
                e.flagged,
                "[{b}] unflagged: {} {} {:?}",
                e.action, e.resource, e.basis
            );
        }
        for resource in ["patient.referral.letter", "patient.identity.edit"] {
            assert!(
                while_protected.iter().any(|e| e.resource == resource),
                "[{b}] {resource} logged"
            );
        }

        // The API: a read written back as a client would (the address it was given, or
        // none while it is withheld) keeps the address too.
        let api: serde_json::Value = coordinator
            .get(&format!("/api/v1/patients/{patient}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            api["street_address"], STREET,
            "[{b}] shown once unprotected"
        );
        let res = coordinator
            .send_json(
                Method::PUT,
                &format!("/api/v1/patients/{patient}"),
                &serde_json::json!({
                    "personal_identity": pnr, "given_name": "Skydda", "family_name": "Personsdotter761",
                    "street_address": api["street_address"], "postal_code": api["postal_code"], "city": api["city"],
                    "protected_identity": true, "reason": "Skyddad igen", "version": 3
                }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}] protected again");
        let res = coordinator
            .send_json(
                Method::PUT,
                &format!("/api/v1/patients/{patient}"),
                &serde_json::json!({
                    "personal_identity": pnr, "given_name": "Skydda", "family_name": "Personsdotter761",
                    "phone": "0700000000", "protected_identity": false, "reason": "Skyddet upphört", "version": 4
                }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}] lifted through the API");
        let api: serde_json::Value = coordinator
            .get(&format!("/api/v1/patients/{patient}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(api["street_address"], STREET, "[{b}] kept across API edits");
    }
}
