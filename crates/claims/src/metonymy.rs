//! Metonymy: "Kabul's rulers", "the Islamabad government" name the governing actor, not
//! the city. The capitals and the nouns that govern them are data
//! (`data/claims/metonymy.toml`); the rewrite happens once, on the entity mentions, so
//! that figures, relations and events all see the actor.

use std::borrow::Cow;
use std::collections::HashMap;

use dossier_model::EntityType;
use serde::Deserialize;

use crate::{EntitySpan, LexiconError};

const METONYMY_TOML: &str = include_str!("../../../data/claims/metonymy.toml");

/// Capital place id → governing actor, and the nouns that make the capital stand for it.
#[derive(Debug, Clone)]
pub struct Metonymy {
    nouns: Vec<String>,
    /// "officials in Quetta": phrases before the capital that make it the government.
    before: Vec<String>,
    /// "New Delhi has rejected": verbs only a government does with a bare capital.
    verbs: Vec<String>,
    /// Auxiliaries and adverbs between the capital and such a verb.
    skip: Vec<String>,
    /// "urged Islamabad to act": verbs whose object capital, before "to", is the
    /// government asked to do something.
    addressed_by: Vec<String>,
    capitals: HashMap<String, (String, EntityType)>,
    /// Country place id → the actor that governs it, for the capitals that name their
    /// country ("safe havens for X in Afghanistan" → the Afghan Taliban shelter X).
    countries: HashMap<String, (String, EntityType)>,
    /// "Pakistani airstrikes": a demonym (as written, capitalized) → the state, when one
    /// of `state_nouns` follows it.
    demonyms: Vec<(String, String, EntityType)>,
    state_nouns: Vec<String>,
    /// "Indian-sponsored": hyphenated participles after a demonym that make it the state.
    state_suffixes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    nouns: Vec<String>,
    #[serde(default)]
    before: Vec<String>,
    #[serde(default)]
    verbs: Vec<String>,
    #[serde(default)]
    skip: Vec<String>,
    #[serde(default)]
    addressed_by: Vec<String>,
    capital: Vec<CapitalFile>,
    #[serde(default)]
    state_nouns: Vec<String>,
    #[serde(default)]
    state_suffixes: Vec<String>,
    #[serde(default)]
    demonym: Vec<DemonymFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemonymFile {
    word: String,
    actor: String,
    #[serde(rename = "type")]
    actor_type: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CapitalFile {
    place: String,
    #[serde(default)]
    country: Option<String>,
    actor: String,
    #[serde(rename = "type")]
    actor_type: String,
}

impl Default for Metonymy {
    fn default() -> Self {
        // The embedded file is checked by a test; an unreadable one must not panic.
        Metonymy::from_toml(METONYMY_TOML).unwrap_or(Metonymy {
            nouns: Vec::new(),
            before: Vec::new(),
            verbs: Vec::new(),
            skip: Vec::new(),
            addressed_by: Vec::new(),
            capitals: HashMap::new(),
            countries: HashMap::new(),
            demonyms: Vec::new(),
            state_nouns: Vec::new(),
            state_suffixes: Vec::new(),
        })
    }
}

impl Metonymy {
    pub fn from_toml(source: &str) -> Result<Self, LexiconError> {
        let invalid = |message: String| LexiconError::Invalid {
            file: "metonymy.toml".into(),
            message,
        };
        let raw: File = toml::from_str(source).map_err(|e| invalid(e.to_string()))?;
        let mut capitals = HashMap::new();
        let mut countries = HashMap::new();
        for c in raw.capital {
            let t = c
                .actor_type
                .parse::<EntityType>()
                .map_err(|e| invalid(format!("capital {}: {e}", c.place)))?;
            if let Some(country) = c.country {
                countries.insert(country, (c.actor.clone(), t));
            }
            capitals.insert(c.place, (c.actor, t));
        }
        let mut demonyms = Vec::new();
        for d in raw.demonym {
            let t = d
                .actor_type
                .parse::<EntityType>()
                .map_err(|e| invalid(format!("demonym {}: {e}", d.word)))?;
            demonyms.push((d.word, d.actor, t));
        }
        let lower = |v: &[String]| v.iter().map(|n| n.to_lowercase()).collect();
        Ok(Metonymy {
            nouns: lower(&raw.nouns),
            before: lower(&raw.before),
            verbs: lower(&raw.verbs),
            skip: lower(&raw.skip),
            addressed_by: lower(&raw.addressed_by),
            capitals,
            countries,
            demonyms,
            state_nouns: lower(&raw.state_nouns),
            state_suffixes: lower(&raw.state_suffixes),
        })
    }

    /// Who governs the place `id`: the actor of a capital, or of a country whose capital
    /// names it; a country without one acts as its own state.
    pub(crate) fn governor<'a>(
        &'a self,
        id: &'a str,
        t: EntityType,
    ) -> Option<(&'a str, EntityType)> {
        if let Some((a, at)) = self.capitals.get(id).or_else(|| self.countries.get(id)) {
            return Some((a.as_str(), *at));
        }
        (t == EntityType::Country).then_some((id, t))
    }

    /// The mentions with every "capital ['s] governing-noun" turned into a mention of the
    /// governing actor covering both words. Borrows when nothing changes (the usual case).
    pub fn apply<'e>(&self, text: &str, entities: &'e [EntitySpan]) -> Cow<'e, [EntitySpan]> {
        let mut out: Option<Vec<EntitySpan>> = None;
        for (i, e) in entities.iter().enumerate() {
            let Some((actor, t)) = self.capitals.get(&e.id) else {
                continue;
            };
            let governed = self
                .governing_noun_end(text, e.end)
                // The noun must not be part of the next mention ("Kabul Police").
                .filter(|&end| entities.get(i + 1).is_none_or(|n| n.start >= end));
            let before = self
                .before_start(text, e.start)
                .filter(|&s| i == 0 || entities[i - 1].end <= s);
            if governed.is_none()
                && before.is_none()
                && !self.speaks(text, e.end)
                && !self.addressed(text, e.start, e.end)
            {
                continue;
            }
            let (start, end) = (before.unwrap_or(e.start), governed.unwrap_or(e.end));
            let v = out.get_or_insert_with(|| entities.to_vec());
            v[i] = EntitySpan {
                start,
                end,
                id: actor.clone(),
                entity_type: *t,
            };
        }
        let added = self.demonym_spans(text, out.as_deref().unwrap_or(entities));
        if !added.is_empty() {
            let v = out.get_or_insert_with(|| entities.to_vec());
            v.extend(added);
            v.sort_by_key(|e| (e.start, e.end));
        }
        out.map_or(Cow::Borrowed(entities), Cow::Owned)
    }

    /// "Pakistani airstrikes against …", "Iranian forces": a demonym right before a
    /// state-action noun acts as its state. The span is the demonym alone, so the noun
    /// stays free to be a rule's trigger. Never inside or across an existing mention
    /// ("Afghan Taliban" is its own actor).
    fn demonym_spans(&self, text: &str, entities: &[EntitySpan]) -> Vec<EntitySpan> {
        let mut found = Vec::new();
        for (word, actor, t) in &self.demonyms {
            for (start, _) in text.match_indices(word.as_str()) {
                let end = start + word.len();
                let after_start = text[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                if !after_start {
                    continue;
                }
                let tail = &text[end..];
                // "Indian-sponsored militants": the suffix stays outside the span, free
                // to be the relation cue that attaches to the word before it.
                let suffixed = self.state_suffixes.iter().any(|sfx| {
                    tail.get(..sfx.len())
                        .is_some_and(|t| t.eq_ignore_ascii_case(sfx))
                        && tail[sfx.len()..]
                            .chars()
                            .next()
                            .is_none_or(|c| !c.is_alphanumeric())
                });
                if suffixed {
                    if !entities.iter().any(|e| e.start < end && start < e.end) {
                        found.push(EntitySpan {
                            start,
                            end,
                            id: actor.clone(),
                            entity_type: *t,
                        });
                    }
                    continue;
                }
                if !tail.starts_with(' ') {
                    continue;
                }
                let rest = &text[end + 1..];
                let noun_len = rest
                    .find(|c: char| !c.is_alphabetic())
                    .unwrap_or(rest.len());
                let noun = &rest[..noun_len];
                if !self
                    .state_nouns
                    .iter()
                    .any(|n| n.eq_ignore_ascii_case(noun))
                {
                    continue;
                }
                let noun_end = end + 1 + noun_len;
                let taken = entities.iter().any(|e| e.start < noun_end && start < e.end);
                if !taken {
                    found.push(EntitySpan {
                        start,
                        end,
                        id: actor.clone(),
                        entity_type: *t,
                    });
                }
            }
        }
        found
    }

    /// Start of "officials in " right before `pos`, when the text has such a phrase.
    fn before_start(&self, text: &str, pos: usize) -> Option<usize> {
        let head = text.get(..pos)?.strip_suffix(' ')?;
        self.before.iter().find_map(|p| {
            let from = head.len().checked_sub(p.len())?;
            let cand = head.get(from..)?;
            let bounded = head[..from]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            (bounded && cand.eq_ignore_ascii_case(p)).then_some(from)
        })
    }

    /// "Beijing urged Islamabad to act": one of `addressed_by` right before the capital and
    /// "to" right after it.
    fn addressed(&self, text: &str, start: usize, end: usize) -> bool {
        let to = text
            .get(end..)
            .and_then(|r| r.get(..4))
            .is_some_and(|r| r.eq_ignore_ascii_case(" to "));
        let Some(head) = text.get(..start).and_then(|h| h.strip_suffix(' ')) else {
            return false;
        };
        to && self.addressed_by.iter().any(|v| {
            head.len() >= v.len()
                && head.is_char_boundary(head.len() - v.len())
                && head[head.len() - v.len()..].eq_ignore_ascii_case(v)
                && head[..head.len() - v.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        })
    }

    /// "New Delhi has consistently rejected": after `pos`, skippable words then one of
    /// the governing verbs.
    fn speaks(&self, text: &str, pos: usize) -> bool {
        let Some(rest) = text.get(pos..) else {
            return false;
        };
        if !rest.starts_with(' ') {
            return false;
        }
        for w in rest.split_whitespace().take(4) {
            let w = w
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            if self.verbs.contains(&w) {
                return true;
            }
            if !self.skip.contains(&w) {
                return false;
            }
        }
        false
    }

    /// End of "’s rulers" / " government" right after `pos`, when it is a governing noun.
    fn governing_noun_end(&self, text: &str, pos: usize) -> Option<usize> {
        let rest = text.get(pos..)?;
        let after_poss = ["’s", "'s"]
            .iter()
            .find_map(|p| rest.strip_prefix(p))
            .unwrap_or(rest);
        let word_start = after_poss.strip_prefix(' ')?;
        let len = word_start
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(word_start.len());
        let word = &word_start[..len];
        let known = self.nouns.iter().any(|n| n.eq_ignore_ascii_case(word));
        known.then(|| text.len() - (word_start.len() - len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, name: &str, id: &str, t: EntityType) -> EntitySpan {
        let start = text.find(name).expect("name in text");
        EntitySpan {
            start,
            end: start + name.len(),
            id: id.into(),
            entity_type: t,
        }
    }

    #[test]
    fn embedded_file_parses_and_lists_kabul() {
        let m = Metonymy::from_toml(METONYMY_TOML).expect("metonymy.toml parses");
        assert_eq!(
            m.capitals.get("kabul").map(|c| c.0.as_str()),
            Some("afghan-taliban")
        );
        assert!(Metonymy::from_toml(
            "nouns = [\"x\"]\n[[capital]]\nplace = \"a\"\nactor = \"b\"\ntype = \"planet\"\n"
        )
        .is_err());
    }

    #[test]
    fn a_demonym_before_a_state_noun_is_the_state() {
        let m = Metonymy::default();
        let text = "Iranian strikes hit the camp; Afghan refugees fled, and the Afghan Taliban said nothing.";
        let ents = [span(
            text,
            "Afghan Taliban",
            "afghan-taliban",
            EntityType::ArmedGroup,
        )];
        let out = m.apply(text, &ents);
        let got: Vec<(&str, &str)> = out
            .iter()
            .map(|e| (&text[e.start..e.end], e.id.as_str()))
            .collect();
        // "Afghan refugees" hold a nationality; "Afghan Taliban" is its own actor.
        assert_eq!(
            got,
            [("Iranian", "iran"), ("Afghan Taliban", "afghan-taliban")]
        );
        let text = "Indian-sponsored militants and Indian-born writers.";
        let out = m.apply(text, &[]);
        let got: Vec<&str> = out.iter().map(|e| &text[e.start..e.end]).collect();
        assert_eq!(got, ["Indian"]);
        assert_eq!(out[0].id, "india");
    }

    #[test]
    fn a_capital_with_a_governing_noun_is_the_governing_actor() {
        let m = Metonymy::default();
        let text = "Observers said Islamabad's rulers quietly deny funding the rebels, while Tehran is calm.";
        let ents = [
            span(text, "Islamabad", "islamabad", EntityType::City),
            span(text, "Tehran", "tehran", EntityType::City),
        ];
        let out = m.apply(text, &ents);
        assert_eq!(&text[out[0].start..out[0].end], "Islamabad's rulers");
        assert_eq!(out[0].id, "pakistan");
        assert_eq!(out[0].entity_type, EntityType::Country);
        // A bare capital stays a city.
        assert_eq!(out[1].id, "tehran");
    }

    #[test]
    fn officials_in_a_capital_and_a_capital_that_rejects_are_governments() {
        let m = Metonymy::default();
        let text =
            "Officials in Islamabad blame Tehran, a charge Tehran has firmly rejected in Tehran.";
        let at = |n: usize| {
            let mut k = 0;
            for _ in 0..n {
                k += text[k..].find("Tehran").unwrap_or(0) + 1;
            }
            k - 1
        };
        let city = |start: usize, len: usize, id: &str| EntitySpan {
            start,
            end: start + len,
            id: id.into(),
            entity_type: EntityType::City,
        };
        let ents = [
            city(13, 9, "islamabad"),
            city(at(1), 6, "tehran"),
            city(at(2), 6, "tehran"),
            city(at(3), 6, "tehran"),
        ];
        let out = m.apply(text, &ents);
        assert_eq!(&text[out[0].start..out[0].end], "Officials in Islamabad");
        assert_eq!(out[0].id, "pakistan");
        // The object of "blame" and a place after "in" stay the city.
        assert_eq!(out[1].id, "tehran");
        assert_eq!(out[2].id, "iran");
        assert_eq!(out[3].id, "tehran");
    }

    #[test]
    fn the_capital_before_a_noun_and_other_places_are_untouched() {
        let m = Metonymy::default();
        let text = "The Kabul government met traders from Kabul markets in Herat.";
        let ents = [
            span(text, "Kabul", "kabul", EntityType::City),
            span(text, "Herat", "herat", EntityType::City),
        ];
        let out = m.apply(text, &ents);
        assert_eq!(out[0].id, "afghan-taliban");
        assert_eq!(&text[out[0].start..out[0].end], "Kabul government");
        assert_eq!(out[1].id, "herat");
        let market = text.find("Kabul markets").unwrap_or(0);
        let plain = [EntitySpan {
            start: market,
            end: market + 5,
            id: "kabul".into(),
            entity_type: EntityType::City,
        }];
        assert!(matches!(m.apply(text, &plain), Cow::Borrowed(_)));
    }

    #[test]
    fn a_capital_that_cracks_down_and_a_demonym_state_act_as_governments() {
        let m = Metonymy::default();
        let text = "Tehran has cracked down on smugglers who defy the Pakistani state.";
        let ents = [EntitySpan {
            start: 0,
            end: 6,
            id: "tehran".into(),
            entity_type: EntityType::City,
        }];
        let out = m.apply(text, &ents);
        let got: Vec<(&str, &str)> = out
            .iter()
            .map(|e| (&text[e.start..e.end], e.id.as_str()))
            .collect();
        assert_eq!(got, [("Tehran", "iran"), ("Pakistani", "pakistan")]);
    }

    #[test]
    fn a_country_is_governed_by_the_actor_of_its_capital_or_by_itself() {
        let m = Metonymy::default();
        assert_eq!(
            m.governor("afghanistan", EntityType::Country),
            Some(("afghan-taliban", EntityType::ArmedGroup))
        );
        assert_eq!(
            m.governor("freedonia", EntityType::Country),
            Some(("freedonia", EntityType::Country))
        );
        assert_eq!(m.governor("swat", EntityType::District), None);
    }

    #[test]
    fn a_capital_urged_to_act_is_the_government() {
        let m = Metonymy::default();
        let text = "Washington urged Tehran to act, and flights to Tehran resumed.";
        let city = |start: usize| EntitySpan {
            start,
            end: start + 6,
            id: "tehran".into(),
            entity_type: EntityType::City,
        };
        let ents = [city(17), city(text.rfind("Tehran").unwrap_or(0))];
        let out = m.apply(text, &ents);
        let ids: Vec<&str> = out.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["iran", "tehran"]);
        // Multibyte text right after the capital is no "to" and no panic.
        let text = "urged Tehran éé";
        let ents = [city(6)];
        let out = m.apply(text, &ents);
        assert_eq!(out[0].id, "tehran");
    }
}
