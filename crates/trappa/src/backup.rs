//! `trappa backup` and `trappa restore`: a copy of the whole database taken while Trappa
//! serves, and its return into an empty database, proven equal table by table.
//!
//! Beside every backup lies its manifest (`FILE.manifest.json`): each table's rows and a
//! SHA-256 over them, read from the very snapshot the backup holds. A restore is done only
//! when the restored database gives the same rows and digests.
//!
//! - SQLite: `VACUUM INTO` on a connection of its own, one consistent snapshot while the
//!   server goes on writing; the manifest is read from the copy. Restoring copies the
//!   file into place (the target must not exist: stop Trappa, move the damaged file away).
//! - PostgreSQL: its own tools. `pg_dump --format=custom --snapshot=…` dumps the snapshot
//!   the manifest is read in; `pg_restore --single-transaction` into an empty database.
//!   The password goes to them through `PGPASSWORD`, never on a command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail, ensure};
use serde::{Deserialize, Serialize};
use trappa_store::maintenance::TableDigest;
use trappa_store::{Backend, DatabaseUrl, PoolSettings, Store};

/// `trappa backup`.
#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// The backup file to write (its manifest is written beside it).
    #[arg(long)]
    to: PathBuf,
}

/// `trappa restore`.
#[derive(clap::Args, Debug)]
pub struct RestoreArgs {
    /// The backup file to restore (its manifest must lie beside it).
    #[arg(long)]
    from: PathBuf,
}

/// What a backup holds, for checking a restore.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// `sqlite` or `postgres`: a backup restores into the backend it came from.
    backend: String,
    /// When the backup was taken.
    taken_at: jiff::Timestamp,
    /// Every table's rows and digest.
    tables: Vec<TableDigest>,
}

fn manifest_path(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".manifest.json");
    PathBuf::from(name)
}

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// Takes a backup of the database at `url` while it may be serving.
pub async fn backup(url: &DatabaseUrl, args: BackupArgs) -> anyhow::Result<()> {
    ensure!(
        !args.to.exists(),
        "{} exists already: a backup never overwrites a file",
        args.to.display()
    );
    let store = open_existing(url).await?;
    ensure!(
        store.has_tables().await?,
        "the database holds no tables: nothing to back up (is the address right?)"
    );
    let taken_at = jiff::Timestamp::now();
    let tables = match url.backend() {
        Backend::Sqlite => {
            store.sqlite_copy_into(&args.to).await?;
            // VACUUM INTO does not sync what it wrote.
            sync(&args.to)?;
            let copy = sqlite_url(&args.to)?;
            Store::connect(&copy, &PoolSettings::default())
                .await?
                .table_digests()
                .await?
        }
        Backend::Postgres => {
            let mut snapshot = store.postgres_snapshot().await?;
            let mut dump = pg_tool("pg_dump", url)?;
            dump.arg("--format=custom")
                .arg(format!("--snapshot={}", snapshot.id))
                .arg("--file")
                .arg(&args.to);
            let dumping = tokio::task::spawn_blocking(move || dump.status());
            // The snapshot is held until pg_dump has finished, whatever the digests do.
            let tables = snapshot.table_digests().await;
            let status = dumping.await?;
            drop(snapshot);
            let dumped = status.map_err(anyhow::Error::from).and_then(|status| {
                ensure!(status.success(), "pg_dump failed ({status})");
                Ok(())
            });
            if let Err(e) = dumped.and(
                tables
                    .as_ref()
                    .map(|_| ())
                    .map_err(|e| anyhow::anyhow!("{e}")),
            ) {
                // No half-made backup is left to be mistaken for one.
                let _ = std::fs::remove_file(&args.to);
                return Err(e);
            }
            sync(&args.to)?;
            tables?
        }
    };
    let manifest = Manifest {
        backend: backend_name(url.backend()).to_owned(),
        taken_at,
        tables,
    };
    write_new(
        &manifest_path(&args.to),
        serde_json::to_string_pretty(&manifest)?.as_bytes(),
    )?;
    let rows: i64 = manifest.tables.iter().map(|t| t.rows).sum();
    println!(
        "backup: {} ({} tables, {rows} rows); manifest {}",
        args.to.display(),
        manifest.tables.len(),
        manifest_path(&args.to).display()
    );
    Ok(())
}

