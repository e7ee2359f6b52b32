//! The reference data on its page — every value with its source and V/M/U status — and
//! the unit's choices over it (products in use, default tables, an added product, how
//! plans adapt, the engine's defaults) as append-only versions with author and reason.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use trappa_i18n::{Locale, fill};
use trappa_policy::{Permission, allows};
use trappa_taper::ReferenceData;
use trappa_taper::adapt::StepBackPolicy;
use trappa_taper::output::labels;
use trappa_taper::reference::{Divisible, Form, ProductKind, Route, Status, UnitSettings};

use crate::access::Authed;
use crate::ctx::ForUser;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Query};
use crate::i18n::M;
use crate::i18n::V;
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, form_response, notice};
use crate::pages::taper::{UnitTaper, select_field, substance_select, unit_taper};
use crate::state::AppState;

fn status_tag(ctx: &Ctx, status: Status) -> Markup {
    let (class, text) = match status {
        Status::V => ("green", trappa_taper::text::T::STATUS_V.get(ctx.locale)),
        Status::M => ("yellow", trappa_taper::text::T::STATUS_M.get(ctx.locale)),
        Status::U => ("red", trappa_taper::text::T::STATUS_U.get(ctx.locale)),
    };
    html! { span.tag.(class) title=(text) { (format!("{status:?}")) } span.visually-hidden { " " (text) } }
}

/// The unit-settings form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    version: String,
    default_de_table: String,
    default_mme_table: String,
    reason: String,
    #[serde(rename = "product")]
    products: Vec<String>,
    add_substance: String,
    add_name: String,
    add_form: String,
    add_strength: String,
    add_divisible: String,
    add_kind: String,
    add_measure_ml: String,
    step_back: String,
    // The unit's defaults (`taper_rules::fields`), named by `RuleId::key`.
    switch_portion_de: String,
    diazepam_max_per_day: String,
    diazepam_max_per_dose: String,
    diazepam_one_dose_up_to: String,
    benzodiazepine_percent: String,
    benzodiazepine_interval_weeks: String,
    opioid_percent: String,
    opioid_interval_weeks: String,
    gabapentinoid_percent: String,
    gabapentinoid_interval_weeks: String,
    catch_up_percent: String,
    // Its dose-time rules, named by `DoseTimeGroup::key`.
    dose_time_anxiolytic: String,
    dose_time_hypnotic: String,
    dose_time_opioid_immediate: String,
    dose_time_opioid_modified: String,
    dose_time_gabapentinoid: String,
}

impl SettingsForm {
    /// A field by name, for the fields the form has one of per rule or group.
    fn field(&self, name: &str) -> Option<&str> {
        Some(match name {
            "version" => &self.version,
            "default_de_table" => &self.default_de_table,
            "default_mme_table" => &self.default_mme_table,
            "reason" => &self.reason,
            "add_substance" => &self.add_substance,
            "add_name" => &self.add_name,
            "add_form" => &self.add_form,
            "add_strength" => &self.add_strength,
            "add_divisible" => &self.add_divisible,
            "add_kind" => &self.add_kind,
            "add_measure_ml" => &self.add_measure_ml,
            "step_back" => &self.step_back,
            "switch_portion_de" => &self.switch_portion_de,
            "diazepam_max_per_day" => &self.diazepam_max_per_day,
            "diazepam_max_per_dose" => &self.diazepam_max_per_dose,
            "diazepam_one_dose_up_to" => &self.diazepam_one_dose_up_to,
            "benzodiazepine_percent" => &self.benzodiazepine_percent,
            "benzodiazepine_interval_weeks" => &self.benzodiazepine_interval_weeks,
            "opioid_percent" => &self.opioid_percent,
            "opioid_interval_weeks" => &self.opioid_interval_weeks,
            "gabapentinoid_percent" => &self.gabapentinoid_percent,
            "gabapentinoid_interval_weeks" => &self.gabapentinoid_interval_weeks,
            "catch_up_percent" => &self.catch_up_percent,
            "dose_time_anxiolytic" => &self.dose_time_anxiolytic,
            "dose_time_hypnotic" => &self.dose_time_hypnotic,
            "dose_time_opioid_immediate" => &self.dose_time_opioid_immediate,
            "dose_time_opioid_modified" => &self.dose_time_opioid_modified,
            "dose_time_gabapentinoid" => &self.dose_time_gabapentinoid,
            _ => return None,
        })
    }
}

