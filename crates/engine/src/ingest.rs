//! An ingestion run: inputs → articles → dedup → analysis → store.
//!
//! Three stages overlap. A reader thread reads and cleans the inputs a batch at a time;
//! an analysis thread analyzes each batch on every core; the calling thread owns the
//! store, checks each prepared article against the store *and* the documents it has not
//! committed yet (exact and near duplicates, free ids), and commits them in batches of up
//! to [`WRITE_BATCH`] documents or [`WRITE_WAIT`]. Bounded channels between the stages
//! keep memory flat. Documents are checked and stored strictly in input order, so ids and
//! near-duplicate links are the same as when every document had its own transaction;
//! progress reports a document as stored only after its batch committed.

use crate::{Engine, EngineError};
use dossier_extract::Pipeline;
use dossier_ingest::{
    collect_inputs, read_input, remove_repeated_lines, sha256_hex, Article, Fingerprint,
    IngestConfig, Input, Rejection,
};
use dossier_model::{Analysis, Document};
use dossier_store::{NewDocument, Store, StoreError};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

/// Estimated Jaccard similarity at or above which a document is a syndicated copy.
pub const NEAR_DUPLICATE_THRESHOLD: f64 = 0.8;
/// Articles are cleaned in batches: repeated-chrome detection looks across a batch, and
/// memory stays bounded on huge inputs.
const BATCH: usize = 64;
/// A paragraph repeated in this many documents of a batch is site chrome.
const REPEATED_IN_DOCS: usize = 3;
/// Documents committed in one store transaction at most (the default). A commit
/// rewrites every index page the transaction touched, and the random-keyed ones (LSH
/// bands: 16 random keys per document) are spread over the whole index, so the write
/// volume per document keeps falling with the batch size well past a thousand documents
/// (measured on 100k generated documents: 14.9 GB written with commits of up to 1,024
/// documents / 2 s, 10.5 GB with 4,096 / 5 s; see BENCHMARKS.md). A pending document
/// with its analysis is tens of KB, so this bounds memory to a few hundred MB.
pub const WRITE_BATCH: usize = 4096;
/// A batch is committed at the latest this long after its first document (the
/// default), so a slow trickle of input (stdin, a slow disk) is still acknowledged
/// within seconds.
pub const WRITE_WAIT: Duration = Duration::from_millis(5000);
/// Prepared articles waiting for the writer: enough to ride out a slow commit, few
/// enough that memory stays small (an article with its analysis is tens of KB).
const CHANNEL: usize = 2 * BATCH;
/// Analysis threads at most, whatever the machine reports.
const MAX_WORKERS: usize = 8;

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
    /// The article is in the store (committed), or was a duplicate of one that is.
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
            reject(r, &mut report, on);
        }
        on(IngestEvent::Planned(inputs.len()));
        // Texts stored by earlier runs are dropped before analysis (the writer still
        // reports them as duplicates). Read once: a few MB even for 100k documents.
        let stored = self.store.stored_shas()?;
        self.run(&mut report, on, stored, |p| read_all(p, &inputs, cfg))?;
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
        // Uploads are small: the writer's own check is cheaper than loading every SHA.
        self.run(&mut report, on, HashSet::new(), move |p| p.batch(articles))?;
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }

    /// Runs `produce` (reading and cleaning) on one thread and the analysis on
    /// another, which spreads each batch over the cores; stores what comes out, in
    /// order, on this thread. Reading the next batch overlaps the analysis of this one,
    /// which overlaps storing the previous one.
    fn run(
        &mut self,
        report: &mut IngestReport,
        on: &mut dyn FnMut(IngestEvent<'_>),
        stored: HashSet<String>,
        produce: impl FnOnce(&mut Producer) -> Sent + Send,
    ) -> Result<(), EngineError> {
        let Engine {
            store,
            pipeline,
            write_batch,
            reconcile_after_ingest,
        } = self;
        let reconcile_after_ingest = *reconcile_after_ingest;
        let (max_docs, max_wait) = *write_batch;
        let pipeline: &Pipeline = pipeline;
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_WORKERS);
        let (batches_tx, batches_rx) = sync_channel::<Vec<Item>>(2);
        let (tx, rx) = sync_channel(CHANNEL);
        let written = std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                let mut p = Producer {
                    out: batches_tx,
                    buf: Vec::new(),
                    seen: HashSet::new(),
                    stored,
                };
                // A closed channel means the writer stopped on an error it reports.
                let _ = produce(&mut p).and_then(|()| p.flush());
            });
            let analyzer = scope.spawn(move || {
                for mut items in batches_rx {
                    analyze(pipeline, workers, &mut items);
                    for item in items {
                        if tx.send(item).is_err() {
                            return; // the writer stopped
                        }
                    }
                }
            });
            let mut writer = Writer::new(store, pipeline, max_docs, max_wait);
            writer.reconcile = reconcile_after_ingest;
            let written = writer.drain(rx, report, on);
            for stage in [reader, analyzer] {
                if let Err(panic) = stage.join() {
                    // Extraction promises not to panic; if it does, it is a bug to
                    // surface, after what was already committed has been reported.
                    std::panic::resume_unwind(panic);
                }
            }
            written
        });
        // Incremental reconciliation: the keys this run's commits touched, once each.
        if reconcile_after_ingest {
            crate::incremental::after_run(&*store);
        }
        written
    }
}

