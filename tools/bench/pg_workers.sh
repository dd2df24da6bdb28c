#!/usr/bin/env bash
# Cooperating ingest workers on PostgreSQL: documents/s with 1, 2 and 4 workers.
#
#   tools/bench/pg_workers.sh [DOCS] [WORKERS...]     default: 400 docs, workers 1 2 4
#
# Uses the cluster in $DOSSIER_TEST_PG, else starts a throwaway one with
# scripts/pg/cluster.sh (stopped at the end). Generates one synthetic corpus
# (`dossier generate`, seed 1) and, for each worker count, ingests it into a fresh
# PostgreSQL schema with that many `dossier ingest --db postgres://…` processes started
# together; the wall time runs from the start of the first to the end of the last.
# Prints docs/s and checks that every document was stored exactly once. The binary is
# $DOSSIER_BIN, else target/release/dossier, else target/debug/dossier.
# Results also go to $BENCH_DIR/pg_workers.tsv.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DOCS="${1:-400}"
shift || true
COUNTS=("$@")
[ ${#COUNTS[@]} -eq 0 ] && COUNTS=(1 2 4)
BENCH_DIR="${BENCH_DIR:-/tmp/dossier-bench}"
BIN="${DOSSIER_BIN:-}"
if [ -z "$BIN" ]; then
  if [ -x "$ROOT/target/release/dossier" ]; then BIN="$ROOT/target/release/dossier"; else BIN="$ROOT/target/debug/dossier"; fi
fi
[ -x "$BIN" ] || { echo "build dossier first: cargo build --release -p dossier" >&2; exit 2; }
command -v psql >/dev/null || { echo "needs psql (postgresql-client)" >&2; exit 2; }

URL="${DOSSIER_TEST_PG:-}"
if [ -z "$URL" ]; then
  export DOSSIER_PG_DIR="$BENCH_DIR/pg"
  trap '"$ROOT/scripts/pg/cluster.sh" stop "$DOSSIER_PG_DIR"' EXIT
  URL=$("$ROOT/scripts/pg/cluster.sh" start "$DOSSIER_PG_DIR")
fi

mkdir -p "$BENCH_DIR"
CORPUS="$BENCH_DIR/pg-corpus-$DOCS"
[ -d "$CORPUS" ] || "$BIN" generate --docs "$DOCS" --out "$CORPUS" >/dev/null
FILES=$(find "$CORPUS" -type f ! -name '.*' | wc -l)
MB=$(du -sm --exclude='.*' "$CORPUS" | cut -f1)

echo "binary: $BIN"
echo "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus: $DOCS generated documents in $FILES files (~${MB} MB)"
OUT="$BENCH_DIR/pg_workers.tsv"
printf 'workers\tdocs_stored\tseconds\tdocs_per_s\tload_1min\n' | tee "$OUT"
sep='?'; case "$URL" in *\?*) sep='&';; esac
for n in "${COUNTS[@]}"; do
  schema="bench_${n}_$$"
  url="${URL}${sep}options=-csearch_path%3D${schema}"
  psql -q "$URL" -c "DROP SCHEMA IF EXISTS $schema CASCADE" 2>/dev/null
  # Open once so the schema and registry exist before the clock starts.
  "$BIN" --db "$url" stats >/dev/null
  start=$(date +%s.%N)
  pids=()
  for _ in $(seq "$n"); do
    "$BIN" --db "$url" ingest "$CORPUS" >"$BENCH_DIR/worker.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  read -r stored distinct < <(psql -At -F' ' "$URL" -c "SELECT count(*), count(DISTINCT sha256) FROM $schema.documents")
  [ "$stored" = "$distinct" ] || { echo "a text was stored twice ($stored rows, $distinct texts)" >&2; exit 1; }
  secs=$(echo "$end - $start" | bc -l)
  rate=$(echo "$stored / $secs" | bc -l)
  load=$(cut -d' ' -f1 /proc/loadavg)
  printf '%s\t%s\t%.2f\t%.1f\t%s\n' "$n" "$stored" "$secs" "$rate" "$load" | tee -a "$OUT"
  psql -q "$URL" -c "DROP SCHEMA IF EXISTS $schema CASCADE" 2>/dev/null
done
