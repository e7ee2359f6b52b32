//! Reference data: substances, products on the Swedish market, DDD and equivalence
//! tables, each value with its source and its V/M/U status.
//!
//! The files live in `data/taper/` and are compiled in; [`ReferenceData::builtin`] parses
//! and validates them (a bad file is a start-up error, never a silent default). A unit's
//! own choices — products added or disabled, default tables — are applied with
//! [`ReferenceData::for_unit`], which validates again and gives the result its own
//! version, so every plan records exactly which data it was made from.

use std::collections::{BTreeMap, HashMap, HashSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::amount::Amount;
use crate::error::DataError;

const VERSION: &str = include_str!("../../../data/taper/VERSION");
const SOURCES: &str = include_str!("../../../data/taper/sources.csv");
const SUBSTANCES: &str = include_str!("../../../data/taper/substances.csv");
const PRODUCTS: &str = include_str!("../../../data/taper/products.csv");
const TABLES: &str = include_str!("../../../data/taper/tables.csv");
const EQUIVALENCE: &str = include_str!("../../../data/taper/equivalence.csv");

/// How far a value has been checked (the legend of the reference collection).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Status {
    /// Checked against the cited page.
    V,
    /// From general knowledge or memory; not checked.
    M,
    /// Uncertain, or conflicting between sources.
    U,
}

impl Status {
    /// True for anything not checked against its source.
    pub fn is_unverified(self) -> bool {
        self != Status::V
    }
}

/// A value with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// V, M or U.
    pub status: Status,
    /// The id of a row in the sources file.
    pub source: String,
}

/// A cited source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// Stable id.
    pub id: String,
    /// What it is.
    pub title: String,
    /// Where to read it, when public.
    pub url: Option<String>,
}

/// The pharmacological group, which decides the equivalent unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DrugClass {
    /// Benzodiazepines.
    Benzodiazepine,
    /// Z-drugs (zopiclone, zolpidem).
    ZDrug,
    /// Opioids.
    Opioid,
    /// Pregabalin and gabapentin: no accepted equivalence.
    Gabapentinoid,
}

impl DrugClass {
    /// The unit doses of this class are summed in, if any.
    pub fn equivalent_unit(self) -> Option<EquivalentUnit> {
        match self {
            DrugClass::Benzodiazepine | DrugClass::ZDrug => Some(EquivalentUnit::De),
            DrugClass::Opioid => Some(EquivalentUnit::Mme),
            DrugClass::Gabapentinoid => None,
        }
    }
}

/// Diazepam or oral morphine equivalents.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
pub enum EquivalentUnit {
    /// Diazepam equivalents, mg a day.
    #[serde(rename = "DE")]
    De,
    /// Oral morphine equivalents, mg a day.
    #[serde(rename = "MME")]
    Mme,
}

impl EquivalentUnit {
    /// The abbreviation used in Swedish and English text.
    pub fn label(self) -> &'static str {
        match self {
            EquivalentUnit::De => "DE",
            EquivalentUnit::Mme => "MME",
        }
    }
}

/// Half-life class (Ashton's ranges, active metabolites counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HalfLife {
    /// Under 12 hours.
    Short,
    /// 12–24 hours.
    Intermediate,
    /// Over 24 hours.
    Long,
}

/// How a product is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Swallowed.
    Oral,
    /// Under the tongue.
    Sublingual,
    /// A patch on the skin; doses in µg/h.
    Transdermal,
}

impl Route {
    /// The unit a dose of this route is written in.
    pub fn dose_unit(self) -> &'static str {
        match self {
            Route::Transdermal => "µg/h",
            _ => "mg",
        }
    }
}

/// Pharmaceutical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// Tablet.
    Tablet,
    /// Capsule (never opened or split).
    Capsule,
    /// Sublingual tablet (never split).
    SublingualTablet,
    /// Oral solution measured in ml.
    OralSolution,
    /// Oral drops counted in drops.
    OralDrops,
    /// Transdermal patch (never cut).
    Patch,
}

