//! Persistence for Dossier behind one interface, [`Store`], implemented by
//! [`SqliteStore`]: a single embedded SQLite file with an FTS5 index.
//!
//! **Architecture invariant: only this crate knows SQL.** The pipeline and the CLI
//! program against [`Store`]; a PostgreSQL implementation can follow without touching
//! them.
//!
//! How the pieces fit:
//! - Opening runs the ordered migrations in `migrations/` (schema version kept in
//!   `PRAGMA user_version`; a newer database is refused) and sets WAL mode, a 5 s busy
//!   timeout, foreign keys, `synchronous=NORMAL`, a 64 MiB page cache and 128 MiB WAL
//!   checkpoints.
//! - [`Store::insert_document`] writes a document, its fingerprint bands and its whole
//!   [`Analysis`](dossier_model::Analysis) in one transaction: a crash or a bad record
//!   leaves the database as it was before the call. [`Store::insert_documents`] stores a
//!   batch in one transaction, leaving out only the documents that fail (bulk ingest).
//! - Curation never rewrites claims: a merge records `absorb -> keep` and every read
//!   maps absorbed ids to the kept one, so undoing a merge is one flag.
//! - Search snippets wrap matches in [`HIGHLIGHT_OPEN`]/[`HIGHLIGHT_CLOSE`] (`«…»`).
//!
//! ```
//! use dossier_model::{Analysis, Document};
//! use dossier_store::{NewDocument, SearchQuery, SqliteStore, Store};
//!
//! let mut store = SqliteStore::open_in_memory()?;
//! let text = "Militants attacked a checkpoint in the district.";
//! let doc = Document {
//!     doc: store.unique_doc_id("report")?,
//!     title: Some("Checkpoint attack".into()),
//!     published: Some("2024-05-01".into()),
//!     publisher: None, author: None, url: None,
//!     sha256: "ab12".into(),
//!     chars: text.chars().count(),
//!     near_duplicate_of: None, origin: None,
//!     text: Some(text.into()),
//! };
//! store.insert_document(&NewDocument {
//!     doc: &doc, fingerprint: &[], bands: &[], analysis: &Analysis::default(),
//! })?;
//! let hits = store.search(&SearchQuery { text: "checkpoint".into(), ..Default::default() })?;
//! assert_eq!(hits[0].doc, "report");
//! assert!(hits[0].snippet.contains("«checkpoint»"));
//! # Ok::<(), dossier_store::StoreError>(())
//! ```

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
mod error;
pub mod fts5;
mod query;
mod sqlite;

use dossier_model::{Analysis, Document, Entity, Event, Figure, LearnedAlias, Mention, Relation};

pub use copies::copy_closure;

mod copies {
    use std::collections::{BTreeSet, HashMap};

    /// The documents `docs` and every copy connected to them through
    /// `near_duplicate_of` links either way, given each document's link (`of`) and the
    /// documents linking to each (`copies`). Sorted, each once.
    pub fn copy_closure<'a>(
        docs: impl IntoIterator<Item = &'a str>,
        of: &HashMap<&'a str, &'a str>,
        copies: &HashMap<&'a str, Vec<&'a str>>,
    ) -> Vec<String> {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut todo: Vec<&str> = docs.into_iter().collect();
        while let Some(d) = todo.pop() {
            if !seen.insert(d) {
                continue;
            }
            todo.extend(of.get(d).copied());
            todo.extend(copies.get(d).into_iter().flatten().copied());
        }
        seen.into_iter().map(str::to_string).collect()
    }
}

pub use error::StoreError;
pub use query::{
    AliasUsage, Filter, SearchHit, SearchMode, SearchQuery, Stats, HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN,
    SNIPPET_ELLIPSIS,
};
pub use sqlite::{SqliteStore, SCHEMA_VERSION};

/// The pure helpers every backend must share so that all stores read dates, names and
/// filters the same way (used by `dossier-pgstore`; not a stable API).
#[doc(hidden)]
pub mod backend {
    use crate::StoreError;

