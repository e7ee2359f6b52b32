//! The OpenAPI 3.1 document at `/api/openapi.json`, built from the route table (so no
//! route can be left out) and from the request and response types' own JSON Schemas.

use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use crate::route_spec::RouteSpec;

/// What one API operation does, and its request and response schemas (by name in
/// `components.schemas`).
struct Operation {
    summary: &'static str,
    request: Option<&'static str>,
    response: Option<&'static str>,
}

fn operation(method: &str, path: &str) -> Option<Operation> {
    let op = |summary, request, response| {
        Some(Operation {
            summary,
            request,
            response,
        })
    };
    match (method, path) {
        ("GET", "/api/v1/me") => op("The signed-in user, role and CSRF token", None, None),
        ("GET", "/api/v1/units") => op("Units (vårdcentraler, the tapering unit)", None, None),
        ("GET", "/api/v1/patients") => op("Search patients (logged)", None, None),
        ("POST", "/api/v1/patients") => op("Register a patient", Some("PatientBody"), None),
        ("GET", "/api/v1/patients/{id}") => {
            op("A patient's identity record (logged; ETag)", None, None)
        }
        ("PUT", "/api/v1/patients/{id}") => op(
            "Correct a patient's identity (If-Match)",
            Some("PatientBody"),
            None,
        ),
        ("GET", "/api/v1/patients/{id}/history") => {
            op("Every version of the identity record", None, None)
        }
        ("GET", "/api/v1/patients/{id}/taper-plan") => {
            op("Every version of the patient's taper plan", None, None)
        }
        ("POST", "/api/v1/patients/{id}/taper-plan") => op(
            "Save a draft plan made by the engine",
            Some("DraftBody"),
            None,
        ),
        ("POST", "/api/v1/patients/{id}/taper-plan/sign") => {
            op("Sign a draft (prescribers only)", Some("SignBody"), None)
        }
        ("GET", "/api/v1/patients/{id}/taper-plan/proposal") => op(
            "The engine's proposal for the plan in effect, from the scores",
            None,
            None,
        ),
        ("POST", "/api/v1/patients/{id}/taper-plan/adopt") => op(
            "Sign the engine's proposal as the new plan (prescribers only)",
            Some("AdoptBody"),
            None,
        ),
        ("GET", "/api/v1/patients/{id}/scores") => op("The patient's scores", None, None),
        ("POST", "/api/v1/patients/{id}/scores") => op("Record a score", Some("ScoreBody"), None),
        ("GET", "/api/v1/access-log") => op("Search the access log (auditors)", None, None),
        ("POST", "/api/v1/taper/plans") => op(
            "Propose a taper plan (nothing stored)",
            Some("PlanRequest"),
            Some("Plan"),
        ),
        ("POST", "/api/v1/taper/proposals") => op(
            "The engine's next-action proposal from scores",
            Some("ProposalRequest"),
            None,
        ),
        ("GET", "/api/v1/taper/reference") => op(
            "The unit's reference data, every value with source and status",
            None,
            None,
        ),
        ("POST", "/api/v1/referrals") => op(
            "Refer a patient (vårdcentral referrers); the patient enters triage",
            Some("ReferralBody"),
            None,
        ),
        ("GET", "/api/v1/referrals") => op(
            "One's own referrals, or the triage inbox with the rules' proposals (logged)",
            None,
            None,
        ),
        ("GET", "/api/v1/referrals/{id}") => op(
            "A referral: facts, decisions, complements, the rules' proposal (logged)",
            None,
            None,
        ),
        ("POST", "/api/v1/referrals/{id}/decision") => op(
            "Decide a referral: accept, ask for a complement, decline, redirect",
            Some("DecisionBody"),
            None,
        ),
        ("POST", "/api/v1/referrals/{id}/complement") => op(
            "Answer a complement request (the referrer)",
            Some("ComplementBody"),
            None,
        ),
        ("GET", "/api/v1/patients/{id}/care-team") => {
            op("The care team, current and past members", None, None)
        }
        ("POST", "/api/v1/patients/{id}/care-team") => op(
            "Assign a clinician a function in the care team",
            Some("MemberBody"),
            None,
        ),
        ("POST", "/api/v1/patients/{id}/care-team/{member}/hand-over") => op(
            "Hand a member's function over to another clinician",
            Some("MemberBody"),
            None,
        ),
        ("GET", "/api/v1/waiting-list") => op(
            "The waiting list in order, with each patient's vårdgaranti clock (logged)",
            None,
            None,
        ),
        ("GET", "/api/v1/patients/{id}/appointments") => {
            op("The patient's appointments (current versions)", None, None)
        }
        ("POST", "/api/v1/patients/{id}/appointments") => op(
            "Book a visit with a member of the care team",
            Some("BookingBody"),
            None,
        ),
        ("POST", "/api/v1/patients/{id}/appointments/{appointment}") => op(
            "Move, cancel or mark a no-show (a new version)",
            Some("ChangeBody"),
            None,
        ),
        ("GET", "/api/v1/patients/{id}/journal") => op(
            "The journal (current versions) and CBT progress",
            None,
            None,
        ),
        ("POST", "/api/v1/patients/{id}/journal") => op(
            "Write a note by its template; a note for a visit holds it",
            Some("NoteBody"),
            None,
        ),
        ("POST", "/api/v1/patients/{id}/journal/{note}") => op(
            "Correct a note (a new version with its reason)",
            Some("CorrectionBody"),
            None,
        ),
        ("GET", "/api/v1/patients/{id}/path") => op(
            "Aftercare, follow-ups, relapses, outcomes and the discharge",
            None,
            None,
        ),
        ("POST", "/api/v1/patients/{id}/path") => op(
            "Record the last dose, a follow-up, a relapse, an outcome or the discharge",
            Some("EventBody"),
            None,
        ),
        ("GET", "/api/openapi.json") => op("This document", None, None),
        _ => None,
    }
}

