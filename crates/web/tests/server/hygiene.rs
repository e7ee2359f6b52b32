//! What users type, and what the log says about it, over HTTP on both databases: text
//! of nothing visible is empty, control characters never reach a record, a name typed as
//! a spreadsheet formula is neutralised in every CSV, a failed sign-in in the same second
//! as a success still counts, and files that leave Trappa are logged as exports.

use crate::support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{patient_with_team, servers};

#[tokio::test]
async fn invisible_text_is_empty_and_control_characters_never_reach_a_record() {
    for s in servers().await {
        let b = s.backend;
        let stranger = patient_with_team(&s, 860, &["sjukskoterska"]).await;
        let nurse2 = s.login("sjukskoterska2").await;
        // An emergency reason of zero-width spaces is no reason.
        let res = nurse2
            .post(
                &format!("/patienter/{stranger}/nodatkomst"),
                &[("reason", &"\u{200B}".repeat(20))],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] invisible reason"
        );
        let res = nurse2
            .post(
                &format!("/patienter/{stranger}/nodatkomst"),
                &[(
                    "reason",
                    "k\u{200B}\u{200B}o\u{2060}\u{2060}r\u{200D}\u{200D}t",
                )],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] four visible letters"
        );

        // A patient named with invisible characters only is refused, field by field.
        let nurse = s.login("sjukskoterska").await;
        let pnr = support::test_identity(861).to_string();
        let res = nurse
            .post(
                "/patienter",
                &[
                    ("personal_identity", pnr.as_str()),
                    ("given_name", "\u{200B}\u{200C}"),
                    ("family_name", "\u{3164}"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("href=\"#given_name\"") && html.contains("href=\"#family_name\""),
            "[{b}] both names marked"
        );

        // NUL and escape sequences in a note never reach the journal; the rest is kept.
        let res = nurse
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{stranger}/journal"),
                &json!({ "kind": "note", "fields": { "note": "Samtal\u{0} om\u{1b}[31m sömn\u{202E}." } }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "[{b}]");
        let journal: serde_json::Value = nurse
            .get(&format!("/api/v1/patients/{stranger}/journal"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            journal["notes"][0]["fields"]["note"], "Samtal om[31m sömn.",
            "[{b}]"
        );
        // A note of nothing visible is refused like an empty one.
        let res = nurse
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{stranger}/journal"),
                &json!({ "kind": "note", "fields": { "note": "\u{200B}\u{FEFF} \u{0}" } }),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] an invisible note"
        );
    }
}

#[tokio::test]
async fn csv_extracts_never_carry_a_formula() {
    for s in servers().await {
        let b = s.backend;
        // An administrator names a colleague as a formula; she reads a patient.
        let admin = s.login("admin").await;
        let a = s
            .store
            .credentials("kurator")
            .await
            .unwrap()
            .unwrap()
            .account;
        let version = a.version.to_string();
        let unit = a.unit_id.map(|u| u.to_string()).unwrap_or_default();
        let res = admin
            .post(
                &format!("/admin/personal/{}", a.id),
                &[
                    ("display_name", "=HYPERLINK(\"http://evil.example\",\"x\")"),
                    ("profession", "Kurator"),
                    ("hsa_id", a.hsa_id.as_deref().unwrap_or("")),
                    ("unit_id", unit.as_str()),
                    ("active", "on"),
                    ("password", ""),
                    ("version", version.as_str()),
                    ("role", "psychologist"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] renamed");
        let patient = patient_with_team(&s, 862, &["kurator"]).await;
        let kurator = s.login("kurator").await;
        assert_eq!(
            kurator.get(&format!("/patienter/{patient}")).await.status(),
            StatusCode::OK
        );
        let auditor = s.login("granskare").await;
        let csv = auditor
            .get(&format!("/granskning/patienter/{patient}/logg.csv"))
            .await
            .text()
            .await
            .unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let mut seen = false;
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@']),
                    "[{b}] a cell a spreadsheet would run: {cell}"
                );
                seen |= cell.starts_with("'=HYPERLINK");
            }
        }
        assert!(seen, "[{b}] the name is there, neutralised");
    }
}

