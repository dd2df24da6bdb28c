//! From paragraphs of any format to the clean text: chrome removed, metadata lifted out.
//!
//! Every reader (plain text, Markdown, HTML, PDF, JSONL) ends here, so a rule applies to
//! all formats alike. Order matters: cue rules first (they know the strongest signals),
//! then byline and date near the top, then the title, then the foot of the page
//! (short leftovers and author bios).

use std::sync::LazyLock;

use regex::Regex;

use crate::date::find_date;
use crate::decode::collapse_spaces;
use crate::rules::{phrase_key, ChromeRules, CueKind};

/// One paragraph and the input block (text between blank lines) it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Para {
    pub text: String,
    pub block: usize,
}

/// Metadata gathered while reading; `None` fields may be filled by the cleanup.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Meta {
    pub title: Option<String>,
    pub published: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
}

/// How lines inside a block become paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wrap {
    /// Plain text and PDF: join lines only when the block looks hard-wrapped.
    Auto,
    /// Markdown: lines of a block are one paragraph (soft wraps).
    Join,
}

/// Split normalized text into paragraphs.
pub(crate) fn split_paragraphs(text: &str, wrap: Wrap) -> Vec<Para> {
    let mut out = Vec::new();
    for (block, chunk) in blocks(text).into_iter().enumerate() {
        let lines: Vec<String> = chunk
            .iter()
            .map(|l| collapse_spaces(l))
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        let join = match wrap {
            Wrap::Join => true,
            Wrap::Auto => looks_hard_wrapped(&lines),
        };
        if join {
            out.push(Para {
                text: join_wrapped(&lines),
                block,
            });
        } else {
            out.extend(lines.into_iter().map(|text| Para { text, block }));
        }
    }
    out
}

fn blocks(text: &str) -> Vec<Vec<&str>> {
    let mut blocks = vec![Vec::new()];
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if blocks.last().is_some_and(|b| !b.is_empty()) {
                blocks.push(Vec::new());
            }
        } else if let Some(b) = blocks.last_mut() {
            b.push(line);
        }
    }
    blocks.retain(|b| !b.is_empty());
    blocks
}

/// A block of three or more lines, all but the last of typing width, most of them
/// ending mid-sentence: text wrapped at a fixed width (emails, PDFs, old .txt files).
fn looks_hard_wrapped(lines: &[String]) -> bool {
    if lines.len() < 3 {
        return false;
    }
    let body = &lines[..lines.len() - 1];
    let width_ok = body.iter().all(|l| (30..=110).contains(&l.chars().count()));
    let open = body
        .iter()
        .filter(|l| !l.ends_with(['.', '!', '?', ':', '"', '”']))
        .count();
    width_ok && open * 2 >= body.len()
}

/// Join wrapped lines, mending words split by a hyphen at the line end ("ter-" "rorism").
fn join_wrapped(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines {
        if out.is_empty() {
            out.push_str(line);
            continue;
        }
        let split_word = out.ends_with('-')
            && out[..out.len() - 1].ends_with(|c: char| c.is_lowercase())
            && line.starts_with(|c: char| c.is_lowercase());
        if split_word {
            out.pop();
        } else {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Has a sentence in it: ends like a sentence or has a sentence boundary inside.
fn has_sentence_punct(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '”', '’', '\'', ')', ']']);
    t.ends_with(['.', '!', '?', ';', ':']) || text.contains(". ")
}

/// Short with no sentence punctuation: menus, tags, site names, headings.
fn is_short_line(text: &str) -> bool {
    words(text) <= 8 && text.chars().count() <= 60 && !has_sentence_punct(text)
}

/// Could be a headline: a handful of words, not ending like a sentence.
fn is_title_like(text: &str) -> bool {
    let n = words(text);
    (3..=30).contains(&n)
        && text.chars().count() <= 250
        && !text
            .trim_end_matches(['"', '”', '’'])
            .ends_with(['.', ';', ','])
}

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"\p{Lu}[\p{L}.'’-]*";
    let joiner = r"(?:\s+(?:and|&|de|van|von|bin|ibn|al|el|ul|da|di)\b)?";
    Regex::new(&format!(
        r"^(?i:by|written by|author:?|words by)\s+((?:{name}{joiner}\s+)*{name})\s*(?:[,|•·–—-]\s*(.*))?$"
    ))
    .expect("static regex")
});

