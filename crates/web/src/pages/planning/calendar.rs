//! The staff's and a patient's visits as ICS calendars.

use super::*;

/// The calendar asked for.
#[derive(Debug, Deserialize)]
pub struct CalendarQuery {
    /// The week.
    #[serde(default)]
    pub vecka: Option<String>,
    /// The staff member.
    #[serde(default)]
    pub personal: String,
}

/// `GET /planering/kalender`: a staff member's week as an iCalendar file: one event per
/// visit (patient, kind, place or mode), and lunch.
pub async fn calendar(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<CalendarQuery>,
) -> Result<Response, AppError> {
    use icalendar::Calendar;
    let monday = week_of(&ctx, q.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    let (_, setup, names) = problem(&state, &ctx, unit, monday).await?;
    let Some((week, _)) = saved(&state, unit, monday).await? else {
        return Err(AppError::NotFound);
    };
    let staff_name = setup.name(&q.personal).to_owned();
    let caller = ctx.caller(&user);
    trappa_app::planning::log_calendar_export(state.store(), &caller, &week, &q.personal)
        .await
        .for_user(&ctx)?;
    let mut cal = Calendar::new();
    cal.name(&fill(
        ctx.t(&Y::WEEK_ICS_NAME),
        &[
            ("staff", &staff_name),
            ("week", &monday.iso_week_date().week().to_string()),
        ],
    ));
    for r in week.plan.routes.iter().filter(|r| r.staff == q.personal) {
        for s in &r.stops {
            let Some(v) = week.problem.visit(&s.visit) else {
                continue;
            };
            let summary = fill(
                ctx.t(&Y::WEEK_ICS_EVENT),
                &[
                    ("kind", ctx.t(kind_label(&s.visit))),
                    ("patient", names.patient(&v.patient)),
                    ("mode", ctx.t(mode_label(s.mode))),
                ],
            );
            cal.push(visit_event(
                &ctx, &week, &names, r.day, s, v.minutes, &summary,
            )?);
        }
    }
    Ok(crate::download::ics(
        &format!("trappa-vecka-{monday}.ics"),
        cal.done().to_string(),
    ))
}

/// A planned visit as a calendar event. Its id follows the visit, so importing a newer
/// file after a re-plan moves the event instead of adding a second one.
fn visit_event(
    ctx: &Ctx,
    week: &WeekPlan,
    names: &Names,
    day: Date,
    stop: &Stop,
    minutes: u32,
    summary: &str,
) -> Result<icalendar::Event, AppError> {
    use icalendar::{Component, EventLike};
    const UTC: &str = "%Y%m%dT%H%M%SZ";
    let at = |m: Minute| local(day, m).map(|t| t.strftime(UTC).to_string());
    Ok(icalendar::Event::new()
        .uid(&format!("{}@trappa", stop.visit))
        .summary(summary)
        .location(&place_of(ctx, &week.problem, names, stop))
        .add_property("DTSTAMP", jiff::Timestamp::now().strftime(UTC).to_string())
        .add_property("DTSTART", at(stop.start)?)
        .add_property("DTEND", at(stop.start + minutes)?)
        .done())
}

/// A local wall-clock time in Stockholm as UTC, for calendar files.
fn local(day: Date, minute: Minute) -> Result<jiff::Timestamp, AppError> {
    let t = day
        .to_datetime(jiff::civil::Time::midnight())
        .checked_add(jiff::Span::new().minutes(i64::from(minute)))
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(t.to_zoned(trappa_app::clock::stockholm())
        .map_err(|e| AppError::Internal(e.into()))?
        .timestamp())
}

/// Weeks ahead a patient's calendar covers (this one included).
const PATIENT_WEEKS: i64 = 4;

/// `GET /patienter/{id}/besok.ics`: the patient's planned visits in the saved weeks from
/// this one on, as an iCalendar file whose event ids follow the visit, so importing it
/// again after a re-plan moves the events instead of doubling them.
pub async fn patient_calendar(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    crate::extract::Path(id): crate::extract::Path<Uuid>,
) -> Result<Response, AppError> {
    use icalendar::Calendar;
    crate::access::open_patient(
        &state,
        &ctx,
        &user,
        id,
        trappa_store::access_log::Action::Export,
        "patient.planned_visits.ics",
    )
    .await?;
    let unit = unit_of(&user)?;
    let (_, _, names) = trappa_app::planning::places(state.store(), unit).await?;
    let patient = id.to_string();
    let mut cal = Calendar::new();
    cal.name(ctx.t(&Y::WEEK_ICS_PATIENT));
    let first = monday_of(today());
    for n in 0..PATIENT_WEEKS {
        let monday = first
            .checked_add(jiff::Span::new().days(7 * n))
            .map_err(|e| AppError::Internal(e.into()))?;
        let Some((week, _)) = saved(&state, unit, monday).await? else {
            continue;
        };
        for r in &week.plan.routes {
            for s in &r.stops {
                let Some(v) = week
                    .problem
                    .visit(&s.visit)
                    .filter(|v| v.patient == patient)
                else {
                    continue;
                };
                let summary = fill(
                    ctx.t(&Y::WEEK_ICS_PATIENT_EVENT),
                    &[("mode", ctx.t(mode_label(s.mode)))],
                );
                cal.push(visit_event(
                    &ctx, &week, &names, r.day, s, v.minutes, &summary,
                )?);
            }
        }
    }
    Ok(crate::download::ics("besok.ics", cal.done().to_string()))
}
