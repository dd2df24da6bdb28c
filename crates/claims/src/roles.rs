//! Role and title relations: a person's title before the name ("Pakistani Interior
//! Minister X", "TTP chief X") or in an apposition after it ("X, a senior fellow at
//! Y", "X, Chief of the Army Staff") states that the person leads or belongs to an
//! organisation.
//!
//! The organisation named in the phrase wins; a title that implies a state body
//! without naming it ("Interior Minister") resolves through `[[implied]]` of
//! `data/claims/roles.toml` by the country of the phrase ("Pakistani",
//! "Afghanistan's"), else the document's most mentioned country.
//!
//! One pass over the person mentions: each looks at a few words to its left and
//! to its right, matched word by word against hash sets (no regex per role).

use crate::relations::DocEntities;
use crate::{EntitySpan, LexiconError};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use dossier_model::{EntityType, Relation, RelationType, Span, Stance};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

const ROLES_TOML: &str = include_str!("../../../data/claims/roles.toml");
/// The actor registry, read here only for the countries of its people: "Interior
/// Minister X" is the minister of X's own country when the phrase names none.
const ACTORS_TOML: &str = include_str!("../../../data/actors.toml");

/// How far (bytes) a title may reach left of a name or an apposition right of it.
const LEFT_REACH: usize = 80;
const RIGHT_REACH: usize = 200;

pub const RULE_TITLE: &str = "relation:role-title";
pub const RULE_APPOSITION: &str = "relation:role-apposition";
pub const RULE_AS: &str = "relation:role-as";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RolesFile {
    modifiers: Vec<String>,
    demote: Vec<String>,
    honorifics: Vec<String>,
    articles: Vec<String>,
    stops: Vec<String>,
    #[serde(default)]
    group_nouns: Vec<String>,
    #[serde(default)]
    org_adjectives: Vec<String>,
    led_by: Vec<String>,
    topic_roles: Vec<String>,
    as_cues: Vec<String>,
    connectors: Vec<String>,
    max_descriptors: usize,
    country: Vec<CountryFile>,
    role: Vec<RoleFile>,
    implied: Vec<ImpliedFile>,
}

/// The fields of a registry actor this stage reads; the rest is the registry's.
#[derive(Deserialize)]
struct RegistryActor {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    country: Option<String>,
}

