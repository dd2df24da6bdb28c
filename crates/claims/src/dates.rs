//! Date expressions in running text, normalized to ISO dates of known precision.
//!
//! News text dates things relative to the day it was published ("on Monday",
//! "last July", "earlier this month") and often leaves out the year ("on March
//! 11"). [`find_dates`] finds the expressions in a sentence and [`resolve`]
//! turns one into `YYYY-MM-DD`, `YYYY-MM` or `YYYY` with a [`DatePrecision`],
//! using the publication date (itself `YYYY-MM-DD`, `YYYY-MM` or `YYYY`) as the
//! anchor. A date that cannot exist (Feb 30, year 99999) or cannot be anchored
//! (a relative expression without a publication date) resolves to nothing.
//!
//! Month and weekday names are calendar constants rather than cue words, so
//! they live here and not in a data file.

use std::sync::LazyLock;

use dossier_model::{DatePrecision, Span};
use jiff::civil::{Date, Weekday};
use jiff::ToSpan;
use regex::{Captures, Regex};

const MONTH: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
const WEEKDAY: &str = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";

/// Words after which a bare four-digit number is a year even when a lowercase
/// word follows ("in 2015 alone"); elsewhere "2000 fighters" is a count.
const YEAR_LEADS: &[&str] = &[
    "in",
    "since",
    "by",
    "during",
    "until",
    "till",
    "from",
    "between",
    "and",
    "to",
    "of",
    "early",
    "late",
    "mid",
    "before",
    "after",
    "through",
    "throughout",
    "around",
    "circa",
    "or",
    "its",
    "the",
    "their",
    "his",
    "her",
    "this",
];

static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    let m = MONTH;
    let w = WEEKDAY;
    let source = [
        // "March 11, 2025", "Dec. 13 2024", "Jan. 4"
        format!(r"(?P<md_m>{m})\.?\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>\d{{4}})\b)?"),
        // "11 March 2025", "4th of July"
        format!(r"\b(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>{m})\b\.?(?:,?\s+(?P<dm_y>\d{{4}})\b)?"),
        // "in the last week of December (2022)"
        format!(r"(?i:\b(?:the\s+)?(?:first|second|third|fourth|last|final)\s+(?:week|days?|half)\s+of\s+)(?P<wk_m>{m})\b(?:,?\s+(?P<wk_y>\d{{4}})\b)?"),
        // "In March", "by June 3", "in May 2019": a month after a preposition is a
        // month even without a year (resolved against the publication date). The day
        // and year are part of this alternative because the preposition starts the
        // match earlier than the day-month alternatives would.
        format!(r"\b(?i:in|since|during|until|till|through|by|from|early|late|mid|earlier\s+in|later\s+in)[-\s]+(?P<im_m>{m})\b\.?(?:\s+(?P<im_d>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<im_y>\d{{4}})\b)?"),
        // "December 2022"
        format!(r"\b(?P<my_m>{m})\b\.?,?\s+(?P<my_y>\d{{4}})\b"),
        // "last July"
        format!(r"\b(?i:last|this\s+past)\s+(?P<last_m>{m})\b"),
        // "on Monday", "last Friday"
        format!(r"\b(?P<wd_lead>(?i:on|last))\s+(?P<wd>{w})\b"),
        // "Tuesday's attack": the latest such day
        format!(r"\b(?P<wd_pos>{w})(?:'|’)s\b"),
        // "earlier this month", "late last year", "last week"
        r"\b(?i:(?:(?:earlier|later|late|early)\s+)?(?P<rel>this|last)\s+(?P<unit>week|month|year))\b".to_string(),
        r"\b(?P<yesterday>(?i:yesterday))\b".to_string(),
        // "in 2015", "mid-2023"
        r"\b(?:(?i:early|mid|late)[-\s])?(?P<year>(?:1[89]|20)\d{2})\b".to_string(),
    ]
    .join("|")
    // ASCII word boundaries keep the fast DFA engine on text with curly quotes;
    // every word the pattern names is ASCII anyway.
    .replace(r"\b", r"(?-u:\b)");
    Regex::new(&source).expect("date pattern is a valid regex")
});

/// The publication date as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Anchor {
    year: i16,
    month: Option<i8>,
    day: Option<i8>,
}

