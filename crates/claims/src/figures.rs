//! Figures: numbers that count something in the conflict.
//!
//! For each sentence: find amounts ([`crate::numbers`]), drop the ones that are
//! years, dates, labels or durations, then decide what is counted —
//! 1. a percentage is a `percent_change` next to a change word, else a share (`other`);
//! 2. an amount with a currency is `money`;
//! 3. a counted noun after the number ("48 attacks", "seven TTP training camps") gives
//!    the metric; people nouns need a kill/injure/flee cue nearby to count;
//! 4. a bare number after "with"/"is"/a bound borrows the noun named earlier in the
//!    sentence ("attacks rose, with over 600 recorded");
//! 5. "ranks second", "tenth place" give a `rank`.
//!
//! Then subject, period, place, source and hedging are read from the sentence and the
//! paragraph around it. When unsure what is counted, no figure is emitted.

use std::collections::HashMap;

use dossier_model::{Bound, DatePrecision, EntityType, Figure, Metric};

use crate::attribution::{attribute, Attribution, CueKind};
use crate::lexicon::{Cue, FigureLexicon, NounInfo};
use crate::numbers::{can_start, parse_amount, Amount};
use crate::tokens::{Kind, Tokens};
use crate::{sentences, ClaimInput, Lexicon};

/// What a figure counts, and which tokens say so.
struct Counted {
    metric: Metric,
    unit: String,
    /// Token range that stated the figure beyond the amount (noun, cue).
    lo: usize,
    hi: usize,
    /// Counted noun tokens `[a, b)`, when there is one.
    noun: Option<(usize, usize)>,
    /// A kill/injure cue before the number: its first token.
    agent_cue: Option<usize>,
    /// A kill/injure/flee cue after the noun (the counted people are victims).
    victim_cue: bool,
    rule: &'static str,
}

struct DocCtx<'a> {
    lex: &'a FigureLexicon,
    t: &'a Tokens<'a>,
    published_year: Option<i32>,
    published_month: Option<u32>,
}

/// Extracts all figures of one document.
#[cfg(test)]
pub(crate) fn extract(lexicon: &Lexicon, input: &ClaimInput<'_>) -> Vec<Figure> {
    let t = Tokens::new(input.text, input.entities);
    extract_with(lexicon, input, &t, &sentences::Layout::new(input.text))
}

/// Figures of one document whose tokens and sentences the caller already has.
pub(crate) fn extract_with(
    lexicon: &Lexicon,
    input: &ClaimInput<'_>,
    t: &Tokens<'_>,
    layout: &sentences::Layout,
) -> Vec<Figure> {
    let ctx = DocCtx {
        lex: &lexicon.figures,
        t,
        published_year: input
            .published
            .and_then(|p| p.get(..4))
            .and_then(|y| y.parse().ok()),
        published_month: input
            .published
            .and_then(|p| p.get(5..7))
            .and_then(|m| m.parse().ok()),
    };
    let mut out = Vec::new();
    // The last paragraph's account, for a paragraph that opens by referring to it.
    let mut last_attr: Option<Attribution> = None;
    // The last named source of counts ("GTI data shows attacks doubled") and what it
    // counted: the next paragraph's unattributed figures of those kinds continue it.
    let mut account: Option<(Attribution, Vec<Metric>)> = None;
    for (&para, range) in layout.paragraphs.iter().zip(&layout.para_sentences) {
        let carried_account = account.take();
        let mut own_source_seen = false;
        let mut prev_attr: Option<Attribution> = None;
        let mut prev_period: Option<String> = None;
        let mut prev_subjects: HashMap<Metric, String> = HashMap::new();
        for (n, &s) in layout.sentences[range.clone()].iter().enumerate() {
            let (lo, hi) = ctx.t.range(s.start, s.end);
            let opens_back = ctx.lex.openers.match_at(ctx.t, lo, hi).is_some()
                || ctx.lex.continuation.match_at(ctx.t, lo, hi).is_some();
            if n == 0 && opens_back {
                prev_attr = last_attr.take();
            }
            let mut attr = attribute(ctx.lex, ctx.t, lo, hi, prev_attr.as_ref());
            // "…, the report said." opening a paragraph: the report is the one the
            // previous paragraph named.
            if attr.refers_back && prev_attr.is_none() {
                if let Some(earlier) = last_attr.take() {
                    attr = attribute(ctx.lex, ctx.t, lo, hi, Some(&earlier));
                }
            }
            let periods = periods(&ctx, lo, hi, prev_period.as_deref());
            let para_lo = ctx.t.index_at(para.start);
            let before = out.len();
            sentence_figures(
                &ctx,
                input.doc,
                (para_lo, lo, hi),
                &attr,
                &periods,
                &prev_subjects,
                &mut out,
            );
            clause_speakers(&ctx, (lo, hi), &attr, &mut out[before..]);
            own_source_seen |= attr.source.is_some();
            let account_goes_on = out.len() > before
                && !own_source_seen
                && carried_account.is_some()
                && !names_a_day_or_month(input, s);
            if let Some((acc, metrics)) = carried_account.as_ref().filter(|_| account_goes_on) {
                for f in out[before..].iter_mut() {
                    if metrics.contains(&f.metric) {
                        f.source.clone_from(&acc.source);
                    }
                }
            }
            if !attr.carried && keeps_tallies(ctx.t, &attr) {
                let metrics = counted_kinds(ctx.lex, ctx.t, lo, hi);
                if !metrics.is_empty() {
                    account = Some((attr.clone(), metrics));
                }
            }
            let continues = ctx.lex.continuation.find(ctx.t, lo, hi).is_some();
            if !continues {
                prev_subjects.clear();
            }
            for f in &out[before..] {
                if let Some(s) = &f.subject {
                    prev_subjects.insert(f.metric, s.clone());
                }
            }
            if let Some(p) = periods.iter().find(|p| !p.carried && p.relative.is_none()) {
                prev_period = Some(p.value.clone());
            }
            prev_attr = Some(attr);
        }
        last_attr = prev_attr.filter(|a| a.source.is_some());
    }
    out
}

/// Tallies a statistical source keeps (unlike seized rifles or pledged money, which
/// the next paragraph may well report on its own).
const TALLIES: &[Metric] = &[
    Metric::Attacks,
    Metric::Fatalities,
    Metric::Injuries,
    Metric::Casualties,
];

/// Only a named research body, international organisation or outlet keeps a running
/// tally; officials quoted for one count do not vouch for the next paragraph's.
fn keeps_tallies(t: &Tokens<'_>, attr: &Attribution) -> bool {
    let Some(span) = attr.source_span else {
        return false;
    };
    t.entities.iter().any(|e| {
        e.start == span.start
            && e.end == span.end
            && attr.source.as_deref() == Some(e.id.as_str())
            && matches!(
                e.entity_type,
                EntityType::ResearchOrg | EntityType::InternationalOrg | EntityType::Media
            )
    })
}

/// A dated sentence ("on Monday", "in May 2024") reports an event of its own.
fn names_a_day_or_month(input: &ClaimInput<'_>, sent: dossier_model::Span) -> bool {
    crate::dates::find_dates(input.text, sent, input.published)
        .iter()
        .any(|(_, _, p)| matches!(p, DatePrecision::Day | DatePrecision::Month))
}

