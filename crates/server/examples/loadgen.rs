//! Bounded HTTP load against a running `dossier serve`, printing latency quantiles.
//!
//! ```sh
//! cargo run --release -p dossier-server --example loadgen -- \
//!     --addr 127.0.0.1:8080 --path /api/entities/TTP --clients 32 --requests 5000
//! ```
//!
//! Options: `--path P` (repeatable; taken in turn), `--clients N` (default 32),
//! `--requests N` (default 2000), `--warmup N` (default: one per client), `--rate R`
//! (requests per second in total; default: closed loop), `--timeout-ms N` (default
//! 10000), `--gzip` (accept gzip, as browsers do). Exit status 1 when any request
//! failed.

use dossier_server::loadgen::{run, LoadConfig};
use std::time::Duration;

fn main() {
    match parse(std::env::args().skip(1)) {
        Ok(cfg) => {
            let report = run(&cfg);
            println!(
                "clients {} rate {}{} {}",
                cfg.clients,
                cfg.rate
                    .map_or("closed-loop".to_string(), |r| format!("{r}/s")),
                if cfg.gzip { " gzip" } else { "" },
                report.summary()
            );
            for e in &report.error_samples {
                eprintln!("error: {e}");
            }
            if report.errors > 0 {
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("loadgen: {e}");
            std::process::exit(2);
        }
    }
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<LoadConfig, String> {
    let mut cfg = LoadConfig {
        addr: "127.0.0.1:8080".parse().map_err(|e| format!("{e}"))?,
        paths: Vec::new(),
        clients: 32,
        requests: 2000,
        warmup: 0,
        rate: None,
        timeout: Duration::from_secs(10),
        gzip: false,
    };
    let mut warmup = None;
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let num = |v: String| v.parse::<usize>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--addr" => cfg.addr = value()?.parse().map_err(|e| format!("--addr: {e}"))?,
            "--path" => cfg.paths.push(value()?),
            "--clients" => cfg.clients = num(value()?)?.max(1),
            "--requests" => cfg.requests = num(value()?)?,
            "--warmup" => warmup = Some(num(value()?)?),
            "--rate" => {
                let r: f64 = value()?.parse().map_err(|e| format!("--rate: {e}"))?;
                cfg.rate = (r > 0.0).then_some(r);
            }
            "--gzip" => cfg.gzip = true,
            "--timeout-ms" => cfg.timeout = Duration::from_millis(num(value()?)? as u64),
            other => return Err(format!("unknown option {other}")),
        }
    }
    cfg.warmup = warmup.unwrap_or(cfg.clients);
    Ok(cfg)
}
