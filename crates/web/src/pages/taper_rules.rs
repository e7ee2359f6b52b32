//! The engine's clinical defaults on the reference-data page: each value of
//! `data/taper/rules.csv` with its unit, V/M/U status and source, so a prescriber sees
//! what a plan uses when it sets no value of its own.

use maud::{Markup, html};
use trappa_taper::ReferenceData;
use trappa_taper::reference::Status;

use crate::ctx::Ctx;
use crate::i18n::M;

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
