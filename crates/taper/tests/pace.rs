//! The pace a plan keeps: every step aims at the curve from the taper's start (rounding
//! is caught up, never compounded), opening phases with a pace of their own, steps with
//! a length of their own — each against a hand-worked schedule.

mod support;

use support::{DATA, day, per_day, request, slow};
use trappa_i18n::Locale;
use trappa_taper::check::check;
use trappa_taper::notice::Notice;
use trappa_taper::output::table;
use trappa_taper::plan::*;
use trappa_taper::propose;
use trappa_taper::rules::RuleId;

fn diazepam_20() -> PlanRequest {
    request(&[("diazepam", &[10.0, 0.0, 10.0], &[])], slow(10.0, 2))
}

/// The vector: 10 % every 2 weeks from 20 mg used to compound its rounding
/// (18; 16,5; 15; 13,5; 12,5 …: each step 10 % of a dose already rounded up).
#[test]
fn rounding_is_caught_up_at_the_next_step() {
    let plan = propose(&DATA, &diazepam_20()).unwrap();
    assert!(check(&plan, &DATA).is_empty(), "{:?}", check(&plan, &DATA));
    // Hand-worked: the curve 20 × 0,9ⁿ is 18; 16,2; 14,58; 13,12; 11,81; 10,63; 9,57;
    // 8,61; 7,75; 6,97. Each step takes the smallest dose at or above it that one dose
    // time of 2 mg tablets in quarters makes (0,5 mg), cutting at most 12,5 % to get
    // back to it: 16,2 → 16,5; 14,58 → 15 (14,5 is below); 13,12 → 13,5; 11,81 → 12
    // (11,1 %: the catch-up); 10,63 → 11; 9,57 → 10; 8,61 → 9; 7,75 → 8; 6,97 → 7.
    let expected = [18.0, 16.5, 15.0, 13.5, 12.0, 11.0, 10.0, 9.0, 8.0, 7.0];
    assert_eq!(per_day(&plan, 0)[..expected.len()], expected);
    // Every reduced dose lies within one 0,5 mg piece above its curve point.
    for s in plan.steps.iter().take(expected.len()) {
        let ideal = s.drugs[0].ideal.unwrap().as_f64();
        let dose = s.drugs[0].per_day.as_f64();
        assert!(dose >= ideal && dose < ideal + 0.5, "step {}", s.number);
    }
    // The catch-up's share is an assumption: named among the unverified values.
    assert!(
        plan.warnings.iter().any(|w| matches!(w,
        Notice::UnverifiedRules { rules } if rules.iter().any(|r| r.id == RuleId::CatchUpPercent)))
    );
    // Nothing forced the plan a step behind its curve.
    assert!(
        !plan
            .warnings
            .iter()
            .any(|w| matches!(w, Notice::BehindCurve { .. }))
    );
}

/// A step back to the curve is larger than the maximum by at most a quarter of it; a
/// plan whose curve itself is steeper than the maximum is capped, not caught up.
#[test]
fn a_catch_up_stays_within_a_quarter_more_than_the_maximum() {
    let plan = propose(&DATA, &diazepam_20()).unwrap();
    let mut before = 20.0;
    let mut larger = 0;
    for s in &plan.steps {
        let dose = s.drugs[0].per_day.as_f64();
        if s.drugs[0].change == Change::Reduced {
            let cut = 1.0 - dose / before;
            assert!(cut <= 0.125 + 1e-9, "step {}: {cut}", s.number);
            larger += usize::from(cut > 0.1 + 1e-9);
        }
        before = dose;
    }
    assert!(larger > 0, "some step caught up");

    // 25 % a step asked, 10 % allowed: every step is capped at 10 % and says so.
    let mut steep = request(&[("diazepam", &[10.0, 0.0, 10.0], &[])], slow(25.0, 2));
    steep.limits.max_step_percent = 10.0;
    let plan = propose(&DATA, &steep).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    assert_eq!(per_day(&plan, 0)[..3], [18.0, 16.5, 15.0]);
    assert!(
        plan.steps[0]
            .notes
            .iter()
            .any(|n| matches!(n, Notice::Capped { .. }))
    );
}

