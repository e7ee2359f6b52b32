//! What a plan becomes: prescription quantities, a plain-Swedish patient handout (HTML;
//! the PDF is drawn by the web crate from [`handout::weeks`]), an ICS calendar, an SVG
//! chart and the CLI's text table. All of it is pure text generation.

pub mod handout;
pub mod ics;
pub mod quantities;
pub mod table;

use trappa_i18n::{Locale, Msg, fill};

use crate::plan::{Dose, Plan, PlanDrug};
use crate::reference::{Divisible, DrugClass, Form, HalfLife, ProductKind, Route};
use crate::regimen::DoseTime;
pub use crate::regimen::time_phrase;
use crate::text::T;

/// A phase's name: "Byte till diazepam", "Fas 1: 25 % per steg, var 2 veckor",
/// "Nedtrappning"; the current use before the first step is "Nuvarande dos".
pub fn phase_name(plan: &Plan, phase: Option<crate::plan::Phase>, locale: Locale) -> String {
    use crate::plan::Phase;
    match phase {
        None => T::PHASE_CURRENT.get(locale).to_owned(),
        Some(Phase::Switch) => T::PHASE_SWITCH.get(locale).to_owned(),
        Some(Phase::Taper) => T::PHASE_TAPER.get(locale).to_owned(),
        Some(Phase::Opening(k)) => match plan.request.phases.get(usize::from(k)) {
            Some(p) => trappa_i18n::fill(
                T::PHASE_OPENING.get(locale),
                &[
                    ("n", &(usize::from(k) + 1).to_string()),
                    ("percent", &trappa_i18n::format::exact(p.percent, 1, locale)),
                    (
                        "interval",
                        &trappa_i18n::format::weeks(i64::from(p.interval_weeks), locale),
                    ),
                ],
            ),
            None => T::PHASE_TAPER.get(locale).to_owned(),
        },
    }
}

/// "Morgon", "Natt": column headings.
pub fn time_heading(time: DoseTime, locale: Locale) -> &'static str {
    match time {
        DoseTime::Morning => T::COL_MORNING.get(locale),
        DoseTime::Noon => T::COL_NOON.get(locale),
        DoseTime::Evening => T::COL_EVENING.get(locale),
        DoseTime::Night => T::COL_NIGHT.get(locale),
    }
}

/// A count of quarters as "½", "1", "1½", "2¼".
pub fn quarters_text(quarters: u32) -> String {
    let whole = quarters / 4;
    let frac = match quarters % 4 {
        1 => "¼",
        2 => "½",
        3 => "¾",
        _ => "",
    };
    match (whole, frac) {
        (0, f) => f.to_owned(),
        (w, f) => format!("{w}{f}"),
    }
}

fn unit_word(form: Form, many: bool) -> Msg {
    match (form, many) {
        (Form::Tablet | Form::SublingualTablet, false) => T::UNIT_TABLET,
        (Form::Tablet | Form::SublingualTablet, true) => T::UNIT_TABLETS,
        (Form::Capsule, false) => T::UNIT_CAPSULE,
        (Form::Capsule, true) => T::UNIT_CAPSULES,
        (Form::Patch, false) => T::UNIT_PATCH,
        (Form::Patch, true) => T::UNIT_PATCHES,
        (Form::OralDrops, false) => T::UNIT_DROP,
        (Form::OralDrops, true) => T::UNIT_DROPS,
        (Form::OralSolution, _) => T::UNIT_ML,
    }
}

