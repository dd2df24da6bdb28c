//! Cross-source reconciliation over the whole store: disputes, contested relations,
//! corroboration.

use crate::{Engine, EngineError};
use dossier_model::{Dispute, Figure, Relation};
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

impl<S: Store> Engine<S> {
    /// The reconciler, told every entity's type (sources are graded by type when the
    /// source table has no row of their own; provinces are told from countries).
    pub fn reconciler(&self) -> Result<Reconciler, EngineError> {
        let entities = self.store().entities()?;
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
    /// whatever order the documents were ingested in).
    pub fn reconcile(&self) -> Result<Reconciliation, EngineError> {
        let all = Filter::default();
        let figures: Vec<Figure> = self.store().figures(&all)?;
        let relations: Vec<Relation> = self.store().relations(&all)?;
        let docs = self.doc_infos()?;
        let r = self.reconciler()?;
        let (disputes, corroboration) = r.disputes_and_corroboration(&figures, &docs);
        Ok(Reconciliation {
            disputes,
            contested: r.contested(&relations, &docs),
            corroboration,
        })
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
