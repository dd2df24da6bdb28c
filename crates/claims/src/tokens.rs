//! Word tokens with byte spans, shared by the figure and attribution rules.
//!
//! The tokenizer is deliberately simple and never fails: words keep internal
//! hyphens ("cross-border", "AK-47") and dotted abbreviations ("U.S"), numbers
//! keep their separators ("1,105", "7.12"), a possessive `'s` is its own token so
//! that "TTP’s" still matches the entity "TTP", and every other non-space
//! character is a one-character punctuation token. Cue words are compared on an
//! ASCII-lowercased copy of the text, which keeps byte offsets identical.

use crate::EntitySpan;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters, hyphens, inner dots/apostrophes.
    Word,
    /// Digits with `,`/`.` separators.
    Num,
    /// Letters and digits mixed: "AK-47", "Rs10", "5bn", "10th".
    Mixed,
    /// `'s` / `’s`.
    Possessive,
    Punct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// A tokenized text with its lowercase twin and the entity covering each token.
pub(crate) struct Tokens<'a> {
    pub text: &'a str,
    /// Byte offset of `lower` in `text`: a token view may cover one sentence only.
    base: usize,
    lower: String,
    pub toks: Vec<Token>,
    /// [`word_key`] of each token's lowercase text: phrase lookups compare these
    /// instead of hashing strings again for every cue list.
    keys: Vec<u64>,
    /// Index into `entities` of the mention covering each token.
    ent: Vec<Option<u32>>,
    pub entities: &'a [EntitySpan],
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str, entities: &'a [EntitySpan]) -> Self {
        Self::for_span(text, 0, text.len(), entities)
    }

    /// Tokens of `text[start..end]` only, with offsets into the whole `text`.
    pub fn for_span(text: &'a str, start: usize, end: usize, entities: &'a [EntitySpan]) -> Self {
        let piece = text.get(start..end).unwrap_or("");
        let base = if piece.is_empty() { 0 } else { start };
        let mut toks = tokenize(piece);
        for t in &mut toks {
            t.start += base;
            t.end += base;
        }
        let mut ent = vec![None; toks.len()];
        // Both lists are sorted by start: one merge walk.
        let mut e = 0;
        for (i, t) in toks.iter().enumerate() {
            while e < entities.len() && entities[e].end <= t.start {
                e += 1;
            }
            if let Some(m) = entities.get(e) {
                if m.start < t.end && t.start < m.end {
                    ent[i] = Some(e as u32);
                }
            }
        }
        let lower = piece.to_ascii_lowercase();
        let keys = toks
            .iter()
            .map(|t| word_key(lower.get(t.start - base..t.end - base).unwrap_or("")))
            .collect();
        Tokens {
            text,
            base,
            lower,
            toks,
            keys,
            ent,
            entities,
        }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn low(&self, i: usize) -> &str {
        self.toks
            .get(i)
            .and_then(|t| self.lower.get(t.start - self.base..t.end - self.base))
            .unwrap_or("")
    }

    /// [`word_key`] of token `i`; 0 past the end.
    pub fn key(&self, i: usize) -> u64 {
        self.keys.get(i).copied().unwrap_or(0)
    }

    pub fn raw(&self, i: usize) -> &'a str {
        self.toks
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    pub fn kind(&self, i: usize) -> Option<Kind> {
        self.toks.get(i).map(|t| t.kind)
    }

    /// True when token `i` ends exactly where token `i + 1` starts.
    pub fn glued(&self, i: usize) -> bool {
        match (self.toks.get(i), self.toks.get(i + 1)) {
            (Some(a), Some(b)) => a.end == b.start,
            _ => false,
        }
    }

    pub fn entity(&self, i: usize) -> Option<&'a EntitySpan> {
        let e = (*self.ent.get(i)?)? as usize;
        self.entities.get(e)
    }

    /// First token starting at or after byte `pos`.
    pub fn index_at(&self, pos: usize) -> usize {
        self.toks.partition_point(|t| t.start < pos)
    }

    /// Token range `[lo, hi)` inside the byte span.
    pub fn range(&self, start: usize, end: usize) -> (usize, usize) {
        let lo = self.index_at(start);
        let hi = self.toks.partition_point(|t| t.start < end);
        (lo, hi.max(lo))
    }

    pub fn is_capitalized(&self, i: usize) -> bool {
        self.raw(i).chars().next().is_some_and(char::is_uppercase)
    }
}

/// FNV-1a hash of a lowercase word with curly apostrophes read as straight ones, so
/// that "taliban’s" and "taliban's" are one key. Never 0, which marks "no token".
pub(crate) fn word_key(low: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    let bytes = low.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0xE2 && bytes[i..].starts_with("’".as_bytes()) {
            mix(b'\'');
            i += 3;
        } else {
            mix(bytes[i]);
            i += 1;
        }
    }
    h.max(1)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Splits `text` into tokens; see the module docs for the rules.
