//! The patient handout in plain Swedish: what to take now, step by step, week by week,
//! and a calendar with the change days marked. [`body`] is a fragment for the web app's
//! own layout; [`document`] a standalone printable page; [`weeks`] the rows the PDF is
//! drawn from.

use jiff::Span;
use jiff::civil::Date;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use trappa_i18n::{Locale, fill};

use super::{amount_text, date_text, day_lines, dose_text, phase_name, time_heading};
use crate::plan::{DrugStep, Plan, PlanDrug};
use crate::reference::Route;
use crate::regimen::DoseTime;
use crate::text::T;

/// One row of the week table: at most a week, with one dose (a week in which a step
/// starts is split at that day).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekRow {
    /// 1-based week of the plan.
    pub week: u32,
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
    /// True when a dose changes on the first day.
    pub changes: bool,
    /// The step in force (0: the current use before the first step).
    pub step: usize,
    /// Its phase (`None`: the current use).
    pub phase: Option<crate::plan::Phase>,
    /// Per drug, per dose time (morning … night; a patch in the first), the dose in words.
    pub cells: Vec<[String; 4]>,
}

fn add_days(d: Date, n: i64) -> Date {
    d.saturating_add(Span::new().days(n))
}

/// A drug's doses as the week table's cells: the dose in words per dose time, "–" for
/// none (a patch uses the first cell only).
pub fn cells(drug: &PlanDrug, ds: &DrugStep, locale: Locale) -> [String; 4] {
    std::array::from_fn(|k| match &ds.doses[k] {
        Some(d) => dose_text(drug, d, locale),
        None if drug.route == Route::Transdermal && k > 0 => String::new(),
        None => "–".to_owned(),
    })
}

/// The week rows, from the plan's start through the week the last step begins, from
/// the plan's [`crate::schedule::Schedule`]: every row shows the dose in force on each of
/// its days.
pub fn weeks(plan: &Plan, locale: Locale) -> Vec<WeekRow> {
    plan.schedule()
        .weeks()
        .into_iter()
        .map(|slice| WeekRow {
            week: slice.week,
            from: slice.from,
            to: slice.to,
            changes: slice.change,
            step: slice.period.number(),
            phase: slice.period.phase(),
            cells: plan
                .drugs
                .iter()
                .zip(slice.period.drugs)
                .map(|(drug, ds)| cells(drug, ds, locale))
                .collect(),
        })
        .collect()
}

fn drug_day(plan: &Plan, ds: &[DrugStep], locale: Locale) -> Markup {
    html! {
        @for (i, drug) in plan.drugs.iter().enumerate() {
            @let d = &ds[i];
            @if d.per_day.is_zero() {
                p { strong { (drug.name) } ": " (T::NO_DOSE.get(locale)) }
            } @else {
                p { strong { (drug.name) } " (" (amount_text(d.per_day, locale)) " " (drug.unit) ")" }
                ul {
                    @for line in day_lines(drug, &d.doses, locale) { li { (line) } }
                }
            }
        }
    }
}

/// Whom a handout is for: the patient's name and the unit's phone number.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Recipient {
    /// The patient's name.
    pub name: String,
    /// The unit's phone number, when the unit has given one.
    pub phone: Option<String>,
}

/// The handout's content, for a page of the web app.
pub fn body(plan: &Plan, locale: Locale, today: Date) -> Markup {
    body_for(plan, locale, today, None)
}

/// The handout's content for a named patient, with the unit's phone number.
pub fn body_for(plan: &Plan, locale: Locale, today: Date, who: Option<&Recipient>) -> Markup {
    let schedule = plan.schedule();
    let current = schedule.on(today).drugs;
    let rows = weeks(plan, locale);
    let phases = plan.has_phases();
    let columns = 2 + plan
        .drugs
        .iter()
        .map(|d| if d.route == Route::Transdermal { 1 } else { 4 })
        .sum::<usize>();
    html! {
        section.handout {
            h1 { (T::H_TITLE.get(locale)) }
            @if let Some(w) = who { p.recipient { strong { (fill(T::H_FOR.get(locale), &[("name", &w.name)])) } } }
            p { (T::H_INTRO.get(locale)) }
            p { (T::H_CONTACT.get(locale)) }
            @if let Some(phone) = who.and_then(|w| w.phone.as_deref()) {
                p.phone { strong { (fill(T::H_PHONE.get(locale), &[("phone", phone)])) } }
            }
            p.urgent { strong { (T::H_URGENT.get(locale)) } }
            h2 { (T::H_NOW.get(locale)) " (" (date_text(today, locale)) ")" }
            (drug_day(plan, current, locale))
            h2 { (T::H_STEPS.get(locale)) }
            table.steps {
                thead { tr {
                    th scope="col" { (T::H_STEP.get(locale)) }
                    th scope="col" { (T::H_FROM.get(locale)) }
                    th scope="col" { (T::H_DOSE.get(locale)) }
                } }
                tbody {
                    @for (k, p) in schedule.periods().iter().enumerate() {
                        @if phases && (k == 0 || schedule.periods()[k - 1].phase() != p.phase()) {
                            tr.phase { th colspan="3" scope="rowgroup" { (phase_name(plan, p.phase(), locale)) } }
                        }
                        tr {
                            td { (p.number()) }
                            td {
                                @if p.step.is_none() {
                                    (T::H_CURRENT.get(locale))
                                    @if let Some(last) = p.last_day() {
                                        " " (fill(T::H_UNTIL.get(locale), &[("date", &date_text(last, locale))]))
                                    }
                                } @else {
                                    (date_text(p.from, locale))
                                    @if p.until.is_none() { " " (T::H_ONWARDS.get(locale)) }
                                }
                            }
                            td { (drug_day(plan, p.drugs, locale)) }
                        }
                    }
                }
            }
            h2 { (T::H_WEEKS.get(locale)) }
            table.weeks {
                thead { tr {
                    th scope="col" { (T::H_WEEK.get(locale)) }
                    th scope="col" { (T::H_DATES.get(locale)) }
                    @for drug in &plan.drugs {
                        @if drug.route == Route::Transdermal {
                            th scope="col" { (drug.name) }
                        } @else {
                            @for t in DoseTime::ALL { th scope="col" { (drug.name) ", " (time_heading(t, locale).to_lowercase()) } }
                        }
                    }
                } }
                tbody {
                    @for (k, r) in rows.iter().enumerate() {
                        @if phases && (k == 0 || rows[k - 1].phase != r.phase) {
                            tr.phase { th colspan=(columns) scope="rowgroup" { (phase_name(plan, r.phase, locale)) } }
                        }
                        tr class=[r.changes.then_some("change")] {
                            th scope="row" { (r.week) @if r.changes { " *" } }
                            td { (r.from) " – " (r.to) }
                            @for (i, drug) in plan.drugs.iter().enumerate() {
                                @if drug.route == Route::Transdermal {
                                    td { (r.cells[i][0]) }
                                } @else {
                                    @for k in 0..4 { td { (r.cells[i][k]) } }
                                }
                            }
                        }
                    }
                }
            }
            p { "* " (T::H_CHANGE_DAY.get(locale)) }
            h2 { (T::H_CALENDAR.get(locale)) }
            (calendar(plan, locale))
            p.version { (T::H_PLAN_VERSION.get(locale)) }
        }
    }
}

