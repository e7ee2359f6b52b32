//! The taper engine in the web application: the calculator (a plan from a regimen, with
//! its warnings, steps, chart, handout, PDF and calendar) and the unit's reference data
//! as the engine uses it (`taper_settings` shows and changes it). No page here reads or
//! stores patient data.

use std::sync::Arc;

use crate::{chart, handout};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use serde::{Deserialize, Serialize};
use trappa_i18n::{Locale, fill};
use trappa_store::taper_settings::TaperSettingsVersion;
use trappa_taper::flags::{MultiArg, RequestFlags, StrategyArg, flag_for_field, request_from_args};
use trappa_taper::notice::Notice;
use trappa_taper::output::{amount_text, day_lines};
use trappa_taper::reference::{Route, UnitSettings};
use trappa_taper::{InputError, Plan, ReferenceData};

use crate::access::Authed;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, FieldError};
use crate::extract::Query;
use crate::i18n::M;
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, form_response, page};
use crate::state::AppState;

/// A unit's taper choices: its stored settings (parsed here, and only here), their
/// version, and the reference data with them applied (made once per settings version).
pub struct UnitTaper {
    /// The reference data the unit's plans use.
    pub data: Arc<ReferenceData>,
    /// The unit's settings (the defaults when it has none).
    pub settings: UnitSettings,
    /// The current settings version, if any.
    pub current: Option<TaperSettingsVersion>,
}

impl UnitTaper {
    /// The unit's engine for the plan use cases.
    pub fn engine<'a>(&'a self, state: &'a AppState) -> trappa_app::plans::Engine<'a> {
        trappa_app::plans::Engine {
            data: &self.data,
            policy: &self.settings.adaptation,
            instruments: state.instruments(),
        }
    }
}

/// The user's unit's taper choices.
pub async fn unit_taper(state: &AppState, user: &User) -> Result<UnitTaper, AppError> {
    let shipped = || UnitTaper {
        data: state.reference_arc(),
        settings: UnitSettings::default(),
        current: None,
    };
    let Some(unit) = user.unit_id else {
        return Ok(shipped());
    };
    let Some(current) = state.store().taper_settings(unit).await? else {
        return Ok(shipped());
    };
    let corrupt = |e: &dyn std::fmt::Display| {
        AppError::Internal(anyhow::anyhow!("stored taper settings: {e}"))
    };
    let settings: UnitSettings =
        serde_json::from_str(&current.settings).map_err(|e| corrupt(&e))?;
    let data = state
        .reference_for((unit, current.version), |base| {
            // A product a later data version no longer has cannot be in use anyway.
            let mut applied = settings.clone();
            applied
                .disabled_products
                .retain(|id| base.product(id).is_some());
            base.for_unit(&applied)
        })
        .map_err(|e| corrupt(&e))?;
    Ok(UnitTaper {
        data,
        settings,
        current: Some(current),
    })
}

/// The reference data with the user's unit's choices applied, and their version.
pub async fn unit_reference(
    state: &AppState,
    user: &User,
) -> Result<(Arc<ReferenceData>, Option<TaperSettingsVersion>), AppError> {
    let t = unit_taper(state, user).await?;
    Ok((t.data, t.current))
}

/// The unit's adaptation policy (the default when it has chosen none).
pub async fn unit_policy(
    state: &AppState,
    user: &User,
) -> Result<trappa_taper::adapt::Policy, AppError> {
    Ok(unit_taper(state, user).await?.settings.adaptation)
}

/// The calculator's fields (a GET form: computing a plan changes nothing).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CalcQuery {
    drug1: String,
    dose1: String,
    drug2: String,
    dose2: String,
    drug3: String,
    dose3: String,
    strategy: String,
    percent: String,
    interval: String,
    max_step: String,
    phase_steps: String,
    phase_percent: String,
    phase_weeks: String,
    start: String,
    goal: String,
    multi: String,
    table_de: String,
    table_mme: String,
    special: String,
}

