//! Writes: documents with their analysis, the registry, curation edits.

use dossier_model::{Analysis, Entity};
use dossier_store::backend::{date_bounds, name_key};
use dossier_store::{NewDocument, StoreError};
use postgres::{Client, Statement, Transaction};

use crate::error::Result;
use crate::read::{self, Redirects};
use crate::{bump_generation, Conn};

/// Spans and counts are `usize` in the model and `bigint` in the database.
pub(crate) fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Band keys are stored bit for bit as signed 64-bit integers, as in SQLite.
pub(crate) fn band_key(band: u64) -> i64 {
    i64::from_ne_bytes(band.to_ne_bytes())
}

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

/// A free document id, reserved in `doc_ids` so that a concurrent worker asking for the
/// same stem gets the next one. Reservation and document are separate commits: an id
/// whose document turns out to be a duplicate stays reserved (a gap, never a clash).
pub(crate) fn unique_doc_id(c: &mut Conn, stem: &str) -> Result<String> {
    let stem = stem.trim();
    let stem = if stem.is_empty() { "doc" } else { stem };
    let taken = c.stmt("SELECT EXISTS (SELECT 1 FROM documents WHERE id = $1)")?;
    let reserve = c.stmt("INSERT INTO doc_ids (id) VALUES ($1) ON CONFLICT DO NOTHING")?;
    let mut n: u64 = 1;
    loop {
        let candidate = if n == 1 {
            stem.to_string()
        } else {
            format!("{stem}-{n}")
        };
        let exists: bool = c.client.query_one(&taken, &[&candidate])?.get(0);
        if !exists && c.client.execute(&reserve, &[&candidate])? == 1 {
            return Ok(candidate);
        }
        n += 1;
    }
}

/// The statements of the ingest write path, prepared once per connection (outside any
/// transaction): a prepared statement is one round trip per execution where a SQL
/// string costs two (parse, then execute).
#[derive(Clone)]
pub(crate) struct InsertStmts {
    shas: Statement,
    document: Statement,
    doc_id: Statement,
    bands: Statement,
    learned: Statement,
    mentions: Statement,
    figures: Statement,
    relations: Statement,
    events: Statement,
    discovered: Statement,
    discovered_alias: Statement,
}

impl InsertStmts {
    fn prepare(c: &mut Client) -> Result<Self> {
        Ok(InsertStmts {
            shas: c.prepare(SQL_SHAS)?,
            document: c.prepare(SQL_DOCUMENT)?,
            doc_id: c.prepare(SQL_DOC_ID)?,
            bands: c.prepare(SQL_BANDS)?,
            learned: c.prepare(SQL_LEARNED)?,
            mentions: c.prepare(SQL_MENTIONS)?,
            figures: c.prepare(SQL_FIGURES)?,
            relations: c.prepare(SQL_RELATIONS)?,
            events: c.prepare(SQL_EVENTS)?,
            discovered: c.prepare(SQL_DISCOVERED)?,
            discovered_alias: c.prepare(SQL_DISCOVERED_ALIAS)?,
        })
    }
}

const SQL_SHAS: &str = "INSERT INTO doc_shas (sha256, doc) VALUES ($1, $2) ON CONFLICT DO NOTHING";

const SQL_DOCUMENT: &str =
    "INSERT INTO documents (id, sha256, title, published, publisher, author, url, chars,
                                near_dup_of, origin, text, fingerprint, date_lo, date_hi)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (id) DO NOTHING";

const SQL_DOC_ID: &str = "INSERT INTO doc_ids (id) VALUES ($1) ON CONFLICT DO NOTHING";

const SQL_BANDS: &str = "INSERT INTO doc_bands (doc, band) SELECT $1, b FROM unnest($2::bigint[]) b
             ON CONFLICT DO NOTHING";

const SQL_LEARNED: &str =
    "INSERT INTO aliases (entity, alias, alias_key, source, doc, span_start, span_end)
             VALUES ($1, $2, $3, 'learned', $4, $5, $6) ON CONFLICT DO NOTHING";

const SQL_MENTIONS: &str =
    "INSERT INTO mentions (doc, entity, span_start, span_end, text, rule, date_lo, date_hi)
             SELECT $1, e, s, x, t, r, $7, $8
             FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[])
                  WITH ORDINALITY AS u(e, s, x, t, r, o) ORDER BY o";

