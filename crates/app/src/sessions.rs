//! Signing in and out: passwords (argon2id), the TOTP second factor, sessions and the
//! limits on failed attempts. Every way of signing in ends in [`start`]; nothing else
//! knows how a person proved who they are. Every attempt, success or not, is logged.

use jiff::{SignedDuration, Timestamp};
use trappa_policy::Role;
use trappa_store::Store;
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::sessions::SessionRecord;
use uuid::Uuid;

use crate::text::V;
use crate::{Caller, Error, Result, SIGN_IN_WINDOW_MINUTES, Throttle};

/// Failed attempts per username (since the last success) within the window before
/// sign-in is refused.
pub const MAX_FAILURES_PER_USER: i64 = 5;
/// Failed attempts per client address within the window.
pub const MAX_FAILURES_PER_IP: i64 = 30;
/// How often a session's idle timeout is extended, at most (seconds).
pub const TOUCH_EVERY_SECS: i64 = 60;

/// Hashes a password with argon2id and a random salt (PHC string). Slow by design:
/// call it through [`hash_password_off_thread`] from async code.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    use argon2::PasswordHasher;
    let hash: argon2::PasswordHash = argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("hash: {e}"))?;
    Ok(hash.to_string())
}

/// [`hash_password`] on a blocking thread, so the server keeps answering meanwhile.
pub async fn hash_password_off_thread(password: &str) -> Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(Error::Internal)
}

/// Checks a password against a stored PHC string, on a blocking thread.
pub async fn verify_password(password: &str, phc: &str) -> Result<bool> {
    verify_or_dummy(password, Some(phc.to_owned())).await
}

/// Checks a password against a stored PHC string, or against a dummy hash when there
/// is none (an unknown username), so both take the same time; on a blocking thread,
/// where the dummy hash is also made the first time.
async fn verify_or_dummy(password: &str, phc: Option<String>) -> Result<bool> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        use argon2::PasswordVerifier;
        let phc = phc.as_deref().unwrap_or_else(|| dummy_hash());
        PasswordVerifier::<str>::verify_password(
            &argon2::Argon2::default(),
            password.as_bytes(),
            phc,
        )
        .is_ok()
    })
    .await
    .map_err(|e| Error::Internal(e.into()))
}

/// A hash to verify against when the username does not exist, so both cases take the
/// same time and do not reveal which usernames exist.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such account").unwrap_or_default())
}

/// SHA-256 hex of a session token: what the database stores.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random token for a cookie.
pub fn random_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes[..]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The TOTP checker for a base32 secret.
pub fn totp(secret_base32: &str, account: &str) -> anyhow::Result<totp_rs::Totp> {
    let secret = totp_rs::Secret::try_from_base32(secret_base32)
        .map_err(|e| anyhow::anyhow!("totp secret: {e:?}"))?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some("Trappa"))
        .build()
        .map_err(|e| anyhow::anyhow!("totp: {e:?}"))
}

/// A fresh random TOTP secret, base32.
pub fn new_totp_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::fill(&mut bytes[..]);
    totp_rs::Secret::from(bytes.to_vec()).to_base32()
}

/// Failed sign-ins within the window: for the username (since its last success or
/// unlock) and for the address.
async fn recent_failures(
    store: &Store,
    username: &str,
    client_ip: Option<&str>,
) -> Result<(i64, i64)> {
    let since = trappa_store::now() - SignedDuration::from_mins(SIGN_IN_WINDOW_MINUTES);
    Ok(store
        .recent_login_failures(username, client_ip, since)
        .await?)
}

/// Whether sign-in for this username or address is refused just now.
pub async fn throttled(store: &Store, username: &str, client_ip: Option<&str>) -> Result<bool> {
    let (by_user, by_ip) = recent_failures(store, username, client_ip).await?;
    Ok(by_user >= MAX_FAILURES_PER_USER || by_ip >= MAX_FAILURES_PER_IP)
}

