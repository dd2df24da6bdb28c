//! A small pool of read-only connections for uncached read routes (search, documents).
//!
//! The engine has one connection behind a mutex; a search on 10,000 documents takes a
//! quarter of a second on it, so a burst of searches queued behind each other and every
//! dossier cache miss and ingest waited behind them. Searches instead take a connection
//! of their own from here: they run side by side (SQLite in WAL mode lets readers
//! proceed while a writer commits), and the engine stays free for everything else.
//!
//! Connections are opened lazily, up to [`READERS`], by reopening the engine's database
//! file. A store that cannot be reopened (in-memory SQLite; PostgreSQL, whose client
//! is not reopened from here) gives an empty pool, and reads fall back to the engine.
//! A pooled connection sees the latest commit, like the engine's.

use dossier_engine::AnyStore;
use std::sync::{Condvar, Mutex, MutexGuard};

/// At most this many read connections: enough to keep two cores busy while some
/// requests wait on I/O; more would only contend for the same cores.
pub(crate) const READERS: usize = 4;

pub(crate) struct Readers {
    state: Mutex<State>,
    freed: Condvar,
}

struct State {
    /// Reopened to open each pooled connection; `None` when the store cannot be.
    origin: Option<AnyStore>,
    idle: Vec<AnyStore>,
    /// Connections opened (idle or lent).
    open: usize,
}

impl Readers {
    /// A pool reopening `store`'s database, or an empty one when it cannot be reopened.
    pub(crate) fn new(store: &AnyStore) -> Self {
        Readers {
            state: Mutex::new(State {
                origin: reopen(store),
                idle: Vec::new(),
                open: 0,
            }),
            freed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A connection, waiting while all [`READERS`] are lent; `None` when the store
    /// cannot be reopened (the caller reads through the engine). Blocking: call it
    /// from `spawn_blocking`.
    pub(crate) fn lease(&self) -> Option<Lease<'_>> {
        let mut st = self.lock();
        loop {
            if let Some(store) = st.idle.pop() {
                return Some(Lease {
                    pool: self,
                    store: Some(store),
                });
            }
            if st.open < READERS {
                let store = reopen(st.origin.as_ref()?)?;
                st.open += 1;
                return Some(Lease {
                    pool: self,
                    store: Some(store),
                });
            }
            st = self
                .freed
                .wait(st)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
    }

    /// Connections opened so far.
    #[cfg(test)]
    pub(crate) fn opened(&self) -> usize {
        self.lock().open
    }
}

/// A lent connection, back in the pool when dropped (also when the read panicked).
pub(crate) struct Lease<'a> {
    pool: &'a Readers,
    store: Option<AnyStore>,
}

impl Lease<'_> {
    pub(crate) fn store(&self) -> Option<&AnyStore> {
        self.store.as_ref()
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if let Some(s) = self.store.take() {
            self.pool.lock().idle.push(s);
            self.pool.freed.notify_one();
        }
    }
}

fn reopen(store: &AnyStore) -> Option<AnyStore> {
    match store {
        AnyStore::Sqlite(s) => match s.reopen() {
            Ok(Some(s)) => Some(AnyStore::Sqlite(s)),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!("cannot open a read connection, reading through the engine: {e}");
                None
            }
        },
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_store::SqliteStore;

    #[test]
    fn leases_are_reused_and_bounded_and_memory_stores_give_none() {
        let dir = tempfile::tempdir().unwrap();
        let store = AnyStore::Sqlite(SqliteStore::open(&dir.path().join("r.db")).unwrap());
        let pool = Readers::new(&store);
        {
            let a = pool.lease().unwrap();
            let b = pool.lease().unwrap();
            assert!(a.store().is_some() && b.store().is_some());
            assert_eq!(pool.opened(), 2);
        }
        // Returned connections are lent again rather than new ones opened.
        let held: Vec<_> = (0..READERS).map(|_| pool.lease().unwrap()).collect();
        assert_eq!(pool.opened(), READERS);
        // With all lent, a lease waits until one comes back.
        std::thread::scope(|s| {
            let waiter = s.spawn(|| pool.lease().map(|l| l.store().is_some()));
            drop(held);
            assert_eq!(waiter.join().unwrap(), Some(true));
        });
        assert_eq!(pool.opened(), READERS);

        let memory = AnyStore::Sqlite(SqliteStore::open_in_memory().unwrap());
        assert!(Readers::new(&memory).lease().is_none());
    }
}
