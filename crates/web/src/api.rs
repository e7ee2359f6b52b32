//! The JSON API under `/api/v1`: the same sessions, permissions, care-relationship rule
//! and access logging as the pages; errors as RFC 9457 problem+json. State-changing
//! calls carry the CSRF token in `X-CSRF-Token` (see `GET /api/v1/me`).

use crate::extract::Query;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use trappa_store::Uuid;
use trappa_store::access_log::{Action, LogQuery};
use trappa_store::patients::{Patient, PatientVersion};
use trappa_store::units::UnitKind;

use crate::access::{Authed, PatientRoute};
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::{AppError, FieldError};
use crate::i18n::V;
use crate::i18n::{S, fill};
use crate::pages::patients::SearchQuery;
use crate::state::AppState;
use trappa_app::clock::today;
use trappa_app::patients::{self, PatientFields};

/// `GET /api/v1/me`: who is signed in, and the CSRF token for write calls.
pub async fn me(Authed { ctx, user }: Authed) -> Json<serde_json::Value> {
    Json(json!({
        "account_id": user.account_id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "permissions": trappa_policy::permissions(user.role),
        "csrf_token": ctx.csrf_token,
    }))
}

/// Query of `GET /api/v1/units`.
#[derive(Deserialize)]
pub struct UnitsQuery {
    kind: Option<String>,
}

/// `GET /api/v1/units?kind=vardcentral|municipality|tapering_unit` (reference data).
pub async fn units(
    State(state): State<AppState>,
    _auth: Authed,
    Query(q): Query<UnitsQuery>,
) -> Result<Response, AppError> {
    let kind = match q.kind.as_deref().unwrap_or("vardcentral") {
        "vardcentral" => UnitKind::Vardcentral,
        "municipality" => UnitKind::Municipality,
        "tapering_unit" => UnitKind::TaperingUnit,
        _ => {
            return Err(AppError::Invalid(vec![FieldError {
                field: "kind".into(),
                message: "vardcentral | municipality | tapering_unit".into(),
            }]));
        }
    };
    Ok(Json(state.store().units(kind).await?).into_response())
}

/// `GET /api/v1/patients?q=…`: logged search.
pub async fn search_patients(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let q = q.q.as_deref().unwrap_or("");
    let found = trappa_app::patients::search(state.store(), &caller, q, trappa_app::clock::today());
    let hits = found.await.for_user(&ctx)?;
    Ok(Json(json!({ "patients": hits })).into_response())
}

#[derive(Serialize)]
struct PatientView<'a> {
    id: Uuid,
    queue: Option<trappa_policy::Queue>,
    version: i64,
    home_unit_name: Option<&'a str>,
    access_basis: trappa_policy::AccessBasis,
    #[serde(flatten)]
    data: serde_json::Value,
}

/// Identity data as the API shows it. A protected address comes from the store as
/// withheld (in every version once the current one is protected): null, with
/// `address_withheld` saying so.
fn data_json(v: &PatientVersion) -> serde_json::Value {
    let d = &v.data;
    let shown = d.address.known();
    let part = |f: fn(&trappa_store::patients::PostalAddress) -> &Option<String>| {
        shown.and_then(|a| f(a).clone())
    };
    json!({
        "personal_identity": d.personal_identity.to_string(),
        "id_kind": d.personal_identity.kind(),
        "birth_date": d.personal_identity.birth_date().to_string(),
        "sex": d.personal_identity.sex(),
        "given_name": d.given_name,
        "family_name": d.family_name,
        "phone": d.phone,
        "email": d.email,
        "street_address": part(|a| &a.street),
        "postal_code": part(|a| &a.postal_code),
        "city": part(|a| &a.city),
        "address_withheld": shown.is_none(),
        "home_unit_id": d.home_unit_id,
        "protected_identity": d.protected_identity,
        "synthetic": d.synthetic,
    })
}

fn patient_json(p: &Patient, basis: trappa_policy::AccessBasis) -> serde_json::Value {
    serde_json::to_value(PatientView {
        id: p.id,
        queue: p.queue,
        version: p.current.version,
        home_unit_name: p.home_unit_name.as_deref(),
        access_basis: basis,
        data: data_json(&p.current),
    })
    .unwrap_or_default()
}

/// `GET /api/v1/patients/{id}`: the current identity record (logged).
pub async fn patient(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "api.patient").await?;
    let (state, _, _, _) = route.into_parts();
    let p = state.store().patient(&opened.access).await?;
    let mut res = Json(patient_json(&p, opened.basis())).into_response();
    if let Ok(v) = format!("\"{}\"", p.current.version).parse() {
        res.headers_mut().insert(header::ETAG, v);
    }
    Ok(res)
}

