//! Command-line flags (clap derive; doc comments are the help text).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Dossier: a source-grounded intelligence picture from conflict reporting.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about)]
pub struct Cli {
    /// The store: a SQLite file, created when missing.
    #[arg(long, global = true, env = "DOSSIER_DB", default_value = "dossier.db")]
    pub db: PathBuf,
    /// Load the registry (actors.toml, places.tsv) from this folder instead of the built-in one.
    #[arg(long, global = true, env = "DOSSIER_REGISTRY")]
    pub registry: Option<PathBuf>,
    /// Log what happens to each input (or set DOSSIER_LOG=debug).
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest articles: files, folders (recursively) or `-` for stdin.
    /// Formats: .txt .md .html .htm .pdf .jsonl
    Ingest(IngestArgs),
    /// Write the store's records (see shared/spec/interchange.md).
    Export(ExportArgs),
    /// The dossier of an actor or place: any alias or spelling works.
    Actor(ActorArgs),
    /// Figures (attacks, fatalities, fighters, money, …) with their sources.
    Figures(FiguresArgs),
    /// The events timeline, with dates as precise as the sources allow.
    Events(EventsArgs),
    /// Full-text search with highlighted snippets.
    Search(SearchArgs),
    /// Figures that disagree across sources, and relations some assert and others deny.
    Disputes(DisputesArgs),
    /// Bring the persisted reconciliation up to date (ingest keeps it so; curation
    /// marks it stale) and print what it holds; `--rebuild` recomputes it in full.
    Reconcile(ReconcileArgs),
    /// Counts of what the store holds.
    Stats,
    /// Merge entity ABSORB into KEEP (reversible with `split`).
    Merge(MergeArgs),
    /// Undo a merge by its id.
    Split(SplitArgs),
    /// Registry curation.
    #[command(subcommand)]
    Registry(RegistryCommand),
    /// Ingest the bundled sample corpus into a fresh store, print a dossier and serve the web UI.
    Demo(DemoArgs),
    /// Serve the JSON API and the browser UI.
    Serve(ServeArgs),
    /// Write a deterministic synthetic corpus (benchmarks, recall tests) with a
    /// .manifest.jsonl of what each document plants (hidden, so ingest skips it).
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Publication date for these inputs (YYYY-MM-DD); wins over dates found in them.
    #[arg(long, value_parser = checked_date)]
    pub published: Option<String>,
    /// Publisher for these inputs; wins over what is found in them.
    #[arg(long)]
    pub publisher: Option<String>,
    /// Reject files larger than this many bytes.
    #[arg(long, default_value_t = 50 * 1024 * 1024)]
    pub max_bytes: u64,
    /// Print the run's report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// JSON Lines interchange records (shared/spec/interchange.md).
    Jsonl,
    /// Events as CSV in ACLED-like columns.
    Csv,
    /// Figures as CSV, one row per figure.
    FiguresCsv,
    /// The actor network as GraphML (Gephi, networkx).
    Graphml,
    /// The actor network as GEXF (Gephi).
    Gexf,
    /// A STIX 2.1 bundle (OpenCTI and other CTI platforms).
    Stix,
    /// Events and places as GeoJSON points.
    Geojson,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value = "jsonl")]
    pub format: ExportFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Include each document's clean text.
    #[arg(long)]
    pub with_text: bool,
    /// Include every registry entity, not only those the documents mention.
    #[arg(long)]
    pub all_entities: bool,
}

#[derive(Debug, Args)]
pub struct ActorArgs {
    pub name: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FiguresArgs {
    /// Whose figures: any alias of an actor.
    #[arg(long)]
    pub subject: Option<String>,
    /// attacks, fatalities, injuries, fighters, money, weapons, …
    #[arg(long)]
    pub metric: Option<String>,
    /// Period (YYYY or YYYY-MM).
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DisputesArgs {
    /// Only disputes about this actor (any alias).
    #[arg(long)]
    pub subject: Option<String>,
    /// Only this metric (attacks, fatalities, fighters, …).
    #[arg(long)]
    pub metric: Option<String>,
    /// Only this period (YYYY or YYYY-MM).
    #[arg(long)]
    pub period: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReconcileArgs {
    /// Recompute every figure group and contested relation from the stored figures,
    /// relations and texts, even when the persisted results are current.
    #[arg(long)]
    pub rebuild: bool,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Events involving this actor (perpetrator or target).
    #[arg(long)]
    pub actor: Option<String>,
    /// From this date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.
    #[arg(long)]
    pub from: Option<String>,
    /// Up to this date, inclusive.
    #[arg(long)]
    pub to: Option<String>,
    /// Events at this place.
    #[arg(long)]
    pub place: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    pub query: String,
    /// Read the query as FTS5 syntax ("phrase", OR, NOT, prefix*, NEAR).
    #[arg(long)]
    pub raw: bool,
    /// Only documents that mention this actor.
    #[arg(long)]
    pub actor: Option<String>,
    #[arg(long)]
    pub publisher: Option<String>,
    /// Published on or after this date.
    #[arg(long)]
    pub from: Option<String>,
    /// Published on or before this date.
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    pub keep: String,
    pub absorb: String,
}

#[derive(Debug, Args)]
pub struct SplitArgs {
    pub merge_id: u64,
}

#[derive(Debug, Subcommand)]
pub enum RegistryCommand {
    /// Mark a discovered entity as curated and append its entry to the --registry
    /// folder's actors.toml (printed too).
    Promote { id: String },
    /// Validate the registry and list its problems.
    Check,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The demo store (recreated on each run; your --db store is left alone).
    #[arg(long = "demo-db", default_value = "dossier-demo.db")]
    pub db: PathBuf,
    /// The corpus to ingest (default: the bundled examples/corpus).
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Address of the web UI the demo serves.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Print the dossier and exit instead of serving the web UI.
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Bearer token that uploads and curation need; without it the server is read-only.
    #[arg(long, env = "DOSSIER_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many documents.
    #[arg(long, default_value_t = 1000)]
    pub docs: usize,
    /// Seed: the same seed writes the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder to write into (created when missing).
    #[arg(long)]
    pub out: PathBuf,
}

/// A date flag, normalized to ISO before anything runs: an impossible date such as
/// `99999-01-01` would otherwise be stored as the document's date and break every
/// date filter.
fn checked_date(s: &str) -> Result<String, String> {
    dossier_ingest::parse_date_exact(s).ok_or_else(|| {
        "not a calendar date: use YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2024-02-29)".to_string()
    })
}
