//! Adaptation: how the patient is doing → a proposed next action, with its reasons.
//!
//! A proposal is only a proposal: the service makes it the plan when a prescriber signs
//! ([`apply`] takes the signature). The rules are Trappa's defaults, from the sources'
//! shared advice — monitor at each reduction; if significant symptoms appear, slow or
//! pause (ASAM 2025); hold rather than go back up (Ashton), or return to the previous
//! level and slow down (Terveyskylä) — and where guidelines disagree (stepping back) the
//! unit chooses in [`Policy`].

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use trappa_i18n::{Locale, fill};

use crate::edit::{doses_at, replan_from};
use crate::error::{InputError, Problem};
use crate::generate::apply_hold;
use crate::notice::Notice;
use crate::plan::{Plan, Reduction, Signature};
use crate::reference::ReferenceData;
pub use crate::rules::{Policy, StepBackPolicy};
use crate::text::T;

/// A scale's band, as the instrument defines it (none, mild, moderate, severe; "very
/// severe" and "moderately severe" count as severe).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// No significant symptoms.
    None,
    /// Mild.
    Mild,
    /// Moderate.
    Moderate,
    /// Severe.
    Severe,
}

/// A report that needs a physician now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// A seizure.
    Seizure,
    /// Suicidal thoughts (e.g. PHQ-9 item 9 above 0).
    SuicidalThoughts,
    /// Confusion, hallucinations or delirium.
    Confusion,
    /// An overdose or an intoxication.
    Overdose,
    /// A fall with injury.
    Fall,
    /// Use beyond the prescription, or from other sources.
    UseBeyondPrescription,
    /// The patient asks to pause.
    PatientAsksPause,
}

impl Flag {
    /// True for reports that need a physician the same day.
    pub fn is_urgent(self) -> bool {
        !matches!(self, Flag::PatientAsksPause)
    }
}

/// A score, with the band the instrument puts it in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Score {
    /// Instrument ("BWSQ", "CIWA-B", "COWS", "PHQ-9" …).
    pub instrument: String,
    /// The score.
    pub value: f64,
    /// Its band.
    pub band: Band,
}

/// What was measured and reported on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// The day.
    #[serde(deserialize_with = "trappa_input::date::deserialize")]
    #[schemars(with = "trappa_input::date::JsonDate")]
    pub date: Date,
    /// Scores.
    #[serde(default)]
    pub scores: Vec<Score>,
    /// Reports.
    #[serde(default)]
    pub flags: Vec<Flag>,
    /// Already seen when the plan in force was signed: it counts as an assessment and as
    /// history, but moves no new proposal (a proposal, once signed, is gone).
    #[serde(default)]
    pub acted_on: bool,
}

/// The proposed action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// Go on as planned.
    Continue,
    /// Keep the current dose longer.
    Hold {
        /// Weeks.
        weeks: u32,
    },
    /// Longer intervals for the rest of the plan.
    SlowDown {
        /// The new interval in weeks.
        interval_weeks: u32,
    },
    /// Back to the last tolerated dose (the step before the current one), held, then on
    /// more slowly.
    StepBack {
        /// The step whose dose is returned to (0 = the starting dose).
        to_step: usize,
        /// Weeks to hold it.
        hold_weeks: u32,
        /// The new interval in weeks afterwards.
        interval_weeks: u32,
    },
}

/// Why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// Scores are in no or mild bands.
    Tolerated,
    /// A score in a band.
    ScoreBand {
        /// Instrument.
        instrument: String,
        /// Band.
        band: Band,
    },
    /// Moderate symptoms twice in a row.
    Persistent,
    /// A report.
    Flagged {
        /// Which.
        flag: Flag,
    },
    /// No observation since the current step began.
    NoRecentScores,
    /// Nothing recorded since the plan in force was signed.
    NothingNew,
}

impl Reason {
    /// The text in a language.
    pub fn message(&self, locale: Locale) -> String {
        let band = |b: Band| match b {
            Band::None => T::BAND_NONE.get(locale),
            Band::Mild => T::BAND_MILD.get(locale),
            Band::Moderate => T::BAND_MODERATE.get(locale),
            Band::Severe => T::BAND_SEVERE.get(locale),
        };
        match self {
            Reason::Tolerated => T::R_TOLERATED.get(locale).to_owned(),
            Reason::ScoreBand {
                instrument,
                band: b,
            } => fill(
                T::R_SCORE.get(locale),
                &[("instrument", instrument), ("band", band(*b))],
            ),
            Reason::Persistent => T::R_PERSISTENT.get(locale).to_owned(),
            Reason::Flagged { flag } => {
                fill(T::R_FLAG.get(locale), &[("flag", flag_text(*flag, locale))])
            }
            Reason::NoRecentScores => T::R_NO_SCORES.get(locale).to_owned(),
            Reason::NothingNew => T::R_NOTHING_NEW.get(locale).to_owned(),
        }
    }
}