/// The reference-data page: the unit's settings (a form for those who may change
/// them, with what was typed after a refusal), their versions, and the data the engine
/// uses — tables, substances, products, rules and sources.
async fn render_reference(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    errors: &[FieldError],
    saved: Option<i64>,
    typed: Option<&SettingsForm>,
) -> Result<Response, AppError> {
    let UnitTaper {
        data,
        settings,
        current,
    } = unit_taper(state, user).await?;
    let history = match user.unit_id {
        Some(u) => state.store().taper_settings_history(u).await?,
        None => Vec::new(),
    };
    let manage = allows(user.role, Permission::ManageTaperSettings);
    let source = |id: &str| source_link(&data, id);
    let body = html! {
        h1 { (ctx.t(&M::REF_TITLE)) }
        p.lead { (ctx.t(&M::REF_LEAD)) }
        p { (ctx.t(&M::REF_VERSION)) ": " code { (data.version) } }
        @if let Some(v) = saved { (notice(&fill(ctx.t(&M::REF_SAVED), &[("v", &v.to_string())]))) }
        h2 { (ctx.t(&M::REF_SETTINGS)) }
        @match &current {
            Some(c) => p { (fill(ctx.t(&M::REF_CURRENT), &[
                ("v", &c.version.to_string()), ("who", &c.author_name),
                ("when", &c.authored_at.strftime("%Y-%m-%d %H:%M").to_string()), ("why", &c.reason),
            ])) },
            None => p { (ctx.t(&M::REF_NO_SETTINGS)) },
        }
        @if manage {
            (settings_form(state, ctx, &data, &settings, current.as_ref().map(|c| c.version), errors, typed))
        }
        @if history.len() > 1 {
            h3 { (ctx.t(&M::REF_HISTORY)) }
            ul { @for h in history.iter().skip(1) {
                li { (h.version) ": " (h.author_name) ", " (h.authored_at.strftime("%Y-%m-%d %H:%M").to_string()) " – " (h.reason) }
            } }
        }
        (tables_section(ctx, &data))
        (substances_section(ctx, &data))
        (products_section(ctx, &data))
        (crate::pages::taper_rules::section(ctx, &data, &source, &|s| status_tag(ctx, s)))
        h2 { (ctx.t(&M::REF_SOURCES)) }
        ul { @for s in &data.sources { li { (source(&s.id)) } } }
    };
    Ok(form_response(ctx, ctx.t(&M::REF_TITLE), body, errors))
}

/// A source by id: its title, linked when it has an address.
fn source_link(data: &ReferenceData, id: &str) -> Markup {
    match data.source(id) {
        Some(s) => match &s.url {
            Some(url) => html! { a href=(url) rel="noreferrer" { (s.title) } },
            None => html! { (s.title) },
        },
        None => html! { (id) },
    }
}

