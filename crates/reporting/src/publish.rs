//! The measures as published: tables split by one dimension, trends over periods, reach
//! per municipality and the unit's costs — every count passed through
//! [`crate::suppress`], every rate shown only over a shown denominator of at least five.
//!
//! Counts are additive across the keys of a split (each patient is counted under one
//! key), so a split's column is a table with its total and suppressed as one. Over
//! periods that partition the report's range the flows (referrals, outcomes, visits …)
//! add up to the range's value as well; the stock (*active*) does not, and no total of it
//! is published, so it needs only primary suppression.

use jiff::civil::Date;
use serde::Serialize;

use crate::measures::{Facts, Measures, measures};
use crate::suppress::{MIN_SHOWN, Shown, suppress_alone, suppress_column};

/// How a measure's value reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// People or events counted.
    Count,
    /// Days.
    Days,
    /// A share of a denominator (0–1).
    Share,
    /// A percentage (the median reduction).
    Percent,
}

/// Every measure a table shows, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Referrals received.
    Received,
    /// Accepted.
    Accepted,
    /// Declined.
    Declined,
    /// Redirected.
    Redirected,
    /// First visits held.
    FirstVisits,
    /// Median days to the first visit.
    WaitingMedian,
    /// 90th percentile.
    WaitingP90,
    /// Share within the vårdgaranti.
    WithinGuarantee,
    /// Patients with an active plan.
    Active,
    /// Plans started.
    Started,
    /// Completed drug-free.
    DrugFree,
    /// Reduced.
    Reduced,
    /// Median % reduction.
    ReducedMedian,
    /// Dropped out.
    DroppedOut,
    /// Six-month follow-ups held.
    AftercareCompleted,
    /// Relapsed at 6 months.
    Relapse6,
    /// Relapsed at 12 months.
    Relapse12,
    /// 6-month outcome recorded, of those due.
    Completeness6,
    /// 12-month outcome recorded, of those due.
    Completeness12,
    /// Visits in person.
    VisitsInPerson,
    /// Visits by video or phone.
    VisitsDigital,
}

impl Measure {
    /// Every measure, in report order.
    pub const ALL: [Measure; 21] = [
        Measure::Received,
        Measure::Accepted,
        Measure::Declined,
        Measure::Redirected,
        Measure::FirstVisits,
        Measure::WaitingMedian,
        Measure::WaitingP90,
        Measure::WithinGuarantee,
        Measure::Active,
        Measure::Started,
        Measure::DrugFree,
        Measure::Reduced,
        Measure::ReducedMedian,
        Measure::DroppedOut,
        Measure::AftercareCompleted,
        Measure::Relapse6,
        Measure::Relapse12,
        Measure::Completeness6,
        Measure::Completeness12,
        Measure::VisitsInPerson,
        Measure::VisitsDigital,
    ];

    /// Its column in a [`Table`]'s rows (its place in [`Measure::ALL`]).
    pub fn index(self) -> usize {
        Measure::ALL.iter().position(|m| *m == self).unwrap_or(0)
    }

