//! The two backends' schemas, and database addresses.

use trappa_store::testing::{fresh_postgres, fresh_sqlite};

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh starts one and runs it"]
async fn sqlite_and_postgres_schemas_match() {
    let pg = fresh_postgres().await.unwrap_or_else(|| {
        panic!(
            "{} names no PostgreSQL server",
            trappa_store::testing::POSTGRES_ENV
        )
    });
    let sqlite = fresh_sqlite().await.schema_summary().await.unwrap();
    let postgres = pg.schema_summary().await.unwrap();
    assert!(
        sqlite.len() > 50,
        "schema summary too small: {}",
        sqlite.len()
    );
    let only_sqlite: Vec<_> = sqlite.iter().filter(|c| !postgres.contains(c)).collect();
    let only_pg: Vec<_> = postgres.iter().filter(|c| !sqlite.contains(c)).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in sqlite: {only_sqlite:#?}\nonly in postgres: {only_pg:#?}"
    );
}

#[test]
fn malformed_database_urls_are_refused() {
    for bad in [
        "trappa.db",
        "sqlite://",
        "mysql://localhost/x",
        "postgres://",
    ] {
        assert!(trappa_store::DatabaseUrl::parse(bad).is_err(), "{bad}");
    }
}
