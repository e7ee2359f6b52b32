//! The patient's calendar subscription: an address the patient gives their calendar
//! app, which then reads the signed plan's dose changes and the visits to come without
//! signing in. The address carries a secret the web layer derives from the feed's id;
//! the patient makes, replaces and ends it on their plan page. A read through it opens
//! the record as the patient's own account and is logged as such, so it shows on the
//! patient's "who has read my record" page.

use trappa_store::Store;
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::calendar_feeds::CalendarFeed;
use trappa_store::visits::Appointment;
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::{Caller, Error, Result};

/// What the access log calls the subscription (made, ended, seen on the plan page).
pub const OWN_RESOURCE: &str = "own.calendar_feed";
/// What the access log calls a calendar app's read through the address.
pub const READ_RESOURCE: &str = "own.calendar_feed.ics";

/// The patient's live feed, if any.
pub async fn live(store: &Store, opened: &OpenedPatient) -> Result<Option<CalendarFeed>> {
    Ok(store.calendar_feed(&opened.access).await?)
}

/// Makes a new feed, ending the one before (its address stops working at once).
pub async fn create(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
) -> Result<CalendarFeed> {
    own_only(caller, opened)?;
    let log = NewEntry::new(&caller.actor, Action::Create, OWN_RESOURCE);
    Ok(store
        .create_calendar_feed(&opened.access, caller.account_id, &log)
        .await?)
}

/// Ends the live feed: its address answers nothing from now on.
pub async fn end(store: &Store, caller: &Caller, opened: &OpenedPatient) -> Result<()> {
    own_only(caller, opened)?;
    let log = NewEntry::new(&caller.actor, Action::Update, OWN_RESOURCE).detail("ended");
    Ok(store
        .end_calendar_feeds(&opened.access, caller.account_id, &log)
        .await?)
}

/// Only the patient makes or ends their own subscription: it carries their record out
/// of Trappa, into a calendar of their choosing.
fn own_only(caller: &Caller, opened: &OpenedPatient) -> Result<()> {
    if caller.patient_id == Some(opened.id()) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// What a calendar app reads through the address.
pub struct FeedContent {
    /// The patient.
    pub patient_id: Uuid,
    /// The signed plan in force, if any (never a draft).
    pub plan: Option<(trappa_store::taper_plans::PlanVersion, trappa_taper::Plan)>,
    /// The patient's visits (booked, moved, cancelled; the adapter keeps those to come).
    pub visits: Vec<Appointment>,
}

/// Opens the record through feed `feed_id` as the patient account that made it,
/// logged as an export by that account with `request` (request id and client address
/// of an actor with no session), and reads what the calendar shows. An ended or
/// unknown feed, or an account no longer active, is [`Error::NotFound`].
pub async fn read(
    store: &Store,
    feed_id: Uuid,
    request: &Actor,
    locale: trappa_i18n::Locale,
) -> Result<FeedContent> {
    let owner = store
        .live_calendar_feed(feed_id)
        .await?
        .ok_or(Error::NotFound)?;
    let account = store
        .account(owner.account_id)
        .await?
        .filter(|a| a.active && a.patient_id == Some(owner.patient_id))
        .ok_or(Error::NotFound)?;
    let caller = Caller::own(&account, request, locale);
    let opened = crate::access::open(
        store,
        &caller,
        owner.patient_id,
        Action::Export,
        READ_RESOURCE,
    )
    .await?;
    Ok(FeedContent {
        patient_id: owner.patient_id,
        plan: crate::plans::in_force(store, &opened).await?,
        visits: store.appointments(&opened.access).await?,
    })
}
