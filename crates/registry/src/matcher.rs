//! Alias lookup over token sequences: longest match, left to right.
//!
//! An [`AliasIndex`] maps the token-key sequence of every alias to the entities
//! that claim it. It holds two hash tables: one keyed by fold keys (exact up to
//! case, diacritics, hyphens, apostrophes) and one keyed by skeleton keys
//! (transliteration-tolerant), plus the set of all key prefixes so that a scan
//! stops extending as soon as no alias can continue. Scanning is one pass over
//! the tokens with at most `max_tokens` hash probes per position.

use crate::normalize::{chain_key, KeyBuild, KeyFilter, Token, SEQ_SEED};
use compact_str::CompactString;
use std::collections::{HashMap, HashSet};

/// Aliases shorter than this many letters never match by skeleton: short
/// skeletons collide with ordinary words ("Iran"/"iron", "Mali"/"mail").
const MIN_SKELETON_LETTERS: usize = 6;

/// One alias of one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasEntry {
    /// Index of the entity in the owner's entity list.
    pub entity: u32,
    pub alias: String,
    /// For case-sensitive aliases: the letters exactly as they must be written.
    pub cased: Option<String>,
    /// Several entities may claim it; context decides.
    pub shared: bool,
    pub prior: f32,
    /// Letters in the alias's fold keys: a fuzzy match must be of similar length.
    pub letters: usize,
    /// First and last letter of each fold key: a fuzzy match must keep them.
    pub edges: Vec<(u8, u8)>,
    /// Each word's fold: a fuzzy match must stay within a few letter edits of it.
    pub folds: Vec<CompactString>,
}

/// A place in a token sequence where an alias matched.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasMatch {
    /// Token range `[first, last)`.
    pub first: usize,
    pub last: usize,
    /// Byte span in the text.
    pub start: usize,
    pub end: usize,
    /// Indexes into the index's entries, all with the same key.
    pub entries: Entries,
    /// Matched through the transliteration-tolerant key, not the exact fold.
    pub fuzzy: bool,
}

/// The entries of one match: nearly always one to three, kept inline so that a
/// match allocates nothing. Reads as a slice.
#[derive(Debug, Clone, Default)]
pub struct Entries {
    inline: [u32; 3],
    len: u8,
    /// All of them when there are more than fit inline.
    heap: Vec<u32>,
}

impl std::ops::Deref for Entries {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        if self.heap.is_empty() {
            &self.inline[..usize::from(self.len)]
        } else {
            &self.heap
        }
    }
}

impl PartialEq for Entries {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl FromIterator<u32> for Entries {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> Self {
        let mut out = Entries::default();
        for e in iter {
            if out.heap.is_empty() && usize::from(out.len) < out.inline.len() {
                out.inline[usize::from(out.len)] = e;
                out.len += 1;
            } else {
                if out.heap.is_empty() {
                    out.heap
                        .extend_from_slice(&out.inline[..usize::from(out.len)]);
                }
                out.heap.push(e);
            }
        }
        out
    }
}

/// Builder and lookup structure for aliases.
///
/// Keys are the tokens' precomputed word keys chained word by word
/// ([`chain_key`]), so extending a candidate by one word costs one mix and one
/// probe. The first word of every alias is also in a bit filter: most words of a
/// text are rejected by one bit test.
#[derive(Debug, Clone, Default)]
pub struct AliasIndex {
    entries: Vec<AliasEntry>,
    exact: HashMap<u64, Vec<u32>, KeyBuild>,
    skeleton: HashMap<u64, Vec<u32>, KeyBuild>,
    exact_prefixes: HashSet<u64, KeyBuild>,
    skeleton_prefixes: HashSet<u64, KeyBuild>,
    exact_first: KeyFilter,
    skeleton_first: KeyFilter,
    /// First and last letter of the first word of every skeleton-keyed alias: a
    /// spelling variant must keep them ([`AliasIndex::close_variant`]), so a word
    /// with other edges starts no variant and needs no skeleton key.
    skeleton_edges: EdgeSet,
    max_tokens: usize,
}

/// A set of (first, last) letter pairs: 256 × 256 bits.
#[derive(Debug, Clone)]
struct EdgeSet(Vec<u64>);

impl Default for EdgeSet {
    fn default() -> Self {
        EdgeSet(vec![0; 1024])
    }
}

impl EdgeSet {
    fn insert(&mut self, (a, b): (u8, u8)) {
        let k = usize::from(a) << 8 | usize::from(b);
        if let Some(w) = self.0.get_mut(k >> 6) {
            *w |= 1 << (k & 63);
        }
    }

