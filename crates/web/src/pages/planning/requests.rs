//! Visits asked for by hand for a week (beside the demand the care plans make).

use super::*;

pub(super) fn requests_section(
    ctx: &Ctx,
    monday: Date,
    requests: &[trappa_app::planning::VisitRequest],
    version: i64,
    names: &Names,
) -> Markup {
    let mut patients: Vec<(&String, &String)> = names.patients.iter().collect();
    patients.sort_by(|a, b| a.1.cmp(b.1));
    html! {
        h2 { (ctx.t(&Y::WEEK_REQUESTS)) }
        p { (ctx.t(&Y::WEEK_REQUESTS_LEAD)) }
        @if requests.is_empty() { p.muted { (ctx.t(&Y::WEEK_REQUESTS_NONE)) } }
        @else { ul.requests { @for r in requests {
            @let who = names.patient(&r.patient.to_string()).to_owned();
            li {
                (who) " – " (ctx.t(profession_label(&r.profession))) ", " (r.minutes) " min, "
                (r.modes.iter().map(|m| ctx.t(mode_label(*m))).collect::<Vec<_>>().join(", ")) "; "
                @if r.days.is_empty() { (ctx.t(&Y::WEEK_ANY_DAY)) }
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
            summary { (ctx.t(&Y::WEEK_ADD_REQUEST)) }
            form method="post" action="/planering/besok" {
                (csrf_field(ctx))
                input type="hidden" name="vecka" value=(monday);
                input type="hidden" name="version" value=(version);
                input type="hidden" name="atgard" value="lagg_till";
                div.field { label for="begaran-patient" { (ctx.t(&Y::WEEK_PATIENT)) }
                    select #begaran-patient name="patient" { @for (id, name) in &patients { option value=(id) { (name) } } } }
                div.field { label for="begaran-yrke" { (ctx.t(&Y::WEEK_PROFESSION)) }
                    select #begaran-yrke name="yrke" { @for p in PROFESSIONS { option value=(p) { (ctx.t(profession_label(p))) } } } }
                div.field { label for="begaran-minuter" { (ctx.t(&Y::WEEK_MINUTES)) }
                    input #begaran-minuter type="number" name="minuter" value="30" min="15" max="240" step="15"; }
                fieldset #begaran-form { legend { (ctx.t(&Y::WEEK_MODES)) }
                    @for (m, code) in MODES { label.inline-choice { input type="checkbox" name="form" value=(code) checked[m != Mode::Base]; " " (ctx.t(mode_label(m))) } " " }
                }
                fieldset { legend { (ctx.t(&Y::WEEK_DAYS)) }
                    @for d in weekdays(monday) { label.inline-choice { input type="checkbox" name="dag" value=(d); " " (ctx.t(weekday_label(d))) } " " }
                }
                button type="submit" { (ctx.t(&Y::WEEK_ADD_REQUEST)) }
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

/// `POST /planering/besok`: adds or removes a manual visit request for the week.
pub async fn request(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    HtmlForm(f): HtmlForm<RequestForm>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, f.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    let caller = ctx.caller(&user);
    let store = state.store();
    // The patients are read (and logged) first: a request must name one with a team.
    let (_, _, names) = problem(&state, &ctx, unit, monday).await?;
    let saved = match f.atgard.as_str() {
        "ta_bort" => changes::remove_request(store, &caller, unit, monday, f.version, &f.id).await,
        "lagg_till" => {
            let input = changes::RequestInput {
                patient: f.patient.parse().ok(),
                profession: f.yrke.clone(),
                minutes: f.minuter.clone(),
                modes: MODES
                    .iter()
                    .filter(|(_, code)| f.form.iter().any(|c| c == code))
                    .map(|(m, _)| *m)
                    .collect(),
                days: f
                    .dag
                    .iter()
                    .filter_map(|d| trappa_input::date::parse(d).ok())
                    .collect(),
            };
            changes::add_request(store, &caller, unit, monday, f.version, &input, &names).await
        }
        _ => return Err(AppError::NotFound),
    };
    saved.for_user(&ctx).map_err(|e| {
        e.renamed(&[
            ("patient", "begaran-patient"),
            ("profession", "begaran-yrke"),
            ("minutes", "begaran-minuter"),
            ("modes", "begaran-form"),
        ])
    })?;
    Ok(crate::flash::redirect(
        &state,
        &format!("/planering?vecka={monday}"),
        crate::flash::Flash::PlanningSaved,
        "",
    ))
}
