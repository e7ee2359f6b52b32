//! What a route needs before its handler runs, and the decision at its gate.
//!
//! Every route of an adapter states one [`Needs`] in its row of the route table; the
//! adapter's gate asks [`decide_route`] with the session it found and does what the
//! answer says. Handlers do not check the permission again: the row is the one
//! statement of it, which the authorisation matrix test reads.

use crate::{Permission, Role, allows};

/// What a route needs of the session that calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// Nothing: anyone, signed in or not (sign-in, the self-referral form, assets).
    Anyone,
    /// Any session, also one still owing its second factor (the second-factor form).
    Session,
    /// A session still owing its second factor, and only such a session.
    SecondFactor,
    /// A signed-in user past the second factor, whatever the role (one's own account).
    SignedIn,
    /// A signed-in user whose role holds this permission.
    Can(Permission),
    /// A signed-in user whose role holds one of these; the handler decides what each of
    /// them sees (a page several roles reach, each differently).
    CanAny(&'static [Permission]),
}

/// The session a request comes with, as the gate needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionFacts {
    /// The role the user acts in.
    pub role: Role,
    /// Whether the session still owes its second factor.
    pub second_factor_pending: bool,
    /// Whether the session proved two factors (a one-time code, or an identity
    /// provider's sign-in).
    pub multi_factor: bool,
}

/// What the gate does with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteDecision {
    /// The handler runs.
    Pass,
    /// The caller must sign in (again, or finish signing in) first.
    SignIn,
    /// The caller is signed in, but the role does not reach the route: refused and
    /// logged.
    Refuse,
    /// The role reaches the route only in a session with two factors, and this one
    /// has one: the caller turns on a one-time code (or signs in again with it) first.
    SecondFactorRequired,
}

/// Whether acting in `role` needs a session with two factors (ASVS 4.3.1: an
/// administrative interface uses multi-factor authentication). The administrator
/// changes who may do what, so a stolen password alone must not reach it.
pub fn needs_second_factor(role: Role) -> bool {
    matches!(role, Role::Admin)
}

impl Needs {
    /// Whether a signed-in `role`, past its second factor, passes: what the
    /// authorisation matrix compares with its own table.
    pub fn admits(self, role: Role) -> bool {
        let session = SessionFacts {
            role,
            second_factor_pending: false,
            multi_factor: true,
        };
        decide_route(self, Some(session)) == RouteDecision::Pass
    }
}

/// Decides whether a request with `session` (none when nobody is signed in) passes a
/// route that needs `needs`. Everything not granted here is refused.
pub fn decide_route(needs: Needs, session: Option<SessionFacts>) -> RouteDecision {
    use RouteDecision::*;
    let Some(session) = session else {
        return if needs == Needs::Anyone { Pass } else { SignIn };
    };
    let full = !session.second_factor_pending;
    match needs {
        Needs::Anyone | Needs::Session => Pass,
        Needs::SecondFactor if !full => Pass,
        // A full session has nothing to finish: it is sent on as the handler would.
        Needs::SecondFactor => SignIn,
        _ if !full => SignIn,
        // One's own account stays reachable: it is where the second factor is turned on.
        Needs::SignedIn => Pass,
        // What the role does not reach is refused (and logged) whatever the factors;
        // what it reaches needs two of them where the role does.
        Needs::Can(p) if !allows(session.role, p) => Refuse,
        Needs::CanAny(ps) if !ps.iter().any(|&p| allows(session.role, p)) => Refuse,
        _ if needs_second_factor(session.role) && !session.multi_factor => SecondFactorRequired,
        Needs::Can(_) | Needs::CanAny(_) => Pass,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RouteDecision::*;

    fn full(role: Role) -> Option<SessionFacts> {
        Some(SessionFacts {
            role,
            second_factor_pending: false,
            multi_factor: true,
        })
    }

    /// Signed in with a password alone, for an account without a one-time code.
    fn one_factor(role: Role) -> Option<SessionFacts> {
        Some(SessionFacts {
            role,
            second_factor_pending: false,
            multi_factor: false,
        })
    }

    fn pending(role: Role) -> Option<SessionFacts> {
        Some(SessionFacts {
            role,
            second_factor_pending: true,
            multi_factor: false,
        })
    }

    /// One row per case: what the route needs, the session, the decision.
    #[test]
    fn decisions() {
        let nurse = Role::Nurse;
        let cases: &[(Needs, Option<SessionFacts>, RouteDecision)] = &[
            (Needs::Anyone, None, Pass),
            (Needs::Anyone, pending(nurse), Pass),
            (Needs::Session, None, SignIn),
            (Needs::Session, pending(nurse), Pass),
            (Needs::Session, full(nurse), Pass),
            (Needs::SecondFactor, None, SignIn),
            (Needs::SecondFactor, pending(nurse), Pass),
            (Needs::SecondFactor, full(nurse), SignIn),
            (Needs::SignedIn, None, SignIn),
            (Needs::SignedIn, pending(nurse), SignIn),
            (Needs::SignedIn, full(Role::Patient), Pass),
            (Needs::Can(Permission::PlanTapers), full(nurse), Pass),
            (
                Needs::Can(Permission::PlanTapers),
                full(Role::Coordinator),
                Refuse,
            ),
            // A pending session is sent to finish signing in before any refusal.
            (
                Needs::Can(Permission::PlanTapers),
                pending(Role::Coordinator),
                SignIn,
            ),
            (Needs::Can(Permission::PlanTapers), None, SignIn),
            (
                Needs::CanAny(&[Permission::ReadOwnReferrals, Permission::TriageReferrals]),
                full(Role::ExternalReferrer),
                Pass,
            ),
            (
                Needs::CanAny(&[Permission::ReadOwnReferrals, Permission::TriageReferrals]),
                full(nurse),
                Refuse,
            ),
            (Needs::CanAny(&[]), full(Role::Admin), Refuse),
            // An administrator acts only with two factors; others need one.
            (Needs::Can(Permission::ManageStaff), full(Role::Admin), Pass),
            (
                Needs::Can(Permission::ManageStaff),
                one_factor(Role::Admin),
                SecondFactorRequired,
            ),
            (Needs::SignedIn, one_factor(Role::Admin), Pass),
            // A route the role does not reach is refused, not sent to the second factor.
            (
                Needs::Can(Permission::PlanTapers),
                one_factor(Role::Admin),
                Refuse,
            ),
            (Needs::Can(Permission::PlanTapers), one_factor(nurse), Pass),
            (
                Needs::Can(Permission::ManageStaff),
                pending(Role::Admin),
                SignIn,
            ),
        ];
        for &(needs, session, want) in cases {
            assert_eq!(decide_route(needs, session), want, "{needs:?} {session:?}");
        }
    }

    /// A permission's route admits exactly the roles that hold it.
    #[test]
    fn can_admits_the_holders() {
        let p = Permission::TriageReferrals;
        for role in Role::ALL {
            assert_eq!(Needs::Can(p).admits(role), allows(role, p), "{role:?}");
        }
    }
}