    fn contains(&self, (a, b): (u8, u8)) -> bool {
        let k = usize::from(a) << 8 | usize::from(b);
        self.0.get(k >> 6).is_some_and(|w| w & (1 << (k & 63)) != 0)
    }
}

fn is_connector(tok: &Token) -> bool {
    crate::normalize::is_connector(&tok.fold)
}

/// Acronyms ("TTP", "IS-K", "LeT", "U.S.") are matched case-sensitively: in
/// lowercase they are often ordinary words ("let", "us").
fn is_acronym(alias: &str) -> bool {
    let upper = alias.chars().filter(|c| c.is_uppercase()).count();
    let chars: Vec<char> = alias.chars().collect();
    let lower_run = chars
        .windows(2)
        .any(|w| w[0].is_lowercase() && w[1].is_lowercase());
    upper >= 2 && !lower_run
}

impl AliasIndex {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn entries(&self) -> &[AliasEntry] {
        &self.entries
    }

    pub fn entry(&self, i: u32) -> &AliasEntry {
        &self.entries[i as usize]
    }

    /// Add an alias. `exact_case` forces case-sensitive matching (acronyms are
    /// case-sensitive automatically). Returns false for an alias with no word in it.
    pub fn add(
        &mut self,
        entity: u32,
        alias: &str,
        exact_case: bool,
        shared: bool,
        prior: f32,
    ) -> bool {
        let tokens = crate::normalize::tokenize(alias);
        if tokens.is_empty() {
            return false;
        }
        // An acronym inside a longer name ("IS Pakistan") is as case-sensitive as a
        // bare one: "is Pakistan" is a verb and a country.
        let case_sensitive = exact_case || is_acronym(alias) || has_acronym_word(alias);
        let cased = case_sensitive.then(|| tokens.iter().map(|t| t.cased()).collect::<String>());
        let id = self.entries.len() as u32;
        let letters: usize = tokens.iter().map(|t| t.fold.len()).sum();
        self.entries.push(AliasEntry {
            entity,
            alias: alias.to_string(),
            cased,
            shared,
            prior,
            letters,
            edges: tokens.iter().map(edges).collect(),
            folds: tokens.iter().map(|t| t.fold.clone()).collect(),
        });
        self.max_tokens = self.max_tokens.max(tokens.len());

        let mut h = SEQ_SEED;
        self.exact_first.insert(chain_key(h, tokens[0].key()));
        for t in &tokens {
            h = chain_key(h, t.key());
            self.exact_prefixes.insert(h);
        }
        push_unique(self.exact.entry(h).or_default(), id);

        // Shared aliases are mostly surnames: too ambiguous to match loosely as well.
        if !case_sensitive && !shared && letters >= MIN_SKELETON_LETTERS {
            let mut h = SEQ_SEED;
            self.skeleton_first
                .insert(chain_key(h, tokens[0].skeleton_key()));
            self.skeleton_edges.insert(edges(&tokens[0]));
            for t in &tokens {
                h = chain_key(h, t.skeleton_key());
                self.skeleton_prefixes.insert(h);
            }
            push_unique(self.skeleton.entry(h).or_default(), id);
        }
        true
    }

