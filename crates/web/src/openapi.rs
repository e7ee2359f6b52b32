//! The OpenAPI 3.1 document at `/api/openapi.json`, built from the route table (so no
//! route can be left out) and from the request and response types' own JSON Schemas.

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
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
        ("GET", "/api/v1/units") => op(
            "Units (vårdcentraler, the tapering unit)",
            None,
            Some("Unit[]"),
        ),
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

/// States in a schema what the readers enforce of a whole number: it fits its Rust
/// type (`format: int64`, `uint32`, `uint` for a `usize`, …), so a larger one is outside
/// the schema as it is outside the type. (A date a request sends carries its own
/// pattern: `trappa_input::date::JsonDate`.)
fn constrain(schema: &mut Schema) {
    let bounds: Option<(Value, Value)> = match schema.get("format").and_then(Value::as_str) {
        Some("int8") => Some((i8::MIN.into(), i8::MAX.into())),
        Some("int16") => Some((i16::MIN.into(), i16::MAX.into())),
        Some("int32") => Some((i32::MIN.into(), i32::MAX.into())),
        Some("int64" | "int") => Some((i64::MIN.into(), i64::MAX.into())),
        Some("uint8") => Some((0.into(), u8::MAX.into())),
        Some("uint16") => Some((0.into(), u16::MAX.into())),
        Some("uint32") => Some((0.into(), u32::MAX.into())),
        Some("uint64" | "uint") => Some((0.into(), u64::MAX.into())),
        _ => None,
    };
    if let Some((min, max)) = bounds {
        if schema.get("minimum").is_none() {
            schema.insert("minimum".into(), min);
        }
        if schema.get("maximum").is_none() {
            schema.insert("maximum".into(), max);
        }
    }
}

/// The query parameters of an operation, as its handler reads them.
fn query_parameters(method: &str, path: &str) -> Vec<Value> {
    let param = |name: &str, required: bool, schema: Value, description: &str| {
        json!({ "name": name, "in": "query", "required": required, "schema": schema,
                "description": description })
    };
    let uuid = || json!({ "type": "string", "format": "uuid" });
    match (method, path) {
        ("GET", "/api/v1/units") => vec![param(
            "kind",
            false,
            json!({ "type": "string", "enum": ["vardcentral", "municipality", "tapering_unit"] }),
            "The kind of unit; vårdcentraler when absent.",
        )],
        ("GET", "/api/v1/patients") => vec![param(
            "q",
            true,
            json!({ "type": "string" }),
            "A personnummer or samordningsnummer (checked, check digit included), or name \
             words of at least two visible characters in all; at most 100 characters.",
        )],
        ("GET", "/api/v1/access-log") => vec![
            param(
                "patient_id",
                false,
                uuid(),
                "Only entries about this patient.",
            ),
            param("account_id", false, uuid(), "Only entries by this account."),
            param(
                "flagged",
                false,
                json!({ "type": "boolean" }),
                "Only flagged entries.",
            ),
            param(
                "before",
                false,
                json!({ "type": "integer", "format": "int64", "minimum": i64::MIN, "maximum": i64::MAX }),
                "Entries older than this entry id (the next page).",
            ),
            param(
                "limit",
                false,
                json!({ "type": "integer", "format": "int64", "minimum": i64::MIN, "maximum": i64::MAX }),
                "Entries per page, clamped to 1–1000; 100 when absent.",
            ),
        ],
        _ => Vec::new(),
    }
}

/// For an operation that creates something (and answers 201 Created), the field of its
/// answer that names what was created: the new resource's `id`, a referral decision's
/// `seq`, a plan's `version`.
fn creates(method: &str, path: &str) -> Option<&'static str> {
    match (method, path) {
        (
            "POST",
            "/api/v1/patients"
            | "/api/v1/patients/{id}/scores"
            | "/api/v1/referrals"
            | "/api/v1/patients/{id}/appointments"
            | "/api/v1/patients/{id}/journal"
            | "/api/v1/patients/{id}/path"
            | "/api/v1/patients/{id}/care-team"
            | "/api/v1/patients/{id}/care-team/{member}/hand-over",
        ) => Some("id"),
        ("POST", "/api/v1/referrals/{id}/decision" | "/api/v1/referrals/{id}/complement") => {
            Some("seq")
        }
        ("POST", "/api/v1/patients/{id}/taper-plan" | "/api/v1/patients/{id}/taper-plan/adopt") => {
            Some("version")
        }
        _ => None,
    }
}

