//! The behaviour every [`Store`] implementation must show, as one suite run against
//! each backend (SQLite here, PostgreSQL in `dossier-pgstore`), so that both answer the
//! same questions the same way. Enabled by the `conformance` feature; tests only.
//!
//! A backend provides a [`Backend`] (fresh empty stores, and second handles onto the
//! last one) and expands [`store_conformance_tests!`](crate::store_conformance_tests)
//! with it: one `#[test]` per behaviour.
//!
//! The data are invented (never article text).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dossier_model::*;

use crate::{
    Filter, NewDocument, ReconcileItem, ReconcileResult, SearchMode, SearchQuery, Store,
    StoreError, RECONCILE_EMPTY,
};

/// How the suite gets stores.
pub trait Backend {
    type S: Store;
    /// A new, empty store that no other test sees.
    fn fresh(&mut self) -> Self::S;
    /// Another handle (connection) onto the store last returned by `fresh`.
    fn again(&mut self) -> Self::S;
}

/// Expands to one `#[test]` per behaviour. `$backend` is an expression of type
/// `Option<impl Backend>`; `None` skips the suite (the backend is not available here).
#[macro_export]
macro_rules! store_conformance_tests {
    ($backend:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                if let Some(mut b) = $backend {
                    $crate::conformance::$name(&mut b);
                }
            }
        )*
    };
    ($backend:expr) => {
        $crate::store_conformance_tests!($backend;
            every_kind_round_trips_unchanged,
            documents_list_metadata_and_document_adds_text,
            a_second_handle_sees_committed_documents,
            unique_doc_ids_suffix_taken_stems,
            near_duplicates_are_found_by_shared_bands,
            the_same_text_twice_is_a_duplicate_error,
            a_taken_id_is_a_user_error,
            a_record_that_breaks_a_constraint_leaves_no_partial_document,
            a_discovered_entity_is_one_row_filled_in_later,
            a_discovered_entity_never_demotes_a_registry_entity,
            registry_sync_is_skipped_when_the_hash_is_unchanged,
            entities_carry_registry_discovered_and_learned_aliases,
            lookup_ignores_case_and_spacing_and_ranks_by_mentions,
            a_merge_redirects_reads_and_undo_restores_them,
            merges_chain_and_refuse_nonsense,
            alias_counts_and_learned_aliases,
            only_discovered_entities_can_be_promoted,
            claim_filters_narrow_by_entity_doc_metric_place_and_date,
            limit_and_offset_page_in_document_then_span_order,
            search_finds_words_with_highlighted_snippets,
            search_filters_by_publisher_and_date,
            raw_search_speaks_fts5_on_every_backend,
            hostile_searches_are_answered_or_refused,
            stats_count_every_table,
            generation_changes_with_every_write,
            reconcile_items_terms_and_results_round_trip,
            reconcile_keys_are_recomputed_from_their_items_and_copy_clusters,
            curation_marks_reconciliation_stale,
            a_full_rebuild_replaces_everything_unless_documents_arrived,
        );
    };
}

pub const TEXT: &str = "The Lashkar Front (LF) claimed the attack in Dera district on \
3 May 2024. Officials said 12 people were killed. The Hill Militia Council supports the LF, \
according to a UN report.";

/// Byte span of the first `needle` in `text`.
pub fn span(text: &str, needle: &str) -> (usize, usize) {
    let start = text.find(needle).expect("needle is in the text");
    (start, start + needle.len())
}

pub fn document(id: &str, sha: &str, text: &str) -> Document {
    Document {
        doc: id.into(),
        title: Some(format!("Report {id}")),
        published: Some("2024-05-04".into()),
        publisher: Some("Frontier Monitor".into()),
        author: Some("A. Writer".into()),
        url: Some(format!("https://example.org/{id}")),
        sha256: sha.into(),
        chars: text.chars().count(),
        near_duplicate_of: None,
        origin: Some(format!("{id}.txt")),
        text: Some(text.into()),
    }
}

pub fn entity(id: &str, canonical: &str, t: EntityType, aliases: &[&str]) -> Entity {
    Entity {
        id: id.into(),
        canonical: canonical.into(),
        entity_type: t,
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        country: Some("PK".into()),
        lat: None,
        lon: None,
        parent: None,
        role: None,
        discovered: false,
    }
}

pub fn registry() -> Vec<Entity> {
    vec![
        entity(
            "lashkar-front",
            "Lashkar Front",
            EntityType::ArmedGroup,
            &["LF"],
        ),
        entity("dera", "Dera", EntityType::District, &["Dera district"]),
        entity(
            "un",
            "United Nations",
            EntityType::InternationalOrg,
            &["UN"],
        ),
    ]
}

