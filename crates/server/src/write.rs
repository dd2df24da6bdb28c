//! The write routes — upload, merge, undo a merge, promote — and the bearer-token check
//! they all start with.

use crate::error::ApiError;
use crate::params::{opt, Params, Segment};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use dossier_engine::Engine;
use dossier_ingest::{read_bytes, IngestConfig};
use dossier_store::Store;
use serde::Deserialize;
use serde_json::json;

/// Proof that the request carries the configured bearer token. Extracted before the
/// body, so an unauthorized upload is refused without reading it.
pub struct Authorized;

impl FromRequestParts<AppState> for Authorized {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(expected) = state.config().token.as_deref() else {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "this server is read-only: start it with --token (or DOSSIER_TOKEN) to allow \
                 uploads and curation",
            ));
        };
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        match given {
            Some(t) if constant_time_eq(t.as_bytes(), expected.as_bytes()) => Ok(Authorized),
            Some(_) => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "the bearer token is wrong",
            )),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "writes need the header `Authorization: Bearer TOKEN`",
            )),
        }
    }
}

/// Compares without an early exit, so response timing does not reveal how much of a
/// guessed token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A body that failed to arrive (too large, broken stream) as a JSON error with the
/// status axum chose (413 for the size limit).
fn body_error(e: BytesRejection) -> ApiError {
    let status = e.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            status,
            "the upload is larger than the server's body limit; split it or ingest it with \
             `dossier ingest`",
        )
    } else {
        ApiError::new(status, e.body_text())
    }
}

#[derive(Deserialize)]
pub struct UploadParams {
    /// File name; its extension gives the format (`report.html`, `feed.jsonl`).
    name: Option<String>,
    published: Option<String>,
    publisher: Option<String>,
}

pub async fn upload(
    State(state): State<AppState>,
    _auth: Authorized,
    Params(p): Params<UploadParams>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(body_error)?;
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "the body is empty: send the file's bytes as the request body",
        ));
    }
    let name = opt(&p.name).unwrap_or("upload.txt").to_string();
    let published = match opt(&p.published) {
        Some(d) => Some(dossier_ingest::parse_date_exact(d).ok_or_else(|| {
            ApiError::bad_request(format!(
                "published `{d}` is not a calendar date: use YYYY-MM-DD, YYYY-MM or YYYY"
            ))
        })?),
        None => None,
    };
    let cfg = IngestConfig {
        published,
        publisher: opt(&p.publisher).map(str::to_string),
        ..state.config().ingest.clone()
    };
    let report = state
        .with_writer(move |e| {
            let mut articles = Vec::new();
            let mut rejections = Vec::new();
            for item in read_bytes(&name, &body, &cfg) {
                match item {
                    Ok(a) => articles.push(a),
                    Err(r) => rejections.push(r.to_string()),
                }
            }
            if articles.is_empty() {
                return Err(ApiError::bad_request(if rejections.is_empty() {
                    "no article found in the upload".to_string()
                } else {
                    rejections.join("; ")
                }));
            }
            let mut report = e.ingest_articles(articles, &mut |_| {})?;
            report.rejected += rejections.len();
            report.rejections.extend(rejections);
            Ok(report)
        })
        .await?;
    let status = if report.new + report.near_duplicate > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report)).into_response())
}

#[derive(Deserialize)]
struct MergeBody {
    keep: String,
    absorb: String,
}

fn resolve_required(engine: &Engine, name: &str) -> Result<String, ApiError> {
    engine
        .resolve(name)?
        .ok_or_else(|| ApiError::not_found(format!("no entity called `{name}`")))
}

pub async fn merge(
    State(state): State<AppState>,
    _auth: Authorized,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(body_error)?;
    let req: MergeBody = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body must be JSON like {{\"keep\": \"ttp\", \"absorb\": \"other-id\"}}: {e}"
        ))
    })?;
    let (id, keep, absorb) = state
        .with_writer(move |e| {
            let keep = resolve_required(e, &req.keep)?;
            let absorb = resolve_required(e, &req.absorb)?;
            if keep == absorb {
                return Err(ApiError::bad_request(format!(
                    "`{}` and `{}` are already the same entity `{keep}`",
                    req.keep, req.absorb
                )));
            }
            let id = e.store_mut().merge_entities(&keep, &absorb)?;
            Ok((id, keep, absorb))
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "merge": id, "keep": keep, "absorb": absorb })),
    )
        .into_response())
}

pub async fn undo_merge(
    State(state): State<AppState>,
    _auth: Authorized,
    Segment(id): Segment,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id: u64 = id
        .parse()
        .map_err(|_| ApiError::bad_request(format!("`{id}` is not a merge id (a number)")))?;
    state
        .with_writer(move |e| Ok(e.store_mut().undo_merge(id)?))
        .await?;
    Ok(Json(json!({ "undone": id })))
}

pub async fn promote(
    State(state): State<AppState>,
    _auth: Authorized,
    Segment(id): Segment,
) -> Result<Json<dossier_model::Entity>, ApiError> {
    let entity = state
        .with_writer(move |e| {
            let id = resolve_required(e, &id)?;
            Ok(e.store_mut().promote_entity(&id)?)
        })
        .await?;
    Ok(Json(entity))
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn tokens_compare_by_content_and_length() {
        assert!(constant_time_eq(b"s3cret", b"s3cret"));
        assert!(!constant_time_eq(b"s3cret", b"s3creT"));
        assert!(!constant_time_eq(b"s3cret", b"s3cret2"));
    }
}