#[tokio::test]
async fn a_failure_in_the_second_of_a_success_counts() {
    for s in servers().await {
        let b = s.backend;
        let c = s.anonymous();
        assert_eq!(
            c.sign_in("fysioterapeut", trappa_data::demo::DEMO_PASSWORD)
                .await
                .status(),
            StatusCode::SEE_OTHER,
            "[{b}]"
        );
        for _ in 0..5 {
            let res = s.anonymous().sign_in("fysioterapeut", "fel lösenord").await;
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "[{b}]");
        }
        let res = s
            .anonymous()
            .sign_in("fysioterapeut", trappa_data::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "[{b}] throttled"
        );
        assert_eq!(res.headers()["retry-after"], "900", "[{b}]");
    }
}

#[tokio::test]
async fn files_that_leave_trappa_are_logged_as_exports() {
    for s in servers().await {
        let b = s.backend;
        let patient = patient_with_team(&s, 863, &["sjukskoterska", "lakare"]).await;
        let physician = s.login("lakare").await;
        let plan = json!({
            "version": 0, "reason": "Start",
            "request": { "regimen": { "drugs": [ { "substance": "oxazepam", "doses": [10, 10, 0, 25] } ] }, "start": "2026-12-01" }
        });
        let res = physician
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{patient}/taper-plan"),
                &plan,
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "[{b}] drafted");
        let shown: serde_json::Value = physician
            .get(&format!("/api/v1/patients/{patient}/taper-plan"))
            .await
            .json()
            .await
            .unwrap();
        let res = physician
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{patient}/taper-plan/sign"),
                &json!({ "version": 1, "reason": "Genomgången", "reports_seen": shown["reports_seen"] }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}] signed");
        for (file, resource) in [
            ("plan.pdf", "patient.taper_plan.pdf"),
            ("plan.ics", "patient.taper_plan.ics"),
        ] {
            let res = physician
                .get(&format!("/patienter/{patient}/plan/{file}"))
                .await;
            assert_eq!(res.status(), StatusCode::OK, "[{b}] {file}");
            let e = support::patient_log(&s, patient)
                .await
                .into_iter()
                .find(|e| e.resource == resource)
                .unwrap();
            assert_eq!(e.action, "export", "[{b}] {file}");
        }
    }
}

/// A write through the API is one entry in the log — the access and the change in one,
/// committed with the change; a write refused for its input still leaves its access, as a
/// read.
#[tokio::test]
async fn a_write_is_logged_once() {
    for s in servers().await {
        let b = s.backend;
        let patient = patient_with_team(&s, 864, &["sjukskoterska"]).await;
        let nurse = s.login("sjukskoterska").await;
        let entries_of = |res: &reqwest::Response| {
            let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
            let s = &s;
            async move {
                support::patient_log(s, patient)
                    .await
                    .into_iter()
                    .filter(|e| e.request_id == id)
                    .collect::<Vec<_>>()
            }
        };
        let res = nurse
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{patient}/journal"),
                &json!({ "kind": "note", "fields": { "note": "Telefonsamtal." } }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "[{b}]");
        let logged = entries_of(&res).await;
        assert_eq!(logged.len(), 1, "[{b}] one entry: {logged:?}");
        assert_eq!(
            (logged[0].action.as_str(), logged[0].basis.as_deref()),
            ("create", Some("care_team"))
        );
        // Refused for its input: nothing written, the access still logged once — as
        // the read it was, not as a create that never happened.
        let res = nurse
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{patient}/journal"),
                &json!({ "kind": "note", "fields": { "note": "" } }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let logged = entries_of(&res).await;
        assert_eq!(logged.len(), 1, "[{b}] the refused write's access");
        assert_eq!(logged[0].action, "read", "[{b}] nothing was created");
        // The page's form post likewise.
        let pnr = support::test_identity(864).to_string();
        let res = nurse
            .post(
                &format!("/patienter/{patient}/andra"),
                &[
                    ("personal_identity", pnr.as_str()),
                    ("given_name", "Testa"),
                    ("family_name", "Testsson864"),
                    ("reason", "Stavning"),
                    ("version", "1"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        assert_eq!(
            entries_of(&res).await.len(),
            1,
            "[{b}] one entry for an edit"
        );
    }
}
