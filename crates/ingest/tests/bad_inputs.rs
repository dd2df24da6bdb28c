//! Hostile and odd inputs at the library level: each gives an article with clean text
//! or one rejection with a clear reason, quickly, and never a panic. (The CLI-level
//! suite, with exit codes and the store, is `crates/cli/tests/bad_inputs.rs`.)

use std::time::{Duration, Instant};

use dossier_ingest::{read_bytes, Article, IngestConfig, Rejection};

fn one(name: &str, bytes: &[u8]) -> Result<Article, Rejection> {
    let mut out = read_bytes(name, bytes, &IngestConfig::default());
    assert_eq!(out.len(), 1, "{name}: {out:?}");
    out.remove(0)
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        let pair = if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        };
        bytes.extend_from_slice(&pair);
    }
    bytes
}

const STORY: &str = "Gunmen attacked a police post in Khyber district on Tuesday, officials said.";

#[test]
fn utf16_with_bom_is_decoded_in_either_byte_order() {
    for big_endian in [false, true] {
        let a = one("wire.txt", &utf16(STORY, big_endian)).expect("UTF-16 reads");
        assert_eq!(a.text, STORY, "big endian: {big_endian}");
    }
}

#[test]
fn html_nested_ten_thousand_levels_is_rejected_at_once() {
    let html = format!(
        "<html><body>{}<p>{STORY}</p>{}</body></html>",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    let started = Instant::now();
    let err = one("deep.html", html.as_bytes()).expect_err("too deep");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        err.reason.starts_with("HTML nested 10002 levels deep"),
        "{err}"
    );
}

#[test]
fn html_nested_a_few_hundred_levels_still_reads() {
    let html = format!(
        "<html><body>{}<p>{STORY}</p>{}</body></html>",
        "<div>".repeat(300),
        "</div>".repeat(300)
    );
    assert_eq!(
        one("deep.html", html.as_bytes()).expect("reads").text,
        STORY
    );
}

#[test]
fn scripts_iframes_styles_and_friends_never_reach_the_text() {
    let html = format!(
        "<html><head><title>Post attacked</title><style>p {{ font-family: LEAKSTYLE }}</style>\
         <script>var LEAKSCRIPT = '<p>LEAKSTRING</p>';</script></head><body><article>\
         <p>{STORY}</p><iframe src='https://x.example/'>LEAKIFRAME</iframe>\
         <noscript>LEAKNOSCRIPT</noscript><svg><text>LEAKSVG</text></svg>\
         <template><p>LEAKTEMPLATE</p></template><object>LEAKOBJECT</object>\
         <p>Two officers were wounded in the attack, the police said on Wednesday.</p>\
         <script type='application/ld+json'>{{\"LEAKJSONLD\": 1}}</script></article></body></html>"
    );
    let a = one("page.html", html.as_bytes()).expect("reads");
    assert!(a.text.starts_with(STORY), "{}", a.text);
    assert!(a.text.contains("Two officers were wounded"), "{}", a.text);
    assert!(!a.text.contains("LEAK"), "{}", a.text);
    assert!(!a.text.contains('<') && !a.text.contains('{'), "{}", a.text);
}

