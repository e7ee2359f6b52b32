//! The report for a period: the facts read (logged), the measures published with
//! suppression, the kilometres driven; or the period form when the period is wrong.

use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::{AppError, FieldError};
use crate::extract::date_field;
use crate::i18n::M;
use crate::pages::layout::{Field, page};
use crate::state::AppState;
use axum::response::{IntoResponse, Response};
use jiff::ToSpan;
use jiff::civil::Date;
use maud::{Markup, html};
use std::collections::HashMap;
use trappa_app::clock::today;
use trappa_i18n::fill;
use trappa_reporting::measures::{Facts, measures};
use trappa_reporting::publish::{
    Costs, Dimension, Reach, Table, Value, costs, overall, quarters, reach, split_table, trend,
};
use trappa_reporting::suppress::suppress_column;
use trappa_store::units::UnitKind;

use super::*;

/// The longest period a report covers.
pub(super) const MAX_YEARS: i64 = 5;

/// A period and split, checked.
pub(super) struct Period {
    pub(super) from: Date,
    pub(super) to: Date,
    pub(super) dimension: Dimension,
}

pub(super) fn parse(ctx: &Ctx, q: &ReportQuery) -> Result<Period, AppError> {
    let mut errors = Vec::new();
    let to =
        date_field(ctx, "till", &q.till, &M::REPORT_BAD_DATE, &mut errors).unwrap_or_else(today);
    let from =
        date_field(ctx, "fran", &q.fran, &M::REPORT_BAD_DATE, &mut errors).unwrap_or_else(|| {
            to.checked_sub(1.year())
                .ok()
                .and_then(|d| d.tomorrow().ok())
                .unwrap_or(to)
        });
    let dimension = match q.fordelning.trim() {
        "" => Dimension::Group,
        code => Dimension::from_code(code).unwrap_or_else(|| {
            errors.push(FieldError {
                field: "fordelning".into(),
                message: ctx.t(&M::REPORT_BAD_DIMENSION).to_owned(),
            });
            Dimension::Group
        }),
    };
    if errors.is_empty() {
        if from > to {
            errors.push(FieldError {
                field: "fran".into(),
                message: ctx.t(&M::REPORT_FROM_AFTER_TO).to_owned(),
            });
        } else if to
            .checked_sub(MAX_YEARS.years())
            .is_ok_and(|limit| from < limit)
        {
            errors.push(FieldError {
                field: "fran".into(),
                message: ctx.t(&M::REPORT_TOO_LONG).to_owned(),
            });
        }
    }
    if errors.is_empty() {
        Ok(Period {
            from,
            to,
            dimension,
        })
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// A municipality's reach with its name and main town.
/// The reach rows lowest first, as the page and the PDF list them: where nobody was
/// reached, then the hidden counts (mostly one to four, so low, but not known to the
/// reader), then the shown rates from the lowest; ties by name in Swedish order.
pub(super) fn lowest_reach_first(rows: &[ReachRow]) -> Vec<&ReachRow> {
    let rank = |r: &ReachRow| match r.reach.per_100k {
        Some(0.0) => (0, 0.0),
        None => (1, 0.0),
        Some(v) => (2, v),
    };
    let mut sorted: Vec<&ReachRow> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        let (ra, rb) = (rank(a), rank(b));
        ra.0.cmp(&rb.0)
            .then(ra.1.total_cmp(&rb.1))
            .then_with(|| trappa_i18n::collate::compare(&a.name, &b.name))
    });
    sorted
}

pub(super) struct ReachRow {
    pub(super) reach: Reach,
    /// The official name, for the table ("Göteborgs kommun").
    pub(super) name: String,
    /// The town's name, for the map ("Göteborg").
    pub(super) town: String,
    pub(super) at: Option<(f64, f64)>,
}

/// Everything a report shows, published.
pub(super) struct Report {
    pub(super) period: Period,
    pub(super) overall: Vec<Value>,
    /// Every split with its key names.
    pub(super) splits: Vec<(Dimension, Table, Vec<String>)>,
    pub(super) trend: Table,
    pub(super) trend_labels: Vec<String>,
    pub(super) reach: Vec<ReachRow>,
    pub(super) costs: Costs,
    pub(super) declined: Vec<(String, Value)>,
    pub(super) redirected: Vec<(String, Value)>,
}

/// One column of counts by label, suppressed as a table with its total.
pub(super) fn counted(ctx: &Ctx, counts: Vec<(String, u64)>) -> Vec<(String, Value)> {
    let (cells, total) = suppress_column(&counts.iter().map(|c| c.1).collect::<Vec<_>>());
    let mut out: Vec<(String, Value)> = counts
        .into_iter()
        .zip(cells)
        .map(|((label, _), cell)| (label, cell.into()))
        .collect();
    out.push((ctx.t(&M::REPORT_TOTAL).to_owned(), total.into()));
    out
}

