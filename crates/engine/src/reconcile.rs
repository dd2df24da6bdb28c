//! Cross-source reconciliation over the whole store: disputes, contested relations,
//! corroboration — read from the results persisted per group key and kept up to date
//! by every ingest (see the `incremental` module), rebuilt in full when stale.

use crate::{incremental, Engine, EngineError};
use dossier_model::Dispute;
use dossier_reconcile::{Contested, DocInfo, FigureSupport, Reconciler};
use dossier_store::{Filter, Store};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// Everything reconciliation found, for a set of figures and relations.
#[derive(Debug, Clone, Serialize)]
pub struct Reconciliation {
    pub disputes: Vec<Dispute>,
    pub contested: Vec<Contested>,
    pub corroboration: Vec<FigureSupport>,
}

/// The reconciler, told every entity's type (sources are graded by type when the
/// source table has no row of their own; provinces are told from countries).
pub(crate) fn reconciler_of<S: Store>(store: &S) -> Result<Reconciler, EngineError> {
    let entities = store.entities()?;
    // Names let a literal source ("United Nations investigators") count as the
    // body it speaks for when origins are counted.
    let names: Vec<(String, String)> = entities
        .iter()
        .flat_map(|e| {
            std::iter::once(e.canonical.clone())
                .chain(e.aliases.iter().cloned())
                .map(|n| (n, e.id.clone()))
        })
        .collect();
    let types: Vec<(String, dossier_model::EntityType)> = entities
        .into_iter()
        .map(|e| (e.id, e.entity_type))
        .collect();
    Ok(Reconciler::default()
        .with_entity_types(types)
        .with_entity_names(names))
}

impl<S: Store> Engine<S> {
    /// The reconciler, told every entity's type (sources are graded by type when the
    /// source table has no row of their own; provinces are told from countries).
    pub fn reconciler(&self) -> Result<Reconciler, EngineError> {
        reconciler_of(self.store())
    }

    /// Documents as reconciliation sees them, with their text (scope words are read
    /// from the sentence around each figure).
    pub fn doc_infos(&self) -> Result<Vec<DocInfo>, EngineError> {
        let store = self.store();
        let mut out = Vec::new();
        for meta in store.documents()? {
            let text = store.document(&meta.doc)?.and_then(|d| d.text);
            out.push(DocInfo {
                doc: meta.doc,
                published: meta.published,
                near_duplicate_of: meta.near_duplicate_of,
                publisher: meta.publisher,
                text,
            });
        }
        Ok(out)
    }

    /// Reconciliation as one entity's dossier needs it: the disputes among figures
    /// *about* the entity and the contested relations it is part of, equal to those of
    /// [`Engine::reconcile`] that concern it (tested on the sample corpus).
    ///
    /// Reconciling the whole store reads every figure and the text of every document
    /// (tens of seconds on 10,000 documents); this reads the documents that hold the
    /// entity's figures. A dispute groups figures of one subject, so the entity's
    /// disputes only involve its own figures; but a figure without a period takes the
    /// period of the figure before it in the same document, whatever that one's
    /// subject, so the whole of each such document is read. Every document's metadata
    /// is read (copies are traced to their original), not its text. Corroboration is
    /// left empty: no dossier shows it.
    pub fn reconcile_entity(&self, id: &str) -> Result<Reconciliation, EngineError> {
        let store = self.store();
        let by_entity = Filter {
            entity: Some(id.to_string()),
            ..Filter::default()
        };
        let own = store.figures(&by_entity)?;
        let docs_with_figures: BTreeSet<String> = own.iter().map(|f| f.doc.clone()).collect();
        let mut figures = Vec::new();
        for doc in &docs_with_figures {
            figures.extend(store.figures(&Filter {
                doc: Some(doc.clone()),
                ..Filter::default()
            })?);
        }
        let relations = store.relations(&by_entity)?;
        let mut docs = Vec::new();
        for meta in store.documents()? {
            let text = if docs_with_figures.contains(&meta.doc) {
                store.document(&meta.doc)?.and_then(|d| d.text)
            } else {
                None
            };
            docs.push(DocInfo {
                doc: meta.doc,
                published: meta.published,
                near_duplicate_of: meta.near_duplicate_of,
                publisher: meta.publisher,
                text,
            });
        }
        let r = self.reconciler()?;
        let mine: HashSet<(&str, &str)> = own
            .iter()
            .map(|f| (f.doc.as_str(), f.text.as_str()))
            .collect();
        let disputes = r
            .disputes(&figures, &docs)
            .into_iter()
            .filter(|d| {
                d.figures
                    .iter()
                    .any(|f| mine.contains(&(f.doc.as_str(), f.text.as_str())))
            })
            .collect();
        let contested = r.contested(&relations, &docs);
        Ok(Reconciliation {
            disputes,
            contested,
            corroboration: Vec::new(),
        })
    }