/// A flag's name in a language.
pub fn flag_text(flag: Flag, locale: Locale) -> &'static str {
    match flag {
        Flag::Seizure => T::F_SEIZURE.get(locale),
        Flag::SuicidalThoughts => T::F_SUICIDAL.get(locale),
        Flag::Confusion => T::F_CONFUSION.get(locale),
        Flag::Overdose => T::F_OVERDOSE.get(locale),
        Flag::Fall => T::F_FALL.get(locale),
        Flag::UseBeyondPrescription => T::F_BEYOND.get(locale),
        Flag::PatientAsksPause => T::F_PAUSE.get(locale),
    }
}

/// The engine's proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Proposal {
    /// The action.
    pub action: Action,
    /// Reports the physician must see now.
    pub urgent: Vec<Flag>,
    /// Why.
    pub reasons: Vec<Reason>,
}

/// Days before a change within which a missing score makes the engine propose to wait.
pub const ASSESS_BEFORE_CHANGE_DAYS: i32 = 7;

/// Proposes the next action on `today` from the observations (any order). Its reasons
/// name every score band and every report that moved it — the patient's own wish to
/// pause included.
///
/// The caller passes only what the prescriber has not yet acted on: observations
/// recorded before the plan version in force was signed were seen when it was signed,
/// so a signed proposal is gone and is not made again from the same scores.
pub fn propose_next(
    plan: &Plan,
    today: Date,
    observations: &[Observation],
    policy: &Policy,
) -> Proposal {
    let mut proposal = propose_from(plan, today, observations, policy);
    let pause = Reason::Flagged {
        flag: Flag::PatientAsksPause,
    };
    let since = plan
        .step_on(today)
        .map(|s| s.start)
        .unwrap_or(plan.request.start);
    let asked = observations.iter().any(|o| {
        !o.acted_on
            && o.date >= since
            && o.date <= today
            && o.flags.contains(&Flag::PatientAsksPause)
    });
    if asked && proposal.action != Action::Continue && !proposal.reasons.contains(&pause) {
        proposal.reasons.push(pause);
    }
    proposal
}

/// The proposal for the step `today` falls in, from the scores and flags since it
/// began (those not yet acted on) and the policy.
fn propose_from(
    plan: &Plan,
    today: Date,
    observations: &[Observation],
    policy: &Policy,
) -> Proposal {
    let current = plan.step_on(today);
    let since = current.map(|s| s.start).unwrap_or(plan.request.start);
    let number = current.map(|s| s.number).unwrap_or(0);
    let in_step = |o: &&Observation| o.date >= since && o.date <= today;
    let assessed = observations.iter().any(|o| in_step(&o));
    let mut recent: Vec<&Observation> = observations
        .iter()
        .filter(in_step)
        .filter(|o| !o.acted_on)
        .collect();
    recent.sort_by_key(|o| o.date);
    // History for "twice in a row": before the step, or already acted on.
    let mut earlier: Vec<&Observation> = observations
        .iter()
        .filter(|o| o.date < since || (o.acted_on && o.date <= today))
        .collect();
    earlier.sort_by_key(|o| o.date);
    let interval = plan.request.pace().interval_weeks();
    // Slower by the policy's factor, at most 26 weeks a step — but always slower than
    // now, even for a plan (posted to the API as it stands) whose interval is already
    // longer than that.
    let slower = ((f64::from(interval) * policy.slow_factor).ceil() as u32)
        .min(26)
        .max(interval.saturating_add(1));

    let mut reasons = Vec::new();
    let mut urgent: Vec<Flag> = Vec::new();
    for o in &recent {
        for f in &o.flags {
            if f.is_urgent() && !urgent.contains(f) {
                urgent.push(*f);
            }
        }
    }
    let worst = |obs: &[&Observation]| {
        obs.iter()
            .flat_map(|o| o.scores.iter())
            .max_by_key(|s| s.band)
            .cloned()
    };
    let worst_now = worst(&recent);
    let worst_before = worst(&earlier[earlier.len().saturating_sub(1)..]);
    let pause = recent
        .iter()
        .any(|o| o.flags.contains(&Flag::PatientAsksPause));

    let step_back = |reasons: Vec<Reason>| Proposal {
        action: Action::StepBack {
            to_step: number.saturating_sub(1),
            hold_weeks: policy.hold_weeks.max(2),
            interval_weeks: slower,
        },
        urgent: urgent.clone(),
        reasons,
    };
    let hold = |weeks: u32, reasons: Vec<Reason>| Proposal {
        action: Action::Hold { weeks },
        urgent: urgent.clone(),
        reasons,
    };

    if urgent.contains(&Flag::Seizure) || urgent.contains(&Flag::Confusion) {
        reasons.extend(urgent.iter().map(|f| Reason::Flagged { flag: *f }));
        return if policy.step_back != StepBackPolicy::Never && number > 0 {
            step_back(reasons)
        } else {
            hold(policy.hold_weeks.max(4), reasons)
        };
    }
    if !urgent.is_empty() {
        reasons.extend(urgent.iter().map(|f| Reason::Flagged { flag: *f }));
        return hold(policy.hold_weeks.max(2), reasons);
    }
    let Some(score) = worst_now else {
        if pause {
            return hold(
                policy.hold_weeks,
                vec![Reason::Flagged {
                    flag: Flag::PatientAsksPause,
                }],
            );
        }
        return nothing_measured(plan, today, assessed, urgent);
    };
    let band_reason = Reason::ScoreBand {
        instrument: score.instrument.clone(),
        band: score.band,
    };
    match score.band {
        Band::Severe => {
            if policy.step_back != StepBackPolicy::Never && number > 0 {
                step_back(vec![band_reason])
            } else {
                hold(policy.hold_weeks.max(4), vec![band_reason])
            }
        }
        Band::Moderate => {
            if policy.step_back == StepBackPolicy::OnModerate && number > 0 {
                step_back(vec![band_reason])
            } else if worst_before.is_some_and(|s| s.band >= Band::Moderate) {
                Proposal {
                    action: Action::SlowDown {
                        interval_weeks: slower,
                    },
                    urgent,
                    reasons: vec![band_reason, Reason::Persistent],
                }
            } else {
                hold(policy.hold_weeks, vec![band_reason])
            }
        }
        Band::None | Band::Mild => {
            if pause {
                hold(
                    policy.hold_weeks,
                    vec![Reason::Flagged {
                        flag: Flag::PatientAsksPause,
                    }],
                )
            } else {
                Proposal {
                    action: Action::Continue,
                    urgent,
                    reasons: vec![Reason::Tolerated],
                }
            }
        }
    }
}

