//! SplitMix64: tiny, fast, and good enough for picking words. Own code so the
//! byte stream never changes under us when a dependency updates its algorithm.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream for one (seed, document, purpose): streams for different purposes
    /// are independent, so deciding a document's format does not shift its words.
    pub fn stream(seed: u64, index: u64, purpose: u64) -> Self {
        let mut r = Rng(seed ^ 0x9E37_79B9_7F4A_7C15);
        let a = r.next_u64() ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let mut r = Rng(a);
        let b = r.next_u64() ^ purpose.wrapping_mul(0x8CB9_2BA7_2F3D_8DD7);
        Rng(b)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`0` when `n == 0`).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        ((self.next_u64() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo + 1))
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::stream(1, 2, 3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::stream(1, 2, 3).next_u64(),
            Rng::stream(1, 2, 4).next_u64()
        );
        assert_ne!(
            Rng::stream(1, 2, 3).next_u64(),
            Rng::stream(1, 3, 3).next_u64()
        );
    }

    #[test]
    fn below_and_range_stay_in_bounds() {
        let mut r = Rng::stream(9, 9, 9);
        for _ in 0..1000 {
            assert!(r.below(7) < 7);
            let x = r.range(5, 8);
            assert!((5..=8).contains(&x));
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.range(3, 3), 3);
    }
}
