//! Entity reads and curation. Merges are redirects applied while reading (see the
//! `merges` table): nothing here rewrites a claim.

use std::collections::HashMap;

use dossier_model::{Entity, LearnedAlias};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::{get_usize, get_vocab};
use crate::query::name_key;
use crate::{AliasUsage, StoreError};

/// The live merges: absorbed id -> kept id.
#[derive(Debug, Default)]
pub(super) struct Redirects {
    to: HashMap<String, String>,
}

impl Redirects {
    pub(super) fn load(conn: &Connection) -> Result<Self, StoreError> {
        let mut stmt = conn.prepare_cached("SELECT absorb, keep FROM merges WHERE undone = 0")?;
        let to = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(Redirects { to })
    }

    /// The id `id` reads as, following chains (A into B, B into C). The step bound guards
    /// against a cycle written by hand into the database.
    pub(super) fn resolve<'a>(&'a self, mut id: &'a str) -> &'a str {
        for _ in 0..=self.to.len() {
            match self.to.get(id) {
                Some(next) => id = next,
                None => break,
            }
        }
        id
    }

    pub(super) fn resolve_opt(&self, id: Option<String>) -> Option<String> {
        id.map(|s| self.resolve_owned(s))
    }

    pub(super) fn resolve_owned(&self, id: String) -> String {
        match self.to.get(&id) {
            Some(_) => self.resolve(&id).to_string(),
            None => id,
        }
    }

    /// Every id that reads as `id` (itself included), `id` first.
    pub(super) fn members(&self, id: &str) -> Vec<String> {
        let root = self.resolve(id).to_string();
        let mut out = vec![root.clone()];
        out.extend(self.to.keys().filter(|k| self.resolve(k) == root).cloned());
        out
    }
}

pub(super) fn json_list(ids: &[String]) -> Result<String, StoreError> {
    serde_json::to_string(ids).map_err(|e| StoreError::user(e.to_string()))
}

const ENTITY_COLUMNS: &str = "id, canonical, type, country, lat, lon, parent, role, discovered";

fn entity_from_row(row: &Row<'_>) -> rusqlite::Result<Entity> {
    Ok(Entity {
        id: row.get(0)?,
        canonical: row.get(1)?,
        entity_type: get_vocab(row, 2)?,
        aliases: Vec::new(),
        country: row.get(3)?,
        lat: row.get(4)?,
        lon: row.get(5)?,
        parent: row.get(6)?,
        role: row.get(7)?,
        discovered: row.get(8)?,
    })
}

/// Aliases ordered registry first, then discovered, then learned, each in insertion
/// order, so the best-attested names come first.
const ALIAS_ORDER: &str =
    "ORDER BY CASE source WHEN 'registry' THEN 0 WHEN 'discovered' THEN 1 ELSE 2 END, id";

/// Folds rows into entities as read through `redirects`: absorbed entities disappear and
/// lend their canonical name and aliases to the kept one. Aliases are deduplicated by
/// name key and never repeat the canonical name.
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

