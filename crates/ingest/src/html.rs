//! HTML pages: main content via `dom_smoothie` (a port of Mozilla's Readability),
//! metadata from `<meta>`, JSON-LD and `<time>`, then our own block walk.
//!
//! Readability picks the article container; the walk below turns it into paragraphs
//! and drops link-heavy blocks (share rows, "read more" lists) that survive it.

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};

use crate::clean::{Meta, Para};
use crate::date::normalize_date;
use crate::decode::collapse_spaces;

/// Elements whose content is never article text.
const SKIP: &[&str] = &[
    "script",
    "style",
    "noscript",
    "iframe",
    "svg",
    "template",
    "button",
    "select",
    "option",
    "form",
    "input",
    "textarea",
    "figcaption",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "head",
    "title",
    "meta",
    "link",
];
/// Page furniture skipped only when walking a whole page (Readability failed).
const FURNITURE: &[&str] = &["nav", "aside", "footer", "header", "menu"];
/// Elements that end a paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "br",
    "hr",
    "header",
    "footer",
    "figure",
    "address",
    "details",
    "summary",
    "nav",
    "aside",
];
/// A block this share of whose characters are link text is a link list, not prose.
const MAX_LINK_DENSITY: f64 = 0.6;

/// Deepest element nesting read. html5ever's scope checks and Readability's scoring
/// both cost time in proportion to the depth for every element, so hostile nesting is
/// quadratic: 10,000 nested `<div>`s took 40 s. Articles nest a few dozen levels;
/// browsers stop nesting at 512.
pub(crate) const MAX_DEPTH: usize = 1_000;

/// Tags that never nest (void) or that the parser closes by itself before a sibling:
/// counting them would make old pages full of unclosed `<p>` look deep.
const NO_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "thead", "tbody",
];

