//! The store's full-text search (in-memory SQLite, two small documents) with fuzzed
//! query text in Safe and Raw mode: bad FTS5 syntax is a `StoreError`, never a panic.
#![no_main]

use std::cell::RefCell;

use dossier_model::{Analysis, Document};
use dossier_store::{NewDocument, SearchMode, SearchQuery, SqliteStore, Store};
use libfuzzer_sys::fuzz_target;

fn store() -> SqliteStore {
    let mut store = SqliteStore::open_in_memory().expect("in-memory store");
    for (id, title, text) in [
        (
            "a",
            "Checkpoint attack",
            "Militants attacked a checkpoint in the district on Monday.",
        ),
        (
            "b",
            "Talks resume",
            "Delegates met in the capital; the talks resumed after a pause.",
        ),
    ] {
        let doc = Document {
            doc: id.into(),
            title: Some(title.into()),
            published: Some("2024-05-01".into()),
            publisher: Some("Fuzz Wire".into()),
            author: None,
            url: None,
            sha256: id.into(),
            chars: text.chars().count(),
            near_duplicate_of: None,
            origin: None,
            text: Some(text.into()),
        };
        store
            .insert_document(&NewDocument {
                doc: &doc,
                fingerprint: &[],
                bands: &[],
                analysis: &Analysis::default(),
            })
            .expect("insert fixture");
    }
    store
}

thread_local! {
    static STORE: RefCell<Option<SqliteStore>> = const { RefCell::new(None) };
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    STORE.with(|cell| {
        let mut cell = cell.borrow_mut();
        let store = cell.get_or_insert_with(store);
        for mode in [SearchMode::Safe, SearchMode::Raw] {
            let q = SearchQuery {
                text: text.to_string(),
                mode,
                ..Default::default()
            };
            // Hits or a user error are both fine; only a panic or a crash is a finding.
            let _ = store.search(&q);
        }
    });
});
