//! Patients: search, registration, the overview, identity corrections with version
//! history, the care team and emergency access.

use crate::extract::Form;
use crate::extract::{Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_ident::Sex;
use trappa_policy::{AccessBasis, Queue};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::care_team::TeamFunction;
use trappa_store::patients::{Address, Patient, PatientSummary};
use trappa_store::units::UnitKind;

use crate::access::{
    Can, ManageCareTeam, OpenedPatient, ReadPatientRecord, SearchPatients, TakeEmergencyAccess,
    WritePatientRecord, open_for_care_team_change, open_patient, role_label,
};
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::{AppError, FieldError};
use crate::i18n::{M, Msg, S, fill};
use crate::pages::layout::{Field, csrf_field, error_summary, page};
use crate::state::AppState;
use trappa_app::care_team::{self, function_label};
use trappa_app::patients::{self, PatientFields};

/// The search box used on the start page and the search page.
pub fn search_box(ctx: &Ctx, q: &str) -> Markup {
    html! {
        form.search-form role="search" method="get" action="/patienter" {
            (Field::text("q", ctx.t(&M::SEARCH_LABEL), q).kind("search").hint(ctx.t(&M::SEARCH_HINT)).render(&[]))
            button.primary type="submit" { (ctx.t(&M::SEARCH_SUBMIT)) }
        }
    }
}

/// The words for an access basis.
pub(crate) fn basis_label(b: AccessBasis) -> &'static Msg {
    match b {
        AccessBasis::CareTeam => &M::BASIS_CARE_TEAM,
        AccessBasis::Queue => &M::BASIS_QUEUE,
        AccessBasis::Emergency => &M::BASIS_EMERGENCY,
        AccessBasis::OwnRecord => &M::BASIS_OWN,
        AccessBasis::OwnReferral => &M::BASIS_OWN_REFERRAL,
        AccessBasis::Triage => &M::BASIS_TRIAGE,
        AccessBasis::Planning => &M::BASIS_PLANNING,
        AccessBasis::Statistics => &M::BASIS_STATISTICS,
        AccessBasis::Coordination => &S::BASIS_COORDINATION,
    }
}

fn queue_label(q: Queue) -> &'static Msg {
    match q {
        Queue::Triage => &M::QUEUE_TRIAGE,
        Queue::Waiting => &M::QUEUE_WAITING,
    }
}

use trappa_app::clock::today;

/// The query of the search page and the search API.
#[derive(Deserialize, Default)]
pub struct SearchQuery {
    /// An identity number or name words.
    pub q: Option<String>,
}