    /// Reconcile every figure and relation in the store (the result is the same
    /// whatever order the documents were ingested in): the persisted results when they
    /// are up to date, else a full rebuild, persisted for the next read.
    pub fn reconcile(&self) -> Result<Reconciliation, EngineError> {
        match incremental::read(self.store(), true)? {
            Some(r) => Ok(r),
            None => incremental::rebuild(self.store()),
        }
    }

    /// [`Engine::reconcile`] without corroboration (left empty), which is most of the
    /// persisted results: for the disputes view, figures and exports.
    pub fn reconcile_disputes(&self) -> Result<Reconciliation, EngineError> {
        match incremental::read(self.store(), false)? {
            Some(r) => Ok(r),
            None => {
                let mut r = incremental::rebuild(self.store())?;
                r.corroboration.clear();
                Ok(r)
            }
        }
    }

    /// Reconciles the whole store from its figures, relations and texts and replaces
    /// the persisted results (`dossier reconcile --rebuild`).
    pub fn rebuild_reconciliation(&self) -> Result<Reconciliation, EngineError> {
        incremental::rebuild(self.store())
    }

    /// Whether the persisted results are up to date (else the next read rebuilds).
    pub fn reconciliation_is_current(&self) -> Result<bool, EngineError> {
        incremental::is_valid(self.store())
    }

    /// Recomputes the persisted results these documents and their copies take part in,
    /// after their near-duplicate links were set after the fact (PostgreSQL workers
    /// settling copies stored at the same moment).
    pub fn reconcile_documents_changed(&self, docs: &[String]) -> Result<(), EngineError> {
        incremental::docs_changed(self.store(), docs)
    }
}

#[cfg(test)]
mod incremental_tests {
    use super::Reconciliation;
    use crate::Engine;
    use dossier_ingest::{Article, IngestConfig};
    use dossier_model::{Analysis, Bound, Document, Entity, EntityType, Figure, Metric};
    use dossier_registry::Registry;
    use dossier_store::{Filter, NewDocument, SqliteStore, Store};
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    /// The whole store reconciled from its figures, relations and texts, as
    /// `Engine::reconcile` did before results were persisted.
    fn whole_store(engine: &Engine<SqliteStore>) -> String {
        let all = Filter::default();
        let figures = engine.store().figures(&all).unwrap();
        let relations = engine.store().relations(&all).unwrap();
        let docs = engine.doc_infos().unwrap();
        let r = engine.reconciler().unwrap();
        let (disputes, corroboration) = r.disputes_and_corroboration(&figures, &docs);
        json(&Reconciliation {
            disputes,
            contested: r.contested(&relations, &docs),
            corroboration,
        })
    }

    fn json(r: &Reconciliation) -> String {
        serde_json::to_string_pretty(r).unwrap()
    }

