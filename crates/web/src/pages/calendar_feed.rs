//! The patient's calendar subscription: the section on `/mina-sidor/plan` that makes,
//! replaces and removes the link, and `GET /kalender/{token}/trappa.ics`, which a
//! calendar app reads without signing in.
//!
//! The token is the feed's id and an HMAC of it under a key of its own derived from the
//! server key ([`crate::ctx::purpose_tag`]): nothing secret is stored, the patient can
//! see the link again whenever signed in, and a removed or replaced feed answers 404.
//! A new server key ends every link.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use icalendar::{Calendar, Component, Event, EventLike};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_pathway::visits::Status;
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::calendar_feeds::CalendarFeed;
use trappa_store::visits::Appointment;

use crate::access::Authed;
use crate::ctx::{Ctx, ForUser, User};
use crate::error::AppError;
use crate::extract::{HtmlForm, Path};
use crate::flash::{Flash, redirect};
use crate::i18n::{K, fill};
use crate::pages::layout::csrf_field;
use crate::state::AppState;
use trappa_app::calendar_feeds::{self, OWN_RESOURCE};

/// The key's purpose: a tag under it proves the server made the link.
const PURPOSE: &str = "trappa calendar feed key";
/// How far back a calendar keeps the patient's visits.
const PAST_DAYS: i64 = 30;

/// The token in a feed's address.
fn token(state: &AppState, feed: Uuid) -> String {
    format!(
        "{}.{}",
        feed.simple(),
        crate::ctx::purpose_tag(state, PURPOSE, feed.as_bytes())
    )
}

/// The feed a token names, if its tag is the server's.
fn feed_of(state: &AppState, token: &str) -> Option<Uuid> {
    let (id, tag) = token.split_once('.')?;
    let id = Uuid::try_parse(id).ok()?;
    let expected = crate::ctx::purpose_tag(state, PURPOSE, id.as_bytes());
    bool::from(subtle::ConstantTimeEq::ct_eq(
        expected.as_bytes(),
        tag.as_bytes(),
    ))
    .then_some(id)
}

/// The feed's address: under the configured public URL, or else the host the patient
/// reached Trappa by.
fn address(state: &AppState, headers: &HeaderMap, feed: Uuid) -> String {
    let base = match &state.config().oidc.public_url {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let scheme = if state.config().secure_cookies {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{host}")
        }
    };
    format!("{base}/kalender/{}/trappa.ics", token(state, feed))
}

/// The section on the plan page: the link with how to use it, or the button to make
/// one.
pub fn section(
    state: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    feed: Option<&CalendarFeed>,
) -> Markup {
    html! {
        section.card aria-labelledby="feed-h" {
            h2 #feed-h { (ctx.t(&K::FEED_TITLE)) }
            p { (ctx.t(&K::FEED_INTRO)) }
            @match feed {
                None => {
                    p.muted { (ctx.t(&K::FEED_NONE)) }
                    form method="post" action="/mina-sidor/plan/kalender" {
                        (csrf_field(ctx))
                        button.primary type="submit" name="action" value="new" { (ctx.t(&K::FEED_CREATE)) }
                    }
                }
                Some(f) => {
                    @let url = address(state, headers, f.id);
                    div.field {
                        label for="feed-url" { (ctx.t(&K::FEED_ADDRESS)) }
                        p.hint #feed-url-hint { (ctx.t(&K::FEED_ADDRESS_HINT)) }
                        input #feed-url .wide type="text" readonly value=(url) aria-describedby="feed-url-hint";
                    }
                    p.actions {
                        a.button href=(url.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1)) { (ctx.t(&K::FEED_OPEN)) }
                    }
                    p.muted { (fill(ctx.t(&K::FEED_MADE), &[("date", &trappa_taper::output::date_text(trappa_app::clock::local_date(f.created_at), ctx.locale))])) }
                    p.notice { (ctx.t(&K::FEED_WARNING)) }
                    form.actions method="post" action="/mina-sidor/plan/kalender" {
                        (csrf_field(ctx))
                        button.secondary type="submit" name="action" value="new" { (ctx.t(&K::FEED_REPLACE)) }
                        button.secondary type="submit" name="action" value="end" { (ctx.t(&K::FEED_END)) }
                    }
                }
            }
        }
    }
}

