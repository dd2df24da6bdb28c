//! A bounded HTTP/1.1 load generator for latency benchmarks and load tests.
//!
//! Each client is one thread with one keep-alive connection (`std::net`, no async
//! runtime, so the generator's own scheduling does not compete with the server's
//! runtime more than the threads themselves do). The load is bounded twice: a total
//! number of requests, and optionally a request rate. With a rate, every request has a
//! scheduled start and its latency is counted from that schedule, not from when the
//! client got round to sending it, so a stalled server cannot hide its queueing delay
//! ("coordinated omission"). Without a rate each client sends its next request as soon
//! as the previous answer arrived (closed loop: latency includes queueing behind the
//! other clients).
//!
//! Used by `examples/loadgen.rs` (the command line) and by the load tests.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What to send and how hard.
#[derive(Debug, Clone)]
pub struct LoadConfig {
    pub addr: SocketAddr,
    /// Request paths (with query strings), taken in turn.
    pub paths: Vec<String>,
    /// Concurrent clients, one connection each.
    pub clients: usize,
    /// Requests in total, across clients (warm-up not included).
    pub requests: usize,
    /// Requests sent first and not measured (fills caches, opens connections).
    pub warmup: usize,
    /// Total requests per second across clients; `None` is a closed loop.
    pub rate: Option<f64>,
    /// How long one request may take before it counts as an error.
    pub timeout: Duration,
    /// Send `Accept-Encoding: gzip`, as browsers do (bodies are counted compressed and
    /// not decompressed).
    pub gzip: bool,
}

/// What happened. Latencies are in microseconds, sorted.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub latencies_us: Vec<u64>,
    /// Requests that failed: connection errors, timeouts, malformed answers, non-2xx.
    pub errors: usize,
    /// The first few error messages, for the operator.
    pub error_samples: Vec<String>,
    pub bytes: u64,
    pub elapsed: Duration,
}

impl LoadReport {
    /// The latency at quantile `q` (0..=1), nearest rank; 0 when nothing succeeded.
    pub fn quantile_us(&self, q: f64) -> u64 {
        if self.latencies_us.is_empty() {
            return 0;
        }
        let n = self.latencies_us.len();
        let rank = (q.clamp(0.0, 1.0) * n as f64).ceil() as usize;
        self.latencies_us[rank.clamp(1, n) - 1]
    }

    /// One line: counts, throughput, p50/p90/p99/max in milliseconds.
    pub fn summary(&self) -> String {
        let ms = |us: u64| us as f64 / 1000.0;
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        format!(
            "requests {} errors {} rps {:.0} MB/s {:.1} p50 {:.2} ms p90 {:.2} ms p99 {:.2} ms max {:.2} ms",
            self.latencies_us.len() + self.errors,
            self.errors,
            self.latencies_us.len() as f64 / secs,
            self.bytes as f64 / secs / 1e6,
            ms(self.quantile_us(0.50)),
            ms(self.quantile_us(0.90)),
            ms(self.quantile_us(0.99)),
            ms(self.latencies_us.last().copied().unwrap_or(0)),
        )
    }
}

/// Runs the load and waits for every client.
pub fn run(cfg: &LoadConfig) -> LoadReport {
    let clients = cfg.clients.max(1);
    let paths: Arc<[String]> = if cfg.paths.is_empty() {
        vec!["/".to_string()].into()
    } else {
        cfg.paths.clone().into()
    };
    // Warm-up first, closed loop, so the measured part starts on open connections and
    // warm caches; its connections are then reused.
    let warm_next = Arc::new(AtomicUsize::new(0));
    let next = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(std::sync::Barrier::new(clients + 1));
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (cfg, paths) = (cfg.clone(), Arc::clone(&paths));
            let (warm_next, next, start) = (
                Arc::clone(&warm_next),
                Arc::clone(&next),
                Arc::clone(&start),
            );
            std::thread::spawn(move || {
                let mut client = Client::new(cfg.addr, cfg.timeout, cfg.gzip);
                let mut scratch = LoadReport::default();
                loop {
                    let i = warm_next.fetch_add(1, Ordering::Relaxed);
                    if i >= cfg.warmup {
                        break;
                    }
                    client.measure(&paths[i % paths.len()], Instant::now(), &mut scratch);
                }
                start.wait();
                let t0 = Instant::now();
                let mut report = LoadReport::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= cfg.requests {
                        break;
                    }
                    let due = match cfg.rate {
                        Some(r) if r > 0.0 => {
                            let due = t0 + Duration::from_secs_f64(i as f64 / r);
                            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                                std::thread::sleep(wait);
                            }
                            due
                        }
                        _ => Instant::now(),
                    };
                    client.measure(&paths[i % paths.len()], due, &mut report);
                }
                report
            })
        })
        .collect();
    start.wait();
    let t0 = Instant::now();
    let mut total = LoadReport::default();
    for h in handles {
        match h.join() {
            Ok(r) => {
                total.latencies_us.extend(r.latencies_us);
                total.errors += r.errors;
                total.bytes += r.bytes;
                for e in r.error_samples {
                    if total.error_samples.len() < 5 {
                        total.error_samples.push(e);
                    }
                }
            }
            Err(_) => {
                total.errors += 1;
                total.error_samples.push("a client thread panicked".into());
            }
        }
    }
    total.elapsed = t0.elapsed();
    total.latencies_us.sort_unstable();
    total
}

/// One keep-alive connection, reopened after any error.
struct Client {
    addr: SocketAddr,
    timeout: Duration,
    gzip: bool,
    conn: Option<BufReader<TcpStream>>,
}