#[derive(Deserialize)]
struct RegistryFile {
    #[serde(default)]
    actor: Vec<RegistryActor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryFile {
    code: String,
    id: String,
    words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleFile {
    relation: String,
    words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImpliedFile {
    relation: String,
    words: Vec<String>,
    org: HashMap<String, String>,
}

/// What a role phrase means.
#[derive(Debug, Clone, Default)]
struct RoleMeaning {
    relation: Option<RelationType>,
    /// Country code → organisation id, for titles that imply their organisation.
    implied: HashMap<String, String>,
}

/// The role and title cues of `roles.toml`.
#[derive(Debug, Clone)]
pub struct RoleRules {
    modifiers: HashSet<String>,
    demote: HashSet<String>,
    honorifics: HashSet<String>,
    articles: HashSet<String>,
    stops: HashSet<String>,
    /// "the group's leader": nouns that, before a possessive, stand for the group
    /// named before.
    group_nouns: HashSet<String>,
    /// "a spokesman for the banned TTP": words between a connector and the
    /// organisation.
    org_adjectives: HashSet<String>,
    led_by: HashSet<String>,
    topic_roles: HashSet<String>,
    connectors: HashSet<String>,
    max_descriptors: usize,
    /// Country word → country code.
    country_words: HashMap<String, String>,
    /// Country entity id → country code.
    country_ids: HashMap<String, String>,
    /// Role phrase (lowercase words joined by one space) → meaning.
    phrases: HashMap<String, RoleMeaning>,
    max_phrase_words: usize,
    /// Person id → country code, from the registry.
    person_countries: HashMap<String, String>,
    /// Every word that can stand right before a name in a title: the last words of
    /// the role phrases, the honorifics and `led_by`. A cheap gate before tokenizing.
    last_words: HashSet<String>,
    /// "served as", "his time as": a role the nearest person held.
    as_cues: Option<AhoCorasick>,
}

fn invalid(message: String) -> LexiconError {
    LexiconError::Invalid {
        file: "roles.toml".into(),
        message,
    }
}

fn lower_set(words: Vec<String>) -> HashSet<String> {
    words.into_iter().map(|w| w.to_lowercase()).collect()
}

/// Lowercase words of a phrase joined by single spaces: the lookup key.
fn key_of(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

impl RoleRules {
    pub fn from_toml(source: &str) -> Result<Self, LexiconError> {
        let raw: RolesFile = toml::from_str(source).map_err(|e| invalid(e.to_string()))?;
        let mut rules = RoleRules {
            modifiers: lower_set(raw.modifiers),
            demote: lower_set(raw.demote),
            honorifics: lower_set(raw.honorifics),
            articles: lower_set(raw.articles),
            stops: lower_set(raw.stops),
            group_nouns: lower_set(raw.group_nouns),
            org_adjectives: lower_set(raw.org_adjectives),
            led_by: lower_set(raw.led_by),
            topic_roles: lower_set(raw.topic_roles),
            connectors: lower_set(raw.connectors),
            max_descriptors: raw.max_descriptors,
            ..RoleRules::empty()
        };
        for c in raw.country {
            for w in c.words {
                rules.country_words.insert(w.to_lowercase(), c.code.clone());
            }
            rules.country_ids.insert(c.id, c.code);
        }
        let parse = |r: &str| -> Result<RelationType, LexiconError> {
            let t: RelationType = r.parse().map_err(invalid)?;
            if matches!(t, RelationType::Leads | RelationType::MemberOf) {
                Ok(t)
            } else {
                Err(invalid(format!(
                    "role relation `{r}` is not leads or member_of"
                )))
            }
        };
        for r in raw.role {
            let t = parse(&r.relation)?;
            for w in r.words {
                let key = key_of(&w);
                rules
                    .phrases
                    .entry(key)
                    .or_default()
                    .relation
                    .get_or_insert(t);
            }
        }
        for imp in raw.implied {
            let t = parse(&imp.relation)?;
            for w in imp.words {
                let m = rules.phrases.entry(key_of(&w)).or_default();
                // An implied organisation comes with its own relation.
                m.relation = Some(t);
                m.implied.extend(imp.org.clone());
            }
        }
        if rules.phrases.keys().any(String::is_empty) {
            return Err(invalid("empty role phrase".into()));
        }
        if !raw.as_cues.is_empty() {
            let ac = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&raw.as_cues)
                .map_err(|e| invalid(e.to_string()))?;
            rules.as_cues = Some(ac);
        }
        rules.last_words = rules
            .phrases
            .keys()
            .filter_map(|k| k.rsplit(' ').next())
            .chain(rules.honorifics.iter().map(String::as_str))
            .chain(rules.led_by.iter().map(String::as_str))
            .map(str::to_string)
            .collect();
        rules.max_phrase_words = rules
            .phrases
            .keys()
            .map(|k| k.split(' ').count())
            .max()
            .unwrap_or(0);
        Ok(rules)
    }
}

impl Default for RoleRules {
    /// The embedded `data/claims/roles.toml`; no rules if it were broken (a unit test
    /// keeps it valid), so a bad build never panics on user data.
    fn default() -> Self {
        let mut rules = RoleRules::from_toml(ROLES_TOML).unwrap_or_else(|_| RoleRules::empty());
        // Without the people's countries the document's country still decides.
        let _ = rules.set_registry(ACTORS_TOML);
        rules
    }
}

impl RoleRules {
    /// Takes the countries of the people of an `actors.toml` registry text.
    pub fn set_registry(&mut self, actors_toml: &str) -> Result<(), LexiconError> {
        let raw: RegistryFile = toml::from_str(actors_toml).map_err(|e| invalid(e.to_string()))?;
        self.person_countries = raw
            .actor
            .into_iter()
            .filter(|a| a.kind == "person")
            .filter_map(|a| Some((a.id, a.country?)))
            .collect();
        Ok(())
    }

    fn empty() -> Self {
        RoleRules {
            modifiers: HashSet::new(),
            demote: HashSet::new(),
            honorifics: HashSet::new(),
            articles: HashSet::new(),
            stops: HashSet::new(),
            group_nouns: HashSet::new(),
            org_adjectives: HashSet::new(),
            led_by: HashSet::new(),
            topic_roles: HashSet::new(),
            connectors: HashSet::new(),
            max_descriptors: 0,
            country_words: HashMap::new(),
            country_ids: HashMap::new(),
            phrases: HashMap::new(),
            max_phrase_words: 0,
            person_countries: HashMap::new(),
            last_words: HashSet::new(),
            as_cues: None,
        }
    }
}

/// A word or an entity mention of a short window of text.
#[derive(Debug)]
struct Tok<'e> {
    /// Lowercase word; punctuation tokens are the punctuation itself; "" for entities.
    w: String,
    start: usize,
    end: usize,
    ent: Option<&'e EntitySpan>,
    /// The word starts with a capital letter in the text.
    cap: bool,
}

impl Tok<'_> {
    fn is(&self, set: &HashSet<String>) -> bool {
        self.ent.is_none() && set.contains(&self.w)
    }
    fn is_punct(&self) -> bool {
        self.ent.is_none()
            && matches!(
                self.w.as_str(),
                "," | ";" | ":" | "(" | ")" | "\"" | "—" | "–"
            )
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Splits `lo..hi` into words, punctuation and the entity mentions in it.
fn tokenize<'e>(text: &str, lo: usize, hi: usize, ents: &'e [EntitySpan]) -> Vec<Tok<'e>> {
    let mut out = Vec::new();
    let mut pos = lo;
    let push_words = |a: usize, b: usize, out: &mut Vec<Tok<'e>>| {
        let Some(s) = text.get(a..b) else { return };
        for piece in s.split_whitespace() {
            // `piece` is a subslice of `s`: its offset is the pointer difference.
            let st = a + (piece.as_ptr() as usize - s.as_ptr() as usize);
            split_word(piece, st, out);
        }
    };
    for e in ents {
        if e.start < pos || e.end > hi {
            continue;
        }
        push_words(pos, e.start, &mut out);
        out.push(Tok {
            w: String::new(),
            start: e.start,
            end: e.end,
            ent: Some(e),
            cap: false,
        });
        pos = e.end;
    }
    push_words(pos, hi, &mut out);
    out
}

/// One whitespace-free piece: leading/trailing punctuation become their own tokens,
/// "then-" and "ex-" prefixes their own words.
fn split_word(piece: &str, start: usize, out: &mut Vec<Tok<'_>>) {
    const PUNCT: &[char] = &[',', ';', ':', '(', ')', '"', '“', '”', '—', '–'];
    let mut s = piece;
    let mut st = start;
    while let Some(c) = s.chars().next().filter(|c| PUNCT.contains(c)) {
        out.push(Tok {
            w: c.to_string(),
            start: st,
            end: st + c.len_utf8(),
            ent: None,
            cap: false,
        });
        s = &s[c.len_utf8()..];
        st += c.len_utf8();
    }
    let mut trail = Vec::new();
    while let Some(c) = s.chars().next_back().filter(|c| PUNCT.contains(c)) {
        let n = s.len() - c.len_utf8();
        trail.push(Tok {
            w: c.to_string(),
            start: st + n,
            end: st + s.len(),
            ent: None,
            cap: false,
        });
        s = &s[..n];
    }
    if !s.is_empty() {
        let lower = s.to_lowercase();
        let prefix = ["then-", "ex-"]
            .into_iter()
            .find(|p| lower.len() > p.len() && lower.starts_with(p));
        if let Some(p) = prefix {
            out.push(Tok {
                w: p.trim_end_matches('-').to_string(),
                start: st,
                end: st + p.len(),
                ent: None,
                cap: false,
            });
            out.push(Tok {
                w: lower[p.len()..].to_string(),
                start: st + p.len(),
                end: st + s.len(),
                ent: None,
                cap: false,
            });
        } else {
            out.push(Tok {
                w: lower,
                start: st,
                end: st + s.len(),
                ent: None,
                cap: s.starts_with(char::is_uppercase),
            });
        }
    }
    out.extend(trail.into_iter().rev());
}

