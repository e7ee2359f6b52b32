//! Distances and travel times. By default a great-circle distance times a road factor,
//! driven at an average speed — Trappa's defaults, status U (unverified; a unit sets its
//! own, or uses road times from an OSRM table).

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
}
