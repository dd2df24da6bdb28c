//! Events: specific occurrences (an attack, a strike, talks) with date, place,
//! perpetrator, target and casualties.
//!
//! A trigger from `data/claims/events.toml` makes an event only when the sentence
//! pins it down — a date, a place, a definite article, a claim of responsibility —
//! so that "attacks have risen" (a trend, counted by figures) is not an event.
//! Triggers of one type in a sentence are one event; a generic "attack" yields to
//! a more specific type in the same sentence. The event's span is its sentence.

use std::collections::{HashMap, HashSet};

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
    /// An occurrence only when a date follows it ("met in May 2023").
    Dated,
}

/// A statement cue found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// A reporting verb ("said"): news when dated or told as an occasion.
    Verb,
    /// How a remark was delivered ("in a statement"): news only when dated.
    Sourcing,
    /// What a named speaker or body issued ("remarks", "report").
    Noun { statement: bool, report: bool },
}

/// Event cues from `events.toml`.
#[derive(Debug, Clone)]
pub struct EventRules {
    triggers: Phrases<(EventType, Form)>,
    /// Per type, words one of which the sentence must contain.
    requires: HashMap<EventType, Phrases<()>>,
    /// Types whose `requires` a country named in the sentence does not satisfy.
    no_country: HashSet<EventType>,
    /// Words right before an occurrence that deny it ("has not decided").
    negations: Phrases<()>,
    /// Per type, nouns that may stand for the place right after a trigger.
    destinations: HashMap<EventType, Phrases<()>>,
    /// Per type, a subject and what befalls it ("the truce … collapsed").
    predicates: HashMap<EventType, (Phrases<()>, Phrases<()>)>,
    /// Types whose undated mentions take the year of their paragraph.
    context_dated: HashSet<EventType>,
    /// Types whose plurals are one occasion when held at a named place ("talks in
    /// Islamabad").
    placed_plurals: HashSet<EventType>,
    /// Reporting verbs, ways of delivering a remark and what speakers issue, in one
    /// set so that sentences are scanned once for all.
    statement_cues: Phrases<Cue>,
    occasions: Phrases<()>,
    report_fresh: Phrases<()>,
    report_findings: Phrases<()>,
    report_cited: Phrases<()>,
    definite: Phrases<()>,
    anaphoric: Phrases<()>,
    series: Phrases<()>,
    counts: Phrases<()>,
    compounds: Phrases<()>,
    hypothetical: Phrases<()>,
    claims: Phrases<()>,
    no_claim: Phrases<()>,
    members: Phrases<()>,
    suspects: Phrases<()>,
    sponsors: Phrases<()>,
    did: Phrases<()>,
    by: Phrases<()>,
    target_cues: Phrases<()>,
    place_nouns: Phrases<()>,
    object_verbs: Phrases<()>,
    country_before: HashSet<String>,
    killed: Phrases<()>,
    injured: Phrases<()>,
    asides: Phrases<()>,
    /// Connectives that set a trigger before (-1) or after (+1) the sentence's date
    /// ("a week after clashes"), and the units of that distance in days (0: vague).
    relative: Phrases<i64>,
    units: HashMap<String, i64>,
    numbers: HashMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsFile {
    event: Vec<EventFile>,
    statement: VerbsFile,
    report: ReportFile,
    specific: SpecificFile,
    hypothetical: WordsFile,
    negation: WordsFile,
    perpetrator: PerpetratorFile,
    target: TargetFile,
    casualties: CasualtiesFile,
    #[serde(default)]
    relative: RelativeFile,
    numbers: HashMap<String, f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RelativeFile {
    after: Vec<String>,
    before: Vec<String>,
    units: HashMap<String, i64>,
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
    /// The sentence must contain one of these for the type to count ("operation" is
    /// a security-force operation only in a sentence about forces).
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    dated: Vec<String>,
    #[serde(default)]
    destinations: Vec<String>,
    #[serde(default)]
    context_date: bool,
    /// Plurals followed by "in <place>" are one occasion ("talks in Islamabad").
    #[serde(default)]
    placed_plurals: bool,
    /// With `predicates`: a subject ("truce") and what befalls it ("collapsed") a
    /// few words later make an occurrence ("the Doha truce had collapsed").
    #[serde(default)]
    subjects: Vec<String>,
    #[serde(default)]
    predicates: Vec<String>,
    /// Whether a country named in the sentence satisfies `requires` (a state acts).
    #[serde(default = "yes")]
    country_acts: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerbsFile {
    verbs: Vec<String>,
    #[serde(default)]
    sourcing: Vec<String>,
    #[serde(default)]
    occasions: Vec<String>,
    #[serde(default)]
    nouns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportFile {
    nouns: Vec<String>,
    fresh: Vec<String>,
    findings: Vec<String>,
    cited: Vec<String>,
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
    #[serde(default)]
    anaphoric: Vec<String>,
    series: Vec<String>,
    counts: Vec<String>,
    #[serde(default)]
    compounds: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PerpetratorFile {
    did: Vec<String>,
    claims: Vec<String>,
    #[serde(default)]
    no_claim: Vec<String>,
    #[serde(default)]
    members: Vec<String>,
    #[serde(default)]
    suspects: Vec<String>,
    /// "accused X of backing Y": Y is the one blamed for the event.
    #[serde(default)]
    sponsors: Vec<String>,
    by: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetFile {
    cues: Vec<String>,
    #[serde(default)]
    place_nouns: Vec<String>,
    #[serde(default)]
    objects: Vec<String>,
    /// Words right before a country that make it where something happened ("strikes
    /// in Pakistan"); a country without one is an actor ("a claim India denied").
    #[serde(default)]
    country_before: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CasualtiesFile {
    killed: Vec<String>,
    injured: Vec<String>,
    /// Words opening an aside between a count and its cue ("42 people, most of them
    /// pilgrims, were killed"): the count is before the aside.
    #[serde(default)]
    asides: Vec<String>,
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
            requires: HashMap::new(),
            no_country: HashSet::new(),
            negations: none(),
            predicates: HashMap::new(),
            triggers: Phrases::none(),
            destinations: HashMap::new(),
            context_dated: HashSet::new(),
            placed_plurals: HashSet::new(),
            statement_cues: Phrases::none(),
            occasions: none(),
            report_fresh: none(),
            report_findings: none(),
            report_cited: none(),
            definite: none(),
            anaphoric: none(),
            series: none(),
            counts: none(),
            compounds: none(),
            hypothetical: none(),
            claims: none(),
            no_claim: none(),
            members: none(),
            suspects: none(),
            sponsors: none(),
            did: none(),
            by: none(),
            target_cues: none(),
            place_nouns: none(),
            object_verbs: none(),
            country_before: HashSet::new(),
            killed: none(),
            injured: none(),
            asides: none(),
            relative: Phrases::none(),
            units: HashMap::new(),
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
        let mut requires = HashMap::new();
        let mut destinations = HashMap::new();
        let mut context_dated = HashSet::new();
        let mut placed_plurals = HashSet::new();
        let mut no_country = HashSet::new();
        let mut predicates = HashMap::new();
        for e in raw.event {
            let t: EventType = e.event_type.parse().map_err(invalid)?;
            if !e.requires.is_empty() {
                requires.insert(t, Phrases::new(words(e.requires)).map_err(invalid)?);
            }
            if !e.destinations.is_empty() {
                destinations.insert(t, Phrases::new(words(e.destinations)).map_err(invalid)?);
            }
            if e.context_date {
                context_dated.insert(t);
            }
            if e.placed_plurals {
                placed_plurals.insert(t);
            }
            if !e.country_acts {
                no_country.insert(t);
            }
            if !e.subjects.is_empty() && !e.predicates.is_empty() {
                let subjects = Phrases::new(words(e.subjects)).map_err(invalid)?;
                let verbs = Phrases::new(words(e.predicates)).map_err(invalid)?;
                predicates.insert(t, (subjects, verbs));
            }
            for (list, form) in [
                (e.triggers, Form::Trigger),
                (e.occurrences, Form::Occurrence),
                (e.plurals, Form::Plural),
                (e.dated, Form::Dated),
            ] {
                triggers.extend(list.into_iter().map(|p| (p, (t, form))));
            }
        }
        let phrases = |v: Vec<String>| Phrases::new(words(v)).map_err(invalid);
        let mut cues: Vec<(String, Cue)> = raw
            .statement
            .verbs
            .into_iter()
            .map(|v| (v, Cue::Verb))
            .chain(
                raw.statement
                    .sourcing
                    .into_iter()
                    .map(|v| (v, Cue::Sourcing)),
            )
            .collect();
        // A noun may be a statement's, a report's or both ("report").
        let lower =
            |v: &[String]| -> HashSet<String> { v.iter().map(|n| n.to_lowercase()).collect() };
        let (statement_nouns, report_nouns) =
            (lower(&raw.statement.nouns), lower(&raw.report.nouns));
        let mut nouns: Vec<String> = statement_nouns.union(&report_nouns).cloned().collect();
        nouns.sort();
        for n in nouns {
            let kind = Cue::Noun {
                statement: statement_nouns.contains(&n),
                report: report_nouns.contains(&n),
            };
            cues.push((n, kind));
        }
        Ok(EventRules {
            triggers: Phrases::new(triggers).map_err(invalid)?,
            requires,
            no_country,
            negations: phrases(raw.negation.words)?,
            predicates,
            destinations,
            context_dated,
            placed_plurals,
            statement_cues: Phrases::new(cues).map_err(invalid)?,
            occasions: phrases(raw.statement.occasions)?,
            report_fresh: phrases(raw.report.fresh)?,
            report_findings: phrases(raw.report.findings)?,
            report_cited: phrases(raw.report.cited)?,
            definite: phrases(raw.specific.definite)?,
            anaphoric: phrases(raw.specific.anaphoric)?,
            series: phrases(raw.specific.series)?,
            counts: phrases(raw.specific.counts)?,
            compounds: phrases(raw.specific.compounds)?,
            hypothetical: phrases(raw.hypothetical.words)?,
            claims: phrases(raw.perpetrator.claims)?,
            no_claim: phrases(raw.perpetrator.no_claim)?,
            members: phrases(raw.perpetrator.members)?,
            suspects: phrases(raw.perpetrator.suspects)?,
            sponsors: phrases(raw.perpetrator.sponsors)?,
            did: phrases(raw.perpetrator.did)?,
            by: phrases(raw.perpetrator.by)?,
            target_cues: phrases(raw.target.cues)?,
            place_nouns: phrases(raw.target.place_nouns)?,
            object_verbs: phrases(raw.target.objects)?,
            country_before: raw
                .target
                .country_before
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            killed: phrases(raw.casualties.killed)?,
            injured: phrases(raw.casualties.injured)?,
            asides: phrases(raw.casualties.asides)?,
            relative: Phrases::new(
                raw.relative
                    .after
                    .into_iter()
                    .map(|w| (w, -1))
                    .chain(raw.relative.before.into_iter().map(|w| (w, 1)))
                    .collect(),
            )
            .map_err(invalid)?,
            units: raw
                .relative
                .units
                .into_iter()
                .map(|(k, v)| (k.to_lowercase(), v))
                .collect(),
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
    /// Preceded by a determiner that refers back ("the attack").
    anaphoric: bool,
    /// Who issued it, when a cue names them ("the UN's report").
    speaker: Option<String>,
}

/// How the text links a perpetrator to an event (spec: claimed vs attributed vs
/// suspected); none when the text simply says who did it.
type Qualifier = Option<&'static str>;

/// An event with what the document-level merge needs to know about it.
struct Told {
    event: Event,
    sentence: usize,
    /// Refers back to an incident already told: "condemned the attack" (strong),
    /// "came under attack" (weak: a generic attack with no date or toll).
    anaphor: Option<Anaphor>,
    /// Its place is more specific than a country.
    placed: bool,
    /// Its date is its paragraph's, not its own (`date:context`).
    context_date: bool,
    /// A definite plural that sums incidents ("the attacks killed 322"): it only adds
    /// to an incident told before.
    summary: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anaphor {
    Strong,
    Weak,
}

/// The coarse class an anaphor may refer across: any attack type names the same
/// incident ("the bombing" after "a suicide blast"); other types only themselves.
fn class(t: EventType) -> EventType {
    if is_attack(t) {
        EventType::Attack
    } else {
        t
    }
}

/// Fighting of any kind: a definite mention refers back to it however far away.
fn violent(t: EventType) -> bool {
    is_attack(t)
        || matches!(
            t,
            EventType::Clash | EventType::Airstrike | EventType::MilitaryOperation
        )
}

fn is_attack(t: EventType) -> bool {
    use EventType::*;
    matches!(
        t,
        SuicideBombing
            | Bombing
            | ArmedAssault
            | Hijacking
            | Assassination
            | Kidnapping
            | Killing
            | Attack
    )
}

/// Which attack type describes one incident best when a sentence uses several
/// words for it ("hijacked the train … before the siege ended"): lower wins.
fn specificity(t: EventType) -> u8 {
    use EventType::*;
    match t {
        SuicideBombing => 0,
        Hijacking => 1,
        Assassination => 2,
        Kidnapping => 3,
        Bombing => 4,
        ArmedAssault => 5,
        // "were killed when militants attacked": the deaths are the attack's toll.
        Killing => 8,
        _ => 7,
    }
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
    let mut out: Vec<Told> = Vec::new();
    // "PESHAWAR, Oct 29: … on Wednesday": the story's own day, told in its dateline,
    // dates its weekdays and relative words rather than a later publication.
    let filed = sentence_spans.iter().take(3).find_map(|&sent| {
        let line = dateline(input.text, sent)?;
        dates::find_dates(input.text, sent, input.published)
            .into_iter()
            .find(|(s, _, p)| s.end <= line.end && *p == DatePrecision::Day)
            .map(|(_, v, _)| v)
    });
    let published = filed.as_deref().or(input.published);
    let filed_line = sentence_spans
        .iter()
        .take(3)
        .any(|&sent| dateline(input.text, sent).is_some());
    for (si, &sent) in sentence_spans.iter().enumerate() {
        let triggers = rules.triggers.find(input.text, sent);
        let cues = rules.statement_cues.find(input.text, sent);
        // Most sentences name no event: skip the date search for them.
        if triggers.is_empty()
            && cues.is_empty()
            && !rules
                .predicates
                .values()
                .any(|(_, verbs)| verbs.any_in(input.text, sent))
        {
            suspected_later(rules, doc, sent, si, &mut out);
            continue;
        }
        let found_dates = dates::find_dates(input.text, sent, published);
        let drafts = drafts(rules, input, doc, sent, &triggers, &cues, &found_dates);
        if drafts.is_empty() {
            suspected_later(rules, doc, sent, si, &mut out);
            continue;
        }
        let ents = doc.within(sent);
        let claimer = claimed_by(rules, doc, sent);
        let dateline = dateline(input.text, sent);
        let firsts: Vec<(EventType, usize)> = drafts
            .iter()
            .map(|d| (d.event_type, d.triggers[0].start))
            .collect();
        for d in drafts {
            let anchor = d.triggers[0];
            let clause_end = firsts
                .iter()
                .filter(|(t, at)| *t != d.event_type && *at > anchor.end)
                .map(|(_, at)| *at)
                .min()
                .unwrap_or(sent.end);
            // "X said last month that 40 fighters were killed in Kech": a remark is
            // placed where it was made ("told a news conference in Kabul"), not by
            // what it reports.
            let clause_end = if d.event_type == EventType::Statement {
                clause_end.min(next_words(input.text, sent, anchor.end, 6).end)
            } else {
                clause_end
            };
            // The dateline's date is when the story was filed: the sentence's own
            // date, if any, says when the event was.
            let mut date = found_dates
                .iter()
                .min_by_key(|(s, _, _)| {
                    (
                        dateline.is_some_and(|d| s.end <= d.end),
                        s.start.abs_diff(anchor.start),
                    )
                })
                .map(|(s, v, p)| {
                    // "PESHAWAR, Oct 29: … on Wednesday": a weekday the filing day
                    // cannot mean (days before it) is the filing day told loosely.
                    let weekday = s
                        .slice(input.text)
                        .split_whitespace()
                        .any(dates::is_weekday);
                    match filed.as_deref() {
                        Some(day) if weekday && days_before(v, day).is_some_and(|n| n > 3) => {
                            (day.to_string(), DatePrecision::Day)
                        }
                        _ => (v.clone(), *p),
                    }
                });
            // "a week after clashes …": the sentence's date is a later occasion's.
            let distant = distance(rules, input.text, sent, anchor);
            if let Some((_, days)) = distant {
                date = days.and_then(|n| {
                    let (_, day, _) = found_dates
                        .iter()
                        .filter(|(_, _, p)| *p == DatePrecision::Day)
                        .min_by_key(|(s, _, _)| s.start.abs_diff(anchor.start))?;
                    let shifted = dates::shift_days(day, n)?;
                    // "a week after" is roughly told: the month, unless a few days.
                    if n.abs() <= 3 {
                        Some((shifted, DatePrecision::Day))
                    } else {
                        Some((shifted.get(..7)?.to_string(), DatePrecision::Month))
                    }
                });
            }
            let mut from_context = false;
            if date.is_none() && rules.context_dated.contains(&d.event_type) {
                date = paragraph_year(input.text, published, sentence_spans, si);
                from_context = date.is_some();
            }
            let (perpetrator, qualifier) = if let Some(speaker) = d.speaker.clone() {
                (Some(speaker), None)
            } else if d.event_type == EventType::Statement {
                // Only a named speaker: a literal source may be any noun phrase.
                let (lo, hi) = tokens.range(sent.start, sent.end);
                let speaker = attribute(&lexicon.figures, tokens, lo, hi, None)
                    .source
                    .filter(|s| ents.iter().any(|e| &e.id == s));
                (speaker, None)
            } else {
                d.triggers
                    .iter()
                    .find_map(|&t| perpetrator(rules, doc, sent, t))
                    .or_else(|| claimer.clone().map(|c| (c, Some("claimed"))))
                    // "arrested suspected militants of the TTP in an operation": the
                    // suspects are its targets; forces run an operation.
                    .or_else(|| {
                        (d.event_type != EventType::MilitaryOperation)
                            .then(|| suspected(rules, doc, sent))
                            .flatten()
                            .map(|(c, how)| (c, Some(how)))
                    })
                    .map_or((None, None), |(p, q)| (Some(p), q))
            };
            // "The think tank said the attacks killed 322 people": a definite plural
            // with neither date nor place sums incidents; it adds to one told before
            // ("killed in the strikes") or is no event.
            let summary = d.anaphoric
                && d.event_type != EventType::Statement
                && date.is_none()
                && d.triggers.iter().all(|t| {
                    rules
                        .triggers
                        .find(input.text, *t)
                        .iter()
                        .any(|(s, (_, f))| s == t && *f == Form::Plural)
                        && !determines(
                            &rules.series,
                            input.text,
                            before(input.text, sent, t.start, PRE),
                        )
                });
            let anaphor = if d.killed.is_some() || d.injured.is_some() {
                None
            } else if d.anaphoric {
                // "The kidnapping was the third this year": a date that agrees with
                // the incident's is checked when merging.
                Some(Anaphor::Strong)
            } else if found_dates.is_empty() && d.event_type == EventType::Attack {
                Some(Anaphor::Weak)
            } else {
                None
            };
            let (date, date_precision) = match date {
                Some((v, p)) => (Some(v), p),
                None => (None, DatePrecision::Unknown),
            };
            // "a visit to India": where it went, not where the sentence wanders.
            let destination = rules.destinations.contains_key(&d.event_type).then(|| {
                let window = next_words(input.text, sent, anchor.end, 4);
                ents.iter().find(|e| {
                    e.entity_type.is_place() && e.start >= anchor.end && e.start < window.end
                })
            });
            let place = destination.flatten().or_else(|| {
                // Where fighting or talks were: other states named are parties.
                let among_others = d.event_type != EventType::MilitaryOperation
                    && (violent(d.event_type)
                        || matches!(d.event_type, EventType::Talks | EventType::Ceasefire));
                {
                    // "reopened the Torkham crossing, a week after clashes": the
                    // places before the connective are the later occasion's.
                    let from = distant.map_or(sent.start, |(at, _)| at);
                    // Nor is the dateline where the earlier incident was.
                    let dateline = dateline.filter(|_| distant.is_none());
                    let clause = Span::new(from, clause_end);
                    best_place(
                        rules,
                        input.text,
                        ents,
                        anchor,
                        dateline,
                        clause,
                        among_others,
                    )
                }
            });
            let event = Event {
                doc: input.doc.to_string(),
                event_type: d.event_type,
                date,
                date_precision,
                place: place.map(|e| e.id.clone()),
                perpetrator,
                target: target(rules, doc, sent, anchor).filter(|t| {
                    // Outside fighting the target is an actor, never the phrase
                    // after "on" ("remarks on the ambush angered …", "met on Monday").
                    violent(d.event_type)
                        || matches!(d.event_type, EventType::Designation | EventType::Sanctions)
                        || ents.iter().any(|e| &e.id == t)
                }),
                killed: d.killed,
                injured: d.injured,
                start: sent.start,
                end: sent.end,
                text: sent.slice(input.text).to_string(),
                rule: rule_name(anchor.slice(input.text), qualifier, from_context),
            };
            // A country alone does not place an incident ("Pakistani officials said
            // the operation …").
            let placed = place.is_some_and(|e| e.entity_type != EntityType::Country);
            // "… in the explosions" refers back even with a toll of its own.
            let plural_back = summary;
            let summary = summary && !placed;
            merge_or_push(
                &mut out,
                Told {
                    event,
                    sentence: si,
                    anaphor: if plural_back {
                        Some(Anaphor::Strong)
                    } else {
                        anaphor
                    },
                    placed,
                    context_date: from_context,
                    summary,
                },
            );
        }
    }
    // "PESHAWAR: … Separately, in Lakki Marwat, four militants were killed in an
    // exchange of fire": in a filed news report, fighting told with a place and a toll
    // but no date of its own (after merging) is the day's news, dated by the dateline
    // or the publication (rule "date:published").
    let news_day = filed_line
        .then(|| {
            published
                .filter(|p| p.len() >= 10)
                .map(|p| p[..10].to_string())
        })
        .flatten();
    if let Some(day) = news_day {
        for t in &mut out {
            let e = &mut t.event;
            if e.date.is_none()
                && violent(e.event_type)
                && t.placed
                && (e.killed.is_some() || e.injured.is_some())
            {
                e.date = Some(day.clone());
                e.date_precision = DatePrecision::Day;
                e.rule.push_str(" date:published");
            }
        }
    }
    out.into_iter().map(|t| t.event).collect()
}

fn rule_name(trigger: &str, qualifier: Qualifier, from_context: bool) -> String {
    let mut rule = format!("event:{}", trigger.to_lowercase());
    if let Some(q) = qualifier {
        rule.push_str(" perpetrator:");
        rule.push_str(q);
    }
    if from_context {
        rule.push_str(" date:context");
    }
    rule
}

/// How many sentences back a paragraph's date still dates an undated mention.
const CONTEXT_SENTENCES: usize = 4;

/// The year of the last date told in the sentences before `si` in its paragraph:
/// the narrative's time ("After the August 2021 takeover … These talks gained
/// momentum"). Only the year: the month may have moved on.
fn paragraph_year(
    text: &str,
    published: Option<&str>,
    sentence_spans: &[Span],
    si: usize,
) -> Option<(String, DatePrecision)> {
    let mut k = si;
    while k > 0 && si - k < CONTEXT_SENTENCES {
        let (prev, next) = (sentence_spans[k - 1], sentence_spans[k]);
        if text
            .get(prev.end..next.start)
            .is_none_or(|gap| gap.contains('\n'))
        {
            return None;
        }
        k -= 1;
        let found = dates::find_dates(text, prev, published);
        if let Some((_, value, _)) = found.last() {
            let year = value.get(..4)?;
            return Some((year.to_string(), DatePrecision::Year));
        }
    }
    None
}

/// How many sentences on a weak anaphor or a repeated undated mention of the same
/// type still refers to the incident just told.
const NEAR_SENTENCES: usize = 3;

/// Adds an event, or folds it into the incident it refers back to: a definite
/// undated mention ("condemned the attack") into the last event of its class; a
/// generic or repeated undated mention within a few sentences ("came under attack",
/// a second "suicide bomber" sentence) into the last one of its class when their
/// places agree. The earlier event keeps its span and gains what it lacked.
fn merge_or_push(out: &mut Vec<Told>, new: Told) {
    let e = &new.event;
    // A date borrowed from the paragraph does not tell incidents apart.
    let own_date = if new.context_date {
        None
    } else {
        e.date.as_ref()
    };
    let undated = own_date.is_none();
    // "Militants attacked a check post … The exchange of fire lasted two hours": a
    // definite mention of fighting with nothing of its own (no date, place or toll)
    // right after an incident is that incident told on, whatever word it uses.
    // (Not when an incident of its own kind was just told: "India launched strikes …
    // blamed for last month's killing … 31 were killed in the strikes".)
    let own_kind_near = out.iter().any(|t| {
        class(t.event.event_type) == class(e.event_type)
            && new.sentence.saturating_sub(t.sentence) <= NEAR_SENTENCES
    });
    if new.anaphor == Some(Anaphor::Strong)
        && violent(e.event_type)
        && undated
        && !new.placed
        && !own_kind_near
    {
        if let Some(last) = out.last_mut().filter(|t| {
            violent(t.event.event_type)
                && class(t.event.event_type) != class(e.event_type)
                && new.sentence.saturating_sub(t.sentence) <= NEAR_SENTENCES
        }) {
            let p = &mut last.event;
            for (slot, v) in [
                (&mut p.perpetrator, &e.perpetrator),
                (&mut p.target, &e.target),
            ] {
                if slot.is_none() {
                    slot.clone_from(v);
                }
            }
            if p.killed.is_none() {
                p.killed = e.killed;
            }
            if p.injured.is_none() {
                p.injured = e.injured;
            }
            return;
        }
    }
    let prior = out
        .iter_mut()
        .rev()
        .find(|t| class(t.event.event_type) == class(e.event_type));
    if let Some(p) = prior {
        let near = new.sentence.saturating_sub(p.sentence) <= NEAR_SENTENCES;
        let places_agree = match (&e.place, &p.event.place) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let dates_agree = match (own_date, &p.event.date) {
            (Some(a), Some(b)) => a.starts_with(b.as_str()) || b.starts_with(a.as_str()),
            _ => true,
        };
        let perpetrators_agree = match (&e.perpetrator, &p.event.perpetrator) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let refers = dates_agree
            && match new.anaphor {
                // "the attack" names the incident whatever place the sentence mentions;
                // "the meetings in Kabul" after talks elsewhere are other talks.
                // "These talks gained momentum" refers to talks just told, not to
                // other talks pages earlier.
                // A report named again ("the UN report also reveals") is the one
                // its body issued.
                Some(Anaphor::Strong) => {
                    is_attack(e.event_type)
                        || (places_agree && (near || violent(e.event_type)))
                        || (e.event_type == EventType::Report && perpetrators_agree)
                }
                // "… came under attack near the town of B" right after the attack
                // was told: the same attack, a closer look at where.
                Some(Anaphor::Weak) => {
                    near && (places_agree || new.sentence.saturating_sub(p.sentence) <= 1)
                }
                // One of two mentions of a type undated: the same incident told twice
                // ("a bombing in Quetta" … "the blast on Monday").
                None => {
                    (undated || p.event.date.is_none())
                        && near
                        && places_agree
                        && p.event.event_type == e.event_type
                }
            };
        // A seizure of power or a founding happens once per actor: a later mention
        // anywhere in the document whose date and actor fit is the same event ("the
        // Taliban's return to power in Kabul" after "retook Afghanistan in August 2021").
        let once = matches!(e.event_type, EventType::Takeover | EventType::Founding)
            && p.event.event_type == e.event_type
            && dates_agree
            && perpetrators_agree;
        let refers = refers || once;
        // A talk or ceasefire refers back only to its own type.
        let same_kind = is_attack(e.event_type) || p.event.event_type == e.event_type;
        if refers && same_kind && e.event_type != EventType::Statement {
            let p = &mut p.event;
            if p.perpetrator.is_none() && e.perpetrator.is_some() {
                if let Some(i) = e.rule.find(" perpetrator:") {
                    p.rule.push_str(&e.rule[i..]);
                }
            }
            for (slot, v) in [
                (&mut p.place, &e.place),
                (&mut p.perpetrator, &e.perpetrator),
                (&mut p.target, &e.target),
            ] {
                if slot.is_none() {
                    slot.clone_from(v);
                }
            }
            // "last month's killing" … "the April 22 attack": the day refines the month.
            let finer = match (own_date, &p.date) {
                (Some(a), Some(b)) => a.len() > b.len() && a.starts_with(b.as_str()),
                (Some(_), None) => true,
                _ => false,
            };
            if finer {
                p.date.clone_from(&e.date);
                p.date_precision = e.date_precision;
            }
            if p.killed.is_none() {
                p.killed = e.killed;
            }
            if p.injured.is_none() {
                p.injured = e.injured;
            }
            return;
        }
    }
    // "the operation had been planned for weeks" with nothing before it to refer to and
    // neither a date nor a place: not an event of its own (for attacks a definite
    // description still is one, as reports name them that way).
    let background = matches!(
        new.event.event_type,
        EventType::MilitaryOperation | EventType::Takeover | EventType::Founding
    );
    if (background || new.summary)
        && new.anaphor.is_some()
        && new.event.date.is_none()
        && !new.placed
    {
        return;
    }
    // "Pakistan did not officially confirm the raid", "… had taken part in the clashes":
    // a definite mention of fighting with nothing to refer back to and nothing of its
    // own (no date, place, toll, perpetrator or target) tells no incident.
    let e = &new.event;
    let bare = new.anaphor == Some(Anaphor::Strong)
        && violent(e.event_type)
        && e.date.is_none()
        && e.place.is_none()
        && e.perpetrator.is_none()
        && e.target.is_none();
    if bare {
        return;
    }
    out.push(new);
}

/// "police suspect fighters linked to the TTP": the suspected group, named after
/// the cue.
fn suspected(
    rules: &EventRules,
    doc: &DocEntities<'_>,
    sent: Span,
) -> Option<(String, &'static str)> {
    let ents = doc.within(sent);
    rules.suspects.find(doc.text, sent).into_iter().find_map(|(cue, _)| {
        let said = cue.slice(doc.text).to_lowercase();
        // "suspected TTP targets": an adjective on the group's name, not a suspicion.
        let adjective = said == "suspected";
        // "blamed Pakistan for the strike": an accusation, not a suspicion.
        let how = if matches!(said.as_str(), "blamed" | "blame" | "accused") {
            "attributed"
        } else {
            "suspected"
        };
        let can_be = |e: &&crate::EntitySpan| {
            is_perpetrator(e.entity_type)
                // A state acts; a district does not.
                && (!e.entity_type.is_place() || e.entity_type == EntityType::Country)
                // "the Mehsud-led TTP": the leader names the group that follows.
                && !doc.text.get(e.end..).is_some_and(|r| r.starts_with("-led") || r.starts_with("-backed"))
        };
        // "The faction was blamed for the attack": the suspect is the subject.
        let prev = doc
            .text
            .get(sent.start..cue.start)
            .and_then(|h| h.split_whitespace().next_back())
            .unwrap_or("")
            .to_lowercase();
        if matches!(prev.as_str(), "was" | "were" | "is" | "are" | "been" | "being") {
            return ents
                .iter()
                .rev()
                .filter(can_be)
                .find(|e| e.end <= cue.start && cue.start - e.end <= 40)
                .map(|e| (e.id.clone(), how));
        }
        let accused = ents.iter().filter(can_be).find(|e| {
            e.start >= cue.end
                && e.start - cue.end <= 40
                && !(adjective
                    && doc
                        .text
                        .get(cue.end..e.start)
                        .is_some_and(|g| g.trim().is_empty()))
        })?;
        // "accused Pakistan of backing the TRF over the attack": the backed group is
        // the one blamed for it; the backer is blamed for the backing.
        let rest = next_words(doc.text, sent, accused.end, 3);
        if rules.sponsors.any_in(doc.text, rest) {
            return ents
                .iter()
                .filter(can_be)
                .find(|e| {
                    e.start > accused.end
                        && e.start - accused.end <= 40
                        && e.entity_type != EntityType::Country
                })
                .map(|e| (e.id.clone(), how));
        }
        Some((accused.id.clone(), how))
    })
}

/// A sentence without an event of its own that suspects a group ("No group claimed
/// it, but police suspect …") names the perpetrator of the attack told just before.
fn suspected_later(
    rules: &EventRules,
    doc: &DocEntities<'_>,
    sent: Span,
    si: usize,
    out: &mut [Told],
) {
    let Some(last) = out.last_mut() else {
        return;
    };
    let violent = is_attack(last.event.event_type) || last.event.event_type == EventType::Airstrike;
    if last.event.perpetrator.is_some() || !violent || si.saturating_sub(last.sentence) > 2 {
        return;
    }
    if let Some((group, how)) = suspected(rules, doc, sent) {
        last.event.perpetrator = Some(group);
        if !last.event.rule.contains(" perpetrator:") {
            last.event.rule.push_str(" perpetrator:");
            last.event.rule.push_str(how);
        }
    }
}

/// "PARACHINAR, Pakistan — Gunmen opened fire …": the dateline before a dash at the
/// start of a sentence, when its first word is in capitals. It names where the
/// story was filed, not necessarily where the event was.
fn dateline(text: &str, sent: Span) -> Option<Span> {
    let head_end = (sent.start + 60).min(sent.end);
    let head_end = (sent.start..=head_end)
        .rev()
        .find(|&i| text.is_char_boundary(i))?;
    let head = text.get(sent.start..head_end)?;
    // "QUETTA, Pakistan —", "PESHAWAR, Nov 21 (Reuters) -", "ISLAMABAD:"
    let dash = [" — ", " – ", " -- ", " - ", ": "]
        .iter()
        .filter_map(|sep| head.find(sep))
        .min()?;
    let first = head.split_whitespace().next()?;
    let letters: Vec<char> = first.chars().filter(|c| c.is_alphabetic()).collect();
    let capitals = letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase());
    capitals.then(|| Span::new(sent.start, sent.start + dash))
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
    cues: &[Hit<'_, Cue>],
    found_dates: &[(Span, String, DatePrecision)],
) -> Vec<Draft> {
    let text = input.text;
    let mut hits: Vec<(Span, EventType, Option<String>)> = Vec::new();
    let ents = doc.within(sent);
    let mut pinned: Option<bool> = None;
    // "685 soldiers were killed in 444 attacks": deaths over counted incidents are a
    // tally, not a killing of their own.
    let mut tally = false;
    for &(span, &(t, form)) in triggers {
        if ents
            .iter()
            .any(|e| Span::new(e.start, e.end).overlaps(span))
        {
            continue;
        }
        // A state or its forces named in the sentence ("Pakistan had to launch several
        // operations") satisfies a type's `requires` as well as its words do.
        let state_acts = || {
            ents.iter().any(|e| match e.entity_type {
                EntityType::Country => !rules.no_country.contains(&t),
                EntityType::State | EntityType::Military | EntityType::GovernmentBody => true,
                _ => false,
            })
        };
        if rules
            .requires
            .get(&t)
            .is_some_and(|r| !r.any_in(text, sent) && !state_acts())
        {
            continue;
        }
        // '"The ceasefire covers the armies, not the militants," said …': words in a
        // quotation are someone's view of what happened, not the report of it.
        if quoted(text, sent, span) {
            continue;
        }
        // "a decree banned the private sale of weapons": banning or designating is of
        // a group; a direct object that names none is no designation.
        if t == EventType::Designation
            && rules
                .object_verbs
                .find(text, span)
                .iter()
                .any(|(s, _)| *s == span)
            && !target(rules, doc, sent, span).is_some_and(|id| ents.iter().any(|e| e.id == id))
        {
            continue;
        }
        let pre = before(text, sent, span.start, PRE);
        // "the deadliest raid since the Taliban returned to power": a seizure of power or
        // a founding named after "since" with no date of its own is the background of
        // another event, not news; "since its founding in 2007" dates it and counts.
        if matches!(t, EventType::Takeover | EventType::Founding)
            && pre
                .slice(text)
                .split_whitespace()
                .rev()
                .take(5)
                .any(|w| w.eq_ignore_ascii_case("since"))
            && !found_dates
                .iter()
                .any(|(d, _, _)| d.start >= span.end && d.start - span.end <= 40)
        {
            continue;
        }
        let counted = ends_with_count(rules, text, pre, found_dates);
        if counted && violent(t) {
            tally = true;
        }
        if counted
            || rules.hypothetical.any_in(text, pre)
            || modifies_a_noun(rules, text, sent, span)
        {
            continue;
        }
        // "flew to Kabul", "visited the capital": where it went follows the trigger.
        if let Some(nouns) = rules.destinations.get(&t) {
            let window = next_words(text, sent, span.end, 4);
            let place = ents
                .iter()
                .any(|e| e.entity_type.is_place() && e.start >= span.end && e.start < window.end);
            if !place && !nouns.any_in(text, window) {
                continue;
            }
        }
        let keep = match form {
            // "Both factions reject talks with Kabul", "refused the ceasefire".
            _ if negated(rules, text, pre) => false,
            Form::Occurrence => true,
            Form::Dated => dated_after(found_dates, span),
            // "the group's suicide bombings" is its habit, not one occurrence.
            Form::Plural => {
                determines(&rules.series, text, pre)
                    // "India launched missile strikes … on Wednesday": a dated sentence
                    // whose actor carried them out tells one occasion.
                    || (!found_dates.is_empty() && determines(&rules.did, text, pre))
                    // "two days of talks in Islamabad between …": talks held at a place.
                    || (rules.placed_plurals.contains(&t) && held_at(text, sent, span, ents))
                    || (determines(&rules.definite, text, pre)
                        && !pre.slice(text).contains(['\'', '’']))
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
            hits.push((span, t, None));
        }
    }
    if tally && found_dates.is_empty() {
        hits.retain(|(_, t, _)| *t != EventType::Killing);
    }
    // "the truce with the group had collapsed": the collapse, not the truce.
    for (&t, (subjects, verbs)) in &rules.predicates {
        for (verb, _) in verbs.find(text, sent) {
            let Some(subject) = befallen(text, sent, subjects, verb) else {
                continue;
            };
            if negated(rules, text, before(text, sent, verb.start, PRE)) {
                continue;
            }
            hits.retain(|(s, _, _)| !s.overlaps(subject) && !s.overlaps(verb));
            hits.push((verb, t, None));
        }
    }
    // "The army said on Tuesday that troops killed 27 militants": a dated remark
    // that reports another event is its source, not a second event.
    let reports_other = hits.iter().any(|(_, t, _)| *t != EventType::Statement);
    let dated_sentence = !found_dates.is_empty() || dates::mentions_date(text, sent);
    for &(span, &cue) in cues {
        match cue {
            // "said in a briefing on Jan. 4": how a remark was delivered makes it
            // news only when the sentence dates it; "…," he said in a statement is a
            // source.
            Cue::Sourcing if !reports_other && dated_sentence => {
                hits.push((span, EventType::Statement, None));
            }
            // "said in June 2021", "recently warned": a reporting verb is news when
            // a date follows it or it is told as an occasion of a named speaker.
            Cue::Verb if !reports_other => {
                if dated_after(found_dates, span) {
                    hits.push((span, EventType::Statement, None));
                } else if let Some(speaker) = dated_speaker(doc, span, found_dates) {
                    hits.push((span, EventType::Statement, Some(speaker)));
                } else if let Some(speaker) = told_as_occasion(rules, doc, sent, span) {
                    hits.push((span, EventType::Statement, Some(speaker)));
                }
            }
            Cue::Noun { statement, report } => {
                let issued = issued(rules, doc, sent, span, statement, report, found_dates);
                // Named remarks are news even beside the event they are about
                // ("the premier's remarks on the raid"); the sourcing shape ("the
                // ministry's statement said …") is left out by `issued`.
                if let Some((t, speaker)) = issued {
                    hits.push((span, t, Some(speaker)));
                }
            }
            _ => {}
        }
    }
    hits.sort_by_key(|(s, _, _)| s.start);
    let mut drafts: Vec<Draft> = Vec::new();
    for (span, t, speaker) in hits {
        match drafts.iter_mut().find(|d| d.event_type == t) {
            Some(d) => {
                d.triggers.push(span);
                if d.speaker.is_none() {
                    d.speaker = speaker;
                }
            }
            None => drafts.push(Draft {
                event_type: t,
                triggers: vec![span],
                killed: None,
                injured: None,
                anaphoric: false,
                speaker,
            }),
        }
    }
    // "met with the envoys in May": talks, not a second, plainer meeting.
    if drafts.iter().any(|d| d.event_type == EventType::Talks) {
        drafts.retain(|d| d.event_type != EventType::Meeting);
    }
    // Deaths in a sentence about fighting are its toll, not a separate killing.
    let fighting = drafts.iter().any(|d| {
        matches!(
            d.event_type,
            EventType::Clash | EventType::Airstrike | EventType::MilitaryOperation
        )
    });
    // "strikes … blamed for last month's killing of 26 tourists": a killing dated by
    // its own words is another, earlier incident.
    drafts.retain(|d| {
        !(fighting && d.event_type == EventType::Killing)
            || d.triggers.iter().any(|t| {
                found_dates.iter().any(|(ds, _, _)| {
                    ds.end <= t.start
                        && text
                            .get(ds.end..t.start)
                            .is_some_and(|g| matches!(g.trim(), "'s" | "’s"))
                })
            })
    });
    // "Forces killed 27 militants in an intelligence-based operation": the firing is
    // the operation's, one event.
    if let Some(op) = drafts
        .iter()
        .position(|d| d.event_type == EventType::MilitaryOperation)
    {
        let fire: Vec<Span> = drafts
            .iter()
            .filter(|d| d.event_type == EventType::Clash)
            .flat_map(|d| d.triggers.iter().copied())
            .collect();
        drafts[op].triggers.extend(fire);
        drafts.retain(|d| d.event_type != EventType::Clash);
    }
    // "Forces killed 11 militants in a night raid": the raid is the fighting, one
    // incident named by its more specific word.
    if let Some(att) = drafts
        .iter()
        .position(|d| matches!(d.event_type, EventType::ArmedAssault | EventType::Attack))
    {
        let fire: Vec<Span> = drafts
            .iter()
            .filter(|d| d.event_type == EventType::Clash)
            .flat_map(|d| d.triggers.iter().copied())
            .collect();
        if !fire.is_empty() {
            drafts[att].triggers.extend(fire);
            drafts[att].triggers.sort_by_key(|s| s.start);
            drafts.retain(|d| d.event_type != EventType::Clash);
        }
    }
    // One incident per sentence among the attack types: the most specific word names it.
    let best = drafts
        .iter()
        .enumerate()
        .filter(|(_, d)| is_attack(d.event_type))
        .min_by_key(|(i, d)| (specificity(d.event_type), *i))
        .map(|(i, _)| i);
    if let Some(best) = best {
        let mut merged = Vec::new();
        drafts = drafts
            .into_iter()
            .enumerate()
            .filter_map(|(i, d)| {
                if i != best && is_attack(d.event_type) {
                    merged.extend(d.triggers);
                    None
                } else {
                    Some(d)
                }
            })
            .collect();
        if let Some(d) = drafts.iter_mut().find(|d| is_attack(d.event_type)) {
            d.triggers.extend(merged);
        }
    }
    for d in &mut drafts {
        let pre = before(text, sent, d.triggers[0].start, PRE);
        d.anaphoric = determines(&rules.anaphoric, text, pre);
    }
    let date_spans: Vec<Span> = found_dates.iter().map(|(s, _, _)| *s).collect();
    casualties(rules, text, sent, &date_spans, &mut drafts);
    drafts
}

/// How many days `earlier` lies before `later` (both "YYYY-MM-DD").
fn days_before(earlier: &str, later: &str) -> Option<i64> {
    (1..=7)
        .find(|&n| dates::shift_days(earlier, n).as_deref() == Some(later))
        .or_else(|| (earlier == later).then_some(0))
}

/// "talks in Islamabad": the trigger is followed by "in" and a place more specific
/// than a country.
fn held_at(text: &str, sent: Span, span: Span, ents: &[crate::EntitySpan]) -> bool {
    let Some(rest) = text.get(span.end..sent.end) else {
        return false;
    };
    let Some(after_in) = rest.strip_prefix(" in ") else {
        return false;
    };
    let at = sent.end - after_in.len();
    ents.iter()
        .any(|e| e.start == at && e.entity_type.is_place() && e.entity_type != EntityType::Country)
}

/// Whether `span` lies inside a quotation opened earlier in the sentence.
fn quoted(text: &str, sent: Span, span: Span) -> bool {
    let Some(head) = text.get(sent.start..span.start) else {
        return false;
    };
    let straight = head.matches('"').count() % 2 == 1;
    let curly = head.matches('“').count() > head.matches('”').count();
    straight || curly
}

/// The subject a predicate befalls: the last subject phrase ending at most four
/// words before it in the same clause, not through a relative pronoun ("the truce
/// that ended the fighting" is no collapse).
fn befallen(text: &str, sent: Span, subjects: &Phrases<()>, verb: Span) -> Option<Span> {
    let pre = before(text, sent, verb.start, 60);
    let (subject, _) = subjects.find(text, pre).into_iter().next_back()?;
    let gap = text.get(subject.end..verb.start)?;
    let words: Vec<&str> = gap.split_whitespace().collect();
    let clause = !gap.contains([',', ';', ':', '.', '—', '–', '(', '"', '“']);
    let relative = words.iter().any(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "that" | "which" | "who" | "when" | "after" | "before"
        )
    });
    (clause && !relative && words.len() <= 4).then_some(subject)
}

/// "has not decided", "never met in 2020": a negation among the two words before.
fn negated(rules: &EventRules, text: &str, pre: Span) -> bool {
    let body = pre.slice(text);
    let mut starts = body
        .char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace() && (i == 0 || body[..i].ends_with(char::is_whitespace))
        })
        .map(|(i, _)| i);
    let from = starts.clone().count().saturating_sub(2);
    let from = starts.nth(from).unwrap_or(body.len());
    let tail = Span::new(pre.start + from, pre.end);
    rules.negations.any_in(text, tail)
        || tail.slice(text).contains("n't")
        || tail.slice(text).contains("n’t")
}

/// A date starts within a few words after `span` ("said in June 2021", "met on
/// Monday").
fn dated_after(found_dates: &[(Span, String, DatePrecision)], span: Span) -> bool {
    found_dates
        .iter()
        .any(|(d, _, _)| d.start >= span.end && d.start - span.end <= 25)
}

/// The span of up to `n` words after `pos` in the sentence.
fn next_words(text: &str, sent: Span, pos: usize, n: usize) -> Span {
    let rest = text.get(pos..sent.end).unwrap_or("");
    let mut end = pos;
    let mut seen = 0;
    for (i, c) in rest.char_indices() {
        if c.is_whitespace() && i > 0 && !rest[..i].ends_with(char::is_whitespace) {
            seen += 1;
            if seen >= n {
                break;
            }
        }
        end = pos + i + c.len_utf8();
    }
    Span::new(pos, end)
}

/// "On Monday, the envoy of Iran warned …": a date before the remark, then a named
/// speaker right before the verb (nothing but a title or name between them).
fn dated_speaker(
    doc: &DocEntities<'_>,
    verb: Span,
    found_dates: &[(Span, String, DatePrecision)],
) -> Option<String> {
    let text = doc.text;
    let (date, _, _) = found_dates
        .iter()
        .rfind(|(d, _, _)| d.end <= verb.start && verb.start - d.end <= 60)?;
    let e = doc
        .within(Span::new(date.end, verb.start))
        .iter()
        .rfind(|e| can_act(e.entity_type))?;
    // The speaker is the verb's subject: at most a comma-free aside between.
    let gap = text.get(e.end..verb.start)?;
    let subject = gap.split_whitespace().count() <= 1 && !gap.contains([',', ';', ':', '(']);
    let lead = text.get(date.end..e.start)?;
    // "On Monday, Iran warned": only punctuation, a title or a determiner before it.
    let opening = lead.split_whitespace().count() <= 4 && !lead.contains([';', ':']);
    (subject && opening).then(|| e.id.clone())
}

/// "The envoy recently warned", "the premier at the time said": an occasion word
/// right before the verb, and the named actor earlier in the clause who spoke (the
/// first: "Iran's envoy to the UN" speaks for Iran).
fn told_as_occasion(
    rules: &EventRules,
    doc: &DocEntities<'_>,
    sent: Span,
    verb: Span,
) -> Option<String> {
    let text = doc.text;
    let pre = before(text, sent, verb.start, 24);
    let (occasion, _) = rules
        .occasions
        .find(text, pre)
        .into_iter()
        .rfind(|(o, _)| {
            text.get(o.end..verb.start)
                .is_some_and(|g| g.trim().is_empty())
        })?;
    let clause = before(text, sent, occasion.start, 80);
    // Only the clause of the verb: stop at the last clause mark before it.
    let from = clause
        .slice(text)
        .rfind([';', ':', '—', '–', '“', '"'])
        .map_or(clause.start, |i| {
            let mark = clause.slice(text)[i..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
            clause.start + i + mark
        });
    doc.within(Span::new(from, occasion.start))
        .iter()
        .find(|e| can_act(e.entity_type))
        .map(|e| e.id.clone())
}

/// "<speaker>'s remarks", "the ministry's December report", "a recent UN report
/// confirms": a statement or report issued by a named speaker or body, with its
/// type (`other:report` for an international or research body's report) and the
/// issuer. A report merely cited ("according to a UN report") is none.
fn issued(
    rules: &EventRules,
    doc: &DocEntities<'_>,
    sent: Span,
    noun: Span,
    statement: bool,
    report: bool,
    found_dates: &[(Span, String, DatePrecision)],
) -> Option<(EventType, String)> {
    use EntityType::*;
    let text = doc.text;
    let ents = doc.within(sent);
    if report {
        if let Some(found) = report_by(rules, doc, sent, noun) {
            return Some(found);
        }
    }
    let e = ents.iter().rev().find(|e| e.end <= noun.start)?;
    let gap = text.get(e.end..noun.start)?;
    let (possessive, rest) = match gap.strip_prefix("’s").or_else(|| gap.strip_prefix("'s")) {
        Some(rest) => (true, rest),
        None => (false, gap),
    };
    // At most two words between, a date or an adjective ("December", "annual").
    let words: Vec<&str> = rest.split_whitespace().collect();
    let plain = words.len() <= 2
        && (possessive || rest.starts_with(char::is_whitespace))
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphanumeric() || c == '-'));
    if !plain {
        return None;
    }
    if rules
        .report_cited
        .any_in(text, before(text, sent, e.start, 30))
    {
        return None;
    }
    let body = matches!(
        e.entity_type,
        InternationalOrg | ResearchOrg | GovernmentBody | IntelligenceAgency | Military | State
    );
    let international = matches!(e.entity_type, InternationalOrg | ResearchOrg);
    // Fresh, dated, or said to find something.
    let fresh = rules.report_fresh.any_in(
        text,
        Span::new(before(text, sent, e.start, 20).start, noun.start),
    );
    let dated = words
        .iter()
        .any(|w| dates::mentions_date(w, Span::new(0, w.len())))
        || found_dates
            .iter()
            .any(|(d, _, _)| d.start >= noun.end && d.start - noun.end <= 40);
    let finds = rules
        .report_findings
        .any_in(text, next_words(text, sent, noun.end, 2));
    if report && international {
        return (possessive || fresh || dated || finds).then(|| (EventType::Report, e.id.clone()));
    }
    // A speaker's own remarks or a government's report: only the possessive names
    // who spoke, unless the report is fresh or dated ("a new ministry report").
    let speaker = body
        || matches!(
            e.entity_type,
            Person | ArmedGroup | Faction | PoliticalParty
        );
    let named = possessive || (report && body && (fresh || dated));
    // "The ministry's statement said troops …": the source of what follows.
    let sourcing = finds && !fresh && !dated;
    (statement && speaker && named && !sourcing).then(|| (EventType::Statement, e.id.clone()))
}

/// "A report by the UN monitoring team found …": an international or research
/// body's report named after the noun, news when it finds something.
fn report_by(
    rules: &EventRules,
    doc: &DocEntities<'_>,
    sent: Span,
    noun: Span,
) -> Option<(EventType, String)> {
    let text = doc.text;
    let rest = text.get(noun.end..sent.end)?;
    let after_by = rest
        .strip_prefix(" by the ")
        .or_else(|| rest.strip_prefix(" by "))?;
    let at = sent.end - after_by.len();
    let e = doc.within(Span::new(at, sent.end)).first()?;
    let international = matches!(
        e.entity_type,
        EntityType::InternationalOrg | EntityType::ResearchOrg
    );
    if e.start != at || !international {
        return None;
    }
    if rules
        .report_cited
        .any_in(text, before(text, sent, noun.start, 30))
    {
        return None;
    }
    // "the United Nations Analytical Support … Team": names run on into one body.
    let mut end = e.end;
    let mut body = e;
    for next in doc.within(Span::new(at, sent.end)).iter().skip(1) {
        if text
            .get(end..next.start)
            .is_some_and(|g| g.trim().is_empty())
        {
            end = next.end;
            body = next;
        } else {
            break;
        }
    }
    // "A report by the UN team, released on Monday, estimates …": past an aside.
    let after_aside = text
        .get(end..sent.end)
        .filter(|r| r.starts_with(','))
        .and_then(|r| {
            r.get(1..)?
                .find(',')
                .filter(|&i| i < 48)
                .map(|i| end + 1 + i + 1)
        });
    let finds = rules
        .report_findings
        .any_in(text, next_words(text, sent, end, 2))
        || after_aside.is_some_and(|at| {
            rules
                .report_findings
                .any_in(text, next_words(text, sent, at, 2))
        });
    // The body named last is the one that wrote it (the UN's monitoring team).
    let body = if matches!(
        body.entity_type,
        EntityType::InternationalOrg | EntityType::ResearchOrg
    ) {
        body
    } else {
        e
    };
    finds.then(|| (EventType::Report, body.id.clone()))
}

/// "a week after clashes …", "months after the group's hijacking": how many days the
/// trigger lies from the occasion the sentence dates (negative: before it); `Some(None)`
/// when the distance is too vague for a day, `None` when no distance is told.
fn distance(
    rules: &EventRules,
    text: &str,
    sent: Span,
    trig: Span,
) -> Option<(usize, Option<i64>)> {
    let pre = before(text, sent, trig.start, 48);
    let (conn, &sign) = rules
        .relative
        .find(text, pre)
        .into_iter()
        .rev()
        .find(|(c, _)| {
            let gap = text.get(c.end..trig.start).unwrap_or("x");
            gap.split_whitespace().count() <= 2 && !gap.contains([',', ';', ':', '.', '—'])
        })?;
    let head = text.get(sent.start..conn.start)?;
    let mut words = head.split_whitespace().rev();
    let unit = words.next()?.to_lowercase();
    let per = *rules.units.get(&unit)?;
    let count = match words.next().map(|w| w.to_lowercase()) {
        Some(w) if w.chars().all(|c| c.is_ascii_digit()) => w.parse::<i64>().ok(),
        Some(w) => rules.numbers.get(&w).map(|n| *n as i64),
        None => None,
    };
    // "months after", "several weeks before": no day to count back to.
    let days = count.filter(|_| per > 0).map(|n| sign * n * per);
    Some((conn.start, days))
}

/// A determiner of the trigger's own noun phrase: at most two words between it and
/// the trigger, no punctuation ("the brazen Bannu assault", "a series of Iranian
/// airstrikes").
fn determines(cues: &Phrases<()>, text: &str, pre: Span) -> bool {
    cues.find(text, pre).iter().any(|(s, _)| {
        let gap = text.get(s.end..pre.end).unwrap_or("x");
        // "over-the-horizon strikes": a word inside a compound is no determiner.
        let inside_compound =
            text.get(..s.start).is_some_and(|b| b.ends_with('-')) || gap.starts_with('-');
        !inside_compound
            && gap.split_whitespace().count() <= 2
            && !gap.contains([',', ';', ':', '.', '—'])
    })
}

/// "a bomb disposal squad", "a bomb threat": the trigger word only modifies the
/// noun after it.
fn modifies_a_noun(rules: &EventRules, text: &str, sent: Span, trig: Span) -> bool {
    let Some(rest) = text.get(trig.end..sent.end) else {
        return false;
    };
    let (rest, hyphen) = match rest.strip_prefix('-') {
        Some(r) => (r, 1),
        None => (rest, 0),
    };
    let lead = rest.len() - rest.trim_start().len();
    let Some(word) = rest
        .trim_start()
        .split(|c: char| !c.is_alphanumeric())
        .next()
    else {
        return false;
    };
    let start = trig.end + hyphen + lead;
    !word.is_empty()
        && rules
            .compounds
            .find(text, Span::new(start, start + word.len()))
            .iter()
            .any(|(s, _)| s.start == start && s.end == start + word.len())
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
fn ends_with_count(
    rules: &EventRules,
    text: &str,
    pre: Span,
    found_dates: &[(Span, String, DatePrecision)],
) -> bool {
    let body = pre.slice(text).trim_end();
    let last_word = body
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    let trimmed_end = pre.start + body.len();
    // "the April 9 killing": the day of a date, not a count.
    let in_date = found_dates
        .iter()
        .any(|(d, _, _)| d.start < trimmed_end && trimmed_end <= d.end);
    if last_word.chars().next().is_some_and(|c| c.is_ascii_digit()) && !in_date {
        return true;
    }
    rules
        .counts
        .find(text, pre)
        .iter()
        .any(|(s, _)| trimmed_end - s.end <= 1)
}

/// Killed and injured counts, each given to the event whose trigger comes last
/// before the cue (the first event when none does).
fn casualties(rules: &EventRules, text: &str, sent: Span, dates: &[Span], drafts: &mut [Draft]) {
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
        let Some(n) = count_near(rules, text, sent, cue, dates) else {
            continue;
        };
        // Only fighting has a toll: "told a news conference that 60 militants had been
        // killed" counts no one for the news conference.
        let fighting = |d: &Draft| violent(d.event_type);
        let Some(owner) = drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| fighting(d))
            .filter_map(|(i, d)| d.triggers.iter().any(|t| t.start <= cue.start).then_some(i))
            .next_back()
            .or_else(|| drafts.iter().position(fighting))
        else {
            continue;
        };
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
fn count_near(
    rules: &EventRules,
    text: &str,
    sent: Span,
    cue: Span,
    dates: &[Span],
) -> Option<f64> {
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
            return Some(n + more_after(rules, text, sent, cue, w));
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
    let mut pre = before(text, sent, cue.start, 70);
    // "Seven policemen were martyred and four others wounded": the wounded are the
    // phrase after the last casualty word, not everyone named before it.
    if let Some(last) = rules
        .killed
        .find(text, pre)
        .into_iter()
        .chain(rules.injured.find(text, pre))
        .map(|(s, _)| s.end)
        .filter(|&e| e < cue.start)
        .max()
    {
        pre = Span::new(last, pre.end);
    }
    // "In December 2024 a suicide bomber killed …": a year is when, never how many.
    let body: String = pre
        .slice(text)
        .char_indices()
        .map(|(i, c)| {
            let at = pre.start + i;
            if dates.iter().any(|d| d.start <= at && at < d.end) {
                ' '
            } else {
                c
            }
        })
        .collect();
    // Only the noun phrase right before the cue: stop at clause punctuation, but
    // step over an aside ("31 civilians, including women and children, were killed").
    let mut chunks = body.rsplit([',', ';', ':', '(', '—']);
    let aside = |chunk: &str| {
        chunk.trim().is_empty()
            || rules
                .asides
                .find(chunk, Span::new(0, chunk.len()))
                .iter()
                // "including …", "five of them soldiers": the aside word opens it.
                .any(|(s, _)| {
                    chunk
                        .get(..s.start)
                        .is_some_and(|h| h.split_whitespace().count() <= 1)
                })
    };
    let mut body = chunks.next().unwrap_or("");
    for _ in 0..2 {
        if !aside(body) {
            break;
        }
        match chunks.next() {
            Some(prev) => body = prev,
            None => break,
        }
    }
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
        // "No one was killed": a toll of zero, not one.
        if lower == "one" && i > 0 && tokens[i - 1].eq_ignore_ascii_case("no") {
            found = true;
            continue;
        }
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

/// "killing 13 soldiers and about 170 civilians": the counts joined by "and" to the
/// first one after a casualty cue, within the same clause.
fn more_after(rules: &EventRules, text: &str, sent: Span, cue: Span, first: &str) -> f64 {
    let hi = (cue.end + 80).min(sent.end);
    let Some(hi) = (cue.end..=hi).rev().find(|&i| text.is_char_boundary(i)) else {
        return 0.0;
    };
    let after = text.get(cue.end..hi).unwrap_or("");
    let mut words = after.split_whitespace().skip_while(|w| *w != first).skip(1);
    let mut total = 0.0;
    let mut nouns = 0;
    while let Some(w) = words.next() {
        // ("U.S." is an abbreviation: the sentence's own end is past `hi`.)
        if w.ends_with([',', ';', ':']) {
            break;
        }
        if w != "and" {
            nouns += 1;
            if nouns > 4 {
                break;
            }
            continue;
        }
        // After "and": a hedge or two, then a number, or the list is over.
        let mut found = None;
        for v in words.by_ref().take(3) {
            if let Some(n) = number(rules, v).filter(|_| !matches!(v, "a" | "an")) {
                found = Some(n);
                break;
            }
            if !matches!(
                v,
                "about" | "around" | "some" | "nearly" | "at" | "least" | "over" | "almost"
            ) {
                break;
            }
        }
        match found {
            Some(n) => {
                total += n;
                nouns = 0;
            }
            None => break,
        }
    }
    total
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
    // "No group immediately claimed responsibility"
    if rules
        .no_claim
        .any_in(doc.text, before(doc.text, sent, cue.start, 28))
    {
        return None;
    }
    let before_cue = doc.within(Span::new(sent.start, cue.start));
    let claimant = before_cue.iter().rev().find(|e| {
        is_perpetrator(e.entity_type) && cue.start - e.end <= 40 && !located(rules, doc.text, e)
    })?;
    Some(speaks_for(before_cue, claimant).id.clone())
}

/// "A spokesman for the banned TTP, Omar Khan, claimed responsibility": a person
/// right after a group speaks for it; the group is the one that claims.
fn speaks_for<'e>(
    ents: &'e [crate::EntitySpan],
    claimant: &'e crate::EntitySpan,
) -> &'e crate::EntitySpan {
    if claimant.entity_type != EntityType::Person {
        return claimant;
    }
    ents.iter()
        .rev()
        .find(|g| {
            matches!(g.entity_type, EntityType::ArmedGroup | EntityType::Faction)
                && g.end <= claimant.start
                && claimant.start - g.end <= 60
        })
        .unwrap_or(claimant)
}

/// Who did it, from the trigger's surroundings, and how the text links them.
fn perpetrator(
    rules: &EventRules,
    doc: &DocEntities<'_>,
    sent: Span,
    trig: Span,
) -> Option<(String, Qualifier)> {
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
        return Some((e.id.clone(), None));
    }
    // "BLA fighters hijacked": the group's members are the subject of the trigger;
    // "Taliban security forces killed": the trigger's own first word is the members.
    let members_lead = rules
        .members
        .find(text, trig)
        .first()
        .is_some_and(|(m, _)| m.start == trig.start);
    let subject = ents.iter().rev().find(|e| {
        e.end <= trig.start && trig.start - e.end <= 24 && is_perpetrator(e.entity_type) && {
            let gap = Span::new(e.end, trig.start);
            let gap_text = gap.slice(text);
            let words = gap_text.split_whitespace().count();
            let plain = gap_text
                .chars()
                .all(|c| c.is_alphabetic() || c.is_whitespace());
            let member_gap = (1..=2).contains(&words)
                && rules.members.find(text, gap).last().is_some_and(|(m, _)| {
                    text.get(m.end..trig.start)
                        .is_some_and(|g| g.trim().is_empty())
                });
            plain && (member_gap || (members_lead && words <= 1))
        }
    });
    if let Some(e) = subject {
        return Some((e.id.clone(), None));
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
            let said = cue.slice(text).to_lowercase();
            let q = match said.as_str() {
                "blamed on" | "attributed to" => Some("attributed"),
                "claimed by" => Some("claimed"),
                _ => None,
            };
            return Some((e.id.clone(), q));
        }
    }
    // "The TTP carried out a suicide attack"
    let pre = before(text, sent, trig.start, 40);
    if let Some((verb, _)) = rules.did.find(text, pre).into_iter().last() {
        let e = ents.iter().rev().find(|e| {
            e.end <= verb.start
                && verb.start - e.end <= 30
                && is_perpetrator(e.entity_type)
                && !located(rules, text, e)
        });
        if let Some(e) = e {
            let claimed = verb.slice(text).eq_ignore_ascii_case("claimed");
            let e = if claimed { speaks_for(ents, e) } else { e };
            return Some((e.id.clone(), claimed.then_some("claimed")));
        }
    }
    None
}

/// "In Pakistan, it claimed …": a place after a locative word is where, not who.
fn located(rules: &EventRules, text: &str, e: &crate::EntitySpan) -> bool {
    let prev = text
        .get(..e.start)
        .unwrap_or("")
        .trim_end()
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    e.entity_type.is_place() && !prev.is_empty() && rules.country_before.contains(&prev)
}

/// Words before a place that make it a route end, not where the event happened
/// ("travelling from Parachinar to Peshawar"); "to" only after a "from".
const ROUTE_TO: &[&str] = &["to", "towards", "toward"];

/// The most specific place of the sentence, nearest the trigger on ties; a place in
/// the dateline only when the sentence names no other, route ends never.
fn best_place<'e>(
    rules: &EventRules,
    text: &str,
    ents: &'e [crate::EntitySpan],
    anchor: Span,
    dateline: Option<Span>,
    clause: Span,
    among_others: bool,
) -> Option<&'e crate::EntitySpan> {
    let route = |e: &crate::EntitySpan| {
        let head = text.get(..e.start).unwrap_or("").trim_end();
        let prev = head
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let from_before = head.len() > prev.len()
            && head
                .get(head.len().saturating_sub(40)..head.len() - prev.len())
                .is_some_and(|h| h.contains("from "));
        // "the Peshawar-bound train": the destination; "the Islamabad-based think tank":
        // where someone sits, never where anything happened.
        let bound = text
            .get(e.end..)
            .is_some_and(|r| r.starts_with("-bound") || r.starts_with("-based"));
        bound || prev == "from" || (ROUTE_TO.contains(&prev.as_str()) && from_before)
    };
    let in_dateline = |e: &crate::EntitySpan| dateline.is_some_and(|d| e.end <= d.end);
    // "strikes on sites in Pakistan": a country is a place of fighting or of talks
    // after a locative word; "Pakistan said", "a claim India denied", "Qatar and Turkey
    // mediated" are actors. (A state's own decision, designation or operation may
    // take its country.)
    let actor_country = |e: &crate::EntitySpan| {
        let head = text.get(..e.start).unwrap_or("").trim_end();
        // "in Kerman, Iran": a country after a named town is where that town is.
        let head = match head.strip_suffix(',') {
            Some(h) => {
                let h = h.trim_end();
                let town = h.rsplit(char::is_whitespace).next().unwrap_or("");
                if town.starts_with(char::is_uppercase) {
                    &h[..h.len() - town.len()]
                } else {
                    head
                }
            }
            None => head,
        };
        let prev = head
            .trim_end()
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("")
            .to_lowercase();
        let object = text
            .get(anchor.end..e.start)
            .is_some_and(|g| g.trim().is_empty() || g.trim().eq_ignore_ascii_case("the"));
        e.entity_type == EntityType::Country
            && among_others
            && !object
            && !in_dateline(e)
            && !rules.country_before.is_empty()
            && !rules.country_before.contains(&prev)
    };
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
        // A place after another event's word is that event's ("seized power in 2021,
        // including a bombing at the airport").
        .filter(|e| {
            e.entity_type.is_place()
                && !route(e)
                && !actor_country(e)
                && e.start < clause.end
                && (e.start >= clause.start || in_dateline(e))
        })
        .min_by_key(|e| {
            // The event's own clause follows its trigger ("a bombing on a police
            // station in Bannu"); a place before it counts only as its modifier
            // ("the Bannu bombing") or when the sentence names no other.
            let own_clause =
                e.start >= anchor.end || (e.end <= anchor.start && anchor.start - e.end <= 12);
            (
                in_dateline(e),
                std::cmp::Reverse(rank(e.entity_type)),
                !own_clause,
                e.start.abs_diff(anchor.start),
            )
        })
}

/// "attack on the police station": the phrase after a target cue, as an entity id
/// when it holds one.
fn target(rules: &EventRules, doc: &DocEntities<'_>, sent: Span, trig: Span) -> Option<String> {
    let text = doc.text;
    // "hijacked the Jaffar Express": a transitive trigger's object is its target.
    let transitive = rules
        .object_verbs
        .find(text, trig)
        .iter()
        .any(|(s, _)| s.start == trig.start && s.end == trig.end);
    let next_word = text
        .get(trig.end..sent.end)
        .and_then(|r| r.split_whitespace().next())
        .map(|w| w.trim_end_matches([',', '.', ';', ':']).to_lowercase());
    let object = transitive && next_word.is_some_and(|w| !STOP.contains(&w.as_str()));
    let from = if object {
        trig.end
    } else {
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
        cue.end
    };
    let rest = text.get(from..sent.end)?;
    // Start at the phrase's first word: leading space is no word of it.
    let lead = rest.len() - rest.trim_start().len();
    let rest = &rest[lead..];
    let mut end = from + lead;
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
    let phrase_span = Span::new(from + lead, end);
    // "in a briefing on Jan. 4", "said on Saturday": a date is when, not whom.
    if dates::starts_with_date(text, Span::new(phrase_span.start, sent.end))
        || phrase_span
            .slice(text)
            .split_whitespace()
            .next()
            .is_some_and(dates::is_weekday)
    {
        return None;
    }
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
    // "fire at the Torkham crossing": a place is where, not whom.
    let place_only = doc.within(phrase_span).iter().any(|e| {
        e.entity_type.is_place()
            && text.get(e.end..phrase_span.end).is_some_and(|rest| {
                let rest = rest.trim().trim_end_matches([',', '.', ';', ':']);
                let one_word = rest.split_whitespace().count() == 1;
                rest.is_empty()
                    || (one_word && rules.place_nouns.any_in(rest, Span::new(0, rest.len())))
            })
    });
    (!phrase.is_empty() && !place_only).then(|| phrase.to_string())
}

/// Words that end a target noun phrase.
const STOP: &[&str] = &[
    "in", "at", "near", "on", "that", "which", "who", "killing", "leaving", "injuring", "wounding",
    "and", "after", "as", "when", "while", "from", "with", "by", "during", "for", "sparked", "was",
    "were", "is", "has", "had", "what", "where", "whom", "whose", "beyond", "than",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_text_around_the_new_cues_never_panics() {
        for src in [
            "[Iran|ir|country]—“recently said",
            "[UN|un|international_org]’s report",
            "a report by ",
            "a report by the",
            "flew to",
            "they met",
            "the truce … collapsed",
            "collapsed",
            "[Ali|ali|person]'s",
            "—recently warned— at the time said “é” report by [UN|un|international_org]",
            "These talks.\n\nThose talks.",
            "decided",
            "a week after",
            "after clashes",
            "é weeks after the raid",
            "“the truce",
            "\"",
            "talks in ",
            "talks in [Doha|doha|city]",
            "killed 5 and",
            "killed 5 é and about",
            "ÉÉ, [Iran|ir|country], strikes",
            ", [Iran|ir|country] strikes",
            "A report by [UN|un|international_org],",
            "A report by [UN|un|international_org], é",
            "A report by [UN|un|international_org] [UN|un|international_org],, says",
            "QUETTA, March 3: on Wednesday the raid",
            "QUETTA, Feb 30: on Wednesday the raid",
            "accused [Pakistan|pk|country] of backing",
            "forces killed",
            "2024 killed",
            "seven, most of them é, were killed and four wounded",
        ] {
            let _ = run(src, Some("2025-01-15"));
            let _ = run(src, None);
        }
    }

    #[test]
    fn next_words_stops_after_the_nth_word() {
        let text = "flew to the Afghan capital and back";
        let w = next_words(text, Span::new(0, text.len()), 7, 3);
        assert_eq!(w.slice(text), " the Afghan capital");
        let w = next_words(text, Span::new(0, text.len()), 26, 9);
        assert_eq!(w.slice(text), " and back");
    }
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

    /// "type date place perpetrator target | rule" per event.
    fn describe(src: &str, published: Option<&str>) -> Vec<String> {
        run(src, published)
            .iter()
            .map(|e| {
                format!(
                    "{} {} {} {} {} | {}",
                    e.event_type,
                    e.date.as_deref().unwrap_or("-"),
                    e.place.as_deref().unwrap_or("-"),
                    e.perpetrator.as_deref().unwrap_or("-"),
                    e.target.as_deref().unwrap_or("-"),
                    e.rule,
                )
            })
            .collect()
    }

    #[test]
    fn members_of_a_group_as_subject_name_the_perpetrator_and_one_incident_is_one_event() {
        assert_eq!(
            describe(
                "In March, [BLA|bla] fighters hijacked a bus near [Turbat|turbat|city], taking 30 passengers hostage before the siege ended.",
                Some("2025-09-10"),
            ),
            ["hijacking 2025-03 turbat bla bus | event:hijacked"]
        );
        // Punctuation between the name and the trigger: no subject.
        check(
            "[QUETTA|quetta|city], [Pakistan|pk|country] — Gunmen ambushed a van on Sunday.",
            Some("2024-06-12"),
            &["armed_assault 2024-06-09 quetta - -"],
        );
    }

    #[test]
    fn a_security_force_operation_is_one_operation_with_its_toll() {
        check(
            "Troops killed 12 insurgents in a search operation in [Zhob|zhob|district] on May 5.",
            Some("2024-06-01"),
            &["other:military_operation 2024-05-05 zhob - 12"],
        );
        check("The group runs its operations from safe houses.", None, &[]);
        check(
            "These days the movement prefers dispersed cells and small attacks over coordinated offensives.",
            Some("2024-06-01"),
            &[],
        );
    }

    #[test]
    fn a_campaign_launched_in_a_year_is_an_operation() {
        check(
            "The army launched several operations to clear [North Waziristan|north-waziristan|district] in 2014.",
            Some("2024-06-01"),
            &["other:military_operation 2014 north-waziristan - -"],
        );
        check(
            "The military began its counterterrorism operations in the valley in 2009.",
            Some("2024-06-01"),
            &["other:military_operation 2009 - - -"],
        );
    }

    #[test]
    fn a_seizure_of_power_is_a_takeover() {
        check(
            "In August 2021, the [Taliban|afghan-taliban|armed_group] retook [Kabul|kabul|city] without a fight.",
            Some("2024-06-01"),
            &["other:takeover 2021-08 kabul afghan-taliban -"],
        );
        check(
            "Attacks rose sharply after the movement's return to power in 2021.",
            Some("2024-06-01"),
            &["other:takeover 2021 - - -"],
        );
    }

    #[test]
    fn background_takeovers_and_militant_operations_are_not_events() {
        // The raid is the news; the takeover after "since" is its background.
        check(
            "Jets struck [Barmal|barmal|district] on December 24, 2024, in the deadliest raid since the [Taliban|afghan-taliban|armed_group] returned to power.",
            Some("2025-01-02"),
            &["armed_assault 2024-12-24 barmal - -"],
        );
        // Militants' "operation" is not a security-force operation.
        check(
            "Officials said the [Moscow|moscow|city] operation had been organised by the cell.",
            Some("2025-01-02"),
            &[],
        );
        // Nothing to refer back to, no date, no place: no event.
        check(
            "[Pakistan|pakistan|country] launched several operations to clear the valley in 2015.",
            Some("2025-01-02"),
            &["other:military_operation 2015 pakistan pakistan -"],
        );
        check(
            "[Pakistani|pakistan|country] officials said the army operation had been planned for weeks.",
            Some("2025-01-02"),
            &[],
        );
        check(
            "Officials said the army operation had been planned for weeks.",
            Some("2025-01-02"),
            &[],
        );
        // "overran a checkpost" is an attack, not a seizure of power.
        check(
            "Fighters overran a checkpost in [Makeen|makeen|town] on December 21.",
            Some("2025-01-02"),
            &[],
        );
    }

    #[test]
    fn a_takeover_told_again_later_is_the_same_takeover() {
        check(
            "In August 2021, the [Taliban|afghan-taliban|armed_group] retook [Afghanistan|afghanistan|country] by force. \
             Refugees crossed daily. Aid dried up. Prices doubled. \
             Since the [Taliban|afghan-taliban|armed_group]'s return to power in [Kabul|kabul|city], trade has slumped.",
            Some("2024-06-01"),
            &["other:takeover 2021-08 afghanistan afghan-taliban -"],
        );
    }

    #[test]
    fn a_groups_founding_year_is_a_founding() {
        check(
            "The alliance was founded in 2014 by three breakaway commanders.",
            Some("2024-06-01"),
            &["other:founding 2014 - - -"],
        );
        check("The founding members met in secret.", None, &[]);
    }

    #[test]
    fn security_forces_killing_militants_is_a_clash_and_a_shooting_a_killing() {
        check(
            "Security forces killed five militants in [Bannu|bannu|district] on Monday.",
            Some("2024-06-12"),
            &["clash 2024-06-10 bannu - 5"],
        );
        check(
            "A tribal elder was shot dead in [Wana|wana|town] on Monday.",
            Some("2024-06-12"),
            &["killing 2024-06-10 wana - -"],
        );
        check("Militants encountered no resistance.", None, &[]);
    }

    #[test]
    fn a_later_reference_to_the_incident_is_not_a_new_event() {
        check(
            "Militants ambushed a police patrol in [Lakki Marwat|lakki|district] on Monday, killing three officers. The patrol came under attack near a bridge. The governor condemned the attack.",
            Some("2024-06-12"),
            &["armed_assault 2024-06-10 lakki - 3"],
        );
        // A second dated bombing is its own event.
        check(
            "A bomb exploded in [Quetta|quetta|city] on May 2. The bombing in [Gwadar|gwadar|city] on May 9 was worse.",
            Some("2024-06-12"),
            &["bombing 2024-05-02 quetta - -", "bombing 2024-05-09 gwadar - -"],
        );
    }

    #[test]
    fn coming_under_attack_in_the_next_sentence_is_the_attack_just_told() {
        check(
            "Gunmen ambushed a bus in [Kohat|kohat|district] on Monday, killing four. \
             The bus came under attack near the village of [Jarma|jarma|town], police said.",
            Some("2025-01-15"),
            &["armed_assault 2025-01-13 kohat - 4"],
        );
        // Further on, another place is another attack.
        check(
            "Gunmen ambushed a bus in [Kohat|kohat|district] on Monday, killing four. \
             Schools closed. Markets emptied. \
             A post came under attack near [Jarma|jarma|town].",
            Some("2025-01-15"),
            &["armed_assault 2025-01-13 kohat - 4", "attack - jarma - -"],
        );
    }

    #[test]
    fn an_undated_repeat_of_the_same_type_adds_its_toll_to_the_first() {
        check(
            "A suicide bombing struck a market in [Bannu|bannu|district] last week. Two guards were killed when the suicide bomber detonated his vest.",
            Some("2024-06-12"),
            &["suicide_bombing 2024-06 bannu - 2"],
        );
    }

    #[test]
    fn an_undated_first_mention_takes_the_date_of_the_next() {
        check(
            "A roadside bomb hit a van in [Kech|kech|district]. The roadside bomb went off on Monday, police said.",
            Some("2024-06-12"),
            &["bombing 2024-06-10 kech - -"],
        );
    }

    #[test]
    fn a_bomb_with_a_toll_of_no_one_and_a_dated_anaphor() {
        check(
            "A bomb hit a police van in [Bajaur|bajaur|district] on Wednesday, injuring five officers. No one was killed in the blast.",
            Some("2025-09-18"),
            &["bombing 2025-09-17 bajaur - 0"],
        );
        check(
            "Gunmen kidnapped two engineers in [Khuzdar|khuzdar|district] on Friday. The kidnapping was the third in the district this year.",
            Some("2025-09-18"),
            &["kidnapping 2025-09-12 khuzdar - -"],
        );
    }

    #[test]
    fn an_attack_that_kills_is_an_attack_and_blame_in_the_next_sentence_attributes() {
        check(
            "Five guards were killed when militants attacked a post in [Tank|tank|district] on Tuesday.",
            Some("2025-09-18"),
            &["attack 2025-09-16 tank - 5"],
        );
        assert_eq!(
            describe(
                "On Sunday, a drone strike hit a compound in [Paktika|paktika|province]. [The Taliban|taliban] blamed [Pakistan|pk|country] for the strike.",
                Some("2025-09-18"),
            ),
            ["airstrike 2025-09-14 paktika pk - | event:drone strike perpetrator:attributed"]
        );
    }

    #[test]
    fn the_subject_of_a_passive_blame_is_the_perpetrator() {
        assert_eq!(
            describe(
                "The bombing of a mosque in [Peshawar|peshawar|city] in January 2023 killed 80 people. [Jamaat-ul-Ahrar|jua] was blamed for the attack, although [the TTP|ttp] denied involvement.",
                None,
            ),
            ["bombing 2023-01 peshawar jua mosque | event:bombing perpetrator:attributed"]
        );
    }

    #[test]
    fn a_possessive_weekday_dates_the_event_and_claimed_by_is_a_claim() {
        assert_eq!(
            describe(
                "Tuesday's ambush in [Zhob|zhob|district], claimed by [the BLA|bla], left four dead.",
                Some("2025-09-18"),
            ),
            ["armed_assault 2025-09-16 zhob bla - | event:ambush perpetrator:claimed"]
        );
    }

    #[test]
    fn habits_and_modifiers_are_not_events() {
        check(
            "Analysts note that [the group|ttp]'s suicide bombings now target police stations in [Bannu|bannu|district].",
            None,
            &[],
        );
        check(
            "A bomb disposal squad defused a device in [Tank|tank|district] on Monday.",
            Some("2025-09-18"),
            &[],
        );
    }

    #[test]
    fn talks_elsewhere_are_other_talks() {
        check(
            "Envoys held talks in [Doha|doha|city] on May 3. Later the talks in [Kabul|kabul|city] stalled.",
            Some("2024-06-12"),
            &["talks 2024-05-03 doha - -", "talks 2024 kabul - -"],
        );
    }

    #[test]
    fn the_dateline_is_a_place_of_last_resort_and_route_ends_are_none() {
        check(
            "[QUETTA|quetta|city], [Pakistan|pk|country] — A roadside bomb killed two soldiers in [Kech|kech|district] on Sunday.",
            Some("2024-06-12"),
            &["bombing 2024-06-09 kech - 2"],
        );
        check(
            "A bus travelling from [Gilgit|gilgit|city] to [Rawalpindi|rwp|city] was ambushed on Tuesday.",
            Some("2024-06-12"),
            &["armed_assault 2024-06-11 - - -"],
        );
        check(
            "Gunmen ambushed the [Quetta|quetta|city]-bound coach near [Mach|mach|town] on Tuesday.",
            Some("2024-06-12"),
            &["armed_assault 2024-06-11 mach - -"],
        );
    }

    #[test]
    fn the_target_phrase_is_whole() {
        let ev = run(
            "Gunmen opened fire on a convoy of passenger vehicles in [Kurram|kurram|district] on Thursday.",
            Some("2024-11-22"),
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(
            ev[0].target.as_deref(),
            Some("convoy of passenger vehicles")
        );
        check(
            "[Washington|us|country] designated the [BLA|bla] a terrorist group in 2019.",
            None,
            &["designation 2019 us us -"],
        );
        assert_eq!(
            run(
                "[Washington|us|country] designated the [BLA|bla] a terrorist group in 2019.",
                None
            )[0]
            .target
            .as_deref(),
            Some("bla")
        );
    }

    #[test]
    fn suspicion_claim_and_blame_are_qualified() {
        assert_eq!(
            describe(
                "Gunmen opened fire on a bus in [Kohat|kohat|district] on Thursday. No group claimed responsibility, but officials suspect militants linked to [the TTP|ttp].",
                Some("2024-11-22"),
            ),
            ["armed_assault 2024-11-21 kohat ttp bus | event:opened fire perpetrator:suspected"]
        );
        assert_eq!(
            describe(
                "The bombing in [Peshawar|peshawar|city] on Friday was blamed on [the TTP|ttp].",
                Some("2024-11-22"),
            ),
            ["bombing 2024-11-22 peshawar ttp - | event:bombing perpetrator:attributed"]
        );
        assert_eq!(
            describe(
                "[The HGB|hgb] claimed responsibility for the blast in [Bannu|bannu|district].",
                None,
            ),
            ["bombing - bannu hgb - | event:blast perpetrator:claimed"]
        );
        // "suspected TTP hideouts" describes the target, not a suspect.
        check(
            "Airstrikes on suspected [TTP|ttp] hideouts hit [Khost|khost|province] on Monday.",
            Some("2024-11-22"),
            &[],
        );
        check(
            "An air strike on suspected [TTP|ttp] hideouts hit [Khost|khost|province] on Monday.",
            Some("2024-11-22"),
            &["airstrike 2024-11-18 khost - -"],
        );
    }

    #[test]
    fn quotes_delivered_in_a_statement_are_sources_unless_dated() {
        check(
            "“We will respond,” [the minister|min|person] said in a statement.",
            None,
            &[],
        );
        check(
            "[The minister|min|person] said in an interview on May 2 that the border would reopen.",
            Some("2024-06-12"),
            &["statement 2024-05-02 - min -"],
        );
        // A date that cannot be resolved still makes the occasion news.
        let ev = run(
            "[The envoy|env|person] spoke of peace in a briefing on Jan. 4.",
            None,
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].target, None);
    }

    #[test]
    fn a_dated_remark_reporting_an_attack_is_its_source() {
        check(
            "[The army|army|military] said on Wednesday that militants ambushed a convoy in [Tank|tank|district].",
            Some("2025-09-18"),
            &["armed_assault 2025-09-17 tank - -"],
        );
    }

    #[test]
    fn datelines_in_wire_and_newspaper_styles() {
        check(
            "[PESHAWAR|peshawar|city]: A bomb killed two people in [Khyber|khyber|district] on Sunday.",
            Some("2024-06-12"),
            &["bombing 2024-06-09 khyber - 2"],
        );
        check(
            "[QUETTA|quetta|city], June 10 (Reuters) - A blast hit a market in [Kalat|kalat|district] on Monday.",
            Some("2024-06-12"),
            &["bombing 2024-06-10 kalat - -"],
        );
        // A sentence that merely starts with a capitalised word has no dateline.
        check(
            "[Quetta|quetta|city] police said: a blast hit [Kalat|kalat|district] on Monday.",
            Some("2024-06-12"),
            &["bombing 2024-06-10 kalat - -"],
        );
    }

    #[test]
    fn the_place_in_the_event_clause_beats_an_earlier_one() {
        check(
            "Militants struck [Tank|tank|district] and [Kohat|kohat|district], including a suicide bombing on a police post in [Bannu|bannu|district] in July.",
            Some("2025-09-18"),
            &["suicide_bombing 2025-07 bannu - -"],
        );
        check(
            "The [Kohat|kohat|district] ambush left [Tank|tank|district] shaken on Monday.",
            Some("2025-09-18"),
            &["armed_assault 2025-09-15 kohat - -"],
        );
    }

    #[test]
    fn a_place_is_no_target() {
        let ev = run(
            "Border guards exchanged fire at the [Torkham|torkham|border_crossing] crossing on Monday.",
            Some("2025-09-18"),
        );
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].target, None);
        let ev = run(
            "A bomb went off at the [Quetta|quetta|city] press club on Monday.",
            Some("2025-09-18"),
        );
        assert_eq!(ev[0].target.as_deref(), Some("Quetta press club"));
    }