    /// Stable code (CSV columns, catalogue keys).
    pub fn code(self) -> &'static str {
        match self {
            Measure::Received => "received",
            Measure::Accepted => "accepted",
            Measure::Declined => "declined",
            Measure::Redirected => "redirected",
            Measure::FirstVisits => "first_visits",
            Measure::WaitingMedian => "waiting_median_days",
            Measure::WaitingP90 => "waiting_p90_days",
            Measure::WithinGuarantee => "within_guarantee",
            Measure::Active => "active",
            Measure::Started => "started",
            Measure::DrugFree => "drug_free",
            Measure::Reduced => "reduced",
            Measure::ReducedMedian => "reduced_median_percent",
            Measure::DroppedOut => "dropped_out",
            Measure::AftercareCompleted => "aftercare_completed",
            Measure::Relapse6 => "relapse_6",
            Measure::Relapse12 => "relapse_12",
            Measure::Completeness6 => "completeness_6",
            Measure::Completeness12 => "completeness_12",
            Measure::VisitsInPerson => "visits_in_person",
            Measure::VisitsDigital => "visits_digital",
        }
    }

    /// How its value reads.
    pub fn kind(self) -> Kind {
        match self {
            Measure::WaitingMedian | Measure::WaitingP90 => Kind::Days,
            Measure::WithinGuarantee
            | Measure::Relapse6
            | Measure::Relapse12
            | Measure::Completeness6
            | Measure::Completeness12 => Kind::Share,
            Measure::ReducedMedian => Kind::Percent,
            _ => Kind::Count,
        }
    }

    /// For a rate, the count measure it is taken over, when that is published; the
    /// denominators not published on their own (outcomes recorded or due) come from
    /// [`Measure::denominator_value`].
    fn denominator_value(self, m: &Measures) -> Option<u64> {
        match self {
            Measure::WaitingMedian | Measure::WaitingP90 | Measure::WithinGuarantee => {
                Some(m.first_visits)
            }
            Measure::ReducedMedian => Some(m.reduced),
            Measure::Relapse6 => Some(m.recorded_6),
            Measure::Relapse12 => Some(m.recorded_12),
            Measure::Completeness6 => Some(m.due_6),
            Measure::Completeness12 => Some(m.due_12),
            _ => None,
        }
    }

    /// The count measure whose shown cell a rate also needs, if it is one of the table's.
    fn denominator_measure(self) -> Option<Measure> {
        match self {
            Measure::WaitingMedian | Measure::WaitingP90 | Measure::WithinGuarantee => {
                Some(Measure::FirstVisits)
            }
            Measure::ReducedMedian => Some(Measure::Reduced),
            _ => None,
        }
    }

    /// A count's value.
    pub fn count(self, m: &Measures) -> Option<u64> {
        Some(match self {
            Measure::Received => m.received,
            Measure::Accepted => m.accepted,
            Measure::Declined => m.declined,
            Measure::Redirected => m.redirected,
            Measure::FirstVisits => m.first_visits,
            Measure::Active => m.active,
            Measure::Started => m.started,
            Measure::DrugFree => m.drug_free,
            Measure::Reduced => m.reduced,
            Measure::DroppedOut => m.dropped_out,
            Measure::AftercareCompleted => m.aftercare_completed,
            Measure::VisitsInPerson => m.visits_in_person,
            Measure::VisitsDigital => m.visits_digital,
            _ => return None,
        })
    }

    /// A rate's value, unsuppressed.
    fn rate(self, m: &Measures) -> Value {
        let v = match self {
            Measure::WaitingMedian => m.waiting_median.map(Value::Days),
            Measure::WaitingP90 => m.waiting_p90.map(Value::Days),
            Measure::WithinGuarantee => m.within_guarantee.map(Value::Share),
            Measure::ReducedMedian => m.reduced_median_percent.map(Value::Percent),
            Measure::Relapse6 => m.relapse_6.map(Value::Share),
            Measure::Relapse12 => m.relapse_12.map(Value::Share),
            Measure::Completeness6 => m.completeness_6.map(Value::Share),
            Measure::Completeness12 => m.completeness_12.map(Value::Share),
            _ => None,
        };
        v.unwrap_or(Value::NoData)
    }

    /// Whether the values of consecutive periods add up to the whole range's.
    fn adds_up_over_time(self) -> bool {
        self != Measure::Active
    }
}

/// A published value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Value {
    /// A count.
    Count(u64),
    /// Days.
    Days(i64),
    /// A share, 0–1.
    Share(f64),
    /// A percentage.
    Percent(f64),
    /// Hidden: fewer than five people, or a cell that would give one back.
    Suppressed,
    /// Nothing to measure (no denominator).
    NoData,
}

impl Value {
    /// The value as a number for a chart (none when hidden or empty).
    pub fn number(self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(n as f64),
            Value::Days(d) => Some(d as f64),
            Value::Share(s) => Some(s * 100.0),
            Value::Percent(p) => Some(p),
            Value::Suppressed | Value::NoData => None,
        }
    }
}

/// A published table: one row per key, one column per [`Measure::ALL`], and the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Row keys (codes; the empty key is "not recorded").
    pub keys: Vec<String>,
    /// Values, row by row, in [`Measure::ALL`] order.
    pub rows: Vec<Vec<Value>>,
    /// The total row (the whole group or range), when published.
    pub total: Option<Vec<Value>>,
}

impl Table {
    /// The column of `measure`.
    pub fn column(&self, measure: Measure) -> Vec<Value> {
        self.rows.iter().map(|r| r[measure.index()]).collect()
    }
}

impl From<Shown> for Value {
    fn from(s: Shown) -> Self {
        match s {
            Shown::Count(n) => Value::Count(n),
            Shown::Suppressed => Value::Suppressed,
        }
    }
}

