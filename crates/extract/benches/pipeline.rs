//! Throughput of the extraction pipeline on a corpus made by repeating the seed
//! articles (read from ../shared/corpus/seeds) to about 2 MB.
//!
//! Run: `cargo bench -p dossier-extract --bench pipeline`. Criterion reports MB/s
//! (throughput in bytes). Each benchmark asserts what it computed, so a pipeline
//! that silently stopped finding things cannot look fast.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dossier_extract::Pipeline;
use dossier_registry::Registry;
use std::hint::black_box;
use std::path::Path;

fn seed_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("seed text"))
        .collect()
}

fn corpus(target_bytes: usize) -> Vec<String> {
    let seeds = seed_texts();
    let mut out = Vec::new();
    let mut size = 0;
    while size < target_bytes {
        for s in &seeds {
            size += s.len();
            out.push(s.clone());
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let pipeline = Pipeline::new(Registry::builtin().expect("built-in registry"));
    let docs = corpus(2 * 1024 * 1024);
    let bytes: usize = docs.iter().map(String::len).sum();

    // What one pass finds, computed once: every timed pass must find the same.
    let expected_mentions: usize = docs
        .iter()
        .map(|d| pipeline.entities("d", d).mentions.len())
        .sum();
    let expected_figures: usize = docs
        .iter()
        .map(|d| pipeline.analyze("d", d, Some("2025-03-20")).figures.len())
        .sum();
    assert!(
        expected_mentions > 1000 && expected_figures > 50,
        "{expected_mentions} mentions, {expected_figures} figures"
    );

    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("entities", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|d| black_box(pipeline.entities("d", d)).mentions.len())
                .sum();
            assert_eq!(n, expected_mentions);
        })
    });
    group.bench_function("entities+claims", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|d| {
                    black_box(pipeline.analyze("d", d, Some("2025-03-20")))
                        .figures
                        .len()
                })
                .sum();
            assert_eq!(n, expected_figures);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
