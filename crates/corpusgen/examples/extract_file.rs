//! Time Dossier's extraction on a text file of documents separated by a line holding
//! only a form feed (the file `tools/bench/spacy_compare.sh` hands spaCy too):
//! `cargo run --release -p dossier-corpusgen --example extract_file -- FILE [RUNS]`.
//! Single-threaded, so the figures are per core. Prints one JSON object; the best of
//! RUNS (default 3) passes counts, and every pass must find the same as the first.

use dossier_extract::Pipeline;
use dossier_registry::Registry;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: extract_file FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let docs: Vec<&str> = text
        .split("\n\u{c}\n")
        .filter(|d| !d.trim().is_empty())
        .collect();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let t = Instant::now();
    let pipeline = Pipeline::new(Registry::builtin().expect("built-in registry"));
    let load_s = t.elapsed().as_secs_f64();

    let mut best = (f64::MAX, f64::MAX);
    let mut found = (0, 0);
    for run in 0..runs.max(1) {
        let t = Instant::now();
        let mentions: usize = docs
            .iter()
            .map(|d| pipeline.entities("d", d).mentions.len())
            .sum();
        let entities_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let facts: usize = docs
            .iter()
            .map(|d| {
                let a = pipeline.analyze("d", d, Some("2025-03-20"));
                a.figures.len() + a.relations.len() + a.events.len()
            })
            .sum();
        let analyze_s = t.elapsed().as_secs_f64();
        if run == 0 {
            found = (mentions, facts);
        }
        assert_eq!((mentions, facts), found, "passes disagree");
        best = (best.0.min(entities_s), best.1.min(analyze_s));
    }
    assert!(found.0 > 0, "no mentions found: wrong input?");
    println!(
        "{{\"docs\":{},\"bytes\":{bytes},\"load_s\":{load_s:.4},\"entities_s\":{:.4},\"mentions\":{},\"analyze_s\":{:.4},\"facts\":{}}}",
        docs.len(),
        best.0,
        found.0,
        best.1,
        found.1
    );
}