/// Reads the facts (logged) and publishes the report for `q`.
pub(super) async fn build(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    q: &ReportQuery,
    resource: &'static str,
) -> Result<Report, AppError> {
    let period = parse(ctx, q)?;
    let caller = ctx.caller(user);
    let detail = format!("{} – {}", period.from, period.to);
    let patients = trappa_app::reporting::patients(state.store(), &caller, resource, Some(detail))
        .await
        .for_user(ctx)?;
    let reference = state.reference_arc();
    let centres = state.store().units(UnitKind::Vardcentral).await?;
    let municipalities = state.store().units(UnitKind::Municipality).await?;
    let km = km_driven(state, user, period.from, period.to).await?;
    let budget = state.config().annual_budget_sek;
    let ctx = ctx.clone();
    // The tables are computed off the async threads, and stop if the analyst leaves.
    crate::work::run(state, "report", move |cancel| {
        let facts: Vec<Facts> = patients.iter().map(|p| facts_of(p, &reference)).collect();
        publish_report(
            &ctx,
            period,
            &facts,
            &centres,
            &municipalities,
            km,
            budget,
            cancel,
        )
    })
    .await?
    .map_err(AppError::from)
}

/// The report's tables from the facts: every split, the trend, reach, costs and the
/// reasons — checking between tables whether the client is still there.
#[allow(clippy::too_many_arguments)]
pub(super) fn publish_report(
    ctx: &Ctx,
    period: Period,
    facts: &[Facts],
    centres: &[trappa_store::units::Unit],
    municipalities: &[trappa_store::units::Unit],
    km: f64,
    budget: f64,
    cancel: &crate::work::Cancel,
) -> Result<Report, crate::work::Cancelled> {
    let (from, to) = (period.from, period.to);
    let centre_names: HashMap<&str, &str> = centres
        .iter()
        .map(|u| (u.code.as_str(), u.name.as_str()))
        .collect();
    let municipality_by_code: HashMap<&str, &trappa_store::units::Unit> = municipalities
        .iter()
        .filter_map(|u| Some((u.kommunkod.as_deref()?, u)))
        .collect();
    let name_of = |d: Dimension, key: &str| -> String {
        if key.is_empty() {
            return ctx.t(&M::REPORT_NOT_RECORDED).to_owned();
        }
        let found = match d {
            Dimension::Vardcentral => centre_names.get(key).map(|s| s.to_string()),
            Dimension::Municipality => municipality_by_code.get(key).map(|u| u.name.clone()),
            Dimension::Group => Some(
                ctx.t(match key {
                    "opioids" => &M::REPORT_GROUP_OPIOIDS,
                    "gabapentinoids" => &M::REPORT_GROUP_GABAPENTINOIDS,
                    _ => &M::REPORT_GROUP_BENZODIAZEPINES,
                })
                .to_owned(),
            ),
            Dimension::Sex => Some(
                ctx.t(if key == "female" {
                    &M::SEX_FEMALE
                } else {
                    &M::SEX_MALE
                })
                .to_owned(),
            ),
            Dimension::AgeBand => Some(key.replace('-', "–")),
        };
        found.unwrap_or_else(|| key.to_owned())
    };
    let splits = Dimension::ALL
        .into_iter()
        .map(|d| {
            cancel.check()?;
            let t = split_table(facts, d, from, to);
            let names: Vec<String> = t.keys.iter().map(|k| name_of(d, k)).collect();
            // Places read in name order; groups, sexes and age bands in their own.
            let mut order: Vec<usize> = (0..t.keys.len()).collect();
            if matches!(d, Dimension::Vardcentral | Dimension::Municipality) {
                order.sort_by_key(|i| (t.keys[*i].is_empty(), names[*i].clone()));
            }
            let sorted = Table {
                keys: order.iter().map(|i| t.keys[*i].clone()).collect(),
                rows: order.iter().map(|i| t.rows[*i].clone()).collect(),
                total: t.total,
            };
            Ok((d, sorted, order.iter().map(|i| names[*i].clone()).collect()))
        })
        .collect::<Result<_, crate::work::Cancelled>>()?;
    cancel.check()?;
    let periods = quarters(from, to);
    let trend_labels = periods
        .iter()
        .map(|(start, _)| {
            fill(
                ctx.t(&M::REPORT_QUARTER),
                &[
                    ("year", &start.year().to_string()),
                    ("q", &((start.month() - 1) / 3 + 1).to_string()),
                ],
            )
        })
        .collect();
    let populations: Vec<(String, u64)> = municipalities
        .iter()
        .filter_map(|u| Some((u.kommunkod.clone()?, u64::try_from(u.population?).ok()?)))
        .collect();
    let reach = reach(facts, from, to, &populations)
        .into_iter()
        .map(|r| {
            let place = municipality_by_code.get(r.code.as_str());
            ReachRow {
                name: place.map(|u| u.name.clone()).unwrap_or_default(),
                town: place
                    .map(|u| {
                        u.municipality_name
                            .clone()
                            .unwrap_or_else(|| u.name.clone())
                    })
                    .unwrap_or_default(),
                at: place.and_then(|u| u.lat.zip(u.lon)),
                reach: r,
            }
        })
        .collect();
    let m = measures(facts, from, to);
    let costs = costs(&m, budget, from, to, km);
    cancel.check()?;
    let declined = counted(
        ctx,
        m.declined_reasons
            .iter()
            .map(|(code, n)| (decline_reason_text(ctx, code), *n))
            .collect(),
    );
    let redirected = counted(
        ctx,
        m.redirected_to
            .iter()
            .map(|(code, n)| (redirect_text(ctx, code), *n))
            .collect(),
    );
    Ok(Report {
        overall: overall(facts, from, to),
        splits,
        trend: trend(facts, &periods),
        trend_labels,
        reach,
        costs,
        declined,
        redirected,
        period,
    })
}

