//! Golden tests: the reference vectors in the reference collection's tapering.md §9,
//! and the diazepam cross-over principle from Ashton (§2).

use std::sync::LazyLock;

use jiff::civil::Date;
use trappa_taper::check::{Rule, check};
use trappa_taper::edit::{Edit, apply};
use trappa_taper::plan::*;
use trappa_taper::reference::ReferenceData;
use trappa_taper::regimen::{DrugUse, Regimen};
use trappa_taper::{Amount, Plan, propose};

static DATA: LazyLock<ReferenceData> = LazyLock::new(|| ReferenceData::builtin().unwrap());

fn start() -> Date {
    "2026-12-01".parse().unwrap()
}

fn request(drugs: &[(&str, &[f64], &[&str])], reduction: Reduction) -> PlanRequest {
    PlanRequest {
        regimen: Regimen {
            drugs: drugs
                .iter()
                .map(|(s, d, p)| DrugUse {
                    substance: (*s).into(),
                    route: None,
                    doses: d.to_vec(),
                    products: p.iter().map(|x| (*x).to_owned()).collect(),
                    as_needed: None,
                    special_products: false,
                })
                .collect(),
        },
        start: start(),
        tables: Default::default(),
        reduction,
        substitution: None,
        multi: MultiDrug::Staggered,
        goals: vec![],
        limits: Limits::default(),
        holds: vec![],
    }
}

fn slow(percent: f64, weeks: u32) -> Reduction {
    Reduction::Slow {
        percent,
        interval_weeks: weeks,
        low_dose: LowDose::default(),
    }
}

fn day(plan: &Plan, s: &Step) -> i64 {
    i64::from((s.start - plan.request.start).get_days())
}

/// The dose of drug 0 on a day (the starting dose before the first step).
fn dose_on(plan: &Plan, d: i64) -> f64 {
    let mut dose = plan.baseline[0].per_day.as_f64();
    for s in &plan.steps {
        if day(plan, s) <= d {
            dose = s.drugs[0].per_day.as_f64();
        }
    }
    dose
}

/// §9.6: 10 % of the current dose every 2 weeks from diazepam 20 mg:
/// 20 → 18 → 16.2 → 14.6 → 13.1 → 11.8 → 10.6 → 9.6 → 8.6 → 7.7 → 7.0 → 6.3,
/// rounded to diazepam 2 mg and 5 mg tablets and halves.
#[test]
fn proportional_taper_from_diazepam_20_mg() {
    let plan = propose(
        &DATA,
        &request(
            &[(
                "diazepam",
                &[10.0, 0.0, 10.0],
                &["stesolid-2", "stesolid-5"],
            )],
            slow(10.0, 2),
        ),
    )
    .unwrap();
    assert!(check(&plan, &DATA).is_empty());
    let expect = [18.0, 16.2, 14.6, 13.1, 11.8, 10.6, 9.6, 8.6, 7.7, 7.0, 6.3];
    let ideal: Vec<f64> = plan.ideal[0]
        .iter()
        .take(expect.len())
        .map(|p| (p.dose.as_f64() * 10.0).round() / 10.0)
        .collect();
    assert_eq!(ideal, expect);
    let days: Vec<u32> = plan.ideal[0]
        .iter()
        .take(expect.len())
        .map(|p| p.day)
        .collect();
    assert_eq!(
        days,
        (0..expect.len() as u32).map(|k| k * 14).collect::<Vec<_>>()
    );
    // Rounding only ever makes a step smaller: the plan never runs below the curve, and
    // stays within one half tablet (1 mg) above the step's own aim.
    for s in &plan.steps {
        let d = &s.drugs[0];
        if d.change == Change::Reduced {
            assert!(
                d.per_day >= d.ideal.unwrap(),
                "step {} below the curve",
                s.number
            );
            assert!(
                d.per_day.as_f64() - d.aim.unwrap().as_f64() < 1.0,
                "step {}",
                s.number
            );
        }
    }
    assert_eq!(
        plan.steps[0].drugs[0].per_day,
        Amount::from_f64(18.0).unwrap()
    );
    // Every dose is whole or half 2 mg and 5 mg tablets.
    for s in &plan.steps {
        for dose in s.drugs[0].doses.iter().flatten() {
            for part in &dose.parts {
                assert_eq!(part.count % 2, 0, "only halves");
            }
        }
    }
}

