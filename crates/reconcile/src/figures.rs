//! Figures across documents: grouping by the question they answer, disputes and
//! corroboration.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use dossier_model::{Bound, Dispute, DisputedFigure, EntityType, Figure, Metric};
use serde::{Deserialize, Serialize};

use crate::bounds::{period_years, Fit, Interval};
use crate::confidence::Evidence;
use crate::incremental::{GroupOrder, Partial};
use crate::sources::{Reliability, SourceKind, SourceRating};
use crate::{DocInfo, Docs, Reconciler};
#[cfg(test)]
use crate::{ReconcileConfig, SourceTable};

/// An agreeing claim and the independent origins behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureSupport {
    pub topic: String,
    pub metric: Metric,
    pub subject: Option<String>,
    pub period: Option<String>,
    /// The most precise statement of the claim.
    pub value: f64,
    pub value_max: Option<f64>,
    pub bound: Bound,
    pub unit: String,
    /// Origins, not articles: copies and articles quoting the same body count once.
    pub independent_origins: usize,
    pub origins: Vec<OriginSupport>,
    /// 0..1, see [`Reconciler::confidence`].
    pub confidence: f64,
}

/// One independent origin of a claim: a cited body, or an article speaking for itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OriginSupport {
    /// The cited source id, or `doc:<id>` for an article (with its copies) that cites no one.
    pub origin: String,
    pub reliability: Reliability,
    pub kind: SourceKind,
    pub party: bool,
    pub articles: Vec<ArticleLink>,
}

/// One article's statement of a claim: claim ← article ← cited origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleLink {
    pub doc: String,
    /// When `doc` belongs to a cluster of syndicated copies: the cluster's name (its
    /// smallest document id), so the answer does not depend on which copy came first.
    pub copy_of: Option<String>,
    pub source: Option<String>,
    pub value: f64,
    pub value_max: Option<f64>,
    pub bound: Bound,
    pub hedged: bool,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `"48 attacks" ← 000_abc ← pakistani authorities`
    pub chain: String,
}

/// How far past a figure its qualifiers are looked for ("600 cross-border attacks").
const SCOPE_AFTER_BYTES: usize = 30;

/// Groups up to this size compare every pair of figures. A larger group (a busy topic
/// in a big store: hundreds of figures, tens of thousands of pairs, most of them saying
/// the same thing about the same gap) compares only its witnesses: in each scope (the
/// words, place and unit that say what is counted), the [`WITNESSES_PER_END`] figures
/// with the lowest upper bounds and those with the highest lower bounds. Any
/// incompatible pair in a scope implies its extremes are incompatible too (for
/// non-negative counts), so the classification is the same in all but edge cases of
/// same-voice pairs; the cost is one sort per group.
const EXACT_GROUP_MAX: usize = 48;
const WITNESSES_PER_END: usize = 6;
/// Reasons named in one dispute's explanation; the rest are counted.
const MAX_REASONS: usize = 12;

/// A figure with everything its own document says about it and everything the
/// reconciler's entity tables say about its names: what grouping and comparing need,
/// without the document's text or the entity tables. See [`Reconciler::prepare_figures`];
/// the incremental store keeps these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreparedFigure {
    pub figure: Figure,
    /// The figure's period, or the one carried over from the figure before it.
    pub period: Option<String>,
    pub carried: bool,
    /// The sentence around the figure (scope words are read from it).
    pub sentence: String,
    /// What a subjectless figure is about, from `data/reconcile.toml` topics.
    pub topic: Option<String>,
    /// The origin a named source stands for (`None` when the author speaks).
    pub origin: Option<String>,
    pub rating: SourceRating,
    /// The subject is a known entity (the figure can join others of that subject).
    pub subject_known: bool,
    pub place_type: Option<EntityType>,
}

/// A figure prepared for comparison.
struct Item<'f> {
    f: &'f Figure,
    period: Option<String>,
    carried: bool,
    iv: Interval,
    scopes: BTreeSet<String>,
    sentence: String,
    origin: String,
    /// The place, normalised once (pairs compare it many times).
    place: Option<String>,
    rating: SourceRating,
    place_type: Option<EntityType>,
}

/// Figures answering one question.
struct Group<'f> {
    /// Where the group comes in the whole store's order (ties in the output's sort).
    order: GroupOrder,
    metric: Metric,
    subject: Option<String>,
    period: Option<String>,
    place: Option<String>,
    items: Vec<Item<'f>>,
}

