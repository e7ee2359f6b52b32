//! The patient's start page: what to do now — questionnaires due, unread messages, the
//! diary — and the way to the plan, the messages and who has read the record. It opens
//! the patient's own record once, which is its log entry.

use maud::{Markup, html};
use trappa_store::access_log::Action;

use crate::ctx::{Ctx, ForUser, User};
use crate::error::AppError;
use crate::i18n::{G, M, P, fill};
use crate::state::AppState;

/// What the access log calls the start page's read of the patient's own record.
pub const RESOURCE: &str = "own.start";

/// The patient's part of the start page.
pub async fn home(state: &AppState, ctx: &Ctx, user: &User) -> Result<Markup, AppError> {
    let opened = crate::access::open_own(state, ctx, user, Action::Read, RESOURCE).await?;
    let today = trappa_app::clock::today();
    let (standings, _) = trappa_app::reports::standing_today(state.store(), &opened, today)
        .await
        .for_user(ctx)?;
    let threads = state
        .store()
        .threads(&opened.access, user.account_id)
        .await?;
    let unread: i64 = threads.iter().map(|t| t.unread).sum();
    let wrote_today = state
        .store()
        .diary(&opened.access)
        .await?
        .first()
        .is_some_and(|e| e.day == today);
    let due: Vec<_> = standings.iter().filter(|s| s.due).collect();
    let name = |instrument: &str| {
        state
            .instruments()
            .get(instrument)
            .map_or(instrument.to_owned(), |i| i.name_for_patient().to_owned())
    };
    Ok(html! {
        p { (ctx.t(&M::START_PATIENT_INTRO)) }
        // What to do when it cannot wait, first: never at the end of a list.
        p.notice { a href="/mina-sidor/hjalp" { (ctx.t(&P::HELP_TITLE)) } " – " (ctx.t(&P::HOME_HELP_LEAD)) }
        section.todo aria-labelledby="todo-h" {
            h2 #todo-h { (ctx.t(&P::HOME_TODO)) }
            ul {
                @for s in &due {
                    li { a href={ "/mina-sidor/skattningar/" (s.assignment.instrument) } { (fill(ctx.t(&P::SCORES_FILL_IN), &[("name", &name(&s.assignment.instrument))])) } }
                }
                @if unread > 0 {
                    li { a href="/mina-sidor/meddelanden" { (trappa_i18n::format::count(unread, &P::HOME_UNREAD_ONE, &P::HOME_UNREAD_MANY, ctx.locale)) } }
                }
                @if !wrote_today {
                    li { a href="/mina-sidor/dagbok" { (ctx.t(&P::HOME_DIARY)) } }
                }
                @if due.is_empty() && unread == 0 && wrote_today {
                    li { (ctx.t(&P::HOME_NOTHING)) }
                }
            }
        }
        h2 #all-h { (ctx.t(&P::HOME_ALL)) }
        ul.links aria-labelledby="all-h" {
            li { a href="/mina-sidor/plan" { (ctx.t(&P::MY_PLAN_TITLE)) } }
            li { a href="/mina-sidor/meddelanden" { (ctx.t(&G::TITLE)) } }
            li { a href="/mina-sidor/besok" { (ctx.t(&crate::i18n::B::TITLE)) } }
            li { a href="/mina-sidor/dagbok" { (ctx.t(&P::DIARY_TITLE)) } }
            li { a href="/mina-sidor/skattningar" { (ctx.t(&P::SCORES_TITLE)) } }
            li { a href="/mina-sidor/journal" { (ctx.t(&crate::i18n::U::TITLE)) } }
            li { a href="/mina-sidor/samtycken" { (ctx.t(&crate::i18n::Q::OWN_TITLE)) } }
            li { a href="/mina-sidor/logg" { (ctx.t(&M::NAV_MY_LOG)) } }
            li { a href="/mina-sidor/aviseringar" { (ctx.t(&crate::i18n::N::TITLE)) } }
        }
    })
}
