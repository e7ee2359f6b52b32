//! Accounts: one's own password and second factor, and the staff accounts an
//! administrator keeps (names, HSA-ids, units, roles). Every change is logged; nobody
//! changes their own roles.

use trappa_ident::HsaId;
use trappa_policy::Role;
use trappa_store::access_log::{Action, NewEntry};
use trappa_store::accounts::{AccountUpdate, NewAccount};
use trappa_store::{Store, StoreError};
use uuid::Uuid;

use crate::sessions::{hash_password_off_thread, totp, verify_password};
use crate::text::V;
use crate::{Caller, Error, Fault, Faults, Result};

/// Shortest password accepted when setting one.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest display name.
pub const MAX_DISPLAY_NAME: usize = 100;
/// The longest username.
pub const MAX_USERNAME: usize = 64;

/// Roles an administrator may grant: every role but the patient's (patient accounts
/// come from the identity provider). A partner's account holds the partner's role only
/// and names its organisation ([`PARTNER_PREFIX`]).
pub fn grantable() -> impl Iterator<Item = Role> {
    Role::ALL.into_iter().filter(|r| *r != Role::Patient)
}

/// How the staff form's workplace names a partner organisation rather than a unit:
/// `partner:` and the organisation's id.
pub const PARTNER_PREFIX: &str = "partner:";

/// Logs a change to an account, `resource` naming which kind.
async fn log_change(store: &Store, caller: &Caller, resource: &str, what: String) -> Result<()> {
    store
        .append_access_log(
            &NewEntry::new(&caller.actor, Action::AccountChange, resource).detail(what),
        )
        .await?;
    Ok(())
}

/// A new password's faults: too short at `field`, or a `repeat` that differs.
pub fn check_new_password(field: &'static str, new: &str, repeat: Option<&str>) -> Vec<Fault> {
    if new.chars().count() < MIN_PASSWORD_CHARS {
        vec![Fault::new(field, &V::PASSWORD_TOO_SHORT).with("n", MIN_PASSWORD_CHARS.to_string())]
    } else if repeat.is_some_and(|r| r != new) {
        vec![Fault::new("repeat", &V::PASSWORD_MISMATCH)]
    } else {
        Vec::new()
    }
}

/// Whether `password` is the caller's own.
async fn password_ok(store: &Store, caller: &Caller, password: &str) -> Result<bool> {
    let creds = store
        .credentials_by_id(caller.account_id)
        .await?
        .ok_or(Error::NotFound)?;
    verify_password(password, &creds.password_hash).await
}

/// Changes the caller's password, given the current one; every other session of the
/// account ends, `session_hash` (the caller's) stays.
pub async fn change_password(
    store: &Store,
    caller: &Caller,
    session_hash: &str,
    current: &str,
    new: &str,
    repeat: &str,
) -> Result<()> {
    let mut faults = Faults::default();
    if !password_ok(store, caller, current).await? {
        faults.push(Fault::new("current", &V::PASSWORD_WRONG));
    }
    faults
        .0
        .extend(check_new_password("new", new, Some(repeat)));
    faults.finish(())?;
    let hash = hash_password_off_thread(new).await?;
    store
        .set_password(caller.account_id, &hash, Some(session_hash))
        .await?;
    log_change(store, caller, "account", "password changed".into()).await
}

/// The fewest bytes a TOTP key may have: what [`crate::sessions::new_totp_secret`] makes
/// (RFC 4226 recommends 160 bits). The key rides in the enrolment form, so a shorter
/// one sent back is refused.
const MIN_TOTP_SECRET_BYTES: usize = 20;

/// Turns the second factor on with `secret`, given the password and a `code` from the
/// app that matches the key. Only for an account without a key (one is replaced by
/// turning it off first). Every other session of the account ends; the code is spent
/// (it cannot sign in again); and the session it was typed in, `session_hash`, has
/// proved two factors from then on.
pub async fn enable_totp(
    store: &Store,
    caller: &Caller,
    session_hash: &str,
    password: &str,
    secret: &str,
    code: &str,
) -> Result<()> {
    let mut faults = Faults::default();
    if !password_ok(store, caller, password).await? {
        faults.push(Fault::new("password", &V::PASSWORD_WRONG));
    }
    let long_enough = totp_rs::Secret::try_from_base32(secret)
        .is_ok_and(|k| k.as_bytes().len() >= MIN_TOTP_SECRET_BYTES);
    let step = totp(secret, &caller.actor.username)
        .ok()
        .filter(|_| long_enough)
        .and_then(|t| t.check_current(code.trim()));
    if step.is_none() {
        faults.push(Fault::new("code", &V::TOTP_WRONG));
    }
    faults.finish(())?;
    let Some(step) = step else {
        return Err(Error::field("code", &V::TOTP_WRONG));
    };
    if !store
        .enrol_totp(caller.account_id, secret, session_hash)
        .await?
    {
        return Err(Error::field("code", &V::TOTP_ALREADY_ON));
    }
    store.accept_totp_step(caller.account_id, step).await?;
    store.complete_second_factor(session_hash).await?;
    log_change(store, caller, "account", "totp enabled".into()).await
}

