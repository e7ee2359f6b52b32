//! The forms of the SIP page: a plan (started or changed), a consent recorded or
//! withdrawn, a task given. Each handler calls one use case of `trappa_app::sip`; a
//! refused form comes back with everything typed and each fault at its field.

use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;
use trappa_app::sip::{self, ConsentInput, PlanInput, TaskInput};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_store::partners::PartnerOrganisation;
use trappa_store::sips::{Intervention, Participant, Party, SipContent, SipVersion};

use super::{Kept, open_sips, org_options, render};
use crate::access::PatientRoute;
use crate::ctx::{Ctx, ForUser};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path};
use crate::flash::{Flash, redirect};
use crate::i18n::{Q, fill};
use crate::pages::layout::{Field, csrf_field, field_error};

/// Partner organisations a plan form offers.
pub(super) const PARTNER_SLOTS: usize = 3;
/// Participant rows a plan form offers.
const PARTICIPANT_ROWS: usize = 6;
/// Intervention rows a plan form offers.
const INTERVENTION_ROWS: usize = 6;

/// A plan as typed. Parties are named by slot: `enheten` (the unit), `p1`–`p3` (the
/// organisation chosen in that slot), or nothing (the patient or a relative).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    /// The version changed (0 for a new plan).
    pub version: i64,
    /// The need (a new plan) or why it changes.
    pub skal: String,
    /// The partner organisations, one per slot.
    pub partner: Vec<String>,
    /// The meeting's date.
    pub motesdatum: String,
    /// The patient took part ("1").
    pub patienten_deltog: String,
    /// Participants' names, roles and parties, row by row.
    pub deltagare_namn: Vec<String>,
    /// Participants' roles.
    pub deltagare_roll: Vec<String>,
    /// Participants' parties (slot codes).
    pub deltagare_for: Vec<String>,
    /// Interventions, row by row.
    pub insats: Vec<String>,
    /// Who is responsible for each (slot codes).
    pub ansvarig: Vec<String>,
    /// What others do.
    pub ovriga: String,
    /// Overall responsibility (slot code).
    pub huvudansvar: String,
    /// The follow-up date.
    pub uppfoljning: String,
    /// Close the plan with this version ("1").
    pub avsluta: String,
}

fn slot_of(parties_in_slots: &[Option<Uuid>], party: Option<Party>) -> String {
    match party {
        None => String::new(),
        Some(Party::Unit) => "enheten".into(),
        Some(Party::Partner(id)) => parties_in_slots
            .iter()
            .position(|p| *p == Some(id))
            .map(|i| format!("p{}", i + 1))
            .unwrap_or_default(),
    }
}

impl PlanForm {
    /// A new plan's form: the unit holds the overall responsibility.
    pub fn fresh() -> Self {
        PlanForm {
            huvudansvar: "enheten".into(),
            ..Default::default()
        }
    }

    /// The form for changing `v`: its content, the reason left to write.
    pub fn from_version(v: &SipVersion) -> Self {
        let partners: Vec<Option<Uuid>> = v.parties.iter().map(|p| p.organisation()).collect();
        let slots: Vec<Option<Uuid>> = partners.into_iter().filter(Option::is_some).collect();
        let c = &v.content;
        PlanForm {
            version: v.version,
            partner: slots
                .iter()
                .map(|p| p.map(|id| id.to_string()).unwrap_or_default())
                .collect(),
            motesdatum: c.meeting_on.map(|d| d.to_string()).unwrap_or_default(),
            patienten_deltog: if c.patient_present {
                "1".into()
            } else {
                String::new()
            },
            deltagare_namn: c.participants.iter().map(|p| p.name.clone()).collect(),
            deltagare_roll: c.participants.iter().map(|p| p.role.clone()).collect(),
            deltagare_for: c
                .participants
                .iter()
                .map(|p| slot_of(&slots, p.party))
                .collect(),
            insats: c.interventions.iter().map(|i| i.what.clone()).collect(),
            ansvarig: c
                .interventions
                .iter()
                .map(|i| slot_of(&slots, Some(i.responsible)))
                .collect(),
            ovriga: c.others.clone(),
            huvudansvar: slot_of(&slots, c.lead),
            uppfoljning: c.follow_up_on.map(|d| d.to_string()).unwrap_or_default(),
            ..Default::default()
        }
    }

