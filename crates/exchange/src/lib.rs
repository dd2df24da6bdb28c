//! Export formats that other tools read: ACLED-like CSV tables, GraphML and GEXF
//! networks, a STIX 2.1 bundle and GeoJSON.
//!
//! Every writer is a pure function of a [`Dataset`] — borrowed slices of model
//! records, as the engine loads them from a store — and a [`Crosswalk`] that maps
//! Dossier's vocabularies onto the target format's (ACLED event types, STIX object
//! and relationship types). Writers do no I/O besides the `Write` they are given and
//! never fail on odd records: an unknown entity id is exported as the literal name,
//! a place without coordinates is left off maps, text is escaped for XML.
//!
//! Output is deterministic: the same dataset gives byte-identical files whatever the
//! order of its records, so exports can be diffed and STIX ids stay stable across
//! re-exports (UUIDv5 over a fixed namespace and a key made from the data).
//!
//! Each format is checked by its own ecosystem's validator in `tools/validate/`
//! (OASIS stix2-validator, networkx, pandas, JSON Schema).
//!
//! ```
//! use dossier_exchange::{write_events_csv, Dataset};
//! let ds = Dataset::default();
//! let mut out = Vec::new();
//! write_events_csv(&ds, &mut out).unwrap();
//! assert!(out.starts_with(b"event_date,time_precision,event_type"));
//! ```

use dossier_model::{Document, Entity, Event, Figure, Mention, Relation};
use std::io::{self, Write};

mod crosswalk;
mod geojson;
mod graph;
mod lookup;
mod stix;
mod tables;

pub use crosswalk::{AcledType, Crosswalk, CrosswalkError, EntityExport, StixRelationship};
pub use graph::{Graph, GraphEdge, GraphNode};
pub use tables::{EVENT_COLUMNS, FIGURE_COLUMNS};

/// The records to export, borrowed from wherever the caller keeps them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dataset<'a> {
    pub documents: &'a [Document],
    pub entities: &'a [Entity],
    pub mentions: &'a [Mention],
    pub figures: &'a [Figure],
    pub relations: &'a [Relation],
    pub events: &'a [Event],
}

/// Writes every format with one crosswalk; [`Exporter::default`] uses the embedded one.
#[derive(Debug, Clone, Default)]
pub struct Exporter {
    crosswalk: Crosswalk,
}

impl Exporter {
    pub fn new(crosswalk: Crosswalk) -> Self {
        Exporter { crosswalk }
    }

    /// One row per event with ACLED's column names (see [`EVENT_COLUMNS`]).
    pub fn write_events_csv(&self, ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
        tables::write_events(ds, &self.crosswalk, out)
    }

    /// One row per figure (see [`FIGURE_COLUMNS`]).
    pub fn write_figures_csv(&self, ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
        tables::write_figures(ds, out)
    }

    /// The actor network as GraphML (networkx, Gephi, yEd, igraph).
    pub fn write_graphml(&self, ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
        Graph::build(ds).write_graphml(out)
    }

    /// The actor network as GEXF 1.2 (Gephi's native format).
    pub fn write_gexf(&self, ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
        Graph::build(ds).write_gexf(out)
    }

    /// A STIX 2.1 bundle: actors, places, relationships, reports, notes, opinions.
    pub fn write_stix(&self, ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
        stix::write(ds, &self.crosswalk, out)
    }

    /// A GeoJSON FeatureCollection of events and places that have coordinates.
    pub fn write_geojson(&self, ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
        geojson::write(ds, out)
    }
}

/// [`Exporter::write_events_csv`] with the embedded crosswalk.
pub fn write_events_csv(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    Exporter::default().write_events_csv(ds, out)
}

/// [`Exporter::write_figures_csv`].
pub fn write_figures_csv(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    Exporter::default().write_figures_csv(ds, out)
}

/// [`Exporter::write_graphml`].
pub fn write_graphml(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    Exporter::default().write_graphml(ds, out)
}

/// [`Exporter::write_gexf`].
pub fn write_gexf(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    Exporter::default().write_gexf(ds, out)
}

/// [`Exporter::write_stix`] with the embedded crosswalk.
pub fn write_stix(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    Exporter::default().write_stix(ds, out)
}

/// [`Exporter::write_geojson`].
pub fn write_geojson(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    Exporter::default().write_geojson(ds, out)
}

/// A small hand-built dataset for the unit tests, with its own example sentences.
#[cfg(test)]
pub(crate) mod fixture {
    use dossier_model::*;

    pub(crate) struct Owned {
        pub documents: Vec<Document>,
        pub entities: Vec<Entity>,
        pub mentions: Vec<Mention>,
        pub figures: Vec<Figure>,
        pub relations: Vec<Relation>,
        pub events: Vec<Event>,
    }