const DRUG_FIELDS: [(&str, &str); 3] = [("drug1", "dose1"), ("drug2", "dose2"), ("drug3", "dose3")];

impl CalcQuery {
    fn drugs(&self) -> [(&str, &str); 3] {
        [
            (self.drug1.as_str(), self.dose1.as_str()),
            (self.drug2.as_str(), self.dose2.as_str()),
            (self.drug3.as_str(), self.dose3.as_str()),
        ]
    }

    fn is_empty(&self) -> bool {
        self.drugs().iter().all(|(d, _)| d.trim().is_empty())
    }

    fn query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// The form's fields as the command line's arguments, so both share one translation
/// into a request; `slots` maps the n-th given drug back to its form row.
fn to_args(q: &CalcQuery, locale: Locale) -> Result<(RequestFlags, Vec<usize>), Vec<FieldError>> {
    let mut args = RequestFlags::default();
    let mut slots = Vec::new();
    let mut errors = Vec::new();
    for (row, (drug, dose)) in q.drugs().iter().enumerate() {
        match (opt(drug), opt(dose)) {
            (Some(d), Some(x)) => {
                args.drugs.push(d);
                args.doses.push(x);
                slots.push(row);
            }
            (Some(_), None) => errors.push(FieldError {
                field: DRUG_FIELDS[row].1.into(),
                message: InputError::new(DRUG_FIELDS[row].1, trappa_taper::Problem::Missing)
                    .message(locale),
            }),
            _ => {}
        }
    }
    if slots.is_empty() && errors.is_empty() {
        errors.push(FieldError {
            field: "drug1".into(),
            message: InputError::new("drug1", trappa_taper::Problem::Missing).message(locale),
        });
    }
    args.strategy = match q.strategy.as_str() {
        "hyperbolic" => Some(StrategyArg::Hyperbolic),
        "linear" => Some(StrategyArg::Linear),
        "substitution" => Some(StrategyArg::Substitution),
        _ => Some(StrategyArg::Slow),
    };
    args.multi = Some(if q.multi == "parallel" {
        MultiArg::Parallel
    } else {
        MultiArg::Staggered
    });
    // The opening phase: all three of its fields, or none; steps and weeks whole
    // numbers, the percent a number (the engine checks the ranges again).
    let phase = [
        ("phase_steps", opt(&q.phase_steps), Some(26)),
        ("phase_percent", opt(&q.phase_percent), None),
        ("phase_weeks", opt(&q.phase_weeks), Some(12)),
    ];
    if phase.iter().any(|(_, v, _)| v.is_some()) {
        let faults: Vec<FieldError> = phase
            .iter()
            .filter_map(|(field, value, whole_up_to)| {
                let problem = match (value, whole_up_to) {
                    (None, _) => trappa_taper::Problem::Missing,
                    (Some(v), Some(max))
                        if !v.parse::<u32>().is_ok_and(|n| (1..=*max).contains(&n)) =>
                    {
                        trappa_taper::Problem::OutOfRange {
                            min: "1".into(),
                            max: max.to_string(),
                        }
                    }
                    // The percent a number (the engine checks its range).
                    (Some(v), None) if trappa_taper::amount::parse_decimal(v).is_none() => {
                        trappa_taper::Problem::OutOfRange {
                            min: "0.5".into(),
                            max: "25".into(),
                        }
                    }
                    _ => return None,
                };
                Some(FieldError {
                    field: (*field).into(),
                    message: InputError::new(*field, problem).message(locale),
                })
            })
            .collect();
        if faults.is_empty() {
            args.phases = vec![
                phase
                    .iter()
                    .filter_map(|(_, v, _)| v.as_deref())
                    .collect::<Vec<_>>()
                    .join(":"),
            ];
        }
        errors.extend(faults);
    }
    args.percent = opt(&q.percent);
    args.interval = opt(&q.interval);
    args.max_step = opt(&q.max_step);
    args.start = opt(&q.start);
    args.goals = opt(&q.goal).into_iter().collect();
    args.special = q.special == "1";
    args.table_de = opt(&q.table_de);
    args.table_mme = opt(&q.table_mme);
    if errors.is_empty() {
        Ok((args, slots))
    } else {
        Err(errors)
    }
}

/// The form field an engine error is about.
fn form_field(flag: &str, slots: &[usize]) -> &'static str {
    let indexed = |prefix: &str| -> Option<usize> {
        flag.strip_prefix(prefix)?
            .strip_prefix('[')?
            .split(']')
            .next()?
            .parse()
            .ok()
    };
    if let Some(i) = indexed("--drug") {
        return DRUG_FIELDS[slots.get(i).copied().unwrap_or(0)].0;
    }
    if let Some(i) = indexed("--dose") {
        return DRUG_FIELDS[slots.get(i).copied().unwrap_or(0)].1;
    }
    match flag.split('[').next().unwrap_or(flag) {
        "--percent" | "--low-dose-percent" => "percent",
        "--interval" | "--low-dose-interval" => "interval",
        "--max-step" => "max_step",
        "--start" => "start",
        "--goal" => "goal",
        "--table-de" => "table_de",
        "--table-mme" => "table_mme",
        "--strategy" | "--strategy substitution" | "--switch-interval" | "--switch-portion" => {
            "strategy"
        }
        "--multi" | "--order" => "multi",
        "--phase" => "phase_steps",
        _ => "drug1",
    }
}

