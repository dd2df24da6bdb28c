//! Typed relations between actors, and from actors to places, with stance.
//!
//! A relation needs a trigger phrase from `data/claims/relations.toml` and both
//! endpoints as entity mentions in the same sentence, placed where the trigger's
//! rule says (before/after it, touching it for bare titles). An anaphor ("the
//! group", "it") on the source side stands for the most recent armed group of
//! the paragraph. Coordinated lists expand to one relation per member. The
//! stance comes from cue words in the relation's clause; the speaker from
//! [`crate::attribution`].

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use dossier_model::{Diagnostic, EntityType, Relation, RelationType, Span, Stance};
use regex::Regex;
use serde::Deserialize;

use crate::attribution::{attribute, Attribution, CueKind};
use crate::tokens::Tokens;
use crate::{ClaimInput, EntitySpan, Lexicon, LexiconError, Metonymy};

const RELATIONS_TOML: &str = include_str!("../../../data/claims/relations.toml");

/// Farthest an endpoint may sit from its trigger, in bytes of text between them.
const LEFT_GAP: usize = 70;
const RIGHT_GAP: usize = 45;
/// An anaphor must sit this close to the trigger to stand in for an endpoint.
const ANAPHOR_GAP: usize = 80;
/// Places follow their trigger closely ("operates in Swat").
const PLACE_GAP: usize = 25;
/// A denial must come right before what it denies ("deny offering sanctuary to").
const DENIAL_GAP: usize = 40;

// ---- phrase matching ------------------------------------------------------------

/// Case-insensitive whole-word phrase matching over raw text; each phrase maps to a
/// value. Leftmost-longest, so "backed by" wins over "backed".
#[derive(Debug, Clone)]
pub(crate) struct Phrases<V> {
    automaton: Option<AhoCorasick>,
    /// Phrase starts with "-": it glues to the word before ("U.S.-backed").
    attached: Vec<bool>,
    values: Vec<V>,
}

impl<V> Phrases<V> {
    /// Matches nothing.
    pub(crate) fn none() -> Self {
        Phrases {
            automaton: None,
            attached: Vec::new(),
            values: Vec::new(),
        }
    }

    pub(crate) fn new(pairs: Vec<(String, V)>) -> Result<Self, String> {
        let mut seen = HashSet::new();
        for (p, _) in &pairs {
            if p.trim().is_empty() {
                return Err("empty phrase".into());
            }
            if !seen.insert(p.to_lowercase()) {
                return Err(format!("phrase `{p}` is listed twice"));
            }
        }
        let automaton = if pairs.is_empty() {
            None
        } else {
            // A full DFA: the cue lists are small and searched in every sentence.
            let built = AhoCorasickBuilder::new()
                .kind(Some(AhoCorasickKind::DFA))
                .prefilter(false)
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(pairs.iter().map(|(p, _)| p.as_str()))
                .map_err(|e| e.to_string())?;
            Some(built)
        };
        let attached = pairs.iter().map(|(p, _)| p.starts_with('-')).collect();
        let values = pairs.into_iter().map(|(_, v)| v).collect();
        Ok(Phrases {
            automaton,
            attached,
            values,
        })
    }

    /// Whole-word matches in `text[span]`: (span in `text`, value).
    pub(crate) fn find<'s>(&'s self, text: &str, span: Span) -> Vec<(Span, &'s V)> {
        let (Some(ac), Some(body)) = (&self.automaton, text.get(span.start..span.end)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut pos = 0;
        // Not `find_iter`: a longest match that fails the word-boundary test ("is
        // reported|ly") must not hide a shorter one starting inside it.
        while let Some(m) = ac.find(aho_corasick::Input::new(body).span(pos..body.len())) {
            let id = m.pattern().as_usize();
            let before_ok = self.attached[id] || !word_char_before(body, m.start());
            if before_ok && !word_char_after(body, m.end()) {
                let s = Span::new(span.start + m.start(), span.start + m.end());
                out.push((s, &self.values[id]));
                pos = m.end();
            } else {
                pos = m.start() + 1;
                while pos < body.len() && !body.is_char_boundary(pos) {
                    pos += 1;
                }
            }
            if pos >= body.len() {
                break;
            }
        }
        out
    }

    pub(crate) fn any_in(&self, text: &str, span: Span) -> bool {
        !self.find(text, span).is_empty()
    }

    /// A phrase opens `text[span]` (after leading spaces).
    pub(crate) fn starts(&self, text: &str, span: Span) -> bool {
        let Some(body) = text.get(span.start..span.end) else {
            return false;
        };
        let lead = body.len() - body.trim_start().len();
        let head = (span.start + lead + 40).min(span.end);
        let Some(head) = (span.start + lead..=head)
            .rev()
            .find(|&i| text.is_char_boundary(i))
        else {
            return false;
        };
        self.find(text, Span::new(span.start + lead, head))
            .first()
            .is_some_and(|(s, _)| s.start == span.start + lead)
    }
}

