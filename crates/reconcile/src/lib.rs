//! Cross-source reconciliation: where sources agree, where they disagree and why, and
//! how much weight a claim deserves.
//!
//! A [`Reconciler`] takes the figures and relations the claims stage extracted from many
//! documents, plus a little about each document ([`DocInfo`]), and answers three questions:
//!
//! - [`Reconciler::disputes`]: figures that answer the same question (metric, subject,
//!   period, place scope) differently. Each group is classified `conflict`,
//!   `scope_mismatch` (the sentences count different things: cross-border vs all attacks,
//!   a province vs the country, different units), `revision` (the same source, later) or
//!   `within_tolerance` (a small discrepancy such as 1,210 vs 1,203).
//! - [`Reconciler::corroboration`]: for each agreeing claim, the independent origins behind
//!   it — a syndicated copy is the same origin as its original, and articles quoting the
//!   same body (the UN Monitoring Team, the Global Terrorism Index) are one origin.
//! - [`Reconciler::contested`]: relations asserted by some sources and denied by others,
//!   with relation types pooled into classes (a denial of sheltering contests an
//!   assertion of financing).
//!
//! Every answer is a pure function of its input: no I/O, no clock (recency is measured
//! against the newest document date given), and the same output whatever the input order.
//! Source grades come from [`SourceTable`] (`data/sources.toml`), cue phrases from
//! [`Cues`] (`data/reconcile.toml`).
//!
//! ```
//! use dossier_model::{Bound, Figure, Metric};
//! use dossier_reconcile::{DocInfo, Reconciler};
//!
//! let fig = |doc: &str, value: f64, bound: Bound, source: &str| Figure {
//!     doc: doc.into(), value, value_max: None, bound, unit: "attacks".into(),
//!     metric: Metric::Attacks, subject: Some("ttp".into()), period: Some("2024".into()),
//!     place: None, source: Some(source.into()), hedged: false, start: 0, end: 3,
//!     text: String::new(), rule: "example".into(),
//! };
//! let figures = [fig("a", 600.0, Bound::AtLeast, "un"), fig("b", 482.0, Bound::Exact, "global-terrorism-index")];
//! let docs = [DocInfo::new("a"), DocInfo::new("b")];
//! let disputes = Reconciler::default().disputes(&figures, &docs);
//! assert_eq!(disputes.len(), 1);
//! assert_eq!(disputes[0].classification, "conflict");
//! assert_eq!(disputes[0].topic, "attacks by ttp in 2024");
//! ```

use std::collections::BTreeMap;

use dossier_model::{EntityType, Metric};
use serde::{Deserialize, Serialize};

mod bounds;
mod confidence;
mod cues;
mod figures;
mod incremental;
mod relations;
mod sources;

pub use confidence::Evidence;
pub use cues::Cues;
pub use figures::{ArticleLink, FigureSupport, OriginSupport, PreparedFigure};
pub use incremental::{fnv1a, GroupOrder, Partial};
pub use relations::{Contested, PreparedRelation, RelationSide};
pub use sources::{Reliability, SourceKind, SourceRating, SourceTable};

/// Errors reading an analyst's data file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Parse { origin: String, message: String },
}

/// What the reconciler needs to know about a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocInfo {
    pub doc: String,
    /// ISO date, as precise as known.
    pub published: Option<String>,
    /// The document this one is a syndicated copy of.
    pub near_duplicate_of: Option<String>,
    pub publisher: Option<String>,
    /// The clean text the figures' spans point into. Optional: with it, scope words are
    /// read from the whole sentence around a figure, not only the figure's own span.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl DocInfo {
    pub fn new(doc: &str) -> Self {
        DocInfo {
            doc: doc.to_string(),
            ..DocInfo::default()
        }
    }
}

/// Tolerances and switches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReconcileConfig {
    /// Relative gap below which two exact figures are a small discrepancy (0.02 = 2%).
    pub tolerance: f64,
    /// How far "about N" reaches either side of N, relative.
    pub approx_spread: f64,
    /// A figure without a period takes the period of the nearest figure before it in the
    /// same document when that one ends at most this many bytes earlier ("In 2024 … 482
    /// attacks"); 0 disables it.
    pub period_carry_bytes: usize,
    /// Report `within_tolerance` groups from [`Reconciler::disputes`].
    pub report_within_tolerance: bool,
    /// Metrics too ambiguous to compare across documents (a bare percent change says
    /// little about what changed).
    pub skip_metrics: Vec<Metric>,
    /// Recency half-life for confidence, in years.
    pub half_life_years: f64,
}

