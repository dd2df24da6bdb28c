//! Incremental reconciliation's tables (migration 0005): prepared items by group key,
//! the names they looked up, each key's results, and which reconciler those are valid
//! for. One process writes at a time (SQLite's write lock), so a key's recomputation
//! inside an immediate transaction reads every committed item of the key.

use std::collections::{BTreeSet, HashMap};

use dossier_model::Document;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{document_from_row, DOCUMENT_COLUMNS};
use crate::{copy_closure, ReconcileCompute, ReconcileItem, ReconcileResult, StoreError};

/// Runs `f` in an immediate transaction, or inside the one already open (an exclusive
/// section, see `Store::reconcile_begin_exclusive`).
pub(super) fn in_tx<T>(
    conn: &Connection,
    f: impl FnOnce() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    if !conn.is_autocommit() {
        return f();
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match f() {
        Ok(v) => {
            conn.execute_batch("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            // The error that matters is `e`; a failed rollback leaves nothing to undo.
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Results are stale once the store holds a document (an empty store has none to be).
pub(super) fn mark_stale(conn: &Connection) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE reconcile_state SET valid_for = NULL WHERE EXISTS (SELECT 1 FROM documents)",
        [],
    )?;
    Ok(())
}

pub(super) fn valid_for(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT valid_for FROM reconcile_state WHERE id = 1",
            [],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

pub(super) fn set_valid_for(conn: &Connection, valid_for: Option<&str>) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO reconcile_state (id, valid_for) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET valid_for = excluded.valid_for",
        [valid_for],
    )?;
    Ok(())
}

fn item_from_row(r: &Row<'_>) -> rusqlite::Result<ReconcileItem> {
    let terms: String = r.get(3)?;
    Ok(ReconcileItem {
        doc: r.get(0)?,
        seq: r.get(1)?,
        key: r.get(2)?,
        terms: serde_json::from_str(&terms).unwrap_or_default(),
        body: r.get(4)?,
    })
}

pub(super) fn put_items(conn: &Connection, items: &[ReconcileItem]) -> Result<(), StoreError> {
    let mut old =
        conn.prepare_cached("SELECT terms FROM reconcile_items WHERE doc = ?1 AND seq = ?2")?;
    let mut unlink = conn.prepare_cached(
        "DELETE FROM reconcile_term_items WHERE term = ?1 AND doc = ?2 AND seq = ?3",
    )?;
    let mut put = conn.prepare_cached(
        "INSERT OR REPLACE INTO reconcile_items (doc, seq, key, terms, body) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut link = conn.prepare_cached(
        "INSERT OR IGNORE INTO reconcile_term_items (term, doc, seq) VALUES (?1, ?2, ?3)",
    )?;
    let mut has_items =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM reconcile_items WHERE doc = ?1)")?;
    // A new document's items replace nothing: one check per document, not per item.
    let mut fresh: HashMap<&str, bool> = HashMap::new();
    for it in items {
        let is_fresh = match fresh.get(it.doc.as_str()) {
            Some(&f) => f,
            None => {
                let f = !has_items.query_row([&it.doc], |r| r.get::<_, bool>(0))?;
                fresh.insert(it.doc.as_str(), f);
                f
            }
        };
        let before: Option<String> = if is_fresh {
            None
        } else {
            old.query_row(params![it.doc, it.seq], |r| r.get(0))
                .optional()?
        };
        if let Some(before) = before {
            let terms: Vec<String> = serde_json::from_str(&before).unwrap_or_default();
            for t in terms {
                unlink.execute(params![t, it.doc, it.seq])?;
            }
        }
        let terms = serde_json::to_string(&it.terms).unwrap_or_else(|_| "[]".into());
        put.execute(params![it.doc, it.seq, it.key, terms, it.body])?;
        for t in &it.terms {
            link.execute(params![t, it.doc, it.seq])?;
        }
    }
    Ok(())
}

pub(super) fn mark_dirty(conn: &Connection, keys: &[String]) -> Result<(), StoreError> {
    let gen: i64 = conn.query_row(
        "SELECT coalesce(max(gen), 0) + 1 FROM reconcile_dirty",
        [],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO reconcile_dirty (key, gen) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET gen = excluded.gen",
    )?;
    for k in keys {
        stmt.execute(params![k, gen])?;
    }
    Ok(())
}

pub(super) fn dirty_keys(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT key FROM reconcile_dirty ORDER BY key")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn mark_docs(conn: &Connection, docs: &[String]) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached("INSERT OR IGNORE INTO reconcile_docs (doc) VALUES (?1)")?;
    for d in docs {
        stmt.execute([d])?;
    }
    Ok(())
}

pub(super) fn missing_docs(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM documents d
         WHERE NOT EXISTS (SELECT 1 FROM reconcile_docs r WHERE r.doc = d.id) ORDER BY num",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn keys_of_docs(conn: &Connection, docs: &[String]) -> Result<Vec<String>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT key FROM reconcile_items WHERE doc = ?1")?;
    let mut keys = BTreeSet::new();
    for d in docs {
        for k in stmt.query_map([d], |r| r.get::<_, String>(0))? {
            keys.insert(k?);
        }
    }
    Ok(keys.into_iter().collect())
}

