//! Writes every format from a hand-built dataset, checks its structure in Rust, and —
//! when `DOSSIER_VALIDATE_PY` names a python with `tools/validate/requirements.txt`
//! installed (see `tools/validate/setup.sh`) — runs each ecosystem's own validator.

use dossier_exchange::{Dataset, Exporter, EVENT_COLUMNS, FIGURE_COLUMNS};
use dossier_model::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn entity(
    id: &str,
    name: &str,
    t: EntityType,
    parent: Option<&str>,
    at: Option<(f64, f64)>,
) -> Entity {
    Entity {
        id: id.into(),
        canonical: name.into(),
        entity_type: t,
        aliases: Vec::new(),
        country: Some("AF".into()),
        lat: at.map(|p| p.0),
        lon: at.map(|p| p.1),
        parent: parent.map(Into::into),
        role: None,
        discovered: false,
    }
}

fn doc(id: &str, title: &str, published: Option<&str>) -> Document {
    Document {
        doc: id.into(),
        title: Some(title.into()),
        published: published.map(Into::into),
        publisher: Some("Valley Monitor".into()),
        author: Some("Staff".into()),
        url: Some(format!("https://example.org/{id}?a=1&b=2")),
        sha256: format!("{id}-hash"),
        chars: 500,
        near_duplicate_of: None,
        origin: None,
        text: None,
    }
}

fn relation(d: &str, s: &str, t: RelationType, o: &str, stance: Stance, text: &str) -> Relation {
    Relation {
        doc: d.into(),
        source: s.into(),
        relation_type: t,
        target: o.into(),
        stance,
        attributed_to: None,
        start: 0,
        end: text.len(),
        text: text.into(),
        rule: "test".into(),
    }
}

fn event(
    d: &str,
    t: EventType,
    date: Option<&str>,
    p: DatePrecision,
    place: &str,
    text: &str,
) -> Event {
    Event {
        doc: d.into(),
        event_type: t,
        date: date.map(Into::into),
        date_precision: p,
        place: Some(place.into()),
        perpetrator: Some("mountain-brigade".into()),
        target: Some("border police".into()),
        killed: Some(4.0),
        injured: Some(11.0),
        start: 0,
        end: text.len(),
        text: text.into(),
        rule: "test".into(),
    }
}

struct Sample {
    documents: Vec<Document>,
    entities: Vec<Entity>,
    mentions: Vec<Mention>,
    figures: Vec<Figure>,
    relations: Vec<Relation>,
    events: Vec<Event>,
}

