//! `trappa bench-planning`: the planner side by side with the two baselines on one
//! generated week, in one run — km, hours, visits in person and digital, continuity, what
//! is left unplanned, and the time taken. Every plan is checked by the independent
//! checker first; a plan that breaks a constraint fails the benchmark.

use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use trappa_planning::baseline::greedy;
use trappa_planning::check::check;
use trappa_planning::kpi::{Kpi, kpi, one_trip_per_visit};
use trappa_planning::model::{Plan, Problem};
use trappa_planning::planner::{Settings, plan};
use trappa_planning::travel::{Travel, TravelModel};

/// Options of the benchmark.
#[derive(Debug, Args)]
pub struct BenchPlanningArgs {
    /// The week's Monday.
    #[arg(long, default_value = "2026-12-07")]
    monday: jiff::civil::Date,
    /// Active patients.
    #[arg(long, default_value_t = 150)]
    patients: usize,
    /// Seed of the generated week.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Seconds the planner may search.
    #[arg(long, default_value_t = Settings::default().max_seconds)]
    seconds: f64,
    /// What a digital visit costs the planner, in km of driving.
    #[arg(long, default_value_t = Settings::default().digital_penalty_km)]
    digital_penalty_km: f64,
    /// Threads the planner may use.
    #[arg(long, default_value_t = Settings::default().threads)]
    threads: usize,
    /// An OSRM server whose `table` service gives road km and minutes (default: the
    /// great-circle model).
    #[arg(long)]
    osrm_url: Option<String>,
}

/// Road km and minutes between every place of the week, from an OSRM server.
fn road_table(url: &str, problem: &Problem) -> anyhow::Result<Travel> {
    let table = tokio::runtime::Handle::current()
        .block_on(trappa_app::planning::fetch_table(url, problem.places()))?;
    Ok(Travel::Table(table, TravelModel::default()))
}

/// Visits given to their usual clinician, as a count.
fn kept(problem: &Problem, plan: &Plan) -> usize {
    plan.routes
        .iter()
        .flat_map(|r| r.stops.iter().map(move |s| (r, s)))
        .filter(|(r, s)| {
            problem
                .visit(&s.visit)
                .and_then(|v| v.preferred.as_ref())
                .is_some_and(|p| *p == r.staff)
        })
        .count()
}

fn row(name: &str, k: &Kpi, kept: usize, seconds: f64) {
    println!(
        "| {name} | {:.0} | {:.1} | {} | {} | {:.3} ({kept}) | {} | {:.2} | {seconds:.2} s |",
        k.km, k.hours, k.in_person, k.digital, k.continuity, k.unassigned, k.visits_per_staff_day,
    );
}

/// Runs the benchmark and prints a Markdown table. Blocking: call it off the async
/// runtime's workers (`spawn_blocking`).
pub fn run(args: BenchPlanningArgs) -> anyhow::Result<()> {
    let mut problem =
        trappa_data::planning_week::generated_week(args.monday, args.patients, args.seed)
            .context("generating the week")?;
    if let Some(url) = &args.osrm_url {
        problem.travel = road_table(url, &problem).context("reading the OSRM table")?;
    }
    println!(
        "week of {}: {} staff-days, {} vårdcentraler, {} rooms lent, {} visits\n",
        args.monday,
        problem.staff_days.len(),
        problem.sites.len(),
        problem.rooms.len(),
        problem.visits.len()
    );
    println!(
        "| plan | km | hours driven | in person | digital | continuity (visits) | unplanned | visits per staff-day | time |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let started = Instant::now();
    let baseline = greedy(&problem);
    let greedy_seconds = started.elapsed().as_secs_f64();
    let violations = check(&problem, &baseline);
    if !violations.is_empty() {
        bail!("the greedy plan breaks constraints: {violations:?}");
    }
    let single = one_trip_per_visit(&problem, &baseline);
    row(
        "one trip per visit (greedy's visits)",
        &single,
        kept(&problem, &baseline),
        greedy_seconds,
    );
    let g = kpi(&problem, &baseline);
    row(
        "greedy: by vårdcentral, nearest first",
        &g,
        kept(&problem, &baseline),
        greedy_seconds,
    );
    let settings = Settings {
        max_seconds: args.seconds,
        digital_penalty_km: args.digital_penalty_km,
        threads: args.threads,
        ..Settings::default()
    };
    for (name, penalty) in [
        ("planner, in person first", 1000.0),
        ("planner", settings.digital_penalty_km),
        ("planner, video first", settings.digital_penalty_km / 2.0),
    ] {
        let started = Instant::now();
        let planned = plan(
            &problem,
            &Settings {
                digital_penalty_km: penalty,
                ..settings.clone()
            },
        )?;
        let seconds = started.elapsed().as_secs_f64();
        let violations = check(&problem, &planned);
        if !violations.is_empty() {
            bail!("the planner's plan breaks constraints: {violations:?}");
        }
        let name = format!("{name} (digital = {penalty:.0} km)");
        row(
            &name,
            &kpi(&problem, &planned),
            kept(&problem, &planned),
            seconds,
        );
    }
    Ok(())
}
