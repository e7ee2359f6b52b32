//! Bulk loading for benchmarks and load tests: many rows per transaction. The server
//! never calls this; it bypasses the per-request access log on purpose (the rows it
//! writes *are* log rows, or synthetic patients made by the benchmark itself).

use jiff::Timestamp;
use trappa_policy::Queue;
use uuid::Uuid;

use crate::db::on_tx;
use crate::log_entry::{Action, Actor};
use crate::patients::search_key;
use crate::record::PatientData;
use crate::team::TeamFunction;
use crate::{Result, Store, ts};

impl Store {
    /// Inserts patients (version 1) in batches, each with `member` in the care team;
    /// returns their ids.
    pub async fn bulk_insert_patients(
        &self,
        people: &[PatientData],
        author: Uuid,
        member: Option<Uuid>,
        queue: Option<Queue>,
    ) -> Result<Vec<Uuid>> {
        let at = ts(crate::now());
        let mut ids = Vec::with_capacity(people.len());
        for chunk in people.chunks(2000) {
            let mut tx = self.begin().await?;
            for d in chunk {
                let id = Uuid::now_v7();
                on_tx!(tx, c => {
                    sqlx::query("INSERT INTO patients (id, current_version, queue, created_at, created_by) VALUES ($1, 1, $2, $3, $4)")
                        .bind(id).bind(queue.map(Queue::code)).bind(at).bind(author).execute(&mut *c).await?;
                    sqlx::query(
                        "INSERT INTO patient_versions (patient_id, version, personal_identity, id_kind, birth_date, sex, given_name,
                             family_name, search_key, phone, email, street_address, postal_code, city, home_unit_id, protected_identity,
                             synthetic, authored_by, authored_at, reason)
                         VALUES ($1, 1, $2, 'personnummer', $3, 'female', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'bulk')")
                        .bind(id).bind(d.personal_identity.canonical()).bind(jiff_sqlx::ToSqlx::to_sqlx(d.personal_identity.birth_date()))
                        .bind(&d.given_name).bind(&d.family_name).bind(search_key(&d.given_name, &d.family_name))
                        .bind(&d.phone).bind(&d.email)
                        .bind(d.address.known().and_then(|a| a.street.clone()))
                        .bind(d.address.known().and_then(|a| a.postal_code.clone()))
                        .bind(d.address.known().and_then(|a| a.city.clone()))
                        .bind(d.home_unit_id).bind(d.protected_identity).bind(d.synthetic).bind(author).bind(at)
                        .execute(&mut *c).await?;
                    if let Some(m) = member {
                        sqlx::query("INSERT INTO care_team_members (id, patient_id, account_id, function, added_at, added_by) VALUES ($1, $2, $3, $4, $5, $6)")
                            .bind(Uuid::now_v7()).bind(id).bind(m).bind(TeamFunction::FastVardkontakt.code()).bind(at).bind(author)
                            .execute(&mut *c).await?;
                    }
                });
                ids.push(id);
            }
            tx.commit().await?;
        }
        Ok(ids)
    }

    /// Appends `n` read entries spread over `patients`, timestamped from `start`
    /// one second apart.
    pub async fn bulk_insert_access_log(
        &self,
        actor: &Actor,
        patients: &[Uuid],
        n: usize,
        start: Timestamp,
    ) -> Result<()> {
        let mut written = 0usize;
        while written < n {
            let batch = (n - written).min(5000);
            let mut tx = self.begin().await?;
            for i in written..written + batch {
                let patient = patients.get(i % patients.len().max(1)).copied();
                let at = start + jiff::SignedDuration::from_secs(i as i64);
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO access_log (at, account_id, username, role, unit_id, patient_id, action, resource, basis, outcome, flagged, request_id)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'patient.overview', 'care_team', 'allowed', FALSE, 'bulk')")
                    .bind(ts(at)).bind(actor.account_id).bind(&actor.username).bind(&actor.role).bind(actor.unit_id)
                    .bind(patient).bind(Action::Read.code()).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            }
            tx.commit().await?;
            written += batch;
        }
        Ok(())
    }

    /// Generates rows `first..end` of a log of `total` rows spread evenly over
    /// `from..to` (so ids grow with time, as a real log's do), inside PostgreSQL in one
    /// statement: reads and some writes of `patients` by `staff` (each `(id, username)`),
    /// one in 200 flagged, one in 500 refused. For the national-scale benchmark, whose
    /// hundreds of millions of rows a statement per row would take days to write.
    /// Refused on SQLite.
    #[allow(clippy::too_many_arguments)]
    pub async fn bulk_generate_access_log(
        &self,
        patients: &[Uuid],
        staff: &[(Uuid, String)],
        first: i64,
        end: i64,
        total: i64,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<u64> {
        let crate::db::Pool::Postgres(p) = &*self.pool else {
            return Err(crate::StoreError::Refused(
                "generating the log is for PostgreSQL",
            ));
        };
        let (ids, names): (Vec<Uuid>, Vec<String>) = staff.iter().cloned().unzip();
        let n = sqlx::query(
            "INSERT INTO access_log (at, account_id, username, role, unit_id, patient_id, action, resource,
                                     basis, outcome, flagged, request_id)
             SELECT $1::timestamptz + ($2::timestamptz - $1::timestamptz) * (g::float8 / $3::float8),
                    ($4::uuid[])[1 + g % cardinality($4::uuid[])],
                    ($5::text[])[1 + g % cardinality($5::text[])],
                    'nurse', NULL,
                    ($6::uuid[])[1 + (g * 7919) % cardinality($6::uuid[])],
                    CASE WHEN g % 10 = 0 THEN $9 ELSE $10 END,
                    'patient.overview', 'care_team',
                    CASE WHEN g % 500 = 0 THEN 'denied' ELSE 'allowed' END,
                    g % 200 = 0, 'bulk'
             FROM generate_series($7::bigint, $8::bigint - 1) g",
        )
        .bind(ts(from))
        .bind(ts(to))
        .bind(total)
        .bind(&ids)
        .bind(&names)
        .bind(patients)
        .bind(first)
        .bind(end)
        .bind(Action::Update.code())
        .bind(Action::Read.code())
        .execute(p)
        .await?
        .rows_affected();
        Ok(n)
    }

    /// The ids of the patients whose care team `account_id` is in (ids only, no
    /// personal data), for a benchmark reusing its data set.
    pub async fn team_patient_ids(&self, account_id: Uuid) -> Result<Vec<Uuid>> {
        let rows: Vec<(Uuid,)> = crate::db::on_pool!(self, p => sqlx::query_as(
            "SELECT patient_id FROM care_team_members WHERE account_id = $1 AND ended_at IS NULL")
            .bind(account_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
