//! Every route in one table. The router is built from it, and the tests walk it: the
//! authorisation matrix (every route × every role) and the access-log completeness
//! check (every route that touches patient data writes a log entry).

use axum::Router;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodRouter, get, post};

use crate::pages::{
    account, admin, aftercare, audit, login, needs, patient_plan, patients, planning, portal,
    referrals, report, scores, self_referral, start, taper, visits, waiting,
};
use crate::{AppState, api, api_path, assets, csrf, ctx, error, headers, metrics, openapi};

/// What a route does with patient data; the completeness test uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Touches {
    /// No patient data.
    Nothing,
    /// Reads or writes the patient named by the `{id}` path parameter.
    Patient,
    /// Searches patients (lists identities).
    PatientSearch,
    /// Reads the signed-in patient's own data.
    OwnRecord,
    /// Reads the access log (which names patients).
    AccessLog,
    /// Lists referrals (one's own, or the triage inbox): the listing is logged, and each
    /// patient it names.
    ReferralList,
    /// Reads or writes the patient of the referral named by the `{id}` path parameter.
    Referral,
    /// Lists patients in a queue or on a schedule (the waiting list, the week's visits):
    /// the listing is logged, and each patient it names.
    PatientList,
    /// Reads every referred or treated patient's path facts without identities and shows
    /// only suppressed aggregates (the board's follow-up): one log entry per read.
    Aggregates,
}

/// One route.
#[derive(Debug, Clone)]
pub struct RouteSpec {
    /// HTTP method.
    pub method: Method,
    /// Path template, axum syntax.
    pub path: &'static str,
    /// What it touches.
    pub touches: Touches,
}

fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Touches::*;
    let r = |method: Method, path: &'static str, touches: Touches, mr: MethodRouter<AppState>| {
        (
            RouteSpec {
                method,
                path,
                touches,
            },
            mr,
        )
    };
    vec![
        r(Method::GET, "/", Nothing, get(start::root)),
        r(Method::GET, "/logga-in", Nothing, get(login::form)),
        r(Method::POST, "/logga-in", Nothing, post(login::submit)),
        r(
            Method::GET,
            "/logga-in/totp",
            Nothing,
            get(login::totp_form),
        ),
        r(
            Method::POST,
            "/logga-in/totp",
            Nothing,
            post(login::totp_submit),
        ),
        r(Method::POST, "/logga-ut", Nothing, post(login::logout)),
        r(Method::POST, "/sprak", Nothing, post(login::language)),
        r(Method::GET, "/start", Nothing, get(start::start)),
        r(Method::POST, "/roll", Nothing, post(start::switch_role)),
        r(Method::GET, "/konto", Nothing, get(account::page_handler)),
        r(
            Method::POST,
            "/konto/losenord",
            Nothing,
            post(account::change_password),
        ),
        r(
            Method::POST,
            "/konto/totp/ny",
            Nothing,
            post(account::totp_begin),
        ),
        r(
            Method::POST,
            "/konto/totp",
            Nothing,
            post(account::totp_confirm),
        ),
        r(
            Method::POST,
            "/konto/totp/av",
            Nothing,
            post(account::totp_disable),
        ),
        r(
            Method::GET,
            "/patienter",
            PatientSearch,
            get(patients::search),
        ),
        r(
            Method::GET,
            "/patienter/ny",
            Nothing,
            get(patients::new_form),
        ),
        r(Method::POST, "/patienter", Nothing, post(patients::create)),
        r(
            Method::GET,
            "/patienter/{id}",
            Patient,
            get(patients::overview),
        ),
        r(
            Method::GET,
            "/patienter/{id}/andra",
            Patient,
            get(patients::edit_form),
        ),
        r(
            Method::POST,
            "/patienter/{id}/andra",
            Patient,
            post(patients::edit_submit),
        ),
        r(
            Method::GET,
            "/patienter/{id}/historik",
            Patient,
            get(patients::history),
        ),
        r(
            Method::POST,
            "/patienter/{id}/vardteam",
            Patient,
            post(patients::care_team_add),
        ),
        r(
            Method::POST,
            "/patienter/{id}/vardteam/{member}/avsluta",
            Patient,
            post(patients::care_team_end),
        ),
        r(
            Method::GET,
            "/patienter/{id}/nodatkomst",
            Nothing,
            get(patients::emergency_form),
        ),
        r(
            Method::POST,
            "/patienter/{id}/nodatkomst",
            Patient,
            post(patients::emergency_submit),
        ),
        r(
            Method::GET,
            "/granskning/logg",
            AccessLog,
            get(audit::log_search),
        ),
        r(
            Method::GET,
            "/granskning/nodatkomst",
            AccessLog,
            get(audit::review_queue),
        ),
        r(
            Method::POST,
            "/granskning/nodatkomst/{id}",
            Nothing,
            post(audit::review_submit),
        ),
        r(
            Method::GET,
            "/granskning/patienter/{id}/logg.csv",
            Patient,
            get(audit::patient_extract_csv),
        ),
        r(
            Method::GET,
            "/granskning/patienter/{id}/logg.pdf",
            Patient,
            get(audit::patient_extract_pdf),
        ),
        r(
            Method::GET,
            "/mina-sidor/logg",
            OwnRecord,
            get(portal::my_log),
        ),
        r(
            Method::GET,
            "/mina-sidor/logg.csv",
            OwnRecord,
            get(portal::my_log_csv),
        ),
        r(
            Method::GET,
            "/mina-sidor/logg.pdf",
            OwnRecord,
            get(portal::my_log_pdf),
        ),
        r(Method::GET, "/admin/personal", Nothing, get(admin::list)),
        r(
            Method::GET,
            "/admin/personal/ny",
            Nothing,
            get(admin::new_form),
        ),
        r(
            Method::POST,
            "/admin/personal",
            Nothing,
            post(admin::create),
        ),
        r(
            Method::GET,
            "/admin/personal/{id}",
            Nothing,
            get(admin::edit_form),
        ),
        r(
            Method::POST,
            "/admin/personal/{id}",
            Nothing,
            post(admin::edit_submit),
        ),
        r(Method::GET, "/api/v1/me", Nothing, get(api::me)),
        r(Method::GET, "/api/v1/units", Nothing, get(api::units)),
        r(
            Method::GET,
            "/api/v1/patients",
            PatientSearch,
            get(api::search_patients),
        ),
        r(
            Method::POST,
            "/api/v1/patients",
            Nothing,
            post(api::create_patient),
        ),
        r(
            Method::GET,
            "/api/v1/patients/{id}",
            Patient,
            get(api::patient),
        ),
        r(
            Method::PUT,
            "/api/v1/patients/{id}",
            Patient,
            axum::routing::put(api::update_patient),
        ),
        r(
            Method::GET,
            "/api/v1/patients/{id}/history",
            Patient,
            get(api::patient_history),
        ),
        r(
            Method::GET,
            "/api/v1/patients/{id}/taper-plan",
            Patient,
            get(api::patient_taper_plan),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/taper-plan",
            Patient,
            post(api::draft_patient_taper_plan),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/taper-plan/sign",
            Patient,
            post(api::sign_patient_taper_plan),
        ),
        r(
            Method::GET,
            "/api/v1/patients/{id}/taper-plan/proposal",
            Patient,
            get(api_path::proposal),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/taper-plan/adopt",
            Patient,
            post(api_path::adopt),
        ),
        r(
            Method::GET,
            "/api/v1/patients/{id}/scores",
            Patient,
            get(api::patient_scores),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/scores",
            Patient,
            post(api::record_patient_score),
        ),
        r(
            Method::POST,
            "/api/v1/referrals",
            Nothing,
            post(api_path::send_referral),
        ),
        r(
            Method::GET,
            "/api/v1/referrals",
            ReferralList,
            get(api_path::referrals),
        ),
        r(
            Method::GET,
            "/api/v1/referrals/{id}",
            Referral,
            get(api_path::referral),
        ),
        r(
            Method::POST,
            "/api/v1/referrals/{id}/decision",
            Referral,
            post(api_path::decide_referral),
        ),
        r(
            Method::POST,
            "/api/v1/referrals/{id}/complement",
            Referral,
            post(api_path::complement_referral),
        ),
        r(
            Method::GET,
            "/api/v1/patients/{id}/care-team",
            Patient,
            get(api_path::care_team),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/care-team",
            Patient,
            post(api_path::add_member),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/care-team/{member}/hand-over",
            Patient,
            post(api_path::hand_over),
        ),
        r(
            Method::GET,
            "/api/v1/waiting-list",
            PatientList,
            get(api_path::waiting_list),
        ),
        r(
            Method::GET,
            "/api/v1/patients/{id}/appointments",
            Patient,
            get(api_path::appointments),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/appointments",
            Patient,
            post(api_path::book_appointment),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/appointments/{appointment}",
            Patient,
            post(api_path::change_appointment),
        ),
        r(
            Method::GET,
            "/api/v1/patients/{id}/journal",
            Patient,
            get(api_path::journal),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/journal",
            Patient,
            post(api_path::write_note),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/journal/{note}",
            Patient,
            post(api_path::correct_note),
        ),
        r(
            Method::GET,
            "/api/v1/patients/{id}/path",
            Patient,
            get(api_path::path),
        ),
        r(
            Method::POST,
            "/api/v1/patients/{id}/path",
            Patient,
            post(api_path::record_event),
        ),
        r(
            Method::GET,
            "/api/v1/access-log",
            AccessLog,
            get(api::access_log),
        ),
        r(Method::GET, "/remisser", ReferralList, get(referrals::list)),
        r(
            Method::GET,
            "/remisser/{id}",
            Referral,
            get(referrals::referrer_view),
        ),
        r(
            Method::POST,
            "/remisser/{id}/komplettering",
            Referral,
            post(referrals::answer_complement),
        ),
        r(
            Method::GET,
            "/remisser/{id}/svar/{seq}",
            Referral,
            get(referrals::letter_page),
        ),
        r(
            Method::GET,
            "/remisser/{id}/svar/{seq}/brev.pdf",
            Referral,
            get(referrals::letter_pdf),
        ),
        r(
            Method::GET,
            "/egenremiss",
            Nothing,
            get(self_referral::form),
        ),
        r(
            Method::POST,
            "/egenremiss",
            Nothing,
            post(self_referral::submit),
        ),
        r(
            Method::GET,
            "/remisser/ny",
            Nothing,
            get(referrals::new_form),
        ),
        r(Method::POST, "/remisser", Nothing, post(referrals::send)),
        r(
            Method::GET,
            "/patienter/{id}/remiss",
            Patient,
            get(referrals::show),
        ),
        r(
            Method::POST,
            "/patienter/{id}/remiss/komplettering",
            Patient,
            post(referrals::complement_by_phone),
        ),
        r(
            Method::POST,
            "/patienter/{id}/remiss/beslut",
            Patient,
            post(referrals::decide),
        ),
        r(Method::GET, "/vantelista", PatientList, get(waiting::list)),
        r(Method::GET, "/rapport", Aggregates, get(report::report)),
        r(Method::GET, "/behov", Aggregates, get(needs::needs)),
        r(
            Method::GET,
            "/rapport.csv",
            Aggregates,
            get(report::report_csv),
        ),
        r(
            Method::GET,
            "/rapport.pdf",
            Aggregates,
            get(report::report_pdf),
        ),
        r(Method::GET, "/planering", PatientList, get(planning::board)),
        r(
            Method::POST,
            "/planering/planera",
            PatientList,
            post(planning::propose),
        ),
        // Saving a proposal or pinning writes the unit's planning document and shows no
        // patient; a refused save shows the proposal again, and that read is logged.
        r(
            Method::POST,
            "/planering/spara",
            Nothing,
            post(planning::save),
        ),
        r(
            Method::POST,
            "/planering/fast",
            Nothing,
            post(planning::fix),
        ),
        r(
            Method::POST,
            "/planering/besok",
            PatientList,
            post(planning::request),
        ),
        r(
            Method::POST,
            "/planering/flytta",
            PatientList,
            post(planning::move_visit),
        ),
        r(
            Method::GET,
            "/planering/dag",
            PatientList,
            get(planning::day_route),
        ),
        r(
            Method::GET,
            "/planering/kalender",
            PatientList,
            get(planning::calendar),
        ),
        r(
            Method::GET,
            "/planering/tillganglighet",
            Nothing,
            get(planning::setup_page),
        ),
        r(
            Method::POST,
            "/planering/tillganglighet",
            Nothing,
            post(planning::setup_save),
        ),
        r(
            Method::GET,
            "/patienter/{id}/besok.ics",
            Patient,
            get(planning::patient_calendar),
        ),
        r(
            Method::GET,
            "/patienter/{id}/besok",
            Patient,
            get(visits::list),
        ),
        r(
            Method::POST,
            "/patienter/{id}/besok",
            Patient,
            post(visits::book),
        ),
        r(
            Method::POST,
            "/patienter/{id}/besok/{appointment}",
            Patient,
            post(visits::change),
        ),
        r(
            Method::GET,
            "/patienter/{id}/journal",
            Patient,
            get(visits::journal),
        ),
        r(
            Method::GET,
            "/patienter/{id}/journal/ny",
            Patient,
            get(visits::new_note),
        ),
        r(
            Method::POST,
            "/patienter/{id}/journal",
            Patient,
            post(visits::write_note),
        ),
        r(
            Method::GET,
            "/patienter/{id}/journal/{note}",
            Patient,
            get(visits::note_versions),
        ),
        r(
            Method::GET,
            "/patienter/{id}/journal/{note}/rattelse",
            Patient,
            get(visits::correction_form),
        ),
        r(
            Method::POST,
            "/patienter/{id}/journal/{note}/rattelse",
            Patient,
            post(visits::correct),
        ),
        r(
            Method::GET,
            "/patienter/{id}/eftervard",
            Patient,
            get(aftercare::show),
        ),
        r(
            Method::POST,
            "/patienter/{id}/eftervard",
            Patient,
            post(aftercare::record),
        ),
        r(
            Method::POST,
            "/patienter/{id}/vardteam/{member}/overlamna",
            Patient,
            post(patients::care_team_hand_over),
        ),
        r(
            Method::GET,
            "/patienter/{id}/skattningar",
            Patient,
            get(scores::list),
        ),
        r(
            Method::GET,
            "/patienter/{id}/skattningar/ny",
            Patient,
            get(scores::new_form),
        ),
        r(
            Method::POST,
            "/patienter/{id}/skattningar",
            Patient,
            post(scores::record),
        ),
        r(
            Method::GET,
            "/patienter/{id}/plan",
            Patient,
            get(patient_plan::show),
        ),
        r(
            Method::POST,
            "/patienter/{id}/plan",
            Patient,
            post(patient_plan::save_draft),
        ),
        r(
            Method::GET,
            "/patienter/{id}/plan/jamfor",
            Patient,
            get(patient_plan::compare),
        ),
        r(
            Method::GET,
            "/patienter/{id}/plan/ny",
            Patient,
            get(patient_plan::new_form),
        ),
        r(
            Method::POST,
            "/patienter/{id}/plan/signera",
            Patient,
            post(patient_plan::sign),
        ),
        r(
            Method::POST,
            "/patienter/{id}/plan/forslag",
            Patient,
            post(patient_plan::adopt),
        ),
        r(
            Method::GET,
            "/patienter/{id}/plan/patientinformation",
            Patient,
            get(patient_plan::handout),
        ),
        r(
            Method::GET,
            "/patienter/{id}/plan/plan.pdf",
            Patient,
            get(patient_plan::handout_pdf),
        ),
        r(
            Method::GET,
            "/patienter/{id}/plan/plan.ics",
            Patient,
            get(patient_plan::calendar),
        ),
        r(
            Method::GET,
            "/nedtrappning",
            Nothing,
            get(taper::calculator),
        ),
        r(
            Method::GET,
            "/nedtrappning/patientinformation",
            Nothing,
            get(taper::handout_page),
        ),
        r(
            Method::GET,
            "/nedtrappning/plan.pdf",
            Nothing,
            get(taper::handout_pdf),
        ),
        r(
            Method::GET,
            "/nedtrappning/plan.ics",
            Nothing,
            get(taper::calendar),
        ),
        r(
            Method::GET,
            "/referensdata",
            Nothing,
            get(taper::reference_page),
        ),
        r(
            Method::POST,
            "/referensdata",
            Nothing,
            post(taper::save_settings),
        ),
        r(
            Method::POST,
            "/api/v1/taper/plans",
            Nothing,
            post(api::propose_taper_plan),
        ),
        r(
            Method::POST,
            "/api/v1/taper/proposals",
            Nothing,
            post(api::propose_taper_adaptation),
        ),
        r(
            Method::GET,
            "/api/v1/taper/reference",
            Nothing,
            get(api::taper_reference),
        ),
        r(
            Method::GET,
            "/api/openapi.json",
            Nothing,
            get(openapi::serve),
        ),
        r(Method::GET, "/healthz", Nothing, get(metrics::healthz)),
        r(Method::GET, "/readyz", Nothing, get(metrics::readyz)),
        r(Method::GET, "/metrics", Nothing, get(metrics::prometheus)),
        r(Method::GET, "/static/{file}", Nothing, get(assets::serve)),
    ]
}

/// Every route: method, path template and what it touches.
pub fn route_specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(spec, _)| spec).collect()
}

/// Builds the router with all middleware.
pub fn router(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for (spec, method_router) in table() {
        router = router.route(spec.path, method_router);
    }
    router
        .fallback(start::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), csrf::check))
        .layer(middleware::from_fn_with_state(state.clone(), ctx::context))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::render_errors,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(middleware::from_fn(headers::security_headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            metrics::panic_response,
        ))
        .with_state(state)
}
