//! Secure messages: the patient's own threads (`/mina-sidor/meddelanden`), the care
//! team's threads with one patient (`/patienter/{id}/meddelanden`), and the inbox over
//! one's caseload (`/meddelanden`). Both sides render the same thread view; each read
//! opens the record once, which is its log entry.

use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_app::access::OpenedPatient;
use trappa_app::messages::{self, Answering, MessageInput, OWN_RESOURCE, RESOURCE};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::care_team::TeamFunction;
use trappa_store::messages::{Message, Thread};

use crate::access::{Authed, PatientRoute};
use crate::ctx::{Ctx, ForUser, User};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path, Query};
use crate::flash::{Flash, redirect};
use crate::i18n::{G, fill};
use crate::list::{ListParams, pager, paginate};
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, form_response, page};
use crate::state::AppState;
use trappa_app::clock::format_time;

/// A message as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MessageForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    subject: String,
    body: String,
    request_key: String,
}

impl MessageForm {
    fn fresh() -> Self {
        MessageForm {
            request_key: Uuid::now_v7().to_string(),
            ..Default::default()
        }
    }

    fn input(&self) -> MessageInput {
        MessageInput {
            subject: self.subject.clone(),
            body: self.body.clone(),
            request_key: Some(self.request_key.clone()).filter(|k| !k.is_empty()),
        }
    }

    /// The form as it comes back after a refusal: what was typed, and a key if it had
    /// none, so the send that follows is stored once too.
    fn kept(mut self) -> Self {
        if self.request_key.is_empty() {
            self.request_key = Uuid::now_v7().to_string();
        }
        self
    }
}

fn answering(state: &AppState) -> Answering {
    Answering {
        reply_days: state.config().message_reply_days,
        unit_phone: state.config().unit_phone.clone(),
    }
}

/// A thread's state in a list: waiting since (to the patient: that it waits, not for
/// how long — the automatic reply said when to expect an answer), or who answered when.
fn state_text(ctx: &Ctx, t: &Thread, for_patient: bool) -> String {
    match (&t.waiting_since, &t.answered) {
        (Some(_), _) if for_patient => ctx.t(&G::WAITING_PATIENT).to_owned(),
        (Some(since), _) => fill(
            ctx.t(&G::WAITING),
            &[("age", &crate::pages::start::waited(ctx, *since))],
        ),
        (None, Some((who, at))) => fill(
            ctx.t(&G::ANSWERED_BY),
            &[("who", who), ("when", &format_time(*at))],
        ),
        (None, None) => ctx.t(&G::NOT_ANSWERED).to_owned(),
    }
}

fn thread_list(ctx: &Ctx, base: &str, threads: &[Thread]) -> Markup {
    html! {
        @if threads.is_empty() { p.muted { (ctx.t(&G::NO_THREADS)) } }
        ul.threads { @for t in threads {
            li {
                a href={ (base) "/" (t.id) } { (t.subject) }
                @if t.unread > 0 { " " span.tag { (trappa_i18n::format::count(t.unread, &G::UNREAD_ONE, &G::UNREAD_MANY, ctx.locale)) } }
                br;
                span.muted { (format_time(t.last_at)) " · " (state_text(ctx, t, base.starts_with("/mina-sidor"))) }
            }
        } }
    }
}

fn message_view(ctx: &Ctx, m: &Message) -> Markup {
    let who = if m.automatic {
        ctx.t(&G::AUTOMATIC).to_owned()
    } else {
        m.author_name.clone().unwrap_or_default()
    };
    html! {
        article.message.from-patient[m.from_patient].automatic[m.automatic] {
            p.meta { strong { (who) } " · " (format_time(m.authored_at)) }
            p.prewrap { (m.body) }
        }
    }
}