fn reject(r: &Rejection, report: &mut IngestReport, on: &mut dyn FnMut(IngestEvent<'_>)) {
    report.rejected += 1;
    report.rejections.push(r.to_string());
    on(IngestEvent::Rejected(r));
}

/// What the producer sends the writer, in input order.
enum Item {
    Rejected(Rejection),
    InputDone(String),
    Article(Box<Prepared>),
}

/// `Err` once the writer hung up: stop producing.
type Sent = Result<(), ()>;

/// An article made ready for the store off the writer's thread.
struct Prepared {
    article: Article,
    sha: String,
    /// False for an exact copy of an earlier article of this run or of a stored
    /// document: it is almost surely reported as a duplicate, so it is not analyzed
    /// unless the writer needs it.
    analyze: bool,
    /// Filled in by the workers when `analyze`.
    work: Option<Work>,
}

/// The CPU-heavy part of storing an article.
struct Work {
    fingerprint: Fingerprint,
    bands: Vec<u64>,
    /// Analyzed under the provisional id `article.stem`; relabeled if the store gives
    /// the document another id.
    analysis: Analysis,
}

impl Work {
    fn of(pipeline: &Pipeline, article: &Article) -> Work {
        let fingerprint = Fingerprint::of(&article.text);
        let bands = fingerprint.bands();
        let analysis = pipeline.analyze(&article.stem, &article.text, article.published.as_deref());
        Work {
            fingerprint,
            bands,
            analysis,
        }
    }
}

/// The reading stage: it cleans articles a batch at a time and hands each batch, with
/// the rejections and progress found before it, to the analysis stage.
struct Producer {
    out: SyncSender<Vec<Item>>,
    buf: Vec<Item>,
    /// SHA-256 of every article of this run already prepared.
    seen: HashSet<String>,
    /// SHA-256 of the documents stored before this run began.
    stored: HashSet<String>,
}

/// Reads every input in order, cleaning a batch at a time.
fn read_all(p: &mut Producer, inputs: &[Input], cfg: &IngestConfig) -> Sent {
    let mut batch: Vec<Article> = Vec::new();
    for input in inputs {
        for item in read_input(input, cfg) {
            match item {
                Ok(article) => batch.push(article),
                Err(r) => p.buf.push(Item::Rejected(r)),
            }
        }
        if batch.len() >= BATCH {
            p.batch(std::mem::take(&mut batch))?;
        }
        let name = match input {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "-".to_string(),
        };
        p.buf.push(Item::InputDone(name));
    }
    p.batch(batch)
}

impl Producer {
    /// Cleans one batch (chrome repeated across its articles) and passes it on.
    fn batch(&mut self, mut batch: Vec<Article>) -> Sent {
        remove_repeated_lines(&mut batch, REPEATED_IN_DOCS);
        for article in batch {
            if article.text.trim().is_empty() {
                self.buf.push(Item::Rejected(Rejection::new(
                    &article.origin,
                    "no text left after removing page chrome",
                )));
                continue;
            }
            let sha = sha256_hex(&article.text);
            let analyze = !self.stored.contains(&sha) && self.seen.insert(sha.clone());
            self.buf.push(Item::Article(Box::new(Prepared {
                article,
                sha,
                analyze,
                work: None,
            })));
        }
        self.flush()
    }

    fn flush(&mut self) -> Sent {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.out.send(std::mem::take(&mut self.buf)).map_err(drop)
    }
}

/// Fills in the work of every article of a batch to analyze, in contiguous chunks, one
/// per worker thread.
fn analyze(pipeline: &Pipeline, workers: usize, items: &mut [Item]) {
    let mut todo: Vec<&mut Prepared> = items
        .iter_mut()
        .filter_map(|item| match item {
            Item::Article(p) if p.analyze => Some(p.as_mut()),
            _ => None,
        })
        .collect();
    let fill = |chunk: &mut [&mut Prepared]| {
        for p in chunk.iter_mut() {
            p.work = Some(Work::of(pipeline, &p.article));
        }
    };
    if workers <= 1 || todo.len() <= 1 {
        fill(&mut todo);
        return;
    }
    let per = todo.len().div_ceil(workers);
    std::thread::scope(|s| {
        for chunk in todo.chunks_mut(per) {
            s.spawn(move || fill(chunk));
        }
    });
}

/// A document accepted into the current write batch, not committed yet.
struct Pending {
    origin: String,
    outcome: Outcome,
    /// `None` when the outcome is a duplicate (nothing to write).
    new: Option<NewDoc>,
}

struct NewDoc {
    doc: Document,
    fingerprint: Fingerprint,
    bytes: Vec<u8>,
    bands: Vec<u64>,
    analysis: Analysis,
}

/// The calling thread's side: dedup against the store and the uncommitted batch,
/// ids, and batched commits.
struct Writer<'a, S: Store> {
    store: &'a mut S,
    pipeline: &'a Pipeline,
    max_docs: usize,
    max_wait: Duration,
    pending: Vec<Pending>,
    /// SHA-256 → id of the uncommitted documents.
    shas: HashMap<String, String>,
    ids: HashSet<String>,
    /// LSH band → indexes into `pending` of the uncommitted documents having it.
    bands: HashMap<u64, Vec<usize>>,
    since: Option<Instant>,
    /// Reconcile each commit's documents (see `Engine::set_reconcile_after_ingest`).
    reconcile: bool,
}

