//! Vocabulary crosswalks from Dossier's vocabularies to the target formats'.
//!
//! They are data (`data/exchange/*.tsv`) so an analyst can retarget, say, ACLED
//! event types without recompiling: [`Crosswalk::from_dir`] reads edited copies.

use dossier_model::{EntityType, EventType, RelationType};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const EVENT_TYPES: &str = include_str!("../../../data/exchange/event_types.tsv");
const ENTITY_TYPES: &str = include_str!("../../../data/exchange/entity_types.tsv");
const RELATION_TYPES: &str = include_str!("../../../data/exchange/relation_types.tsv");

/// A crosswalk file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CrosswalkError {
    #[error("{file}:{line}: {message}")]
    Invalid {
        file: String,
        line: usize,
        message: String,
    },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// ACLED's two-level event classification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcledType {
    pub event_type: String,
    pub sub_event_type: String,
}

/// How an entity type is exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityExport {
    /// STIX object type: `intrusion-set`, `threat-actor`, `identity` or `location`.
    pub stix_type: String,
    /// STIX `identity_class` for identities.
    pub identity_class: Option<String>,
    /// ACLED geo_precision: 1 site or town, 2 district, 3 province or larger.
    pub geo_precision: Option<u8>,
    /// 1 when this place fills ACLED `admin1`, 2 for `admin2`.
    pub admin_level: Option<u8>,
}

/// STIX relationship types for one Dossier relation type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StixRelationship {
    pub to_actor: String,
    pub to_location: String,
}

/// All vocabulary mappings the writers use.
#[derive(Debug, Clone)]
pub struct Crosswalk {
    events: HashMap<EventType, AcledType>,
    entities: HashMap<EntityType, EntityExport>,
    relations: HashMap<RelationType, StixRelationship>,
}

impl Default for Crosswalk {
    /// The embedded crosswalk; a unit test proves it parses and covers every vocabulary word.
    fn default() -> Self {
        Self::parse(EVENT_TYPES, ENTITY_TYPES, RELATION_TYPES)
            .expect("embedded data/exchange crosswalk is valid (checked by tests)")
    }
}

impl Crosswalk {
    /// Parse the three tables from text (file names are only used in errors).
    pub fn parse(
        event_types: &str,
        entity_types: &str,
        relation_types: &str,
    ) -> Result<Self, CrosswalkError> {
        let mut events = HashMap::new();
        for (line, cols) in rows("event_types.tsv", event_types, 3)? {
            let key = vocab("event_types.tsv", line, &cols[0])?;
            let value = AcledType {
                event_type: cols[1].clone(),
                sub_event_type: cols[2].clone(),
            };
            events.insert(key, value);
        }
        let mut entities = HashMap::new();
        for (line, cols) in rows("entity_types.tsv", entity_types, 5)? {
            let file = "entity_types.tsv";
            let key = vocab(file, line, &cols[0])?;
            let stix_type = cols[1].clone();
            if !["intrusion-set", "threat-actor", "identity", "location"]
                .contains(&stix_type.as_str())
            {
                return Err(invalid(file, line, format!("unsupported STIX type `{stix_type}` (use intrusion-set, threat-actor, identity or location)")));
            }
            let value = EntityExport {
                stix_type,
                identity_class: optional(&cols[2]),
                geo_precision: small_number(file, line, &cols[3])?,
                admin_level: small_number(file, line, &cols[4])?,
            };
            entities.insert(key, value);
        }
        let mut relations = HashMap::new();
        for (line, cols) in rows("relation_types.tsv", relation_types, 3)? {
            let file = "relation_types.tsv";
            let key = vocab(file, line, &cols[0])?;
            for col in &cols[1..] {
                if !is_stix_vocab_word(col) {
                    return Err(invalid(file, line, format!("`{col}` is not a STIX relationship type: use lowercase letters, digits and hyphens")));
                }
            }
            let value = StixRelationship {
                to_actor: cols[1].clone(),
                to_location: cols[2].clone(),
            };
            relations.insert(key, value);
        }
        Ok(Crosswalk {
            events,
            entities,
            relations,
        })
    }

