//! The shared store behaviour suite (`dossier_store::conformance`) against PostgreSQL,
//! each test in its own schema of the database named by `DOSSIER_TEST_PG`.
//!
//! Without `DOSSIER_TEST_PG` the tests pass with a note on stderr, unless
//! `DOSSIER_REQUIRE_PG=1` (set by scripts/test, as in CI): then they fail.

use dossier_pgstore::PgStore;
use dossier_store::conformance::Backend;

mod common;

struct Schemas {
    url: String,
    schema: Option<String>,
    created: Vec<String>,
}

/// Test schemas are dropped when the test ends (kept when it panicked, to look at).
impl Drop for Schemas {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            common::drop_schemas(&self.url, &self.created);
        }
    }
}

impl Backend for Schemas {
    type S = PgStore;
    fn fresh(&mut self) -> PgStore {
        let schema = common::fresh_schema();
        let s = PgStore::open_in_schema(&self.url, Some(&schema)).expect("store opens");
        self.created.push(schema.clone());
        self.schema = Some(schema);
        s
    }
    fn again(&mut self) -> PgStore {
        let schema = self.schema.as_deref().expect("fresh was called first");
        PgStore::open_in_schema(&self.url, Some(schema)).expect("store reopens")
    }
}

fn backend() -> Option<Schemas> {
    common::test_url().map(|url| Schemas {
        url,
        schema: None,
        created: Vec::new(),
    })
}

dossier_store::store_conformance_tests!(backend());