/// The km of the saved week plans whose Monday falls in the period.
pub(super) async fn km_driven(
    state: &AppState,
    user: &crate::ctx::User,
    from: Date,
    to: Date,
) -> Result<f64, AppError> {
    let Some(unit) = user.unit_id else {
        return Ok(0.0);
    };
    let mut km = 0.0;
    for kind in state.store().document_kinds(unit, "week_plan:").await? {
        let Some(monday) = kind
            .strip_prefix("week_plan:")
            .and_then(|d| d.parse::<Date>().ok())
        else {
            continue;
        };
        if monday < from || monday > to {
            continue;
        }
        if let Some(doc) = state.store().document(unit, &kind).await? {
            let week = trappa_app::planning::read_week(&doc)?;
            km += trappa_planning::kpi::kpi(&week.problem, &week.plan).km;
        }
    }
    Ok(km)
}

/// The period and split form, with what was typed and its errors.
pub(super) fn period_form(
    ctx: &Ctx,
    from: &str,
    to: &str,
    split: &str,
    errors: &[FieldError],
) -> Markup {
    html! {
        form.search-form method="get" action="/rapport" {
            (Field::text("fran", ctx.t(&M::REPORT_FROM), from).kind("date").required().render(errors))
            (Field::text("till", ctx.t(&M::REPORT_TO), to).kind("date").required().render(errors))
            div.field {
                label for="fordelning" { (ctx.t(&M::REPORT_SPLIT)) }
                select #fordelning name="fordelning" {
                    @for d in Dimension::ALL {
                        option value=(d.code()) selected[d.code() == split] { (ctx.t(dimension_msg(d))) }
                    }
                }
            }
            button.primary type="submit" { (ctx.t(&M::REPORT_SHOW)) }
        }
    }
}

/// The report, or — for a period that cannot be read — the form again with what was
/// typed and each field's message (422), for the page and the downloads alike.
pub(super) async fn build_or_form(
    state: &AppState,
    ctx: &Ctx,
    user: &crate::ctx::User,
    headers: &axum::http::HeaderMap,
    q: &ReportQuery,
    resource: &'static str,
) -> Result<Result<Report, Response>, AppError> {
    let json = crate::error::wants_json(&ctx.path, headers.get(axum::http::header::ACCEPT));
    match build(state, ctx, user, q, resource).await {
        Ok(r) => Ok(Ok(r)),
        Err(AppError::Invalid(errors)) if !json => {
            let body = html! {
                h1 { (ctx.t(&M::REPORT_TITLE)) }
                (crate::pages::layout::error_summary(ctx, &errors))
                (period_form(ctx, &q.fran, &q.till, &q.fordelning, &errors))
            };
            Ok(Err((
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                page(ctx, ctx.t(&M::REPORT_TITLE), body),
            )
                .into_response()))
        }
        Err(e) => Err(e),
    }
}

pub(super) fn query_string(p: &Period) -> String {
    format!(
        "fran={}&till={}&fordelning={}",
        p.from,
        p.to,
        p.dimension.code()
    )
}
