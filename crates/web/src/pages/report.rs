//! The board's follow-up: the unit's measures for a period, split by one dimension,
//! trends by quarter, reach per municipality (where the service does not reach), decline
//! reasons and redirect targets, costs against the annual budget and the definition of
//! every measure — as a page with SVG charts, a CSV export and an annual report PDF.
//!
//! The facts are read without names or identity numbers (one access-log entry per
//! report, basis statistics) and leave the server only through
//! `trappa_reporting::publish`, which suppresses small cells so that no total gives one
//! back. No export has a row per person, so nothing needs pseudonymising.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::ToSpan;
use jiff::civil::Date;
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use trappa_i18n::{Msg, fill};
use trappa_pathway::aftercare::{
    DischargeRecord, FollowUpRecord, Outcome as PathOutcome, OutcomeRecord,
};
use trappa_pathway::visits::Place;
use trappa_reporting::chart::{Bar, Place as MapPlace, bars_svg, reach_map_svg};
use trappa_reporting::measures::{
    Decision as FactDecision, Facts, Group, Outcome, Sex, Split, Visit, age_band, measures,
};
use trappa_reporting::publish::{
    Costs, Dimension, Measure, Reach, Table, Value, costs, overall, quarters, reach, split_table,
    trend,
};
use trappa_reporting::suppress::suppress_column;
use trappa_reporting::text::measure_text;
use trappa_store::path::EventKind;
use trappa_store::reporting::ReportPatient;
use trappa_store::units::UnitKind;
use trappa_taper::reference::DrugClass;
use trappa_triage::{Decision, Reason, Redirect};

use crate::AppState;
use crate::access::{Can, ReadAggregates};
use crate::ctx::Ctx;
use crate::error::ForUser;
use crate::error::{AppError, FieldError};
use crate::extract::{Query, date_field};
use crate::i18n::{C, M};
use crate::pages::layout::{Field, page};
use trappa_app::clock::{local_date, today};
use trappa_app::waiting::clock_for;

/// The report's query string.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ReportQuery {
    /// First day (YYYY-MM-DD) [default: a year before `till`].
    pub fran: String,
    /// Last day [default: today].
    pub till: String,
    /// The split shown on the page.
    pub fordelning: String,
}

/// The longest period a report covers.
const MAX_YEARS: i64 = 5;

/// A period and split, checked.
struct Period {
    from: Date,
    to: Date,
    dimension: Dimension,
}

fn parse(ctx: &Ctx, q: &ReportQuery) -> Result<Period, AppError> {
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

/// The substance group of a taper drug class.
fn group_of(class: DrugClass) -> Group {
    match class {
        DrugClass::Opioid => Group::Opioids,
        DrugClass::Gabapentinoid => Group::Gabapentinoids,
        _ => Group::Benzodiazepines,
    }
}

/// The uncorrected events of a kind, with their data read.
fn events<'a, T: serde::de::DeserializeOwned>(
    p: &'a ReportPatient,
    kind: EventKind,
) -> impl Iterator<Item = (Date, T)> + 'a {
    p.events
        .iter()
        .filter(move |e| e.kind == kind && e.corrected_by.is_none())
        .filter_map(|e| Some((e.occurred_on, serde_json::from_str(&e.data).ok()?)))
}

