//! What only the PostgreSQL store has: concurrent writers, the work queue, optimistic
//! curation, fuzzy names, migrations. The shared behaviour is in conformance.rs.

use std::collections::HashSet;
use std::time::Duration;

use dossier_pgstore::{PgStore, SCHEMA_VERSION};
use dossier_store::conformance::{analysis, document, registry, TEXT};
use dossier_store::{NewDocument, Store, StoreError};

mod common;

/// A store in a schema of its own, dropped at the end of a passing test.
struct Fixture {
    url: String,
    schema: String,
}

impl Fixture {
    fn new() -> Option<Self> {
        let url = common::test_url()?;
        Some(Fixture {
            url,
            schema: common::fresh_schema(),
        })
    }
    fn open(&self) -> PgStore {
        PgStore::open_in_schema(&self.url, Some(&self.schema)).expect("store opens")
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            common::drop_schemas(&self.url, std::slice::from_ref(&self.schema));
        }
    }
}

fn insert(s: &mut PgStore, id: &str, sha: &str) -> Result<(), StoreError> {
    let doc = document(id, sha, TEXT);
    s.insert_document(&NewDocument {
        doc: &doc,
        fingerprint: &[],
        bands: &[1],
        analysis: &analysis(id),
    })
}

#[test]
fn concurrent_writers_of_one_text_store_it_once() {
    let Some(f) = Fixture::new() else { return };
    f.open().sync_registry("r", &registry()).unwrap();
    let results: Vec<Result<(), StoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let f = &f;
                scope.spawn(move || {
                    let mut s = f.open();
                    let id = s.unique_doc_id("report").unwrap();
                    let r = insert(&mut s, &id, "same-sha");
                    (i, r)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap().1).collect()
    });
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .all(|e| matches!(e, StoreError::Duplicate { .. })));
    let s = f.open();
    assert_eq!(s.stats().unwrap().documents, 1);
    assert_eq!(s.stats().unwrap().mentions, 4, "the winner's claims, once");
}