/// Tally metrics of the counted nouns a sentence names ("attacks", "fatalities").
fn counted_kinds(lex: &FigureLexicon, t: &Tokens<'_>, lo: usize, hi: usize) -> Vec<Metric> {
    let mut out = Vec::new();
    for k in lo..hi {
        let metric = lex
            .nouns
            .match_at(t, k, hi)
            .and_then(|(_, info)| info.metric);
        if let Some(m) = metric.filter(|m| TALLIES.contains(m)) {
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

struct Period {
    tok: usize,
    value: String,
    carried: bool,
    /// The relative clause (", where …") the period sits in: its opening token.
    relative: Option<usize>,
}

fn sentence_figures(
    ctx: &DocCtx<'_>,
    doc: &str,
    (para_lo, lo, hi): (usize, usize, usize),
    attr: &Attribution,
    periods: &[Period],
    prev_subjects: &HashMap<Metric, String>,
    out: &mut Vec<Figure>,
) {
    let (lex, t) = (ctx.lex, ctx.t);
    let mut consumed_nouns: Vec<(usize, usize)> = Vec::new();
    let mut i = lo;
    while i < hi {
        if let Some(fig) = rank(ctx, doc, para_lo, lo, hi, i, attr, periods) {
            out.push(fig);
            i += 2;
            continue;
        }
        if !can_start(lex, t, i) {
            i += 1;
            continue;
        }
        let Some(amount) = parse_amount(lex, t, i, lo, hi) else {
            i += 1;
            continue;
        };
        let next = amount.end.max(i + 1);
        if let Some(c) = counted(ctx, &amount, lo, hi, &consumed_nouns) {
            if let Some(n) = c.noun {
                consumed_nouns.push(n);
            }
            out.push(assemble(
                ctx,
                doc,
                (para_lo, lo, hi),
                &amount,
                &c,
                attr,
                periods,
                prev_subjects,
            ));
        }
        i = next;
    }
}

fn is_date_or_label(ctx: &DocCtx<'_>, a: &Amount, lo: usize) -> bool {
    let (lex, t) = (ctx.lex, ctx.t);
    let prev = a.first.checked_sub(1).filter(|&p| p >= lo);
    let prev_low = prev.map_or("", |p| t.low(p));
    if a.year_like && a.currency.is_none() {
        return true;
    }
    // "March 11", "11 March"; but a count in words after a month is no day of it
    // ("in October two engineers were killed").
    if lex.months.match_at(t, a.end, a.end + 1).is_some()
        || (prev.is_some() && !a.worded && lex.months.match_at(t, a.first - 1, a.first).is_some())
    {
        return true;
    }
    if prev.is_some() && lex.label_words.match_at(t, a.first - 1, a.first).is_some() {
        return true;
    }
    // "9/11", "10:30", "#3"
    let glued_before =
        prev.is_some_and(|p| t.glued(p) && matches!(prev_low, "/" | ":" | "#" | "."));
    let glued_after = t.glued(a.end.saturating_sub(1)) && matches!(t.low(a.end), "/" | ":");
    glued_before || glued_after || lex.not_counted.match_at(t, a.end, a.end + 1).is_some()
}

fn counted(
    ctx: &DocCtx<'_>,
    a: &Amount,
    lo: usize,
    hi: usize,
    consumed: &[(usize, usize)],
) -> Option<Counted> {
    let (lex, t) = (ctx.lex, ctx.t);
    if is_date_or_label(ctx, a, lo) {
        return None;
    }
    if a.percent {
        let window = a.first.saturating_sub(4).max(lo);
        let change = (window..a.first).any(|k| lex.change_before.match_at(t, k, a.first).is_some())
            || lex.change_after.match_at(t, a.end, hi).is_some();
        let after = usize::from(lex.change_after.match_at(t, a.end, hi).is_some());
        return Some(Counted {
            metric: if change {
                Metric::PercentChange
            } else {
                Metric::Other
            },
            unit: "%".into(),
            lo: a.first,
            hi: a.end + after,
            noun: None,
            agent_cue: None,
            victim_cue: false,
            rule: "figure:percent",
        });
    }
    if let Some(code) = &a.currency {
        return Some(Counted {
            metric: Metric::Money,
            unit: code.clone(),
            lo: a.first,
            hi: a.end,
            noun: None,
            agent_cue: None,
            victim_cue: false,
            rule: "figure:money",
        });
    }
    // "One group", "a dozen" is fine but a lone "one" is an article, not a count;
    // "the two factions" refers back to a count already made.
    let definite = a.first > lo && lex.definite.match_at(t, a.first - 1, a.first).is_some();
    // "the 24 suicide bombings recorded last year" states the count where it is told.
    let told_here = definite
        && noun_after(ctx, a, hi).is_some_and(|(_, nb, _)| {
            matches!(
                t.low(nb),
                "recorded" | "reported" | "documented" | "registered" | "counted" | "logged"
            )
        });
    if (a.worded && a.value <= 1.0) || (definite && a.bound == Bound::Exact && !told_here) {
        return None;
    }
    if let Some((na, nb, info)) = noun_after(ctx, a, hi) {
        let too_small = info
            .min_value
            .is_some_and(|m| a.value < m && a.bound == Bound::Exact);
        if too_small {
            return None;
        }
        return classify_noun(ctx, a, lo, hi, na, nb, info);
    }
    if let Some(k) = victims_by_cue(ctx, a, lo, hi) {
        return classify_noun(ctx, a, lo, hi, k, k + 1, people_noun());
    }
    ellipsis(ctx, a, lo, hi, consumed)
}

/// A people noun for plurals the noun list does not know.
fn people_noun() -> &'static NounInfo {
    static PEOPLE: std::sync::OnceLock<NounInfo> = std::sync::OnceLock::new();
    PEOPLE.get_or_init(|| NounInfo {
        metric: None,
        unit: "people".into(),
        min_value: None,
    })
}

/// A plural noun the noun list does not know, counted where a kill or injury cue is
/// right beside it: "the killing of 26 tourists", "14 pilgrims were wounded". Returns
/// the noun's token.
fn victims_by_cue(ctx: &DocCtx<'_>, a: &Amount, lo: usize, hi: usize) -> Option<usize> {
    let (lex, t) = (ctx.lex, ctx.t);
    // At most one modifier before the noun ("26 Hindu pilgrims").
    let k = (a.end..hi.min(a.end + 2)).find(|&k| {
        let w = t.low(k);
        t.kind(k) == Some(Kind::Word)
            && w.len() >= 4
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !t.is_capitalized(k)
            && lex.stop_words.match_at(t, k, k + 1).is_none()
            && lex.not_counted.match_at(t, k, k + 1).is_none()
    })?;
    if k > a.end
        && (t.kind(a.end) != Some(Kind::Word)
            || lex.stop_words.match_at(t, a.end, a.end + 1).is_some())
    {
        return None;
    }
    let is_cue = |j: usize| {
        lex.cues
            .match_at(t, j, hi)
            .is_some_and(|(_, c)| matches!(c, Cue::Death | Cue::Injury | Cue::Casualty))
    };
    let before = (a.first.saturating_sub(2).max(lo)..a.first).any(is_cue);
    let after = (k + 1..hi.min(k + 4)).any(is_cue)
        && (k + 1..hi.min(k + 4)).take_while(|&j| !is_cue(j)).all(|j| {
            matches!(
                t.low(j),
                "were" | "was" | "had" | "have" | "been" | "also" | "reportedly"
            )
        });
    (before || after).then_some(k)
}

/// The counted noun after the amount: (first token, end, info).
fn noun_after<'l>(
    ctx: &'l DocCtx<'_>,
    a: &Amount,
    hi: usize,
) -> Option<(usize, usize, &'l NounInfo)> {
    let (lex, t) = (ctx.lex, ctx.t);
    let mut k = a.end;
    // "348 of those attacks", "dozens of attacks", "hundreds of thousands of people"
    if t.low(k) == "of" {
        let det = matches!(
            t.low(k + 1),
            "the" | "those" | "these" | "its" | "their" | "all"
        );
        if det {
            k += 2;
            // "14 of the 24 suicide bombings": the whole's count is not the noun.
            if t.kind(k) == Some(Kind::Num) {
                k += 1;
            }
            // "60 of the group's members": the owner's name before a possessive is
            // not what is counted.
            if let Some(p) = (k..hi.min(k + 4)).find(|&p| t.kind(p) == Some(Kind::Possessive)) {
                k = p + 1;
            }
        } else if a.vague {
            k += 1;
        } else {
            return None;
        }
    }
    let mut modifiers = 0;
    while k < hi && modifiers <= 4 {
        if let Some((n, info)) = lex.nouns.match_at(t, k, hi) {
            return Some((k, k + n, info));
        }
        // 40 “foreign-sponsored” fighters: quotation marks around a modifier.
        // ... and the final dot of an abbreviation (“13 U.S. service members”).
        let abbreviation_dot =
            t.low(k) == "." && k > a.end && t.glued(k - 1) && t.low(k - 1).contains('.');
        if abbreviation_dot || matches!(t.low(k), "\"" | "“" | "”" | "'" | "‘" | "’") {
            k += 1;
            continue;
        }
        let stop = lex.stop_words.match_at(t, k, k + 1).is_some()
            || matches!(t.kind(k), Some(Kind::Punct | Kind::Num))
            || can_start(lex, t, k) && t.entity(k).is_none() && t.kind(k) != Some(Kind::Word);
        if stop {
            return None;
        }
        modifiers += 1;
        k += 1;
    }
    None
}

/// Nearest kill/injure/flee cue in `[a, b)`, by class precedence.
fn cue_in(ctx: &DocCtx<'_>, a: usize, b: usize, nearest_last: bool) -> Option<(usize, Cue)> {
    let mut found: Vec<(usize, Cue)> = Vec::new();
    let mut k = a;
    while k < b {
        if let Some((n, cue)) = ctx.lex.cues.match_at(ctx.t, k, b) {
            found.push((k, *cue));
            k += n;
        } else {
            k += 1;
        }
    }
    if nearest_last {
        found.reverse();
    }
    let has = |c: Cue| found.iter().find(|f| f.1 == c).copied();
    if let Some(f) = has(Cue::Casualty) {
        return Some(f);
    }
    match (has(Cue::Death), has(Cue::Injury)) {
        (Some(d), Some(_)) => Some((d.0, Cue::Casualty)),
        (Some(d), None) => Some(d),
        (None, Some(i)) => Some(i),
        (None, None) => has(Cue::Displacement).or_else(|| has(Cue::Captivity)),
    }
}

fn cue_metric(c: Cue) -> (Metric, &'static str) {
    match c {
        Cue::Death => (Metric::Fatalities, "people"),
        Cue::Injury => (Metric::Injuries, "people"),
        Cue::Casualty => (Metric::Casualties, "people"),
        Cue::Displacement => (Metric::Displaced, "people"),
        // The vocabulary has no metric for people held; the unit says what is counted.
        Cue::Captivity => (Metric::Other, "hostages"),
    }
}

fn classify_noun(
    ctx: &DocCtx<'_>,
    a: &Amount,
    lo: usize,
    hi: usize,
    na: usize,
    nb: usize,
    info: &NounInfo,
) -> Option<Counted> {
    let t = ctx.t;
    // "31 civilians, including women and children, were killed": the verb comes
    // after an aside set off by commas.
    let aside_end = (t.low(nb) == ","
        && matches!(
            t.low(nb + 1),
            "including" | "among" | "mostly" | "many" | "most" | "mainly"
        ))
    .then(|| (nb + 2..hi.min(nb + 12)).find(|&k| t.low(k) == ","))
    .flatten();
    // "… terrorists of “Fitna al Khawarij” were killed": the owner's name does not
    // use up the distance to the verb.
    let mut owner_end = nb;
    if t.low(nb) == "of" {
        owner_end += 1;
        while owner_end < hi && is_name_lead(t.low(owner_end)) {
            owner_end += 1;
        }
        while owner_end < hi && t.entity(owner_end).is_some() {
            owner_end += 1;
        }
        while owner_end < hi && matches!(t.low(owner_end), "\"" | "”" | "'" | "’") {
            owner_end += 1;
        }
    }
    let reach = aside_end.map_or(owner_end.max(nb + 2) + 5, |e| e + 5);
    let clause_end = (nb..hi.min(reach))
        .find(|&k| matches!(t.low(k), ";" | "." | ":" | "—" | "–"))
        .unwrap_or(hi.min(reach));
    // Another count after the noun owns the cues after it ("seven policemen were
    // killed and four others wounded": "wounded" is the four's), unless none comes
    // before it ("seven policemen and four civilians were killed").
    let count_at = |k: usize| {
        t.kind(k) == Some(Kind::Num)
            || ctx.lex.number_words.contains_key(t.low(k))
            || ctx.lex.vague.contains_key(t.low(k))
    };
    let next_count = (nb..clause_end).find(|&k| count_at(k));
    let after = next_count
        .and_then(|n| cue_in(ctx, nb, n, false))
        .or_else(|| cue_in(ctx, nb, clause_end, false));
    // "killed 13 soldiers and about 170 civilians": a count coordinated with an
    // earlier one shares the verb before that one.
    let coordinated = a.first > lo && t.low(a.first - 1) == "and";
    let reach = if coordinated { 12 } else { 5 };
    let window = (a.first.saturating_sub(reach).max(lo)..a.first)
        .rev()
        .take_while(|&k| !matches!(t.low(k), "," | ";" | ":"))
        .last()
        .unwrap_or(a.first);
    let before = cue_in(ctx, window, a.first, true)
        // A cue right after an earlier count is that count's verb ("… were killed
        // and four others wounded"): the count's own cue after it wins.
        .filter(|&(k, _)| after.is_none() || !(k.saturating_sub(4).max(lo)..k).any(count_at));
    let base = Counted {
        metric: Metric::Other,
        unit: info.unit.clone(),
        lo: a.first,
        hi: nb,
        noun: Some((na, nb)),
        agent_cue: None,
        victim_cue: false,
        rule: "figure:number-noun",
    };
    let people_like = info.metric.is_none() || info.metric == Some(Metric::Fighters);
    if people_like {
        // Victims named after the cue ("six civilians were killed") or before it
        // ("killed six people"); a kill cue before wins since it is adjacent.
        // Fighters "captured" or "held" are arrests, not hostages.
        let held_fighters =
            |c: &(usize, Cue)| c.1 == Cue::Captivity && info.metric == Some(Metric::Fighters);
        let after = after.filter(|c| !held_fighters(c));
        // "… hostage; 26 hostages were killed": a kill or injury after the count says
        // more than a captivity word before it.
        let before = before
            .filter(|c| !held_fighters(c))
            .filter(|c| c.1 != Cue::Captivity || after.is_none_or(|a| a.1 == Cue::Captivity));
        // "the province had lost 150 policemen to terrorism"
        let lost_to = (t.low(nb) == "to")
            .then(|| {
                (a.first.saturating_sub(3).max(lo)..a.first)
                    .find(|&k| ctx.lex.loss_verbs.match_at(t, k, a.first).is_some())
            })
            .flatten();
        let before = before.or(lost_to.map(|k| (k, Cue::Death)));
        if let Some((k, cue)) = before.or(after) {
            let (metric, unit) = cue_metric(cue);
            let is_before = before.is_some();
            let cue_end = if is_before {
                k
            } else {
                // The span ends with the cue's words, before any comma after them.
                (k + 1..clause_end.min(k + 3))
                    .find(|&j| matches!(t.low(j), "," | "(" | "\""))
                    .unwrap_or(clause_end.min(k + 3))
            };
            return Some(Counted {
                metric,
                unit: unit.into(),
                lo: if is_before { k } else { a.first },
                hi: if is_before { nb } else { cue_end.max(nb) },
                agent_cue: is_before.then_some(k),
                victim_cue: !is_before,
                rule: "figure:people-cue",
                ..base
            });
        }
        return info.metric.map(|metric| Counted { metric, ..base });
    }
    info.metric.map(|metric| Counted { metric, ..base })
}

fn ellipsis(
    ctx: &DocCtx<'_>,
    a: &Amount,
    lo: usize,
    hi: usize,
    consumed: &[(usize, usize)],
) -> Option<Counted> {
    let (lex, t) = (ctx.lex, ctx.t);
    let follower_ok = a.end >= hi || lex.ellipsis_followers.match_at(t, a.end, hi).is_some();
    let leader_ok = a.bound != Bound::Exact
        || (a.first > lo
            && lex
                .ellipsis_leaders
                .match_at(t, a.first - 1, a.first)
                .is_some());
    if !follower_ok || !leader_ok || (a.worded && a.bound == Bound::Exact) {
        return None;
    }
    let from = a.first.saturating_sub(15).max(lo);
    for k in (from..a.first).rev() {
        if let Some((n, info)) = lex.nouns.match_at(t, k, a.first) {
            let metric = info.metric.filter(|m| *m != Metric::Groups)?;
            if consumed.iter().any(|&(x, y)| x <= k && k < y) {
                return None;
            }
            // A noun right after another number is that number's.
            if k > lo && can_start(lex, t, k - 1) && t.kind(k - 1) != Some(Kind::Word) {
                return None;
            }
            return Some(Counted {
                metric,
                unit: info.unit.clone(),
                lo: k,
                hi: a.end,
                noun: Some((k, k + n)),
                agent_cue: None,
                victim_cue: false,
                rule: "figure:ellipsis",
            });
        }
    }
    None
}

/// Words between a preposition and a group's name: an article, a legal status, a
/// quotation mark ("of the banned TTP", "of “Fitna al Khawarij”").
fn is_name_lead(w: &str) -> bool {
    matches!(
        w,
        "the" | "banned" | "proscribed" | "outlawed" | "so-called" | "\"" | "“" | "'" | "‘"
    )
}

fn is_group(e: EntityType) -> bool {
    matches!(e, EntityType::ArmedGroup | EntityType::Faction)
}

/// Most recent armed group or faction mentioned before token `before` (paragraph first,
/// then the whole document).
fn last_group(t: &Tokens<'_>, before: usize) -> Option<String> {
    let pos = t.toks.get(before).map_or(t.text.len(), |x| x.start);
    let upto = t.entities.partition_point(|e| e.start < pos);
    t.entities[..upto]
        .iter()
        .rev()
        .find(|e| is_group(e.entity_type))
        .map(|e| e.id.clone())
}

fn subject(
    ctx: &DocCtx<'_>,
    (lo, hi): (usize, usize),
    a: &Amount,
    c: &Counted,
    prev_subjects: &HashMap<Metric, String>,
) -> Option<String> {
    let (lex, t) = (ctx.lex, ctx.t);
    let actor = |k: usize| t.entity(k).filter(|e| e.entity_type.is_actor());
    let noun = c.noun.unwrap_or((a.end, a.end));
    // Victims are named by their noun phrase ("security personnel").
    let victims_literal = || {
        let start = if noun.0 >= a.end { a.end } else { noun.0 };
        let mut s = start;
        if t.low(s) == "of" {
            s += 1;
        }
        while s < noun.0
            && matches!(
                t.low(s),
                "the" | "those" | "these" | "its" | "their" | "all"
            )
        {
            s += 1;
        }
        // "civilians and security forces", "personnel and their informants": the
        // victims are the whole coordination.
        let mut end = noun.1;
        if t.low(end) == "and" {
            let mut j = end + 1;
            if matches!(t.low(j), "the" | "their" | "its" | "other") {
                j += 1;
            }
            // A count of its own after "and" is another figure's ("nine guards and
            // three drivers").
            let modifiers = (j..j + 2)
                .take_while(|&m| {
                    t.kind(m) == Some(Kind::Word) && !lex.number_words.contains_key(t.low(m))
                })
                .count();
            for m in 0..=modifiers {
                if let Some((n, info)) = lex.nouns.match_at(t, j + m, hi) {
                    if info.metric.is_none() {
                        end = j + m + n;
                        break;
                    }
                }
            }
        }
        let span = (t.toks.get(s)?.start, t.toks.get(end.checked_sub(1)?)?.end);
        t.text.get(span.0..span.1).map(str::to_string)
    };
    if c.noun.is_none() {
        match c.metric {
            Metric::PercentChange => return changed_thing(ctx, lo, hi, a, c),
            Metric::Money => {
                let (n, _) = lex.subject_openers.match_at(t, a.end, hi)?;
                return described_np(ctx, a.end + n, hi);
            }
            Metric::Other => return None,
            _ => {}
        }
    }
    // Fighters killed or wounded are counted for their group: "four of its fighters
    // died", "60 of the group's members", "killed 11 members of the TTP".
    let fighters = c
        .noun
        .and_then(|(n0, _)| lex.nouns.match_at(t, n0, hi))
        .is_some_and(|(_, info)| info.metric == Some(Metric::Fighters));
    if fighters && (c.victim_cue || c.agent_cue.is_some()) {
        let mut j = noun.1;
        if t.low(j) == "of" {
            j += 1;
            // "of the banned TTP", "of “Fitna al Khawarij”"
            while j < hi && is_name_lead(t.low(j)) {
                j += 1;
            }
            if let Some(e) = actor(j).filter(|e| is_group(e.entity_type)) {
                return Some(e.id.clone());
            }
        }
        let own = (a.end..noun.0).any(|k| {
            matches!(t.low(k), "its" | "their")
                || (t.kind(k) == Some(Kind::Possessive)
                    && lex.group_anaphors.match_ending(t, k, a.end).is_some())
        });
        if own {
            if let Some(g) = last_group(t, a.first) {
                return Some(g);
            }
        }
    }
    if c.victim_cue {
        return victims_literal();
    }
    if let Some(k) = c.agent_cue {
        // "the TTP … killed 558 people": the killer is the subject, when it is the
        // subject of the clause; "a bombing that killed 13 soldiers", "since the
        // Taliban took power, … killed 13": the victims are.
        let clause_start = (lo..k)
            .rev()
            .find(|&j| {
                matches!(
                    t.low(j),
                    "that" | "which" | "who" | "since" | "after" | "before" | "when" | ";"
                )
            })
            .map_or(lo, |j| j + 1);
        return (clause_start..k)
            .rev()
            .find_map(|j| {
                actor(j)
                    .filter(|e| is_group(e.entity_type))
                    .map(|e| e.id.clone())
            })
            .or_else(|| group_anaphor(ctx, clause_start, k))
            .or_else(victims_literal);
    }
    // Inside the counted phrase ("seven TTP training camps"), or right before it.
    if let Some(e) = (a.end..noun.1).find_map(actor) {
        return Some(e.id.clone());
    }
    if let Some(e) = (noun.0..noun.1).find_map(actor) {
        return Some(e.id.clone());
    }
    let before = a.first.checked_sub(1).filter(|&p| p >= lo);
    let before = before.and_then(|p| {
        if t.kind(p) == Some(Kind::Possessive) {
            p.checked_sub(1)
        } else {
            Some(p)
        }
    });
    if let Some(e) = before.filter(|&p| p >= lo).and_then(actor) {
        return Some(e.id.clone());
    }
    // "attacks by the TTP", "attributing 48 attacks to the TTP", "terrorists
    // belonging to the banned TTP"
    let mut k = noun.1;
    while k < hi.min(noun.1 + 7) {
        if matches!(t.low(k), "by" | "to" | "of" | "from") {
            let mut j = k + 1;
            while j < hi && is_name_lead(t.low(j)) {
                j += 1;
            }
            if let Some(e) = actor(j).filter(|e| is_group(e.entity_type)) {
                return Some(e.id.clone());
            }
        }
        // "… fighters in Afghanistan and receives support from the Afghan Taliban":
        // a coordinated verb or a new clause has a subject of its own.
        if matches!(
            t.low(k),
            "." | ";" | "and" | "but" | "while" | "which" | "who" | ","
        ) {
            break;
        }
        k += 1;
    }
    if matches!(
        c.metric,
        Metric::Attacks | Metric::Fighters | Metric::TrainingCamps
    ) {
        let start = c.lo.min(a.first);
        let group_at = |j: usize| actor(j).filter(|e| is_group(e.entity_type));
        if let Some(j) = (lo..start).rev().find(|&j| group_at(j).is_some()) {
            // "The BLA and its suicide squad, the Majeed Brigade, were responsible for
            // 150 attacks": the owner named first is the subject of the coordination.
            let owner = (j.saturating_sub(10).max(lo)..j)
                .find(|&i| {
                    group_at(i).is_some()
                        && (i + 1..j)
                            .any(|m| t.low(m) == "and" && matches!(t.low(m + 1), "its" | "their"))
                        && !(i + 1..j).any(|m| matches!(t.low(m), "." | ";" | "by" | "against"))
                })
                .and_then(group_at);
            return owner.or_else(|| group_at(j)).map(|e| e.id.clone());
        }
        if let Some(g) = group_anaphor(ctx, lo, start) {
            return Some(g);
        }
        if let Some(s) = prev_subjects.get(&c.metric) {
            return Some(s.clone());
        }
    }
    let _ = lex;
    None
}

/// What a percentage change is about: "a 40% rise in suicide bombings" names it after
/// the change, "Attacks within the province surged by 40%" before the change verb.
fn changed_thing(
    ctx: &DocCtx<'_>,
    lo: usize,
    hi: usize,
    a: &Amount,
    c: &Counted,
) -> Option<String> {
    let (lex, t) = (ctx.lex, ctx.t);
    if let Some((n, _)) = lex.subject_openers.match_at(t, c.hi, hi) {
        if let Some(s) = described_np(ctx, c.hi + n, hi) {
            return Some(s);
        }
    }
    let verb = (a.first.saturating_sub(4).max(lo)..a.first)
        .find(|&k| lex.change_before.match_at(t, k, a.first).is_some())?;
    let mut end = verb;
    while end > lo && lex.subject_skip.match_at(t, end - 1, end).is_some() {
        end -= 1;
    }
    let content = |k: usize| {
        t.entity(k).is_some()
            || (matches!(t.kind(k), Some(Kind::Word | Kind::Mixed))
                && lex.stop_words.match_at(t, k, k + 1).is_none()
                && lex.attribution_verbs.match_at(t, k, k + 1).is_none())
    };
    let mut start = end;
    while start > lo && end - start < MAX_DESCRIBED {
        let k = start - 1;
        // A preposition stays when a name follows it: "attacks within Pakistan".
        let link = |j: usize| lex.subject_links.match_at(t, j, j + 1).is_some();
        let named_link = link(k) && (t.entity(k + 1).is_some() || t.is_capitalized(k + 1));
        // "Violence in the province rose": an article after a link stays too.
        if t.low(k) == "the" && k > lo && link(k - 1) && k + 1 < end {
            start = k - 1;
            continue;
        }
        let possessive = t.kind(k) == Some(Kind::Possessive);
        if !(content(k) || possessive || (named_link && k + 1 < end)) {
            break;
        }
        start = k;
    }
    while start < end && !content(start) {
        start += 1;
    }
    literal_or_entity(ctx, start, end)
}

/// Longest described subject, in tokens.
const MAX_DESCRIBED: usize = 8;

/// The noun phrase from token `k` on, without determiners, keeping a prepositional
/// phrase that names something ("military aid to Pakistan"); `None` when it is only a
/// date, a number or a place ("$5 million in 2023", "in Kabul").
fn described_np(ctx: &DocCtx<'_>, mut k: usize, hi: usize) -> Option<String> {
    let (lex, t) = (ctx.lex, ctx.t);
    while k < hi && (lex.definite.match_at(t, k, k + 1).is_some() || matches!(t.low(k), "a" | "an"))
    {
        k += 1;
    }
    let start = k;
    let mut linked = false;
    while k < hi && k - start < MAX_DESCRIBED {
        let name = t.entity(k).is_some() || t.is_capitalized(k);
        let word = matches!(t.kind(k), Some(Kind::Word | Kind::Mixed))
            && lex.stop_words.match_at(t, k, k + 1).is_none()
            && lex.months.match_at(t, k, k + 1).is_none();
        if linked {
            if !(name && word || t.entity(k).is_some()) {
                break;
            }
        } else if k > start
            && lex.subject_links.match_at(t, k, k + 1).is_some()
            && (t.entity(k + 1).is_some() || t.is_capitalized(k + 1))
        {
            linked = true;
        } else if !word || (k > start && t.low(k).ends_with("ed") && t.entity(k).is_none()) {
            // A participle after the noun starts a reduced clause ("aid pledged by …").
            break;
        }
        k += 1;
    }
    // A dangling link ("aid to") is not part of the phrase.
    while k > start && lex.subject_links.match_at(t, k - 1, k).is_some() {
        k -= 1;
    }
    let only_place = (start..k).all(|j| t.entity(j).is_some_and(|e| e.entity_type.is_place()));
    if only_place {
        return None;
    }
    literal_or_entity(ctx, start, k)
}

/// Tokens `[start, end)` as a literal subject, or the actor's id when one actor's
/// name is all of it.
fn literal_or_entity(ctx: &DocCtx<'_>, start: usize, end: usize) -> Option<String> {
    let t = ctx.t;
    if start >= end {
        return None;
    }
    let first = t.entity(start);
    if let Some(e) = first.filter(|e| e.entity_type.is_actor()) {
        if (start..end).all(|j| t.entity(j).is_some_and(|x| std::ptr::eq(x, e))) {
            return Some(e.id.clone());
        }
    }
    let span = (t.toks.get(start)?.start, t.toks.get(end - 1)?.end);
    t.text.get(span.0..span.1).map(str::to_string)
}

/// "The group carried out …", "it had carried out …": the last group named before.
fn group_anaphor(ctx: &DocCtx<'_>, lo: usize, end: usize) -> Option<String> {
    ctx.lex.group_anaphors.find(ctx.t, lo, end)?;
    last_group(ctx.t, lo)
}

fn place(ctx: &DocCtx<'_>, lo: usize, hi: usize, a: &Amount, c: &Counted) -> Option<String> {
    let t = ctx.t;
    let is_place = |k: usize| t.entity(k).filter(|e| e.entity_type.is_place());
    let preposition = |k: usize| {
        (k.saturating_sub(2).max(lo)..k).any(|j| {
            matches!(
                t.low(j),
                "in" | "within" | "across" | "inside" | "at" | "from" | "of"
            )
        })
    };
    let after = c.hi.max(a.end);
    // ", comparing it to car lots in the US", ", which …": a new clause after the
    // figure places something else.
    let clause_end = (after..hi)
        .find(|&k| {
            t.low(k) == ";"
                || (t.low(k) == ","
                    && (t.low(k + 1).ends_with("ing")
                        || ctx.lex.relative_openers.match_at(t, k + 1, k + 2).is_some()))
        })
        .unwrap_or(hi);
    if let Some(e) = (after..clause_end).find_map(|k| is_place(k).filter(|_| preposition(k))) {
        return Some(e.id.clone());
    }
    (lo..c.lo.min(a.first))
        .rev()
        .find_map(|k| is_place(k).filter(|_| preposition(k)))
        .map(|e| e.id.clone())
}

/// Period expressions of the sentence, in order.
fn periods(ctx: &DocCtx<'_>, lo: usize, hi: usize, prev: Option<&str>) -> Vec<Period> {
    let (lex, t) = (ctx.lex, ctx.t);
    let mut out = Vec::new();
    let year_at = |k: usize| -> Option<i32> {
        let s = t.low(k);
        (t.kind(k) == Some(Kind::Num) && s.len() == 4)
            .then(|| s.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1900..=2100).contains(y))
    };
    let month_num = |k: usize| -> Option<usize> {
        const M: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        lex.months.match_at(t, k, k + 1)?;
        let w = t.low(k);
        M.iter().position(|m| w.starts_with(m)).map(|p| p + 1)
    };
    let mut k = lo;
    let mut relative: Option<usize> = None;
    while k < hi {
        if relative.is_none()
            && k > lo
            && t.low(k - 1) == ","
            && lex.relative_openers.match_at(t, k, hi).is_some()
        {
            relative = Some(k);
        }
        if let Some(y) = year_at(k) {
            let mut p = k;
            let mut value = y.to_string();
            if let Some(m) = p.checked_sub(1).filter(|&q| q >= lo).and_then(month_num) {
                value = format!("{y}-{m:02}");
                p -= 1;
            }
            // "the first half of 2025" → 2025-01/2025-06.
            let mut part = false;
            if let Some((from, &[m1, m2])) = lex.period_parts.match_ending(t, p, lo) {
                value = format!("{y}-{m1:02}/{y}-{m2:02}");
                p = from;
                if from > lo && t.low(from - 1) == "the" {
                    p = from - 1;
                }
                part = true;
            }
            // "since the Taliban seized power in August 2021": a `since` clause whose
            // date comes at its end, after "in", opens the period just the same.
            let since_clause = p > lo
                && t.low(p - 1) == "in"
                && (p.saturating_sub(8).max(lo)..p - 1)
                    .rev()
                    .take_while(|&q| !matches!(t.low(q), "," | ";" | "." | ":"))
                    .any(|q| t.low(q) == "since");
            let since = since_clause || lex.period_since.match_ending(t, p, lo).is_some();
            let within = lex.period_in.match_ending(t, p, lo).is_some();
            let between = p >= lo + 2 && t.low(p - 1) == "and" && year_at(p - 2).is_some()
                || t.low(p.saturating_sub(1)) == "between";
            if since && t.low(p.saturating_sub(1)) != "from" {
                out.push(Period {
                    tok: k,
                    value: format!("{value}/"),
                    carried: false,
                    relative,
                });
            } else if t.low(p.saturating_sub(1)) == "from"
                && matches!(t.low(k + 1), "to" | "until" | "-" | "–")
                && year_at(k + 2).is_some()
            {
                out.push(Period {
                    tok: k,
                    value: format!("{y}/{}", t.low(k + 2)),
                    carried: false,
                    relative,
                });
                k += 3;
                continue;
            } else if within || part || (value.len() > 4 && !between) {
                out.push(Period {
                    tok: k,
                    value,
                    carried: false,
                    relative,
                });
            }
            k += 1;
            continue;
        }
        // "between January and June" / "from March to May" without a year: the last
        // such span up to publication; with a year after it, that year's.
        if let (Some(m1), true) = (
            month_num(k),
            k > lo && matches!(t.low(k - 1), "between" | "from"),
        ) {
            let joined = matches!(t.low(k + 1), "and" | "to" | "until" | "through" | "-" | "–");
            if let (true, Some(m2)) = (joined, month_num(k + 2)) {
                let year = year_at(k + 3).or_else(|| {
                    let (y, pm) = (ctx.published_year?, ctx.published_month?);
                    Some(if m2 as u32 <= pm && m1 <= m2 {
                        y
                    } else {
                        y - 1
                    })
                });
                if let (Some(y), true) = (year, m1 <= m2) {
                    out.push(Period {
                        tok: k,
                        value: format!("{y}-{m1:02}/{y}-{m2:02}"),
                        carried: false,
                        relative,
                    });
                    k += if year_at(k + 3).is_some() { 4 } else { 3 };
                    continue;
                }
            }
        }
        // "in October" without a year: the last such month up to publication.
        if let (Some(m), Some(y), Some(pm)) =
            (month_num(k), ctx.published_year, ctx.published_month)
        {
            let dated_in = k > lo && lex.period_in.match_ending(t, k, lo).is_some();
            // "since August": open from the last August up to publication.
            let since = k > lo && lex.period_since.match_ending(t, k, lo).is_some();
            let has_year_or_day = year_at(k + 1).is_some() || t.kind(k + 1) == Some(Kind::Num);
            let published = (k.saturating_sub(3).max(lo)..k)
                .any(|j| lex.period_publication.match_at(t, j, k).is_some());
            if (dated_in || since) && t.is_capitalized(k) && !has_year_or_day && !published {
                let year = if m as u32 <= pm { y } else { y - 1 };
                out.push(Period {
                    tok: k,
                    value: format!("{year}-{m:02}{}", if since { "/" } else { "" }),
                    carried: false,
                    relative,
                });
                k += 1;
                continue;
            }
        }
        if let Some((n, off)) = lex.period_relative.match_at(t, k, hi) {
            // "nearly double the toll recorded a year earlier": the year dates the
            // figure compared with, not this one.
            let compared = (k.saturating_sub(6).max(lo)..k)
                .any(|j| lex.period_comparison_near.match_at(t, j, k).is_some());
            let comparison = compared || lex.period_comparison.match_ending(t, k, lo).is_some();
            if let (Some(y), false) = (ctx.published_year, comparison) {
                out.push(Period {
                    tok: k,
                    value: (y + off).to_string(),
                    carried: false,
                    relative,
                });
            }
            k += n;
            continue;
        }
        if let Some((n, _)) = lex.period_carry.match_at(t, k, hi) {
            if let Some(p) = prev {
                out.push(Period {
                    tok: k,
                    value: p.to_string(),
                    carried: true,
                    relative,
                });
            }
            k += n;
            continue;
        }
        k += 1;
    }
    out
}

