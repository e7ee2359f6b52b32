//! Working with partners (issue 19): the patient's coordinated individual plans (SIP)
//! and consents, for the care team and for a partner's staff on the same page
//! (`/patienter/{id}/sip`), the plans shared with a partner's organisation
//! (`/samverkan`), and the patient's own consents (`/mina-sidor/samtycken`).
//!
//! Who sees what is decided by `trappa_app::sip` (its `open` asks the policy and logs
//! the answer); these handlers parse, call one use case and render.

mod forms;
mod own;

use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_app::sip::{self, OpenedSips};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::partners::{Consent, ConsentHow, PartnerKind, PartnerOrganisation};
use trappa_store::sips::{Party, Sip, SipVersion, TaskStatus};

use forms::{ConsentForm, PlanForm, TaskForm, consent_form, plan_form, task_form};
pub use forms::{add_task, edit, edit_page, record_consent, start, withdraw_consent};
pub use own::{own_page, own_withdraw};

use crate::access::{Authed, PatientRoute, keep_deferred_sips};
use crate::ctx::{Ctx, ForUser};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path};
use crate::flash::{Flash, redirect};
use crate::i18n::{Q, fill};
use crate::pages::layout::{csrf_field, error_summary, form_response};
use crate::state::AppState;
use trappa_app::clock::format_time;

/// Opens the patient's SIPs for the signed-in user ([`trappa_app::sip::open`]), a
/// write's held-back log entry handed to the request.
pub(crate) async fn open_sips(
    route: &PatientRoute,
    action: Action,
) -> Result<OpenedSips, AppError> {
    let opened = sip::open(
        route.state.store(),
        &route.ctx.caller(&route.user),
        route.id,
        action,
    )
    .await;
    keep_deferred_sips(&route.ctx, opened)
}

/// What a refused form brings back to the page: the form as typed and its faults.
#[derive(Default)]
pub(crate) struct Kept {
    plan: Option<(PlanForm, Vec<FieldError>)>,
    consent: Option<(ConsentForm, Vec<FieldError>)>,
    task: Option<(Uuid, TaskForm, Vec<FieldError>)>,
}

impl Kept {
    fn plan(f: PlanForm, errors: Vec<FieldError>) -> Self {
        Kept {
            plan: Some((f, errors)),
            ..Default::default()
        }
    }
    fn consent(f: ConsentForm, errors: Vec<FieldError>) -> Self {
        Kept {
            consent: Some((f, errors)),
            ..Default::default()
        }
    }
    fn task(sip: Uuid, f: TaskForm, errors: Vec<FieldError>) -> Self {
        Kept {
            task: Some((sip, f, errors)),
            ..Default::default()
        }
    }
    fn errors(&self) -> Vec<FieldError> {
        let mut all = Vec::new();
        for e in [
            self.plan.as_ref().map(|p| &p.1),
            self.consent.as_ref().map(|c| &c.1),
            self.task.as_ref().map(|t| &t.2),
        ]
        .into_iter()
        .flatten()
        {
            all.extend(e.iter().cloned());
        }
        all
    }
}

fn kind_label(kind: PartnerKind) -> &'static crate::i18n::Msg {
    match kind {
        PartnerKind::SocialServices => &Q::KIND_SOCIAL,
        PartnerKind::Psychiatry => &Q::KIND_PSYCHIATRY,
        PartnerKind::AddictionCare => &Q::KIND_ADDICTION,
        PartnerKind::PainTeam => &Q::KIND_PAIN,
    }
}

/// The partner organisations as options, grouped by kind, `current` selected.
pub(crate) fn org_options(ctx: &Ctx, orgs: &[PartnerOrganisation], current: &str) -> Markup {
    html! {
        @for kind in PartnerKind::ALL {
            @let of_kind: Vec<&PartnerOrganisation> = orgs.iter().filter(|o| o.kind == kind).collect();
            @if !of_kind.is_empty() {
                optgroup label=(ctx.t(kind_label(kind))) {
                    @for o in of_kind {
                        option value=(o.id) selected[current == o.id.to_string()] { (o.name) }
                    }
                }
            }
        }
    }
}

