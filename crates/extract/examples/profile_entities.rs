//! Time the entity stage's steps on the seeds repeated to ~2 MB:
//! `cargo run --release -p dossier-extract --example profile_entities`.

use dossier_registry::{tokenize, Registry};
use std::time::Instant;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let mut seeds: Vec<String> = Vec::new();
    for e in std::fs::read_dir(&dir).expect("seeds") {
        seeds.push(std::fs::read_to_string(e.expect("entry").path()).expect("text"));
    }
    let mut docs = Vec::new();
    let mut bytes = 0;
    while bytes < 2 << 20 {
        for s in &seeds {
            bytes += s.len();
            docs.push(s.clone());
        }
    }
    let reg = Registry::builtin().expect("registry");
    let mb = bytes as f64 / 1048576.0;
    let t = Instant::now();
    let toks: Vec<_> = docs.iter().map(|d| tokenize(d)).collect();
    println!("tokenize   {:>7.1} MB/s", mb / t.elapsed().as_secs_f64());
    let t = Instant::now();
    let n: usize = toks.iter().map(|t| reg.index().find(t).len()).sum();
    println!(
        "find       {:>7.1} MB/s ({n} hits)",
        mb / t.elapsed().as_secs_f64()
    );
    let p = dossier_extract::Pipeline::new(reg);
    let t = Instant::now();
    let n: usize = docs.iter().map(|d| p.entities("d", d).mentions.len()).sum();
    println!(
        "entities   {:>7.1} MB/s ({n} mentions)",
        mb / t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let n: usize = docs
        .iter()
        .map(|d| p.analyze("d", d, Some("2025-03-20")).figures.len())
        .sum();
    println!(
        "analyze    {:>7.1} MB/s ({n} figures)",
        mb / t.elapsed().as_secs_f64()
    );
}
