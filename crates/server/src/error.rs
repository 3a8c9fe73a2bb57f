//! The one error type of the endpoint. Each error has a status, a stable
//! machine-readable code and a message for a person; internal details are
//! logged, never sent to the client.

use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use walkbook_core::api::ErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request was wrong: the client can tell the person what to fix.
    #[error("{message}")]
    Client { status: StatusCode, code: &'static str, message: String },
    /// A file that cannot be used (422), with each of its problems.
    #[error("{message}")]
    FileProblems { code: &'static str, message: String, problems: Vec<String> },
    /// Not now: too many attempts (429) or the server is full (503). The
    /// client may retry after `retry_after_s` seconds.
    #[error("{message}")]
    Busy { status: StatusCode, code: &'static str, message: String, retry_after_s: u64 },
    /// The server failed. The detail is for the server log only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Client { status: StatusCode::BAD_REQUEST, code, message: message.into() }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::Client { status: StatusCode::NOT_FOUND, code: "not_found", message: message.into() }
    }

    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Client { status: StatusCode::UNAUTHORIZED, code, message: message.into() }
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Client { status: StatusCode::FORBIDDEN, code, message: message.into() }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Client { status: StatusCode::CONFLICT, code, message: message.into() }
    }

    /// Well-formed, but not something that can be stored.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Client { status: StatusCode::UNPROCESSABLE_ENTITY, code, message: message.into() }
    }

    pub fn payload_too_large(message: impl Into<String>) -> ApiError {
        ApiError::Client { status: StatusCode::PAYLOAD_TOO_LARGE, code: "payload_too_large", message: message.into() }
    }

    pub fn too_many_requests(retry_after_s: u64) -> ApiError {
        ApiError::Busy {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "too_many_attempts",
            message: format!("Too many attempts from here: wait {retry_after_s} s and try again."),
            retry_after_s,
        }
    }

    /// The server cannot take more work now; nothing was done.
    pub fn unavailable(message: impl Into<String>, retry_after_s: u64) -> ApiError {
        ApiError::Busy { status: StatusCode::SERVICE_UNAVAILABLE, code: "busy", message: message.into(), retry_after_s }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::Internal(format!("database: {error}"))
    }
}

/// A JSON body that could not be read: malformed, wrong types, unknown
/// fields, wrong content type, or too large.
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let status = rejection.status();
        let code = match status {
            StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
            _ => "invalid_json",
        };
        ApiError::Client { status, code, message: rejection.body_text() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Client { status, code, message } => (status, Json(ErrorBody::new(code, message))).into_response(),
            ApiError::FileProblems { code, message, problems } => {
                let mut body = ErrorBody::new(code, message);
                body.error.problems = problems;
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
            }
            ApiError::Busy { status, code, message, retry_after_s } => {
                (status, [(axum::http::header::RETRY_AFTER, retry_after_s.to_string())], Json(ErrorBody::new(code, message)))
                    .into_response()
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                let body =
                    ErrorBody::new("internal", "Something went wrong on the server. Records stay safe on the phone; try again later.");
                (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
            }
        }
    }
}
