//! `JsonBody<T>`: a request body that is a JSON object of `T`'s shape. Like
//! axum's `Json`, but an array is refused even where serde would read it as
//! a struct's fields in order (`[null, null]` for `{"name": null, ...}`),
//! and every refusal is an `ApiError` in the error shape.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

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
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            let status = rejection.status();
            let code = if status == StatusCode::PAYLOAD_TOO_LARGE { "payload_too_large" } else { "invalid_json" };
            ApiError::Client { status, code, message: rejection.body_text() }
        })?;
        let starts_an_object = bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{');
        if !starts_an_object && serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok() {
            return Err(ApiError::unprocessable("invalid_json", "The body must be a JSON object."));
        }
        axum::Json::<T>::from_bytes(&bytes).map(|axum::Json(value)| JsonBody(value)).map_err(ApiError::from)
    }
}
