//! Reconciliation in pieces: the results of each group key computed alone, then
//! assembled into exactly what the whole store's reconciliation gives.
//!
//! Figures only ever meet figures of the same cluster ([`Reconciler::figure_key`]:
//! metric, subject or topic, unit, anchored or not); the place and period splits happen
//! inside a cluster and depend on its other members, so a cluster is recomputed whole.
//! A figure that can never meet another document's stands alone, keyed by its document.
//! Relations only ever meet relations of the same endpoints and class
//! ([`Reconciler::relation_key`]). Everything a key's results need is in its
//! [`PreparedFigure`]s and [`PreparedRelation`]s plus the [`DocInfo`] of their documents
//! and of the copies of those (copy clusters are named by their smallest id): no text,
//! no entity table. Confidence also depends on the newest document in the store, so a
//! [`Partial`] keeps the evidence and [`Reconciler::assemble`] weighs it.
//!
//! ```
//! use dossier_model::{Bound, Figure, Metric};
//! use dossier_reconcile::{DocInfo, Reconciler};
//! use std::collections::BTreeMap;
//!
//! let fig = |doc: &str, value: f64| Figure {
//!     doc: doc.into(), value, value_max: None, bound: Bound::Exact, unit: "attacks".into(),
//!     metric: Metric::Attacks, subject: Some("ttp".into()), period: Some("2024".into()),
//!     place: None, source: None, hedged: false, start: 0, end: 3,
//!     text: String::new(), rule: "example".into(),
//! };
//! let figures = [fig("a", 600.0), fig("b", 482.0)];
//! let docs = [DocInfo::new("a"), DocInfo::new("b")];
//! let r = Reconciler::default();
//! let mut by_key: BTreeMap<String, Vec<_>> = BTreeMap::new();
//! for p in r.prepare_figures(&figures, &docs) {
//!     by_key.entry(Reconciler::figure_key(&p)).or_default().push(p);
//! }
//! let parts = by_key.values().map(|figs| r.partial(figs, &[], &docs));
//! let (disputes, _, _) = r.assemble(parts, None);
//! assert_eq!(disputes, r.disputes(&figures, &docs));
//! ```

use std::cmp::Ordering;

use dossier_model::{Dispute, Metric};
use serde::{Deserialize, Serialize};

use crate::confidence::Evidence;
use crate::figures::{FigureSupport, PreparedFigure};
use crate::relations::{Contested, PreparedRelation};
use crate::{DocInfo, Docs, Reconciler};

/// Bumped when the meaning of persisted keys or partial results changes, so stores
/// rebuild them.
const FORMAT: u32 = 1;

/// Where a group comes in the whole store's order: lone figures in canonical order,
/// then clusters by key, place and period. Output sorted by topic keeps this order
/// among equal topics.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GroupOrder {
    Single {
        doc: String,
        start: usize,
        end: usize,
        metric: Metric,
    },
    Cluster {
        metric: Metric,
        subject: Option<String>,
        unit: String,
        loose: bool,
        place: Option<String>,
        period: Option<String>,
    },
}

/// The results of some group keys, ready to be stored and assembled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    pub disputes: Vec<(GroupOrder, Dispute)>,
    /// (group, component within the group, support with confidence 0, its evidence)
    pub corroboration: Vec<(GroupOrder, usize, FigureSupport, Vec<Evidence>)>,
    pub contested: Vec<Contested>,
}

impl Partial {
    /// Nothing to show: no dispute, claim or contest.
    pub fn is_empty(&self) -> bool {
        self.disputes.is_empty() && self.corroboration.is_empty() && self.contested.is_empty()
    }

    /// The stored form (JSON; floats round-trip exactly).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(s)
    }
}

pub(crate) fn sort_disputes(v: &mut [(GroupOrder, Dispute)]) {
    v.sort_by(|a, b| {
        (a.1.topic.as_str(), a.1.classification.as_str(), &a.0).cmp(&(
            b.1.topic.as_str(),
            b.1.classification.as_str(),
            &b.0,
        ))
    });
}

fn support_order(
    a: &(GroupOrder, usize, FigureSupport, Vec<Evidence>),
    b: &(GroupOrder, usize, FigureSupport, Vec<Evidence>),
) -> Ordering {
    a.2.topic
        .cmp(&b.2.topic)
        .then(a.2.value.total_cmp(&b.2.value))
        .then(a.2.bound.cmp(&b.2.bound))
        .then_with(|| (&a.0, a.1).cmp(&(&b.0, b.1)))
}

impl Reconciler {
    /// The results of prepared figures and relations (typically one key's). `docs`
    /// must hold the documents of the figures and relations and every copy of them.
    /// Uses no entity table: a plain `Reconciler::new(cfg, sources)` gives the same.
    pub fn partial(
        &self,
        figures: &[PreparedFigure],
        relations: &[PreparedRelation],
        docs: &[DocInfo],
    ) -> Partial {
        self.partial_in(figures, relations, &Docs::new(docs))
    }

