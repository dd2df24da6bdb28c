//! Writes: documents with their whole analysis (one per transaction, or a batch per
//! transaction), and the registry sync.

use dossier_model::{Analysis, Entity};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::bands::{to_blob, BandIndex};
use super::to_i64;
use crate::query::{date_bounds, name_key};
use crate::{NewDocument, StoreError};

pub(super) fn document_by_sha(
    conn: &Connection,
    sha256: &str,
) -> Result<Option<String>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT id FROM documents WHERE sha256 = ?1")?;
    Ok(stmt.query_row([sha256], |r| r.get(0)).optional()?)
}

/// `(date_lo, date_hi)` for a record: its own date if it has a usable one, else the
/// document's.
type Dates = Option<(String, String)>;

fn record_dates(own: Option<&str>, doc: &Dates) -> Dates {
    own.and_then(date_bounds).or_else(|| doc.clone())
}

fn lo(d: &Dates) -> Option<&str> {
    d.as_ref().map(|(lo, _)| lo.as_str())
}

fn hi(d: &Dates) -> Option<&str> {
    d.as_ref().map(|(_, hi)| hi.as_str())
}

/// Every record is stored under the document's id, whatever its own `doc` field says, so
/// a caller that assigned the id after extraction cannot scatter claims.
pub(super) fn insert_document(
    conn: &mut Connection,
    index: &mut BandIndex,
    nd: &NewDocument<'_>,
) -> Result<(), StoreError> {
    // IMMEDIATE takes the write lock up front: a deferred transaction that reads first
    // could fail to upgrade under a concurrent writer instead of waiting.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let before = last_num(&tx)?;
    let num = insert_one(&tx, nd)?;
    index_text_after(&tx, before)?;
    tx.commit()?;
    index.added(before, &[(num, nd.bands)]);
    Ok(())
}

/// The highest document number so far (0 for none).
fn last_num(tx: &Connection) -> Result<i64, StoreError> {
    Ok(tx
        .prepare_cached("SELECT coalesce(max(num), 0) FROM documents")?
        .query_row([], |r| r.get(0))?)
}

/// Adds the documents numbered above `before` to the full-text index, in one statement
/// that must be the transaction's last write: FTS5 writes a segment at every statement
/// savepoint after it joined the transaction (see migration 0003).
fn index_text_after(tx: &Connection, before: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO documents_fts (rowid, title, text)
         SELECT num, title, text FROM documents WHERE num > ?1 ORDER BY num",
    )?
    .execute([before])?;
    Ok(())
}

/// Many documents in one transaction. One commit per batch is what makes bulk ingest
/// fast: a commit rewrites every index and FTS page the transaction touched, and the
/// documents of a batch share most of them.
///
/// A bad document must not take its batch down with it. Duplicates and taken ids are
/// found by reads before the document writes anything, so they are simply skipped. A
/// write that fails midway (a record breaking a constraint) rolls the whole transaction
/// back, and the batch is redone without that document. Savepoints per document would
/// do the same without the redo, but every savepoint release flushes FTS5's pending
/// index to a new segment, which costs as much as the commits batching saves.
pub(super) fn insert_documents(
    conn: &mut Connection,
    index: &mut BandIndex,
    docs: &[NewDocument<'_>],
) -> Result<Vec<Result<(), StoreError>>, StoreError> {
    // Documents whose writes failed in an earlier attempt, with why.
    let mut broken: Vec<Option<StoreError>> = docs.iter().map(|_| None).collect();
    'attempt: loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let before = last_num(&tx)?;
        let mut results = Vec::with_capacity(docs.len());
        let mut written: Vec<(i64, &[u64])> = Vec::with_capacity(docs.len());
        for (i, nd) in docs.iter().enumerate() {
            if broken[i].is_some() {
                results.push(Ok(())); // replaced by the recorded error below
                continue;
            }
            if let Err(e) = check_one(&tx, nd) {
                results.push(Err(e));
                continue;
            }
            match write_one(&tx, nd) {
                Ok(num) => {
                    written.push((num, nd.bands));
                    results.push(Ok(()));
                }
                Err(e) if blames_the_document(&e) => {
                    broken[i] = Some(e);
                    drop(tx); // rolls back
                    continue 'attempt;
                }
                Err(e) => return Err(e),
            }
        }
        index_text_after(&tx, before)?;
        tx.commit()?;
        index.added(before, &written);
        return Ok(results
            .into_iter()
            .zip(broken)
            .map(|(r, b)| b.map_or(r, Err))
            .collect());
    }
}