/// Armed groups and factions: the topic of an expert, rarely the employer.
fn is_armed(t: EntityType) -> bool {
    matches!(t, EntityType::ArmedGroup | EntityType::Faction)
}

/// An organisation a person can lead or belong to.
fn is_org(t: EntityType) -> bool {
    t.is_actor() && t != EntityType::Person
}

/// What a role phrase found in the text says.
struct Found<'e> {
    relation: RelationType,
    meaning: &'e RoleMeaning,
    org: Option<&'e str>,
    country: Option<String>,
    /// The phrase names a country without a code here ("Iranian", "India's"): only
    /// a named organisation may be the target.
    foreign: bool,
    /// Found by "the ministry under X": X's possessive ("under X's government")
    /// makes X no head of it.
    under: bool,
    start: usize,
    end: usize,
}

impl RoleRules {
    /// The meaning of a role phrase; a sentence's full stop may end its last word.
    fn lookup(&self, key: &str) -> Option<&RoleMeaning> {
        self.phrases.get(key).or_else(|| {
            key.strip_suffix(['.', '!', '?'])
                .and_then(|k| self.phrases.get(k))
        })
    }

    /// Whether the last word of `left` can end a title: a role's last word, an
    /// honorific or "under" (a "then-" or "ex-" prefix aside).
    fn may_end_a_title(&self, left: &str) -> bool {
        let Some(word) = left.trim_end().rsplit(char::is_whitespace).next() else {
            return false;
        };
        let word = word.trim_start_matches(['(', '"', '“']);
        let word = word
            .rsplit_once('-')
            .filter(|(p, _)| p.eq_ignore_ascii_case("then") || p.eq_ignore_ascii_case("ex"))
            .map_or(word, |(_, w)| w);
        !word.is_empty() && self.last_words.contains(&word.to_lowercase())
    }