/// Computes a plan for the form, or field errors in the user's language.
pub(crate) fn compute(
    data: &ReferenceData,
    q: &CalcQuery,
    ctx: &Ctx,
) -> Result<Plan, Vec<FieldError>> {
    let (args, slots) = to_args(q, ctx.locale)?;
    let today = trappa_app::clock::today();
    let result =
        request_from_args(data, &args, today).and_then(|r| trappa_taper::propose(data, &r));
    match result {
        Ok(plan) => {
            let violations = trappa_taper::check::check(&plan, data);
            if violations.is_empty() {
                Ok(plan)
            } else {
                // The incident id ties the page to the log line that says what broke.
                tracing::error!(?violations, "the taper engine broke an invariant");
                Err(vec![FieldError {
                    field: "drug1".into(),
                    message: crate::i18n::fill(
                        ctx.t(&crate::i18n::S::TAPER_ERR_UNSAFE),
                        &[("id", &ctx.request_id)],
                    ),
                }])
            }
        }
        Err(mut e) => {
            // The opening phase's own fields, by the request's path.
            let phase_field = match e.field.as_str() {
                "phases[0].steps" => Some("phase_steps"),
                "phases[0].percent" => Some("phase_percent"),
                "phases[0].interval_weeks" => Some("phase_weeks"),
                _ => None,
            };
            if !e.field.starts_with("--") {
                e.field = flag_for_field(&e.field);
            }
            let field = phase_field.unwrap_or_else(|| form_field(&e.field, &slots));
            // The message names the flag; on the page the field itself is marked.
            let message = e.message(ctx.locale);
            let message = message
                .split_once(": ")
                .map(|(_, m)| m.to_owned())
                .unwrap_or(message);
            Err(vec![FieldError {
                field: field.into(),
                message,
            }])
        }
    }
}

pub(crate) fn substance_select(
    data: &ReferenceData,
    ctx: &Ctx,
    name: &'static str,
    label: &str,
    value: &str,
    errors: &[FieldError],
) -> Markup {
    let err = field_error(errors, name);
    html! {
        div.field.field-error[err.is_some()] {
            label for=(name) { (label) }
            @if let Some(e) = err { p.error-message id={ (name) "-error" } { (e) } }
            select id=(name) name=(name) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{name}-error"))] {
                option value="" { (ctx.t(&M::TAPER_NONE)) }
                @for s in &data.substances {
                    option value=(s.id) selected[value == s.id || value == s.name] { (s.name) " (" (s.atc) ")" }
                }
            }
        }
    }
}