/// The names of a path's parameters (`/patients/{id}/journal/{note}`: `id`, `note`).
fn path_params(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// An operation's id: its method and path in one word (`get_api_v1_patients_id_journal`).
fn operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("{}_{}", method.to_ascii_lowercase(), words.join("_"))
}

/// The OpenAPI links of a creating operation: a `POST` to `P` answers 201 with the new
/// resource's `id`, and every operation on `P/{name}…` can be called with it (`name`
/// from the response, the other path parameters from the request's own path). A client
/// — or a fuzzer — follows them from a new patient to its journal, from a booking to
/// moving it.
fn links_from(spec: &RouteSpec, specs: &[RouteSpec]) -> serde_json::Map<String, Value> {
    let mut links = serde_json::Map::new();
    if creates(spec.method.as_str(), spec.path) != Some("id") {
        return links;
    }
    let prefix = format!("{}/{{", spec.path);
    for target in specs.iter().filter(|t| t.path.starts_with(&prefix)) {
        if operation(target.method.as_str(), target.path).is_none() {
            continue;
        }
        let rest = &target.path[prefix.len()..];
        let Some(created) = rest.split('}').next() else {
            continue;
        };
        let mut parameters = serde_json::Map::new();
        for name in path_params(spec.path) {
            parameters.insert(name.into(), format!("$request.path.{name}").into());
        }
        parameters.insert(created.into(), "$response.body#/id".into());
        let covered = path_params(target.path).all(|name| parameters.contains_key(name));
        if !covered {
            continue;
        }
        let id = operation_id(target.method.as_str(), target.path);
        links.insert(
            id.clone(),
            json!({ "operationId": id, "parameters": parameters }),
        );
    }
    links
}

/// The document for the routes `specs` (the route table's).
pub fn document(specs: &[RouteSpec]) -> Value {
    let mut settings = SchemaSettings::draft2020_12().with_transform(RecursiveTransform(constrain));
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
    let text_or_null = || json!({ "type": ["string", "null"] });
    let number_or_null = || json!({ "type": ["number", "null"] });
    schemas.insert(
        "Unit".into(),
        json!({
            "type": "object",
            "description": "A unit as stored: a vårdcentral, a municipality or the tapering unit.",
            "properties": {
                "id": { "type": "string", "format": "uuid" },
                "kind": { "type": "string", "enum": ["vardcentral", "municipality", "tapering_unit"] },
                "code": { "type": "string" }, "name": { "type": "string" },
                "hsa_id": text_or_null(), "kommunkod": text_or_null(),
                "municipality_name": text_or_null(),
                "lat": number_or_null(), "lon": number_or_null(),
                "population": { "type": ["integer", "null"] },
                "source": { "type": "string" }
            },
            "required": ["id", "kind", "code", "name", "hsa_id", "kommunkod",
                         "municipality_name", "lat", "lon", "population", "source"],
            "additionalProperties": false
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
                    op.response.map(|r| match r.strip_suffix("[]") {
                        Some(item) => json!({ "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } }),
                        None => json!({ "$ref": format!("#/components/schemas/{r}") }),
                    }).unwrap_or(json!({ "type": "object" })) } } },
                "default": { "description": "A problem", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
            }
        });
        o["operationId"] = operation_id(spec.method.as_str(), spec.path).into();
        if let Some(created) = creates(spec.method.as_str(), spec.path) {
            let responses = o["responses"].as_object_mut().expect("an object");
            responses.remove("200");
            let mut answer = json!({
                "description": "Created",
                "content": { "application/json": { "schema": {
                    "type": "object",
                    "properties": { created: if created == "id" {
                        json!({ "type": "string", "format": "uuid" })
                    } else {
                        json!({ "type": "integer" })
                    } },
                    "required": [created]
                } } }
            });
            let links = links_from(spec, specs);
            if !links.is_empty() {
                answer["description"] =
                    "Created; `id` is the new resource's, and the links name what can be done with it.".into();
                answer["links"] = Value::Object(links);
            }
            responses.insert("201".into(), answer);
        }
        if let Some(r) = op.request {
            o["requestBody"] = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{r}") } } } });
        }
        let params: Vec<Value> = path_params(spec.path)
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } }))
            .chain(query_parameters(spec.method.as_str(), spec.path))
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