    /// The role phrase of `toks[..k]` ending at `k`, longest first: (words, meaning).
    fn phrase_ending(&self, toks: &[Tok<'_>], k: usize) -> Option<(usize, &RoleMeaning)> {
        let mut best = None;
        let mut key = String::new();
        for n in 1..=self.max_phrase_words.min(k) {
            let t = &toks[k - n];
            if t.ent.is_some() || t.is_punct() {
                break;
            }
            key = if n == 1 {
                t.w.clone()
            } else {
                format!("{} {key}", t.w)
            };
            if let Some(m) = self.lookup(&key) {
                best = Some((n, m));
            }
        }
        best
    }

    /// The role phrase of `toks` starting at `i`, longest first.
    fn phrase_starting(&self, toks: &[Tok<'_>], i: usize) -> Option<(usize, &RoleMeaning)> {
        let mut best = None;
        let mut key = String::new();
        for n in 1..=self.max_phrase_words.min(toks.len().saturating_sub(i)) {
            let t = &toks[i + n - 1];
            if t.ent.is_some() || t.is_punct() {
                break;
            }
            if n > 1 {
                key.push(' ');
            }
            key.push_str(&t.w);
            if let Some(m) = self.lookup(&key) {
                best = Some((n, m));
            }
        }
        best
    }

    /// A role whose organisation before it may be its subject: "Taliban expert".
    fn is_topic_role(&self, t: &Tok<'_>) -> bool {
        let w = t.w.trim_end_matches(['.', '!', '?']);
        self.topic_roles.contains(w)
    }

    fn country_of(&self, t: &Tok<'_>) -> Option<String> {
        match t.ent {
            Some(e) if e.entity_type == EntityType::Country => self.country_ids.get(&e.id).cloned(),
            Some(_) => None,
            None => self.country_words.get(&t.w).cloned(),
        }
    }

    /// "Pakistani Interior Minister X", "TTP chief Gen. X", "the ministry under X".
    fn title<'e>(&'e self, toks: &[Tok<'e>]) -> Option<Found<'e>> {
        let mut k = toks.len();
        let (n, meaning) = loop {
            if k == 0 {
                return None;
            }
            if let Some(hit) = self.phrase_ending(toks, k) {
                break hit;
            }
            let t = &toks[k - 1];
            if k >= 2 && t.is(&self.led_by) {
                let org = toks[k - 2].ent.filter(|e| is_org(e.entity_type))?;
                return Some(Found {
                    relation: RelationType::Leads,
                    meaning: EMPTY.get_or_init(RoleMeaning::default),
                    org: Some(&org.id),
                    country: None,
                    foreign: false,
                    under: true,
                    start: org.start,
                    end: t.end,
                });
            }
            if !t.is(&self.honorifics) {
                return None;
            }
            k -= 1;
        };
        let mut relation = meaning.relation?;
        let mut j = k - n;
        let mut org = None;
        let mut country = None;
        let mut foreign = false;
        let topic = self.is_topic_role(&toks[k - 1]);
        while j > 0 {
            let t = &toks[j - 1];
            if let Some(e) = t.ent {
                if is_org(e.entity_type) && org.is_none() && country.is_none() {
                    // "Taliban expert X" studies the Taliban; "CIA analyst X" works there.
                    if topic && is_armed(e.entity_type) {
                        return None;
                    }
                    org = Some(e.id.as_str());
                } else if let Some(c) = self.country_of(t) {
                    country.get_or_insert(c);
                } else {
                    foreign = e.entity_type.is_place();
                    break;
                }
                j -= 1;
                // Words left of the organisation or country describe it, not the role.
                if j > 0 && toks[j - 1].is(&self.modifiers) {
                    j -= 1;
                }
                break;
            }
            if t.is(&self.demote) {
                relation = RelationType::MemberOf;
            } else if let Some(c) = self.country_of(t) {
                country.get_or_insert(c);
            } else if !(t.is(&self.modifiers) || t.w == "'s" || t.w == "’s") {
                foreign = t.cap && !t.is(&self.articles);
                break;
            }
            j -= 1;
        }
        Some(Found {
            relation,
            meaning,
            org,
            country,
            foreign,
            under: false,
            start: toks[j.min(k - n)].start,
            end: toks[k - 1].end,
        })
    }

    /// "A spokesman for the banned TTP, X,": a role, a connector and the organisation,
    /// set off by commas before the name.
    fn role_of_org<'e>(&'e self, toks: &[Tok<'e>]) -> Option<Found<'e>> {
        let last = toks.last()?;
        let org = last.ent.filter(|e| is_org(e.entity_type))?;
        let mut j = toks.len() - 1;
        while j > 0
            && (toks[j - 1].is(&self.articles)
                || toks[j - 1].is(&self.modifiers)
                || toks[j - 1].is(&self.org_adjectives))
        {
            j -= 1;
        }
        if j == 0 || !toks[j - 1].is(&self.connectors) {
            return None;
        }
        let (n, meaning) = self.phrase_ending(toks, j - 1)?;
        let mut relation = meaning.relation?;
        let first = j - 1 - n;
        if first > 0 && toks[first - 1].is(&self.demote) {
            relation = RelationType::MemberOf;
        }
        if self.is_topic_role(&toks[j - 2]) && is_armed(org.entity_type) {
            return None;
        }
        Some(Found {
            relation,
            meaning,
            org: Some(&org.id),
            country: None,
            foreign: false,
            under: false,
            start: toks[first].start,
            end: last.end,
        })
    }

    /// "X, a former analyst at Y", "X (R-State), chair of Y", "X, Chief of the Army Staff".
    fn apposition<'e>(
        &'e self,
        toks: &[Tok<'e>],
        last_armed: Option<&'e str>,
    ) -> Option<Found<'e>> {
        let mut i = 0;
        // A parenthetical right after the name: "(R-Texas)".
        if toks.first().is_some_and(|t| t.w == "(") {
            i = toks.iter().take(8).position(|t| t.w == ")")? + 1;
        }
        if toks.get(i).is_none_or(|t| t.w != ",") {
            return None;
        }
        self.role_phrase(toks, i + 1, last_armed)
    }

    /// A noun phrase naming a role, from `toks[i]`: "a former CIA analyst", "chair of
    /// the House Committee", "Chief of the Army Staff".
    /// `last_armed`: the armed group named last before the person, which "the group's
    /// leader" / "its spokesman" refer back to.
    fn role_phrase<'e>(
        &'e self,
        toks: &[Tok<'e>],
        mut i: usize,
        last_armed: Option<&'e str>,
    ) -> Option<Found<'e>> {
        let start = toks.get(i)?.start;
        let mut org: Option<&str> = None;
        let mut country = None;
        let mut demoted = false;
        let mut foreign = false;
        let mut armed_before = false;
        let mut descriptors = 0;
        let (n, meaning) = loop {
            let t = toks.get(i)?;
            if let Some(e) = t.ent {
                if is_org(e.entity_type) {
                    org = Some(&e.id);
                    armed_before = is_armed(e.entity_type);
                } else if let Some(c) = self.country_of(t) {
                    country = Some(c);
                } else {
                    return None;
                }
                i += 1;
                continue;
            }
            // "X, the group's leader" / "X, its spokesman": the group named before.
            let group_possessive = t.ent.is_none()
                && t.w
                    .strip_suffix("'s")
                    .or_else(|| t.w.strip_suffix("’s"))
                    .is_some_and(|stem| self.group_nouns.contains(stem));
            if org.is_none() && (group_possessive || (t.ent.is_none() && t.w == "its")) {
                if let Some(g) = last_armed {
                    org = Some(g);
                    armed_before = true;
                    i += 1;
                    continue;
                }
            }
            // "X, the son of the group's founder": a role after "of" is another's.
            if t.is_punct() || t.is(&self.stops) || t.is(&self.connectors) {
                return None;
            }
            if let Some(hit) = self.phrase_starting(toks, i) {
                break hit;
            }
            if t.is(&self.demote) {
                demoted = true;
            } else if let Some(c) = self.country_of(t) {
                country = Some(c);
            } else if !(t.is(&self.articles) || t.is(&self.modifiers)) {
                foreign |= t.cap;
                descriptors += 1;
                if descriptors > self.max_descriptors {
                    return None;
                }
            }
            i += 1;
        };
        // A longer role ends later: "counterterrorism analyst" is one role.
        let mut end_i = i + n;
        let mut meaning = meaning;
        while let Some((m, mm)) = self.phrase_starting(toks, end_i) {
            end_i += m;
            meaning = mm;
        }
        // "Interior Minister X, Foreign Minister Y": a title of the next name.
        let mut next = end_i;
        while toks.get(next).is_some_and(|t| t.is(&self.honorifics)) {
            next += 1;
        }
        if toks
            .get(next)
            .and_then(|t| t.ent)
            .is_some_and(|e| e.entity_type == EntityType::Person)
        {
            return None;
        }
        if armed_before && self.is_topic_role(&toks[end_i - 1]) {
            return None;
        }
        let mut relation = meaning.relation?;
        if demoted {
            relation = RelationType::MemberOf;
        }
        // "… of the Foreign Affairs Committee", "… at USIP", "… of Pakistan".
        if toks.get(end_i).is_some_and(|t| t.is(&self.connectors)) {
            let mut j = end_i + 1;
            if toks.get(j).is_some_and(|t| t.w == "the") {
                j += 1;
            }
            if let Some(t) = toks.get(j) {
                match t.ent {
                    Some(e) if is_org(e.entity_type) => {
                        org = Some(&e.id);
                        end_i = j + 1;
                    }
                    Some(_) => {
                        if let Some(c) = self.country_of(t) {
                            country = Some(c);
                            end_i = j + 1;
                        }
                    }
                    None => {}
                }
            }
        }
        Some(Found {
            relation,
            meaning,
            org,
            country,
            foreign,
            under: false,
            start,
            end: toks[end_i - 1].end,
        })
    }
}

static EMPTY: std::sync::OnceLock<RoleMeaning> = std::sync::OnceLock::new();

/// The document's most mentioned country with a code in `roles.toml`.
fn dominant_country(rules: &RoleRules, ents: &[EntitySpan]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for e in ents.iter().filter(|e| e.entity_type == EntityType::Country) {
        let Some(code) = rules.country_ids.get(&e.id) else {
            continue;
        };
        match counts.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => counts.push((code, 1)),
        }
    }
    // The first mentioned wins a tie: `max_by_key` keeps the last maximum.
    counts
        .iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(c, _)| (*c).to_string())
}

