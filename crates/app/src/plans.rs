//! Taper plans: drafts proposed by the engine, signed by a prescriber to become the
//! active plan, and the engine's proposal for the active plan from the patient's
//! scores, signed in its turn. Every version is kept; a signature names the version
//! the prescriber read, so a plan that changed since is never signed unseen.

use jiff::civil::Date;
use trappa_scales::Instruments;
use trappa_store::Store;
use trappa_store::access_log::{Action as LogAction, NewEntry};
use trappa_store::taper_plans::{PlanStatus, PlanVersion, ReportsSeen};
use trappa_taper::adapt::{Action, Policy, Proposal};
use trappa_taper::plan::Signature;
use trappa_taper::{Plan, ReferenceData};
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, MAX_REASON, Result};

/// What the access log calls the taper plan.
pub const RESOURCE: &str = "patient.taper_plan";

/// The unit's engine: its reference data, its adaptation policy and the instruments
/// the scores were made with.
#[derive(Clone, Copy)]
pub struct Engine<'a> {
    /// The reference data with the unit's choices applied.
    pub data: &'a ReferenceData,
    /// The unit's adaptation policy.
    pub policy: &'a Policy,
    /// The symptom and outcome instruments.
    pub instruments: &'a Instruments,
}

/// A stored version's plan.
pub fn parse(v: &PlanVersion) -> Result<Plan> {
    serde_json::from_str(&v.plan)
        .map_err(|e| Error::Internal(anyhow::anyhow!("stored taper plan: {e}")))
}

/// The reason every plan write carries: required, one bounded free text.
fn check_reason(reason: &str) -> Faults {
    let mut faults = Faults::default();
    if trappa_input::text::is_blank(reason) {
        faults.push(Fault::new("reason", &V::REF_ERR_REASON));
    } else {
        faults.text("reason", reason, false, MAX_REASON);
    }
    faults
}

/// The reason's fault, if any: for a form that reports it beside the engine's own
/// faults before a plan exists.
pub fn reason_faults(reason: &str) -> Vec<Fault> {
    check_reason(reason).0
}

/// The fault of a plan with a dose above a safety ceiling whose separate confirmation
/// was not given, named `confirm_high`.
fn confirm_high_fault(plan: &Plan, confirmed_high: bool) -> Option<Fault> {
    (!confirmed_high && plan.warnings.iter().any(|w| w.needs_confirmation()))
        .then(|| Fault::new("confirm_high", &V::SIGN_ERR_CONFIRM_HIGH))
}

/// Saves a plan the engine made as a draft on top of version `expected` (0: the first).
/// Returns the draft's version.
pub async fn save_draft(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    expected: i64,
    plan: &Plan,
    reason: &str,
) -> Result<i64> {
    check_reason(reason).finish(())?;
    let request = serde_json::to_string(&plan.request)?;
    let plan_json = serde_json::to_string(plan)?;
    let log = NewEntry::new(&caller.actor, LogAction::Update, RESOURCE);
    Ok(store
        .save_taper_plan_draft(
            &opened.access,
            expected,
            &request,
            &plan_json,
            caller.account_id,
            reason.trim(),
            &log,
        )
        .await?)
}

/// A prescriber's signature of a draft as given.
#[derive(Debug, Clone, Copy)]
pub struct Signing<'a> {
    /// Why.
    pub reason: &'a str,
    /// The separate confirmation of a dose above a safety ceiling.
    pub confirmed_high: bool,
    /// The patient's reports the prescriber was shown ([`reports_now`] when the page or
    /// the API's plan was read): the signature covers these and no others.
    pub reports: ReportsSeen,
}

