//! Print one generated article and its planted facts:
//! `cargo run -p dossier-corpusgen --example sample_article -- SEED INDEX`.

fn main() {
    let mut args = std::env::args().skip(1);
    let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let index = args.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let reg = dossier_registry::Registry::builtin().expect("registry");
    let generator = dossier_corpusgen::CorpusGenerator::new(&reg).expect("generator");
    let doc = generator.document(seed, index);
    let a = &doc.article;
    println!(
        "{}\n{} | {} | {:?}\n",
        a.title,
        a.publisher,
        a.published.iso(),
        a.copy_of
    );
    for p in &a.paragraphs {
        println!("{p}\n");
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&a.planted).unwrap_or_default()
    );
}
