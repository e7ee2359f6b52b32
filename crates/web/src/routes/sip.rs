//! Working with partners (issue 19): the SIP pages of the care team and of partners'
//! staff, rows of the one route table ([`super::table`]) kept in a file of their own.
//! Reading, signing and reporting a task is open to both (the SIP rule then decides
//! per patient); starting, changing, consents and giving tasks are the care team's.

use trappa_policy::{Needs, Permission};

use super::{Route, Touches, get_route, post_route};
use crate::pages::sip;

/// Both sides of a SIP: the care team and a partner's staff.
const EITHER: Needs = Needs::CanAny(&[Permission::CoordinateSip, Permission::WorkSharedSips]);

/// The SIP rows.
pub(super) fn table() -> Vec<Route> {
    use Needs::*;
    use Permission::*;
    use Touches::*;
    vec![
        get_route("/samverkan", PatientList, Can(WorkSharedSips), sip::shared),
        get_route("/patienter/{id}/sip", Patient, EITHER, sip::view),
        post_route(
            "/patienter/{id}/sip",
            Patient,
            Can(CoordinateSip),
            sip::start,
        ),
        post_route(
            "/patienter/{id}/sip/samtycke",
            Patient,
            Can(CoordinateSip),
            sip::record_consent,
        ),
        post_route(
            "/patienter/{id}/sip/samtycke/{consent}/aterkalla",
            Patient,
            Can(CoordinateSip),
            sip::withdraw_consent,
        ),
        get_route(
            "/patienter/{id}/sip/{sip}/andra",
            Patient,
            Can(CoordinateSip),
            sip::edit_page,
        ),
        post_route(
            "/patienter/{id}/sip/{sip}/andra",
            Patient,
            Can(CoordinateSip),
            sip::edit,
        ),
        get_route(
            "/patienter/{id}/sip/{sip}/sip.pdf",
            Patient,
            EITHER,
            sip::pdf,
        ),
        post_route(
            "/patienter/{id}/sip/{sip}/signera",
            Patient,
            EITHER,
            sip::sign,
        ),
        post_route(
            "/patienter/{id}/sip/{sip}/uppgifter",
            Patient,
            Can(CoordinateSip),
            sip::add_task,
        ),
        post_route(
            "/patienter/{id}/sip/uppgifter/{task}",
            Patient,
            EITHER,
            sip::task_status,
        ),
    ]
}
