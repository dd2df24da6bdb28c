//! `read_bytes` on arbitrary bytes named `x.txt`: never panics, and every article
//! keeps the clean-text contract every later span relies on.
#![no_main]

use std::sync::OnceLock;

use dossier_ingest::{read_bytes, IngestConfig};
use libfuzzer_sys::fuzz_target;

/// Built once: parsing the chrome rules compiles regexes, which would dominate each run.
fn config() -> &'static IngestConfig {
    static CFG: OnceLock<IngestConfig> = OnceLock::new();
    CFG.get_or_init(IngestConfig::default)
}

fuzz_target!(|data: &[u8]| {
    for article in read_bytes("x.txt", data, config()).into_iter().flatten() {
        let text = &article.text;
        assert!(!text.is_empty(), "empty article text");
        assert!(
            !text.chars().any(|c| c != '\n' && c.is_control()),
            "control character in clean text: {text:?}"
        );
        assert!(
            !text.contains('\u{200b}') && !text.contains('\u{feff}'),
            "zero-width character in clean text: {text:?}"
        );
    }
});