    fn corpus() -> Vec<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    }

    /// Written for this test: a relation asserted and denied, and two counts of one
    /// year's attacks that disagree.
    fn invented() -> Vec<Article> {
        let mut out = Vec::new();
        for (name, text) in [
            (
                "claim.txt",
                "Support Alleged\n\nThe Afghan Taliban shelter the TTP, Pakistani officials said on Monday.",
            ),
            (
                "rebuttal.txt",
                "Kabul Answers\n\nThe Afghan Taliban denied sheltering the TTP in a statement.",
            ),
            (
                "tally.txt",
                "Yearly Tally\n\nIn 2024 the TTP carried out 515 attacks, a research group counted.",
            ),
        ] {
            for a in dossier_ingest::read_bytes(name, text.as_bytes(), &IngestConfig::default()) {
                out.push(a.unwrap());
            }
        }
        out
    }

    fn engine() -> Engine<SqliteStore> {
        Engine::new(
            SqliteStore::open_in_memory().unwrap(),
            Registry::builtin().unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn incremental_results_equal_a_full_rebuild_byte_for_byte_in_any_order() {
        let files = corpus();
        let mut reversed = files.clone();
        reversed.reverse();
        let mut rotated = files.clone();
        rotated.rotate_left(files.len() / 2);
        let mut interleaved: Vec<PathBuf> = files.iter().step_by(2).cloned().collect();
        interleaved.extend(files.iter().skip(1).step_by(2).cloned());
        let mut first: Option<String> = None;
        for (i, order) in [files, reversed, rotated, interleaved]
            .into_iter()
            .enumerate()
        {
            let mut e = engine();
            // Two or three documents per commit: each commit updates the results.
            e.set_write_batch(2 + i % 2, Duration::from_secs(3600));
            let mut invented = invented();
            if i % 2 == 1 {
                invented.reverse();
                e.ingest_articles(invented, &mut |_| {}).unwrap();
                e.ingest_paths(&order, &IngestConfig::default(), &mut |_| {})
                    .unwrap();
            } else {
                e.ingest_paths(&order, &IngestConfig::default(), &mut |_| {})
                    .unwrap();
                e.ingest_articles(invented, &mut |_| {}).unwrap();
            }
            assert!(e.reconciliation_is_current().unwrap(), "order {i}");
            let persisted = json(&e.reconcile().unwrap());
            assert!(persisted.contains("\"contested\": [\n    {"), "order {i}");
            assert_eq!(persisted, whole_store(&e), "order {i}");
            assert_eq!(
                persisted,
                json(&e.rebuild_reconciliation().unwrap()),
                "order {i}"
            );
            assert_eq!(persisted, json(&e.reconcile().unwrap()), "order {i}");
            let without = e.reconcile_disputes().unwrap();
            assert!(without.corroboration.is_empty());
            assert_eq!(json(&without), {
                let mut r = e.reconcile().unwrap();
                r.corroboration.clear();
                json(&r)
            });
            match &first {
                None => first = Some(persisted),
                Some(f) => assert_eq!(&persisted, f, "order {i}"),
            }
        }
    }

    #[test]
    fn a_merge_makes_the_next_read_a_full_reconciliation() {
        let mut e = engine();
        e.ingest_paths(&corpus(), &IngestConfig::default(), &mut |_| {})
            .unwrap();
        e.ingest_articles(invented(), &mut |_| {}).unwrap();
        let before = json(&e.reconcile().unwrap());
        // Two subjects of figures become one: their figures now meet in one group.
        let figures = e.store().figures(&Filter::default()).unwrap();
        let mut subjects: Vec<String> = figures.iter().filter_map(|f| f.subject.clone()).collect();
        subjects.sort();
        subjects.dedup();
        let (keep, absorb) = ("ttp", "afghan-taliban");
        assert!(subjects.iter().any(|s| s == keep) && subjects.iter().any(|s| s == absorb));
        let id = e.store_mut().merge_entities(keep, absorb).unwrap();
        assert!(!e.reconciliation_is_current().unwrap());
        let merged = json(&e.reconcile().unwrap());
        assert!(e.reconciliation_is_current().unwrap());
        assert_eq!(merged, whole_store(&e));
        assert_ne!(merged, before);
        // Documents after the merge are kept up to date incrementally again.
        let more = dossier_ingest::read_bytes(
            "later.txt",
            "Later Tally\n\nIn 2024 the Afghan Taliban carried out 480 attacks, monitors said."
                .as_bytes(),
            &IngestConfig::default(),
        );
        e.ingest_articles(more.into_iter().map(Result::unwrap).collect(), &mut |_| {})
            .unwrap();
        assert!(e.reconciliation_is_current().unwrap());
        assert_eq!(json(&e.reconcile().unwrap()), whole_store(&e));
        e.store_mut().undo_merge(id).unwrap();
        assert_eq!(json(&e.reconcile().unwrap()), whole_store(&e));
    }

    fn stored(e: &mut Engine<SqliteStore>, id: &str, text: &str, analysis: &Analysis) {
        committed(e, id, text, analysis);
        let doc = e.store().document(id).unwrap().unwrap();
        crate::incremental::after_commit(e.store(), &[(&doc, analysis)]);
    }

    /// A document committed by a writer that died before updating reconciliation.
    fn committed(e: &mut Engine<SqliteStore>, id: &str, text: &str, analysis: &Analysis) {
        let doc = Document {
            doc: id.into(),
            title: None,
            published: Some("2025-01-10".into()),
            publisher: None,
            author: None,
            url: None,
            sha256: id.into(),
            chars: text.chars().count(),
            near_duplicate_of: None,
            origin: None,
            text: Some(text.into()),
        };
        e.store_mut()
            .insert_document(&NewDocument {
                doc: &doc,
                fingerprint: &[],
                bands: &[],
                analysis,
            })
            .unwrap();
    }

    fn count(doc: &str, text: &str, value: f64, source: &str) -> Figure {
        let start = text.find("attacks").unwrap_or(0).saturating_sub(4);
        Figure {
            doc: doc.into(),
            value,
            value_max: None,
            bound: Bound::Exact,
            unit: "attacks".into(),
            metric: Metric::Attacks,
            subject: Some("ttp".into()),
            period: Some("2024".into()),
            place: None,
            source: Some(source.into()),
            hedged: false,
            start,
            end: start + 11,
            text: text.get(start..start + 11).unwrap_or_default().into(),
            rule: "test".into(),
        }
    }

    /// A source named loosely in an early document ("Valley Watch researchers") is
    /// found to be a known body only when a later document introduces that body: the
    /// early figure's origin changes, and so does how many origins back the count.
    #[test]
    fn a_name_learned_later_re_resolves_the_earlier_figures() {
        let mut e = engine();
        let a = "Valley Watch researchers counted 300 attacks in 2024.";
        let b = "The group Valley Watch says 300 attacks took place in 2024.";
        let first = Analysis {
            figures: vec![count("early", a, 300.0, "Valley Watch researchers")],
            ..Analysis::default()
        };
        stored(&mut e, "early", a, &first);
        let second = Analysis {
            discovered: vec![Entity {
                id: "valley-watch".into(),
                canonical: "Valley Watch".into(),
                entity_type: EntityType::ResearchOrg,
                aliases: vec![],
                country: None,
                lat: None,
                lon: None,
                parent: None,
                role: None,
                discovered: true,
            }],
            figures: vec![count("later", b, 300.0, "valley-watch")],
            ..Analysis::default()
        };
        stored(&mut e, "later", b, &second);
        assert!(e.reconciliation_is_current().unwrap());
        let r = e.reconcile().unwrap();
        let support = r
            .corroboration
            .iter()
            .find(|s| s.topic == "attacks by ttp in 2024")
            .unwrap();
        assert_eq!(support.independent_origins, 1, "{support:?}");
        assert_eq!(json(&r), whole_store(&e));
    }

    #[test]
    fn a_document_its_writer_did_not_reconcile_is_caught_up_on_the_next_read() {
        let mut e = engine();
        e.ingest_paths(&corpus(), &IngestConfig::default(), &mut |_| {})
            .unwrap();
        let text = "Our tally: the TTP carried out 9999 attacks in 2024, far above others.";
        let lost = Analysis {
            figures: vec![count("lost", text, 9999.0, "author")],
            ..Analysis::default()
        };
        committed(&mut e, "lost", text, &lost);
        assert_eq!(e.store().reconcile_missing_docs().unwrap(), ["lost"]);
        let r = json(&e.reconcile().unwrap());
        assert!(r.contains("9999"));
        assert_eq!(r, whole_store(&e));
        assert!(e.store().reconcile_missing_docs().unwrap().is_empty());
        assert!(e.reconciliation_is_current().unwrap());
    }
}

#[cfg(test)]
mod tests {
    use crate::Engine;
    use dossier_ingest::IngestConfig;
    use dossier_registry::Registry;
    use dossier_store::{Filter, SqliteStore, Store};
    use std::collections::BTreeSet;
    use std::path::Path;

    /// On the sample corpus, for every entity with figures or relations, the scoped
    /// reconciliation finds exactly the disputes and contested relations of the whole
    /// store's that concern the entity.
    #[test]
    fn entity_reconciliation_equals_the_whole_stores_restricted_to_the_entity() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
        let mut engine = Engine::new(
            SqliteStore::open_in_memory().unwrap(),
            Registry::builtin().unwrap(),
        )
        .unwrap();
        engine
            .ingest_paths(&[dir], &IngestConfig::default(), &mut |_| {})
            .unwrap();
        // Written for this test: one relation asserted and denied (contested).
        let mut articles = Vec::new();
        for (name, text) in [
            (
                "support.txt",
                "Support Claimed\n\nThe Afghan Taliban support the TTP, a UN monitoring report said.",
            ),
            (
                "denial.txt",
                "Kabul Rejects Claims\n\nThe Afghan Taliban denied supporting the TTP.",
            ),
        ] {
            for a in dossier_ingest::read_bytes(name, text.as_bytes(), &IngestConfig::default()) {
                articles.push(a.unwrap());
            }
        }
        engine.ingest_articles(articles, &mut |_| {}).unwrap();
        let all = engine.reconcile().unwrap();
        assert!(!all.disputes.is_empty() && !all.contested.is_empty());
        let store = engine.store();
        let mut ids: BTreeSet<String> = BTreeSet::new();
        for f in store.figures(&Filter::default()).unwrap() {
            ids.extend(f.subject);
        }
        for r in store.relations(&Filter::default()).unwrap() {
            ids.insert(r.source);
            ids.insert(r.target);
        }
        let mut checked_disputes = 0;
        for id in ids {
            let own: BTreeSet<(String, String)> = store
                .figures(&Filter {
                    entity: Some(id.clone()),
                    ..Filter::default()
                })
                .unwrap()
                .into_iter()
                .map(|f| (f.doc, f.text))
                .collect();
            let want: Vec<_> = all
                .disputes
                .iter()
                .filter(|d| {
                    d.figures
                        .iter()
                        .any(|f| own.contains(&(f.doc.clone(), f.text.clone())))
                })
                .collect();
            let scoped = engine.reconcile_entity(&id).unwrap();
            assert_eq!(scoped.disputes.iter().collect::<Vec<_>>(), want, "{id}");
            checked_disputes += want.len();
            let want: Vec<_> = all
                .contested
                .iter()
                .filter(|c| c.source == id || c.target == id)
                .collect();
            assert_eq!(scoped.contested.iter().collect::<Vec<_>>(), want, "{id}");
        }
        assert!(checked_disputes > 0);
    }
}
