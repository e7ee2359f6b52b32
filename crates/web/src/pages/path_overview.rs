//! The patient overview's path sections — the page clinicians live on: where the patient
//! is on the path, alerts, open tasks, upcoming visits, the dose chart, latest scores
//! with their trend, and the journal timeline. Everything here is read through the
//! overview's logged access; nothing is written.

use jiff::civil::Date;
use maud::{Markup, PreEscaped, html};
use trappa_i18n::fill;
use trappa_pathway::aftercare::{FollowUpState, OUTCOME_MONTHS, months_after};
use trappa_pathway::clock::{Clock, ClockStatus};
use trappa_pathway::visits::Status;
use trappa_pathway::{Stage, StageFacts, stage};
use trappa_policy::Queue;
use trappa_store::scores::ScoreRecord;
use trappa_store::taper_plans::{PlanStatus, PlanVersion};
use trappa_store::visits::{Appointment, JournalNote};
use trappa_taper::Plan;
use trappa_taper::reference::DrugClass;

use crate::access::OpenedPatient;
use crate::ctx::Ctx;
use crate::error::AppError;
use crate::i18n::{M, Msg};
use crate::pages::aftercare::{PathState, outcome_text};
use crate::pages::visits::{cbt, clock_tag, note_view};
use crate::state::AppState;
use trappa_app::clock::{format_time, today};

/// Days without a score in taper before one is due.
pub const SCORE_DUE_DAYS: i32 = 14;
/// Days before a step change the nurse's contact should take place.
pub const REVIEW_BEFORE_STEP_DAYS: i32 = 7;

/// A stage's name.
pub fn stage_label(s: Stage) -> &'static Msg {
    match s {
        Stage::Triage => &M::STAGE_TRIAGE,
        Stage::Waiting => &M::STAGE_WAITING,
        Stage::Assessment => &M::STAGE_ASSESSMENT,
        Stage::Taper => &M::STAGE_TAPER,
        Stage::Aftercare => &M::STAGE_AFTERCARE,
        Stage::Discharged => &M::STAGE_DISCHARGED,
    }
}

/// Everything the sections need, read once.
pub struct PathFacts {
    /// Stage.
    pub stage: Stage,
    /// The active plan, parsed.
    pub plan: Option<Plan>,
    /// A draft awaits signature.
    pub draft_pending: bool,
    /// Appointments.
    pub appointments: Vec<Appointment>,
    /// The vårdgaranti clock, if referred.
    pub clock: Option<Clock>,
    /// Scores.
    pub scores: Vec<ScoreRecord>,
    /// Journal, newest first.
    pub journal: Vec<JournalNote>,
    /// Aftercare and discharge.
    pub path: PathState,
    /// The drugs named in the referral, converted (DDD, DE/MME) — what the patient takes
    /// until a plan is signed.
    pub referred: Option<trappa_taper::convert::Conversion>,
    /// Referrals that arrived while the patient was already waiting or in care.
    pub off_path: Vec<trappa_store::referrals::OffPath>,
}

/// Reads the facts for the overview.
pub async fn facts(
    state: &AppState,
    opened: &OpenedPatient,
    queue: Option<Queue>,
    versions: &[PlanVersion],
) -> Result<PathFacts, AppError> {
    let store = state.store();
    let plan = versions
        .iter()
        .find(|v| v.status == PlanStatus::Active)
        .map(crate::pages::patient_plan::parse_plan)
        .transpose()?;
    // One after another: run side by side they only contend for the read connections
    // with the other requests (measured in docs/benchmarks.md).
    let appointments = store.appointments(&opened.access).await?;
    let referral = store.patient_referral(&opened.access).await?;
    let events = store.path_events(&opened.access).await?;
    let scores = store.scores(&opened.access).await?;
    let journal = store.journal(&opened.access).await?;
    let off_path = store.referrals_off_path(&opened.access).await?;
    let clock = referral
        .as_ref()
        .map(|r| crate::pages::visits::referral_clock(r, &appointments));
    let referred = match &referral {
        Some(r) if plan.is_none() => referred_medicines(state, r.current_facts()),
        _ => None,
    };
    let path = PathState::from_events(&events)?;
    let stage = stage(StageFacts {
        in_triage: queue == Some(Queue::Triage),
        waiting: queue == Some(Queue::Waiting),
        active_plan: plan.is_some(),
        aftercare: path.aftercare.is_some(),
        discharged: path.discharge.is_some(),
    });
    Ok(PathFacts {
        stage,
        plan,
        draft_pending: versions
            .first()
            .is_some_and(|v| v.status == PlanStatus::Draft),
        appointments,
        clock,
        scores,
        journal,
        path,
        referred,
        off_path,
    })
}