fn period_for(periods: &[Period], a: &Amount) -> Option<String> {
    // A period inside a relative clause that opens after the figure dates that
    // clause's event ("348 attacks in Swat, where the group was routed in 2015").
    let own = |p: &&Period| p.relative.is_none_or(|r| r < a.end);
    periods
        .iter()
        .filter(own)
        .filter(|p| p.tok >= a.end)
        .min_by_key(|p| p.tok - a.end)
        .or_else(|| {
            periods
                .iter()
                .filter(own)
                .filter(|p| p.tok < a.first)
                .max_by_key(|p| p.tok)
        })
        .map(|p| p.value.clone())
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    ctx: &DocCtx<'_>,
    doc: &str,
    (_para_lo, lo, hi): (usize, usize, usize),
    a: &Amount,
    c: &Counted,
    attr: &Attribution,
    periods: &[Period],
    prev_subjects: &HashMap<Metric, String>,
) -> Figure {
    let t = ctx.t;
    let first = c.lo.min(a.first);
    let last = c.hi.max(a.end).max(first + 1).min(t.len());
    let start = t.toks[first].start;
    let end = t.toks[last - 1].end;
    let span = dossier_model::Span::new(start, end);
    let near = dossier_model::Span::new(t.toks[a.first].start, end);
    let hedged = a.bound != Bound::Exact
        || a.vague
        || attr.claimed
        || attr
            .cues
            .iter()
            .any(|cue| cue.kind == CueKind::SentenceHedge)
        || attr.cue_near(near, 12, &[CueKind::Hedge]);
    Figure {
        doc: doc.to_string(),
        value: a.value,
        value_max: a.value_max,
        bound: a.bound,
        unit: c.unit.clone(),
        metric: c.metric,
        subject: subject(ctx, (lo, hi), a, c, prev_subjects),
        period: period_for(periods, a),
        place: place(ctx, lo, hi, a, c),
        source: Some(
            attr.source
                .clone()
                .filter(|_| !semicolon_between(t, end, attr))
                .unwrap_or_else(|| "author".into()),
        ),
        hedged,
        start,
        end,
        text: span.slice(t.text).to_string(),
        rule: c.rule.to_string(),
    }
}

