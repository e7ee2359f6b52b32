//! The care team and emergency access: who may read a patient's record. A member
//! joins with a function they fit, leaves, or hands the function over in one step (it
//! is never vacant); outside the team, emergency access takes a reason, lasts a fixed
//! time and is flagged for review.

use trappa_i18n::Msg;
use trappa_policy::AccessBasis;
use trappa_store::Store;
use trappa_store::StoreError;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::accounts::Account;
use trappa_store::care_team::TeamFunction;
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::text::V;
use crate::{Caller, Error, Fault, Result};

/// What the access log calls the care team.
pub const RESOURCE: &str = "patient.care_team";
/// The longest reason for emergency access.
pub const MAX_EMERGENCY_REASON: usize = 1000;

/// A care-team function's name.
pub fn function_label(f: TeamFunction) -> &'static Msg {
    match f {
        TeamFunction::FastVardkontakt => &V::FN_FAST_VARDKONTAKT,
        TeamFunction::Prescriber => &V::FN_PRESCRIBER,
        TeamFunction::Psychosocial => &V::FN_PSYCHOSOCIAL,
        TeamFunction::Physiotherapist => &V::FN_PHYSIOTHERAPIST,
        TeamFunction::Other => &V::FN_OTHER,
    }
}

/// The active clinician `account_id` names who may hold `function`
/// ([`TeamFunction::fits`]), or a fault at `account_id`: only they join a care team or
/// take a member's function over.
async fn fitting_member(
    store: &Store,
    caller: &Caller,
    account_id: Option<Uuid>,
    function: TeamFunction,
) -> Result<Account> {
    let account = match account_id {
        Some(id) => store.account(id).await?,
        None => None,
    }
    .filter(|a| a.active && a.roles.iter().any(|r| r.is_clinical()))
    .ok_or_else(|| Error::field("account_id", &V::UNKNOWN_CHOICE))?;
    if !account.roles.iter().any(|r| function.fits(*r)) {
        let rule = match function {
            TeamFunction::Prescriber => &V::FIT_PRESCRIBER,
            TeamFunction::FastVardkontakt => &V::FIT_CONTACT,
            TeamFunction::Psychosocial => &V::FIT_PSYCHOSOCIAL,
            TeamFunction::Physiotherapist => &V::FIT_PHYSIOTHERAPIST,
            TeamFunction::Other => &V::FIT_OTHER,
        };
        let locale = caller.locale;
        return Err(Error::invalid(
            Fault::new("account_id", &V::CARE_TEAM_UNFIT)
                .with("name", account.display_name.clone())
                .with(
                    "function",
                    function_label(function).get(locale).to_lowercase(),
                )
                .with("rule", rule.get(locale)),
        ));
    }
    Ok(account)
}

/// The log entry of a change to the team, `detail` saying which.
fn change_entry<'a>(caller: &'a Caller, opened: &OpenedPatient, detail: String) -> NewEntry<'a> {
    NewEntry::new(&caller.actor, Action::Update, RESOURCE)
        .patient(opened.access.patient_id())
        .basis(opened.basis())
        .flagged(opened.protected_identity)
        .detail(detail)
}

/// What adding a member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// The new membership.
    Member(Uuid),
    /// The account already holds the function: nothing changed.
    AlreadyMember,
}

/// Adds `account_id` to the team with `function` (a code of [`TeamFunction`]), if
/// they fit it (`None`: what was given names no account).
pub async fn add(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    account_id: Option<Uuid>,
    function: &str,
) -> Result<Added> {
    let function = TeamFunction::from_code(function)
        .ok_or_else(|| Error::field("function", &V::UNKNOWN_CHOICE))?;
    let account = fitting_member(store, caller, account_id, function).await?;
    let log = change_entry(caller, opened, format!("add {}", function.code()));
    match store
        .add_care_team_member(
            &opened.access,
            account.id,
            function,
            caller.account_id,
            &log,
        )
        .await
    {
        Ok(id) => Ok(Added::Member(id)),
        Err(StoreError::Duplicate(_)) => Ok(Added::AlreadyMember),
        Err(e) => Err(e.into()),
    }
}

