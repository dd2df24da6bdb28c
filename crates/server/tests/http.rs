//! The server on a real socket: concurrent keep-alive clients, malformed HTTP, and the
//! per-generation cache seeing writes made through the API and by other connections.

use dossier_engine::Engine;
use dossier_ingest::{read_bytes, IngestConfig};
use dossier_registry::Registry;
use dossier_server::loadgen::{self, LoadConfig};
use dossier_server::{app, AppState, ServerConfig};
use dossier_store::{SqliteStore, Store};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::Path;
use std::time::Duration;

const TOKEN: &str = "http-test-token";

const FIRST: &str = "Checkpoint Attack\n\n\
The Tehrik-i-Taliban Pakistan (TTP) carried out 40 attacks in Khyber Pakhtunkhwa in 2023, \
a provincial report said. On 5 May 2023 TTP militants attacked a checkpoint in Bannu.";

const SECOND: &str = "Officials Differ\n\n\
Police officials said the TTP carried out 75 attacks in Khyber Pakhtunkhwa in 2023. The \
Afghan Taliban denied supporting the TTP.";

const LATER: &str = "A Later Report\n\n\
The TTP claimed an attack on a convoy near Quetta on 2 June 2024, officials said.";

fn engine_on(store: SqliteStore, texts: &[(&str, &str)]) -> Engine {
    let mut engine = Engine::new(
        dossier_engine::AnyStore::from(store),
        Registry::builtin().expect("registry"),
    )
    .expect("engine");
    let mut articles = Vec::new();
    for (name, text) in texts {
        for a in read_bytes(name, text.as_bytes(), &IngestConfig::default()) {
            articles.push(a.expect("article"));
        }
    }
    engine
        .ingest_articles(articles, &mut |_| {})
        .expect("ingest");
    engine
}

/// Serves `state` on a free loopback port from a runtime of its own, for the rest of
/// the test process.
fn spawn_server(state: AppState) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            axum::serve(listener, app(state)).await.expect("serve");
        });
    });
    rx.recv().expect("server address")
}

fn server(texts: &[(&str, &str)]) -> SocketAddr {
    let store = SqliteStore::open_in_memory().expect("store");
    let config = ServerConfig {
        token: Some(TOKEN.into()),
        ..ServerConfig::default()
    };
    spawn_server(AppState::new(engine_on(store, texts), config))
}

