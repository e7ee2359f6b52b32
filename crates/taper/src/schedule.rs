//! The plan day by day: the one truth every output is built from.
//!
//! A [`Plan`] stores its changes as steps; between two changes nothing changes. The
//! schedule turns that into periods that cover every day from the plan's start: the
//! patient's current use until the first step (which may lie weeks after the start),
//! then each step until the next one starts, and the last step open-ended. The step
//! table, the handout's week table and calendar, the ICS, the chart, the quantities and
//! the overview's "today's dose" all ask the schedule — never the steps directly — so they
//! cannot disagree about the dose on any day (proved by `tests/one_truth.rs`).

use jiff::Span;
use jiff::civil::Date;

use crate::plan::{DrugStep, Phase, Plan, Step};

/// Days with the same doses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period<'a> {
    /// The first day.
    pub from: Date,
    /// The first day of the next period; `None` for the last (stopped or target kept).
    pub until: Option<Date>,
    /// The step, or `None` for the current use before the first step.
    pub step: Option<&'a Step>,
    /// Per plan drug, the doses on these days.
    pub drugs: &'a [DrugStep],
}

impl Period<'_> {
    /// The last day (inclusive), if the period ends.
    pub fn last_day(&self) -> Option<Date> {
        self.until.map(|u| u.saturating_sub(Span::new().days(1)))
    }

    /// True when `day` falls in the period.
    pub fn contains(&self, day: Date) -> bool {
        day >= self.from && self.until.is_none_or(|u| day < u)
    }

    /// The step's number, 0 for the current use.
    pub fn number(&self) -> usize {
        self.step.map(|s| s.number).unwrap_or(0)
    }

    /// The phase the step belongs to; `None` for the current use.
    pub fn phase(&self) -> Option<Phase> {
        self.step.map(|s| s.phase)
    }
}

/// The plan's periods, in time order, without gaps or overlaps.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule<'a> {
    start: Date,
    periods: Vec<Period<'a>>,
}

/// A week-sized slice of the schedule: at most seven days with one dose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slice<'a> {
    /// 1-based week of the plan its first day falls in.
    pub week: u32,
    /// First day.
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
    /// True when a step starts on `from`.
    pub change: bool,
    /// The period.
    pub period: Period<'a>,
}

fn add_days(d: Date, n: i64) -> Date {
    d.saturating_add(Span::new().days(n))
}

impl<'a> Schedule<'a> {
    /// The schedule of a plan. Steps are taken in order; a step that starts on or
    /// before the one before it replaces it (the later one is what the patient takes).
    pub fn of(plan: &'a Plan) -> Schedule<'a> {
        let start = plan.request.start;
        let mut periods: Vec<Period<'a>> = vec![Period {
            from: start,
            until: None,
            step: None,
            drugs: &plan.baseline,
        }];
        for step in &plan.steps {
            let from = step.start.max(start);
            while periods.last().is_some_and(|p| p.from >= from) && periods.len() > 1 {
                periods.pop();
            }
            match periods.last_mut() {
                Some(p) if p.from >= from => {
                    // The first step starts on the plan's first day: no current-use period.
                    *p = Period {
                        from,
                        until: None,
                        step: Some(step),
                        drugs: &step.drugs,
                    };
                }
                Some(p) => {
                    p.until = Some(from);
                    periods.push(Period {
                        from,
                        until: None,
                        step: Some(step),
                        drugs: &step.drugs,
                    });
                }
                None => {}
            }
        }
        Schedule { start, periods }
    }

    /// The plan's first day.
    pub fn start(&self) -> Date {
        self.start
    }

    /// The periods in time order.
    pub fn periods(&self) -> &[Period<'a>] {
        &self.periods
    }

    /// The day the last period starts (the stop, or the target reached).
    pub fn last_change(&self) -> Date {
        self.periods.last().map(|p| p.from).unwrap_or(self.start)
    }

    /// The period in force on `day`. Before the plan's start that is the current use
    /// (or the first step, when the plan starts with a change).
    pub fn on(&self, day: Date) -> Period<'a> {
        self.periods
            .iter()
            .rev()
            .find(|p| p.from <= day)
            .or(self.periods.first())
            .copied()
            .expect("a schedule has at least one period")
    }

    /// Every day from the start to `last` (inclusive) with its period.
    pub fn days(&self, last: Date) -> impl Iterator<Item = (Date, Period<'a>)> + '_ {
        let n = (last - self.start).get_days().max(-1) as i64 + 1;
        (0..n).map(move |k| {
            let day = add_days(self.start, k);
            (day, self.on(day))
        })
    }

    /// The schedule in slices of at most a week, from the start through the week that
    /// begins on the last change. A slice never spans a change: a week in which a step
    /// starts is split at that day, so every slice has one dose.
    pub fn weeks(&self) -> Vec<Slice<'a>> {
        let mut out = Vec::new();
        for p in &self.periods {
            let end = p
                .last_day()
                .unwrap_or_else(|| add_days(p.from, 6))
                .max(p.from);
            let mut from = p.from;
            while from <= end {
                let offset = (from - self.start).get_days().max(0) as i64;
                let week_end = add_days(self.start, offset / 7 * 7 + 6);
                let to = week_end.min(end);
                out.push(Slice {
                    week: (offset / 7) as u32 + 1,
                    from,
                    to,
                    change: p.step.is_some() && from == p.from,
                    period: *p,
                });
                from = add_days(to, 1);
            }
        }
        out
    }
}

