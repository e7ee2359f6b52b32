//! Working with partners (issue 19): the patient's consents to share with partner
//! organisations, and coordinated individual plans (SIP) with their tasks.
//!
//! The rules, once for every adapter:
//! - a SIP is opened only under [`trappa_policy::partner::decide_sip_access`]: the care
//!   team, or a partner's staff on the patient's consent in force for their
//!   organisation — refusals are logged like any other;
//! - a partner sees the SIPs their organisation takes part in and their own
//!   organisation's tasks, nothing else of the record;
//! - the care team starts and revises plans, records consents and gives tasks; a
//!   partner signs for their organisation and reports their organisation's tasks;
//! - a version is signed only when the patient's consent is in force for every partner
//!   organisation in it; a closed plan is not changed;
//! - the patient (or the care team on their word) withdraws a consent, and the
//!   partner's next request is refused: the facts are read on every request.

use jiff::civil::Date;
use trappa_policy::AccessBasis;
use trappa_store::Store;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::partners::{Consent, ConsentChange, ConsentHow, SipFacts};
use trappa_store::sips::{Party, Sip, SipContent, SipDraft, TaskStatus};
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, Result};

/// What the access log calls a patient's SIPs.
pub const RESOURCE: &str = "patient.sip";
/// What the access log calls a patient's consents.
pub const CONSENT_RESOURCE: &str = "patient.consent";
/// What the access log calls the patient's own consents, read or withdrawn by them.
pub const OWN_CONSENT_RESOURCE: &str = "own.consent";
/// The longest free text of a plan (a need, an intervention, what others do, a task).
pub const MAX_TEXT: usize = 2000;
/// The longest name or role line.
pub const MAX_LINE: usize = 200;
/// The most interventions, participants or parties in one version.
pub const MAX_ITEMS: usize = 30;

/// A patient's SIPs opened for a caller: the logged proof, and the caller's standing.
pub struct OpenedSips {
    /// The proof the store asks for.
    pub opened: OpenedPatient,
    /// For whom the caller acts: the unit (care team) or their partner organisation.
    pub party: Party,
}

/// Opens the patient's SIPs for `caller` under the SIP rule; the answer is logged
/// before anything is read.
pub async fn open(
    store: &Store,
    caller: &Caller,
    patient_id: Uuid,
    action: Action,
) -> Result<OpenedSips> {
    let facts: SipFacts = store.sip_facts(caller.account_id, patient_id).await?;
    let opened = crate::access::open_by(store, caller, patient_id, action, RESOURCE, |f, _| {
        trappa_policy::partner::decide_sip_access(trappa_policy::partner::SipAccessFacts {
            role: f.role,
            in_care_team: facts.in_care_team,
            partner_consented: facts.partner_consented,
        })
    })
    .await?;
    let party = match (opened.basis(), facts.organisation) {
        (AccessBasis::PartnerConsent, Some(org)) => Party::Partner(org),
        (AccessBasis::CareTeam, _) => Party::Unit,
        _ => return Err(Error::Forbidden),
    };
    Ok(OpenedSips { opened, party })
}

/// What the access log calls a partner's list of shared plans.
pub const SHARED_RESOURCE: &str = "sip.shared";

/// The caller's partner organisation: none for anyone but a partner's staff.
pub async fn organisation_of(
    store: &Store,
    caller: &Caller,
) -> Result<Option<trappa_store::partners::PartnerOrganisation>> {
    if !trappa_policy::allows(caller.role, trappa_policy::Permission::WorkSharedSips) {
        return Ok(None);
    }
    let Some(id) = store
        .account(caller.account_id)
        .await?
        .and_then(|a| a.partner_organisation_id)
    else {
        return Ok(None);
    };
    Ok(store
        .partner_organisations()
        .await?
        .into_iter()
        .find(|o| o.id == id))
}

/// The caller's partner organisation and the plans shared with it now, at most
/// `limit`, each patient listed logged on the consent basis; none for an account that
/// works at no partner organisation.
pub async fn shared_with(
    store: &Store,
    caller: &Caller,
    limit: i64,
) -> Result<
    Option<(
        trappa_store::partners::PartnerOrganisation,
        Vec<trappa_store::sips::SharedPlan>,
    )>,
