//! The needs analysis from pharmacy dispensing data: long-term users per substance
//! group in the region and per municipality per 1,000 inhabitants, concurrent
//! benzodiazepine and opioid use, the demand and capacity estimate, the vårdcentraler
//! ranked for outreach (long-term users not yet referred to the unit) and every refused
//! row by line. The analysis is imported by `trappa needs --save-as` (or the demo) and
//! kept as versions; counts under five are hidden here as in the report.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use trappa_i18n::{Locale, Msg, fill};
use trappa_needs::analysis::{Area, GroupNeeds};
use trappa_needs::dispensing::{GROUPS, Group, RowError};
use trappa_needs::estimate::{Assumptions, estimate};
use trappa_needs::imported::{DOCUMENT, Imported};
use trappa_reporting::chart::{Bar, bars_svg};
use trappa_reporting::suppress::{Shown, suppress_alone, suppress_column};
use trappa_store::units::UnitKind;

use crate::access::Authed;
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::AppError;
use crate::i18n::M;
use crate::pages::layout::page;
use crate::state::AppState;
use trappa_app::clock::{format_time, local_date};

/// How many vårdcentraler the outreach ranking lists.
const RANKED: usize = 25;
/// How many refused rows are listed by line on the page.
const REFUSED_SHOWN: usize = 50;

fn group_msg(g: Group) -> &'static Msg {
    match g {
        Group::Benzodiazepines => &M::REPORT_GROUP_BENZODIAZEPINES,
        Group::Opioids => &M::REPORT_GROUP_OPIOIDS,
        Group::Pregabalin => &M::NEEDS_PREGABALIN,
    }
}

fn row_error_msg(e: RowError) -> &'static Msg {
    match e {
        RowError::Columns => &M::NEEDS_ERR_COLUMNS,
        RowError::Patient => &M::NEEDS_ERR_PATIENT,
        RowError::Date => &M::NEEDS_ERR_DATE,
        RowError::Atc => &M::NEEDS_ERR_ATC,
        RowError::Quantity => &M::NEEDS_ERR_QUANTITY,
        RowError::Ddd => &M::NEEDS_ERR_DDD,
        RowError::Municipality => &M::NEEDS_ERR_MUNICIPALITY,
        RowError::Sex => &M::NEEDS_ERR_SEX,
    }
}

/// Counts by key, suppressed as one column with its total: key → shown count.
fn suppressed(counts: &[(String, u64)]) -> HashMap<String, Shown> {
    let (cells, _) = suppress_column(&counts.iter().map(|c| c.1).collect::<Vec<_>>());
    counts.iter().map(|c| c.0.clone()).zip(cells).collect()
}

/// A count alone (no total beside it), as text.
fn small(n: u64) -> String {
    shown_text(Some(suppress_alone(n)))
}

fn shown_text(s: Option<Shown>) -> String {
    match s {
        Some(Shown::Count(n)) => sv_int(n as i64),
        Some(Shown::Suppressed) => "–".to_owned(),
        None => "0".to_owned(),
    }
}

/// A whole number as Swedish writes it ("608 993").
fn sv_int(n: i64) -> String {
    trappa_i18n::format::integer(n, Locale::Sv)
}

/// One vårdcentral in the outreach ranking, as it may be published.
#[derive(Debug, Clone, PartialEq)]
struct OutreachRow {
    name: String,
    /// Long-term users not referred to the unit, suppressed as its own column.
    not_referred: Shown,
    /// Referred to the unit, suppressed as its own column.
    referred: Shown,
}