fn mention(doc: &str, entity: &str, needle: &str) -> Mention {
    let (start, end) = span(TEXT, needle);
    Mention {
        doc: doc.into(),
        entity: entity.into(),
        start,
        end,
        text: needle.into(),
        rule: "registry".into(),
    }
}

/// An analysis of [`TEXT`] with one record of every kind.
pub fn analysis(doc: &str) -> Analysis {
    let t = TEXT;
    let (fs, fe) = span(t, "12 people were killed");
    let (rs, re) = span(t, "The Hill Militia Council supports the LF");
    let (es, ee) = span(t, "claimed the attack in Dera district on 3 May 2024");
    let (ls, le) = span(t, "Lashkar Front (LF)");
    let mut council = entity(
        "hill-militia-council",
        "Hill Militia Council",
        EntityType::ArmedGroup,
        &["the Council"],
    );
    council.discovered = true;
    Analysis {
        mentions: vec![
            mention(doc, "lashkar-front", "Lashkar Front"),
            mention(doc, "lashkar-front", "LF"),
            mention(doc, "dera", "Dera district"),
            mention(doc, "hill-militia-council", "Hill Militia Council"),
        ],
        discovered: vec![council],
        learned_aliases: vec![LearnedAlias {
            entity: "lashkar-front".into(),
            alias: "LF".into(),
            doc: doc.into(),
            start: ls,
            end: le,
        }],
        figures: vec![Figure {
            doc: doc.into(),
            value: 12.0,
            value_max: None,
            bound: Bound::Exact,
            unit: "people".into(),
            metric: Metric::Fatalities,
            subject: Some("lashkar-front".into()),
            period: Some("2024-05-03".into()),
            place: Some("dera".into()),
            source: Some("officials".into()),
            hedged: false,
            start: fs,
            end: fe,
            text: t[fs..fe].into(),
            rule: "killed-n".into(),
        }],
        relations: vec![Relation {
            doc: doc.into(),
            source: "hill-militia-council".into(),
            relation_type: RelationType::Supports,
            target: "lashkar-front".into(),
            stance: Stance::Reported,
            attributed_to: Some("un".into()),
            start: rs,
            end: re,
            text: t[rs..re].into(),
            rule: "x-supports-y".into(),
        }],
        events: vec![Event {
            doc: doc.into(),
            event_type: EventType::Attack,
            date: Some("2024-05-03".into()),
            date_precision: DatePrecision::Day,
            place: Some("dera".into()),
            perpetrator: Some("lashkar-front".into()),
            target: None,
            killed: Some(12.0),
            injured: None,
            start: es,
            end: ee,
            text: t[es..ee].into(),
            rule: "claimed-attack".into(),
        }],
        diagnostics: vec![],
    }
}

fn insert<S: Store>(s: &mut S, id: &str, sha: &str, a: &Analysis) -> Result<(), StoreError> {
    let doc = document(id, sha, TEXT);
    s.insert_document(&NewDocument {
        doc: &doc,
        fingerprint: &[1, 2, 3],
        bands: &[7, u64::MAX],
        analysis: a,
    })
}

/// A fresh store with the registry synced and [`TEXT`] stored under each `(id, sha)`.
pub fn store_with<B: Backend>(b: &mut B, docs: &[(&str, &str)]) -> B::S {
    let mut s = b.fresh();
    s.sync_registry("r1", &registry()).expect("registry syncs");
    for (id, sha) in docs {
        insert(&mut s, id, sha, &analysis(id)).expect("fixture document inserts");
    }
    s
}

fn all() -> Filter {
    Filter::default()
}

pub fn every_kind_round_trips_unchanged<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a")]);
    let a = analysis("a");
    assert_eq!(s.mentions(&all()).unwrap(), a.mentions);
    assert_eq!(s.figures(&all()).unwrap(), a.figures);
    assert_eq!(s.relations(&all()).unwrap(), a.relations);
    assert_eq!(s.events(&all()).unwrap(), a.events);
    for m in s.mentions(&all()).unwrap() {
        assert_eq!(&TEXT[m.start..m.end], m.text, "spans index the stored text");
    }
    // Records are stored under the document's id whatever their own `doc` says.
    let mut s = store_with(b, &[]);
    insert(&mut s, "real-id", "sha", &analysis("stale-id")).unwrap();
    assert!(s
        .mentions(&all())
        .unwrap()
        .iter()
        .all(|m| m.doc == "real-id"));
}

pub fn documents_list_metadata_and_document_adds_text<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a"), ("b", "sha-b")]);
    let docs = s.documents().unwrap();
    let ids: Vec<&str> = docs.iter().map(|d| d.doc.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!(docs[0].text, None);
    assert_eq!(
        s.document("b").unwrap().unwrap(),
        document("b", "sha-b", TEXT)
    );
    assert_eq!(s.document("zzz").unwrap(), None);
    assert_eq!(s.document_by_sha("sha-b").unwrap().as_deref(), Some("b"));
    assert_eq!(s.document_by_sha("nope").unwrap(), None);
}

