//! Referrals and triage: a vårdcentral's referral or a self-referral registers the
//! patient in the triage queue; the triage team decides (accept, complement, decline,
//! redirect) with a reply; the referrer answers a complement request.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use trappa_policy::Queue;
use trappa_store::Store;
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::patients::{PatientAccess, PatientData};
use trappa_store::referrals::{
    NewReferral, Referral, SELF_REFERRAL_ACCOUNT, SELF_REFERRAL_RESOURCE,
};
use trappa_taper::ReferenceData;
use trappa_triage::{Decision, Facts, PriorAttempt, Priority, Redirect as Target, ReferredDrug};
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::patients::PatientFields;
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, Result, Throttle};

/// What the access log calls a referral.
pub const RESOURCE: &str = "patient.referral";
/// The window the self-referral limits count over, in minutes.
pub const WINDOW_MINUTES: i64 = 60;
/// Self-referrals accepted from one client address per hour.
pub const PER_ADDRESS_PER_HOUR: i64 = 3;
/// Self-referrals accepted per hour in all: beyond this the form asks people to call.
pub const PER_HOUR: i64 = 60;
/// The longest free text of a referral, a reply or an answer.
pub const MAX_TEXT: usize = 4000;

/// What the referrer writes besides the facts triage uses.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Details {
    /// Other illnesses.
    pub comorbidities: String,
    /// Who prescribes now.
    pub prescriber: String,
    /// Anything else.
    pub free_text: String,
}

/// A referral as typed, by a referrer or the patient (the API builds the same).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct ReferralInput {
    pub personal_identity: String,
    pub given_name: String,
    pub family_name: String,
    pub phone: String,
    pub email: String,
    /// The honeypot on the public form: hidden from people, filled in by bots.
    pub website: String,
    pub drug1: String,
    pub dose1: String,
    pub months1: String,
    pub drug2: String,
    pub dose2: String,
    pub months2: String,
    pub attempt_drug: String,
    pub attempt_period: String,
    pub attempt_lowest: String,
    pub attempt_why: String,
    pub mixed: Option<String>,
    pub psychiatric: Option<String>,
    pub complex_pain: Option<String>,
    pub pregnant: Option<String>,
    pub comorbidities: String,
    pub prescriber: String,
    pub free_text: String,
}

/// Who sends a referral: a vårdcentral's referrer or the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    /// A signed-in referrer at a vårdcentral.
    Vardcentral,
    /// The patient, on the public self-referral page (a phone number is required).
    Patient,
}

/// A parsed referral: the patient to register, the facts triage reads, the rest.
pub struct ParsedReferral {
    /// The patient.
    pub patient: PatientData,
    /// For triage.
    pub facts: Facts,
    /// Everything else.
    pub details: Details,
}

fn number(faults: &mut Faults, field: &'static str, value: &str) -> Option<f64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let x = trappa_taper::amount::parse_decimal(v).filter(|x| *x > 0.0 && *x < 100_000.0);
    if x.is_none() {
        faults.push(Fault::new(field, &V::BAD_VALUE));
    }
    x
}

/// The earlier attempt as typed; empty fields are no attempt.
pub fn attempt(drug: &str, period: &str, lowest: &str, why: &str) -> PriorAttempt {
    PriorAttempt {
        drug: drug.trim().to_owned(),
        period: period.trim().to_owned(),
        lowest_dose: lowest.trim().to_owned(),
        why_stopped: why.trim().to_owned(),
    }
}

