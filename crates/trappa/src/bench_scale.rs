//! `trappa bench-scale`: Trappa at the scale of a nation on PostgreSQL (issue 18, item
//! 6). Builds, in the database it is given, the patients of a country (68,000 dependent
//! patients) and an access log of years (up to 200 million rows, partitioned by month),
//! then measures what reads the log — the auditor's searches, the patient's own log —
//! and what every request does to it (one entry written), and over HTTP the patient
//! overview and the board's report. Run it on two databases of different log sizes to
//! see how the times grow (docs/benchmarks.md).

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use rand::RngExt;
use trappa_ident::{IdKind, PersonalIdentity};
use trappa_policy::Role;
use trappa_store::access_log::{Action, Actor, LogQuery, NewEntry};
use trappa_store::accounts::NewAccount;
use trappa_store::patients::{Address, PatientData};
use trappa_store::{Backend, Store, Uuid};

/// Options of the benchmark.
#[derive(Debug, Args)]
pub struct BenchScaleArgs {
    /// Patients in the data set (Sweden has about 68,000 people dependent on the
    /// prescribed drugs the unit tapers).
    #[arg(long, default_value_t = 68_000)]
    patients: usize,
    /// Access-log rows in the data set.
    #[arg(long, default_value_t = 200_000_000)]
    log_rows: i64,
    /// Staff accounts the log's rows are spread over.
    #[arg(long, default_value_t = 500)]
    staff: usize,
    /// Years the log spans, up to now.
    #[arg(long, default_value_t = 5)]
    years: i64,
    /// Rows per generating statement (each its own transaction).
    #[arg(long, default_value_t = 2_000_000)]
    chunk: i64,
    /// Timed runs of each query.
    #[arg(long, default_value_t = 200)]
    samples: usize,
    /// Patients, besides the others, with a whole path written through the application
    /// (referral, assessment, plan, steps, scores, discharge), as the demo writes them:
    /// what the board's report reads. Slow to write (about 16 a second in a debug build).
    #[arg(long, default_value_t = 0)]
    histories: usize,
}

const PASSWORD: &str = "bench-scale-password";
const ANALYST: &str = "skala-analytiker";

/// The data set as the measurements need it.
struct DataSet {
    staff: Vec<(Uuid, String)>,
    patients: Vec<Uuid>,
    /// The patients in each staff member's care team, by the staff member's index.
    teams: Vec<Vec<Uuid>>,
}

/// Runs the benchmark on `store` (PostgreSQL) and prints a Markdown table.
pub async fn run(store: &Store, args: BenchScaleArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        store.backend() == Backend::Postgres,
        "bench-scale needs a PostgreSQL --database-url: only PostgreSQL partitions the log"
    );
    anyhow::ensure!(args.staff > 0 && args.patients > 0, "staff and patients");
    let data = build(store, &args).await?;
    fill_log(store, &args, &data).await?;
    let started = Instant::now();
    store.analyze().await?;
    eprintln!("analysed in {:.0} s", started.elapsed().as_secs_f64());
    let (partitions, bytes) = store.access_log_partitions().await?;
    let rows = store.access_log_len().await?;
    println!(
        "{} patients, {rows} access-log rows in {partitions} partitions, {:.1} GB with indexes, {} staff, {} samples per query",
        data.patients.len(),
        bytes as f64 / 1e9,
        data.staff.len(),
        args.samples
    );
    println!();
    println!("| what | rows answered (mean) | p50 | p99 | max |");
    println!("|---|---:|---:|---:|---:|");
    measure_log(store, &args, &data).await?;
    measure_http(store, &args, &data).await?;
    Ok(())
}