/// "… at least 23 soldiers dead, according to the military, while Taliban officials
/// claimed 58 were killed": a figure in a contrasting clause (", while", ", but") that
/// names its own speaker is that speaker's, not the sentence's first source.
fn clause_speakers(
    ctx: &DocCtx<'_>,
    (lo, hi): (usize, usize),
    attr: &Attribution,
    figs: &mut [Figure],
) {
    let t = ctx.t;
    for f in figs {
        let first = t.index_at(f.start);
        let Some(c) = (lo + 1..first.min(hi))
            .rev()
            .find(|&k| t.low(k - 1) == "," && ctx.lex.contrast.match_at(t, k, k + 1).is_some())
        else {
            continue;
        };
        let boundary = t.toks[c].start;
        // The sentence's source must lie before the contrast, in the other clause.
        if attr.source_span.is_some_and(|s| s.end > boundary) {
            continue;
        }
        let own = attribute(ctx.lex, t, c + 1, hi, None);
        if let (Some(src), Some(span)) = (own.source.clone(), own.source_span) {
            if span.start >= boundary {
                f.source = Some(src);
                f.hedged |= own.claimed;
            }
        }
    }
}

/// "took 400 people hostage; the army said …": a source named after a semicolon that
/// follows the figure speaks for the other clause only.
fn semicolon_between(t: &Tokens<'_>, fig_end: usize, attr: &Attribution) -> bool {
    if attr.carried {
        return false;
    }
    let Some(src) = attr.source_span.filter(|s| s.start >= fig_end) else {
        return false;
    };
    let (a, b) = t.range(fig_end, src.start);
    (a..b).any(|k| t.low(k) == ";")
}

