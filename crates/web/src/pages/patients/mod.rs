//! Patients: search, registration, the overview, identity corrections with version
//! history, the care team and emergency access.

use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use trappa_ident::Sex;
use trappa_policy::{AccessBasis, Queue};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::care_team::TeamFunction;
use trappa_store::patients::{Address, Patient};

use crate::access::{OpenedPatient, PatientRoute, role_label};
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::{M, Msg, S, fill};
use crate::pages::layout::{csrf_field, page};
use trappa_app::care_team::function_label;

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
        AccessBasis::PartnerConsent => &S::BASIS_PARTNER_CONSENT,
    }
}

fn queue_label(q: Queue) -> &'static Msg {
    match q {
        Queue::Triage => &M::QUEUE_TRIAGE,
        Queue::Waiting => &M::QUEUE_WAITING,
    }
}

use trappa_app::clock::today;

mod emergency;
mod identity;
mod search;
mod team;
pub use emergency::*;
pub use identity::*;
pub use search::*;
pub use team::*;

/// The alerts every page about a patient opens with: emergency access, protected
/// identity.
fn alerts(ctx: &Ctx, p: &Patient, opened: &OpenedPatient) -> Markup {
    html! {
        @if opened.basis() == AccessBasis::Emergency { div.alert-banner role="alert" { (ctx.t(&M::EMERGENCY_BANNER)) } }
        @if p.current.data.protected_identity { div.alert-banner role="alert" { (ctx.t(&M::PROTECTED_BANNER)) } }
    }
}

/// Whose page this is, above the heading of every page under `/patienter/{id}/…`: the
/// name (back to the overview) and the identity number, with the overview's alerts —
/// no page about a patient leaves the reader to guess which patient.
pub(crate) fn strip(ctx: &Ctx, p: &Patient, opened: &OpenedPatient) -> Markup {
    let d = &p.current.data;
    html! {
        (alerts(ctx, p, opened))
        p.patient-strip {
            a href={ "/patienter/" (opened.id()) } { "← " (d.family_name) ", " (d.given_name) }
            " · " span.pnr { (d.personal_identity) }
        }
    }
}

/// [`strip`] for a page that has not read the patient yet.
pub(crate) async fn strip_for(
    state: &crate::state::AppState,
    ctx: &Ctx,
    opened: &OpenedPatient,
) -> Result<Markup, AppError> {
    let p = state.store().patient(&opened.access).await?;
    Ok(strip(ctx, &p, opened))
}

fn banner(ctx: &Ctx, p: &Patient, opened: &OpenedPatient) -> Markup {
    let d = &p.current.data;
    let age = d.personal_identity.age_on(today());
    let sex = match d.personal_identity.sex() {
        Sex::Male => ctx.t(&M::SEX_MALE),
        Sex::Female => ctx.t(&M::SEX_FEMALE),
    };
    html! {
        (alerts(ctx, p, opened))
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
pub async fn overview(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, "patient.overview").await?;
    let (state, ctx, user, id) = route.into_parts();
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
            (identity_section(&ctx, id, &p, &user))
            (team_section(&ctx, id, &team, &staff, can_manage_team))
        }
        (plan_section)
        (path_sections.body)
    };
    Ok(page(&ctx, &format!("{} {}", d.given_name, d.family_name), body).into_response())
}

/// The patient's identity as the overview shows it: a protected address withheld.
fn identity_section(ctx: &Ctx, id: Uuid, p: &Patient, user: &crate::ctx::User) -> Markup {
    let d = &p.current.data;
    html! {
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
    }
}

/// The care team, with the forms to end a membership, hand it over or add a member for
/// those who may change it.
fn team_section(
    ctx: &Ctx,
    id: Uuid,
    team: &[trappa_store::care_team::CareTeamMember],
    staff: &[trappa_store::accounts::Account],
    can_manage_team: bool,
) -> Markup {
    html! {
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
                    @for m in team {
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
                                            (csrf_field(ctx))
                                            button.link-button type="submit" { (ctx.t(&M::CARE_TEAM_END)) span.visually-hidden { " " (m.display_name) } }
                                        }
                                        details.hand-over {
                                            summary { (ctx.t(&M::CARE_TEAM_HAND_OVER)) span.visually-hidden { " " (m.display_name) } }
                                            form method="post" action={ "/patienter/" (id) "/vardteam/" (m.id) "/overlamna" } {
                                                (csrf_field(ctx))
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
                    (csrf_field(ctx))
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
                            @for a in staff {
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
}
