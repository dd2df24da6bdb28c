//! PDF text layer via `pdf-extract`.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Why a PDF gave no text. The `Display` form is the rejection reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("not a readable PDF ({0})")]
    Broken(String),
    #[error("PDF reader crashed on this file (truncated or damaged PDF?)")]
    Crashed,
    #[error("no text layer (scanned PDF?)")]
    NoText,
}

/// The text of every page, pages separated by a blank line.
pub(crate) fn extract(bytes: &[u8]) -> Result<String, PdfError> {
    if !bytes.starts_with(b"%PDF") {
        return Err(PdfError::Broken("missing %PDF header".into()));
    }
    // pdf-extract indexes and unwraps freely inside fonts and content streams, so a
    // damaged file can panic rather than return an error: catch it to keep the batch
    // going. The panic message still reaches stderr through the default hook.
    let pages = catch_unwind(AssertUnwindSafe(|| {
        pdf_extract::extract_text_from_mem_by_pages(bytes)
    }))
    .map_err(|_| PdfError::Crashed)?
    .map_err(|e| PdfError::Broken(e.to_string()))?;
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
}