    /// See `query::check_date`: a user's `from`/`to` date as a comparison key.
    pub fn check_date(field: &str, value: &str) -> Result<String, StoreError> {
        crate::query::check_date(field, value)
    }

    /// See `query::date_bounds`: the `(date_lo, date_hi)` stored with a record.
    pub fn date_bounds(date: &str) -> Option<(String, String)> {
        crate::query::date_bounds(date)
    }

    /// See `query::name_key`: the key names are compared by.
    pub fn name_key(name: &str) -> String {
        crate::query::name_key(name)
    }
}

/// A document with everything the pipeline found in it, ready to be stored.
#[derive(Debug, Clone, Copy)]
pub struct NewDocument<'a> {
    /// Metadata plus `text: Some(clean text)`; every span points into that text.
    pub doc: &'a Document,
    /// The near-duplicate fingerprint (opaque bytes, e.g. a MinHash signature).
    pub fingerprint: &'a [u8],
    /// LSH band keys of the fingerprint.
    pub bands: &'a [u64],
    pub analysis: &'a Analysis,
}

/// A prepared figure or relation as incremental reconciliation keeps it: which group
/// key it belongs to, which names its resolution looked up, and the prepared record
/// itself (JSON written and read by `dossier-engine`; opaque to the store).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReconcileItem {
    pub doc: String,
    /// Its place among the document's items (figures first, then relations).
    pub seq: u32,
    pub key: String,
    pub terms: Vec<String>,
    pub body: String,
}

/// One group key's reconciliation results as JSON (opaque to the store); the three
/// parts are kept apart so a reader that needs no corroboration does not read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReconcileResult {
    pub disputes: String,
    pub contested: String,
    pub corroboration: String,
}

/// What the per-key recomputation of [`Store::reconcile_update_keys`] is given: the
/// key's items and the metadata (`text: None`) of their documents and of every copy
/// of those (near-duplicates, followed both ways), read as committed. It answers the
/// key's new results, or `None` when the key has nothing to show.
pub type ReconcileCompute<'c> =
    dyn FnMut(&str, &[ReconcileItem], &[Document]) -> Option<ReconcileResult> + 'c;

/// [`Store::reconcile_valid_for`] of a store that holds no document yet: valid for any
/// reconciler.
pub const RECONCILE_EMPTY: &str = "*";

/// The interface the pipeline and CLI program against.
pub trait Store {
    /// The id of the stored document with this clean-text SHA-256, if any.
    fn document_by_sha(&self, sha256: &str) -> Result<Option<String>, StoreError>;