/// Validates a referral into what the store keeps, or every fault.
pub async fn parse(
    store: &Store,
    reference: &ReferenceData,
    f: &ReferralInput,
    home_unit: Option<Uuid>,
    sender: Sender,
    today: Date,
) -> Result<ParsedReferral> {
    let fields = PatientFields {
        personal_identity: f.personal_identity.clone(),
        given_name: f.given_name.clone(),
        family_name: f.family_name.clone(),
        phone: f.phone.clone(),
        email: f.email.clone(),
        home_unit_id: home_unit.map(|u| u.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    let mut faults = Faults::default();
    let patient = fields.check(store, today, &mut faults).await?;
    if sender == Sender::Patient && f.phone.trim().is_empty() {
        faults.push(Fault::new("phone", &V::REQUIRED));
    }
    for (field, value) in [
        ("comorbidities", &f.comorbidities),
        ("prescriber", &f.prescriber),
        ("free_text", &f.free_text),
        ("attempt_drug", &f.attempt_drug),
        ("attempt_period", &f.attempt_period),
        ("attempt_lowest", &f.attempt_lowest),
        ("attempt_why", &f.attempt_why),
    ] {
        if value.chars().count() > MAX_TEXT {
            faults.push(Fault::new(field, &V::TOO_LONG).with("n", MAX_TEXT.to_string()));
        }
    }
    let mut drugs = Vec::new();
    for (drug, dose, months, drug_field, dose_field, months_field) in [
        (&f.drug1, &f.dose1, &f.months1, "drug1", "dose1", "months1"),
        (&f.drug2, &f.dose2, &f.months2, "drug2", "dose2", "months2"),
    ] {
        let daily_dose = number(&mut faults, dose_field, dose);
        let months = number(&mut faults, months_field, months).map(|m| m as u32);
        let substance = drug.trim();
        if substance.is_empty() {
            continue;
        }
        if !reference.substances.iter().any(|s| s.id == substance) {
            faults.push(Fault::new(drug_field, &V::UNKNOWN_CHOICE));
            continue;
        }
        drugs.push(ReferredDrug {
            substance: substance.to_owned(),
            daily_dose,
            months,
        });
    }
    if drugs.is_empty() && !faults.has("drug1") {
        faults.push(Fault::new("drug1", &V::REQUIRED));
    }
    let patient = match faults.finish(patient)? {
        Some(p) => p,
        None => return Err(Error::Invalid(Vec::new())),
    };
    let attempt = attempt(
        &f.attempt_drug,
        &f.attempt_period,
        &f.attempt_lowest,
        &f.attempt_why,
    );
    let facts = Facts {
        age: Some(u32::try_from(patient.personal_identity.age_on(today)).unwrap_or(0)),
        drugs,
        prior_attempt: (attempt != PriorAttempt::default()).then_some(attempt),
        mixed_substance_use: f.mixed.is_some(),
        primary_psychiatric_illness: f.psychiatric.is_some(),
        complex_pain: f.complex_pain.is_some(),
        pregnant: f.pregnant.is_some(),
    };
    let details = Details {
        comorbidities: f.comorbidities.trim().to_owned(),
        prescriber: f.prescriber.trim().to_owned(),
        free_text: f.free_text.trim().to_owned(),
    };
    Ok(ParsedReferral {
        patient,
        facts,
        details,
    })
}

/// A referral's reference number, for the referrer's and the patient's receipts and
/// when they call: "R-" and eight letters and digits of its id (the random part of
/// a UUIDv7), grouped in fours.
pub fn reference_number(id: Uuid) -> String {
    let hex = id.simple().to_string().to_uppercase();
    format!("R-{}-{}", &hex[24..28], &hex[28..32])
}

async fn store_referral(
    store: &Store,
    parsed: &ParsedReferral,
    referrer: Uuid,
    unit: Option<Uuid>,
    log: &NewEntry<'_>,
) -> Result<Uuid> {
    let facts = serde_json::to_string(&parsed.facts)?;
    let details = serde_json::to_string(&parsed.details)?;
    // Received the same way whether the person is registered or not (the store keeps a
    // registered person's referral without telling the referrer).
    let (referral, _, _) = store
        .create_referral(
            &parsed.patient,
            &NewReferral {
                facts: &facts,
                details: &details,
                referrer,
                unit,
            },
            log,
        )
        .await?;
    Ok(referral)
}

/// A vårdcentral's referral: validates it and registers the patient in the triage
/// queue. Returns the referral's id (never the patient's: that would tell the referrer
/// whether the person was known).
pub async fn send(
    store: &Store,
    reference: &ReferenceData,
    caller: &Caller,
    f: &ReferralInput,
    today: Date,
) -> Result<Uuid> {
    let parsed = parse(
        store,
        reference,
        f,
        caller.unit_id,
        Sender::Vardcentral,
        today,
    )
    .await?;
    let log = NewEntry::new(&caller.actor, Action::Create, RESOURCE);
    store_referral(store, &parsed, caller.account_id, caller.unit_id, &log).await
}

/// What a self-referral leads to.
#[derive(Debug)]
pub enum SelfReferral {
    /// Stored (or, for a filled honeypot, not): the receipt's reference number either
    /// way, so the form reveals nothing.
    Received(String),
}

/// The public self-referral: a filled honeypot gets a receipt and stores nothing; the
/// rate limits (per client address and in all, counted from the access log so
/// restarts do not reset them) refuse with [`Error::Throttled`]; otherwise the
/// referral is stored under the self-referral account.
pub async fn self_refer(
    store: &Store,
    reference: &ReferenceData,
    actor: &Actor,
    f: &ReferralInput,
    today: Date,
) -> Result<SelfReferral> {
    if !f.website.trim().is_empty() {
        tracing::info!(request_id = %actor.request_id, "self-referral honeypot filled; nothing stored");
        return Ok(SelfReferral::Received(reference_number(Uuid::now_v7())));
    }
    let hour_ago = trappa_store::now() - jiff::SignedDuration::from_mins(WINDOW_MINUTES);
    if store
        .self_referrals_since(actor.client_ip.as_deref(), hour_ago)
        .await?
        >= PER_ADDRESS_PER_HOUR
        || store.self_referrals_since(None, hour_ago).await? >= PER_HOUR
    {
        return Err(Error::Throttled(Throttle::SelfReferral));
    }
    let parsed = parse(store, reference, f, None, Sender::Patient, today).await?;
    let mut actor = actor.clone();
    actor.account_id = Some(SELF_REFERRAL_ACCOUNT);
    let log = NewEntry::new(&actor, Action::Create, SELF_REFERRAL_RESOURCE);
    // A person already known to the unit gets the same receipt; the referral is kept
    // (triaged again, or shown to the care team) and its creation flagged in the log.
    let id = store_referral(store, &parsed, SELF_REFERRAL_ACCOUNT, None, &log).await?;
    Ok(SelfReferral::Received(reference_number(id)))
}

/// A decision as typed: `accept`, `accept_high`, `complement`, `decline` or
/// `redirect:<target>`.
pub fn parse_decision_code(
    code: &str,
    facts: &Facts,
    reference: &ReferenceData,
) -> Option<(Decision, Option<Queue>)> {
    Some(match code {
        "accept" => (
            Decision::Accept {
                priority: Priority::Normal,
            },
            Some(Queue::Waiting),
        ),
        "accept_high" => (
            Decision::Accept {
                priority: Priority::High,
            },
            Some(Queue::Waiting),
        ),
        "complement" => {
            let missing = match trappa_triage::triage(facts, reference).decision {
                Decision::Complement { missing } => missing,
                _ => Vec::new(),
            };
            (Decision::Complement { missing }, Some(Queue::Triage))
        }
        "decline" => (Decision::Decline, None),
        other => {
            let target = other.strip_prefix("redirect:")?;
            let to = serde_json::from_value::<Target>(serde_json::Value::String(target.to_owned()))
                .ok()?;
            (Decision::Redirect { to }, None)
        }
    })
}

/// A referral opened by its id, under [`trappa_policy::decide_referral_access`]: the
/// referrer their own, the triage team while triage lasts (and the letters of a triage
/// that ended without care), otherwise the care-relationship rule. Every answer —
/// allowed or refused — is logged against the referral's patient before anything is
/// read. The adapter hands a write's held-back entry to its request before it reads the
/// referral with [`load`], so the entry is written even if the read fails.
pub async fn open(
    store: &Store,
    caller: &Caller,
    referral: Uuid,
    action: Action,
    resource: &str,
) -> Result<OpenedPatient> {
    let (patient, referrer) = store
        .referral_owner(referral)
        .await?
        .ok_or(Error::NotFound)?;
    crate::access::open_by(store, caller, patient, action, resource, |p, f| {
        trappa_policy::decide_referral_access(trappa_policy::ReferralAccessFacts {
            patient: p,
            sent_by_actor: referrer == caller.account_id,
            closed_without_care: f.queue.is_none() && !f.has_had_care_team,
        })
    })
    .await
}

/// The referral `referral` of an opened patient.
pub async fn load(store: &Store, opened: &OpenedPatient, referral: Uuid) -> Result<Referral> {
    store
        .referral_of(&opened.access, referral)
        .await?
        .ok_or(Error::NotFound)
}

/// Decides a referral with its reply, moving the patient between queues. `expected`
/// is the number of decisions the form was read at (stale → [`Error::Stale`]); only
/// the triage queue's handlers decide, and a refusal is logged. Returns the decision's
/// number.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    store: &Store,
    reference: &ReferenceData,
    caller: &Caller,
    access: &PatientAccess,
    referral: Uuid,
    expected: i64,
    code: &str,
    reply: &str,
) -> Result<i64> {
    let mut faults = Faults::default();
    faults.text("reply", reply, true, MAX_TEXT);
    let reply = faults.finish(reply.trim())?;
    let current = store
        .patient_referral(access)
        .await?
        .filter(|r| r.id == referral)
        .ok_or(Error::NotFound)?;
    // Someone decided in the meantime: the form is stale, whatever the queue now says.
    if current.decisions.len() as i64 != expected {
        return Err(Error::Stale);
    }
    let queue_now = store.patient(access).await?.queue;
    if !trappa_policy::may_decide_referral(caller.role, queue_now) {
        store
            .append_access_log(
                &NewEntry::new(&caller.actor, Action::Update, "patient.referral.decision")
                    .patient(access.patient_id())
                    .denied()
                    .detail("not in triage"),
            )
            .await?;
        return Err(Error::Refused(&V::NOT_IN_TRIAGE, &V::NOT_IN_TRIAGE_DETAIL));
    }
    let facts: Facts = serde_json::from_str(current.current_facts())?;
    let (decision, queue) = parse_decision_code(code, &facts, reference)
        .ok_or_else(|| Error::field("decision", &V::REQUIRED))?;
    let json = serde_json::to_string(&decision)?;
    let log = NewEntry::new(&caller.actor, Action::Update, RESOURCE);
    Ok(store
        .decide_referral(
            access,
            referral,
            expected,
            &json,
            reply,
            caller.account_id,
            queue,
            &log,
        )
        .await?)
}

/// The referral's facts with the attempt as the complement gives it.
pub fn complemented_facts(current: &str, attempt: PriorAttempt) -> Result<String> {
    let mut facts: Facts = serde_json::from_str(current)?;
    if attempt != PriorAttempt::default() {
        facts.prior_attempt = Some(attempt);
    }
    Ok(serde_json::to_string(&facts)?)
}

/// Records the answer to a complement request, with the attempt it completes; the
/// referral goes back to triage and the clock runs again. `expected` is the number of
/// answers the form was read at. Returns the answer's number.
#[allow(clippy::too_many_arguments)]
pub async fn complement(
    store: &Store,
    caller: &Caller,
    access: &PatientAccess,
    r: &Referral,
    expected: i64,
    answer: &str,
    attempt: PriorAttempt,
) -> Result<i64> {
    let mut faults = Faults::default();
    faults.text("answer", answer, true, MAX_TEXT);
    let answer = faults.finish(answer.trim())?;
    let facts = complemented_facts(r.current_facts(), attempt)?;
    let log = NewEntry::new(&caller.actor, Action::Update, RESOURCE);
    Ok(store
        .answer_complement(
            access,
            r.id,
            expected,
            answer,
            Some(&facts),
            caller.account_id,
            &log,
        )
        .await?)
}

/// A referrer's own referrals (`true`), or the triage team's inbox (`false`), by the
/// caller's role; the listing (as `resource`) and every patient in it are logged.
/// Other roles are refused, and the refusal logged.
pub async fn list(
    store: &Store,
    caller: &Caller,
    resource: &str,
) -> Result<(bool, Vec<trappa_store::referrals::ReferralSummary>)> {
    use trappa_policy::{Permission, allows};
    let own = allows(caller.role, Permission::ReadOwnReferrals);
    if !own && !allows(caller.role, Permission::TriageReferrals) {
        crate::audit::refusal(store, &caller.actor, Action::Read, resource, None, "role").await?;
        return Err(Error::Forbidden);
    }
    let log = NewEntry::new(&caller.actor, Action::Listed, resource);
    let rows = if own {
        store.referrals_sent_by(caller.account_id, &log).await?
    } else {
        store.referral_inbox(&log).await?
    };
    Ok((own, rows))
}