impl Default for ReconcileConfig {
    fn default() -> Self {
        ReconcileConfig {
            tolerance: 0.02,
            approx_spread: 0.1,
            period_carry_bytes: 600,
            report_within_tolerance: true,
            skip_metrics: vec![Metric::PercentChange, Metric::Rank, Metric::Other],
            half_life_years: 3.0,
        }
    }
}

/// Reconciles claims across documents. See the crate docs.
#[derive(Debug, Clone)]
pub struct Reconciler {
    cfg: ReconcileConfig,
    sources: SourceTable,
    cues: Cues,
    entity_types: BTreeMap<String, EntityType>,
    /// Lowercased names and aliases → entity id, to trace a literal source
    /// ("United Nations investigators") back to the body it speaks for.
    entity_names: BTreeMap<String, String>,
}

impl Default for Reconciler {
    fn default() -> Self {
        Reconciler::new(ReconcileConfig::default(), SourceTable::builtin())
    }
}

impl Reconciler {
    pub fn new(cfg: ReconcileConfig, sources: SourceTable) -> Self {
        Reconciler {
            cfg,
            sources,
            cues: Cues::builtin(),
            entity_types: BTreeMap::new(),
            entity_names: BTreeMap::new(),
        }
    }

    /// Replaces the built-in cue phrases.
    pub fn with_cues(mut self, cues: Cues) -> Self {
        self.cues = cues;
        self
    }

    /// Entity types from the registry: they grade sources that have no row of their own
    /// and tell a province from a country when places differ.
    pub fn with_entity_types(
        mut self,
        types: impl IntoIterator<Item = (String, EntityType)>,
    ) -> Self {
        self.entity_types.extend(types);
        self
    }

    /// Entity names and aliases (name, id): a literal source that is a known name plus
    /// a word or two for its people ("United Nations investigators", "ISPR officials")
    /// counts as that entity's origin. A name listed for two ids is ignored, so the
    /// answer does not depend on the order given.
    pub fn with_entity_names(mut self, names: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut seen: BTreeMap<String, Option<String>> = BTreeMap::new();
        for (name, id) in names {
            let key = name.trim().to_lowercase();
            if key.is_empty() {
                continue;
            }
            seen.entry(key)
                .and_modify(|v| {
                    if v.as_deref() != Some(id.as_str()) {
                        *v = None;
                    }
                })
                .or_insert(Some(id));
        }
        self.entity_names
            .extend(seen.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))));
        self
    }

    /// The origin a source stands for: its id, or for a literal that starts with a known
    /// name followed by at most two more words, that name's id; otherwise the literal.
    pub(crate) fn origin_of(&self, source: &str) -> String {
        let s = source.trim().to_lowercase();
        if self.entity_names.is_empty() || self.entity_types.contains_key(&s) {
            return s;
        }
        let words: Vec<&str> = s.split_whitespace().collect();
        for k in (1..words.len()).rev() {
            if words.len() - k > 2 {
                break;
            }
            if let Some(id) = self.entity_names.get(&words[..k].join(" ")) {
                return id.clone();
            }
        }
        s
    }

    pub fn config(&self) -> &ReconcileConfig {
        &self.cfg
    }

    /// The grade of a source id, literal or `author`.
    pub fn rate(&self, source: Option<&str>) -> SourceRating {
        let t = source.and_then(|s| self.entity_types.get(s).copied());
        self.sources.rate(source, t)
    }

    pub(crate) fn entity_type(&self, id: &str) -> Option<EntityType> {
        self.entity_types.get(id).copied()
    }

    pub(crate) fn cues(&self) -> &Cues {
        &self.cues
    }
}

/// Document lookups shared by the figure and relation passes.
pub(crate) struct Docs<'a> {
    by_id: BTreeMap<&'a str, &'a DocInfo>,
    /// Each document's copy cluster, named by its smallest member id.
    roots: BTreeMap<&'a str, &'a str>,
}

