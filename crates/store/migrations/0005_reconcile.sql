-- Schema v5: incremental cross-document reconciliation.
--
-- Each stored figure and relation, prepared for reconciliation (its context sentence,
-- carried period, resolved source origin; JSON the engine writes), under the group key
-- whose results it takes part in. A key's results (disputes, contested relations,
-- corroboration, as JSON) are recomputed from its items alone when a document adds to
-- it, so a read of the whole store's reconciliation reads these rows instead of every
-- figure and text. `reconcile_terms` remembers what the entity tables said about each
-- name an item looked up, so a name learned later re-resolves only its items.
CREATE TABLE reconcile_items (
    doc   TEXT NOT NULL,
    seq   INTEGER NOT NULL,
    key   TEXT NOT NULL,
    terms TEXT NOT NULL,
    body  TEXT NOT NULL,
    PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
CREATE INDEX reconcile_items_key ON reconcile_items(key);

CREATE TABLE reconcile_term_items (
    term TEXT NOT NULL,
    doc  TEXT NOT NULL,
    seq  INTEGER NOT NULL,
    PRIMARY KEY (term, doc, seq)
) WITHOUT ROWID;

CREATE TABLE reconcile_terms (
    term  TEXT PRIMARY KEY,
    state TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE reconcile_results (
    key           TEXT PRIMARY KEY,
    disputes      TEXT NOT NULL,
    contested     TEXT NOT NULL,
    corroboration TEXT NOT NULL
) WITHOUT ROWID;

-- Keys whose results must be recomputed (written with the items that touch them;
-- `gen` grows, so a recomputation clears only the marks it has seen).
CREATE TABLE reconcile_dirty (
    key TEXT PRIMARY KEY,
    gen INTEGER NOT NULL
) WITHOUT ROWID;

-- The documents whose items are in (written with them): a document committed by a
-- process that died before updating reconciliation is found missing and caught up.
CREATE TABLE reconcile_docs (
    doc TEXT PRIMARY KEY
) WITHOUT ROWID;
INSERT INTO reconcile_docs (doc) SELECT id FROM documents;

-- One row: the reconciler fingerprint the results are valid for; NULL when stale
-- (curation, a registry change, or a store that had documents before this migration:
-- the first read rebuilds), '*' while the store holds no document.
CREATE TABLE reconcile_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    valid_for TEXT
);
INSERT INTO reconcile_state (id, valid_for)
    SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM documents) THEN NULL ELSE '*' END;
