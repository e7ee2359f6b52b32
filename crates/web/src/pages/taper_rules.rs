//! The engine's clinical defaults on the reference-data page: each value of
//! `data/taper/rules.csv` with its unit, V/M/U status and source, so a prescriber sees
//! what a plan uses when it sets no value of its own — and the fields in which the unit
//! sets its own values and dose-time rules.

use std::collections::BTreeMap;

use maud::{Markup, html};
use trappa_i18n::{Locale, fill};
use trappa_taper::ReferenceData;
use trappa_taper::plan::{DoseTimeGroup, DoseTimeRule};
use trappa_taper::reference::Status;
use trappa_taper::rules::RuleId;

use crate::ctx::Ctx;
use crate::error::FieldError;
use crate::i18n::M;
use crate::pages::layout::Field;
use crate::pages::taper::select_field;

/// A rule's value with its unit, through the one formatter ("2 veckor", "40 mg").
fn value_text(ctx: &Ctx, value: f64, unit: &str) -> String {
    if unit == "veckor" {
        trappa_i18n::format::weeks(value.round() as i64, ctx.locale)
    } else {
        format!(
            "{} {unit}",
            trappa_i18n::format::exact(value, 2, ctx.locale)
        )
    }
}

/// The section: one row per rule.
pub(crate) fn section(
    ctx: &Ctx,
    data: &ReferenceData,
    source: &dyn Fn(&str) -> Markup,
    status_tag: &dyn Fn(Status) -> Markup,
) -> Markup {
    html! {
        h2 { (ctx.t(&M::REF_RULES)) }
        p { (ctx.t(&M::REF_RULES_LEAD)) }
        div.table-wrap { table {
            thead { tr {
                th scope="col" { (ctx.t(&M::REF_COL_RULE)) }
                th scope="col" { (ctx.t(&M::REF_COL_VALUE)) }
                th scope="col" { (ctx.t(&M::REF_COL_STATUS)) }
                th scope="col" { (ctx.t(&M::REF_COL_SOURCE)) }
            } }
            tbody { @for r in &data.rules { tr {
                td { (capitalised(r.id.label(ctx.locale))) }
                td.num { (value_text(ctx, r.value.value, &r.unit)) }
                td { (status_tag(r.value.status)) }
                td { (source(&r.value.source)) }
            } } }
        } }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The unit's own values of the defaults and its dose-time rule per group, as fields of
/// the settings form: each prefilled with what the user typed (after a refusal) or the
/// unit's value, with the engine's value, source and status as its hint.
pub(crate) fn fields(
    ctx: &Ctx,
    data: &ReferenceData,
    base: &ReferenceData,
    typed: &dyn Fn(&str) -> Option<String>,
    errors: &[FieldError],
) -> Markup {
    let rules: Vec<(RuleId, String, String, String)> = RuleId::ALL
        .iter()
        .map(|&id| {
            let shipped = base.rule(id);
            let value = typed(id.key()).unwrap_or_else(|| {
                let unit = data.rule(id).value.value;
                trappa_i18n::format::exact(unit, 2, ctx.locale)
            });
            let label = format!("{} ({})", capitalised(id.label(ctx.locale)), shipped.unit);
            let hint = fill(
                ctx.t(&M::REF_RULE_HINT),
                &[
                    (
                        "value",
                        &value_text(ctx, shipped.value.value, &shipped.unit),
                    ),
                    (
                        "source",
                        base.source(&shipped.value.source)
                            .map_or(shipped.value.source.as_str(), |s| s.title.as_str()),
                    ),
                ],
            );
            (id, label, value, hint)
        })
        .collect();
    let options: Vec<(&str, &str)> = DoseTimeRule::ALL
        .iter()
        .map(|r| (r.key(), r.label(ctx.locale)))
        .collect();
    html! {
        fieldset.field.unit-rules {
            legend { (ctx.t(&M::REF_RULES_EDIT)) }
            p.hint { (ctx.t(&M::REF_RULES_EDIT_HINT)) }
            div.options {
                @for (id, label, value, hint) in &rules {
                    (Field::text(id.key(), label, value).hint(hint).kind("text").autocomplete("off").render(errors))
                }
            }
        }
        fieldset.field.unit-rules {
            legend { (ctx.t(&M::REF_DOSE_TIMES)) }
            p.hint { (ctx.t(&M::REF_DOSE_TIMES_HINT)) }
            div.options {
                @for g in DoseTimeGroup::ALL {
                    @let chosen = typed(g.key()).unwrap_or_else(|| data.dose_time_rule(g).key().to_owned());
                    (select_field(g.key(), g.label(ctx.locale), &chosen, &options, errors))
                }
            }
        }
    }
}

fn shipped_unit_is_weeks(base: &ReferenceData, id: RuleId) -> bool {
    base.rule(id).unit == "veckor"
}

/// The unit's values from the form: a blank field or the engine's own value sets
/// nothing; a value outside [`RuleId::range`] or an unknown rule is a field error in
/// the user's language.
pub(crate) fn from_form(
    base: &ReferenceData,
    get: &dyn Fn(&str) -> String,
    locale: Locale,
    errors: &mut Vec<FieldError>,
) -> (BTreeMap<RuleId, f64>, BTreeMap<DoseTimeGroup, DoseTimeRule>) {
    let mut rules = BTreeMap::new();
    for id in RuleId::ALL {
        let text = get(id.key());
        if text.trim().is_empty() {
            continue;
        }
        let (min, max) = id.range();
        // Weeks are whole.
        let fractions_allowed = !shipped_unit_is_weeks(base, id);
        match trappa_taper::amount::parse_decimal(&text)
            .filter(|v| *v >= min && *v <= max && (fractions_allowed || v.fract() == 0.0))
        {
            Some(v) if (v - base.rule(id).value.value).abs() < 1e-9 => {}
            Some(v) => {
                rules.insert(id, v);
            }
            None => errors.push(FieldError {
                field: id.key().into(),
                message: fill(
                    M::REF_ERR_RULE.get(locale),
                    &[
                        ("min", &trappa_i18n::format::exact(min, 2, locale)),
                        ("max", &trappa_i18n::format::exact(max, 2, locale)),
                    ],
                ),
            }),
        }
    }
    let mut dose_times = BTreeMap::new();
    for g in DoseTimeGroup::ALL {
        let text = get(g.key());
        if text.is_empty() {
            continue;
        }
        match DoseTimeRule::ALL.iter().find(|r| r.key() == text) {
            Some(r) if *r == g.default_rule() => {}
            Some(r) => {
                dose_times.insert(g, *r);
            }
            None => errors.push(FieldError {
                field: g.key().into(),
                message: M::REF_ERR_DOSE_TIME.get(locale).to_owned(),
            }),
        }
    }
    (rules, dose_times)
}
