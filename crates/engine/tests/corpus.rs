//! End-to-end over the bundled sample corpus (examples/corpus): golden snapshots of
//! what the pipeline extracts from each document, and order independence of
//! cross-document resolution and reconciliation.
//!
//! Golden files live in tests/golden/. When extraction changes on purpose, regenerate
//! them with `DOSSIER_BLESS=1 cargo test -p dossier-engine --test corpus` and review the
//! diff like code.

use dossier_engine::Engine;
use dossier_ingest::IngestConfig;
use dossier_registry::Registry;
use dossier_store::{Filter, SqliteStore, Store};
use std::path::{Path, PathBuf};

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn engine_with(files: &[PathBuf]) -> Engine<SqliteStore> {
    let mut engine = Engine::new(
        SqliteStore::open_in_memory().unwrap(),
        Registry::builtin().unwrap(),
    )
    .unwrap();
    for f in files {
        let report = engine
            .ingest_paths(
                std::slice::from_ref(f),
                &IngestConfig::default(),
                &mut |_| {},
            )
            .unwrap();
        assert_eq!(
            report.rejected,
            0,
            "{}: {:?}",
            f.display(),
            report.rejections
        );
    }
    engine
}

/// One line per extracted record, without the volatile parts (nothing here is volatile
/// today: ids and spans are deterministic), grouped per document.
fn snapshot(engine: &Engine<SqliteStore>, doc: &str) -> String {
    let store = engine.store();
    let f = Filter {
        doc: Some(doc.to_string()),
        ..Filter::default()
    };
    let mut lines = Vec::new();
    for m in store.mentions(&f).unwrap() {
        lines.push(format!(
            "mention  {:>5}..{:<5} {:<32} {:?} [{}]",
            m.start, m.end, m.entity, m.text, m.rule
        ));
    }
    for x in store.figures(&f).unwrap() {
        lines.push(format!(
            "figure   {:>5}..{:<5} {} {:?} {} {} subject={:?} period={:?} place={:?} source={:?} hedged={} {:?}",
            x.start, x.end, x.metric, x.value, x.value_max.map_or(String::new(), |v| format!("..{v}")), x.bound, x.subject, x.period, x.place, x.source, x.hedged, x.text
        ));
    }
    for r in store.relations(&f).unwrap() {
        lines.push(format!(
            "relation {:>5}..{:<5} {} -{}-> {} stance={} by={:?} {:?}",
            r.start, r.end, r.source, r.relation_type, r.target, r.stance, r.attributed_to, r.text
        ));
    }
    for e in store.events(&f).unwrap() {
        lines.push(format!(
            "event    {:>5}..{:<5} {} date={:?}/{} place={:?} by={:?} target={:?} killed={:?} injured={:?} {:?}",
            e.start, e.end, e.event_type, e.date, e.date_precision, e.place, e.perpetrator, e.target, e.killed, e.injured, e.text
        ));
    }
    lines.join("\n") + "\n"
}

#[test]
fn sample_corpus_extraction_matches_the_golden_files() {
    let engine = engine_with(&corpus_files());
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("DOSSIER_BLESS").is_some();
    if bless {
        std::fs::create_dir_all(&golden).unwrap();
    }
    let mut mismatched = Vec::new();
    let docs = engine.store().documents().unwrap();
    assert_eq!(
        docs.len(),
        18,
        "16 files, one of them a JSONL of three articles"
    );
    for d in &docs {
        let got = snapshot(&engine, &d.doc);
        let path = golden.join(format!("{}.txt", d.doc));
        if bless {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (run with DOSSIER_BLESS=1)", path.display()));
        if got != want {
            let first = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(want.lines().count()));
            mismatched.push(format!(
                "{}: first difference at line {}\n  got:  {}\n  want: {}",
                d.doc,
                first + 1,
                got.lines().nth(first).unwrap_or("<end>"),
                want.lines().nth(first).unwrap_or("<end>")
            ));
        }
    }
    let rec = serde_json::to_string_pretty(&engine.reconcile().unwrap()).unwrap() + "\n";
    let path = golden.join("reconciliation.json");
    if bless {
        std::fs::write(&path, &rec).unwrap();
    } else if std::fs::read_to_string(&path).ok().as_deref() != Some(rec.as_str()) {
        mismatched.push("reconciliation.json differs".into());
    }
    assert!(
        mismatched.is_empty(),
        "extraction changed; review and re-bless with DOSSIER_BLESS=1:\n{}",
        mismatched.join("\n")
    );
}