/// The outreach ranking from each prescriber's long-term users and referrals: only
/// vårdcentraler (`centre` names them) are ranked, on the count that may be published —
/// the not-referred, suppressed as a column of its own — most first, the hidden ones
/// after, names in Swedish order. The long-term users themselves are not published here:
/// beside the not-referred they would give a hidden count of referred away. Returns the
/// ranking and the other prescribers' not-referred (summed, as published).
fn outreach<'a>(
    long_term: HashMap<String, u64>,
    referred: &HashMap<String, u64>,
    centre: impl Fn(&str) -> Option<&'a str>,
) -> (Vec<OutreachRow>, Shown) {
    // Each vårdcentral a row, by code so that suppression is the same each time, and
    // every other prescriber summed into one more row (key ""): the columns are
    // suppressed over exactly the rows shown, so no hidden cell can be got back from
    // the others' sum.
    const OTHERS: &str = "";
    let mut rows: Vec<(String, u64, u64)> = Vec::new();
    let mut rest = (OTHERS.to_owned(), 0, 0);
    for (code, users) in long_term {
        let sent = referred.get(&code).copied().unwrap_or(0);
        if centre(&code).is_some() {
            rows.push((code, users, sent));
        } else {
            rest.1 += users;
            rest.2 += sent;
        }
    }
    rows.sort();
    rows.push(rest);
    let column = |pick: fn(&(String, u64, u64)) -> u64| {
        suppressed(
            &rows
                .iter()
                .map(|r| (r.0.clone(), pick(r)))
                .collect::<Vec<_>>(),
        )
    };
    let not_referred = column(|r| r.1.saturating_sub(r.2));
    let sent = column(|r| r.2);
    let others = not_referred.get(OTHERS).copied().unwrap_or(Shown::Count(0));
    let mut ranking: Vec<OutreachRow> = rows
        .iter()
        .filter_map(|(code, _, _)| {
            Some(OutreachRow {
                name: centre(code)?.to_owned(),
                not_referred: not_referred.get(code).copied()?,
                referred: sent.get(code).copied()?,
            })
        })
        .collect();
    let key = |r: &OutreachRow| match r.not_referred {
        Shown::Count(n) => (0, u64::MAX - n),
        Shown::Suppressed => (1, 0),
    };
    ranking.sort_by(|a, b| {
        key(a)
            .cmp(&key(b))
            .then_with(|| trappa_i18n::collate::compare(&a.name, &b.name))
    });
    (ranking, others)
}

/// A rate shown only beside a shown count.
fn rate_text(count: Option<Shown>, rate: Option<f64>) -> String {
    match (count, rate) {
        (Some(Shown::Count(_)), Some(r)) => trappa_i18n::format::decimal(r, 1, Locale::Sv),
        (None, _) => trappa_i18n::format::decimal(0.0, 1, Locale::Sv),
        _ => "–".to_owned(),
    }
}

fn areas_of(g: &GroupNeeds) -> Vec<(String, u64)> {
    g.per_municipality
        .iter()
        .map(|a| (a.code.clone(), a.users))
        .collect()
}

/// A group's long-term users per municipality: the shown counts and the rates, by code.
type GroupAreas = (Group, HashMap<String, Shown>, HashMap<String, Option<f64>>);

