//! The engine's defaults a plan uses when its request sets no value: the rules of
//! `rules.csv`, each unverified one named among the plan's warnings, and the pace of the
//! plan's drug classes.

use crate::notice::Notice;
use crate::plan::*;
use crate::reference::ReferenceData;
use crate::regimen::ResolvedDrug;
use crate::rules::RuleId;

/// The value of a rule unless the request set its own; a default used that is not
/// verified is added to `warnings`.
pub(super) fn rule_or(
    data: &ReferenceData,
    id: RuleId,
    given: Option<f64>,
    warnings: &mut Vec<Notice>,
) -> f64 {
    if let Some(v) = given {
        return v;
    }
    let rule = data.rule(id);
    if rule.value.status.is_unverified() {
        let value = crate::notice::RuleValue {
            id,
            value: rule.value.value,
            unit: rule.unit.clone(),
            status: rule.value.status,
        };
        match warnings.iter_mut().find_map(|w| match w {
            Notice::UnverifiedRules { rules } => Some(rules),
            _ => None,
        }) {
            Some(rules) if !rules.iter().any(|r| r.id == id) => rules.push(value),
            Some(_) => {}
            None => warnings.push(Notice::UnverifiedRules { rules: vec![value] }),
        }
    }
    rule.value.value
}

/// The slow taper at the pace of the plan's drug classes (the slowest: the fewest
/// percent a week), each value from the rules with its source; the pace is named among
/// the warnings.
pub(super) fn class_pace(
    data: &ReferenceData,
    drugs: &[ResolvedDrug<'_>],
    warnings: &mut Vec<Notice>,
) -> Reduction {
    let (percent_rule, weeks_rule) = drugs
        .iter()
        .map(|d| RuleId::pace_of(d.substance.class))
        .min_by(|a, b| {
            let per_week =
                |(p, w): &(RuleId, RuleId)| data.rule(*p).value.value / data.rule(*w).value.value;
            per_week(a)
                .partial_cmp(&per_week(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .unwrap_or((
            RuleId::BenzodiazepinePercent,
            RuleId::BenzodiazepineIntervalWeeks,
        ));
    let percent = rule_or(data, percent_rule, None, warnings);
    let weeks = rule_or(data, weeks_rule, None, warnings).round().max(1.0) as u32;
    let source = &data.rule(percent_rule).value.source;
    warnings.push(Notice::ClassPace {
        percent,
        weeks,
        source: data
            .sources
            .iter()
            .find(|s| &s.id == source)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| source.clone()),
    });
    Reduction::Slow {
        percent,
        interval_weeks: weeks,
        low_dose: LowDose::default(),
    }
}