fn word_char_before(s: &str, i: usize) -> bool {
    s[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

fn word_char_after(s: &str, i: usize) -> bool {
    s[i..].chars().next().is_some_and(char::is_alphanumeric)
}

// ---- rules ------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Direction {
    Forward,
    Backward,
    After,
    Between,
    PlaceBefore,
    /// "A and B are allies": a list of two or more right before the trigger.
    Pair,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum TargetKind {
    Actor,
    Place,
}

#[derive(Debug, Clone)]
struct Rule {
    relation_type: RelationType,
    direction: Direction,
    target: TargetKind,
    tight: bool,
    /// The endpoint after the trigger may be set off by a comma ("its suicide squad,
    /// the Majeed Brigade").
    appositive: bool,
    /// Words one of which must follow the last target ("act against X sanctuaries").
    needs_after: Vec<String>,
    /// Words one of which must come shortly before the trigger ("fought … alongside").
    needs_before: Vec<String>,
    /// The place may sit further on, after a locative preposition ("recruits among
    /// exiles in P").
    locative: bool,
    source_types: Vec<EntityType>,
    /// The trigger itself states the stance ("denied the presence of").
    stance: Option<Stance>,
    /// Relations a phrase right after the targets adds ("… alongside Y against Z").
    follow: Vec<Follow>,
    /// A word of these between the nearest source and the trigger takes the trigger's
    /// noun as its object ("X arrested five men belonging to Y": the men belong).
    not_between: Vec<String>,
    /// The word right before the trigger makes it an adjective ("the banned TTP").
    not_after: Vec<String>,
    /// (backward) A noun of these between the target and the trigger is what the source
    /// heads; the source is then a member of the target ("a Taliban delegation led by X").
    member_nouns: Vec<String>,
}

/// A continuation of a trigger's clause: "X fought alongside Y *against Z*", "X pledged
/// to help Y *fight Z*", "drive X *out of P*". Right after the last target, one of
/// `cues`, then a list of entities that `who` (the trigger's sources, targets or both)
/// stand in `relation_type` to.
#[derive(Debug, Clone)]
struct Follow {
    cues: Vec<String>,
    relation_type: RelationType,
    who: Who,
    target: TargetKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Who {
    Sources,
    Targets,
    Both,
}

/// Relation cues: triggers, stance cues and anaphors, from `relations.toml`.
#[derive(Debug, Clone)]
pub struct RelationRules {
    triggers: Phrases<usize>,
    rules: Vec<Rule>,
    stance: Phrases<Stance>,
    negation: Phrases<()>,
    boundaries: Vec<String>,
    subordinators: Vec<String>,
    anaphora: Option<Regex>,
    /// [`Self::anaphora`] plus object pronouns ("fought alongside them"): after a trigger.
    anaphora_right: Option<Regex>,
    /// "its fighters", "their cadres": a possessive that stands for an actor of the clause.
    possessive: Option<Regex>,
    /// "them": an object pronoun, someone other than the relation's subject.
    object_pronouns: Vec<String>,
    /// "leader", "spokesman": after "the group's" they name a person, who is the one
    /// acting ("the group's leader is based in …").
    possessed_roles: Vec<String>,
    /// "deny offering sanctuary to militant factions": generic objects of a denial that
    /// stand for the armed group the paragraph is about.
    denied_generic: Phrases<()>,
    /// "supports Pakistan’s concerns": what is possessed is a view, not the actor.
    opinion_nouns: Vec<String>,
    /// "X, led by Y, operates in P": words opening an apposition between a subject and
    /// its verb.
    appositive_openers: Vec<String>,
    /// "mediated the negotiations": talks named before, whose parties the mediator
    /// stands between.
    process_nouns: Phrases<()>,
    /// "anti-Taliban groups": a name glued to one of these describes someone else.
    modifier_prefixes: Vec<String>,
    /// "fought for years alongside Y": Y, after one of these, is no enemy of the fighter.
    partner_markers: Vec<String>,
    /// "the US-led forces in Afghanistan": words that close the phrase a hyphenated
    /// participle opens.
    phrase_breaks: Vec<String>,
    /// "has been accused of": a participle after one of these is passive, so the entity
    /// before it is no source.
    passive_auxiliaries: Vec<String>,
    /// "-led": a name glued to one of these stands for the noun after it ("against the
    /// US-led forces"); glued to other participles it only qualifies that noun.
    glued_stands_for: Vec<String>,
    /// "financing the Baloch separatists": a named kind of fighters, kept as a literal
    /// target when no entity is there.
    literal_target: Option<Regex>,
    /// "X rejected the claim": a denial of what the previous sentence asserted.
    rebuttals: Phrases<()>,
    /// ", an allegation X has rejected": a denial trailing the relation it answers.
    rebuttal_nouns: Phrases<()>,
    /// "The statement also denied …": a sentence opening with one of these continues the
    /// previous sentence's speaker.
    statement_refs: Phrases<()>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationsFile {
    rule: Vec<RuleFile>,
    stance: StanceFile,
    anaphora: AnaphoraFile,
    #[serde(default)]
    objects: ObjectsFile,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ObjectsFile {
    #[serde(default)]
    opinion_nouns: Vec<String>,
    #[serde(default)]
    appositive_openers: Vec<String>,
    #[serde(default)]
    process_nouns: Vec<String>,
    #[serde(default)]
    modifier_prefixes: Vec<String>,
    #[serde(default)]
    partner_markers: Vec<String>,
    #[serde(default)]
    phrase_breaks: Vec<String>,
    #[serde(default)]
    passive_auxiliaries: Vec<String>,
    #[serde(default)]
    glued_stands_for: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(rename = "type")]
    relation_type: String,
    #[serde(default = "forward")]
    direction: Direction,
    #[serde(default = "actor")]
    target: TargetKind,
    #[serde(default)]
    tight: bool,
    #[serde(default)]
    appositive: bool,
    #[serde(default)]
    needs_after: Vec<String>,
    #[serde(default)]
    needs_before: Vec<String>,
    #[serde(default)]
    locative: bool,
    #[serde(default)]
    source_types: Vec<String>,
    #[serde(default)]
    stance: Option<String>,
    #[serde(default)]
    follow: Vec<FollowFile>,
    #[serde(default)]
    not_between: Vec<String>,
    #[serde(default)]
    not_after: Vec<String>,
    #[serde(default)]
    member_nouns: Vec<String>,
    triggers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowFile {
    #[serde(rename = "type")]
    relation_type: String,
    #[serde(default = "sources")]
    who: Who,
    #[serde(default = "actor")]
    target: TargetKind,
    cues: Vec<String>,
}

fn sources() -> Who {
    Who::Sources
}

fn forward() -> Direction {
    Direction::Forward
}

fn actor() -> TargetKind {
    TargetKind::Actor
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StanceFile {
    denied: Vec<String>,
    alleged: Vec<String>,
    reported: Vec<String>,
    speculative: Vec<String>,
    negation: Vec<String>,
    boundaries: Vec<String>,
    subordinators: Vec<String>,
    #[serde(default)]
    rebuttals: Vec<String>,
    #[serde(default)]
    rebuttal_nouns: Vec<String>,
    #[serde(default)]
    statement_refs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnaphoraFile {
    pronouns: Vec<String>,
    #[serde(default)]
    object_pronouns: Vec<String>,
    #[serde(default)]
    possessives: Vec<String>,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    possessed_roles: Vec<String>,
    heads: Vec<String>,
    #[serde(default)]
    denied_generic: Vec<String>,
    #[serde(default)]
    literal_heads: Vec<String>,
}

impl Default for RelationRules {
    fn default() -> Self {
        // The embedded file is checked by a unit test; an empty rule set is the
        // fallback that keeps a broken build from panicking on user data.
        RelationRules::from_toml(RELATIONS_TOML).unwrap_or_else(|_| RelationRules::empty())
    }
}

impl RelationRules {
    fn empty() -> Self {
        RelationRules {
            triggers: Phrases::none(),
            rules: Vec::new(),
            stance: Phrases::none(),
            negation: Phrases::none(),
            boundaries: Vec::new(),
            subordinators: Vec::new(),
            anaphora: None,
            anaphora_right: None,
            possessive: None,
            object_pronouns: Vec::new(),
            possessed_roles: Vec::new(),
            denied_generic: Phrases::none(),
            opinion_nouns: Vec::new(),
            appositive_openers: Vec::new(),
            process_nouns: Phrases::none(),
            modifier_prefixes: Vec::new(),
            partner_markers: Vec::new(),
            phrase_breaks: Vec::new(),
            passive_auxiliaries: Vec::new(),
            glued_stands_for: Vec::new(),
            literal_target: None,
            rebuttals: Phrases::none(),
            rebuttal_nouns: Phrases::none(),
            statement_refs: Phrases::none(),
        }
    }

    /// Parses the text of a `relations.toml` file.
    pub fn from_toml(source: &str) -> Result<Self, LexiconError> {
        let invalid = |message: String| LexiconError::Invalid {
            file: "relations.toml".into(),
            message,
        };
        let raw: RelationsFile = toml::from_str(source).map_err(|e| invalid(e.to_string()))?;
        let mut rules = Vec::new();
        let mut triggers = Vec::new();
        for r in raw.rule {
            let relation_type: RelationType = r.relation_type.parse().map_err(invalid)?;
            let source_types = r
                .source_types
                .iter()
                .map(|t| t.parse::<EntityType>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(invalid)?;
            let stance = r
                .stance
                .as_deref()
                .map(str::parse::<Stance>)
                .transpose()
                .map_err(invalid)?;
            let follow = r
                .follow
                .into_iter()
                .map(|f| {
                    Ok(Follow {
                        relation_type: f.relation_type.parse().map_err(invalid)?,
                        who: f.who,
                        target: f.target,
                        cues: f.cues.iter().map(|c| c.to_lowercase()).collect(),
                    })
                })
                .collect::<Result<Vec<_>, LexiconError>>()?;
            for t in r.triggers {
                triggers.push((t, rules.len()));
            }
            rules.push(Rule {
                relation_type,
                direction: r.direction,
                target: r.target,
                tight: r.tight,
                appositive: r.appositive,
                needs_after: r.needs_after.iter().map(|w| w.to_lowercase()).collect(),
                needs_before: r.needs_before.iter().map(|w| w.to_lowercase()).collect(),
                locative: r.locative,
                source_types,
                stance,
                follow,
                not_between: r.not_between.iter().map(|w| w.to_lowercase()).collect(),
                not_after: r.not_after.iter().map(|w| w.to_lowercase()).collect(),
                member_nouns: r.member_nouns.iter().map(|w| w.to_lowercase()).collect(),
            });
        }
        let s = raw.stance;
        let stance = [
            (s.denied, Stance::Denied),
            (s.alleged, Stance::Alleged),
            (s.reported, Stance::Reported),
            (s.speculative, Stance::Speculative),
        ]
        .into_iter()
        .flat_map(|(words, st)| words.into_iter().map(move |w| (w, st)))
        .collect();
        let unit = |v: Vec<String>| v.into_iter().map(|w| (w, ())).collect::<Vec<_>>();
        let rebuttals = Phrases::new(unit(s.rebuttals)).map_err(invalid)?;
        let rebuttal_nouns = Phrases::new(unit(s.rebuttal_nouns)).map_err(invalid)?;
        let statement_refs = Phrases::new(unit(s.statement_refs)).map_err(invalid)?;
        Ok(RelationRules {
            triggers: Phrases::new(triggers).map_err(invalid)?,
            rules,
            stance: Phrases::new(stance).map_err(invalid)?,
            negation: Phrases::new(unit(s.negation)).map_err(invalid)?,
            boundaries: s.boundaries,
            subordinators: s.subordinators.iter().map(|w| w.to_lowercase()).collect(),
            anaphora: Some(anaphor_pattern(&raw.anaphora, false).map_err(invalid)?),
            anaphora_right: Some(anaphor_pattern(&raw.anaphora, true).map_err(invalid)?),
            possessive: possessive_pattern(&raw.anaphora).map_err(invalid)?,
            object_pronouns: raw
                .anaphora
                .object_pronouns
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            possessed_roles: raw
                .anaphora
                .possessed_roles
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            denied_generic: Phrases::new(unit(raw.anaphora.denied_generic)).map_err(invalid)?,
            process_nouns: Phrases::new(unit(raw.objects.process_nouns.clone()))
                .map_err(invalid)?,
            appositive_openers: raw
                .objects
                .appositive_openers
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            opinion_nouns: raw
                .objects
                .opinion_nouns
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            modifier_prefixes: raw
                .objects
                .modifier_prefixes
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            partner_markers: raw
                .objects
                .partner_markers
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            phrase_breaks: raw.objects.phrase_breaks.clone(),
            passive_auxiliaries: raw
                .objects
                .passive_auxiliaries
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            glued_stands_for: raw
                .objects
                .glued_stands_for
                .iter()
                .map(|w| w.trim_start_matches('-').to_lowercase())
                .collect(),
            literal_target: literal_pattern(&raw.anaphora.literal_heads).map_err(invalid)?,
            rebuttals,
            rebuttal_nouns,
            statement_refs,
        })
    }
}

impl RelationRules {
    /// A partner marker ("alongside") as a word of `text[lo..hi]`.
    fn partner_between(&self, text: &str, lo: usize, hi: usize) -> bool {
        let Some(gap) = text.get(lo..hi) else {
            return false;
        };
        let gap = format!(" {} ", gap.to_lowercase());
        self.partner_markers
            .iter()
            .any(|m| gap.contains(&format!(" {m} ")))
    }

    /// "Iran has been accused of …": a one-word past participle right after an auxiliary
    /// (and at most one adverb) is passive.
    fn is_passive(&self, text: &str, sent: Span, trig: Span) -> bool {
        let word = trig.slice(text);
        if word.contains(' ') || !word.to_ascii_lowercase().ends_with("ed") {
            return false;
        }
        let Some(head) = text.get(sent.start..trig.start) else {
            return false;
        };
        let mut words = head.split_whitespace().rev();
        let aux = |w: Option<&str>| {
            w.is_some_and(|w| {
                self.passive_auxiliaries
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(w))
            })
        };
        let first = words.next();
        aux(first) || (first.is_some_and(|w| w.ends_with("ly")) && aux(words.next()))
    }

    fn is_object_pronoun(&self, word: &str) -> bool {
        self.object_pronouns
            .iter()
            .any(|p| p.eq_ignore_ascii_case(word))
    }
}

/// "the" + one or two capitalised modifiers + a head ("the Baloch separatists").
fn literal_pattern(heads: &[String]) -> Result<Option<Regex>, String> {
    if heads.is_empty() {
        return Ok(None);
    }
    let alt = heads
        .iter()
        .map(|h| regex::escape(h))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(
        r"^\s*(?:[Tt]he\s+)?((?:\p{{Lu}}[\w'’-]*\s+){{1,2}}(?:{alt}))\b"
    ))
    .map(Some)
    .map_err(|e| e.to_string())
}

fn alternation(v: &[String]) -> String {
    v.iter()
        .map(|w| regex::escape(w.trim()))
        .collect::<Vec<_>>()
        .join("|")
}

/// "it", "they", or "the" + up to two words + a head noun ("the Islamist militant group");
/// with `object`, also "them".
fn anaphor_pattern(a: &AnaphoraFile, object: bool) -> Result<Regex, String> {
    let mut pronouns = a.pronouns.clone();
    if object {
        pronouns.extend(a.object_pronouns.iter().cloned());
    }
    let source = format!(
        r"(?i)\b(?:(?:{})|the\s+(?:[\w’'-]+\s+){{0,2}}?(?:{}))\b",
        alternation(&pronouns),
        alternation(&a.heads)
    );
    // ASCII word boundaries keep the fast DFA engine on text with curly quotes.
    Regex::new(&source.replace(r"\b", r"(?-u:\b)")).map_err(|e| e.to_string())
}

/// "its fighters", "their local cadres": a possessive, up to one word, a member noun.
fn possessive_pattern(a: &AnaphoraFile) -> Result<Option<Regex>, String> {
    if a.possessives.is_empty() || a.members.is_empty() {
        return Ok(None);
    }
    let source = format!(
        r"(?i)\b(?:{})\s+(?:[\w-]+\s+)?(?:{})\b",
        alternation(&a.possessives),
        alternation(&a.members)
    );
    Regex::new(&source.replace(r"\b", r"(?-u:\b)"))
        .map(Some)
        .map_err(|e| e.to_string())
}

// ---- document context -----------------------------------------------------------

/// The entity mentions of one document, with lookups by position.
pub(crate) struct DocEntities<'a> {
    pub text: &'a str,
    /// Sorted, non-overlapping; adjacent mentions of one entity ("Long Name (LN)")
    /// merged into one.
    pub ents: Vec<EntitySpan>,
    paragraphs: Vec<Span>,
}

impl<'a> DocEntities<'a> {
    #[cfg(test)]
    pub(crate) fn new(text: &'a str, entities: &[EntitySpan]) -> Self {
        Self::with_paragraphs(text, entities, crate::sentences::paragraphs(text))
    }

    pub(crate) fn with_paragraphs(
        text: &'a str,
        entities: &[EntitySpan],
        paragraphs: Vec<Span>,
    ) -> Self {
        let mut ents: Vec<EntitySpan> = Vec::with_capacity(entities.len());
        for e in entities {
            if e.start >= e.end || text.get(e.start..e.end).is_none() {
                continue;
            }
            if let Some(prev) = ents.last_mut() {
                if e.start < prev.end {
                    continue;
                }
                let gap = text.get(prev.end..e.start).unwrap_or("x");
                if prev.id == e.id && gap.chars().all(|c| c == ' ' || c == '(') {
                    prev.end = e.end;
                    if text.get(prev.end..prev.end + 1) == Some(")") {
                        prev.end += 1;
                    }
                    continue;
                }
            }
            ents.push(e.clone());
        }
        DocEntities {
            text,
            ents,
            paragraphs,
        }
    }

    /// The last armed group of the paragraph before the one holding `pos`: what "the
    /// group" in a paragraph that names none goes on about.
    fn group_of_previous_paragraph(&self, pos: usize) -> Option<&EntitySpan> {
        let k = self.paragraphs.partition_point(|p| p.start <= pos);
        let previous = self.paragraphs.get(k.checked_sub(2)?)?;
        let hi = self.ents.partition_point(|e| e.end <= previous.end);
        self.ents[..hi]
            .iter()
            .rev()
            .take_while(|e| e.start >= previous.start)
            .find(|e| matches!(e.entity_type, EntityType::ArmedGroup | EntityType::Faction))
    }

    /// Mentions inside `span`.
    pub(crate) fn within(&self, span: Span) -> &[EntitySpan] {
        let lo = self.ents.partition_point(|e| e.start < span.start);
        let hi = self.ents.partition_point(|e| e.end <= span.end);
        &self.ents[lo..hi.max(lo)]
    }

    /// The most recent armed group mentioned before `pos` in the same paragraph that is
    /// not `id`.
    fn last_group_other_than(&self, pos: usize, id: &str) -> Option<&EntitySpan> {
        let k = self.paragraphs.partition_point(|p| p.start <= pos);
        let para_start = k.checked_sub(1).map_or(0, |k| self.paragraphs[k].start);
        let hi = self.ents.partition_point(|e| e.end <= pos);
        self.ents[..hi]
            .iter()
            .rev()
            .take_while(|e| e.start >= para_start)
            .filter(|e| e.id != id)
            .find(|e| matches!(e.entity_type, EntityType::ArmedGroup | EntityType::Faction))
    }

    /// The most recent armed group mentioned before `pos` in the same paragraph.
    pub(crate) fn last_group_before(&self, pos: usize) -> Option<&EntitySpan> {
        let k = self.paragraphs.partition_point(|p| p.start <= pos);
        let para_start = k.checked_sub(1).map_or(0, |k| self.paragraphs[k].start);
        let hi = self.ents.partition_point(|e| e.end <= pos);
        self.ents[..hi]
            .iter()
            .rev()
            .take_while(|e| e.start >= para_start)
            .find(|e| matches!(e.entity_type, EntityType::ArmedGroup | EntityType::Faction))
    }
}

/// Can take an actor's role: organisations, people, and countries acting as states.
pub(crate) fn can_act(t: EntityType) -> bool {
    t.is_actor() || t == EntityType::Country
}

// ---- extraction -----------------------------------------------------------------

/// One end of a relation: the entity and where the text names it.
#[derive(Debug, Clone)]
struct End {
    id: String,
    span: Span,
}

impl End {
    fn of(e: &EntitySpan) -> End {
        End {
            id: e.id.clone(),
            span: Span::new(e.start, e.end),
        }
    }
}

static COORD: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^(?i)\s*(?:,\s*(?:(?:and|or|as well as|along with|plus|&|together with)\s+)?|(?:and|or|as well as|along with|plus|&|together with)\s+)(?:the\s+)?$")
        .expect("coordination pattern is a valid regex")
});

/// The gap between an object and a coordinated second verb: " and pledges", " with
/// suspicion and cracked down".
static AND_VERB: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^(?i)\s*(?:(?:with|in|for|at|on|over|from|by|since|during)\s+(?:[\w-]+\s+){0,3}?)?,?\s*(?:and|but)\s+(?:[\w-]+\s+){0,5}$")
        .expect("and-verb pattern is a valid regex")
});

/// Words that open an example list: "ties with other groups, including AQIS".
const EXAMPLE_CUES: &[&str] = &[
    "such as",
    "including",
    "like",
    "especially",
    "notably",
    "namely",
    "particularly",
];

/// True when `gap` (the text between a trigger or list member and the next entity)
/// ends with an example cue: a short run of words, the cue, and an optional "the".
/// A token scan, not a regex: it runs for every candidate gap.
fn is_example_gap(gap: &str) -> bool {
    is_example_gap_within(gap, 40)
}

/// Longest run of words between an enmity or alliance trigger and the cue of an example
/// list after it (other triggers: 40).
const EXAMPLE_HEAD: usize = 80;

/// [`is_example_gap`] with up to `max_head` characters before the cue.
fn is_example_gap_within(gap: &str, max_head: usize) -> bool {
    let mut g = gap.trim_end();
    if g.len() == gap.len() {
        return false;
    }
    let n = g.len();
    if n >= 4
        && g.is_char_boundary(n - 3)
        && g[n - 3..].eq_ignore_ascii_case("the")
        && g[..n - 3].ends_with(char::is_whitespace)
    {
        g = g[..n - 3].trim_end();
    }
    EXAMPLE_CUES.iter().any(|cue| {
        let Some(head) = g
            .len()
            .checked_sub(cue.len())
            .filter(|&k| g.is_char_boundary(k))
        else {
            return false;
        };
        let (prefix, tail) = g.split_at(head);
        tail.eq_ignore_ascii_case(cue)
            && !prefix.ends_with(|c: char| c.is_alphanumeric() || c == '_')
            && prefix.chars().count() <= max_head
            && prefix
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c.is_whitespace() || "’',-".contains(c))
    })
}

/// Relations stated in the document.
pub(crate) fn extract(
    rules: &RelationRules,
    metonymy: &Metonymy,
    lexicon: &Lexicon,
    input: &ClaimInput<'_>,
    doc: &DocEntities<'_>,
    tokens: &Tokens<'_>,
    sentence_spans: &[Span],
) -> (Vec<Relation>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut previous: Option<Attribution> = None;
    let mut last_para_end = 0;
    // Relations of the previous sentence of the paragraph, for "X rejected the claim".
    let mut answerable: Vec<Relation> = Vec::new();
    // The paragraph's previous sentence, for "The statement also denied …".
    let mut previous_sentence: Option<Span> = None;
    for &sent in sentence_spans {
        // Attribution only carries within a paragraph.
        if input
            .text
            .get(last_para_end..sent.start)
            .is_some_and(|g| g.contains('\n'))
        {
            previous = None;
            answerable.clear();
            previous_sentence = None;
        }
        last_para_end = sent.end;
        let before = previous_sentence.replace(sent);
        let found = in_sentence(rules, metonymy, doc, sent, &out);
        let rebutted = rebuttal_of_previous(rules, doc, sent, &found, &answerable);
        answerable.clear();
        if found.is_empty() {
            previous = None;
            push_new(&mut out, &mut seen, input.doc, rebutted);
            continue;
        }
        let (lo, hi) = tokens.range(sent.start, sent.end);
        let mut attr = attribute(&lexicon.figures, tokens, lo, hi, previous.as_ref());
        let mut statement_goes_on = false;
        // "The statement also denied …": the speaker of the previous sentence's statement.
        if attr.source.is_none() && rules.statement_refs.starts(input.text, sent) {
            let earlier = previous.clone().or_else(|| {
                let b = before?;
                let (lo, hi) = tokens.range(b.start, b.end);
                Some(attribute(&lexicon.figures, tokens, lo, hi, None))
            });
            if let Some(e) = earlier.filter(|e| e.source.is_some()) {
                attr.source = e.source;
                attr.source_span = e.source_span;
                attr.carried = true;
                statement_goes_on = true;
            }
        }
        for mut f in found {
            f.attributed_to = attr.source.clone();
            // "While X denies sheltering Y, UN investigators found …": the denier speaks
            // for its own denial; a speaker named outside the relation's words is the
            // voice of the other clause.
            let speaker_outside = attr
                .source_span
                .is_some_and(|s| s.end <= f.start || s.start >= f.end);
            // "The statement also denied …": the statement's speaker does the denying.
            if f.stance == Stance::Denied && speaker_outside && !statement_goes_on {
                // A denial verb in the relation's own words is the source denying;
                // a plain negation ("X is not part of Y") is the author's statement.
                let own_denial = rules
                    .stance
                    .find(input.text, Span::new(f.start, f.end))
                    .iter()
                    .any(|&(_, &st)| st == Stance::Denied);
                f.attributed_to = own_denial.then(|| f.source.clone());
            }
            if f.stance == Stance::Asserted && attr.claimed {
                f.stance = Stance::Alleged;
            }
            // "The BLF, led by Allah Nazar Baloch, claimed …", "the ministry's spokesperson
            // X said": a role named in the speaker's own noun phrase is the author's
            // narration, not part of what the speaker says.
            if describes_the_speaker(input.text, &f, &attr) {
                f.stance = Stance::Asserted;
                f.attributed_to = None;
            }
            let denial = trailing_rebuttal(rules, doc, sent, &f);
            answerable.push(f.clone());
            push_new(
                &mut out,
                &mut seen,
                input.doc,
                [f].into_iter().chain(denial),
            );
        }
        push_new(&mut out, &mut seen, input.doc, rebutted);
        previous = Some(attr);
    }
    (out, Vec::new())
}

type RelationKey = (String, RelationType, String, Stance, Option<String>);

fn push_new(
    out: &mut Vec<Relation>,
    seen: &mut HashSet<RelationKey>,
    doc: &str,
    found: impl IntoIterator<Item = Relation>,
) {
    for mut f in found {
        let key = (
            f.source.clone(),
            f.relation_type,
            f.target.clone(),
            f.stance,
            f.attributed_to.clone(),
        );
        if seen.insert(key) {
            f.doc = doc.to_string();
            out.push(f);
        }
    }
}