impl Form {
    /// Liquids are measured, not counted.
    pub fn is_liquid(self) -> bool {
        matches!(self, Form::OralSolution | Form::OralDrops)
    }
}

/// Immediate or modified release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Release {
    /// Immediate release.
    Immediate,
    /// Modified (prolonged) release: never split unless the SmPC allows it.
    Modified,
}

/// Into how many equal parts a unit may be divided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Divisible {
    /// Whole units only.
    Whole,
    /// Halves.
    Half,
    /// Quarters.
    Quarter,
}

impl Divisible {
    /// Quarters per smallest allowed piece: 4 (whole), 2 (half) or 1 (quarter).
    pub fn quarters_per_piece(self) -> u32 {
        match self {
            Divisible::Whole => 4,
            Divisible::Half => 2,
            Divisible::Quarter => 1,
        }
    }
}

/// Registration status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    /// On the Swedish market.
    Registered,
    /// Licence product (licensläkemedel).
    Licence,
    /// Made by a pharmacy to order (extempore).
    Extemporaneous,
}

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
    pub adaptation: crate::adapt::Policy,
    /// The unit's own values of the engine's defaults ([`crate::rules`]), each within
    /// [`crate::rules::RuleId::range`]; always unverified (the unit's decision).
    #[serde(default)]
    pub rules: BTreeMap<crate::rules::RuleId, f64>,
    /// The unit's own dose-time rule per group, where it differs from the engine's.
    #[serde(default)]
    pub dose_times: BTreeMap<crate::plan::DoseTimeGroup, crate::plan::DoseTimeRule>,
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
    pub dose_times: BTreeMap<crate::plan::DoseTimeGroup, crate::plan::DoseTimeRule>,
    #[serde(skip)]
    #[schemars(skip)]
    index: Index,
}

#[derive(Debug, Clone, Default)]
struct Index {
    substances: HashMap<String, usize>,
    products: HashMap<String, usize>,
}

#[derive(Deserialize)]
struct SubstanceRow {
    id: String,
    name: String,
    atc: String,
    class: DrugClass,
    hypnotic: bool,
    half_life: HalfLife,
    half_life_status: Status,
    half_life_source: String,
    ddd: Option<f64>,
    ddd_unit: Option<String>,
    ddd_status: Status,
    ddd_source: String,
    ed50_ddd: Option<f64>,
    ed50_status: Status,
    ed50_source: String,
    note: Option<String>,
}

