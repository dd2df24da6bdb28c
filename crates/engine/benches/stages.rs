//! Throughput of the ingestion stages the extraction bench (`dossier-extract`'s
//! `pipeline`: entities, entities+claims) does not cover: clean-up, sentence
//! segmentation, the store (analysis + dedup + write into SQLite), and whole-store
//! reconciliation — on the seed articles repeated to about 1 MB, each copy made unique
//! so that none is skipped as a duplicate.
//!
//! Run: `cargo bench -p dossier-engine --bench stages`. Each benchmark asserts what it
//! computed, so a stage that silently stopped working cannot look fast.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dossier_engine::Engine;
use dossier_ingest::{read_bytes, Article, IngestConfig};
use dossier_registry::Registry;
use dossier_store::SqliteStore;
use std::hint::black_box;
use std::path::Path;

/// The seeds, repeated until `target` bytes, each copy with a line of its own.
fn inputs(target: usize) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    let seeds: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("seed text"))
        .collect();
    let mut out = Vec::new();
    let mut size = 0;
    let mut n = 0;
    while size < target {
        for s in &seeds {
            n += 1;
            // Inside the text, not at its foot: short closing lines are page chrome.
            let (head, rest) = s.split_once("\n\n").unwrap_or((s.as_str(), ""));
            let text = format!(
                "{head}\n\nThis is copy number {n} of the article, kept so that no two benchmark documents are the same text.\n\n{rest}"
            );
            size += text.len();
            out.push((format!("copy{n}.txt"), text.into_bytes()));
        }
    }
    out
}

fn articles(inputs: &[(String, Vec<u8>)], cfg: &IngestConfig) -> Vec<Article> {
    inputs
        .iter()
        .flat_map(|(name, bytes)| read_bytes(name, bytes, cfg))
        .map(|a| a.expect("seed copies are readable"))
        .collect()
}

fn fresh_engine(registry: &Registry) -> Engine<SqliteStore> {
    Engine::new(
        SqliteStore::open_in_memory().expect("in-memory store"),
        registry.clone(),
    )
    .expect("engine")
}

fn bench(c: &mut Criterion) {
    let cfg = IngestConfig::default();
    let registry = Registry::builtin().expect("built-in registry");
    let inputs = inputs(1024 * 1024);
    let bytes: u64 = inputs.iter().map(|(_, b)| b.len() as u64).sum();
    let docs = articles(&inputs, &cfg);
    let clean_bytes: u64 = docs.iter().map(|a| a.text.len() as u64).sum();
    assert_eq!(docs.len(), inputs.len());

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);

    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("cleanup", |b| {
        b.iter(|| assert_eq!(black_box(articles(&inputs, &cfg)).len(), inputs.len()))
    });

    group.throughput(Throughput::Bytes(clean_bytes));
    let expected_sentences: usize = docs
        .iter()
        .map(|a| dossier_claims::sentences::sentences(&a.text).len())
        .sum();
    assert!(expected_sentences > 1000, "{expected_sentences} sentences");
    group.bench_function("segmentation", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|a| black_box(dossier_claims::sentences::sentences(&a.text)).len())
                .sum();
            assert_eq!(n, expected_sentences);
        })
    });

    // Analysis, dedup and the SQLite write of every document, in one fresh in-memory
    // store per pass (compare with `extract/entities+claims` for the store's share).
    group.bench_function("analysis+store", |b| {
        b.iter(|| {
            let mut engine = fresh_engine(&registry);
            let report = engine
                .ingest_articles(docs.clone(), &mut |_| {})
                .expect("ingest");
            assert_eq!(
                report.new + report.near_duplicate,
                docs.len(),
                "{:?}",
                (report.new, report.near_duplicate, report.duplicate)
            );
        })
    });

    // Reconciliation of the whole store: every figure grouped, compared, corroborated.
    let mut engine = fresh_engine(&registry);
    engine
        .ingest_articles(docs.clone(), &mut |_| {})
        .expect("ingest");
    let expected = engine.reconcile().expect("reconcile");
    assert!(
        !expected.disputes.is_empty(),
        "the seeds carry disputes (TTP attacks 2024)"
    );
    // In full (what every read cost before results were persisted), then as a read
    // of the persisted results.
    group.bench_function("reconciliation", |b| {
        b.iter(|| {
            let r = black_box(engine.rebuild_reconciliation().expect("reconcile"));
            assert_eq!(r.disputes.len(), expected.disputes.len());
        })
    });
    group.bench_function("reconciliation-persisted", |b| {
        b.iter(|| {
            let r = black_box(engine.reconcile().expect("reconcile"));
            assert_eq!(r.disputes.len(), expected.disputes.len());
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
