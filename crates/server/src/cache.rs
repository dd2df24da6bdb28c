//! Results derived from the whole store, computed once per store generation.
//!
//! Reconciliation reads every figure, relation and document of the store (hundreds of
//! milliseconds on 10,000 documents), yet it only changes when the store does. So the
//! server keys what it derives by [`Store::generation`](dossier_store::Store::generation)
//! — which changes on any commit, by this server (upload, merge) or by another process
//! (`dossier ingest` next to a running server) — and recomputes lazily on the first
//! request after a write. Rendered actor dossiers are kept the same way, bounded in
//! bytes, so a popular actor's page is served without touching the store again.
//!
//! Every lookup states the generation it read *before* computing, so a result computed
//! while a write landed is stored under the older number and dropped at the next
//! request: a cache entry can be needlessly recomputed, never served stale.

use axum::body::Bytes;
use dossier_engine::Reconciliation;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// What reconciliation found, with the lookups the routes need from it.
pub(crate) struct Derived {
    pub rec: Reconciliation,
    /// `(doc, figure text)` → the classification of the first dispute (other than
    /// `within_tolerance`) that figure is part of. A linear search per figure made a
    /// dossier with 2,000 figures cost seconds.
    disputed: HashMap<(String, String), String>,
}

impl Derived {
    pub fn new(rec: Reconciliation) -> Self {
        let mut disputed = HashMap::new();
        for d in rec
            .disputes
            .iter()
            .filter(|d| d.classification != "within_tolerance")
        {
            for f in &d.figures {
                disputed
                    .entry((f.doc.clone(), f.text.clone()))
                    .or_insert_with(|| d.classification.clone());
            }
        }
        Derived { rec, disputed }
    }

    /// The dispute classification of a figure, when reconciliation found it disputed.
    pub fn dispute_of(&self, doc: &str, text: &str) -> Option<String> {
        // A borrowed two-part key cannot be looked up without allocating; figures are
        // few per page, so the copies are cheap next to the search this replaces.
        self.disputed
            .get(&(doc.to_string(), text.to_string()))
            .cloned()
    }
}

/// The per-generation cache shared by every request.
pub(crate) struct Cache {
    inner: Mutex<Inner>,
    max_response_bytes: usize,
}

#[derive(Default)]
struct Inner {
    generation: Option<u64>,
    derived: Option<Arc<Derived>>,
    names: Option<Arc<HashMap<String, String>>>,
    responses: HashMap<String, Bytes>,
    response_bytes: usize,
    /// What a typed name resolved to (an entity id, or nothing).
    resolved: HashMap<String, Option<String>>,
}

/// Names remembered per generation; past this the map starts afresh, so a client
/// asking for endless made-up names cannot grow it.
const MAX_RESOLVED: usize = 10_000;

impl Inner {
    /// Forgets everything computed from another generation.
    fn at(&mut self, generation: u64) -> &mut Self {
        if self.generation != Some(generation) {
            *self = Inner {
                generation: Some(generation),
                ..Inner::default()
            };
        }
        self
    }
}

