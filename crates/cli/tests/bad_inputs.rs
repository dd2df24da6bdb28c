//! The bad-input suite, run against the `dossier` binary as a process: every odd input
//! gets one clear message, rejected inputs exit 1 while the rest of the batch is
//! stored, usage and store errors exit 2, and nothing ever exits 101 (a panic) or
//! leaves half a document behind. Library-level cases: `crates/ingest/tests/bad_inputs.rs`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const STORY: &str = "Gunmen attacked a police post in Khyber district on Tuesday, officials said.";

fn dossier(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("DOSSIER_DB")
        .env_remove("DOSSIER_REGISTRY")
        .stdin(Stdio::null())
        .output()
        .expect("run dossier")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A temp folder with a store path and an input folder holding `good.txt`.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Self {
        let case = Case {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir(case.input()).expect("input dir");
        case.write("good.txt", format!("Post attacked\n\n{STORY}\n").as_bytes());
        case
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("d.db")
    }
    fn input(&self) -> PathBuf {
        self.dir.path().join("in")
    }
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.input().join(name);
        std::fs::write(&path, bytes).expect("write input");
        path
    }
    fn run(&self, args: &[&str]) -> Output {
        let out = dossier(&self.db(), args);
        assert_ne!(out.status.code(), Some(101), "panic: {}", stderr(&out));
        assert!(out.status.code().is_some(), "killed by a signal: {out:?}");
        out
    }
    /// Ingest the input folder; returns the output after checking the exit code.
    fn ingest(&self, extra: &[&str], code: i32) -> String {
        let input = self.input();
        let mut args = vec!["ingest"];
        args.extend_from_slice(extra);
        args.push(input.to_str().expect("utf-8 temp path"));
        let out = self.run(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{err}");
        err
    }
    /// Every exported record, parsed, after checking that no record points at a
    /// document that is not stored (nothing half-stored).
    fn export(&self) -> Vec<serde_json::Value> {
        let out = self.run(&["export", "--with-text"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let records: Vec<serde_json::Value> = String::from_utf8(out.stdout)
            .expect("export is UTF-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("every export line is JSON"))
            .collect();
        let docs: HashSet<&str> = records
            .iter()
            .filter(|r| r["kind"] == "document")
            .filter_map(|r| r["doc"].as_str())
            .collect();
        for r in &records {
            if let Some(doc) = r["doc"].as_str() {
                assert!(docs.contains(doc), "record of an unstored document: {r}");
            }
        }
        records
    }
    fn docs(&self) -> Vec<serde_json::Value> {
        self.export()
            .into_iter()
            .filter(|r| r["kind"] == "document")
            .collect()
    }
    fn doc_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .docs()
            .iter()
            .filter_map(|d| d["doc"].as_str().map(str::to_string))
            .collect();
        ids.sort();
        ids
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    bytes
}

#[test]
fn utf16_with_bom_is_stored_as_clean_utf8() {
    let case = Case::new();
    case.write(
        "wide.txt",
        &utf16le_with_bom(
            "Border clash\n\nAfghan and Pakistani forces exchanged fire near Torkham on Sunday.\n",
        ),
    );
    case.ingest(&[], 0);
    let docs = case.docs();
    let wide = docs.iter().find(|d| d["doc"] == "wide").expect("stored");
    assert_eq!(
        wide["text"],
        "Afghan and Pakistani forces exchanged fire near Torkham on Sunday."
    );
}

#[test]
fn a_100_mb_single_line_is_refused_by_default_and_stored_when_allowed() {
    let case = Case::new();
    // Padding around one sentence keeps the raised-limit run fast in a debug build
    // (the analysis of 100 MB of words is a benchmark's job) while every byte still
    // goes through reading, decoding and cleanup.
    let mut line = String::from("Officials said the convoy was attacked near Bannu.");
    line.push_str(&" ".repeat(100 * 1024 * 1024));
    line.push_str("Three soldiers were wounded.");
    case.write("line.txt", line.as_bytes());
    drop(line);
    let err = case.ingest(&[], 1);
    assert!(
        err.contains("line.txt: file is 100.0 MiB, over the 50.0 MiB limit"),
        "{err}"
    );
    assert_eq!(case.doc_ids(), ["good"]);

    let err = case.ingest(&["--max-bytes", "200000000"], 0);
    assert!(err.contains("1 new, 1 duplicate"), "{err}");
    let docs = case.docs();
    let line = docs.iter().find(|d| d["doc"] == "line").expect("stored");
    assert_eq!(
        line["text"],
        "Officials said the convoy was attacked near Bannu. Three soldiers were wounded."
    );
}

#[test]
fn html_nested_ten_thousand_levels_is_rejected_and_the_batch_goes_on() {
    let case = Case::new();
    let html = format!(
        "<html><body>{}<p>{STORY}</p>{}</body></html>",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    case.write("deep.html", html.as_bytes());
    let err = case.ingest(&[], 1);
    assert!(
        err.contains("deep.html: HTML nested 10002 levels deep (limit 1000)"),
        "{err}"
    );
    assert_eq!(case.doc_ids(), ["good"]);
}

#[test]
fn scripts_iframes_and_styles_never_reach_the_stored_text() {
    let case = Case::new();
    let html = format!(
        "<!doctype html><html><head><title>Post attacked</title>\
         <style>body {{ background: url(LEAKSTYLE) }}</style>\
         <script>document.write('<p>LEAKSCRIPT</p>')</script></head><body>\
         <nav><a href='/'>Home</a></nav><article><h1>Post attacked</h1><p>{STORY}</p>\
         <iframe src='https://ads.example/'>LEAKIFRAME</iframe><noscript>LEAKNOSCRIPT</noscript>\
         <p>Two officers were wounded in the attack, the police said on Wednesday.</p>\
         <svg><script>LEAKSVGSCRIPT</script><text>LEAKSVG</text></svg>\
         <template>LEAKTEMPLATE</template></article>\
         <script type='text/javascript'>var x = \"LEAKTAIL\";</script></body></html>"
    );
    case.write("page.html", html.as_bytes());
    case.ingest(&[], 0);
    let records = case.export();
    let page = records
        .iter()
        .find(|r| r["kind"] == "document" && r["doc"] == "page")
        .expect("page stored");
    let text = page["text"].as_str().expect("text exported");
    assert!(text.contains("police post in Khyber"), "{text}");
    assert!(text.contains("Two officers were wounded"), "{text}");
    for r in &records {
        assert!(
            !r.to_string().contains("LEAK"),
            "script/style content leaked: {r}"
        );
    }
}

/// A one-page PDF with correct cross-reference offsets around `content`.
fn one_page_pdf(content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 6\n0000000000 65535 f \n");
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
}

#[test]
fn pdf_without_text_layer_and_truncated_pdf_are_rejected_one_line_each() {
    let case = Case::new();
    let with_text = one_page_pdf(
        "BT /F1 12 Tf 72 720 Td (Two traders were shot dead in Kurram district on Friday.) Tj ET",
    );
    case.write("report.pdf", &with_text);
    case.write("scan.pdf", &one_page_pdf("0.5 g 72 72 468 648 re f"));
    case.write("cut.pdf", &with_text[..with_text.len() / 2]);
    let err = case.ingest(&[], 1);
    assert!(
        err.contains("scan.pdf: no text layer (scanned PDF?)"),
        "{err}"
    );
    assert!(
        err.contains("cut.pdf: not a readable PDF") || err.contains("cut.pdf: PDF reader crashed"),
        "{err}"
    );
    assert_eq!(case.doc_ids(), ["good", "report"]);
}

#[test]
fn jsonl_with_wrong_types_names_the_line_and_keeps_the_rest() {
    let case = Case::new();
    case.write(
        "feed.jsonl",
        concat!(
            "{\"id\": \"five\", \"text\": 5}\n",
            "{\"id\": \"arr\", \"text\": \"Security forces killed four militants in Khyber district on Monday.\", \"published\": []}\n",
            "{\"id\": \"zero\", \"text\": \"Security forces killed five militants in Kurram district on Friday.\", \"published\": \"0000-00-00\"}\n",
            "\"just a string\"\n",
        )
        .as_bytes(),
    );
    let err = case.ingest(&[], 1);
    assert!(
        err.contains("feed.jsonl:1: `text` is not a string"),
        "{err}"
    );
    assert!(err.contains("feed.jsonl:4"), "{err}");
    assert_eq!(case.doc_ids(), ["arr", "good", "zero"]);
    for d in case.docs() {
        assert!(d["published"].is_null(), "impossible date stored: {d}");
    }
}

#[test]
fn absurd_published_dates_are_usage_errors_and_store_nothing() {
    let case = Case::new();
    for date in [
        "99999-01-01",
        "2024-13-45",
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "about 2024-03-01",
        "yesterday-ish",
        "",
    ] {
        let out = case.run(&[
            "ingest",
            "--published",
            date,
            case.input().to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{date}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("not a calendar date: use YYYY-MM-DD"),
            "{date}: {}",
            stderr(&out)
        );
    }
    assert!(case.doc_ids().is_empty());
    for args in [
        ["search", "--from", "99999-01-01", "attack"],
        ["events", "--from", "2024-13-01", "--json"],
        ["events", "--to", "2024-02-30", "--json"],
    ] {
        let out = case.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("is not a date for --"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    // A real leap day is a date.
    let out = case.run(&["events", "--from", "2024-02-29"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn overflowing_numbers_never_become_inf_or_nan_in_the_export() {
    let case = Case::new();
    let huge = "9".repeat(400);
    case.write(
        "numbers.txt",
        format!(
            "Numbers\n\nThe TTP claimed 1e309 attacks in 2024 and said {huge} fighters joined. \
             Officials said 1e309 people were killed and {huge}.5 were wounded in Bannu, \
             while 1.7976931348623157e308 rupees were seized.\n"
        )
        .as_bytes(),
    );
    case.ingest(&[], 0);
    let records = case.export();
    for r in records.iter().filter(|r| r["kind"] == "figure") {
        for key in ["value", "value_max"] {
            let v = &r[key];
            assert!(
                v.is_null() && key == "value_max" || v.as_f64().is_some_and(f64::is_finite),
                "{key} not a finite number: {r}"
            );
        }
    }
    for format in ["csv", "figures-csv", "stix", "geojson"] {
        let out = case.run(&["export", "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let body = String::from_utf8_lossy(&out.stdout).to_lowercase();
        assert!(
            !body.contains("nan") && !body.contains("inf,"),
            "{format}: {body}"
        );
    }
}

#[test]
fn right_to_left_text_keeps_exact_spans() {
    let case = Case::new();
    case.write(
        "rtl.txt",
        "تحریک طالبان\n\nThe Tehrik-i-Taliban Pakistan (تحریک طالبان پاکستان) attacked a checkpoint in Bannu; \
         د پاکستان طالبان said 12 soldiers were killed. \u{202b}پاکستان\u{202c} officials denied it.\n"
            .as_bytes(),
    );
    case.ingest(&[], 0);
    let records = case.export();
    let text = records
        .iter()
        .find(|r| r["kind"] == "document" && r["doc"] == "rtl")
        .and_then(|d| d["text"].as_str())
        .expect("stored")
        .to_string();
    assert!(text.contains("(تحریک طالبان پاکستان)"), "{text}");
    let mut spans = 0;
    for r in records
        .iter()
        .filter(|r| r["doc"] == "rtl" && r["start"].is_u64())
    {
        let (s, e) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        let quoted = text
            .get(s..e)
            .unwrap_or_else(|| panic!("span off a char boundary: {r}"));
        if let Some(t) = r["text"].as_str() {
            assert_eq!(quoted, t, "{r}");
        }
        spans += 1;
    }
    assert!(spans > 0, "no spans in {text}");
}

#[test]
fn zero_width_characters_inside_names_do_not_hide_the_actor() {
    let case = Case::new();
    case.write(
        "zw.txt",
        "Claim\n\nThe T\u{200b}TP claimed the attack in Bannu on Monday, officials said.\n"
            .as_bytes(),
    );
    case.ingest(&[], 0);
    let records = case.export();
    let mention = records
        .iter()
        .find(|r| r["kind"] == "mention" && r["doc"] == "zw" && r["entity"] == "ttp")
        .expect("TTP found despite the zero-width space");
    assert_eq!(mention["text"], "TTP");
}

#[test]
fn control_characters_are_removed_from_the_stored_text() {
    let case = Case::new();
    case.write(
        "ctrl.txt",
        "Control\n\nThe police\u{7} said\u{1b} the attack\u{8} in Bannu\u{b} killed\u{7f} two \
         officers\u{85} on Monday.\r\n"
            .as_bytes(),
    );
    case.ingest(&[], 0);
    let docs = case.docs();
    let text = docs
        .iter()
        .find(|d| d["doc"] == "ctrl")
        .and_then(|d| d["text"].as_str())
        .expect("stored");
    assert!(!text.chars().any(char::is_control), "{text:?}");
    assert!(
        text.contains("police said the attack in Bannu killed two officers"),
        "{text:?}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_and_the_walk_ends() {
    use std::os::unix::fs::symlink;
    let case = Case::new();
    let input = case.input();
    std::fs::create_dir(input.join("sub")).unwrap();
    symlink("..", input.join("sub/up")).unwrap();
    symlink("b.txt", input.join("a.txt")).unwrap();
    symlink("a.txt", input.join("b.txt")).unwrap();
    symlink("self.txt", input.join("self.txt")).unwrap();
    let err = case.ingest(&[], 1);
    for name in ["a.txt", "b.txt", "self.txt", "up"] {
        assert!(
            err.lines()
                .any(|l| l.contains(name) && l.contains("symlink loop")),
            "no loop message for {name}: {err}"
        );
    }
    assert_eq!(case.doc_ids(), ["good"]);
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_rejected_with_the_reason() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new();
    let locked = case.write(
        "locked.txt",
        b"Locked\n\nA report nobody may read about Kurram.\n",
    );
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let locked_dir = case.input().join("closed");
    std::fs::create_dir(&locked_dir).unwrap();
    std::fs::write(
        locked_dir.join("inner.txt"),
        b"Inner\n\nA report in a closed folder.\n",
    )
    .unwrap();
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    let input = case.input();
    let out = case.run(&["ingest", input.to_str().unwrap()]);
    // Restore permissions so the temp dir can be removed.
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    if is_root() {
        // Permissions do not apply to root: the files read; only "no panic" is checked.
        return;
    }
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("locked.txt: permission denied"), "{err}");
    assert!(err.contains("closed"), "{err}");
    assert_eq!(case.doc_ids(), ["good"]);
}

#[test]
fn a_folder_given_as_the_store_is_a_clear_error() {
    let case = Case::new();
    let folder = case.dir.path().join("store-folder");
    std::fs::create_dir(&folder).unwrap();
    for args in [
        vec!["stats"],
        vec!["ingest", case.input().to_str().unwrap()],
    ] {
        let out = dossier(&folder, &args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("error: opening the store") && err.contains("store-folder"),
            "{err}"
        );
        assert_eq!(err.matches("this is a folder").count(), 1, "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            !err.contains("Error code"),
            "SQLite's message repeated: {err}"
        );
    }
    assert_eq!(
        std::fs::read_dir(&folder).unwrap().count(),
        0,
        "wrote into the folder"
    );
}

#[test]
fn a_store_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    let case = Case::new();
    let fake = case.dir.path().join("fake.db");
    let content = b"name,value\nthis is a CSV file that someone passed as the store,1\n".repeat(20);
    std::fs::write(&fake, &content).unwrap();
    for args in [
        vec!["ingest", case.input().to_str().unwrap()],
        vec!["search", "attack"],
    ] {
        let out = dossier(&fake, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with("error: opening the store"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(
        std::fs::read(&fake).unwrap(),
        content,
        "the file was modified"
    );
}

#[test]
fn a_100_kb_search_query_answers_or_explains() {
    let case = Case::new();
    case.ingest(&[], 0);
    let words = "police ".repeat(100 * 1024 / 7);
    let nested = "(police OR ".repeat(100 * 1024 / 11);
    let quotes = "\"".repeat(100 * 1024);
    for (query, raw) in [
        (&words, false),
        (&words, true),
        (&nested, true),
        (&quotes, false),
        (&quotes, true),
    ] {
        let mut args = vec!["search"];
        if raw {
            args.push("--raw");
        }
        args.push(query);
        let out = case.run(&args);
        let err = stderr(&out);
        match out.status.code() {
            Some(0) => {}
            Some(2) => {
                assert!(err.starts_with("search: "), "{err}");
                assert!(
                    err.len() < 2_000,
                    "the whole query echoed back: {} bytes",
                    err.len()
                );
            }
            other => panic!("exit {other:?}: {err}"),
        }
    }
    let out = case.run(&["search", &words]);
    assert!(
        stderr(&out).contains("words; at most 256 are allowed"),
        "{}",
        stderr(&out)
    );
    let out = case.run(&["search", &"police ".repeat(256)]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("«police»"));
}

#[test]
fn empty_stdin_is_rejected_and_nothing_stored() {
    let case = Case::new();
    let out = case.run(&["ingest", "-"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("-: empty"), "{}", stderr(&out));
    assert!(case.doc_ids().is_empty());
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_read_and_named() {
    use std::os::unix::ffi::OsStrExt;
    let case = Case::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-report.txt");
    std::fs::write(
        case.input().join(name),
        format!("Report\n\n{STORY} More later.\n"),
    )
    .unwrap();
    case.ingest(&[], 0);
    let ids = case.doc_ids();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.iter().any(|id| id.starts_with("caf")), "{ids:?}");
}

#[test]
fn nul_escapes_inside_jsonl_strings_are_removed() {
    let case = Case::new();
    case.write(
        "feed.jsonl",
        b"{\"id\": \"nul\", \"title\": \"A\\u0000B\", \"text\": \"Security forces\\u0000 killed four militants in Khyber\\u0007 district.\"}\n",
    );
    case.ingest(&[], 0);
    let docs = case.docs();
    let d = docs.iter().find(|d| d["doc"] == "nul").expect("stored");
    assert_eq!(
        d["text"],
        "Security forces killed four militants in Khyber district."
    );
    assert!(!d["title"].as_str().unwrap_or("").contains('\0'), "{d}");
}

#[test]
fn a_reader_that_closes_the_pipe_early_is_not_a_crash() {
    // `dossier export | head -1`: the reader goes away after one line. Rust ignores
    // SIGPIPE, so every later write fails with EPIPE; that must end the run quietly.
    let case = Case::new();
    for i in 0..40 {
        case.write(
            &format!("story{i}.txt"),
            format!("Post {i} attacked\n\nGunmen attacked police post number {i} in Khyber district on Tuesday, officials said; {i} were hurt.\n").as_bytes(),
        );
    }
    case.ingest(&[], 0);
    for args in [&["export"][..], &["stats"], &["actor", "Khyber"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--db")
            .arg(case.db())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Close our end at once: the first write already finds no reader.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            !stderr(&out).contains("panicked"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}
