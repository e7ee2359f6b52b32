//! The engine's clinical defaults, each with its source and V/M/U status, from
//! `data/taper/rules.csv`: how much of a dose is switched to diazepam at a time, and the
//! diazepam doses above which a plan warns and asks the prescriber to confirm. A plan
//! may set its own value (the request's field wins); a default that is not verified is
//! named among the plan's warnings with its status, like any other unverified value.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::DataError;
use crate::kinds::{DrugClass, Sourced, Status};

/// The rules file, compiled in.
pub(crate) const RULES: &str = include_str!("../../../data/taper/rules.csv");

/// A rule's id.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleId {
    /// DE switched to diazepam per dose time and step.
    SwitchPortionDe,
    /// Diazepam mg a day: above it the switch reduces as it goes, and a plan warns.
    DiazepamMaxPerDay,
    /// Diazepam mg in one dose: above it a plan warns.
    DiazepamMaxPerDose,
    /// Diazepam mg a day given as one dose; more is two.
    DiazepamOneDoseUpTo,
    /// Default percent per step, benzodiazepines and Z-drugs.
    BenzodiazepinePercent,
    /// Default weeks between steps, benzodiazepines and Z-drugs.
    BenzodiazepineIntervalWeeks,
    /// Default percent per step, opioids.
    OpioidPercent,
    /// Default weeks between steps, opioids.
    OpioidIntervalWeeks,
    /// Default percent per step, gabapentinoids.
    GabapentinoidPercent,
    /// Default weeks between steps, gabapentinoids.
    GabapentinoidIntervalWeeks,
    /// How much larger than the maximum step (percent of it) a step back to the curve
    /// may be after rounding.
    CatchUpPercent,
}

impl RuleId {
    /// Every rule, in file order.
    pub const ALL: [RuleId; 11] = [
        RuleId::SwitchPortionDe,
        RuleId::DiazepamMaxPerDay,
        RuleId::DiazepamMaxPerDose,
        RuleId::DiazepamOneDoseUpTo,
        RuleId::BenzodiazepinePercent,
        RuleId::BenzodiazepineIntervalWeeks,
        RuleId::OpioidPercent,
        RuleId::OpioidIntervalWeeks,
        RuleId::GabapentinoidPercent,
        RuleId::GabapentinoidIntervalWeeks,
        RuleId::CatchUpPercent,
    ];

    /// A class's default pace: (percent per step, weeks between steps).
    pub fn pace_of(class: DrugClass) -> (RuleId, RuleId) {
        match class {
            DrugClass::Opioid => (RuleId::OpioidPercent, RuleId::OpioidIntervalWeeks),
            DrugClass::Gabapentinoid => (
                RuleId::GabapentinoidPercent,
                RuleId::GabapentinoidIntervalWeeks,
            ),
            _ => (
                RuleId::BenzodiazepinePercent,
                RuleId::BenzodiazepineIntervalWeeks,
            ),
        }
    }
}

impl RuleId {
    /// The values a unit may set: inside what a request may ask for, the step percents
    /// inside the ceiling of 25 % in two weeks.
    pub fn range(self) -> (f64, f64) {
        match self {
            RuleId::SwitchPortionDe => (1.0, 40.0),
            RuleId::DiazepamMaxPerDay => (5.0, 120.0),
            RuleId::DiazepamMaxPerDose => (2.0, 60.0),
            RuleId::DiazepamOneDoseUpTo => (2.0, 40.0),
            RuleId::BenzodiazepinePercent
            | RuleId::OpioidPercent
            | RuleId::GabapentinoidPercent => (0.5, 25.0),
            RuleId::BenzodiazepineIntervalWeeks
            | RuleId::OpioidIntervalWeeks
            | RuleId::GabapentinoidIntervalWeeks => (1.0, 12.0),
            RuleId::CatchUpPercent => (1.0, 100.0),
        }
    }

