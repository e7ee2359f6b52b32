//! What the patient reads of their own record in the portal ("Min journal"): the
//! journal notes the unit releases to patients, the reply letters on their referral,
//! and the versions of their plan as signed.
//!
//! The unit decides which kinds of note are released and after how many days (a note
//! written today is read by the patient after the delay, so the clinician can talk
//! with the patient first): a unit document `journal_release` kept as versions, set by
//! the unit manager. Until the unit sets it, every kind is released after
//! [`DEFAULT_DELAY_DAYS`] days.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use trappa_pathway::visits::Kind;
use trappa_store::Store;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::referrals::Referral;
use trappa_store::taper_plans::{PlanStatus, PlanVersion};
use trappa_store::units::UnitKind;
use trappa_store::visits::JournalNote;
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, MAX_REASON, Result};

/// The unit document that holds the release rules.
pub const RELEASE_DOCUMENT: &str = "journal_release";
/// What the access log calls the patient's reading of their record in the portal.
pub const OWN_RESOURCE: &str = "own.record";
/// What the access log calls a change of the release rules.
pub const RULES_RESOURCE: &str = "unit.journal_release";
/// Days before a note is released, until the unit says otherwise.
pub const DEFAULT_DELAY_DAYS: u16 = 14;
/// The longest delay a unit may set.
pub const MAX_DELAY_DAYS: u16 = 90;

/// Which notes the patient reads, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRules {
    /// The kinds of note released (their codes).
    pub kinds: Vec<String>,
    /// Days after it was written that a note is released.
    pub delay_days: u16,
}

impl Default for ReleaseRules {
    fn default() -> Self {
        ReleaseRules {
            kinds: Kind::ALL.iter().map(|k| k.code().to_owned()).collect(),
            delay_days: DEFAULT_DELAY_DAYS,
        }
    }
}

impl ReleaseRules {
    /// Whether notes of `kind` are released at all.
    pub fn releases(&self, kind: Kind) -> bool {
        self.kinds.iter().any(|k| k == kind.code())
    }

    /// When `note` is released (its kind released): the delay after its newest version
    /// was written — a correction is held back as the note was, so the care team can
    /// speak to the patient first.
    pub fn release_at(&self, note: &JournalNote) -> Timestamp {
        note.authored_at + SignedDuration::from_hours(24 * i64::from(self.delay_days))
    }

    /// Whether the patient reads `note` at `now`.
    pub fn released(&self, note: &JournalNote, now: Timestamp) -> bool {
        self.releases(note.kind) && self.release_at(note) <= now
    }
}

/// A unit's rules with the version they are.
#[derive(Debug, Clone)]
pub struct UnitRules {
    /// The rules in force.
    pub rules: ReleaseRules,
    /// Their version (0: the defaults, never set).
    pub version: i64,
    /// Who set them, when and why.
    pub set: Option<(String, Timestamp, String)>,
}

/// The unit's release rules (the defaults if it never set them).
pub async fn unit_rules(store: &Store, unit: Uuid) -> Result<UnitRules> {
    match store.document(unit, RELEASE_DOCUMENT).await? {
        None => Ok(UnitRules {
            rules: ReleaseRules::default(),
            version: 0,
            set: None,
        }),
        Some(d) => Ok(UnitRules {
            rules: serde_json::from_str(&d.body)?,
            version: d.version,
            set: Some((d.author_name, d.authored_at, d.reason)),
        }),
    }
}

/// The rules as typed.
#[derive(Debug, Clone, Default)]
pub struct RulesInput {
    /// The kinds ticked.
    pub kinds: Vec<String>,
    /// The delay in days.
    pub delay_days: String,
    /// Why the change.
    pub reason: String,
    /// The version the form showed.
    pub expected: i64,
}

/// Saves the unit's rules as a new version on the one shown (else [`crate::Error::Stale`]):
/// known kinds only, a delay of 0 to [`MAX_DELAY_DAYS`] days, a reason. Logged.
pub async fn save_rules(
    store: &Store,
    caller: &Caller,
    unit: Uuid,
    input: &RulesInput,
) -> Result<i64> {
    // The head of a unit decides for that unit only.
    if caller.unit_id != Some(unit) {
        return Err(Error::Forbidden);
    }
    let mut faults = Faults::default();
    if input.kinds.iter().any(|k| Kind::from_code(k).is_none()) {
        faults.push(Fault::new("kinds", &V::UNKNOWN_CHOICE));
    }
    let delay = crate::parse_allowed::<u16>(input.delay_days.trim(), |d| *d <= MAX_DELAY_DAYS);
    if delay.is_none() {
        faults.push(Fault::new("delay_days", &V::RELEASE_ERR_DELAY).with(
            "max",
            trappa_i18n::format::integer(i64::from(MAX_DELAY_DAYS), caller.locale),
        ));
    }
    faults.text("reason", &input.reason, true, MAX_REASON);
    faults.finish(())?;
    let rules = ReleaseRules {
        // In the order the kinds are listed everywhere, each once.
        kinds: Kind::ALL
            .iter()
            .filter(|k| input.kinds.iter().any(|c| c == k.code()))
            .map(|k| k.code().to_owned())
            .collect(),
        delay_days: delay.unwrap_or(DEFAULT_DELAY_DAYS),
    };
    let body = serde_json::to_string(&rules)?;
    let version = store
        .save_document(
            unit,
            RELEASE_DOCUMENT,
            input.expected,
            &body,
            caller.account_id,
            input.reason.trim(),
        )
        .await?;
    store
        .append_access_log(&NewEntry::new(
            &caller.actor,
            Action::Update,
            RULES_RESOURCE,
        ))
        .await?;
    Ok(version)
}

/// The unit whose rules apply to every patient: the region's tapering unit.
pub async fn tapering_unit(store: &Store) -> Result<Option<Uuid>> {
    Ok(store
        .units(UnitKind::TaperingUnit)
        .await?
        .into_iter()
        .next()
        .map(|u| u.id))
}

/// What the patient reads of their record.
pub struct OwnRecord {
    /// The notes released, newest first.
    pub notes: Vec<JournalNote>,
    /// Notes of a released kind not yet released (the delay runs).
    pub waiting: usize,
    /// The rules that applied.
    pub rules: ReleaseRules,
    /// The plan's signed versions, newest (the one in force) first.
    pub plans: Vec<PlanVersion>,
    /// The referral that brought the patient, with its decisions (each a reply letter).
    pub referral: Option<Referral>,
}

/// Reads the patient's own record as the portal shows it, at `now`.
pub async fn read(store: &Store, opened: &OpenedPatient, now: Timestamp) -> Result<OwnRecord> {
    let rules = match tapering_unit(store).await? {
        Some(unit) => unit_rules(store, unit).await?.rules,
        None => ReleaseRules::default(),
    };
    let journal = store.journal(&opened.access).await?;
    let waiting = journal
        .iter()
        .filter(|n| rules.releases(n.kind) && !rules.released(n, now))
        .count();
    let notes = journal
        .into_iter()
        .filter(|n| rules.released(n, now))
        .collect();
    let plans = store
        .taper_plan_versions(&opened.access)
        .await?
        .into_iter()
        .filter(|v| v.status == PlanStatus::Active)
        .collect();
    let referral = store.patient_referral(&opened.access).await?;
    Ok(OwnRecord {
        notes,
        waiting,
        rules,
        plans,
        referral,
    })
}