/// Signs draft version `expected`, which becomes the active plan, if it still keeps
/// every invariant with today's reference data and a dose above a ceiling is
/// confirmed separately. Returns the signed version.
pub async fn sign(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    data: &ReferenceData,
    expected: i64,
    signing: Signing<'_>,
) -> Result<i64> {
    let Signing {
        reason,
        confirmed_high,
        reports: seen,
    } = signing;
    check_reason(reason).finish(())?;
    reports_unchanged(store, opened, seen).await?;
    let versions = store.taper_plan_versions(&opened.access).await?;
    let draft = versions
        .iter()
        .find(|v| v.version == expected)
        .ok_or(Error::Stale)?;
    let plan = parse(draft)?;
    if !trappa_taper::check::check(&plan, data).is_empty() {
        return Err(Error::field("reason", &V::PLAN_BREAKS_INVARIANT));
    }
    if let Some(f) = confirm_high_fault(&plan, confirmed_high) {
        return Err(Error::invalid(f));
    }
    let log = NewEntry::new(&caller.actor, LogAction::Update, RESOURCE);
    let signed = store
        .sign_taper_plan(
            &opened.access,
            expected,
            caller.account_id,
            reason.trim(),
            Some(seen),
            &log,
        )
        .await?;
    crate::notify::queue(store, opened.id(), crate::notify::NoticeKind::Plan).await;
    Ok(signed)
}

/// The patient's reports as a page shows them now, for its signing form to carry
/// ([`reports_token`]).
pub async fn reports_now(store: &Store, opened: &OpenedPatient) -> Result<ReportsSeen> {
    Ok(store.newest_reports(&opened.access).await?)
}

/// What the patient reported since the plan in force was signed (all of it, before a
/// plan is), up to `seen` — what a prescriber is shown before signing, and the token
/// their signature covers.
#[derive(Debug, Clone)]
pub struct NewReports {
    /// Scores since the signature (corrected ones left out), newest first.
    pub scores: Vec<trappa_store::scores::ScoreRecord>,
    /// Diary entries since the signature, newest first.
    pub diary: Vec<trappa_store::reports::DiaryEntry>,
    /// The newest of each: what a signature made from this covers.
    pub seen: ReportsSeen,
    /// Whether a plan is in force (the reports are those since its signature).
    pub since_signature: bool,
}

/// The patient's reports since the plan in force was signed, for the plan page. The
/// token is read first: a report that arrives while the page is made is not covered.
pub async fn new_reports(store: &Store, opened: &OpenedPatient) -> Result<NewReports> {
    let seen = store.newest_reports(&opened.access).await?;
    let versions = store.taper_plan_versions(&opened.access).await?;
    let active = versions.iter().find(|v| v.status == PlanStatus::Active);
    let (scores_seen, diary_seen) = active.map_or((None, None), |v| (v.scores_seen, v.diary_seen));
    let new = |id: Uuid, before: Option<Uuid>, upto: Option<Uuid>| {
        before.is_none_or(|b| id > b) && upto.is_some_and(|u| id <= u)
    };
    let mut scores: Vec<_> = store
        .scores(&opened.access)
        .await?
        .into_iter()
        .filter(|r| r.corrected_by.is_none() && new(r.id, scores_seen, seen.score))
        .collect();
    scores.sort_by_key(|r| std::cmp::Reverse(r.id));
    let mut diary: Vec<_> = store
        .diary(&opened.access)
        .await?
        .into_iter()
        .filter(|e| new(e.id, diary_seen, seen.diary))
        .collect();
    diary.sort_by_key(|e| std::cmp::Reverse(e.id));
    Ok(NewReports {
        scores,
        diary,
        seen,
        since_signature: active.is_some(),
    })
}

/// A form's words for the reports a page showed: the newest score's and diary entry's
/// ids, `-` for none.
pub fn reports_token(seen: &ReportsSeen) -> String {
    let id = |i: Option<Uuid>| i.map_or("-".to_owned(), |i| i.to_string());
    format!("{}.{}", id(seen.score), id(seen.diary))
}

/// The reports a form says its page showed; `None` for a token that is not one.
pub fn parse_reports_token(token: &str) -> Option<ReportsSeen> {
    let (score, diary) = token.trim().split_once('.')?;
    let id = |s: &str| match s {
        "-" => Some(None),
        s => Uuid::parse_str(s).ok().map(Some),
    };
    Some(ReportsSeen {
        score: id(score)?,
        diary: id(diary)?,
    })
}

