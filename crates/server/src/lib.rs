//! Dossier's HTTP face: a JSON API and a small browser UI over one [`Engine`].
//!
//! **Architecture invariant: only this crate knows HTTP.** Every route is a thin
//! translation: query string → engine/store call → JSON. Errors from below are mapped
//! to statuses in one table ([`error`]), so a user's bad input is a 4xx with advice and
//! never a 500.
//!
//! How the pieces fit:
//! - [`AppState`] holds the engine behind a `std::sync::Mutex`: `SqliteStore` is `Send`
//!   but not `Sync`, and SQLite serializes writers anyway. Every engine call runs in
//!   `spawn_blocking` so a slow query never stalls the async workers.
//! - [`cache`] keeps what is derived from the whole store (reconciliation, entity
//!   names, rendered actor dossiers) per store generation: computed on the first request
//!   after a write, by this server or another process, and shared by all requests.
//!   The generation is read on a second connection, so a cached dossier is sent
//!   without waiting for the engine.
//! - [`app`] builds the [`Router`]: the API under `/api`, `/openapi.json`, and the UI's
//!   three embedded files at fixed paths (no file system access, so no path traversal).
//! - Layers on every response: security headers (a CSP without inline script,
//!   `nosniff`), a request timeout, and a body limit for uploads. A timed-out request
//!   is answered at once, but its engine call finishes in the background (a blocking
//!   SQLite call cannot be cancelled) and holds the engine until then.
//! - Writes (upload, merge, undo, promote) need `Authorization: Bearer TOKEN`; a server
//!   started without a token refuses every write with 403.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use dossier_server::{serve, AppState, ServerConfig};
//! let engine = dossier_engine::Engine::open(std::path::Path::new("dossier.db"), None)?;
//! let state = AppState::new(engine, ServerConfig::default());
//! serve("127.0.0.1:8080".parse()?, state, |addr| eprintln!("serving on http://{addr}/"))?;
//! # Ok(()) }
//! ```

mod api;
mod cache;
mod error;
pub mod loadgen;
mod openapi;
mod params;
mod readers;
mod ui;
mod write;

pub use error::ApiError;
pub use params::{List, Page, DEFAULT_LIMIT, MAX_LIMIT};

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use dossier_engine::Engine;
use dossier_ingest::IngestConfig;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The Content-Security-Policy of every response: only this origin's files, no inline
/// script or style, no plugins, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";

/// How the server behaves; build with `Default` and override fields.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The bearer token writes need; `None` disables writes.
    pub token: Option<String>,
    /// Largest request body (uploads), in bytes (default 20 MiB).
    pub max_body_bytes: usize,
    /// A request still running after this is answered with 503 (default 30 s).
    pub request_timeout: Duration,
    /// How uploads are read (chrome rules, size limit).
    pub ingest: IngestConfig,
    /// Bytes of rendered actor dossiers kept for the current store generation
    /// (default 64 MiB; 0 disables the response cache).
    pub response_cache_bytes: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            token: None,
            max_body_bytes: 20 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            ingest: IngestConfig::default(),
            response_cache_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Errors starting or running the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("server runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    engine: Arc<Mutex<Engine>>,
    /// Read connections for uncached read routes; see [`readers`].
    readers: Arc<readers::Readers>,
    config: Arc<ServerConfig>,
    cache: Arc<cache::Cache>,
}

impl AppState {
    pub fn new(engine: Engine, config: ServerConfig) -> Self {
        // Without a second connection (in memory, or the file cannot be opened again)
        // the cache reads generations on the engine's connection.
        let watcher = match engine.store() {
            dossier_engine::AnyStore::Sqlite(s) => s.reopen().ok().flatten(),
            // PostgreSQL's generation is one sequence every connection reads alike.
            #[allow(unreachable_patterns)]
            _ => None,
        };
        let readers = Arc::new(readers::Readers::new(engine.store()));
        AppState {
            readers,
            engine: Arc::new(Mutex::new(engine)),
            cache: Arc::new(cache::Cache::new(config.response_cache_bytes, watcher)),
            config: Arc::new(config),
        }
    }

    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    pub(crate) fn cache(&self) -> Arc<cache::Cache> {
        Arc::clone(&self.cache)
    }

