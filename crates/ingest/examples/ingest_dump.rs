//! Print what ingest makes of the given paths: metadata, removed chrome, clean text.
//! `cargo run -p dossier-ingest --example ingest_dump -- PATH...`

use std::path::PathBuf;

use dossier_ingest::{collect_inputs, read_input, IngestConfig};

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let cfg = IngestConfig::default();
    let (inputs, rejections) = collect_inputs(&paths);
    for r in rejections {
        eprintln!("rejected {r}");
    }
    for input in &inputs {
        for result in read_input(input, &cfg) {
            match result {
                Ok(a) => {
                    println!("=== {} stem={} title={:?} author={:?} published={:?} publisher={:?} url={:?}", a.origin, a.stem, a.title, a.author, a.published, a.publisher, a.url);
                    for r in &a.removed {
                        println!("  - removed: {}", r.chars().take(90).collect::<String>());
                    }
                    println!("{}", a.text);
                }
                Err(r) => eprintln!("rejected {r}"),
            }
        }
    }
}
