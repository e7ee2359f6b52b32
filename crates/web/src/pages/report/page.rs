//! The report as a page: tables per split, charts, reasons and costs.

use crate::access::Authed;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::extract::Query;
use crate::i18n::M;
use crate::pages::layout::page;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use trappa_i18n::{Msg, fill};
use trappa_reporting::chart::{Bar, Place as MapPlace, bars_svg, reach_map_svg};
use trappa_reporting::publish::{Costs, Dimension, Measure, Value};
use trappa_reporting::text::measure_text;
use trappa_triage::{Reason, Redirect};

use super::*;

pub(super) fn decline_reason_text(ctx: &Ctx, code: &str) -> String {
    if code == "clinical_judgement" {
        return ctx.t(&M::REPORT_CLINICAL_JUDGEMENT).to_owned();
    }
    serde_json::from_value::<Reason>(serde_json::json!({ "reason": code }))
        .map(|r| r.message(ctx.locale))
        .unwrap_or_else(|_| code.to_owned())
}

pub(super) fn redirect_text(ctx: &Ctx, code: &str) -> String {
    match serde_json::from_value::<Redirect>(serde_json::Value::String(code.to_owned())) {
        Ok(Redirect::AddictionCare) => ctx.t(&M::TARGET_ADDICTION).to_owned(),
        Ok(Redirect::Psychiatry) => ctx.t(&M::TARGET_PSYCHIATRY).to_owned(),
        Ok(Redirect::PainTeam) => ctx.t(&M::TARGET_PAIN).to_owned(),
        Ok(Redirect::SocialServices) => ctx.t(&M::TARGET_SOCIAL).to_owned(),
        Err(_) => code.to_owned(),
    }
}

pub(super) fn dimension_msg(d: Dimension) -> &'static Msg {
    match d {
        Dimension::Vardcentral => &M::REPORT_DIM_VARDCENTRAL,
        Dimension::Municipality => &M::REPORT_DIM_MUNICIPALITY,
        Dimension::Group => &M::REPORT_DIM_GROUP,
        Dimension::Sex => &M::REPORT_DIM_SEX,
        Dimension::AgeBand => &M::REPORT_DIM_AGE_BAND,
    }
}

/// A value as text; hidden values as "–" (explained under every table).
pub(super) fn value_text(v: Value) -> String {
    match v {
        Value::Count(n) => trappa_i18n::format::integer(n as i64, trappa_i18n::Locale::Sv),
        Value::Days(d) => trappa_i18n::format::integer(d, trappa_i18n::Locale::Sv),
        Value::Share(s) => trappa_i18n::format::percent(s * 100.0, 0, trappa_i18n::Locale::Sv),
        Value::Percent(p) => trappa_i18n::format::percent(p, 1, trappa_i18n::Locale::Sv),
        Value::Suppressed => "–".to_owned(),
        Value::NoData => "·".to_owned(),
    }
}

pub(super) fn sek(v: f64) -> String {
    format!(
        "{}\u{a0}kr",
        trappa_i18n::format::integer(v.round() as i64, trappa_i18n::Locale::Sv)
    )
}

/// A row's values in the [`SPLIT_COLUMNS`], as text.
pub(super) fn split_cells(row: &[Value]) -> impl Iterator<Item = String> + '_ {
    SPLIT_COLUMNS.iter().map(|m| value_text(row[m.index()]))
}

/// A table of [`SPLIT_COLUMNS`] by key, with its total when given.
pub(super) fn split_table_html(
    ctx: &Ctx,
    heading: &str,
    names: &[String],
    rows: &[Vec<Value>],
    total: Option<&[Value]>,
) -> Markup {
    html! {
        div.table-wrap { table.split {
            thead { tr {
                th scope="col" { (heading) }
                @for m in SPLIT_COLUMNS { th scope="col" { (ctx.t(measure_text(m).0)) } }
            } }
            tbody {
                @for (name, row) in names.iter().zip(rows) {
                    tr { th scope="row" { (name) } @for cell in split_cells(row) { td.num { (cell) } } }
                }
            }
            @if let Some(total) = total {
                tfoot { tr { th scope="row" { (ctx.t(&M::REPORT_TOTAL)) } @for cell in split_cells(total) { td.num { (cell) } } } }
            }
        } }
    }
}

pub(super) fn bars(labels: &[String], values: &[Value]) -> Vec<Bar> {
    labels
        .iter()
        .zip(values)
        .map(|(label, v)| Bar {
            label: label.clone(),
            value: v.number(),
        })
        .collect()
}

