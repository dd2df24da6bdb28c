//! Errors inside the PostgreSQL store, turned into [`StoreError`] at the `Store`
//! boundary so callers react the same way to both backends.

use dossier_store::StoreError;
use postgres::error::SqlState;

/// A failure inside the store: a database error still to classify, or an answer already
/// in the interface's terms.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error(transparent)]
    Postgres(#[from] postgres::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub(crate) type Result<T, E = PgError> = std::result::Result<T, E>;

impl From<PgError> for StoreError {
    fn from(e: PgError) -> Self {
        match e {
            PgError::Store(s) => s,
            PgError::Postgres(pg) => classify(pg),
        }
    }
}

/// Contention (lock timeouts, serialization failures, deadlocks) is `Busy` — the caller
/// retries — as SQLite's busy timeout is; a text or name the database cannot hold (a NUL
/// byte, bad UTF-8 for the encoding) is the user's input; the rest is a backend failure.
pub(crate) fn classify(e: postgres::Error) -> StoreError {
    let Some(code) = e.code() else {
        return StoreError::Backend(Box::new(e));
    };
    if [
        SqlState::T_R_SERIALIZATION_FAILURE,
        SqlState::T_R_DEADLOCK_DETECTED,
        SqlState::LOCK_NOT_AVAILABLE,
        SqlState::QUERY_CANCELED,
    ]
    .contains(code)
    {
        return StoreError::Busy;
    }
    if [
        SqlState::CHARACTER_NOT_IN_REPERTOIRE,
        SqlState::UNTRANSLATABLE_CHARACTER,
        SqlState::PROGRAM_LIMIT_EXCEEDED,
    ]
    .contains(code)
    {
        let why = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string());
        return StoreError::User(format!("the database refused the input: {why}"));
    }
    StoreError::Backend(Box::new(e))
}
