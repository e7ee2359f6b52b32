//! Secure messages between the patient and the care team, part of the record:
//! append-only threads and messages, and who read each message when. A thread is
//! *unanswered* while its newest message that a person wrote is the patient's; Trappa's
//! own automatic reply does not answer it.

use jiff::Timestamp;
use serde::Serialize;
use uuid::Uuid;

use crate::access::PatientAccess;
use crate::db::{on_pool, on_tx};
use crate::log_entry::NewEntry;
use crate::{Result, Store, StoreError, now, ts};

/// A message to send.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    /// The text.
    pub body: String,
    /// Written by the patient (otherwise by a member of the care team).
    pub from_patient: bool,
    /// The key of the form that sent it: the same message sent twice is stored once.
    pub request_key: Option<String>,
}

/// A thread with what its reader needs in a list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thread {
    /// Id.
    pub id: Uuid,
    /// The patient.
    pub patient_id: Uuid,
    /// Subject.
    pub subject: String,
    /// When it began.
    pub started_at: Timestamp,
    /// The newest message's time.
    pub last_at: Timestamp,
    /// Messages in it.
    pub messages: i64,
    /// Messages the reader has not read (their own and automatic ones count as read).
    pub unread: i64,
    /// Since when the patient has waited for an answer, if the newest message a person
    /// wrote is the patient's.
    pub waiting_since: Option<Timestamp>,
    /// Who in the care team wrote last, and when.
    pub answered: Option<(String, Timestamp)>,
}

/// One message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// Id.
    pub id: Uuid,
    /// The text.
    pub body: String,
    /// Written by the patient.
    pub from_patient: bool,
    /// Trappa's automatic reply.
    pub automatic: bool,
    /// Who wrote it (none for the automatic reply).
    pub author_name: Option<String>,
    /// When.
    pub authored_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct ThreadRow {
    id: Uuid,
    patient_id: Uuid,
    subject: String,
    started_at: jiff_sqlx::Timestamp,
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: Uuid,
    thread_id: Uuid,
    body: String,
    from_patient: bool,
    automatic: bool,
    author_name: Option<String>,
    authored_by: Option<Uuid>,
    authored_at: jiff_sqlx::Timestamp,
    read_by_reader: bool,
}

const MESSAGE_SELECT: &str = "SELECT m.id, m.thread_id, m.body, m.from_patient, m.automatic,
        a.display_name AS author_name, m.authored_by, m.authored_at,
        EXISTS (SELECT 1 FROM message_reads r WHERE r.message_id = m.id AND r.account_id = $2) AS read_by_reader
     FROM messages m LEFT JOIN accounts a ON a.id = m.authored_by";

async fn insert(
    tx: &mut crate::db::Tx,
    access: &PatientAccess,
    thread: Uuid,
    m: &NewMessage,
    author: Option<Uuid>,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO messages (id, thread_id, patient_id, body, from_patient, automatic, authored_by, authored_at, request_key)
         VALUES ($1, $2, $3, $4, $5, FALSE, $6, $7, $8)")
        .bind(Uuid::now_v7()).bind(thread).bind(access.patient_id()).bind(&m.body).bind(m.from_patient)
        .bind(author).bind(ts(now())).bind(&m.request_key)
        .execute(&mut *c).await.map(|r| r.rows_affected()))
    .map_err(|e| StoreError::unique(e, "request_key"))?;
    Ok(())
}

