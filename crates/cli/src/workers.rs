//! `dossier ingest --db postgres://…`: cooperating ingest workers.
//!
//! Any number of processes, on any machines that see the same files, may run the same
//! ingest against one PostgreSQL database. Each enqueues the inputs it was given (a
//! unit per file, keyed by the SHA-256 of its bytes: the same corpus enqueued twice is
//! one set of units), then claims units one at a time until none is left (see
//! `dossier_pgstore::queue`). Every document is stored once: the store refuses a second
//! copy of a text as a duplicate inside its insert transaction.
//!
//! Near-duplicates (syndicated copies) stored by two workers at the same moment are
//! settled after each unit: whichever worker finishes last marks the later copy.
//!
//! Reconciliation is kept up to date as units commit: each commit marks the group keys
//! its documents touch; a worker recomputes the marked keys (every worker's) at most
//! every [`RECONCILE_EVERY`] and when the queue is empty, each key under a
//! transaction-level advisory lock on the key, reading committed data (two workers
//! touching one key take turns; the later one sees both's figures). Keys still marked
//! are recomputed by the next read. Recomputing after every unit instead made busy keys
//! (a prolific group's attacks) a queue the workers waited in: 1, 2 and 4 workers all
//! ran at ~17 docs/s. A copy settled after the fact has its copy cluster's keys
//! recomputed at once.
//!
//! Gap: page-chrome removal looks across the documents of one unit (one file) only,
//! where a single-process ingest looks across a batch of 64 documents.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// How often a busy worker recomputes the reconciliation keys marked meanwhile.
const RECONCILE_EVERY: Duration = Duration::from_secs(30);

use anyhow::{Context, Result};
use dossier_engine::{Engine, IngestEvent, IngestReport, Outcome, NEAR_DUPLICATE_THRESHOLD};
use dossier_ingest::{collect_inputs, Fingerprint, IngestConfig, Input};
use dossier_pgstore::PgStore;
use dossier_registry::Registry;
use sha2::{Digest, Sha256};

/// How long a claimed unit stays a worker's before others may take it over (a worker
/// that died). Generous: one unit is one file.
const LEASE: Duration = Duration::from_secs(600);

/// Runs this process as one ingest worker over `paths`; returns what this worker did.
pub fn ingest(
    url: &str,
    registry: Option<&Path>,
    paths: &[PathBuf],
    cfg: &IngestConfig,
) -> Result<IngestReport> {
    let started = std::time::Instant::now();
    let registry = match registry {
        Some(dir) => Registry::from_dir(dir)?,
        None => Registry::builtin()?,
    };
    let store = PgStore::open(url).context("opening the PostgreSQL store")?;
    let mut engine = Engine::new(store, registry)?;
    let worker = format!(
        "{}:{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".into()),
        std::process::id()
    );

    let (inputs, rejected) = collect_inputs(paths);
    let mut report = IngestReport::default();
    for r in &rejected {
        eprintln!("rejected {r}");
        report.rejected += 1;
        report.rejections.push(r.to_string());
    }
    let mut units = Vec::new();
    let mut stdin = false;
    for input in inputs {
        match input {
            Input::Stdin => stdin = true,
            Input::File(p) => match std::fs::read(&p) {
                Ok(bytes) => {
                    let key: String = Sha256::digest(&bytes)
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect();
                    units.push((key, p.display().to_string()));
                }
                // Unreadable here may be readable elsewhere: leave it to the ingest of
                // the unit to report, by queueing it under its path.
                Err(_) => units.push((format!("path:{}", p.display()), p.display().to_string())),
            },
        }
    }
    let added = engine.store().enqueue(&units)?;
    tracing::info!("{worker}: {added} of {} inputs newly queued", units.len());

    let mut on = |ev: IngestEvent<'_>| match ev {
        IngestEvent::Rejected(r) => eprintln!("rejected {r}"),
        IngestEvent::Stored(origin, Outcome::Duplicate { of }) => {
            eprintln!("{origin}: duplicate of {of}, skipped")
        }
        IngestEvent::Stored(origin, outcome) => tracing::info!("{origin}: {outcome:?}"),
        _ => {}
    };
    if stdin {
        merge(
            &mut report,
            engine.ingest_paths(&[PathBuf::from("-")], cfg, &mut on)?,
        );
    }
    engine.set_reconcile_after_ingest(false);
    let mut reconciled_at = std::time::Instant::now();
    while let Some(unit) = engine.store().claim(&worker, LEASE)? {
        match engine.ingest_paths(&[PathBuf::from(&unit.path)], cfg, &mut on) {
            Ok(r) => {
                let settled = settle(engine.store(), &r)?;
                if !settled.is_empty() {
                    engine.reconcile_documents_changed(&settled)?;
                }
                merge(&mut report, r);
                engine.store().finish(&unit, &worker, None)?;
                if reconciled_at.elapsed() >= RECONCILE_EVERY {
                    engine.reconcile_marked();
                    reconciled_at = std::time::Instant::now();
                }
            }
            Err(e) => {
                let msg = e.to_string();
                engine.store().finish(&unit, &worker, Some(&msg))?;
                return Err(e).with_context(|| format!("ingesting {}", unit.path));
            }
        }
    }
    // The queue is empty: bring the reconciliation up to date.
    engine.reconcile_marked();
    report.seconds = started.elapsed().as_secs_f64();
    let q = engine.store().queue_counts()?;
    eprintln!(
        "worker {worker}: queue {} done, {} taken by others, {} pending, {} failed",
        q.done, q.taken, q.pending, q.failed
    );
    Ok(report)
}

/// Marks near-duplicates that another worker stored at the same moment (see
/// `PgStore::settle_near_duplicates`), for every document this unit stored; returns
/// the documents of the links it set.
fn settle(store: &PgStore, r: &IngestReport) -> Result<Vec<String>> {
    let mut settled = Vec::new();
    let similarity = |a: &[u8], b: &[u8]| -> Option<f64> {
        Some(Fingerprint::from_bytes(a)?.similarity(&Fingerprint::from_bytes(b)?))
    };
    for (_, outcome) in &r.outcomes {
        if let Outcome::New { doc } | Outcome::NearDuplicate { doc, .. } = outcome {
            for (copy, of) in
                store.settle_near_duplicates(doc, NEAR_DUPLICATE_THRESHOLD, &similarity)?
            {
                tracing::info!("{copy}: a near-duplicate of {of}, stored at the same time");
                settled.push(copy);
                settled.push(of);
            }
        }
    }
    Ok(settled)
}

fn merge(into: &mut IngestReport, r: IngestReport) {
    into.new += r.new;
    into.duplicate += r.duplicate;
    into.near_duplicate += r.near_duplicate;
    into.rejected += r.rejected;
    into.bytes += r.bytes;
    into.outcomes.extend(r.outcomes);
    into.rejections.extend(r.rejections);
}
