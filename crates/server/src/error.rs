//! The one table that maps engine and store errors to HTTP statuses, and the JSON error
//! body every failing response carries.
//!
//! Anything a user can send must end up as a 4xx with a message that reads like advice;
//! a 500 means the database or the server failed, and its details go to the log only.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dossier_engine::EngineError;
use dossier_store::StoreError;

/// An error response: a status plus a message safe to show to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// A failure the user cannot fix: logged in full, answered with a generic message so
    /// that no path, SQL or internal detail leaks.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!("internal error: {detail}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error; the server log has the details",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut resp = (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

/// The mapping table: user mistakes → 4xx, a busy database → 503, the rest → 500.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::Duplicate { .. } => ApiError::new(StatusCode::CONFLICT, e.to_string()),
            _ if e.is_user_error() => ApiError::bad_request(e.to_string()),
            StoreError::Busy => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
            _ => ApiError::internal(e),
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Store(s) => s.into(),
            EngineError::NotFound(msg) => ApiError::not_found(msg),
            other => ApiError::internal(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_store_errors_are_bad_requests() {
        let e: ApiError = EngineError::Store(StoreError::User("bad syntax".into())).into();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.message, "bad syntax");
    }

    #[test]
    fn not_found_keeps_its_advice() {
        let e: ApiError = EngineError::NotFound("no actor called `x`".into()).into();
        assert_eq!(e.status, StatusCode::NOT_FOUND);
        assert!(e.message.contains("no actor"));
    }

    #[test]
    fn internal_errors_do_not_leak_details() {
        let e: ApiError = StoreError::Corrupt {
            detail: "/secret/path.db page 7".into(),
        }
        .into();
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.message.contains("secret"));
    }

    #[test]
    fn busy_database_is_retryable() {
        let e: ApiError = StoreError::Busy.into();
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
    }
}
