//! Standing cases the route × role matrix cannot express: writes that widen who may
//! open a record (care-team changes, referral decisions) need a standing of their own —
//! never an emergency access, never oneself on the coordinating role alone; the triage
//! basis ends with triage; and the separation of duties around roles. Both databases.

use crate::support;

use reqwest::{Method, StatusCode};
use support::{Client, TestServer, is_login_redirect, patient_with_team, servers};
use trappa_policy::Role;
use trappa_store::Uuid;
use trappa_store::access_log::LogQuery;

/// The newest entry about `patient` for `resource`.
async fn last_entry(
    s: &TestServer,
    patient: Uuid,
    resource: &str,
) -> trappa_store::access_log::Entry {
    support::patient_log(s, patient)
        .await
        .into_iter()
        .find(|e| e.resource == resource)
        .unwrap_or_else(|| panic!("no {resource} entry"))
}

/// Writes that widen who may open a record need a standing of their own: never an
/// emergency access, never one's own account on the coordinating role alone; a
/// referral is decided only in triage, and the triage basis ends with triage.
///
/// Long by design: a journey whose every step reads what the steps before it left, so it is
/// kept as one story told in order.
#[tokio::test]
async fn access_widening_needs_a_standing_of_its_own() {
    use serde_json::json;
    for s in servers().await {
        let b = s.backend;
        let patient = patient_with_team(&s, 830, &["sjukskoterska"]).await;
        let coordinator = s.login("koordinator").await;
        let me = s.account_id("koordinator").await;
        let colleague = s.account_id("sjukskoterska2").await;

        // Under emergency access the coordinator reads, but cannot add himself.
        let res = coordinator
            .post(
                &format!("/patienter/{patient}/nodatkomst"),
                &[("reason", "Patienten ringer akut, teamet kan inte nås")],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "[{b}] emergency access"
        );
        let overview = coordinator.get(&format!("/patienter/{patient}")).await;
        assert_eq!(overview.status(), StatusCode::OK, "[{b}]");
        assert!(
            !overview.text().await.unwrap().contains("/vardteam\""),
            "[{b}] no care-team form under emergency access"
        );
        let res = coordinator
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{patient}/care-team"),
                &json!({ "account_id": me, "function": "other" }),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "[{b}] self-add refused"
        );
        let problem: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            problem["type"], "urn:trappa:problem:refused",
            "[{b}] {problem}"
        );
        let e = last_entry(&s, patient, "patient.care_team").await;
        assert!(
            e.outcome == "denied" && e.flagged,
            "[{b}] the attempt is flagged"
        );
        let res = coordinator
            .post(
                &format!("/patienter/{patient}/vardteam"),
                &[("account_id", &me.to_string()), ("function", "other")],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "[{b}] nor through the page"
        );
        let member = {
            let team: serde_json::Value = coordinator
                .get(&format!("/api/v1/patients/{patient}/care-team"))
                .await
                .json()
                .await
                .unwrap();
            team["care_team"][0]["id"].as_str().unwrap().to_owned()
        };
        let res = coordinator
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{patient}/care-team/{member}/hand-over"),
                &json!({ "account_id": me }),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "[{b}] nor a hand-over to himself"
        );
        // Staffing the team with a colleague is the coordinating role's, not the
        // emergency access's: allowed, on that basis, flagged for review.
        let res = coordinator
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{patient}/care-team"),
                &json!({ "account_id": colleague, "function": "other" }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "[{b}] a colleague added");
        let e = last_entry(&s, patient, "patient.care_team").await;
        assert_eq!(e.basis.as_deref(), Some("coordination"), "[{b}]");
        assert!(e.flagged && e.emergency_access_id.is_none(), "[{b}]");

        // When the emergency access has expired he reads nothing: he never joined.
        let other = patient_with_team(&s, 831, &["sjukskoterska"]).await;
        let actor = trappa_store::access_log::Actor {
            account_id: Some(me),
            username: "koordinator".into(),
            role: Some("coordinator".into()),
            unit_id: None,
            request_id: "test".into(),
            client_ip: None,
            new_role: false,
        };
        s.store
            .open_emergency_access(
                me,
                other,
                "coordinator",
                "Gammal nödåtkomst som har gått ut",
                trappa_store::now() - jiff::SignedDuration::from_secs(1),
                &trappa_store::access_log::NewEntry::new(
                    &actor,
                    trappa_store::access_log::Action::EmergencyAccess,
                    "patient",
                ),
            )
            .await
            .unwrap();
        let res = coordinator.get(&format!("/api/v1/patients/{other}")).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "[{b}] expired");
        let res = coordinator
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{other}/care-team"),
                &json!({ "account_id": me, "function": "other" }),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "[{b}] self-add after expiry"
        );

        // A referral: read on the triage basis while in triage, decided, then the triage
        // basis has ended — a physician outside the care team reads it no more, and
        // nobody decides it again (which would put the patient back in a queue).
        let (referral, referred) = support::referral_from(&s, 832, "remittent").await;
        let physician = s.login("lakare").await;
        let res = physician
            .get(&format!("/api/v1/referrals/{referral}"))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}] in triage");
        assert_eq!(
            last_entry(&s, referred, "patient.referral")
                .await
                .basis
                .as_deref(),
            Some("triage")
        );
        let res = coordinator
            .send_json(
                Method::POST,
                &format!("/api/v1/referrals/{referral}/decision"),
                &json!({ "expected": 0, "decision": "accept", "reply": "Välkommen." }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "[{b}] accepted");
        let res = physician
            .get(&format!("/api/v1/referrals/{referral}"))
            .await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "[{b}] triage has ended"
        );
        let problem: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            problem["type"],
            "urn:trappa:problem:emergency-access-required"
        );
        let res = physician.get(&format!("/remisser/{referral}/svar/1")).await;
        assert_eq!(
            res.headers()["location"],
            format!("/patienter/{referred}/nodatkomst").as_str(),
            "[{b}] the letter too"
        );
        let e = last_entry(&s, referred, "patient.referral.letter").await;
        assert_eq!(e.outcome, "denied", "[{b}]");
        // The coordinator handles the waiting list: he still reads it, on that basis.
        let res = coordinator
            .get(&format!("/api/v1/referrals/{referral}"))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}] waiting list");
        assert_eq!(
            last_entry(&s, referred, "patient.referral")
                .await
                .basis
                .as_deref(),
            Some("queue")
        );
        let res = coordinator
            .send_json(
                Method::POST,
                &format!("/api/v1/referrals/{referral}/decision"),
                &json!({ "expected": 1, "decision": "complement", "reply": "Mer, tack." }),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "[{b}] not decided twice"
        );
        let waiting: serde_json::Value = coordinator
            .get("/api/v1/waiting-list")
            .await
            .json()
            .await
            .unwrap();
        assert!(
            waiting.to_string().contains(&referred.to_string()),
            "[{b}] still waiting, not back in triage"
        );

        // A triage that ended without care: the unit still prints its letter.
        let (declined, _) = support::referral_from(&s, 833, "remittent").await;
        let res = coordinator
            .send_json(
                Method::POST,
                &format!("/api/v1/referrals/{declined}/decision"),
                &json!({ "expected": 0, "decision": "decline", "reply": "Vi kan inte ta emot." }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::CREATED, "[{b}] declined");
        let res = physician.get(&format!("/remisser/{declined}/svar/1")).await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "[{b}] the letter of a declined referral"
        );
    }
}

