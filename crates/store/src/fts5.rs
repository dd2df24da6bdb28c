//! The raw search syntax, SQLite FTS5's query language, read into a tree so that a
//! backend without FTS5 (PostgreSQL) can answer the same queries.
//!
//! Supported as FTS5 has it: barewords and `"quoted phrases"` (`""` inside a string is a
//! quote), prefixes (`milit*`, `"hill mil"*`), `AND`, `OR`, `NOT` (binary: `a NOT b`),
//! parentheses, implicit AND between neighbours, column filters (`title:report`,
//! `{title text}:attack`, `-title:x` for every column but title) and `NEAR(a b, N)`.
//! Precedence as in FTS5: NOT binds tightest, then AND, then OR. `^` (first token of a
//! column) has no PostgreSQL equivalent and is refused there.
//!
//! ```
//! use dossier_store::fts5::{parse, Query};
//! let q = parse("title:report NOT \"hill militia\" OR milit*").unwrap();
//! assert!(matches!(q, Query::Or(..)));
//! ```

/// Columns the FTS5 index of documents has, in its order.
pub const COLUMNS: [&str; 2] = ["title", "text"];

/// A parsed raw query.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// Words in sequence (one word is a phrase of one), the last one a prefix when
    /// `prefix`; `columns` the columns it may match in (all when empty); `initial`
    /// when it must open the column (`^`).
    Phrase {
        words: Vec<String>,
        prefix: bool,
        columns: Vec<String>,
        initial: bool,
    },
    And(Box<Query>, Box<Query>),
    Or(Box<Query>, Box<Query>),
    /// Matches of the left side that do not match the right side.
    Not(Box<Query>, Box<Query>),
    /// Phrases within `distance` tokens of each other.
    Near {
        phrases: Vec<Query>,
        distance: u32,
    },
}

/// Why a raw query is not valid, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError(pub String);

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    And,
    Or,
    Not,
    Near,
    Open,
    Close,
    Star,
    Colon,
    Caret,
    Minus,
    Plus,
    Comma,
    LBrace,
    RBrace,
}

/// FTS5's bareword characters: letters and digits of any script, `_`, and every
/// non-ASCII character.
fn bare(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || !c.is_ascii() && !c.is_whitespace()
}

fn lex(q: &str) -> Result<Vec<Tok>, SyntaxError> {
    let mut out = Vec::new();
    let mut chars = q.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '"' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            s.push('"');
                        }
                        Some('"') => break,
                        Some(c) => s.push(c),
                        None => return Err(SyntaxError("a quoted phrase is not closed".into())),
                    }
                }
                out.push(Tok::Str(s));
            }
            c if bare(c) => {
                let mut w = String::new();
                while let Some(&c) = chars.peek() {
                    if !bare(c) {
                        break;
                    }
                    w.push(c);
                    chars.next();
                }
                out.push(match w.as_str() {
                    "AND" => Tok::And,
                    "OR" => Tok::Or,
                    "NOT" => Tok::Not,
                    "NEAR" if chars.peek() == Some(&'(') => Tok::Near,
                    _ => Tok::Word(w),
                });
            }
            _ => {
                chars.next();
                out.push(match c {
                    '(' => Tok::Open,
                    ')' => Tok::Close,
                    '*' => Tok::Star,
                    ':' => Tok::Colon,
                    '^' => Tok::Caret,
                    '-' => Tok::Minus,
                    '+' => Tok::Plus,
                    ',' => Tok::Comma,
                    '{' => Tok::LBrace,
                    '}' => Tok::RBrace,
                    other => {
                        return Err(SyntaxError(format!(
                            "`{other}` is not part of the search syntax: quote it (\"…\") or use the plain search"
                        )))
                    }
                });
            }
        }
    }
    Ok(out)
}

