//! `Registry::from_sources` on fuzzed `actors.toml` and `places.tsv` text (split at the
//! first NUL byte): bad data is an error or a listed problem, never a panic. A registry
//! that loads is then used for a lookup of its own text.
#![no_main]

use dossier_registry::Registry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (actors, places) = text.split_once('\0').unwrap_or((text, ""));
    if let Ok(registry) = Registry::from_sources(actors, places) {
        for line in places.lines().take(8) {
            let _ = registry.lookup(line);
        }
        let tokens = dossier_registry::tokenize(actors);
        let _ = registry.index().find(&tokens);
    }
});
