//! Lookups over a [`Dataset`] shared by the writers.

use crate::Dataset;
use dossier_model::{Document, Entity};
use std::collections::HashMap;

/// Entities and documents by id, plus mention counts.
pub(crate) struct Lookup<'a> {
    entities: HashMap<&'a str, &'a Entity>,
    documents: HashMap<&'a str, &'a Document>,
    mentions: HashMap<&'a str, usize>,
}

impl<'a> Lookup<'a> {
    pub(crate) fn new(ds: &Dataset<'a>) -> Self {
        let mut entities = HashMap::new();
        for e in ds.entities {
            // The first record wins so a duplicated id exports the same way every time.
            entities.entry(e.id.as_str()).or_insert(e);
        }
        let mut documents = HashMap::new();
        for d in ds.documents {
            documents.entry(d.doc.as_str()).or_insert(d);
        }
        let mut mentions = HashMap::new();
        for m in ds.mentions {
            *mentions.entry(m.entity.as_str()).or_insert(0) += 1;
        }
        Lookup {
            entities,
            documents,
            mentions,
        }
    }

    pub(crate) fn entity(&self, id: &str) -> Option<&'a Entity> {
        self.entities.get(id).copied()
    }

    pub(crate) fn document(&self, doc: &str) -> Option<&'a Document> {
        self.documents.get(doc).copied()
    }

    pub(crate) fn mention_count(&self, id: &str) -> usize {
        self.mentions.get(id).copied().unwrap_or(0)
    }

    /// The canonical name of a known entity, else the literal the record holds.
    pub(crate) fn name<'s>(&self, key: &'s str) -> &'s str
    where
        'a: 's,
    {
        self.entity(key).map_or(key, |e| e.canonical.as_str())
    }

    pub(crate) fn opt_name<'s>(&self, key: Option<&'s str>) -> &'s str
    where
        'a: 's,
    {
        key.map_or("", |k| self.name(k))
    }

    /// The place and its ancestors (district → province → country), stopping at cycles.
    pub(crate) fn place_chain(&self, id: &str) -> Vec<&'a Entity> {
        let mut chain: Vec<&'a Entity> = Vec::new();
        let mut next = self.entity(id);
        while let Some(e) = next {
            if chain.iter().any(|seen| seen.id == e.id) {
                break;
            }
            chain.push(e);
            next = e.parent.as_deref().and_then(|p| self.entity(p));
        }
        chain
    }

    /// Coordinates of a place, when known and on the globe.
    pub(crate) fn coordinates(&self, id: &str) -> Option<(f64, f64)> {
        self.entity(id).and_then(coordinates)
    }
}

/// `(lat, lon)` of an entity when both are present, finite and in range.
pub(crate) fn coordinates(e: &Entity) -> Option<(f64, f64)> {
    let (lat, lon) = (e.lat?, e.lon?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// A number as JSON: integers without `.0`, non-finite values as null.
pub(crate) fn json_number(v: f64) -> serde_json::Value {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        serde_json::Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// A number as text for CSV and XML: integers without `.0`, non-finite values empty.
pub(crate) fn text_number(v: f64) -> String {
    if !v.is_finite() {
        String::new()
    } else if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_drop_trailing_zero_and_non_finite_values() {
        assert_eq!(text_number(12.0), "12");
        assert_eq!(text_number(2.5), "2.5");
        assert_eq!(text_number(f64::NAN), "");
        assert_eq!(json_number(3.0).to_string(), "3");
        assert_eq!(json_number(f64::INFINITY), serde_json::Value::Null);
    }
}
