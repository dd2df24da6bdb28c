-- Schema v3: the full-text index is filled by the store once per write transaction
-- instead of by a per-row trigger.
--
-- Every statement that can abort opens a statement savepoint, and FTS5 flushes its
-- pending terms to a new on-disk segment at each savepoint: with the trigger, each
-- document became its own segment (then merged again and again), whatever the number of
-- documents per transaction. The store now runs one
-- `INSERT INTO documents_fts ... SELECT ... FROM documents` over the documents of a
-- transaction as its last statement. Updates and deletes keep their triggers.
DROP TRIGGER IF EXISTS documents_fts_insert;
