//! Who says what a sentence states, and how firmly: [`attribution`].
//!
//! Shared by the figure and relation rules. The rules, in order:
//! 1. "according to X" / "citing X" → X.
//! 2. A reporting verb ("said", "reported", "claimed", "documented", "attributing",
//!    "shows", …) with a noun phrase right before it ("GTI data shows", "X’s report
//!    says", "Pakistani authorities attributing") or a sentence-initial subject
//!    separated by an appositive ("The TTP, …, claimed").
//! 3. A sentence that refers back ("The institute’s report says", "348 of those
//!    attacks") continues the previous sentence's source.
//!
//! A noun phrase that holds an entity gives the entity id, unless people words follow
//! the entity ("United Nations monitors", "Pakistan’s Interior Ministry"): then the
//! phrase is quoted as a literal, which names the source more precisely.

use dossier_model::{EntityType, Span};

use crate::lexicon::FigureLexicon;
use crate::tokens::{Kind, Tokens};
use crate::{EntitySpan, Lexicon};

/// What kind of hedging or attribution cue was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueKind {
    /// A hedging word near a claim ("reportedly", "allegedly", "believed").
    Hedge,
    /// A sentence-wide hedge ("sources say", "is said to").
    SentenceHedge,
    /// The source *claims* it: a claim verb with a named source.
    Claim,
    /// The word that introduced the source ("according to", "said").
    Source,
}

/// One cue with its span, so callers can judge whether it is near their claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub kind: CueKind,
    pub span: Span,
    pub text: String,
}

/// Who says what one sentence states, and how firmly.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Attribution {
    /// Entity id, or a literal ("Pakistani authorities", "independent estimates",
    /// "sources"); `None` when the author states it.
    pub source: Option<String>,
    /// Where the source is named (in this or, when carried, an earlier sentence).
    pub source_span: Option<Span>,
    /// The source claims it (a party's assertion): figures count as hedged.
    pub claimed: bool,
    /// Any hedging cue in the sentence, near the claim or not.
    pub hedged: bool,
    /// True when the source comes from the previous sentence.
    pub carried: bool,
    /// The sentence refers back to a source named earlier ("the report said") that
    /// `previous` did not supply: a caller may retry with an earlier paragraph's account.
    pub refers_back: bool,
    pub cues: Vec<Cue>,
}

impl Attribution {
    /// True when a cue of one of `kinds` lies within `window` bytes of `span`.
    pub fn cue_near(&self, span: Span, window: usize, kinds: &[CueKind]) -> bool {
        self.cues.iter().any(|c| {
            kinds.contains(&c.kind)
                && c.span.end + window >= span.start
                && c.span.start <= span.end + window
        })
    }
}

/// Attribution of the sentence `sentence` of `text`.
///
/// `entities` are the document's mentions (sorted, non-overlapping; only those inside
/// the sentence are used). Pass the previous sentence's attribution of the same
/// paragraph as `previous` so that a sentence continuing its account ("The report
/// also says …") inherits its source. The result's `source` is an entity id, a
/// literal, or `None` for the author; `claimed`/`hedged` and the `cues` (with spans)
/// tell how firmly it is stated, e.g. for a relation's stance.
///
/// ```
/// use dossier_claims::{attribution::attribution, EntitySpan, Lexicon};
/// use dossier_model::{EntityType, Span};
/// let text = "The ministry said. According to the Monitor, raids reportedly rose.";
/// let ents = [EntitySpan { start: 36, end: 43, id: "monitor".into(),
///     entity_type: EntityType::ResearchOrg }];
/// let a = attribution(&Lexicon::default(), text, Span::new(19, text.len()), &ents, None);
/// assert_eq!(a.source.as_deref(), Some("monitor"));
/// assert!(a.hedged && !a.claimed);
/// ```
pub fn attribution(
    lexicon: &Lexicon,
    text: &str,
    sentence: Span,
    entities: &[EntitySpan],
    previous: Option<&Attribution>,
) -> Attribution {
    let lo = entities.partition_point(|e| e.end <= sentence.start);
    let hi = entities.partition_point(|e| e.start < sentence.end);
    let ents = &entities[lo..hi.max(lo)];
    let t = Tokens::for_span(text, sentence.start, sentence.end, ents);
    attribute(&lexicon.figures, &t, 0, t.len(), previous)
}

