//! The dose chart: each drug's daily dose (solid) beside the strategy's unrounded curve
//! (dashed), and the DE/MME total on the right axis, over weeks from the start. SVG only,
//! drawn with plotters; the font is registered once for text measurement (the browser
//! draws the text itself).

use plotters::prelude::*;
use trappa_i18n::Locale;
use trappa_svg::{accessible, register_font};
use trappa_taper::Plan;
use trappa_taper::output::amount_text;
use trappa_taper::text::T;

const PALETTE: [RGBColor; 4] = [
    RGBColor(0, 90, 156),
    RGBColor(170, 60, 0),
    RGBColor(0, 120, 60),
    RGBColor(120, 40, 140),
];
const TOTAL_COLOUR: RGBColor = RGBColor(90, 90, 90);
/// The band behind the switch to diazepam.
const SWITCH_BAND: RGBColor = RGBColor(232, 238, 245);

/// Text in the chart, in plotters' units (its SVG writes 0.8 of it as the font size): the
/// chart is drawn at about the width it is shown at, so the text is about 13 px, above the
/// 11 px floor at 100 % zoom.
const TEXT: u32 = 16;

/// A drug's label, its plan line and its ideal line (none for a drug that is not
/// tapered by a curve of its own: one switched away to diazepam).
type Series = (String, Vec<(f64, f64)>, Option<Vec<(f64, f64)>>);

/// Steps as (week, dose) corner points of a step line ending at `end_week`.
fn step_points(points: &[(f64, f64)], end_week: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for (k, &(x, y)) in points.iter().enumerate() {
        let next = points.get(k + 1).map(|p| p.0).unwrap_or(end_week);
        out.push((x, y));
        out.push((next, y));
    }
    out
}

/// An axis number in the locale's style, decimals only where needed ("12", "2,5").
fn axis_number(v: f64, locale: Locale) -> String {
    let places = if (v - v.round()).abs() < 1e-6 { 0 } else { 1 };
    trappa_i18n::format::decimal(v, places, locale)
}

/// The weeks (from the start) the switch to diazepam lasts, if the plan has one: from
/// its first step to the first step after it.
fn switch_weeks(plan: &Plan) -> Option<(f64, f64)> {
    let weeks_of = |d: jiff::civil::Date| (d - plan.request.start).get_days() as f64 / 7.0;
    let first = plan
        .steps
        .iter()
        .position(|s| s.phase == trappa_taper::plan::Phase::Switch)?;
    let after = plan.steps[first..]
        .iter()
        .find(|s| s.phase != trappa_taper::plan::Phase::Switch)
        .map(|s| weeks_of(s.start))
        .unwrap_or_else(|| end_week(plan));
    Some((weeks_of(plan.steps[first].start), after))
}

/// Where the chart's x axis ends, in weeks from the start.
fn end_week(plan: &Plan) -> f64 {
    (plan.weeks() as f64 + 4.0).max(8.0)
}

/// Each drug's plan line as the chart draws it: corner points (weeks from the start,
/// daily dose) of a step line, from the plan's [`trappa_taper::schedule::Schedule`], with the
/// current use drawn from two weeks before the start.
pub fn dose_lines(plan: &Plan) -> Vec<Vec<(f64, f64)>> {
    let schedule = plan.schedule();
    let weeks_of = |d: jiff::civil::Date| (d - plan.request.start).get_days() as f64 / 7.0;
    (0..plan.drugs.len())
        .map(|i| {
            let mut points = vec![(-2.0, plan.baseline[i].per_day.as_f64())];
            points.extend(
                schedule
                    .periods()
                    .iter()
                    .map(|p| (weeks_of(p.from), p.drugs[i].per_day.as_f64())),
            );
            step_points(&points, end_week(plan))
        })
        .collect()
}

/// Renders the chart as an SVG document with a title and a text description.
pub fn chart_svg(plan: &Plan, locale: Locale) -> Result<String, String> {
    chart_svg_with_id(plan, locale, "chart")
}

