//! Telling an outage from a fault: a database that cannot be reached, is restarting or
//! has no disk left is a state the operator must fix and the user must wait out (503),
//! not a bug in Trappa (500).

use std::error::Error as StdError;

use crate::StoreError;

/// Why the database cannot serve just now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// The database cannot be reached: the server is down or restarting, the connection
    /// broke, or no connection came free in time.
    Unreachable,
    /// The disk under the database is full: writes are refused, and so are reads,
    /// since every read of patient data writes its access-log entry.
    DiskFull,
}

/// SQLite's primary result codes (the low byte of an extended code) that mean the disk.
const SQLITE_IOERR: i32 = 10;
const SQLITE_FULL: i32 = 13;
const SQLITE_CANTOPEN: i32 = 14;
/// SQLITE_IOERR_SHMSIZE: the WAL index could not grow, which on a full disk is the first
/// write to fail.
const SQLITE_IOERR_SHMSIZE: i32 = 4874;

impl StoreError {
    /// The outage this error is, if it is one.
    pub fn outage(&self) -> Option<Outage> {
        match self {
            StoreError::Database(e) => sqlx_outage(e),
            _ => None,
        }
    }
}

/// The outage anywhere in an error's chain of sources (a store error wrapped by a use
/// case or by `anyhow`), if there is one.
pub fn outage_in(error: &(dyn StdError + 'static)) -> Option<Outage> {
    let mut next = Some(error);
    while let Some(e) = next {
        if let Some(store) = e.downcast_ref::<StoreError>() {
            if let Some(o) = store.outage() {
                return Some(o);
            }
        } else if let Some(o) = e.downcast_ref::<sqlx::Error>().and_then(sqlx_outage) {
            return Some(o);
        }
        next = e.source();
    }
    None
}

fn sqlx_outage(e: &sqlx::Error) -> Option<Outage> {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => Some(Outage::Unreachable),
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                postgres_outage(pg.code())
            } else if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                let code: i32 = db.code()?.parse().ok()?;
                sqlite_outage(code)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// PostgreSQL's SQLSTATEs for a connection lost (class 08), a server shutting down or
/// starting (57P01–57P03), too many connections (53300) and a full disk (53100).
fn postgres_outage(sqlstate: &str) -> Option<Outage> {
    match sqlstate {
        "53100" => Some(Outage::DiskFull),
        "57P01" | "57P02" | "57P03" | "53300" => Some(Outage::Unreachable),
        s if s.starts_with("08") => Some(Outage::Unreachable),
        _ => None,
    }
}

/// SQLite's extended result code: SQLITE_FULL is the disk; an I/O error or a file that
/// cannot be opened is the disk or the filesystem under it.
fn sqlite_outage(extended: i32) -> Option<Outage> {
    if extended == SQLITE_IOERR_SHMSIZE {
        return Some(Outage::DiskFull);
    }
    match extended & 0xff {
        SQLITE_FULL => Some(Outage::DiskFull),
        SQLITE_IOERR | SQLITE_CANTOPEN => Some(Outage::Unreachable),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_that_are_outages() {
        assert_eq!(postgres_outage("57P01"), Some(Outage::Unreachable));
        assert_eq!(postgres_outage("08006"), Some(Outage::Unreachable));
        assert_eq!(postgres_outage("53100"), Some(Outage::DiskFull));
        assert_eq!(
            postgres_outage("23505"),
            None,
            "a unique violation is a fault"
        );
        assert_eq!(sqlite_outage(13), Some(Outage::DiskFull));
        assert_eq!(sqlite_outage(4874), Some(Outage::DiskFull));
        // SQLITE_IOERR_WRITE (778) and SQLITE_IOERR_FSYNC (1034).
        assert_eq!(sqlite_outage(778), Some(Outage::Unreachable));
        assert_eq!(sqlite_outage(1034), Some(Outage::Unreachable));
        assert_eq!(sqlite_outage(19), None, "a constraint is a fault");
        assert_eq!(sqlite_outage(2067), None, "SQLITE_CONSTRAINT_UNIQUE");
    }

    /// A use case's error wrapping a store error, as `anyhow`'s context does.
    #[derive(Debug)]
    struct Wrapped(StoreError);

    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("reading the overview")
        }
    }

    impl StdError for Wrapped {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn an_outage_is_found_through_wrappers() {
        let wrapped = Wrapped(StoreError::Database(sqlx::Error::PoolTimedOut));
        assert_eq!(outage_in(&wrapped), Some(Outage::Unreachable));
        assert_eq!(outage_in(&Wrapped(StoreError::NotFound)), None);
    }
}