pub(super) fn all(conn: &Connection) -> Result<Vec<Entity>, StoreError> {
    let redirects = Redirects::load(conn)?;
    let sql = format!("SELECT {ENTITY_COLUMNS} FROM entities ORDER BY discovered, id");
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([], entity_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let sql = format!("SELECT entity, alias FROM aliases {ALIAS_ORDER}");
    let aliases = conn
        .prepare_cached(&sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(assemble(rows, aliases, &redirects))
}

pub(super) fn one(conn: &Connection, id: &str) -> Result<Option<Entity>, StoreError> {
    let redirects = Redirects::load(conn)?;
    let members = json_list(&redirects.members(id))?;
    let sql = format!(
        "SELECT {ENTITY_COLUMNS} FROM entities WHERE id IN (SELECT value FROM json_each(?1))"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([&members], entity_from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let sql = format!(
        "SELECT entity, alias FROM aliases WHERE entity IN (SELECT value FROM json_each(?1)) {ALIAS_ORDER}"
    );
    let aliases = conn
        .prepare_cached(&sql)?
        .query_map([&members], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(assemble(rows, aliases, &redirects).into_iter().next())
}

pub(super) fn lookup(conn: &Connection, name: &str) -> Result<Vec<String>, StoreError> {
    let key = name_key(name);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let redirects = Redirects::load(conn)?;
    let found: Vec<String> = conn
        .prepare_cached(
            "SELECT id FROM entities WHERE id = ?1 COLLATE NOCASE OR name_key = ?2
             UNION SELECT entity FROM aliases WHERE alias_key = ?2",
        )?
        .query_map(params![name.trim(), key], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut ids: Vec<String> = Vec::new();
    for id in found {
        let id = redirects.resolve_owned(id);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let mut counted = Vec::with_capacity(ids.len());
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM mentions WHERE entity IN (SELECT value FROM json_each(?1))",
    )?;
    for id in ids {
        let n: i64 = stmt.query_row([json_list(&redirects.members(&id))?], |r| r.get(0))?;
        counted.push((n, id));
    }
    counted.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Ok(counted.into_iter().map(|(_, id)| id).collect())
}

pub(super) fn learned_aliases(
    conn: &Connection,
    entity: &str,
) -> Result<Vec<LearnedAlias>, StoreError> {
    let redirects = Redirects::load(conn)?;
    let root = redirects.resolve(entity).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT a.alias, a.doc, a.span_start, a.span_end FROM aliases a
         LEFT JOIN documents d ON d.id = a.doc
         WHERE a.source = 'learned' AND a.entity IN (SELECT value FROM json_each(?1))
         ORDER BY d.num, a.span_start, a.id",
    )?;
    let rows = stmt.query_map([json_list(&redirects.members(entity))?], |r| {
        Ok(LearnedAlias {
            entity: root.clone(),
            alias: r.get(0)?,
            doc: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            start: get_usize(r, 2)?,
            end: get_usize(r, 3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn alias_counts(conn: &Connection, entity: &str) -> Result<Vec<AliasUsage>, StoreError> {
    let redirects = Redirects::load(conn)?;
    // With exactly one min() in an aggregate, SQLite takes the bare column `d.id` from
    // the row holding the minimum: the first document in ingest order.
    let mut stmt = conn.prepare_cached(
        "SELECT m.text, count(*) AS n, d.id, min(d.num)
         FROM mentions m JOIN documents d ON d.id = m.doc
         WHERE m.entity IN (SELECT value FROM json_each(?1))
         GROUP BY m.text ORDER BY n DESC, m.text",
    )?;
    let rows = stmt.query_map([json_list(&redirects.members(entity))?], |r| {
        Ok(AliasUsage {
            text: r.get(0)?,
            count: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
            first_doc: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn entity_exists(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM entities WHERE id = ?1")?
        .exists([id])?)
}

pub(super) fn merge(conn: &mut Connection, keep: &str, absorb: &str) -> Result<u64, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for id in [keep, absorb] {
        if !entity_exists(&tx, id)? {
            return Err(StoreError::user(format!(
                "no entity with id `{id}`; `dossier entities` lists the ids"
            )));
        }
    }
    let redirects = Redirects::load(&tx)?;
    if let Some(into) = redirects.to.get(absorb) {
        return Err(StoreError::user(format!(
            "`{absorb}` is already merged into `{into}`; undo that merge first"
        )));
    }
    // Merging into an absorbed entity means merging into what it reads as.
    let keep = redirects.resolve(keep).to_string();
    if keep == absorb {
        return Err(StoreError::user(format!(
            "`{absorb}` already reads as `{keep}`: nothing to merge"
        )));
    }
    tx.prepare_cached("INSERT INTO merges (keep, absorb) VALUES (?1, ?2)")?
        .execute([&keep, absorb])?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(u64::try_from(id).unwrap_or(0))
}

pub(super) fn undo_merge(conn: &mut Connection, merge_id: u64) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let id = i64::try_from(merge_id).unwrap_or(-1);
    let undone: Option<bool> = tx
        .prepare_cached("SELECT undone FROM merges WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match undone {
        None => {
            return Err(StoreError::user(format!(
                "there is no merge #{merge_id}; `dossier merges` lists them"
            )))
        }
        Some(true) => {
            return Err(StoreError::user(format!(
                "merge #{merge_id} is already undone"
            )))
        }
        Some(false) => {}
    }
    tx.prepare_cached(
        "UPDATE merges SET undone = 1, undone_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?1",
    )?
    .execute([id])?;
    tx.commit()?;
    Ok(())
}

pub(super) fn promote(conn: &mut Connection, id: &str) -> Result<Entity, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let discovered: Option<bool> = tx
        .prepare_cached("SELECT discovered FROM entities WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match discovered {
        None => {
            return Err(StoreError::user(format!(
                "no entity with id `{id}`; `dossier entities --discovered` lists candidates"
            )))
        }
        Some(false) => {
            return Err(StoreError::user(format!(
                "`{id}` is already in the registry; only discovered entities can be promoted"
            )))
        }
        Some(true) => {}
    }
    if let Some(into) = Redirects::load(&tx)?.to.get(id) {
        return Err(StoreError::user(format!(
            "`{id}` is merged into `{into}`; promote `{into}` or undo the merge first"
        )));
    }
    tx.prepare_cached("UPDATE entities SET curated = 1 WHERE id = ?1")?
        .execute([id])?;
    let entity = one(&tx, id)?.ok_or_else(|| StoreError::Corrupt {
        detail: format!("entity `{id}` vanished while being promoted"),
    })?;
    tx.commit()?;
    Ok(entity)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use crate::Store;

    #[test]
    fn entities_carry_registry_discovered_and_learned_aliases() {
        let s = store_with(&[("a", "sha-a")]);
        let all = s.entities().unwrap();
        assert_eq!(all.len(), 4);
        let lf = all.iter().find(|e| e.id == "lashkar-front").unwrap();
        assert_eq!(
            lf.aliases,
            ["LF"],
            "the learned LF repeats the registry alias"
        );
        let council = s.entity("hill-militia-council").unwrap().unwrap();
        assert_eq!(council.aliases, ["the Council"]);
        assert!(council.discovered);
    }

    #[test]
    fn alias_counts_tally_surface_texts_with_first_document() {
        let s = store_with(&[("a", "sha-a"), ("b", "sha-b")]);
        let counts = s.alias_counts("lashkar-front").unwrap();
        assert_eq!(counts.len(), 2);
        assert_eq!(counts[0].count, 2);
        assert_eq!(counts[0].first_doc, "a");
        assert_eq!(counts[0].text, "LF");
    }

    #[test]
    fn learned_aliases_keep_their_evidence_span() {
        let s = store_with(&[("a", "sha-a")]);
        let learned = s.learned_aliases("lashkar-front").unwrap();
        assert_eq!(learned.len(), 1);
        let (start, end) = span(TEXT, "Lashkar Front (LF)");
        assert_eq!((learned[0].start, learned[0].end), (start, end));
        assert_eq!(learned[0].doc, "a");
    }
}
