//! Visits asked for by hand for a week (beside the demand the care plans make).

use super::*;

pub(super) fn requests_section(
    ctx: &Ctx,
    monday: Date,
    requests: &[crate::week::VisitRequest],
    version: i64,
    names: &Names,
) -> Markup {
    let mut patients: Vec<(&String, &String)> = names.patients.iter().collect();
    patients.sort_by(|a, b| a.1.cmp(b.1));
    html! {
        h2 { (ctx.t(&M::WEEK_REQUESTS)) }
        p { (ctx.t(&M::WEEK_REQUESTS_LEAD)) }
        @if requests.is_empty() { p.muted { (ctx.t(&M::WEEK_REQUESTS_NONE)) } }
        @else { ul.requests { @for r in requests {
            @let who = names.patient(&r.patient.to_string()).to_owned();
            li {
                (who) " – " (ctx.t(profession_label(&r.profession))) ", " (r.minutes) " min, "
                (r.modes.iter().map(|m| ctx.t(mode_label(*m))).collect::<Vec<_>>().join(", ")) "; "
                @if r.days.is_empty() { (ctx.t(&M::WEEK_ANY_DAY)) }
                @else { (r.days.iter().map(|d| format!("{} {d}", ctx.t(weekday_label(*d)))).collect::<Vec<_>>().join(", ")) }
                " "
                form.inline method="post" action="/planering/besok" {
                    (csrf_field(ctx))
                    input type="hidden" name="vecka" value=(monday);
                    input type="hidden" name="version" value=(version);
                    input type="hidden" name="atgard" value="ta_bort";
                    input type="hidden" name="id" value=(r.id);
                    button.link-button type="submit" aria-label=(fill(ctx.t(&M::SETUP_REMOVE_LABEL), &[("what", &who)])) { (ctx.t(&M::SETUP_REMOVE)) }
                }
            }
        } } }
        details.add-request {
            summary { (ctx.t(&M::WEEK_ADD_REQUEST)) }
            form method="post" action="/planering/besok" {
                (csrf_field(ctx))
                input type="hidden" name="vecka" value=(monday);
                input type="hidden" name="version" value=(version);
                input type="hidden" name="atgard" value="lagg_till";
                div.field { label for="begaran-patient" { (ctx.t(&M::WEEK_PATIENT)) }
                    select #begaran-patient name="patient" { @for (id, name) in &patients { option value=(id) { (name) } } } }
                div.field { label for="begaran-yrke" { (ctx.t(&M::WEEK_PROFESSION)) }
                    select #begaran-yrke name="yrke" { @for p in PROFESSIONS { option value=(p) { (ctx.t(profession_label(p))) } } } }
                div.field { label for="begaran-minuter" { (ctx.t(&M::WEEK_MINUTES)) }
                    input #begaran-minuter type="number" name="minuter" value="30" min="15" max="240" step="15"; }
                fieldset #begaran-form { legend { (ctx.t(&M::WEEK_MODES)) }
                    @for (m, code) in MODES { label.inline-choice { input type="checkbox" name="form" value=(code) checked[m != Mode::Base]; " " (ctx.t(mode_label(m))) } " " }
                }
                fieldset { legend { (ctx.t(&M::WEEK_DAYS)) }
                    @for d in weekdays(monday) { label.inline-choice { input type="checkbox" name="dag" value=(d); " " (ctx.t(weekday_label(d))) } " " }
                }
                button type="submit" { (ctx.t(&M::WEEK_ADD_REQUEST)) }
            }
        }
    }
}

/// The form that adds or removes a manual visit request.
#[derive(Debug, Deserialize)]
pub struct RequestForm {
    /// The week.
    #[serde(default)]
    pub vecka: Option<String>,
    /// The requests' version the page showed.
    #[serde(default)]
    pub version: i64,
    /// `lagg_till` or `ta_bort`.
    #[serde(default)]
    pub atgard: String,
    /// The patient.
    #[serde(default)]
    pub patient: String,
    /// The profession.
    #[serde(default)]
    pub yrke: String,
    /// Minutes.
    #[serde(default)]
    pub minuter: String,
    /// Modes.
    #[serde(default)]
    pub form: Vec<String>,
    /// Days.
    #[serde(default)]
    pub dag: Vec<String>,
    /// The request to remove.
    #[serde(default)]
    pub id: String,
}

/// Manual visit requests a week holds at most: a whole week of the team is about 260
/// visits, and each request is a job for the planner.
pub const MAX_REQUESTS_PER_WEEK: usize = 300;

/// `POST /planering/besok`: adds or removes a manual visit request for the week.
pub async fn request(
    State(state): State<AppState>,
    Can { ctx, user, .. }: Can<PlanTrips>,
    HtmlForm(f): HtmlForm<RequestForm>,
) -> Result<Response, AppError> {
    use crate::week::{VisitRequest, requests, requests_kind};
    let monday = week_of(&ctx, f.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    // The patients are read (and logged) first: a request must name one with a team.
    let (_, _, names) = problem(&state, &ctx, unit, monday).await?;
    let (mut list, version) = requests(state.store(), unit, monday).await?;
    if version != f.version {
        return Err(AppError::Stale);
    }
    let reason = match f.atgard.as_str() {
        "ta_bort" => {
            let before = list.len();
            list.retain(|r| r.id.to_string() != f.id);
            if list.len() == before {
                return Err(AppError::NotFound);
            }
            ctx.t(&M::WEEK_REASON_REQUEST_REMOVED).to_owned()
        }
        "lagg_till" => {
            let mut errors = Vec::new();
            if list.len() >= MAX_REQUESTS_PER_WEEK {
                errors.push(FieldError {
                    field: "begaran-patient".into(),
                    message: fill(
                        ctx.t(&S::WEEK_ERR_TOO_MANY_REQUESTS),
                        &[("max", &MAX_REQUESTS_PER_WEEK.to_string())],
                    ),
                });
            }
            let patient: Option<Uuid> = f
                .patient
                .parse()
                .ok()
                .filter(|p: &Uuid| names.patients.contains_key(&p.to_string()));
            if patient.is_none() {
                errors.push(FieldError {
                    field: "begaran-patient".into(),
                    message: ctx.t(&M::WEEK_ERR_PATIENT).into(),
                });
            }
            if !PROFESSIONS.contains(&f.yrke.as_str()) {
                errors.push(FieldError {
                    field: "begaran-yrke".into(),
                    message: ctx.t(&M::WEEK_ERR_PROFESSION).into(),
                });
            }
            let minutes: Option<u32> = f
                .minuter
                .trim()
                .parse()
                .ok()
                .filter(|m| (15..=240).contains(m));
            if minutes.is_none() {
                errors.push(FieldError {
                    field: "begaran-minuter".into(),
                    message: ctx.t(&M::WEEK_ERR_MINUTES).into(),
                });
            }
            let modes: Vec<Mode> = MODES
                .iter()
                .filter(|(_, code)| f.form.iter().any(|c| c == code))
                .map(|(m, _)| *m)
                .collect();
            if modes.is_empty() {
                errors.push(FieldError {
                    field: "begaran-form".into(),
                    message: ctx.t(&M::WEEK_ERR_MODES).into(),
                });
            }
            let week_days = weekdays(monday);
            // Each of the week's days once, however often the form names it.
            let days: Vec<Date> = week_days
                .iter()
                .copied()
                .filter(|day| {
                    f.dag
                        .iter()
                        .any(|d| trappa_input::date::parse(d).ok() == Some(*day))
                })
                .collect();
            let (Some(patient), Some(minutes), true) = (patient, minutes, errors.is_empty()) else {
                return Err(AppError::Invalid(errors));
            };
            list.push(VisitRequest {
                id: Uuid::now_v7(),
                patient,
                profession: f.yrke.clone(),
                minutes,
                modes,
                days,
            });
            fill(
                ctx.t(&M::WEEK_REASON_REQUEST),
                &[
                    ("profession", ctx.t(profession_label(&f.yrke))),
                    ("minutes", &minutes.to_string()),
                ],
            )
        }
        _ => return Err(AppError::NotFound),
    };
    let body = serde_json::to_string(&list).map_err(|e| AppError::Internal(e.into()))?;
    state
        .store()
        .save_document(
            unit,
            &requests_kind(monday),
            version,
            &body,
            user.account_id,
            &reason,
        )
        .await?;
    Ok(crate::flash::redirect(
        &state,
        &format!("/planering?vecka={monday}"),
        crate::flash::Flash::PlanningSaved,
        "",
    ))
}
