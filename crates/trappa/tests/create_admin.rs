//! `trappa create-admin`: the first administrator has a one-time-code key from the
//! start, printed once, so no one who learns the password first can choose the key
//! (an administrator acts only with two factors).

mod support;

use std::process::Command;

use support::TempDir;

#[tokio::test]
async fn the_first_administrator_gets_a_key_of_their_own() {
    let dir = TempDir::new("create-admin");
    let url = format!("sqlite://{}", dir.0.join("trappa.db").display());
    let out = Command::new(env!("CARGO_BIN_EXE_trappa"))
        .args(["--database-url", &url, "--log-level", "warn"])
        .args(["create-admin", "--username", " Anna "])
        .env("TRAPPA_DATA_DIR", &dir.0)
        .env("TRAPPA_ADMIN_PASSWORD", "ett långt lösenord för anna")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = printed
        .lines()
        .find_map(|l| l.trim().strip_prefix("key: "))
        .expect("the key is printed")
        .to_owned();
    assert!(printed.contains("otpauth://totp/"), "{printed}");

    let store = trappa_store::Store::open(
        &trappa_store::DatabaseUrl::parse(&url).unwrap(),
        &trappa_store::PoolSettings::default(),
    )
    .await
    .unwrap();
    let creds = store
        .credentials("anna")
        .await
        .unwrap()
        .expect("the account");
    assert_eq!(creds.account.roles, vec![trappa_policy::Role::Admin]);
    assert_eq!(creds.totp_secret.as_deref(), Some(key.as_str()));
    // A fresh key each time, of the length the server makes.
    assert_eq!(key.len(), 32, "{key}");
}