    /// Runs `f` with the engine on the blocking pool.
    /// Runs a write on the engine, then forgets the last answers kept for
    /// stale-while-revalidate (see `cache::STALE_FOR`): the writer reads its own write.
    pub(crate) async fn with_writer<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Engine) -> Result<T, ApiError> + Send + 'static,
    {
        let out = self.with_engine(f).await;
        self.cache.forget_stale();
        out
    }

    /// Runs a read on a pooled connection of its own (see [`readers`]), so it neither
    /// waits for the engine nor holds it; through the engine when the store cannot be
    /// reopened.
    pub(crate) async fn with_reader<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dossier_engine::AnyStore) -> Result<T, ApiError> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        let engine = Arc::clone(&self.engine);
        tokio::task::spawn_blocking(move || {
            if let Some(lease) = readers.lease() {
                if let Some(store) = lease.store() {
                    return f(store);
                }
            }
            f(lock(&engine).store())
        })
        .await
        .map_err(ApiError::internal)?
    }

    pub(crate) async fn with_engine<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Engine) -> Result<T, ApiError> + Send + 'static,
    {
        let engine = Arc::clone(&self.engine);
        tokio::task::spawn_blocking(move || f(&mut lock(&engine)))
            .await
            .map_err(ApiError::internal)?
    }
}

/// Locks the engine, recovering from a panic in an earlier request: every store write
/// is one transaction, so a panicking request leaves nothing half-written.
fn lock(engine: &Mutex<Engine>) -> MutexGuard<'_, Engine> {
    engine
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The whole application, ready for `axum::serve` or a test's `oneshot`.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/search", get(api::search))
        .route("/stats", get(api::stats))
        .route("/entities", get(api::entities))
        .route("/entities/{id}", get(api::entity))
        .route("/entities/{id}/promote", post(write::promote))
        .route("/relations", get(api::relations))
        .route("/figures", get(api::figures))
        .route("/disputes", get(api::disputes))
        .route("/events", get(api::events))
        .route("/graph", get(api::graph))
        .route("/documents", get(api::documents).post(write::upload))
        .route("/documents/{id}", get(api::document))
        .route("/merge", post(write::merge))
        .route("/merge/{id}/undo", post(write::undo_merge));
    let limit = state.config.max_body_bytes;
    Router::new()
        .nest("/api", api)
        .route("/openapi.json", get(openapi::document))
        .merge(ui::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state(state.clone(), timeout))
        .layer(middleware::map_response(security_headers))
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route; GET /openapi.json lists them")
}

async fn timeout(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = state.config.request_timeout;
    // The deadline is looked at first: a request never gets past it, however fast the
    // work would be on its first poll (a zero limit always answers 503).
    let over = tokio::select! {
        biased;
        _ = tokio::time::sleep(limit) => None,
        resp = next.run(req) => Some(resp),
    };
    match over {
        Some(resp) => resp,
        None => axum::response::IntoResponse::into_response(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {} s; narrow it down (filters, a smaller limit)",
                limit.as_secs()
            ),
        )),
    }
}

async fn security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    resp
}

