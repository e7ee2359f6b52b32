//! The patient's path through the JSON API on both databases: a referral sent as JSON,
//! a complement asked and answered, acceptance, the waiting list with its clock, a
//! visit booked and held by its note, a correction, aftercare and discharge. Bad input
//! answers problem+json naming the field and changes nothing.

use crate::support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Client, servers};

async fn call(c: &Client, method: Method, path: &str, body: Value) -> (StatusCode, Value) {
    let res = c.send_json(method, path, &body).await;
    let status = res.status();
    let problem = res.headers().get("content-type").is_some_and(|v| {
        v.to_str()
            .unwrap_or("")
            .starts_with("application/problem+json")
    });
    let json: Value = res.json().await.unwrap_or(Value::Null);
    if status.is_client_error() {
        assert!(problem, "{path}: a {status} is problem+json");
    }
    (status, json)
}

async fn get(c: &Client, path: &str) -> Value {
    let res = c.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "GET {path}");
    res.json().await.unwrap()
}

fn field(problem: &Value) -> &str {
    problem["errors"][0]["field"].as_str().unwrap_or("")
}

fn days_from_today(n: i64) -> String {
    let t = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * n);
    trappa_app::clock::local_date(t).to_string()
}

/// The path over the JSON API: referral, triage, care team, appointments, journal and path
/// events, with problem+json for what is refused. Long by design: a journey whose every
/// step reads what the steps before it left, so it is kept as one story told in order.
#[tokio::test]
async fn the_path_over_the_api() {
    for s in servers().await {
        let b = s.backend;
        let referrer = s.login("remittent").await;
        let pnr = support::test_identity(990).to_string();
        let referral = |pnr: &str, drugs: Value| {
            json!({
                "personal_identity": pnr, "given_name": "Api", "family_name": "Remissdotter990",
                "drugs": drugs,
                "comorbidities": "Hypertoni"
            })
        };
        let one = json!([{ "substance": "oxazepam", "daily_dose": 30.0, "months": 48 }]);
        let (status, problem) = call(
            &referrer,
            Method::POST,
            "/api/v1/referrals",
            referral("19640823-3235", one.clone()),
        )
        .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "personal_identity"),
            "[{b}]"
        );
        let three = json!([{ "substance": "oxazepam" }, { "substance": "zopiclone" }, { "substance": "tramadol" }]);
        let (status, problem) = call(
            &referrer,
            Method::POST,
            "/api/v1/referrals",
            referral(&pnr, three),
        )
        .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "drugs"),
            "[{b}]"
        );
        let (status, problem) = call(
            &referrer,
            Method::POST,
            "/api/v1/referrals",
            referral(&pnr, json!([{ "substance": "aspirin" }])),
        )
        .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "drug1"),
            "[{b}] a drug outside the reference data"
        );
        let (status, created) = call(
            &referrer,
            Method::POST,
            "/api/v1/referrals",
            referral(&pnr, one),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {created}");
        let id = created["id"].as_str().unwrap().to_owned();
        assert!(
            created.get("patient_id").is_none(),
            "[{b}] no patient id to a referrer"
        );
        let mine = get(&referrer, "/api/v1/referrals").await;
        assert!(
            mine["referrals"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"] == id.as_str()),
            "[{b}]"
        );

        // Triage: the rules ask for the attempt; the coordinator asks the referrer.
        let coordinator = s.login("koordinator").await;
        let one = get(&coordinator, &format!("/api/v1/referrals/{id}")).await;
        assert_eq!(one["proposal"]["decision"]["kind"], "complement", "[{b}]");
        let patient = one["patient_id"].as_str().unwrap().to_owned();
        let (status, problem) = call(
            &coordinator,
            Method::POST,
            &format!("/api/v1/referrals/{id}/decision"),
            json!({ "expected": 0, "decision": "complement", "reply": " " }),
        )
        .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "reply"),
            "[{b}]"
        );
        let (status, _) = call(
            &coordinator,
            Method::POST,
            &format!("/api/v1/referrals/{id}/decision"),
            json!({ "expected": 0, "decision": "complement", "reply": "Beskriv försöket." }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let attempt = json!({ "drug": "oxazepam", "period": "2025", "lowest_dose": "15 mg", "why_stopped": "sömn" });
        let (status, _) = call(
            &referrer,
            Method::POST,
            &format!("/api/v1/referrals/{id}/complement"),
            json!({ "expected": 0, "answer": "Se nedan.", "prior_attempt": attempt }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let (status, _) = call(
            &referrer,
            Method::POST,
            &format!("/api/v1/referrals/{id}/complement"),
            json!({ "expected": 0, "answer": "Igen." }),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] a stale complement");
        let one = get(&coordinator, &format!("/api/v1/referrals/{id}")).await;
        assert_eq!(
            one["proposal"]["decision"]["kind"], "accept",
            "[{b}] the complement completes the facts"
        );
        let (status, _) = call(
            &coordinator,
            Method::POST,
            &format!("/api/v1/referrals/{id}/decision"),
            json!({ "expected": 1, "decision": "accept_high", "reply": "Välkommen." }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let waiting = get(&coordinator, "/api/v1/waiting-list").await;
        let list = waiting["waiting"].as_array().unwrap();
        let first = list
            .iter()
            .find(|w| w["patient_id"] == patient.as_str())
            .expect("on the waiting list");
        assert_eq!(first["priority"], "high", "[{b}]");
        let priorities: Vec<&str> = list
            .iter()
            .map(|w| w["priority"].as_str().unwrap())
            .collect();
        assert!(
            priorities
                .windows(2)
                .all(|w| !(w[0] == "normal" && w[1] == "high")),
            "[{b}] high priority first: {priorities:?}"
        );
        assert_eq!(first["clock"]["status"], "running", "[{b}]");
        // The referrer reads the decision and its letter.
        let one = get(&referrer, &format!("/api/v1/referrals/{id}")).await;
        assert_eq!(one["decisions"][1]["decision"]["kind"], "accept", "[{b}]");
        assert!(
            one["proposal"].is_null(),
            "[{b}] the referrer does not see the rules' proposal"
        );

        // The care team, then a visit booked and held by its note.
        let nurse_id = s.account_id("sjukskoterska").await;
        let team = format!("/api/v1/patients/{patient}/care-team");
        let (status, problem) = call(
            &coordinator,
            Method::POST,
            &team,
            json!({ "account_id": nurse_id, "function": "chef" }),
        )
        .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "function"),
            "[{b}]"
        );
        let (status, _) = call(
            &coordinator,
            Method::POST,
            &team,
            json!({ "account_id": nurse_id, "function": "fast_vardkontakt" }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let (status, problem) = call(
            &coordinator,
            Method::POST,
            &team,
            json!({ "account_id": nurse_id, "function": "fast_vardkontakt" }),
        )
        .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "account_id"),
            "[{b}] twice"
        );
        let physician_id = s.account_id("lakare").await;
        let (status, _) = call(
            &coordinator,
            Method::POST,
            &team,
            json!({ "account_id": physician_id, "function": "prescriber" }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let members = get(&coordinator, &team).await;
        assert_eq!(
            members["care_team"][0]["function"], "fast_vardkontakt",
            "[{b}]"
        );
        let booking = |date: String| json!({ "kind": "assessment", "place": "base", "date": date, "time": "10:00", "minutes": 90, "clinician": nurse_id });
        let (status, problem) = call(
            &coordinator,
            Method::POST,
            &format!("/api/v1/patients/{patient}/appointments"),
            booking(days_from_today(-1)),
        )
        .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "date"),
            "[{b}]"
        );
        let (status, created) = call(
            &coordinator,
            Method::POST,
            &format!("/api/v1/patients/{patient}/appointments"),
            booking(days_from_today(3)),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let appointment = created["id"].as_str().unwrap().to_owned();
        let nurse = s.login("sjukskoterska").await;
        let (status, problem) = call(
            &nurse,
            Method::POST,
            &format!("/api/v1/patients/{patient}/journal"),
            json!({ "appointment": [appointment, 1], "fields": { "nonsense": "x" } }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {problem}");
        let (status, created) = call(&nurse, Method::POST, &format!("/api/v1/patients/{patient}/journal"),
            json!({ "appointment": [appointment, 1], "fields": { "history": "Fem år.", "goals": "Sluta." } })).await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let note = created["id"].as_str().unwrap().to_owned();
        let visits = get(&nurse, &format!("/api/v1/patients/{patient}/appointments")).await;
        assert_eq!(visits["appointments"][0]["status"], "done", "[{b}] held");
        let (status, _) = call(
            &nurse,
            Method::POST,
            &format!("/api/v1/patients/{patient}/journal/{note}"),
            json!({ "version": 1, "fields": { "history": "Sex år." }, "reason": "Fel" }),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "[{b}]");
        let (status, _) = call(
            &nurse,
            Method::POST,
            &format!("/api/v1/patients/{patient}/journal/{note}"),
            json!({ "version": 1, "fields": { "history": "Sju år." }, "reason": "Fel igen" }),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] a stale correction");
        let journal = get(&nurse, &format!("/api/v1/patients/{patient}/journal")).await;
        assert_eq!(journal["notes"][0]["fields"]["history"], "Sex år.", "[{b}]");

        // The plan: drafted by the nurse, signed by the physician; a score; the engine's
        // proposal (a hold for moderate withdrawal) signed by the physician only.
        let plan = format!("/api/v1/patients/{patient}/taper-plan");
        let request = json!({
            "regimen": { "drugs": [{ "substance": "oxazepam", "doses": [10.0, 10.0, 0.0, 10.0] }] },
            "start": days_from_today(-40)
        });
        let (status, body) = call(
            &nurse,
            Method::POST,
            &plan,
            json!({ "version": 0, "reason": "Efter bedömningen", "request": request }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}] {body}");
        let physician = s.login("lakare").await;
        // A signature names the patient's reports the prescriber was shown.
        let (status, problem) = call(
            &physician,
            Method::POST,
            &format!("{plan}/sign"),
            json!({ "version": 1, "reason": "Signerad" }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{b}] {problem}");
        let shown = get(&physician, &plan).await["reports_seen"].clone();
        let (status, body) = call(
            &physician,
            Method::POST,
            &format!("{plan}/sign"),
            json!({ "version": 1, "reason": "Signerad", "reports_seen": shown }),
        )
        .await;
        assert!(status.is_success(), "[{b}] {status} {body}");
        let active = body["version"].as_i64().unwrap_or(2);
        let (status, _) = call(&nurse, Method::POST, &format!("/api/v1/patients/{patient}/scores"), json!({
            "instrument": "ciwa-b", "observed_on": days_from_today(0), "answers": { "kind": "total", "total": 28.0 }
        })).await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let proposal = get(&physician, &format!("{plan}/proposal")).await;
        assert_eq!(
            proposal["proposal"]["action"]["kind"], "hold",
            "[{b}] {proposal}"
        );
        let version = proposal["version"].as_i64().unwrap();
        assert_eq!(version, active, "[{b}]");
        let shown = proposal["reports_seen"].clone();
        let (status, _) = call(
            &nurse,
            Method::POST,
            &format!("{plan}/adopt"),
            json!({ "version": version, "reason": "Paus", "reports_seen": shown }),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "[{b}] only the prescriber signs"
        );
        let (status, problem) = call(
            &physician,
            Method::POST,
            &format!("{plan}/adopt"),
            json!({ "version": version, "reason": " ", "reports_seen": shown }),
        )
        .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "reason"),
            "[{b}]"
        );
        // A report that came after the proposal was read: the signature is refused.
        let (status, _) = call(&nurse, Method::POST, &format!("/api/v1/patients/{patient}/scores"), json!({
            "instrument": "ciwa-b", "observed_on": days_from_today(0), "answers": { "kind": "total", "total": 27.0 }
        })).await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let (status, problem) = call(
            &physician,
            Method::POST,
            &format!("{plan}/adopt"),
            json!({ "version": version, "reason": "Måttlig abstinens: paus", "reports_seen": shown }),
        )
        .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "reports_seen"),
            "[{b}] {problem}"
        );
        let shown = get(&physician, &format!("{plan}/proposal")).await["reports_seen"].clone();
        let (status, _) = call(
            &physician,
            Method::POST,
            &format!("{plan}/adopt"),
            json!({ "version": version, "reason": "Måttlig abstinens: paus", "reports_seen": shown }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let (status, _) = call(
            &physician,
            Method::POST,
            &format!("{plan}/adopt"),
            json!({ "version": version, "reason": "igen", "reports_seen": shown }),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "[{b}] a stale signature");

        // Aftercare and discharge under the same rules as the page.
        let path = format!("/api/v1/patients/{patient}/path");
        let (status, problem) = call(&nurse, Method::POST, &path,
            json!({ "kind": "aftercare_started", "occurred_on": days_from_today(-10), "months": [1, 3] })).await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "months"),
            "[{b}]"
        );
        let (status, _) = call(&nurse, Method::POST, &path,
            json!({ "kind": "aftercare_started", "occurred_on": days_from_today(-10), "months": [1, 3, 6] })).await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let (status, problem) = call(&nurse, Method::POST, &path,
            json!({ "kind": "discharged", "occurred_on": days_from_today(0), "outcome": { "kind": "drug_free" } })).await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "outcome"),
            "[{b}] too early"
        );
        let (status, _) = call(&nurse, Method::POST, &path,
            json!({ "kind": "discharged", "occurred_on": days_from_today(0), "outcome": { "kind": "redirected", "to": "psykiatrin" }, "note": "Flyttar" })).await;
        assert_eq!(status, StatusCode::CREATED, "[{b}]");
        let state = get(&nurse, &path).await;
        assert_eq!(state["discharge"]["outcome"]["kind"], "redirected", "[{b}]");
        assert_eq!(state["follow_ups"].as_array().unwrap().len(), 3, "[{b}]");
    }
}
