//! The reference data read: the compiled-in CSV files parsed row by row, a unit's
//! choices applied, every value validated (a bad file is a start-up error), and the
//! lookups the engine uses.

use crate::amount::Amount;
use crate::error::DataError;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

use super::*;

pub(super) const VERSION: &str = include_str!("../../../../data/taper/VERSION");

pub(super) const SOURCES: &str = include_str!("../../../../data/taper/sources.csv");

pub(super) const SUBSTANCES: &str = include_str!("../../../../data/taper/substances.csv");

pub(super) const PRODUCTS: &str = include_str!("../../../../data/taper/products.csv");

pub(super) const TABLES: &str = include_str!("../../../../data/taper/tables.csv");

pub(super) const EQUIVALENCE: &str = include_str!("../../../../data/taper/equivalence.csv");

#[derive(Deserialize)]
pub(super) struct SubstanceRow {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) atc: String,
    pub(super) class: DrugClass,
    pub(super) hypnotic: bool,
    pub(super) half_life: HalfLife,
    pub(super) half_life_status: Status,
    pub(super) half_life_source: String,
    pub(super) ddd: Option<f64>,
    pub(super) ddd_unit: Option<String>,
    pub(super) ddd_status: Status,
    pub(super) ddd_source: String,
    pub(super) ed50_ddd: Option<f64>,
    pub(super) ed50_status: Status,
    pub(super) ed50_source: String,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct ProductRow {
    pub(super) id: String,
    pub(super) substance: String,
    pub(super) name: String,
    pub(super) form: Form,
    pub(super) route: Route,
    pub(super) release: Release,
    pub(super) strength: f64,
    pub(super) unit: String,
    pub(super) divisible: Option<Divisible>,
    pub(super) kind: ProductKind,
    pub(super) measure_ml: Option<f64>,
    pub(super) measure_label: Option<String>,
    pub(super) change_hours: Option<u32>,
    pub(super) companion: Option<String>,
    pub(super) status: Status,
    pub(super) source: String,
    pub(super) split_status: Option<Status>,
    pub(super) split_source: Option<String>,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct TableRow {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) unit: EquivalentUnit,
    pub(super) default: bool,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct FactorRow {
    pub(super) table: String,
    pub(super) substance: String,
    pub(super) route: Route,
    pub(super) factor: f64,
    pub(super) status: Status,
    pub(super) source: String,
    pub(super) note: Option<String>,
}

pub(super) fn rows<T: for<'de> Deserialize<'de>>(
    file: &'static str,
    text: &str,
) -> Result<Vec<T>, DataError> {
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
    pub fn dose_time_rule(&self, group: crate::rules::DoseTimeGroup) -> crate::rules::DoseTimeRule {
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

    pub(super) fn digest(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let hash = Sha256::digest(&json);
        hash.iter().take(4).map(|b| format!("{b:02x}")).collect()
    }

    /// Checks every cross-reference and every value's range, and builds the indexes;
    /// the first fault found, file by file, is the one returned.
    pub(super) fn validate(&mut self) -> Result<(), DataError> {
        let sources = Sources(self.sources.iter().map(|s| s.id.as_str()).collect());
        self.validate_rules(&sources)?;
        let substances = self.validate_substances(&sources)?;
        let products = self.validate_products(&sources, &substances)?;
        self.validate_tables(&sources, &substances)?;
        self.validate_default_tables()?;
        self.index = Index {
            substances,
            products,
        };
        Ok(())
    }

    /// Every rule of `rules.csv` is there, each with a known, checked source.
    fn validate_rules(&self, sources: &Sources<'_>) -> Result<(), DataError> {
        let known = |s: &str| sources.known(s);
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
        Ok(())
    }

    /// `substances.csv`: no duplicates, known sources, positive DDD and ED50. Returns the
    /// index by id.
    fn validate_substances(
        &self,
        sources: &Sources<'_>,
    ) -> Result<HashMap<String, usize>, DataError> {
        let known = |s: &str| sources.known(s);
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
        Ok(substances)
    }

    /// `products.csv`: no duplicates, known substances and sources, verified values
    /// with their source, and each form's rules (splitting, volumes, patches). Returns
    /// the index by id.
    fn validate_products(
        &self,
        sources: &Sources<'_>,
        substances: &HashMap<String, usize>,
    ) -> Result<HashMap<String, usize>, DataError> {
        let known = |s: &str| sources.known(s);
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
        Ok(products)
    }

    /// `tables.csv` and `equivalence.csv`: no duplicate table or factor, each factor
    /// positive, for a substance counted in the table's unit, with a known source.
    fn validate_tables(
        &self,
        sources: &Sources<'_>,
        substances: &HashMap<String, usize>,
    ) -> Result<(), DataError> {
        let known = |s: &str| sources.known(s);
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
        Ok(())
    }

    /// The default tables exist and are of their unit.
    fn validate_default_tables(&self) -> Result<(), DataError> {
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

pub(super) fn substance_from_row(r: SubstanceRow) -> Result<Substance, String> {
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

pub(super) fn product_from_row(r: ProductRow) -> Result<Product, String> {
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

/// The ids of the sources the reference data cites.
struct Sources<'a>(HashSet<&'a str>);

impl Sources<'_> {
    /// Whether a value's source is one of them.
    fn known(&self, source: &str) -> bool {
        self.0.contains(source)
    }
}

/// A fault in `file` (no line: the whole data set was read).
fn err<T>(file: &'static str, msg: String) -> Result<T, DataError> {
    Err(DataError::new(file, 0, msg))
}

/// A value marked verified names the document it was checked against, never the
/// collection's memory or Trappa's own default.
fn verified_without_source(status: Status, source: &str) -> bool {
    status == Status::V && matches!(source, "general-knowledge" | "trappa-assumption")
}
