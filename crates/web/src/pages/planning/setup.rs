//! The unit's availability: staff days, leave and rooms.

use super::*;
use crate::i18n::V;
use crate::pages::layout::form_response;

/// The availability form: one action at a time.
#[derive(Debug, Default, Deserialize)]
pub struct SetupForm {
    /// `vecka`, `franvaro`, `rum`, `ta_bort_franvaro` or `ta_bort_rum`.
    #[serde(default)]
    pub atgard: String,
    /// The setup's version the page showed.
    #[serde(default)]
    pub version: i64,
    /// The staff member.
    #[serde(default)]
    pub personal: String,
    /// Working weekdays (1–5).
    #[serde(default)]
    pub dag: Vec<i8>,
    /// Days at the base.
    #[serde(default)]
    pub bas: Vec<i8>,
    /// Start of the working day (HH:MM).
    #[serde(default)]
    pub fran: String,
    /// End of the working day (HH:MM).
    #[serde(default)]
    pub till: String,
    /// Whether lunch is taken.
    #[serde(default)]
    pub lunch: Option<String>,
    /// First day of leave, or of a room's period.
    #[serde(default)]
    pub fran_datum: String,
    /// Last day of leave.
    #[serde(default)]
    pub till_datum: String,
    /// A vårdcentral's code.
    #[serde(default)]
    pub vardcentral: String,
    /// A room's weekday.
    #[serde(default)]
    pub veckodag: i8,
    /// Which entry to remove.
    #[serde(default)]
    pub nr: usize,
}

/// `GET /planering/tillganglighet`
pub async fn setup_page(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
) -> Result<Response, AppError> {
    render_setup(&state, &ctx, &user, &[]).await
}

