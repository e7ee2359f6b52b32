//! The patient handout's content in plain Swedish: what to take now, step by step,
//! week by week, and a calendar with the change days marked — as data from the plan's
//! one schedule. The renderers draw it: the web crate's `handout` (HTML) and `pdf`.

use jiff::Span;
use jiff::civil::Date;
use trappa_i18n::Locale;

use super::dose_text;
use crate::plan::{DrugStep, Plan, PlanDrug};
use crate::reference::Route;
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

/// Whom a handout is for: the patient's name and the unit's phone number.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Recipient {
    /// The patient's name.
    pub name: String,
    /// The unit's phone number, when the unit has given one.
    pub phone: Option<String>,
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
