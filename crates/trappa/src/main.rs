//! `trappa`: the one binary. `serve` runs the web application; `migrate`, `demo`,
//! `create-admin`, `prune-access-log`, `backup`, `restore` and `check` are the operator's
//! tools; `taper` proposes a
//! taper plan without the server; `bench-overview` measures the patient overview under
//! load and `bench-planning` the week planner against its baselines; `needs`,
//! `generate-dispensing` and `bench-needs` analyse dispensing files.
//!
//! Modules:
//!
//! - `backup`: a backup taken while serving, with a manifest of every table's rows and
//!   digest; a restore proven equal to it; the integrity check;
//! - `config`: flags → env → TOML file → defaults;
//! - `taper`: the engine from the command line; reads the clock and files, writes the
//!   outputs; every mistake status 2 in Swedish, a closed pipe status 0;
//! - `taper_args`: its command line as clap reads it; each request flag goes to
//!   `trappa_taper::flags` as text;
//! - `usage`: clap's own errors said again in Swedish from a catalogue, status 2.

mod backup;
mod bench;
mod bench_planning;
mod bench_portal;
mod bench_scale;
mod config;
mod config_oidc;
mod config_smtp;
mod needs;
mod taper;
mod taper_args;
mod usage;

use std::net::SocketAddr;

use anyhow::Context;
use clap::{Parser, Subcommand};
use trappa_store::{PoolSettings, Store};

use config::{FileConfig, ServeSettings, Settings};

/// Trappa — a regional medication-tapering service.
#[derive(Parser, Debug)]
#[command(name = "trappa", version, about)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web application (migrates the database first).
    Serve(Box<ServeSettings>),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load the reference units and the demo data set, then exit.
    Demo {
        /// Name of the tapering unit.
        #[arg(long, default_value = "Regionala nedtrappningsenheten")]
        unit_name: String,
    },
    /// Create an administrator account. The password is read from TRAPPA_ADMIN_PASSWORD
    /// or, if unset, from the first line of standard input.
    CreateAdmin {
        /// Login name.
        #[arg(long)]
        username: String,
        /// Display name.
        #[arg(long, default_value = "Systemadministratör")]
        display_name: String,
    },
    /// Delete access-log rows older than the retention period (never under 5 years).
    PruneAccessLog {
        /// Retention in years (at least 5).
        #[arg(long, default_value_t = 5)]
        years: u32,
    },
    /// Back up the database while Trappa serves (SQLite: an online copy; PostgreSQL:
    /// pg_dump), with a manifest of every table's rows and digest beside the file.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty database and check every table against its
    /// manifest.
    Restore(backup::RestoreArgs),
    /// Check the database's integrity (SQLite's integrity and foreign-key checks; every
    /// table read on PostgreSQL); fails, listing the problems, if any is found.
    Check,
    /// Benchmark: patient-overview throughput and latency against a bare handler.
    BenchOverview(bench::BenchArgs),
    /// Benchmark: the patient's start page under many patients at once, and a diary
    /// entry saved, against a bare handler.
    BenchPortal(bench_portal::BenchPortalArgs),
    /// Benchmark: the week planner against the greedy and one-trip baselines.
    BenchPlanning(bench_planning::BenchPlanningArgs),
    /// Write a synthetic dispensing file calibrated to the public figures.
    GenerateDispensing(needs::GenerateArgs),
    /// Needs analysis of a dispensing file: long-term users per vårdcentral and
    /// municipality, concurrent use, refused rows by line.
    Needs(needs::NeedsArgs),
    /// Benchmark: the needs analysis side by side with DuckDB on the same file.
    BenchNeeds(needs::BenchNeedsArgs),
    /// Benchmark: the access log, the overview and the report at the scale of a nation
    /// (PostgreSQL; builds its data set in the database given).
    BenchScale(bench_scale::BenchScaleArgs),
    /// Propose a taper plan from the command line (no server, no database).
    Taper(Box<taper_args::TaperArgs>),
}

