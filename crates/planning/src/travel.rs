//! Distances and travel times. By default a great-circle distance times a road factor,
//! driven at an average speed — Trappa's defaults, status U (unverified; a unit sets its
//! own) — or road km and minutes from a routing server's table (OSRM's `table` service),
//! fetched by the caller and parsed here.

use serde::{Deserialize, Serialize};

/// A place, in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// The mean Earth radius, km (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The great-circle distance in km (haversine).
pub fn great_circle_km(a: Point, b: Point) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// How road distance and time follow from the straight line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TravelModel {
    /// Road km per straight-line km.
    pub road_factor: f64,
    /// Average speed on the road, km/h.
    pub speed_kmh: f64,
}

impl Default for TravelModel {
    /// 1.3 road km per straight km and 60 km/h: Trappa's defaults for rural Västra
    /// Götaland (status U).
    fn default() -> Self {
        TravelModel {
            road_factor: 1.3,
            speed_kmh: 60.0,
        }
    }
}

impl TravelModel {
    /// Road km between two places.
    pub fn km(&self, a: Point, b: Point) -> f64 {
        great_circle_km(a, b) * self.road_factor
    }

    /// Whole minutes of driving between two places (rounded up; 0 for the same place).
    pub fn minutes(&self, a: Point, b: Point) -> u32 {
        let km = self.km(a, b);
        if km < 1e-9 {
            return 0;
        }
        (km / self.speed_kmh * 60.0).ceil() as u32
    }
}

/// Road km and minutes between every pair of a set of places, from a routing table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadTable {
    points: Vec<Point>,
    km: Vec<f64>,
    minutes: Vec<u32>,
}

/// Why a routing table was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    /// Not the JSON of a table response.
    #[error("the routing table is not valid JSON: {0}")]
    Json(String),
    /// The server answered with an error code.
    #[error("the routing server answered {code}: {message}")]
    NotOk {
        /// OSRM's code (e.g. `InvalidQuery`).
        code: String,
        /// Its message.
        message: String,
    },
    /// A matrix is missing or not square over the places asked for.
    #[error("the routing table is not {0}×{0}")]
    Shape(usize),
    /// No road between two places (the server gave no value).
    #[error("no road between place {0} and place {1}")]
    Unreachable(usize, usize),
}

/// OSRM's table response, as far as Trappa reads it.
#[derive(Deserialize)]
struct OsrmTable {
    code: String,
    message: Option<String>,
    /// Seconds.
    durations: Option<Vec<Vec<Option<f64>>>>,
    /// Metres.
    distances: Option<Vec<Vec<Option<f64>>>>,
}

impl RoadTable {
    /// The table for `points` from the body of OSRM's answer to [`osrm_table_url`].
    pub fn from_osrm(points: Vec<Point>, body: &str) -> Result<Self, TableError> {
        let t: OsrmTable =
            serde_json::from_str(body).map_err(|e| TableError::Json(e.to_string()))?;
        if t.code != "Ok" {
            return Err(TableError::NotOk {
                code: t.code,
                message: t.message.unwrap_or_default(),
            });
        }
        let n = points.len();
        let square = |m: &Option<Vec<Vec<Option<f64>>>>| {
            m.as_ref()
                .is_some_and(|rows| rows.len() == n && rows.iter().all(|r| r.len() == n))
        };
        if !square(&t.durations) || !square(&t.distances) {
            return Err(TableError::Shape(n));
        }
        let (durations, distances) = (
            t.durations.unwrap_or_default(),
            t.distances.unwrap_or_default(),
        );
        let mut km = Vec::with_capacity(n * n);
        let mut minutes = Vec::with_capacity(n * n);
        for i in 0..n {
            for j in 0..n {
                match (durations[i][j], distances[i][j]) {
                    (Some(s), Some(m)) if s >= 0.0 && m >= 0.0 => {
                        km.push(m / 1000.0);
                        minutes.push((s / 60.0).ceil() as u32);
                    }
                    _ => return Err(TableError::Unreachable(i, j)),
                }
            }
        }
        Ok(RoadTable {
            points,
            km,
            minutes,
        })
    }

    /// The places, in the table's order.
    pub fn points(&self) -> &[Point] {
        &self.points
    }

    fn pair(&self, a: Point, b: Point) -> Option<usize> {
        let i = self.points.iter().position(|p| *p == a)?;
        let j = self.points.iter().position(|p| *p == b)?;
        Some(i * self.points.len() + j)
    }
}

/// The request to OSRM's `table` service for every pair of `points`, durations and
/// distances both (`base` is the server, e.g. `http://osrm.example:5000`).
pub fn osrm_table_url(base: &str, points: &[Point]) -> String {
    let coordinates: Vec<String> = points
        .iter()
        .map(|p| format!("{:.6},{:.6}", p.lon, p.lat))
        .collect();
    format!(
        "{}/table/v1/driving/{}?annotations=duration,distance",
        base.trim_end_matches('/'),
        coordinates.join(";")
    )
}

