//! Article → file bytes: plain text with a byline and chrome, an HTML page with a
//! cookie banner, navigation, share row and related teasers, or a JSONL line.

use crate::article::Article;
use crate::phrases::Phrases;
use crate::rng::Rng;

/// The formats a generated document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Txt,
    Html,
    Jsonl,
}

pub fn txt(a: &Article, phrases: &Phrases, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(6000);
    out.push_str(&a.title);
    out.push_str("\n\nBy ");
    out.push_str(&a.author);
    out.push_str("\n\n");
    out.push_str(&a.published.written());
    out.push_str("\n\n");
    for p in &a.paragraphs {
        out.push_str(p);
        out.push_str("\n\n");
    }
    if let Some(share) = rng.pick(&phrases.share) {
        out.push_str(share);
        out.push_str("\n\n");
    }
    if let Some(related) = rng.pick(&phrases.related) {
        out.push_str(related);
        out.push_str("\n\n");
        for t in &a.teasers {
            out.push_str(t);
            out.push_str("\n\n");
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

pub fn html(a: &Article, phrases: &Phrases, rng: &mut Rng) -> String {
    let mut o = String::with_capacity(8000);
    let iso = a.published.iso();
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    escape(&a.title, &mut o);
    o.push_str(" - ");
    escape(&a.publisher, &mut o);
    o.push_str("</title>\n<meta property=\"og:site_name\" content=\"");
    escape(&a.publisher, &mut o);
    o.push_str("\">\n<meta property=\"og:title\" content=\"");
    escape(&a.title, &mut o);
    o.push_str(&format!(
        "\">\n<meta property=\"article:published_time\" content=\"{iso}T08:00:00+05:00\">\n</head>\n<body>\n"
    ));
    if let Some(cookie) = rng.pick(&phrases.cookie) {
        o.push_str("<div class=\"cookie-banner\"><p>");
        escape(cookie, &mut o);
        o.push_str("</p><button>Accept</button></div>\n");
    }
    o.push_str("<header><nav><a href=\"/\">Home</a> <a href=\"/region\">Region</a> <a href=\"/security\">Security</a> <a href=\"/opinion\">Opinion</a></nav></header>\n<main><article>\n<h1>");
    escape(&a.title, &mut o);
    o.push_str("</h1>\n<p class=\"byline\">By <span class=\"author\">");
    escape(&a.author, &mut o);
    o.push_str(&format!(
        "</span> &middot; <time datetime=\"{iso}\">{}</time></p>\n",
        a.published.written()
    ));
    if let Some(share) = rng.pick(&phrases.share) {
        o.push_str("<div class=\"share\"><p>");
        escape(share, &mut o);
        o.push_str("</p></div>\n");
    }
    o.push_str("<div class=\"article-body\">\n");
    for p in &a.paragraphs {
        o.push_str("<p>");
        escape(p, &mut o);
        o.push_str("</p>\n");
    }
    o.push_str("</div>\n</article>\n<aside class=\"related\"><h2>");
    escape(phrases.related.first().map_or("Related", |s| s), &mut o);
    o.push_str("</h2><ul>\n");
    for (i, t) in a.teasers.iter().enumerate() {
        o.push_str(&format!("<li><a href=\"/story/{i}\">"));
        escape(t, &mut o);
        o.push_str("</a></li>\n");
    }
    o.push_str("</ul></aside>\n</main>\n<footer><p>&copy; ");
    escape(&a.publisher, &mut o);
    o.push_str(". All rights reserved.</p></footer>\n</body>\n</html>\n");
    o
}

/// One JSON Lines record; feeds deliver bodies without chrome.
pub fn jsonl(a: &Article) -> String {
    let value = serde_json::json!({
        "id": a.doc,
        "title": a.title,
        "published": a.published.iso(),
        "publisher": a.publisher,
        "author": a.author,
        "text": a.paragraphs.join("\n\n"),
    });
    let mut line = value.to_string();
    line.push('\n');
    line
}