    /// [`Reconciler::partial`] for several keys' figures and relations over one set of
    /// documents (read once).
    pub fn partials(
        &self,
        keys: &[(Vec<PreparedFigure>, Vec<PreparedRelation>)],
        docs: &[DocInfo],
    ) -> Vec<Partial> {
        let docs = Docs::new(docs);
        keys.iter()
            .map(|(f, r)| self.partial_in(f, r, &docs))
            .collect()
    }

    pub(crate) fn partial_in(
        &self,
        figures: &[PreparedFigure],
        relations: &[PreparedRelation],
        docs: &Docs<'_>,
    ) -> Partial {
        let mut p = self.figure_partial(figures, docs);
        p.contested = self.contested_in(relations, docs);
        p
    }

    /// Disputes, contested relations and corroboration, in the order the whole store's
    /// reconciliation gives them, from the partial results of disjoint sets of keys.
    /// `newest` is the newest publication date in the store (recency is weighed
    /// against it).
    pub fn assemble(
        &self,
        parts: impl IntoIterator<Item = Partial>,
        newest: Option<&str>,
    ) -> (Vec<Dispute>, Vec<Contested>, Vec<crate::FigureSupport>) {
        let mut disputes = Vec::new();
        let mut corroboration = Vec::new();
        let mut contested = Vec::new();
        for p in parts {
            disputes.extend(p.disputes);
            corroboration.extend(p.corroboration);
            contested.extend(p.contested);
        }
        sort_disputes(&mut disputes);
        corroboration.sort_by(support_order);
        contested.sort_by(|a: &Contested, b: &Contested| {
            (&a.source, &a.class, &a.target).cmp(&(&b.source, &b.class, &b.target))
        });
        let corroboration = corroboration
            .into_iter()
            .map(|(_, _, mut s, evidence)| {
                s.confidence = self.confidence(&evidence, newest);
                s
            })
            .collect();
        (
            disputes.into_iter().map(|(_, d)| d).collect(),
            contested,
            corroboration,
        )
    }

    /// What the entity tables say about one name (a source, subject, place or
    /// attribution as [`Reconciler::figure_terms`] and [`Reconciler::relation_terms`]
    /// list them): prepared records naming it must be resolved again when this changes.
    pub fn term_state(&self, term: &str) -> String {
        format!(
            "{}\u{1f}{:?}\u{1f}{:?}\u{1f}{}",
            self.origin_of(term),
            self.rate(Some(term)),
            self.entity_type(term),
            self.entity_types.is_empty()
        )
    }

    /// A fingerprint of everything but the entity tables that results depend on
    /// (configuration, source grades, cue phrases, the stored format): results persisted
    /// under another fingerprint are rebuilt.
    pub fn fingerprint(&self) -> String {
        let text = format!("{FORMAT}|{:?}|{:?}|{:?}", self.cfg, self.sources, self.cues);
        format!("{FORMAT}-{:016x}", fnv1a(text.as_bytes()))
    }
}

