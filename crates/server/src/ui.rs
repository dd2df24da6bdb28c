//! The browser UI: three files embedded in the binary and served at fixed paths. A fixed
//! route table means no request can reach the file system.

use crate::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

const INDEX_HTML: &str = include_str!("../ui/index.html");
const APP_JS: &str = include_str!("../ui/app.js");
const APP_CSS: &str = include_str!("../ui/app.css");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| file("text/html; charset=utf-8", INDEX_HTML)))
        .route(
            "/index.html",
            get(|| file("text/html; charset=utf-8", INDEX_HTML)),
        )
        .route(
            "/app.js",
            get(|| file("text/javascript; charset=utf-8", APP_JS)),
        )
        .route("/app.css", get(|| file("text/css; charset=utf-8", APP_CSS)))
}

async fn file(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            // The files change only with the binary; a short cache keeps reloads cheap
            // without serving a stale UI after an upgrade for long.
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The UI must never parse data as HTML: every text goes in with `textContent`.
    #[test]
    fn ui_script_never_writes_html() {
        for forbidden in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!APP_JS.contains(forbidden), "app.js uses {forbidden}");
        }
    }

    #[test]
    fn index_has_no_inline_script_or_style() {
        assert!(!INDEX_HTML.contains("<script>"));
        assert!(!INDEX_HTML.contains("style="));
        assert!(!INDEX_HTML.contains("<style"));
        assert!(INDEX_HTML.contains(r#"<script src="/app.js""#));
        for handler in ["onclick=", "onload=", "onerror=", "javascript:"] {
            assert!(
                !INDEX_HTML.contains(handler),
                "inline {handler} breaks the CSP"
            );
        }
    }
}
