//! Invented documents for the unit tests (never seed text).

use crate::NewDocument;

// The invented document, its registry and its analysis are the shared conformance
// suite's, so the SQLite unit tests and every backend's suite read the same data.
pub(crate) use crate::conformance::{analysis, document, registry, span, TEXT};

pub(crate) fn store_with(ids: &[(&str, &str)]) -> crate::SqliteStore {
    use crate::Store;
    let mut store = crate::SqliteStore::open_in_memory().expect("in-memory store opens");
    store
        .sync_registry("r1", &registry())
        .expect("registry syncs");
    for (id, sha) in ids {
        let doc = document(id, sha, TEXT);
        let analysis = analysis(id);
        store
            .insert_document(&NewDocument {
                doc: &doc,
                fingerprint: &[1, 2, 3],
                bands: &[7, u64::MAX],
                analysis: &analysis,
            })
            .expect("fixture document inserts");
    }
    store
}
