//! Setting up a run: each drug of the request resolved into a track with its products,
//! dose-time rule and goal, the switch to diazepam if asked for, and the taper order.

use crate::achievable::Menu;
use crate::amount::Amount;
use crate::error::{InputError, Problem};
use crate::notice::Notice;
use crate::plan::*;
use crate::reference::{DrugClass, Product, ProductKind, ReferenceData, Route};
use crate::regimen::{ResolvedDrug, Slots};
use crate::rules::RuleId;

use crate::convert::Tables;

use super::cut::best_cut;
use super::defaults::rule_or;
use super::track::{State, Track};

/// The switch as resolved from the request and the rules.
#[derive(Debug, Clone)]
pub(super) struct SwitchPlan {
    /// Tracks switched to diazepam, in order.
    pub switched: Vec<usize>,
    /// The diazepam track.
    pub dz: usize,
    /// Days between portions.
    pub every: i64,
    /// Per track, the portion in the drug's unit (0 for tracks not switched).
    pub portion: Vec<f64>,
    /// Diazepam mg a day: the ceiling.
    pub max_per_day: f64,
    /// Diazepam mg a day and per dose above which the prescriber confirms separately: the
    /// rules' values, or the plan's when lower — a request cannot raise them.
    pub confirm_above: (f64, f64),
    /// Diazepam mg a day given as one dose.
    pub one_dose_up_to: f64,
}

pub(super) struct Setup<'a> {
    pub(super) data: &'a ReferenceData,
    pub(super) drugs: Vec<PlanDrug>,
    pub(super) tracks: Vec<Track>,
    /// The switch to diazepam, if asked for.
    pub(super) switch: Option<SwitchPlan>,
    /// Taper order (track indices); for parallel all start together.
    pub(super) order: Vec<usize>,
    pub(super) parallel: bool,
    pub(super) baseline: Vec<Slots>,
    pub(super) de_table: String,
    pub(super) mme_table: String,
    /// The plan's first day.
    pub(super) start: jiff::civil::Date,
    /// How much larger than the maximum a step back to the curve may be (a share of it).
    pub(super) catch_up: f64,
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