/// Sends raw bytes and reads whatever comes back until the server closes or goes
/// quiet. With `half_close` the client then says it will send nothing more, which is
/// how a truncated request ends (the server does not answer a request whose sender
/// has gone, so well-formed requests keep the write side open).
fn raw(addr: SocketAddr, bytes: &[u8], half_close: bool) -> Vec<u8> {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server may close before reading everything (a huge head): that is an answer.
    let _ = s.write_all(bytes);
    if half_close {
        let _ = s.shutdown(Shutdown::Write);
    }
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

/// The status of the first response in `reply`, or `None` when the server just closed.
fn status(reply: &[u8]) -> Option<u16> {
    let text = String::from_utf8_lossy(reply);
    let line = text.lines().next()?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// One GET on a fresh connection: (status, JSON body).
fn get_json(addr: SocketAddr, path: &str) -> (u16, Value) {
    request_json(addr, "GET", path, None, b"")
}

fn request_json(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
) -> (u16, Value) {
    let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n{auth}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    let reply = raw(addr, &req, false);
    let code = status(&reply).unwrap_or_else(|| panic!("no answer to {method} {path}"));
    let text = String::from_utf8_lossy(&reply);
    let (head, body) = text.split_once("\r\n\r\n").expect("head and body");
    // Bodies come with a length here (JSON is buffered), never chunked.
    assert!(!head.to_ascii_lowercase().contains("chunked"), "{head}");
    let v = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (code, v)
}

#[test]
fn sixty_four_keep_alive_clients_get_answers_without_errors() {
    let addr = server(&[("first.txt", FIRST), ("second.txt", SECOND)]);
    let report = loadgen::run(&LoadConfig {
        addr,
        paths: vec![
            "/api/entities/TTP".into(),
            "/api/stats".into(),
            "/api/entities/ttp".into(),
            "/api/search?q=checkpoint".into(),
            "/api/figures?subject=TTP".into(),
            "/api/disputes".into(),
        ],
        clients: 64,
        requests: 640,
        warmup: 64,
        rate: None,
        timeout: Duration::from_secs(30),
        gzip: false,
    });
    assert_eq!(report.errors, 0, "{:?}", report.error_samples);
    assert_eq!(report.latencies_us.len(), 640);
    assert!(report.bytes > 0);
}

#[test]
fn malformed_requests_get_a_4xx_or_a_closed_connection_and_the_server_lives_on() {
    let addr = server(&[("first.txt", FIRST)]);
    let huge_header = format!(
        "GET /api/stats HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(2 * 1024 * 1024)
    );
    let many_headers = format!(
        "GET /api/stats HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..5000)
            .map(|i| format!("X-H{i}: v\r\n"))
            .collect::<String>()
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("garbage", b"\x00\x01\x02\xff\xfe garbage \r\n\r\n".to_vec()),
        ("not http", b"HELLO THERE\r\n\r\n".to_vec()),
        ("bad method token", b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
        ("bad version", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n".to_vec()),
        ("huge header", huge_header.into_bytes()),
        ("many headers", many_headers.into_bytes()),
        ("bad header line", b"GET / HTTP/1.1\r\nno colon here\r\n\r\n".to_vec()),
        ("bad content length", b"POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n".to_vec()),
        (
            "truncated body",
            format!(
                "POST /api/documents?name=a.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: 5000\r\n\r\nonly a little"
            )
            .into_bytes(),
        ),
        (
            "truncated chunked body",
            format!(
                "POST /api/documents?name=a.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\n400\r\nshort"
            )
            .into_bytes(),
        ),
        ("bad chunk size", b"POST /api/documents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec()),
        ("cut in the head", b"GET /api/sta".to_vec()),
        ("bad percent escape", b"GET /api/entities/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
        ("nul in path", b"GET /api/entities/a\x00b HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
        ("absolute uri elsewhere", b"GET http://evil.example/api/stats/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
    ];
    // Well-formed requests the API does not serve must be answered, not dropped.
    for (what, bytes, want) in [
        ("unknown method", &b"BREW /api/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"[..], 405),
        ("post on a read route", b"POST /api/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 405),
        ("delete", b"DELETE /api/documents HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 405),
        ("write without token", b"POST /api/merge HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", 401),
    ] {
        let reply = raw(addr, bytes, false);
        assert_eq!(status(&reply), Some(want), "{what}: {}", String::from_utf8_lossy(&reply));
    }
    for (what, bytes) in cases {
        let reply = raw(addr, &bytes, true);
        match status(&reply) {
            None => assert!(
                reply.is_empty() || !reply.starts_with(b"HTTP/1.1 2"),
                "{what}"
            ),
            Some(code) => assert!(
                (400..500).contains(&code),
                "{what}: status {code}: {}",
                String::from_utf8_lossy(&reply[..reply.len().min(300)])
            ),
        }
    }
    // Still serving, and nothing was stored by the cut uploads.
    let (code, stats) = get_json(addr, "/api/stats");
    assert_eq!(code, 200);
    assert_eq!(stats["documents"], 1, "{stats}");
}

#[test]
fn a_dossier_is_recomputed_after_an_upload_through_the_api() {
    let addr = server(&[("first.txt", FIRST), ("second.txt", SECOND)]);
    let docs = |v: &Value| v["documents"].as_array().map_or(0, Vec::len);
    let (code, before) = get_json(addr, "/api/entities/TTP");
    assert_eq!(code, 200, "{before}");
    assert_eq!(docs(&before), 2);
    // A second read is the cached rendering: byte-for-byte the same answer.
    assert_eq!(get_json(addr, "/api/entities/TTP").1, before);
    let (code, up) = request_json(
        addr,
        "POST",
        "/api/documents?name=later.txt",
        Some(TOKEN),
        LATER.as_bytes(),
    );
    assert!((200..300).contains(&code), "{code} {up}");
    let (code, after) = get_json(addr, "/api/entities/tehrik-i-taliban%20pakistan");
    assert_eq!(code, 200, "{after}");
    assert_eq!(docs(&after), 3, "the upload shows at once");
}

#[test]
fn writes_by_another_connection_invalidate_the_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("d.db");
    let engine = engine_on(open(&db), &[("first.txt", FIRST)]);
    let addr = spawn_server(AppState::new(engine, ServerConfig::default()));
    let (_, before) = get_json(addr, "/api/entities/TTP");
    let (_, disputes) = get_json(addr, "/api/disputes");
    assert_eq!(before["documents"].as_array().map(Vec::len), Some(1));
    assert_eq!(get_json(addr, "/api/stats").1["documents"], 1);
    // Another process's ingest is another connection to the same file.
    drop(engine_on(open(&db), &[("second.txt", SECOND)]));
    // The dossier may first come back stale (the last answer, while the new one is
    // rendered in the background: stale-while-revalidate), then fresh. Polled: a
    // deadlock guard, not a latency bound.
    let mut docs = 0;
    for _ in 0..600 {
        let (_, after) = get_json(addr, "/api/entities/TTP");
        docs = after["documents"].as_array().map_or(0, Vec::len);
        if docs == 2 {
            break;
        }
        assert_eq!(docs, 1, "the last answer or the new one: {after}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(docs, 2);
    assert_eq!(get_json(addr, "/api/stats").1["documents"], 2);
    let (_, disputes_after) = get_json(addr, "/api/disputes");
    assert_ne!(
        disputes_after["disputes"]["total"], disputes["disputes"]["total"],
        "40 vs 75 attacks in 2023 is a new dispute: {disputes_after}"
    );
}

fn open(db: &Path) -> SqliteStore {
    let s = SqliteStore::open(db).expect("open");
    s.stats().expect("readable");
    s
}