impl Anchor {
    fn parse(published: &str) -> Option<Anchor> {
        let s = published.trim();
        let s = s.get(..10.min(s.len())).unwrap_or(s);
        let mut parts = s.split('-');
        let year: i16 = parts.next()?.parse().ok()?;
        let month: Option<i8> = match parts.next() {
            Some(p) => Some(p.parse().ok()?),
            None => None,
        };
        let day: Option<i8> = match parts.next() {
            Some(p) => Some(p.parse().ok()?),
            None => None,
        };
        // Validate whatever precision we were given.
        Date::new(year, month.unwrap_or(1), day.unwrap_or(1)).ok()?;
        Some(Anchor { year, month, day })
    }

    fn date(self) -> Option<Date> {
        Date::new(self.year, self.month?, self.day?).ok()
    }

    /// The year of a month (and day) given without one: the publication year,
    /// unless that would put it after publication.
    fn year_for(self, month: i8, day: Option<i8>) -> i16 {
        let after = match self.month {
            Some(pm) if month > pm => true,
            Some(pm) if month == pm => matches!((day, self.day), (Some(d), Some(pd)) if d > pd),
            _ => false,
        };
        if after {
            self.year - 1
        } else {
            self.year
        }
    }
}

/// Resolve one date expression ("on March 11", "late last year") against the
/// publication date.
pub fn resolve(expr: &str, published: Option<&str>) -> Option<(String, DatePrecision)> {
    let anchor = published.and_then(Anchor::parse);
    let caps = PATTERN.captures(expr)?;
    resolve_captures(&caps, anchor)
}

/// Every date expression in `text[span]` that resolves, with its span in `text`.
pub fn find_dates(
    text: &str,
    span: Span,
    published: Option<&str>,
) -> Vec<(Span, String, DatePrecision)> {
    let Some(body) = text.get(span.start..span.end) else {
        return Vec::new();
    };
    let anchor = published.and_then(Anchor::parse);
    let mut out = Vec::new();
    // Find with the fast matcher, then capture only inside each match: capturing
    // over the whole sentence runs the slow backtracking engine.
    for m in PATTERN.find_iter(body) {
        let Some(caps) = PATTERN.captures(m.as_str()) else {
            continue;
        };
        let whole = m;
        if caps.name("year").is_some() && !plausible_year(body, whole.start(), whole.end()) {
            continue;
        }
        if let Some((value, precision)) = resolve_captures(&caps, anchor) {
            let s = Span::new(span.start + whole.start(), span.start + whole.end());
            out.push((s, value, precision));
        }
    }
    out
}

/// Whether `text[span]` states a date at all, resolvable or not: "on Jan. 4" pins
/// an occasion down even when the publication date is unknown.
pub fn mentions_date(text: &str, span: Span) -> bool {
    let Some(body) = text.get(span.start..span.end) else {
        return false;
    };
    PATTERN.find_iter(body).any(|m| {
        let bare_year = m.as_str().bytes().all(|b| b.is_ascii_digit());
        !bare_year || plausible_year(body, m.start(), m.end())
    })
}

/// Whether a word is a weekday's name ("Saturday", "Sat."): a day, never a noun
/// phrase of its own.
pub fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches(['.', ',', ';', ':']);
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    DAYS.iter()
        .any(|d| w == *d || (w.len() == 3 && d.starts_with(w)))
}

/// The day `days` after (negative: before) a day-precise date "YYYY-MM-DD".
pub fn shift_days(date: &str, days: i64) -> Option<String> {
    let d: Date = date.get(..10)?.parse().ok()?;
    let shifted = d.checked_add(days.days()).ok()?;
    Some(shifted.to_string())
}

/// Whether `text[span]` begins with a date expression ("Jan. 4 …").
pub fn starts_with_date(text: &str, span: Span) -> bool {
    text.get(span.start..span.end)
        .and_then(|body| PATTERN.find(body))
        .is_some_and(|m| m.start() == 0)
}