/// `GET /behov`
pub async fn needs(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    let title = ctx.t(&M::NEEDS_TITLE);
    let Some(unit) = user.unit_id else {
        return Err(AppError::Forbidden);
    };
    // Every patient's vårdcentral and referral date from the unit's own record (read
    // without identities and logged, whether or not an analysis is saved), for the
    // referrals the unit received in the analysis window.
    let caller = ctx.caller(&user);
    let referrals: Vec<(String, jiff::civil::Date)> =
        trappa_app::reporting::patients(state.store(), &caller, "needs", None)
            .await
            .for_user(&ctx)?
            .into_iter()
            .filter_map(|p| Some((p.vardcentral?, local_date(p.referral?.timeline.received_at))))
            .collect();
    let history = state.store().document_history(unit, DOCUMENT).await?;
    let Some(current) = history.first() else {
        let body = html! {
            h1 { (title) }
            p.lead { (ctx.t(&M::NEEDS_LEAD)) }
            p { (ctx.t(&M::NEEDS_NONE)) }
            pre { "trappa needs --file utlamningar.csv --save-as " (user.username) }
        };
        return Ok(page(&ctx, title, body).into_response());
    };
    let imported: Imported =
        serde_json::from_str(&current.body).map_err(|e| AppError::Internal(e.into()))?;
    let n = &imported.needs;
    let mut referred: HashMap<String, u64> = HashMap::new();
    for (code, on) in referrals {
        if n.window.0 <= on && on <= n.window.1 {
            *referred.entry(code).or_default() += 1;
        }
    }
    let municipalities = state.store().units(UnitKind::Municipality).await?;
    let centres = state.store().units(UnitKind::Vardcentral).await?;
    let centre_name: HashMap<&str, &str> = centres
        .iter()
        .map(|u| (u.code.as_str(), u.name.as_str()))
        .collect();
    let body = html! {
        h1 { (title) }
        p.lead { (ctx.t(&M::NEEDS_LEAD)) }
        ul.summary {
            li { (fill(ctx.t(&M::NEEDS_SOURCE), &[("source", &imported.source), ("who", &current.author_name), ("when", &format_time(current.authored_at))])) }
            li { (fill(ctx.t(&M::NEEDS_WINDOW), &[("from", &n.window.0.to_string()), ("to", &n.window.1.to_string())])) }
            li { (fill(ctx.t(&M::NEEDS_ROWS), &[("rows", &sv_int(n.rows as i64)), ("counted", &sv_int(n.rows_counted as i64)), ("refused", &sv_int(n.refused.total as i64))])) }
        }
        (groups_section(&ctx, &imported))
        (estimate_section(&ctx, &imported))
        (municipalities_section(&ctx, n, &municipalities))
        (outreach_section(&ctx, n, &referred, &centre_name))
        (refused_section(&ctx, n))
        h2 { (ctx.t(&M::NEEDS_VERSIONS)) }
        (versions(&ctx, &history))
        p.muted { (ctx.t(&M::NEEDS_IMPORT_HOW)) " " code { "trappa needs --file FIL.csv --save-as " (user.username) } }
    };
    Ok(page(&ctx, title, body).into_response())
}

/// Long-term users per group in the region, and concurrent use, per 1,000 inhabitants.
fn groups_section(ctx: &Ctx, imported: &Imported) -> Markup {
    let n = &imported.needs;
    let region_rate = |count: u64| count as f64 * 1000.0 / imported.population.max(1) as f64;
    html! {
        h2 { (ctx.t(&M::NEEDS_GROUPS)) }
        div.table-wrap { table.needs-groups {
            thead { tr {
                th scope="col" { (ctx.t(&M::REPORT_DIM_GROUP)) }
                th scope="col" { (ctx.t(&M::NEEDS_USERS)) }
                th scope="col" { (ctx.t(&M::NEEDS_LONG_TERM)) }
                th scope="col" { (ctx.t(&M::NEEDS_PER_1000)) }
            } }
            tbody {
                @for g in &n.groups {
                    tr {
                        th scope="row" { (ctx.t(group_msg(g.group))) }
                        td.num { (small(g.users)) }
                        td.num { (small(g.long_term)) }
                        td.num { (rate_text(Some(suppress_alone(g.long_term)), Some(region_rate(g.long_term)))) }
                    }
                }
                tr {
                    th scope="row" { (ctx.t(&M::NEEDS_CONCURRENT)) }
                    td.num {}
                    td.num { (small(n.concurrent)) }
                    td.num { (rate_text(Some(suppress_alone(n.concurrent)), Some(region_rate(n.concurrent)))) }
                }
            }
        } }
        p.muted { (ctx.t(&M::NEEDS_DEFINITION)) }
    }
}