/// A patient's facts for the measures.
fn facts_of(p: &ReportPatient, reference: &trappa_taper::ReferenceData) -> Facts {
    let referral = p.referral.as_ref();
    let triage: Option<trappa_triage::Facts> =
        referral.and_then(|r| serde_json::from_str(&r.facts).ok());
    let plan: Option<trappa_taper::Plan> = p
        .first_plan
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok());
    let class = triage
        .as_ref()
        .and_then(|t| t.drugs.first())
        .and_then(|d| reference.find_substance(&d.substance))
        .map(|s| s.class)
        .or_else(|| plan.as_ref().and_then(|p| p.drugs.first()).map(|d| d.class));
    let referred = referral.map(|r| local_date(r.timeline.received_at));
    let mut decided = None;
    let mut reason = None;
    for (json, at) in referral.map(|r| r.decisions.as_slice()).unwrap_or_default() {
        let at = local_date(*at);
        match serde_json::from_str::<Decision>(json) {
            Ok(Decision::Accept { .. }) => decided = Some((at, FactDecision::Accepted)),
            Ok(Decision::Decline) => {
                decided = Some((at, FactDecision::Declined));
                // The rule's reason when the rules also declined; else a clinical judgement.
                reason = Some(
                    triage
                        .as_ref()
                        .map(|t| trappa_triage::triage(t, reference))
                        .filter(|proposal| proposal.decision == Decision::Decline)
                        .and_then(|proposal| proposal.reasons.first().map(reason_code))
                        .unwrap_or_else(|| "clinical_judgement".to_owned()),
                );
            }
            Ok(Decision::Redirect { to }) => {
                decided = Some((at, FactDecision::Redirected));
                reason = serde_json::to_value(to)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned));
            }
            _ => {}
        }
    }
    let first_visit = p
        .held
        .iter()
        .find(|v| v.kind == "assessment")
        .zip(referral)
        .map(|(v, r)| {
            let on = local_date(v.at);
            (
                on,
                i64::from(clock_for(&r.timeline, Some(v.at), None, on).days),
            )
        });
    let last_dose = events::<serde_json::Value>(p, EventKind::AftercareStarted)
        .next()
        .map(|e| e.0);
    let outcome = events::<DischargeRecord>(p, EventKind::Discharged)
        .next()
        .and_then(|(d, r)| match r.outcome {
            PathOutcome::DrugFree => Some((d, Outcome::DrugFree)),
            PathOutcome::Reduced { percent } => Some((d, Outcome::Reduced(percent))),
            PathOutcome::DroppedOut => Some((d, Outcome::DroppedOut)),
            PathOutcome::Redirected { .. } | PathOutcome::Deceased => None,
        });
    let six_month_follow_up = events::<FollowUpRecord>(p, EventKind::FollowUp)
        .find(|(_, r)| r.month == 6)
        .map(|e| e.0);
    let outcome_at = |months: u32| {
        events::<OutcomeRecord>(p, EventKind::Outcome)
            .find(|(_, r)| r.months == months)
            .map(|(d, r)| (d, r.relapse))
    };
    Facts {
        split: Split {
            vardcentral: p.vardcentral.clone(),
            municipality: p.kommunkod.clone(),
            group: class.map(group_of),
            sex: match p.sex.as_str() {
                "female" => Some(Sex::Female),
                "male" => Some(Sex::Male),
                _ => None,
            },
            age_band: Some(age_band(
                p.birth_date,
                referred
                    .or(plan.as_ref().map(|pl| pl.request.start))
                    .unwrap_or_else(today),
            )),
        },
        reason,
        visits: p
            .held
            .iter()
            .filter_map(|v| {
                Some(Visit {
                    on: local_date(v.at),
                    digital: Place::from_code(&v.place)?.is_digital(),
                })
            })
            .collect(),
        referred,
        decided,
        first_visit,
        plan_start: plan.map(|pl| pl.request.start),
        last_dose,
        outcome,
        six_month_follow_up,
        outcome_6: outcome_at(6),
        outcome_12: outcome_at(12),
    }
}

