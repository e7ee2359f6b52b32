//! A patient's calendar subscription: one feed at a time, append-only. The address's
//! secret is derived from the feed's id by the web layer, so nothing secret is stored;
//! ending a feed (a row in `calendar_feed_ends`) makes its address answer nothing.

use jiff::Timestamp;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
use crate::{Result, Store, Tx, now, ts};

/// A feed still in use.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarFeed {
    /// Id (the address's secret is derived from it).
    pub id: Uuid,
    /// When it was made.
    pub created_at: Timestamp,
}

/// Whose a live feed is, found from its id before the record is opened.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedOwner {
    /// The patient.
    pub patient_id: Uuid,
    /// The patient's own account that made it (the feed is read as that account).
    pub account_id: Uuid,
}

/// Ends every live feed of the patient, inside `tx`.
async fn end_live_feeds(tx: &mut Tx, patient_id: Uuid, by: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO calendar_feed_ends (feed_id, ended_by, ended_at)
         SELECT f.id, $2, $3 FROM calendar_feeds f
          WHERE f.patient_id = $1
            AND NOT EXISTS (SELECT 1 FROM calendar_feed_ends e WHERE e.feed_id = f.id)")
        .bind(patient_id).bind(by).bind(ts(now()))
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

impl Store {
    /// The patient's live feed, if any.
    pub async fn calendar_feed(&self, access: &PatientAccess) -> Result<Option<CalendarFeed>> {
        let row: Option<(Uuid, jiff_sqlx::Timestamp)> = on_pool!(self, p => sqlx::query_as(
            "SELECT f.id, f.created_at FROM calendar_feeds f
              WHERE f.patient_id = $1
                AND NOT EXISTS (SELECT 1 FROM calendar_feed_ends e WHERE e.feed_id = f.id)
              ORDER BY f.created_at DESC, f.id DESC LIMIT 1")
            .bind(access.patient_id()).fetch_optional(p).await)?;
        Ok(row.map(|(id, at)| CalendarFeed {
            id,
            created_at: at.to_jiff(),
        }))
    }

    /// Makes a new feed for the patient, ending any live one (its address stops
    /// working), logged in the same transaction. Returns the new feed.
    pub async fn create_calendar_feed(
        &self,
        access: &PatientAccess,
        account: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<CalendarFeed> {
        let mut tx = self.begin().await?;
        end_live_feeds(&mut tx, access.patient_id(), account).await?;
        let feed = CalendarFeed {
            id: Uuid::now_v7(),
            created_at: now(),
        };
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO calendar_feeds (id, patient_id, account_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(feed.id).bind(access.patient_id()).bind(account).bind(ts(feed.created_at))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(feed)
    }

    /// Ends the patient's live feed, logged in the same transaction.
    pub async fn end_calendar_feeds(
        &self,
        access: &PatientAccess,
        account: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        end_live_feeds(&mut tx, access.patient_id(), account).await?;
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whose live feed `id` is, if it is live and its account still active: what the
    /// record is then opened as. Nothing of the record is read here.
    pub async fn live_calendar_feed(&self, id: Uuid) -> Result<Option<FeedOwner>> {
        let row: Option<(Uuid, Uuid)> = on_pool!(self, p => sqlx::query_as(
            "SELECT f.patient_id, f.account_id FROM calendar_feeds f
               JOIN accounts a ON a.id = f.account_id
              WHERE f.id = $1 AND a.active
                AND NOT EXISTS (SELECT 1 FROM calendar_feed_ends e WHERE e.feed_id = f.id)")
            .bind(id).fetch_optional(p).await)?;
        Ok(row.map(|(patient_id, account_id)| FeedOwner {
            patient_id,
            account_id,
        }))
    }
}
