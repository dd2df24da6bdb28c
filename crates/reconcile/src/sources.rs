//! The source reliability table (`data/sources.toml`): who a figure's source is and how
//! far to trust it, on the Admiralty scale.

use std::collections::BTreeMap;
use std::path::Path;

use dossier_model::EntityType;
use serde::{Deserialize, Serialize};

use crate::Error;

/// The built-in table, editable by an analyst in `data/sources.toml`.
const BUILTIN: &str = include_str!("../../../data/sources.toml");

/// Admiralty source-reliability grade, `A` (completely reliable) to `F` (cannot be judged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Reliability {
    /// Prior probability that a claim from such a source is right. `F` ("cannot be
    /// judged") sits between C and D: an unknown source is neither trusted nor a party.
    pub fn weight(self) -> f64 {
        match self {
            Reliability::A => 0.9,
            Reliability::B => 0.75,
            Reliability::C => 0.6,
            Reliability::D => 0.35,
            Reliability::E => 0.2,
            Reliability::F => 0.45,
        }
    }
}

/// What kind of body a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    OfficialStatistics,
    InternationalOrg,
    ResearchOrg,
    Media,
    Government,
    Party,
    Author,
    Unknown,
}

/// How one source is graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRating {
    pub reliability: Reliability,
    pub kind: SourceKind,
    /// Speaks for a side of the conflict.
    pub party: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    fallback: SourceRating,
    author: SourceRating,
    #[serde(default, rename = "default")]
    defaults: Vec<DefaultRow>,
    #[serde(default, rename = "source")]
    sources: Vec<SourceRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DefaultRow {
    entity_type: EntityType,
    #[serde(flatten)]
    rating: SourceRating,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceRow {
    id: String,
    #[serde(flatten)]
    rating: SourceRating,
}

/// Source id → rating, with defaults per entity type.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceTable {
    sources: BTreeMap<String, SourceRating>,
    by_type: BTreeMap<EntityType, SourceRating>,
    author: SourceRating,
    fallback: SourceRating,
}

impl SourceTable {
    /// The table compiled in from `data/sources.toml`.
    pub fn builtin() -> Self {
        // The built-in file is checked by a unit test, so this cannot fail at run time.
        Self::parse(BUILTIN, "data/sources.toml").unwrap_or_else(|_| Self::empty())
    }

    /// Reads an analyst's copy of the table.
    pub fn from_path(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Parses the TOML table; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, Error> {
        let file: File = toml::from_str(text).map_err(|e| Error::Parse {
            origin: origin.to_string(),
            message: e.to_string(),
        })?;
        let mut sources = BTreeMap::new();
        for row in file.sources {
            let id = row.id.trim().to_lowercase();
            if sources.insert(id.clone(), row.rating).is_some() {
                return Err(Error::Parse {
                    origin: origin.to_string(),
                    message: format!("source `{id}` is listed twice; keep one row"),
                });
            }
        }
        let by_type = file
            .defaults
            .into_iter()
            .map(|d| (d.entity_type, d.rating))
            .collect();
        Ok(SourceTable {
            sources,
            by_type,
            author: file.author,
            fallback: file.fallback,
        })
    }

    /// A table that grades everything `F`.
    pub fn empty() -> Self {
        let unknown = SourceRating {
            reliability: Reliability::F,
            kind: SourceKind::Unknown,
            party: false,
        };
        SourceTable {
            sources: BTreeMap::new(),
            by_type: BTreeMap::new(),
            author: SourceRating {
                kind: SourceKind::Author,
                ..unknown
            },
            fallback: unknown,
        }
    }

    /// Grades `source` (an entity id, a literal name, `author` or none): its own row,
    /// else the default for its entity type, else the fallback.
    pub fn rate(&self, source: Option<&str>, entity_type: Option<EntityType>) -> SourceRating {
        let Some(id) = source.map(|s| s.trim().to_lowercase()) else {
            return self.author;
        };
        if id.is_empty() || id == "author" {
            return self.author;
        }
        if let Some(r) = self.sources.get(&id) {
            return *r;
        }
        entity_type
            .and_then(|t| self.by_type.get(&t).copied())
            .unwrap_or(self.fallback)
    }

    /// Number of individually graded sources.
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_and_grades_the_un_monitoring_team_b() {
        let t = SourceTable::parse(BUILTIN, "builtin").unwrap();
        assert!(t.len() >= 10);
        let r = t.rate(Some("un-monitoring-team"), None);
        assert_eq!(r.reliability, Reliability::B);
        assert!(!r.party);
    }

    #[test]
    fn ungraded_source_falls_back_to_its_entity_type_then_to_f() {
        let t = SourceTable::builtin();
        let group = t.rate(Some("some-new-militia"), Some(EntityType::ArmedGroup));
        assert_eq!(group.reliability, Reliability::E);
        assert!(group.party);
        let lit = t.rate(Some("Pakistani officials"), None);
        assert_eq!(lit.reliability, Reliability::F);
        assert_eq!(t.rate(None, None).kind, SourceKind::Author);
        assert_eq!(t.rate(Some("author"), None).kind, SourceKind::Author);
    }

    #[test]
    fn duplicate_rows_and_bad_grades_are_errors_that_name_the_file() {
        let dup = "[fallback]\nreliability='F'\nkind='unknown'\nparty=false\n\
                   [author]\nreliability='F'\nkind='author'\nparty=false\n\
                   [[source]]\nid='x'\nreliability='B'\nkind='media'\nparty=false\n\
                   [[source]]\nid='x'\nreliability='C'\nkind='media'\nparty=false\n";
        let err = SourceTable::parse(dup, "mine.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("mine.toml") && err.contains("twice"), "{err}");
        let bad = dup.replace("'C'", "'Z'");
        let err = SourceTable::parse(&bad, "mine.toml")
            .unwrap_err()
            .to_string();
        assert!(err.contains("mine.toml"), "{err}");
    }
}
