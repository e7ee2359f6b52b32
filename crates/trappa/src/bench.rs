//! `trappa bench-overview`: patient-overview requests per second and latency at a
//! given concurrency, on SQLite with many patients and access-log rows, next to a bare
//! static handler measured in the same run on the same runtime.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use rand::RngExt;
use trappa_ident::{IdKind, PersonalIdentity};
use trappa_policy::Role;
use trappa_store::access_log::Actor;
use trappa_store::accounts::NewAccount;
use trappa_store::patients::{Address, PatientData, PostalAddress};
use trappa_store::{DatabaseUrl, PoolSettings, Store, Uuid};

/// Options of the benchmark.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// SQLite file to build (reused if it already holds the data set).
    #[arg(long, default_value = "target/bench/overview.db")]
    db: String,
    /// Patients in the data set.
    #[arg(long, default_value_t = 100_000)]
    patients: usize,
    /// Access-log rows in the data set.
    #[arg(long, default_value_t = 1_000_000)]
    log_rows: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Seconds per measurement.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Read connections in the SQLite pool.
    #[arg(long, default_value_t = PoolSettings::default().max_connections)]
    read_connections: u32,
}

/// What one measurement saw.
pub(crate) struct Outcome {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Outcome {
    pub(crate) fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    pub(crate) fn percentile(&self, p: f64) -> Duration {
        let mut l = self.latencies.clone();
        l.sort();
        l.get(((l.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or_default()
    }
}

const PASSWORD: &str = "bench-password-123";

async fn build_data_set(store: &Store, args: &BenchArgs) -> anyhow::Result<(Vec<Uuid>, String)> {
    let username = "bench-nurse".to_owned();
    if let Some(c) = store.credentials(&username).await? {
        if store.patient_count().await? as usize >= args.patients
            && store.access_log_len().await? as usize >= args.log_rows
        {
            let ids = patient_ids(store, c.account.id).await?;
            return Ok((ids, username));
        }
        anyhow::bail!(
            "{} holds a partial data set; delete it and run again",
            args.db
        );
    }
    let (unit, _) = trappa_data::reference::load(store, "Benchmark unit").await?;
    let hash = tokio::task::spawn_blocking(|| trappa_web::hash_password(PASSWORD)).await??;
    let nurse = store
        .create_account(&NewAccount {
            username: username.clone(),
            display_name: "Bench Nurse".into(),
            profession: Some("Sjuksköterska".into()),
            hsa_id: None,
            unit_id: Some(unit),
            patient_id: None,
            partner_organisation_id: None,
            roles: vec![Role::Nurse],
            password_hash: hash,
            created_by: None,
        })
        .await?;
    let started = Instant::now();
    let mut people = Vec::with_capacity(args.patients);
    let mut n = 0u32;
    let first = jiff::civil::date(1940, 1, 1);
    while people.len() < args.patients {
        let birth = first.checked_add(jiff::Span::new().days(i64::from(n / 999) % 25_000))?;
        let pid = PersonalIdentity::from_parts(birth, (n % 999 + 1) as u16, IdKind::Personnummer)
            .context("identity")?;
        n += 1;
        people.push(PatientData {
            personal_identity: pid,
            given_name: format!("Test{n}"),
            family_name: "Benchsson".into(),
            phone: Some("070-000 00 00".into()),
            email: None,
            address: Address::Known(PostalAddress {
                street: Some("Storgatan 1".into()),
                postal_code: Some("463 30".into()),
                city: Some("Lilla Edet".into()),
            }),
            home_unit_id: None,
            protected_identity: false,
            synthetic: true,
        });
    }
    let ids = store
        .bulk_insert_patients(&people, nurse, Some(nurse), None)
        .await?;
    eprintln!(
        "seeded {} patients in {:.1}s",
        ids.len(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let actor = Actor {
        account_id: Some(nurse),
        username: username.clone(),
        role: Some("nurse".into()),
        unit_id: Some(unit),
        request_id: "bench".into(),
        client_ip: None,
        new_role: false,
    };
    let start = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(args.log_rows as i64 + 10);
    store
        .bulk_insert_access_log(&actor, &ids, args.log_rows, start)
        .await?;
    eprintln!(
        "seeded {} access-log rows in {:.1}s",
        args.log_rows,
        started.elapsed().as_secs_f64()
    );
    Ok((ids, username))
}

async fn patient_ids(store: &Store, nurse: Uuid) -> anyhow::Result<Vec<Uuid>> {
    Ok(store.team_patient_ids(nurse).await?)
}

/// Builds client `n`'s next request.
pub(crate) type MakeRequest =
    Arc<dyn Fn(usize, &reqwest::Client) -> reqwest::RequestBuilder + Send + Sync>;

/// GETs of `paths` at random, with `cookie` if given.
fn get_paths(
    addr: SocketAddr,
    cookie: Option<Arc<String>>,
    paths: Arc<Vec<String>>,
) -> MakeRequest {
    Arc::new(move |_, client| {
        let path = &paths[rand::rng().random_range(0..paths.len())];
        let req = client.get(format!("http://{addr}{path}"));
        match &cookie {
            Some(c) => req.header("cookie", c.as_str()),
            None => req,
        }
    })
}

/// `concurrency` clients, each sending the requests `make` builds for it, one after
/// another, for `seconds`.
pub(crate) async fn load_with(
    make: MakeRequest,
    concurrency: usize,
    seconds: u64,
) -> anyhow::Result<Outcome> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for n in 0..concurrency {
        let client = client.clone();
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            while Instant::now() < deadline {
                let Ok(req) = make(n, &client).build() else {
                    errors += 1;
                    continue;
                };
                // A form's POST answers with a redirect to where it lands (303).
                let post = req.method() == reqwest::Method::POST;
                let t = Instant::now();
                match client.execute(req).await {
                    Ok(r)
                        if r.status().is_success()
                            || (post && r.status() == reqwest::StatusCode::SEE_OTHER) =>
                    {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await?;
        latencies.extend(l);
        errors += e;
    }
    Ok(Outcome {
        requests: latencies.len(),
        errors,
        elapsed: started.elapsed(),
        latencies,
    })
}

async fn load(
    addr: SocketAddr,
    cookie: Option<Arc<String>>,
    paths: Arc<Vec<String>>,
    args: &BenchArgs,
) -> anyhow::Result<Outcome> {
    load_with(
        get_paths(addr, cookie, paths),
        args.concurrency,
        args.seconds,
    )
    .await
}

/// Signs `username` in with `password`; the cookies to send.
pub(crate) async fn sign_in_with(
    addr: SocketAddr,
    username: &str,
    password: &str,
) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client.get(format!("http://{addr}/logga-in")).send().await?;
    let csrf_cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("trappa_csrf="))
        .and_then(|v| v.split(';').next())
        .context("csrf cookie")?
        .to_owned();
    let html = page.text().await?;
    let token = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .context("csrf token")?;
    let res = client
        .post(format!("http://{addr}/logga-in"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("csrf", token),
            ("username", username),
            ("password", password),
            ("next", "/start"),
        ])
        .send()
        .await?;
    let session = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("trappa_session="))
        .and_then(|v| v.split(';').next())
        .context("no session cookie: sign-in failed")?
        .to_owned();
    Ok(format!("{csrf_cookie}; {session}"))
}

/// The measurements as a Markdown table: requests/s, p50, p99, errors.
pub(crate) fn print_table(rows: &[(&str, &Outcome)]) {
    println!("| handler | requests/s | p50 | p99 | errors |");
    println!("|---|---:|---:|---:|---:|");
    for (name, o) in rows {
        println!(
            "| {name} | {:.0} | {:.2} ms | {:.2} ms | {} |",
            o.rps(),
            o.percentile(0.5).as_secs_f64() * 1000.0,
            o.percentile(0.99).as_secs_f64() * 1000.0,
            o.errors
        );
    }
}

async fn sign_in(addr: SocketAddr, username: &str) -> anyhow::Result<String> {
    sign_in_with(addr, username, PASSWORD).await
}

/// Serves Trappa over `store` in this process, with the local settings, on a free port;
/// its address.
pub(crate) async fn serve_in_process(store: &Store) -> anyhow::Result<SocketAddr> {
    let state = trappa_web::AppState::new(store.clone(), trappa_web::WebConfig::local());
    let app = trappa_web::app(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    Ok(addr)
}

/// Runs the benchmark and prints a Markdown table.
pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    if let Some(dir) = std::path::Path::new(&args.db).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let url = DatabaseUrl::parse(&format!("sqlite://{}", args.db))?;
    let store = Store::open(
        &url,
        &PoolSettings {
            max_connections: args.read_connections,
        },
    )
    .await?;
    let (ids, username) = build_data_set(&store, &args).await?;
    store.checkpoint().await?;

    let addr = serve_in_process(&store).await?;
    let bare = axum::Router::new().route("/bare", axum::routing::get(|| async { "ok" }));
    let bare_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let bare_addr = bare_listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(bare_listener, bare).await;
    });

    let cookie = Arc::new(sign_in(addr, &username).await?);
    let paths: Arc<Vec<String>> =
        Arc::new(ids.iter().map(|id| format!("/patienter/{id}")).collect());
    let log_before = store.access_log_len().await?;

    // Warm up both, then measure.
    let warm = BenchArgs {
        seconds: 2,
        ..args_clone(&args)
    };
    load(bare_addr, None, Arc::new(vec!["/bare".into()]), &warm).await?;
    load(addr, Some(cookie.clone()), paths.clone(), &warm).await?;
    let bare_out = load(bare_addr, None, Arc::new(vec!["/bare".into()]), &args).await?;
    // A signed-in request that reads no patient: the cost of the session and middleware.
    let me_out = load(
        addr,
        Some(cookie.clone()),
        Arc::new(vec!["/api/v1/me".into()]),
        &args,
    )
    .await?;
    let overview_out = load(addr, Some(cookie.clone()), paths.clone(), &args).await?;
    let logged = store.access_log_len().await? - log_before;

    print_table(&[
        ("bare static handler", &bare_out),
        ("signed-in /api/v1/me (session only)", &me_out),
        ("patient overview", &overview_out),
    ]);
    println!();
    println!(
        "overview / bare throughput: {:.1} % ({} patients, {} access-log rows before the run, {} concurrent clients, {} s each)",
        overview_out.rps() / bare_out.rps() * 100.0,
        ids.len(),
        log_before,
        args.concurrency,
        args.seconds
    );
    println!("access-log rows written during the run: {logged} (each overview request writes one)");
    Ok(())
}

fn args_clone(a: &BenchArgs) -> BenchArgs {
    BenchArgs {
        db: a.db.clone(),
        ..*a
    }
}