pub(crate) fn select_field(
    name: &'static str,
    label: &str,
    value: &str,
    options: &[(&str, &str)],
    errors: &[FieldError],
) -> Markup {
    let err = field_error(errors, name);
    html! {
        div.field.field-error[err.is_some()] {
            label for=(name) { (label) }
            @if let Some(e) = err { p.error-message id={ (name) "-error" } { (e) } }
            select id=(name) name=(name) aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{name}-error"))] {
                @for (v, l) in options { option value=(v) selected[*v == value] { (l) } }
            }
        }
    }
}

/// Where the form goes: the calculator (a GET, nothing stored), or a patient's plan (a
/// POST saving a draft, with CSRF, the version it was based on and a reason).
pub(crate) enum FormTarget<'a> {
    Calculator,
    Patient {
        action: &'a str,
        version: i64,
        reason: &'a str,
    },
}

pub(crate) fn calculator_form(
    data: &ReferenceData,
    ctx: &Ctx,
    q: &CalcQuery,
    errors: &[FieldError],
    target: FormTarget<'_>,
) -> Markup {
    let strategies = [
        ("slow", ctx.t(&M::STRAT_SLOW)),
        ("hyperbolic", ctx.t(&M::STRAT_HYPERBOLIC)),
        ("linear", ctx.t(&M::STRAT_LINEAR)),
        ("substitution", ctx.t(&M::STRAT_SUBSTITUTION)),
    ];
    let multi = [
        ("staggered", ctx.t(&M::MULTI_STAGGERED)),
        ("parallel", ctx.t(&M::MULTI_PARALLEL)),
    ];
    let tables = |unit: trappa_taper::reference::EquivalentUnit| -> Vec<(String, String)> {
        let mut v = vec![(String::new(), ctx.t(&M::TAPER_DEFAULT_TABLE).to_owned())];
        v.extend(
            data.tables
                .iter()
                .filter(|t| t.unit == unit)
                .map(|t| (t.id.clone(), t.name.clone())),
        );
        v
    };
    let de_opts = tables(trappa_taper::reference::EquivalentUnit::De);
    let mme_opts = tables(trappa_taper::reference::EquivalentUnit::Mme);
    let de_refs: Vec<(&str, &str)> = de_opts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let mme_refs: Vec<(&str, &str)> = mme_opts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    html! {
        (error_summary(ctx, errors))
        form.taper-form
            method=(if matches!(target, FormTarget::Calculator) { "get" } else { "post" })
            action=(match &target { FormTarget::Calculator => "/nedtrappning", FormTarget::Patient { action, .. } => action })
            novalidate {
            @if let FormTarget::Patient { version, .. } = &target {
                (csrf_field(ctx))
                input type="hidden" name="version" value=(version);
            }
            div.drugs {
                @for (row, (drug, dose)) in q.drugs().iter().enumerate() {
                    fieldset.drug {
                        legend { (fill(ctx.t(&M::TAPER_DRUG_N), &[("n", &(row + 1).to_string())])) }
                        (substance_select(data, ctx, DRUG_FIELDS[row].0, ctx.t(&M::TAPER_SUBSTANCE), drug, errors))
                        (Field::text(DRUG_FIELDS[row].1, ctx.t(&M::TAPER_DOSE), dose).hint(ctx.t(&M::TAPER_DOSE_HINT)).autocomplete("off").render(errors))
                    }
                }
            }
            div.options {
            (select_field("strategy", ctx.t(&M::TAPER_STRATEGY), &q.strategy, &strategies, errors))
            (Field::text("percent", ctx.t(&M::TAPER_PERCENT), &q.percent).hint(ctx.t(&M::TAPER_PERCENT_HINT)).kind("text").autocomplete("off").render(errors))
            (Field::text("interval", ctx.t(&M::TAPER_INTERVAL), &q.interval).autocomplete("off").render(errors))
            (Field::text("max_step", ctx.t(&M::TAPER_MAX_STEP), &q.max_step).hint(ctx.t(&M::TAPER_MAX_STEP_HINT)).autocomplete("off").render(errors))
            (Field::text("start", ctx.t(&M::TAPER_START), &q.start).hint(ctx.t(&M::TAPER_START_HINT)).autocomplete("off").render(errors))
            (Field::text("goal", ctx.t(&M::TAPER_GOAL), &q.goal).hint(ctx.t(&M::TAPER_GOAL_HINT)).autocomplete("off").render(errors))
            (select_field("multi", ctx.t(&M::TAPER_MULTI), &q.multi, &multi, errors))
            (select_field("table_de", ctx.t(&M::TAPER_TABLE_DE), &q.table_de, &de_refs, errors))
            (select_field("table_mme", ctx.t(&M::TAPER_TABLE_MME), &q.table_mme, &mme_refs, errors))
            }
            fieldset.phase aria-describedby="phase-hint" {
                legend { (ctx.t(&M::TAPER_PHASE)) }
                p.hint #phase-hint { (ctx.t(&M::TAPER_PHASE_HINT)) }
                div.options {
                    (Field::text("phase_steps", ctx.t(&M::TAPER_PHASE_STEPS), &q.phase_steps).kind("text").autocomplete("off").render(errors))
                    (Field::text("phase_percent", ctx.t(&M::TAPER_PHASE_PERCENT), &q.phase_percent).kind("text").autocomplete("off").render(errors))
                    (Field::text("phase_weeks", ctx.t(&M::TAPER_PHASE_WEEKS), &q.phase_weeks).kind("text").autocomplete("off").render(errors))
                }
            }
            div.field { div.checkbox {
                input #special type="checkbox" name="special" value="1" checked[q.special == "1"];
                label for="special" { (ctx.t(&M::TAPER_SPECIAL)) }
            } }
            @if let FormTarget::Patient { reason, .. } = &target {
                (Field::text("reason", ctx.t(&M::REF_REASON), reason).required().autocomplete("off").render(errors))
                button.button type="submit" { (ctx.t(&M::PLAN_SAVE_DRAFT)) }
            } @else {
                button.button type="submit" { (ctx.t(&M::TAPER_SUBMIT)) }
            }
        }
    }
}

