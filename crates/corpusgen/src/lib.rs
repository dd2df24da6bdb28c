//! Deterministic synthetic corpora for benchmarks and recall tests.
//!
//! [`CorpusGenerator`] writes realistic conflict-reporting articles at any scale:
//! registry actors under their aliases and transliteration variants, invented groups
//! introduced with an acronym ("the Sarhad Noor Front (SNF)"), invented persons with
//! titles, attributed and bounded figures, relations with a stance, events dated
//! relative to publication ("Earlier this month"), page chrome (cookie banners, share
//! rows, related teasers) and syndicated near-duplicate copies. Sentences and word
//! pools come from `data/phrases.txt`; names come from the registry.
//!
//! Everything derives from the seed through a per-document random stream, so the
//! same seed gives the same bytes and any one document can be regenerated alone.
//! Next to the articles, `.manifest.jsonl` lists what each document planted: the
//! answer key recall tests compare the pipeline against. Its name starts with a dot
//! because `dossier ingest DIR` skips hidden files: the corpus folder can be ingested
//! as it is.
//!
//! ```
//! let reg = dossier_registry::Registry::builtin().unwrap();
//! let generator = dossier_corpusgen::CorpusGenerator::new(&reg).unwrap();
//! let doc = generator.document(7, 0);
//! assert!(doc.article.planted.actors.iter().any(|a| a.kind == "group"));
//! ```

mod article;
mod cast;
mod date;
mod phrases;
mod render;
mod rng;

pub use article::{Article, Planted, PlantedActor, PlantedEvent, PlantedFigure, PlantedRelation};
pub use date::Date;
pub use render::Format;

use article::Writer;
use cast::Pools;
use dossier_registry::Registry;
use phrases::Phrases;
use rng::Rng;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The answer key's file name in the corpus folder (hidden: ingest skips it).
pub const MANIFEST: &str = ".manifest.jsonl";

/// Documents per sub-folder: keeps directories small at 100k documents.
const SHARD: usize = 1000;

/// Why a corpus could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("phrases.txt line {line}: {message}")]
    Phrases { line: usize, message: String },
    #[error("the registry has too few regional groups, states, sources or places to draw from")]
    Registry,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> GenError + '_ {
    move |source| GenError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What to generate. Build with `Default` and override fields.
#[derive(Debug, Clone)]
pub struct GenConfig {
    pub docs: usize,
    pub seed: u64,
    /// Share of documents written as HTML pages.
    pub html_share: f64,
    /// Share of documents written as lines of a per-folder `batch.jsonl`.
    pub jsonl_share: f64,
    /// Share of documents that are syndicated copies of an earlier one.
    pub duplicate_share: f64,
    /// Mean body size in bytes (drawn uniformly from 60%–140% of it).
    pub mean_body_bytes: usize,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            docs: 1000,
            seed: 1,
            html_share: 0.12,
            jsonl_share: 0.08,
            duplicate_share: 0.05,
            mean_body_bytes: 4800,
        }
    }
}

/// One generated document and where it goes.
#[derive(Debug, Clone)]
pub struct GeneratedDoc {
    pub article: Article,
    pub format: Format,
}

/// One line of `.manifest.jsonl`.
#[derive(Debug, Clone, Serialize)]
pub struct ManifestEntry<'a> {
    pub doc: &'a str,
    /// Path relative to the corpus folder.
    pub file: String,
    pub format: Format,
    pub published: String,
    pub publisher: &'a str,
    pub copy_of: Option<&'a str>,
    #[serde(flatten)]
    pub planted: &'a Planted,
}

/// What a run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CorpusSummary {
    pub docs: usize,
    pub files: usize,
    pub bytes: u64,
    pub duplicates: usize,
    pub html: usize,
    pub jsonl: usize,
}

/// The generator: the phrase book and the registry's names, ready to write.
pub struct CorpusGenerator<'r> {
    reg: &'r Registry,
    phrases: Phrases,
    pools: Pools,
    config: GenConfig,
}

impl<'r> CorpusGenerator<'r> {
    /// With the built-in phrase book and default shares.
    pub fn new(reg: &'r Registry) -> Result<Self, GenError> {
        Self::build(reg, Phrases::builtin()?)
    }

    /// With a phrase book in the `data/phrases.txt` format.
    pub fn with_phrases(reg: &'r Registry, phrases: &str) -> Result<Self, GenError> {
        Self::build(reg, Phrases::parse(phrases)?)
    }

    fn build(reg: &'r Registry, phrases: Phrases) -> Result<Self, GenError> {
        let pools = Pools::from_registry(reg);
        if !pools.is_usable() {
            return Err(GenError::Registry);
        }
        Ok(CorpusGenerator {
            reg,
            phrases,
            pools,
            config: GenConfig::default(),
        })
    }

    /// Use these shares and sizes (its `docs` and `seed` are what [`Self::write`] uses).
    pub fn configure(mut self, config: GenConfig) -> Self {
        self.config = config;
        self
    }