const SQL_FIGURES: &str =
    "INSERT INTO figures (doc, value, value_max, bound, unit, metric, subject, period,
                                  place, source, hedged, span_start, span_end, text, rule,
                                  date_lo, date_hi)
             SELECT $1, v, vm, b, un, m, su, pe, pl, so, h, s, e, t, r, dl, dh
             FROM unnest($2::float8[], $3::float8[], $4::text[], $5::text[], $6::text[],
                  $7::text[], $8::text[], $9::text[], $10::text[], $11::bool[],
                  $12::bigint[], $13::bigint[], $14::text[], $15::text[], $16::text[],
                  $17::text[])
                  WITH ORDINALITY AS u(v, vm, b, un, m, su, pe, pl, so, h, s, e, t, r, dl, dh, o)
             ORDER BY o";

const SQL_RELATIONS: &str =
    "INSERT INTO relations (doc, source, type, target, stance, attributed_to,
                                    span_start, span_end, text, rule, date_lo, date_hi)
             SELECT $1, s, t, g, st, a, b, e, x, r, $11, $12
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::bigint[], $8::bigint[], $9::text[], $10::text[])
                  WITH ORDINALITY AS u(s, t, g, st, a, b, e, x, r, o)
             ORDER BY o";

const SQL_EVENTS: &str =
    "INSERT INTO events (doc, type, date, date_precision, place, perpetrator, target,
                                 killed, injured, span_start, span_end, text, rule, date_lo,
                                 date_hi)
             SELECT $1, ty, da, dp, pl, pe, ta, k, i, s, e, t, r, dl, dh
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                  $7::text[], $8::float8[], $9::float8[], $10::bigint[], $11::bigint[],
                  $12::text[], $13::text[], $14::text[], $15::text[])
                  WITH ORDINALITY AS u(ty, da, dp, pl, pe, ta, k, i, s, e, t, r, dl, dh, o)
             ORDER BY o";

const SQL_DISCOVERED: &str =
    "INSERT INTO entities (id, canonical, name_key, type, country, lat, lon, parent, role,
                               discovered, curated, first_doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true, false, $10)
         ON CONFLICT (id) DO UPDATE SET
             country = coalesce(entities.country, excluded.country),
             lat = coalesce(entities.lat, excluded.lat),
             lon = coalesce(entities.lon, excluded.lon),
             parent = coalesce(entities.parent, excluded.parent),
             role = coalesce(entities.role, excluded.role)";

const SQL_DISCOVERED_ALIAS: &str = "INSERT INTO aliases (entity, alias, alias_key, source, doc)
             VALUES ($1, $2, $3, 'discovered', $4) ON CONFLICT DO NOTHING";

pub(crate) fn insert_document(conn: &mut Conn, nd: &NewDocument<'_>) -> Result<()> {
    let st = match &conn.insert {
        Some(st) => st.clone(),
        None => {
            let st = InsertStmts::prepare(&mut conn.client)?;
            conn.insert = Some(st.clone());
            st
        }
    };
    let d = nd.doc;
    let mut tx = conn.client.transaction()?;
    let claimed = tx.execute(&st.shas, &[&d.sha256, &d.doc])?;
    if claimed == 0 {
        let existing: String = tx
            .query_one("SELECT doc FROM doc_shas WHERE sha256 = $1", &[&d.sha256])?
            .get(0);
        return Err(StoreError::Duplicate {
            new_id: d.doc.clone(),
            existing,
            sha256: d.sha256.clone(),
        }
        .into());
    }
    let doc_dates = d.published.as_deref().and_then(date_bounds);
    let inserted = tx.execute(
        &st.document,
        &[
            &d.doc,
            &d.sha256,
            &d.title,
            &d.published,
            &d.publisher,
            &d.author,
            &d.url,
            &to_i64(d.chars),
            &d.near_duplicate_of,
            &d.origin,
            &d.text,
            &nd.fingerprint,
            &lo(&doc_dates),
            &hi(&doc_dates),
        ],
    )?;
    if inserted == 0 {
        return Err(StoreError::User(format!(
            "document id `{}` is already taken; choose another (unique_doc_id gives a free one)",
            d.doc
        ))
        .into());
    }
    tx.execute(&st.doc_id, &[&d.doc])?;
    if !nd.bands.is_empty() {
        let bands: Vec<i64> = nd.bands.iter().map(|&b| band_key(b)).collect();
        tx.execute(&st.bands, &[&d.doc, &bands])?;
    }
    insert_analysis(&mut tx, &st, &d.doc, &doc_dates, nd.analysis)?;
    bump_generation(&mut tx)?;
    tx.commit()?;
    Ok(())
}

