//! A plan request stated as flags — the `trappa taper` command's options and the
//! calculator form's fields — and its translation into a [`PlanRequest`], pure so it
//! can be fuzzed. Every value arrives as text and is read here, so a fault names the
//! flag in Swedish. The command line itself (clap) lives in the binary.

use jiff::civil::Date;

use crate::amount::parse_decimal;
use crate::convert::TableChoice;
use crate::error::{Form, InputError, Problem};
use crate::plan::*;
use crate::reference::ReferenceData;
use crate::regimen::{DrugUse, Regimen, parse_doses};

/// Strategies by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrategyArg {
    /// A share of the current dose per step (default; the TUB model's slow taper).
    Slow,
    /// Equal steps in modelled receptor occupancy.
    Hyperbolic,
    /// A fixed share of the starting dose per step.
    Linear,
    /// Switch benzodiazepines and Z-drugs to diazepam, then the slow taper.
    Substitution,
}

/// Several drugs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MultiArg {
    /// One at a time.
    Staggered,
    /// All at once.
    Parallel,
}

/// A plan request as flags, each value as given.
#[derive(Debug, Clone, Default)]
pub struct RequestFlags {
    /// A substance (id or Swedish name); repeat for several drugs.
    pub drugs: Vec<String>,
    /// Its doses, morning+noon+evening+night in mg ("10+10+0+25"), or µg/h for a patch;
    /// one --dose per --drug, in the same order.
    pub doses: Vec<String>,
    /// Products to use (ids, see --list); each goes with the drug of its substance.
    pub products: Vec<String>,
    /// Also use the enabled liquids, licence and extemporaneous products (small steps at
    /// low doses).
    pub special: bool,
    /// Strategy.
    pub strategy: Option<StrategyArg>,
    /// Percent per step: of the current dose (slow), of the starting dose (linear), of
    /// the starting occupancy (hyperbolic).
    pub percent: Option<String>,
    /// Weeks between steps.
    pub interval: Option<String>,
    /// Slow taper: below this percent of the starting dose, go slower (default 25).
    pub low_dose_below: Option<String>,
    /// Slow taper: weeks between steps at low doses (default twice the interval).
    pub low_dose_interval: Option<String>,
    /// Slow taper: percent per step at low doses (default as above).
    pub low_dose_percent: Option<String>,
    /// Weeks between switching dose times to diazepam (substitution; default 1).
    pub switch_interval: Option<String>,
    /// Diazepam equivalents switched per portion (substitution; default: the reference
    /// data's rule, 10).
    pub switch_portion: Option<String>,
    /// Largest cut per step, percent of the current dose (default 10, at most 25).
    pub max_step: Option<String>,
    /// Weeks the last dose is kept before stopping (default 4).
    pub final_hold: Option<String>,
    /// Stop once the dose is at or below this percent of the starting dose (default: only
    /// from the smallest dose the products make).
    pub stop_below: Option<String>,
    /// At most this many products per drug through the whole plan (1–6).
    pub max_products: Option<String>,
    /// Most pieces in one dose (default 4).
    pub max_pieces: Option<String>,
    /// Several drugs: one at a time (default) or all at once.
    pub multi: Option<MultiArg>,
    /// Order for one-at-a-time tapering, comma-separated substances.
    pub order: Option<String>,
    /// A target instead of stopping: substance=daily dose ("oxazepam=10").
    pub goals: Vec<String>,
    /// Which dose time a step changes, other than the class's rule: substance=rule, the
    /// rule one of even, night-last, keep-interval ("oxycodone=keep-interval").
    pub dose_times: Vec<String>,
    /// A hold: step:weeks ("3:2" keeps step 3 two weeks longer).
    pub holds: Vec<String>,
    /// An opening phase with its own pace, before the plan's: steps:percent:weeks
    /// ("2:25:2" is two steps of 25 % two weeks apart). Repeat for several, in order.
    pub phases: Vec<String>,
    /// A step with its own length: step:weeks ("3:4" makes step 3 last four weeks).
    pub step_lengths: Vec<String>,
    /// The first day (YYYY-MM-DD; default today).
    pub start: Option<String>,
    /// DE table id (default: the unit's).
    pub table_de: Option<String>,
    /// MME table id (default: the unit's).
    pub table_mme: Option<String>,
}

