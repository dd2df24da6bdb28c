//! JSON Lines: one article object per line, `text` required.

use serde_json::Value;

use crate::clean::{Meta, Wrap};
use crate::date::normalize_date;
use crate::{build, decode, from_text, Article, IngestConfig, Rejection};

/// Each non-blank line is one result; a broken line never hides the good ones.
pub(crate) fn read(
    origin: &str,
    stem: &str,
    bytes: &[u8],
    cfg: &IngestConfig,
) -> Vec<Result<Article, Rejection>> {
    let text = match decode::decode(bytes) {
        Ok(t) => t,
        Err(e) => return vec![Err(Rejection::new(origin, e.to_string()))],
    };
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let line_origin = format!("{origin}:{}", i + 1);
            read_line(line, i + 1, stem, &line_origin, cfg)
                .map_err(|reason| Rejection::new(&line_origin, reason))
        })
        .collect()
}

fn read_line(
    line: &str,
    number: usize,
    stem: &str,
    origin: &str,
    cfg: &IngestConfig,
) -> Result<Article, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("broken JSON: {e}"))?;
    let Value::Object(obj) = value else {
        return Err("not a JSON object".to_string());
    };
    let text = match obj.get("text") {
        Some(Value::String(t)) => t,
        Some(_) => return Err("`text` is not a string".to_string()),
        None => return Err("missing `text` field".to_string()),
    };
    // Metadata gets the character cleanup of the text: a `\u0000` escape in a title
    // would otherwise reach the store and every export.
    let field = |key: &str| match obj.get(key) {
        Some(Value::String(s)) => {
            Some(decode::collapse_spaces(&decode::normalize_chars(s))).filter(|s| !s.is_empty())
        }
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let meta = Meta {
        title: field("title"),
        published: field("published").as_deref().and_then(normalize_date),
        publisher: field("publisher"),
        author: field("author"),
        url: field("url"),
    };
    let doc_stem = field("id").unwrap_or_else(|| format!("{stem}-{number}"));
    let (clean, meta, removed) = from_text(text, Wrap::Auto, meta, cfg);
    if clean.is_empty() {
        return Err("no text left after cleanup".to_string());
    }
    Ok(build(origin, &doc_stem, clean, meta, removed, cfg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_metadata_are_removed() {
        let feed =
            "{\"title\":\"Night\\u0000 Raid\\u200b\\t\",\"text\":\"Forces raided a compound.\"}\n";
        let out = read("f.jsonl", "f", feed.as_bytes(), &IngestConfig::default());
        let a = out[0].as_ref().expect("article");
        assert_eq!(a.title.as_deref(), Some("Night Raid"));
    }

    #[test]
    fn good_lines_survive_bad_ones_with_line_numbers() {
        let input = concat!(
            "{\"id\":\"k1\",\"title\":\"Night Raid\",\"text\":\"Night Raid\\n\\nForces raided a compound.\",\"published\":\"2024-02-01\"}\n",
            "\n",
            "{\"text\": 42}\n",
            "{not json\n",
            "{\"title\":\"no text\"}\n",
            "{\"text\":\"Second story body.\"}\n",
        );
        let out = read(
            "feed.jsonl",
            "feed",
            input.as_bytes(),
            &IngestConfig::default(),
        );
        assert_eq!(out.len(), 5);
        let first = out[0].as_ref().expect("first line");
        assert_eq!(first.stem, "k1");
        assert_eq!(first.origin, "feed.jsonl:1");
        assert_eq!(first.text, "Forces raided a compound.");
        assert_eq!(first.published.as_deref(), Some("2024-02-01"));
        let reasons: Vec<String> = out[1..4]
            .iter()
            .map(|r| r.as_ref().unwrap_err().to_string())
            .collect();
        assert_eq!(reasons[0], "feed.jsonl:3: `text` is not a string");
        assert!(reasons[1].starts_with("feed.jsonl:4: broken JSON"));
        assert_eq!(reasons[2], "feed.jsonl:5: missing `text` field");
        let last = out[4].as_ref().expect("last line");
        assert_eq!(last.stem, "feed-6");
    }
}