/// `GET /api/v1/patients/{id}/history`: every version (logged).
pub async fn patient_history(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "api.patient.history").await?;
    let (state, _, _, id) = route.into_parts();
    let versions = state.store().patient_history(&opened.access).await?;
    let list: Vec<serde_json::Value> = versions
        .iter()
        .map(|v| {
            json!({
                "version": v.version,
                "authored_by": v.authored_by,
                "author_name": v.author_name,
                "authored_at": v.authored_at.to_string(),
                "reason": v.reason,
                "data": data_json(v),
            })
        })
        .collect();
    Ok(Json(json!({ "patient_id": id, "versions": list })).into_response())
}

/// A JSON patient body: the form's fields with a boolean for protected identity.
///
/// Text is read as every text is (`trappa_input::text::normalise`: invisible characters
/// at the ends and control characters are dropped), so the rules of the fields below
/// are stated in their descriptions rather than as patterns: a pattern over the text
/// as sent would refuse what the API rightly accepts.
///
/// Every field is read with its default when absent, so that a body lacking several
/// names them all at once (and a correction is refused only after the record is opened
/// and the attempt logged); the schema still lists the three the API requires.
#[derive(Deserialize, Default, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(extend("required" = ["personal_identity", "given_name", "family_name"]))]
pub struct PatientBody {
    /// Personnummer or samordningsnummer, twelve digits (`YYYYMMDD-NNNC`) or ten with
    /// the separator; the check digit must be right.
    #[schemars(extend("format" = "personnummer"))]
    personal_identity: String,
    /// Given name (visible text, at most 100 characters).
    #[schemars(length(min = 1))]
    given_name: String,
    /// Family name (visible text, at most 100 characters).
    #[schemars(length(min = 1))]
    family_name: String,
    /// Telephone: 5–20 digits, with spaces, `+`, `-` and brackets; blank for none.
    phone: Option<String>,
    /// E-mail: `local@domain.tld`, no spaces (at most 200 bytes); blank for none.
    email: Option<String>,
    /// Street address (at most 200 characters).
    street_address: Option<String>,
    /// Postal code: five digits, a space allowed anywhere; blank for none.
    postal_code: Option<String>,
    /// Post town (at most 100 characters).
    city: Option<String>,
    /// The patient's vårdcentral: the id of a unit of kind `vardcentral`
    /// (`GET /api/v1/units`); blank for none.
    #[schemars(extend("format" = "vardcentral-id"))]
    home_unit_id: Option<String>,
    /// Protected identity (skyddad identitet): the address is never shown or printed.
    protected_identity: bool,
    /// The queue a new patient enters: `triage` or `waiting`; blank for none (the author
    /// joins the care team).
    queue: Option<String>,
    /// Why the identity is corrected (required when correcting).
    reason: Option<String>,
    /// The version corrected (required when correcting; `If-Match` also works).
    version: Option<i64>,
}

impl PatientBody {
    fn into_fields(self) -> PatientFields {
        PatientFields {
            personal_identity: self.personal_identity,
            given_name: self.given_name,
            family_name: self.family_name,
            phone: self.phone.unwrap_or_default(),
            email: self.email.unwrap_or_default(),
            street_address: self.street_address.unwrap_or_default(),
            postal_code: self.postal_code.unwrap_or_default(),
            city: self.city.unwrap_or_default(),
            home_unit_id: self.home_unit_id.unwrap_or_default(),
            protected_identity: self.protected_identity.then(|| "on".to_owned()),
            reason: self.reason.unwrap_or_default(),
            version: self.version.map(|v| v.to_string()).unwrap_or_default(),
            queue: self.queue.unwrap_or_default(),
            // Set from the record when the change is validated.
            address_withheld: false,
        }
    }
}

/// `POST /api/v1/patients`: registers a patient (in the triage queue unless told).
pub async fn create_patient(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::JsonBody(body): crate::extract::JsonBody<PatientBody>,
) -> Result<Response, AppError> {
    let f = body.into_fields();
    let id = patients::register(
        state.store(),
        &ctx.caller(&user),
        &f,
        Some(trappa_policy::Queue::Triage),
        today(),
    )
    .await
    .for_user(&ctx)?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/patients/{id}"))],
        Json(json!({ "id": id, "version": 1 })),
    )
        .into_response())
}