/// Logs to standard error through a worker thread: a request hands its line over and goes
/// on, instead of every worker queuing on the stream (at 32 patients at once, that queue
/// alone took the start page's p99 from 41 to 54 ms). Not lossy: when the buffer is full,
/// writers wait rather than lines being dropped. Keep the guard until exit: dropping it
/// flushes what is buffered.
fn init_logging(level: &str, json: bool) -> tracing_appender::non_blocking::WorkerGuard {
    let filter = tracing_subscriber::EnvFilter::try_new(level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("trappa-log")
        .finish(std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
    guard
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // reqwest is built without a TLS provider of its own (see trappa_web::oidc).
    trappa_web::oidc::install_tls();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => match usage::message(&e) {
            Some(text) => {
                eprintln!("{text}");
                std::process::exit(2);
            }
            None => e.exit(),
        },
    };
    match cli.command {
        Command::Taper(args) => {
            let status = taper::run(*args)?;
            std::process::exit(status);
        }
        // The needs commands read and write files only: no database, no server.
        Command::GenerateDispensing(args) => return needs::generate_file(args),
        Command::Needs(args) if args.save_as.is_none() => return needs::needs(args),
        Command::BenchNeeds(args) => return needs::bench(args),
        command => return run(cli.settings, command).await,
    }
}

async fn run(settings: config::Settings, command: Command) -> anyhow::Result<()> {
    let cli = Cli { settings, command };
    let file = FileConfig::read(cli.settings.config.as_deref())?;
    match cli.command {
        Command::Serve(serve_settings) => {
            let cfg = config::resolve(&cli.settings, &serve_settings, &file)?;
            let _log = init_logging(&cfg.log_level, cfg.log_json);
            serve(cfg).await
        }
        // Neither migrates: a backup copies the database as it is, and a restore goes into
        // an empty one.
        Command::Backup(args) => {
            let (url, _, level, json) = config::resolve_common(&cli.settings, &file)?;
            let _log = init_logging(&level, json);
            backup::backup(&url, args).await
        }
        Command::Restore(args) => {
            let (url, _, level, json) = config::resolve_common(&cli.settings, &file)?;
            let _log = init_logging(&level, json);
            backup::restore(&url, args).await
        }
        Command::Check => {
            let (url, _, level, json) = config::resolve_common(&cli.settings, &file)?;
            let _log = init_logging(&level, json);
            backup::check(&url).await
        }
        Command::BenchPlanning(args) => {
            let (_, _, level, json) = config::resolve_common(&cli.settings, &file)?;
            let _log = init_logging(&level, json);
            // The solver is CPU-bound for seconds: off the async runtime.
            tokio::task::spawn_blocking(move || bench_planning::run(args)).await?
        }
        Command::BenchOverview(args) => {
            let (_, _, level, json) = config::resolve_common(&cli.settings, &file)?;
            let _log = init_logging(&level, json);
            bench::run(args).await
        }
        Command::BenchPortal(args) => {
            let (_, _, level, json) = config::resolve_common(&cli.settings, &file)?;
            let _log = init_logging(&level, json);
            bench_portal::run(args).await
        }
        command => {
            let (url, data_dir, level, json) = config::resolve_common(&cli.settings, &file)?;
            let _log = init_logging(&level, json);
            let store = Store::open(&url, &PoolSettings::default())
                .await
                .with_context(|| format!("opening {url}"))?;
            match command {
                Command::Migrate => {
                    tracing::info!(database = %url, "migrations applied");
                }
                Command::BenchScale(args) => bench_scale::run(&store, args).await?,
                Command::Demo { unit_name } => {
                    load_demo(&store, &unit_name, &data_dir).await?;
                }
                Command::Needs(args) => needs::import(&store, args).await?,
                Command::CreateAdmin {
                    username,
                    display_name,
                } => create_admin(&store, &username, &display_name).await?,
                Command::PruneAccessLog { years } => {
                    anyhow::ensure!(years >= 5, "the access log is kept at least 5 years");
                    let cutoff = jiff::Zoned::now()
                        .checked_sub(jiff::Span::new().years(years))?
                        .timestamp();
                    let n = store.prune_access_log(cutoff).await?;
                    tracing::info!(deleted = n, years, "access log pruned");
                }
                Command::Serve(_)
                | Command::Backup(_)
                | Command::Restore(_)
                | Command::Check
                | Command::BenchOverview(_)
                | Command::BenchPortal(_)
                | Command::BenchPlanning(_)
                | Command::GenerateDispensing(_)
                | Command::BenchNeeds(_)
                | Command::Taper(_) => {
                    unreachable!("handled above")
                }
            }
            Ok(())
        }
    }
}

async fn load_demo(
    store: &Store,
    unit_name: &str,
    data_dir: &std::path::Path,
) -> anyhow::Result<()> {
    let (unit, refs) = trappa_data::reference::load(store, unit_name).await?;
    let hash =
        tokio::task::spawn_blocking(|| trappa_web::hash_password(trappa_data::demo::DEMO_PASSWORD))
            .await??;
    let counts =
        trappa_data::demo::load(store, unit, &hash, trappa_data::demo::DemoSize::WithHistory)
            .await?;
    // The team's availability, lent rooms and this week's plan, planned by the planner.
    let coordinator = store
        .credentials("koordinator")
        .await?
        .context("the demo coordinator")?
        .account;
    let actor = trappa_store::access_log::Actor {
        account_id: Some(coordinator.id),
        username: coordinator.username.clone(),
        role: Some(trappa_policy::Role::Coordinator.code().to_owned()),
        unit_id: Some(unit),
        request_id: "demo-load".to_owned(),
        client_ip: None,
        new_role: false,
    };
    let planned = trappa_app::planning::seed_demo(store, unit, coordinator.id, &actor, 5.0)
        .await
        .map_err(|e| anyhow::anyhow!("planning the demo week: {e:?}"))?;
    std::fs::create_dir_all(data_dir)?;
    let dispensing = needs::demo(store, data_dir).await?;
    tracing::info!(
        dispensing_analysed = dispensing,
        week_planned = planned,
        municipalities = refs.municipalities,
        health_centres = refs.health_centres,
        accounts_created = counts.accounts,
        patients_created = counts.patients,
        "demo data loaded"
    );
    Ok(())
}

async fn create_admin(store: &Store, username: &str, display_name: &str) -> anyhow::Result<()> {
    let password = match std::env::var("TRAPPA_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    anyhow::ensure!(
        password.chars().count() >= 12,
        "the password must have at least 12 characters"
    );
    let (unit, _) = trappa_data::reference::load(store, "Regionala nedtrappningsenheten").await?;
    let hash = tokio::task::spawn_blocking(move || trappa_web::hash_password(&password)).await??;
    let username = username.trim().to_lowercase();
    let id = store
        .create_account(&trappa_store::accounts::NewAccount {
            username: username.clone(),
            display_name: display_name.to_owned(),
            profession: Some("IT".to_owned()),
            hsa_id: None,
            unit_id: Some(unit),
            patient_id: None,
            partner_organisation_id: None,
            roles: vec![trappa_policy::Role::Admin],
            password_hash: hash,
            created_by: None,
        })
        .await?;
    // An administrator acts only with two factors: the first one has a key from the
    // start, shown once here, so no one who learns the password first can choose it.
    let secret = trappa_app::sessions::new_totp_secret();
    store.set_totp_secret(id, Some(&secret)).await?;
    let uri = trappa_app::sessions::totp(&secret, &username)?
        .to_url()
        .map_err(|e| anyhow::anyhow!("the key's URI: {e:?}"))?;
    tracing::info!("administrator account created");
    println!("The administrator's one-time-code key (shown once; add it to an authenticator app):");
    println!("  key: {secret}");
    println!("  URI: {uri}");
    Ok(())
}

async fn serve(cfg: config::Resolved) -> anyhow::Result<()> {
    let store = Store::open(&cfg.database_url, &PoolSettings::default())
        .await
        .with_context(|| format!("opening {}", cfg.database_url))?;
    if cfg.demo {
        load_demo(&store, &cfg.unit_name, &cfg.data_dir).await?;
    } else {
        trappa_data::reference::load(&store, &cfg.unit_name).await?;
    }
    let addr: SocketAddr = cfg
        .listen
        .parse()
        .with_context(|| format!("listen address {:?}", cfg.listen))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let state = trappa_web::AppState::new(store.clone(), cfg.web);
    let app = trappa_web::app(state);

    // Expired sessions are removed, and the access log's coming months made (on
    // PostgreSQL), at start and every ten minutes in the background.
    let sweeper_store = store.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = sweeper_store
                .delete_expired_sessions(trappa_store::now())
                .await
            {
                tracing::warn!(error = %e, "session sweep failed");
            }
            let ahead = trappa_store::access_log::PARTITION_MONTHS_AHEAD;
            match sweeper_store
                .ensure_access_log_partitions(trappa_store::now(), ahead)
                .await
            {
                Ok(0) => {}
                Ok(made) => tracing::info!(made, "access-log months made"),
                Err(e) => tracing::warn!(error = %e, "making the access log's months failed"),
            }
        }
    });

    tracing::info!(%addr, database = %cfg.database_url, data_dir = %cfg.data_dir.display(), "Trappa listening on http://{addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("shut down cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing open requests");
}