/// Attribution of the sentence covering tokens `[lo, hi)` of `t`.
pub(crate) fn attribute(
    lex: &FigureLexicon,
    t: &Tokens<'_>,
    lo: usize,
    hi: usize,
    previous: Option<&Attribution>,
) -> Attribution {
    let mut out = Attribution::default();
    let span_of = |a: usize, b: usize| Span::new(t.toks[a].start, t.toks[b - 1].end);
    let mut i = lo;
    while i < hi {
        if let Some((n, _)) = lex.hedge_sentence.match_at(t, i, hi) {
            push_cue(&mut out, t, CueKind::SentenceHedge, span_of(i, i + n));
            if lex.anonymous_sources.match_at(t, i, hi).is_some() && out.source.is_none() {
                out.source = Some("sources".into());
                out.source_span = Some(span_of(i, i + n));
            }
            i += n;
            continue;
        }
        if let Some((n, _)) = lex.hedge_near.match_at(t, i, hi) {
            push_cue(&mut out, t, CueKind::Hedge, span_of(i, i + n));
        }
        i += 1;
    }
    out.hedged = !out.cues.is_empty();
    let mut anaphoric = false;
    // A reporting verb's own subject refers back ("the report said"), as opposed to
    // a phrase like "of them" that only continues the previous sentence.
    let mut speaker_back = false;
    // That subject is a report or a body ("the report", "the monitors"): it means the
    // last report body, not just whoever spoke last.
    let mut body = false;
    let according = lex.according.find(t, lo, hi).filter(|&(k, n, _)| {
        lex.according_strict.match_at(t, k, k + n).is_none()
            || names_a_source(lex, t, k + n, phrase_end(t, k + n, hi))
    });
    if let Some((k, n, _)) = according {
        push_cue(&mut out, t, CueKind::Source, span_of(k, k + n));
        let np_end = phrase_end(t, k + n, hi);
        if let Some((src, span)) = entity_or_literal(lex, t, k + n, np_end) {
            out.source = Some(src);
            out.source_span = Some(span);
        } else if lex.continuation.find(t, k + n, np_end).is_some() {
            anaphoric = true;
            body = true;
        }
    }
    // "These killings reinforce Pakistan's claim that the TTP enjoys safe havens": the
    // actor whose claim it is speaks for the clause after "that".
    if out.source.is_none() {
        let possessive_claim = (lo + 1..hi.saturating_sub(2)).find_map(|k| {
            if !matches!(t.low(k), "'s" | "’s") || t.low(k + 2) != "that" {
                return None;
            }
            lex.claim_nouns.match_at(t, k + 1, k + 2)?;
            let e = t
                .entity(k - 1)
                .filter(|e| e.entity_type.is_actor() || e.entity_type == EntityType::Country)?;
            Some((k, e))
        });
        if let Some((k, e)) = possessive_claim {
            out.source = Some(e.id.clone());
            out.source_span = Some(Span::new(e.start, e.end));
            out.claimed = true;
            push_cue(&mut out, t, CueKind::Claim, span_of(k + 1, k + 2));
        }
    }
    // "The BLF … claimed 40 attacks, the report said.": a closing reporting clause
    // names who reports the whole sentence, the earlier verb included.
    let closing = closing_clause(lex, t, lo, hi);
    if out.source.is_none() || out.source.as_deref() == Some("sources") {
        let mut k = lo;
        while let Some((v, n, _)) = lex.attribution_verbs.find(t, k, hi) {
            k = v + n;
            if t.entity(v).is_some() {
                continue;
            }
            let found = subject_before(lex, t, lo, v);
            match found {
                Subject::Found(src, span) => {
                    out.source = Some(src);
                    out.source_span = Some(span);
                    push_cue(&mut out, t, CueKind::Source, span_of(v, v + n));
                    if lex.claim_verbs.match_at(t, v, v + n).is_some() {
                        out.claimed = true;
                        push_cue(&mut out, t, CueKind::Claim, span_of(v, v + n));
                    } else if let Some((c, m)) = coordinated_claim(lex, t, v + n, hi) {
                        // "X said … , and claimed that …": the same speaker claims what
                        // follows the claim verb only (a hedge near it), not the whole
                        // sentence ("said 23 soldiers died, and claimed 200 militants").
                        // The cue sits where the claimed words begin, so a figure
                        // right before ", and claimed" stays out of its reach.
                        let mut w = c + m;
                        if t.low(w) == "that" {
                            w += 1;
                        }
                        if w < hi {
                            out.hedged = true;
                            push_cue(&mut out, t, CueKind::Hedge, span_of(w, w + 1));
                        }
                    }
                    break;
                }
                Subject::Anaphor if opening_actor(t, lo, v).is_some() => {
                    // "New Delhi accused X of backing Y, which it says is …": the
                    // pronoun is the sentence's own subject.
                    if let Some(e) = opening_actor(t, lo, v) {
                        out.source = Some(e.id.clone());
                        out.source_span = Some(Span::new(e.start, e.end));
                    }
                    push_cue(&mut out, t, CueKind::Source, span_of(v, v + n));
                    break;
                }
                Subject::Anaphor | Subject::Body => {
                    anaphoric = true;
                    speaker_back = true;
                    body = matches!(found, Subject::Body);
                    push_cue(&mut out, t, CueKind::Source, span_of(v, v + n));
                    break;
                }
                Subject::None => {}
            }
        }
    }
    match closing {
        Some(Subject::Found(src, span)) if out.source.is_none() || !out.carried => {
            out.source = Some(src);
            out.source_span = Some(span);
        }
        Some(closing @ (Subject::Anaphor | Subject::Body)) => {
            out.source = None;
            out.source_span = None;
            anaphoric = true;
            speaker_back = true;
            body = matches!(closing, Subject::Body);
        }
        _ => {}
    }
    if out.source.is_none() {
        match participle_speaker(lex, t, lo, hi) {
            Subject::Found(src, span) => {
                out.source = Some(src);
                out.source_span = Some(span);
            }
            Subject::Anaphor | Subject::Body => anaphoric = true,
            Subject::None => {}
        }
    }
    if out.source.is_none() {
        anaphoric |= lex.continuation.find(t, lo, hi).is_some()
            || lex.period_carry.find(t, lo, hi).is_some()
            || lex.openers.match_at(t, lo, hi).is_some();
        if body {
            if let Some((src, span)) = body_back(t, lo, previous) {
                out.source = Some(src);
                out.source_span = Some(span);
                out.carried = true;
            }
        } else if let Some(prev) = previous.filter(|p| anaphoric && p.source.is_some()) {
            out.source.clone_from(&prev.source);
            out.source_span = prev.source_span;
            out.claimed |= prev.claimed;
            out.carried = true;
        }
        out.refers_back = speaker_back && out.source.is_none();
    }
    out.hedged = out.hedged || out.claimed;
    out
}