pub fn a_second_handle_sees_committed_documents<B: Backend>(b: &mut B) {
    let mut writer = store_with(b, &[]);
    let reader = b.again();
    for n in 0..3 {
        let id = writer.unique_doc_id("report").unwrap();
        let doc = document(&id, &format!("sha-{n}"), TEXT);
        writer
            .insert_document(&NewDocument {
                doc: &doc,
                fingerprint: &[],
                bands: &[],
                analysis: &Analysis::default(),
            })
            .unwrap();
        assert_eq!(reader.documents().unwrap().len(), n + 1);
    }
    let ids: Vec<String> = reader
        .documents()
        .unwrap()
        .into_iter()
        .map(|d| d.doc)
        .collect();
    assert_eq!(ids, ["report", "report-2", "report-3"]);
    assert_eq!(reader.entities().unwrap().len(), 3);
}

pub fn unique_doc_ids_suffix_taken_stems<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("report", "a"), ("report-2", "b")]);
    assert_eq!(s.unique_doc_id("report").unwrap(), "report-3");
    assert_eq!(s.unique_doc_id("other").unwrap(), "other");
    assert_eq!(s.unique_doc_id("  ").unwrap(), "doc");
}

pub fn near_duplicates_are_found_by_shared_bands<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a")]);
    let found = s.near_duplicate_candidates(&[99, u64::MAX]).unwrap();
    assert_eq!(found, vec![("a".to_string(), vec![1, 2, 3])]);
    assert!(s.near_duplicate_candidates(&[99]).unwrap().is_empty());
    assert!(s.near_duplicate_candidates(&[]).unwrap().is_empty());
}

pub fn the_same_text_twice_is_a_duplicate_error<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[("a", "sha-a")]);
    match insert(&mut s, "b", "sha-a", &analysis("b")).unwrap_err() {
        StoreError::Duplicate { existing, .. } => assert_eq!(existing, "a"),
        other => panic!("expected Duplicate, got {other}"),
    }
    assert_eq!(s.stats().unwrap().documents, 1);
    assert_eq!(s.stats().unwrap().mentions, 4);
}

pub fn a_taken_id_is_a_user_error<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[("a", "sha-a")]);
    let err = insert(&mut s, "a", "sha-other", &Analysis::default()).unwrap_err();
    assert!(matches!(err, StoreError::User(_)), "{err}");
    // The refused document left no claim on its text behind.
    assert_eq!(s.document_by_sha("sha-other").unwrap(), None);
}

pub fn a_record_that_breaks_a_constraint_leaves_no_partial_document<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[]);
    let mut bad = analysis("a");
    // An inverted span breaks a CHECK after the document, bands, entities, aliases and
    // mentions were written in the same transaction.
    bad.events[0].start = 50;
    bad.events[0].end = 10;
    let err = insert(&mut s, "a", "sha-a", &bad).unwrap_err();
    assert!(!err.is_user_error(), "{err}");
    let st = s.stats().unwrap();
    assert_eq!(
        (st.documents, st.mentions, st.figures, st.relations),
        (0, 0, 0, 0)
    );
    assert_eq!(st.discovered_entities, 0);
    assert_eq!(s.document_by_sha("sha-a").unwrap(), None);
    assert!(s.near_duplicate_candidates(&[7]).unwrap().is_empty());
    insert(&mut s, "a", "sha-a", &analysis("a")).unwrap();
    assert_eq!(s.stats().unwrap().events, 1);
}

pub fn a_discovered_entity_is_one_row_filled_in_later<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[("a", "sha-a")]);
    let mut second = analysis("b");
    second.discovered[0].country = Some("AF".into());
    second.discovered[0].role = Some("umbrella group".into());
    insert(&mut s, "b", "sha-b", &second).unwrap();
    let e = s.entity("hill-militia-council").unwrap().unwrap();
    assert!(e.discovered);
    assert_eq!(e.country.as_deref(), Some("PK"), "first sighting wins");
    assert_eq!(
        e.role.as_deref(),
        Some("umbrella group"),
        "unknown fields are filled"
    );
    assert_eq!(s.stats().unwrap().discovered_entities, 1);
}

pub fn a_discovered_entity_never_demotes_a_registry_entity<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[]);
    let mut a = Analysis::default();
    let mut clash = entity("dera", "Dera Town", EntityType::Town, &[]);
    clash.discovered = true;
    a.discovered.push(clash);
    insert(&mut s, "a", "sha-a", &a).unwrap();
    let e = s.entity("dera").unwrap().unwrap();
    assert!(!e.discovered);
    assert_eq!(e.canonical, "Dera");
}