/// Whether a failed write is the document's fault (it is rejected, the batch goes on)
/// rather than the database's (disk full, I/O: the whole batch fails).
fn blames_the_document(e: &StoreError) -> bool {
    use rusqlite::ErrorCode;
    match e {
        StoreError::User(_) | StoreError::Duplicate { .. } => true,
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => matches!(
            f.code,
            ErrorCode::ConstraintViolation | ErrorCode::TooBig | ErrorCode::TypeMismatch
        ),
        StoreError::Sqlite(rusqlite::Error::ToSqlConversionFailure(_)) => true,
        _ => false,
    }
}

/// Check and writes of one document, inside a transaction the caller owns.
fn insert_one(tx: &Connection, nd: &NewDocument<'_>) -> Result<i64, StoreError> {
    check_one(tx, nd)?;
    write_one(tx, nd)
}

/// The reasons to refuse a document found by reading alone: same text, or id taken.
fn check_one(tx: &Connection, nd: &NewDocument<'_>) -> Result<(), StoreError> {
    let d = nd.doc;
    if let Some(existing) = document_by_sha(tx, &d.sha256)? {
        return Err(StoreError::Duplicate {
            new_id: d.doc.clone(),
            existing,
            sha256: d.sha256.clone(),
        });
    }
    if tx
        .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?
        .exists([&d.doc])?
    {
        return Err(StoreError::user(format!(
            "document id `{}` is already taken; choose another (unique_doc_id gives a free one)",
            d.doc
        )));
    }
    Ok(())
}

/// The writes of one document, after [`check_one`]; returns its `num`.
fn write_one(tx: &Connection, nd: &NewDocument<'_>) -> Result<i64, StoreError> {
    let d = nd.doc;
    let doc_dates = d.published.as_deref().and_then(date_bounds);
    tx.prepare_cached(
        "INSERT INTO documents (id, sha256, title, published, publisher, author, url, chars,
                                near_dup_of, origin, text, fingerprint, date_lo, date_hi)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        d.doc,
        d.sha256,
        d.title,
        d.published,
        d.publisher,
        d.author,
        d.url,
        to_i64(d.chars),
        d.near_duplicate_of,
        d.origin,
        d.text,
        nd.fingerprint,
        lo(&doc_dates),
        hi(&doc_dates),
    ])?;
    let num = tx.last_insert_rowid();
    if !nd.bands.is_empty() {
        tx.prepare_cached("INSERT INTO doc_band_sets (num, bands) VALUES (?1, ?2)")?
            .execute(params![num, to_blob(nd.bands)])?;
    }
    insert_analysis(tx, &d.doc, &doc_dates, nd.analysis)?;
    Ok(num)
}