/// ", the report said." / ", officials said." at the end of the sentence: the subject
/// of that last reporting verb, when the verb only has the full stop after it.
fn closing_clause(lex: &FigureLexicon, t: &Tokens<'_>, lo: usize, hi: usize) -> Option<Subject> {
    let mut end = hi;
    while end > lo && matches!(t.low(end - 1), "." | "!" | "\"" | "”" | "’" | "'") {
        end -= 1;
    }
    let (v, n) = (lo..end).rev().take(3).find_map(|v| {
        lex.attribution_verbs
            .match_at(t, v, end)
            .map(|(n, _)| (v, n))
    })?;
    if v + n != end {
        return None;
    }
    let comma = (v.saturating_sub(6).max(lo)..v)
        .rev()
        .find(|&k| t.low(k) == ",")?;
    // ", he said": the pronoun's speaker is whoever the sentence already named.
    if (comma + 1..v).any(|k| matches!(t.low(k), "he" | "she" | "they" | "it")) {
        return None;
    }
    match subject_before(lex, t, comma + 1, v) {
        Subject::None => None,
        found => Some(found),
    }
}

/// The actor opening the sentence (after an article), when a pronoun subject of a
/// verb at `v` comes later in it: the pronoun most likely stands for that actor.
fn opening_actor<'e>(t: &Tokens<'e>, lo: usize, v: usize) -> Option<&'e EntitySpan> {
    let k = if matches!(t.low(lo), "the" | "a" | "an") {
        lo + 1
    } else {
        lo
    };
    let e = t
        .entity(k)
        .filter(|e| e.entity_type.is_actor() || e.entity_type == EntityType::Country)?;
    // The pronoun must come after the actor's name and its clause: "X …, which it says".
    let pronoun_after = (k + 1..v)
        .any(|j| matches!(t.low(j), "it" | "they" | "he" | "she") && t.entity(j).is_none());
    pronoun_after.then_some(e)
}

/// A claim verb in `[from, hi)` right after "and" (adverbs aside): a second verb of
/// the same subject ("said …, and claimed that").
fn coordinated_claim(
    lex: &FigureLexicon,
    t: &Tokens<'_>,
    from: usize,
    hi: usize,
) -> Option<(usize, usize)> {
    let mut k = from;
    while let Some((c, m, _)) = lex.claim_verbs.find(t, k, hi) {
        k = c + m;
        let mut j = c;
        while j > from && AUXILIARIES.contains(&t.low(j - 1)) {
            j -= 1;
        }
        if j > from && t.low(j - 1) == "and" {
            return Some((c, m));
        }
    }
    None
}

fn push_cue(out: &mut Attribution, t: &Tokens<'_>, kind: CueKind, span: Span) {
    out.cues.push(Cue {
        kind,
        span,
        text: span.slice(t.text).to_string(),
    });
}

/// End of the noun phrase starting at `k`: the next comma, period or clause word.
fn phrase_end(t: &Tokens<'_>, k: usize, hi: usize) -> usize {
    let mut e = k;
    while e < hi && e < k + 8 {
        if t.kind(e) == Some(Kind::Punct) && !matches!(t.low(e), "-" | "&") {
            break;
        }
        if matches!(
            t.low(e),
            "that" | "which" | "who" | "and" | "on" | "in" | "as"
        ) && e > k
        {
            break;
        }
        e += 1;
    }
    e
}

