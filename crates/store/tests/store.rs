//! End-to-end tests of the SQLite store through the public `Store` interface, on files:
//! the shared behaviour suite (`dossier_store::conformance`, also run against
//! PostgreSQL by `dossier-pgstore`) plus what only the file store has.

use std::time::Instant;

use dossier_model::*;
use dossier_store::conformance::Backend;
use dossier_store::{Filter, NewDocument, SearchQuery, SqliteStore, Store};

/// Every store on its own file in a temporary folder (kept until the test ends), so
/// that `again` opens a second connection like a second process would.
#[derive(Default)]
struct Files {
    dirs: Vec<tempfile::TempDir>,
}

impl Backend for Files {
    type S = SqliteStore;
    fn fresh(&mut self) -> SqliteStore {
        let dir = tempfile::tempdir().expect("temporary folder");
        let s = SqliteStore::open(&dir.path().join("store.db")).expect("store opens");
        self.dirs.push(dir);
        s
    }
    fn again(&mut self) -> SqliteStore {
        let dir = self.dirs.last().expect("fresh was called first");
        SqliteStore::open(&dir.path().join("store.db")).expect("store reopens")
    }
}

dossier_store::store_conformance_tests!(Some(Files::default()));

/// An invented article of about `words` words; `n` makes every article's text distinct.
fn article(n: usize, words: usize) -> String {
    const VOCAB: &[&str] = &[
        "militants",
        "attacked",
        "a",
        "checkpoint",
        "near",
        "the",
        "border",
        "crossing",
        "officials",
        "said",
        "several",
        "soldiers",
        "were",
        "killed",
        "group",
        "claimed",
        "responsibility",
        "province",
        "district",
        "security",
        "forces",
        "launched",
        "operation",
    ];
    let mut s = format!("Report number {n}.");
    for i in 0..words {
        s.push(' ');
        s.push_str(VOCAB[(i * 7 + n) % VOCAB.len()]);
        if i % 12 == 11 {
            s.push('.');
        }
    }
    s
}

fn doc(id: &str, n: usize, text: &str) -> Document {
    Document {
        doc: id.into(),
        title: Some(format!("Border report {n}")),
        published: Some(format!("2024-{:02}-{:02}", n % 12 + 1, n % 28 + 1)),
        publisher: Some(["Frontier Monitor", "Valley Times"][n % 2].into()),
        author: None,
        url: None,
        sha256: format!("{n:064x}"),
        chars: text.chars().count(),
        near_duplicate_of: None,
        origin: Some(format!("{id}.txt")),
        text: Some(text.into()),
    }
}

/// About 50 annotations spread over the kinds, spans on word boundaries of `text`.
fn annotations(id: &str, text: &str) -> Analysis {
    let spans: Vec<(usize, usize)> = text
        .char_indices()
        .filter(|&(_, c)| c == ' ')
        .map(|(i, _)| i + 1)
        .zip(
            text.char_indices()
                .filter(|&(_, c)| c == ' ')
                .map(|(i, _)| i)
                .skip(1),
        )
        .take(50)
        .collect();
    let mut a = Analysis::default();
    for (k, &(start, end)) in spans.iter().enumerate() {
        let quote = text[start..end].to_string();
        match k % 5 {
            0 | 1 => a.mentions.push(Mention {
                doc: id.into(),
                entity: ["group-a", "group-b", "valley"][k % 3].into(),
                start,
                end,
                text: quote,
                rule: "registry".into(),
            }),
            2 => a.figures.push(Figure {
                doc: id.into(),
                value: k as f64,
                value_max: Some(k as f64 + 5.0),
                bound: Bound::Range,
                unit: "people".into(),
                metric: Metric::Fatalities,
                subject: Some("group-a".into()),
                period: Some("2024".into()),
                place: Some("valley".into()),
                source: None,
                hedged: k % 2 == 0,
                start,
                end,
                text: quote,
                rule: "n-killed".into(),
            }),
            3 => a.relations.push(Relation {
                doc: id.into(),
                source: "group-a".into(),
                relation_type: RelationType::AlliedWith,
                target: "group-b".into(),
                stance: Stance::Alleged,
                attributed_to: None,
                start,
                end,
                text: quote,
                rule: "allied".into(),
            }),
            _ => a.events.push(Event {
                doc: id.into(),
                event_type: EventType::Clash,
                date: None,
                date_precision: DatePrecision::Unknown,
                place: None,
                perpetrator: Some("security forces".into()),
                target: Some("group-b".into()),
                killed: None,
                injured: Some(3.0),
                start,
                end,
                text: quote,
                rule: "clash".into(),
            }),
        }
    }
    a
}

