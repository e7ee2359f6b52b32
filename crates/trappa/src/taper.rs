//! `trappa taper`: the engine from the command line. Reads the arguments (or a JSON
//! request), prints the plan as a table or JSON, and writes the handout, calendar and
//! chart files asked for. Bad input exits with status 2 and a message naming the field.

use std::io::Read;

use anyhow::Context;
use trappa_i18n::Locale;
use trappa_taper::cli::{LangArg, TaperArgs, flag_for_field, request_from_args, request_from_json};
use trappa_taper::output::{chart, handout, ics, quantities, table};
use trappa_taper::{InputError, Plan, PlanRequest, ReferenceData};

/// The JSON Schemas `--schema` prints.
#[derive(serde::Serialize)]
struct Schemas {
    request: schemars::Schema,
    plan: schemars::Schema,
    error: schemars::Schema,
}

/// Runs the command; returns the process exit status.
pub fn run(args: TaperArgs) -> anyhow::Result<i32> {
    let data = ReferenceData::builtin().context("reference data")?;
    let locale = match args.lang {
        LangArg::Sv => Locale::Sv,
        LangArg::En => Locale::En,
    };
    if args.schema {
        let schemas = Schemas {
            request: schemars::schema_for!(PlanRequest),
            plan: schemars::schema_for!(Plan),
            error: schemars::schema_for!(InputError),
        };
        println!("{}", serde_json::to_string_pretty(&schemas)?);
        return Ok(0);
    }
    if args.list {
        print!("{}", list(&data, locale));
        return Ok(0);
    }
    let today = jiff::Zoned::now().date();
    let from_json = args.input.is_some();
    let request = match &args.input {
        Some(path) => {
            let mut text = String::new();
            if path == "-" {
                std::io::stdin().read_to_string(&mut text)?;
            } else {
                text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
            }
            request_from_json(&text)
        }
        None => request_from_args(&data, &args, today),
    };
    let plan = request.and_then(|r| trappa_taper::propose(&data, &r));
    let plan = match plan {
        Ok(p) => p,
        Err(mut e) => {
            if !from_json && !e.field.starts_with("--") {
                e.field = flag_for_field(&e.field);
            }
            if args.json {
                let mut body = serde_json::to_value(&e)?;
                body["message"] = e.message(locale).into();
                eprintln!("{body}");
            } else {
                eprintln!("{}", e.message(locale));
            }
            return Ok(2);
        }
    };
    let violations = trappa_taper::check::check(&plan, &data);
    anyhow::ensure!(
        violations.is_empty(),
        "the engine broke an invariant: {violations:?}"
    );
    if args.json {
        println!("{}", serde_json::to_string_pretty(&plan)?);
    } else {
        print!("{}", table::text_table(&plan, locale));
    }
    if let Some(weeks) = args.quantities {
        let q = quantities::quantities(&plan, weeks, locale);
        if args.json {
            eprintln!("{}", serde_json::to_string_pretty(&q)?);
        } else {
            println!();
            for row in q {
                println!(
                    "{} – {}  {:<40} {} {}",
                    row.from, row.to, row.name, row.amount, row.unit
                );
            }
        }
    }
    let first_day = plan.request.start.max(today);
    if let Some(path) = &args.html {
        std::fs::write(path, handout::document(&plan, locale, first_day))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &args.pdf {
        let pdf = trappa_web::pdf::handout_pdf(&plan, locale, first_day, None)?;
        std::fs::write(path, pdf).with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &args.ics {
        let body = ics::ics(&plan, locale, "trappa-cli", jiff::Timestamp::now());
        std::fs::write(path, body).with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &args.svg {
        let svg = chart::chart_svg(&plan, locale).map_err(|e| anyhow::anyhow!("chart: {e}"))?;
        std::fs::write(path, svg).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(0)
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
