//! `read_bytes` on arbitrary bytes named `x.pdf`: never panics out of the reader, never
//! hangs, and any article it returns keeps the clean-text contract.
//!
//! pdf-extract panics on damaged files and ingestion catches that (`catch_unwind` in
//! `crates/ingest/src/pdf.rs`), turning it into a rejection. libFuzzer's panic hook would
//! abort on the caught panic too, so the default hook is restored: a panic the product
//! catches is a rejection, one it does not catch still unwinds into libfuzzer-sys and is
//! reported as a crash.
#![no_main]

use std::sync::{Once, OnceLock};

use dossier_ingest::{read_bytes, IngestConfig};
use libfuzzer_sys::fuzz_target;

fn config() -> &'static IngestConfig {
    static CFG: OnceLock<IngestConfig> = OnceLock::new();
    CFG.get_or_init(IngestConfig::default)
}

fuzz_target!(|data: &[u8]| {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let _ = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
    });
    for article in read_bytes("x.pdf", data, config()).into_iter().flatten() {
        let text = &article.text;
        assert!(!text.is_empty(), "empty article text");
        assert!(
            !text.chars().any(|c| c != '\n' && c.is_control()),
            "control character in clean text: {text:?}"
        );
    }
});
