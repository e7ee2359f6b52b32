//! Units: the tapering unit, the region's vårdcentraler and municipalities.

use serde::Serialize;
use uuid::Uuid;

use crate::db::{on_pool, on_writer};
use crate::{Result, Store};

/// What kind of organisational unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// The regional tapering unit itself.
    TaperingUnit,
    /// A primary-care health centre.
    Vardcentral,
    /// A municipality (kommun), for social services and reporting.
    Municipality,
}

impl UnitKind {
    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::TaperingUnit => "tapering_unit",
            UnitKind::Vardcentral => "vardcentral",
            UnitKind::Municipality => "municipality",
        }
    }

    fn from_code(s: &str) -> Option<Self> {
        [
            UnitKind::TaperingUnit,
            UnitKind::Vardcentral,
            UnitKind::Municipality,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

/// A unit as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    /// Internal id.
    pub id: Uuid,
    /// Kind of unit.
    pub kind: UnitKind,
    /// Stable natural key, e.g. `kommun:1401` or `vc:osm:6442375474`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// HSA-id, when known.
    pub hsa_id: Option<String>,
    /// Municipality code (kommunkod).
    pub kommunkod: Option<String>,
    /// Municipality name.
    pub municipality_name: Option<String>,
    /// Latitude (WGS 84).
    pub lat: Option<f64>,
    /// Longitude (WGS 84).
    pub lon: Option<f64>,
    /// Population, for municipalities.
    pub population: Option<i64>,
    /// Where the data comes from.
    pub source: String,
}

/// A unit to insert or refresh, keyed by its code.
#[derive(Debug, Clone)]
pub struct UnitInput {
    /// Kind of unit.
    pub kind: UnitKind,
    /// Stable natural key.
    pub code: String,
    /// Display name.
    pub name: String,
    /// HSA-id, when known.
    pub hsa_id: Option<String>,
    /// Municipality code.
    pub kommunkod: Option<String>,
    /// Municipality name.
    pub municipality_name: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Population.
    pub population: Option<i64>,
    /// Source of the data.
    pub source: String,
}

#[derive(sqlx::FromRow)]
struct UnitRow {
    id: Uuid,
    kind: String,
    code: String,
    name: String,
    hsa_id: Option<String>,
    kommunkod: Option<String>,
    municipality_name: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    population: Option<i64>,
    source: String,
}

impl UnitRow {
    fn into_unit(self) -> Result<Unit> {
        Ok(Unit {
            id: self.id,
            kind: UnitKind::from_code(&self.kind)
                .ok_or_else(|| crate::StoreError::Corrupt(self.kind.clone()))?,
            code: self.code,
            name: self.name,
            hsa_id: self.hsa_id,
            kommunkod: self.kommunkod,
            municipality_name: self.municipality_name,
            lat: self.lat,
            lon: self.lon,
            population: self.population,
            source: self.source,
        })
    }
}

const UNIT_COLUMNS: &str =
    "id, kind, code, name, hsa_id, kommunkod, municipality_name, lat, lon, population, source";

impl Store {
    /// Inserts a unit or refreshes the one with the same code; returns its id. Idempotent,
    /// so reference data can be loaded at every start.
    pub async fn upsert_unit(&self, u: &UnitInput) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let row: (Uuid,) = on_writer!(self, p => sqlx::query_as(
            "INSERT INTO units (id, kind, code, name, hsa_id, kommunkod, municipality_name, lat, lon, population, source)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name = excluded.name, hsa_id = excluded.hsa_id,
                 kommunkod = excluded.kommunkod, municipality_name = excluded.municipality_name,
                 lat = excluded.lat, lon = excluded.lon, population = excluded.population, source = excluded.source
             RETURNING id")
            .bind(id).bind(u.kind.code()).bind(&u.code).bind(&u.name).bind(&u.hsa_id).bind(&u.kommunkod)
            .bind(&u.municipality_name).bind(u.lat).bind(u.lon).bind(u.population).bind(&u.source)
            .fetch_one(p).await)?;
        Ok(row.0)
    }

    /// All units of one kind, by name in Swedish order (the databases' own orders differ
    /// and put Ä before Å).
    pub async fn units(&self, kind: UnitKind) -> Result<Vec<Unit>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {UNIT_COLUMNS} FROM units WHERE kind = $1"));
        let rows: Vec<UnitRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(kind.code()).fetch_all(p).await)?;
        let mut units = rows
            .into_iter()
            .map(UnitRow::into_unit)
            .collect::<Result<Vec<_>>>()?;
        trappa_i18n::collate::sort_by_text(&mut units, |u| &u.name);
        Ok(units)
    }

    /// One unit by id.
    pub async fn unit(&self, id: Uuid) -> Result<Option<Unit>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1"));
        let row: Option<UnitRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
        row.map(UnitRow::into_unit).transpose()
    }

    /// One unit by its code.
    pub async fn unit_by_code(&self, code: &str) -> Result<Option<Unit>> {
        let sql = sqlx::AssertSqlSafe(format!("SELECT {UNIT_COLUMNS} FROM units WHERE code = $1"));
        let row: Option<UnitRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(code).fetch_optional(p).await)?;
        row.map(UnitRow::into_unit).transpose()
    }
}
