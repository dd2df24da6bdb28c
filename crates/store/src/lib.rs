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
mod query;
mod sqlite;

use dossier_model::{Analysis, Document, Entity, Event, Figure, LearnedAlias, Mention, Relation};

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
}
