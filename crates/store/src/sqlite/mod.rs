//! [`SqliteStore`]: the [`Store`] on one SQLite file.
//!
//! The SQL is split by concern: `write` (documents, registry sync), `entities` (entity
//! reads, lookups and curation through merge redirects), `claims` (filtered reads of
//! mentions, figures, relations, events) and `search` (FTS5).

mod bands;
mod claims;
mod entities;
mod reconcile;
mod search;
mod write;

#[cfg(test)]
pub(crate) mod fixture;

use std::cell::RefCell;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use dossier_model::{Document, Entity, Event, Figure, LearnedAlias, Mention, Relation};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior};

use crate::{
    AliasUsage, Filter, NewDocument, ReconcileCompute, ReconcileItem, ReconcileResult, SearchHit,
    SearchQuery, Stats, Store, StoreError,
};

/// Migrations in order; migration `i` (0-based) brings the schema to version `i + 1`.
/// Never edit a released one: append a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_read_indexes.sql"),
    include_str!("../../migrations/0003_fts_batched.sql"),
    include_str!("../../migrations/0004_band_sets.sql"),
    include_str!("../../migrations/0005_reconcile.sql"),
];

/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another process's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Page cache per connection, in KiB.
const CACHE_KIB: i64 = 64 * 1024;

/// WAL pages (4 KiB) after which a commit checkpoints: 128 MiB.
const WAL_CHECKPOINT_PAGES: i64 = 32 * 1024;

/// The embedded SQLite implementation of [`Store`].
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    /// Near-duplicate lookups without SQLite: filled on the first lookup, then topped up
    /// (a `RefCell` because lookups take `&self`).
    bands: RefCell<bands::BandIndex>,
}

impl SqliteStore {
    /// Opens (creating if needed, with parent directories) the database at `path` and
    /// brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if path.is_dir() {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                reason: std::io::Error::other(
                    "this is a folder; give the path of a store file, e.g. FOLDER/dossier.db",
                ),
            });
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|reason| StoreError::Io {
                path: parent.to_path_buf(),
                reason,
            })?;
        }
        let with_path = |e: StoreError| match e {
            StoreError::Corrupt { detail } => StoreError::Corrupt {
                detail: format!("{}: {detail}", path.display()),
            },
            other => other,
        };
        let conn = Connection::open(path).map_err(|e| with_path(e.into()))?;
        Self::setup(conn).map_err(with_path)
    }

    /// A private database that lives as long as the store (tests, one-shot runs).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(mut conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets readers (a server, `dossier search`) run while an ingest writes; an
        // in-memory database answers "memory", which is fine.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        // In WAL mode NORMAL is still crash-safe (a power loss may drop the last commits,
        // never corrupt); FULL would fsync on every document.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Bulk ingest writes batches that dirty thousands of index and FTS pages: with
        // SQLite's default 2 MiB cache they spill to the WAL mid-transaction and are
        // written again at commit. 64 MiB is an upper bound, allocated as used.
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        // Checkpoints copy the WAL into the database and fsync both; every 4 MiB (the
        // default) that is hundreds of fsyncs per GB ingested, and a page rewritten by
        // consecutive commits is copied each time. 128 MiB per checkpoint instead.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn,
            bands: RefCell::default(),
        })
    }

    /// A second connection to the same database file (`None` for an in-memory one),
    /// e.g. for a server to watch [`Store::generation`] without waiting for the
    /// connection that runs long queries.
    pub fn reopen(&self) -> Result<Option<SqliteStore>, StoreError> {
        match self.conn.path().filter(|p| !p.is_empty()) {
            Some(p) => Ok(Some(SqliteStore::open(Path::new(p))?)),
            None => Ok(None),
        }
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
}

/// Applies pending migrations, one transaction each. The version is re-read inside the
/// write transaction so two processes opening a fresh file do not both migrate.
fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let Some(sql) = usize::try_from(found).ok().and_then(|i| MIGRATIONS.get(i)) else {
            return Ok(()); // up to date; dropping `tx` ends the empty transaction
        };
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", found + 1)?;
        tx.commit()?;
    }
}