/// An entity id in `[a, b)`, else the phrase as a literal (without a leading article).
fn entity_or_literal(
    lex: &FigureLexicon,
    t: &Tokens<'_>,
    a: usize,
    b: usize,
) -> Option<(String, Span)> {
    if a >= b {
        return None;
    }
    let mut start = a;
    while start < b && matches!(t.low(start), "the" | "a" | "an" | "one" | "some") {
        start += 1;
    }
    if start >= b {
        return None;
    }
    let span = Span::new(t.toks[start].start, t.toks[b - 1].end);
    // "Pakistan's Foreign Office spokesperson Mumtaz Zahra Baloch": a person closing
    // the phrase is its head, and the one who speaks.
    if let Some(p) = t
        .entity(b - 1)
        .filter(|e| e.entity_type == EntityType::Person)
    {
        return Some((p.id.clone(), Span::new(p.start, p.end)));
    }
    // A place is never a source ("officials in Quetta" are the officials).
    // Countries act as states ("according to Pakistan").
    let actor_at = |k: usize| {
        t.entity(k)
            .filter(|e| e.entity_type.is_actor() || e.entity_type == EntityType::Country)
    };
    if (start..b).any(|k| t.entity(k).is_some()) && (start..b).all(|k| actor_at(k).is_none()) {
        return Some((span.slice(t.text).to_string(), span));
    }
    if let Some((k, e)) = (start..b).find_map(|k| actor_at(k).map(|e| (k, e))) {
        // "the US Special Inspector General": a country naming whose body it is
        // modifies the next name, which is the source.
        let (k, e) = head_of_adjacent(t, k, e, b);
        // "United Nations monitors": people words after the entity name the source better.
        let people_after = (k + 1..b).any(|j| {
            t.entity(j).is_none()
                && (lex.reporter_people.match_at(t, j, b).is_some()
                    || (t.is_capitalized(j) && t.kind(j) == Some(Kind::Word)))
        });
        if people_after {
            return Some((span.slice(t.text).to_string(), span));
        }
        return Some((e.id.clone(), Span::new(e.start, e.end)));
    }
    if lex.continuation.find(t, a, b).is_some() {
        return None;
    }
    Some((span.slice(t.text).to_string(), span))
}

/// A country entity directly followed by another actor's name yields to that name.
fn head_of_adjacent<'e>(
    t: &Tokens<'e>,
    k: usize,
    e: &'e EntitySpan,
    b: usize,
) -> (usize, &'e EntitySpan) {
    if !matches!(e.entity_type, EntityType::Country | EntityType::State) {
        return (k, e);
    }
    let mut j = k;
    while j < b && t.entity(j).is_some_and(|x| std::ptr::eq(x, e)) {
        j += 1;
    }
    match t.entity(j).filter(|x| j < b && x.entity_type.is_actor()) {
        Some(next) if t.toks.get(j).is_some_and(|tok| tok.start == next.start) => (j, next),
        _ => (k, e),
    }
}

/// "citing UN data", "citing intelligence sources": the phrase after a strict cue
/// opens with a name or holds a word for whoever counts.
fn names_a_source(lex: &FigureLexicon, t: &Tokens<'_>, a: usize, b: usize) -> bool {
    let mut k = a;
    while k < b && matches!(t.low(k), "the" | "a" | "an") {
        k += 1;
    }
    t.entity(k).is_some()
        || (k..b).any(|j| {
            lex.reporter_nouns.match_at(t, j, j + 1).is_some()
                || lex.reporter_people.match_at(t, j, j + 1).is_some()
        })
}

/// "Trump listed the hardware, saying …": a participle after a comma reports the
/// words of the sentence's subject, when the sentence opens with a named actor.
fn participle_speaker(lex: &FigureLexicon, t: &Tokens<'_>, lo: usize, hi: usize) -> Subject {
    let said =
        (lo + 1..hi).any(|k| t.low(k - 1) == "," && lex.participles.match_at(t, k, hi).is_some());
    if !said {
        return Subject::None;
    }
    let mut k = lo;
    if matches!(t.low(k), "the" | "a" | "an") {
        k += 1;
    }
    if let Some(e) = t.entity(k).filter(|e| e.entity_type.is_actor()) {
        return Subject::Found(e.id.clone(), Span::new(e.start, e.end));
    }
    if matches!(t.low(k), "he" | "she" | "they" | "it") {
        return Subject::Anaphor;
    }
    Subject::None
}

enum Subject {
    Found(String, Span),
    /// "he said", "it claimed": the speaker was named before.
    Anaphor,
    /// "The institute’s report says", "the monitors said": the report or body named
    /// before, not just any earlier speaker.
    Body,
    None,
}

/// Entity types that publish reports and studies: what "the report", "the monitors"
/// or "the team" refer back to.
fn is_report_body(t: EntityType) -> bool {
    matches!(
        t,
        EntityType::ResearchOrg
            | EntityType::InternationalOrg
            | EntityType::Media
            | EntityType::GovernmentBody
    )
}

/// How many tokens back "the report" may find the body it refers to (a few paragraphs).
const BODY_REACH: usize = 600;

/// The report body "the report" refers back to: the previous account's source when it
/// is one (or a quoted literal), else the last body named before token `lo`. A speaker
/// who is a person or a party to the conflict is no report's author.
fn body_back(t: &Tokens<'_>, lo: usize, previous: Option<&Attribution>) -> Option<(String, Span)> {
    if let Some(p) = previous {
        if let (Some(src), Some(span)) = (&p.source, p.source_span) {
            let named = t
                .entity(t.index_at(span.start))
                .filter(|e| e.start == span.start);
            match named {
                Some(e) if !is_report_body(e.entity_type) => {}
                _ => return Some((src.clone(), span)),
            }
        }
    }
    // Only research and international bodies: a newspaper or a ministry named in
    // passing is rarely the report meant.
    // A bounded look back: a report body named pages earlier is rarely the one meant,
    // and the scan stays linear in the document.
    let from = lo.saturating_sub(BODY_REACH);
    (from..lo.min(t.len())).rev().find_map(|k| {
        let e = t.entity(k).filter(|e| {
            matches!(
                e.entity_type,
                EntityType::ResearchOrg | EntityType::InternationalOrg
            )
        })?;
        Some((e.id.clone(), Span::new(e.start, e.end)))
    })
}