/// §9.4: ASAM — every step within 25 % per 2 weeks; the default first step 5–10 %,
/// every 2–4 weeks.
#[test]
fn asam_envelope() {
    let regimens: [(&str, &[f64]); 6] = [
        ("oxazepam", &[10.0, 10.0, 0.0, 25.0]),
        ("alprazolam", &[0.5, 0.5, 0.0, 1.0]),
        ("lorazepam", &[1.0, 1.0, 0.0, 2.5]),
        ("clonazepam", &[0.5, 0.0, 0.0, 2.0]),
        ("zopiclone", &[0.0, 0.0, 0.0, 7.5]),
        ("diazepam", &[10.0, 5.0, 0.0, 10.0]),
    ];
    for (substance, doses) in regimens {
        let plan = propose(
            &DATA,
            &request(&[(substance, doses, &[])], Reduction::default()),
        )
        .unwrap();
        assert!(check(&plan, &DATA).is_empty(), "{substance}");
        let first = &plan.steps[0];
        let cut = 1.0 - first.drugs[0].per_day.as_f64() / plan.baseline[0].per_day.as_f64();
        if first.drugs[0].change == Change::Reduced {
            assert!(
                cut > 0.0 && cut <= 0.10 + 1e-9,
                "{substance}: first step {cut}"
            );
        }
        assert!(
            first.days.unwrap() >= 14,
            "{substance}: first step lasts {:?}",
            first.days
        );
        for s in &plan.steps {
            let d = &s.drugs[0];
            let two_weeks_ago = dose_on(&plan, day(&plan, s) - 14);
            match d.change {
                Change::Reduced => {
                    assert!(
                        d.per_day.as_f64() >= 0.75 * two_weeks_ago - 1e-9,
                        "{substance}: step {}",
                        s.number
                    )
                }
                // A larger step than the products allow otherwise is marked, and comes
                // after a hold long enough for the ceiling's rate.
                Change::Granular | Change::Stopped => assert!(!s.notes.is_empty()),
                _ => {}
            }
        }
    }
}

/// §9.5: CDC, long-term opioids — at most 10 % of the dose per month, pauses allowed.
#[test]
fn cdc_envelope_for_long_term_opioids() {
    for (substance, doses, products) in [
        (
            "oxycodone",
            &[40.0, 0.0, 40.0][..],
            &["oxycontin-10", "oxycontin-20", "oxycontin-5"][..],
        ),
        ("morphine", &[60.0, 0.0, 60.0][..], &[][..]),
        (
            "tramadol",
            &[100.0, 0.0, 100.0][..],
            &["tramadol-depot-50", "tramadol-depot-100"][..],
        ),
    ] {
        let mut req = request(&[(substance, doses, products)], slow(10.0, 4));
        req.holds.push(Hold {
            step: 2,
            weeks: 4,
            reason: "paus".into(),
        });
        let plan = propose(&DATA, &req).unwrap();
        assert!(check(&plan, &DATA).is_empty(), "{substance}");
        for s in &plan.steps {
            if s.drugs[0].change == Change::Reduced {
                let month_ago = dose_on(&plan, day(&plan, s) - 28);
                assert!(
                    s.drugs[0].per_day.as_f64() >= 0.9 * month_ago - 1e-9,
                    "{substance}: step {}",
                    s.number
                );
            }
        }
        assert!(
            plan.steps[1]
                .notes
                .iter()
                .any(|n| matches!(n, trappa_taper::notice::Notice::Hold { weeks: 4, .. }))
        );
    }
}

