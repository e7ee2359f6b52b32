//! Warnings and step notes: structured, so the UI, the CLI and the tests read the same
//! facts, and rendered through the message catalogue.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use trappa_i18n::{Locale, fill};

use crate::reference::{ProductKind, Status};
use crate::text::T;

/// A clinical default as a plan used it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RuleValue {
    /// Which.
    pub id: crate::rules::RuleId,
    /// Its value.
    pub value: f64,
    /// Its unit ("DE", "mg").
    pub unit: String,
    /// M or U.
    pub status: Status,
}

/// How much a notice matters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// For information.
    Info,
    /// A clinician should read it before signing.
    Warning,
}

/// A warning about a regimen or a note on a plan step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Notice {
    /// An opioid and a benzodiazepine or Z-drug together.
    OpioidWithBenzodiazepine,
    /// 50 MME a day or more.
    HighMme {
        /// Total MME a day.
        mme: f64,
    },
    /// An equivalence factor that is not verified against its source.
    UnverifiedFactor {
        /// Substance name.
        substance: String,
        /// Table name.
        table: String,
        /// M or U.
        status: Status,
    },
    /// A strength not verified against the product register.
    UnverifiedStrength {
        /// Product name.
        product: String,
        /// M or U.
        status: Status,
    },
    /// A split not verified against the SmPC.
    UnverifiedSplit {
        /// Product name.
        product: String,
        /// M or U.
        status: Status,
    },
    /// A DDD not verified against WHOCC.
    UnverifiedDdd {
        /// Substance name.
        substance: String,
        /// M or U.
        status: Status,
    },
    /// The hyperbolic model's ED50 has no published value.
    UnverifiedEd50 {
        /// Substance name.
        substance: String,
    },
    /// The chosen table has no factor for a substance: totals leave it out.
    MissingFactor {
        /// Substance name.
        substance: String,
        /// Table name.
        table: String,
    },
    /// The substance has no simple DDD.
    NoDdd {
        /// Substance name.
        substance: String,
    },
    /// A dose far above the usual range.
    Implausible {
        /// Substance name.
        substance: String,
        /// DDDs a day.
        ddd: f64,
    },
    /// As-needed use is recorded apart; make it regular before tapering.
    AsNeeded {
        /// Substance name.
        substance: String,
    },
    /// A licence or extemporaneous product.
    SpecialProduct {
        /// Product name.
        product: String,
        /// Its kind.
        kind: ProductKind,
    },
    /// The step is larger than the maximum because the products cannot make a smaller
    /// one; the dose before it was held longer.
    Granular {
        /// Substance name.
        substance: String,
        /// The cut, percent of the dose before.
        cut_percent: f64,
        /// A finer product in the reference data, if any.
        finer: Option<String>,
        /// For a patch with no finer patch: the oral opioid its smallest dose is about,
        /// for smaller steps after a switch.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        oral: Option<OralAlternative>,
    },
    /// The plan lags behind the curve it aims at by at least a step's interval, because
    /// the products' strengths or the step limits allow no nearer dose.
    BehindCurve {
        /// Substance name.
        substance: String,
        /// The largest lag, whole weeks.
        weeks: u32,
        /// A finer product in the reference data, if any.
        finer: Option<String>,
    },
    /// The strategy asked for more than the maximum step; the step was limited.
    Capped {
        /// Substance name.
        substance: String,
        /// The maximum, percent.
        max_percent: f64,
    },
    /// Below the low-dose threshold: longer intervals or smaller steps.
    LowDoseSlower {
        /// Substance name.
        substance: String,
    },
    /// One dose time switched to diazepam.
    CrossOver {
        /// From.
        from: String,
        /// To.
        to: String,
    },
    /// A portion of one dose time switched to diazepam.
    CrossOverPortion {
        /// From (name).
        from: String,
        /// Taken away, in the drug's unit (mg).
        amount: f64,
        /// The dose time, 0–3 (morning, noon, evening, night).
        time: usize,
        /// Diazepam added, mg (0 when the portion is only reduced).
        diazepam: f64,
    },
    /// The starting dose is above the diazepam ceiling: the switch reduces as it goes.
    SwitchReduces {
        /// The ceiling, mg diazepam a day.
        max_per_day: f64,
        /// DE at the start of the switch.
        from_de: f64,
        /// DE at its end.
        to_de: f64,
    },
    /// The products a drug's doses are made of through the plan: what is prescribed.
    ProductsUsed {
        /// Substance name.
        substance: String,
        /// Product names.
        products: Vec<String>,
    },
    /// The pace is the class's default, from the reference data's rules.
    ClassPace {
        /// Percent per step.
        percent: f64,
        /// Weeks between steps.
        weeks: u32,
        /// The source's title.
        source: String,
    },
    /// Diazepam could not take more with the products: the rest of a switched drug is
    /// tapered on its own.
    SwitchIncomplete {
        /// The switched drug.
        substance: String,
    },
    /// Diazepam above a ceiling at some step: the prescriber confirms it when signing.
    HighDiazepam {
        /// The highest dose a day, mg.
        per_day: f64,
        /// The highest single dose, mg.
        per_dose: f64,
        /// The ceiling a day.
        max_per_day: f64,
        /// The ceiling per dose.
        max_per_dose: f64,
    },
    /// Clinical defaults of the engine used by the plan that are not verified against
    /// their source.
    UnverifiedRules {
        /// Each default with its value and status.
        rules: Vec<RuleValue>,
    },
    /// The last dose: the drug is stopped.
    Stopped {
        /// Substance name.
        substance: String,
    },
    /// The target dose is reached and kept.
    TargetReached {
        /// Substance name.
        substance: String,
    },
    /// A hold: the dose is kept longer.
    Hold {
        /// Weeks added.
        weeks: u32,
        /// Why.
        reason: String,
    },
    /// A signed step back to a higher dose.
    StepBack {
        /// Who signed.
        by: String,
        /// Why.
        reason: String,
    },
    /// Changed by hand.
    Edited {
        /// Who.
        by: String,
        /// Why.
        reason: String,
    },
    /// The rest of the plan was made slower.
    SlowedDown {
        /// Why.
        reason: String,
    },
}