/// Claims go in as one multi-row statement per kind (arrays unnested server-side): one
/// round trip per kind instead of one per record.
fn insert_analysis(
    tx: &mut Transaction<'_>,
    st: &InsertStmts,
    doc: &str,
    doc_dates: &Dates,
    a: &Analysis,
) -> Result<()> {
    for e in &a.discovered {
        upsert_discovered(tx, st, doc, e)?;
    }
    for l in &a.learned_aliases {
        tx.execute(
            &st.learned,
            &[
                &l.entity,
                &l.alias,
                &name_key(&l.alias),
                &doc,
                &to_i64(l.start),
                &to_i64(l.end),
            ],
        )?;
    }
    if !a.mentions.is_empty() {
        let m = &a.mentions;
        let entity: Vec<&str> = m.iter().map(|m| m.entity.as_str()).collect();
        let start: Vec<i64> = m.iter().map(|m| to_i64(m.start)).collect();
        let end: Vec<i64> = m.iter().map(|m| to_i64(m.end)).collect();
        let text: Vec<&str> = m.iter().map(|m| m.text.as_str()).collect();
        let rule: Vec<&str> = m.iter().map(|m| m.rule.as_str()).collect();
        tx.execute(
            &st.mentions,
            &[
                &doc,
                &entity,
                &start,
                &end,
                &text,
                &rule,
                &lo(doc_dates),
                &hi(doc_dates),
            ],
        )?;
    }
    if !a.figures.is_empty() {
        let f = &a.figures;
        let dates: Vec<Dates> = f
            .iter()
            .map(|f| record_dates(f.period.as_deref(), doc_dates))
            .collect();
        tx.execute(
            &st.figures,
            &[
                &doc,
                &f.iter().map(|f| f.value).collect::<Vec<f64>>(),
                &f.iter().map(|f| f.value_max).collect::<Vec<Option<f64>>>(),
                &f.iter().map(|f| f.bound.as_str()).collect::<Vec<&str>>(),
                &f.iter().map(|f| f.unit.as_str()).collect::<Vec<&str>>(),
                &f.iter().map(|f| f.metric.as_str()).collect::<Vec<&str>>(),
                &f.iter().map(|f| f.subject.as_deref()).collect::<Vec<_>>(),
                &f.iter().map(|f| f.period.as_deref()).collect::<Vec<_>>(),
                &f.iter().map(|f| f.place.as_deref()).collect::<Vec<_>>(),
                &f.iter().map(|f| f.source.as_deref()).collect::<Vec<_>>(),
                &f.iter().map(|f| f.hedged).collect::<Vec<bool>>(),
                &f.iter().map(|f| to_i64(f.start)).collect::<Vec<i64>>(),
                &f.iter().map(|f| to_i64(f.end)).collect::<Vec<i64>>(),
                &f.iter().map(|f| f.text.as_str()).collect::<Vec<&str>>(),
                &f.iter().map(|f| f.rule.as_str()).collect::<Vec<&str>>(),
                &dates.iter().map(lo).collect::<Vec<_>>(),
                &dates.iter().map(hi).collect::<Vec<_>>(),
            ],
        )?;
    }
    if !a.relations.is_empty() {
        let r = &a.relations;
        tx.execute(
            &st.relations,
            &[
                &doc,
                &r.iter().map(|r| r.source.as_str()).collect::<Vec<&str>>(),
                &r.iter()
                    .map(|r| r.relation_type.as_str())
                    .collect::<Vec<&str>>(),
                &r.iter().map(|r| r.target.as_str()).collect::<Vec<&str>>(),
                &r.iter().map(|r| r.stance.as_str()).collect::<Vec<&str>>(),
                &r.iter()
                    .map(|r| r.attributed_to.as_deref())
                    .collect::<Vec<_>>(),
                &r.iter().map(|r| to_i64(r.start)).collect::<Vec<i64>>(),
                &r.iter().map(|r| to_i64(r.end)).collect::<Vec<i64>>(),
                &r.iter().map(|r| r.text.as_str()).collect::<Vec<&str>>(),
                &r.iter().map(|r| r.rule.as_str()).collect::<Vec<&str>>(),
                &lo(doc_dates),
                &hi(doc_dates),
            ],
        )?;
    }
    if !a.events.is_empty() {
        let e = &a.events;
        let dates: Vec<Dates> = e
            .iter()
            .map(|e| record_dates(e.date.as_deref(), doc_dates))
            .collect();
        tx.execute(
            &st.events,
            &[
                &doc,
                &e.iter()
                    .map(|e| e.event_type.as_str())
                    .collect::<Vec<&str>>(),
                &e.iter().map(|e| e.date.as_deref()).collect::<Vec<_>>(),
                &e.iter()
                    .map(|e| e.date_precision.as_str())
                    .collect::<Vec<&str>>(),
                &e.iter().map(|e| e.place.as_deref()).collect::<Vec<_>>(),
                &e.iter()
                    .map(|e| e.perpetrator.as_deref())
                    .collect::<Vec<_>>(),
                &e.iter().map(|e| e.target.as_deref()).collect::<Vec<_>>(),
                &e.iter().map(|e| e.killed).collect::<Vec<Option<f64>>>(),
                &e.iter().map(|e| e.injured).collect::<Vec<Option<f64>>>(),
                &e.iter().map(|e| to_i64(e.start)).collect::<Vec<i64>>(),
                &e.iter().map(|e| to_i64(e.end)).collect::<Vec<i64>>(),
                &e.iter().map(|e| e.text.as_str()).collect::<Vec<&str>>(),
                &e.iter().map(|e| e.rule.as_str()).collect::<Vec<&str>>(),
                &dates.iter().map(lo).collect::<Vec<_>>(),
                &dates.iter().map(hi).collect::<Vec<_>>(),
            ],
        )?;
    }
    Ok(())
}

