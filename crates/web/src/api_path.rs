//! The JSON API for the patient's path: referrals (sent, triaged, complemented), the
//! waiting list, appointments, the journal and the path events (aftercare, follow-ups,
//! relapses, outcomes, discharge). Every call goes through the same validation, access
//! rule and logging as its page; errors are RFC 9457 problem+json.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::json;
use trappa_pathway::aftercare::Outcome;
use trappa_pathway::visits::Kind;
use trappa_policy::{Permission, allows};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_triage::{Facts, PriorAttempt, ReferredDrug};

use crate::access::{Authed, PatientRoute, open_patient};
use crate::ctx::ForUser;
use crate::error::{AppError, FieldError};
use crate::i18n::M;
use crate::i18n::V;
use crate::pages::aftercare::{EventForm, PathState};
use crate::pages::referrals::open_referral;
use crate::state::AppState;
use trappa_app::care_team;
use trappa_app::clock::today;
use trappa_app::referrals::{self, ReferralInput};
use trappa_app::{aftercare, visits};

fn invalid(field: &'static str, message: &str) -> AppError {
    AppError::Invalid(vec![FieldError {
        field: field.into(),
        message: message.to_owned(),
    }])
}

/// A referral as JSON: the patient, up to two drugs, the earlier attempt, the
/// circumstances and the rest.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReferralBody {
    personal_identity: String,
    given_name: String,
    family_name: String,
    phone: String,
    email: String,
    drugs: Vec<ReferredDrug>,
    prior_attempt: Option<PriorAttempt>,
    mixed_substance_use: bool,
    primary_psychiatric_illness: bool,
    complex_pain: bool,
    pregnant: bool,
    comorbidities: String,
    prescriber: String,
    free_text: String,
}

impl ReferralBody {
    fn into_form(self) -> Result<ReferralInput, AppError> {
        if self.drugs.len() > 2 {
            return Err(invalid("drugs", "at most two drugs per referral"));
        }
        let num = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
        let drug = |i: usize| self.drugs.get(i);
        let attempt = self.prior_attempt.clone().unwrap_or_default();
        let on = |b: bool| b.then(|| "on".to_owned());
        Ok(ReferralInput {
            personal_identity: self.personal_identity,
            given_name: self.given_name,
            family_name: self.family_name,
            phone: self.phone,
            email: self.email,
            website: String::new(),
            drug1: drug(0).map(|d| d.substance.clone()).unwrap_or_default(),
            dose1: num(drug(0).and_then(|d| d.daily_dose)),
            months1: num(drug(0).and_then(|d| d.months.map(f64::from))),
            drug2: drug(1).map(|d| d.substance.clone()).unwrap_or_default(),
            dose2: num(drug(1).and_then(|d| d.daily_dose)),
            months2: num(drug(1).and_then(|d| d.months.map(f64::from))),
            attempt_drug: attempt.drug,
            attempt_period: attempt.period,
            attempt_lowest: attempt.lowest_dose,
            attempt_why: attempt.why_stopped,
            mixed: on(self.mixed_substance_use),
            psychiatric: on(self.primary_psychiatric_illness),
            complex_pain: on(self.complex_pain),
            pregnant: on(self.pregnant),
            comorbidities: self.comorbidities,
            prescriber: self.prescriber,
            free_text: self.free_text,
        })
    }
}

/// `POST /api/v1/referrals`: a vårdcentral's referral; the patient enters triage.
pub async fn send_referral(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::JsonBody(body): crate::extract::JsonBody<ReferralBody>,
) -> Result<Response, AppError> {
    let form = body.into_form()?;
    let referral = referrals::send(
        state.store(),
        state.reference(),
        &ctx.caller(&user),
        &form,
        today(),
    )
    .await
    .for_user(&ctx)?;
    // The same answer whether the person is registered or not: no patient id (a
    // registered patient's would give it away), only the referral's.
    Ok((StatusCode::CREATED, Json(json!({ "id": referral }))).into_response())
}