    /// All non-overlapping alias matches in `tokens`, longest first at each position.
    pub fn find(&self, tokens: &[Token]) -> Vec<AliasMatch> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if !self.may_start(&tokens[i]) {
                i += 1;
                continue;
            }
            match self.longest_at(tokens, i) {
                Some(m) => {
                    i = m.last;
                    out.push(m);
                }
                None => i += 1,
            }
        }
        out
    }

    /// Some alias may start with this token (false: certainly none does).
    fn may_start(&self, tok: &Token) -> bool {
        self.exact_first.may_contain(chain_key(SEQ_SEED, tok.key()))
            || (tok.capitalized
                && self.skeleton_edges.contains(edges(tok))
                && self
                    .skeleton_first
                    .may_contain(chain_key(SEQ_SEED, tok.skeleton_key())))
    }

    /// The longest alias starting at token `i`, if any.
    pub fn longest_at(&self, tokens: &[Token], i: usize) -> Option<AliasMatch> {
        if i >= tokens.len() {
            return None;
        }
        let exact = self.longest_in(tokens, i, false);
        // Transliteration-tolerant matches only for capitalized names.
        let fuzzy = if tokens[i].capitalized && self.skeleton_edges.contains(edges(&tokens[i])) {
            self.longest_in(tokens, i, true)
        } else {
            None
        };
        match (exact, fuzzy) {
            (Some(e), Some(f)) if f.last > e.last => Some(f),
            (Some(e), _) => Some(e),
            (None, f) => f,
        }
    }

    fn longest_in(&self, tokens: &[Token], i: usize, fuzzy: bool) -> Option<AliasMatch> {
        let (table, prefixes) = if fuzzy {
            (&self.skeleton, &self.skeleton_prefixes)
        } else {
            (&self.exact, &self.exact_prefixes)
        };
        let mut key = SEQ_SEED;
        // The longest length with an acceptable entry so far; its entries are collected
        // once at the end, not at every shorter length on the way.
        let mut best: Option<(usize, &Vec<u32>)> = None;
        let end = tokens.len().min(i.saturating_add(self.max_tokens));
        let accept = |e: u32, j: usize| {
            let toks = &tokens[i..=j];
            self.case_ok(e, toks)
                && (!fuzzy || {
                    let letters: usize = toks.iter().map(|t| t.fold.len()).sum();
                    self.close_variant(e, letters, toks)
                })
        };
        for (j, tok) in tokens.iter().enumerate().take(end).skip(i) {
            let part = if fuzzy { tok.skeleton_key() } else { tok.key() };
            key = chain_key(key, part);
            if !prefixes.contains(&key) {
                break;
            }
            if let Some(ids) = table.get(&key) {
                if ids.iter().any(|&e| accept(e, j)) {
                    best = Some((j, ids));
                }
            }
        }
        let (j, ids) = best?;
        Some(AliasMatch {
            first: i,
            last: j + 1,
            start: tokens[i].start,
            end: tokens[j].end,
            entries: ids.iter().copied().filter(|&e| accept(e, j)).collect(),
            fuzzy,
        })
    }

    /// A spelling variant keeps the length (within a letter or two), the first and
    /// last letter of every word, and each word within a few letter edits of the
    /// alias's (two, three for words of eight letters or more): "Kandhar" for
    /// "Kandahar", "Tehreek" for "Tehrik", but not "Airmen" for "Armenia", "Mir" for
    /// "Murree", "But" for "Bhutto" or "Crocus" for "Caracas".
    fn close_variant(&self, entry: u32, text_letters: usize, toks: &[Token]) -> bool {
        let e = &self.entries[entry as usize];
        let a = e.letters;
        text_letters >= MIN_SKELETON_LETTERS
            && text_letters * 5 >= a * 4
            && a * 5 >= text_letters * 4
            && e.edges.len() == toks.len()
            && e.edges.iter().zip(toks).all(|(&ed, t)| ed == edges(t))
            && e.folds.iter().zip(toks).all(|(f, t)| {
                let longest = f.len().max(t.fold.len());
                edit_distance(f.as_bytes(), t.fold.as_bytes()) <= if longest >= 8 { 3 } else { 2 }
            })
    }

    fn case_ok(&self, entry: u32, toks: &[Token]) -> bool {
        match &self.entries[entry as usize].cased {
            None => true,
            Some(cased) => {
                let mut rest = cased.as_str();
                for t in toks {
                    match rest.strip_prefix(t.cased()) {
                        Some(r) => rest = r,
                        None => return false,
                    }
                }
                rest.is_empty()
            }
        }
    }
}

fn edges(t: &Token) -> (u8, u8) {
    if is_connector(t) {
        return (0, 0);
    }
    let b = t.fold.as_bytes();
    (
        b.first().copied().unwrap_or(0),
        b.last().copied().unwrap_or(0),
    )
}

