//! Shapes of the HTTP API that both sides read and write.

use serde::{Deserialize, Serialize};

/// Every error the endpoint returns: `{"error": {"code": "...", "message": "..."}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorDetail {
    /// Stable, machine-readable, snake_case: clients branch on this.
    pub code: String,
    /// For a person: says what was wrong and, where it helps, what to do.
    pub message: String,
    /// Each problem of an uploaded file, where it is (an XLSForm's sheet,
    /// row and column); absent for other errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { error: ErrorDetail { code: code.into(), message: message.into(), problems: Vec::new() } }
    }
}

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Health {
    pub status: String,
    pub version: String,
    /// Which database backend answered the health probe: "sqlite" or "postgres".
    pub database: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_the_documented_shape() {
        let body = ErrorBody::new("not_found", "No such endpoint: GET /api/v1/nope");
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json, serde_json::json!({"error": {"code": "not_found", "message": "No such endpoint: GET /api/v1/nope"}}));
    }

    #[test]
    fn error_body_rejects_unknown_fields() {
        let parsed: Result<ErrorBody, _> = serde_json::from_str(r#"{"error":{"code":"x","message":"y","extra":1}}"#);
        assert!(parsed.is_err());
    }
}