/// "X finances Y, an allegation Z has consistently rejected": Z denies the relation.
fn trailing_rebuttal(
    rules: &RelationRules,
    doc: &DocEntities<'_>,
    sent: Span,
    f: &Relation,
) -> Option<Relation> {
    if f.stance == Stance::Denied || f.end >= sent.end {
        return None;
    }
    let tail = Span::new(f.end, sent.end);
    let gap = doc.text.get(tail.start..tail.end)?;
    let (noun, _) = rules
        .rebuttal_nouns
        .find(doc.text, tail)
        .into_iter()
        .next()?;
    // Only a comma and the noun between the relation and the rebuttal, or a head noun
    // or two closing the target's phrase ("harbouring TTP militants, a charge …").
    let lead = doc.text.get(f.end..noun.start)?.trim_end();
    let head = lead.strip_suffix(',')?;
    let head_words = head.split_whitespace().count();
    if head_words > 2 || !head.chars().all(|c| c.is_alphabetic() || c == ' ') || !gap.contains(',')
    {
        return None;
    }
    let denier = doc
        .within(Span::new(noun.end, sent.end))
        .first()
        .filter(|e| can_act(e.entity_type) && e.start.saturating_sub(noun.end) <= 6)?;
    let verb_zone = Span::new(denier.end, (denier.end + 40).min(sent.end));
    let denies = rules
        .stance
        .find(doc.text, verb_zone)
        .iter()
        .any(|(_, &st)| st == Stance::Denied);
    denies.then(|| Relation {
        stance: Stance::Denied,
        attributed_to: Some(denier.id.clone()),
        end: verb_zone.end.max(f.end),
        text: doc
            .text
            .get(f.start..verb_zone.end)
            .unwrap_or_default()
            .to_string(),
        ..f.clone()
    })
}

/// "Mujahid, the Taliban administration's spokesman, rejected the claim": a denial of
/// the previous sentence's relations whose source is an actor named before the
/// rebuttal (or an actor a person named there belongs to).
fn rebuttal_of_previous(
    rules: &RelationRules,
    doc: &DocEntities<'_>,
    sent: Span,
    found: &[Relation],
    previous: &[Relation],
) -> Vec<Relation> {
    if previous.is_empty() {
        return Vec::new();
    }
    let Some((hit, _)) = rules.rebuttals.find(doc.text, sent).into_iter().next() else {
        return Vec::new();
    };
    let mut deniers: Vec<&str> = doc
        .within(Span::new(sent.start, hit.start))
        .iter()
        .filter(|e| can_act(e.entity_type))
        .map(|e| e.id.as_str())
        .collect();
    for r in found {
        if r.relation_type == RelationType::MemberOf && deniers.contains(&r.source.as_str()) {
            deniers.push(r.target.as_str());
        }
    }
    previous
        .iter()
        .filter(|r| r.stance != Stance::Denied && deniers.contains(&r.source.as_str()))
        .map(|r| Relation {
            stance: Stance::Denied,
            attributed_to: Some(r.source.clone()),
            start: hit.start,
            end: hit.end,
            text: hit.slice(doc.text).to_string(),
            ..r.clone()
        })
        .collect()
}

/// A role relation (leads, member of, faction of) that ends right before the sentence's
/// reporting verb, with only punctuation between: it sits in the verb's subject.
fn describes_the_speaker(text: &str, f: &Relation, attr: &Attribution) -> bool {
    if !matches!(
        f.relation_type,
        RelationType::Leads | RelationType::MemberOf | RelationType::FactionOf
    ) {
        return false;
    }
    let verb = attr
        .cues
        .iter()
        .filter(|c| matches!(c.kind, CueKind::Source | CueKind::Claim))
        .map(|c| c.span.start)
        .min();
    verb.is_some_and(|v| {
        v >= f.end
            && text
                .get(f.end..v)
                .is_some_and(|g| g.chars().all(|c| c.is_whitespace() || c == ','))
    })
}

/// Relations in one sentence, without document id or attribution.
fn in_sentence(
    rules: &RelationRules,
    metonymy: &Metonymy,
    doc: &DocEntities<'_>,
    sent: Span,
    before: &[Relation],
) -> Vec<Relation> {
    let all = doc.within(sent);
    if all.is_empty() {
        return Vec::new();
    }
    // "anti-Taliban groups": the name only describes the groups.
    let modifier = |e: &EntitySpan| {
        rules.modifier_prefixes.iter().any(|p| {
            e.start
                .checked_sub(p.len())
                .and_then(|i| doc.text.get(i..e.start))
                .is_some_and(|b| b.eq_ignore_ascii_case(p))
        })
    };
    let kept: Vec<EntitySpan>;
    let ents = if all.iter().any(modifier) {
        kept = all.iter().filter(|e| !modifier(e)).cloned().collect();
        kept.as_slice()
    } else {
        all
    };
    // "Chinese-funded projects": a name glued to a participle after it qualifies the noun
    // that follows; only the participle's own rule ("-funded") may take it. ("the US-led
    // forces" are the US's: `glued_stands_for`.)
    let glued = |e: &End| {
        doc.text.get(e.span.end..).is_some_and(|r| {
            r.strip_prefix('-').is_some_and(|r| {
                r.starts_with(|c: char| c.is_ascii_lowercase())
                    && !rules.glued_stands_for.iter().any(|w| {
                        r.get(..w.len()).is_some_and(|h| h.eq_ignore_ascii_case(w))
                            && !r[w.len()..].starts_with(char::is_alphanumeric)
                    })
            })
        })
    };
    let mut out: Vec<Relation> = Vec::new();
    for (trig, &rule_id) in rules.triggers.find(doc.text, sent) {
        let Some(rule) = rules.rules.get(rule_id) else {
            continue;
        };
        let glued_trigger = trig.slice(doc.text).starts_with('-')
            || doc.text.get(..trig.start).is_some_and(|h| h.ends_with('-'));
        // A trigger inside a name ("Defence Ministry") is not a trigger.
        if ents
            .iter()
            .any(|e| Span::new(e.start, e.end).overlaps(trig))
        {
            continue;
        }
        if !rule.needs_before.is_empty() && !preceded_by(doc.text, sent, trig, &rule.needs_before) {
            continue;
        }
        if rule.direction == Direction::Forward && rules.is_passive(doc.text, sent, trig) {
            continue;
        }
        if !rule.not_after.is_empty() && word_before(doc.text, sent, trig, &rule.not_after) {
            continue;
        }
        let (sources, targets) = endpoints(rules, rule, doc, ents, sent, trig, (&out, before));
        let nearest_before = |ends: &[End]| {
            ends.iter()
                .map(|e| e.span.end)
                .filter(|&e| e <= trig.start)
                .max()
        };
        if nearest_before(&sources).is_some_and(|lo| {
            active_verb_between(rules, doc.text, lo, trig.start, &rule.not_between)
        }) {
            continue;
        }
        let relation_type = if rule.direction == Direction::Backward
            && nearest_before(&targets)
                .is_some_and(|lo| gap_has_word(doc.text, lo, trig.start, &rule.member_nouns))
        {
            RelationType::MemberOf
        } else {
            rule.relation_type
        };
        let sources = if sources.is_empty() && !targets.is_empty() {
            governing_source(rule, metonymy, doc.text, ents, sent, trig, &targets)
        } else {
            sources
        };
        // "an operation to drive the TTP out of P": with no one named to do it, what the
        // target does still holds.
        let targets_follow = rule.follow.iter().any(|f| f.who == Who::Targets);
        let (sources, targets) = if sources.is_empty() || targets.is_empty() {
            match generic_denial(rules, rule, doc, ents, sent, trig) {
                Some(found) => found,
                None if targets_follow && !targets.is_empty() => (sources, targets),
                None => continue,
            }
        } else {
            (sources, targets)
        };
        // The nearest end glued to a participle blocks the trigger rather than let it
        // reach past.
        if !glued_trigger && sources.iter().chain(&targets).any(glued) {
            continue;
        }
        if glued_trigger && !within_noun_phrase(rules, doc.text, trig, &sources, &targets) {
            continue;
        }
        if !rule.needs_after.is_empty() && !followed_by(doc.text, &targets, &rule.needs_after) {
            continue;
        }
        let (sources, targets) = person_first(relation_type, ents, sources, targets);
        let stance = rule
            .stance
            .unwrap_or_else(|| stance(rules, doc.text, sent, trig, &sources, &targets));
        let name = format!("relation:{}", trig.slice(doc.text).to_lowercase());
        for s in &sources {
            for t in &targets {
                let dup = out.iter().any(|r| {
                    r.source == s.id && r.target == t.id && r.relation_type == relation_type
                });
                if !dup {
                    push_pair(&mut out, doc.text, s, t, relation_type, stance, trig, &name);
                }
            }
        }
        for (f, cue, more) in follow_ups(rule, doc.text, ents, sent, &targets) {
            let who: Vec<&End> = match f.who {
                Who::Sources => sources.iter().collect(),
                Who::Targets => targets.iter().collect(),
                Who::Both => sources.iter().chain(&targets).collect(),
            };
            let name = format!("{name}+{}", cue.slice(doc.text).to_lowercase());
            for s in who {
                for t in &more {
                    // One relation per pair: the trigger's own reading wins.
                    let dup = out.iter().any(|r| {
                        (r.source == s.id && r.target == t.id)
                            || (r.source == t.id && r.target == s.id)
                    });
                    if !dup {
                        let span = Span::new(trig.start, cue.end);
                        push_pair(
                            &mut out,
                            doc.text,
                            s,
                            t,
                            f.relation_type,
                            stance,
                            span,
                            &name,
                        );
                    }
                }
            }
        }
    }
    out
}

/// "between Pakistan's foreign secretary and a Taliban delegation": the party after
/// "and" when each name heads a short noun phrase of its own.
fn second_party(text: &str, ents: &[EntitySpan], after: usize) -> Option<End> {
    let hi = (after + 40).min(text.len());
    let hi = (after..=hi).rev().find(|&i| text.is_char_boundary(i))?;
    let window = text.get(after..hi)?;
    let and = window.find(" and ")?;
    if window[..and].contains([',', ';', '.', '(']) {
        return None;
    }
    let from = after + and + " and ".len();
    let e = ents
        .iter()
        .find(|e| e.start >= from && can_act(e.entity_type))?;
    let gap = text.get(from..e.start)?;
    (gap.len() <= 6 && gap.split_whitespace().count() <= 1).then(|| End::of(e))
}

/// Both parties of the latest talks among `rels` (newest first), as endpoints at the
/// trigger.
fn talks_parties<'r>(mut rels: impl Iterator<Item = &'r Relation>, trig: Span) -> Vec<End> {
    let Some(r) = rels
        .find(|r| r.relation_type == RelationType::NegotiatesWith && r.stance != Stance::Denied)
    else {
        return Vec::new();
    };
    [&r.source, &r.target]
        .into_iter()
        .map(|id| End {
            id: id.clone(),
            span: Span::new(trig.end, trig.end),
        })
        .collect()
}

/// One relation from `s` to `t` found by the trigger at `trig`; none from an entity to
/// itself.
#[allow(clippy::too_many_arguments)]
fn push_pair(
    out: &mut Vec<Relation>,
    text: &str,
    s: &End,
    t: &End,
    relation_type: RelationType,
    stance: Stance,
    trig: Span,
    rule: &str,
) {
    if s.id == t.id {
        return;
    }
    let start = s.span.start.min(t.span.start).min(trig.start);
    let end = s.span.end.max(t.span.end).max(trig.end);
    out.push(Relation {
        doc: String::new(),
        source: s.id.clone(),
        relation_type,
        target: t.id.clone(),
        stance,
        attributed_to: None,
        start,
        end,
        text: Span::new(start, end).slice(text).to_string(),
        rule: rule.to_string(),
    });
}

/// The continuations of `rule` right after the last target: each follow, the cue's span
/// and the entities listed after it.
fn follow_ups<'r>(
    rule: &'r Rule,
    text: &str,
    ents: &[EntitySpan],
    sent: Span,
    targets: &[End],
) -> Vec<(&'r Follow, Span, Vec<End>)> {
    let Some(last) = targets.last() else {
        return Vec::new();
    };
    let Some(rest) = text.get(last.span.end..sent.end) else {
        return Vec::new();
    };
    let at = last.span.end + (rest.len() - rest.trim_start().len());
    let mut out = Vec::new();
    for f in &rule.follow {
        let hit = f.cues.iter().find_map(|cue| {
            let head = text.get(at..at + cue.len())?;
            let after = text.get(at + cue.len()..)?;
            (head.eq_ignore_ascii_case(cue) && !after.starts_with(char::is_alphanumeric))
                .then(|| Span::new(at, at + cue.len()))
        });
        let Some(cue) = hit else {
            continue;
        };
        let fits = |t: EntityType| fits_target(f.target, t);
        let more = right_list(text, ents, cue.end, RIGHT_GAP, &fits);
        if !more.is_empty() {
            out.push((f, cue, more));
        }
    }
    out
}

/// "Noor Wali-led TTP", "US-backed Afghan forces": a hyphenated participle qualifies the
/// noun phrase it opens, so the endpoint after it must be inside that phrase (a few words,
/// none of them a preposition).
fn within_noun_phrase(
    rules: &RelationRules,
    text: &str,
    trig: Span,
    sources: &[End],
    targets: &[End],
) -> bool {
    let Some(next) = sources
        .iter()
        .chain(targets)
        .filter(|e| e.span.start >= trig.end)
        .map(|e| e.span.start)
        .min()
    else {
        return true;
    };
    let Some(gap) = text.get(trig.end..next) else {
        return false;
    };
    let words: Vec<&str> = gap.split_whitespace().collect();
    words.len() <= 3
        && !words.iter().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            rules
                .phrase_breaks
                .iter()
                .any(|b| b.eq_ignore_ascii_case(w))
        })
}

/// Farthest a `needs_before` word may sit before its trigger ("fought for years alongside").
const BEFORE_GAP: usize = 30;

/// One of `words` ends within [`BEFORE_GAP`] bytes before the trigger, in its sentence.
fn preceded_by(text: &str, sent: Span, trig: Span, words: &[String]) -> bool {
    let lo = trig.start.saturating_sub(BEFORE_GAP).max(sent.start);
    let Some(lo) = (lo..=trig.start).find(|&i| text.is_char_boundary(i)) else {
        return false;
    };
    let Some(window) = text.get(lo..trig.start) else {
        return false;
    };
    window
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| words.iter().any(|x| x.eq_ignore_ascii_case(w)))
}

