//! Reconciliation cues (`data/reconcile.toml`): scope phrases, revision phrases and the
//! relation classes used for contest detection.

use std::collections::{BTreeMap, BTreeSet};

use dossier_model::{Metric, RelationType};
use serde::Deserialize;

use crate::Error;

const BUILTIN: &str = include_str!("../../../data/reconcile.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    scope: Vec<ScopeRow>,
    revision: RevisionRow,
    #[serde(default)]
    relation_class: Vec<ClassRow>,
    #[serde(default)]
    topic: Vec<TopicRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicRow {
    name: String,
    metrics: Vec<Metric>,
    phrases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeRow {
    name: String,
    phrases: Vec<String>,
    /// Look only in the figure's own words ("777,000 rifles"), not its sentence: the
    /// phrase names what is counted, and the sentence may count other things too.
    #[serde(default)]
    own_text: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevisionRow {
    phrases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClassRow {
    name: String,
    types: Vec<RelationType>,
}

/// The parsed cue file; phrases are stored lowercased.
#[derive(Debug, Clone, PartialEq)]
pub struct Cues {
    /// (name, phrases, own text only)
    scopes: Vec<(String, Vec<String>, bool)>,
    /// The scope phrases looked for in a sentence, and those only in a figure's own
    /// words, indexed for one pass over the text (every figure of the store is read).
    sentence_phrases: PhraseIndex,
    own_phrases: PhraseIndex,
    /// (name, metrics, phrases): what a figure without a subject is about.
    topics: Vec<(String, Vec<Metric>, Vec<String>)>,
    revision: Vec<String>,
    classes: BTreeMap<RelationType, String>,
}

impl Cues {
    pub fn builtin() -> Self {
        // Checked by a unit test; an empty cue set only loses explanations.
        Self::parse(BUILTIN, "data/reconcile.toml").unwrap_or_else(|_| Cues {
            scopes: Vec::new(),
            sentence_phrases: PhraseIndex::default(),
            own_phrases: PhraseIndex::default(),
            topics: Vec::new(),
            revision: Vec::new(),
            classes: BTreeMap::new(),
        })
    }

    pub fn parse(text: &str, origin: &str) -> Result<Self, Error> {
        let file: File = toml::from_str(text).map_err(|e| Error::Parse {
            origin: origin.to_string(),
            message: e.to_string(),
        })?;
        let lower = |v: Vec<String>| v.into_iter().map(|p| p.to_lowercase()).collect();
        let mut classes = BTreeMap::new();
        for row in file.relation_class {
            for t in row.types {
                if let Some(prev) = classes.insert(t, row.name.clone()) {
                    return Err(Error::Parse {
                        origin: origin.to_string(),
                        message: format!(
                            "relation type `{t}` is in both classes `{prev}` and `{}`",
                            row.name
                        ),
                    });
                }
            }
        }
        let scopes: Vec<(String, Vec<String>, bool)> = file
            .scope
            .into_iter()
            .map(|s| (s.name, lower(s.phrases), s.own_text))
            .collect();
        let index = |own: bool| {
            PhraseIndex::new(
                scopes
                    .iter()
                    .enumerate()
                    .filter(|(_, (_, _, o))| *o == own)
                    .flat_map(|(i, (_, phrases, _))| phrases.iter().map(move |p| (p.clone(), i))),
            )
        };
        Ok(Cues {
            sentence_phrases: index(false),
            own_phrases: index(true),
            scopes,
            topics: file
                .topic
                .into_iter()
                .map(|t| (t.name, t.metrics, lower(t.phrases)))
                .collect(),
            revision: lower(file.revision.phrases),
            classes,
        })
    }

    /// Names of the scopes whose phrases occur in `sentence`.
    pub fn scopes_in(&self, sentence: &str) -> BTreeSet<String> {
        self.scopes_of(sentence, sentence)
    }

    /// Names of the scopes whose phrases occur in `sentence`, or for scopes that name
    /// the counted thing, in the figure's own words `own`.
    pub fn scopes_of(&self, sentence: &str, own: &str) -> BTreeSet<String> {
        let mut found = vec![false; self.scopes.len()];
        self.sentence_phrases
            .mark(&sentence.to_lowercase(), &mut found);
        self.own_phrases.mark(&own.to_lowercase(), &mut found);
        self.scopes
            .iter()
            .zip(found)
            .filter(|(_, f)| *f)
            .map(|((name, _, _), _)| name.clone())
            .collect()
    }

    /// What a figure of `metric` with no subject is about, when `context` (its sentence
    /// and the one before) names a topic: "300,000 weapons" after "equipment was left
    /// behind" is about the left-behind equipment.
    pub fn topic_of(&self, metric: Metric, context: &str) -> Option<&str> {
        let c = context.to_lowercase();
        self.topics
            .iter()
            .find(|(_, metrics, phrases)| {
                metrics.contains(&metric) && phrases.iter().any(|p| contains_phrase(&c, p))
            })
            .map(|(name, _, _)| name.as_str())
    }

    pub fn is_revision(&self, sentence: &str) -> bool {
        let s = sentence.to_lowercase();
        self.revision.iter().any(|p| contains_phrase(&s, p))
    }

    /// The class a relation type belongs to for contest detection: its class name, or
    /// the type's own name.
    pub fn relation_class(&self, t: RelationType) -> String {
        self.classes
            .get(&t)
            .cloned()
            .unwrap_or_else(|| t.as_str().to_string())
    }
}

/// Phrases by their first byte, each with the index of what it is a cue for.
#[derive(Debug, Clone, PartialEq, Default)]
struct PhraseIndex {
    by_first: BTreeMap<u8, Vec<(String, usize)>>,
}

impl PhraseIndex {
    fn new(phrases: impl IntoIterator<Item = (String, usize)>) -> Self {
        let mut by_first: BTreeMap<u8, Vec<(String, usize)>> = BTreeMap::new();
        for (p, i) in phrases {
            if let Some(&b) = p.as_bytes().first() {
                by_first.entry(b).or_default().push((p, i));
            }
        }
        PhraseIndex { by_first }
    }

    /// Sets `found[i]` for every cue `i` with a phrase in `haystack`, with the word
    /// boundaries of [`contains_phrase`], in one pass over the haystack.
    fn mark(&self, haystack: &str, found: &mut [bool]) {
        if self.by_first.is_empty() {
            return;
        }
        let h = haystack.as_bytes();
        for (i, b) in h.iter().enumerate() {
            let Some(candidates) = self.by_first.get(b) else {
                continue;
            };
            if !haystack.is_char_boundary(i)
                || haystack[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            {
                continue;
            }
            for (p, cue) in candidates {
                let end = i + p.len();
                if h[i..].starts_with(p.as_bytes())
                    && haystack.is_char_boundary(end)
                    && !haystack[end..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
                {
                    if let Some(f) = found.get_mut(*cue) {
                        *f = true;
                    }
                }
            }
        }
    }
}

/// `phrase` occurs in `haystack` not inside a longer word ("army" is not in "armyworm").
fn contains_phrase(haystack: &str, phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    // A plain scan: haystacks are one sentence and there are many phrases, so setting
    // up a two-way searcher per call (`match_indices`) cost more than the search
    // (a fifth of whole-store reconciliation).
    let (h, p) = (haystack.as_bytes(), phrase.as_bytes());
    if p.len() > h.len() {
        return false;
    }
    (0..=h.len() - p.len()).any(|i| {
        h[i] == p[0]
            && h[i..].starts_with(p)
            && haystack.is_char_boundary(i)
            && haystack.is_char_boundary(i + p.len())
            && {
                let before = haystack[..i].chars().next_back();
                let after = haystack[i + p.len()..].chars().next();
                !before.is_some_and(char::is_alphanumeric)
                    && !after.is_some_and(char::is_alphanumeric)
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_cues_parse_and_find_cross_border_scope() {
        let c = Cues::parse(BUILTIN, "builtin").unwrap();
        let s = c.scopes_in("Officials counted 40 cross-border raids last year.");
        assert!(s.contains("cross-border"), "{s:?}");
        assert!(c.scopes_in("The group staged 300 raids in all.").is_empty());
    }

    #[test]
    fn the_phrase_index_finds_what_a_search_per_phrase_finds() {
        let c = Cues::builtin();
        let texts = [
            "Officials counted 40 cross-border raids last year.",
            "An armyworm outbreak hit 30 farms.",
            "über 300 suicide attacks – cross-border, in Khyber Pakhtunkhwa",
            "",
            "rifles",
            "777,000 rifles and 300 vehicles",
        ];
        for t in texts {
            for own in texts {
                let (s, o) = (t.to_lowercase(), own.to_lowercase());
                let want: BTreeSet<String> = c
                    .scopes
                    .iter()
                    .filter(|(_, phrases, own_only)| {
                        let hay = if *own_only { &o } else { &s };
                        phrases.iter().any(|p| contains_phrase(hay, p))
                    })
                    .map(|(name, _, _)| name.clone())
                    .collect();
                assert_eq!(c.scopes_of(t, own), want, "{t} / {own}");
            }
        }
    }

    #[test]
    fn a_phrase_is_found_at_either_end_and_after_multibyte_text() {
        assert!(contains_phrase("cross-border", "cross-border"));
        assert!(contains_phrase(
            "über die cross-border raids",
            "cross-border"
        ));
        assert!(contains_phrase("raids – cross-border", "cross-border"));
        assert!(!contains_phrase("border", "cross-border"));
        assert!(!contains_phrase("ücross-border", "cross-border"));
        assert!(!contains_phrase("anything", ""));
    }

    #[test]
    fn phrases_match_on_word_boundaries_only() {
        let c = Cues::builtin();
        assert!(c.scopes_in("An armyworm outbreak hit 30 farms.").is_empty());
        assert!(c.is_revision("Police later revised the toll to 26."));
        assert!(!c.is_revision("Police said 26 died."));
    }

    #[test]
    fn sheltering_and_financing_share_the_support_class() {
        let c = Cues::builtin();
        assert_eq!(c.relation_class(RelationType::Shelters), "support");
        assert_eq!(c.relation_class(RelationType::Finances), "support");
        assert_eq!(c.relation_class(RelationType::Leads), "leads");
    }

    #[test]
    fn topics_name_subjectless_stocks_and_own_text_scopes_look_at_the_figure() {
        let c = Cues::builtin();
        let ctx = "Departing troops abandoned their depots. The stock held 9,000 guns.";
        assert_eq!(
            c.topic_of(Metric::Weapons, ctx),
            Some("equipment left behind")
        );
        assert_eq!(c.topic_of(Metric::Attacks, ctx), None);
        assert_eq!(c.topic_of(Metric::Weapons, "Police seized 40 guns."), None);
        let s = c.scopes_of("They kept 500 rifles and 20 trucks.", "20 trucks");
        assert!(!s.contains("rifles only"), "{s:?}");
        let s = c.scopes_of("They kept 500 rifles and 20 trucks.", "500 rifles");
        assert!(s.contains("rifles only"), "{s:?}");
    }

    #[test]
    fn a_type_in_two_classes_is_an_error() {
        let text = "[revision]\nphrases=[]\n[[relation_class]]\nname='a'\ntypes=['arms']\n\
                    [[relation_class]]\nname='b'\ntypes=['arms']\n";
        let err = Cues::parse(text, "x.toml").unwrap_err().to_string();
        assert!(err.contains("arms") && err.contains("x.toml"), "{err}");
    }
}