fn registry() -> Vec<Entity> {
    let e = |id: &str, name: &str, t| Entity {
        id: id.into(),
        canonical: name.into(),
        entity_type: t,
        aliases: vec![],
        country: None,
        lat: Some(34.0),
        lon: Some(71.5),
        parent: None,
        role: None,
        discovered: false,
    };
    vec![
        e("group-a", "Group A", EntityType::ArmedGroup),
        e("group-b", "Group B", EntityType::ArmedGroup),
        e("valley", "The Valley", EntityType::Region),
    ]
}

#[test]
fn a_full_analysis_survives_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dossier.db");
    let text = article(1, 300);
    let document = doc("a", 1, &text);
    let analysis = annotations("a", &text);
    {
        let mut s = SqliteStore::open(&path).unwrap();
        s.sync_registry("h", &registry()).unwrap();
        s.insert_document(&NewDocument {
            doc: &document,
            fingerprint: &[9; 16],
            bands: &[1, 2, 3],
            analysis: &analysis,
        })
        .unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    let all = Filter::default();
    assert_eq!(s.document("a").unwrap().unwrap(), document);
    assert_eq!(s.mentions(&all).unwrap(), analysis.mentions);
    assert_eq!(s.figures(&all).unwrap(), analysis.figures);
    assert_eq!(s.relations(&all).unwrap(), analysis.relations);
    assert_eq!(s.events(&all).unwrap(), analysis.events);
    assert_eq!(s.entities().unwrap(), registry());
    for m in s.mentions(&all).unwrap() {
        assert_eq!(&text[m.start..m.end], m.text, "spans index the stored text");
    }
    assert_eq!(s.near_duplicate_candidates(&[3]).unwrap()[0].1, vec![9; 16]);
}

/// The brief's budget: 1,000 documents of 5 KB with ~50 annotations each in a few
/// seconds. Asserts everything arrived; the time bound is loose because the test runs
/// unoptimized on a shared machine, the measured figure is printed.
#[test]
fn a_thousand_annotated_documents_insert_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(&dir.path().join("bulk.db")).unwrap();
    s.sync_registry("h", &registry()).unwrap();
    let inputs: Vec<(Document, Analysis, String)> = (0..1000)
        .map(|n| {
            let text = article(n, 800);
            let id = format!("doc-{n}");
            (doc(&id, n, &text), annotations(&id, &text), text)
        })
        .collect();
    assert!(inputs[0].2.len() >= 5000, "articles are about 5 KB");
    let started = Instant::now();
    for (n, (d, a, _)) in inputs.iter().enumerate() {
        let bands = [n as u64, n as u64 + 1_000_000];
        s.insert_document(&NewDocument {
            doc: d,
            fingerprint: &[0; 128],
            bands: &bands,
            analysis: a,
        })
        .unwrap();
    }
    let elapsed = started.elapsed();
    eprintln!("inserted 1000 documents with 50 annotations each in {elapsed:?}");
    let st = s.stats().unwrap();
    assert_eq!(st.documents, 1000);
    assert_eq!(st.mentions + st.figures + st.relations + st.events, 50_000);
    let hits = s
        .search(&SearchQuery {
            text: "checkpoint".into(),
            limit: Some(5),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.len(), 5);
    let f = Filter {
        entity: Some("group-a".into()),
        from: Some("2024-03".into()),
        to: Some("2024-03".into()),
        ..Default::default()
    };
    assert!(!s.figures(&f).unwrap().is_empty());
    assert!(elapsed.as_secs() < 60, "took {elapsed:?}");
}
