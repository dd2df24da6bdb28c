//! The work queue shared by ingest workers: `dossier ingest --db postgres://…` run on
//! several processes or machines over one corpus.
//!
//! Every worker enqueues the inputs it was given (keyed by the SHA-256 of the file's
//! bytes, so enqueueing the same corpus twice adds nothing), then claims units one at a
//! time with `FOR UPDATE SKIP LOCKED` until none is left. A claim is a lease: a unit
//! whose worker died is claimed again once the lease has run out, at most
//! [`MAX_ATTEMPTS`] times. Storing is idempotent besides (a text already stored is a
//! duplicate, not a second copy), so a unit processed twice after a lost lease still
//! yields each document once.

use std::time::Duration;

use dossier_store::StoreError;

use crate::{on, PgStore};

/// A unit that failed this many times is left as `failed` for a person to look at.
pub const MAX_ATTEMPTS: i32 = 3;

/// One input to ingest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkUnit {
    /// SHA-256 (hex) of the input's bytes.
    pub key: String,
    pub path: String,
    /// How many times it was claimed, this claim included.
    pub attempts: i32,
}

/// Units by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub pending: u64,
    pub taken: u64,
    pub done: u64,
    pub failed: u64,
}

impl PgStore {
    /// Adds `(key, path)` units not queued yet; returns how many were new.
    pub fn enqueue(&self, units: &[(String, String)]) -> Result<u64, StoreError> {
        if units.is_empty() {
            return Ok(0);
        }
        let keys: Vec<&str> = units.iter().map(|(k, _)| k.as_str()).collect();
        let paths: Vec<&str> = units.iter().map(|(_, p)| p.as_str()).collect();
        on(self, |c| {
            Ok(c.execute(
                "INSERT INTO work_queue (key, path)
                 SELECT k, p FROM unnest($1::text[], $2::text[]) AS u(k, p)
                 ON CONFLICT (key) DO NOTHING",
                &[&keys, &paths],
            )?)
        })
    }

    /// Claims the oldest pending unit (or one whose lease ran out) for `worker`, for
    /// `lease`. `None` when nothing is left to claim. Concurrent claims never return the
    /// same unit: the row is locked by the claiming statement and skipped by others.
    pub fn claim(&self, worker: &str, lease: Duration) -> Result<Option<WorkUnit>, StoreError> {
        let secs = lease.as_secs_f64();
        on(self, |c| {
            let row = c.query_opt(
                "UPDATE work_queue SET state = 'taken', worker = $1, attempts = attempts + 1,
                        lease_until = now() + make_interval(secs => $2)
                 WHERE key = (
                     SELECT key FROM work_queue
                     WHERE (state = 'pending' OR (state = 'taken' AND lease_until < now()))
                       AND attempts < $3
                     ORDER BY enqueued_at, path, key
                     FOR UPDATE SKIP LOCKED LIMIT 1)
                 RETURNING key, path, attempts",
                &[&worker, &secs, &MAX_ATTEMPTS],
            )?;
            Ok(row.map(|r| WorkUnit {
                key: r.get(0),
                path: r.get(1),
                attempts: r.get(2),
            }))
        })
    }

    /// Records the end of a claimed unit: done, or failed with `error` (claimed again
    /// later unless it has used up its attempts). A worker whose lease was taken over
    /// records nothing: the unit is the new holder's.
    pub fn finish(
        &self,
        unit: &WorkUnit,
        worker: &str,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        on(self, |c| {
            let generation: i64 = c
                .query_one(
                    "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM store_generation",
                    &[],
                )?
                .get(0);
            match error {
                None => c.execute(
                    "UPDATE work_queue SET state = 'done', done_at = now(), lease_until = NULL,
                            generation = $3, message = NULL
                     WHERE key = $1 AND worker = $2 AND state = 'taken'",
                    &[&unit.key, &worker, &generation],
                )?,
                Some(e) => c.execute(
                    "UPDATE work_queue SET
                         state = CASE WHEN attempts >= $4 THEN 'failed' ELSE 'pending' END,
                         lease_until = NULL, message = $3
                     WHERE key = $1 AND worker = $2 AND state = 'taken'",
                    &[&unit.key, &worker, &e, &MAX_ATTEMPTS],
                )?,
            };
            Ok(())
        })
    }

    pub fn queue_counts(&self) -> Result<QueueCounts, StoreError> {
        on(self, |c| {
            let mut out = QueueCounts::default();
            for r in c.query("SELECT state, count(*) FROM work_queue GROUP BY state", &[])? {
                let n = u64::try_from(r.get::<_, i64>(1)).unwrap_or(0);
                match r.get::<_, &str>(0) {
                    "pending" => out.pending = n,
                    "taken" => out.taken = n,
                    "done" => out.done = n,
                    _ => out.failed = n,
                }
            }
            Ok(out)
        })
    }
}
