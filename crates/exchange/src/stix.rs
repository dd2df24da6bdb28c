//! A STIX 2.1 bundle: actors as intrusion sets and identities, places as locations,
//! relations as relationships, documents as reports, figures as notes, and denied or
//! alleged relations as opinions on the relationship they dispute.
//!
//! Ids are UUIDv5 over a fixed namespace and a key made from the data, and every
//! timestamp comes from a document date (or the epoch), so a re-export of the same
//! data is byte-identical. STIX recommends UUIDv4 for domain objects; the validator
//! warns about that (`uuid-check`), which is the price of stable ids.

use crate::lookup::{coordinates, json_number, Lookup};
use crate::{Crosswalk, Dataset};
use dossier_model::{Entity, EntityType, Relation, RelationType, Stance};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use uuid::Uuid;

const EPOCH: &str = "1970-01-01T00:00:00.000Z";

/// Root of every id: UUIDv5 of this URL under the standard URL namespace.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:dossier:stix:2.1")
}

fn stix_id(ns: &Uuid, object_type: &str, key: &str) -> String {
    let uuid = Uuid::new_v5(ns, format!("{object_type}:{key}").as_bytes());
    format!("{object_type}--{uuid}")
}

pub(crate) fn write(ds: &Dataset, cw: &Crosswalk, out: &mut dyn Write) -> io::Result<()> {
    let bundle = Builder::new(ds, cw).bundle();
    serde_json::to_writer_pretty(&mut *out, &bundle)?;
    writeln!(out)
}

struct Builder<'a, 'd> {
    ds: &'a Dataset<'d>,
    cw: &'a Crosswalk,
    look: Lookup<'d>,
    ns: Uuid,
    producer: String,
    /// The extension definition that makes the `x_dossier_*` properties standard STIX.
    extension: String,
    /// Objects by id: a BTreeMap keeps output order independent of input order.
    objects: BTreeMap<String, Value>,
    /// Ids of the objects each document supports, for its report's object_refs.
    per_doc: BTreeMap<String, BTreeSet<String>>,
}

impl<'a, 'd> Builder<'a, 'd> {
    fn new(ds: &'a Dataset<'d>, cw: &'a Crosswalk) -> Self {
        let ns = namespace();
        let producer = stix_id(&ns, "identity", "producer:dossier");
        let extension = stix_id(&ns, "extension-definition", "dossier-properties:1.0.0");
        Builder {
            ds,
            cw,
            look: Lookup::new(ds),
            ns,
            producer,
            extension,
            objects: BTreeMap::new(),
            per_doc: BTreeMap::new(),
        }
    }

    fn bundle(mut self) -> Value {
        self.insert(json!({
            "type": "identity", "spec_version": "2.1", "id": self.producer,
            "created": EPOCH, "modified": EPOCH, "name": "Dossier",
            "identity_class": "system",
            "description": "Automated extraction from open-source articles; every object cites its source document.",
        }));
        self.insert(json!({
            "type": "extension-definition", "spec_version": "2.1", "id": self.extension,
            "created_by_ref": self.producer, "created": EPOCH, "modified": EPOCH,
            "name": "Dossier properties",
            "description": "Dossier's own vocabulary kept beside the STIX mapping, so nothing is lost in translation.",
            "schema": EXTENSION_SCHEMA,
            "version": "1.0.0",
            "extension_types": ["toplevel-property-extension"],
            "extension_properties": EXTENSION_PROPERTIES,
        }));
        let mut entities: Vec<&Entity> = self.ds.entities.iter().collect();
        entities.sort_by(|a, b| a.id.cmp(&b.id));
        for e in entities {
            self.entity(e);
        }
        for m in self.ds.mentions {
            if let Some(id) = self.entity_ref(&m.entity) {
                self.cite(&m.doc, id);
            }
        }
        self.relationships();
        self.notes();
        self.reports();
        let mut objects: Vec<Value> = self.objects.into_values().collect();
        objects.sort_by_key(|o| {
            (
                type_rank(o),
                o["id"].as_str().unwrap_or_default().to_string(),
            )
        });
        let ids: Vec<&str> = objects.iter().filter_map(|o| o["id"].as_str()).collect();
        let bundle_id = stix_id(&self.ns, "bundle", &ids.join(","));
        json!({"type": "bundle", "id": bundle_id, "objects": objects})
    }

