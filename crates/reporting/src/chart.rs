//! The report's charts as SVG: bars (a trend over quarters, or a measure per key),
//! drawn with plotters, and the map of reach per municipality, drawn by hand (the
//! reference data hold each municipality's main town, not its borders). A suppressed
//! value draws no bar and is named in the description, so the chart hides what the
//! table hides.

use plotters::prelude::*;
use trappa_taper::output::chart::{accessible, escape, register_font};

const BAR: RGBColor = RGBColor(0, 90, 156);

/// One bar: its label and value (none when hidden or without data).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Label under the bar.
    pub label: String,
    /// The value.
    pub value: Option<f64>,
}

/// A bar chart of `bars` with `title` and a text description listing every value
/// (`hidden` is the word for a value not shown). `id` names the title and description
/// elements, unique on the page.
pub fn bars_svg(
    id: &str,
    title: &str,
    y_label: &str,
    bars: &[Bar],
    hidden: &str,
) -> Result<String, String> {
    register_font();
    let top = bars
        .iter()
        .filter_map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(1.0)
        * 1.15;
    let n = bars.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 300)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d((0..(n as u32).saturating_sub(1)).into_segmented(), 0.0..top)
            .map_err(|e| e.to_string())?;
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|y| trim(*y))
            .y_desc(y_label)
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(BAR.filled())
                    .margin(12)
                    .data(
                        bars.iter()
                            .enumerate()
                            .filter_map(|(i, b)| Some((i as u32, b.value?))),
                    ),
            )
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let desc: Vec<String> = bars
        .iter()
        .map(|b| match b.value {
            Some(v) => format!("{}: {}", b.label, trim(v)),
            None => format!("{}: {hidden}", b.label),
        })
        .collect();
    Ok(accessible(&svg, id, title, &desc.join("; ")))
}

/// A number without trailing decimals when whole.
fn trim(v: f64) -> String {
    let places = if (v - v.round()).abs() < 1e-9 { 0 } else { 1 };
    trappa_i18n::format::decimal(v, places, trappa_i18n::Locale::Sv)
}

/// A municipality on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Name.
    pub name: String,
    /// Latitude and longitude of its main town.
    pub at: (f64, f64),
    /// Patients reached per 100,000 (none when hidden).
    pub per_100k: Option<f64>,
}

/// The map of reach: each municipality's main town as a circle whose area follows its
/// rate per 100,000 — grey with a cross where nobody was reached, hollow where the
/// count is hidden. An equirectangular projection scaled by the cosine of the mean
/// latitude keeps the region's shape.
pub fn reach_map_svg(id: &str, title: &str, desc: &str, places: &[Place]) -> String {
    let w = 640.0;
    let (pad, right) = (20.0, 110.0);
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for p in places {
        lat0 = lat0.min(p.at.0);
        lat1 = lat1.max(p.at.0);
        lon0 = lon0.min(p.at.1);
        lon1 = lon1.max(p.at.1);
    }
    if places.is_empty() {
        (lat0, lat1, lon0, lon1) = (0.0, 1.0, 0.0, 1.0);
    }
    let k = ((lat0 + lat1) / 2.0).to_radians().cos();
    let scale = (w - pad - right) / ((lon1 - lon0) * k).max(1e-6);
    let h = (lat1 - lat0).max(1e-6) * scale + 2.0 * pad;
    let max = places
        .iter()
        .filter_map(|p| p.per_100k)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><rect x="0" y="0" width="{w:.0}" height="{h:.0}" fill="#f4f6f8"/>"##,
        escape(title),
        escape(desc)
    );
    for p in places {
        let x = (p.at.1 - lon0) * k * scale + pad;
        let y = (lat1 - p.at.0) * scale + pad;
        let name = escape(&p.name);
        match p.per_100k {
            Some(v) if v > 0.0 => {
                let r = 3.0 + 14.0 * (v / max).sqrt();
                out.push_str(&format!(
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="#005a9c" fill-opacity="0.6" stroke="#003d6b"><title>{name}: {}</title></circle>"##,
                    trim(v)
                ));
            }
            Some(_) => out.push_str(&format!(
                r##"<path d="M{:.1} {:.1}l8 8m0 -8l-8 8" stroke="#aa3c00" stroke-width="2"><title>{name}: 0</title></path>"##,
                x - 4.0,
                y - 4.0
            )),
            None => out.push_str(&format!(
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="none" stroke="#5b6770" stroke-dasharray="2 2"><title>{name}</title></circle>"##
            )),
        }
        out.push_str(&format!(
            r##"<text x="{:.1}" y="{:.1}" font-size="9" fill="#3d464d">{name}</text>"##,
            x + 7.0,
            y + 3.0
        ));
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_bars_draw_nothing_and_are_named() {
        let svg = bars_svg(
            "t",
            "Remisser",
            "antal",
            &[
                Bar {
                    label: "2026 K1".into(),
                    value: Some(12.0),
                },
                Bar {
                    label: "2026 K2".into(),
                    value: None,
                },
            ],
            "dolt",
        )
        .unwrap();
        assert!(svg.contains("<title id=\"t-title\">Remisser</title>"));
        assert!(svg.contains("2026 K1: 12; 2026 K2: dolt"));
        assert!(svg.contains("2026 K1"), "the label is drawn");
    }

    #[test]
    fn the_map_marks_unreached_and_hidden_places() {
        let svg = reach_map_svg(
            "m",
            "Nåbarhet",
            "per 100 000",
            &[
                Place {
                    name: "Göteborg".into(),
                    at: (57.7, 11.97),
                    per_100k: Some(20.0),
                },
                Place {
                    name: "Dals-Ed".into(),
                    at: (58.9, 11.93),
                    per_100k: Some(0.0),
                },
                Place {
                    name: "Tranemo & <x>".into(),
                    at: (57.48, 13.35),
                    per_100k: None,
                },
            ],
        );
        assert!(svg.contains("<title>Göteborg: 20</title>"));
        assert!(svg.contains("<title>Dals-Ed: 0</title>"));
        assert!(svg.contains("Tranemo &amp; &lt;x&gt;"));
        assert!(!svg.contains("<x>"));
    }
}
