//! The store's error type, split the way callers must react to it: a user mistake to
//! explain, a database to repair or upgrade, or an internal failure.

use std::path::PathBuf;

use rusqlite::ErrorCode;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The request cannot be satisfied as asked (bad search syntax, unknown merge id, …).
    /// The message reads like advice and is safe to show as is.
    #[error("{0}")]
    User(String),

    /// A document with this content (same SHA-256 of the clean text) is already stored.
    #[error(
        "document `{new_id}` has the same text as stored document `{existing}` (sha256 {sha256})"
    )]
    Duplicate {
        new_id: String,
        existing: String,
        sha256: String,
    },

    /// The database was written by a newer Dossier.
    #[error(
        "the database has schema version {found} but this build of dossier knows only up to \
         {supported}; upgrade dossier or use another database file"
    )]
    NewerSchema { found: i64, supported: i64 },

    /// The file is not a Dossier database, or a stored row cannot be read back.
    #[error("the database is damaged or not a dossier database: {detail}")]
    Corrupt { detail: String },

    /// Another process held the write lock longer than the busy timeout.
    #[error("the database is busy (another dossier process is writing); try again")]
    Busy,

    // `reason`, not `source`: thiserror would make a field named `source` the error's
    // cause too, and chains would print the reason twice.
    #[error("cannot prepare {path}: {reason}")]
    Io {
        path: PathBuf,
        reason: std::io::Error,
    },

    // The message already carries the cause's text; marking it `#[source]` as well made
    // error chains print the same SQLite message three times.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),

    /// A failure of another backend (the PostgreSQL store: connection lost, a statement
    /// refused). Backends map what callers must react to (busy, user mistakes) to the
    /// variants above first.
    #[error("database error: {0}")]
    Backend(Box<dyn std::error::Error + Send + Sync>),
}

/// Classifies rusqlite errors so that `?` everywhere yields `Busy` and `Corrupt` where
/// they apply instead of an opaque `Sqlite`.
impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Busy,
                ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => StoreError::Corrupt {
                    detail: e.to_string(),
                },
                _ => StoreError::Sqlite(e),
            },
            rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => StoreError::Corrupt {
                detail: e.to_string(),
            },
            _ => StoreError::Sqlite(e),
        }
    }
}

impl StoreError {
    pub(crate) fn user(msg: impl Into<String>) -> Self {
        StoreError::User(msg.into())
    }

    /// True when the caller made a mistake (as opposed to the database failing).
    pub fn is_user_error(&self) -> bool {
        matches!(self, StoreError::User(_) | StoreError::Duplicate { .. })
    }
}
