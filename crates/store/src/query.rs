//! The plain data types of the store interface: filters, search requests and results,
//! plus the small pure helpers (date bounds, name keys) that the SQL relies on.

use serde::{Deserialize, Serialize};

use crate::StoreError;

/// Which claims to read. Every field is optional; set fields are ANDed.
///
/// A field that does not apply to a record kind is ignored for it: `metric` only
/// filters figures, `place` only figures and events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Document id.
    pub doc: Option<String>,
    /// Entity id (or literal name) matched against a mention's entity, a figure's
    /// subject, a relation's source or target, an event's perpetrator or target.
    /// Ids merged into it match too.
    pub entity: Option<String>,
    /// Figure metric, e.g. `fatalities`.
    pub metric: Option<String>,
    /// Earliest date (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), inclusive. Compared with the
    /// record's own date (event date, figure period) or else its document's date.
    pub from: Option<String>,
    /// Latest date, inclusive, same format as `from`.
    pub to: Option<String>,
    /// Place entity id (or literal) of a figure or event.
    pub place: Option<String>,
    pub limit: Option<usize>,
    pub offset: usize,
}

/// How the search text is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchMode {
    /// Every whitespace-separated word is quoted and all must occur: no syntax, no
    /// surprises. Punctuation-only words are dropped.
    #[default]
    Safe,
    /// The text is FTS5 query syntax (`"exact phrase"`, `OR`, `NOT`, `prefix*`,
    /// `NEAR(a b, 5)`, `title:word`); bad syntax is a [`StoreError::User`].
    Raw,
}

/// A full-text search over document titles and clean text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub text: String,
    pub mode: SearchMode,
    /// Publisher, compared case-insensitively.
    pub publisher: Option<String>,
    /// Publication date range, as in [`Filter::from`].
    pub from: Option<String>,
    pub to: Option<String>,
    /// At most this many hits (default 20).
    pub limit: Option<usize>,
    pub offset: usize,
}

/// Marks around matched words in [`SearchHit::snippet`]: `«` and `»`, chosen because they
/// never clash with Markdown or terminal escapes and rarely occur in the articles.
pub const HIGHLIGHT_OPEN: &str = "«";
pub const HIGHLIGHT_CLOSE: &str = "»";
/// Marks text left out at either end of a snippet.
pub const SNIPPET_ELLIPSIS: &str = "…";

/// One document matching a search, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub doc: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub publisher: Option<String>,
    /// About 24 words around the best match, matches wrapped in `«…»`.
    pub snippet: String,
    /// BM25 relevance: higher is better.
    pub score: f64,
}

/// How often a surface text was used for an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasUsage {
    pub text: String,
    pub count: u64,
    /// The first document (in ingest order) that used it.
    pub first_doc: String,
}

/// Row counts, for `dossier stats` and health checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub documents: u64,
    pub near_duplicates: u64,
    /// Entities as read (absorbed entities are not counted).
    pub entities: u64,
    pub discovered_entities: u64,
    pub aliases: u64,
    pub learned_aliases: u64,
    pub mentions: u64,
    pub figures: u64,
    pub relations: u64,
    pub events: u64,
    /// Merges in force (not undone).
    pub merges: u64,
    pub schema_version: i64,
}

/// The `(date_lo, date_hi)` pair stored with a record, or `None` when `date` does not
/// start with a year. A period `2001/2025` spans both ends. See the schema comment on
/// `date_hi` for why a `~` is appended.
pub(crate) fn date_bounds(date: &str) -> Option<(String, String)> {
    let (lo, hi) = match date.split_once('/') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (date.trim(), date.trim()),
    };
    if !starts_with_year(lo) || !starts_with_year(hi) {
        return None;
    }
    Some((lo.to_string(), format!("{hi}~")))
}

fn starts_with_year(s: &str) -> bool {
    s.len() >= 4 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit)
}

/// Checks a user-supplied `from`/`to` date, returning it as a comparison key.
pub(crate) fn check_date(field: &str, value: &str) -> Result<String, StoreError> {
    let v = value.trim();
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let num = |r: std::ops::Range<usize>| v[r].parse::<u32>().unwrap_or(0);
    let month_ok = || (1..=12).contains(&num(5..7));
    let ok = match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7) && month_ok(),
        10 => {
            digits(0..4)
                && b[4] == b'-'
                && digits(5..7)
                && b[7] == b'-'
                && digits(8..10)
                && (1..=dossier_model::days_in_month(num(0..4), num(5..7))).contains(&num(8..10))
        }
        _ => false,
    };
    if ok {
        Ok(v.to_string())
    } else {
        Err(StoreError::user(format!(
            "`{value}` is not a date for --{field}: write YYYY, YYYY-MM or YYYY-MM-DD"
        )))
    }
}

/// The key names are compared by: lowercase, whitespace collapsed, curly apostrophes
/// straightened (articles mix `Taliban’s` and `Taliban's`).
pub(crate) fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\u{2019}' | '\u{2018}' | '`' => out.push('\''),
                _ => out.extend(c.to_lowercase()),
            }
        }
    }
    out
}

/// Turns user words into an FTS5 query that cannot be a syntax error: each word becomes a
/// quoted string (inner quotes doubled), words without a letter or digit are dropped.
pub(crate) fn safe_fts_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_covers_every_day_of_it() {
        let (lo, hi) = date_bounds("2024").unwrap();
        assert!(lo.as_str() <= "2024-12-31~" && hi.as_str() >= "2024-01-01");
        assert!(hi.as_str() < "2025");
    }

    #[test]
    fn a_period_spans_both_ends() {
        assert_eq!(
            date_bounds("2001/2025"),
            Some(("2001".into(), "2025~".into()))
        );
    }

    #[test]
    fn a_period_without_a_year_has_no_bounds() {
        assert_eq!(date_bounds("last spring"), None);
        assert_eq!(date_bounds(""), None);
    }

    #[test]
    fn user_dates_must_be_iso_prefixes() {
        assert_eq!(check_date("from", " 2024-03 ").unwrap(), "2024-03");
        assert!(check_date("from", "2024-3").is_err());
        assert!(check_date("from", "2024-13").is_err());
        assert!(check_date("from", "2024-13-01").is_err());
        assert!(check_date("from", "2024-02-30").is_err());
        assert!(check_date("from", "2024-00-10").is_err());
        assert_eq!(check_date("to", "2024-02-29").unwrap(), "2024-02-29");
        assert!(check_date("to", "March 2024").is_err());
        assert!(check_date("to", "２０２４").is_err());
    }

    #[test]
    fn name_keys_ignore_case_spacing_and_apostrophe_style() {
        assert_eq!(name_key("  Haqqani   Network "), "haqqani network");
        assert_eq!(name_key("Taliban’s"), name_key("taliban's"));
    }

    #[test]
    fn safe_queries_quote_every_word() {
        assert_eq!(
            safe_fts_query(r#"TTP "attack AND"#).as_deref(),
            Some(r#""TTP" """attack" "AND""#)
        );
        assert_eq!(safe_fts_query(" \" * ( "), None);
    }
}
