//! Incremental reconciliation: results persisted per group key and kept up to date as
//! documents arrive, so reading the whole store's reconciliation reads those results
//! instead of every figure and text.
//!
//! How it stays equal to a full rebuild (tested on the sample corpus in several
//! ingestion orders, byte for byte):
//! - Each figure and relation is stored prepared ([`PreparedFigure`],
//!   [`PreparedRelation`]: context sentence, carried period, topic, resolved source)
//!   under its group key ([`Reconciler::figure_key`], [`Reconciler::relation_key`]);
//!   a key's results depend only on its items and the metadata of their documents and
//!   copies, so after a commit only the keys the new documents touch are recomputed.
//! - What the entity tables say about each name an item looked up is stored too
//!   ([`Reconciler::term_state`]); a name whose answer changed (an alias learned by a
//!   later document) re-resolves and re-keys only its items.
//! - A new near-duplicate changes how its original's copies are counted: the keys of
//!   every document of the copy cluster are recomputed.
//! - Confidence weighs recency against the newest document in the store, so it is
//!   weighed when results are read.
//! - Each document is recorded with its items; one committed but never reconciled (its
//!   writer died in between) is caught up on the next read.
//! - Curation and registry changes mark the results stale (the store does it); a
//!   stale or differently configured store is rebuilt in full on the next read.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use dossier_model::{Analysis, Document, Figure, Relation};
use dossier_reconcile::{DocInfo, Partial, PreparedFigure, PreparedRelation, Reconciler};
use dossier_store::{
    copy_closure, Filter, ReconcileItem, ReconcileResult, Store, StoreError, RECONCILE_EMPTY,
};

use crate::reconcile::{reconciler_of, Reconciliation};
use crate::EngineError;

/// The reconciler that computes a key's results: its items are resolved already, so it
/// needs no entity table (and its fingerprint is what persisted results are valid for).
pub(crate) fn plain() -> Reconciler {
    Reconciler::default()
}

fn doc_info(d: &Document) -> DocInfo {
    DocInfo {
        doc: d.doc.clone(),
        published: d.published.clone(),
        near_duplicate_of: d.near_duplicate_of.clone(),
        publisher: d.publisher.clone(),
        text: d.text.clone(),
    }
}

fn is_relation_key(key: &str) -> bool {
    key.starts_with("r:")
}

/// One document's items: its figures prepared (canonical order), then its relations.
fn items_of(
    r: &Reconciler,
    doc: &DocInfo,
    figures: &[Figure],
    relations: &[Relation],
) -> Vec<ReconcileItem> {
    let mut out = Vec::new();
    for p in r.prepare_figures(figures, std::slice::from_ref(doc)) {
        out.push(ReconcileItem {
            doc: doc.doc.clone(),
            seq: 0,
            key: Reconciler::figure_key(&p),
            terms: Reconciler::figure_terms(&p),
            body: serde_json::to_string(&p).unwrap_or_default(),
        });
    }
    // Relations in a fixed order (as written or as read back), so a document's items
    // get the same positions whichever way they were obtained.
    let mut relations: Vec<&Relation> = relations.iter().collect();
    relations.sort_by_cached_key(|r| serde_json::to_string(r).unwrap_or_default());
    for rel in relations {
        let Some(key) = r.relation_key(rel) else {
            continue;
        };
        let p = r.prepare_relation(rel);
        out.push(ReconcileItem {
            doc: doc.doc.clone(),
            seq: 0,
            key,
            terms: Reconciler::relation_terms(&p),
            body: serde_json::to_string(&p).unwrap_or_default(),
        });
    }
    for (i, it) in out.iter_mut().enumerate() {
        it.seq = u32::try_from(i).unwrap_or(u32::MAX);
    }
    out
}

