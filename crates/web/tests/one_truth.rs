//! One truth for every output: over generated plans (every strategy, holds,
//! substitution, several drugs, plan starts before, on and after the first step), the
//! handout's week table (as data and as rendered HTML), the step table, the calendar, the
//! ICS, the chart, the quantities and "today's dose" give the same dose of every drug on
//! every day.
//!
//! The oracle is the plain definition, written here without the engine's schedule: on a
//! day, the dose is the last step that has started, or the current use before the first.

// The engine's own generators of plan requests, shared with its property tests.
#[path = "../../taper/tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;

use common::{DATA, case, request};
use jiff::ToSpan;
use jiff::civil::Date;
use proptest::prelude::*;
use trappa_i18n::Locale;
use trappa_taper::output::{day_lines, handout, ics, quantities};
use trappa_taper::plan::{DrugStep, Hold, Plan};
use trappa_taper::propose;
use trappa_taper::reference::Form;
use trappa_web::chart;

const L: Locale = Locale::Sv;

/// The dose on `day` by definition.
fn expected(plan: &Plan, day: Date) -> &[DrugStep] {
    plan.steps
        .iter()
        .rev()
        .find(|s| s.start <= day)
        .map(|s| s.drugs.as_slice())
        .unwrap_or(&plan.baseline)
}

/// The last day the outputs must describe: a week past the last change.
fn horizon(plan: &Plan) -> Date {
    plan.steps
        .iter()
        .map(|s| s.start)
        .max()
        .unwrap_or(plan.request.start)
        .max(plan.request.start)
        + 6.days()
}

fn days(plan: &Plan) -> impl Iterator<Item = Date> {
    let start = plan.request.start;
    let n = (horizon(plan) - start).get_days();
    (0..=n).map(move |k| start + i64::from(k).days())
}

fn ics_text(value: &str) -> String {
    value
        .replace("\\n", "\n")
        .replace("\\N", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

/// ICS events by date: their description lines.
fn ics_events(plan: &Plan) -> BTreeMap<Date, Vec<String>> {
    let text = ics::ics(plan, L, "test", jiff::Timestamp::UNIX_EPOCH);
    let unfolded = icalendar::parser::unfold(&text);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("the ICS parses");
    let mut out = BTreeMap::new();
    let mut uids = Vec::new();
    for event in cal.components.iter().filter(|c| c.name == "VEVENT") {
        let prop = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.val.to_string())
                .unwrap_or_default()
        };
        let date = Date::strptime("%Y%m%d", prop("DTSTART")).expect("an all-day date");
        uids.push(prop("UID"));
        let lines = ics_text(&prop("DESCRIPTION"))
            .lines()
            .map(str::to_owned)
            .collect();
        assert!(out.insert(date, lines).is_none(), "two events on {date}");
    }
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), uids.len(), "ICS UIDs are unique");
    out
}

