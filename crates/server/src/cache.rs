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
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use dossier_engine::{Engine, Reconciliation};
use dossier_store::{SqliteStore, Store, StoreError};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The oldest answer served while a newer one is computed (stale-while-revalidate).
///
/// While `dossier ingest` runs beside the server, every commit (every second or so)
/// changes the generation, so every dossier request was a miss recomputing the
/// dossier on the engine. Instead, a request that misses gets the last answer rendered
/// for the same name, if it was rendered at most this long ago, with the header
/// `x-dossier-stale: 1`, and one background task per name recomputes it. A
/// write through this server (upload, merge, undo, promote) forgets every such answer,
/// so the writer reads its own write.
pub(crate) const STALE_FOR: Duration = Duration::from_secs(30);

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

/// The response-cache key of an entity's dossier.
pub(crate) fn entity_key(id: &str) -> String {
    format!("entity:{id}")
}

/// A JSON answer ready to send, with its gzip form when it is worth one.
///
/// A popular actor's dossier is megabytes of JSON (every relation with its quoted
/// sentence); sending it was what bounded throughput once it was cached, so it is
/// compressed once per store generation, and every client that accepts gzip (every
/// browser) gets the few hundred kilobytes instead.
#[derive(Clone, Debug)]
pub(crate) struct Rendered {
    json: Bytes,
    gzip: Option<Bytes>,
}

/// Below this a body fits in a packet or two and compressing saves nothing.
const GZIP_MIN_BYTES: usize = 4096;

impl Rendered {
    pub fn new(json: Vec<u8>) -> Self {
        let gzip = (json.len() >= GZIP_MIN_BYTES)
            .then(|| {
                // Fast level: most of the size gain of the best one at a fraction of
                // its time, which a cache miss pays.
                let mut enc = flate2::write::GzEncoder::new(
                    Vec::with_capacity(json.len() / 4),
                    flate2::Compression::fast(),
                );
                enc.write_all(&json).and_then(|()| enc.finish()).ok()
            })
            .flatten()
            .filter(|z| z.len() < json.len())
            .map(Bytes::from);
        Rendered {
            json: Bytes::from(json),
            gzip,
        }
    }

    fn len(&self) -> usize {
        self.json.len() + self.gzip.as_ref().map_or(0, Bytes::len)
    }

