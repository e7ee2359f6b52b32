//! Adaptation: observations → proposals (table-driven), and signed proposals → plans that
//! still keep every invariant.

use std::sync::LazyLock;

use jiff::civil::Date;
use trappa_taper::adapt::*;
use trappa_taper::check::check;
use trappa_taper::plan::*;
use trappa_taper::reference::ReferenceData;
use trappa_taper::regimen::{DrugUse, Regimen};
use trappa_taper::{Plan, propose};

static DATA: LazyLock<ReferenceData> = LazyLock::new(|| ReferenceData::builtin().unwrap());

fn plan() -> Plan {
    propose(
        &DATA,
        &PlanRequest {
            regimen: Regimen {
                drugs: vec![DrugUse {
                    substance: "oxazepam".into(),
                    route: None,
                    doses: vec![10.0, 10.0, 0.0, 25.0],
                    products: vec![],
                    as_needed: None,
                    special_products: false,
                }],
            },
            start: "2026-12-01".parse().unwrap(),
            tables: Default::default(),
            reduction: Some(Reduction::default()),
            substitution: None,
            multi: MultiDrug::Staggered {},
            goals: vec![],
            limits: Limits::default(),
            holds: vec![],
            dose_times: vec![],
            phases: Vec::new(),
            step_lengths: Vec::new(),
        },
    )
    .unwrap()
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

fn obs(d: &str, band: Option<Band>, flags: &[Flag]) -> Observation {
    Observation {
        date: date(d),
        scores: band
            .map(|b| Score {
                instrument: "BWSQ".into(),
                value: 10.0,
                band: b,
            })
            .into_iter()
            .collect(),
        flags: flags.to_vec(),
        acted_on: false,
    }
}

/// (observations, policy) → expected action and urgent flags. "Today" is in step 4
/// (2027-01-12 – 2027-01-25); step 3 began 2026-12-29.
#[test]
fn proposals() {
    let plan = plan();
    let today = date("2027-01-20");
    let check_case =
        |observations: Vec<Observation>, policy: Policy, expect: Action, urgent: &[Flag]| {
            let p = propose_next(&plan, today, &observations, &policy);
            assert_eq!(p.action, expect, "{observations:?}");
            assert_eq!(p.urgent, urgent);
            assert!(!p.reasons.is_empty());
        };
    let default = Policy::default;
    check_case(vec![], default(), Action::Hold { weeks: 1 }, &[]);
    check_case(
        vec![obs("2027-01-19", Some(Band::Mild), &[])],
        default(),
        Action::Continue,
        &[],
    );
    check_case(
        vec![obs("2027-01-19", Some(Band::None), &[])],
        default(),
        Action::Continue,
        &[],
    );
    check_case(
        vec![obs("2027-01-19", Some(Band::Moderate), &[])],
        default(),
        Action::Hold { weeks: 2 },
        &[],
    );
    // Moderate before this step too: slow the rest down (2 → 3 weeks).
    check_case(
        vec![
            obs("2027-01-05", Some(Band::Moderate), &[]),
            obs("2027-01-19", Some(Band::Moderate), &[]),
        ],
        default(),
        Action::SlowDown { interval_weeks: 3 },
        &[],
    );
    check_case(
        vec![obs("2027-01-19", Some(Band::Severe), &[])],
        default(),
        Action::StepBack {
            to_step: 3,
            hold_weeks: 2,
            interval_weeks: 3,
        },
        &[],
    );
    check_case(
        vec![obs("2027-01-19", Some(Band::Severe), &[])],
        Policy {
            step_back: StepBackPolicy::Never,
            ..default()
        },
        Action::Hold { weeks: 4 },
        &[],
    );
    check_case(
        vec![obs("2027-01-19", Some(Band::Moderate), &[])],
        Policy {
            step_back: StepBackPolicy::OnModerate,
            ..default()
        },
        Action::StepBack {
            to_step: 3,
            hold_weeks: 2,
            interval_weeks: 3,
        },
        &[],
    );
    check_case(
        vec![obs("2027-01-19", Some(Band::Mild), &[Flag::Seizure])],
        default(),
        Action::StepBack {
            to_step: 3,
            hold_weeks: 2,
            interval_weeks: 3,
        },
        &[Flag::Seizure],
    );
    check_case(
        vec![obs(
            "2027-01-19",
            Some(Band::Mild),
            &[Flag::SuicidalThoughts],
        )],
        default(),
        Action::Hold { weeks: 2 },
        &[Flag::SuicidalThoughts],
    );
    check_case(
        vec![obs(
            "2027-01-19",
            Some(Band::None),
            &[Flag::PatientAsksPause],
        )],
        default(),
        Action::Hold { weeks: 2 },
        &[],
    );
    // Observations from before the step, or after today, do not count as recent.
    check_case(
        vec![
            obs("2027-01-02", Some(Band::Severe), &[]),
            obs("2027-02-01", Some(Band::Severe), &[]),
        ],
        default(),
        Action::Hold { weeks: 1 },
        &[],
    );
}

#[test]
fn signed_proposals_become_plans_that_keep_the_invariants() {
    let plan = plan();
    let today = date("2027-01-20");
    let sig = Signature {
        by: "Dr Test".into(),
        reason: "svåra symtom".into(),
    };
    let current = plan.step_on(today).unwrap().number;

    let hold = Proposal {
        action: Action::Hold { weeks: 2 },
        urgent: vec![],
        reasons: vec![Reason::Persistent],
    };
    let held = apply(&DATA, &plan, &hold, today, &sig).unwrap();
    assert!(check(&held, &DATA).is_empty());
    assert_eq!(
        held.steps[current - 1].days,
        Some(plan.steps[current - 1].days.unwrap() + 14)
    );
    assert_eq!(
        held.end_date(),
        plan.end_date().saturating_add(jiff::Span::new().days(14))
    );

    let slow = Proposal {
        action: Action::SlowDown { interval_weeks: 3 },
        urgent: vec![],
        reasons: vec![Reason::Persistent],
    };
    let slowed = apply(&DATA, &plan, &slow, today, &sig).unwrap();
    assert!(
        check(&slowed, &DATA).is_empty(),
        "{:?}",
        check(&slowed, &DATA)
    );
    assert!(slowed.end_date() > plan.end_date());
    assert_eq!(
        slowed.steps[..current],
        plan.steps[..current],
        "the past is kept"
    );
    assert!(
        slowed.steps[current]
            .notes
            .iter()
            .any(|n| matches!(n, trappa_taper::notice::Notice::SlowedDown { .. }))
    );

    let back = Proposal {
        action: Action::StepBack {
            to_step: current - 1,
            hold_weeks: 2,
            interval_weeks: 3,
        },
        urgent: vec![],
        reasons: vec![Reason::ScoreBand {
            instrument: "BWSQ".into(),
            band: Band::Severe,
        }],
    };
    let stepped = apply(&DATA, &plan, &back, today, &sig).unwrap();
    assert!(
        check(&stepped, &DATA).is_empty(),
        "{:?}",
        check(&stepped, &DATA)
    );
    let rise = stepped.steps.iter().find(|s| s.start == today).unwrap();
    assert_eq!(rise.signed.as_ref(), Some(&sig));
    assert_eq!(
        rise.drugs[0].per_day,
        plan.steps[current - 2].drugs[0].per_day
    );
    assert_eq!(rise.drugs[0].change, Change::StepBack);
    assert_eq!(rise.days, Some(14));

    // The same rise without a signature breaks the invariant.
    let mut unsigned = stepped.clone();
    let k = unsigned
        .steps
        .iter()
        .position(|s| s.start == today)
        .unwrap();
    unsigned.steps[k].signed = None;
    assert!(
        check(&unsigned, &DATA)
            .iter()
            .any(|v| v.rule == trappa_taper::check::Rule::Rise)
    );
}

/// The reasons name every report that moved a proposal (the patient's wish to pause
/// beside a score band), and a missing score only holds when a change is due within a
/// week: a freshly signed plan does not at once propose to wait.
#[test]
fn reasons_name_every_flag_and_a_fresh_plan_goes_on() {
    let plan = plan();
    let policy = Policy::default();
    let pause = Reason::Flagged {
        flag: Flag::PatientAsksPause,
    };
    let today = date("2027-01-20");
    for band in [Band::Moderate, Band::Severe] {
        let p = propose_next(
            &plan,
            today,
            &[obs("2027-01-19", Some(band), &[Flag::PatientAsksPause])],
            &policy,
        );
        assert_ne!(p.action, Action::Continue);
        assert!(p.reasons.contains(&pause), "{band:?}: {:?}", p.reasons);
        assert!(
            p.reasons
                .iter()
                .any(|r| matches!(r, Reason::ScoreBand { .. })),
            "{band:?}"
        );
    }
    let p = propose_next(
        &plan,
        today,
        &[obs(
            "2027-01-19",
            None,
            &[Flag::Fall, Flag::PatientAsksPause],
        )],
        &policy,
    );
    assert!(
        p.reasons.contains(&pause) && p.reasons.contains(&Reason::Flagged { flag: Flag::Fall })
    );
    // The plan starts 2026-12-01; its first step is two weeks later.
    let first = plan.steps[0].start;
    let fresh = propose_next(&plan, plan.request.start, &[], &policy);
    assert_eq!(fresh.action, Action::Continue, "first step on {first}");
    assert_eq!(fresh.reasons, vec![Reason::NoRecentScores]);
    let eve = first.saturating_sub(jiff::ToSpan::days(3));
    assert_eq!(
        propose_next(&plan, eve, &[], &policy).action,
        Action::Hold { weeks: 1 }
    );
}

proptest::proptest! {
    /// A plan posted to the API is read as it stands, however long its interval: the
    /// proposal is always made (never a panic), and a step back is always slower than
    /// the pace it replaces.
    #[test]
    fn any_interval_gives_a_proposal(
        weeks in proptest::prelude::any::<u32>(),
        slow_factor in 0.0f64..100.0,
        hold_weeks in proptest::prelude::any::<u32>(),
    ) {
        let mut p = plan();
        match p.request.reduction.as_mut() {
            Some(Reduction::Slow { interval_weeks, .. }
            | Reduction::Hyperbolic { interval_weeks, .. }
            | Reduction::Linear { interval_weeks, .. }) => *interval_weeks = weeks,
            None => unreachable!("the plan has a reduction"),
        }
        let policy = Policy { step_back: StepBackPolicy::OnSevere, hold_weeks, slow_factor };
        let severe = [
            obs("2027-01-20", Some(Band::Severe), &[]),
            obs("2027-01-21", Some(Band::Severe), &[]),
        ];
        let proposal = propose_next(&p, date("2027-01-22"), &severe, &policy);
        // Two severe scores in a row step back under this policy, whatever the pace.
        let Action::StepBack { interval_weeks, .. } = proposal.action else {
            return Err(proptest::test_runner::TestCaseError::fail(format!("{:?}", proposal.action)));
        };
        proptest::prop_assert!(interval_weeks > weeks || weeks == u32::MAX, "{interval_weeks} after {weeks}");
    }
}
