//! What a prescriber reads before signing: the plan in force and the new one side by
//! side, day for day from today, and the signing form that comes last — naming the
//! version and the first change of dose, and asking for confirmation that the whole plan
//! was read. Both the draft and the engine's proposal are signed through it.

use jiff::civil::Date;
use maud::{Markup, html};
use trappa_i18n::fill;
use trappa_taper::Plan;
use trappa_taper::output::day_lines;
use trappa_taper::schedule::{amounts_on, change_dates};

use crate::ctx::Ctx;
use crate::error::FieldError;
use crate::i18n::C;
use crate::pages::layout::{Field, csrf_field, error_summary, field_error};

/// Name of the confirmation checkbox in every signing form.
pub const CONFIRM: &str = "confirm";

/// Name of the second checkbox, for a plan with a dose above a safety ceiling.
pub const CONFIRM_HIGH: &str = "confirm_high";

/// The warnings of a plan a prescriber confirms one by one (a diazepam dose above its
/// ceiling), in words.
pub fn to_confirm(ctx: &Ctx, plan: &Plan) -> Vec<String> {
    plan.warnings
        .iter()
        .filter(|w| w.needs_confirmation())
        .map(|w| w.message(ctx.locale))
        .collect()
}

/// The error when the confirmation is missing, or `None`.
pub fn confirm_error(ctx: &Ctx, confirm: &str) -> Option<FieldError> {
    (confirm != "on").then(|| FieldError {
        field: CONFIRM.into(),
        message: ctx.t(&C::SIGN_ERR_CONFIRM).to_owned(),
    })
}

fn day_text(ctx: &Ctx, plan: &Plan, day: Date) -> Markup {
    let doses = plan.doses_on(day);
    let lines: Vec<String> = plan
        .drugs
        .iter()
        .zip(doses)
        .filter(|(_, ds)| !ds.per_day.is_zero())
        .flat_map(|(drug, ds)| day_lines(drug, &ds.doses, ctx.locale))
        .collect();
    html! {
        @if lines.is_empty() { (ctx.t(&C::COMPARE_NONE)) }
        @else { ul.dose-lines { @for l in lines { li { (l) } } } }
    }
}

/// The plan in force and the new one side by side, from `from`: one row per day on
/// which either changes, the rows where they differ marked.
pub fn compare_table(ctx: &Ctx, old: &Plan, new: &Plan, from: Date) -> Markup {
    html! {
        h3 { (ctx.t(&C::COMPARE_TITLE)) }
        div.table-wrap tabindex="0" role="region" aria-label=(ctx.t(&C::COMPARE_TITLE)) {
            table.compare-plans {
                thead { tr {
                    th scope="col" { (ctx.t(&C::COMPARE_FROM)) }
                    th scope="col" { (ctx.t(&C::COMPARE_OLD)) }
                    th scope="col" { (ctx.t(&C::COMPARE_NEW)) }
                } }
                tbody {
                    @for day in change_dates(old, new, from) {
                        @let differs = amounts_on(old, day) != amounts_on(new, day);
                        tr class=[differs.then_some("change")] {
                            th scope="row" class="date" {
                                (day)
                                @if differs { br; small.tag.yellow { (ctx.t(&C::COMPARE_CHANGED)) } }
                            }
                            td { (day_text(ctx, old, day)) }
                            td { (day_text(ctx, new, day)) }
                        }
                    }
                }
            }
        }
    }
}

/// A signing form: where it posts, its hidden fields, the version it makes, the first
/// change of dose, and the name of its reason field.
pub struct SignForm<'a> {
    /// The form's action.
    pub action: String,
    /// Hidden fields (the version it is based on, what was seen).
    pub hidden: Vec<(&'static str, String)>,
    /// The version the signature makes or signs.
    pub version: i64,
    /// The first day a dose changes, if any.
    pub first_change: Option<Date>,
    /// The reason field's name.
    pub reason_field: &'static str,
    /// What the user typed, kept when the form is refused.
    pub reason: &'a str,
    /// Warnings confirmed one by one ([`to_confirm`]): a second checkbox when any.
    pub confirm_high: Vec<String>,
}

/// The signing form, for the end of the page.
pub fn sign_form(ctx: &Ctx, form: &SignForm<'_>, errors: &[FieldError]) -> Markup {
    let version = form.version.to_string();
    let what = match form.first_change {
        Some(d) => fill(
            ctx.t(&C::SIGN_WHAT),
            &[("version", &version), ("date", &d.to_string())],
        ),
        None => fill(ctx.t(&C::SIGN_WHAT_NO_CHANGE), &[("version", &version)]),
    };
    let confirm_err = field_error(errors, CONFIRM);
    let heading_id = format!("sign-{}-h", form.reason_field);
    html! {
        section.sign-section aria-labelledby=(heading_id) {
            h3 id=(heading_id) { (fill(ctx.t(&C::SIGN_HEADING), &[("version", &version)])) }
            (error_summary(ctx, errors))
            form.sign-form method="post" action=(form.action) novalidate {
                (csrf_field(ctx))
                @for (name, value) in &form.hidden { input type="hidden" name=(name) value=(value); }
                p.lead { (what) }
                (Field::text(form.reason_field, ctx.t(&crate::i18n::M::REF_REASON), form.reason).required().autocomplete("off").render(errors))
                div.field.field-error[confirm_err.is_some()] {
                    @if let Some(e) = confirm_err { p.error-message id="confirm-error" { (e) } }
                    div.checkbox {
                        input #confirm type="checkbox" name=(CONFIRM) value="on" required
                            aria-invalid=[confirm_err.map(|_| "true")]
                            aria-describedby=[confirm_err.map(|_| "confirm-error")];
                        label for="confirm" { (ctx.t(&C::SIGN_CONFIRM)) }
                    }
                }
                @if !form.confirm_high.is_empty() {
                    @let high_err = field_error(errors, CONFIRM_HIGH);
                    div.field.field-error[high_err.is_some()] {
                        @if let Some(e) = high_err { p.error-message id="confirm_high-error" { (e) } }
                        ul.warnings { @for w in &form.confirm_high { li { (w) } } }
                        div.checkbox {
                            input id=(CONFIRM_HIGH) type="checkbox" name=(CONFIRM_HIGH) value="on" required
                                aria-invalid=[high_err.map(|_| "true")]
                                aria-describedby=[high_err.map(|_| "confirm_high-error")];
                            label for=(CONFIRM_HIGH) { (ctx.t(&C::SIGN_CONFIRM_HIGH)) }
                        }
                    }
                }
                button.button type="submit" { (fill(ctx.t(&C::SIGN_BUTTON), &[("version", &version)])) }
            }
        }
    }
}