/// Role relations of a document not already in `existing` (any stance).
pub(crate) fn extract(
    rules: &RoleRules,
    doc_id: &str,
    doc: &DocEntities<'_>,
    sentences: &[Span],
    existing: &[Relation],
) -> Vec<Relation> {
    let text = doc.text;
    let dominant = dominant_country(rules, &doc.ents);
    let mut out = Vec::new();
    let mut s = 0;
    for p in doc
        .ents
        .iter()
        .filter(|e| e.entity_type == EntityType::Person)
    {
        while s < sentences.len() && sentences[s].end <= p.start {
            s += 1;
        }
        let Some(sent) = sentences.get(s).filter(|x| x.start <= p.start) else {
            continue;
        };
        // Most names have neither a title nor an apposition: two cheap looks at the
        // neighbouring characters decide whether to tokenize at all.
        let lo = floor_boundary(text, p.start.saturating_sub(LEFT_REACH).max(sent.start));
        // "The Taliban's chief spokesman, Zabihullah Mujahid, said": a title set off by
        // commas before and after the name reads as one written right before it.
        let left_text = text.get(lo..p.start).unwrap_or("");
        let title_hi = left_text
            .trim_end()
            .strip_suffix(',')
            .filter(|_| text.get(p.end..).is_some_and(|a| a.starts_with(',')))
            .map_or(p.start, |t| lo + t.len());
        let title = rules
            .may_end_a_title(text.get(lo..title_hi).unwrap_or(""))
            .then(|| {
                let left = tokenize(text, lo, title_hi, doc.within(Span::new(lo, title_hi)));
                let possessive = text
                    .get(p.end..)
                    .is_some_and(|t| t.starts_with("'s") || t.starts_with("’s"));
                rules.title(&left).filter(|f| !(f.under && possessive))
            })
            .flatten()
            .or_else(|| {
                // "A spokesman for the banned TTP, X,": only set off by commas.
                (title_hi != p.start).then(|| {
                    let left = tokenize(text, lo, title_hi, doc.within(Span::new(lo, title_hi)));
                    rules.role_of_org(&left)
                })?
            });
        // A mention running past its sentence's end has no apposition: an empty window.
        let hi = ceil_boundary(text, (p.end + RIGHT_REACH).min(sent.end)).max(p.end);
        let after = text.get(p.end..hi).unwrap_or("").trim_start();
        let apposition = (after.starts_with(',') || after.starts_with('(')).then(|| {
            // The apposition ends at the next comma or semicolon after its opening one.
            let tail = text.get(p.end..hi).unwrap_or("");
            let hi = tail
                .find(',')
                .and_then(|c| tail[c + 1..].find([',', ';']).map(|d| p.end + c + 1 + d))
                .unwrap_or(hi);
            let right = tokenize(text, p.end, hi, doc.within(Span::new(p.end, hi)));
            let last_armed = doc
                .ents
                .iter()
                .take_while(|e| e.end <= p.start)
                .filter(|e| is_armed(e.entity_type))
                .last()
                .map(|e| e.id.as_str());
            rules.apposition(&right, last_armed)
        });
        let found = [(title, RULE_TITLE), (apposition.flatten(), RULE_APPOSITION)];
        for (f, rule) in found {
            let Some(f) = f else { continue };
            emit(
                rules,
                &mut out,
                existing,
                dominant.as_ref(),
                text,
                doc_id,
                p,
                f,
                rule,
            );
        }
    }
    // "X … during his time as ISI chief", "X, who served as army chief": the role
    // belongs to the nearest person before the cue in its sentence.
    // Only the stretch of a sentence after its first person can hold such a cue.
    let mut stretches: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    for p in doc
        .ents
        .iter()
        .filter(|e| e.entity_type == EntityType::Person)
    {
        while k < sentences.len() && sentences[k].end <= p.start {
            k += 1;
        }
        match sentences.get(k) {
            Some(s)
                if s.start <= p.start
                    && p.end <= s.end
                    && stretches.last().is_none_or(|l| l.1 != s.end) =>
            {
                stretches.push((p.end, s.end));
            }
            _ => {}
        }
    }
    let cues = rules.as_cues.as_ref().map(|ac| {
        stretches
            .iter()
            .flat_map(move |&(lo, hi)| ac.find_iter(aho_corasick::Input::new(text).span(lo..hi)))
    });
    for m in cues.into_iter().flatten() {
        // Whole words only: "unserved as" is no cue.
        let alnum = |c: char| c.is_alphanumeric();
        if text[..m.start()].ends_with(alnum) || text[m.end()..].starts_with(alnum) {
            continue;
        }
        let k = sentences.partition_point(|x| x.end <= m.start());
        let Some(sent) = sentences.get(k).filter(|x| x.start <= m.start()) else {
            continue;
        };
        let before = doc.within(Span::new(sent.start, m.start()));
        let Some(p) = before
            .last()
            .filter(|e| e.entity_type == EntityType::Person)
        else {
            continue;
        };
        let hi = ceil_boundary(text, (m.end() + LEFT_REACH).min(sent.end));
        let tail = text.get(m.end()..hi).unwrap_or("");
        let hi = tail.find([',', ';']).map_or(hi, |c| m.end() + c);
        let toks = tokenize(text, m.end(), hi, doc.within(Span::new(m.end(), hi)));
        if let Some(f) = rules.role_phrase(&toks, 0, None) {
            emit(
                rules,
                &mut out,
                existing,
                dominant.as_ref(),
                text,
                doc_id,
                p,
                f,
                RULE_AS,
            );
        }
    }
    out
}

