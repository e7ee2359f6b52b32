//! The referral lists: a referrer's own referrals and the triage team's inbox, filtered,
//! sorted and paged, with the rules' proposal for each.

use crate::access::Authed;
use crate::extract::Query;
use crate::i18n::{M, Msg, S, W, fill};
use crate::list::{ListParams, SortValue, filter_form, pager, paginate, sort, sort_header};
use crate::pages::layout::page;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use trappa_app::clock::format_time;
use trappa_triage::{Decision, Facts, Priority};

use super::*;

/// A referrer's own referrals (`true`), or the triage team's inbox (`false`); the
/// listing and every patient in it are logged. Others are refused.
pub async fn referral_rows(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
) -> Result<(bool, Vec<trappa_store::referrals::ReferralSummary>), AppError> {
    let caller = ctx.caller(user);
    trappa_app::referrals::list(state.store(), &caller, "referrals.list")
        .await
        .for_user(ctx)
}

/// The list's query: a confirmation to show, the list's filter, sort and page, and the
/// status and proposal filters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub(super) sparat: Option<String>,
    #[serde(flatten)]
    pub(super) list: ListParams,
    pub(super) status: String,
    pub(super) forslag: String,
}

/// Where a referral stands, as the list filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Standing {
    /// No decision yet.
    Awaiting,
    /// A complement was asked for and has not come.
    ComplementAsked,
    /// A complement came after the latest decision.
    Complemented,
    /// Decided.
    Decided,
}

impl Standing {
    pub(super) const ALL: [Standing; 4] = [
        Standing::Awaiting,
        Standing::ComplementAsked,
        Standing::Complemented,
        Standing::Decided,
    ];

    pub(super) fn of(r: &trappa_store::referrals::ReferralSummary) -> Standing {
        if r.awaiting_complement {
            Standing::ComplementAsked
        } else if r.complemented {
            Standing::Complemented
        } else if r.decision.is_some() {
            Standing::Decided
        } else {
            Standing::Awaiting
        }
    }

    pub(super) fn code(self) -> &'static str {
        match self {
            Standing::Awaiting => "vantar",
            Standing::ComplementAsked => "komplettering",
            Standing::Complemented => "kompletterad",
            Standing::Decided => "beslutad",
        }
    }

    pub(super) fn label(self, ctx: &Ctx) -> &'static str {
        match self {
            Standing::Awaiting => ctx.t(&M::REFERRAL_AWAITING),
            Standing::ComplementAsked => ctx.t(&M::REFERRAL_COMPLEMENT),
            Standing::Complemented => ctx.t(&M::REFERRAL_COMPLEMENTED),
            Standing::Decided => ctx.t(&W::REFERRAL_DECIDED),
        }
    }
}

/// The rules' proposal, worded as a proposal (the triage team decides), and the code
/// the list filters it by.
pub(super) fn proposal_text(ctx: &Ctx, d: &Decision) -> (&'static str, String) {
    match d {
        Decision::Accept {
            priority: Priority::High,
        } => ("forturd", ctx.t(&W::PROPOSE_ACCEPT_HIGH).to_owned()),
        Decision::Accept {
            priority: Priority::Normal,
        } => ("anta", ctx.t(&W::PROPOSE_ACCEPT).to_owned()),
        Decision::Complement { .. } => ("komplettering", ctx.t(&W::PROPOSE_COMPLEMENT).to_owned()),
        Decision::Decline => ("avboj", ctx.t(&W::PROPOSE_DECLINE).to_owned()),
        Decision::Redirect { to } => (
            "hanvisa",
            fill(
                ctx.t(&W::PROPOSE_REDIRECT),
                &[("to", target_text(ctx, *to))],
            ),
        ),
    }
}

/// The proposal filter's choices: code and label.
pub(super) const PROPOSAL_FILTERS: [(&str, &Msg); 5] = [
    ("forturd", &W::PROPOSE_ACCEPT_HIGH),
    ("anta", &W::PROPOSE_ACCEPT),
    ("komplettering", &W::PROPOSE_COMPLEMENT),
    ("avboj", &W::PROPOSE_DECLINE),
    ("hanvisa", &W::PROPOSE_REDIRECT_ANY),
];

