#!/usr/bin/env python3
"""Validate data/actors.toml and data/places.tsv (stdlib only, Python 3.11+).

Catches what the Rust loader would otherwise turn into silent mislinking: duplicate
ids, dangling parents, unknown types, coordinates off the map, and two entries
claiming the same alias. Aliases are compared after the same kind of folding the
matcher does (case, diacritics, punctuation, spacing, possessive 's, and the common
transliteration variants), so a collision here is a collision at match time.

Usage: python3 tools/registry/check.py [ROOT]   (exit 0 = clean, 1 = problems)
"""
import csv
import re
import sys
import tomllib
import unicodedata
from pathlib import Path

ACTOR_TYPES = {
    "armed_group", "faction", "state", "government_body", "military",
    "intelligence_agency", "political_party", "international_org", "research_org",
    "media", "person", "company", "other",
}
PLACE_TYPES = {"country", "province", "district", "city", "town", "region",
               "border_crossing", "facility"}
SOURCES = {"geonames", "gaul", "hand"}
ACTOR_KEYS = {"id", "canonical", "type", "country", "parent", "role", "leads",
              "aliases", "exact", "shared", "prior"}
PLACE_COLUMNS = ["id", "canonical", "type", "country", "parent", "lat", "lon",
                 "aliases", "exact", "source"]
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ISO2_RE = re.compile(r"^[A-Z]{2}$")
# (lat_min, lat_max, lon_min, lon_max): a Pakistani or Afghan point outside its box is
# almost always a swapped lat/lon or a same-named place elsewhere.
BOXES = {"PK": (23.5, 37.2, 60.8, 77.9), "AF": (29.3, 38.5, 60.5, 75.0)}
# Spelling variants the matcher folds together; folding them here too means the check
# sees the same collisions the matcher will.
VARIANTS = [("tehreek", "tehrik"), ("khurasan", "khorasan"), ("qaida", "qaeda"),
            ("mahsud", "mehsud"), ("kandhar", "kandahar")]


def fold(name):
    s = name.replace("\u2019", "'")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"'s\b", "", s)
    # Connective -i-/-e- (Tehrik-i-Taliban, Tehreek-e-Taliban) is dropped entirely.
    s = re.sub(r"(?<=[a-z])[- ]+[ie][- ]+(?=[a-z])", " ", s)
    for a, b in VARIANTS:
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]", "", s)


class Report:
    def __init__(self):
        self.errors = []

    def err(self, where, msg):
        self.errors.append(f"{where}: {msg}")


def load_actors(path, rep):
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        rep.err(path.name, f"cannot parse: {e}")
        return []
    extra = set(data) - {"actor"}
    if extra:
        rep.err(path.name, f"unexpected top-level keys {sorted(extra)}")
    actors = data.get("actor", [])
    for i, a in enumerate(actors):
        where = f"actors.toml actor #{i + 1} ({a.get('id', '?')})"
        for key in sorted(set(a) - ACTOR_KEYS):
            rep.err(where, f"unknown key `{key}`")
        for key in ("id", "canonical", "type"):
            if not isinstance(a.get(key), str) or not a[key].strip():
                rep.err(where, f"missing or empty `{key}`")
        for key in ("aliases", "exact", "shared"):
            v = a.get(key, [])
            if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
                rep.err(where, f"`{key}` must be a list of non-empty strings")
                a[key] = []
        if a.get("type") not in ACTOR_TYPES:
            rep.err(where, f"type `{a.get('type')}` is not an actor type")
        if "country" in a and not ISO2_RE.match(str(a["country"])):
            rep.err(where, f"country `{a['country']}` is not ISO-2")
        if a.get("type") != "person":
            for key in ("role", "leads"):
                if key in a:
                    rep.err(where, f"`{key}` is for persons only")
        if "prior" in a and (not isinstance(a["prior"], (int, float)) or not 0 < a["prior"] <= 1):
            rep.err(where, "`prior` must be a number in (0, 1]")
        names = {a.get("canonical", "")} | set(a.get("aliases", [])) | set(a.get("shared", []))
        for x in a.get("exact", []):
            if x not in names:
                rep.err(where, f"exact `{x}` is not the canonical name, an alias or a shared alias")
        dup = [x for x in a.get("aliases", []) if x == a.get("canonical")]
        if dup:
            rep.err(where, "alias repeats the canonical name")
    return actors


def load_places(path, rep):
    rows = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        rep.err(path.name, f"cannot read: {e}")
        return rows
    lines = text.split("\n")
    if lines[0].split("\t") != PLACE_COLUMNS:
        rep.err("places.tsv line 1", f"header must be {PLACE_COLUMNS}")
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        where = f"places.tsv line {n}"
        cells = line.split("\t")
        if len(cells) != len(PLACE_COLUMNS):
            rep.err(where, f"{len(cells)} columns, expected {len(PLACE_COLUMNS)}")
            continue
        r = dict(zip(PLACE_COLUMNS, cells))
        r["line"] = n
        r["aliases"] = [x for x in r["aliases"].split("|") if x] if r["aliases"] else []
        r["exact"] = [x for x in r["exact"].split("|") if x] if r["exact"] else []
        if any(c != c.strip() for c in cells):
            rep.err(where, "cell with leading/trailing whitespace")
        if not r["canonical"]:
            rep.err(where, "empty canonical")
        if r["type"] not in PLACE_TYPES:
            rep.err(where, f"type `{r['type']}` is not a place type")
        if r["source"] not in SOURCES:
            rep.err(where, f"source `{r['source']}` not in {sorted(SOURCES)}")
        if r["country"] and not ISO2_RE.match(r["country"]):
            rep.err(where, f"country `{r['country']}` is not ISO-2")
        if not r["country"] and r["type"] != "region":
            rep.err(where, "only multi-country regions may omit the country")
        check_point(r, where, rep)
        for x in r["exact"]:
            if x not in [r["canonical"]] + r["aliases"]:
                rep.err(where, f"exact `{x}` is not the canonical name or an alias")
        rows.append(r)
    return rows


