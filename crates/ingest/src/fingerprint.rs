//! Content identity: exact (SHA-256) and near-duplicate (MinHash over word shingles).

use sha2::{Digest, Sha256};

/// Hex SHA-256 of the clean text: equal content is one document.
pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Words per shingle: long enough that unrelated articles on the same topic share few.
const SHINGLE: usize = 5;
/// Hash functions in a signature.
pub const HASHES: usize = 128;
/// LSH bands × rows = HASHES. 16 × 8 finds pairs above ~0.7 similarity with high odds.
const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;

/// A MinHash signature of a text: `HASHES` minimum hash values, one per seeded hash
/// function, over its lowercased 5-word shingles. The fraction of equal positions
/// estimates the Jaccard similarity of the two shingle sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint(pub Vec<u64>);

/// SplitMix64 finalizer: a fast, well-mixed, fixed 64-bit permutation.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a: stable across runs and platforms, unlike `std`'s randomly seeded hasher.
fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn seed(i: usize) -> u64 {
    mix(0x9e37_79b9_7f4a_7c15_u64.wrapping_mul(i as u64 + 1))
}

impl Fingerprint {
    pub fn of(text: &str) -> Self {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let mut sig = vec![u64::MAX; HASHES];
        if words.is_empty() {
            return Fingerprint(sig);
        }
        let seeds: Vec<u64> = (0..HASHES).map(seed).collect();
        for shingle in words.windows(SHINGLE.min(words.len())) {
            let mut h = 0xcbf2_9ce4_8422_2325;
            for w in shingle {
                h = fnv1a(w.as_bytes(), h);
                h = fnv1a(b" ", h);
            }
            for (slot, s) in sig.iter_mut().zip(&seeds) {
                let v = mix(h ^ s);
                if v < *slot {
                    *slot = v;
                }
            }
        }
        Fingerprint(sig)
    }

    /// Estimated Jaccard similarity of the shingle sets, 0.0..=1.0.
    pub fn similarity(&self, other: &Self) -> f64 {
        let n = self.0.len().min(other.0.len());
        if n == 0 {
            return 0.0;
        }
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / n as f64
    }

    /// Little-endian bytes, 8 per hash, for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|h| h.to_le_bytes()).collect()
    }

    /// Inverse of [`Fingerprint::to_bytes`]; `None` for a length that is not `HASHES` × 8.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != HASHES * 8 {
            return None;
        }
        let hashes = bytes
            .chunks_exact(8)
            .map(|c| {
                let mut a = [0u8; 8];
                a.copy_from_slice(c);
                u64::from_le_bytes(a)
            })
            .collect();
        Some(Fingerprint(hashes))
    }

    /// One key per LSH band: two texts sharing any band key are near-duplicate
    /// candidates, to be confirmed with [`Fingerprint::similarity`].
    pub fn bands(&self) -> Vec<u64> {
        self.0
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut h = fnv1a(&(band as u64).to_le_bytes(), 0xcbf2_9ce4_8422_2325);
                for r in rows {
                    h = fnv1a(&r.to_le_bytes(), h);
                }
                h
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "The provincial government announced on Tuesday that the main border crossing \
        would reopen for trade after weeks of closure, easing pressure on traders and truck \
        drivers who had waited on both sides. Officials said security checks would be tightened \
        and that documents would be verified at a new terminal built last year with foreign aid.";

    #[test]
    fn sha256_is_hex_of_the_text() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn identical_texts_are_identical_and_deterministic() {
        assert_eq!(Fingerprint::of(A), Fingerprint::of(A));
        assert_eq!(Fingerprint::of(A).similarity(&Fingerprint::of(A)), 1.0);
    }

    #[test]
    fn small_edits_stay_similar_and_other_text_does_not() {
        let edited = A
            .replace("Tuesday", "Wednesday")
            .replace("tightened", "strengthened");
        let s = Fingerprint::of(A).similarity(&Fingerprint::of(&edited));
        assert!(s > 0.6, "similarity {s}");
        let other = "Heavy rain flooded several districts in the north, cutting roads and \
            forcing families to move to higher ground while rescue teams worked through the night.";
        let s = Fingerprint::of(A).similarity(&Fingerprint::of(other));
        assert!(s < 0.1, "similarity {s}");
    }

    #[test]
    fn bytes_round_trip_and_bad_lengths_are_refused() {
        let f = Fingerprint::of(A);
        assert_eq!(Fingerprint::from_bytes(&f.to_bytes()), Some(f.clone()));
        assert_eq!(Fingerprint::from_bytes(&[0u8; 7]), None);
        assert_eq!(f.bands().len(), BANDS);
    }

    #[test]
    fn short_and_empty_texts_do_not_panic() {
        assert_eq!(Fingerprint::of("").0.len(), HASHES);
        let s = Fingerprint::of("two words").similarity(&Fingerprint::of("two words"));
        assert_eq!(s, 1.0);
    }
}