/// As in SQLite: one row per discovered entity however many documents find it; later
/// sightings only fill unknown fields and never demote a registry entity.
fn upsert_discovered(
    tx: &mut Transaction<'_>,
    st: &InsertStmts,
    doc: &str,
    e: &Entity,
) -> Result<()> {
    tx.execute(
        &st.discovered,
        &[
            &e.id,
            &e.canonical,
            &name_key(&e.canonical),
            &e.entity_type.as_str(),
            &e.country,
            &e.lat,
            &e.lon,
            &e.parent,
            &e.role,
            &doc,
        ],
    )?;
    for alias in &e.aliases {
        tx.execute(
            &st.discovered_alias,
            &[&e.id, alias, &name_key(alias), &doc],
        )?;
    }
    Ok(())
}

const REGISTRY_HASH_KEY: &str = "registry_hash";

/// The registry is replaced in one transaction under a row lock on its hash, so
/// workers starting together with the same registry write it once.
pub(crate) fn sync_registry(c: &mut Client, hash: &str, entities: &[Entity]) -> Result<bool> {
    let mut tx = c.transaction()?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ($1, '') ON CONFLICT DO NOTHING",
        &[&REGISTRY_HASH_KEY],
    )?;
    let old: String = tx
        .query_one(
            "SELECT value FROM meta WHERE key = $1 FOR UPDATE",
            &[&REGISTRY_HASH_KEY],
        )?
        .get(0);
    if old == hash {
        return Ok(false);
    }
    tx.execute("DELETE FROM aliases WHERE source = 'registry'", &[])?;
    let upsert = tx.prepare(
        "INSERT INTO entities (id, canonical, name_key, type, country, lat, lon, parent, role,
                               discovered)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, false)
         ON CONFLICT (id) DO UPDATE SET
             canonical = excluded.canonical, name_key = excluded.name_key,
             type = excluded.type, country = excluded.country, lat = excluded.lat,
             lon = excluded.lon, parent = excluded.parent, role = excluded.role,
             discovered = false",
    )?;
    let alias = tx.prepare(
        "INSERT INTO aliases (entity, alias, alias_key, source) VALUES ($1, $2, $3, 'registry')
         ON CONFLICT DO NOTHING",
    )?;
    for e in entities {
        tx.execute(
            &upsert,
            &[
                &e.id,
                &e.canonical,
                &name_key(&e.canonical),
                &e.entity_type.as_str(),
                &e.country,
                &e.lat,
                &e.lon,
                &e.parent,
                &e.role,
            ],
        )?;
        for a in &e.aliases {
            tx.execute(&alias, &[&e.id, a, &name_key(a)])?;
        }
    }
    let ids: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
    tx.execute(
        "DELETE FROM entities WHERE NOT discovered AND NOT (id = ANY($1))",
        &[&ids],
    )?;
    tx.execute(
        "UPDATE meta SET value = $2 WHERE key = $1",
        &[&REGISTRY_HASH_KEY, &hash],
    )?;
    bump_generation(&mut tx)?;
    tx.commit()?;
    Ok(true)
}