static BIO_START: LazyLock<Regex> = LazyLock::new(|| {
    let name = r"(?:\p{Lu}[\p{L}.'’-]*|al|bin|ibn|de|van|von|ul|el|da)";
    Regex::new(&format!(
        r"^((?:\p{{Lu}}[\p{{L}}.'’-]*)(?:\s+{name}){{1,5}})\s+(?:is|was|has been|serves as)\s+(?:a|an|the|currently|also|senior|former)\b"
    ))
    .expect("static regex")
});

static DATELINE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(published|posted|updated|last updated|first published|date|on|at|am|pm|gmt|utc|pkt|ist|edt|est)\b|[\d:|•·,–—-]")
        .expect("static regex")
});

/// Turn paragraphs into the clean text, filling `meta` and recording removed chrome.
pub(crate) fn finish(
    paras: Vec<Para>,
    meta: &mut Meta,
    rules: &ChromeRules,
    removed: &mut Vec<String>,
) -> String {
    let mut paras = apply_cues(paras, rules, removed);
    lift_top_metadata(&mut paras, meta, removed);
    take_title(&mut paras, meta, removed);
    trim_foot(&mut paras, meta, rules, removed);
    let texts: Vec<&str> = paras.iter().map(|p| p.text.as_str()).collect();
    texts.join("\n\n")
}

fn apply_cues(paras: Vec<Para>, rules: &ChromeRules, removed: &mut Vec<String>) -> Vec<Para> {
    let mut kept: Vec<Para> = Vec::with_capacity(paras.len());
    let mut body_chars = 0usize;
    let mut i = 0;
    while i < paras.len() {
        let para = &paras[i];
        let kind = rules.classify(&para.text);
        let mut end = i + 1;
        match kind {
            None => {
                if has_sentence_punct(&para.text) {
                    body_chars += para.text.len();
                }
                kept.push(para.clone());
                i += 1;
                continue;
            }
            // A "Related" heading above any prose is a menu, not the article's end.
            Some(CueKind::DropRest) if body_chars > 0 => end = paras.len(),
            Some(CueKind::DropBlock) => {
                while end < paras.len()
                    && (is_short_line(&paras[end].text)
                        || rules.classify(&paras[end].text).is_some())
                {
                    end += 1;
                }
            }
            Some(CueKind::DropCaption) => {
                while end < paras.len() && paras[end].block == para.block {
                    end += 1;
                }
            }
            Some(_) => {}
        }
        removed.extend(paras[i..end].iter().map(|p| p.text.clone()));
        i = end;
    }
    kept
}

/// A byline and a dateline among the first few paragraphs become metadata.
fn lift_top_metadata(paras: &mut Vec<Para>, meta: &mut Meta, removed: &mut Vec<String>) {
    let mut i = 0;
    while i < paras.len().min(6) {
        let text = paras[i].text.clone();
        if text.chars().count() > 160 {
            i += 1;
            continue;
        }
        let mut lifted = false;
        if let Some(c) = BYLINE.captures(&text) {
            if words(&text) <= 16 {
                if meta.author.is_none() {
                    meta.author = c.get(1).map(|m| m.as_str().to_string());
                }
                if let Some(rest) = c.get(2) {
                    if meta.published.is_none() {
                        meta.published = find_date(rest.as_str()).map(|d| d.0);
                    }
                }
                lifted = true;
            }
        }
        if !lifted {
            if let Some((date, range)) = find_date(&text) {
                let leftover = format!("{}{}", &text[..range.start], &text[range.end..]);
                let leftover = DATELINE_WORDS.replace_all(&leftover, " ");
                if words(&leftover) <= 1 {
                    if meta.published.is_none() {
                        meta.published = Some(date);
                    }
                    lifted = true;
                }
            }
        }
        if lifted {
            removed.push(paras.remove(i).text);
        } else {
            i += 1;
        }
    }
}

