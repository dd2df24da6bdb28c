//! The discovery cue words (`data/discovery.toml`), parsed once.

use dossier_model::EntityType;
use dossier_registry::{FastBuild, KeyBuild};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

type Set = HashSet<String, FastBuild>;

const BUILTIN: &str = include_str!("../../../data/discovery.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    org_heads: HashMap<String, Vec<String>>,
    connectors: Vec<String>,
    stop_words: Vec<String>,
    not_orgs: Vec<String>,
    #[serde(default)]
    generic_org_words: Vec<String>,
    person_titles: Vec<String>,
    speech_verbs: Vec<String>,
    person_roles: Vec<String>,
    given_names: Vec<String>,
    org_prefixes: Vec<String>,
    role_nouns: Vec<String>,
    attributions: Vec<String>,
    name_particles: Vec<String>,
    #[serde(default)]
    leader_governments: Vec<String>,
}

/// Bits of [`DiscoveryLexicon::flags`]: which lists a word is in.
pub const CONNECTOR: u16 = 1;
pub const STOP: u16 = 1 << 1;
pub const TITLE: u16 = 1 << 2;
pub const SPEECH: u16 = 1 << 3;
pub const GIVEN: u16 = 1 << 4;
pub const PREFIX: u16 = 1 << 5;
pub const ROLE: u16 = 1 << 6;
pub const HEAD: u16 = 1 << 7;
/// A role noun written before a name ("analyst", or "Analyst" opening a sentence).
pub const ROLE_BEFORE: u16 = 1 << 8;
/// The first word of an attribution phrase ("according" of "according to").
pub const ATTRIBUTION: u16 = 1 << 9;
/// A lowercase particle inside a personal name ("al" of "Abu Musab al-Zarqawi").
pub const PARTICLE: u16 = 1 << 10;

/// Cue words for actor discovery.
#[derive(Debug, Clone)]
pub struct DiscoveryLexicon {
    pub org_heads: HashMap<String, EntityType, FastBuild>,
    pub connectors: Set,
    pub stop_words: Set,
    /// Fold keys of names that look like organisations but are not.
    pub not_orgs: Set,
    /// Words that say which level or kind of unit ("District", "City") but name none:
    /// a head word after only these ("District Police") is no organisation's name.
    pub generic_org_words: Set,
    pub person_titles: Set,
    pub speech_verbs: Set,
    pub person_roles: Set,
    pub given_names: Set,
    pub org_prefixes: Set,
    /// Attribution phrases before a source's name, as fold-key word lists
    /// (["according", "to"]).
    pub attributions: Vec<Vec<String>>,
    /// Nouns that, after a leader's possessive ("Ghani's government"), stand for what
    /// the leader leads.
    pub leader_governments: Set,
    /// Every cue word with the bits of the lists it is in, by the token key
    /// ([`dossier_registry::Token::key`]) the word has as a token: one probe per
    /// token with a key computed already, then a comparison with the few words of
    /// that key (cue words are case-sensitive, keys are not).
    word_flags: HashMap<u64, Vec<(String, u16)>, KeyBuild>,
}

impl DiscoveryLexicon {
    /// The list bits of each token of `text`.
    pub fn flags(&self, text: &str, tokens: &[dossier_registry::Token]) -> Vec<u16> {
        tokens
            .iter()
            .map(|t| {
                let Some(words) = self.word_flags.get(&t.key()) else {
                    return 0;
                };
                let raw = &text[t.start..t.end];
                words.iter().find(|(w, _)| w == raw).map_or(0, |&(_, f)| f)
            })
            .collect()
    }

    pub fn builtin() -> Self {
        // The embedded file is validated by a unit test, so this cannot fail at run time.
        Self::parse(BUILTIN).unwrap_or_else(|e| panic!("built-in data/discovery.toml: {e}"))
    }

