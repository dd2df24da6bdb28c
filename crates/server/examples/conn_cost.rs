//! What a SQLite connection per request would cost, against the server's one long-lived
//! connection: opens a store N times (each open sets WAL, the busy timeout and checks
//! the schema in a write transaction) and times it against N reads on one connection.
//!
//! ```sh
//! cargo run --release -p dossier-server --example conn_cost -- STORE.db [N]
//! ```

use dossier_store::{SqliteStore, Store};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: conn_cost STORE.db [N]");
        std::process::exit(2);
    };
    let n: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let path = std::path::Path::new(&path);
    let run = || -> Result<(), dossier_store::StoreError> {
        let t = Instant::now();
        for _ in 0..n {
            let s = SqliteStore::open(path)?;
            s.generation()?;
            s.lookup_entity("TTP")?;
        }
        let per_open = t.elapsed() / n;
        let s = SqliteStore::open(path)?;
        let t = Instant::now();
        for _ in 0..n {
            s.generation()?;
            s.lookup_entity("TTP")?;
        }
        let per_reuse = t.elapsed() / n;
        println!(
            "open + lookup: {per_open:?} per request; reused connection: {per_reuse:?} per request (n = {n}, load {})",
            std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim()
        );
        Ok(())
    };
    if let Err(e) = run() {
        eprintln!("conn_cost: {e}");
        std::process::exit(1);
    }
}