/// The warnings a prescriber reads. `id` makes the heading's id unique on a page that
/// shows several plans; `signed`: the plan is already signed, so the heading says what
/// the warnings are rather than asking for a review before signing.
pub(crate) fn warning_list(ctx: &Ctx, warnings: &[Notice], id: &str, signed: bool) -> Markup {
    let heading_id = format!("{id}-warnings");
    let heading = if signed {
        ctx.t(&crate::i18n::C::PLAN_VALUES_TO_KNOW)
    } else {
        ctx.t(&M::TAPER_WARNINGS)
    };
    html! {
        @if !warnings.is_empty() {
            div.warning-box role="region" aria-labelledby=(heading_id) {
                h3 id=(heading_id) { (heading) }
                ul {
                    @for w in warnings {
                        li {
                            @if w.is_unverified_value() { strong.tag.yellow { (ctx.t(&M::TAPER_UNVERIFIED)) } " " }
                            (w.message(ctx.locale))
                        }
                    }
                }
            }
        }
    }
}

pub(crate) fn plan_table(ctx: &Ctx, plan: &Plan) -> Markup {
    let l = ctx.locale;
    let units: Vec<&str> = plan
        .baseline_totals
        .iter()
        .map(|t| t.unit.label())
        .collect();
    let schedule = plan.schedule();
    let periods = schedule.periods();
    let phases = plan.has_phases();
    let columns = 4 + plan.drugs.len() + units.len();
    html! {
        div.table-wrap {
            table.plan {
                thead { tr {
                    th scope="col" { (trappa_taper::text::T::H_STEP.get(l)) }
                    th scope="col" { (trappa_taper::text::T::H_FROM.get(l)) }
                    th scope="col" { (trappa_taper::text::T::TBL_DAYS.get(l)) }
                    @for d in &plan.drugs { th scope="col" { (d.name) } }
                    @for u in &units { th scope="col" { (u) } }
                    th scope="col" { (ctx.t(&M::TAPER_COL_NOTES)) }
                } }
                tbody {
                    @for (k, p) in periods.iter().enumerate() {
                        @let totals = p.step.map_or(&plan.baseline_totals, |s| &s.totals);
                        // A switch to diazepam is its own phase, named where it begins.
                        @if phases && (k == 0 || periods[k - 1].phase() != p.phase()) {
                            tr.phase { th colspan=(columns) scope="rowgroup" { (trappa_taper::output::phase_name(plan, p.phase(), l)) } }
                        }
                        tr {
                            td { (p.number()) }
                            td.date {
                                @if p.step.is_none() {
                                    (trappa_taper::text::T::H_CURRENT.get(l))
                                    @if let Some(last) = p.last_day() {
                                        br; small { (fill(trappa_taper::text::T::H_UNTIL.get(l), &[("date", &last.to_string())])) }
                                    }
                                } @else { (p.from) }
                            }
                            td.num {
                                @if let Some(until) = p.until { ((until - p.from).get_days()) } @else { "–" }
                            }
                            @for (i, d) in plan.drugs.iter().enumerate() {
                                td { (dose_cell(&p.drugs[i], l, d)) }
                            }
                            @for t in totals { td.num { (trappa_i18n::format::decimal(t.per_day, 1, l)) } }
                            td { @if let Some(s) = p.step { @for n in &s.notes { p.note { (n.message(l)) } } } }
                        }
                    }
                }
            }
        }
    }
}