/// A party's name.
fn party_name(ctx: &Ctx, orgs: &[PartnerOrganisation], party: Party) -> String {
    match party {
        Party::Unit => ctx.t(&Q::THE_UNIT).to_owned(),
        Party::Partner(id) => orgs
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "–".to_owned()),
    }
}

fn how_label(how: ConsentHow) -> &'static crate::i18n::Msg {
    match how {
        ConsentHow::Oral => &Q::HOW_ORAL,
        ConsentHow::Written => &Q::HOW_WRITTEN,
        ConsentHow::Portal => &Q::HOW_PORTAL,
    }
}

fn status_label(s: TaskStatus) -> &'static crate::i18n::Msg {
    match s {
        TaskStatus::Open => &Q::STATUS_OPEN,
        TaskStatus::Done => &Q::STATUS_DONE,
        TaskStatus::Cancelled => &Q::STATUS_CANCELLED,
    }
}

fn date_or_unset(ctx: &Ctx, d: Option<jiff::civil::Date>) -> String {
    d.map(|d| d.to_string())
        .unwrap_or_else(|| ctx.t(&Q::NOT_SET).to_owned())
}

/// One version's content, as the law lists it.
fn version_view(ctx: &Ctx, orgs: &[PartnerOrganisation], v: &SipVersion) -> Markup {
    let c = &v.content;
    html! {
        dl.facts {
            dt { (ctx.t(&Q::MEETING_ON)) } dd { (date_or_unset(ctx, c.meeting_on)) }
            dt { (ctx.t(&Q::FOLLOW_UP)) } dd { (date_or_unset(ctx, c.follow_up_on)) }
            dt { (ctx.t(&Q::LEAD)) } dd { (c.lead.map(|l| party_name(ctx, orgs, l)).unwrap_or_default()) }
        }
        h4 { (ctx.t(&Q::INTERVENTIONS)) }
        div.table-wrap { table {
            thead { tr { th scope="col" { (ctx.t(&Q::INTERVENTION)) } th scope="col" { (ctx.t(&Q::RESPONSIBLE)) } } }
            tbody { @for i in &c.interventions { tr { td { (i.what) } td { (party_name(ctx, orgs, i.responsible)) } } } }
        } }
        @if !c.others.is_empty() {
            h4 { (ctx.t(&Q::OTHERS)) }
            p.prewrap { (c.others) }
        }
        h4 { (ctx.t(&Q::PARTICIPANTS)) }
        p { (ctx.t(if c.patient_present { &Q::PATIENT_PRESENT } else { &Q::PATIENT_ABSENT })) }
        @if !c.participants.is_empty() {
            ul { @for p in &c.participants {
                li {
                    (p.name)
                    @if !p.role.is_empty() { ", " (p.role) }
                    " – "
                    (p.party.map(|q| party_name(ctx, orgs, q)).unwrap_or_else(|| ctx.t(&Q::PATIENT_OR_RELATIVE).to_owned()))
                }
            } }
        }
    }
}

