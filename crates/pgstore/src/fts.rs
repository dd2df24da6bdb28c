//! The raw search syntax (SQLite FTS5's, parsed by [`dossier_store::fts5`]) written as a
//! PostgreSQL `tsquery`, so `--raw` searches mean the same on both backends.
//!
//! Titles are weighted `A` in the documents' `tsv` and text is unweighted (`D`), so a
//! column filter is a weight restriction. `NEAR(a b, N)` has no exact equivalent
//! (`<N>` is an exact distance in one order) and is read as "all of them in the
//! document"; `^` (first token of a column) is refused.

use dossier_store::fts5::{Query, COLUMNS};

/// The `to_tsquery` text for `q`, or why it cannot be written.
pub(crate) fn tsquery(q: &Query) -> Result<String, String> {
    Ok(match q {
        Query::Phrase {
            words,
            prefix,
            columns,
            initial,
        } => {
            if *initial {
                return Err(
                    "`^` (a word opening the title or text) is not supported on PostgreSQL".into(),
                );
            }
            let weight = weight(columns)?;
            let last = words.len().saturating_sub(1);
            let parts: Vec<String> = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let star = if *prefix && i == last { "*" } else { "" };
                    let marks = format!("{star}{weight}");
                    if marks.is_empty() {
                        quote(w)
                    } else {
                        format!("{}:{marks}", quote(w))
                    }
                })
                .collect();
            format!("({})", parts.join(" <-> "))
        }
        Query::And(a, b) => format!("({} & {})", tsquery(a)?, tsquery(b)?),
        Query::Or(a, b) => format!("({} | {})", tsquery(a)?, tsquery(b)?),
        Query::Not(a, b) => format!("({} & !{})", tsquery(a)?, tsquery(b)?),
        Query::Near { phrases, .. } => {
            let parts = phrases.iter().map(tsquery).collect::<Result<Vec<_>, _>>()?;
            format!("({})", parts.join(" & "))
        }
    })
}

/// The weight letters of a column filter: none for every column.
fn weight(columns: &[String]) -> Result<&'static str, String> {
    let title = columns.iter().any(|c| c == COLUMNS[0]);
    let text = columns.iter().any(|c| c == COLUMNS[1]);
    match (columns.is_empty(), title, text) {
        (true, _, _) | (false, true, true) => Ok(""),
        (false, true, false) => Ok("A"),
        (false, false, true) => Ok("D"),
        (false, false, false) => Err("the column filters leave no column to search".into()),
    }
}

/// A lexeme quoted for `to_tsquery`: quotes doubled, backslashes escaped.
fn quote(w: &str) -> String {
    format!("'{}'", w.replace('\\', "\\\\").replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_store::fts5::parse;

    fn ts(q: &str) -> Result<String, String> {
        tsquery(&parse(q).map_err(|e| e.0)?)
    }

    #[test]
    fn operators_phrases_prefixes_and_columns() {
        assert_eq!(
            ts("\"hill militia\" OR milit*").unwrap(),
            "(('hill' <-> 'militia') | ('milit':*))"
        );
        assert_eq!(ts("attack NOT drone").unwrap(), "(('attack') & !('drone'))");
        assert_eq!(ts("title:report").unwrap(), "('report':A)");
        assert_eq!(ts("-title:repo*").unwrap(), "('repo':*D)");
        assert_eq!(
            ts("NEAR(attack Dera, 3)").unwrap(),
            "(('attack') & ('dera'))"
        );
    }

    #[test]
    fn quotes_and_backslashes_stay_inside_the_lexeme() {
        assert_eq!(quote("o'brien"), "'o''brien'");
        assert_eq!(quote("a\\b"), "'a\\\\b'");
    }

    #[test]
    fn unsupported_forms_are_explained() {
        assert!(ts("^attack")
            .unwrap_err()
            .contains("not supported on PostgreSQL"));
    }
}