/// The demand and capacity estimate under the stated assumptions (status U).
fn estimate_section(ctx: &Ctx, imported: &Imported) -> Markup {
    let assumptions = Assumptions::default();
    let e = estimate(&imported.needs, imported.population, &assumptions);
    let decimal = |v: f64, places: usize| trappa_i18n::format::decimal(v, places, ctx.locale);
    html! {
        h2 { (ctx.t(&M::NEEDS_ESTIMATE)) }
        div.warning-box { p { (ctx.t(&M::NEEDS_ASSUMPTIONS_U)) } }
        div.table-wrap { table.estimate { tbody {
            tr { th scope="row" { (ctx.t(&M::NEEDS_EST_USERS)) } td.num { (e.long_term_users) } }
            tr { th scope="row" { (fill(ctx.t(&M::NEEDS_EST_PATIENTS), &[("uptake", &decimal(assumptions.uptake_per_year * 100.0, 0))])) } td.num { (decimal(e.patients_a_year, 0)) } }
            tr { th scope="row" { (fill(ctx.t(&M::NEEDS_EST_CLINICIANS), &[("n", &decimal(assumptions.patients_per_clinician_year, 0))])) } td.num { (decimal(e.clinicians, 1)) } }
            tr { th scope="row" { (fill(ctx.t(&M::NEEDS_EST_TEAMS), &[("n", &decimal(assumptions.clinicians_per_team, 0))])) } td.num { (decimal(e.teams, 1)) } }
            tr { th scope="row" { (ctx.t(&M::NEEDS_EST_PER_250K)) } td.num { (decimal(e.teams_per_250k, 2)) } }
        } } }
    }
}

