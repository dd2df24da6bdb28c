//! [`AnyStore`]: the store a `--db` value names, chosen at run time, so that the CLI and
//! the server run unchanged on a SQLite file or (feature `postgres`) a PostgreSQL
//! database.

use dossier_model::{Document, Entity, Event, Figure, LearnedAlias, Mention, Relation};
use dossier_store::{
    AliasUsage, Filter, NewDocument, ReconcileCompute, ReconcileItem, ReconcileResult, SearchHit,
    SearchQuery, SqliteStore, Stats, Store, StoreError,
};
use std::path::Path;

/// A SQLite or a PostgreSQL store behind one type.
#[derive(Debug)]
// One `AnyStore` lives per engine, so the size of the SQLite variant (its caches and
// the in-memory band map's handle) costs nothing worth an extra indirection on every
// store call.
#[allow(clippy::large_enum_variant)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    /// Boxed: a PostgreSQL client is three times the size of a SQLite handle.
    #[cfg(feature = "postgres")]
    Postgres(Box<dossier_pgstore::PgStore>),
}

impl AnyStore {
    /// Opens `db`: a `postgres://` or `postgresql://` URL is a PostgreSQL database
    /// (when built with the `postgres` feature), anything else a SQLite file.
    pub fn open(db: &Path) -> Result<Self, StoreError> {
        let s = db.to_string_lossy();
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            #[cfg(feature = "postgres")]
            return Ok(AnyStore::Postgres(Box::new(
                dossier_pgstore::PgStore::open(&s)?,
            )));
            #[cfg(not(feature = "postgres"))]
            return Err(StoreError::User(
                "this build of dossier has no PostgreSQL support (feature `postgres`)".into(),
            ));
        }
        Ok(AnyStore::Sqlite(SqliteStore::open(db)?))
    }

    /// The PostgreSQL store, when this is one (for the ingest work queue).
    #[cfg(feature = "postgres")]
    pub fn as_postgres(&self) -> Option<&dossier_pgstore::PgStore> {
        match self {
            AnyStore::Postgres(p) => Some(p.as_ref()),
            AnyStore::Sqlite(_) => None,
        }
    }
}

impl From<SqliteStore> for AnyStore {
    fn from(s: SqliteStore) -> Self {
        AnyStore::Sqlite(s)
    }
}

#[cfg(feature = "postgres")]
impl From<dossier_pgstore::PgStore> for AnyStore {
    fn from(s: dossier_pgstore::PgStore) -> Self {
        AnyStore::Postgres(Box::new(s))
    }
}

/// Forwards a `Store` method to whichever store this is.
macro_rules! forward {
    ($self:ident, $s:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($s) => $call,
            #[cfg(feature = "postgres")]
            AnyStore::Postgres($s) => $call,
        }
    };
}