/// Nothing measured since the step began (none not yet acted on, if `assessed`): hold
/// a week only when a change is due within a week, so the patient is assessed before
/// it; otherwise go on, and say that a score is wanted before the next step.
fn nothing_measured(plan: &Plan, today: Date, assessed: bool, urgent: Vec<Flag>) -> Proposal {
    if assessed {
        return Proposal {
            action: Action::Continue,
            urgent,
            reasons: vec![Reason::NothingNew],
        };
    }
    let next_change = plan.steps.iter().map(|s| s.start).find(|d| *d > today);
    let due_soon = next_change.is_some_and(|d| (d - today).get_days() <= ASSESS_BEFORE_CHANGE_DAYS);
    Proposal {
        action: if due_soon {
            Action::Hold { weeks: 1 }
        } else {
            Action::Continue
        },
        urgent,
        reasons: vec![Reason::NoRecentScores],
    }
}

fn with_interval(r: &Reduction, weeks: u32) -> Reduction {
    let mut r = r.clone();
    match &mut r {
        Reduction::Slow { interval_weeks, .. }
        | Reduction::Hyperbolic { interval_weeks, .. }
        | Reduction::Linear { interval_weeks, .. } => *interval_weeks = weeks,
    }
    r
}

/// Makes a signed proposal the plan, from `today`.
pub fn apply(
    data: &ReferenceData,
    plan: &Plan,
    proposal: &Proposal,
    today: Date,
    signature: &Signature,
) -> Result<Plan, InputError> {
    let reason = proposal
        .reasons
        .iter()
        .map(|r| r.message(Locale::Sv))
        .collect::<Vec<_>>()
        .join("; ");
    let current = plan.step_on(today);
    match &proposal.action {
        Action::Continue => Ok(plan.clone()),
        Action::Hold { weeks } => {
            let mut out = plan.clone();
            let step = current
                .map(|s| s.number)
                .ok_or_else(|| InputError::new("today", Problem::NoSuchStep { step: 0 }))?;
            apply_hold(&mut out, step, *weeks, &reason).map_err(|p| InputError::new("step", p))?;
            Ok(out)
        }
        Action::SlowDown { interval_weeks } => {
            let step =
                current.ok_or_else(|| InputError::new("today", Problem::NoSuchStep { step: 0 }))?;
            let from = step.end().unwrap_or(today).max(today);
            let doses = doses_at(plan, Some(step));
            replan_from(
                data,
                plan,
                from,
                &doses,
                with_interval(&plan.request.pace(), *interval_weeks),
                None,
                Notice::SlowedDown { reason },
            )
        }
        Action::StepBack {
            to_step,
            hold_weeks,
            interval_weeks,
        } => {
            let back = if *to_step == 0 {
                None
            } else {
                plan.steps.get(to_step - 1)
            };
            let doses = doses_at(plan, back);
            replan_from(
                data,
                plan,
                today,
                &doses,
                with_interval(&plan.request.pace(), *interval_weeks),
                Some((signature.clone(), *hold_weeks)),
                Notice::SlowedDown { reason },
            )
        }
    }
}
