//! Markdown to plain paragraphs: syntax stripped, front matter read as metadata.

use std::sync::LazyLock;

use regex::Regex;

use crate::clean::Meta;
use crate::date::normalize_date;

static IMAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!\[[^\]]*\]\([^)]*\)").expect("static regex"));
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])").expect("static regex"));
static EMPHASIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\*\*|__)(\S(?:.*?\S)?)(\*\*|__)|(^|[\s(])\*([^\s*](?:[^*]*?[^\s*])?)\*")
        .expect("static regex")
});
static LIST_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+").expect("static regex"));
static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$").expect("static regex"));
static RULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}([-*_]\s*){3,}$").expect("static regex"));
static REF_DEF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s{0,3}\[[^\]]+\]:\s+\S+").expect("static regex"));
static HTML_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[a-zA-Z][^>]*>").expect("static regex"));

/// Strip Markdown to text in which blank lines separate paragraphs. Headings and list
/// items stand alone (a blank line is put around them) so they never glue to prose.
/// A first-level heading at the very top becomes the title.
pub(crate) fn strip(text: &str, meta: &mut Meta) -> String {
    let body = front_matter(text, meta);
    let mut out = String::with_capacity(body.len());
    let mut in_code = false;
    let mut seen_text = false;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            out.push('\n');
            continue;
        }
        if in_code || RULE.is_match(line) || REF_DEF.is_match(line) {
            out.push('\n');
            continue;
        }
        let line = trimmed.trim_start_matches('>').trim_start();
        if let Some(c) = HEADING.captures(line) {
            let heading = inline(&c[2]);
            if c[1].len() == 1 && !seen_text && meta.title.is_none() && !heading.is_empty() {
                meta.title = Some(heading);
            } else {
                out.push_str(&format!("\n{heading}\n\n"));
            }
            seen_text = true;
            continue;
        }
        if let Some(m) = LIST_MARKER.find(line) {
            out.push_str(&format!("\n{}\n\n", inline(&line[m.end()..])));
            seen_text = true;
            continue;
        }
        let clean = inline(line);
        if !clean.trim().is_empty() {
            seen_text = true;
        }
        out.push_str(&clean);
        out.push('\n');
    }
    out
}

fn inline(text: &str) -> String {
    let t = IMAGE.replace_all(text, "");
    let t = LINK.replace_all(&t, "$1");
    let t = HTML_TAG.replace_all(&t, "");
    let t = EMPHASIS.replace_all(&t, "$2$4$5");
    t.replace('`', "")
}

/// YAML-ish front matter between `---` lines: title, date, author, publisher, url.
fn front_matter<'t>(text: &'t str, meta: &mut Meta) -> &'t str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    let Some(end) = rest.find("\n---") else {
        return text;
    };
    for line in rest[..end].lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']).trim();
        if value.is_empty() {
            continue;
        }
        let value = value.to_string();
        match key.trim().to_ascii_lowercase().as_str() {
            "title" => meta.title = Some(value),
            "date" | "published" => meta.published = normalize_date(&value),
            "author" | "byline" => meta.author = Some(value),
            "publisher" | "site" | "source" => meta.publisher = Some(value),
            "url" | "link" => meta.url = Some(value),
            _ => {}
        }
    }
    let after = &rest[end + 4..];
    after.strip_prefix('\n').unwrap_or(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_links_and_emphasis_are_stripped() {
        let mut meta = Meta::default();
        let out = strip(
            "# Drones over Khost\n\nThe **strikes** hit [two villages](http://x.example/a) at *dawn*.\n\n## Aftermath\n\n![map](m.png)Elders met.",
            &mut meta,
        );
        assert_eq!(meta.title.as_deref(), Some("Drones over Khost"));
        let paras: Vec<String> = out
            .split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        assert_eq!(
            paras,
            [
                "The strikes hit two villages at dawn.",
                "Aftermath",
                "Elders met."
            ]
        );
    }

    #[test]
    fn list_items_stand_alone_and_code_is_skipped() {
        let mut meta = Meta::default();
        let out = strip(
            "Intro line.\n- first item\n- second item\n```\nlet x = 1;\n```\n",
            &mut meta,
        );
        assert!(out.contains("\nfirst item\n\n"));
        assert!(!out.contains("let x"));
    }

    #[test]
    fn front_matter_fills_metadata() {
        let mut meta = Meta::default();
        let out = strip(
            "---\ntitle: \"A Long Winter\"\ndate: 2024-01-09\nauthor: R. Khan\n---\nBody.",
            &mut meta,
        );
        assert_eq!(meta.title.as_deref(), Some("A Long Winter"));
        assert_eq!(meta.published.as_deref(), Some("2024-01-09"));
        assert_eq!(meta.author.as_deref(), Some("R. Khan"));
        assert_eq!(out.trim(), "Body.");
    }
}