impl RequestFlags {
    /// The flags given, by name: the command refuses them beside a request read from a
    /// file, where they would be silently ignored.
    pub fn given(&self) -> Vec<&'static str> {
        let given = [
            ("--drug", !self.drugs.is_empty()),
            ("--dose", !self.doses.is_empty()),
            ("--product", !self.products.is_empty()),
            ("--special", self.special),
            ("--strategy", self.strategy.is_some()),
            ("--percent", self.percent.is_some()),
            ("--interval", self.interval.is_some()),
            ("--low-dose-below", self.low_dose_below.is_some()),
            ("--low-dose-interval", self.low_dose_interval.is_some()),
            ("--low-dose-percent", self.low_dose_percent.is_some()),
            ("--switch-interval", self.switch_interval.is_some()),
            ("--switch-portion", self.switch_portion.is_some()),
            ("--max-step", self.max_step.is_some()),
            ("--final-hold", self.final_hold.is_some()),
            ("--stop-below", self.stop_below.is_some()),
            ("--max-pieces", self.max_pieces.is_some()),
            ("--max-products", self.max_products.is_some()),
            ("--multi", self.multi.is_some()),
            ("--order", self.order.is_some()),
            ("--goal", !self.goals.is_empty()),
            ("--hold", !self.holds.is_empty()),
            ("--dose-time", !self.dose_times.is_empty()),
            ("--start", self.start.is_some()),
            ("--table-de", self.table_de.is_some()),
            ("--table-mme", self.table_mme.is_some()),
        ];
        given
            .iter()
            .filter(|(_, on)| *on)
            .map(|(flag, _)| *flag)
            .collect()
    }
}

fn number(field: &str, text: &Option<String>) -> Result<Option<f64>, InputError> {
    match text {
        None => Ok(None),
        Some(t) => parse_decimal(t)
            .map(Some)
            .ok_or_else(|| InputError::new(field, Problem::DoseFormat { given: t.clone() })),
    }
}

fn whole(field: &str, text: &Option<String>) -> Result<Option<u32>, InputError> {
    match number(field, text)? {
        None => Ok(None),
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= 1000.0 => Ok(Some(v as u32)),
        Some(_) => Err(InputError::new(
            field,
            Problem::OutOfRange {
                min: "0".into(),
                max: "1000".into(),
            },
        )),
    }
}

/// Parses a request given as JSON (bytes: a file may hold anything). The error names
/// the field's path in the document, or `--input` for the document as a whole.
pub fn request_from_json(bytes: &[u8]) -> Result<PlanRequest, InputError> {
    trappa_input::json::from_slice(bytes).map_err(|e| InputError::from_json(e, "--input"))
}

/// Builds a request from the arguments; `today` is the default start. The flags are
/// read in the order they are documented, so the first fault is the one named.
pub fn request_from_args(
    data: &ReferenceData,
    args: &RequestFlags,
    today: Date,
) -> Result<PlanRequest, InputError> {
    let drugs = drugs_from_args(data, args)?;
    let (reduction, substitution) = pace_from_args(args)?;
    let multi = multi_from_args(args)?;
    let goals = goals_from_args(args)?;
    let (holds, phases, step_lengths) = timeline_from_args(args)?;
    let start = match &args.start {
        None => today,
        Some(s) => trappa_input::date::parse(s).map_err(|e| match e {
            trappa_input::date::DateError::Format => {
                InputError::new("--start", Problem::DateFormat { given: s.clone() })
            }
            trappa_input::date::DateError::OutOfRange => {
                InputError::new("--start", crate::generate::date_range())
            }
        })?,
    };
    let limits = limits_from_args(args)?;
    Ok(PlanRequest {
        regimen: Regimen { drugs },
        start,
        tables: TableChoice {
            de: args.table_de.clone(),
            mme: args.table_mme.clone(),
        },
        reduction,
        substitution,
        multi,
        goals,
        limits,
        holds,
        dose_times: dose_time_rules(&args.dose_times)?,
        phases,
        step_lengths,
    })
}