/// Some word of the alias is an acronym of two to five capitals ("IS", "TTP").
fn has_acronym_word(alias: &str) -> bool {
    alias
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| (2..=5).contains(&w.chars().count()) && w.chars().all(|c| c.is_uppercase()))
}

/// Levenshtein distance between two short words (bytes of their ASCII folds).
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != cb)).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

fn push_unique(v: &mut Vec<u32>, id: u32) {
    if !v.contains(&id) {
        v.push(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    fn index(aliases: &[(u32, &str)]) -> AliasIndex {
        let mut ix = AliasIndex::new();
        for (e, a) in aliases {
            ix.add(*e, a, false, false, 1.0);
        }
        ix
    }

    fn found(ix: &AliasIndex, text: &str) -> Vec<(String, u32)> {
        ix.find(&tokenize(text))
            .into_iter()
            .map(|m| {
                (
                    text[m.start..m.end].to_string(),
                    ix.entry(m.entries[0]).entity,
                )
            })
            .collect()
    }

    #[test]
    fn longest_match_wins() {
        let ix = index(&[
            (0, "Taliban"),
            (1, "Pakistani Taliban"),
            (2, "Khyber"),
            (3, "Khyber Pakhtunkhwa"),
        ]);
        assert_eq!(
            found(
                &ix,
                "The Pakistani Taliban struck Khyber Pakhtunkhwa, not Khyber; the Taliban’s envoy"
            ),
            vec![
                ("Pakistani Taliban".into(), 1),
                ("Khyber Pakhtunkhwa".into(), 3),
                ("Khyber".into(), 2),
                ("Taliban".into(), 0)
            ]
        );
    }

    #[test]
    fn transliteration_variants_match_capitalized_names_only() {
        let ix = index(&[
            (0, "Tehrik-i-Taliban Pakistan"),
            (1, "Islamic State Khorasan"),
            (2, "Iran"),
        ]);
        assert_eq!(
            found(&ix, "Tehreek-e-Taliban Pakistan (TTP)"),
            vec![("Tehreek-e-Taliban Pakistan".into(), 0)]
        );
        assert_eq!(
            found(&ix, "the Islamic State-Khurasan branch"),
            vec![("Islamic State-Khurasan".into(), 1)]
        );
        assert!(found(&ix, "an Iron Dome").is_empty());
        let ix = index(&[
            (0, "Murree"),
            (1, "Thatta"),
            (2, "Armenia"),
            (3, "Kandahar"),
        ]);
        assert!(found(&ix, "Mir said That the Airmen left").is_empty());
        assert_eq!(found(&ix, "in Kandhar city"), vec![("Kandhar".into(), 3)]);
        // Same first and last letters and consonants, but three letters apart.
        let ix = index(&[(0, "Caracas"), (1, "Hakimullah Mehsud")]);
        assert!(found(&ix, "the Crocus concert hall").is_empty());
        assert_eq!(
            found(&ix, "Hakeemullah Mahsud was killed"),
            vec![("Hakeemullah Mahsud".into(), 1)]
        );
    }

    #[test]
    fn an_acronym_inside_a_name_is_case_sensitive() {
        let ix = index(&[(0, "IS Pakistan"), (1, "Pakistan")]);
        assert_eq!(
            found(&ix, "The TTP is Pakistan's problem, IS Pakistan says"),
            vec![("Pakistan".into(), 1), ("IS Pakistan".into(), 0)]
        );
    }

    #[test]
    fn entries_read_as_a_slice_inline_or_not() {
        let few: Entries = [3, 1].into_iter().collect();
        assert_eq!(&*few, &[3, 1]);
        let many: Entries = (0..7).collect();
        assert_eq!(&*many, &[0, 1, 2, 3, 4, 5, 6]);
        assert!(Entries::default().is_empty());
        assert_eq!(many, (0..7).collect::<Entries>());
        assert_ne!(few, many);
    }

    #[test]
    fn acronyms_and_exact_aliases_are_case_sensitive() {
        let mut ix = index(&[(0, "TTP"), (1, "IS-K")]);
        ix.add(2, "Dawn", true, false, 1.0);
        assert_eq!(
            found(&ix, "TTP and IS-K told Dawn at dawn; ttp is-k"),
            vec![("TTP".into(), 0), ("IS-K".into(), 1), ("Dawn".into(), 2)]
        );
    }
}
