//! The plan as a text table for the terminal (`trappa taper`).

use std::fmt::Write;

use trappa_i18n::Locale;
use trappa_i18n::format::{decimal, signed_percent};

use super::amount_text;
use crate::plan::{Change, Plan};
use crate::text::T;

/// Renders the plan: a header, the warnings, one line per step, the step notes.
pub fn text_table(plan: &Plan, locale: Locale) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} · {} {} · {}: {} / {}",
        T::TBL_DATA.get(locale),
        plan.data_version,
        T::TBL_START.get(locale),
        plan.request.start,
        T::TBL_TABLES.get(locale),
        plan.de_table,
        plan.mme_table
    );
    for w in &plan.warnings {
        let _ = writeln!(out, "! {}", w.message(locale));
    }
    let mut header = format!(
        "{:>4}  {:<10}  {:>5}",
        T::H_STEP.get(locale),
        T::H_FROM.get(locale),
        T::TBL_DAYS.get(locale)
    );
    for d in &plan.drugs {
        let unit = if d.route == crate::reference::Route::Transdermal {
            d.unit.clone()
        } else {
            format!("{}/{}", d.unit, T::TBL_PER_DAY.get(locale))
        };
        let _ = write!(header, "  {:<34}", format!("{} ({unit})", d.name));
    }
    for t in &plan.baseline_totals {
        let _ = write!(header, "  {:>7}", t.unit.label());
    }
    let _ = writeln!(out, "{header}");
    let mut line = format!("{:>4}  {:<10}  {:>5}", 0, T::TBL_NOW.get(locale), "");
    for (i, _) in plan.drugs.iter().enumerate() {
        let _ = write!(line, "  {:<34}", cell(plan, i, &plan.baseline[i], locale));
    }
    for t in &plan.baseline_totals {
        let _ = write!(line, "  {:>7}", decimal(t.per_day, 1, locale));
    }
    let _ = writeln!(out, "{line}");
    let mut phase = None;
    for s in &plan.steps {
        if plan.has_phases() && phase != Some(s.phase) {
            phase = Some(s.phase);
            let _ = writeln!(out, "  — {} —", super::phase_name(plan, phase, locale));
        }
        let mut line = format!(
            "{:>4}  {:<10}  {:>5}",
            s.number,
            s.start.to_string(),
            s.days.map(|d| d.to_string()).unwrap_or_else(|| "–".into())
        );
        for (i, ds) in s.drugs.iter().enumerate() {
            let _ = write!(line, "  {:<34}", cell(plan, i, ds, locale));
        }
        for t in &s.totals {
            let _ = write!(line, "  {:>7}", decimal(t.per_day, 1, locale));
        }
        let _ = writeln!(out, "{line}");
        for n in &s.notes {
            let _ = writeln!(out, "        · {}", n.message(locale));
        }
    }
    out
}

fn cell(plan: &Plan, i: usize, ds: &crate::plan::DrugStep, locale: Locale) -> String {
    let drug = &plan.drugs[i];
    let doses: Vec<String> = ds
        .doses
        .iter()
        .map(|d| {
            d.as_ref()
                .map(|d| amount_text(d.amount, locale))
                .unwrap_or_else(|| "0".into())
        })
        .collect();
    let mark = match ds.change {
        Change::Same => " ",
        Change::Granular => "≈",
        Change::Stopped => "×",
        Change::StepBack => "↑",
        Change::CrossOverIn | Change::CrossOverOut => "⇄",
        Change::Edited => "✎",
        Change::Reduced => "↓",
    };
    let error = match (ds.aim, ds.change) {
        (Some(aim), Change::Reduced | Change::Granular) if !aim.is_zero() => format!(
            " ({})",
            signed_percent(
                (ds.per_day.as_f64() / aim.as_f64() - 1.0) * 100.0,
                1,
                locale
            )
        ),
        _ => String::new(),
    };
    if drug.route == crate::reference::Route::Transdermal {
        format!("{mark}{}{error}", amount_text(ds.per_day, locale))
    } else {
        format!(
            "{mark}{} = {}{error}",
            doses.join("+"),
            amount_text(ds.per_day, locale)
        )
    }
}
