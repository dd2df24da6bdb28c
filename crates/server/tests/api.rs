//! The API tested through `oneshot` (no port bound) over a temporary store filled with
//! a few sentences written for these tests.

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use dossier_engine::Engine;
use dossier_ingest::{read_bytes, IngestConfig};
use dossier_registry::Registry;
use dossier_server::{app, AppState, ServerConfig};
use dossier_store::SqliteStore;
use serde_json::Value;
use tower::ServiceExt;

const TOKEN: &str = "test-token-123";

const BORDER: &str = "Border Violence Rises\n\n\
The Tehrik-i-Taliban Pakistan (TTP) carried out 120 attacks in Khyber Pakhtunkhwa in 2024, \
according to a Peshawar think tank. The Afghan Taliban support the TTP, a UN monitoring \
report said. On 3 March 2024 TTP militants attacked a police checkpoint in Bannu, killing \
five policemen.";

const DENIAL: &str = "Kabul Rejects Claims\n\n\
The Afghan Taliban denied supporting the TTP. Officials in Islamabad said the TTP carried \
out 300 attacks in Khyber Pakhtunkhwa in 2024.";

const HOSTILE: &str = "Markup In Text\n\n\
A reader pasted <script>alert(1)</script> and <img src=x onerror=alert(2)> into a comment \
about the TTP in Bannu.";

struct Fixture {
    app: Router,
}

fn fixture_with(config: ServerConfig) -> Fixture {
    // In memory, so the shared fixture leaves no file behind.
    let store = SqliteStore::open_in_memory().expect("store");
    let mut engine = Engine::new(
        dossier_engine::AnyStore::from(store),
        Registry::builtin().expect("registry"),
    )
    .expect("engine");
    let mut articles = Vec::new();
    for (name, text) in [
        ("border.txt", BORDER),
        ("denial.txt", DENIAL),
        ("hostile.txt", HOSTILE),
    ] {
        for a in read_bytes(name, text.as_bytes(), &IngestConfig::default()) {
            articles.push(a.expect("article"));
        }
    }
    let report = engine
        .ingest_articles(articles, &mut |_| {})
        .expect("ingest");
    assert_eq!(report.new, 3, "{report:?}");
    Fixture {
        app: app(AppState::new(engine, config)),
    }
}

fn fixture() -> Fixture {
    fixture_with(ServerConfig {
        token: Some(TOKEN.into()),
        ..ServerConfig::default()
    })
}

/// One fixture for the tests that only read: building one costs the pipeline's start-up
/// and an ingest, and the router is runtime-agnostic, so each test's runtime can use it.
fn shared() -> &'static Fixture {
    static SHARED: std::sync::OnceLock<Fixture> = std::sync::OnceLock::new();
    SHARED.get_or_init(fixture)
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }
}

async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    token: Option<&str>,
    body: Vec<u8>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::from(body)).expect("request"))
        .await
        .expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Method::GET, uri, None, Vec::new()).await
}

/// A 200 with a JSON page of items.
async fn list(app: &Router, uri: &str) -> Vec<Value> {
    let r = get(app, uri).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{uri}: {}",
        String::from_utf8_lossy(&r.body)
    );
    let v = r.json();
    assert!(v["limit"].is_u64() && v["offset"].is_u64(), "{uri}: {v}");
    v["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn every_list_route_answers_a_page() {
    let f = shared();
    let hits = list(&f.app, "/api/search?q=attacks").await;
    assert!(hits.iter().any(|h| h["doc"] == "border"), "{hits:?}");
    assert!(hits[0]["snippet"].as_str().unwrap().contains("«"));

    let ents = list(&f.app, "/api/entities?q=taliban").await;
    assert!(ents
        .iter()
        .any(|e| e["id"] == "ttp" && e["mentions"].as_u64() > Some(0)));
    let groups = list(&f.app, "/api/entities?type=armed_group&limit=500").await;
    assert!(groups.iter().all(|e| e["type"] == "armed_group"));

    let rels = list(&f.app, "/api/relations?entity=TTP").await;
    for r in &rels {
        assert!(r["source_name"].is_string() && r["start"].is_u64(), "{r}");
    }
    let figs = list(&f.app, "/api/figures?subject=TTP&metric=attacks").await;
    assert!(!figs.is_empty(), "no attack figures for the TTP");
    assert!(figs
        .iter()
        .all(|x| x["metric"] == "attacks" && x.get("dispute").is_some()));

    list(&f.app, "/api/events?actor=TTP&from=2024&to=2024").await;
    let docs = list(&f.app, "/api/documents?limit=2").await;
    assert_eq!(docs.len(), 2);
    assert!(docs[0].get("text").is_none(), "lists carry metadata only");
    let rest = list(&f.app, "/api/documents?limit=2&offset=2").await;
    assert_eq!(rest.len(), 1);
}