/// The referral's drugs and daily doses converted with the region's default tables;
/// `None` when the referral names no convertible dose. A referral gives a daily total, so
/// it is entered as one night-time dose (a patch as its µg/h); the totals do not depend on
/// the time of day.
fn referred_medicines(state: &AppState, facts: &str) -> Option<trappa_taper::convert::Conversion> {
    let facts: trappa_triage::Facts = serde_json::from_str(facts).ok()?;
    let regimen = |per_drug: &dyn Fn(f64) -> Vec<f64>| trappa_taper::regimen::Regimen {
        drugs: facts
            .drugs
            .iter()
            .filter_map(|d| {
                Some(trappa_taper::regimen::DrugUse {
                    substance: d.substance.clone(),
                    route: None,
                    doses: per_drug(d.daily_dose?),
                    products: vec![],
                    as_needed: None,
                    special_products: false,
                })
            })
            .collect(),
    };
    let convert = |r: trappa_taper::regimen::Regimen| {
        (!r.drugs.is_empty())
            .then(|| {
                trappa_taper::convert::convert(state.reference(), &r, &Default::default()).ok()
            })
            .flatten()
    };
    convert(regimen(&|dose| vec![0.0, 0.0, 0.0, dose]))
        .or_else(|| convert(regimen(&|dose| vec![dose])))
}

/// The alerts: a clinical risk or a broken promise, in words.
pub fn alerts(ctx: &Ctx, f: &PathFacts, protected_identity: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(plan) = &f.plan {
        let has = |c: DrugClass| plan.drugs.iter().any(|d| d.class == c);
        if has(DrugClass::Opioid) && (has(DrugClass::Benzodiazepine) || has(DrugClass::ZDrug)) {
            out.push(ctx.t(&M::ALERT_OPIOID_BZD).to_owned());
        }
    }
    if protected_identity {
        out.push(ctx.t(&M::ALERT_PROTECTED).to_owned());
    }
    if let Some(s) = f
        .scores
        .iter()
        .find(|s| s.corrected_by.is_none() && !s.flags.is_empty())
        .filter(|s| s.observed_on >= today().saturating_sub(jiff::ToSpan::days(30)))
    {
        out.push(fill(
            ctx.t(&M::ALERT_FLAGGED_SCORE),
            &[
                ("date", &s.observed_on.to_string()),
                ("flags", &s.flags.join(", ")),
            ],
        ));
    }
    if let Some(c) = &f.clock
        && matches!(f.stage, Stage::Waiting | Stage::Triage)
        && c.status.is_breach()
    {
        out.push(ctx.t(&M::ALERT_GUARANTEE).to_owned());
    }
    if !f.path.relapses.is_empty() || f.path.follow_ups.iter().any(|(_, x)| x.relapse) {
        out.push(ctx.t(&M::ALERT_RELAPSE).to_owned());
    }
    // A referral for a patient already waiting or in care reaches the care team here
    // (the referrer was answered as for any referral), for eight weeks.
    let since = today().saturating_sub(jiff::ToSpan::days(56));
    for r in f
        .off_path
        .iter()
        .filter(|r| trappa_app::clock::local_date(r.received_at) >= since)
    {
        let who = if r.self_referral {
            ctx.t(&M::REFERRAL_SELF).to_owned()
        } else {
            match &r.unit {
                Some(unit) => format!("{} ({unit})", r.referrer),
                None => r.referrer.clone(),
            }
        };
        out.push(fill(
            ctx.t(&crate::i18n::S::ALERT_REFERRAL_IN_CARE),
            &[
                ("date", &trappa_app::clock::format_date(r.received_at)),
                ("who", &who),
            ],
        ));
    }
    out
}