pub fn registry_sync_is_skipped_when_the_hash_is_unchanged<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[]);
    assert!(!s.sync_registry("r1", &registry()).unwrap());
    let mut changed = registry();
    changed[0].aliases = vec!["Lashkar".into()];
    changed.pop(); // "un" left the registry
    assert!(s.sync_registry("r2", &changed).unwrap());
    assert_eq!(
        s.entity("lashkar-front").unwrap().unwrap().aliases,
        ["Lashkar"]
    );
    assert_eq!(s.entity("un").unwrap(), None);
}

pub fn entities_carry_registry_discovered_and_learned_aliases<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a")]);
    let all = s.entities().unwrap();
    let ids: Vec<&str> = all.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["dera", "lashkar-front", "un", "hill-militia-council"]);
    let lf = all.iter().find(|e| e.id == "lashkar-front").unwrap();
    assert_eq!(
        lf.aliases,
        ["LF"],
        "the learned LF repeats the registry alias"
    );
    let council = s.entity("hill-militia-council").unwrap().unwrap();
    assert_eq!(council.aliases, ["the Council"]);
    assert!(council.discovered);
}

pub fn lookup_ignores_case_and_spacing_and_ranks_by_mentions<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a")]);
    assert_eq!(s.lookup_entity("lf").unwrap(), ["lashkar-front"]);
    assert_eq!(
        s.lookup_entity(" LASHKAR   front ").unwrap(),
        ["lashkar-front"]
    );
    assert_eq!(s.lookup_entity("Lashkar-Front").unwrap(), ["lashkar-front"]);
    assert_eq!(
        s.lookup_entity("the council").unwrap(),
        ["hill-militia-council"]
    );
    assert!(s.lookup_entity("nobody").unwrap().is_empty());
    assert!(s.lookup_entity("").unwrap().is_empty());
}

pub fn a_merge_redirects_reads_and_undo_restores_them<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[("a", "sha-a")]);
    let m = s
        .merge_entities("lashkar-front", "hill-militia-council")
        .unwrap();
    assert_eq!(s.entities().unwrap().len(), 3);
    let lf = s.entity("hill-militia-council").unwrap().unwrap();
    assert_eq!(lf.id, "lashkar-front");
    assert!(lf.aliases.contains(&"Hill Militia Council".to_string()));
    assert!(lf.aliases.contains(&"the Council".to_string()));
    assert_eq!(s.lookup_entity("the council").unwrap(), ["lashkar-front"]);
    let rel = &s.relations(&all()).unwrap()[0];
    assert_eq!(
        (rel.source.as_str(), rel.target.as_str()),
        ("lashkar-front", "lashkar-front")
    );
    let by_entity = Filter {
        entity: Some("lashkar-front".into()),
        ..all()
    };
    assert_eq!(s.mentions(&by_entity).unwrap().len(), 3);
    assert_eq!(s.stats().unwrap().merges, 1);

    s.undo_merge(m).unwrap();
    assert_eq!(s.entities().unwrap().len(), 4);
    assert_eq!(
        s.entity("hill-militia-council").unwrap().unwrap().id,
        "hill-militia-council"
    );
    assert_eq!(s.mentions(&by_entity).unwrap().len(), 2);
    assert!(matches!(s.undo_merge(m), Err(StoreError::User(_))));
    assert!(matches!(s.undo_merge(999), Err(StoreError::User(_))));
}

pub fn merges_chain_and_refuse_nonsense<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[("a", "sha-a")]);
    s.merge_entities("lashkar-front", "hill-militia-council")
        .unwrap();
    // Merging into an absorbed entity merges into what it reads as.
    s.merge_entities("hill-militia-council", "un").unwrap();
    assert_eq!(s.entity("un").unwrap().unwrap().id, "lashkar-front");
    for (keep, absorb) in [
        ("lashkar-front", "lashkar-front"),
        ("dera", "hill-militia-council"),
        ("nobody", "dera"),
        ("hill-militia-council", "lashkar-front"),
    ] {
        let err = s.merge_entities(keep, absorb).unwrap_err();
        assert!(
            matches!(err, StoreError::User(_)),
            "{keep} <- {absorb}: {err}"
        );
    }
}

pub fn alias_counts_and_learned_aliases<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a"), ("b", "sha-b")]);
    let counts = s.alias_counts("lashkar-front").unwrap();
    assert_eq!(counts.len(), 2);
    assert_eq!((counts[0].text.as_str(), counts[0].count), ("LF", 2));
    assert_eq!(counts[0].first_doc, "a");
    let learned = s.learned_aliases("lashkar-front").unwrap();
    assert_eq!(learned.len(), 2);
    assert_eq!(
        (learned[0].start, learned[0].end),
        span(TEXT, "Lashkar Front (LF)")
    );
    assert_eq!(
        (learned[0].doc.as_str(), learned[1].doc.as_str()),
        ("a", "b")
    );
}