/// `GET /api/v1/referrals`: one's own referrals, or the triage inbox with the rules'
/// proposals; logged like the page.
pub async fn referrals(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
) -> Result<Response, AppError> {
    let (own, rows) = crate::pages::referrals::referral_rows(&state, &ctx, &user).await?;
    let list: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let facts: Option<Facts> = serde_json::from_str(&r.facts).ok();
            json!({
                "id": r.id,
                // The unit's patient id is the triage team's, never a referrer's.
                "patient_id": (!own).then_some(r.patient_id),
                "name": r.name,
                "unit": r.unit,
                "received_at": r.received_at,
                "self_referral": r.self_referral,
                "decision": r.decision.as_deref().and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok()),
                "reply": r.reply,
                "awaiting_complement": r.awaiting_complement,
                "complemented": r.complemented,
                "proposal": (!own).then(|| facts.map(|f| trappa_triage::triage(&f, state.reference()))).flatten(),
            })
        })
        .collect();
    Ok(Json(json!({ "referrals": list })).into_response())
}

/// `GET /api/v1/referrals/{id}`: one referral with its decisions, complements, current
/// facts and (for the triage team) the rules' proposal.
pub async fn referral(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    crate::extract::Path(id): crate::extract::Path<Uuid>,
) -> Result<Response, AppError> {
    let (access, r) =
        open_referral(&state, &ctx, &user, id, Action::Read, "patient.referral").await?;
    let own = access.basis() == trappa_policy::AccessBasis::OwnReferral;
    let facts: Facts =
        serde_json::from_str(r.current_facts()).map_err(|e| AppError::Internal(e.into()))?;
    let proposal = allows(user.role, Permission::TriageReferrals)
        .then(|| trappa_triage::triage(&facts, state.reference()));
    let decisions: Vec<serde_json::Value> = r
        .decisions
        .iter()
        .map(|d| {
            json!({
                "seq": d.seq,
                "decision": serde_json::from_str::<serde_json::Value>(&d.decision).ok(),
                "reply": d.reply,
                "decided_by": d.decided_by,
                "decided_at": d.decided_at,
                "letter": format!("/remisser/{}/svar/{}/brev.pdf", r.id, d.seq),
            })
        })
        .collect();
    Ok(Json(json!({
        "id": r.id,
        "patient_id": (!own).then_some(r.patient_id),
        "self_referral": r.is_self_referral(),
        "referrer": r.referrer,
        "unit": r.unit,
        "received_at": r.received_at,
        "facts": facts,
        "details": serde_json::from_str::<serde_json::Value>(&r.details).ok(),
        "decisions": decisions,
        "complements": r.complements,
        "awaiting_complement": r.awaiting_complement(),
        "proposal": proposal,
    }))
    .into_response())
}

/// A triage decision as JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// Decisions so far (a stale call changes nothing).
    expected: i64,
    /// `accept`, `accept_high`, `complement`, `decline`, `redirect:<target>`.
    decision: String,
    /// The reply to the referrer.
    reply: String,
}

/// `POST /api/v1/referrals/{id}/decision`
pub async fn decide_referral(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::Path(id): crate::extract::Path<Uuid>,
    crate::extract::JsonBody(b): crate::extract::JsonBody<DecisionBody>,
) -> Result<Response, AppError> {
    let (access, _) =
        open_referral(&state, &ctx, &user, id, Action::Update, "patient.referral").await?;
    let seq = referrals::decide(
        state.store(),
        state.reference(),
        &ctx.caller(&user),
        &access,
        id,
        b.expected,
        &b.decision,
        &b.reply,
    )
    .await
    .for_user(&ctx)?;
    Ok((StatusCode::CREATED, Json(json!({ "seq": seq }))).into_response())
}

/// A referrer's complement as JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplementBody {
    /// Answers so far.
    expected: i64,
    /// The answer.
    answer: String,
    /// The earlier attempt, completed.
    #[serde(default)]
    prior_attempt: Option<PriorAttempt>,
}