/// The headline is metadata: take it from the top, or drop its repetition in the body.
fn take_title(paras: &mut Vec<Para>, meta: &mut Meta, removed: &mut Vec<String>) {
    if let Some(title) = &meta.title {
        let key = phrase_key(title);
        if let Some(pos) = paras
            .iter()
            .take(4)
            .position(|p| phrase_key(&p.text) == key)
        {
            removed.push(paras.remove(pos).text);
        }
        return;
    }
    // Site names and section labels of one or two words sit above the headline.
    while paras.len() > 1 && words(&paras[0].text) < 3 && is_short_line(&paras[0].text) {
        removed.push(paras.remove(0).text);
    }
    let Some(first) = paras.first() else { return };
    // A lone line with nothing after it is the article, not its title.
    if paras.len() > 1 && is_title_like(&first.text) && !first.text.ends_with('!') {
        meta.title = Some(paras.remove(0).text);
    }
}

/// Short leftovers (tags, share rows) and author bios at the foot of the page.
fn trim_foot(
    paras: &mut Vec<Para>,
    meta: &mut Meta,
    rules: &ChromeRules,
    removed: &mut Vec<String>,
) {
    let mut bio_authors = Vec::new();
    let mut kept_bios: Vec<Para> = Vec::new();
    loop {
        while paras.len() > 1 && paras.last().is_some_and(|p| is_short_line(&p.text)) {
            if let Some(p) = paras.pop() {
                removed.push(p.text);
            }
        }
        let Some(last) = paras.last() else { break };
        if paras.len() < 2 || bio_authors.len() >= 4 || last.text.chars().count() > 1200 {
            break;
        }
        let Some(name) = BIO_START.captures(&last.text).and_then(|c| c.get(1)) else {
            break;
        };
        if !rules.has_bio_cue(&last.text) {
            break;
        }
        bio_authors.push(name.as_str().to_string());
        if let Some(mut p) = paras.pop() {
            // The bio's first sentence says who wrote the piece ("X is a lawyer based in
            // Islamabad"): the author is a person of the document, so it stays as text;
            // career, degrees and media appearances after it are page furniture.
            let cut = first_sentence_end(&p.text);
            if cut < p.text.len() {
                removed.push(p.text[cut..].trim().to_string());
                p.text.truncate(cut);
            }
            kept_bios.push(p);
        }
    }
    // Back at the foot, in page order.
    paras.extend(kept_bios.into_iter().rev());
    if meta.author.is_none() && !bio_authors.is_empty() {
        bio_authors.reverse();
        meta.author = Some(bio_authors.join(" and "));
    }
}