#[tokio::test]
async fn dossier_graph_disputes_and_stats_have_their_shape() {
    let f = shared();
    // Any alias works as the id.
    let r = get(&f.app, "/api/entities/Pakistani%20Taliban").await;
    assert_eq!(r.status, StatusCode::OK);
    let d = r.json();
    assert_eq!(d["entity"]["id"], "ttp");
    for key in [
        "aliases",
        "relations",
        "figures",
        "events",
        "documents",
        "contested",
    ] {
        assert!(d[key].is_array(), "{key} missing");
    }
    assert_eq!(
        d["figure_disputes"].as_array().map(Vec::len),
        d["figures"].as_array().map(Vec::len)
    );

    let g = get(&f.app, "/api/graph").await.json();
    assert!(g["nodes"].is_array() && g["edges"].is_array());
    for e in g["edges"].as_array().unwrap() {
        assert!(e["docs"].as_u64() >= Some(1), "{e}");
    }

    let disputes = get(&f.app, "/api/disputes").await;
    assert_eq!(disputes.status, StatusCode::OK);
    let v = disputes.json();
    for key in ["disputes", "contested", "corroboration"] {
        assert!(v[key]["items"].is_array(), "{key}");
    }

    let stats = get(&f.app, "/api/stats").await.json();
    assert_eq!(stats["documents"], 3);
}