/// One dose in words: "1½ tablett Oxascand 10 mg", "0,3 ml OxyNorm oral lösning
/// 1 mg/ml", "1 plåster Durogesic 25 µg/h + 1 plåster Durogesic 12,5 µg/h".
pub fn dose_text(drug: &PlanDrug, dose: &Dose, locale: Locale) -> String {
    dose.parts
        .iter()
        .map(|part| {
            let p = &drug.products[usize::from(part.product)];
            match p.step_ml {
                Some(step) if p.form == Form::OralSolution => {
                    let ml = crate::amount::Amount::from_f64(step * f64::from(part.count))
                        .unwrap_or_default();
                    let ml = if locale == Locale::Sv {
                        ml.sv()
                    } else {
                        ml.to_string()
                    };
                    format!("{ml} ml {}", p.name)
                }
                Some(_) => {
                    let w = unit_word(p.form, part.count != 1).get(locale);
                    format!("{} {w} {}", part.count, p.name)
                }
                None => {
                    let many = part.count >= 8;
                    let w = unit_word(p.form, many).get(locale);
                    format!("{} {w} {}", quarters_text(part.count), p.name)
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A drug's whole day in words, one line per dose time.
pub fn day_lines(drug: &PlanDrug, doses: &[Option<Dose>; 4], locale: Locale) -> Vec<String> {
    let mut out = Vec::new();
    for time in DoseTime::ALL {
        if let Some(d) = &doses[time.index()] {
            if drug.route == Route::Transdermal {
                let hours = drug
                    .products
                    .iter()
                    .find_map(|p| p.change_hours)
                    .unwrap_or(72);
                out.push(format!(
                    "{}, {}",
                    dose_text(drug, d, locale),
                    fill(
                        T::PATCH_WORN.get(locale),
                        &[(
                            "hours",
                            &trappa_i18n::format::hours(i64::from(hours), locale)
                        )]
                    )
                ));
            } else {
                out.push(format!(
                    "{} {}",
                    dose_text(drug, d, locale),
                    time_phrase(time, locale)
                ));
            }
        }
    }
    out
}

/// An amount in the locale's number style.
pub fn amount_text(a: crate::amount::Amount, locale: Locale) -> String {
    match locale {
        Locale::Sv => a.sv(),
        Locale::En => a.to_string(),
    }
}

/// "2026-12-01" in the locale's long form: "1 december 2026".
pub fn date_text(d: jiff::civil::Date, locale: Locale) -> String {
    let months: Vec<&str> = T::MONTHS.get(locale).split(' ').collect();
    let month = months
        .get(usize::from(d.month() as u8) - 1)
        .copied()
        .unwrap_or("");
    match locale {
        Locale::Sv => format!("{} {month} {}", d.day(), d.year()),
        Locale::En => format!("{} {month} {}", d.day(), d.year()),
    }
}

/// The plan's drug names joined ("oxazepam och zopiklon").
pub fn drug_names(plan: &Plan) -> String {
    plan.drugs
        .iter()
        .map(|d| d.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Names of the reference data's kinds, for pages and printouts.
pub mod labels {
    use super::*;

    /// "bensodiazepin", "opioid" …
    pub fn class(c: DrugClass, l: Locale) -> &'static str {
        match c {
            DrugClass::Benzodiazepine => T::CLASS_BENZODIAZEPINE.get(l),
            DrugClass::ZDrug => T::CLASS_Z_DRUG.get(l),
            DrugClass::Opioid => T::CLASS_OPIOID.get(l),
            DrugClass::Gabapentinoid => T::CLASS_GABAPENTINOID.get(l),
        }
    }

    /// "kort", "medellång", "lång".
    pub fn half_life(h: HalfLife, l: Locale) -> &'static str {
        match h {
            HalfLife::Short => T::HALF_LIFE_SHORT.get(l),
            HalfLife::Intermediate => T::HALF_LIFE_INTERMEDIATE.get(l),
            HalfLife::Long => T::HALF_LIFE_LONG.get(l),
        }
    }

    /// "tablett", "oral lösning" …
    pub fn form(f: Form, l: Locale) -> &'static str {
        match f {
            Form::Tablet => T::FORM_TABLET.get(l),
            Form::Capsule => T::FORM_CAPSULE.get(l),
            Form::SublingualTablet => T::FORM_SUBLINGUAL.get(l),
            Form::OralSolution => T::FORM_SOLUTION.get(l),
            Form::OralDrops => T::FORM_DROPS.get(l),
            Form::Patch => T::FORM_PATCH.get(l),
        }
    }

    /// "delas inte", "halvor", "fjärdedelar".
    pub fn divisible(d: Divisible, l: Locale) -> &'static str {
        match d {
            Divisible::Whole => T::SPLIT_WHOLE.get(l),
            Divisible::Half => T::SPLIT_HALF.get(l),
            Divisible::Quarter => T::SPLIT_QUARTER.get(l),
        }
    }

    /// "registrerat läkemedel", "licensläkemedel", "extemporeberedning".
    pub fn kind(k: ProductKind, l: Locale) -> &'static str {
        match k {
            ProductKind::Registered => T::KIND_REGISTERED.get(l),
            ProductKind::Licence => T::KIND_LICENCE.get(l),
            ProductKind::Extemporaneous => T::KIND_EXTEMPORE.get(l),
        }
    }

    /// "oralt", "plåster" …
    pub fn route(r: Route, l: Locale) -> &'static str {
        match r {
            Route::Oral => T::ROUTE_ORAL.get(l),
            Route::Sublingual => T::ROUTE_SUBLINGUAL.get(l),
            Route::Transdermal => T::ROUTE_TRANSDERMAL.get(l),
        }
    }
}