/// [`chart_svg`] with its own id prefix, for a page that shows several plans' charts
/// (the title and description ids must be unique on the page).
pub fn chart_svg_with_id(plan: &Plan, locale: Locale, id: &str) -> Result<String, String> {
    register_font();
    let end_week = end_week(plan);
    let (series, max_y) = drug_series(plan, end_week);
    let totals = total_series(plan, end_week);
    let max_total = totals
        .iter()
        .flat_map(|t| t.1.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    let top = (max_y * 1.1).max(1.0);
    let top_total = (max_total * 1.1).max(1.0);
    let svg = draw(plan, locale, &series, &totals, end_week, (top, top_total))?;
    Ok(accessible(
        &svg,
        id,
        T::C_TITLE.get(locale),
        &describe(plan, locale),
    ))
}

/// Each drug's line (from the schedule) and ideal line, and the largest dose on them.
fn drug_series(plan: &Plan, end_week: f64) -> (Vec<Series>, f64) {
    let lines = dose_lines(plan);
    let mut series: Vec<Series> = Vec::new();
    let mut max_y: f64 = 0.0;
    for (i, drug) in plan.drugs.iter().enumerate() {
        let points = lines[i].clone();
        let ideal = (!plan.ideal[i].is_empty()).then(|| {
            let mut ideal = vec![(-2.0, plan.baseline[i].per_day.as_f64())];
            ideal.extend(
                plan.ideal[i]
                    .iter()
                    .map(|p| (f64::from(p.day) / 7.0, p.dose.as_f64())),
            );
            step_points(&ideal, end_week)
        });
        max_y = points
            .iter()
            .chain(ideal.iter().flatten())
            .map(|p| p.1)
            .fold(max_y, f64::max);
        series.push((format!("{} ({})", drug.name, drug.unit), points, ideal));
    }
    (series, max_y)
}

/// The class totals in equivalents, period by period of the schedule.
fn total_series(plan: &Plan, end_week: f64) -> Vec<(String, Vec<(f64, f64)>)> {
    let weeks_of = |d: jiff::civil::Date| (d - plan.request.start).get_days() as f64 / 7.0;
    let schedule = plan.schedule();
    plan.baseline_totals
        .iter()
        .map(|t| {
            let mut pts = vec![(-2.0, t.per_day)];
            pts.extend(schedule.periods().iter().map(|p| {
                let totals = p.step.map_or(&plan.baseline_totals, |s| &s.totals);
                (
                    weeks_of(p.from),
                    totals
                        .iter()
                        .find(|x| x.unit == t.unit)
                        .map(|x| x.per_day)
                        .unwrap_or(0.0),
                )
            }));
            (t.unit.label().to_owned(), step_points(&pts, end_week))
        })
        .collect()
}

/// Draws the chart: the drugs' lines on the left axis up to `tops.0`, the totals on the
/// right up to `tops.1`, the switch's band, and the legend.
fn draw(
    plan: &Plan,
    locale: Locale,
    series: &[Series],
    totals: &[(String, Vec<(f64, f64)>)],
    end_week: f64,
    (top, top_total): (f64, f64),
) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut builder = ChartBuilder::on(&root);
        builder
            .caption(T::C_TITLE.get(locale), ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(52);
        if !totals.is_empty() {
            builder.right_y_label_area_size(52);
        }
        let mut chart = builder
            .build_cartesian_2d(-2.0..end_week, 0.0..top)
            .map_err(|e| e.to_string())?
            .set_secondary_coord(-2.0..end_week, 0.0..top_total);
        chart
            .configure_mesh()
            .x_desc(T::C_WEEKS.get(locale))
            .y_desc(plan.drugs.first().map(|d| d.unit.as_str()).unwrap_or("mg"))
            .x_label_formatter(&|x| axis_number(*x, locale))
            .y_label_formatter(&|y| axis_number(*y, locale))
            .label_style(("sans-serif", TEXT))
            .axis_desc_style(("sans-serif", TEXT))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(|e| e.to_string())?;
        if let Some((label, _)) = totals.first() {
            chart
                .configure_secondary_axes()
                .y_desc(label.as_str())
                .y_label_formatter(&|y| axis_number(*y, locale))
                .label_style(("sans-serif", TEXT))
                .axis_desc_style(("sans-serif", TEXT))
                .draw()
                .map_err(|e| e.to_string())?;
        }
        // The switch to diazepam as its own phase: a band behind the lines, named.
        if let Some((from, until)) = switch_weeks(plan) {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(from, 0.0), (until, top)],
                    SWITCH_BAND.filled(),
                )))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(std::iter::once(Text::new(
                    trappa_taper::output::phase_name(
                        plan,
                        Some(trappa_taper::plan::Phase::Switch),
                        locale,
                    ),
                    (from, top * 0.98),
                    ("sans-serif", TEXT).into_font().color(&TOTAL_COLOUR),
                )))
                .map_err(|e| e.to_string())?;
        }
        for (k, (label, plan_pts, ideal_pts)) in series.iter().enumerate() {
            let colour = PALETTE[k % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(
                    plan_pts.iter().copied(),
                    colour.stroke_width(2),
                ))
                .map_err(|e| e.to_string())?
                .label(format!("{label}, {}", T::C_PLAN.get(locale)))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
                });
            let Some(ideal_pts) = ideal_pts else {
                continue;
            };
            chart
                .draw_series(DashedLineSeries::new(
                    ideal_pts.iter().copied(),
                    6,
                    4,
                    colour.mix(0.7).stroke_width(1),
                ))
                .map_err(|e| e.to_string())?
                .label(format!("{label}, {}", T::C_IDEAL.get(locale)))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], colour.mix(0.7).stroke_width(1))
                });
        }
        // The total is dotted, dark and drawn last: with one drug of factor 1 (diazepam
        // in DE) it lies exactly on the drug's line and must still be seen beside it.
        for (label, pts) in totals {
            chart
                .draw_secondary_series(DashedLineSeries::new(
                    pts.iter().copied(),
                    2,
                    4,
                    TOTAL_COLOUR.stroke_width(3),
                ))
                .map_err(|e| e.to_string())?
                .label(label.as_str())
                .legend(|(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], TOTAL_COLOUR.stroke_width(3))
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .position(SeriesLabelPosition::UpperRight)
            .label_font(("sans-serif", TEXT))
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

fn describe(plan: &Plan, locale: Locale) -> String {
    plan.drugs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let last = plan
                .steps
                .last()
                .map(|s| s.drugs[i].per_day)
                .unwrap_or_default();
            format!(
                "{}: {} → {} {} ({} v)",
                d.name,
                amount_text(plan.baseline[i].per_day, locale),
                amount_text(last, locale),
                d.unit,
                plan.weeks()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
