//! The report as files that leave Trappa: the long CSV and the annual report PDF,
//! each logged as an export.

use crate::access::Authed;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::Query;
use crate::i18n::{C, M};
use crate::pdf::Block;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use trappa_app::clock::today;
use trappa_i18n::fill;
use trappa_reporting::publish::{Dimension, Measure, Value};
use trappa_reporting::text::measure_text;

use super::*;

/// A value for the CSV as Swedish Excel reads a number (decimal comma, shares as
/// fractions), hidden as "dold", empty as "".
pub(super) fn value_csv(ctx: &Ctx, v: Value) -> String {
    use trappa_i18n::format::plain;
    match v {
        Value::Count(n) => n.to_string(),
        Value::Days(d) => d.to_string(),
        Value::Share(s) => plain(s, 4, ctx.locale),
        Value::Percent(p) => plain(p, 1, ctx.locale),
        Value::Suppressed => ctx.t(&C::CSV_HIDDEN).to_owned(),
        Value::NoData => String::new(),
    }
}

/// `GET /rapport.csv`: every table of the report in one long CSV (table, key, measure,
/// value), hidden cells as `suppressed`.
pub async fn report_csv(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    headers: axum::http::HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let r = match build_or_form(&state, &ctx, &user, &headers, &q, "report.csv").await? {
        Ok(r) => r,
        Err(form) => return Ok(form),
    };
    let mut w = crate::download::Csv::new();
    w.text_row([
        ctx.t(&C::CSV_TABLE),
        ctx.t(&C::CSV_KEY),
        ctx.t(&C::CSV_NAME),
        ctx.t(&C::CSV_MEASURE),
        ctx.t(&C::CSV_VALUE),
    ])?;
    let period = format!("{} – {}", r.period.from, r.period.to);
    let measure = |m: Measure| ctx.t(trappa_reporting::text::measure_text(m).0);
    let mut row = |table: &str, key: &str, label: &str, measure: &str, value: String| {
        use crate::download::Cell::{Number, Text};
        w.row(&[
            Text(table),
            Text(key),
            Text(label),
            Text(measure),
            Number(&value),
        ])
    };
    let overall = ctx.t(&C::CSV_OVERALL);
    for (m, v) in Measure::ALL.iter().zip(&r.overall) {
        row(overall, "", &period, measure(*m), value_csv(&ctx, *v))?;
    }
    for (d, t, names) in &r.splits {
        let table = fill(
            ctx.t(&C::CSV_BY),
            &[("what", &ctx.t(dimension_msg(*d)).to_lowercase())],
        );
        for ((key, name), values) in t.keys.iter().zip(names).zip(&t.rows) {
            for (m, v) in Measure::ALL.iter().zip(values) {
                row(&table, key, name, measure(*m), value_csv(&ctx, *v))?;
            }
        }
    }
    let by_quarter = ctx.t(&C::CSV_BY_QUARTER);
    for ((key, label), values) in r.trend.keys.iter().zip(&r.trend_labels).zip(&r.trend.rows) {
        for (m, v) in Measure::ALL.iter().zip(values) {
            row(by_quarter, key, label, measure(*m), value_csv(&ctx, *v))?;
        }
    }
    let reach_table = ctx.t(&C::CSV_REACH);
    for ReachRow { reach, name, .. } in &r.reach {
        let code = &reach.code;
        let population = reach.population.to_string();
        row(
            reach_table,
            code,
            name,
            ctx.t(&C::CSV_POPULATION),
            population,
        )?;
        let patients = value_csv(&ctx, reach.patients);
        row(reach_table, code, name, ctx.t(&C::CSV_PATIENTS), patients)?;
        let rate = reach
            .per_100k
            .map(|v| trappa_i18n::format::plain(v, 2, ctx.locale))
            .unwrap_or_default();
        row(reach_table, code, name, ctx.t(&C::CSV_PER_100K), rate)?;
    }
    for (label, v) in &r.declined {
        let table = ctx.t(&C::CSV_DECLINED);
        row(
            table,
            "",
            label,
            measure(Measure::Declined),
            value_csv(&ctx, *v),
        )?;
    }
    for (label, v) in &r.redirected {
        let table = ctx.t(&C::CSV_REDIRECTED);
        row(
            table,
            "",
            label,
            measure(Measure::Redirected),
            value_csv(&ctx, *v),
        )?;
    }
    let c = &r.costs;
    for (name, v) in [
        (&M::REPORT_BUDGET_YEAR, Some(c.annual_budget)),
        (&M::REPORT_BUDGET_PERIOD, Some(c.period_budget)),
        (&M::REPORT_COST_PER_PATIENT, c.per_patient),
        (&M::REPORT_COST_PER_COMPLETED, c.per_completed),
        (&M::REPORT_KM, Some(c.km)),
    ] {
        let value = v
            .map(|v| trappa_i18n::format::plain(v, 0, ctx.locale))
            .unwrap_or_default();
        row(ctx.t(&C::CSV_COSTS), "", &period, ctx.t(name), value)?;
    }
    w.download(&format!(
        "uppfoljning-{}-{}.csv",
        r.period.from, r.period.to
    ))
}