/// A triage reason's stable code (its serde tag).
fn reason_code(r: &Reason) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.get("reason").and_then(|c| c.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

/// A municipality's reach with its name and main town.
/// The reach rows lowest first, as the page and the PDF list them: where nobody was
/// reached, then the hidden counts (mostly one to four, so low, but not known to the
/// reader), then the shown rates from the lowest; ties by name in Swedish order.
fn lowest_reach_first(rows: &[ReachRow]) -> Vec<&ReachRow> {
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

struct ReachRow {
    reach: Reach,
    /// The official name, for the table ("Göteborgs kommun").
    name: String,
    /// The town's name, for the map ("Göteborg").
    town: String,
    at: Option<(f64, f64)>,
}

/// Everything a report shows, published.
struct Report {
    period: Period,
    overall: Vec<Value>,
    /// Every split with its key names.
    splits: Vec<(Dimension, Table, Vec<String>)>,
    trend: Table,
    trend_labels: Vec<String>,
    reach: Vec<ReachRow>,
    costs: Costs,
    declined: Vec<(String, Value)>,
    redirected: Vec<(String, Value)>,
}

/// One column of counts by label, suppressed as a table with its total.
fn counted(ctx: &Ctx, counts: Vec<(String, u64)>) -> Vec<(String, Value)> {
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
async fn build(
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
fn publish_report(
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
async fn km_driven(
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

fn decline_reason_text(ctx: &Ctx, code: &str) -> String {
    if code == "clinical_judgement" {
        return ctx.t(&M::REPORT_CLINICAL_JUDGEMENT).to_owned();
    }
    serde_json::from_value::<Reason>(serde_json::json!({ "reason": code }))
        .map(|r| r.message(ctx.locale))
        .unwrap_or_else(|_| code.to_owned())
}

fn redirect_text(ctx: &Ctx, code: &str) -> String {
    match serde_json::from_value::<Redirect>(serde_json::Value::String(code.to_owned())) {
        Ok(Redirect::AddictionCare) => ctx.t(&M::TARGET_ADDICTION).to_owned(),
        Ok(Redirect::Psychiatry) => ctx.t(&M::TARGET_PSYCHIATRY).to_owned(),
        Ok(Redirect::PainTeam) => ctx.t(&M::TARGET_PAIN).to_owned(),
        Ok(Redirect::SocialServices) => ctx.t(&M::TARGET_SOCIAL).to_owned(),
        Err(_) => code.to_owned(),
    }
}

/// The period and split form, with what was typed and its errors.
fn period_form(ctx: &Ctx, from: &str, to: &str, split: &str, errors: &[FieldError]) -> Markup {
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
async fn build_or_form(
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

fn dimension_msg(d: Dimension) -> &'static Msg {
    match d {
        Dimension::Vardcentral => &M::REPORT_DIM_VARDCENTRAL,
        Dimension::Municipality => &M::REPORT_DIM_MUNICIPALITY,
        Dimension::Group => &M::REPORT_DIM_GROUP,
        Dimension::Sex => &M::REPORT_DIM_SEX,
        Dimension::AgeBand => &M::REPORT_DIM_AGE_BAND,
    }
}

/// A value as text; hidden values as "–" (explained under every table).
fn value_text(v: Value) -> String {
    match v {
        Value::Count(n) => trappa_i18n::format::integer(n as i64, trappa_i18n::Locale::Sv),
        Value::Days(d) => trappa_i18n::format::integer(d, trappa_i18n::Locale::Sv),
        Value::Share(s) => trappa_i18n::format::percent(s * 100.0, 0, trappa_i18n::Locale::Sv),
        Value::Percent(p) => trappa_i18n::format::percent(p, 1, trappa_i18n::Locale::Sv),
        Value::Suppressed => "–".to_owned(),
        Value::NoData => "·".to_owned(),
    }
}

/// A value for the CSV as Swedish Excel reads a number (decimal comma, shares as
/// fractions), hidden as "dold", empty as "".
fn value_csv(ctx: &Ctx, v: Value) -> String {
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

fn sek(v: f64) -> String {
    format!(
        "{}\u{a0}kr",
        trappa_i18n::format::integer(v.round() as i64, trappa_i18n::Locale::Sv)
    )
}

/// A row's values in the [`SPLIT_COLUMNS`], as text.
fn split_cells(row: &[Value]) -> impl Iterator<Item = String> + '_ {
    SPLIT_COLUMNS.iter().map(|m| value_text(row[m.index()]))
}

/// A table of [`SPLIT_COLUMNS`] by key, with its total when given.
fn split_table_html(
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

fn bars(labels: &[String], values: &[Value]) -> Vec<Bar> {
    labels
        .iter()
        .zip(values)
        .map(|(label, v)| Bar {
            label: label.clone(),
            value: v.number(),
        })
        .collect()
}

fn chart(id: &str, title: &str, y: &str, data: &[Bar], hidden: &str) -> Markup {
    match bars_svg(id, title, y, data, hidden) {
        Ok(svg) => html! { figure.chart { (PreEscaped(svg)) figcaption { (title) } } },
        Err(_) => html! {},
    }
}

fn query_string(p: &Period) -> String {
    format!(
        "fran={}&till={}&fordelning={}",
        p.from,
        p.to,
        p.dimension.code()
    )
}

/// The columns the split tables show on the page and in the PDF (the CSV has all).
const SPLIT_COLUMNS: [Measure; 9] = [
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
    Can { ctx, user, .. }: Can<ReadAggregates>,
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

fn reason_table(ctx: &Ctx, caption: &str, rows: &[(String, Value)]) -> Markup {
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

fn cost_rows(ctx: &Ctx, c: &Costs) -> Vec<(&'static str, String)> {
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

fn costs_table(ctx: &Ctx, c: &Costs) -> Markup {
    html! {
        div.table-wrap { table.costs { tbody {
            @for (label, v) in cost_rows(ctx, c) { tr { th scope="row" { (label) } td.num { (v) } } }
        } } }
    }
}

/// `GET /rapport.csv`: every table of the report in one long CSV (table, key, measure,
/// value), hidden cells as `suppressed`.
pub async fn report_csv(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<ReadAggregates>,
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
    Can { ctx, user, .. }: Can<ReadAggregates>,
    headers: axum::http::HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    use crate::pdf::Block;
    let r = match build_or_form(&state, &ctx, &user, &headers, &q, "report.pdf").await? {
        Ok(r) => r,
        Err(form) => return Ok(form),
    };
    let p = &r.period;
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
        rows: cost_rows(&ctx, &r.costs)
            .into_iter()
            .map(|(l, v)| vec![l.to_owned(), v])
            .collect(),
    });
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
