//! Reads: documents, entities through merge redirects, filtered claims, search.
//!
//! The SQL mirrors the SQLite store's statement for statement so both answer alike:
//! optional filters are `($n IS NULL OR …)`, entity filters match every id merged into
//! the asked one (an array parameter), and entity ids read back go through the redirects.

use std::collections::HashMap;
use std::str::FromStr;

use dossier_model::{Document, Entity, Event, Figure, LearnedAlias, Mention, Relation};
use dossier_store::backend::{check_date, name_key};
use dossier_store::{
    AliasUsage, Filter, SearchHit, SearchMode, SearchQuery, StoreError, HIGHLIGHT_CLOSE,
    HIGHLIGHT_OPEN, SNIPPET_ELLIPSIS,
};
use postgres::{GenericClient, Row};

use crate::error::Result;
use crate::write::{band_key, to_i64};
use crate::Conn;

fn get_usize(row: &Row, idx: usize) -> Result<usize> {
    let v: i64 = row.try_get(idx)?;
    usize::try_from(v).map_err(|_| {
        StoreError::Corrupt {
            detail: format!("negative span or count {v} in column {idx}"),
        }
        .into()
    })
}

/// A closed-vocabulary column; an unknown word means the row was not written by this
/// store and surfaces as `Corrupt`.
fn get_vocab<T: FromStr<Err = String>>(row: &Row, idx: usize) -> Result<T> {
    let s: &str = row.try_get(idx)?;
    s.parse::<T>()
        .map_err(|e| StoreError::Corrupt { detail: e }.into())
}

/// The live merges: absorbed id -> kept id.
#[derive(Debug, Default)]
pub(crate) struct Redirects {
    to: HashMap<String, String>,
}

impl Redirects {
    pub(crate) fn load(c: &mut impl GenericClient) -> Result<Self> {
        let to = c
            .query("SELECT absorb, keep FROM merges WHERE NOT undone", &[])?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        Ok(Redirects { to })
    }

    pub(crate) fn target(&self, id: &str) -> Option<&str> {
        self.to.get(id).map(String::as_str)
    }

    /// The id `id` reads as, following chains; the step bound guards against a cycle.
    pub(crate) fn resolve<'a>(&'a self, mut id: &'a str) -> &'a str {
        for _ in 0..=self.to.len() {
            match self.to.get(id) {
                Some(next) => id = next,
                None => break,
            }
        }
        id
    }

    fn resolve_owned(&self, id: String) -> String {
        match self.to.get(&id) {
            Some(_) => self.resolve(&id).to_string(),
            None => id,
        }
    }

    fn resolve_opt(&self, id: Option<String>) -> Option<String> {
        id.map(|s| self.resolve_owned(s))
    }

    /// Every id that reads as `id` (itself included), `id` first.
    fn members(&self, id: &str) -> Vec<String> {
        let root = self.resolve(id).to_string();
        let mut out = vec![root.clone()];
        out.extend(self.to.keys().filter(|k| self.resolve(k) == root).cloned());
        out
    }
}

pub(crate) const DOCUMENT_COLUMNS: &str =
    "id, title, published, publisher, author, url, sha256, chars, near_dup_of, origin";

pub(crate) fn document_from_row(r: &Row) -> Result<Document> {
    Ok(Document {
        doc: r.try_get(0)?,
        title: r.try_get(1)?,
        published: r.try_get(2)?,
        publisher: r.try_get(3)?,
        author: r.try_get(4)?,
        url: r.try_get(5)?,
        sha256: r.try_get(6)?,
        chars: get_usize(r, 7)?,
        near_duplicate_of: r.try_get(8)?,
        origin: r.try_get(9)?,
        text: None,
    })
}

pub(crate) fn document_by_sha(c: &mut Conn, sha: &str) -> Result<Option<String>> {
    let st = c.stmt("SELECT doc FROM doc_shas WHERE sha256 = $1")?;
    Ok(c.client.query_opt(&st, &[&sha])?.map(|r| r.get(0)))
}

