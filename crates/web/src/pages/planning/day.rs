//! One staff member's day: the route's stops, times, km and a map.

use super::*;
use crate::i18n::V;

/// The day asked for.
#[derive(Debug, Deserialize)]
pub struct DayQuery {
    /// The week.
    #[serde(default)]
    pub vecka: Option<String>,
    /// The staff member.
    #[serde(default)]
    pub personal: String,
    /// The day.
    #[serde(default)]
    pub dag: String,
}

/// `GET /planering/dag`: one staff member's day: the stops in order, times, km per leg,
/// the map, and a form to move each visit.
pub async fn day_route(
    State(state): State<AppState>,
    Authed { ctx, user, .. }: Authed,
    Query(q): Query<DayQuery>,
) -> Result<Response, AppError> {
    let monday = week_of(&ctx, q.vecka.as_deref())?;
    let unit = unit_of(&user)?;
    let (_, setup, names) = problem(&state, &ctx, unit, monday).await?;
    let day: Date = trappa_input::date::parse(&q.dag).map_err(|_| {
        AppError::Invalid(vec![FieldError {
            field: "dag".into(),
            message: ctx.t(&V::WEEK_ERR_NO_DAY).into(),
        }])
    })?;
    let Some((week, _)) = saved(&state, unit, monday).await? else {
        return Err(AppError::NotFound);
    };
    let staff_day = week
        .problem
        .staff_days
        .iter()
        .find(|d| d.staff == q.personal && d.day == day)
        .ok_or(AppError::NotFound)?;
    let staff_name = setup.name(&q.personal).to_owned();
    let route = week
        .plan
        .routes
        .iter()
        .find(|r| r.staff == q.personal && r.day == day);
    let (legs, home, path) = legs_of(&week.problem, staff_day, route);
    let total_km: f64 = legs.iter().map(|l| l.1).sum::<f64>() + home.0;
    let total_min: u32 = legs.iter().map(|l| l.2).sum::<u32>() + home.1;
    let towns = towns(&state).await?;
    let title = fill(
        ctx.t(&Y::WEEK_ROUTE_TITLE),
        &[
            ("staff", &staff_name),
            ("day", &format!("{} {day}", ctx.t(weekday_label(day)))),
        ],
    );
    let colleagues: Vec<(&str, &str)> = setup
        .staff
        .iter()
        .map(|s| (s.staff.as_str(), s.name.as_str()))
        .collect();
    let days = weekdays(monday);
    let body = html! {
        h1 { (title) }
        p { a href={ "/planering?vecka=" (monday) } { "← " (ctx.t(&Y::WEEK_BOARD)) } }
        p.lead { (ctx.t(match week.problem.travel {
            trappa_planning::travel::Travel::Model(_) => &Y::WEEK_ROUTE_LEAD,
            trappa_planning::travel::Travel::Table(..) => &Y::WEEK_ROUTE_LEAD_ROAD,
        })) }
        @if legs.is_empty() { p { (ctx.t(&Y::WEEK_ROUTE_NONE)) } }
        @else {
            div.table-wrap { table.route {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { (ctx.t(&Y::WEEK_TIME)) }
                    th scope="col" { (ctx.t(&Y::WEEK_PATIENT)) }
                    th scope="col" { (ctx.t(&Y::WEEK_VISIT)) }
                    th scope="col" { (ctx.t(&Y::WEEK_PLACE)) }
                    th scope="col" { (ctx.t(&Y::WEEK_ROUTE_LEG)) }
                    th scope="col" { (ctx.t(&Y::WEEK_MOVE)) }
                } }
                tbody {
                    tr { td { "0" } td { (hhmm(staff_day.shift.from)) } td colspan="2" { (ctx.t(&Y::WEEK_ROUTE_START)) } td { (names.site("base")) } td { "–" } td {} }
                    @for (i, (s, km, min)) in legs.iter().enumerate() {
                        @let who = names.patient(patient_of(&week.problem, &s.visit));
                        tr {
                            td { (i + 1) }
                            td { (hhmm(s.start)) }
                            td { (who) }
                            td { (ctx.t(kind_label(&s.visit))) }
                            td { (place_of(&ctx, &week.problem, &names, s)) }
                            td { @if *min > 0 { (leg_text(&ctx, *km, *min)) } @else { "–" } }
                            td {
                                (move_form(&ctx, &MoveForm { monday, day, staff: &q.personal, index: i, stop: s, who, colleagues: &colleagues, days: &days }))
                            }
                        }
                    }
                    tr { td { (legs.len() + 1) } td {} td colspan="2" { (ctx.t(&Y::WEEK_ROUTE_HOME)) } td { (names.site("base")) } td { @if home.1 > 0 { (leg_text(&ctx, home.0, home.1)) } @else { "–" } } td {} }
                }
            } }
            @if let Some(l) = route.and_then(|r| r.lunch) { p { (fill(ctx.t(&Y::WEEK_LUNCH), &[("time", &hhmm(l))])) } }
            p { strong { (fill(ctx.t(&Y::WEEK_ROUTE_TOTAL), &[("km", &trappa_i18n::format::decimal(total_km, 0, ctx.locale)), ("min", &total_min.to_string())])) } }
        }
        h2 { (ctx.t(&Y::WEEK_MAP)) }
        (map(&ctx, &towns, &path))
    };
    Ok(page(&ctx, &title, body).into_response())
}

