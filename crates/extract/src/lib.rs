//! The extraction pipeline: entities first, then claims.
//!
//! [`Pipeline::analyze`] takes one document's clean text and returns an
//! [`Analysis`]: entity mentions (registry aliases, names the text defines, and
//! discovered actors), the discovered entities themselves, the aliases the text
//! taught us, then the figures, relations and events of the claims stage.
//!
//! Entity stage, in order:
//! 1. tokenize (`dossier_registry::tokenize`) and look every alias up in the
//!    registry's index — longest match, transliteration-tolerant;
//! 2. discovery rules propose new names (`discover`);
//! 3. a document-local alias index built from those proposals (acronyms,
//!    surnames, aka names) is matched over the text too;
//! 4. overlapping matches resolve to the longest; names several entities share
//!    go to the candidate the rest of the document supports most.
//!
//! The pipeline holds no I/O and no mutable state: it can run on many threads.

mod discover;
mod lexicon;

pub use discover::{initials_fit, is_acronym};
pub use lexicon::DiscoveryLexicon;

use discover::{Discoverer, Proposal, Target};
use dossier_claims::{ClaimExtractor, ClaimInput, EntitySpan};
use dossier_model::{Analysis, Entity, EntityType, LearnedAlias, Mention};
use dossier_registry::{slug, AliasIndex, AliasMatch, Registry, Token};
use std::collections::HashMap;

/// Rule name of mentions nested inside a longer mention; the claims stage sees only
/// the outer one.
const NESTED_RULE: &str = "registry-nested";
/// A leader's possessive with a governing noun ("Ghani's government"): overlaps the
/// person's own mention, so like nested mentions it is not handed to the claims stage.
const LEADER_GOVERNMENT_RULE: &str = "leader-government";

/// The configured extraction pipeline.
#[derive(Debug, Clone)]
pub struct Pipeline {
    registry: Registry,
    lexicon: DiscoveryLexicon,
    claims: ClaimExtractor,
}

/// An entity known in one document: a registry entity or a discovered one.
#[derive(Debug, Clone)]
struct LocalEntity {
    registry: Option<u32>,
    id: String,
    canonical: String,
    entity_type: EntityType,
    rule: &'static str,
}

impl Pipeline {
    pub fn new(registry: Registry) -> Self {
        Pipeline {
            registry,
            lexicon: DiscoveryLexicon::builtin(),
            claims: ClaimExtractor::default(),
        }
    }