/// The reports a caller says it was shown, from their token: refused, naming
/// [`REPORTS_FIELD`], when it is not one.
pub fn reports_shown(token: &str) -> Result<ReportsSeen> {
    parse_reports_token(token).ok_or_else(|| Error::field(REPORTS_FIELD, &V::PLAN_REPORTS_TOKEN))
}

/// A signature covers what the prescriber had before them: if the patient reported
/// something after the page was shown (`seen`), it is refused, and the page shown again
/// with the new reports.
async fn reports_unchanged(store: &Store, opened: &OpenedPatient, seen: ReportsSeen) -> Result<()> {
    if store.newest_reports(&opened.access).await? != seen {
        return Err(Error::field(REPORTS_FIELD, &V::PLAN_NEW_REPORTS));
    }
    Ok(())
}

/// The field a refusal for reports not shown names: the page's list of new reports,
/// the API body's `reports_seen`.
pub const REPORTS_FIELD: &str = "reports";

/// The engine's proposal for the active plan `version` on `today`, from the patient's
/// scores and the flags of their diary under the unit's policy. A proposal belongs to the plan version and the
/// scores it was made from: scores recorded before `version` was signed were seen then
/// (`PlanVersion::scores_seen`), so they count as assessments but move no new proposal
/// — once signed, a proposal is gone.
async fn proposal_for(
    store: &Store,
    opened: &OpenedPatient,
    engine: Engine<'_>,
    version: &PlanVersion,
    plan: &Plan,
    today: Date,
) -> Result<Proposal> {
    let records = store.scores(&opened.access).await?;
    let mut observations =
        crate::scores::observations(engine.instruments, &records, version.scores_seen);
    let diary = store.diary(&opened.access).await?;
    observations.extend(crate::reports::diary_observations(
        &diary,
        version.diary_seen,
    ));
    Ok(trappa_taper::adapt::propose_next(
        plan,
        today,
        &observations,
        engine.policy,
    ))
}

/// The engine's proposal for the active plan.
#[derive(Debug, Clone)]
pub struct ActiveProposal {
    /// The active plan's version.
    pub version: i64,
    /// The active plan.
    pub plan: Plan,
    /// What the engine proposes today.
    pub proposal: Proposal,
    /// Whether a draft waits on top of the active plan: the draft is signed or
    /// replaced first, so the proposal cannot be signed now.
    pub draft_waiting: bool,
}

/// The plan in force: the patient's active, signed version and its plan — never a
/// draft, which is not a plan anyone follows. `None` while no plan is signed.
pub async fn in_force(
    store: &Store,
    opened: &OpenedPatient,
) -> Result<Option<(PlanVersion, Plan)>> {
    let versions = store.taper_plan_versions(&opened.access).await?;
    match versions
        .into_iter()
        .find(|v| v.status == PlanStatus::Active)
    {
        Some(v) => {
            let plan = parse(&v)?;
            Ok(Some((v, plan)))
        }
        None => Ok(None),
    }
}

/// The engine's proposal today for the newest active plan, if the patient has one.
pub async fn proposal(
    store: &Store,
    opened: &OpenedPatient,
    engine: Engine<'_>,
    today: Date,
) -> Result<Option<ActiveProposal>> {
    let versions = store.taper_plan_versions(&opened.access).await?;
    let Some(active) = versions.iter().find(|v| v.status == PlanStatus::Active) else {
        return Ok(None);
    };
    let plan = parse(active)?;
    let proposal = proposal_for(store, opened, engine, active, &plan, today).await?;
    Ok(Some(ActiveProposal {
        version: active.version,
        plan,
        proposal,
        draft_waiting: versions
            .first()
            .is_some_and(|v| v.version != active.version),
    }))
}

