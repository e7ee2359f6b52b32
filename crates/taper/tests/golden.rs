//! Golden tests: the reference vectors in the reference collection's tapering.md §9,
//! and the diazepam cross-over principle from Ashton (§2).

use trappa_taper::check::{Rule, check};
use trappa_taper::edit::{Edit, apply};
use trappa_taper::plan::*;
use trappa_taper::{Amount, Plan, propose};

mod support;
use support::{DATA, day, request, slow};

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
        // Never faster than 10 % a month from the start: every reduced dose at or above
        // the curve. A step rounded up is caught up at the next, which may then cut up
        // to 12,5 % of the dose a month before — never more.
        // The curve worked out here, not read from the plan: 10 % of the starting dose
        // per 28 days from day 0 (the first step on the first day), paused 4 weeks by the
        // hold on step 2 (the low-dose rule only makes the plan's own curve slower).
        let start_dose = plan.baseline[0].per_day.as_f64();
        let hold_from = day(&plan, &plan.steps[2]);
        for s in &plan.steps {
            if s.drugs[0].change == Change::Reduced {
                let d = day(&plan, s);
                let d = if d >= hold_from { d - 28 } else { d };
                let curve = start_dose * 0.9f64.powi((d / 28 + 1) as i32);
                assert!(
                    s.drugs[0].per_day.as_f64() >= curve - 1e-6,
                    "{substance}: step {} below {curve}",
                    s.number
                );
                let month_ago = dose_on(&plan, day(&plan, s) - 28);
                assert!(
                    s.drugs[0].per_day.as_f64() >= 0.875 * month_ago - 1e-9,
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
        // Never faster than the asked share per interval from the start: each reduced
        // dose is at or above 10 mg × (1 − share)ⁿ⁺¹ after n intervals.
        for s in &plan.steps {
            let d = day(&plan, s);
            if s.drugs[0].change == Change::Reduced {
                let intervals = (d / (i64::from(weeks) * 7) + 1) as i32;
                let curve = 10.0 * (1.0 - percent / 100.0).powi(intervals);
                assert!(
                    s.drugs[0].per_day.as_f64() >= curve - 1e-6,
                    "{percent} %: {} on day {d}, the curve {curve}",
                    s.drugs[0].per_day.as_f64()
                );
            }
        }
    }
}

/// The doses per dose time of drug `i` in a step.
fn doses(s: &Step, i: usize) -> Vec<f64> {
    s.drugs[i]
        .doses
        .iter()
        .map(|d| d.as_ref().map(|d| d.amount.as_f64()).unwrap_or(0.0))
        .collect()
}

fn diazepam(plan: &Plan) -> usize {
    plan.drugs
        .iter()
        .position(|d| d.substance == "diazepam")
        .unwrap()
}

/// Ashton (§2), in portions: 0.5 mg alprazolam (10 DE) for 10 mg diazepam a week, the
/// night dose first, then noon, then morning; the total DE constant at 40 (not above
/// the diazepam ceiling); diazepam one dose up to 10 mg, then two as equal as can be.
#[test]
fn alprazolam_to_diazepam_in_portions_at_a_constant_de() {
    let mut req = request(
        &[("alprazolam", &[0.5, 0.5, 0.0, 1.0], &[])],
        Reduction::default(),
    );
    req.substitution = Some(Substitution::every(1));
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    let dz = diazepam(&plan);
    // (alprazolam, diazepam) per dose time, hand-worked.
    let expected: [([f64; 4], [f64; 4]); 4] = [
        ([0.5, 0.5, 0.0, 0.5], [0.0, 0.0, 0.0, 10.0]),
        ([0.5, 0.5, 0.0, 0.0], [10.0, 0.0, 0.0, 10.0]),
        ([0.5, 0.0, 0.0, 0.0], [15.0, 0.0, 0.0, 15.0]),
        ([0.0, 0.0, 0.0, 0.0], [20.0, 0.0, 0.0, 20.0]),
    ];
    for (k, (alp, dia)) in expected.iter().enumerate() {
        let s = &plan.steps[k];
        assert_eq!(doses(s, 0), alp.to_vec(), "step {}", k + 1);
        assert_eq!(doses(s, dz), dia.to_vec(), "step {}", k + 1);
        assert_eq!(s.totals[0].per_day, 40.0, "step {}: DE constant", k + 1);
        assert_eq!(s.phase, Phase::Switch);
        assert_eq!(s.days, Some(if k < 3 { 7 } else { 14 }));
    }
    assert!(
        !plan
            .warnings
            .iter()
            .any(|w| matches!(w, trappa_taper::notice::Notice::HighDiazepam { .. })),
        "40 mg is at the ceiling, not above it"
    );
    // Then diazepam is reduced, never above 40 DE.
    assert_eq!(plan.steps[4].drugs[dz].change, Change::Reduced);
    assert_eq!(plan.steps[4].phase, Phase::Taper);
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

/// Alprazolam 2+2+2 mg (120 DE) is above the 40 mg diazepam ceiling: the switch goes in
/// twelve weekly portions of 0.5 mg (evening, then noon, then morning) and reduces as it
/// goes at the plan's own rate — 10 % per two weeks is 5,13 % a week — so each week
/// diazepam brings the total to 94,87 % of the week before, rounded down to what the
/// tablets make: never the 120 mg a day of a switch at the full equivalent. It ends at
/// 61 mg, above the ceiling, so the plan warns and asks the prescriber to confirm.
#[test]
fn a_high_dose_switch_reduces_as_it_goes_and_warns_above_the_ceiling() {
    let mut req = request(
        &[("alprazolam", &[2.0, 2.0, 2.0], &[])],
        Reduction::default(),
    );
    req.substitution = Some(Substitution::every(1));
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    let dz = diazepam(&plan);
    let switch: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|s| s.phase == Phase::Switch)
        .collect();
    assert_eq!(switch.len(), 12);
    // Hand-worked: week 1, 113,84 DE wanted, 110 left of alprazolam, so 3,84 mg diazepam
    // → 3,5 mg (a 2 mg and half a 5 mg tablet); week 2, 107,68 − 100 → 7,5 mg; …
    let alprazolam = [5.5, 5.0, 4.5, 4.0, 3.5, 3.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.0];
    let diazepam_day = [
        3.5, 7.5, 11.5, 16.0, 21.0, 26.0, 31.5, 37.0, 43.0, 49.0, 55.0, 61.0,
    ];
    let mut before = 120.0;
    for (k, s) in switch.iter().enumerate() {
        assert_eq!(s.drugs[0].per_day.as_f64(), alprazolam[k], "week {}", k + 1);
        assert_eq!(
            s.drugs[dz].per_day.as_f64(),
            diazepam_day[k],
            "week {}",
            k + 1
        );
        let de = s.totals[0].per_day;
        assert!(de <= before, "week {}: DE never rises", k + 1);
        assert!(
            de >= before * (1.0 - 0.0514) - 1.0,
            "week {}: {de} after {before}: no faster than the plan's rate",
            k + 1
        );
        let given = doses(s, dz).iter().filter(|d| **d > 0.0).count();
        assert!(given <= 2, "week {}: diazepam in {given} doses", k + 1);
        before = de;
    }
    // Evening first, then noon, then morning.
    assert_eq!(doses(switch[3], 0), vec![2.0, 2.0, 0.0, 0.0]);
    assert_eq!(doses(switch[7], 0), vec![2.0, 0.0, 0.0, 0.0]);
    use trappa_taper::notice::Notice;
    assert!(plan.warnings.iter().any(|w| matches!(
        w,
        Notice::SwitchReduces { from_de, to_de, .. } if *from_de == 120.0 && *to_de == 61.0
    )));
    let high = plan
        .warnings
        .iter()
        .find(|w| w.needs_confirmation())
        .expect("a warning the prescriber confirms");
    assert!(matches!(
        high,
        Notice::HighDiazepam { per_day, per_dose, .. } if *per_day == 61.0 && *per_dose == 31.0
    ));
    // A ceiling the plan sets higher switches at the full equivalent — and the dose above
    // the rules' ceiling is still confirmed separately: a request cannot raise that.
    let mut req = req.clone();
    req.substitution = Some(Substitution {
        max_per_day: Some(120.0),
        max_per_dose: Some(60.0),
        ..Substitution::every(1)
    });
    let plan = propose(&DATA, &req).unwrap();
    assert!(plan.warnings.iter().any(|w| matches!(
        w,
        Notice::HighDiazepam { per_day, max_per_day, .. } if *per_day == 120.0 && *max_per_day == 40.0
    )));
    let last = plan
        .steps
        .iter()
        .rfind(|s| s.phase == Phase::Switch)
        .unwrap();
    assert_eq!(
        last.totals[0].per_day, 120.0,
        "constant DE below the ceiling"
    );
}

/// A portion set per substance, in its own unit: 1 mg alprazolam at a time.
#[test]
fn a_portion_per_substance_switches_in_that_unit() {
    let mut req = request(
        &[("alprazolam", &[1.0, 0.0, 1.0], &[])],
        Reduction::default(),
    );
    req.substitution = Some(Substitution {
        portions: vec![SubstanceAmount {
            substance: "alprazolam".into(),
            amount: 1.0,
        }],
        ..Substitution::every(1)
    });
    let plan = propose(&DATA, &req).unwrap();
    let switch: Vec<&Step> = plan
        .steps
        .iter()
        .filter(|s| s.phase == Phase::Switch)
        .collect();
    assert_eq!(switch.len(), 2, "two dose times of 1 mg");
    assert_eq!(switch[0].totals[0].per_day, 40.0);
    assert_eq!(doses(switch[0], 0), vec![1.0, 0.0, 0.0, 0.0]);
}

/// The dose per dose time of drug 0 in every step.
fn schedule_of(plan: &Plan) -> Vec<Vec<f64>> {
    plan.steps.iter().map(|s| doses(s, 0)).collect()
}

/// An anxiolytic keeps its doses and reduces them evenly (NHI, Metodebok): oxazepam
/// 10+10+0+25 mg loses the night's extra first, 10 % of the day's dose every two weeks,
/// rounded up to half an Oxascand 5 mg tablet — never every daytime dose first.
#[test]
fn oxazepam_is_reduced_evenly_keeping_its_three_doses() {
    let plan = propose(
        &DATA,
        &request(
            &[("oxazepam", &[10.0, 10.0, 0.0, 25.0], &[])],
            Reduction::default(),
        ),
    )
    .unwrap();
    assert!(check(&plan, &DATA).is_empty());
    // Hand-worked: each step aims at the curve 45 × 0.9ⁿ (40,5; 36,45; 32,8; 29,5;
    // 26,6; 23,9; 21,5; 19,4; 17,4), rounded up to what one dose time of the tablets
    // makes, and may cut up to 12,5 % (the maximum and a quarter) to get back to it:
    // 40,5 → 42,5 (the night's 25 down to 22,5); 36,45 is below 42,5 × 0,875 = 37,2 →
    // 37,5; 32,8 → 35 (32,5 < 35 × 0,875); 30,6 → 32,5; 28,4 → 30; then the doses are
    // even and noon, morning, night go in turn: 26,25 → 27,5; 24,1 → 25; 21,9 → 22,5;
    // 19,7 → 20.
    let expected: Vec<Vec<f64>> = vec![
        vec![10.0, 10.0, 0.0, 22.5],
        vec![10.0, 10.0, 0.0, 17.5],
        vec![10.0, 10.0, 0.0, 15.0],
        vec![10.0, 10.0, 0.0, 12.5],
        vec![10.0, 10.0, 0.0, 10.0],
        vec![10.0, 7.5, 0.0, 10.0],
        vec![7.5, 7.5, 0.0, 10.0],
        vec![7.5, 7.5, 0.0, 7.5],
        vec![7.5, 5.0, 0.0, 7.5],
    ];
    assert_eq!(schedule_of(&plan)[..expected.len()].to_vec(), expected);
    // Three doses are kept while the products can make them.
    let three = |d: &Vec<f64>| d.iter().filter(|x| **x > 0.0).count() == 3;
    let first_two = schedule_of(&plan).iter().position(|d| !three(d)).unwrap();
    assert!(
        plan.steps[first_two - 1].drugs[0].per_day.as_f64() <= 7.5,
        "a dose time goes only at the smallest doses"
    );
}

/// An opioid keeps its dosing interval: OxyContin (12-hour) 20+0+20 mg stays twice daily,
/// the larger dose down first, and stops from 5 mg twice daily — never ends as one
/// evening dose.
#[test]
fn a_twelve_hour_opioid_stays_twice_daily_until_it_stops() {
    let plan = propose(
        &DATA,
        &request(
            &[(
                "oxycodone",
                &[20.0, 0.0, 20.0],
                &["oxycontin-5", "oxycontin-10"],
            )],
            Reduction::default(),
        ),
    )
    .unwrap();
    assert!(check(&plan, &DATA).is_empty(), "{:?}", check(&plan, &DATA));
    let expected: Vec<Vec<f64>> = vec![
        vec![15.0, 0.0, 20.0, 0.0],
        vec![15.0, 0.0, 15.0, 0.0],
        vec![10.0, 0.0, 15.0, 0.0],
        vec![10.0, 0.0, 10.0, 0.0],
        vec![5.0, 0.0, 10.0, 0.0],
        vec![5.0, 0.0, 5.0, 0.0],
        vec![0.0, 0.0, 0.0, 0.0],
    ];
    assert_eq!(schedule_of(&plan), expected);
    assert_eq!(plan.steps.last().unwrap().drugs[0].change, Change::Stopped);
    // The class's rule can be changed per plan: night-last drops a dose time instead.
    let mut req = request(
        &[(
            "oxycodone",
            &[20.0, 0.0, 20.0],
            &["oxycontin-5", "oxycontin-10"],
        )],
        Reduction::default(),
    );
    req.dose_times = vec![DoseTimeChoice {
        substance: "oxycodone".into(),
        rule: DoseTimeRule::NightLast,
    }];
    let plan = propose(&DATA, &req).unwrap();
    let before_stop = &plan.steps[plan.steps.len() - 2];
    assert_eq!(
        doses(before_stop, 0).iter().filter(|d| **d > 0.0).count(),
        1
    );
    // A rule for a drug not in the plan is refused by name.
    req.dose_times[0].substance = "diazepam".into();
    let e = propose(&DATA, &req).unwrap_err();
    assert_eq!(e.field, "dose_times[0].substance");
}

/// A patch is changed every 72 hours: its steps fall on change days (the plan's first
/// day counts as one), a hold is rounded up to whole change intervals, and with an oral
/// drug in parallel the patch steps on change days that are also on the weekly rhythm.
#[test]
fn patch_steps_fall_on_change_days() {
    let on_change_days =
        |plan: &Plan, every: i64| plan.steps.iter().all(|s| day(plan, s) % every == 0);
    let mut req = request(&[("fentanyl", &[50.0], &[])], Reduction::default());
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    // Hand-worked: two weeks is day 14, the next change day is 15.
    assert_eq!(day(&plan, &plan.steps[0]), 15);
    assert!(on_change_days(&plan, 3), "every step on a change day");
    req.holds = vec![Hold {
        step: 1,
        weeks: 2,
        reason: "Oro".into(),
    }];
    let held = propose(&DATA, &req).unwrap();
    assert!(on_change_days(&held, 3), "a hold keeps the change days");
    assert_eq!(day(&held, &held.steps[1]), day(&plan, &plan.steps[1]) + 15);
    // In parallel with oxazepam: every 21 days, on both rhythms.
    let mut both = request(
        &[
            ("fentanyl", &[25.0], &[]),
            ("oxazepam", &[10.0, 0.0, 10.0], &[]),
        ],
        Reduction::default(),
    );
    both.multi = MultiDrug::Parallel {};
    let plan = propose(&DATA, &both).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    for s in plan
        .steps
        .iter()
        .filter(|s| s.drugs[0].change != Change::Same)
    {
        assert_eq!(day(&plan, s) % 21, 0, "step {}", s.number);
    }
}

/// Without a pace of its own, a plan takes its drug class's from the rules, with the
/// source named: opioids 10 % a month (CDC 2022), benzodiazepines 10 % every two weeks
/// (ASAM 2025); with several classes the slowest. A drug already at its smallest dose
/// is held inside the plan before it stops, never stopped on the first day.
#[test]
fn the_pace_is_the_classs_default_with_its_source() {
    use trappa_taper::notice::Notice;
    let pace = |drugs: &[(&str, &[f64], &[&str])]| {
        let mut req = request(drugs, Reduction::default());
        req.reduction = None;
        let plan = propose(&DATA, &req).unwrap();
        assert!(check(&plan, &DATA).is_empty());
        let named = plan.warnings.iter().find_map(|w| match w {
            Notice::ClassPace { source, .. } => Some(source.clone()),
            _ => None,
        });
        (
            plan.request.pace(),
            named.expect("the pace and its source named"),
            plan,
        )
    };
    let slow = |percent: f64, interval_weeks: u32| Reduction::Slow {
        percent,
        interval_weeks,
        low_dose: LowDose::default(),
    };
    let (oxy, source, _) = pace(&[(
        "oxycodone",
        &[20.0, 0.0, 20.0],
        &["oxycontin-5", "oxycontin-10"],
    )]);
    assert_eq!(oxy, slow(10.0, 4));
    assert!(source.starts_with("CDC"), "{source}");
    let (oxa, source, _) = pace(&[("oxazepam", &[10.0, 0.0, 10.0], &[])]);
    assert_eq!(oxa, slow(10.0, 2));
    assert!(source.starts_with("ASAM"), "{source}");
    let (both, _, _) = pace(&[
        ("oxazepam", &[10.0, 0.0, 10.0], &[]),
        (
            "oxycodone",
            &[20.0, 0.0, 20.0],
            &["oxycontin-5", "oxycontin-10"],
        ),
    ]);
    assert_eq!(both, slow(10.0, 4), "the slowest class");
    // Fentanyl 12,5 µg/h is the smallest patch: held four weeks (to the change day
    // after), then stopped — not on the first day.
    let (_, _, fentanyl) = pace(&[("fentanyl", &[12.5], &[])]);
    assert_eq!(fentanyl.steps.len(), 1);
    assert_eq!(day(&fentanyl, &fentanyl.steps[0]), 30);
    // A pace of its own is kept, and no class pace is named.
    let plan = propose(
        &DATA,
        &request(&[("oxazepam", &[10.0, 0.0, 10.0], &[])], slow(5.0, 2)),
    )
    .unwrap();
    assert_eq!(plan.request.pace(), slow(5.0, 2));
    assert!(
        !plan
            .warnings
            .iter()
            .any(|w| matches!(w, Notice::ClassPace { .. }))
    );
}

/// Fewer product changes: oxazepam 10+10+0+25 mg made, through the whole plan, of the
/// two strengths that can make every dose (5 and 10 mg) instead of all four — the
/// patient's own 10 mg first — and the plan says which products it needs.
#[test]
fn a_plan_keeps_to_the_fewest_products() {
    use trappa_taper::notice::Notice;
    let plan = propose(
        &DATA,
        &request(
            &[("oxazepam", &[10.0, 10.0, 0.0, 25.0], &[])],
            Reduction::default(),
        ),
    )
    .unwrap();
    assert!(check(&plan, &DATA).is_empty());
    let mut used: Vec<String> = plan
        .steps
        .iter()
        .flat_map(|s| s.drugs[0].doses.iter().flatten())
        .flat_map(|d| {
            d.parts
                .iter()
                .map(|p| plan.drugs[0].products[usize::from(p.product)].id.clone())
        })
        .collect();
    used.sort();
    used.dedup();
    assert_eq!(
        used,
        vec!["oxascand-10".to_owned(), "oxascand-5".to_owned()]
    );
    assert!(plan.warnings.iter().any(|w| matches!(
        w,
        Notice::ProductsUsed { products, .. } if products.len() == 2
    )));
}

/// An immediate-release opioid taken four times a day is reduced evenly and never stopped
/// from four doses at once: at the smallest capsule a dose time goes first (tramadol 50 mg
/// capsules, 50+50+50+50). A small portion never switches a whole dose time at once.
#[test]
fn an_immediate_release_opioid_drops_dose_times_before_it_stops() {
    let plan = propose(
        &DATA,
        &request(
            &[("tramadol", &[50.0, 50.0, 50.0, 50.0], &[])],
            Reduction::default(),
        ),
    )
    .unwrap();
    assert!(check(&plan, &DATA).is_empty(), "{:?}", check(&plan, &DATA));
    let before_stop = &plan.steps[plan.steps.len() - 2];
    let taken = doses(before_stop, 0).iter().filter(|d| **d > 0.0).count();
    assert_eq!(taken, 1, "one capsule a day before the stop");
    // A portion of 1 DE (2 mg oxazepam): the night's 25 mg goes down by the next
    // smaller dose, not to nothing in one week.
    let mut req = request(
        &[("oxazepam", &[10.0, 10.0, 0.0, 25.0], &[])],
        Reduction::default(),
    );
    req.substitution = Some(Substitution {
        portion_de: Some(1.0),
        ..Substitution::every(1)
    });
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    assert!(
        doses(&plan.steps[0], 0)[3] > 0.0,
        "{:?}",
        doses(&plan.steps[0], 0)
    );
}
