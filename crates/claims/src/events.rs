//! Events: specific occurrences (an attack, a strike, talks) with date, place,
//! perpetrator, target and casualties.
//!
//! A trigger from `data/claims/events.toml` makes an event only when the sentence
//! pins it down — a date, a place, a definite article, a claim of responsibility —
//! so that "attacks have risen" (a trend, counted by figures) is not an event.
//! Triggers of one type in a sentence are one event; a generic "attack" yields to
//! a more specific type in the same sentence. The event's span is its sentence.

use std::collections::HashMap;

use dossier_model::{DatePrecision, EntityType, Event, EventType, Span};
use serde::Deserialize;

use crate::attribution::attribute;
use crate::dates;
use crate::relations::{can_act, DocEntities, Phrases};
use crate::tokens::Tokens;
use crate::{ClaimInput, Lexicon, LexiconError};

const EVENTS_TOML: &str = include_str!("../../../data/claims/events.toml");

/// How far before a trigger its determiners and counts are looked for, in bytes.
const PRE: usize = 28;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Needs the sentence to pin it down.
    Trigger,
    /// An occurrence by itself.
    Occurrence,
    /// Generic unless a series cue or definite article precedes it.
    Plural,
}

/// Event cues from `events.toml`.
#[derive(Debug, Clone)]
pub struct EventRules {
    triggers: Phrases<(EventType, Form)>,
    statement_verbs: Phrases<()>,
    definite: Phrases<()>,
    series: Phrases<()>,
    counts: Phrases<()>,
    hypothetical: Phrases<()>,
    claims: Phrases<()>,
    did: Phrases<()>,
    by: Phrases<()>,
    target_cues: Phrases<()>,
    killed: Phrases<()>,
    injured: Phrases<()>,
    numbers: HashMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsFile {
    event: Vec<EventFile>,
    statement: VerbsFile,
    specific: SpecificFile,
    hypothetical: WordsFile,
    perpetrator: PerpetratorFile,
    target: TargetFile,
    casualties: CasualtiesFile,
    numbers: HashMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFile {
    #[serde(rename = "type")]
    event_type: String,
    triggers: Vec<String>,
    #[serde(default)]
    occurrences: Vec<String>,
    #[serde(default)]
    plurals: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerbsFile {
    verbs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordsFile {
    words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecificFile {
    definite: Vec<String>,
    series: Vec<String>,
    counts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PerpetratorFile {
    did: Vec<String>,
    claims: Vec<String>,
    by: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetFile {
    cues: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CasualtiesFile {
    killed: Vec<String>,
    injured: Vec<String>,
}

impl Default for EventRules {
    fn default() -> Self {
        // Checked by a unit test; an empty rule set keeps a broken build from panicking.
        EventRules::from_toml(EVENTS_TOML).unwrap_or_else(|_| EventRules::empty())
    }
}

fn words(v: Vec<String>) -> Vec<(String, ())> {
    v.into_iter().map(|w| (w, ())).collect()
}

impl EventRules {
    fn empty() -> Self {
        let none = Phrases::none;
        EventRules {
            triggers: Phrases::none(),
            statement_verbs: none(),
            definite: none(),
            series: none(),
            counts: none(),
            hypothetical: none(),
            claims: none(),
            did: none(),
            by: none(),
            target_cues: none(),
            killed: none(),
            injured: none(),
            numbers: HashMap::new(),
        }
    }

    /// Parses the text of an `events.toml` file.
    pub fn from_toml(source: &str) -> Result<Self, LexiconError> {
        let invalid = |message: String| LexiconError::Invalid {
            file: "events.toml".into(),
            message,
        };
        let raw: EventsFile = toml::from_str(source).map_err(|e| invalid(e.to_string()))?;
        let mut triggers = Vec::new();
        for e in raw.event {
            let t: EventType = e.event_type.parse().map_err(invalid)?;
            for (list, form) in [
                (e.triggers, Form::Trigger),
                (e.occurrences, Form::Occurrence),
                (e.plurals, Form::Plural),
            ] {
                triggers.extend(list.into_iter().map(|p| (p, (t, form))));
            }
        }
        let phrases = |v: Vec<String>| Phrases::new(words(v)).map_err(invalid);
        Ok(EventRules {
            triggers: Phrases::new(triggers).map_err(invalid)?,
            statement_verbs: phrases(raw.statement.verbs)?,
            definite: phrases(raw.specific.definite)?,
            series: phrases(raw.specific.series)?,
            counts: phrases(raw.specific.counts)?,
            hypothetical: phrases(raw.hypothetical.words)?,
            claims: phrases(raw.perpetrator.claims)?,
            did: phrases(raw.perpetrator.did)?,
            by: phrases(raw.perpetrator.by)?,
            target_cues: phrases(raw.target.cues)?,
            killed: phrases(raw.casualties.killed)?,
            injured: phrases(raw.casualties.injured)?,
            numbers: raw
                .numbers
                .into_iter()
                .map(|(k, v)| (k.to_lowercase(), v))
                .collect(),
        })
    }
}

/// One event being assembled from the triggers of a sentence.
struct Draft {
    event_type: EventType,
    triggers: Vec<Span>,
    killed: Option<f64>,
    injured: Option<f64>,
}

/// Events stated in the document.
pub(crate) fn extract(
    rules: &EventRules,
    lexicon: &Lexicon,
    input: &ClaimInput<'_>,
    doc: &DocEntities<'_>,
    tokens: &Tokens<'_>,
    sentence_spans: &[Span],
) -> Vec<Event> {
    let mut out = Vec::new();
    for &sent in sentence_spans {
        let triggers = rules.triggers.find(input.text, sent);
        let verbs = rules.statement_verbs.find(input.text, sent);
        // Most sentences name no event: skip the date search for them.
        if triggers.is_empty() && verbs.is_empty() {
            continue;
        }
        let found_dates = dates::find_dates(input.text, sent, input.published);
        let drafts = drafts(rules, input, doc, sent, &triggers, &verbs, &found_dates);
        if drafts.is_empty() {
            continue;
        }
        let ents = doc.within(sent);
        let claimer = claimed_by(rules, doc, sent);
        for d in drafts {
            let anchor = d.triggers[0];
            let date = found_dates
                .iter()
                .min_by_key(|(s, _, _)| s.start.abs_diff(anchor.start))
                .map(|(_, v, p)| (v.clone(), *p));
            let perpetrator = if d.event_type == EventType::Statement {
                // Only a named speaker: a literal source may be any noun phrase.
                let (lo, hi) = tokens.range(sent.start, sent.end);
                attribute(&lexicon.figures, tokens, lo, hi, None)
                    .source
                    .filter(|s| ents.iter().any(|e| &e.id == s))
            } else {
                d.triggers
                    .iter()
                    .find_map(|&t| perpetrator(rules, doc, sent, t))
                    .or_else(|| claimer.clone())
            };
            let (date, date_precision) = match date {
                Some((v, p)) => (Some(v), p),
                None => (None, DatePrecision::Unknown),
            };
            out.push(Event {
                doc: input.doc.to_string(),
                event_type: d.event_type,
                date,
                date_precision,
                place: best_place(ents, anchor).map(|e| e.id.clone()),
                perpetrator,
                target: target(rules, doc, sent, anchor),
                killed: d.killed,
                injured: d.injured,
                start: sent.start,
                end: sent.end,
                text: sent.slice(input.text).to_string(),
                rule: format!("event:{}", anchor.slice(input.text).to_lowercase()),
            });
        }
    }
    out
}

/// A cue phrase found in a sentence, with its value.
type Hit<'r, V> = (Span, &'r V);

/// The events of one sentence, before date, place and participants.
#[allow(clippy::too_many_arguments)]
fn drafts(
    rules: &EventRules,
    input: &ClaimInput<'_>,
    doc: &DocEntities<'_>,
    sent: Span,
    triggers: &[Hit<'_, (EventType, Form)>],
    verbs: &[Hit<'_, ()>],
    found_dates: &[(Span, String, DatePrecision)],
) -> Vec<Draft> {
    let text = input.text;
    let mut hits: Vec<(Span, EventType)> = Vec::new();
    let ents = doc.within(sent);
    let mut pinned: Option<bool> = None;
    for &(span, &(t, form)) in triggers {
        if ents
            .iter()
            .any(|e| Span::new(e.start, e.end).overlaps(span))
        {
            continue;
        }
        let pre = before(text, sent, span.start, PRE);
        if ends_with_count(rules, text, pre) || rules.hypothetical.any_in(text, pre) {
            continue;
        }
        let keep = match form {
            Form::Occurrence => true,
            Form::Plural => {
                determines(&rules.series, text, pre) || determines(&rules.definite, text, pre)
            }
            Form::Trigger => {
                determines(&rules.definite, text, pre)
                    || *pinned.get_or_insert_with(|| {
                        // A country alone ("attacks in Pakistan") does not pin an event down.
                        !found_dates.is_empty()
                            || ents.iter().any(|e| {
                                e.entity_type.is_place() && e.entity_type != EntityType::Country
                            })
                            || rules.claims.any_in(text, sent)
                    })
            }
        };
        if keep {
            hits.push((span, t));
        }
    }
    // "said in June 2021": a reporting verb is news when a date follows it.
    for &(verb, _) in verbs {
        let dated = found_dates
            .iter()
            .any(|(d, _, _)| d.start >= verb.end && d.start - verb.end <= 25);
        if dated {
            hits.push((verb, EventType::Statement));
        }
    }
    hits.sort_by_key(|(s, _)| s.start);
    let mut drafts: Vec<Draft> = Vec::new();
    for (span, t) in hits {
        match drafts.iter_mut().find(|d| d.event_type == t) {
            Some(d) => d.triggers.push(span),
            None => drafts.push(Draft {
                event_type: t,
                triggers: vec![span],
                killed: None,
                injured: None,
            }),
        }
    }
    let specific_attack = drafts.iter().any(|d| {
        use EventType::*;
        matches!(
            d.event_type,
            SuicideBombing | Bombing | ArmedAssault | Hijacking | Assassination | Kidnapping
        )
    });
    let suicide = drafts
        .iter()
        .any(|d| d.event_type == EventType::SuicideBombing);
    let fighting = drafts
        .iter()
        .any(|d| matches!(d.event_type, EventType::Clash | EventType::Airstrike));
    drafts.retain(|d| match d.event_type {
        EventType::Attack => !specific_attack,
        EventType::Killing => !specific_attack && !fighting,
        EventType::Bombing => !suicide,
        _ => true,
    });
    casualties(rules, text, sent, &mut drafts);
    drafts
}

/// A determiner of the trigger's own noun phrase: at most two words between it and
/// the trigger, no punctuation ("the brazen Bannu assault", "a series of Iranian
/// airstrikes").
fn determines(cues: &Phrases<()>, text: &str, pre: Span) -> bool {
    cues.find(text, pre).iter().any(|(s, _)| {
        let gap = text.get(s.end..pre.end).unwrap_or("x");
        gap.split_whitespace().count() <= 2 && !gap.contains([',', ';', ':', '.', '—'])
    })
}

/// The up to `n` bytes of the sentence before `pos`, on char boundaries.
fn before(text: &str, sent: Span, pos: usize, n: usize) -> Span {
    let lo = pos.saturating_sub(n).max(sent.start);
    let lo = (lo..=pos)
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(pos);
    Span::new(lo, pos)
}

/// "48 attacks", "dozens of bombings": the trigger is counted, not told.
fn ends_with_count(rules: &EventRules, text: &str, pre: Span) -> bool {
    let body = pre.slice(text).trim_end();
    let last_word = body
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    if last_word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    let trimmed_end = pre.start + body.len();
    rules
        .counts
        .find(text, pre)
        .iter()
        .any(|(s, _)| trimmed_end - s.end <= 1)
}

/// Killed and injured counts, each given to the event whose trigger comes last
/// before the cue (the first event when none does).
fn casualties(rules: &EventRules, text: &str, sent: Span, drafts: &mut [Draft]) {
    if drafts.is_empty() {
        return;
    }
    for (cue, killed) in rules
        .killed
        .find(text, sent)
        .into_iter()
        .map(|(s, _)| (s, true))
        .chain(
            rules
                .injured
                .find(text, sent)
                .into_iter()
                .map(|(s, _)| (s, false)),
        )
    {
        let Some(n) = count_near(rules, text, sent, cue) else {
            continue;
        };
        let owner = drafts
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.triggers.iter().any(|t| t.start <= cue.start).then_some(i))
            .next_back()
            .unwrap_or(0);
        let slot = if killed {
            &mut drafts[owner].killed
        } else {
            &mut drafts[owner].injured
        };
        if slot.is_none() {
            *slot = Some(n);
        }
    }
}

/// The number a casualty cue counts: right after it ("killing six people") or
/// summed over the noun phrase before it ("two policemen and a driver were killed").
fn count_near(rules: &EventRules, text: &str, sent: Span, cue: Span) -> Option<f64> {
    let after_hi = (cue.end + 30).min(sent.end);
    let after_hi = (cue.end..=after_hi)
        .rev()
        .find(|&i| text.is_char_boundary(i))?;
    let after = text.get(cue.end..after_hi)?;
    let mut seen = 0;
    for w in after
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if w.ends_with([',', '.', ';'])
            && number(rules, w.trim_end_matches([',', '.', ';'])).is_none()
        {
            break;
        }
        if let Some(n) = number(rules, w).filter(|_| !matches!(w, "a" | "an")) {
            return Some(n);
        }
        seen += 1;
        if seen >= 3
            || !matches!(
                w,
                "at" | "least"
                    | "more"
                    | "than"
                    | "over"
                    | "nearly"
                    | "some"
                    | "about"
                    | "around"
                    | "almost"
                    | "up"
                    | "to"
            )
        {
            break;
        }
    }
    let pre = before(text, sent, cue.start, 70);
    let body = pre.slice(text);
    // Only the noun phrase right before the cue: stop at clause punctuation.
    let body = body.rsplit([',', ';', ':', '(', '—']).next().unwrap_or("");
    let tokens: Vec<&str> = body.split_whitespace().collect();
    let mut total = 0.0;
    let mut found = false;
    let mut last_dozen = false;
    for (i, w) in tokens.iter().enumerate() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != ',');
        let lower = w.to_lowercase();
        if lower == "dozen" {
            if !last_dozen && !found {
                total = 12.0;
            }
            found = true;
            continue;
        }
        last_dozen = false;
        let Some(n) = number(rules, &lower) else {
            continue;
        };
        // "a"/"an" counts one only after "and" ("two soldiers and a driver");
        // before "dozen" it is the dozen itself.
        if matches!(lower.as_str(), "a" | "an") {
            let next_dozen = tokens
                .get(i + 1)
                .is_some_and(|t| t.eq_ignore_ascii_case("dozen"));
            let after_and = i > 0 && tokens[i - 1].eq_ignore_ascii_case("and");
            if next_dozen {
                total += 12.0;
                found = true;
                last_dozen = true;
            } else if after_and && found {
                total += 1.0;
            }
            continue;
        }
        total += n;
        found = true;
    }
    found.then_some(total)
}

fn number(rules: &EventRules, w: &str) -> Option<f64> {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    if w.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let digits: String = w.chars().filter(|c| *c != ',').collect();
        return digits
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n < 1e7);
    }
    rules.numbers.get(&w.to_lowercase()).copied()
}

fn is_perpetrator(t: EntityType) -> bool {
    can_act(t)
}

/// "<group> claimed responsibility": the claimant, for any event of the sentence.
fn claimed_by(rules: &EventRules, doc: &DocEntities<'_>, sent: Span) -> Option<String> {
    let (cue, _) = rules.claims.find(doc.text, sent).into_iter().next()?;
    doc.within(Span::new(sent.start, cue.start))
        .iter()
        .rev()
        .find(|e| is_perpetrator(e.entity_type) && cue.start - e.end <= 40)
        .map(|e| e.id.clone())
}

/// Who did it, from the trigger's surroundings.
fn perpetrator(
    rules: &EventRules,
    doc: &DocEntities<'_>,
    sent: Span,
    trig: Span,
) -> Option<String> {
    let text = doc.text;
    let ents = doc.within(sent);
    // "Pakistani airstrikes", "the BLA’s attack"
    let touching = ents.iter().rev().find(|e| {
        e.end <= trig.start && {
            let gap = text.get(e.end..trig.start).unwrap_or("x").trim();
            matches!(gap, "" | "’s" | "'s" | "-claimed" | "-led")
        }
    });
    if let Some(e) = touching.filter(|e| is_perpetrator(e.entity_type)) {
        return Some(e.id.clone());
    }
    // "fired by the Taliban", "carried out by the BLA"
    let after_hi = (trig.end + 40).min(sent.end);
    let after_hi = (trig.end..=after_hi)
        .rev()
        .find(|&i| text.is_char_boundary(i))?;
    for (cue, _) in rules.by.find(text, Span::new(trig.end, after_hi)) {
        let e = ents.iter().find(|e| {
            e.start >= cue.end && e.start - cue.end <= 12 && is_perpetrator(e.entity_type)
        });
        if let Some(e) = e {
            return Some(e.id.clone());
        }
    }
    // "The TTP carried out a suicide attack"
    let pre = before(text, sent, trig.start, 40);
    if let Some((verb, _)) = rules.did.find(text, pre).into_iter().last() {
        let e = ents.iter().rev().find(|e| {
            e.end <= verb.start && verb.start - e.end <= 30 && is_perpetrator(e.entity_type)
        });
        if let Some(e) = e {
            return Some(e.id.clone());
        }
    }
    None
}

/// The most specific place of the sentence, nearest the trigger on ties.
fn best_place(ents: &[crate::EntitySpan], anchor: Span) -> Option<&crate::EntitySpan> {
    fn rank(t: EntityType) -> u8 {
        use EntityType::*;
        match t {
            Facility | Town | City | District => 3,
            BorderCrossing => 2,
            Province | Region => 1,
            _ => 0,
        }
    }
    ents.iter()
        .filter(|e| e.entity_type.is_place())
        .min_by_key(|e| {
            (
                std::cmp::Reverse(rank(e.entity_type)),
                e.start.abs_diff(anchor.start),
            )
        })
}

/// "attack on the police station": the phrase after a target cue, as an entity id
/// when it holds one.
fn target(rules: &EventRules, doc: &DocEntities<'_>, sent: Span, trig: Span) -> Option<String> {
    let text = doc.text;
    let hi = (trig.end + 14).min(sent.end);
    let hi = (trig.end..=hi).rev().find(|&i| text.is_char_boundary(i))?;
    let (cue, _) = rules
        .target_cues
        .find(text, Span::new(trig.end, hi))
        .into_iter()
        .find(|(c, _)| {
            text.get(trig.end..c.start)
                .is_some_and(|g| g.trim().is_empty())
        })?;
    let rest = text.get(cue.end..sent.end)?;
    let mut end = cue.end;
    let mut n = 0;
    for w in rest.split_inclusive(char::is_whitespace) {
        let word = w.trim();
        let bare = word.trim_end_matches([',', '.', ';', ':']);
        if n > 0 && STOP.contains(&bare.to_lowercase().as_str()) {
            break;
        }
        end += w.trim_end().len();
        n += 1;
        if bare.len() != word.len() || n >= 5 {
            break;
        }
        end += w.len() - w.trim_end().len();
    }
    let phrase_span = Span::new(cue.end, end);
    if let Some(e) = doc
        .within(phrase_span)
        .iter()
        .find(|e| can_act(e.entity_type) && !e.entity_type.is_place())
    {
        return Some(e.id.clone());
    }
    let phrase = phrase_span
        .slice(text)
        .trim()
        .trim_end_matches([',', '.', ';', ':']);
    let phrase = phrase
        .strip_prefix("the ")
        .or_else(|| phrase.strip_prefix("a "))
        .unwrap_or(phrase);
    (!phrase.is_empty()).then(|| phrase.to_string())
}

/// Words that end a target noun phrase.
const STOP: &[&str] = &[
    "in", "at", "near", "on", "that", "which", "who", "killing", "leaving", "injuring", "wounding",
    "and", "after", "as", "when", "while", "from", "with", "by", "during", "for", "sparked", "was",
    "were", "is", "has", "had",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentences;

    use crate::testkit::fixture;

    fn run(src: &str, published: Option<&str>) -> Vec<Event> {
        let (text, ents) = fixture(src);
        let input = ClaimInput {
            doc: "d",
            text: &text,
            published,
            entities: &ents,
        };
        let doc = DocEntities::new(&text, &ents);
        let sents = sentences::sentences(&text);
        let tokens = crate::tokens::Tokens::new(&text, &doc.ents);
        extract(
            &EventRules::default(),
            &Lexicon::default(),
            &input,
            &doc,
            &tokens,
            &sents,
        )
    }

    /// "type date place perpetrator killed" per event.
    fn check(src: &str, published: Option<&str>, expect: &[&str]) {
        let got: Vec<String> = run(src, published)
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} {} {}",
                    e.event_type,
                    e.date.as_deref().unwrap_or("-"),
                    e.place.as_deref().unwrap_or("-"),
                    e.perpetrator.as_deref().unwrap_or("-"),
                    e.killed.map_or("-".to_string(), |k| k.to_string()),
                )
            })
            .collect();
        assert_eq!(got, expect, "{src}");
    }

    #[test]
    fn embedded_rules_parse() {
        EventRules::from_toml(EVENTS_TOML).expect("events.toml is valid");
    }

    #[test]
    fn a_placed_suicide_bombing_with_deaths() {
        check(
            "On May 3, a suicide bombing in [Quetta|quetta|city] killed nine people.",
            Some("2023-05-20"),
            &["suicide_bombing 2023-05-03 quetta - 9"],
        );
    }

    #[test]
    fn counted_attacks_are_figures_not_events() {
        check("[The BLA|bla] carried out 120 attacks in 2023.", None, &[]);
        check(
            "Dozens of bombings hit [Khyber|khyber|district] in 2021.",
            None,
            &[],
        );
        check("Militant attacks have risen sharply.", None, &[]);
    }

    #[test]
    fn a_series_of_strikes_and_the_clash_it_sparked_are_two_events() {
        check(
            "In June 2024, a series of [Iranian|ir|country] airstrikes on [Panjgur|panjgur|district] sparked border clashes, leaving at least a dozen guards dead.",
            None,
            &["airstrike 2024-06 panjgur ir -", "clash 2024-06 panjgur - 12"],
        );
    }

    #[test]
    fn claims_of_responsibility_and_by_phrases_name_the_perpetrator() {
        check(
            "[The BLA|bla] claimed responsibility for the ambush near [Turbat|turbat|city].",
            None,
            &["armed_assault - turbat bla -"],
        );
        check(
            "Four soldiers were killed after a mortar shell fired by [the Taliban|taliban] hit [Torkham|torkham|border_crossing].",
            None,
            &["clash - torkham taliban 4"],
        );
    }

    #[test]
    fn casualties_sum_over_the_noun_phrase() {
        check(
            "A bombing in [Peshawar|peshawar|city] last week left three policemen and a guard were killed.",
            Some("2022-02-10"),
            &["bombing 2022-02 peshawar - 4"],
        );
    }

    #[test]
    fn definite_descriptions_need_no_place_or_date() {
        check(
            "Officials blamed the hijacking on local militants.",
            None,
            &["hijacking - - - -"],
        );
        check("A hijacking is always possible.", None, &[]);
    }

    #[test]
    fn hypothetical_strikes_are_not_events() {
        check(
            "The minister hinted at possible strikes against [the TTP|ttp] inside [Afghanistan|af|country].",
            None,
            &[],
        );
    }

    #[test]
    fn dated_remarks_and_occasions_are_statements() {
        check(
            "[Gen. Aziz|aziz|person] said in March 2019 that the war was over.",
            None,
            &["statement 2019-03 - aziz -"],
        );
        check(
            "[The ministry|mod|government_body] issued a warning to [Kabul|kabul|city] on Tuesday.",
            Some("2024-05-10"),
            &["statement 2024-05-07 kabul - -"],
        );
    }

    #[test]
    fn talks_and_ceasefires() {
        check(
            "Both sides held talks in [Doha|doha|city] and soon reached a ceasefire.",
            None,
            &["talks - doha - -", "ceasefire - doha - -"],
        );
    }

    #[test]
    fn a_generic_attack_yields_to_the_specific_type() {
        check(
            "The attack, a car bomb in [Bannu|bannu|district], came in 2023.",
            None,
            &["bombing 2023 bannu - -"],
        );
    }

    #[test]
    fn target_phrase_after_the_cue() {
        let ev = run(
            "The raid on a police checkpoint in [Tank|tank|district] lasted hours.",
            None,
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].target.as_deref(), Some("police checkpoint"));
    }
}