pub(super) fn chart(id: &str, title: &str, y: &str, data: &[Bar], hidden: &str) -> Markup {
    match bars_svg(id, title, y, data, hidden) {
        Ok(svg) => html! { figure.chart { (PreEscaped(svg)) figcaption { (title) } } },
        Err(_) => html! {},
    }
}

/// The columns the split tables show on the page and in the PDF (the CSV has all).
pub(super) const SPLIT_COLUMNS: [Measure; 9] = [
    Measure::Received,
    Measure::Accepted,
    Measure::FirstVisits,
    Measure::WaitingMedian,
    Measure::Active,
    Measure::Started,
    Measure::DrugFree,
    Measure::Reduced,
    Measure::DroppedOut,
];

/// `GET /rapport`
pub async fn report(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    headers: axum::http::HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let r = match build_or_form(&state, &ctx, &user, &headers, &q, "report").await? {
        Ok(r) => r,
        Err(form) => return Ok(form),
    };
    let p = &r.period;
    let hidden = ctx.t(&M::REPORT_HIDDEN);
    let (_, split, names) = r
        .splits
        .iter()
        .find(|(d, _, _)| *d == p.dimension)
        .ok_or(AppError::NotFound)?;
    let qs = query_string(p);
    let reach_sorted = lowest_reach_first(&r.reach);
    let map = reach_map_svg(
        "reach-map",
        ctx.t(&M::REPORT_REACH_MAP),
        ctx.t(&M::REPORT_REACH_MAP_DESC),
        // The most populous first: their names are placed before the crowd's.
        &{
            let mut by_size: Vec<&ReachRow> = r.reach.iter().collect();
            by_size.sort_by_key(|r| std::cmp::Reverse(r.reach.population));
            by_size
                .into_iter()
                .filter_map(|row| {
                    Some(MapPlace {
                        name: row.town.clone(),
                        at: row.at?,
                        per_100k: row.reach.per_100k,
                    })
                })
                .collect::<Vec<_>>()
        },
    );
    let body = html! {
        h1 { (ctx.t(&M::REPORT_TITLE)) }
        p.lead { (ctx.t(&M::REPORT_LEAD)) }
        (period_form(&ctx, &p.from.to_string(), &p.to.to_string(), p.dimension.code(), &[]))
        p.downloads {
            a.button #report-csv href={ "/rapport.csv?" (qs) } download { (ctx.t(&M::REPORT_CSV)) }
            " "
            a.button #report-pdf href={ "/rapport.pdf?" (qs) } download { (ctx.t(&M::REPORT_PDF)) }
        }
        p.muted { (ctx.t(&M::REPORT_SUPPRESSION_NOTE)) }

        h2 { (ctx.t(&M::REPORT_KEY_FIGURES)) }
        div.table-wrap { table.key-figures {
            caption { (fill(ctx.t(&M::REPORT_PERIOD), &[("from", &p.from.to_string()), ("to", &p.to.to_string())])) }
            thead { tr { th scope="col" { (ctx.t(&M::REPORT_MEASURE)) } th scope="col" { (ctx.t(&M::REPORT_VALUE)) } } }
            tbody {
                @for (m, v) in Measure::ALL.iter().zip(&r.overall) {
                    tr { th scope="row" { (ctx.t(measure_text(*m).0)) } td.num { (value_text(*v)) } }
                }
            }
        } }

        h2 { (ctx.t(&M::REPORT_TRENDS)) }
        (chart("trend-received", ctx.t(&M::REPORT_TREND_RECEIVED), ctx.t(&M::REPORT_COUNT), &bars(&r.trend_labels, &r.trend.column(Measure::Received)), hidden))
        (chart("trend-active", ctx.t(&M::REPORT_TREND_ACTIVE), ctx.t(&M::REPORT_COUNT), &bars(&r.trend_labels, &r.trend.column(Measure::Active)), hidden))
        (split_table_html(&ctx, ctx.t(&M::REPORT_QUARTER_HEADING), &r.trend_labels, &r.trend.rows, None))

        h2 { (fill(ctx.t(&M::REPORT_BY), &[("split", &ctx.t(dimension_msg(p.dimension)).to_lowercase())])) }
        (chart("split-active", &fill(ctx.t(&M::REPORT_ACTIVE_BY), &[("split", &ctx.t(dimension_msg(p.dimension)).to_lowercase())]), ctx.t(&M::REPORT_COUNT), &bars(names, &split.column(Measure::Active)), hidden))
        (split_table_html(&ctx, ctx.t(dimension_msg(p.dimension)), names, &split.rows, split.total.as_deref()))

        h2 { (ctx.t(&M::REPORT_REASONS)) }
        div.two-columns {
            (reason_table(&ctx, ctx.t(&M::REPORT_DECLINED_BY_REASON), &r.declined))
            (reason_table(&ctx, ctx.t(&M::REPORT_REDIRECTED_TO), &r.redirected))
        }

        h2 #reach { (ctx.t(&M::REPORT_REACH)) }
        p { (ctx.t(&M::REPORT_REACH_LEAD)) }
        figure.map { (PreEscaped(map)) figcaption { (ctx.t(&M::REPORT_REACH_MAP_DESC)) " " span.muted { (ctx.t(&M::MAP_SOURCES)) } } }
        div.table-wrap { table.reach {
            thead { tr {
                th scope="col" { (ctx.t(&M::REPORT_DIM_MUNICIPALITY)) }
                th scope="col" { (ctx.t(&M::REPORT_POPULATION)) }
                th scope="col" { (ctx.t(&M::REPORT_REACHED)) }
                th scope="col" { (ctx.t(&M::REPORT_PER_100K)) }
            } }
            tbody {
                @for row in &reach_sorted {
                    tr {
                        th scope="row" { (row.name) }
                        td.num { (trappa_i18n::format::integer(row.reach.population as i64, ctx.locale)) }
                        @match row.reach.per_100k {
                            Some(v) => {
                                td.num { (value_text(row.reach.patients)) }
                                td.num { (trappa_i18n::format::decimal(v, 1, ctx.locale)) }
                            }
                            None => {
                                td.num { span.tag.grey { (hidden) } }
                                td.num { span.tag.grey { (hidden) } }
                            }
                        }
                    }
                }
            }
        } }

        h2 { (ctx.t(&M::REPORT_COSTS)) }
        (costs_table(&ctx, &r.costs))

        h2 #definitions { (ctx.t(&M::REPORT_DEFINITIONS)) }
        dl.definitions {
            @for m in Measure::ALL {
                @let (name, def) = measure_text(m);
                dt { (ctx.t(name)) }
                dd { (ctx.t(def)) }
            }
            dt { (ctx.t(&M::REPORT_REACHED)) } dd { (ctx.t(&M::REPORT_REACH_DEF)) }
            dt { (ctx.t(&M::REPORT_COST_PER_PATIENT)) } dd { (ctx.t(&M::REPORT_COSTS_DEF)) }
            dt { (ctx.t(&M::REPORT_SUPPRESSION)) } dd { (ctx.t(&M::REPORT_SUPPRESSION_DEF)) }
        }
    };
    Ok(page(&ctx, ctx.t(&M::REPORT_TITLE), body).into_response())
}

