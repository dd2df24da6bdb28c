//! The Dossier [`Store`] on PostgreSQL: [`PgStore`].
//!
//! Same interface and same answers as the embedded `SqliteStore` (one shared behaviour
//! suite runs against both, see `dossier_store::conformance`), for teams that outgrow one
//! machine: many `dossier ingest` workers and `dossier serve` replicas on one database.
//!
//! - Opening runs the ordered migrations in `migrations/` under an advisory lock (so
//!   workers starting together migrate once); the version is kept in `schema_version`
//!   and a newer database is refused.
//! - [`Store::insert_document`] is one transaction. "One document per text" is the
//!   primary key of `doc_shas`, claimed first with `ON CONFLICT DO NOTHING`: of two
//!   workers storing the same text, one wins and the other gets
//!   [`StoreError::Duplicate`], never a half-written document.
//! - Document ids from [`Store::unique_doc_id`] are reserved in `doc_ids`, so two
//!   workers never pick the same free id.
//! - Full-text search uses a `tsvector` column (no stemming, accents folded) queried
//!   with `websearch_to_tsquery`; snippets come from `ts_headline` with the same `«…»`
//!   marks as SQLite. Entity names carry `pg_trgm` indexes for fuzzy lookups.
//! - Curation edits run in transactions and bump `entities.version` (optimistic
//!   concurrency for callers that compare versions, see [`PgStore::entity_version`]).
//! - [`queue`]: the work queue that lets ingest workers share one corpus.
//!
//! The schema is laid out for Citus (see README.md, "PostgreSQL and Citus").

mod error;
mod fts;
pub mod queue;
mod read;
mod reconcile;
mod write;

use dossier_model::{Document, Entity, Event, Figure, LearnedAlias, Mention, Relation};
use dossier_store::{
    AliasUsage, Filter, NewDocument, ReconcileCompute, ReconcileItem, ReconcileResult, SearchHit,
    SearchQuery, Stats, Store, StoreError,
};
use std::sync::{Mutex, MutexGuard};

use std::collections::HashMap;

use postgres::{Client, GenericClient, NoTls, Statement};

pub use error::PgError;
use error::Result;

/// Migrations in order; migration `i` (0-based) brings the schema to version `i + 1`.
/// Never edit a released one: append a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_reconcile.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Advisory lock key held while migrating (any constant shared by all Dossier builds).
const MIGRATION_LOCK: i64 = 0x0064_6f73_7369_6572; // "dossier" in ASCII

/// The PostgreSQL implementation of [`Store`]. One connection; open one store per
/// thread or process (a worker, a server replica).
pub struct PgStore {
    /// `Store` reads take `&self` but a `postgres::Client` needs `&mut` to run a
    /// statement: the mutex gives reads that access (it is never contended, a store is
    /// used by one thread at a time; it makes the store `Send + Sync` for the server).
    client: Mutex<Conn>,
    schema: String,
}

/// A connection with the statements prepared on it.
pub(crate) struct Conn {
    pub(crate) client: Client,
    pub(crate) insert: Option<write::InsertStmts>,
    /// Other statements run once per ingested document, prepared on first use.
    cache: HashMap<&'static str, Statement>,
}

