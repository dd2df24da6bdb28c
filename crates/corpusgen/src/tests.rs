use super::*;
use dossier_extract::Pipeline;
use serde_json::Value;
use std::collections::BTreeMap;

fn registry() -> Registry {
    Registry::builtin().expect("built-in registry")
}

fn generate(reg: &Registry, docs: usize, seed: u64, dir: &Path) -> CorpusSummary {
    CorpusGenerator::new(reg)
        .expect("generator")
        .configure(GenConfig {
            docs,
            seed,
            ..GenConfig::default()
        })
        .write(dir)
        .expect("write corpus")
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("under dir")
                    .display()
                    .to_string();
                out.insert(rel, std::fs::read(&p).expect("read file"));
            }
        }
    }
    out
}

#[test]
fn same_seed_gives_the_same_bytes() {
    let reg = registry();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sa = generate(&reg, 60, 42, a.path());
    let sb = generate(&reg, 60, 42, b.path());
    assert_eq!(sa, sb);
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert!(fa.len() > 40);
    assert_eq!(fa, fb);
}

#[test]
fn different_seeds_give_different_articles() {
    let reg = registry();
    let g = CorpusGenerator::new(&reg).unwrap();
    let a = g.document(1, 0).article;
    let b = g.document(2, 0).article;
    assert_ne!(a.paragraphs, b.paragraphs);
    // A document is a function of (seed, index) alone.
    assert_eq!(g.document(1, 5).article, g.document(1, 5).article);
}

#[test]
fn corpus_has_every_format_copies_and_about_five_kilobytes_per_document() {
    let reg = registry();
    let dir = tempfile::tempdir().unwrap();
    let s = generate(&reg, 300, 3, dir.path());
    assert_eq!(s.docs, 300);
    assert!(s.html > 15 && s.jsonl > 8, "{s:?}");
    assert!((5..=30).contains(&s.duplicates), "{s:?}");
    let mean = s.bytes as f64 / s.docs as f64;
    assert!((4000.0..6500.0).contains(&mean), "mean {mean} bytes");
    let manifest = std::fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
    assert_eq!(manifest.lines().count(), 300);
}

#[test]
fn articles_carry_the_planted_kinds_of_fact() {
    let reg = registry();
    let g = CorpusGenerator::new(&reg).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    let mut facts = (0, 0, 0);
    for i in 0..40 {
        let p = g.document(11, i).article.planted;
        kinds.extend(p.actors.iter().map(|a| a.kind));
        facts.0 += p.figures.len();
        facts.1 += p.relations.len();
        facts.2 += p.events.len();
        for f in &p.figures {
            assert!(
                f.text.contains(&f.value.to_string()) || f.value >= 1000,
                "{f:?}"
            );
        }
    }
    for k in ["group", "state", "source", "place", "person", "new_group"] {
        assert!(kinds.contains(k), "no {k} in {kinds:?}");
    }
    assert!(facts.0 > 40 && facts.1 > 40 && facts.2 > 40, "{facts:?}");
}

#[test]
fn dates_are_relative_to_publication() {
    let reg = registry();
    let g = CorpusGenerator::new(&reg).unwrap();
    for i in 0..20 {
        let a = g.document(5, i).article;
        let published = a.published.iso();
        for e in &a.planted.events {
            if let Some(d) = &e.date {
                assert!(d.as_str() <= published.as_str(), "{d} after {published}");
            }
        }
    }
}

/// The pipeline finds what the generator planted: ingest each generated file as
/// `dossier ingest` would, analyze it, and look for each planted actor.
#[test]
fn pipeline_recalls_planted_actors() {
    let reg = registry();
    let dir = tempfile::tempdir().unwrap();
    generate(&reg, 60, 9, dir.path());
    let pipeline = Pipeline::new(reg.clone());
    let cfg = dossier_ingest::IngestConfig::default();
    let manifest = std::fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut missed = Vec::new();
    for line in manifest.lines() {
        let entry: Value = serde_json::from_str(line).unwrap();
        let doc = entry["doc"].as_str().unwrap();
        let path = dir.path().join(entry["file"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        let origin = path.display().to_string();
        let article = dossier_ingest::read_bytes(&origin, &bytes, &cfg)
            .into_iter()
            .flatten()
            .find(|a| a.stem == doc)
            .unwrap_or_else(|| panic!("{doc} not read from {origin}"));
        let analysis = pipeline.analyze(doc, &article.text, article.published.as_deref());
        for actor in entry["actors"].as_array().unwrap() {
            let kind = actor["kind"].as_str().unwrap().to_string();
            let found = match actor["id"].as_str() {
                Some(id) => analysis.mentions.iter().any(|m| m.entity == id),
                None => {
                    let name = actor["name"].as_str().unwrap();
                    analysis.mentions.iter().any(|m| m.text.contains(name))
                        || analysis.discovered.iter().any(|e| e.canonical == name)
                }
            };
            let tally = by_kind.entry(kind).or_default();
            tally.0 += 1;
            if found {
                tally.1 += 1;
            } else {
                missed.push(format!("{doc}: {actor}"));
            }
        }
    }
    let (total, found) = by_kind
        .values()
        .fold((0, 0), |acc, (t, f)| (acc.0 + t, acc.1 + f));
    let recall = found as f64 / total as f64;
    eprintln!("recall {recall:.3} over {total} planted actors; by kind {by_kind:?}");
    for m in missed.iter().take(15) {
        eprintln!("missed {m}");
    }
    assert!(total > 300, "{total}");
    assert!(recall >= 0.9, "recall {recall:.3}");
}
