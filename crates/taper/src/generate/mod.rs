//! The generator: a request → a plan of achievable steps.
//!
//! Time runs in days from the plan's start. Each drug is a *track* with its own check
//! days (every interval). At a check the strategy gives an aim — the dose its curve has
//! reached since the last change — and the step is the smallest achievable daily dose
//! at or above the highest of: the aim, the largest allowed cut (10 % of the current
//! dose by default), 75 % of the dose two weeks earlier (ASAM's ceiling) and the goal.
//! Rounding therefore only ever makes a step smaller (slower), never larger. When the
//! products allow no step that small, the dose is held at least two intervals and until
//! the ceiling's rate allows the smallest possible step, which is then marked with its
//! reason. The last dose is held `final_hold_weeks` before the drug is stopped: the
//! curve never reaches zero by itself.

use jiff::Span;

use crate::achievable::Menu;
use crate::amount::Amount;
use crate::convert::{Tables, convert_resolved, mg_per_day};
use crate::error::{InputError, Problem};
use crate::notice::Notice;
use crate::plan::*;
use crate::reference::{DrugClass, EquivalentUnit, Product, ProductKind, ReferenceData, Route};
use crate::regimen::{ResolvedDrug, Slots, resolve, slots_total};
use crate::rules::RuleId;

mod curve;
mod cut;
mod switch;
use cut::{best_cut, largest_cut};
use switch::SwitchPlan;

/// Plans longer than this are refused rather than cut short (holds included).
pub const MAX_YEARS: u32 = 15;
const MAX_DAYS: i64 = MAX_YEARS as i64 * 365;
/// Holds a request may ask for: one per step of a long plan is far more than a
/// prescriber writes.
pub const MAX_HOLDS: usize = 52;
/// Products a request may name per drug: every strength and form on the market of
/// one substance is fewer.
pub const MAX_PRODUCTS: usize = 20;

/// The problem for a date outside [`trappa_input::date`]'s range.
pub(crate) fn date_range() -> Problem {
    Problem::OutOfRange {
        min: trappa_input::date::EARLIEST.to_string(),
        max: trappa_input::date::LATEST.to_string(),
    }
}

/// Dose times in the order they are switched to diazepam (Ashton starts with the
/// evening or night dose).
const SWITCH_ORDER: [usize; 4] = [3, 2, 1, 0];

/// Proposes a plan for a request, or says which field is wrong.
pub fn propose(data: &ReferenceData, request: &PlanRequest) -> Result<Plan, InputError> {
    let Some(limit) = request.limits.max_products else {
        return propose_as_asked(data, request);
    };
    range("limits.max_products", f64::from(limit), 1.0, 6.0)?;
    // The sets of products are chosen on the plan without holds and step lengths (they
    // are numbered against the plan the prescriber sees), which are applied once after.
    let mut bare = request.clone();
    bare.holds.clear();
    bare.step_lengths.clear();
    bare.limits.max_products = None;
    let unlimited = propose_as_asked(data, &bare)?;
    let mut restricted = request.clone();
    restricted.limits.max_products = None;
    for (i, chosen) in product_sets_within(data, &bare, &unlimited, limit)? {
        restricted.regimen.drugs[i].products = chosen;
    }
    let mut plan = propose_as_asked(data, &restricted)?;
    // The plan's request is the one asked, with the pace it was made at.
    plan.request.regimen = request.regimen.clone();
    plan.request.limits.max_products = Some(limit);
    Ok(plan)
}

/// The plan for a request, every product limit aside.
fn propose_as_asked(data: &ReferenceData, request: &PlanRequest) -> Result<Plan, InputError> {
    let resolved = resolve(data, &request.regimen)?;
    let mut warnings = Vec::new();
    // The pace: the request's own, or its drug class's from the rules (the slowest of the
    // plan's classes), written into the plan's request.
    let request = &match &request.reduction {
        Some(_) => request.clone(),
        None => PlanRequest {
            reduction: Some(class_pace(data, &resolved, &mut warnings)),
            ..request.clone()
        },
    };
    validate_options(request)?;
    let tables = Tables::choose(data, &request.tables)?;
    let conversion = convert_resolved(data, &resolved, tables)?;
    let mut class_warnings = std::mem::replace(&mut warnings, conversion.warnings);
    warnings.append(&mut class_warnings);
    // The catch-up's share too: the request's own, or the rule's, kept in the plan.
    let request = &PlanRequest {
        limits: Limits {
            catch_up_percent: Some(
                request
                    .limits
                    .catch_up_percent
                    .unwrap_or(data.rule(RuleId::CatchUpPercent).value.value),
            ),
            ..request.limits.clone()
        },
        ..request.clone()
    };
    let setup = Setup::new(data, request, &resolved, tables, &mut warnings)?;
    let mut plan = setup.run(request)?;
    warnings.append(&mut plan.warnings);
    plan.warnings = warnings;
    for (k, l) in request.step_lengths.iter().enumerate() {
        set_step_length(&mut plan, data, l.step, l.weeks)
            .map_err(|p| InputError::new(format!("step_lengths[{k}]"), p))?;
    }
    for hold in &request.holds {
        apply_hold(&mut plan, hold.step, hold.weeks, &hold.reason)
            .map_err(|p| InputError::new("holds", p))?;
    }
    // The holds lengthen the plan: the limit holds for the plan as it will be followed.
    if (plan.end_date() - request.start).get_days() > MAX_DAYS as i32 {
        return Err(InputError::new(
            "holds",
            Problem::TooLong { years: MAX_YEARS },
        ));
    }
    Ok(plan)
}

/// Candidate sets a product limit tries per drug at most: the sets that can make
/// today's doses, those with the products in use first.
const MAX_PRODUCT_SETS: usize = 64;

/// For each of the regimen's drugs whose plan uses more than `limit` products: the set of
/// that many of its products, able to make today's doses, whose steps are finest
/// ([`coarseness`]: a coarser set ends sooner only by stepping faster at the end).
/// Diazepam added by a switch is not the regimen's and keeps its fewest products.
fn product_sets_within(
    data: &ReferenceData,
    bare: &PlanRequest,
    unlimited: &Plan,
    limit: u32,
) -> Result<Vec<(usize, Vec<String>)>, InputError> {
    let limit_usize = limit as usize;
    let mut chosen_sets = Vec::new();
    for i in 0..bare.regimen.drugs.len() {
        let used: Vec<&str> = unlimited
            .warnings
            .iter()
            .find_map(|w| match w {
                Notice::ProductsUsed {
                    substance,
                    products,
                } if *substance == unlimited.drugs[i].name => Some(products),
                _ => None,
            })
            .map(|names| {
                unlimited.drugs[i]
                    .products
                    .iter()
                    .filter(|p| names.contains(&p.name))
                    .map(|p| p.id.as_str())
                    .collect()
            })
            .unwrap_or_default();
        if used.len() <= limit_usize {
            continue;
        }
        let ids: Vec<&str> = unlimited.drugs[i]
            .products
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        // Today's doses, each of which a candidate set must make.
        let today: Vec<Amount> = unlimited.baseline[i]
            .doses
            .iter()
            .flatten()
            .map(|d| d.amount)
            .collect();
        let mut candidates: Vec<Vec<usize>> = subsets(ids.len(), limit_usize)
            .into_iter()
            .filter(|set| {
                let products: Vec<&Product> =
                    set.iter().filter_map(|&k| data.product(ids[k])).collect();
                let menu = Menu::new(&products, &bare.limits.dose);
                products.len() == set.len() && today.iter().all(|a| menu.exact(*a).is_some())
            })
            .collect();
        candidates.sort_by_key(|set| {
            std::cmp::Reverse(set.iter().filter(|&&k| used.contains(&ids[k])).count())
        });
        candidates.truncate(MAX_PRODUCT_SETS);
        let mut best: Option<(Coarseness, Vec<String>)> = None;
        for set in candidates {
            let mut attempt = bare.clone();
            attempt.regimen.drugs[i].products = set.iter().map(|&k| ids[k].to_owned()).collect();
            let Ok(candidate) = propose_as_asked(data, &attempt) else {
                continue;
            };
            let score = coarseness(&candidate, i, unlimited);
            if best.as_ref().is_none_or(|(b, _)| score < *b) {
                best = Some((score, attempt.regimen.drugs[i].products.clone()));
            }
        }
        let Some((_, chosen)) = best else {
            return Err(InputError::new(
                "limits.max_products",
                Problem::TooFewProducts {
                    limit,
                    substance: unlimited.drugs[i].name.clone(),
                },
            ));
        };
        chosen_sets.push((i, chosen));
    }
    Ok(chosen_sets)
}