/// The plan drug a request names (substance id or name), or the error for `field`.
pub(super) fn plan_drug(
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

/// The plan's drugs as set up so far, each with its track and its baseline doses.
#[derive(Default)]
struct Drugs {
    drugs: Vec<PlanDrug>,
    tracks: Vec<Track>,
    baseline: Vec<Slots>,
}

impl Drugs {
    /// Adds a drug of the regimen, or diazepam `added` by a switch; `field` names it in
    /// a fault (a dose its products cannot make).
    fn add(
        &mut self,
        data: &ReferenceData,
        request: &PlanRequest,
        tables: Tables<'_>,
        d: &ResolvedDrug<'_>,
        added: bool,
        field: String,
    ) -> Result<(), InputError> {
        let menu = Menu::new(&d.products, &request.limits.dose);
        if let Some(dose) = d
            .slots
            .iter()
            .find(|s| !s.is_zero() && menu.exact(**s).is_none())
        {
            return Err(InputError::new(
                field,
                Problem::CannotMake {
                    dose: dose.sv(),
                    products: d
                        .products
                        .iter()
                        .map(|p| p.display_name())
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            ));
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
        self.drugs.push(PlanDrug {
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
        self.baseline.push(d.slots);
        self.tracks.push(Track {
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
            rule: dose_time_rule(data, request, d),
            oral,
            finer,
            curve: Vec::new(),
            reductions: 0,
        });
        Ok(())
    }
}

/// The dose-time rule for a drug: the request's for its substance, or the reference
/// data's for its group.
fn dose_time_rule(
    data: &ReferenceData,
    request: &PlanRequest,
    d: &ResolvedDrug<'_>,
) -> crate::rules::DoseTimeRule {
    request
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
        })
}

impl<'a> Setup<'a> {
    /// Sets a plan up: its drugs and their tracks, the switch to diazepam, the goals and
    /// the order of the taper — each checked, a fault naming the request's field.
    pub(super) fn new(
        data: &'a ReferenceData,
        request: &PlanRequest,
        resolved: &[ResolvedDrug<'a>],
        tables: Tables<'a>,
        warnings: &mut Vec<Notice>,
    ) -> Result<Setup<'a>, InputError> {
        let mut set = Drugs::default();
        for (i, d) in resolved.iter().enumerate() {
            set.add(data, request, tables, d, false, format!("drugs[{i}].doses"))?;
        }
        let switch = match &request.substitution {
            Some(sub) => Some(switch_plan(
                data, request, sub, resolved, tables, warnings, &mut set,
            )?),
            None => None,
        };
        // A dose-time rule names a drug of the plan.
        for (k, c) in request.dose_times.iter().enumerate() {
            plan_drug(
                data,
                &set.drugs,
                &c.substance,
                format!("dose_times[{k}].substance"),
            )?;
        }
        set_goals(data, request, switch.as_ref(), &mut set)?;
        if matches!(request.pace(), Reduction::Hyperbolic { .. }) {
            check_ed50(data, &set, warnings)?;
        }
        let (order, parallel) = taper_order(data, request, switch.as_ref(), &set.drugs)?;
        let Drugs {
            drugs,
            tracks,
            baseline,
        } = set;
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
}

/// The switch to diazepam: the benzodiazepines and Z-drugs other than diazepam are
/// switched, diazepam is added when the regimen lacks it, each portion in equivalents.
fn switch_plan(
    data: &ReferenceData,
    request: &PlanRequest,
    sub: &Substitution,
    resolved: &[ResolvedDrug<'_>],
    tables: Tables<'_>,
    warnings: &mut Vec<Notice>,
    set: &mut Drugs,
) -> Result<SwitchPlan, InputError> {
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
            set.add(data, request, tables, &dz, true, "substitution".into())?;
            set.drugs.len() - 1
        }
    };
    let portion_de = rule_or(data, RuleId::SwitchPortionDe, sub.portion_de, warnings);
    let mut portion: Vec<f64> = (0..set.tracks.len())
        .map(|i| {
            set.drugs[i]
                .factor
                .as_ref()
                .filter(|f| f.factor > 0.0 && switched.contains(&i))
                .map(|f| portion_de / f.factor)
                .unwrap_or(0.0)
        })
        .collect();
    for (k, p) in sub.portions.iter().enumerate() {
        let field = format!("substitution.portions[{k}].substance");
        let i = plan_drug(data, &set.drugs, &p.substance, field.clone())?;
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
    Ok(SwitchPlan {
        switched,
        dz,
        every: i64::from(sub.interval_weeks) * 7,
        portion,
        max_per_day: rule_or(data, RuleId::DiazepamMaxPerDay, sub.max_per_day, warnings),
        one_dose_up_to: rule_or(data, RuleId::DiazepamOneDoseUpTo, None, warnings),
        confirm_above: (
            data.rule(RuleId::DiazepamMaxPerDay)
                .value
                .value
                .min(sub.max_per_day.unwrap_or(f64::INFINITY)),
            rule_or(data, RuleId::DiazepamMaxPerDose, None, warnings)
                .min(sub.max_per_dose.unwrap_or(f64::INFINITY)),
        ),
    })
}

/// Each goal: a drug of the plan, below its dose, not a switched drug's unless it is
/// to stop, and reachable — its first step exists.
fn set_goals(
    data: &ReferenceData,
    request: &PlanRequest,
    switch: Option<&SwitchPlan>,
    set: &mut Drugs,
) -> Result<(), InputError> {
    for (g_i, g) in request.goals.iter().enumerate() {
        let field = format!("goals[{g_i}]");
        let i = plan_drug(data, &set.drugs, &g.substance, format!("{field}.substance"))?;
        let target = Amount::from_f64(g.target)
            .filter(|t| t.0 >= 0)
            .ok_or_else(|| InputError::new(format!("{field}.target"), Problem::NotPositive))?;
        let total = set.tracks[i].total();
        if target >= total && !total.is_zero() {
            return Err(InputError::new(
                format!("{field}.target"),
                Problem::OutOfRange {
                    min: "0".into(),
                    max: total.as_f64().to_string(),
                },
            ));
        }
        if let Some(sw) = switch
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
        let t = &set.tracks[i];
        if !target.is_zero() && best_cut(&t.menu, &t.slots, target, t.total(), t.rule).is_none() {
            return Err(InputError::new(
                format!("{field}.target"),
                Problem::CannotMake {
                    dose: target.sv(),
                    products: set.drugs[i]
                        .products
                        .iter()
                        .map(|p| p.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            ));
        }
        set.drugs[i].target = target;
        set.tracks[i].target = target;
    }
    Ok(())
}

/// A hyperbolic pace needs every drug's ED50; an unverified one is noted.
fn check_ed50(
    data: &ReferenceData,
    set: &Drugs,
    warnings: &mut Vec<Notice>,
) -> Result<(), InputError> {
    for (d, t) in set.drugs.iter().zip(&set.tracks) {
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
    Ok(())
}

/// The taper order — the regimen's, a chosen one, or all together — and whether the
/// drugs go in parallel. Switched drugs are replaced by diazepam at the place of the
/// first of them.
fn taper_order(
    data: &ReferenceData,
    request: &PlanRequest,
    switch: Option<&SwitchPlan>,
    drugs: &[PlanDrug],
) -> Result<(Vec<usize>, bool), InputError> {
    let mut order: Vec<usize> = (0..drugs.len()).collect();
    let mut parallel = false;
    match &request.multi {
        MultiDrug::Staggered {} => {}
        MultiDrug::Parallel {} => parallel = true,
        MultiDrug::Ordered { order: names } => {
            let mut chosen = Vec::new();
            for (k, n) in names.iter().enumerate() {
                let i = plan_drug(data, drugs, n, format!("multi.order[{k}]"))?;
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
    if let Some(sw) = switch {
        let first = order
            .iter()
            .position(|i| sw.switched.contains(i) || *i == sw.dz)
            .unwrap_or(0);
        order.retain(|i| !sw.switched.contains(i) && *i != sw.dz);
        order.insert(first.min(order.len()), sw.dz);
    }
    Ok((order, parallel))
}
