//! Discovery of actors the registry does not list.
//!
//! Rules over tokens, each producing [`Proposal`]s with the evidence span:
//! - acronym definitions: "Long Name (ABBR)" and "ABBR (Long Name)";
//! - organisation names by their head word ("… Group", "… Brigade", "Ministry of …");
//! - persons by title ("Mullah X", "Lt. Gen. X Y"), by speech ("said X Y,"), by
//!   apposition ("X Y, a former analyst") and alias pairs ("X, aka Y").
//!
//! Proposals name either a registry entity (an alias learned from the text) or a
//! new entity keyed by its normalized name, so the same name discovered in two
//! documents is one entity whatever the order.

use crate::lexicon::{
    DiscoveryLexicon, ATTRIBUTION, CONNECTOR, GIVEN, HEAD, PARTICLE, PREFIX, ROLE, ROLE_BEFORE,
    SPEECH, STOP, TITLE,
};
use dossier_model::EntityType;
use dossier_registry::{AliasMatch, Token};

/// What a discovered name refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A registry entity (by index).
    Registry(u32),
    /// A new entity with this canonical name and type.
    New {
        canonical: String,
        entity_type: EntityType,
    },
}

/// One discovered name: the tokens `[first, last)` of the text that name `target`.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub first: usize,
    pub last: usize,
    pub target: Target,
    pub rule: &'static str,
    /// Names of the same entity found with it (acronym, aka, surname), as token ranges.
    pub also: Vec<(usize, usize)>,
}

pub struct Discoverer<'a> {
    pub lex: &'a DiscoveryLexicon,
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// Registry matches, sorted, non-overlapping.
    pub hits: &'a [AliasMatch],
    /// For each registry match: the entity indexes it may refer to and whether one is a person.
    pub hit_entities: &'a [(u32, EntityType)],
    /// Per token: which cue-word lists it is in ([`DiscoveryLexicon::flags`]).
    pub flags: &'a [u16],
}

