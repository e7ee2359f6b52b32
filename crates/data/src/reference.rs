//! The region's units from `data/region/` (copied from the project's reference
//! collection with their sources): the 49 municipalities of Västra Götaland, 98
//! primary-care units (96 placed from OpenStreetMap 2020, ODbL) and the tapering unit's base;
//! and, as partner organisations (issue 19), each municipality's social services.

use serde::Deserialize;
use trappa_store::partners::{NewPartnerOrganisation, PartnerKind};
use trappa_store::units::{UnitInput, UnitKind};
use trappa_store::{Store, Uuid};

const MUNICIPALITIES: &str = include_str!("../../../data/region/vgr_municipalities.csv");
const HEALTH_CENTRES: &str = include_str!("../../../data/region/vgr_health_centres.csv");
const TEAM_BASE: &str = include_str!("../../../data/region/team_base.csv");

/// The stable code of the tapering unit.
pub const TAPERING_UNIT_CODE: &str = "unit:tapering";

#[derive(Deserialize)]
struct MunicipalityRow {
    kommunkod: String,
    kommun: String,
    /// The name as used in Sweden ("Göteborgs kommun", "Ale kommun"): the genitive is
    /// not a rule of spelling, so it is data, never built by appending " kommun".
    official_name: String,
    population: i64,
    population_date: String,
    population_source: String,
    lat: f64,
    lon: f64,
}

#[derive(Deserialize)]
struct HealthCentreRow {
    name: String,
    kommun: String,
    kommunkod: String,
    lat: Option<f64>,
    lon: Option<f64>,
    osm_id: Option<String>,
    source: String,
    as_of: String,
}

#[derive(Deserialize)]
struct BaseRow {
    label: String,
    lat: Option<f64>,
    lon: Option<f64>,
    source: String,
}

/// What was loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferenceCounts {
    /// Municipalities.
    pub municipalities: usize,
    /// Vårdcentraler.
    pub health_centres: usize,
    /// Partner organisations (the municipalities' social services).
    pub partners: usize,
}

/// The prefix of a municipality's social services' code; the kommunkod follows.
pub const SOCIAL_SERVICES_CODE: &str = "partner:social_services:";

/// Every municipality's social services (socialtjänsten): each municipality has one
/// (Socialtjänstlagen 2001:453, 2 kap 1 §), named by the municipality's official name.
pub fn social_services() -> anyhow::Result<Vec<NewPartnerOrganisation>> {
    let mut rows = csv::Reader::from_reader(MUNICIPALITIES.as_bytes());
    rows.deserialize::<MunicipalityRow>()
        .map(|r| {
            let r = r?;
            Ok(NewPartnerOrganisation {
                kind: PartnerKind::SocialServices,
                code: format!("{SOCIAL_SERVICES_CODE}{}", r.kommunkod),
                name: format!("Socialtjänsten, {}", r.official_name),
                pain_level: None,
                kommunkod: Some(r.kommunkod),
                host_unit_id: None,
                phone: None,
                source: "Socialtjänstlagen (2001:453) 2 kap 1 §: every municipality has social \
                         services; the municipality from data/region/vgr_municipalities.csv"
                    .into(),
            })
        })
        .collect()
}

/// Parses the municipalities.
pub fn municipalities() -> anyhow::Result<Vec<UnitInput>> {
    let mut out = Vec::new();
    for row in csv::Reader::from_reader(MUNICIPALITIES.as_bytes()).deserialize::<MunicipalityRow>()
    {
        let r = row?;
        out.push(UnitInput {
            kind: UnitKind::Municipality,
            code: format!("kommun:{}", r.kommunkod),
            name: r.official_name,
            hsa_id: None,
            kommunkod: Some(r.kommunkod),
            municipality_name: Some(r.kommun),
            lat: Some(r.lat),
            lon: Some(r.lon),
            population: Some(r.population),
            source: format!(
                "SCB population {} via {}",
                r.population_date, r.population_source
            ),
        });
    }
    Ok(out)
}

/// Parses the vårdcentraler.
pub fn health_centres() -> anyhow::Result<Vec<UnitInput>> {
    let mut out = Vec::new();
    for row in csv::Reader::from_reader(HEALTH_CENTRES.as_bytes()).deserialize::<HealthCentreRow>()
    {
        let r = row?;
        // Two units are known from other sources but missing in the OSM export: they
        // have no coordinates yet and are keyed by name.
        let code = match &r.osm_id {
            Some(osm) if !osm.is_empty() => format!("vc:osm:{osm}"),
            _ => format!("vc:name:{}", r.name.to_lowercase().replace(' ', "-")),
        };
        out.push(UnitInput {
            kind: UnitKind::Vardcentral,
            code,
            name: r.name,
            hsa_id: None,
            kommunkod: Some(r.kommunkod),
            municipality_name: Some(r.kommun),
            lat: r.lat,
            lon: r.lon,
            population: None,
            source: format!(
                "© OpenStreetMap contributors (ODbL), snapshot {}; {}",
                r.as_of, r.source
            ),
        });
    }
    Ok(out)
}

