//! The authorisation matrix — every route × every role (and no one signed in) — and
//! the access-log completeness check over every route that touches patient data.
//!
//! The expected gates below are written out by hand from the role list, not
//! derived from the policy crate, so the test can disagree with the code. Every route
//! the router has must appear here: a new route without a row fails the test.

use crate::support;

use reqwest::{Method, StatusCode};
use support::{Client, TestServer, is_login_redirect, patient_with_team, servers};
use trappa_policy::{Needs, Role};
use trappa_store::Uuid;
use trappa_store::access_log::LogQuery;
use trappa_web::{RouteSpec, Touches, route_specs};

/// Who may pass a route's gate.
#[derive(Debug, Clone, Copy)]
enum Gate {
    /// Everyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// Only a session still owing its second factor (everyone else is sent to sign in).
    SecondFactorPending,
    /// These roles only.
    Roles(&'static [Role]),
}

const CLINICAL: &[Role] = &[
    Role::Nurse,
    Role::Physician,
    Role::Psychologist,
    Role::Physiotherapist,
    Role::Coordinator,
    Role::UnitManager,
];
const TEAM_MANAGERS: &[Role] = &[Role::Coordinator, Role::UnitManager];
const AUDITOR: &[Role] = &[Role::Auditor];
const AGGREGATES: &[Role] = &[Role::Analyst, Role::UnitManager];
const ADMIN: &[Role] = &[Role::Admin];
const PATIENT: &[Role] = &[Role::Patient];
/// Partners' staff.
const PARTNER: &[Role] = &[Role::Partner];
/// Both sides of a SIP: the care team's roles first, then partners' staff.
const SIP_EITHER: &[Role] = &[
    Role::Nurse,
    Role::Physician,
    Role::Psychologist,
    Role::Physiotherapist,
    Role::Coordinator,
    Role::UnitManager,
    Role::Partner,
];
/// Who plans tapers: the prescriber and the nurses.
const TAPER_PLANNERS: &[Role] = &[Role::Nurse, Role::Physician];
/// Who sends referrals, then who triages them.
const REFERRAL_LIST: &[Role] = &[
    Role::ExternalReferrer,
    Role::Physician,
    Role::Coordinator,
    Role::UnitManager,
];
const REFERRERS: &[Role] = &[Role::ExternalReferrer];
const TRIAGE: &[Role] = &[Role::Coordinator, Role::Physician, Role::UnitManager];
/// Who signs a patient's plan.
const PRESCRIBER: &[Role] = &[Role::Physician];
/// Who chooses the unit's products and default tables.
const TAPER_SETTINGS: &[Role] = &[Role::Physician, Role::UnitManager];
/// Who reads the reference data: both of the above.
const REFERENCE_READERS: &[Role] = &[Role::Nurse, Role::Physician, Role::UnitManager];

/// Who may pass each route's gate, written out by hand. Long by design: the table
/// itself, one arm per group of routes.
fn expected(method: &Method, path: &str) -> Gate {
    use Gate::*;
    match (method.as_str(), path) {
        (
            "GET",
            "/" | "/logga-in" | "/healthz" | "/readyz" | "/metrics" | "/static/{file}"
            | "/api/openapi.json",
        ) => Public,
        ("POST", "/logga-in" | "/logga-ut" | "/sprak") => Public,
        // The identity providers' doors and their answer: anyone, as the sign-in page.
        ("GET", "/logga-in/oidc/{door}" | "/logga-in/oidc/svar") => Public,
        // A calendar app's read: the token in the address is the credential.
        ("GET", "/kalender/{token}/trappa.ics") => Public,
        ("GET", "/logga-in/totp") => SignedIn,
        ("POST", "/logga-in/totp") => SecondFactorPending,
        ("GET", "/start" | "/konto" | "/api/v1/me" | "/api/v1/units") => SignedIn,
        (
            "POST",
            "/roll" | "/konto/losenord" | "/konto/totp/ny" | "/konto/totp" | "/konto/totp/av",
        ) => SignedIn,
        (
            "GET",
            "/patienter"
            | "/patienter/ny"
            | "/patienter/{id}"
            | "/patienter/{id}/andra"
            | "/patienter/{id}/historik",
        ) => Roles(CLINICAL),
        ("POST", "/patienter" | "/patienter/{id}/andra") => Roles(CLINICAL),
        ("GET" | "POST", "/patienter/{id}/nodatkomst") => Roles(CLINICAL),
        ("POST", "/patienter/{id}/vardteam" | "/patienter/{id}/vardteam/{member}/avsluta") => {
            Roles(TEAM_MANAGERS)
        }
        ("GET", "/granskning/logg" | "/granskning/nodatkomst" | "/granskning/roller") => {
            Roles(AUDITOR)
        }
        ("POST", "/granskning/nodatkomst/{id}" | "/granskning/roller/{id}") => Roles(AUDITOR),
        ("GET", "/granskning/patienter/{id}/logg.csv" | "/granskning/patienter/{id}/logg.pdf") => {
            Roles(AUDITOR)
        }
        ("GET", "/mina-sidor/logg" | "/mina-sidor/logg.csv" | "/mina-sidor/logg.pdf") => {
            Roles(PATIENT)
        }
        // The patient's own plan: the signed one, on screen and as the handout.
        (
            "GET",
            "/mina-sidor/plan"
            | "/mina-sidor/plan/patientinformation"
            | "/mina-sidor/plan/plan.pdf",
        ) => Roles(PATIENT),
        ("GET", "/admin/personal" | "/admin/personal/ny" | "/admin/personal/{id}") => Roles(ADMIN),
        ("POST", "/admin/personal" | "/admin/personal/{id}" | "/admin/personal/{id}/las-upp") => {
            Roles(ADMIN)
        }
        ("GET" | "POST", "/api/v1/patients") => Roles(CLINICAL),
        ("GET" | "PUT", "/api/v1/patients/{id}") => Roles(CLINICAL),
        ("GET", "/api/v1/patients/{id}/history") => Roles(CLINICAL),
        ("GET", "/api/v1/patients/{id}/taper-plan" | "/api/v1/patients/{id}/scores") => {
            Roles(CLINICAL)
        }
        ("POST", "/api/v1/patients/{id}/scores") => Roles(CLINICAL),
        ("POST", "/api/v1/patients/{id}/taper-plan") => Roles(TAPER_PLANNERS),
        (
            "POST",
            "/api/v1/patients/{id}/taper-plan/sign" | "/api/v1/patients/{id}/taper-plan/adopt",
        ) => Roles(PRESCRIBER),
        ("GET", "/api/v1/patients/{id}/taper-plan/proposal") => Roles(CLINICAL),
        ("GET", "/api/v1/access-log") => Roles(AUDITOR),
        (
            "GET",
            "/nedtrappning"
            | "/nedtrappning/patientinformation"
            | "/nedtrappning/plan.pdf"
            | "/nedtrappning/plan.ics"
            | "/api/v1/taper/reference",
        ) => Roles(TAPER_PLANNERS),
        ("POST", "/api/v1/taper/plans" | "/api/v1/taper/proposals") => Roles(TAPER_PLANNERS),
        ("GET", "/referensdata") => Roles(REFERENCE_READERS),
        ("GET", "/remisser") => Roles(REFERRAL_LIST),
        ("GET", "/remisser/ny") | ("POST", "/remisser") => Roles(REFERRERS),
        (
            "GET",
            "/remisser/{id}" | "/remisser/{id}/svar/{seq}" | "/remisser/{id}/svar/{seq}/brev.pdf",
        ) => Roles(REFERRAL_LIST),
        ("POST", "/remisser/{id}/komplettering") => Roles(REFERRERS),
        ("GET", "/vantelista" | "/api/v1/waiting-list") => Roles(TEAM_MANAGERS),
        // The board's follow-up: aggregates only, for the analyst and the unit manager.
        ("GET", "/rapport" | "/rapport.csv" | "/rapport.pdf" | "/behov") => Roles(AGGREGATES),
        // Trip planning: the coordinator and the unit manager.
        (
            "GET",
            "/planering"
            | "/planering/dag"
            | "/planering/kalender"
            | "/planering/tillganglighet"
            | "/planering/forslag"
            | "/planering/forslag/{id}",
        ) => Roles(TEAM_MANAGERS),
        (
            "POST",
            "/planering/planera"
            | "/planering/spara"
            | "/planering/fast"
            | "/planering/flytta"
            | "/planering/besok"
            | "/planering/tillganglighet"
            | "/planering/forslag/{id}/stoppa",
        ) => Roles(TEAM_MANAGERS),
        ("GET", "/patienter/{id}/besok.ics") => Roles(CLINICAL),
        ("POST", "/api/v1/referrals" | "/api/v1/referrals/{id}/complement") => Roles(REFERRERS),
        ("GET", "/api/v1/referrals" | "/api/v1/referrals/{id}") => Roles(REFERRAL_LIST),
        ("POST", "/api/v1/referrals/{id}/decision") => Roles(TRIAGE),
        (
            "GET",
            "/api/v1/patients/{id}/appointments"
            | "/api/v1/patients/{id}/journal"
            | "/api/v1/patients/{id}/path"
            | "/api/v1/patients/{id}/care-team",
        ) => Roles(CLINICAL),
        (
            "POST",
            "/api/v1/patients/{id}/care-team"
            | "/api/v1/patients/{id}/care-team/{member}/hand-over",
        ) => Roles(TEAM_MANAGERS),
        (
            "POST",
            "/api/v1/patients/{id}/appointments"
            | "/api/v1/patients/{id}/appointments/{appointment}"
            | "/api/v1/patients/{id}/journal"
            | "/api/v1/patients/{id}/journal/{note}"
            | "/api/v1/patients/{id}/path",
        ) => Roles(CLINICAL),
        (
            "GET",
            "/patienter/{id}/besok"
            | "/patienter/{id}/journal"
            | "/patienter/{id}/journal/{note}"
            | "/patienter/{id}/eftervard",
        ) => Roles(CLINICAL),
        ("GET", "/patienter/{id}/journal/ny" | "/patienter/{id}/journal/{note}/rattelse") => {
            Roles(CLINICAL)
        }
        (
            "POST",
            "/patienter/{id}/besok"
            | "/patienter/{id}/besok/{appointment}"
            | "/patienter/{id}/journal"
            | "/patienter/{id}/journal/{note}/rattelse"
            | "/patienter/{id}/eftervard",
        ) => Roles(CLINICAL),
        ("POST", "/patienter/{id}/vardteam/{member}/overlamna") => Roles(TEAM_MANAGERS),
        // The coordinator answers a patient's wish to move or cancel a visit.
        ("POST", "/patienter/{id}/besok/onskemal/{request}") => Roles(TEAM_MANAGERS),
        ("GET", "/besok/onskemal") => Roles(TEAM_MANAGERS),
        ("GET" | "POST", "/egenremiss") => Public,
        ("GET", "/patienter/{id}/remiss")
        | ("POST", "/patienter/{id}/remiss/beslut" | "/patienter/{id}/remiss/komplettering") => {
            Roles(TRIAGE)
        }
        ("POST", "/referensdata") => Roles(TAPER_SETTINGS),
        (
            "GET",
            "/patienter/{id}/plan"
            | "/patienter/{id}/plan/patientinformation"
            | "/patienter/{id}/plan/plan.pdf"
            | "/patienter/{id}/plan/plan.ics"
            | "/patienter/{id}/plan/jamfor"
            | "/patienter/{id}/skattningar"
            | "/patienter/{id}/skattningar/ny"
            | "/patienter/{id}/dagbok"
            | "/patienter/{id}/meddelanden"
            | "/patienter/{id}/meddelanden/{thread}"
            | "/meddelanden",
        ) => Roles(CLINICAL),
        (
            "POST",
            "/patienter/{id}/skattningar"
            | "/patienter/{id}/skattningar/tilldelning"
            | "/patienter/{id}/skattningar/tilldelning/{assignment}/avsluta"
            | "/patienter/{id}/dagbok/last"
            | "/patienter/{id}/meddelanden"
            | "/patienter/{id}/meddelanden/{thread}",
        ) => Roles(CLINICAL),
        // The patient's own reports: read and written only by the patient.
        (
            "GET",
            "/mina-sidor"
            | "/mina-sidor/dagbok"
            | "/mina-sidor/skattningar"
            | "/mina-sidor/skattningar/{instrument}"
            | "/mina-sidor/hjalp"
            | "/mina-sidor/meddelanden"
            | "/mina-sidor/meddelanden/{thread}"
            | "/mina-sidor/besok"
            | "/mina-sidor/aviseringar"
            | "/mina-sidor/journal"
            | "/mina-sidor/samtycken",
        ) => Roles(PATIENT),
        // The head of the unit decides what the patients read of their record.
        ("GET" | "POST", "/enhet/journal-till-patienter") => Roles(&[Role::UnitManager]),
        (
            "POST",
            "/mina-sidor/dagbok"
            | "/mina-sidor/skattningar/{instrument}"
            | "/mina-sidor/meddelanden"
            | "/mina-sidor/meddelanden/{thread}"
            | "/mina-sidor/besok/{appointment}"
            | "/mina-sidor/plan/kalender"
            | "/mina-sidor/aviseringar"
            | "/mina-sidor/samtycken/{consent}/aterkalla",
        ) => Roles(PATIENT),
        // Working with partners: the care team (every clinical role) and partners'
        // staff read a SIP, sign it and report tasks; the care team alone starts and
        // changes plans, records and withdraws consents, and gives tasks.
        ("GET", "/samverkan") => Roles(PARTNER),
        ("GET", "/patienter/{id}/sip" | "/patienter/{id}/sip/{sip}/sip.pdf")
        | ("POST", "/patienter/{id}/sip/{sip}/signera" | "/patienter/{id}/sip/uppgifter/{task}") => {
            Roles(SIP_EITHER)
        }
        ("GET", "/patienter/{id}/sip/{sip}/andra")
        | (
            "POST",
            "/patienter/{id}/sip"
            | "/patienter/{id}/sip/samtycke"
            | "/patienter/{id}/sip/samtycke/{consent}/aterkalla"
            | "/patienter/{id}/sip/{sip}/andra"
            | "/patienter/{id}/sip/{sip}/uppgifter",
        ) => Roles(CLINICAL),
        ("GET", "/patienter/{id}/plan/ny") | ("POST", "/patienter/{id}/plan") => {
            Roles(TAPER_PLANNERS)
        }
        ("POST", "/patienter/{id}/plan/signera" | "/patienter/{id}/plan/forslag") => {
            Roles(PRESCRIBER)
        }
        (m, p) => panic!("route {m} {p} has no row in the authorisation matrix"),
    }
}

/// Whether `gate` lets a signed-in `role`, past its second factor, through.
fn expected_admits(gate: Gate, role: Role) -> bool {
    match gate {
        Gate::Public | Gate::SignedIn => true,
        Gate::SecondFactorPending => false,
        Gate::Roles(roles) => roles.contains(&role),
    }
}

/// Each route's row states what it needs of the caller, and that is the capability
/// its gate enforces: the roles the row admits are the roles this table expects, and
/// only a public route lets someone through who is not signed in.
#[test]
fn every_row_states_the_expected_capability() {
    let mut wrong = Vec::new();
    for spec in route_specs() {
        let gate = expected(&spec.method, spec.path);
        for role in Role::ALL {
            if spec.needs.admits(role) != expected_admits(gate, role) {
                wrong.push(format!(
                    "{} {}: the row ({:?}) and the matrix ({gate:?}) disagree for {role:?}",
                    spec.method, spec.path, spec.needs
                ));
            }
        }
        if (spec.needs == Needs::Anyone) != matches!(gate, Gate::Public) {
            wrong.push(format!(
                "{} {}: the row ({:?}) and the matrix ({gate:?}) disagree for no one signed in",
                spec.method, spec.path, spec.needs
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The demo user holding each role (the manager switches to that role after sign-in).
fn user_for(role: Role) -> &'static str {
    match role {
        Role::Nurse => "sjukskoterska",
        Role::Physician => "lakare",
        Role::Psychologist => "kurator",
        Role::Physiotherapist => "fysioterapeut",
        Role::Coordinator => "koordinator",
        Role::UnitManager => "chef",
        Role::Analyst => "analytiker",
        Role::Auditor => "granskare",
        Role::Admin => "admin",
        Role::ExternalReferrer => "remittent",
        Role::Patient => "patient",
        Role::Partner => "socialsekreterare",
    }
}

struct Fixture {
    patient: Uuid,
    referral: Uuid,
    referral_patient: Uuid,
    member: Uuid,
    emergency: Uuid,
    account: Uuid,
}

async fn fixture(s: &TestServer) -> Fixture {
    let clinical_users = [
        "sjukskoterska",
        "lakare",
        "kurator",
        "fysioterapeut",
        "koordinator",
        "chef",
    ];
    let patient = patient_with_team(s, 801, &clinical_users).await;
    let extra = s.account_id("sjukskoterska2").await;
    let author = s.account_id("koordinator").await;
    s.store
        .seed_care_team_member(
            patient,
            extra,
            trappa_store::care_team::TeamFunction::Other,
            author,
        )
        .await
        .unwrap();
    let member = {
        // The membership just added is the one routes may end.
        let actor = trappa_store::access_log::Actor {
            account_id: Some(author),
            username: "test".into(),
            role: None,
            unit_id: None,
            request_id: "t".into(),
            client_ip: None,
            new_role: false,
        };
        let grant = s
            .store
            .grant_patient_access(
                patient,
                // A member of the care team, as the policy answers one.
                match trappa_policy::decide_patient_access(trappa_policy::PatientAccessFacts {
                    role: trappa_policy::Role::Nurse,
                    in_care_team: true,
                    queue: None,
                    open_emergency_access: false,
                    is_self: false,
                }) {
                    trappa_policy::PatientAccessDecision::Allow(g) => g,
                    other => panic!("{other:?}"),
                },
                &trappa_store::access_log::NewEntry::new(
                    &actor,
                    trappa_store::access_log::Action::Read,
                    "test.fixture",
                ),
            )
            .await
            .unwrap();
        s.store
            .care_team(&grant)
            .await
            .unwrap()
            .into_iter()
            .find(|m| m.account_id == extra)
            .unwrap()
            .id
    };
    support::share_plan(s, patient, "sjukskoterska").await;
    let emergency = s.store.emergency_accesses(false, 10).await.unwrap()[0].id;
    let account = s.account_id("remittent").await;
    let (referral, referral_patient) = support::referral_from(s, 802, "remittent").await;
    Fixture {
        patient,
        referral,
        referral_patient,
        member,
        emergency,
        account,
    }
}

fn concrete(spec: &RouteSpec, f: &Fixture) -> String {
    let id = if spec.path.starts_with("/granskning/nodatkomst/") {
        f.emergency.to_string()
    } else if spec.path.starts_with("/granskning/roller/") {
        Uuid::nil().to_string()
    } else if spec.path.starts_with("/admin/") {
        f.account.to_string()
    } else if spec.path.starts_with("/remisser/{id}")
        || spec.path.starts_with("/api/v1/referrals/{id}")
    {
        f.referral.to_string()
    } else {
        f.patient.to_string()
    };
    spec.path
        .replace("{id}", &id)
        .replace("{member}", &f.member.to_string())
        .replace("{file}", "app.css")
        .replace("{seq}", "1")
        .replace("{appointment}", &Uuid::nil().to_string())
        .replace("{note}", &Uuid::nil().to_string())
        .replace("{assignment}", &Uuid::nil().to_string())
        .replace("{instrument}", "bwsq")
        .replace("{thread}", &Uuid::nil().to_string())
        .replace("{door}", "patient")
        .replace("{request}", &Uuid::nil().to_string())
        .replace("{token}", "x")
        .replace("{consent}", &Uuid::nil().to_string())
        .replace("{sip}", &Uuid::nil().to_string())
        .replace("{task}", &Uuid::nil().to_string())
}

/// A body each API write reads (its JSON parses), whose content the route then
/// refuses or stores harmlessly: the access decision and its log entry come first.
fn api_body(template: &str) -> serde_json::Value {
    use serde_json::json;
    let nil = Uuid::nil();
    match template {
        "/api/v1/patients/{id}/taper-plan" => json!({
            "version": 0, "reason": "",
            "request": { "regimen": { "drugs": [] }, "start": "2026-12-01" }
        }),
        "/api/v1/patients/{id}/taper-plan/sign" | "/api/v1/patients/{id}/taper-plan/adopt" => {
            json!({ "version": 0, "reason": "", "reports_seen": "-.-" })
        }
        "/api/v1/patients/{id}/scores" => json!({
            "instrument": "none", "observed_on": "2026-01-01",
            "answers": { "kind": "total", "total": 0 }
        }),
        "/api/v1/referrals/{id}/decision" => {
            json!({ "expected": -1, "decision": "none", "reply": "" })
        }
        "/api/v1/referrals/{id}/complement" => json!({ "expected": -1, "answer": "" }),
        "/api/v1/patients/{id}/care-team"
        | "/api/v1/patients/{id}/care-team/{member}/hand-over" => {
            json!({ "account_id": nil })
        }
        "/api/v1/patients/{id}/appointments" => json!({
            "kind": "none", "place": "none", "date": "", "time": "", "minutes": 0, "clinician": nil
        }),
        "/api/v1/patients/{id}/appointments/{appointment}" => {
            json!({ "version": -1, "status": "none", "reason": "" })
        }
        "/api/v1/patients/{id}/journal" => json!({ "fields": {} }),
        "/api/v1/patients/{id}/journal/{note}" => {
            json!({ "version": -1, "fields": {}, "reason": "" })
        }
        "/api/v1/patients/{id}/path" => json!({
            "kind": "relapse", "occurred_on": "2099-01-01", "substance": ""
        }),
        _ => json!({}),
    }
}

async fn call(c: &Client, spec: &RouteSpec, path: &str, role: Option<Role>) -> reqwest::Response {
    let is_api = path.starts_with("/api/");
    match spec.method.as_str() {
        "GET" => {
            let q = if spec.path == "/patienter" || spec.path == "/api/v1/patients" {
                "?q=Testsson801"
            } else {
                ""
            };
            c.get(&format!("{path}{q}")).await
        }
        _ if is_api => {
            c.send_json(spec.method.clone(), path, &api_body(spec.path))
                .await
        }
        _ => {
            let role_code = role.map(|r| r.code()).unwrap_or("");
            let fields: Vec<(&str, &str)> = match spec.path {
                "/roll" => vec![("role", role_code)],
                "/sprak" => vec![("lang", "sv"), ("next", "/start")],
                _ => vec![],
            };
            c.post(path, &fields).await
        }
    }
}

fn denied(res: &reqwest::Response) -> bool {
    res.status() == StatusCode::FORBIDDEN
}

fn unauthenticated(res: &reqwest::Response) -> bool {
    res.status() == StatusCode::UNAUTHORIZED || is_login_redirect(res)
}

async fn signed_in(s: &TestServer, role: Role) -> Client {
    let c = s.login(user_for(role)).await;
    if role == Role::UnitManager {
        let r = c.post("/roll", &[("role", "unit_manager")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let me: serde_json::Value = c.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["role"], "unit_manager");
    }
    c
}

#[tokio::test]
async fn every_route_for_every_role() {
    let specs = route_specs();
    for s in servers().await {
        let f = fixture(&s).await;
        let mut checked = 0;
        // No one signed in.
        let anon = s.anonymous();
        for spec in specs.iter().filter(|r| r.path != "/logga-ut") {
            let path = concrete(spec, &f);
            let res = call(&anon, spec, &path, None).await;
            assert!(
                !res.status().is_server_error(),
                "[{}] anonymous {} {path}: {}",
                s.backend,
                spec.method,
                res.status()
            );
            match expected(&spec.method, spec.path) {
                Gate::Public => assert!(
                    !denied(&res),
                    "[{}] anonymous {} {path} refused",
                    s.backend,
                    spec.method
                ),
                _ => assert!(
                    unauthenticated(&res),
                    "[{}] anonymous {} {path} not sent to sign in: {}",
                    s.backend,
                    spec.method,
                    res.status()
                ),
            }
            checked += 1;
        }
        for role in Role::ALL {
            let c = signed_in(&s, role).await;
            // Sign-out last, so the session lives through the walk.
            let mut ordered: Vec<&RouteSpec> = specs
                .iter()
                .filter(|r| r.path != "/logga-ut" && r.path != "/logga-in")
                .collect();
            ordered.extend(
                specs
                    .iter()
                    .filter(|r| r.path == "/logga-in" || r.path == "/logga-ut"),
            );
            for spec in ordered {
                let path = concrete(spec, &f);
                let res = call(&c, spec, &path, Some(role)).await;
                let status = res.status();
                assert!(
                    !status.is_server_error(),
                    "[{}] {role:?} {} {path}: {status}",
                    s.backend,
                    spec.method
                );
                match expected(&spec.method, spec.path) {
                    // Sign-in and sign-out answer with their own redirects and statuses.
                    Gate::Public => assert!(
                        !denied(&res),
                        "[{}] {role:?} {} {path} refused: {status}",
                        s.backend,
                        spec.method
                    ),
                    Gate::SignedIn => assert!(
                        !denied(&res) && !unauthenticated(&res),
                        "[{}] {role:?} {} {path} refused: {status}",
                        s.backend,
                        spec.method
                    ),
                    Gate::SecondFactorPending => assert!(
                        unauthenticated(&res),
                        "[{}] {role:?} {} {path}: {status}",
                        s.backend,
                        spec.method
                    ),
                    Gate::Roles(allowed) if allowed.contains(&role) => {
                        assert!(
                            !denied(&res) && !unauthenticated(&res),
                            "[{}] {role:?} should pass {} {path}: {status}",
                            s.backend,
                            spec.method
                        )
                    }
                    Gate::Roles(_) => assert!(
                        denied(&res),
                        "[{}] {role:?} should be refused {} {path}: {status}",
                        s.backend,
                        spec.method
                    ),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, (specs.len() - 1) + Role::ALL.len() * specs.len());
    }
}

/// Every route that touches patient data writes an access-log entry — found from the
/// route table, not listed handler by handler.
#[tokio::test]
async fn every_patient_data_route_writes_the_access_log() {
    let specs = route_specs();
    for s in servers().await {
        let f = fixture(&s).await;
        let own = support::patient_of_login(&s, "patient").await;
        let touching: Vec<&RouteSpec> = specs
            .iter()
            .filter(|r| r.touches != Touches::Nothing)
            .collect();
        assert!(
            touching.len() >= 15,
            "the table marks the patient-data routes"
        );
        // Any route with a patient id in its path must be marked as touching a patient.
        for spec in &specs {
            if spec.path.starts_with("/patienter/{id}")
                || spec.path.starts_with("/api/v1/patients/{id}")
                || spec.path.starts_with("/granskning/patienter/{id}")
            {
                assert!(
                    spec.touches == Touches::Patient
                        || spec.path == "/patienter/{id}/nodatkomst" && spec.method == Method::GET,
                    "{} {} handles a patient but is not marked",
                    spec.method,
                    spec.path
                );
            }
        }
        for spec in touching {
            let role = match expected(&spec.method, spec.path) {
                Gate::Roles(roles) => roles[0],
                other => panic!(
                    "{} {} touches patient data but is {other:?}",
                    spec.method, spec.path
                ),
            };
            let c = signed_in(&s, role).await;
            let patient = match spec.touches {
                Touches::OwnRecord => own,
                Touches::Referral => f.referral_patient,
                _ => f.patient,
            };
            let path = concrete(spec, &f);
            let count = |p: Uuid| {
                let store = s.store.clone();
                async move {
                    store
                        .search_access_log(&LogQuery {
                            patient_id: Some(p),
                            limit: 1_000_000,
                            ..Default::default()
                        })
                        .await
                        .unwrap()
                        .len()
                }
            };
            let before_patient = count(patient).await;
            let before_all = s.store.access_log_len().await.unwrap();
            let res = call(&c, spec, &path, Some(role)).await;
            assert!(
                !res.status().is_server_error(),
                "[{}] {} {path}: {}",
                s.backend,
                spec.method,
                res.status()
            );
            let after_patient = count(patient).await;
            let after_all = s.store.access_log_len().await.unwrap();
            match spec.touches {
                Touches::Patient
                | Touches::OwnRecord
                | Touches::PatientSearch
                | Touches::Referral => assert!(
                    after_patient > before_patient,
                    "[{}] {} {path} by {role:?} ({}) left no log entry for the patient",
                    s.backend,
                    spec.method,
                    res.status()
                ),
                Touches::AccessLog
                | Touches::ReferralList
                | Touches::PatientList
                | Touches::Aggregates => assert!(
                    after_all > before_all,
                    "[{}] {} {path}: reading the log is not logged",
                    s.backend,
                    spec.method
                ),
                Touches::Nothing => unreachable!(),
            }
        }
    }
}

/// Every refused attempt to reach a patient — a role the route does not admit, on every
/// route that names a patient or a referral — is logged as denied against that
/// patient, so it is in the auditor's patient search and the patient's own log.
#[tokio::test]
async fn every_refused_attempt_is_logged_against_the_patient() {
    let specs = route_specs();
    for s in servers().await {
        let f = fixture(&s).await;
        let denied_for = |p: Uuid| {
            let store = s.store.clone();
            async move {
                store
                    .search_access_log(&LogQuery {
                        patient_id: Some(p),
                        limit: 1_000_000,
                        ..Default::default()
                    })
                    .await
                    .unwrap()
                    .into_iter()
                    .filter(|e| e.outcome == "denied")
                    .count()
            }
        };
        let mut checked = 0;
        for role in Role::ALL {
            let c = signed_in(&s, role).await;
            for spec in specs
                .iter()
                .filter(|r| matches!(r.touches, Touches::Patient | Touches::Referral))
            {
                let Gate::Roles(allowed) = expected(&spec.method, spec.path) else {
                    continue;
                };
                if allowed.contains(&role) {
                    continue;
                }
                let patient = if spec.touches == Touches::Referral {
                    f.referral_patient
                } else {
                    f.patient
                };
                let path = concrete(spec, &f);
                let before = denied_for(patient).await;
                let res = call(&c, spec, &path, Some(role)).await;
                assert!(
                    denied(&res),
                    "[{}] {role:?} {} {path}",
                    s.backend,
                    spec.method
                );
                assert!(
                    denied_for(patient).await > before,
                    "[{}] {role:?} refused at {} {path} but not logged against the patient",
                    s.backend,
                    spec.method
                );
                checked += 1;
            }
        }
        assert!(checked > 150, "{checked} refusals checked");
        // A refusal decided in a handler is logged too (no patient to name).
        let c = signed_in(&s, Role::Analyst).await;
        let before = s.store.access_log_len().await.unwrap();
        assert!(denied(&c.get("/referensdata").await));
        assert!(
            s.store.access_log_len().await.unwrap() > before,
            "[{}]",
            s.backend
        );
    }
}