/// Publishes per-row measures with their total. `additive(measure)` says whether the
/// rows' counts add up to the total (then suppressed as one column with it); otherwise
/// each count is suppressed alone and no total is published.
fn publish(
    keys: Vec<String>,
    rows: &[Measures],
    total: Option<&Measures>,
    additive: impl Fn(Measure) -> bool,
) -> Table {
    let n = rows.len();
    let mut out: Vec<Vec<Value>> = vec![vec![Value::NoData; Measure::ALL.len()]; n];
    let mut total_row = vec![Value::NoData; Measure::ALL.len()];
    for (c, measure) in Measure::ALL.iter().enumerate() {
        if measure.kind() != Kind::Count {
            continue;
        }
        let counts: Vec<u64> = rows.iter().map(|m| measure.count(m).unwrap_or(0)).collect();
        if additive(*measure) {
            let (cells, sum) = suppress_column(&counts);
            for (r, cell) in cells.into_iter().enumerate() {
                out[r][c] = cell.into();
            }
            total_row[c] = sum.into();
        } else {
            for (r, count) in counts.into_iter().enumerate() {
                out[r][c] = suppress_alone(count).into();
            }
            total_row[c] = total
                .and_then(|t| measure.count(t))
                .map_or(Value::NoData, |n| suppress_alone(n).into());
        }
    }
    let rate = |m: &Measures, row: &[Value], measure: Measure| -> Value {
        let denominator_ok = measure.denominator_value(m).is_some_and(|d| d >= MIN_SHOWN);
        let cell_ok = measure
            .denominator_measure()
            .is_none_or(|d| matches!(row[d.index()], Value::Count(_)));
        match measure.rate(m) {
            Value::NoData => Value::NoData,
            v if denominator_ok && cell_ok => v,
            _ => Value::Suppressed,
        }
    };
    for (c, measure) in Measure::ALL.iter().enumerate() {
        if measure.kind() == Kind::Count {
            continue;
        }
        for (r, m) in rows.iter().enumerate() {
            out[r][c] = rate(m, &out[r], *measure);
        }
        if let Some(t) = total {
            total_row[c] = rate(t, &total_row, *measure);
        }
    }
    Table {
        keys,
        rows: out,
        total: total.map(|_| total_row),
    }
}

/// A dimension a table is split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The patient's vårdcentral.
    Vardcentral,
    /// Their municipality.
    Municipality,
    /// The main drug's group.
    Group,
    /// Sex.
    Sex,
    /// Age band.
    AgeBand,
}

impl Dimension {
    /// Every dimension, in report order.
    pub const ALL: [Dimension; 5] = [
        Dimension::Vardcentral,
        Dimension::Municipality,
        Dimension::Group,
        Dimension::Sex,
        Dimension::AgeBand,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Vardcentral => "vardcentral",
            Dimension::Municipality => "municipality",
            Dimension::Group => "group",
            Dimension::Sex => "sex",
            Dimension::AgeBand => "age_band",
        }
    }

    /// Parses [`Dimension::code`].
    pub fn from_code(s: &str) -> Option<Dimension> {
        Self::ALL.into_iter().find(|d| d.code() == s)
    }

    /// The key a patient is counted under ("" when not recorded).
    pub fn key(self, f: &Facts) -> String {
        let s = &f.split;
        let code = |v: Option<String>| v.unwrap_or_default();
        match self {
            Dimension::Vardcentral => code(s.vardcentral.clone()),
            Dimension::Municipality => code(s.municipality.clone()),
            Dimension::Group => code(s.group.map(|g| format!("{g:?}").to_lowercase())),
            Dimension::Sex => code(s.sex.map(|g| format!("{g:?}").to_lowercase())),
            Dimension::AgeBand => code(s.age_band.map(str::to_owned)),
        }
    }
}

/// The measures of `[from, to]` split by `dimension`, keys in order, with the total.
pub fn split_table(facts: &[Facts], dimension: Dimension, from: Date, to: Date) -> Table {
    let mut groups: std::collections::BTreeMap<String, Vec<Facts>> = Default::default();
    for f in facts {
        groups.entry(dimension.key(f)).or_default().push(f.clone());
    }
    let keys: Vec<String> = groups.keys().cloned().collect();
    let rows: Vec<Measures> = groups.values().map(|g| measures(g, from, to)).collect();
    let total = measures(facts, from, to);
    publish(keys, &rows, Some(&total), |_| true)
}