/// The word right before the trigger, in its sentence, is one of `words`.
fn word_before(text: &str, sent: Span, trig: Span, words: &[String]) -> bool {
    let head = text.get(sent.start..trig.start).unwrap_or("").trim_end();
    let word = head
        .rsplit(|c: char| !c.is_alphanumeric() && c != '-')
        .next()
        .unwrap_or("");
    words.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// One of `verbs` is a word of `text[lo..hi]`, not after a passive auxiliary ("X, who
/// was arrested in 2019, is a member of Y" still makes X a member).
fn active_verb_between(
    rules: &RelationRules,
    text: &str,
    lo: usize,
    hi: usize,
    verbs: &[String],
) -> bool {
    if verbs.is_empty() {
        return false;
    }
    let Some(gap) = text.get(lo..hi) else {
        return false;
    };
    let mut previous = "";
    for w in gap
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
    {
        let passive = rules
            .passive_auxiliaries
            .iter()
            .any(|a| a.eq_ignore_ascii_case(previous));
        if !passive && verbs.iter().any(|v| v.eq_ignore_ascii_case(w)) {
            return true;
        }
        previous = w;
    }
    false
}

/// One of `words` is a word of `text[lo..hi]`.
fn gap_has_word(text: &str, lo: usize, hi: usize, words: &[String]) -> bool {
    !words.is_empty()
        && text.get(lo..hi).is_some_and(|gap| {
            gap.split(|c: char| !c.is_alphanumeric() && c != '-')
                .any(|w| words.iter().any(|x| x.eq_ignore_ascii_case(w)))
        })
}

/// The text right after the last target starts with one of `words`.
fn followed_by(text: &str, targets: &[End], words: &[String]) -> bool {
    let Some(after) = targets.last().and_then(|t| text.get(t.span.end..)) else {
        return false;
    };
    let head: String = after
        .trim_start()
        .chars()
        .take(24)
        .collect::<String>()
        .to_lowercase();
    words.iter().any(|w| {
        head.strip_prefix(w.as_str())
            .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
    })
}

/// "Pakistan’s Ambassador to Washington, Masood Khan": the person holds the role,
/// whichever side of the trigger the text names them on.
fn person_first(
    t: RelationType,
    ents: &[EntitySpan],
    sources: Vec<End>,
    targets: Vec<End>,
) -> (Vec<End>, Vec<End>) {
    let is_person = |e: &End| {
        ents.iter()
            .any(|x| x.start == e.span.start && x.entity_type == EntityType::Person)
    };
    let swap = matches!(t, RelationType::Leads | RelationType::MemberOf)
        && !sources.iter().any(is_person)
        && targets.iter().any(is_person);
    if swap {
        (targets, sources)
    } else {
        (sources, targets)
    }
}

fn fits_target(kind: TargetKind, t: EntityType) -> bool {
    match kind {
        TargetKind::Actor => can_act(t),
        TargetKind::Place => t.is_place(),
    }
}

/// Sources and targets of one trigger, per its rule's direction.
fn endpoints(
    rules: &RelationRules,
    rule: &Rule,
    doc: &DocEntities<'_>,
    ents: &[EntitySpan],
    sent: Span,
    trig: Span,
    (earlier, before): (&[Relation], &[Relation]),
) -> (Vec<End>, Vec<End>) {
    let text = doc.text;
    let place_rel = rule.target == TargetKind::Place;
    let is_source = |t: EntityType| {
        let ok = if place_rel { t.is_actor() } else { can_act(t) };
        ok && (rule.source_types.is_empty() || rule.source_types.contains(&t))
    };
    let target_ok = |t: EntityType| fits_target(rule.target, t);
    let (lgap, rgap) = if rule.tight {
        (4, 3)
    } else {
        (LEFT_GAP, RIGHT_GAP)
    };
    match rule.direction {
        Direction::Forward => {
            let rgap = if place_rel { rgap.min(PLACE_GAP) } else { rgap };
            let role = matches!(
                rule.relation_type,
                RelationType::Leads | RelationType::MemberOf
            );
            // Enmity and alliance phrases may name their members well after the head noun.
            let reach = if matches!(
                rule.relation_type,
                RelationType::HostileTo | RelationType::Attacks | RelationType::AlliedWith
            ) {
                EXAMPLE_HEAD
            } else {
                40
            };
            let mut targets = right_list_with(text, ents, trig.end, rgap, &target_ok, role, reach);
            let mut extended = false;
            if targets.is_empty() && place_rel && !rule.tight {
                targets = locative_place(text, ents, trig.end, &target_ok)
                    .filter(|_| rule.locative)
                    .or_else(|| where_place(text, ents, sent, trig, &target_ok))
                    .into_iter()
                    .collect();
                extended = !targets.is_empty();
            }
            // The names the anaphor stood in front of, should it turn out to be the subject.
            let mut named: Vec<End> = Vec::new();
            if rule.target == TargetKind::Actor {
                // "alongside them against the US": a pronoun before the first name is the
                // object.
                let pronoun = anaphor_right(
                    &rules.possessed_roles,
                    &rules.anaphora_right,
                    doc,
                    sent,
                    trig,
                )
                .filter(|a| targets.first().is_none_or(|t| a.span.end <= t.span.start));
                if pronoun.is_some() {
                    named = std::mem::replace(&mut targets, pronoun.into_iter().collect());
                } else if targets.is_empty() {
                    targets = literal_right(rules, doc, sent, trig).into_iter().collect();
                }
            }
            if targets.is_empty() && rule.target == TargetKind::Actor {
                targets = relative_antecedent(text, ents, sent, trig, &target_ok)
                    .into_iter()
                    .collect();
            }
            // "Qatar and Turkey mediated the negotiations": the parties of the talks named
            // last, in this sentence or before.
            if targets.is_empty()
                && rule.relation_type == RelationType::Mediates
                && rules
                    .process_nouns
                    .starts(text, Span::new(trig.end, sent.end))
            {
                targets = talks_parties(earlier.iter().rev().chain(before.iter().rev()), trig);
            }
            let Some(first_target) = targets.first().map(|t| t.span) else {
                return (Vec::new(), Vec::new());
            };
            let hostile = matches!(
                rule.relation_type,
                RelationType::Attacks | RelationType::HostileTo | RelationType::Killed
            );
            if hostile && rules.partner_between(text, trig.end, first_target.start) {
                return (Vec::new(), Vec::new());
            }
            if possesses_an_opinion(rules, text, first_target.end) {
                return (Vec::new(), Vec::new());
            }
            let mut sources = left_list(text, ents, trig.start, lgap, &is_source);
            // "links to al Qaeda and pledges allegiance to": an entity joined to the
            // trigger by "and" is the object of an earlier verb, not the subject.
            let coordinated = sources.last().is_some_and(|s| {
                let gap = text.get(s.span.end..trig.start).unwrap_or("");
                AND_VERB.is_match(gap)
            });
            let object = if coordinated { sources.pop() } else { None };
            if coordinated {
                sources.clear();
            }
            if let Some(head) = appositive_head(rules, doc, ents, &sources, trig, &is_source) {
                sources = vec![head];
            }
            // ", targeting Chinese projects": a participle after a comma has the main
            // clause's subject.
            if let Some(subject) = participle_subject(text, ents, sent, trig, &is_source) {
                sources = vec![subject];
            }
            if !rule.tight {
                let nearest = sources.last().map(|s| s.span.end);
                if let Some(a) =
                    anaphor_left(&rules.possessed_roles, &rules.anaphora, doc, sent, trig)
                {
                    // The anaphor wins when it is nearer the trigger than any name.
                    if nearest.is_none_or(|n| a.span.end > n) {
                        sources = vec![a];
                    }
                }
                let nearest = sources.last().map(|s| s.span.end);
                if let Some(p) = possessive_left(rules, doc, ents, sent, trig) {
                    if nearest.is_none_or(|n| p.span.end > n) {
                        sources = vec![p];
                    }
                }
            }
            // "X pledged allegiance to Y and had fought alongside …": the second verb shares
            // the subject of the verb whose object Y is.
            if let (true, Some(o)) = (sources.is_empty(), &object) {
                let shared = earlier
                    .iter()
                    .rev()
                    .find(|r| r.target == o.id && r.end <= o.span.end && r.start < o.span.start);
                if let Some(r) = shared {
                    sources = vec![End {
                        id: r.source.clone(),
                        span: Span::new(r.start, r.start),
                    }];
                }
            }
            // "where the TTP had strongholds": the actor sits between "where" and the trigger.
            let place_first = targets.first().filter(|t| t.span.end <= trig.start);
            if place_first.is_some_and(|t| sources.iter().any(|s| s.span.start < t.span.end)) {
                sources.clear();
            }
            // "the group fought alongside them": the pronoun is someone other than the subject.
            if let [t] = targets.as_mut_slice() {
                let pronoun =
                    doc.within(t.span).is_empty() && rules.is_object_pronoun(t.span.slice(text));
                if pronoun {
                    let other = |id: &str| sources.iter().all(|s| s.id != id);
                    let subject = ents
                        .iter()
                        .take_while(|e| e.end <= t.span.start)
                        .find(|e| can_act(e.entity_type) && other(&e.id));
                    let subject = subject
                        .or_else(|| doc.last_group_other_than(t.span.start, &sources.first()?.id));
                    match subject {
                        Some(g) => t.id = g.id.clone(),
                        None => return (Vec::new(), Vec::new()),
                    }
                } else if !named.is_empty() && sources.iter().any(|s| s.id == t.id) {
                    // "The Taliban deny harbouring the group and say the TTP …": "the group"
                    // is not the subject itself; the name after it is the object.
                    targets = std::mem::take(&mut named);
                } else if doc.within(t.span).is_empty() && sources.iter().any(|s| s.id == t.id) {
                    // "Y provides support to the group": the group is someone other than Y.
                    match doc.last_group_other_than(t.span.start, &t.id) {
                        Some(g) => t.id = g.id.clone(),
                        None => return (Vec::new(), Vec::new()),
                    }
                }
            }
            if sources.is_empty() && place_rel && !rule.tight && !extended {
                // "Based in Kunar, the group …": the actor follows the place.
                let after = targets.last().map_or(first_target.end, |t| t.span.end);
                let hi = (after + 40).min(sent.end);
                let anaphor = (after..=hi)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .and_then(|hi| {
                        find_anaphora(
                            &rules.possessed_roles,
                            &rules.anaphora,
                            doc,
                            Span::new(after, hi),
                        )
                        .into_iter()
                        .next()
                    })
                    .and_then(|a| resolve_anaphor(doc, a));
                sources = match anaphor {
                    Some(a) => vec![a],
                    None => ents
                        .iter()
                        .find(|e| e.start >= after && is_source(e.entity_type))
                        .filter(|e| crossable(text.get(after..e.start).unwrap_or("x"), LEFT_GAP))
                        .map(End::of)
                        .into_iter()
                        .collect(),
                };
            }
            (sources, targets)
        }
        Direction::Backward => {
            let after = match text.get(trig.end..) {
                Some(rest) if rule.appositive && rest.starts_with(',') => trig.end + 1,
                _ => trig.end,
            };
            let sources = right_list(text, ents, after, rgap, &is_source);
            let mut targets = left_list(text, ents, trig.start, lgap, &target_ok);
            // "The BLA, which …, relied on its suicide wing, the Majeed Brigade": "its"
            // is the latest group named before, however far.
            let possessive =
                trig.slice(text).split(' ').next().is_some_and(|w| {
                    w.eq_ignore_ascii_case("its") || w.eq_ignore_ascii_case("their")
                });
            // "the group receives funding from Y": an anaphor is the target.
            if targets.is_empty() && !rule.tight && rule.target == TargetKind::Actor {
                targets = anaphor_left(&rules.possessed_roles, &rules.anaphora, doc, sent, trig)
                    .filter(|a| sources.iter().all(|s| s.id != a.id))
                    .into_iter()
                    .collect();
            }
            if possessive && !rule.tight {
                if let Some(g) = sources
                    .first()
                    .and_then(|s| doc.last_group_other_than(trig.start, &s.id))
                {
                    targets = vec![End::of(g)];
                }
            }
            if rule.tight
                && !(tight_left(text, &targets, trig) && tight_right(text, &sources, trig))
            {
                return (Vec::new(), Vec::new());
            }
            (sources, targets)
        }
        Direction::After => {
            let sources: Vec<End> = right_list(text, ents, trig.end, 20, &is_source);
            let Some(last) = sources.last() else {
                return (Vec::new(), Vec::new());
            };
            let targets = right_list(text, ents, last.span.end, LEFT_GAP, &target_ok);
            (sources, targets)
        }
        Direction::Between => {
            let mut both = right_list(text, ents, trig.end, 20, &|t: EntityType| can_act(t));
            if let [first] = both.as_slice() {
                if let Some(second) = second_party(text, ents, first.span.end) {
                    both.push(second);
                }
            }
            match both.split_first() {
                Some((first, rest)) if !rest.is_empty() => (vec![first.clone()], rest.to_vec()),
                _ => (Vec::new(), Vec::new()),
            }
        }
        Direction::Pair => {
            let both = left_list(text, ents, trig.start, 12, &|t: EntityType| can_act(t));
            match both.split_first() {
                Some((first, rest)) if !rest.is_empty() => (vec![first.clone()], rest.to_vec()),
                _ => (Vec::new(), Vec::new()),
            }
        }
        Direction::PlaceBefore => {
            let targets = left_list(text, ents, trig.start, 2, &target_ok);
            let Some(first) = targets.first() else {
                return (Vec::new(), Vec::new());
            };
            let sources = left_list(text, ents, first.span.start, LEFT_GAP, &is_source);
            (sources, targets.into_iter().take(1).collect())
        }
    }
}

/// A sourceless relation only a government can hold: "the presence of X fighters in
/// Afghanistan was denied" (who governs the country after the targets shelters them),
/// "Back in Washington, a bill that would designate X" (who governs the place named
/// before the trigger designates or sanctions).
fn governing_source(
    rule: &Rule,
    metonymy: &Metonymy,
    text: &str,
    ents: &[EntitySpan],
    sent: Span,
    trig: Span,
    targets: &[End],
) -> Vec<End> {
    if rule.direction != Direction::Forward || rule.target != TargetKind::Actor {
        return Vec::new();
    }
    let place = match rule.relation_type {
        RelationType::Shelters => targets.last().and_then(|t| {
            let e = ents[ents.partition_point(|e| e.start < t.span.end)..]
                .iter()
                .find(|e| e.entity_type.is_place())?;
            let gap = text.get(t.span.end..e.start)?;
            let words = gap.trim_end().to_ascii_lowercase();
            let locative = HOST_PREPOSITIONS.iter().any(|p| {
                words
                    .strip_suffix(p)
                    .is_some_and(|r| r.is_empty() || r.ends_with(' '))
            });
            (locative && crossable(gap, HOST_GAP) && !gap.contains(',')).then_some(e)
        }),
        RelationType::Designates | RelationType::Sanctions => ents
            .iter()
            .take_while(|e| e.end <= trig.start)
            .find(|e| e.start >= sent.start && e.entity_type.is_place()),
        _ => None,
    };
    place
        .and_then(|p| {
            let (id, _) = metonymy.governor(&p.id, p.entity_type)?;
            Some(End {
                id: id.to_string(),
                span: Span::new(p.start, p.end),
            })
        })
        .into_iter()
        .collect()
}

/// "fighters in Afghanistan", "havens inside Afghanistan": where a sheltered group is.
const HOST_PREPOSITIONS: &[&str] = &["in", "inside", "within"];
/// Farthest the host country may sit after the sheltered group ("X's fighters in Y").
const HOST_GAP: usize = 30;

/// "Kabul’s rulers deny offering sanctuary to militant factions": a denial names what
/// it denies generically; it answers the accusation about the armed group the
/// paragraph is about — the last one named before, other than the denier.
fn generic_denial(
    rules: &RelationRules,
    rule: &Rule,
    doc: &DocEntities<'_>,
    ents: &[EntitySpan],
    sent: Span,
    trig: Span,
) -> Option<(Vec<End>, Vec<End>)> {
    if rule.direction != Direction::Forward || rule.target != TargetKind::Actor {
        return None;
    }
    let text = doc.text;
    let hi = (trig.end + 30).min(sent.end);
    let hi = (trig.end..=hi).rev().find(|&i| text.is_char_boundary(i))?;
    let (generic, _) = rules
        .denied_generic
        .find(text, Span::new(trig.end, hi))
        .into_iter()
        .next()?;
    let gap = text.get(trig.end..generic.start)?;
    let short_gap = gap.split_whitespace().all(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "to" | "for" | "any" | "the" | "of" | "other"
        )
    });
    if !short_gap {
        return None;
    }
    let is_source = |t: EntityType| {
        can_act(t) && (rule.source_types.is_empty() || rule.source_types.contains(&t))
    };
    let sources = left_list(text, ents, trig.start, LEFT_GAP, &is_source);
    if sources.is_empty() {
        return None;
    }
    let stance = rule
        .stance
        .unwrap_or_else(|| stance(rules, text, sent, trig, &sources, &[]));
    if stance != Stance::Denied {
        return None;
    }
    let para = doc.paragraphs.partition_point(|p| p.start <= trig.start);
    let para_start = para.checked_sub(1).map_or(0, |k| doc.paragraphs[k].start);
    let upto = doc.ents.partition_point(|e| e.end <= trig.start);
    let group = doc.ents[..upto]
        .iter()
        .rev()
        .take_while(|e| e.start >= para_start)
        .filter(|e| matches!(e.entity_type, EntityType::ArmedGroup | EntityType::Faction))
        .find(|e| sources.iter().all(|s| s.id != e.id))?;
    let target = End {
        id: group.id.clone(),
        span: generic,
    };
    Some((sources, vec![target]))
}

