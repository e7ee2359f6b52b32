//! `trappa taper`: the engine from the command line. Reads the arguments (or a JSON
//! request), prints the plan as a table or JSON, and writes the handout, calendar and
//! chart files asked for. Bad input exits with status 2 and a message naming the field.

use std::io::{Read, Write};
use std::path::Path;

use crate::taper_args::{LangArg, TaperArgs};
use anyhow::Context;
use trappa_i18n::Locale;
use trappa_taper::error::FileFault;
use trappa_taper::flags::{RequestFlags, flag_for_field, request_from_args, request_from_json};
use trappa_taper::output::{ics, quantities, table};
use trappa_taper::{InputError, Plan, PlanRequest, Problem, ReferenceData};
use trappa_web::{chart, handout};

/// The JSON Schemas `--schema` prints.
#[derive(serde::Serialize)]
struct Schemas {
    request: schemars::Schema,
    plan: schemars::Schema,
    error: schemars::Schema,
}

/// Why the command stopped early.
enum Stop {
    /// Bad input or a file that cannot be used: a message naming the option, status 2.
    Input(InputError),
    /// Whoever read the output stopped reading (`trappa taper --schema | head`): not an
    /// error, status 0.
    Closed,
    /// Trappa's own failure: status 1.
    Failed(anyhow::Error),
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Stop {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Stop::Closed
        } else {
            Stop::Failed(e.into())
        }
    }
}

impl From<anyhow::Error> for Stop {
    fn from(e: anyhow::Error) -> Stop {
        Stop::Failed(e)
    }
}

impl From<serde_json::Error> for Stop {
    fn from(e: serde_json::Error) -> Stop {
        Stop::Failed(e.into())
    }
}

