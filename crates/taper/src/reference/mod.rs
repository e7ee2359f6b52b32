//! Reference data: substances, products on the Swedish market, DDD and equivalence
//! tables, each value with its source and its V/M/U status.
//!
//! The files live in `data/taper/` and are compiled in; [`ReferenceData::builtin`] parses
//! and validates them (a bad file is a start-up error, never a silent default). A unit's
//! own choices — products added or disabled, default tables — are applied with
//! [`ReferenceData::for_unit`], which validates again and gives the result its own
//! version, so every plan records exactly which data it was made from.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::amount::Amount;
pub use crate::kinds::{
    Divisible, DrugClass, EquivalentUnit, Form, HalfLife, ProductKind, Release, Route, Source,
    Sourced, Status,
};

mod load;

/// A substance.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Substance {
    /// Stable id (English INN in lower case).
    pub id: String,
    /// Swedish name.
    pub name: String,
    /// ATC code.
    pub atc: String,
    /// Group.
    pub class: DrugClass,
    /// Taken for sleep: its evening and night doses are reduced last.
    pub hypnotic: bool,
    /// Half-life class.
    pub half_life: Sourced<HalfLife>,
    /// WHO DDD in mg a day, if there is one.
    pub ddd_mg: Option<Sourced<f64>>,
    /// ED50 of the Emax model for hyperbolic tapers, in DDDs.
    pub ed50_ddd: Option<Sourced<f64>>,
    /// A note for clinicians.
    pub note: Option<String>,
}

/// A product: one strength of one brand and form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Product {
    /// Stable id.
    pub id: String,
    /// Substance id.
    pub substance: String,
    /// Name as on the package.
    pub name: String,
    /// Form.
    pub form: Form,
    /// Route.
    pub route: Route,
    /// Release.
    pub release: Release,
    /// Strength per unit (mg, µg/h) or concentration (mg/ml).
    pub strength: Sourced<Amount>,
    /// How it may be divided (solid forms).
    pub divisible: Sourced<Divisible>,
    /// Registered, licence or extemporaneous.
    pub kind: ProductKind,
    /// For liquids: the smallest measurable volume in ml and how it is named
    /// ("ml", "droppar").
    pub measure: Option<Measure>,
    /// For patches: hours between changes.
    pub change_hours: Option<u32>,
    /// Another substance in the same unit (e.g. "paracetamol 500 mg").
    pub companion: Option<String>,
    /// A note for clinicians.
    pub note: Option<String>,
    /// False when the unit has disabled the product.
    pub enabled: bool,
}

/// How a liquid is measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Measure {
    /// The volume of one measured step (one drop, or 0.1 ml with an oral syringe).
    pub step_ml: f64,
    /// "ml" or "droppar".
    pub label: String,
}

impl Product {
    /// The dose in one smallest piece or measured step.
    pub fn piece(&self) -> Amount {
        match &self.measure {
            Some(m) => Amount((self.strength.value.0 as f64 * m.step_ml).round() as i64),
            None => Amount(
                self.strength.value.0 * i64::from(self.divisible.value.quarters_per_piece()) / 4,
            ),
        }
    }

    /// The unit a patient counts this product in.
    pub fn unit_label(&self) -> &'static str {
        match self.form {
            Form::Tablet | Form::SublingualTablet => "tablett",
            Form::Capsule => "kapsel",
            Form::Patch => "plåster",
            Form::OralSolution => "ml",
            Form::OralDrops => "droppar",
        }
    }

    /// "Oxascand 10 mg", "Durogesic 25 µg/h", "OxyNorm oral lösning 1 mg/ml".
    pub fn display_name(&self) -> String {
        let unit = if self.form.is_liquid() {
            "mg/ml"
        } else {
            self.route.dose_unit()
        };
        format!("{} {} {}", self.name, self.strength.value.sv(), unit)
    }
}

/// One equivalence factor: equivalent units per dose unit.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Factor {
    /// Substance id.
    pub substance: String,
    /// Route.
    pub route: Route,
    /// DE or MME per mg (or per µg/h for patches).
    pub factor: Sourced<f64>,
    /// How the source states it.
    pub note: Option<String>,
}

