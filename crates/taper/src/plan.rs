//! The plan: what was asked ([`PlanRequest`]) and what the engine proposes ([`Plan`]).

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::achievable::{MenuLimits, Part};
use crate::amount::Amount;
use crate::convert::TableChoice;
use crate::notice::Notice;
use crate::reference::{DrugClass, EquivalentUnit, Form, Route, Status};
use crate::regimen::Regimen;
pub use crate::rules::{DoseTimeGroup, DoseTimeRule};

/// How each step is sized.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Reduction {
    /// A share of the current dose per step — the TUB model's slow taper and the default.
    Slow {
        /// Percent of the current daily dose per step.
        #[serde(default = "ten")]
        percent: f64,
        /// Weeks between steps.
        #[serde(default = "two")]
        interval_weeks: u32,
        /// Slower below a threshold.
        #[serde(default, deserialize_with = "trappa_input::json::object")]
        low_dose: LowDose,
    },
    /// Equal steps in modelled receptor occupancy (Emax model, n = 1).
    Hyperbolic {
        /// Occupancy removed per step, percent of the starting occupancy.
        #[serde(default = "five")]
        occupancy_percent: f64,
        /// Weeks between steps.
        #[serde(default = "two")]
        interval_weeks: u32,
    },
    /// A fixed share of the starting dose per step.
    Linear {
        /// Percent of the starting dose per step.
        #[serde(default = "ten")]
        percent_of_start: f64,
        /// Weeks between steps.
        #[serde(default = "two")]
        interval_weeks: u32,
    },
}

fn ten() -> f64 {
    10.0
}
fn five() -> f64 {
    5.0
}
fn two() -> u32 {
    2
}

impl Default for Reduction {
    fn default() -> Reduction {
        Reduction::Slow {
            percent: 10.0,
            interval_weeks: 2,
            low_dose: LowDose::default(),
        }
    }
}

impl Reduction {
    /// Weeks between steps.
    pub fn interval_weeks(&self) -> u32 {
        match self {
            Reduction::Slow { interval_weeks, .. }
            | Reduction::Hyperbolic { interval_weeks, .. }
            | Reduction::Linear { interval_weeks, .. } => *interval_weeks,
        }
    }

    /// The kind as text ("slow", "hyperbolic", "linear").
    pub fn kind(&self) -> &'static str {
        match self {
            Reduction::Slow { .. } => "slow",
            Reduction::Hyperbolic { .. } => "hyperbolic",
            Reduction::Linear { .. } => "linear",
        }
    }
}

/// Slower tapering at low doses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LowDose {
    /// Below this percent of the starting dose the slower pace applies.
    pub below_percent_of_start: f64,
    /// Weeks between steps there (default: twice the interval).
    pub interval_weeks: Option<u32>,
    /// Percent per step there (default: as above it).
    pub percent: Option<f64>,
}

impl Default for LowDose {
    fn default() -> LowDose {
        LowDose {
            below_percent_of_start: 25.0,
            interval_weeks: None,
            percent: None,
        }
    }
}

/// Switching benzodiazepines and Z-drugs to diazepam before the taper, in portions:
/// at each step a portion of one dose time (the evening or night first) is replaced by
/// diazepam, which is kept at one or two doses a day. Below the diazepam ceiling the
/// total DE stays constant; above it the switch also reduces, at the plan's own rate.
/// Values left out are the reference data's rules ([`crate::rules`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Substitution {
    /// Weeks between portions (Ashton: about weekly).
    #[serde(default = "one")]
    pub interval_weeks: u32,
    /// Diazepam equivalents switched per portion (default: the rule `switch_portion_de`).
    #[serde(default)]
    pub portion_de: Option<f64>,
    /// A portion per substance in its own unit (mg), instead of `portion_de`.
    #[serde(default)]
    pub portions: Vec<SubstanceAmount>,
    /// Diazepam mg a day above which the switch reduces as it goes and the plan warns
    /// (default: the rule `diazepam_max_per_day`).
    #[serde(default)]
    pub max_per_day: Option<f64>,
    /// Diazepam mg in one dose above which the plan warns (default: the rule
    /// `diazepam_max_per_dose`).
    #[serde(default)]
    pub max_per_dose: Option<f64>,
}

