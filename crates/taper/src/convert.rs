//! Conversion: a regimen → mg per drug per day, DE or MME per drug and in total, DDD per
//! day, and the warnings a prescriber must see.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
use crate::error::{InputError, Problem};
use crate::notice::Notice;
use crate::reference::{
    DrugClass, EquivalenceTable, EquivalentUnit, ProductKind, ReferenceData, Route, Status,
    Substance,
};
use crate::regimen::{Regimen, ResolvedDrug, Slots, resolve};

/// Which table to use per unit of equivalents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableChoice {
    /// DE table id; the unit's default when absent.
    pub de: Option<String>,
    /// MME table id; the unit's default when absent.
    pub mme: Option<String>,
}

/// The chosen tables, checked.
#[derive(Debug, Clone, Copy)]
pub struct Tables<'a> {
    /// For benzodiazepines and Z-drugs.
    pub de: &'a EquivalenceTable,
    /// For opioids.
    pub mme: &'a EquivalenceTable,
}

impl<'a> Tables<'a> {
    /// Resolves a choice against the data; an unknown table or one of the wrong unit is
    /// refused, naming the field.
    pub fn choose(data: &'a ReferenceData, choice: &TableChoice) -> Result<Tables<'a>, InputError> {
        let pick = |id: &Option<String>, unit: EquivalentUnit, field: &str| match id {
            None => Ok(data.default_table(unit)),
            Some(id) => data
                .table(id)
                .filter(|t| t.unit == unit)
                .ok_or_else(|| InputError::new(field, Problem::UnknownTable { id: id.clone() })),
        };
        Ok(Tables {
            de: pick(&choice.de, EquivalentUnit::De, "tables.de")?,
            mme: pick(&choice.mme, EquivalentUnit::Mme, "tables.mme")?,
        })
    }

    /// The table for a class, if it has equivalents.
    pub fn for_class(&self, class: DrugClass) -> Option<&'a EquivalenceTable> {
        match class.equivalent_unit()? {
            EquivalentUnit::De => Some(self.de),
            EquivalentUnit::Mme => Some(self.mme),
        }
    }
}

/// An equivalent dose with the factor it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Equivalent {
    /// DE or MME.
    pub unit: EquivalentUnit,
    /// Equivalents a day.
    pub per_day: f64,
    /// The factor (equivalents per mg, or per µg/h).
    pub factor: f64,
    /// Its status.
    pub status: Status,
    /// Its source id.
    pub source: String,
    /// The table id.
    pub table: String,
}

/// One drug converted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DrugConversion {
    /// Substance id.
    pub substance: String,
    /// Swedish name.
    pub name: String,
    /// Route.
    pub route: Route,
    /// "mg" or "µg/h".
    pub unit: String,
    /// Regular doses per dose time.
    pub doses: Slots,
    /// Regular dose a day (for patches: µg/h).
    pub per_day: Amount,
    /// mg a day (patches converted: µg/h × 24 / 1000).
    pub mg_per_day: f64,
    /// DE or MME, when the table has a factor.
    pub equivalent: Option<Equivalent>,
    /// DDDs a day, when the substance has a DDD.
    pub ddd_per_day: Option<f64>,
    /// As-needed use a week, recorded apart.
    pub as_needed_per_week: Option<Amount>,
}

/// Equivalents summed over a class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EquivalentTotal {
    /// DE or MME.
    pub unit: EquivalentUnit,
    /// Sum a day.
    pub per_day: f64,
    /// The table.
    pub table: String,
    /// False when a drug of the class has no factor in the table.
    pub complete: bool,
}

/// A converted regimen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Conversion {
    /// The data version used.
    pub data_version: String,
    /// Per drug.
    pub drugs: Vec<DrugConversion>,
    /// Per unit of equivalents.
    pub totals: Vec<EquivalentTotal>,
    /// Warnings.
    pub warnings: Vec<Notice>,
}

