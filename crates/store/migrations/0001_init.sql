-- Schema v1 of the Dossier store.
--
-- Conventions:
-- * Spans are `span_start`/`span_end` byte offsets (END is an SQL keyword).
-- * Every claim row carries `date_lo`/`date_hi`, computed by the store at insert time
--   from the record's own date (event date, figure period) or else the document's
--   publication date, so date-range filters are two string comparisons. `date_hi` has a
--   `~` appended: it sorts after every digit and `-`, so a partial date like `2024`
--   covers every day of that year.
-- * References to entities (mention.entity, figure.subject, …) are NOT foreign keys: the
--   interchange format lets them hold a literal name when the thing is not a known entity,
--   and merges redirect ids at read time instead of rewriting rows.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- `num` is an explicit INTEGER PRIMARY KEY so that the FTS index's rowids stay valid
-- across VACUUM (an implicit rowid may be renumbered).
CREATE TABLE documents (
    num         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    sha256      TEXT NOT NULL UNIQUE,
    title       TEXT,
    published   TEXT,
    publisher   TEXT,
    author      TEXT,
    url         TEXT,
    chars       INTEGER NOT NULL,
    near_dup_of TEXT,
    origin      TEXT,
    text        TEXT,
    fingerprint BLOB,
    date_lo     TEXT,
    date_hi     TEXT,
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- LSH band keys of the MinHash fingerprint: documents sharing a band are candidates.
CREATE TABLE doc_bands (
    band INTEGER NOT NULL,
    doc  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band, doc)
) WITHOUT ROWID;
CREATE INDEX doc_bands_doc ON doc_bands(doc);

-- External-content FTS5 index over documents(title, text): the text is stored once, in
-- `documents`; triggers keep the index in step. snippet() reads the content table.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text,
    content = 'documents', content_rowid = 'num',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.num, new.title, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.num, old.title, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.num, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.num, new.title, new.text);
END;

CREATE TABLE entities (
    id         TEXT PRIMARY KEY,
    canonical  TEXT NOT NULL,
    name_key   TEXT NOT NULL,          -- normalized canonical, for case-insensitive lookup
    type       TEXT NOT NULL,
    country    TEXT,
    lat        REAL,
    lon        REAL,
    parent     TEXT,
    role       TEXT,
    discovered INTEGER NOT NULL DEFAULT 0 CHECK (discovered IN (0, 1)),
    curated    INTEGER NOT NULL DEFAULT 0 CHECK (curated IN (0, 1)),
    first_doc  TEXT                    -- where a discovered entity was first seen
);
CREATE INDEX entities_name_key ON entities(name_key);

-- source: `registry` (listed in the registry file), `discovered` (listed on a
-- discovered entity), `learned` (defined by a document's text, with its evidence span).
CREATE TABLE aliases (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL,
    alias      TEXT NOT NULL,
    alias_key  TEXT NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('registry', 'discovered', 'learned')),
    doc        TEXT REFERENCES documents(id) ON DELETE CASCADE,
    span_start INTEGER,
    span_end   INTEGER
);
CREATE UNIQUE INDEX aliases_unique
    ON aliases(entity, alias, source, coalesce(doc, ''), coalesce(span_start, -1));
CREATE INDEX aliases_key ON aliases(alias_key);

CREATE TABLE mentions (
    id         INTEGER PRIMARY KEY,
    doc        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity     TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL CHECK (span_start <= span_end),
    text       TEXT NOT NULL,
    rule       TEXT NOT NULL,
    date_lo    TEXT,
    date_hi    TEXT
);
CREATE INDEX mentions_doc ON mentions(doc, span_start);
CREATE INDEX mentions_entity ON mentions(entity);

CREATE TABLE figures (
    id         INTEGER PRIMARY KEY,
    doc        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    value      REAL NOT NULL,
    value_max  REAL,
    bound      TEXT NOT NULL,
    unit       TEXT NOT NULL,
    metric     TEXT NOT NULL,
    subject    TEXT,
    period     TEXT,
    place      TEXT,
    source     TEXT,
    hedged     INTEGER NOT NULL CHECK (hedged IN (0, 1)),
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL CHECK (span_start <= span_end),
    text       TEXT NOT NULL,
    rule       TEXT NOT NULL,
    date_lo    TEXT,
    date_hi    TEXT
);
CREATE INDEX figures_doc ON figures(doc, span_start);
CREATE INDEX figures_subject ON figures(subject);
CREATE INDEX figures_metric ON figures(metric);

CREATE TABLE relations (
    id            INTEGER PRIMARY KEY,
    doc           TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    source        TEXT NOT NULL,
    type          TEXT NOT NULL,
    target        TEXT NOT NULL,
    stance        TEXT NOT NULL,
    attributed_to TEXT,
    span_start    INTEGER NOT NULL,
    span_end      INTEGER NOT NULL CHECK (span_start <= span_end),
    text          TEXT NOT NULL,
    rule          TEXT NOT NULL,
    date_lo       TEXT,
    date_hi       TEXT
);
CREATE INDEX relations_doc ON relations(doc, span_start);
CREATE INDEX relations_source ON relations(source);
CREATE INDEX relations_target ON relations(target);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    doc            TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    type           TEXT NOT NULL,
    date           TEXT,
    date_precision TEXT NOT NULL,
    place          TEXT,
    perpetrator    TEXT,
    target         TEXT,
    killed         REAL,
    injured        REAL,
    span_start     INTEGER NOT NULL,
    span_end       INTEGER NOT NULL CHECK (span_start <= span_end),
    text           TEXT NOT NULL,
    rule           TEXT NOT NULL,
    date_lo        TEXT,
    date_hi        TEXT
);
CREATE INDEX events_doc ON events(doc, span_start);
CREATE INDEX events_perpetrator ON events(perpetrator);
CREATE INDEX events_place ON events(place);

-- Curation: `absorb` reads as `keep` while the merge is not undone. Rows are never
-- rewritten, so undoing a merge is setting `undone`.
CREATE TABLE merges (
    id        INTEGER PRIMARY KEY,
    keep      TEXT NOT NULL,
    absorb    TEXT NOT NULL CHECK (absorb <> keep),
    at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    undone    INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
    undone_at TEXT
);
-- At most one live merge per absorbed entity.
CREATE UNIQUE INDEX merges_live_absorb ON merges(absorb) WHERE undone = 0;
