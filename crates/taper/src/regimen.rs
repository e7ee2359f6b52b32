//! A patient's current use, as entered, and its checked, resolved form.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::amount::{Amount, parse_decimal};
use crate::error::{InputError, Problem};
use crate::reference::{Form, Product, ReferenceData, Release, Route, Substance};

/// The four dose times of a day. Patches use the first slot only (µg/h, continuously).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DoseTime {
    /// Morgon.
    Morning,
    /// Middag (lunch).
    Noon,
    /// Kväll.
    Evening,
    /// Till natten (at bedtime).
    Night,
}

impl DoseTime {
    /// In slot order.
    pub const ALL: [DoseTime; 4] = [
        DoseTime::Morning,
        DoseTime::Noon,
        DoseTime::Evening,
        DoseTime::Night,
    ];

    /// The slot index.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Doses per dose time, in the drug's unit.
pub type Slots = [Amount; 4];

/// The sum of a day's slots.
pub fn slots_total(slots: &Slots) -> Amount {
    slots.iter().copied().sum()
}

/// As-needed use, recorded apart from the regular doses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AsNeeded {
    /// The dose taken each time.
    pub dose: f64,
    /// How many times a week, on average.
    pub per_week: f64,
}

/// One drug as entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrugUse {
    /// Substance id or Swedish name ("oxazepam", "klonazepam").
    pub substance: String,
    /// Route; by default oral, or transdermal for substances only sold as patches.
    #[serde(default)]
    pub route: Option<Route>,
    /// Regular doses: morning, noon, evening and (optionally) night, in mg — or one value
    /// in µg/h for a patch.
    pub doses: Vec<f64>,
    /// Products to make the doses from (ids); by default the enabled registered products
    /// of the same route and release as the first one that can make the current dose.
    #[serde(default)]
    pub products: Vec<String>,
    /// As-needed use.
    #[serde(default)]
    pub as_needed: Option<AsNeeded>,
    /// Also use the enabled liquids, licence and extemporaneous products of the route
    /// (immediate release): small steps at low doses.
    #[serde(default)]
    pub special_products: bool,
}

/// A patient's current use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Regimen {
    /// One entry per substance.
    pub drugs: Vec<DrugUse>,
}

/// Parses "10+10+0+25" (morning+noon+evening+night), "1+1+1" or, for a patch, "25".
pub fn parse_doses(text: &str) -> Option<Vec<f64>> {
    let parts: Vec<&str> = text.split('+').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    parts.iter().map(|p| parse_decimal(p)).collect()
}

/// A drug after checking: the substance, its route, its regular doses and the products
/// the plan may use.
#[derive(Debug, Clone)]
pub struct ResolvedDrug<'a> {
    /// The substance.
    pub substance: &'a Substance,
    /// The route.
    pub route: Route,
    /// Regular doses per dose time.
    pub slots: Slots,
    /// Products the plan may use, in reference-data order.
    pub products: Vec<&'a Product>,
    /// As-needed use per week, in the dose unit.
    pub as_needed_per_week: Option<Amount>,
}

impl ResolvedDrug<'_> {
    /// The regular daily dose.
    pub fn total(&self) -> Amount {
        slots_total(&self.slots)
    }
}