const AUXILIARIES: &[&str] = &[
    "had",
    "has",
    "have",
    "was",
    "were",
    "is",
    "are",
    "been",
    "also",
    "later",
    "further",
    "recently",
    "reportedly",
    "allegedly",
    "publicly",
    "repeatedly",
    "once",
    "had",
    "not",
    "previously",
    "officially",
    "earlier",
    "then",
];

/// The noun phrase right before a reporting verb at `v`.
fn subject_before(lex: &FigureLexicon, t: &Tokens<'_>, lo: usize, v: usize) -> Subject {
    let mut end = v;
    while end > lo && AUXILIARIES.contains(&t.low(end - 1)) {
        end -= 1;
    }
    // "Inter-Services Public Relations (ISPR), said": the name and its acronym.
    let comma = (end > lo && t.low(end - 1) == ",").then(|| end - 1);
    if comma.is_some() {
        end -= 1;
    }
    if end > lo && t.low(end - 1) == ")" {
        let open = (end.saturating_sub(5).max(lo)..end - 1)
            .rev()
            .find(|&k| t.low(k) == "(");
        if let Some(open) = open {
            let named = (open + 1..end - 1)
                .chain(open.checked_sub(1).filter(|&k| k >= lo))
                .find_map(|k| t.entity(k).filter(|e| e.entity_type.is_actor()));
            if let Some(e) = named {
                return Subject::Found(e.id.clone(), Span::new(e.start, e.end));
            }
        }
        end = v;
        while end > lo && AUXILIARIES.contains(&t.low(end - 1)) {
            end -= 1;
        }
    } else if end < v && t.low(end) == "," {
        end += 1;
    }
    let mut start = end;
    while start > lo && end - start < 7 {
        let k = start - 1;
        let ok = t.entity(k).is_some()
            || t.kind(k) == Some(Kind::Possessive)
            || (t.kind(k) == Some(Kind::Num) && start < end)
            || lex.reporter_nouns.match_at(t, k, k + 1).is_some()
            || lex.reporter_people.match_at(t, k, k + 1).is_some()
            || (t.kind(k) == Some(Kind::Word) && t.is_capitalized(k) && k > lo)
            || (t.kind(k) == Some(Kind::Word)
                && t.is_capitalized(k)
                && t.entity(k).is_none()
                && k == lo
                && lex.reporter_people.match_at(t, k + 1, end).is_some())
            || (matches!(
                t.low(k),
                "institute"
                    | "institute's"
                    | "think"
                    | "tank"
                    | "group"
                    | "organisation"
                    | "organization"
                    | "monitoring"
                    | "independent"
                    | "official"
                    | "local"
                    | "security"
                    | "provincial"
                    | "federal"
                    | "government"
                    | "military"
                    | "police"
            ));
        if !ok {
            break;
        }
        start = k;
    }
    // "Officials in Quetta accuse": the people in the place speak.
    if start >= lo + 2
        && start < end
        && t.entity(start).is_some_and(|e| !e.entity_type.is_actor())
        && matches!(t.low(start - 1), "in" | "from")
        && lex
            .reporter_people
            .match_at(t, start - 2, start - 1)
            .is_some()
    {
        start -= 2;
    }
    if let Some(found) = people_in_a_place(t, lo, start, end, v) {
        return found;
    }
    if start < end && refers_back(lex, t, lo, start, end) {
        return Subject::Body;
    }
    if start < end {
        // Anaphoric phrases ("The institute’s report") continue an earlier account.
        let from = start.saturating_sub(1).max(lo);
        if lex.continuation.find(t, from, end).is_some()
            && (start..end).all(|k| t.entity(k).is_none())
        {
            return Subject::Body;
        }
        let has_entity = (start..end).any(|k| t.entity(k).is_some());
        let ends_in_reporter = lex.reporter_people.match_at(t, end - 1, end).is_some()
            || lex.reporter_nouns.match_at(t, end - 1, end).is_some();
        if has_entity || ends_in_reporter {
            if let Some(found) = entity_or_literal(lex, t, start, end) {
                return Subject::Found(found.0, found.1);
            }
        }
        // "A report by the UN team, released on Monday, estimates": the modifier
        // between the commas says when; the report's owner speaks.
        if let Some(found) = comma.and_then(|c| report_owner(lex, t, lo, c)) {
            return found;
        }
        return Subject::None;
    }
    // "The TTP, not to be left behind …, claimed": a sentence-initial subject
    // separated from its verb by an appositive.
    if end > lo && t.low(end - 1) == "," {
        let mut k = lo;
        if matches!(t.low(k), "the" | "a" | "an") {
            k += 1;
        }
        if let Some(e) = t.entity(k) {
            let mut after = k;
            while after < end && t.entity(after).is_some_and(|x| x == e) {
                after += 1;
            }
            if t.low(after) == "," {
                return Subject::Found(e.id.clone(), Span::new(e.start, e.end));
            }
        }
    }
    if end > lo && t.low(end - 1) == "," {
        if let Some(found) = report_owner(lex, t, lo, end - 1) {
            return found;
        }
    }
    if end > lo && matches!(t.low(end - 1), "it" | "they" | "he" | "she") {
        return Subject::Anaphor;
    }
    Subject::None
}

