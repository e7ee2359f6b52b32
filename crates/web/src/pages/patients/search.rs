//! Finding a patient: the search box and the logged search by identity number or name.

use crate::access::Authed;
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::AppError;
use crate::extract::Query;
use crate::i18n::{M, fill};
use crate::pages::layout::{Field, error_summary, page};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_app::clock::today;
use trappa_app::patients::{self};
use trappa_store::patients::PatientSummary;

/// The search box used on the start page and the search page.
pub fn search_box(ctx: &Ctx, q: &str) -> Markup {
    html! {
        form.search-form role="search" method="get" action="/patienter" {
            (Field::text("q", ctx.t(&M::SEARCH_LABEL), q).kind("search").hint(ctx.t(&M::SEARCH_HINT)).render(&[]))
            button.primary type="submit" { (ctx.t(&M::SEARCH_SUBMIT)) }
        }
    }
}

/// The query of the search page and the search API.
#[derive(Deserialize, Default)]
pub struct SearchQuery {
    /// An identity number or name words.
    pub q: Option<String>,
}

/// `GET /patienter`
pub async fn search(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(sq): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let q = sq.q.unwrap_or_default();
    let mut errors = Vec::new();
    let mut hits: Option<Vec<PatientSummary>> = None;
    if !q.trim().is_empty() {
        let caller = ctx.caller(&user);
        match patients::search(state.store(), &caller, &q, today())
            .await
            .for_user(&ctx)
        {
            Ok(found) => hits = Some(found),
            Err(AppError::Invalid(faults)) => errors = faults,
            Err(e) => return Err(e),
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = html! {
        h1 { (ctx.t(&M::SEARCH_TITLE)) }
        (error_summary(&ctx, &errors))
        form.search-form role="search" method="get" action="/patienter" {
            (Field::text("q", ctx.t(&M::SEARCH_LABEL), &q).kind("search").hint(ctx.t(&M::SEARCH_HINT)).render(&errors))
            button.primary type="submit" { (ctx.t(&M::SEARCH_SUBMIT)) }
        }
        @if let Some(hits) = &hits {
            @if hits.is_empty() {
                p { (ctx.t(&M::SEARCH_NO_HITS)) }
            } @else {
                div.table-wrap {
                    table {
                        caption { (fill(ctx.t(&M::SEARCH_HITS), &[("n", &hits.len().to_string())])) }
                        thead { tr {
                            th scope="col" { (ctx.t(&M::PNR)) }
                            th scope="col" { (ctx.t(&M::NAME)) }
                            th scope="col" { (ctx.t(&M::HOME_UNIT)) }
                        } }
                        tbody {
                            @for h in hits {
                                tr {
                                    td { a href={ "/patienter/" (h.id) } { (h.personal_identity) } }
                                    td {
                                        (h.family_name) ", " (h.given_name)
                                        @if h.protected_identity { span.tag.red { (ctx.t(&M::PROTECTED_IDENTITY)) } }
                                    }
                                    td { (h.home_unit_name.as_deref().unwrap_or(ctx.t(&M::NONE))) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok((status, page(&ctx, ctx.t(&M::SEARCH_TITLE), body)).into_response())
}