/// Writes to standard output; a closed pipe stops the command quietly.
fn out(text: &str) -> Result<(), Stop> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Writes to standard error, ignoring a closed one (there is nowhere left to say it).
fn err(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Writes an output file; a path that cannot be written is the option's error.
fn write_file(flag: &str, path: &Path, body: &[u8]) -> Result<(), Stop> {
    std::fs::write(path, body).map_err(|e| {
        Stop::Input(InputError::new(
            flag,
            Problem::FileWrite {
                path: path.display().to_string(),
                fault: FileFault::of(&e),
            },
        ))
    })
}

/// Reads the `--input` request: a file, or standard input for `-`.
fn read_input(path: &str) -> Result<Vec<u8>, InputError> {
    let mut bytes = Vec::new();
    let read = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    read.map_err(|e| {
        InputError::new(
            "--input",
            Problem::FileRead {
                path: path.to_owned(),
                fault: FileFault::of(&e),
            },
        )
    })?;
    Ok(bytes)
}

/// Runs the command; returns the process exit status.
pub fn run(args: TaperArgs) -> anyhow::Result<i32> {
    let locale = match args.lang {
        LangArg::Sv => Locale::Sv,
        LangArg::En => Locale::En,
    };
    let json = args.json;
    match plan_and_write(args, locale) {
        Ok(()) | Err(Stop::Closed) => Ok(0),
        Err(Stop::Input(e)) => {
            if json {
                let mut body = serde_json::to_value(&e)?;
                body["message"] = e.message(locale).into();
                err(&body.to_string());
            } else {
                err(&e.message(locale));
            }
            Ok(2)
        }
        Err(Stop::Failed(e)) => Err(e),
    }
}

fn plan_and_write(args: TaperArgs, locale: Locale) -> Result<(), Stop> {
    let data = ReferenceData::builtin().context("reference data")?;
    if args.schema {
        let schemas = Schemas {
            request: schemars::schema_for!(PlanRequest),
            plan: schemars::schema_for!(Plan),
            error: schemars::schema_for!(InputError),
        };
        return out(&format!("{}\n", serde_json::to_string_pretty(&schemas)?));
    }
    if args.list {
        return out(&list(&data, locale));
    }
    // Today as the unit lives it, whatever the machine's zone.
    let today = trappa_app::clock::today();
    let flags = RequestFlags::from(args.request.clone());
    let request = match &args.input {
        Some(path) => match flags.given().first() {
            Some(flag) => Err(InputError::new(
                *flag,
                Problem::Conflict {
                    with: "--input".into(),
                },
            )),
            None => read_input(path).and_then(|bytes| request_from_json(&bytes)),
        },
        None => request_from_args(&data, &flags, today).map_err(|mut e| {
            if !e.field.starts_with("--") {
                e.field = flag_for_field(&e.field);
            }
            e
        }),
    };
    let from_json = args.input.is_some();
    let plan = request
        .and_then(|r| trappa_taper::propose(&data, &r))
        .map_err(|mut e| {
            if !from_json && !e.field.starts_with("--") {
                e.field = flag_for_field(&e.field);
            }
            Stop::Input(e)
        })?;
    let violations = trappa_taper::check::check(&plan, &data);
    if !violations.is_empty() {
        return Err(Stop::Failed(anyhow::anyhow!(
            "the engine broke an invariant: {violations:?}"
        )));
    }
    // The files first: a reader that stops reading the table early (a closed pipe)
    // must not cost the handout or the calendar.
    let first_day = plan.request.start.max(today);
    if let Some(path) = &args.html {
        let html = handout::document(&plan, locale, first_day);
        write_file("--html", path, html.as_bytes())?;
    }
    if let Some(path) = &args.pdf {
        let pdf = trappa_web::pdf::handout_pdf(&plan, locale, first_day, None)?;
        write_file("--pdf", path, &pdf)?;
    }
    if let Some(path) = &args.ics {
        let body = ics::ics(&plan, locale, "trappa-cli", jiff::Timestamp::now());
        write_file("--ics", path, body.as_bytes())?;
    }
    if let Some(path) = &args.svg {
        let svg = chart::chart_svg(&plan, locale).map_err(|e| anyhow::anyhow!("chart: {e}"))?;
        write_file("--svg", path, svg.as_bytes())?;
    }
    if args.json {
        out(&format!("{}\n", serde_json::to_string_pretty(&plan)?))?;
    } else {
        out(&table::text_table(&plan, locale))?;
    }
    if let Some(weeks) = args.quantities {
        let q = quantities::quantities(&plan, weeks, locale);
        if args.json {
            err(&serde_json::to_string_pretty(&q)?);
        } else {
            let mut text = String::from("\n");
            for row in q {
                text.push_str(&format!(
                    "{} – {}  {:<40} {} {}\n",
                    row.from, row.to, row.name, row.amount, row.unit
                ));
            }
            out(&text)?;
        }
    }
    Ok(())
}

fn list(data: &ReferenceData, locale: Locale) -> String {
    use std::fmt::Write;
    use trappa_taper::text::T;
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", T::TBL_DATA.get(locale), data.version);
    let _ = writeln!(out, "\n{}", T::LIST_SUBSTANCES.get(locale));
    for s in &data.substances {
        let ddd = s
            .ddd_mg
            .as_ref()
            .map(|d| format!("{} [{:?}]", d.value, d.status))
            .unwrap_or_else(|| "–".into());
        let _ = writeln!(out, "  {:<14} {:<14} {:<8} {ddd}", s.id, s.name, s.atc);
    }
    let _ = writeln!(
        out,
        "\nProdukter (id, namn, delbarhet, typ [styrka/delning status]):"
    );
    for p in &data.products {
        let _ = writeln!(
            out,
            "  {:<24} {:<44} {:<8} {:<15} [{:?}/{:?}]{}",
            p.id,
            p.display_name(),
            format!("{:?}", p.divisible.value).to_lowercase(),
            format!("{:?}", p.kind).to_lowercase(),
            p.strength.status,
            p.divisible.status,
            if p.enabled {
                String::new()
            } else {
                format!(" {}", T::LIST_DISABLED.get(locale))
            }
        );
    }
    let _ = writeln!(out, "\n{}", T::LIST_TABLES.get(locale));
    for t in &data.tables {
        let default = t.id == data.default_de_table || t.id == data.default_mme_table;
        let _ = writeln!(
            out,
            "  {}{:<18} {:<4} {}",
            if default { "*" } else { " " },
            t.id,
            t.unit.label(),
            t.name
        );
        for f in &t.factors {
            let _ = writeln!(
                out,
                "      {:<14} {:<11} {:<7} [{:?}] {}",
                f.substance,
                format!("{:?}", f.route).to_lowercase(),
                f.factor.value,
                f.factor.status,
                f.factor.source
            );
        }
    }
    out
}
