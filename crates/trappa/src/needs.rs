//! `trappa generate-dispensing`, `trappa needs` and `trappa bench-needs`: the synthetic
//! dispensing file, the needs analysis of a file (streamed, with a progress bar on
//! standard error), and the analysis side by side with DuckDB on the same file.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use jiff::civil::Date;
use trappa_needs::analysis::{Needs, Settings, analyse};
use trappa_needs::generate::{Options, Region, generate};
use trappa_needs::imported::{DOCUMENT, Imported};

/// Options of `generate-dispensing`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Rows to write.
    #[arg(long, default_value_t = 1_000_000)]
    rows: u64,
    /// The file to write.
    #[arg(long)]
    out: PathBuf,
    /// The last day of the data [default: yesterday].
    #[arg(long)]
    last_day: Option<Date>,
    /// Seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

/// Options of `needs`.
#[derive(Debug, Args)]
pub struct NeedsArgs {
    /// The dispensing file (CSV with the header
    /// patient,date,atc,product,strength,quantity,ddd,prescriber_unit,municipality,sex,age_band).
    #[arg(long)]
    file: PathBuf,
    /// The last day of the twelve months counted [default: the day before today].
    #[arg(long)]
    reference: Option<Date>,
    /// Print the result as JSON instead of a summary.
    #[arg(long)]
    json: bool,
    /// Save the analysis in the database for the needs page, authored by this account
    /// (one that may read aggregates: an analyst or the unit manager). Saved only when
    /// the whole file was read.
    #[arg(long, value_name = "USERNAME")]
    pub save_as: Option<String>,
}

/// Options of `bench-needs`.
#[derive(Debug, Args)]
pub struct BenchNeedsArgs {
    /// Rows in the generated file (made once, then reused).
    #[arg(long, default_value_t = 10_000_000)]
    rows: u64,
    /// Where the file is kept.
    #[arg(long, default_value = "target/bench/dispensing.csv")]
    file: PathBuf,
}

fn yesterday() -> Date {
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Europe/Stockholm").unwrap_or(jiff::tz::TimeZone::UTC))
        .date();
    today.yesterday().unwrap_or(today)
}

/// The region's municipalities with their populations, and its vårdcentraler.
pub fn region() -> anyhow::Result<Region> {
    let municipalities = trappa_data::reference::municipalities()?
        .into_iter()
        .filter_map(|m| Some((m.kommunkod?, u64::try_from(m.population?).ok()?)))
        .collect();
    let health_centres = trappa_data::reference::health_centres()?
        .into_iter()
        .filter_map(|u| Some((u.code, u.kommunkod?)))
        .collect();
    Ok(Region {
        municipalities,
        health_centres,
    })
}

fn populations(region: &Region) -> HashMap<String, u64> {
    region.municipalities.iter().cloned().collect()
}

