-- Schema v2: incremental cross-document reconciliation (the same tables as the SQLite
-- store's migration 0005; see crates/store/migrations/0005_reconcile.sql).
--
-- Citus layout: reconcile_items and reconcile_term_items are per-document tables,
-- distributed by `doc` (first in the primary key), like figures and relations.
-- reconcile_results is keyed by the group key and reconcile_terms by the name: both
-- distributable by their key (no cross-table joins need colocation beyond the item
-- tables'); reconcile_state is one row, a reference table.
-- Workers recompute a key under pg_advisory_xact_lock(hash of the key): two workers
-- touching one key take turns, and the later one reads the earlier one's items.
CREATE TABLE reconcile_items (
    doc   text NOT NULL,
    seq   integer NOT NULL,
    key   text NOT NULL,
    terms text[] NOT NULL,
    body  text NOT NULL,
    PRIMARY KEY (doc, seq)
);
CREATE INDEX reconcile_items_key ON reconcile_items (key);

CREATE TABLE reconcile_term_items (
    doc  text NOT NULL,
    term text NOT NULL,
    seq  integer NOT NULL,
    PRIMARY KEY (doc, term, seq)
);
CREATE INDEX reconcile_term_items_term ON reconcile_term_items (term);

CREATE TABLE reconcile_terms (
    term  text PRIMARY KEY,
    state text NOT NULL
);

CREATE TABLE reconcile_results (
    key           text PRIMARY KEY,
    disputes      text NOT NULL,
    contested     text NOT NULL,
    corroboration text NOT NULL
);

-- Keys whose results must be recomputed (written after the items that touch them;
-- `gen` grows, so a recomputation clears only the marks it has seen).
CREATE TABLE reconcile_dirty (
    key text PRIMARY KEY,
    gen bigint NOT NULL
);
CREATE SEQUENCE reconcile_dirty_gen;

-- Documents whose items are in (distributed by doc): one committed by a worker that
-- died before updating reconciliation is found missing and caught up.
CREATE TABLE reconcile_docs (
    doc text PRIMARY KEY
);
INSERT INTO reconcile_docs (doc) SELECT id FROM documents;

-- NULL: stale (curation, registry change, or documents stored before this migration);
-- '*': no document stored yet.
CREATE TABLE reconcile_state (
    id        integer PRIMARY KEY CHECK (id = 1),
    valid_for text
);
INSERT INTO reconcile_state (id, valid_for)
    SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM documents) THEN NULL ELSE '*' END;

-- Copy clusters are followed both ways when a key is recomputed.
CREATE INDEX documents_near_dup_of ON documents (near_dup_of) WHERE near_dup_of IS NOT NULL;