/// One source's equivalence table.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EquivalenceTable {
    /// Stable id.
    pub id: String,
    /// Name as shown.
    pub name: String,
    /// DE or MME.
    pub unit: EquivalentUnit,
    /// A note.
    pub note: Option<String>,
    /// The factors.
    pub factors: Vec<Factor>,
}

impl EquivalenceTable {
    /// The factor for a substance by a route.
    pub fn factor(&self, substance: &str, route: Route) -> Option<&Factor> {
        self.factors
            .iter()
            .find(|f| f.substance == substance && f.route == route)
    }
}

/// A unit's own choices over the shipped data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnitSettings {
    /// Products the unit does not use.
    #[serde(default)]
    pub disabled_products: Vec<String>,
    /// Products the unit adds (licence or extemporaneous preparations, new strengths).
    #[serde(default)]
    pub added_products: Vec<Product>,
    /// The unit's default DE table.
    pub default_de_table: Option<String>,
    /// The unit's default MME table.
    pub default_mme_table: Option<String>,
    /// ED50 overrides for hyperbolic tapers (substance id → DDDs); always unverified.
    #[serde(default)]
    pub ed50_ddd: BTreeMap<String, f64>,
    /// How the unit adapts plans to symptoms (guidelines disagree on stepping back).
    #[serde(default)]
    pub adaptation: crate::rules::Policy,
    /// The unit's own values of the engine's defaults ([`crate::rules`]), each within
    /// [`crate::rules::RuleId::range`]; always unverified (the unit's decision).
    #[serde(default)]
    pub rules: BTreeMap<crate::rules::RuleId, f64>,
    /// The unit's own dose-time rule per group, where it differs from the engine's.
    #[serde(default)]
    pub dose_times: BTreeMap<crate::rules::DoseTimeGroup, crate::rules::DoseTimeRule>,
}

/// All reference data, validated.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReferenceData {
    /// The data version: the file version and a digest of the content.
    pub version: String,
    /// Cited sources.
    pub sources: Vec<Source>,
    /// Substances.
    pub substances: Vec<Substance>,
    /// Products.
    pub products: Vec<Product>,
    /// Equivalence tables.
    pub tables: Vec<EquivalenceTable>,
    /// The default DE table id.
    pub default_de_table: String,
    /// The default MME table id.
    pub default_mme_table: String,
    /// The engine's clinical defaults ([`crate::rules`]).
    pub rules: Vec<crate::rules::Rule>,
    /// The unit's dose-time rule per group where it differs from the engine's.
    #[serde(default)]
    pub dose_times: BTreeMap<crate::rules::DoseTimeGroup, crate::rules::DoseTimeRule>,
    #[serde(skip)]
    #[schemars(skip)]
    index: Index,
}

#[derive(Debug, Clone, Default)]
struct Index {
    substances: HashMap<String, usize>,
    products: HashMap<String, usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verified_value_must_name_the_document_it_was_checked_against() {
        let data = ReferenceData::builtin().expect("reference data");
        let mut strength = data.clone();
        let p = strength
            .products
            .iter_mut()
            .find(|p| p.id == "oxascand-5")
            .unwrap();
        (p.strength.status, p.strength.source) = (Status::V, "general-knowledge".into());
        assert!(strength.validate().is_err(), "a product's strength");
        let mut factor = data.clone();
        let f = &mut factor.tables[0].factors[0];
        (f.factor.status, f.factor.source) = (Status::V, "trappa-assumption".into());
        assert!(factor.validate().is_err(), "a factor");
        let mut fine = data.clone();
        assert!(fine.validate().is_ok());
    }

    #[test]
    fn builtin_data_loads_and_validates() {
        let data = ReferenceData::builtin().expect("reference data");
        assert!(data.version.starts_with("2026-"));
        assert_eq!(data.substance("oxazepam").unwrap().atc, "N05BA04");
        assert_eq!(data.find_substance("Klonazepam").unwrap().id, "clonazepam");
        let ashton = data.table("ashton").unwrap();
        let f = ashton.factor("oxazepam", Route::Oral).unwrap();
        assert_eq!((f.factor.value, f.factor.status), (0.5, Status::V));
        assert_eq!(
            data.default_table(EquivalentUnit::Mme).id,
            "helsedirektoratet"
        );
        // A modified-release product is never split in the shipped data unless verified.
        for p in &data.products {
            if p.release == Release::Modified && p.divisible.value != Divisible::Whole {
                assert_eq!(p.divisible.status, Status::V, "{}", p.id);
            }
        }
    }

