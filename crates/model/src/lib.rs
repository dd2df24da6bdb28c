//! The domain model of Dossier: documents and everything extracted from them.
//!
//! A [`Document`] owns its normalized clean text. Every annotation — a [`Mention`],
//! [`Figure`], [`Relation`] or [`Event`] — holds a byte-offset [`Span`] into that
//! text plus the name of the rule that produced it, so nothing is a fact without a
//! quoted span. The serialized shape of these types *is* the JSONL interchange
//! format (`shared/spec/interchange.md`): each record type serializes with a
//! `kind` tag when wrapped in [`Record`].
//!
//! This crate has no I/O and no dependencies besides serde: every other crate
//! points inward to it.

use serde::{Deserialize, Serialize};

mod vocab;

pub use vocab::{Bound, DatePrecision, EntityType, EventType, Metric, RelationType, Stance};

/// Days in month `month` (1–12) of `year` in the Gregorian calendar (0 for a month
/// outside 1–12): 2024-02-29 exists, 2023-02-29 and 2024-04-31 do not. Every date the
/// system accepts from a user or a document is checked against this.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        1..=12 => 31,
        _ => 0,
    }
}

/// A byte range `[start, end)` into a document's clean text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The quoted text, or `""` when the span does not fit `text` on char boundaries.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// An ingested article with its clean text and metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: the file stem (suffixed on collision) or a JSONL line's `id`.
    pub doc: String,
    pub title: Option<String>,
    /// ISO date, as precise as known: `2025-03-20`, `2025-03` or `2025`.
    pub published: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// SHA-256 (hex) of the clean text: equal content is one document.
    pub sha256: String,
    /// Length of the clean text in characters.
    pub chars: usize,
    /// Set when this document is a near-duplicate (syndicated copy) of an earlier one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub near_duplicate_of: Option<String>,
    /// Where it came from: a path, `-` or `path:line` for JSONL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// The clean text every span points into (exported only with `--with-text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A real-world actor or place, from the registry or discovered in text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub canonical: String,
    #[serde(rename = "type")]
    pub entity_type: EntityType,
    pub aliases: Vec<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Parent entity id: the group a faction belongs to, the province of a district.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// For persons: the role the registry or the text gives ("TTP chief").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// True when found in text rather than listed in the registry.
    #[serde(default)]
    pub discovered: bool,
}

impl Entity {
    pub fn is_place(&self) -> bool {
        self.entity_type.is_place()
    }
}

/// One occurrence of an entity in a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub doc: String,
    pub entity: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// The rule that produced it: `registry`, `acronym`, `org-head`, `title`, …
    pub rule: String,
}

/// A number that counts something in the conflict, with who says it and how hedged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub doc: String,
    pub value: f64,
    pub value_max: Option<f64>,
    pub bound: Bound,
    pub unit: String,
    pub metric: Metric,
    /// Entity id, literal, or null.
    pub subject: Option<String>,
    /// `2024`, `2025-01`, `2001/2025` (since 2001), … or null.
    pub period: Option<String>,
    pub place: Option<String>,
    /// Who states it; `author` when unattributed.
    pub source: Option<String>,
    pub hedged: bool,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub rule: String,
}

/// A typed link between two actors, or an actor and a place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub doc: String,
    pub source: String,
    #[serde(rename = "type")]
    pub relation_type: RelationType,
    pub target: String,
    pub stance: Stance,
    pub attributed_to: Option<String>,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub rule: String,
}

/// Something that happened: an attack, a strike, talks, a designation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub doc: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub date: Option<String>,
    pub date_precision: DatePrecision,
    pub place: Option<String>,
    pub perpetrator: Option<String>,
    pub target: Option<String>,
    pub killed: Option<f64>,
    pub injured: Option<f64>,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub rule: String,
}

/// One side of a dispute: a figure as one document states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputedFigure {
    pub doc: String,
    pub value: f64,
    pub value_max: Option<f64>,
    pub bound: Bound,
    pub source: Option<String>,
    pub text: String,
}

/// Figures from different sources that answer the same question differently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dispute {
    pub topic: String,
    pub metric: Metric,
    pub subject: Option<String>,
    pub period: Option<String>,
    pub figures: Vec<DisputedFigure>,
    pub classification: String,
    pub explanation: String,
}

/// A problem found while processing text: never fatal, always reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub stage: String,
    pub message: String,
}

/// One line of the JSONL interchange format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Document(Document),
    Entity(Entity),
    Mention(Mention),
    Figure(Figure),
    Relation(Relation),
    Event(Event),
    Dispute(Dispute),
}

/// Everything the extraction pipeline found in one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub mentions: Vec<Mention>,
    /// Entities discovered in this document that are not in the registry.
    pub discovered: Vec<Entity>,
    /// Aliases learned from the text: (entity id, alias, span of the evidence).
    pub learned_aliases: Vec<LearnedAlias>,
    pub figures: Vec<Figure>,
    pub relations: Vec<Relation>,
    pub events: Vec<Event>,
    pub diagnostics: Vec<Diagnostic>,
}

/// An alias the text itself defines ("Long Name (ABBR)", "X, aka Y").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnedAlias {
    pub entity: String,
    pub alias: String,
    pub doc: String,
    pub start: usize,
    pub end: usize,
}

#[cfg(test)]
mod tests {
    #[test]
    fn calendar_months() {
        assert_eq!(super::days_in_month(2024, 2), 29);
        assert_eq!(super::days_in_month(2023, 2), 28);
        assert_eq!(super::days_in_month(1900, 2), 28);
        assert_eq!(super::days_in_month(2000, 2), 29);
        assert_eq!(super::days_in_month(2024, 4), 30);
        assert_eq!(super::days_in_month(2024, 12), 31);
        assert_eq!(super::days_in_month(2024, 13), 0);
    }

    use super::*;

    #[test]
    fn record_serializes_with_kind_tag_and_spec_field_names() {
        let rec = Record::Relation(Relation {
            doc: "d".into(),
            source: "afghan-taliban".into(),
            relation_type: RelationType::Finances,
            target: "ttp".into(),
            stance: Stance::Asserted,
            attributed_to: None,
            start: 1,
            end: 5,
            text: "abcd".into(),
            rule: "test".into(),
        });
        let json = serde_json::to_value(&rec).unwrap();
        assert_eq!(json["kind"], "relation");
        assert_eq!(json["type"], "finances");
        assert_eq!(json["stance"], "asserted");
        let back: Record = serde_json::from_value(json).unwrap();
        assert_eq!(back, rec);
    }

    #[test]
    fn span_slice_is_safe_off_char_boundaries() {
        let text = "Taliban’s";
        assert_eq!(Span::new(0, 7).slice(text), "Taliban");
        assert_eq!(Span::new(0, 8).slice(text), "");
        assert_eq!(Span::new(5, 100).slice(text), "");
    }
}
