//! The names articles draw from: registry actors and places with the surface forms
//! that resolve to them unambiguously, plus invented groups and persons.

use crate::phrases::Phrases;
use crate::rng::Rng;
use dossier_model::EntityType;
use dossier_registry::Registry;

/// A registry entity and the ways an article may write it (the canonical name first).
#[derive(Debug, Clone)]
pub struct Named {
    pub id: String,
    pub forms: Vec<String>,
}

/// Registry entities sorted into the roles templates ask for.
#[derive(Debug, Clone, Default)]
pub struct Pools {
    pub groups: Vec<Named>,
    pub states: Vec<Named>,
    pub sources: Vec<Named>,
    pub places: Vec<Named>,
}

/// Countries whose actors and places a regional article is about.
const REGION: [&str; 2] = ["PK", "AF"];

impl Pools {
    pub fn from_registry(reg: &Registry) -> Pools {
        let mut pools = Pools::default();
        for (idx, e) in reg.entities().iter().enumerate() {
            let regional = e.country.as_deref().is_none_or(|c| REGION.contains(&c));
            let strictly_regional = e.country.as_deref().is_some_and(|c| REGION.contains(&c));
            use EntityType as T;
            let pool = match e.entity_type {
                T::ArmedGroup | T::Faction if regional => &mut pools.groups,
                T::GovernmentBody | T::Military | T::IntelligenceAgency if strictly_regional => {
                    &mut pools.states
                }
                T::Country if strictly_regional => &mut pools.states,
                T::ResearchOrg | T::InternationalOrg | T::Media => &mut pools.sources,
                T::Province | T::District | T::City if strictly_regional => &mut pools.places,
                _ => continue,
            };
            let forms = unambiguous_forms(reg, idx as u32);
            if !forms.is_empty() {
                pool.push(Named {
                    id: e.id.clone(),
                    forms,
                });
            }
        }
        pools
    }

    pub fn is_usable(&self) -> bool {
        !(self.groups.len() < 4
            || self.states.is_empty()
            || self.sources.is_empty()
            || self.places.len() < 3)
    }
}

/// Names of entity `idx` that the registry resolves to it alone: the generator
/// must know which entity it planted, so shared or ambiguous names are left out.
fn unambiguous_forms(reg: &Registry, idx: u32) -> Vec<String> {
    let e = reg.entity(idx);
    let shared = &reg.info(idx).shared;
    std::iter::once(&e.canonical)
        .chain(e.aliases.iter())
        .filter(|f| f.chars().count() >= 3 && !shared.contains(f))
        .filter(|f| reg.lookup(f) == [idx])
        .cloned()
        .collect()
}

/// Apply one transliteration variant that fits `name` ("Tehrik-i-" → "Tehreek-e-"),
/// if the registry still resolves the result to the same entity.
pub fn variant_of(name: &str, phrases: &Phrases, rng: &mut Rng) -> Option<String> {
    let fitting: Vec<(&str, &str)> = phrases
        .variant
        .iter()
        .flat_map(|(a, b)| [(a.as_str(), b.as_str()), (b.as_str(), a.as_str())])
        .filter(|(from, _)| name.contains(from))
        .collect();
    let (from, to) = rng.pick(&fitting)?;
    Some(name.replacen(from, to, 1))
}

/// An invented group with its acronym, checked against the registry so that the
/// pipeline can only find it through discovery.
pub fn invent_group(reg: &Registry, phrases: &Phrases, rng: &mut Rng) -> Option<(String, String)> {
    for _ in 0..8 {
        let a = rng.pick(&phrases.new_word)?;
        let b = rng.pick(&phrases.new_word)?;
        let head = rng.pick(&phrases.new_head)?;
        if a == b {
            continue;
        }
        let name = format!("{a} {b} {head}");
        let abbr: String = [a, b, head]
            .iter()
            .filter_map(|w| w.chars().next())
            .collect();
        if reg.lookup(&name).is_empty() && reg.lookup(&abbr).is_empty() {
            return Some((name, abbr));
        }
    }
    None
}

/// An invented person: (title, name).
pub fn invent_person(phrases: &Phrases, rng: &mut Rng) -> Option<(String, String)> {
    let title = rng.pick(&phrases.title)?;
    let given = rng.pick(&phrases.given)?;
    let surname = rng.pick(&phrases.surname)?;
    Some((title.clone(), format!("{given} {surname}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_registry_fills_every_pool_with_unambiguous_names() {
        let reg = Registry::builtin().expect("registry");
        let pools = Pools::from_registry(&reg);
        assert!(pools.is_usable(), "{pools:?}");
        let ttp = pools.groups.iter().find(|g| g.id == "ttp").expect("ttp");
        assert!(ttp.forms.iter().any(|f| f == "TTP"));
        for n in pools.groups.iter().chain(&pools.places) {
            for f in &n.forms {
                assert_eq!(reg.lookup(f).len(), 1, "{f}");
            }
        }
    }

    #[test]
    fn variants_swap_transliterations_both_ways() {
        let p = Phrases::builtin().expect("phrases");
        let mut rng = Rng::stream(1, 1, 1);
        assert_eq!(
            variant_of("Tehrik-i-Taliban Pakistan", &p, &mut rng).as_deref(),
            Some("Tehreek-e-Taliban Pakistan")
        );
        assert_eq!(
            variant_of("Noor Wali Mahsud", &p, &mut rng).as_deref(),
            Some("Noor Wali Mehsud")
        );
        assert_eq!(variant_of("Haqqani network", &p, &mut rng), None);
    }

    #[test]
    fn invented_groups_are_unknown_to_the_registry_and_abbreviate_their_name() {
        let reg = Registry::builtin().expect("registry");
        let p = Phrases::builtin().expect("phrases");
        let mut rng = Rng::stream(3, 0, 0);
        let (name, abbr) = invent_group(&reg, &p, &mut rng).expect("a group");
        assert!(reg.lookup(&name).is_empty());
        assert_eq!(abbr.len(), 3);
        assert!(name
            .split(' ')
            .zip(abbr.chars())
            .all(|(w, c)| w.starts_with(c)));
    }
}
