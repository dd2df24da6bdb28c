//! Runs the reconciler over a `dossier export` JSONL file and prints disputes,
//! corroborated claims and contested relations as JSON lines.
//!
//! `cargo run -p dossier-reconcile --example reconcile_jsonl -- export.jsonl`

use dossier_model::Record;
use dossier_reconcile::{DocInfo, Reconciler};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: reconcile_jsonl FILE.jsonl")?;
    let text = std::fs::read_to_string(&path)?;
    let (mut figures, mut relations, mut docs, mut types) = (vec![], vec![], vec![], vec![]);
    for (n, line) in text.lines().enumerate() {
        match serde_json::from_str::<Record>(line) {
            Ok(Record::Figure(f)) => figures.push(f),
            Ok(Record::Relation(r)) => relations.push(r),
            Ok(Record::Entity(e)) => types.push((e.id, e.entity_type)),
            Ok(Record::Document(d)) => docs.push(DocInfo {
                doc: d.doc,
                published: d.published,
                near_duplicate_of: d.near_duplicate_of,
                publisher: d.publisher,
                text: d.text,
            }),
            Ok(_) => {}
            Err(e) => eprintln!("{path}:{}: skipped: {e}", n + 1),
        }
    }
    let r = Reconciler::default().with_entity_types(types);
    for d in r.disputes(&figures, &docs) {
        println!("{}", serde_json::to_string(&d)?);
    }
    for s in r.corroboration(&figures, &docs) {
        if s.independent_origins > 1 {
            println!("{}", serde_json::to_string(&s)?);
        }
    }
    for c in r.contested(&relations, &docs) {
        println!("{}", serde_json::to_string(&c)?);
    }
    Ok(())
}
