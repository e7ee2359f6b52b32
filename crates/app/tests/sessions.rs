//! Signing in and the account use cases on every backend: a wrong password does not
//! say which part was wrong and counts towards the limit; the limit refuses even the
//! right password; a one-time code is used once; nobody changes their own roles.

use trappa_app::accounts::{self, StaffInput};
use trappa_app::sessions;
use trappa_app::text::V;
use trappa_app::{Error, Throttle};
use trappa_policy::Role;
use trappa_store::accounts::NewAccount;
use trappa_store::testing::fresh_stores;
use trappa_store::units::UnitKind;

mod support;
use support::{actor, caller, fault_of, unit};

/// What a case does to a good account.
type Spoil = fn(&mut StaffInput);

const PASSWORD: &str = "korrekt häst batteri";

/// A nurse's account at `unit` with the password hashed as `hash`.
async fn nurse(
    store: &trappa_store::Store,
    username: &str,
    name: &str,
    unit: trappa_store::Uuid,
    hash: &str,
) {
    store
        .create_account(&NewAccount {
            username: username.into(),
            display_name: name.into(),
            profession: None,
            hsa_id: None,
            unit_id: Some(unit),
            patient_id: None,
            partner_organisation_id: None,
            roles: vec![Role::Nurse],
            password_hash: hash.to_owned(),
            created_by: None,
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn sign_in_is_limited_and_a_code_is_used_once() {
    let hash = sessions::hash_password(PASSWORD).unwrap();
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        nurse(&store, "sara", "Sara Sjuksköterska", base, &hash).await;
        let from = actor(None, "sara", None, "10.0.0.9");
        let sign_in = |password: &'static str| {
            let (store, from) = (store.clone(), from.clone());
            async move { sessions::sign_in(&store, &from, "sara", password, None, 30).await }
        };
        // An unknown name and a wrong password say the same.
        let nobody = actor(None, "ingen", None, "10.0.0.9");
        assert_eq!(
            fault_of(sessions::sign_in(&store, &nobody, "ingen", PASSWORD, None, 30).await),
            ("username".to_owned(), V::LOGIN_FAILED.sv),
            "[{backend}]"
        );
        let started = sign_in(PASSWORD).await.unwrap();
        assert!(!started.second_factor_pending, "[{backend}]");
        let resumed = sessions::resume(&store, &started.token, 30)
            .await
            .unwrap()
            .expect("the session");
        assert_eq!(resumed.username, "sara", "[{backend}]");

        for _ in 0..sessions::MAX_FAILURES_PER_USER {
            assert_eq!(
                fault_of(sign_in("fel lösenord").await),
                ("username".to_owned(), V::LOGIN_FAILED.sv),
                "[{backend}]"
            );
        }
        assert!(
            matches!(
                sign_in(PASSWORD).await,
                Err(Error::Throttled(Throttle::SignIn))
            ),
            "[{backend}] the limit holds for the right password too"
        );
        // Signing out ends the session.
        let sara = caller(&store, "sara2", Role::Nurse, base).await;
        sessions::sign_out(&store, &sara, &sessions::token_hash(&started.token))
            .await
            .unwrap();
        assert!(
            sessions::resume(&store, &started.token, 30)
                .await
                .unwrap()
                .is_none(),
            "[{backend}]"
        );
    }
}

#[tokio::test]
async fn a_second_factor_is_owed_until_a_fresh_code_is_given() {
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let mut nurse = caller(&store, "tove", Role::Nurse, base).await;
        nurse.actor.username = "tove".into();
        let secret = sessions::new_totp_secret();
        // A session of the nurse's, started as `proof` says she signed in.
        let sign_in_as = |proof: sessions::Proof| {
            let (store, nurse) = (&store, &nurse);
            async move {
                sessions::start(
                    store,
                    &nurse.actor,
                    nurse.account_id,
                    Role::Nurse,
                    proof,
                    None,
                    30,
                )
                .await
                .unwrap()
            }
        };
        // The code of the step before this one (still accepted, as a clock a little
        // behind is) enrols; this step's signs in: each step's code is spent once.
        let code_at = |steps_back: u64| {
            let now = jiff::Timestamp::now().as_second() as u64;
            sessions::totp(&secret, "tove")
                .unwrap()
                .generate(now - 30 * steps_back)
                .to_string()
        };
        let code = || code_at(0);
        // Turned on in a session signed in with the password alone, which has two
        // factors once the code is given.
        let enrolling = sign_in_as(sessions::Proof::Password).await;
        let enrolling_hash = sessions::token_hash(&enrolling.token);
        let one_factor = sessions::resume(&store, &enrolling.token, 30).await;
        assert!(!one_factor.unwrap().unwrap().multi_factor, "[{backend}]");
        let password = "tove har ett långt lösenord";
        let hash = sessions::hash_password(password).unwrap();
        store
            .set_password(nurse.account_id, &hash, Some(&enrolling_hash))
            .await
            .unwrap();
        let enrol = |password: &'static str, secret: String, code: String| {
            let (store, nurse, hash) = (&store, &nurse, enrolling_hash.clone());
            async move { accounts::enable_totp(store, nurse, &hash, password, &secret, &code).await }
        };
        assert_eq!(
            fault_of(enrol(password, secret.clone(), "000000x".into()).await),
            ("code".to_owned(), V::TOTP_WRONG.sv),
            "[{backend}]"
        );
        assert_eq!(
            fault_of(enrol("fel lösenord", secret.clone(), code_at(1)).await),
            ("password".to_owned(), V::PASSWORD_WRONG.sv),
            "[{backend}] the password is asked again"
        );
        // A key of 128 bits, shorter than the server makes (the form's hidden field
        // changed): its own code is right, and still refused.
        let short = "ORZGC4DQMEWXG2LYORSWK3RBEE".to_owned();
        let short_code = sessions::totp(&short, "tove")
            .unwrap()
            .generate_current()
            .to_string();
        assert_eq!(
            fault_of(enrol(password, short, short_code).await),
            ("code".to_owned(), V::TOTP_WRONG.sv),
            "[{backend}] a weak key is refused"
        );
        // Another session of the account, signed in with the password alone.
        let other = sign_in_as(sessions::Proof::Password).await;
        enrol(password, secret.clone(), code_at(1)).await.unwrap();
        assert!(
            sessions::resume(&store, &other.token, 30)
                .await
                .unwrap()
                .is_none(),
            "[{backend}] enrolling ends the account's other sessions"
        );
        // A key is not replaced while one is on.
        let another = sessions::new_totp_secret();
        let another_code = sessions::totp(&another, "tove")
            .unwrap()
            .generate_current()
            .to_string();
        assert_eq!(
            fault_of(enrol(password, another, another_code).await),
            ("code".to_owned(), V::TOTP_ALREADY_ON.sv),
            "[{backend}]"
        );
        let enrolled = sessions::resume(&store, &enrolling.token, 30).await;
        assert!(enrolled.unwrap().unwrap().multi_factor, "[{backend}]");
        let started = sign_in_as(sessions::Proof::PasswordOwingCode).await;
        let hash = sessions::token_hash(&started.token);
        let pending = sessions::resume(&store, &started.token, 30)
            .await
            .unwrap()
            .unwrap();
        assert!(pending.second_factor_pending, "[{backend}]");
        assert!(!pending.multi_factor, "[{backend}]");
        // The code that enrolled is spent.
        assert_eq!(
            fault_of(sessions::second_factor(&store, &nurse, &hash, &code_at(1)).await),
            ("code".to_owned(), V::TOTP_WRONG.sv),
            "[{backend}] the enrolling code is spent"
        );
        assert_eq!(
            fault_of(sessions::second_factor(&store, &nurse, &hash, "12").await),
            ("code".to_owned(), V::TOTP_WRONG.sv),
            "[{backend}]"
        );
        sessions::second_factor(&store, &nurse, &hash, &code())
            .await
            .unwrap();
        let done = sessions::resume(&store, &started.token, 30)
            .await
            .unwrap()
            .unwrap();
        assert!(!done.second_factor_pending, "[{backend}]");
        assert!(done.multi_factor, "[{backend}]");
        // The same code again is a replay.
        assert_eq!(
            fault_of(sessions::second_factor(&store, &nurse, &hash, &code()).await),
            ("code".to_owned(), V::TOTP_WRONG.sv),
            "[{backend}] a code is used once"
        );
    }
}