/// How coarse a drug's steps are ([`coarseness`]), compared in order.
type Coarseness = (i64, i64, usize, i32);

/// How coarse drug `i`'s steps are in a plan, smaller first: the smallest daily dose
/// it is stopped from (µ-units), the largest cut before the stop (per mille), the
/// number of steps larger than the maximum, and the days its end lies from the end of
/// `unlimited`.
fn coarseness(p: &Plan, i: usize, unlimited: &Plan) -> Coarseness {
    let doses: Vec<Amount> = std::iter::once(p.baseline[i].per_day)
        .chain(p.steps.iter().map(|s| s.drugs[i].per_day))
        .collect();
    let smallest = doses
        .iter()
        .filter(|d| !d.is_zero())
        .min()
        .map_or(0, |d| d.0);
    let largest_cut = doses
        .windows(2)
        .filter(|w| !w[1].is_zero() && w[1] < w[0])
        .map(|w| ((1.0 - w[1].as_f64() / w[0].as_f64()) * 1000.0).round() as i64)
        .max()
        .unwrap_or(0);
    let coarse = p
        .steps
        .iter()
        .filter(|s| s.drugs[i].change == Change::Granular)
        .count();
    let off = (p.end_date() - unlimited.end_date()).get_days().abs();
    (smallest, largest_cut, coarse, off)
}

/// Every set of `k` of the indices `0..n`, in order.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    fn walk(start: usize, n: usize, k: usize, current: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if current.len() == k {
            out.push(current.clone());
            return;
        }
        for i in start..n {
            current.push(i);
            walk(i + 1, n, k, current, out);
            current.pop();
        }
    }
    walk(0, n, k.min(n), &mut current, &mut out);
    out
}