pub(super) fn reason_table(ctx: &Ctx, caption: &str, rows: &[(String, Value)]) -> Markup {
    html! {
        div.table-wrap { table.reasons {
            caption { (caption) }
            thead { tr { th scope="col" { (ctx.t(&M::REPORT_REASON)) } th scope="col" { (ctx.t(&M::REPORT_COUNT)) } } }
            tbody {
                @if rows.len() <= 1 { tr { td colspan="2" { (ctx.t(&M::REPORT_NONE)) } } }
                @for (label, v) in rows { tr { th scope="row" { (label) } td.num { (value_text(*v)) } } }
            }
        } }
    }
}

pub(super) fn cost_rows(ctx: &Ctx, c: &Costs) -> Vec<(&'static str, String)> {
    let or_dash = |v: Option<f64>| v.map_or("–".to_owned(), sek);
    vec![
        (ctx.t(&M::REPORT_BUDGET_YEAR), sek(c.annual_budget)),
        (ctx.t(&M::REPORT_BUDGET_PERIOD), sek(c.period_budget)),
        (ctx.t(&M::REPORT_COST_PER_PATIENT), or_dash(c.per_patient)),
        (
            ctx.t(&M::REPORT_COST_PER_COMPLETED),
            or_dash(c.per_completed),
        ),
        (
            ctx.t(&M::REPORT_KM),
            format!("{} km", trappa_i18n::format::decimal(c.km, 0, ctx.locale)),
        ),
    ]
}

pub(super) fn costs_table(ctx: &Ctx, c: &Costs) -> Markup {
    html! {
        div.table-wrap { table.costs { tbody {
            @for (label, v) in cost_rows(ctx, c) { tr { th scope="row" { (label) } td.num { (v) } } }
        } } }
    }
}