/// An item resolved again against the current entity tables (its key may change).
fn reresolve(r: &Reconciler, it: &ReconcileItem) -> Option<ReconcileItem> {
    let (key, body) = if is_relation_key(&it.key) {
        let mut p: PreparedRelation = serde_json::from_str(&it.body).ok()?;
        p = r.prepare_relation(&p.relation);
        (
            r.relation_key(&p.relation)?,
            serde_json::to_string(&p).ok()?,
        )
    } else {
        let mut p: PreparedFigure = serde_json::from_str(&it.body).ok()?;
        r.resolve_figure(&mut p);
        (Reconciler::figure_key(&p), serde_json::to_string(&p).ok()?)
    };
    Some(ReconcileItem {
        key,
        body,
        ..it.clone()
    })
}

/// One key's results from its items and documents; `None` when it has nothing to show.
fn key_partial(plain: &Reconciler, items: &[ReconcileItem], docs: &[Document]) -> Partial {
    let mut figures = Vec::new();
    let mut relations = Vec::new();
    for it in items {
        if is_relation_key(&it.key) {
            relations.extend(serde_json::from_str::<PreparedRelation>(&it.body).ok());
        } else {
            figures.extend(serde_json::from_str::<PreparedFigure>(&it.body).ok());
        }
    }
    let infos: Vec<DocInfo> = docs.iter().map(doc_info).collect();
    plain.partial(&figures, &relations, &infos)
}

fn to_result(p: &Partial) -> Option<ReconcileResult> {
    if p.is_empty() {
        return None;
    }
    Some(ReconcileResult {
        disputes: serde_json::to_string(&p.disputes).ok()?,
        contested: serde_json::to_string(&p.contested).ok()?,
        corroboration: serde_json::to_string(&p.corroboration).ok()?,
    })
}

fn from_result(r: &ReconcileResult) -> Result<Partial, EngineError> {
    let bad = |e: serde_json::Error| {
        EngineError::Store(StoreError::Corrupt {
            detail: format!("persisted reconciliation: {e}"),
        })
    };
    let list = |s: &str| if s.is_empty() { "[]" } else { s }.to_string();
    Ok(Partial {
        disputes: serde_json::from_str(&list(&r.disputes)).map_err(bad)?,
        contested: serde_json::from_str(&list(&r.contested)).map_err(bad)?,
        corroboration: serde_json::from_str(&list(&r.corroboration)).map_err(bad)?,
    })
}

fn newest(docs: &[Document]) -> Option<&str> {
    docs.iter().filter_map(|d| d.published.as_deref()).max()
}

/// Whether the persisted results answer for this build's reconciler.
pub(crate) fn is_valid<S: Store>(store: &S) -> Result<bool, EngineError> {
    Ok(match store.reconcile_valid_for()? {
        Some(v) => v == RECONCILE_EMPTY || v == plain().fingerprint(),
        None => false,
    })
}

/// Reconciles the documents committed without it (a writer about to, a writer that
/// died, workers that defer it); true when there were any. A failure is logged: the
/// documents stay missing for the next call.
pub(crate) fn catch_up<S: Store>(store: &S) -> Result<bool, EngineError> {
    if store.reconcile_missing_docs()?.is_empty() || !is_valid(store)? {
        return Ok(false);
    }
    // Which documents are missing is read again inside the exclusive section: workers
    // that reach here together do not each redo what the first one did.
    if let Err(e) = store.reconcile_begin_exclusive() {
        // Another writer holds it (it is reconciling them now): answer without them.
        tracing::warn!("documents not reconciled yet: {e}");
        return Ok(true);
    }
    let done = (|| -> Result<usize, EngineError> {
        let missing = store.reconcile_missing_docs()?;
        let mut docs = Vec::new();
        for id in &missing {
            docs.extend(store.document(id)?);
        }
        // No analysis at hand: the claims as stored.
        let mut analyses = Vec::new();
        for d in &docs {
            let by_doc = Filter {
                doc: Some(d.doc.clone()),
                ..Filter::default()
            };
            analyses.push(Analysis {
                figures: store.figures(&by_doc)?,
                relations: store.relations(&by_doc)?,
                ..Analysis::default()
            });
        }
        let refs: Vec<(&Document, &Analysis)> = docs.iter().zip(&analyses).collect();
        if let Some(keys) = touch(store, &refs)? {
            store.reconcile_mark_dirty(&keys)?;
        }
        Ok(missing.len())
    })();
    store.reconcile_end_exclusive(done.is_ok())?;
    if let Err(e) = &done {
        tracing::warn!("documents not reconciled yet: {e}");
    }
    Ok(true)
}

