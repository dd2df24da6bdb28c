//! Paragraph and sentence segmentation with byte spans.
//!
//! Rules, not a model: a sentence ends at `.`, `!` or `?` (optionally followed by
//! closing quotes or brackets) when the next non-space character starts a new
//! sentence (an uppercase letter, a digit, or an opening quote), unless the
//! token before the period is a known abbreviation ("Gen.", "U.S.", "Jan.") or a
//! single initial. A blank line or a newline always ends a sentence: clean text
//! keeps one paragraph per line.

use dossier_model::Span;

/// Abbreviations after which a period does not end a sentence (compared lowercase,
/// without the final period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "brig", "sgt", "adm",
    "cmdr", "rep", "sen", "gov", "pres", "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co",
    "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.n", "u.k", "e.g", "i.e", "a.m", "p.m", "approx", "est", "fig", "mt", "ft", "dept",
    "govt", "rs", "mln", "bn",
];

/// Paragraph spans: maximal runs of non-empty lines, trimmed.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed_start = line.len() - line.trim_start().len();
        let body = line.trim();
        if !body.is_empty() {
            let start = offset + trimmed_start;
            out.push(Span::new(start, start + body.len()));
        }
        offset += line.len();
    }
    out
}

/// Paragraphs and sentences of one document, split once and shared by every rule.
#[derive(Debug, Clone, Default)]
pub(crate) struct Layout {
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Span>,
    /// Sentence index range of each paragraph.
    pub para_sentences: Vec<std::ops::Range<usize>>,
}

impl Layout {
    pub fn new(text: &str) -> Self {
        let paragraphs = paragraphs(text);
        let mut sentences = Vec::with_capacity(paragraphs.len() * 3);
        let mut para_sentences = Vec::with_capacity(paragraphs.len());
        for &para in &paragraphs {
            let first = sentences.len();
            split_paragraph(text, para, &mut sentences);
            para_sentences.push(first..sentences.len());
        }
        Layout {
            paragraphs,
            sentences,
            para_sentences,
        }
    }
}

/// Sentence spans in `text`, in order, trimmed of surrounding whitespace.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for para in paragraphs(text) {
        split_paragraph(text, para, &mut out);
    }
    out
}

pub(crate) fn split_paragraph(text: &str, para: Span, out: &mut Vec<Span>) {
    let body = &text[para.start..para.end];
    let bytes = body.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            let mut end = i + 1;
            // Closing quotes and brackets belong to the sentence they end.
            while end < bytes.len() {
                let rest = &body[end..];
                let c = rest.chars().next().unwrap_or(' ');
                if matches!(c, '"' | '\'' | ')' | ']' | '”' | '’') {
                    end += c.len_utf8();
                } else {
                    break;
                }
            }
            if is_boundary(body, start, i, end) {
                push_trimmed(body, para.start, start, end, out);
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    push_trimmed(body, para.start, start, bytes.len(), out);
}

fn is_boundary(body: &str, sent_start: usize, dot: usize, after: usize) -> bool {
    let rest = &body[after..];
    let next = rest.trim_start();
    if next.is_empty() {
        return true;
    }
    if next.len() == rest.len() {
        // No space after the period: "U.S.-made", "3.5", "al-Qaeda.com".
        return false;
    }
    let c = next.chars().next().unwrap_or(' ');
    let starts_sentence =
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '(' | '[');
    if !starts_sentence {
        return false;
    }
    if body.as_bytes()[dot] != b'.' {
        return true;
    }
    let before = &body[sent_start..dot];
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    // A single capital initial ("J. Smith") does not end a sentence.
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_uppercase() {
            return false;
        }
    }
    true
}

fn push_trimmed(body: &str, base: usize, start: usize, end: usize, out: &mut Vec<Span>) {
    let piece = &body[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        let s = base + start + lead;
        out.push(Span::new(s, s + trimmed.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).iter().map(|s| s.slice(text)).collect()
    }

    #[test]
    fn keeps_titles_and_abbreviations_inside_sentences() {
        let text = "Lt. Gen. Aslam Khan met U.S. officials on Jan. 4. They talked.";
        assert_eq!(
            split(text),
            vec![
                "Lt. Gen. Aslam Khan met U.S. officials on Jan. 4.",
                "They talked."
            ]
        );
    }

    #[test]
    fn ends_at_newlines_and_keeps_closing_quotes() {
        let text = "He said “we will win.” Then left.\nHeadline\n\nNext para!";
        assert_eq!(
            split(text),
            vec![
                "He said “we will win.”",
                "Then left.",
                "Headline",
                "Next para!"
            ]
        );
    }

    #[test]
    fn decimals_and_lowercase_continuations_do_not_split() {
        let text = "It rose 3.5 percent vs. last year. Done";
        assert_eq!(
            split(text),
            vec!["It rose 3.5 percent vs. last year.", "Done"]
        );
    }

    #[test]
    fn spans_are_valid_slices_for_odd_text() {
        for text in ["", "...", "。!? ’’", "a.\u{200b}B", "ü. Ö. ß?"] {
            for s in sentences(text) {
                assert!(text.get(s.start..s.end).is_some());
            }
        }
    }
}