    /// The partner chosen in each slot (a choice that is no organisation's id is kept
    /// as the nil id, which the use case refuses as unknown).
    fn slots(&self) -> Vec<Option<Uuid>> {
        (0..PARTNER_SLOTS)
            .map(|i| {
                let v = self.partner.get(i).map(|s| s.trim()).unwrap_or("");
                (!v.is_empty()).then(|| Uuid::parse_str(v).unwrap_or(Uuid::nil()))
            })
            .collect()
    }

    /// A slot code as a party: none for the patient or a relative; a slot left empty
    /// names no organisation (the nil id, refused by the use case).
    fn party(&self, code: &str) -> Option<Party> {
        match code.trim() {
            "" => None,
            "enheten" => Some(Party::Unit),
            c => {
                let slot = c
                    .strip_prefix('p')
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|n| (1..=PARTNER_SLOTS).contains(n));
                let id = slot.and_then(|n| self.slots()[n - 1]);
                Some(Party::Partner(id.unwrap_or(Uuid::nil())))
            }
        }
    }

    /// The use case's input; rows left blank are not part of it.
    pub fn input(&self) -> PlanInput {
        let cell = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
        let participants = (0..self.deltagare_namn.len().max(self.deltagare_roll.len()))
            .filter(|i| {
                !cell(&self.deltagare_namn, *i).trim().is_empty()
                    || !cell(&self.deltagare_roll, *i).trim().is_empty()
            })
            .map(|i| Participant {
                name: cell(&self.deltagare_namn, i).trim().to_owned(),
                role: cell(&self.deltagare_roll, i).trim().to_owned(),
                party: self.party(&cell(&self.deltagare_for, i)),
            })
            .collect();
        let interventions = (0..self.insats.len())
            .filter(|i| !cell(&self.insats, *i).trim().is_empty())
            .map(|i| Intervention {
                what: cell(&self.insats, i),
                // No responsible party chosen: the nil organisation, refused as such.
                responsible: self
                    .party(&cell(&self.ansvarig, i))
                    .unwrap_or(Party::Partner(Uuid::nil())),
            })
            .collect();
        PlanInput {
            partners: self.slots().into_iter().flatten().collect(),
            content: SipContent {
                meeting_on: None,
                participants,
                patient_present: self.patienten_deltog == "1",
                interventions,
                others: self.ovriga.clone(),
                lead: self.party(&self.huvudansvar),
                follow_up_on: None,
            },
            meeting_on: self.motesdatum.clone(),
            follow_up_on: self.uppfoljning.clone(),
            reason: self.skal.clone(),
        }
    }
}

/// The use case's field names as the form's.
const PLAN_FIELDS: &[(&str, &str)] = &[
    ("partners", "partner"),
    ("interventions", "insats"),
    ("responsible", "ansvarig"),
    ("lead", "huvudansvar"),
    ("participants", "deltagare_namn"),
    ("others", "ovriga"),
    ("reason", "skal"),
    ("meeting_on", "motesdatum"),
    ("follow_up_on", "uppfoljning"),
];