    fn insert(&mut self, mut object: Value) {
        let extended = object
            .as_object()
            .is_some_and(|o| o.keys().any(|k| k.starts_with("x_dossier_")));
        if extended {
            object["extensions"] = json!({ self.extension.clone(): {"extension_type": "toplevel-property-extension"} });
        }
        if let Some(id) = object["id"].as_str() {
            self.objects.entry(id.to_string()).or_insert(object);
        }
    }

    fn cite(&mut self, doc: &str, id: String) {
        self.per_doc.entry(doc.to_string()).or_default().insert(id);
    }

    fn entity(&mut self, e: &Entity) {
        let export = self.cw.entity(e.entity_type);
        let id = stix_id(&self.ns, &export.stix_type, &format!("entity:{}", e.id));
        let mut o = Map::new();
        o.insert("type".into(), json!(export.stix_type));
        o.insert("spec_version".into(), json!("2.1"));
        o.insert("id".into(), json!(id));
        o.insert("created_by_ref".into(), json!(self.producer));
        o.insert("created".into(), json!(EPOCH));
        o.insert("modified".into(), json!(EPOCH));
        o.insert("name".into(), json!(non_empty(&e.canonical, &e.id)));
        match export.stix_type.as_str() {
            "location" => {
                if !self.location_fields(e, &mut o) {
                    // STIX requires a region, country or coordinates; a bare name is not a location.
                    return;
                }
            }
            "identity" => {
                if let Some(class) = &export.identity_class {
                    o.insert("identity_class".into(), json!(class));
                }
                if let Some(role) = e.role.as_deref().filter(|r| !r.trim().is_empty()) {
                    o.insert("roles".into(), json!([role]));
                }
            }
            _ => {
                let aliases: BTreeSet<&str> = e
                    .aliases
                    .iter()
                    .map(String::as_str)
                    .filter(|a| !a.trim().is_empty() && *a != e.canonical)
                    .collect();
                if !aliases.is_empty() {
                    o.insert("aliases".into(), json!(aliases));
                }
                if export.stix_type == "threat-actor" {
                    o.insert("threat_actor_types".into(), json!(["unknown"]));
                }
            }
        }
        if let Some(role) = e.role.as_deref().filter(|r| !r.trim().is_empty()) {
            o.insert("description".into(), json!(role));
        }
        o.insert("x_dossier_id".into(), json!(e.id));
        o.insert("x_dossier_type".into(), json!(e.entity_type.as_str()));
        self.insert(Value::Object(o));
    }

