//! Four `dossier ingest --db postgres://…` processes over one corpus store every
//! document exactly once (issue 10). Needs `DOSSIER_TEST_PG` (scripts/test starts a
//! throwaway cluster); skipped with a note without it, failed when
//! `DOSSIER_REQUIRE_PG=1`.

#![cfg(feature = "postgres")]

mod pg_common;
use pg_common::{fresh_schema_url, test_url};
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use dossier_pgstore::PgStore;
use dossier_store::Store;

const WORKERS: usize = 4;
const DISTINCT: usize = 60;
const RESAVED: usize = 12;
const UPDATED: usize = 8;

/// An invented report; `n` makes each one's wording distinct enough not to be a
/// near-duplicate of the others.
fn report(n: usize) -> String {
    const PLACES: &[&str] = &[
        "Dera",
        "the northern valley",
        "Lower Ridge",
        "the border town",
        "Kalan",
    ];
    const ACTS: &[&str] = &[
        "ambushed a convoy",
        "attacked a checkpoint",
        "raided a market",
        "shelled a post",
        "kidnapped two workers",
    ];
    let mut s = format!("Field report {n}\n\nThe TTP claimed responsibility for incident {n}.\n\n");
    for k in 0..8 {
        let i = n * 7 + k * 3;
        s.push_str(&format!(
            "On day {} of month {}, a group of {} fighters {} near {}; officials counted {} casualties and {} arrests in operation {}. ",
            (n + k) % 28 + 1,
            (n * 3 + k) % 12 + 1,
            10 + i % 90,
            ACTS[(n + k) % ACTS.len()],
            PLACES[(n * 2 + k) % PLACES.len()],
            i % 41,
            (n * k) % 17,
            n * 1000 + k,
        ));
        s.push_str("\n\n");
    }
    s
}

fn write_corpus(dir: &Path) {
    for n in 0..DISTINCT {
        std::fs::write(dir.join(format!("report-{n:03}.txt")), report(n)).unwrap();
    }
    // Re-saved copies: other bytes (so other work units), same clean text (so the store
    // must refuse them as duplicates, whichever worker gets them first).
    for n in 0..RESAVED {
        std::fs::write(
            dir.join(format!("copy-{n:03}.txt")),
            format!("{}\n\n\n", report(n)),
        )
        .unwrap();
    }
    // Updated versions (a syndicated copy with a line added): near-duplicates, stored
    // and marked as copies, even when both land on different workers at once.
    for n in 0..UPDATED {
        std::fs::write(
            dir.join(format!("update-{n:03}.txt")),
            format!("{}Updated with a correction.\n", report(n + 20)),
        )
        .unwrap();
    }
}

#[test]
fn four_workers_store_every_document_exactly_once() {
    let Some(base) = test_url() else { return };
    let (schema, url) = fresh_schema_url(&base, "w");
    let dir = tempfile::tempdir().unwrap();
    write_corpus(dir.path());

    let children: Vec<_> = (0..WORKERS)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_dossier"))
                .args(["--db", &url, "ingest", "--json"])
                .arg(dir.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("dossier runs")
        })
        .collect();
    let mut new = 0;
    let mut duplicate = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a worker failed: {stderr}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        new += report["new"].as_u64().unwrap() + report["near_duplicate"].as_u64().unwrap();
        duplicate += report["duplicate"].as_u64().unwrap();
    }
    assert_eq!(
        new as usize,
        DISTINCT + UPDATED,
        "each distinct text stored by exactly one worker"
    );
    assert_eq!(
        duplicate as usize, RESAVED,
        "each re-saved copy refused once"
    );

    let store = PgStore::open_in_schema(&base, Some(&schema)).unwrap();
    let docs = store.documents().unwrap();
    assert_eq!(docs.len(), DISTINCT + UPDATED);
    let shas: HashSet<&str> = docs.iter().map(|d| d.sha256.as_str()).collect();
    assert_eq!(shas.len(), DISTINCT + UPDATED, "no text stored twice");
    let ids: HashSet<&str> = docs.iter().map(|d| d.doc.as_str()).collect();
    assert_eq!(ids.len(), DISTINCT + UPDATED);
    // Every original/update pair is linked one way or the other.
    let of = |id: &str| {
        docs.iter()
            .find(|d| d.doc == id)
            .and_then(|d| d.near_duplicate_of.clone())
    };
    for n in 0..UPDATED {
        let (original, update) = (format!("report-{:03}", n + 20), format!("update-{n:03}"));
        assert!(
            of(&update).as_deref() == Some(original.as_str())
                || of(&original).as_deref() == Some(update.as_str()),
            "{original} / {update} not linked"
        );
    }
    let q = store.queue_counts().unwrap();
    assert_eq!(
        (q.done, q.pending, q.taken, q.failed),
        ((DISTINCT + RESAVED + UPDATED) as u64, 0, 0, 0)
    );
    // Every stored document has its claims (the analysis went in with it).
    assert!(store.stats().unwrap().mentions > 0);
}
