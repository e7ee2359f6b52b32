//! What a route is, as the route table states it: its method, its path, what it does
//! with patient data and what it needs of the caller — read by the route's gate, the
//! access layer's refusals, the API document and the tests that walk the table.

use axum::http::Method;
use trappa_policy::Needs;

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
    /// What it needs of the caller: the one statement of the route's capability, which
    /// its gate enforces and the authorisation matrix test reads.
    pub needs: Needs,
}
