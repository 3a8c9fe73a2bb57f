//! Request bodies. Every body is read within [`BODY_READ`] (a body that
//! trickles in gets 408) and within its route's size limit (413).
//!
//! `JsonBody<T>`: a JSON object of `T`'s shape. Like axum's `Json`, but an
//! array is refused even where serde would read it as a struct's fields in
//! order (`[null, null]` for `{"name": null, ...}`), and every refusal is an
//! `ApiError` in the error shape. `TextBody`: UTF-8 text (a CSV file).
//! `SpreadsheetBody`: the bytes of an `.xlsx` file.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// How long a client has to send a request's body, once its headers are in.
pub const BODY_READ: std::time::Duration = std::time::Duration::from_secs(30);

/// The whole body, within [`BODY_READ`] and the route's size limit.
async fn read_body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    let read = tokio::time::timeout(BODY_READ, Bytes::from_request(request, state)).await.map_err(|_| ApiError::Client {
        status: StatusCode::REQUEST_TIMEOUT,
        code: "request_timeout",
        message: format!("The request's body did not arrive within {} s: try again on a better connection.", BODY_READ.as_secs()),
    })?;
    read.map_err(|rejection| {
        let status = rejection.status();
        let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "payload_too_large" } else { "invalid_body" };
        ApiError::Client { status, code, message: rejection.body_text() }
    })
}

/// The media type of an `.xlsx` workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A spreadsheet file's bytes: sent as `.xlsx` (or the older `.xls`, or
/// bytes a browser could not type).
pub struct SpreadsheetBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for SpreadsheetBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let mime =
            request.headers().get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).and_then(|value| value.split(';').next());
        let mime = mime.map(|m| m.trim().to_ascii_lowercase()).unwrap_or_default();
        if ![XLSX, "application/vnd.ms-excel", "application/octet-stream"].contains(&mime.as_str()) {
            return Err(ApiError::Client {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "unsupported_media_type",
                message: format!("Send the spreadsheet as it is, with Content-Type: {XLSX}."),
            });
        }
        read_body(request, state).await.map(SpreadsheetBody)
    }
}

/// A body of UTF-8 text.
pub struct TextBody(pub String);

impl<S: Send + Sync> FromRequest<S> for TextBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = read_body(request, state).await?;
        String::from_utf8(bytes.into()).map(TextBody).map_err(|_| ApiError::bad_request("invalid_body", "The body is not UTF-8 text."))
    }
}

pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::Client {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                code: "unsupported_media_type",
                message: "Send the body as JSON, with Content-Type: application/json.".into(),
            });
        }
        let bytes = read_body(request, state).await?;
        let starts_an_object = bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{');
        if !starts_an_object && serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok() {
            return Err(ApiError::unprocessable("invalid_json", "The body must be a JSON object."));
        }
        axum::Json::<T>::from_bytes(&bytes).map(|axum::Json(value)| JsonBody(value)).map_err(ApiError::from)
    }
}
