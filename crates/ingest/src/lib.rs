//! Reading real-world articles into Dossier's clean text.
//!
//! The main type is [`Article`]: one document's clean text plus the metadata found
//! around it. Reading goes in three steps:
//!
//! 1. [`collect_inputs`] turns command-line paths into [`Input`]s (folders walked in
//!    sorted order, `-` for stdin);
//! 2. [`read_input`] / [`read_bytes`] decode each input by its format (`.txt`, `.md`,
//!    `.html`, `.pdf`, `.jsonl`) and clean it: page chrome is removed by cue phrases
//!    from `data/boilerplate.txt` ([`ChromeRules`]), by position (short lines at the
//!    top and foot, author bios), by link density (HTML);
//! 3. [`remove_repeated_lines`] removes lines that recur across a batch (site chrome
//!    no rule knows).
//!
//! Nothing here panics or stops a batch on odd input: every problem is a [`Rejection`]
//! with the origin and one clear reason, and the other inputs still come out.
//!
//! The clean text is what every span in Dossier points into: one paragraph per line,
//! paragraphs separated by a blank line, single spaces, no control or zero-width
//! characters. [`sha256_hex`] and [`Fingerprint`] identify exact and near duplicates.
//!
//! ```
//! use dossier_ingest::{read_bytes, IngestConfig};
//!
//! let page = "Talks Resume in Doha\n\nBy Amina Rahimi\n\nDelegates met on Sunday.\n\nShare this article";
//! let out = read_bytes("doha.txt", page.as_bytes(), &IngestConfig::default());
//! let article = out[0].as_ref().expect("an article");
//! assert_eq!(article.title.as_deref(), Some("Talks Resume in Doha"));
//! assert_eq!(article.author.as_deref(), Some("Amina Rahimi"));
//! assert_eq!(article.text, "Delegates met on Sunday.");
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

mod clean;
mod date;
mod decode;
mod fingerprint;
mod html;
mod jsonl;
mod markdown;
mod pdf;
mod rules;
mod walk;

pub use date::{normalize_date, parse_date_exact};
pub use decode::DecodeError;
pub use fingerprint::{sha256_hex, Fingerprint};
pub use pdf::PdfError;
pub use rules::{ChromeRules, CueKind, RulesError};
pub use walk::collect_inputs;

use clean::{Meta, Wrap};

/// Extensions read, by format; listed in the "unsupported extension" rejection.
pub const SUPPORTED_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "pdf", "jsonl", "ndjson",
];

/// How to read inputs. Build with `Default` and override fields.
#[derive(Debug, Clone)]
pub struct IngestConfig {
    /// Files larger than this are rejected (default 50 MiB).
    pub max_bytes: u64,
    /// Publication date given on the command line: wins over anything found.
    pub published: Option<String>,
    /// Publisher given on the command line: wins over anything found.
    pub publisher: Option<String>,
    /// Chrome cue phrases (default: `data/boilerplate.txt`).
    pub chrome: ChromeRules,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            max_bytes: 50 * 1024 * 1024,
            published: None,
            publisher: None,
            chrome: ChromeRules::default(),
        }
    }
}

/// One input unit to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

/// One article read from an input, with its clean text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// A path, `-`, or `path:LINE` for a JSONL line.
    pub origin: String,
    /// Proposed document id: the file stem; for JSONL the `id` field, else `stem-LINE`.
    pub stem: String,
    pub title: Option<String>,
    /// ISO date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub published: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// The clean text every later span points into.
    pub text: String,
    /// Chrome paragraphs removed from the text, in the order found.
    pub removed: Vec<String>,
}

/// An input, or a line of one, that gave no article, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {reason}")]
pub struct Rejection {
    pub origin: String,
    pub reason: String,
}

impl Rejection {
    pub fn new(origin: impl fmt::Display, reason: impl Into<String>) -> Self {
        Rejection {
            origin: origin.to_string(),
            reason: reason.into(),
        }
    }
}

/// The format an input is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Jsonl,
}

