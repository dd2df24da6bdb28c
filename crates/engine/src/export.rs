//! The JSONL interchange export (`shared/spec/interchange.md`).

use crate::{Engine, EngineError};
use dossier_model::{Entity, Event, Figure, Mention, Record, Relation};
use dossier_store::{Filter, Store};
use std::collections::BTreeSet;
use std::io::Write;

/// What to put in an export.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportOptions {
    /// Add the clean `text` to each document record.
    pub with_text: bool,
    /// Export every registry entity, not only those the documents refer to.
    pub all_entities: bool,
}

/// Write every record as one JSON object per line: documents, entities, mentions,
/// figures, relations, events, disputes. Returns the number of records written.
pub fn write_jsonl<S: Store>(
    engine: &Engine<S>,
    opts: ExportOptions,
    out: &mut dyn Write,
) -> Result<usize, EngineError> {
    let store = engine.store();
    let all = Filter::default();
    let mut n = 0;
    let mut line = |rec: &Record, out: &mut dyn Write| -> Result<(), EngineError> {
        serde_json::to_writer(&mut *out, rec).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        n += 1;
        Ok(())
    };
    for meta in store.documents()? {
        let doc = if opts.with_text {
            store.document(&meta.doc)?.unwrap_or(meta)
        } else {
            meta
        };
        line(&Record::Document(doc), out)?;
    }
    let mentions = store.mentions(&all)?;
    let figures = store.figures(&all)?;
    let relations = store.relations(&all)?;
    let events = store.events(&all)?;
    for entity in referenced_entities(
        store.entities()?,
        opts.all_entities,
        &mentions,
        &figures,
        &relations,
        &events,
    ) {
        line(&Record::Entity(entity), out)?;
    }
    for m in mentions {
        line(&Record::Mention(m), out)?;
    }
    for f in figures {
        line(&Record::Figure(f), out)?;
    }
    for r in relations {
        line(&Record::Relation(r), out)?;
    }
    for e in events {
        line(&Record::Event(e), out)?;
    }
    for d in engine.reconcile_disputes()?.disputes {
        line(&Record::Dispute(d), out)?;
    }
    out.flush()?;
    Ok(n)
}

/// The entities the records refer to (or all of them): exports describe what the
/// documents say, not the whole registry.
fn referenced_entities(
    entities: Vec<Entity>,
    all: bool,
    mentions: &[Mention],
    figures: &[Figure],
    relations: &[Relation],
    events: &[Event],
) -> Vec<Entity> {
    if all {
        return entities;
    }
    let mut referenced: BTreeSet<&str> = BTreeSet::new();
    referenced.extend(mentions.iter().map(|m| m.entity.as_str()));
    for f in figures {
        referenced.extend(
            [&f.subject, &f.place, &f.source]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
    }
    for r in relations {
        referenced.extend([r.source.as_str(), r.target.as_str()]);
        referenced.extend(r.attributed_to.as_deref());
    }
    for e in events {
        referenced.extend(
            [&e.place, &e.perpetrator, &e.target]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
    }
    // Places keep their admin parents so that exports can name province and country.
    let by_id: std::collections::HashMap<&str, &Entity> =
        entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut keep: BTreeSet<String> = BTreeSet::new();
    for id in referenced {
        let mut cur = by_id.get(id).copied();
        let mut hops = 0;
        while let Some(e) = cur {
            if !keep.insert(e.id.clone()) || hops > 8 {
                break;
            }
            hops += 1;
            cur = e.parent.as_deref().and_then(|p| by_id.get(p).copied());
        }
    }
    entities
        .into_iter()
        .filter(|e| keep.contains(&e.id))
        .collect()
}

/// The formats other tools read, written by `dossier-exchange`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Events in ACLED-like columns.
    EventsCsv,
    /// One row per figure.
    FiguresCsv,
    Graphml,
    Gexf,
    /// A STIX 2.1 bundle.
    Stix,
    Geojson,
}

/// Write the whole store in one of the exchange formats.
pub fn write_format<S: Store>(
    engine: &Engine<S>,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), EngineError> {
    let store = engine.store();
    let all = Filter::default();
    let documents = store.documents()?;
    let mentions = store.mentions(&all)?;
    let figures = store.figures(&all)?;
    let relations = store.relations(&all)?;
    let events = store.events(&all)?;
    let entities = referenced_entities(
        store.entities()?,
        false,
        &mentions,
        &figures,
        &relations,
        &events,
    );
    let ds = dossier_exchange::Dataset {
        documents: &documents,
        entities: &entities,
        mentions: &mentions,
        figures: &figures,
        relations: &relations,
        events: &events,
    };
    match format {
        Format::EventsCsv => dossier_exchange::write_events_csv(&ds, out)?,
        Format::FiguresCsv => dossier_exchange::write_figures_csv(&ds, out)?,
        Format::Graphml => dossier_exchange::write_graphml(&ds, out)?,
        Format::Gexf => dossier_exchange::write_gexf(&ds, out)?,
        Format::Stix => dossier_exchange::write_stix(&ds, out)?,
        Format::Geojson => dossier_exchange::write_geojson(&ds, out)?,
    }
    out.flush()?;
    Ok(())
}