///
/// Walks byte offsets and decodes characters on the fly: collecting the text's
/// characters first cost more than the rest of the tokenizer.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5);
    // The character at byte `p` and its length; `None` at the end.
    let at = |p: usize| -> Option<(char, usize)> {
        let c = text.get(p..)?.chars().next()?;
        Some((c, c.len_utf8()))
    };
    let char_after = |p: usize| at(p).and_then(|(_, n)| at(p + n)).map(|(c, _)| c);
    let mut k = 0;
    let mut prev_char: Option<char> = None;
    while let Some((c, n)) = at(k) {
        if c.is_whitespace() {
            prev_char = Some(c);
            k += n;
            continue;
        }
        let start = k;
        let next = at(k + n).map(|(c, _)| c);
        if is_apostrophe(c)
            && matches!(next, Some('s' | 'S'))
            && !char_after(k + n).is_some_and(char::is_alphanumeric)
            && prev_char.is_some_and(char::is_alphanumeric)
        {
            out.push(Token {
                start,
                end: k + n + 1,
                kind: Kind::Possessive,
            });
            prev_char = Some('s');
            k += n + 1;
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(Token {
                start,
                end: k + n,
                kind: Kind::Punct,
            });
            prev_char = Some(c);
            k += n;
            continue;
        }
        let (mut letters, mut digits) = (false, false);
        let mut j = k;
        let mut prev = c;
        while let Some((d, dn)) = at(j) {
            if d.is_alphabetic() {
                letters = true;
            } else if d.is_ascii_digit() || d.is_numeric() {
                digits = true;
            } else {
                let next = at(j + dn).map(|(c, _)| c);
                let joins = match d {
                    // "1,105" and "7.12" but not "2024, and".
                    ',' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                    '.' => {
                        (prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()))
                            || (prev.is_alphabetic()
                                && next.is_some_and(char::is_alphabetic)
                                && char_after(j + dn).is_none_or(|c| !c.is_alphabetic()))
                    }
                    // "AK-47", "cross-border"; "6,000-6,500" stays a range of two numbers.
                    '-' | '‐' => {
                        let next_digit = next.is_some_and(|n| n.is_ascii_digit());
                        next.is_some_and(char::is_alphanumeric)
                            && (!prev.is_ascii_digit() || !next_digit)
                    }
                    '\'' | '’' => {
                        // A final "'s" is split off as a possessive token.
                        let possessive = matches!(next, Some('s' | 'S'))
                            && !char_after(j + dn).is_some_and(char::is_alphanumeric);
                        prev.is_alphabetic() && next.is_some_and(char::is_alphabetic) && !possessive
                    }
                    _ => false,
                };
                if !joins {
                    break;
                }
            }
            prev = d;
            j += dn;
        }
        let kind = match (letters, digits) {
            (true, true) => Kind::Mixed,
            (false, true) => Kind::Num,
            _ => Kind::Word,
        };
        out.push(Token {
            start,
            end: j,
            kind,
        });
        prev_char = Some(prev);
        k = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(&str, Kind)> {
        tokenize(text)
            .iter()
            .map(|t| (&text[t.start..t.end], t.kind))
            .collect()
    }

    #[test]
    fn numbers_keep_separators_and_ranges_split() {
        let w = words("killed 1,105 of 7.12 and 6,000-6,500 in 2024.");
        assert!(w.contains(&("1,105", Kind::Num)));
        assert!(w.contains(&("7.12", Kind::Num)));
        assert!(w.contains(&("6,000", Kind::Num)));
        assert!(w.contains(&("-", Kind::Punct)));
        assert!(w.contains(&("2024", Kind::Num)));
        assert_eq!(w.last(), Some(&(".", Kind::Punct)));
    }

    #[test]
    fn names_with_digits_are_mixed_and_possessives_split() {
        let w = words("AK-47 rifles, Rs10 million, the TTP’s U.S. cross-border 9/11");
        assert!(w.contains(&("AK-47", Kind::Mixed)));
        assert!(w.contains(&("Rs10", Kind::Mixed)));
        assert!(w.contains(&("TTP", Kind::Word)));
        assert!(w.contains(&("’s", Kind::Possessive)));
        assert!(w.contains(&("U.S", Kind::Word)));
        assert!(w.contains(&("cross-border", Kind::Word)));
        assert!(w.contains(&("9", Kind::Num)));
        assert!(w.contains(&("/", Kind::Punct)));
    }

    #[test]
    fn odd_text_yields_valid_spans() {
        for text in ["", "’s", "-", "1,", ".5", "ü’s 2’", "a\u{200b}1"] {
            for t in tokenize(text) {
                assert!(text.get(t.start..t.end).is_some(), "{text:?}");
            }
        }
    }
}