/// `GET /patienter`
pub async fn search(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<SearchPatients>,
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

async fn patient_form(
    state: &AppState,
    ctx: &Ctx,
    f: &PatientFields,
    errors: &[FieldError],
    action: &str,
    editing: bool,
) -> Result<Markup, AppError> {
    let units = state.store().units(UnitKind::Vardcentral).await?;
    let unit_err = crate::pages::layout::field_error(errors, "home_unit_id");
    let queue_err = crate::pages::layout::field_error(errors, "queue");
    Ok(html! {
        (error_summary(ctx, errors))
        form method="post" action=(action) novalidate {
            (csrf_field(ctx))
            @if editing { input type="hidden" name="version" value=(f.version); }
            (Field::text("personal_identity", ctx.t(&M::PNR), &f.personal_identity).hint(ctx.t(&M::PNR_HINT)).required().render(errors))
            div.grid-2 {
                (Field::text("given_name", ctx.t(&M::GIVEN_NAME), &f.given_name).autocomplete("off").required().render(errors))
                (Field::text("family_name", ctx.t(&M::FAMILY_NAME), &f.family_name).autocomplete("off").required().render(errors))
                (Field::text("phone", ctx.t(&M::PHONE), &f.phone).kind("tel").autocomplete("off").render(errors))
                (Field::text("email", ctx.t(&M::EMAIL), &f.email).kind("email").autocomplete("off").render(errors))
                @if f.address_withheld { p.hint.span-2 #address-withheld { (ctx.t(&S::ADDRESS_WITHHELD_HINT)) } }
                (Field::text("street_address", ctx.t(&M::STREET), &f.street_address).autocomplete("off").render(errors))
                (Field::text("postal_code", ctx.t(&M::POSTAL_CODE), &f.postal_code).autocomplete("off").render(errors))
                (Field::text("city", ctx.t(&M::CITY), &f.city).autocomplete("off").render(errors))
                div.field.field-error[unit_err.is_some()] {
                    label for="home_unit_id" { (ctx.t(&M::HOME_UNIT)) }
                    @if let Some(e) = unit_err { p.error-message { (e) } }
                    select #home_unit_id name="home_unit_id" {
                        option value="" { (ctx.t(&M::HOME_UNIT_NONE)) }
                        @for u in &units {
                            option value=(u.id) selected[f.home_unit_id == u.id.to_string()] {
                                (u.name) @if let Some(m) = &u.municipality_name { " (" (m) ")" }
                            }
                        }
                    }
                }
            }
            div.field {
                div.checkbox {
                    input #protected_identity type="checkbox" name="protected_identity" value="on" checked[f.protected_identity.is_some()] aria-describedby="protected_identity-hint";
                    label for="protected_identity" { (ctx.t(&M::PROTECTED_IDENTITY)) }
                }
                div.hint #protected_identity-hint { (ctx.t(&M::PROTECTED_IDENTITY_HINT)) }
            }
            @if !editing {
                div.field.field-error[queue_err.is_some()] {
                    label for="queue" { (ctx.t(&M::QUEUE)) }
                    select #queue name="queue" {
                        option value="triage" selected[f.queue == "triage" || f.queue.is_empty()] { (ctx.t(&M::QUEUE_TRIAGE)) }
                        option value="waiting" selected[f.queue == "waiting"] { (ctx.t(&M::QUEUE_WAITING)) }
                    }
                }
            }
            @if editing {
                div.field.field-error[crate::pages::layout::field_error(errors, "reason").is_some()] {
                    label for="reason" { (ctx.t(&M::REASON)) }
                    div.hint #reason-hint { (ctx.t(&M::REASON_HINT)) }
                    @if let Some(e) = crate::pages::layout::field_error(errors, "reason") { p.error-message { (e) } }
                    textarea #reason name="reason" aria-describedby="reason-hint" required { (f.reason) }
                }
            }
            div.actions {
                button.primary type="submit" { (ctx.t(&M::SAVE)) }
                a href=(if editing { action.trim_end_matches("/andra").to_owned() } else { "/start".to_owned() }) { (ctx.t(&M::CANCEL)) }
            }
        }
    })
}

/// `GET /patienter/ny`
pub async fn new_form(
    State(state): State<AppState>,
    Can { ctx, .. }: Can<WritePatientRecord>,
) -> Result<Response, AppError> {
    let form = patient_form(
        &state,
        &ctx,
        &PatientFields::default(),
        &[],
        "/patienter",
        false,
    )
    .await?;
    Ok(page(
        &ctx,
        ctx.t(&M::NEW_PATIENT_TITLE),
        html! { h1 { (ctx.t(&M::NEW_PATIENT_TITLE)) } (form) },
    )
    .into_response())
}

/// `POST /patienter`
pub async fn create(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<WritePatientRecord>,
    Form(f): Form<PatientFields>,
) -> Result<Response, AppError> {
    let result = patients::register(state.store(), &ctx.caller(&user), &f, None, today()).await;
    match result {
        Ok(id) => Ok(crate::flash::redirect(
            &state,
            &format!("/patienter/{id}"),
            crate::flash::Flash::PatientRegistered,
            "",
        )),
        Err(trappa_app::Error::Invalid(faults)) => {
            let errors = FieldError::from_faults(&faults, ctx.locale);
            let form = patient_form(&state, &ctx, &f, &errors, "/patienter", false).await?;
            let body = html! { h1 { (ctx.t(&M::NEW_PATIENT_TITLE)) } (form) };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&ctx, ctx.t(&M::NEW_PATIENT_TITLE), body),
            )
                .into_response())
        }
        Err(e) => Err(AppError::from_app(e, ctx.locale)),
    }
}