/// An estimate of the element nesting depth from the tags alone, without parsing
/// (the parse is what must be avoided): opening tags minus closing tags, ignoring
/// [`NO_NESTING`] tags and self-closed `<x/>`.
pub(crate) fn nesting_estimate(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if len == 0 || !bytes[start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[start..start + len].to_ascii_lowercase();
        if NO_NESTING.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let end = bytes[start..].iter().position(|&b| b == b'>');
        if end.is_some_and(|e| e > 0 && bytes[start + e - 1] == b'/') {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
    }
    deepest
}

/// Paragraphs and metadata of an HTML page; `removed` gets link-heavy blocks.
pub(crate) fn extract(html: &str, meta: &mut Meta, removed: &mut Vec<String>) -> Vec<Para> {
    let cfg = Config {
        // Large pages are fine; the byte limit already bounds the input.
        max_elements_to_parse: 0,
        ..Default::default()
    };
    let Ok(mut reader) = Readability::new(html, None, Some(cfg)) else {
        return whole_page(html, removed);
    };
    let time = reader
        .doc
        .select("time[datetime]")
        .nodes()
        .first()
        .and_then(|n| n.attr("datetime"))
        .map(|t| t.to_string());
    match reader.parse() {
        Ok(article) => {
            meta.title = nonempty(article.title);
            meta.author = article
                .byline
                .and_then(nonempty)
                .map(|b| strip_by(&b))
                .filter(|b| b.chars().count() <= 120 && !b.is_empty());
            meta.publisher = article.site_name.and_then(nonempty);
            meta.url = article.url.and_then(nonempty);
            meta.published = article
                .published_time
                .as_deref()
                .and_then(normalize_date)
                .or_else(|| time.as_deref().and_then(normalize_date));
            let content = Document::from(article.content.as_ref());
            let paras = walk(&content, false, removed);
            if paras.is_empty() {
                whole_page(html, removed)
            } else {
                paras
            }
        }
        Err(_) => {
            meta.published = time.as_deref().and_then(normalize_date);
            whole_page(html, removed)
        }
    }
}

fn whole_page(html: &str, removed: &mut Vec<String>) -> Vec<Para> {
    let doc = Document::from(html);
    walk(&doc, true, removed)
}

/// Collapsed and trimmed, or `None` when nothing is left.
fn nonempty(s: String) -> Option<String> {
    let s = collapse_spaces(&s);
    (!s.is_empty()).then_some(s)
}

fn strip_by(byline: &str) -> String {
    let lower = byline.to_lowercase();
    match lower.strip_prefix("by ") {
        Some(_) => byline[3..].trim().to_string(),
        None => byline.to_string(),
    }
}

/// Paragraph builder with link-character bookkeeping.
#[derive(Default)]
struct Blocks {
    paras: Vec<Para>,
    text: String,
    link_chars: usize,
}

impl Blocks {
    fn flush(&mut self, removed: &mut Vec<String>) {
        let text = collapse_spaces(&self.text);
        let link_chars = self.link_chars;
        self.text.clear();
        self.link_chars = 0;
        if text.is_empty() {
            return;
        }
        let total = text.chars().filter(|c| !c.is_whitespace()).count().max(1);
        if link_chars as f64 / total as f64 > MAX_LINK_DENSITY {
            removed.push(text);
            return;
        }
        let block = self.paras.len();
        self.paras.push(Para { text, block });
    }
}

fn tag(node: &NodeRef) -> Option<String> {
    node.node_name().map(|n| n.to_ascii_lowercase())
}

/// Depth-first walk with an explicit stack: deeply nested (or hostile) markup cannot
/// overflow the call stack.
fn walk(doc: &Document, skip_furniture: bool, removed: &mut Vec<String>) -> Vec<Para> {
    enum Step<'a> {
        Enter(NodeRef<'a>),
        Exit { block: bool, link: bool },
    }
    let mut out = Blocks::default();
    let mut in_link = 0usize;
    let mut stack = vec![Step::Enter(doc.root())];
    while let Some(step) = stack.pop() {
        match step {
            Step::Exit { block, link } => {
                if link {
                    in_link = in_link.saturating_sub(1);
                }
                if block {
                    out.flush(removed);
                }
            }
            Step::Enter(node) => {
                if node.is_text() {
                    let t = node.text();
                    if in_link > 0 {
                        out.link_chars += t.chars().filter(|c| !c.is_whitespace()).count();
                    }
                    out.text.push_str(&t);
                    continue;
                }
                let name = tag(&node);
                if let Some(name) = name.as_deref() {
                    if SKIP.contains(&name) || (skip_furniture && FURNITURE.contains(&name)) {
                        continue;
                    }
                }
                if !(node.is_element() || node.is_document() || node.is_fragment()) {
                    continue;
                }
                let block = name.as_deref().is_some_and(|n| BLOCK.contains(&n));
                let link = name.as_deref() == Some("a");
                if block {
                    out.flush(removed);
                }
                if link {
                    in_link += 1;
                }
                stack.push(Step::Exit { block, link });
                let children = node.children();
                stack.extend(children.into_iter().rev().map(Step::Enter));
            }
        }
    }
    out.flush(removed);
    out.paras
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(paras: &[Para]) -> Vec<&str> {
        paras.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn walk_splits_blocks_and_skips_scripts() {
        let doc = Document::from(
            "<body><h2>Heading</h2><p>One <b>bold</b> word.</p><script>var x=1;</script><p>Two<br>lines</p></body>",
        );
        let mut removed = Vec::new();
        let paras = walk(&doc, true, &mut removed);
        assert_eq!(texts(&paras), ["Heading", "One bold word.", "Two", "lines"]);
    }

    #[test]
    fn link_heavy_blocks_are_removed() {
        let doc = Document::from(
            "<body><p>Prose with <a href='/a'>one link</a> inside a longer sentence about Kunar.</p><p><a href='/x'>Share on X</a> | <a href='/f'>Facebook</a></p></body>",
        );
        let mut removed = Vec::new();
        let paras = walk(&doc, true, &mut removed);
        assert_eq!(paras.len(), 1);
        assert_eq!(removed, ["Share on X | Facebook"]);
    }

    #[test]
    fn whole_page_walk_skips_navigation() {
        let mut removed = Vec::new();
        let paras = whole_page(
            "<html><body><nav><a href='/'>Home</a></nav><div>Only text.</div></body></html>",
            &mut removed,
        );
        assert_eq!(texts(&paras), ["Only text."]);
    }

    #[test]
    fn deeply_nested_markup_does_not_overflow() {
        let html = format!(
            "{}deep text{}",
            "<div>".repeat(1_000),
            "</div>".repeat(1_000)
        );
        let mut meta = Meta::default();
        let mut removed = Vec::new();
        let paras = extract(&html, &mut meta, &mut removed);
        assert!(texts(&paras).contains(&"deep text"));
    }

    #[test]
    fn nesting_is_estimated_from_tags_without_parsing() {
        let deep = format!("{}x{}", "<div>".repeat(50), "</div>".repeat(50));
        assert_eq!(nesting_estimate(&deep), 50);
        // Unclosed paragraphs, void and self-closed tags do not nest.
        let flat = "<body><p>a<p>b<br><img src=x><path d='1'/><li>c</body>".repeat(900);
        assert_eq!(nesting_estimate(&flat), 1);
        assert_eq!(nesting_estimate("< 3 <3 </ <!-- x --> <"), 0);
    }

    #[test]
    fn byline_prefix_is_stripped() {
        assert_eq!(strip_by("By Hina Shah"), "Hina Shah");
        assert_eq!(strip_by("Hina Shah"), "Hina Shah");
    }
}
