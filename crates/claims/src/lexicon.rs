//! The [`Lexicon`]: cue words and phrases loaded from `data/claims/*.toml`.
//!
//! The default lexicon embeds the files shipped under `data/claims/`; an analyst can
//! point [`Lexicon::from_dir`] at an edited copy to try changes without recompiling.
//! Loading turns every phrase into a token sequence once, so matching at run time is a
//! hash lookup on the first or last word followed by a short comparison.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use dossier_model::{Bound, Metric};
use serde::Deserialize;

use crate::tokens::{tokenize, word_key, Tokens};

const FIGURES_TOML: &str = include_str!("../../../data/claims/figures.toml");

/// Why a lexicon file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("cannot read lexicon file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("lexicon file {file} is not valid: {message}")]
    Invalid { file: String, message: String },
}

/// Cue words and patterns, loaded from data files.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub(crate) figures: FigureLexicon,
}

impl Default for Lexicon {
    fn default() -> Self {
        // The embedded file is validated by a unit test, so this cannot fail in a build
        // that passed its tests; an empty lexicon is the safe fallback regardless.
        Lexicon::from_figures_toml(FIGURES_TOML).unwrap_or_else(|_| Lexicon {
            figures: FigureLexicon::default(),
        })
    }
}

impl Lexicon {
    /// Parses the figure cues from the text of a `figures.toml` file.
    pub fn from_figures_toml(source: &str) -> Result<Self, LexiconError> {
        let raw: FiguresFile = toml::from_str(source).map_err(|e| LexiconError::Invalid {
            file: "figures.toml".into(),
            message: e.to_string(),
        })?;
        Ok(Lexicon {
            figures: FigureLexicon::build(raw)?,
        })
    }

    /// Loads the lexicon from a directory holding `figures.toml`.
    pub fn from_dir(dir: &Path) -> Result<Self, LexiconError> {
        let path = dir.join("figures.toml");
        let source = std::fs::read_to_string(&path).map_err(|source| LexiconError::Io {
            path: path.clone(),
            source,
        })?;
        Self::from_figures_toml(&source).map_err(|e| match e {
            LexiconError::Invalid { message, .. } => LexiconError::Invalid {
                file: path.display().to_string(),
                message,
            },
            other => other,
        })
    }
}