pub fn only_discovered_entities_can_be_promoted<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[("a", "sha-a")]);
    let e = s.promote_entity("hill-militia-council").unwrap();
    assert_eq!(e.canonical, "Hill Militia Council");
    assert!(matches!(s.promote_entity("dera"), Err(StoreError::User(_))));
    assert!(matches!(
        s.promote_entity("nobody"),
        Err(StoreError::User(_))
    ));
}

pub fn claim_filters_narrow_by_entity_doc_metric_place_and_date<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a"), ("b", "sha-b")]);
    let lf = Filter {
        entity: Some("lashkar-front".into()),
        doc: Some("a".into()),
        ..all()
    };
    assert_eq!(s.mentions(&lf).unwrap().len(), 2);
    assert_eq!(s.figures(&lf).unwrap().len(), 1, "subject");
    assert_eq!(s.relations(&lf).unwrap().len(), 1, "target");
    assert_eq!(s.events(&lf).unwrap().len(), 1, "perpetrator");
    let un = Filter {
        entity: Some("un".into()),
        ..all()
    };
    assert!(
        s.relations(&un).unwrap().is_empty(),
        "attribution is not a party"
    );
    let f = Filter {
        metric: Some("attacks".into()),
        ..all()
    };
    assert!(s.figures(&f).unwrap().is_empty());
    let f = Filter {
        metric: Some("fatalities".into()),
        place: Some("dera".into()),
        ..all()
    };
    assert_eq!(s.figures(&f).unwrap().len(), 2);
    assert_eq!(s.events(&f).unwrap().len(), 2);
    let f = Filter {
        metric: Some("deaths".into()),
        ..all()
    };
    assert!(matches!(s.figures(&f), Err(StoreError::User(_))));
    let between = |from: &str, to: &str| Filter {
        from: Some(from.into()),
        to: Some(to.into()),
        doc: Some("a".into()),
        ..all()
    };
    // The event happened on 2024-05-03, the document was published 2024-05-04.
    assert_eq!(s.events(&between("2024", "2024")).unwrap().len(), 1);
    assert_eq!(
        s.events(&between("2024-05-03", "2024-05-03"))
            .unwrap()
            .len(),
        1
    );
    assert!(s.events(&between("2024-05-04", "2025")).unwrap().is_empty());
    assert_eq!(s.mentions(&between("2024-05-04", "2025")).unwrap().len(), 4);
    assert!(s.relations(&between("2023", "2024-04")).unwrap().is_empty());
    let bad = Filter {
        from: Some("May 2024".into()),
        ..all()
    };
    assert!(matches!(s.events(&bad), Err(StoreError::User(_))));
}

pub fn limit_and_offset_page_in_document_then_span_order<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a"), ("b", "sha-b")]);
    let every = s.mentions(&all()).unwrap();
    assert_eq!(every.len(), 8);
    assert!(every
        .windows(2)
        .all(|w| (w[0].doc.as_str(), w[0].start) <= (w[1].doc.as_str(), w[1].start)));
    let page = s
        .mentions(&Filter {
            limit: Some(3),
            offset: 2,
            ..all()
        })
        .unwrap();
    assert_eq!(page, every[2..5]);
}

fn q(text: &str, mode: SearchMode) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        mode,
        ..Default::default()
    }
}

pub fn search_finds_words_with_highlighted_snippets<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a")]);
    let hits = s.search(&q("militia council", SearchMode::Safe)).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].doc, "a");
    assert!(
        hits[0].snippet.contains("«Militia» «Council»"),
        "{}",
        hits[0].snippet
    );
    assert!(hits[0].score > 0.0);
    assert!(s
        .search(&q("militia helicopter", SearchMode::Safe))
        .unwrap()
        .is_empty());
    // Title words are found too; case does not matter.
    assert_eq!(s.search(&q("REPORT", SearchMode::Safe)).unwrap().len(), 1);
    // A phrase in raw mode (both backends speak `"…"` and OR).
    assert_eq!(
        s.search(&q("\"hill militia\" OR helicopter", SearchMode::Raw))
            .unwrap()
            .len(),
        1
    );
    let err = s
        .search(&q(&"attack ".repeat(300), SearchMode::Safe))
        .unwrap_err();
    assert!(err.to_string().contains("300 words; at most 256"), "{err}");
}

