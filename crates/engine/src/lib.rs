//! Dossier's application layer, shared by the CLI and the server.
//!
//! An [`Engine`] owns a [`Store`] and the extraction [`Pipeline`]. It runs
//! ingestion (read → clean → analyze on worker threads → dedup → store, many
//! documents per transaction, each whole or not at all), writes exports, and
//! assembles actor dossiers. It knows neither the terminal nor HTTP: progress goes
//! to a caller-supplied callback.

mod any_store;
mod dossier;
mod export;
mod incremental;
mod ingest;
mod reconcile;

pub use any_store::AnyStore;
pub use dossier::{ActorDossier, AliasLine, RelationLine};
pub use export::{write_format, write_jsonl, ExportOptions, Format};
/// For backends that settle near-duplicates after the fact (PostgreSQL workers).
pub use ingest::NEAR_DUPLICATE_THRESHOLD;
pub use ingest::{IngestEvent, IngestReport, Outcome, WRITE_BATCH, WRITE_WAIT};
pub use reconcile::Reconciliation;

use dossier_extract::Pipeline;
use dossier_registry::Registry;
use dossier_store::{Store, StoreError};
use std::path::Path;

/// Errors of the application layer.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("registry: {0}")]
    Registry(#[from] dossier_registry::RegistryError),
    #[error("{0}")]
    NotFound(String),
    #[error("writing output: {0}")]
    Io(#[from] std::io::Error),
}

/// A store plus the pipeline that fills it.
pub struct Engine<S: Store = AnyStore> {
    store: S,
    pipeline: Pipeline,
    /// Ingest commits: at most this many documents, at the latest this long after the
    /// first one ([`WRITE_BATCH`], [`WRITE_WAIT`] unless set).
    write_batch: (usize, std::time::Duration),
    /// Whether an ingest run recomputes the reconciliation keys it touched before it
    /// returns (else they stay marked for [`Engine::reconcile_marked`] or the next read).
    reconcile_after_ingest: bool,
}

impl Engine<AnyStore> {
    /// Open (or create) the store `path` names — a SQLite file, or a PostgreSQL
    /// database for a `postgres://` URL (feature `postgres`) — with the built-in
    /// registry, or the registry in `registry_dir` when given.
    pub fn open(path: &Path, registry_dir: Option<&Path>) -> Result<Self, EngineError> {
        let registry = match registry_dir {
            Some(dir) => Registry::from_dir(dir)?,
            None => Registry::builtin()?,
        };
        Engine::new(AnyStore::open(path)?, registry)
    }
}

impl<S: Store> Engine<S> {
    /// Wrap a store; syncs the registry's entities into it when they changed.
    pub fn new(mut store: S, registry: Registry) -> Result<Self, EngineError> {
        store.sync_registry(registry.content_hash(), registry.entities())?;
        Ok(Engine {
            store,
            pipeline: Pipeline::new(registry),
            write_batch: (WRITE_BATCH, WRITE_WAIT),
            reconcile_after_ingest: true,
        })
    }

    /// Whether ingest reconciles as it commits (the default): each commit records its
    /// documents' items and marks their keys, and the run recomputes those keys before
    /// it returns. Cooperating workers turn it off and call
    /// [`Engine::reconcile_marked`] every so often instead: each commit's exclusive
    /// section and each busy key's recomputation under its lock made the workers take
    /// turns.
    pub fn set_reconcile_after_ingest(&mut self, on: bool) {
        self.reconcile_after_ingest = on;
    }

    /// Reconciles the documents committed without it and recomputes every key marked
    /// by commits and not yet recomputed (by this process or any other); failures are
    /// logged and left for the next read.
    pub fn reconcile_marked(&self) {
        incremental::deferred(&self.store);
    }

    /// How ingest groups documents into store transactions: at most `docs` per commit,
    /// committed at the latest `wait` after the first. Smaller is acknowledged sooner,
    /// larger writes less (see BENCHMARKS.md).
    pub fn set_write_batch(&mut self, docs: usize, wait: std::time::Duration) {
        self.write_batch = (docs.max(1), wait);
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    pub fn pipeline(&self) -> &Pipeline {
        &self.pipeline
    }

    /// Resolve a user-typed name (id, canonical name or any alias, any spelling) to one
    /// entity id: the store's aliases first (they include learned ones), then the
    /// registry's transliteration-tolerant lookup.
    pub fn resolve(&self, name: &str) -> Result<Option<String>, EngineError> {
        if let Some(id) = self.store.lookup_entity(name)?.into_iter().next() {
            return Ok(Some(id));
        }
        let reg = self.pipeline.registry();
        Ok(reg.lookup(name).first().map(|&i| reg.entity(i).id.clone()))
    }
}
