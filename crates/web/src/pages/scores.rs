//! A patient's symptom and outcome scores: recorded per instrument (items where the
//! licence allows, otherwise the total), scored and banded with `trappa-scales`, kept
//! append-only with corrections; they feed the taper engine's proposal on the plan page.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;
use serde::Deserialize;
use trappa_i18n::fill;
use trappa_scales::{Answers, Instrument};
use trappa_store::Uuid;
use trappa_store::access_log::Action;
use trappa_taper::adapt::{Band, Flag, flag_text};
use trappa_taper::text::T;

use crate::access::{Authed, PatientRoute, open_patient};
use crate::ctx::Ctx;
use crate::ctx::ForUser;
use crate::error::{AppError, FieldError};
use crate::extract::{HtmlForm, Path, Query};
use crate::i18n::M;
use crate::i18n::V;
use crate::pages::layout::{Field, csrf_field, error_summary, field_error, page};
use crate::state::AppState;
use trappa_app::clock::format_time;

use trappa_app::clock::today;
use trappa_app::scores::{self, RESOURCE, ScoreInput};

pub use trappa_app::scores::{FLAGS, code, parse_code};

fn band_text(ctx: &Ctx, b: Band) -> &'static str {
    match b {
        Band::None => T::BAND_NONE.get(ctx.locale),
        Band::Mild => T::BAND_MILD.get(ctx.locale),
        Band::Moderate => T::BAND_MODERATE.get(ctx.locale),
        Band::Severe => T::BAND_SEVERE.get(ctx.locale),
    }
}

/// `GET /patienter/{id}/skattningar`
pub async fn list(route: PatientRoute) -> Result<Response, AppError> {
    let opened = route.open(Action::Read, RESOURCE).await?;
    let (state, ctx, user, id) = route.into_parts();
    let records = state.store().scores(&opened.access).await?;
    let may_write = trappa_policy::allows(user.role, trappa_policy::Permission::WritePatientRecord);
    let strip = crate::pages::patients::strip_for(&state, &ctx, &opened).await?;
    let body = html! {
        (strip)
        h1 { (ctx.t(&M::SCORES_TITLE)) }
        @if may_write {
            h2 { (ctx.t(&M::SCORES_NEW)) }
            ul.links { @for i in &state.instruments().all {
                li { a href={ "/patienter/" (id) "/skattningar/ny?instrument=" (i.id) } { (i.name) } " – " (i.purpose) }
            } }
        }
        h2 { (ctx.t(&M::SCORES_RECORDED)) }
        @if records.is_empty() { p.muted { (ctx.t(&M::SCORES_NONE)) } }
        @else {
            div.table-wrap { table {
                thead { tr {
                    th scope="col" { (ctx.t(&M::SCORES_DATE)) }
                    th scope="col" { (ctx.t(&M::SCORES_INSTRUMENT)) }
                    th scope="col" { (ctx.t(&M::SCORES_TOTAL)) }
                    th scope="col" { (ctx.t(&M::SCORES_BAND)) }
                    th scope="col" { (ctx.t(&M::SCORES_FLAGS)) }
                    th scope="col" { (ctx.t(&M::PLAN_BY)) }
                } }
                tbody { @for r in &records { tr.corrected[r.corrected_by.is_some()] {
                    td { (r.observed_on) }
                    td { (state.instruments().get(&r.instrument).map(|i| i.name.as_str()).unwrap_or(&r.instrument)) }
                    td.num { (crate::pages::path_overview::total_text(&ctx, r.total)) }
                    td { (parse_code::<Band>(&r.band).map(|b| band_text(&ctx, b)).unwrap_or(&r.band))
                         @if r.corrected_by.is_some() { " " span.tag.grey { (ctx.t(&M::SCORES_CORRECTED)) } }
                         @if r.corrects.is_some() { " " span.tag { (ctx.t(&M::SCORES_CORRECTION)) ": " (r.reason) } } }
                    td { @for f in r.flags.iter().filter_map(|f| parse_code::<Flag>(f)) { span.tag.red { (flag_text(f, ctx.locale)) } " " } }
                    td { (r.author_name) ", " (format_time(r.authored_at))
                         @if r.reported_by_patient { " " span.tag { (ctx.t(&crate::i18n::R::PATIENT_REPORTED)) } } }
                } } }
            } }
        }
    };
    Ok(page(&ctx, ctx.t(&M::SCORES_TITLE), body).into_response())
}

