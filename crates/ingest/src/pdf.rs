//! PDF text layer via `pdf-extract`.

use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::time::Duration;

use pdf_extract::{Document, Object, ObjectId};

/// How long one PDF may take to give its text. pdf-extract has loops a damaged file can
/// make endless (found by fuzzing: a page whose `/Parent` is itself); the known ones are
/// refused up front, and this deadline is the net for the unknown ones.
const DEADLINE: Duration = Duration::from_secs(60);

/// Why a PDF gave no text. The `Display` form is the rejection reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("not a readable PDF ({0})")]
    Broken(String),
    #[error("PDF reader crashed on this file (truncated or damaged PDF?)")]
    Crashed,
    #[error("no text layer (scanned PDF?)")]
    NoText,
    #[error("damaged PDF: its page tree loops (a /Parent chain comes back to itself)")]
    ParentCycle,
    #[error("PDF reader did not finish within {0} s (damaged PDF?)")]
    TimedOut(u64),
}

/// The text of every page, pages separated by a blank line.
pub(crate) fn extract(bytes: &[u8]) -> Result<String, PdfError> {
    if !bytes.starts_with(b"%PDF") {
        return Err(PdfError::Broken("missing %PDF header".into()));
    }
    let doc = Document::load_mem(bytes).map_err(|e| PdfError::Broken(e.to_string()))?;
    if has_parent_cycle(&doc) {
        return Err(PdfError::ParentCycle);
    }
    drop(doc);
    let owned = bytes.to_vec();
    let pages = with_deadline(DEADLINE, move || {
        pdf_extract::extract_text_from_mem_by_pages(&owned)
    })?;
    let text = pages
        .iter()
        .map(|p| p.trim_matches(|c: char| c.is_whitespace()))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 20 {
        return Err(PdfError::NoText);
    }
    Ok(text)
}

/// Runs `read` on its own thread and waits at most `deadline`. A reader that never
/// returns is left behind (a thread cannot be stopped from outside) and the file is
/// rejected; the batch goes on. A panic in the reader is caught: pdf-extract indexes and
/// unwraps freely inside fonts and content streams, so a damaged file can panic rather
/// than return an error (the message still reaches stderr through the panic hook).
fn with_deadline<F>(deadline: Duration, read: F) -> Result<Vec<String>, PdfError>
where
    F: FnOnce() -> Result<Vec<String>, pdf_extract::OutputError> + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("pdf-extract".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(read));
            // The receiver is gone only after a timeout: nobody waits for this result.
            let _ = tx.send(result);
        })
        .map_err(|e| PdfError::Broken(format!("could not start the PDF reader: {e}")))?;
    match rx.recv_timeout(deadline) {
        Ok(result) => {
            // The thread has sent its result and ends now; joining cannot block long.
            let _ = spawned.join();
            result
                .map_err(|_| PdfError::Crashed)?
                .map_err(|e| PdfError::Broken(e.to_string()))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Err(PdfError::TimedOut(deadline.as_secs())),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(PdfError::Crashed),
    }
}

/// Whether any object's `/Parent` chain comes back to an object already on it.
/// pdf-extract follows `/Parent` to look up inherited page attributes without a guard.
fn has_parent_cycle(doc: &Document) -> bool {
    let parent_of = |id: ObjectId| -> Option<ObjectId> {
        match doc.objects.get(&id)? {
            Object::Dictionary(d) => d.get(b"Parent").ok()?.as_reference().ok(),
            Object::Stream(s) => s.dict.get(b"Parent").ok()?.as_reference().ok(),
            _ => None,
        }
    };
    let mut safe: HashSet<ObjectId> = HashSet::new();
    for &start in doc.objects.keys() {
        let mut chain = Vec::new();
        let mut seen = HashSet::new();
        let mut at = Some(start);
        while let Some(id) = at {
            if safe.contains(&id) {
                break;
            }
            if !seen.insert(id) {
                return true;
            }
            chain.push(id);
            at = parent_of(id);
        }
        safe.extend(chain);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_pdf_bytes_are_broken() {
        assert!(matches!(extract(b"hello"), Err(PdfError::Broken(_))));
    }

    #[test]
    fn truncated_pdf_is_an_error_not_a_panic() {
        let err = extract(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R").unwrap_err();
        assert!(matches!(err, PdfError::Broken(_) | PdfError::Crashed));
    }

    /// A small one-page PDF whose page's `/Parent` is `parent` (2 is right). With 3 the
    /// page is its own parent, and without `/Resources` on the page pdf-extract looks the
    /// attribute up the parent chain.
    fn one_page(parent: u32) -> Vec<u8> {
        let resources = if parent == 2 {
            "/Resources << /Font << /F1 5 0 R >> >>"
        } else {
            ""
        };
        let content = b"BT /F1 12 Tf 72 720 Td (Security forces cleared a checkpoint near Landi Kotal on Monday.) Tj ET";
        let objs: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!("<< /Type /Page /Parent {parent} 0 R /MediaBox [0 0 612 792] /Contents 4 0 R {resources} >>").into_bytes(),
            [format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(), content, b"\nendstream"].concat(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend(o);
            out.extend(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objs.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    #[test]
    fn a_well_formed_page_gives_its_text() {
        let text = extract(&one_page(2)).unwrap();
        assert!(text.contains("Landi Kotal"), "{text}");
    }

    #[test]
    fn a_page_that_is_its_own_parent_is_refused_not_looped_on() {
        // Found by fuzzing (fuzz/fuzz_targets/ingest_pdf.rs): pdf-extract looped forever.
        assert_eq!(extract(&one_page(3)), Err(PdfError::ParentCycle));
    }

    #[test]
    fn a_reader_that_does_not_finish_is_cut_off() {
        let r = with_deadline(Duration::from_millis(200), || {
            std::thread::sleep(Duration::from_secs(5));
            Ok(vec!["late".to_string()])
        });
        assert_eq!(r, Err(PdfError::TimedOut(0)));
        let fast = with_deadline(Duration::from_secs(5), || Ok(vec!["page".to_string()]));
        assert_eq!(fast, Ok(vec!["page".to_string()]));
        let panics = with_deadline(Duration::from_secs(5), || panic!("damaged font"));
        assert_eq!(panics, Err(PdfError::Crashed));
    }
}