/// The tapering unit, placed at the team base in Lilla Edet.
pub fn tapering_unit(name: &str) -> anyhow::Result<UnitInput> {
    let base = csv::Reader::from_reader(TEAM_BASE.as_bytes())
        .deserialize::<BaseRow>()
        .filter_map(Result::ok)
        .find(|b| b.lat.is_some() && b.lon.is_some())
        .ok_or_else(|| anyhow::anyhow!("team_base.csv has no coordinates"))?;
    Ok(UnitInput {
        kind: UnitKind::TaperingUnit,
        code: TAPERING_UNIT_CODE.to_owned(),
        name: name.to_owned(),
        hsa_id: None,
        kommunkod: Some("1462".to_owned()),
        municipality_name: Some("Lilla Edet".to_owned()),
        lat: base.lat,
        lon: base.lon,
        population: None,
        source: format!("{} ({})", base.label, base.source),
    })
}

/// Loads (or refreshes) every reference unit; returns the tapering unit's id.
pub async fn load(
    store: &Store,
    tapering_unit_name: &str,
) -> anyhow::Result<(Uuid, ReferenceCounts)> {
    let municipalities = municipalities()?;
    let health_centres = health_centres()?;
    for u in municipalities.iter().chain(&health_centres) {
        store.upsert_unit(u).await?;
    }
    let partners = social_services()?;
    for o in &partners {
        store.ensure_partner_organisation(o).await?;
    }
    let unit = store
        .upsert_unit(&tapering_unit(tapering_unit_name)?)
        .await?;
    Ok((
        unit,
        ReferenceCounts {
            municipalities: municipalities.len(),
            health_centres: health_centres.len(),
            partners: partners.len(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_files_parse_completely() {
        let m = municipalities().unwrap();
        assert_eq!(m.len(), 49, "Västra Götaland has 49 municipalities");
        let total: i64 = m.iter().filter_map(|u| u.population).sum();
        assert!(
            (1_700_000..1_900_000).contains(&total),
            "population {total}"
        );
        let name = |short: &str| {
            m.iter()
                .find(|u| u.municipality_name.as_deref() == Some(short))
                .map(|u| u.name.clone())
                .unwrap()
        };
        // Names as used in Sweden: the genitive where the language has it, none where not.
        for (short, official) in [
            ("Göteborg", "Göteborgs kommun"),
            ("Mark", "Marks kommun"),
            ("Trollhättan", "Trollhättans kommun"),
            ("Lilla Edet", "Lilla Edets kommun"),
            ("Ale", "Ale kommun"),
            ("Borås", "Borås kommun"),
            ("Skövde", "Skövde kommun"),
        ] {
            assert_eq!(name(short), official);
        }
        for u in &m {
            let short = u.municipality_name.as_deref().unwrap();
            assert!(
                u.name.starts_with(short) && u.name.ends_with(" kommun"),
                "{} for {short}",
                u.name
            );
        }
        let social = social_services().unwrap();
        assert_eq!(social.len(), 49, "one social services per municipality");
        let lilla_edet = social
            .iter()
            .find(|o| o.kommunkod.as_deref() == Some("1462"))
            .unwrap();
        assert_eq!(lilla_edet.name, "Socialtjänsten, Lilla Edets kommun");
        assert_eq!(lilla_edet.code, crate::demo::LILLA_EDET_SOCIAL_SERVICES);
        let h = health_centres().unwrap();
        assert_eq!(h.len(), 98);
        let placed: Vec<_> = h.iter().filter_map(|u| u.lat).collect();
        assert_eq!(placed.len(), 96, "96 units have coordinates");
        assert!(placed.iter().all(|l| (57.0..60.0).contains(l)));
        let codes: std::collections::HashSet<_> = h.iter().map(|u| &u.code).collect();
        assert_eq!(codes.len(), h.len(), "codes are unique");
        // Every health centre lies in one of the region's municipalities.
        assert!(
            h.iter()
                .all(|u| m.iter().any(|k| k.kommunkod == u.kommunkod))
        );
        let t = tapering_unit("Nedtrappningsenheten").unwrap();
        assert!((t.lat.unwrap() - 58.13).abs() < 0.05);
    }
}
