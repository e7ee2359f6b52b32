//! `trappa bench-portal`: the patient's start page under many patients at once, each
//! signed in with a session of their own, and a diary entry saved, on SQLite with the
//! demo data set — next to a bare static handler measured in the same run.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use clap::Args;
use trappa_policy::Role;
use trappa_store::accounts::NewAccount;
use trappa_store::{DatabaseUrl, PoolSettings, Store};

use crate::bench::{MakeRequest, load_with, print_table, sign_in_with};

/// Options of the benchmark.
#[derive(Debug, Args)]
pub struct BenchPortalArgs {
    /// SQLite file to build (replaced on every run: the demo is loaded afresh).
    #[arg(long, default_value = "target/bench/portal.db")]
    db: String,
    /// Patients signed in at once, each a client of its own.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Seconds per measurement.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
}

/// One signed-in patient: the cookies and the form token.
struct Patient {
    cookie: String,
    csrf: String,
}

async fn signed_in_patients(
    store: &Store,
    addr: SocketAddr,
    n: usize,
    hash: &str,
) -> anyhow::Result<Vec<Patient>> {
    let doctor = store
        .credentials("lakare")
        .await?
        .context("the demo physician")?;
    let ids = store.team_patient_ids(doctor.account.id).await?;
    anyhow::ensure!(
        ids.len() >= n,
        "the demo has {} patients on a caseload",
        ids.len()
    );
    let client = reqwest::Client::new();
    let mut out = Vec::with_capacity(n);
    for (i, id) in ids.iter().take(n).enumerate() {
        let username = format!("bench-patient-{i}");
        if store.credentials(&username).await?.is_none() {
            store
                .create_account(&NewAccount {
                    username: username.clone(),
                    display_name: format!("Patient {i}"),
                    profession: None,
                    hsa_id: None,
                    unit_id: None,
                    patient_id: Some(*id),
                    partner_organisation_id: None,
                    roles: vec![Role::Patient],
                    password_hash: hash.to_owned(),
                    created_by: None,
                })
                .await?;
        }
        let cookie = sign_in_with(addr, &username, trappa_data::demo::DEMO_PASSWORD).await?;
        let page = client
            .get(format!("http://{addr}/mina-sidor/dagbok"))
            .header("cookie", &cookie)
            .send()
            .await?
            .text()
            .await?;
        let csrf = page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .context("the diary's form")?
            .to_owned();
        out.push(Patient { cookie, csrf });
    }
    Ok(out)
}

/// Runs the benchmark and prints a Markdown table.
pub async fn run(args: BenchPortalArgs) -> anyhow::Result<()> {
    if let Some(dir) = std::path::Path::new(&args.db).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let _ = std::fs::remove_file(&args.db);
    let url = DatabaseUrl::parse(&format!("sqlite://{}", args.db))?;
    let store = Store::open(&url, &PoolSettings::default()).await?;
    let (unit, _) = trappa_data::reference::load(&store, "Benchmark unit").await?;
    let hash =
        tokio::task::spawn_blocking(|| trappa_web::hash_password(trappa_data::demo::DEMO_PASSWORD))
            .await??;
    trappa_data::demo::load(&store, unit, &hash, trappa_data::demo::DemoSize::Compact).await?;
    store.checkpoint().await?;

    let addr = crate::bench::serve_in_process(&store).await?;
    let bare = axum::Router::new().route("/bare", axum::routing::get(|| async { "ok" }));
    let bare_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let bare_addr = bare_listener.local_addr()?;
    tokio::spawn(async move {
        let _ = axum::serve(bare_listener, bare).await;
    });

    let patients = Arc::new(signed_in_patients(&store, addr, args.concurrency, &hash).await?);
    let bare_req: MakeRequest = Arc::new(move |_, c| c.get(format!("http://{bare_addr}/bare")));
    let start_page: MakeRequest = {
        let patients = patients.clone();
        Arc::new(move |n, c| {
            c.get(format!("http://{addr}/start"))
                .header("cookie", &patients[n].cookie)
        })
    };
    let diary: MakeRequest = {
        let patients = patients.clone();
        let today = trappa_app::clock::today().to_string();
        Arc::new(move |n, c| {
            let p = &patients[n];
            let key = trappa_store::Uuid::now_v7().to_string();
            c.post(format!("http://{addr}/mina-sidor/dagbok"))
                .header("cookie", &p.cookie)
                .form(&[
                    ("csrf", p.csrf.as_str()),
                    ("request_key", key.as_str()),
                    ("day", today.as_str()),
                    ("dose_taken", "as_planned"),
                    ("sleep", "6"),
                    ("anxiety", "3"),
                    ("note", "Bänktest"),
                ])
        })
    };
    // Warm up, then measure.
    load_with(start_page.clone(), args.concurrency, 2).await?;
    let bare_out = load_with(bare_req, args.concurrency, args.seconds).await?;
    let start_out = load_with(start_page, args.concurrency, args.seconds).await?;
    let diary_out = load_with(diary, args.concurrency, args.seconds).await?;

    print_table(&[
        ("bare static handler", &bare_out),
        ("patient's start page (/start)", &start_out),
        ("diary entry saved (POST /mina-sidor/dagbok)", &diary_out),
    ]);
    println!();
    println!(
        "{} patients signed in at once, each its own session; {} s each; demo data set (compact) on SQLite",
        args.concurrency, args.seconds
    );
    Ok(())
}