    /// Read `event_types.tsv`, `entity_types.tsv` and `relation_types.tsv` from `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self, CrosswalkError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|source| CrosswalkError::Io { path, source })
        };
        Self::parse(
            &read("event_types.tsv")?,
            &read("entity_types.tsv")?,
            &read("relation_types.tsv")?,
        )
    }

    /// ACLED type of an event; unmapped types fall back to "Strategic developments / Other".
    pub fn acled(&self, t: EventType) -> AcledType {
        self.events.get(&t).cloned().unwrap_or_else(|| AcledType {
            event_type: "Strategic developments".into(),
            sub_event_type: "Other".into(),
        })
    }

    /// Export settings of an entity type; unmapped types become plain identities.
    pub fn entity(&self, t: EntityType) -> EntityExport {
        self.entities
            .get(&t)
            .cloned()
            .unwrap_or_else(|| EntityExport {
                stix_type: if t.is_place() { "location" } else { "identity" }.into(),
                identity_class: (!t.is_place()).then(|| "unknown".into()),
                geo_precision: None,
                admin_level: None,
            })
    }

    /// STIX relationship type for a relation, depending on whether it ends at a location.
    pub fn stix_relationship(&self, t: RelationType, to_location: bool) -> String {
        match self.relations.get(&t) {
            Some(r) if to_location => r.to_location.clone(),
            Some(r) => r.to_actor.clone(),
            None => "related-to".into(),
        }
    }
}

fn rows(
    file: &str,
    text: &str,
    columns: usize,
) -> Result<Vec<(usize, Vec<String>)>, CrosswalkError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim_end_matches('\r');
        if trimmed.trim().is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let cols: Vec<String> = trimmed.split('\t').map(|c| c.trim().to_string()).collect();
        if cols.len() != columns {
            return Err(invalid(
                file,
                line,
                format!(
                    "expected {columns} tab-separated columns, found {}",
                    cols.len()
                ),
            ));
        }
        out.push((line, cols));
    }
    Ok(out)
}

fn vocab<T: std::str::FromStr<Err = String>>(
    file: &str,
    line: usize,
    word: &str,
) -> Result<T, CrosswalkError> {
    word.parse().map_err(|e| invalid(file, line, e))
}

fn optional(col: &str) -> Option<String> {
    (col != "-" && !col.is_empty()).then(|| col.to_string())
}

fn small_number(file: &str, line: usize, col: &str) -> Result<Option<u8>, CrosswalkError> {
    match optional(col) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| invalid(file, line, format!("`{s}` is not a small number or `-`"))),
    }
}

fn is_stix_vocab_word(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn invalid(file: &str, line: usize, message: String) -> CrosswalkError {
    CrosswalkError::Invalid {
        file: file.into(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_crosswalk_covers_every_vocabulary_word() {
        let cw = Crosswalk::default();
        for t in EventType::ALL {
            assert!(cw.events.contains_key(t), "event type {t} unmapped");
        }
        for t in EntityType::ALL {
            let e = cw.entities.get(t).unwrap_or_else(|| panic!("{t} unmapped"));
            assert_eq!(e.stix_type == "location", t.is_place(), "{t}");
        }
        for t in RelationType::ALL {
            assert!(cw.relations.contains_key(t), "relation type {t} unmapped");
        }
    }

    #[test]
    fn based_in_a_location_is_stix_located_at() {
        let cw = Crosswalk::default();
        assert_eq!(
            cw.stix_relationship(RelationType::BasedIn, true),
            "located-at"
        );
        assert_eq!(
            cw.stix_relationship(RelationType::BasedIn, false),
            "based-in"
        );
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let err = Crosswalk::parse("# c\nbombardment\tX\tY\n", "", "").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("event_types.tsv:2:"), "{msg}");
        assert!(msg.contains("bombardment"), "{msg}");
        let err = Crosswalk::parse("", "", "supports\tSupports\tsupports\n").unwrap_err();
        assert!(err.to_string().contains("lowercase"), "{err}");
        let err = Crosswalk::parse("attack\tBattles\n", "", "").unwrap_err();
        assert!(err.to_string().contains("3 tab-separated"), "{err}");
    }

    #[test]
    fn reads_an_edited_copy_from_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("event_types.tsv"),
            "attack\tRiots\tMob violence\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("entity_types.tsv"), ENTITY_TYPES).unwrap();
        std::fs::write(dir.path().join("relation_types.tsv"), RELATION_TYPES).unwrap();
        let cw = Crosswalk::from_dir(dir.path()).unwrap();
        assert_eq!(cw.acled(EventType::Attack).event_type, "Riots");
        assert_eq!(cw.acled(EventType::Talks).sub_event_type, "Other");
        let missing = Crosswalk::from_dir(&dir.path().join("nope")).unwrap_err();
        assert!(missing.to_string().contains("event_types.tsv"));
    }
}
