#!/usr/bin/env python3
"""Validate a Dossier export with the tool its ecosystem uses.

    validate.py FORMAT FILE [--strict] [--nodes N] [--edges M] [--rows R]

FORMAT is one of: stix, graphml, gexf, events-csv, figures-csv, geojson.

* stix        OASIS stix2-validator 3.3.1 (STIX 2.1, references enforced). Errors fail;
              warnings are listed. --strict turns every SHOULD into an error except the
              checks in STIX_ACCEPTED_WARNINGS, which Dossier breaks on purpose.
* graphml     networkx.read_graphml; node/edge counts must match the XML, and every
              node/edge carries the attributes Dossier promises, with sane values.
* gexf        networkx.read_gexf, same checks on GEXF's attribute titles.
* events-csv  pandas.read_csv; exact ACLED-like column list and numeric dtypes.
* figures-csv pandas.read_csv; exact column list and dtypes.
* geojson     jsonschema against geojson.schema.json beside this script.

Exit status: 0 valid, 1 invalid, 2 usage error. Findings go to stdout.
"""

import argparse
import json
import math
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Deliberate departures from STIX SHOULDs, each with its reason:
STIX_ACCEPTED_WARNINGS = {
    # Ids are UUIDv5 over data keys so re-exports are byte-identical (SHOULD be v4).
    "uuid-check",
    # Dossier's relation vocabulary (finances, shelters, allied-with, ...) has no STIX
    # equivalent; the spec permits custom lowercase-hyphenated relationship types.
    "relationship-types",
    # Reports carry the article URL; we hold a hash of the extracted clean text, not of
    # the bytes the URL serves, so a truthful url+hash pair is impossible.
    "extref-hashes",
}

EVENT_COLUMNS = [
    "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
    "fatalities_low", "fatalities_high", "source", "notes",
]
FIGURE_COLUMNS = [
    "doc", "value", "value_max", "bound", "unit", "metric", "subject", "period",
    "place", "source", "hedged", "text",
]


class Findings:
    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, msg):
        self.errors.append(msg)

    def warn(self, msg):
        self.warnings.append(msg)

    def check(self, ok, msg):
        if not ok:
            self.error(msg)