/// One plan: its latest version, the parties' signatures, its tasks and, for those who
/// may, the forms that sign it, change it and give tasks.
fn plan_view(
    ctx: &Ctx,
    base: &str,
    sips: &OpenedSips,
    orgs: &[PartnerOrganisation],
    plan: &Sip,
    kept: &Kept,
) -> Markup {
    let Some(latest) = plan.latest() else {
        return html! {};
    };
    let unit = sips.party == Party::Unit;
    let signed = |party: Party| latest.signatures.iter().find(|s| s.party == party);
    let parties: Vec<(Party, String)> = latest
        .parties
        .iter()
        .map(|p| (*p, party_name(ctx, orgs, *p)))
        .collect();
    let fresh_task = TaskForm::default();
    let (task_f, task_errors) = match &kept.task {
        Some((id, f, e)) if *id == plan.id => (f, e.as_slice()),
        _ => (&fresh_task, &[][..]),
    };
    html! {
        article.sip id={ "sip-" (plan.id) } {
            h2 { (fill(ctx.t(&Q::PLAN_HEADING), &[("date", &trappa_app::clock::local_date(plan.started_at).to_string())])) }
            p.lead { (fill(ctx.t(&Q::PLAN_NEED), &[("need", &plan.need)])) }
            p.muted { (fill(ctx.t(&Q::PLAN_VERSION), &[
                ("version", &latest.version.to_string()),
                ("when", &format_time(latest.authored_at)),
                ("name", &latest.authored_by_name),
            ])) }
            @if latest.closed { p.notice { (ctx.t(&Q::PLAN_CLOSED)) } }
            (version_view(ctx, orgs, latest))
            h3 { (ctx.t(&Q::PARTIES)) }
            ul.parties { @for (party, name) in &parties {
                li {
                    strong { (name) } ": "
                    @match signed(*party) {
                        Some(s) => { (fill(ctx.t(&Q::SIGNED_BY), &[("name", &s.signed_by_name), ("when", &format_time(s.signed_at))])) }
                        None => { (ctx.t(&Q::NOT_SIGNED)) }
                    }
                }
            } }
            @if !latest.closed && signed(sips.party).is_none() && latest.parties.contains(&sips.party) {
                form method="post" action={ (base) "/" (plan.id) "/signera" } {
                    (csrf_field(ctx))
                    input type="hidden" name="version" value=(latest.version);
                    button.button type="submit" { (fill(ctx.t(&Q::SIGN), &[("party", &party_name(ctx, orgs, sips.party))])) }
                }
            }
            h3 { (ctx.t(&Q::TASKS)) }
            @if plan.tasks.is_empty() { p.muted { (ctx.t(&Q::NO_TASKS)) } }
            ul.sip-list { @for t in &plan.tasks {
                li {
                    strong { (t.description) }
                    br;
                    (ctx.t(&Q::TASK_FOR)) ": " (party_name(ctx, orgs, t.party))
                    " · " (ctx.t(&Q::TASK_DUE)) ": " (date_or_unset(ctx, t.due_on))
                    br;
                    (ctx.t(&Q::TASK_STATUS)) ": " strong { (ctx.t(status_label(t.status))) }
                    " – " span.muted { (fill(ctx.t(&Q::TASK_LAST), &[("name", &t.updated_by_name), ("when", &format_time(t.updated_at))])) }
                    @if !t.note.is_empty() { br; span.prewrap { (t.note) } }
                    @if !latest.closed {
                        form.row-form method="post" action={ (base) "/uppgifter/" (t.id) } {
                            (csrf_field(ctx))
                            input type="hidden" name="handelser" value=(t.events);
                            div.field {
                                label for={ "status-" (t.id) } { (ctx.t(&Q::TASK_STATUS)) }
                                select id={ "status-" (t.id) } name="status" {
                                    @for s in [TaskStatus::Open, TaskStatus::Done, TaskStatus::Cancelled] {
                                        option value=(s.code()) selected[s == t.status] { (ctx.t(status_label(s))) }
                                    }
                                }
                            }
                            div.field {
                                label for={ "kommentar-" (t.id) } { (ctx.t(&Q::TASK_NOTE)) }
                                input id={ "kommentar-" (t.id) } name="kommentar" type="text" autocomplete="off";
                            }
                            button.button.secondary type="submit" { (ctx.t(&Q::TASK_SET)) }
                        }
                    }
                }
            } }
            p { a href={ (base) "/" (plan.id) "/sip.pdf" } { (ctx.t(&Q::PDF)) } }
            @if unit && !latest.closed {
                details open[kept.task.as_ref().is_some_and(|t| t.0 == plan.id)] {
                    summary { (ctx.t(&Q::TASK_ADD)) }
                    (task_form(ctx, &format!("{base}/{}/uppgifter", plan.id), plan.id, &parties, task_f, task_errors))
                }
                p { a.button.secondary href={ (base) "/" (plan.id) "/andra" } { (ctx.t(&Q::PLAN_EDIT)) } }
            }
            @if plan.versions.len() > 1 {
                details {
                    summary { (ctx.t(&Q::HISTORY)) }
                    ol { @for v in plan.versions.iter().rev().skip(1) {
                        li {
                            (fill(ctx.t(&Q::PLAN_VERSION), &[("version", &v.version.to_string()), ("when", &format_time(v.authored_at)), ("name", &v.authored_by_name)]))
                            ": " (v.reason)
                        }
                    } }
                }
            }
        }
    }
}