impl Store for AnyStore {
    fn document_by_sha(&self, sha256: &str) -> Result<Option<String>, StoreError> {
        forward!(self, s => s.document_by_sha(sha256))
    }
    fn near_duplicate_candidates(
        &self,
        bands: &[u64],
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        forward!(self, s => s.near_duplicate_candidates(bands))
    }
    fn stored_shas(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        forward!(self, s => s.stored_shas())
    }
    fn unique_doc_id(&self, stem: &str) -> Result<String, StoreError> {
        forward!(self, s => s.unique_doc_id(stem))
    }
    fn insert_document(&mut self, doc: &NewDocument<'_>) -> Result<(), StoreError> {
        forward!(self, s => s.insert_document(doc))
    }
    fn insert_documents(
        &mut self,
        docs: &[NewDocument<'_>],
    ) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        forward!(self, s => s.insert_documents(docs))
    }
    fn sync_registry(&mut self, hash: &str, entities: &[Entity]) -> Result<bool, StoreError> {
        forward!(self, s => s.sync_registry(hash, entities))
    }
    fn documents(&self) -> Result<Vec<Document>, StoreError> {
        forward!(self, s => s.documents())
    }
    fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        forward!(self, s => s.document(id))
    }
    fn entities(&self) -> Result<Vec<Entity>, StoreError> {
        forward!(self, s => s.entities())
    }
    fn entity(&self, id: &str) -> Result<Option<Entity>, StoreError> {
        forward!(self, s => s.entity(id))
    }
    fn lookup_entity(&self, name: &str) -> Result<Vec<String>, StoreError> {
        forward!(self, s => s.lookup_entity(name))
    }
    fn mentions(&self, filter: &Filter) -> Result<Vec<Mention>, StoreError> {
        forward!(self, s => s.mentions(filter))
    }
    fn figures(&self, filter: &Filter) -> Result<Vec<Figure>, StoreError> {
        forward!(self, s => s.figures(filter))
    }
    fn relations(&self, filter: &Filter) -> Result<Vec<Relation>, StoreError> {
        forward!(self, s => s.relations(filter))
    }
    fn events(&self, filter: &Filter) -> Result<Vec<Event>, StoreError> {
        forward!(self, s => s.events(filter))
    }
    fn learned_aliases(&self, entity: &str) -> Result<Vec<LearnedAlias>, StoreError> {
        forward!(self, s => s.learned_aliases(entity))
    }
    fn alias_counts(&self, entity: &str) -> Result<Vec<AliasUsage>, StoreError> {
        forward!(self, s => s.alias_counts(entity))
    }
    fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        forward!(self, s => s.search(q))
    }
    fn stats(&self) -> Result<Stats, StoreError> {
        forward!(self, s => s.stats())
    }
    fn generation(&self) -> Result<u64, StoreError> {
        forward!(self, s => s.generation())
    }
    fn merge_entities(&mut self, keep: &str, absorb: &str) -> Result<u64, StoreError> {
        forward!(self, s => s.merge_entities(keep, absorb))
    }
    fn undo_merge(&mut self, merge_id: u64) -> Result<(), StoreError> {
        forward!(self, s => s.undo_merge(merge_id))
    }
    fn promote_entity(&mut self, id: &str) -> Result<Entity, StoreError> {
        forward!(self, s => s.promote_entity(id))
    }

    fn reconcile_valid_for(&self) -> Result<Option<String>, StoreError> {
        forward!(self, s => s.reconcile_valid_for())
    }

    fn set_reconcile_valid_for(&self, valid_for: Option<&str>) -> Result<(), StoreError> {
        forward!(self, s => s.set_reconcile_valid_for(valid_for))
    }

    fn reconcile_replace_all(
        &self,
        items: &[ReconcileItem],
        terms: &[(String, String)],
        results: &[(String, ReconcileResult)],
        valid_for: &str,
        documents: usize,
    ) -> Result<(), StoreError> {
        forward!(self, s => s.reconcile_replace_all(items, terms, results, valid_for, documents))
    }

    fn reconcile_put_items(&self, items: &[ReconcileItem]) -> Result<(), StoreError> {
        forward!(self, s => s.reconcile_put_items(items))
    }

    fn reads_as_written(&self) -> Result<bool, StoreError> {
        forward!(self, s => s.reads_as_written())
    }

    fn reconcile_mark_dirty(&self, keys: &[String]) -> Result<(), StoreError> {
        forward!(self, s => s.reconcile_mark_dirty(keys))
    }

    fn reconcile_dirty_keys(&self) -> Result<Vec<String>, StoreError> {
        forward!(self, s => s.reconcile_dirty_keys())
    }

    fn reconcile_mark_docs(&self, docs: &[String]) -> Result<(), StoreError> {
        forward!(self, s => s.reconcile_mark_docs(docs))
    }

    fn reconcile_missing_docs(&self) -> Result<Vec<String>, StoreError> {
        forward!(self, s => s.reconcile_missing_docs())
    }

    fn reconcile_keys_of_docs(&self, docs: &[String]) -> Result<Vec<String>, StoreError> {
        forward!(self, s => s.reconcile_keys_of_docs(docs))
    }

    fn reconcile_terms(&self) -> Result<Vec<(String, String)>, StoreError> {
        forward!(self, s => s.reconcile_terms())
    }

    fn reconcile_set_terms(&self, terms: &[(String, String)]) -> Result<(), StoreError> {
        forward!(self, s => s.reconcile_set_terms(terms))
    }

    fn reconcile_items_naming(&self, terms: &[String]) -> Result<Vec<ReconcileItem>, StoreError> {
        forward!(self, s => s.reconcile_items_naming(terms))
    }

    fn reconcile_update_keys(
        &self,
        keys: &[String],
        compute: &mut ReconcileCompute<'_>,
    ) -> Result<(), StoreError> {
        forward!(self, s => s.reconcile_update_keys(keys, compute))
    }

    fn reconcile_results(&self, corroboration: bool) -> Result<Vec<ReconcileResult>, StoreError> {
        forward!(self, s => s.reconcile_results(corroboration))
    }

    fn reconcile_begin_exclusive(&self) -> Result<(), StoreError> {
        forward!(self, s => s.reconcile_begin_exclusive())
    }

    fn reconcile_end_exclusive(&self, commit: bool) -> Result<(), StoreError> {
        forward!(self, s => s.reconcile_end_exclusive(commit))
    }
}