/// The regimen: `--drug` with its `--dose`, and the `--product`s chosen for each.
fn drugs_from_args(data: &ReferenceData, args: &RequestFlags) -> Result<Vec<DrugUse>, InputError> {
    if args.drugs.is_empty() {
        return Err(InputError::new("--drug", Problem::Missing));
    }
    if args.doses.len() != args.drugs.len() {
        let problem = Problem::Count {
            given: args.doses.len(),
            wanted: args.drugs.len(),
            per: "--drug".into(),
        };
        return Err(match args.doses.len() {
            // `--drug diazepam` alone: the dose is what is missing.
            n if n < args.drugs.len() => {
                InputError::new(format!("--dose ({})", args.drugs[n]), Problem::Missing)
            }
            _ => InputError::new("--dose", problem),
        });
    }
    let mut drugs = Vec::new();
    for (i, (name, dose)) in args.drugs.iter().zip(&args.doses).enumerate() {
        let doses = parse_doses(dose).ok_or_else(|| {
            InputError::new(
                format!("--dose[{i}]"),
                Problem::DoseFormat {
                    given: dose.clone(),
                },
            )
        })?;
        let substance = data.find_substance(name).ok_or_else(|| {
            InputError::new(
                format!("--drug[{i}]"),
                Problem::UnknownSubstance { name: name.clone() },
            )
        })?;
        drugs.push(DrugUse {
            substance: substance.id.clone(),
            route: None,
            doses,
            products: Vec::new(),
            as_needed: None,
            special_products: args.special,
        });
    }
    for (j, id) in args.products.iter().enumerate() {
        let p = data.product(id).filter(|p| p.enabled).ok_or_else(|| {
            InputError::new(
                format!("--product[{j}]"),
                Problem::UnknownProduct { id: id.clone() },
            )
        })?;
        let d = drugs
            .iter_mut()
            .find(|d| d.substance == p.substance)
            .ok_or_else(|| {
                InputError::new(
                    format!("--product[{j}]"),
                    Problem::WrongProduct {
                        id: id.clone(),
                        substance: args.drugs.join(", "),
                    },
                )
            })?;
        if d.route.is_some_and(|r| r != p.route) {
            return Err(InputError::new(
                format!("--product[{j}]"),
                Problem::Conflict {
                    with: "--product".into(),
                },
            ));
        }
        d.route = Some(p.route);
        d.products.push(p.id.clone());
    }
    Ok(drugs)
}

/// The pace (`--strategy`, `--percent`, `--interval`, the low-dose flags; none: the
/// class's own) and the switch to diazepam (`--switch-*`).
fn pace_from_args(
    args: &RequestFlags,
) -> Result<(Option<Reduction>, Option<Substitution>), InputError> {
    let percent = number("--percent", &args.percent)?;
    let interval_given = whole("--interval", &args.interval)?;
    let interval = interval_given.unwrap_or(2);
    let strategy = args.strategy.unwrap_or(StrategyArg::Slow);
    let low_given = args.low_dose_below.is_some()
        || args.low_dose_interval.is_some()
        || args.low_dose_percent.is_some();
    if low_given && !matches!(strategy, StrategyArg::Slow | StrategyArg::Substitution) {
        return Err(InputError::new(
            "--low-dose-below",
            Problem::Conflict {
                with: "--strategy".into(),
            },
        ));
    }
    // A slow taper with nothing of its own set takes the pace of the drug's class.
    let class_pace = matches!(strategy, StrategyArg::Slow | StrategyArg::Substitution)
        && percent.is_none()
        && interval_given.is_none()
        && !low_given;
    let reduction = match strategy {
        _ if class_pace => None,
        StrategyArg::Slow | StrategyArg::Substitution => Some(Reduction::Slow {
            percent: percent.unwrap_or(10.0),
            interval_weeks: interval,
            low_dose: LowDose {
                below_percent_of_start: number("--low-dose-below", &args.low_dose_below)?
                    .unwrap_or(25.0),
                interval_weeks: whole("--low-dose-interval", &args.low_dose_interval)?,
                percent: number("--low-dose-percent", &args.low_dose_percent)?,
            },
        }),
        StrategyArg::Hyperbolic => Some(Reduction::Hyperbolic {
            occupancy_percent: percent.unwrap_or(5.0),
            interval_weeks: interval,
        }),
        StrategyArg::Linear => Some(Reduction::Linear {
            percent_of_start: percent.unwrap_or(10.0),
            interval_weeks: interval,
        }),
    };
    let substitution = if strategy == StrategyArg::Substitution {
        Some(Substitution {
            portion_de: number("--switch-portion", &args.switch_portion)?,
            ..Substitution::every(whole("--switch-interval", &args.switch_interval)?.unwrap_or(1))
        })
    } else {
        for (flag, given) in [
            ("--switch-interval", args.switch_interval.is_some()),
            ("--switch-portion", args.switch_portion.is_some()),
        ] {
            if given {
                return Err(InputError::new(
                    flag,
                    Problem::Conflict {
                        with: "--strategy".into(),
                    },
                ));
            }
        }
        None
    };
    Ok((reduction, substitution))
}

