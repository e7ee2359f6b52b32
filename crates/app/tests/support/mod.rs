//! Fixtures the use-case tests share: units, signed-in callers, a registered patient.

#![allow(dead_code)]

use jiff::civil::date;
use trappa_app::Caller;
use trappa_app::access::OpenedPatient;
use trappa_app::patients::PatientFields;
use trappa_i18n::Locale;
use trappa_policy::Role;
use trappa_store::access_log::{Action, Actor};
use trappa_store::accounts::NewAccount;
use trappa_store::units::{UnitInput, UnitKind};
use trappa_store::{Store, Uuid};
use trappa_taper::ReferenceData;

pub const TODAY: jiff::civil::Date = date(2026, 12, 6);

pub fn reference() -> ReferenceData {
    ReferenceData::builtin().unwrap()
}

pub fn actor(account: Option<Uuid>, username: &str, role: Option<Role>, ip: &str) -> Actor {
    Actor {
        account_id: account,
        username: username.into(),
        role: role.map(|r| r.code().into()),
        unit_id: None,
        request_id: format!("req-{username}"),
        client_ip: Some(ip.into()),
        new_role: false,
    }
}

pub async fn unit(store: &Store, code: &str, kind: UnitKind) -> Uuid {
    store
        .upsert_unit(&UnitInput {
            kind,
            code: code.into(),
            name: format!("Enheten {code}"),
            hsa_id: None,
            kommunkod: None,
            municipality_name: None,
            lat: None,
            lon: None,
            population: None,
            source: "test".into(),
        })
        .await
        .unwrap()
}

/// A signed-in caller with `role` at `unit`.
pub async fn caller(store: &Store, username: &str, role: Role, unit: Uuid) -> Caller {
    let id = store
        .create_account(&NewAccount {
            username: username.into(),
            display_name: format!("{username} Testsson"),
            profession: None,
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
    let mut actor = actor(Some(id), username, Some(role), "10.0.0.1");
    actor.unit_id = Some(unit);
    Caller {
        account_id: id,
        role,
        unit_id: Some(unit),
        patient_id: None,
        actor,
        display_name: format!("{username} Testsson"),
        locale: Locale::Sv,
    }
}

/// Patient number `n`, registered outside any queue by `nurse` (who is then in the
/// care team), and opened by the nurse for `action`.
pub async fn registered(store: &Store, nurse: &Caller, n: u16, action: Action) -> OpenedPatient {
    let id = trappa_ident::PersonalIdentity::from_parts(
        date(1958, 5, 1 + (n % 28) as i8),
        n,
        trappa_ident::IdKind::Personnummer,
    )
    .unwrap();
    let fields = PatientFields {
        personal_identity: id.to_string(),
        given_name: "Stig".into(),
        family_name: "Ek".into(),
        ..Default::default()
    };
    let patient = trappa_app::patients::register(store, nurse, &fields, None, TODAY)
        .await
        .unwrap();
    open(store, nurse, patient, action).await
}

/// `patient` opened by `who` for `action`.
pub async fn open(store: &Store, who: &Caller, patient: Uuid, action: Action) -> OpenedPatient {
    trappa_app::access::open(store, who, patient, action, "patient.test")
        .await
        .unwrap()
}

/// The first fault's field and Swedish message; panics on anything else.
pub fn fault_of<T: std::fmt::Debug>(r: trappa_app::Result<T>) -> (String, &'static str) {
    match r {
        Err(trappa_app::Error::Invalid(f)) => (f[0].field.to_string(), f[0].message.sv),
        other => panic!("expected a fault, got {other:?}"),
    }
}

/// The patient's own account (`username`), signed in.
pub async fn patient_caller(store: &Store, patient: Uuid, username: &str) -> Caller {
    let id = store
        .create_account(&NewAccount {
            username: username.into(),
            display_name: format!("{username} Patientsson"),
            profession: None,
            hsa_id: None,
            unit_id: None,
            patient_id: Some(patient),
            partner_organisation_id: None,
            roles: vec![Role::Patient],
            password_hash: "x".into(),
            created_by: None,
        })
        .await
        .unwrap();
    Caller {
        account_id: id,
        role: Role::Patient,
        unit_id: None,
        patient_id: Some(patient),
        actor: actor(Some(id), username, Some(Role::Patient), "10.0.0.9"),
        display_name: format!("{username} Patientsson"),
        locale: Locale::Sv,
    }
}
