//! Triage: a referral's facts → a proposed decision with its reasons. A coordinator or
//! physician decides; the rules only propose.
//!
//! The decisions: accept (priority) / complement (what is missing) / decline / redirect
//! (addiction care, psychiatry, pain team), each with its reasons in the catalogue.
//!
//! The rules follow the unit's remit (BRIEF §"The patient's path"; VGR's regional unit):
//! adults only; a drug in scope (benzodiazepines, Z-drugs, opioids, gabapentinoids); a
//! documented tapering attempt at the treating unit (drug, period, lowest dose, why it
//! stopped); mixed substance use → addiction care; a primary psychiatric illness →
//! psychiatry; complex pain → a pain team (level 2–4). Priority is Trappa's default, to
//! be set by the unit: high for pregnancy, an opioid with a benzodiazepine, or a high
//! dose.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use trappa_i18n::{Locale, catalogue, fill};
use trappa_taper::reference::{DrugClass, ReferenceData};

catalogue! {
    R_UNDER_18: "Patienten är under 18 år; enheten tar emot vuxna.", "The patient is under 18; the unit takes adults.";
    R_AGE_MISSING: "Ålder saknas.", "Age is missing.";
    R_NO_DRUG_IN_SCOPE: "Inget läkemedel i remissen hör till enhetens uppdrag (bensodiazepiner, z-läkemedel, opioider, gabapentinoider).", "No drug in the referral is in the unit's remit (benzodiazepines, Z-drugs, opioids, gabapentinoids).";
    R_MIXED_USE: "Blandmissbruk eller annan substansanvändning: beroendevården är rätt vårdnivå.", "Mixed substance use: addiction care is the right level.";
    R_PSYCHIATRIC: "Primär psykiatrisk sjukdom står i förgrunden: psykiatrin är rätt vårdnivå.", "A primary psychiatric illness is in the foreground: psychiatry is the right level.";
    R_COMPLEX_PAIN: "Komplex smärtproblematik: smärtteam (nivå 2–4) är rätt vårdnivå.", "Complex pain: a pain team (level 2–4) is the right level.";
    R_ATTEMPT_MISSING: "Ett dokumenterat nedtrappningsförsök på vårdcentralen saknas.", "A documented tapering attempt at the treating unit is missing.";
    R_ATTEMPT_INCOMPLETE: "Nedtrappningsförsöket saknar uppgift: {what}.", "The tapering attempt lacks: {what}.";
    R_IN_SCOPE: "Vuxen patient med {drugs}; tidigare nedtrappningsförsök dokumenterat.", "Adult patient on {drugs}; an earlier tapering attempt is documented.";
    R_PREGNANT: "Graviditet: hög prioritet.", "Pregnancy: high priority.";
    R_OPIOID_BZD: "Opioid tillsammans med bensodiazepin eller z-läkemedel: hög prioritet.", "An opioid with a benzodiazepine or Z-drug: high priority.";
    R_HIGH_DOSE: "Hög dos ({ddd} DDD per dygn): hög prioritet.", "A high dose ({ddd} DDD a day): high priority.";
    Q_DRUG: "läkemedel", "drug";
    Q_PERIOD: "period", "period";
    Q_LOWEST: "lägsta uppnådda dos", "lowest dose reached";
    Q_WHY: "varför försöket avbröts", "why it stopped";
    Q_AGE: "födelsedatum eller ålder", "birth date or age";
}

pub use self::M as T;

/// DDDs a day from which a referral is prioritised.
pub const HIGH_DOSE_DDD: f64 = 2.0;

/// A drug in the referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReferredDrug {
    /// Substance id or Swedish name.
    pub substance: String,
    /// Daily dose in mg (µg/h for a patch), if given.
    pub daily_dose: Option<f64>,
    /// Months of use, if given.
    pub months: Option<u32>,
}

/// The earlier tapering attempt at the treating unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PriorAttempt {
    /// Which drug.
    pub drug: String,
    /// When (free text, e.g. "2025-03 – 2025-09").
    pub period: String,
    /// The lowest dose reached.
    pub lowest_dose: String,
    /// Why it stopped.
    pub why_stopped: String,
}

/// What triage looks at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Facts {
    /// Age in whole years, if known.
    pub age: Option<u32>,
    /// Drugs and doses.
    pub drugs: Vec<ReferredDrug>,
    /// The earlier attempt, if documented.
    pub prior_attempt: Option<PriorAttempt>,
    /// Use of alcohol or other substances beyond the prescribed drugs.
    pub mixed_substance_use: bool,
    /// A primary psychiatric illness is the main problem.
    pub primary_psychiatric_illness: bool,
    /// Complex pain that needs a pain team.
    pub complex_pain: bool,
    /// Pregnant.
    pub pregnant: bool,
}

