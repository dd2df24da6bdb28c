//! Amounts: a number in any written form with its bound, scale, currency and range.
//!
//! [`parse_amount`] reads tokens starting at one position and returns what the
//! amount covers — "more than half a dozen", "$7.12 billion", "Rs10 million",
//! "hundreds of thousands", "between 7,000 and 10,000", "42%" — or `None`. It knows
//! nothing about what is counted: that is the figure rules' job.

use dossier_model::Bound;

use crate::lexicon::FigureLexicon;
use crate::tokens::{Kind, Tokens};

/// A parsed amount over tokens `[first, end)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Amount {
    /// First token, bound words included.
    pub first: usize,
    /// First token of the number itself (currency sign included).
    pub number: usize,
    /// One past the last token.
    pub end: usize,
    pub value: f64,
    pub value_max: Option<f64>,
    pub bound: Bound,
    /// "dozens", "hundreds of thousands": the value is a lower bound.
    pub vague: bool,
    pub currency: Option<String>,
    pub percent: bool,
    /// A bare four-digit 1900–2100 integer: most likely a year.
    pub year_like: bool,
    /// Spelled with words ("six", "a dozen") rather than digits.
    pub worded: bool,
}

/// The core number at `i`: (value, next token, vague, worded, year_like).
fn core(lex: &FigureLexicon, t: &Tokens<'_>, i: usize, hi: usize) -> Option<Core> {
    if i >= hi {
        return None;
    }
    let low = t.low(i);
    match t.kind(i)? {
        Kind::Num => {
            let v = parse_digits(low)?;
            let year_like =
                !low.contains([',', '.']) && low.len() == 4 && (1900.0..=2100.0).contains(&v);
            Some(Core {
                value: v,
                next: i + 1,
                vague: false,
                worded: false,
                year_like,
                currency: None,
            })
        }
        Kind::Mixed => mixed(lex, low).map(|(value, currency)| Core {
            value,
            next: i + 1,
            vague: false,
            worded: false,
            year_like: false,
            currency,
        }),
        Kind::Word => worded(lex, t, i, hi),
        _ => None,
    }
}

struct Core {
    value: f64,
    next: usize,
    vague: bool,
    worded: bool,
    year_like: bool,
    currency: Option<String>,
}