/// Where the plan falls a step or more behind its curve, it says so and by how much:
/// oxazepam tapered beside diazepam must wait for the class's ceiling, since its
/// smallest step (15 → 12,5 mg) is larger than the maximum.
#[test]
fn a_plan_held_back_says_how_far() {
    let mut req = request(
        &[
            ("diazepam", &[10.0, 0.0, 10.0], &[]),
            ("oxazepam", &[0.0, 0.0, 0.0, 15.0], &[]),
        ],
        slow(10.0, 2),
    );
    req.multi = MultiDrug::Parallel {};
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    let behind = plan.warnings.iter().find_map(|w| match w {
        Notice::BehindCurve {
            substance, weeks, ..
        } => Some((substance.clone(), *weeks)),
        _ => None,
    });
    let (substance, weeks) = behind.expect("the lag is named");
    assert_eq!(substance, "oxazepam");
    // Its first step comes only once diazepam pauses; the curve had then moved on.
    let first = plan
        .steps
        .iter()
        .find(|s| s.drugs[1].change != Change::Same)
        .unwrap();
    assert!(i64::from(weeks) >= (day(&plan, first) - 28) / 7, "{weeks}");
    let text = plan
        .warnings
        .iter()
        .map(|w| w.message(Locale::Sv))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("oxazepam ligger som mest"), "{text}");
}

/// A larger step than the products allow otherwise comes when the curve has come
/// halfway to it — never at the ceiling's pace when a slower one was asked.
#[test]
fn a_coarse_step_waits_for_the_curve() {
    // Oxascand 5 mg halves from 20 mg at 5 % every two weeks: the first possible step
    // is 17,5 (12,5 %), taken once the curve is at or below √(20 × 17,5) = 18,7. The
    // curve's first point (day 0) is one step down, 19; its second (day 14) 18,05.
    let plan = propose(
        &DATA,
        &request(
            &[("oxazepam", &[10.0, 0.0, 10.0], &["oxascand-5"])],
            slow(5.0, 2),
        ),
    )
    .unwrap();
    assert!(check(&plan, &DATA).is_empty());
    assert_eq!(plan.steps[0].drugs[0].per_day.as_f64(), 17.5);
    assert_eq!(day(&plan, &plan.steps[0]), 14);
    // Each coarse step before the last dose lies around the curve: above it before the
    // step, at or below it after.
    for s in &plan.steps {
        if s.drugs[0].change == Change::Granular {
            let ideal = s.drugs[0].ideal.unwrap().as_f64();
            assert!(
                s.drugs[0].per_day.as_f64() <= ideal + 1e-9,
                "step {}",
                s.number
            );
        }
    }
}

/// Terveyskylä: two steps of 25 %, then 10 % every two weeks — the opening phase is its
/// own phase in the outputs, and the ceiling stays.
#[test]
fn an_opening_phase_keeps_its_own_pace_then_the_plans() {
    let mut req = diazepam_20();
    req.phases = vec![PacePhase {
        steps: 2,
        percent: 25.0,
        interval_weeks: 2,
    }];
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty(), "{:?}", check(&plan, &DATA));
    // Hand-worked: 20 × 0,75 = 15; 15 × 0,75 = 11,25 → 11,5; then 10 % a step from the
    // curve's 11,25: 10,125 → 10,5 (10,0 is below); 9,11 → 9,5; 8,2 → 8,5; 7,38 → 7,5.
    assert_eq!(per_day(&plan, 0)[..6], [15.0, 11.5, 10.5, 9.5, 8.5, 7.5]);
    assert_eq!(plan.steps[0].phase, Phase::Opening(0));
    assert_eq!(plan.steps[1].phase, Phase::Opening(0));
    assert_eq!(plan.steps[2].phase, Phase::Taper);
    assert!(
        plan.steps
            .iter()
            .all(|s| day(&plan, s) % 14 == 0 || s.number > 12)
    );
    let text = table::text_table(&plan, Locale::Sv);
    assert!(
        text.contains("— Fas 1: 25 % per steg, var 2\u{a0}veckor —"),
        "{text}"
    );
    assert!(text.contains("— Nedtrappning —"), "{text}");

    // Two 25 % steps a week apart would cut 44 % in two weeks: the ceiling makes the
    // second wait until two weeks after the first.
    req.phases[0].interval_weeks = 1;
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty(), "{:?}", check(&plan, &DATA));
    assert_eq!(per_day(&plan, 0)[0], 15.0);
    assert!(day(&plan, &plan.steps[1]) >= 14);
    assert!(plan.steps[1].drugs[0].per_day.as_f64() >= 20.0 * 0.75 * 0.75 - 1e-9);

    // A phase past the ceiling is refused by name.
    req.phases[0].percent = 30.0;
    let e = propose(&DATA, &req).unwrap_err();
    assert_eq!(e.field, "phases[0].percent");
}

