//! Query-string parsing that answers with the API's JSON errors, and pagination.

use crate::error::ApiError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The largest page a list returns; larger `limit`s are refused so a client learns the
/// rule instead of silently getting fewer items.
pub const MAX_LIMIT: usize = 500;
/// The page size when no `limit` is given.
pub const DEFAULT_LIMIT: usize = 50;

/// Like axum's `Query`, but a malformed query string is a JSON 400.
pub struct Params<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(v)| Params(v))
            .map_err(|e| ApiError::bad_request(format!("bad query parameters: {}", e.body_text())))
    }
}

/// Like axum's `Path` for one segment, but a malformed one (bad percent-encoding) is a
/// JSON 400.
pub struct Segment(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Segment {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Segment(v))
            .map_err(|e| ApiError::bad_request(format!("bad path: {}", e.body_text())))
    }
}

/// `limit` and `offset`, as every list route takes them.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Page {
    pub limit: Option<usize>,
    #[serde(default)]
    pub offset: usize,
}

impl Page {
    /// The checked page size.
    pub fn limit(&self) -> Result<usize, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(n) if n <= MAX_LIMIT => Ok(n),
            Some(n) => Err(ApiError::bad_request(format!(
                "limit {n} is too large: ask for at most {MAX_LIMIT} items and page with offset"
            ))),
        }
    }

    /// One page of `items`, with the total before paging.
    pub fn slice<T: Serialize>(&self, items: Vec<T>) -> Result<List<T>, ApiError> {
        let limit = self.limit()?;
        let total = items.len();
        let items = items.into_iter().skip(self.offset).take(limit).collect();
        Ok(List {
            items,
            total: Some(total),
            limit,
            offset: self.offset,
        })
    }
}

/// The shape of every list response.
#[derive(Debug, Serialize)]
pub struct List<T> {
    pub items: Vec<T>,
    /// Items matching before paging; `null` when unknown without reading them all
    /// (search).
    pub total: Option<usize>,
    pub limit: usize,
    pub offset: usize,
}

/// An optional text parameter: an empty value (an untouched form field) means "not set".
pub fn opt(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_slices_and_counts() {
        let page = Page {
            limit: Some(2),
            offset: 1,
        };
        let list = page.slice(vec![1, 2, 3, 4]).unwrap();
        assert_eq!(list.items, vec![2, 3]);
        assert_eq!(list.total, Some(4));
    }

    #[test]
    fn an_offset_past_the_end_is_an_empty_page() {
        let page = Page {
            limit: None,
            offset: 99,
        };
        assert!(page.slice(vec![1]).unwrap().items.is_empty());
    }

    #[test]
    fn a_limit_over_the_maximum_is_refused() {
        let page = Page {
            limit: Some(MAX_LIMIT + 1),
            offset: 0,
        };
        assert_eq!(page.limit().unwrap_err().status, 400);
    }

    #[test]
    fn blank_parameters_are_unset() {
        assert_eq!(opt(&Some("  ".into())), None);
        assert_eq!(opt(&Some(" ttp ".into())), Some("ttp"));
    }
}
