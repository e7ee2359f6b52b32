//! Every route in one table. The router is built from it, and the tests walk it: the
//! authorisation matrix (every route × every role) and the access-log completeness
//! check (every route that touches patient data writes a log entry).

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware;
use axum::routing::{MethodRouter, get, post, put};

use crate::pages::{
    account, admin, aftercare, audit, login, messages, needs, own_record, patient_plan,
    patient_reports, patients, planning, referrals, report, role_review, scores, self_referral,
    start, taper, taper_settings, visit_requests, visits, waiting,
};
pub use crate::route_spec::{RouteSpec, Touches};

mod own;
mod sip;
use crate::state::AppState;
use crate::{access, api, api_path, assets, csrf, ctx, headers, openapi, operations, respond};
use trappa_policy::{Needs, Permission};

/// A route's row: what it is, and the handler that answers it.
type Route = (RouteSpec, MethodRouter<AppState>);

/// A row answering `method` with `router`: the method is stated once, here.
fn route(
    method: Method,
    path: &'static str,
    touches: Touches,
    needs: Needs,
    router: MethodRouter<AppState>,
) -> Route {
    (
        RouteSpec {
            method,
            path,
            touches,
            needs,
        },
        router,
    )
}

/// A GET route.
fn get_route<H: Handler<T, AppState>, T: 'static>(
    path: &'static str,
    touches: Touches,
    needs: Needs,
    handler: H,
) -> Route {
    route(Method::GET, path, touches, needs, get(handler))
}

/// A POST route.
fn post_route<H: Handler<T, AppState>, T: 'static>(
    path: &'static str,
    touches: Touches,
    needs: Needs,
    handler: H,
) -> Route {
    route(Method::POST, path, touches, needs, post(handler))
}

/// A PUT route.
fn put_route<H: Handler<T, AppState>, T: 'static>(
    path: &'static str,
    touches: Touches,
    needs: Needs,
    handler: H,
) -> Route {
    route(Method::PUT, path, touches, needs, put(handler))
}

/// Who reads referrals: the referrer their own, the triage team the unit's inbox.
const REFERRALS: &[Permission] = &[Permission::ReadOwnReferrals, Permission::TriageReferrals];
/// Who reads the taper reference data: those who plan tapers and those who choose the
/// unit's settings.
const TAPER_REFERENCE: &[Permission] = &[Permission::PlanTapers, Permission::ManageTaperSettings];