impl Client {
    fn new(addr: SocketAddr, timeout: Duration, gzip: bool) -> Self {
        Client {
            addr,
            timeout,
            gzip,
            conn: None,
        }
    }

    fn measure(&mut self, path: &str, since: Instant, report: &mut LoadReport) {
        match self.get(path) {
            Ok((status, n)) if (200..300).contains(&status) => {
                report.bytes += n as u64;
                let us = u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX);
                report.latencies_us.push(us);
            }
            Ok((status, _)) => note(report, format!("GET {path}: status {status}")),
            Err(e) => {
                // The connection's state is unknown after an error: start afresh.
                self.conn = None;
                note(report, format!("GET {path}: {e}"));
            }
        }
    }

    /// Sends one GET and reads the whole answer: (status, body bytes).
    fn get(&mut self, path: &str) -> io::Result<(u16, usize)> {
        let conn = match &mut self.conn {
            Some(c) => c,
            None => {
                let s = TcpStream::connect_timeout(&self.addr, self.timeout)?;
                s.set_read_timeout(Some(self.timeout))?;
                s.set_write_timeout(Some(self.timeout))?;
                s.set_nodelay(true)?;
                self.conn.insert(BufReader::with_capacity(64 * 1024, s))
            }
        };
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n{}\r\n",
            self.addr,
            if self.gzip {
                "Accept-Encoding: gzip\r\n"
            } else {
                ""
            }
        );
        conn.get_mut().write_all(req.as_bytes())?;
        let (status, close, n) = read_response(conn)?;
        if close {
            self.conn = None;
        }
        Ok((status, n))
    }
}

fn note(report: &mut LoadReport, message: String) {
    report.errors += 1;
    if report.error_samples.len() < 5 {
        report.error_samples.push(message);
    }
}

fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// Largest head (status line and headers) accepted from a server.
const MAX_HEAD: usize = 64 * 1024;

/// Reads one response, discarding the body: (status, connection closes, body bytes).
fn read_response(r: &mut impl BufRead) -> io::Result<(u16, bool, usize)> {
    let mut line = String::new();
    let mut head = 0;
    let mut read_line = |r: &mut dyn BufRead, line: &mut String| -> io::Result<()> {
        line.clear();
        let n = r.take(MAX_HEAD as u64).read_line(line)?;
        head += n;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed",
            ));
        }
        if head > MAX_HEAD {
            return Err(bad("response head too large"));
        }
        Ok(())
    };
    read_line(r, &mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad(format!("bad status line {line:?}")))?;
    let (mut length, mut chunked, mut close) = (None, false, line.starts_with("HTTP/1.0"));
    loop {
        read_line(r, &mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let Some((name, value)) = l.split_once(':') else {
            return Err(bad(format!("bad header {l:?}")));
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| bad("bad content-length"))?,
            );
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        } else if name.eq_ignore_ascii_case("connection") {
            close = value.eq_ignore_ascii_case("close");
        }
    }
    let n = if chunked {
        let mut total = 0;
        loop {
            read_line(r, &mut line)?;
            let size = line.trim().split(';').next().unwrap_or("");
            let size = usize::from_str_radix(size, 16).map_err(|_| bad("bad chunk size"))?;
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    read_line(r, &mut line)?;
                    if line.trim_end().is_empty() {
                        break;
                    }
                }
                break total;
            }
            discard(r, size + 2)?; // the chunk and its CRLF
            total += size;
        }
    } else if let Some(len) = length {
        discard(r, len)?;
        len
    } else {
        // No length: the body runs to the end of the connection.
        close = true;
        io::copy(r, &mut io::sink())? as usize
    };
    Ok((status, close, n))
}

fn discard(r: &mut impl Read, n: usize) -> io::Result<()> {
    let copied = io::copy(&mut r.take(n as u64), &mut io::sink())?;
    if copied < n as u64 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "body cut short",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> io::Result<(u16, bool, usize)> {
        read_response(&mut raw.as_bytes())
    }

    #[test]
    fn responses_are_read_by_length_chunks_or_close() {
        let r = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 404";
        assert_eq!(parse(r).unwrap(), (200, false, 5));
        let r =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse(r).unwrap(), (200, false, 5));
        let r = "HTTP/1.1 503 Busy\r\nConnection: close\r\n\r\nbye";
        assert_eq!(parse(r).unwrap(), (503, true, 3));
    }

    #[test]
    fn broken_responses_are_errors() {
        assert!(parse("").is_err());
        assert!(parse("garbage\r\n\r\n").is_err());
        assert!(parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort").is_err());
        assert!(parse("HTTP/1.1 200 OK\r\nno colon\r\n\r\n").is_err());
        let huge = format!("HTTP/1.1 200 OK\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(parse(&huge).is_err());
    }

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let r = LoadReport {
            latencies_us: (1..=100).collect(),
            ..LoadReport::default()
        };
        assert_eq!(r.quantile_us(0.5), 50);
        assert_eq!(r.quantile_us(0.99), 99);
        assert_eq!(r.quantile_us(1.0), 100);
        assert_eq!(LoadReport::default().quantile_us(0.99), 0);
    }

    #[test]
    fn a_closed_port_counts_errors_and_does_not_hang() {
        // Bind then drop to get a port nothing listens on.
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap();
        let r = run(&LoadConfig {
            addr,
            paths: vec!["/".into()],
            clients: 3,
            requests: 6,
            warmup: 0,
            rate: None,
            timeout: Duration::from_secs(2),
            gzip: false,
        });
        assert_eq!(r.errors, 6);
        assert!(r.latencies_us.is_empty());
        assert!(!r.error_samples.is_empty());
    }
}
