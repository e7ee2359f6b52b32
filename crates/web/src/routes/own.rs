//! The patient's own routes (Mina sidor, and the calendar link a calendar app reads),
//! rows of the one route table ([`super::table`]) kept in a file of their own.

use trappa_policy::{Needs, Permission};

use super::{Route, Touches, get_route, post_route};
use crate::pages::{
    calendar_feed, messages, my_reports, notifications, own_record, portal, sip, visit_requests,
};

/// The patient's rows.
pub(super) fn table() -> Vec<Route> {
    use Needs::*;
    use Permission::*;
    use Touches::*;
    vec![
        // The address the README and patients' bookmarks name: the portal's start
        // page is the site's start page for a patient.
        get_route("/mina-sidor", Nothing, Can(ReadOwnRecord), portal::to_start),
        get_route(
            "/mina-sidor/plan",
            OwnRecord,
            Can(ReadOwnRecord),
            portal::my_plan,
        ),
        get_route(
            "/mina-sidor/plan/patientinformation",
            OwnRecord,
            Can(ReadOwnRecord),
            portal::my_handout,
        ),
        get_route(
            "/mina-sidor/plan/plan.pdf",
            OwnRecord,
            Can(ReadOwnRecord),
            portal::my_handout_pdf,
        ),
        get_route(
            "/mina-sidor/journal",
            OwnRecord,
            Can(ReadOwnRecord),
            own_record::page_own,
        ),
        get_route(
            "/mina-sidor/aviseringar",
            OwnRecord,
            Can(ReadOwnRecord),
            notifications::page,
        ),
        post_route(
            "/mina-sidor/aviseringar",
            OwnRecord,
            Can(ReportOwnData),
            notifications::save,
        ),
        post_route(
            "/mina-sidor/plan/kalender",
            OwnRecord,
            Can(ReportOwnData),
            calendar_feed::change,
        ),
        // A calendar app reads this without a session: the token is the credential.
        get_route(
            "/kalender/{token}/trappa.ics",
            Nothing,
            Anyone,
            calendar_feed::feed,
        ),
        get_route(
            "/mina-sidor/samtycken",
            OwnRecord,
            Can(ReadOwnRecord),
            sip::own_page,
        ),
        post_route(
            "/mina-sidor/samtycken/{consent}/aterkalla",
            OwnRecord,
            Can(ReportOwnData),
            sip::own_withdraw,
        ),
        get_route(
            "/mina-sidor/dagbok",
            OwnRecord,
            Can(ReadOwnRecord),
            my_reports::diary,
        ),
        post_route(
            "/mina-sidor/dagbok",
            OwnRecord,
            Can(ReportOwnData),
            my_reports::save_diary,
        ),
        get_route(
            "/mina-sidor/skattningar",
            OwnRecord,
            Can(ReadOwnRecord),
            my_reports::scores,
        ),
        get_route(
            "/mina-sidor/skattningar/{instrument}",
            OwnRecord,
            Can(ReadOwnRecord),
            my_reports::score_form_page,
        ),
        post_route(
            "/mina-sidor/skattningar/{instrument}",
            OwnRecord,
            Can(ReportOwnData),
            my_reports::save_score,
        ),
        get_route(
            "/mina-sidor/meddelanden",
            OwnRecord,
            Can(ReadOwnRecord),
            messages::own_list,
        ),
        post_route(
            "/mina-sidor/meddelanden",
            OwnRecord,
            Can(ReportOwnData),
            messages::own_start,
        ),
        get_route(
            "/mina-sidor/meddelanden/{thread}",
            OwnRecord,
            Can(ReadOwnRecord),
            messages::own_thread,
        ),
        post_route(
            "/mina-sidor/meddelanden/{thread}",
            OwnRecord,
            Can(ReportOwnData),
            messages::own_reply,
        ),
        get_route(
            "/mina-sidor/besok",
            OwnRecord,
            Can(ReadOwnRecord),
            visit_requests::own,
        ),
        post_route(
            "/mina-sidor/besok/{appointment}",
            OwnRecord,
            Can(ReportOwnData),
            visit_requests::own_wish,
        ),
        get_route(
            "/mina-sidor/hjalp",
            Nothing,
            Can(ReadOwnRecord),
            my_reports::help_now,
        ),
        get_route(
            "/mina-sidor/logg",
            OwnRecord,
            Can(ReadOwnAccessLog),
            portal::my_log,
        ),
        get_route(
            "/mina-sidor/logg.csv",
            OwnRecord,
            Can(ReadOwnAccessLog),
            portal::my_log_csv,
        ),
        get_route(
            "/mina-sidor/logg.pdf",
            OwnRecord,
            Can(ReadOwnAccessLog),
            portal::my_log_pdf,
        ),
    ]
}