/// `PUT /api/v1/patients/{id}`: a new version. The expected version comes from
/// `If-Match` (the ETag of the read) or the body's `version`; a stale one is 409.
pub async fn update_patient(
    route: PatientRoute,
    headers: HeaderMap,
    crate::extract::JsonBody(mut b): crate::extract::JsonBody<PatientBody>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Update, "api.patient").await?;
    let (state, ctx, user, id) = route.into_parts();
    if let Some(v) = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_matches('"').parse().ok())
    {
        b.version = Some(v);
    }
    let v = patients::edit(
        state.store(),
        &ctx.caller(&user),
        &opened,
        &b.into_fields(),
        today(),
    )
    .await
    .for_user(&ctx)?;
    Ok(Json(json!({ "id": id, "version": v })).into_response())
}

/// Query of the access-log API.
#[derive(Deserialize)]
pub struct LogApiQuery {
    patient_id: Option<Uuid>,
    account_id: Option<Uuid>,
    flagged: Option<bool>,
    before: Option<i64>,
    limit: Option<i64>,
}

/// `GET /api/v1/access-log`: the auditor's search (reading it is logged too).
pub async fn access_log(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<LogApiQuery>,
) -> Result<Response, AppError> {
    let query = LogQuery {
        patient_id: q.patient_id,
        account_id: q.account_id,
        flagged_only: q.flagged.unwrap_or(false),
        before_id: q.before,
        limit: q.limit.unwrap_or(100).clamp(1, 1000),
        ..Default::default()
    };
    let caller = ctx.caller(&user);
    let found = trappa_app::audit::search(
        state.store(),
        &caller,
        Some(&query),
        q.patient_id,
        "api.access_log",
    );
    let entries = found.await.for_user(&ctx)?;
    let list: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap_or_default();
            v["at"] = json!(e.at().to_string());
            v
        })
        .collect();
    Ok(Json(json!({ "entries": list })).into_response())
}

/// `POST /api/v1/taper/plans`: a plan for a request (the engine's JSON, see
/// `trappa taper --schema`), made with the unit's reference data. Nothing is stored.
pub async fn propose_taper_plan(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::JsonBody(body): crate::extract::JsonBody<serde_json::Value>,
) -> Result<Response, AppError> {
    let (data, _) = crate::pages::taper::unit_reference(&state, &user).await?;
    let plan = trappa_input::json::from_value::<trappa_taper::PlanRequest>(body)
        .map_err(|e| trappa_taper::InputError::from_json(e, "body"))
        .and_then(|r| trappa_taper::propose(&data, &r))
        .map_err(|e| {
            AppError::Invalid(vec![FieldError {
                field: e.field.clone().into(),
                message: e.message(ctx.locale),
            }])
        })?;
    let violations = trappa_taper::check::check(&plan, &data);
    if !violations.is_empty() {
        return Err(AppError::Internal(anyhow::anyhow!(
            "the taper engine broke an invariant: {violations:?}"
        )));
    }
    Ok(Json(plan).into_response())
}

/// `GET /api/v1/taper/reference`: the reference data with the unit's choices, every value
/// with its source and status.
pub async fn taper_reference(
    State(state): State<AppState>,
    Authed { user, .. }: Authed,
) -> Result<Response, AppError> {
    let (data, current) = crate::pages::taper::unit_reference(&state, &user).await?;
    Ok(
        Json(json!({ "data": data, "unit_settings_version": current.map(|c| c.version) }))
            .into_response(),
    )
}

/// The body of `POST /api/v1/taper/proposals`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalRequest {
    /// The plan in effect.
    plan: trappa_taper::Plan,
    /// Today.
    #[serde(deserialize_with = "trappa_input::date::deserialize")]
    #[schemars(with = "trappa_input::date::JsonDate")]
    today: jiff::civil::Date,
    /// Scores and reports, any order.
    #[serde(default)]
    observations: Vec<trappa_taper::adapt::Observation>,
}

/// Observations a proposal request may carry (years of daily diary entries).
pub const MAX_OBSERVATIONS: usize = 2_000;
/// Steps a posted plan may have (a fifteen-year plan with a step a week has fewer).
pub const MAX_PLAN_STEPS: usize = 1_000;

