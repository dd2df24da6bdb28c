//! The entity + claims pipeline (`Pipeline::analyze`) with the built-in registry on
//! arbitrary text: never panics, and every mention span quotes the text.
#![no_main]

use std::sync::OnceLock;

use dossier_extract::Pipeline;
use dossier_registry::Registry;
use libfuzzer_sys::fuzz_target;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new(Registry::builtin().expect("built-in registry loads")))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let analysis = pipeline().analyze("fuzz", text, Some("2024-06-15"));
    for m in &analysis.mentions {
        assert_eq!(
            text.get(m.start..m.end),
            Some(m.text.as_str()),
            "mention span {m:?}"
        );
    }
    for f in &analysis.figures {
        assert!(f.value.is_finite(), "non-finite figure {f:?}");
    }
});