/// `POST /api/v1/referrals/{id}/complement`
pub async fn complement_referral(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::Path(id): crate::extract::Path<Uuid>,
    crate::extract::JsonBody(b): crate::extract::JsonBody<ComplementBody>,
) -> Result<Response, AppError> {
    let (access, r) =
        open_referral(&state, &ctx, &user, id, Action::Update, "patient.referral").await?;
    let seq = referrals::complement(
        state.store(),
        &ctx.caller(&user),
        &access,
        &r,
        b.expected,
        &b.answer,
        b.prior_attempt.unwrap_or_default(),
    )
    .await
    .for_user(&ctx)?;
    Ok((StatusCode::CREATED, Json(json!({ "seq": seq }))).into_response())
}

/// `GET /api/v1/waiting-list`: in order, with each patient's clock.
pub async fn waiting_list(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let rows = trappa_app::waiting::list(state.store(), &caller, today())
        .await
        .for_user(&ctx)?;
    let list: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            json!({
                "patient_id": r.entry.patient_id,
                "name": r.entry.name,
                "home_unit": r.entry.home_unit,
                "received_at": r.entry.timeline.received_at,
                "priority": r.priority,
                "clock": r.clock,
                "booked": r.entry.booked,
            })
        })
        .collect();
    Ok(Json(json!({ "waiting": list })).into_response())
}

/// `GET /api/v1/patients/{id}/appointments`
pub async fn appointments(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "patient.visits").await?;
    let (state, _, _, _) = route.into_parts();
    let list = state.store().appointments(&opened.access).await?;
    Ok(Json(json!({ "appointments": list })).into_response())
}

/// A booking as JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingBody {
    kind: String,
    place: String,
    /// Local date, `YYYY-MM-DD`.
    date: String,
    /// Local time, `HH:MM`.
    time: String,
    minutes: u32,
    clinician: Uuid,
    #[serde(default)]
    reason: String,
}

/// `POST /api/v1/patients/{id}/appointments`
pub async fn book_appointment(
    route: PatientRoute,
    crate::extract::JsonBody(b): crate::extract::JsonBody<BookingBody>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Create, visits::VISITS).await?;
    let (state, ctx, user, _) = route.into_parts();
    let booking = visits::Booking {
        kind: b.kind,
        place: b.place,
        date: b.date,
        time: b.time,
        minutes: b.minutes.to_string(),
        clinician: b.clinician.to_string(),
        reason: b.reason,
    };
    let appointment = visits::book(state.store(), &ctx.caller(&user), &opened, &booking)
        .await
        .for_user(&ctx)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": appointment }))).into_response())
}

/// A change of an appointment as JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeBody {
    /// The version the change is based on.
    version: i64,
    /// `booked` (moved), `cancelled`, `no_show`.
    status: String,
    /// For a move: local date and time.
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    reason: String,
}

/// `POST /api/v1/patients/{id}/appointments/{appointment}`: move, cancel, no-show.
pub async fn change_appointment(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::Path((id, appointment)): crate::extract::Path<(Uuid, Uuid)>,
    crate::extract::JsonBody(b): crate::extract::JsonBody<ChangeBody>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Update, visits::VISITS).await?;
    let change = visits::Change {
        status: b.status,
        date: b.date,
        time: b.time,
        reason: b.reason,
    };
    let version = visits::change(
        state.store(),
        &ctx.caller(&user),
        &opened,
        appointment,
        b.version,
        &change,
    )
    .await
    .for_user(&ctx)?;
    Ok(Json(json!({ "version": version })).into_response())
}

/// `GET /api/v1/patients/{id}/journal`: current versions, newest first.
pub async fn journal(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "patient.journal").await?;
    let (state, _, _, _) = route.into_parts();
    let notes = state.store().journal(&opened.access).await?;
    let cbt = visits::cbt(&notes);
    Ok(Json(json!({ "notes": notes, "cbt": cbt })).into_response())
}

