//! Time the entity stage's steps on the seeds repeated to ~2 MB:
//! `cargo run --release -p dossier-extract --example profile_entities [MODE] [KB]`.
//!
//! MODE is `all` (default: every step, timed), `entities` (only the entity stage,
//! once, for `valgrind --tool=callgrind`, whose instruction counts do not depend on
//! machine load) or `dump` (every mention, discovered entity and learned alias of
//! each seed once, one per line, to check that a speed-up changed no result) or
//! `stdin` (the same for a text read from stdin).
//! KB is the corpus size (default 2048).

use dossier_registry::{tokenize, Registry};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("all", String::as_str);
    let kb: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2048);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("seeds")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let seeds: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("text"))
        .collect();
    let reg = Registry::builtin().expect("registry");
    if mode == "dump" || mode == "stdin" {
        let p = dossier_extract::Pipeline::new(reg);
        let texts = if mode == "stdin" {
            vec![std::io::read_to_string(std::io::stdin()).expect("stdin")]
        } else {
            seeds
        };
        for (k, s) in texts.iter().enumerate() {
            let a = p.entities("d", s);
            for m in &a.mentions {
                println!(
                    "{k} M {} {} {} {} {}",
                    m.start, m.end, m.entity, m.rule, m.text
                );
            }
            for e in &a.discovered {
                println!("{k} D {} {:?} {:?}", e.id, e.entity_type, e.aliases);
            }
            for l in &a.learned_aliases {
                println!("{k} L {} {} {} {}", l.entity, l.start, l.end, l.alias);
            }
        }
        return;
    }
    let mut docs = Vec::new();
    let mut bytes = 0;
    while bytes < kb << 10 {
        for s in &seeds {
            bytes += s.len();
            docs.push(s.clone());
        }
    }
    let mb = bytes as f64 / 1048576.0;
    if mode == "entities" {
        let p = dossier_extract::Pipeline::new(reg);
        let t = Instant::now();
        let n: usize = docs.iter().map(|d| p.entities("d", d).mentions.len()).sum();
        println!(
            "entities   {:>7.1} MB/s ({n} mentions, {bytes} bytes)",
            mb / t.elapsed().as_secs_f64()
        );
        return;
    }
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
