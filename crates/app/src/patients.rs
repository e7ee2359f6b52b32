//! Patients: what identity data is valid, registering a patient and correcting their
//! identity as a new version.

use jiff::civil::Date;
use serde::Deserialize;
use trappa_ident::{IdError, PersonalIdentity};
use trappa_policy::{AccessBasis, Queue};
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::care_team::TeamFunction;
use trappa_store::patients::{Address, PatientData, PatientQuery, PostalAddress};
use trappa_store::units::UnitKind;
use trappa_store::{Store, StoreError};
use uuid::Uuid;

use crate::access::OpenedPatient;
use crate::text::{Msg, V};
use crate::{Caller, Error, Fault, Faults, Result};

/// The patient's identity data as typed, shared by the HTML form and the JSON API.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PatientFields {
    /// Personnummer or samordningsnummer.
    pub personal_identity: String,
    /// Förnamn.
    pub given_name: String,
    /// Efternamn.
    pub family_name: String,
    /// Telephone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Street address.
    pub street_address: String,
    /// Postal code.
    pub postal_code: String,
    /// Post town.
    pub city: String,
    /// Home vårdcentral id.
    pub home_unit_id: String,
    /// Checkbox value (`on`) in the HTML form.
    pub protected_identity: Option<String>,
    /// Reason for the change (edits).
    pub reason: String,
    /// The version the form was read at (edits).
    pub version: String,
    /// Queue on registration: `triage`, `waiting` or empty.
    pub queue: String,
    /// The stored address is withheld (protected identity) and was not shown: blank
    /// address fields keep it. Set from the record, never from the form.
    #[serde(skip)]
    pub address_withheld: bool,
}