/// Three made-up reports about a "Mountain Brigade" in eastern Afghanistan.
fn sample() -> Sample {
    let mut brigade = entity(
        "mountain-brigade",
        "Mountain Brigade",
        EntityType::ArmedGroup,
        None,
        None,
    );
    brigade.aliases = vec![
        "MB".into(),
        "Lashkar-e-Koh".into(),
        "<Koh> & \"Sons\"".into(),
    ];
    let mut leader = entity("qari-zaman", "Qari Zaman", EntityType::Person, None, None);
    leader.role = Some("Mountain Brigade emir".into());
    let ministry = entity(
        "interior-ministry",
        "Ministry of Interior",
        EntityType::GovernmentBody,
        None,
        None,
    );
    let afghanistan = entity(
        "afghanistan",
        "Afghanistan",
        EntityType::Country,
        None,
        Some((33.9, 67.7)),
    );
    let kunar = entity(
        "kunar",
        "Kunar",
        EntityType::Province,
        Some("afghanistan"),
        Some((34.85, 71.1)),
    );
    let asadabad = entity(
        "asadabad",
        "Asadabad",
        EntityType::City,
        Some("kunar"),
        Some((34.87, 71.15)),
    );
    let mut valley = entity("pech-valley", "Pech Valley", EntityType::Region, None, None);
    valley.country = None;
    let documents = vec![
        doc("r1", "Brigade attack in Kunar", Some("2024-09-02")),
        doc("r2", "Who backs the brigade — an analysis", Some("2024-10")),
        doc("r3", "Undated field note", None),
    ];
    let m = |d: &str, e: &str| Mention {
        doc: d.into(),
        entity: e.into(),
        start: 0,
        end: 1,
        text: "x".into(),
        rule: "registry".into(),
    };
    let mentions = vec![
        m("r1", "mountain-brigade"),
        m("r1", "asadabad"),
        m("r2", "mountain-brigade"),
        m("r2", "qari-zaman"),
        m("r3", "kunar"),
    ];
    let mut denied = relation(
        "r2",
        "interior-ministry",
        RelationType::Supports,
        "mountain-brigade",
        Stance::Denied,
        "The ministry denied any support for the brigade.",
    );
    denied.attributed_to = Some("interior-ministry".into());
    let relations = vec![
        relation(
            "r1",
            "mountain-brigade",
            RelationType::OperatesIn,
            "kunar",
            Stance::Asserted,
            "The brigade operates across Kunar.",
        ),
        relation(
            "r2",
            "mountain-brigade",
            RelationType::OperatesIn,
            "kunar",
            Stance::Asserted,
            "Its fighters roam Kunar’s valleys.",
        ),
        relation(
            "r2",
            "qari-zaman",
            RelationType::Leads,
            "mountain-brigade",
            Stance::Reported,
            "Qari Zaman, who leads the brigade",
        ),
        relation(
            "r2",
            "interior-ministry",
            RelationType::Supports,
            "mountain-brigade",
            Stance::Alleged,
            "Critics allege the ministry quietly supports the brigade.",
        ),
        denied,
        relation(
            "r3",
            "mountain-brigade",
            RelationType::BasedIn,
            "pech-valley",
            Stance::Speculative,
            "It may be based in the Pech Valley\u{7}.",
        ),
        relation(
            "r3",
            "mountain-brigade",
            RelationType::HostileTo,
            "Local <lashkar>",
            Stance::Asserted,
            "The brigade fights a local lashkar.",
        ),
    ];
    let events = vec![
        event(
            "r1",
            EventType::ArmedAssault,
            Some("2024-09-01"),
            DatePrecision::Day,
            "asadabad",
            "Gunmen from the brigade stormed a post in Asadabad, killing four",
        ),
        event(
            "r2",
            EventType::Bombing,
            Some("2024-08"),
            DatePrecision::Month,
            "kunar",
            "a roadside bomb in Kunar in August",
        ),
        event(
            "r3",
            EventType::Clash,
            None,
            DatePrecision::Unknown,
            "pech-valley",
            "clashes in the Pech Valley",
        ),
    ];
    let figures = vec![
        Figure {
            doc: "r2".into(),
            value: 300.0,
            value_max: Some(500.0),
            bound: Bound::Range,
            unit: "people".into(),
            metric: Metric::Fighters,
            subject: Some("mountain-brigade".into()),
            period: Some("2024".into()),
            place: Some("kunar".into()),
            source: Some("interior-ministry".into()),
            hedged: true,
            start: 0,
            end: 40,
            text: "between 300 and 500 fighters, officials estimate".into(),
            rule: "test".into(),
        },
        Figure {
            doc: "r3".into(),
            value: 1.5,
            value_max: None,
            bound: Bound::Approx,
            unit: "USD".into(),
            metric: Metric::Money,
            subject: Some("an unnamed donor".into()),
            period: None,
            place: None,
            source: None,
            hedged: false,
            start: 0,
            end: 20,
            text: "about $1.5 million, \"roughly\"".into(),
            rule: "test".into(),
        },
    ];
    Sample {
        documents,
        entities: vec![
            brigade,
            leader,
            ministry,
            afghanistan,
            kunar,
            asadabad,
            valley,
        ],
        mentions,
        figures,
        relations,
        events,
    }
}

impl Sample {
    fn dataset(&self) -> Dataset<'_> {
        Dataset {
            documents: &self.documents,
            entities: &self.entities,
            mentions: &self.mentions,
            figures: &self.figures,
            relations: &self.relations,
            events: &self.events,
        }
    }
}

type Writer = fn(&Exporter, &Dataset, &mut dyn std::io::Write) -> std::io::Result<()>;

const FORMATS: [(&str, &str, Writer); 6] = [
    ("events-csv", "events.csv", Exporter::write_events_csv),
    ("figures-csv", "figures.csv", Exporter::write_figures_csv),
    ("graphml", "graph.graphml", Exporter::write_graphml),
    ("gexf", "graph.gexf", Exporter::write_gexf),
    ("stix", "bundle.json", Exporter::write_stix),
    ("geojson", "map.geojson", Exporter::write_geojson),
];