/// Spans and counts are `usize` in the model and `INTEGER` (i64) in SQLite.
fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn get_usize(row: &Row<'_>, idx: usize) -> rusqlite::Result<usize> {
    let v: i64 = row.get(idx)?;
    usize::try_from(v)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Integer, e.into()))
}

/// Reads a closed-vocabulary column; an unknown word means the row was not written by
/// this store (or by an older vocabulary) and surfaces as `Corrupt`.
fn get_vocab<T: FromStr<Err = String>>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    let s: String = row.get(idx)?;
    s.parse::<T>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, e.into()))
}

fn count(conn: &Connection, sql: &str) -> Result<u64, StoreError> {
    let n: i64 = conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

const DOCUMENT_COLUMNS: &str = "id, title, published, publisher, author, url, sha256, chars, \
                                near_dup_of, origin";

fn document_from_row(row: &Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        doc: row.get(0)?,
        title: row.get(1)?,
        published: row.get(2)?,
        publisher: row.get(3)?,
        author: row.get(4)?,
        url: row.get(5)?,
        sha256: row.get(6)?,
        chars: get_usize(row, 7)?,
        near_duplicate_of: row.get(8)?,
        origin: row.get(9)?,
        text: None,
    })
}

impl Store for SqliteStore {
    fn document_by_sha(&self, sha256: &str) -> Result<Option<String>, StoreError> {
        write::document_by_sha(&self.conn, sha256)
    }