/// Whether `username` is locked by its own failed sign-ins (whatever the address): the
/// administrator's page shows it, with the way to lift it.
pub async fn locked(store: &Store, username: &str) -> Result<bool> {
    let (by_user, _) = recent_failures(store, username, None).await?;
    Ok(by_user >= MAX_FAILURES_PER_USER)
}

/// Logs a refused sign-in, `why` in words for the auditor.
async fn log_failure(store: &Store, actor: &Actor, why: &str) -> Result<()> {
    store
        .append_access_log(
            &NewEntry::new(actor, Action::LoginFailed, "session")
                .denied()
                .detail(why.to_owned()),
        )
        .await?;
    Ok(())
}

/// How a person proved who they are when a session starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proof {
    /// A password, for an account without a second factor: one factor.
    Password,
    /// A password, for an account with a one-time code: the session owes the code and
    /// has two factors once it is given.
    PasswordOwingCode,
    /// An identity provider's sign-in (a SITHS card with its PIN, BankID): two factors.
    IdentityProvider,
}

/// A session just started.
#[derive(Debug, Clone)]
pub struct Started {
    /// The cookie's token (the store keeps only its hash).
    pub token: String,
    /// The password was right but a one-time code is still owed.
    pub second_factor_pending: bool,
}

/// Starts a session for an authenticated account, ending `replacing` (the session the
/// request came with, if any), and logs the sign-in. The single entry point for every
/// way of signing in: an identity provider's sign-in calls it once it knows the
/// account. `actor` names the person as far as known (the username, the address).
pub async fn start(
    store: &Store,
    actor: &Actor,
    account_id: Uuid,
    role: Role,
    proof: Proof,
    replacing: Option<&str>,
    idle_minutes: i64,
) -> Result<Started> {
    let token = random_token();
    let now = trappa_store::now();
    let second_factor_pending = proof == Proof::PasswordOwingCode;
    store
        .create_session(
            &token_hash(&token),
            account_id,
            role,
            second_factor_pending,
            proof == Proof::IdentityProvider,
            now,
            now + SignedDuration::from_mins(idle_minutes),
        )
        .await?;
    if let Some(old) = replacing {
        store.delete_session(old).await?;
    }
    let mut actor = actor.clone();
    actor.account_id = Some(account_id);
    actor.role = Some(role.code().to_owned());
    store
        .append_access_log(
            &NewEntry::new(&actor, Action::Login, "session")
                .detail_opt(second_factor_pending.then(|| "second factor pending".to_owned())),
        )
        .await?;
    Ok(Started {
        token,
        second_factor_pending,
    })
}

/// Signs in with a username and a password. Refused when too many attempts failed
/// ([`Error::Throttled`]) and when the name, the password or the account is wrong — one
/// fault at `username` that does not say which, in the same time either way. `actor`
/// is the anonymous request's, named by the username typed.
pub async fn sign_in(
    store: &Store,
    actor: &Actor,
    username: &str,
    password: &str,
    replacing: Option<&str>,
    idle_minutes: i64,
) -> Result<Started> {
    let ip = actor.client_ip.as_deref();
    if throttled(store, username, ip).await? {
        log_failure(store, actor, "throttled").await?;
        return Err(Error::Throttled(Throttle::SignIn));
    }
    let creds = store.credentials(username).await?;
    let hash = creds.as_ref().map(|c| c.password_hash.clone());
    let right = verify_or_dummy(password, hash).await?;
    let ok = right
        && creds
            .as_ref()
            .is_some_and(|c| c.account.active && !c.account.roles.is_empty());
    // A right password with a second factor still owed is not a success: only the
    // complete sign-in resets the count of failures, so one-time codes cannot be
    // guessed a few at a time between password sign-ins.
    let second_factor_owed = creds.as_ref().is_some_and(|c| c.totp_secret.is_some());
    if !ok || !second_factor_owed {
        store.record_login_attempt(username, ip, ok).await?;
    }
    let Some(creds) = creds.filter(|_| ok) else {
        log_failure(store, actor, "bad credentials").await?;
        return Err(Error::field("username", &V::LOGIN_FAILED));
    };
    let proof = if second_factor_owed {
        Proof::PasswordOwingCode
    } else {
        Proof::Password
    };
    start(
        store,
        actor,
        creds.account.id,
        creds.account.roles[0],
        proof,
        replacing,
        idle_minutes,
    )
    .await
}

