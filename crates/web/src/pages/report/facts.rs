//! Each patient's facts for the board's follow-up, read from the path's events and
//! the plans, without identities.

use jiff::civil::Date;
use trappa_app::clock::{local_date, today};
use trappa_app::waiting::clock_for;
use trappa_pathway::aftercare::{
    DischargeRecord, FollowUpRecord, Outcome as PathOutcome, OutcomeRecord,
};
use trappa_pathway::visits::Place;
use trappa_reporting::measures::{
    Decision as FactDecision, Facts, Group, Outcome, Sex, Split, Visit, age_band,
};
use trappa_store::path::EventKind;
use trappa_store::reporting::ReportPatient;
use trappa_taper::reference::DrugClass;
use trappa_triage::{Decision, Reason};

/// The substance group of a taper drug class.
pub(super) fn group_of(class: DrugClass) -> Group {
    match class {
        DrugClass::Opioid => Group::Opioids,
        DrugClass::Gabapentinoid => Group::Gabapentinoids,
        _ => Group::Benzodiazepines,
    }
}

/// The uncorrected events of a kind, with their data read.
pub(super) fn events<'a, T: serde::de::DeserializeOwned>(
    p: &'a ReportPatient,
    kind: EventKind,
) -> impl Iterator<Item = (Date, T)> + 'a {
    p.events
        .iter()
        .filter(move |e| e.kind == kind && e.corrected_by.is_none())
        .filter_map(|e| Some((e.occurred_on, serde_json::from_str(&e.data).ok()?)))
}

/// A patient's facts for the measures.
pub(super) fn facts_of(p: &ReportPatient, reference: &trappa_taper::ReferenceData) -> Facts {
    let referral = p.referral.as_ref();
    let triage: Option<trappa_triage::Facts> =
        referral.and_then(|r| serde_json::from_str(&r.facts).ok());
    let plan: Option<trappa_taper::Plan> = p
        .first_plan
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok());
    let class = triage
        .as_ref()
        .and_then(|t| t.drugs.first())
        .and_then(|d| reference.find_substance(&d.substance))
        .map(|s| s.class)
        .or_else(|| plan.as_ref().and_then(|p| p.drugs.first()).map(|d| d.class));
    let referred = referral.map(|r| local_date(r.timeline.received_at));
    let mut decided = None;
    let mut reason = None;
    for (json, at) in referral.map(|r| r.decisions.as_slice()).unwrap_or_default() {
        let at = local_date(*at);
        match serde_json::from_str::<Decision>(json) {
            Ok(Decision::Accept { .. }) => decided = Some((at, FactDecision::Accepted)),
            Ok(Decision::Decline) => {
                decided = Some((at, FactDecision::Declined));
                // The rule's reason when the rules also declined; else a clinical judgement.
                reason = Some(
                    triage
                        .as_ref()
                        .map(|t| trappa_triage::triage(t, reference))
                        .filter(|proposal| proposal.decision == Decision::Decline)
                        .and_then(|proposal| proposal.reasons.first().map(reason_code))
                        .unwrap_or_else(|| "clinical_judgement".to_owned()),
                );
            }
            Ok(Decision::Redirect { to }) => {
                decided = Some((at, FactDecision::Redirected));
                reason = serde_json::to_value(to)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned));
            }
            _ => {}
        }
    }
    let first_visit = p
        .held
        .iter()
        .find(|v| v.kind == "assessment")
        .zip(referral)
        .map(|(v, r)| {
            let on = local_date(v.at);
            (
                on,
                i64::from(clock_for(&r.timeline, Some(v.at), None, on).days),
            )
        });
    let last_dose = events::<serde_json::Value>(p, EventKind::AftercareStarted)
        .next()
        .map(|e| e.0);
    let outcome = events::<DischargeRecord>(p, EventKind::Discharged)
        .next()
        .and_then(|(d, r)| match r.outcome {
            PathOutcome::DrugFree => Some((d, Outcome::DrugFree)),
            PathOutcome::Reduced { percent } => Some((d, Outcome::Reduced(percent))),
            PathOutcome::DroppedOut => Some((d, Outcome::DroppedOut)),
            PathOutcome::Redirected { .. } | PathOutcome::Deceased => None,
        });
    let six_month_follow_up = events::<FollowUpRecord>(p, EventKind::FollowUp)
        .find(|(_, r)| r.month == 6)
        .map(|e| e.0);
    let outcome_at = |months: u32| {
        events::<OutcomeRecord>(p, EventKind::Outcome)
            .find(|(_, r)| r.months == months)
            .map(|(d, r)| (d, r.relapse))
    };
    Facts {
        split: Split {
            vardcentral: p.vardcentral.clone(),
            municipality: p.kommunkod.clone(),
            group: class.map(group_of),
            sex: match p.sex.as_str() {
                "female" => Some(Sex::Female),
                "male" => Some(Sex::Male),
                _ => None,
            },
            age_band: Some(age_band(
                p.birth_date,
                referred
                    .or(plan.as_ref().map(|pl| pl.request.start))
                    .unwrap_or_else(today),
            )),
        },
        reason,
        visits: p
            .held
            .iter()
            .filter_map(|v| {
                Some(Visit {
                    on: local_date(v.at),
                    digital: Place::from_code(&v.place)?.is_digital(),
                })
            })
            .collect(),
        referred,
        decided,
        first_visit,
        plan_start: plan.map(|pl| pl.request.start),
        last_dose,
        outcome,
        six_month_follow_up,
        outcome_6: outcome_at(6),
        outcome_12: outcome_at(12),
    }
}

/// A triage reason's stable code (its serde tag).
pub(super) fn reason_code(r: &Reason) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.get("reason").and_then(|c| c.as_str()).map(str::to_owned))
        .unwrap_or_default()
}