async fn insert_automatic(
    tx: &mut crate::db::Tx,
    access: &PatientAccess,
    thread: Uuid,
    text: &str,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO messages (id, thread_id, patient_id, body, from_patient, automatic, authored_by, authored_at, request_key)
         VALUES ($1, $2, $3, $4, FALSE, TRUE, NULL, $5, NULL)")
        .bind(Uuid::now_v7()).bind(thread).bind(access.patient_id()).bind(text).bind(ts(now()))
        .execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

impl Store {
    /// Starts a thread with its first message, and Trappa's automatic reply if given,
    /// in one transaction with its log entry. Returns the thread's id. A message whose
    /// request key the patient's messages already hold is not sent again: its thread's
    /// id is returned.
    pub async fn start_thread(
        &self,
        access: &PatientAccess,
        subject: &str,
        first: &NewMessage,
        automatic_reply: Option<&str>,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<Uuid> {
        if let Some(thread) = self.thread_of_key(access, &first.request_key).await? {
            return Ok(thread);
        }
        let thread = Uuid::now_v7();
        let mut tx = self.begin().await?;
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO message_threads (id, patient_id, subject, started_by, started_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(thread).bind(access.patient_id()).bind(subject).bind(author).bind(ts(now()))
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if let Err(e) = insert(&mut tx, access, thread, first, Some(author)).await {
            drop(tx);
            return match e {
                StoreError::Duplicate(_) => self
                    .thread_of_key(access, &first.request_key)
                    .await?
                    .ok_or(StoreError::NotFound),
                other => Err(other),
            };
        }
        if let Some(text) = automatic_reply {
            insert_automatic(&mut tx, access, thread, text).await?;
        }
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(thread)
    }

    /// Adds a message to a thread of the patient's (and Trappa's automatic reply if
    /// given), logged in the same transaction. A thread of another patient is not found;
    /// a message sent twice (the same request key) is stored once.
    pub async fn post_message(
        &self,
        access: &PatientAccess,
        thread: Uuid,
        message: &NewMessage,
        automatic_reply: Option<&str>,
        author: Uuid,
        log: &NewEntry<'_>,
    ) -> Result<()> {
        if self
            .thread_of_key(access, &message.request_key)
            .await?
            .is_some()
        {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        let found: Option<(Uuid,)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT id FROM message_threads WHERE id = $1 AND patient_id = $2")
            .bind(thread).bind(access.patient_id()).fetch_optional(&mut *c).await)?;
        if found.is_none() {
            return Err(StoreError::NotFound);
        }
        match insert(&mut tx, access, thread, message, Some(author)).await {
            Ok(()) => {}
            Err(StoreError::Duplicate(_)) => return Ok(()),
            Err(e) => return Err(e),
        }
        if let Some(text) = automatic_reply {
            insert_automatic(&mut tx, access, thread, text).await?;
        }
        tx.append_patient_log(access, log).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The thread a request key's message went to, if the patient sent it.
    async fn thread_of_key(
        &self,
        access: &PatientAccess,
        key: &Option<String>,
    ) -> Result<Option<Uuid>> {
        let Some(key) = key else { return Ok(None) };
        let found: Option<(Uuid,)> = on_pool!(self, p => sqlx::query_as(
            "SELECT thread_id FROM messages WHERE patient_id = $1 AND request_key = $2")
            .bind(access.patient_id()).bind(key).fetch_optional(p).await)?;
        Ok(found.map(|(t,)| t))
    }

    /// The patient's threads, newest message first, as `reader` sees them (unread
    /// counts are theirs).
    pub async fn threads(&self, access: &PatientAccess, reader: Uuid) -> Result<Vec<Thread>> {
        let threads: Vec<ThreadRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, patient_id, subject, started_at FROM message_threads WHERE patient_id = $1")
            .bind(access.patient_id()).fetch_all(p).await)?;
        let sql = sqlx::AssertSqlSafe(format!(
            "{MESSAGE_SELECT} WHERE m.patient_id = $1 ORDER BY m.authored_at, m.id"
        ));
        let messages: Vec<MessageRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(access.patient_id()).bind(reader).fetch_all(p).await)?;
        Ok(summarise(threads, &messages, reader))
    }

    /// One thread of the patient's with its messages, oldest first; the messages
    /// `reader` had not read are marked read now (the marks are append-only).
    pub async fn read_thread(
        &self,
        access: &PatientAccess,
        thread: Uuid,
        reader: Uuid,
    ) -> Result<(Thread, Vec<Message>)> {
        let row: Option<ThreadRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, patient_id, subject, started_at FROM message_threads WHERE id = $1 AND patient_id = $2")
            .bind(thread).bind(access.patient_id()).fetch_optional(p).await)?;
        let row = row.ok_or(StoreError::NotFound)?;
        let sql = sqlx::AssertSqlSafe(format!(
            "{MESSAGE_SELECT} WHERE m.thread_id = $1 ORDER BY m.authored_at, m.id"
        ));
        let rows: Vec<MessageRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(thread).bind(reader).fetch_all(p).await)?;
        let unread: Vec<Uuid> = rows
            .iter()
            .filter(|m| !m.read_by_reader && m.authored_by != Some(reader))
            .map(|m| m.id)
            .collect();
        if !unread.is_empty() {
            let mut tx = self.begin().await?;
            let at = ts(now());
            for id in unread {
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO message_reads (message_id, account_id, read_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                    .bind(id).bind(reader).bind(at)
                    .execute(&mut *c).await.map(|r| r.rows_affected()))?;
            }
            tx.commit().await?;
        }
        let summary = summarise(vec![row], &rows, reader)
            .pop()
            .ok_or(StoreError::NotFound)?;
        let messages = rows
            .into_iter()
            .map(|m| Message {
                id: m.id,
                body: m.body,
                from_patient: m.from_patient,
                automatic: m.automatic,
                author_name: m.author_name,
                authored_at: m.authored_at.to_jiff(),
            })
            .collect();
        Ok((summary, messages))
    }

    /// The threads of the patients on an account's caseload, waiting longest first,
    /// then newest: the care team's inbox. The caller has logged the caseload it shows
    /// ([`Store::caseload`]).
    pub async fn caseload_threads(&self, account: Uuid) -> Result<Vec<Thread>> {
        let mine = "(SELECT c.patient_id FROM care_team_members c WHERE c.account_id = $1 AND c.ended_at IS NULL)";
        let sql = sqlx::AssertSqlSafe(format!(
            "SELECT id, patient_id, subject, started_at FROM message_threads WHERE patient_id IN {mine}"
        ));
        let threads: Vec<ThreadRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(account).fetch_all(p).await)?;
        let sql = sqlx::AssertSqlSafe(format!(
            "{MESSAGE_SELECT} WHERE m.patient_id IN {mine} ORDER BY m.authored_at, m.id"
        ));
        let messages: Vec<MessageRow> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(account).bind(account).fetch_all(p).await)?;
        let mut all = summarise(threads, &messages, account);
        all.sort_by(|a, b| match (a.waiting_since, b.waiting_since) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => b.last_at.cmp(&a.last_at),
        });
        Ok(all)
    }
}