/// Who an identity provider says signed in: a member of staff by HSA-id (SITHS), or a
/// patient by personnummer (BankID).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// Staff, by HSA-id.
    Staff {
        /// The HSA-id the provider asserted.
        hsa_id: String,
    },
    /// A patient, by identity number.
    Patient {
        /// The identity number the provider asserted (12 digits or with a separator).
        personal_identity: String,
    },
}

/// Signs in the account an identity provider's verified assertion names. Each door
/// leads to its own kind of account only: a staff identity never reaches a patient's
/// account and a patient's identity never a staff account, whatever the accounts say.
/// The provider's sign-in is the second factor (a SITHS card or BankID), so none is
/// owed. An identity with no active account is refused with [`V::LOGIN_NO_ACCOUNT`]
/// and logged.
pub async fn sign_in_with_identity(
    store: &Store,
    actor: &Actor,
    identity: &Identity,
    replacing: Option<&str>,
    idle_minutes: i64,
) -> Result<Started> {
    let account = match identity {
        Identity::Staff { hsa_id } => store
            .account_by_hsa_id(hsa_id.trim())
            .await?
            .filter(|a| a.patient_id.is_none() && !a.roles.contains(&Role::Patient)),
        Identity::Patient { personal_identity } => {
            let today = crate::clock::today();
            match trappa_ident::PersonalIdentity::parse(personal_identity, today) {
                Ok(pid) => store
                    .patient_account_by_identity(&pid)
                    .await?
                    .filter(|a| a.roles == [Role::Patient]),
                Err(_) => None,
            }
        }
    };
    let Some(account) = account.filter(|a| a.active && !a.roles.is_empty()) else {
        log_failure(
            store,
            actor,
            "no account for the identity provider's identity",
        )
        .await?;
        return Err(Error::Refused(
            &V::LOGIN_NO_ACCOUNT,
            &V::LOGIN_NO_ACCOUNT_DETAIL,
        ));
    };
    let mut actor = actor.clone();
    actor.username = account.username.clone();
    start(
        store,
        &actor,
        account.id,
        account.roles[0],
        Proof::IdentityProvider,
        replacing,
        idle_minutes,
    )
    .await
}

/// Completes a sign-in whose second factor is owed with a one-time code. A code
/// already used (a replay) is refused like a wrong one; the attempt counts towards
/// the limits as a password does.
pub async fn second_factor(
    store: &Store,
    caller: &Caller,
    session_hash: &str,
    code: &str,
) -> Result<()> {
    let username = caller.actor.username.as_str();
    let ip = caller.actor.client_ip.as_deref();
    if throttled(store, username, ip).await? {
        return Err(Error::Throttled(Throttle::SignIn));
    }
    let creds = store
        .credentials_by_id(caller.account_id)
        .await?
        .ok_or(Error::NotFound)?;
    // No key (it was turned off while this sign-in waited for its code): nothing can
    // complete it, and the person signs in again.
    let valid = match &creds.totp_secret {
        Some(secret) => match totp(secret, username)?.check_current(code.trim()) {
            Some(step) => store.accept_totp_step(caller.account_id, step).await?,
            None => false,
        },
        None => false,
    };
    store.record_login_attempt(username, ip, valid).await?;
    if !valid {
        log_failure(store, &caller.actor, "wrong one-time code").await?;
        return Err(Error::field("code", &V::TOTP_WRONG));
    }
    store.complete_second_factor(session_hash).await?;
    Ok(())
}

/// Ends the session and logs the sign-out.
pub async fn sign_out(store: &Store, caller: &Caller, session_hash: &str) -> Result<()> {
    store.delete_session(session_hash).await?;
    store
        .append_access_log(&NewEntry::new(&caller.actor, Action::Logout, "session"))
        .await?;
    Ok(())
}