pub(crate) fn near_duplicate_candidates(
    c: &mut Conn,
    bands: &[u64],
) -> Result<Vec<(String, Vec<u8>)>> {
    if bands.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<i64> = bands.iter().map(|&b| band_key(b)).collect();
    let st = c.stmt(
        "SELECT d.id, coalesce(d.fingerprint, '\\x'::bytea) FROM doc_bands b
         JOIN documents d ON d.id = b.doc
         WHERE b.band = ANY($1)
         GROUP BY d.id ORDER BY count(*) DESC, min(d.num)",
    )?;
    let rows = c.client.query(&st, &[&keys])?;
    Ok(rows.into_iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub(crate) fn documents(c: &mut impl GenericClient) -> Result<Vec<Document>> {
    let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM documents ORDER BY num");
    c.query(&sql, &[])?.iter().map(document_from_row).collect()
}

pub(crate) fn document(c: &mut impl GenericClient, id: &str) -> Result<Option<Document>> {
    let sql = format!("SELECT {DOCUMENT_COLUMNS}, text FROM documents WHERE id = $1");
    match c.query_opt(&sql, &[&id])? {
        None => Ok(None),
        Some(r) => {
            let mut d = document_from_row(&r)?;
            d.text = r.try_get(10)?;
            Ok(Some(d))
        }
    }
}

const ENTITY_COLUMNS: &str = "id, canonical, type, country, lat, lon, parent, role, discovered";

fn entity_from_row(r: &Row) -> Result<Entity> {
    Ok(Entity {
        id: r.try_get(0)?,
        canonical: r.try_get(1)?,
        entity_type: get_vocab(r, 2)?,
        aliases: Vec::new(),
        country: r.try_get(3)?,
        lat: r.try_get(4)?,
        lon: r.try_get(5)?,
        parent: r.try_get(6)?,
        role: r.try_get(7)?,
        discovered: r.try_get(8)?,
    })
}

/// Registry first, then discovered, then learned, each in insertion order.
const ALIAS_ORDER: &str =
    "ORDER BY CASE source WHEN 'registry' THEN 0 WHEN 'discovered' THEN 1 ELSE 2 END, id";

/// Folds rows into entities as read through the redirects (see the SQLite store's
/// `assemble`, which this mirrors exactly).
fn assemble(
    rows: Vec<Entity>,
    aliases: Vec<(String, String)>,
    redirects: &Redirects,
) -> Vec<Entity> {
    let mut by_id: HashMap<String, Vec<String>> = HashMap::new();
    for (entity, alias) in aliases {
        by_id.entry(entity).or_default().push(alias);
    }
    let mut kept: Vec<Entity> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut absorbed: Vec<Entity> = Vec::new();
    for mut e in rows {
        if redirects.resolve(&e.id) != e.id {
            absorbed.push(e);
            continue;
        }
        e.aliases = by_id.remove(&e.id).unwrap_or_default();
        index.insert(e.id.clone(), kept.len());
        kept.push(e);
    }
    for a in absorbed {
        if let Some(&i) = index.get(redirects.resolve(&a.id)) {
            let target = &mut kept[i];
            target.aliases.push(a.canonical);
            target
                .aliases
                .extend(by_id.remove(&a.id).unwrap_or_default());
        }
    }
    for e in &mut kept {
        let mut seen = vec![name_key(&e.canonical)];
        e.aliases.retain(|a| {
            let k = name_key(a);
            let fresh = !k.is_empty() && !seen.contains(&k);
            if fresh {
                seen.push(k);
            }
            fresh
        });
    }
    kept
}

fn alias_pairs(rows: Vec<Row>) -> Vec<(String, String)> {
    rows.into_iter().map(|r| (r.get(0), r.get(1))).collect()
}

/// `ORDER BY discovered, id` with ids compared bytewise (`COLLATE "C"`), as SQLite does.
pub(crate) fn entities(c: &mut impl GenericClient) -> Result<Vec<Entity>> {
    let redirects = Redirects::load(c)?;
    let sql =
        format!("SELECT {ENTITY_COLUMNS} FROM entities ORDER BY discovered, id COLLATE \"C\"");
    let rows = c
        .query(&sql, &[])?
        .iter()
        .map(entity_from_row)
        .collect::<Result<Vec<_>>>()?;
    let sql = format!("SELECT entity, alias FROM aliases {ALIAS_ORDER}");
    let aliases = alias_pairs(c.query(&sql, &[])?);
    Ok(assemble(rows, aliases, &redirects))
}

pub(crate) fn one(c: &mut impl GenericClient, id: &str) -> Result<Option<Entity>> {
    let redirects = Redirects::load(c)?;
    let members = redirects.members(id);
    let sql = format!("SELECT {ENTITY_COLUMNS} FROM entities WHERE id = ANY($1)");
    let rows = c
        .query(&sql, &[&members])?
        .iter()
        .map(entity_from_row)
        .collect::<Result<Vec<_>>>()?;
    let sql = format!("SELECT entity, alias FROM aliases WHERE entity = ANY($1) {ALIAS_ORDER}");
    let aliases = alias_pairs(c.query(&sql, &[&members])?);
    // Rows come back in any order; the asked entity's root must be first to be kept.
    let root = redirects.resolve(id).to_string();
    let mut rows = rows;
    rows.sort_by_key(|e| e.id != root);
    Ok(assemble(rows, aliases, &redirects).into_iter().next())
}

pub(crate) fn lookup(c: &mut impl GenericClient, name: &str) -> Result<Vec<String>> {
    let key = name_key(name);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let redirects = Redirects::load(c)?;
    let found: Vec<String> = c
        .query(
            "SELECT id FROM entities WHERE lower(id) = lower($1) OR name_key = $2
             UNION SELECT entity FROM aliases WHERE alias_key = $2",
            &[&name.trim(), &key],
        )?
        .into_iter()
        .map(|r| r.get(0))
        .collect();
    let mut ids: Vec<String> = Vec::new();
    for id in found {
        let id = redirects.resolve_owned(id);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let mut counted = Vec::with_capacity(ids.len());
    for id in ids {
        let n: i64 = c
            .query_one(
                "SELECT count(*) FROM mentions WHERE entity = ANY($1)",
                &[&redirects.members(&id)],
            )?
            .get(0);
        counted.push((n, id));
    }
    counted.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(counted.into_iter().map(|(_, id)| id).collect())
}

/// Entity ids whose names are most similar to `name` by trigram similarity (pg_trgm),
/// through merges, best first: the fuzzy lookup for misspelled or transliterated names
/// ("Hakani network"), which the exact [`lookup`] misses.
pub(crate) fn fuzzy_lookup(
    c: &mut impl GenericClient,
    name: &str,
    limit: usize,
) -> Result<Vec<(String, f32)>> {
    let key = name_key(name);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let redirects = Redirects::load(c)?;
    let rows = c.query(
        "SELECT id, max(sim) AS s FROM (
             SELECT id, similarity(name_key, $1) AS sim FROM entities WHERE name_key % $1
             UNION ALL
             SELECT entity, similarity(alias_key, $1) FROM aliases WHERE alias_key % $1
         ) m GROUP BY id ORDER BY s DESC, id COLLATE \"C\" LIMIT $2",
        &[&key, &to_i64(limit.saturating_mul(2))],
    )?;
    let mut out: Vec<(String, f32)> = Vec::new();
    for r in rows {
        let id = redirects.resolve_owned(r.get(0));
        if !out.iter().any(|(i, _)| *i == id) {
            out.push((id, r.get(1)));
        }
    }
    out.truncate(limit);
    Ok(out)
}

pub(crate) fn learned_aliases(
    c: &mut impl GenericClient,
    entity: &str,
) -> Result<Vec<LearnedAlias>> {
    let redirects = Redirects::load(c)?;
    let root = redirects.resolve(entity).to_string();
    let rows = c.query(
        "SELECT a.alias, a.doc, a.span_start, a.span_end FROM aliases a
         LEFT JOIN documents d ON d.id = a.doc
         WHERE a.source = 'learned' AND a.entity = ANY($1)
         ORDER BY d.num NULLS FIRST, a.span_start, a.id",
        &[&redirects.members(entity)],
    )?;
    rows.iter()
        .map(|r| {
            Ok(LearnedAlias {
                entity: root.clone(),
                alias: r.try_get(0)?,
                doc: r.try_get::<_, Option<String>>(1)?.unwrap_or_default(),
                start: get_usize(r, 2)?,
                end: get_usize(r, 3)?,
            })
        })
        .collect()
}

pub(crate) fn alias_counts(c: &mut impl GenericClient, entity: &str) -> Result<Vec<AliasUsage>> {
    let redirects = Redirects::load(c)?;
    // The first document in ingest order is the one with the smallest `num`.
    let rows = c.query(
        "SELECT m.text, count(*) AS n, (array_agg(d.id ORDER BY d.num))[1]
         FROM mentions m JOIN documents d ON d.id = m.doc
         WHERE m.entity = ANY($1)
         GROUP BY m.text ORDER BY n DESC, m.text COLLATE \"C\"",
        &[&redirects.members(entity)],
    )?;
    rows.iter()
        .map(|r| {
            Ok(AliasUsage {
                text: r.try_get(0)?,
                count: u64::try_from(r.try_get::<_, i64>(1)?).unwrap_or(0),
                first_doc: r.try_get(2)?,
            })
        })
        .collect()
}

/// A [`Filter`] turned into statement parameters.
struct Params {
    doc: Option<String>,
    entities: Option<Vec<String>>,
    places: Option<Vec<String>>,
    metric: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<i64>,
    offset: i64,
}

impl Params {
    fn new(f: &Filter, redirects: &Redirects) -> Result<Self> {
        if let Some(m) = &f.metric {
            m.parse::<dossier_model::Metric>()
                .map_err(StoreError::User)?;
        }
        Ok(Params {
            doc: f.doc.clone(),
            entities: f.entity.as_deref().map(|id| redirects.members(id.trim())),
            places: f.place.as_deref().map(|id| redirects.members(id.trim())),
            metric: f.metric.clone(),
            from: f
                .from
                .as_deref()
                .map(|d| check_date("from", d))
                .transpose()?,
            to: f
                .to
                .as_deref()
                .map(|d| check_date("to", d).map(|d| format!("{d}~")))
                .transpose()?,
            // PostgreSQL reads LIMIT NULL as "no limit".
            limit: f.limit.map(to_i64),
            offset: to_i64(f.offset),
        })
    }
}

/// Conditions shared by every kind ($1 doc, $2 from, $3 to, $4 entities, $5 places,
/// $6 metric, $7 limit, $8 offset). Dates compare bytewise (`COLLATE "C"`) as in SQLite,
/// where `~` sorts after every digit. Every parameter is named once with its type even
/// where a kind ignores it: PostgreSQL must infer the type of each `$n`.
const COMMON_WHERE: &str = "($1::text IS NULL OR c.doc = $1)
    AND ($2::text IS NULL OR c.date_hi COLLATE \"C\" >= $2)
    AND ($3::text IS NULL OR c.date_lo COLLATE \"C\" <= $3)
    AND ($4::text[] IS NULL OR TRUE) AND ($5::text[] IS NULL OR TRUE)
    AND ($6::text IS NULL OR TRUE)";

const ORDER_PAGE: &str = "ORDER BY d.num, c.span_start, c.id LIMIT $7 OFFSET $8";

fn claim_query(
    c: &mut impl GenericClient,
    f: &Filter,
    select: &str,
    table: &str,
    extra: &str,
) -> Result<(Vec<Row>, Redirects)> {
    let redirects = Redirects::load(c)?;
    let p = Params::new(f, &redirects)?;
    let sql = format!(
        "SELECT {select} FROM {table} c JOIN documents d ON d.id = c.doc
         WHERE {COMMON_WHERE} AND {extra} {ORDER_PAGE}"
    );
    let rows = c.query(
        &sql,
        &[
            &p.doc,
            &p.from,
            &p.to,
            &p.entities,
            &p.places,
            &p.metric,
            &p.limit,
            &p.offset,
        ],
    )?;
    Ok((rows, redirects))
}

pub(crate) fn mentions(c: &mut impl GenericClient, f: &Filter) -> Result<Vec<Mention>> {
    let (rows, redirects) = claim_query(
        c,
        f,
        "c.doc, c.entity, c.span_start, c.span_end, c.text, c.rule",
        "mentions",
        "($4::text[] IS NULL OR c.entity = ANY($4))",
    )?;
    rows.iter()
        .map(|r| {
            Ok(Mention {
                doc: r.try_get(0)?,
                entity: redirects.resolve_owned(r.try_get(1)?),
                start: get_usize(r, 2)?,
                end: get_usize(r, 3)?,
                text: r.try_get(4)?,
                rule: r.try_get(5)?,
            })
        })
        .collect()
}

pub(crate) fn figures(c: &mut impl GenericClient, f: &Filter) -> Result<Vec<Figure>> {
    let (rows, redirects) = claim_query(
        c,
        f,
        "c.doc, c.value, c.value_max, c.bound, c.unit, c.metric, c.subject, c.period,
         c.place, c.source, c.hedged, c.span_start, c.span_end, c.text, c.rule",
        "figures",
        "($4::text[] IS NULL OR c.subject = ANY($4))
         AND ($5::text[] IS NULL OR c.place = ANY($5))
         AND ($6::text IS NULL OR c.metric = $6)",
    )?;
    rows.iter()
        .map(|r| {
            Ok(Figure {
                doc: r.try_get(0)?,
                value: r.try_get(1)?,
                value_max: r.try_get(2)?,
                bound: get_vocab(r, 3)?,
                unit: r.try_get(4)?,
                metric: get_vocab(r, 5)?,
                subject: redirects.resolve_opt(r.try_get(6)?),
                period: r.try_get(7)?,
                place: redirects.resolve_opt(r.try_get(8)?),
                source: redirects.resolve_opt(r.try_get(9)?),
                hedged: r.try_get(10)?,
                start: get_usize(r, 11)?,
                end: get_usize(r, 12)?,
                text: r.try_get(13)?,
                rule: r.try_get(14)?,
            })
        })
        .collect()
}

pub(crate) fn relations(c: &mut impl GenericClient, f: &Filter) -> Result<Vec<Relation>> {
    let (rows, redirects) = claim_query(
        c,
        f,
        "c.doc, c.source, c.type, c.target, c.stance, c.attributed_to, c.span_start,
         c.span_end, c.text, c.rule",
        "relations",
        "($4::text[] IS NULL OR c.source = ANY($4) OR c.target = ANY($4))",
    )?;
    rows.iter()
        .map(|r| {
            Ok(Relation {
                doc: r.try_get(0)?,
                source: redirects.resolve_owned(r.try_get(1)?),
                relation_type: get_vocab(r, 2)?,
                target: redirects.resolve_owned(r.try_get(3)?),
                stance: get_vocab(r, 4)?,
                attributed_to: redirects.resolve_opt(r.try_get(5)?),
                start: get_usize(r, 6)?,
                end: get_usize(r, 7)?,
                text: r.try_get(8)?,
                rule: r.try_get(9)?,
            })
        })
        .collect()
}

pub(crate) fn events(c: &mut impl GenericClient, f: &Filter) -> Result<Vec<Event>> {
    let (rows, redirects) = claim_query(
        c,
        f,
        "c.doc, c.type, c.date, c.date_precision, c.place, c.perpetrator, c.target,
         c.killed, c.injured, c.span_start, c.span_end, c.text, c.rule",
        "events",
        "($4::text[] IS NULL OR c.perpetrator = ANY($4) OR c.target = ANY($4))
         AND ($5::text[] IS NULL OR c.place = ANY($5))",
    )?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                doc: r.try_get(0)?,
                event_type: get_vocab(r, 1)?,
                date: r.try_get(2)?,
                date_precision: get_vocab(r, 3)?,
                place: redirects.resolve_opt(r.try_get(4)?),
                perpetrator: redirects.resolve_opt(r.try_get(5)?),
                target: redirects.resolve_opt(r.try_get(6)?),
                killed: r.try_get(7)?,
                injured: r.try_get(8)?,
                start: get_usize(r, 9)?,
                end: get_usize(r, 10)?,
                text: r.try_get(11)?,
                rule: r.try_get(12)?,
            })
        })
        .collect()
}