/// The staff, the patients and their care teams: made once, reused by later runs.
async fn build(store: &Store, args: &BenchScaleArgs) -> anyhow::Result<DataSet> {
    let hash = tokio::task::spawn_blocking(|| trappa_web::hash_password(PASSWORD)).await??;
    let unit = match store.credentials("skala-0").await? {
        Some(c) => c.account.unit_id.context("the staff's unit")?,
        None => trappa_data::reference::load(store, "Skalenheten").await?.0,
    };
    let account = |username: String, role: Role| NewAccount {
        display_name: username.clone(),
        username,
        profession: None,
        hsa_id: None,
        unit_id: Some(unit),
        patient_id: None,
        partner_organisation_id: None,
        roles: vec![role],
        password_hash: hash.clone(),
        created_by: None,
    };
    let mut staff = Vec::with_capacity(args.staff);
    for i in 0..args.staff {
        let username = format!("skala-{i}");
        let id = match store.credentials(&username).await? {
            Some(c) => c.account.id,
            None => {
                store
                    .create_account(&account(username.clone(), Role::Nurse))
                    .await?
            }
        };
        staff.push((id, username));
    }
    if store.credentials(ANALYST).await?.is_none() {
        store
            .create_account(&account(ANALYST.to_owned(), Role::Analyst))
            .await?;
    }
    let mut teams = Vec::with_capacity(staff.len());
    for (id, _) in &staff {
        teams.push(store.team_patient_ids(*id).await?);
    }
    let have: usize = teams.iter().map(Vec::len).sum();
    if have < args.patients {
        let started = Instant::now();
        let per_member = (args.patients - have).div_ceil(staff.len());
        let mut n = have as u32;
        for (i, (member, _)) in staff.iter().enumerate() {
            let people: Vec<PatientData> = (0..per_member)
                .map(|_| {
                    n += 1;
                    synthetic_patient(n)
                })
                .collect::<anyhow::Result<_>>()?;
            let ids = store
                .bulk_insert_patients(&people, *member, Some(*member), None)
                .await?;
            teams[i].extend(ids);
        }
        eprintln!(
            "made {} patients in {:.0} s",
            n as usize - have,
            started.elapsed().as_secs_f64()
        );
    }
    if args.histories > 0 {
        let started = Instant::now();
        let size = trappa_data::demo::DemoSize::Histories(args.histories);
        let written = trappa_data::demo::load(store, unit, &hash, size).await?;
        if written.patients > 0 {
            eprintln!(
                "wrote {} patients' paths in {:.0} s",
                written.patients,
                started.elapsed().as_secs_f64()
            );
        }
    }
    let patients = teams.iter().flatten().copied().collect();
    Ok(DataSet {
        staff,
        patients,
        teams,
    })
}

/// Synthetic patient `n`: a test person with a valid identity number that is no one's.
fn synthetic_patient(n: u32) -> anyhow::Result<PatientData> {
    let birth = jiff::civil::date(1940, 1, 1)
        .checked_add(jiff::Span::new().days(i64::from(n / 999) % 25_000))?;
    Ok(PatientData {
        personal_identity: PersonalIdentity::from_parts(
            birth,
            (n % 999 + 1) as u16,
            IdKind::Personnummer,
        )
        .context("identity")?,
        given_name: format!("Skala{n}"),
        family_name: "Testperson".into(),
        phone: None,
        email: None,
        address: Address::none(),
        home_unit_id: None,
        protected_identity: false,
        synthetic: true,
    })
}

/// Generates the log's rows up to `args.log_rows`, spread over `args.years` years to now.
async fn fill_log(store: &Store, args: &BenchScaleArgs, data: &DataSet) -> anyhow::Result<()> {
    let have = store.access_log_len().await?;
    if have >= args.log_rows {
        return Ok(());
    }
    let to = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    let from = to - jiff::SignedDuration::from_hours(24 * 365 * args.years);
    let made = store
        .ensure_access_log_partitions(from, trappa_store::access_log::PARTITION_MONTHS_AHEAD)
        .await?;
    eprintln!("made {made} month partitions");
    let started = Instant::now();
    let mut first = have;
    while first < args.log_rows {
        let end = (first + args.chunk).min(args.log_rows);
        store
            .bulk_generate_access_log(
                &data.patients,
                &data.staff,
                first,
                end,
                args.log_rows,
                from,
                to,
            )
            .await?;
        first = end;
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "{first} of {} rows, {:.0} rows/s",
            args.log_rows,
            (first - have) as f64 / secs
        );
    }
    Ok(())
}

/// Times `samples` runs of `run` (given the run's number, answering how many rows it
/// read) and prints the row.
async fn time_each<F, Fut>(what: &str, samples: usize, mut run: F) -> anyhow::Result<()>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = anyhow::Result<usize>>,
{
    // One untimed run each warms the caches the way a server in use has them warm.
    run(0).await?;
    let mut times = Vec::with_capacity(samples);
    let mut rows = 0usize;
    for i in 0..samples {
        let t = Instant::now();
        rows += run(i).await?;
        times.push(t.elapsed());
    }
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "| {what} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms |",
        rows as f64 / samples as f64,
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0))
    );
    Ok(())
}

