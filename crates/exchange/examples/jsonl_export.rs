//! Convert a JSONL interchange export (`dossier export --format jsonl`) into every
//! exchange format, for trying the writers and validators on real pipeline output:
//!
//!     cargo run -p dossier-exchange --example jsonl_export -- export.jsonl out/
//!
//! Lines that are not records are reported on stderr and skipped.

use dossier_exchange::{Dataset, Exporter};
use dossier_model::Record;
use std::io::BufRead;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(input), Some(dir)) = (args.next(), args.next()) else {
        eprintln!("usage: jsonl_export EXPORT.jsonl OUT_DIR");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    let (mut documents, mut entities, mut mentions) = (Vec::new(), Vec::new(), Vec::new());
    let (mut figures, mut relations, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let reader = std::io::BufReader::new(std::fs::File::open(&input)?);
    for (i, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(&line) {
            Ok(Record::Document(d)) => documents.push(d),
            Ok(Record::Entity(e)) => entities.push(e),
            Ok(Record::Mention(m)) => mentions.push(m),
            Ok(Record::Figure(f)) => figures.push(f),
            Ok(Record::Relation(r)) => relations.push(r),
            Ok(Record::Event(e)) => events.push(e),
            Ok(Record::Dispute(_)) => {}
            Err(e) => eprintln!("line {}: skipped: {e}", i + 1),
        }
    }
    let ds = Dataset {
        documents: &documents,
        entities: &entities,
        mentions: &mentions,
        figures: &figures,
        relations: &relations,
        events: &events,
    };
    let exporter = Exporter::default();
    type Write = fn(&Exporter, &Dataset, &mut dyn std::io::Write) -> std::io::Result<()>;
    let outputs: [(&str, Write); 6] = [
        ("events.csv", Exporter::write_events_csv),
        ("figures.csv", Exporter::write_figures_csv),
        ("graph.graphml", Exporter::write_graphml),
        ("graph.gexf", Exporter::write_gexf),
        ("bundle.json", Exporter::write_stix),
        ("map.geojson", Exporter::write_geojson),
    ];
    for (name, write) in outputs {
        let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join(name))?);
        write(&exporter, &ds, &mut out)?;
        std::io::Write::flush(&mut out)?;
    }
    eprintln!(
        "{} documents, {} entities, {} mentions, {} figures, {} relations, {} events -> {}",
        documents.len(),
        entities.len(),
        mentions.len(),
        figures.len(),
        relations.len(),
        events.len(),
        dir.display()
    );
    Ok(())
}
