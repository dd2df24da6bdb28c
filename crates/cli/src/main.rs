//! `dossier`: the command line. Glue only: flags become a checked configuration,
//! the engine does the work, this file prints. Data goes to stdout, logs and
//! progress to stderr. Exit codes: 0 ok, 1 partial failure (some inputs
//! rejected), 2 usage or fatal error.

mod args;
mod render;
#[cfg(feature = "postgres")]
mod workers;

use anyhow::{Context, Result};
use args::{Cli, Command, ExportFormat};
use clap::Parser;
use dossier_engine::{Engine, ExportOptions, Format, IngestEvent, IngestReport, Outcome};
use dossier_ingest::IngestConfig;
use dossier_store::{Filter, SearchMode, SearchQuery, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `print!` that returns an error instead of panicking when stdout is closed
/// (`dossier export | head`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)?
    }};
}

/// `println!` that returns an error instead of panicking when stdout is closed.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?
    }};
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    match run(cli) {
        Ok(code) => code,
        // The reader of our output went away (`| head`): what it wanted it got.
        Err(e) if stdout_closed(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn stdout_closed(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn init_logging(verbose: bool) {
    let default = if verbose { "info" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("DOSSIER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

fn open(cli_db: &Path, registry: Option<&Path>) -> Result<Engine> {
    Engine::open(cli_db, registry)
        .with_context(|| format!("opening the store {}", cli_db.display()))
}

fn run(cli: Cli) -> Result<ExitCode> {
    let registry = cli.registry.as_deref();
    match cli.command {
        Command::Ingest(a) => {
            let cfg = IngestConfig {
                max_bytes: a.max_bytes,
                published: a.published.clone(),
                publisher: a.publisher.clone(),
                ..IngestConfig::default()
            };
            #[cfg(feature = "postgres")]
            let report = match cli
                .db
                .to_str()
                .filter(|d| dossier_pgstore::is_postgres_url(d))
            {
                Some(url) => {
                    let report = workers::ingest(url, registry, &a.paths, &cfg)?;
                    if a.json {
                        outln!("{}", serde_json::to_string_pretty(&report)?);
                    }
                    eprintln!("{}", report.summary());
                    report
                }
                None => ingest(&mut open(&cli.db, registry)?, &a.paths, &cfg, a.json)?,
            };
            #[cfg(not(feature = "postgres"))]
            let report = ingest(&mut open(&cli.db, registry)?, &a.paths, &cfg, a.json)?;
            Ok(if report.rejected > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Demo(a) => demo(&a, registry),
        Command::Generate(a) => generate(&a, registry),
        Command::Serve(a) => {
            let engine = open(&cli.db, registry)?;
            let config = dossier_server::ServerConfig {
                token: a.token.filter(|t| !t.is_empty()),
                ..Default::default()
            };
            let writes = if config.token.is_some() {
                "token required"
            } else {
                "read-only"
            };
            let state = dossier_server::AppState::new(engine, config);
            dossier_server::serve(a.addr, state, |addr| {
                eprintln!("serving Dossier on http://{addr}/ (writes: {writes}; Ctrl-C stops)")
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(a) => {
            let engine = open(&cli.db, registry)?;
            let mut out: Box<dyn Write> = match &a.output {
                Some(p) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(p)
                        .with_context(|| format!("creating {}", p.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let other = match a.format {
                ExportFormat::Jsonl => {
                    let opts = ExportOptions {
                        with_text: a.with_text,
                        all_entities: a.all_entities,
                    };
                    let n = dossier_engine::write_jsonl(&engine, opts, &mut out)?;
                    tracing::info!("wrote {n} records");
                    return Ok(ExitCode::SUCCESS);
                }
                ExportFormat::Csv => Format::EventsCsv,
                ExportFormat::FiguresCsv => Format::FiguresCsv,
                ExportFormat::Graphml => Format::Graphml,
                ExportFormat::Gexf => Format::Gexf,
                ExportFormat::Stix => Format::Stix,
                ExportFormat::Geojson => Format::Geojson,
            };
            dossier_engine::write_format(&engine, other, &mut out)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Actor(a) => {
            let engine = open(&cli.db, registry)?;
            let dossier = match engine.dossier(&a.name) {
                Ok(d) => d,
                Err(dossier_engine::EngineError::NotFound(msg)) => {
                    eprintln!("{msg}");
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e.into()),
            };
            emit(a.json, &dossier, || render::dossier(&dossier))
        }
        Command::Figures(a) => {
            let engine = open(&cli.db, registry)?;
            let subject = resolve_opt(&engine, a.subject.as_deref())?;
            let filter = Filter {
                entity: subject,
                metric: a.metric.clone(),
                from: a.period.clone(),
                to: a.period.clone(),
                ..Filter::default()
            };
            let mut figures = engine.store().figures(&filter)?;
            figures.sort_by(|x, y| {
                x.period
                    .cmp(&y.period)
                    .then(x.metric.cmp(&y.metric))
                    .then(x.doc.cmp(&y.doc))
            });
            let disputes = engine.reconcile_disputes()?.disputes;
            let disputed = |f: &dossier_model::Figure| {
                disputes
                    .iter()
                    .find(|d| {
                        d.classification != "within_tolerance"
                            && d.figures.iter().any(|x| x.doc == f.doc && x.text == f.text)
                    })
                    .map(|d| d.classification.clone())
            };
            if a.json {
                let rows: Vec<serde_json::Value> = figures
                    .iter()
                    .map(|f| {
                        let mut v = serde_json::to_value(f).unwrap_or_default();
                        v["dispute"] = serde_json::json!(disputed(f));
                        v
                    })
                    .collect();
                outln!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                out!("{}", render::figure_table(&figures, &disputed));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Events(a) => {
            let engine = open(&cli.db, registry)?;
            let actor = resolve_opt(&engine, a.actor.as_deref())?;
            let place = resolve_opt(&engine, a.place.as_deref())?;
            let filter = Filter {
                entity: actor,
                place,
                from: a.from.clone(),
                to: a.to.clone(),
                ..Filter::default()
            };
            let mut events = engine.store().events(&filter)?;
            events.sort_by(|x, y| x.date.cmp(&y.date).then(x.doc.cmp(&y.doc)));
            emit(a.json, &events, || render::events(&events))
        }
        Command::Search(a) => {
            let engine = open(&cli.db, registry)?;
            let q = SearchQuery {
                text: a.query.clone(),
                mode: if a.raw {
                    SearchMode::Raw
                } else {
                    SearchMode::Safe
                },
                publisher: a.publisher.clone(),
                from: a.from.clone(),
                to: a.to.clone(),
                limit: Some(a.limit),
                offset: 0,
            };
            let hits = match engine.store().search(&q) {
                Ok(h) => h,
                Err(e) if e.is_user_error() => {
                    eprintln!("search: {e}");
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            };
            let hits: Vec<_> = match a.actor.as_deref() {
                Some(name) => {
                    let id = resolve_or_literal(&engine, name)?;
                    let docs: std::collections::HashSet<String> = engine
                        .store()
                        .mentions(&Filter {
                            entity: Some(id),
                            ..Filter::default()
                        })?
                        .into_iter()
                        .map(|m| m.doc)
                        .collect();
                    hits.into_iter().filter(|h| docs.contains(&h.doc)).collect()
                }
                None => hits,
            };
            emit(a.json, &hits, || render::search(&hits))
        }
        Command::Disputes(a) => {
            let engine = open(&cli.db, registry)?;
            let subject = resolve_opt(&engine, a.subject.as_deref())?;
            let mut rec = engine.reconcile_disputes()?;
            rec.disputes.retain(|d| {
                subject
                    .as_ref()
                    .is_none_or(|s| d.subject.as_ref() == Some(s))
                    && a.metric.as_ref().is_none_or(|m| d.metric.as_str() == m)
                    && a.period.as_ref().is_none_or(|p| {
                        d.period
                            .as_deref()
                            .is_some_and(|dp| dp.starts_with(p.as_str()))
                    })
            });
            rec.contested.retain(|c| {
                subject
                    .as_ref()
                    .is_none_or(|s| &c.source == s || &c.target == s)
            });
            if a.metric.is_some() || a.period.is_some() {
                rec.contested.clear();
            }
            if a.json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"disputes": rec.disputes, "contested": rec.contested})
                    )?
                );
            } else {
                out!("{}", render::disputes(&rec.disputes, &rec.contested));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Reconcile(a) => {
            let engine = open(&cli.db, registry)?;
            let current = engine.reconciliation_is_current()?;
            let started = std::time::Instant::now();
            let rec = if a.rebuild {
                engine.rebuild_reconciliation()?
            } else {
                engine.reconcile()?
            };
            outln!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "was_current": current,
                    "rebuilt": a.rebuild || !current,
                    "current": engine.reconciliation_is_current()?,
                    "disputes": rec.disputes.len(),
                    "contested": rec.contested.len(),
                    "claims": rec.corroboration.len(),
                    "seconds": started.elapsed().as_secs_f64(),
                }))?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats => {
            let engine = open(&cli.db, registry)?;
            outln!(
                "{}",
                serde_json::to_string_pretty(&engine.store().stats()?)?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Merge(a) => {
            let mut engine = open(&cli.db, registry)?;
            let keep = resolve_required(&engine, &a.keep)?;
            let absorb = resolve_required(&engine, &a.absorb)?;
            let id = engine.store_mut().merge_entities(&keep, &absorb)?;
            outln!("merge {id}: `{absorb}` now reads as `{keep}` (undo with `dossier split {id}`)");
            Ok(ExitCode::SUCCESS)
        }
        Command::Split(a) => {
            let mut engine = open(&cli.db, registry)?;
            engine.store_mut().undo_merge(a.merge_id)?;
            outln!("merge {} undone", a.merge_id);
            Ok(ExitCode::SUCCESS)
        }
        Command::Registry(args::RegistryCommand::Promote { id }) => {
            // Checked before anything changes: the built-in registry cannot be edited.
            let Some(dir) = registry else {
                anyhow::bail!(
                    "promote appends to an editable actors.toml, but the built-in registry \
                     (data/actors.toml, compiled in) is in use: pass --registry DIR (a folder \
                     holding actors.toml and places.tsv, e.g. a copy of data/)"
                );
            };
            let mut engine = open(&cli.db, registry)?;
            let id = resolve_required(&engine, &id)?;
            let entity = engine.store_mut().promote_entity(&id)?;
            let entry = render::registry_entry(&entity);
            let file = dossier_registry::append_actor(dir, &entry)?;
            out!("{entry}");
            eprintln!("appended `{}` to {}", entity.id, file.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Registry(args::RegistryCommand::Check) => {
            let engine = open(&cli.db, registry)?;
            let problems = engine.pipeline().registry().problems();
            for p in problems {
                outln!("{p}");
            }
            eprintln!(
                "{} entities, {} problems",
                engine.pipeline().registry().entities().len(),
                problems.len()
            );
            Ok(if problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// Print `value` as JSON or as the rendered text.
fn emit<T: serde::Serialize>(
    json: bool,
    value: &T,
    text: impl FnOnce() -> String,
) -> Result<ExitCode> {
    if json {
        outln!("{}", serde_json::to_string_pretty(value)?);
    } else {
        out!("{}", text());
    }
    Ok(ExitCode::SUCCESS)
}

/// Resolve an optional user-typed name to an entity id (or keep it as a literal).
fn resolve_opt(engine: &Engine, name: Option<&str>) -> Result<Option<String>> {
    name.map(|s| resolve_or_literal(engine, s)).transpose()
}

fn resolve_or_literal(engine: &Engine, name: &str) -> Result<String> {
    Ok(engine.resolve(name)?.unwrap_or_else(|| name.to_string()))
}

fn resolve_required(engine: &Engine, name: &str) -> Result<String> {
    engine
        .resolve(name)?
        .with_context(|| format!("no entity called `{name}`"))
}

/// Run an ingest with a progress bar on stderr (hidden when stderr is not a terminal).
fn ingest(
    engine: &mut Engine,
    paths: &[PathBuf],
    cfg: &IngestConfig,
    json: bool,
) -> Result<IngestReport> {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} inputs {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut on = |ev: IngestEvent<'_>| match ev {
        IngestEvent::Planned(n) => bar.set_length(n as u64),
        IngestEvent::InputDone(_) => bar.inc(1),
        IngestEvent::Rejected(r) => bar.suspend(|| eprintln!("rejected {r}")),
        IngestEvent::Stored(origin, outcome) => match outcome {
            Outcome::New { doc } => tracing::info!("{origin}: stored as {doc}"),
            Outcome::Duplicate { of } => {
                bar.suspend(|| eprintln!("{origin}: duplicate of {of}, skipped"))
            }
            Outcome::NearDuplicate {
                doc,
                of,
                similarity,
            } => bar.suspend(|| {
                eprintln!(
                    "{origin}: stored as {doc}, a near-duplicate of {of} ({:.0}% similar)",
                    similarity * 100.0
                )
            }),
        },
    };
    let report = engine.ingest_paths(paths, cfg, &mut on)?;
    bar.finish_and_clear();
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    }
    eprintln!("{}", report.summary());
    Ok(report)
}

/// Ingest the bundled sample corpus into a fresh store, show the TTP dossier, then
/// serve the web UI on it (unless `--no-serve`).
fn demo(a: &args::DemoArgs, registry: Option<&Path>) -> Result<ExitCode> {
    let db = a.db.as_path();
    let corpus = match a.corpus.as_deref() {
        Some(c) => c.to_path_buf(),
        None => default_corpus().context(
            "the sample corpus examples/corpus was not found; run from the repository or pass --corpus DIR",
        )?,
    };
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("removing the old demo store {}", p.display()))?;
        }
    }
    let mut engine = open(db, registry)?;
    eprintln!(
        "ingesting the sample corpus {} into {}",
        corpus.display(),
        db.display()
    );
    ingest(&mut engine, &[corpus], &IngestConfig::default(), false)?;
    let dossier = engine.dossier("TTP")?;
    out!("{}", render::dossier(&dossier));
    eprintln!(
        "\nexplore further: dossier --db {} actor \"Afghan Taliban\" | events | figures --subject TTP | disputes | search QUERY | export --format stix",
        db.display()
    );
    if a.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    let state = dossier_server::AppState::new(engine, dossier_server::ServerConfig::default());
    dossier_server::serve(a.addr, state, |addr| {
        eprintln!("\nthe demo's web UI: http://{addr}/  (read-only; Ctrl-C stops)")
    })?;
    Ok(ExitCode::SUCCESS)
}

fn default_corpus() -> Option<PathBuf> {
    let here = PathBuf::from("examples/corpus");
    if here.is_dir() {
        return Some(here);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/corpus");
    built.is_dir().then_some(built)
}

/// Write a synthetic corpus; the summary goes to stdout as JSON.
fn generate(a: &args::GenerateArgs, registry: Option<&Path>) -> Result<ExitCode> {
    let reg = match registry {
        Some(dir) => dossier_registry::Registry::from_dir(dir)?,
        None => dossier_registry::Registry::builtin()?,
    };
    let config = dossier_corpusgen::GenConfig {
        docs: a.docs,
        seed: a.seed,
        ..Default::default()
    };
    let summary = dossier_corpusgen::CorpusGenerator::new(&reg)?
        .configure(config)
        .write(&a.out)?;
    outln!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(ExitCode::SUCCESS)
}