/// The form of the unit's settings, from `version`: default tables, products in use,
/// the step-back policy, a product to add and the engine's rules. After a refusal every
/// field shows what was typed, not what is stored.
fn settings_form(
    state: &AppState,
    ctx: &Ctx,
    data: &ReferenceData,
    settings: &UnitSettings,
    version: Option<i64>,
    errors: &[FieldError],
    typed: Option<&SettingsForm>,
) -> Markup {
    let typed_value = |name: &str| typed.and_then(|f| f.field(name)).map(str::to_owned);
    let typed_or =
        |name: &str, stored: &str| typed_value(name).unwrap_or_else(|| stored.to_owned());
    let step_back_now = match settings.adaptation.step_back {
        StepBackPolicy::Never => "never",
        StepBackPolicy::OnModerate => "on_moderate",
        StepBackPolicy::OnSevere => "on_severe",
    };
    html! {
        p { (ctx.t(&M::REF_SETTINGS_LEAD)) }
        (error_summary(ctx, errors))
        form method="post" action="/referensdata" novalidate {
            (csrf_field(ctx))
            // After a refusal, the version the user started from: a save made meanwhile
            // then makes this one stale instead of being overwritten.
            input type="hidden" name="version" value=(typed_or("version", &version.unwrap_or(0).to_string()));
            (select_field("default_de_table", ctx.t(&M::TAPER_TABLE_DE), &typed_or("default_de_table", &data.default_de_table),
                &data.tables.iter().filter(|t| t.unit == trappa_taper::reference::EquivalentUnit::De).map(|t| (t.id.as_str(), t.name.as_str())).collect::<Vec<_>>(), errors))
            (select_field("default_mme_table", ctx.t(&M::TAPER_TABLE_MME), &typed_or("default_mme_table", &data.default_mme_table),
                &data.tables.iter().filter(|t| t.unit == trappa_taper::reference::EquivalentUnit::Mme).map(|t| (t.id.as_str(), t.name.as_str())).collect::<Vec<_>>(), errors))
            @let product_err = field_error(errors, "product");
            fieldset.field.field-error[product_err.is_some()] id="product" {
                legend { (ctx.t(&M::REF_PRODUCTS)) ": " (ctx.t(&M::REF_COL_IN_USE)) }
                @if let Some(e) = product_err { p.error-message { (e) } }
                div.product-grid {
                    @for p in &data.products {
                        div.checkbox {
                            input id={ "product-" (p.id) } type="checkbox" name="product" value=(p.id)
                                checked[typed.map_or(p.enabled, |f| f.products.contains(&p.id))];
                            label for={ "product-" (p.id) } { (p.display_name()) }
                        }
                    }
                }
            }
            (select_field("step_back", ctx.t(&M::REF_STEP_BACK), &typed_or("step_back", step_back_now), &[
                ("on_severe", ctx.t(&M::REF_STEP_BACK_SEVERE)),
                ("on_moderate", ctx.t(&M::REF_STEP_BACK_MODERATE)),
                ("never", ctx.t(&M::REF_STEP_BACK_NEVER)),
            ], errors))
            fieldset.field.add-product {
                legend { (ctx.t(&M::REF_ADD)) }
                p.hint { (ctx.t(&M::REF_ADD_HINT)) }
                (substance_select(data, ctx, "add_substance", ctx.t(&M::TAPER_SUBSTANCE), &typed_or("add_substance", ""), errors))
                (Field::text("add_name", ctx.t(&M::REF_ADD_NAME), &typed_or("add_name", "")).autocomplete("off").render(errors))
                (select_field("add_form", ctx.t(&M::REF_COL_FORM), &typed_or("add_form", "tablet"), &[
                    ("tablet", labels::form(Form::Tablet, ctx.locale)), ("capsule", labels::form(Form::Capsule, ctx.locale)),
                    ("oral_solution", labels::form(Form::OralSolution, ctx.locale)), ("oral_drops", labels::form(Form::OralDrops, ctx.locale)),
                ], errors))
                (Field::text("add_strength", ctx.t(&M::REF_ADD_STRENGTH), &typed_or("add_strength", "")).autocomplete("off").render(errors))
                (select_field("add_divisible", ctx.t(&M::REF_COL_SPLIT), &typed_or("add_divisible", "whole"), &[
                    ("whole", labels::divisible(Divisible::Whole, ctx.locale)), ("half", labels::divisible(Divisible::Half, ctx.locale)), ("quarter", labels::divisible(Divisible::Quarter, ctx.locale)),
                ], errors))
                (select_field("add_kind", ctx.t(&M::REF_COL_KIND), &typed_or("add_kind", "licence"), &[
                    ("licence", labels::kind(ProductKind::Licence, ctx.locale)),
                    ("extemporaneous", labels::kind(ProductKind::Extemporaneous, ctx.locale)),
                    ("registered", labels::kind(ProductKind::Registered, ctx.locale)),
                ], errors))
                (Field::text("add_measure_ml", ctx.t(&M::REF_ADD_MEASURE), &typed_or("add_measure_ml", "")).autocomplete("off").render(errors))
            }
            (crate::pages::taper_rules::fields(ctx, data, state.reference(), &typed_value, errors))
            (Field::text("reason", ctx.t(&M::REF_REASON), &typed_or("reason", "")).required().autocomplete("off").render(errors))
            button.button type="submit" { (ctx.t(&M::REF_SAVE)) }
        }
    }
}