/// An amount of one substance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubstanceAmount {
    /// Substance id or name.
    pub substance: String,
    /// In the substance's dose unit (mg).
    pub amount: f64,
}

fn one() -> u32 {
    1
}

impl Substitution {
    /// A switch every `interval_weeks`, everything else by the rules.
    pub fn every(interval_weeks: u32) -> Substitution {
        Substitution {
            interval_weeks,
            portion_de: None,
            portions: Vec::new(),
            max_per_day: None,
            max_per_dose: None,
        }
    }
}

/// How several drugs are tapered.
///
/// The variants without fields are written `Staggered {}`, not `Staggered`: serde
/// reads a unit variant of an internally tagged enum without looking at the rest of the
/// object, so `{"kind": "staggered", "oder": […]}` would pass despite
/// `deny_unknown_fields`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MultiDrug {
    /// One at a time, in this order of substance ids (the regimen's order by default).
    Staggered {},
    /// One at a time, in a chosen order.
    Ordered {
        /// Substance ids or names, first tapered first.
        order: Vec<String>,
    },
    /// All at once, each by its own share.
    Parallel {},
}

impl Default for MultiDrug {
    fn default() -> Self {
        MultiDrug::Staggered {}
    }
}

/// A dose-time rule chosen for one substance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DoseTimeChoice {
    /// Substance id or name.
    pub substance: String,
    /// The rule.
    pub rule: DoseTimeRule,
}

/// Where a drug's taper ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrugGoal {
    /// Substance id or name.
    pub substance: String,
    /// The daily dose to reach and keep; 0 stops the drug.
    pub target: f64,
}

/// Limits every step obeys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest cut per step, percent of the current dose (default 10; at most 25).
    #[serde(default = "ten")]
    pub max_step_percent: f64,
    /// Weeks the last dose is kept before stopping (default 4).
    #[serde(default = "four")]
    pub final_hold_weeks: u32,
    /// Stop once the dose is at or below this percent of the drug's starting dose (held
    /// `final_hold_weeks` first); by default only from the smallest dose the products
    /// make. Useful with liquids, whose smallest dose is tiny.
    #[serde(default)]
    pub stop_below_percent: Option<f64>,
    /// At most this many products (strengths and forms) per drug through the whole plan
    /// (1–6); none by default: the fewest that make every dose. With a limit the plan is
    /// made with the set of that many products, able to make today's doses, whose steps
    /// are finest: the smallest dose to stop from, then the smallest largest cut.
    #[serde(default)]
    pub max_products: Option<u32>,
    /// How much larger than the maximum step, percent of it, a step back to the curve
    /// may be (0–100); the rule `catch_up_percent` when absent. A plan's request holds
    /// the value it was made with.
    #[serde(default)]
    pub catch_up_percent: Option<f64>,
    /// Limits per dose time.
    #[serde(default)]
    pub dose: MenuLimits,
}

fn four() -> u32 {
    4
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_step_percent: 10.0,
            final_hold_weeks: 4,
            stop_below_percent: None,
            max_products: None,
            catch_up_percent: None,
            dose: MenuLimits::default(),
        }
    }
}

/// The hard ceiling from ASAM 2025: no more than 25 % per 2 weeks.
pub const HARD_CEILING_FRACTION: f64 = 0.25;
/// The ceiling's window, in days.
pub const HARD_CEILING_DAYS: i32 = 14;

/// A pause: keep the dose of a step longer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hold {
    /// The step (1-based) whose dose is kept longer.
    pub step: usize,
    /// Extra weeks.
    pub weeks: u32,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// An opening phase of the taper with a pace of its own (Terveyskylä: two steps of
/// 25 %, then 10–25 % every 1–3 weeks): `steps` steps, each cutting `percent` of the
/// dose before it, every `interval_weeks`. The phases run in order from each drug's
/// taper start; the plan's pace ([`PlanRequest::reduction`]) follows them. Inside a
/// phase a step may cut the phase's percent even above `limits.max_step_percent`; the
/// ceiling of 25 % in two weeks stays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PacePhase {
    /// Steps in the phase (1–26).
    pub steps: u32,
    /// Percent of the dose cut at each step (0.5–25).
    pub percent: f64,
    /// Weeks between the phase's steps (1–12).
    pub interval_weeks: u32,
}

