//! What the reference data's values are: a value with its source and V/M/U status, and
//! the kinds a substance or a product is of — drug class, equivalent unit, half-life,
//! route, form, release, divisibility, product kind. The lowest room of the engine:
//! it imports nothing of the crate but the amounts.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