/// DDDs a day above which a dose is refused as impossible.
pub const IMPOSSIBLE_DDD: f64 = 40.0;
/// DDDs a day above which a dose is flagged as implausible.
pub const IMPLAUSIBLE_DDD: f64 = 4.0;
/// Equivalents a day above which a dose without a DDD is refused (DE, MME).
pub const IMPOSSIBLE_EQUIVALENT: [(EquivalentUnit, f64); 2] =
    [(EquivalentUnit::De, 500.0), (EquivalentUnit::Mme, 3000.0)];
/// MME a day from which the overdose-risk warning is shown.
pub const HIGH_MME: f64 = 50.0;

/// mg a day for a daily dose by a route.
pub fn mg_per_day(route: Route, per_day: Amount) -> f64 {
    match route {
        Route::Transdermal => per_day.as_f64() * 24.0 / 1000.0,
        _ => per_day.as_f64(),
    }
}

/// Equivalents of a daily dose, if the table has the factor.
pub fn equivalent(
    table: &EquivalenceTable,
    substance: &Substance,
    route: Route,
    per_day: Amount,
) -> Option<Equivalent> {
    let f = table.factor(&substance.id, route)?;
    Some(Equivalent {
        unit: table.unit,
        per_day: per_day.as_f64() * f.factor.value,
        factor: f.factor.value,
        status: f.factor.status,
        source: f.factor.source.clone(),
        table: table.id.clone(),
    })
}

/// Converts a regimen.
pub fn convert(
    data: &ReferenceData,
    regimen: &Regimen,
    tables: &TableChoice,
) -> Result<Conversion, InputError> {
    let drugs = resolve(data, regimen)?;
    let tables = Tables::choose(data, tables)?;
    convert_resolved(data, &drugs, tables)
}

/// Warnings about a drug's products: unverified strengths and splits (one notice each,
/// naming every product concerned) and licence or extemporaneous products.
pub fn product_warnings(products: &[&crate::reference::Product]) -> Vec<Notice> {
    let mut out = Vec::new();
    let names = |f: &dyn Fn(&crate::reference::Product) -> Option<Status>| {
        let hits: Vec<(String, Status)> = products
            .iter()
            .filter_map(|p| f(p).map(|s| (p.display_name(), s)))
            .collect();
        let worst = hits.iter().map(|h| h.1).max();
        worst.map(|w| {
            (
                hits.into_iter().map(|h| h.0).collect::<Vec<_>>().join(", "),
                w,
            )
        })
    };
    if let Some((product, status)) = names(&|p| {
        p.strength
            .status
            .is_unverified()
            .then_some(p.strength.status)
    }) {
        out.push(Notice::UnverifiedStrength { product, status });
    }
    let split = |p: &crate::reference::Product| {
        (p.divisible.value != crate::reference::Divisible::Whole
            && p.divisible.status.is_unverified())
        .then_some(p.divisible.status)
    };
    if let Some((product, status)) = names(&split) {
        out.push(Notice::UnverifiedSplit { product, status });
    }
    for p in products {
        if p.kind != ProductKind::Registered {
            out.push(Notice::SpecialProduct {
                product: p.display_name(),
                kind: p.kind,
            });
        }
    }
    out
}

