//! A switch to diazepam is its own phase in every output: the step table for the
//! terminal, the handout's steps and weeks, the calendar's events and the chart.

use std::sync::LazyLock;

use trappa_i18n::Locale;
use trappa_taper::output::{handout, ics, table};
use trappa_taper::plan::*;
use trappa_taper::reference::ReferenceData;
use trappa_taper::regimen::{DrugUse, Regimen};
use trappa_taper::{Plan, propose};
use trappa_web::chart;

static DATA: LazyLock<ReferenceData> = LazyLock::new(|| ReferenceData::builtin().unwrap());
const L: Locale = Locale::Sv;

fn plan(switch: bool) -> Plan {
    let request = PlanRequest {
        regimen: Regimen {
            drugs: vec![DrugUse {
                substance: "alprazolam".into(),
                route: None,
                doses: vec![0.5, 0.5, 0.0, 1.0],
                products: vec![],
                as_needed: None,
                special_products: false,
            }],
        },
        start: "2026-12-01".parse().unwrap(),
        tables: Default::default(),
        reduction: Some(Reduction::default()),
        substitution: switch.then(|| Substitution::every(1)),
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

#[test]
fn every_output_names_the_switch_and_the_taper() {
    let p = plan(true);
    let switch_steps = p.steps.iter().filter(|s| s.phase == Phase::Switch).count();
    assert_eq!(switch_steps, 4);

    let text = table::text_table(&p, L);
    let switch_at = text
        .find("— Byte till diazepam —")
        .expect("terminal: switch");
    let taper_at = text.find("— Nedtrappning —").expect("terminal: taper");
    assert!(switch_at < taper_at);

    let html = trappa_web::handout::body(&p, L, p.request.start).into_string();
    // The switch starts on the plan's first day: steps and weeks each name the switch,
    // then the taper.
    assert_eq!(html.matches("<tr class=\"phase\">").count(), 4);
    assert_eq!(html.matches(">Byte till diazepam</th>").count(), 2);
    assert_eq!(html.matches(">Nedtrappning</th>").count(), 2);
    let rows = handout::weeks(&p, L);
    assert_eq!(
        rows[0].phase,
        Some(Phase::Switch),
        "the switch starts on day 1"
    );

    let cal = ics::ics(&p, L, "t", jiff::Timestamp::UNIX_EPOCH);
    let summaries: Vec<&str> = cal
        .lines()
        .filter_map(|l| l.strip_prefix("SUMMARY:"))
        .collect();
    assert_eq!(
        summaries
            .iter()
            .filter(|s| s.starts_with("Byte till diazepam"))
            .count(),
        switch_steps,
        "{summaries:?}"
    );

    let svg = chart::chart_svg(&p, L).unwrap();
    assert!(svg.contains("Byte till diazepam"));
}

#[test]
fn a_plan_without_a_switch_names_no_phases() {
    let p = plan(false);
    assert!(!p.has_phases());
    let html = trappa_web::handout::body(&p, L, p.request.start).into_string();
    assert!(!html.contains("class=\"phase\""));
    assert!(!table::text_table(&p, L).contains("— Nedtrappning —"));
}