/// Raw mode reads SQLite FTS5's syntax on every backend, with the same answers.
pub fn raw_search_speaks_fts5_on_every_backend<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a")]);
    let hits = |text: &str| {
        s.search(&q(text, SearchMode::Raw))
            .unwrap_or_else(|e| panic!("`{text}`: {e}"))
            .len()
    };
    for (text, want) in [
        ("militi* OR helicopter", 1),
        ("milit*", 1),
        ("\"hill militia\" council", 1),
        ("\"militia hill\"", 0),
        ("militia NOT helicopter", 1),
        ("militia NOT attack", 0),
        ("(helicopter OR militia) AND dera", 1),
        ("helicopter OR (militia AND drone)", 0),
        ("title:report", 1),
        ("title:militia", 0),
        ("-title:militia", 1),
        ("{title text}:attack", 1),
        ("NEAR(attack Dera, 3)", 1),
    ] {
        assert_eq!(hits(text), want, "`{text}`");
    }
    for bad in ["NEAR(", "nocolumn:attack", "(militia", "militia AND"] {
        match s.search(&q(bad, SearchMode::Raw)) {
            Err(StoreError::User(m)) => assert!(!m.is_empty()),
            other => panic!("`{bad}` gave {other:?}"),
        }
    }
}

pub fn search_filters_by_publisher_and_date<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a")]);
    let mut query = q("attack", SearchMode::Safe);
    query.publisher = Some("frontier MONITOR".into());
    assert_eq!(s.search(&query).unwrap().len(), 1);
    query.publisher = Some("Other Paper".into());
    assert!(s.search(&query).unwrap().is_empty());
    query.publisher = None;
    query.from = Some("2024-06".into());
    assert!(s.search(&query).unwrap().is_empty());
    query.from = Some("2024-05".into());
    query.to = Some("2024-05".into());
    assert_eq!(s.search(&query).unwrap().len(), 1);
}

pub fn hostile_searches_are_answered_or_refused<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a")]);
    let long = "attack ".repeat(200);
    for text in [
        "\"",
        "\"\"",
        "AND OR",
        "OR",
        "NOT",
        "*",
        "attack*",
        "NEAR(",
        "(",
        ")",
        "title:",
        "nocolumn:attack",
        "^attack",
        "-attack",
        "+",
        "{a b}:x",
        "'; DROP TABLE documents; --",
        "\" OR 1=1 --",
        "attack\0Dera",
        "Taliban’s",
        "\u{202e}kcatta",
        &long,
        "  ",
    ] {
        for mode in [SearchMode::Safe, SearchMode::Raw] {
            match s.search(&q(text, mode)) {
                Ok(_) | Err(StoreError::User(_)) => {}
                Err(other) => panic!("{mode:?} `{text:.40}` gave {other:?}"),
            }
        }
    }
    assert_eq!(
        s.stats().unwrap().documents,
        1,
        "the documents table survived"
    );
    assert_eq!(s.search(&q("\"attack", SearchMode::Safe)).unwrap().len(), 1);
}

pub fn stats_count_every_table<B: Backend>(b: &mut B) {
    let s = store_with(b, &[("a", "sha-a"), ("b", "sha-b")]);
    let st = s.stats().unwrap();
    assert_eq!(st.documents, 2);
    assert_eq!(st.near_duplicates, 0);
    assert_eq!(st.entities, 4);
    assert_eq!(st.discovered_entities, 1);
    assert_eq!(st.learned_aliases, 2);
    // Registry 3; the discovered alias once per document that lists it; learned 2.
    assert_eq!(st.aliases, 3 + 2 + 2);
    assert_eq!(
        (st.mentions, st.figures, st.relations, st.events),
        (8, 2, 2, 2)
    );
    assert_eq!(st.merges, 0);
    assert!(st.schema_version >= 1);
}

pub fn generation_changes_with_every_write<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[]);
    let g0 = s.generation().unwrap();
    assert_eq!(s.generation().unwrap(), g0, "reads change nothing");
    insert(&mut s, "a", "sha-a", &analysis("a")).unwrap();
    let g1 = s.generation().unwrap();
    assert_ne!(g1, g0);
    let other = b.again();
    let before = other.generation().unwrap();
    s.merge_entities("lashkar-front", "hill-militia-council")
        .unwrap();
    assert_ne!(
        other.generation().unwrap(),
        before,
        "another handle sees the write"
    );
}

fn item(doc: &str, seq: u32, key: &str, terms: &[&str]) -> ReconcileItem {
    ReconcileItem {
        doc: doc.into(),
        seq,
        key: key.into(),
        terms: terms.iter().map(|t| t.to_string()).collect(),
        body: format!("{{\"doc\":\"{doc}\",\"seq\":{seq}}}"),
    }
}

fn result(tag: &str) -> ReconcileResult {
    ReconcileResult {
        disputes: format!("[\"{tag}\"]"),
        contested: "[]".into(),
        corroboration: format!("[\"{tag} support\"]"),
    }
}