/// Ends membership `member`.
pub async fn end(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    member: Uuid,
) -> Result<()> {
    let log = change_entry(caller, opened, "end".to_owned());
    Ok(store
        .end_care_team_member(&opened.access, member, caller.account_id, &log)
        .await?)
}

/// Hands the function of current member `member` over to `account_id`, if they fit
/// it: the old membership ends as the new one starts. A member who has left in the
/// meantime makes the request stale. Returns the new membership.
pub async fn hand_over(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    member: Uuid,
    account_id: Option<Uuid>,
) -> Result<Uuid> {
    let function = store
        .care_team(&opened.access)
        .await?
        .into_iter()
        .find(|m| m.id == member && m.ended_at.is_none())
        .map(|m| m.function)
        .ok_or(Error::Stale)?;
    let account = fitting_member(store, caller, account_id, function).await?;
    let log = change_entry(caller, opened, "hand over".to_owned());
    store
        .hand_over_care_team_member(&opened.access, member, account.id, caller.account_id, &log)
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => Error::field("account_id", &V::CARE_TEAM_ALREADY),
            other => other.into(),
        })
}

/// Opens a time-limited, flagged emergency access to `patient` for the caller, with
/// the reason a reviewer will read: at least
/// [`trappa_policy::emergency::MIN_REASON_CHARS`] visible characters. A refused
/// attempt is logged too, flagged for an auditor's eye. Returns the access's id.
pub async fn take_emergency_access(
    store: &Store,
    caller: &Caller,
    patient: Uuid,
    reason: &str,
) -> Result<Uuid> {
    let now = trappa_store::now();
    store
        .access_facts(caller.account_id, caller.role, patient, now)
        .await?
        .ok_or(Error::NotFound)?;
    let reason = reason.trim();
    let min = trappa_policy::emergency::MIN_REASON_CHARS;
    // What a reviewer will read: invisible characters do not make a reason longer.
    let fault = if trappa_input::text::visible_len(reason) < min {
        Some(Fault::new("reason", &V::EMERGENCY_REASON_SHORT).with("n", min.to_string()))
    } else if reason.chars().count() > MAX_EMERGENCY_REASON {
        Some(Fault::new("reason", &V::TOO_LONG).with("n", MAX_EMERGENCY_REASON.to_string()))
    } else if reason.chars().any(trappa_input::text::is_removed) {
        Some(Fault::new("reason", &V::BAD_CHARACTERS))
    } else {
        None
    };
    if let Some(fault) = fault {
        store
            .append_access_log(
                &NewEntry::new(&caller.actor, Action::EmergencyAccess, "patient")
                    .patient(patient)
                    .denied()
                    .flagged(true)
                    .detail("reason refused".to_owned()),
            )
            .await?;
        return Err(Error::invalid(fault));
    }
    let entry = NewEntry::new(&caller.actor, Action::EmergencyAccess, "patient")
        .patient(patient)
        .basis(AccessBasis::Emergency)
        .flagged(true);
    let expires = now + jiff::SignedDuration::from_mins(trappa_policy::emergency::DURATION_MINUTES);
    Ok(store
        .open_emergency_access(
            caller.account_id,
            patient,
            caller.role.code(),
            reason,
            expires,
            &entry,
        )
        .await?)
}

/// The patients whose care team the caller is in (at most `limit`), the listing and
/// every patient logged.
pub async fn caseload(
    store: &Store,
    caller: &Caller,
    limit: i64,
) -> Result<Vec<trappa_store::care_team::CaseloadEntry>> {
    let log = NewEntry::new(&caller.actor, Action::Listed, "start.caseload");
    Ok(store.caseload(caller.account_id, limit, &log).await?)
}
