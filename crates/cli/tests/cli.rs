//! The `dossier` binary tested as a process: exit codes, stdout data, stderr messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds")
}

/// A fresh store with the seed articles ingested (the folder lives as long as the guard).
fn seeded_store() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    assert_eq!(
        dossier(&db, &["ingest", seeds().to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    (dir, db)
}

fn dossier(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .output()
        .expect("run dossier")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn records(jsonl: &str, kind: &str) -> Vec<serde_json::Value> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("valid JSON line"))
        .filter(|v| v["kind"] == kind)
        .collect()
}

#[test]
fn ingesting_the_seeds_stores_five_clean_documents_and_reingest_is_a_no_op() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let seeds = seeds();
    let out = dossier(&db, &["ingest", seeds.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("5 new, 0 duplicate"),
        "{}",
        text(&out.stderr)
    );

    let again = dossier(&db, &["ingest", seeds.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        text(&again.stderr).contains("0 new, 5 duplicate"),
        "{}",
        text(&again.stderr)
    );

    let export = dossier(&db, &["export", "--format", "jsonl", "--with-text"]);
    assert_eq!(export.status.code(), Some(0));
    let jsonl = text(&export.stdout);
    let docs = records(&jsonl, "document");
    assert_eq!(docs.len(), 5);
    for d in &docs {
        let t = d["text"].as_str().unwrap();
        for chrome in [
            "Skip to content",
            "Share This Article",
            "cookies",
            "Related Articles",
            "Min Read",
        ] {
            assert!(!t.contains(chrome), "{} still has `{chrome}`", d["doc"]);
        }
    }
    // Every mention's span quotes the clean text exactly.
    let by_doc: std::collections::HashMap<&str, &str> = docs
        .iter()
        .map(|d| (d["doc"].as_str().unwrap(), d["text"].as_str().unwrap()))
        .collect();
    let mentions = records(&jsonl, "mention");
    assert!(mentions.len() > 100);
    for m in &mentions {
        let t = by_doc[m["doc"].as_str().unwrap()];
        let (s, e) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&t[s..e], m["text"].as_str().unwrap());
    }
    let ttp_entity = records(&jsonl, "entity")
        .into_iter()
        .find(|e| e["id"] == "ttp")
        .expect("ttp entity exported");
    assert_eq!(ttp_entity["type"], "armed_group");
}

#[test]
fn actor_accepts_any_alias_and_prints_the_dossier() {
    let (_dir, db) = seeded_store();
    for name in ["TTP", "Tehreek-e-Taliban Pakistan", "pakistani taliban"] {
        let out = dossier(&db, &["actor", name]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with("Tehrik-i-Taliban Pakistan [armed_group]"),
            "{}",
            text(&out.stdout)
        );
    }
    let json = dossier(&db, &["actor", "TTP", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["entity"]["id"], "ttp");
    assert_eq!(v["documents"].as_array().unwrap().len(), 5);
    let missing = dossier(&db, &["actor", "Nonexistent Brigade of Nowhere"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("no actor or place called"));
}

#[test]
fn bad_inputs_are_rejected_one_line_each_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let w = |name: &str, bytes: &[u8]| std::fs::write(input.join(name), bytes).unwrap();
    w("good.txt", b"Militants attack checkpoint\n\nGunmen attacked a police checkpoint in Bannu district on Monday, killing two officers.\n");
    w("empty.txt", b"");
    w("binary.txt", &[0u8, 159, 146, 150, 0, 1, 2, 3, 0, 0]);
    w(
        "latin1.txt",
        b"Caf\xe9 attack in Quetta kills three people in the market area today.\n",
    );
    w("sheet.xlsx", b"PK\x03\x04");
    w("feed.jsonl", b"{\"text\": \"Security forces killed four militants in Khyber district.\", \"id\": \"feed-a\"}\n{broken json\n{\"title\": \"no text field\"}\n");
    w("big.txt", &vec![b'a'; 5000]);
    let db = dir.path().join("d.db");
    let out = dossier(
        &db,
        &["ingest", "--max-bytes", "4096", input.to_str().unwrap()],
    );
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for needle in [
        "empty.txt",
        "binary.txt",
        "latin1.txt",
        "sheet.xlsx",
        "feed.jsonl:2",
        "feed.jsonl:3",
        "big.txt",
    ] {
        assert!(err.contains(needle), "no message for {needle}: {err}");
    }
    assert!(err.contains("2 new"), "{err}");
    let export = dossier(&db, &["export"]);
    let docs = records(&text(&export.stdout), "document");
    let ids: Vec<&str> = docs.iter().map(|d| d["doc"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["feed-a", "good"]);
}

#[test]
fn missing_paths_and_usage_errors_exit_non_zero_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let out = dossier(&db, &["ingest", "/definitely/not/here.txt"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("/definitely/not/here.txt"));
    let usage = dossier(&db, &["ingest"]);
    assert_eq!(usage.status.code(), Some(2));
    let not_db = dir.path().join("not-a-db");
    std::fs::write(
        &not_db,
        b"this is not a sqlite file, it is plain text and long enough to matter",
    )
    .unwrap();
    let bad = dossier(&not_db, &["stats"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("error:"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn search_handles_hostile_queries_with_clear_errors() {
    let (_dir, db) = seeded_store();
    let ok = dossier(&db, &["search", "training camps"]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(text(&ok.stdout).contains("«"), "{}", text(&ok.stdout));
    for q in [
        "\"",
        "AND OR NOT",
        "NEAR(",
        "'; DROP TABLE documents; --",
        "*",
        "title:",
    ] {
        for args in [vec!["search", q], vec!["search", "--raw", q]] {
            let out = dossier(&db, &args);
            match out.status.code() {
                Some(0) => {}
                Some(2) => assert!(
                    text(&out.stderr).starts_with("search: "),
                    "{q}: {}",
                    text(&out.stderr)
                ),
                other => panic!("{args:?} exited with {other:?}: {}", text(&out.stderr)),
            }
        }
    }
    let stats = dossier(&db, &["stats"]);
    let v: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(v["documents"], 5);
}

#[test]
fn stdin_is_ingested_with_cli_metadata() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args([
            "--db",
            db.to_str().unwrap(),
            "ingest",
            "--published",
            "2025-03-20",
            "--publisher",
            "Test Wire",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Clash at the border\n\nAfghan and Pakistani forces exchanged fire near Torkham earlier this month.\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let export = dossier(&db, &["export"]);
    let docs = records(&text(&export.stdout), "document");
    assert_eq!(docs[0]["published"], "2025-03-20");
    assert_eq!(docs[0]["publisher"], "Test Wire");
}

/// Every export format from a real ingest, checked by its own ecosystem's validator
/// when `DOSSIER_VALIDATE_PY` points at the venv `scripts/test` installs
/// (stix2-validator, networkx, pandas, jsonschema); structure checks otherwise.
#[test]
fn every_export_format_is_accepted_by_its_ecosystem() {
    let (dir, db) = seeded_store();
    let validator = std::env::var_os("DOSSIER_VALIDATE_PY");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/validate/validate.py");
    for (format, kind) in [
        ("stix", "stix"),
        ("graphml", "graphml"),
        ("gexf", "gexf"),
        ("csv", "events-csv"),
        ("figures-csv", "figures-csv"),
        ("geojson", "geojson"),
    ] {
        let file = dir.path().join(format!("export.{format}"));
        let out = dossier(
            &db,
            &["export", "--format", format, "-o", file.to_str().unwrap()],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            text(&out.stderr)
        );
        let body = std::fs::read_to_string(&file).unwrap();
        assert!(body.len() > 200, "{format} export is nearly empty");
        match format {
            "stix" => {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(v["type"], "bundle");
                assert!(v["objects"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|o| o["type"] == "intrusion-set"));
            }
            "geojson" => {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(v["type"], "FeatureCollection");
            }
            "csv" => assert!(body
                .starts_with("event_date,time_precision,event_type,sub_event_type,actor1,actor2")),
            _ => {}
        }
        if let Some(py) = &validator {
            let check = Command::new(py)
                .arg(&script)
                .arg(kind)
                .arg(&file)
                .arg("--strict")
                .output()
                .unwrap();
            assert!(
                check.status.success(),
                "{format} rejected by its validator:\n{}{}",
                text(&check.stdout),
                text(&check.stderr)
            );
        }
    }
    // Re-exports are byte-identical (deterministic STIX ids).
    let again = dir.path().join("again.stix");
    dossier(
        &db,
        &["export", "--format", "stix", "-o", again.to_str().unwrap()],
    );
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(dir.path().join("export.stix")).unwrap()
    );
}

#[test]
fn disputes_and_figures_show_the_conflicting_ttp_attack_counts() {
    let (_dir, db) = seeded_store();
    let out = dossier(
        &db,
        &[
            "disputes",
            "--subject",
            "TTP",
            "--metric",
            "attacks",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = v["disputes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["period"] == "2024")
        .expect("a 2024 TTP attacks dispute");
    let mut values: Vec<i64> = d["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["value"].as_f64().unwrap() as i64)
        .collect();
    values.sort();
    assert_eq!(values, vec![48, 482, 600]);
    assert!(!d["explanation"].as_str().unwrap().is_empty());
    let figs = dossier(
        &db,
        &[
            "figures",
            "--subject",
            "Tehreek-e-Taliban Pakistan",
            "--metric",
            "attacks",
        ],
    );
    let table = text(&figs.stdout);
    assert!(table.contains("DISPUTED"), "{table}");
    let jsonl = text(&dossier(&db, &["export"]).stdout);
    assert!(!records(&jsonl, "dispute").is_empty());
}

#[test]
fn demo_ingests_the_sample_corpus_prints_a_dossier_and_serves_the_ui() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let quick = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["demo", "--no-serve", "--demo-db", db.to_str().unwrap()])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .unwrap();
    assert_eq!(quick.status.code(), Some(0), "{}", text(&quick.stderr));
    assert!(text(&quick.stdout).starts_with("Tehrik-i-Taliban Pakistan [armed_group]"));
    assert!(
        text(&quick.stderr).contains("near-duplicate"),
        "{}",
        text(&quick.stderr)
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args([
            "demo",
            "--addr",
            "127.0.0.1:0",
            "--demo-db",
            db.to_str().unwrap(),
        ])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split_whitespace()
                .find(|w| w.starts_with("http://"))
                .map(str::to_string)
        })
        .expect("the demo prints its URL");
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .write_all(
            format!("GET /api/entities/TTP HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "{}",
        &response[..response.len().min(300)]
    );
    assert!(response.contains("Tehrik-i-Taliban Pakistan"));
    assert!(response
        .to_ascii_lowercase()
        .contains("content-security-policy"));
}

#[test]
fn registry_promote_appends_the_entry_to_the_registry_folder() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let reg = dir.path().join("registry");
    std::fs::create_dir(&reg).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for f in ["actors.toml", "places.tsv"] {
        std::fs::copy(data.join(f), reg.join(f)).unwrap();
    }
    let doc = dir.path().join("doc.txt");
    std::fs::write(
        &doc,
        "Talks stalled\n\nAnalyst Corwin Vale said the talks had stalled in Peshawar.\n",
    )
    .unwrap();
    let run = |with_registry: bool, args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
        c.arg("--db").arg(&db);
        if with_registry {
            c.arg("--registry").arg(&reg);
        }
        c.args(args)
            .env_remove("DOSSIER_DB")
            .env_remove("DOSSIER_REGISTRY")
            .output()
            .expect("run dossier")
    };
    let out = run(true, &["ingest", doc.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // The built-in registry cannot be edited: a clear error, nothing written.
    let out = run(false, &["registry", "promote", "corwin-vale"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("actors.toml"),
        "{}",
        text(&out.stderr)
    );

    let out = run(true, &["registry", "promote", "corwin-vale"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("id = \"corwin-vale\""));
    let actors = std::fs::read_to_string(reg.join("actors.toml")).unwrap();
    assert!(actors.contains("id = \"corwin-vale\""));
    assert!(actors.starts_with(&std::fs::read_to_string(data.join("actors.toml")).unwrap()));
    // The edited registry still loads and is valid; promoting twice is refused.
    let out = run(true, &["registry", "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = run(true, &["registry", "promote", "corwin-vale"]);
    assert_ne!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(reg.join("actors.toml")).unwrap(),
        actors
    );
}