/// Several drugs: one after the other (`--order`), or together (`--multi parallel`).
fn multi_from_args(args: &RequestFlags) -> Result<MultiDrug, InputError> {
    Ok(match (args.multi, &args.order) {
        (Some(MultiArg::Parallel), Some(_)) => {
            return Err(InputError::new(
                "--order",
                Problem::Conflict {
                    with: "--multi parallel".into(),
                },
            ));
        }
        (Some(MultiArg::Parallel), None) => MultiDrug::Parallel {},
        (_, Some(order)) => MultiDrug::Ordered {
            order: order
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
        },
        (_, None) => MultiDrug::Staggered {},
    })
}

/// The goals: `--goal SUBSTANCE=DOSE`.
fn goals_from_args(args: &RequestFlags) -> Result<Vec<DrugGoal>, InputError> {
    let mut goals = Vec::new();
    for (k, g) in args.goals.iter().enumerate() {
        let (s, t) = g.split_once('=').ok_or_else(|| {
            InputError::new(
                format!("--goal[{k}]"),
                Problem::DoseFormat { given: g.clone() },
            )
        })?;
        let target = parse_decimal(t).ok_or_else(|| {
            InputError::new(
                format!("--goal[{k}]"),
                Problem::DoseFormat { given: g.clone() },
            )
        })?;
        goals.push(DrugGoal {
            substance: s.trim().to_owned(),
            target,
        });
    }
    Ok(goals)
}

/// A request's holds, opening phases and step lengths.
type Timeline = (Vec<Hold>, Vec<PacePhase>, Vec<StepLength>);

/// The holds, opening phases and step lengths (`--hold`, `--phase`, `--step-length`).
fn timeline_from_args(args: &RequestFlags) -> Result<Timeline, InputError> {
    let mut holds = Vec::new();
    for (k, h) in args.holds.iter().enumerate() {
        let [step, weeks] = numbers(h, &format!("--hold[{k}]"), Form::Hold)?;
        holds.push(Hold {
            step: step as usize,
            weeks: weeks as u32,
            reason: String::new(),
        });
    }
    let mut phases = Vec::new();
    for (k, p) in args.phases.iter().enumerate() {
        let [steps, percent, weeks] = numbers(p, &format!("--phase[{k}]"), Form::Phase)?;
        phases.push(PacePhase {
            steps: steps as u32,
            percent,
            interval_weeks: weeks as u32,
        });
    }
    let mut step_lengths = Vec::new();
    for (k, l) in args.step_lengths.iter().enumerate() {
        let [step, weeks] = numbers(l, &format!("--step-length[{k}]"), Form::StepLength)?;
        step_lengths.push(StepLength {
            step: step as usize,
            weeks: weeks as u32,
        });
    }
    Ok((holds, phases, step_lengths))
}

/// The limits: `--max-step`, `--final-hold`, `--stop-below`, `--max-products`,
/// `--max-pieces`; the defaults for what is not given.
fn limits_from_args(args: &RequestFlags) -> Result<Limits, InputError> {
    let defaults = Limits::default();
    Ok(Limits {
        max_step_percent: number("--max-step", &args.max_step)?
            .unwrap_or(defaults.max_step_percent),
        final_hold_weeks: whole("--final-hold", &args.final_hold)?
            .unwrap_or(defaults.final_hold_weeks),
        stop_below_percent: number("--stop-below", &args.stop_below)?,
        max_products: whole("--max-products", &args.max_products)?,
        catch_up_percent: None,
        dose: crate::achievable::MenuLimits {
            max_pieces: whole("--max-pieces", &args.max_pieces)?
                .unwrap_or(defaults.dose.max_pieces),
            ..defaults.dose
        },
    })
}