/// An oral opioid a patch's smallest dose is about equal to, by the plan's MME table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OralAlternative {
    /// The oral opioid's name ("morfin").
    pub substance: String,
    /// The patch's smallest dose, µg/h.
    pub patch: f64,
    /// About as much of the oral opioid, mg a day.
    pub mg_per_day: f64,
    /// The MME table's name.
    pub table: String,
}

fn status_text(status: Status, locale: Locale) -> &'static str {
    match status {
        Status::V => T::STATUS_V.get(locale),
        Status::M => T::STATUS_M.get(locale),
        Status::U => T::STATUS_U.get(locale),
    }
}

fn number(v: f64, locale: Locale) -> String {
    let s = trappa_i18n::format::decimal(v, 1, locale);
    let point = if locale == Locale::Sv { ',' } else { '.' };
    match s.strip_suffix('0').and_then(|t| t.strip_suffix(point)) {
        Some(whole) => whole.to_owned(),
        None => s,
    }
}

impl Notice {
    /// How much it matters.
    pub fn severity(&self) -> Severity {
        match self {
            Notice::CrossOver { .. }
            | Notice::CrossOverPortion { .. }
            | Notice::SwitchReduces { .. }
            | Notice::ClassPace { .. }
            | Notice::ProductsUsed { .. }
            | Notice::Stopped { .. }
            | Notice::TargetReached { .. }
            | Notice::LowDoseSlower { .. }
            | Notice::Capped { .. }
            | Notice::Hold { .. }
            | Notice::SlowedDown { .. } => Severity::Info,
            _ => Severity::Warning,
        }
    }