fn message_form(
    ctx: &Ctx,
    action: &str,
    f: &MessageForm,
    errors: &[FieldError],
    new_thread: bool,
) -> Markup {
    let body_err = field_error(errors, "body");
    html! {
        form.message-form method="post" action=(action) novalidate {
            (csrf_field(ctx))
            input type="hidden" name="request_key" value=(f.request_key);
            @if new_thread {
                (Field::text("subject", ctx.t(&G::SUBJECT), &f.subject).autocomplete("off").render(errors))
            }
            div.field.field-error[body_err.is_some()] {
                label for="body" { (ctx.t(if new_thread { &G::BODY } else { &G::REPLY })) }
                @if let Some(e) = body_err { p.error-message id="body-error" { (e) } }
                textarea id="body" name="body" rows="6" aria-invalid=[body_err.map(|_| "true")]
                    aria-describedby=[body_err.map(|_| "body-error")] { (f.body) }
            }
            button.button type="submit" { (ctx.t(&G::SEND)) }
        }
    }
}

/// The fast vårdkontakt's name, if the care team has one: the patient writes to them
/// first.
async fn contact(state: &AppState, opened: &OpenedPatient) -> Result<Option<String>, AppError> {
    let team = state.store().care_team(&opened.access).await?;
    Ok(team
        .into_iter()
        .find(|m| m.function == TeamFunction::FastVardkontakt && m.ended_at.is_none())
        .map(|m| m.display_name))
}

// ---------------------------------------------------------------------------------
// The patient's side.

async fn own_list_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    f: &MessageForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(state, ctx, user, Action::Read, OWN_RESOURCE).await?;
    let threads = state
        .store()
        .threads(&opened.access, user.account_id)
        .await?;
    let to = match contact(state, &opened).await? {
        Some(name) => fill(ctx.t(&G::TO_CONTACT), &[("name", &name)]),
        None => ctx.t(&G::TO_TEAM).to_owned(),
    };
    let body = html! {
        h1 { (ctx.t(&G::TITLE)) }
        (error_summary(ctx, errors))
        p.lead { (ctx.t(&G::INTRO)) }
        p.warning-text { (ctx.t(&G::NOT_URGENT)) }
        section aria-labelledby="threads-h" {
            h2 #threads-h { (ctx.t(&G::THREADS)) }
            (thread_list(ctx, "/mina-sidor/meddelanden", &threads))
        }
        section aria-labelledby="new-h" {
            h2 #new-h { (ctx.t(&G::NEW)) }
            p { (to) }
            (message_form(ctx, "/mina-sidor/meddelanden", f, errors, true))
        }
    };
    Ok(form_response(ctx, ctx.t(&G::TITLE), body, errors))
}

/// `GET /mina-sidor/meddelanden`: the patient's threads and a new message.
pub async fn own_list(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    own_list_page(&state, &ctx, &user, &MessageForm::fresh(), &[]).await
}

/// `POST /mina-sidor/meddelanden`: the patient writes to the care team.
pub async fn own_start(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<MessageForm>,
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(&state, &ctx, &user, Action::Create, OWN_RESOURCE).await?;
    let caller = ctx.caller(&user);
    match messages::start(
        state.store(),
        &caller,
        &opened,
        &f.input(),
        &answering(&state),
    )
    .await
    .for_user(&ctx)
    {
        Ok(thread) => Ok(redirect(
            &state,
            &format!("/mina-sidor/meddelanden/{thread}"),
            Flash::MessageSent,
            "",
        )),
        Err(AppError::Invalid(errors)) => {
            own_list_page(&state, &ctx, &user, &f.kept(), &errors).await
        }
        Err(e) => Err(e),
    }
}

/// Which thread a page shows, to whom, under which address.
struct ThreadAt<'a> {
    opened: &'a OpenedPatient,
    user: &'a User,
    base: &'a str,
    thread: Uuid,
}

async fn thread_page(
    state: &AppState,
    ctx: &Ctx,
    at: ThreadAt<'_>,
    f: &MessageForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let ThreadAt {
        opened,
        user,
        base,
        thread,
    } = at;
    let (t, list) = messages::read(state.store(), &ctx.caller(user), opened, thread)
        .await
        .for_user(ctx)?;
    // Staff read a patient's thread: whose it is stands first.
    let strip = match user.role {
        trappa_policy::Role::Patient => maud::html! {},
        _ => crate::pages::patients::strip_for(state, ctx, opened).await?,
    };
    let body = html! {
        (strip)
        p { a href=(base) { "← " (ctx.t(&G::TITLE)) } }
        h1 { (t.subject) }
        (error_summary(ctx, errors))
        p.muted { (state_text(ctx, &t, base.starts_with("/mina-sidor"))) }
        div.thread { @for m in &list { (message_view(ctx, m)) } }
        section aria-labelledby="reply-h" {
            h2 #reply-h { (ctx.t(&G::REPLY)) }
            (message_form(ctx, &format!("{base}/{thread}"), f, errors, false))
        }
    };
    Ok(form_response(ctx, &t.subject, body, errors))
}