/// The slow taper at the pace of the plan's drug classes (the slowest: the fewest
/// percent a week), each value from the rules with its source; the pace is named among
/// the warnings.
fn class_pace(
    data: &ReferenceData,
    drugs: &[ResolvedDrug<'_>],
    warnings: &mut Vec<Notice>,
) -> Reduction {
    let (percent_rule, weeks_rule) = drugs
        .iter()
        .map(|d| RuleId::pace_of(d.substance.class))
        .min_by(|a, b| {
            let per_week =
                |(p, w): &(RuleId, RuleId)| data.rule(*p).value.value / data.rule(*w).value.value;
            per_week(a)
                .partial_cmp(&per_week(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .unwrap_or((
            RuleId::BenzodiazepinePercent,
            RuleId::BenzodiazepineIntervalWeeks,
        ));
    let percent = switch::rule_or(data, percent_rule, None, warnings);
    let weeks = switch::rule_or(data, weeks_rule, None, warnings)
        .round()
        .max(1.0) as u32;
    let source = &data.rule(percent_rule).value.source;
    warnings.push(Notice::ClassPace {
        percent,
        weeks,
        source: data
            .sources
            .iter()
            .find(|s| &s.id == source)
            .map(|s| s.title.clone())
            .unwrap_or_else(|| source.clone()),
    });
    Reduction::Slow {
        percent,
        interval_weeks: weeks,
        low_dose: LowDose::default(),
    }
}

/// The plan drug a request names (substance id or name), or the error for `field`.
fn plan_drug(
    data: &ReferenceData,
    drugs: &[PlanDrug],
    name: &str,
    field: String,
) -> Result<usize, InputError> {
    data.find_substance(name)
        .and_then(|s| drugs.iter().position(|d| d.substance == s.id))
        .ok_or_else(|| {
            InputError::new(
                field,
                Problem::UnknownSubstance {
                    name: name.to_owned(),
                },
            )
        })
}

fn range(field: &str, value: f64, min: f64, max: f64) -> Result<(), InputError> {
    if value.is_finite() && value >= min && value <= max {
        Ok(())
    } else {
        Err(InputError::new(
            field,
            Problem::OutOfRange {
                min: min.to_string(),
                max: max.to_string(),
            },
        ))
    }
}

fn validate_options(r: &PlanRequest) -> Result<(), InputError> {
    trappa_input::date::check(r.start).map_err(|_| InputError::new("start", date_range()))?;
    let count = |field: &str, n: usize, max: usize| range(field, n as f64, 0.0, max as f64);
    count("holds", r.holds.len(), MAX_HOLDS)?;
    count("goals", r.goals.len(), 6)?;
    if let MultiDrug::Ordered { order } = &r.multi {
        count("multi.order", order.len(), 6)?;
    }
    for (i, d) in r.regimen.drugs.iter().enumerate() {
        count(
            &format!("drugs[{i}].products"),
            d.products.len(),
            MAX_PRODUCTS,
        )?;
    }
    range(
        "limits.max_step_percent",
        r.limits.max_step_percent,
        0.5,
        HARD_CEILING_FRACTION * 100.0,
    )?;
    range(
        "limits.final_hold_weeks",
        f64::from(r.limits.final_hold_weeks),
        1.0,
        26.0,
    )?;
    if let Some(c) = r.limits.catch_up_percent {
        range("limits.catch_up_percent", c, 0.0, 100.0)?;
    }
    if let Some(n) = r.limits.max_products {
        range("limits.max_products", f64::from(n), 1.0, 6.0)?;
    }
    if let Some(p) = r.limits.stop_below_percent {
        range("limits.stop_below_percent", p, 0.0, 50.0)?;
    }
    range(
        "limits.dose.max_pieces",
        f64::from(r.limits.dose.max_pieces),
        1.0,
        8.0,
    )?;
    range(
        "limits.dose.max_patches",
        f64::from(r.limits.dose.max_patches),
        1.0,
        4.0,
    )?;
    range(
        "limits.dose.max_volume_ml",
        r.limits.dose.max_volume_ml,
        0.5,
        30.0,
    )?;
    range(
        "reduction.interval_weeks",
        f64::from(r.pace().interval_weeks()),
        1.0,
        26.0,
    )?;
    match &r.pace() {
        Reduction::Slow {
            percent, low_dose, ..
        } => {
            range("reduction.percent", *percent, 0.5, 50.0)?;
            range(
                "reduction.low_dose.below_percent_of_start",
                low_dose.below_percent_of_start,
                0.0,
                100.0,
            )?;
            if let Some(w) = low_dose.interval_weeks {
                range("reduction.low_dose.interval_weeks", f64::from(w), 1.0, 26.0)?;
            }
            if let Some(p) = low_dose.percent {
                range("reduction.low_dose.percent", p, 0.5, 50.0)?;
            }
        }
        Reduction::Hyperbolic {
            occupancy_percent, ..
        } => range("reduction.occupancy_percent", *occupancy_percent, 0.5, 50.0)?,
        Reduction::Linear {
            percent_of_start, ..
        } => range("reduction.percent_of_start", *percent_of_start, 0.5, 50.0)?,
    }
    if let Some(s) = &r.substitution {
        range(
            "substitution.interval_weeks",
            f64::from(s.interval_weeks),
            1.0,
            4.0,
        )?;
        if let Some(p) = s.portion_de {
            range("substitution.portion_de", p, 1.0, 40.0)?;
        }
        if let Some(v) = s.max_per_day {
            range("substitution.max_per_day", v, 5.0, 120.0)?;
        }
        if let Some(v) = s.max_per_dose {
            range("substitution.max_per_dose", v, 2.0, 60.0)?;
        }
        count("substitution.portions", s.portions.len(), 6)?;
        for (k, p) in s.portions.iter().enumerate() {
            range(
                &format!("substitution.portions[{k}].amount"),
                p.amount,
                0.01,
                1000.0,
            )?;
        }
    }
    for (i, h) in r.holds.iter().enumerate() {
        range(&format!("holds[{i}].weeks"), f64::from(h.weeks), 1.0, 52.0)?;
    }
    count("dose_times", r.dose_times.len(), 6)?;
    count("phases", r.phases.len(), 6)?;
    for (k, p) in r.phases.iter().enumerate() {
        range(&format!("phases[{k}].steps"), f64::from(p.steps), 1.0, 26.0)?;
        range(
            &format!("phases[{k}].percent"),
            p.percent,
            0.5,
            HARD_CEILING_FRACTION * 100.0,
        )?;
        range(
            &format!("phases[{k}].interval_weeks"),
            f64::from(p.interval_weeks),
            1.0,
            12.0,
        )?;
    }
    count("step_lengths", r.step_lengths.len(), MAX_HOLDS)?;
    for (k, l) in r.step_lengths.iter().enumerate() {
        range(
            &format!("step_lengths[{k}].weeks"),
            f64::from(l.weeks),
            1.0,
            26.0,
        )?;
    }
    Ok(())
}

/// A drug's place in the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not started (staggered: waiting for the one before).
    Waiting,
    /// Being reduced.
    Active,
    /// Stopped or at its target.
    Done,
}

struct Track {
    menu: Menu,
    slots: Slots,
    /// The dose when its taper started (for thresholds and linear steps).
    start_total: Amount,
    target: Amount,
    /// The day of the last change (virtual: one interval before the taper starts).
    last_change: i64,
    /// (day, total) after each change; before the first, the baseline.
    history: Vec<(i64, Amount)>,
    baseline_total: Amount,
    state: State,
    next_check: i64,
    taper_start: Option<i64>,
    low_dose_noted: bool,
    /// Emax ED50 in the dose unit, for hyperbolic tapers.
    ed50: Option<f64>,
    /// Which dose time a step changes.
    rule: DoseTimeRule,
    /// Days between patch changes, for a patch: its steps fall on change days.
    change_days: Option<i64>,
    finer: Option<String>,
    /// For a patch without a finer patch: the oral opioid its smallest dose is about.
    oral: Option<crate::notice::OralAlternative>,
    /// The curve the steps aim at, from the taper start ([`curve::build`]).
    curve: Vec<curve::CurvePoint>,
    /// Reductions so far (the first ones are the opening phases').
    reductions: usize,
}

impl Track {
    fn total(&self) -> Amount {
        slots_total(&self.slots)
    }

    fn dose_at(&self, day: i64) -> Amount {
        self.history
            .iter()
            .rev()
            .find(|(d, _)| *d <= day)
            .map(|(_, a)| *a)
            .unwrap_or(self.baseline_total)
    }
}

struct Setup<'a> {
    data: &'a ReferenceData,
    drugs: Vec<PlanDrug>,
    tracks: Vec<Track>,
    /// The switch to diazepam, if asked for.
    switch: Option<SwitchPlan>,
    /// Taper order (track indices); for parallel all start together.
    order: Vec<usize>,
    parallel: bool,
    baseline: Vec<Slots>,
    de_table: String,
    mme_table: String,
    /// The plan's first day.
    start: jiff::civil::Date,
    /// How much larger than the maximum a step back to the curve may be (a share of it).
    catch_up: f64,
}

fn plan_products(products: &[&Product]) -> Vec<PlanProduct> {
    products
        .iter()
        .map(|p| PlanProduct {
            id: p.id.clone(),
            name: p.display_name(),
            form: p.form,
            unit_label: p.unit_label().to_owned(),
            strength: p.strength.value,
            step_ml: p.measure.as_ref().map(|m| m.step_ml),
            change_hours: p.change_hours,
            status: p.strength.status.max(p.divisible.status),
        })
        .collect()
}

/// The finest product of a substance and route the plan does not use, to suggest when
/// the chosen products make steps too coarse.
fn finer_product(
    data: &ReferenceData,
    substance: &str,
    route: Route,
    used: &[&Product],
    menu: &Menu,
) -> Option<String> {
    let smallest = menu.smallest()?;
    data.products_of(substance, route)
        .filter(|p| !used.iter().any(|u| u.id == p.id))
        .filter(|p| p.piece() < smallest)
        .min_by_key(|p| p.piece())
        .map(|p| p.display_name())
}

/// For a fentanyl patch: oral morphine at about the patch's smallest dose by the plan's
/// MME table, offered where a patch step is coarse (25–50 %) and no finer patch exists.
fn oral_alternative(
    data: &ReferenceData,
    tables: Tables<'_>,
    d: &ResolvedDrug<'_>,
    menu: &Menu,
) -> Option<crate::notice::OralAlternative> {
    // Fentanyl only: buprenorphine is a partial agonist, whose patch is not simply
    // swapped for a full agonist by mouth in the middle of a taper.
    if d.route != Route::Transdermal || d.substance.id != "fentanyl" {
        return None;
    }
    let patch = tables
        .mme
        .factor(&d.substance.id, Route::Transdermal)?
        .factor
        .value;
    let oral = tables.mme.factor("morphine", Route::Oral)?.factor.value;
    let smallest = menu.smallest()?.as_f64();
    let mg = smallest * patch / oral;
    if !(oral > 0.0 && mg.is_finite()) {
        return None;
    }
    Some(crate::notice::OralAlternative {
        substance: data.substance("morphine")?.name.clone(),
        patch: smallest,
        mg_per_day: (mg * 2.0).round() / 2.0,
        table: tables.mme.name.clone(),
    })
}

impl<'a> Setup<'a> {
    fn new(
        data: &'a ReferenceData,
        request: &PlanRequest,
        resolved: &[ResolvedDrug<'a>],
        tables: Tables<'a>,
        warnings: &mut Vec<Notice>,
    ) -> Result<Setup<'a>, InputError> {
        let mut drugs = Vec::new();
        let mut tracks = Vec::new();
        let mut baseline = Vec::new();
        let mut add =
            |d: &ResolvedDrug<'a>, added: bool, field: String| -> Result<(), InputError> {
                let menu = Menu::new(&d.products, &request.limits.dose);
                for (k, s) in d.slots.iter().enumerate() {
                    if !s.is_zero() && menu.exact(*s).is_none() {
                        let _ = k;
                        return Err(InputError::new(
                            field.clone(),
                            Problem::CannotMake {
                                dose: s.sv(),
                                products: d
                                    .products
                                    .iter()
                                    .map(|p| p.display_name())
                                    .collect::<Vec<_>>()
                                    .join(", "),
                            },
                        ));
                    }
                }
                let factor = tables.for_class(d.substance.class).and_then(|t| {
                    t.factor(&d.substance.id, d.route).map(|f| PlanFactor {
                        unit: t.unit,
                        factor: f.factor.value,
                        table: t.id.clone(),
                        status: f.factor.status,
                    })
                });
                let ed50 = match (&d.substance.ed50_ddd, &d.substance.ddd_mg) {
                    (Some(e), Some(ddd)) => {
                        let k_mg = e.value * ddd.value;
                        Some(match d.route {
                            Route::Transdermal => k_mg * 1000.0 / 24.0,
                            _ => k_mg,
                        })
                    }
                    _ => None,
                };
                let finer = finer_product(data, &d.substance.id, d.route, &d.products, &menu);
                let oral = match &finer {
                    None => oral_alternative(data, tables, d, &menu),
                    Some(_) => None,
                };
                let total = d.total();
                drugs.push(PlanDrug {
                    substance: d.substance.id.clone(),
                    name: d.substance.name.clone(),
                    class: d.substance.class,
                    route: d.route,
                    unit: d.route.dose_unit().to_owned(),
                    products: plan_products(&d.products),
                    factor,
                    target: Amount::ZERO,
                    added,
                });
                baseline.push(d.slots);
                tracks.push(Track {
                    menu,
                    slots: d.slots,
                    start_total: total,
                    target: Amount::ZERO,
                    last_change: 0,
                    history: Vec::new(),
                    baseline_total: total,
                    state: State::Waiting,
                    next_check: 0,
                    taper_start: None,
                    low_dose_noted: false,
                    ed50,
                    change_days: d
                        .products
                        .iter()
                        .find_map(|p| p.change_hours)
                        .filter(|h| *h >= 24 && h % 24 == 0)
                        .map(|h| i64::from(h / 24)),
                    rule: request
                        .dose_times
                        .iter()
                        .find(|c| {
                            data.find_substance(&c.substance)
                                .is_some_and(|s| s.id == d.substance.id)
                        })
                        .map(|c| c.rule)
                        .unwrap_or_else(|| {
                            data.dose_time_rule(DoseTimeGroup::of(
                                d.substance.class,
                                d.substance.hypnotic,
                                d.products
                                    .iter()
                                    .any(|p| p.release == crate::reference::Release::Modified),
                            ))
                        }),
                    oral,
                    finer,
                    curve: Vec::new(),
                    reductions: 0,
                });
                Ok(())
            };
        for (i, d) in resolved.iter().enumerate() {
            add(d, false, format!("drugs[{i}].doses"))?;
        }
        // Substitution: the benzodiazepines and Z-drugs other than diazepam.
        let mut switch = None;
        if let Some(sub) = &request.substitution {
            let switched: Vec<usize> = resolved
                .iter()
                .enumerate()
                .filter(|(_, d)| {
                    matches!(
                        d.substance.class,
                        DrugClass::Benzodiazepine | DrugClass::ZDrug
                    )
                })
                .filter(|(_, d)| d.substance.id != "diazepam")
                .map(|(i, _)| i)
                .collect();
            if switched.is_empty() {
                return Err(InputError::new(
                    "substitution",
                    Problem::NotSubstitutable {
                        substance: resolved[0].substance.name.clone(),
                    },
                ));
            }
            let diazepam = data
                .substance("diazepam")
                .expect("diazepam in the reference data");
            if tables.de.factor("diazepam", Route::Oral).is_none() {
                return Err(InputError::new(
                    "tables.de",
                    Problem::NoFactor {
                        substance: diazepam.name.clone(),
                        table: tables.de.name.clone(),
                    },
                ));
            }
            for &i in &switched {
                let d = &resolved[i];
                if tables.de.factor(&d.substance.id, d.route).is_none() {
                    return Err(InputError::new(
                        "tables.de",
                        Problem::NoFactor {
                            substance: d.substance.name.clone(),
                            table: tables.de.name.clone(),
                        },
                    ));
                }
            }
            let dz = match resolved.iter().position(|d| d.substance.id == "diazepam") {
                Some(i) => i,
                None => {
                    let products: Vec<&Product> = data
                        .products_of("diazepam", Route::Oral)
                        .filter(|p| p.kind == ProductKind::Registered)
                        .collect();
                    let dz = ResolvedDrug {
                        substance: diazepam,
                        route: Route::Oral,
                        slots: [Amount::ZERO; 4],
                        products,
                        as_needed_per_week: None,
                    };
                    warnings.extend(crate::convert::product_warnings(&dz.products));
                    add(&dz, true, "substitution".into())?;
                    drugs.len() - 1
                }
            };
            let portion_de =
                switch::rule_or(data, RuleId::SwitchPortionDe, sub.portion_de, warnings);
            let mut portion: Vec<f64> = tracks
                .iter()
                .enumerate()
                .map(|(i, _)| {
                    drugs[i]
                        .factor
                        .as_ref()
                        .filter(|f| f.factor > 0.0 && switched.contains(&i))
                        .map(|f| portion_de / f.factor)
                        .unwrap_or(0.0)
                })
                .collect();
            for (k, p) in sub.portions.iter().enumerate() {
                let field = format!("substitution.portions[{k}].substance");
                let i = plan_drug(data, &drugs, &p.substance, field.clone())?;
                if !switched.contains(&i) {
                    return Err(InputError::new(
                        field,
                        Problem::UnknownSubstance {
                            name: p.substance.clone(),
                        },
                    ));
                }
                portion[i] = p.amount;
            }
            switch = Some(SwitchPlan {
                switched,
                dz,
                every: i64::from(sub.interval_weeks) * 7,
                portion,
                max_per_day: switch::rule_or(
                    data,
                    RuleId::DiazepamMaxPerDay,
                    sub.max_per_day,
                    warnings,
                ),
                one_dose_up_to: switch::rule_or(data, RuleId::DiazepamOneDoseUpTo, None, warnings),
                confirm_above: (
                    data.rule(RuleId::DiazepamMaxPerDay)
                        .value
                        .value
                        .min(sub.max_per_day.unwrap_or(f64::INFINITY)),
                    switch::rule_or(data, RuleId::DiazepamMaxPerDose, None, warnings)
                        .min(sub.max_per_dose.unwrap_or(f64::INFINITY)),
                ),
            });
        }
        // A dose-time rule names a drug of the plan.
        for (k, c) in request.dose_times.iter().enumerate() {
            plan_drug(
                data,
                &drugs,
                &c.substance,
                format!("dose_times[{k}].substance"),
            )?;
        }
        // Goals.
        for (g_i, g) in request.goals.iter().enumerate() {
            let field = format!("goals[{g_i}]");
            let i = plan_drug(data, &drugs, &g.substance, format!("{field}.substance"))?;
            let target = Amount::from_f64(g.target)
                .filter(|t| t.0 >= 0)
                .ok_or_else(|| InputError::new(format!("{field}.target"), Problem::NotPositive))?;
            if target >= tracks[i].total() && !tracks[i].total().is_zero() {
                return Err(InputError::new(
                    format!("{field}.target"),
                    Problem::OutOfRange {
                        min: "0".into(),
                        max: tracks[i].total().as_f64().to_string(),
                    },
                ));
            }
            if let Some(sw) = &switch
                && sw.switched.contains(&i)
                && !target.is_zero()
            {
                return Err(InputError::new(
                    format!("{field}.target"),
                    Problem::Conflict {
                        with: "substitution".into(),
                    },
                ));
            }
            // The first step towards the goal must exist: a dose at or above it, below
            // the current one, that one dose time can change to.
            let t = &tracks[i];
            if !target.is_zero() && best_cut(&t.menu, &t.slots, target, t.total(), t.rule).is_none()
            {
                return Err(InputError::new(
                    format!("{field}.target"),
                    Problem::CannotMake {
                        dose: target.sv(),
                        products: drugs[i]
                            .products
                            .iter()
                            .map(|p| p.name.clone())
                            .collect::<Vec<_>>()
                            .join(", "),
                    },
                ));
            }
            drugs[i].target = target;
            tracks[i].target = target;
        }
        if matches!(request.pace(), Reduction::Hyperbolic { .. }) {
            for (d, t) in drugs.iter().zip(&tracks) {
                let s = data.substance(&d.substance).expect("resolved substance");
                if t.ed50.is_none() {
                    return Err(InputError::new(
                        "reduction",
                        Problem::NoEd50 {
                            substance: s.name.clone(),
                        },
                    ));
                }
                if s.ed50_ddd
                    .as_ref()
                    .is_some_and(|e| e.status.is_unverified())
                {
                    warnings.push(Notice::UnverifiedEd50 {
                        substance: s.name.clone(),
                    });
                }
            }
        }
        // Taper order: the regimen's, a chosen one, or all together. Switched drugs are
        // replaced by diazepam at the place of the first of them.
        let mut order: Vec<usize> = (0..drugs.len()).collect();
        let mut parallel = false;
        match &request.multi {
            MultiDrug::Staggered => {}
            MultiDrug::Parallel => parallel = true,
            MultiDrug::Ordered { order: names } => {
                let mut chosen = Vec::new();
                for (k, n) in names.iter().enumerate() {
                    let i = plan_drug(data, &drugs, n, format!("multi.order[{k}]"))?;
                    if !chosen.contains(&i) {
                        chosen.push(i);
                    }
                }
                for i in 0..drugs.len() {
                    if !chosen.contains(&i) {
                        chosen.push(i);
                    }
                }
                order = chosen;
            }
        }
        if let Some(sw) = &switch {
            let first = order
                .iter()
                .position(|i| sw.switched.contains(i) || *i == sw.dz)
                .unwrap_or(0);
            order.retain(|i| !sw.switched.contains(i) && *i != sw.dz);
            order.insert(first.min(order.len()), sw.dz);
        }
        Ok(Setup {
            data,
            drugs,
            tracks,
            switch,
            order,
            parallel,
            baseline,
            de_table: tables.de.id.clone(),
            mme_table: tables.mme.id.clone(),
            start: request.start,
            catch_up: request
                .limits
                .catch_up_percent
                .unwrap_or(data.rule(RuleId::CatchUpPercent).value.value)
                / 100.0,
        })
    }

    fn run(mut self, request: &PlanRequest) -> Result<Plan, InputError> {
        let r = &request.pace();
        let limits = &request.limits;
        let max_step = limits.max_step_percent / 100.0;
        let interval_days = i64::from(r.interval_weeks()) * 7;
        let mut steps: Vec<Step> = Vec::new();
        let mut changes: Vec<Change> = vec![Change::Same; self.drugs.len()];
        let mut aims: Vec<Option<Amount>> = vec![None; self.drugs.len()];

        // Drugs tapered in parallel change on one weekly rhythm (a step lasts at least a
        // week): a patch then steps on a change day that is also on that rhythm.
        if self.parallel && self.tracks.len() > 1 {
            for t in &mut self.tracks {
                if let Some(c) = t.change_days {
                    t.change_days = Some(c * 7 / gcd(c, 7));
                }
            }
        }

        // Phase 1: switch to diazepam in portions.
        let mut taper_from = 0i64;
        let mut switch_warnings = Vec::new();
        if let Some(sw) = self.switch.clone() {
            let (end, warnings) =
                self.switch_phase(&sw, request, &mut steps, &mut changes, &mut aims);
            switch_warnings = warnings;
            taper_from = (end - sw.every + interval_days).max(0);
            let dz = sw.dz;
            self.tracks[dz].baseline_total = self.tracks[dz].total();
            self.tracks[dz].start_total = self.tracks[dz].total();
        }

        // Phase 2: reduce.
        let mut queue: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&i| self.tracks[i].state != State::Done)
            .collect();
        queue.reverse();
        let activate = |t: &mut Track, day: i64| {
            t.state = State::Active;
            t.next_check = on_change_day(t, day);
            t.taper_start = Some(day);
            t.start_total = t.total();
            t.last_change = t.last_change.min(day - interval_days);
            t.curve = curve::build(t, r, &request.phases);
        };
        if self.parallel {
            while let Some(i) = queue.pop() {
                activate(&mut self.tracks[i], taper_from);
            }
        } else if let Some(i) = queue.pop() {
            activate(&mut self.tracks[i], taper_from);
        }
        let mut class_last_change = ClassDays::default();
        let mut caught_up = false;
        while let Some(day) = self
            .tracks
            .iter()
            .filter(|t| t.state == State::Active)
            .map(|t| t.next_check)
            .min()
        {
            if day > MAX_DAYS {
                return Err(InputError::new(
                    "reduction",
                    Problem::TooLong { years: MAX_YEARS },
                ));
            }
            let mut notes = Vec::new();
            let mut changed = false;
            // The opening phase of a drug reduced today, which names the step.
            let mut step_phase: Option<usize> = None;
            // Per class (or drug, without equivalents): what changed today. A step larger
            // than the maximum (granular, or a stop) is the only change of its class that
            // day, so two of them never add up.
            let mut class_changes: Vec<(ClassKey, bool)> = Vec::new();
            for i in 0..self.tracks.len() {
                if self.tracks[i].state != State::Active || self.tracks[i].next_check != day {
                    continue;
                }
                let mut outcome = self.evaluate(i, day, r, limits, max_step, request);
                let key = class_key(&self.drugs[i], i);
                if let Outcome::Step { change, slots, .. } = &outcome {
                    let exempt = *change != Change::Reduced;
                    let clash = class_changes
                        .iter()
                        .any(|(k, e)| *k == key && (exempt || *e));
                    if clash
                        || (exempt && !self.class_rate_allows(i, slots, day, &class_last_change))
                    {
                        outcome = Outcome::Wait;
                    } else {
                        class_changes.push((key, exempt));
                    }
                }
                let t = &mut self.tracks[i];
                match outcome {
                    Outcome::Wait => {
                        t.next_check = on_change_day(t, next_check_day(t, r, day));
                    }
                    Outcome::Step {
                        slots,
                        change,
                        aim,
                        mut step_notes,
                        catch_up,
                    } => {
                        caught_up |= catch_up;
                        if matches!(change, Change::Reduced | Change::Granular) {
                            step_phase =
                                step_phase.or(curve::opening_phase(&request.phases, t.reductions));
                            t.reductions += 1;
                        }
                        t.slots = slots;
                        t.last_change = day;
                        let total = t.total();
                        t.history.push((day, total));
                        changes[i] = change;
                        aims[i] = aim;
                        changed = true;
                        if !t.low_dose_noted && is_low_dose(t, r) && change == Change::Reduced {
                            t.low_dose_noted = true;
                            step_notes.push(Notice::LowDoseSlower {
                                substance: self.drugs[i].name.clone(),
                            });
                        }
                        notes.append(&mut step_notes);
                        if change == Change::Stopped {
                            t.state = State::Done;
                        } else {
                            t.next_check = on_change_day(t, next_check_day(t, r, day));
                        }
                    }
                    Outcome::Done => {
                        t.state = State::Done;
                        if !t.target.is_zero() {
                            let note = Notice::TargetReached {
                                substance: self.drugs[i].name.clone(),
                            };
                            if changed {
                                notes.push(note);
                            } else if let Some(last) = steps.last_mut() {
                                last.notes.push(note);
                            }
                        }
                    }
                }
                if self.tracks[i].state == State::Done
                    && !self.parallel
                    && let Some(next) = queue.pop()
                {
                    activate(&mut self.tracks[next], day + interval_days);
                }
            }
            if changed {
                for (key, _) in &class_changes {
                    class_last_change.insert_or_update(*key, day);
                }
                let phase = step_phase.map_or(Phase::Taper, |k| Phase::Opening(k as u8));
                self.push_step(&mut steps, day, &mut changes, &mut aims, notes, phase);
            }
        }
        // The fewest products that make every dose of the plan, those the patient takes
        // now first: strengths do not change from step to step.
        for i in 0..self.tracks.len() {
            let now = products_in(&drug_step(
                &self.tracks[i].menu,
                &self.baseline[i],
                Change::Same,
                None,
                &[],
            ));
            let used = keep_to_fewest_products(&self.tracks[i].menu, &mut steps, i, &now);
            if !used.is_empty() {
                switch_warnings.push(Notice::ProductsUsed {
                    substance: self.drugs[i].name.clone(),
                    products: used
                        .iter()
                        .map(|p| self.drugs[i].products[usize::from(*p)].name.clone())
                        .collect(),
                });
            }
        }

        // Days per step, and the ideal curves.
        for k in 0..steps.len() {
            steps[k].days = steps
                .get(k + 1)
                .map(|n| (n.start - steps[k].start).get_days() as u32);
        }
        // The catch-up's share is named when it is the rule's and unverified.
        let rule = self.data.rule(RuleId::CatchUpPercent).value.value;
        if caught_up && (self.catch_up * 100.0 - rule).abs() < 1e-9 {
            switch::rule_or(
                self.data,
                RuleId::CatchUpPercent,
                None,
                &mut switch_warnings,
            );
        }
        for (i, t) in self.tracks.iter().enumerate() {
            let reduced: Vec<(i64, Amount)> = steps
                .iter()
                .filter(|s| matches!(s.drugs[i].change, Change::Reduced | Change::Granular))
                .map(|s| {
                    (
                        (s.start - request.start).get_days().into(),
                        s.drugs[i].per_day,
                    )
                })
                .collect();
            let lag = curve::largest_lag(&t.curve, &reduced);
            if lag >= interval_days.max(14) {
                switch_warnings.push(Notice::BehindCurve {
                    substance: self.drugs[i].name.clone(),
                    weeks: (lag / 7) as u32,
                    finer: t.finer.clone(),
                });
            }
        }
        let ideal: Vec<Vec<IdealPoint>> =
            self.tracks.iter().map(|t| curve::ideal(&t.curve)).collect();
        for step in &mut steps {
            let day = (step.start - request.start).get_days();
            for (i, ds) in step.drugs.iter_mut().enumerate() {
                if matches!(ds.change, Change::CrossOverIn | Change::CrossOverOut) {
                    continue;
                }
                ds.ideal = ideal[i]
                    .iter()
                    .rev()
                    .find(|p| i64::from(p.day) <= i64::from(day))
                    .map(|p| p.dose);
            }
        }
        let baseline: Vec<DrugStep> = self
            .baseline
            .iter()
            .enumerate()
            .map(|(i, s)| drug_step(&self.tracks[i].menu, s, Change::Same, None, &[]))
            .collect();
        let baseline_totals = totals(&self.drugs, &baseline);
        Ok(Plan {
            schema: PLAN_SCHEMA,
            data_version: self.data.version.clone(),
            de_table: self.de_table.clone(),
            mme_table: self.mme_table.clone(),
            request: request.clone(),
            drugs: self.drugs,
            baseline,
            baseline_totals,
            steps,
            ideal,
            warnings: switch_warnings,
        })
    }

    fn push_step(
        &self,
        steps: &mut Vec<Step>,
        day: i64,
        changes: &mut [Change],
        aims: &mut [Option<Amount>],
        notes: Vec<Notice>,
        phase: Phase,
    ) {
        let drugs: Vec<DrugStep> = self
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| drug_step(&t.menu, &t.slots, changes[i], aims[i], &[]))
            .collect();
        let totals = totals(&self.drugs, &drugs);
        steps.push(Step {
            number: steps.len() + 1,
            start: self.start.saturating_add(Span::new().days(day)),
            days: None,
            drugs,
            totals,
            notes,
            signed: None,
            phase,
        });
        changes.iter_mut().for_each(|c| *c = Change::Same);
        aims.iter_mut().for_each(|a| *a = None);
    }

    /// A step larger than the maximum for one drug must also keep its class's total within
    /// the ceiling's rate, counted from the class's last change and from just before each
    /// change of the class in the last two weeks — so with several drugs of a class
    /// tapered in parallel, a big step waits until the others pause.
    fn class_rate_allows(&self, i: usize, slots: &Slots, day: i64, last: &ClassDays) -> bool {
        let ClassKey::Unit(unit) = class_key(&self.drugs[i], i) else {
            return true;
        };
        let members: Vec<usize> = (0..self.drugs.len())
            .filter(|&j| class_key(&self.drugs[j], j) == ClassKey::Unit(unit))
            .filter(|&j| j == i || !self.tracks[j].total().is_zero())
            .collect();
        if members.len() < 2 {
            return true;
        }
        let factor = |j: usize| {
            self.drugs[j]
                .factor
                .as_ref()
                .map(|f| f.factor)
                .unwrap_or(0.0)
        };
        let before: f64 = members
            .iter()
            .map(|&j| self.tracks[j].total().as_f64() * factor(j))
            .sum();
        let after =
            before - (self.tracks[i].total().as_f64() - slots_total(slots).as_f64()) * factor(i);
        if before <= 0.0 {
            return true;
        }
        let since = last.get(ClassKey::Unit(unit)).unwrap_or(i64::MIN / 2);
        let rate = |days: i64| {
            (1.0 - HARD_CEILING_FRACTION)
                .powf(days.clamp(0, 10 * 365) as f64 / f64::from(HARD_CEILING_DAYS as u32))
        };
        if after / before < rate(day - since) - 1e-9 {
            return false;
        }
        // Nor faster than the ceiling's rate since just before any change of the class in
        // the last two weeks: a cut of another drug a week ago counts too.
        let window = day - i64::from(HARD_CEILING_DAYS);
        members
            .iter()
            .flat_map(|&j| self.tracks[j].history.iter().map(|(d, _)| *d))
            .filter(|d| *d > window && *d < day)
            .all(|d| {
                let then: f64 = members
                    .iter()
                    .map(|&j| self.tracks[j].dose_at(d - 1).as_f64() * factor(j))
                    .sum();
                after >= then * rate(day - d) - 1e-9
            })
    }

    /// The last step of a drug: stopped.
    fn stop(&self, i: usize) -> Outcome {
        Outcome::Step {
            slots: [Amount::ZERO; 4],
            change: Change::Stopped,
            aim: None,
            step_notes: vec![Notice::Stopped {
                substance: self.drugs[i].name.clone(),
            }],
            catch_up: false,
        }
    }

    fn evaluate(
        &self,
        i: usize,
        day: i64,
        r: &Reduction,
        limits: &Limits,
        max_step: f64,
        request: &PlanRequest,
    ) -> Outcome {
        let t = &self.tracks[i];
        let a = t.total();
        if a.is_zero() || (!t.target.is_zero() && a <= t.target) {
            return Outcome::Done;
        }
        let point = curve::at(&t.curve, day);
        let interval = point.map_or_else(|| track_interval(t, r), |p| p.interval);
        let held = day - t.last_change;
        let held_in_plan = day - t.last_change.max(t.taper_start.unwrap_or(day) - interval);
        // The last dose is held inside the plan before a stop: a drug already at its
        // smallest dose is not stopped on the plan's first day.
        let held_before_stop = day - t.last_change.max(t.taper_start.unwrap_or(day));
        // The end rule: below the chosen share of the starting dose, the last dose is
        // held and then stopped.
        if let Some(percent) = limits.stop_below_percent
            && t.target.is_zero()
            && a.as_f64() <= t.start_total.as_f64() * percent / 100.0 + 1e-9
        {
            if held_before_stop >= i64::from(limits.final_hold_weeks) * 7 {
                return self.stop(i);
            }
            return Outcome::Wait;
        }
        // The aim: the curve's point for today.
        let aim = match point {
            Some(p) => p.dose,
            None => strategy_aim(t, r, a, held as f64 / interval as f64),
        }
        .max(t.target.as_f64());
        // The largest step: the maximum, or an opening phase's own percent; a step back
        // to a curve that itself moves no faster may be `catch_up` larger.
        // The opening phases are each drug's first reductions (however late they come).
        let phase_step = curve::opening_phase(&request.phases, t.reductions)
            .and_then(|k| request.phases.get(k))
            .map_or(max_step, |p| (p.percent / 100.0).max(max_step));
        let normal_floor = a.as_f64() * (1.0 - phase_step);
        // A dose at or below the curve waits for it while the products can make a step
        // within the maximum; where they cannot, the hold rule of a larger step below
        // decides, as it does for the last dose.
        if a.as_f64() <= aim + 1e-9
            && best_cut(
                &t.menu,
                &t.slots,
                Amount((normal_floor * 1e6).ceil() as i64),
                a,
                t.rule,
            )
            .is_some()
        {
            return Outcome::Wait;
        }
        let curve_within = point.is_none_or(|p| p.dose >= p.before * (1.0 - phase_step) - 1e-6);
        let catch_up = aim < normal_floor - 1e-9 && curve_within;
        let floor_step = if catch_up {
            a.as_f64() * (1.0 - phase_step * (1.0 + self.catch_up))
        } else {
            normal_floor
        };
        let ceiling_floor =
            t.dose_at(day - i64::from(HARD_CEILING_DAYS)).as_f64() * (1.0 - HARD_CEILING_FRACTION);
        let desired = aim
            .max(floor_step)
            .max(ceiling_floor)
            .max(t.target.as_f64());
        let desired = Amount((desired * 1e6).ceil() as i64);
        if let Some(slots) = best_cut(&t.menu, &t.slots, desired, a, t.rule) {
            let mut notes = Vec::new();
            if aim < floor_step - 1e-9 && !curve_within {
                notes.push(Notice::Capped {
                    substance: self.drugs[i].name.clone(),
                    max_percent: limits.max_step_percent,
                });
            }
            let catch_up = catch_up && slots_total(&slots).as_f64() < normal_floor - 1e-9;
            return Outcome::Step {
                slots,
                change: Change::Reduced,
                aim: Some(desired),
                step_notes: notes,
                catch_up,
            };
        }
        let Some(slots) = largest_cut(&t.menu, &t.slots, a, t.target, t.rule) else {
            return Outcome::Done;
        };
        let g = slots_total(&slots);
        if !t.target.is_zero() && g < t.target {
            return Outcome::Done;
        }
        if g.is_zero() {
            // The last dose: held, then stopped.
            if held_before_stop >= i64::from(limits.final_hold_weeks) * 7 {
                return self.stop(i);
            }
            return Outcome::Wait;
        }
        // A step larger than the products allow otherwise waits until the curve has
        // come halfway (geometrically) from the dose to the step's: the plan is then as
        // much above the curve before it as below after it, neither slower nor faster
        // than asked on the whole.
        if point.is_some() && aim > (a.as_f64() * g.as_f64()).sqrt() + 1e-9 {
            return Outcome::Wait;
        }
        let cut = 1.0 - g.as_f64() / a.as_f64();
        let rate_ok = 1.0 - cut
            >= (1.0 - HARD_CEILING_FRACTION)
                .powf(held_in_plan as f64 / f64::from(HARD_CEILING_DAYS as u32))
                - 1e-9;
        if held_in_plan >= 2 * interval && rate_ok {
            return Outcome::Step {
                slots,
                change: Change::Granular,
                aim: Some(desired),
                step_notes: vec![Notice::Granular {
                    substance: self.drugs[i].name.clone(),
                    cut_percent: (cut * 1000.0).round() / 10.0,
                    finer: t.finer.clone(),
                    oral: t.oral.clone().filter(|_| cut >= 0.25 - 1e-9),
                }],
                catch_up: false,
            };
        }
        Outcome::Wait
    }
}

