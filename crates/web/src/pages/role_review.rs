//! The auditor's review of role changes (separation of duties): every grant and
//! revocation of a staff role made by an administrator, who made it and when, with a
//! link to what the account did in the role; each is signed off with a note. Accesses
//! in a role granted under a day ago are flagged in the log, so the first uses show
//! among the flagged entries too.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use trappa_store::Uuid;
use trappa_store::role_changes::Change;

use crate::access::{Authed, role_label};
use crate::ctx::ForUser;
use crate::error::AppError;
use crate::extract::{Form, Path};
use crate::i18n::{M, S};
use crate::pages::audit::{ReviewForm, review_form, reviewed};
use crate::pages::layout::page;
use crate::state::AppState;
use trappa_app::clock::format_time;

/// `GET /granskning/roller`
pub async fn list(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let changes = trappa_app::audit::role_changes(state.store(), &caller)
        .await
        .for_user(&ctx)?;
    let body = html! {
        h1 { (ctx.t(&S::ROLE_REVIEW_TITLE)) }
        p { (ctx.t(&S::ROLE_REVIEW_INTRO)) }
        @if changes.is_empty() { p { (ctx.t(&S::ROLE_REVIEW_EMPTY)) } }
        @for c in &changes {
            section.card aria-labelledby={ "rc-" (c.id) } {
                h2 #{ "rc-" (c.id) } {
                    (c.display_name) " – "
                    (ctx.t(match c.change { Change::Granted => &S::ROLE_GRANTED, Change::Revoked => &S::ROLE_REVOKED }))
                    " " (ctx.t(role_label(c.role)).to_lowercase())
                    @if c.reviewed_at.is_some() { span.tag { (ctx.t(&M::REVIEW_DONE)) } } @else { span.tag.yellow { (ctx.t(&M::REVIEW_PENDING)) } }
                }
                dl.summary {
                    dt { (ctx.t(&M::LOGIN_USERNAME)) } dd { (c.username) }
                    dt { (ctx.t(&S::ROLE_CHANGED_BY)) } dd { (c.changed_by_name.as_deref().unwrap_or("–")) }
                    dt { (ctx.t(&M::COL_TIME)) } dd { (format_time(c.changed_at)) }
                    @if c.role.is_clinical() && c.change == Change::Granted {
                        dt { (ctx.t(&S::ROLE_CLINICAL)) } dd { (ctx.t(&S::ROLE_CLINICAL_NOTE)) }
                    }
                    (reviewed(&ctx, c.reviewed_by_name.as_deref(), c.reviewed_at, c.review_note.as_deref(), None))
                }
                @if c.reviewed_at.is_none() {
                    (review_form(&ctx, &format!("/granskning/roller/{}", c.id), c.id, false))
                }
                p { a href={ "/granskning/logg?user=" (c.username) } { (ctx.t(&S::ROLE_WHAT_DONE)) } }
            }
        }
    };
    Ok(page(&ctx, ctx.t(&S::ROLE_REVIEW_TITLE), body).into_response())
}

/// `POST /granskning/roller/{id}`: signs off a role change; logged with the review.
pub async fn review(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    trappa_app::audit::review_role_change(state.store(), &caller, id, &f.note)
        .await
        .for_user(&ctx)?;
    Ok(crate::flash::redirect(
        &state,
        "/granskning/roller",
        crate::flash::Flash::ReviewSaved,
        "",
    ))
}