#[test]
fn syndicated_copies_are_recorded_and_never_count_as_independent_origins() {
    let engine = engine_with(&corpus_files());
    let docs = engine.store().documents().unwrap();
    let copies: Vec<(&str, &str)> = docs
        .iter()
        .filter_map(|d| {
            d.near_duplicate_of
                .as_deref()
                .map(|of| (d.doc.as_str(), of))
        })
        .collect();
    assert_eq!(
        copies,
        vec![
            (
                "02_jaffar_express_siege_syndicated",
                "01_jaffar_express_siege"
            ),
            (
                "04_bannu_cantonment_attack_syndicated",
                "03_bannu_cantonment_attack"
            ),
            (
                "15_ttp_attack_tallies_2025_copy",
                "14_ttp_attack_tallies_2025"
            )
        ]
    );
    for support in engine.reconcile().unwrap().corroboration {
        for origin in &support.origins {
            let docs: Vec<&str> = origin.articles.iter().map(|a| a.doc.as_str()).collect();
            // An uncited pair of copies is one origin, named after its cluster.
            if docs.contains(&"03_bannu_cantonment_attack")
                && docs.contains(&"04_bannu_cantonment_attack_syndicated")
            {
                assert!(origin.origin.starts_with("doc:") || !origin.origin.is_empty());
            }
        }
        let origins: std::collections::BTreeSet<&str> =
            support.origins.iter().map(|o| o.origin.as_str()).collect();
        assert_eq!(origins.len(), support.independent_origins);
        assert!(
            !(origins.contains("doc:03_bannu_cantonment_attack")
                && origins.contains("doc:04_bannu_cantonment_attack_syndicated"))
        );
    }
}

/// The sample corpus carries one of each case reconciliation exists for (documents 06,
/// 07, 11, 14–16): conflicting sources, scope mismatch, corroboration by independent
/// origins with a syndicated copy and a same-origin citation counted once, and a
/// relation asserted by some and denied by others.
#[test]
fn the_sample_corpus_shows_each_reconciliation_case() {
    let engine = engine_with(&corpus_files());
    let rec = engine.reconcile().unwrap();
    let dispute = |topic: &str| {
        rec.disputes
            .iter()
            .find(|d| d.topic == topic)
            .unwrap_or_else(|| panic!("no dispute {topic}: {:#?}", rec.disputes))
    };
    // PICSS and CRSS against ISPR.
    let attacks = dispute("attacks by ttp in 2025");
    assert_eq!(attacks.classification, "conflict");
    assert!(
        attacks.explanation.contains("ispr"),
        "{}",
        attacks.explanation
    );
    // SIGAR's weapons against the rifles quoted from Trump: a narrower count.
    let weapons = dispute("weapons of equipment left behind");
    assert_eq!(weapons.classification, "scope_mismatch");
    assert!(
        weapons.explanation.contains("rifles"),
        "{}",
        weapons.explanation
    );
    // 212 attacks: PICSS (twice in one article and its copy, once cited by another
    // outlet) and CRSS are two independent origins, not five articles.
    let support = rec
        .corroboration
        .iter()
        .find(|s| s.topic == "attacks by ttp in 2025" && s.value == 212.0)
        .expect("212 attacks corroborated");
    let origins: Vec<&str> = support.origins.iter().map(|o| o.origin.as_str()).collect();
    assert_eq!(origins, ["crss", "picss"]);
    let picss = &support.origins[1];
    assert_eq!(picss.articles.len(), 3, "{:#?}", picss.articles);
    assert!(picss
        .articles
        .iter()
        .any(|a| a.copy_of.as_deref() == Some("14_ttp_attack_tallies_2025")));
    // The UN says the Taliban shelter the TTP; the Taliban deny it.
    let contested = rec
        .contested
        .iter()
        .find(|c| c.source == "afghan-taliban" && c.target == "ttp")
        .expect("Taliban support for the TTP is contested");
    let json = serde_json::to_string(contested).unwrap();
    assert!(json.contains("un-monitoring-team"), "{json}");
    assert!(!contested.denied.is_empty() && contested.asserted_origins >= 1);
}

/// A seeded permutation (xorshift), so the test is reproducible without a dependency.
fn shuffled(files: &[PathBuf], seed: u64) -> Vec<PathBuf> {
    let mut v = files.to_vec();
    let mut x = seed | 1;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.swap(i, (x % (i as u64 + 1)) as usize);
    }
    v
}

#[test]
fn resolution_and_reconciliation_do_not_depend_on_ingestion_order() {
    let files = corpus_files();
    let reference = engine_with(&files);
    let entities = |e: &Engine<SqliteStore>| {
        let mut v: Vec<String> = e
            .store()
            .entities()
            .unwrap()
            .into_iter()
            .filter(|x| x.discovered)
            .map(|x| format!("{} {}", x.id, x.entity_type))
            .collect();
        v.sort();
        v
    };
    let rec = |e: &Engine<SqliteStore>| serde_json::to_string(&e.reconcile().unwrap()).unwrap();
    let want_entities = entities(&reference);
    let want_rec = rec(&reference);
    assert!(!want_entities.is_empty());
    let mut reversed = files.clone();
    reversed.reverse();
    for order in [reversed, shuffled(&files, 7), shuffled(&files, 2026)] {
        let other = engine_with(&order);
        assert_eq!(entities(&other), want_entities);
        assert_eq!(
            rec(&other),
            want_rec,
            "order {:?}",
            order
                .iter()
                .map(|p| p.file_name().unwrap())
                .collect::<Vec<_>>()
        );
    }
}
