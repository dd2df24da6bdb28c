#!/usr/bin/env bash
# End-to-end ingest benchmark on generated corpora.
#
#   tools/bench/ingest.sh [SIZES...]        default sizes: 1000 10000
#
# For each size: `dossier generate` a corpus (seed 1) under $BENCH_DIR, then time
# `dossier ingest` of it into a fresh store with /usr/bin/time -v (wall time, peak RSS),
# and report MB/s of input bytes and ms per document. On the largest store it times
# `dossier actor TTP` (median of 5 runs). Each size is then ingested a second time into
# the same store (every text is a duplicate: this times the re-ingest path, reingest_s).
# Results go to stdout and $BENCH_DIR/ingest.tsv.
# Needs the release binary: `cargo build --release -p dossier` (built here if missing).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${DOSSIER_BIN:-$ROOT/target/release/dossier}"
BENCH_DIR="${BENCH_DIR:-/tmp/dossier-bench}"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(1000 10000)

if [ ! -x "$BIN" ]; then
  (cd "$ROOT" && cargo build --release -p dossier)
fi
if [ ! -x /usr/bin/time ]; then
  echo "needs GNU time: apt-get install -y time" >&2
  exit 2
fi
mkdir -p "$BENCH_DIR"
OUT="$BENCH_DIR/ingest.tsv"
printf 'docs\tinput_MB\tgen_s\tingest_s\tMB_per_s\tms_per_doc\tpeak_RSS_MB\tCPU\twritten_GB\tstore_MB\tstored_docs\treingest_s\n' > "$OUT"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) (other builds on the machine skew the numbers)"

last_db=""
for n in "${SIZES[@]}"; do
  corpus="$BENCH_DIR/corpus-$n"
  db="$BENCH_DIR/store-$n.db"
  rm -rf "$corpus" "$db" "$db-wal" "$db-shm"
  t0=$(date +%s.%N)
  "$BIN" generate --docs "$n" --seed 1 --out "$corpus" > "$BENCH_DIR/generate-$n.json"
  t1=$(date +%s.%N)
  # Input bytes: the articles only, not the manifest.
  bytes=$(find "$corpus" -type f ! -name .manifest.jsonl -printf '%s\n' | awk '{s+=$1} END {print s}')
  echo "$n docs: load before ingest: $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/time -v -o "$BENCH_DIR/time-$n.txt" \
    "$BIN" --db "$db" ingest "$corpus" --json > "$BENCH_DIR/report-$n.json" 2> "$BENCH_DIR/ingest-$n.log" || true
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$BENCH_DIR/time-$n.txt" \
    | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH_DIR/time-$n.txt")
  cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$BENCH_DIR/time-$n.txt")
  # "File system outputs" counts 512-byte blocks written (WAL, checkpoints, database).
  out_blocks=$(awk -F': ' '/File system outputs/ {print $2}' "$BENCH_DIR/time-$n.txt")
  store_bytes=$(stat -c %s "$db")
  stored=$("$BIN" --db "$db" stats | awk -F: '/"documents"/ {gsub(/[ ,]/, "", $2); print $2; exit}')
  # Second run over the same inputs: all exact duplicates of stored texts.
  r0=$(date +%s.%N)
  "$BIN" --db "$db" ingest "$corpus" > /dev/null 2> "$BENCH_DIR/reingest-$n.log" || true
  r1=$(date +%s.%N)
  reingest=$(awk -v a="$r0" -v b="$r1" 'BEGIN {printf "%.1f", b-a}')
  gen=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b-a}')
  # The generator's own timing is not part of the ingest figure.
  row=$(awk -v n="$n" -v by="$bytes" -v w="$wall" -v r="$rss_kb" -v g="$gen" -v s="$stored" \
    -v c="$cpu" -v o="$out_blocks" -v sb="$store_bytes" -v ri="$reingest" \
    'BEGIN {mb=by/1048576; printf "%d\t%.1f\t%s\t%.1f\t%.2f\t%.2f\t%.0f\t%s\t%.2f\t%.0f\t%s\t%s", n, mb, g, w, mb/w, 1000*w/n, r/1024, c, o*512/1e9, sb/1048576, s, ri}')
  printf '%s\n' "$row" >> "$OUT"
  last_db="$db"
done

column -t -s $'\t' "$OUT"

if [ -n "$last_db" ]; then
  times=()
  for _ in 1 2 3 4 5; do
    s=$(date +%s%N)
    "$BIN" --db "$last_db" actor TTP > /dev/null
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  echo "query: dossier actor TTP on $(basename "$last_db"): median ${median} ms (runs: ${times[*]} ms)"
  printf 'query_actor_TTP_ms\t%s\n' "$median" >> "$OUT"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