fn consents_view(ctx: &Ctx, base: &str, consents: &[Consent]) -> Markup {
    html! {
        @if consents.is_empty() { p.muted { (ctx.t(&Q::CONSENT_NONE)) } }
        ul.sip-list { @for c in consents {
            li {
                strong { (c.organisation_name) }
                br;
                (ctx.t(&Q::CONSENT_GIVEN_ON)) ": " (c.given_on) " · " (ctx.t(&Q::CONSENT_HOW)) ": " (ctx.t(how_label(c.how)))
                br;
                @if c.withdrawn {
                    (fill(ctx.t(&Q::CONSENT_WITHDRAWN), &[("when", &format_time(c.authored_at))]))
                    @if !c.reason.is_empty() { ": " span.prewrap { (c.reason) } }
                } @else {
                    strong { (ctx.t(&Q::CONSENT_IN_FORCE)) }
                    form.row-form method="post" action={ (base) "/samtycke/" (c.id) "/aterkalla" } {
                        (csrf_field(ctx))
                        input type="hidden" name="version" value=(c.version);
                        div.field {
                            label for={ "anteckning-" (c.id) } { (ctx.t(&Q::CONSENT_WITHDRAW_NOTE)) }
                            input id={ "anteckning-" (c.id) } name="anteckning" type="text" autocomplete="off";
                        }
                        button.button.secondary type="submit" { (ctx.t(&Q::CONSENT_WITHDRAW)) }
                    }
                }
            }
        } }
    }
}

/// The SIP page, with what a refused form brought back.
pub(crate) async fn render(route: &PatientRoute, kept: Kept) -> Result<Response, AppError> {
    let sips = open_sips(route, Action::Read).await?;
    let store = route.state.store();
    let ctx = &route.ctx;
    let patient = store.patient(&sips.opened.access).await?;
    let orgs = store.partner_organisations().await?;
    let plans = sip::read(store, &sips).await.for_user(ctx)?;
    let base = format!("/patienter/{}/sip", route.id);
    let name = format!(
        "{} {}",
        patient.current.data.given_name, patient.current.data.family_name
    );
    let title = fill(ctx.t(&Q::TITLE_FOR), &[("name", &name)]);
    let errors = kept.errors();
    let body = match sips.party {
        Party::Unit => {
            let consents = sip::current(sip::consents(store, &sips.opened).await.for_user(ctx)?);
            let fresh_plan = PlanForm::fresh();
            let (plan_f, plan_errors) = match &kept.plan {
                Some((f, e)) => (f, e.as_slice()),
                None => (&fresh_plan, &[][..]),
            };
            let fresh_consent = ConsentForm::fresh();
            let (consent_f, consent_errors) = match &kept.consent {
                Some((f, e)) => (f, e.as_slice()),
                None => (&fresh_consent, &[][..]),
            };
            html! {
                (error_summary(ctx, &errors))
                (crate::pages::patients::strip(ctx, &patient, &sips.opened))
                h1 { (title) }
                p.lead { (ctx.t(&Q::INTRO_UNIT)) }
                section #samtycken {
                    h2 { (ctx.t(&Q::CONSENTS)) }
                    (consents_view(ctx, &base, &consents))
                    details open[kept.consent.is_some()] {
                        summary { (ctx.t(&Q::CONSENT_RECORD)) }
                        (consent_form(ctx, &format!("{base}/samtycke"), consent_f, &orgs, consent_errors))
                    }
                }
                @if plans.is_empty() { p.muted { (ctx.t(&Q::NO_PLANS)) } }
                @for p in &plans { (plan_view(ctx, &base, &sips, &orgs, p, &kept)) }
                section #ny-plan {
                    details open[kept.plan.is_some() || plans.is_empty()] {
                        summary { (ctx.t(&Q::PLAN_NEW)) }
                        (plan_form(ctx, &base, plan_f, &orgs, plan_errors, false))
                    }
                }
            }
        }
        Party::Partner(org) => {
            let org_name = party_name(ctx, &orgs, Party::Partner(org));
            html! {
                (error_summary(ctx, &errors))
                // Whose plan, without a way into the record a partner does not reach; a
                // protected identity is said first, as on every page of the record.
                @if patient.current.data.protected_identity {
                    div.alert-banner role="alert" { (ctx.t(&crate::i18n::M::PROTECTED_BANNER)) }
                }
                p.patient-strip {
                    (patient.current.data.family_name) ", " (patient.current.data.given_name)
                    " · " span.pnr { (patient.current.data.personal_identity) }
                }
                h1 { (title) }
                p.lead { (fill(ctx.t(&Q::INTRO_PARTNER), &[("organisation", &org_name)])) }
                p { a href="/samverkan" { (ctx.t(&Q::SHARED_TITLE)) } }
                @if plans.is_empty() { p.muted { (ctx.t(&Q::NO_PLANS)) } }
                @for p in &plans { (plan_view(ctx, &base, &sips, &orgs, p, &kept)) }
            }
        }
    };
    Ok(form_response(ctx, &title, body, &errors))
}