/// The equivalence tables, each factor with its status and source.
fn tables_section(ctx: &Ctx, data: &ReferenceData) -> Markup {
    let source = |id: &str| source_link(data, id);
    html! {
        h2 { (ctx.t(&M::REF_TABLES)) }
        @for t in &data.tables {
            h3 { (t.name) " (" (t.unit.label()) ")"
                @if t.id == data.default_de_table || t.id == data.default_mme_table { " – " (ctx.t(&M::REF_DEFAULT)) } }
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(&M::REF_COL_SUBSTANCE)) }
                    th scope="col" { (ctx.t(&M::REF_COL_FACTOR)) }
                    th scope="col" { (ctx.t(&M::REF_COL_STATUS)) }
                    th scope="col" { (ctx.t(&M::REF_COL_SOURCE)) }
                    th scope="col" { (ctx.t(&M::REF_COL_NOTE)) }
                } }
                tbody { @for f in &t.factors { tr {
                    td { (data.substance(&f.substance).map(|s| s.name.as_str()).unwrap_or(&f.substance))
                         @if f.route != Route::Oral { " (" (labels::route(f.route, ctx.locale)) ")" } }
                    td.num { (trappa_i18n::format::exact(f.factor.value, 4, ctx.locale)) }
                    td { (status_tag(ctx, f.factor.status)) }
                    td { (source(&f.factor.source)) }
                    td { (f.note.as_deref().unwrap_or("")) }
                } } }
            } }
        }
    }
}

/// The substances: ATC, class, half-life and DDD with their status.
fn substances_section(ctx: &Ctx, data: &ReferenceData) -> Markup {
    let source = |id: &str| source_link(data, id);
    html! {
        h2 { (ctx.t(&M::REF_SUBSTANCES)) }
        div.table-wrap { table {
            thead { tr {
                th scope="col" { (ctx.t(&M::REF_COL_SUBSTANCE)) }
                th scope="col" { (ctx.t(&M::REF_COL_ATC)) }
                th scope="col" { (ctx.t(&M::REF_COL_CLASS)) }
                th scope="col" { (ctx.t(&M::REF_COL_HALF_LIFE)) }
                th scope="col" { (ctx.t(&M::REF_COL_DDD)) }
                th scope="col" { (ctx.t(&M::REF_COL_NOTE)) }
            } }
            tbody { @for s in &data.substances { tr {
                td { (s.name) }
                td { (s.atc) }
                td { (labels::class(s.class, ctx.locale)) }
                td { (labels::half_life(s.half_life.value, ctx.locale)) " " (status_tag(ctx, s.half_life.status)) }
                td { @if let Some(d) = &s.ddd_mg { (trappa_i18n::format::exact(d.value, 4, ctx.locale)) " " (status_tag(ctx, d.status)) " " (source(&d.source)) } @else { "–" } }
                td { (s.note.as_deref().unwrap_or("")) }
            } } }
        } }
    }
}

/// The products: form, splitting, kind, whether the unit uses it, and the source.
fn products_section(ctx: &Ctx, data: &ReferenceData) -> Markup {
    let source = |id: &str| source_link(data, id);
    html! {
        h2 { (ctx.t(&M::REF_PRODUCTS)) }
        div.table-wrap { table {
            thead { tr {
                th scope="col" { (ctx.t(&M::REF_COL_PRODUCT)) }
                th scope="col" { (ctx.t(&M::REF_COL_FORM)) }
                th scope="col" { (ctx.t(&M::REF_COL_SPLIT)) }
                th scope="col" { (ctx.t(&M::REF_COL_KIND)) }
                th scope="col" { (ctx.t(&M::REF_COL_IN_USE)) }
                th scope="col" { (ctx.t(&M::REF_COL_SOURCE)) }
            } }
            tbody { @for p in &data.products { tr {
                td { (p.display_name()) " " (status_tag(ctx, p.strength.status)) }
                td { (labels::form(p.form, ctx.locale)) }
                td { (labels::divisible(p.divisible.value, ctx.locale)) " " (status_tag(ctx, p.divisible.status)) }
                td { (labels::kind(p.kind, ctx.locale)) }
                td { @if p.enabled { (ctx.t(&M::YES)) } @else { span.tag.grey { (ctx.t(&M::NO)) } } }
                td { (source(&p.strength.source)) }
            } } }
        } }
    }
}

