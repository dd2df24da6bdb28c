-- Schema v1 of the Dossier store on PostgreSQL: the same data as the SQLite schema
-- (crates/store/migrations/0001_init.sql), laid out so that Citus can distribute it.
--
-- Citus layout (see crates/pgstore/README.md):
-- * Per-document tables (documents, doc_ids, doc_bands, mentions, figures, relations,
--   events, work_queue by its key) carry their distribution column first in the
--   primary key: `doc` (the document id) for everything written per document.
-- * doc_shas maps a text's SHA-256 to its document; it is distributed by `sha256`, so
--   "one document per text" is a primary key, not a cross-shard unique index.
-- * Registry-sized tables (meta, entities, aliases, merges, schema_version) are small
--   and read by every query: reference tables, replicated to every node.
-- * No foreign keys at all: Citus forbids them from distributed tables to other
--   distributed tables unless colocated, and the store writes a document and all its
--   rows in one transaction anyway.
-- Spans are span_start/span_end byte offsets; date_lo/date_hi as in the SQLite schema
-- (`date_hi` has a `~` appended so a partial date covers every day under it).

-- Titles and texts are indexed word by word without stemming and without accents, like
-- SQLite's `unicode61 remove_diacritics 2` tokenizer, so both stores find the same
-- documents for the same words.
CREATE TEXT SEARCH CONFIGURATION dossier_text (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION dossier_text
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE documents (
    id          text PRIMARY KEY,
    -- Ingest order (a sequence: concurrent workers interleave, order stays total).
    num         bigserial NOT NULL,
    sha256      text NOT NULL,
    title       text,
    published   text,
    publisher   text,
    author      text,
    url         text,
    chars       bigint NOT NULL,
    near_dup_of text,
    origin      text,
    text        text,
    fingerprint bytea,
    date_lo     text,
    date_hi     text,
    ingested_at timestamptz NOT NULL DEFAULT now(),
    -- Title words weigh more than body words in the ranking (A > D).
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('dossier_text', coalesce(title, '')), 'A')
        || to_tsvector('dossier_text', coalesce(text, ''))
    ) STORED
);
CREATE INDEX documents_num ON documents (num);
CREATE INDEX documents_sha ON documents (sha256);
CREATE INDEX documents_tsv ON documents USING gin (tsv);

-- One row per stored text: the claim that makes concurrent writers idempotent.
CREATE TABLE doc_shas (
    sha256 text PRIMARY KEY,
    doc    text NOT NULL
);

-- Document ids handed out by unique_doc_id: concurrent workers never get the same one.
CREATE TABLE doc_ids (
    id text PRIMARY KEY
);

CREATE TABLE doc_bands (
    doc  text NOT NULL,
    band bigint NOT NULL,
    PRIMARY KEY (doc, band)
);
CREATE INDEX doc_bands_band ON doc_bands (band);

CREATE TABLE entities (
    id         text PRIMARY KEY,
    canonical  text NOT NULL,
    name_key   text NOT NULL,
    type       text NOT NULL,
    country    text,
    lat        double precision,
    lon        double precision,
    parent     text,
    role       text,
    discovered boolean NOT NULL DEFAULT false,
    curated    boolean NOT NULL DEFAULT false,
    first_doc  text,
    -- Optimistic concurrency for curation: every curation edit bumps it.
    version    bigint NOT NULL DEFAULT 0
);
CREATE INDEX entities_name_key ON entities (name_key);
CREATE INDEX entities_trgm ON entities USING gin (name_key gin_trgm_ops);

CREATE TABLE aliases (
    id         bigserial PRIMARY KEY,
    entity     text NOT NULL,
    alias      text NOT NULL,
    alias_key  text NOT NULL,
    source     text NOT NULL CHECK (source IN ('registry', 'discovered', 'learned')),
    doc        text,
    span_start bigint,
    span_end   bigint
);
CREATE UNIQUE INDEX aliases_unique
    ON aliases (entity, alias, source, coalesce(doc, ''), coalesce(span_start, -1));