/// "Traders' associations in Quetta estimate …": a subject phrase that is only a place
/// after "in" / "from" names where the speakers are; the words before the preposition
/// name them. Not in the passive ("losses in Quetta are estimated at"): the place
/// phrase is then no speaker at all.
fn people_in_a_place(
    t: &Tokens<'_>,
    lo: usize,
    start: usize,
    end: usize,
    v: usize,
) -> Option<Subject> {
    let only_places =
        start < end && (start..end).all(|k| t.entity(k).is_some_and(|e| !e.entity_type.is_actor()));
    if !only_places || start < lo + 2 || !matches!(t.low(start - 1), "in" | "from" | "across") {
        return None;
    }
    if (end..v).any(|k| matches!(t.low(k), "is" | "are" | "was" | "were" | "be" | "been")) {
        return Some(Subject::None);
    }
    let prep = start - 1;
    let mut first = prep;
    while first > lo && prep - first < 8 {
        let k = first - 1;
        let word = matches!(t.kind(k), Some(Kind::Word | Kind::Possessive))
            || matches!(t.low(k), "'" | "’");
        let clause = matches!(
            t.low(k),
            "that" | "and" | "but" | "while" | "as" | "said" | "says" | "say" | "of" | "with"
        );
        if !word || clause || t.entity(k).is_some() {
            break;
        }
        first = k;
    }
    while first < prep && matches!(t.low(first), "the" | "a" | "an" | "some" | "many") {
        first += 1;
    }
    // "… at the district hospital in P": the head noun lies further back; nobody named.
    if matches!(t.low(first), "at" | "in" | "from" | "near" | "on" | "for") {
        return Some(Subject::None);
    }
    if first >= prep || t.kind(prep - 1) != Some(Kind::Word) {
        return None;
    }
    let span = Span::new(t.toks[first].start, t.toks[prep - 1].end);
    Some(Subject::Found(span.slice(t.text).to_string(), span))
}

/// "The Islamabad-based think tank", "the institute": a definite phrase ending in a
/// source head noun, with no actor named in it, means the source named before. A place
/// in it only says where that source sits; a place is never the source.
fn refers_back(lex: &FigureLexicon, t: &Tokens<'_>, lo: usize, start: usize, end: usize) -> bool {
    if lex.back_heads.match_ending(t, end, start).is_none() {
        return false;
    }
    let from = start.saturating_sub(4).max(lo);
    let Some(det) = (from..=start).rev().find(|&j| t.low(j) == "the") else {
        return false;
    };
    (det..end).all(|k| t.entity(k).is_none_or(|e| !e.entity_type.is_actor()))
}

