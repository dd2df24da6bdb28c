#!/usr/bin/env python3
"""Entity-level precision/recall of Dossier against DSTL's re3d gold.

usage: tools/eval/re3d.py [--dossier target/release/dossier] [--re3d ../shared/data/re3d]
                         [--missing CLASS]

--missing person|org|loc lists, after the scores, that class's gold names nothing matched
(exact) and the system's names that match no gold name, for error analysis.

Writes re3d's documents as a JSONL batch, ingests it into a throwaway store, exports,
and compares per document the mentions Dossier found with re3d's Person / Organisation /
Location annotations of confidence >= 0.5. Matching is by surface text within the same
document (the clean text may differ from re3d's in whitespace, so offsets are not used):
- exact: the same type and the same normalized text;
- overlap: the same type and one text contains the other (re3d often includes
  determiners and modifiers: "the Kurdish YPG").
Nothing of re3d is kept or shipped; this is measurement only.
"""
import argparse, collections, json, os, re, subprocess, sys, tempfile

TYPES = {"Person": "person", "Organisation": "org", "Location": "loc"}
PLACE = {"country", "province", "district", "city", "town", "region", "border_crossing", "facility"}

def our_class(t):
    if t == "person":
        return "person"
    if t in PLACE:
        return "loc"
    return "org"

def norm(s):
    s = re.sub(r"[’'`\".,()]", "", s.lower())
    s = re.sub(r"^(the|a|an) ", "", s.strip())
    return re.sub(r"[\s\-]+", " ", s).strip()

def read_lines(path):
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.strip()
            if line:
                yield json.loads(line)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dossier", default="target/release/dossier")
    ap.add_argument("--re3d", default="../shared/data/re3d")
    ap.add_argument("--missing", choices=["person", "org", "loc"])
    a = ap.parse_args()
    docs, gold = {}, collections.defaultdict(set)
    for sub in sorted(os.listdir(a.re3d)):
        folder = os.path.join(a.re3d, sub)
        if not os.path.isdir(folder):
            continue
        for d in read_lines(os.path.join(folder, "documents.json")):
            docs[d["_id"]] = d
        for e in read_lines(os.path.join(folder, "entities.json")):
            if e["type"] in TYPES and e.get("confidence", 1) >= 0.5:
                gold[e["documentId"]].add((TYPES[e["type"]], norm(e["value"])))
    with tempfile.TemporaryDirectory() as tmp:
        batch = os.path.join(tmp, "re3d.jsonl")
        with open(batch, "w", encoding="utf-8") as fh:
            for i, d in docs.items():
                fh.write(json.dumps({"id": i, "title": d.get("title"), "text": d["text"]}) + "\n")
        db = os.path.join(tmp, "re3d.db")
        subprocess.run([a.dossier, "--db", db, "ingest", batch], check=False, stderr=subprocess.DEVNULL)
        out = subprocess.run([a.dossier, "--db", db, "export"], check=True, capture_output=True, text=True).stdout
    ents, sysm = {}, collections.defaultdict(set)
    for line in out.splitlines():
        o = json.loads(line)
        if o["kind"] == "entity":
            ents[o["id"]] = o
    for line in out.splitlines():
        o = json.loads(line)
        if o["kind"] == "mention" and o["entity"] in ents:
            sysm[o["doc"]].add((our_class(ents[o["entity"]]["type"]), norm(o["text"])))
    for mode in ("exact", "overlap"):
        print(f"== {mode}")
        tot = collections.Counter()
        for cls in ("person", "org", "loc", "all"):
            tp_p = tp_r = n_sys = n_gold = 0
            for doc in docs:
                g = {x for x in gold[doc] if cls in ("all", x[0])}
                s = {x for x in sysm[doc] if cls in ("all", x[0])}
                n_sys += len(s); n_gold += len(g)
                def hit(x, pool):
                    if mode == "exact":
                        return x in pool
                    return any(y[0] == x[0] and (y[1] in x[1] or x[1] in y[1]) and y[1] for y in pool)
                tp_p += sum(hit(x, g) for x in s)
                tp_r += sum(hit(x, s) for x in g)
            p = tp_p / n_sys if n_sys else 0; r = tp_r / n_gold if n_gold else 0
            f = 2 * p * r / (p + r) if p + r else 0
            print(f"  {cls:7s} P={p:.2f} R={r:.2f} F1={f:.2f}  (gold {n_gold}, system {n_sys})")
    if a.missing:
        missed = collections.Counter()
        spurious = collections.Counter()
        for doc in docs:
            g = {x[1] for x in gold[doc] if x[0] == a.missing}
            s = {x[1] for x in sysm[doc] if x[0] == a.missing}
            missed.update(g - s)
            spurious.update(s - g)
        print(f"== {a.missing}: gold not found ({sum(missed.values())})")
        for name, n in sorted(missed.items()):
            print(f"  {n}x {name}")
        print(f"== {a.missing}: found, not gold ({sum(spurious.values())})")
        for name, n in sorted(spurious.items()):
            print(f"  {n}x {name}")

if __name__ == "__main__":
    sys.exit(main())