/// `GET /patienter/{id}/sip`: the patient's SIPs (and, for the care team, consents).
pub async fn view(route: PatientRoute) -> Result<Response, AppError> {
    render(&route, Kept::default()).await
}

/// The page that changes a plan, with what a refused form brought back.
pub(crate) async fn edit_render(
    route: &PatientRoute,
    id: Uuid,
    kept: Option<PlanForm>,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let sips = open_sips(route, Action::Read).await?;
    if sips.party != Party::Unit {
        return Err(AppError::Forbidden);
    }
    let store = route.state.store();
    let ctx = &route.ctx;
    let plan = sip::read(store, &sips)
        .await
        .for_user(ctx)?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)?;
    let latest = plan.latest().ok_or(AppError::NotFound)?;
    let orgs = store.partner_organisations().await?;
    let f = kept.unwrap_or_else(|| PlanForm::from_version(latest));
    let patient = store.patient(&sips.opened.access).await?;
    let base = format!("/patienter/{}/sip", route.id);
    let title = ctx.t(&Q::PLAN_EDIT).to_owned();
    let body = html! {
        (error_summary(ctx, errors))
        (crate::pages::patients::strip(ctx, &patient, &sips.opened))
        h1 { (title) }
        p.lead { (ctx.t(&Q::PLAN_EDIT_HINT)) }
        p { a href={ (base) "#sip-" (id) } { (ctx.t(&Q::TITLE)) } }
        (plan_form(ctx, &format!("{base}/{id}/andra"), &f, &orgs, errors, true))
    };
    Ok(form_response(ctx, &title, body, errors))
}

/// A signature as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    /// The version shown.
    version: i64,
}

/// `POST /patienter/{id}/sip/{sip}/signera`: signs the version shown for the caller's
/// party.
pub async fn sign(
    route: PatientRoute,
    Path((_, id)): Path<(Uuid, Uuid)>,
    HtmlForm(f): HtmlForm<SignForm>,
) -> Result<Response, AppError> {
    let sips = open_sips(&route, Action::Update).await?;
    let caller = route.ctx.caller(&route.user);
    sip::sign(route.state.store(), &caller, &sips, id, f.version)
        .await
        .for_user(&route.ctx)?;
    Ok(redirect(
        &route.state,
        &format!("/patienter/{}/sip#sip-{id}", route.id),
        Flash::SipSigned,
        "",
    ))
}

/// A task's status as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TaskStatusForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    /// How many status changes the task had when shown.
    handelser: i64,
    /// The new status.
    status: String,
    /// A comment.
    kommentar: String,
}

/// `POST /patienter/{id}/sip/uppgifter/{task}`: sets a task's status — the care team
/// any task, a partner their organisation's.
pub async fn task_status(
    route: PatientRoute,
    Path((_, task)): Path<(Uuid, Uuid)>,
    HtmlForm(f): HtmlForm<TaskStatusForm>,
) -> Result<Response, AppError> {
    let sips = open_sips(&route, Action::Update).await?;
    let caller = route.ctx.caller(&route.user);
    sip::set_task_status(
        route.state.store(),
        &caller,
        &sips,
        task,
        f.handelser,
        &f.status,
        &f.kommentar,
    )
    .await
    .for_user(&route.ctx)?;
    Ok(redirect(
        &route.state,
        &format!("/patienter/{}/sip", route.id),
        Flash::SipTaskSaved,
        "",
    ))
}

/// A plan as a printed document: the heading lines, whose plan, its title, and its
/// paragraphs (lines within one separated by `\n`).
struct SipDocument {
    from: Vec<String>,
    to: Vec<String>,
    title: String,
    paragraphs: Vec<String>,
}