    impl Owned {
        pub(crate) fn dataset(&self) -> crate::Dataset<'_> {
            crate::Dataset {
                documents: &self.documents,
                entities: &self.entities,
                mentions: &self.mentions,
                figures: &self.figures,
                relations: &self.relations,
                events: &self.events,
            }
        }
    }

    pub(crate) fn entity(
        id: &str,
        canonical: &str,
        t: EntityType,
        parent: Option<&str>,
        latlon: Option<(f64, f64)>,
    ) -> Entity {
        Entity {
            id: id.into(),
            canonical: canonical.into(),
            entity_type: t,
            aliases: Vec::new(),
            country: Some("PK".into()),
            lat: latlon.map(|l| l.0),
            lon: latlon.map(|l| l.1),
            parent: parent.map(Into::into),
            role: None,
            discovered: false,
        }
    }

    pub(crate) fn relation(
        doc: &str,
        source: &str,
        t: RelationType,
        target: &str,
        stance: Stance,
    ) -> Relation {
        Relation {
            doc: doc.into(),
            source: source.into(),
            relation_type: t,
            target: target.into(),
            stance,
            attributed_to: None,
            start: 0,
            end: 10,
            text: format!("{source} {t} {target}"),
            rule: "test".into(),
        }
    }

    /// Two reports: "The Hill Front bombed a checkpoint in Warsak on 4 May 2024,
    /// killing at least 6 soldiers" and "Officials say the Hill Front is based in
    /// Warsak and receives money from the River Council, which the council denies."
    pub(crate) fn sample() -> Owned {
        let mut front = entity(
            "hill-front",
            "Hill Front",
            EntityType::ArmedGroup,
            None,
            None,
        );
        front.aliases = vec!["HF".into(), "Jabha-e-Koh & Co".into()];
        let council = entity(
            "river-council",
            "River Council",
            EntityType::GovernmentBody,
            None,
            None,
        );
        let pakistan = entity(
            "pakistan",
            "Pakistan",
            EntityType::Country,
            None,
            Some((30.0, 70.0)),
        );
        let province = entity(
            "khyber-pakhtunkhwa",
            "Khyber Pakhtunkhwa",
            EntityType::Province,
            Some("pakistan"),
            Some((34.5, 72.0)),
        );
        let district = entity(
            "peshawar-district",
            "Peshawar District",
            EntityType::District,
            Some("khyber-pakhtunkhwa"),
            None,
        );
        let town = entity(
            "warsak",
            "Warsak",
            EntityType::Town,
            Some("peshawar-district"),
            Some((34.16, 71.36)),
        );
        let documents = vec![
            Document {
                doc: "a-report".into(),
                title: Some("Checkpoint bombed".into()),
                published: Some("2024-05-05".into()),
                publisher: Some("Frontier Daily".into()),
                author: None,
                url: Some("https://example.org/a".into()),
                sha256: "00".into(),
                chars: 200,
                near_duplicate_of: None,
                origin: None,
                text: None,
            },
            Document {
                doc: "b-analysis".into(),
                title: Some("Who pays the Hill Front <and why>".into()),
                published: Some("2024-06".into()),
                publisher: None,
                author: None,
                url: None,
                sha256: "01".into(),
                chars: 300,
                near_duplicate_of: None,
                origin: None,
                text: None,
            },
        ];
        let mentions = vec![
            Mention {
                doc: "a-report".into(),
                entity: "hill-front".into(),
                start: 4,
                end: 14,
                text: "Hill Front".into(),
                rule: "registry".into(),
            },
            Mention {
                doc: "a-report".into(),
                entity: "warsak".into(),
                start: 40,
                end: 46,
                text: "Warsak".into(),
                rule: "registry".into(),
            },
            Mention {
                doc: "b-analysis".into(),
                entity: "warsak".into(),
                start: 50,
                end: 56,
                text: "Warsak".into(),
                rule: "registry".into(),
            },
        ];
        let events = vec![Event {
            doc: "a-report".into(),
            event_type: EventType::Bombing,
            date: Some("2024-05-04".into()),
            date_precision: DatePrecision::Day,
            place: Some("warsak".into()),
            perpetrator: Some("hill-front".into()),
            target: Some("a checkpoint".into()),
            killed: Some(6.0),
            injured: None,
            start: 0,
            end: 90,
            text: "The Hill Front bombed a checkpoint in Warsak on 4 May 2024, killing at least 6 soldiers".into(),
            rule: "test".into(),
        }];
        let figures = vec![Figure {
            doc: "a-report".into(),
            value: 6.0,
            value_max: None,
            bound: Bound::AtLeast,
            unit: "people".into(),
            metric: Metric::Fatalities,
            subject: Some("hill-front".into()),
            period: Some("2024-05-04".into()),
            place: Some("warsak".into()),
            source: None,
            hedged: false,
            start: 60,
            end: 90,
            text: "killing at least 6 soldiers".into(),
            rule: "test".into(),
        }];
        let mut denied = relation(
            "b-analysis",
            "river-council",
            RelationType::Finances,
            "hill-front",
            Stance::Denied,
        );
        denied.attributed_to = Some("river-council".into());
        let relations = vec![
            relation(
                "b-analysis",
                "hill-front",
                RelationType::BasedIn,
                "warsak",
                Stance::Reported,
            ),
            relation(
                "a-report",
                "hill-front",
                RelationType::BasedIn,
                "warsak",
                Stance::Asserted,
            ),
            relation(
                "b-analysis",
                "river-council",
                RelationType::Finances,
                "hill-front",
                Stance::Alleged,
            ),
            denied,
            relation(
                "b-analysis",
                "hill-front",
                RelationType::HostileTo,
                "Unnamed \"militia\"",
                Stance::Asserted,
            ),
        ];
        Owned {
            documents,
            entities: vec![front, council, pakistan, province, district, town],
            mentions,
            figures,
            relations,
            events,
        }
    }
}