impl Cache {
    pub fn new(max_response_bytes: usize) -> Self {
        Cache {
            inner: Mutex::new(Inner::default()),
            max_response_bytes,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The cache holds only derived data: after a panic elsewhere it is still
        // consistent (every update is a single assignment).
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The reconciliation of `generation`, computed by `compute` if not cached. The
    /// caller holds the engine, so two requests never compute it at once.
    pub fn derived<E>(
        &self,
        generation: u64,
        compute: impl FnOnce() -> Result<Reconciliation, E>,
    ) -> Result<Arc<Derived>, E> {
        if let Some(d) = &self.lock().at(generation).derived {
            return Ok(Arc::clone(d));
        }
        let d = Arc::new(Derived::new(compute()?));
        let mut inner = self.lock();
        if inner.generation == Some(generation) {
            inner.derived = Some(Arc::clone(&d));
        }
        Ok(d)
    }

    /// Entity id → canonical name for `generation`.
    pub fn names<E>(
        &self,
        generation: u64,
        compute: impl FnOnce() -> Result<HashMap<String, String>, E>,
    ) -> Result<Arc<HashMap<String, String>>, E> {
        if let Some(n) = &self.lock().at(generation).names {
            return Ok(Arc::clone(n));
        }
        let n = Arc::new(compute()?);
        let mut inner = self.lock();
        if inner.generation == Some(generation) {
            inner.names = Some(Arc::clone(&n));
        }
        Ok(n)
    }

    /// The entity id `name` resolves to in `generation`, resolved by `compute` if not
    /// remembered. Resolving ranks every candidate by its mentions: cheap once, but
    /// on every request it was most of the cost of a cached dossier.
    pub fn resolve<E>(
        &self,
        generation: u64,
        name: &str,
        compute: impl FnOnce() -> Result<Option<String>, E>,
    ) -> Result<Option<String>, E> {
        if let Some(id) = self.lock().at(generation).resolved.get(name) {
            return Ok(id.clone());
        }
        let id = compute()?;
        let mut inner = self.lock();
        if inner.generation == Some(generation) {
            if inner.resolved.len() >= MAX_RESOLVED {
                inner.resolved.clear();
            }
            inner.resolved.insert(name.to_string(), id.clone());
        }
        Ok(id)
    }

    /// A rendered response of `generation`, if cached.
    pub fn response(&self, generation: u64, key: &str) -> Option<Bytes> {
        self.lock().at(generation).responses.get(key).cloned()
    }

    /// Keeps a rendered response. When the bound would be passed, the older responses
    /// are all dropped: simpler than LRU bookkeeping, and the hot ones come back on the
    /// next request. A response larger than the whole bound is not kept.
    pub fn put_response(&self, generation: u64, key: String, body: Bytes) {
        if body.len() > self.max_response_bytes {
            return;
        }
        let mut inner = self.lock();
        // A response of an older generation than the cache's is dropped; the first
        // one seen starts the cache.
        if inner.generation.is_none() {
            inner.at(generation);
        }
        if inner.generation != Some(generation) {
            return;
        }
        if inner.response_bytes + body.len() > self.max_response_bytes {
            inner.responses.clear();
            inner.response_bytes = 0;
        }
        inner.response_bytes += body.len();
        if let Some(old) = inner.responses.insert(key, body) {
            inner.response_bytes -= old.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_model::{Bound, Dispute, DisputedFigure, Metric};
    use std::cell::Cell;

    fn rec(classes: &[&str]) -> Reconciliation {
        let fig = |doc: &str| DisputedFigure {
            doc: doc.into(),
            value: 1.0,
            value_max: None,
            bound: Bound::Exact,
            source: None,
            text: "12 attacks".into(),
        };
        Reconciliation {
            disputes: classes
                .iter()
                .map(|c| Dispute {
                    topic: "attacks".into(),
                    metric: Metric::Attacks,
                    subject: None,
                    period: None,
                    figures: vec![fig("a"), fig("b")],
                    classification: (*c).to_string(),
                    explanation: String::new(),
                })
                .collect(),
            contested: Vec::new(),
            corroboration: Vec::new(),
        }
    }

    #[test]
    fn derived_is_computed_once_per_generation() {
        let cache = Cache::new(1000);
        let runs = Cell::new(0);
        let compute = || {
            runs.set(runs.get() + 1);
            Ok::<_, ()>(rec(&["conflict"]))
        };
        cache.derived(1, compute).unwrap();
        cache.derived(1, compute).unwrap();
        assert_eq!(runs.get(), 1);
        cache.derived(2, compute).unwrap();
        assert_eq!(runs.get(), 2, "a new generation recomputes");
        assert!(cache
            .derived(3, || Err::<Reconciliation, _>("boom"))
            .is_err());
        cache.derived(3, compute).unwrap();
        assert_eq!(runs.get(), 3, "an error is not cached");
    }

    #[test]
    fn names_are_resolved_once_per_generation() {
        let cache = Cache::new(0);
        let runs = Cell::new(0);
        let compute = || {
            runs.set(runs.get() + 1);
            Ok::<_, ()>(Some("ttp".to_string()))
        };
        assert_eq!(cache.resolve(1, "TTP", compute), Ok(Some("ttp".into())));
        assert_eq!(cache.resolve(1, "TTP", compute), Ok(Some("ttp".into())));
        assert_eq!(runs.get(), 1);
        cache.resolve(1, "Pakistani Taliban", compute).unwrap();
        cache.resolve(2, "TTP", compute).unwrap();
        assert_eq!(runs.get(), 3);
        assert_eq!(cache.resolve(2, "nobody", || Ok::<_, ()>(None)), Ok(None));
        assert_eq!(
            cache.resolve(2, "nobody", compute),
            Ok(None),
            "a miss is remembered"
        );
    }

    #[test]
    fn the_first_real_dispute_classifies_a_figure() {
        let d = Derived::new(rec(&["within_tolerance", "scope_mismatch", "conflict"]));
        assert_eq!(
            d.dispute_of("b", "12 attacks").as_deref(),
            Some("scope_mismatch")
        );
        assert_eq!(d.dispute_of("c", "12 attacks"), None);
        let d = Derived::new(rec(&["within_tolerance"]));
        assert_eq!(d.dispute_of("a", "12 attacks"), None);
    }

    #[test]
    fn responses_are_bounded_and_dropped_on_a_new_generation() {
        let cache = Cache::new(10);
        cache.put_response(1, "a".into(), Bytes::from_static(b"123456"));
        assert_eq!(cache.response(1, "a").as_deref(), Some(&b"123456"[..]));
        cache.put_response(1, "b".into(), Bytes::from_static(b"123456"));
        assert_eq!(
            cache.response(1, "a"),
            None,
            "over the bound: older ones go"
        );
        assert!(cache.response(1, "b").is_some());
        cache.put_response(1, "c".into(), Bytes::from_static(b"12345678901"));
        assert_eq!(cache.response(1, "c"), None, "larger than the bound");
        assert_eq!(cache.response(2, "b"), None, "another generation");
        cache.put_response(1, "d".into(), Bytes::from_static(b"1"));
        assert_eq!(cache.response(2, "d"), None, "a stale put is ignored");
    }
}