/// Writes a synthetic file.
pub fn generate_file(args: GenerateArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let file = std::fs::File::create(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let rows = generate(
        file,
        &region()?,
        Options {
            rows: args.rows,
            last_day: args.last_day.unwrap_or_else(yesterday),
            seed: args.seed,
        },
    )?;
    eprintln!(
        "{rows} rows written to {} in {:.1} s",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The process's peak resident memory, in MiB (Linux).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Analyses a file with a progress bar on standard error.
fn run(file: &Path, reference: Date, region: &Region) -> anyhow::Result<Needs> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("reading {}", file.display()))?
        .len()
        .max(1);
    let input = std::fs::File::open(file)?;
    let mut last = 0;
    let mut progress = |bytes: u64| {
        let percent = bytes * 100 / size;
        if percent != last {
            last = percent;
            let bar = "#".repeat((percent / 4) as usize);
            eprint!("\r[{bar:<25}] {percent:>3} %");
            let _ = std::io::stderr().flush();
        }
    };
    let needs = analyse(
        std::io::BufReader::with_capacity(1 << 20, input),
        Settings::vgr(reference),
        &populations(region),
        &mut progress,
    )?;
    eprintln!();
    Ok(needs)
}

/// The rows the demo's dispensing file holds: a little over the region's year.
const DEMO_ROWS: u64 = 1_200_000;

/// Saves `imported` as the tapering unit's latest needs analysis, authored by
/// `username`, who must be allowed to read aggregates.
pub async fn save(
    store: &trappa_store::Store,
    imported: &Imported,
    username: &str,
    reason: &str,
) -> anyhow::Result<i64> {
    let account = store
        .credentials(username)
        .await?
        .with_context(|| format!("no account {username}"))?
        .account;
    anyhow::ensure!(
        account
            .roles
            .iter()
            .any(|r| trappa_policy::allows(*r, trappa_policy::Permission::ReadAggregates)),
        "{username} may not read aggregates (an analyst or the unit manager saves analyses)"
    );
    let unit = store
        .units(trappa_store::units::UnitKind::TaperingUnit)
        .await?
        .into_iter()
        .next()
        .context("no tapering unit: run trappa demo or load the reference data first")?;
    let current = store
        .document(unit.id, DOCUMENT)
        .await?
        .map_or(0, |d| d.version);
    Ok(store
        .save_document(
            unit.id,
            DOCUMENT,
            current,
            &serde_json::to_string(imported)?,
            account.id,
            reason,
        )
        .await?)
}

/// `trappa needs --save-as`: the analysis of a file, saved for the needs page.
pub async fn import(store: &trappa_store::Store, args: NeedsArgs) -> anyhow::Result<()> {
    let username = args.save_as.clone().context("--save-as")?;
    let region = region()?;
    let reference = args.reference.unwrap_or_else(yesterday);
    let file = args.file.clone();
    let r = region.clone();
    let needs = tokio::task::spawn_blocking(move || run(&file, reference, &r)).await??;
    let imported = Imported {
        source: args
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        reference,
        population: region.municipalities.iter().map(|m| m.1).sum(),
        needs,
    };
    let version = save(store, &imported, &username, "Import av utlämningsdata").await?;
    eprintln!(
        "{} rows ({} refused) saved as version {version} of the needs analysis",
        imported.needs.rows, imported.needs.refused.total
    );
    Ok(())
}

/// The demo's dispensing data: a year of the region generated into `dir` (once), its
/// analysis saved by the demo analyst unless one is saved already.
pub async fn demo(store: &trappa_store::Store, dir: &Path) -> anyhow::Result<bool> {
    let unit = store
        .units(trappa_store::units::UnitKind::TaperingUnit)
        .await?
        .into_iter()
        .next()
        .context("no tapering unit")?;
    if store.document(unit.id, DOCUMENT).await?.is_some() {
        return Ok(false);
    }
    let file = dir.join("demo-dispensing.csv");
    let region = region()?;
    let reference = yesterday();
    let (f, r) = (file.clone(), region.clone());
    let needs = tokio::task::spawn_blocking(move || -> anyhow::Result<Needs> {
        let out = std::fs::File::create(&f).with_context(|| format!("creating {}", f.display()))?;
        generate(
            out,
            &r,
            Options {
                rows: DEMO_ROWS,
                last_day: reference,
                seed: 7,
            },
        )?;
        let input = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&f)?);
        Ok(analyse(
            input,
            Settings::vgr(reference),
            &populations(&r),
            &mut |_| {},
        )?)
    })
    .await??;
    let imported = Imported {
        source: "demo-dispensing.csv".to_owned(),
        reference,
        population: region.municipalities.iter().map(|m| m.1).sum(),
        needs,
    };
    save(
        store,
        &imported,
        "analytiker",
        "Demo: genererat utlämningsunderlag för regionen",
    )
    .await?;
    Ok(true)
}

/// `trappa needs`.
pub fn needs(args: NeedsArgs) -> anyhow::Result<()> {
    let region = region()?;
    let started = Instant::now();
    let n = run(
        &args.file,
        args.reference.unwrap_or_else(yesterday),
        &region,
    )?;
    let seconds = started.elapsed().as_secs_f64();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&n)?);
        return Ok(());
    }
    println!(
        "{} rows ({} refused), {} patients; window {} – {}; {seconds:.2} s, peak {:.0} MiB",
        n.rows,
        n.refused.total,
        n.patients,
        n.window.0,
        n.window.1,
        peak_mib().unwrap_or(0.0)
    );
    for g in &n.groups {
        println!(
            "{:?}: {} users, {} long-term ({:.1} per 1,000 in the region)",
            g.group,
            g.users,
            g.long_term,
            g.long_term as f64 * 1000.0
                / region
                    .municipalities
                    .iter()
                    .map(|m| m.1)
                    .sum::<u64>()
                    .max(1) as f64
        );
        for a in g.per_unit.iter().take(5) {
            println!("    {} {}", a.code, a.users);
        }
    }
    println!("concurrent benzodiazepines and opioids: {}", n.concurrent);
    let population: u64 = region.municipalities.iter().map(|m| m.1).sum();
    let a = trappa_needs::estimate::Assumptions::default();
    let e = trappa_needs::estimate::estimate(&n, population, &a);
    println!(
        "estimate ({:.0} % a year, {:.0} patients per clinician-year, teams of {:.0}; status U): \
         {:.0} patients a year, {:.1} clinicians, {:.1} teams, {:.2} per 250,000 inhabitants",
        a.uptake_per_year * 100.0,
        a.patients_per_clinician_year,
        a.clinicians_per_team,
        e.patients_a_year,
        e.clinicians,
        e.teams,
        e.teams_per_250k
    );
    for m in n.refused.first.iter().take(20) {
        println!("line {}: {}", m.line, m.reason);
    }
    Ok(())
}