/// What each partner slot's option says: the organisation chosen in it, or its number.
fn slot_labels(ctx: &Ctx, f: &PlanForm, orgs: &[PartnerOrganisation]) -> Vec<String> {
    (0..PARTNER_SLOTS)
        .map(|i| {
            let chosen = f.partner.get(i).map(|v| v.trim()).unwrap_or("");
            orgs.iter()
                .find(|o| o.id.to_string() == chosen)
                .map(|o| o.name.clone())
                .unwrap_or_else(|| fill(ctx.t(&Q::PARTNER_N), &[("n", &(i + 1).to_string())]))
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn party_select(
    ctx: &Ctx,
    name: &str,
    id: &str,
    current: &str,
    with_none: bool,
    errors: &[FieldError],
    field: &str,
    slots: &[String],
) -> Markup {
    let err = field_error(errors, field).is_some() && id == field;
    html! {
        select id=(id) name=(name) aria-invalid=[err.then_some("true")] {
            @if with_none { option value="" selected[current.is_empty()] { (ctx.t(&Q::PATIENT_OR_RELATIVE)) } }
            @else { option value="" selected[current.is_empty()] { (ctx.t(&Q::CHOOSE)) } }
            option value="enheten" selected[current == "enheten"] { (ctx.t(&Q::THE_UNIT)) }
            @for (i, label) in slots.iter().enumerate() {
                @let code = format!("p{}", i + 1);
                option value=(code) selected[current == code] { (label) }
            }
        }
    }
}

fn error_line(errors: &[FieldError], field: &str) -> Markup {
    html! { @if let Some(e) = field_error(errors, field) { p.error-message id={ (field) "-error" } { (e) } } }
}

/// The plan's form: `action` posts it; `editing` changes an existing plan.
pub(super) fn plan_form(
    ctx: &Ctx,
    action: &str,
    f: &PlanForm,
    orgs: &[PartnerOrganisation],
    errors: &[FieldError],
    editing: bool,
) -> Markup {
    let cell = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    let rows = |v: &Vec<String>, min: usize| v.len().max(min);
    let slots = slot_labels(ctx, f, orgs);
    html! {
        form.sip-form method="post" action=(action) novalidate {
            (csrf_field(ctx))
            input type="hidden" name="version" value=(f.version);
            div.field.field-error[field_error(errors, "skal").is_some()] {
                label for="skal" { (ctx.t(if editing { &Q::REASON } else { &Q::NEED })) }
                (error_line(errors, "skal"))
                textarea #skal name="skal" rows="3" { (f.skal) }
            }
            fieldset.field.field-error[field_error(errors, "partner").is_some()] {
                legend { (ctx.t(&Q::PARTNERS)) }
                div.hint { (ctx.t(&Q::PARTNERS_HINT)) }
                (error_line(errors, "partner"))
                @for i in 0..PARTNER_SLOTS {
                    @let id = if i == 0 { "partner".to_owned() } else { format!("partner-{}", i + 1) };
                    div.field {
                        label for=(id) { (fill(ctx.t(&Q::PARTNER_N), &[("n", &(i + 1).to_string())])) }
                        select id=(id) name="partner" {
                            option value="" { (ctx.t(&Q::CHOOSE)) }
                            (org_options(ctx, orgs, &cell(&f.partner, i)))
                        }
                    }
                }
            }
            (Field::text("motesdatum", ctx.t(&Q::MEETING_ON), &f.motesdatum).kind("date").render(errors))
            div.field.checkbox {
                input #patienten_deltog type="checkbox" name="patienten_deltog" value="1" checked[f.patienten_deltog == "1"];
                label for="patienten_deltog" { (ctx.t(&Q::PATIENT_PRESENT)) }
            }
            fieldset.field.rows.field-error[field_error(errors, "deltagare_namn").is_some()] {
                legend { (ctx.t(&Q::PARTICIPANTS)) }
                (error_line(errors, "deltagare_namn"))
                @for i in 0..rows(&f.deltagare_namn, PARTICIPANT_ROWS) {
                    @let n = i + 1;
                    @let name_id = if i == 0 { "deltagare_namn".to_owned() } else { format!("deltagare_namn-{n}") };
                    div.row {
                        div.field {
                            label for=(name_id) { (ctx.t(&Q::PARTICIPANT_NAME)) " " (n) }
                            input id=(name_id) name="deltagare_namn" type="text" value=(cell(&f.deltagare_namn, i)) autocomplete="off";
                        }
                        div.field {
                            label for={ "deltagare_roll-" (n) } { (ctx.t(&Q::PARTICIPANT_ROLE)) " " (n) }
                            input id={ "deltagare_roll-" (n) } name="deltagare_roll" type="text" value=(cell(&f.deltagare_roll, i)) autocomplete="off";
                        }
                        div.field {
                            label for={ "deltagare_for-" (n) } { (ctx.t(&Q::PARTICIPANT_FOR)) " " (n) }
                            (party_select(ctx, "deltagare_for", &format!("deltagare_for-{n}"), &cell(&f.deltagare_for, i), true, errors, "deltagare_for", &slots))
                        }
                    }
                }
            }
            fieldset.field.rows.field-error[field_error(errors, "insats").is_some() || field_error(errors, "ansvarig").is_some()] {
                legend { (ctx.t(&Q::INTERVENTIONS)) }
                (error_line(errors, "insats"))
                (error_line(errors, "ansvarig"))
                @for i in 0..rows(&f.insats, INTERVENTION_ROWS) {
                    @let n = i + 1;
                    @let what_id = if i == 0 { "insats".to_owned() } else { format!("insats-{n}") };
                    @let who_id = if i == 0 { "ansvarig".to_owned() } else { format!("ansvarig-{n}") };
                    div.row {
                        div.field.wide {
                            label for=(what_id) { (ctx.t(&Q::INTERVENTION)) " " (n) }
                            input id=(what_id) name="insats" type="text" value=(cell(&f.insats, i)) autocomplete="off";
                        }
                        div.field {
                            label for=(who_id) { (ctx.t(&Q::RESPONSIBLE)) " " (n) }
                            (party_select(ctx, "ansvarig", &who_id, &cell(&f.ansvarig, i), false, errors, "ansvarig", &slots))
                        }
                    }
                }
            }
            div.field.field-error[field_error(errors, "ovriga").is_some()] {
                label for="ovriga" { (ctx.t(&Q::OTHERS)) }
                (error_line(errors, "ovriga"))
                textarea #ovriga name="ovriga" rows="2" { (f.ovriga) }
            }
            div.field.field-error[field_error(errors, "huvudansvar").is_some()] {
                label for="huvudansvar" { (ctx.t(&Q::LEAD)) }
                (error_line(errors, "huvudansvar"))
                (party_select(ctx, "huvudansvar", "huvudansvar", &f.huvudansvar, false, errors, "huvudansvar", &slots))
            }
            (Field::text("uppfoljning", ctx.t(&Q::FOLLOW_UP), &f.uppfoljning).kind("date").required().render(errors))
            @if editing {
                div.field.checkbox {
                    input #avsluta type="checkbox" name="avsluta" value="1" checked[f.avsluta == "1"];
                    label for="avsluta" { (ctx.t(&Q::PLAN_CLOSE)) }
                }
            }
            button.button type="submit" { (ctx.t(if editing { &Q::PLAN_SAVE } else { &Q::PLAN_START })) }
        }
    }
}

/// `POST /patienter/{id}/sip`: starts a plan (the care team).
pub async fn start(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<PlanForm>,
) -> Result<Response, AppError> {
    let sips = open_sips(&route, Action::Create).await?;
    let caller = route.ctx.caller(&route.user);
    match sip::start(route.state.store(), &caller, &sips, &f.input())
        .await
        .for_user(&route.ctx)
        .map_err(|e| e.renamed(PLAN_FIELDS))
    {
        Ok(id) => Ok(redirect(
            &route.state,
            &format!("/patienter/{}/sip#sip-{id}", route.id),
            Flash::SipSaved,
            "1",
        )),
        Err(AppError::Invalid(errors)) => render(&route, Kept::plan(f, errors)).await,
        Err(e) => Err(e),
    }
}

/// `GET /patienter/{id}/sip/{sip}/andra`: the form that changes a plan.
pub async fn edit_page(
    route: PatientRoute,
    Path((_, id)): Path<(Uuid, Uuid)>,
) -> Result<Response, AppError> {
    super::edit_render(&route, id, None, &[]).await
}

/// `POST /patienter/{id}/sip/{sip}/andra`: a new version of the plan.
pub async fn edit(
    route: PatientRoute,
    Path((_, id)): Path<(Uuid, Uuid)>,
    HtmlForm(f): HtmlForm<PlanForm>,
) -> Result<Response, AppError> {
    let sips = open_sips(&route, Action::Update).await?;
    let caller = route.ctx.caller(&route.user);
    let input = f.input();
    let revised = sip::revise(
        route.state.store(),
        &caller,
        &sips,
        id,
        f.version,
        &input,
        f.avsluta == "1",
    );
    match revised
        .await
        .for_user(&route.ctx)
        .map_err(|e| e.renamed(PLAN_FIELDS))
    {
        Ok(version) => Ok(redirect(
            &route.state,
            &format!("/patienter/{}/sip#sip-{id}", route.id),
            Flash::SipSaved,
            &version.to_string(),
        )),
        Err(AppError::Invalid(errors)) => super::edit_render(&route, id, Some(f), &errors).await,
        Err(e) => Err(e),
    }
}

/// A consent as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsentForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    /// The organisation.
    pub organisation: String,
    /// The date the patient gave it.
    pub lamnat: String,
    /// How (`oral`, `written`).
    pub hur: String,
    /// A note.
    pub anteckning: String,
}

impl ConsentForm {
    /// A consent given today, orally.
    pub fn fresh() -> Self {
        ConsentForm {
            lamnat: trappa_app::clock::today().to_string(),
            hur: "oral".into(),
            ..Default::default()
        }
    }
}

/// The consent form.
pub(super) fn consent_form(
    ctx: &Ctx,
    action: &str,
    f: &ConsentForm,
    orgs: &[PartnerOrganisation],
    errors: &[FieldError],
) -> Markup {
    html! {
        form.consent-form method="post" action=(action) novalidate {
            (csrf_field(ctx))
            p.hint { (ctx.t(&Q::CONSENT_RECORD_HINT)) }
            div.field.field-error[field_error(errors, "organisation").is_some()] {
                label for="organisation" { (ctx.t(&Q::CONSENT_ORG)) }
                (error_line(errors, "organisation"))
                select #organisation name="organisation" aria-invalid=[field_error(errors, "organisation").map(|_| "true")] {
                    option value="" { (ctx.t(&Q::CHOOSE)) }
                    (org_options(ctx, orgs, &f.organisation))
                }
            }
            (Field::text("lamnat", ctx.t(&Q::CONSENT_GIVEN_ON), &f.lamnat).kind("date").required().render(errors))
            fieldset.field {
                legend id="hur" { (ctx.t(&Q::CONSENT_HOW)) }
                (error_line(errors, "hur"))
                @for (code, label) in [("oral", &Q::HOW_ORAL), ("written", &Q::HOW_WRITTEN)] {
                    div.checkbox {
                        input id={ "hur-" (code) } type="radio" name="hur" value=(code) checked[f.hur == code];
                        label for={ "hur-" (code) } { (ctx.t(label)) }
                    }
                }
            }
            div.field.field-error[field_error(errors, "anteckning").is_some()] {
                label for="anteckning" { (ctx.t(&Q::CONSENT_NOTE)) }
                (error_line(errors, "anteckning"))
                textarea #anteckning name="anteckning" rows="2" { (f.anteckning) }
            }
            button.button type="submit" { (ctx.t(&Q::CONSENT_RECORD)) }
        }
    }
}

/// `POST /patienter/{id}/sip/samtycke`: records the patient's consent (the care team).
pub async fn record_consent(
    route: PatientRoute,
    HtmlForm(f): HtmlForm<ConsentForm>,
) -> Result<Response, AppError> {
    let sips = open_sips(&route, Action::Create).await?;
    let caller = route.ctx.caller(&route.user);
    let input = ConsentInput {
        organisation: Uuid::parse_str(f.organisation.trim()).unwrap_or(Uuid::nil()),
        given_on: f.lamnat.clone(),
        how: f.hur.clone(),
        note: f.anteckning.clone(),
    };
    match sip::record_consent(route.state.store(), &caller, &sips, &input)
        .await
        .for_user(&route.ctx)
        .map_err(|e| {
            e.renamed(&[
                ("given_on", "lamnat"),
                ("note", "anteckning"),
                ("how", "hur"),
            ])
        }) {
        Ok(_) => Ok(redirect(
            &route.state,
            &format!("/patienter/{}/sip#samtycken", route.id),
            Flash::ConsentSaved,
            "",
        )),
        Err(AppError::Invalid(errors)) => render(&route, Kept::consent(f, errors)).await,
        Err(e) => Err(e),
    }
}

/// A withdrawal as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WithdrawForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    /// The consent's version, as shown.
    pub version: i64,
    /// What the patient said.
    pub anteckning: String,
}