/// The auditor's searches, the patient's own log and the entry every request writes.
async fn measure_log(store: &Store, args: &BenchScaleArgs, data: &DataSet) -> anyhow::Result<()> {
    let page = 100; // the auditor's page (`web::pages::audit`)
    let patient = || data.patients[rand::rng().random_range(0..data.patients.len())];
    let member = || data.staff[rand::rng().random_range(0..data.staff.len())].0;
    let search = |q: LogQuery| async move { Ok(store.search_access_log(&q).await?.len()) };
    time_each("auditor: one patient, newest page", args.samples, |_| {
        search(LogQuery {
            patient_id: Some(patient()),
            limit: page,
            ..Default::default()
        })
    })
    .await?;
    time_each("auditor: one user, newest page", args.samples, |_| {
        search(LogQuery {
            account_id: Some(member()),
            limit: page,
            ..Default::default()
        })
    })
    .await?;
    let now = jiff::Timestamp::now();
    let month = jiff::SignedDuration::from_hours(24 * 30);
    time_each(
        "auditor: one user, one month some years back",
        args.samples,
        |_| {
            let back = rand::rng().random_range(1..(args.years * 12).max(2)) as i32;
            let from = now - month * back;
            search(LogQuery {
                account_id: Some(member()),
                from: Some(from),
                to: Some(from + month),
                limit: page,
                ..Default::default()
            })
        },
    )
    .await?;
    time_each("auditor: flagged, last 30 days", args.samples, |_| {
        search(LogQuery {
            flagged_only: true,
            from: Some(now - month),
            limit: page,
            ..Default::default()
        })
    })
    .await?;
    time_each(
        "the patient's own log (every entry)",
        args.samples,
        |_| async move {
            let entries = trappa_app::audit::entries_about(store, patient()).await;
            Ok(entries.map_err(|e| anyhow::anyhow!("{e:?}"))?.len())
        },
    )
    .await?;
    let (id, username) = data.staff[0].clone();
    let actor = Actor {
        account_id: Some(id),
        username,
        role: Some(Role::Nurse.code().to_owned()),
        unit_id: None,
        request_id: "bench-scale".into(),
        client_ip: None,
        new_role: false,
    };
    time_each("one entry written (every request)", args.samples, |_| {
        let entry = NewEntry::new(&actor, Action::Read, "patient.overview").patient(patient());
        async move {
            store.append_access_log(&entry).await?;
            Ok(1)
        }
    })
    .await
}

/// The overview and the board's report over HTTP, one request at a time.
async fn measure_http(store: &Store, args: &BenchScaleArgs, data: &DataSet) -> anyhow::Result<()> {
    let addr = crate::bench::serve_in_process(store).await?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let get = |path: String, cookie: String| {
        let client = client.clone();
        async move {
            let res = client
                .get(format!("http://{addr}{path}"))
                .header("cookie", cookie)
                .send()
                .await?;
            anyhow::ensure!(res.status().is_success(), "{path}: {}", res.status());
            res.bytes().await?;
            Ok(1)
        }
    };
    let nurse = data
        .teams
        .iter()
        .position(|t| !t.is_empty())
        .context("a care team")?;
    let cookie = crate::bench::sign_in_with(addr, &data.staff[nurse].1, PASSWORD).await?;
    let team = &data.teams[nurse];
    time_each("HTTP: patient overview (nurse)", args.samples, |i| {
        get(
            format!("/patienter/{}", team[i % team.len()]),
            cookie.clone(),
        )
    })
    .await?;
    let analyst = crate::bench::sign_in_with(addr, ANALYST, PASSWORD).await?;
    let peak_before = peak_memory_mb();
    time_each(
        "HTTP: the board's report (analyst)",
        args.samples.min(20),
        |_| get("/rapport".to_owned(), analyst.clone()),
    )
    .await?;
    println!();
    println!(
        "peak memory of the process (VmHWM): {peak_before} MB before the report, {} MB after",
        peak_memory_mb()
    );
    Ok(())
}

/// The most memory this process has held (`VmHWM`), in MB; 0 where it cannot be read.
fn peak_memory_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}