/// How a plan measures travel: the model, or a road table with the model for any place
/// the table does not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Travel {
    /// Great-circle km × road factor at an average speed.
    Model(TravelModel),
    /// A routing server's table.
    Table(RoadTable, TravelModel),
}

impl Default for Travel {
    fn default() -> Self {
        Travel::Model(TravelModel::default())
    }
}

impl Travel {
    /// Road km between two places.
    pub fn km(&self, a: Point, b: Point) -> f64 {
        match self {
            Travel::Model(m) => m.km(a, b),
            Travel::Table(t, m) => t.pair(a, b).map_or_else(|| m.km(a, b), |k| t.km[k]),
        }
    }

    /// Whole minutes of driving between two places.
    pub fn minutes(&self, a: Point, b: Point) -> u32 {
        match self {
            Travel::Model(m) => m.minutes(a, b),
            Travel::Table(t, m) => t
                .pair(a, b)
                .map_or_else(|| m.minutes(a, b), |k| t.minutes[k]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const LILLA_EDET: Point = Point {
        lat: 58.13333,
        lon: 12.13333,
    };
    const GOTHENBURG: Point = Point {
        lat: 57.70887,
        lon: 11.97456,
    };

    #[test]
    fn known_distances() {
        // Lilla Edet – Göteborg centre: about 48 km in a straight line.
        let d = great_circle_km(LILLA_EDET, GOTHENBURG);
        assert!((47.0..49.5).contains(&d), "{d}");
        let m = TravelModel::default();
        assert!((m.km(LILLA_EDET, GOTHENBURG) - d * 1.3).abs() < 1e-9);
        assert_eq!(m.minutes(LILLA_EDET, LILLA_EDET), 0);
        assert_eq!(m.minutes(LILLA_EDET, GOTHENBURG), (d * 1.3).ceil() as u32);
    }

    fn any_point() -> impl Strategy<Value = Point> {
        (55.0f64..69.0, 11.0f64..24.0).prop_map(|(lat, lon)| Point { lat, lon })
    }

    proptest! {
        #[test]
        fn a_metric(a in any_point(), b in any_point(), c in any_point()) {
            let ab = great_circle_km(a, b);
            prop_assert!((ab - great_circle_km(b, a)).abs() < 1e-9);
            prop_assert!(ab <= great_circle_km(a, c) + great_circle_km(c, b) + 1e-6);
        }
    }

    /// Three places: the base in Lilla Edet and two vårdcentraler, in OSRM's `table`
    /// response format (written from its documentation; no routing server is reachable
    /// from the build machine).
    const OSRM_BODY: &str = include_str!("../tests/data/osrm_table_three_places.json");

    fn three() -> Vec<Point> {
        vec![
            LILLA_EDET,
            GOTHENBURG,
            Point {
                lat: 58.28365,
                lon: 12.28864,
            },
        ]
    }

    #[test]
    fn an_osrm_table_is_read_and_used() {
        let table = RoadTable::from_osrm(three(), OSRM_BODY).unwrap();
        let travel = Travel::Table(table, TravelModel::default());
        let [a, b, c] = three()[..] else {
            unreachable!()
        };
        assert!((travel.km(a, b) - 54.8213).abs() < 1e-9);
        assert_eq!(travel.minutes(a, b), 42); // 2,461.3 s
        assert_eq!(travel.minutes(c, a), 26); // 1,534.8 s
        assert_eq!(travel.minutes(a, a), 0);
        // A place the table lacks is measured by the model.
        let far = Point {
            lat: 58.5,
            lon: 13.0,
        };
        assert_eq!(travel.km(a, far), TravelModel::default().km(a, far));
        assert_eq!(
            osrm_table_url("http://osrm:5000/", &three()[..2]),
            "http://osrm:5000/table/v1/driving/12.133330,58.133330;11.974560,57.708870?annotations=duration,distance"
        );
    }

    #[test]
    fn a_bad_table_is_refused() {
        let check = |body: &str, n: usize| RoadTable::from_osrm(three()[..n].to_vec(), body);
        assert!(matches!(check("not json", 3), Err(TableError::Json(_))));
        assert_eq!(
            check(
                r#"{"code":"InvalidQuery","message":"Query string malformed"}"#,
                3
            ),
            Err(TableError::NotOk {
                code: "InvalidQuery".into(),
                message: "Query string malformed".into()
            })
        );
        assert_eq!(check(OSRM_BODY, 2), Err(TableError::Shape(2)));
        let gap = r#"{"code":"Ok","durations":[[0,null],[10,0]],"distances":[[0,5],[5,0]]}"#;
        assert_eq!(check(gap, 2), Err(TableError::Unreachable(0, 1)));
    }
}
