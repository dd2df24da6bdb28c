//! The five real seed articles (read from ../shared at run time, never copied here):
//! chrome listed in the dev gold is gone, body text and every gold quote survive.

use std::path::PathBuf;

use dossier_ingest::{read_bytes, read_input, Article, Fingerprint, IngestConfig, Input};

fn shared() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"))
}

fn seed(stem: &str) -> Article {
    let path = shared().join("corpus/seeds").join(format!("{stem}.txt"));
    let mut out = read_input(&Input::File(path), &IngestConfig::default());
    assert_eq!(out.len(), 1);
    out.remove(0).expect("seed reads")
}

const SEEDS: [&str; 5] = [
    "000_f632b7127157a7f4",
    "001_ca606bc64f1e89d9",
    "002_09f01328a9a52762",
    "003_57deaaa5e08cd958",
    "004_afa52f2f3018fe23",
];

fn gold(stem: &str) -> Option<serde_json::Value> {
    let path = shared().join("eval/dev-gold").join(format!("{stem}.json"));
    let text = std::fs::read_to_string(path).ok()?;
    Some(serde_json::from_str(&text).expect("gold is JSON"))
}

#[test]
fn gold_chrome_is_gone_and_gold_quotes_survive() {
    let mut golds = 0;
    for stem in SEEDS {
        let article = seed(stem);
        let Some(gold) = gold(stem) else { continue };
        golds += 1;
        let chrome = gold["boilerplate_examples"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for example in chrome.iter().filter_map(|c| c.as_str()) {
            assert!(
                !article.text.contains(example),
                "{stem}: chrome {example:?} survived"
            );
        }
        let mut quotes = 0;
        for kind in ["figures", "relations", "events"] {
            for item in gold[kind].as_array().into_iter().flatten() {
                if let Some(q) = item["quote"].as_str() {
                    quotes += 1;
                    assert!(article.text.contains(q), "{stem}: gold quote lost: {q:?}");
                }
            }
        }
        assert!(quotes > 10, "{stem}: only {quotes} quotes checked");
    }
    assert_eq!(golds, 3, "dev gold for seeds 000-002");
}

#[test]
fn seed_chrome_is_removed_and_structure_kept() {
    let all: Vec<Article> = SEEDS.iter().map(|s| seed(s)).collect();
    for a in &all {
        for chrome in [
            "Related Articles",
            "cookie",
            "Cookie",
            "Skip to content",
            "Share This Article",
            "Min Read",
        ] {
            assert!(!a.text.contains(chrome), "{}: {chrome:?} survived", a.stem);
        }
        assert!(!a.text.contains("\n\n\n") && !a.text.contains("  ") && !a.text.contains('\u{a0}'));
        assert!(
            a.text.split("\n\n").count() >= 5,
            "{}: paragraphs not split",
            a.stem
        );
    }
    // Body phrases and in-body headings that must survive.
    assert!(all[0].text.contains("Annual Threat Assessment"));
    assert!(all[1].text.contains("Balochistan Liberation Army"));
    assert!(all[2].text.contains("\n\nA New Surge\n\n"));
    assert!(all[2].text.contains("Recommendations"));
    assert!(all[3].text.contains("Jaffar Express"));
    assert!(all[3].text.contains("\nTerror armory\n"));
    assert!(all[4].text.contains("Deobandi"));
    // Bios at the foot keep their first sentence (who the author is) and give the
    // author when no byline did; the rest of the bio is gone.
    assert!(all[0].text.contains("is a lawyer based in"));
    assert!(!all[0].text.contains("holds a Master"));
    assert!(all[2].text.contains("is the director of"));
    assert!(!all[2].text.contains("publishes articles"));
    assert_eq!(all[0].author.as_deref(), Some("Muhammad Zain Ul Abdin"));
    assert_eq!(
        all[2].title.as_deref(),
        Some("With No Help from Kabul, Pakistan Faces the TTP Threat")
    );
    assert!(!all[2].text.contains("UNREST-POLITICS"));
}

#[test]
fn byline_of_004_is_the_author() {
    let a = seed("004_afa52f2f3018fe23");
    assert_eq!(a.author.as_deref(), Some("Arslan Ghazi"));
    assert!(!a.text.contains("By Arslan Ghazi"));
    assert!(a
        .title
        .as_deref()
        .is_some_and(|t| t.starts_with("TALIBAN, TTP AND PAKISTAN")));
}

#[test]
fn near_duplicates_are_similar_and_unrelated_articles_are_not() {
    let original = seed("003_57deaaa5e08cd958");
    // The same story as a web page: different chrome, a few words edited.
    let paras: String = original
        .text
        .replace("relentless", "ceaseless")
        .replace("brazen", "bold")
        .replace("dizzying", "bewildering")
        .split("\n\n")
        .map(|p| format!("<p>{p}</p>\n"))
        .collect();
    let page = format!(
        "<html><head><title>Syndicated copy</title></head><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>\
         <div class='cookie'><p>This site uses cookies.</p></div><article>{paras}</article>\
         <p>Subscribe to our newsletter for weekly updates</p><h3>Related Posts</h3><p><a href='/x'>Other story</a></p></body></html>"
    );
    let copy = read_bytes("copy.html", page.as_bytes(), &IngestConfig::default())
        .remove(0)
        .expect("copy reads");
    let near = Fingerprint::of(&original.text).similarity(&Fingerprint::of(&copy.text));
    assert!(near > 0.8, "near-duplicate similarity {near}");
    let shared_bands = Fingerprint::of(&original.text)
        .bands()
        .iter()
        .zip(Fingerprint::of(&copy.text).bands())
        .filter(|(a, b)| **a == *b)
        .count();
    assert!(shared_bands > 0, "LSH must propose the pair");
    let other = seed("004_afa52f2f3018fe23");
    let far = Fingerprint::of(&original.text).similarity(&Fingerprint::of(&other.text));
    assert!(far < 0.2, "unrelated similarity {far}");
    eprintln!("near-duplicate {near:.3}, unrelated {far:.3}, shared bands {shared_bands}");
}