/// Every route, one row each: its method, path, what it touches, what it needs of the
/// caller and its handler. Long by design: the table is the one statement of every
/// route that the router, its gate, the API document and the tests read. The patient's
/// own rows sit in `routes/own.rs` (the file's length), joined here.
fn table() -> Vec<Route> {
    use Needs::*;
    use Permission::*;
    use Touches::*;
    let mut rows = vec![
        get_route("/", Nothing, Anyone, start::root),
        get_route("/logga-in", Nothing, Anyone, login::form),
        post_route("/logga-in", Nothing, Anyone, login::submit),
        get_route("/logga-in/totp", Nothing, Session, login::totp_form),
        post_route("/logga-in/totp", Nothing, SecondFactor, login::totp_submit),
        post_route("/logga-ut", Nothing, Anyone, login::logout),
        post_route("/sprak", Nothing, Anyone, login::language),
        get_route("/start", Nothing, SignedIn, start::start),
        post_route("/roll", Nothing, SignedIn, start::switch_role),
        get_route("/konto", Nothing, SignedIn, account::page_handler),
        post_route(
            "/konto/losenord",
            Nothing,
            SignedIn,
            account::change_password,
        ),
        post_route("/konto/totp/ny", Nothing, SignedIn, account::totp_begin),
        post_route("/konto/totp", Nothing, SignedIn, account::totp_confirm),
        post_route("/konto/totp/av", Nothing, SignedIn, account::totp_disable),
        get_route(
            "/patienter",
            PatientSearch,
            Can(SearchPatients),
            patients::search,
        ),
        get_route(
            "/patienter/ny",
            Nothing,
            Can(WritePatientRecord),
            patients::new_form,
        ),
        post_route(
            "/patienter",
            Nothing,
            Can(WritePatientRecord),
            patients::create,
        ),
        get_route(
            "/patienter/{id}",
            Patient,
            Can(ReadPatientRecord),
            patients::overview,
        ),
        get_route(
            "/patienter/{id}/andra",
            Patient,
            Can(WritePatientRecord),
            patients::edit_form,
        ),
        post_route(
            "/patienter/{id}/andra",
            Patient,
            Can(WritePatientRecord),
            patients::edit_submit,
        ),
        get_route(
            "/patienter/{id}/historik",
            Patient,
            Can(ReadPatientRecord),
            patients::history,
        ),
        post_route(
            "/patienter/{id}/vardteam",
            Patient,
            Can(ManageCareTeam),
            patients::care_team_add,
        ),
        post_route(
            "/patienter/{id}/vardteam/{member}/avsluta",
            Patient,
            Can(ManageCareTeam),
            patients::care_team_end,
        ),
        get_route(
            "/patienter/{id}/nodatkomst",
            Nothing,
            Can(TakeEmergencyAccess),
            patients::emergency_form,
        ),
        post_route(
            "/patienter/{id}/nodatkomst",
            Patient,
            Can(TakeEmergencyAccess),
            patients::emergency_submit,
        ),
        get_route(
            "/granskning/logg",
            AccessLog,
            Can(ReadAccessLog),
            audit::log_search,
        ),
        get_route(
            "/granskning/nodatkomst",
            AccessLog,
            Can(ReviewEmergencyAccess),
            audit::review_queue,
        ),
        post_route(
            "/granskning/nodatkomst/{id}",
            Nothing,
            Can(ReviewEmergencyAccess),
            audit::review_submit,
        ),
        get_route(
            "/granskning/roller",
            AccessLog,
            Can(ReviewRoleChanges),
            role_review::list,
        ),
        post_route(
            "/granskning/roller/{id}",
            Nothing,
            Can(ReviewRoleChanges),
            role_review::review,
        ),
        get_route(
            "/granskning/patienter/{id}/logg.csv",
            Patient,
            Can(ExportPatientAccessLog),
            audit::patient_extract_csv,
        ),
        get_route(
            "/granskning/patienter/{id}/logg.pdf",
            Patient,
            Can(ExportPatientAccessLog),
            audit::patient_extract_pdf,
        ),
        get_route(
            "/enhet/journal-till-patienter",
            Nothing,
            Can(ReleaseRecordToPatients),
            own_record::rules_page,
        ),
        post_route(
            "/enhet/journal-till-patienter",
            Nothing,
            Can(ReleaseRecordToPatients),
            own_record::save_rules,
        ),
        get_route(
            "/logga-in/oidc/svar",
            Nothing,
            Anyone,
            crate::oidc::callback,
        ),
        get_route("/logga-in/oidc/{door}", Nothing, Anyone, crate::oidc::start),
        get_route("/admin/personal", Nothing, Can(ManageStaff), admin::list),
        get_route(
            "/admin/personal/ny",
            Nothing,
            Can(ManageStaff),
            admin::new_form,
        ),
        post_route("/admin/personal", Nothing, Can(ManageStaff), admin::create),
        get_route(
            "/admin/personal/{id}",
            Nothing,
            Can(ManageStaff),
            admin::edit_form,
        ),
        post_route(
            "/admin/personal/{id}",
            Nothing,
            Can(ManageStaff),
            admin::edit_submit,
        ),
        post_route(
            "/admin/personal/{id}/las-upp",
            Nothing,
            Can(ManageStaff),
            admin::unlock,
        ),
        get_route("/api/v1/me", Nothing, SignedIn, api::me),
        get_route("/api/v1/units", Nothing, SignedIn, api::units),
        get_route(
            "/api/v1/patients",
            PatientSearch,
            Can(SearchPatients),
            api::search_patients,
        ),
        post_route(
            "/api/v1/patients",
            Nothing,
            Can(WritePatientRecord),
            api::create_patient,
        ),
        get_route(
            "/api/v1/patients/{id}",
            Patient,
            Can(ReadPatientRecord),
            api::patient,
        ),
        put_route(
            "/api/v1/patients/{id}",
            Patient,
            Can(WritePatientRecord),
            api::update_patient,
        ),
        get_route(
            "/api/v1/patients/{id}/history",
            Patient,
            Can(ReadPatientRecord),
            api::patient_history,
        ),
        get_route(
            "/api/v1/patients/{id}/taper-plan",
            Patient,
            Can(ReadPatientRecord),
            api::patient_taper_plan,
        ),
        post_route(
            "/api/v1/patients/{id}/taper-plan",
            Patient,
            Can(PlanTapers),
            api::draft_patient_taper_plan,
        ),
        post_route(
            "/api/v1/patients/{id}/taper-plan/sign",
            Patient,
            Can(SignTaperPlans),
            api::sign_patient_taper_plan,
        ),
        get_route(
            "/api/v1/patients/{id}/taper-plan/proposal",
            Patient,
            Can(ReadPatientRecord),
            api_path::proposal,
        ),
        post_route(
            "/api/v1/patients/{id}/taper-plan/adopt",
            Patient,
            Can(SignTaperPlans),
            api_path::adopt,
        ),
        get_route(
            "/api/v1/patients/{id}/scores",
            Patient,
            Can(ReadPatientRecord),
            api::patient_scores,
        ),
        post_route(
            "/api/v1/patients/{id}/scores",
            Patient,
            Can(WritePatientRecord),
            api::record_patient_score,
        ),
        post_route(
            "/api/v1/referrals",
            Nothing,
            Can(ReadOwnReferrals),
            api_path::send_referral,
        ),
        get_route(
            "/api/v1/referrals",
            ReferralList,
            CanAny(REFERRALS),
            api_path::referrals,
        ),
        get_route(
            "/api/v1/referrals/{id}",
            Referral,
            CanAny(REFERRALS),
            api_path::referral,
        ),
        post_route(
            "/api/v1/referrals/{id}/decision",
            Referral,
            Can(TriageReferrals),
            api_path::decide_referral,
        ),
        post_route(
            "/api/v1/referrals/{id}/complement",
            Referral,
            Can(ReadOwnReferrals),
            api_path::complement_referral,
        ),
        get_route(
            "/api/v1/patients/{id}/care-team",
            Patient,
            Can(ReadPatientRecord),
            api_path::care_team,
        ),
        post_route(
            "/api/v1/patients/{id}/care-team",
            Patient,
            Can(ManageCareTeam),
            api_path::add_member,
        ),
        post_route(
            "/api/v1/patients/{id}/care-team/{member}/hand-over",
            Patient,
            Can(ManageCareTeam),
            api_path::hand_over,
        ),
        get_route(
            "/api/v1/waiting-list",
            PatientList,
            Can(ManageCareTeam),
            api_path::waiting_list,
        ),
        get_route(
            "/api/v1/patients/{id}/appointments",
            Patient,
            Can(ReadPatientRecord),
            api_path::appointments,
        ),
        post_route(
            "/api/v1/patients/{id}/appointments",
            Patient,
            Can(WritePatientRecord),
            api_path::book_appointment,
        ),
        post_route(
            "/api/v1/patients/{id}/appointments/{appointment}",
            Patient,
            Can(WritePatientRecord),
            api_path::change_appointment,
        ),
        get_route(
            "/api/v1/patients/{id}/journal",
            Patient,
            Can(ReadPatientRecord),
            api_path::journal,
        ),
        post_route(
            "/api/v1/patients/{id}/journal",
            Patient,
            Can(WritePatientRecord),
            api_path::write_note,
        ),
        post_route(
            "/api/v1/patients/{id}/journal/{note}",
            Patient,
            Can(WritePatientRecord),
            api_path::correct_note,
        ),
        get_route(
            "/api/v1/patients/{id}/path",
            Patient,
            Can(ReadPatientRecord),
            api_path::path,
        ),
        post_route(
            "/api/v1/patients/{id}/path",
            Patient,
            Can(WritePatientRecord),
            api_path::record_event,
        ),
        get_route(
            "/api/v1/access-log",
            AccessLog,
            Can(ReadAccessLog),
            api::access_log,
        ),
        get_route(
            "/remisser",
            ReferralList,
            CanAny(REFERRALS),
            referrals::list,
        ),
        get_route(
            "/remisser/{id}",
            Referral,
            CanAny(REFERRALS),
            referrals::referrer_view,
        ),
        post_route(
            "/remisser/{id}/komplettering",
            Referral,
            Can(ReadOwnReferrals),
            referrals::answer_complement,
        ),
        get_route(
            "/remisser/{id}/svar/{seq}",
            Referral,
            CanAny(REFERRALS),
            referrals::letter_page,
        ),
        get_route(
            "/remisser/{id}/svar/{seq}/brev.pdf",
            Referral,
            CanAny(REFERRALS),
            referrals::letter_pdf,
        ),
        get_route("/egenremiss", Nothing, Anyone, self_referral::form),
        post_route("/egenremiss", Nothing, Anyone, self_referral::submit),
        get_route(
            "/remisser/ny",
            Nothing,
            Can(ReadOwnReferrals),
            referrals::new_form,
        ),
        post_route("/remisser", Nothing, Can(ReadOwnReferrals), referrals::send),
        get_route(
            "/patienter/{id}/remiss",
            Patient,
            Can(TriageReferrals),
            referrals::show,
        ),
        post_route(
            "/patienter/{id}/remiss/komplettering",
            Patient,
            Can(TriageReferrals),
            referrals::complement_by_phone,
        ),
        post_route(
            "/patienter/{id}/remiss/beslut",
            Patient,
            Can(TriageReferrals),
            referrals::decide,
        ),
        get_route(
            "/vantelista",
            PatientList,
            Can(ManageCareTeam),
            waiting::list,
        ),
        get_route("/rapport", Aggregates, Can(ReadAggregates), report::report),
        get_route("/behov", Aggregates, Can(ReadAggregates), needs::needs),
        get_route(
            "/rapport.csv",
            Aggregates,
            Can(ReadAggregates),
            report::report_csv,
        ),
        get_route(
            "/rapport.pdf",
            Aggregates,
            Can(ReadAggregates),
            report::report_pdf,
        ),
        get_route("/planering", PatientList, Can(PlanTrips), planning::board),
        // Asking for a proposal reads every patient of the week (logged) to build the
        // problem; the search's page names nobody; the proposal it leads to does.
        post_route(
            "/planering/planera",
            PatientList,
            Can(PlanTrips),
            planning::propose,
        ),
        get_route(
            "/planering/forslag",
            PatientList,
            Can(PlanTrips),
            planning::latest,
        ),
        get_route(
            "/planering/forslag/{id}",
            Nothing,
            Can(PlanTrips),
            planning::progress,
        ),
        post_route(
            "/planering/forslag/{id}/stoppa",
            Nothing,
            Can(PlanTrips),
            planning::stop,
        ),
        // Saving a proposal or pinning writes the unit's planning document and shows no
        // patient; a refused save shows the proposal again, and that read is logged.
        post_route("/planering/spara", Nothing, Can(PlanTrips), planning::save),
        post_route("/planering/fast", Nothing, Can(PlanTrips), planning::fix),
        post_route(
            "/planering/besok",
            PatientList,
            Can(PlanTrips),
            planning::request,
        ),
        post_route(
            "/planering/flytta",
            Nothing,
            Can(PlanTrips),
            planning::move_visit,
        ),
        get_route(
            "/planering/dag",
            PatientList,
            Can(PlanTrips),
            planning::day_route,
        ),
        get_route(
            "/planering/kalender",
            PatientList,
            Can(PlanTrips),
            planning::calendar,
        ),
        get_route(
            "/planering/tillganglighet",
            Nothing,
            Can(PlanTrips),
            planning::setup_page,
        ),
        post_route(
            "/planering/tillganglighet",
            Nothing,
            Can(PlanTrips),
            planning::setup_save,
        ),
        get_route(
            "/patienter/{id}/besok.ics",
            Patient,
            Can(ReadPatientRecord),
            planning::patient_calendar,
        ),
        get_route(
            "/patienter/{id}/besok",
            Patient,
            Can(ReadPatientRecord),
            visits::list,
        ),
        post_route(
            "/patienter/{id}/besok",
            Patient,
            Can(WritePatientRecord),
            visits::book,
        ),
        post_route(
            "/patienter/{id}/besok/{appointment}",
            Patient,
            Can(WritePatientRecord),
            visits::change,
        ),
        get_route(
            "/patienter/{id}/journal",
            Patient,
            Can(ReadPatientRecord),
            visits::journal,
        ),
        get_route(
            "/patienter/{id}/journal/ny",
            Patient,
            Can(WritePatientRecord),
            visits::new_note,
        ),
        post_route(
            "/patienter/{id}/journal",
            Patient,
            Can(WritePatientRecord),
            visits::write_note,
        ),
        get_route(
            "/patienter/{id}/journal/{note}",
            Patient,
            Can(ReadPatientRecord),
            visits::note_versions,
        ),
        get_route(
            "/patienter/{id}/journal/{note}/rattelse",
            Patient,
            Can(WritePatientRecord),
            visits::correction_form,
        ),
        post_route(
            "/patienter/{id}/journal/{note}/rattelse",
            Patient,
            Can(WritePatientRecord),
            visits::correct,
        ),
        get_route(
            "/patienter/{id}/eftervard",
            Patient,
            Can(ReadPatientRecord),
            aftercare::show,
        ),
        post_route(
            "/patienter/{id}/eftervard",
            Patient,
            Can(WritePatientRecord),
            aftercare::record,
        ),
        post_route(
            "/patienter/{id}/vardteam/{member}/overlamna",
            Patient,
            Can(ManageCareTeam),
            patients::care_team_hand_over,
        ),
        get_route(
            "/patienter/{id}/skattningar",
            Patient,
            Can(ReadPatientRecord),
            scores::list,
        ),
        get_route(
            "/patienter/{id}/skattningar/ny",
            Patient,
            Can(WritePatientRecord),
            scores::new_form,
        ),
        post_route(
            "/patienter/{id}/skattningar",
            Patient,
            Can(WritePatientRecord),
            scores::record,
        ),
        post_route(
            "/patienter/{id}/skattningar/tilldelning",
            Patient,
            Can(WritePatientRecord),
            patient_reports::assign,
        ),
        post_route(
            "/patienter/{id}/skattningar/tilldelning/{assignment}/avsluta",
            Patient,
            Can(WritePatientRecord),
            patient_reports::end,
        ),
        get_route(
            "/meddelanden",
            PatientList,
            Can(ReadPatientRecord),
            messages::inbox,
        ),
        get_route(
            "/patienter/{id}/meddelanden",
            Patient,
            Can(ReadPatientRecord),
            messages::patient_list,
        ),
        post_route(
            "/patienter/{id}/meddelanden",
            Patient,
            Can(WritePatientRecord),
            messages::patient_start,
        ),
        get_route(
            "/patienter/{id}/meddelanden/{thread}",
            Patient,
            Can(ReadPatientRecord),
            messages::patient_thread,
        ),
        post_route(
            "/patienter/{id}/meddelanden/{thread}",
            Patient,
            Can(WritePatientRecord),
            messages::patient_reply,
        ),
        get_route(
            "/besok/onskemal",
            PatientList,
            Can(ManageCareTeam),
            visit_requests::list,
        ),
        post_route(
            "/patienter/{id}/besok/onskemal/{request}",
            Patient,
            Can(ManageCareTeam),
            visit_requests::answer,
        ),
        get_route(
            "/patienter/{id}/dagbok",
            Patient,
            Can(ReadPatientRecord),
            patient_reports::show,
        ),
        post_route(
            "/patienter/{id}/dagbok/last",
            Patient,
            Can(WritePatientRecord),
            patient_reports::mark_read,
        ),
        get_route(
            "/patienter/{id}/plan",
            Patient,
            Can(ReadPatientRecord),
            patient_plan::show,
        ),
        post_route(
            "/patienter/{id}/plan",
            Patient,
            Can(PlanTapers),
            patient_plan::save_draft,
        ),
        get_route(
            "/patienter/{id}/plan/jamfor",
            Patient,
            Can(ReadPatientRecord),
            patient_plan::compare,
        ),
        get_route(
            "/patienter/{id}/plan/ny",
            Patient,
            Can(PlanTapers),
            patient_plan::new_form,
        ),
        post_route(
            "/patienter/{id}/plan/signera",
            Patient,
            Can(SignTaperPlans),
            patient_plan::sign,
        ),
        post_route(
            "/patienter/{id}/plan/forslag",
            Patient,
            Can(SignTaperPlans),
            patient_plan::adopt,
        ),
        get_route(
            "/patienter/{id}/plan/patientinformation",
            Patient,
            Can(ReadPatientRecord),
            patient_plan::handout,
        ),
        get_route(
            "/patienter/{id}/plan/plan.pdf",
            Patient,
            Can(ReadPatientRecord),
            patient_plan::handout_pdf,
        ),
        get_route(
            "/patienter/{id}/plan/plan.ics",
            Patient,
            Can(ReadPatientRecord),
            patient_plan::calendar,
        ),
        get_route("/nedtrappning", Nothing, Can(PlanTapers), taper::calculator),
        get_route(
            "/nedtrappning/patientinformation",
            Nothing,
            Can(PlanTapers),
            taper::handout_page,
        ),
        get_route(
            "/nedtrappning/plan.pdf",
            Nothing,
            Can(PlanTapers),
            taper::handout_pdf,
        ),
        get_route(
            "/nedtrappning/plan.ics",
            Nothing,
            Can(PlanTapers),
            taper::calendar,
        ),
        get_route(
            "/referensdata",
            Nothing,
            CanAny(TAPER_REFERENCE),
            taper_settings::reference_page,
        ),
        post_route(
            "/referensdata",
            Nothing,
            Can(ManageTaperSettings),
            taper_settings::save_settings,
        ),
        post_route(
            "/api/v1/taper/plans",
            Nothing,
            Can(PlanTapers),
            api::propose_taper_plan,
        ),
        post_route(
            "/api/v1/taper/proposals",
            Nothing,
            Can(PlanTapers),
            api::propose_taper_adaptation,
        ),
        get_route(
            "/api/v1/taper/reference",
            Nothing,
            Can(PlanTapers),
            api::taper_reference,
        ),
        get_route("/api/openapi.json", Nothing, Anyone, api_document),
        get_route("/healthz", Nothing, Anyone, operations::healthz),
        get_route("/readyz", Nothing, Anyone, operations::readyz),
        get_route("/metrics", Nothing, Anyone, operations::prometheus),
        get_route("/static/{file}", Nothing, Anyone, assets::serve),
    ];
    rows.extend(own::table());
    rows.extend(sip::table());
    rows
}

/// Every route: method, path template and what it touches.
pub fn route_specs() -> Vec<RouteSpec> {
    table().into_iter().map(|(spec, _)| spec).collect()
}

/// `GET /api/openapi.json`: the API document, made from this table.
async fn api_document() -> axum::Json<serde_json::Value> {
    axum::Json(openapi::document(&route_specs()))
}

/// Builds the router with all middleware. Each route passes its row's gate
/// ([`access::gate`]) before its handler runs, and carries what it touches as a request
/// extension, for the refusals the access layer logs.
pub fn router(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for (spec, method_router) in table() {
        let gated = method_router
            .route_layer(middleware::from_fn_with_state(
                (state.clone(), spec.needs),
                access::gate,
            ))
            .layer(axum::Extension(spec.touches));
        router = router.route(spec.path, gated);
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