#[tokio::test]
async fn staff_accounts_are_checked_and_nobody_changes_their_own_roles() {
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        let admin = caller(&store, "admin", Role::Admin, base).await;
        let good = StaffInput {
            username: "Nils.N".into(),
            display_name: "Nils Nilsson".into(),
            password: "ett långt lösenord".into(),
            roles: vec!["nurse".into()],
            active: true,
            ..Default::default()
        };
        let cases: Vec<(&str, Spoil, &trappa_i18n::Msg)> = vec![
            ("username", |i| i.username = " ".into(), &V::REQUIRED),
            (
                "username",
                |i| i.username = "nils nilsson".into(),
                &V::STAFF_USERNAME_BAD,
            ),
            (
                "password",
                |i| i.password = "kort".into(),
                &V::PASSWORD_TOO_SHORT,
            ),
            (
                "display_name",
                |i| i.display_name = " ".into(),
                &V::REQUIRED,
            ),
            (
                "display_name",
                |i| i.display_name = "Nils\nNilsson".into(),
                &V::ONE_LINE,
            ),
            (
                "hsa_id",
                |i| i.hsa_id = "inte ett hsa-id".into(),
                &V::STAFF_HSA_BAD,
            ),
            (
                "role",
                |i| i.roles = vec!["patient".into()],
                &V::STAFF_ROLES_REQUIRED,
            ),
        ];
        for (field, spoil, message) in cases {
            let mut input = good.clone();
            spoil(&mut input);
            assert_eq!(
                fault_of(accounts::create_staff(&store, &admin, &input).await),
                (field.to_owned(), message.sv),
                "[{backend}] {field}"
            );
        }
        let id = accounts::create_staff(&store, &admin, &good).await.unwrap();
        let created = store.account(id).await.unwrap().unwrap();
        assert_eq!(
            (created.username.as_str(), created.roles.clone()),
            ("nils.n", vec![Role::Nurse]),
            "[{backend}]"
        );
        assert_eq!(
            fault_of(accounts::create_staff(&store, &admin, &good).await),
            ("username".to_owned(), V::STAFF_HSA_TAKEN.sv),
            "[{backend}] a username is taken once"
        );
        // The administrator's own roles stay as they are.
        let own = store.account(admin.account_id).await.unwrap().unwrap();
        let mine = StaffInput {
            display_name: own.display_name.clone(),
            roles: vec!["admin".into(), "physician".into()],
            active: true,
            ..Default::default()
        };
        assert!(
            matches!(
                accounts::update_staff(&store, &admin, admin.account_id, own.version, &mine).await,
                Err(Error::Refused(..))
            ),
            "[{backend}]"
        );
        assert_eq!(
            store
                .account(admin.account_id)
                .await
                .unwrap()
                .unwrap()
                .roles,
            vec![Role::Admin],
            "[{backend}] unchanged"
        );
        let promoted = StaffInput {
            roles: vec!["nurse".into(), "coordinator".into()],
            password: String::new(),
            ..good.clone()
        };
        accounts::update_staff(&store, &admin, id, created.version, &promoted)
            .await
            .unwrap();
        assert!(
            matches!(
                accounts::update_staff(&store, &admin, id, created.version, &promoted).await,
                Err(Error::Stale)
            ),
            "[{backend}] a form read before the change is stale"
        );
    }
}