/// Where a redirect goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Redirect {
    /// Beroendevården.
    AddictionCare,
    /// Psykiatrin.
    Psychiatry,
    /// Smärtteam, nivå 2–4.
    PainTeam,
    /// Kommunens socialtjänst.
    SocialServices,
}

/// Priority on the waiting list.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// In date order.
    Normal,
    /// Before normal.
    High,
}

/// The proposed decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decision {
    /// To the waiting list.
    Accept {
        /// Priority.
        priority: Priority,
    },
    /// Back to the referrer with questions (the vårdgaranti clock pauses).
    Complement {
        /// What is missing.
        missing: Vec<Missing>,
    },
    /// Declined, with advice in the reasons.
    Decline,
    /// To another level of care.
    Redirect {
        /// Where.
        to: Redirect,
    },
}

/// What a complement asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Missing {
    /// The attempt's drug.
    AttemptDrug,
    /// Its period.
    AttemptPeriod,
    /// The lowest dose reached.
    AttemptLowestDose,
    /// Why it stopped.
    AttemptWhyStopped,
    /// The patient's age.
    Age,
}

/// Why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// Under 18.
    Under18,
    /// Age missing.
    AgeMissing,
    /// No drug in scope.
    NoDrugInScope,
    /// Mixed substance use.
    MixedUse,
    /// Primary psychiatric illness.
    Psychiatric,
    /// Complex pain.
    ComplexPain,
    /// No documented attempt.
    AttemptMissing,
    /// The attempt lacks fields.
    AttemptIncomplete {
        /// Which.
        missing: Vec<Missing>,
    },
    /// In scope.
    InScope {
        /// The drugs in scope, by Swedish name.
        drugs: Vec<String>,
    },
    /// Pregnancy.
    Pregnant,
    /// Opioid with benzodiazepine.
    OpioidWithBenzodiazepine,
    /// High dose.
    HighDose {
        /// DDDs a day.
        ddd: f64,
    },
}

fn missing_text(m: Missing, l: Locale) -> &'static str {
    match m {
        Missing::AttemptDrug => T::Q_DRUG.get(l),
        Missing::AttemptPeriod => T::Q_PERIOD.get(l),
        Missing::AttemptLowestDose => T::Q_LOWEST.get(l),
        Missing::AttemptWhyStopped => T::Q_WHY.get(l),
        Missing::Age => T::Q_AGE.get(l),
    }
}

impl Reason {
    /// The text in a language.
    pub fn message(&self, l: Locale) -> String {
        match self {
            Reason::Under18 => T::R_UNDER_18.get(l).into(),
            Reason::AgeMissing => T::R_AGE_MISSING.get(l).into(),
            Reason::NoDrugInScope => T::R_NO_DRUG_IN_SCOPE.get(l).into(),
            Reason::MixedUse => T::R_MIXED_USE.get(l).into(),
            Reason::Psychiatric => T::R_PSYCHIATRIC.get(l).into(),
            Reason::ComplexPain => T::R_COMPLEX_PAIN.get(l).into(),
            Reason::AttemptMissing => T::R_ATTEMPT_MISSING.get(l).into(),
            Reason::AttemptIncomplete { missing } => fill(
                T::R_ATTEMPT_INCOMPLETE.get(l),
                &[(
                    "what",
                    &missing
                        .iter()
                        .map(|m| missing_text(*m, l))
                        .collect::<Vec<_>>()
                        .join(", "),
                )],
            ),
            Reason::InScope { drugs } => {
                fill(T::R_IN_SCOPE.get(l), &[("drugs", &drugs.join(", "))])
            }
            Reason::Pregnant => T::R_PREGNANT.get(l).into(),
            Reason::OpioidWithBenzodiazepine => T::R_OPIOID_BZD.get(l).into(),
            Reason::HighDose { ddd } => fill(
                T::R_HIGH_DOSE.get(l),
                &[("ddd", &trappa_i18n::format::decimal(*ddd, 1, l))],
            ),
        }
    }
}

/// A proposal: the decision and every reason for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Proposal {
    /// The decision.
    pub decision: Decision,
    /// Why.
    pub reasons: Vec<Reason>,
}