/// Locks the entity rows of a curation edit in a fixed order (by id) so two analysts'
/// edits serialize instead of deadlocking, and returns their versions.
fn lock_entities(tx: &mut Transaction<'_>, ids: &[&str]) -> Result<Vec<Option<i64>>> {
    let rows = tx.query(
        "SELECT id, version FROM entities WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        &[&ids],
    )?;
    Ok(ids
        .iter()
        .map(|id| {
            rows.iter()
                .find(|r| r.get::<_, &str>(0) == *id)
                .map(|r| r.get::<_, i64>(1))
        })
        .collect())
}

fn bump_versions(tx: &mut Transaction<'_>, ids: &[&str]) -> Result<()> {
    tx.execute(
        "UPDATE entities SET version = version + 1 WHERE id = ANY($1)",
        &[&ids],
    )?;
    Ok(())
}

/// A merge. Runs with both entities locked; `expect` (keep, absorb versions) makes it
/// conditional on nobody having curated them since the caller read them.
pub(crate) fn merge(
    c: &mut Client,
    keep: &str,
    absorb: &str,
    expect: Option<(i64, i64)>,
) -> Result<u64> {
    let mut tx = c.transaction()?;
    // Merges form chains: serialize all merges so two concurrent ones cannot build a
    // cycle that neither saw (A into B while B into A).
    tx.execute("LOCK TABLE merges IN SHARE ROW EXCLUSIVE MODE", &[])?;
    let versions = lock_entities(&mut tx, &[keep, absorb])?;
    for (id, v) in [keep, absorb].iter().zip(&versions) {
        if v.is_none() {
            return Err(StoreError::User(format!(
                "no entity with id `{id}`; `dossier entities` lists the ids"
            ))
            .into());
        }
    }
    if let Some((kv, av)) = expect {
        if versions[0] != Some(kv) || versions[1] != Some(av) {
            return Err(StoreError::User(format!(
                "`{keep}` or `{absorb}` was curated by someone else since you read it; \
                 reload and try again"
            ))
            .into());
        }
    }
    let redirects = Redirects::load(&mut tx)?;
    if let Some(into) = redirects.target(absorb) {
        return Err(StoreError::User(format!(
            "`{absorb}` is already merged into `{into}`; undo that merge first"
        ))
        .into());
    }
    let keep = redirects.resolve(keep).to_string();
    if keep == absorb {
        return Err(StoreError::User(format!(
            "`{absorb}` already reads as `{keep}`: nothing to merge"
        ))
        .into());
    }
    let id: i64 = tx
        .query_one(
            "INSERT INTO merges (keep, absorb) VALUES ($1, $2) RETURNING id",
            &[&keep, &absorb],
        )?
        .get(0);
    bump_versions(&mut tx, &[&keep, absorb])?;
    bump_generation(&mut tx)?;
    tx.commit()?;
    Ok(u64::try_from(id).unwrap_or(0))
}

