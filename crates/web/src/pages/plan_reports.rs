//! What the patient reported since the plan in force was signed, on the plan page above
//! its signing forms: a signature covers exactly these ([`plans::new_reports`]).

use maud::{Markup, html};
use trappa_app::plans::{self, NewReports};
use trappa_app::scores::parse_code;
use trappa_i18n::format::count;
use trappa_store::Uuid;
use trappa_taper::adapt::{Flag, flag_text};
use trappa_taper::output::date_text;

use crate::ctx::Ctx;
use crate::error::FieldError;
use crate::i18n::C;
use crate::pages::layout::field_error;

/// How many flagged reports the section lists; the rest are on the reports page.
const FLAGGED_SHOWN: usize = 5;

/// The section: how many scores and diary entries came since the signature, the
/// flagged ones by day, and the way to read them all. A signature refused because more
/// came is explained here (`errors` naming [`plans::REPORTS_FIELD`]).
pub(crate) fn section(ctx: &Ctx, id: Uuid, new: &NewReports, errors: &[FieldError]) -> Markup {
    let flagged: Vec<(jiff::civil::Date, Vec<Flag>)> = new
        .diary
        .iter()
        .map(|e| {
            (
                e.day,
                e.flags
                    .iter()
                    .filter_map(|f| parse_code::<Flag>(f))
                    .collect::<Vec<_>>(),
            )
        })
        .chain(new.scores.iter().map(|s| {
            (
                s.observed_on,
                s.flags
                    .iter()
                    .filter_map(|f| parse_code::<Flag>(f))
                    .collect(),
            )
        }))
        .filter(|(_, flags)| !flags.is_empty())
        .collect();
    let scores = count(
        new.scores.len() as i64,
        &C::REPORTS_SCORE_ONE,
        &C::REPORTS_SCORE_MANY,
        ctx.locale,
    );
    let diary = count(
        new.diary.len() as i64,
        &C::REPORTS_DIARY_ONE,
        &C::REPORTS_DIARY_MANY,
        ctx.locale,
    );
    let lead = if new.since_signature {
        &C::REPORTS_SINCE
    } else {
        &C::REPORTS_SO_FAR
    };
    html! {
        section.new-reports #(plans::REPORTS_FIELD) aria-labelledby="reports-h" {
            h2 #reports-h { (ctx.t(&C::REPORTS_TITLE)) }
            @if let Some(e) = field_error(errors, plans::REPORTS_FIELD) { p.error-message { (e) } }
            @if new.scores.is_empty() && new.diary.is_empty() {
                p { (ctx.t(if new.since_signature { &C::REPORTS_NONE_SINCE } else { &C::REPORTS_NONE })) }
            } @else {
                p { (trappa_i18n::fill(ctx.t(lead), &[("scores", &scores), ("diary", &diary)])) }
                @if !flagged.is_empty() {
                    ul {
                        @for (day, flags) in flagged.iter().take(FLAGGED_SHOWN) {
                            li { (date_text(*day, ctx.locale)) ": "
                                @for f in flags { span.tag.red { (flag_text(*f, ctx.locale)) } " " } }
                        }
                    }
                }
                p { a href={ "/patienter/" (id) "/dagbok" } { (ctx.t(&C::REPORTS_READ)) } }
            }
        }
    }
}