def check_point(r, where, rep):
    if r["lat"] == "" and r["lon"] == "":
        if r["type"] != "region":
            rep.err(where, "coordinates missing (allowed only for regions)")
        return
    try:
        lat, lon = float(r["lat"]), float(r["lon"])
    except ValueError:
        rep.err(where, f"bad coordinates `{r['lat']}`, `{r['lon']}`")
        return
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        rep.err(where, f"coordinates out of range {lat}, {lon}")
    box = BOXES.get(r["country"])
    if box and not (box[0] <= lat <= box[1] and box[2] <= lon <= box[3]):
        rep.err(where, f"{r['id']} ({lat}, {lon}) lies outside {r['country']}")


def check_links(actors, places, rep):
    actor_ids, place_ids = {}, {}
    for a in actors:
        i = a.get("id", "")
        if not ID_RE.match(i):
            rep.err(f"actor {i}", "id is not lowercase kebab-case")
        if i in actor_ids:
            rep.err(f"actor {i}", "duplicate id")
        actor_ids[i] = a
    for r in places:
        i = r["id"]
        if not ID_RE.match(i):
            rep.err(f"places.tsv line {r['line']}", f"id `{i}` is not lowercase kebab-case")
        if i in place_ids:
            rep.err(f"places.tsv line {r['line']}", f"duplicate id `{i}`")
        if i in actor_ids:
            rep.err(f"places.tsv line {r['line']}", f"id `{i}` is also an actor id")
        place_ids[i] = r
    countries = {r["country"] for r in places if r["type"] == "country"}
    for a in actors:
        where = f"actor {a.get('id')}"
        for key in ("parent", "leads"):
            if key in a and a[key] not in actor_ids:
                rep.err(where, f"{key} `{a[key]}` is not an actor id")
        if a.get("parent") == a.get("id"):
            rep.err(where, "is its own parent")
        if "country" in a and a["country"] not in countries:
            rep.err(where, f"country `{a['country']}` has no country row in places.tsv")
    for r in places:
        where = f"places.tsv line {r['line']} ({r['id']})"
        if r["type"] == "country":
            if r["parent"]:
                rep.err(where, "a country has no parent")
        elif r["parent"] and r["parent"] not in place_ids:
            rep.err(where, f"parent `{r['parent']}` is not a place id")
        if r["country"] and r["country"] not in countries:
            rep.err(where, f"country `{r['country']}` has no country row")
    # A parent chain that loops would hang any code walking up the hierarchy.
    for table, key in ((actor_ids, "parent"), (place_ids, "parent")):
        for start in table:
            seen, cur = set(), start
            while cur in table and table[cur].get(key):
                if cur in seen:
                    rep.err(f"id {start}", "parent chain loops")
                    break
                seen.add(cur)
                cur = table[cur][key]


def check_aliases(actors, places, rep):
    claims = {}  # folded name -> list of (owner, is_shared)
    for a in actors:
        owner = f"actor {a.get('id')}"
        # A canonical name or alias also listed in `shared` is shared: a person's full
        # name can legitimately name the group they lead (Hafiz Gul Bahadur).
        shared_keys = {fold(x) for x in a.get("shared", [])}
        names = [a.get("canonical", "")] + a.get("aliases", []) + a.get("shared", [])
        seen = set()
        for name in names:
            key = fold(name)
            shared = key in shared_keys
            if not key:
                rep.err(owner, f"name `{name}` folds to nothing")
                continue
            if key in seen:
                continue
            seen.add(key)
            claims.setdefault(key, []).append((owner, shared, name))
    for r in places:
        owner = f"place {r['id']}"
        seen = set()
        for name in [r["canonical"]] + r["aliases"]:
            key = fold(name)
            if not key:
                rep.err(owner, f"name `{name}` folds to nothing")
                continue
            if key in seen:
                continue
            seen.add(key)
            claims.setdefault(key, []).append((owner, False, name))
    for key, owners in sorted(claims.items()):
        if len(owners) < 2:
            continue
        if all(shared for _, shared, _ in owners):
            continue
        who = ", ".join(f"{o} (`{n}`{' shared' if s else ''})" for o, s, n in owners)
        rep.err(f"alias `{key}`", f"claimed by {who}")


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
    rep = Report()
    actors = load_actors(root / "data" / "actors.toml", rep)
    places = load_places(root / "data" / "places.tsv", rep)
    check_links(actors, places, rep)
    check_aliases(actors, places, rep)
    for e in rep.errors:
        print(e)
    print(f"{len(actors)} actors, {len(places)} places, {len(rep.errors)} problems")
    return 1 if rep.errors else 0


if __name__ == "__main__":
    sys.exit(main())