/// A note as JSON: its kind (or the visit it documents, which it holds) and the texts
/// under the template's headings.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteBody {
    #[serde(default)]
    kind: Option<Kind>,
    /// The visit and the version the note is based on.
    #[serde(default)]
    appointment: Option<(Uuid, i64)>,
    fields: BTreeMap<String, String>,
}

/// `POST /api/v1/patients/{id}/journal`
pub async fn write_note(
    route: PatientRoute,
    crate::extract::JsonBody(b): crate::extract::JsonBody<NoteBody>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Create, visits::JOURNAL).await?;
    let (state, ctx, user, _) = route.into_parts();
    let note = visits::write_note(
        state.store(),
        &ctx.caller(&user),
        &opened,
        b.appointment,
        b.kind,
        &b.fields,
    )
    .await
    .for_user(&ctx)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": note }))).into_response())
}

/// A correction as JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionBody {
    version: i64,
    fields: BTreeMap<String, String>,
    reason: String,
}

/// `POST /api/v1/patients/{id}/journal/{note}`: a correction, as a new version.
pub async fn correct_note(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::Path((id, note)): crate::extract::Path<(Uuid, Uuid)>,
    crate::extract::JsonBody(b): crate::extract::JsonBody<CorrectionBody>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Update, visits::JOURNAL).await?;
    let version = visits::correct_note(
        state.store(),
        &ctx.caller(&user),
        &opened,
        note,
        b.version,
        &b.fields,
        &b.reason,
    )
    .await
    .for_user(&ctx)?;
    Ok(Json(json!({ "version": version })).into_response())
}

/// `GET /api/v1/patients/{id}/path`: the path's events and what they amount to.
pub async fn path(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "patient.aftercare").await?;
    let (state, _, _, _) = route.into_parts();
    let events = state.store().path_events(&opened.access).await?;
    let path = PathState::from_events(&events)?;
    let list: Vec<serde_json::Value> = events
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "kind": e.kind,
                "occurred_on": e.occurred_on,
                "data": serde_json::from_str::<serde_json::Value>(&e.data).ok(),
                "corrects": e.corrects,
                "corrected_by": e.corrected_by,
                "recorded_by": e.recorded_by_name,
                "recorded_at": e.recorded_at,
            })
        })
        .collect();
    Ok(Json(json!({
        "events": list,
        "follow_ups": path.schedule(today()),
        "discharge": path.discharge.map(|(on, d)| json!({ "on": on, "outcome": d.outcome, "note": d.note })),
    }))
    .into_response())
}

/// A path event as JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventBody {
    /// The last dose: aftercare starts with its schedule.
    AftercareStarted {
        /// The last dose.
        #[serde(deserialize_with = "trappa_input::date::deserialize")]
        #[schemars(with = "trappa_input::date::JsonDate")]
        occurred_on: Date,
        /// Follow-up months.
        months: Vec<u32>,
    },
    /// A follow-up held.
    FollowUp {
        /// When.
        #[serde(deserialize_with = "trappa_input::date::deserialize")]
        #[schemars(with = "trappa_input::date::JsonDate")]
        occurred_on: Date,
        /// Which one.
        month: u32,
        /// Relapsed?
        relapse: bool,
        /// Note.
        #[serde(default)]
        note: String,
    },
    /// A relapse.
    Relapse {
        /// When.
        #[serde(deserialize_with = "trappa_input::date::deserialize")]
        #[schemars(with = "trappa_input::date::JsonDate")]
        occurred_on: Date,
        /// Which substance.
        substance: String,
        /// Note.
        #[serde(default)]
        note: String,
    },
    /// The 6- or 12-month outcome.
    Outcome {
        /// When.
        #[serde(deserialize_with = "trappa_input::date::deserialize")]
        #[schemars(with = "trappa_input::date::JsonDate")]
        occurred_on: Date,
        /// 6 or 12.
        months: u32,
        /// Drug-free?
        drug_free: bool,
        /// Relapsed?
        relapse: bool,
        /// Note.
        #[serde(default)]
        note: String,
    },
    /// The discharge.
    Discharged {
        /// When.
        #[serde(deserialize_with = "trappa_input::date::deserialize")]
        #[schemars(with = "trappa_input::date::JsonDate")]
        occurred_on: Date,
        /// How.
        #[serde(deserialize_with = "trappa_input::json::object")]
        outcome: Outcome,
        /// Note.
        #[serde(default)]
        note: String,
    },
}