CREATE INDEX aliases_key ON aliases (alias_key);
CREATE INDEX aliases_trgm ON aliases USING gin (alias_key gin_trgm_ops);

CREATE TABLE mentions (
    doc        text NOT NULL,
    id         bigserial,
    entity     text NOT NULL,
    span_start bigint NOT NULL,
    span_end   bigint NOT NULL CHECK (span_start <= span_end),
    text       text NOT NULL,
    rule       text NOT NULL,
    date_lo    text,
    date_hi    text,
    PRIMARY KEY (doc, id)
);
CREATE INDEX mentions_doc ON mentions (doc, span_start);
CREATE INDEX mentions_entity ON mentions (entity);

CREATE TABLE figures (
    doc        text NOT NULL,
    id         bigserial,
    value      double precision NOT NULL,
    value_max  double precision,
    bound      text NOT NULL,
    unit       text NOT NULL,
    metric     text NOT NULL,
    subject    text,
    period     text,
    place      text,
    source     text,
    hedged     boolean NOT NULL,
    span_start bigint NOT NULL,
    span_end   bigint NOT NULL CHECK (span_start <= span_end),
    text       text NOT NULL,
    rule       text NOT NULL,
    date_lo    text,
    date_hi    text,
    PRIMARY KEY (doc, id)
);
CREATE INDEX figures_doc ON figures (doc, span_start);
CREATE INDEX figures_subject ON figures (subject);
CREATE INDEX figures_metric ON figures (metric);

CREATE TABLE relations (
    doc           text NOT NULL,
    id            bigserial,
    source        text NOT NULL,
    type          text NOT NULL,
    target        text NOT NULL,
    stance        text NOT NULL,
    attributed_to text,
    span_start    bigint NOT NULL,
    span_end      bigint NOT NULL CHECK (span_start <= span_end),
    text          text NOT NULL,
    rule          text NOT NULL,
    date_lo       text,
    date_hi       text,
    PRIMARY KEY (doc, id)
);
CREATE INDEX relations_doc ON relations (doc, span_start);
CREATE INDEX relations_source ON relations (source);
CREATE INDEX relations_target ON relations (target);

CREATE TABLE events (
    doc            text NOT NULL,
    id             bigserial,
    type           text NOT NULL,
    date           text,
    date_precision text NOT NULL,
    place          text,
    perpetrator    text,
    target         text,
    killed         double precision,
    injured        double precision,
    span_start     bigint NOT NULL,
    span_end       bigint NOT NULL CHECK (span_start <= span_end),
    text           text NOT NULL,
    rule           text NOT NULL,
    date_lo        text,
    date_hi        text,
    PRIMARY KEY (doc, id)
);
CREATE INDEX events_doc ON events (doc, span_start);
CREATE INDEX events_perpetrator ON events (perpetrator);
CREATE INDEX events_place ON events (place);

CREATE TABLE merges (
    id        bigserial PRIMARY KEY,
    keep      text NOT NULL,
    absorb    text NOT NULL CHECK (absorb <> keep),
    at        timestamptz NOT NULL DEFAULT now(),
    undone    boolean NOT NULL DEFAULT false,
    undone_at timestamptz
);
CREATE UNIQUE INDEX merges_live_absorb ON merges (absorb) WHERE NOT undone;

-- Work units for cooperating ingest workers: one input (a file) each, keyed by the
-- SHA-256 of its bytes so the same corpus enqueued by several workers is one set of
-- units. Claimed with FOR UPDATE SKIP LOCKED; a unit taken by a worker that died is
-- taken again once `lease_until` has passed.
CREATE TABLE work_queue (
    key         text PRIMARY KEY,
    path        text NOT NULL,
    state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'taken', 'done', 'failed')),
    worker      text,
    attempts    integer NOT NULL DEFAULT 0,
    lease_until timestamptz,
    generation  bigint,
    message     text,
    enqueued_at timestamptz NOT NULL DEFAULT now(),
    done_at     timestamptz
);
CREATE INDEX work_queue_pending ON work_queue (enqueued_at, path) WHERE state IN ('pending', 'taken');
