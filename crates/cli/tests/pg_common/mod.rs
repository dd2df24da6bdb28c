//! Shared by the PostgreSQL process tests: the test cluster's URL and a fresh schema.

/// The cluster to test against (`DOSSIER_TEST_PG`); `None` (the test skips with a note)
/// without one, a failure when `DOSSIER_REQUIRE_PG=1`.
pub fn test_url() -> Option<String> {
    match std::env::var("DOSSIER_TEST_PG") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("DOSSIER_REQUIRE_PG").as_deref() != Ok("1"),
                "DOSSIER_REQUIRE_PG=1 but DOSSIER_TEST_PG is unset (scripts/pg/cluster.sh start)"
            );
            eprintln!("skipped: set DOSSIER_TEST_PG=postgres://… to run");
            None
        }
    }
}

/// A schema of its own, named `{prefix}_{pid}_{nanos}`, and `base` with its search path
/// set to it.
pub fn fresh_schema_url(base: &str, prefix: &str) -> (String, String) {
    let schema = format!(
        "{prefix}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0)
    );
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
    (schema, url)
}
