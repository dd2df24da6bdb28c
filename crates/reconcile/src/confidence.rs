//! Confidence in a claim from its independent origins.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::sources::SourceRating;
use crate::Reconciler;

/// One statement of a claim, as confidence sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Statements with the same origin are not independent: only the strongest counts.
    pub origin: String,
    pub rating: SourceRating,
    pub hedged: bool,
    /// ISO date of the statement's document.
    pub published: Option<String>,
}

/// Hedged wording ("reportedly", "an estimated") keeps this share of a statement's weight.
const HEDGE_FACTOR: f64 = 0.75;
/// Recency when a document's date is unknown: treated as neither fresh nor stale.
const UNKNOWN_RECENCY: f64 = 0.8;
/// No claim from text is certain.
const CEILING: f64 = 0.99;

/// `2025-03-20` → 2025.17; `None` when the year is unreadable.
fn fractional_year(date: &str) -> Option<f64> {
    let year: f64 = date.get(..4)?.parse().ok()?;
    let month: f64 = date
        .get(5..7)
        .and_then(|m| m.parse().ok())
        .filter(|m| (1.0..=12.0).contains(m))
        .unwrap_or(1.0);
    Some(year + (month - 1.0) / 12.0)
}

impl Reconciler {
    /// Confidence 0..1 in a claim: each independent origin contributes its source's
    /// Admiralty weight, reduced for hedging and age (relative to `now`, the newest
    /// document date, so the answer does not depend on the clock); origins combine as
    /// independent witnesses (noisy-OR). A party to the conflict weighs little alone
    /// but still adds when others agree.
    pub fn confidence(&self, evidence: &[Evidence], now: Option<&str>) -> f64 {
        let now = now.and_then(fractional_year);
        let mut best: BTreeMap<&str, f64> = BTreeMap::new();
        for e in evidence {
            let mut p = e.rating.reliability.weight();
            if e.hedged {
                p *= HEDGE_FACTOR;
            }
            let age = match (now, e.published.as_deref().and_then(fractional_year)) {
                (Some(now), Some(then)) => Some((now - then).max(0.0)),
                _ => None,
            };
            p *= match age {
                Some(age) if self.cfg.half_life_years > 0.0 => {
                    0.5 + 0.5 * 0.5f64.powf(age / self.cfg.half_life_years)
                }
                Some(_) => 1.0,
                None => UNKNOWN_RECENCY,
            };
            let slot = best.entry(e.origin.as_str()).or_insert(0.0);
            *slot = slot.max(p);
        }
        let doubt: f64 = best.values().map(|p| 1.0 - p.clamp(0.0, 1.0)).product();
        if best.is_empty() {
            0.0
        } else {
            (1.0 - doubt).clamp(0.0, CEILING)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::SourceTable;

    fn ev(origin: &str, source: &str, hedged: bool, published: Option<&str>) -> Evidence {
        Evidence {
            origin: origin.into(),
            rating: SourceTable::builtin().rate(Some(source), None),
            hedged,
            published: published.map(str::to_string),
        }
    }

    #[test]
    fn two_origins_beat_one_and_copies_of_one_origin_add_nothing() {
        let r = Reconciler::default();
        let now = Some("2025-03");
        let one = r.confidence(&[ev("un", "un", false, now)], now);
        let same = r.confidence(
            &[ev("un", "un", false, now), ev("un", "un", false, now)],
            now,
        );
        let two = r.confidence(
            &[ev("un", "un", false, now), ev("pips", "pips", false, now)],
            now,
        );
        assert_eq!(one, same);
        assert!(two > one, "{two} > {one}");
        assert!(two <= CEILING);
    }

    #[test]
    fn hedging_a_party_and_age_each_lower_confidence() {
        let r = Reconciler::default();
        let now = Some("2025-01");
        let base = r.confidence(&[ev("un", "un", false, now)], now);
        assert!(r.confidence(&[ev("un", "un", true, now)], now) < base);
        assert!(r.confidence(&[ev("ttp", "ttp", false, now)], now) < base);
        assert!(r.confidence(&[ev("un", "un", false, Some("2015"))], now) < base);
        assert_eq!(r.confidence(&[], now), 0.0);
    }

    #[test]
    fn odd_dates_read_as_unknown() {
        assert_eq!(
            fractional_year("2025-03-20").map(|y| y.floor()),
            Some(2025.0)
        );
        assert_eq!(fractional_year("20"), None);
        assert_eq!(fractional_year("2025-99"), Some(2025.0));
    }
}
