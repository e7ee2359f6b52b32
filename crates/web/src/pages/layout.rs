//! The page shell and form pieces every page uses: header, role-aware navigation,
//! skip link, error summary and fields with their messages (GOV.UK-style patterns).

use axum::http::StatusCode;
use maud::{DOCTYPE, Markup, html};
use trappa_policy::{Permission, Role, allows};

use crate::ctx::Ctx;
use crate::error::FieldError;
use crate::i18n::{M, Msg, fill};
use trappa_app::text::role_label;

/// A complete HTML page.
pub fn page(ctx: &Ctx, title: &str, content: Markup) -> Markup {
    let app = ctx.t(&M::APP_NAME);
    html! {
        (DOCTYPE)
        html lang=(ctx.locale.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (app) }
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                a.skip-link href="#main" { (ctx.t(&M::SKIP_TO_CONTENT)) }
                header.site-header {
                    div.container.header-inner {
                        a.brand href="/" { (app) span.brand-tag { (ctx.t(&M::APP_TAGLINE)) } }
                        @if let Some(u) = &ctx.user {
                            @if !u.second_factor_pending {
                                div.user-box {
                                    span.user-name { (u.display_name) }
                                    " · "
                                    span.user-role { (ctx.t(&M::ACTING_AS)) ": " (ctx.t(role_label(u.role))) }
                                    form.inline method="post" action="/logga-ut" {
                                        (csrf_field(ctx))
                                        button.link-button type="submit" { (ctx.t(&M::LOGOUT)) }
                                    }
                                }
                            }
                        }
                    }
                    @if let Some(u) = &ctx.user {
                        @if !u.second_factor_pending { (nav(ctx, u.role)) }
                    }
                }
                main #main.container tabindex="-1" {
                    @if let Some(f) = &ctx.flash { (notice(&f.text(ctx.locale))) }
                    (content)
                }
                footer.site-footer {
                    div.container {
                        p { (ctx.t(&M::FOOTER_NOTE)) }
                        form.inline method="post" action="/sprak" {
                            (csrf_field(ctx))
                            input type="hidden" name="lang" value=(if ctx.locale == crate::i18n::Locale::Sv { "en" } else { "sv" });
                            input type="hidden" name="next" value=(ctx.path);
                            button.link-button type="submit" lang=(if ctx.locale == crate::i18n::Locale::Sv { "en" } else { "sv" }) { (ctx.t(&M::LANG_SWITCH)) }
                        }
                    }
                }
            }
        }
    }
}

fn nav(ctx: &Ctx, role: Role) -> Markup {
    let mut items: Vec<(&str, &'static Msg)> = vec![("/start", &M::NAV_START)];
    if allows(role, Permission::SearchPatients) {
        items.push(("/patienter", &M::NAV_PATIENTS));
    }
    if allows(role, Permission::WritePatientRecord) {
        items.push(("/patienter/ny", &M::NAV_NEW_PATIENT));
    }
    if allows(role, Permission::ReadPatientRecord) {
        items.push(("/meddelanden", &crate::i18n::G::TITLE));
    }
    if allows(role, Permission::WorkSharedSips) {
        items.push(("/samverkan", &crate::i18n::Q::SHARED_TITLE));
    }
    if allows(role, Permission::ReadOwnReferrals) || allows(role, Permission::TriageReferrals) {
        items.push(("/remisser", &M::NAV_REFERRALS));
    }
    if allows(role, Permission::ManageCareTeam) {
        items.push(("/vantelista", &M::NAV_WAITING));
    }
    if allows(role, Permission::PlanTrips) {
        items.push(("/planering", &M::NAV_PLANNING));
    }
    if allows(role, Permission::ReadAggregates) {
        items.push(("/rapport", &M::NAV_REPORT));
        items.push(("/behov", &M::NAV_NEEDS));
    }
    if allows(role, Permission::PlanTapers) {
        items.push(("/nedtrappning", &M::NAV_TAPER));
    }
    if allows(role, Permission::PlanTapers) || allows(role, Permission::ManageTaperSettings) {
        items.push(("/referensdata", &M::NAV_REFERENCE));
    }
    if allows(role, Permission::ReadAccessLog) {
        items.push(("/granskning/logg", &M::NAV_AUDIT_LOG));
    }
    if allows(role, Permission::ReviewEmergencyAccess) {
        items.push(("/granskning/nodatkomst", &M::NAV_EMERGENCY_REVIEW));
    }
    if allows(role, Permission::ReviewRoleChanges) {
        items.push(("/granskning/roller", &crate::i18n::S::NAV_ROLE_REVIEW));
    }
    if allows(role, Permission::ManageStaff) {
        items.push(("/admin/personal", &M::NAV_STAFF));
    }
    if allows(role, Permission::ReleaseRecordToPatients) {
        items.push(("/enhet/journal-till-patienter", &crate::i18n::E::TITLE));
    }
    if allows(role, Permission::ReadOwnRecord) {
        items.push(("/mina-sidor/plan", &crate::i18n::P::MY_PLAN_TITLE));
        items.push(("/mina-sidor/meddelanden", &crate::i18n::G::TITLE));
        items.push(("/mina-sidor/besok", &crate::i18n::B::TITLE));
        items.push(("/mina-sidor/dagbok", &crate::i18n::P::DIARY_TITLE));
        items.push(("/mina-sidor/skattningar", &crate::i18n::P::SCORES_TITLE));
        items.push(("/mina-sidor/journal", &crate::i18n::U::TITLE));
        items.push(("/mina-sidor/samtycken", &crate::i18n::Q::OWN_TITLE));
    }
    if allows(role, Permission::ReadOwnAccessLog) {
        items.push(("/mina-sidor/logg", &M::NAV_MY_LOG));
    }
    items.push(("/konto", &M::NAV_ACCOUNT));
    html! {
        nav.site-nav aria-label=(ctx.t(&M::NAV_MAIN)) {
            ul.container {
                @for (href, label) in items {
                    @let current = ctx.path == href || (href != "/start" && href != "/patienter" && ctx.path.starts_with(href));
                    li {
                        @if current {
                            a href=(href) aria-current="page" { (ctx.t(label)) }
                        } @else {
                            a href=(href) { (ctx.t(label)) }
                        }
                    }
                }
            }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.csrf_token); }
}

/// An error page with the incident id, and what is wrong with the input, if that was it.
pub fn error_page(
    ctx: Option<&Ctx>,
    title: &'static Msg,
    detail: &'static Msg,
    status: StatusCode,
    request_id: &str,
    errors: &[FieldError],
) -> Markup {
    // An error page never shows a confirmation of a save.
    let ctx = &match ctx {
        Some(c) => Ctx {
            flash: None,
            ..c.clone()
        },
        None => Ctx {
            request_id: request_id.to_owned(),
            client_ip: None,
            locale: Default::default(),
            csrf_token: String::new(),
            user: None,
            path: String::new(),
            flash: None,
            deferred: Default::default(),
        },
    };
    page(
        ctx,
        ctx.t(title),
        html! {
            h1 { (ctx.t(title)) }
            p.lead { (ctx.t(detail)) }
            @if !errors.is_empty() {
                div.error-summary role="alert" {
                    ul { @for e in errors { li { (e.message) } } }
                }
            }
            @if status.is_server_error() || status == StatusCode::FORBIDDEN {
                p { (ctx.t(&M::INCIDENT_ID)) ": " code.incident { (request_id) } }
            }
            p { a href="/" { (ctx.t(&M::BACK_TO_START)) } }
        },
    )
}

/// A page with a form, as a response: 422 when the form was refused (`errors`), so
/// that a client and the tests see the refusal, 200 otherwise.
pub fn form_response(
    ctx: &Ctx,
    title: &str,
    content: Markup,
    errors: &[FieldError],
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page(ctx, title, content)).into_response()
}