/// Turns the second factor off, given the password. Refused for an account that holds
/// the administrator's role: administrators act only with two factors
/// ([`trappa_policy::needs_second_factor`]).
pub async fn disable_totp(store: &Store, caller: &Caller, password: &str) -> Result<()> {
    if !password_ok(store, caller, password).await? {
        return Err(Error::field("password", &V::PASSWORD_WRONG));
    }
    let account = store
        .credentials_by_id(caller.account_id)
        .await?
        .ok_or(Error::NotFound)?
        .account;
    if account
        .roles
        .iter()
        .any(|&r| trappa_policy::needs_second_factor(r))
    {
        return Err(Error::field("password", &V::TOTP_REQUIRED_FOR_ROLE));
    }
    store.set_totp_secret(caller.account_id, None).await?;
    log_change(store, caller, "account", "totp disabled".into()).await
}

/// A staff account as an administrator types it.
#[derive(Debug, Clone, Default)]
pub struct StaffInput {
    /// Login name (new accounts only; it never changes).
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// Profession, free text.
    pub profession: String,
    /// HSA-id, optional.
    pub hsa_id: String,
    /// The workplace: a unit's id, or [`PARTNER_PREFIX`] and a partner organisation's
    /// id; optional.
    pub unit_id: String,
    /// Whether the account may sign in.
    pub active: bool,
    /// A password: required for a new account, a reset when given for one that exists.
    pub password: String,
    /// Role codes, one of [`grantable`] each.
    pub roles: Vec<String>,
}

/// What a valid [`StaffInput`] says.
struct Staff {
    roles: Vec<Role>,
    hsa_id: Option<String>,
    unit_id: Option<Uuid>,
    partner_organisation_id: Option<Uuid>,
}

fn check_staff(input: &StaffInput, new_account: bool) -> Result<Staff> {
    let mut faults = Faults::default();
    if new_account {
        let u = input.username.trim();
        if u.is_empty() {
            faults.push(Fault::new("username", &V::REQUIRED));
        } else if u.len() > MAX_USERNAME
            || !u
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            faults.push(
                Fault::new("username", &V::STAFF_USERNAME_BAD).with("n", MAX_USERNAME.to_string()),
            );
        }
    }
    if new_account || !input.password.is_empty() {
        faults
            .0
            .extend(check_new_password("password", &input.password, None));
    }
    faults.line("display_name", &input.display_name, true, MAX_DISPLAY_NAME);
    faults.line("profession", &input.profession, false, MAX_DISPLAY_NAME);
    let hsa_id = if input.hsa_id.trim().is_empty() {
        None
    } else {
        match HsaId::parse(&input.hsa_id) {
            Ok(h) => Some(h.as_str().to_owned()),
            Err(_) => {
                faults.push(Fault::new("hsa_id", &V::STAFF_HSA_BAD));
                None
            }
        }
    };
    let roles: Vec<Role> = input
        .roles
        .iter()
        .filter_map(|c| Role::from_code(c))
        .filter(|r| grantable().any(|g| g == *r))
        .collect();
    if roles.is_empty() || roles.len() != input.roles.len() {
        faults.push(Fault::new("role", &V::STAFF_ROLES_REQUIRED));
    }
    let (unit_id, partner_organisation_id) = match input.unit_id.trim().strip_prefix(PARTNER_PREFIX)
    {
        Some(org) => (None, Some(Uuid::parse_str(org).unwrap_or(Uuid::nil()))),
        None => (Uuid::parse_str(input.unit_id.trim()).ok(), None),
    };
    // A partner's staff act for their organisation only: the partner's role alone, and
    // the organisation named; no one else works at a partner organisation.
    let partner = roles.contains(&Role::Partner);
    if partner && roles.len() > 1 {
        faults.push(Fault::new("role", &V::STAFF_PARTNER_ONLY));
    } else if partner != partner_organisation_id.is_some() && !faults.has("role") {
        faults.push(Fault::new("unit_id", &V::STAFF_PARTNER_WORKPLACE));
    }
    faults.finish(Staff {
        roles,
        hsa_id,
        unit_id,
        partner_organisation_id,
    })
}