fn dose_cell(
    ds: &trappa_taper::plan::DrugStep,
    l: Locale,
    drug: &trappa_taper::plan::PlanDrug,
) -> Markup {
    let lines = day_lines(drug, &ds.doses, l);
    // The rounding: what the step aimed for, the ideal curve, and the difference.
    let rounding = ds.aim.filter(|a| !a.is_zero()).map(|aim| {
        let pct = trappa_i18n::format::signed_percent(
            (ds.per_day.as_f64() / aim.as_f64() - 1.0) * 100.0,
            1,
            l,
        );
        fill(
            M::TAPER_ROUNDING.get(l),
            &[
                ("aim", &amount_text(aim, l)),
                (
                    "ideal",
                    &ds.ideal
                        .map(|i| amount_text(i, l))
                        .unwrap_or_else(|| "–".into()),
                ),
                ("pct", &pct),
            ],
        )
    });
    html! {
        strong { (amount_text(ds.per_day, l)) " " (drug.unit) }
        @if let Some(r) = rounding { br; small.rounding { (r) } }
        @if drug.route != Route::Transdermal || !lines.is_empty() {
            ul.dose-lines { @for line in lines { li { (line) } } }
        }
    }
}

pub(crate) fn quantity_table(ctx: &Ctx, plan: &Plan) -> Markup {
    let rows = trappa_taper::output::quantities::quantities(plan, 4, ctx.locale);
    html! {
        h3 #quantities { (ctx.t(&M::TAPER_QUANTITIES)) }
        div.table-wrap { table {
            thead { tr {
                th scope="col" { (trappa_taper::text::T::Q_PERIOD.get(ctx.locale)) }
                th scope="col" { (trappa_taper::text::T::Q_PRODUCT.get(ctx.locale)) }
                th scope="col" { (trappa_taper::text::T::Q_AMOUNT.get(ctx.locale)) }
            } }
            tbody { @for q in &rows { tr {
                td { (q.from) " – " (q.to) }
                td { (plan.drugs[q.drug].products.iter().find(|p| p.id == q.product).map(|p| p.name.as_str()).unwrap_or(&q.name)) }
                td.num { (amount_text(trappa_taper::Amount::from_f64(q.amount).unwrap_or_default(), ctx.locale)) " " (q.unit) }
            } } }
        } }
    }
}