    /// The field name (the file's id: "opioid_percent").
    pub fn key(self) -> &'static str {
        match self {
            RuleId::SwitchPortionDe => "switch_portion_de",
            RuleId::DiazepamMaxPerDay => "diazepam_max_per_day",
            RuleId::DiazepamMaxPerDose => "diazepam_max_per_dose",
            RuleId::DiazepamOneDoseUpTo => "diazepam_one_dose_up_to",
            RuleId::BenzodiazepinePercent => "benzodiazepine_percent",
            RuleId::BenzodiazepineIntervalWeeks => "benzodiazepine_interval_weeks",
            RuleId::OpioidPercent => "opioid_percent",
            RuleId::OpioidIntervalWeeks => "opioid_interval_weeks",
            RuleId::GabapentinoidPercent => "gabapentinoid_percent",
            RuleId::GabapentinoidIntervalWeeks => "gabapentinoid_interval_weeks",
            RuleId::CatchUpPercent => "catch_up_percent",
        }
    }

    /// The rule in a few words.
    pub fn label(self, locale: trappa_i18n::Locale) -> &'static str {
        use crate::text::T;
        match self {
            RuleId::SwitchPortionDe => T::RULE_SWITCH_PORTION,
            RuleId::DiazepamMaxPerDay => T::RULE_DZ_MAX_DAY,
            RuleId::DiazepamMaxPerDose => T::RULE_DZ_MAX_DOSE,
            RuleId::DiazepamOneDoseUpTo => T::RULE_DZ_ONE_DOSE,
            RuleId::BenzodiazepinePercent => T::RULE_BZD_PERCENT,
            RuleId::BenzodiazepineIntervalWeeks => T::RULE_BZD_WEEKS,
            RuleId::OpioidPercent => T::RULE_OPIOID_PERCENT,
            RuleId::OpioidIntervalWeeks => T::RULE_OPIOID_WEEKS,
            RuleId::GabapentinoidPercent => T::RULE_GABA_PERCENT,
            RuleId::GabapentinoidIntervalWeeks => T::RULE_GABA_WEEKS,
            RuleId::CatchUpPercent => T::RULE_CATCH_UP,
        }
        .get(locale)
    }
}

/// A default with its unit, source and status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Rule {
    /// Which.
    pub id: RuleId,
    /// The value, its status and source.
    pub value: Sourced<f64>,
    /// "DE", "mg".
    pub unit: String,
    /// What it means and why.
    pub note: String,
}

#[derive(Deserialize)]
struct RuleRow {
    id: RuleId,
    value: f64,
    unit: String,
    status: Status,
    source: String,
    note: String,
}

/// Reads the rules: every id exactly once, every value positive and finite.
pub(crate) fn parse(text: &str) -> Result<Vec<Rule>, DataError> {
    let mut out: Vec<Rule> = Vec::new();
    for (i, row) in csv::Reader::from_reader(text.as_bytes())
        .deserialize::<RuleRow>()
        .enumerate()
    {
        let line = i + 2;
        let r = row.map_err(|e| DataError::new("rules.csv", line, e.to_string()))?;
        if !(r.value.is_finite() && r.value > 0.0) {
            return Err(DataError::new(
                "rules.csv",
                line,
                "value must be above zero",
            ));
        }
        if out.iter().any(|x| x.id == r.id) {
            return Err(DataError::new("rules.csv", line, "duplicate rule"));
        }
        out.push(Rule {
            id: r.id,
            value: Sourced {
                value: r.value,
                status: r.status,
                source: r.source,
            },
            unit: r.unit,
            note: r.note,
        });
    }
    if let Some(missing) = RuleId::ALL
        .iter()
        .find(|id| !out.iter().any(|r| r.id == **id))
    {
        return Err(DataError::new(
            "rules.csv",
            0,
            format!("rule {missing:?} missing"),
        ));
    }
    Ok(out)
}

/// Which dose time a reduction changes: a clinical rule per class, editable per plan
/// (`PlanRequest::dose_times`). The defaults and their sources are in docs/taper.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DoseTimeRule {
    /// The largest dose first, so the doses stay even and their number is kept as long
    /// as the products allow (anxiolytics and gabapentinoids: NHI, Metodebok).
    Even,
    /// The day's doses first and the night's last (hypnotics: the night dose is the one
    /// the patient needs longest).
    NightLast,
    /// As `Even`, and no dose time is dropped while another is taken: the product's dosing
    /// interval is kept (a 12-hour opioid stays twice daily), and the drug stops from its
    /// smallest dose twice daily (modified-release opioids). Taken three or four times a
    /// day, a dose time is dropped at the smallest doses rather than all stopped at once.
    KeepInterval,
}

impl DoseTimeRule {
    /// The class's rule: hypnotics (Z-drugs and benzodiazepines marked hypnotic) keep the
    /// night dose last, modified-release opioids keep their interval, the others
    /// (immediate-release opioids too) reduce evenly. A unit may choose another per group
    /// ([`crate::reference::UnitSettings::dose_times`]).
    pub fn default_for(class: DrugClass, hypnotic: bool, modified_release: bool) -> DoseTimeRule {
        DoseTimeGroup::of(class, hypnotic, modified_release).default_rule()
    }

    /// Every rule, for choosing.
    pub const ALL: [DoseTimeRule; 3] = [
        DoseTimeRule::Even,
        DoseTimeRule::NightLast,
        DoseTimeRule::KeepInterval,
    ];

    /// The rule's name in the form (`even`, `night_last`, `keep_interval`).
    pub fn key(self) -> &'static str {
        match self {
            DoseTimeRule::Even => "even",
            DoseTimeRule::NightLast => "night_last",
            DoseTimeRule::KeepInterval => "keep_interval",
        }
    }

    /// The rule in a few words.
    pub fn label(self, locale: trappa_i18n::Locale) -> &'static str {
        use crate::text::T;
        match self {
            DoseTimeRule::Even => T::DT_EVEN,
            DoseTimeRule::NightLast => T::DT_NIGHT_LAST,
            DoseTimeRule::KeepInterval => T::DT_KEEP_INTERVAL,
        }
        .get(locale)
    }
}