/// A bare four-digit number reads as a year unless it looks like a count or
/// part of a bigger number ("2,024", "2000 fighters", "2024%").
fn plausible_year(body: &str, start: usize, end: usize) -> bool {
    let before = &body[..start];
    let after = &body[end..];
    if before.ends_with(|c: char| c == ',' || c == '.' || c == '$' || c.is_ascii_digit()) {
        return false;
    }
    let mut next = after.chars();
    match next.next() {
        Some('%') => return false,
        Some(',' | '.') if next.next().is_some_and(|c| c.is_ascii_digit()) => return false,
        _ => {}
    }
    let next_word = after.trim_start();
    let lowercase_follows =
        after.starts_with(' ') && next_word.chars().next().is_some_and(|c| c.is_lowercase());
    if !lowercase_follows {
        return true;
    }
    let prev_word = before
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    YEAR_LEADS.contains(&prev_word.as_str())
}

fn resolve_captures(
    caps: &Captures<'_>,
    anchor: Option<Anchor>,
) -> Option<(String, DatePrecision)> {
    let get = |name: &str| caps.name(name).map(|m| m.as_str());
    if let (Some(m), Some(d)) = (get("md_m"), get("md_d")) {
        return day_date(month_number(m)?, d, get("md_y"), anchor);
    }
    if let (Some(m), Some(d)) = (get("dm_m"), get("dm_d")) {
        return day_date(month_number(m)?, d, get("dm_y"), anchor);
    }
    if let Some(m) = get("im_m") {
        let month = month_number(m)?;
        return match get("im_d") {
            Some(d) => day_date(month, d, get("im_y"), anchor),
            None => month_date(month, get("im_y"), anchor),
        };
    }
    if let Some(m) = get("wk_m") {
        return month_date(month_number(m)?, get("wk_y"), anchor);
    }
    if let (Some(m), Some(y)) = (get("my_m"), get("my_y")) {
        return month_date(month_number(m)?, Some(y), anchor);
    }
    if let Some(m) = get("last_m") {
        return last_named_month(month_number(m)?, anchor?);
    }
    if let (Some(lead), Some(wd)) = (get("wd_lead"), get("wd")) {
        let strictly_before = lead.eq_ignore_ascii_case("last");
        return weekday_date(weekday(wd)?, strictly_before, anchor?.date()?);
    }
    if let Some(wd) = get("wd_pos") {
        return weekday_date(weekday(wd)?, false, anchor?.date()?);
    }
    if let (Some(rel), Some(unit)) = (get("rel"), get("unit")) {
        return relative(
            rel.eq_ignore_ascii_case("last"),
            &unit.to_lowercase(),
            anchor?,
        );
    }
    if get("yesterday").is_some() {
        let d = anchor?.date()?.yesterday().ok()?;
        return Some((d.to_string(), DatePrecision::Day));
    }
    if let Some(y) = get("year") {
        let year: i16 = y.parse().ok()?;
        Date::new(year, 1, 1).ok()?;
        return Some((format!("{year:04}"), DatePrecision::Year));
    }
    None
}

fn day_date(
    month: i8,
    day: &str,
    year: Option<&str>,
    anchor: Option<Anchor>,
) -> Option<(String, DatePrecision)> {
    let day: i8 = day.parse().ok()?;
    let year: i16 = match year {
        Some(y) => y.parse().ok()?,
        None => anchor?.year_for(month, Some(day)),
    };
    let date = Date::new(year, month, day).ok()?;
    Some((date.to_string(), DatePrecision::Day))
}

fn month_date(
    month: i8,
    year: Option<&str>,
    anchor: Option<Anchor>,
) -> Option<(String, DatePrecision)> {
    let year: i16 = match year {
        Some(y) => y.parse().ok()?,
        None => anchor?.year_for(month, None),
    };
    Date::new(year, month, 1).ok()?;
    Some((format!("{year:04}-{month:02}"), DatePrecision::Month))
}

/// "last July": the most recent July strictly before the publication month.
fn last_named_month(month: i8, anchor: Anchor) -> Option<(String, DatePrecision)> {
    let year = match anchor.month {
        Some(pm) if month < pm => anchor.year,
        Some(_) => anchor.year - 1,
        // Without a publication month "last July" is only known to be last year or this.
        None => return None,
    };
    Date::new(year, month, 1).ok()?;
    Some((format!("{year:04}-{month:02}"), DatePrecision::Month))
}