/// `?instrument=cows`
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    instrument: String,
}

/// The score form: fixed fields, repeated `flag`s and one `item_<id>` per item.
#[derive(Debug, Default)]
pub struct ScoreForm {
    instrument: String,
    observed_on: String,
    total: String,
    band: String,
    note: String,
    flags: Vec<String>,
    items: std::collections::HashMap<String, String>,
}

impl ScoreForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> ScoreForm {
        let mut f = ScoreForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "instrument" => f.instrument = v,
                "observed_on" => f.observed_on = v,
                "total" => f.total = v,
                "band" => f.band = v,
                "note" => f.note = v,
                "flag" => f.flags.push(v),
                k if k.starts_with("item_") => {
                    f.items.insert(k.to_owned(), v);
                }
                _ => {}
            }
        }
        f
    }
}

fn form_page(
    ctx: &Ctx,
    (id, strip): (Uuid, &maud::Markup),
    inst: &Instrument,
    f: &ScoreForm,
    errors: &[FieldError],
) -> maud::Markup {
    let item_value = |item: &str| {
        f.items
            .get(&format!("item_{item}"))
            .cloned()
            .unwrap_or_default()
    };
    let band_err = field_error(errors, "band");
    html! {
        (strip)
        p { a href={ "/patienter/" (id) "/skattningar" } { "← " (ctx.t(&M::SCORES_TITLE)) } }
        h1 { (inst.name) }
        p.lead { (inst.purpose) }
        p.muted { (ctx.t(&M::SCORES_LICENCE)) ": " (if ctx.locale == crate::i18n::Locale::Sv { &inst.licence_sv } else { &inst.licence }) }
        (error_summary(ctx, errors))
        form.score-form method="post" action={ "/patienter/" (id) "/skattningar" } novalidate {
            (csrf_field(ctx))
            input type="hidden" name="instrument" value=(inst.id);
            (Field::text("observed_on", ctx.t(&M::SCORES_DATE), &f.observed_on).hint(ctx.t(&M::TAPER_START_HINT)).autocomplete("off").render(errors))
            @if inst.store_items {
                @for item in &inst.items {
                    @let name = format!("item_{}", item.id);
                    @let err = field_error(errors, &name);
                    div.field.field-error[err.is_some()] {
                        label for=(name) { (item.name) " (" (item.min) "–" (item.max) ")" }
                        @if let Some(e) = err { p.error-message id={ (name) "-error" } { (e) } }
                        input id=(name) name=(name) type="text" inputmode="numeric" value=(item_value(&item.id))
                            aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| format!("{name}-error"))];
                    }
                }
            } @else {
                (Field::text("total", &fill(ctx.t(&M::SCORES_TOTAL_RANGE), &[("min", &inst.min.to_string()), ("max", &inst.max.to_string())]), &f.total).autocomplete("off").render(errors))
            }
            @if inst.bands.is_empty() {
                div.field.field-error[band_err.is_some()] {
                    label for="band" { (ctx.t(&M::SCORES_BAND_JUDGED)) }
                    @if let Some(e) = band_err { p.error-message id="band-error" { (e) } }
                    select #band name="band" aria-invalid=[band_err.map(|_| "true")] aria-describedby=[band_err.map(|_| "band-error")] {
                        option value="" { (ctx.t(&M::TAPER_NONE)) }
                        @for b in [Band::None, Band::Mild, Band::Moderate, Band::Severe] {
                            option value=(code(b)) selected[f.band == code(b)] { (band_text(ctx, b)) }
                        }
                    }
                }
            }
            fieldset.field {
                legend { (ctx.t(&M::SCORES_FLAGS)) }
                @for fl in FLAGS {
                    div.checkbox {
                        input id={ "flag-" (code(fl)) } type="checkbox" name="flag" value=(code(fl)) checked[f.flags.contains(&code(fl))];
                        label for={ "flag-" (code(fl)) } { (flag_text(fl, ctx.locale)) }
                    }
                }
            }
            (Field::text("note", ctx.t(&M::SCORES_NOTE), &f.note).autocomplete("off").render(errors))
            button.button type="submit" { (ctx.t(&M::SCORES_SAVE)) }
        }
    }
}