/// A day's stops, each with the km and minutes driven to it; the drive home; the path
/// on the map.
type Legs<'a> = (Vec<(&'a Stop, f64, u32)>, (f64, u32), Vec<Point>);

/// A leg's distance and time, through the formatter.
fn leg_text(ctx: &Ctx, km: f64, minutes: u32) -> String {
    format!(
        "{} km, {minutes} min",
        trappa_i18n::format::decimal(km, 0, ctx.locale)
    )
}

/// Each stop of a day's route with the drive to it (digital stops are taken where the
/// clinician is), the drive home, and the path for the map.
fn legs_of<'a>(
    problem: &trappa_planning::model::Problem,
    staff_day: &trappa_planning::model::StaffDay,
    route: Option<&'a trappa_planning::model::Route>,
) -> Legs<'a> {
    let travel = &problem.travel;
    let mut here = staff_day.start;
    let mut legs: Vec<(&Stop, f64, u32)> = Vec::new();
    let mut path: Vec<Point> = vec![staff_day.start];
    for s in route.map(|r| r.stops.as_slice()).unwrap_or(&[]) {
        let place = problem
            .visit(&s.visit)
            .and_then(|v| problem.place(v, s.mode));
        match place {
            Some(p) => {
                legs.push((s, travel.km(here, p), travel.minutes(here, p)));
                here = p;
                path.push(p);
            }
            None => legs.push((s, 0.0, 0)),
        }
    }
    let home = (
        travel.km(here, staff_day.start),
        travel.minutes(here, staff_day.start),
    );
    path.push(staff_day.start);
    (legs, home, path)
}

/// The region's towns for the map (the dots are the central towns), the most populous
/// first so that their names are placed before the crowd's.
async fn towns(state: &AppState) -> Result<Vec<(Point, String)>, AppError> {
    let mut municipalities = state
        .store()
        .units(trappa_store::units::UnitKind::Municipality)
        .await?;
    municipalities.sort_by_key(|u| std::cmp::Reverse(u.population));
    Ok(municipalities
        .into_iter()
        .filter_map(|u| {
            Some((
                Point {
                    lat: u.lat?,
                    lon: u.lon?,
                },
                u.municipality_name.unwrap_or(u.name),
            ))
        })
        .collect())
}

/// What a stop's form to move it needs.
struct MoveForm<'a> {
    monday: Date,
    day: Date,
    /// The staff member whose day this is.
    staff: &'a str,
    /// The stop's place in the day, for unique ids.
    index: usize,
    stop: &'a Stop,
    /// The patient's name, for the button's hidden text.
    who: &'a str,
    colleagues: &'a [(&'a str, &'a str)],
    days: &'a [Date],
}