/// Byte offset just past the first sentence of `text` (its end when there is one
/// sentence): a period after a lowercase letter or a closing bracket, then a space.
/// Initials and abbreviations ("U.S.", "Dr.") do not end it.
fn first_sentence_end(text: &str) -> usize {
    let b = text.as_bytes();
    (1..b.len())
        .find(|&i| {
            b[i] == b'.'
                && (b[i - 1].is_ascii_lowercase() || b[i - 1] == b')')
                && b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace())
                && !text[..i].ends_with(" Dr")
        })
        .map_or(b.len(), |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect_text: &str) -> Meta {
        let mut meta = Meta::default();
        let mut removed = Vec::new();
        let paras = split_paragraphs(input, Wrap::Auto);
        let text = finish(paras, &mut meta, &ChromeRules::default(), &mut removed);
        assert_eq!(text, expect_text, "removed: {removed:?}");
        meta
    }

    #[test]
    fn long_single_newline_lines_are_paragraphs() {
        let long =
            "Officials in Quetta said the convoy was hit twice before noon on the main road.";
        let input = format!("{long}\n{long}");
        check(&input, &format!("{long}\n\n{long}"));
    }

    #[test]
    fn hard_wrapped_blocks_are_joined_and_hyphens_mended() {
        let input = "The council met in Peshawar on Monday to discuss the\n\
                     border closure, which traders say has cost them ter-\n\
                     ribly since the autumn.\n\nSecond paragraph here.";
        check(
            input,
            "The council met in Peshawar on Monday to discuss the border closure, which traders say has cost them terribly since the autumn.\n\nSecond paragraph here.",
        );
    }

    #[test]
    fn title_byline_and_dateline_become_metadata() {
        let meta = check(
            "Border Talks Stall Again\n\nBy Sana Qureshi\n\nPublished: 14 May 2024\n\nThe talks broke down on Sunday.",
            "The talks broke down on Sunday.",
        );
        assert_eq!(meta.title.as_deref(), Some("Border Talks Stall Again"));
        assert_eq!(meta.author.as_deref(), Some("Sana Qureshi"));
        assert_eq!(meta.published.as_deref(), Some("2024-05-14"));
    }

    #[test]
    fn byline_with_a_date_after_a_bar() {
        let meta = check(
            "By Omar Farooq Khan | March 3, 2023\n\nClashes resumed near the crossing.",
            "Clashes resumed near the crossing.",
        );
        assert_eq!(meta.author.as_deref(), Some("Omar Farooq Khan"));
        assert_eq!(meta.published.as_deref(), Some("2023-03-03"));
    }

    #[test]
    fn a_sentence_starting_with_by_is_not_a_byline() {
        check(
            "By late evening the roads were closed.\n\nNothing moved.",
            "By late evening the roads were closed.\n\nNothing moved.",
        );
    }

    #[test]
    fn site_label_above_a_sentence_is_dropped_and_no_title_taken() {
        let meta = check(
            "The Digest\n\nKEEP READING FREE!\n\nA dek that ends in a period.\n\nBody text follows here.",
            "A dek that ends in a period.\n\nBody text follows here.",
        );
        assert_eq!(meta.title, None);
    }

    #[test]
    fn related_articles_drop_the_rest_but_not_at_the_top() {
        check(
            "Strikes hit two depots in the valley overnight, officials said.\n\nRelated Articles\n\nAnother story\n\nTeaser sentence.",
            "Strikes hit two depots in the valley overnight, officials said.",
        );
        check(
            "Related\n\nStrikes hit two depots in the valley overnight, officials said.",
            "Strikes hit two depots in the valley overnight, officials said.",
        );
    }

    #[test]
    fn cookie_banner_and_the_paragraphs_under_it() {
        check(
            "The ceasefire held for a week, residents said.\n\nPrivacy Overview\nSome Site Name\n\nThis website uses cookies to improve things.\n\nFunctional Cookies\n\nIf you disable this cookie we forget you.",
            "The ceasefire held for a week, residents said.",
        );
    }

    #[test]
    fn caption_slug_drops_its_caption_but_not_the_next_block() {
        check(
            "Attack in the Valley\n\nAFGHANISTAN-CONFLICT-SECURITY\nGuards stand at a checkpoint in Herat on May 2\n\nThe body starts here.",
            "The body starts here.",
        );
    }

    #[test]
    fn author_bios_at_the_end_become_the_author() {
        let meta = check(
            "Drone strikes rose sharply in the spring.\n\nAyesha Malik is a researcher based in Lahore. She writes on security.\n\nJohn Smith is the director of a policy program at a think tank.",
            "Drone strikes rose sharply in the spring.\n\nAyesha Malik is a researcher based in Lahore.\n\nJohn Smith is the director of a policy program at a think tank.",
        );
        assert_eq!(meta.author.as_deref(), Some("Ayesha Malik and John Smith"));
    }

    #[test]
    fn a_closing_statement_about_a_leader_is_not_a_bio() {
        let last = "Noor Khan is the leader the movement needed, his allies insist.";
        check(
            &format!("Opening sentence of the report.\n\n{last}"),
            &format!("Opening sentence of the report.\n\n{last}"),
        );
    }

    #[test]
    fn headings_between_paragraphs_survive_and_tags_at_the_end_go() {
        check(
            "First part of the story.\n\nA New Front\n\nSecond part of the story.\n\nPakistan\nTaliban",
            "First part of the story.\n\nA New Front\n\nSecond part of the story.",
        );
    }

    #[test]
    fn views_disclaimer_and_reading_time_go() {
        check(
            "Eight Minute Read Headline Here\n\n6 min read\n\nThe report was released.\n\nThe views expressed in this article are those of the author.",
            "The report was released.",
        );
    }
}
