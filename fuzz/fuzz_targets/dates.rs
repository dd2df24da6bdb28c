//! Publication-date parsing on any UTF-8 text: never panics, and whatever it returns is a
//! real calendar date in one of the three ISO shapes, found where it says.
#![no_main]

use dossier_ingest::{normalize_date, parse_date_exact};
use libfuzzer_sys::fuzz_target;

fn assert_iso(d: &str) {
    let parts: Vec<u32> = d.split('-').map(|p| p.parse().expect("digits")).collect();
    assert!(matches!(parts.len(), 1..=3), "{d}");
    assert!((1900..=2100).contains(&parts[0]), "{d}");
    if let Some(&m) = parts.get(1) {
        assert!((1..=12).contains(&m), "{d}");
        if let Some(&day) = parts.get(2) {
            assert!((1..=dossier_model::days_in_month(parts[0], m)).contains(&day), "{d}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(d) = normalize_date(text) {
        assert_iso(&d);
    }
    if let Some(d) = parse_date_exact(text) {
        assert_iso(&d);
        assert_eq!(normalize_date(text).as_deref(), Some(d.as_str()));
    }
});