    #[test]
    fn arson_is_an_attack() {
        check(
            "Militants torched a girls' school in [Wana|wana|town] on Saturday.",
            Some("2025-09-18"),
            &["attack 2025-09-13 wana - -"],
        );
    }

    #[test]
    fn compounds_and_counts_are_not_determiners() {
        check(
            "[Washington|us|country] wants over-the-horizon strikes.",
            None,
            &[],
        );
        check(
            "The number of attacks in [Bannu|bannu|district] rose.",
            None,
            &[],
        );
        check(
            "Of 90 raids that year, 60 of those assaults hit [Tank|tank|district].",
            None,
            &[],
        );
    }

    #[test]
    fn a_named_speakers_remark_told_as_an_occasion_is_a_statement() {
        assert_eq!(
            describe(
                "[Iran|ir|country]'s envoy to [the OIC|oic|international_org] recently stressed that the border must stay open.",
                Some("2025-01-15"),
            ),
            ["statement - ir ir - | event:stressed"]
        );
        assert_eq!(
            describe(
                "[Nepal|np|country]'s foreign minister at the time said the treaty was dead.",
                Some("2025-01-15"),
            ),
            ["statement - np np - | event:said"]
        );
        // A date opening the sentence dates the named speaker's remark.
        assert_eq!(
            describe(
                "On Tuesday, [Nepal|np|country]'s foreign minister [Ram Thapa|thapa|person] warned that the treaty was dead.",
                Some("2025-01-15"),
            ),
            ["statement 2025-01-14 np thapa - | event:warned"]
        );
        // … but not a remark far from the date, or one without a named speaker.
        check(
            "In 2023, the border stayed shut for months, and traders said prices doubled.",
            Some("2025-01-15"),
            &[],
        );
        // An ordinary "said" with neither a date nor an occasion is sourcing.
        check(
            "[Nepal|np|country]'s foreign minister said the treaty was dead.",
            Some("2025-01-15"),
            &[],
        );
        // "recently" with no named speaker before it is no statement.
        check("Some analysts recently warned of a new surge.", None, &[]);
    }