/// The expiry a session gets when it is extended at `now`: the idle time, plus the
/// minute during which later requests do not extend it again.
pub fn extended_expiry(now: Timestamp, idle_minutes: i64) -> Timestamp {
    now + SignedDuration::from_mins(idle_minutes) + SignedDuration::from_secs(TOUCH_EVERY_SECS)
}

/// The live session a cookie's token names, its idle time extended; none when there
/// is none, it has expired or the account is no longer active (the session then
/// ends).
pub async fn resume(
    store: &Store,
    token: &str,
    idle_minutes: i64,
) -> Result<Option<SessionRecord>> {
    let hash = token_hash(token);
    let now = trappa_store::now();
    let Some(s) = store.session(&hash, now).await? else {
        return Ok(None);
    };
    if !s.account_active {
        store.delete_session(&hash).await?;
        return Ok(None);
    }
    // Extend the idle timeout at most once a minute (a write per request would cost more
    // than the minute is worth), and by that minute more: a request up to a minute after
    // the last extension is not written, so the session must still last the whole idle
    // time after it — never less than the setting, at most a minute more.
    if now.duration_since(s.last_seen_at).as_secs() >= TOUCH_EVERY_SECS {
        store
            .touch_session(&hash, now, extended_expiry(now, idle_minutes))
            .await?;
    }
    Ok(Some(s))
}

/// Acts in another of the account's roles from now on. The switch is logged (the log
/// shows which role every later access was made in); a role the account does not
/// hold is refused and logged.
pub async fn switch_role(
    store: &Store,
    caller: &Caller,
    session_hash: &str,
    role: &str,
) -> Result<()> {
    let account = store
        .account(caller.account_id)
        .await?
        .ok_or(Error::NotFound)?;
    let Some(to) = Role::from_code(role).filter(|r| account.roles.contains(r)) else {
        store
            .append_access_log(
                &NewEntry::new(&caller.actor, Action::RoleSwitch, "session.role")
                    .denied()
                    .detail(format!("to {}", role.chars().take(40).collect::<String>())),
            )
            .await?;
        return Err(Error::Forbidden);
    };
    store.set_session_role(session_hash, to).await?;
    store
        .append_access_log(
            &NewEntry::new(&caller.actor, Action::RoleSwitch, "session.role").detail(format!(
                "{} → {}",
                caller.role.code(),
                to.code()
            )),
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whenever the last request came, between one extension and the next, the
        /// session lasts the whole idle time after it, and at most a minute more.
        #[test]
        fn a_session_never_ends_before_its_idle_time(
            touched in 0i64..2_000_000_000,
            later in 0i64..TOUCH_EVERY_SECS,
            idle in 1i64..=720,
        ) {
            let t0 = jiff::Timestamp::from_second(touched).unwrap();
            let last_request = t0 + jiff::SignedDuration::from_secs(later);
            let expires = extended_expiry(t0, idle);
            let idle = jiff::SignedDuration::from_mins(idle);
            prop_assert!(expires >= last_request + idle);
            prop_assert!(expires <= last_request + idle + jiff::SignedDuration::from_secs(TOUCH_EVERY_SECS));
        }
    }

    #[tokio::test]
    async fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("korrekt häst batteri").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("korrekt häst batteri", &h).await.unwrap());
        assert!(!verify_password("korrekt hast batteri", &h).await.unwrap());
        assert!(!verify_password("x", "not a hash").await.unwrap());
    }

    #[test]
    fn totp_accepts_its_current_code_only() {
        let secret = new_totp_secret();
        let t = totp(&secret, "sara").unwrap();
        let code = t.generate_current().to_string();
        assert!(t.check_current(&code).is_some());
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert!(t.check_current(wrong).is_none());
    }

    #[test]
    fn a_token_is_random_and_stored_only_as_its_hash() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
        assert_eq!(token_hash(&a), token_hash(&a));
    }
}