/// Proposes a decision. Refusals come first (age, remit), then redirects, then missing
/// documentation; only a complete, in-scope referral is accepted.
pub fn triage(facts: &Facts, data: &ReferenceData) -> Proposal {
    let decline = |r: Reason| Proposal {
        decision: Decision::Decline,
        reasons: vec![r],
    };
    if facts.age.is_some_and(|a| a < 18) {
        return decline(Reason::Under18);
    }
    let in_scope: Vec<(&trappa_taper::reference::Substance, &ReferredDrug)> = facts
        .drugs
        .iter()
        .filter_map(|d| data.find_substance(&d.substance).map(|s| (s, d)))
        .collect();
    if in_scope.is_empty() {
        return decline(Reason::NoDrugInScope);
    }
    let redirect = |to: Redirect, r: Reason| Proposal {
        decision: Decision::Redirect { to },
        reasons: vec![r],
    };
    if facts.mixed_substance_use {
        return redirect(Redirect::AddictionCare, Reason::MixedUse);
    }
    if facts.primary_psychiatric_illness {
        return redirect(Redirect::Psychiatry, Reason::Psychiatric);
    }
    if facts.complex_pain {
        return redirect(Redirect::PainTeam, Reason::ComplexPain);
    }
    let mut missing = Vec::new();
    let mut reasons = Vec::new();
    if facts.age.is_none() {
        missing.push(Missing::Age);
        reasons.push(Reason::AgeMissing);
    }
    match &facts.prior_attempt {
        None => {
            missing.extend([
                Missing::AttemptDrug,
                Missing::AttemptPeriod,
                Missing::AttemptLowestDose,
                Missing::AttemptWhyStopped,
            ]);
            reasons.push(Reason::AttemptMissing);
        }
        Some(a) => {
            let gaps: Vec<Missing> = [
                (a.drug.trim().is_empty(), Missing::AttemptDrug),
                (a.period.trim().is_empty(), Missing::AttemptPeriod),
                (a.lowest_dose.trim().is_empty(), Missing::AttemptLowestDose),
                (a.why_stopped.trim().is_empty(), Missing::AttemptWhyStopped),
            ]
            .into_iter()
            .filter_map(|(gap, m)| gap.then_some(m))
            .collect();
            if !gaps.is_empty() {
                missing.extend(gaps.iter().copied());
                reasons.push(Reason::AttemptIncomplete { missing: gaps });
            }
        }
    }
    if !missing.is_empty() {
        return Proposal {
            decision: Decision::Complement { missing },
            reasons,
        };
    }
    let names: Vec<String> = in_scope.iter().map(|(s, _)| s.name.clone()).collect();
    let mut reasons = vec![Reason::InScope { drugs: names }];
    let mut priority = Priority::Normal;
    if facts.pregnant {
        priority = Priority::High;
        reasons.push(Reason::Pregnant);
    }
    let has = |classes: &[DrugClass]| in_scope.iter().any(|(s, _)| classes.contains(&s.class));
    if has(&[DrugClass::Opioid]) && has(&[DrugClass::Benzodiazepine, DrugClass::ZDrug]) {
        priority = Priority::High;
        reasons.push(Reason::OpioidWithBenzodiazepine);
    }
    let ddd: f64 = in_scope
        .iter()
        .filter_map(|(s, d)| Some(d.daily_dose? / s.ddd_mg.as_ref()?.value))
        .fold(0.0, f64::max);
    if ddd >= HIGH_DOSE_DDD {
        priority = Priority::High;
        reasons.push(Reason::HighDose { ddd });
    }
    Proposal {
        decision: Decision::Accept { priority },
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn data() -> ReferenceData {
        ReferenceData::builtin().unwrap()
    }

    fn attempt() -> PriorAttempt {
        PriorAttempt {
            drug: "oxazepam".into(),
            period: "2025-03 – 2025-09".into(),
            lowest_dose: "30 mg".into(),
            why_stopped: "sömnsvårigheter".into(),
        }
    }

    fn facts(age: u32, drugs: &[(&str, f64)]) -> Facts {
        Facts {
            age: Some(age),
            drugs: drugs
                .iter()
                .map(|(s, d)| ReferredDrug {
                    substance: (*s).into(),
                    daily_dose: Some(*d),
                    months: Some(24),
                })
                .collect(),
            prior_attempt: Some(attempt()),
            ..Default::default()
        }
    }

    /// Table-driven: facts → decision.
    #[test]
    fn decisions() {
        let d = data();
        let check =
            |f: Facts, expect: Decision| assert_eq!(triage(&f, &d).decision, expect, "{f:?}");
        check(
            facts(45, &[("oxazepam", 45.0)]),
            Decision::Accept {
                priority: Priority::Normal,
            },
        );
        check(facts(17, &[("oxazepam", 45.0)]), Decision::Decline);
        check(facts(45, &[("sertralin", 50.0)]), Decision::Decline);
        check(
            Facts {
                mixed_substance_use: true,
                ..facts(45, &[("oxazepam", 45.0)])
            },
            Decision::Redirect {
                to: Redirect::AddictionCare,
            },
        );
        check(
            Facts {
                primary_psychiatric_illness: true,
                ..facts(45, &[("oxazepam", 45.0)])
            },
            Decision::Redirect {
                to: Redirect::Psychiatry,
            },
        );
        check(
            Facts {
                complex_pain: true,
                ..facts(45, &[("oxycodone", 40.0)])
            },
            Decision::Redirect {
                to: Redirect::PainTeam,
            },
        );
        check(
            Facts {
                prior_attempt: None,
                ..facts(45, &[("oxazepam", 45.0)])
            },
            Decision::Complement {
                missing: vec![
                    Missing::AttemptDrug,
                    Missing::AttemptPeriod,
                    Missing::AttemptLowestDose,
                    Missing::AttemptWhyStopped,
                ],
            },
        );
        check(
            Facts {
                prior_attempt: Some(PriorAttempt {
                    why_stopped: " ".into(),
                    ..attempt()
                }),
                ..facts(45, &[("oxazepam", 45.0)])
            },
            Decision::Complement {
                missing: vec![Missing::AttemptWhyStopped],
            },
        );
        check(
            Facts {
                age: None,
                ..facts(45, &[("oxazepam", 45.0)])
            },
            Decision::Complement {
                missing: vec![Missing::Age],
            },
        );
        check(
            Facts {
                pregnant: true,
                ..facts(30, &[("zolpidem", 10.0)])
            },
            Decision::Accept {
                priority: Priority::High,
            },
        );
        check(
            facts(60, &[("oxycodone", 20.0), ("diazepam", 10.0)]),
            Decision::Accept {
                priority: Priority::High,
            },
        );
        check(
            facts(60, &[("diazepam", 20.0)]),
            Decision::Accept {
                priority: Priority::High,
            },
        );
        check(
            facts(60, &[("diazepam", 15.0)]),
            Decision::Accept {
                priority: Priority::Normal,
            },
        );
    }

    #[test]
    fn reasons_read_in_swedish() {
        let p = triage(
            &Facts {
                prior_attempt: Some(PriorAttempt {
                    lowest_dose: String::new(),
                    ..attempt()
                }),
                ..facts(45, &[("oxazepam", 45.0)])
            },
            &data(),
        );
        assert_eq!(
            p.reasons[0].message(Locale::Sv),
            "Nedtrappningsförsöket saknar uppgift: lägsta uppnådda dos."
        );
    }

    proptest! {
        /// Whatever the facts, children are never accepted, an accepted referral always
        /// has a complete attempt, and every proposal has a reason.
        #[test]
        fn safety_properties(age in prop::option::of(0u32..100), mixed: bool, psych: bool, pain: bool, pregnant: bool,
                             attempt_mask in 0u8..32, drug in prop::sample::select(vec!["oxazepam", "oxycodone", "pregabalin", "sertralin", ""]), dose in 0.0f64..400.0) {
            let a = (attempt_mask & 16 != 0).then(|| PriorAttempt {
                drug: if attempt_mask & 1 != 0 { "x".into() } else { String::new() },
                period: if attempt_mask & 2 != 0 { "x".into() } else { String::new() },
                lowest_dose: if attempt_mask & 4 != 0 { "x".into() } else { String::new() },
                why_stopped: if attempt_mask & 8 != 0 { "x".into() } else { String::new() },
            });
            let f = Facts {
                age,
                drugs: vec![ReferredDrug { substance: drug.into(), daily_dose: Some(dose), months: None }],
                prior_attempt: a.clone(),
                mixed_substance_use: mixed,
                primary_psychiatric_illness: psych,
                complex_pain: pain,
                pregnant,
            };
            let p = triage(&f, &data());
            prop_assert!(!p.reasons.is_empty());
            if let Decision::Accept { .. } = p.decision {
                prop_assert!(age.is_some_and(|a| a >= 18));
                prop_assert!(a.is_some_and(|a| attempt_mask & 15 == 15 && !a.drug.is_empty()));
                prop_assert!(!mixed && !psych && !pain);
            }
        }
    }
}