/// One step given its own length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepLength {
    /// The step (1-based).
    pub step: usize,
    /// Weeks the step lasts (1–26); the steps after it move. Refused when the step
    /// after it would then break the ceiling (25 % in two weeks).
    pub weeks: u32,
}

/// Everything the engine needs to propose a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// The current regimen.
    pub regimen: Regimen,
    /// The first day of the plan (1900-01-01 to 2199-12-31: [`trappa_input::date`]).
    #[serde(deserialize_with = "trappa_input::date::deserialize")]
    #[schemars(with = "trappa_input::date::JsonDate")]
    pub start: Date,
    /// Equivalence tables (the unit's defaults when absent).
    #[serde(default)]
    pub tables: TableChoice,
    /// Step sizes; when absent, the slow taper at the pace of the plan's drug class
    /// (the reference data's rules, with their sources), the slowest class when the plan
    /// has several. A plan's own request always holds the pace it was made with.
    #[serde(default)]
    pub reduction: Option<Reduction>,
    /// Switch to diazepam first.
    #[serde(default)]
    pub substitution: Option<Substitution>,
    /// Several drugs.
    #[serde(default)]
    pub multi: MultiDrug,
    /// Targets other than stopping.
    #[serde(default)]
    pub goals: Vec<DrugGoal>,
    /// Step limits.
    #[serde(default)]
    pub limits: Limits,
    /// Pauses.
    #[serde(default)]
    pub holds: Vec<Hold>,
    /// Dose-time rules other than the class's ([`DoseTimeRule::default_for`]).
    #[serde(default)]
    pub dose_times: Vec<DoseTimeChoice>,
    /// Opening phases with their own pace, before `reduction`.
    #[serde(default)]
    pub phases: Vec<PacePhase>,
    /// Steps with a length of their own (applied before `holds`).
    #[serde(default)]
    pub step_lengths: Vec<StepLength>,
}

impl PlanRequest {
    /// The pace: the request's own, or (for a request not yet made into a plan) the
    /// default slow taper. A plan's request always has its own.
    pub fn pace(&self) -> Reduction {
        self.reduction.clone().unwrap_or_default()
    }
}

/// A product as the plan uses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanProduct {
    /// Product id.
    pub id: String,
    /// "Oxascand 10 mg".
    pub name: String,
    /// Form.
    pub form: Form,
    /// "tablett", "kapsel", "plåster", "ml", "droppar".
    pub unit_label: String,
    /// Strength per unit, or mg/ml.
    pub strength: Amount,
    /// Volume of one measured step, for liquids.
    pub step_ml: Option<f64>,
    /// Hours between patch changes.
    pub change_hours: Option<u32>,
    /// The least verified of strength and divisibility.
    pub status: Status,
}

impl PlanProduct {
    /// The dose in one counted part (a quarter of a unit, or one measured step).
    pub fn per_count(&self) -> f64 {
        match self.step_ml {
            Some(ml) => self.strength.as_f64() * ml,
            None => self.strength.as_f64() / 4.0,
        }
    }
}

/// A drug in the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanDrug {
    /// Substance id.
    pub substance: String,
    /// Swedish name.
    pub name: String,
    /// Group.
    pub class: DrugClass,
    /// Route.
    pub route: Route,
    /// "mg" or "µg/h".
    pub unit: String,
    /// Products the doses are made of; `Part::product` indexes this list.
    pub products: Vec<PlanProduct>,
    /// Equivalents per dose unit, when the table has a factor.
    pub factor: Option<PlanFactor>,
    /// The goal: 0 to stop.
    pub target: Amount,
    /// True when added by the plan (diazepam for a substitution).
    pub added: bool,
}

/// An equivalence factor as used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlanFactor {
    /// DE or MME.
    pub unit: EquivalentUnit,
    /// Per dose unit.
    pub factor: f64,
    /// Table id.
    pub table: String,
    /// Status.
    pub status: Status,
}

/// One dose time's dose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Dose {
    /// The amount.
    pub amount: Amount,
    /// What it is made of.
    pub parts: Vec<Part>,
}