fn weekday_date(
    wd: Weekday,
    strictly_before: bool,
    published: Date,
) -> Option<(String, DatePrecision)> {
    let date = if !strictly_before && published.weekday() == wd {
        published
    } else {
        published.nth_weekday(-1, wd).ok()?
    };
    Some((date.to_string(), DatePrecision::Day))
}

/// "this/last week|month|year", with "late/earlier" dropped: they narrow the
/// period but do not move it.
fn relative(last: bool, unit: &str, anchor: Anchor) -> Option<(String, DatePrecision)> {
    match unit {
        "year" => {
            let year = if last { anchor.year - 1 } else { anchor.year };
            Date::new(year, 1, 1).ok()?;
            Some((format!("{year:04}"), DatePrecision::Year))
        }
        "month" => {
            let first = Date::new(anchor.year, anchor.month?, 1).ok()?;
            let d = if last {
                first.checked_sub(1.month()).ok()?
            } else {
                first
            };
            Some((
                format!("{:04}-{:02}", d.year(), d.month()),
                DatePrecision::Month,
            ))
        }
        "week" => match anchor.date() {
            Some(day) => {
                let d = if last {
                    day.checked_sub(7.days()).ok()?
                } else {
                    day
                };
                Some((
                    format!("{:04}-{:02}", d.year(), d.month()),
                    DatePrecision::Month,
                ))
            }
            None => {
                let m = anchor.month?;
                Some((format!("{:04}-{:02}", anchor.year, m), DatePrecision::Month))
            }
        },
        _ => None,
    }
}

