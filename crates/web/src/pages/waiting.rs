//! The waiting list: accepted patients by priority and date, each with the vårdgaranti
//! clock (90 days to the first visit, warnings at 60 and 80, breaches counted), and the
//! way to book the first assessment. The listing and every patient it names are logged.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use trappa_i18n::fill;
use trappa_pathway::clock::ClockStatus;
use trappa_triage::Priority;

use crate::access::Authed;
use crate::ctx::ForUser;
use crate::i18n::M;
use crate::pages::layout::page;
use crate::pages::visits::clock_tag;
use crate::state::AppState;
use trappa_app::clock::{format_date, format_time, today};
use trappa_app::waiting::{self, Row};

/// `GET /vantelista`
pub async fn list(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, crate::error::AppError> {
    let caller = ctx.caller(&user);
    let rows = waiting::list(state.store(), &caller, today())
        .await
        .for_user(&ctx)?;
    let count = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count().to_string();
    let body = html! {
        h1 { (ctx.t(&M::WAITING_TITLE)) }
        p.lead { (ctx.t(&M::WAITING_LEAD)) }
        ul.summary {
            li { (fill(ctx.t(&M::WAITING_COUNT), &[("n", &rows.len().to_string())])) }
            li { (fill(ctx.t(&M::WAITING_WARN), &[("n", &count(&|r| matches!(r.clock.status, ClockStatus::Warning60 | ClockStatus::Warning80)))])) }
            li { (fill(ctx.t(&M::WAITING_BREACHED), &[("n", &count(&|r| r.clock.status.is_breach()))])) }
            li { (fill(ctx.t(&M::WAITING_BOOKED_LATE), &[("n", &count(&|r| r.clock.booked_late))])) }
        }
        @if rows.is_empty() { p.muted { (ctx.t(&M::WAITING_NONE)) } }
        @else {
            div.table-wrap { table.waiting {
                thead { tr {
                    th scope="col" { (ctx.t(&M::WAITING_PRIORITY)) }
                    th scope="col" { (ctx.t(&M::NAME)) }
                    th scope="col" { (ctx.t(&M::HOME_UNIT)) }
                    th scope="col" { (ctx.t(&M::REFERRAL_RECEIVED)) }
                    th scope="col" { (ctx.t(&M::CLOCK_TITLE)) }
                    th scope="col" { (ctx.t(&M::CLOCK_DEADLINE)) }
                    th scope="col" { (ctx.t(&M::WAITING_FIRST_VISIT)) }
                } }
                tbody { @for r in &rows { tr {
                    td { @if r.priority == Priority::High { strong { (ctx.t(&M::WAITING_HIGH)) } } @else { (ctx.t(&M::WAITING_NORMAL)) } }
                    td { a href={ "/patienter/" (r.entry.patient_id) } { (r.entry.name) } }
                    td { (r.entry.home_unit.as_deref().unwrap_or("–")) }
                    td { (format_date(r.entry.timeline.received_at)) }
                    td { (clock_tag(&ctx, &r.clock)) }
                    td { @if let Some(d) = r.clock.deadline { (d.to_string()) } @else { "–" } }
                    td {
                        @match r.entry.booked {
                            Some(t) => { (format_time(t)) @if r.clock.booked_late { " " span.tag.tag-alert { (ctx.t(&M::WAITING_LATE)) } } }
                            None => a href={ "/patienter/" (r.entry.patient_id) "/besok?typ=assessment#boka" } { (ctx.t(&M::WAITING_BOOK)) },
                        }
                    }
                } } }
            } }
        }
    };
    Ok(page(&ctx, ctx.t(&M::WAITING_TITLE), body).into_response())
}