    #[test]
    fn a_speakers_own_remarks_and_a_bodys_dated_report_are_statements() {
        assert_eq!(
            describe(
                "Tension rose after [Ali Rehman|ali|person]'s remarks about the dam.",
                None,
            ),
            ["statement - - ali - | event:remarks"]
        );
        assert_eq!(
            describe(
                "[The interior ministry|moi|government_body]'s October report listed 40 new cells.",
                Some("2025-01-15"),
            ),
            ["statement - - moi - | event:report"]
        );
        // "<body>'s statement said …" is the source of what follows.
        check(
            "[The provincial police|kpp|government_body]'s statement said the suspects fled.",
            None,
            &[],
        );
        // Remarks about an incident are news beside it.
        assert_eq!(
            describe(
                "[Sana Mir|sana|person]'s remarks on the ambush angered the opposition.",
                None,
            ),
            // (the bare "the ambush" with nothing told before is no incident)
            ["statement - - sana - | event:remarks"]
        );
        check(
            "The council of clerics issued a fatwa against suicide attacks in 2022.",
            Some("2025-01-15"),
            &["statement 2022 - - -"],
        );
        // A report cited as a source is no event.
        check(
            "According to [the ministry|moi|government_body]'s report, 40 cells remain.",
            None,
            &[],
        );
    }