/// `GET /mina-sidor/meddelanden/{thread}`: one thread; what was unread is read now.
pub async fn own_thread(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(thread): Path<Uuid>,
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(&state, &ctx, &user, Action::Read, OWN_RESOURCE).await?;
    let base = "/mina-sidor/meddelanden";
    thread_page(
        &state,
        &ctx,
        ThreadAt {
            opened: &opened,
            user: &user,
            base,
            thread,
        },
        &MessageForm::fresh(),
        &[],
    )
    .await
}

/// `POST /mina-sidor/meddelanden/{thread}`: the patient answers in a thread.
pub async fn own_reply(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(thread): Path<Uuid>,
    HtmlForm(f): HtmlForm<MessageForm>,
) -> Result<Response, AppError> {
    let opened = crate::access::open_own(&state, &ctx, &user, Action::Create, OWN_RESOURCE).await?;
    let caller = ctx.caller(&user);
    let base = "/mina-sidor/meddelanden";
    match messages::reply(
        state.store(),
        &caller,
        &opened,
        thread,
        &f.input(),
        &answering(&state),
    )
    .await
    .for_user(&ctx)
    {
        Ok(()) => Ok(redirect(
            &state,
            &format!("{base}/{thread}"),
            Flash::MessageSent,
            "",
        )),
        Err(AppError::Invalid(errors)) => {
            thread_page(
                &state,
                &ctx,
                ThreadAt {
                    opened: &opened,
                    user: &user,
                    base,
                    thread,
                },
                &f.kept(),
                &errors,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------
// The care team's side.

/// The most patients of one caseload the inbox reads.
const INBOX_LIMIT: i64 = 2000;
/// Where the inbox's list starts (the pager comes back to it).
const INBOX_ANCHOR: &str = "inkorg";

/// `GET /meddelanden`: the threads of one's caseload, waiting longest first, with who
/// answered and when; filtered by name or subject, paged.
pub async fn inbox(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(lp): Query<ListParams>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let all = messages::inbox(state.store(), &caller, INBOX_LIMIT)
        .await
        .for_user(&ctx)?;
    let rows: Vec<_> = all
        .into_iter()
        .filter(|(c, t)| {
            lp.matches(&[
                &c.given_name,
                &c.family_name,
                &c.personal_identity.to_string(),
                &t.subject,
            ])
        })
        .collect();
    let paged = paginate(rows, lp.page());
    let body = html! {
        h1 { (ctx.t(&G::INBOX_TITLE)) }
        p.lead { (ctx.t(&G::INBOX_INTRO)) }
        form.filter method="get" action="/meddelanden" {
            div.field {
                label for="q" { (ctx.t(&G::FILTER)) }
                input #q name="q" type="search" value=(lp.q);
            }
            button.button.secondary type="submit" { (ctx.t(&crate::i18n::W::LIST_FILTER)) }
        }
        section #(INBOX_ANCHOR) {
            h2 #inbox-h { (ctx.t(&G::THREADS)) }
            @if paged.total == 0 { p.muted { (ctx.t(&G::NO_THREADS)) } }
            @else {
                div.table-wrap role="region" aria-labelledby="inbox-h" tabindex="0" { table {
                    thead { tr {
                        th scope="col" { (ctx.t(&G::COL_PATIENT)) }
                        th scope="col" { (ctx.t(&G::SUBJECT)) }
                        th scope="col" { (ctx.t(&G::COL_STATE)) }
                        th scope="col" { (ctx.t(&G::COL_LAST)) }
                    } }
                    tbody { @for (c, t) in &paged.rows { tr {
                        td { (c.family_name) ", " (c.given_name) }
                        td {
                            a href={ "/patienter/" (c.patient_id) "/meddelanden/" (t.id) } { (t.subject) }
                            @if t.unread > 0 { " " span.tag { (trappa_i18n::format::count(t.unread, &G::UNREAD_ONE, &G::UNREAD_MANY, ctx.locale)) } }
                        }
                        td { (state_text(&ctx, t, false)) }
                        td { (format_time(t.last_at)) }
                    } } }
                } }
            }
            (pager(&ctx, "/meddelanden", INBOX_ANCHOR, &[("q", &lp.q)], &lp, &paged))
        }
    };
    Ok(page(&ctx, ctx.t(&G::INBOX_TITLE), body).into_response())
}

async fn patient_list_page(
    route: &PatientRoute,
    f: &MessageForm,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, RESOURCE).await?;
    let (state, ctx, id) = (&route.state, &route.ctx, route.id);
    let threads = state
        .store()
        .threads(&opened.access, route.user.account_id)
        .await?;
    let base = format!("/patienter/{id}/meddelanden");
    let strip = crate::pages::patients::strip_for(state, ctx, &opened).await?;
    let body = html! {
        (strip)
        h1 { (ctx.t(&G::PATIENT_TITLE)) }
        (error_summary(ctx, errors))
        section aria-labelledby="threads-h" {
            h2 #threads-h { (ctx.t(&G::THREADS)) }
            (thread_list(ctx, &base, &threads))
        }
        section aria-labelledby="new-h" {
            h2 #new-h { (ctx.t(&G::NEW_TO_PATIENT)) }
            (message_form(ctx, &base, f, errors, true))
        }
    };
    Ok(form_response(ctx, ctx.t(&G::PATIENT_TITLE), body, errors))
}

/// `GET /patienter/{id}/meddelanden`: the patient's threads, and a new one to them.
pub async fn patient_list(route: PatientRoute) -> Result<Response, AppError> {
    patient_list_page(&route, &MessageForm::fresh(), &[]).await
}

/// `POST /patienter/{id}/meddelanden`: the care team writes to the patient.
pub async fn patient_start(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<MessageForm>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Create, RESOURCE).await?;
    let caller = route.ctx.caller(&route.user);
    let (input, answering) = (f.input(), answering(&route.state));
    let started = messages::start(route.state.store(), &caller, &opened, &input, &answering);
    match started.await.for_user(&route.ctx) {
        Ok(thread) => Ok(redirect(
            &route.state,
            &format!("/patienter/{}/meddelanden/{thread}", route.id),
            Flash::MessageSent,
            "",
        )),
        Err(AppError::Invalid(errors)) => patient_list_page(&route, &f.kept(), &errors).await,
        Err(e) => Err(e),
    }
}

/// `GET /patienter/{id}/meddelanden/{thread}`: one thread, read by this member now.
pub async fn patient_thread(
    route: PatientRoute,
    Path((_, thread)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, RESOURCE).await?;
    let base = format!("/patienter/{}/meddelanden", route.id);
    let f = MessageForm::fresh();
    thread_page(
        &route.state,
        &route.ctx,
        ThreadAt {
            opened: &opened,
            user: &route.user,
            base: &base,
            thread,
        },
        &f,
        &[],
    )
    .await
}

/// `POST /patienter/{id}/meddelanden/{thread}`: the care team answers.
pub async fn patient_reply(
    route: PatientRoute,
    Path((_, thread)): Path<(Uuid, Uuid)>,
    HtmlForm(f): HtmlForm<MessageForm>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Create, RESOURCE).await?;
    let caller = route.ctx.caller(&route.user);
    let base = format!("/patienter/{}/meddelanden", route.id);
    let (input, answering) = (f.input(), answering(&route.state));
    let sent = messages::reply(
        route.state.store(),
        &caller,
        &opened,
        thread,
        &input,
        &answering,
    );
    match sent.await.for_user(&route.ctx) {
        Ok(()) => Ok(redirect(
            &route.state,
            &format!("{base}/{thread}"),
            Flash::MessageSent,
            "",
        )),
        Err(AppError::Invalid(errors)) => {
            thread_page(
                &route.state,
                &route.ctx,
                ThreadAt {
                    opened: &opened,
                    user: &route.user,
                    base: &base,
                    thread,
                },
                &f.kept(),
                &errors,
            )
            .await
        }
        Err(e) => Err(e),
    }
}
