//! Cross-source reconciliation over the whole store: disputes, contested relations,
//! corroboration.

use crate::{Engine, EngineError};
use dossier_model::{Dispute, Figure, Relation};
use dossier_reconcile::{Contested, DocInfo, FigureSupport, Reconciler};
use dossier_store::{Filter, Store};
use serde::Serialize;

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
        let types: Vec<(String, dossier_model::EntityType)> = self
            .store()
            .entities()?
            .into_iter()
            .map(|e| (e.id, e.entity_type))
            .collect();
        Ok(Reconciler::default().with_entity_types(types))
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

    /// Reconcile every figure and relation in the store (the result is the same
    /// whatever order the documents were ingested in).
    pub fn reconcile(&self) -> Result<Reconciliation, EngineError> {
        let all = Filter::default();
        let figures: Vec<Figure> = self.store().figures(&all)?;
        let relations: Vec<Relation> = self.store().relations(&all)?;
        let docs = self.doc_infos()?;
        let r = self.reconciler()?;
        Ok(Reconciliation {
            disputes: r.disputes(&figures, &docs),
            contested: r.contested(&relations, &docs),
            corroboration: r.corroboration(&figures, &docs),
        })
    }
}
