//! What a figure's value says about the truth, as an interval, and when two such
//! intervals can both be right.

use dossier_model::{Bound, Figure};

/// The values a figure allows; `hi` may be infinite ("over 600").
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Interval {
    pub lo: f64,
    pub hi: f64,
}

/// How two figures' intervals relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
    /// Both can be right without any slack.
    Agree,
    /// They differ by no more than the tolerance.
    WithinTolerance,
    /// No value satisfies both.
    Incompatible,
}

impl Interval {
    /// `approx` widens "about N" by `approx` (relative) either side.
    pub fn of(f: &Figure, approx: f64) -> Interval {
        let v = f.value;
        match f.bound {
            Bound::Exact => Interval { lo: v, hi: v },
            Bound::AtLeast => Interval {
                lo: v,
                hi: f64::INFINITY,
            },
            Bound::AtMost => Interval {
                // Counts are never negative, so "up to 10" means 0..=10.
                lo: if v >= 0.0 { 0.0 } else { f64::NEG_INFINITY },
                hi: v,
            },
            Bound::Approx => {
                let d = (v * approx).abs();
                Interval {
                    lo: v - d,
                    hi: v + d,
                }
            }
            Bound::Range => {
                let m = f.value_max.filter(|m| m.is_finite()).unwrap_or(v);
                Interval {
                    lo: v.min(m),
                    hi: v.max(m),
                }
            }
        }
    }

    fn width(&self) -> f64 {
        self.hi - self.lo
    }

    /// Compares two intervals with `tolerance` relative slack on the larger magnitude.
    pub fn fit(&self, other: &Interval, tolerance: f64) -> Fit {
        if self.lo <= other.hi && other.lo <= self.hi {
            return Fit::Agree;
        }
        let magnitude = [self.lo, self.hi, other.lo, other.hi]
            .into_iter()
            .filter(|x| x.is_finite())
            .map(f64::abs)
            .fold(0.0, f64::max);
        let slack = magnitude * tolerance;
        if self.lo - slack <= other.hi && other.lo - slack <= self.hi {
            Fit::WithinTolerance
        } else {
            Fit::Incompatible
        }
    }

    /// Narrower intervals are more precise claims; used to pick a representative.
    pub fn precision_key(&self) -> f64 {
        let w = self.width();
        if w.is_finite() {
            w
        } else {
            f64::MAX
        }
    }
}

/// A period string (`2024`, `2025-01`, `2020/`, `2001/2025`) as a year range; `None`
/// when unknown or unreadable.
pub(crate) fn period_years(period: &str) -> Option<(i32, i32)> {
    let year = |s: &str| -> Option<i32> { s.get(..4)?.parse().ok() };
    match period.split_once('/') {
        Some((from, to)) => {
            let a = year(from)?;
            let b = if to.trim().is_empty() {
                i32::MAX
            } else {
                year(to)?
            };
            Some((a.min(b), a.max(b)))
        }
        None => {
            let y = year(period)?;
            Some((y, y))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_model::Metric;

    fn fig(value: f64, value_max: Option<f64>, bound: Bound) -> Figure {
        Figure {
            doc: "d".into(),
            value,
            value_max,
            bound,
            unit: "attacks".into(),
            metric: Metric::Attacks,
            subject: None,
            period: None,
            place: None,
            source: None,
            hedged: false,
            start: 0,
            end: 1,
            text: String::new(),
            rule: "test".into(),
        }
    }

    fn fit(a: &Figure, b: &Figure) -> Fit {
        Interval::of(a, 0.1).fit(&Interval::of(b, 0.1), 0.02)
    }

    #[test]
    fn over_600_and_482_cannot_both_be_right() {
        let over = fig(600.0, None, Bound::AtLeast);
        assert_eq!(
            fit(&over, &fig(482.0, None, Bound::Exact)),
            Fit::Incompatible
        );
        assert_eq!(fit(&over, &fig(650.0, None, Bound::Exact)), Fit::Agree);
    }

    #[test]
    fn about_6000_conflicts_with_7000_to_10000_but_agrees_with_6000_to_6500() {
        let about = fig(6000.0, None, Bound::Approx);
        let wide = fig(7000.0, Some(10000.0), Bound::Range);
        assert_eq!(fit(&about, &wide), Fit::Incompatible);
        let narrow = fig(6000.0, Some(6500.0), Bound::Range);
        assert_eq!(fit(&narrow, &fig(6000.0, None, Bound::Exact)), Fit::Agree);
    }

    #[test]
    fn a_two_percent_gap_is_within_tolerance() {
        let a = fig(1210.0, None, Bound::Exact);
        assert_eq!(
            fit(&a, &fig(1203.0, None, Bound::Exact)),
            Fit::WithinTolerance
        );
        assert_eq!(fit(&a, &fig(1100.0, None, Bound::Exact)), Fit::Incompatible);
    }

    #[test]
    fn up_to_ten_allows_four_but_not_twelve() {
        let up_to = fig(10.0, None, Bound::AtMost);
        assert_eq!(fit(&up_to, &fig(4.0, None, Bound::Exact)), Fit::Agree);
        assert_eq!(
            fit(&up_to, &fig(12.0, None, Bound::Exact)),
            Fit::Incompatible
        );
    }

    #[test]
    fn periods_read_as_year_ranges() {
        assert_eq!(period_years("2024"), Some((2024, 2024)));
        assert_eq!(period_years("2025-01"), Some((2025, 2025)));
        assert_eq!(period_years("2001/2025"), Some((2001, 2025)));
        assert_eq!(period_years("2020/"), Some((2020, i32::MAX)));
        assert_eq!(period_years("recently"), None);
        assert_eq!(period_years("ü"), None);
    }
}
