//! Name normalization: the tokenizer every alias and every text goes through.
//!
//! A text is cut into word tokens (letters and digits). Case, diacritics and
//! apostrophes are folded away, hyphens and spaces are the same thing (both just
//! separate tokens), and a possessive `’s` ends its token ("Taliban’s" → `taliban`).
//! Each token gets two keys:
//! - the *fold* key: ASCII-transliterated lowercase letters (`Tehrik` → `tehrik`);
//! - the *skeleton* key: the fold key with vowels after the first letter dropped,
//!   `h` dropped outside the digraphs kh/sh/ch/gh/zh/th/ph and doubled letters
//!   collapsed, so that transliteration variants meet: Tehrik/Tehreek → `trk`, Mehsud/Mahsud →
//!   `msd`, Khorasan/Khurasan → `khrsn`, Qaeda/Qaida → `qd`,
//!   Kandahar/Kandhar → `kndr`, Hibatullah/Haibatullah → `hbtl`.
//!
//! Skeletons collide more often than folds ("Iran"/"iron"), so the matcher only
//! uses them for long, capitalized names (see `matcher`).

use compact_str::CompactString;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Hash maps keyed by short strings or precomputed hashes: FNV is much faster than
/// the default SipHash there, and nothing here is keyed by attacker-chosen data at
/// a scale where flooding would matter.
pub type FastBuild = BuildHasherDefault<Fnv>;

/// One word of a text, with its byte span and folded key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// Inline up to 24 bytes: nearly every word, so tokenizing allocates almost nothing.
    pub fold: CompactString,
    /// The token's letters exactly as written (apostrophes removed), for case-sensitive
    /// aliases; empty when that is the fold itself (an all-lowercase ASCII word), which
    /// saves an allocation for most tokens. Read it with [`Token::cased`].
    cased: CompactString,
    /// First letter is uppercase (or the token is a number).
    pub capitalized: bool,
}

impl Token {
    /// The letters exactly as written, apostrophes removed.
    pub fn cased(&self) -> &str {
        if self.cased.is_empty() {
            &self.fold
        } else {
            &self.cased
        }
    }

    /// The transliteration-tolerant key (see the module docs).
    pub fn skeleton(&self) -> String {
        skeleton(&self.fold)
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | 'ʼ' | '`')
}

/// The char at byte `i` and its length; ASCII without decoding.
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return Some((b as char, 1));
    }
    text.get(i..)?.chars().next().map(|c| (c, c.len_utf8()))
}

/// Tokenize `text` into word tokens with byte spans into it.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 6);
    let mut i = 0;
    while let Some((c, len)) = char_at(text, i) {
        if !is_word_char(c) {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        let mut end = i;
        let mut inner_apostrophe = false;
        while let Some((c, len)) = char_at(text, i) {
            if is_word_char(c) {
                i += len;
                end = i;
            } else if is_apostrophe(c) {
                // An apostrophe inside a word joins it ("Shi'ite"); a possessive
                // "'s" or a trailing apostrophe ends the token.
                let after = i + len;
                match char_at(text, after) {
                    Some((n, nlen)) if is_word_char(n) => {
                        let possessive = (n == 's' || n == 'S')
                            && char_at(text, after + nlen).is_none_or(|(x, _)| !is_word_char(x));
                        if possessive {
                            i = after + nlen;
                            break;
                        }
                        inner_apostrophe = true;
                        i = after;
                    }
                    _ => break,
                }
            } else {
                break;
            }
        }
        tokens.push(make_token(text, start, end, inner_apostrophe));
    }
    tokens
}

fn make_token(text: &str, start: usize, end: usize, inner_apostrophe: bool) -> Token {
    let raw = &text[start..end];
    let letters: std::borrow::Cow<str> = if inner_apostrophe {
        raw.chars()
            .filter(|&c| !is_apostrophe(c))
            .collect::<String>()
            .into()
    } else {
        raw.into()
    };
    let fold = fold_compact(&letters);
    let cased = if letters.as_ref() == fold.as_str() {
        CompactString::default()
    } else {
        CompactString::from(letters.as_ref())
    };
    let first = raw.chars().next().unwrap_or(' ');
    Token {
        start,
        end,
        fold,
        cased,
        capitalized: first.is_uppercase() || first.is_ascii_digit(),
    }
}