#[test]
fn concurrent_id_requests_get_distinct_ids() {
    let Some(f) = Fixture::new() else { return };
    drop(f.open());
    let ids: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..5)
            .map(|_| scope.spawn(|| f.open().unique_doc_id("report").unwrap()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let distinct: HashSet<&String> = ids.iter().collect();
    assert_eq!(distinct.len(), 5, "{ids:?}");
}

#[test]
fn queue_units_are_claimed_once_and_released_on_failure_or_expiry() {
    let Some(f) = Fixture::new() else { return };
    let s = f.open();
    let units: Vec<(String, String)> = (0..20)
        .map(|i| (format!("k{i}"), format!("/corpus/{i}.txt")))
        .collect();
    assert_eq!(s.enqueue(&units).unwrap(), 20);
    assert_eq!(
        s.enqueue(&units).unwrap(),
        0,
        "enqueueing twice adds nothing"
    );
    let claimed: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|w| {
                let f = &f;
                scope.spawn(move || {
                    let s = f.open();
                    let name = format!("w{w}");
                    let mut mine = Vec::new();
                    while let Some(u) = s.claim(&name, Duration::from_secs(60)).unwrap() {
                        s.finish(&u, &name, None).unwrap();
                        mine.push(u.key);
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_eq!(claimed.len(), 20);
    assert_eq!(
        claimed.iter().collect::<HashSet<_>>().len(),
        20,
        "no unit twice"
    );
    assert_eq!(s.queue_counts().unwrap().done, 20);

    // A failed unit goes back to pending until its attempts are used up.
    s.enqueue(&[("bad".into(), "/corpus/bad.txt".into())])
        .unwrap();
    for attempt in 1..=dossier_pgstore::queue::MAX_ATTEMPTS {
        let u = s.claim("w", Duration::from_secs(60)).unwrap().unwrap();
        assert_eq!((u.key.as_str(), u.attempts), ("bad", attempt));
        s.finish(&u, "w", Some("unreadable")).unwrap();
    }
    assert_eq!(s.claim("w", Duration::from_secs(60)).unwrap(), None);
    assert_eq!(s.queue_counts().unwrap().failed, 1);

    // A lease that ran out (its worker died) is claimed again by another worker, and
    // the dead worker's late `finish` no longer counts.
    s.enqueue(&[("slow".into(), "/corpus/slow.txt".into())])
        .unwrap();
    let first = s.claim("dead", Duration::from_millis(1)).unwrap().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let second = s.claim("alive", Duration::from_secs(60)).unwrap().unwrap();
    assert_eq!(second.key, "slow");
    s.finish(&first, "dead", None).unwrap();
    assert_eq!(
        s.queue_counts().unwrap().taken,
        1,
        "still the live worker's"
    );
    s.finish(&second, "alive", None).unwrap();
    assert_eq!(s.queue_counts().unwrap().taken, 0);
}

#[test]
fn a_stale_curation_edit_is_refused() {
    let Some(f) = Fixture::new() else { return };
    let mut s = f.open();
    s.sync_registry("r", &registry()).unwrap();
    insert(&mut s, "a", "sha-a").unwrap();
    let keep = s.entity_version("lashkar-front").unwrap().unwrap();
    let absorb = s.entity_version("hill-militia-council").unwrap().unwrap();
    // Another analyst merges and undoes in between: the versions moved on.
    let mut other = f.open();
    let m = other
        .merge_entities("lashkar-front", "hill-militia-council")
        .unwrap();
    other.undo_merge(m).unwrap();
    let err = s
        .merge_entities_if("lashkar-front", keep, "hill-militia-council", absorb)
        .unwrap_err();
    assert!(err.to_string().contains("reload"), "{err}");
    let keep = s.entity_version("lashkar-front").unwrap().unwrap();
    let absorb = s.entity_version("hill-militia-council").unwrap().unwrap();
    s.merge_entities_if("lashkar-front", keep, "hill-militia-council", absorb)
        .unwrap();
    assert_eq!(s.stats().unwrap().merges, 1);
}

#[test]
fn concurrent_opposite_merges_cannot_make_a_cycle() {
    let Some(f) = Fixture::new() else { return };
    let mut s = f.open();
    s.sync_registry("r", &registry()).unwrap();
    let results: Vec<bool> = std::thread::scope(|scope| {
        let a = scope.spawn(|| f.open().merge_entities("dera", "un").is_ok());
        let b = scope.spawn(|| f.open().merge_entities("un", "dera").is_ok());
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    assert_eq!(results.iter().filter(|ok| **ok).count(), 1, "{results:?}");
    assert_eq!(s.stats().unwrap().merges, 1);
    assert_eq!(s.entities().unwrap().len(), 2);
    let _ = s.promote_entity("dera"); // still answers
}

#[test]
fn fuzzy_lookup_finds_misspelled_names_through_merges() {
    let Some(f) = Fixture::new() else { return };
    let mut s = f.open();
    s.sync_registry("r", &registry()).unwrap();
    let found = s.fuzzy_lookup("Lashkar Frnt", 3).unwrap();
    assert_eq!(found[0].0, "lashkar-front", "{found:?}");
    assert!(found[0].1 > 0.3);
    assert!(s.fuzzy_lookup("zzzz qqqq", 3).unwrap().is_empty());
    s.merge_entities("un", "lashkar-front").unwrap();
    assert_eq!(s.fuzzy_lookup("Lashkar Frnt", 3).unwrap()[0].0, "un");
}

#[test]
fn opening_twice_migrates_once_and_a_newer_schema_is_refused() {
    let Some(f) = Fixture::new() else { return };
    let s = f.open();
    assert_eq!(s.schema_version().unwrap(), SCHEMA_VERSION);
    drop(s);
    // Several workers opening a fresh database at once.
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| f.open());
        }
    });
    let mut c = postgres::Client::connect(&f.url, postgres::NoTls).unwrap();
    let q = format!(
        "INSERT INTO {}.schema_version (version) VALUES ({})",
        f.schema,
        SCHEMA_VERSION + 1
    );
    c.batch_execute(&q).unwrap();
    let err = PgStore::open_in_schema(&f.url, Some(&f.schema)).unwrap_err();
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err}");
    let err = PgStore::open_in_schema(&f.url, Some("Bad; DROP")).unwrap_err();
    assert!(err.is_user_error(), "{err}");
}

/// Write throughput of the store alone (no extraction): 300 documents with one record
/// of every kind, one transaction each. Prints the rate; asserts only completeness
/// (timing on a shared machine is noise).
#[test]
fn three_hundred_documents_insert() {
    let Some(f) = Fixture::new() else { return };
    let mut s = f.open();
    s.sync_registry("r", &registry()).unwrap();
    let started = std::time::Instant::now();
    for n in 0..300 {
        insert(&mut s, &format!("d{n}"), &format!("sha{n}")).unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!("300 documents in {secs:.2} s: {:.0} docs/s", 300.0 / secs);
    let st = s.stats().unwrap();
    assert_eq!((st.documents, st.mentions, st.events), (300, 1200, 300));
}

#[test]
fn near_duplicates_stored_concurrently_are_settled_afterwards() {
    let Some(f) = Fixture::new() else { return };
    let mut s = f.open();
    s.sync_registry("r", &registry()).unwrap();
    // Two copies stored "at once": neither saw the other, so neither is marked.
    for (id, sha, fp) in [
        ("first", "s1", [1u8, 2, 3]),
        ("second", "s2", [1, 2, 4]),
        ("other", "s3", [9, 9, 9]),
    ] {
        let doc = document(id, sha, TEXT);
        s.insert_document(&NewDocument {
            doc: &doc,
            fingerprint: &fp,
            bands: &[42],
            analysis: &dossier_model::Analysis::default(),
        })
        .unwrap();
    }
    // Similarity: the share of equal bytes.
    let sim = |a: &[u8], b: &[u8]| -> Option<f64> {
        let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
        Some(same as f64 / a.len().max(1) as f64)
    };
    let before = s.generation().unwrap();
    // The earlier document settles last: it marks the later copy.
    assert_eq!(
        s.settle_near_duplicates("first", 0.6, &sim).unwrap(),
        [("second".to_string(), "first".to_string())]
    );
    assert_ne!(s.generation().unwrap(), before);
    assert!(
        s.settle_near_duplicates("second", 0.6, &sim)
            .unwrap()
            .is_empty(),
        "idempotent"
    );
    let of = |id: &str| s.document(id).unwrap().unwrap().near_duplicate_of;
    assert_eq!(of("second").as_deref(), Some("first"));
    assert_eq!((of("first"), of("other")), (None, None));
    assert_eq!(s.stats().unwrap().near_duplicates, 1);
}
