-- Schema v4: near-duplicate band keys as one blob per document instead of one indexed
-- row per (band, document).
--
-- `doc_bands` was keyed by random 64-bit band values: every commit rewrote leaves
-- spread across the whole index, so the bytes written per document grew with the
-- store. `doc_band_sets` is keyed by the document's `num`, which only grows, so new
-- rows land at the table's right edge. Lookups use an in-memory map the store loads
-- from this table (crates/store/src/sqlite/bands.rs). Keys are 8 bytes each,
-- big-endian, two's complement of the old signed column.
CREATE TABLE doc_band_sets (
    num   INTEGER PRIMARY KEY REFERENCES documents(num) ON DELETE CASCADE,
    bands BLOB NOT NULL
);
INSERT INTO doc_band_sets (num, bands)
    SELECT d.num, unhex(group_concat(printf('%016X', b.band), ''))
    FROM documents d JOIN doc_bands b ON b.doc = d.id
    GROUP BY d.num ORDER BY d.num;
DROP TABLE doc_bands;