/// The groups of drugs a dose-time rule is chosen for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DoseTimeGroup {
    /// Benzodiazepines for anxiety.
    Anxiolytic,
    /// Z-drugs and benzodiazepines for sleep.
    Hypnotic,
    /// Immediate-release opioids.
    OpioidImmediate,
    /// Modified-release opioids (and patches).
    OpioidModified,
    /// Gabapentinoids.
    Gabapentinoid,
}

impl DoseTimeGroup {
    /// Every group, in the order shown.
    pub const ALL: [DoseTimeGroup; 5] = [
        DoseTimeGroup::Anxiolytic,
        DoseTimeGroup::Hypnotic,
        DoseTimeGroup::OpioidImmediate,
        DoseTimeGroup::OpioidModified,
        DoseTimeGroup::Gabapentinoid,
    ];

    /// A drug's group.
    pub fn of(class: DrugClass, hypnotic: bool, modified_release: bool) -> DoseTimeGroup {
        match class {
            DrugClass::ZDrug => DoseTimeGroup::Hypnotic,
            DrugClass::Benzodiazepine if hypnotic => DoseTimeGroup::Hypnotic,
            DrugClass::Benzodiazepine => DoseTimeGroup::Anxiolytic,
            DrugClass::Opioid if modified_release => DoseTimeGroup::OpioidModified,
            DrugClass::Opioid => DoseTimeGroup::OpioidImmediate,
            DrugClass::Gabapentinoid => DoseTimeGroup::Gabapentinoid,
        }
    }

    /// The group's field name in a form ("dose_time_anxiolytic").
    pub fn key(self) -> &'static str {
        match self {
            DoseTimeGroup::Anxiolytic => "dose_time_anxiolytic",
            DoseTimeGroup::Hypnotic => "dose_time_hypnotic",
            DoseTimeGroup::OpioidImmediate => "dose_time_opioid_immediate",
            DoseTimeGroup::OpioidModified => "dose_time_opioid_modified",
            DoseTimeGroup::Gabapentinoid => "dose_time_gabapentinoid",
        }
    }

    /// The group in a few words.
    pub fn label(self, locale: trappa_i18n::Locale) -> &'static str {
        use crate::text::T;
        match self {
            DoseTimeGroup::Anxiolytic => T::DTG_ANXIOLYTIC,
            DoseTimeGroup::Hypnotic => T::DTG_HYPNOTIC,
            DoseTimeGroup::OpioidImmediate => T::DTG_OPIOID_IMMEDIATE,
            DoseTimeGroup::OpioidModified => T::DTG_OPIOID_MODIFIED,
            DoseTimeGroup::Gabapentinoid => T::DTG_GABAPENTINOID,
        }
        .get(locale)
    }

    /// The engine's rule for the group.
    pub fn default_rule(self) -> DoseTimeRule {
        match self {
            DoseTimeGroup::Hypnotic => DoseTimeRule::NightLast,
            DoseTimeGroup::OpioidModified => DoseTimeRule::KeepInterval,
            _ => DoseTimeRule::Even,
        }
    }
}

/// When to propose going back to the last tolerated dose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum StepBackPolicy {
    /// Never: hold instead (Ashton).
    Never,
    /// On severe symptoms or a seizure (the default).
    #[default]
    OnSevere,
    /// Already on moderate symptoms (Terveyskylä).
    OnModerate,
}

/// A unit's adaptation policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct Policy {
    /// Stepping back.
    pub step_back: StepBackPolicy,
    /// Weeks to hold on moderate symptoms.
    pub hold_weeks: u32,
    /// The interval is multiplied by this when slowing down.
    pub slow_factor: f64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            step_back: StepBackPolicy::OnSevere,
            hold_weeks: 2,
            slow_factor: 1.5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_parse_and_a_bad_file_is_refused_by_line() {
        let rules = parse(RULES).unwrap();
        assert_eq!(rules.len(), RuleId::ALL.len());
        let header = "id,value,unit,status,source,note\n";
        let bad = format!("{header}switch_portion_de,-1,DE,M,x,y\n");
        assert_eq!(parse(&bad).unwrap_err().line, 2);
        let twice =
            format!("{header}switch_portion_de,10,DE,M,x,y\nswitch_portion_de,5,DE,M,x,y\n");
        assert_eq!(parse(&twice).unwrap_err().line, 3);
        let short = format!("{header}switch_portion_de,10,DE,M,x,y\n");
        assert!(parse(&short).is_err(), "every rule must be there");
    }
}
