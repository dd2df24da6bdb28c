//! Publication dates in the forms articles print them, normalized to ISO.

use std::sync::LazyLock;

use dossier_model::days_in_month;
use regex::Regex;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:\b|T)").expect("static regex")
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
        .expect("static regex")
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?,?\s+(\d{4})\b")
        .expect("static regex")
});
static MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b([a-z]{3,9})\.?,?\s+(\d{4})\b").expect("static regex"));
static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{4})\s*$").expect("static regex"));

/// Month number from an English month name or its three-letter abbreviation.
fn month(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let idx = MONTHS.iter().position(|m| lower.starts_with(m))?;
    // "Marching" is not March: a longer word must be the full month name.
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let ok = lower.len() == 3 || full[idx].starts_with(&lower) || (idx == 8 && lower == "sept");
    ok.then_some(idx as u32 + 1)
}

fn iso(year: &str, month: Option<u32>, day: Option<u32>) -> Option<String> {
    let year: u32 = year.parse().ok()?;
    // Years outside this window are typos or IDs, not publication dates.
    if !(1900..=2100).contains(&year) {
        return None;
    }
    match (month, day) {
        (None, _) => Some(format!("{year:04}")),
        (Some(m), _) if !(1..=12).contains(&m) => None,
        (Some(m), None) => Some(format!("{year:04}-{m:02}")),
        (Some(m), Some(d)) if !(1..=days_in_month(year, m)).contains(&d) => None,
        (Some(m), Some(d)) => Some(format!("{year:04}-{m:02}-{d:02}")),
    }
}

/// The first date found in `text`, as `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, with its byte
/// range. Accepts ISO (`2025-03-20`, `2025-03-20T10:00Z`), `March 20, 2025`,
/// `20 March 2025`, `March 2025`, and a bare year when the text is only that.
pub fn find_date(text: &str) -> Option<(String, std::ops::Range<usize>)> {
    if let Some(c) = ISO.captures(text) {
        let m = c.get(2).and_then(|m| m.as_str().parse().ok());
        let d = c.get(3).and_then(|d| d.as_str().parse().ok());
        if let Some(found) = iso(&c[1], m, d) {
            return Some((found, c.get(0).map_or(0..0, |g| g.range())));
        }
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(text) {
        if let Some(m) = month(&c[1]) {
            if let Some(found) = iso(&c[3], Some(m), c[2].parse().ok()) {
                return Some((found, c.get(0).map_or(0..0, |g| g.range())));
            }
        }
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(text) {
        if let Some(m) = month(&c[2]) {
            if let Some(found) = iso(&c[3], Some(m), c[1].parse().ok()) {
                return Some((found, c.get(0).map_or(0..0, |g| g.range())));
            }
        }
    }
    for c in MONTH_YEAR.captures_iter(text) {
        if let Some(m) = month(&c[1]) {
            if let Some(found) = iso(&c[2], Some(m), None) {
                return Some((found, c.get(0).map_or(0..0, |g| g.range())));
            }
        }
    }
    let c = YEAR.captures(text)?;
    Some((
        iso(&c[1], None, None)?,
        c.get(0).map_or(0..0, |g| g.range()),
    ))
}

/// Normalize a date string (metadata field, CLI flag) to ISO; `None` if no sane date.
pub fn normalize_date(text: &str) -> Option<String> {
    find_date(text).map(|(d, _)| d)
}

/// `text` as an ISO date when the whole of it (trimmed) is one date, as a command-line
/// date flag must be: `2024-13-01`, `2024-02-30` and `soon 2024` are all `None`.
pub fn parse_date_exact(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let (date, range) = find_date(trimmed)?;
    (range == (0..trimmed.len())).then_some(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_forms_and_timestamps() {
        assert_eq!(normalize_date("2025-03-20").as_deref(), Some("2025-03-20"));
        assert_eq!(
            normalize_date("2024-11-02T08:15:00+05:00").as_deref(),
            Some("2024-11-02")
        );
        assert_eq!(normalize_date("2023/7/4").as_deref(), Some("2023-07-04"));
        assert_eq!(normalize_date("2025-03").as_deref(), Some("2025-03"));
    }

    #[test]
    fn impossible_calendar_days_are_not_dates() {
        assert_eq!(normalize_date("2024-02-30"), None);
        assert_eq!(normalize_date("2023-02-29"), None);
        assert_eq!(normalize_date("2024-04-31"), None);
        assert_eq!(normalize_date("2024-13-01"), None);
        assert_eq!(normalize_date("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(normalize_date("2000-02-29").as_deref(), Some("2000-02-29"));
        assert_eq!(normalize_date("1900-02-29"), None);
        assert_eq!(normalize_date("February 30, 2024"), None);
    }

    #[test]
    fn exact_dates_are_the_whole_string() {
        assert_eq!(parse_date_exact(" 2024-03 ").as_deref(), Some("2024-03"));
        assert_eq!(parse_date_exact("2024").as_deref(), Some("2024"));
        assert_eq!(parse_date_exact("March 2024").as_deref(), Some("2024-03"));
        assert_eq!(parse_date_exact("about 2024-03-01"), None);
        assert_eq!(parse_date_exact("2024-03-01 or so"), None);
        assert_eq!(parse_date_exact("2024-13-01"), None);
    }

    #[test]
    fn written_month_forms() {
        assert_eq!(
            normalize_date("March 20, 2025").as_deref(),
            Some("2025-03-20")
        );
        assert_eq!(
            normalize_date("Sept. 3rd, 2022").as_deref(),
            Some("2022-09-03")
        );
        assert_eq!(
            normalize_date("20 March 2025").as_deref(),
            Some("2025-03-20")
        );
        assert_eq!(
            normalize_date("Published: 5 Dec 2024").as_deref(),
            Some("2024-12-05")
        );
        assert_eq!(normalize_date("January 2023").as_deref(), Some("2023-01"));
        assert_eq!(normalize_date("2019").as_deref(), Some("2019"));
    }

    #[test]
    fn absurd_or_wordy_input_gives_none() {
        assert_eq!(normalize_date("1850-01-01"), None);
        assert_eq!(normalize_date("March 40, 2025"), None);
        assert_eq!(normalize_date("2025-13-01"), None);
        assert_eq!(normalize_date("Marching 12, 2025"), None);
        assert_eq!(normalize_date("some 2025 text"), None);
        assert_eq!(normalize_date(""), None);
    }
}