/// The error summary at the top of a form with errors; links to each field.
pub fn error_summary(ctx: &Ctx, errors: &[FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { (ctx.t(&M::ERROR_SUMMARY)) }
                ul {
                    @for e in errors {
                        li { a href={ "#" (e.field) } { (e.message) } }
                    }
                }
            }
        }
    }
}

/// The message for one field, if any.
pub fn field_error<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// A labelled text input with hint and error message.
pub struct Field<'a> {
    /// Field name and id.
    pub name: &'static str,
    /// Label.
    pub label: &'a str,
    /// Current value.
    pub value: &'a str,
    /// Hint under the label.
    pub hint: Option<&'a str>,
    /// Input type.
    pub kind: &'static str,
    /// `autocomplete` attribute.
    pub autocomplete: Option<&'static str>,
    /// Required.
    pub required: bool,
}

impl<'a> Field<'a> {
    /// A text field.
    pub fn text(name: &'static str, label: &'a str, value: &'a str) -> Self {
        Self {
            name,
            label,
            value,
            hint: None,
            kind: "text",
            autocomplete: None,
            required: false,
        }
    }
    /// With a hint.
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
    /// With an input type.
    pub fn kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }
    /// With autocomplete.
    pub fn autocomplete(mut self, a: &'static str) -> Self {
        self.autocomplete = Some(a);
        self
    }
    /// Required.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Renders the field.
    pub fn render(&self, errors: &[FieldError]) -> Markup {
        let err = field_error(errors, self.name);
        let hint_id = format!("{}-hint", self.name);
        let err_id = format!("{}-error", self.name);
        let describedby: Vec<&str> = [
            self.hint.map(|_| hint_id.as_str()),
            err.map(|_| err_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        html! {
            div.field.field-error[err.is_some()] {
                label for=(self.name) { (self.label) }
                @if let Some(h) = self.hint { div.hint id=(hint_id) { (h) } }
                @if let Some(e) = err { p.error-message id=(err_id) { (e) } }
                input id=(self.name) name=(self.name) type=(self.kind) value=(self.value)
                    autocomplete=[self.autocomplete]
                    required[self.required]
                    aria-invalid=[err.map(|_| "true")]
                    aria-describedby=[(!describedby.is_empty()).then(|| describedby.join(" "))];
            }
        }
    }
}

/// A short success notice.
pub fn notice(text: &str) -> Markup {
    html! { div.notice role="status" { (text) } }
}

/// Words for a weekday, 1 = Monday.
pub fn weekday_msg(n: i8) -> &'static Msg {
    match n {
        1 => &M::WEEKDAY_1,
        2 => &M::WEEKDAY_2,
        3 => &M::WEEKDAY_3,
        4 => &M::WEEKDAY_4,
        5 => &M::WEEKDAY_5,
        6 => &M::WEEKDAY_6,
        _ => &M::WEEKDAY_7,
    }
}

/// A time as a patient reads it, in local time: "fredag 18 december 2026 kl. 10:00".
pub fn when_text(ctx: &Ctx, t: jiff::Timestamp) -> String {
    let local = t.to_zoned(trappa_app::clock::stockholm());
    fill(
        ctx.t(&M::WHEN_LONG),
        &[
            (
                "weekday",
                ctx.t(weekday_msg(local.weekday().to_monday_one_offset())),
            ),
            (
                "date",
                &trappa_taper::output::date_text(local.date(), ctx.locale),
            ),
            ("time", &trappa_app::clock::format_clock(t)),
        ],
    )
}
