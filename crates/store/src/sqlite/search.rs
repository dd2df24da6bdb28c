//! Full-text search over the FTS5 index of document titles and clean text.

use rusqlite::{named_params, Connection, ErrorCode};

use super::to_i64;
use crate::query::{check_date, safe_fts_query};
use crate::{
    SearchHit, SearchMode, SearchQuery, StoreError, HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN,
    SNIPPET_ELLIPSIS,
};

/// Hits returned when the caller sets no limit.
const DEFAULT_LIMIT: usize = 20;
/// Tokens of context in a snippet (FTS5 allows at most 64).
const SNIPPET_TOKENS: u32 = 24;
/// Most words a search may have. FTS5's ranking and snippets cost time in proportion
/// to phrases × matches: a 100 KB query of one repeated word took seconds per search.
const MAX_QUERY_WORDS: usize = 256;

pub(super) fn search(conn: &Connection, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
    let text = q.text.trim();
    if text.is_empty() {
        return Err(StoreError::user(
            "the search is empty: give one or more words",
        ));
    }
    let words = text.split_whitespace().count();
    if words > MAX_QUERY_WORDS {
        return Err(StoreError::user(format!(
            "the search has {words} words; at most {MAX_QUERY_WORDS} are allowed: shorten it"
        )));
    }
    let fts = match q.mode {
        SearchMode::Safe => safe_fts_query(text).ok_or_else(|| {
            StoreError::user(format!(
                "`{}` has no letters or digits to search for",
                abbreviate(text)
            ))
        })?,
        SearchMode::Raw => text.to_string(),
    };
    let from = q
        .from
        .as_deref()
        .map(|d| check_date("from", d))
        .transpose()?;
    let to =
        q.to.as_deref()
            .map(|d| check_date("to", d).map(|d| format!("{d}~")))
            .transpose()?;
    // The markers are crate constants, not user text: formatting them in is safe. The
    // snippet comes from the body when it matches there (context is what a reader wants),
    // else from the title.
    let snippet = |column: u8| {
        format!(
            "snippet(documents_fts, {column}, '{HIGHLIGHT_OPEN}', '{HIGHLIGHT_CLOSE}', \
             '{SNIPPET_ELLIPSIS}', {SNIPPET_TOKENS})"
        )
    };
    let (title, body) = (snippet(0), snippet(1));
    let sql = format!(
        "SELECT d.id, d.title, d.published, d.publisher,
                CASE WHEN instr({body}, '{HIGHLIGHT_OPEN}') > 0 THEN {body} ELSE {title} END,
                -bm25(documents_fts)
         FROM documents_fts JOIN documents d ON d.num = documents_fts.rowid
         WHERE documents_fts MATCH :q
           AND (:publisher IS NULL OR d.publisher = :publisher COLLATE NOCASE)
           AND (:from IS NULL OR d.date_hi >= :from)
           AND (:to IS NULL OR d.date_lo <= :to)
         ORDER BY bm25(documents_fts), d.num
         LIMIT :limit OFFSET :offset"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        named_params! {
            ":q": fts,
            ":publisher": q.publisher.as_deref().map(str::trim),
            ":from": from,
            ":to": to,
            ":limit": to_i64(q.limit.unwrap_or(DEFAULT_LIMIT)),
            ":offset": to_i64(q.offset),
        },
        |r| {
            Ok(SearchHit {
                doc: r.get(0)?,
                title: r.get(1)?,
                published: r.get(2)?,
                publisher: r.get(3)?,
                snippet: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                score: r.get(5)?,
            })
        },
    );
    rows.and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(|e| query_error(e, text, q.mode))
}

/// FTS5 reports bad query syntax (`fts5: syntax error near …`, `no such column`, …) as a
/// generic SQLITE_ERROR while stepping; that is the user's query, not a broken database.
fn query_error(e: rusqlite::Error, text: &str, mode: SearchMode) -> StoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, msg) if f.code == ErrorCode::Unknown => {
            let why = msg.clone().unwrap_or_else(|| f.to_string());
            let advice = match mode {
                SearchMode::Raw => {
                    "check the FTS5 syntax (quote phrases with \"…\", close NEAR( … )), \
                     or search in safe mode to match the words literally"
                }
                SearchMode::Safe => "try fewer or simpler words",
            };
            StoreError::User(format!(
                "cannot search for `{}`: {why}; {advice}",
                abbreviate(text)
            ))
        }
        _ => e.into(),
    }
}

/// Echoing a 10,000-character query back would bury the message.
fn abbreviate(text: &str) -> String {
    const MAX: usize = 80;
    match text.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use crate::{SearchMode, SearchQuery, Store, StoreError};

    fn q(text: &str, mode: SearchMode) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            mode,
            ..Default::default()
        }
    }

    #[test]
    fn a_search_of_thousands_of_words_is_refused_quickly() {
        let s = store_with(&[("a", "sha-a")]);
        let many = "attack ".repeat(14_000);
        for mode in [SearchMode::Safe, SearchMode::Raw] {
            let err = s.search(&q(&many, mode)).unwrap_err();
            assert!(
                err.to_string().contains("14000 words; at most 256"),
                "{err}"
            );
        }
        assert_eq!(
            s.search(&q(&"attack ".repeat(256), SearchMode::Safe))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn raw_mode_speaks_fts5() {
        let s = store_with(&[("a", "sha-a")]);
        assert_eq!(
            s.search(&q("militi* OR helicopter", SearchMode::Raw))
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            s.search(&q("NEAR(attack Dera, 3)", SearchMode::Raw))
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            s.search(&q("title:report", SearchMode::Raw)).unwrap().len(),
            1
        );
    }

    #[test]
    fn hostile_queries_are_answered_or_refused_never_panicked_on() {
        let s = store_with(&[("a", "sha-a")]);
        let long = "attack ".repeat(1500);
        let hostile = [
            "\"",
            "\"\"",
            "AND OR",
            "OR",
            "NOT",
            "*",
            "attack*",
            "NEAR(",
            "NEAR(attack",
            "(",
            ")",
            "title:",
            "nocolumn:attack",
            "^attack",
            "-attack",
            "+",
            "{a b}:x",
            "'; DROP TABLE documents; --",
            "\" OR 1=1 --",
            "attack\0Dera",
            "Taliban’s",
            "\u{202e}kcatta",
            long.as_str(),
            &"x".repeat(10_000),
            "  ",
        ];
        for text in hostile {
            for mode in [SearchMode::Safe, SearchMode::Raw] {
                match s.search(&q(text, mode)) {
                    Ok(_) | Err(StoreError::User(_)) => {}
                    Err(other) => panic!("{mode:?} `{text:.40}` gave {other:?}"),
                }
            }
        }
        assert_eq!(
            s.stats().unwrap().documents,
            1,
            "the documents table survived"
        );
        let err = s.search(&q("NEAR(", SearchMode::Raw)).unwrap_err();
        assert!(err.to_string().contains("safe mode"), "{err}");
        assert_eq!(s.search(&q("\"attack", SearchMode::Safe)).unwrap().len(), 1);
    }

    #[test]
    fn long_queries_are_abbreviated_in_messages() {
        assert_eq!(super::abbreviate(&"é".repeat(100)).chars().count(), 81);
        assert_eq!(super::abbreviate("short"), "short");
    }
}