/// "… supports Pakistan’s concerns": the entity only owns the object, which is a view.
fn possesses_an_opinion(rules: &RelationRules, text: &str, end: usize) -> bool {
    let Some(rest) = text.get(end..) else {
        return false;
    };
    let Some(after) = ["’s ", "'s ", "’ ", "' "]
        .iter()
        .find_map(|p| rest.strip_prefix(p))
    else {
        return false;
    };
    let word: String = after
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-')
        .collect::<String>()
        .to_lowercase();
    rules.opinion_nouns.contains(&word)
}

fn tight_left(text: &str, targets: &[End], trig: Span) -> bool {
    targets.last().is_some_and(|t| {
        let gap = text.get(t.span.end..trig.start).unwrap_or("x");
        matches!(gap.trim(), "" | "’s" | "'s")
    })
}

fn tight_right(text: &str, sources: &[End], trig: Span) -> bool {
    sources.first().is_some_and(|s| {
        let gap = text.get(trig.end..s.span.start).unwrap_or("x");
        matches!(gap.trim(), "" | ",")
    })
}

/// A gap of text an endpoint may be reached across: short, and within the clause.
fn crossable(gap: &str, max: usize) -> bool {
    // A quote mark right against a name is a scare-quoted name ("the Indian-sponsored
    // “Fitna al Khawarij”"), not the edge of someone's speech.
    let inner = gap.trim_end();
    let inner = inner.strip_suffix(['“', '"']).unwrap_or(inner);
    let inner = inner.trim_start();
    let inner = inner.strip_prefix(['”', '"']).unwrap_or(inner);
    gap.len() <= max && !inner.contains([';', ':', '—', '(', ')', '“', '”', '"'])
}

/// The nearest fitting entity after `pos` and the list it heads.
fn right_list(
    text: &str,
    ents: &[EntitySpan],
    pos: usize,
    max_gap: usize,
    fits: &dyn Fn(EntityType) -> bool,
) -> Vec<End> {
    right_list_with(text, ents, pos, max_gap, fits, false, 40)
}

/// [`right_list`], optionally across a comma: an appositive names the holder of a
/// role ("ambassador to Kabul, Hassan Kazemi").
fn right_list_with(
    text: &str,
    ents: &[EntitySpan],
    pos: usize,
    max_gap: usize,
    fits: &dyn Fn(EntityType) -> bool,
    comma_ok: bool,
    example_reach: usize,
) -> Vec<End> {
    let start = ents.partition_point(|e| e.start < pos);
    let Some(i) = (start..ents.len()).find(|&i| fits(ents[i].entity_type)) else {
        return Vec::new();
    };
    let gap = text.get(pos..ents[i].start).unwrap_or("x");
    let appositive = comma_ok && ents[i].entity_type == EntityType::Person;
    // "ties with other groups, including AQIS": an example list may follow a comma, and
    // "the sworn enemy of every party to the conflict, including X" may name its members
    // up to `example_reach` characters after the head noun.
    let examples = is_example_gap_within(gap, example_reach);
    let max_gap = if examples {
        max_gap.max(example_reach + 20)
    } else {
        max_gap
    };
    if !crossable(gap, max_gap) || (gap.contains(',') && !appositive && !examples) {
        return Vec::new();
    }
    let mut i = i;
    // "headed Pakistan’s ISI": the possessed entity, not the possessor.
    while i + 1 < ents.len() && fits(ents[i + 1].entity_type) {
        let gap = text.get(ents[i].end..ents[i + 1].start).unwrap_or("x");
        if !matches!(gap.trim(), "’s" | "'s") {
            break;
        }
        i += 1;
    }
    let mut out = vec![End::of(&ents[i])];
    let mut j = i;
    while j + 1 < ents.len() && fits(ents[j + 1].entity_type) {
        let gap = after_abbreviation(text, &ents[j], ents[j + 1].start);
        if !(COORD.is_match(gap) || is_example_gap(gap)) {
            break;
        }
        // "Islamabad, Pakistan": a country after a comma says where the place is.
        let qualifier = gap.trim() == ","
            && ents[j + 1].entity_type == EntityType::Country
            && ents[j].entity_type.is_place()
            && ents[j].entity_type != EntityType::Country;
        if qualifier {
            break;
        }
        out.push(End::of(&ents[j + 1]));
        j += 1;
    }
    out
}

/// The text between `e` and `next`, without the period that closes an abbreviated name
/// ("the U.S. and NATO": the mention is "U.S").
fn after_abbreviation<'t>(text: &'t str, e: &EntitySpan, next: usize) -> &'t str {
    let gap = text.get(e.end..next).unwrap_or("x");
    let abbreviated = text.get(e.start..e.end).is_some_and(|n| n.contains('.'));
    match gap.strip_prefix('.') {
        Some(rest) if abbreviated => rest,
        _ => gap,
    }
}

/// "Pakistan vowed to protect Chinese workers, who were targeted by the BLA": the relative
/// pronoun takes the noun right before its comma, so an entity further back is not the
/// clause's subject.
fn relative_of_another_noun(gap: &str) -> bool {
    // "the Jamaat-ul-Ahrar faction, which": one head noun after the name is still its phrase.
    [", who ", ", which ", ", whose "].iter().any(|r| {
        gap.find(r)
            .is_some_and(|i| gap[..i].split_whitespace().count() > 1)
    })
}

/// Prepositions that put a place in a locative phrase ("in Afghanistan").
const LOCATIVES: &[&str] = &[
    "in",
    "inside",
    "across",
    "throughout",
    "near",
    "at",
    "within",
];

/// The nearest fitting entity before `pos` and the list it ends.
fn left_list(
    text: &str,
    ents: &[EntitySpan],
    pos: usize,
    max_gap: usize,
    fits: &dyn Fn(EntityType) -> bool,
) -> Vec<End> {
    let end = ents.partition_point(|e| e.end <= pos);
    // "fighters in Afghanistan and receives support from X": a place named after a
    // locative preposition is where something is, not who takes part.
    let locative = |e: &EntitySpan| {
        e.entity_type.is_place()
            && text.get(..e.start).is_some_and(|b| {
                let b = b.trim_end().to_ascii_lowercase();
                LOCATIVES.iter().any(|p| {
                    b.strip_suffix(p)
                        .is_some_and(|r| r.is_empty() || r.ends_with([' ', ',', '(']))
                })
            })
    };
    let Some(i) = (0..end)
        .rev()
        .find(|&i| fits(ents[i].entity_type) && !locative(&ents[i]))
    else {
        return Vec::new();
    };
    let gap = text.get(ents[i].end..pos).unwrap_or("x");
    if !crossable(gap, max_gap) || relative_of_another_noun(gap) {
        return Vec::new();
    }
    let mut out = vec![End::of(&ents[i])];
    let mut j = i;
    while j > 0 && fits(ents[j - 1].entity_type) {
        let gap = after_abbreviation(text, &ents[j - 1], ents[j].start);
        // "A, B and C": the last two of a list are joined by a conjunction, so a bare
        // comma there ("According to the UN, the TTP …") ends the subject.
        let bare_comma = j == i
            && gap.contains(',')
            && gap
                .split(|c: char| c.is_whitespace() || c == ',')
                .all(|w| w.is_empty() || w.eq_ignore_ascii_case("the"));
        if !COORD.is_match(gap) || bare_comma {
            break;
        }
        out.push(End::of(&ents[j - 1]));
        j -= 1;
    }
    out.reverse();
    out
}

/// "the group … supports X": an anaphor before the trigger, resolved to the most
/// recent armed group.
fn anaphor_left(
    roles: &[String],
    anaphora: &Option<Regex>,
    doc: &DocEntities<'_>,
    sent: Span,
    trig: Span,
) -> Option<End> {
    let lo = trig.start.saturating_sub(ANAPHOR_GAP).max(sent.start);
    let lo = (lo..=trig.start).find(|&i| doc.text.is_char_boundary(i))?;
    let hit = find_anaphora(roles, anaphora, doc, Span::new(lo, trig.start))
        .into_iter()
        .last()?;
    // "ISKP is at war with the Taliban. The group opposes …": a sentence that opens with
    // the anaphor goes on about the previous sentence's subject.
    let opens = doc
        .text
        .get(sent.start..hit.start)
        .is_some_and(|g| g.trim().is_empty());
    // Pronouns ("They have set up camps") keep to the most recent group.
    let noun = hit.slice(doc.text).contains(' ');
    let subject = previous_subject(doc, sent).filter(|e| {
        opens && noun && matches!(e.entity_type, EntityType::ArmedGroup | EntityType::Faction)
    });
    match subject {
        Some(e) => Some(End {
            id: e.id.clone(),
            span: hit,
        }),
        None => resolve_anaphor(doc, hit),
    }
}

/// "its fighters", "their cadres" before the trigger: the actor the clause is about —
/// the entity just before in "X and its fighters", else the sentence's first actor, else
/// the previous sentence's first actor, else the paragraph's last armed group.
fn possessive_left(
    rules: &RelationRules,
    doc: &DocEntities<'_>,
    ents: &[EntitySpan],
    sent: Span,
    trig: Span,
) -> Option<End> {
    let re = rules.possessive.as_ref()?;
    let lo = trig.start.saturating_sub(ANAPHOR_GAP).max(sent.start);
    let lo = (lo..=trig.start).find(|&i| doc.text.is_char_boundary(i))?;
    let body = doc.text.get(lo..trig.start)?;
    let m = re.find_iter(body).last()?;
    let hit = Span::new(lo + m.start(), lo + m.end());
    let before = &ents[..ents.partition_point(|e| e.end <= hit.start)];
    let joined = before.last().filter(|e| {
        can_act(e.entity_type)
            && doc
                .text
                .get(e.end..hit.start)
                .is_some_and(|g| g.trim().eq_ignore_ascii_case("and"))
    });
    let in_sentence = &before[before.partition_point(|e| e.start < sent.start)..];
    let owner = joined
        .or_else(|| in_sentence.iter().find(|e| can_act(e.entity_type)))
        .or_else(|| previous_subject(doc, sent))
        .or_else(|| doc.last_group_before(hit.start))?;
    Some(End {
        id: owner.id.clone(),
        span: hit,
    })
}

/// "ISKP, the deadliest branch of the Islamic State, is the enemy of …": a name inside an
/// appositive set off by commas before the verb describes the subject named before it.
fn appositive_head(
    rules: &RelationRules,
    doc: &DocEntities<'_>,
    ents: &[EntitySpan],
    sources: &[End],
    trig: Span,
    fits: &dyn Fn(EntityType) -> bool,
) -> Option<End> {
    let text = doc.text;
    let first = sources.first()?;
    let last = sources.last()?;
    if !text
        .get(last.span.end..trig.start)?
        .trim_start()
        .starts_with(',')
    {
        return None;
    }
    let lo = first.span.start.saturating_sub(APPOSITIVE_SPAN);
    let lo = (lo..=first.span.start).find(|&i| text.is_char_boundary(i))?;
    let comma = lo + text.get(lo..first.span.start)?.rfind(',')?;
    let inner = text
        .get(comma + 1..first.span.start)?
        .trim_start()
        .to_ascii_lowercase();
    // "X, the armed wing of Y, …", "X, which has ties to Y, …", "X, led by Y, …".
    let opens = |a: &String| {
        inner
            .strip_prefix(a.as_str())
            .is_some_and(|r| r.starts_with(' '))
    };
    if !rules.appositive_openers.iter().any(opens) {
        return None;
    }
    let named = ents[..ents.partition_point(|e| e.end <= comma)]
        .last()
        .filter(|h| fits(h.entity_type))
        .filter(|h| text.get(h.end..comma).is_some_and(|g| g.trim().len() <= 1))
        .map(End::of);
    // "The group, which has ties to Y, claimed …": an anaphor heads the clause.
    named.or_else(|| {
        let lo = comma.saturating_sub(ANAPHOR_GAP);
        let lo = (lo..=comma).find(|&i| text.is_char_boundary(i))?;
        let a = find_anaphora(
            &rules.possessed_roles,
            &rules.anaphora,
            doc,
            Span::new(lo, comma),
        )
        .into_iter()
        .last()
        .filter(|a| text.get(a.end..comma).is_some_and(|g| g.trim().is_empty()))?;
        resolve_anaphor(doc, a)
    })
}

/// "The BLA, which Washington designated in 2019": a verb with nothing after it, whose
/// subject opens a relative clause, has the clause's antecedent as its object.
fn relative_antecedent(
    text: &str,
    ents: &[EntitySpan],
    sent: Span,
    trig: Span,
    fits: &dyn Fn(EntityType) -> bool,
) -> Option<End> {
    let k = ents.partition_point(|e| e.end <= trig.start);
    let subject = ents[..k].last()?;
    // Only auxiliaries between the subject and the verb: "which Kabul has long denied".
    let gap = text.get(subject.end..trig.start)?;
    if gap.len() > 16 || gap.contains([',', ';', '.']) {
        return None;
    }
    let head = text.get(sent.start..subject.start)?.trim_end();
    let head = ["the", "The"]
        .iter()
        .find_map(|a| head.strip_suffix(a).filter(|h| h.ends_with(' ')))
        .unwrap_or(head)
        .trim_end();
    let head = ["which", "whom", "that"]
        .iter()
        .find_map(|w| {
            let h = head.strip_suffix(w)?;
            (!h.ends_with(|c: char| c.is_alphanumeric())).then_some(h)
        })?
        .trim_end();
    let head = head.strip_suffix(',').unwrap_or(head).trim_end();
    let antecedent = ents[..k.saturating_sub(1)]
        .iter()
        .rev()
        .find(|e| e.end <= sent.start + head.len())?;
    (antecedent.end == sent.start + head.len() && fits(antecedent.entity_type))
        .then(|| End::of(antecedent))
}

/// ", targeting X": the subject of a participle set off by a comma is the sentence's
/// first actor, when one comes before the comma.
fn participle_subject(
    text: &str,
    ents: &[EntitySpan],
    sent: Span,
    trig: Span,
    fits: &dyn Fn(EntityType) -> bool,
) -> Option<End> {
    let first_word = trig.slice(text).split_whitespace().next()?;
    if !first_word.to_ascii_lowercase().ends_with("ing") {
        return None;
    }
    let head = text.get(sent.start..trig.start)?.trim_end();
    if !head.ends_with(',') {
        return None;
    }
    ents.iter()
        .take_while(|e| e.end <= trig.start)
        .find(|e| e.start >= sent.start && fits(e.entity_type))
        .map(End::of)
}

/// Longest appositive ("the deadliest branch of") before a name inside it.
const APPOSITIVE_SPAN: usize = 60;

/// The first actor of the sentence before `sent`, in the same paragraph: what a sentence
/// opening with "Its fighters" is about.
fn previous_subject<'d>(doc: &'d DocEntities<'_>, sent: Span) -> Option<&'d EntitySpan> {
    let head = doc.text.get(..sent.start)?.trim_end();
    if head.ends_with('\n') || doc.text.get(head.len()..sent.start)?.contains('\n') {
        return None;
    }
    // The previous sentence starts after the last sentence end before its own end.
    let body = head.strip_suffix(['.', '!', '?']).unwrap_or(head);
    let start = body.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    doc.ents[doc.ents.partition_point(|e| e.start < start)..]
        .iter()
        .take_while(|e| e.end <= sent.start)
        .find(|e| can_act(e.entity_type))
}

/// "communities in Scandinavia": a place a little further on than [`PLACE_GAP`], when
/// the words before it end with a locative preposition.
fn locative_place(
    text: &str,
    ents: &[EntitySpan],
    pos: usize,
    fits: &dyn Fn(EntityType) -> bool,
) -> Option<End> {
    let e = ents[ents.partition_point(|e| e.start < pos)..]
        .iter()
        .find(|e| fits(e.entity_type))?;
    let gap = text.get(pos..e.start)?;
    let words = gap.trim_end().to_ascii_lowercase();
    let locative = LOCATIVES
        .iter()
        .any(|p| words.strip_suffix(p).is_some_and(|r| r.ends_with(' ')));
    (locative && gap.len() <= LOCATIVE_GAP && crossable(gap, LOCATIVE_GAP) && !gap.contains(','))
        .then(|| End::of(e))
}

/// Farthest a place after a locative preposition may sit from a place trigger.
const LOCATIVE_GAP: usize = 50;