/// What cooperating workers run every so often instead of reconciling each commit:
/// the documents committed meanwhile (by any worker), then every marked key. Failures
/// are logged and left for the next call or read.
pub(crate) fn deferred<S: Store>(store: &S) {
    let run = || -> Result<(), EngineError> {
        if is_valid(store)? {
            catch_up(store)?;
        }
        Ok(())
    };
    if let Err(e) = run() {
        tracing::warn!("reconciliation left for the next read: {e}");
    }
    after_run(store);
}

/// The persisted results, assembled (`None` when they are stale).
pub(crate) fn read<S: Store>(
    store: &S,
    corroboration: bool,
) -> Result<Option<Reconciliation>, EngineError> {
    if !is_valid(store)? {
        return Ok(None);
    }
    // Documents a writer committed but has not reconciled yet (it is about to, it
    // died, or it is a worker that leaves them to `catch_up`): caught up now. When that
    // cannot be done (the writer holds the lock), the results without them are
    // answered, as a moment earlier.
    if catch_up(store)? && !is_valid(store)? {
        return Ok(None);
    }
    // Keys touched by commits whose run has not recomputed them yet.
    let dirty = store.reconcile_dirty_keys()?;
    if !dirty.is_empty() {
        if let Err(e) = recompute(store, &dirty) {
            tracing::warn!(
                "{} keys not recomputed, a full reconciliation follows: {e}",
                dirty.len()
            );
            return Ok(None);
        }
    }
    let parts = store
        .reconcile_results(corroboration)?
        .iter()
        .map(from_result)
        .collect::<Result<Vec<_>, _>>()?;
    let docs = store.documents()?;
    let (disputes, contested, corroboration) = plain().assemble(parts, newest(&docs));
    Ok(Some(Reconciliation {
        disputes,
        contested,
        corroboration,
    }))
}

/// Reconciles the whole store from its figures, relations and texts and persists the
/// result per key (unless another writer stored documents meanwhile: then it stays
/// stale and the next read rebuilds again).
pub(crate) fn rebuild<S: Store>(store: &S) -> Result<Reconciliation, EngineError> {
    let valid_for = plain().fingerprint();
    let all = Filter::default();
    let mut figures: BTreeMap<String, Vec<Figure>> = BTreeMap::new();
    for f in store.figures(&all)? {
        figures.entry(f.doc.clone()).or_default().push(f);
    }
    let mut relations: BTreeMap<String, Vec<Relation>> = BTreeMap::new();
    for r in store.relations(&all)? {
        relations.entry(r.doc.clone()).or_default().push(r);
    }
    let metas = store.documents()?;
    let r = reconciler_of(store)?;
    let mut items = Vec::new();
    for meta in &metas {
        let (f, rel) = (figures.get(&meta.doc), relations.get(&meta.doc));
        if f.is_none() && rel.is_none() {
            continue;
        }
        let text = match f {
            Some(_) => store.document(&meta.doc)?.and_then(|d| d.text),
            None => None,
        };
        let info = DocInfo {
            text,
            ..doc_info(meta)
        };
        items.extend(items_of(
            &r,
            &info,
            f.map_or(&[][..], Vec::as_slice),
            rel.map_or(&[][..], Vec::as_slice),
        ));
    }
    let mut by_key: BTreeMap<&str, Vec<ReconcileItem>> = BTreeMap::new();
    for it in &items {
        by_key.entry(it.key.as_str()).or_default().push(it.clone());
    }
    let plain = plain();
    let infos: Vec<DocInfo> = metas.iter().map(doc_info).collect();
    let mut sets = Vec::with_capacity(by_key.len());
    for (key, its) in &by_key {
        let mut figs = Vec::new();
        let mut rels = Vec::new();
        for it in its {
            if is_relation_key(key) {
                rels.extend(serde_json::from_str::<PreparedRelation>(&it.body).ok());
            } else {
                figs.extend(serde_json::from_str::<PreparedFigure>(&it.body).ok());
            }
        }
        sets.push((figs, rels));
    }
    let parts = plain.partials(&sets, &infos);
    let results: Vec<(String, ReconcileResult)> = by_key
        .keys()
        .zip(&parts)
        .filter_map(|(k, p)| Some((k.to_string(), to_result(p)?)))
        .collect();
    let terms: BTreeSet<&String> = items.iter().flat_map(|i| &i.terms).collect();
    let terms: Vec<(String, String)> = terms
        .into_iter()
        .map(|t| (t.clone(), r.term_state(t)))
        .collect();
    let persisted = store.reconcile_replace_all(&items, &terms, &results, &valid_for, metas.len());
    if let Err(e) = persisted {
        // A read-only store still answers; it rebuilds again next time.
        tracing::warn!("reconciliation not persisted: {e}");
    }
    let (disputes, contested, corroboration) = plain.assemble(parts, newest(&metas));
    Ok(Reconciliation {
        disputes,
        contested,
        corroboration,
    })
}