/// A PDF with correct cross-reference offsets, from its object bodies.
fn pdf(objects: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn one_page_pdf(content: &str) -> Vec<u8> {
    pdf(&[
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .into(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    ])
}

#[test]
fn hand_built_pdf_with_a_text_layer_reads() {
    let bytes = one_page_pdf(&format!("BT /F1 12 Tf 72 720 Td ({STORY}) Tj ET"));
    let a = one("report.pdf", &bytes).expect("text layer reads");
    assert!(a.text.contains("police post in Khyber"), "{}", a.text);
}

#[test]
fn pdf_without_a_text_layer_is_rejected_as_scanned() {
    // A page that only paints a grey rectangle, as a scan's image page would.
    let bytes = one_page_pdf("0.5 g 72 72 468 648 re f");
    let err = one("scan.pdf", &bytes).expect_err("no text");
    assert_eq!(err.reason, "no text layer (scanned PDF?)");
}

#[test]
fn truncated_pdf_is_rejected_not_a_panic() {
    let full = one_page_pdf(&format!("BT /F1 12 Tf 72 720 Td ({STORY}) Tj ET"));
    for cut in [12, full.len() / 3, full.len() / 2, full.len() - 30] {
        let err = one("cut.pdf", &full[..cut]).expect_err("truncated");
        assert!(
            err.reason.starts_with("not a readable PDF")
                || err.reason.starts_with("PDF reader crashed")
                || err.reason.starts_with("no text layer"),
            "cut at {cut}: {err}"
        );
    }
}

#[test]
fn jsonl_fields_of_the_wrong_type_are_named_or_ignored() {
    let feed = concat!(
        "{\"id\": \"n\", \"text\": 5}\n",
        "{\"id\": \"a\", \"text\": \"Security forces killed four militants in Khyber district.\", \"published\": []}\n",
        "{\"id\": \"z\", \"text\": \"Security forces killed five militants in Kurram district.\", \"published\": \"0000-00-00\"}\n",
        "[1, 2, 3]\n",
        "{\"id\": {\"nested\": true}, \"text\": \"Security forces killed six militants in Bajaur district.\", \"title\": 7}\n",
    );
    let out = read_bytes("feed.jsonl", feed.as_bytes(), &IngestConfig::default());
    assert_eq!(out.len(), 5);
    let err = out[0].as_ref().expect_err("number text");
    assert_eq!(
        (err.origin.as_str(), err.reason.as_str()),
        ("feed.jsonl:1", "`text` is not a string")
    );
    // Metadata of the wrong type, or an impossible date, is dropped; the story stays.
    let a = out[1].as_ref().expect("array date ignored");
    assert_eq!(a.published, None);
    let z = out[2].as_ref().expect("zero date ignored");
    assert_eq!(z.published, None);
    assert!(out[3].is_err(), "{:?}", out[3]);
    assert!(out[4].is_ok(), "{:?}", out[4]);
}

#[test]
fn zero_width_and_control_characters_are_removed_from_names() {
    let text = "The T\u{200b}TP and Al\u{200d}Qaeda\u{2060} claimed the raid.\u{7}\u{1b}[31m Officials\u{7f} \
                confirmed\u{b} it on\u{c} Monday.\u{feff}\r\n";
    let a = one("zw.txt", text.as_bytes()).expect("reads");
    assert_eq!(
        a.text,
        "The TTP and AlQaeda claimed the raid.[31m Officials confirmed it on Monday."
    );
}

#[test]
fn right_to_left_text_mixed_with_english_is_kept_intact() {
    let text = "The Tehrik-i-Taliban Pakistan (تحریک طالبان پاکستان) attacked a post; \
                د پاکستان طالبان said twelve fighters died.\u{200f}";
    let a = one("rtl.txt", text.as_bytes()).expect("reads");
    assert!(a.text.contains("(تحریک طالبان پاکستان)"), "{}", a.text);
    assert!(a.text.contains("د پاکستان طالبان said"), "{}", a.text);
    assert!(!a.text.chars().any(char::is_control));
}

#[test]
fn a_100_mb_single_line_is_refused_by_default_and_read_when_allowed() {
    let line = "x".repeat(100 * 1024 * 1024);
    let err = one("line.txt", line.as_bytes()).expect_err("over 50 MiB");
    assert_eq!(err.reason, "file is 100.0 MiB, over the 50.0 MiB limit");
    let cfg = IngestConfig {
        max_bytes: 200 * 1024 * 1024,
        ..IngestConfig::default()
    };
    let started = Instant::now();
    let out = read_bytes("line.txt", line.as_bytes(), &cfg);
    let a = out[0].as_ref().expect("allowed");
    assert_eq!(a.text.len(), line.len());
    eprintln!("100 MB line read in {:?}", started.elapsed());
}
