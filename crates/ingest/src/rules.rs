//! Chrome cue phrases, read from a data file (`data/boilerplate.txt` by default).

use std::path::Path;

use regex::Regex;

/// What a matching paragraph means for the paragraphs around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// Drop the paragraph.
    DropLine,
    /// Drop the paragraph and everything after it.
    DropRest,
    /// Drop the paragraph and the short headings or cue paragraphs under it.
    DropBlock,
    /// Drop the paragraph and the rest of its input block (slug plus caption).
    DropCaption,
    /// Marks a closing "<Name> is a ..." paragraph as an author bio.
    BioCue,
}

impl CueKind {
    fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "drop-line" => CueKind::DropLine,
            "drop-rest" => CueKind::DropRest,
            "drop-block" => CueKind::DropBlock,
            "drop-caption" => CueKind::DropCaption,
            "bio-cue" => CueKind::BioCue,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
enum Pattern {
    /// Normalized whole-paragraph phrase.
    Phrase(String),
    Regex(Regex),
}

#[derive(Debug, Clone)]
struct Cue {
    kind: CueKind,
    pattern: Pattern,
}

/// A rules file that could not be read. Line numbers are 1-based.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{path}: cannot read chrome rules: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("line {line}: unknown kind `{kind}` (expected drop-line, drop-rest, drop-block, drop-caption or bio-cue)")]
    UnknownKind { line: usize, kind: String },
    #[error("line {line}: a rule needs a pattern after its kind")]
    MissingPattern { line: usize },
    #[error("line {line}: bad regex: {message}")]
    BadRegex { line: usize, message: String },
}

/// The page-chrome cue phrases: which paragraphs are navigation, banners, teasers.
#[derive(Debug, Clone)]
pub struct ChromeRules {
    cues: Vec<Cue>,
}

/// The rules shipped with Dossier.
const DEFAULT_RULES: &str = include_str!("../../../data/boilerplate.txt");

impl Default for ChromeRules {
    fn default() -> Self {
        // The embedded file is checked by a unit test, so this cannot fail in a build
        // that passed its tests; an empty rule set is still a safe fallback.
        ChromeRules::parse(DEFAULT_RULES).unwrap_or(ChromeRules { cues: Vec::new() })
    }
}

impl ChromeRules {
    /// Parse rules in the `KIND PATTERN` line format described in `data/boilerplate.txt`.
    pub fn parse(text: &str) -> Result<Self, RulesError> {
        let mut cues = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (kind_word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let kind = CueKind::parse(kind_word).ok_or_else(|| RulesError::UnknownKind {
                line: i + 1,
                kind: kind_word.to_string(),
            })?;
            let rest = rest.trim();
            if rest.is_empty() {
                return Err(RulesError::MissingPattern { line: i + 1 });
            }
            let pattern = match rest.strip_prefix("re:") {
                Some(re) => Pattern::Regex(Regex::new(re).map_err(|e| RulesError::BadRegex {
                    line: i + 1,
                    message: e.to_string(),
                })?),
                None => Pattern::Phrase(phrase_key(rest)),
            };
            cues.push(Cue { kind, pattern });
        }
        Ok(ChromeRules { cues })
    }

    /// Read rules from a file an analyst edited.
    pub fn from_path(path: &Path) -> Result<Self, RulesError> {
        let text = std::fs::read_to_string(path).map_err(|source| RulesError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text)
    }

    /// Number of rules loaded.
    pub fn len(&self) -> usize {
        self.cues.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cues.is_empty()
    }

    /// The strongest chrome kind matching `para` (bio cues excluded), if any.
    pub fn classify(&self, para: &str) -> Option<CueKind> {
        let key = phrase_key(para);
        let mut found = None;
        for cue in &self.cues {
            if cue.kind == CueKind::BioCue || !cue.matches(para, &key) {
                continue;
            }
            // A teaser heading must win over a line rule: it also drops what follows.
            let rank = |k: CueKind| match k {
                CueKind::DropRest => 3,
                CueKind::DropBlock => 2,
                CueKind::DropCaption => 1,
                _ => 0,
            };
            if found.is_none_or(|f| rank(cue.kind) > rank(f)) {
                found = Some(cue.kind);
            }
        }
        found
    }

    /// Whether any bio cue matches.
    pub fn has_bio_cue(&self, para: &str) -> bool {
        let key = phrase_key(para);
        self.cues
            .iter()
            .any(|c| c.kind == CueKind::BioCue && c.matches(para, &key))
    }
}

impl Cue {
    fn matches(&self, para: &str, key: &str) -> bool {
        match &self.pattern {
            Pattern::Phrase(p) => p == key,
            Pattern::Regex(re) => re.is_match(para),
        }
    }
}

/// Lowercase, single-spaced, without surrounding punctuation or symbols: how a
/// paragraph is compared with a phrase rule, and how repeated lines are counted.
pub fn phrase_key(text: &str) -> String {
    let lower = text.to_lowercase();
    let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric());
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rules_parse() {
        let rules = ChromeRules::parse(DEFAULT_RULES).expect("data/boilerplate.txt is valid");
        assert!(rules.len() > 50);
        assert_eq!(ChromeRules::default().len(), rules.len());
    }

    #[test]
    fn phrases_match_the_whole_paragraph_ignoring_case_and_punctuation() {
        let rules = ChromeRules::default();
        assert_eq!(
            rules.classify("Share this article:"),
            Some(CueKind::DropLine)
        );
        assert_eq!(
            rules.classify("  SKIP TO CONTENT "),
            Some(CueKind::DropLine)
        );
        assert_eq!(
            rules.classify("Share this article with a friend who studies Kabul."),
            None
        );
    }

    #[test]
    fn reading_time_and_slogans_are_lines() {
        let rules = ChromeRules::default();
        assert_eq!(rules.classify("4 Min Read"), Some(CueKind::DropLine));
        assert_eq!(
            rules.classify("STAND WITH US TODAY!"),
            Some(CueKind::DropLine)
        );
        assert_eq!(rules.classify("Militants struck at dawn!"), None);
    }

    #[test]
    fn teasers_drop_the_rest_and_cookies_drop_a_block() {
        let rules = ChromeRules::default();
        assert_eq!(rules.classify("Related Articles"), Some(CueKind::DropRest));
        assert_eq!(
            rules.classify("More from South Asia"),
            Some(CueKind::DropRest)
        );
        assert_eq!(
            rules.classify("Our site uses cookies to remember your choices."),
            Some(CueKind::DropBlock)
        );
    }

    #[test]
    fn disclaimers_and_slugs() {
        let rules = ChromeRules::default();
        assert_eq!(
            rules.classify("Views on the truce expressed by elders differ sharply."),
            None
        );
        assert_eq!(
            rules.classify("The views expressed in this article belong to the author alone."),
            Some(CueKind::DropLine)
        );
        assert_eq!(
            rules.classify("IRAN-BORDER-TRADE-ECONOMY"),
            Some(CueKind::DropCaption)
        );
        assert_eq!(rules.classify("K-P"), None);
    }

    #[test]
    fn bad_rules_name_their_line() {
        let err = ChromeRules::parse("# c\ndrop-line ok\nexplode now").unwrap_err();
        assert!(err
            .to_string()
            .starts_with("line 3: unknown kind `explode`"));
        let err = ChromeRules::parse("drop-line re:(unclosed").unwrap_err();
        assert!(matches!(err, RulesError::BadRegex { line: 1, .. }));
        assert!(matches!(
            ChromeRules::parse("drop-rest").unwrap_err(),
            RulesError::MissingPattern { line: 1 }
        ));
    }
}