/// The field message for an identity-number error.
pub fn id_error_message(e: &IdError) -> &'static Msg {
    match e {
        IdError::Format => &V::ID_INVALID_FORMAT,
        IdError::Date => &V::ID_INVALID_DATE,
        IdError::Future => &V::ID_INVALID_FUTURE,
        IdError::CheckDigit => &V::ID_INVALID_CHECK,
        IdError::IndividualNumber => &V::ID_INVALID_INDIVIDUAL,
        IdError::Separator => &V::ID_INVALID_SEPARATOR,
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl PatientFields {
    /// The fields showing `d` at `version`.
    pub fn from_data(d: &PatientData, version: i64) -> Self {
        let shown = d.address.known().cloned().unwrap_or_default();
        PatientFields {
            personal_identity: d.personal_identity.to_string(),
            given_name: d.given_name.clone(),
            family_name: d.family_name.clone(),
            phone: d.phone.clone().unwrap_or_default(),
            email: d.email.clone().unwrap_or_default(),
            street_address: shown.street.unwrap_or_default(),
            postal_code: shown.postal_code.unwrap_or_default(),
            city: shown.city.unwrap_or_default(),
            home_unit_id: d.home_unit_id.map(|u| u.to_string()).unwrap_or_default(),
            protected_identity: d.protected_identity.then(|| "on".to_owned()),
            reason: String::new(),
            version: version.to_string(),
            queue: String::new(),
            address_withheld: d.address == Address::Withheld,
        }
    }

    /// Validates into patient data (`today` decides what lies in the future), adding
    /// each fault to `faults`; `None` if any field is wrong.
    pub async fn check(
        &self,
        store: &Store,
        today: Date,
        faults: &mut Faults,
    ) -> Result<Option<PatientData>> {
        let before = faults.0.len();
        let pid = match PersonalIdentity::parse(&self.personal_identity, today) {
            Ok(p) => Some(p),
            Err(e) => {
                let m = if self.personal_identity.trim().is_empty() {
                    &V::REQUIRED
                } else {
                    id_error_message(&e)
                };
                faults.push(Fault::new("personal_identity", m));
                None
            }
        };
        faults.line("given_name", &self.given_name, true, 100);
        faults.line("family_name", &self.family_name, true, 100);
        faults.line("street_address", &self.street_address, false, 200);
        faults.line("city", &self.city, false, 100);
        let phone = self.phone.trim();
        if !phone.is_empty() {
            let ok_chars = phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()".contains(c));
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            if !ok_chars || !(5..=20).contains(&digits) {
                faults.push(Fault::new("phone", &V::BAD_PHONE));
            }
        }
        let email = self.email.trim();
        if !email.is_empty() && !email_ok(email) {
            faults.push(Fault::new("email", &V::BAD_EMAIL));
        }
        let postal: String = self
            .postal_code
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let postal_code = if postal.is_empty() {
            None
        } else if postal.len() == 5 && postal.chars().all(|c| c.is_ascii_digit()) {
            Some(format!("{} {}", &postal[..3], &postal[3..]))
        } else {
            faults.push(Fault::new("postal_code", &V::BAD_POSTAL_CODE));
            None
        };
        let home_unit_id = match opt(&self.home_unit_id) {
            None => None,
            Some(s) => match Uuid::parse_str(&s) {
                Ok(id) => match store.unit(id).await? {
                    Some(u) if u.kind == UnitKind::Vardcentral => Some(id),
                    _ => {
                        faults.push(Fault::new("home_unit_id", &V::UNKNOWN_CHOICE));
                        None
                    }
                },
                Err(_) => {
                    faults.push(Fault::new("home_unit_id", &V::UNKNOWN_CHOICE));
                    None
                }
            },
        };
        let Some(personal_identity) = pid.filter(|_| faults.0.len() == before) else {
            return Ok(None);
        };
        Ok(Some(PatientData {
            personal_identity,
            given_name: self.given_name.trim().to_owned(),
            family_name: self.family_name.trim().to_owned(),
            phone: opt(&self.phone),
            email: opt(&self.email),
            address: {
                let typed = PostalAddress {
                    street: opt(&self.street_address),
                    postal_code,
                    city: opt(&self.city),
                };
                if self.address_withheld && typed.is_empty() {
                    Address::Withheld
                } else {
                    Address::Known(typed)
                }
            },
            home_unit_id,
            protected_identity: self
                .protected_identity
                .as_deref()
                .is_some_and(|v| v == "on" || v == "true"),
            synthetic: false,
        }))
    }

    /// Validates into patient data, or every fault.
    pub async fn validate(&self, store: &Store, today: Date) -> Result<PatientData> {
        let mut faults = Faults::default();
        match self.check(store, today, &mut faults).await? {
            Some(data) if faults.is_empty() => Ok(data),
            _ => Err(Error::Invalid(faults.0)),
        }
    }
}

/// A taken identity number is the user's to fix: a field fault.
fn identity_taken(e: StoreError) -> Error {
    match e {
        StoreError::Duplicate(_) => Error::field("personal_identity", &V::ID_TAKEN),
        e => e.into(),
    }
}

/// Validates the fields and registers the patient, logging it. With no queue in the
/// fields, `default_queue` applies; a patient in no queue gets the author in the care
/// team, so the record they just made stays open to them. Nothing is stored on a
/// fault (a taken identity number included).
pub async fn register(
    store: &Store,
    caller: &Caller,
    f: &PatientFields,
    default_queue: Option<Queue>,
    today: Date,
) -> Result<Uuid> {
    let mut faults = Faults::default();
    let queue = match f.queue.trim() {
        "" => default_queue,
        code => Queue::from_code(code).or_else(|| {
            faults.push(Fault::new("queue", &V::UNKNOWN_CHOICE));
            None
        }),
    };
    let data = f.check(store, today, &mut faults).await?;
    let data = faults.finish(data)?.ok_or(Error::Invalid(Vec::new()))?;
    let entry = NewEntry::new(&caller.actor, Action::Create, "patient.identity")
        .flagged(data.protected_identity);
    let id = store
        .create_patient(
            &data,
            queue,
            caller.account_id,
            V::NEW_PATIENT_REASON.get(caller.locale),
            &entry,
        )
        .await
        .map_err(identity_taken)?;
    if queue.is_none() {
        store
            .seed_care_team_member(
                id,
                caller.account_id,
                TeamFunction::Other,
                caller.account_id,
            )
            .await?;
    }
    Ok(id)
}

/// Validates an edit (fields, reason, version) and saves it as a new version; a stale
/// version is [`Error::Stale`]. Returns the new version number.
pub async fn edit(
    store: &Store,
    caller: &Caller,
    opened: &OpenedPatient,
    f: &PatientFields,
    today: Date,
) -> Result<i64> {
    let mut faults = Faults::default();
    faults.text("reason", &f.reason, true, 500);
    let version = f.version.trim().parse::<i64>().ok().filter(|v| *v >= 1);
    if version.is_none() {
        faults.push(Fault::new("version", &V::STALE_FORM));
    }
    // A withheld address the form could not show is kept when its fields stay blank.
    let current = store.patient(&opened.access).await?;
    let f = &PatientFields {
        address_withheld: current.current.data.address == Address::Withheld,
        ..f.clone()
    };
    let data = f.check(store, today, &mut faults).await?;
    let (Some(mut data), Some(version)) = faults.finish((data, version))? else {
        return Err(Error::Invalid(Vec::new()));
    };
    // The synthetic marker belongs to the record, not to the form.
    data.synthetic = current.current.data.synthetic;
    let entry = NewEntry::new(&caller.actor, Action::Update, "patient.identity")
        .patient(opened.id())
        .basis(opened.basis())
        .flagged(
            opened.protected_identity
                || data.protected_identity
                || opened.basis() == AccessBasis::Emergency,
        )
        .detail(format!("version {}", version + 1));
    store
        .update_patient(
            &opened.access,
            version,
            &data,
            caller.account_id,
            f.reason.trim(),
            &entry,
        )
        .await
        .map_err(identity_taken)
}

/// Most search hits shown (each is logged).
pub const SEARCH_LIMIT: i64 = 50;

/// The longest search string read: a name of a few words or an identity number.
pub const MAX_QUERY_CHARS: usize = 100;

/// What a search string means: an identity number, or name words.
pub fn parse_query(q: &str, today: Date) -> std::result::Result<PatientQuery, &'static Msg> {
    let q = q.trim();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(&V::SEARCH_TOO_LONG);
    }
    let digits = q.chars().filter(char::is_ascii_digit).count();
    let looks_like_number = digits >= 6
        && q.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' '));
    if looks_like_number {
        return PersonalIdentity::parse(&q.replace(' ', ""), today)
            .map(PatientQuery::Identity)
            .map_err(|e| id_error_message(&e));
    }
    let words: Vec<String> = q
        .split_whitespace()
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    if words.iter().map(|w| w.chars().count()).sum::<usize>() < 2 {
        return Err(&V::SEARCH_TOO_SHORT);
    }
    Ok(PatientQuery::Name(words))
}

/// Searches for patients by identity number or name words (fault at `q`). The search
/// and every patient it finds are logged in the caller's name.
pub async fn search(
    store: &Store,
    caller: &Caller,
    q: &str,
    today: Date,
) -> Result<Vec<trappa_store::patients::PatientSummary>> {
    let query = parse_query(q, today).map_err(|m| Error::field("q", m))?;
    let kind = match query {
        PatientQuery::Identity(_) => "identity",
        PatientQuery::Name(_) => "name",
    };
    let entry =
        NewEntry::new(&caller.actor, Action::Search, "patient.search").detail(kind.to_owned());
    Ok(store.search_patients(&query, SEARCH_LIMIT, &entry).await?)
}

/// Whether `email` looks like an address mail can be sent to (name@domain.tld, at most
/// 200 characters, no spaces): the one check for every e-mail address typed.
pub fn email_ok(email: &str) -> bool {
    email.len() <= 200
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(l, d)| {
            !l.is_empty()
                && d.contains('.')
                && !d.starts_with('.')
                && !d.ends_with('.')
                && !d.contains('@')
        })
}