/// `GET /rapport.pdf`: the annual report for the board — key figures, trends, the
/// splits by substance group, sex and age band, reach, reasons, costs and the
/// definition of every measure.
pub async fn report_pdf(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    headers: axum::http::HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let r = match build_or_form(&state, &ctx, &user, &headers, &q, "report.pdf").await? {
        Ok(r) => r,
        Err(form) => return Ok(form),
    };
    let p = &r.period;
    let blocks = report_blocks(&ctx, &r);
    let title = ctx.t(&M::REPORT_PDF_TITLE);
    let preamble = vec![
        fill(
            ctx.t(&M::REPORT_PERIOD),
            &[("from", &p.from.to_string()), ("to", &p.to.to_string())],
        ),
        fill(
            ctx.t(&M::REPORT_MADE),
            &[("date", &today().to_string()), ("who", &user.display_name)],
        ),
    ];
    let footer = ctx.t(&M::REPORT_PDF_FOOTER);
    let pdf = crate::work::run(&state, "report_pdf", move |_| {
        crate::pdf::report_pdf(&crate::pdf::Report {
            title,
            preamble,
            blocks,
            footer,
        })
    })
    .await??;
    Ok(crate::download::pdf(
        &format!("arsrapport-{}-{}.pdf", p.from, p.to),
        pdf,
    ))
}

/// The annual report's blocks: key figures, trends, the splits, reach, reasons, costs
/// and the definitions.
fn report_blocks(ctx: &Ctx, r: &Report) -> Vec<Block> {
    let mut blocks = vec![
        Block::Text(ctx.t(&M::REPORT_LEAD).to_owned()),
        Block::Text(ctx.t(&M::REPORT_SUPPRESSION_NOTE).to_owned()),
        Block::Heading(ctx.t(&M::REPORT_KEY_FIGURES).to_owned()),
        Block::Table {
            columns: vec![
                (ctx.t(&M::REPORT_MEASURE).to_owned(), 3.0),
                (ctx.t(&M::REPORT_VALUE).to_owned(), 1.0),
            ],
            rows: Measure::ALL
                .iter()
                .zip(&r.overall)
                .map(|(m, v)| vec![ctx.t(measure_text(*m).0).to_owned(), value_text(*v)])
                .collect(),
        },
        Block::Heading(ctx.t(&M::REPORT_TRENDS).to_owned()),
    ];
    for (measure, title) in [
        (Measure::Received, &M::REPORT_TREND_RECEIVED),
        (Measure::Active, &M::REPORT_TREND_ACTIVE),
    ] {
        blocks.push(Block::Bars {
            title: ctx.t(title).to_owned(),
            bars: r
                .trend_labels
                .iter()
                .zip(r.trend.column(measure))
                .map(|(l, v)| (l.clone(), v.number()))
                .collect(),
        });
    }
    blocks.extend(split_blocks(ctx, r));
    blocks.extend(reach_reasons_and_costs(ctx, r));
    blocks.extend(definitions(ctx));
    blocks
}

