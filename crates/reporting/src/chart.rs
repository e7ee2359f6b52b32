//! The report's charts as SVG: bars (a trend over quarters, or a measure per key),
//! drawn with plotters, and the map of reach per municipality, drawn by hand (the
//! reference data hold each municipality's main town, not its borders). A suppressed
//! value draws no bar and is named in the description, so the chart hides what the
//! table hides.

use plotters::prelude::*;
use trappa_svg::{accessible, escape, register_font};

const BAR: RGBColor = RGBColor(0, 90, 156);

/// One bar: its label and value (none when hidden or without data).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Label under the bar.
    pub label: String,
    /// The value.
    pub value: Option<f64>,
}

/// Text in the charts, in plotters' units (its SVG writes 0.8 of it as the font size):
/// the charts are drawn at the width they are shown at on a desktop page, so the text is
/// about 13 px, above the 11 px floor.
const TEXT: u32 = 16;
/// Few enough bars for their labels side by side under vertical bars; more are drawn as
/// horizontal bars, each label on its own line.
const MAX_VERTICAL: usize = 6;
/// A hidden (suppressed) bar's placeholder: a pale band the full height of the axis with
/// the word for hidden, so it cannot be read as zero.
const HIDDEN_FILL: RGBColor = RGBColor(236, 239, 242);
const HIDDEN_TEXT: RGBColor = RGBColor(61, 70, 77);

/// A bar chart of `bars` with `title` and a text description listing every value
/// (`hidden` is the word for a value not shown). `id` names the title and description
/// elements, unique on the page. Up to six bars stand side by side; more lie horizontally,
/// so that every label can be read whole.
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
    let (_, small) = fonts();
    let mut svg = String::new();
    {
        let horizontal = bars.len() > MAX_VERTICAL;
        let size = if horizontal {
            (720, 60 + 30 * n as u32)
        } else {
            (720, 320)
        };
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let frame = Frame {
            bars,
            top,
            y_label,
            n,
            last: (n as u32).saturating_sub(1),
        };
        let bands = if horizontal {
            horizontal_bars(&root, &frame)?
        } else {
            vertical_bars(&root, &frame)?
        };
        for ((x0, y0), (x1, y1)) in bands {
            let (left, right) = (x0.min(x1) + 4, x0.max(x1) - 4);
            let (upper, lower) = (y0.min(y1) + 2, y0.max(y1) - 2);
            root.draw(&Rectangle::new(
                [(left, upper), (right, lower)],
                HIDDEN_FILL.filled(),
            ))
            .map_err(|e| e.to_string())?;
            root.draw(&Text::new(
                hidden.to_owned(),
                (left + 6, (upper + lower) / 2 - TEXT as i32 / 2),
                small.clone().color(&HIDDEN_TEXT),
            ))
            .map_err(|e| e.to_string())?;
        }
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

/// The bars to draw and what both orientations derive from them.
#[derive(Clone, Copy)]
struct Frame<'a> {
    bars: &'a [Bar],
    /// The value axis's end.
    top: f64,
    /// The value axis's name.
    y_label: &'a str,
    /// How many bars (at least one, for the axis).
    n: usize,
    /// The last bar's index.
    last: u32,
}

impl Frame<'_> {
    /// Bar `i`'s label.
    fn label(&self, i: u32) -> String {
        self.bars
            .get(i as usize)
            .map(|b| b.label.clone())
            .unwrap_or_default()
    }
}

/// The labels' font and the axis names' smaller one.
fn fonts() -> (FontDesc<'static>, FontDesc<'static>) {
    (
        ("sans-serif", TEXT).into_font(),
        ("sans-serif", TEXT - 1).into_font(),
    )
}

/// A hidden bar's band in pixels: two corners.
type Band = ((i32, i32), (i32, i32));

/// The chart's drawing area.
type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Bars lying horizontally, the first on top, each label whole beside its bar. Returns
/// the hidden bars' bands.
fn horizontal_bars(root: &Area<'_>, f: &Frame<'_>) -> Result<Vec<Band>, String> {
    let Frame {
        bars,
        top,
        y_label,
        n,
        last,
    } = *f;
    let (font, small) = fonts();
    let label_of = |i: u32| f.label(i);
    // Every hidden bar's band in pixels, from two corners in chart coordinates.
    let mut bands: Vec<Band> = Vec::new();
    let width = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0) as u32
        * (TEXT * 6 / 10)
        + 16;
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(width.clamp(60, 260))
        .build_cartesian_2d(0.0..top, (0..last).into_segmented())
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        // The first bar on top: row `p` from the bottom shows bar `last - p`.
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(p) if *p <= last => label_of(last - *p),
            _ => String::new(),
        })
        .x_label_formatter(&|x| trim(*x))
        .x_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(small.clone())
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(
            Histogram::horizontal(&chart)
                .style(BAR.filled())
                .margin(5)
                .data(
                    bars.iter()
                        .enumerate()
                        .filter_map(|(i, b)| Some((last - i as u32, b.value?))),
                ),
        )
        .map_err(|e| e.to_string())?;
    for (i, _) in bars.iter().enumerate().filter(|(_, b)| b.value.is_none()) {
        let p = last - i as u32;
        bands.push((
            chart.backend_coord(&(0.0, SegmentValue::Exact(p))),
            chart.backend_coord(&(top, SegmentValue::Exact(p + 1))),
        ));
    }
    Ok(bands)
}