/// The form an administrator posts to change `username`'s roles (other fields as they are).
async fn staff_form(
    s: &TestServer,
    username: &str,
    roles: &[&str],
) -> (String, Vec<(String, String)>) {
    let a = s
        .store
        .credentials(username)
        .await
        .unwrap()
        .unwrap()
        .account;
    let mut fields = vec![
        ("display_name".to_owned(), a.display_name.clone()),
        (
            "profession".to_owned(),
            a.profession.clone().unwrap_or_default(),
        ),
        ("hsa_id".to_owned(), a.hsa_id.clone().unwrap_or_default()),
        (
            "unit_id".to_owned(),
            a.unit_id.map(|u| u.to_string()).unwrap_or_default(),
        ),
        ("active".to_owned(), "on".to_owned()),
        ("password".to_owned(), String::new()),
        ("version".to_owned(), a.version.to_string()),
    ];
    fields.extend(roles.iter().map(|r| ("role".to_owned(), (*r).to_owned())));
    (format!("/admin/personal/{}", a.id), fields)
}

async fn post_owned(c: &Client, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    c.post(path, &borrowed).await
}

/// Separation of duties: no account changes its own roles; every role change is
/// recorded with who made it and reviewed by the auditor; the first day in a newly
/// granted role is flagged; a role taken away ends the sessions acting in it; role
/// switches are logged.
#[tokio::test]
async fn roles_are_never_ones_own_and_every_change_is_reviewed() {
    for s in servers().await {
        let b = s.backend;
        let admin = s.login("admin").await;
        let (path, fields) = staff_form(&s, "admin", &["admin", "physician"]).await;
        let res = post_owned(&admin, &path, &fields).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "[{b}] own roles");
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("Du kan inte ändra dina egna roller")
        );
        let own = s.store.credentials("admin").await.unwrap().unwrap().account;
        assert_eq!(own.roles, vec![Role::Admin], "[{b}] unchanged");
        let page = admin.get(&path).await.text().await.unwrap();
        assert!(page.contains("id=\"own-roles\""), "[{b}] the form says why");
        // Other fields of one's own account still save (the roles are sent back as they are).
        let (path, mut fields) = staff_form(&s, "admin", &["admin"]).await;
        fields[1].1 = "IT-drift".to_owned();
        assert_eq!(
            post_owned(&admin, &path, &fields).await.status(),
            StatusCode::SEE_OTHER
        );

        // Another account's clinical role: recorded, and its first day flagged.
        let (path, fields) = staff_form(&s, "sjukskoterska2", &["nurse", "physician"]).await;
        assert_eq!(
            post_owned(&admin, &path, &fields).await.status(),
            StatusCode::SEE_OTHER
        );
        let pending = s.store.role_changes(true, 10).await.unwrap();
        assert!(
            pending.iter().any(|c| c.username == "sjukskoterska2"
                && c.role == Role::Physician
                && c.changed_by_name.is_some()),
            "[{b}] the grant awaits review"
        );
        let doctor = s.login("sjukskoterska2").await;
        let res = doctor.post("/roll", &[("role", "physician")]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] switched");
        let (_, referred) = support::referral_from(&s, 840, "remittent").await;
        let res = doctor.get(&format!("/patienter/{referred}/remiss")).await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "[{b}] the new physician triages"
        );
        let e = last_entry(&s, referred, "patient.referral").await;
        assert!(
            e.flagged && e.role.as_deref() == Some("physician"),
            "[{b}] first use flagged"
        );
        let me = s.account_id("sjukskoterska2").await;
        let log = s
            .store
            .search_access_log(&LogQuery {
                account_id: Some(me),
                limit: 50,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == "role_switch" && e.outcome == "allowed"),
            "[{b}] the switch is logged"
        );
        let res = doctor.post("/roll", &[("role", "admin")]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "[{b}] a role not held");

        // The auditor sees it on the start page and signs it off, once.
        let auditor = s.login("granskare").await;
        let start = auditor.get("/start").await.text().await.unwrap();
        assert!(
            start.contains("rolländringar väntar på granskning"),
            "[{b}]"
        );
        let list = auditor
            .get("/granskning/roller")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            list.contains("sjukskoterska2") && list.contains("fick rollen"),
            "[{b}]"
        );
        let change = pending
            .iter()
            .find(|c| c.username == "sjukskoterska2")
            .unwrap()
            .id;
        let review = format!("/granskning/roller/{change}");
        let res = auditor
            .post(&review, &[("note", "Beslut om läkaruppdrag finns")])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] reviewed");
        let res = auditor.post(&review, &[("note", "Igen")]).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "[{b}] once");

        // Taken away again: the session acting in it ends at once.
        let (path, fields) = staff_form(&s, "sjukskoterska2", &["nurse"]).await;
        assert_eq!(
            post_owned(&admin, &path, &fields).await.status(),
            StatusCode::SEE_OTHER
        );
        assert!(
            is_login_redirect(&doctor.get("/start").await),
            "[{b}] signed out"
        );
        assert!(
            s.store
                .role_changes(true, 10)
                .await
                .unwrap()
                .iter()
                .any(|c| c.username == "sjukskoterska2"
                    && c.change == trappa_store::role_changes::Change::Revoked),
            "[{b}] the revocation is recorded"
        );
    }
}