/// Refuses a workplace that names no partner organisation there is.
async fn known_workplace(store: &Store, staff: &Staff) -> Result<()> {
    if let Some(org) = staff.partner_organisation_id
        && !store
            .partner_organisations()
            .await?
            .iter()
            .any(|o| o.id == org)
    {
        return Err(Error::field("unit_id", &V::STAFF_PARTNER_WORKPLACE));
    }
    Ok(())
}

fn profession(input: &StaffInput) -> Option<String> {
    Some(input.profession.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Creates a staff account. Returns its id.
pub async fn create_staff(store: &Store, caller: &Caller, input: &StaffInput) -> Result<Uuid> {
    let staff = check_staff(input, true)?;
    known_workplace(store, &staff).await?;
    let new = NewAccount {
        username: input.username.trim().to_lowercase(),
        display_name: input.display_name.trim().to_owned(),
        profession: profession(input),
        hsa_id: staff.hsa_id,
        unit_id: staff.unit_id,
        patient_id: None,
        partner_organisation_id: staff.partner_organisation_id,
        roles: staff.roles,
        password_hash: hash_password_off_thread(&input.password).await?,
        created_by: Some(caller.account_id),
    };
    match store.create_account(&new).await {
        Ok(id) => {
            log_change(store, caller, "staff", format!("created {id}")).await?;
            Ok(id)
        }
        Err(StoreError::Duplicate(_)) => Err(Error::field("username", &V::STAFF_HSA_TAKEN)),
        Err(e) => Err(e.into()),
    }
}

/// Lifts the sign-in lock of staff account `id` before its window has passed (the
/// member of staff called; the administrator has made sure it is them). The failures
/// before it stop counting for the username (an address's own limit still applies);
/// the lift is logged with the administrator's name, and flagged for review when it is
/// the administrator's own username. Whether there was a lock to lift: none, nothing
/// is written.
pub async fn unlock_sign_in(store: &Store, caller: &Caller, id: Uuid) -> Result<bool> {
    let account = store
        .account(id)
        .await?
        .filter(|a| a.patient_id.is_none())
        .ok_or(Error::NotFound)?;
    if !crate::sessions::locked(store, &account.username).await? {
        return Ok(false);
    }
    store
        .unlock_sign_in(&account.username, caller.account_id)
        .await?;
    store
        .append_access_log(
            &NewEntry::new(&caller.actor, Action::AccountChange, "staff.sign_in")
                .flagged(id == caller.account_id)
                .detail(format!("unlocked {id}")),
        )
        .await?;
    Ok(true)
}

/// Changes staff account `id` as read at `version`. Nobody changes their own roles:
/// the attempt is refused and flagged for review.
pub async fn update_staff(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    version: i64,
    input: &StaffInput,
) -> Result<()> {
    let account = store
        .account(id)
        .await?
        .filter(|a| a.patient_id.is_none())
        .ok_or(Error::NotFound)?;
    let staff = check_staff(input, false)?;
    known_workplace(store, &staff).await?;
    let mut asked = staff.roles.clone();
    asked.sort();
    if asked != account.roles && !trappa_policy::may_change_roles(id == caller.account_id) {
        store
            .append_access_log(
                &NewEntry::new(&caller.actor, Action::AccountChange, "staff.roles")
                    .denied()
                    .flagged(true)
                    .detail(format!("own roles {id}")),
            )
            .await?;
        return Err(Error::Refused(&V::ERR_OWN_ROLES, &V::ERR_OWN_ROLES_DETAIL));
    }
    let password_hash = if input.password.is_empty() {
        None
    } else {
        Some(hash_password_off_thread(&input.password).await?)
    };
    let reset = password_hash.is_some();
    let update = AccountUpdate {
        password_hash,
        display_name: input.display_name.trim().to_owned(),
        profession: profession(input),
        hsa_id: staff.hsa_id,
        unit_id: staff.unit_id,
        partner_organisation_id: staff.partner_organisation_id,
        roles: staff.roles,
        active: input.active,
    };
    match store
        .update_account(id, version, &update, caller.account_id)
        .await
    {
        Ok(()) => {
            let what = if reset {
                format!("updated {id}, password reset")
            } else {
                format!("updated {id}")
            };
            log_change(store, caller, "staff", what).await
        }
        Err(StoreError::Duplicate(_)) => Err(Error::field("hsa_id", &V::STAFF_HSA_TAKEN)),
        Err(e) => Err(e.into()),
    }
}