> {
    let Some(organisation) = organisation_of(store, caller).await? else {
        return Ok(None);
    };
    let log = NewEntry::new(&caller.actor, Action::Listed, SHARED_RESOURCE);
    let plans = store.shared_sips(organisation.id, limit, &log).await?;
    Ok(Some((organisation, plans)))
}

/// The SIPs the caller may see, with only the tasks they may see: all of them for the
/// care team; for a partner, the plans whose latest version names their organisation
/// and their organisation's tasks.
pub async fn read(store: &Store, sips: &OpenedSips) -> Result<Vec<Sip>> {
    let all = store.sips(&sips.opened.access).await?;
    Ok(match sips.party {
        Party::Unit => all,
        Party::Partner(_) => all
            .into_iter()
            .filter(|s| s.latest().is_some_and(|v| v.parties.contains(&sips.party)))
            .map(|mut s| {
                s.tasks.retain(|t| t.party == sips.party);
                s
            })
            .collect(),
    })
}

/// A plan as typed: the parties besides the unit and the content.
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    /// The partner organisations taking part.
    pub partners: Vec<Uuid>,
    /// The content (its dates are taken from the two fields below).
    pub content: SipContent,
    /// The meeting's date as typed (may be blank: the plan is drafted before it).
    pub meeting_on: String,
    /// The follow-up date as typed (required).
    pub follow_up_on: String,
    /// Why this version (a new plan: the need).
    pub reason: String,
}

/// A date as typed: none if blank and not `required`; a fault naming `field` if it
/// is not a date.
fn date_field(
    faults: &mut Faults,
    field: &'static str,
    text: &str,
    required: bool,
) -> Option<Date> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            faults.push(Fault::new(field, &V::REQUIRED));
        }
        return None;
    }
    match trappa_input::date::parse(text) {
        Ok(d) => Some(d),
        Err(_) => {
            faults.push(Fault::new(field, &V::BAD_DATE));
            None
        }
    }
}

/// Checks a plan's content against the law's list and the known organisations.
async fn draft(store: &Store, input: &PlanInput, closed: bool) -> Result<SipDraft> {
    let known: Vec<Uuid> = store
        .partner_organisations()
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let mut faults = Faults::default();
    let mut parties = vec![Party::Unit];
    for p in &input.partners {
        if !known.contains(p) {
            faults.push(Fault::new("partners", &V::SIP_ERR_PARTNER));
        } else if !parties.contains(&Party::Partner(*p)) {
            parties.push(Party::Partner(*p));
        }
    }
    if input.partners.is_empty() {
        faults.push(Fault::new("partners", &V::SIP_ERR_NO_PARTNER));
    }
    let c = &input.content;
    if c.interventions.is_empty() || c.interventions.len() > MAX_ITEMS {
        faults.push(Fault::new("interventions", &V::SIP_ERR_INTERVENTIONS));
    }
    for i in &c.interventions {
        faults.text("interventions", &i.what, true, MAX_TEXT);
        if !parties.contains(&i.responsible) && !faults.has("responsible") {
            faults.push(Fault::new("responsible", &V::SIP_ERR_RESPONSIBLE));
        }
    }
    if !c.lead.is_some_and(|l| parties.contains(&l)) {
        faults.push(Fault::new("lead", &V::SIP_ERR_LEAD));
    }
    if c.participants.len() > MAX_ITEMS {
        faults.push(Fault::new("participants", &V::BAD_VALUE));
    }
    for p in &c.participants {
        faults.line("participants", &p.name, true, MAX_LINE);
        faults.line("participants", &p.role, false, MAX_LINE);
        if p.party.is_some_and(|q| !parties.contains(&q)) && !faults.has("participants") {
            faults.push(Fault::new("participants", &V::SIP_ERR_PARTICIPANT));
        }
    }
    faults.text("others", &c.others, false, MAX_TEXT);
    faults.text("reason", &input.reason, true, MAX_TEXT);
    let meeting_on = date_field(&mut faults, "meeting_on", &input.meeting_on, false);
    let follow_up_on = date_field(&mut faults, "follow_up_on", &input.follow_up_on, true);
    let mut content = c.clone();
    content.meeting_on = meeting_on;
    content.follow_up_on = follow_up_on;
    content.others = content.others.trim().to_owned();
    for i in &mut content.interventions {
        i.what = i.what.trim().to_owned();
    }
    faults.finish(SipDraft {
        content,
        parties,
        closed,
        reason: input.reason.trim().to_owned(),
    })
}