/// Each key's results as the compute closure below writes them: the key, its items'
/// `doc:seq` and the documents it was given.
fn echo(key: &str, items: &[ReconcileItem], docs: &[Document]) -> Option<ReconcileResult> {
    if items.is_empty() {
        return None;
    }
    let its: Vec<String> = items
        .iter()
        .map(|i| format!("{}:{}", i.doc, i.seq))
        .collect();
    let mut ds: Vec<&str> = docs.iter().map(|d| d.doc.as_str()).collect();
    ds.sort_unstable();
    Some(ReconcileResult {
        disputes: format!("{key} {} | {}", its.join(","), ds.join(",")),
        contested: String::new(),
        corroboration: "c".into(),
    })
}

fn sorted_disputes<S: Store>(s: &S) -> Vec<String> {
    let mut v: Vec<String> = s
        .reconcile_results(false)
        .unwrap()
        .into_iter()
        .map(|r| {
            assert_eq!(r.corroboration, "", "corroboration only when asked for");
            r.disputes
        })
        .collect();
    v.sort();
    v
}

pub fn reconcile_items_terms_and_results_round_trip<B: Backend>(b: &mut B) {
    let s = b.fresh();
    assert_eq!(
        s.reconcile_valid_for().unwrap().as_deref(),
        Some(RECONCILE_EMPTY)
    );
    s.reconcile_put_items(&[
        item("a", 0, "f:k1", &["Valley Watch", "ttp"]),
        item("a", 1, "r:k2", &[]),
        item("b", 0, "f:k1", &["ttp"]),
    ])
    .unwrap();
    assert_eq!(
        s.reconcile_keys_of_docs(&["a".into(), "zz".into()])
            .unwrap(),
        ["f:k1", "r:k2"]
    );
    let naming = s.reconcile_items_naming(&["ttp".into()]).unwrap();
    assert_eq!(
        naming,
        [
            item("a", 0, "f:k1", &["Valley Watch", "ttp"]),
            item("b", 0, "f:k1", &["ttp"])
        ]
    );
    // Putting an item again replaces it and the names it is found by.
    s.reconcile_put_items(&[item("a", 0, "f:k3", &["Valley Watch"])])
        .unwrap();
    assert_eq!(s.reconcile_items_naming(&["ttp".into()]).unwrap().len(), 1);
    assert_eq!(
        s.reconcile_items_naming(&["Valley Watch".into()]).unwrap()[0].key,
        "f:k3"
    );
    s.reconcile_set_terms(&[
        ("ttp".into(), "1".into()),
        ("Valley Watch".into(), "x".into()),
    ])
    .unwrap();
    s.reconcile_set_terms(&[("ttp".into(), "2".into())])
        .unwrap();
    let mut terms = s.reconcile_terms().unwrap();
    terms.sort();
    assert_eq!(
        terms,
        [
            ("Valley Watch".into(), "x".into()),
            ("ttp".into(), "2".into())
        ]
    );
    // Documents are recorded as reconciled; the store's own documents are not yet.
    let mut s = s;
    insert(&mut s, "a", "sha-a", &analysis("a")).unwrap();
    insert(&mut s, "b", "sha-b", &analysis("b")).unwrap();
    assert_eq!(s.reconcile_missing_docs().unwrap(), ["a", "b"]);
    s.reconcile_mark_docs(&["b".into(), "b".into(), "nobody".into()])
        .unwrap();
    assert_eq!(s.reconcile_missing_docs().unwrap(), ["a"]);
    s.set_reconcile_valid_for(Some("fp-1")).unwrap();
    assert_eq!(s.reconcile_valid_for().unwrap().as_deref(), Some("fp-1"));
    s.set_reconcile_valid_for(None).unwrap();
    assert_eq!(s.reconcile_valid_for().unwrap(), None);
}

pub fn reconcile_keys_are_recomputed_from_their_items_and_copy_clusters<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[("orig", "sha-o"), ("other", "sha-x")]);
    // Two copies of `orig`, one of them copied again: one cluster of four.
    for (id, of) in [("copy", "orig"), ("copy2", "copy"), ("copy3", "orig")] {
        let mut doc = document(id, &format!("sha-{id}"), TEXT);
        doc.near_duplicate_of = Some(of.into());
        s.insert_document(&NewDocument {
            doc: &doc,
            fingerprint: &[],
            bands: &[],
            analysis: &Analysis::default(),
        })
        .unwrap();
    }
    s.reconcile_put_items(&[
        item("copy2", 0, "f:k", &[]),
        item("other", 0, "f:k", &[]),
        item("other", 1, "r:gone", &[]),
    ])
    .unwrap();
    let keys: Vec<String> = vec!["f:k".into(), "r:gone".into(), "f:none".into()];
    s.reconcile_mark_dirty(&["f:k".into(), "f:later".into()])
        .unwrap();
    s.reconcile_mark_dirty(&["f:k".into()]).unwrap();
    assert_eq!(s.reconcile_dirty_keys().unwrap(), ["f:k", "f:later"]);
    s.reconcile_update_keys(&keys, &mut echo).unwrap();
    // Recomputing a key clears its mark; others stay for whoever recomputes them.
    assert_eq!(s.reconcile_dirty_keys().unwrap(), ["f:later"]);
    assert_eq!(
        sorted_disputes(&s),
        [
            "f:k copy2:0,other:0 | copy,copy2,copy3,orig,other",
            "r:gone other:1 | other",
        ]
    );
    assert_eq!(s.reconcile_results(true).unwrap().len(), 2);
    assert!(s
        .reconcile_results(true)
        .unwrap()
        .iter()
        .all(|r| r.corroboration == "c"));
    // An item moves to another key: recomputing both leaves the old one empty (dropped).
    s.reconcile_put_items(&[item("other", 1, "f:k", &[])])
        .unwrap();
    s.reconcile_update_keys(&keys, &mut echo).unwrap();
    assert_eq!(
        sorted_disputes(&s),
        ["f:k copy2:0,other:0,other:1 | copy,copy2,copy3,orig,other"]
    );
    // Another handle sees what was written.
    let again = b.again();
    assert_eq!(sorted_disputes(&again).len(), 1);
}

