//! The actor dossier: everything the store knows about one entity.

use crate::{Engine, EngineError};
use dossier_model::{Entity, Event, Figure};
use dossier_store::{Filter, Store};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Above this many documents, the dossier reads all documents' metadata in one pass
/// instead of one query per document.
const DOCUMENT_QUERIES_MAX: usize = 64;

/// One name an entity goes by, with how often and where it was used or learned.
#[derive(Debug, Clone, Serialize)]
pub struct AliasLine {
    pub alias: String,
    pub mentions: u64,
    pub first_doc: Option<String>,
    /// The document whose text defined this alias (acronym, aka), if learned.
    pub learned_in: Option<String>,
}

/// A relation seen from the dossier's entity.
#[derive(Debug, Clone, Serialize)]
pub struct RelationLine {
    #[serde(rename = "type")]
    pub relation_type: String,
    /// `out` when the entity is the source, `in` when it is the target.
    pub direction: &'static str,
    pub other: String,
    pub other_name: String,
    pub stance: String,
    pub attributed_to: Option<String>,
    pub doc: String,
    pub text: String,
}

/// A leader or member of an organisation, and where that is known from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PersonLine {
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    /// `registry` or the document that states it.
    pub from: String,
}

/// Everything about one actor or place.
#[derive(Debug, Clone, Serialize)]
pub struct ActorDossier {
    pub entity: Entity,
    pub aliases: Vec<AliasLine>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    /// (doc, title, published, mentions)
    pub documents: Vec<(String, Option<String>, Option<String>, usize)>,
    /// Who leads it: the registry's curated leaders plus `leads` relations from the texts.
    pub leaders: Vec<PersonLine>,
    /// Its factions, wings and members: registry children plus `member_of`/`faction_of`.
    pub members: Vec<PersonLine>,
    pub relations: Vec<RelationLine>,
    pub figures: Vec<Figure>,
    pub events: Vec<Event>,
}

impl<S: Store> Engine<S> {
    /// The dossier of the entity a name resolves to.
    pub fn dossier(&self, name: &str) -> Result<ActorDossier, EngineError> {
        let id = self.resolve(name)?.ok_or_else(|| {
            EngineError::NotFound(format!(
                "no actor or place called `{name}`; try `dossier search {name}`"
            ))
        })?;
        let store = self.store();
        let entity = store
            .entity(&id)?
            .ok_or_else(|| EngineError::NotFound(format!("entity `{id}` is not in the store")))?;
        let id = entity.id.clone();
        let by_entity = Filter {
            entity: Some(id.clone()),
            ..Filter::default()
        };

        let learned = store.learned_aliases(&id)?;
        let mut aliases: Vec<AliasLine> = store
            .alias_counts(&id)?
            .into_iter()
            .map(|u| AliasLine {
                learned_in: learned
                    .iter()
                    .find(|l| l.alias == u.text)
                    .map(|l| l.doc.clone()),
                alias: u.text,
                mentions: u.count,
                first_doc: Some(u.first_doc),
            })
            .collect();
        for name in entity
            .aliases
            .iter()
            .chain(std::iter::once(&entity.canonical))
        {
            if !aliases.iter().any(|a| &a.alias == name) {
                aliases.push(AliasLine {
                    alias: name.clone(),
                    mentions: 0,
                    first_doc: None,
                    learned_in: learned
                        .iter()
                        .find(|l| &l.alias == name)
                        .map(|l| l.doc.clone()),
                });
            }
        }

        let mentions = store.mentions(&by_entity)?;
        let mut per_doc: BTreeMap<String, usize> = BTreeMap::new();
        for m in &mentions {
            *per_doc.entry(m.doc.clone()).or_default() += 1;
        }
        // A popular actor is mentioned in hundreds of documents: one pass over the
        // metadata of all then beats a query (and a text read) per document.
        let mut documents = Vec::new();
        if per_doc.len() > DOCUMENT_QUERIES_MAX {
            for d in store.documents()? {
                if let Some(n) = per_doc.get(&d.doc) {
                    documents.push((d.doc, d.title, d.published, *n));
                }
            }
        } else {
            for (doc, n) in per_doc {
                let meta = store.document(&doc)?;
                let (title, published) = meta.map(|d| (d.title, d.published)).unwrap_or_default();
                documents.push((doc, title, published, n));
            }
        }
        documents.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
        let dates: Vec<&String> = documents.iter().filter_map(|d| d.2.as_ref()).collect();
        let first_seen = dates.iter().min().map(|s| s.to_string());
        let last_seen = dates.iter().max().map(|s| s.to_string());

        // Relations name the same few partners again and again: look each up once.
        let mut names: HashMap<String, String> = HashMap::new();
        let mut name_of = |other: &str| -> String {
            names
                .entry(other.to_string())
                .or_insert_with(|| {
                    store
                        .entity(other)
                        .ok()
                        .flatten()
                        .map_or_else(|| other.to_string(), |e| e.canonical)
                })
                .clone()
        };
        let mut relations: Vec<RelationLine> = store
            .relations(&by_entity)?
            .into_iter()
            .map(|r| {
                let out = r.source == id;
                let other = if out {
                    r.target.clone()
                } else {
                    r.source.clone()
                };
                RelationLine {
                    relation_type: r.relation_type.to_string(),
                    direction: if out { "out" } else { "in" },
                    other_name: name_of(&other),
                    other,
                    stance: r.stance.to_string(),
                    attributed_to: r.attributed_to,
                    doc: r.doc,
                    text: r.text,
                }
            })
            .collect();
        relations.sort_by(|a, b| {
            a.relation_type
                .cmp(&b.relation_type)
                .then(a.other.cmp(&b.other))
        });

        let (leaders, members) = self.leaders_and_members(&id, &relations);

        let mut figures = store.figures(&by_entity)?;
        figures.sort_by(|a, b| a.period.cmp(&b.period).then(a.metric.cmp(&b.metric)));
        let mut events = store.events(&by_entity)?;
        events.sort_by(|a, b| a.date.cmp(&b.date));
        Ok(ActorDossier {
            entity,
            aliases,
            first_seen,
            last_seen,
            documents,
            leaders,
            members,
            relations,
            figures,
            events,
        })
    }
}

impl<S: Store> Engine<S> {
    fn leaders_and_members(
        &self,
        id: &str,
        relations: &[RelationLine],
    ) -> (Vec<PersonLine>, Vec<PersonLine>) {
        let reg = self.pipeline().registry();
        let mut leaders = Vec::new();
        let mut members = Vec::new();
        for (i, e) in reg.entities().iter().enumerate() {
            let line = || PersonLine {
                id: e.id.clone(),
                name: e.canonical.clone(),
                role: e.role.clone(),
                from: "registry".into(),
            };
            if reg.info(i as u32).leads.as_deref() == Some(id) {
                leaders.push(line());
            } else if e.parent.as_deref() == Some(id) && e.entity_type.is_actor() {
                members.push(line());
            }
        }
        for r in relations
            .iter()
            .filter(|r| r.direction == "in" && r.stance != "denied")
        {
            let line = PersonLine {
                id: r.other.clone(),
                name: r.other_name.clone(),
                role: None,
                from: r.doc.clone(),
            };
            match r.relation_type.as_str() {
                "leads" if !leaders.iter().any(|l| l.id == line.id) => leaders.push(line),
                "member_of" | "faction_of" if !members.iter().any(|m| m.id == line.id) => {
                    members.push(line)
                }
                _ => {}
            }
        }
        leaders.sort();
        members.sort();
        (leaders, members)
    }
}
