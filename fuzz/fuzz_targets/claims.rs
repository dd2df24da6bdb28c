//! Figure, number and date parsing through `ClaimExtractor::extract` on arbitrary text
//! with no entities, plus the public date helpers. Spans must quote the text and
//! every figure value must be finite (the export is JSON, which has no inf/NaN).
#![no_main]

use std::sync::OnceLock;

use dossier_claims::{dates, ClaimExtractor, ClaimInput};
use dossier_model::Span;
use libfuzzer_sys::fuzz_target;

fn extractor() -> &'static ClaimExtractor {
    static X: OnceLock<ClaimExtractor> = OnceLock::new();
    X.get_or_init(ClaimExtractor::default)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A leading `YYYY-MM-DD|`-style prefix doubles as the publication date, so the
    // relative-date arithmetic is fuzzed against odd anchors too.
    let (published, text) = match text.split_once('|') {
        Some((p, rest)) if p.len() <= 16 => (Some(p), rest),
        _ => (None, text),
    };
    let claims = extractor().extract(&ClaimInput {
        doc: "fuzz",
        text,
        published,
        entities: &[],
    });
    for f in &claims.figures {
        assert!(f.value.is_finite(), "non-finite figure {f:?}");
        assert!(
            f.value_max.is_none_or(f64::is_finite),
            "non-finite max {f:?}"
        );
        assert_eq!(
            text.get(f.start..f.end),
            Some(f.text.as_str()),
            "figure span"
        );
    }
    for e in &claims.events {
        assert!(e.start <= e.end && e.end <= text.len(), "event span {e:?}");
    }
    let _ = dates::resolve(text, published);
    for (span, _, _) in dates::find_dates(
        text,
        Span {
            start: 0,
            end: text.len(),
        },
        published,
    ) {
        assert!(
            text.get(span.start..span.end).is_some(),
            "date span {span:?}"
        );
    }
});
