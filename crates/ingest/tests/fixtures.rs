//! End-to-end reading of the fixture files (our own wording) in each format.

use std::path::{Path, PathBuf};

use dossier_ingest::{read_bytes, read_input, Article, IngestConfig, Input, Rejection};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> Vec<Result<Article, Rejection>> {
    read_input(&Input::File(fixture(name)), &IngestConfig::default())
}

#[test]
fn html_page_keeps_the_story_and_its_metadata() {
    let out = read("briefing.html");
    assert_eq!(out.len(), 1);
    let a = out[0].as_ref().expect("article");
    assert_eq!(a.stem, "briefing");
    assert_eq!(
        a.title.as_deref(),
        Some("Traders Wait as Border Stays Shut")
    );
    assert_eq!(a.author.as_deref(), Some("Hina Baloch"));
    assert_eq!(a.published.as_deref(), Some("2024-10-07"));
    assert_eq!(a.publisher.as_deref(), Some("Frontier Ledger"));
    let text = &a.text;
    assert!(text.starts_with("Hundreds of lorries"), "{text}");
    assert!(text.contains("\n\nTalks in the capital\n\n"), "{text}");
    assert!(
        text.ends_with("reports on the shooting that started it."),
        "{text}"
    );
    for chrome in [
        "Skip to content",
        "cookies",
        "Home",
        "Share on X",
        "Related Articles",
        "Fruit prices",
        "do-not-show-this",
        "font-family",
        "Lorries queue",
        "All rights reserved",
        "video here",
        "Traders Wait",
        "By Hina",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} leaked into:\n{text}");
    }
    assert!(!text.contains("\n\n\n") && !text.contains("  "));
}

#[test]
fn malformed_html_still_gives_text() {
    let html = "<html><body><div><p>Unclosed paragraph about the district <b>council.<p>Another one <i>here.";
    let out = read_bytes("broken.html", html.as_bytes(), &IngestConfig::default());
    let a = out[0].as_ref().expect("article");
    assert!(
        a.text
            .contains("Unclosed paragraph about the district council."),
        "{}",
        a.text
    );
    assert!(a.text.contains("Another one here."), "{}", a.text);
}

#[test]
fn html_with_only_chrome_is_rejected_cleanly() {
    let html = "<html><head><script>var a = 1;</script></head><body><nav><a href='/'>Home</a></nav></body></html>";
    let out = read_bytes("empty.html", html.as_bytes(), &IngestConfig::default());
    let err = out[0].as_ref().expect_err("nothing to read");
    assert_eq!(err.reason, "no text left after cleanup");
}

#[test]
fn markdown_is_stripped_with_byline_and_date_lifted() {
    let out = read("field-notes.md");
    let a = out[0].as_ref().expect("article");
    assert_eq!(
        a.title.as_deref(),
        Some("Field Notes from the Upper Valley")
    );
    assert_eq!(a.author.as_deref(), Some("Tariq Rahman"));
    assert_eq!(a.published.as_deref(), Some("2023-06-12"));
    let paras: Vec<&str> = a.text.split("\n\n").collect();
    assert!(
        paras[0].starts_with("The district council met in the schoolhouse"),
        "{paras:?}"
    );
    assert!(
        paras[0].contains("about road repairs and the missing bridge."),
        "{paras:?}"
    );
    assert_eq!(paras[1], "What residents asked for");
    assert_eq!(paras[2], "A new bridge before winter");
    assert!(
        a.text.ends_with("agreed to write to the province."),
        "{}",
        a.text
    );
    assert!(!a.text.contains(['*', '#', '[', ']']));
}

#[test]
fn jsonl_gives_good_lines_and_names_bad_ones() {
    let out = read("feed.jsonl");
    assert_eq!(out.len(), 4, "blank line skipped");
    let first = out[0].as_ref().expect("line 1");
    assert_eq!(first.stem, "wire-0001");
    assert!(first.origin.ends_with("feed.jsonl:1"));
    assert_eq!(first.text, "Authorities lifted the curfew on Tuesday after three quiet nights.\n\nShops reopened by noon.");
    assert_eq!(first.url.as_deref(), Some("https://news.example/0001"));
    assert_eq!(first.publisher.as_deref(), Some("Example Wire"));
    let broken = out[1].as_ref().expect_err("line 3");
    assert!(
        broken.origin.ends_with("feed.jsonl:3") && broken.reason.starts_with("broken JSON"),
        "{broken}"
    );
    let second = out[2].as_ref().expect("line 4");
    assert_eq!(second.stem, "feed-4");
    let not_string = out[3].as_ref().expect_err("line 5");
    assert_eq!(not_string.reason, "`text` is not a string");
}

/// A one-page PDF whose content stream shows `lines` in Helvetica; no lines means a
/// page without any text (what a scan looks like to a text extractor).
fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf 14 TL 72 720 Td\n");
    for l in lines {
        content.push_str(&format!("({l}) Tj T*\n"));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

#[test]
fn pdf_text_layer_is_read() {
    let bytes = pdf(&[
        "Militants attacked a checkpoint near the river crossing on Friday night.",
        "Two guards were wounded, officials said.",
    ]);
    let out = read_bytes("report.pdf", &bytes, &IngestConfig::default());
    let a = out[0].as_ref().expect("article");
    assert!(
        a.text.contains("Militants attacked a checkpoint"),
        "{}",
        a.text
    );
    assert!(a.text.contains("Two guards were wounded"), "{}", a.text);
}

#[test]
fn pdf_without_text_and_truncated_pdf_are_rejected() {
    let out = read_bytes("scan.pdf", &pdf(&[]), &IngestConfig::default());
    assert_eq!(
        out[0].as_ref().expect_err("no text").reason,
        "no text layer (scanned PDF?)"
    );
    let whole = pdf(&["Some words on a page that is cut off halfway through the file."]);
    for cut in [10, whole.len() / 2, whole.len() - 20] {
        let out = read_bytes("cut.pdf", &whole[..cut], &IngestConfig::default());
        assert!(out[0].is_err() || out[0].as_ref().is_ok_and(|a| !a.text.is_empty()));
    }
}

#[test]
fn binary_empty_and_bad_utf8_files_are_rejected_with_reasons() {
    let cfg = IngestConfig::default();
    let reason = |name: &str, bytes: &[u8]| {
        read_bytes(name, bytes, &cfg)[0]
            .as_ref()
            .expect_err("rejected")
            .reason
            .clone()
    };
    assert_eq!(reason("e.txt", b""), "empty file");
    assert!(reason("b.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").starts_with("binary file"));
    assert_eq!(
        reason("u.txt", b"ok \xc3\x28 bad"),
        "invalid UTF-8 at byte offset 3; save the file as UTF-8"
    );
    assert!(reason("x.docx", b"PK").starts_with("unsupported extension .docx"));
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_rejected() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("locked.txt");
    std::fs::write(&path, "Some text.").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let out = read_input(&Input::File(path.clone()), &IngestConfig::default());
    // root reads anything: then the file is simply read.
    match &out[0] {
        Err(r) => assert_eq!(r.reason, "unreadable: permission denied"),
        Ok(a) => assert_eq!(a.text, "Some text."),
    }
}