/// The document for the routes `specs` (the route table's).
pub fn document(specs: &[RouteSpec]) -> Value {
    let mut settings = SchemaSettings::draft2020_12();
    settings.definitions_path = "/components/schemas".into();
    let mut generator = settings.into_generator();
    generator.subschema_for::<trappa_taper::PlanRequest>();
    generator.subschema_for::<trappa_taper::Plan>();
    generator.subschema_for::<trappa_taper::InputError>();
    generator.subschema_for::<crate::api::PatientBody>();
    generator.subschema_for::<crate::api::DraftBody>();
    generator.subschema_for::<crate::api::SignBody>();
    generator.subschema_for::<crate::api::ScoreBody>();
    generator.subschema_for::<crate::api::ProposalRequest>();
    generator.subschema_for::<crate::api_path::ReferralBody>();
    generator.subschema_for::<crate::api_path::DecisionBody>();
    generator.subschema_for::<crate::api_path::ComplementBody>();
    generator.subschema_for::<crate::api_path::BookingBody>();
    generator.subschema_for::<crate::api_path::ChangeBody>();
    generator.subschema_for::<crate::api_path::NoteBody>();
    generator.subschema_for::<crate::api_path::CorrectionBody>();
    generator.subschema_for::<crate::api_path::EventBody>();
    generator.subschema_for::<crate::api_path::MemberBody>();
    generator.subschema_for::<crate::api_path::AdoptBody>();
    let mut schemas = generator.take_definitions(true);
    schemas.insert(
        "Problem".into(),
        json!({
            "type": "object",
            "description": "RFC 9457 problem details; `errors` names each invalid field.",
            "properties": {
                "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" },
                "detail": { "type": "string" }, "instance": { "type": "string" },
                "errors": { "type": "array", "items": { "type": "object", "properties": {
                    "field": { "type": "string" }, "message": { "type": "string" } } } }
            },
            "required": ["type", "title", "status"]
        }),
    );
    let mut paths = serde_json::Map::new();
    for spec in specs.iter().filter(|s| s.path.starts_with("/api/")) {
        let method = spec.method.as_str().to_ascii_lowercase();
        let Some(op) = operation(spec.method.as_str(), spec.path) else {
            continue;
        };
        let mut o = json!({
            "summary": op.summary,
            "responses": {
                "200": { "description": "OK", "content": { "application/json": { "schema":
                    op.response.map(|r| json!({ "$ref": format!("#/components/schemas/{r}") })).unwrap_or(json!({ "type": "object" })) } } },
                "default": { "description": "A problem", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
            }
        });
        if let Some(r) = op.request {
            o["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{r}") } } } });
        }
        let params: Vec<Value> = spec
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }))
            .collect();
        if !params.is_empty() {
            o["parameters"] = Value::Array(params);
        }
        if spec.method != axum::http::Method::GET {
            o["description"] =
                json!("Send the CSRF token from GET /api/v1/me in the X-CSRF-Token header.");
        }
        let entry = paths
            .entry(spec.path.to_owned())
            .or_insert_with(|| json!({}));
        entry[method] = o;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Trappa API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The regional tapering service's JSON API. Every read of patient data is logged; sessions are the web application's (sign in at /logga-in)."
        },
        "paths": paths,
        "components": { "schemas": schemas }
    })
}