/// Per municipality: each group's long-term users and concurrent use, suppressed as
/// columns, ordered by the published benzodiazepine rate, with the chart of the first 15.
fn municipalities_section(
    ctx: &Ctx,
    n: &trappa_needs::analysis::Needs,
    municipalities: &[trappa_store::units::Unit],
) -> Markup {
    let municipality_name: HashMap<&str, &str> = municipalities
        .iter()
        .filter_map(|u| Some((u.kommunkod.as_deref()?, u.name.as_str())))
        .collect();
    // The chart's labels are short ("Göteborg"), the table's official ("Göteborgs kommun").
    let short_name: HashMap<&str, &str> = municipalities
        .iter()
        .filter_map(|u| Some((u.kommunkod.as_deref()?, u.municipality_name.as_deref()?)))
        .collect();
    let population: HashMap<&str, i64> = municipalities
        .iter()
        .filter_map(|u| Some((u.kommunkod.as_deref()?, u.population?)))
        .collect();
    // Per municipality: each group's long-term users suppressed as a column.
    let by_group: Vec<GroupAreas> = n
        .groups
        .iter()
        .map(|g| {
            let rates = g
                .per_municipality
                .iter()
                .map(|a| (a.code.clone(), a.per_1000))
                .collect();
            (g.group, suppressed(&areas_of(g)), rates)
        })
        .collect();
    let concurrent_counts: Vec<(String, u64)> = n
        .concurrent_per_municipality
        .iter()
        .map(|a| (a.code.clone(), a.users))
        .collect();
    let concurrent = suppressed(&concurrent_counts);
    let concurrent_rates: HashMap<&str, Option<f64>> = n
        .concurrent_per_municipality
        .iter()
        .map(|a| (a.code.as_str(), a.per_1000))
        .collect();
    let benzodiazepines = n.groups.iter().find(|g| g.group == Group::Benzodiazepines);
    let mut municipality_rows: Vec<&Area> = benzodiazepines
        .map(|g| g.per_municipality.iter().collect())
        .unwrap_or_default();
    let bzd = by_group.iter().find(|g| g.0 == Group::Benzodiazepines);
    // Ordered by the published rate only: a hidden municipality's place among the shown
    // would narrow its hidden count, so the hidden ones come last, by name.
    let published = |a: &Area| match bzd.and_then(|g| g.1.get(&a.code)) {
        Some(Shown::Count(_)) => a.per_1000,
        _ => None,
    };
    municipality_rows.sort_by(|a, b| match (published(a), published(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => {
            let name = |a: &Area| short_name.get(a.code.as_str()).copied().unwrap_or("");
            trappa_i18n::collate::compare(name(a), name(b))
        }
    });
    let chart_bars: Vec<Bar> = municipality_rows
        .iter()
        .take(15)
        .map(|a| Bar {
            label: short_name
                .get(a.code.as_str())
                .map(|s| (*s).to_owned())
                .unwrap_or_else(|| a.code.clone()),
            value: published(a),
        })
        .collect();
    let chart = bars_svg(
        "needs-chart",
        ctx.t(&M::NEEDS_CHART),
        ctx.t(&M::NEEDS_PER_1000),
        &chart_bars,
        ctx.t(&M::REPORT_HIDDEN),
    )
    .unwrap_or_default();
    html! {
        h2 { (ctx.t(&M::NEEDS_MUNICIPALITIES)) }
        figure.chart { (PreEscaped(chart)) figcaption { (ctx.t(&M::NEEDS_CHART)) } }
        div.table-wrap { table.needs-municipalities {
            thead { tr {
                th scope="col" { (ctx.t(&M::REPORT_DIM_MUNICIPALITY)) }
                th scope="col" { (ctx.t(&M::REPORT_POPULATION)) }
                @for g in GROUPS {
                    th scope="col" { (ctx.t(group_msg(g))) }
                    th scope="col" { (ctx.t(&M::NEEDS_PER_1000)) }
                }
                th scope="col" { (ctx.t(&M::NEEDS_CONCURRENT)) }
                th scope="col" { (ctx.t(&M::NEEDS_PER_1000)) }
            } }
            tbody {
                @for a in &municipality_rows {
                    tr {
                        th scope="row" { (municipality_name.get(a.code.as_str()).copied().unwrap_or(a.code.as_str())) }
                        td.num { (population.get(a.code.as_str()).map(|p| sv_int(*p)).unwrap_or_default()) }
                        @for (_, counts, rates) in &by_group {
                            @let count = counts.get(&a.code).copied();
                            td.num { (shown_text(count)) }
                            td.num { (rate_text(count, rates.get(&a.code).copied().flatten())) }
                        }
                        @let count = concurrent.get(&a.code).copied();
                        td.num { (shown_text(count)) }
                        td.num { (rate_text(count, concurrent_rates.get(a.code.as_str()).copied().flatten())) }
                    }
                }
            }
        } }
    }
}

/// Outreach: each prescribing unit's long-term users of every group (a patient of two
/// groups counts in both), less the referrals from it, the largest gaps first.
fn outreach_section(
    ctx: &Ctx,
    n: &trappa_needs::analysis::Needs,
    referred: &HashMap<String, u64>,
    centre_name: &HashMap<&str, &str>,
) -> Markup {
    let mut long_term: HashMap<String, u64> = HashMap::new();
    for g in &n.groups {
        for a in &g.per_unit {
            *long_term.entry(a.code.clone()).or_default() += a.users;
        }
    }
    let (ranking, others) = outreach(long_term, referred, |code| centre_name.get(code).copied());
    html! {
        h2 { (ctx.t(&M::NEEDS_OUTREACH)) }
        p { (ctx.t(&M::NEEDS_OUTREACH_LEAD)) }
        div.table-wrap { table.outreach {
            thead { tr {
                th scope="col" { "#" }
                th scope="col" { (ctx.t(&M::NEEDS_PRESCRIBER)) }
                th scope="col" { (ctx.t(&M::NEEDS_GAP)) }
                th scope="col" { (ctx.t(&M::NEEDS_REFERRED)) }
            } }
            tbody {
                @for (i, row) in ranking.iter().take(RANKED).enumerate() {
                    tr {
                        td.num { (i + 1) }
                        th scope="row" { (row.name) }
                        td.num { (shown_text(Some(row.not_referred))) }
                        td.num { (shown_text(Some(row.referred))) }
                    }
                }
            }
        } }
        p.muted { (fill(ctx.t(&M::NEEDS_OTHER_PRESCRIBERS), &[("n", &shown_text(Some(others)))])) }
    }
}

/// The rows the import refused: by reason, and the first ones by line.
fn refused_section(ctx: &Ctx, n: &trappa_needs::analysis::Needs) -> Markup {
    html! {
        h2 { (ctx.t(&M::NEEDS_REFUSED)) }
        @if n.refused.total == 0 { p { (ctx.t(&M::NEEDS_REFUSED_NONE)) } }
        @else {
            p { (fill(ctx.t(&M::NEEDS_REFUSED_COUNT), &[("n", &sv_int(n.refused.total as i64))])) }
            div.table-wrap { table.refused-reasons {
                thead { tr { th scope="col" { (ctx.t(&M::REPORT_REASON)) } th scope="col" { (ctx.t(&M::REPORT_COUNT)) } } }
                tbody { @for (reason, count) in &n.refused.by_reason { tr { th scope="row" { (ctx.t(row_error_msg(*reason))) } td.num { (count) } } } }
            } }
            div.table-wrap { table.refused-lines {
                thead { tr { th scope="col" { (ctx.t(&M::NEEDS_LINE)) } th scope="col" { (ctx.t(&M::REPORT_REASON)) } } }
                tbody { @for m in n.refused.first.iter().take(REFUSED_SHOWN) { tr { td.num { (m.line) } td { (ctx.t(row_error_msg(m.reason))) } } } }
            } }
        }
    }
}

fn versions(ctx: &Ctx, history: &[trappa_store::documents::DocumentVersion]) -> Markup {
    html! {
        div.table-wrap { table.versions {
            thead { tr {
                th scope="col" { (ctx.t(&M::NEEDS_VERSION)) }
                th scope="col" { (ctx.t(&M::NEEDS_IMPORTED)) }
                th scope="col" { (ctx.t(&M::NEEDS_BY)) }
                th scope="col" { (ctx.t(&M::NEEDS_REASON)) }
            } }
            tbody {
                @for d in history {
                    tr { td.num { (d.version) } td { (format_time(d.authored_at)) } td { (d.author_name) } td { (d.reason) } }
                }
            }
        } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outreach_ranks_on_what_may_be_published() {
        let centres: HashMap<&str, &str> = [
            ("vc:a", "Vårdcentralen Öster"),
            ("vc:b", "Vårdcentralen Åby"),
            ("vc:c", "Vårdcentralen Berg"),
            ("vc:d", "Vårdcentralen Dal"),
        ]
        .into();
        // (long-term users, referred): a gap of 40, 40, 3 (hidden) and 120.
        let long_term: HashMap<String, u64> = [
            ("vc:a", 42),
            ("vc:b", 45),
            ("vc:c", 5),
            ("vc:d", 120),
            ("klinik:x", 30),
        ]
        .map(|(c, n)| (c.to_owned(), n))
        .into();
        let referred: HashMap<String, u64> = [("vc:a", 2), ("vc:b", 5), ("vc:c", 2)]
            .map(|(c, n)| (c.to_owned(), n))
            .into();
        let (ranking, others) = outreach(long_term, &referred, |c| centres.get(c).copied());
        // The hospital clinic is summed, not ranked; its sum is in the suppressed column
        // too, and here hides as the complement of Berg's three (otherwise the group
        // totals less the others' sum would give Berg's count back).
        assert_eq!(others, Shown::Suppressed);
        let names: Vec<&str> = ranking.iter().map(|r| r.name.as_str()).collect();
        // Most not referred first; ties in Swedish order (Å before Ö); the hidden last.
        assert_eq!(
            names,
            [
                "Vårdcentralen Dal",
                "Vårdcentralen Åby",
                "Vårdcentralen Öster",
                "Vårdcentralen Berg"
            ]
        );
        assert_eq!(ranking[0].not_referred, Shown::Count(120));
        assert_eq!(
            ranking[3].not_referred,
            Shown::Suppressed,
            "three are hidden"
        );
        // Referred counts under five are hidden, in their own column.
        assert_eq!(ranking[2].referred, Shown::Suppressed);
        assert_eq!(ranking[1].referred, Shown::Count(5));
    }
}
