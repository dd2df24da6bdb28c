//! An ingestion run: inputs → articles → dedup → analysis → store.

use crate::{Engine, EngineError};
use dossier_ingest::{
    collect_inputs, read_input, remove_repeated_lines, sha256_hex, Article, Fingerprint,
    IngestConfig, Input, Rejection,
};
use dossier_model::Document;
use dossier_store::{NewDocument, Store, StoreError};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;

/// Estimated Jaccard similarity at or above which a document is a syndicated copy.
pub const NEAR_DUPLICATE_THRESHOLD: f64 = 0.8;
/// Articles are cleaned and stored in batches: repeated-chrome detection looks
/// across a batch, and memory stays bounded on huge inputs.
const BATCH: usize = 64;
/// A paragraph repeated in this many documents of a batch is site chrome.
const REPEATED_IN_DOCS: usize = 3;

/// What happened to one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    New {
        doc: String,
    },
    Duplicate {
        of: String,
    },
    NearDuplicate {
        doc: String,
        of: String,
        similarity: f64,
    },
}

/// Progress reported to the caller while a run goes on.
#[derive(Debug, Clone)]
pub enum IngestEvent<'a> {
    /// The number of inputs (files, stdin) found.
    Planned(usize),
    /// One input was read and processed.
    InputDone(&'a str),
    Stored(&'a str, &'a Outcome),
    Rejected(&'a Rejection),
}

/// The summary of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    pub new: usize,
    pub duplicate: usize,
    pub near_duplicate: usize,
    pub rejected: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub outcomes: Vec<(String, Outcome)>,
    pub rejections: Vec<String>,
}

impl IngestReport {
    pub fn summary(&self) -> String {
        format!(
            "{} new, {} duplicate, {} near-duplicate, {} rejected; {:.1} KB in {:.2} s",
            self.new,
            self.duplicate,
            self.near_duplicate,
            self.rejected,
            self.bytes as f64 / 1024.0,
            self.seconds
        )
    }
}

impl<S: Store> Engine<S> {
    /// Ingest files, folders (recursively) and `-` (stdin).
    pub fn ingest_paths(
        &mut self,
        paths: &[PathBuf],
        cfg: &IngestConfig,
        on: &mut dyn FnMut(IngestEvent<'_>),
    ) -> Result<IngestReport, EngineError> {
        let started = Instant::now();
        let (inputs, rejected) = collect_inputs(paths);
        let mut report = IngestReport::default();
        for r in &rejected {
            self.reject(r, &mut report, on);
        }
        on(IngestEvent::Planned(inputs.len()));
        let mut batch: Vec<Article> = Vec::new();
        for input in &inputs {
            for item in read_input(input, cfg) {
                match item {
                    Ok(article) => batch.push(article),
                    Err(r) => self.reject(&r, &mut report, on),
                }
            }
            if batch.len() >= BATCH {
                self.store_batch(std::mem::take(&mut batch), &mut report, on)?;
            }
            let name = match input {
                Input::File(p) => p.display().to_string(),
                Input::Stdin => "-".to_string(),
            };
            on(IngestEvent::InputDone(&name));
        }
        self.store_batch(batch, &mut report, on)?;
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Ingest articles already read (the server's upload path uses this too).
    pub fn ingest_articles(
        &mut self,
        articles: Vec<Article>,
        on: &mut dyn FnMut(IngestEvent<'_>),
    ) -> Result<IngestReport, EngineError> {
        let started = Instant::now();
        let mut report = IngestReport::default();
        self.store_batch(articles, &mut report, on)?;
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    fn reject(
        &self,
        r: &Rejection,
        report: &mut IngestReport,
        on: &mut dyn FnMut(IngestEvent<'_>),
    ) {
        report.rejected += 1;
        report.rejections.push(r.to_string());
        on(IngestEvent::Rejected(r));
    }

    fn store_batch(
        &mut self,
        mut batch: Vec<Article>,
        report: &mut IngestReport,
        on: &mut dyn FnMut(IngestEvent<'_>),
    ) -> Result<(), EngineError> {
        remove_repeated_lines(&mut batch, REPEATED_IN_DOCS);
        for article in batch {
            if article.text.trim().is_empty() {
                self.reject(
                    &Rejection::new(&article.origin, "no text left after removing page chrome"),
                    report,
                    on,
                );
                continue;
            }
            report.bytes += article.text.len() as u64;
            let origin = article.origin.clone();
            let outcome = self.store_article(article)?;
            match &outcome {
                Outcome::New { .. } => report.new += 1,
                Outcome::Duplicate { .. } => report.duplicate += 1,
                Outcome::NearDuplicate { .. } => report.near_duplicate += 1,
            }
            on(IngestEvent::Stored(&origin, &outcome));
            report.outcomes.push((origin, outcome));
        }
        Ok(())
    }

    /// Dedup, analyze and store one article in one transaction.
    fn store_article(&mut self, article: Article) -> Result<Outcome, EngineError> {
        let sha = sha256_hex(&article.text);
        if let Some(of) = self.store.document_by_sha(&sha)? {
            return Ok(Outcome::Duplicate { of });
        }
        let fp = Fingerprint::of(&article.text);
        let bands = fp.bands();
        let mut near: Option<(String, f64)> = None;
        for (doc, bytes) in self.store.near_duplicate_candidates(&bands)? {
            let Some(other) = Fingerprint::from_bytes(&bytes) else {
                continue;
            };
            let sim = fp.similarity(&other);
            if sim >= NEAR_DUPLICATE_THRESHOLD && near.as_ref().is_none_or(|(_, s)| sim > *s) {
                near = Some((doc, sim));
            }
        }
        let id = self.store.unique_doc_id(&article.stem)?;
        let analysis = self
            .pipeline
            .analyze(&id, &article.text, article.published.as_deref());
        let doc = Document {
            doc: id.clone(),
            title: article.title,
            published: article.published,
            publisher: article.publisher,
            author: article.author,
            url: article.url,
            sha256: sha,
            chars: article.text.chars().count(),
            near_duplicate_of: near.as_ref().map(|(d, _)| d.clone()),
            origin: Some(article.origin),
            text: Some(article.text),
        };
        let bytes = fp.to_bytes();
        match self.store.insert_document(&NewDocument {
            doc: &doc,
            fingerprint: &bytes,
            bands: &bands,
            analysis: &analysis,
        }) {
            Ok(()) => {}
            // Another writer stored the same text between our check and our insert.
            Err(StoreError::Duplicate { .. }) => {
                let of = self.store.document_by_sha(&doc.sha256)?.unwrap_or_default();
                return Ok(Outcome::Duplicate { of });
            }
            Err(e) => return Err(e.into()),
        }
        Ok(match near {
            Some((of, similarity)) => Outcome::NearDuplicate {
                doc: id,
                of,
                similarity,
            },
            None => Outcome::New { doc: id },
        })
    }
}