/// `trappa bench-needs`: our analysis, then DuckDB's count of the same long-term users
/// from the same file, side by side; the counts must agree.
pub fn bench(args: BenchNeedsArgs) -> anyhow::Result<()> {
    let region = region()?;
    let reference = Date::constant(2026, 10, 31);
    if !args.file.exists() {
        if let Some(dir) = args.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        generate_file(GenerateArgs {
            rows: args.rows,
            out: args.file.clone(),
            last_day: Some(reference),
            seed: 7,
        })?;
    }
    let bytes = std::fs::metadata(&args.file)?.len();
    let started = Instant::now();
    let n = run(&args.file, reference, &region)?;
    let ours = started.elapsed().as_secs_f64();
    let ours_mib = peak_mib().unwrap_or(0.0);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/needs_duckdb.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&args.file)
        .arg(reference.to_string())
        .output()
        .context("running python3 scripts/needs_duckdb.py (pip install duckdb)")?;
    if !out.status.success() {
        bail!("DuckDB: {}", String::from_utf8_lossy(&out.stderr));
    }
    let duck: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let duck_counts: Vec<u64> = ["benzodiazepines", "opioids", "pregabalin"]
        .iter()
        .map(|g| duck["long_term"][g].as_u64().unwrap_or(0))
        .collect();
    let ours_counts: Vec<u64> = n.groups.iter().map(|g| g.long_term).collect();
    println!(
        "file: {} rows, {:.0} MiB; window {} – {}\n",
        n.rows,
        bytes as f64 / 1048576.0,
        n.window.0,
        n.window.1
    );
    println!("| engine | time | peak memory | long-term: benzodiazepines | opioids | pregabalin |");
    println!("|---|---:|---:|---:|---:|---:|");
    println!(
        "| trappa needs (two threads, streaming) | {ours:.2} s | {ours_mib:.0} MiB | {} | {} | {} |",
        ours_counts[0], ours_counts[1], ours_counts[2]
    );
    println!(
        "| DuckDB {} (Python, all cores) | {:.2} s | {:.0} MiB | {} | {} | {} |",
        duck["version"].as_str().unwrap_or("?"),
        duck["seconds"].as_f64().unwrap_or(0.0),
        duck["peak_mib"].as_f64().unwrap_or(0.0),
        duck_counts[0],
        duck_counts[1],
        duck_counts[2]
    );
    if duck_counts != ours_counts {
        bail!("the counts differ: ours {ours_counts:?}, DuckDB's {duck_counts:?}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use trappa_data::demo::DemoSize;

    fn args(file: &Path, save_as: &str) -> NeedsArgs {
        NeedsArgs {
            file: file.to_owned(),
            reference: Some(Date::constant(2026, 10, 31)),
            json: false,
            save_as: Some(save_as.to_owned()),
        }
    }

    /// An import is saved whole or not at all: a file with the wrong header and an
    /// account that may not read aggregates leave nothing; a good file with a bad row is
    /// saved once, its row refused by line.
    #[tokio::test]
    async fn an_import_completes_or_leaves_nothing() {
        let store = trappa_store::testing::fresh_sqlite().await;
        let (unit, _) = trappa_data::reference::load(&store, "Testenheten")
            .await
            .unwrap();
        trappa_data::demo::load(&store, unit, "$argon2id$placeholder", DemoSize::Compact)
            .await
            .unwrap();
        let dir = trappa_store::testing::test_dir().join(format!(
            "needs-import-{}",
            trappa_store::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let saved = || async { store.document(unit, DOCUMENT).await.unwrap() };

        let wrong = dir.join("wrong.csv");
        std::fs::write(&wrong, "patient;date\np1;2026-01-01\n").unwrap();
        let e = import(&store, args(&wrong, "analytiker"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("header"), "{e}");
        assert!(saved().await.is_none(), "a refused file saves nothing");

        let good = dir.join("good.csv");
        let mut text = trappa_needs::dispensing::HEADER.join(",") + "\n";
        for month in 1..=10 {
            text.push_str(&format!(
                "p1,2026-{month:02}-15,N05BA04,Oxascand,10 mg,100,60,vc:test,1440,F,45-64\n"
            ));
        }
        text.push_str("p2,2026-05-15,N05BA04,Oxascand,10 mg,-1,60,vc:test,1440,F,45-64\n");
        std::fs::write(&good, text).unwrap();
        let e = import(&store, args(&good, "koordinator"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("may not read aggregates"), "{e}");
        assert!(
            saved().await.is_none(),
            "nor does an account without the right"
        );

        import(&store, args(&good, "analytiker")).await.unwrap();
        let doc = saved().await.expect("saved");
        assert_eq!(doc.version, 1);
        let imported: Imported = serde_json::from_str(&doc.body).unwrap();
        assert_eq!(imported.source, "good.csv");
        assert_eq!((imported.needs.rows, imported.needs.refused.total), (11, 1));
        assert_eq!(imported.needs.refused.first[0].line, 12);
        assert_eq!(imported.needs.groups[0].long_term, 1);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