    #[test]
    fn a_units_defaults_and_dose_time_rules_are_its_own_and_within_range() {
        use crate::rules::RuleId;
        use crate::rules::{DoseTimeGroup, DoseTimeRule};
        let data = ReferenceData::builtin().unwrap();
        let unit = data
            .for_unit(&UnitSettings {
                rules: [(RuleId::OpioidPercent, 5.0)].into(),
                dose_times: [
                    (DoseTimeGroup::Anxiolytic, DoseTimeRule::NightLast),
                    // The engine's own rule is no override.
                    (DoseTimeGroup::Hypnotic, DoseTimeRule::NightLast),
                ]
                .into(),
                ..Default::default()
            })
            .unwrap();
        let rule = unit.rule(RuleId::OpioidPercent);
        assert_eq!(
            (
                rule.value.value,
                rule.value.status,
                rule.value.source.as_str()
            ),
            (5.0, Status::U, "unit-setting")
        );
        assert_eq!(
            unit.rule(RuleId::OpioidIntervalWeeks),
            data.rule(RuleId::OpioidIntervalWeeks)
        );
        assert_eq!(
            unit.dose_time_rule(DoseTimeGroup::Anxiolytic),
            DoseTimeRule::NightLast
        );
        assert_eq!(
            data.dose_time_rule(DoseTimeGroup::Anxiolytic),
            DoseTimeRule::Even
        );
        assert_eq!(unit.dose_times.len(), 1);
        assert_ne!(unit.version, data.version);
        for (id, value) in [
            (RuleId::OpioidPercent, 30.0),
            (RuleId::OpioidIntervalWeeks, 0.0),
            (RuleId::SwitchPortionDe, f64::NAN),
        ] {
            let bad = data.for_unit(&UnitSettings {
                rules: [(id, value)].into(),
                ..Default::default()
            });
            assert!(bad.is_err(), "{id:?} = {value}");
        }
        // Every rule's field name is its id in the file and in JSON.
        for id in RuleId::ALL {
            assert_eq!(
                serde_json::to_string(&id).unwrap(),
                format!("\"{}\"", id.key())
            );
        }
        for r in DoseTimeRule::ALL {
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.key())
            );
        }
    }

    #[test]
    fn unit_settings_change_the_version_and_are_validated() {
        let data = ReferenceData::builtin().unwrap();
        let unit = data
            .for_unit(&UnitSettings {
                disabled_products: vec!["oxascand-15".into()],
                default_de_table: Some("va-dod".into()),
                ..Default::default()
            })
            .unwrap();
        assert_ne!(unit.version, data.version);
        assert!(!unit.product("oxascand-15").unwrap().enabled);
        assert_eq!(unit.default_table(EquivalentUnit::De).id, "va-dod");
        let bad = data.for_unit(&UnitSettings {
            default_de_table: Some("cdc-2022".into()),
            ..Default::default()
        });
        assert!(bad.is_err(), "an MME table cannot be the DE default");
        // A product the unit adds is its own: unverified whatever it claims, and it can
        // be taken out of use again like any other.
        let mut drops = data.product("klonazepam-droppar-2.5").unwrap().clone();
        drops.id = "unit-klonazepam-1".into();
        drops.strength.status = Status::V;
        let added = data
            .for_unit(&UnitSettings {
                added_products: vec![drops.clone()],
                disabled_products: vec!["unit-klonazepam-1".into()],
                ..Default::default()
            })
            .unwrap();
        let p = added.product("unit-klonazepam-1").unwrap();
        assert_eq!(
            (p.strength.status, p.strength.source.as_str(), p.enabled),
            (Status::U, "unit-setting", false)
        );
        let twice = data.for_unit(&UnitSettings {
            added_products: vec![drops.clone(), drops],
            ..Default::default()
        });
        assert!(twice.is_err(), "the same id twice");
        let unknown = data.for_unit(&UnitSettings {
            disabled_products: vec!["nope".into()],
            ..Default::default()
        });
        assert!(unknown.is_err());
    }
}
