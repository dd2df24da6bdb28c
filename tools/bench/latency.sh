#!/usr/bin/env bash
# Server latency on a generated corpus: actor-dossier endpoint under concurrent clients.
#
#   tools/bench/latency.sh [DOCS]          default 10000
#
# Generates DOCS documents (seed 1) and ingests them under $BENCH_DIR (reused when the
# store already holds them), starts `dossier serve` on a free loopback port, and runs the
# loadgen example (keep-alive HTTP/1.1 client threads) against /api/entities/TTP at 32
# and 64 concurrent clients, closed loop (gzip accepted, then not), then at a bounded
# rate; against a rotation of actors (first-time dossiers, then cached ones); and a mix
# of stats, search and dossier; searches alone; dossiers while another process
# ingests 300 new documents (for ten seconds at RATE; the store grows by them on each run); and whole-store
# reconciliation (`dossier disputes --json`). Prints p50/p90/p99/max and the
# error count per run, with the load average, to stdout and $BENCH_DIR/latency.txt.
# Env: REQUESTS (per run, default 3000), RATE (req/s for the bounded runs, default 200).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${DOSSIER_BIN:-$ROOT/target/release/dossier}"
LOADGEN="$ROOT/target/release/examples/loadgen"
BENCH_DIR="${BENCH_DIR:-/tmp/dossier-bench}"
N="${1:-10000}"
REQUESTS="${REQUESTS:-3000}"
RATE="${RATE:-200}"

# Two commands: `--example` alone would select only the example, not the binary.
(cd "$ROOT" && cargo build --release -p dossier && cargo build --release -p dossier-server --example loadgen)
mkdir -p "$BENCH_DIR"
corpus="$BENCH_DIR/corpus-$N"
db="$BENCH_DIR/latency-$N.db"
have=$("$BIN" --db "$db" stats 2>/dev/null | awk -F: '/"documents"/ {gsub(/[ ,]/, "", $2); print $2; exit}' || true)
if [ "${have:-0}" -lt $((N * 9 / 10)) ]; then
  rm -rf "$corpus" "$db" "$db-wal" "$db-shm"
  "$BIN" generate --docs "$N" --seed 1 --out "$corpus" > /dev/null
  "$BIN" --db "$db" ingest "$corpus" > /dev/null 2> "$BENCH_DIR/latency-ingest.log" || true
fi

log="$BENCH_DIR/latency-serve.log"
"$BIN" --db "$db" serve --addr 127.0.0.1:0 2> "$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
addr=""
for _ in $(seq 1 600); do
  addr=$(sed -n 's#.*http://\([^/]*\)/.*#\1#p' "$log" | head -1)
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { echo "server did not start:" >&2; cat "$log" >&2; exit 2; }

out="$BENCH_DIR/latency.txt"
{
  echo "machine: $(nproc) cores; store: $("$BIN" --db "$db" stats | tr -d '\n ' | cut -c1-120)"
  echo "server: $addr (pid $server)"
  # The first request for an actor in a store generation builds its dossier: timed alone.
  s=$(date +%s%N)
  curl -sf -o /dev/null "http://$addr/api/entities/TTP"
  echo "first TTP dossier (cache miss: dossier + its reconciliation + gzip): $(( ($(date +%s%N) - s) / 1000000 )) ms"
  run() {
    echo "load $(cut -d' ' -f1-3 /proc/loadavg) | $*"
    "$LOADGEN" --addr "$addr" "$@" || echo "(errors above)"
  }
  # As browsers ask (gzip accepted), then uncompressed (the JSON is ~1.5 MB for TTP).
  run --path /api/entities/TTP --clients 32 --requests "$REQUESTS" --gzip
  run --path /api/entities/TTP --clients 64 --requests "$REQUESTS" --gzip
  run --path /api/entities/TTP --clients 32 --requests "$REQUESTS"
  run --path /api/entities/TTP --clients 64 --requests "$REQUESTS"
  run --path /api/entities/TTP --clients 32 --requests "$REQUESTS" --rate "$RATE" --gzip
  run --path /api/entities/TTP --clients 64 --requests "$REQUESTS" --rate "$RATE" --gzip
  actors=()
  for a in BLA ISKP "Haqqani network" "Lashkar-e-Islam" Quetta Bannu Peshawar Khost; do
    actors+=(--path "/api/entities/$(printf '%s' "$a" | sed 's/ /%20/g')")
  done
  run "${actors[@]}" --path /api/entities/TTP --clients 32 --requests "$REQUESTS" --gzip
  run --path /api/stats --path "/api/search?q=attack" --path /api/entities/TTP --clients 64 --requests "$REQUESTS" --gzip
  # Searches alone: they run on the pool of read connections, side by side.
  run --path "/api/search?q=attack" --path "/api/search?q=Bannu" --clients 16 --requests "$((REQUESTS / 5))" --gzip
  # Dossiers while another process ingests (every commit is a new store generation:
  # answers are served stale while one background task renders the new one).
  extra="$BENCH_DIR/extra-$N-$(date +%s)"
  "$BIN" generate --docs 300 --seed "$(date +%s)" --out "$extra" > /dev/null
  "$BIN" --db "$db" ingest "$extra" > /dev/null 2>&1 &
  ingest=$!
  # At a bounded rate for ten seconds, so the run spans the ingest's commits.
  run --path /api/entities/TTP --clients 32 --requests "$((RATE * 10))" --rate "$RATE" --gzip
  wait "$ingest" || true
  rm -rf "$extra"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  # Whole-store reconciliation (what /api/disputes and /api/figures compute once per
  # generation), timed alone on the CLI, with the size of its JSON.
  s=$(date +%s%N)
  bytes=$("$BIN" --db "$db" disputes --json | wc -c)
  echo "dossier disputes --json: $(( ($(date +%s%N) - s) / 1000000 )) ms, $bytes bytes (load $(cut -d' ' -f1-3 /proc/loadavg))"
} | tee "$out"