/// The plan as a document: its latest version with the law's content, the parties'
/// signatures and the tasks the reader may see, for printing or for a partner's own
/// records.
fn document(
    ctx: &Ctx,
    orgs: &[PartnerOrganisation],
    patient: &trappa_store::patients::Patient,
    plan: &Sip,
) -> Option<SipDocument> {
    let v = plan.latest()?;
    let c = &v.content;
    let d = &patient.current.data;
    let name = format!("{} {}", d.given_name, d.family_name);
    let mut paragraphs = Vec::new();
    if d.protected_identity {
        paragraphs.push(ctx.t(&crate::i18n::M::PROTECTED_BANNER).to_owned());
    }
    paragraphs.extend([
        fill(ctx.t(&Q::PLAN_NEED), &[("need", &plan.need)]),
        fill(
            ctx.t(&Q::PLAN_VERSION),
            &[
                ("version", &v.version.to_string()),
                ("when", &format_time(v.authored_at)),
                ("name", &v.authored_by_name),
            ],
        ),
    ]);
    if v.closed {
        paragraphs.push(ctx.t(&Q::PLAN_CLOSED).to_owned());
    }
    let line =
        |label: &'static crate::i18n::Msg, value: String| format!("{}: {value}", ctx.t(label));
    paragraphs.push(line(&Q::MEETING_ON, date_or_unset(ctx, c.meeting_on)));
    paragraphs.push(line(&Q::FOLLOW_UP, date_or_unset(ctx, c.follow_up_on)));
    paragraphs.push(line(
        &Q::LEAD,
        c.lead.map(|l| party_name(ctx, orgs, l)).unwrap_or_default(),
    ));
    let interventions: Vec<String> = c
        .interventions
        .iter()
        .map(|i| format!("– {} ({})", i.what, party_name(ctx, orgs, i.responsible)))
        .collect();
    paragraphs.push(format!(
        "{}\n{}",
        ctx.t(&Q::INTERVENTIONS),
        interventions.join("\n")
    ));
    if !c.others.is_empty() {
        paragraphs.push(format!("{}\n{}", ctx.t(&Q::OTHERS), c.others));
    }
    let mut people = vec![
        ctx.t(if c.patient_present {
            &Q::PATIENT_PRESENT
        } else {
            &Q::PATIENT_ABSENT
        })
        .to_owned(),
    ];
    people.extend(c.participants.iter().map(|p| {
        let party = p
            .party
            .map(|q| party_name(ctx, orgs, q))
            .unwrap_or_else(|| ctx.t(&Q::PATIENT_OR_RELATIVE).to_owned());
        if p.role.is_empty() {
            format!("– {} ({party})", p.name)
        } else {
            format!("– {}, {} ({party})", p.name, p.role)
        }
    }));
    paragraphs.push(format!(
        "{}\n{}",
        ctx.t(&Q::PARTICIPANTS),
        people.join("\n")
    ));
    let signatures: Vec<String> = v
        .parties
        .iter()
        .map(|p| {
            let state = match v.signatures.iter().find(|s| s.party == *p) {
                Some(s) => fill(
                    ctx.t(&Q::SIGNED_BY),
                    &[
                        ("name", &s.signed_by_name),
                        ("when", &format_time(s.signed_at)),
                    ],
                ),
                None => ctx.t(&Q::NOT_SIGNED).to_owned(),
            };
            format!("– {}: {state}", party_name(ctx, orgs, *p))
        })
        .collect();
    paragraphs.push(format!("{}\n{}", ctx.t(&Q::PARTIES), signatures.join("\n")));
    let tasks: Vec<String> = plan
        .tasks
        .iter()
        .map(|t| {
            format!(
                "– {} ({}, {} {}): {}",
                t.description,
                party_name(ctx, orgs, t.party),
                ctx.t(&Q::TASK_DUE).to_lowercase(),
                date_or_unset(ctx, t.due_on),
                ctx.t(status_label(t.status)),
            )
        })
        .collect();
    if !tasks.is_empty() {
        paragraphs.push(format!("{}\n{}", ctx.t(&Q::TASKS), tasks.join("\n")));
    }
    let title = fill(ctx.t(&Q::TITLE_FOR), &[("name", &name)]);
    Some(SipDocument {
        from: vec![
            ctx.t(&Q::TITLE).to_owned(),
            fill(
                ctx.t(&Q::PLAN_HEADING),
                &[(
                    "date",
                    &trappa_app::clock::local_date(plan.started_at).to_string(),
                )],
            ),
        ],
        to: vec![name, d.personal_identity.to_string()],
        title,
        paragraphs,
    })
}

