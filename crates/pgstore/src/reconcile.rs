//! Incremental reconciliation's tables on PostgreSQL (migration 0002). Each key is
//! recomputed in its own transaction under `pg_advisory_xact_lock(hash of the key)`,
//! reading committed items and documents: two workers touching one key take turns
//! and the later one sees both's items. The check of names against the entity tables
//! runs under one session-level advisory lock ([`RECONCILE_LOCK`]).

use std::collections::BTreeSet;

use dossier_model::Document;
use dossier_store::{ReconcileCompute, ReconcileItem, ReconcileResult};
use postgres::{Client, GenericClient, Row};

use crate::error::Result;
use crate::read::{document_from_row, DOCUMENT_COLUMNS};

/// Session advisory lock of the exclusive section ("reconcil" in ASCII).
pub(crate) const RECONCILE_LOCK: i64 = 0x7265_636f_6e63_696c;

/// A stable 64-bit lock key for a group key (FNV-1a).
fn lock_key(key: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    i64::from_ne_bytes(h.to_ne_bytes())
}

pub(crate) fn mark_stale(c: &mut impl GenericClient) -> Result<()> {
    c.execute(
        "UPDATE reconcile_state SET valid_for = NULL WHERE EXISTS (SELECT 1 FROM documents)",
        &[],
    )?;
    Ok(())
}

pub(crate) fn valid_for(c: &mut Client) -> Result<Option<String>> {
    Ok(
        c.query_opt("SELECT valid_for FROM reconcile_state WHERE id = 1", &[])?
            .and_then(|r| r.get::<_, Option<String>>(0)),
    )
}

pub(crate) fn set_valid_for(c: &mut impl GenericClient, v: Option<&str>) -> Result<()> {
    c.execute(
        "INSERT INTO reconcile_state (id, valid_for) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET valid_for = excluded.valid_for",
        &[&v],
    )?;
    Ok(())
}

fn item_from_row(r: &Row) -> Result<ReconcileItem> {
    let seq: i32 = r.try_get(1)?;
    Ok(ReconcileItem {
        doc: r.try_get(0)?,
        seq: u32::try_from(seq).unwrap_or(0),
        key: r.try_get(2)?,
        terms: r.try_get(3)?,
        body: r.try_get(4)?,
    })
}

fn seq(it: &ReconcileItem) -> i32 {
    i32::try_from(it.seq).unwrap_or(i32::MAX)
}

/// Separates an item's terms in one text value (names never hold the unit separator).
const TERM_SEP: char = '\u{1f}';

/// Stores items (replacing the same doc and seq), in three statements whatever their
/// number: a worker's catch-up writes thousands at once, and a round trip per row was
/// most of its time.
pub(crate) fn put_items(c: &mut impl GenericClient, items: &[ReconcileItem]) -> Result<()> {
    // One row per (doc, seq): the last written wins, as row by row it would.
    let mut rows: std::collections::BTreeMap<(&str, i32), &ReconcileItem> = Default::default();
    for it in items {
        rows.insert((it.doc.as_str(), seq(it)), it);
    }
    if rows.is_empty() {
        return Ok(());
    }
    let docs: Vec<&str> = rows.keys().map(|k| k.0).collect();
    let seqs: Vec<i32> = rows.keys().map(|k| k.1).collect();
    let keys: Vec<&str> = rows.values().map(|it| it.key.as_str()).collect();
    let terms: Vec<String> = rows
        .values()
        .map(|it| it.terms.join(&TERM_SEP.to_string()))
        .collect();
    let bodies: Vec<&str> = rows.values().map(|it| it.body.as_str()).collect();
    c.execute(
        "DELETE FROM reconcile_term_items t USING unnest($1::text[], $2::int[]) AS u(doc, seq)
         WHERE t.doc = u.doc AND t.seq = u.seq",
        &[&docs, &seqs],
    )?;
    c.execute(
        "INSERT INTO reconcile_items (doc, seq, key, terms, body)
         SELECT doc, seq, key, CASE WHEN terms = '' THEN '{}'::text[]
                                    ELSE string_to_array(terms, chr(31)) END, body
         FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[])
              AS u(doc, seq, key, terms, body)
         ON CONFLICT (doc, seq) DO UPDATE
         SET key = excluded.key, terms = excluded.terms, body = excluded.body",
        &[&docs, &seqs, &keys, &terms, &bodies],
    )?;
    let (mut t_docs, mut t_terms, mut t_seqs) = (Vec::new(), Vec::new(), Vec::new());
    for ((doc, s), it) in &rows {
        for t in &it.terms {
            t_docs.push(*doc);
            t_terms.push(t.as_str());
            t_seqs.push(*s);
        }
    }
    c.execute(
        "INSERT INTO reconcile_term_items (doc, term, seq)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
         ON CONFLICT DO NOTHING",
        &[&t_docs, &t_terms, &t_seqs],
    )?;
    Ok(())
}