impl<'a, S: Store> Writer<'a, S> {
    fn new(store: &'a mut S, pipeline: &'a Pipeline, max_docs: usize, max_wait: Duration) -> Self {
        Writer {
            store,
            pipeline,
            max_docs,
            max_wait,
            pending: Vec::new(),
            shas: HashMap::new(),
            ids: HashSet::new(),
            bands: HashMap::new(),
            since: None,
            reconcile: true,
        }
    }

    /// Stores everything the producer sends until it hangs up, committing as it goes.
    fn drain(
        mut self,
        rx: Receiver<Item>,
        report: &mut IngestReport,
        on: &mut dyn FnMut(IngestEvent<'_>),
    ) -> Result<(), EngineError> {
        loop {
            let item = match self.since {
                Some(t) => match rx.recv_timeout(self.max_wait.saturating_sub(t.elapsed())) {
                    Ok(item) => item,
                    Err(RecvTimeoutError::Timeout) => {
                        self.commit(report, on)?;
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => break,
                },
                None => match rx.recv() {
                    Ok(item) => item,
                    Err(_) => break,
                },
            };
            match item {
                Item::Rejected(r) => reject(&r, report, on),
                Item::InputDone(name) => on(IngestEvent::InputDone(&name)),
                Item::Article(p) => {
                    self.accept(*p, report)?;
                    let due = self.since.is_some_and(|t| t.elapsed() >= self.max_wait);
                    if self.pending.len() >= self.max_docs || due {
                        self.commit(report, on)?;
                    }
                }
            }
        }
        self.commit(report, on)
    }

    /// Dedup and id for one article, then queue it for the next commit.
    fn accept(&mut self, p: Prepared, report: &mut IngestReport) -> Result<(), EngineError> {
        let Prepared {
            article, sha, work, ..
        } = p;
        report.bytes += article.text.len() as u64;
        self.since.get_or_insert_with(Instant::now);
        let of = match self.shas.get(&sha) {
            Some(id) => Some(id.clone()),
            None => self.store.document_by_sha(&sha)?,
        };
        if let Some(of) = of {
            self.pending.push(Pending {
                origin: article.origin,
                outcome: Outcome::Duplicate { of },
                new: None,
            });
            return Ok(());
        }
        // An exact copy whose original was not stored after all: analyze it here.
        let Work {
            fingerprint,
            bands,
            mut analysis,
        } = work.unwrap_or_else(|| Work::of(self.pipeline, &article));
        let near = self.nearest(&fingerprint, &bands)?;
        let id = self.free_id(&article.stem)?;
        if id != article.stem {
            relabel(&mut analysis, &id);
        }
        let doc = Document {
            doc: id.clone(),
            title: article.title,
            published: article.published,
            publisher: article.publisher,
            author: article.author,
            url: article.url,
            sha256: sha.clone(),
            chars: article.text.chars().count(),
            near_duplicate_of: near.as_ref().map(|(d, _)| d.clone()),
            origin: Some(article.origin.clone()),
            text: Some(article.text),
        };
        let outcome = match near {
            Some((of, similarity)) => Outcome::NearDuplicate {
                doc: id.clone(),
                of,
                similarity,
            },
            None => Outcome::New { doc: id.clone() },
        };
        let index = self.pending.len();
        for &b in &bands {
            let list = self.bands.entry(b).or_default();
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
        self.shas.insert(sha, id.clone());
        self.ids.insert(id);
        self.pending.push(Pending {
            origin: article.origin,
            outcome,
            new: Some(NewDoc {
                doc,
                bytes: fingerprint.to_bytes(),
                fingerprint,
                bands,
                analysis,
            }),
        });
        Ok(())
    }

    /// The most similar earlier document at or above the threshold: stored ones in the
    /// store's candidate order, then uncommitted ones in input order; ties go to the
    /// first seen.
    fn nearest(
        &self,
        fp: &Fingerprint,
        bands: &[u64],
    ) -> Result<Option<(String, f64)>, EngineError> {
        let mut near: Option<(String, f64)> = None;
        let mut consider = |doc: &str, sim: f64| {
            if sim >= NEAR_DUPLICATE_THRESHOLD && near.as_ref().is_none_or(|(_, s)| sim > *s) {
                near = Some((doc.to_string(), sim));
            }
        };
        for (doc, bytes) in self.store.near_duplicate_candidates(bands)? {
            if let Some(other) = Fingerprint::from_bytes(&bytes) {
                consider(&doc, fp.similarity(&other));
            }
        }
        let mut local: Vec<usize> = bands
            .iter()
            .filter_map(|b| self.bands.get(b))
            .flatten()
            .copied()
            .collect();
        local.sort_unstable();
        local.dedup();
        for i in local {
            if let Some(n) = self.pending.get(i).and_then(|p| p.new.as_ref()) {
                consider(&n.doc.doc, fp.similarity(&n.fingerprint));
            }
        }
        Ok(near)
    }

    /// `stem`, else `stem-2`, `stem-3`, … : the first id neither stored nor taken by an
    /// uncommitted document.
    fn free_id(&self, stem: &str) -> Result<String, EngineError> {
        let first = self.store.unique_doc_id(stem)?;
        if !self.ids.contains(&first) {
            return Ok(first);
        }
        let base = stem.trim();
        let base = if base.is_empty() { "doc" } else { base };
        let mut n: u64 = 2;
        loop {
            let candidate = format!("{base}-{n}");
            if !self.ids.contains(&candidate) && self.store.unique_doc_id(&candidate)? == candidate
            {
                return Ok(candidate);
            }
            n += 1;
        }
    }

    /// Commits the pending documents in one store call, then reports each: stored, a
    /// duplicate, or rejected with the store's reason (the others are still stored).
    fn commit(
        &mut self,
        report: &mut IngestReport,
        on: &mut dyn FnMut(IngestEvent<'_>),
    ) -> Result<(), EngineError> {
        self.since = None;
        self.shas.clear();
        self.ids.clear();
        self.bands.clear();
        let pending = std::mem::take(&mut self.pending);
        if pending.is_empty() {
            return Ok(());
        }
        let batch: Vec<NewDocument<'_>> = pending
            .iter()
            .filter_map(|p| p.new.as_ref())
            .map(|n| NewDocument {
                doc: &n.doc,
                fingerprint: &n.bytes,
                bands: &n.bands,
                analysis: &n.analysis,
            })
            .collect();
        let results = self.store.insert_documents(&batch)?;
        // Incremental reconciliation: the committed documents' items, the keys they touch.
        let stored: Vec<(&Document, &Analysis)> = (batch.iter().zip(&results))
            .filter(|(_, r)| r.is_ok())
            .map(|(n, _)| (n.doc, n.analysis))
            .collect();
        if self.reconcile {
            crate::incremental::after_commit(&*self.store, &stored);
        }
        let mut results = results.into_iter();
        // Ids that were not stored after all → the stored id of the same text, if any.
        let mut failed: HashMap<String, Option<String>> = HashMap::new();
        for p in pending {
            let outcome = match (&p.new, p.outcome) {
                (Some(n), outcome) => match results.next() {
                    Some(Ok(())) => outcome,
                    // Another writer stored the same text since our check.
                    Some(Err(StoreError::Duplicate { existing, .. })) => {
                        failed.insert(n.doc.doc.clone(), Some(existing.clone()));
                        Outcome::Duplicate { of: existing }
                    }
                    Some(Err(e)) => {
                        failed.insert(n.doc.doc.clone(), None);
                        let r = Rejection::new(&p.origin, format!("could not be stored: {e}"));
                        reject(&r, report, on);
                        continue;
                    }
                    None => {
                        let r = Rejection::new(&p.origin, "the store skipped this document");
                        reject(&r, report, on);
                        continue;
                    }
                },
                (None, Outcome::Duplicate { of }) if failed.contains_key(&of) => {
                    match failed.get(&of).cloned().flatten() {
                        Some(existing) => Outcome::Duplicate { of: existing },
                        None => {
                            let r = Rejection::new(
                                &p.origin,
                                format!("a copy of `{of}`, which could not be stored"),
                            );
                            reject(&r, report, on);
                            continue;
                        }
                    }
                }
                (None, outcome) => outcome,
            };
            match &outcome {
                Outcome::New { .. } => report.new += 1,
                Outcome::Duplicate { .. } => report.duplicate += 1,
                Outcome::NearDuplicate { .. } => report.near_duplicate += 1,
            }
            on(IngestEvent::Stored(&p.origin, &outcome));
            report.outcomes.push((p.origin, outcome));
        }
        Ok(())
    }
}

/// Puts every record of an analysis under document id `doc`.
fn relabel(a: &mut Analysis, doc: &str) {
    for m in &mut a.mentions {
        m.doc = doc.to_string();
    }
    for l in &mut a.learned_aliases {
        l.doc = doc.to_string();
    }
    for f in &mut a.figures {
        f.doc = doc.to_string();
    }
    for r in &mut a.relations {
        r.doc = doc.to_string();
    }
    for e in &mut a.events {
        e.doc = doc.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_registry::Registry;
    use dossier_store::SqliteStore;

    fn article(origin: &str, stem: &str, text: &str) -> Article {
        Article {
            origin: origin.into(),
            stem: stem.into(),
            title: None,
            published: Some("2024-06-01".into()),
            publisher: None,
            author: None,
            url: None,
            text: text.into(),
            removed: Vec::new(),
        }
    }

    fn engine() -> Engine<SqliteStore> {
        let registry = Registry::builtin().expect("builtin registry loads");
        Engine::new(
            SqliteStore::open_in_memory().expect("store opens"),
            registry,
        )
        .expect("engine opens")
    }

    /// Invented report paragraphs, different enough not to be near-duplicates.
    fn report(n: usize) -> String {
        let places = ["Bannu", "Quetta", "Khost", "Kurram", "Bajaur", "Swat"];
        let words = [
            "convoy",
            "checkpoint",
            "market",
            "school",
            "patrol",
            "bridge",
        ];
        format!(
            "Report {n}. Police in {p} said the TTP attacked a {w} on Tuesday, killing {k} \
             people. Officials in {p} blamed the group for {a} attacks this year; a \
             spokesman denied it. Number {n} of a series on the {w} in {p}, written {n} \
             days after the {q} ambush that left {m} soldiers wounded near the {v}.",
            p = places[n % 6],
            w = words[(n / 6) % 6],
            k = 3 + n,
            a = 10 + 2 * n,
            q = places[(n + 3) % 6],
            m = 7 * n + 1,
            v = words[(n + 2) % 6],
        )
    }

    #[test]
    fn documents_of_one_commit_see_each_other_for_ids_copies_and_near_copies() {
        let mut e = engine();
        let base = report(1);
        // Same text as `base` except for one word near the end: a syndicated copy.
        let near = base.replace("wounded near", "hurt near");
        let arts = vec![
            article("a.txt", "report", &base),
            article("b.txt", "report", &report(2)),
            article("c.txt", "copy", &base),
            article("d.txt", "report", &near),
        ];
        let mut stored = Vec::new();
        let r = e
            .ingest_articles(arts, &mut |ev| {
                if let IngestEvent::Stored(o, _) = ev {
                    stored.push(o.to_string());
                }
            })
            .unwrap();
        assert_eq!(stored, ["a.txt", "b.txt", "c.txt", "d.txt"]);
        let outcomes: Vec<&Outcome> = r.outcomes.iter().map(|(_, o)| o).collect();
        assert_eq!(
            outcomes[0],
            &Outcome::New {
                doc: "report".into()
            }
        );
        assert_eq!(
            outcomes[1],
            &Outcome::New {
                doc: "report-2".into()
            }
        );
        assert_eq!(
            outcomes[2],
            &Outcome::Duplicate {
                of: "report".into()
            }
        );
        match outcomes[3] {
            Outcome::NearDuplicate { doc, of, .. } => {
                assert_eq!((doc.as_str(), of.as_str()), ("report-3", "report"));
            }
            other => panic!("expected a near-duplicate, got {other:?}"),
        }
        assert_eq!((r.new, r.duplicate, r.near_duplicate), (2, 1, 1));
        // Records carry the id the document was stored under, not the provisional stem.
        let mentions = e
            .store()
            .mentions(&dossier_store::Filter::default())
            .unwrap();
        assert!(mentions.iter().any(|m| m.doc == "report-3"));
        let ids: HashSet<&str> = mentions.iter().map(|m| m.doc.as_str()).collect();
        assert_eq!(ids, HashSet::from(["report", "report-2", "report-3"]));
    }

    #[test]
    fn a_second_run_sees_the_first_runs_commits() {
        let mut e = engine();
        let first = vec![article("a.txt", "a", &report(4))];
        e.ingest_articles(first, &mut |_| {}).unwrap();
        let again = vec![
            article("b.txt", "a", &report(5)),
            article("a2.txt", "a", &report(4)),
        ];
        let r = e.ingest_articles(again, &mut |_| {}).unwrap();
        assert_eq!(r.outcomes[0].1, Outcome::New { doc: "a-2".into() });
        assert_eq!(r.outcomes[1].1, Outcome::Duplicate { of: "a".into() });
    }

    #[test]
    fn more_documents_than_one_commit_holds_are_all_stored_in_order() {
        let mut e = engine();
        e.set_write_batch(16, WRITE_WAIT);
        let n = 16 * 2 + 3;
        let arts: Vec<Article> = (0..n)
            .map(|i| article(&format!("{i}.txt"), &format!("d{i}"), &report(i + 10)))
            .collect();
        let r = e.ingest_articles(arts, &mut |_| {}).unwrap();
        assert_eq!(r.new + r.near_duplicate, n);
        let docs = e.store().documents().unwrap();
        let want: Vec<String> = (0..n).map(|i| format!("d{i}")).collect();
        let got: Vec<String> = docs.into_iter().map(|d| d.doc).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_document_is_reported_stored_only_once_another_connection_can_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.db");
        let registry = Registry::builtin().unwrap();
        let mut e = Engine::new(SqliteStore::open(&path).unwrap(), registry).unwrap();
        // Several commits, so reports of one batch come while the next is pending.
        e.set_write_batch(8, WRITE_WAIT);
        let reader = SqliteStore::open(&path).unwrap();
        let arts: Vec<Article> = (0..40)
            .map(|i| article(&format!("{i}.txt"), &format!("r{i}"), &report(i + 50)))
            .collect();
        let mut checked = 0;
        e.ingest_articles(arts, &mut |ev| {
            if let IngestEvent::Stored(
                _,
                Outcome::New { doc } | Outcome::NearDuplicate { doc, .. },
            ) = ev
            {
                let stored = reader.document(doc).unwrap();
                assert!(stored.is_some(), "{doc} reported before it was committed");
                checked += 1;
            }
        })
        .unwrap();
        assert_eq!(checked, 40);
    }

    #[test]
    fn texts_stored_before_the_run_are_not_sent_to_analysis() {
        let (out, rx) = sync_channel(4);
        let stored_text = report(30);
        let mut p = Producer {
            out,
            buf: Vec::new(),
            seen: HashSet::new(),
            stored: HashSet::from([sha256_hex(&stored_text)]),
        };
        let arts = vec![
            article("old.txt", "old", &stored_text),
            article("new.txt", "new", &report(31)),
            article("new2.txt", "new2", &report(31)),
        ];
        p.batch(arts).unwrap();
        let analyze: Vec<bool> = rx
            .recv()
            .unwrap()
            .into_iter()
            .filter_map(|item| match item {
                Item::Article(p) => Some(p.analyze),
                _ => None,
            })
            .collect();
        assert_eq!(analyze, [false, true, false]);
    }

    #[test]
    fn ingesting_the_same_files_again_reports_every_one_a_duplicate() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3 {
            std::fs::write(dir.path().join(format!("r{i}.txt")), report(40 + i)).unwrap();
        }
        let mut e = engine();
        let paths = [dir.path().to_path_buf()];
        let cfg = IngestConfig::default();
        let first = e.ingest_paths(&paths, &cfg, &mut |_| {}).unwrap();
        assert_eq!(first.new + first.near_duplicate, 3);
        let again = e.ingest_paths(&paths, &cfg, &mut |_| {}).unwrap();
        assert_eq!((again.new, again.duplicate), (0, 3), "{:?}", again.outcomes);
    }

    #[test]
    fn relabel_moves_every_record_to_the_new_id() {
        let mut a = Analysis::default();
        a.mentions.push(dossier_model::Mention {
            doc: "x".into(),
            entity: "ttp".into(),
            start: 0,
            end: 3,
            text: "TTP".into(),
            rule: "registry".into(),
        });
        relabel(&mut a, "x-2");
        assert_eq!(a.mentions[0].doc, "x-2");
    }
}
