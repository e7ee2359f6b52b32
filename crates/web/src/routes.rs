//! Every route in one table. The router is built from it, and the tests walk it: the
//! authorisation matrix (every route × every role) and the access-log completeness
//! check (every route that touches patient data writes a log entry).

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodRouter, get, post, put};

use crate::pages::{
    account, admin, aftercare, audit, login, needs, patient_plan, patients, planning, portal,
    referrals, report, role_review, scores, self_referral, start, taper, taper_settings, visits,
    waiting,
};
pub use crate::route_spec::{RouteSpec, Touches};
use crate::state::AppState;
use crate::{api, api_path, assets, csrf, ctx, headers, openapi, operations, respond};

/// A route's row: what it is, and the handler that answers it.
type Route = (RouteSpec, MethodRouter<AppState>);

/// A row answering `method` with `router`: the method is stated once, here.
fn route(
    method: Method,
    path: &'static str,
    touches: Touches,
    router: MethodRouter<AppState>,
) -> Route {
    (
        RouteSpec {
            method,
            path,
            touches,
        },
        router,
    )
}

/// A GET route.
fn get_route<H: Handler<T, AppState>, T: 'static>(
    path: &'static str,
    touches: Touches,
    handler: H,
) -> Route {
    route(Method::GET, path, touches, get(handler))
}

/// A POST route.
fn post_route<H: Handler<T, AppState>, T: 'static>(
    path: &'static str,
    touches: Touches,
    handler: H,
) -> Route {
    route(Method::POST, path, touches, post(handler))
}

/// A PUT route.
fn put_route<H: Handler<T, AppState>, T: 'static>(
    path: &'static str,
    touches: Touches,
    handler: H,
) -> Route {
    route(Method::PUT, path, touches, put(handler))
}