#[tokio::test]
async fn the_graph_filters_by_type_stance_and_date() {
    let f = shared();
    let all = get(&f.app, "/api/graph").await.json();
    let n_all = all["edges"].as_array().map_or(0, Vec::len);
    assert!(n_all > 0, "the fixture states relations: {all}");

    let denied = get(&f.app, "/api/graph?stance=denied").await.json();
    let edges = denied["edges"].as_array().expect("edges");
    assert!(!edges.is_empty(), "the denial article denies support");
    assert!(edges.iter().all(|e| e["stance"] == "denied"), "{denied}");
    assert!(edges.len() < n_all);
    // Every node of a filtered graph is an end of one of its edges.
    for n in denied["nodes"].as_array().expect("nodes") {
        assert!(
            edges
                .iter()
                .any(|e| e["source"] == n["id"] || e["target"] == n["id"]),
            "{n}"
        );
    }

    let t = edges[0]["type"].as_str().expect("type").to_string();
    let typed = get(&f.app, &format!("/api/graph?type={t}")).await.json();
    let typed = typed["edges"].as_array().expect("edges");
    assert!(!typed.is_empty() && typed.iter().all(|e| e["type"] == t.as_str()));

    // The fixture's documents carry no date: a date range keeps none of them.
    let dated = get(&f.app, "/api/graph?from=1990&to=1991").await.json();
    assert_eq!(dated["edges"].as_array().map(Vec::len), Some(0), "{dated}");

    for bad in ["/api/graph?stance=maybe", "/api/graph?type=likes"] {
        assert_eq!(
            get(&f.app, bad).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn a_document_comes_with_its_annotations_and_spans() {
    let f = shared();
    let r = get(&f.app, "/api/documents/border").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    let text = v["document"]["text"].as_str().expect("text");
    let mentions = v["mentions"].as_array().unwrap();
    assert!(!mentions.is_empty());
    for m in mentions {
        let (s, e) = (
            m["start"].as_u64().unwrap() as usize,
            m["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(text.get(s..e), m["text"].as_str(), "span of {m}");
    }
    assert_eq!(v["entities"]["ttp"], "Tehrik-i-Taliban Pakistan");
    for key in ["figures", "relations", "events"] {
        assert!(v[key].is_array());
    }
}

#[tokio::test]
async fn hostile_markup_comes_back_as_json_text() {
    let f = shared();
    let r = get(&f.app, "/api/documents/hostile").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let text = r.json()["document"]["text"].as_str().unwrap().to_string();
    assert!(text.contains("<script>alert(1)</script>"));
    assert!(text.contains("<img src=x onerror=alert(2)>"));
    let hits = list(&f.app, "/api/search?q=onerror").await;
    assert_eq!(hits.len(), 1);
}

#[tokio::test]
async fn user_mistakes_are_4xx_with_advice() {
    let f = shared();
    for (uri, status) in [
        ("/api/search?q=%22unbalanced&raw=1", StatusCode::BAD_REQUEST),
        ("/api/search?q=NEAR(&raw=true", StatusCode::BAD_REQUEST),
        ("/api/search", StatusCode::BAD_REQUEST),
        ("/api/search?q=x&from=March", StatusCode::BAD_REQUEST),
        ("/api/entities?type=wizard", StatusCode::BAD_REQUEST),
        ("/api/relations?stance=maybe", StatusCode::BAD_REQUEST),
        ("/api/figures?metric=vibes", StatusCode::BAD_REQUEST),
        ("/api/events?from=yesterday", StatusCode::BAD_REQUEST),
        ("/api/documents?limit=501", StatusCode::BAD_REQUEST),
        ("/api/documents?limit=-1", StatusCode::BAD_REQUEST),
        (
            "/api/entities/no-such-group-anywhere",
            StatusCode::NOT_FOUND,
        ),
        ("/api/documents/nope", StatusCode::NOT_FOUND),
        ("/api/documents/%FF%FE", StatusCode::BAD_REQUEST),
        ("/api/entities/%C3", StatusCode::BAD_REQUEST),
        ("/api/nothing-here", StatusCode::NOT_FOUND),
        ("/../../etc/passwd", StatusCode::NOT_FOUND),
    ] {
        let r = get(&f.app, uri).await;
        assert_eq!(r.status, status, "{uri}");
        let msg = r.json()["error"].as_str().map(str::to_string);
        assert!(
            msg.is_some_and(|m| !m.is_empty()),
            "{uri}: no error message"
        );
    }
}

#[tokio::test]
async fn a_safe_search_never_fails_on_syntax() {
    let f = shared();
    for q in [
        "%22unbalanced",
        "NEAR(",
        "*",
        "AND%20OR%20NOT",
        "%F0%9F%92%A3",
    ] {
        let r = get(&f.app, &format!("/api/search?q={q}")).await;
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST,
            "{q}: {}",
            r.status
        );
    }
}

#[tokio::test]
async fn uploads_need_the_token() {
    let f = fixture();
    let body = b"Talks In Doha\n\nDelegates of the Afghan Taliban met envoys in Doha.".to_vec();
    let uri = "/api/documents?name=doha.txt";
    let none = send(&f.app, Method::POST, uri, None, body.clone()).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert!(none.headers.contains_key(header::WWW_AUTHENTICATE));
    let wrong = send(&f.app, Method::POST, uri, Some("guess"), body.clone()).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);

    let ok = send(&f.app, Method::POST, uri, Some(TOKEN), body.clone()).await;
    assert_eq!(
        ok.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&ok.body)
    );
    assert_eq!(ok.json()["new"], 1);
    let hits = list(&f.app, "/api/search?q=envoys").await;
    assert_eq!(hits[0]["doc"], "doha");

    // The same text again is a duplicate, not an error.
    let again = send(&f.app, Method::POST, uri, Some(TOKEN), body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["duplicate"], 1);
}

#[tokio::test]
async fn uploads_of_unreadable_files_are_bad_requests() {
    let f = fixture();
    for (uri, body) in [
        ("/api/documents?name=x.exe", b"MZ".to_vec()),
        ("/api/documents?name=x.txt", Vec::new()),
        ("/api/documents?name=x.txt", b"   \n\n ".to_vec()),
        (
            "/api/documents?name=x.txt&published=2024-02-30",
            b"Talks In Doha\n\nDelegates met envoys in Doha on Monday.".to_vec(),
        ),
        (
            "/api/documents?name=x.txt&published=2024-13-01",
            b"Talks In Doha\n\nDelegates met envoys in Doha on Monday.".to_vec(),
        ),
    ] {
        let r = send(&f.app, Method::POST, uri, Some(TOKEN), body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.json()["error"].is_string());
    }
}

#[tokio::test]
async fn a_server_without_a_token_refuses_writes() {
    let f = fixture_with(ServerConfig::default());
    for (uri, body) in [
        ("/api/documents?name=a.txt", b"Some text.".to_vec()),
        (
            "/api/merge",
            br#"{"keep":"ttp","absorb":"jamaat-ul-ahrar"}"#.to_vec(),
        ),
        ("/api/merge/1/undo", Vec::new()),
        ("/api/entities/ttp/promote", Vec::new()),
    ] {
        let r = send(&f.app, Method::POST, uri, Some(TOKEN), body).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(r.json()["error"].as_str().unwrap().contains("--token"));
    }
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let f = fixture_with(ServerConfig {
        token: Some(TOKEN.into()),
        max_body_bytes: 1024,
        ..ServerConfig::default()
    });
    let r = send(
        &f.app,
        Method::POST,
        "/api/documents?name=big.txt",
        Some(TOKEN),
        vec![b'a'; 4096],
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.json()["error"].is_string());
}

#[tokio::test]
async fn merges_can_be_undone() {
    let f = fixture();
    let merge = send(
        &f.app,
        Method::POST,
        "/api/merge",
        Some(TOKEN),
        br#"{"keep": "TTP", "absorb": "Jamaat-ul-Ahrar"}"#.to_vec(),
    )
    .await;
    assert_eq!(
        merge.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&merge.body)
    );
    let id = merge.json()["merge"].as_u64().expect("merge id");
    let absorbed = get(&f.app, "/api/entities/jamaat-ul-ahrar").await.json();
    assert_eq!(absorbed["entity"]["id"], "ttp");

    let undo = send(
        &f.app,
        Method::POST,
        &format!("/api/merge/{id}/undo"),
        Some(TOKEN),
        vec![],
    )
    .await;
    assert_eq!(undo.status, StatusCode::OK);
    let back = get(&f.app, "/api/entities/jamaat-ul-ahrar").await.json();
    assert_eq!(back["entity"]["id"], "jamaat-ul-ahrar");

    for (uri, body, status) in [
        ("/api/merge", b"not json".to_vec(), StatusCode::BAD_REQUEST),
        (
            "/api/merge",
            br#"{"keep":"ttp","absorb":"TTP"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/merge",
            br#"{"keep":"ttp","absorb":"nobody-at-all"}"#.to_vec(),
            StatusCode::NOT_FOUND,
        ),
        ("/api/merge/abc/undo", vec![], StatusCode::BAD_REQUEST),
        ("/api/merge/999/undo", vec![], StatusCode::BAD_REQUEST),
        (
            "/api/entities/nobody-at-all/promote",
            vec![],
            StatusCode::NOT_FOUND,
        ),
    ] {
        let r = send(&f.app, Method::POST, uri, Some(TOKEN), body).await;
        assert_eq!(
            r.status,
            status,
            "{uri}: {}",
            String::from_utf8_lossy(&r.body)
        );
    }
}

#[tokio::test]
async fn every_response_carries_security_headers() {
    let f = shared();
    for uri in [
        "/",
        "/app.js",
        "/app.css",
        "/api/stats",
        "/api/nothing",
        "/openapi.json",
    ] {
        let r = get(&f.app, uri).await;
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'") && !csp.contains("unsafe-inline"),
            "{uri}"
        );
        assert_eq!(
            r.headers[header::X_CONTENT_TYPE_OPTIONS],
            "nosniff",
            "{uri}"
        );
    }
}