impl<'a> Docs<'a> {
    pub fn new(docs: &'a [DocInfo]) -> Self {
        let mut by_id = BTreeMap::new();
        for d in docs {
            // On a repeated id keep the smallest record, so input order cannot matter.
            by_id
                .entry(d.doc.as_str())
                .and_modify(|prev: &mut &DocInfo| {
                    if (d.published.as_deref(), d.near_duplicate_of.as_deref())
                        < (prev.published.as_deref(), prev.near_duplicate_of.as_deref())
                    {
                        *prev = d;
                    }
                })
                .or_insert(d);
        }
        // Copies and originals form clusters (union-find over `near_duplicate_of`).
        // Which member was ingested first depends on input order, so a cluster is
        // named by its smallest id: the same answer in any order.
        let mut parent: BTreeMap<&'a str, &'a str> = by_id.keys().map(|&k| (k, k)).collect();
        fn find<'x>(parent: &mut BTreeMap<&'x str, &'x str>, x: &'x str) -> &'x str {
            let mut cur = x;
            for _ in 0..1024 {
                let p = *parent.get(cur).unwrap_or(&cur);
                if p == cur {
                    break;
                }
                cur = p;
            }
            parent.insert(x, cur);
            cur
        }
        for d in by_id.values() {
            if let Some(of) = d.near_duplicate_of.as_deref() {
                parent.entry(of).or_insert(of);
                let (a, b) = (find(&mut parent, d.doc.as_str()), find(&mut parent, of));
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                parent.insert(hi, lo);
            }
        }
        let keys: Vec<&'a str> = parent.keys().copied().collect();
        let roots = keys
            .into_iter()
            .map(|k| (k, find(&mut parent, k)))
            .collect();
        Docs { by_id, roots }
    }

    pub fn get(&self, doc: &str) -> Option<&'a DocInfo> {
        self.by_id.get(doc).copied()
    }

    pub fn published(&self, doc: &str) -> Option<&'a str> {
        self.get(doc).and_then(|d| d.published.as_deref())
    }

    /// The copy cluster a document belongs to, named by its smallest member id (the
    /// same whichever copy was ingested first).
    pub fn root(&self, doc: &str) -> String {
        self.roots.get(doc).copied().unwrap_or(doc).to_string()
    }

    /// The sentence around `[start, end)` up to `after` bytes past the span, or
    /// `fallback` when the text is missing or the span does not fit it. Qualifiers of a
    /// count come before it or right after it ("over 600 cross-border attacks"); the
    /// rest of a long sentence is usually about something else.
    pub fn context<'t>(
        &'t self,
        doc: &str,
        start: usize,
        end: usize,
        after: usize,
        fallback: &'t str,
    ) -> &'t str {
        let Some(text) = self.get(doc).and_then(|d| d.text.as_deref()) else {
            return fallback;
        };
        if start > end || text.get(start..end).is_none() {
            return fallback;
        }
        let is_stop = |c: char| matches!(c, '.' | '!' | '?' | '\n');
        let from = text[..start]
            .char_indices()
            .rev()
            .find(|&(i, c)| is_stop(c) && ends_sentence(text, i))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let mut to = text[end..]
            .char_indices()
            .find(|&(i, c)| is_stop(c) && ends_sentence(text, end + i))
            .map_or(text.len(), |(i, _)| end + i);
        if to > end.saturating_add(after) {
            to = end + after;
            while !text.is_char_boundary(to) {
                to -= 1;
            }
        }
        text[from..to]
            .trim_start_matches(|c: char| c.is_whitespace() || CLOSERS.contains(&c))
            .trim_end()
    }

    /// The sentence around `[start, end)` together with the sentence before it (which
    /// may end the previous paragraph): "This chest of equipment – 300,000 weapons"
    /// says what it counts only through the sentence before. `None` without the text.
    pub fn lead_in(&self, doc: &str, start: usize, end: usize) -> Option<&str> {
        let text = self.get(doc).and_then(|d| d.text.as_deref())?;
        if start > end || text.get(start..end).is_none() {
            return None;
        }
        let from = sentence_start(text, start);
        let before =
            text[..from].trim_end_matches(|c: char| c.is_whitespace() || CLOSERS.contains(&c));
        // Step over the previous sentence's own full stop.
        let last = before.char_indices().next_back().map_or(0, |(i, _)| i);
        let prev = sentence_start(text, last);
        let to = text[end..]
            .char_indices()
            .find(|&(i, c)| matches!(c, '.' | '!' | '?' | '\n') && ends_sentence(text, end + i))
            .map_or(text.len(), |(i, _)| end + i);
        text.get(prev..to)
    }

    /// The newest publication date among the documents: "now" for recency.
    pub fn newest(&self) -> Option<&'a str> {
        self.by_id
            .values()
            .filter_map(|d| d.published.as_deref())
            .max()
    }
}