/// `POST /patienter/{id}/sip/samtycke/{consent}/aterkalla`: withdraws a consent on the
/// patient's word (the care team).
pub async fn withdraw_consent(
    route: PatientRoute,
    Path((_, consent)): Path<(Uuid, Uuid)>,
    HtmlForm(f): HtmlForm<WithdrawForm>,
) -> Result<Response, AppError> {
    let sips = open_sips(&route, Action::Update).await?;
    if sips.party != Party::Unit {
        return Err(AppError::Forbidden);
    }
    let caller = route.ctx.caller(&route.user);
    sip::withdraw_consent(
        route.state.store(),
        &caller,
        &sips.opened,
        consent,
        f.version,
        &f.anteckning,
    )
    .await
    .for_user(&route.ctx)?;
    Ok(redirect(
        &route.state,
        &format!("/patienter/{}/sip#samtycken", route.id),
        Flash::ConsentWithdrawn,
        "",
    ))
}

/// A task as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TaskForm {
    #[serde(rename = "csrf")]
    _csrf: String,
    /// What.
    pub uppgift: String,
    /// For whom: `enheten` or a partner organisation's id.
    pub vem: String,
    /// By when.
    pub senast: String,
}

/// The form that gives a task of `sip` to one of its parties.
pub(super) fn task_form(
    ctx: &Ctx,
    action: &str,
    sip: Uuid,
    parties: &[(Party, String)],
    f: &TaskForm,
    errors: &[FieldError],
) -> Markup {
    let id = |name: &str| format!("{name}-{sip}");
    html! {
        form.task-form method="post" action=(action) novalidate {
            (csrf_field(ctx))
            div.field.field-error[field_error(errors, "uppgift").is_some()] {
                label for=(id("uppgift")) { (ctx.t(&Q::TASK)) }
                (error_line(errors, "uppgift"))
                input id=(id("uppgift")) name="uppgift" type="text" value=(f.uppgift) autocomplete="off";
            }
            div.field.field-error[field_error(errors, "vem").is_some()] {
                label for=(id("vem")) { (ctx.t(&Q::TASK_FOR)) }
                (error_line(errors, "vem"))
                select id=(id("vem")) name="vem" {
                    @for (party, name) in parties {
                        @let code = match party { Party::Unit => "enheten".to_owned(), Party::Partner(o) => o.to_string() };
                        option value=(code) selected[f.vem == code] { (name) }
                    }
                }
            }
            div.field.field-error[field_error(errors, "senast").is_some()] {
                label for=(id("senast")) { (ctx.t(&Q::TASK_DUE)) }
                (error_line(errors, "senast"))
                input id=(id("senast")) name="senast" type="date" value=(f.senast);
            }
            button.button.secondary type="submit" { (ctx.t(&Q::TASK_ADD)) }
        }
    }
}

