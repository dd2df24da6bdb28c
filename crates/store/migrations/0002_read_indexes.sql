-- Schema v2: indexes for per-entity reads.
--
-- An actor's dossier reads the events it took part in as perpetrator OR target; without
-- an index on `target` SQLite scans every event (and every document, for the order) to
-- answer the OR, on each request.
CREATE INDEX IF NOT EXISTS events_target ON events(target);