/// Refuses a proposal request larger than any real plan, or with a step outside the
/// date range: the engine's work is sized by them.
fn bounded_proposal(ctx: &Ctx, req: &ProposalRequest) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let too_many = |field: &'static str, max: usize| FieldError {
        field: field.into(),
        message: fill(ctx.t(&S::ERR_TOO_MANY), &[("max", &max.to_string())]),
    };
    if req.observations.len() > MAX_OBSERVATIONS {
        errors.push(too_many("observations", MAX_OBSERVATIONS));
    }
    if req.plan.steps.len() > MAX_PLAN_STEPS {
        errors.push(too_many("plan.steps", MAX_PLAN_STEPS));
    }
    if req
        .plan
        .steps
        .iter()
        .any(|s| trappa_input::date::check(s.start).is_err())
    {
        errors.push(FieldError {
            field: "plan.steps".into(),
            message: crate::extract::out_of_range(ctx.locale),
        });
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// `POST /api/v1/taper/proposals`: the engine's proposal for the next action, from a plan,
/// today's date and the patient's scores and reports, under the unit's adaptation
/// policy. Only a proposal: nothing changes until a prescriber signs.
pub async fn propose_taper_adaptation(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::JsonBody(req): crate::extract::JsonBody<ProposalRequest>,
) -> Result<Response, AppError> {
    bounded_proposal(&ctx, &req)?;
    let policy = crate::pages::taper::unit_policy(&state, &user).await?;
    let proposal =
        trappa_taper::adapt::propose_next(&req.plan, req.today, &req.observations, &policy);
    let messages: Vec<String> = proposal
        .reasons
        .iter()
        .map(|r| r.message(ctx.locale))
        .collect();
    Ok(
        Json(json!({ "proposal": proposal, "messages": messages, "policy": policy }))
            .into_response(),
    )
}

/// The body of `POST /api/v1/patients/{id}/taper-plan`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {
    /// The version the draft is based on (0: the first).
    version: i64,
    /// Why.
    reason: String,
    /// The engine's request.
    request: trappa_taper::PlanRequest,
}

/// The body of `POST /api/v1/patients/{id}/taper-plan/sign`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignBody {
    /// The draft's version.
    version: i64,
    /// Why.
    reason: String,
    /// The prescriber confirms separately a dose above a safety ceiling (a plan whose
    /// warnings include `high_diazepam`); refused without it.
    #[serde(default)]
    confirm_high_dose: bool,
    /// The patient's reports the prescriber was shown: `reports_seen` as
    /// `GET …/taper-plan` gave it. The signature covers these; if the patient has
    /// reported more since, it is refused (422, field `reports_seen`).
    reports_seen: String,
}

/// The API body names the reports a signature covers `reports_seen`.
pub(crate) const REPORTS_RENAMED: &[(&str, &str)] =
    &[(trappa_app::plans::REPORTS_FIELD, "reports_seen")];

/// `GET /api/v1/patients/{id}/taper-plan`: every version of the patient's plan, newest
/// first, each with the engine's plan.
pub async fn patient_taper_plan(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "patient.taper_plan").await?;
    let (state, ctx, _, id) = route.into_parts();
    let versions = state.store().taper_plan_versions(&opened.access).await?;
    let reports = trappa_app::plans::reports_now(state.store(), &opened)
        .await
        .for_user(&ctx)?;
    let list: Vec<serde_json::Value> = versions
        .iter()
        .map(|v| {
            Ok(json!({
                "version": v.version, "status": v.status, "author": v.author_name, "authored_at": v.authored_at,
                "reason": v.reason, "signer": v.signer_name,
                "plan": crate::pages::patient_plan::parse_plan(v)?,
            }))
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Json(json!({
        "patient_id": id,
        "versions": list,
        "reports_seen": trappa_app::plans::reports_token(&reports),
    }))
    .into_response())
}

/// `POST /api/v1/patients/{id}/taper-plan`: a draft from the engine's request.
pub async fn draft_patient_taper_plan(
    route: PatientRoute,
    crate::extract::JsonBody(b): crate::extract::JsonBody<DraftBody>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Update, "patient.taper_plan").await?;
    let (state, ctx, user, _) = route.into_parts();
    // The reason first, as the page does: a draft without one is refused before the
    // engine runs.
    let reason_faults = trappa_app::plans::reason_faults(&b.reason);
    if !reason_faults.is_empty() {
        return Err(AppError::Invalid(FieldError::from_faults(
            &reason_faults,
            ctx.locale,
        )));
    }
    let (data, _) = crate::pages::taper::unit_reference(&state, &user).await?;
    let plan = trappa_taper::propose(&data, &b.request).map_err(|e| {
        AppError::Invalid(vec![FieldError {
            field: format!("request.{}", e.field).into(),
            message: e.message(ctx.locale),
        }])
    })?;
    let violations = trappa_taper::check::check(&plan, &data);
    if !violations.is_empty() {
        return Err(AppError::Internal(anyhow::anyhow!(
            "the taper engine broke an invariant: {violations:?}"
        )));
    }
    let caller = ctx.caller(&user);
    let saved =
        trappa_app::plans::save_draft(state.store(), &caller, &opened, b.version, &plan, &b.reason);
    let v = saved.await.for_user(&ctx)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "version": v, "status": "draft" })),
    )
        .into_response())
}