/// §9.3: the Finnish scheme from 20 mg: 15 (−25 %), then 10 (half the original), then
/// 10–25 % of the remaining dose every 1–2 weeks. Its first step fits a 25 % limit; its
/// second (−33 %) breaks ASAM's ceiling, which the checker reports; its tail fits.
#[test]
fn finnish_scheme_against_the_ceiling() {
    let mut req = request(&[("diazepam", &[10.0, 0.0, 10.0], &[])], slow(25.0, 2));
    req.limits.max_step_percent = 25.0;
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    assert_eq!(
        plan.steps[0].drugs[0].per_day,
        Amount::from_f64(15.0).unwrap()
    );
    // Step 2 set to 10 mg by hand: a 33 % cut in two weeks.
    let edited = apply(
        &DATA,
        &plan,
        &Edit::SetDoses {
            step: 2,
            substance: "diazepam".into(),
            doses: vec![5.0, 0.0, 5.0],
            by: "test".into(),
            reason: "finsk modell".into(),
        },
    )
    .unwrap();
    let v = check(&edited, &DATA);
    assert!(
        v.iter()
            .any(|v| v.step == 2 && v.rule == Rule::StepTooLarge),
        "{v:?}"
    );
    assert!(
        v.iter().any(|v| v.step == 2 && v.rule == Rule::Ceiling),
        "{v:?}"
    );
    // The tail from 10 mg at 10–25 % every 1–2 weeks keeps the envelope.
    for (percent, weeks) in [(10.0, 1), (25.0, 2), (15.0, 2)] {
        let mut tail = request(&[("diazepam", &[5.0, 0.0, 5.0], &[])], slow(percent, weeks));
        tail.limits.max_step_percent = 25.0;
        let plan = propose(&DATA, &tail).unwrap();
        assert!(check(&plan, &DATA).is_empty());
        // Each cut is at most the asked share per interval held (a step that waited for
        // the products may take the intervals it waited).
        let mut last_change = -i64::from(weeks) * 7;
        for s in &plan.steps {
            let d = day(&plan, s);
            if s.drugs[0].change == Change::Reduced {
                let before = dose_on(&plan, d - 1);
                let cut = 1.0 - s.drugs[0].per_day.as_f64() / before;
                let intervals = (d - last_change) as f64 / (f64::from(weeks) * 7.0);
                let allowed = 1.0 - (1.0 - percent / 100.0).powf(intervals);
                assert!(
                    cut <= allowed + 1e-9,
                    "{percent} %: cut {cut} after {intervals} intervals"
                );
            }
            last_change = d;
        }
    }
}

/// Ashton (§2): switch to diazepam one dose time at a time, evening or night first,
/// total DE constant, then reduce the diazepam.
#[test]
fn alprazolam_to_diazepam_one_dose_time_at_a_time() {
    let mut req = request(
        &[("alprazolam", &[0.5, 0.5, 0.0, 1.0], &[])],
        Reduction::default(),
    );
    req.substitution = Some(Substitution { interval_weeks: 1 });
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    let dz = plan
        .drugs
        .iter()
        .position(|d| d.substance == "diazepam")
        .unwrap();
    let doses = |s: &Step, i: usize| -> Vec<f64> {
        s.drugs[i]
            .doses
            .iter()
            .map(|d| d.as_ref().map(|d| d.amount.as_f64()).unwrap_or(0.0))
            .collect()
    };
    // Night first, then noon, then morning; a week apart; 40 DE throughout (Ashton).
    assert_eq!(doses(&plan.steps[0], dz), vec![0.0, 0.0, 0.0, 20.0]);
    assert_eq!(doses(&plan.steps[1], dz), vec![0.0, 10.0, 0.0, 20.0]);
    assert_eq!(doses(&plan.steps[2], dz), vec![10.0, 10.0, 0.0, 20.0]);
    assert_eq!(plan.steps[2].drugs[0].per_day, Amount::ZERO);
    for s in &plan.steps[..3] {
        assert_eq!(s.totals[0].per_day, 40.0);
        assert_eq!(s.days, Some(if s.number < 3 { 7 } else { 14 }));
    }
    // Then diazepam is reduced, never above 40 DE.
    assert_eq!(plan.steps[3].drugs[dz].change, Change::Reduced);
    assert!(plan.steps.iter().all(|s| s.totals[0].per_day <= 40.0));
    assert!(
        plan.steps
            .last()
            .unwrap()
            .drugs
            .iter()
            .all(|d| d.per_day.is_zero())
    );
}