/// "a UN report covering July to December, revealed …": a report named by its owner,
/// then a modifier set off by commas, then the verb — the owner speaks.
fn report_owner(lex: &FigureLexicon, t: &Tokens<'_>, lo: usize, comma: usize) -> Option<Subject> {
    let from = comma.saturating_sub(24).max(lo);
    let r = (from..comma).rev().find(|&r| {
        matches!(
            t.low(r),
            "report" | "study" | "survey" | "assessment" | "findings"
        )
    })?;
    // "a report by the UN monitoring team": the owner follows.
    if matches!(t.low(r + 1), "by" | "from") {
        let k = if t.low(r + 2) == "the" { r + 3 } else { r + 2 };
        if let Some(mut e) = t
            .entity(k)
            .filter(|e| k < comma && is_report_body(e.entity_type))
        {
            // "the United Nations Analytical Support … Team": a body named right after
            // the first is the one within it that wrote the report.
            let mut j = k;
            while j < comma {
                while j < comma && t.entity(j).is_some_and(|x| std::ptr::eq(x, e)) {
                    j += 1;
                }
                match t
                    .entity(j)
                    .filter(|x| j < comma && is_report_body(x.entity_type))
                {
                    Some(next) => e = next,
                    None => break,
                }
            }
            return Some(Subject::Found(e.id.clone(), Span::new(e.start, e.end)));
        }
    }
    let mut j = r;
    while j > lo.max(r.saturating_sub(3)) {
        j -= 1;
        if let Some(e) = t.entity(j).filter(|e| e.entity_type.is_actor()) {
            return Some(Subject::Found(e.id.clone(), Span::new(e.start, e.end)));
        }
        let modifier = t.kind(j) == Some(Kind::Possessive)
            || lex.reporter_nouns.match_at(t, j, j + 1).is_some();
        if !modifier {
            return None;
        }
    }
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use dossier_model::EntityType;

    /// Entities are written `[Name]` in the fixture; returns clean text and spans.
    pub(crate) fn fixture(src: &str) -> (String, Vec<EntitySpan>) {
        let mut text = String::new();
        let mut ents = Vec::new();
        let mut rest = src;
        while let Some(open) = rest.find('[') {
            text.push_str(&rest[..open]);
            let close = rest[open..].find(']').map_or(rest.len(), |c| open + c);
            let name = &rest[open + 1..close];
            let start = text.len();
            text.push_str(name);
            let ty = if name.contains("Lee") {
                EntityType::Person
            } else if name.contains("Institute") || name == "GTI" {
                EntityType::ResearchOrg
            } else if ["Pakistan", "Kunar"].contains(&name) {
                EntityType::Country
            } else if name.contains("Nations") {
                EntityType::InternationalOrg
            } else {
                EntityType::ArmedGroup
            };
            ents.push(EntitySpan {
                start,
                end: text.len(),
                id: name.to_lowercase().replace(' ', "-"),
                entity_type: ty,
            });
            rest = &rest[(close + 1).min(rest.len())..];
        }
        text.push_str(rest);
        (text, ents)
    }

    fn attr(src: &str) -> Attribution {
        let (text, ents) = fixture(src);
        let lex = Lexicon::default();
        let mut prev = None;
        let mut last = Attribution::default();
        for s in crate::sentences::sentences(&text) {
            last = attribution(&lex, &text, s, &ents, prev.as_ref());
            prev = Some(last.clone());
        }
        last
    }

    #[test]
    fn an_actors_claim_that_is_its_statement() {
        let a =
            attr("The raids reinforce [Pakistan]’s claim that the group hides across the border.");
        assert_eq!(a.source.as_deref(), Some("pakistan"));
        assert!(a.claimed && a.hedged);
        // A claim noun without "that" attributes nothing.
        let b = attr("[Pakistan]’s charges of smuggling were dropped.");
        assert_eq!(b.source, None);
    }

    #[test]
    fn according_to_entity_or_literal() {
        assert_eq!(
            attr("According to [GTI], raids rose.").source.as_deref(),
            Some("gti")
        );
        assert_eq!(
            attr("According to independent estimates, many fled.")
                .source
                .as_deref(),
            Some("independent estimates")
        );
    }

    #[test]
    fn reporting_verb_with_entity_data_or_people() {
        assert_eq!(
            attr("[GTI] data shows attacks doubled.").source.as_deref(),
            Some("gti")
        );
        assert_eq!(
            attr("By May, [United Nations] monitors had documented seven camps.")
                .source
                .as_deref(),
            Some("United Nations monitors")
        );
        assert_eq!(
            attr("Police said, with Provincial authorities attributing 9 raids to the group.")
                .source
                .as_deref(),
            Some("Police")
        );
    }

    #[test]
    fn having_evidence_is_a_reporting_verb() {
        assert_eq!(
            attr("Yet [United Nations] investigators have amassed evidence suggesting the group gets arms.")
                .source
                .as_deref(),
            Some("United Nations investigators")
        );
        assert_eq!(
            attr("[GTI] found evidence of 40 raids.").source.as_deref(),
            Some("gti")
        );
    }

    #[test]
    fn a_report_named_by_its_owner_speaks_across_a_modifier() {
        assert_eq!(
            attr("Meanwhile, a [United Nations] report spanning March to June, found that the group grew.")
                .source
                .as_deref(),
            Some("united-nations")
        );
        // No owner before the report: nobody is named.
        assert_eq!(
            attr("Meanwhile, a leaked report spanning March to June, found that the group grew.")
                .source
                .as_deref(),
            None
        );
    }

    #[test]
    fn claims_by_a_sentence_subject_behind_an_appositive() {
        let a = attr("The [Front], eager for attention, claimed that it had carried out 30 raids.");
        assert_eq!(a.source.as_deref(), Some("front"));
        assert!(a.claimed && a.hedged);
    }

    /// Like [`attr`], over the document's tokens, each paragraph ("\n\n") starting
    /// with no previous account, as the figure rules do for a paragraph that does not
    /// open by referring back.
    fn attr_doc(src: &str) -> Attribution {
        let (text, ents) = fixture(src);
        let lex = Lexicon::default();
        let t = Tokens::new(&text, &ents);
        let mut prev: Option<Attribution> = None;
        let mut last = Attribution::default();
        for s in crate::sentences::sentences(&text) {
            if text
                .get(..s.start)
                .is_some_and(|h| h.trim_end_matches(' ').ends_with("\n\n"))
            {
                prev = None;
            }
            let (lo, hi) = t.range(s.start, s.end);
            last = attribute(&lex.figures, &t, lo, hi, prev.as_ref());
            prev = Some(last.clone());
        }
        last
    }

    #[test]
    fn a_report_by_a_body_speaks_across_a_dated_modifier() {
        let a = attr(
            "A study by the [Peace Institute], published last week, estimates that the group has 900 men.",
        );
        assert_eq!(a.source.as_deref(), Some("peace-institute"));
        let a = attr(
            "A report by the [United Nations] [Monitoring Institute], out on Friday, puts the group at 900 men.",
        );
        assert_eq!(a.source.as_deref(), Some("monitoring-institute"));
    }

    #[test]
    fn the_report_refers_back_to_the_last_body_not_the_last_speaker() {
        // The previous sentence quotes a party's spokesman; "the monitors" are the
        // body named earlier.
        let a = attr_doc(
            "Figures from [United Nations] monitors put the group at 3,000 men.\n\n\
             The spokesman [Lee Kwan] said 40 of its men died. The monitors said they could not confirm it.",
        );
        assert_eq!(a.source.as_deref(), Some("united-nations"));
        assert!(!a.claimed);
        // "he said" still carries the speaker.
        let a = attr_doc(
            "[United Nations] monitors met. [Lee Kwan] said the raids went on. He said 40 of its men died.",
        );
        assert_eq!(a.source.as_deref(), Some("lee-kwan"));
    }

    #[test]
    fn people_in_a_place_speak_not_the_place() {
        let (text, mut ents) =
            fixture("Shopkeepers' unions in [Kunar] estimate losses at 40 million.");
        ents[0].entity_type = EntityType::City;
        let lex = Lexicon::default();
        let a = attribution(&lex, &text, Span::new(0, text.len()), &ents, None);
        assert_eq!(a.source.as_deref(), Some("Shopkeepers' unions"));
        let (text, mut ents) =
            fixture("Nurses at the main city hospital in [Kunar] said 40 beds stood empty.");
        ents[0].entity_type = EntityType::City;
        let a = attribution(&lex, &text, Span::new(0, text.len()), &ents, None);
        assert_eq!(
            a.source.as_deref(),
            Some("Nurses at the main city hospital")
        );
        let (text, mut ents) = fixture("Losses in [Kunar] are estimated at 40 million.");
        ents[0].entity_type = EntityType::City;
        let a = attribution(&lex, &text, Span::new(0, text.len()), &ents, None);
        assert_ne!(a.source.as_deref(), Some("Kunar"));
        assert_ne!(a.source.as_deref(), Some("Losses"));
    }

    #[test]
    fn a_second_verb_claiming_hedges_the_speakers_figures() {
        let src = "[Lee Kwan] said 9 guards died, and claimed that 30 raiders died.";
        let a = attr(src);
        assert_eq!(a.source.as_deref(), Some("lee-kwan"));
        assert!(a.hedged && !a.claimed);
        // Hedged near the claimed figure, not near the one said before it.
        let (text, _) = fixture(src);
        let at = |w: &str| {
            let i = text.find(w).unwrap_or(0);
            Span::new(i, i + w.len())
        };
        assert!(a.cue_near(at("30 raiders"), 12, &[CueKind::Hedge]));
        assert!(!a.cue_near(at("9 guards"), 12, &[CueKind::Hedge]));
        // Someone else's claim in another clause leaves the speaker's words unhedged.
        let a = attr("[Lee Kwan] said 30 raiders died while the [Front] claimed the raid.");
        assert!(!a.claimed);
    }

    #[test]
    fn a_pronoun_later_in_the_sentence_is_its_opening_actor() {
        let a = attr_doc(
            "[United Nations] monitors spoke first. [Pakistan] blames the [Front], which it says has 300 men.",
        );
        assert_eq!(a.source.as_deref(), Some("pakistan"));
        // A pronoun opening the sentence still carries the previous speaker.
        let a = attr_doc("[Lee Kwan] said raids went on. He says 300 men died.");
        assert_eq!(a.source.as_deref(), Some("lee-kwan"));
    }

    #[test]
    fn continuing_sentences_inherit_the_source() {
        let a = attr("According to the [Peace Institute], deaths rose. The institute’s report says 12 raids took place.");
        assert_eq!(a.source.as_deref(), Some("peace-institute"));
        assert!(a.carried);
        let a = attr("The [Front] claimed 40 raids. At least 30 of those attacks hit the north.");
        assert_eq!(a.source.as_deref(), Some("front"));
        assert!(a.claimed);
    }

    #[test]
    fn no_source_is_the_author_and_violence_claiming_lives_is_no_claim() {
        let a = attr("Since 2001, violence has claimed the lives of 800 people.");
        assert_eq!(a.source, None);
        assert!(!a.claimed);
    }

    #[test]
    fn citing_attributes_only_when_a_source_follows() {
        let a = attr("Officials banned the [Front], citing its deepening ties to the [Legion].");
        assert_eq!(a.source, None);
        let a = attr("Police counted 12 raids, citing [GTI] data.");
        assert_eq!(a.source.as_deref(), Some("gti"));
    }

    #[test]
    fn a_participle_after_a_comma_quotes_the_opening_actor() {
        let a = attr("[Amir Lee] praised the haul, saying the army seized 400 rifles.");
        assert_eq!(a.source.as_deref(), Some("amir-lee"));
        let a = attr("The army praised the haul, saying 400 rifles were seized.");
        assert_eq!(a.source, None);
    }

    #[test]
    fn a_country_before_a_body_name_modifies_it() {
        let a = attr(
            "According to a joint report by the [Pakistan] [Audit Institute], 40 camps closed.",
        );
        assert_eq!(a.source.as_deref(), Some("audit-institute"));
    }

    #[test]
    fn anonymous_sources_hedge_the_whole_sentence() {
        let a = attr("Six groups joined the alliance, sources say.");
        assert_eq!(a.source.as_deref(), Some("sources"));
        assert!(a.hedged);
    }
}