pub(crate) fn undo_merge(c: &mut Client, merge_id: u64) -> Result<()> {
    let mut tx = c.transaction()?;
    let id = i64::try_from(merge_id).unwrap_or(-1);
    let row = tx.query_opt(
        "SELECT undone, keep, absorb FROM merges WHERE id = $1 FOR UPDATE",
        &[&id],
    )?;
    let Some(row) = row else {
        return Err(StoreError::User(format!(
            "there is no merge #{merge_id}; `dossier merges` lists them"
        ))
        .into());
    };
    if row.get::<_, bool>(0) {
        return Err(StoreError::User(format!("merge #{merge_id} is already undone")).into());
    }
    let (keep, absorb): (String, String) = (row.get(1), row.get(2));
    tx.execute(
        "UPDATE merges SET undone = true, undone_at = now() WHERE id = $1",
        &[&id],
    )?;
    bump_versions(&mut tx, &[&keep, &absorb])?;
    bump_generation(&mut tx)?;
    tx.commit()?;
    Ok(())
}

pub(crate) fn promote(c: &mut Client, id: &str) -> Result<Entity> {
    let mut tx = c.transaction()?;
    let discovered: Option<bool> = tx
        .query_opt(
            "SELECT discovered FROM entities WHERE id = $1 FOR UPDATE",
            &[&id],
        )?
        .map(|r| r.get(0));
    match discovered {
        None => {
            return Err(StoreError::User(format!(
                "no entity with id `{id}`; `dossier entities --discovered` lists candidates"
            ))
            .into())
        }
        Some(false) => {
            return Err(StoreError::User(format!(
                "`{id}` is already in the registry; only discovered entities can be promoted"
            ))
            .into())
        }
        Some(true) => {}
    }
    if let Some(into) = Redirects::load(&mut tx)?.target(id) {
        return Err(StoreError::User(format!(
            "`{id}` is merged into `{into}`; promote `{into}` or undo the merge first"
        ))
        .into());
    }
    tx.execute(
        "UPDATE entities SET curated = true, version = version + 1 WHERE id = $1",
        &[&id],
    )?;
    let entity = read::one(&mut tx, id)?.ok_or_else(|| StoreError::Corrupt {
        detail: format!("entity `{id}` vanished while being promoted"),
    })?;
    bump_generation(&mut tx)?;
    tx.commit()?;
    Ok(entity)
}

/// See [`crate::PgStore::settle_near_duplicates`].
pub(crate) fn settle_near_duplicates(
    c: &mut Client,
    doc: &str,
    threshold: f64,
    similarity: crate::Similarity<'_>,
) -> Result<Vec<(String, String)>> {
    let mut tx = c.transaction()?;
    let Some(me) = tx.query_opt(
        "SELECT num, coalesce(fingerprint, '\\x'::bytea), near_dup_of FROM documents WHERE id = $1",
        &[&doc],
    )?
    else {
        return Ok(Vec::new());
    };
    let (my_num, my_fp, my_of): (i64, Vec<u8>, Option<String>) = (me.get(0), me.get(1), me.get(2));
    let rows = tx.query(
        "SELECT d.id, d.num, coalesce(d.fingerprint, '\\x'::bytea), d.near_dup_of
         FROM documents d
         WHERE d.id <> $1 AND d.id IN (
             SELECT b.doc FROM doc_bands b
             WHERE b.band IN (SELECT band FROM doc_bands WHERE doc = $1))
         ORDER BY d.num",
        &[&doc],
    )?;
    let mut earlier: Option<(f64, String)> = None;
    let mut later: Vec<String> = Vec::new();
    for r in rows {
        let (id, num, fp, of): (String, i64, Vec<u8>, Option<String>) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        let Some(sim) = similarity(&my_fp, &fp).filter(|s| *s >= threshold) else {
            continue;
        };
        if num < my_num {
            if earlier.as_ref().is_none_or(|(best, _)| sim > *best) {
                earlier = Some((sim, id));
            }
        } else if of.is_none() {
            later.push(id);
        }
    }
    let mut changed = Vec::new();
    if let (None, Some((_, of))) = (&my_of, earlier) {
        if tx.execute(
            "UPDATE documents SET near_dup_of = $2 WHERE id = $1 AND near_dup_of IS NULL",
            &[&doc, &of],
        )? == 1
        {
            changed.push((doc.to_string(), of));
        }
    }
    for id in later {
        if tx.execute(
            "UPDATE documents SET near_dup_of = $2 WHERE id = $1 AND near_dup_of IS NULL",
            &[&id, &doc],
        )? == 1
        {
            changed.push((id, doc.to_string()));
        }
    }
    if !changed.is_empty() {
        bump_generation(&mut tx)?;
    }
    tx.commit()?;
    Ok(changed)
}