impl EventBody {
    fn into_form(self) -> EventForm {
        let yes = |b: bool| if b { "yes" } else { "no" }.to_owned();
        match self {
            EventBody::AftercareStarted {
                occurred_on,
                months,
            } => EventForm {
                form: "start".into(),
                date: occurred_on.to_string(),
                months: months
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(","),
                ..Default::default()
            },
            EventBody::FollowUp {
                occurred_on,
                month,
                relapse,
                note,
            } => EventForm {
                form: "follow_up".into(),
                date: occurred_on.to_string(),
                month: month.to_string(),
                relapse: yes(relapse),
                note,
                ..Default::default()
            },
            EventBody::Relapse {
                occurred_on,
                substance,
                note,
            } => EventForm {
                form: "relapse".into(),
                date: occurred_on.to_string(),
                substance,
                note,
                ..Default::default()
            },
            EventBody::Outcome {
                occurred_on,
                months,
                drug_free,
                relapse,
                note,
            } => EventForm {
                form: "outcome".into(),
                date: occurred_on.to_string(),
                q_months: months.to_string(),
                drug_free: yes(drug_free),
                relapse: yes(relapse),
                note,
                ..Default::default()
            },
            EventBody::Discharged {
                occurred_on,
                outcome,
                note,
            } => {
                let (code, percent, to) = match &outcome {
                    Outcome::Reduced { percent } => ("reduced", percent.to_string(), String::new()),
                    Outcome::Redirected { to } => ("redirected", String::new(), to.clone()),
                    other => (other.code(), String::new(), String::new()),
                };
                EventForm {
                    form: "discharge".into(),
                    date: occurred_on.to_string(),
                    outcome: code.into(),
                    percent,
                    to,
                    note,
                    ..Default::default()
                }
            }
        }
    }
}

/// `POST /api/v1/patients/{id}/path`: records an event under the page's rules.
pub async fn record_event(
    route: PatientRoute,
    crate::extract::JsonBody(b): crate::extract::JsonBody<EventBody>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Create, aftercare::RESOURCE).await?;
    let (state, ctx, user, _) = route.into_parts();
    let event = aftercare::record(
        state.store(),
        &ctx.caller(&user),
        &opened,
        &b.into_form(),
        today(),
    )
    .await
    .for_user(&ctx)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": event }))).into_response())
}

/// `GET /api/v1/patients/{id}/care-team`: current and past members.
pub async fn care_team(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "patient.care_team").await?;
    let (state, _, _, _) = route.into_parts();
    let team = state.store().care_team(&opened.access).await?;
    Ok(Json(json!({ "care_team": team })).into_response())
}

/// A member to add, or the account a function is handed over to.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberBody {
    account_id: Uuid,
    /// `fast_vardkontakt`, `prescriber`, `psychosocial`, `physiotherapist`, `other`;
    /// not used for a hand-over (the function stays).
    #[serde(default)]
    function: String,
}

/// `POST /api/v1/patients/{id}/care-team`: assigns a member.
pub async fn add_member(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::Path(id): crate::extract::Path<Uuid>,
    crate::extract::JsonBody(b): crate::extract::JsonBody<MemberBody>,
) -> Result<Response, AppError> {
    let opened =
        crate::access::open_for_care_team_change(&state, &ctx, &user, id, Some(b.account_id))
            .await?;
    let caller = ctx.caller(&user);
    let added = care_team::add(
        state.store(),
        &caller,
        &opened,
        Some(b.account_id),
        &b.function,
    );
    let member = match added.await.for_user(&ctx)? {
        care_team::Added::Member(id) => id,
        care_team::Added::AlreadyMember => {
            return Err(invalid("account_id", ctx.t(&V::CARE_TEAM_ALREADY)));
        }
    };
    Ok((StatusCode::CREATED, Json(json!({ "id": member }))).into_response())
}