#[derive(Deserialize)]
struct ProductRow {
    id: String,
    substance: String,
    name: String,
    form: Form,
    route: Route,
    release: Release,
    strength: f64,
    unit: String,
    divisible: Option<Divisible>,
    kind: ProductKind,
    measure_ml: Option<f64>,
    measure_label: Option<String>,
    change_hours: Option<u32>,
    companion: Option<String>,
    status: Status,
    source: String,
    split_status: Option<Status>,
    split_source: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct TableRow {
    id: String,
    name: String,
    unit: EquivalentUnit,
    default: bool,
    note: Option<String>,
}

#[derive(Deserialize)]
struct FactorRow {
    table: String,
    substance: String,
    route: Route,
    factor: f64,
    status: Status,
    source: String,
    note: Option<String>,
}

fn rows<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> Result<Vec<T>, DataError> {
    let mut out = Vec::new();
    for (i, row) in csv::Reader::from_reader(text.as_bytes())
        .deserialize::<T>()
        .enumerate()
    {
        out.push(row.map_err(|e| DataError::new(file, i + 2, e.to_string()))?);
    }
    Ok(out)
}

impl ReferenceData {
    /// The data shipped with Trappa, parsed and validated.
    pub fn builtin() -> Result<ReferenceData, DataError> {
        let sources = rows::<Source>("sources.csv", SOURCES)?;
        let substances = rows::<SubstanceRow>("substances.csv", SUBSTANCES)?
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                substance_from_row(r).map_err(|e| DataError::new("substances.csv", i + 2, e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let products = rows::<ProductRow>("products.csv", PRODUCTS)?
            .into_iter()
            .enumerate()
            .map(|(i, r)| product_from_row(r).map_err(|e| DataError::new("products.csv", i + 2, e)))
            .collect::<Result<Vec<_>, _>>()?;
        let table_rows = rows::<TableRow>("tables.csv", TABLES)?;
        let factor_rows = rows::<FactorRow>("equivalence.csv", EQUIVALENCE)?;
        let mut tables: Vec<EquivalenceTable> = table_rows
            .iter()
            .map(|t| EquivalenceTable {
                id: t.id.clone(),
                name: t.name.clone(),
                unit: t.unit,
                note: t.note.clone(),
                factors: Vec::new(),
            })
            .collect();
        for (i, f) in factor_rows.into_iter().enumerate() {
            let table = tables.iter_mut().find(|t| t.id == f.table).ok_or_else(|| {
                DataError::new(
                    "equivalence.csv",
                    i + 2,
                    format!("unknown table {}", f.table),
                )
            })?;
            table.factors.push(Factor {
                substance: f.substance,
                route: f.route,
                factor: Sourced {
                    value: f.factor,
                    status: f.status,
                    source: f.source,
                },
                note: f.note,
            });
        }
        let default_of = |unit| {
            let defaults: Vec<&TableRow> = table_rows
                .iter()
                .filter(|t| t.unit == unit && t.default)
                .collect();
            match defaults.as_slice() {
                [one] => Ok(one.id.clone()),
                _ => Err(DataError::new(
                    "tables.csv",
                    0,
                    format!("exactly one default {} table needed", unit.label()),
                )),
            }
        };
        let mut data = ReferenceData {
            version: String::new(),
            sources,
            substances,
            products,
            tables,
            default_de_table: default_of(EquivalentUnit::De)?,
            default_mme_table: default_of(EquivalentUnit::Mme)?,
            rules: crate::rules::parse(crate::rules::RULES)?,
            dose_times: BTreeMap::new(),
            index: Index::default(),
        };
        data.version = format!("{}+{}", VERSION.trim(), data.digest());
        data.validate()?;
        Ok(data)
    }

    /// A clinical default ([`crate::rules`]); every rule is there once validated.
    pub fn rule(&self, id: crate::rules::RuleId) -> &crate::rules::Rule {
        self.rules
            .iter()
            .find(|r| r.id == id)
            .expect("validated reference data has every rule")
    }

    /// The dose-time rule of a group: the unit's, or the engine's.
    pub fn dose_time_rule(&self, group: crate::plan::DoseTimeGroup) -> crate::plan::DoseTimeRule {
        self.dose_times
            .get(&group)
            .copied()
            .unwrap_or_else(|| group.default_rule())
    }

    /// This data with a unit's choices applied, validated, with its own version.
    pub fn for_unit(&self, settings: &UnitSettings) -> Result<ReferenceData, DataError> {
        let mut data = self.clone();
        for added in &settings.added_products {
            if data.products.iter().any(|p| p.id == added.id) {
                return Err(DataError::new(
                    "unit settings",
                    0,
                    format!("product {} already exists", added.id),
                ));
            }
            let mut added = added.clone();
            // What a unit enters is its own, never verified against a source.
            added.strength.status = Status::U;
            added.strength.source = "unit-setting".into();
            added.divisible.status = Status::U;
            added.divisible.source = "unit-setting".into();
            added.enabled = true;
            data.products.push(added);
        }
        for id in &settings.disabled_products {
            let p = data
                .products
                .iter_mut()
                .find(|p| &p.id == id)
                .ok_or_else(|| {
                    DataError::new("unit settings", 0, format!("unknown product {id}"))
                })?;
            p.enabled = false;
        }
        for (substance, ed50) in &settings.ed50_ddd {
            let s = data
                .substances
                .iter_mut()
                .find(|s| &s.id == substance)
                .ok_or_else(|| {
                    DataError::new("unit settings", 0, format!("unknown substance {substance}"))
                })?;
            s.ed50_ddd = Some(Sourced {
                value: *ed50,
                status: Status::U,
                source: "unit-setting".into(),
            });
        }
        for (id, value) in &settings.rules {
            let (min, max) = id.range();
            if !(value.is_finite() && *value >= min && *value <= max) {
                return Err(DataError::new(
                    "unit settings",
                    0,
                    format!("rule {id:?}: {value} outside {min}..={max}"),
                ));
            }
            if let Some(rule) = data.rules.iter_mut().find(|r| r.id == *id) {
                rule.value = Sourced {
                    value: *value,
                    status: Status::U,
                    source: "unit-setting".into(),
                };
            }
        }
        data.dose_times = settings
            .dose_times
            .iter()
            .filter(|(group, rule)| group.default_rule() != **rule)
            .map(|(g, r)| (*g, *r))
            .collect();
        if let Some(t) = &settings.default_de_table {
            data.default_de_table = t.clone();
        }
        if let Some(t) = &settings.default_mme_table {
            data.default_mme_table = t.clone();
        }
        if !data.sources.iter().any(|s| s.id == "unit-setting") {
            data.sources.push(Source {
                id: "unit-setting".into(),
                title: "Enhetens eget val".into(),
                url: None,
            });
        }
        let base = self.version.clone();
        data.version = String::new();
        data.version = format!("{base}+unit.{}", data.digest());
        data.validate()?;
        Ok(data)
    }

    fn digest(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let hash = Sha256::digest(&json);
        hash.iter().take(4).map(|b| format!("{b:02x}")).collect()
    }

    /// Checks every cross-reference and every value's range, and builds the indexes.
    fn validate(&mut self) -> Result<(), DataError> {
        let err = |file: &'static str, msg: String| Err(DataError::new(file, 0, msg));
        let source_ids: HashSet<&str> = self.sources.iter().map(|s| s.id.as_str()).collect();
        let known = |s: &str| source_ids.contains(s);
        // A value marked verified names the document it was checked against, never the
        // collection's memory or Trappa's own default.
        let unchecked = |s: &str| matches!(s, "general-knowledge" | "trappa-assumption");
        let verified_without_source = |v: Status, src: &str| v == Status::V && unchecked(src);
        for r in &self.rules {
            if !known(&r.value.source) || verified_without_source(r.value.status, &r.value.source) {
                return err(
                    "rules.csv",
                    format!("rule {:?}: unknown or unchecked source", r.id),
                );
            }
        }
        if let Some(id) = crate::rules::RuleId::ALL
            .iter()
            .find(|id| !self.rules.iter().any(|r| r.id == **id))
        {
            return err("rules.csv", format!("rule {id:?} missing"));
        }
        let mut substances = HashMap::new();
        for (i, s) in self.substances.iter().enumerate() {
            if substances.insert(s.id.clone(), i).is_some() {
                return err("substances.csv", format!("duplicate substance {}", s.id));
            }
            for src in [
                Some(&s.half_life.source),
                s.ddd_mg.as_ref().map(|d| &d.source),
                s.ed50_ddd.as_ref().map(|d| &d.source),
            ]
            .into_iter()
            .flatten()
            {
                if !known(src) {
                    return err("substances.csv", format!("{}: unknown source {src}", s.id));
                }
            }
            if let Some(d) = &s.ddd_mg
                && !(d.value > 0.0 && d.value.is_finite())
            {
                return err("substances.csv", format!("{}: DDD must be positive", s.id));
            }
            if let Some(e) = &s.ed50_ddd
                && !(e.value > 0.0 && e.value.is_finite())
            {
                return err("substances.csv", format!("{}: ED50 must be positive", s.id));
            }
        }
        let mut products = HashMap::new();
        for (i, p) in self.products.iter().enumerate() {
            if products.insert(p.id.clone(), i).is_some() {
                return err("products.csv", format!("duplicate product {}", p.id));
            }
            if !substances.contains_key(&p.substance) {
                return err(
                    "products.csv",
                    format!("{}: unknown substance {}", p.id, p.substance),
                );
            }
            for src in [&p.strength.source, &p.divisible.source] {
                if !known(src) {
                    return err("products.csv", format!("{}: unknown source {src}", p.id));
                }
            }
            if verified_without_source(p.strength.status, &p.strength.source)
                || verified_without_source(p.divisible.status, &p.divisible.source)
            {
                return err(
                    "products.csv",
                    format!("{}: a verified value must name its source", p.id),
                );
            }
            if p.strength.value.0 <= 0 {
                return err(
                    "products.csv",
                    format!("{}: strength must be positive", p.id),
                );
            }
            let never_split =
                matches!(p.form, Form::Capsule | Form::SublingualTablet | Form::Patch);
            if never_split && p.divisible.value != Divisible::Whole {
                return err(
                    "products.csv",
                    format!(
                        "{}: capsules, sublingual tablets and patches are never split",
                        p.id
                    ),
                );
            }
            if p.release == Release::Modified
                && p.divisible.value != Divisible::Whole
                && p.divisible.status != Status::V
            {
                return err(
                    "products.csv",
                    format!(
                        "{}: a modified-release product may be split only where the SmPC (verified) says so",
                        p.id
                    ),
                );
            }
            if p.form.is_liquid() != p.measure.is_some() {
                return err(
                    "products.csv",
                    format!(
                        "{}: liquids, and only liquids, have a measured volume",
                        p.id
                    ),
                );
            }
            if let Some(m) = &p.measure
                && (!(m.step_ml > 0.0 && m.step_ml <= 5.0) || p.piece().0 <= 0)
            {
                return err(
                    "products.csv",
                    format!("{}: measured volume out of range", p.id),
                );
            }
            if (p.form == Form::Patch) != (p.route == Route::Transdermal) {
                return err(
                    "products.csv",
                    format!("{}: patches and only patches are transdermal", p.id),
                );
            }
            if (p.form == Form::Patch) != p.change_hours.is_some() {
                return err(
                    "products.csv",
                    format!("{}: patches need a change interval", p.id),
                );
            }
        }
        let mut table_ids = HashSet::new();
        for t in &self.tables {
            if !table_ids.insert(t.id.clone()) {
                return err("tables.csv", format!("duplicate table {}", t.id));
            }
            let mut seen = HashSet::new();
            for f in &t.factors {
                let Some(&si) = substances.get(&f.substance) else {
                    return err(
                        "equivalence.csv",
                        format!("{}: unknown substance {}", t.id, f.substance),
                    );
                };
                if self.substances[si].class.equivalent_unit() != Some(t.unit) {
                    return err(
                        "equivalence.csv",
                        format!(
                            "{}: {} is not counted in {}",
                            t.id,
                            f.substance,
                            t.unit.label()
                        ),
                    );
                }
                if !seen.insert((f.substance.clone(), f.route)) {
                    return err(
                        "equivalence.csv",
                        format!("{}: duplicate factor for {}", t.id, f.substance),
                    );
                }
                if !(f.factor.value > 0.0 && f.factor.value.is_finite()) {
                    return err(
                        "equivalence.csv",
                        format!("{}: factor for {} must be positive", t.id, f.substance),
                    );
                }
                if verified_without_source(f.factor.status, &f.factor.source) {
                    return err(
                        "equivalence.csv",
                        format!(
                            "{}: the verified factor for {} must name its source",
                            t.id, f.substance
                        ),
                    );
                }
                if !known(&f.factor.source) {
                    return err(
                        "equivalence.csv",
                        format!("{}: unknown source {}", t.id, f.factor.source),
                    );
                }
            }
        }
        for (id, unit) in [
            (&self.default_de_table, EquivalentUnit::De),
            (&self.default_mme_table, EquivalentUnit::Mme),
        ] {
            match self.tables.iter().find(|t| &t.id == id) {
                Some(t) if t.unit == unit => {}
                _ => {
                    return err(
                        "tables.csv",
                        format!("default table {id} is not a {} table", unit.label()),
                    );
                }
            }
        }
        self.index = Index {
            substances,
            products,
        };
        Ok(())
    }

    /// A substance by id.
    pub fn substance(&self, id: &str) -> Option<&Substance> {
        self.index.substances.get(id).map(|&i| &self.substances[i])
    }

    /// A substance by id, or by its Swedish name.
    pub fn find_substance(&self, name: &str) -> Option<&Substance> {
        let name = name.trim().to_lowercase();
        self.substance(&name)
            .or_else(|| self.substances.iter().find(|s| s.name == name))
    }

    /// A product by id.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.index.products.get(id).map(|&i| &self.products[i])
    }

    /// A table by id.
    pub fn table(&self, id: &str) -> Option<&EquivalenceTable> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The default table for a unit of equivalents.
    pub fn default_table(&self, unit: EquivalentUnit) -> &EquivalenceTable {
        let id = match unit {
            EquivalentUnit::De => &self.default_de_table,
            EquivalentUnit::Mme => &self.default_mme_table,
        };
        self.table(id).expect("validated default table")
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Enabled products of a substance by a route.
    pub fn products_of<'a>(
        &'a self,
        substance: &'a str,
        route: Route,
    ) -> impl Iterator<Item = &'a Product> + 'a {
        self.products
            .iter()
            .filter(move |p| p.enabled && p.substance == substance && p.route == route)
    }
}

fn substance_from_row(r: SubstanceRow) -> Result<Substance, String> {
    let ddd_mg = match (r.ddd, r.ddd_unit.as_deref()) {
        (Some(v), Some("mg")) => Some(Sourced {
            value: v,
            status: r.ddd_status,
            source: r.ddd_source,
        }),
        (None, None) => None,
        _ => return Err("DDD needs a value and the unit mg".into()),
    };
    Ok(Substance {
        id: r.id,
        name: r.name,
        atc: r.atc,
        class: r.class,
        hypnotic: r.hypnotic,
        half_life: Sourced {
            value: r.half_life,
            status: r.half_life_status,
            source: r.half_life_source,
        },
        ddd_mg,
        ed50_ddd: r.ed50_ddd.map(|v| Sourced {
            value: v,
            status: r.ed50_status,
            source: r.ed50_source,
        }),
        note: r.note,
    })
}

fn product_from_row(r: ProductRow) -> Result<Product, String> {
    let expected_unit = match (r.form, r.route) {
        (Form::OralSolution | Form::OralDrops, _) => "mg/ml",
        (_, Route::Transdermal) => "µg/h",
        _ => "mg",
    };
    if r.unit != expected_unit {
        return Err(format!("strength unit must be {expected_unit}"));
    }
    let strength = Amount::from_f64(r.strength).ok_or("strength is not a number")?;
    let divisible = match (r.form.is_liquid(), r.divisible) {
        (true, None) => Divisible::Whole,
        (false, Some(d)) => d,
        (true, Some(_)) => return Err("liquids are measured, not divided".into()),
        (false, None) => return Err("divisibility missing".into()),
    };
    let measure = match (r.measure_ml, r.measure_label) {
        (Some(step_ml), Some(label)) => Some(Measure { step_ml, label }),
        (None, None) => None,
        _ => return Err("a measured volume needs both step and label".into()),
    };
    Ok(Product {
        id: r.id,
        substance: r.substance,
        name: r.name,
        form: r.form,
        route: r.route,
        release: r.release,
        strength: Sourced {
            value: strength,
            status: r.status,
            source: r.source.clone(),
        },
        divisible: Sourced {
            value: divisible,
            status: r.split_status.unwrap_or(r.status),
            source: r.split_source.unwrap_or(r.source),
        },
        kind: r.kind,
        measure,
        change_hours: r.change_hours,
        companion: r.companion,
        note: r.note,
        enabled: true,
    })
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
        use crate::plan::{DoseTimeGroup, DoseTimeRule};
        use crate::rules::RuleId;
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