/// Start of the sentence holding byte `pos` (after the last sentence stop before it).
fn sentence_start(text: &str, pos: usize) -> usize {
    let is_stop = |c: char| matches!(c, '.' | '!' | '?' | '\n');
    let pos = (0..=pos.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    text[..pos]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_stop(c) && ends_sentence(text, i))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Closing quotes and brackets that may follow a sentence's full stop.
const CLOSERS: &[char] = &['”', '"', '’', '\'', ')', ']'];

/// A full stop ends a sentence only before whitespace and no lower-case word, possibly
/// after a closing quote or bracket ("U.S. officials" and "1.5" do not; `Khawarij.” The` does).
fn ends_sentence(text: &str, i: usize) -> bool {
    let c = text[i..].chars().next().map_or(1, char::len_utf8);
    let rest = text[i + c..].trim_start_matches(CLOSERS);
    // "U.S. officials" goes on in lower case; a new sentence does not.
    rest.chars().next().is_none_or(char::is_whitespace)
        && !rest.trim_start().starts_with(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_stops_at_full_stops_but_not_inside_abbreviations() {
        let text = "First one. The U.S. counted 40 raids in 2024. Last.".to_string();
        let docs = [DocInfo {
            text: Some(text.clone()),
            ..DocInfo::new("d")
        }];
        let d = Docs::new(&docs);
        let start = text.find("40").unwrap();
        assert_eq!(
            d.context("d", start, start + 2, 100, "?"),
            "The U.S. counted 40 raids in 2024"
        );
        assert_eq!(
            d.context("d", start, start + 2, 6, "?"),
            "The U.S. counted 40 raids"
        );
        assert_eq!(d.context("d", 400, 402, 9, "fallback"), "fallback");
        assert_eq!(d.context("missing", 0, 1, 9, "fb"), "fb");
    }

    #[test]
    fn the_lead_in_holds_the_sentence_before_even_across_a_paragraph() {
        let text =
            "Intro here. Troops left behind their kit.\nThis stock held 900 guns. Later news.";
        let docs = [DocInfo {
            text: Some(text.to_string()),
            ..DocInfo::new("d")
        }];
        let d = Docs::new(&docs);
        let start = text.find("900").unwrap();
        assert_eq!(
            d.lead_in("d", start, start + 3).map(str::trim),
            Some("Troops left behind their kit.\nThis stock held 900 guns")
        );
        assert_eq!(d.lead_in("d", 0, 5), Some("Intro here"));
        assert_eq!(d.lead_in("d", 500, 501), None);
    }

    #[test]
    fn a_sentence_ends_after_a_closing_quote() {
        let text = "They were called “the fitna.” The group staged 482 attacks.".to_string();
        let docs = [DocInfo {
            text: Some(text.clone()),
            ..DocInfo::new("d")
        }];
        let start = text.find("482").unwrap();
        let d = Docs::new(&docs);
        let ctx = d.context("d", start, start + 3, 50, "?");
        assert_eq!(ctx, "The group staged 482 attacks");
    }

    #[test]
    fn a_literal_naming_a_body_and_its_people_is_that_bodys_origin() {
        let r = Reconciler::default()
            .with_entity_types([("un".to_string(), EntityType::InternationalOrg)])
            .with_entity_names([
                ("United Nations".to_string(), "un".to_string()),
                ("UN".to_string(), "un".to_string()),
                ("Kurram".to_string(), "kurram".to_string()),
                ("Kurram".to_string(), "kurram-agency".to_string()),
            ]);
        assert_eq!(r.origin_of("United Nations investigators"), "un");
        assert_eq!(r.origin_of("UN"), "un");
        assert_eq!(r.origin_of("un"), "un");
        // Too much beyond the name: another body, kept literal.
        assert_eq!(
            r.origin_of("UN refugee agency field staff"),
            "un refugee agency field staff"
        );
        // An ambiguous name traces to no one.
        assert_eq!(r.origin_of("Kurram elders"), "kurram elders");
        assert_eq!(
            r.origin_of("Pakistani authorities"),
            "pakistani authorities"
        );
    }

    #[test]
    fn copy_clusters_are_named_by_their_smallest_id_even_through_a_cycle() {
        let mut a = DocInfo::new("a");
        a.near_duplicate_of = Some("b".into());
        let mut b = DocInfo::new("b");
        b.near_duplicate_of = Some("a".into());
        let mut c = DocInfo::new("c");
        c.near_duplicate_of = Some("d".into());
        let docs = [a, b, c, DocInfo::new("d")];
        let d = Docs::new(&docs);
        assert_eq!(d.root("d"), "c");
        assert_eq!(d.root("a"), "a");
        assert_eq!(d.root("b"), "a");
    }
}