/// Records one role relation unless the document already states it.
#[allow(clippy::too_many_arguments)]
fn emit(
    rules: &RoleRules,
    out: &mut Vec<Relation>,
    existing: &[Relation],
    dominant: Option<&String>,
    text: &str,
    doc_id: &str,
    p: &EntitySpan,
    f: Found<'_>,
    rule: &str,
) {
    let target = match f.org {
        Some(o) => Some(o.to_string()),
        None if f.foreign => None,
        None => f
            .country
            .as_ref()
            .or(rules.person_countries.get(&p.id))
            .or(dominant)
            .and_then(|c| f.meaning.implied.get(c))
            .cloned(),
    };
    let Some(target) = target.filter(|t| *t != p.id) else {
        return;
    };
    // "the Taliban's minister for refugees": a title that implies its own body (a
    // ministry) heads that body; of the organisation named with it, the person is a
    // member. ("the Taliban's supreme leader" names the implied body itself.)
    let mut f = f;
    if f.org.is_some()
        && !f.meaning.implied.is_empty()
        && !f.meaning.implied.values().any(|o| *o == target)
    {
        f.relation = RelationType::MemberOf;
    }
    // Few relations per document: a scan beats building a set up front.
    let said =
        |r: &Relation| r.source == p.id && r.relation_type == f.relation && r.target == target;
    if existing.iter().chain(out.iter()).any(said) {
        return;
    }
    let start = f.start.min(p.start);
    let end = f.end.max(p.end);
    out.push(Relation {
        doc: doc_id.to_string(),
        source: p.id.clone(),
        relation_type: f.relation,
        target,
        stance: Stance::Asserted,
        attributed_to: None,
        start,
        end,
        text: text.get(start..end).unwrap_or_default().to_string(),
        rule: rule.to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::fixture;

    fn run(src: &str) -> Vec<String> {
        run_with(src, &[])
    }

    fn run_with(src: &str, existing: &[Relation]) -> Vec<String> {
        let (text, ents) = fixture(src);
        let doc = DocEntities::new(&text, &ents);
        let layout = crate::sentences::Layout::new(&text);
        extract(
            &RoleRules::default(),
            "d",
            &doc,
            &layout.sentences,
            existing,
        )
        .iter()
        .map(|r| {
            assert_eq!(&text[r.start..r.end], r.text);
            format!("{} {} {} {}", r.source, r.relation_type, r.target, r.rule)
        })
        .collect()
    }

    #[test]
    fn embedded_rules_parse() {
        let r = RoleRules::from_toml(ROLES_TOML).expect("roles.toml is valid");
        assert!(r.max_phrase_words >= 2);
    }

    #[test]
    fn every_implied_organisation_and_country_is_a_known_id() {
        let places = include_str!("../../../data/places.tsv");
        let known: HashSet<&str> = ACTORS_TOML
            .lines()
            .filter_map(|l| l.strip_prefix("id = \""))
            .filter_map(|l| l.strip_suffix('"'))
            .chain(places.lines().filter_map(|l| l.split('\t').next()))
            .collect();
        let rules = RoleRules::default();
        for m in rules.phrases.values() {
            for id in m.implied.values() {
                assert!(known.contains(id.as_str()), "unknown id {id}");
            }
        }
        for id in rules.country_ids.keys() {
            assert!(known.contains(id.as_str()), "unknown country {id}");
        }
    }

    #[test]
    fn a_role_relation_must_be_leads_or_member_of() {
        let bad = ROLES_TOML.replacen("relation = \"leads\"", "relation = \"finances\"", 1);
        assert!(RoleRules::from_toml(&bad).is_err());
    }

    #[test]
    fn a_country_adjective_picks_the_implied_ministry() {
        assert_eq!(
            run("On Monday the Afghan defence minister [Abdul Karim|abdul-karim|person] spoke."),
            ["abdul-karim leads ministry-of-defense-afghanistan relation:role-title"]
        );
    }

    #[test]
    fn a_possessive_country_entity_picks_the_implied_ministry() {
        assert_eq!(
            run("[Pakistan|pakistan|country]'s Interior Minister [Ali Raza|ali-raza|person] left."),
            ["ali-raza leads ministry-of-interior-pakistan relation:role-title"]
        );
    }

    #[test]
    fn a_title_set_off_by_commas_is_a_title() {
        assert_eq!(
            run("The [Front|front|armed_group]’s chief spokesman, [Ali Noor|ali-noor|person], denied it."),
            ["ali-noor member_of front relation:role-title"]
        );
        // Only when the name is closed by a comma too: a list is not an apposition.
        assert!(
            run("They met the [Front|front|armed_group]’s spokesman, [Ali Noor|ali-noor|person] and two others.")
                .is_empty()
        );
    }

    #[test]
    fn a_role_for_a_named_group_set_off_by_commas() {
        assert_eq!(
            run("A spokesman for the outlawed [Front|front|armed_group], [Ali Noor|ali-noor|person], denied it."),
            ["ali-noor member_of front relation:role-title"]
        );
        // An expert on a group is no member of it.
        assert!(run(
            "An expert on the [Front|front|armed_group], [Ali Noor|ali-noor|person], spoke."
        )
        .is_empty());
    }

    #[test]
    fn then_and_honorifics_stand_between_title_and_name() {
        assert_eq!(
            run("It was then-army chief Gen. [Karim Shah|karim-shah|person] who agreed, said [Pakistan|pakistan|country]."),
            ["karim-shah leads pakistan-army relation:role-title"]
        );
    }

    #[test]
    fn without_a_country_word_the_dominant_country_decides() {
        assert_eq!(
            run("[Afghanistan|afghanistan|country] and [Afghanistan|afghanistan|country] again. President [Omar Zaki|omar-zaki|person] flew home."),
            ["omar-zaki leads islamic-republic-of-afghanistan relation:role-title"]
        );
    }

    #[test]
    fn a_named_organisation_wins_over_the_implied_one() {
        assert_eq!(
            run("[Ruritania|pakistan|country] says [Army Press Office|apo|government_body] Director General [Sami Khan|sami-khan|person] lied."),
            ["sami-khan leads apo relation:role-title"]
        );
    }

    #[test]
    fn a_ministers_title_with_a_named_movement_is_membership() {
        assert_eq!(
            run("[Nur Ali|nur|person], the [Front|front]'s minister of interior, spoke."),
            ["nur member_of front relation:role-apposition"]
        );
        assert_eq!(
            run("The [Taliban|afghan-taliban]'s supreme leader [Akhund Zada|akhund|person] decreed it."),
            ["akhund leads afghan-taliban relation:role-title"]
        );
    }

    #[test]
    fn deputy_makes_a_head_role_a_member_role() {
        assert_eq!(
            run("The [Red Front|red] deputy chief [Lee Ann|lee|person] surrendered."),
            ["lee member_of red relation:role-title"]
        );
    }

    #[test]
    fn an_organisation_under_a_person_is_led_by_them() {
        assert_eq!(
            run("The [Ministry of Mines|mines|government_body] under Mullah [Abdul Ghani|ghani|person] stalled."),
            ["ghani leads mines relation:role-title"]
        );
    }

    #[test]
    fn under_a_person_s_government_is_no_lead() {
        assert!(
            run("Raids on the [Red Front|red] under [Ann Lee|ann|person]'s government rose.")
                .is_empty()
        );
    }

    #[test]
    fn a_role_without_an_organisation_says_nothing() {
        assert!(run("The analyst [Sara Obi|sara|person] disagreed.").is_empty());
        assert!(run("The group's chief [Sara Obi|sara|person] disagreed.").is_empty());
    }

    #[test]
    fn the_groups_leader_in_apposition_is_the_group_named_before() {
        assert_eq!(
            run("The [Front|front|armed_group] struck twice. [Ali Noor|ali-noor|person], the group’s leader, hides in the hills."),
            ["ali-noor leads front relation:role-apposition"]
        );
        assert_eq!(
            run("The [Front|front|armed_group] struck twice. [Ali Noor|ali-noor|person], its spokesman, denied it."),
            ["ali-noor member_of front relation:role-apposition"]
        );
        // No group named before: nothing to refer to.
        assert!(
            run("[Ali Noor|ali-noor|person], the group’s leader, hides in the hills.").is_empty()
        );
    }

    #[test]
    fn apposition_with_organisation_after_the_role() {
        assert_eq!(
            run("[Jo Park|jo|person], a senior fellow at the [Harbor Institute|harbor|research_org], disagreed."),
            ["jo member_of harbor relation:role-apposition"]
        );
    }

    #[test]
    fn apposition_with_organisation_before_the_role() {
        assert_eq!(
            run("[Jo Park|jo|person], a former [Bureau|bureau|intelligence_agency] counterterrorism analyst, said so."),
            ["jo member_of bureau relation:role-apposition"]
        );
    }

    #[test]
    fn apposition_after_a_parenthetical_names_the_committee_led() {
        assert_eq!(
            run("Rep. [Tom Ray|tom|person] (D-Ohio), chair of the [Budget Committee|budget|government_body], objected."),
            ["tom leads budget relation:role-apposition"]
        );
    }

    #[test]
    fn apposition_with_an_implied_organisation() {
        assert_eq!(
            run("General [Adil Noor|adil|person], Chief of the Army Staff, met [Pakistan|pakistan|country] officials."),
            ["adil leads pakistan-army relation:role-apposition"]
        );
    }

    #[test]
    fn apposition_stops_at_a_relative_clause() {
        assert!(run(
            "[Jo Park|jo|person], whose chief at [Harbor|harbor|research_org] left, spoke."
        )
        .is_empty());
    }

    #[test]
    fn a_relation_already_found_is_not_repeated() {
        let existing = [Relation {
            doc: "d".into(),
            source: "lee".into(),
            relation_type: RelationType::Leads,
            target: "red".into(),
            stance: Stance::Asserted,
            attributed_to: None,
            start: 0,
            end: 1,
            text: "x".into(),
            rule: "other".into(),
        }];
        assert!(run_with(
            "[Red Front|red] chief [Lee Ann|lee|person] spoke.",
            &existing
        )
        .is_empty());
        assert_eq!(
            run("[Red Front|red] chief [Lee Ann|lee|person] spoke.").len(),
            1
        );
    }

    #[test]
    fn the_registry_country_of_the_person_beats_the_dominant_country() {
        let mut rules = RoleRules::default();
        rules
            .set_registry("[[actor]]\nid = \"omar\"\ntype = \"person\"\ncountry = \"AF\"\n")
            .expect("valid registry");
        let (text, ents) = fixture(
            "[Pakistan|pakistan|country] and [Pakistan|pakistan|country]. Interior Minister [Omar Zaki|omar|person] spoke.",
        );
        let doc = DocEntities::new(&text, &ents);
        let layout = crate::sentences::Layout::new(&text);
        let found = extract(&rules, "d", &doc, &layout.sentences, &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].target, "ministry-of-interior-afghanistan");
    }

    #[test]
    fn the_embedded_registry_gives_people_countries() {
        assert!(!RoleRules::default().person_countries.is_empty());
    }

    #[test]
    fn an_apposition_role_ends_at_the_full_stop() {
        assert_eq!(
            run("“No,” said [Jo Park|jo|person], a [Harbor Institute|harbor|research_org] senior expert. Then more."),
            ["jo member_of harbor relation:role-apposition"]
        );
    }

    #[test]
    fn a_role_after_of_in_an_apposition_is_someone_else_s() {
        assert!(
            run("[Jo Park|jo|person], the son of the late [Red Front|red] founder, spoke.")
                .is_empty()
        );
    }

    #[test]
    fn a_list_of_titled_names_is_not_an_apposition() {
        assert_eq!(
            run("[Freedonia|afghanistan|country] sent Trade Minister [Jo Park|jo|person], Foreign Minister [Al Roe|al|person] and others."),
            ["al leads ministry-of-foreign-affairs-afghanistan relation:role-title"]
        );
    }

    #[test]
    fn the_title_gate_passes_title_words_only() {
        let r = RoleRules::default();
        assert!(r.may_end_a_title("the former then-Chief "));
        assert!(r.may_end_a_title("talks with Gen. "));
        assert!(r.may_end_a_title("the ministry under "));
        assert!(!r.may_end_a_title("talks with "));
        assert!(!r.may_end_a_title("chief, "));
        assert!(!r.may_end_a_title(""));
    }

    #[test]
    fn a_role_held_as_belongs_to_the_nearest_person_before() {
        assert_eq!(
            run("Critics included retired General [Omar Zaki|omar|person], who watched the camps during his time as [Bureau|bureau|intelligence_agency] chief in the 1980s."),
            ["omar leads bureau relation:role-as"]
        );
        assert_eq!(
            run("[Pakistan|pakistan|country] named [Ali Raza|ali|person] last year; he served as army chief until May."),
            ["ali leads pakistan-army relation:role-as"]
        );
    }

    #[test]
    fn a_role_held_as_needs_a_person_in_the_sentence() {
        assert!(run("[Ali Raza|ali|person] left. The office served as [Bureau|bureau|intelligence_agency] headquarters.").is_empty());
        assert!(
            run("At the same time as [Bureau|bureau|intelligence_agency] chief he spoke.")
                .is_empty()
        );
        assert!(run(
            "[Ali Raza|ali|person] unserved as [Bureau|bureau|intelligence_agency] chief."
        )
        .is_empty());
    }

    #[test]
    fn an_expert_on_an_armed_group_is_not_its_member() {
        assert!(run("Veteran [Red Front|red] expert [Jo Park|jo|person] disagreed.").is_empty());
        assert!(run("[Jo Park|jo|person], a [Red Front|red] analyst, disagreed.").is_empty());
        assert_eq!(
            run("[Jo Park|jo|person], a [Bureau|bureau|intelligence_agency] analyst, disagreed."),
            ["jo member_of bureau relation:role-apposition"]
        );
    }

    #[test]
    fn an_ambassador_to_an_organisation_is_not_its_member() {
        assert!(run(
            "[Jo Park|jo|person], an ambassador to the [League|league|international_org], spoke."
        )
        .is_empty());
    }

    #[test]
    fn a_country_without_a_code_blocks_the_implied_body() {
        let doc = "[Pakistan|pakistan|country] and [Pakistan|pakistan|country]. ";
        assert!(run(&format!(
            "{doc}Iranian Foreign Minister [Jo Park|jo|person] came."
        ))
        .is_empty());
        assert!(run(&format!(
            "{doc}[Freedonia|freedonia|country]'s Interior Minister [Jo Park|jo|person] came."
        ))
        .is_empty());
        assert!(run(&format!(
            "{doc}[Jo Park|jo|person], Iran's foreign minister, came."
        ))
        .is_empty());
        assert_eq!(
            run(&format!(
                "{doc}The Foreign Minister [Jo Park|jo|person] came."
            )),
            ["jo leads ministry-of-foreign-affairs-pakistan relation:role-title"]
        );
    }

    #[test]
    fn a_deputy_prime_minister_belongs_to_the_government() {
        assert_eq!(
            run("[Afghanistan|afghanistan|country] said so. Deputy Prime Minister [Jo Park|jo|person] came."),
            ["jo member_of afghan-taliban relation:role-title"]
        );
    }

    #[test]
    fn odd_text_does_not_panic() {
        for src in [
            "[A|a|person]",
            "[A|a|person], ",
            "[A|a|person] (",
            "chief [A|a|person]",
            "ü chief [Ä|a|person], a — ",
            "[A|a|person], a former analyst at",
            "He served as chief. [Ann Lee. Bob Roe|a|person], a chief of [B|b], served as chief.",
        ] {
            let _ = run(src);
        }
    }
}
