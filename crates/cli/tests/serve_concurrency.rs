//! `dossier serve` under load from this (second) process while two `dossier ingest`
//! processes write to the same store: no request fails, both ingests finish, the store
//! is whole, and the server's answers include what the other processes wrote.

use dossier_server::loadgen::{self, LoadConfig};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PER_CORPUS: usize = 60;

fn dossier(db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.arg("--db")
        .arg(db)
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_TOKEN");
    c
}

/// Small articles written for this test, distinct per corpus (`tag`).
fn write_corpus(dir: &Path, tag: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let places = ["Bannu", "Quetta", "Khost", "Kurram", "Peshawar"];
    for i in 0..PER_CORPUS {
        let p = places[i % places.len()];
        let text = format!(
            "Report {tag} {i} from {p}\n\nPolice said the TTP carried out {n} attacks near {p} in 2024, \
             killing {k} people, according to the provincial government. Corpus {tag}, item {i}.\n",
            n = 5 + i,
            k = 1 + i % 9,
        );
        std::fs::write(dir.join(format!("{tag}-{i:03}.txt")), text).unwrap();
    }
}

/// A server child process that is killed when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dossier serve` on a free port and reads the address it announces.
fn serve(db: &Path) -> (Server, SocketAddr) {
    let mut child = dossier(db)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("server exited before announcing its address")
            .unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            let addr = rest.split('/').next().unwrap();
            break addr.parse().unwrap();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (server, addr)
}

fn get_json(addr: SocketAddr, path: &str) -> serde_json::Value {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    let (head, body) = reply.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}\n{body}");
    serde_json::from_str(body).unwrap()
}

#[test]
fn a_server_under_load_and_two_ingests_share_one_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let (a, b, seed) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("seed"),
    );
    write_corpus(&a, "alpha");
    write_corpus(&b, "beta");
    write_corpus(&seed, "seed");
    let out = dossier(&db).arg("ingest").arg(&seed).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (_server, addr) = serve(&db);
    let ingest = |dir: &Path| {
        dossier(&db)
            .arg("ingest")
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (ia, ib) = (ingest(&a), ingest(&b));
    let load = std::thread::spawn(move || {
        loadgen::run(&LoadConfig {
            addr,
            paths: vec![
                "/api/entities/TTP".into(),
                "/api/stats".into(),
                "/api/search?q=attacks".into(),
                "/api/disputes".into(),
            ],
            clients: 64,
            requests: 800,
            warmup: 0,
            rate: None,
            timeout: Duration::from_secs(60),
            gzip: true,
        })
    });
    for out in [
        ia.wait_with_output().unwrap(),
        ib.wait_with_output().unwrap(),
    ] {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let report = load.join().unwrap();
    assert_eq!(report.errors, 0, "{:?}", report.error_samples);
    assert_eq!(report.latencies_us.len(), 800);

    // The server sees every document the other processes wrote, in its cached routes too.
    let stats = get_json(addr, "/api/stats");
    assert_eq!(stats["documents"], 3 * PER_CORPUS as u64, "{stats}");
    let ttp = get_json(addr, "/api/entities/TTP");
    assert_eq!(
        ttp["documents"].as_array().map(Vec::len),
        Some(3 * PER_CORPUS)
    );

    // And the file is sound.
    let check = dossier(&db).arg("stats").output().unwrap();
    assert_eq!(check.status.code(), Some(0));
    // Without the sqlite3 tool, the stats and counts above are the check.
    if let Ok(out) = Command::new("sqlite3")
        .arg(&db)
        .arg("PRAGMA integrity_check")
        .output()
    {
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
    }
}