fn clone_track_shallow(t: &Track) -> Track {
    Track {
        menu: t.menu.clone(),
        slots: t.slots,
        start_total: t.start_total,
        target: t.target,
        last_change: t.last_change,
        history: Vec::new(),
        baseline_total: t.baseline_total,
        state: t.state,
        next_check: t.next_check,
        taper_start: t.taper_start,
        low_dose_noted: true,
        ed50: t.ed50,
        rule: t.rule,
        change_days: t.change_days,
        finer: None,
        oral: None,
        curve: Vec::new(),
        reductions: 0,
    }
}

/// Drugs whose doses add up: a unit of equivalents, or the drug alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClassKey {
    Unit(EquivalentUnit),
    Drug(usize),
}

/// The day each class last changed.
#[derive(Debug, Default)]
struct ClassDays(Vec<(ClassKey, i64)>);

impl ClassDays {
    fn get(&self, key: ClassKey) -> Option<i64> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, d)| *d)
    }

    fn insert_or_update(&mut self, key: ClassKey, day: i64) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = day,
            None => self.0.push((key, day)),
        }
    }
}

fn class_key(drug: &PlanDrug, index: usize) -> ClassKey {
    match &drug.factor {
        Some(f) => ClassKey::Unit(f.unit),
        None => ClassKey::Drug(index),
    }
}