/// `N` numbers separated by colons ("3:2", "2:25:2"); all but the percent of a phase
/// (the second of three) whole.
fn numbers<const N: usize>(given: &str, field: &str, form: Form) -> Result<[f64; N], InputError> {
    let bad = || {
        InputError::new(
            field,
            Problem::Pattern {
                given: given.to_owned(),
                form,
            },
        )
    };
    let parts: Vec<&str> = given.split(':').map(str::trim).collect();
    if parts.len() != N {
        return Err(bad());
    }
    let mut out = [0.0; N];
    for (k, part) in parts.iter().enumerate() {
        let decimal = N == 3 && k == 1;
        out[k] = if decimal {
            parse_decimal(part).ok_or_else(bad)?
        } else {
            f64::from(part.parse::<u32>().map_err(|_| bad())?)
        };
    }
    Ok(out)
}

/// `--dose-time substance=rule`, each naming its rule.
fn dose_time_rules(given: &[String]) -> Result<Vec<DoseTimeChoice>, InputError> {
    const RULES: [(&str, DoseTimeRule); 3] = [
        ("even", DoseTimeRule::Even),
        ("night-last", DoseTimeRule::NightLast),
        ("keep-interval", DoseTimeRule::KeepInterval),
    ];
    given
        .iter()
        .enumerate()
        .map(|(k, g)| {
            let field = format!("--dose-time[{k}]");
            let choice = || Problem::Choice {
                given: g.clone(),
                known: RULES
                    .iter()
                    .map(|(n, _)| format!("SUBSTANS={n}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let (substance, rule) = g
                .split_once('=')
                .ok_or_else(|| InputError::new(field.clone(), choice()))?;
            let rule = RULES
                .iter()
                .find(|(n, _)| *n == rule.trim())
                .map(|(_, r)| *r)
                .ok_or_else(|| InputError::new(field.clone(), choice()))?;
            Ok(DoseTimeChoice {
                substance: substance.trim().to_owned(),
                rule,
            })
        })
        .collect()
}

/// Names a request field by the flag that sets it, for errors from [`crate::propose`].
pub fn flag_for_field(field: &str) -> String {
    const MAP: [(&str, &str); 18] = [
        ("reduction.percent_of_start", "--percent"),
        ("reduction.occupancy_percent", "--percent"),
        ("reduction.percent", "--percent"),
        ("reduction.interval_weeks", "--interval"),
        (
            "reduction.low_dose.below_percent_of_start",
            "--low-dose-below",
        ),
        ("reduction.low_dose.interval_weeks", "--low-dose-interval"),
        ("reduction.low_dose.percent", "--low-dose-percent"),
        ("reduction", "--strategy"),
        ("substitution.interval_weeks", "--switch-interval"),
        ("substitution.portion_de", "--switch-portion"),
        ("substitution", "--strategy substitution"),
        ("limits.max_step_percent", "--max-step"),
        ("limits.final_hold_weeks", "--final-hold"),
        ("limits.stop_below_percent", "--stop-below"),
        ("limits.dose.max_pieces", "--max-pieces"),
        ("limits.max_products", "--max-products"),
        ("tables.de", "--table-de"),
        ("tables.mme", "--table-mme"),
    ];
    if let Some((_, flag)) = MAP
        .iter()
        .find(|(f, _)| field == *f || field.starts_with(&format!("{f}.")))
    {
        return (*flag).to_owned();
    }
    if let Some(rest) = field.strip_prefix("dose_times[") {
        return format!(
            "--dose-time[{}",
            rest.split_once(']')
                .map(|(i, _)| format!("{i}]"))
                .unwrap_or_default()
        );
    }
    // drugs[1].doses → --dose[1], drugs[1].products[0] → --product, goals[0] → --goal[0].
    if let Some(rest) = field.strip_prefix("drugs[")
        && let Some((index, tail)) = rest.split_once(']')
    {
        return match tail {
            ".doses" => format!("--dose[{index}]"),
            ".substance" => format!("--drug[{index}]"),
            t if t.starts_with(".products") => "--product".to_owned(),
            _ => format!("--drug[{index}]"),
        };
    }
    for (prefix, flag) in [
        ("goals", "--goal"),
        ("holds", "--hold"),
        ("phases", "--phase"),
        ("step_lengths", "--step-length"),
        ("multi.order", "--order"),
    ] {
        if let Some(rest) = field.strip_prefix(prefix) {
            return format!(
                "{flag}{}",
                rest.split_once(']')
                    .map(|(i, _)| format!("{i}]"))
                    .unwrap_or_default()
            );
        }
    }
    field.to_owned()
}