/// A step may have its own length: the later steps move; a length that would make the
/// next step break the ceiling is refused and names the step.
#[test]
fn a_step_has_its_own_length_inside_the_ceiling() {
    let mut req = diazepam_20();
    req.step_lengths = vec![StepLength { step: 3, weeks: 5 }];
    let plain = propose(&DATA, &diazepam_20()).unwrap();
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    assert_eq!(plan.steps[2].days, Some(35));
    assert_eq!(
        day(&plan, &plan.steps[3]),
        day(&plain, &plain.steps[3]) + 21
    );
    assert_eq!(per_day(&plan, 0), per_day(&plain, 0));

    // Shorter: step 2 for a week moves everything after it a week earlier.
    req.step_lengths = vec![StepLength { step: 2, weeks: 1 }];
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    assert_eq!(day(&plan, &plan.steps[2]), 21);

    // After 25 % in the opening phase, a one-week step would cut 42 % in two weeks.
    req.phases = vec![PacePhase {
        steps: 2,
        percent: 25.0,
        interval_weeks: 2,
    }];
    req.step_lengths = vec![StepLength { step: 1, weeks: 1 }];
    let e = propose(&DATA, &req).unwrap_err();
    assert_eq!(e.field, "step_lengths[0]");
    assert!(
        e.message(Locale::Sv).contains("steg 1"),
        "{}",
        e.message(Locale::Sv)
    );
    // The plan's last step has no end to set.
    req.phases.clear();
    req.step_lengths = vec![StepLength {
        step: plain.steps.len(),
        weeks: 2,
    }];
    let e = propose(&DATA, &req).unwrap_err();
    assert_eq!(e.field, "step_lengths[0]");
    assert!(matches!(e.problem, trappa_taper::Problem::LastStep { .. }));
    // The step before the stop shorter than the final hold: the last dose would be
    // held too briefly, refused rather than proposed.
    req.step_lengths = vec![StepLength {
        step: plain.steps.len() - 1,
        weeks: 1,
    }];
    let e = propose(&DATA, &req).unwrap_err();
    assert!(
        matches!(e.problem, trappa_taper::Problem::TooShort { .. }),
        "{e:?}"
    );
}

/// Before a coarse patch step (25–50 %) the plan offers what makes it smaller: the
/// smaller patch when the plan does not use it, else oral morphine at about the smallest
/// patch's dose by the plan's MME table.
#[test]
fn a_coarse_patch_step_offers_the_smaller_patch_or_an_oral_alternative() {
    let granular = |plan: &trappa_taper::Plan| -> Vec<Notice> {
        plan.steps
            .iter()
            .flat_map(|s| s.notes.iter())
            .filter(|n| matches!(n, Notice::Granular { .. }))
            .cloned()
            .collect()
    };
    // Without the 12 µg/h patch: 50 → 25 µg/h is 50 %, and the 12 µg/h patch is named.
    let plan = propose(
        &DATA,
        &request(
            &[("fentanyl", &[50.0], &["durogesic-25", "durogesic-50"])],
            slow(10.0, 4),
        ),
    )
    .unwrap();
    assert!(check(&plan, &DATA).is_empty());
    let notes = granular(&plan);
    assert!(!notes.is_empty());
    for n in &notes {
        let Notice::Granular { finer, oral, .. } = n else {
            unreachable!()
        };
        assert_eq!(finer.as_deref(), Some("Durogesic 12,5 µg/h"), "{n:?}");
        assert!(oral.is_none());
    }
    // With every patch: the smallest is 12,5 µg/h, and oral morphine is offered — 12,5
    // µg/h × 2,4 MME per µg/h = 30 mg morphine a day (Helsedirektoratet's table).
    let plan = propose(
        &DATA,
        &request(&[("fentanyl", &[50.0], &[])], slow(10.0, 4)),
    )
    .unwrap();
    assert!(check(&plan, &DATA).is_empty());
    let notes = granular(&plan);
    assert!(!notes.is_empty());
    for n in &notes {
        let Notice::Granular {
            finer,
            oral,
            cut_percent,
            ..
        } = n
        else {
            unreachable!()
        };
        assert!(finer.is_none() && *cut_percent >= 25.0);
        let oral = oral.as_ref().expect("an oral alternative");
        assert_eq!((oral.patch, oral.mg_per_day), (12.5, 30.0));
        assert!(
            n.message(Locale::Sv)
                .contains("Överväg byte till peroralt morfin"),
            "{n:?}"
        );
    }
    // Buprenorphine, a partial agonist, is not offered a full agonist by mouth.
    let plan = propose(
        &DATA,
        &request(&[("buprenorphine", &[20.0], &[])], slow(10.0, 4)),
    )
    .unwrap();
    assert!(check(&plan, &DATA).is_empty());
    assert!(!granular(&plan).is_empty());
    assert!(
        granular(&plan)
            .iter()
            .all(|n| matches!(n, Notice::Granular { oral: None, .. }))
    );
}

