//! Working with partners (issue 19): who may read and work a coordinated individual
//! plan (SIP, *samordnad individuell plan*, SoL 2 kap 7 § and HSL 16 kap 4 §).
//!
//! A SIP is shared between the unit and organisations outside it — social services,
//! psychiatry, addiction care, pain teams — only with the patient's consent
//! (PDL 6 kap 3 §). The unit's care team works the plan as part of its care; a
//! partner's staff see the plan and their own organisation's tasks while a consent
//! covering their organisation is in force, and nothing else of the record.
//! Withdrawing the consent ends that at once: the facts are read on every request.

use crate::{AccessBasis, Grant, PatientAccessDecision, Permission, Role, allows};

/// The facts about one actor and one patient's SIPs that [`decide_sip_access`] needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SipAccessFacts {
    /// The role the actor is acting in.
    pub role: Role,
    /// The actor is a current member of the patient's care team.
    pub in_care_team: bool,
    /// The actor belongs to a partner organisation that takes part in one of the
    /// patient's SIPs, and the patient's consent to share it with that organisation
    /// is in force now.
    pub partner_consented: bool,
}

/// Who may open a patient's SIPs.
///
/// The care team does, for the unit (a clinician outside it uses the record's own
/// rules, emergency access included, and reads the SIP there). A partner's staff do
/// only on the patient's consent in force for their organisation. Every other role —
/// and a partner without consent — is refused.
pub fn decide_sip_access(f: SipAccessFacts) -> PatientAccessDecision {
    use PatientAccessDecision::*;
    if allows(f.role, Permission::WorkSharedSips) {
        return if f.partner_consented {
            Allow(Grant(AccessBasis::PartnerConsent))
        } else {
            Deny
        };
    }
    if allows(f.role, Permission::CoordinateSip) && f.in_care_team {
        Allow(Grant(AccessBasis::CareTeam))
    } else {
        Deny
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PatientAccessDecision::*;

    /// Table-driven: (role, in care team, partner consent in force) → decision.
    #[test]
    fn sip_access() {
        let care_team = Allow(Grant(AccessBasis::CareTeam));
        let consent = Allow(Grant(AccessBasis::PartnerConsent));
        let cases = [
            (Role::Nurse, true, false, care_team),
            (Role::Physician, true, false, care_team),
            (Role::Psychologist, true, false, care_team),
            (Role::Coordinator, true, false, care_team),
            (Role::UnitManager, true, false, care_team),
            // Outside the care team, no SIP: not even emergency access opens one here.
            (Role::Nurse, false, false, Deny),
            (Role::Nurse, false, true, Deny),
            (Role::Partner, false, true, consent),
            // A partner's consent is the only way in: membership of a care team (a
            // joint team) does not widen it.
            (Role::Partner, true, false, Deny),
            (Role::Partner, false, false, Deny),
            (Role::Analyst, true, true, Deny),
            (Role::Auditor, true, true, Deny),
            (Role::Admin, true, true, Deny),
            (Role::ExternalReferrer, true, true, Deny),
            (Role::Patient, true, true, Deny),
        ];
        for (role, in_care_team, partner_consented, want) in cases {
            let got = decide_sip_access(SipAccessFacts {
                role,
                in_care_team,
                partner_consented,
            });
            assert_eq!(
                got, want,
                "{role:?} team={in_care_team} consent={partner_consented}"
            );
        }
    }

    /// Only partners work shared SIPs, and partners hold nothing else.
    #[test]
    fn partners_hold_only_shared_sips() {
        for role in Role::ALL {
            assert_eq!(
                allows(role, Permission::WorkSharedSips),
                role == Role::Partner,
                "{role:?}"
            );
        }
        assert_eq!(
            crate::permissions(Role::Partner),
            &[Permission::WorkSharedSips]
        );
        assert!(!Role::Partner.is_clinical());
    }
}