/// Every route, one row each. Long by design: the table is the one statement of every
/// route — what it touches and which handler answers it — that the router, the API
/// document and the tests read; split, it would have to be put together again.
fn table() -> Vec<Route> {
    use Touches::*;
    vec![
        get_route("/", Nothing, start::root),
        get_route("/logga-in", Nothing, login::form),
        post_route("/logga-in", Nothing, login::submit),
        get_route("/logga-in/totp", Nothing, login::totp_form),
        post_route("/logga-in/totp", Nothing, login::totp_submit),
        post_route("/logga-ut", Nothing, login::logout),
        post_route("/sprak", Nothing, login::language),
        get_route("/start", Nothing, start::start),
        post_route("/roll", Nothing, start::switch_role),
        get_route("/konto", Nothing, account::page_handler),
        post_route("/konto/losenord", Nothing, account::change_password),
        post_route("/konto/totp/ny", Nothing, account::totp_begin),
        post_route("/konto/totp", Nothing, account::totp_confirm),
        post_route("/konto/totp/av", Nothing, account::totp_disable),
        get_route("/patienter", PatientSearch, patients::search),
        get_route("/patienter/ny", Nothing, patients::new_form),
        post_route("/patienter", Nothing, patients::create),
        get_route("/patienter/{id}", Patient, patients::overview),
        get_route("/patienter/{id}/andra", Patient, patients::edit_form),
        post_route("/patienter/{id}/andra", Patient, patients::edit_submit),
        get_route("/patienter/{id}/historik", Patient, patients::history),
        post_route("/patienter/{id}/vardteam", Patient, patients::care_team_add),
        post_route(
            "/patienter/{id}/vardteam/{member}/avsluta",
            Patient,
            patients::care_team_end,
        ),
        get_route(
            "/patienter/{id}/nodatkomst",
            Nothing,
            patients::emergency_form,
        ),
        post_route(
            "/patienter/{id}/nodatkomst",
            Patient,
            patients::emergency_submit,
        ),
        get_route("/granskning/logg", AccessLog, audit::log_search),
        get_route("/granskning/nodatkomst", AccessLog, audit::review_queue),
        post_route("/granskning/nodatkomst/{id}", Nothing, audit::review_submit),
        get_route("/granskning/roller", AccessLog, role_review::list),
        post_route("/granskning/roller/{id}", Nothing, role_review::review),
        get_route(
            "/granskning/patienter/{id}/logg.csv",
            Patient,
            audit::patient_extract_csv,
        ),
        get_route(
            "/granskning/patienter/{id}/logg.pdf",
            Patient,
            audit::patient_extract_pdf,
        ),
        get_route("/mina-sidor/logg", OwnRecord, portal::my_log),
        get_route("/mina-sidor/logg.csv", OwnRecord, portal::my_log_csv),
        get_route("/mina-sidor/logg.pdf", OwnRecord, portal::my_log_pdf),
        get_route("/admin/personal", Nothing, admin::list),
        get_route("/admin/personal/ny", Nothing, admin::new_form),
        post_route("/admin/personal", Nothing, admin::create),
        get_route("/admin/personal/{id}", Nothing, admin::edit_form),
        post_route("/admin/personal/{id}", Nothing, admin::edit_submit),
        get_route("/api/v1/me", Nothing, api::me),
        get_route("/api/v1/units", Nothing, api::units),
        get_route("/api/v1/patients", PatientSearch, api::search_patients),
        post_route("/api/v1/patients", Nothing, api::create_patient),
        get_route("/api/v1/patients/{id}", Patient, api::patient),
        put_route("/api/v1/patients/{id}", Patient, api::update_patient),
        get_route(
            "/api/v1/patients/{id}/history",
            Patient,
            api::patient_history,
        ),
        get_route(
            "/api/v1/patients/{id}/taper-plan",
            Patient,
            api::patient_taper_plan,
        ),
        post_route(
            "/api/v1/patients/{id}/taper-plan",
            Patient,
            api::draft_patient_taper_plan,
        ),
        post_route(
            "/api/v1/patients/{id}/taper-plan/sign",
            Patient,
            api::sign_patient_taper_plan,
        ),
        get_route(
            "/api/v1/patients/{id}/taper-plan/proposal",
            Patient,
            api_path::proposal,
        ),
        post_route(
            "/api/v1/patients/{id}/taper-plan/adopt",
            Patient,
            api_path::adopt,
        ),
        get_route("/api/v1/patients/{id}/scores", Patient, api::patient_scores),
        post_route(
            "/api/v1/patients/{id}/scores",
            Patient,
            api::record_patient_score,
        ),
        post_route("/api/v1/referrals", Nothing, api_path::send_referral),
        get_route("/api/v1/referrals", ReferralList, api_path::referrals),
        get_route("/api/v1/referrals/{id}", Referral, api_path::referral),
        post_route(
            "/api/v1/referrals/{id}/decision",
            Referral,
            api_path::decide_referral,
        ),
        post_route(
            "/api/v1/referrals/{id}/complement",
            Referral,
            api_path::complement_referral,
        ),
        get_route(
            "/api/v1/patients/{id}/care-team",
            Patient,
            api_path::care_team,
        ),
        post_route(
            "/api/v1/patients/{id}/care-team",
            Patient,
            api_path::add_member,
        ),
        post_route(
            "/api/v1/patients/{id}/care-team/{member}/hand-over",
            Patient,
            api_path::hand_over,
        ),
        get_route("/api/v1/waiting-list", PatientList, api_path::waiting_list),
        get_route(
            "/api/v1/patients/{id}/appointments",
            Patient,
            api_path::appointments,
        ),
        post_route(
            "/api/v1/patients/{id}/appointments",
            Patient,
            api_path::book_appointment,
        ),
        post_route(
            "/api/v1/patients/{id}/appointments/{appointment}",
            Patient,
            api_path::change_appointment,
        ),
        get_route("/api/v1/patients/{id}/journal", Patient, api_path::journal),
        post_route(
            "/api/v1/patients/{id}/journal",
            Patient,
            api_path::write_note,
        ),
        post_route(
            "/api/v1/patients/{id}/journal/{note}",
            Patient,
            api_path::correct_note,
        ),
        get_route("/api/v1/patients/{id}/path", Patient, api_path::path),
        post_route(
            "/api/v1/patients/{id}/path",
            Patient,
            api_path::record_event,
        ),
        get_route("/api/v1/access-log", AccessLog, api::access_log),
        get_route("/remisser", ReferralList, referrals::list),
        get_route("/remisser/{id}", Referral, referrals::referrer_view),
        post_route(
            "/remisser/{id}/komplettering",
            Referral,
            referrals::answer_complement,
        ),
        get_route(
            "/remisser/{id}/svar/{seq}",
            Referral,
            referrals::letter_page,
        ),
        get_route(
            "/remisser/{id}/svar/{seq}/brev.pdf",
            Referral,
            referrals::letter_pdf,
        ),
        get_route("/egenremiss", Nothing, self_referral::form),
        post_route("/egenremiss", Nothing, self_referral::submit),
        get_route("/remisser/ny", Nothing, referrals::new_form),
        post_route("/remisser", Nothing, referrals::send),
        get_route("/patienter/{id}/remiss", Patient, referrals::show),
        post_route(
            "/patienter/{id}/remiss/komplettering",
            Patient,
            referrals::complement_by_phone,
        ),
        post_route("/patienter/{id}/remiss/beslut", Patient, referrals::decide),
        get_route("/vantelista", PatientList, waiting::list),
        get_route("/rapport", Aggregates, report::report),
        get_route("/behov", Aggregates, needs::needs),
        get_route("/rapport.csv", Aggregates, report::report_csv),
        get_route("/rapport.pdf", Aggregates, report::report_pdf),
        get_route("/planering", PatientList, planning::board),
        // Asking for a proposal reads every patient of the week (logged) to build the
        // problem; the search's page names nobody; the proposal it leads to does.
        post_route("/planering/planera", PatientList, planning::propose),
        get_route("/planering/forslag", PatientList, planning::latest),
        get_route("/planering/forslag/{id}", Nothing, planning::progress),
        post_route("/planering/forslag/{id}/stoppa", Nothing, planning::stop),
        // Saving a proposal or pinning writes the unit's planning document and shows no
        // patient; a refused save shows the proposal again, and that read is logged.
        post_route("/planering/spara", Nothing, planning::save),
        post_route("/planering/fast", Nothing, planning::fix),
        post_route("/planering/besok", PatientList, planning::request),
        post_route("/planering/flytta", Nothing, planning::move_visit),
        get_route("/planering/dag", PatientList, planning::day_route),
        get_route("/planering/kalender", PatientList, planning::calendar),
        get_route("/planering/tillganglighet", Nothing, planning::setup_page),
        post_route("/planering/tillganglighet", Nothing, planning::setup_save),
        get_route(
            "/patienter/{id}/besok.ics",
            Patient,
            planning::patient_calendar,
        ),
        get_route("/patienter/{id}/besok", Patient, visits::list),
        post_route("/patienter/{id}/besok", Patient, visits::book),
        post_route(
            "/patienter/{id}/besok/{appointment}",
            Patient,
            visits::change,
        ),
        get_route("/patienter/{id}/journal", Patient, visits::journal),
        get_route("/patienter/{id}/journal/ny", Patient, visits::new_note),
        post_route("/patienter/{id}/journal", Patient, visits::write_note),
        get_route(
            "/patienter/{id}/journal/{note}",
            Patient,
            visits::note_versions,
        ),
        get_route(
            "/patienter/{id}/journal/{note}/rattelse",
            Patient,
            visits::correction_form,
        ),
        post_route(
            "/patienter/{id}/journal/{note}/rattelse",
            Patient,
            visits::correct,
        ),
        get_route("/patienter/{id}/eftervard", Patient, aftercare::show),
        post_route("/patienter/{id}/eftervard", Patient, aftercare::record),
        post_route(
            "/patienter/{id}/vardteam/{member}/overlamna",
            Patient,
            patients::care_team_hand_over,
        ),
        get_route("/patienter/{id}/skattningar", Patient, scores::list),
        get_route("/patienter/{id}/skattningar/ny", Patient, scores::new_form),
        post_route("/patienter/{id}/skattningar", Patient, scores::record),
        get_route("/patienter/{id}/plan", Patient, patient_plan::show),
        post_route("/patienter/{id}/plan", Patient, patient_plan::save_draft),
        get_route(
            "/patienter/{id}/plan/jamfor",
            Patient,
            patient_plan::compare,
        ),
        get_route("/patienter/{id}/plan/ny", Patient, patient_plan::new_form),
        post_route("/patienter/{id}/plan/signera", Patient, patient_plan::sign),
        post_route("/patienter/{id}/plan/forslag", Patient, patient_plan::adopt),
        get_route(
            "/patienter/{id}/plan/patientinformation",
            Patient,
            patient_plan::handout,
        ),
        get_route(
            "/patienter/{id}/plan/plan.pdf",
            Patient,
            patient_plan::handout_pdf,
        ),
        get_route(
            "/patienter/{id}/plan/plan.ics",
            Patient,
            patient_plan::calendar,
        ),
        get_route("/nedtrappning", Nothing, taper::calculator),
        get_route(
            "/nedtrappning/patientinformation",
            Nothing,
            taper::handout_page,
        ),
        get_route("/nedtrappning/plan.pdf", Nothing, taper::handout_pdf),
        get_route("/nedtrappning/plan.ics", Nothing, taper::calendar),
        get_route("/referensdata", Nothing, taper_settings::reference_page),
        post_route("/referensdata", Nothing, taper_settings::save_settings),
        post_route("/api/v1/taper/plans", Nothing, api::propose_taper_plan),
        post_route(
            "/api/v1/taper/proposals",
            Nothing,
            api::propose_taper_adaptation,
        ),
        get_route("/api/v1/taper/reference", Nothing, api::taper_reference),
        get_route("/api/openapi.json", Nothing, api_document),
        get_route("/healthz", Nothing, operations::healthz),
        get_route("/readyz", Nothing, operations::readyz),
        get_route("/metrics", Nothing, operations::prometheus),
        get_route("/static/{file}", Nothing, assets::serve),
    ]
}

/// Every route: method, path template and what it touches.
pub fn route_specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(spec, _)| spec).collect()
}

/// `GET /api/openapi.json`: the API document, made from this table.
async fn api_document() -> axum::Json<serde_json::Value> {
    axum::Json(openapi::document(&route_specs()))
}

/// Builds the router with all middleware. Each route carries what it touches as a
/// request extension, for the refusals the access layer logs.
pub fn router(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for (spec, method_router) in table() {
        router = router.route(
            spec.path,
            method_router.layer(axum::Extension(spec.touches)),
        );
    }
    router
        .fallback(start::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), csrf::check))
        .layer(middleware::from_fn_with_state(state.clone(), ctx::context))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            respond::render_errors,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            operations::track,
        ))
        .layer(middleware::from_fn(headers::security_headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            operations::panic_response,
        ))
        .with_state(state)
}