/// A table per split — substance group, sex, age band, municipality — with its total.
fn split_blocks(ctx: &Ctx, r: &Report) -> Vec<Block> {
    let mut blocks = Vec::new();
    let split_columns = |first: String| -> Vec<(String, f32)> {
        std::iter::once((first, 2.2))
            .chain(
                SPLIT_COLUMNS
                    .iter()
                    .map(|m| (ctx.t(measure_text(*m).0).to_owned(), 1.0)),
            )
            .collect()
    };
    for (d, t, names) in r.splits.iter().filter(|(d, _, _)| {
        matches!(
            d,
            Dimension::Group | Dimension::Sex | Dimension::AgeBand | Dimension::Municipality
        )
    }) {
        blocks.push(Block::Heading(fill(
            ctx.t(&M::REPORT_BY),
            &[("split", &ctx.t(dimension_msg(*d)).to_lowercase())],
        )));
        let mut rows: Vec<Vec<String>> = names
            .iter()
            .zip(&t.rows)
            .map(|(name, row)| {
                std::iter::once(name.clone())
                    .chain(split_cells(row))
                    .collect()
            })
            .collect();
        if let Some(total) = &t.total {
            rows.push(
                std::iter::once(ctx.t(&M::REPORT_TOTAL).to_owned())
                    .chain(split_cells(total))
                    .collect(),
            );
        }
        blocks.push(Block::Table {
            columns: split_columns(ctx.t(dimension_msg(*d)).to_owned()),
            rows,
        });
    }
    blocks
}

/// Reach per municipality (lowest first), the reasons referrals were declined or
/// redirected, and the costs.
fn reach_reasons_and_costs(ctx: &Ctx, r: &Report) -> Vec<Block> {
    let mut blocks = Vec::new();
    blocks.push(Block::Heading(ctx.t(&M::REPORT_REACH).to_owned()));
    blocks.push(Block::Text(ctx.t(&M::REPORT_REACH_LEAD).to_owned()));
    blocks.push(Block::Table {
        columns: vec![
            (ctx.t(&M::REPORT_DIM_MUNICIPALITY).to_owned(), 2.0),
            (ctx.t(&M::REPORT_POPULATION).to_owned(), 1.0),
            (ctx.t(&M::REPORT_REACHED).to_owned(), 1.0),
            (ctx.t(&M::REPORT_PER_100K).to_owned(), 1.0),
        ],
        rows: lowest_reach_first(&r.reach)
            .into_iter()
            .map(|ReachRow { reach, name, .. }| {
                vec![
                    name.clone(),
                    trappa_i18n::format::integer(reach.population as i64, trappa_i18n::Locale::Sv),
                    value_text(reach.patients),
                    reach.per_100k.map_or("–".to_owned(), |v| {
                        trappa_i18n::format::decimal(v, 1, trappa_i18n::Locale::Sv)
                    }),
                ]
            })
            .collect(),
    });
    blocks.push(Block::Heading(ctx.t(&M::REPORT_REASONS).to_owned()));
    for (caption, rows) in [
        (&M::REPORT_DECLINED_BY_REASON, &r.declined),
        (&M::REPORT_REDIRECTED_TO, &r.redirected),
    ] {
        blocks.push(Block::Table {
            columns: vec![
                (ctx.t(caption).to_owned(), 3.0),
                (ctx.t(&M::REPORT_COUNT).to_owned(), 1.0),
            ],
            rows: rows
                .iter()
                .map(|(l, v)| vec![l.clone(), value_text(*v)])
                .collect(),
        });
    }
    blocks.push(Block::Heading(ctx.t(&M::REPORT_COSTS).to_owned()));
    blocks.push(Block::Table {
        columns: vec![(String::new(), 3.0), (String::new(), 1.5)],
        rows: cost_rows(ctx, &r.costs)
            .into_iter()
            .map(|(l, v)| vec![l.to_owned(), v])
            .collect(),
    });
    blocks
}

/// Every measure's definition, and those of reach, costs and suppression.
fn definitions(ctx: &Ctx) -> Vec<Block> {
    let mut blocks = Vec::new();
    blocks.push(Block::Heading(ctx.t(&M::REPORT_DEFINITIONS).to_owned()));
    for m in Measure::ALL {
        let (name, def) = measure_text(m);
        blocks.push(Block::Text(format!("{}: {}", ctx.t(name), ctx.t(def))));
    }
    for (name, def) in [
        (&M::REPORT_REACHED, &M::REPORT_REACH_DEF),
        (&M::REPORT_COST_PER_PATIENT, &M::REPORT_COSTS_DEF),
        (&M::REPORT_SUPPRESSION, &M::REPORT_SUPPRESSION_DEF),
    ] {
        blocks.push(Block::Text(format!("{}: {}", ctx.t(name), ctx.t(def))));
    }
    blocks
}