def validate_stix(path, args, f):
    from stix2validator import ValidationOptions, validate_file
    from stix2validator.v21.enums import CHECK_CODES

    base = dict(version="2.1", enforce_refs=True, silent=True)
    results = validate_file(str(path), ValidationOptions(**base))
    if results.fatal is not None:
        f.error(f"fatal: {results.fatal.message}")
        return
    by_check = {}
    for obj in results.object_results:
        for e in obj.errors or []:
            if "Cannot locate a schema" in str(e):
                f.error("stix2-validator has no schemas: run tools/validate/setup.sh")
            f.error(f"{obj.object_id}: {e}")
        for w in obj.warnings or []:
            m = re.search(r"\{(\d+)\}\s*(.*)", str(w))
            code = m.group(1) if m else "?"
            name = CHECK_CODES.get(code, code)
            by_check.setdefault(name, []).append(m.group(2) if m else str(w))
    for name, msgs in sorted(by_check.items()):
        accepted = " (accepted, see STIX_ACCEPTED_WARNINGS)" if name in STIX_ACCEPTED_WARNINGS else ""
        f.warn(f"{len(msgs)} x {name}{accepted}: e.g. {msgs[0]}")
    with open(path, encoding="utf-8") as fh:
        bundle = json.load(fh)
    objects = bundle.get("objects", [])
    counts = {}
    for o in objects:
        counts[o.get("type")] = counts.get(o.get("type"), 0) + 1
    print("stix objects: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    if args.strict:
        strict = ValidationOptions(strict=True, disabled=sorted(STIX_ACCEPTED_WARNINGS), **base)
        strict_results = validate_file(str(path), strict)
        for obj in strict_results.object_results:
            for e in obj.errors or []:
                f.error(f"strict: {obj.object_id}: {e}")
    f.check(len(objects) > 0, "bundle has no objects")


def xml_counts(path, ns):
    root = ET.parse(path).getroot()
    return len(root.findall(f".//{{{ns}}}node")), len(root.findall(f".//{{{ns}}}edge"))


def check_graph(g, xml_nodes, xml_edges, node_attrs, edge_attrs, relation_key, args, f):
    import networkx as nx

    print(f"{type(g).__name__}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    f.check(g.is_directed(), "graph is not directed")
    f.check(g.number_of_nodes() == xml_nodes, f"networkx sees {g.number_of_nodes()} nodes, XML has {xml_nodes}")
    f.check(g.number_of_edges() == xml_edges, f"networkx sees {g.number_of_edges()} edges, XML has {xml_edges}")
    if args.nodes is not None:
        f.check(g.number_of_nodes() == args.nodes, f"expected {args.nodes} nodes")
    if args.edges is not None:
        f.check(g.number_of_edges() == args.edges, f"expected {args.edges} edges")
    for n, data in g.nodes(data=True):
        for a in node_attrs:
            f.check(a in data, f"node {n} lacks {a}")
    edges = g.edges(data=True, keys=True) if g.is_multigraph() else g.edges(data=True)
    for e in edges:
        data = e[-1]
        for a in edge_attrs:
            f.check(a in data, f"edge {e[:-1]} lacks {a}")
        n = data.get("source_count")
        docs = str(data.get("docs", "")).split("|")
        f.check(isinstance(n, int) and n == len(docs), f"edge {e[:-1]}: source_count {n!r} != {len(docs)} docs")
        conf = data.get("confidence")
        if isinstance(n, int) and isinstance(conf, float):
            f.check(math.isclose(conf, 1 - 0.5 ** n, abs_tol=1e-3), f"edge {e[:-1]}: confidence {conf} for {n} docs")
        else:
            f.error(f"edge {e[:-1]}: confidence {conf!r} is not a float")
        f.check(data.get(relation_key), f"edge {e[:-1]} has an empty {relation_key}")
    if g.number_of_nodes():
        # Gephi and most layouts need this to be computable; it also exercises the graph.
        nx.density(g)


def validate_graphml(path, args, f):
    import networkx as nx

    g = nx.read_graphml(path)
    xn, xe = xml_counts(path, "http://graphml.graphdrawing.org/xmlns")
    check_graph(g, xn, xe, ["label", "type", "aliases", "country", "mentions"],
                ["type", "stance", "source_count", "docs", "confidence", "weight"], "type", args, f)


def validate_gexf(path, args, f):
    import networkx as nx

    g = nx.read_gexf(path)
    xn, xe = xml_counts(path, "http://www.gexf.net/1.2draft")
    check_graph(g, xn, xe, ["label", "type", "aliases", "country", "mentions"],
                ["relation", "stance", "source_count", "docs", "confidence"], "relation", args, f)


def read_csv(path, columns, text_columns, args, f):
    import pandas as pd

    # Text columns are read as text, as a consumer should: a period of "2024" or an
    # event_date of "2024" must not turn into a float. Numbers are left to inference,
    # so a stray word in a numeric column shows up as a wrong dtype.
    df = pd.read_csv(path, dtype={c: str for c in text_columns}, keep_default_na=True)
    print(f"{len(df)} rows; dtypes: " + ", ".join(f"{c}={t}" for c, t in df.dtypes.items()))
    f.check(list(df.columns) == columns, f"columns {list(df.columns)} != {columns}")
    if args.rows is not None:
        f.check(len(df) == args.rows, f"expected {args.rows} rows, found {len(df)}")
    return df


def numeric(df, col, f, lo=None, hi=None, allowed=None):
    import pandas as pd

    if col not in df:
        return
    s = df[col]
    f.check(pd.api.types.is_numeric_dtype(s), f"{col} has dtype {s.dtype}, expected numeric")
    if not pd.api.types.is_numeric_dtype(s):
        return
    v = s.dropna()
    if lo is not None:
        f.check((v >= lo).all(), f"{col} has values below {lo}")
    if hi is not None:
        f.check((v <= hi).all(), f"{col} has values above {hi}")
    if allowed is not None:
        f.check(v.isin(allowed).all(), f"{col} has values outside {allowed}")


def textual(df, cols, f):
    import pandas as pd

    for col in cols:
        if col in df and df[col].notna().any():
            f.check(pd.api.types.is_object_dtype(df[col]) or pd.api.types.is_string_dtype(df[col]),
                    f"{col} has dtype {df[col].dtype}, expected text")


def validate_events_csv(path, args, f):
    text = ["event_date", "event_type", "sub_event_type", "actor1", "actor2", "admin1",
            "admin2", "location", "source", "notes"]
    df = read_csv(path, EVENT_COLUMNS, text, args, f)
    numeric(df, "time_precision", f, allowed=[1, 2, 3])
    numeric(df, "geo_precision", f, allowed=[1, 2, 3])
    numeric(df, "latitude", f, -90, 90)
    numeric(df, "longitude", f, -180, 180)
    numeric(df, "fatalities_low", f, 0)
    numeric(df, "fatalities_high", f, 0)
    textual(df, text, f)
    if "event_type" in df:
        f.check(df["event_type"].notna().all(), "event_type is empty in some rows")
    if "event_date" in df:
        dates = df["event_date"].dropna().astype(str)
        f.check(dates.str.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?").all(), "event_date not ISO")
    if {"fatalities_low", "fatalities_high"} <= set(df.columns):
        both = df[["fatalities_low", "fatalities_high"]].dropna()
        f.check((both["fatalities_low"] <= both["fatalities_high"]).all(), "fatalities_low > fatalities_high")


def validate_figures_csv(path, args, f):
    import pandas as pd

    text = ["doc", "bound", "unit", "metric", "subject", "period", "place", "source", "text"]
    df = read_csv(path, FIGURE_COLUMNS, text, args, f)
    numeric(df, "value", f)
    numeric(df, "value_max", f)
    if "hedged" in df and len(df):
        f.check(pd.api.types.is_bool_dtype(df["hedged"]), f"hedged has dtype {df['hedged'].dtype}, expected bool")
    if "bound" in df:
        f.check(df["bound"].isin(["exact", "at_least", "at_most", "approx", "range"]).all(), "unknown bound")
    textual(df, text, f)


def validate_geojson(path, args, f):
    from jsonschema import Draft202012Validator

    schema = json.loads((HERE / "geojson.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    for err in sorted(Draft202012Validator(schema).iter_errors(doc), key=lambda e: list(e.path)):
        f.error(f"{'/'.join(map(str, err.path)) or '(root)'}: {err.message}")
    feats = doc.get("features", []) if isinstance(doc, dict) else []
    kinds = {}
    for feat in feats:
        k = (feat.get("properties") or {}).get("kind")
        kinds[k] = kinds.get(k, 0) + 1
    print(f"{len(feats)} features: " + ", ".join(f"{k}={v}" for k, v in sorted(kinds.items(), key=str)))
    if args.rows is not None:
        f.check(len(feats) == args.rows, f"expected {args.rows} features, found {len(feats)}")


VALIDATORS = {
    "stix": validate_stix,
    "graphml": validate_graphml,
    "gexf": validate_gexf,
    "events-csv": validate_events_csv,
    "figures-csv": validate_figures_csv,
    "geojson": validate_geojson,
}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("format", choices=sorted(VALIDATORS))
    p.add_argument("file", type=Path)
    p.add_argument("--strict", action="store_true", help="STIX: SHOULDs are errors, bar the accepted ones")
    p.add_argument("--nodes", type=int, help="graph: expected node count")
    p.add_argument("--edges", type=int, help="graph: expected edge count")
    p.add_argument("--rows", type=int, help="CSV: expected rows; GeoJSON: expected features")
    args = p.parse_args(argv)
    if not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    f = Findings()
    try:
        VALIDATORS[args.format](args.file, args, f)
    except Exception as exc:  # a reader that chokes is a validation failure, not a crash
        f.error(f"{type(exc).__name__}: {exc}")
    for w in f.warnings:
        print(f"warning: {w}")
    for e in f.errors:
        print(f"error: {e}")
    status = "valid" if not f.errors else f"INVALID ({len(f.errors)} errors)"
    print(f"{args.format} {args.file}: {status}, {len(f.warnings)} kinds of warning")
    return 0 if not f.errors else 1


if __name__ == "__main__":
    sys.exit(main())