/// What the prescriber would sign: the plan the proposal makes today and its digest
/// (what a signing form names as seen), or the engine's reason it cannot be made, in
/// the caller's language.
pub fn preview(
    caller: &Caller,
    data: &ReferenceData,
    plan: &Plan,
    proposal: &Proposal,
    today: Date,
) -> std::result::Result<(Plan, String), String> {
    let signature = Signature {
        by: caller.display_name.clone(),
        reason: String::new(),
    };
    trappa_taper::adapt::apply(data, plan, proposal, today, &signature)
        .map(|adapted| {
            let digest = trappa_taper::output::ics::plan_digest(&adapted);
            (adapted, digest)
        })
        .map_err(|e| e.message(caller.locale))
}

/// What a prescriber gives when signing the engine's proposal.
#[derive(Debug, Clone, Copy)]
pub struct Adoption<'a> {
    /// Why.
    pub reason: &'a str,
    /// The digest of the plan the page showed ([`preview`]), if it came from a page.
    pub seen: Option<&'a str>,
    /// The separate confirmation of a dose above a safety ceiling.
    pub confirmed_high: bool,
    /// The patient's reports the prescriber was shown ([`reports_now`] when the page or
    /// the API's plan was read): the signature covers these and no others.
    pub reports: ReportsSeen,
}

/// Signs the engine's proposal as the new plan if `expected` is the active version.
/// The proposal is made again here from the stored scores, never taken from the
/// caller; one that changed since the page showed it (`seen`) is refused. Returns the
/// new version, or `None` when the proposal is to go on as planned.
pub async fn adopt(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    engine: Engine<'_>,
    expected: i64,
    signing: Adoption<'_>,
    today: Date,
) -> Result<Option<i64>> {
    let reason = signing.reason.trim();
    check_reason(reason).finish(())?;
    reports_unchanged(store, opened, signing.reports).await?;
    let versions = store.taper_plan_versions(&opened.access).await?;
    let current = versions
        .first()
        .filter(|v| v.version == expected && v.status == PlanStatus::Active)
        .ok_or(Error::Stale)?;
    let plan = parse(current)?;
    let proposal = proposal_for(store, opened, engine, current, &plan, today).await?;
    if proposal.action == Action::Continue {
        return Ok(None);
    }
    if let Some(seen) = signing.seen
        && preview(caller, engine.data, &plan, &proposal, today)
            .ok()
            .map(|(_, digest)| digest)
            .as_deref()
            != Some(seen)
    {
        return Err(Error::field("reason", &V::PROPOSAL_CHANGED));
    }
    let signature = Signature {
        by: caller.display_name.clone(),
        reason: reason.to_owned(),
    };
    let adapted = trappa_taper::adapt::apply(engine.data, &plan, &proposal, today, &signature)
        .map_err(|e| {
            Error::invalid(
                Fault::new("reason", &V::PROPOSAL_REFUSED)
                    .with("message", e.message(caller.locale)),
            )
        })?;
    if !trappa_taper::check::check(&adapted, engine.data).is_empty() {
        return Err(Error::field("reason", &V::PLAN_BREAKS_INVARIANT));
    }
    if let Some(f) = confirm_high_fault(&adapted, signing.confirmed_high) {
        return Err(Error::invalid(f));
    }
    let request = serde_json::to_string(&adapted.request)?;
    let plan_json = serde_json::to_string(&adapted)?;
    let log = NewEntry::new(&caller.actor, LogAction::Update, RESOURCE);
    let adopted = store
        .adopt_taper_plan(
            &opened.access,
            expected,
            &request,
            &plan_json,
            caller.account_id,
            reason,
            Some(signing.reports),
            &log,
        )
        .await?;
    crate::notify::queue(store, opened.id(), crate::notify::NoticeKind::Plan).await;
    Ok(Some(adopted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reports_token_reads_back_and_nothing_else_does() {
        let some = ReportsSeen {
            score: Some(Uuid::now_v7()),
            diary: None,
        };
        for seen in [some, ReportsSeen::default()] {
            assert_eq!(parse_reports_token(&reports_token(&seen)), Some(seen));
        }
        for bad in ["", "-", "x.-", "-.-.-", "1.2"] {
            assert_eq!(parse_reports_token(bad), None, "{bad}");
        }
    }
}