/// The measures of the whole range, published alone (a table of one row, no total).
pub fn overall(facts: &[Facts], from: Date, to: Date) -> Vec<Value> {
    let m = measures(facts, from, to);
    let t = publish(vec![String::new()], std::slice::from_ref(&m), None, |_| {
        true
    });
    t.rows.into_iter().next().unwrap_or_default()
}

/// The measures of each period (which should partition `[from, to]`), keyed by the
/// period's first day, with the whole range as the total.
pub fn trend(facts: &[Facts], periods: &[(Date, Date)]) -> Table {
    let rows: Vec<Measures> = periods
        .iter()
        .map(|(from, to)| measures(facts, *from, *to))
        .collect();
    let keys = periods.iter().map(|(from, _)| from.to_string()).collect();
    let total = match (periods.first(), periods.last()) {
        (Some(first), Some(last)) => Some(measures(facts, first.0, last.1)),
        _ => None,
    };
    publish(keys, &rows, total.as_ref(), Measure::adds_up_over_time)
}

/// The quarters that cover `[from, to]`, the first and last cut to the range.
///
/// Every turn moves to the first day of the next quarter, so the loop ends for any two
/// dates — at the calendar's last quarter too, which is cut at `to` (a period ending
/// on 9999-12-31 once made it repeat that quarter for ever).
pub fn quarters(from: Date, to: Date) -> Vec<(Date, Date)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let quarter_month = (start.month() - 1) / 3 * 3 + 1;
        let Ok(next) = jiff::civil::date(start.year(), quarter_month, 1)
            .checked_add(jiff::Span::new().months(3))
        else {
            out.push((start, to));
            break;
        };
        let end = next.yesterday().unwrap_or(next).min(to);
        out.push((start, end));
        start = next;
    }
    out
}

/// A municipality's reach: patients seen or in a plan in the period, per 100,000.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reach {
    /// Kommunkod.
    pub code: String,
    /// Inhabitants.
    pub population: u64,
    /// Patients reached (suppressed under five).
    pub patients: Value,
    /// Per 100,000 inhabitants, when the count is shown.
    pub per_100k: Option<f64>,
}

/// Whether the service reached a patient in `[from, to]`: a first visit held in it, or
/// in care at some time in it — from the plan's start to the end of aftercare (six
/// months after the last dose), or to the outcome when there was no last dose.
fn reached(f: &Facts, from: Date, to: Date) -> bool {
    use jiff::ToSpan;
    if f.first_visit.is_some_and(|(d, _)| from <= d && d <= to) {
        return true;
    }
    let Some(start) = f.plan_start else {
        return false;
    };
    let end = match (f.last_dose, f.outcome) {
        (Some(last), _) => last.checked_add(6.months()).ok(),
        (None, Some((d, _))) => Some(d),
        (None, None) => None,
    };
    start <= to && end.is_none_or(|e| e >= from)
}

/// Reach per municipality (`(kommunkod, population)`, every municipality listed —
/// those the service did not reach show zero), the counts suppressed as one column.
pub fn reach(
    facts: &[Facts],
    from: Date,
    to: Date,
    municipalities: &[(String, u64)],
) -> Vec<Reach> {
    let counts: Vec<u64> = municipalities
        .iter()
        .map(|(code, _)| {
            facts
                .iter()
                .filter(|f| f.split.municipality.as_deref() == Some(code))
                .filter(|f| reached(f, from, to))
                .count() as u64
        })
        .collect();
    let (cells, _) = suppress_column(&counts);
    municipalities
        .iter()
        .zip(cells)
        .map(|((code, population), cell)| {
            let patients = Value::from(cell);
            Reach {
                code: code.clone(),
                population: *population,
                per_100k: match patients {
                    Value::Count(n) if *population > 0 => {
                        Some(n as f64 * 100_000.0 / *population as f64)
                    }
                    _ => None,
                },
                patients,
            }
        })
        .collect()
}

/// The unit's cost and travel in a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Costs {
    /// The annual budget, SEK.
    pub annual_budget: f64,
    /// Its share for the period (by days), SEK.
    pub period_budget: f64,
    /// Per patient with an active plan.
    pub per_patient: Option<f64>,
    /// Per patient who completed (drug-free or reduced).
    pub per_completed: Option<f64>,
    /// Km driven by the team in the saved weeks of the period.
    pub km: f64,
}