/// One open task: what, and where to do it.
pub struct Task {
    /// What to do.
    pub text: String,
    /// Where.
    pub href: String,
}

/// Open tasks for the patient, from the stage and the record.
pub fn tasks(ctx: &Ctx, id: trappa_store::Uuid, f: &PathFacts, today: Date) -> Vec<Task> {
    let mut out = Vec::new();
    let mut task = |m: &'static Msg, href: String, args: &[(&str, &str)]| {
        out.push(Task {
            text: fill(ctx.t(m), args),
            href,
        })
    };
    let booked = |kind: trappa_pathway::visits::Kind| {
        f.appointments
            .iter()
            .any(|a| a.kind == kind && a.status == Status::Booked)
    };
    match f.stage {
        Stage::Triage => task(&M::TASK_TRIAGE, format!("/patienter/{id}/remiss"), &[]),
        Stage::Waiting if !booked(trappa_pathway::visits::Kind::Assessment) => task(
            &M::TASK_BOOK_ASSESSMENT,
            format!("/patienter/{id}/besok?typ=assessment#boka"),
            &[],
        ),
        Stage::Assessment if !f.draft_pending => {
            task(&M::TASK_DRAFT_PLAN, format!("/patienter/{id}/plan/ny"), &[])
        }
        _ => {}
    }
    if f.draft_pending {
        task(&M::TASK_SIGN_PLAN, format!("/patienter/{id}/plan"), &[]);
    }
    if f.stage == Stage::Taper
        && let Some(plan) = &f.plan
    {
        if let Some(next) = plan.steps.iter().find(|s| s.start > today) {
            let window_from = next
                .start
                .saturating_sub(jiff::ToSpan::days(REVIEW_BEFORE_STEP_DAYS));
            let reviewed = f.appointments.iter().any(|a| {
                let d = trappa_app::clock::local_date(a.starts_at);
                a.status != Status::Cancelled && d >= window_from && d <= next.start
            });
            if today >= window_from && !reviewed {
                task(
                    &M::TASK_REVIEW_BEFORE_STEP,
                    format!("/patienter/{id}/besok?typ=nurse_review#boka"),
                    &[("date", &next.start.to_string())],
                );
            }
        } else if f.path.aftercare.is_none() {
            task(
                &M::TASK_START_AFTERCARE,
                format!("/patienter/{id}/eftervard"),
                &[("date", &plan.end_date().to_string())],
            );
        }
        if scores_due(&f.scores, today) {
            task(
                &M::TASK_SCORE_DUE,
                format!("/patienter/{id}/skattningar"),
                &[],
            );
        }
    }
    if f.stage == Stage::Aftercare {
        for fu in f.path.schedule(today) {
            if matches!(fu.state, FollowUpState::Due | FollowUpState::Overdue) {
                task(
                    &M::TASK_FOLLOW_UP,
                    format!("/patienter/{id}/eftervard"),
                    &[
                        (
                            "n",
                            &trappa_i18n::format::months(i64::from(fu.month), ctx.locale),
                        ),
                        ("date", &fu.due.to_string()),
                    ],
                );
            }
        }
    }
    if let Some((from, _)) = &f.path.aftercare {
        for m in OUTCOME_MONTHS {
            let due = months_after(*from, m);
            if today >= due && !f.path.outcomes.iter().any(|(_, o)| o.months == m) {
                task(
                    &M::TASK_OUTCOME,
                    format!("/patienter/{id}/eftervard"),
                    &[("n", &trappa_i18n::format::months(i64::from(m), ctx.locale))],
                );
            }
        }
    }
    out
}

/// Whether a patient in taper is due a score: none in the last fortnight.
pub fn scores_due(scores: &[ScoreRecord], today: Date) -> bool {
    let since = today.saturating_sub(jiff::ToSpan::days(SCORE_DUE_DAYS));
    !scores
        .iter()
        .any(|s| s.corrected_by.is_none() && s.observed_on >= since)
}