    pub fn parse(source: &str) -> Result<Self, String> {
        let file: File = toml::from_str(source).map_err(|e| e.to_string())?;
        let mut org_heads = HashMap::default();
        for (ty, words) in file.org_heads {
            let ty: EntityType = ty.parse()?;
            for w in words {
                org_heads.insert(w, ty);
            }
        }
        let set = |v: Vec<String>| v.into_iter().collect::<Set>();
        let mut word_flags: HashMap<String, u16, FastBuild> = HashMap::default();
        for (list, bit) in [
            (&file.connectors, CONNECTOR),
            (&file.stop_words, STOP),
            (&file.person_titles, TITLE),
            (&file.speech_verbs, SPEECH),
            (&file.given_names, GIVEN),
            (&file.org_prefixes, PREFIX),
            (&file.person_roles, ROLE),
            (&file.name_particles, PARTICLE),
        ] {
            for w in list {
                *word_flags.entry(w.clone()).or_default() |= bit;
            }
        }
        for w in org_heads.keys() {
            *word_flags.entry(w.clone()).or_default() |= HEAD;
        }
        // Role nouns open a sentence too ("Analyst Jane Roe said").
        for w in &file.role_nouns {
            *word_flags.entry(w.clone()).or_default() |= ROLE_BEFORE;
            *word_flags.entry(capitalize(w)).or_default() |= ROLE_BEFORE;
        }
        let attributions: Vec<Vec<String>> = file
            .attributions
            .iter()
            .map(|a| {
                dossier_registry::tokenize(a)
                    .iter()
                    .map(|t| t.fold.to_string())
                    .collect::<Vec<String>>()
            })
            .filter(|words| !words.is_empty())
            .collect();
        for a in &file.attributions {
            if let Some(first) = a.split_whitespace().next() {
                *word_flags.entry(first.to_string()).or_default() |= ATTRIBUTION;
                *word_flags.entry(capitalize(first)).or_default() |= ATTRIBUTION;
            }
        }
        // Keyed as the word would be as one token; a cue that is not one token
        // ("Jamaat-ul") never equals a token's text, so it needs no entry.
        let mut by_key: HashMap<u64, Vec<(String, u16)>, KeyBuild> = HashMap::default();
        for (w, f) in word_flags {
            if let [t] = dossier_registry::tokenize(&w).as_slice() {
                if t.start == 0 && t.end == w.len() {
                    by_key.entry(t.key()).or_default().push((w, f));
                }
            }
        }
        Ok(DiscoveryLexicon {
            word_flags: by_key,
            org_heads,
            connectors: set(file.connectors),
            stop_words: set(file.stop_words),
            not_orgs: file
                .not_orgs
                .iter()
                .map(|n| dossier_registry::fold_key(n))
                .collect(),
            generic_org_words: set(file.generic_org_words),
            person_titles: set(file.person_titles),
            speech_verbs: set(file.speech_verbs),
            person_roles: set(file.person_roles),
            given_names: set(file.given_names),
            org_prefixes: set(file.org_prefixes),
            attributions,
            leader_governments: set(file.leader_governments),
        })
    }
}

/// The word with its first letter in uppercase.
fn capitalize(w: &str) -> String {
    let mut chars = w.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lexicon_parses() {
        let lex = DiscoveryLexicon::parse(BUILTIN).unwrap();
        assert_eq!(lex.org_heads.get("Brigade"), Some(&EntityType::ArmedGroup));
        assert!(lex.person_titles.contains("Mullah"));
        assert!(DiscoveryLexicon::parse("org_heads = 3").is_err());
    }

    #[test]
    fn flags_are_case_sensitive_whole_tokens() {
        let lex = DiscoveryLexicon::parse(BUILTIN).unwrap();
        let text = "Mullah said the mullah Brigade-Brigades said. SAID";
        let toks = dossier_registry::tokenize(text);
        let f = lex.flags(text, &toks);
        assert_eq!(f.len(), toks.len());
        assert!(f[0] & TITLE != 0, "Mullah");
        assert!(f[1] & SPEECH != 0, "said");
        assert_eq!(f[3] & TITLE, 0, "mullah is not the title");
        assert!(f[4] & HEAD != 0 && f[5] & HEAD != 0);
        assert!(f[6] & SPEECH != 0);
        assert_eq!(f[7], 0, "SAID");
        let text = "Analyst and analyst, According to";
        let toks = dossier_registry::tokenize(text);
        let f = lex.flags(text, &toks);
        assert!(f[0] & ROLE_BEFORE != 0 && f[2] & ROLE_BEFORE != 0);
        assert_eq!(f[1] & ROLE_BEFORE, 0);
        assert!(f[3] & ATTRIBUTION != 0);
        assert!(lex
            .attributions
            .contains(&vec!["according".to_string(), "to".to_string()]));
    }
}