/// A limit on the products per drug: the plan is made with the set of that many whose
/// steps are finest, and says so; a limit no set can meet today is refused by name.
#[test]
fn products_are_limited_per_drug() {
    let used = |plan: &trappa_taper::Plan, i: usize| -> Vec<String> {
        let mut ids: Vec<String> = plan
            .steps
            .iter()
            .flat_map(|s| s.drugs[i].doses.iter().flatten())
            .flat_map(|d| d.parts.iter())
            .map(|p| plan.drugs[i].products[usize::from(p.product)].id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let limited = |drug: &str, doses: &[f64], limit: u32| {
        let mut req = request(&[(drug, doses, &[])], slow(10.0, 2));
        req.limits.max_products = Some(limit);
        propose(&DATA, &req)
    };
    // Diazepam 10+0+10 with one product: Stesolid 5 mg (halves to 2,5 mg), not 10 mg
    // (whose smallest dose, 5 mg, is twice as large to stop from); Stesolid 2 mg cannot
    // make 10 mg in four tablets.
    let plan = limited("diazepam", &[10.0, 0.0, 10.0], 1).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    assert_eq!(used(&plan, 0), ["stesolid-5"]);
    assert_eq!(
        plan.request.limits.max_products,
        Some(1),
        "the request as asked"
    );
    assert!(plan.warnings.iter().any(|w| matches!(w,
        Notice::ProductsUsed { products, .. } if products == &["Stesolid 5 mg".to_owned()])));
    // Unlimited, the same plan uses two strengths.
    let req = request(&[("diazepam", &[10.0, 0.0, 10.0], &[])], slow(10.0, 2));
    assert_eq!(used(&propose(&DATA, &req).unwrap(), 0).len(), 2);
    // The limit is made again the same way from the plan's own request.
    assert_eq!(propose(&DATA, &plan.request).unwrap(), plan);

    // Oxycodone 20+0+20 with one product stops from 5 mg, not from 20.
    let plan = limited("oxycodone", &[20.0, 0.0, 20.0], 1).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    assert_eq!(used(&plan, 0).len(), 1);
    let last = plan.steps.iter().rev().nth(1).unwrap().drugs[0]
        .per_day
        .as_f64();
    assert_eq!(last, 5.0, "stopped from {last}");
    // The class's own pace (oxycodone: 10 % every four weeks) stays in the plan's request:
    // a slower pace made from it later is slower, not the engine's two weeks.
    let mut req = request(&[("oxycodone", &[20.0, 0.0, 20.0], &[])], slow(10.0, 2));
    req.reduction = None;
    req.limits.max_products = Some(1);
    req.holds = vec![Hold {
        step: 2,
        weeks: 2,
        reason: "semester".into(),
    }];
    let plan = propose(&DATA, &req).unwrap();
    assert!(check(&plan, &DATA).is_empty());
    assert_eq!(plan.request.pace().interval_weeks(), 4);
    assert!(plan.request.reduction.is_some());
    // The hold is numbered against this plan and applied once.
    let holds = plan.steps[1]
        .notes
        .iter()
        .filter(|n| matches!(n, Notice::Hold { .. }))
        .count();
    assert_eq!(holds, 1);

    // Oxazepam 10+10+0+25 with one product of 5 and 25 mg: neither makes both doses.
    let mut req = request(
        &[(
            "oxazepam",
            &[10.0, 10.0, 0.0, 25.0],
            &["oxascand-5", "oxascand-25"],
        )],
        slow(10.0, 2),
    );
    req.limits.max_products = Some(1);
    let e = propose(&DATA, &req).unwrap_err();
    assert_eq!(e.field, "limits.max_products");
    assert!(
        e.message(Locale::Sv)
            .contains("med högst 1\u{a0}produkt går dagens dos av oxazepam inte"),
        "{}",
        e.message(Locale::Sv)
    );
    req.limits.max_products = Some(0);
    assert_eq!(
        propose(&DATA, &req).unwrap_err().field,
        "limits.max_products"
    );
}