/// Which test tells two incompatible figures apart; see [`Reconciler::why`].
enum Why {
    ScopeWords,
    Place,
    Units,
    Periods,
    RevisedBySource,
    RevisedWithin,
    Conflict,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Reason {
    Conflict(String),
    Scope(String),
    Revision(String),
    Tolerance(String),
}

/// Stocks (how many fighters) persist across periods; flows (attacks in 2024) do not.
pub(crate) fn is_stock(m: Metric) -> bool {
    matches!(
        m,
        Metric::Fighters
            | Metric::TrainingCamps
            | Metric::Weapons
            | Metric::Vehicles
            | Metric::Groups
    )
}

pub(crate) fn norm(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(|v| v.trim().to_lowercase())
        .filter(|v| !v.is_empty())
}

/// One speaker in one article giving two numbers for what looks like one question is
/// almost always counting two different things (all attacks, then the suicide attacks
/// among them), so such pairs are not disputes unless the text marks a revision.
fn same_voice(a: &Item<'_>, b: &Item<'_>) -> bool {
    a.f.doc == b.f.doc
        && norm(&a.f.source).filter(|s| s != "author")
            == norm(&b.f.source).filter(|s| s != "author")
}

pub(crate) fn is_named_source(s: &Option<String>) -> bool {
    norm(s).is_some_and(|v| v != "author")
}

/// The pairs of a large group worth comparing, as canonical positions `(i, j)`, `i < j`.
///
/// Figures are sorted into scopes (the words, place and unit that say what is counted).
/// Within a scope, two incompatible figures imply its extremes are incompatible too (for
/// non-negative counts), so only its [`WITNESSES_PER_END`] lowest upper bounds and
/// highest lower bounds are compared with each other; across scopes, each scope's two
/// extremes meet every other scope's. Ties are broken by canonical position, so the
/// choice does not depend on input order.
fn witness_pairs(items: &[Item<'_>]) -> Vec<(usize, usize)> {
    type ScopeKey<'k> = (&'k BTreeSet<String>, Option<&'k str>, String);
    let mut scopes: BTreeMap<ScopeKey<'_>, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        scopes
            .entry((
                &it.scopes,
                it.place.as_deref(),
                it.f.unit.trim().to_lowercase(),
            ))
            .or_default()
            .push(i);
    }
    let mut pairs = Vec::new();
    let mut extremes: Vec<Vec<usize>> = Vec::new();
    for mut idx in scopes.into_values() {
        let mut w = BTreeSet::new();
        idx.sort_by(|&a, &b| items[a].iv.hi.total_cmp(&items[b].iv.hi).then(a.cmp(&b)));
        w.extend(idx.iter().take(WITNESSES_PER_END).copied());
        let low = idx.first().copied();
        idx.sort_by(|&a, &b| items[b].iv.lo.total_cmp(&items[a].iv.lo).then(a.cmp(&b)));
        w.extend(idx.iter().take(WITNESSES_PER_END).copied());
        let high = idx.first().copied();
        let w: Vec<usize> = w.into_iter().collect();
        for (k, &i) in w.iter().enumerate() {
            for &j in &w[k + 1..] {
                pairs.push((i, j));
            }
        }
        let mut ends: Vec<usize> = low.into_iter().chain(high).collect();
        ends.dedup();
        for other in &extremes {
            for &i in &ends {
                for &j in other {
                    pairs.push((i.min(j), i.max(j)));
                }
            }
        }
        extremes.push(ends);
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Connected components of "can both be right" (intervals that overlap or differ within
/// the tolerance), each named by its first member in canonical order.
///
/// One sweep over the intervals sorted by lower bound: a figure joins the component
/// under way when it fits the interval reaching furthest so far, which for
/// non-negative counts is the one it is likeliest to fit; otherwise it starts a new one.
fn components(items: &[Item<'_>], tolerance: f64) -> Vec<usize> {
    let n = items.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        items[a]
            .iv
            .lo
            .total_cmp(&items[b].iv.lo)
            .then(items[a].iv.hi.total_cmp(&items[b].iv.hi))
            .then(a.cmp(&b))
    });
    let mut comp = vec![0; n];
    let mut run: Vec<usize> = Vec::new();
    let mut reach: Option<usize> = None;
    fn close(run: &mut Vec<usize>, comp: &mut [usize]) {
        let name = run.iter().copied().min().unwrap_or(0);
        for &i in run.iter() {
            comp[i] = name;
        }
        run.clear();
    }
    for i in order {
        if let Some(r) = reach {
            if items[r].iv.fit(&items[i].iv, tolerance) == Fit::Incompatible {
                close(&mut run, &mut comp);
                reach = None;
            }
        }
        run.push(i);
        if reach.is_none_or(|r| items[i].iv.hi.total_cmp(&items[r].iv.hi).is_gt()) {
            reach = Some(i);
        }
    }
    close(&mut run, &mut comp);
    comp
}

/// A total order over figures that does not depend on input order.
pub(crate) fn canonical(a: &Figure, b: &Figure) -> Ordering {
    (a.doc.as_str(), a.start, a.end, a.metric)
        .cmp(&(b.doc.as_str(), b.start, b.end, b.metric))
        .then(a.value.total_cmp(&b.value))
        .then(
            a.value_max
                .unwrap_or(f64::NAN)
                .total_cmp(&b.value_max.unwrap_or(f64::NAN)),
        )
        .then_with(|| {
            (
                a.bound, &a.unit, &a.subject, &a.period, &a.place, &a.source, a.hedged, &a.text,
                &a.rule,
            )
                .cmp(&(
                    b.bound, &b.unit, &b.subject, &b.period, &b.place, &b.source, b.hedged,
                    &b.text, &b.rule,
                ))
        })
}

pub(crate) fn show_value(f: &Figure) -> String {
    let n = |v: f64| {
        let s = if v.fract() == 0.0 && v.abs() < 1e15 {
            format!("{}", v as i64)
        } else {
            format!("{v}")
        };
        // Thousands separators make "7000" read like the articles' "7,000".
        let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
        if digits.contains('.') || digits.len() <= 3 {
            return s.clone();
        }
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        format!("{sign}{out}")
    };
    match f.bound {
        Bound::Exact => n(f.value),
        Bound::AtLeast => format!("over {}", n(f.value)),
        Bound::AtMost => format!("up to {}", n(f.value)),
        Bound::Approx => format!("about {}", n(f.value)),
        Bound::Range => match f.value_max {
            Some(m) => format!("{}–{}", n(f.value), n(m)),
            None => n(f.value),
        },
    }
}

fn topic(
    metric: Metric,
    subject: Option<&str>,
    period: Option<&str>,
    place: Option<&str>,
) -> String {
    let mut t = metric.as_str().replace('_', " ");
    if let Some(s) = subject {
        t.push_str(if is_stock(metric) { " of " } else { " by " });
        t.push_str(s);
    }
    if let Some(p) = place {
        t.push_str(" in ");
        t.push_str(p);
    }
    match period.map(|p| p.split_once('/').ok_or(p)) {
        Some(Ok((from, ""))) => t.push_str(&format!(" since {from}")),
        Some(Ok((from, to))) => t.push_str(&format!(" in {from}–{to}")),
        Some(Err(p)) => t.push_str(&format!(" in {p}")),
        None => {}
    }
    t
}

impl Reconciler {
    /// Figures with what their documents say about them (period carried over from the
    /// figure before, the sentence around each, the topic of a subjectless stock) and
    /// what the entity tables say about their names, in canonical order. Figures of
    /// skipped metrics and repeated spans are left out. Each document's figures are
    /// prepared from that document alone, so documents can be prepared one at a time.
    pub fn prepare_figures(&self, figures: &[Figure], docs: &[DocInfo]) -> Vec<PreparedFigure> {
        self.prepare_in(figures, &Docs::new(docs))
    }

    pub(crate) fn prepare_in(&self, figures: &[Figure], docs: &Docs<'_>) -> Vec<PreparedFigure> {
        // Skipped metrics still carry their period to the figures after them.
        let mut figs: Vec<&Figure> = figures.iter().filter(|f| f.value.is_finite()).collect();
        figs.sort_by(|a, b| canonical(a, b));
        // The same span extracted twice is one statement.
        figs.dedup_by(|a, b| {
            (a.doc.as_str(), a.start, a.end, a.metric) == (b.doc.as_str(), b.start, b.end, b.metric)
        });

        let mut out = Vec::with_capacity(figs.len());
        let mut last_explicit: Option<(&str, String, usize)> = None; // (doc, period, end)
        for f in figs {
            let (period, carried) = match norm(&f.period) {
                Some(p) => {
                    last_explicit = Some((f.doc.as_str(), p.clone(), f.end));
                    (Some(p), false)
                }
                None => match &last_explicit {
                    Some((doc, p, end))
                        if *doc == f.doc
                            && self.cfg.period_carry_bytes > 0
                            && f.start.saturating_sub(*end) <= self.cfg.period_carry_bytes =>
                    {
                        (Some(p.clone()), true)
                    }
                    _ => (None, false),
                },
            };
            if self.cfg.skip_metrics.contains(&f.metric) {
                continue;
            }
            let sentence = docs
                .context(&f.doc, f.start, f.end, SCOPE_AFTER_BYTES, &f.text)
                .to_string();
            // A subjectless stock ("300,000 weapons") is about the topic its lead-in
            // names ("left behind"), so counts of it from different speakers meet.
            let topic = norm(&f.subject)
                .is_none()
                .then(|| docs.lead_in(&f.doc, f.start, f.end))
                .flatten()
                .and_then(|ctx| self.cues().topic_of(f.metric, ctx))
                .map(str::to_string);
            let mut p = PreparedFigure {
                figure: f.clone(),
                period,
                carried,
                sentence,
                topic,
                origin: None,
                rating: self.rate(None),
                subject_known: false,
                place_type: None,
            };
            self.resolve_figure(&mut p);
            out.push(p);
        }
        out
    }

    /// Fills in what the entity tables say about a prepared figure's names (run again
    /// when the tables change).
    pub fn resolve_figure(&self, p: &mut PreparedFigure) {
        let f = &p.figure;
        p.origin = is_named_source(&f.source)
            .then(|| self.origin_of(f.source.as_deref().unwrap_or_default()));
        p.rating = self.rate(f.source.as_deref());
        p.subject_known = norm(&f.subject)
            .is_some_and(|s| self.entity_types.is_empty() || self.entity_type(&s).is_some());
        p.place_type = norm(&f.place).and_then(|pl| self.entity_type(&pl));
    }

    /// The names [`Reconciler::resolve_figure`] looks up, as [`Reconciler::term_state`]
    /// takes them: the source as written, the subject and place normalised.
    pub fn figure_terms(p: &PreparedFigure) -> Vec<String> {
        let f = &p.figure;
        f.source
            .iter()
            .cloned()
            .chain(norm(&f.subject))
            .chain(norm(&f.place))
            .collect()
    }

    /// The subject a figure is grouped under and whether it is anchored (a known actor
    /// or a topic); unanchored figures without place and explicit period stand alone.
    fn anchor(p: &PreparedFigure) -> (Option<String>, bool, bool) {
        let subject = norm(&p.figure.subject).or_else(|| p.topic.clone());
        let anchored = p.topic.is_some() || p.subject_known;
        let alone =
            !anchored && (norm(&p.figure.place).is_none() || p.carried || p.period.is_none());
        (subject, anchored, alone)
    }

    /// The key of the group cluster a prepared figure belongs to: figures of different
    /// keys never meet in a group, so each key's results can be computed alone. A
    /// figure that can never meet another document's is keyed by its document (`s:`).
    pub fn figure_key(p: &PreparedFigure) -> String {
        let (subject, anchored, alone) = Self::anchor(p);
        if alone {
            return format!("s:{}", p.figure.doc);
        }
        let unit = p.figure.unit.trim().to_lowercase();
        let key = (p.figure.metric, subject, unit, !anchored);
        format!("f:{}", serde_json::to_string(&key).unwrap_or_default())
    }

    /// Prepared figures grouped by the question they answer, each group with its place
    /// in the whole store's order.
    fn groups<'f>(&self, prepared: &'f [PreparedFigure], docs: &Docs<'_>) -> Vec<Group<'f>> {
        let mut sorted: Vec<&PreparedFigure> = prepared.iter().collect();
        sorted.sort_by(|a, b| canonical(&a.figure, &b.figure));
        let items = sorted.into_iter().map(|p| {
            let f = &p.figure;
            let origin = match &p.origin {
                Some(o) if is_named_source(&f.source) => o.clone(),
                _ => format!("doc:{}", docs.root(&f.doc)),
            };
            let item = Item {
                f,
                period: p.period.clone(),
                carried: p.carried,
                iv: Interval::of(f, self.cfg.approx_spread),
                scopes: self.cues().scopes_of(&p.sentence, &f.text),
                sentence: p.sentence.clone(),
                origin,
                place: norm(&f.place),
                rating: p.rating,
                place_type: p.place_type,
            };
            (Self::anchor(p), item)
        });

        // Cluster by (metric, subject); then split by place (only when the subject is
        // unknown: the place is all that says what is counted) and by period (flows only).
        // The unit is part of the question: USD and AFN amounts are not compared without
        // an exchange rate the text does not give.
        //
        // A figure whose subject is not a known actor ("people", or none) says what it
        // counts only through its own place and period: it is compared only with figures
        // naming the same place and period, never joined to a group by default.
        type ClusterKey = (Metric, Option<String>, String, bool);
        let mut clusters: BTreeMap<ClusterKey, Vec<Item<'f>>> = BTreeMap::new();
        let mut out = Vec::new();
        for ((subject, anchored, alone), it) in items {
            if alone {
                out.push(Group {
                    order: GroupOrder::Single {
                        doc: it.f.doc.clone(),
                        start: it.f.start,
                        end: it.f.end,
                        metric: it.f.metric,
                    },
                    metric: it.f.metric,
                    subject,
                    period: it.period.clone(),
                    place: norm(&it.f.place),
                    items: vec![it],
                });
                continue;
            }
            let unit = it.f.unit.trim().to_lowercase();
            clusters
                .entry((it.f.metric, subject, unit, !anchored))
                .or_default()
                .push(it);
        }
        for ((metric, subject, unit, loose), items) in clusters {
            let place_of = |it: &Item<'_>| {
                if loose {
                    norm(&it.f.place)
                } else {
                    None
                }
            };
            let places: BTreeSet<String> = items.iter().filter_map(place_of).collect();
            let lone_place = (places.len() == 1 && !loose)
                .then(|| places.iter().next().cloned())
                .flatten();
            let mut by_place: BTreeMap<Option<String>, Vec<Item<'f>>> = BTreeMap::new();
            for it in items {
                let key = place_of(&it).or_else(|| lone_place.clone());
                by_place.entry(key).or_default().push(it);
            }
            for (place, items) in by_place {
                let periods: BTreeSet<String> =
                    items.iter().filter_map(|it| it.period.clone()).collect();
                let lone_period = (periods.len() == 1 && !loose)
                    .then(|| periods.iter().next().cloned())
                    .flatten();
                let mut by_period: BTreeMap<Option<String>, Vec<Item<'f>>> = BTreeMap::new();
                for it in items {
                    let key = if is_stock(metric) && !loose {
                        None
                    } else {
                        it.period.clone().or_else(|| lone_period.clone())
                    };
                    by_period.entry(key).or_default().push(it);
                }
                for (period_key, items) in by_period {
                    let period = period_key.clone().or_else(|| {
                        // A stock's group shows its period when all explicit ones agree.
                        is_stock(metric).then(|| lone_period.clone()).flatten()
                    });
                    out.push(Group {
                        order: GroupOrder::Cluster {
                            metric,
                            subject: subject.clone(),
                            unit: unit.clone(),
                            loose,
                            place: place.clone(),
                            period: period_key,
                        },
                        metric,
                        subject: subject.clone(),
                        period,
                        place: place.clone(),
                        items,
                    });
                }
            }
        }
        out
    }

    /// Why two incompatible figures differ, when the texts say: the first test that
    /// tells them apart, without composing any text (a large group tests many pairs and
    /// describes a few).
    fn why(&self, a: &Item<'_>, b: &Item<'_>, docs: &Docs<'_>, metric: Metric) -> Why {
        if a.scopes != b.scopes {
            return Why::ScopeWords;
        }
        if let (Some(pa), Some(pb)) = (&a.place, &b.place) {
            if pa != pb {
                return Why::Place;
            }
        }
        if !a.f.unit.trim().eq_ignore_ascii_case(b.f.unit.trim()) {
            return Why::Units;
        }
        if is_stock(metric) {
            let years = |it: &Item<'_>| it.period.as_deref().and_then(period_years);
            if let (Some((a0, a1)), Some((b0, b1))) = (years(a), years(b)) {
                if a1 < b0 || b1 < a0 {
                    return Why::Periods;
                }
            }
        }
        if is_named_source(&a.f.source) && norm(&a.f.source) == norm(&b.f.source) {
            if let (Some(da), Some(db)) = (docs.published(&a.f.doc), docs.published(&b.f.doc)) {
                if da != db {
                    return Why::RevisedBySource;
                }
            }
        }
        if a.f.doc == b.f.doc && self.cues().is_revision(&b.sentence) {
            return Why::RevisedWithin;
        }
        Why::Conflict
    }

    /// Why two incompatible figures differ, in words.
    fn explain(&self, a: &Item<'_>, b: &Item<'_>, docs: &Docs<'_>, metric: Metric) -> Reason {
        let label = |it: &Item<'_>| {
            format!(
                "{} ({}, {})",
                show_value(it.f),
                it.f.source.as_deref().unwrap_or("author"),
                it.f.doc
            )
        };
        let pair = format!("{} vs {}", label(a), label(b));
        match self.why(a, b, docs, metric) {
            Why::ScopeWords => {
                let show = |s: &BTreeSet<String>| {
                    if s.is_empty() {
                        "unqualified".to_string()
                    } else {
                        s.iter().cloned().collect::<Vec<_>>().join("/")
                    }
                };
                Reason::Scope(format!(
                    "scope differs, {} vs {}: {pair}",
                    show(&a.scopes),
                    show(&b.scopes)
                ))
            }
            Why::Place => {
                let (pa, pb) = (
                    a.place.as_deref().unwrap_or_default(),
                    b.place.as_deref().unwrap_or_default(),
                );
                let kind = |t: Option<EntityType>| t.map(|t| format!(" ({t})")).unwrap_or_default();
                Reason::Scope(format!(
                    "place differs, {pa}{} vs {pb}{}: {pair}",
                    kind(a.place_type),
                    kind(b.place_type)
                ))
            }
            Why::Units => Reason::Scope(format!(
                "units differ, {} vs {}: {pair}",
                a.f.unit, b.f.unit
            )),
            Why::Periods => Reason::Scope(format!("periods differ: {pair}")),
            Why::RevisedBySource => {
                let (da, db) = (docs.published(&a.f.doc), docs.published(&b.f.doc));
                let (old, new) = if da < db { (a, b) } else { (b, a) };
                Reason::Revision(format!(
                    "{} revised its figure from {} ({}) to {} ({})",
                    a.f.source.as_deref().unwrap_or(""),
                    show_value(old.f),
                    docs.published(&old.f.doc).unwrap_or("?"),
                    show_value(new.f),
                    docs.published(&new.f.doc).unwrap_or("?")
                ))
            }
            Why::RevisedWithin => Reason::Revision(format!(
                "revised within {}: {} then {}",
                a.f.doc,
                show_value(a.f),
                show_value(b.f)
            )),
            Why::Conflict => {
                let shared = if a.scopes.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (both {})",
                        a.scopes.iter().cloned().collect::<Vec<_>>().join("/")
                    )
                };
                Reason::Conflict(format!("cannot both be right{shared}: {pair}"))
            }
        }
    }

    /// The reason a pair of figures is worth reporting, if any.
    fn pair_reason(
        &self,
        a: &Item<'_>,
        b: &Item<'_>,
        docs: &Docs<'_>,
        metric: Metric,
    ) -> Option<Reason> {
        if same_voice(a, b) && !self.cues().is_revision(&b.sentence) {
            return None;
        }
        match a.iv.fit(&b.iv, self.cfg.tolerance) {
            Fit::Agree => None,
            Fit::WithinTolerance => Some(Reason::Tolerance(format!(
                "{} vs {}: within {}%",
                show_value(a.f),
                show_value(b.f),
                self.cfg.tolerance * 100.0
            ))),
            Fit::Incompatible => Some(self.explain(a, b, docs, metric)),
        }
    }

    /// The rank of the [`Reason`] a pair would give (the enum's order), without words.
    fn pair_rank(&self, a: &Item<'_>, b: &Item<'_>, docs: &Docs<'_>, metric: Metric) -> Option<u8> {
        if same_voice(a, b) && !self.cues().is_revision(&b.sentence) {
            return None;
        }
        match a.iv.fit(&b.iv, self.cfg.tolerance) {
            Fit::Agree => None,
            Fit::WithinTolerance => Some(3),
            Fit::Incompatible => Some(match self.why(a, b, docs, metric) {
                Why::Conflict => 0,
                Why::ScopeWords | Why::Place | Why::Units | Why::Periods => 1,
                Why::RevisedBySource | Why::RevisedWithin => 2,
            }),
        }
    }

    /// The reasons a group's figures differ, with how many differing pairs are left
    /// undescribed. A small group compares and describes every pair. A large one (see
    /// [`EXACT_GROUP_MAX`]) compares the pairs of [`witness_pairs`] and describes the
    /// [`MAX_REASONS`] most important: the cost grows with the figures, not their pairs.
    fn group_reasons(&self, g: &Group<'_>, docs: &Docs<'_>) -> (BTreeSet<Reason>, usize) {
        let items = &g.items;
        if items.len() <= EXACT_GROUP_MAX {
            let mut reasons = BTreeSet::new();
            for (i, a) in items.iter().enumerate() {
                for b in &items[i + 1..] {
                    reasons.extend(self.pair_reason(a, b, docs, g.metric));
                }
            }
            let more = reasons.len().saturating_sub(MAX_REASONS);
            return (reasons, more);
        }
        let mut ranked: Vec<(u8, usize, usize)> = witness_pairs(items)
            .into_iter()
            .filter_map(|(i, j)| {
                self.pair_rank(&items[i], &items[j], docs, g.metric)
                    .map(|r| (r, i, j))
            })
            .collect();
        ranked.sort_unstable();
        let more = ranked.len().saturating_sub(MAX_REASONS);
        let reasons = ranked
            .iter()
            .take(MAX_REASONS)
            .filter_map(|&(_, i, j)| self.pair_reason(&items[i], &items[j], docs, g.metric))
            .collect();
        (reasons, more)
    }

    /// Figures from different statements that answer the same question differently.
    /// See the crate docs for the classifications.
    ///
    /// A group of n figures is one dispute listing its n figures; its explanation names
    /// at most [`MAX_REASONS`] reasons (the most important first) and how many more there
    /// are, so the output grows with the figures, not with their pairs.
    pub fn disputes(&self, figures: &[Figure], docs: &[DocInfo]) -> Vec<Dispute> {
        let docs = Docs::new(docs);
        let prepared = self.prepare_in(figures, &docs);
        let mut out = self.disputes_in(&self.groups(&prepared, &docs), &docs);
        crate::incremental::sort_disputes(&mut out);
        out.into_iter().map(|(_, d)| d).collect()
    }

    /// [`Reconciler::disputes`] and [`Reconciler::corroboration`] at once, reading each
    /// figure's sentence once (half the work of calling both).
    pub fn disputes_and_corroboration(
        &self,
        figures: &[Figure],
        docs: &[DocInfo],
    ) -> (Vec<Dispute>, Vec<FigureSupport>) {
        let docs = Docs::new(docs);
        let prepared = self.prepare_in(figures, &docs);
        let part = self.partial_in(&prepared, &[], &docs);
        let (disputes, _, corroboration) = self.assemble([part], docs.newest());
        (disputes, corroboration)
    }

    /// The disputes and corroboration of prepared figures, each with its place in the
    /// whole store's order, confidence not yet weighed (see [`Partial`]).
    pub(crate) fn figure_partial(&self, prepared: &[PreparedFigure], docs: &Docs<'_>) -> Partial {
        let groups = self.groups(prepared, docs);
        Partial {
            disputes: self.disputes_in(&groups, docs),
            corroboration: self.corroboration_in(&groups, docs),
            contested: Vec::new(),
        }
    }

    fn disputes_in(&self, groups: &[Group<'_>], docs: &Docs<'_>) -> Vec<(GroupOrder, Dispute)> {
        let mut out = Vec::new();
        for g in groups {
            let (reasons, more) = self.group_reasons(g, docs);
            let Some(first) = reasons.first() else {
                continue;
            };
            let classification = match first {
                Reason::Conflict(_) => "conflict",
                Reason::Scope(_) => "scope_mismatch",
                Reason::Revision(_) => "revision",
                Reason::Tolerance(_) => {
                    if !self.cfg.report_within_tolerance {
                        continue;
                    }
                    "within_tolerance"
                }
            };
            let mut explanation: Vec<String> = reasons
                .iter()
                .take(MAX_REASONS)
                .map(|r| match r {
                    Reason::Conflict(s)
                    | Reason::Scope(s)
                    | Reason::Revision(s)
                    | Reason::Tolerance(s) => s.clone(),
                })
                .collect();
            if more > 0 {
                explanation.push(format!("{more} more differing pairs"));
            }
            if g.items.len() > EXACT_GROUP_MAX {
                explanation.push(format!(
                    "{} figures; the extremes of each scope compared",
                    g.items.len()
                ));
            }
            let carried: Vec<&Item<'_>> = g.items.iter().filter(|it| it.carried).collect();
            if !carried.is_empty() {
                let mut shown: Vec<String> = carried
                    .iter()
                    .take(MAX_REASONS)
                    .map(|it| format!("{} ({})", show_value(it.f), it.f.doc))
                    .collect();
                if carried.len() > MAX_REASONS {
                    shown.push(format!("{} more", carried.len() - MAX_REASONS));
                }
                explanation.push(format!(
                    "period taken from the surrounding text for {}",
                    shown.join(", ")
                ));
            }
            out.push((
                g.order.clone(),
                Dispute {
                    topic: topic(
                        g.metric,
                        g.subject.as_deref(),
                        g.period.as_deref(),
                        g.place.as_deref(),
                    ),
                    metric: g.metric,
                    subject: g.subject.clone(),
                    period: g.period.clone(),
                    figures: g
                        .items
                        .iter()
                        .map(|it| DisputedFigure {
                            doc: it.f.doc.clone(),
                            value: it.f.value,
                            value_max: it.f.value_max,
                            bound: it.f.bound,
                            source: it.f.source.clone(),
                            text: it.f.text.clone(),
                        })
                        .collect(),
                    classification: classification.to_string(),
                    explanation: explanation.join("; "),
                },
            ));
        }
        out
    }

    /// For each claim (figures that agree within tolerance), the independent origins
    /// supporting it, with the chain claim ← article ← cited origin.
    pub fn corroboration(&self, figures: &[Figure], docs: &[DocInfo]) -> Vec<FigureSupport> {
        self.disputes_and_corroboration(figures, docs).1
    }

    fn corroboration_in(
        &self,
        groups: &[Group<'_>],
        docs: &Docs<'_>,
    ) -> Vec<(GroupOrder, usize, FigureSupport, Vec<Evidence>)> {
        let mut out = Vec::new();
        for g in groups {
            let comp = components(&g.items, self.cfg.tolerance);
            let mut members: BTreeMap<usize, Vec<&Item<'_>>> = BTreeMap::new();
            for (i, it) in g.items.iter().enumerate() {
                members.entry(comp[i]).or_default().push(it);
            }
            for (name, items) in members {
                let (support, evidence) = self.support(g, &items, docs);
                out.push((g.order.clone(), name, support, evidence));
            }
        }
        out
    }

    /// A claim's support, with the evidence its confidence is weighed from (confidence
    /// is left 0: it depends on the newest document in the store).
    fn support(
        &self,
        g: &Group<'_>,
        items: &[&Item<'_>],
        docs: &Docs<'_>,
    ) -> (FigureSupport, Vec<Evidence>) {
        let best = items
            .iter()
            .min_by(|a, b| {
                a.iv.precision_key()
                    .total_cmp(&b.iv.precision_key())
                    .then_with(|| canonical(a.f, b.f))
            })
            .map(|it| it.f);
        let mut origins: BTreeMap<String, Vec<&Item<'_>>> = BTreeMap::new();
        for it in items {
            origins.entry(it.origin.clone()).or_default().push(it);
        }
        let mut evidence = Vec::new();
        let origins: Vec<OriginSupport> = origins
            .into_iter()
            .map(|(origin, its)| {
                let rating = its.first().map_or_else(|| self.rate(None), |it| it.rating);
                let articles = its
                    .iter()
                    .map(|it| {
                        let root = docs.root(&it.f.doc);
                        evidence.push(Evidence {
                            origin: origin.clone(),
                            rating,
                            hedged: it.f.hedged,
                            published: docs.published(&it.f.doc).map(str::to_string),
                        });
                        ArticleLink {
                            doc: it.f.doc.clone(),
                            copy_of: (root != it.f.doc).then(|| root.clone()),
                            source: it.f.source.clone(),
                            value: it.f.value,
                            value_max: it.f.value_max,
                            bound: it.f.bound,
                            hedged: it.f.hedged,
                            start: it.f.start,
                            end: it.f.end,
                            text: it.f.text.clone(),
                            chain: format!("\"{}\" ← {} ← {}", it.f.text, it.f.doc, origin),
                        }
                    })
                    .collect();
                OriginSupport {
                    origin,
                    reliability: rating.reliability,
                    kind: rating.kind,
                    party: rating.party,
                    articles,
                }
            })
            .collect();
        let (value, value_max, bound, unit) = best
            .map_or((0.0, None, Bound::Exact, String::new()), |f| {
                (f.value, f.value_max, f.bound, f.unit.clone())
            });
        let support = FigureSupport {
            topic: topic(
                g.metric,
                g.subject.as_deref(),
                g.period.as_deref(),
                g.place.as_deref(),
            ),
            metric: g.metric,
            subject: g.subject.clone(),
            period: g.period.clone(),
            value,
            value_max,
            bound,
            unit,
            independent_origins: origins.len(),
            origins,
            confidence: 0.0,
        };
        (support, evidence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(doc: &str, value: f64, bound: Bound, source: &str, text: &str) -> Figure {
        Figure {
            doc: doc.into(),
            value,
            value_max: None,
            bound,
            unit: "attacks".into(),
            metric: Metric::Attacks,
            subject: Some("ttp".into()),
            period: Some("2024".into()),
            place: None,
            source: Some(source.into()),
            hedged: false,
            start: 0,
            end: text.len(),
            text: text.into(),
            rule: "test".into(),
        }
    }

    fn docs(ids: &[&str]) -> Vec<DocInfo> {
        ids.iter().map(|d| DocInfo::new(d)).collect()
    }

    fn classify(figures: &[Figure], docs: &[DocInfo]) -> Vec<String> {
        Reconciler::default()
            .disputes(figures, docs)
            .into_iter()
            .map(|d| d.classification)
            .collect()
    }

    #[test]
    fn over_600_against_482_is_a_conflict_with_a_readable_topic() {
        let f = [
            fig("a", 600.0, Bound::AtLeast, "un", "over 600 attacks"),
            fig("b", 482.0, Bound::Exact, "gti", "482 attacks"),
        ];
        let d = Reconciler::default().disputes(&f, &docs(&["a", "b"]));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].classification, "conflict");
        assert_eq!(d[0].topic, "attacks by ttp in 2024");
        assert!(
            d[0].explanation.contains("over 600"),
            "{}",
            d[0].explanation
        );
    }

    #[test]
    fn subjectless_stocks_about_one_topic_meet_and_a_narrower_noun_explains() {
        // Our own two articles: an audit of abandoned stock and a speech about it.
        let a = "Auditors said the army abandoned its depots.\nThe stock held 200,000 weapons.";
        let b = "The minister said the rebels now hold 500,000 rifles that were left behind.";
        let at = |text: &str, doc: &str, needle: &str, value: f64, source: &str| {
            let start = text.find(needle).unwrap_or(0);
            Figure {
                metric: Metric::Weapons,
                unit: "items".into(),
                subject: None,
                period: None,
                bound: Bound::Exact,
                start,
                end: start + needle.len(),
                ..fig(doc, value, Bound::Exact, source, needle)
            }
        };
        let f = [
            at(a, "a", "200,000 weapons", 200000.0, "auditors"),
            at(b, "b", "500,000 rifles", 500000.0, "minister"),
        ];
        let docs: Vec<DocInfo> = [("a", a), ("b", b)]
            .iter()
            .map(|(id, t)| DocInfo {
                text: Some(t.to_string()),
                ..DocInfo::new(id)
            })
            .collect();
        let d = Reconciler::default().disputes(&f, &docs);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].topic, "weapons of equipment left behind");
        assert_eq!(d[0].classification, "scope_mismatch");
        assert!(
            d[0].explanation.contains("rifles only"),
            "{}",
            d[0].explanation
        );
        // Without a topic phrase nearby, subjectless counts stay apart.
        let plain = [
            Figure {
                start: 0,
                end: 0,
                ..f[0].clone()
            },
            f[1].clone(),
        ];
        let docs2 = [DocInfo {
            text: Some("Police seized guns.".into()),
            ..DocInfo::new("a")
        }];
        assert!(Reconciler::default().disputes(&plain, &docs2).is_empty());
    }

    #[test]
    fn a_range_containing_the_other_figure_is_agreement() {
        let mut r = fig("a", 6000.0, Bound::Range, "x", "6,000–6,500 fighters");
        r.value_max = Some(6500.0);
        let f = [r, fig("b", 6000.0, Bound::Exact, "y", "6,000 fighters")];
        assert!(classify(&f, &docs(&["a", "b"])).is_empty());
    }

    #[test]
    fn a_gap_under_the_tolerance_is_within_tolerance_not_a_conflict() {
        let f = [
            fig("a", 1210.0, Bound::Exact, "x", "1,210 attacks"),
            fig("b", 1203.0, Bound::Exact, "y", "1,203 attacks"),
        ];
        assert_eq!(classify(&f, &docs(&["a", "b"])), ["within_tolerance"]);
        let strict = Reconciler::new(
            ReconcileConfig {
                report_within_tolerance: false,
                ..ReconcileConfig::default()
            },
            SourceTable::builtin(),
        );
        assert!(strict.disputes(&f, &docs(&["a", "b"])).is_empty());
    }

    #[test]
    fn cross_border_against_all_attacks_is_a_scope_mismatch() {
        let text_a = "Officials counted 48 cross-border attacks in 2024.";
        let text_b = "The group carried out 482 attacks in 2024.";
        let mut a = fig("a", 48.0, Bound::Exact, "x", "48");
        a.start = text_a.find("48").unwrap();
        a.end = a.start + 2;
        let mut b = fig("b", 482.0, Bound::Exact, "y", "482");
        b.start = text_b.find("482").unwrap();
        b.end = b.start + 3;
        let mut d = docs(&["a", "b"]);
        d[0].text = Some(text_a.into());
        d[1].text = Some(text_b.into());
        let out = Reconciler::default().disputes(&[a, b], &d);
        assert_eq!(out[0].classification, "scope_mismatch");
        assert!(
            out[0].explanation.contains("cross-border vs unqualified"),
            "{}",
            out[0].explanation
        );
    }

    #[test]
    fn the_same_source_later_is_a_revision() {
        let f = [
            fig("a", 21.0, Bound::Exact, "ispr", "21 attacks"),
            fig("b", 26.0, Bound::Exact, "ispr", "26 attacks"),
        ];
        let mut d = docs(&["a", "b"]);
        d[0].published = Some("2025-03-11".into());
        d[1].published = Some("2025-03-12".into());
        let out = Reconciler::default().disputes(&f, &d);
        assert_eq!(out[0].classification, "revision");
        assert!(
            out[0].explanation.contains("from 21 (2025-03-11) to 26"),
            "{}",
            out[0].explanation
        );
    }

    #[test]
    fn one_speaker_in_one_article_does_not_dispute_itself() {
        let f = [
            fig("a", 262.0, Bound::Exact, "author", "262 attacks"),
            fig("a", 14.0, Bound::Exact, "author", "14 suicide attacks"),
        ];
        assert!(classify(&f, &docs(&["a"])).is_empty());
    }

    #[test]
    fn a_missing_period_is_carried_from_a_nearby_figure_in_the_same_document() {
        let mut dated = fig("a", 45.0, Bound::Exact, "x", "45% surge");
        dated.metric = Metric::PercentChange;
        let mut undated = fig("a", 482.0, Bound::Exact, "x", "482 attacks");
        undated.period = None;
        undated.start = 200;
        undated.end = 211;
        let other = fig("b", 48.0, Bound::Exact, "y", "48 attacks");
        let out = Reconciler::default().disputes(&[dated, undated, other], &docs(&["a", "b"]));
        assert_eq!(out[0].period.as_deref(), Some("2024"));
        assert!(out[0]
            .explanation
            .contains("period taken from the surrounding text"));
    }

    #[test]
    fn figures_without_a_known_subject_need_the_same_place_and_period() {
        let mut a = fig("a", 18.0, Bound::Exact, "x", "18 killed");
        let mut b = fig("b", 145.0, Bound::Exact, "y", "145 killed");
        for f in [&mut a, &mut b] {
            f.subject = Some("people".into());
            f.metric = Metric::Fatalities;
        }
        b.place = Some("moscow".into());
        let r = Reconciler::default()
            .with_entity_types([("ttp".to_string(), dossier_model::EntityType::ArmedGroup)]);
        assert!(r
            .disputes(&[a.clone(), b.clone()], &docs(&["a", "b"]))
            .is_empty());
        a.place = Some("moscow".into());
        assert_eq!(r.disputes(&[a, b], &docs(&["a", "b"])).len(), 1);
    }

    #[test]
    fn a_syndicated_copy_and_its_original_are_one_origin() {
        let f = [
            fig("orig", 26.0, Bound::Exact, "author", "26 attacks"),
            fig("copy", 26.0, Bound::Exact, "author", "26 attacks"),
            fig("other", 26.0, Bound::Exact, "author", "26 attacks"),
        ];
        let mut d = docs(&["orig", "copy", "other"]);
        d[1].near_duplicate_of = Some("orig".into());
        let s = Reconciler::default().corroboration(&f, &d);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].independent_origins, 2);
        // The copy cluster is named by its smallest id ("copy"), whichever was ingested first.
        let orig = s[0]
            .origins
            .iter()
            .flat_map(|o| &o.articles)
            .find(|a| a.doc == "orig")
            .unwrap();
        assert_eq!(orig.copy_of.as_deref(), Some("copy"));
        assert!(orig.chain.contains("← orig ← doc:copy"), "{}", orig.chain);
    }

    #[test]
    fn articles_citing_the_same_body_are_one_origin() {
        let f = [
            fig(
                "a",
                482.0,
                Bound::Exact,
                "global-terrorism-index",
                "482 attacks",
            ),
            fig(
                "b",
                482.0,
                Bound::Exact,
                "global-terrorism-index",
                "482 attacks",
            ),
            fig("c", 480.0, Bound::Exact, "pips", "480 attacks"),
        ];
        let s = Reconciler::default().corroboration(&f, &docs(&["a", "b", "c"]));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].independent_origins, 2);
        assert!(s[0].confidence > 0.75 && s[0].confidence < 1.0);
    }

    #[test]
    fn a_large_group_is_one_dispute_whose_explanation_does_not_grow_with_its_pairs() {
        // 300 articles, each its own voice with its own count: 44,850 pairs.
        let figs: Vec<Figure> = (0..300)
            .map(|i| {
                let doc = format!("d{i:03}");
                let v = 100.0 + 7.0 * f64::from(i);
                fig(&doc, v, Bound::Exact, &format!("s{i}"), "attacks")
            })
            .collect();
        let ids: Vec<String> = (0..300).map(|i| format!("d{i:03}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let d = Reconciler::default().disputes(&figs, &docs(&ids));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].classification, "conflict");
        assert_eq!(d[0].figures.len(), 300);
        assert!(d[0].explanation.len() < 4000, "{}", d[0].explanation);
        assert!(
            d[0].explanation.contains("more differing pairs"),
            "{}",
            d[0].explanation
        );
        // The extremes are among the pairs named.
        assert!(d[0].explanation.contains("100 ("), "{}", d[0].explanation);
        // A small group still names every pair.
        let small = Reconciler::default().disputes(&figs[..3], &docs(&ids[..3]));
        assert_eq!(small[0].explanation.matches(" vs ").count(), 3);
    }

    #[test]
    fn a_large_group_finds_a_scope_mismatch_and_agreeing_figures_make_no_dispute() {
        let mut figs: Vec<Figure> = (0..100)
            .map(|i| fig(&format!("d{i:03}"), 482.0, Bound::Exact, "x", "482 attacks"))
            .collect();
        let ids: Vec<String> = (0..101).map(|i| format!("d{i:03}")).collect();
        let mut docs: Vec<DocInfo> = ids.iter().map(|d| DocInfo::new(d)).collect();
        assert!(Reconciler::default().disputes(&figs, &docs).is_empty());
        let text = "Officials counted 48 cross-border attacks in 2024.";
        let mut narrow = fig("d100", 48.0, Bound::Exact, "y", "48");
        narrow.start = text.find("48").unwrap_or(0);
        narrow.end = narrow.start + 2;
        docs[100].text = Some(text.into());
        figs.push(narrow);
        let d = Reconciler::default().disputes(&figs, &docs);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].classification, "scope_mismatch");
        assert_eq!(d[0].figures.len(), 101);
    }

    #[test]
    fn the_sweep_finds_the_components_every_pair_compared_would() {
        // Non-negative counts of every bound, deterministic pseudo-random spread.
        let bounds = [
            Bound::Exact,
            Bound::AtLeast,
            Bound::AtMost,
            Bound::Approx,
            Bound::Range,
        ];
        let mut x: u64 = 7;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 33
        };
        for round in 0..40 {
            let figs: Vec<Figure> = (0..(5 + round))
                .map(|i| {
                    let mut f = fig(
                        &format!("d{i}"),
                        (next() % 1000) as f64,
                        bounds[(next() % 5) as usize],
                        "x",
                        "n",
                    );
                    f.value_max = Some(f.value + (next() % 200) as f64);
                    f
                })
                .collect();
            let items: Vec<Item<'_>> = figs
                .iter()
                .map(|f| Item {
                    f,
                    period: None,
                    carried: false,
                    iv: Interval::of(f, 0.1),
                    scopes: BTreeSet::new(),
                    sentence: String::new(),
                    origin: String::new(),
                    place: None,
                    rating: Reconciler::default().rate(None),
                    place_type: None,
                })
                .collect();
            // Every pair, with the smallest index naming each component.
            let n = items.len();
            let mut want: Vec<usize> = (0..n).collect();
            for i in 0..n {
                for j in i + 1..n {
                    if items[i].iv.fit(&items[j].iv, 0.02) != Fit::Incompatible {
                        let (lo, hi) = (want[i].min(want[j]), want[i].max(want[j]));
                        want.iter_mut().filter(|c| **c == hi).for_each(|c| *c = lo);
                    }
                }
            }
            assert_eq!(components(&items, 0.02), want, "round {round}");
        }
    }

    #[test]
    fn odd_values_and_spans_do_not_panic() {
        let mut nan = fig("a", f64::NAN, Bound::Exact, "x", "");
        nan.start = 50;
        nan.end = 10;
        let mut inf = fig("b", f64::INFINITY, Bound::Range, "y", "");
        inf.value_max = Some(f64::NAN);
        let mut huge = fig("c", 1e300, Bound::Approx, "", "");
        huge.period = Some("ü/".into());
        let mut d = docs(&["a"]);
        d[0].text = Some("ü".into());
        let r = Reconciler::default();
        let _ = r.disputes(&[nan.clone(), inf.clone(), huge.clone()], &d);
        let _ = r.corroboration(&[nan, inf, huge], &d);
    }
}