/// One month of the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Month {
    /// "december 2026".
    pub title: String,
    /// Weeks (Monday first), each seven cells; `None` outside the month.
    pub weeks: Vec<[Option<CalendarDay>; 7]>,
}

/// A day in the calendar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalendarDay {
    /// Day of the month.
    pub day: i8,
    /// Within the plan (from its start to its last step).
    pub in_plan: bool,
    /// The step that starts this day, if any.
    pub change: Option<usize>,
}

/// The months from the plan's start to its last step (at most 20 years).
pub fn calendar_months(plan: &Plan, locale: Locale) -> Vec<Month> {
    if plan.steps.is_empty() {
        return Vec::new();
    }
    let schedule = plan.schedule();
    let last = schedule.last_change();
    let names: Vec<&str> = T::MONTHS.get(locale).split(' ').collect();
    let mut month = plan.request.start.first_of_month();
    let mut out = Vec::new();
    while month <= last.first_of_month() && out.len() < 240 {
        let offset = i64::from(month.weekday().to_monday_zero_offset());
        let days = i64::from(month.days_in_month());
        let cells = (offset + days + 6) / 7 * 7;
        let weeks = (0..cells / 7)
            .map(|row| {
                std::array::from_fn(|col| {
                    let n = row * 7 + col as i64 - offset;
                    (0..days).contains(&n).then(|| {
                        let day = add_days(month, n);
                        let period = schedule.on(day);
                        CalendarDay {
                            day: day.day(),
                            in_plan: day >= schedule.start() && day <= last,
                            change: (period.step.is_some() && period.from == day)
                                .then(|| period.number()),
                        }
                    })
                })
            })
            .collect();
        out.push(Month {
            title: format!(
                "{} {}",
                names[usize::from(month.month() as u8) - 1],
                month.year()
            ),
            weeks,
        });
        month = month.saturating_add(Span::new().months(1));
    }
    out
}

fn calendar(plan: &Plan, locale: Locale) -> Markup {
    let weekdays: Vec<&str> = T::WEEKDAYS.get(locale).split(' ').collect();
    html! {
        div.calendars {
            @for m in calendar_months(plan, locale) {
                table.calendar {
                    caption { (m.title) }
                    thead { tr { @for w in &weekdays { th scope="col" { (w) } } } }
                    tbody {
                        @for week in &m.weeks {
                            tr {
                                @for cell in week {
                                    @match cell {
                                        None => td {},
                                        Some(d) => td class=[d.change.map(|_| "change").or(d.in_plan.then_some("in-plan"))] {
                                            (d.day)
                                            @if let Some(n) = d.change { br; small { (T::H_STEP.get(locale)) " " (n) } }
                                        },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

const PRINT_CSS: &str = "body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#111;line-height:1.45}\
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.25rem .4rem;vertical-align:top;text-align:left}\
tr.change,td.change{background:#fff3c4}tr.phase th{background:#e8eef5;text-align:left}td.in-plan{background:#f3f7fb}.calendars{display:flex;flex-wrap:wrap;gap:1rem}\
table.calendar td{width:2.4rem;height:2.4rem}.urgent{border-left:4px solid #a00;padding-left:.5rem}.version{font-size:.85rem;color:#444}\
@media print{body{max-width:none}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}";

/// A standalone printable HTML document.
pub fn document(plan: &Plan, locale: Locale, today: Date) -> String {
    html! {
        (DOCTYPE)
        html lang=(locale.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (T::H_TITLE.get(locale)) }
                style { (PreEscaped(PRINT_CSS)) }
            }
            body { main { (body(plan, locale, today)) } }
        }
    }
    .into_string()
}