async fn render_setup(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let unit = unit_of(user)?;
    let (setup, version) = trappa_app::planning::setup(state.store(), unit).await?;
    let people = trappa_app::planning::clinicians(state.store(), unit).await?;
    let (_, sites, names) = trappa_app::planning::places(state.store(), unit).await?;
    let mut site_list: Vec<(&str, &str)> = sites
        .iter()
        .map(|s| (s.id.as_str(), names.site(&s.id)))
        .collect();
    site_list.sort_by(|a, b| a.1.cmp(b.1));
    let body = html! {
        h1 { (ctx.t(&M::SETUP_TITLE)) }
        p { a href="/planering" { "← " (ctx.t(&Y::WEEK_TITLE)) } }
        p.lead { (ctx.t(&M::SETUP_LEAD)) }
        p.muted { (fill(ctx.t(&M::SETUP_VERSION), &[("version", &version.to_string())])) }
        (crate::pages::layout::error_summary(ctx, errors))
        h2 { (ctx.t(&M::SETUP_WEEKS)) }
        @for (i, (id, name, profession)) in people.iter().enumerate() {
            @let week = setup.staff.iter().find(|s| s.staff == *id);
            @let shift = week.and_then(|w| w.days.first()).map(|d| d.shift);
            form.setup-week id={ "vecka-" (i) } method="post" action="/planering/tillganglighet" {
                (csrf_field(ctx))
                input type="hidden" name="atgard" value="vecka";
                input type="hidden" name="version" value=(version);
                input type="hidden" name="personal" value=(id);
                fieldset {
                    legend { (name) " (" (ctx.t(profession_label(profession))) ")" @if week.is_none() { " – " (ctx.t(&M::SETUP_NOT_PLANNED)) } }
                    table { thead { tr { th scope="col" { span.visually-hidden { (ctx.t(&M::SETUP_WEEKDAY)) } } @for n in 1..=5i8 { th scope="col" { (ctx.t(weekday_msg(n))) } } } }
                    tbody {
                        tr { th scope="row" { (ctx.t(&M::SETUP_WORKS)) }
                            @for n in 1..=5i8 {
                                @let on = week.is_some_and(|w| w.days.iter().any(|d| d.weekday == n));
                                td { input type="checkbox" name="dag" value=(n) checked[on] aria-label={ (name) ", " (ctx.t(weekday_msg(n))) ": " (ctx.t(&M::SETUP_WORKS)) }; }
                            }
                        }
                        tr { th scope="row" { (ctx.t(&M::SETUP_AT_BASE)) }
                            @for n in 1..=5i8 {
                                @let on = week.is_some_and(|w| w.days.iter().any(|d| d.weekday == n && d.at_base));
                                td { input type="checkbox" name="bas" value=(n) checked[on] aria-label={ (name) ", " (ctx.t(weekday_msg(n))) ": " (ctx.t(&M::SETUP_AT_BASE)) }; }
                            }
                        }
                    } }
                    div.field.inline-fields {
                        label for={ "fran-" (i) } { (ctx.t(&M::SETUP_FROM)) }
                        input id={ "fran-" (i) } type="time" name="fran" value=(hhmm(shift.map_or(480, |s| s.from)));
                        label for={ "till-" (i) } { (ctx.t(&M::SETUP_TO)) }
                        input id={ "till-" (i) } type="time" name="till" value=(hhmm(shift.map_or(990, |s| s.to)));
                        label { input type="checkbox" name="lunch" value="1" checked[week.is_none_or(|w| w.days.iter().any(|d| d.lunch.is_some()))]; " " (ctx.t(&M::SETUP_LUNCH)) }
                    }
                    button type="submit" { (fill(ctx.t(&M::SETUP_SAVE_WEEK), &[("name", name)])) }
                }
            }
        }
        h2 { (ctx.t(&M::SETUP_LEAVE)) }
        @if setup.leave.is_empty() { p.muted { (ctx.t(&M::SETUP_LEAVE_NONE)) } }
        @else { ul { @for (n, l) in setup.leave.iter().enumerate() {
            @let what = format!("{} {}–{}", setup.name(&l.staff), l.from, l.to);
            li { (what) " "
                form.inline method="post" action="/planering/tillganglighet" {
                    (csrf_field(ctx))
                    input type="hidden" name="atgard" value="ta_bort_franvaro";
                    input type="hidden" name="version" value=(version);
                    input type="hidden" name="nr" value=(n);
                    button.link-button type="submit" aria-label=(fill(ctx.t(&M::SETUP_REMOVE_LABEL), &[("what", &what)])) { (ctx.t(&M::SETUP_REMOVE)) }
                }
            }
        } } }
        form method="post" action="/planering/tillganglighet" {
            (csrf_field(ctx))
            input type="hidden" name="atgard" value="franvaro";
            input type="hidden" name="version" value=(version);
            fieldset { legend { (ctx.t(&M::SETUP_ADD_LEAVE)) }
                div.field { label for="franvaro-personal" { (ctx.t(&Y::WEEK_STAFF)) }
                    select #franvaro-personal name="personal" { @for (id, name, _) in &people { option value=(id) { (name) } } } }
                div.field { label for="franvaro-fran" { (ctx.t(&M::SETUP_FROM)) } input #franvaro-fran type="date" name="fran_datum"; }
                div.field { label for="franvaro-till" { (ctx.t(&M::SETUP_TO)) } input #franvaro-till type="date" name="till_datum"; }
                button type="submit" { (ctx.t(&M::SETUP_ADD_LEAVE)) }
            }
        }
        h2 { (ctx.t(&M::SETUP_ROOMS)) }
        @if setup.rooms.is_empty() { p.muted { (ctx.t(&M::SETUP_ROOMS_NONE)) } }
        @else { div.table-wrap { table {
            thead { tr { th scope="col" { (ctx.t(&M::SETUP_SITE)) } th scope="col" { (ctx.t(&M::SETUP_WEEKDAY)) } th scope="col" { (ctx.t(&Y::WEEK_TIME)) } th scope="col" { span.visually-hidden { (ctx.t(&M::SETUP_REMOVE)) } } } }
            tbody { @for (n, r) in setup.rooms.iter().enumerate() {
                @let what = format!("{}, {}", names.site(&r.site), ctx.t(weekday_msg(r.weekday)));
                tr {
                    td { (names.site(&r.site)) }
                    td { (ctx.t(weekday_msg(r.weekday))) }
                    td { (hhmm(r.window.from)) "–" (hhmm(r.window.to)) }
                    td { form.inline method="post" action="/planering/tillganglighet" {
                        (csrf_field(ctx))
                        input type="hidden" name="atgard" value="ta_bort_rum";
                        input type="hidden" name="version" value=(version);
                        input type="hidden" name="nr" value=(n);
                        button.link-button type="submit" aria-label=(fill(ctx.t(&M::SETUP_REMOVE_LABEL), &[("what", &what)])) { (ctx.t(&M::SETUP_REMOVE)) }
                    } }
                }
            } }
        } } }
        form method="post" action="/planering/tillganglighet" {
            (csrf_field(ctx))
            input type="hidden" name="atgard" value="rum";
            input type="hidden" name="version" value=(version);
            fieldset { legend { (ctx.t(&M::SETUP_ADD_ROOM)) }
                div.field { label for="rum-vc" { (ctx.t(&M::SETUP_SITE)) }
                    select #rum-vc name="vardcentral" { @for (code, name) in &site_list { option value=(code) { (name) } } } }
                div.field { label for="rum-dag" { (ctx.t(&M::SETUP_WEEKDAY)) }
                    select #rum-dag name="veckodag" { @for n in 1..=5i8 { option value=(n) { (ctx.t(weekday_msg(n))) } } } }
                div.field { label for="rum-fran" { (ctx.t(&M::SETUP_FROM)) } input #rum-fran type="time" name="fran" value="08:30"; }
                div.field { label for="rum-till" { (ctx.t(&M::SETUP_TO)) } input #rum-till type="time" name="till" value="16:00"; }
                button type="submit" { (ctx.t(&M::SETUP_ADD_ROOM)) }
            }
        }
    };
    Ok(form_response(ctx, ctx.t(&M::SETUP_TITLE), body, errors))
}

fn field_error(field: &'static str, message: String) -> AppError {
    AppError::Invalid(vec![FieldError {
        field: field.into(),
        message,
    }])
}

/// Leave periods, and lent rooms, the availability holds at most each (a unit's year
/// of leave and every room it borrows fit many times over; the planner reads them all
/// for every week).
pub const MAX_SETUP_ENTRIES: usize = 500;

fn too_many_entries(ctx: &Ctx, field: &'static str) -> AppError {
    field_error(
        field,
        fill(
            ctx.t(&S::SETUP_ERR_TOO_MANY),
            &[("max", &MAX_SETUP_ENTRIES.to_string())],
        ),
    )
}

/// Applies one change of the availability form to `setup`; the reason to save it with.
fn apply_setup(
    ctx: &Ctx,
    setup: &mut trappa_planning::availability::Setup,
    f: &SetupForm,
    people: &[(String, String, &'static str)],
    names: &Names,
) -> Result<String, AppError> {
    use trappa_planning::availability::{Leave, RoomLending, StaffWeek, WorkDay};
    use trappa_planning::model::Window;
    let person = || {
        people
            .iter()
            .find(|(id, ..)| *id == f.personal)
            .ok_or_else(|| field_error("personal", ctx.t(&M::SETUP_ERR_STAFF).into()))
    };
    match f.atgard.as_str() {
        "vecka" => {
            let (id, name, profession) = person()?;
            let (Some(from), Some(to)) = (parse_hhmm(&f.fran), parse_hhmm(&f.till)) else {
                return Err(field_error("fran", ctx.t(&Y::WEEK_ERR_TIME).into()));
            };
            let shift = Window { from, to };
            let days: Vec<WorkDay> = f
                .dag
                .iter()
                .filter(|d| (1..=5).contains(*d))
                .map(|d| WorkDay {
                    weekday: *d,
                    shift,
                    lunch: f.lunch.is_some().then_some(trappa_app::planning::LUNCH),
                    at_base: f.bas.contains(d),
                })
                .collect();
            setup.staff.retain(|s| s.staff != *id);
            if !days.is_empty() {
                setup.staff.push(StaffWeek {
                    staff: id.clone(),
                    name: name.clone(),
                    profession: (*profession).to_owned(),
                    start: None,
                    days,
                });
            }
            Ok(fill(ctx.t(&M::SETUP_REASON_WEEK), &[("name", name)]))
        }
        "franvaro" => {
            let (id, name, _) = person()?;
            let (Ok(from), Ok(to)) = (
                trappa_input::date::parse(&f.fran_datum),
                trappa_input::date::parse(&f.till_datum),
            ) else {
                return Err(field_error(
                    "franvaro-fran",
                    ctx.t(&V::SETUP_ERR_DATES).into(),
                ));
            };
            if setup.leave.len() >= MAX_SETUP_ENTRIES {
                return Err(too_many_entries(ctx, "franvaro-fran"));
            }
            setup.leave.push(Leave {
                staff: id.clone(),
                from,
                to,
            });
            Ok(fill(
                ctx.t(&M::SETUP_REASON_LEAVE),
                &[
                    ("name", name),
                    ("from", &from.to_string()),
                    ("to", &to.to_string()),
                ],
            ))
        }
        "rum" => {
            if !names.sites.contains_key(&f.vardcentral) || f.vardcentral == "base" {
                return Err(field_error("rum-vc", ctx.t(&M::SETUP_ERR_SITE).into()));
            }
            let (Some(from), Some(to)) = (parse_hhmm(&f.fran), parse_hhmm(&f.till)) else {
                return Err(field_error("rum-fran", ctx.t(&Y::WEEK_ERR_TIME).into()));
            };
            if setup.rooms.len() >= MAX_SETUP_ENTRIES {
                return Err(too_many_entries(ctx, "rum-vc"));
            }
            setup.rooms.push(RoomLending {
                site: f.vardcentral.clone(),
                weekday: f.veckodag,
                window: Window { from, to },
                from: None,
                until: None,
            });
            Ok(fill(
                ctx.t(&M::SETUP_REASON_ROOM),
                &[
                    ("site", names.site(&f.vardcentral)),
                    ("weekday", ctx.t(weekday_msg(f.veckodag))),
                ],
            ))
        }
        "ta_bort_franvaro" if f.nr < setup.leave.len() => {
            let l = setup.leave.remove(f.nr);
            let what = format!("{} {}–{}", setup.name(&l.staff), l.from, l.to);
            Ok(fill(ctx.t(&M::SETUP_REASON_REMOVE), &[("what", &what)]))
        }
        "ta_bort_rum" if f.nr < setup.rooms.len() => {
            let r = setup.rooms.remove(f.nr);
            let what = format!("{}, {}", names.site(&r.site), ctx.t(weekday_msg(r.weekday)));
            Ok(fill(ctx.t(&M::SETUP_REASON_REMOVE), &[("what", &what)]))
        }
        _ => Err(AppError::NotFound),
    }
}

/// `POST /planering/tillganglighet`: one change, validated, saved as a new version.
pub async fn setup_save(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<SetupForm>,
) -> Result<Response, AppError> {
    let unit = unit_of(&user)?;
    let (mut setup, version) = trappa_app::planning::setup(state.store(), unit).await?;
    if version != f.version {
        return Err(AppError::Stale);
    }
    let people = trappa_app::planning::clinicians(state.store(), unit).await?;
    let (_, _, names) = trappa_app::planning::places(state.store(), unit).await?;
    let reason = match apply_setup(&ctx, &mut setup, &f, &people, &names) {
        Ok(r) => r,
        Err(AppError::Invalid(errors)) => return render_setup(&state, &ctx, &user, &errors).await,
        Err(e) => return Err(e),
    };
    let caller = ctx.caller(&user);
    let saved = changes::save_setup(state.store(), &caller, unit, version, &setup, &reason);
    match saved.await.for_user(&ctx) {
        Ok(_) => {}
        Err(AppError::Invalid(errors)) => {
            // The form's fields: the hours, and the leave's dates.
            let names = [
                ("shift", "fran"),
                ("lunch", "fran"),
                ("staff", "fran"),
                ("leave", "franvaro-fran"),
            ];
            let errors = FieldError::renamed(errors, &names);
            return render_setup(&state, &ctx, &user, &errors).await;
        }
        Err(e) => return Err(e),
    }
    Ok(crate::flash::redirect(
        &state,
        "/planering/tillganglighet",
        crate::flash::Flash::PlanningSaved,
        "",
    ))
}