/// Converts checked drugs; refuses impossible doses, naming the field.
pub fn convert_resolved(
    data: &ReferenceData,
    drugs: &[ResolvedDrug<'_>],
    tables: Tables<'_>,
) -> Result<Conversion, InputError> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (i, d) in drugs.iter().enumerate() {
        let s = d.substance;
        let per_day = d.total();
        let mg = mg_per_day(d.route, per_day);
        let table = tables.for_class(s.class);
        let eq = table.and_then(|t| equivalent(t, s, d.route, per_day));
        let ddd = s.ddd_mg.as_ref().map(|ddd| mg / ddd.value);
        if let Some(v) = ddd
            && v > IMPOSSIBLE_DDD
        {
            return Err(InputError::new(
                format!("drugs[{i}].doses"),
                Problem::Impossible {
                    limit: format!("{IMPOSSIBLE_DDD} DDD"),
                },
            ));
        }
        if ddd.is_none()
            && let Some(e) = &eq
            && let Some((_, limit)) = IMPOSSIBLE_EQUIVALENT.iter().find(|(u, _)| *u == e.unit)
            && e.per_day > *limit
        {
            return Err(InputError::new(
                format!("drugs[{i}].doses"),
                Problem::Impossible {
                    limit: format!("{limit} {}", e.unit.label()),
                },
            ));
        }
        if let Some(v) = ddd
            && v > IMPLAUSIBLE_DDD
        {
            warnings.push(Notice::Implausible {
                substance: s.name.clone(),
                ddd: v,
            });
        }
        match (&s.ddd_mg, table) {
            (None, _) => warnings.push(Notice::NoDdd {
                substance: s.name.clone(),
            }),
            (Some(ddd), _) if ddd.status.is_unverified() => warnings.push(Notice::UnverifiedDdd {
                substance: s.name.clone(),
                status: ddd.status,
            }),
            _ => {}
        }
        match (&eq, table) {
            (Some(e), Some(t)) if e.status.is_unverified() => {
                warnings.push(Notice::UnverifiedFactor {
                    substance: s.name.clone(),
                    table: t.name.clone(),
                    status: e.status,
                })
            }
            (None, Some(t)) => warnings.push(Notice::MissingFactor {
                substance: s.name.clone(),
                table: t.name.clone(),
            }),
            _ => {}
        }
        warnings.extend(product_warnings(&d.products));
        if d.as_needed_per_week.is_some() {
            warnings.push(Notice::AsNeeded {
                substance: s.name.clone(),
            });
        }
        out.push(DrugConversion {
            substance: s.id.clone(),
            name: s.name.clone(),
            route: d.route,
            unit: d.route.dose_unit().to_owned(),
            doses: d.slots,
            per_day,
            mg_per_day: mg,
            equivalent: eq,
            ddd_per_day: ddd,
            as_needed_per_week: d.as_needed_per_week,
        });
    }
    let mut totals = Vec::new();
    for unit in [EquivalentUnit::De, EquivalentUnit::Mme] {
        let of_unit: Vec<(&ResolvedDrug, &DrugConversion)> = drugs
            .iter()
            .zip(&out)
            .filter(|(d, _)| d.substance.class.equivalent_unit() == Some(unit))
            .collect();
        if of_unit.is_empty() {
            continue;
        }
        let table = match unit {
            EquivalentUnit::De => tables.de,
            EquivalentUnit::Mme => tables.mme,
        };
        totals.push(EquivalentTotal {
            unit,
            per_day: of_unit
                .iter()
                .filter_map(|(_, c)| c.equivalent.as_ref())
                .map(|e| e.per_day)
                .sum(),
            table: table.id.clone(),
            complete: of_unit.iter().all(|(_, c)| c.equivalent.is_some()),
        });
    }
    let has = |class: &[DrugClass]| drugs.iter().any(|d| class.contains(&d.substance.class));
    if has(&[DrugClass::Opioid]) && has(&[DrugClass::Benzodiazepine, DrugClass::ZDrug]) {
        warnings.insert(0, Notice::OpioidWithBenzodiazepine);
    }
    if let Some(t) = totals.iter().find(|t| t.unit == EquivalentUnit::Mme)
        && t.per_day >= HIGH_MME
    {
        warnings.insert(0, Notice::HighMme { mme: t.per_day });
    }
    Ok(Conversion {
        data_version: data.version.clone(),
        drugs: out,
        totals,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regimen::DrugUse;

    fn drug(substance: &str, doses: &[f64]) -> DrugUse {
        DrugUse {
            substance: substance.into(),
            route: None,
            doses: doses.to_vec(),
            products: vec![],
            as_needed: None,
            special_products: false,
        }
    }

    /// Table-driven: (regimen, table choice) → (per-drug equivalents, totals).
    #[test]
    fn converts_to_equivalents() {
        let data = ReferenceData::builtin().unwrap();
        let check =
            |drugs: Vec<DrugUse>, de: Option<&str>, mme: Option<&str>, expect: &[(&str, f64)]| {
                let c = convert(
                    &data,
                    &Regimen { drugs },
                    &TableChoice {
                        de: de.map(Into::into),
                        mme: mme.map(Into::into),
                    },
                )
                .unwrap();
                let got: Vec<(String, f64)> = c
                    .totals
                    .iter()
                    .map(|t| {
                        (
                            t.unit.label().to_owned(),
                            (t.per_day * 1000.0).round() / 1000.0,
                        )
                    })
                    .collect();
                let expect: Vec<(String, f64)> =
                    expect.iter().map(|(u, v)| ((*u).to_owned(), *v)).collect();
                assert_eq!(got, expect);
            };
        // Oxazepam 45 mg: 22.5 DE by Ashton, 15 by VA/DoD.
        check(
            vec![drug("oxazepam", &[10.0, 10.0, 0.0, 25.0])],
            None,
            None,
            &[("DE", 22.5)],
        );
        check(
            vec![drug("oxazepam", &[10.0, 10.0, 0.0, 25.0])],
            Some("va-dod"),
            None,
            &[("DE", 14.999)],
        );
        // Alprazolam 1 mg + zopiclone 7.5 mg: 20 + 5 DE.
        check(
            vec![
                drug("alprazolam", &[0.5, 0.0, 0.5]),
                drug("zopiclone", &[0.0, 0.0, 0.0, 7.5]),
            ],
            None,
            None,
            &[("DE", 25.0)],
        );
        // Oxycodone 40 mg: 60 MME (Helsedirektoratet), 80 (Uppsala).
        check(
            vec![drug("oxycodone", &[20.0, 0.0, 20.0])],
            None,
            None,
            &[("MME", 60.0)],
        );
        check(
            vec![drug("oxycodone", &[20.0, 0.0, 20.0])],
            None,
            Some("uppsala-2020"),
            &[("MME", 80.0)],
        );
        // Fentanyl 25 µg/h: 60 MME.
        check(
            vec![drug("fentanyl", &[25.0])],
            None,
            Some("cdc-2022"),
            &[("MME", 60.0)],
        );
        // Gabapentinoids have no equivalents.
        check(
            vec![drug("pregabalin", &[150.0, 0.0, 150.0])],
            None,
            None,
            &[],
        );
    }

    #[test]
    fn warns_about_combinations_and_doses() {
        let data = ReferenceData::builtin().unwrap();
        let c = convert(
            &data,
            &Regimen {
                drugs: vec![
                    drug("oxycodone", &[20.0, 0.0, 20.0]),
                    drug("diazepam", &[5.0, 0.0, 5.0]),
                    // Ashton's zolpidem factor is not yet verified against a source.
                    drug("zolpidem", &[0.0, 0.0, 10.0]),
                ],
            },
            &TableChoice::default(),
        )
        .unwrap();
        assert!(c.warnings.contains(&Notice::OpioidWithBenzodiazepine));
        assert!(
            c.warnings
                .iter()
                .any(|w| matches!(w, Notice::HighMme { mme } if *mme == 60.0))
        );
        assert!(
            c.warnings
                .iter()
                .any(|w| matches!(w, Notice::UnverifiedFactor { .. }))
        );
        let d = &c.drugs[1];
        assert_eq!(d.ddd_per_day, Some(1.0));
        // Impossible: 50 DDD of diazepam.
        let err = convert(
            &data,
            &Regimen {
                drugs: vec![drug("diazepam", &[250.0, 250.0, 0.0])],
            },
            &TableChoice::default(),
        )
        .unwrap_err();
        assert_eq!(err.field, "drugs[0].doses");
        assert!(matches!(err.problem, Problem::Impossible { .. }));
        // Implausible: 6 DDD warns.
        let c = convert(
            &data,
            &Regimen {
                drugs: vec![drug("diazepam", &[20.0, 20.0, 20.0])],
            },
            &TableChoice::default(),
        )
        .unwrap();
        assert!(
            c.warnings
                .iter()
                .any(|w| matches!(w, Notice::Implausible { .. }))
        );
        // A DE table for MME is refused.
        let err = convert(
            &data,
            &Regimen {
                drugs: vec![drug("diazepam", &[5.0, 0.0, 0.0])],
            },
            &TableChoice {
                de: Some("cdc-2022".into()),
                mme: None,
            },
        )
        .unwrap_err();
        assert_eq!(err.field, "tables.de");
    }
}
