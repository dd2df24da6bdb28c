//! Crash safety and concurrency of `dossier ingest`, tested on real processes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const DOCS: usize = 150;

/// Small synthetic articles, each naming known actors and places, so that a stored
/// document without its mentions would be visible.
fn write_corpus(dir: &Path) {
    let groups = [
        "the TTP",
        "the BLA",
        "Lashkar-e-Islam",
        "the Haqqani network",
        "IS-K",
    ];
    let places = ["Bannu", "Quetta", "Khost", "Bajaur", "Kurram", "Peshawar"];
    for i in 0..DOCS {
        let g = groups[i % groups.len()];
        let p = places[(i / 3) % places.len()];
        let text = format!(
            "Report {i} on {p}\n\nOfficials said {g} carried out {n} attacks near {p} in 2024, killing {k} people. \
             Police in {p} said the group had {f} fighters in the area, according to the provincial government.\n\n\
             A second paragraph, number {i}, describes how {g} moved between {p} and the border over several months.\n",
            n = 10 + i,
            k = 3 + i % 17,
            f = 100 + 7 * i,
        );
        std::fs::write(dir.join(format!("doc-{i:03}.txt")), text).unwrap();
    }
}

fn dossier(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.arg("--db").arg(db).env_remove("DOSSIER_DB");
    c
}

fn export(db: &Path) -> Vec<serde_json::Value> {
    let out = dossier(db).arg("export").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every stored document is whole (it has its mentions) and stored once.
fn check_store(db: &Path) -> usize {
    let records = export(db);
    let docs: Vec<&str> = records
        .iter()
        .filter(|r| r["kind"] == "document")
        .map(|r| r["doc"].as_str().unwrap())
        .collect();
    let unique: BTreeSet<&str> = docs.iter().copied().collect();
    assert_eq!(unique.len(), docs.len(), "a document was stored twice");
    let mut mentions: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records.iter().filter(|r| r["kind"] == "mention") {
        *mentions.entry(r["doc"].as_str().unwrap()).or_default() += 1;
    }
    for d in &docs {
        assert!(
            mentions.get(d).copied().unwrap_or(0) >= 3,
            "{d} is stored without its mentions"
        );
    }
    docs.len()
}

#[test]
fn killing_ingest_at_random_points_never_corrupts_the_store_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write_corpus(&input);
    let db = dir.path().join("d.db");
    // Deterministic "random" kill points between 20 and 400 ms.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut stored_before = 0;
    for _ in 0..8 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let delay = 20 + x % 380;
        let mut child = dossier(&db)
            .arg("ingest")
            .arg(&input)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let stored = check_store(&db);
        assert!(
            stored >= stored_before,
            "documents disappeared: {stored} < {stored_before}"
        );
        stored_before = stored;
    }
    let out = dossier(&db).arg("ingest").arg(&input).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(check_store(&db), DOCS);
    let again = dossier(&db).arg("ingest").arg(&input).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stderr).contains(&format!("0 new, {DOCS} duplicate")));
}

#[test]
fn two_concurrent_ingests_on_one_store_cooperate() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    write_corpus(&input);
    let db = dir.path().join("d.db");
    // Both runs see every file: each document must still be stored exactly once.
    let a = dossier(&db)
        .arg("ingest")
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let b = dossier(&db)
        .arg("ingest")
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    for out in [&a, &b] {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(check_store(&db), DOCS);
}