/// Hits returned when the caller sets no limit (as SQLite).
const DEFAULT_LIMIT: usize = 20;
/// Words of context in a snippet (SQLite's snippet takes 24 tokens).
const SNIPPET_WORDS: u32 = 24;
/// Most words a search may have (as SQLite: ranking cost grows with terms × matches).
const MAX_QUERY_WORDS: usize = 256;

/// Full-text search. Safe mode quotes every word and requires all of them, as SQLite's
/// safe mode does; raw mode reads SQLite FTS5's query syntax (phrases, prefixes, AND/OR/
/// NOT, parentheses, `title:` filters, NEAR) and writes it as a tsquery (`crate::fts`);
/// a malformed raw query is a user error naming the problem.
pub(crate) fn search(c: &mut impl GenericClient, q: &SearchQuery) -> Result<Vec<SearchHit>> {
    let text = q.text.trim();
    if text.is_empty() {
        return Err(StoreError::User("the search is empty: give one or more words".into()).into());
    }
    let words = text.split_whitespace().count();
    if words > MAX_QUERY_WORDS {
        return Err(StoreError::User(format!(
            "the search has {words} words; at most {MAX_QUERY_WORDS} are allowed: shorten it"
        ))
        .into());
    }
    // The database cannot hold NUL in text; it separates words like a space would.
    let text = text.replace('\0', " ");
    let query = match q.mode {
        SearchMode::Safe => {
            let terms: Vec<String> = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .map(|w| format!("\"{}\"", w.replace('"', " ")))
                .collect();
            if terms.is_empty() {
                return Err(StoreError::User(format!(
                    "`{}` has no letters or digits to search for",
                    abbreviate(&text)
                ))
                .into());
            }
            terms.join(" ")
        }
        // FTS5's syntax, as SQLite's raw mode speaks it, written as a tsquery.
        SearchMode::Raw => dossier_store::fts5::parse(&text)
            .map_err(|e| e.0)
            .and_then(|q| crate::fts::tsquery(&q))
            .map_err(|why| {
                StoreError::User(format!(
                    "`{}` is not a valid search: {why}",
                    abbreviate(&text)
                ))
            })?,
    };
    let raw = q.mode == SearchMode::Raw;
    let from = q
        .from
        .as_deref()
        .map(|d| check_date("from", d))
        .transpose()?;
    let to =
        q.to.as_deref()
            .map(|d| check_date("to", d).map(|d| format!("{d}~")))
            .transpose()?;
    // The options are crate constants, not user text: formatting them in is safe.
    let opts = format!(
        "StartSel={HIGHLIGHT_OPEN}, StopSel={HIGHLIGHT_CLOSE}, MaxWords={SNIPPET_WORDS}, \
         MinWords={}, ShortWord=0, MaxFragments=1, FragmentDelimiter={SNIPPET_ELLIPSIS}",
        SNIPPET_WORDS / 2
    );
    let rows = c.query(
        "WITH q AS (SELECT CASE WHEN $8 THEN to_tsquery('dossier_text', $1)
                               ELSE websearch_to_tsquery('dossier_text', $1) END AS q),
         hits AS (
             SELECT d.id, d.title, d.published, d.publisher, d.text, d.num,
                    ts_rank(d.tsv, q.q) AS score, q.q
             FROM documents d, q
             WHERE d.tsv @@ q.q
               AND ($2::text IS NULL OR lower(d.publisher) = lower($2))
               AND ($3::text IS NULL OR d.date_hi COLLATE \"C\" >= $3)
               AND ($4::text IS NULL OR d.date_lo COLLATE \"C\" <= $4)
             ORDER BY score DESC, d.num
             LIMIT $5 OFFSET $6)
         SELECT id, title, published, publisher,
                ts_headline('dossier_text', coalesce(text, ''), q, $7) AS body,
                ts_headline('dossier_text', coalesce(title, ''), q, $7) AS head,
                score::float8
         FROM hits ORDER BY score DESC, num",
        &[
            &query,
            &q.publisher.as_deref().map(str::trim),
            &from,
            &to,
            &to_i64(q.limit.unwrap_or(DEFAULT_LIMIT)),
            &to_i64(q.offset),
            &opts,
            &raw,
        ],
    )?;
    rows.iter()
        .map(|r| {
            let body: String = r.try_get(4)?;
            let head: String = r.try_get(5)?;
            // The body gives context when it matches; else the title's match is shown.
            let snippet = if body.contains(HIGHLIGHT_OPEN) {
                body
            } else {
                head
            };
            Ok(SearchHit {
                doc: r.try_get(0)?,
                title: r.try_get(1)?,
                published: r.try_get(2)?,
                publisher: r.try_get(3)?,
                snippet,
                score: r.try_get(6)?,
            })
        })
        .collect()
}

/// Echoing a 10,000-character query back would bury the message.
fn abbreviate(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}