    #[test]
    fn an_international_bodys_fresh_or_finding_report_is_a_report() {
        assert_eq!(
            describe(
                "A new [UNAMA|unama|international_org] report finds that civilian deaths doubled.",
                None,
            ),
            ["other:report - - unama - | event:report"]
        );
        assert_eq!(
            describe(
                "[The WHO|who|international_org] report released in March 2024 counted 300 clinics closed. \
                 The [WHO|who|international_org] report also warns of cholera.",
                Some("2025-01-15"),
            ),
            ["other:report 2024-03 - who - | event:report"]
        );
        assert_eq!(
            describe(
                "A report by the [UN panel|unp|international_org] found that the camps had moved.",
                None,
            ),
            ["other:report - - unp - | event:report"]
        );
        check(
            "According to a report by [UNAMA|unama|international_org], the camps moved.",
            None,
            &[],
        );
        check(
            "Analysts cite a [UNAMA|unama|international_org] report on the war.",
            None,
            &[],
        );
    }

    #[test]
    fn visits_go_to_a_named_place_or_a_capital() {
        assert_eq!(
            describe(
                "The army chief flew to [Beijing|beijing|city] in May 2024 for security talks.",
                Some("2025-01-15"),
            ),
            ["other:visit 2024-05 beijing - - | event:flew to"]
        );
        // The destination, not another place in the sentence, is where it went.
        check(
            "Weeks after the fall of [Herat|herat|city], a visit to [Iran|ir|country] by the governor was announced.",
            None,
            &["other:visit - ir - -"],
        );
        check(
            "A month after the fall of [Jalalabad|jbd|city], she visited the Afghan capital.",
            None,
            &["other:visit - jbd - -"],
        );
        // A shell that lands somewhere made no visit.
        check(
            "A rocket landed in [Chitral|chitral|district] in May 2024.",
            Some("2025-01-15"),
            &[],
        );
        // A trip with nowhere named after it is no visit.
        check(
            "The minister visited often, long before the war in [Quetta|quetta|city] began.",
            None,
            &[],
        );
    }