    /// Near-duplicate candidates: documents sharing at least one LSH band key, most
    /// shared bands first, as `(doc id, fingerprint bytes)`.
    fn near_duplicate_candidates(
        &self,
        bands: &[u64],
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError>;

    /// The clean-text SHA-256 of every stored document, so a bulk ingest can skip the
    /// analysis of texts stored by earlier runs. A hint, read once: callers still check
    /// [`Store::document_by_sha`] before storing. The default knows none (no skipping).
    fn stored_shas(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        Ok(std::collections::HashSet::new())
    }

    /// A document id not used yet: `stem`, else `stem-2`, `stem-3`, …
    fn unique_doc_id(&self, stem: &str) -> Result<String, StoreError>;

    /// Stores a document with its text, fingerprint and whole analysis (mentions,
    /// discovered entities, learned aliases, figures, relations, events) in one
    /// transaction: whole or not at all. [`StoreError::Duplicate`] if the SHA-256 is
    /// already stored; `User` if the id is taken.
    fn insert_document(&mut self, doc: &NewDocument<'_>) -> Result<(), StoreError>;

    /// Stores several documents in order, each as by [`Store::insert_document`] (whole
    /// or not at all), returning one result per document: a document that fails (a
    /// duplicate, also of an earlier one in the same call; a taken id; a broken
    /// constraint) is left out and the others are still stored. A document is durable
    /// once this returns `Ok`, not before; an outer `Err` means none of them was stored.
    ///
    /// Callers that check ids or hashes before inserting must also check against the
    /// documents of the same call, which are not visible to the reads until it returns.
    /// The default stores them one by one; a backend overrides it to commit them in one
    /// transaction.
    fn insert_documents(
        &mut self,
        docs: &[NewDocument<'_>],
    ) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        Ok(docs.iter().map(|d| self.insert_document(d)).collect())
    }

    /// Upserts the registry's entities (actors and places) and their aliases unless
    /// `registry_hash` equals the one recorded by the last sync. Registry entities no
    /// longer listed are removed. Returns whether anything was written.
    fn sync_registry(
        &mut self,
        registry_hash: &str,
        entities: &[Entity],
    ) -> Result<bool, StoreError>;

    /// All documents in ingest order, metadata only (`text: None`).
    fn documents(&self) -> Result<Vec<Document>, StoreError>;

    /// One document with its text.
    fn document(&self, id: &str) -> Result<Option<Document>, StoreError>;

    /// Registry and discovered entities as read through merges: an absorbed entity is
    /// not listed; its canonical name and aliases are added to the kept one's. Aliases
    /// include learned ones.
    fn entities(&self) -> Result<Vec<Entity>, StoreError>;

    /// One entity; an absorbed id yields the entity it was merged into.
    fn entity(&self, id: &str) -> Result<Option<Entity>, StoreError>;

    /// Entity ids whose id, canonical name or any alias equals `name` (ignoring case and
    /// spacing), through merges, most-mentioned first.
    fn lookup_entity(&self, name: &str) -> Result<Vec<String>, StoreError>;

    fn mentions(&self, filter: &Filter) -> Result<Vec<Mention>, StoreError>;
    fn figures(&self, filter: &Filter) -> Result<Vec<Figure>, StoreError>;
    fn relations(&self, filter: &Filter) -> Result<Vec<Relation>, StoreError>;
    fn events(&self, filter: &Filter) -> Result<Vec<Event>, StoreError>;

    /// Aliases the texts defined for this entity (and those merged into it).
    fn learned_aliases(&self, entity: &str) -> Result<Vec<LearnedAlias>, StoreError>;

    /// How each surface text was used in mentions of this entity, most used first.
    fn alias_counts(&self, entity: &str) -> Result<Vec<AliasUsage>, StoreError>;

    /// Full-text search over titles and clean text, best first. Malformed raw syntax is
    /// a [`StoreError::User`], never a panic.
    fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError>;

    fn stats(&self) -> Result<Stats, StoreError>;

    /// A number that changes whenever the stored data may have changed since the last
    /// call on this store: a commit by this handle or by any other process. Caches of
    /// derived results (reconciliation, rendered dossiers) are keyed by it. Numbers from
    /// different store handles are not comparable.
    ///
    /// The default answers a new number on every call: always correct, never cached.
    fn generation(&self) -> Result<u64, StoreError> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Ok(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }

    /// Merges entity `absorb` into `keep` (reads of `absorb` yield `keep`). Returns the
    /// merge id to undo it with.
    fn merge_entities(&mut self, keep: &str, absorb: &str) -> Result<u64, StoreError>;

    /// Undoes a merge: the absorbed entity reads as itself again.
    fn undo_merge(&mut self, merge_id: u64) -> Result<(), StoreError>;

    /// Marks a discovered entity as curated and returns it, for the caller to append to
    /// the registry file.
    fn promote_entity(&mut self, id: &str) -> Result<Entity, StoreError>;

    // Incremental reconciliation (see `dossier_engine`'s reconcile module). Curation
    // (merge, undo, promote) and a registry sync that writes mark the persisted results
    // stale; the defaults keep nothing, so a backend without them reconciles in full.

    /// The reconciler fingerprint the persisted results are valid for:
    /// [`RECONCILE_EMPTY`] when nothing is stored yet, `None` when they are stale.
    fn reconcile_valid_for(&self) -> Result<Option<String>, StoreError> {
        Ok(None)
    }

    /// Records which reconciler the persisted results are valid for (`None`: stale).
    fn set_reconcile_valid_for(&self, _valid_for: Option<&str>) -> Result<(), StoreError> {
        Ok(())
    }

    /// Replaces everything persisted with a full rebuild's items, term states and
    /// results in one transaction, valid for `valid_for` — unless the store no longer
    /// holds `documents` documents (another process stored more meanwhile): then it is
    /// left stale, to be rebuilt again.
    fn reconcile_replace_all(
        &self,
        _items: &[ReconcileItem],
        _terms: &[(String, String)],
        _results: &[(String, ReconcileResult)],
        _valid_for: &str,
        _documents: usize,
    ) -> Result<(), StoreError> {
        Ok(())
    }

    /// Stores items, replacing those with the same `(doc, seq)`.
    fn reconcile_put_items(&self, _items: &[ReconcileItem]) -> Result<(), StoreError> {
        Ok(())
    }

    /// Whether claims read back exactly as they were written (no live merge redirects
    /// an id), so a writer may reconcile from what it wrote instead of reading it back.
    fn reads_as_written(&self) -> Result<bool, StoreError> {
        Ok(false)
    }

    /// Records that these documents' items are stored (with no items, still stored).
    fn reconcile_mark_docs(&self, _docs: &[String]) -> Result<(), StoreError> {
        Ok(())
    }

    /// Stored documents not recorded by [`Store::reconcile_mark_docs`] (a writer died
    /// between its commit and its reconciliation update), in ingest order.
    fn reconcile_missing_docs(&self) -> Result<Vec<String>, StoreError> {
        Ok(Vec::new())
    }

    /// Marks keys whose results must be recomputed (after storing the items that
    /// touch them).
    fn reconcile_mark_dirty(&self, _keys: &[String]) -> Result<(), StoreError> {
        Ok(())
    }

    /// The keys marked and not recomputed since.
    fn reconcile_dirty_keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(Vec::new())
    }

    /// The distinct keys of these documents' items.
    fn reconcile_keys_of_docs(&self, _docs: &[String]) -> Result<Vec<String>, StoreError> {
        Ok(Vec::new())
    }

    /// Every name a stored item looked up, with its state when last resolved.
    fn reconcile_terms(&self) -> Result<Vec<(String, String)>, StoreError> {
        Ok(Vec::new())
    }

    /// Upserts term states.
    fn reconcile_set_terms(&self, _terms: &[(String, String)]) -> Result<(), StoreError> {
        Ok(())
    }

    /// The items that looked up any of these names.
    fn reconcile_items_naming(&self, _terms: &[String]) -> Result<Vec<ReconcileItem>, StoreError> {
        Ok(Vec::new())
    }

    /// Recomputes each key's results from what is committed, one key at a time in key
    /// order: the key's items and documents are read and its results written under a
    /// lock on the key, so two writers recomputing one key take turns and the later
    /// one sees the earlier one's items. Clears the key's dirty mark if it was set
    /// before the items were read.
    fn reconcile_update_keys(
        &self,
        _keys: &[String],
        _compute: &mut ReconcileCompute<'_>,
    ) -> Result<(), StoreError> {
        Ok(())
    }

    /// Every key's persisted results; without `corroboration`, that part is left
    /// empty and keys with no dispute and no contested relation are left out.
    fn reconcile_results(&self, _corroboration: bool) -> Result<Vec<ReconcileResult>, StoreError> {
        Ok(Vec::new())
    }

    /// Starts a section no other writer of reconciliation state runs at the same time
    /// (the check of names against entity tables); [`Store::reconcile_end_exclusive`]
    /// ends it, committing when `commit`.
    fn reconcile_begin_exclusive(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn reconcile_end_exclusive(&self, _commit: bool) -> Result<(), StoreError> {
        Ok(())
    }
}
