//! The base map under Trappa's maps (the day route, the board's map of reach): the sea,
//! the large lakes, the land of Sweden and its neighbours, and the municipal borders, so
//! that a reader recognises the region at a glance.
//!
//! The data (`data/region/basemap.json`) is made by `scripts/basemap.py` from open data —
//! SCB's municipal boundaries (CC0) and Natural Earth's 1:10m countries (public domain);
//! `data/region/SOURCES.md` says which versions and how. It is compiled in.
//!
//! A [`Frame`] is a map's projection: equirectangular, scaled by the cosine of the mean
//! latitude, which keeps the region's shape at this size. Every map draws its points
//! through the same frame as its base map, so they line up.

use std::fmt::Write as _;
use std::sync::LazyLock;

use serde::Deserialize;

/// One ring: `[longitude, latitude]` points, closed.
type Ring = Vec<[f64; 2]>;
/// A polygon: its outer ring, then its holes.
type Polygon = Vec<Ring>;

/// A municipality of the base map.
#[derive(Debug, Deserialize)]
pub struct Municipality {
    /// SCB's four-digit code (`1480`).
    pub code: String,
    /// Its name (`Göteborg`).
    pub name: String,
    /// Its land, clipped to the base map's area.
    pub polygons: Vec<Polygon>,
}

/// The whole base map.
#[derive(Debug, Deserialize)]
pub struct BaseMap {
    /// Where the data was made from.
    pub about: String,
    /// The area covered: west, south, east, north (degrees).
    pub bbox: [f64; 4],
    /// The county Trappa serves: its municipalities' codes start with it (`14`).
    pub county_code: String,
    /// Land outside Sweden (Norway, Denmark).
    pub neighbours: Vec<Polygon>,
    /// Sweden's municipalities in the area.
    pub municipalities: Vec<Municipality>,
}

static BUILTIN: LazyLock<BaseMap> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../data/region/basemap.json"))
        .expect("the base map shipped with Trappa parses (tested)")
});

/// The base map shipped with Trappa.
pub fn builtin() -> &'static BaseMap {
    &BUILTIN
}

/// A map's projection and size in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    lon0: f64,
    lat1: f64,
    k: f64,
    scale: f64,
    pad: f64,
    /// Width in pixels.
    pub width: f64,
    /// Height in pixels.
    pub height: f64,
}

/// Kilometres per degree of latitude.
const KM_PER_DEGREE: f64 = 111.2;

impl Frame {
    /// The frame that shows every point (`(latitude, longitude)`) `width` pixels wide,
    /// `pad` pixels inside the edges and `right` more on the right (for names), and at
    /// least `min_km` across both ways, centred on the points (a day's few stops still
    /// show enough of the map to be recognised). No points: the base map's whole area.
    pub fn fit(points: &[(f64, f64)], width: f64, pad: f64, right: f64, min_km: f64) -> Frame {
        let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(lat, lon) in points {
            lat0 = lat0.min(lat);
            lat1 = lat1.max(lat);
            lon0 = lon0.min(lon);
            lon1 = lon1.max(lon);
        }
        if points.is_empty() {
            let [w, s, e, n] = builtin().bbox;
            (lat0, lat1, lon0, lon1) = (s, n, w, e);
        }
        let k = ((lat0 + lat1) / 2.0).to_radians().cos().max(0.05);
        let min_lat = min_km / KM_PER_DEGREE;
        let min_lon = min_lat / k;
        let grow = |a: f64, b: f64, min: f64| {
            let extra = (min - (b - a)).max(0.0) / 2.0;
            (a - extra, b + extra)
        };
        let (lat0, lat1) = grow(lat0, lat1, min_lat);
        let (lon0, lon1) = grow(lon0, lon1, min_lon);
        let scale = (width - 2.0 * pad - right) / ((lon1 - lon0) * k).max(1e-6);
        Frame {
            lon0,
            lat1,
            k,
            scale,
            pad,
            width,
            height: (lat1 - lat0).max(1e-6) * scale + 2.0 * pad,
        }
    }

    /// Where a point (`latitude`, `longitude`) lies, in pixels from the top left.
    pub fn xy(&self, lat: f64, lon: f64) -> (f64, f64) {
        (
            (lon - self.lon0) * self.k * self.scale + self.pad,
            (self.lat1 - lat) * self.scale + self.pad,
        )
    }

    /// The longitudes and latitudes the frame shows, edges included:
    /// `(west, south, east, north)`.
    fn bounds(&self) -> (f64, f64, f64, f64) {
        let west = self.lon0 - self.pad / (self.k * self.scale);
        let east = west + self.width / (self.k * self.scale);
        let north = self.lat1 + self.pad / self.scale;
        let south = north - self.height / self.scale;
        (west, south, east, north)
    }

    /// Whether a polygon has any point inside the frame's bounds (or its box covers them).
    fn shows(&self, polygon: &Polygon) -> bool {
        let (w, s, e, n) = self.bounds();
        let Some(outer) = polygon.first() else {
            return false;
        };
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for [x, y] in outer {
            x0 = x0.min(*x);
            x1 = x1.max(*x);
            y0 = y0.min(*y);
            y1 = y1.max(*y);
        }
        x0 <= e && x1 >= w && y0 <= n && y1 >= s
    }

