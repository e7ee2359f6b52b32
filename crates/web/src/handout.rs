//! The patient handout as HTML, drawn from the plan's one schedule
//! (`trappa_taper::output::handout`): [`body`] is a fragment for a page of the app,
//! [`document`] a standalone printable page (the `trappa taper --html` file).

use jiff::civil::Date;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use trappa_i18n::{Locale, fill};
use trappa_taper::Plan;
use trappa_taper::output::handout::{Recipient, calendar_months, weeks};
use trappa_taper::output::{amount_text, date_text, day_lines, phase_name, time_heading};
use trappa_taper::plan::DrugStep;
use trappa_taper::reference::Route;
use trappa_taper::regimen::DoseTime;
use trappa_taper::text::T;

fn drug_day(plan: &Plan, ds: &[DrugStep], locale: Locale) -> Markup {
    html! {
        @for (i, drug) in plan.drugs.iter().enumerate() {
            @let d = &ds[i];
            @if d.per_day.is_zero() {
                p { strong { (drug.name) } ": " (T::NO_DOSE.get(locale)) }
            } @else {
                p { strong { (drug.name) } " (" (amount_text(d.per_day, locale)) " " (drug.unit) ")" }
                ul {
                    @for line in day_lines(drug, &d.doses, locale) { li { (line) } }
                }
            }
        }
    }
}

/// The handout's content, for a page of the web app.
pub fn body(plan: &Plan, locale: Locale, today: Date) -> Markup {
    body_for(plan, locale, today, None)
}

/// The handout's content for a named patient, with the unit's phone number.
pub fn body_for(plan: &Plan, locale: Locale, today: Date, who: Option<&Recipient>) -> Markup {
    let schedule = plan.schedule();
    let current = schedule.on(today).drugs;
    let rows = weeks(plan, locale);
    let phases = plan.has_phases();
    let columns = 2 + plan
        .drugs
        .iter()
        .map(|d| if d.route == Route::Transdermal { 1 } else { 4 })
        .sum::<usize>();
    html! {
        section.handout {
            h1 { (T::H_TITLE.get(locale)) }
            @if let Some(w) = who { p.recipient { strong { (fill(T::H_FOR.get(locale), &[("name", &w.name)])) } } }
            p { (T::H_INTRO.get(locale)) }
            p { (T::H_CONTACT.get(locale)) }
            @if let Some(phone) = who.and_then(|w| w.phone.as_deref()) {
                p.phone { strong { (fill(T::H_PHONE.get(locale), &[("phone", phone)])) } }
            }
            p.urgent { strong { (T::H_URGENT.get(locale)) } }
            h2 { (T::H_NOW.get(locale)) " (" (date_text(today, locale)) ")" }
            (drug_day(plan, current, locale))
            h2 { (T::H_STEPS.get(locale)) }
            table.steps {
                thead { tr {
                    th scope="col" { (T::H_STEP.get(locale)) }
                    th scope="col" { (T::H_FROM.get(locale)) }
                    th scope="col" { (T::H_DOSE.get(locale)) }
                } }
                tbody {
                    @for (k, p) in schedule.periods().iter().enumerate() {
                        @if phases && (k == 0 || schedule.periods()[k - 1].phase() != p.phase()) {
                            tr.phase { th colspan="3" scope="rowgroup" { (phase_name(plan, p.phase(), locale)) } }
                        }
                        tr {
                            td { (p.number()) }
                            td {
                                @if p.step.is_none() {
                                    (T::H_CURRENT.get(locale))
                                    @if let Some(last) = p.last_day() {
                                        " " (fill(T::H_UNTIL.get(locale), &[("date", &date_text(last, locale))]))
                                    }
                                } @else {
                                    (date_text(p.from, locale))
                                    @if p.until.is_none() { " " (T::H_ONWARDS.get(locale)) }
                                }
                            }
                            td { (drug_day(plan, p.drugs, locale)) }
                        }
                    }
                }
            }
            h2 { (T::H_WEEKS.get(locale)) }
            table.weeks {
                thead { tr {
                    th scope="col" { (T::H_WEEK.get(locale)) }
                    th scope="col" { (T::H_DATES.get(locale)) }
                    @for drug in &plan.drugs {
                        @if drug.route == Route::Transdermal {
                            th scope="col" { (drug.name) }
                        } @else {
                            @for t in DoseTime::ALL { th scope="col" { (drug.name) ", " (time_heading(t, locale).to_lowercase()) } }
                        }
                    }
                } }
                tbody {
                    @for (k, r) in rows.iter().enumerate() {
                        @if phases && (k == 0 || rows[k - 1].phase != r.phase) {
                            tr.phase { th colspan=(columns) scope="rowgroup" { (phase_name(plan, r.phase, locale)) } }
                        }
                        tr class=[r.changes.then_some("change")] {
                            th scope="row" { (r.week) @if r.changes { " *" } }
                            td { (r.from) " – " (r.to) }
                            @for (i, drug) in plan.drugs.iter().enumerate() {
                                @if drug.route == Route::Transdermal {
                                    td { (r.cells[i][0]) }
                                } @else {
                                    @for k in 0..4 { td { (r.cells[i][k]) } }
                                }
                            }
                        }
                    }
                }
            }
            p { "* " (T::H_CHANGE_DAY.get(locale)) }
            h2 { (T::H_CALENDAR.get(locale)) }
            (calendar(plan, locale))
            p.version { (T::H_PLAN_VERSION.get(locale)) }
        }
    }
}

fn calendar(plan: &Plan, locale: Locale) -> Markup {
    let weekdays: Vec<&str> = T::WEEKDAYS.get(locale).split(' ').collect();
    html! {
        div.calendars {
            @for m in calendar_months(plan, locale) {
                table.calendar {
                    caption { (m.title) }
                    thead { tr { @for w in &weekdays { th scope="col" { (w) } } } }
                    tbody {
                        @for week in &m.weeks {
                            tr {
                                @for cell in week {
                                    @match cell {
                                        None => td {},
                                        Some(d) => td class=[d.change.map(|_| "change").or(d.in_plan.then_some("in-plan"))] {
                                            (d.day)
                                            @if let Some(n) = d.change { br; small { (T::H_STEP.get(locale)) " " (n) } }
                                        },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

const PRINT_CSS: &str = "body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#111;line-height:1.45}\
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.25rem .4rem;vertical-align:top;text-align:left}\
tr.change,td.change{background:#fff3c4}tr.phase th{background:#e8eef5;text-align:left}td.in-plan{background:#f3f7fb}.calendars{display:flex;flex-wrap:wrap;gap:1rem}\
table.calendar td{width:2.4rem;height:2.4rem}.urgent{border-left:4px solid #a00;padding-left:.5rem}.version{font-size:.85rem;color:#444}\
@media print{body{max-width:none}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}";

/// A standalone printable HTML document.
pub fn document(plan: &Plan, locale: Locale, today: Date) -> String {
    html! {
        (DOCTYPE)
        html lang=(locale.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (T::H_TITLE.get(locale)) }
                style { (PreEscaped(PRINT_CSS)) }
            }
            body { main { (body(plan, locale, today)) } }
        }
    }
    .into_string()
}