/// What happened to a drug at a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Unchanged.
    Same,
    /// Reduced within the maximum step.
    Reduced,
    /// Reduced by more than the maximum because the products allow no smaller step.
    Granular,
    /// A dose time switched away from this drug.
    CrossOverOut,
    /// A dose time switched to this drug.
    CrossOverIn,
    /// Stopped (the last step).
    Stopped,
    /// Back up to an earlier dose, signed.
    StepBack,
    /// Changed by hand.
    Edited,
}

/// A drug's doses during a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DrugStep {
    /// Doses per dose time (morning, noon, evening, night); `None` is no dose. Patches use
    /// the first.
    pub doses: [Option<Dose>; 4],
    /// The daily dose.
    pub per_day: Amount,
    /// What the step aimed for before rounding to the products, when it is a reduction.
    pub aim: Option<Amount>,
    /// The unrounded curve of the strategy from the plan's start, on this day.
    pub ideal: Option<Amount>,
    /// What happened.
    pub change: Change,
}

/// Equivalents of a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepTotal {
    /// DE or MME.
    pub unit: EquivalentUnit,
    /// A day.
    pub per_day: f64,
}

/// A signature on a change that needs one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Signature {
    /// Who signed (name or HSA-id).
    pub by: String,
    /// Why.
    pub reason: String,
}

/// A period with the same doses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Step {
    /// 1-based.
    pub number: usize,
    /// First day.
    pub start: Date,
    /// Days the step lasts; `None` for the last step (stopped, or the target kept).
    pub days: Option<u32>,
    /// Per plan drug, in the plan's drug order.
    pub drugs: Vec<DrugStep>,
    /// Equivalents per unit.
    pub totals: Vec<StepTotal>,
    /// Notes.
    pub notes: Vec<Notice>,
    /// A signed rise (a step back); every other rise is refused.
    pub signed: Option<Signature>,
    /// The part of the plan the step belongs to.
    #[serde(default)]
    pub phase: Phase,
}

/// The parts of a plan, each shown as its own phase in every output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Switching to diazepam, portion by portion.
    Switch,
    /// An opening phase of the request's `phases` (0-based), at its own pace.
    Opening(u8),
    /// Reducing.
    #[default]
    Taper,
}

impl Step {
    /// The day after the last (exclusive end), if it ends.
    pub fn end(&self) -> Option<Date> {
        self.days.map(|d| {
            self.start
                .saturating_add(jiff::Span::new().days(i64::from(d)))
        })
    }
}

/// A point on the ideal curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IdealPoint {
    /// Days from the plan's start.
    pub day: u32,
    /// The unrounded dose.
    pub dose: Amount,
}

/// A proposed taper plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    /// The JSON schema version of this document.
    pub schema: u32,
    /// The reference data version used.
    pub data_version: String,
    /// The DE table used.
    pub de_table: String,
    /// The MME table used.
    pub mme_table: String,
    /// The request the plan answers.
    pub request: PlanRequest,
    /// The drugs.
    pub drugs: Vec<PlanDrug>,
    /// The current use, before the first step.
    pub baseline: Vec<DrugStep>,
    /// Equivalents before the first step.
    pub baseline_totals: Vec<StepTotal>,
    /// The steps, in time order.
    pub steps: Vec<Step>,
    /// The strategy's unrounded curve per drug (same order as `drugs`).
    pub ideal: Vec<Vec<IdealPoint>>,
    /// Warnings a prescriber reads before signing.
    pub warnings: Vec<Notice>,
}

/// The current schema version of [`Plan`].
pub const PLAN_SCHEMA: u32 = 1;

impl Plan {
    /// The date the last step starts (the stop, or the target reached).
    pub fn end_date(&self) -> Date {
        self.steps
            .last()
            .map(|s| s.start)
            .unwrap_or(self.request.start)
    }

    /// Weeks from the start to the last step, rounded up.
    pub fn weeks(&self) -> u32 {
        let days = (self.end_date() - self.request.start).get_days().max(0);
        (days as u32).div_ceil(7)
    }

    /// The step in effect on a day, if the plan has started.
    pub fn step_on(&self, day: Date) -> Option<&Step> {
        self.steps.iter().rev().find(|s| s.start <= day)
    }
}