/// A stop's form to move it to another colleague, day or time.
fn move_form(ctx: &Ctx, m: &MoveForm<'_>) -> Markup {
    html! {
        details {
            summary { (ctx.t(&Y::WEEK_MOVE)) span.visually-hidden { " " (m.who) } }
            form method="post" action="/planering/flytta" {
                (csrf_field(ctx))
                p.hint { (ctx.t(&Y::WEEK_MOVE_HINT)) }
                input type="hidden" name="vecka" value=(m.monday);
                input type="hidden" name="besok" value=(m.stop.visit);
                @let id = format!("flytta-{}", m.index);
                div.field {
                    label for={ (id) "-personal" } { (ctx.t(&Y::WEEK_TO_STAFF)) }
                    select id={ (id) "-personal" } name="personal" {
                        @for (sid, sname) in m.colleagues { option value=(sid) selected[*sid == m.staff] { (sname) } }
                    }
                }
                div.field {
                    label for={ (id) "-dag" } { (ctx.t(&Y::WEEK_TO_DAY)) }
                    select id={ (id) "-dag" } name="dag" {
                        @for d in m.days { option value=(d) selected[*d == m.day] { (ctx.t(weekday_label(*d))) " " (d) } }
                    }
                }
                div.field {
                    label for={ (id) "-tid" } { (ctx.t(&Y::WEEK_TO_TIME)) }
                    input id={ (id) "-tid" } type="time" name="tid" value=(hhmm(m.stop.start));
                }
                button type="submit" { (ctx.t(&Y::WEEK_MOVE)) }
            }
        }
    }
}

/// A day's stops in map coordinates, those at the same place (two visits at one
/// vårdcentral) set apart on a small ring so that each number can be read. The last
/// stop, back at the base, stays on the base: the line closes there.
fn spread_stops(raw: &[(f64, f64)]) -> Vec<(f64, f64)> {
    const NEAR: f64 = 14.0;
    // Markers are 9 across the radius: 22 from the place, and apart on the ring.
    const RING: f64 = 22.0;
    let near = |a: &(f64, f64), b: &(f64, f64)| (a.0 - b.0).hypot(a.1 - b.1) < NEAR;
    let last = raw.len().saturating_sub(1);
    let back_at_base =
        |i: usize| i > 0 && i == last && raw.first().is_some_and(|b| near(b, &raw[i]));
    raw.iter()
        .enumerate()
        .map(|(i, &(x, y))| {
            if back_at_base(i) {
                return (x, y);
            }
            // Counted on the places themselves, not on where earlier stops were moved.
            let here = |j: usize| near(&raw[j], &(x, y)) && !back_at_base(j);
            let before = (0..i).filter(|j| here(*j)).count();
            if before == 0 {
                return (x, y);
            }
            // The first stays on the place; the others share the ring evenly.
            let others = (0..raw.len()).filter(|j| here(*j)).count() - 1;
            let angle = (before - 1) as f64 * std::f64::consts::TAU / others.max(1) as f64;
            (x + RING * angle.cos(), y + RING * angle.sin())
        })
        .collect()
}