fn insert_analysis(
    tx: &Connection,
    doc: &str,
    doc_dates: &Dates,
    a: &Analysis,
) -> Result<(), StoreError> {
    for e in &a.discovered {
        upsert_discovered(tx, doc, e)?;
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT OR IGNORE INTO aliases (entity, alias, alias_key, source, doc, span_start, span_end)
             VALUES (?1, ?2, ?3, 'learned', ?4, ?5, ?6)",
        )?;
        for l in &a.learned_aliases {
            stmt.execute(params![
                l.entity,
                l.alias,
                name_key(&l.alias),
                doc,
                to_i64(l.start),
                to_i64(l.end)
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO mentions (doc, entity, span_start, span_end, text, rule, date_lo, date_hi)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for m in &a.mentions {
            stmt.execute(params![
                doc,
                m.entity,
                to_i64(m.start),
                to_i64(m.end),
                m.text,
                m.rule,
                lo(doc_dates),
                hi(doc_dates)
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO figures (doc, value, value_max, bound, unit, metric, subject, period, place,
                                  source, hedged, span_start, span_end, text, rule, date_lo, date_hi)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )?;
        for f in &a.figures {
            let dates = record_dates(f.period.as_deref(), doc_dates);
            stmt.execute(params![
                doc,
                f.value,
                f.value_max,
                f.bound.as_str(),
                f.unit,
                f.metric.as_str(),
                f.subject,
                f.period,
                f.place,
                f.source,
                f.hedged,
                to_i64(f.start),
                to_i64(f.end),
                f.text,
                f.rule,
                lo(&dates),
                hi(&dates)
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO relations (doc, source, type, target, stance, attributed_to, span_start,
                                    span_end, text, rule, date_lo, date_hi)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for r in &a.relations {
            stmt.execute(params![
                doc,
                r.source,
                r.relation_type.as_str(),
                r.target,
                r.stance.as_str(),
                r.attributed_to,
                to_i64(r.start),
                to_i64(r.end),
                r.text,
                r.rule,
                lo(doc_dates),
                hi(doc_dates)
            ])?;
        }
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO events (doc, type, date, date_precision, place, perpetrator, target, killed,
                                 injured, span_start, span_end, text, rule, date_lo, date_hi)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        for e in &a.events {
            let dates = record_dates(e.date.as_deref(), doc_dates);
            stmt.execute(params![
                doc,
                e.event_type.as_str(),
                e.date,
                e.date_precision.as_str(),
                e.place,
                e.perpetrator,
                e.target,
                e.killed,
                e.injured,
                to_i64(e.start),
                to_i64(e.end),
                e.text,
                e.rule,
                lo(&dates),
                hi(&dates)
            ])?;
        }
    }
    Ok(())
}

/// A discovered entity is one row however many documents find it (its id comes from its
/// normalized name): later sightings only fill fields still unknown, and never demote a
/// registry entity that happens to share the id.
fn upsert_discovered(tx: &Connection, doc: &str, e: &Entity) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO entities (id, canonical, name_key, type, country, lat, lon, parent, role,
                               discovered, curated, first_doc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, 0, ?10)
         ON CONFLICT (id) DO UPDATE SET
             country = coalesce(entities.country, excluded.country),
             lat = coalesce(entities.lat, excluded.lat),
             lon = coalesce(entities.lon, excluded.lon),
             parent = coalesce(entities.parent, excluded.parent),
             role = coalesce(entities.role, excluded.role)",
    )?
    .execute(params![
        e.id,
        e.canonical,
        name_key(&e.canonical),
        e.entity_type.as_str(),
        e.country,
        e.lat,
        e.lon,
        e.parent,
        e.role,
        doc
    ])?;
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO aliases (entity, alias, alias_key, source, doc)
         VALUES (?1, ?2, ?3, 'discovered', ?4)",
    )?;
    for alias in &e.aliases {
        stmt.execute(params![e.id, alias, name_key(alias), doc])?;
    }
    Ok(())
}

const REGISTRY_HASH_KEY: &str = "registry_hash";

pub(super) fn sync_registry(
    conn: &mut Connection,
    hash: &str,
    entities: &[Entity],
) -> Result<bool, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let old: Option<String> = tx
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([REGISTRY_HASH_KEY], |r| r.get(0))
        .optional()?;
    if old.as_deref() == Some(hash) {
        return Ok(false);
    }
    // Registry aliases are replaced wholesale: the file is the truth for them.
    tx.execute("DELETE FROM aliases WHERE source = 'registry'", [])?;
    {
        let mut upsert = tx.prepare_cached(
            "INSERT INTO entities (id, canonical, name_key, type, country, lat, lon, parent, role,
                                   discovered)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0)
             ON CONFLICT (id) DO UPDATE SET
                 canonical = excluded.canonical, name_key = excluded.name_key,
                 type = excluded.type, country = excluded.country, lat = excluded.lat,
                 lon = excluded.lon, parent = excluded.parent, role = excluded.role,
                 discovered = 0",
        )?;
        let mut alias = tx.prepare_cached(
            "INSERT OR IGNORE INTO aliases (entity, alias, alias_key, source)
             VALUES (?1, ?2, ?3, 'registry')",
        )?;
        for e in entities {
            upsert.execute(params![
                e.id,
                e.canonical,
                name_key(&e.canonical),
                e.entity_type.as_str(),
                e.country,
                e.lat,
                e.lon,
                e.parent,
                e.role
            ])?;
            for a in &e.aliases {
                alias.execute(params![e.id, a, name_key(a)])?;
            }
        }
    }
    let ids: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
    let ids = serde_json::to_string(&ids).map_err(|e| StoreError::user(e.to_string()))?;
    tx.execute(
        "DELETE FROM entities WHERE discovered = 0
         AND id NOT IN (SELECT value FROM json_each(?1))",
        [ids],
    )?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [REGISTRY_HASH_KEY, hash],
    )?;
    tx.commit()?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use dossier_model::Analysis;

    use super::super::fixture::*;
    use crate::{NewDocument, Store, StoreError};

    fn insert(
        store: &mut crate::SqliteStore,
        id: &str,
        sha: &str,
        a: &Analysis,
    ) -> Result<(), StoreError> {
        let doc = document(id, sha, TEXT);
        store.insert_document(&NewDocument {
            doc: &doc,
            fingerprint: &[],
            bands: &[5],
            analysis: a,
        })
    }

    #[test]
    fn a_record_that_breaks_a_constraint_leaves_no_partial_document() {
        let mut s = store_with(&[]);
        let mut bad = analysis("a");
        // An inverted span violates CHECK (span_start <= span_end) after the document row,
        // its bands, entities, aliases and mentions were written in the same transaction.
        bad.events[0].start = 50;
        bad.events[0].end = 10;
        let err = insert(&mut s, "a", "sha-a", &bad).unwrap_err();
        assert!(matches!(err, StoreError::Sqlite(_)), "{err}");
        let st = s.stats().unwrap();
        assert_eq!(
            (st.documents, st.mentions, st.figures, st.relations),
            (0, 0, 0, 0)
        );
        assert_eq!(st.discovered_entities, 0);
        assert_eq!(s.document_by_sha("sha-a").unwrap(), None);
        assert!(s.near_duplicate_candidates(&[5]).unwrap().is_empty());
        // The store is still usable, and the same document can now go in correctly.
        insert(&mut s, "a", "sha-a", &analysis("a")).unwrap();
        assert_eq!(s.stats().unwrap().events, 1);
    }

    #[test]
    fn registry_sync_is_skipped_when_the_hash_is_unchanged() {
        let mut s = store_with(&[]);
        assert!(!s.sync_registry("r1", &registry()).unwrap());
        let mut changed = registry();
        changed[0].aliases = vec!["Lashkar".into()];
        changed.pop(); // "un" left the registry
        assert!(s.sync_registry("r2", &changed).unwrap());
        let lf = s.entity("lashkar-front").unwrap().unwrap();
        assert_eq!(lf.aliases, ["Lashkar"]);
        assert_eq!(s.entity("un").unwrap(), None);
    }

    #[test]
    fn a_batch_stores_every_good_document_and_reports_each_bad_one_in_its_slot() {
        let mut s = store_with(&[("a", "sha-a")]);
        let docs = [
            document("b", "sha-b", TEXT),
            document("c", "sha-a", TEXT), // same text as the stored "a"
            document("d", "sha-d", TEXT),
            document("e", "sha-d", TEXT), // same text as "d", earlier in this batch
            document("f", "sha-f", TEXT),
            document("b", "sha-g", TEXT), // id taken by "b" of this batch
            document("h", "sha-h", TEXT),
        ];
        let good = analysis("x");
        let mut bad = analysis("f");
        bad.figures[0].start = 40;
        bad.figures[0].end = 4; // breaks CHECK (span_start <= span_end)
        let batch: Vec<NewDocument<'_>> = docs
            .iter()
            .map(|d| NewDocument {
                doc: d,
                fingerprint: &[],
                bands: &[5],
                analysis: if d.doc == "f" { &bad } else { &good },
            })
            .collect();
        let results = s.insert_documents(&batch).unwrap();
        assert_eq!(results.len(), 7);
        assert!(results[0].is_ok() && results[2].is_ok() && results[6].is_ok());
        match &results[1] {
            Err(StoreError::Duplicate { existing, .. }) => assert_eq!(existing, "a"),
            other => panic!("expected Duplicate of a, got {other:?}"),
        }
        match &results[3] {
            Err(StoreError::Duplicate { existing, .. }) => assert_eq!(existing, "d"),
            other => panic!("expected Duplicate of d, got {other:?}"),
        }
        assert!(matches!(results[4], Err(StoreError::Sqlite(_))));
        assert!(matches!(results[5], Err(StoreError::User(_))));
        let ids: Vec<String> = s.documents().unwrap().into_iter().map(|d| d.doc).collect();
        assert_eq!(ids, ["a", "b", "d", "h"]);
        let st = s.stats().unwrap();
        // Each stored document has the whole analysis (1 event), the rejected "f" none.
        assert_eq!(st.events, 4);
        assert_eq!(s.mentions(&Default::default()).unwrap().len(), 16);
        assert!(s
            .mentions(&Default::default())
            .unwrap()
            .iter()
            .all(|m| m.doc != "f"));
        // The full-text index holds exactly the stored documents.
        let q = crate::SearchQuery {
            text: "militia".into(),
            ..Default::default()
        };
        let mut hits: Vec<String> = s.search(&q).unwrap().into_iter().map(|h| h.doc).collect();
        hits.sort();
        assert_eq!(hits, ["a", "b", "d", "h"]);
    }

    #[test]
    fn an_empty_batch_stores_nothing() {
        let mut s = store_with(&[]);
        assert!(s.insert_documents(&[]).unwrap().is_empty());
        assert_eq!(s.stats().unwrap().documents, 0);
    }
}