pub(crate) fn mark_dirty(c: &mut Client, keys: &[String]) -> Result<()> {
    c.execute(
        "INSERT INTO reconcile_dirty (key, gen)
         SELECT k, nextval('reconcile_dirty_gen') FROM unnest($1::text[]) AS k
         ON CONFLICT (key) DO UPDATE SET gen = excluded.gen",
        &[&keys],
    )?;
    Ok(())
}

pub(crate) fn dirty_keys(c: &mut Client) -> Result<Vec<String>> {
    let rows = c.query("SELECT key FROM reconcile_dirty ORDER BY key", &[])?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub(crate) fn mark_docs(c: &mut Client, docs: &[String]) -> Result<()> {
    c.execute(
        "INSERT INTO reconcile_docs (doc) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
        &[&docs],
    )?;
    Ok(())
}

pub(crate) fn missing_docs(c: &mut Client) -> Result<Vec<String>> {
    let rows = c.query(
        "SELECT id FROM documents d
         WHERE NOT EXISTS (SELECT 1 FROM reconcile_docs r WHERE r.doc = d.id) ORDER BY num",
        &[],
    )?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub(crate) fn keys_of_docs(c: &mut Client, docs: &[String]) -> Result<Vec<String>> {
    let rows = c.query(
        "SELECT DISTINCT key FROM reconcile_items WHERE doc = ANY($1) ORDER BY key",
        &[&docs],
    )?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

pub(crate) fn terms(c: &mut Client) -> Result<Vec<(String, String)>> {
    let rows = c.query("SELECT term, state FROM reconcile_terms", &[])?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub(crate) fn set_terms(c: &mut impl GenericClient, terms: &[(String, String)]) -> Result<()> {
    for (t, s) in terms {
        c.execute(
            "INSERT INTO reconcile_terms (term, state) VALUES ($1, $2)
             ON CONFLICT (term) DO UPDATE SET state = excluded.state",
            &[t, s],
        )?;
    }
    Ok(())
}

pub(crate) fn items_naming(c: &mut Client, terms: &[String]) -> Result<Vec<ReconcileItem>> {
    let rows = c.query(
        "SELECT DISTINCT i.doc, i.seq, i.key, i.terms, i.body FROM reconcile_term_items t
         JOIN reconcile_items i ON i.doc = t.doc AND i.seq = t.seq
         WHERE t.term = ANY($1) ORDER BY i.doc, i.seq",
        &[&terms],
    )?;
    rows.iter().map(item_from_row).collect()
}

/// The documents `docs` and every copy linked to them either way, as committed.
fn copy_cluster(c: &mut impl GenericClient, docs: &[String]) -> Result<Vec<Document>> {
    let sql = format!(
        "SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ANY($1) OR near_dup_of = ANY($1)"
    );
    let mut expanded: BTreeSet<String> = BTreeSet::new();
    let mut found: std::collections::BTreeMap<String, Document> = Default::default();
    let mut frontier: Vec<String> = docs.to_vec();
    while !frontier.is_empty() {
        let mut next = BTreeSet::new();
        for r in c.query(&sql, &[&frontier])? {
            let d = document_from_row(&r)?;
            next.insert(d.doc.clone());
            next.extend(d.near_duplicate_of.clone());
            found.insert(d.doc.clone(), d);
        }
        expanded.extend(frontier);
        frontier = next.into_iter().filter(|d| !expanded.contains(d)).collect();
    }
    Ok(found.into_values().collect())
}

pub(crate) fn update_keys(
    c: &mut Client,
    keys: &[String],
    compute: &mut ReconcileCompute<'_>,
) -> Result<()> {
    let keys: BTreeSet<&String> = keys.iter().collect();
    for key in keys {
        let mut tx = c.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&lock_key(key)])?;
        // Marks set after this read are someone else's to clear: their items may
        // not be visible to the read below.
        let seen: Option<i64> = tx
            .query_opt("SELECT gen FROM reconcile_dirty WHERE key = $1", &[key])?
            .map(|r| r.get(0));
        let items: Vec<ReconcileItem> = tx
            .query(
                "SELECT doc, seq, key, terms, body FROM reconcile_items WHERE key = $1
                 ORDER BY doc, seq",
                &[key],
            )?
            .iter()
            .map(item_from_row)
            .collect::<Result<_>>()?;
        let docs: Vec<String> = items
            .iter()
            .map(|i| i.doc.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let metas = copy_cluster(&mut tx, &docs)?;
        match compute(key, &items, &metas) {
            Some(r) => tx.execute(
                "INSERT INTO reconcile_results (key, disputes, contested, corroboration)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (key) DO UPDATE SET disputes = excluded.disputes,
                 contested = excluded.contested, corroboration = excluded.corroboration",
                &[key, &r.disputes, &r.contested, &r.corroboration],
            )?,
            None => tx.execute("DELETE FROM reconcile_results WHERE key = $1", &[key])?,
        };
        if let Some(gen) = seen {
            tx.execute(
                "DELETE FROM reconcile_dirty WHERE key = $1 AND gen <= $2",
                &[key, &gen],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

pub(crate) fn results(c: &mut Client, corroboration: bool) -> Result<Vec<ReconcileResult>> {
    let rows = c.query(
        "SELECT disputes, contested, CASE WHEN $1 THEN corroboration ELSE '' END
         FROM reconcile_results WHERE $1 OR disputes <> '[]' OR contested <> '[]'",
        &[&corroboration],
    )?;
    Ok(rows
        .iter()
        .map(|r| ReconcileResult {
            disputes: r.get(0),
            contested: r.get(1),
            corroboration: r.get(2),
        })
        .collect())
}

pub(crate) fn replace_all(
    c: &mut Client,
    items: &[ReconcileItem],
    terms: &[(String, String)],
    results: &[(String, ReconcileResult)],
    valid_for: &str,
    documents: usize,
) -> Result<()> {
    let mut tx = c.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&RECONCILE_LOCK])?;
    tx.batch_execute(
        "DELETE FROM reconcile_items; DELETE FROM reconcile_term_items;
         DELETE FROM reconcile_terms; DELETE FROM reconcile_results;
         DELETE FROM reconcile_dirty; DELETE FROM reconcile_docs; INSERT INTO reconcile_docs (doc) SELECT id FROM documents;",
    )?;
    put_items(&mut tx, items)?;
    set_terms(&mut tx, terms)?;
    for (k, r) in results {
        tx.execute(
            "INSERT INTO reconcile_results (key, disputes, contested, corroboration)
             VALUES ($1, $2, $3, $4)",
            &[k, &r.disputes, &r.contested, &r.corroboration],
        )?;
    }
    let stored: i64 = tx.query_one("SELECT count(*) FROM documents", &[])?.get(0);
    let same = usize::try_from(stored).is_ok_and(|n| n == documents);
    set_valid_for(&mut tx, same.then_some(valid_for))?;
    tx.commit()?;
    Ok(())
}