/// The latest score per instrument with the one before, for the trend.
fn latest_scores(scores: &[ScoreRecord]) -> Vec<(&ScoreRecord, Option<&ScoreRecord>)> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for s in scores.iter().filter(|s| s.corrected_by.is_none()) {
        if seen.contains(&s.instrument.as_str()) {
            continue;
        }
        seen.push(&s.instrument);
        let previous = scores
            .iter()
            .filter(|p| p.corrected_by.is_none() && p.instrument == s.instrument && p.id != s.id)
            .find(|p| p.observed_on <= s.observed_on);
        out.push((s, previous));
    }
    out
}

/// The overview's path sections: a head (stage, alerts) above the identity and care
/// team, and a body below the plan.
pub struct Sections {
    /// Stage and alerts.
    pub head: Markup,
    /// Tasks, visits, chart, scores, journal.
    pub body: Markup,
}

/// The sections, in the order clinicians read them.
pub fn sections(
    state: &AppState,
    ctx: &Ctx,
    id: trappa_store::Uuid,
    f: &PathFacts,
    protected_identity: bool,
) -> Result<Sections, AppError> {
    let today = today();
    let alerts = alerts(ctx, f, protected_identity);
    let tasks = tasks(ctx, id, f, today);
    let now = trappa_store::now();
    let upcoming: Vec<&Appointment> = f
        .appointments
        .iter()
        .filter(|a| a.status == Status::Booked && a.starts_at >= now)
        .take(5)
        .collect();
    let progress = cbt(&f.journal);
    let chart = match &f.plan {
        Some(plan) => Some(
            crate::chart::chart_svg(plan, ctx.locale)
                .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?,
        ),
        None => None,
    };
    let head = html! {
        p.stage { strong { (ctx.t(&M::STAGE)) ": " } span.tag.tag-ok { (ctx.t(stage_label(f.stage))) }
            @if let Some(c) = &f.clock { @if !matches!(c.status, ClockStatus::Met | ClockStatus::MetLate) || f.stage == Stage::Waiting {
                " · " (ctx.t(&M::CLOCK_TITLE)) ": " (clock_tag(ctx, c)) } }
            @if let Some((on, d)) = &f.path.discharge { " · " (on.to_string()) ": " (outcome_text(ctx, &d.outcome)) }
        }
        @if !alerts.is_empty() {
            section.alert-list aria-labelledby="alerts-h" {
                h2 #alerts-h { (ctx.t(&M::ALERTS)) }
                ul { @for a in &alerts { li { (a) } } }
            }
        }
    };
    let body = html! {
        @if let Some(c) = &f.referred {
            section aria-labelledby="medicines-h" {
                h2 #medicines-h { (ctx.t(&M::MEDICINES_REFERRED)) }
                ul { @for d in &c.drugs {
                    li { (d.name) ": " (trappa_i18n::format::decimal(d.mg_per_day, 1, ctx.locale)) " mg/" (ctx.t(&M::PER_DAY))
                        @if let Some(ddd) = d.ddd_per_day { " · " (trappa_i18n::format::decimal(ddd, 1, ctx.locale)) " DDD" }
                        @if let Some(e) = &d.equivalent { " · " (trappa_i18n::format::decimal(e.per_day, 1, ctx.locale)) " " (e.unit.label()) }
                    }
                } }
                @if !c.totals.is_empty() {
                    p { strong { (ctx.t(&M::MEDICINES_TOTAL)) ": " }
                        @for t in &c.totals { (trappa_i18n::format::decimal(t.per_day, 1, ctx.locale)) " " (t.unit.label()) " (" (t.table) ") " } }
                }
                (crate::pages::taper::warning_list(ctx, &c.warnings, "conversion", false))
            }
        }
        div.grid-2 {
            section aria-labelledby="tasks-h" {
                h2 #tasks-h { (ctx.t(&M::TASKS)) }
                @if tasks.is_empty() { p.muted { (ctx.t(&M::TASKS_NONE)) } }
                ul { @for t in &tasks { li { a href=(t.href) { (t.text) } } } }
            }
            section aria-labelledby="visits-h" {
                h2 #visits-h { (ctx.t(&M::VISITS_UPCOMING)) }
                @if upcoming.is_empty() { p.muted { (ctx.t(&M::VISITS_NONE)) } }
                ul { @for a in &upcoming { li { (format_time(a.starts_at)) " · " (a.kind.label(ctx.locale)) " · " (a.place.label(ctx.locale))
                    @if let Some(c) = &a.clinician_name { " · " (c) } } } }
                p { a href={ "/patienter/" (id) "/besok" } { (ctx.t(&M::VISITS_ALL)) } " · "
                    a href={ "/patienter/" (id) "/eftervard" } { (ctx.t(&M::AFTERCARE_TITLE)) } }
            }
        }
        @if let Some(svg) = chart {
            section aria-labelledby="chart-h" {
                h2 #chart-h { (ctx.t(&M::DOSE_CHART)) }
                figure.chart { (PreEscaped(svg)) }
            }
        }
        section aria-labelledby="scores-h" {
            h2 #scores-h { (ctx.t(&M::SCORES_LATEST)) }
            @let latest = latest_scores(&f.scores);
            @if latest.is_empty() { p.muted { (ctx.t(&M::SCORES_NONE_YET)) } }
            @else {
                div.table-wrap { table {
                    thead { tr { th scope="col" { (ctx.t(&M::SCORES_INSTRUMENT)) } th scope="col" { (ctx.t(&M::FOLLOW_UP_DATE)) } th scope="col" { (ctx.t(&M::SCORES_TOTAL)) } th scope="col" { (ctx.t(&M::SCORES_TREND)) } } }
                    tbody { @for (s, prev) in &latest { tr {
                        td { (state.instruments().get(&s.instrument).map(|i| i.name.as_str()).unwrap_or(&s.instrument)) }
                        td { (s.observed_on.to_string()) }
                        td { (total_text(ctx, s.total)) }
                        td { @match prev {
                            Some(p) if s.total > p.total => { (ctx.t(&M::TREND_UP)) " (" (total_text(ctx, p.total)) ")" },
                            Some(p) if s.total < p.total => { (ctx.t(&M::TREND_DOWN)) " (" (total_text(ctx, p.total)) ")" },
                            Some(_) => (ctx.t(&M::TREND_SAME)),
                            None => "–",
                        } }
                    } } }
                } }
            }
            p.actions {
                a href={ "/patienter/" (id) "/skattningar" } { (ctx.t(&M::SCORES_ALL)) }
                a href={ "/patienter/" (id) "/dagbok" } { (ctx.t(&crate::i18n::R::TITLE)) }
                a href={ "/patienter/" (id) "/meddelanden" } { (ctx.t(&crate::i18n::G::PATIENT_TITLE)) }
                a href={ "/patienter/" (id) "/sip" } { (ctx.t(&crate::i18n::Q::NAV)) }
            }
        }
        section aria-labelledby="journal-h" {
            h2 #journal-h { (ctx.t(&M::JOURNAL_TITLE)) }
            @if progress.held > 0 {
                p { strong { (ctx.t(&M::CBT_PROGRESS)) ": " } (fill(ctx.t(&M::CBT_HELD), &[("held", &progress.held.to_string()), ("of", &progress.of.to_string())])) }
            }
            @if f.journal.is_empty() { p.muted { (ctx.t(&M::JOURNAL_EMPTY)) } }
            ol.timeline { @for n in f.journal.iter().take(5) { (note_view(ctx, id, n, false)) } }
            p { a href={ "/patienter/" (id) "/journal" } { (ctx.t(&M::JOURNAL_ALL)) } " · "
                a href={ "/patienter/" (id) "/journal/ny?typ=note" } { (ctx.t(&M::NOTE_NEW)) } }
        }
    };
    Ok(Sections { head, body })
}

/// A score's total as the formatter writes it: a mean (PEG) to one decimal, with a
/// decimal comma; a sum as a whole number.
pub(crate) fn total_text(ctx: &Ctx, total: f64) -> String {
    trappa_i18n::format::exact(total, 1, ctx.locale)
}
