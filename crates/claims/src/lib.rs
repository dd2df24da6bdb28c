//! Claims: what the text says about actors — figures, relations and events.
//!
//! Input is one document's clean text plus the entity mentions the entity stage
//! found in it ([`EntitySpan`]). Output is [`Claims`]: `Figure`, `Relation` and
//! `Event` records of the interchange format, each with its byte span into the
//! text and the name of the rule that produced it, plus diagnostics.
//!
//! The stage is a pure function of its input and the [`Lexicon`] (cue words
//! loaded from the data files under `data/claims/`): no I/O, no globals.
//!
//! ```
//! use dossier_claims::{ClaimExtractor, ClaimInput};
//! let extractor = ClaimExtractor::default();
//! let text = "The group carried out 48 attacks in 2024.";
//! let claims = extractor.extract(&ClaimInput { doc: "d", text, published: None, entities: &[] });
//! assert!(claims.figures.iter().any(|f| f.value == 48.0));
//! ```

pub mod attribution;
pub mod dates;
mod events;
mod figures;
mod lexicon;
mod metonymy;
mod numbers;
mod relations;
mod roles;
pub mod sentences;
#[cfg(test)]
mod testkit;
mod tokens;

use dossier_model::{Diagnostic, EntityType, Event, Figure, Relation};

/// An entity mention as the claims stage sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    /// Entity id (registry id or discovered id).
    pub id: String,
    pub entity_type: EntityType,
}

/// One document, ready for claim extraction.
#[derive(Debug, Clone, Copy)]
pub struct ClaimInput<'a> {
    pub doc: &'a str,
    pub text: &'a str,
    /// Publication date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`): relative dates resolve against it.
    pub published: Option<&'a str>,
    /// Entity mentions sorted by start, non-overlapping.
    pub entities: &'a [EntitySpan],
}

/// Everything the claims stage found in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claims {
    pub figures: Vec<Figure>,
    pub relations: Vec<Relation>,
    pub events: Vec<Event>,
    pub diagnostics: Vec<Diagnostic>,
}

pub use events::EventRules;
pub use lexicon::{Lexicon, LexiconError};
pub use metonymy::Metonymy;
pub use relations::RelationRules;
pub use roles::RoleRules;

/// Extracts claims from documents; cheap to share across threads.
#[derive(Debug, Clone, Default)]
pub struct ClaimExtractor {
    lexicon: Lexicon,
    relations: RelationRules,
    roles: RoleRules,
    events: EventRules,
    metonymy: Metonymy,
}

impl ClaimExtractor {
    pub fn new(lexicon: Lexicon) -> Self {
        ClaimExtractor {
            lexicon,
            relations: RelationRules::default(),
            roles: RoleRules::default(),
            events: EventRules::default(),
            metonymy: Metonymy::default(),
        }
    }

    /// Replaces the relation cues with those of a `relations.toml` text.
    pub fn with_relation_rules(mut self, relations_toml: &str) -> Result<Self, LexiconError> {
        self.relations = RelationRules::from_toml(relations_toml)?;
        Ok(self)
    }

    /// Replaces the event cues with those of an `events.toml` text.
    pub fn with_event_rules(mut self, events_toml: &str) -> Result<Self, LexiconError> {
        self.events = EventRules::from_toml(events_toml)?;
        Ok(self)
    }

    /// Replaces the capitals of a `metonymy.toml` text.
    pub fn with_metonymy(mut self, metonymy_toml: &str) -> Result<Self, LexiconError> {
        self.metonymy = Metonymy::from_toml(metonymy_toml)?;
        Ok(self)
    }

    pub fn extract(&self, input: &ClaimInput<'_>) -> Claims {
        // "Kabul's rulers" is the governing actor: rewrite the mentions once, first.
        let entities = self.metonymy.apply(input.text, input.entities);
        let input = &ClaimInput {
            entities: &entities,
            ..*input
        };
        // One sentence split and one token pass, shared by every rule.
        let layout = sentences::Layout::new(input.text);
        let doc = relations::DocEntities::with_paragraphs(
            input.text,
            input.entities,
            layout.paragraphs.clone(),
        );
        let tokens = tokens::Tokens::new(input.text, &doc.ents);
        let (relations, diagnostics) = relations::extract(
            &self.relations,
            &self.metonymy,
            &self.lexicon,
            input,
            &doc,
            &tokens,
            &layout.sentences,
        );
        // Titles and appositions ("Interior Minister X", "X, a fellow at Y"), after the
        // verb rules so a relation they already state is not emitted twice.
        let mut relations = relations;
        let roles = roles::extract(&self.roles, input.doc, &doc, &layout.sentences, &relations);
        relations.extend(roles);
        let mut claims = Claims {
            figures: figures::extract_with(&self.lexicon, input, &tokens, &layout),
            relations,
            events: events::extract(
                &self.events,
                &self.lexicon,
                input,
                &doc,
                &tokens,
                &layout.sentences,
            ),
            diagnostics: Vec::new(),
        };
        claims.diagnostics.extend(diagnostics);
        claims
    }
}