    pub fn with_lexicon(mut self, lexicon: DiscoveryLexicon) -> Self {
        self.lexicon = lexicon;
        self
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Analyze one document. Never fails: odd text yields diagnostics.
    pub fn analyze(&self, doc: &str, text: &str, published: Option<&str>) -> Analysis {
        let mut analysis = self.entities(doc, text);
        let spans: Vec<EntitySpan> = analysis
            .mentions
            .iter()
            .filter(|m| m.rule != NESTED_RULE && m.rule != LEADER_GOVERNMENT_RULE)
            .map(|m| EntitySpan {
                start: m.start,
                end: m.end,
                id: m.entity.clone(),
                entity_type: self.entity_type(&m.entity, &analysis.discovered),
            })
            .collect();
        let claims = self.claims.extract(&ClaimInput {
            doc,
            text,
            published,
            entities: &spans,
        });
        analysis.figures = claims.figures;
        analysis.relations = claims.relations;
        analysis.events = claims.events;
        analysis.diagnostics.extend(claims.diagnostics);
        analysis
    }

    fn entity_type(&self, id: &str, discovered: &[Entity]) -> EntityType {
        self.registry
            .get(id)
            .or_else(|| discovered.iter().find(|e| e.id == id))
            .map_or(EntityType::Other, |e| e.entity_type)
    }

    /// The entity stage alone: mentions, discovered entities, learned aliases.
    pub fn entities(&self, doc: &str, text: &str) -> Analysis {
        let tokens = dossier_registry::tokenize(text);
        let hits = self.registry.index().find(&tokens);
        let single: Vec<Option<u32>> = hits.iter().map(|h| self.single_entity(h)).collect();
        // Unambiguous mentions per entity: the context that decides ambiguous ones.
        let mut support: HashMap<u32, usize> = HashMap::new();
        if single.iter().any(Option::is_none) {
            for e in single.iter().flatten() {
                *support.entry(*e).or_default() += 1;
            }
        }
        let hit_entities: Vec<(u32, EntityType)> = hits
            .iter()
            .zip(&single)
            .map(|(h, one)| {
                let e = one.unwrap_or_else(|| self.choose(h, &support));
                (e, self.registry.entity(e).entity_type)
            })
            .collect();
        let flags = self.lexicon.flags(text, &tokens);
        let proposals = Discoverer {
            lex: &self.lexicon,
            text,
            tokens: &tokens,
            hits: &hits,
            hit_entities: &hit_entities,
            flags: &flags,
        }
        .run();

        let (locals, local_index) = self.local_index(text, &tokens, &proposals);
        let local_hits = local_index.find(&tokens);

        let mut analysis = Analysis::default();
        let chosen = merge_hits(&hits, &local_hits);
        let mut used_locals = vec![false; locals.len()];
        for (from_registry, k) in chosen {
            let (m, id, rule) = if from_registry {
                let h = &hits[k];
                let e = hit_entities[k].0;
                (
                    h,
                    self.registry.entity(e).id.clone(),
                    if h.fuzzy {
                        "registry-variant"
                    } else {
                        "registry"
                    },
                )
            } else {
                let h = &local_hits[k];
                let l = local_index.entry(h.entries[0]).entity as usize;
                used_locals[l] = true;
                (h, locals[l].id.clone(), locals[l].rule)
            };
            analysis.mentions.push(Mention {
                doc: doc.to_string(),
                entity: id,
                start: m.start,
                end: m.end,
                text: text[m.start..m.end].to_string(),
                rule: rule.to_string(),
            });
            if from_registry {
                if let Some((led, end)) = self.leader_government(text, hit_entities[k].0, m.end) {
                    analysis.mentions.push(Mention {
                        doc: doc.to_string(),
                        entity: led,
                        start: m.start,
                        end,
                        text: text[m.start..end].to_string(),
                        rule: LEADER_GOVERNMENT_RULE.to_string(),
                    });
                }
                if let Some(inner) = self.possessor(text, &tokens[m.first..m.last]) {
                    analysis.mentions.push(Mention {
                        doc: doc.to_string(),
                        entity: inner.0,
                        start: inner.1,
                        end: inner.2,
                        text: text[inner.1..inner.2].to_string(),
                        rule: NESTED_RULE.to_string(),
                    });
                }
            }
        }
        // Discovered entities the text actually mentions (registry ones exist already).
        for (l, local) in locals.iter().enumerate() {
            if used_locals[l] && local.registry.is_none() {
                analysis.discovered.push(Entity {
                    id: local.id.clone(),
                    canonical: local.canonical.clone(),
                    entity_type: local.entity_type,
                    aliases: Vec::new(),
                    country: None,
                    lat: None,
                    lon: None,
                    parent: None,
                    role: None,
                    discovered: true,
                });
            }
        }
        // Aliases the text defined: an acronym or aka name for a known entity.
        for p in &proposals {
            let ranges: Vec<(usize, usize)> = match &p.target {
                Target::Registry(_) => vec![(p.first, p.last)],
                Target::New { .. } => p.also.clone(),
            };
            let Some(id) = self.proposal_id(p) else {
                continue;
            };
            for (a, b) in ranges {
                let (start, end) = (tokens[a].start, tokens[b - 1].end);
                let alias = &text[start..end];
                let known = self
                    .registry
                    .get(&id)
                    .is_some_and(|e| e.canonical == alias || e.aliases.iter().any(|x| x == alias));
                if !known {
                    analysis.learned_aliases.push(LearnedAlias {
                        entity: id.clone(),
                        alias: alias.to_string(),
                        doc: doc.to_string(),
                        start,
                        end,
                    });
                }
            }
        }
        analysis.discovered.sort_by(|a, b| a.id.cmp(&b.id));
        analysis.discovered.dedup_by(|a, b| a.id == b.id);
        for d in &mut analysis.discovered {
            let mut aliases: Vec<String> = analysis
                .learned_aliases
                .iter()
                .filter(|l| l.entity == d.id)
                .map(|l| l.alias.clone())
                .collect();
            aliases.sort();
            aliases.dedup();
            d.aliases = aliases;
        }
        analysis
    }

    /// A person named in possessive form inside a longer registry name ("Ashraf
    /// Ghani’s government"): the person is mentioned too.
    /// "Ashraf Ghani's government": a registry person who `leads` something, then a
    /// possessive and a governing noun, is also a mention of what the person leads,
    /// spanning name and noun. Returns the led entity's id and the span's end.
    fn leader_government(&self, text: &str, person: u32, end: usize) -> Option<(String, usize)> {
        let info = self.registry.info(person);
        let led = info.leads.as_deref()?;
        if self.registry.entity(person).entity_type != EntityType::Person {
            return None;
        }
        let after = &text[end..];
        // The match may already hold the possessive (the tokenizer folds it away).
        let own = text[..end].ends_with("’s") || text[..end].ends_with("'s");
        let rest = if own {
            after
        } else {
            after
                .strip_prefix("’s")
                .or_else(|| after.strip_prefix("'s"))?
        }
        .strip_prefix(' ')?;
        let word_len = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let word = &rest[..word_len];
        if !self.lexicon.leader_governments.contains(word) {
            return None;
        }
        let led = self.registry.get(led)?;
        Some((led.id.clone(), text.len() - rest.len() + word_len))
    }

    fn possessor(&self, text: &str, toks: &[Token]) -> Option<(String, usize, usize)> {
        let index = self.registry.index();
        for k in 0..toks.len().saturating_sub(1) {
            let after = &text[toks[k].end..];
            if !(after.starts_with("’s") || after.starts_with("'s")) {
                continue;
            }
            let m = index.longest_at(&toks[..=k], 0)?;
            if m.last != k + 1 {
                return None;
            }
            let e = self.registry.entity(index.entry(m.entries[0]).entity);
            return (e.entity_type == EntityType::Person).then(|| (e.id.clone(), m.start, m.end));
        }
        None
    }

    fn proposal_id(&self, p: &Proposal) -> Option<String> {
        match &p.target {
            Target::Registry(e) => Some(self.registry.entity(*e).id.clone()),
            Target::New { canonical, .. } => {
                let id = slug(canonical);
                (!id.is_empty()).then_some(id)
            }
        }
    }

    /// Among the candidates of a registry match, the one the document supports most:
    /// unambiguous mentions of the same entity elsewhere, then the registry prior.
    fn choose(&self, hit: &AliasMatch, support: &HashMap<u32, usize>) -> u32 {
        let index = self.registry.index();
        let mut candidates: Vec<u32> = hit.entries.iter().map(|&e| index.entry(e).entity).collect();
        candidates.sort_unstable();
        candidates.dedup();
        let support = |c: u32| support.get(&c).copied().unwrap_or(0);
        let Some((&first, rest)) = candidates.split_first() else {
            return 0;
        };
        let mut best = first;
        let mut best_key = (support(best), self.registry.info(best).prior);
        for &c in rest {
            let key = (support(c), self.registry.info(c).prior);
            if key.0 > best_key.0 || (key.0 == best_key.0 && key.1 > best_key.1) {
                best = c;
                best_key = key;
            }
        }
        best
    }

    /// The entity of a match whose entries all name one entity (nearly all do).
    fn single_entity(&self, hit: &AliasMatch) -> Option<u32> {
        let index = self.registry.index();
        let first = index.entry(*hit.entries.first()?).entity;
        hit.entries
            .iter()
            .all(|&e| index.entry(e).entity == first)
            .then_some(first)
    }

    /// Build the document-local alias index from discovery proposals.
    fn local_index(
        &self,
        text: &str,
        tokens: &[Token],
        proposals: &[Proposal],
    ) -> (Vec<LocalEntity>, AliasIndex) {
        let mut locals: Vec<LocalEntity> = Vec::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut index = AliasIndex::new();
        for p in proposals {
            let Some(id) = self.proposal_id(p) else {
                continue;
            };
            let l = *by_id.entry(id.clone()).or_insert_with(|| {
                let (canonical, entity_type, registry) = match &p.target {
                    Target::Registry(e) => {
                        let ent = self.registry.entity(*e);
                        (ent.canonical.clone(), ent.entity_type, Some(*e))
                    }
                    Target::New {
                        canonical,
                        entity_type,
                    } => (canonical.clone(), *entity_type, None),
                };
                locals.push(LocalEntity {
                    registry,
                    id,
                    canonical,
                    entity_type,
                    rule: p.rule,
                });
                locals.len() - 1
            });
            let name = |a: usize, b: usize| &text[tokens[a].start..tokens[b - 1].end];
            let mut names = vec![(p.first, p.last)];
            names.extend(p.also.iter().copied());
            for (a, b) in names {
                let n = name(a, b);
                index.add(l as u32, n, discover::is_acronym(n), false, 1.0);
            }
            // A person is later referred to by surname alone ("Peritz said").
            if locals[l].entity_type == EntityType::Person && p.last - p.first >= 2 {
                let s = name(p.last - 1, p.last);
                if s.len() >= 4
                    && self.registry.lookup(s).is_empty()
                    && !self.lexicon.stop_words.contains(s)
                {
                    index.add(l as u32, s, true, false, 0.5);
                }
            }
        }
        (locals, index)
    }
}

/// Merge registry and local matches: longest wins; on equal spans the registry wins.
/// Returns (is_registry, index) in text order, non-overlapping. Linear in the number
/// of tokens: occupancy is tracked per token.
fn merge_hits(registry: &[AliasMatch], local: &[AliasMatch]) -> Vec<(bool, usize)> {
    let mut all: Vec<(usize, usize, bool, usize)> = registry
        .iter()
        .enumerate()
        .map(|(k, h)| (h.first, h.last, true, k))
        .chain(
            local
                .iter()
                .enumerate()
                .map(|(k, h)| (h.first, h.last, false, k)),
        )
        .collect();
    // Longest first, then leftmost, then registry before local.
    all.sort_by(|a, b| {
        (b.1 - b.0)
            .cmp(&(a.1 - a.0))
            .then(a.0.cmp(&b.0))
            .then(b.2.cmp(&a.2))
    });
    let tokens = all.iter().map(|h| h.1).max().unwrap_or(0);
    let mut taken = vec![false; tokens];
    let mut out = Vec::new();
    for (first, last, reg, k) in all {
        if taken[first..last].iter().any(|&t| t) {
            continue;
        }
        taken[first..last].iter_mut().for_each(|t| *t = true);
        out.push((first, reg, k));
    }
    out.sort_unstable();
    out.into_iter().map(|(_, reg, k)| (reg, k)).collect()
}

#[cfg(test)]
mod tests;