impl Discoverer<'_> {
    /// Token `i` is in the cue-word list `flag` (one hash lookup per token, done up front).
    fn is(&self, i: usize, flag: u16) -> bool {
        self.flags.get(i).is_some_and(|f| f & flag != 0)
    }

    fn tok(&self, i: usize) -> &str {
        &self.text[self.tokens[i].start..self.tokens[i].end]
    }

    /// Text between token `i` and token `i + 1`.
    fn gap(&self, i: usize) -> &str {
        let end = self.tokens.get(i + 1).map_or(self.text.len(), |t| t.start);
        &self.text[self.tokens[i].end..end]
    }

    /// Tokens `i` and `i + 1` belong to one name: only a space or hyphen between.
    fn joined(&self, i: usize) -> bool {
        let g = self.gap(i);
        !g.is_empty() && g.len() <= 3 && g.chars().all(|c| matches!(c, ' ' | '-' | '‐' | '‑'))
    }

    /// Gap after token `i` is exactly a period plus space ("Gen. ").
    fn abbrev_dot(&self, i: usize) -> bool {
        matches!(self.gap(i), ". " | ".")
    }

    fn hit_at(&self, tok: usize) -> Option<usize> {
        self.hits
            .binary_search_by(|h| {
                if h.last <= tok {
                    std::cmp::Ordering::Less
                } else if h.first > tok {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .ok()
    }

    fn is_name_word(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        let s = self.tok(i);
        t.capitalized
            && !s.chars().next().is_some_and(|c| c.is_ascii_digit())
            && !self.is(i, STOP)
            && s.chars().any(|c| c.is_lowercase())
    }

    pub fn run(&self) -> Vec<Proposal> {
        let mut out = Vec::new();
        // Order matters: on equal names the first proposal owns the name, and an
        // explicit "X, aka Y" says more than a title in front of Y.
        self.aka(&mut out);
        self.acronyms(&mut out);
        self.organisations(&mut out);
        self.prefixed_organisations(&mut out);
        self.persons(&mut out);
        out
    }

    /// "Long Name (ABBR)" and "ABBR (Long Name)".
    fn acronyms(&self, out: &mut Vec<Proposal>) {
        let bytes = self.text.as_bytes();
        for (open, _) in self.text.match_indices('(') {
            let Some(close) = self.text[open..].find(')').map(|c| open + c) else {
                continue;
            };
            let inner = &self.text[open + 1..close];
            if inner.is_empty() || inner.len() > 80 {
                continue;
            }
            let first_in = self.tokens.partition_point(|t| t.start <= open);
            let last_in = self.tokens.partition_point(|t| t.end <= close);
            if first_in >= last_in || first_in == 0 {
                continue;
            }
            let before = first_in - 1;
            if self.text[self.tokens[before].end..open].trim() != ""
                || bytes.get(open + 1) == Some(&b' ')
            {
                continue;
            }
            if is_acronym(inner) {
                if let Some(p) = self.long_name_before(before, inner, first_in, last_in) {
                    out.push(p);
                }
            } else if is_acronym(self.tok(before)) && (last_in - first_in) >= 2 {
                // "ABBR (Long Name)": the long name must be a registry entity or start with a capital.
                let abbr = (before, before + 1);
                if let Some(h) = self
                    .hit_at(first_in)
                    .filter(|&h| self.hits[h].first == first_in && self.hits[h].last == last_in)
                {
                    out.push(Proposal {
                        first: abbr.0,
                        last: abbr.1,
                        target: Target::Registry(self.hit_entities[h].0),
                        rule: "acronym",
                        also: Vec::new(),
                    });
                } else if self.is_name_word(first_in)
                    && initials_fit(self.tok(before), &self.words(first_in, last_in))
                {
                    let canonical = self.text
                        [self.tokens[first_in].start..self.tokens[last_in - 1].end]
                        .to_string();
                    let entity_type = self.head_type(first_in, last_in);
                    out.push(Proposal {
                        first: first_in,
                        last: last_in,
                        target: Target::New {
                            canonical,
                            entity_type,
                        },
                        rule: "acronym",
                        also: vec![abbr],
                    });
                }
            }
        }
    }

    fn words(&self, first: usize, last: usize) -> Vec<&str> {
        (first..last).map(|i| self.tok(i)).collect()
    }

    fn long_name_before(
        &self,
        before: usize,
        abbr: &str,
        first_in: usize,
        last_in: usize,
    ) -> Option<Proposal> {
        // A registry entity right before the parenthesis whose words spell the acronym:
        // the text teaches us its acronym. ("… Islami Pakistan (HIIP)" is not Pakistan.)
        if let Some(h) = self.hit_at(before).filter(|&h| {
            let hit = &self.hits[h];
            hit.last == before + 1 && initials_fit(abbr, &self.words(hit.first, hit.last))
        }) {
            return Some(Proposal {
                first: first_in,
                last: last_in,
                target: Target::Registry(self.hit_entities[h].0),
                rule: "acronym",
                also: Vec::new(),
            });
        }
        // Otherwise the longest run of name words and connectors ending here whose
        // initials spell the acronym.
        let mut start = before + 1;
        let mut best = None;
        while start > 0 && before + 1 - start < 12 {
            let i = start - 1;
            let word = self.tok(i);
            let ok = self.is_name_word(i)
                || self.is(i, CONNECTOR)
                || self.is(i, HEAD)
                || word.chars().all(|c| c.is_uppercase());
            if !ok || (i < before && !self.joined(i)) {
                break;
            }
            start = i;
            if self.is_name_word(i) && initials_fit(abbr, &self.words(start, before + 1)) {
                best = Some(start);
            }
        }
        let start = best?;
        let canonical = self.text[self.tokens[start].start..self.tokens[before].end].to_string();
        if self
            .lex
            .not_orgs
            .contains(&dossier_registry::fold_key(&canonical))
        {
            return None;
        }
        Some(Proposal {
            first: start,
            last: before + 1,
            target: Target::New {
                entity_type: self.head_type(start, before + 1),
                canonical,
            },
            rule: "acronym",
            also: vec![(first_in, last_in)],
        })
    }

    /// The type an organisation name's head word implies (`other` when none does).
    fn head_type(&self, first: usize, last: usize) -> EntityType {
        (first..last)
            .rev()
            .find_map(|i| self.lex.org_heads.get(self.tok(i)).copied())
            .unwrap_or(EntityType::Other)
    }

    /// Capitalized runs ending in an organisation head word.
    fn organisations(&self, out: &mut Vec<Proposal>) {
        for head in 0..self.tokens.len() {
            if !self.is(head, HEAD) {
                continue;
            }
            let Some(&entity_type) = self.lex.org_heads.get(self.tok(head)) else {
                continue;
            };
            // Walk back over name words, connectors inside the name, and registry names.
            let mut first = head;
            while first > 0 && self.joined(first - 1) {
                let w = self.tok(first - 1);
                let inner_connector =
                    self.is(first - 1, CONNECTOR) && first - 1 > 0 && self.is_name_word(first - 2);
                if self.is_name_word(first - 1) || inner_connector || is_acronym(w) {
                    first -= 1;
                } else {
                    break;
                }
            }
            while first < head && self.is(first, CONNECTOR) {
                first += 1;
            }
            // "Ministry of Interior", "Institute for Peace Studies".
            let mut last = head + 1;
            if last + 1 < self.tokens.len()
                && self.joined(head)
                && matches!(self.tok(last), "of" | "for" | "on")
                && self.joined(last)
                && self.is_name_word(last + 1)
            {
                last += 2;
                while last < self.tokens.len()
                    && self.joined(last - 1)
                    && (self.is_name_word(last)
                        || (self.tok(last) == "and"
                            && last + 1 < self.tokens.len()
                            && self.is_name_word(last + 1)))
                {
                    last += 1;
                }
            }
            // A bare head word ("the Ministry") names nothing in particular, nor does
            // one after generic words only ("District Police Officer Jane Roe").
            if last == head + 1
                && (first..head).all(|i| self.lex.generic_org_words.contains(self.tok(i)))
            {
                continue;
            }
            // Entirely a registry name already: nothing to discover.
            if let Some(h) = self.hit_at(first) {
                if self.hits[h].first <= first && self.hits[h].last >= last {
                    continue;
                }
            }
            let canonical =
                self.text[self.tokens[first].start..self.tokens[last - 1].end].to_string();
            if self
                .lex
                .not_orgs
                .contains(&dossier_registry::fold_key(&canonical))
            {
                continue;
            }
            out.push(Proposal {
                first,
                last,
                target: Target::New {
                    canonical,
                    entity_type,
                },
                rule: "org-head",
                also: Vec::new(),
            });
        }
    }

    /// Names that open with a group-name word of Arabic or Urdu origin: "Jaish
    /// al-Fursan", "Harakat Inqilab-e-Islami Pakistan", "Lashkar-e-Khorasan".
    fn prefixed_organisations(&self, out: &mut Vec<Proposal>) {
        let n = self.tokens.len();
        let mut i = 0;
        while i < n {
            if !self.is(i, PREFIX) || !self.tokens[i].capitalized || self.hit_at(i).is_some() {
                i += 1;
                continue;
            }
            let mut last = i + 1;
            while last < n && self.joined(last - 1) {
                let connector = self.is(last, CONNECTOR)
                    && last + 1 < n
                    && self.joined(last)
                    && self.tokens[last + 1].capitalized;
                if connector || (self.tokens[last].capitalized && !self.is(last, STOP)) {
                    last += 1;
                } else {
                    break;
                }
            }
            while last > i + 1 && self.is(last - 1, CONNECTOR) {
                last -= 1;
            }
            let covered = self
                .hit_at(last - 1)
                .is_some_and(|h| self.hits[h].first <= i);
            if last >= i + 2 && !covered {
                let canonical =
                    self.text[self.tokens[i].start..self.tokens[last - 1].end].to_string();
                out.push(Proposal {
                    first: i,
                    last,
                    target: Target::New {
                        canonical,
                        entity_type: EntityType::ArmedGroup,
                    },
                    rule: "org-prefix",
                    also: Vec::new(),
                });
            }
            i = last;
        }
    }

    /// Up to four name words starting at `i` that are not a known non-person entity.
    fn name_after(&self, i: usize) -> Option<(usize, usize)> {
        let n = self.tokens.len();
        let mut j = i;
        let mut words = 0;
        while j < n && words < 4 && self.is_name_word(j) && !self.is(j, TITLE) {
            if let Some(h) = self.hit_at(j) {
                if self.hit_entities[h].1 != EntityType::Person {
                    break;
                }
            }
            if self.is(j, HEAD) {
                return None;
            }
            j += 1;
            words += 1;
            if j < n && !self.joined(j - 1) {
                break;
            }
            // "Abu Musab al-Zarqawi", "Hamza bin Laden": a particle between name words.
            if words < 4
                && j + 1 < n
                && self.is(j, PARTICLE)
                && self.joined(j)
                && self.is_name_word(j + 1)
                && self.hit_at(j).is_none()
            {
                j += 1;
            }
        }
        // A name never ends in a particle (the word after it was not a name word).
        while j > i && self.is(j - 1, PARTICLE) {
            j -= 1;
        }
        (j > i).then_some((i, j))
    }

    fn person(&self, span: (usize, usize), rule: &'static str, out: &mut Vec<Proposal>) {
        let (mut first, last) = span;
        // "Analyst Jane Roe said": the role opening the sentence is not part of the name.
        while last - first > 2 && self.is(first, ROLE_BEFORE) {
            first += 1;
        }
        // A registry person already covers it: the registry links it.
        if let Some(h) = self.hit_at(first) {
            if self.hits[h].last >= last {
                return;
            }
        }
        let canonical = self.text[self.tokens[first].start..self.tokens[last - 1].end].to_string();
        out.push(Proposal {
            first,
            last,
            target: Target::New {
                canonical,
                entity_type: EntityType::Person,
            },
            rule,
            also: Vec::new(),
        });
    }

    fn persons(&self, out: &mut Vec<Proposal>) {
        const HONORIFICS: &[&str] = &[
            "Mullah", "Mulla", "Sheikh", "Shaikh", "Mufti", "Qari", "Maulana", "Maulvi", "Mawlawi",
            "Moulvi", "Haji",
        ];
        let n = self.tokens.len();
        let mut i = 0;
        while i < n {
            // Titles: one or more title words ("Lt. Gen.", "Prime Minister"), then a name.
            if self.is(i, TITLE) && self.tokens[i].capitalized && self.hit_at(i).is_none() {
                let mut j = i;
                while j < n && self.is(j, TITLE) && (self.joined(j) || self.abbrev_dot(j)) {
                    j += 1;
                }
                if j > i && j < n {
                    if let Some((a, b)) = self.name_after(j) {
                        let honorific = HONORIFICS.contains(&self.tok(j - 1));
                        if b - a >= 2 || honorific {
                            let start = if honorific { j - 1 } else { a };
                            self.person((start, b), "title", out);
                        }
                        i = b;
                        continue;
                    }
                }
            }
            // Role nouns: "analyst Jane Roe", "TTP spokesman Jane Roe".
            if self.is(i, ROLE_BEFORE) && i + 1 < n && self.joined(i) {
                if let Some((a, b)) = self.name_after(i + 1).filter(|(a, b)| b - a >= 2) {
                    self.person((a, b), "role", out);
                    i = b;
                    continue;
                }
            }
            // Attribution: "according to Jane Roe, ...".
            if self.is(i, ATTRIBUTION) {
                if let Some(after) = self.attribution_end(i) {
                    if let Some((a, b)) = self
                        .name_after(after)
                        .filter(|(a, b)| (2..=3).contains(&(b - a)))
                    {
                        if self.gap(b - 1).starts_with(',') {
                            self.person((a, b), "attribution", out);
                            i = b;
                            continue;
                        }
                    }
                }
            }
            // Speech: "said Jane Roe," / "Jane Roe said".
            if self.is(i, SPEECH) {
                if let Some((a, b)) = self
                    .name_after(i + 1)
                    .filter(|(a, b)| b - a >= 2 && *a == i + 1)
                {
                    if self.gap(b - 1).starts_with(',') || b == n {
                        self.person((a, b), "speech", out);
                    }
                }
                if let Some(end) = i.checked_sub(1) {
                    let mut a = i;
                    // A title before the name is not part of it ("Defence Minister X warned").
                    while a > 0
                        && i - a < 3
                        && self.is_name_word(a - 1)
                        && self.joined(a - 1)
                        && !self.is(a - 1, TITLE)
                    {
                        a -= 1;
                    }
                    // "the Voice for Baloch Missing Persons says": the tail of a longer
                    // name joined by a connector is no person.
                    let tail_of_name = a >= 2
                        && self.is(a - 1, CONNECTOR)
                        && self.joined(a - 1)
                        && self.joined(a - 2)
                        && self.is_name_word(a - 2);
                    if i - a >= 2 && self.joined(end) && self.hit_at(a).is_none() && !tail_of_name {
                        self.person((a, i), "speech", out);
                    }
                }
            }
            // A known given name opening a run of two to four name words: "Sadiq Maroof".
            if self.is(i, GIVEN) && self.tokens[i].capitalized && self.hit_at(i).is_none() {
                if let Some((a, b)) = self.name_after(i).filter(|(a, b)| b - a >= 2) {
                    self.person((a, b), "given-name", out);
                    i = b;
                    continue;
                }
            }
            // Apposition: "Jane Roe, a former analyst" / "Jane Roe is an Islamabad-based journalist".
            if i + 2 < n
                && self.is_name_word(i)
                && (i == 0 || !self.is_name_word(i - 1) || !self.joined(i - 1))
            {
                if let Some((a, b)) = self.name_after(i).filter(|(a, b)| b - a >= 2 && b - a <= 3) {
                    let gap = self.gap(b - 1);
                    let appositive = gap == ", " || gap == " ";
                    if appositive && b + 1 < n {
                        let next = self.tok(b);
                        let lead = if gap == ", " {
                            matches!(next, "a" | "an" | "the" | "who")
                                || (self.is(b, ROLE | ROLE_BEFORE) && !self.tokens[b].capitalized)
                        } else {
                            next == "is" || next == "was"
                        };
                        let role = (b..(b + 6).min(n)).any(|k| self.is(k, ROLE));
                        if lead && role {
                            self.person((a, b), "apposition", out);
                            i = b;
                            continue;
                        }
                    }
                }
            }
            i += 1;
        }
    }

    /// The token after an attribution phrase starting at `i` ("according to"), if one does.
    fn attribution_end(&self, i: usize) -> Option<usize> {
        self.lex.attributions.iter().find_map(|phrase| {
            let end = i + phrase.len();
            let fits = end <= self.tokens.len()
                && phrase.iter().enumerate().all(|(k, w)| {
                    self.tokens[i + k].fold == w.as_str() && (k == 0 || self.joined(i + k - 1))
                });
            fits.then_some(end)
        })
    }

    /// "X, aka Y" and "X alias Y": Y is another name of whatever X is.
    fn aka(&self, out: &mut Vec<Proposal>) {
        for k in 1..self.tokens.len().saturating_sub(1) {
            let w = self.tok(k);
            if w != "aka" && w != "alias" {
                continue;
            }
            let mut a = k;
            while a > 0 && self.is_name_word(a - 1) && (a == k || self.joined(a - 1)) && k - a < 4 {
                a -= 1;
            }
            // The other name may carry a title of its own ("aka Qari Bilal").
            let mut s = k + 1;
            while s < self.tokens.len() && self.is(s, TITLE) && self.tokens[s].capitalized {
                s += 1;
            }
            let Some((_, b1)) = self.name_after(s) else {
                continue;
            };
            let b0 = k + 1;
            if a == k {
                continue;
            }
            let canonical = self.text[self.tokens[a].start..self.tokens[k - 1].end].to_string();
            out.push(Proposal {
                first: a,
                last: k,
                target: Target::New {
                    canonical,
                    entity_type: EntityType::Person,
                },
                rule: "aka",
                also: vec![(b0, b1)],
            });
        }
    }
}

/// Looks like an acronym: 2–10 chars, at least two capitals, no run of lowercase.
pub fn is_acronym(s: &str) -> bool {
    let s = s.trim();
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    let upper = s.chars().filter(|c| c.is_uppercase()).count();
    let chars: Vec<char> = s.chars().collect();
    let lower_run = chars
        .windows(2)
        .any(|w| w[0].is_lowercase() && w[1].is_lowercase());
    (2..=10).contains(&letters)
        && upper >= 2
        && !lower_run
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '&'))
}

/// The acronym's capitals appear, in order, as initials of the name's words.
pub fn initials_fit(abbr: &str, words: &[&str]) -> bool {
    let caps: Vec<char> = abbr
        .chars()
        .filter(|c| c.is_uppercase())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let initials: Vec<char> = words
        .iter()
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if caps.first() != initials.first() {
        return false;
    }
    // Every capital is matched by a word initial in order (words may be skipped: "of", "the").
    let mut it = initials.iter();
    caps.iter().all(|c| it.any(|i| i == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronym_shapes() {
        for a in ["TTP", "IS-K", "LeT", "TTP-JuA", "K-P", "SIGAR", "U.S."] {
            assert!(is_acronym(a), "{a}");
        }
        for a in ["Taliban", "a", "2024", "the ISI", "R"] {
            assert!(!is_acronym(a), "{a}");
        }
    }

    #[test]
    fn initials_spell_acronyms() {
        assert!(initials_fit("HGB", &["Hafiz", "Gul", "Bahadur", "Group"]));
        assert!(initials_fit(
            "IMU",
            &["Islamic", "Movement", "of", "Uzbekistan"]
        ));
        assert!(!initials_fit("BLA", &["Pakistan", "Army"]));
    }
}