/// `GET /remisser`: a referrer's own referrals, or the triage team's inbox — filtered by
/// name or identity number, status and (for triage) the rules' proposal, sortable and
/// paged.
pub async fn list(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    pub(super) const PATH: &str = "/remisser";
    pub(super) const ANCHOR: &str = "remisslista";
    let (own, rows) = referral_rows(&state, &ctx, &user).await?;
    let data = state.reference();
    let lp = &q.list;
    let proposal_of = |r: &trappa_store::referrals::ReferralSummary| {
        serde_json::from_str::<Facts>(&r.facts)
            .ok()
            .map(|f| proposal_text(&ctx, &trappa_triage::triage(&f, data).decision))
    };
    let status_text = |r: &trappa_store::referrals::ReferralSummary| match Standing::of(r) {
        Standing::Decided => parse_decision(r.decision.as_deref())
            .map_or_else(String::new, |d| decision_text(&ctx, &d)),
        s => s.label(&ctx).to_owned(),
    };
    let key = lp.sort_key(
        &["namn", "personnummer", "fran", "mottagen", "status"],
        "mottagen",
    );
    let mut shown: Vec<_> = rows
        .iter()
        .map(|r| (r, proposal_of(r), status_text(r)))
        .filter(|(r, proposal, _)| {
            lp.matches(&[&r.name, &r.personal_identity])
                && (q.status.is_empty() || Standing::of(r).code() == q.status)
                && (own
                    || q.forslag.is_empty()
                    || proposal.as_ref().is_some_and(|(c, _)| *c == q.forslag))
        })
        .collect();
    // The inbox is oldest first (first come, first triaged); a referrer's own list newest.
    let descending = if lp.sort.is_empty() {
        own
    } else {
        lp.descending()
    };
    sort(&mut shown, descending, |(r, _, status)| match key {
        "namn" => SortValue::Text(r.name.clone()),
        "personnummer" => SortValue::Text(r.personal_identity.clone()),
        "fran" => SortValue::Text(r.unit.clone().unwrap_or_default()),
        "status" => SortValue::Text(status.clone()),
        _ => SortValue::Number(r.received_at.as_second() as f64),
    });
    let paged = paginate(shown, lp.page());
    let extra = [
        ("status", q.status.as_str()),
        ("forslag", q.forslag.as_str()),
    ];
    let th = |k: &str, label: &str| sort_header(PATH, ANCHOR, &extra, lp, key, k, label);
    let controls = html! {
        div.field {
            label for="status" { (ctx.t(&M::REFERRAL_STATUS)) }
            select #status name="status" {
                option value="" { (ctx.t(&W::LIST_ALL)) }
                @for s in Standing::ALL { option value=(s.code()) selected[q.status == s.code()] { (s.label(&ctx)) } }
            }
        }
        @if !own {
            div.field {
                label for="forslag" { (ctx.t(&M::REFERRAL_PROPOSAL)) }
                select #forslag name="forslag" {
                    option value="" { (ctx.t(&W::LIST_ALL)) }
                    @for (code, label) in PROPOSAL_FILTERS { option value=(code) selected[q.forslag == code] { (ctx.t(label)) } }
                }
            }
        }
    };
    let body = html! {
        h1 { (ctx.t(&M::REFERRALS_TITLE)) }
        @if q.sparat.as_deref() == Some("beslut") { (crate::pages::layout::notice(ctx.t(&S::DECISION_SAVED))) }
        @if own { p { a.button href="/remisser/ny" { (ctx.t(&M::REFERRAL_NEW)) } } }
        @if rows.is_empty() { p.muted { (ctx.t(&M::REFERRALS_NONE)) } }
        @else {
            section #(ANCHOR) {
                h2.visually-hidden #referral-list-h { (ctx.t(&M::REFERRALS_TITLE)) }
                (filter_form(&ctx, PATH, ANCHOR, lp, ctx.t(&W::FILTER_NAME_OR_ID), controls))
                @if !paged.rows.is_empty() {
                    div.table-wrap role="region" aria-labelledby="referral-list-h" tabindex="0" { table {
                        thead { tr {
                            (th("namn", ctx.t(&M::NAME)))
                            (th("personnummer", ctx.t(&M::PNR)))
                            (th("fran", ctx.t(&M::REFERRAL_FROM)))
                            (th("mottagen", ctx.t(&M::REFERRAL_RECEIVED)))
                            (th("status", ctx.t(&M::REFERRAL_STATUS)))
                            @if own { th scope="col" { (ctx.t(&M::REFERRAL_REPLY)) } }
                            @else { th scope="col" { (ctx.t(&M::REFERRAL_PROPOSAL)) } }
                        } }
                        tbody { @for (r, proposal, status) in &paged.rows { tr {
                            td { @if own { a href={ "/remisser/" (r.id) } { (r.name) } } @else { a href={ "/patienter/" (r.patient_id) "/remiss" } { (r.name) } } }
                            td.nowrap { (r.personal_identity) }
                            td { @if r.self_referral { (ctx.t(&M::REFERRAL_SELF)) } @else { (r.unit.as_deref().unwrap_or("")) } }
                            td.nowrap { (format_time(r.received_at)) }
                            td.referral-status { (status) }
                            @if own { td { (r.reply.as_deref().unwrap_or("")) } }
                            @else { td { @if let Some((_, text)) = proposal { (text) } } }
                        } } }
                    } }
                }
                (pager(&ctx, PATH, ANCHOR, &extra, lp, &paged))
            }
        }
    };
    Ok(page(&ctx, ctx.t(&M::REFERRALS_TITLE), body).into_response())
}