/// The care team only: a partner works within what the unit shares.
fn care_team(sips: &OpenedSips) -> Result<()> {
    if sips.party == Party::Unit {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Starts a SIP (the care team): the need is the first version's reason. Partners see
/// it once the patient's consent for them is recorded.
pub async fn start(
    store: &Store,
    caller: &Caller,
    sips: &OpenedSips,
    input: &PlanInput,
) -> Result<Uuid> {
    care_team(sips)?;
    let draft = draft(store, input, false).await?;
    let log = NewEntry::new(&caller.actor, Action::Create, RESOURCE).detail("SIP started");
    Ok(store
        .start_sip(
            &sips.opened.access,
            &draft.reason,
            &draft,
            caller.account_id,
            &log,
        )
        .await?)
}

/// The SIP `id` as the caller may see it; [`Error::NotFound`] if it is not one of them.
async fn visible(store: &Store, sips: &OpenedSips, id: Uuid) -> Result<Sip> {
    read(store, sips)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(Error::NotFound)
}

fn open_plan(sip: &Sip) -> Result<()> {
    if sip.latest().is_some_and(|v| v.closed) {
        Err(Error::Refused(
            &V::SIP_ERR_CLOSED,
            &V::SIP_ERR_CLOSED_DETAIL,
        ))
    } else {
        Ok(())
    }
}

/// Writes a new version of a plan (the care team), closing it if `closed`; returns the
/// version. Every party signs again: signatures belong to the version they were given on.
pub async fn revise(
    store: &Store,
    caller: &Caller,
    sips: &OpenedSips,
    id: Uuid,
    expected_version: i64,
    input: &PlanInput,
    closed: bool,
) -> Result<i64> {
    care_team(sips)?;
    open_plan(&visible(store, sips, id).await?)?;
    let draft = draft(store, input, closed).await?;
    let log = NewEntry::new(&caller.actor, Action::Update, RESOURCE).detail("SIP revised");
    Ok(store
        .revise_sip(
            &sips.opened.access,
            id,
            expected_version,
            &draft,
            caller.account_id,
            &log,
        )
        .await?)
}

/// Signs `version` of a plan for the caller's party: refused without the patient's
/// consent in force for every partner organisation in it.
pub async fn sign(
    store: &Store,
    caller: &Caller,
    sips: &OpenedSips,
    id: Uuid,
    version: i64,
) -> Result<()> {
    let sip = visible(store, sips, id).await?;
    open_plan(&sip)?;
    let latest = sip.latest().ok_or(Error::NotFound)?;
    if latest.version != version {
        return Err(Error::Stale);
    }
    if latest.signatures.iter().any(|s| s.party == sips.party) {
        return Err(Error::Refused(
            &V::SIP_ERR_SIGNED,
            &V::SIP_ERR_SIGNED_DETAIL,
        ));
    }
    let in_force = in_force(store, &sips.opened).await?;
    let consented = latest.parties.iter().all(|p| match p {
        Party::Unit => true,
        Party::Partner(org) => in_force.iter().any(|c| c.organisation_id == *org),
    });
    if !consented {
        return Err(Error::Refused(
            &V::SIP_ERR_NO_CONSENT,
            &V::SIP_ERR_NO_CONSENT_DETAIL,
        ));
    }
    let log = NewEntry::new(&caller.actor, Action::Update, RESOURCE).detail("SIP signed");
    store
        .sign_sip(
            &sips.opened.access,
            id,
            version,
            sips.party,
            caller.account_id,
            &log,
        )
        .await
        .map_err(|e| match e {
            trappa_store::StoreError::Duplicate(_) => {
                Error::Refused(&V::SIP_ERR_SIGNED, &V::SIP_ERR_SIGNED_DETAIL)
            }
            other => other.into(),
        })
}

/// A task as typed.
#[derive(Debug, Clone)]
pub struct TaskInput {
    /// For whom.
    pub party: Party,
    /// What.
    pub description: String,
    /// By when, as typed (may be blank).
    pub due_on: String,
}

/// Gives a task of an open plan to one of its parties (the care team).
pub async fn add_task(
    store: &Store,
    caller: &Caller,
    sips: &OpenedSips,
    id: Uuid,
    input: &TaskInput,
) -> Result<Uuid> {
    care_team(sips)?;
    let sip = visible(store, sips, id).await?;
    open_plan(&sip)?;
    let mut faults = Faults::default();
    faults.text("description", &input.description, true, MAX_TEXT);
    let due_on = date_field(&mut faults, "due_on", &input.due_on, false);
    if !sip
        .latest()
        .is_some_and(|v| v.parties.contains(&input.party))
    {
        faults.push(Fault::new("party", &V::SIP_ERR_RESPONSIBLE));
    }
    faults.finish(())?;
    let log = NewEntry::new(&caller.actor, Action::Create, RESOURCE).detail("SIP task");
    Ok(store
        .add_sip_task(
            &sips.opened.access,
            id,
            input.party,
            input.description.trim(),
            due_on,
            caller.account_id,
            &log,
        )
        .await?)
}

/// Sets a task's status: the care team any task, a partner their organisation's
/// (another's task is not found for them).
pub async fn set_task_status(
    store: &Store,
    caller: &Caller,
    sips: &OpenedSips,
    task: Uuid,
    expected_events: i64,
    status: &str,
    note: &str,
) -> Result<()> {
    let mut faults = Faults::default();
    faults.text("note", note, false, MAX_TEXT);
    let status = TaskStatus::from_code(status.trim());
    if status.is_none() {
        faults.push(Fault::new("status", &V::UNKNOWN_CHOICE));
    }
    let status = faults.finish(status)?.ok_or(Error::NotFound)?;
    let plan = read(store, sips)
        .await?
        .into_iter()
        .find(|s| s.tasks.iter().any(|t| t.id == task))
        .ok_or(Error::NotFound)?;
    open_plan(&plan)?;
    let log = NewEntry::new(&caller.actor, Action::Update, RESOURCE).detail("SIP task status");
    Ok(store
        .set_sip_task_status(
            &sips.opened.access,
            task,
            expected_events,
            status,
            note.trim(),
            caller.account_id,
            &log,
        )
        .await?)
}

/// The consents in force now: the latest version of each, if not a withdrawal.
pub async fn in_force(store: &Store, opened: &OpenedPatient) -> Result<Vec<Consent>> {
    Ok(current(store.consents(&opened.access).await?)
        .into_iter()
        .filter(|c| !c.withdrawn)
        .collect())
}

/// The latest version of each consent (by version, whatever the order given), in the
/// order the consents first appear.
pub fn current(all: Vec<Consent>) -> Vec<Consent> {
    let mut latest: Vec<Consent> = Vec::new();
    for c in all {
        match latest.iter_mut().find(|l| l.id == c.id) {
            Some(l) if l.version < c.version => *l = c,
            Some(_) => {}
            None => latest.push(c),
        }
    }
    latest
}

/// Every version of the patient's consents, newest first: the care team's view, and
/// the patient's own.
pub async fn consents(store: &Store, opened: &OpenedPatient) -> Result<Vec<Consent>> {
    match opened.basis() {
        AccessBasis::CareTeam | AccessBasis::OwnRecord => {
            Ok(store.consents(&opened.access).await?)
        }
        _ => Err(Error::Forbidden),
    }
}

/// A consent as the patient gave it.
#[derive(Debug, Clone)]
pub struct ConsentInput {
    /// The organisation it covers.
    pub organisation: Uuid,
    /// The date the patient gave it, as typed.
    pub given_on: String,
    /// How, as the form's code: `oral` or `written` (a consent given in the portal is
    /// the patient's own).
    pub how: String,
    /// A note (what the patient said, where).
    pub note: String,
}

/// Records the patient's consent to share their SIPs with one organisation (the care
/// team, on the patient's word). Refused if one is already in force for it.
pub async fn record_consent(
    store: &Store,
    caller: &Caller,
    sips: &OpenedSips,
    input: &ConsentInput,
) -> Result<Uuid> {
    care_team(sips)?;
    let mut faults = Faults::default();
    let known = store
        .partner_organisations()
        .await?
        .iter()
        .any(|o| o.id == input.organisation);
    if !known {
        faults.push(Fault::new("organisation", &V::SIP_ERR_PARTNER));
    }
    let given_on = date_field(&mut faults, "given_on", &input.given_on, true);
    let how = match input.how.trim() {
        "oral" => Some(ConsentHow::Oral),
        "written" => Some(ConsentHow::Written),
        _ => {
            faults.push(Fault::new("how", &V::UNKNOWN_CHOICE));
            None
        }
    };
    if given_on.is_some_and(|d| d > crate::clock::today()) {
        faults.push(Fault::new("given_on", &V::CONSENT_ERR_FUTURE));
    }
    faults.text("note", &input.note, false, MAX_TEXT);
    if in_force(store, &sips.opened)
        .await?
        .iter()
        .any(|c| c.organisation_id == input.organisation)
    {
        faults.push(Fault::new("organisation", &V::CONSENT_ERR_IN_FORCE));
    }
    let (given_on, how) = match faults.finish((given_on, how))? {
        (Some(d), Some(h)) => (d, h),
        _ => return Err(Error::NotFound),
    };
    let log =
        NewEntry::new(&caller.actor, Action::Create, CONSENT_RESOURCE).detail("consent given");
    let change = ConsentChange {
        organisation_id: input.organisation,
        given_on,
        how,
        withdrawn: false,
        reason: input.note.trim().to_owned(),
    };
    let (id, _) = store
        .record_consent(
            &sips.opened.access,
            None,
            0,
            &change,
            caller.account_id,
            &log,
        )
        .await
        .map_err(|e| match e {
            // Recorded meanwhile (a double submit, another instance).
            trappa_store::StoreError::Duplicate(_) => {
                Error::field("organisation", &V::CONSENT_ERR_IN_FORCE)
            }
            other => other.into(),
        })?;
    Ok(id)
}

/// Withdraws a consent in force, at once: by the patient themself (in the portal) or
/// by the care team on the patient's word. From the next request on, the partner it
/// covered is refused.
pub async fn withdraw_consent(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    consent: Uuid,
    expected_version: i64,
    note: &str,
) -> Result<()> {
    let how = match opened.basis() {
        AccessBasis::OwnRecord => ConsentHow::Portal,
        AccessBasis::CareTeam => ConsentHow::Oral,
        _ => return Err(Error::Forbidden),
    };
    let mut faults = Faults::default();
    faults.text("note", note, false, MAX_TEXT);
    faults.finish(())?;
    let latest = current(store.consents(&opened.access).await?)
        .into_iter()
        .find(|c| c.id == consent)
        .ok_or(Error::NotFound)?;
    if latest.withdrawn {
        return Err(Error::field("consent", &V::CONSENT_ERR_WITHDRAWN));
    }
    let reason = if note.trim().is_empty() && how == ConsentHow::Portal {
        // The record's language, whatever language the patient reads in.
        V::CONSENT_WITHDRAWN_BY_PATIENT.sv.to_owned()
    } else {
        note.trim().to_owned()
    };
    let change = ConsentChange {
        organisation_id: latest.organisation_id,
        given_on: latest.given_on,
        how,
        withdrawn: true,
        reason,
    };
    let log =
        NewEntry::new(&caller.actor, Action::Update, CONSENT_RESOURCE).detail("consent withdrawn");
    store
        .record_consent(
            &opened.access,
            Some(consent),
            expected_version,
            &change,
            caller.account_id,
            &log,
        )
        .await?;
    Ok(())
}
