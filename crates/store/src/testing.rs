//! Fresh databases for tests, on every backend the environment provides.
//!
//! SQLite always runs. PostgreSQL runs when `TRAPPA_TEST_POSTGRES_URL` names a server
//! (the test script starts one); each call makes a new, empty database there. When
//! `TRAPPA_REQUIRE_POSTGRES=1` (as in CI) a missing URL is a failure, never a skip.

use crate::{DatabaseUrl, PoolSettings, Store};

/// The environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "TRAPPA_TEST_POSTGRES_URL";

/// Where a test run keeps its files: `TRAPPA_TEST_TMP` (set by `scripts/test.sh`, which
/// removes it after the run), else the system's temporary directory.
pub fn test_dir() -> std::path::PathBuf {
    std::env::var_os("TRAPPA_TEST_TMP")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir)
}

/// A fresh, migrated SQLite database in a temporary file.
pub async fn fresh_sqlite() -> Store {
    let path = test_dir().join(format!("trappa-test-{}.db", uuid::Uuid::new_v4().simple()));
    let url = DatabaseUrl::parse(&format!("sqlite://{}", path.display())).expect("sqlite url");
    Store::open(&url, &PoolSettings::default())
        .await
        .expect("open sqlite")
}

/// The URL of a fresh, empty PostgreSQL database, if a server is configured.
pub async fn fresh_postgres_url() -> Option<DatabaseUrl> {
    let admin = match std::env::var(POSTGRES_ENV) {
        Ok(u) if !u.is_empty() => u,
        _ => {
            assert!(
                std::env::var("TRAPPA_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "TRAPPA_REQUIRE_POSTGRES=1 but {POSTGRES_ENV} is not set"
            );
            return None;
        }
    };
    let name = format!("trappa_t_{}", uuid::Uuid::new_v4().simple());
    {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin)
            .await
            .expect("connect to test postgres");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create test database");
    }
    // Swap the database name at the end of the admin URL.
    let base = admin.split('?').next().unwrap_or(&admin);
    let cut = base.rfind('/').expect("postgres url has a database");
    let query = admin.strip_prefix(base).unwrap_or("");
    Some(DatabaseUrl::parse(&format!("{}/{name}{query}", &base[..cut])).expect("postgres url"))
}

/// A fresh, migrated PostgreSQL database, if a server is configured.
pub async fn fresh_postgres() -> Option<Store> {
    let url = fresh_postgres_url().await?;
    Some(
        Store::open(&url, &PoolSettings::default())
            .await
            .expect("open postgres"),
    )
}

/// Two stores over one fresh, migrated PostgreSQL database, each with pools of its own —
/// what two instances of Trappa sharing the database hold — if a server is configured.
pub async fn fresh_postgres_pair() -> Option<(Store, Store)> {
    let url = fresh_postgres_url().await?;
    let first = Store::open(&url, &PoolSettings::default())
        .await
        .expect("open postgres");
    let second = Store::connect(&url, &PoolSettings::default())
        .await
        .expect("connect postgres");
    Some((first, second))
}

/// One fresh store per available backend, named.
pub async fn fresh_stores() -> Vec<(&'static str, Store)> {
    let mut out = vec![("sqlite", fresh_sqlite().await)];
    if let Some(pg) = fresh_postgres().await {
        out.push(("postgres", pg));
    }
    out
}

/// Runs raw SQL, for tests that prove the database itself refuses something.
pub async fn raw_execute(store: &Store, sql: &'static str) -> Result<u64, crate::StoreError> {
    let n = crate::db::on_writer!(store, p => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(n)
}

/// The first column of every row `sql` answers, as text, for tests that read the
/// database's own catalogue (which partition holds a row).
pub async fn raw_strings(store: &Store, sql: &str) -> Result<Vec<String>, crate::StoreError> {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    let rows: Vec<String> =
        crate::db::on_pool!(store, p => sqlx::query_scalar(sql).fetch_all(p).await)?;
    Ok(rows)
}