    /// Fill a location's place fields; false when it has none STIX accepts.
    fn location_fields(&self, e: &Entity, o: &mut Map<String, Value>) -> bool {
        let mut located = false;
        if let Some((lat, lon)) = coordinates(e) {
            o.insert("latitude".into(), json_number(lat));
            o.insert("longitude".into(), json_number(lon));
            located = true;
        }
        let chain = self.look.place_chain(&e.id);
        // A district registered without a country is still in its province's country.
        let country = chain
            .iter()
            .filter_map(|p| p.country.as_deref().map(str::trim))
            .find(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
            // XK (Kosovo) is a user-assigned code, not ISO 3166-1: STIX rejects it, so
            // such places carry only their coordinates.
            .filter(|c| !c.eq_ignore_ascii_case("XK"));
        if let Some(code) = country {
            o.insert("country".into(), json!(code.to_ascii_uppercase()));
            located = true;
        }
        if matches!(e.entity_type, EntityType::City | EntityType::Town) {
            o.insert("city".into(), json!(e.canonical));
        }
        if let Some(admin) = chain
            .iter()
            .skip(1)
            .find(|p| self.cw.entity(p.entity_type).admin_level == Some(1))
        {
            o.insert("administrative_area".into(), json!(admin.canonical));
        }
        located
    }

    /// The id of the object standing for an entity id or literal name, creating an
    /// `identity` of unknown class for literals so relations to them are kept.
    fn entity_ref(&mut self, key: &str) -> Option<String> {
        if let Some(e) = self.look.entity(key) {
            let export = self.cw.entity(e.entity_type);
            let id = stix_id(&self.ns, &export.stix_type, &format!("entity:{}", e.id));
            return self.objects.contains_key(&id).then_some(id);
        }
        let name = key.trim();
        if name.is_empty() {
            return None;
        }
        let id = stix_id(&self.ns, "identity", &format!("literal:{name}"));
        self.insert(json!({
            "type": "identity", "spec_version": "2.1", "id": id,
            "created_by_ref": self.producer, "created": EPOCH, "modified": EPOCH,
            "name": name, "identity_class": "unknown",
            "description": "Named in the text but not in Dossier's registry.",
        }));
        Some(id)
    }

    fn relationships(&mut self) {
        type Key = (String, RelationType, String);
        let mut grouped: BTreeMap<Key, Vec<&Relation>> = BTreeMap::new();
        for r in self.ds.relations {
            let key = (r.source.clone(), r.relation_type, r.target.clone());
            grouped.entry(key).or_default().push(r);
        }
        for ((source, rtype, target), mut records) in grouped {
            records.sort_by(|a, b| {
                (&a.doc, a.start, a.end, a.stance).cmp(&(&b.doc, b.start, b.end, b.stance))
            });
            let (Some(src), Some(tgt)) = (self.entity_ref(&source), self.entity_ref(&target))
            else {
                continue;
            };
            let to_location = tgt.starts_with("location--");
            let rel_type = self.cw.stix_relationship(rtype, to_location);
            let id = stix_id(
                &self.ns,
                "relationship",
                &format!("{source}|{rtype}|{target}"),
            );
            let docs: BTreeSet<&str> = records.iter().map(|r| r.doc.as_str()).collect();
            let supporting: BTreeSet<&str> = records
                .iter()
                .filter(|r| matches!(r.stance, Stance::Asserted | Stance::Reported))
                .map(|r| r.doc.as_str())
                .collect();
            let stances: BTreeSet<&str> = records.iter().map(|r| r.stance.as_str()).collect();
            let (created, modified) = self.date_span(docs.iter().copied());
            let description = format!(
                "{} {} {}",
                self.look.name(&source),
                rtype.as_str().replace('_', " "),
                self.look.name(&target)
            );
            let refs = self.citations(records.iter().map(|r| (r.doc.as_str(), r.text.as_str())));
            self.insert(json!({
                "type": "relationship", "spec_version": "2.1", "id": id,
                "created_by_ref": self.producer, "created": created, "modified": modified,
                "relationship_type": rel_type, "source_ref": src, "target_ref": tgt,
                "description": description,
                "confidence": confidence(supporting.len()),
                "external_references": refs,
                "x_dossier_relation_type": rtype.as_str(),
                "x_dossier_stances": stances,
            }));
            for doc in &docs {
                self.cite(doc, id.clone());
                self.cite(doc, src.clone());
                self.cite(doc, tgt.clone());
            }
            for r in records {
                self.opinion(r, &id);
            }
        }
    }

    /// A denied or alleged relation is an opinion about the relationship, by whoever voiced it.
    fn opinion(&mut self, r: &Relation, relationship: &str) {
        let opinion = match r.stance {
            Stance::Denied => "strongly-disagree",
            Stance::Alleged | Stance::Speculative => "neutral",
            Stance::Asserted | Stance::Reported => return,
        };
        let key = format!(
            "{}|{}|{}|{}|{}",
            r.doc, r.start, r.end, r.stance, relationship
        );
        let id = stix_id(&self.ns, "opinion", &key);
        let (created, modified) = self.date_span([r.doc.as_str()].into_iter());
        let mut o = json!({
            "type": "opinion", "spec_version": "2.1", "id": id,
            "created_by_ref": self.producer, "created": created, "modified": modified,
            "opinion": opinion, "explanation": non_empty(&r.text, r.stance.as_str()),
            "object_refs": [relationship],
            "external_references": self.citations([(r.doc.as_str(), r.text.as_str())].into_iter()),
            "x_dossier_stance": r.stance.as_str(),
        });
        if let Some(by) = r.attributed_to.as_deref().filter(|a| !a.trim().is_empty()) {
            o["authors"] = json!([self.look.name(by)]);
        }
        self.insert(o);
        self.cite(&r.doc, id);
    }

    fn notes(&mut self) {
        let mut figures: Vec<_> = self.ds.figures.iter().collect();
        figures.sort_by(|a, b| {
            (&a.doc, a.start, a.end, a.metric).cmp(&(&b.doc, b.start, b.end, b.metric))
        });
        for f in figures {
            let mut refs: BTreeSet<String> = BTreeSet::new();
            for key in [&f.subject, &f.place].into_iter().flatten() {
                refs.extend(self.entity_ref(key));
            }
            if refs.is_empty() {
                refs.insert(self.report_id(&f.doc));
            }
            let value = match f.value_max {
                Some(max) => format!("{}-{}", json_number(f.value), json_number(max)),
                None => json_number(f.value).to_string(),
            };
            let mut abstract_ = format!(
                "{}: {} {value} {}",
                f.metric,
                f.bound.as_str().replace('_', " "),
                f.unit
            );
            if let Some(period) = &f.period {
                abstract_.push_str(&format!(" ({period})"));
            }
            let key = format!("{}|{}|{}|{}|{}", f.doc, f.start, f.end, f.metric, value);
            let id = stix_id(&self.ns, "note", &key);
            let (created, modified) = self.date_span([f.doc.as_str()].into_iter());
            let mut o = json!({
                "type": "note", "spec_version": "2.1", "id": id,
                "created_by_ref": self.producer, "created": created, "modified": modified,
                "abstract": abstract_, "content": non_empty(&f.text, &abstract_),
                "object_refs": refs,
                "external_references": self.citations([(f.doc.as_str(), f.text.as_str())].into_iter()),
                "x_dossier_metric": f.metric.as_str(),
                "x_dossier_value": json_number(f.value),
                "x_dossier_hedged": f.hedged,
            });
            if let Some(max) = f.value_max {
                o["x_dossier_value_max"] = json_number(max);
            }
            if let Some(by) = f.source.as_deref().filter(|s| !s.trim().is_empty()) {
                o["authors"] = json!([self.look.name(by)]);
            }
            self.insert(o);
            self.cite(&f.doc, id);
        }
    }

    fn report_id(&self, doc: &str) -> String {
        stix_id(&self.ns, "report", &format!("doc:{doc}"))
    }

    fn reports(&mut self) {
        let mut docs: Vec<_> = self.ds.documents.iter().collect();
        docs.sort_by(|a, b| a.doc.cmp(&b.doc));
        for d in docs {
            let published = d
                .published
                .as_deref()
                .and_then(stix_time)
                .unwrap_or_else(|| EPOCH.into());
            let mut refs: Vec<String> = self
                .per_doc
                .get(&d.doc)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            if refs.is_empty() {
                // object_refs must not be empty; the producer stands in for "nothing extracted".
                refs.push(self.producer.clone());
            }
            let mut reference = json!({"source_name": "dossier", "external_id": d.doc});
            if let Some(url) = d.url.as_deref().filter(|u| !u.trim().is_empty()) {
                reference["url"] = json!(url);
            }
            let mut o = json!({
                "type": "report", "spec_version": "2.1", "id": self.report_id(&d.doc),
                "created_by_ref": self.producer, "created": published, "modified": published,
                "name": d.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&d.doc),
                "report_types": ["threat-report"],
                "published": published,
                "object_refs": refs,
                "external_references": [reference],
                "x_dossier_sha256": d.sha256,
            });
            let by: Vec<&str> = [d.publisher.as_deref(), d.author.as_deref()]
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect();
            if !by.is_empty() {
                o["description"] = json!(format!("Published by {}", by.join(", ")));
            }
            self.insert(o);
        }
    }

