//! The engine's speed: one plan for two drugs over more than a year, with rounding to
//! Swedish products; and 10,000 varied plans in a row on one core.
//!
//! Run: `cargo bench -p trappa-taper --bench plan`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use trappa_taper::plan::*;
use trappa_taper::propose;
use trappa_taper::reference::ReferenceData;
use trappa_taper::regimen::{DrugUse, Regimen};

fn request(
    drugs: &[(&str, &[f64])],
    reduction: Reduction,
    multi: MultiDrug,
    substitution: bool,
) -> PlanRequest {
    PlanRequest {
        regimen: Regimen {
            drugs: drugs
                .iter()
                .map(|(s, d)| DrugUse {
                    substance: (*s).into(),
                    route: None,
                    doses: d.to_vec(),
                    products: vec![],
                    as_needed: None,
                    special_products: false,
                })
                .collect(),
        },
        start: "2026-12-01".parse().unwrap(),
        tables: Default::default(),
        reduction: Some(reduction),
        substitution: substitution.then_some(Substitution::every(1)),
        multi,
        goals: vec![],
        limits: Limits::default(),
        holds: vec![],
        dose_times: vec![],
        phases: Vec::new(),
        step_lengths: Vec::new(),
    }
}

/// Oxazepam 10+10+0+25 mg and zopiclone 7.5 mg at night, tapered in parallel: 21 steps
/// over 64 weeks.
fn two_drugs_one_year() -> PlanRequest {
    request(
        &[
            ("oxazepam", &[10.0, 10.0, 0.0, 25.0]),
            ("zopiclone", &[0.0, 0.0, 0.0, 7.5]),
        ],
        Reduction::default(),
        MultiDrug::Parallel {},
        false,
    )
}

/// 100 different requests: substances, doses, strategies, several drugs.
fn varied() -> Vec<PlanRequest> {
    let regimens: [&[(&str, &[f64])]; 10] = [
        &[("oxazepam", &[10.0, 10.0, 0.0, 25.0])],
        &[("diazepam", &[10.0, 0.0, 10.0])],
        &[("alprazolam", &[0.5, 0.5, 0.0, 1.0])],
        &[("zopiclone", &[0.0, 0.0, 0.0, 7.5])],
        &[("oxycodone", &[20.0, 0.0, 20.0])],
        &[("fentanyl", &[50.0])],
        &[("pregabalin", &[150.0, 0.0, 150.0])],
        &[
            ("lorazepam", &[1.0, 1.0, 0.0, 2.5]),
            ("zolpidem", &[0.0, 0.0, 0.0, 10.0]),
        ],
        &[
            ("tramadol", &[50.0, 50.0, 50.0]),
            ("diazepam", &[5.0, 0.0, 5.0]),
        ],
        &[
            ("clonazepam", &[0.5, 0.0, 0.0, 2.0]),
            ("gabapentin", &[300.0, 300.0, 300.0]),
        ],
    ];
    let mut out = Vec::new();
    for (k, r) in regimens.iter().enumerate() {
        for variant in 0..10 {
            let reduction = match variant % 3 {
                0 => Reduction::Slow {
                    percent: 5.0 + variant as f64,
                    interval_weeks: 1 + variant % 4,
                    low_dose: LowDose::default(),
                },
                1 => Reduction::Hyperbolic {
                    occupancy_percent: 3.0 + variant as f64,
                    interval_weeks: 2,
                },
                _ => Reduction::Linear {
                    percent_of_start: 5.0 + variant as f64,
                    interval_weeks: 2,
                },
            };
            let multi = if variant % 2 == 0 {
                MultiDrug::Staggered {}
            } else {
                MultiDrug::Parallel {}
            };
            let substitution = variant == 9 && k < 4 && k != 1;
            out.push(request(r, reduction, multi, substitution));
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    let data = ReferenceData::builtin().unwrap();
    let one = two_drugs_one_year();
    let plan = propose(&data, &one).unwrap();
    assert!(
        plan.weeks() >= 52,
        "at least a year: {} weeks",
        plan.weeks()
    );
    c.bench_function("plan: two drugs, a year, rounded", |b| {
        b.iter(|| propose(&data, black_box(&one)).unwrap())
    });

    let requests = varied();
    for r in &requests {
        propose(&data, r).unwrap();
    }
    let mut group = c.benchmark_group("plans");
    group.sample_size(10);
    group.bench_function("10,000 varied plans", |b| {
        b.iter(|| {
            let mut steps = 0usize;
            for k in 0..10_000 {
                steps += propose(&data, black_box(&requests[k % requests.len()]))
                    .unwrap()
                    .steps
                    .len();
            }
            steps
        })
    });
    group.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