/// The patient's live feed, for the plan page (read under the plan page's opening).
pub async fn live(
    state: &AppState,
    opened: &trappa_app::access::OpenedPatient,
) -> Result<Option<CalendarFeed>, AppError> {
    Ok(calendar_feeds::live(state.store(), opened).await?)
}

/// What the buttons send.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    action: String,
}

/// `POST /mina-sidor/plan/kalender`: makes a new link (ending the one before) or
/// removes it.
pub async fn change(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<FeedForm>,
) -> Result<Response, AppError> {
    // The record is opened (and the attempt logged) before the form is read.
    let opened = own_for_write(&state, &ctx, &user).await?;
    let flash = match f.action.as_str() {
        "new" => Flash::CalendarLinkMade,
        "end" => Flash::CalendarLinkEnded,
        // Only the page's two buttons send this form.
        _ => {
            return Err(AppError::BadRequest(
                &crate::i18n::M::ERROR_SUMMARY,
                &crate::i18n::P::FORM_UNKNOWN_FIELD,
            ));
        }
    };
    let caller = ctx.caller(&user);
    if flash == Flash::CalendarLinkMade {
        calendar_feeds::create(state.store(), &caller, &opened)
            .await
            .for_user(&ctx)?;
    } else {
        calendar_feeds::end(state.store(), &caller, &opened)
            .await
            .for_user(&ctx)?;
    }
    Ok(redirect(&state, "/mina-sidor/plan#feed-h", flash, ""))
}

async fn own_for_write(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
) -> Result<trappa_app::access::OpenedPatient, AppError> {
    crate::access::open_own(state, ctx, user, Action::Update, OWN_RESOURCE).await
}

/// `GET /kalender/{token}/trappa.ics`: the signed plan's dose changes and the visits
/// from a month back, for a calendar app. An unknown, removed or replaced link is 404.
pub async fn feed(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let feed = feed_of(&state, &token).ok_or(AppError::NotFound)?;
    let content = calendar_feeds::read(state.store(), feed, &ctx.anonymous_actor(""), ctx.locale)
        .await
        .for_user(&ctx)?;
    let now = jiff::Timestamp::now();
    let mut cal = Calendar::new();
    cal.name(ctx.t(&K::ICS_NAME));
    if let Some((_, plan)) = &content.plan {
        // The same event ids as the care team's download of the plan's calendar.
        let prefix = format!("trappa-{}", content.patient_id);
        for event in trappa_taper::output::ics::events(plan, ctx.locale, &prefix, now) {
            cal.push(event);
        }
    }
    let since = now - jiff::SignedDuration::from_hours(24 * PAST_DAYS);
    for visit in content.visits.iter().filter(|v| v.starts_at >= since) {
        cal.push(visit_event(&state, &ctx, visit, now));
    }
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        cal.done().to_string(),
    )
        .into_response())
}

/// A visit as a calendar event; a cancelled one stays, marked cancelled, so a calendar
/// that has it takes it away.
fn visit_event(state: &AppState, ctx: &Ctx, visit: &Appointment, now: jiff::Timestamp) -> Event {
    let utc = |t: jiff::Timestamp| t.strftime("%Y%m%dT%H%M%SZ").to_string();
    let ends = visit.starts_at + jiff::SignedDuration::from_mins(i64::from(visit.minutes));
    let mut lines = Vec::new();
    if let Some(who) = &visit.clinician_name {
        lines.push(fill(ctx.t(&K::ICS_WHO), &[("who", who)]));
    }
    if let Some(link) = crate::pages::visit_requests::video_link(state, visit) {
        lines.push(fill(ctx.t(&K::ICS_VIDEO), &[("link", &link)]));
    }
    let mut event = Event::new();
    event
        .uid(&format!("visit-{}@trappa", visit.id))
        .add_property("DTSTAMP", utc(now))
        .add_property("DTSTART", utc(visit.starts_at))
        .add_property("DTEND", utc(ends))
        .summary(&fill(
            ctx.t(&K::ICS_VISIT),
            &[("kind", visit.kind.label(ctx.locale))],
        ))
        .location(visit.place.label(ctx.locale))
        .description(&lines.join("\n"));
    if visit.status == Status::Cancelled {
        event.add_property("STATUS", "CANCELLED");
    } else if visit.status == Status::Booked {
        event.add_property("STATUS", "CONFIRMED");
    }
    event.done()
}