/// The region's towns as dots and the day's route as a numbered line, in SVG drawn
/// here (no tiles, no third-party script): an equirectangular projection scaled by the
/// cosine of the mean latitude, so the region keeps its shape.
fn map(ctx: &Ctx, towns: &[(Point, String)], path: &[Point]) -> Markup {
    let all: Vec<Point> = towns
        .iter()
        .map(|t| t.0)
        .chain(path.iter().copied())
        .collect();
    if all.is_empty() {
        return html! {};
    }
    // Room on the right for the easternmost towns' names; at least 40 km of map around
    // a day's stops, so the coast and the lakes show where they are.
    let frame = trappa_reporting::basemap::Frame::fit(
        &all.iter().map(|p| (p.lat, p.lon)).collect::<Vec<_>>(),
        640.0,
        16.0,
        90.0,
        40.0,
    );
    let (w, h) = (frame.width, frame.height);
    let xy = |p: Point| frame.xy(p.lat, p.lon);
    let stops = spread_stops(&path.iter().map(|p| xy(*p)).collect::<Vec<_>>());
    let line: Vec<String> = stops
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    // Town names where they collide with no other name and no stop.
    let town_points: Vec<(f64, f64)> = towns.iter().map(|t| xy(t.0)).collect();
    let mut points: Vec<trappa_reporting::labels::Point> = towns
        .iter()
        .zip(&town_points)
        .map(|(t, (x, y))| trappa_reporting::labels::Point {
            x: *x,
            y: *y,
            r: 3.0,
            text: &t.1,
        })
        .collect();
    points.extend(stops.iter().map(|(x, y)| trappa_reporting::labels::Point {
        x: *x,
        y: *y,
        r: 9.0,
        text: "",
    }));
    let labels = trappa_reporting::labels::place(&points, 11.0, w, h);
    html! {
        figure.map {
            svg viewBox=(format!("0 0 {w:.0} {h:.0}")) role="img" aria-labelledby="map-title map-desc" xmlns="http://www.w3.org/2000/svg" {
                title #map-title { (ctx.t(&Y::WEEK_MAP)) }
                desc #map-desc { (ctx.t(&Y::WEEK_MAP_DESC)) }
                (maud::PreEscaped(trappa_reporting::basemap::svg(&frame)))
                @for (((_, name), (x, y)), label) in towns.iter().zip(&town_points).zip(&labels) {
                    g {
                        circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="3" fill="#5b6770" { title { (name) } }
                        @if let Some(l) = label {
                            text x=(format!("{:.1}", l.x)) y=(format!("{:.1}", l.y)) text-anchor=(l.anchor) font-size="11" fill="#3d464d" { (name) }
                        }
                    }
                }
                @if path.len() > 1 {
                    polyline points=(line.join(" ")) fill="none" stroke="#005a9c" stroke-width="2.5" {}
                    @let (bx, by) = stops[0];
                    rect x=(format!("{:.1}", bx - 6.0)) y=(format!("{:.1}", by - 6.0)) width="12" height="12" fill="#aa3c00" { title { (ctx.t(&Y::WEEK_MAP_BASE)) } }
                    @for (i, (x, y)) in stops.iter().copied().enumerate().skip(1).take(path.len().saturating_sub(2)) {
                        circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="9" fill="#005a9c" {}
                        text x=(format!("{x:.1}")) y=(format!("{:.1}", y + 4.0)) font-size="12" text-anchor="middle" fill="#ffffff" { (i) }
                    }
                }
            }
            figcaption { (ctx.t(&Y::WEEK_MAP_DESC)) " " span.muted { (ctx.t(&M::MAP_SOURCES)) } }
        }
    }
}

#[cfg(test)]
mod map_tests {
    use super::spread_stops;

    #[test]
    fn stops_at_one_place_are_set_apart_and_the_day_closes_at_the_base() {
        let base = (10.0, 10.0);
        let centre = (100.0, 50.0);
        let stops = spread_stops(&[base, centre, centre, centre, (200.0, 80.0), base]);
        assert_eq!(stops[0], base);
        assert_eq!(stops[1], centre);
        // Markers are 9 across the radius: never closer than 18.
        for (i, a) in stops[1..4].iter().enumerate() {
            for b in &stops[i + 2..4] {
                assert!((a.0 - b.0).hypot(a.1 - b.1) >= 18.0, "{a:?} {b:?}");
            }
        }
        let crowd = spread_stops(&[base, centre, centre, centre, centre, centre, centre, centre]);
        for (i, a) in crowd[1..].iter().enumerate() {
            for b in &crowd[i + 2..] {
                assert!(
                    (a.0 - b.0).hypot(a.1 - b.1) >= 18.0,
                    "seven at one place: {a:?} {b:?}"
                );
            }
        }
        assert_eq!(stops[4], (200.0, 80.0), "a lone stop stays put");
        assert_eq!(stops[5], base, "back at the base");
    }
}
