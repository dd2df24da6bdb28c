//! Invented documents for the unit tests (never seed text).

use dossier_model::*;

use crate::NewDocument;

pub(crate) const TEXT: &str = "The Lashkar Front (LF) claimed the attack in Dera district on \
3 May 2024. Officials said 12 people were killed. The Hill Militia Council supports the LF, \
according to a UN report.";

/// Byte span of the first `needle` in `text`.
pub(crate) fn span(text: &str, needle: &str) -> (usize, usize) {
    let start = text
        .find(needle)
        .expect("fixture needle is in the fixture text");
    (start, start + needle.len())
}

pub(crate) fn document(id: &str, sha: &str, text: &str) -> Document {
    Document {
        doc: id.into(),
        title: Some(format!("Report {id}")),
        published: Some("2024-05-04".into()),
        publisher: Some("Frontier Monitor".into()),
        author: Some("A. Writer".into()),
        url: Some(format!("https://example.org/{id}")),
        sha256: sha.into(),
        chars: text.chars().count(),
        near_duplicate_of: None,
        origin: Some(format!("{id}.txt")),
        text: Some(text.into()),
    }
}

pub(crate) fn entity(id: &str, canonical: &str, t: EntityType, aliases: &[&str]) -> Entity {
    Entity {
        id: id.into(),
        canonical: canonical.into(),
        entity_type: t,
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        country: Some("PK".into()),
        lat: None,
        lon: None,
        parent: None,
        role: None,
        discovered: false,
    }
}

pub(crate) fn registry() -> Vec<Entity> {
    vec![
        entity(
            "lashkar-front",
            "Lashkar Front",
            EntityType::ArmedGroup,
            &["LF"],
        ),
        entity("dera", "Dera", EntityType::District, &["Dera district"]),
        entity(
            "un",
            "United Nations",
            EntityType::InternationalOrg,
            &["UN"],
        ),
    ]
}

pub(crate) fn mention(doc: &str, entity: &str, text: &str, needle: &str) -> Mention {
    let (start, end) = span(text, needle);
    Mention {
        doc: doc.into(),
        entity: entity.into(),
        start,
        end,
        text: needle.into(),
        rule: "registry".into(),
    }
}

/// An analysis of [`TEXT`] with one record of every kind.
pub(crate) fn analysis(doc: &str) -> Analysis {
    let t = TEXT;
    let (fs, fe) = span(t, "12 people were killed");
    let (rs, re) = span(t, "The Hill Militia Council supports the LF");
    let (es, ee) = span(t, "claimed the attack in Dera district on 3 May 2024");
    let (ls, le) = span(t, "Lashkar Front (LF)");
    let mut council = entity(
        "hill-militia-council",
        "Hill Militia Council",
        EntityType::ArmedGroup,
        &["the Council"],
    );
    council.discovered = true;
    Analysis {
        mentions: vec![
            mention(doc, "lashkar-front", t, "Lashkar Front"),
            mention(doc, "lashkar-front", t, "LF"),
            mention(doc, "dera", t, "Dera district"),
            mention(doc, "hill-militia-council", t, "Hill Militia Council"),
        ],
        discovered: vec![council],
        learned_aliases: vec![LearnedAlias {
            entity: "lashkar-front".into(),
            alias: "LF".into(),
            doc: doc.into(),
            start: ls,
            end: le,
        }],
        figures: vec![Figure {
            doc: doc.into(),
            value: 12.0,
            value_max: None,
            bound: Bound::Exact,
            unit: "people".into(),
            metric: Metric::Fatalities,
            subject: Some("lashkar-front".into()),
            period: Some("2024-05-03".into()),
            place: Some("dera".into()),
            source: Some("officials".into()),
            hedged: false,
            start: fs,
            end: fe,
            text: t[fs..fe].into(),
            rule: "killed-n".into(),
        }],
        relations: vec![Relation {
            doc: doc.into(),
            source: "hill-militia-council".into(),
            relation_type: RelationType::Supports,
            target: "lashkar-front".into(),
            stance: Stance::Reported,
            attributed_to: Some("un".into()),
            start: rs,
            end: re,
            text: t[rs..re].into(),
            rule: "x-supports-y".into(),
        }],
        events: vec![Event {
            doc: doc.into(),
            event_type: EventType::Attack,
            date: Some("2024-05-03".into()),
            date_precision: DatePrecision::Day,
            place: Some("dera".into()),
            perpetrator: Some("lashkar-front".into()),
            target: None,
            killed: Some(12.0),
            injured: None,
            start: es,
            end: ee,
            text: t[es..ee].into(),
            rule: "claimed-attack".into(),
        }],
        diagnostics: vec![],
    }
}

/// A store with the registry synced and [`TEXT`] stored as `doc` with sha `sha`.
pub(crate) fn store_with(ids: &[(&str, &str)]) -> crate::SqliteStore {
    use crate::Store;
    let mut store = crate::SqliteStore::open_in_memory().expect("in-memory store opens");
    store
        .sync_registry("r1", &registry())
        .expect("registry syncs");
    for (id, sha) in ids {
        let doc = document(id, sha, TEXT);
        let analysis = analysis(id);
        store
            .insert_document(&NewDocument {
                doc: &doc,
                fingerprint: &[1, 2, 3],
                bands: &[7, u64::MAX],
                analysis: &analysis,
            })
            .expect("fixture document inserts");
    }
    store
}