/// `GET /patienter/{id}/sip/{sip}/sip.pdf`: the plan as PDF, as the reader may see it.
pub async fn pdf(
    route: PatientRoute,
    Path((_, id)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let sips = open_sips(&route, Action::Export).await?;
    let store = route.state.store();
    let ctx = &route.ctx;
    let plan = sip::read(store, &sips)
        .await
        .for_user(ctx)?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)?;
    let patient = store.patient(&sips.opened.access).await?;
    let orgs = store.partner_organisations().await?;
    let doc = document(ctx, &orgs, &patient, &plan).ok_or(AppError::NotFound)?;
    let bytes = crate::work::run(&route.state, "sip_pdf", move |_| {
        crate::pdf::letter_pdf(&crate::pdf::Letter {
            from: doc.from,
            to: doc.to,
            title: &doc.title,
            paragraphs: doc.paragraphs,
            signature: Vec::new(),
            sender_note: None,
        })
    })
    .await??;
    Ok(crate::download::pdf("sip.pdf", bytes))
}

/// The most plans a partner's list reads.
const SHARED_LIMIT: i64 = 2000;

/// Where the shared list starts (the pager comes back to it).
const SHARED_ANCHOR: &str = "delade";

/// `GET /samverkan`: the plans shared with the partner's organisation, with their
/// follow-up dates and the organisation's open tasks; filtered by name or identity
/// number, paged.
pub async fn shared(
    state: axum::extract::State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::Query(lp): crate::extract::Query<crate::list::ListParams>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let (org, plans) = sip::shared_with(state.store(), &caller, SHARED_LIMIT)
        .await
        .for_user(&ctx)?
        .ok_or(AppError::Forbidden)?;
    let plans: Vec<_> = plans
        .into_iter()
        .filter(|p| lp.matches(&[&p.given_name, &p.family_name, &p.personal_identity]))
        .collect();
    let paged = crate::list::paginate(plans, lp.page());
    let title = ctx.t(&Q::SHARED_TITLE);
    let body = html! {
        h1 { (title) }
        p.lead { (fill(ctx.t(&Q::SHARED_INTRO), &[("organisation", &org.name)])) }
        form.filter method="get" action="/samverkan" {
            div.field {
                label for="q" { (ctx.t(&crate::i18n::G::FILTER)) }
                input #q name="q" type="search" value=(lp.q);
            }
            button.button.secondary type="submit" { (ctx.t(&crate::i18n::W::LIST_FILTER)) }
        }
        section #(SHARED_ANCHOR) {
            @if paged.total == 0 { p.muted { (ctx.t(&Q::SHARED_NONE)) } }
            @else {
                div.table-wrap role="region" aria-labelledby="shared-h" tabindex="0" { table {
                    caption #shared-h .visually-hidden { (title) }
                    thead { tr {
                        th scope="col" { (ctx.t(&Q::COL_PATIENT)) }
                        th scope="col" { (ctx.t(&Q::FOLLOW_UP)) }
                        th scope="col" { (ctx.t(&Q::COL_OPEN_TASKS)) }
                    } }
                    tbody { @for p in &paged.rows { tr {
                        td { a href={ "/patienter/" (p.patient_id) "/sip#sip-" (p.sip_id) } { (p.family_name) ", " (p.given_name) } }
                        td { (date_or_unset(&ctx, p.follow_up_on)) @if p.closed { " · " (ctx.t(&Q::PLAN_CLOSED)) } }
                        td { (p.open_tasks) }
                    } } }
                } }
            }
            (crate::list::pager(&ctx, "/samverkan", SHARED_ANCHOR, &[("q", &lp.q)], &lp, &paged))
        }
    };
    Ok(crate::pages::layout::page(&ctx, title, body).into_response())
}