/// FNV-1a, 64 bits: a stable hash (the standard library's may change between builds).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_model::{Bound, EntityType, Figure, Relation, RelationType, Stance};
    use std::collections::{BTreeMap, BTreeSet};

    fn fig(doc: &str, text: &str, needle: &str, value: f64) -> Figure {
        let start = text.find(needle).unwrap_or(0);
        Figure {
            doc: doc.into(),
            value,
            value_max: None,
            bound: Bound::Exact,
            unit: "attacks".into(),
            metric: Metric::Attacks,
            subject: Some("ttp".into()),
            period: Some("2023".into()),
            place: None,
            source: None,
            hedged: false,
            start,
            end: start + needle.len(),
            text: needle.into(),
            rule: "test".into(),
        }
    }

    fn rel(doc: &str, stance: Stance, by: Option<&str>) -> Relation {
        Relation {
            doc: doc.into(),
            source: "kabul-rulers".into(),
            relation_type: RelationType::Shelters,
            target: "ttp".into(),
            stance,
            attributed_to: by.map(str::to_string),
            start: 0,
            end: 4,
            text: "text".into(),
            rule: "test".into(),
        }
    }

    /// Our own four short reports: two counts of one year's attacks (one report copied
    /// by a second outlet), a count without a period that takes the one before it, a
    /// count of casualties in a province by nobody in particular, a stock of rifles
    /// known only by its lead-in, and a sheltering claim denied by a spokesman.
    fn sample() -> (Vec<Figure>, Vec<Relation>, Vec<DocInfo>) {
        let a = "In 2023 the group staged 310 attacks, the monitors said. It then staged 40 more raids.";
        let b = "Officials counted 255 attacks by the group in 2023.";
        let c = "Troops left behind their depots.\nThe stock held 90,000 rifles. Clashes in Kurram killed 12 people in 2023.";
        let mut raid = fig("a", a, "40 more raids", 40.0);
        raid.period = None;
        let mut stock = fig("c", c, "90,000 rifles", 90000.0);
        (stock.metric, stock.subject, stock.period, stock.unit) =
            (Metric::Weapons, None, None, "items".into());
        let mut killed = fig("c", c, "12 people", 12.0);
        (killed.metric, killed.subject, killed.place, killed.unit) = (
            Metric::Fatalities,
            Some("people".into()),
            Some("Kurram".into()),
            "people".into(),
        );
        let mut monitors = fig("a", a, "310 attacks", 310.0);
        monitors.source = Some("Monitors".into());
        let figures = vec![
            monitors,
            raid,
            fig("b", b, "255 attacks", 255.0),
            fig("d", b, "255 attacks", 255.0),
            stock,
            killed,
        ];
        let relations = vec![
            rel("a", Stance::Asserted, Some("UN monitors")),
            rel("b", Stance::Denied, Some("spokesman")),
            rel("c", Stance::Speculative, None),
        ];
        let mut d = DocInfo::new("d");
        d.near_duplicate_of = Some("b".into());
        d.published = Some("2024-02-01".into());
        let docs = vec![
            DocInfo {
                text: Some(a.into()),
                published: Some("2024-01-05".into()),
                ..DocInfo::new("a")
            },
            DocInfo {
                text: Some(b.into()),
                published: Some("2023-12-30".into()),
                ..DocInfo::new("b")
            },
            DocInfo {
                text: Some(c.into()),
                ..DocInfo::new("c")
            },
            DocInfo {
                text: Some(b.into()),
                ..d
            },
        ];
        (figures, relations, docs)
    }

    fn reconciler() -> Reconciler {
        Reconciler::default()
            .with_entity_types([
                ("ttp".to_string(), EntityType::ArmedGroup),
                ("kurram".to_string(), EntityType::District),
            ])
            .with_entity_names([("UN".to_string(), "un".to_string())])
    }

    #[test]
    fn per_key_results_assemble_into_the_whole_stores_in_any_order() {
        let (figures, relations, docs) = sample();
        let r = reconciler();
        let (disputes, corroboration) = r.disputes_and_corroboration(&figures, &docs);
        let contested = r.contested(&relations, &docs);
        assert!(!disputes.is_empty() && !contested.is_empty());
        let whole = serde_json::to_string(&(&disputes, &contested, &corroboration)).unwrap();

        // Keys from each document alone, results from each key alone through their
        // stored form, assembled by a reconciler that knows no entity.
        let plain = Reconciler::default();
        for rotate in 0..docs.len() {
            let mut order = docs.clone();
            order.rotate_left(rotate);
            let mut figs: BTreeMap<String, Vec<PreparedFigure>> = BTreeMap::new();
            let mut rels: BTreeMap<String, Vec<PreparedRelation>> = BTreeMap::new();
            for d in &order {
                let own: Vec<Figure> = figures.iter().filter(|f| f.doc == d.doc).cloned().collect();
                for p in r.prepare_figures(&own, std::slice::from_ref(d)) {
                    figs.entry(Reconciler::figure_key(&p)).or_default().push(p);
                }
                for rel in relations.iter().filter(|x| x.doc == d.doc) {
                    if let Some(k) = r.relation_key(rel) {
                        rels.entry(k).or_default().push(r.prepare_relation(rel));
                    }
                }
            }
            let keys: BTreeSet<&String> = figs.keys().chain(rels.keys()).collect();
            assert!(keys.len() >= 4, "{keys:?}");
            let parts = keys.into_iter().map(|k| {
                let p = plain.partial(
                    figs.get(k).map_or(&[][..], Vec::as_slice),
                    rels.get(k).map_or(&[][..], Vec::as_slice),
                    &order,
                );
                Partial::from_json(&p.to_json()).unwrap()
            });
            let newest = order.iter().filter_map(|d| d.published.as_deref()).max();
            let (d, c, s) = plain.assemble(parts, newest);
            let got = serde_json::to_string(&(&d, &c, &s)).unwrap();
            assert_eq!(got, whole, "rotation {rotate}");
        }
    }

    #[test]
    fn a_name_learned_later_changes_its_terms_state() {
        let before =
            Reconciler::default().with_entity_types([("ttp".to_string(), EntityType::ArmedGroup)]);
        let after = before
            .clone()
            .with_entity_names([("Monitors".to_string(), "ttp".to_string())]);
        assert_ne!(
            before.term_state("Monitors staff"),
            after.term_state("Monitors staff")
        );
        assert_eq!(before.term_state("ttp"), after.term_state("ttp"));
        assert_eq!(before.fingerprint(), after.fingerprint());
        let (figures, _, docs) = sample();
        let p = &before.prepare_figures(&figures, &docs)[0];
        assert_eq!(Reconciler::figure_terms(p), ["Monitors", "ttp"]);
    }

    #[test]
    fn lone_figures_are_keyed_by_their_document() {
        let (figures, _, docs) = sample();
        let r = reconciler();
        let keys: Vec<String> = r
            .prepare_figures(&figures, &docs)
            .iter()
            .map(Reconciler::figure_key)
            .collect();
        assert!(keys.contains(&"s:a".to_string()) || keys.iter().all(|k| k.starts_with("f:")));
        assert!(
            keys.iter().filter(|k| k.starts_with("f:")).count() >= 2,
            "{keys:?}"
        );
    }
}