    /// External references back to each document, quoting the first span it gives. The
    /// URL stays on the document's report: STIX wants a hash beside every URL, and the
    /// bytes a URL serves are not what we hashed (the extracted clean text).
    fn citations<'r>(&self, quotes: impl Iterator<Item = (&'r str, &'r str)>) -> Vec<Value> {
        let mut first: BTreeMap<&str, &str> = BTreeMap::new();
        for (doc, text) in quotes {
            first.entry(doc).or_insert(text);
        }
        first
            .into_iter()
            .map(|(doc, text)| {
                let mut r = json!({"source_name": "dossier", "external_id": doc});
                if !text.trim().is_empty() {
                    r["description"] = json!(text);
                }
                r
            })
            .collect()
    }

    /// Earliest and latest publication dates of these documents, as STIX timestamps.
    fn date_span<'s>(&self, docs: impl Iterator<Item = &'s str>) -> (String, String) {
        let dates: BTreeSet<String> = docs
            .filter_map(|d| self.look.document(d))
            .filter_map(|d| d.published.as_deref().and_then(stix_time))
            .collect();
        match (dates.first(), dates.last()) {
            (Some(first), Some(last)) => (first.clone(), last.clone()),
            _ => (EPOCH.into(), EPOCH.into()),
        }
    }
}