/// Restores a backup into the empty database at `url` and checks it against the manifest.
pub async fn restore(url: &DatabaseUrl, args: RestoreArgs) -> anyhow::Result<()> {
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(manifest_path(&args.from))
            .with_context(|| format!("the manifest of {}", args.from.display()))?,
    )
    .context("reading the manifest")?;
    ensure!(
        manifest.backend == backend_name(url.backend()),
        "a {} backup cannot be restored into {}",
        manifest.backend,
        backend_name(url.backend())
    );
    match url.backend() {
        Backend::Sqlite => {
            let target = sqlite_path(url)?;
            // A write-ahead log left beside the target would be replayed onto the
            // restored file and corrupt it.
            for side in ["", "-wal", "-shm", "-journal"] {
                let file = PathBuf::from(format!("{}{side}", target.display()));
                ensure!(
                    !file.exists(),
                    "{} exists: stop Trappa and move the database and its -wal and -shm files away before restoring",
                    file.display()
                );
            }
            // Copied under another name, synced and renamed, so a half-copied file never
            // stands where Trappa looks.
            let partial = target.with_extension("restoring");
            std::fs::copy(&args.from, &partial)?;
            sync(&partial)?;
            std::fs::rename(&partial, &target)?;
            if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
                sync(dir)?;
            }
        }
        Backend::Postgres => {
            let store = Store::connect(url, &PoolSettings::default()).await?;
            ensure!(
                !store.has_tables().await?,
                "the database is not empty: restore into a new, empty database"
            );
            let mut load = pg_tool("pg_restore", url)?;
            load.args(["--single-transaction", "--exit-on-error", "--no-owner"])
                .arg(&args.from);
            let status = tokio::task::spawn_blocking(move || load.status()).await??;
            ensure!(status.success(), "pg_restore failed ({status})");
        }
    }
    let store = Store::connect(url, &PoolSettings::default()).await?;
    let restored = store.table_digests().await?;
    let differences = compare(&manifest.tables, &restored);
    if !differences.is_empty() {
        drop(store);
        let what_now = match url.backend() {
            Backend::Sqlite => {
                // Moved out of the way, so Trappa never opens it.
                let target = sqlite_path(url)?;
                let rejected = PathBuf::from(format!("{}.rejected", target.display()));
                std::fs::rename(&target, &rejected)?;
                format!("it was moved to {}", rejected.display())
            }
            Backend::Postgres => {
                "drop that database (dropdb) and do not point Trappa at it".to_owned()
            }
        };
        bail!(
            "the restored database differs from the backup, so the restore is refused ({what_now}):\n{}",
            differences.join("\n")
        );
    }
    let rows: i64 = restored.iter().map(|t| t.rows).sum();
    println!(
        "restored {} taken {}: {} tables, {rows} rows, every digest equal",
        args.from.display(),
        manifest.taken_at,
        restored.len()
    );
    Ok(())
}

/// `trappa check`: the database's own integrity checks, as it is (nothing migrated).
pub async fn check(url: &DatabaseUrl) -> anyhow::Result<()> {
    let store = open_existing(url).await?;
    let problems = store.check_integrity().await?;
    ensure!(
        problems.is_empty(),
        "the database has problems:\n{}",
        problems.join("\n")
    );
    println!("integrity: ok ({url})");
    Ok(())
}

/// Each table that differs, said in a line: missing, extra, or other rows.
fn compare(expected: &[TableDigest], found: &[TableDigest]) -> Vec<String> {
    let mut out = Vec::new();
    for e in expected {
        match found.iter().find(|f| f.table == e.table) {
            None => out.push(format!("{}: missing", e.table)),
            Some(f) if f != e => out.push(format!(
                "{}: {} rows (digest {}) where the backup has {} (digest {})",
                e.table, f.rows, f.sha256, e.rows, e.sha256
            )),
            Some(_) => {}
        }
    }
    for f in found {
        if !expected.iter().any(|e| e.table == f.table) {
            out.push(format!("{}: not in the backup", f.table));
        }
    }
    out
}

fn sqlite_path(url: &DatabaseUrl) -> anyhow::Result<PathBuf> {
    let rest = url
        .expose()
        .trim_start_matches("sqlite:")
        .trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or(rest);
    ensure!(
        !path.is_empty() && !path.contains(":memory:"),
        "an in-memory database has no file to restore into"
    );
    Ok(PathBuf::from(path))
}

fn sqlite_url(path: &Path) -> anyhow::Result<DatabaseUrl> {
    Ok(DatabaseUrl::parse(&format!("sqlite://{}", path.display()))?)
}

/// The database at `url`, which must exist: a mistyped SQLite path is an error, not a
/// new empty file.
async fn open_existing(url: &DatabaseUrl) -> anyhow::Result<Store> {
    if url.backend() == Backend::Sqlite {
        let path = sqlite_path(url)?;
        ensure!(path.exists(), "{} does not exist", path.display());
    }
    Ok(Store::connect(url, &PoolSettings::default()).await?)
}

/// Writes a file that must not exist yet, and syncs it to disk.
fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("{} (a backup never overwrites a file)", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// Flushes a file (or a directory's entries) to disk.
fn sync(path: &Path) -> anyhow::Result<()> {
    std::fs::File::open(path)?.sync_all()?;
    Ok(())
}

/// A PostgreSQL client tool for the database at `url`: the URL without its password,
/// which goes in the environment (`PGPASSWORD`), never on a command line.
fn pg_tool(tool: &str, url: &DatabaseUrl) -> anyhow::Result<Command> {
    let mut parsed = reqwest::Url::parse(url.expose()).context("the database URL")?;
    ensure!(
        !parsed
            .query_pairs()
            .any(|(k, _)| k == "password" || k == "sslpassword"),
        "give the database password in the URL's user part, not its query"
    );
    let password = parsed.password().map(|p| {
        percent_encoding::percent_decode_str(p)
            .decode_utf8_lossy()
            .into_owned()
    });
    if parsed.set_password(None).is_err() {
        bail!("the database URL cannot carry a password");
    }
    let mut cmd = Command::new(tool);
    cmd.arg("--dbname").arg(parsed.as_str());
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    Ok(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, rows: i64, sha: &str) -> TableDigest {
        TableDigest {
            table: name.into(),
            rows,
            sha256: sha.into(),
        }
    }

    #[test]
    fn differences_are_named_by_table() {
        let backup = [table("a", 1, "x"), table("b", 2, "y")];
        assert!(compare(&backup, &backup).is_empty());
        let found = [table("a", 1, "z"), table("c", 0, "w")];
        assert_eq!(
            compare(&backup, &found),
            [
                "a: 1 rows (digest z) where the backup has 1 (digest x)",
                "b: missing",
                "c: not in the backup",
            ]
        );
    }
}
