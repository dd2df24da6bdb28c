//! The reconciliation "done when" of issue 5 on the real seed articles
//! (`../shared/corpus/seeds`, never committed here): each case comes out with its
//! sources and an explanation. Skipped when the seeds are not beside the repository.

use dossier_engine::Engine;
use dossier_ingest::IngestConfig;
use dossier_registry::Registry;
use dossier_store::SqliteStore;
use std::path::Path;

#[test]
fn seed_disputes_and_contested_support_come_out_with_sources() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    if !seeds.is_dir() {
        eprintln!("skipped: {} not found", seeds.display());
        return;
    }
    let mut engine = Engine::new(
        SqliteStore::open_in_memory().unwrap(),
        Registry::builtin().unwrap(),
    )
    .unwrap();
    engine
        .ingest_paths(&[seeds], &IngestConfig::default(), &mut |_| {})
        .unwrap();
    let rec = engine.reconcile().unwrap();
    let values = |d: &dossier_model::Dispute| {
        let mut v: Vec<i64> = d.figures.iter().map(|f| f.value as i64).collect();
        v.sort();
        v
    };
    let find = |metric: &str, has: i64| {
        rec.disputes
            .iter()
            .find(|d| d.metric.as_str() == metric && values(d).contains(&has))
            .unwrap_or_else(|| panic!("no {metric} dispute with {has}: {:#?}", rec.disputes))
    };
    // TTP attacks in 2024: the authorities' count, the cross-border count, the index.
    let attacks = find("attacks", 482);
    assert_eq!(values(attacks), [48, 482, 600]);
    // TTP strength: about 6,000 against 7,000–10,000.
    let fighters = find("fighters", 6000);
    assert!(values(fighters).contains(&7000));
    // US equipment left behind: the audit's weapons against the rifles quoted from a
    // speech, each with its speaker, explained as a narrower count.
    let weapons = find("weapons", 300_000);
    assert_eq!(values(weapons), [300_000, 777_000]);
    let sources: Vec<&str> = weapons
        .figures
        .iter()
        .filter_map(|f| f.source.as_deref())
        .collect();
    assert!(
        sources.contains(&"sigar") && sources.contains(&"donald-trump"),
        "{sources:?}"
    );
    assert!(
        weapons.explanation.contains("rifles"),
        "{}",
        weapons.explanation
    );
    for d in [attacks, fighters, weapons] {
        assert!(!d.explanation.is_empty(), "{}", d.topic);
    }
    // Taliban support for the TTP: asserted (the UN among the voices), denied by the
    // Taliban themselves ("Kabul's rulers").
    let support = rec
        .contested
        .iter()
        .find(|c| c.source == "afghan-taliban" && c.target == "ttp" && c.class == "support")
        .expect("Taliban support for the TTP is contested");
    let asserted_by: Vec<Option<&str>> = support
        .asserted
        .iter()
        .map(|s| s.attributed_to.as_deref())
        .collect();
    assert!(asserted_by.contains(&Some("un")), "{asserted_by:?}");
    assert!(
        support
            .denied
            .iter()
            .any(|s| s.attributed_to.as_deref() == Some("afghan-taliban")),
        "{:#?}",
        support.denied
    );
}