#[tokio::test]
async fn the_ui_files_are_served_with_their_types() {
    let f = shared();
    for (uri, ty) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/app.css", "text/css"),
        ("/outline.json", "application/json"),
        ("/vocab.json", "application/json"),
    ] {
        let r = get(&f.app, uri).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with(ty));
    }
    // The filters the UI offers are values the API accepts.
    let vocab = get(&f.app, "/vocab.json").await.json();
    for (key, param) in [("relation_types", "type"), ("stances", "stance")] {
        for v in vocab[key].as_array().expect(key) {
            let uri = format!("/api/graph?{param}={}", v.as_str().unwrap_or_default());
            assert_eq!(get(&f.app, &uri).await.status, StatusCode::OK, "{uri}");
        }
    }
    let outline = get(&f.app, "/outline.json").await.json();
    assert!(outline["countries"]
        .as_array()
        .is_some_and(|c| c.len() >= 2));
}

#[tokio::test]
async fn openapi_lists_every_route() {
    let f = shared();
    let v = get(&f.app, "/openapi.json").await.json();
    assert_eq!(v["openapi"], "3.1.0");
    let paths = v["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/search", "get"),
        ("/api/stats", "get"),
        ("/api/entities", "get"),
        ("/api/entities/{id}", "get"),
        ("/api/entities/{id}/promote", "post"),
        ("/api/relations", "get"),
        ("/api/figures", "get"),
        ("/api/disputes", "get"),
        ("/api/events", "get"),
        ("/api/graph", "get"),
        ("/api/documents", "get"),
        ("/api/documents", "post"),
        ("/api/documents/{id}", "get"),
        ("/api/merge", "post"),
        ("/api/merge/{id}/undo", "post"),
        ("/openapi.json", "get"),
    ] {
        let op = &paths[path][method];
        assert!(op["summary"].is_string(), "{method} {path} undocumented");
        assert!(
            op["responses"].is_object(),
            "{method} {path} has no responses"
        );
    }
    // Every $ref points at a component that exists.
    let text = v.to_string();
    for name in ["schemas/List", "schemas/Error", "responses/Error"] {
        let (kind, key) = name.split_once('/').unwrap();
        assert!(v["components"][kind][key].is_object(), "{name}");
        assert!(text.contains(&format!("#/components/{name}")));
    }
}

