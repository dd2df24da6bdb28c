//! Relations asserted by some sources and denied by others.

use std::collections::{BTreeMap, BTreeSet};

use dossier_model::{Relation, RelationType, Stance};
use serde::{Deserialize, Serialize};

use crate::{DocInfo, Docs, Reconciler};

/// A relation with the origin its attribution stands for, resolved through the
/// reconciler's entity names (see [`Reconciler::prepare_relation`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreparedRelation {
    pub relation: Relation,
    /// The origin `attributed_to` stands for; `None` when the author speaks.
    pub origin: Option<String>,
}

/// A relation some sources assert and others deny.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contested {
    /// `afghan-taliban support ttp`
    pub topic: String,
    pub source: String,
    /// The relation class: `support` pools supports/finances/shelters/arms/trains.
    pub class: String,
    pub target: String,
    pub asserted: Vec<RelationSide>,
    pub denied: Vec<RelationSide>,
    /// Independent origins on each side (copies and same-origin citations count once).
    pub asserted_origins: usize,
    pub denied_origins: usize,
    pub explanation: String,
}

/// One statement on one side of a contested relation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RelationSide {
    pub doc: String,
    #[serde(rename = "type")]
    pub relation_type: RelationType,
    pub stance: Stance,
    pub attributed_to: Option<String>,
    /// Who the statement traces back to: the attributed source, or `doc:<original>`.
    pub origin: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Reconciler {
    /// Relations (source, class, target) asserted — or reported or alleged — by some
    /// statements and denied by others. Speculation takes no side.
    pub fn contested(&self, relations: &[Relation], docs: &[DocInfo]) -> Vec<Contested> {
        let prepared: Vec<PreparedRelation> =
            relations.iter().map(|r| self.prepare_relation(r)).collect();
        self.contested_in(&prepared, &Docs::new(docs))
    }

    /// A relation with its attribution resolved (run again when the entity tables change).
    pub fn prepare_relation(&self, r: &Relation) -> PreparedRelation {
        PreparedRelation {
            relation: r.clone(),
            origin: r
                .attributed_to
                .as_deref()
                .map(|a| self.origin_of(a))
                .filter(|a| !a.is_empty() && a != "author"),
        }
    }

    /// The names [`Reconciler::prepare_relation`] looks up (the attribution as written).
    pub fn relation_terms(p: &PreparedRelation) -> Vec<String> {
        p.relation.attributed_to.iter().cloned().collect()
    }

    /// The key of the contest a relation takes part in (endpoints and relation class),
    /// or `None` for speculation, which takes no side.
    pub fn relation_key(&self, r: &Relation) -> Option<String> {
        if r.stance == Stance::Speculative {
            return None;
        }
        let key = self.contest_key(r);
        Some(format!(
            "r:{}",
            serde_json::to_string(&key).unwrap_or_default()
        ))
    }

    fn contest_key(&self, r: &Relation) -> (String, String, String) {
        (
            r.source.trim().to_lowercase(),
            self.cues().relation_class(r.relation_type),
            r.target.trim().to_lowercase(),
        )
    }

    pub(crate) fn contested_in(
        &self,
        relations: &[PreparedRelation],
        docs: &Docs<'_>,
    ) -> Vec<Contested> {
        type Key = (String, String, String);
        let mut sides: BTreeMap<Key, (BTreeSet<RelationSide>, BTreeSet<RelationSide>)> =
            BTreeMap::new();
        for p in relations {
            let r = &p.relation;
            let for_it = match r.stance {
                Stance::Asserted | Stance::Reported | Stance::Alleged => true,
                Stance::Denied => false,
                Stance::Speculative => continue,
            };
            let attributed = p.origin.clone();
            let side = RelationSide {
                doc: r.doc.clone(),
                relation_type: r.relation_type,
                stance: r.stance,
                attributed_to: r.attributed_to.clone(),
                origin: attributed.unwrap_or_else(|| format!("doc:{}", docs.root(&r.doc))),
                start: r.start,
                end: r.end,
                text: r.text.clone(),
            };
            let key = self.contest_key(r);
            let entry = sides.entry(key).or_default();
            if for_it {
                entry.0.insert(side);
            } else {
                entry.1.insert(side);
            }
        }
        sides
            .into_iter()
            .filter(|(_, (a, d))| !a.is_empty() && !d.is_empty())
            .map(|((source, class, target), (asserted, denied))| {
                let origins = |s: &BTreeSet<RelationSide>| {
                    s.iter().map(|x| x.origin.clone()).collect::<BTreeSet<_>>()
                };
                let (ao, dor) = (origins(&asserted), origins(&denied));
                let list = |o: &BTreeSet<String>| o.iter().cloned().collect::<Vec<_>>().join(", ");
                Contested {
                    topic: format!("{source} {class} {target}"),
                    explanation: format!(
                        "asserted by {} ({} origin{}); denied by {} ({} origin{})",
                        list(&ao),
                        ao.len(),
                        if ao.len() == 1 { "" } else { "s" },
                        list(&dor),
                        dor.len(),
                        if dor.len() == 1 { "" } else { "s" },
                    ),
                    source,
                    class,
                    target,
                    asserted_origins: ao.len(),
                    denied_origins: dor.len(),
                    asserted: asserted.into_iter().collect(),
                    denied: denied.into_iter().collect(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(doc: &str, t: RelationType, stance: Stance, by: Option<&str>) -> Relation {
        Relation {
            doc: doc.into(),
            source: "afghan-taliban".into(),
            relation_type: t,
            target: "ttp".into(),
            stance,
            attributed_to: by.map(str::to_string),
            start: 0,
            end: 4,
            text: "text".into(),
            rule: "test".into(),
        }
    }

    #[test]
    fn a_denied_sanctuary_contests_asserted_financing() {
        let rels = [
            rel(
                "a",
                RelationType::Finances,
                Stance::Asserted,
                Some("un-monitoring-team"),
            ),
            rel(
                "b",
                RelationType::Supports,
                Stance::Alleged,
                Some("pakistan"),
            ),
            rel(
                "c",
                RelationType::Shelters,
                Stance::Denied,
                Some("zabihullah-mujahid"),
            ),
        ];
        let docs: Vec<DocInfo> = ["a", "b", "c"].iter().map(|d| DocInfo::new(d)).collect();
        let c = Reconciler::default().contested(&rels, &docs);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].topic, "afghan-taliban support ttp");
        assert_eq!((c[0].asserted_origins, c[0].denied_origins), (2, 1));
        assert!(c[0].explanation.contains("zabihullah-mujahid"));
    }

    #[test]
    fn speculation_takes_no_side_and_unrelated_classes_do_not_contest() {
        let rels = [
            rel("a", RelationType::Supports, Stance::Asserted, None),
            rel("b", RelationType::Supports, Stance::Speculative, None),
            rel("c", RelationType::Leads, Stance::Denied, None),
        ];
        assert!(Reconciler::default().contested(&rels, &[]).is_empty());
    }

    #[test]
    fn copies_of_one_article_are_one_origin_on_a_side() {
        let rels = [
            rel("orig", RelationType::Arms, Stance::Asserted, None),
            rel("copy", RelationType::Arms, Stance::Asserted, None),
            rel("d", RelationType::Arms, Stance::Denied, None),
        ];
        let mut copy = DocInfo::new("copy");
        copy.near_duplicate_of = Some("orig".into());
        let c = Reconciler::default().contested(&rels, &[copy, DocInfo::new("orig")]);
        assert_eq!(c[0].asserted.len(), 2);
        assert_eq!(c[0].asserted_origins, 1);
    }
}