    /// True for notices about an unverified reference value.
    pub fn is_unverified_value(&self) -> bool {
        matches!(
            self,
            Notice::UnverifiedFactor { .. }
                | Notice::UnverifiedStrength { .. }
                | Notice::UnverifiedSplit { .. }
                | Notice::UnverifiedDdd { .. }
                | Notice::UnverifiedEd50 { .. }
                | Notice::UnverifiedRules { .. }
        )
    }

    /// True for notices a prescriber must confirm one by one when signing, beyond
    /// having seen the whole plan (a dose above a safety ceiling).
    pub fn needs_confirmation(&self) -> bool {
        matches!(self, Notice::HighDiazepam { .. })
    }

    /// The text in a language. Long by design: one arm per kind of notice, each with
    /// its message and the arguments it fills in — a table that split would only list
    /// the kinds a second time.
    pub fn message(&self, locale: Locale) -> String {
        let f = |m: trappa_i18n::Msg, args: &[(&str, &str)]| fill(m.get(locale), args);
        match self {
            Notice::OpioidWithBenzodiazepine => f(T::N_OPIOID_BZD, &[]),
            Notice::HighMme { mme } => f(T::N_HIGH_MME, &[("mme", &number(*mme, locale))]),
            Notice::UnverifiedFactor {
                substance,
                table,
                status,
            } => f(
                T::N_UNVERIFIED_FACTOR,
                &[
                    ("substance", substance),
                    ("table", table),
                    ("status", status_text(*status, locale)),
                ],
            ),
            Notice::UnverifiedStrength { product, status } => f(
                T::N_UNVERIFIED_STRENGTH,
                &[
                    ("product", product),
                    ("status", status_text(*status, locale)),
                ],
            ),
            Notice::UnverifiedSplit { product, status } => f(
                T::N_UNVERIFIED_SPLIT,
                &[
                    ("product", product),
                    ("status", status_text(*status, locale)),
                ],
            ),
            Notice::UnverifiedDdd { substance, status } => f(
                T::N_UNVERIFIED_DDD,
                &[
                    ("substance", substance),
                    ("status", status_text(*status, locale)),
                ],
            ),
            Notice::UnverifiedEd50 { substance } => {
                f(T::N_UNVERIFIED_ED50, &[("substance", substance)])
            }
            Notice::MissingFactor { substance, table } => f(
                T::N_MISSING_FACTOR,
                &[("substance", substance), ("table", table)],
            ),
            Notice::NoDdd { substance } => f(T::N_NO_DDD, &[("substance", substance)]),
            Notice::Implausible { substance, ddd } => f(
                T::N_IMPLAUSIBLE,
                &[("substance", substance), ("ddd", &number(*ddd, locale))],
            ),
            Notice::AsNeeded { substance } => f(T::N_AS_NEEDED, &[("substance", substance)]),
            Notice::SpecialProduct { product, kind } => {
                let k = match kind {
                    ProductKind::Licence => T::KIND_LICENCE.get(locale),
                    ProductKind::Extemporaneous => T::KIND_EXTEMPORE.get(locale),
                    ProductKind::Registered => T::KIND_REGISTERED.get(locale),
                };
                f(T::N_SPECIAL_PRODUCT, &[("product", product), ("kind", k)])
            }
            Notice::Granular {
                substance,
                cut_percent,
                finer,
                oral,
            } => {
                let base = f(
                    T::N_GRANULAR,
                    &[
                        ("substance", substance),
                        ("cut", &number(*cut_percent, locale)),
                    ],
                );
                match (finer, oral) {
                    (Some(p), _) => format!("{base} {}", f(T::N_GRANULAR_FINER, &[("product", p)])),
                    (None, Some(o)) => format!(
                        "{base} {}",
                        f(
                            T::N_GRANULAR_ORAL,
                            &[
                                ("drug", &o.substance),
                                ("patch", &number(o.patch, locale)),
                                ("mg", &number(o.mg_per_day, locale)),
                                ("table", &o.table),
                            ]
                        )
                    ),
                    (None, None) => base,
                }
            }
            Notice::BehindCurve {
                substance,
                weeks,
                finer,
            } => {
                let base = f(
                    T::N_BEHIND_CURVE,
                    &[
                        ("substance", substance),
                        (
                            "weeks",
                            &trappa_i18n::format::weeks(i64::from(*weeks), locale),
                        ),
                    ],
                );
                match finer {
                    Some(p) => format!("{base} {}", f(T::N_GRANULAR_FINER, &[("product", p)])),
                    None => base,
                }
            }
            Notice::Capped {
                substance,
                max_percent,
            } => f(
                T::N_CAPPED,
                &[
                    ("substance", substance),
                    ("max", &number(*max_percent, locale)),
                ],
            ),
            Notice::LowDoseSlower { substance } => f(T::N_LOW_DOSE, &[("substance", substance)]),
            Notice::CrossOver { from, to } => f(T::N_CROSS_OVER, &[("from", from), ("to", to)]),
            Notice::CrossOverPortion {
                from,
                amount,
                time,
                diazepam,
            } => {
                let time = crate::regimen::time_phrase(
                    crate::regimen::DoseTime::ALL[(*time).min(3)],
                    locale,
                );
                let args = [
                    ("from", from.as_str()),
                    ("amount", &number(*amount, locale)),
                    ("time", time),
                    ("diazepam", &number(*diazepam, locale)),
                ];
                if *diazepam > 0.0 {
                    f(T::N_PORTION, &args)
                } else {
                    f(T::N_PORTION_REDUCED, &args)
                }
            }
            Notice::SwitchReduces {
                max_per_day,
                from_de,
                to_de,
            } => f(
                T::N_SWITCH_REDUCES,
                &[
                    ("max", &number(*max_per_day, locale)),
                    ("from", &number(*from_de, locale)),
                    ("to", &number(*to_de, locale)),
                ],
            ),
            Notice::ProductsUsed {
                substance,
                products,
            } => f(
                T::N_PRODUCTS_USED,
                &[("substance", substance), ("products", &products.join(", "))],
            ),
            Notice::ClassPace {
                percent,
                weeks,
                source,
            } => f(
                T::N_CLASS_PACE,
                &[
                    ("percent", &number(*percent, locale)),
                    (
                        "interval",
                        &trappa_i18n::format::weeks(i64::from(*weeks), locale),
                    ),
                    ("source", source),
                ],
            ),
            Notice::SwitchIncomplete { substance } => {
                f(T::N_SWITCH_INCOMPLETE, &[("substance", substance)])
            }
            Notice::HighDiazepam {
                per_day,
                per_dose,
                max_per_day,
                max_per_dose,
            } => f(
                T::N_HIGH_DIAZEPAM,
                &[
                    ("day", &number(*per_day, locale)),
                    ("dose", &number(*per_dose, locale)),
                    ("max_day", &number(*max_per_day, locale)),
                    ("max_dose", &number(*max_per_dose, locale)),
                ],
            ),
            Notice::UnverifiedRules { rules } => {
                let list: Vec<String> = rules
                    .iter()
                    .map(|r| {
                        format!(
                            "{} {} {} ({})",
                            r.id.label(locale),
                            number(r.value, locale),
                            r.unit,
                            status_text(r.status, locale)
                        )
                    })
                    .collect();
                f(T::N_UNVERIFIED_RULES, &[("rules", &list.join("; "))])
            }
            Notice::Stopped { substance } => f(T::N_STOPPED, &[("substance", substance)]),
            Notice::TargetReached { substance } => f(T::N_TARGET, &[("substance", substance)]),
            Notice::Hold { weeks, reason } => f(
                T::N_HOLD,
                &[
                    (
                        "weeks",
                        &trappa_i18n::format::weeks(i64::from(*weeks), locale),
                    ),
                    ("reason", reason),
                ],
            ),
            Notice::StepBack { by, reason } => f(T::N_STEP_BACK, &[("by", by), ("reason", reason)]),
            Notice::Edited { by, reason } => f(T::N_EDITED, &[("by", by), ("reason", reason)]),
            Notice::SlowedDown { reason } => f(T::N_SLOWED, &[("reason", reason)]),
        }
    }
}