/// "Kunar province, where the TTP had strongholds": the place before ", where".
fn where_place(
    text: &str,
    ents: &[EntitySpan],
    sent: Span,
    trig: Span,
    fits: &dyn Fn(EntityType) -> bool,
) -> Option<End> {
    let lo = trig.start.saturating_sub(LEFT_GAP).max(sent.start);
    let lo = (lo..=trig.start).find(|&i| text.is_char_boundary(i))?;
    let at = lo + text.get(lo..trig.start)?.rfind(", where ")?;
    let place = ents[..ents.partition_point(|e| e.end <= at)].last()?;
    let gap = text.get(place.end..at)?;
    // Only a head noun between the name and the comma ("Kunar province").
    let short = gap.len() <= 12 && gap.chars().all(|c| c.is_alphabetic() || c == ' ');
    (fits(place.entity_type) && short).then(|| End::of(place))
}

/// Anaphor spans in `span`, skipping those that are part of a name.
///
/// "the group's leader" names the leader, not the group: an anaphor in the possessive
/// before one of `roles` is skipped ("the group's hideouts" still count).
fn find_anaphora(
    roles: &[String],
    anaphora: &Option<Regex>,
    doc: &DocEntities<'_>,
    span: Span,
) -> Vec<Span> {
    let (Some(re), Some(body)) = (anaphora, doc.text.get(span.start..span.end)) else {
        return Vec::new();
    };
    let possessor_only = |a: &Span| {
        let Some(rest) = doc.text.get(a.end..) else {
            return false;
        };
        let Some(after) = ["’s ", "'s "].iter().find_map(|p| rest.strip_prefix(p)) else {
            return false;
        };
        let word: String = after
            .chars()
            .take_while(|c| c.is_alphabetic())
            .collect::<String>()
            .to_lowercase();
        roles.contains(&word)
    };
    re.find_iter(body)
        .map(|m| Span::new(span.start + m.start(), span.start + m.end()))
        .filter(|a| !possessor_only(a))
        .filter(|a| {
            !doc.within(*a)
                .iter()
                .any(|e| matches!(e.entity_type, EntityType::ArmedGroup | EntityType::Faction))
                && !doc.ents.iter().any(|e| {
                    e.start < a.end && a.start < e.end && !a.contains(Span::new(e.start, e.end))
                })
        })
        .collect()
}

fn resolve_anaphor(doc: &DocEntities<'_>, hit: Span) -> Option<End> {
    // A paragraph that names no group goes on about the previous paragraph's.
    let group = doc
        .last_group_before(hit.start)
        .or_else(|| doc.group_of_previous_paragraph(hit.start))?;
    Some(End {
        id: group.id.clone(),
        span: hit,
    })
}

/// "financing the Baloch separatists": a literal target right after the trigger.
fn literal_right(
    rules: &RelationRules,
    doc: &DocEntities<'_>,
    sent: Span,
    trig: Span,
) -> Option<End> {
    let re = rules.literal_target.as_ref()?;
    let rest = doc.text.get(trig.end..sent.end)?;
    let m = re.captures(rest)?.get(1)?;
    let span = Span::new(trig.end + m.start(), trig.end + m.end());
    // A name inside it is an entity the rules already had their chance at.
    if !doc.within(span).is_empty() {
        return None;
    }
    Some(End {
        id: m.as_str().split_whitespace().collect::<Vec<_>>().join(" "),
        span,
    })
}

/// "designated the group": an anaphor right after the trigger.
fn anaphor_right(
    roles: &[String],
    anaphora: &Option<Regex>,
    doc: &DocEntities<'_>,
    sent: Span,
    trig: Span,
) -> Option<End> {
    let hi = (trig.end + 20).min(sent.end);
    let hi = (trig.end..=hi)
        .rev()
        .find(|&i| doc.text.is_char_boundary(i))?;
    let hit = find_anaphora(roles, anaphora, doc, Span::new(trig.end, hi))
        .into_iter()
        .next()?;
    let gap = doc.text.get(trig.end..hit.start)?;
    // Right after the trigger, or after one preposition ("support to the group").
    let near = hit.end <= trig.end + 12 && crossable(gap, 12);
    let preposition = matches!(
        gap.trim().to_ascii_lowercase().as_str(),
        "to" | "for" | "with" | "on" | "against" | "of" | "from"
    );
    if !near && !preposition {
        return None;
    }
    resolve_anaphor(doc, hit)
}

/// How firmly the relation's clause states it.
fn stance(
    rules: &RelationRules,
    text: &str,
    sent: Span,
    trig: Span,
    sources: &[End],
    targets: &[End],
) -> Stance {
    let lo = sources
        .iter()
        .chain(targets)
        .map(|e| e.span.start)
        .chain([trig.start])
        .min()
        .unwrap_or(trig.start);
    let hi = sources
        .iter()
        .chain(targets)
        .map(|e| e.span.end)
        .chain([trig.end])
        .max()
        .unwrap_or(trig.end);
    let (clause_lo, clause_hi) = clause(rules, text, sent, lo, hi);
    // "does not support": a negation right before the trigger.
    let neg_lo = (trig.start.saturating_sub(14).max(clause_lo)..=trig.start)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(trig.start);
    if rules.negation.any_in(text, Span::new(neg_lo, trig.start)) {
        return Stance::Denied;
    }
    let mut best: Option<Stance> = None;
    for (span, &st) in rules.stance.find(text, Span::new(clause_lo, clause_hi)) {
        // "May" is a month; only lowercase "may" hedges.
        if span.slice(text) == "May" {
            continue;
        }
        // "…, potentially turning X into a hub": a modal across a comma hedges another
        // clause, not this relation.
        if st == Stance::Speculative {
            let between = if span.end <= lo {
                text.get(span.end..lo)
            } else if span.start >= hi {
                text.get(hi..span.start)
            } else {
                Some("")
            };
            let crosses = between.is_none_or(|b| {
                b.contains(',') || rules.boundaries.iter().any(|x| b.contains(x.as_str()))
            });
            if crosses {
                continue;
            }
        }
        if st == Stance::Denied {
            let between = text.get(span.end..trig.start).unwrap_or("");
            let crosses = between.contains(',')
                || rules
                    .boundaries
                    .iter()
                    .any(|b| between.contains(b.as_str()));
            if span.end > trig.start || trig.start - span.end > DENIAL_GAP || crosses {
                continue;
            }
        }
        best = Some(match best {
            Some(b) if rank(b) <= rank(st) => b,
            _ => st,
        });
    }
    best.unwrap_or(Stance::Asserted)
}

fn rank(s: Stance) -> u8 {
    match s {
        Stance::Denied => 0,
        Stance::Alleged => 1,
        Stance::Reported => 2,
        Stance::Speculative => 3,
        Stance::Asserted => 4,
    }
}