enum Outcome {
    Wait,
    Step {
        slots: Slots,
        change: Change,
        aim: Option<Amount>,
        step_notes: Vec<Notice>,
        /// The step is larger than the maximum to get back to the curve.
        catch_up: bool,
    },
    Done,
}

fn is_low_dose(t: &Track, r: &Reduction) -> bool {
    match r {
        Reduction::Slow { low_dose, .. } => {
            t.total().as_f64() < t.start_total.as_f64() * low_dose.below_percent_of_start / 100.0
        }
        _ => false,
    }
}

/// The first day from `day` a step of the track may fall on: any day, or for a patch the
/// next day its patch is changed anyway (the plan's first day counts as a change day),
/// so a patient never changes a patch early for a step.
fn on_change_day(t: &Track, day: i64) -> i64 {
    match t.change_days {
        Some(c) if c > 1 => day.div_euclid(c) * c + if day.rem_euclid(c) == 0 { 0 } else { c },
        _ => day,
    }
}

/// The day after `day` a track is next looked at: its curve's next point, or one
/// interval on once the curve has ended.
fn next_check_day(t: &Track, r: &Reduction, day: i64) -> i64 {
    t.curve
        .iter()
        .find(|p| p.day > day)
        .map_or_else(|| day + track_interval(t, r), |p| p.day)
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Days between checks for a track at its current dose.
fn track_interval(t: &Track, r: &Reduction) -> i64 {
    let base = i64::from(r.interval_weeks()) * 7;
    match r {
        Reduction::Slow {
            low_dose,
            interval_weeks,
            ..
        } if is_low_dose(t, r) => {
            i64::from(low_dose.interval_weeks.unwrap_or(interval_weeks * 2)) * 7
        }
        _ => base,
    }
}

/// Where the strategy's curve is after `n` intervals from dose `a`.
fn strategy_aim(t: &Track, r: &Reduction, a: Amount, n: f64) -> f64 {
    let a = a.as_f64();
    match r {
        Reduction::Slow {
            percent, low_dose, ..
        } => {
            let p = if is_low_dose(t, r) {
                low_dose.percent.unwrap_or(*percent)
            } else {
                *percent
            };
            a * (1.0 - p / 100.0).powf(n)
        }
        Reduction::Hyperbolic {
            occupancy_percent, ..
        } => {
            let k = t.ed50.unwrap_or(1.0);
            let occupancy = |d: f64| d / (k + d);
            let step = occupancy(t.start_total.as_f64()) * occupancy_percent / 100.0;
            let o = occupancy(a) - n * step;
            if o <= 0.0 { 0.0 } else { k * o / (1.0 - o) }
        }
        Reduction::Linear {
            percent_of_start, ..
        } => (a - n * t.start_total.as_f64() * percent_of_start / 100.0).max(0.0),
    }
}

/// A drug's step from its slots.
///
/// Each dose is made of the products in `preferred` where that costs at most one piece
/// more (the plan's fewest products: `keep_to_fewest_products`), else its best way.
pub(crate) fn drug_step(
    menu: &Menu,
    slots: &Slots,
    change: Change,
    aim: Option<Amount>,
    preferred: &[u16],
) -> DrugStep {
    let doses = std::array::from_fn(|k| {
        let a = slots[k];
        if a.is_zero() {
            None
        } else {
            let combo = menu
                .exact_preferring(a, preferred)
                .expect("every planned dose is achievable");
            Some(Dose {
                amount: a,
                parts: combo.parts.clone(),
            })
        }
    });
    DrugStep {
        doses,
        per_day: slots_total(slots),
        aim,
        ideal: None,
        change,
    }
}

/// Makes drug `i`'s doses in every step of the fewest products that can make them all
/// (each dose at most one piece more than its best way), preferring the products in
/// `now` when several sets are as small; returns the products the doses are made of.
fn keep_to_fewest_products(menu: &Menu, steps: &mut [Step], i: usize, now: &[u16]) -> Vec<u16> {
    let amounts: Vec<Amount> = {
        let mut v: Vec<Amount> = steps
            .iter()
            .flat_map(|s| s.drugs[i].doses.iter().flatten().map(|d| d.amount))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let used = {
        let mut all: Vec<u16> = steps
            .iter()
            .flat_map(|s| products_in(&s.drugs[i]))
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    if used.len() <= 1 || used.iter().any(|p| *p >= 32) {
        return used;
    }
    // Each amount's ways as bit sets of products; a set of products fits when every
    // amount has a way inside it.
    let bits = |ps: &mut dyn Iterator<Item = u16>| ps.fold(0u32, |m, p| m | (1 << p));
    let ways: Vec<Vec<u32>> = amounts
        .iter()
        .map(|a| {
            menu.ways(*a)
                .map(|c| bits(&mut c.parts.iter().map(|p| p.product)))
                .collect()
        })
        .collect();
    let now_bits = bits(&mut now.iter().copied());
    let fits = |set: u32| ways.iter().all(|w| w.iter().any(|m| m & !set == 0));
    // Subsets of the products used, smallest first, then most overlap with `now`.
    let mut subsets: Vec<u32> = (1u32..(1 << used.len()))
        .map(|mask| {
            used.iter()
                .enumerate()
                .filter(|(k, _)| mask & (1 << k) != 0)
                .fold(0u32, |m, (_, p)| m | (1 << p))
        })
        .collect();
    subsets.sort_by_key(|set| {
        (
            set.count_ones(),
            std::cmp::Reverse((set & now_bits).count_ones()),
        )
    });
    let Some(set) = subsets.into_iter().find(|set| fits(*set)) else {
        return used;
    };
    let set: Vec<u16> = (0..32u16).filter(|p| set & (1 << p) != 0).collect();
    for s in steps.iter_mut() {
        for dose in s.drugs[i].doses.iter_mut().flatten() {
            if let Some(c) = menu.exact_preferring(dose.amount, &set) {
                dose.parts = c.parts.clone();
            }
        }
    }
    set
}

/// The products a drug's doses are made of during a step.
pub(crate) fn products_in(ds: &DrugStep) -> Vec<u16> {
    let mut out: Vec<u16> = ds
        .doses
        .iter()
        .flatten()
        .flat_map(|d| d.parts.iter().map(|p| p.product))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Equivalents of a step.
pub(crate) fn totals(drugs: &[PlanDrug], steps: &[DrugStep]) -> Vec<StepTotal> {
    let mut out = Vec::new();
    for unit in [EquivalentUnit::De, EquivalentUnit::Mme] {
        let mut any = false;
        let mut sum = 0.0;
        for (d, s) in drugs.iter().zip(steps) {
            if let Some(f) = d.factor.as_ref().filter(|f| f.unit == unit) {
                any = true;
                sum += s.per_day.as_f64() * f.factor;
            }
        }
        if any {
            out.push(StepTotal {
                unit,
                per_day: (sum * 1e6).round() / 1e6,
            });
        }
    }
    out
}

/// Keeps a step's dose `weeks` longer: the step and every later one move.
pub fn apply_hold(plan: &mut Plan, step: usize, weeks: u32, reason: &str) -> Result<(), Problem> {
    let k = step
        .checked_sub(1)
        .filter(|k| *k < plan.steps.len())
        .ok_or(Problem::NoSuchStep { step })?;
    let extra = on_change_days(plan, i64::from(weeks) * 7);
    shift_after(plan, k, extra);
    plan.steps[k].notes.push(Notice::Hold {
        weeks,
        reason: reason.to_owned(),
    });
    Ok(())
}

/// Makes a step last `weeks` (whole patch-change intervals with a patch): every later
/// step moves. Refused when the plan would then break an invariant it kept (the ceiling
/// of 25 % in two weeks, the last dose's hold), or for the plan's last step (it has no
/// end).
fn set_step_length(
    plan: &mut Plan,
    data: &ReferenceData,
    step: usize,
    weeks: u32,
) -> Result<(), Problem> {
    let k = step
        .checked_sub(1)
        .filter(|k| *k < plan.steps.len())
        .ok_or(Problem::NoSuchStep { step })?;
    let Some(days) = plan.steps[k].days else {
        return Err(Problem::LastStep { step });
    };
    let wanted = on_change_days(plan, i64::from(weeks) * 7);
    let before = plan.clone();
    shift_after(plan, k, wanted - i64::from(days));
    // Shorter may break the ceiling or the last dose's hold: any invariant the plan kept.
    let broken = |p: &Plan| crate::check::check(p, data).len();
    if wanted < i64::from(days) && broken(plan) > broken(&before) {
        *plan = before;
        return Err(Problem::TooShort { step });
    }
    Ok(())
}

/// `days` rounded up to whole patch-change intervals when the plan has a patch (and to
/// the weekly rhythm too when drugs are tapered in parallel).
fn on_change_days(plan: &Plan, days: i64) -> i64 {
    let change = plan
        .drugs
        .iter()
        .filter(|d| d.route == Route::Transdermal)
        .flat_map(|d| d.products.iter().filter_map(|p| p.change_hours))
        .filter(|h| *h >= 24 && h % 24 == 0)
        .map(|h| i64::from(h / 24))
        .fold(1, |acc, c| acc * c / gcd(acc, c));
    // Drugs tapered in parallel keep the weekly rhythm too.
    let change = if change > 1 && plan.request.multi == MultiDrug::Parallel && plan.drugs.len() > 1
    {
        change * 7 / gcd(change, 7)
    } else {
        change
    };
    days.div_euclid(change) * change
        + if days.rem_euclid(change) == 0 {
            0
        } else {
            change
        }
}

/// Moves every step after step `k` (0-based) by `days` (negative: earlier) and
/// lengthens step `k` by as much; the ideal curve moves with them.
fn shift_after(plan: &mut Plan, k: usize, days: i64) {
    let from_day = (plan.steps[k].start - plan.request.start).get_days();
    if let Some(length) = plan.steps[k].days.as_mut() {
        *length = (i64::from(*length) + days).max(1) as u32;
    }
    for s in plan.steps.iter_mut().skip(k + 1) {
        s.start = s.start.saturating_add(Span::new().days(days));
    }
    for curve in &mut plan.ideal {
        for p in curve.iter_mut() {
            if i64::from(p.day) > i64::from(from_day) {
                p.day = (i64::from(p.day) + days).max(0) as u32;
            }
        }
    }
}

/// mg a day of a step's drug (patches converted), for summaries.
pub fn step_mg_per_day(plan: &Plan, drug: usize, step: &DrugStep) -> f64 {
    mg_per_day(plan.drugs[drug].route, step.per_day)
}