/// Every custom property the writer emits, declared in the extension definition.
const EXTENSION_PROPERTIES: [&str; 10] = [
    "x_dossier_id",
    "x_dossier_type",
    "x_dossier_relation_type",
    "x_dossier_stances",
    "x_dossier_stance",
    "x_dossier_metric",
    "x_dossier_value",
    "x_dossier_value_max",
    "x_dossier_hedged",
    "x_dossier_sha256",
];

const EXTENSION_SCHEMA: &str = "x_dossier_id: registry entity id; x_dossier_type: entity type; \
x_dossier_relation_type: relation type before mapping to relationship_type; x_dossier_stances / \
x_dossier_stance: asserted, denied, alleged, reported or speculative; x_dossier_metric, \
x_dossier_value, x_dossier_value_max, x_dossier_hedged: a figure's metric, value(s) and hedging; \
x_dossier_sha256: SHA-256 of the document's clean text. Vocabularies: shared/spec/interchange.md.";

/// STIX confidence (0–100) from the number of documents asserting a relationship.
fn confidence(documents: usize) -> u8 {
    let doubt = 0.5f64.powi(i32::try_from(documents).unwrap_or(i32::MAX));
    ((1.0 - doubt) * 100.0).round() as u8
}

/// `2025`, `2025-03` or `2025-03-20` as a STIX timestamp at the start of that period.
fn stix_time(date: &str) -> Option<String> {
    let mut parts = date.trim().splitn(3, '-');
    let year: u32 = parse_fixed(parts.next()?, 4)?;
    let month: u32 = parts.next().map_or(Some(1), |m| parse_fixed(m, 2))?;
    let day: u32 = parts
        .next()
        .map_or(Some(1), |d| parse_fixed(d.get(..2)?, 2))?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1 && (1..=days).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}T00:00:00.000Z"))
}