/// `GET /nedtrappning`
pub async fn calculator(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<CalcQuery>,
) -> Result<Response, AppError> {
    let (data, _) = unit_reference(&state, &user).await?;
    let (errors, plan) = if q.is_empty() {
        (Vec::new(), None)
    } else {
        match compute(&data, &q, &ctx) {
            Ok(p) => (Vec::new(), Some(p)),
            Err(e) => (e, None),
        }
    };
    let qs = q.query_string();
    let body = html! {
        h1 { (ctx.t(&M::TAPER_TITLE)) }
        p.lead { (ctx.t(&M::TAPER_LEAD)) }
        @if plan.is_none() { (calculator_form(&data, &ctx, &q, &errors, FormTarget::Calculator)) }
        @if let Some(plan) = &plan {
            section.taper-result aria-labelledby="taper-result" {
                h2 #taper-result { (ctx.t(&M::TAPER_RESULT)) }
                p { (fill(ctx.t(&M::TAPER_SUMMARY), &[
                    ("steps", &plan.steps.len().to_string()),
                    ("weeks", &trappa_i18n::format::weeks(i64::from(plan.weeks()), ctx.locale)),
                    ("end", &plan.end_date().to_string()),
                    ("version", &plan.data_version),
                    ("de", data.table(&plan.de_table).map(|t| t.name.as_str()).unwrap_or(&plan.de_table)),
                    ("mme", data.table(&plan.mme_table).map(|t| t.name.as_str()).unwrap_or(&plan.mme_table)),
                ])) }
                (warning_list(&ctx, &plan.warnings, "taper", false))
                ul.links {
                    li { a href={ "/nedtrappning/patientinformation?" (qs) } { (ctx.t(&M::TAPER_PRINT)) } }
                    li { a href={ "/nedtrappning/plan.pdf?" (qs) } { (ctx.t(&M::TAPER_PDF)) } }
                    li { a href={ "/nedtrappning/plan.ics?" (qs) } { (ctx.t(&M::TAPER_ICS)) } }
                }
                figure.chart {
                    (PreEscaped(chart::chart_svg(plan, ctx.locale).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?))
                }
                (plan_table(&ctx, plan))
                (quantity_table(&ctx, plan))
            }
            h2 { (ctx.t(&M::TAPER_CHANGE)) }
            (calculator_form(&data, &ctx, &q, &errors, FormTarget::Calculator))
        }
    };
    Ok(form_response(&ctx, ctx.t(&M::TAPER_TITLE), body, &errors))
}

async fn plan_for(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    q: &CalcQuery,
) -> Result<Plan, AppError> {
    let (data, _) = unit_reference(state, user).await?;
    compute(&data, q, ctx).map_err(AppError::Invalid)
}

/// `GET /nedtrappning/patientinformation`
pub async fn handout_page(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<CalcQuery>,
) -> Result<Response, AppError> {
    let plan = plan_for(&state, &ctx, &user, &q).await?;
    let today = plan.request.start.max(trappa_app::clock::today());
    let body = handout::body(&plan, ctx.locale, today);
    Ok(page(&ctx, trappa_taper::text::T::H_TITLE.get(ctx.locale), body).into_response())
}

/// `GET /nedtrappning/plan.pdf`
pub async fn handout_pdf(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<CalcQuery>,
) -> Result<Response, AppError> {
    let plan = plan_for(&state, &ctx, &user, &q).await?;
    let today = plan.request.start.max(trappa_app::clock::today());
    crate::download::handout_pdf(&state, plan, ctx.locale, today, None).await
}

/// `GET /nedtrappning/plan.ics`
pub async fn calendar(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<CalcQuery>,
) -> Result<Response, AppError> {
    let plan = plan_for(&state, &ctx, &user, &q).await?;
    Ok(crate::download::plan_ics(
        &plan,
        ctx.locale,
        &format!("trappa-{}", ctx.request_id),
    ))
}