/// `POST /api/v1/patients/{id}/care-team/{member}/hand-over`: the member's function to
/// another clinician, in one step.
pub async fn hand_over(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::Path((id, member)): crate::extract::Path<(Uuid, Uuid)>,
    crate::extract::JsonBody(b): crate::extract::JsonBody<MemberBody>,
) -> Result<Response, AppError> {
    let opened =
        crate::access::open_for_care_team_change(&state, &ctx, &user, id, Some(b.account_id))
            .await?;
    let caller = ctx.caller(&user);
    let handed = care_team::hand_over(state.store(), &caller, &opened, member, Some(b.account_id));
    let new = handed.await.for_user(&ctx)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": new }))).into_response())
}

/// `GET /api/v1/patients/{id}/taper-plan/proposal`: the engine's proposal for the plan in
/// effect, from the stored scores under the unit's policy.
pub async fn proposal(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "patient.taper_plan").await?;
    let (state, ctx, user, _) = route.into_parts();
    let unit = crate::pages::taper::unit_taper(&state, &user).await?;
    let today = trappa_app::clock::today();
    // Read before the proposal is made: a signature over it covers these reports.
    let reports = trappa_app::plans::reports_now(state.store(), &opened)
        .await
        .for_user(&ctx)?;
    let found = trappa_app::plans::proposal(state.store(), &opened, unit.engine(&state), today);
    let active = found
        .await
        .for_user(&ctx)?
        .filter(|p| !p.draft_waiting)
        .ok_or(AppError::NotFound)?;
    Ok(Json(json!({
        "version": active.version,
        "proposal": active.proposal,
        "reports_seen": trappa_app::plans::reports_token(&reports),
    }))
    .into_response())
}

/// The prescriber's signature on the engine's proposal.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptBody {
    /// The active version the proposal is for.
    version: i64,
    /// Why.
    reason: String,
    /// The prescriber confirms separately a dose above a safety ceiling; refused without
    /// it when the plan needs it.
    #[serde(default)]
    confirm_high_dose: bool,
    /// The patient's reports the prescriber was shown: `reports_seen` as
    /// `GET …/taper-plan/proposal` gave it. The signature covers these; if the patient
    /// has reported more since, it is refused (422, field `reports_seen`).
    reports_seen: String,
}

/// `POST /api/v1/patients/{id}/taper-plan/adopt`: signs the engine's proposal as the new
/// plan (prescribers only); the proposal is made again from the stored scores.
pub async fn adopt(
    route: PatientRoute,
    crate::extract::JsonBody(b): crate::extract::JsonBody<AdoptBody>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Update, "patient.taper_plan").await?;
    let (state, ctx, user, _) = route.into_parts();
    let unit = crate::pages::taper::unit_taper(&state, &user).await?;
    let caller = ctx.caller(&user);
    let adopted = trappa_app::plans::adopt(
        state.store(),
        &caller,
        &opened,
        unit.engine(&state),
        b.version,
        trappa_app::plans::Adoption {
            reason: &b.reason,
            seen: None,
            confirmed_high: b.confirm_high_dose,
            reports: trappa_app::plans::reports_shown(&b.reports_seen)
                .for_user(&ctx)
                .map_err(|e| e.renamed(crate::api::REPORTS_RENAMED))?,
        },
        trappa_app::clock::today(),
    );
    match adopted
        .await
        .for_user(&ctx)
        .map_err(|e| e.renamed(crate::api::REPORTS_RENAMED))?
    {
        Some(version) => {
            Ok((StatusCode::CREATED, Json(json!({ "version": version }))).into_response())
        }
        None => Err(invalid("version", ctx.t(&M::PROPOSAL_CONTINUE))),
    }
}