fn write_all(dir: &Path, sample: &Sample) -> Vec<(&'static str, PathBuf)> {
    let exporter = Exporter::default();
    FORMATS
        .iter()
        .map(|(format, file, write)| {
            let path = dir.join(file);
            let mut out = Vec::new();
            write(&exporter, &sample.dataset(), &mut out).unwrap();
            std::fs::write(&path, out).unwrap();
            (*format, path)
        })
        .collect()
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn every_format_has_the_promised_structure() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_all(dir.path(), &sample());
    let read = |name: &str| {
        let (_, path) = files.iter().find(|(f, _)| *f == name).unwrap();
        std::fs::read_to_string(path).unwrap()
    };

    let mut events = csv::Reader::from_reader(std::io::Cursor::new(read("events-csv")));
    assert_eq!(
        events.headers().unwrap(),
        &csv::StringRecord::from(EVENT_COLUMNS.to_vec())
    );
    let rows: Vec<_> = events.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        &rows[0][0], "2024-08",
        "sorted by date; month precision kept"
    );
    assert_eq!(&rows[0][1], "2");
    let mut figures = csv::Reader::from_reader(std::io::Cursor::new(read("figures-csv")));
    assert_eq!(
        figures.headers().unwrap(),
        &csv::StringRecord::from(FIGURE_COLUMNS.to_vec())
    );
    assert_eq!(figures.records().count(), 2);

    let graphml = read("graphml");
    // Actors (4, incl. the literal) + Kunar and Pech Valley reached by relations.
    assert_eq!(count(&graphml, "<node id="), 6);
    // operates_in (2 docs), leads, supports alleged, supports denied, based_in, hostile_to.
    assert_eq!(count(&graphml, "<edge id="), 6);
    assert!(!graphml.contains('\u{7}'));
    let gexf = read("gexf");
    assert_eq!(count(&gexf, "<node id="), 6);
    assert_eq!(count(&gexf, "<edge id="), 6);

    let bundle: serde_json::Value = serde_json::from_str(&read("stix")).unwrap();
    assert_eq!(bundle["type"], "bundle");
    let objects = bundle["objects"].as_array().unwrap();
    let of = |t: &str| objects.iter().filter(|o| o["type"] == t).count();
    assert_eq!(of("report"), 3);
    assert_eq!(of("intrusion-set"), 1);
    assert_eq!(
        of("location"),
        3,
        "Pech Valley has neither coordinates nor country"
    );
    assert_eq!(of("note"), 2);
    assert_eq!(
        of("opinion"),
        2,
        "alleged and denied; the speculative one targets an unlocatable place"
    );
    assert!(objects.iter().all(|o| o["spec_version"] == "2.1"));

    let geo: serde_json::Value = serde_json::from_str(&read("geojson")).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    // Events in Asadabad and Kunar (not the Pech Valley) + three places with coordinates.
    assert_eq!(geo["features"].as_array().unwrap().len(), 5);
}

#[test]
fn re_export_is_byte_identical() {
    let sample = sample();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for ((_, pa), (_, pb)) in write_all(a.path(), &sample)
        .into_iter()
        .zip(write_all(b.path(), &sample))
    {
        assert_eq!(
            std::fs::read(&pa).unwrap(),
            std::fs::read(&pb).unwrap(),
            "{}",
            pa.display()
        );
    }
}

#[test]
fn ecosystem_validators_accept_every_format() {
    let Some(python) = std::env::var_os("DOSSIER_VALIDATE_PY") else {
        eprintln!(
            "DOSSIER_VALIDATE_PY unset: ecosystem validators skipped (structure is checked above)"
        );
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/validate/validate.py");
    let dir = tempfile::tempdir().unwrap();
    let expected: [(&str, &[&str]); 6] = [
        ("events-csv", &["--rows", "3"]),
        ("figures-csv", &["--rows", "2"]),
        ("graphml", &["--nodes", "6", "--edges", "6"]),
        ("gexf", &["--nodes", "6", "--edges", "6"]),
        ("stix", &["--strict"]),
        ("geojson", &["--rows", "5"]),
    ];
    for (format, path) in write_all(dir.path(), &sample()) {
        let extra = expected
            .iter()
            .find(|(f, _)| *f == format)
            .map_or(&[][..], |(_, a)| a);
        let output = Command::new(&python)
            .arg(&script)
            .arg(format)
            .arg(&path)
            .args(extra)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&output.stdout);
        eprintln!("{report}{}", String::from_utf8_lossy(&output.stderr));
        assert!(
            output.status.success(),
            "{format} rejected by its validator:\n{report}"
        );
    }
}

/// The validators must bite: each broken variant of a good file is rejected.
#[test]
fn ecosystem_validators_reject_broken_files() {
    let Some(python) = std::env::var_os("DOSSIER_VALIDATE_PY") else {
        eprintln!("DOSSIER_VALIDATE_PY unset: negative validator checks skipped");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/validate/validate.py");
    let dir = tempfile::tempdir().unwrap();
    let files = write_all(dir.path(), &sample());
    let breakages: [(&str, &str, &str); 6] = [
        (
            "stix",
            "\"2024-09-02T00:00:00.000Z\"",
            "\"2024-13-02T00:00:00.000Z\"",
        ),
        (
            "stix",
            "\"relationship_type\": \"leads\"",
            "\"relationship_type\": \"Leads The Group\"",
        ),
        (
            "events-csv",
            "event_date,time_precision",
            "date,time_precision",
        ),
        ("figures-csv", "r2,300,500", "r2,three hundred,500"),
        ("geojson", "71.15", "271.15"),
        (
            "graphml",
            "<data key=\"source_count\">2</data>",
            "<data key=\"source_count\">7</data>",
        ),
    ];
    for (format, from, to) in breakages {
        let (_, good) = files.iter().find(|(f, _)| *f == format).unwrap();
        let text = std::fs::read_to_string(good).unwrap();
        assert!(text.contains(from), "{format}: fixture lacks {from}");
        let bad = dir.path().join(format!("broken-{format}"));
        std::fs::write(&bad, text.replacen(from, to, 1)).unwrap();
        let output = Command::new(&python)
            .arg(&script)
            .arg(format)
            .arg(&bad)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format} accepted {to}:\n{report}"
        );
    }
}