/// The costs of `[from, to]` from its measures, the annual budget and the km driven.
/// Per-patient costs need at least five patients (a cost over fewer identifies them).
pub fn costs(m: &Measures, annual_budget: f64, from: Date, to: Date, km: f64) -> Costs {
    let days = (to - from).get_days() as f64 + 1.0;
    let period_budget = annual_budget * days / 365.0;
    let per = |n: u64| (n >= MIN_SHOWN).then(|| period_budget / n as f64);
    Costs {
        annual_budget,
        period_budget,
        per_patient: per(m.active),
        per_completed: per(m.drug_free + m.reduced),
        km,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::{Decision, Group, Outcome, Split, Visit};
    use jiff::civil::date;

    fn referred(unit: &str, on: Date, decision: Decision) -> Facts {
        Facts {
            split: Split {
                vardcentral: Some(unit.into()),
                municipality: Some("1480".into()),
                group: Some(Group::Benzodiazepines),
                ..Split::default()
            },
            referred: Some(on),
            decided: Some((on, decision)),
            ..Facts::default()
        }
    }

    fn count(t: &[Value], m: Measure) -> Value {
        t[m.index()]
    }

    /// Seven referrals from A, two from B, six from C, in 2026: B's two are hidden, and
    /// so is the smallest other (C's six), so that the total (15) can stay.
    #[test]
    fn a_split_hides_small_cells_and_their_complement() {
        let d = date(2026, 3, 1);
        let mut facts: Vec<Facts> = (0..7)
            .map(|_| referred("A", d, Decision::Accepted))
            .collect();
        facts.extend((0..2).map(|_| referred("B", d, Decision::Declined)));
        facts.extend((0..6).map(|_| referred("C", d, Decision::Accepted)));
        let t = split_table(
            &facts,
            Dimension::Vardcentral,
            date(2026, 1, 1),
            date(2026, 12, 31),
        );
        assert_eq!(t.keys, vec!["A", "B", "C"]);
        let received = t.column(Measure::Received);
        assert_eq!(
            received,
            vec![Value::Count(7), Value::Suppressed, Value::Suppressed]
        );
        assert_eq!(
            count(t.total.as_ref().unwrap(), Measure::Received),
            Value::Count(15)
        );
        // Declined: only B's two, so B's cell and the total (two) are hidden; A and C
        // show their zeros.
        assert_eq!(
            t.column(Measure::Declined),
            vec![Value::Count(0), Value::Suppressed, Value::Count(0)]
        );
        assert_eq!(
            count(t.total.as_ref().unwrap(), Measure::Declined),
            Value::Suppressed
        );
    }

    /// Rates need a shown denominator of at least five.
    #[test]
    fn a_rate_over_fewer_than_five_is_hidden() {
        let mut facts = Vec::new();
        let waits = [
            ("A", [30, 40, 50, 60, 100, 120].as_slice()),
            ("B", &[20]),
            ("C", &[10; 5]),
        ];
        for (unit, days) in waits {
            for d in days {
                let mut f = referred(unit, date(2026, 1, 10), Decision::Accepted);
                f.first_visit = Some((date(2026, 3, 1), *d));
                facts.push(f);
            }
        }
        let t = split_table(
            &facts,
            Dimension::Vardcentral,
            date(2026, 1, 1),
            date(2026, 12, 31),
        );
        // First visits 6, 1, 5 of 12: B's one is hidden and with it C's five.
        assert_eq!(
            t.column(Measure::FirstVisits),
            vec![Value::Count(6), Value::Suppressed, Value::Suppressed]
        );
        // A: median 50 (third of six), p90 120 (sixth), four of six within 90 days.
        assert_eq!(count(&t.rows[0], Measure::WaitingMedian), Value::Days(50));
        assert_eq!(count(&t.rows[0], Measure::WaitingP90), Value::Days(120));
        assert_eq!(
            count(&t.rows[0], Measure::WithinGuarantee),
            Value::Share(4.0 / 6.0)
        );
        // B has one, C's count is hidden: neither shows a rate.
        assert_eq!(count(&t.rows[1], Measure::WaitingMedian), Value::Suppressed);
        assert_eq!(count(&t.rows[2], Measure::WaitingMedian), Value::Suppressed);
        // All twelve: 10 ×5, 20, 30 … — the sixth is 20.
        let total = t.total.unwrap();
        assert_eq!(count(&total, Measure::FirstVisits), Value::Count(12));
        assert_eq!(count(&total, Measure::WaitingMedian), Value::Days(20));
        // No outcome recorded: no relapse share, and no data is not a suppression.
        assert_eq!(count(&total, Measure::Relapse6), Value::NoData);
    }

    /// Quarters of 2026 from mid-February; flows suppressed with the year as total.
    #[test]
    fn trends_by_quarter() {
        let q = quarters(date(2026, 2, 15), date(2026, 12, 31));
        assert_eq!(
            q,
            vec![
                (date(2026, 2, 15), date(2026, 3, 31)),
                (date(2026, 4, 1), date(2026, 6, 30)),
                (date(2026, 7, 1), date(2026, 9, 30)),
                (date(2026, 10, 1), date(2026, 12, 31)),
            ]
        );
        let mut facts = Vec::new();
        for _ in 0..6 {
            facts.push(referred("A", date(2026, 3, 1), Decision::Accepted));
        }
        for _ in 0..5 {
            facts.push(referred("A", date(2026, 5, 1), Decision::Accepted));
        }
        facts.push(referred("A", date(2026, 8, 1), Decision::Accepted));
        facts.push(Facts {
            visits: vec![
                Visit {
                    on: date(2026, 3, 2),
                    digital: false,
                },
                Visit {
                    on: date(2026, 3, 3),
                    digital: true,
                },
            ],
            ..Facts::default()
        });
        let t = trend(&facts, &q);
        // Q3's one referral is hidden, and with it the smallest other, Q2's five.
        assert_eq!(
            t.column(Measure::Received),
            vec![
                Value::Count(6),
                Value::Suppressed,
                Value::Suppressed,
                Value::Count(0)
            ]
        );
        assert_eq!(
            count(t.total.as_ref().unwrap(), Measure::Received),
            Value::Count(12)
        );
        // One visit each way in Q1: hidden.
        assert_eq!(count(&t.rows[0], Measure::VisitsDigital), Value::Suppressed);
    }

    /// Reach: every municipality listed, the unreached at zero, small counts hidden.
    #[test]
    fn reach_per_100k() {
        let mut facts = Vec::new();
        let living_in = |code: &str| Split {
            municipality: Some(code.into()),
            ..Split::default()
        };
        for i in 0..12 {
            facts.push(Facts {
                split: living_in(if i < 10 { "1480" } else { "1401" }),
                first_visit: Some((date(2026, 4, 1), 30)),
                ..Facts::default()
            });
        }
        // A plan whose aftercare ended before the year reaches no one in it.
        facts.push(Facts {
            split: living_in("1480"),
            plan_start: Some(date(2024, 1, 1)),
            outcome: Some((date(2025, 1, 1), Outcome::DroppedOut)),
            last_dose: Some(date(2025, 1, 1)),
            six_month_follow_up: Some(date(2025, 7, 1)),
            ..Facts::default()
        });
        // One still in aftercare in January 2026 is reached.
        facts.push(Facts {
            split: living_in("1499"),
            plan_start: Some(date(2025, 1, 1)),
            last_dose: Some(date(2025, 7, 15)),
            ..Facts::default()
        });
        let r = reach(
            &facts,
            date(2026, 1, 1),
            date(2026, 12, 31),
            &[
                ("1480".into(), 600_000),
                ("1401".into(), 40_000),
                ("1499".into(), 30_000),
            ],
        );
        // 10, 2 and 1: the two small ones hide each other, 10 is shown.
        assert_eq!(r[0].patients, Value::Count(10));
        assert_eq!(r[0].per_100k, Some(10.0 * 100_000.0 / 600_000.0));
        assert_eq!(r[1].patients, Value::Suppressed);
        assert_eq!(r[2].patients, Value::Suppressed, "the one in aftercare");
        let r = reach(
            &facts,
            date(2026, 3, 1),
            date(2026, 12, 31),
            &[("1499".into(), 30_000)],
        );
        assert_eq!(r[0].patients, Value::Count(0), "aftercare ended in January");
        assert_eq!(r[0].per_100k, Some(0.0));
    }

    #[test]
    fn costs_per_patient_over_the_period() {
        let m = Measures {
            active: 50,
            drug_free: 8,
            reduced: 2,
            ..Measures::default()
        };
        let c = costs(
            &m,
            10_200_000.0,
            date(2026, 1, 1),
            date(2026, 12, 31),
            1234.0,
        );
        assert_eq!(c.period_budget, 10_200_000.0);
        assert_eq!(c.per_patient, Some(204_000.0));
        assert_eq!(c.per_completed, Some(1_020_000.0));
        let few = Measures {
            active: 4,
            ..Measures::default()
        };
        let half = costs(&few, 10_200_000.0, date(2026, 1, 1), date(2026, 7, 1), 0.0);
        assert_eq!(half.per_patient, None);
        assert!((half.period_budget - 10_200_000.0 * 182.0 / 365.0).abs() < 1e-6);
    }

    #[test]
    fn the_calendars_last_quarter_ends() {
        use jiff::civil::date;
        let qs = quarters(date(9999, 1, 1), Date::MAX);
        assert_eq!(qs.len(), 4);
        assert_eq!(qs[3], (date(9999, 10, 1), Date::MAX));
        assert_eq!(quarters(Date::MIN, date(-9999, 2, 1)).len(), 1);
    }

    proptest::proptest! {
        /// For any two dates jiff knows, the quarters end, cover the period day after
        /// day without a gap or an overlap, and number at most one per 90 days plus two.
        #[test]
        fn quarters_cover_any_period_and_end(from_day in -4_400_000i64..=2_940_000, days in 0i64..4_000) {
            let epoch = jiff::civil::date(1970, 1, 1);
            let Ok(from) = epoch.checked_add(jiff::Span::new().days(from_day)) else { return Ok(()); };
            let to = from.saturating_add(jiff::Span::new().days(days));
            let qs = quarters(from, to);
            proptest::prop_assert!(!qs.is_empty());
            proptest::prop_assert!(qs.len() as i64 <= days / 90 + 2, "{} quarters for {} days", qs.len(), days);
            proptest::prop_assert_eq!(qs[0].0, from);
            proptest::prop_assert_eq!(qs[qs.len() - 1].1, to);
            for pair in qs.windows(2) {
                proptest::prop_assert!(pair[0].0 <= pair[0].1);
                proptest::prop_assert_eq!(pair[0].1.tomorrow().ok(), Some(pair[1].0));
            }
        }

        /// Whatever the patients, a split table shows counts that are zero or at least
        /// five, no column with its total hides exactly one of them, the shown total is
        /// the true one, and a rate is shown only beside a shown count of five or more.
        #[test]
        fn split_tables_keep_small_cells_hidden(
            people in proptest::collection::vec((0usize..4, 0u8..3, 0i64..120, proptest::bool::ANY), 0..60)
        ) {
            let facts: Vec<Facts> = people
                .iter()
                .map(|(unit, decision, days, seen)| {
                    let decision = [Decision::Accepted, Decision::Declined, Decision::Redirected][*decision as usize];
                    let mut f = referred(["A", "B", "C", "D"][*unit], date(2026, 2, 1), decision);
                    if *seen {
                        f.first_visit = Some((date(2026, 3, 1), *days));
                    }
                    f
                })
                .collect();
            let t = split_table(&facts, Dimension::Vardcentral, date(2026, 1, 1), date(2026, 12, 31));
            let truth = crate::measures::measures(&facts, date(2026, 1, 1), date(2026, 12, 31));
            let total = t.total.clone().unwrap();
            for m in Measure::ALL.iter().filter(|m| m.kind() == Kind::Count) {
                let mut column = t.column(*m);
                column.push(total[m.index()]);
                for v in &column {
                    if let Value::Count(n) = v {
                        proptest::prop_assert!(*n == 0 || *n >= MIN_SHOWN, "{m:?}: {n}");
                    }
                }
                proptest::prop_assert_ne!(column.iter().filter(|v| **v == Value::Suppressed).count(), 1, "{:?}", m);
                if let Value::Count(n) = total[m.index()] {
                    proptest::prop_assert_eq!(Some(n), m.count(&truth));
                }
            }
            for row in t.rows.iter().chain(std::iter::once(&total)) {
                let visits = row[Measure::FirstVisits.index()];
                for rate in [Measure::WaitingMedian, Measure::WaitingP90, Measure::WithinGuarantee] {
                    if !matches!(row[rate.index()], Value::Suppressed | Value::NoData) {
                        proptest::prop_assert!(matches!(visits, Value::Count(n) if n >= MIN_SHOWN));
                    }
                }
            }
        }
    }
}