/// Serves `state` on `addr` until Ctrl-C, on a runtime of its own (the caller needs no
/// async code). `on_ready` is told the bound address (the port may have been 0) once
/// requests are accepted, for the caller to announce it.
pub fn serve(
    addr: SocketAddr,
    state: AppState,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServerError::Runtime)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| ServerError::Bind { addr, source })?;
        on_ready(listener.local_addr().unwrap_or(addr));
        axum::serve(listener, app(state))
            .with_graceful_shutdown(async {
                // If the signal handler cannot be installed the server just runs on.
                if tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            })
            .await
            .map_err(ServerError::Runtime)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use dossier_registry::Registry;
    use dossier_store::SqliteStore;
    use tower::ServiceExt;

    fn articles(name: &str, text: &str) -> Vec<dossier_ingest::Article> {
        dossier_ingest::read_bytes(name, text.as_bytes(), &IngestConfig::default())
            .into_iter()
            .map(|a| a.expect("article"))
            .collect()
    }

    async fn get(router: &Router, uri: &str) -> (bool, serde_json::Value) {
        let req = Request::builder()
            .uri(uri)
            .body(Body::empty())
            .expect("request");
        let resp = router.clone().oneshot(req).await.expect("response");
        assert_eq!(resp.status(), StatusCode::OK);
        let stale = resp.headers().contains_key("x-dossier-stale");
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("body");
        (stale, serde_json::from_slice(&body).expect("json"))
    }

    /// After a commit by another process, a dossier request gets the last answer at
    /// once, marked stale, and a background task renders the new one, which a later
    /// request gets. A write through the server itself is never answered stale.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_dossier_is_served_stale_while_the_new_one_is_rendered() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("s.db");
        let open = || {
            Engine::new(
                dossier_engine::AnyStore::from(SqliteStore::open(&path).expect("store")),
                Registry::builtin().expect("registry"),
            )
            .expect("engine")
        };
        let mut engine = open();
        let first = "Bannu Attack\n\nTTP militants attacked a police post in Bannu.";
        engine
            .ingest_articles(articles("a.txt", first), &mut |_| {})
            .expect("ingest");
        let router = app(AppState::new(engine, ServerConfig::default()));
        let (stale, before) = get(&router, "/api/entities/ttp").await;
        assert!(!stale);
        // Another process ingests.
        let second = "Kurram Raid\n\nThe TTP raided a checkpoint in Kurram, officials said.";
        open()
            .ingest_articles(articles("b.txt", second), &mut |_| {})
            .expect("second ingest");
        let (stale, answer) = get(&router, "/api/entities/ttp").await;
        assert!(
            stale,
            "the last answer is served while the new one is rendered"
        );
        assert_eq!(answer, before);
        // The background render lands (polled: a deadlock guard, not a latency bound).
        let mut fresh = None;
        for _ in 0..600 {
            let (stale, v) = get(&router, "/api/entities/ttp").await;
            if !stale {
                fresh = Some(v);
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let fresh = fresh.expect("the new dossier was rendered in the background");
        assert_ne!(fresh, before, "the new document shows in the fresh dossier");
    }

    /// A search is answered while the engine is busy (held here): it reads on a pooled
    /// connection. Were it to need the engine, it would wait for ever and the deadline
    /// (a deadlock guard, not a latency bound) would fail the test.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_search_is_answered_while_the_engine_is_held() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(&dir.path().join("s.db")).expect("store");
        let mut engine = Engine::new(
            dossier_engine::AnyStore::from(store),
            Registry::builtin().expect("registry"),
        )
        .expect("engine");
        let text = "Border Clash\n\nMilitants attacked a checkpoint near the border town.";
        engine
            .ingest_articles(articles("clash.txt", text), &mut |_| {})
            .expect("ingest");
        let state = AppState::new(engine, ServerConfig::default());
        let router = app(state.clone());
        // The engine is held by another thread until the search has been answered.
        let (locked_tx, locked_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let engine = Arc::clone(&state.engine);
        let holder = std::thread::spawn(move || {
            let _held = lock(&engine);
            let _ = locked_tx.send(());
            let _ = release_rx.recv();
        });
        locked_rx.recv().expect("engine held");
        let req = Request::builder()
            .uri("/api/search?q=checkpoint")
            .body(Body::empty())
            .expect("request");
        let resp = tokio::time::timeout(Duration::from_secs(60), router.oneshot(req))
            .await
            .expect("the search waited for the engine")
            .expect("response");
        let _ = release_tx.send(());
        holder.join().expect("holder thread");
        assert_eq!(resp.status(), StatusCode::OK);
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("body");
        let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
        assert_eq!(v["items"].as_array().map(Vec::len), Some(1), "{v}");
    }
}