/// "ranks second", "ranked 3rd", "tenth place".
#[allow(clippy::too_many_arguments)]
fn rank(
    ctx: &DocCtx<'_>,
    doc: &str,
    _para_lo: usize,
    lo: usize,
    hi: usize,
    i: usize,
    attr: &Attribution,
    periods: &[Period],
) -> Option<Figure> {
    let (lex, t) = (ctx.lex, ctx.t);
    let ordinal = |k: usize| -> Option<f64> {
        let w = t.low(k);
        if t.kind(k) != Some(Kind::Mixed) {
            if !lex.ordinal_keys.may_contain(t.key(k)) {
                return None;
            }
            return lex.ordinals.get(w).copied();
        }
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        (t.kind(k) == Some(Kind::Mixed) && matches!(suffix, "st" | "nd" | "rd" | "th"))
            .then(|| digits.parse().ok())
            .flatten()
    };
    let (value, first, last) = if let Some((n, _)) = lex.rank_verbs.match_at(t, i, hi) {
        let mut k = i + n;
        while matches!(t.low(k), "at" | "as" | "the" | "in") && k < hi {
            k += 1;
        }
        (ordinal(k)?, i, k + 1)
    } else {
        let v = ordinal(i)?;
        let n = lex.rank_nouns.match_at(t, i + 1, hi)?.0;
        (v, i, i + 1 + n)
    };
    // The ranked one: the nearest entity before, or "the country" → last country named.
    let subject = (lo..first)
        .rev()
        .find_map(|k| {
            t.entity(k).filter(|e| {
                !matches!(
                    e.entity_type,
                    EntityType::ResearchOrg | EntityType::InternationalOrg | EntityType::Media
                )
            })
        })
        .map(|e| e.id.clone())
        .or_else(|| {
            lex.country_anaphors.find(t, lo, first)?;
            let pos = t.toks[lo].start;
            let upto = t.entities.partition_point(|e| e.start < pos);
            t.entities[..upto]
                .iter()
                .rev()
                .find(|e| matches!(e.entity_type, EntityType::Country | EntityType::State))
                .map(|e| e.id.clone())
        });
    // "ranks second on the Global Terrorism Index": the index ranks.
    let mut k = last;
    while k < hi && matches!(t.low(k), "on" | "in" | "of" | "the") {
        k += 1;
    }
    let ranker = t
        .entity(k)
        .filter(|e| k > last && k < hi && t.toks.get(k).is_some_and(|x| x.start == e.start))
        .filter(|e| {
            matches!(
                e.entity_type,
                EntityType::ResearchOrg | EntityType::InternationalOrg | EntityType::Media
            )
        })
        .map(|e| e.id.clone());
    let source = attr.source.clone().or(ranker);
    let start = t.toks[first].start;
    let end = t.toks[last.min(t.len()) - 1].end;
    let amount = Amount {
        first,
        number: first,
        end: last,
        value,
        value_max: None,
        bound: Bound::Exact,
        vague: false,
        currency: None,
        percent: false,
        year_like: false,
        worded: true,
    };
    Some(Figure {
        doc: doc.to_string(),
        value,
        value_max: None,
        bound: Bound::Exact,
        unit: "rank".into(),
        metric: Metric::Rank,
        subject,
        period: period_for(periods, &amount),
        place: None,
        source: Some(source.unwrap_or_else(|| "author".into())),
        hedged: attr.claimed,
        start,
        end,
        text: t.text.get(start..end).unwrap_or("").to_string(),
        rule: "figure:rank".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::tests::fixture;

    /// Figures of `src` (entities in `[brackets]`), one line each:
    /// `value[-max] metric bound unit s=subject p=period l=place src=source h`.
    fn figs(src: &str) -> Vec<String> {
        let (text, ents) = fixture(src);
        let input = ClaimInput {
            doc: "d",
            text: &text,
            published: Some("2025-03-20"),
            entities: &ents,
        };
        let figures = extract(&Lexicon::default(), &input);
        for f in &figures {
            assert_eq!(&text[f.start..f.end], f.text, "span matches text");
        }
        figures
            .iter()
            .map(|f| {
                let max = f.value_max.map_or(String::new(), |m| format!("-{m}"));
                let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
                format!(
                    "{}{max} {} {} {} s={} p={} l={} src={} {}",
                    f.value,
                    f.metric,
                    f.bound,
                    f.unit,
                    opt(&f.subject),
                    opt(&f.period),
                    opt(&f.place),
                    opt(&f.source),
                    if f.hedged { "hedged" } else { "firm" }
                )
            })
            .collect()
    }

    fn check(src: &str, expect: &[&str]) {
        assert_eq!(figs(src), expect, "in {src:?}");
    }

    #[test]
    fn counted_nouns_give_metric_and_subject_inside_the_phrase() {
        check(
            "Monitors found at least nine [Front] training camps in [Kunar] in 2023.",
            &["9 training_camps at_least camps s=front p=2023 l=kunar src=Monitors hedged"],
        );
    }

    #[test]
    fn attacks_attributed_to_a_group_and_periods_with_alone() {
        check(
            "Officials attributed 31 attacks to the [Front] in 2024 alone.",
            &["31 attacks exact attacks s=front p=2024 l=- src=Officials firm"],
        );
    }

    #[test]
    fn killer_before_victims_is_the_subject_and_two_figures_share_a_clause() {
        check(
            "The [Front] killed 210 people in 95 attacks last year.",
            &[
                "210 fatalities exact people s=front p=2024 l=- src=author firm",
                "95 attacks exact attacks s=front p=2024 l=- src=author firm",
            ],
        );
    }

    #[test]
    fn a_place_based_think_tank_refers_back_to_the_named_institute() {
        check(
            "The [Policy Institute] said raids rose. \
             The [Kunar]-based think tank counted 80 deaths.",
            &["80 fatalities exact people s=- p=- l=- src=policy-institute firm"],
        );
    }

    #[test]
    fn a_closing_the_report_said_names_the_previous_paragraphs_source() {
        check(
            "A study by the [Policy Institute] tallied 70 attacks.\n\
             The [Front], led by one man, claimed 30 attacks on troops, the report said.",
            &[
                "70 attacks exact attacks s=- p=- l=- src=policy-institute firm",
                "30 attacks exact attacks s=front p=- l=- src=policy-institute hedged",
            ],
        );
    }

    #[test]
    fn a_month_without_a_year_is_the_last_one_before_publication() {
        check(
            "Militants staged 40 attacks in October.",
            &["40 attacks exact attacks s=- p=2024-10 l=- src=author firm"],
        );
        check(
            "In February, militants staged 12 attacks.",
            &["12 attacks exact attacks s=- p=2025-02 l=- src=author firm"],
        );
        check(
            "A review published in January says militants staged 12 attacks.",
            &["12 attacks exact attacks s=- p=- l=- src=author firm"],
        );
    }

    #[test]
    fn part_of_a_year_and_a_compared_year_earlier() {
        check(
            "Militants staged 150 attacks during the first half of 2024, \
             nearly double the number seen a year earlier.",
            &["150 attacks exact attacks s=- p=2024-01/2024-06 l=- src=author firm"],
        );
        check(
            "Militants staged 90 attacks, twice as many as the year before.",
            &["90 attacks exact attacks s=- p=- l=- src=author firm"],
        );
    }

    #[test]
    fn people_taken_hostage_are_counted_as_hostages() {
        check(
            "Gunmen seized a bus, taking 35 passengers hostage.",
            &["35 other exact hostages s=passengers p=- l=- src=author firm"],
        );
        check(
            "Gunmen abducted 12 workers near the mine.",
            &["12 other exact hostages s=workers p=- l=- src=author firm"],
        );
        // Fighters taken are arrests; without another cue they stay a count of fighters.
        check(
            "They took 90 people hostage; 6 hostages died.",
            &[
                "90 other exact hostages s=people p=- l=- src=author firm",
                "6 fatalities exact people s=hostages p=- l=- src=author firm",
            ],
        );
        check(
            "Gunmen held 50 workers hostage; officials said 3 workers died.",
            &[
                "50 other exact hostages s=workers p=- l=- src=author firm",
                "3 fatalities exact people s=workers p=- l=- src=officials firm",
            ],
        );
        check(
            "Police kidnapped 7 militants.",
            &["7 fighters exact fighters s=- p=- l=- src=author firm"],
        );
    }

    #[test]
    fn a_speaker_named_with_its_acronym_before_said() {
        check(
            "The army's media wing, the [Army Institute] (AI), said troops killed 9 militants.",
            &["9 fatalities exact people s=militants p=- l=- src=army-institute firm"],
        );
    }

    #[test]
    fn its_fighters_killed_are_the_groups() {
        check(
            "The [Front] denied it, saying only three of its fighters died.",
            &["3 fatalities exact people s=front p=- l=- src=front firm"],
        );
    }

    #[test]
    fn a_later_clause_does_not_own_the_count() {
        check(
            "The [Front] has 900 fighters in [Kunar] and gets money from the [Sons|sons].",
            &["900 fighters exact fighters s=front p=- l=kunar src=author firm"],
        );
    }

    #[test]
    fn victims_named_before_their_cue_are_a_literal_subject() {
        check(
            "In May 2024, five police officers were killed near the post.",
            &["5 fatalities exact people s=police officers p=2024-05 l=- src=author firm"],
        );
        check(
            "The raid left at least a dozen border guards dead.",
            &["12 fatalities at_least people s=border guards p=- l=- src=author hedged"],
        );
    }

    #[test]
    fn each_count_takes_its_own_verb() {
        check(
            "Nine guards were killed and three others wounded when the convoy was hit.",
            &[
                "9 fatalities exact people s=guards p=- l=- src=author firm",
                "3 injuries exact people s=others p=- l=- src=author firm",
            ],
        );
        check(
            "Nine guards and three drivers were killed in the blast.",
            &[
                "9 fatalities exact people s=guards p=- l=- src=author firm",
                "3 fatalities exact people s=drivers p=- l=- src=author firm",
            ],
        );
    }

    #[test]
    fn members_of_a_named_owner_and_attackers_are_fighters() {
        check(
            "Police said 12 of the outfit's members were killed in the raid, and between 20 and 25 attackers had crossed the river.",
            &[
                "12 fatalities exact people s=outfit's members p=- l=- src=Police firm",
                "20-25 fighters range fighters s=- p=- l=- src=Police hedged",
            ],
        );
    }

    #[test]
    fn fighters_killed_are_counted_for_their_group() {
        check(
            "Soldiers killed 14 members of the [TTP] near the border.",
            &["14 fatalities exact people s=ttp p=- l=- src=author firm"],
        );
        check(
            "The [TTP] lost ground. Officials said 30 of the group's fighters had been killed.",
            &["30 fatalities exact people s=ttp p=- l=- src=Officials firm"],
        );
    }

    #[test]
    fn a_span_of_months_is_the_period_and_a_worded_count_after_a_month_is_no_day() {
        // Published 2025-03-20: January to March is this year's, May to July last year's.
        check(
            "The monitor recorded 412 civilian casualties between January and March.",
            &["412 casualties exact people s=- p=2025-01/2025-03 l=- src=author firm"],
        );
        check(
            "Rebels staged 37 attacks from May to July, the monitor said.",
            &["37 attacks exact attacks s=- p=2024-05/2024-07 l=- src=author firm"],
        );
        check(
            "In October two nurses were killed when a shell hit the clinic.",
            &["2 fatalities exact people s=nurses p=2024-10 l=- src=author firm"],
        );
        check(
            "Officials said 40 “foreign-backed” fighters were killed.",
            &["40 fatalities exact people s=“foreign-backed” fighters p=- l=- src=Officials firm"],
        );
    }

    #[test]
    fn a_coordinated_count_shares_the_verb_and_abbreviations_do_not_end_the_noun() {
        check(
            "The bombing killed 13 U.S. service members and about 170 Afghan civilians.",
            &[
                "13 fatalities exact people s=U.S. service members p=- l=- src=author firm",
                "170 fatalities approx people s=Afghan civilians p=- l=- src=author hedged",
            ],
        );
    }

    #[test]
    fn since_a_month_without_a_year_opens_from_the_last_one() {
        // Published 2025-03-20: "since November" is November 2024.
        check(
            "Police said 23 militants had been killed in raids since November.",
            &["23 fatalities exact people s=militants p=2024-11/ l=- src=Police firm"],
        );
    }

    #[test]
    fn unlisted_plural_victims_beside_a_kill_cue_are_counted() {
        check(
            "The killing of 19 hikers shocked the valley, and 7 shepherds were wounded.",
            &[
                "19 fatalities exact people s=hikers p=- l=- src=author firm",
                "7 injuries exact people s=shepherds p=- l=- src=author firm",
            ],
        );
        // No cue beside it: not a figure.
        check("The fair drew 300 stalls and 40 bands.", &[]);
    }

    #[test]
    fn an_aside_between_the_victims_and_their_verb() {
        check(
            "Officials said 17 villagers, including four children, were killed.",
            &[
                "17 fatalities exact people s=villagers p=- l=- src=Officials firm",
                "4 fatalities exact people s=children p=- l=- src=Officials firm",
            ],
        );
    }

    #[test]
    fn a_killer_outside_the_clause_is_not_the_subject() {
        check(
            "Since the [TTP] regrouped, a truck bomb that killed 21 recruits has hit Bannu.",
            &["21 fatalities exact people s=recruits p=- l=- src=author firm"],
        );
    }

    #[test]
    fn banned_or_quoted_group_names_own_their_fighters() {
        check(
            "Police held six militants belonging to the banned [TTP] in Attock.",
            &["6 fighters exact fighters s=ttp p=- l=- src=author firm"],
        );
        check(
            "Three terrorists of “[Fitna al Khawarij]” were sent to hell in the raid.",
            &["3 fatalities exact people s=fitna-al-khawarij p=- l=- src=author firm"],
        );
    }

    #[test]
    fn a_group_and_its_wing_count_for_the_group() {
        check(
            "The [Zhob Front] and its sniper wing, the [Kila Unit], staged 45 attacks in 2024.",
            &["45 attacks exact attacks s=zhob-front p=2024 l=- src=author firm"],
        );
    }

    #[test]
    fn a_victims_span_ends_with_its_verb() {
        let (text, ents) = fixture("Four guards of the [Levies Force] were also killed, he said.");
        let input = ClaimInput {
            doc: "d",
            text: &text,
            published: None,
            entities: &ents,
        };
        let figures = extract(&Lexicon::default(), &input);
        assert_eq!(figures.len(), 1);
        assert_eq!(
            figures[0].text,
            "Four guards of the Levies Force were also killed"
        );
    }

    #[test]
    fn a_part_of_a_counted_whole_and_a_whole_told_with_a_participle() {
        check(
            "Foreign fighters took part in 9 of the 31 attacks recorded in the province last year.",
            &[
                "9 attacks exact attacks s=- p=2024 l=- src=author firm",
                "31 attacks exact attacks s=- p=2024 l=- src=author firm",
            ],
        );
    }

    #[test]
    fn people_expelled_or_deported_are_displaced() {
        check(
            "More than 2.1 million Afghans have been expelled since 2023.",
            &["2100000 displaced at_least people s=Afghans p=2023/ l=- src=author hedged"],
        );
    }

    #[test]
    fn people_lost_to_violence_are_fatalities() {
        check(
            "The district has lost more than 60 teachers to militant attacks since 2022.",
            &["60 fatalities at_least people s=teachers p=2022/ l=- src=author hedged"],
        );
        check("The party lost 12 seats in the election.", &[]);
    }

    #[test]
    fn killing_and_injuring_is_casualties() {
        check(
            "The blast, killing and injuring 73 workers, shocked the town.",
            &["73 casualties exact people s=workers p=- l=- src=author firm"],
        );
    }

    #[test]
    fn displaced_people_with_vague_plurals_are_lower_bounds() {
        check(
            "According to aid agencies, tens of thousands of villagers had to flee their homes.",
            &["10000 displaced at_least people s=villagers p=- l=- src=aid agencies hedged"],
        );
    }

    #[test]
    fn people_without_a_cue_are_not_figures() {
        check("Three visiting officials met two envoys.", &[]);
    }

    #[test]
    fn a_contrasting_clause_with_its_own_speaker_owns_its_figures() {
        check(
            "The clashes left at least 23 soldiers dead, according to the [ISPR], while [Front] officials claimed 58 soldiers were killed.",
            &[
                "23 fatalities at_least people s=soldiers p=- l=- src=ispr hedged",
                "58 fatalities exact people s=soldiers p=- l=- src=Front officials hedged",
            ],
        );
    }

    #[test]
    fn a_since_clause_ending_in_a_date_opens_the_period() {
        check(
            "[Front] has staged more than 30 attacks since the army withdrew in May 2022.",
            &["30 attacks at_least attacks s=front p=2022-05/ l=- src=author hedged"],
        );
        check(
            "[Front] staged 30 attacks in May 2022, and since then it has been quiet.",
            &["30 attacks exact attacks s=front p=2022-05 l=- src=author firm"],
        );
    }

    #[test]
    fn fighters_with_estimated_and_since_periods() {
        check(
            "[Front] ranks have grown to an estimated 4,500 fighters since 2019.",
            &["4500 fighters approx fighters s=front p=2019/ l=- src=author hedged"],
        );
    }

    #[test]
    fn ranges_and_ellipsis_borrow_the_earlier_noun() {
        check(
            "The ministry claimed that the number of [Front] fighters is between 2,000 and 3,500, a rise.",
            &["2000-3500 fighters range fighters s=front p=- l=- src=ministry hedged"],
        );
        check(
            "Raids by the [Front] soared, with over 300 recorded in 2023.",
            &["300 attacks at_least attacks s=front p=2023 l=- src=author hedged"],
        );
    }

    #[test]
    fn a_change_is_about_the_phrase_before_its_verb_or_after_in() {
        check(
            "Kidnappings across [Kunar] have sharply increased 30% this year.",
            &["30 percent_change exact % s=Kidnappings across Kunar p=2025 l=kunar src=author firm"],
        );
        check(
            "Officials recorded a 15% rise in roadside bombings.",
            &["15 percent_change exact % s=roadside bombings p=- l=- src=Officials firm"],
        );
        // The speaker before the verb is not what changed.
        check(
            "Analysts said violence in the north surged 20%.",
            &["20 percent_change exact % s=violence in the north p=- l=- src=Analysts firm"],
        );
    }

    #[test]
    fn money_is_about_what_follows_in_or_of() {
        check(
            "Donors froze $40 million in reconstruction aid to [Pakistan] last week.",
            &["40000000 money exact USD s=reconstruction aid to Pakistan p=- l=- src=author firm"],
        );
        // A date or a place after "in" is not what the money is.
        check(
            "The fund spent $2 million in 2023.",
            &["2000000 money exact USD s=- p=2023 l=- src=author firm"],
        );
        check(
            "The fund spent $2 million in [Kunar].",
            &["2000000 money exact USD s=- p=- l=kunar src=author firm"],
        );
    }

    #[test]
    fn coordinated_victims_are_one_literal_subject() {
        check(
            "The blast killed 14 soldiers and their local guards near the post.",
            &["14 fatalities exact people s=soldiers and their local guards p=- l=- src=author firm"],
        );
        check(
            "Some 30 villagers and aid workers were injured in the shelling.",
            &["30 injuries approx people s=villagers and aid workers p=- l=- src=author hedged"],
        );
    }

    #[test]
    fn a_place_in_a_later_participle_clause_is_not_the_figures() {
        check(
            "The audit counted 5,000 rifles, comparing the stock to depots in [Pakistan].",
            &["5000 weapons exact items s=- p=- l=- src=author firm"],
        );
        check(
            "The audit counted 5,000 rifles in [Pakistan], comparing the stock to depots.",
            &["5000 weapons exact items s=- p=- l=pakistan src=author firm"],
        );
    }

    #[test]
    fn percent_change_versus_share() {
        check(
            "Bombings in [Pakistan] rose by a worrying 38% in February 2025, and made up 60% of all attacks.",
            &[
                "38 percent_change exact % s=Bombings in Pakistan p=2025-02 l=pakistan src=author firm",
                "60 other exact % s=- p=2025-02 l=pakistan src=author firm",
            ],
        );
        check(
            "Deaths saw a 17 percent increase.",
            &["17 percent_change exact % s=- p=- l=- src=author firm"],
        );
    }

    #[test]
    fn money_in_several_currencies() {
        check(
            "Donors pledged over $2.5 billion, and a Rs5 million reward was set.",
            &[
                "2500000000 money at_least USD s=- p=- l=- src=author hedged",
                "5000000 money exact PKR s=- p=- l=- src=author firm",
            ],
        );
        check(
            "Trade fell to $1.2bn while Rs5bn was spent.",
            &[
                "1200000000 money exact USD s=- p=- l=- src=author firm",
                "5000000000 money exact PKR s=- p=- l=- src=author firm",
            ],
        );
    }

    #[test]
    fn ranks_by_verb_or_place_noun() {
        check(
            "[Pakistan] ranked third on the index for 2024, up from ninth place in 2020.",
            &[
                "3 rank exact rank s=pakistan p=2024 l=- src=author firm",
                "9 rank exact rank s=pakistan p=2020 l=- src=author firm",
            ],
        );
    }

    #[test]
    fn years_dates_labels_durations_and_names_are_not_figures() {
        check(
            "On March 14, 2023, under Resolution 2255, 9/11 memories, the AK-47 and M16 rifles, 10 days later, 5 Min Read.",
            &[],
        );
        check("One of the leaders said one such attack was enough.", &[]);
    }

    #[test]
    fn the_group_resolves_to_the_last_armed_group_named() {
        check(
            "The [Front] was founded long ago. The group carried out dozens of attacks in 2022.",
            &["12 attacks at_least attacks s=front p=2022 l=- src=author hedged"],
        );
    }

    #[test]
    fn a_claim_by_a_party_hedges_and_carries_to_the_next_sentence() {
        check(
            "The [Front], in a statement, claimed it had carried out 80 attacks. At least 50 of those attacks took place in [Kunar].",
            &[
                "80 attacks exact attacks s=front p=- l=- src=front hedged",
                "50 attacks at_least attacks s=front p=- l=kunar src=front hedged",
            ],
        );
    }

    #[test]
    fn institute_report_continues_the_source_and_this_period_carries() {
        check(
            "According to the [Peace Institute], deaths rose 12 percent in 2021. The institute’s report says 120 attacks were reported during this period.",
            &[
                "12 percent_change exact % s=deaths p=2021 l=- src=peace-institute firm",
                "120 attacks exact attacks s=- p=2021 l=- src=peace-institute firm",
            ],
        );
    }

    #[test]
    fn the_attacks_refer_back_to_the_last_period() {
        check(
            "Rebels staged 64 attacks in 2023, the [Peace Institute] said. The attacks killed 210 people.",
            &[
                "64 attacks exact attacks s=- p=2023 l=- src=peace-institute firm",
                "210 fatalities exact people s=people p=2023 l=- src=peace-institute firm",
            ],
        );
    }

    #[test]
    fn a_paragraph_opening_with_a_demonstrative_continues_the_last_account() {
        check(
            "According to the [Audit Institute], $5 million in arms was lost.\nThis stockpile included 3,000 rifles.",
            &[
                "5000000 money exact USD s=arms p=- l=- src=audit-institute firm",
                "3000 weapons exact items s=- p=- l=- src=audit-institute firm",
            ],
        );
        check(
            "According to the [Audit Institute], $5 million in arms was lost.\nPolice later seized 3,000 rifles.",
            &[
                "5000000 money exact USD s=arms p=- l=- src=audit-institute firm",
                "3000 weapons exact items s=- p=- l=- src=author firm",
            ],
        );
    }

    #[test]
    fn a_named_tally_source_carries_into_the_next_paragraph_for_its_tallies() {
        check(
            "[GTI] data shows attacks and deaths doubled in 2024.\nThe [Front] killed 558 people in 482 attacks, and 40% of them struck [Kunar].",
            &[
                "558 fatalities exact people s=front p=- l=- src=gti firm",
                "482 attacks exact attacks s=front p=- l=- src=gti firm",
                "40 other exact % s=- p=- l=- src=author firm",
            ],
        );
        // A dated event is reported on its own, and a named source ends the account.
        check(
            "[GTI] data shows attacks and deaths doubled in 2024.\nOn Monday, the [Front] killed 12 soldiers.",
            &["12 fatalities exact people s=front p=- l=- src=author firm"],
        );
        check(
            "[GTI] data shows attacks doubled in 2024.\nPolice said 30 attacks were foiled.",
            &["30 attacks exact attacks s=- p=- l=- src=Police firm"],
        );
        // Officials quoted for one count keep no tally.
        check(
            "Provincial authorities said 48 attacks took place.\nSince 2001, militants have carried out 800 attacks.",
            &[
                "48 attacks exact attacks s=- p=- l=- src=Provincial authorities firm",
                "800 attacks exact attacks s=- p=2001/ l=- src=author firm",
            ],
        );
    }

    #[test]
    fn a_year_in_a_relative_clause_after_the_figure_is_not_its_period() {
        check(
            "In 2022 the [Front] staged 90 attacks. At least 40 of those attacks took place in [Kunar], where the group was founded in 2015.",
            &[
                "90 attacks exact attacks s=front p=2022 l=- src=author firm",
                "40 attacks at_least attacks s=front p=2022 l=kunar src=author hedged",
            ],
        );
        check(
            "The [Front] staged 40 attacks in [Kunar], where it was founded in 2015.",
            &["40 attacks exact attacks s=front p=- l=kunar src=author firm"],
        );
    }

    #[test]
    fn an_index_that_ranks_is_the_source_of_the_rank() {
        check(
            "[Pakistan] ranks second on the [GTI] for 2025.",
            &["2 rank exact rank s=pakistan p=2025 l=- src=gti firm"],
        );
    }

    #[test]
    fn reportedly_near_the_number_hedges_but_far_away_does_not() {
        check(
            "Fighters reportedly seized 40 rifles.",
            &["40 weapons exact items s=- p=- l=- src=author hedged"],
        );
        check(
            "Officials are reportedly reviewing the plan to cut $80 million in aid.",
            &["80000000 money exact USD s=aid p=- l=- src=author firm"],
        );
    }

    #[test]
    fn seed_articles_give_valid_spans_and_no_year_figures() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
        let mut total = 0;
        for entry in std::fs::read_dir(&dir).expect("seed corpus is present") {
            let text =
                std::fs::read_to_string(entry.expect("dir entry").path()).expect("utf-8 seed");
            let input = ClaimInput {
                doc: "s",
                text: &text,
                published: None,
                entities: &[],
            };
            for f in extract(&Lexicon::default(), &input) {
                assert_eq!(text.get(f.start..f.end), Some(f.text.as_str()));
                let yearish = f.value.fract() == 0.0 && (1990.0..=2030.0).contains(&f.value);
                assert!(
                    !(yearish && f.metric != Metric::Money),
                    "year as figure: {f:?}"
                );
                total += 1;
            }
        }
        assert!(total >= 20, "only {total} figures in the seeds");
    }

    #[test]
    fn odd_text_never_panics() {
        for src in [
            "",
            "$",
            "over",
            "between 5 and",
            "42%",
            "Rs",
            "1,2,3.4.5 attacks",
            "’s 9",
            "dozens of",
        ] {
            let _ = figs(src);
        }
    }
}