/// Stores the items of `docs` (committed, with their texts) and marks the keys they
/// touch for recomputation ([`after_run`] or the next read does it). Does nothing
/// while the results are stale (the next read rebuilds). A failure marks them stale
/// rather than failing the ingest that called it.
pub(crate) fn after_commit<S: Store>(store: &S, docs: &[(&Document, &Analysis)]) {
    if docs.is_empty() {
        return;
    }
    if let Err(e) = update(store, docs) {
        tracing::warn!("incremental reconciliation failed, a full one follows: {e}");
        if let Err(e) = store.set_reconcile_valid_for(None) {
            tracing::warn!("could not mark reconciliation stale: {e}");
        }
    }
}

/// The new documents' items stored and resolved, and the keys they touch marked, all
/// under the exclusive section.
fn update<S: Store>(store: &S, docs: &[(&Document, &Analysis)]) -> Result<(), EngineError> {
    if !is_valid(store)? {
        return Ok(());
    }
    store.reconcile_begin_exclusive()?;
    let done = touch(store, docs).and_then(|touched| match touched {
        Some(keys) => Ok(store.reconcile_mark_dirty(&keys)?),
        None => Ok(()),
    });
    store.reconcile_end_exclusive(done.is_ok())?;
    done
}

/// After an ingest run (every commit's items stored): the keys its commits touched
/// recomputed, each once, under its own lock. A key recomputed once per run rather
/// than per commit keeps a busy key (thousands of figures) from being recomputed
/// for every batch. Left for the next read when it fails.
pub(crate) fn after_run<S: Store>(store: &S) {
    let run = || -> Result<(), EngineError> {
        if !is_valid(store)? {
            return Ok(());
        }
        recompute(store, &store.reconcile_dirty_keys()?)
    };
    if let Err(e) = run() {
        tracing::warn!("reconciliation left for the next read: {e}");
    }
}

/// Recomputes these keys' results from what is committed.
pub(crate) fn recompute<S: Store>(store: &S, keys: &[String]) -> Result<(), EngineError> {
    let plain = plain();
    store.reconcile_update_keys(keys, &mut |_, items, docs| {
        to_result(&key_partial(&plain, items, docs))
    })?;
    Ok(())
}