pub(super) fn terms(conn: &Connection) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT term, state FROM reconcile_terms")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn set_terms(conn: &Connection, terms: &[(String, String)]) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO reconcile_terms (term, state) VALUES (?1, ?2)
         ON CONFLICT (term) DO UPDATE SET state = excluded.state",
    )?;
    for (t, s) in terms {
        stmt.execute(params![t, s])?;
    }
    Ok(())
}

pub(super) fn items_naming(
    conn: &Connection,
    terms: &[String],
) -> Result<Vec<ReconcileItem>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.doc, i.seq, i.key, i.terms, i.body FROM reconcile_term_items t
         JOIN reconcile_items i ON i.doc = t.doc AND i.seq = t.seq WHERE t.term = ?1",
    )?;
    let mut out: Vec<ReconcileItem> = Vec::new();
    for t in terms {
        for it in stmt.query_map([t], item_from_row)? {
            out.push(it?);
        }
    }
    out.sort_by(|a, b| (&a.doc, a.seq).cmp(&(&b.doc, b.seq)));
    out.dedup_by(|a, b| (&a.doc, a.seq) == (&b.doc, b.seq));
    Ok(out)
}

pub(super) fn update_keys(
    conn: &Connection,
    keys: &[String],
    compute: &mut ReconcileCompute<'_>,
) -> Result<(), StoreError> {
    let keys: BTreeSet<&String> = keys.iter().collect();
    if keys.is_empty() {
        return Ok(());
    }
    // Every document's metadata once (cheap next to the items), for copy clusters.
    let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM documents");
    let docs: Vec<Document> = conn
        .prepare(&sql)?
        .query_map([], document_from_row)?
        .collect::<Result<_, _>>()?;
    let by_id: HashMap<&str, &Document> = docs.iter().map(|d| (d.doc.as_str(), d)).collect();
    let mut of: HashMap<&str, &str> = HashMap::new();
    let mut copies: HashMap<&str, Vec<&str>> = HashMap::new();
    for d in &docs {
        if let Some(o) = d.near_duplicate_of.as_deref() {
            of.insert(d.doc.as_str(), o);
            copies.entry(o).or_default().push(d.doc.as_str());
        }
    }
    // One writer at a time (the transaction holds SQLite's write lock): no mark can
    // appear between reading a key and clearing it. Many keys are read in one scan.
    let mut by_key: HashMap<String, Vec<ReconcileItem>> = HashMap::new();
    let total: i64 =
        conn.query_row("SELECT count(DISTINCT key) FROM reconcile_items", [], |r| {
            r.get(0)
        })?;
    if keys.len() * 4 > usize::try_from(total).unwrap_or(0) {
        let mut all = conn
            .prepare("SELECT doc, seq, key, terms, body FROM reconcile_items ORDER BY doc, seq")?;
        for it in all.query_map([], item_from_row)? {
            let it = it?;
            if keys.contains(&it.key) {
                by_key.entry(it.key.clone()).or_default().push(it);
            }
        }
    } else {
        let mut items_of = conn.prepare_cached(
            "SELECT doc, seq, key, terms, body FROM reconcile_items WHERE key = ?1 ORDER BY doc, seq",
        )?;
        for key in &keys {
            let items: Vec<ReconcileItem> = items_of
                .query_map([key], item_from_row)?
                .collect::<Result<_, _>>()?;
            by_key.insert(key.to_string(), items);
        }
    }
    let stored: BTreeSet<String> = conn
        .prepare("SELECT key FROM reconcile_results")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let dirty: BTreeSet<String> = conn
        .prepare("SELECT key FROM reconcile_dirty")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut put = conn.prepare_cached(
        "INSERT OR REPLACE INTO reconcile_results (key, disputes, contested, corroboration)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut drop = conn.prepare_cached("DELETE FROM reconcile_results WHERE key = ?1")?;
    let none = Vec::new();
    for &key in &keys {
        let items = by_key.get(key.as_str()).unwrap_or(&none);
        let closure = copy_closure(items.iter().map(|i| i.doc.as_str()), &of, &copies);
        let metas: Vec<Document> = closure
            .iter()
            .filter_map(|d| by_id.get(d.as_str()).map(|&d| d.clone()))
            .collect();
        match compute(key, items, &metas) {
            Some(r) => {
                put.execute(params![key, r.disputes, r.contested, r.corroboration])?;
            }
            None if stored.contains(key.as_str()) => {
                drop.execute([key])?;
            }
            None => {}
        }
    }
    if dirty.iter().all(|k| keys.contains(k)) {
        conn.execute("DELETE FROM reconcile_dirty", [])?;
    } else {
        let mut clear = conn.prepare_cached("DELETE FROM reconcile_dirty WHERE key = ?1")?;
        for k in dirty.iter().filter(|k| keys.contains(k)) {
            clear.execute([k])?;
        }
    }
    Ok(())
}

pub(super) fn results(
    conn: &Connection,
    corroboration: bool,
) -> Result<Vec<ReconcileResult>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT disputes, contested, CASE WHEN ?1 THEN corroboration ELSE '' END
         FROM reconcile_results WHERE ?1 OR disputes <> '[]' OR contested <> '[]'",
    )?;
    let rows = stmt.query_map([corroboration], |r| {
        Ok(ReconcileResult {
            disputes: r.get(0)?,
            contested: r.get(1)?,
            corroboration: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn replace_all(
    conn: &Connection,
    items: &[ReconcileItem],
    terms: &[(String, String)],
    results: &[(String, ReconcileResult)],
    valid_for: &str,
    documents: usize,
) -> Result<(), StoreError> {
    in_tx(conn, || {
        conn.execute_batch(
            "DELETE FROM reconcile_items; DELETE FROM reconcile_term_items;
             DELETE FROM reconcile_terms; DELETE FROM reconcile_results;
             DELETE FROM reconcile_dirty; DELETE FROM reconcile_docs; INSERT INTO reconcile_docs (doc) SELECT id FROM documents;",
        )?;
        put_items(conn, items)?;
        set_terms(conn, terms)?;
        let mut put = conn.prepare_cached(
            "INSERT OR REPLACE INTO reconcile_results (key, disputes, contested, corroboration)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (k, r) in results {
            put.execute(params![k, r.disputes, r.contested, r.corroboration])?;
        }
        let stored: i64 = conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))?;
        let same = usize::try_from(stored).is_ok_and(|n| n == documents);
        set_valid_for(conn, same.then_some(valid_for))
    })
}