/// `POST /api/v1/patients/{id}/taper-plan/sign`: the prescriber signs a draft.
pub async fn sign_patient_taper_plan(
    route: PatientRoute,
    crate::extract::JsonBody(b): crate::extract::JsonBody<SignBody>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Update, "patient.taper_plan").await?;
    let (state, ctx, user, _) = route.into_parts();
    let (data, _) = crate::pages::taper::unit_reference(&state, &user).await?;
    let caller = ctx.caller(&user);
    let signed = trappa_app::plans::sign(
        state.store(),
        &caller,
        &opened,
        &data,
        b.version,
        trappa_app::plans::Signing {
            reason: &b.reason,
            confirmed_high: b.confirm_high_dose,
            reports: trappa_app::plans::reports_shown(&b.reports_seen)
                .for_user(&ctx)
                .map_err(|e| e.renamed(REPORTS_RENAMED))?,
        },
    );
    let v = signed
        .await
        .for_user(&ctx)
        .map_err(|e| e.renamed(REPORTS_RENAMED))?;
    Ok(Json(json!({ "version": v, "status": "active" })).into_response())
}

/// The body of `POST /api/v1/patients/{id}/scores`.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreBody {
    /// Instrument id ("cows", "phq-9" …).
    instrument: String,
    /// The day the score describes.
    #[serde(deserialize_with = "trappa_input::date::deserialize")]
    #[schemars(with = "trappa_input::date::JsonDate")]
    observed_on: jiff::civil::Date,
    /// Item values, or the total (with the clinician's band where there are no
    /// official bands).
    answers: trappa_scales::Answers,
    /// Reported flags ("seizure", "suicidal_thoughts", …).
    #[serde(default)]
    flags: Vec<String>,
    /// A note.
    #[serde(default)]
    note: String,
}

/// `GET /api/v1/patients/{id}/scores`
pub async fn patient_scores(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "patient.scores").await?;
    let (state, _, _, id) = route.into_parts();
    let scores = state.store().scores(&opened.access).await?;
    Ok(Json(json!({ "patient_id": id, "scores": scores })).into_response())
}

/// `POST /api/v1/patients/{id}/scores`: scores the answers with the instrument and
/// records them.
pub async fn record_patient_score(
    route: PatientRoute,
    crate::extract::JsonBody(b): crate::extract::JsonBody<ScoreBody>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Create, "patient.scores").await?;
    let (state, ctx, user, _) = route.into_parts();
    let inst = state.instruments().get(&b.instrument).ok_or_else(|| {
        AppError::Invalid(vec![FieldError {
            field: "instrument".into(),
            message: ctx.t(&V::BAD_VALUE).to_owned(),
        }])
    })?;
    let input = trappa_app::scores::ScoreInput {
        observed_on: b.observed_on,
        answers: b.answers,
        flags: b.flags,
        note: b.note,
        request_key: None,
        cutoffs: None,
    };
    let caller = ctx.caller(&user);
    let recorded = trappa_app::scores::record(
        state.store(),
        &caller,
        &opened,
        inst,
        &input,
        trappa_app::clock::today(),
    );
    match recorded.await.for_user(&ctx) {
        Ok(score) => Ok((StatusCode::CREATED, Json(json!({ "id": score }))).into_response()),
        // The body's names for the use case's: `answers.total`, `answers.values.<id>`.
        Err(AppError::Invalid(faults)) => Err(AppError::Invalid(
            faults
                .into_iter()
                .map(|mut e| {
                    e.field = match e.field.as_ref() {
                        "total" | "band" => format!("answers.{}", e.field).into(),
                        "items" => "answers".into(),
                        f => match f.strip_prefix("items.") {
                            Some(item) => format!("answers.values.{item}").into(),
                            None => e.field.clone(),
                        },
                    };
                    e
                })
                .collect(),
        )),
        Err(e) => Err(e),
    }
}