fn fold_compact(word: &str) -> CompactString {
    if word.is_ascii() {
        let mut out = CompactString::with_capacity(word.len());
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        return out;
    }
    CompactString::from(fold_word(word))
}

/// Feed a word's skeleton key to a hasher without building it: the same bytes as
/// [`skeleton`], then a separator.
pub fn hash_skeleton(fold: &str, h: &mut Fnv) {
    let bytes = fold.as_bytes();
    let mut last: u8 = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if skip_in_skeleton(bytes, i) || (i > 0 && b == last) {
            continue;
        }
        h.write_u8(b);
        last = b;
    }
    h.write_u8(0xff);
}

fn skip_in_skeleton(bytes: &[u8], i: usize) -> bool {
    let b = bytes[i];
    if i == 0 {
        return false;
    }
    if matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
        return true;
    }
    // "h" marks vowel length or aspiration in romanized Urdu, Pashto and Dari
    // (Mehsud/Masud, Kandhar/Kandahar) except in the digraphs kh, sh, ch, gh, zh, th, ph.
    b == b'h' && !matches!(bytes[i - 1], b'c' | b's' | b'k' | b'g' | b'z' | b't' | b'p')
}

/// Lowercase ASCII transliteration of one word.
pub fn fold_word(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    deunicode::deunicode(word)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The transliteration-tolerant key of a folded word.
pub fn skeleton(fold: &str) -> String {
    let bytes = fold.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if skip_in_skeleton(bytes, i) || out.as_bytes().last() == Some(&b) {
            continue;
        }
        out.push(b as char);
    }
    out
}

/// The fold keys of a whole name, space-joined: the lookup key for an alias.
pub fn fold_key(name: &str) -> String {
    let tokens = tokenize(name);
    let mut out = String::new();
    for t in &tokens {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.fold);
    }
    out
}

/// A stable id from a name: lowercase ASCII words joined by hyphens.
pub fn slug(name: &str) -> String {
    fold_key(name).replace(' ', "-")
}

/// A 64-bit hash of a token key sequence (FNV-1a over the parts, separator between).
pub fn hash_parts<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut h = Fnv::default();
    for p in parts {
        p.hash(&mut h);
    }
    h.finish()
}

/// FNV-1a: tiny, deterministic across runs and platforms, fast on short keys.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folds(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .map(|t| t.fold.to_string())
            .collect()
    }

    #[test]
    fn hyphens_spaces_case_and_diacritics_fold_alike() {
        assert_eq!(
            folds("Tehrik-i-Taliban Pakistan"),
            folds("tehrik i taliban  PAKISTAN")
        );
        assert_eq!(fold_key("Lashkar‑e‑Islam"), "lashkar e islam");
        assert_eq!(fold_key("Pakhtūnkhwā"), "pakhtunkhwa");
    }

    #[test]
    fn possessives_end_tokens_and_inner_apostrophes_join() {
        let text = "The Taliban’s allies and Haqqanis' fighters met Shi'ite elders";
        let toks = tokenize(text);
        let words: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(
            words,
            vec![
                "The", "Taliban", "allies", "and", "Haqqanis", "fighters", "met", "Shi'ite",
                "elders"
            ]
        );
        assert_eq!(toks[7].fold, "shiite");
        assert_eq!(toks[7].cased(), "Shiite");
        assert_eq!(toks[2].cased(), "allies");
    }

    #[test]
    fn transliteration_variants_share_a_skeleton() {
        for (a, b) in [
            ("Tehrik", "Tehreek"),
            ("Mehsud", "Mahsud"),
            ("Khorasan", "Khurasan"),
            ("Qaeda", "Qaida"),
            ("Kandahar", "Kandhar"),
            ("Hibatullah", "Haibatullah"),
            ("Mohammad", "Muhammad"),
        ] {
            assert_eq!(
                skeleton(&fold_word(a)),
                skeleton(&fold_word(b)),
                "{a} vs {b}"
            );
        }
        assert_ne!(skeleton("kunar"), skeleton("khost"));
    }

    #[test]
    fn token_spans_slice_the_original_text() {
        let text = "  «ISIS‑K» in Nangarhār, 2024—Kabul’s ";
        for t in tokenize(text) {
            assert!(text.get(t.start..t.end).is_some());
        }
        assert_eq!(slug("Hafiz Gul Bahadur Group"), "hafiz-gul-bahadur-group");
    }
}
