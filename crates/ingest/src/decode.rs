//! Bytes to a Rust string, refusing what is not text, and character-level cleanup.

/// Why bytes could not be read as text. The `Display` form is the rejection reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("binary file (NUL bytes or mostly non-text), not an article")]
    Binary,
    #[error("invalid UTF-8 at byte offset {0}; save the file as UTF-8")]
    InvalidUtf8(usize),
    #[error("invalid UTF-16 (odd number of bytes or unpaired surrogate)")]
    InvalidUtf16,
}

/// Decode article bytes: UTF-8 (BOM dropped), or UTF-16 when it starts with a BOM.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    // NUL never occurs in text files, and checking it first gives a binary file the
    // more useful reason instead of "invalid UTF-8 at byte 3".
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::InvalidUtf8(e.valid_up_to()))?;
    if mostly_control(text) {
        return Err(DecodeError::Binary);
    }
    Ok(text.to_string())
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    if !bytes.chunks_exact(2).remainder().is_empty() {
        return Err(DecodeError::InvalidUtf16);
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    let text: String = char::decode_utf16(units)
        .collect::<Result<_, _>>()
        .map_err(|_| DecodeError::InvalidUtf16)?;
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    if text.contains('\0') || mostly_control(&text) {
        return Err(DecodeError::Binary);
    }
    Ok(text)
}

/// More than 10% control characters (other than whitespace) means this is not prose.
fn mostly_control(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(100_000) {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            control += 1;
        }
    }
    control * 10 > total
}

/// Character-level cleanup of the clean-text contract: `\r\n` and `\r` to `\n`,
/// no-break and other odd spaces to a space, zero-width and control characters
/// (except `\n`) removed. Line and paragraph separators become newlines.
pub fn normalize_chars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' => out.push('\n'),
            '\u{2028}' => out.push('\n'),
            '\u{2029}' => out.push_str("\n\n"),
            '\t' | '\u{c}' | '\u{b}' => out.push(' '),
            // Zero-width characters, the soft hyphen and the BOM are invisible: keeping
            // them would split words for every later matcher.
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => {}
            c if c.is_control() => {}
            c if c != ' ' && c.is_whitespace() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Collapse runs of spaces and trim: the form of one paragraph line.
pub fn collapse_spaces(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_and_whitespace_only() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\t\n"), Err(DecodeError::Empty));
    }

    #[test]
    fn rejects_nul_bytes_as_binary() {
        assert_eq!(decode(b"PK\x03\x04\0\0abc"), Err(DecodeError::Binary));
    }

    #[test]
    fn rejects_control_heavy_text_as_binary() {
        let junk: Vec<u8> = (0..200)
            .map(|i| if i % 3 == 0 { 0x01 } else { b'a' })
            .collect();
        assert_eq!(decode(&junk), Err(DecodeError::Binary));
    }

    #[test]
    fn reports_the_offset_of_invalid_utf8() {
        let err = decode(b"Kabul \xff market").unwrap_err();
        assert_eq!(err, DecodeError::InvalidUtf8(6));
        assert!(err.to_string().contains("byte offset 6"));
    }

    #[test]
    fn decodes_utf16_with_bom_and_strips_utf8_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Quetta".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap(), "Quetta");
        assert_eq!(decode(b"\xEF\xBB\xBFPeshawar").unwrap(), "Peshawar");
        assert_eq!(decode(&[0xFF, 0xFE, 0x41]), Err(DecodeError::InvalidUtf16));
    }

    #[test]
    fn normalizes_line_ends_spaces_and_invisible_characters() {
        let raw = "Line one\r\nLine\u{a0}two\rthree\u{200b}four\u{7}";
        assert_eq!(normalize_chars(raw), "Line one\nLine two\nthreefour");
        assert_eq!(collapse_spaces("  a   b \t c "), "a b c");
    }
}