fn month_number(name: &str) -> Option<i8> {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    let prefix = lower.get(..3)?;
    let n = match prefix {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn weekday(name: &str) -> Option<Weekday> {
    let w = match name.get(..3)? {
        "Mon" => Weekday::Monday,
        "Tue" => Weekday::Tuesday,
        "Wed" => Weekday::Wednesday,
        "Thu" => Weekday::Thursday,
        "Fri" => Weekday::Friday,
        "Sat" => Weekday::Saturday,
        "Sun" => Weekday::Sunday,
        _ => return None,
    };
    Some(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use DatePrecision::*;

    fn check(expr: &str, published: Option<&str>, expect: Option<(&str, DatePrecision)>) {
        let got = resolve(expr, published);
        let got = got.as_ref().map(|(s, p)| (s.as_str(), *p));
        assert_eq!(got, expect, "{expr:?} published {published:?}");
    }

    #[test]
    fn full_dates_in_both_orders() {
        check("on April 3, 2024", None, Some(("2024-04-03", Day)));
        check(
            "the raid of 7 October 2023",
            None,
            Some(("2023-10-07", Day)),
        );
        check("Nov 21, 2022", None, Some(("2022-11-21", Day)));
        check("Sept. 9 2021", None, Some(("2021-09-09", Day)));
    }

    #[test]
    fn day_without_year_takes_the_publication_year_or_the_one_before() {
        check("on April 3", Some("2024-05-10"), Some(("2024-04-03", Day)));
        check("on June 3", Some("2024-05-10"), Some(("2023-06-03", Day)));
        check("Feb. 2", Some("2024-02"), Some(("2024-02-02", Day)));
        check("on April 3", None, None);
    }

    #[test]
    fn months_and_years() {
        check("in November 2019", None, Some(("2019-11", Month)));
        check("in 2009", None, Some(("2009", Year)));
        check("by mid-2018", None, Some(("2018", Year)));
        check(
            "in the last week of August",
            Some("2020-01-15"),
            Some(("2019-08", Month)),
        );
        check("the first week of May 2016", None, Some(("2016-05", Month)));
    }

    #[test]
    fn relative_expressions_use_the_publication_date() {
        check(
            "earlier this month",
            Some("2024-05-10"),
            Some(("2024-05", Month)),
        );
        check("last month", Some("2024-01-10"), Some(("2023-12", Month)));
        check("late last year", Some("2024-05-10"), Some(("2023", Year)));
        check("last week", Some("2024-03-03"), Some(("2024-02", Month)));
        check("last August", Some("2024-05-10"), Some(("2023-08", Month)));
        check("last March", Some("2024-05-10"), Some(("2024-03", Month)));
        check("yesterday", Some("2024-03-01"), Some(("2024-02-29", Day)));
        check("yesterday", Some("2024-03"), None);
        check("last week", None, None);
    }

    #[test]
    fn weekdays_count_back_from_the_publication_day() {
        // 2024-05-10 is a Friday.
        check("on Tuesday", Some("2024-05-10"), Some(("2024-05-07", Day)));
        check("on Friday", Some("2024-05-10"), Some(("2024-05-10", Day)));
        check("last Friday", Some("2024-05-10"), Some(("2024-05-03", Day)));
        check(
            "Tuesday's raid",
            Some("2024-05-10"),
            Some(("2024-05-07", Day)),
        );
        check(
            "Tuesday’s raid",
            Some("2024-05-10"),
            Some(("2024-05-07", Day)),
        );
        check("Tuesday's raid", None, None);
    }

    #[test]
    fn a_bare_month_after_a_preposition_is_the_latest_such_month() {
        check(
            "In March, rebels",
            Some("2025-09-10"),
            Some(("2025-03", Month)),
        );
        check("in October", Some("2025-09-10"), Some(("2024-10", Month)));
        check("in September", Some("2025-09-10"), Some(("2025-09", Month)));
        check("by June 3", Some("2025-09-10"), Some(("2025-06-03", Day)));
        check("in May 2019", Some("2025-09-10"), Some(("2019-05", Month)));
        check("since April 4, 2021", None, Some(("2021-04-04", Day)));
        check("in March", None, None);
        check("in Mardan", Some("2025-09-10"), None);
    }

    #[test]
    fn absurd_dates_resolve_to_nothing() {
        check("February 30, 2023", None, None);
        check("year 99999", None, None);
        check("on March 11", Some("99999-01-01"), None);
        check("on March 11", Some("garbage"), None);
        check("June 31", Some("2024-08-01"), None);
        check("", Some("2024-08-01"), None);
    }

    #[test]
    fn finder_reports_spans_and_skips_counts() {
        let text = "Xx. Police said 2000 fighters attacked on May 2 and in 2021, not 2,024 times.";
        let sent = Span::new(4, text.len());
        let found = find_dates(text, sent, Some("2022-06-01"));
        let got: Vec<(&str, &str)> = found
            .iter()
            .map(|(s, v, _)| (s.slice(text), v.as_str()))
            .collect();
        assert_eq!(got, vec![("May 2", "2022-05-02"), ("2021", "2021")]);
    }

    #[test]
    fn a_year_before_a_capitalized_name_is_a_year() {
        let text = "Its 2019 Country Report named the group.";
        let found = find_dates(text, Span::new(0, text.len()), None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "2019");
    }

    #[test]
    fn modal_may_is_not_a_month() {
        let text = "The group may 2 times retreat; it may attack.";
        let found = find_dates(text, Span::new(0, text.len()), Some("2024-06-01"));
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_date_is_mentioned_even_when_it_cannot_be_resolved() {
        let text = "He spoke at a briefing on Jan. 4 about 2000 fighters.";
        assert!(mentions_date(text, Span::new(0, text.len())));
        assert!(find_dates(text, Span::new(0, text.len()), None).is_empty());
        let text = "He spoke about 2000 fighters.";
        assert!(!mentions_date(text, Span::new(0, text.len())));
        assert!(!mentions_date(text, Span::new(5, 999)));
        assert!(starts_with_date("Jan. 4 was cold", Span::new(0, 15)));
        assert!(!starts_with_date("On Jan. 4", Span::new(0, 9)));
    }

    #[test]
    fn weekday_names_are_days() {
        assert!(is_weekday("Saturday"));
        assert!(is_weekday("Sat."));
        assert!(!is_weekday("Saturn"));
        assert!(!is_weekday("saturday's"));
    }

    #[test]
    fn a_day_shifts_across_months_and_bad_input_gives_nothing() {
        assert_eq!(shift_days("2025-03-03", -7).as_deref(), Some("2025-02-24"));
        assert_eq!(shift_days("2025-03", -7), None);
        assert_eq!(shift_days("not a date", 3), None);
    }

    #[test]
    fn finder_survives_bad_spans() {
        assert!(find_dates("abc", Span::new(2, 10), None).is_empty());
        assert!(find_dates("Taliban’s", Span::new(0, 8), None).is_empty());
    }
}