/// The rows of the rendered week table: (dates, cells in order).
fn html_week_rows(plan: &Plan) -> Vec<(String, Vec<String>)> {
    let html = trappa_web::handout::body(plan, L, plan.request.start).into_string();
    let table = html
        .split("<table class=\"weeks\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .expect("the week table")
        .to_owned();
    let body = table.split("<tbody>").nth(1).unwrap_or_default();
    body.split("</tr>")
        .filter(|r| r.contains("<td>"))
        .map(|row| {
            let cells: Vec<String> = row
                .split("<td>")
                .skip(1)
                .map(|c| {
                    c.split("</td>")
                        .next()
                        .unwrap_or_default()
                        .replace("&amp;", "&")
                })
                .collect();
            (cells[0].clone(), cells[1..].to_vec())
        })
        .collect()
}

/// The chart's plan line for drug `i` at `day`: the step line's value there.
fn chart_value(lines: &[Vec<(f64, f64)>], i: usize, week: f64) -> f64 {
    let points = &lines[i];
    // Corner pairs (x0, y) (x1, y): the segment whose [x0, x1) holds `week`.
    points
        .chunks(2)
        .find(|pair| pair.len() == 2 && pair[0].0 <= week + 1e-9 && week < pair[1].0 - 1e-9)
        .map(|pair| pair[0].1)
        .unwrap_or_else(|| points.last().map(|p| p.1).unwrap_or(f64::NAN))
}

fn check_plan(plan: &Plan) -> Result<(), TestCaseError> {
    let start = plan.request.start;
    let weeks = handout::weeks(plan, L);
    let html_rows = html_week_rows(plan);
    prop_assert_eq!(html_rows.len(), weeks.len(), "HTML week rows");
    let events = ics_events(plan);
    let lines = chart::dose_lines(plan);
    let months = handout::calendar_months(plan, L);
    let calendar: BTreeMap<(i16, i8, i8), Option<usize>> = months
        .iter()
        .flat_map(|m| {
            let (y, mo) = month_of(&m.title);
            m.weeks
                .iter()
                .flatten()
                .flatten()
                .map(move |d| ((y, mo, d.day), d.change))
        })
        .collect();

    let mut previous: Option<&[DrugStep]> = Some(&plan.baseline);
    let mut covered = 0usize;
    for day in days(plan) {
        let want = expected(plan, day);
        // Today's dose (the overview, the handout's "now", the PDF).
        prop_assert_eq!(plan.doses_on(day), want, "doses_on {}", day);
        // The step table's period.
        let period = plan.schedule().on(day);
        prop_assert!(
            period.contains(day) || day < period.from,
            "period holds {}",
            day
        );
        prop_assert_eq!(period.drugs, want, "step table on {}", day);
        // The week table: exactly one row holds the day, with the day's doses.
        let rows: Vec<usize> = weeks
            .iter()
            .enumerate()
            .filter(|(_, r)| r.from <= day && day <= r.to)
            .map(|(k, _)| k)
            .collect();
        if day <= plan.schedule().last_change() {
            prop_assert_eq!(rows.len(), 1, "one week row holds {}", day);
        }
        if let Some(&k) = rows.first() {
            covered += 1;
            let row = &weeks[k];
            for (i, drug) in plan.drugs.iter().enumerate() {
                prop_assert_eq!(
                    &row.cells[i],
                    &handout::cells(drug, &want[i], L),
                    "week row on {} drug {}",
                    day,
                    i
                );
            }
            let (dates, html_cells) = &html_rows[k];
            prop_assert_eq!(dates, &format!("{} – {}", row.from, row.to));
            let flat: Vec<String> = plan
                .drugs
                .iter()
                .enumerate()
                .flat_map(|(i, d)| {
                    if d.route == trappa_taper::reference::Route::Transdermal {
                        vec![row.cells[i][0].clone()]
                    } else {
                        row.cells[i].to_vec()
                    }
                })
                .collect();
            prop_assert_eq!(html_cells, &flat, "HTML week row on {}", day);
        }
        // The chart's line.
        let week = (day - start).get_days() as f64 / 7.0;
        for (i, ds) in want.iter().enumerate() {
            let drawn = chart_value(&lines, i, week);
            prop_assert!(
                (drawn - ds.per_day.as_f64()).abs() < 1e-9,
                "chart on {} drug {}: {} vs {}",
                day,
                i,
                drawn,
                ds.per_day
            );
        }
        // The ICS: an event exactly on the days the doses change, describing the day.
        let changed = previous.is_some_and(|p| p.iter().zip(want).any(|(a, b)| a.doses != b.doses));
        match events.get(&day) {
            Some(described) => {
                prop_assert!(changed, "an ICS event on {} without a change", day);
                let day_text: Vec<String> = plan
                    .drugs
                    .iter()
                    .zip(want)
                    .flat_map(|(d, ds)| day_lines(d, &ds.doses, L))
                    .collect();
                prop_assert!(
                    described.starts_with(&day_text),
                    "ICS on {}: {:?} vs {:?}",
                    day,
                    described,
                    day_text
                );
            }
            None => prop_assert!(
                !changed || day < start,
                "no ICS event for the change on {}",
                day
            ),
        }
        // The calendar marks the change days, with the step in force.
        if let Some(mark) = calendar.get(&(day.year(), day.month(), day.day())) {
            let step = plan.steps.iter().rev().find(|s| s.start <= day);
            // A step that began before the plan's first day counts from that day: the plan
            // shows it as the change from the current use.
            let starts_today =
                step.is_some_and(|s| s.start == day || (day == start && s.start < start));
            prop_assert_eq!(
                *mark,
                starts_today.then(|| step.map(|s| s.number)).flatten(),
                "calendar on {}",
                day
            );
        }
        previous = Some(want);
    }
    prop_assert!(covered > 0);
    check_quantities(plan)
}

fn month_of(title: &str) -> (i16, i8) {
    let names =
        "januari februari mars april maj juni juli augusti september oktober november december";
    let (name, year) = title.rsplit_once(' ').expect("month year");
    let month = names.split(' ').position(|n| n == name).expect("a month") as i8 + 1;
    (year.parse().expect("a year"), month)
}

/// The quantities over all periods equal the doses counted day by day.
fn check_quantities(plan: &Plan) -> Result<(), TestCaseError> {
    let rows = quantities::quantities(plan, 4, L);
    let Some(end) = rows.iter().map(|q| q.to).max() else {
        return Ok(());
    };
    let mut counted: BTreeMap<(usize, String), f64> = BTreeMap::new();
    let mut day = plan.request.start;
    while day <= end {
        for (i, ds) in expected(plan, day).iter().enumerate() {
            for dose in ds.doses.iter().flatten() {
                for part in &dose.parts {
                    let p = &plan.drugs[i].products[usize::from(part.product)];
                    *counted.entry((i, p.id.clone())).or_default() += f64::from(part.count);
                }
            }
        }
        day += 1.day();
    }
    let mut listed: BTreeMap<(usize, String), f64> = BTreeMap::new();
    for q in &rows {
        *listed.entry((q.drug, q.product.clone())).or_default() += q.amount;
    }
    for ((i, id), count) in &counted {
        let p = plan.drugs[*i]
            .products
            .iter()
            .find(|p| &p.id == id)
            .expect("a product");
        let need = match (p.form, p.step_ml) {
            (Form::OralSolution, Some(ml)) => count * ml,
            (Form::OralDrops, Some(_)) => *count,
            (Form::Patch, _) => count / 4.0 * 24.0 / f64::from(p.change_hours.unwrap_or(72)),
            _ => count / 4.0,
        };
        let got = listed.get(&(*i, id.clone())).copied().unwrap_or(0.0);
        // Each period rounds up to whole units: never less than needed, at most one
        // unit (or 0,1 ml) more per period.
        prop_assert!(got + 1e-6 >= need, "{id}: {got} listed, {need} needed");
        prop_assert!(
            got <= need + rows.len() as f64 + 1e-6,
            "{id}: {got} listed, {need} needed"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_output_gives_the_same_dose_every_day(
        case in case(),
        start_offset in 0i64..800,
        shift in prop_oneof![Just(None), (-20i64..20).prop_map(Some)],
    ) {
        let Some(mut req) = request(&case) else { return Ok(()) };
        req.start = Date::constant(2026, 1, 1) + start_offset.days();
        if let Some((step, weeks)) = case.hold {
            req.holds.push(Hold { step: usize::from(step) % 6 + 1, weeks, reason: "test".into() });
        }
        let Ok(mut plan) = propose(&DATA, &req) else { return Ok(()) };
        // The plan's first day before, on or after its first change.
        if let (Some(days), Some(first)) = (shift, plan.steps.first().map(|s| s.start)) {
            plan.request.start = first + days.days();
        }
        check_plan(&plan)?;
    }
}

/// The issue's examples, by hand: the dose before the first step is the current dose.
#[test]
fn the_examples_from_the_issue() {
    use trappa_taper::plan::PlanRequest;
    use trappa_taper::regimen::{DrugUse, Regimen};
    let plan_for = |substance: &str, doses: Vec<f64>, start: Date| {
        let route =
            (substance == "fentanyl").then_some(trappa_taper::reference::Route::Transdermal);
        let req = PlanRequest {
            regimen: Regimen {
                drugs: vec![DrugUse {
                    substance: substance.into(),
                    route,
                    doses,
                    products: Vec::new(),
                    as_needed: None,
                    special_products: false,
                }],
            },
            start,
            tables: Default::default(),
            reduction: Default::default(),
            substitution: None,
            multi: Default::default(),
            goals: Vec::new(),
            limits: Default::default(),
            holds: Vec::new(),
            dose_times: Vec::new(),
            phases: Vec::new(),
            step_lengths: Vec::new(),
        };
        propose(&DATA, &req).expect("a plan")
    };
    // Zolpidem 10 mg at night from 2026-10-23: step 1 (5 mg) on 2026-11-20.
    let zolpidem = plan_for(
        "zolpidem",
        vec![0.0, 0.0, 0.0, 10.0],
        Date::constant(2026, 10, 23),
    );
    let first = zolpidem.steps[0].start;
    assert!(first > zolpidem.request.start);
    let rows = handout::weeks(&zolpidem, L);
    for row in rows.iter().filter(|r| r.to < first) {
        assert_eq!(
            row.cells[0][3], "1 tablett Stilnoct 10 mg",
            "week {}",
            row.week
        );
    }
    check_plan(&zolpidem).unwrap();
    // The handout names its patient and gives the unit's phone number.
    let who = handout::Recipient {
        name: "Åsa Öberg".into(),
        phone: Some("010-441 00 00".into()),
    };
    let html = trappa_web::handout::body_for(&zolpidem, L, first, Some(&who)).into_string();
    assert!(html.contains("Plan för Åsa Öberg") && html.contains("010-441 00 00"));
    // Fentanyl 12,5 µg/h: the patch is kept until the first step, not stopped at once.
    let fentanyl = plan_for("fentanyl", vec![12.5], Date::constant(2026, 1, 5));
    let rows = handout::weeks(&fentanyl, L);
    assert!(rows[0].cells[0][0].contains("12,5"), "{:?}", rows[0].cells);
    check_plan(&fentanyl).unwrap();
    let q = quantities::quantities(&fentanyl, 4, L);
    assert_eq!(q.first().map(|q| q.from), Some(Date::constant(2026, 1, 5)));
}