fn parse_digits(s: &str) -> Option<f64> {
    if s.matches('.').count() > 1 {
        return None;
    }
    let cleaned: String = s.chars().filter(|&c| c != ',').collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// "Rs10" → (10, PKR), "5bn" → 5e9; anything else with digits inside is a name.
fn mixed(lex: &FigureLexicon, low: &str) -> Option<(f64, Option<String>)> {
    let split = low.find(|c: char| c.is_ascii_digit())?;
    let (prefix, rest) = low.split_at(split);
    let digits_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(rest.len());
    let (num, suffix) = rest.split_at(digits_end);
    let value = parse_digits(num)?;
    match (prefix.is_empty(), suffix.is_empty()) {
        (false, true) => {
            let code = lex.currency_before.get(prefix.trim_end_matches('.'))?;
            Some((value, Some(code.clone())))
        }
        (true, false) => {
            let scale = lex.scales.get(suffix)?;
            Some((value * scale, None))
        }
        // "Rs5bn", "$1.2bn" written as one word
        (false, false) => {
            let code = lex.currency_before.get(prefix.trim_end_matches('.'))?;
            let scale = lex.scales.get(suffix)?;
            Some((value * scale, Some(code.clone())))
        }
        _ => None,
    }
}

fn word_value(lex: &FigureLexicon, w: &str) -> Option<f64> {
    if let Some(v) = lex.number_words.get(w) {
        return Some(*v);
    }
    // "twenty-five"
    let (a, b) = w.split_once('-')?;
    let (x, y) = (lex.number_words.get(a)?, lex.number_words.get(b)?);
    (*x >= 20.0 && *y < 10.0).then_some(x + y)
}

fn worded(lex: &FigureLexicon, t: &Tokens<'_>, i: usize, hi: usize) -> Option<Core> {
    let w = t.low(i);
    let at = |k: usize| if k < hi { t.low(k) } else { "" };
    let mk = |value: f64, next: usize, vague: bool| Core {
        value,
        next,
        vague,
        worded: true,
        year_like: false,
        currency: None,
    };
    // "a dozen", "half a dozen"
    if (w == "a" || w == "an") && at(i + 1) == "dozen" {
        return Some(mk(12.0, i + 2, false));
    }
    if w == "half" && at(i + 1) == "a" && at(i + 2) == "dozen" {
        return Some(mk(6.0, i + 3, false));
    }
    if w == "several" || w == "a" || w == "few" {
        // "several hundred", "a few thousand": vague lower bounds.
        let scale = *lex.scales.get(at(i + 1))?;
        return (scale >= 100.0).then(|| mk(scale, i + 2, true));
    }
    if let Some(v) = lex.vague.get(w) {
        // "tens of thousands", "hundreds of thousands", "dozens"
        let mut value = *v;
        let mut next = i + 1;
        while at(next) == "of" {
            let m = at(next + 1);
            let plural_scale = lex.vague.get(m).or_else(|| {
                lex.scales
                    .get(m.trim_end_matches('s'))
                    .filter(|_| m.ends_with('s'))
            });
            match plural_scale {
                Some(s) if *s >= 100.0 => {
                    value *= s;
                    next += 2;
                }
                _ => break,
            }
        }
        if w == "tens" && next == i + 1 {
            return None;
        }
        return Some(mk(value, next, true));
    }
    let mut value = word_value(lex, w)?;
    let mut next = i + 1;
    // "twenty five", "two dozen"
    if let Some(v) = word_value(lex, at(next)) {
        if value >= 20.0 && value % 10.0 == 0.0 && v < 10.0 {
            value += v;
            next += 1;
        } else if at(next) == "dozen" {
            value *= 12.0;
            next += 1;
        }
    }
    Some(mk(value, next, false))
}

/// True when the token at `i` can start an amount.
pub(crate) fn can_start(lex: &FigureLexicon, t: &Tokens<'_>, i: usize) -> bool {
    match t.kind(i) {
        Some(Kind::Num) => true,
        Some(Kind::Mixed) => mixed(lex, t.low(i)).is_some(),
        Some(Kind::Word) => {
            let w = t.low(i);
            // Hyphenated number words ("twenty-five") are not in the filter.
            if !lex.amount_starts.may_contain(t.key(i)) && !w.contains('-') {
                return false;
            }
            lex.number_words.contains_key(w)
                || lex.vague.contains_key(w)
                || word_value(lex, w).is_some()
                || lex.currency_before.contains_key(w)
                || matches!(w, "a" | "an" | "half" | "several" | "few")
        }
        Some(Kind::Punct) => {
            lex.amount_starts.may_contain(t.key(i)) && lex.currency_before.contains_key(t.low(i))
        }
        _ => false,
    }
}

/// Parses the amount whose number starts at token `i` (bound words before it are
/// looked up backwards, down to `lo`); `hi` is the sentence's end.
pub(crate) fn parse_amount(
    lex: &FigureLexicon,
    t: &Tokens<'_>,
    i: usize,
    lo: usize,
    hi: usize,
) -> Option<Amount> {
    let mut j = i;
    let mut currency = None;
    if let Some(code) = lex.currency_before.get(t.low(j)) {
        if matches!(t.kind(j + 1), Some(Kind::Num | Kind::Word | Kind::Mixed)) && j + 1 < hi {
            currency = Some(code.clone());
            j += 1;
        }
    }
    let c = core(lex, t, j, hi)?;
    let mut value = c.value;
    let mut next = c.next;
    let mut vague = c.vague;
    currency = currency.or(c.currency);
    let mut scaled = false;
    while next < hi {
        match lex.scales.get(t.low(next)) {
            // Single letters ("m", "k") only count glued to the number.
            Some(s) if t.low(next).len() > 1 => {
                value *= s;
                next += 1;
                scaled = true;
            }
            _ => break,
        }
    }
    // "millions of", "billions of dollars" after a vague word are handled in `core`;
    // here a scaled plural like "3 million" is done.
    let mut percent = false;
    if let Some((n, _)) = lex.percent.match_at(t, next, hi) {
        percent = true;
        next += n;
    }
    let mut value_max = None;
    let mut bound = Bound::Exact;
    let mut first = i;
    let before = lex.bounds_before.match_ending(t, i, lo);
    if let Some((start, b)) = before {
        bound = *b;
        first = start;
    }
    // Ranges: "7,000 to 10,000", "6,000–6,500", "between 7,000 and 10,000".
    if let Some((n, _)) = lex.range_joiners.match_at(t, next, hi) {
        let is_and = t.low(next) == "and";
        if !is_and || bound == Bound::Range {
            let k = next + n;
            let mut k2 = k;
            if currency.is_some() && lex.currency_before.contains_key(t.low(k2)) {
                k2 += 1;
            }
            if let Some(c2) = core(lex, t, k2, hi).filter(|c2| !c2.vague) {
                let mut v2 = c2.value;
                let mut n2 = c2.next;
                let mut scale2 = 1.0;
                while n2 < hi {
                    match lex.scales.get(t.low(n2)) {
                        Some(s) if t.low(n2).len() > 1 => {
                            v2 *= s;
                            scale2 *= s;
                            n2 += 1;
                        }
                        _ => break,
                    }
                }
                if !scaled && scale2 > 1.0 {
                    value *= scale2;
                }
                if let Some((n, _)) = lex.percent.match_at(t, n2, hi) {
                    percent = true;
                    n2 += n;
                }
                if v2 > value && !(c.year_like && c2.value < 100.0) {
                    value_max = Some(v2);
                    bound = Bound::Range;
                    next = n2;
                } else if c.year_like {
                    // "2022-23": a span of years, not a count.
                    next = n2;
                }
            }
        }
    }
    if bound == Bound::Range && value_max.is_none() {
        // "between" without a second number: not a range after all.
        bound = Bound::Exact;
        first = i;
    }
    if currency.is_none() {
        let skip_of = usize::from(t.low(next) == "of" && vague);
        if let Some((n, code)) = lex.currency_after.match_at(t, next + skip_of, hi) {
            currency = Some(code.clone());
            next += skip_of + n;
        }
    }
    if bound == Bound::Exact {
        if let Some((n, b)) = lex.bounds_after.match_at(t, next, hi) {
            bound = *b;
            next += n;
        }
    }
    if vague && bound == Bound::Exact {
        bound = Bound::AtLeast;
    }
    vague |= c.vague;
    Some(Amount {
        first,
        number: i,
        end: next,
        value: settle(value),
        value_max: value_max.map(settle),
        bound,
        vague,
        currency,
        percent,
        year_like: c.year_like && !percent && !scaled && value_max.is_none(),
        worded: c.worded,
    })
}

/// A scaled decimal as written: "2.3 lakh" is 230,000, not the 229,999.99999999997
/// binary floating point makes of 2.3 × 100,000.
fn settle(v: f64) -> f64 {
    if !v.is_finite() || v.abs() < 1.0 || v.abs() > 1e15 {
        return v;
    }
    // Nine significant digits are more than any figure in the news is written with.
    let digits = 9 - (v.abs().log10().floor() as i32 + 1);
    let m = 10f64.powi(digits.max(0));
    let r = (v * m).round() / m;
    if (r - v).abs() <= v.abs() * 1e-12 {
        r
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lexicon;

    #[test]
    fn scaled_decimals_are_the_number_written() {
        assert_eq!(settle(2.3 * 100_000.0), 230_000.0);
        assert_eq!(settle(7.12 * 1e9), 7_120_000_000.0);
        assert_eq!(settle(0.52 * 1e6), 520_000.0);
        assert_eq!(settle(1_105.0), 1_105.0);
        assert_eq!(settle(2.5), 2.5);
        assert!(settle(f64::NAN).is_nan());
    }

    type Parsed = (f64, Option<f64>, Bound, Option<String>, bool);

    /// Parses the first amount in `text` and returns (value, max, bound, currency, %).
    fn amount(text: &str) -> Option<Parsed> {
        let lex = Lexicon::default();
        let t = Tokens::new(text, &[]);
        let f = &lex.figures;
        (0..t.len())
            .filter(|&i| can_start(f, &t, i))
            .find_map(|i| parse_amount(f, &t, i, 0, t.len()))
            .map(|a| (a.value, a.value_max, a.bound, a.currency, a.percent))
    }

    fn value(text: &str) -> (f64, Bound) {
        let a = amount(text).unwrap_or_else(|| panic!("no amount in {text:?}"));
        (a.0, a.2)
    }

    #[test]
    fn digits_with_separators_and_decimals() {
        assert_eq!(value("they killed 1,105 people"), (1105.0, Bound::Exact));
        assert_eq!(
            value("some 0.52 million refugees"),
            (520_000.0, Bound::Approx)
        );
    }

    #[test]
    fn words_dozens_and_vague_plurals() {
        assert_eq!(value("six people died"), (6.0, Bound::Exact));
        assert_eq!(value("two dozen outfits"), (24.0, Bound::Exact));
        assert_eq!(value("at least a dozen guards"), (12.0, Bound::AtLeast));
        assert_eq!(
            value("more than half a dozen groups"),
            (6.0, Bound::AtLeast)
        );
        assert_eq!(value("dozens of raids"), (12.0, Bound::AtLeast));
        assert_eq!(
            value("hundreds of thousands of people"),
            (100_000.0, Bound::AtLeast)
        );
        assert_eq!(value("twenty-five militants"), (25.0, Bound::Exact));
    }

    #[test]
    fn money_with_currency_before_after_and_glued() {
        let a = amount("an estimated $7.12 billion worth").unwrap();
        assert_eq!(
            (a.0, a.2, a.3.as_deref()),
            (7.12e9, Bound::Approx, Some("USD"))
        );
        let a = amount("a fine of Rs10 million").unwrap();
        assert_eq!((a.0, a.3.as_deref()), (1e7, Some("PKR")));
        let a = amount("tens of billions of dollars").unwrap();
        assert_eq!(
            (a.0, a.2, a.3.as_deref()),
            (1e10, Bound::AtLeast, Some("USD"))
        );
        let a = amount("paid 5bn afghanis").unwrap();
        assert_eq!((a.0, a.3.as_deref()), (5e9, Some("AFN")));
    }

    #[test]
    fn percentages_in_three_spellings() {
        for text in ["rose 42% in", "rose 42 percent in", "rose 42 per cent in"] {
            let a = amount(text).unwrap();
            assert_eq!((a.0, a.4), (42.0, true), "{text}");
        }
    }

    #[test]
    fn ranges_with_to_dash_and_between() {
        for text in [
            "7,000 to 10,000 fighters",
            "between 7,000 and 10,000 fighters",
            "between 7,000 to 10,000 fighters",
            "7,000–10,000 fighters",
            "7,000-10,000 fighters",
        ] {
            let a = amount(text).unwrap();
            assert_eq!(
                (a.0, a.1, a.2),
                (7000.0, Some(10000.0), Bound::Range),
                "{text}"
            );
        }
        let a = amount("2 to 3 million people").unwrap();
        assert_eq!((a.0, a.1), (2e6, Some(3e6)));
    }

    #[test]
    fn bounds_before_and_after() {
        assert_eq!(value("over 600 attacks"), (600.0, Bound::AtLeast));
        assert_eq!(value("up to 40 camps"), (40.0, Bound::AtMost));
        assert_eq!(value("fewer than 40 camps"), (40.0, Bound::AtMost));
        assert_eq!(value("around 40 camps"), (40.0, Bound::Approx));
        assert_eq!(value("40 or more camps"), (40.0, Bound::AtLeast));
    }

    #[test]
    fn years_are_flagged_and_names_are_not_numbers() {
        let lex = Lexicon::default();
        let text = "in 2024 and 2022-23";
        let t = Tokens::new(text, &[]);
        let a = parse_amount(&lex.figures, &t, 1, 0, t.len()).unwrap();
        assert!(a.year_like);
        let a = parse_amount(&lex.figures, &t, 3, 0, t.len()).unwrap();
        assert_eq!(a.value_max, None);
        assert!(amount("AK-47 and M4 and F-16").is_none());
    }
}
