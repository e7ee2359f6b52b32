//! The storage suite, run on every backend the environment provides (see `testing`).

use jiff::civil::date;
use trappa_ident::{IdKind, PersonalIdentity};
use trappa_policy::{AccessBasis, Queue, Role};
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::accounts::NewAccount;
use trappa_store::patients::{Address, PatientData, PostalAddress};
use trappa_store::units::{UnitInput, UnitKind};
use trappa_store::{Store, Uuid};

mod access;
mod clinical;
mod path;
mod patients;
mod planning;
mod reports;
mod schema;

async fn unit_and_account(store: &Store, username: &str, role: Role) -> (Uuid, Actor) {
    let unit = store
        .upsert_unit(&UnitInput {
            kind: UnitKind::TaperingUnit,
            code: "unit:test".into(),
            name: "Testenheten".into(),
            hsa_id: None,
            kommunkod: None,
            municipality_name: None,
            lat: None,
            lon: None,
            population: None,
            source: "test".into(),
        })
        .await
        .unwrap();
    let id = store
        .create_account(&NewAccount {
            username: username.into(),
            display_name: format!("{username} Testsson"),
            profession: Some("Sjuksköterska".into()),
            hsa_id: None,
            unit_id: Some(unit),
            patient_id: None,
            partner_organisation_id: None,
            roles: vec![role],
            password_hash: "x".into(),
            created_by: None,
        })
        .await
        .unwrap();
    let actor = Actor {
        account_id: Some(id),
        username: username.into(),
        role: Some(role.code().into()),
        unit_id: Some(unit),
        request_id: "req-test".into(),
        client_ip: Some("127.0.0.1".into()),
        new_role: false,
    };
    (id, actor)
}

/// A grant the policy gives on `basis`: a nurse in the care team, or a physician
/// handling the triage queue.
fn grant_on(basis: AccessBasis) -> trappa_policy::Grant {
    let facts = trappa_policy::PatientAccessFacts {
        role: if basis == AccessBasis::Queue {
            Role::Physician
        } else {
            Role::Nurse
        },
        in_care_team: basis == AccessBasis::CareTeam,
        queue: (basis == AccessBasis::Queue).then_some(Queue::Triage),
        open_emergency_access: false,
        is_self: false,
    };
    match trappa_policy::decide_patient_access(facts) {
        trappa_policy::PatientAccessDecision::Allow(g) if g.basis() == basis => g,
        other => panic!("the policy does not grant {basis:?}: {other:?}"),
    }
}

fn entry<'a>(actor: &'a Actor, action: Action, resource: &'a str) -> NewEntry<'a> {
    NewEntry::new(actor, action, resource)
}

fn person(n: u16, given: &str, family: &str) -> PatientData {
    PatientData {
        personal_identity: PersonalIdentity::from_parts(
            date(1960, 1, 1 + (n % 28) as i8),
            n,
            IdKind::Personnummer,
        )
        .unwrap(),
        given_name: given.into(),
        family_name: family.into(),
        phone: Some("070-000 00 00".into()),
        email: None,
        address: Address::Known(PostalAddress {
            street: Some("Storgatan 1".into()),
            postal_code: Some("463 30".into()),
            city: Some("Lilla Edet".into()),
        }),
        home_unit_id: None,
        protected_identity: false,
        synthetic: true,
    }
}