/// The clause around `[lo, hi)`: cut at boundary words and, after a sentence-initial
/// subordinator ("While X denies …, Y"), at the first comma.
fn clause(rules: &RelationRules, text: &str, sent: Span, lo: usize, hi: usize) -> (usize, usize) {
    let body = sent.slice(text);
    let mut start = sent.start;
    let mut end = sent.end;
    let mut cut = |b_start: usize, b_end: usize| {
        if b_end <= lo {
            start = start.max(b_end);
        } else if b_start >= hi {
            end = end.min(b_start);
        }
    };
    for b in &rules.boundaries {
        for (i, _) in body.match_indices(b.as_str()) {
            cut(sent.start + i, sent.start + i + b.len());
        }
    }
    let lower_head: String = body.chars().take(12).collect::<String>().to_lowercase();
    let subordinate = rules.subordinators.iter().any(|w| {
        lower_head.starts_with(w.as_str())
            && lower_head[w.len()..].starts_with(|c: char| !c.is_alphanumeric())
    });
    if subordinate {
        if let Some(i) = body.find(',') {
            cut(sent.start + i, sent.start + i + 1);
        }
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every claim of `src` (entities in `[brackets]`, see `fixture`), no publication date.
    fn all_claims(src: &str) -> crate::Claims {
        let (text, ents) = fixture(src);
        crate::ClaimExtractor::default().extract(&ClaimInput {
            doc: "d",
            text: &text,
            published: None,
            entities: &ents,
        })
    }

    use crate::testkit::fixture;

    #[test]
    fn example_gaps_end_with_a_cue_and_an_optional_article() {
        for gap in [
            " including ",
            ", such as the ",
            " like ",
            " groups, notably  THE ",
        ] {
            assert!(is_example_gap(gap), "{gap:?}");
        }
        for gap in [
            " including",
            " disliked ",
            " such as the",
            " ; including ",
            " ()including ",
        ] {
            assert!(!is_example_gap(gap), "{gap:?}");
        }
        let long = format!("{} including ", "word ".repeat(10));
        assert!(!is_example_gap(&long));
    }

    fn run(src: &str) -> Vec<Relation> {
        let (text, ents) = fixture(src);
        run_on(&text, &ents)
    }

    fn run_on(text: &str, ents: &[EntitySpan]) -> Vec<Relation> {
        let input = ClaimInput {
            doc: "d",
            text,
            published: None,
            entities: ents,
        };
        let doc = DocEntities::new(text, ents);
        let sents = crate::sentences::sentences(text);
        let tokens = crate::tokens::Tokens::new(text, &doc.ents);
        extract(
            &RelationRules::default(),
            &Metonymy::default(),
            &Lexicon::default(),
            &input,
            &doc,
            &tokens,
            &sents,
        )
        .0
    }

    /// `source type target stance` lines, sorted.
    fn check(src: &str, expect: &[&str]) {
        let mut got: Vec<String> = run(src)
            .iter()
            .map(|r| format!("{} {} {} {}", r.source, r.relation_type, r.target, r.stance))
            .collect();
        got.sort();
        let mut want: Vec<String> = expect.iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "{src}");
    }

    #[test]
    fn denying_the_presence_of_a_group_is_a_denied_shelter() {
        check(
            "[Freedonia|freedonia|country] for years denied the presence of [Front|front] safe havens on its soil.",
            &["freedonia shelters front denied"],
        );
    }

    #[test]
    fn a_rule_stance_must_be_a_known_stance() {
        let bad = RELATIONS_TOML.replace("stance = \"denied\"", "stance = \"doubtful\"");
        assert!(RelationRules::from_toml(&bad).is_err());
    }

    #[test]
    fn embedded_rules_parse() {
        RelationRules::from_toml(RELATIONS_TOML).expect("relations.toml is valid");
    }

    #[test]
    fn bad_rules_are_reported_not_panicked() {
        let err = RelationRules::from_toml("[[rule]]\ntype = \"befriends\"\ntriggers = []")
            .expect_err("unknown type");
        assert!(err.to_string().contains("relations.toml"));
    }

    #[test]
    fn nominal_support_runs_from_the_possessor() {
        check(
            "[Kabul|kabul-gov|government_body]’s quiet support for the [Hizb ul-Mujahideen|hm] worries analysts.",
            &["kabul-gov supports hm asserted"],
        );
    }

    #[test]
    fn passive_backing_reverses_direction_and_expands_lists() {
        check(
            "The [Jundallah|jundallah], backed by [Lashkar-e-Islam|lei] and [the Haqqanis|haqqani], grew.",
            &["lei supports jundallah asserted", "haqqani supports jundallah asserted"],
        );
    }

    #[test]
    fn financing_with_a_reporting_hedge() {
        check(
            "[Kabul|kabul-gov|government_body] is reportedly providing monthly payments to [the TTP|ttp].",
            &["kabul-gov finances ttp reported"],
        );
    }

    #[test]
    fn denial_applies_only_to_its_own_clause() {
        check(
            "While [Kabul|kabul-gov|government_body] denies harbouring [the TTP|ttp], inspectors found that [Haqqani commanders|haqqani] gave arms to [the TTP|ttp].",
            &["kabul-gov shelters ttp denied", "haqqani arms ttp asserted"],
        );
    }

    #[test]
    fn a_plain_negation_is_the_authors_not_the_subjects_denial() {
        // The speaker of the other clause does not own the negation, nor does its subject.
        let got = run(
            "The [Front|front] is not formally part of the [TTP|ttp], but analysts say the two share safe houses.",
        );
        let r = got
            .iter()
            .find(|r| r.relation_type == RelationType::FactionOf)
            .expect("the faction relation");
        assert_eq!(r.stance, Stance::Denied);
        assert_ne!(r.attributed_to.as_deref(), Some("front"), "{r:?}");
    }

    /// [`run`] with the metonymy data applied to the mentions first, as the extractor does.
    fn run_with_metonymy(src: &str) -> Vec<Relation> {
        let (text, ents) = fixture(src);
        let ents = crate::metonymy::Metonymy::default()
            .apply(&text, &ents)
            .into_owned();
        run_on(&text, &ents)
    }

    #[test]
    fn a_states_demonym_acts_for_it() {
        // "Pakistani" is no mention; the metonymy data make it the state for the rules.
        let got = run_with_metonymy(
            "A series of Pakistani airstrikes against suspected [TTP|ttp] targets killed nine.",
        );
        assert!(
            got.iter().any(|r| r.source == "pakistan"
                && r.relation_type == RelationType::Attacks
                && r.target == "ttp"),
            "{got:?}"
        );
        for src in [
            "Troops killed 11 members of the Indian-sponsored [TTP|ttp] on Sunday.",
            "Troops killed 11 members of the Indian-sponsored “[TTP|ttp]” on Sunday.",
        ] {
            let got = run_with_metonymy(src);
            assert!(
                got.iter().any(|r| r.source == "india"
                    && r.relation_type == RelationType::Supports
                    && r.target == "ttp"),
                "{src}: {got:?}"
            );
        }
    }

    #[test]
    fn havens_inside_a_country_and_as_claimed_by() {
        check(
            "The [Front|front] enjoys safe havens inside [Freedonia|freedonia|country].",
            &["front operates_in freedonia asserted"],
        );
        // Attribution, not an attack by the claimant.
        let got = run("If the [Front|front] is not in the valley, as claimed by the [Council|council], why the decree?");
        assert!(
            got.iter().all(|r| r.relation_type != RelationType::Attacks),
            "{got:?}"
        );
    }

    #[test]
    fn negation_right_before_the_trigger_denies() {
        check(
            "[Iran|iran|country] does not support [the Jaish al-Adl|jaa] militants.",
            &["iran supports jaa denied"],
        );
    }

    #[test]
    fn speculation_and_allegation_cues() {
        check(
            "[Kabul|kabul-gov|government_body] could be funding [the BLA|bla].",
            &["kabul-gov finances bla speculative"],
        );
        check(
            "[Washington|us|country] may soon designate [the BLA|bla] as a terrorist group.",
            &["us designates bla speculative"],
        );
        check(
            "[Islamabad|pk|country] allegedly trained [the Hizbul fighters|hm] last year.",
            &["pk trains hm alleged"],
        );
    }

    #[test]
    fn allegiance_and_alliances() {
        check(
            "[Jamaat-ul-Ahrar|jua] pledged allegiance to [the Islamic State|is] in 2014.",
            &["jua allegiance_to is asserted"],
        );
        check(
            "[The BLA|bla] has forged ties with [the BLF|blf] and [the BRA|bra].",
            &[
                "bla allied_with blf asserted",
                "bla allied_with bra asserted",
            ],
        );
        check(
            "[The BLA|bla] has ties with other militant groups, including [the BLF|blf].",
            &["bla allied_with blf asserted"],
        );
    }

    #[test]
    fn titles_link_only_when_touching() {
        check(
            "[ISKP|iskp] emir [Shahab al-Muhajir|muhajir|person] spoke.",
            &["muhajir leads iskp asserted"],
        );
        check(
            "[ISKP|iskp] has a new emir, and [Shahab al-Muhajir|muhajir|person] spoke.",
            &[],
        );
        check(
            "[Ayesha Siddiqa|siddiqa|person], head of [the Crisis Institute|ci|research_org], spoke.",
            &["siddiqa leads ci asserted"],
        );
    }

    #[test]
    fn members_taken_by_a_verb_belong_but_the_subject_does_not() {
        check(
            "[The provincial police|police|government_body] detained four young men belonging to [the Front|front] near the bridge.",
            &[],
        );
        check(
            "[Army units|army|military] shot dead nine members of [the Front|front] overnight.",
            &[],
        );
        check(
            "[Rashid Khan|rashid|person], who was detained twice, is a member of [the Front|front].",
            &["rashid member_of front asserted"],
        );
    }

    #[test]
    fn a_ban_word_after_an_article_only_describes_the_group() {
        check(
            "[The police|police|government_body] raided a hideout of the banned [Front|front] at dawn.",
            &[],
        );
        check(
            "[Freedonia|freedonia|country] banned [the Front|front] last spring.",
            &["freedonia designates front asserted"],
        );
    }

    #[test]
    fn a_delegation_led_by_someone_makes_them_a_member() {
        check(
            "The talks hosted a [Front|front] negotiating team led by [Omar Said|omar|person] on Friday.",
            &["omar member_of front asserted"],
        );
        check(
            "[The Front|front], led by [Omar Said|omar|person], rejected the offer.",
            &["omar leads front asserted"],
        );
    }

    #[test]
    fn funding_received_from_runs_backward() {
        check(
            "Investigators say [the Front|front] gets funding from [the Bureau|bureau] abroad.",
            &["bureau finances front asserted"],
        );
        check(
            "[The Front|front] struck twice. The group receives funding from [the Bureau|bureau]'s field office.",
            &["bureau finances front asserted"],
        );
    }

    #[test]
    fn a_led_by_apposition_does_not_hide_the_subject() {
        check(
            "[The Front|front], led by [Omar Said|omar|person], operates mainly in [the Hill Tracts|hills|region].",
            &["omar leads front asserted", "front operates_in hills asserted"],
        );
    }

    #[test]
    fn its_wing_belongs_to_the_group_named_well_before() {
        check(
            "[The Front|front], which [Freedonia|fr|country] blacklisted long ago, now leans heavily on its suicide wing, the [Hawk Brigade|hawk].",
            &["fr designates front asserted", "hawk faction_of front asserted"],
        );
        check(
            "[The Front|front], whom the [Union|union|international_org] sanctioned in 2019, regrouped.",
            &["union sanctions front asserted"],
        );
    }

    #[test]
    fn a_groups_premises_locate_it() {
        check(
            "Jets hit the headquarters of [the Front|front] in [Ashford|ashford|city] and a [Blue Army|blue] compound in [Kelso|kelso|city].",
            &["front based_in ashford asserted", "blue based_in kelso asserted"],
        );
        // Someone else's premises: no base of the attacker.
        let got = run("[The Front|front] attacked an army compound in [Kelso|kelso|city].");
        assert!(
            got.iter().all(|r| r.relation_type != RelationType::BasedIn),
            "{got:?}"
        );
    }

    #[test]
    fn denying_any_involvement_denies_the_previous_charge() {
        let got: Vec<String> = run(
            "[Freedonia|fr|country] has accused [Sylvania|sy|country] of backing [the Front|front]. [Sylvania|sy|country] denies any involvement.",
        )
        .iter()
        .map(|r| format!("{} {} {} {}", r.source, r.relation_type, r.target, r.stance))
        .collect();
        assert!(
            got.contains(&"sy supports front alleged".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"sy supports front denied".to_string()),
            "{got:?}"
        );
    }

    #[test]
    fn a_front_for_a_group_is_its_faction() {
        check(
            "[Freedonia|fr|country] blames [the Hawk Brigade|hawk], which it says is a front for [the Front|front].",
            &["fr accuses hawk asserted", "hawk faction_of front asserted"],
        );
    }

    #[test]
    fn mediating_the_talks_named_before_stands_between_their_parties() {
        check(
            "Officials held talks in Ashford between [Freedonia|fr|country]'s envoy and a [Front|front] delegation. [Sylvania|sy|country] and [Ruritania|ru|country] mediated the negotiations.",
            &[
                "fr negotiates_with front asserted",
                "sy mediates fr asserted",
                "sy mediates front asserted",
                "ru mediates fr asserted",
                "ru mediates front asserted",
            ],
        );
    }

    #[test]
    fn factions_and_membership() {
        check(
            "[Jamaat-ul-Ahrar|jua], a splinter faction of [the TTP|ttp], struck first.",
            &["jua faction_of ttp asserted"],
        );
        check(
            "[Qari Amjad|amjad|person] was a senior member of [the TTP|ttp].",
            &["amjad member_of ttp asserted"],
        );
    }

    #[test]
    fn hostility_and_attacks() {
        check(
            "[The TTP|ttp] has waged war against [Pakistan|pk|country] since 2007.",
            &["ttp attacks pk asserted"],
        );
        check(
            "[ISKP|iskp] is the sworn enemy of [the Taliban|taliban].",
            &["iskp hostile_to taliban asserted"],
        );
    }

    #[test]
    fn talks_between_and_mediation() {
        check(
            "[Qatar|qa|country] facilitated talks between [Pakistan|pk|country] and [the TTP|ttp] in 2022.",
            &["qa mediates pk asserted", "qa mediates ttp asserted", "pk negotiates_with ttp asserted"],
        );
    }

    #[test]
    fn places_from_lists_and_fronted_phrases() {
        check(
            "[The TTP|ttp] operates in [Swat|swat|district], [Dir|dir|district], and [Bajaur|bajaur|district].",
            &["ttp operates_in swat asserted", "ttp operates_in dir asserted", "ttp operates_in bajaur asserted"],
        );
        check(
            "Based in [Kunar|kunar|province], the militant outfit [Lashkar-e-Islam|lei] recruits.",
            &["lei based_in kunar asserted"],
        );
        check(
            "Groups like [the BLA|bla] and [the BLF|blf] operate from [Iranian|ir|country] soil.",
            &["bla operates_in ir asserted", "blf operates_in ir asserted"],
        );
        check(
            "Monitors noted the presence of [ISKP|iskp] cells in provinces such as [Kunar|kunar|province] and [Nangarhar|ngr|province].",
            &["iskp operates_in kunar asserted", "iskp operates_in ngr asserted"],
        );
    }

    #[test]
    fn the_group_stands_for_the_last_armed_group() {
        check(
            "[Lashkar-e-Islam|lei] grew fast. Analysts say the group receives funding from [Dubai|dubai|city] donors.",
            &[],
        );
        check(
            "[Lashkar-e-Islam|lei] grew fast. The group has pledged allegiance to [ISKP|iskp].",
            &["lei allegiance_to iskp asserted"],
        );
    }

    #[test]
    fn passive_designation_and_sanctions() {
        check(
            "[Jaish-e-Mohammed|jem] was designated by [the UN|un|international_org] in 2001.",
            &["un designates jem asserted"],
        );
        check(
            "[The Treasury|treasury|government_body] imposed sanctions on [Hafiz Saeed|saeed|person].",
            &["treasury sanctions saeed asserted"],
        );
    }

    #[test]
    fn a_lone_actor_gives_no_relation() {
        check("[The TTP|ttp] attacked a checkpoint in the night.", &[]);
        check("Support for the cause is waning.", &[]);
    }

    #[test]
    fn a_descriptive_noun_phrase_is_an_anaphor() {
        check(
            "[Jamaat-ul-Ahrar|jua] regrouped. Based in [Kunar|kunar|province], the Islamist militant group has fought against [Pakistan|pk|country].",
            &["jua based_in kunar asserted", "jua attacks pk asserted"],
        );
    }

    #[test]
    fn an_object_before_and_is_not_the_subject() {
        check(
            "[Lashkar-e-Islam|lei] grew. The outfit, which has links to [al Qaeda|aq] and pledges allegiance to [ISKP|iskp], spread.",
            &["lei allied_with aq asserted", "lei allegiance_to iskp asserted"],
        );
    }

    #[test]
    fn the_possessed_entity_is_the_target() {
        check(
            "[Gen. Asif Ghafoor|ghafoor|person], who headed [Pakistan|pk|country]’s [ISPR|ispr|military], spoke.",
            &["ghafoor leads ispr asserted"],
        );
    }

    #[test]
    fn the_person_holds_the_role_whichever_side_names_them() {
        check(
            "[Iran|ir|country]’s ambassador to [Kabul|kabul|city], [Hassan Kazemi|kazemi|person], left.",
            &["kazemi member_of ir asserted"],
        );
    }

    #[test]
    fn a_generic_object_of_a_denial_is_the_paragraphs_group() {
        check(
            "The [Front|front] keeps camps near the border. [Kabul rulers|regime|armed_group] deny giving sanctuary to militant groups.",
            &["regime shelters front denied"],
        );
        // Not denied: a generic object names no one.
        check(
            "The [Front|front] keeps camps near the border. [Kabul rulers|regime|armed_group] offer sanctuary to militant groups.",
            &[],
        );
        // Another paragraph's group is not what the denial is about.
        check(
            "The [Front|front] keeps camps.\n\n[Kabul rulers|regime|armed_group] deny giving sanctuary to militant groups.",
            &[],
        );
    }

    #[test]
    fn a_denier_speaks_for_its_own_denial() {
        let src = "The [Front|front] trains here. While [Kabul rulers|regime|armed_group] deny harbouring the [Front|front], [UN|un|international_org] monitors said it gets arms.";
        let claims = all_claims(src);
        let denial = claims
            .relations
            .iter()
            .find(|r| r.stance == Stance::Denied)
            .map(|r| (r.source.as_str(), r.attributed_to.as_deref()));
        assert_eq!(denial, Some(("regime", Some("regime"))));
    }

    #[test]
    fn continuing_to_provide_a_group_is_support() {
        check(
            "The [Guard|guard] continued to provide the [Front|front] with fuel and cover.",
            &["guard supports front asserted"],
        );
    }

    #[test]
    fn support_received_from_runs_backward() {
        check(
            "The [Front|front] had received steady support from the [Guard|guard].",
            &["guard supports front asserted"],
        );
    }

    #[test]
    fn a_modal_across_a_comma_does_not_hedge_the_relation() {
        check(
            "The [Front|front] is deepening ties with the [Guard|guard], possibly making it the strongest faction.",
            &["front allied_with guard asserted"],
        );
        check(
            "The [Front|front] may be deepening ties with the [Guard|guard].",
            &["front allied_with guard speculative"],
        );
    }

    #[test]
    fn backing_a_view_of_an_actor_is_not_supporting_it() {
        check(
            "New data from the [Observatory|obs|international_org] supports [Ruritania|ruritania|country]’s concerns.",
            &[],
        );
        check(
            "The [Observatory|obs|international_org] supports [Ruritania|ruritania|country]'s army.",
            &["obs supports ruritania asserted"],
        );
    }

    #[test]
    fn denial_must_precede_its_trigger_closely() {
        check(
            "[Kabul|kabul-gov|government_body] denied the report, but in private it tolerated [the TTP|ttp].",
            &["kabul-gov shelters ttp asserted"],
        );
    }

    #[test]
    fn spans_cover_both_ends_and_the_trigger() {
        let rels = run("Earlier, [Tehran|ir|country] backed [the Zainabiyoun|zb] openly.");
        assert_eq!(rels.len(), 1);
        assert_eq!(rels[0].text, "Tehran backed the Zainabiyoun");
        assert!(rels[0].rule.contains("backed"));
    }

    /// `source type target stance attributed_to` lines, sorted.
    fn check_attr(src: &str, expect: &[&str]) {
        let mut got: Vec<String> = run(src)
            .iter()
            .map(|r| {
                let by = r.attributed_to.as_deref().unwrap_or("-");
                format!(
                    "{} {} {} {} {by}",
                    r.source, r.relation_type, r.target, r.stance
                )
            })
            .collect();
        got.sort();
        assert_eq!(got, expect, "{src}");
    }

    #[test]
    fn a_role_in_the_speakers_own_phrase_is_narration() {
        check_attr(
            "[Freedonia's Foreign Office|fo|government_body] spokesperson [Ann Lee|ann-lee|person] said talks would resume.",
            &["ann-lee member_of fo asserted -"],
        );
        check_attr(
            "The [Red Army|red], led by [Ann Lee|ann-lee|person], claimed the raid.",
            &["ann-lee leads red asserted -"],
        );
    }

    #[test]
    fn its_squad_named_after_a_comma_is_a_faction() {
        check(
            "The [Blue Front|blue] and its armed wing, the [Hawk Brigade|hawk], struck twice.",
            &["hawk faction_of blue asserted"],
        );
    }

    #[test]
    fn a_faction_that_rejoined_a_group_is_its_faction() {
        check(
            "The [Hawk faction|hawk|faction], which rejoined the [Front|front] last year, has grown.",
            &["hawk faction_of front asserted"],
        );
    }

    #[test]
    fn support_from_skips_a_place_in_a_locative_phrase() {
        check_attr(
            "According to a [United Nations|un|international_org] study, the [Front|front] keeps camps in [Sylvania|sylvania|country] and receives logistical support from the [Sylvan rulers|rulers].",
            &[
                "front operates_in sylvania asserted un",
                "rulers supports front asserted un",
            ],
        );
    }

    #[test]
    fn a_trailing_allegation_rejected_by_an_actor_is_its_denial() {
        check_attr(
            "Officials accuse [Ruritania|ruritania|country] of financing the [Blue Front|blue], an allegation [Ruritania|ruritania|country] has always denied.",
            &[
                "ruritania finances blue alleged Officials",
                "ruritania finances blue denied ruritania",
            ],
        );
    }

    #[test]
    fn rejecting_the_claim_denies_the_previous_sentences_relation() {
        check_attr(
            "[Ann Lee|ann-lee|person] said [Freedonia|freedonia|country] asked the [Sylvan rulers|rulers] to act against [Front|front] hideouts. \
             [Bob Roe|bob-roe|person], a spokesman for the [Sylvan rulers|rulers], rejected the claim.",
            &[
                "bob-roe member_of rulers asserted -",
                "rulers shelters front asserted ann-lee",
                "rulers shelters front denied rulers",
            ],
        );
        // Without a sanctuary word, asking someone to act names no shelter.
        check_attr(
            "[Freedonia|freedonia|country] asked the [Sylvan rulers|rulers] to act against the [Front|front] soon.",
            &[],
        );
    }

    #[test]
    fn a_named_kind_of_fighters_is_a_literal_target() {
        check_attr(
            "Officials in [Fredville|fredville|city] accuse [Ruritania|ruritania|country] of financing the Blue separatists, an allegation [Ruritania|ruritania|country] has rejected.",
            &[
                "ruritania finances Blue separatists alleged Officials in Fredville",
                "ruritania finances Blue separatists denied ruritania",
            ],
        );
        // Lowercase words are no name: no target.
        check_attr(
            "[Ruritania|ruritania|country] is financing the local rebels.",
            &[],
        );
    }

    #[test]
    fn a_country_after_a_city_and_comma_only_locates_it() {
        check(
            "The [Front|front] is based in [Fredville|fredville|city], [Ruritania|ruritania|country].",
            &["front based_in fredville asserted"],
        );
        check(
            "The [Front|front] is active in [Ruritania|ruritania|country], [Sylvania|sylvania|country] and [Borduria|borduria|country].",
            &[
                "front operates_in borduria asserted",
                "front operates_in ruritania asserted",
                "front operates_in sylvania asserted",
            ],
        );
    }

    #[test]
    fn a_list_after_an_abbreviated_name_goes_on() {
        check(
            "[The Front|front] has long fought against the [U.S|us|country]. and [NATO|nato|international_org] troops in the valley.",
            &["front attacks nato asserted", "front attacks us asserted"],
        );
    }

    #[test]
    fn an_example_list_may_come_well_after_the_enmity_phrase() {
        check(
            "[The Front|front] is the declared enemy of every party to the regional conflict, including [Ruritania|ruritania|country], the [Guard|guard] and [Sylvania|sylvania|country].",
            &[
                "front hostile_to guard asserted",
                "front hostile_to ruritania asserted",
                "front hostile_to sylvania asserted",
            ],
        );
    }

    #[test]
    fn fighting_alongside_an_ally_against_others() {
        check(
            "[The Blue Front|blue] fought for a decade alongside [the Red Army|red] against [Ruritania|ruritania|country] and [Sylvania|sylvania|country].",
            &[
                "blue allied_with red asserted",
                "blue hostile_to ruritania asserted",
                "blue hostile_to sylvania asserted",
                "red hostile_to ruritania asserted",
                "red hostile_to sylvania asserted",
            ],
        );
        // Without a fighting verb before it, "alongside" is only company.
        check(
            "[Ann Lee|ann|person] was photographed alongside [Bob Roe|bob|person] in 2019.",
            &[],
        );
    }

    #[test]
    fn a_second_verb_shares_the_first_verbs_subject() {
        check(
            "Critics noted that the small outfit had sworn allegiance to [the Red Army|red] and had fought for years alongside them against [Ruritania|ruritania|country].",
            &[],
        );
        check(
            "[The Blue Front|blue] grew. Critics noted that the small outfit had sworn allegiance to [the Red Army|red] and had fought for years alongside them against [Ruritania|ruritania|country].",
            &[
                "blue allegiance_to red asserted",
                "blue allied_with red asserted",
                "blue hostile_to ruritania asserted",
                "red hostile_to ruritania asserted",
            ],
        );
    }

    #[test]
    fn helping_one_side_fight_another() {
        check(
            "[Ruritania|ruritania|country] vowed to help [Sylvania|sylvania|country] fight [the Blue Front|blue].",
            &[
                "ruritania hostile_to blue asserted",
                "ruritania supports sylvania asserted",
            ],
        );
        check(
            "[Ruritania|ruritania|country] may be backing [Sylvania|sylvania|country] against [the Blue Front|blue].",
            &[
                "ruritania hostile_to blue speculative",
                "ruritania supports sylvania speculative",
            ],
        );
    }

    #[test]
    fn driving_a_group_out_of_a_place() {
        check(
            "[Ruritania|ruritania|country] drove [the Blue Front|blue] out of [Fredville|fredville|city] last spring.",
            &[
                "blue operates_in fredville asserted",
                "ruritania attacks blue asserted",
            ],
        );
    }

    #[test]
    fn its_fighters_are_the_clauses_subject() {
        check(
            "One faction, [the Blue Front|blue], kept a truce with [the army|army|military], but its fighters soon turned their guns on [the police|police|government_body].",
            &[
                "blue attacks police asserted",
                "blue negotiates_with army asserted",
            ],
        );
    }

    #[test]
    fn a_place_before_where_holds_the_actor_after_it() {
        check(
            "Most raids hit [Fredland province|fred|province], where [the Blue Front|blue] kept several strongholds until 2019.",
            &["blue operates_in fred asserted"],
        );
        // The actor must sit after "where", not before the place.
        check(
            "[The Blue Front|blue] raided [Fredland province|fred|province], where strongholds stood.",
            &[],
        );
    }

    #[test]
    fn recruiting_among_a_community_in_a_place() {
        check(
            "[The Blue Front|blue] tried to recruit among exile communities in [Sylvania|sylvania|country].",
            &["blue operates_in sylvania asserted"],
        );
        // Other place cues keep to their short reach.
        check(
            "[The Blue Front|blue] will focus on the worsening economic situation in [Sylvania|sylvania|country].",
            &[],
        );
    }

    #[test]
    fn viewing_a_group_with_suspicion_is_hostility() {
        check(
            "[Ruritania|ruritania|country] long viewed [the Green Movement|green] with suspicion.",
            &["ruritania hostile_to green asserted"],
        );
        check(
            "[Ruritania|ruritania|country] viewed [the Green Movement|green] as a partner.",
            &[],
        );
    }

    #[test]
    fn a_name_after_anti_describes_someone_else() {
        check(
            "[Ruritania|ruritania|country] tolerates anti-[Sylvania|sylvania|country] militias.",
            &[],
        );
        check(
            "[Ruritania|ruritania|country] viewed anti-[Sylvania|sylvania|country] groups such as [the Green Movement|green] with suspicion.",
            &["ruritania hostile_to green asserted"],
        );
    }

    #[test]
    fn a_name_in_an_appositive_is_not_the_subject() {
        check(
            "[The Blue Front|blue], the most violent offshoot of [the Red Army|red], is the sworn enemy of [Ruritania|ruritania|country].",
            &["blue faction_of red asserted", "blue hostile_to ruritania asserted"],
        );
    }

    #[test]
    fn war_and_crackdowns_are_hostility() {
        check(
            "[Ruritania|ruritania|country] is at war with [the Blue Front|blue] and [the Red Army|red].",
            &["ruritania hostile_to blue asserted", "ruritania hostile_to red asserted"],
        );
        check(
            "[Ruritania|ruritania|country] cracked down on [the Green Movement|green] in May.",
            &["ruritania hostile_to green asserted"],
        );
    }

    #[test]
    fn two_named_together_are_allies() {
        check(
            "[The Blue Front|blue] and [the Red Army|red] are close allies.",
            &["blue allied_with red asserted"],
        );
        check(
            "[The Blue Front|blue] and its recruits are close allies.",
            &[],
        );
    }

    #[test]
    fn a_hyphenated_participle_qualifies_its_own_noun_phrase() {
        check(
            "The [Ruritania|ruritania|country]-led coalition forces in [Sylvania|sylvania|country] withdrew.",
            &[],
        );
        check(
            "The [Ann Lee|ann|person]-led [Blue Front|blue] withdrew.",
            &["ann leads blue asserted"],
        );
    }

    #[test]
    fn a_sourceless_shelter_is_the_host_countrys() {
        // Kabul governs Afghanistan in the metonymy data.
        check(
            "The statement also denied the presence of [Front|front] fighters in [Afghanistan|afghanistan|country].",
            &["afghan-taliban shelters front denied", "front operates_in afghanistan denied"],
        );
        check(
            "Monitors reported safe havens for the [Front|front] inside [Ruritania|ruritania|country].",
            &["ruritania shelters front reported"],
        );
    }

    #[test]
    fn a_sourceless_designation_is_by_the_government_of_the_place_named() {
        check(
            "Back in [Washington|washington|city], a bill that would designate the [Front|front] a terrorist group gains support.",
            &["united-states designates front speculative"],
        );
    }

    #[test]
    fn the_statement_denying_speaks_for_the_previous_speaker() {
        let src = "[Ruritania's foreign ministry|rfm|government_body] issued a warning to [Sylvania|sylvania|country] on Monday, stating that it would defend its borders. \
                   The statement also denied the presence of [Front|front] fighters in [Ruritania|ruritania|country].";
        let claims = all_claims(src);
        let shelter = claims
            .relations
            .iter()
            .find(|r| r.relation_type == RelationType::Shelters)
            .map(|r| (r.source.as_str(), r.stance, r.attributed_to.as_deref()));
        assert_eq!(
            shelter,
            Some(("ruritania", Stance::Denied, Some("rfm"))),
            "{:?}",
            claims.relations
        );
    }

    #[test]
    fn pacts_pairs_at_odds_clashes_and_proxies() {
        check(
            "[The Blue Front|blue] kept a quiet pact with [the army|army|military] for years.",
            &["blue negotiates_with army asserted"],
        );
        check(
            "[Ruritania|ruritania|country] and [Sylvania|sylvania|country] have been at loggerheads over the dam.",
            &["ruritania hostile_to sylvania asserted"],
        );
        check(
            "Deadly clashes between [the Blue Front|blue] and [the Red Army|red] broke out.",
            &["blue hostile_to red asserted"],
        );
        check(
            "[Ruritania|ruritania|country] might use [the Blue Front|blue] as its proxy in the valley.",
            &["ruritania supports blue speculative"],
        );
        check(
            "[Ruritania|ruritania|country] used [the Blue Front|blue] routes to smuggle fuel.",
            &[],
        );
    }

    #[test]
    fn the_group_in_a_paragraph_naming_none_is_the_previous_paragraphs() {
        check(
            "[The Red Army|red] split. [The Blue Front|blue] was founded in 2007.\n\n[Ruritania|ruritania|country] drove the group out of [Fredville|fredville|city] in 2015.",
            &[
                "blue operates_in fredville asserted",
                "ruritania attacks blue asserted",
            ],
        );
        // Two paragraphs back is too far.
        check(
            "[The Blue Front|blue] was founded in 2007.\n\nIt was a cold year.\n\n[Ruritania|ruritania|country] drove the group out of [Fredville|fredville|city] in 2015.",
            &[],
        );
    }

    #[test]
    fn the_groups_leader_is_not_the_group() {
        check(
            "[The Blue Front|blue] grew. [Ann Lee|ann|person], the group's leader, is based in [Fredville|fredville|city].",
            &["ann based_in fredville asserted"],
        );
        check(
            "[The Blue Front|blue] grew. The group's fighters are based in [Fredville|fredville|city].",
            &["blue based_in fredville asserted"],
        );
    }

    #[test]
    fn only_enmity_and_alliance_lists_reach_far() {
        check(
            "[Ruritania|ruritania|country] supports the peace efforts of the neighbouring states of the region, including [Sylvania|sylvania|country].",
            &[],
        );
    }

    #[test]
    fn a_relative_clause_belongs_to_the_noun_before_its_comma() {
        check(
            "[Ruritania|ruritania|country] vowed to protect foreign engineers, who have been attacked by [the Blue Front|blue].",
            &[],
        );
        check(
            "[The Blue Front|blue], which is allied with [the Red Army|red], grew.",
            &["blue allied_with red asserted"],
        );
        check(
            "The [Hawk|hawk|faction] faction, which is allied with [the Red Army|red], grew.",
            &["hawk allied_with red asserted"],
        );
    }

    #[test]
    fn driving_out_with_no_one_named_still_places_the_group() {
        check(
            "In 2014 an operation began to drive [the Blue Front|blue] out of [Fredville|fredville|city].",
            &["blue operates_in fredville asserted"],
        );
    }

    #[test]
    fn its_fighters_opening_a_sentence_are_the_previous_sentences_subject() {
        check(
            "[The Blue Front|blue], a faction inside [the Red Army|red], keeps ties with [the Green Cell|green]. Its fighters fought alongside [the Red Army|red] against [Ruritania|ruritania|country].",
            &[
                "blue allied_with green asserted",
                "blue allied_with red asserted",
                "blue hostile_to ruritania asserted",
                "red hostile_to ruritania asserted",
            ],
        );
    }

    #[test]
    fn a_participle_after_a_comma_has_the_main_subject() {
        check(
            "[The Blue Front|blue] fought [the Ruritanian state|ruritania|country] for years, targeting [the Sylvan mission|sylvania|country] too.",
            &["blue attacks ruritania asserted", "blue attacks sylvania asserted"],
        );
    }

    #[test]
    fn a_name_glued_to_a_participle_qualifies_the_noun_after_it() {
        check(
            "[The Blue Front|blue] attacked [Ruritania|ruritania|country]-funded schools in [Sylvania|sylvania|country].",
            &[],
        );
        check(
            "[The Blue Front|blue] fought against the [Ruritania|ruritania|country]-led forces in [Sylvania|sylvania|country].",
            &["blue attacks ruritania asserted"],
        );
        check(
            "The [Ruritania|ruritania|country]-funded [Blue Front|blue] grew.",
            &["ruritania finances blue asserted"],
        );
    }

    #[test]
    fn the_subject_before_a_relative_clause_does_the_verb_after_it() {
        check(
            "[The Blue Front|blue] grew. The group, which has ties to [the Red Army|red], raided [Sylvania|sylvania|country] posts.",
            &["blue allied_with red asserted"],
        );
        check(
            "[The Blue Front|blue] grew. The group, which has ties to [the Red Army|red], attacked [Sylvania|sylvania|country].",
            &["blue allied_with red asserted", "blue attacks sylvania asserted"],
        );
    }

    #[test]
    fn an_accused_party_is_no_accuser() {
        check(
            "[Ruritania|ruritania|country] has long been accused of hosting [the Blue Front|blue].",
            &["ruritania shelters blue alleged"],
        );
        check(
            "[The TTP|ttp] is allied with [the Front|front].",
            &["ttp allied_with front asserted"],
        );
    }

    #[test]
    fn a_trailing_charge_may_follow_the_targets_head_noun() {
        check_attr(
            "[Ruritania|ruritania|country] accused [Sylvania|sylvania|country] of harbouring [Front|front] fighters, a charge [Sylvania|sylvania|country] denies.",
            &[
                "ruritania accuses sylvania alleged -",
                "sylvania shelters front alleged -",
                "sylvania shelters front denied sylvania",
            ],
        );
    }

    #[test]
    fn an_object_anaphor_that_is_the_subject_gives_way_to_the_name_after_it() {
        check(
            "[The Guard|guard] deny harbouring the group and call the [Front|front] a foreign problem.",
            &["guard shelters front denied"],
        );
    }

    #[test]
    fn the_group_opening_a_sentence_is_the_previous_subject() {
        check(
            "[The Blue Front|blue] is at war with [the Red Army|red]. The group opposes [Ruritania|ruritania|country].",
            &["blue hostile_to red asserted", "blue hostile_to ruritania asserted"],
        );
    }

    #[test]
    fn the_groups_hideouts_are_the_groups() {
        check(
            "[The Blue Front|blue] grew. The group's hideouts in [Fredville|fredville|city] were raided.",
            &["blue operates_in fredville asserted"],
        );
    }

    #[test]
    fn an_object_and_its_manner_before_a_second_verb() {
        check(
            "[Ruritania|ruritania|country] long viewed [the Green Movement|green] with suspicion and cracked down on [the Blue Front|blue].",
            &["ruritania hostile_to blue asserted", "ruritania hostile_to green asserted"],
        );
    }

    #[test]
    fn a_pronoun_opening_a_sentence_keeps_to_the_latest_group_and_subjects_may_be_lists() {
        check(
            "[The Blue Front|blue] met [the Red Army|red]. They set up camps in [Fredville|fredville|city].",
            &["red operates_in fredville asserted"],
        );
        check(
            "[Ruritanian|ruritania|country] envoys and tribal elders held talks with [the Blue Front|blue].",
            &["ruritania negotiates_with blue asserted"],
        );
    }

    #[test]
    fn odd_text_around_the_new_cues_never_panics() {
        // Fragments that reach every new rule, joined in a deterministic pseudo-random order
        // with multibyte text in between.
        let parts = [
            "[Blue|blue]",
            "[Rur|rur|country]",
            "[Fred|fred|city]",
            "[Tehran|tehran|city]",
            " fought alongside ",
            " them ",
            " against ",
            "-led ",
            "-funded ",
            ", where ",
            " the group's ",
            " its fighters ",
            ", which ",
            ", targeting ",
            " has been accused ",
            " are allies",
            " at odds ",
            " out of ",
            " in ",
            " é€ ",
            "’s ",
            ", a charge ",
            " denies.",
            " The statement also denied the presence of ",
            " safe havens for ",
            " urged ",
            " to ",
            " drove ",
            " viewed ",
            " with suspicion and cracked down on ",
            ". ",
            "\n\n",
            " U.S",
            ". and ",
            " including ",
            " recruits among ",
        ];
        let extractor = crate::ClaimExtractor::default();
        let mut seed: u64 = 7;
        for _ in 0..300 {
            let mut src = String::new();
            for _ in 0..14 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                src.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            let (text, ents) = fixture(&src);
            let input = ClaimInput {
                doc: "d",
                text: &text,
                published: None,
                entities: &ents,
            };
            let _ = extractor.extract(&input);
        }
    }

    #[test]
    fn a_source_named_before_a_bare_comma_is_no_list_member() {
        check(
            "According to the [Monitor|monitor|international_org], the [Blue Front|blue] keeps camps in [Fredville|fredville|city].",
            &["blue operates_in fredville asserted"],
        );
        check(
            "[The Blue Front|blue], [the Red Army|red] and [the Green Cell|green] keep camps in [Fredville|fredville|city].",
            &[
                "blue operates_in fredville asserted",
                "green operates_in fredville asserted",
                "red operates_in fredville asserted",
            ],
        );
    }

    #[test]
    fn support_to_the_group_and_a_states_proxy() {
        check(
            "[The Blue Front|blue] grew. [The Red Army|red] provides guidance and support to the group.",
            &["red supports blue asserted"],
        );
        check(
            "Troops killed eight members of the [Ruritanian|ruritania|country] proxy [Blue Front|blue].",
            &["ruritania supports blue asserted"],
        );
    }
}