    /// An SVG path's `d` for the polygons the frame shows.
    fn path<'a>(&self, polygons: impl IntoIterator<Item = &'a Polygon>) -> String {
        let mut d = String::new();
        for polygon in polygons.into_iter().filter(|p| self.shows(p)) {
            for ring in polygon {
                for (i, [lon, lat]) in ring.iter().enumerate() {
                    let (x, y) = self.xy(*lat, *lon);
                    let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
        }
        d
    }
}

/// The sea's colour (the whole frame first).
pub const WATER: &str = "#d9e8f3";
/// Swedish land.
pub const LAND: &str = "#f7f7f2";
/// Land outside Sweden.
pub const NEIGHBOUR: &str = "#e8e8e0";
/// A border within the region.
pub const BORDER: &str = "#a3a9ae";
/// A border outside the region.
pub const BORDER_OUTSIDE: &str = "#cfd3d6";

/// The base map as SVG elements for `frame`, to go first inside the map's `<svg>`:
/// water, neighbouring land, Swedish land, the municipal borders — the region's darker,
/// drawn last.
pub fn svg(frame: &Frame) -> String {
    let map = builtin();
    let (inside, outside): (Vec<&Municipality>, Vec<&Municipality>) = map
        .municipalities
        .iter()
        .partition(|m| m.code.starts_with(&map.county_code));
    let land = frame.path(map.municipalities.iter().flat_map(|m| &m.polygons));
    let mut out = format!(
        r#"<g aria-hidden="true"><rect x="0" y="0" width="{:.0}" height="{:.0}" fill="{WATER}"/>"#,
        frame.width, frame.height
    );
    let neighbours = frame.path(&map.neighbours);
    if !neighbours.is_empty() {
        let _ = write!(
            out,
            r#"<path d="{neighbours}" fill="{NEIGHBOUR}" fill-rule="evenodd"/>"#
        );
    }
    if !land.is_empty() {
        let _ = write!(
            out,
            r#"<path d="{land}" fill="{LAND}" fill-rule="evenodd"/>"#
        );
    }
    for (group, colour, width) in [(&outside, BORDER_OUTSIDE, 0.6), (&inside, BORDER, 0.8)] {
        let d = frame.path(group.iter().flat_map(|m| &m.polygons));
        if !d.is_empty() {
            let _ = write!(
                out,
                r#"<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-linejoin="round"/>"#
            );
        }
    }
    out.push_str("</g>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_base_map_covers_the_region_with_its_49_municipalities() {
        let map = builtin();
        let region: Vec<&Municipality> = map
            .municipalities
            .iter()
            .filter(|m| m.code.starts_with(&map.county_code))
            .collect();
        assert_eq!(region.len(), 49);
        assert!(region.iter().any(|m| m.name == "Göteborg"));
        assert!(!map.neighbours.is_empty(), "Norway's land");
        for m in &map.municipalities {
            assert!(!m.polygons.is_empty(), "{}", m.name);
            for ring in m.polygons.iter().flatten() {
                assert!(ring.len() >= 4, "{}: a ring of {}", m.name, ring.len());
                assert_eq!(ring.first(), ring.last(), "{}: a closed ring", m.name);
                for [lon, lat] in ring {
                    let [w, s, e, n] = map.bbox;
                    assert!((w..=e).contains(lon) && (s..=n).contains(lat), "{}", m.name);
                }
            }
        }
    }

    #[test]
    fn a_frame_keeps_its_points_inside_and_shows_at_least_its_minimum() {
        // Göteborg and Borås: every point inside the padding.
        let points = [(57.7089, 11.9746), (57.721, 12.9401)];
        let f = Frame::fit(&points, 640.0, 16.0, 90.0, 0.0);
        for (lat, lon) in points {
            let (x, y) = f.xy(lat, lon);
            assert!((15.9..=640.0 - 16.0 - 90.0 + 0.1).contains(&x), "{x}");
            assert!((15.9..=f.height - 15.9).contains(&y), "{y}");
        }
        // One stop: still 60 km of map around it, both ways.
        let one = Frame::fit(&points[..1], 640.0, 16.0, 0.0, 60.0);
        let (x0, _) = one.xy(57.7089, 11.9746 - 30.0 / (KM_PER_DEGREE * 0.534));
        let (x1, _) = one.xy(57.7089, 11.9746 + 30.0 / (KM_PER_DEGREE * 0.534));
        assert!(x0 >= 15.0 && x1 <= 625.0, "{x0} {x1}");
        assert!(one.height > 300.0, "{}", one.height);
    }

    #[test]
    fn the_svg_draws_land_water_and_borders_only_where_the_frame_looks() {
        let whole = Frame::fit(&[], 640.0, 0.0, 0.0, 0.0);
        let all = svg(&whole);
        assert!(all.contains(WATER) && all.contains(LAND) && all.contains(NEIGHBOUR));
        assert!(all.contains(BORDER) && all.contains(BORDER_OUTSIDE));
        // A frame around Göteborg alone leaves out Norway's land and most municipalities.
        let gbg = Frame::fit(&[(57.7089, 11.9746)], 640.0, 16.0, 0.0, 30.0);
        let near = svg(&gbg);
        assert!(!near.contains(NEIGHBOUR), "no Norway around Göteborg");
        assert!(
            near.len() * 4 < all.len(),
            "{} of {}",
            near.len(),
            all.len()
        );
    }
}