impl Plan {
    /// True when the plan has a switch to diazepam or opening phases of its own pace:
    /// its outputs then name each phase.
    pub fn has_phases(&self) -> bool {
        self.steps.iter().any(|s| s.phase != Phase::Taper)
    }

    /// The plan day by day; see [`Schedule`].
    pub fn schedule(&self) -> Schedule<'_> {
        Schedule::of(self)
    }

    /// The doses in force on `day`: the current use before the first step.
    pub fn doses_on(&self, day: Date) -> &[DrugStep] {
        self.schedule().on(day).drugs
    }
}

/// A substance and its amount per dose time.
pub type Amounts<'a> = Vec<(&'a str, [Option<crate::Amount>; 4])>;

fn amounts<'a>(plan: &'a Plan, drugs: &[DrugStep]) -> Amounts<'a> {
    let mut out: Amounts<'a> = plan
        .drugs
        .iter()
        .zip(drugs)
        .filter(|(_, ds)| !ds.per_day.is_zero())
        .map(|(drug, ds)| {
            (
                drug.substance.as_str(),
                std::array::from_fn(|k| ds.doses[k].as_ref().map(|d| d.amount)),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(b.0));
    out
}

/// What a plan gives on a day, per substance and dose time, independent of the products
/// it is made of: how two plans are compared.
pub fn amounts_on(plan: &Plan, day: Date) -> Amounts<'_> {
    amounts(plan, plan.doses_on(day))
}

/// The days from `from` on which either plan changes, with `from` first: the rows of a
/// side-by-side comparison.
pub fn change_dates(old: &Plan, new: &Plan, from: Date) -> Vec<Date> {
    let mut dates: Vec<Date> = [old, new]
        .iter()
        .flat_map(|p| {
            p.schedule()
                .periods()
                .iter()
                .map(|x| x.from)
                .collect::<Vec<_>>()
        })
        .filter(|d| *d > from)
        .collect();
    dates.push(from);
    dates.sort();
    dates.dedup();
    dates
}

/// The first day from `from` on which `new` gives other doses than `old` (or, without
/// an old plan, than the current use): what a prescriber signs as the first change.
pub fn first_difference(old: Option<&Plan>, new: &Plan, from: Date) -> Option<Date> {
    match old {
        Some(old) => change_dates(old, new, from)
            .into_iter()
            .find(|d| amounts_on(old, *d) != amounts_on(new, *d)),
        None => {
            let before = amounts(new, &new.baseline);
            new.schedule()
                .periods()
                .iter()
                .map(|p| p.from.max(from))
                .find(|d| amounts_on(new, *d) != before)
        }
    }
}