    fn near_duplicate_candidates(
        &self,
        bands: &[u64],
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        if bands.is_empty() {
            return Ok(Vec::new());
        }
        let nums = {
            let mut index = self.bands.borrow_mut();
            index.refresh(&self.conn)?;
            index.candidates(bands)
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, coalesce(fingerprint, x'') FROM documents WHERE num = ?1",
        )?;
        let mut out = Vec::with_capacity(nums.len());
        for num in nums {
            // A document deleted since it was indexed is simply no candidate.
            if let Some(found) = stmt
                .query_row([num], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
            {
                out.push(found);
            }
        }
        Ok(out)
    }

    fn stored_shas(&self) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached("SELECT sha256 FROM documents")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn unique_doc_id(&self, stem: &str) -> Result<String, StoreError> {
        let stem = stem.trim();
        let stem = if stem.is_empty() { "doc" } else { stem };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?;
        if !stmt.exists([stem])? {
            return Ok(stem.to_string());
        }
        // Suffixes are tried in order, so this runs as many queries as there are
        // documents with this stem: a handful in practice.
        let mut n: u64 = 2;
        loop {
            let candidate = format!("{stem}-{n}");
            if !stmt.exists([&candidate])? {
                return Ok(candidate);
            }
            n += 1;
        }
    }

    fn insert_document(&mut self, doc: &NewDocument<'_>) -> Result<(), StoreError> {
        write::insert_document(&mut self.conn, self.bands.get_mut(), doc)
    }

    fn insert_documents(
        &mut self,
        docs: &[NewDocument<'_>],
    ) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        write::insert_documents(&mut self.conn, self.bands.get_mut(), docs)
    }

    fn sync_registry(
        &mut self,
        registry_hash: &str,
        entities: &[Entity],
    ) -> Result<bool, StoreError> {
        let wrote = write::sync_registry(&mut self.conn, registry_hash, entities)?;
        if wrote {
            reconcile::mark_stale(&self.conn)?;
        }
        Ok(wrote)
    }

    fn documents(&self) -> Result<Vec<Document>, StoreError> {
        let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY num");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], document_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let sql = format!("SELECT {DOCUMENT_COLUMNS}, text FROM documents WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        Ok(stmt
            .query_row([id], |r| {
                let mut d = document_from_row(r)?;
                d.text = r.get(10)?;
                Ok(d)
            })
            .optional()?)
    }

    fn entities(&self) -> Result<Vec<Entity>, StoreError> {
        entities::all(&self.conn)
    }

    fn entity(&self, id: &str) -> Result<Option<Entity>, StoreError> {
        entities::one(&self.conn, id)
    }

    fn lookup_entity(&self, name: &str) -> Result<Vec<String>, StoreError> {
        entities::lookup(&self.conn, name)
    }

    fn mentions(&self, filter: &Filter) -> Result<Vec<Mention>, StoreError> {
        claims::mentions(&self.conn, filter)
    }

    fn figures(&self, filter: &Filter) -> Result<Vec<Figure>, StoreError> {
        claims::figures(&self.conn, filter)
    }

    fn relations(&self, filter: &Filter) -> Result<Vec<Relation>, StoreError> {
        claims::relations(&self.conn, filter)
    }

    fn events(&self, filter: &Filter) -> Result<Vec<Event>, StoreError> {
        claims::events(&self.conn, filter)
    }

    fn learned_aliases(&self, entity: &str) -> Result<Vec<LearnedAlias>, StoreError> {
        entities::learned_aliases(&self.conn, entity)
    }

    fn alias_counts(&self, entity: &str) -> Result<Vec<AliasUsage>, StoreError> {
        entities::alias_counts(&self.conn, entity)
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        search::search(&self.conn, q)
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let c = &self.conn;
        Ok(Stats {
            documents: count(c, "SELECT count(*) FROM documents")?,
            near_duplicates: count(
                c,
                "SELECT count(*) FROM documents WHERE near_dup_of IS NOT NULL",
            )?,
            entities: count(
                c,
                "SELECT count(*) FROM entities
                 WHERE id NOT IN (SELECT absorb FROM merges WHERE undone = 0)",
            )?,
            discovered_entities: count(c, "SELECT count(*) FROM entities WHERE discovered = 1")?,
            aliases: count(c, "SELECT count(*) FROM aliases")?,
            learned_aliases: count(c, "SELECT count(*) FROM aliases WHERE source = 'learned'")?,
            mentions: count(c, "SELECT count(*) FROM mentions")?,
            figures: count(c, "SELECT count(*) FROM figures")?,
            relations: count(c, "SELECT count(*) FROM relations")?,
            events: count(c, "SELECT count(*) FROM events")?,
            merges: count(c, "SELECT count(*) FROM merges WHERE undone = 0")?,
            schema_version: self.schema_version()?,
        })
    }

    fn generation(&self) -> Result<u64, StoreError> {
        // `data_version` changes when another connection commits, `total_changes()`
        // when this one writes; both only grow, so the packed pair never repeats while
        // this connection lives (total_changes would need 2^32 row changes to wrap).
        // Cached: servers ask on every request.
        let (version, changes): (i64, i64) = self
            .conn
            .prepare_cached("SELECT data_version, total_changes() FROM pragma_data_version")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(((version as u64) << 32) ^ (changes as u64 & 0xffff_ffff))
    }

    // Curation marks reconciliation stale first: a crash in between costs a rebuild,
    // never a stale answer.
    fn merge_entities(&mut self, keep: &str, absorb: &str) -> Result<u64, StoreError> {
        reconcile::mark_stale(&self.conn)?;
        entities::merge(&mut self.conn, keep, absorb)
    }

    fn undo_merge(&mut self, merge_id: u64) -> Result<(), StoreError> {
        reconcile::mark_stale(&self.conn)?;
        entities::undo_merge(&mut self.conn, merge_id)
    }

    fn promote_entity(&mut self, id: &str) -> Result<Entity, StoreError> {
        reconcile::mark_stale(&self.conn)?;
        entities::promote(&mut self.conn, id)
    }

    fn reconcile_valid_for(&self) -> Result<Option<String>, StoreError> {
        reconcile::valid_for(&self.conn)
    }

    fn set_reconcile_valid_for(&self, valid_for: Option<&str>) -> Result<(), StoreError> {
        reconcile::set_valid_for(&self.conn, valid_for)
    }

    fn reconcile_replace_all(
        &self,
        items: &[ReconcileItem],
        terms: &[(String, String)],
        results: &[(String, ReconcileResult)],
        valid_for: &str,
        documents: usize,
    ) -> Result<(), StoreError> {
        reconcile::replace_all(&self.conn, items, terms, results, valid_for, documents)
    }

    fn reconcile_put_items(&self, items: &[ReconcileItem]) -> Result<(), StoreError> {
        reconcile::in_tx(&self.conn, || reconcile::put_items(&self.conn, items))
    }

    fn reconcile_mark_docs(&self, docs: &[String]) -> Result<(), StoreError> {
        reconcile::in_tx(&self.conn, || reconcile::mark_docs(&self.conn, docs))
    }

    fn reconcile_missing_docs(&self) -> Result<Vec<String>, StoreError> {
        reconcile::missing_docs(&self.conn)
    }

    fn reads_as_written(&self) -> Result<bool, StoreError> {
        Ok(self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM merges WHERE undone = 0)",
            [],
            |r| r.get(0),
        )?)
    }

    fn reconcile_mark_dirty(&self, keys: &[String]) -> Result<(), StoreError> {
        reconcile::in_tx(&self.conn, || reconcile::mark_dirty(&self.conn, keys))
    }

    fn reconcile_dirty_keys(&self) -> Result<Vec<String>, StoreError> {
        reconcile::dirty_keys(&self.conn)
    }

    fn reconcile_keys_of_docs(&self, docs: &[String]) -> Result<Vec<String>, StoreError> {
        reconcile::keys_of_docs(&self.conn, docs)
    }

    fn reconcile_terms(&self) -> Result<Vec<(String, String)>, StoreError> {
        reconcile::terms(&self.conn)
    }

    fn reconcile_set_terms(&self, terms: &[(String, String)]) -> Result<(), StoreError> {
        reconcile::in_tx(&self.conn, || reconcile::set_terms(&self.conn, terms))
    }

    fn reconcile_items_naming(&self, terms: &[String]) -> Result<Vec<ReconcileItem>, StoreError> {
        reconcile::items_naming(&self.conn, terms)
    }

    fn reconcile_update_keys(
        &self,
        keys: &[String],
        compute: &mut ReconcileCompute<'_>,
    ) -> Result<(), StoreError> {
        reconcile::in_tx(&self.conn, || {
            reconcile::update_keys(&self.conn, keys, compute)
        })
    }

    fn reconcile_results(&self, corroboration: bool) -> Result<Vec<ReconcileResult>, StoreError> {
        reconcile::results(&self.conn, corroboration)
    }

    fn reconcile_begin_exclusive(&self) -> Result<(), StoreError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    fn reconcile_end_exclusive(&self, commit: bool) -> Result<(), StoreError> {
        if !self.conn.is_autocommit() {
            self.conn
                .execute_batch(if commit { "COMMIT" } else { "ROLLBACK" })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::*;
    use super::*;

    #[test]
    fn reopening_a_database_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/dossier.db");
        {
            let mut s = SqliteStore::open(&path).unwrap();
            s.sync_registry("r1", &registry()).unwrap();
        }
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(s.entities().unwrap().len(), 3);
        drop(s);
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.stats().unwrap().entities, 3);
    }

    #[test]
    fn file_databases_run_in_wal_mode_with_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(&dir.path().join("d.db")).unwrap();
        let mode: String = s
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        let fk: bool = s
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert!(fk);
    }

    #[test]
    fn a_database_from_a_newer_dossier_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        drop(SqliteStore::open(&path).unwrap());
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::NewerSchema { .. }), "{err}");
        assert!(err.to_string().contains("upgrade dossier"));
    }

    #[test]
    fn a_file_that_is_not_a_database_is_reported_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.db");
        std::fs::write(&path, "The Lashkar Front is not a database. ".repeat(200)).unwrap();
        let err = SqliteStore::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("notes.db"));
    }

    #[test]
    fn near_duplicates_written_by_another_connection_are_found_after_the_index_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let mut a = SqliteStore::open(&path).unwrap();
        a.sync_registry("r1", &registry()).unwrap();
        let b = SqliteStore::open(&path).unwrap();
        assert!(b.near_duplicate_candidates(&[7]).unwrap().is_empty());
        let doc = document("late", "sha-late", TEXT);
        let analysis = analysis("late");
        let new = NewDocument {
            doc: &doc,
            fingerprint: &[9],
            bands: &[7, 8],
            analysis: &analysis,
        };
        a.insert_documents(&[new]).unwrap();
        let want = vec![("late".to_string(), vec![9])];
        assert_eq!(
            b.near_duplicate_candidates(&[7]).unwrap(),
            want,
            "other process"
        );
        assert_eq!(
            a.near_duplicate_candidates(&[8]).unwrap(),
            want,
            "own commit"
        );
        drop((a, b));
        let c = SqliteStore::open(&path).unwrap();
        assert_eq!(
            c.near_duplicate_candidates(&[8, 7]).unwrap(),
            want,
            "next run"
        );
    }

    #[test]
    fn band_rows_of_a_version_3_store_are_migrated_to_band_sets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.db");
        {
            let c = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..3] {
                c.execute_batch(sql).unwrap();
            }
            c.pragma_update(None, "user_version", 3).unwrap();
            c.execute_batch(
                "INSERT INTO documents (id, sha256, chars, fingerprint) VALUES
                     ('old', 's1', 1, x'0102'), ('other', 's2', 1, x'03');
                 INSERT INTO doc_bands (band, doc) VALUES
                     (-1, 'old'), (7, 'old'), (7, 'other'), (5, 'other');",
            )
            .unwrap();
        }
        let s = SqliteStore::open(&path).unwrap();
        assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
        // -1 was u64::MAX stored as a signed integer.
        let found = s.near_duplicate_candidates(&[u64::MAX, 7]).unwrap();
        assert_eq!(
            found,
            vec![
                ("old".to_string(), vec![1, 2]),
                ("other".to_string(), vec![3])
            ]
        );
        assert_eq!(s.near_duplicate_candidates(&[5]).unwrap()[0].0, "other");
    }

    #[test]
    fn documents_list_metadata_and_document_adds_text() {
        let s = store_with(&[("a", "sha-a"), ("b", "sha-b")]);
        let docs = s.documents().unwrap();
        assert_eq!(
            docs.iter().map(|d| d.doc.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(docs[0].text, None);
        let full = s.document("b").unwrap().unwrap();
        assert_eq!(full, document("b", "sha-b", TEXT));
        assert_eq!(s.document("zzz").unwrap(), None);
        assert_eq!(s.document_by_sha("sha-b").unwrap().as_deref(), Some("b"));
    }

    #[test]
    fn generation_changes_with_own_and_other_connections_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.db");
        let mut a = SqliteStore::open(&path).unwrap();
        let g0 = a.generation().unwrap();
        assert_eq!(a.generation().unwrap(), g0, "no write, same generation");
        a.sync_registry("r1", &registry()).unwrap();
        let g1 = a.generation().unwrap();
        assert_ne!(g1, g0, "own write");
        let mut b = SqliteStore::open(&path).unwrap();
        b.sync_registry("r2", &registry()[..1]).unwrap();
        let g2 = a.generation().unwrap();
        assert_ne!(g2, g1, "another connection's commit");
        assert_eq!(a.generation().unwrap(), g2);
    }

    #[test]
    fn a_reopened_store_sees_the_same_file_and_memory_ones_cannot_be_reopened() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = SqliteStore::open(&dir.path().join("r.db")).unwrap();
        let b = a.reopen().unwrap().unwrap();
        let g = b.generation().unwrap();
        a.sync_registry("r1", &registry()).unwrap();
        assert_eq!(b.entities().unwrap().len(), 3);
        assert_ne!(b.generation().unwrap(), g, "b sees a's commit");
        assert!(SqliteStore::open_in_memory()
            .unwrap()
            .reopen()
            .unwrap()
            .is_none());
    }

    #[test]
    fn stats_count_every_table() {
        let s = store_with(&[("a", "sha-a"), ("b", "sha-b")]);
        let st = s.stats().unwrap();
        assert_eq!(st.documents, 2);
        assert_eq!(st.entities, 4, "3 registry + 1 discovered seen twice");
        assert_eq!(st.discovered_entities, 1);
        assert_eq!(st.mentions, 8);
        assert_eq!((st.figures, st.relations, st.events), (2, 2, 2));
        assert_eq!(st.learned_aliases, 2);
        assert_eq!(st.schema_version, SCHEMA_VERSION);
    }
}