/// `POST /patienter/{id}/sip/{sip}/uppgifter`: gives a task (the care team).
pub async fn add_task(
    route: PatientRoute,
    Path((_, id)): Path<(Uuid, Uuid)>,
    HtmlForm(f): HtmlForm<TaskForm>,
) -> Result<Response, AppError> {
    let sips = open_sips(&route, Action::Create).await?;
    let caller = route.ctx.caller(&route.user);
    let party = match f.vem.trim() {
        "enheten" => Party::Unit,
        other => Party::Partner(Uuid::parse_str(other).unwrap_or(Uuid::nil())),
    };
    let input = TaskInput {
        party,
        description: f.uppgift.clone(),
        due_on: f.senast.clone(),
    };
    match sip::add_task(route.state.store(), &caller, &sips, id, &input)
        .await
        .for_user(&route.ctx)
        .map_err(|e| {
            e.renamed(&[
                ("description", "uppgift"),
                ("party", "vem"),
                ("due_on", "senast"),
            ])
        }) {
        Ok(_) => Ok(redirect(
            &route.state,
            &format!("/patienter/{}/sip#sip-{id}", route.id),
            Flash::SipTaskSaved,
            "",
        )),
        Err(AppError::Invalid(errors)) => render(&route, Kept::task(id, f, errors)).await,
        Err(e) => Err(e),
    }
}