/// Bars standing side by side, each label under its bar. Returns the hidden bars'
/// bands.
fn vertical_bars(root: &Area<'_>, f: &Frame<'_>) -> Result<Vec<Band>, String> {
    let Frame {
        bars,
        top,
        y_label,
        n,
        last,
    } = *f;
    let (font, small) = fonts();
    let label_of = |i: u32| f.label(i);
    // Every hidden bar's band in pixels, from two corners in chart coordinates.
    let mut bands: Vec<Band> = Vec::new();
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(64)
        .build_cartesian_2d((0..last).into_segmented(), 0.0..top)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => label_of(*i),
            _ => String::new(),
        })
        .y_label_formatter(&|y| trim(*y))
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(small.clone())
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
    for (i, _) in bars.iter().enumerate().filter(|(_, b)| b.value.is_none()) {
        let i = i as u32;
        bands.push((
            chart.backend_coord(&(SegmentValue::Exact(i), top)),
            chart.backend_coord(&(SegmentValue::Exact(i + 1), 0.0)),
        ));
    }
    Ok(bands)
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
/// count is hidden, over the region's base map ([`crate::basemap`]). Names never collide ([`crate::labels`]): they are
/// placed in the order given, so put the most important first.
pub fn reach_map_svg(id: &str, title: &str, desc: &str, places: &[Place]) -> String {
    let points: Vec<(f64, f64)> = places.iter().map(|p| p.at).collect();
    let frame = crate::basemap::Frame::fit(&points, 640.0, 20.0, 110.0, 0.0);
    let (w, h) = (frame.width, frame.height);
    let max = places
        .iter()
        .filter_map(|p| p.per_100k)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let mut out = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>{}"##,
        escape(title),
        escape(desc),
        crate::basemap::svg(&frame)
    );
    const LABEL: f64 = 11.0;
    let at = |p: &Place| frame.xy(p.at.0, p.at.1);
    let radius = |p: &Place| match p.per_100k {
        Some(v) if v > 0.0 => 3.0 + 14.0 * (v / max).sqrt(),
        Some(_) => 5.0,
        None => 5.0,
    };
    for p in places {
        let (x, y) = at(p);
        let name = escape(&p.name);
        match p.per_100k {
            Some(v) if v > 0.0 => {
                out.push_str(&format!(
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="{:.1}" fill="#005a9c" fill-opacity="0.6" stroke="#003d6b"><title>{name}: {}</title></circle>"##,
                    radius(p),
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
    }
    // Labels last, in the order given (the caller puts the most important first), each
    // where it collides with nothing.
    let points: Vec<crate::labels::Point> = places
        .iter()
        .map(|p| {
            let (x, y) = at(p);
            crate::labels::Point {
                x,
                y,
                r: radius(p),
                text: &p.name,
            }
        })
        .collect();
    for (point, label) in points
        .iter()
        .zip(crate::labels::place(&points, LABEL, w, h))
    {
        if let Some(l) = label {
            out.push_str(&format!(
                r##"<text x="{:.1}" y="{:.1}" text-anchor="{}" font-size="{LABEL}" fill="#3d464d">{}</text>"##,
                l.x,
                l.y,
                l.anchor,
                escape(point.text)
            ));
        }
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

    /// Every text element of an SVG: font size (SVG units), y and the text, trimmed.
    fn texts(svg: &str) -> Vec<(f64, f64, String)> {
        let attr = |tag: &str, name: &str| -> f64 {
            let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[at..].split('"').next().unwrap().parse().unwrap()
        };
        svg.split("<text")
            .skip(1)
            .map(|t| {
                let (tag, rest) = t.split_once('>').unwrap();
                let content = rest.split("</text>").next().unwrap().trim().to_owned();
                (attr(tag, "font-size"), attr(tag, "y"), content)
            })
            .collect()
    }

    #[test]
    fn hidden_bars_are_drawn_as_hidden_and_text_is_large_enough() {
        for n in [2, 12] {
            let bars: Vec<Bar> = (0..n)
                .map(|i| Bar {
                    label: format!("Kommun {i}"),
                    value: (i != 1).then_some(10.0 + i as f64),
                })
                .collect();
            let svg = bars_svg("t", "Titel", "antal", &bars, "dolt").unwrap();
            let texts = texts(&svg);
            assert_eq!(
                texts.iter().filter(|t| t.2 == "dolt").count(),
                1,
                "the hidden bar is drawn, with the word, not left blank like a zero ({n} bars)"
            );
            assert!(
                texts.iter().all(|t| t.0 >= 11.0),
                "text at least 11 px: {texts:?}"
            );
            for b in &bars {
                assert!(texts.iter().any(|t| t.2 == b.label), "{}", b.label);
            }
        }
        // Many bars lie horizontally, the first on top.
        let bars: Vec<Bar> = (0..8)
            .map(|i| Bar {
                label: format!("Rad {i}"),
                value: Some(1.0),
            })
            .collect();
        let texts = texts(&bars_svg("h", "T", "antal", &bars, "dolt").unwrap());
        let y_of = |label: &str| texts.iter().find(|t| t.2 == label).unwrap().1;
        assert!(y_of("Rad 0") < y_of("Rad 7"), "the first bar on top");
    }
}