fn banner(ctx: &Ctx, p: &Patient, opened: &OpenedPatient) -> Markup {
    let d = &p.current.data;
    let age = d.personal_identity.age_on(today());
    let sex = match d.personal_identity.sex() {
        Sex::Male => ctx.t(&M::SEX_MALE),
        Sex::Female => ctx.t(&M::SEX_FEMALE),
    };
    html! {
        @if opened.basis() == AccessBasis::Emergency { div.alert-banner role="alert" { (ctx.t(&M::EMERGENCY_BANNER)) } }
        @if d.protected_identity { div.alert-banner role="alert" { (ctx.t(&M::PROTECTED_BANNER)) } }
        div.patient-banner {
            h1 { (d.family_name) ", " (d.given_name)
                @if d.protected_identity { span.tag.red { (ctx.t(&M::PROTECTED_IDENTITY)) } }
                @if d.synthetic { span.tag.grey title=(ctx.t(&M::SYNTHETIC_NOTE)) { (ctx.t(&M::SYNTHETIC)) } }
            }
            span.pnr { (d.personal_identity) }
            " · " (fill(ctx.t(&M::AGE_YEARS), &[("n", &age.to_string())])) ", " (sex)
            " · " (ctx.t(&M::ACCESS_BASIS)) ": " (ctx.t(basis_label(opened.basis())))
        }
    }
}