/// The settings a form asks for — the unit's current settings with the products in use,
/// the default tables and any product added — checked against the data; field errors
/// otherwise.
pub fn settings_from_form(
    base: &ReferenceData,
    current: &UnitSettings,
    f: &SettingsForm,
    locale: Locale,
) -> Result<UnitSettings, Vec<FieldError>> {
    let mut errors = Vec::new();
    let t = |m: &'static trappa_i18n::Msg| m.get(locale).to_owned();
    if f.reason.trim().is_empty() {
        errors.push(FieldError {
            field: "reason".into(),
            message: t(&V::REF_ERR_REASON),
        });
    }
    for (field, id, unit) in [
        (
            "default_de_table",
            &f.default_de_table,
            trappa_taper::reference::EquivalentUnit::De,
        ),
        (
            "default_mme_table",
            &f.default_mme_table,
            trappa_taper::reference::EquivalentUnit::Mme,
        ),
    ] {
        if !base.tables.iter().any(|x| &x.id == id && x.unit == unit) {
            errors.push(FieldError {
                field: field.into(),
                message: t(&M::REF_ERR_TABLE),
            });
        }
    }
    let mut added_products = current.added_products.clone();
    let new_product = product_from_form(base, f, locale, &mut errors);
    if let Some(p) = &new_product {
        added_products.push(p.clone());
    }
    // Every product the unit has (shipped and its own) is either ticked or disabled; a
    // product added now is in use.
    let known: Vec<(&str, &str)> = base
        .products
        .iter()
        .chain(&current.added_products)
        .map(|p| (p.id.as_str(), p.substance.as_str()))
        .collect();
    let disabled: Vec<String> = known
        .iter()
        .filter(|(id, _)| !f.products.iter().any(|x| x == id))
        .map(|(id, _)| (*id).to_owned())
        .collect();
    let orphaned = base.substances.iter().any(|s| {
        known.iter().any(|(_, sub)| *sub == s.id)
            && !known
                .iter()
                .any(|(id, sub)| *sub == s.id && !disabled.iter().any(|d| d == id))
            && new_product.as_ref().is_none_or(|p| p.substance != s.id)
    });
    if orphaned {
        errors.push(FieldError {
            field: "product".into(),
            message: t(&M::REF_ERR_NONE_LEFT),
        });
    }
    let get = |name: &str| f.field(name).unwrap_or_default().to_owned();
    let (rules, dose_times) = crate::pages::taper_rules::from_form(base, &get, locale, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let settings = UnitSettings {
        disabled_products: disabled,
        added_products,
        default_de_table: Some(f.default_de_table.clone()).filter(|d| *d != base.default_de_table),
        default_mme_table: Some(f.default_mme_table.clone())
            .filter(|d| *d != base.default_mme_table),
        ed50_ddd: current.ed50_ddd.clone(),
        rules,
        dose_times,
        adaptation: trappa_taper::adapt::Policy {
            step_back: match f.step_back.as_str() {
                "never" => StepBackPolicy::Never,
                "on_moderate" => StepBackPolicy::OnModerate,
                _ => StepBackPolicy::OnSevere,
            },
            ..current.adaptation.clone()
        },
    };
    base.for_unit(&settings).map(|_| settings).map_err(|_| {
        vec![FieldError {
            field: "add_name".into(),
            message: t(&M::REF_ERR_ADD_EXISTS),
        }]
    })
}

/// The product a unit adds, if the form names one; its problems go into `errors`.
fn product_from_form(
    base: &ReferenceData,
    f: &SettingsForm,
    locale: Locale,
    errors: &mut Vec<FieldError>,
) -> Option<trappa_taper::reference::Product> {
    use trappa_taper::reference::{
        Divisible, Form, Measure, Product, ProductKind, Release, Sourced,
    };
    let name = f.add_name.trim();
    if name.is_empty() {
        return None;
    }
    let mut err = |field: &'static str, m: &'static trappa_i18n::Msg| {
        errors.push(FieldError {
            field: field.into(),
            message: m.get(locale).to_owned(),
        })
    };
    let substance = base.substance(&f.add_substance);
    if substance.is_none() {
        err("add_substance", &M::REF_ERR_ADD_SUBSTANCE);
    }
    let form = match f.add_form.as_str() {
        "capsule" => Form::Capsule,
        "oral_solution" => Form::OralSolution,
        "oral_drops" => Form::OralDrops,
        _ => Form::Tablet,
    };
    let strength = trappa_taper::amount::parse_decimal(&f.add_strength)
        .filter(|v| *v > 0.0 && *v <= 10_000.0)
        .and_then(trappa_taper::Amount::from_f64);
    if strength.is_none() {
        err("add_strength", &M::REF_ERR_ADD_STRENGTH);
    }
    let measure = if form.is_liquid() {
        match trappa_taper::amount::parse_decimal(&f.add_measure_ml)
            .filter(|v| *v > 0.0 && *v <= 5.0)
        {
            Some(step_ml) => Some(Measure {
                step_ml,
                label: if form == Form::OralDrops {
                    "droppar".into()
                } else {
                    "ml".into()
                },
            }),
            None => {
                err("add_measure_ml", &M::REF_ERR_ADD_MEASURE);
                None
            }
        }
    } else {
        None
    };
    let divisible = match (form, f.add_divisible.as_str()) {
        (Form::Tablet, "half") => Divisible::Half,
        (Form::Tablet, "quarter") => Divisible::Quarter,
        _ => Divisible::Whole,
    };
    let kind = match f.add_kind.as_str() {
        "registered" => ProductKind::Registered,
        "extemporaneous" => ProductKind::Extemporaneous,
        _ => ProductKind::Licence,
    };
    let (substance, strength) = (substance?, strength?);
    if form.is_liquid() && measure.is_none() {
        return None;
    }
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    Some(Product {
        id: format!("unit-{}-{}", slug.trim_matches('-'), strength),
        substance: substance.id.clone(),
        name: name.to_owned(),
        form,
        route: Route::Oral,
        release: Release::Immediate,
        strength: Sourced {
            value: strength,
            status: Status::U,
            source: "unit-setting".into(),
        },
        divisible: Sourced {
            value: divisible,
            status: Status::U,
            source: "unit-setting".into(),
        },
        kind,
        measure,
        change_hours: None,
        companion: None,
        note: None,
        enabled: true,
    })
}

/// `POST /referensdata`
pub async fn save_settings(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<SettingsForm>,
) -> Result<Response, AppError> {
    if user.unit_id.is_none() {
        let errors = vec![FieldError {
            field: "reason".into(),
            message: ctx.t(&V::REF_ERR_NO_UNIT).to_owned(),
        }];
        return render_reference(&state, &ctx, &user, &errors, None, Some(&f)).await;
    }

    let current = unit_taper(&state, &user).await?.settings;
    let settings = match settings_from_form(state.reference(), &current, &f, ctx.locale) {
        Ok(s) => s,
        Err(errors) => {
            return render_reference(&state, &ctx, &user, &errors, None, Some(&f)).await;
        }
    };
    let expected: i64 = f.version.trim().parse().map_err(|_| AppError::Stale)?;
    let caller = ctx.caller(&user);
    let saved =
        trappa_app::taper_settings::save(state.store(), &caller, expected, &settings, &f.reason);
    match saved.await.for_user(&ctx) {
        Ok(v) => Ok(Redirect::to(&format!("/referensdata?sparad={v}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            render_reference(&state, &ctx, &user, &errors, None, Some(&f)).await
        }
        Err(e) => Err(e),
    }
}

/// `?sparad=N` after a save.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    sparad: Option<i64>,
}

/// `GET /referensdata` (`?sparad=N` after a save).
pub async fn reference_page(
    State(state): State<AppState>,
    Authed { ctx, user }: Authed,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    render_reference(&state, &ctx, &user, &[], q.sparad, None).await
}