/// Inside the exclusive section: stores the documents' items, re-resolves the items
/// of names the entity tables now answer differently, and returns every key touched
/// (`None` when the results turned out stale).
fn touch<S: Store>(
    store: &S,
    docs: &[(&Document, &Analysis)],
) -> Result<Option<Vec<String>>, EngineError> {
    let valid_for = store.reconcile_valid_for()?;
    let fingerprint = plain().fingerprint();
    match valid_for.as_deref() {
        Some(v) if v == RECONCILE_EMPTY || v == fingerprint => {}
        _ => return Ok(None),
    }
    let r = reconciler_of(store)?;
    let mut touched: BTreeSet<String> = BTreeSet::new();
    let mut items = Vec::new();
    // Reads see entity ids through merges: with a live merge, read the claims back.
    let as_written = store.reads_as_written()?;
    for (d, a) in docs {
        if as_written {
            items.extend(items_of(&r, &doc_info(d), &a.figures, &a.relations));
            continue;
        }
        let by_doc = Filter {
            doc: Some(d.doc.clone()),
            ..Filter::default()
        };
        let figures = store.figures(&by_doc)?;
        let relations = store.relations(&by_doc)?;
        items.extend(items_of(&r, &doc_info(d), &figures, &relations));
    }
    store.reconcile_put_items(&items)?;
    let ids: Vec<String> = docs.iter().map(|(d, _)| d.doc.clone()).collect();
    store.reconcile_mark_docs(&ids)?;
    touched.extend(items.iter().map(|i| i.key.clone()));

    let stored: HashMap<String, String> = store.reconcile_terms()?.into_iter().collect();
    let mut states = Vec::new();
    let mut changed = Vec::new();
    for (t, old) in &stored {
        let now = r.term_state(t);
        if &now != old {
            changed.push(t.clone());
            states.push((t.clone(), now));
        }
    }
    let fresh: BTreeSet<&String> = items
        .iter()
        .flat_map(|i| &i.terms)
        .filter(|t| !stored.contains_key(*t))
        .collect();
    states.extend(fresh.into_iter().map(|t| (t.clone(), r.term_state(t))));
    if !changed.is_empty() {
        let mut moved = Vec::new();
        for it in store.reconcile_items_naming(&changed)? {
            if let Some(new) = reresolve(&r, &it) {
                if new != it {
                    touched.insert(it.key.clone());
                    touched.insert(new.key.clone());
                    moved.push(new);
                }
            }
        }
        store.reconcile_put_items(&moved)?;
    }
    store.reconcile_set_terms(&states)?;

    // A new copy changes how every member of its copy cluster is counted.
    if docs.iter().any(|(d, _)| d.near_duplicate_of.is_some()) {
        let metas = store.documents()?;
        let mut of: HashMap<&str, &str> = HashMap::new();
        let mut copies: HashMap<&str, Vec<&str>> = HashMap::new();
        for m in &metas {
            if let Some(o) = m.near_duplicate_of.as_deref() {
                of.insert(m.doc.as_str(), o);
                copies.entry(o).or_default().push(m.doc.as_str());
            }
        }
        let linked = docs
            .iter()
            .filter(|(d, _)| d.near_duplicate_of.is_some())
            .map(|(d, _)| d.doc.as_str());
        let cluster = copy_closure(linked, &of, &copies);
        touched.extend(store.reconcile_keys_of_docs(&cluster)?);
    }
    if valid_for.as_deref() == Some(RECONCILE_EMPTY) {
        store.set_reconcile_valid_for(Some(&fingerprint))?;
    }
    Ok(Some(touched.into_iter().collect()))
}

/// The keys of these documents and of their copy clusters recomputed (after a
/// near-duplicate link was set on one of them after the fact).
pub(crate) fn docs_changed<S: Store>(store: &S, docs: &[String]) -> Result<(), EngineError> {
    if !is_valid(store)? {
        return Ok(());
    }
    let metas = store.documents()?;
    let mut of: HashMap<&str, &str> = HashMap::new();
    let mut copies: HashMap<&str, Vec<&str>> = HashMap::new();
    for m in &metas {
        if let Some(o) = m.near_duplicate_of.as_deref() {
            of.insert(m.doc.as_str(), o);
            copies.entry(o).or_default().push(m.doc.as_str());
        }
    }
    let cluster = copy_closure(docs.iter().map(String::as_str), &of, &copies);
    let keys = store.reconcile_keys_of_docs(&cluster)?;
    store.reconcile_mark_dirty(&keys)?;
    recompute(store, &keys)
}