/// Checks a regimen against the reference data. Refuses unknown substances and products,
/// doses that are not positive numbers, and the same substance twice.
pub fn resolve<'a>(
    data: &'a ReferenceData,
    regimen: &Regimen,
) -> Result<Vec<ResolvedDrug<'a>>, InputError> {
    if regimen.drugs.is_empty() {
        return Err(InputError::new("drugs", Problem::Missing));
    }
    if regimen.drugs.len() > 6 {
        return Err(InputError::new(
            "drugs",
            Problem::OutOfRange {
                min: "1".into(),
                max: "6".into(),
            },
        ));
    }
    let mut out: Vec<ResolvedDrug<'a>> = Vec::new();
    for (i, d) in regimen.drugs.iter().enumerate() {
        let field = |f: &str| format!("drugs[{i}].{f}");
        let substance = data.find_substance(&d.substance).ok_or_else(|| {
            InputError::new(
                field("substance"),
                Problem::UnknownSubstance {
                    name: d.substance.clone(),
                },
            )
        })?;
        if out.iter().any(|o| o.substance.id == substance.id) {
            return Err(InputError::new(
                field("substance"),
                Problem::Duplicate {
                    substance: substance.name.clone(),
                },
            ));
        }
        let route = match d.route {
            Some(r) => r,
            None => {
                if data
                    .products_of(&substance.id, Route::Oral)
                    .next()
                    .is_some()
                {
                    Route::Oral
                } else if data
                    .products_of(&substance.id, Route::Transdermal)
                    .next()
                    .is_some()
                {
                    Route::Transdermal
                } else {
                    Route::Sublingual
                }
            }
        };
        let slots = slots_from(&d.doses, route).map_err(|p| InputError::new(field("doses"), p))?;
        let total = slots_total(&slots);
        if total.0 <= 0 {
            return Err(InputError::new(field("doses"), Problem::NotPositive));
        }
        let mut chosen = Vec::new();
        for (j, id) in d.products.iter().enumerate() {
            let p = data.product(id).filter(|p| p.enabled).ok_or_else(|| {
                InputError::new(
                    format!("drugs[{i}].products[{j}]"),
                    Problem::UnknownProduct { id: id.clone() },
                )
            })?;
            if p.substance != substance.id || p.route != route {
                return Err(InputError::new(
                    format!("drugs[{i}].products[{j}]"),
                    Problem::WrongProduct {
                        id: id.clone(),
                        substance: substance.name.clone(),
                    },
                ));
            }
            if !chosen.iter().any(|c: &&Product| c.id == p.id) {
                chosen.push(p);
            }
        }
        if chosen.is_empty() {
            chosen = default_products(data, substance, route, &slots);
        }
        if d.special_products {
            for p in data.products_of(&substance.id, route) {
                let special =
                    p.kind != crate::reference::ProductKind::Registered || p.form.is_liquid();
                if special
                    && p.release == Release::Immediate
                    && !chosen.iter().any(|c| c.id == p.id)
                {
                    chosen.push(p);
                }
            }
        }
        if chosen.is_empty() {
            return Err(InputError::new(
                field("products"),
                Problem::CannotMake {
                    dose: d
                        .doses
                        .iter()
                        .map(|v| v.to_string())
                        .collect::<Vec<_>>()
                        .join("+"),
                    products: "–".into(),
                },
            ));
        }
        let as_needed_per_week = match &d.as_needed {
            None => None,
            Some(a) => {
                if !(a.dose > 0.0 && a.per_week >= 0.0 && a.per_week <= 70.0) {
                    return Err(InputError::new(field("as_needed"), Problem::NotPositive));
                }
                Some(
                    Amount::from_f64(a.dose * a.per_week)
                        .ok_or_else(|| InputError::new(field("as_needed"), Problem::NotPositive))?,
                )
            }
        };
        out.push(ResolvedDrug {
            substance,
            route,
            slots,
            products: chosen,
            as_needed_per_week,
        });
    }
    Ok(out)
}

fn slots_from(doses: &[f64], route: Route) -> Result<Slots, Problem> {
    let given = || {
        doses
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("+")
    };
    let valid_len = match route {
        Route::Transdermal => doses.len() == 1,
        _ => doses.len() == 3 || doses.len() == 4,
    };
    if !valid_len {
        return Err(Problem::DoseFormat { given: given() });
    }
    let mut slots = [Amount::ZERO; 4];
    for (k, v) in doses.iter().enumerate() {
        if *v < 0.0 {
            return Err(Problem::NotPositive);
        }
        slots[k] = Amount::from_f64(*v).ok_or_else(|| Problem::DoseFormat { given: given() })?;
    }
    Ok(slots)
}

/// The default product set: enabled registered products of the substance by the route,
/// of one release type — immediate release unless only modified release can make the
/// current dose. Licence and extemporaneous products are only used when chosen.
fn default_products<'a>(
    data: &'a ReferenceData,
    substance: &'a Substance,
    route: Route,
    slots: &Slots,
) -> Vec<&'a Product> {
    let registered = |release: Release| -> Vec<&'a Product> {
        data.products_of(&substance.id, route)
            .filter(|p| p.kind == crate::reference::ProductKind::Registered)
            .filter(|p| p.release == release)
            .filter(|p| !p.form.is_liquid())
            .collect()
    };
    let immediate = registered(Release::Immediate);
    let modified = registered(Release::Modified);
    let can_make = |products: &[&Product]| {
        let menu =
            crate::achievable::Menu::new(products, &crate::achievable::MenuLimits::default());
        slots
            .iter()
            .all(|s| s.is_zero() || menu.exact(*s).is_some())
    };
    if !immediate.is_empty() && can_make(&immediate) {
        immediate
    } else if !modified.is_empty() && can_make(&modified) {
        modified
    } else if !immediate.is_empty() {
        immediate
    } else {
        // A substance sold only as liquid or only in forms we do not split.
        data.products_of(&substance.id, route)
            .filter(|p| p.kind == crate::reference::ProductKind::Registered)
            .filter(|p| p.form != Form::Patch || route == Route::Transdermal)
            .collect()
    }
}

/// "på morgonen", "till natten".
pub fn time_phrase(time: DoseTime, locale: trappa_i18n::Locale) -> &'static str {
    use crate::text::T;
    match time {
        DoseTime::Morning => T::TIME_MORNING.get(locale),
        DoseTime::Noon => T::TIME_NOON.get(locale),
        DoseTime::Evening => T::TIME_EVENING.get(locale),
        DoseTime::Night => T::TIME_NIGHT.get(locale),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dose_strings() {
        assert_eq!(parse_doses("10+10+0+25"), Some(vec![10.0, 10.0, 0.0, 25.0]));
        assert_eq!(parse_doses("2,5+0+5"), Some(vec![2.5, 0.0, 5.0]));
        assert_eq!(parse_doses("25"), Some(vec![25.0]));
        assert_eq!(parse_doses("1+1+1+1+1"), None);
        assert_eq!(parse_doses("1++1"), None);
        assert_eq!(parse_doses("x"), None);
    }
}
