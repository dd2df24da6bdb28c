//! Test database plumbing shared by the PostgreSQL tests.

#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

/// The test cluster's URL, or `None` (with a note) when there is none and none is
/// required. Panics when `DOSSIER_REQUIRE_PG=1` and `DOSSIER_TEST_PG` is unset, so CI
/// cannot pass by skipping.
pub fn test_url() -> Option<String> {
    match std::env::var("DOSSIER_TEST_PG") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("DOSSIER_REQUIRE_PG").as_deref() != Ok("1"),
                "DOSSIER_REQUIRE_PG=1 but DOSSIER_TEST_PG is unset: start a cluster with \
                 scripts/pg/cluster.sh start and export its URL"
            );
            eprintln!("skipped: set DOSSIER_TEST_PG=postgres://… (scripts/pg/cluster.sh start)");
            None
        }
    }
}

/// A schema name no other test (in this or a concurrent run) uses; the store creates it.
pub fn fresh_schema() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "t_{}_{}_{}",
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Drops test schemas (names from [`fresh_schema`], plain identifiers).
pub fn drop_schemas(url: &str, schemas: &[String]) {
    if schemas.is_empty() {
        return;
    }
    if let Ok(mut c) = postgres::Client::connect(url, postgres::NoTls) {
        let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", schemas.join(", "));
        if let Err(e) = c.batch_execute(&sql) {
            eprintln!("could not drop the test schemas: {e}");
        }
    }
}