pub fn curation_marks_reconciliation_stale<B: Backend>(b: &mut B) {
    // Nothing stored: nothing can be stale.
    let mut empty = b.fresh();
    empty.sync_registry("r1", &registry()).unwrap();
    assert_eq!(
        empty.reconcile_valid_for().unwrap().as_deref(),
        Some(RECONCILE_EMPTY)
    );
    let mut s = store_with(b, &[("a", "sha-a")]);
    let valid = |s: &B::S| s.reconcile_valid_for().unwrap();
    s.set_reconcile_valid_for(Some("fp")).unwrap();
    let m = s
        .merge_entities("lashkar-front", "hill-militia-council")
        .unwrap();
    assert_eq!(valid(&s), None);
    s.set_reconcile_valid_for(Some("fp")).unwrap();
    s.undo_merge(m).unwrap();
    assert_eq!(valid(&s), None);
    s.set_reconcile_valid_for(Some("fp")).unwrap();
    s.promote_entity("hill-militia-council").unwrap();
    assert_eq!(valid(&s), None);
    s.set_reconcile_valid_for(Some("fp")).unwrap();
    assert!(!s.sync_registry("r1", &registry()).unwrap());
    assert_eq!(valid(&s).as_deref(), Some("fp"), "an unchanged registry");
    let mut changed = registry();
    changed[0].aliases.push("the Front".into());
    assert!(s.sync_registry("r2", &changed).unwrap());
    assert_eq!(valid(&s), None);
}

pub fn a_full_rebuild_replaces_everything_unless_documents_arrived<B: Backend>(b: &mut B) {
    let mut s = store_with(b, &[("a", "sha-a"), ("b", "sha-b")]);
    s.reconcile_put_items(&[item("a", 0, "f:old", &["old name"])])
        .unwrap();
    s.reconcile_set_terms(&[("old name".into(), "1".into())])
        .unwrap();
    s.reconcile_update_keys(&["f:old".into()], &mut echo)
        .unwrap();
    let items = [
        item("a", 0, "f:new", &["ttp"]),
        item("b", 0, "f:new", &["ttp"]),
    ];
    let terms = [("ttp".to_string(), "state".to_string())];
    let quiet = ReconcileResult {
        disputes: "[]".into(),
        contested: "[]".into(),
        corroboration: "[1]".into(),
    };
    let results = [
        ("f:new".to_string(), result("new")),
        ("f:quiet".to_string(), quiet),
    ];
    s.reconcile_replace_all(&items, &terms, &results, "fp-2", 2)
        .unwrap();
    assert_eq!(s.reconcile_valid_for().unwrap().as_deref(), Some("fp-2"));
    assert!(s.reconcile_missing_docs().unwrap().is_empty());
    // Without corroboration, a key with nothing disputed is not read at all.
    assert_eq!(sorted_disputes(&s), ["[\"new\"]"]);
    assert_eq!(s.reconcile_results(true).unwrap().len(), 2);
    assert_eq!(s.reconcile_terms().unwrap(), terms);
    assert!(s
        .reconcile_items_naming(&["old name".into()])
        .unwrap()
        .is_empty());
    assert_eq!(
        s.reconcile_keys_of_docs(&["a".into(), "b".into()]).unwrap(),
        ["f:new"]
    );
    // Rebuilt from two documents while a third was stored: left stale.
    insert(&mut s, "c", "sha-c", &analysis("c")).unwrap();
    s.reconcile_replace_all(&items, &terms, &results, "fp-3", 2)
        .unwrap();
    assert_eq!(s.reconcile_valid_for().unwrap(), None);
}