/// `GET /patienter/{id}`: the patient overview.
pub async fn overview(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadPatientRecord>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Read, "patient.overview").await?;
    let store = state.store();
    let p = store.patient(&opened.access).await?;
    let team = store.care_team(&opened.access).await?;
    // Under emergency access the team cannot be changed (decide_care_team_change), so
    // its forms are not offered.
    let can_manage_team =
        trappa_policy::allows(user.role, trappa_policy::Permission::ManageCareTeam)
            && opened.basis() != AccessBasis::Emergency;
    let staff = if can_manage_team {
        store
            .accounts()
            .await?
            .into_iter()
            .filter(|a| a.active && a.roles.iter().any(|r| r.is_clinical()))
            .collect()
    } else {
        Vec::new()
    };
    let plan_versions = store.taper_plan_versions(&opened.access).await?;
    let plan_section = crate::pages::patient_plan::overview_section(&ctx, id, &plan_versions)?;
    let path = crate::pages::path_overview::facts(&state, &opened, p.queue, &plan_versions).await?;
    let path_sections =
        crate::pages::path_overview::sections(&state, &ctx, id, &path, opened.protected_identity)?;
    let d = &p.current.data;
    let body = html! {
        (banner(&ctx, &p, &opened))
        (path_sections.head)
        div.grid-2 {
            section aria-labelledby="identity-h" {
                h2 #identity-h { (ctx.t(&M::IDENTITY)) }
                dl.summary {
                    dt { @if d.personal_identity.kind() == trappa_ident::IdKind::Samordningsnummer { (ctx.t(&M::SAMNR)) } @else { (ctx.t(&M::PNR)) } }
                    dd { (d.personal_identity) }
                    dt { (ctx.t(&M::PHONE)) } dd { (d.phone.as_deref().unwrap_or(ctx.t(&M::NONE))) }
                    dt { (ctx.t(&M::EMAIL)) } dd { (d.email.as_deref().unwrap_or(ctx.t(&M::NONE))) }
                    dt { (ctx.t(&M::ADDRESS)) }
                    dd {
                        @match &d.address {
                            Address::Withheld => em { (ctx.t(&M::PROTECTED_ADDRESS_HIDDEN)) },
                            Address::Known(a) => {
                                (a.street.as_deref().unwrap_or(ctx.t(&M::NONE)))
                                @if a.postal_code.is_some() || a.city.is_some() {
                                    br; (a.postal_code.as_deref().unwrap_or("")) " " (a.city.as_deref().unwrap_or(""))
                                }
                            }
                        }
                    }
                    dt { (ctx.t(&M::HOME_UNIT)) } dd { (p.home_unit_name.as_deref().unwrap_or(ctx.t(&M::NONE))) }
                    dt { (ctx.t(&M::QUEUE)) } dd { (p.queue.map(|q| ctx.t(queue_label(q))).unwrap_or(ctx.t(&M::NONE))) }
                    dt { (ctx.t(&M::VERSION)) }
                    dd { (p.current.version) " · " (p.current.author_name) " · " (trappa_app::clock::format_time(p.current.authored_at)) }
                }
                p.actions {
                    @if trappa_policy::allows(user.role, trappa_policy::Permission::WritePatientRecord) {
                        a href={ "/patienter/" (id) "/andra" } { (ctx.t(&M::EDIT_IDENTITY)) }
                    }
                    a href={ "/patienter/" (id) "/historik" } { (ctx.t(&M::HISTORY)) }
                    " "
                    a href={ "/patienter/" (id) "/plan" } { (ctx.t(&M::PLAN_TITLE)) }
                }
            }
            section aria-labelledby="team-h" {
                h2 #team-h { (ctx.t(&M::CARE_TEAM)) }
                @if team.is_empty() { p.muted { (ctx.t(&M::CARE_TEAM_EMPTY)) } }
                @else {
                    table {
                        thead { tr {
                            th scope="col" { (ctx.t(&M::CARE_TEAM_MEMBER)) }
                            th scope="col" { (ctx.t(&M::FUNCTION)) }
                            th scope="col" { (ctx.t(&M::CARE_TEAM_SINCE)) }
                            @if can_manage_team { th scope="col" { span.visually-hidden { (ctx.t(&M::CARE_TEAM_END)) } } }
                        } }
                        tbody {
                            @for m in &team {
                                tr {
                                    td { (m.display_name) @if let Some(p) = &m.profession { br; span.muted { (p) } } }
                                    td { (ctx.t(function_label(m.function))) }
                                    td {
                                        (trappa_app::clock::format_date(m.added_at))
                                        @if let Some(e) = m.ended_at { br; span.tag.grey { (ctx.t(&M::CARE_TEAM_ENDED)) " " (trappa_app::clock::format_date(e)) } }
                                    }
                                    @if can_manage_team {
                                        td {
                                            @if m.ended_at.is_none() {
                                                form method="post" action={ "/patienter/" (id) "/vardteam/" (m.id) "/avsluta" } data-confirm=(ctx.t(&M::CARE_TEAM_END)) {
                                                    (csrf_field(&ctx))
                                                    button.link-button type="submit" { (ctx.t(&M::CARE_TEAM_END)) span.visually-hidden { " " (m.display_name) } }
                                                }
                                                details.hand-over {
                                                    summary { (ctx.t(&M::CARE_TEAM_HAND_OVER)) span.visually-hidden { " " (m.display_name) } }
                                                    form method="post" action={ "/patienter/" (id) "/vardteam/" (m.id) "/overlamna" } {
                                                        (csrf_field(&ctx))
                                                        @let fid = format!("to-{}", m.id.simple());
                                                        div.field {
                                                            label for=(fid) { (ctx.t(&M::CARE_TEAM_HAND_OVER_TO)) }
                                                            select id=(fid) name="account_id" {
                                                                @for a in staff.iter().filter(|a| a.id != m.account_id && a.roles.iter().any(|r| m.function.fits(*r))) {
                                                                    option value=(a.id) { (a.display_name) " – " (a.roles.first().map(|r| ctx.t(role_label(*r))).unwrap_or("")) }
                                                                }
                                                            }
                                                        }
                                                        button.secondary type="submit" { (ctx.t(&M::CARE_TEAM_HAND_OVER)) }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if can_manage_team {
                    // Open at once when the patient has no team yet: that is why the
                    // user came (the visits page links here).
                    details #vardteam-ny open[team.iter().all(|m| m.ended_at.is_some())] {
                        summary { (ctx.t(&M::CARE_TEAM_ADD)) }
                        form method="post" action={ "/patienter/" (id) "/vardteam" } {
                            (csrf_field(&ctx))
                            div.field {
                                label for="function" { (ctx.t(&M::FUNCTION)) }
                                select #function name="function" {
                                    @for f in TeamFunction::ALL { option value=(f.code()) { (ctx.t(function_label(f))) } }
                                }
                            }
                            div.field {
                                label for="account_id" { (ctx.t(&M::CARE_TEAM_MEMBER)) }
                                p.hint { (ctx.t(&M::CARE_TEAM_MEMBER_HINT)) }
                                // app.js offers only the staff who fit the chosen function
                                // (data-functions); without it the server refuses a misfit.
                                select #account_id name="account_id" data-fits="function" {
                                    @for a in &staff {
                                        @let fits = TeamFunction::fitting(&a.roles).map(|f| f.code()).collect::<Vec<_>>().join(" ");
                                        option value=(a.id) data-functions=(fits) { (a.display_name) " – " (a.roles.first().map(|r| ctx.t(role_label(*r))).unwrap_or("")) }
                                    }
                                }
                            }
                            button.secondary type="submit" { (ctx.t(&M::CARE_TEAM_ADD)) }
                        }
                    }
                }
            }
        }
        (plan_section)
        (path_sections.body)
    };
    Ok(page(&ctx, &format!("{} {}", d.given_name, d.family_name), body).into_response())
}

/// `GET /patienter/{id}/andra`
pub async fn edit_form(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<WritePatientRecord>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let opened = open_patient(
        &state,
        &ctx,
        &user,
        id,
        Action::Read,
        "patient.identity.edit",
    )
    .await?;
    let p = state.store().patient(&opened.access).await?;
    let f = PatientFields::from_data(&p.current.data, p.current.version);
    let form = patient_form(
        &state,
        &ctx,
        &f,
        &[],
        &format!("/patienter/{id}/andra"),
        true,
    )
    .await?;
    let body = html! { (banner(&ctx, &p, &opened)) h2 { (ctx.t(&M::EDIT_IDENTITY)) } (form) };
    Ok(page(&ctx, ctx.t(&M::EDIT_IDENTITY), body).into_response())
}

/// `POST /patienter/{id}/andra`: a new version, refused when stale.
pub async fn edit_submit(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<WritePatientRecord>,
    Path(id): Path<Uuid>,
    Form(f): Form<PatientFields>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Update, "patient.identity").await?;
    let errors = match patients::edit(state.store(), &ctx.caller(&user), &opened, &f, today()).await
    {
        Ok(_) => {
            return Ok(crate::flash::redirect(
                &state,
                &format!("/patienter/{id}"),
                crate::flash::Flash::DetailsSaved,
                "",
            ));
        }
        Err(trappa_app::Error::Invalid(faults)) => FieldError::from_faults(&faults, ctx.locale),
        Err(e) => return Err(AppError::from_app(e, ctx.locale)),
    };
    let p = state.store().patient(&opened.access).await?;
    let f = PatientFields {
        address_withheld: p.current.data.address == Address::Withheld,
        ..f
    };
    let form = patient_form(
        &state,
        &ctx,
        &f,
        &errors,
        &format!("/patienter/{id}/andra"),
        true,
    )
    .await?;
    let body = html! { (banner(&ctx, &p, &opened)) h2 { (ctx.t(&M::EDIT_IDENTITY)) } (form) };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(&ctx, ctx.t(&M::EDIT_IDENTITY), body),
    )
        .into_response())
}

/// `GET /patienter/{id}/historik`
pub async fn history(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadPatientRecord>,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    let opened = open_patient(
        &state,
        &ctx,
        &user,
        id,
        Action::Read,
        "patient.identity.history",
    )
    .await?;
    let p = state.store().patient(&opened.access).await?;
    let versions = state.store().patient_history(&opened.access).await?;
    let body = html! {
        (banner(&ctx, &p, &opened))
        h2 { (ctx.t(&M::HISTORY)) }
        p { (ctx.t(&M::HISTORY_INTRO)) }
        div.table-wrap {
            table {
                thead { tr {
                    th scope="col" { (ctx.t(&M::VERSION)) }
                    th scope="col" { (ctx.t(&M::WHEN)) }
                    th scope="col" { (ctx.t(&M::AUTHOR)) }
                    th scope="col" { (ctx.t(&M::REASON)) }
                    th scope="col" { (ctx.t(&M::NAME)) }
                    th scope="col" { (ctx.t(&M::PNR)) }
                    th scope="col" { (ctx.t(&M::PHONE)) }
                    th scope="col" { (ctx.t(&M::ADDRESS)) }
                } }
                tbody {
                    @for v in &versions {
                        tr {
                            td { (v.version) }
                            td { (trappa_app::clock::format_time(v.authored_at)) }
                            td { (v.author_name) }
                            td { (v.reason) }
                            td { (v.data.family_name) ", " (v.data.given_name) }
                            td { (v.data.personal_identity) }
                            td { (v.data.phone.as_deref().unwrap_or("–")) }
                            td {
                                // Once the identity is protected the store withholds earlier addresses too.
                                @match &v.data.address {
                                    Address::Withheld => em { (ctx.t(&M::PROTECTED_ADDRESS_HIDDEN)) },
                                    Address::Known(a) => (a.street.as_deref().unwrap_or("–")),
                                }
                            }
                        }
                    }
                }
            }
        }
        p { a href={ "/patienter/" (id) } { (ctx.t(&M::OVERVIEW_TITLE)) } }
    };
    Ok(page(&ctx, ctx.t(&M::HISTORY), body).into_response())
}

/// The care-team form.
#[derive(Deserialize)]
pub struct CareTeamForm {
    #[serde(default)]
    account_id: String,
    #[serde(default)]
    function: String,
}

/// `POST /patienter/{id}/vardteam`
pub async fn care_team_add(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ManageCareTeam>,
    Path(id): Path<Uuid>,
    Form(f): Form<CareTeamForm>,
) -> Result<Response, AppError> {
    let target = Uuid::parse_str(f.account_id.trim()).ok();
    let opened = open_for_care_team_change(&state, &ctx, &user, id, target).await?;
    let caller = ctx.caller(&user);
    // Adding someone who already holds the function changes nothing: saved as asked.
    care_team::add(state.store(), &caller, &opened, target, &f.function)
        .await
        .for_user(&ctx)?;
    Ok(team_saved(&state, id))
}

/// Back to the patient, saying the team is saved.
fn team_saved(state: &AppState, id: Uuid) -> Response {
    crate::flash::redirect(
        state,
        &format!("/patienter/{id}"),
        crate::flash::Flash::CareTeamSaved,
        "",
    )
}

/// `POST /patienter/{id}/vardteam/{member}/avsluta`
pub async fn care_team_end(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ManageCareTeam>,
    Path((id, member)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    let opened = open_for_care_team_change(&state, &ctx, &user, id, None).await?;
    let caller = ctx.caller(&user);
    care_team::end(state.store(), &caller, &opened, member)
        .await
        .for_user(&ctx)?;
    Ok(team_saved(&state, id))
}

/// `POST /patienter/{id}/vardteam/{member}/overlamna`: hands the member's function over
/// to another clinician; the old membership ends as the new one starts.
pub async fn care_team_hand_over(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ManageCareTeam>,
    Path((id, member)): Path<(Uuid, Uuid)>,
    Form(f): Form<CareTeamForm>,
) -> Result<Response, AppError> {
    let target = Uuid::parse_str(f.account_id.trim()).ok();
    let opened = open_for_care_team_change(&state, &ctx, &user, id, target).await?;
    let caller = ctx.caller(&user);
    care_team::hand_over(state.store(), &caller, &opened, member, target)
        .await
        .for_user(&ctx)?;
    Ok(team_saved(&state, id))
}

/// The emergency-access form.
#[derive(Deserialize)]
pub struct EmergencyForm {
    #[serde(default)]
    reason: String,
}

fn emergency_page(ctx: &Ctx, id: Uuid, reason: &str, errors: &[FieldError]) -> Markup {
    let minutes =
        trappa_i18n::format::minutes(trappa_policy::emergency::DURATION_MINUTES, ctx.locale);
    let err = crate::pages::layout::field_error(errors, "reason");
    page(
        ctx,
        ctx.t(&M::EMERGENCY_TITLE),
        html! {
            h1 { (ctx.t(&M::EMERGENCY_TITLE)) }
            div.warning-banner { (ctx.t(&M::ERR_NO_CARE_RELATION)) }
            p { (fill(ctx.t(&M::EMERGENCY_INTRO), &[("minutes", &minutes)])) }
            (error_summary(ctx, errors))
            form method="post" action={ "/patienter/" (id) "/nodatkomst" } novalidate {
                (csrf_field(ctx))
                div.field.field-error[err.is_some()] {
                    label for="reason" { (ctx.t(&M::EMERGENCY_REASON)) }
                    @if let Some(e) = err { p.error-message { (e) } }
                    textarea #reason name="reason" required { (reason) }
                }
                div.actions {
                    button.warning type="submit" { (ctx.t(&M::EMERGENCY_SUBMIT)) }
                    a href="/patienter" { (ctx.t(&M::CANCEL)) }
                }
            }
        },
    )
}

/// `GET /patienter/{id}/nodatkomst`: asks for the reason. Shows no patient data.
pub async fn emergency_form(
    Can { ctx, .. }: Can<TakeEmergencyAccess>,
    Path(id): Path<Uuid>,
) -> Response {
    emergency_page(&ctx, id, "", &[]).into_response()
}

/// `POST /patienter/{id}/nodatkomst`: opens a time-limited, flagged emergency access.
pub async fn emergency_submit(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<TakeEmergencyAccess>,
    Path(id): Path<Uuid>,
    Form(f): Form<EmergencyForm>,
) -> Result<Response, AppError> {
    let caller = ctx.caller(&user);
    let taken = care_team::take_emergency_access(state.store(), &caller, id, &f.reason);
    match taken.await.for_user(&ctx) {
        Ok(_) => Ok(Redirect::to(&format!("/patienter/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            emergency_page(&ctx, id, f.reason.trim(), &errors),
        )
            .into_response()),
        Err(e) => Err(e),
    }
}