/// `GET /patienter/{id}/skattningar/ny?instrument=…`
pub async fn new_form(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Path(id): Path<Uuid>,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let opened = open_patient(&state, &ctx, &user, id, Action::Read, RESOURCE).await?;
    let inst = state
        .instruments()
        .get(&q.instrument)
        .ok_or(AppError::NotFound)?;
    let strip = crate::pages::patients::strip_for(&state, &ctx, &opened).await?;
    let f = ScoreForm {
        observed_on: trappa_app::clock::today().to_string(),
        ..Default::default()
    };
    Ok(page(
        &ctx,
        &inst.name,
        form_page(&ctx, (id, &strip), inst, &f, &[]),
    )
    .into_response())
}

/// `POST /patienter/{id}/skattningar`
pub async fn record(
    route: PatientRoute,
    HtmlForm(pairs): HtmlForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let opened = route.open(Action::Create, RESOURCE).await?;
    let (state, ctx, user, id) = route.into_parts();
    let strip = crate::pages::patients::strip_for(&state, &ctx, &opened).await?;
    let f = ScoreForm::from_pairs(pairs);
    let inst = state
        .instruments()
        .get(&f.instrument)
        .ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    // The form's own parsing; the use case checks the rest (the date not after today).
    let observed_on = match trappa_input::date::parse(&f.observed_on) {
        Ok(d) => Some(d),
        _ => {
            errors.push(FieldError {
                field: "observed_on".into(),
                message: ctx.t(&V::SCORES_ERR_DATE).to_owned(),
            });
            None
        }
    };
    let band = parse_code::<Band>(&f.band);
    let answers = if inst.store_items {
        let mut values = Vec::new();
        for item in &inst.items {
            let name = format!("item_{}", item.id);
            match f
                .items
                .get(&name)
                .and_then(|v| v.trim().parse::<i32>().ok())
            {
                Some(v) => values.push(v),
                None => errors.push(FieldError {
                    field: name.into(),
                    message: ctx.t(&V::BAD_VALUE).to_owned(),
                }),
            }
        }
        Answers::Items { values, band }
    } else {
        match trappa_taper::amount::parse_decimal(&f.total) {
            Some(total) => Answers::Total { total, band },
            None => {
                errors.push(FieldError {
                    field: "total".into(),
                    message: ctx.t(&V::BAD_VALUE).to_owned(),
                });
                Answers::Total {
                    total: f64::NAN,
                    band,
                }
            }
        }
    };
    let observed_on = match observed_on {
        Some(d) if errors.is_empty() => d,
        _ => {
            let status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok((
                status,
                page(
                    &ctx,
                    &inst.name,
                    form_page(&ctx, (id, &strip), inst, &f, &errors),
                ),
            )
                .into_response());
        }
    };
    let input = ScoreInput {
        observed_on,
        answers,
        flags: f.flags.clone(),
        note: f.note.clone(),
        request_key: None,
        cutoffs: None,
    };
    let caller = ctx.caller(&user);
    let recorded = scores::record(state.store(), &caller, &opened, inst, &input, today());
    match recorded.await.for_user(&ctx) {
        Ok(_) => Ok(crate::flash::redirect(
            &state,
            &format!("/patienter/{id}/plan"),
            crate::flash::Flash::ScoreSaved,
            "",
        )),
        Err(AppError::Invalid(faults)) => {
            // The use case names the answers as a whole `items` and an item `items.<id>`;
            // the form has `item_<id>` fields and shows a whole-answer fault at the date.
            errors.extend(faults.into_iter().map(|mut e| {
                e.field = match e.field.as_ref() {
                    "items" => "observed_on".into(),
                    "flags" => "flag".into(),
                    f => match f.strip_prefix("items.") {
                        Some(item) => format!("item_{item}").into(),
                        None => e.field.clone(),
                    },
                };
                e
            }));
            let status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok((
                status,
                page(
                    &ctx,
                    &inst.name,
                    form_page(&ctx, (id, &strip), inst, &f, &errors),
                ),
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}