impl Format {
    fn from_extension(ext: &str) -> Option<Self> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "pdf" => Format::Pdf,
            "jsonl" | "ndjson" => Format::Jsonl,
            _ => return None,
        })
    }

    /// For stdin and extensionless files: look at the first bytes.
    fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"%PDF") {
            return Format::Pdf;
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body")
        {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// Read one input: a file gives at most one article, a JSONL file one per line.
pub fn read_input(input: &Input, cfg: &IngestConfig) -> Vec<Result<Article, Rejection>> {
    match input {
        Input::Stdin => {
            let mut bytes = Vec::new();
            let limit = cfg.max_bytes.saturating_add(1);
            if let Err(e) = std::io::stdin().lock().take(limit).read_to_end(&mut bytes) {
                return vec![Err(Rejection::new("-", format!("cannot read stdin: {e}")))];
            }
            if bytes.len() as u64 > cfg.max_bytes {
                return vec![Err(Rejection::new("-", too_big(None, cfg.max_bytes)))];
            }
            read_named("-", "stdin", Format::sniff(&bytes), &bytes, cfg)
        }
        Input::File(path) => read_file(path, cfg),
    }
}

fn read_file(path: &Path, cfg: &IngestConfig) -> Vec<Result<Article, Rejection>> {
    let origin = path.display().to_string();
    let reject = |reason: String| vec![Err(Rejection::new(&origin, reason))];
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Check the extension before reading: a 2 GB video need not be loaded to refuse it.
    if let Err(reason) = format_of(&name, None) {
        return reject(reason);
    }
    match std::fs::metadata(path) {
        Ok(m) if m.len() > cfg.max_bytes => return reject(too_big(Some(m.len()), cfg.max_bytes)),
        Ok(m) if m.is_dir() => return reject("is a folder".into()),
        Ok(_) => {}
        Err(e) => return reject(walk::io_reason(&e)),
    }
    match std::fs::read(path) {
        Ok(bytes) => {
            let format = match format_of(&name, Some(&bytes)) {
                Ok(f) => f,
                Err(reason) => return reject(reason),
            };
            read_named(&origin, &stem_of(&name), format, &bytes, cfg)
        }
        Err(e) => reject(walk::io_reason(&e)),
    }
}

/// Read from bytes already in memory (an upload); `name` gives the format and stem.
pub fn read_bytes(name: &str, bytes: &[u8], cfg: &IngestConfig) -> Vec<Result<Article, Rejection>> {
    if bytes.len() as u64 > cfg.max_bytes {
        return vec![Err(Rejection::new(
            name,
            too_big(Some(bytes.len() as u64), cfg.max_bytes),
        ))];
    }
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match format_of(base, Some(bytes)) {
        Ok(format) => read_named(name, &stem_of(base), format, bytes, cfg),
        Err(reason) => vec![Err(Rejection::new(name, reason))],
    }
}

/// The format by extension; files without one are sniffed once their bytes are known.
fn format_of(name: &str, bytes: Option<&[u8]>) -> Result<Format, String> {
    match Path::new(name).extension().and_then(|e| e.to_str()) {
        Some(ext) => Format::from_extension(ext).ok_or_else(|| {
            format!(
                "unsupported extension .{ext} (supported: {})",
                SUPPORTED_EXTENSIONS
                    .iter()
                    .map(|e| format!(".{e}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }),
        None => Ok(bytes.map_or(Format::Text, Format::sniff)),
    }
}

fn stem_of(name: &str) -> String {
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned());
    stem.filter(|s| !s.is_empty())
        .unwrap_or_else(|| "document".to_string())
}

fn too_big(size: Option<u64>, limit: u64) -> String {
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    match size {
        Some(s) => format!(
            "file is {:.1} MiB, over the {:.1} MiB limit",
            mib(s),
            mib(limit)
        ),
        None => format!("input is over the {:.1} MiB limit", mib(limit)),
    }
}

fn read_named(
    origin: &str,
    stem: &str,
    format: Format,
    bytes: &[u8],
    cfg: &IngestConfig,
) -> Vec<Result<Article, Rejection>> {
    if format == Format::Jsonl {
        return jsonl::read(origin, stem, bytes, cfg);
    }
    if bytes.is_empty() {
        return vec![Err(Rejection::new(origin, DecodeError::Empty.to_string()))];
    }
    let result = match format {
        Format::Pdf => pdf::extract(bytes)
            .map_err(|e| e.to_string())
            .map(|text| from_text(&text, Wrap::Auto, Meta::default(), cfg)),
        _ => decode::decode(bytes)
            .map_err(|e| e.to_string())
            .and_then(|text| match format {
                Format::Html => {
                    let depth = html::nesting_estimate(&text);
                    if depth > html::MAX_DEPTH {
                        return Err(format!(
                            "HTML nested {depth} levels deep (limit {}): not an article page",
                            html::MAX_DEPTH
                        ));
                    }
                    Ok(from_html(&text, cfg))
                }
                Format::Markdown => {
                    let mut meta = Meta::default();
                    let plain = markdown::strip(&decode::normalize_chars(&text), &mut meta);
                    Ok(from_text(&plain, Wrap::Join, meta, cfg))
                }
                _ => Ok(from_text(&text, Wrap::Auto, Meta::default(), cfg)),
            }),
    };
    let article = result.and_then(|(text, meta, removed)| {
        if text.is_empty() {
            Err("no text left after cleanup".to_string())
        } else {
            Ok(build(origin, stem, text, meta, removed, cfg))
        }
    });
    vec![article.map_err(|reason| Rejection::new(origin, reason))]
}

type Cleaned = (String, Meta, Vec<String>);

/// Plain text (or text from PDF, Markdown, JSONL) through the shared cleanup.
fn from_text(text: &str, wrap: Wrap, mut meta: Meta, cfg: &IngestConfig) -> Cleaned {
    let normalized = decode::normalize_chars(text);
    let paras = clean::split_paragraphs(&normalized, wrap);
    let mut removed = Vec::new();
    let text = clean::finish(paras, &mut meta, &cfg.chrome, &mut removed);
    (text, meta, removed)
}

fn from_html(html: &str, cfg: &IngestConfig) -> Cleaned {
    let mut meta = Meta::default();
    let mut removed = Vec::new();
    // dom_smoothie is a large port of browser-side code; a panic in it must cost one
    // page, not the batch.
    let paras = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut m = Meta::default();
        let mut r = Vec::new();
        let p = html::extract(html, &mut m, &mut r);
        (p, m, r)
    }));
    let paras = match paras {
        Ok((p, m, r)) => {
            meta = m;
            removed = r;
            p
        }
        Err(_) => Vec::new(),
    };
    // Paragraph text came from the DOM; the same character cleanup as plain text applies.
    let paras = paras
        .into_iter()
        .filter_map(|mut p| {
            p.text = decode::collapse_spaces(&decode::normalize_chars(&p.text));
            (!p.text.is_empty()).then_some(p)
        })
        .collect();
    let text = clean::finish(paras, &mut meta, &cfg.chrome, &mut removed);
    (text, meta, removed)
}

fn build(
    origin: &str,
    stem: &str,
    text: String,
    meta: Meta,
    removed: Vec<String>,
    cfg: &IngestConfig,
) -> Article {
    let published = match &cfg.published {
        // Callers validate the flag (CLI, API); a date that still does not parse is not
        // stored as text that would break every date filter: the page's own date stands.
        Some(p) => normalize_date(p).or(meta.published),
        None => meta.published,
    };
    Article {
        origin: origin.to_string(),
        stem: stem.to_string(),
        title: meta.title,
        published,
        publisher: cfg.publisher.clone().or(meta.publisher),
        author: meta.author,
        url: meta.url,
        text,
        removed,
    }
}

/// Cross-document chrome: paragraphs that recur (after normalization) in at least
/// `min_docs` articles of a batch are removed from all of them. Only short paragraphs
/// count, so that two copies of one article in a batch keep their prose.
pub fn remove_repeated_lines(articles: &mut [Article], min_docs: usize) {
    /// Footer lines are short; a paragraph longer than this is prose even if repeated.
    const MAX_CHROME_CHARS: usize = 300;
    if min_docs < 2 || articles.len() < min_docs {
        return;
    }
    let mut counts: HashMap<String, usize> = HashMap::new();
    for article in articles.iter() {
        let keys: HashSet<String> = article
            .text
            .split("\n\n")
            .filter(|p| p.chars().count() <= MAX_CHROME_CHARS)
            .map(rules::phrase_key)
            .filter(|k| !k.is_empty())
            .collect();
        for key in keys {
            *counts.entry(key).or_default() += 1;
        }
    }
    for article in articles.iter_mut() {
        let mut kept = Vec::new();
        for para in article.text.split("\n\n") {
            let repeated = para.chars().count() <= MAX_CHROME_CHARS
                && counts
                    .get(&rules::phrase_key(para))
                    .is_some_and(|&n| n >= min_docs);
            if repeated {
                article.removed.push(para.to_string());
            } else {
                kept.push(para);
            }
        }
        article.text = kept.join("\n\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(name: &str, text: &str) -> Result<Article, Rejection> {
        let mut out = read_bytes(name, text.as_bytes(), &IngestConfig::default());
        assert_eq!(out.len(), 1);
        out.remove(0)
    }

    #[test]
    fn rejection_displays_origin_and_reason() {
        assert_eq!(
            Rejection::new("a.txt", "empty file").to_string(),
            "a.txt: empty file"
        );
    }

    #[test]
    fn unsupported_extension_lists_supported_ones() {
        let err = one("photo.jpg", "x").unwrap_err();
        assert!(
            err.reason
                .starts_with("unsupported extension .jpg (supported: .txt"),
            "{err}"
        );
    }

    #[test]
    fn size_limit_states_size_and_limit() {
        let cfg = IngestConfig {
            max_bytes: 1024 * 1024,
            ..Default::default()
        };
        let big = vec![b'a'; 2 * 1024 * 1024];
        let out = read_bytes("big.txt", &big, &cfg);
        let err = out[0].as_ref().unwrap_err();
        assert_eq!(err.reason, "file is 2.0 MiB, over the 1.0 MiB limit");
    }

    #[test]
    fn chrome_only_file_has_no_text_left() {
        let err = one("c.txt", "Skip to content\n\nShare this article").unwrap_err();
        assert_eq!(err.reason, "no text left after cleanup");
    }

    #[test]
    fn cli_overrides_win() {
        let cfg = IngestConfig {
            published: Some("March 3, 2021".into()),
            publisher: Some("Desk".into()),
            ..Default::default()
        };
        let out = read_bytes("a.txt", b"Published: 2019-01-01\n\nText body here.", &cfg);
        let a = out[0].as_ref().expect("article");
        assert_eq!(a.published.as_deref(), Some("2021-03-03"));
        assert_eq!(a.publisher.as_deref(), Some("Desk"));
    }

    #[test]
    fn extensionless_html_is_sniffed() {
        let a = one(
            "page",
            "<!DOCTYPE html><html><body><p>Hello from Gilgit, the valley town.</p></body></html>",
        )
        .expect("article");
        assert_eq!(a.text, "Hello from Gilgit, the valley town.");
        assert_eq!(a.stem, "page");
    }

    #[test]
    fn repeated_short_lines_across_a_batch_are_removed() {
        let cfg = IngestConfig::default();
        let mut batch: Vec<Article> = ["one", "two", "three"]
            .iter()
            .map(|w| {
                let text = format!("Story {w} begins with facts.\n\nSupport independent analysis today by donating.");
                read_bytes(&format!("{w}.txt"), text.as_bytes(), &cfg).remove(0).expect("article")
            })
            .collect();
        remove_repeated_lines(&mut batch, 3);
        assert_eq!(batch[0].text, "Story one begins with facts.");
        assert_eq!(
            batch[2].removed.last().map(String::as_str),
            Some("Support independent analysis today by donating.")
        );
    }
}