    /// The response for a request with these headers.
    pub fn respond(self, request: &HeaderMap) -> Response {
        let json = HeaderValue::from_static("application/json");
        match self.gzip {
            Some(z) if accepts_gzip(request) => (
                [
                    (header::CONTENT_TYPE, json),
                    (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
                    (header::VARY, HeaderValue::from_static("accept-encoding")),
                ],
                z,
            )
                .into_response(),
            _ => (
                [
                    (header::CONTENT_TYPE, json),
                    (header::VARY, HeaderValue::from_static("accept-encoding")),
                ],
                self.json,
            )
                .into_response(),
        }
    }
}

/// Whether `Accept-Encoding` allows gzip (`gzip` or `*`, not with `q=0`).
fn accepts_gzip(request: &HeaderMap) -> bool {
    request
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// The per-generation cache shared by every request.
pub(crate) struct Cache {
    inner: Mutex<Inner>,
    max_response_bytes: usize,
    /// A second connection that only reads the generation, so a cache hit never waits
    /// for the engine's connection (busy with a search or a cache miss). Every
    /// generation number comes from it when there is one: numbers from two connections
    /// are not comparable. `None` for in-memory stores.
    watcher: Option<Mutex<SqliteStore>>,
    /// Last answers of any generation, for stale-while-revalidate (see [`STALE_FOR`]).
    stale: Mutex<Stale>,
}

/// Last rendered dossiers by the name asked for, whatever their generation.
#[derive(Default)]
struct Stale {
    answers: HashMap<String, (Rendered, Instant)>,
    bytes: usize,
    /// Names being recomputed in the background: one task per name.
    refreshing: HashSet<String>,
    /// Bumped by each write through this server: answers computed before it are not kept.
    epoch: u64,
}

#[derive(Default)]
struct Inner {
    generation: Option<u64>,
    derived: Option<Arc<Derived>>,
    names: Option<Arc<HashMap<String, String>>>,
    responses: HashMap<String, Rendered>,
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
    pub fn new(max_response_bytes: usize, watcher: Option<SqliteStore>) -> Self {
        Cache {
            inner: Mutex::new(Inner::default()),
            max_response_bytes,
            watcher: watcher.map(Mutex::new),
            stale: Mutex::default(),
        }
    }

    fn stale_lock(&self) -> MutexGuard<'_, Stale> {
        self.stale
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The write epoch, read before computing an answer to [`Cache::remember`].
    pub fn epoch(&self) -> u64 {
        self.stale_lock().epoch
    }

    /// Keeps `body` as the last answer for `name`, unless a write through this server
    /// happened since `epoch` was read. Bounded like the responses: past the bound the
    /// older answers are dropped.
    pub fn remember(&self, epoch: u64, name: &str, body: &Rendered) {
        if body.len() > self.max_response_bytes {
            return;
        }
        let mut st = self.stale_lock();
        if st.epoch != epoch {
            return;
        }
        if st.bytes + body.len() > self.max_response_bytes {
            st.answers.clear();
            st.bytes = 0;
        }
        st.bytes += body.len();
        if let Some((old, _)) = st
            .answers
            .insert(name.to_string(), (body.clone(), Instant::now()))
        {
            st.bytes -= old.len();
        }
    }

    /// The last answer for `name`, if rendered within [`STALE_FOR`].
    pub fn stale(&self, name: &str) -> Option<Rendered> {
        let st = self.stale_lock();
        let (body, at) = st.answers.get(name)?;
        (at.elapsed() <= STALE_FOR).then(|| body.clone())
    }

    /// Claims the background recomputation of `name`: `false` when one is under way.
    pub fn begin_refresh(&self, name: &str) -> bool {
        self.stale_lock().refreshing.insert(name.to_string())
    }

    pub fn end_refresh(&self, name: &str) {
        self.stale_lock().refreshing.remove(name);
    }

    /// Forgets every last answer: called by writes through this server.
    pub fn forget_stale(&self) {
        let mut st = self.stale_lock();
        st.epoch += 1;
        st.answers.clear();
        st.bytes = 0;
    }

    /// The store's generation, read before computing anything to be cached under it
    /// (see the module docs).
    pub fn generation(&self, engine: &Engine) -> Result<u64, StoreError> {
        match &self.watcher {
            Some(w) => w
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .generation(),
            None => engine.store().generation(),
        }
    }

    /// The generation as the watcher sees it, without the engine; `None` without one.
    pub fn watched_generation(&self) -> Option<Result<u64, StoreError>> {
        self.watcher.as_ref().map(|w| {
            w.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .generation()
        })
    }

    /// A cached response for the name `name` resolved in `generation`, if both are
    /// cached; never computes.
    pub fn peek_entity(&self, generation: u64, name: &str) -> Option<Rendered> {
        let mut inner = self.lock();
        let inner = inner.at(generation);
        let id = inner.resolved.get(name)?.as_ref()?;
        inner.responses.get(&entity_key(id)).cloned()
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
    pub fn response(&self, generation: u64, key: &str) -> Option<Rendered> {
        self.lock().at(generation).responses.get(key).cloned()
    }

    /// Keeps a rendered response. When the bound would be passed, the older responses
    /// are all dropped: simpler than LRU bookkeeping, and the hot ones come back on the
    /// next request. A response larger than the whole bound is not kept.
    pub fn put_response(&self, generation: u64, key: String, body: Rendered) {
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

    #[test]
    fn last_answers_are_served_once_each_refresh_claimed_and_forgotten_on_a_write() {
        let cache = Cache::new(1 << 20, None);
        assert!(cache.stale("ttp").is_none());
        let epoch = cache.epoch();
        cache.remember(epoch, "ttp", &Rendered::new(b"{\"a\":1}".to_vec()));
        assert!(cache.stale("ttp").is_some());
        assert!(cache.stale("TTP").is_none());
        assert!(cache.begin_refresh("ttp"));
        assert!(!cache.begin_refresh("ttp"), "one refresh per name");
        cache.end_refresh("ttp");
        assert!(cache.begin_refresh("ttp"));
        // A write forgets, and an answer computed before the write is not kept.
        cache.forget_stale();
        assert!(cache.stale("ttp").is_none());
        cache.remember(epoch, "ttp", &Rendered::new(b"{}".to_vec()));
        assert!(cache.stale("ttp").is_none());
        // Bounded: an answer larger than the bound is not kept.
        let small = Cache::new(8, None);
        small.remember(small.epoch(), "x", &Rendered::new(vec![b' '; 64]));
        assert!(small.stale("x").is_none());
    }
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
        let cache = Cache::new(1000, None);
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
        let cache = Cache::new(0, None);
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
        let r = |b: &[u8]| Rendered::new(b.to_vec());
        let body = |x: Option<Rendered>| x.map(|x| x.json.to_vec());
        let cache = Cache::new(10, None);
        cache.put_response(1, "a".into(), r(b"123456"));
        assert_eq!(body(cache.response(1, "a")), Some(b"123456".to_vec()));
        cache.put_response(1, "b".into(), r(b"123456"));
        assert_eq!(
            body(cache.response(1, "a")),
            None,
            "over the bound: older ones go"
        );
        assert!(cache.response(1, "b").is_some());
        cache.put_response(1, "c".into(), r(b"12345678901"));
        assert!(cache.response(1, "c").is_none(), "larger than the bound");
        assert!(cache.response(2, "b").is_none(), "another generation");
        cache.put_response(1, "d".into(), r(b"1"));
        assert!(cache.response(2, "d").is_none(), "a stale put is ignored");
    }

    #[test]
    fn large_answers_are_gzipped_for_clients_that_accept_it() {
        let big = format!("[{}1]", "1234567890,".repeat(2000)).into_bytes();
        let rendered = Rendered::new(big.clone());
        let zipped = rendered.gzip.clone().expect("worth compressing");
        assert!(zipped.len() < big.len() / 10);
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&zipped[..]), &mut back)
            .unwrap();
        assert_eq!(back, big);
        assert!(Rendered::new(b"{}".to_vec()).gzip.is_none(), "small: as is");

        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            h
        };
        for (accept, gz) in [
            ("gzip, deflate, br", true),
            ("br;q=1.0, GZIP;q=0.5", true),
            ("*", true),
            ("gzip;q=0", false),
            ("deflate", false),
            ("", false),
        ] {
            assert_eq!(accepts_gzip(&with(accept)), gz, "{accept}");
            let resp = rendered.clone().respond(&with(accept));
            assert_eq!(
                resp.headers().get(header::CONTENT_ENCODING).is_some(),
                gz,
                "{accept}"
            );
        }
        assert!(!accepts_gzip(&HeaderMap::new()));
    }
}
