//! The request's options checked before anything is planned: every number in its range,
//! every list of a sane length — each refusal naming its field.

use crate::error::{InputError, Problem};
use crate::plan::*;

/// Holds a request may ask for: one per step of a long plan is far more than a
/// prescriber writes.
pub const MAX_HOLDS: usize = 52;
/// Products a request may name per drug: every strength and form on the market of
/// one substance is fewer.
pub const MAX_PRODUCTS: usize = 20;

/// The problem for a date outside [`trappa_input::date`]'s range.
pub(crate) fn date_range() -> Problem {
    Problem::OutOfRange {
        min: trappa_input::date::EARLIEST.to_string(),
        max: trappa_input::date::LATEST.to_string(),
    }
}

pub(super) fn range(field: &str, value: f64, min: f64, max: f64) -> Result<(), InputError> {
    if value.is_finite() && value >= min && value <= max {
        Ok(())
    } else {
        Err(InputError::new(
            field,
            Problem::OutOfRange {
                min: min.to_string(),
                max: max.to_string(),
            },
        ))
    }
}

pub(super) fn validate_options(r: &PlanRequest) -> Result<(), InputError> {
    trappa_input::date::check(r.start).map_err(|_| InputError::new("start", date_range()))?;
    let count = |field: &str, n: usize, max: usize| range(field, n as f64, 0.0, max as f64);
    count("holds", r.holds.len(), MAX_HOLDS)?;
    count("goals", r.goals.len(), 6)?;
    if let MultiDrug::Ordered { order } = &r.multi {
        count("multi.order", order.len(), 6)?;
    }
    for (i, d) in r.regimen.drugs.iter().enumerate() {
        count(
            &format!("drugs[{i}].products"),
            d.products.len(),
            MAX_PRODUCTS,
        )?;
    }
    range(
        "limits.max_step_percent",
        r.limits.max_step_percent,
        0.5,
        HARD_CEILING_FRACTION * 100.0,
    )?;
    range(
        "limits.final_hold_weeks",
        f64::from(r.limits.final_hold_weeks),
        1.0,
        26.0,
    )?;
    if let Some(c) = r.limits.catch_up_percent {
        range("limits.catch_up_percent", c, 0.0, 100.0)?;
    }
    if let Some(n) = r.limits.max_products {
        range("limits.max_products", f64::from(n), 1.0, 6.0)?;
    }
    if let Some(p) = r.limits.stop_below_percent {
        range("limits.stop_below_percent", p, 0.0, 50.0)?;
    }
    range(
        "limits.dose.max_pieces",
        f64::from(r.limits.dose.max_pieces),
        1.0,
        8.0,
    )?;
    range(
        "limits.dose.max_patches",
        f64::from(r.limits.dose.max_patches),
        1.0,
        4.0,
    )?;
    range(
        "limits.dose.max_volume_ml",
        r.limits.dose.max_volume_ml,
        0.5,
        30.0,
    )?;
    range(
        "reduction.interval_weeks",
        f64::from(r.pace().interval_weeks()),
        1.0,
        26.0,
    )?;
    match &r.pace() {
        Reduction::Slow {
            percent, low_dose, ..
        } => {
            range("reduction.percent", *percent, 0.5, 50.0)?;
            range(
                "reduction.low_dose.below_percent_of_start",
                low_dose.below_percent_of_start,
                0.0,
                100.0,
            )?;
            if let Some(w) = low_dose.interval_weeks {
                range("reduction.low_dose.interval_weeks", f64::from(w), 1.0, 26.0)?;
            }
            if let Some(p) = low_dose.percent {
                range("reduction.low_dose.percent", p, 0.5, 50.0)?;
            }
        }
        Reduction::Hyperbolic {
            occupancy_percent, ..
        } => range("reduction.occupancy_percent", *occupancy_percent, 0.5, 50.0)?,
        Reduction::Linear {
            percent_of_start, ..
        } => range("reduction.percent_of_start", *percent_of_start, 0.5, 50.0)?,
    }
    if let Some(s) = &r.substitution {
        range(
            "substitution.interval_weeks",
            f64::from(s.interval_weeks),
            1.0,
            4.0,
        )?;
        if let Some(p) = s.portion_de {
            range("substitution.portion_de", p, 1.0, 40.0)?;
        }
        if let Some(v) = s.max_per_day {
            range("substitution.max_per_day", v, 5.0, 120.0)?;
        }
        if let Some(v) = s.max_per_dose {
            range("substitution.max_per_dose", v, 2.0, 60.0)?;
        }
        count("substitution.portions", s.portions.len(), 6)?;
        for (k, p) in s.portions.iter().enumerate() {
            range(
                &format!("substitution.portions[{k}].amount"),
                p.amount,
                0.01,
                1000.0,
            )?;
        }
    }
    for (i, h) in r.holds.iter().enumerate() {
        range(&format!("holds[{i}].weeks"), f64::from(h.weeks), 1.0, 52.0)?;
    }
    count("dose_times", r.dose_times.len(), 6)?;
    count("phases", r.phases.len(), 6)?;
    for (k, p) in r.phases.iter().enumerate() {
        range(&format!("phases[{k}].steps"), f64::from(p.steps), 1.0, 26.0)?;
        range(
            &format!("phases[{k}].percent"),
            p.percent,
            0.5,
            HARD_CEILING_FRACTION * 100.0,
        )?;
        range(
            &format!("phases[{k}].interval_weeks"),
            f64::from(p.interval_weeks),
            1.0,
            12.0,
        )?;
    }
    count("step_lengths", r.step_lengths.len(), MAX_HOLDS)?;
    for (k, l) in r.step_lengths.iter().enumerate() {
        range(
            &format!("step_lengths[{k}].weeks"),
            f64::from(l.weeks),
            1.0,
            26.0,
        )?;
    }
    Ok(())
}