/// Each thread with its counts, newest message first. `messages` are in time order.
fn summarise(threads: Vec<ThreadRow>, messages: &[MessageRow], reader: Uuid) -> Vec<Thread> {
    let mut out: Vec<Thread> = threads
        .into_iter()
        .map(|t| {
            let own: Vec<&MessageRow> = messages.iter().filter(|m| m.thread_id == t.id).collect();
            let last_at = own
                .last()
                .map_or(t.started_at.to_jiff(), |m| m.authored_at.to_jiff());
            // What people wrote, newest last: the patient waits from their first
            // message after the care team's last.
            let written: Vec<&&MessageRow> = own.iter().filter(|m| !m.automatic).collect();
            let staff_last = written.iter().rposition(|m| !m.from_patient);
            let waiting_since = written
                .iter()
                .skip(staff_last.map_or(0, |i| i + 1))
                .find(|m| m.from_patient)
                .map(|m| m.authored_at.to_jiff());
            let answered = staff_last.map(|i| {
                let m = written[i];
                (
                    m.author_name.clone().unwrap_or_default(),
                    m.authored_at.to_jiff(),
                )
            });
            Thread {
                id: t.id,
                patient_id: t.patient_id,
                subject: t.subject,
                started_at: t.started_at.to_jiff(),
                last_at,
                messages: own.len() as i64,
                unread: own
                    .iter()
                    .filter(|m| !m.read_by_reader && !m.automatic && m.authored_by != Some(reader))
                    .count() as i64,
                waiting_since,
                answered,
            }
        })
        .collect();
    out.sort_by_key(|t| std::cmp::Reverse(t.last_at));
    out
}
