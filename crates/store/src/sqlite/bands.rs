//! The near-duplicate band index, kept in memory for the life of the connection.
//!
//! Each document's LSH band keys are stored as one blob in `doc_band_sets`, keyed by the
//! document's `num` (migration 0004). New documents get ever larger `num`s, so that
//! table only grows at its right edge: a commit rewrites a few pages however large the
//! store is. A SQLite index on random 64-bit keys (the old `doc_bands`) instead had
//! every commit touch leaves across the whole B-tree (see BENCHMARKS.md).
//!
//! Lookups go to a `HashMap` loaded lazily on the first lookup and topped up from rows
//! numbered above the last one seen before every lookup, so documents written by
//! another process or an earlier run are found too. What this connection commits is
//! added directly (see [`BandIndex::added`]).
//!
//! Concurrent writers: candidates are looked up before the write transaction (as
//! before this index existed), so two processes ingesting copies of the same article at
//! the same moment may both store theirs as new. Exact copies are still refused by the
//! `sha256` UNIQUE constraint.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::StoreError;

/// Band keys as stored: 8 bytes each, big-endian.
pub(super) fn to_blob(bands: &[u64]) -> Vec<u8> {
    bands.iter().flat_map(|b| b.to_be_bytes()).collect()
}

/// The band keys of a stored blob; a trailing partial key (not written by this store) is
/// ignored.
fn from_blob(blob: &[u8]) -> impl Iterator<Item = u64> + '_ {
    blob.chunks_exact(8).map(|c| {
        let mut k = [0u8; 8];
        k.copy_from_slice(c);
        u64::from_be_bytes(k)
    })
}

/// Band key → document `num`s having it. Most keys belong to one document, so the first
/// `num` lives in `first` (16 bytes per key) and only shared keys pay for a `Vec`.
#[derive(Debug, Default)]
pub(super) struct BandIndex {
    first: HashMap<u64, i64>,
    more: HashMap<u64, Vec<i64>>,
    /// Every document numbered up to this one is in the index.
    upto: i64,
}

impl BandIndex {
    fn add(&mut self, num: i64, bands: impl Iterator<Item = u64>) {
        let mut seen: Vec<u64> = bands.collect();
        seen.sort_unstable();
        seen.dedup();
        for b in seen {
            match self.first.get(&b) {
                None => {
                    self.first.insert(b, num);
                }
                Some(&n) if n == num => {}
                Some(_) => {
                    let more = self.more.entry(b).or_default();
                    if !more.contains(&num) {
                        more.push(num);
                    }
                }
            }
        }
        self.upto = self.upto.max(num);
    }

    /// Reads the band sets of the documents numbered above the last one seen.
    pub(super) fn refresh(&mut self, conn: &Connection) -> Result<(), StoreError> {
        let mut stmt = conn
            .prepare_cached("SELECT num, bands FROM doc_band_sets WHERE num > ?1 ORDER BY num")?;
        let mut rows = stmt.query([self.upto])?;
        while let Some(row) = rows.next()? {
            let num: i64 = row.get(0)?;
            let blob: Vec<u8> = row.get(1)?;
            self.add(num, from_blob(&blob));
        }
        Ok(())
    }

    /// Records documents this connection has just committed. `before` is the highest
    /// `num` when their transaction began: if the index had not seen everything up to
    /// it (another process wrote in between), nothing is added and the next
    /// [`BandIndex::refresh`] reads them all back in order.
    pub(super) fn added(&mut self, before: i64, written: &[(i64, &[u64])]) {
        if self.upto != before {
            return;
        }
        for &(num, bands) in written {
            self.add(num, bands.iter().copied());
        }
    }

    /// Documents sharing at least one band, most shared bands first, then oldest first.
    pub(super) fn candidates(&self, bands: &[u64]) -> Vec<i64> {
        let mut keys = bands.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let mut hits: HashMap<i64, u32> = HashMap::new();
        for b in keys {
            let more = self.more.get(&b).into_iter().flatten();
            for &num in self.first.get(&b).into_iter().chain(more) {
                *hits.entry(num).or_default() += 1;
            }
        }
        let mut out: Vec<(i64, u32)> = hits.into_iter().collect();
        out.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out.into_iter().map(|(num, _)| num).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_round_trip_all_64_bits() {
        let keys = [0, 7, u64::MAX, 1 << 63];
        assert_eq!(from_blob(&to_blob(&keys)).collect::<Vec<_>>(), keys);
        // A torn tail is ignored rather than misread.
        let mut blob = to_blob(&[5]);
        blob.push(1);
        assert_eq!(from_blob(&blob).collect::<Vec<_>>(), [5]);
    }

    #[test]
    fn candidates_rank_by_shared_bands_then_age() {
        let mut ix = BandIndex::default();
        ix.add(1, [10, 11].into_iter());
        ix.add(2, [10, 11, 12].into_iter());
        ix.add(3, [12, 12, 13].into_iter());
        assert_eq!(ix.candidates(&[10, 11, 12]), [2, 1, 3]);
        assert_eq!(
            ix.candidates(&[12, 12]),
            [2, 3],
            "a repeated key counts once"
        );
        assert!(ix.candidates(&[99]).is_empty());
        assert_eq!(ix.upto, 3);
    }

    #[test]
    fn documents_committed_after_another_writer_are_left_to_refresh() {
        let mut ix = BandIndex::default();
        ix.added(0, &[(1, &[4][..])]);
        assert_eq!(ix.candidates(&[4]), [1]);
        // Another process wrote num 2: our num 3 waits for a refresh, which reads both.
        ix.added(2, &[(3, &[4][..])]);
        assert_eq!(ix.candidates(&[4]), [1]);
        assert_eq!(ix.upto, 1);
    }
}