// ---- file shape -------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FiguresFile {
    numbers: NumbersFile,
    bounds: BoundsFile,
    currencies: CurrenciesFile,
    nouns: HashMap<String, NounGroupFile>,
    cues: CuesFile,
    period: PeriodFile,
    attribution: AttributionFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NumbersFile {
    words: HashMap<String, f64>,
    scales: HashMap<String, f64>,
    vague: HashMap<String, f64>,
    ordinals: HashMap<String, f64>,
    percent: Vec<String>,
    range_joiners: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BoundsFile {
    at_least: Vec<String>,
    at_most: Vec<String>,
    approx: Vec<String>,
    range: Vec<String>,
    after_at_least: Vec<String>,
    after_approx: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CurrenciesFile {
    before: HashMap<String, String>,
    after: HashMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NounGroupFile {
    unit: String,
    words: Vec<String>,
    #[serde(default)]
    min_value: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CuesFile {
    death: Vec<String>,
    injury: Vec<String>,
    casualty: Vec<String>,
    displacement: Vec<String>,
    #[serde(default)]
    captivity: Vec<String>,
    change_before: Vec<String>,
    change_after: Vec<String>,
    rank_verbs: Vec<String>,
    rank_nouns: Vec<String>,
    not_counted: Vec<String>,
    label_words: Vec<String>,
    stop_words: Vec<String>,
    ellipsis_followers: Vec<String>,
    ellipsis_leaders: Vec<String>,
    definite: Vec<String>,
    months: Vec<String>,
    subject_openers: Vec<String>,
    subject_links: Vec<String>,
    subject_skip: Vec<String>,
    #[serde(default)]
    loss_verbs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodFile {
    since: Vec<String>,
    #[serde(rename = "in")]
    in_: Vec<String>,
    relative: HashMap<String, i32>,
    comparison: Vec<String>,
    comparison_near: Vec<String>,
    parts: HashMap<String, [u32; 2]>,
    publication: Vec<String>,
    carry: Vec<String>,
    relative_openers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttributionFile {
    according: Vec<String>,
    according_strict: Vec<String>,
    participles: Vec<String>,
    openers: Vec<String>,
    verbs: Vec<String>,
    claim_verbs: Vec<String>,
    #[serde(default)]
    claim_nouns: Vec<String>,
    #[serde(default)]
    contrast: Vec<String>,
    reporter_nouns: Vec<String>,
    reporter_people: Vec<String>,
    continuation: Vec<String>,
    back_heads: Vec<String>,
    hedge_near: Vec<String>,
    hedge_sentence: Vec<String>,
    anonymous_sources: Vec<String>,
    group_anaphors: Vec<String>,
    country_anaphors: Vec<String>,
}

// ---- compiled form ----------------------------------------------------------------

/// Hasher for keys that already are hashes ([`word_key`]).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// FNV-1a for short word keys: the default SipHash costs more than the lookup.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FnvHasher(u64);

impl Default for FnvHasher {
    fn default() -> Self {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Word → value map keyed by lowercase words.
pub(crate) type WordMap<V> = HashMap<String, V, std::hash::BuildHasherDefault<FnvHasher>>;

pub(crate) type KeyMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// A set of phrases (token sequences) with a value each, indexed by first and last word.
/// Words are stored as [`word_key`]s, so matching never touches strings.
#[derive(Debug, Clone)]
pub(crate) struct PhraseSet<V> {
    phrases: Vec<(Vec<u64>, V)>,
    by_first: KeyMap<Vec<usize>>,
    by_last: KeyMap<Vec<usize>>,
    /// Bloom bits of the first and last words: most tokens start no phrase, and
    /// every set is probed at nearly every token, so rejecting without a map lookup
    /// pays.
    first_bits: KeyBits,
    last_bits: KeyBits,
}

impl<V> Default for PhraseSet<V> {
    fn default() -> Self {
        PhraseSet {
            phrases: Vec::new(),
            by_first: KeyMap::default(),
            by_last: KeyMap::default(),
            first_bits: KeyBits::default(),
            last_bits: KeyBits::default(),
        }
    }
}

/// A one-hash Bloom filter of 1024 bits over word keys.
#[derive(Debug, Clone, Default)]
pub(crate) struct KeyBits([u64; 16]);

impl KeyBits {
    pub fn insert(&mut self, key: u64) {
        let b = (key >> 54) as usize;
        self.0[b >> 6] |= 1 << (b & 63);
    }

    /// False means certainly absent.
    pub fn may_contain(&self, key: u64) -> bool {
        let b = (key >> 54) as usize;
        self.0[b >> 6] & (1 << (b & 63)) != 0
    }
}

fn phrase_words(phrase: &str) -> Vec<u64> {
    let lower = phrase.trim().to_lowercase();
    tokenize(&lower)
        .iter()
        .map(|t| word_key(&lower[t.start..t.end]))
        .collect()
}

impl<V> PhraseSet<V> {
    pub fn insert(&mut self, phrase: &str, value: V) {
        let words = phrase_words(phrase);
        let (Some(&first), Some(&last)) = (words.first(), words.last()) else {
            return;
        };
        let idx = self.phrases.len();
        self.phrases.push((words, value));
        self.by_first.entry(first).or_default().push(idx);
        self.by_last.entry(last).or_default().push(idx);
        self.first_bits.insert(first);
        self.last_bits.insert(last);
    }

    fn matches(&self, t: &Tokens<'_>, idx: usize, from: usize, hi: usize) -> bool {
        let words = &self.phrases[idx].0;
        from + words.len() <= hi && words.iter().enumerate().all(|(k, &w)| t.key(from + k) == w)
    }

    /// Longest phrase starting at token `i` and ending before `hi`: (token count, value).
    pub fn match_at(&self, t: &Tokens<'_>, i: usize, hi: usize) -> Option<(usize, &V)> {
        let key = t.key(i);
        if i >= hi || !self.first_bits.may_contain(key) {
            return None;
        }
        let cands = self.by_first.get(&key)?;
        cands
            .iter()
            .filter(|&&c| self.matches(t, c, i, hi))
            .map(|&c| (self.phrases[c].0.len(), &self.phrases[c].1))
            .max_by_key(|(n, _)| *n)
    }

    /// Longest phrase ending just before token `end` and starting at or after `lo`:
    /// (first token, value).
    pub fn match_ending(&self, t: &Tokens<'_>, end: usize, lo: usize) -> Option<(usize, &V)> {
        if end == 0 || end <= lo {
            return None;
        }
        let key = t.key(end - 1);
        if !self.last_bits.may_contain(key) {
            return None;
        }
        let cands = self.by_last.get(&key)?;
        cands
            .iter()
            .filter_map(|&c| {
                let n = self.phrases[c].0.len();
                let from = end.checked_sub(n)?;
                (from >= lo && self.matches(t, c, from, end)).then_some((from, &self.phrases[c].1))
            })
            .min_by_key(|(from, _)| *from)
    }

    /// First match anywhere in `[lo, hi)`: (first token, token count, value).
    pub fn find(&self, t: &Tokens<'_>, lo: usize, hi: usize) -> Option<(usize, usize, &V)> {
        if self.by_first.is_empty() {
            return None;
        }
        (lo..hi).find_map(|i| self.match_at(t, i, hi).map(|(n, v)| (i, n, v)))
    }
}

fn set_of(list: &[String]) -> PhraseSet<()> {
    let mut s = PhraseSet::default();
    for p in list {
        s.insert(p, ());
    }
    s
}

/// What a counted noun says about the figure's metric.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NounInfo {
    /// `None` for people nouns: a nearby cue decides.
    pub metric: Option<Metric>,
    pub unit: String,
    /// Smaller exact counts of this noun are not reported.
    pub min_value: Option<f64>,
}

/// Kinds of cue that turn a people count into a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    Death,
    Injury,
    Casualty,
    Displacement,
    /// "took 400 passengers hostage": people held, counted as `other` with unit hostages.
    Captivity,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct FigureLexicon {
    pub number_words: WordMap<f64>,
    pub scales: WordMap<f64>,
    pub vague: WordMap<f64>,
    pub ordinals: WordMap<f64>,
    pub percent: PhraseSet<()>,
    pub range_joiners: PhraseSet<()>,
    pub bounds_before: PhraseSet<Bound>,
    pub bounds_after: PhraseSet<Bound>,
    pub currency_before: WordMap<String>,
    /// Keys of the words that can start an amount, to reject other tokens cheaply.
    pub amount_starts: KeyBits,
    /// Keys of the ordinal words ("third"), for the same reason.
    pub ordinal_keys: KeyBits,
    pub currency_after: PhraseSet<String>,
    pub nouns: PhraseSet<NounInfo>,
    pub cues: PhraseSet<Cue>,
    pub change_before: PhraseSet<()>,
    pub change_after: PhraseSet<()>,
    pub rank_verbs: PhraseSet<()>,
    pub rank_nouns: PhraseSet<()>,
    pub not_counted: PhraseSet<()>,
    pub label_words: PhraseSet<()>,
    pub stop_words: PhraseSet<()>,
    pub ellipsis_followers: PhraseSet<()>,
    pub ellipsis_leaders: PhraseSet<()>,
    pub definite: PhraseSet<()>,
    pub months: PhraseSet<()>,
    /// "$300 million in military aid": the preposition that introduces what an amount
    /// without a counted noun is about.
    pub subject_openers: PhraseSet<()>,
    /// Prepositions that stay inside a described subject when a name follows
    /// ("attacks within Pakistan").
    pub subject_links: PhraseSet<()>,
    /// Auxiliaries and adverbs between a subject and its change verb ("have sharply risen").
    pub subject_skip: PhraseSet<()>,
    /// "the province had lost more than 150 police personnel to terrorism": a verb of
    /// losing people before a count, which with "to" after the counted people means
    /// they died.
    /// "lost 150 policemen to terrorism": a loss verb before people lost *to* something
    /// is a death cue.
    pub loss_verbs: PhraseSet<()>,
    pub period_since: PhraseSet<()>,
    pub period_in: PhraseSet<()>,
    pub period_relative: PhraseSet<i32>,
    pub period_comparison: PhraseSet<()>,
    /// "double the toll recorded a year earlier": a comparison shortly before a
    /// relative year dates the compared figure, not this one.
    pub period_comparison_near: PhraseSet<()>,
    /// "the first half of" → months `[from, to]` of the year that follows.
    pub period_parts: PhraseSet<[u32; 2]>,
    /// "a report released in July": a date after these dates the document.
    pub period_publication: PhraseSet<()>,
    pub period_carry: PhraseSet<()>,
    pub relative_openers: PhraseSet<()>,
    pub according: PhraseSet<()>,
    pub according_strict: PhraseSet<()>,
    pub participles: PhraseSet<()>,
    pub openers: PhraseSet<()>,
    pub attribution_verbs: PhraseSet<()>,
    pub claim_verbs: PhraseSet<()>,
    /// "Pakistan's claim that …": after an actor's possessive, the actor's contested
    /// statement.
    pub claim_nouns: PhraseSet<()>,
    /// ", while Taliban officials claimed 58": after a comma, these open a clause
    /// whose own speaker speaks for the figures in it.
    pub contrast: PhraseSet<()>,
    pub reporter_nouns: PhraseSet<()>,
    pub reporter_people: PhraseSet<()>,
    pub continuation: PhraseSet<()>,
    /// Head nouns of a definite phrase that refers back to a named source ("the
    /// Islamabad-based think tank", "the institute").
    pub back_heads: PhraseSet<()>,
    pub hedge_near: PhraseSet<()>,
    pub hedge_sentence: PhraseSet<()>,
    pub anonymous_sources: PhraseSet<()>,
    pub group_anaphors: PhraseSet<()>,
    pub country_anaphors: PhraseSet<()>,
}

fn lower_map<V: Clone>(m: &HashMap<String, V>) -> WordMap<V> {
    m.iter()
        .map(|(k, v)| (k.to_lowercase(), v.clone()))
        .collect()
}

impl FigureLexicon {
    fn build(raw: FiguresFile) -> Result<Self, LexiconError> {
        let invalid = |message: String| LexiconError::Invalid {
            file: "figures.toml".into(),
            message,
        };
        let mut bounds_before = PhraseSet::default();
        for (list, bound) in [
            (&raw.bounds.at_least, Bound::AtLeast),
            (&raw.bounds.at_most, Bound::AtMost),
            (&raw.bounds.approx, Bound::Approx),
            (&raw.bounds.range, Bound::Range),
        ] {
            for p in list {
                bounds_before.insert(p, bound);
            }
        }
        let mut bounds_after = PhraseSet::default();
        for p in &raw.bounds.after_at_least {
            bounds_after.insert(p, Bound::AtLeast);
        }
        for p in &raw.bounds.after_approx {
            bounds_after.insert(p, Bound::Approx);
        }
        let mut currency_after = PhraseSet::default();
        for (p, code) in &raw.currencies.after {
            currency_after.insert(p, code.clone());
        }
        let mut nouns = PhraseSet::default();
        // Sorted so that a phrase listed in two groups resolves the same way every run.
        let mut groups: Vec<_> = raw.nouns.iter().collect();
        groups.sort_by(|a, b| a.0.cmp(b.0));
        for (name, group) in groups {
            let metric = if name == "people" {
                None
            } else {
                Some(
                    name.parse::<Metric>()
                        .map_err(|e| invalid(format!("[nouns.{name}]: {e}")))?,
                )
            };
            for w in &group.words {
                nouns.insert(
                    w,
                    NounInfo {
                        metric,
                        unit: group.unit.clone(),
                        min_value: group.min_value,
                    },
                );
            }
        }
        let mut cues = PhraseSet::default();
        for (list, cue) in [
            (&raw.cues.death, Cue::Death),
            (&raw.cues.injury, Cue::Injury),
            (&raw.cues.casualty, Cue::Casualty),
            (&raw.cues.displacement, Cue::Displacement),
            (&raw.cues.captivity, Cue::Captivity),
        ] {
            for p in list {
                cues.insert(p, cue);
            }
        }
        let mut period_relative = PhraseSet::default();
        for (p, off) in &raw.period.relative {
            period_relative.insert(p, *off);
        }
        let mut period_parts = PhraseSet::default();
        for (p, months) in &raw.period.parts {
            period_parts.insert(p, *months);
        }
        let mut amount_starts = KeyBits::default();
        let starters = raw.numbers.words.keys().chain(raw.numbers.vague.keys());
        let articles = ["a", "an", "half", "several", "few"];
        for w in starters
            .chain(raw.currencies.before.keys())
            .map(String::as_str)
            .chain(articles)
        {
            amount_starts.insert(word_key(&w.to_lowercase()));
        }
        let mut ordinal_keys = KeyBits::default();
        for w in raw.numbers.ordinals.keys() {
            ordinal_keys.insert(word_key(&w.to_lowercase()));
        }
        let c = &raw.cues;
        let a = &raw.attribution;
        Ok(FigureLexicon {
            amount_starts,
            ordinal_keys,
            number_words: lower_map(&raw.numbers.words),
            scales: lower_map(&raw.numbers.scales),
            vague: lower_map(&raw.numbers.vague),
            ordinals: lower_map(&raw.numbers.ordinals),
            percent: set_of(&raw.numbers.percent),
            range_joiners: set_of(&raw.numbers.range_joiners),
            bounds_before,
            bounds_after,
            currency_before: lower_map(&raw.currencies.before),
            currency_after,
            nouns,
            cues,
            change_before: set_of(&c.change_before),
            change_after: set_of(&c.change_after),
            rank_verbs: set_of(&c.rank_verbs),
            rank_nouns: set_of(&c.rank_nouns),
            not_counted: set_of(&c.not_counted),
            label_words: set_of(&c.label_words),
            stop_words: set_of(&c.stop_words),
            ellipsis_followers: set_of(&c.ellipsis_followers),
            ellipsis_leaders: set_of(&c.ellipsis_leaders),
            definite: set_of(&c.definite),
            months: set_of(&c.months),
            subject_openers: set_of(&c.subject_openers),
            subject_links: set_of(&c.subject_links),
            subject_skip: set_of(&c.subject_skip),
            loss_verbs: set_of(&c.loss_verbs),
            period_since: set_of(&raw.period.since),
            period_in: set_of(&raw.period.in_),
            period_relative,
            period_comparison: set_of(&raw.period.comparison),
            period_comparison_near: set_of(&raw.period.comparison_near),
            period_parts,
            period_publication: set_of(&raw.period.publication),
            period_carry: set_of(&raw.period.carry),
            relative_openers: set_of(&raw.period.relative_openers),
            according: set_of(&a.according),
            according_strict: set_of(&a.according_strict),
            participles: set_of(&a.participles),
            openers: set_of(&a.openers),
            attribution_verbs: set_of(&a.verbs),
            claim_verbs: set_of(&a.claim_verbs),
            claim_nouns: set_of(&a.claim_nouns),
            contrast: set_of(&a.contrast),
            reporter_nouns: set_of(&a.reporter_nouns),
            reporter_people: set_of(&a.reporter_people),
            continuation: set_of(&a.continuation),
            back_heads: set_of(&a.back_heads),
            hedge_near: set_of(&a.hedge_near),
            hedge_sentence: set_of(&a.hedge_sentence),
            anonymous_sources: set_of(&a.anonymous_sources),
            group_anaphors: set_of(&a.group_anaphors),
            country_anaphors: set_of(&a.country_anaphors),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_file_is_valid_and_complete() {
        let lex = Lexicon::from_figures_toml(FIGURES_TOML).expect("figures.toml parses");
        let f = &lex.figures;
        assert_eq!(f.number_words.get("seven"), Some(&7.0));
        assert_eq!(f.scales.get("billion"), Some(&1e9));
        assert!(!f.nouns.phrases.is_empty() && !f.cues.phrases.is_empty());
        assert!(!f.attribution_verbs.phrases.is_empty());
    }

    #[test]
    fn loss_verbs_are_read() {
        let lex = Lexicon::from_figures_toml(FIGURES_TOML).expect("figures.toml parses");
        let text = "The district has lost 40 teachers to the fighting.";
        let t = crate::tokens::Tokens::new(text, &[]);
        let k = t.index_at(text.find("has").unwrap_or(0));
        assert!(lex.figures.loss_verbs.match_at(&t, k, t.len()).is_some());
        assert!(lex.figures.loss_verbs.match_at(&t, 0, t.len()).is_none());
    }

    #[test]
    fn unknown_metric_names_are_reported_with_the_file() {
        let bad = FIGURES_TOML.replace("[nouns.vehicles]", "[nouns.cars]");
        let err = Lexicon::from_figures_toml(&bad).unwrap_err().to_string();
        assert!(
            err.contains("figures.toml") && err.contains("nouns.cars"),
            "{err}"
        );
    }

    #[test]
    fn phrases_match_longest_first_and_backwards() {
        let mut s = PhraseSet::default();
        s.insert("at least", 1);
        s.insert("least", 2);
        let text = "killed at least 6";
        let t = Tokens::new(text, &[]);
        assert_eq!(s.match_at(&t, 1, t.len()), Some((2, &1)));
        assert_eq!(s.match_ending(&t, 3, 0), Some((1, &1)));
        assert_eq!(s.match_ending(&t, 3, 2), Some((2, &2)));
    }
}