#[tokio::test]
async fn a_request_over_the_time_limit_is_503() {
    let f = fixture_with(ServerConfig {
        request_timeout: std::time::Duration::ZERO,
        ..ServerConfig::default()
    });
    // The deadline is checked before the work is polled: a zero limit always fires,
    // however fast the (now persisted) reconciliation answers.
    let r = get(&f.app, "/api/disputes").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(r.json()["error"].as_str().unwrap().contains("longer than"));
}

/// The real seed articles: every dossier and every document must answer 200 with spans
/// that quote their text, whatever the extraction found.
#[tokio::test]
async fn every_seed_document_and_dossier_answers() {
    let seeds =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut engine = Engine::open(&dir.path().join("s.db"), None).expect("engine");
    let report = engine
        .ingest_paths(
            std::slice::from_ref(&seeds),
            &IngestConfig::default(),
            &mut |_| {},
        )
        .unwrap_or_else(|e| panic!("ingesting {}: {e}", seeds.display()));
    assert!(report.new >= 5, "{report:?}");
    let app = app(AppState::new(engine, ServerConfig::default()));

    let docs = list(&app, "/api/documents?limit=500").await;
    for d in &docs {
        let id = d["doc"].as_str().unwrap();
        let v = get(&app, &format!("/api/documents/{id}")).await.json();
        let text = v["document"]["text"].as_str().unwrap();
        for kind in ["mentions", "figures", "relations", "events"] {
            for a in v[kind].as_array().unwrap() {
                let (s, e) = (
                    a["start"].as_u64().unwrap() as usize,
                    a["end"].as_u64().unwrap() as usize,
                );
                assert!(
                    text.get(s..e).is_some(),
                    "{id}: {kind} span {s}..{e} off the text"
                );
            }
        }
    }
    let ents = list(&app, "/api/entities?limit=500").await;
    let mentioned: Vec<&str> = ents
        .iter()
        .filter(|e| e["mentions"].as_u64() > Some(0))
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert!(mentioned.len() >= 5);
    // The most mentioned (the list is sorted that way): each dossier reconciles the store.
    for id in mentioned.into_iter().take(40) {
        let r = get(&app, &format!("/api/entities/{}", encode(id))).await;
        assert_eq!(r.status, StatusCode::OK, "{id}");
    }
    for uri in [
        "/api/graph",
        "/api/disputes",
        "/api/events?limit=500",
        "/api/figures?limit=500",
        "/api/relations?limit=500",
    ] {
        assert_eq!(get(&app, uri).await.status, StatusCode::OK, "{uri}");
    }
}

/// Percent-encodes a path segment (entity ids are ASCII slugs, but discovered ones may
/// hold anything).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
