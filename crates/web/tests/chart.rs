//! The dose chart as a reader sees it: numbers in Swedish, an ideal curve only for a drug
//! that has one, and the DE/MME total drawn so that it shows beside a drug line it
//! coincides with.

use std::sync::LazyLock;

use trappa_i18n::Locale;
use trappa_taper::plan::*;
use trappa_taper::reference::ReferenceData;
use trappa_taper::regimen::{DrugUse, Regimen};
use trappa_taper::{Plan, propose};
use trappa_web::chart::chart_svg;

static DATA: LazyLock<ReferenceData> = LazyLock::new(|| ReferenceData::builtin().unwrap());

fn plan(substance: &str, doses: &[f64], substitution: bool) -> Plan {
    let request = PlanRequest {
        regimen: Regimen {
            drugs: vec![DrugUse {
                substance: substance.into(),
                route: None,
                doses: doses.to_vec(),
                products: vec![],
                as_needed: None,
                special_products: false,
            }],
        },
        start: "2026-12-01".parse().unwrap(),
        tables: Default::default(),
        reduction: Some(Reduction::default()),
        substitution: substitution.then_some(Substitution::every(1)),
        multi: MultiDrug::Staggered {},
        goals: vec![],
        limits: Limits::default(),
        holds: vec![],
        dose_times: vec![],
        phases: Vec::new(),
        step_lengths: Vec::new(),
    };
    propose(&DATA, &request).unwrap()
}

/// The texts of the SVG's `<text>` elements.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| t.split_once('>').map(|(_, rest)| rest))
        .filter_map(|t| t.split("</text>").next())
        .map(|t| t.trim().to_owned())
        .collect()
}

/// Polyline strokes as (colour, width), in drawing order.
fn strokes(svg: &str) -> Vec<(String, String)> {
    svg.split("<polyline")
        .skip(1)
        .filter_map(|p| {
            let attr = |name: &str| {
                p.split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                    .map(str::to_owned)
            };
            Some((attr("stroke")?, attr("stroke-width")?))
        })
        .collect()
}

#[test]
fn a_drug_switched_away_has_no_ideal_curve_and_the_one_tapered_has() {
    let svg = chart_svg(&plan("alprazolam", &[0.5, 0.5, 0.0, 1.0], true), Locale::Sv).unwrap();
    let labels = texts(&svg);
    assert!(
        labels.iter().any(|t| t == "diazepam (mg), ideal kurva"),
        "{labels:?}"
    );
    assert!(labels.iter().any(|t| t == "alprazolam (mg), plan"));
    assert!(
        !labels.iter().any(|t| t == "alprazolam (mg), ideal kurva"),
        "alprazolam is switched, not tapered: {labels:?}"
    );
    // The switch is its own phase: a named band behind the lines.
    assert!(
        labels.iter().any(|t| t == "Byte till diazepam"),
        "{labels:?}"
    );
    assert!(
        svg.contains("#E8EEF5") || svg.contains("#e8eef5"),
        "the band"
    );
    let plain = chart_svg(&plan("diazepam", &[10.0, 0.0, 10.0], false), Locale::Sv).unwrap();
    assert!(!texts(&plain).iter().any(|t| t == "Byte till diazepam"));
}

#[test]
fn the_total_is_drawn_last_darker_and_wider_than_a_drug_line_it_may_lie_on() {
    // Diazepam in DE has factor 1: the DE line lies exactly on the drug's line.
    let svg = chart_svg(&plan("diazepam", &[10.0, 0.0, 10.0], false), Locale::Sv).unwrap();
    let lines = strokes(&svg);
    let width = |w: &str| w.parse::<f64>().unwrap();
    let drug = lines.first().expect("the drug's line");
    let total = lines.last().expect("the total's line");
    assert_ne!(total.0, drug.0, "another colour");
    assert!(
        width(&total.1) > width(&drug.1),
        "wider: {total:?} {drug:?}"
    );
    assert!(texts(&svg).iter().any(|t| t == "DE"));
}

#[test]
fn axis_numbers_have_decimal_commas() {
    // Alprazolam 0,5 mg a day: the dose axis counts in tenths.
    let svg = chart_svg(
        &plan("alprazolam", &[0.25, 0.0, 0.0, 0.25], false),
        Locale::Sv,
    )
    .unwrap();
    let numbers: Vec<String> = texts(&svg)
        .into_iter()
        .filter(|t| t.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    assert!(numbers.iter().any(|n| n.contains(',')), "{numbers:?}");
    assert!(!numbers.iter().any(|n| n.contains('.')), "{numbers:?}");
}