    #[test]
    fn a_dated_gathering_is_a_meeting_and_talks_win_over_it() {
        check(
            "Village elders met in October 2023 and rejected the curfew.",
            Some("2025-01-15"),
            &["other:meeting 2023-10 - - -"],
        );
        check("The elders met and talked.", None, &[]);
        check(
            "The governor chaired a meeting of the apex committee in [Quetta|quetta|city].",
            None,
            &["other:meeting - quetta - -"],
        );
        check(
            "A jirga in [Khyber|khyber|district] demanded compensation on Friday.",
            Some("2025-01-17"),
            &["other:meeting 2025-01-17 khyber - -"],
        );
        check(
            "Envoys met with [the TTP|ttp] in May 2024.",
            Some("2025-01-15"),
            &["talks 2024-05 - - -"],
        );
        check(
            "Provincial officials held meetings with [the TLA|tla] leadership in [Herat|herat|city].",
            None,
            &["talks - herat - -"],
        );
        // A council as an institution is no gathering.
        check(
            "Critics say the jirga system in [Kurram|kurram|district] favours elders.",
            None,
            &[],
        );
        check("The elders never met in 2023.", Some("2025-01-15"), &[]);
        // "on Monday" is when they met, not whom.
        let ev = run("Clerics met on Monday at a seminary.", Some("2025-01-15"));
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].target, None);
    }

    #[test]
    fn undated_talks_take_the_year_of_their_paragraph() {
        assert_eq!(
            describe(
                "After the March 2022 border closure, [Qatar|qa|country] offered to host negotiations. \
                 These talks made quick progress.",
                Some("2025-01-15"),
            ),
            ["talks 2022 - - - | event:talks date:context"]
        );
        // A new paragraph starts a new narrative: no date borrowed across it (and
        // undated, unplaced "these talks" with nothing told before are no event).
        check(
            "The border closed in March 2022.\nThese talks made quick progress.",
            Some("2025-01-15"),
            &[],
        );
    }

    #[test]
    fn a_truce_that_ends_is_a_ceasefire_collapse() {
        check(
            "By winter the Doha-brokered truce collapsed and raids resumed.",
            None,
            &["other:ceasefire_collapse - - - -"],
        );
        // The truce named, then what befell it a few words on.
        check(
            "An aide said the truce with [the TLA|tla] had collapsed within weeks.",
            None,
            &["other:ceasefire_collapse - - - -"],
        );
        check(
            "The truce that ended the feud held for a year.",
            None,
            &["ceasefire - - - -"],
        );
        check("The accord has not collapsed yet.", None, &[]);
        // No other cue in the sentence: the predicate alone finds it.
        check(
            "By March the peace accord had unravelled.",
            None,
            &["other:ceasefire_collapse - - - -"],
        );
        check(
            "[The TLA|tla] called off the ceasefire after two months.",
            None,
            &["other:ceasefire_collapse - - tla -"],
        );
    }

    #[test]
    fn a_governments_decision_is_a_policy_decision() {
        check(
            "The federal cabinet decided to shut all refugee camps.",
            None,
            &["other:policy_decision - - - -"],
        );
        // Anyone else's decision is no policy, even with a country named in passing.
        check("The shopkeepers decided to close early.", None, &[]);
        check(
            "The smugglers decided to avoid [Iran|ir|country] that winter.",
            None,
            &[],
        );
        // A decision not taken is none.
        check(
            "The provincial government has not decided on the curfew.",
            None,
            &[],
        );
        check(
            "The cabinet decided it would reopen the crossing.",
            None,
            &["other:policy_decision - - - -"],
        );
    }

    #[test]
    fn halted_aid_is_an_aid_suspension() {
        check(
            "Security assistance was suspended in 2019 after the audit.",
            Some("2025-01-15"),
            &["other:aid_suspension 2019 - - -"],
        );
        check(
            "[Japan|jp|country] suspended military aid to the junta.",
            None,
            &["other:aid_suspension - jp jp -"],
        );
    }

    #[test]
    fn surveillance_and_joint_training_need_a_place_or_date() {
        assert_eq!(
            describe(
                "In 2022, a courier linked to [the IMU|imu] was caught surveilling a consulate in [Karachi|karachi|city].",
                Some("2025-01-15"),
            ),
            ["other:surveillance 2022 karachi imu - | event:surveilling perpetrator:suspected"]
        );
        check(
            "[IMU|imu] cadres held joint exercises with local cells in [Badakhshan|bdk|province].",
            None,
            &["other:joint_training - bdk - -"],
        );
        check("The two groups favour joint training.", None, &[]);
    }

    /// "type killed injured" per event.
    fn tolls(src: &str, published: Option<&str>) -> Vec<String> {
        run(src, published)
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    e.event_type,
                    e.killed.map_or("-".to_string(), |k| k.to_string()),
                    e.injured.map_or("-".to_string(), |k| k.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn a_year_is_no_toll_and_the_wounded_are_counted_after_the_dead() {
        assert_eq!(
            tolls(
                "In March 2023 a gunman shot dead the cleric [Abdul Rauf|rauf|person] in [Chaman|chaman|town].",
                Some("2024-01-10"),
            ),
            ["killing - -"]
        );
        assert_eq!(
            tolls(
                "Three guards were killed and two others injured when a bomb exploded in [Turbat|turbat|town].",
                None,
            ),
            ["bombing 3 2"]
        );
        assert_eq!(
            tolls(
                "At least 19 villagers, most of them farmers, were killed when gunmen attacked a market in [Zhob|zhob|district].",
                None,
            ),
            ["armed_assault 19 -"]
        );
        assert_eq!(
            tolls(
                "Eleven people, four of them children, were killed when a bomb exploded in [Turbat|turbat|town].",
                None,
            ),
            ["bombing 11 -"]
        );
        assert_eq!(
            tolls(
                "In [Tank|tank|district], six militants were sent to hell in an exchange of fire with troops.",
                None,
            ),
            ["clash 6 -"]
        );
    }

    #[test]
    fn a_spokesman_claims_for_his_group() {
        check(
            "Gunmen attacked a levies post in [Kalat|kalat|district]. A spokesman for the outlawed [BLF|blf], [Gwahram Baloch|gwahram|person], claimed responsibility for the raid.",
            None,
            &["armed_assault - kalat blf -"],
        );
    }

    #[test]
    fn a_definite_mention_of_the_fighting_just_told_is_that_incident() {
        check(
            "Militants attacked a checkpoint in [Bannu|bannu|district] on Friday. The gunfight went on until dawn.",
            Some("2024-09-02"),
            &["attack 2024-08-30 bannu - -"],
        );
    }

    #[test]
    fn a_refusal_denies_the_occurrence() {
        check(
            "The rebels refuse talks with the provincial government.",
            None,
            &[],
        );
        check(
            "Both sides rejected the truce on Monday.",
            Some("2024-09-02"),
            &[],
        );
    }

    #[test]
    fn where_someone_is_based_and_countries_that_act_are_no_places() {
        check(
            "A [Kabul|kabul|city]-based monitor said the bombing killed nine people.",
            None,
            &["bombing - - - 9"],
        );
        check(
            "[Oman|om|country] and [Egypt|eg|country] facilitated talks between the two sides.",
            None,
            &["talks - - eg -"],
        );
        check(
            "The drone strikes hit a compound in [Yemen|ye|country] on Sunday.",
            Some("2024-09-02"),
            &["airstrike 2024-09-01 ye - -"],
        );
    }

    #[test]
    fn a_sentence_holds_a_main_event_and_a_background_one_with_their_own_places() {
        check(
            "[Iran|ir|country] launched missile strikes on camps in [Pakistan|pk|country] on Tuesday in reply to last week's bombing in [Zahedan|zahedan|city].",
            Some("2024-01-18"),
            &[
                "airstrike 2024-01-16 pk ir -",
                "bombing 2024-01 zahedan - -",
            ],
        );
    }

    #[test]
    fn a_raid_in_which_forces_killed_is_one_incident() {
        check(
            "Police commandos killed four kidnappers in a dawn raid in [Larkana|larkana|district].",
            None,
            &["armed_assault - larkana - 4"],
        );
    }

    #[test]
    fn a_trigger_at_a_told_distance_from_the_dated_occasion() {
        check(
            "Both sides reopened the [Torkham|torkham|border_crossing] crossing on Monday, ten days after clashes between their troops killed six people.",
            Some("2024-03-20"),
            &["clash 2024-03 - - 6"],
        );
        check(
            "The envoy resigned on May 3, 2024, months after the gang's kidnapping of two engineers in [Sibi|sibi|district].",
            None,
            &["kidnapping - sibi - -"],
        );
        check(
            "Police arrived hours after the ambush in [Kech|kech|district] on Sunday.",
            Some("2024-03-20"),
            &["armed_assault 2024-03-17 kech - -"],
        );
    }

    #[test]
    fn a_definite_mention_with_nothing_to_refer_to_or_of_its_own_is_no_incident() {
        check("The ministry did not confirm the ambush.", None, &[]);
        check(
            "Investigators will ask whether foreign fighters took part in the clashes.",
            None,
            &[],
        );
    }

    #[test]
    fn a_place_opening_the_sentence_is_not_who_claimed() {
        check(
            "In [Afghanistan|af|country], it claimed the bombing of a mosque in [Kunduz|kunduz|city] in October 2021.",
            None,
            &["bombing 2021-10 kunduz - -"],
        );
        check(
            "The group was blamed for a bombing in Herat, [Afghanistan|af|country], on June 2, 2023.",
            None,
            &["bombing 2023-06-02 af - -"],
        );
    }

    #[test]
    fn a_target_is_a_short_noun_phrase_and_planning_is_no_attack() {
        let got = describe(
            "On May 2 the rebels said they had attacked several posts beyond what the army admits.",
            Some("2024-06-01"),
        );
        assert_eq!(got.len(), 1);
        assert!(got[0].contains(" several posts | "), "{got:?}");
        check(
            "Instructors at camps in [Kunar|kunar|province] teach the recruits attack planning.",
            None,
            &[],
        );
    }

    #[test]
    fn a_definite_plural_sums_or_adds_to_the_incident_told() {
        // Nothing told before: a sum, no event.
        check(
            "A research group said the bombings killed 140 people, most of them civilians.",
            None,
            &[],
        );
        // Told before: its toll adds to that incident.
        check(
            "A drone strike hit a camp in [Kunar|kunar|province] on Monday. Officials said 14 people were killed in the strikes.",
            Some("2024-09-04"),
            &["airstrike 2024-09-02 kunar - 14"],
        );
        check(
            "Gunmen stormed a hotel in [Gwadar|gwadar|city] on Friday. Doctors in [Gwadar|gwadar|city] said nine guests were wounded in the shootings.",
            Some("2024-09-04"),
            &["armed_assault 2024-08-30 gwadar - -"],
        );
    }

    #[test]
    fn words_inside_a_quotation_tell_no_incident() {
        check(
            "\"The truce binds the two armies only,\" said [Omar Zia|zia|person], an analyst in [Lahore|lahore|city].",
            None,
            &[],
        );
        check(
            "“Another massacre like the one in [Kalat|kalat|district] would end the talks,” a diplomat said.",
            None,
            &[],
        );
    }

    #[test]
    fn a_dateline_day_dates_the_story_before_a_later_publication() {
        check(
            "QUETTA, March 3: Gunmen ambushed a convoy near [Mastung|mastung|district] on Sunday.",
            Some("2024-05-20"),
            &["armed_assault 2024-03-03 mastung - -"],
        );
        // March 2, 2024 was a Saturday: the day before the filing day.
        check(
            "QUETTA, March 3: Gunmen ambushed a convoy near [Mastung|mastung|district] on Saturday.",
            Some("2024-05-20"),
            &["armed_assault 2024-03-02 mastung - -"],
        );
        // Wednesday would be five days earlier: the filing day, loosely told.
        check(
            "QUETTA, March 3: Gunmen ambushed a convoy near [Mastung|mastung|district] on Wednesday.",
            Some("2024-05-20"),
            &["armed_assault 2024-03-03 mastung - -"],
        );
    }

    #[test]
    fn a_finer_date_told_later_refines_the_incident() {
        check(
            "Police blamed the gang for last month's killing of six workers in [Kech|kech|district]. The April 9 killing of the workers shocked the province.",
            Some("2024-05-15"),
            &["killing 2024-04-09 kech - 6"],
        );
    }

    #[test]
    fn a_weekday_is_no_target_and_named_operations_are_one_round() {
        assert_eq!(
            describe(
                "Police arrested four suspects during search operations in [Sukkur|sukkur|district], an official said on Sunday.",
                Some("2024-05-20"),
            ),
            ["other:military_operation 2024-05-19 sukkur - - | event:search operations"]
        );
        assert_eq!(
            describe(
                "Police detained three suspected militants of the [LeJ|lej] during search operations in [Sukkur|sukkur|district] on Sunday.",
                Some("2024-05-20"),
            ),
            ["other:military_operation 2024-05-19 sukkur - - | event:search operations"]
        );
    }

    #[test]
    fn banning_what_no_group_is_is_no_designation() {
        check(
            "A provincial order in 2022 banned the sale of fireworks.",
            None,
            &[],
        );
        check(
            "[Islamabad|pk|country] banned the [JuA|jua] in 2017.",
            None,
            &["designation 2017 pk pk -"],
        );
    }

    #[test]
    fn tolls_joined_by_and_add_up_and_forces_of_a_group_are_its_own() {
        check(
            "A bomb in [Quetta|quetta|city] on Friday killed 8 U.S. contractors and about 20 passers-by.",
            Some("2024-09-02"),
            &["bombing 2024-08-30 quetta - 28"],
        );
        check(
            "[Houthi|houthi] security forces killed six smugglers in a raid in [Saada|saada|city].",
            None,
            &["armed_assault - saada houthi 6"],
        );
    }

    #[test]
    fn the_group_a_state_is_accused_of_backing_is_blamed() {
        check(
            "Gunmen attacked a bus in [Kishtwar|kishtwar|district] on May 2. [India|in|country] accused [Pakistan|pk|country] of backing the [Kashmir Tigers|kt] over the attack.",
            Some("2024-05-10"),
            &["armed_assault 2024-05-02 kishtwar kt -"],
        );
    }

    #[test]
    fn talks_held_at_a_named_place_are_one_occasion() {
        check(
            "The deal followed three rounds of negotiations in [Muscat|muscat|city] between the two sides.",
            None,
            &["talks - muscat - -"],
        );
        check(
            "Negotiations in [Pakistan|pk|country] rarely last.",
            None,
            &[],
        );
        check("Attacks in [Bannu|bannu|district] rose sharply.", None, &[]);
    }

    #[test]
    fn deaths_over_counted_attacks_are_a_tally() {
        check(
            "A monitor said 410 civilians were killed in 230 attacks across the province.",
            None,
            &[],
        );
    }

    #[test]
    fn a_remark_has_no_toll() {
        check(
            "The governor told a press conference in [Quetta|quetta|city] on Monday that 30 insurgents had been killed this year.",
            Some("2024-05-20"),
            &["statement 2024-05-20 quetta - -"],
        );
    }

    #[test]
    fn a_remark_is_placed_where_it_was_made_not_by_what_it_reports() {
        check(
            "The minister said last week that 12 rebels had been killed in operations in [Awaran|awaran|district].",
            Some("2024-05-20"),
            &["statement 2024-05 - - -"],
        );
    }

    #[test]
    fn a_report_finding_after_an_aside_is_a_report() {
        assert_eq!(
            describe(
                "A report by the [United Nations|un|international_org] [Monitoring Team|unmt|international_org], issued on Tuesday, estimates that the group has grown.",
                Some("2024-05-20"),
            ),
            ["other:report 2024-05-14 - unmt - | event:report"]
        );
        assert_eq!(
            describe(
                "A report by the [UNAMA|unama|international_org], published on Tuesday, found that civilian deaths rose.",
                Some("2024-05-20"),
            ),
            ["other:report 2024-05-14 - unama - | event:report"]
        );
    }

    #[test]
    fn a_toll_in_the_strikes_goes_to_the_strikes_not_the_killing_told_last() {
        check(
            "[Iran|ir|country] launched missile strikes on camps in [Pakistan|pk|country] on Tuesday over last week's killing of nine guards in [Zahedan|zahedan|city]. Officials said seven people were killed in the strikes.",
            Some("2024-01-18"),
            &["airstrike 2024-01-16 pk ir 7", "killing 2024-01 zahedan - 9"],
        );
    }

    #[test]
    fn undated_fighting_with_a_toll_in_a_filed_report_is_the_days_news() {
        assert_eq!(
            describe(
                "KARACHI: Gunmen stormed a bank in [Lyari|lyari|town] on Friday. Separately, in [Tank|tank|district], three militants were killed in an exchange of fire with troops.",
                Some("2024-05-20"),
            ),
            [
                "armed_assault 2024-05-17 lyari - bank | event:stormed",
                "clash 2024-05-20 tank - - | event:exchange of fire date:published"
            ]
        );
        // No dateline, or no toll: left undated.
        check(
            "In [Tank|tank|district], three militants were killed in an exchange of fire with troops.",
            Some("2024-05-20"),
            &["clash - tank - 3"],
        );
    }
}