/// The words of a phrase as FTS5's default tokenizer splits them: on anything that is
/// not a letter, a digit or `_`, lowercased.
fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn expect(&mut self, want: &Tok, what: &str) -> Result<(), SyntaxError> {
        match self.next() {
            Some(t) if &t == want => Ok(()),
            _ => Err(SyntaxError(format!("{what} is missing"))),
        }
    }

    fn or(&mut self) -> Result<Query, SyntaxError> {
        let mut left = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.next();
            let right = self.and()?;
            left = Query::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Query, SyntaxError> {
        let mut left = self.not()?;
        loop {
            match self.peek() {
                Some(Tok::And) => {
                    self.next();
                }
                // Neighbours without an operator are ANDed.
                Some(Tok::Word(_) | Tok::Str(_) | Tok::Open | Tok::Near | Tok::Caret)
                | Some(Tok::Minus | Tok::LBrace) => {}
                _ => return Ok(left),
            }
            let right = self.not()?;
            left = Query::And(Box::new(left), Box::new(right));
        }
    }

    fn not(&mut self) -> Result<Query, SyntaxError> {
        let mut left = self.primary()?;
        while self.peek() == Some(&Tok::Not) {
            self.next();
            let right = self.primary()?;
            left = Query::Not(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    /// A column filter before a phrase or a parenthesised group, if one is there.
    fn columns(&mut self) -> Result<Option<Vec<String>>, SyntaxError> {
        let start = self.at;
        let negated = self.peek() == Some(&Tok::Minus);
        if negated {
            self.next();
        }
        let named: Vec<String> = match (self.peek().cloned(), self.toks.get(self.at + 1)) {
            (Some(Tok::Word(w)), Some(Tok::Colon)) => {
                self.at += 2;
                vec![w]
            }
            (Some(Tok::LBrace), _) => {
                self.next();
                let mut v = Vec::new();
                loop {
                    match self.next() {
                        Some(Tok::Word(w)) => v.push(w),
                        Some(Tok::RBrace) => break,
                        _ => return Err(SyntaxError("a `{column …}` list is not closed".into())),
                    }
                }
                self.expect(&Tok::Colon, "the `:` after a column list")?;
                v
            }
            _ => {
                self.at = start;
                if negated {
                    return Err(SyntaxError("`-` must come before a column filter".into()));
                }
                return Ok(None);
            }
        };
        let mut cols = Vec::new();
        for c in &named {
            let c = c.to_lowercase();
            if !COLUMNS.contains(&c.as_str()) {
                return Err(SyntaxError(format!(
                    "there is no column `{c}` to search: the columns are {}",
                    COLUMNS.join(" and ")
                )));
            }
            cols.push(c);
        }
        if negated {
            cols = COLUMNS
                .iter()
                .filter(|c| !cols.iter().any(|n| n == *c))
                .map(|c| c.to_string())
                .collect();
        }
        Ok(Some(cols))
    }

    fn primary(&mut self) -> Result<Query, SyntaxError> {
        let columns = self.columns()?;
        let mut q = match self.peek().cloned() {
            Some(Tok::Open) => {
                self.next();
                let q = self.or()?;
                self.expect(&Tok::Close, "a closing parenthesis")?;
                q
            }
            Some(Tok::Near) => self.near()?,
            Some(Tok::Caret | Tok::Word(_) | Tok::Str(_)) => self.phrase()?,
            _ => {
                return Err(SyntaxError(
                    "a word or a \"phrase\" is expected here".into(),
                ))
            }
        };
        if let Some(cols) = columns {
            restrict(&mut q, &cols);
        }
        Ok(q)
    }

    /// A phrase: strings and words joined by `+`, the last one maybe a prefix.
    fn phrase(&mut self) -> Result<Query, SyntaxError> {
        let initial = self.peek() == Some(&Tok::Caret);
        if initial {
            self.next();
        }
        let mut words = Vec::new();
        let mut prefix = false;
        loop {
            match self.next() {
                Some(Tok::Word(w)) => words.extend(words_of(&w)),
                Some(Tok::Str(s)) => words.extend(words_of(&s)),
                _ => {
                    return Err(SyntaxError(
                        "a word or a \"phrase\" is expected here".into(),
                    ))
                }
            }
            if self.peek() == Some(&Tok::Star) {
                self.next();
                prefix = true;
            }
            if prefix || self.peek() != Some(&Tok::Plus) {
                break;
            }
            self.next();
        }
        if words.is_empty() {
            return Err(SyntaxError("a phrase has no words to search for".into()));
        }
        Ok(Query::Phrase {
            words,
            prefix,
            columns: Vec::new(),
            initial,
        })
    }

    /// `NEAR(phrase phrase …, N)`; N is 10 when not given.
    fn near(&mut self) -> Result<Query, SyntaxError> {
        self.next();
        self.expect(&Tok::Open, "the `(` after NEAR")?;
        let mut phrases = Vec::new();
        let mut distance = 10;
        loop {
            match self.peek() {
                Some(Tok::Close) => {
                    self.next();
                    break;
                }
                Some(Tok::Comma) => {
                    self.next();
                    distance = match self.next() {
                        Some(Tok::Word(n)) => n.parse().map_err(|_| {
                            SyntaxError(format!("`{n}` is not a NEAR distance (a whole number)"))
                        })?,
                        _ => return Err(SyntaxError("a NEAR distance is missing".into())),
                    };
                    self.expect(&Tok::Close, "the `)` closing NEAR")?;
                    break;
                }
                Some(_) => phrases.push(self.phrase()?),
                None => return Err(SyntaxError("the `)` closing NEAR is missing".into())),
            }
        }
        if phrases.is_empty() {
            return Err(SyntaxError("NEAR( ) needs phrases inside".into()));
        }
        Ok(Query::Near { phrases, distance })
    }
}

/// Narrows every phrase under `q` to `cols` (an inner filter narrows further).
fn restrict(q: &mut Query, cols: &[String]) {
    match q {
        Query::Phrase { columns, .. } => {
            if columns.is_empty() {
                *columns = cols.to_vec();
            } else {
                columns.retain(|c| cols.contains(c));
            }
        }
        Query::And(a, b) | Query::Or(a, b) | Query::Not(a, b) => {
            restrict(a, cols);
            restrict(b, cols);
        }
        Query::Near { phrases, .. } => phrases.iter_mut().for_each(|p| restrict(p, cols)),
    }
}

/// Reads a raw query; an error says what is wrong in it.
pub fn parse(q: &str) -> Result<Query, SyntaxError> {
    let mut p = Parser {
        toks: lex(q)?,
        at: 0,
    };
    if p.toks.is_empty() {
        return Err(SyntaxError(
            "the search is empty: give one or more words".into(),
        ));
    }
    let query = p.or()?;
    if p.at < p.toks.len() {
        return Err(SyntaxError(format!(
            "the search does not read past `{}`",
            describe(&p.toks[p.at])
        )));
    }
    Ok(query)
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) | Tok::Str(w) => w.clone(),
        Tok::And => "AND".into(),
        Tok::Or => "OR".into(),
        Tok::Not => "NOT".into(),
        Tok::Near => "NEAR".into(),
        Tok::Open => "(".into(),
        Tok::Close => ")".into(),
        Tok::Star => "*".into(),
        Tok::Colon => ":".into(),
        Tok::Caret => "^".into(),
        Tok::Minus => "-".into(),
        Tok::Plus => "+".into(),
        Tok::Comma => ",".into(),
        Tok::LBrace => "{".into(),
        Tok::RBrace => "}".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(words: &[&str], prefix: bool, columns: &[&str]) -> Query {
        Query::Phrase {
            words: words.iter().map(|w| w.to_string()).collect(),
            prefix,
            columns: columns.iter().map(|c| c.to_string()).collect(),
            initial: false,
        }
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        let q = parse("levies OR checkpost attack NOT drone").unwrap();
        assert_eq!(
            q,
            Query::Or(
                Box::new(p(&["levies"], false, &[])),
                Box::new(Query::And(
                    Box::new(p(&["checkpost"], false, &[])),
                    Box::new(Query::Not(
                        Box::new(p(&["attack"], false, &[])),
                        Box::new(p(&["drone"], false, &[]))
                    ))
                ))
            )
        );
    }

    #[test]
    fn phrases_prefixes_columns_and_near() {
        assert_eq!(
            parse("\"Levies Post\"*").unwrap(),
            p(&["levies", "post"], true, &[])
        );
        assert_eq!(
            parse("title:(ambush OR raid)").unwrap(),
            Query::Or(
                Box::new(p(&["ambush"], false, &["title"])),
                Box::new(p(&["raid"], false, &["title"]))
            )
        );
        assert_eq!(
            parse("-title:raid").unwrap(),
            p(&["raid"], false, &["text"])
        );
        assert_eq!(
            parse("NEAR(ambush \"Zhob road\", 4)").unwrap(),
            Query::Near {
                phrases: vec![p(&["ambush"], false, &[]), p(&["zhob", "road"], false, &[])],
                distance: 4
            }
        );
        assert_eq!(
            parse("\"say \"\"no\"\"\"").unwrap(),
            p(&["say", "no"], false, &[])
        );
    }

    #[test]
    fn bad_syntax_is_explained_not_panicked() {
        for bad in [
            "\"",
            "(",
            ")",
            "AND OR",
            "OR",
            "NOT",
            "*",
            "NEAR(",
            "title:",
            "nocolumn:attack",
            "+",
            "{a b}:x",
            "'; DROP TABLE documents; --",
            "\" OR 1=1 --",
            "-attack",
            "  ",
            "NEAR(a b, x)",
            "\"\"",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(!e.0.is_empty(), "{bad}");
        }
        assert!(parse("Taliban’s").is_ok());
        assert!(parse("attack\u{202e}").is_ok());
    }
}