    fn writer(&self) -> Writer<'_> {
        Writer {
            reg: self.reg,
            phrases: &self.phrases,
            pools: &self.pools,
        }
    }

    fn doc_id(&self, index: usize) -> String {
        let width = self
            .config
            .docs
            .max(1)
            .saturating_sub(1)
            .to_string()
            .len()
            .max(6);
        format!("d{index:0width$}")
    }

    fn body_bytes(&self, rng: &mut Rng) -> usize {
        let m = self.config.mean_body_bytes as u64;
        rng.range(m * 6 / 10, m * 14 / 10) as usize
    }

    /// Document `index` of the corpus with this seed: an original, or a syndicated
    /// copy of an earlier original.
    pub fn document(&self, seed: u64, index: usize) -> GeneratedDoc {
        let mut meta = Rng::stream(seed, index as u64, 2);
        let c = &self.config;
        let copy = index > 0 && meta.chance(c.duplicate_share);
        let source = if copy { meta.below(index) } else { index };
        let format = match meta.below(1000) as f64 / 1000.0 {
            x if x < c.html_share => Format::Html,
            x if x < c.html_share + c.jsonl_share => Format::Jsonl,
            _ => Format::Txt,
        };
        let mut size_rng = Rng::stream(seed, source as u64, 3);
        let target = self.body_bytes(&mut size_rng);
        let mut article = self
            .writer()
            .article(seed, source, self.doc_id(index), target);
        if copy {
            self.syndicate(&mut article, &mut meta, self.doc_id(source));
        }
        GeneratedDoc { article, format }
    }

    /// A syndicated copy: another outlet, a dateline, a credit line, same body.
    fn syndicate(&self, a: &mut Article, rng: &mut Rng, original: String) {
        let from = std::mem::take(&mut a.publisher);
        let others: Vec<&String> = self
            .phrases
            .publisher
            .iter()
            .filter(|p| **p != from)
            .collect();
        a.publisher = rng.pick(&others).map_or(from.clone(), |p| (*p).clone());
        if let Some(first) = a.paragraphs.first_mut() {
            *first = format!("ISLAMABAD — {first}");
        }
        a.paragraphs.push(format!(
            "This article was first published by {from} and is republished with permission."
        ));
        a.copy_of = Some(original);
    }

    /// Write the configured corpus into `out` (created if missing): per-thousand
    /// folders of `.txt`/`.html` files and a `batch.jsonl` each, plus `.manifest.jsonl`.
    pub fn write(&self, out: &Path) -> Result<CorpusSummary, GenError> {
        std::fs::create_dir_all(out).map_err(io(out))?;
        let manifest_path = out.join(MANIFEST);
        let mut manifest = std::io::BufWriter::new(
            std::fs::File::create(&manifest_path).map_err(io(&manifest_path))?,
        );
        let mut summary = CorpusSummary::default();
        let mut batch: Vec<u8> = Vec::new();
        let seed = self.config.seed;
        for index in 0..self.config.docs {
            let shard = format!("{:03}", index / SHARD);
            let dir = out.join(&shard);
            if index % SHARD == 0 {
                std::fs::create_dir_all(&dir).map_err(io(&dir))?;
            }
            let doc = self.document(seed, index);
            let a = &doc.article;
            let mut rng = Rng::stream(seed, index as u64, 4);
            let file = match doc.format {
                Format::Txt | Format::Html => {
                    let (ext, body) = match doc.format {
                        Format::Html => ("html", render::html(a, &self.phrases, &mut rng)),
                        _ => ("txt", render::txt(a, &self.phrases, &mut rng)),
                    };
                    let name = format!("{}.{ext}", a.doc);
                    let path = dir.join(&name);
                    std::fs::write(&path, body.as_bytes()).map_err(io(&path))?;
                    summary.files += 1;
                    summary.bytes += body.len() as u64;
                    format!("{shard}/{name}")
                }
                Format::Jsonl => {
                    let line = render::jsonl(a);
                    summary.bytes += line.len() as u64;
                    batch.extend_from_slice(line.as_bytes());
                    summary.jsonl += 1;
                    format!("{shard}/batch.jsonl")
                }
            };
            if doc.format == Format::Html {
                summary.html += 1;
            }
            if a.copy_of.is_some() {
                summary.duplicates += 1;
            }
            summary.docs += 1;
            let entry = ManifestEntry {
                doc: &a.doc,
                file,
                format: doc.format,
                published: a.published.iso(),
                publisher: &a.publisher,
                copy_of: a.copy_of.as_deref(),
                planted: &a.planted,
            };
            let line = serde_json::to_string(&entry).unwrap_or_default();
            writeln!(manifest, "{line}").map_err(io(&manifest_path))?;
            let last_of_shard = index % SHARD == SHARD - 1 || index + 1 == self.config.docs;
            if last_of_shard && !batch.is_empty() {
                let path = dir.join("batch.jsonl");
                std::fs::write(&path, &batch).map_err(io(&path))?;
                summary.files += 1;
                batch.clear();
            }
        }
        manifest.flush().map_err(io(&manifest_path))?;
        Ok(summary)
    }
}

#[cfg(test)]
mod tests;