fn parse_fixed(s: &str, width: usize) -> Option<u32> {
    (s.len() == width && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

fn non_empty<'s>(s: &'s str, fallback: &'s str) -> &'s str {
    if s.trim().is_empty() {
        fallback
    } else {
        s
    }
}

/// Readers scan bundles top-down: who produced it, then what, then how it links.
fn type_rank(o: &Value) -> u8 {
    match o["type"].as_str().unwrap_or_default() {
        "identity" | "extension-definition" => 1,
        "intrusion-set" | "threat-actor" => 2,
        "location" => 3,
        "relationship" => 4,
        "opinion" => 5,
        "note" => 6,
        "report" => 7,
        _ => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    fn bundle(owned: &fixture::Owned) -> Value {
        let mut out = Vec::new();
        write(&owned.dataset(), &Crosswalk::default(), &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    fn of_type<'v>(b: &'v Value, t: &str) -> Vec<&'v Value> {
        b["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["type"] == t)
            .collect()
    }

    #[test]
    fn armed_group_is_an_intrusion_set_with_aliases() {
        let b = bundle(&fixture::sample());
        let sets = of_type(&b, "intrusion-set");
        assert_eq!(sets.len(), 1);
        assert_eq!(sets[0]["name"], "Hill Front");
        assert_eq!(sets[0]["aliases"], json!(["HF", "Jabha-e-Koh & Co"]));
        assert_eq!(sets[0]["spec_version"], "2.1");
    }

    #[test]
    fn town_is_a_location_with_coordinates_city_and_province() {
        let b = bundle(&fixture::sample());
        let town = of_type(&b, "location")
            .into_iter()
            .find(|l| l["name"] == "Warsak")
            .unwrap()
            .clone();
        assert_eq!(town["latitude"], json!(34.16));
        assert_eq!(town["country"], "PK");
        assert_eq!(town["city"], "Warsak");
        assert_eq!(town["administrative_area"], "Khyber Pakhtunkhwa");
    }

    #[test]
    fn based_in_a_town_becomes_located_at_with_confidence_from_documents() {
        let b = bundle(&fixture::sample());
        let rel = of_type(&b, "relationship")
            .into_iter()
            .find(|r| r["relationship_type"] == "located-at")
            .unwrap()
            .clone();
        assert_eq!(
            rel["confidence"], 75,
            "asserted in one document, reported in another"
        );
        assert_eq!(rel["external_references"].as_array().unwrap().len(), 2);
        assert_eq!(rel["created"], "2024-05-05T00:00:00.000Z");
        assert_eq!(rel["modified"], "2024-06-01T00:00:00.000Z");
    }

    #[test]
    fn denial_is_a_strong_disagreement_with_the_relationship_by_the_denier() {
        let b = bundle(&fixture::sample());
        let finances = of_type(&b, "relationship")
            .into_iter()
            .find(|r| r["relationship_type"] == "finances")
            .unwrap()
            .clone();
        assert_eq!(finances["confidence"], 0, "only alleged and denied");
        let opinions = of_type(&b, "opinion");
        assert_eq!(opinions.len(), 2);
        let denial = opinions
            .iter()
            .find(|o| o["opinion"] == "strongly-disagree")
            .unwrap();
        assert_eq!(denial["object_refs"], json!([finances["id"]]));
        assert_eq!(denial["authors"], json!(["River Council"]));
        assert!(opinions.iter().any(|o| o["opinion"] == "neutral"));
    }

    #[test]
    fn figure_is_a_note_on_its_subject_and_place() {
        let b = bundle(&fixture::sample());
        let notes = of_type(&b, "note");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0]["object_refs"].as_array().unwrap().len(), 2);
        assert_eq!(
            notes[0]["abstract"],
            "fatalities: at least 6 people (2024-05-04)"
        );
        assert_eq!(notes[0]["content"], "killing at least 6 soldiers");
    }

    #[test]
    fn report_refers_to_everything_extracted_from_its_document() {
        let owned = fixture::sample();
        let b = bundle(&owned);
        let ids: BTreeSet<&str> = b["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o["id"].as_str())
            .collect();
        for report in of_type(&b, "report") {
            for r in report["object_refs"].as_array().unwrap() {
                assert!(ids.contains(r.as_str().unwrap()), "dangling {r}");
            }
        }
        let a = of_type(&b, "report")
            .into_iter()
            .find(|r| r["name"] == "Checkpoint bombed")
            .unwrap()
            .clone();
        assert_eq!(a["published"], "2024-05-05T00:00:00.000Z");
        assert!(a["object_refs"].as_array().unwrap().len() >= 4);
        assert_eq!(a["external_references"][0]["url"], "https://example.org/a");
    }

    #[test]
    fn literal_names_become_identities_of_unknown_class() {
        let b = bundle(&fixture::sample());
        let literal = of_type(&b, "identity")
            .into_iter()
            .find(|i| i["name"] == "Unnamed \"militia\"")
            .unwrap()
            .clone();
        assert_eq!(literal["identity_class"], "unknown");
    }

    #[test]
    fn re_export_is_byte_identical_whatever_the_record_order() {
        let owned = fixture::sample();
        let mut shuffled = fixture::sample();
        shuffled.entities.reverse();
        shuffled.relations.reverse();
        shuffled.documents.reverse();
        shuffled.mentions.reverse();
        let mut a = Vec::new();
        let mut b = Vec::new();
        write(&owned.dataset(), &Crosswalk::default(), &mut a).unwrap();
        write(&shuffled.dataset(), &Crosswalk::default(), &mut b).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn dates_are_padded_and_impossible_dates_fall_back() {
        assert_eq!(stix_time("2024").unwrap(), "2024-01-01T00:00:00.000Z");
        assert_eq!(stix_time("2024-02-29").unwrap(), "2024-02-29T00:00:00.000Z");
        assert_eq!(stix_time("2023-02-29"), None);
        assert_eq!(stix_time("2024-13"), None);
        assert_eq!(stix_time("March 2024"), None);
        assert_eq!(
            stix_time("2024-05-04T10:00:00Z").unwrap(),
            "2024-05-04T00:00:00.000Z"
        );
    }

    #[test]
    fn place_without_coordinates_or_country_is_left_out() {
        let mut owned = fixture::sample();
        let district = &mut owned.entities[4];
        district.country = None;
        let b = bundle(&owned);
        let district = of_type(&b, "location")
            .into_iter()
            .find(|l| l["name"] == "Peshawar District")
            .unwrap()
            .clone();
        assert_eq!(district["country"], "PK", "inherited from the province");
        for e in &mut owned.entities {
            e.country = None;
        }
        let b = bundle(&owned);
        assert!(of_type(&b, "location")
            .iter()
            .all(|l| l["name"] != "Peshawar District"));
    }
}