/// The idle timeout (ASVS 3.3.2): a session left alone for the idle time is over, on
/// every backend and through the session cache; one in use is extended by each use
/// (at most once a minute) and lasts the whole idle time after the last.
#[tokio::test]
async fn an_idle_session_ends_and_a_used_one_lasts() {
    const IDLE: i64 = 30;
    let hash = sessions::hash_password(PASSWORD).unwrap();
    for (backend, store) in fresh_stores().await {
        let base = unit(&store, "unit:1", UnitKind::TaperingUnit).await;
        nurse(&store, "idun", "Idun Inaktiv", base, &hash).await;
        let from = actor(None, "idun", None, "10.0.0.7");
        let signed_in = trappa_store::now();
        let mut tokens = Vec::new();
        for _ in 0..3 {
            let started = sessions::sign_in(&store, &from, "idun", PASSWORD, None, IDLE);
            tokens.push(started.await.unwrap().token);
        }
        let [idle, used, used_too] = <[String; 3]>::try_from(tokens).unwrap();
        let at = |minutes: i64| signed_in + jiff::SignedDuration::from_mins(minutes);
        let alive = |token: &String, minutes: i64| {
            let (store, token) = (store.clone(), token.clone());
            trappa_store::as_of(at(minutes), async move {
                sessions::resume(&store, &token, IDLE)
                    .await
                    .unwrap()
                    .is_some()
            })
        };
        // All three are read now (and cached).
        for token in [&idle, &used, &used_too] {
            assert!(alive(token, 0).await, "[{backend}]");
        }
        // Two are used after 20 and 31 minutes, which extends them.
        for token in [&used, &used_too] {
            assert!(alive(token, 20).await, "[{backend}]");
        }
        // At 31 minutes the idle one is over; the used ones are not.
        assert!(
            !alive(&idle, 31).await,
            "[{backend}] the idle session lives on"
        );
        for token in [&used, &used_too] {
            assert!(alive(token, 31).await, "[{backend}]");
        }
        // Still over later, even had it been cached.
        assert!(!alive(&idle, 45).await, "[{backend}]");
        // A used one lasts the idle time after its last use (at 31; the extension is
        // rounded up by at most a minute), and no longer: one is asked for just before
        // the end, the other just after.
        assert!(alive(&used, 31 + IDLE - 1).await, "[{backend}]");
        assert!(!alive(&used_too, 31 + IDLE + 2).await, "[{backend}]");
    }
}