impl Conn {
    /// `sql` prepared on this connection (outside any transaction), once.
    pub(crate) fn stmt(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(st) = self.cache.get(sql) {
            return Ok(st.clone());
        }
        let st = self.client.prepare(sql)?;
        self.cache.insert(sql, st.clone());
        Ok(st)
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

/// Compares two stored near-duplicate fingerprints: the estimated similarity, or `None`
/// when one cannot be read.
pub type Similarity<'a> = &'a dyn Fn(&[u8], &[u8]) -> Option<f64>;

/// True for the `--db` values that name a PostgreSQL database rather than a file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

impl PgStore {
    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`, no TLS) and
    /// brings the schema in the connection's default schema (normally `public`) up to
    /// date. `?options=-csearch_path%3DNAME` in the URL selects (and creates) another
    /// PostgreSQL schema, so one database can hold several stores.
    pub fn open(url: &str) -> std::result::Result<Self, StoreError> {
        Self::open_in_schema(url, None)
    }

    /// As [`PgStore::open`], with every table in the PostgreSQL schema `schema`
    /// (created if missing): several independent stores in one database, e.g. one per
    /// test. `schema` must be a plain lowercase identifier.
    pub fn open_in_schema(
        url: &str,
        schema: Option<&str>,
    ) -> std::result::Result<Self, StoreError> {
        Self::connect(url, schema).map_err(StoreError::from)
    }

    fn connect(url: &str, schema: Option<&str>) -> Result<Self> {
        let mut client = Client::connect(url, NoTls)?;
        let schema = match schema {
            Some(s) => s.to_string(),
            // The connection's own schema; when the URL's `options=-csearch_path=NAME`
            // names one that does not exist yet, that one (created below).
            None => match client
                .query_one("SELECT current_schema()", &[])?
                .get::<_, Option<String>>(0)
            {
                Some(s) => s,
                None => {
                    let path: String = client.query_one("SHOW search_path", &[])?.get(0);
                    let first = path.split(',').next().unwrap_or("");
                    first.trim().trim_matches('"').to_string()
                }
            },
        };
        let valid = !schema.is_empty()
            && schema.len() <= 63
            && schema.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && schema
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(StoreError::User(format!(
                "`{schema}` is not a usable schema name: use lowercase letters, digits and _"
            ))
            .into());
        }
        // `public` stays on the path: the extensions (pg_trgm, unaccent) live there. The
        // name was checked to be a plain identifier: formatting it in is safe.
        // Under the migration lock: concurrent `CREATE SCHEMA IF NOT EXISTS` of one name
        // can fail with a unique violation.
        client.batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({MIGRATION_LOCK}); \
             CREATE SCHEMA IF NOT EXISTS {schema}; COMMIT; SET search_path TO {schema}, public"
        ))?;
        migrate(&mut client)?;
        Ok(PgStore {
            client: Mutex::new(Conn {
                client,
                insert: None,
                cache: HashMap::new(),
            }),
            schema,
        })
    }

    /// The PostgreSQL schema holding this store's tables.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> std::result::Result<i64, StoreError> {
        on(self, schema_version)
    }

    /// The curation version of an entity: bumped by every merge, undo and promotion
    /// touching it. A client that read version `v` can check it is unchanged before
    /// acting on what it read (see [`PgStore::merge_entities_if`]).
    pub fn entity_version(&self, id: &str) -> std::result::Result<Option<i64>, StoreError> {
        on(self, |c| {
            Ok(
                c.query_opt("SELECT version FROM entities WHERE id = $1", &[&id])?
                    .map(|r| r.get(0)),
            )
        })
    }

    /// A merge that only happens if neither entity was curated since the caller read
    /// `keep_version` and `absorb_version`; else a [`StoreError::User`] asking to reload.
    pub fn merge_entities_if(
        &mut self,
        keep: &str,
        keep_version: i64,
        absorb: &str,
        absorb_version: i64,
    ) -> std::result::Result<u64, StoreError> {
        on(self, |c| {
            write::merge(c, keep, absorb, Some((keep_version, absorb_version)))
        })
    }

    /// The store's change counter (see `Store::generation`): bumped by every write
    /// transaction of any process, read from a sequence so it needs no table scan.
    pub fn generation_number(&self) -> std::result::Result<u64, StoreError> {
        on(self, |c| {
            let v: i64 = c
                .query_one(
                    "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM store_generation",
                    &[],
                )?
                .get(0);
            Ok(u64::try_from(v).unwrap_or(0))
        })
    }

    /// The connection. A panic while it was held cannot leave it inside a transaction
    /// (a dropped `Transaction` rolls back), so a poisoned lock is still usable.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Conn> {
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn schema_version(c: &mut impl GenericClient) -> Result<i64> {
    Ok(c.query_one(
        "SELECT coalesce(max(version), 0)::bigint FROM schema_version",
        &[],
    )?
    .get(0))
}

/// Applies pending migrations in one transaction under an advisory lock, so that
/// workers starting together neither race nor migrate twice.
fn migrate(client: &mut Client) -> Result<()> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    // Extensions are per database; `public` keeps one copy for every store schema.
    tx.batch_execute(
        "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
         CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
         CREATE TABLE IF NOT EXISTS schema_version (
             version    integer PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now()
         );
         CREATE SEQUENCE IF NOT EXISTS store_generation;",
    )?;
    let found = schema_version(&mut tx)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found,
            supported: SCHEMA_VERSION,
        }
        .into());
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        tx.batch_execute(sql)?;
        let version = i32::try_from(i + 1).unwrap_or(i32::MAX);
        tx.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&version],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Bumps the change counter inside a write transaction.
fn bump_generation(c: &mut impl GenericClient) -> Result<()> {
    c.execute("SELECT nextval('store_generation')", &[])?;
    Ok(())
}

fn count(c: &mut Client, sql: &str) -> Result<u64> {
    let n: i64 = c.query_one(sql, &[])?.get(0);
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Runs `f` on the connection and turns its error into the interface's.
fn on<T>(
    s: &PgStore,
    f: impl FnOnce(&mut Client) -> Result<T>,
) -> std::result::Result<T, StoreError> {
    f(&mut s.conn().client).map_err(StoreError::from)
}

impl PgStore {
    /// Entity ids whose canonical name or an alias is close to `name` by trigram
    /// similarity (pg_trgm's `%` operator, default threshold 0.3), through merges, best
    /// first, with the similarity: for misspellings and transliterations the exact
    /// [`Store::lookup_entity`] misses.
    pub fn fuzzy_lookup(
        &self,
        name: &str,
        limit: usize,
    ) -> std::result::Result<Vec<(String, f32)>, StoreError> {
        on(self, |c| read::fuzzy_lookup(c, name, limit))
    }
}

impl PgStore {
    /// Settles near-duplicates that concurrent writers could not see: two workers
    /// storing copies of one article at the same moment each checked for candidates
    /// before the other's commit, so neither marked its document. Called after `doc`
    /// is committed, this marks `doc` as a copy of the most similar earlier document
    /// sharing a band (if it is not marked yet) and marks later unmarked documents
    /// similar to it as copies of `doc`. Of two racing workers, the one that settles
    /// last sees both documents. `similarity` compares two stored fingerprints (`None`
    /// when one is unreadable); `threshold` is the engine's near-duplicate threshold.
    /// Returns the `(copy, original)` pairs it marked.
    pub fn settle_near_duplicates(
        &self,
        doc: &str,
        threshold: f64,
        similarity: Similarity<'_>,
    ) -> std::result::Result<Vec<(String, String)>, StoreError> {
        on(self, |c| {
            write::settle_near_duplicates(c, doc, threshold, similarity)
        })
    }
}

impl Store for PgStore {
    fn document_by_sha(&self, sha256: &str) -> std::result::Result<Option<String>, StoreError> {
        read::document_by_sha(&mut self.conn(), sha256).map_err(StoreError::from)
    }

    fn near_duplicate_candidates(
        &self,
        bands: &[u64],
    ) -> std::result::Result<Vec<(String, Vec<u8>)>, StoreError> {
        read::near_duplicate_candidates(&mut self.conn(), bands).map_err(StoreError::from)
    }

    fn unique_doc_id(&self, stem: &str) -> std::result::Result<String, StoreError> {
        write::unique_doc_id(&mut self.conn(), stem).map_err(StoreError::from)
    }

    fn insert_document(&mut self, doc: &NewDocument<'_>) -> std::result::Result<(), StoreError> {
        write::insert_document(&mut self.conn(), doc).map_err(StoreError::from)
    }

    fn sync_registry(
        &mut self,
        registry_hash: &str,
        entities: &[Entity],
    ) -> std::result::Result<bool, StoreError> {
        on(self, |c| {
            let wrote = write::sync_registry(c, registry_hash, entities)?;
            if wrote {
                reconcile::mark_stale(c)?;
            }
            Ok(wrote)
        })
    }

    fn documents(&self) -> std::result::Result<Vec<Document>, StoreError> {
        on(self, read::documents)
    }

    fn document(&self, id: &str) -> std::result::Result<Option<Document>, StoreError> {
        on(self, |c| read::document(c, id))
    }

    fn entities(&self) -> std::result::Result<Vec<Entity>, StoreError> {
        on(self, read::entities)
    }

    fn entity(&self, id: &str) -> std::result::Result<Option<Entity>, StoreError> {
        on(self, |c| read::one(c, id))
    }

    fn lookup_entity(&self, name: &str) -> std::result::Result<Vec<String>, StoreError> {
        on(self, |c| read::lookup(c, name))
    }

    fn mentions(&self, filter: &Filter) -> std::result::Result<Vec<Mention>, StoreError> {
        on(self, |c| read::mentions(c, filter))
    }

    fn figures(&self, filter: &Filter) -> std::result::Result<Vec<Figure>, StoreError> {
        on(self, |c| read::figures(c, filter))
    }

    fn relations(&self, filter: &Filter) -> std::result::Result<Vec<Relation>, StoreError> {
        on(self, |c| read::relations(c, filter))
    }

    fn events(&self, filter: &Filter) -> std::result::Result<Vec<Event>, StoreError> {
        on(self, |c| read::events(c, filter))
    }

    fn learned_aliases(&self, entity: &str) -> std::result::Result<Vec<LearnedAlias>, StoreError> {
        on(self, |c| read::learned_aliases(c, entity))
    }

    fn alias_counts(&self, entity: &str) -> std::result::Result<Vec<AliasUsage>, StoreError> {
        on(self, |c| read::alias_counts(c, entity))
    }

    fn search(&self, q: &SearchQuery) -> std::result::Result<Vec<SearchHit>, StoreError> {
        on(self, |c| read::search(c, q))
    }

    fn stats(&self) -> std::result::Result<Stats, StoreError> {
        on(self, |c| {
            Ok(Stats {
                documents: count(c, "SELECT count(*) FROM documents")?,
                near_duplicates: count(
                    c,
                    "SELECT count(*) FROM documents WHERE near_dup_of IS NOT NULL",
                )?,
                entities: count(
                    c,
                    "SELECT count(*) FROM entities
                     WHERE id NOT IN (SELECT absorb FROM merges WHERE NOT undone)",
                )?,
                discovered_entities: count(c, "SELECT count(*) FROM entities WHERE discovered")?,
                aliases: count(c, "SELECT count(*) FROM aliases")?,
                learned_aliases: count(c, "SELECT count(*) FROM aliases WHERE source = 'learned'")?,
                mentions: count(c, "SELECT count(*) FROM mentions")?,
                figures: count(c, "SELECT count(*) FROM figures")?,
                relations: count(c, "SELECT count(*) FROM relations")?,
                events: count(c, "SELECT count(*) FROM events")?,
                merges: count(c, "SELECT count(*) FROM merges WHERE NOT undone")?,
                schema_version: schema_version(c)?,
            })
        })
    }

    fn generation(&self) -> std::result::Result<u64, StoreError> {
        self.generation_number()
    }

    // Curation marks reconciliation stale first: a crash in between costs a rebuild,
    // never a stale answer.
    fn merge_entities(&mut self, keep: &str, absorb: &str) -> std::result::Result<u64, StoreError> {
        on(self, |c| {
            reconcile::mark_stale(c)?;
            write::merge(c, keep, absorb, None)
        })
    }

    fn undo_merge(&mut self, merge_id: u64) -> std::result::Result<(), StoreError> {
        on(self, |c| {
            reconcile::mark_stale(c)?;
            write::undo_merge(c, merge_id)
        })
    }

    fn promote_entity(&mut self, id: &str) -> std::result::Result<Entity, StoreError> {
        on(self, |c| {
            reconcile::mark_stale(c)?;
            write::promote(c, id)
        })
    }

    fn reconcile_valid_for(&self) -> std::result::Result<Option<String>, StoreError> {
        on(self, reconcile::valid_for)
    }

    fn set_reconcile_valid_for(
        &self,
        valid_for: Option<&str>,
    ) -> std::result::Result<(), StoreError> {
        on(self, |c| reconcile::set_valid_for(c, valid_for))
    }

    fn reconcile_replace_all(
        &self,
        items: &[ReconcileItem],
        terms: &[(String, String)],
        results: &[(String, ReconcileResult)],
        valid_for: &str,
        documents: usize,
    ) -> std::result::Result<(), StoreError> {
        on(self, |c| {
            reconcile::replace_all(c, items, terms, results, valid_for, documents)
        })
    }

    fn reconcile_put_items(&self, items: &[ReconcileItem]) -> std::result::Result<(), StoreError> {
        on(self, |c| {
            let mut tx = c.transaction()?;
            reconcile::put_items(&mut tx, items)?;
            Ok(tx.commit()?)
        })
    }

    fn reads_as_written(&self) -> std::result::Result<bool, StoreError> {
        on(self, |c| {
            Ok(c.query_one(
                "SELECT NOT EXISTS (SELECT 1 FROM merges WHERE NOT undone)",
                &[],
            )?
            .get(0))
        })
    }

    fn reconcile_mark_dirty(&self, keys: &[String]) -> std::result::Result<(), StoreError> {
        on(self, |c| reconcile::mark_dirty(c, keys))
    }

    fn reconcile_dirty_keys(&self) -> std::result::Result<Vec<String>, StoreError> {
        on(self, reconcile::dirty_keys)
    }

    fn reconcile_mark_docs(&self, docs: &[String]) -> std::result::Result<(), StoreError> {
        on(self, |c| reconcile::mark_docs(c, docs))
    }

    fn reconcile_missing_docs(&self) -> std::result::Result<Vec<String>, StoreError> {
        on(self, reconcile::missing_docs)
    }

    fn reconcile_keys_of_docs(
        &self,
        docs: &[String],
    ) -> std::result::Result<Vec<String>, StoreError> {
        on(self, |c| reconcile::keys_of_docs(c, docs))
    }

    fn reconcile_terms(&self) -> std::result::Result<Vec<(String, String)>, StoreError> {
        on(self, reconcile::terms)
    }

    fn reconcile_set_terms(
        &self,
        terms: &[(String, String)],
    ) -> std::result::Result<(), StoreError> {
        on(self, |c| {
            let mut tx = c.transaction()?;
            reconcile::set_terms(&mut tx, terms)?;
            Ok(tx.commit()?)
        })
    }

    fn reconcile_items_naming(
        &self,
        terms: &[String],
    ) -> std::result::Result<Vec<ReconcileItem>, StoreError> {
        on(self, |c| reconcile::items_naming(c, terms))
    }

    fn reconcile_update_keys(
        &self,
        keys: &[String],
        compute: &mut ReconcileCompute<'_>,
    ) -> std::result::Result<(), StoreError> {
        on(self, |c| reconcile::update_keys(c, keys, compute))
    }

    fn reconcile_results(
        &self,
        corroboration: bool,
    ) -> std::result::Result<Vec<ReconcileResult>, StoreError> {
        on(self, |c| reconcile::results(c, corroboration))
    }

    fn reconcile_begin_exclusive(&self) -> std::result::Result<(), StoreError> {
        on(self, |c| {
            c.execute("SELECT pg_advisory_lock($1)", &[&reconcile::RECONCILE_LOCK])?;
            Ok(())
        })
    }

    fn reconcile_end_exclusive(&self, _commit: bool) -> std::result::Result<(), StoreError> {
        on(self, |c| {
            c.execute(
                "SELECT pg_advisory_unlock($1)",
                &[&reconcile::RECONCILE_LOCK],
            )?;
            Ok(())
        })
    }
}
