//! The reply letters to the referrer: as a page and as a PDF, each read logged.

use crate::access::Authed;
use crate::extract::Path;
use crate::i18n::{M, S};
use crate::pages::layout::page;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use trappa_store::patients::Address;
use trappa_triage::Decision;

use super::*;

/// The reply letter for decision `seq`: who writes to whom, and what.
pub(crate) async fn letter(
    state: &AppState,
    ctx: &Ctx,
    access: &trappa_store::patients::PatientAccess,
    r: &Referral,
    seq: i64,
) -> Result<crate::pdf::Letter<'static>, AppError> {
    let d = r
        .decisions
        .iter()
        .find(|d| d.seq == seq)
        .ok_or(AppError::NotFound)?;
    let patient = state.store().patient(access).await?.current.data;
    let unit = state
        .store()
        .units(trappa_store::units::UnitKind::TaperingUnit)
        .await?
        .into_iter()
        .next()
        .map(|u| u.name)
        .unwrap_or_else(|| ctx.t(&M::APP_NAME).to_owned());
    let mut sender_note = None;
    let to = if r.is_self_referral() {
        let mut to = vec![format!("{} {}", patient.given_name, patient.family_name)];
        match &patient.address {
            Address::Known(a) => {
                to.extend(a.street.clone());
                if let (Some(code), Some(city)) = (&a.postal_code, &a.city) {
                    to.push(format!("{code} {city}"));
                }
            }
            // The store never gives out a protected address: the letter goes through
            // Skatteverket's forwarding, by name and identity number.
            Address::Withheld => {
                to.push(patient.personal_identity.to_string());
                to.push(ctx.t(&S::LETTER_FORWARDING).to_owned());
                sender_note = Some(ctx.t(&S::LETTER_FORWARDING_HOW).to_owned());
            }
        }
        to
    } else {
        let mut to = vec![r.referrer.clone()];
        to.extend(r.unit.clone());
        to
    };
    let decision = parse_decision(Some(&d.decision));
    let mut paragraphs = vec![
        trappa_i18n::fill(
            ctx.t(&M::LETTER_ABOUT),
            &[
                (
                    "name",
                    &format!("{} {}", patient.given_name, patient.family_name),
                ),
                ("pnr", &patient.personal_identity.to_string()),
                ("date", &trappa_app::clock::format_date(r.received_at)),
            ],
        ),
        format!(
            "{}: {}",
            ctx.t(&M::REFERRAL_DECISION),
            decision
                .as_ref()
                .map(|dec| decision_text(ctx, dec))
                .unwrap_or_default()
        ),
    ];
    let missing = missing_list(ctx, &d.decision);
    if !missing.is_empty() {
        paragraphs.push(format!(
            "{}: {}",
            ctx.t(&M::REFERRAL_QUESTIONS),
            missing.join(", ")
        ));
        paragraphs.push(ctx.t(&M::LETTER_COMPLEMENT_HOW).to_owned());
    }
    paragraphs.push(d.reply.clone());
    if matches!(decision, Some(Decision::Accept { .. })) {
        paragraphs.push(ctx.t(&M::LETTER_ACCEPTED_NEXT).to_owned());
    }
    Ok(crate::pdf::Letter {
        from: vec![
            unit,
            format!(
                "{}: {}",
                ctx.t(&M::LETTER_DATE),
                trappa_app::clock::format_date(d.decided_at)
            ),
        ],
        to,
        title: ctx.t(&M::LETTER_TITLE),
        paragraphs,
        signature: vec![d.decided_by.clone()],
        sender_note,
    })
}

/// Opens the referral for a reply letter (the referrer's own, or the triage team's) and
/// builds the letter for decision `seq`.
pub(super) async fn open_letter(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    id: Uuid,
    seq: i64,
    action: Action,
) -> Result<crate::pdf::Letter<'static>, AppError> {
    let (access, r) =
        open_referral(state, ctx, user, id, action, "patient.referral.letter").await?;
    letter(state, ctx, &access, &r, seq).await
}

/// `GET /remisser/{id}/svar/{seq}`: the reply letter, printable.
pub async fn letter_page(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Path((id, seq)): Path<(Uuid, i64)>,
) -> Result<Response, AppError> {
    let l = open_letter(&state, &ctx, &user, id, seq, Action::Read).await?;
    let body = html! {
        p.no-print { a href={ "/remisser/" (id) } { "← " (ctx.t(&M::REFERRAL_TITLE)) } " · "
            a href={ "/remisser/" (id) "/svar/" (seq) "/brev.pdf" } { (ctx.t(&M::LETTER_PDF)) } }
        @if let Some(note) = &l.sender_note { div.notice.no-print role="note" { p { (note) } } }
        (letter_markup(&l, 1))
    };
    Ok(page(&ctx, l.title, body).into_response())
}

/// A reply letter as the page shows it, its title at heading `level` (1 on its own
/// page, lower inside another).
pub(crate) fn letter_markup(l: &crate::pdf::Letter<'_>, level: u8) -> maud::Markup {
    html! {
        article.letter {
            div.letter-from { @for line in &l.from { (line) br; } }
            address.letter-to { @for line in &l.to { (line) br; } }
            @if level <= 1 { h1 { (l.title) } } @else { h3 { (l.title) } }
            @for p in &l.paragraphs { p { (p) } }
            p.letter-signature { @for line in &l.signature { (line) br; } }
        }
    }
}

/// `GET /remisser/{id}/svar/{seq}/brev.pdf`
pub async fn letter_pdf(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Path((id, seq)): Path<(Uuid, i64)>,
) -> Result<Response, AppError> {
    let l = open_letter(&state, &ctx, &user, id, seq, Action::Export).await?;
    let pdf = crate::work::run(&state, "letter_pdf", move |_| crate::pdf::letter_pdf(&l)).await??;
    Ok(crate::download::pdf("remissvar.pdf", pdf))
}
