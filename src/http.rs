//! Requests to the endpoint, with a timeout; the browser parses JSON and
//! serde reads the JS value (no second JSON parser in the wasm). Used by the
//! sync client and the coordinator console, never by a volunteer screen.

use walkbook_core::api::ErrorBody;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const REQUEST_TIMEOUT_MS: u32 = 20_000;

#[derive(Debug, Clone, PartialEq)]
pub enum HttpError {
    /// No answer: offline, or the server is down.
    Unreachable,
    /// The server answered with an error: its status and message, and the
    /// problems of an uploaded file, one by one, when it lists them.
    Status { status: u16, message: String, problems: Vec<String> },
    /// A success whose body is not what was expected.
    Unreadable(String),
}

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpError::Unreachable => write!(f, "the server cannot be reached"),
            HttpError::Status { message, .. } | HttpError::Unreadable(message) => write!(f, "{message}"),
        }
    }
}

pub async fn get_json<R: serde::de::DeserializeOwned>(url: &str) -> Result<R, HttpError> {
    fetch_json(url, web_sys::RequestInit::new()).await
}

pub async fn post_json<T: serde::Serialize, R: serde::de::DeserializeOwned>(url: &str, body: &T) -> Result<R, HttpError> {
    send_json("POST", url, body).await
}

pub async fn send_json<T: serde::Serialize, R: serde::de::DeserializeOwned>(method: &str, url: &str, body: &T) -> Result<R, HttpError> {
    send(method, url, "application/json", json_text(body)?).await
}

/// A request with a body (`method` POST, PUT, PATCH or DELETE).
pub async fn send<R: serde::de::DeserializeOwned>(method: &str, url: &str, content_type: &str, body: String) -> Result<R, HttpError> {
    send_body(method, url, content_type, &JsValue::from_str(&body)).await
}

/// A request whose body is any fetch body: text, or a chosen file's bytes.
pub async fn send_body<R: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    content_type: &str,
    body: &JsValue,
) -> Result<R, HttpError> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| HttpError::Unreachable)?;
    let _ = headers.set("content-type", content_type);
    init.set_headers(&headers);
    init.set_body(body);
    fetch_json(url, init).await
}

async fn fetch_json<R: serde::de::DeserializeOwned>(url: &str, init: web_sys::RequestInit) -> Result<R, HttpError> {
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(REQUEST_TIMEOUT_MS)));
    let response =
        JsFuture::from(leptos::prelude::window().fetch_with_str_and_init(url, &init)).await.map_err(|_| HttpError::Unreachable)?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| HttpError::Unreachable)?;
    if response.status() == 204 {
        // No content: the answer is `()` (or any type that reads null).
        return serde_wasm_bindgen::from_value(JsValue::NULL).map_err(|e| HttpError::Unreadable(format!("unreadable answer: {e}")));
    }
    let value = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.map_err(|_| HttpError::Unreachable),
        Err(_) => Err(HttpError::Unreachable),
    };
    if response.ok() {
        return serde_wasm_bindgen::from_value(value?).map_err(|e| HttpError::Unreadable(format!("unreadable answer: {e}")));
    }
    let (message, problems) = value
        .ok()
        .and_then(|value| serde_wasm_bindgen::from_value::<ErrorBody>(value).ok())
        .map(|body| (body.error.message, body.error.problems))
        .unwrap_or_else(|| (format!("HTTP {}", response.status()), Vec::new()));
    Err(HttpError::Status { status: response.status(), message, problems })
}

fn json_text<T: serde::Serialize>(value: &T) -> Result<String, HttpError> {
    let encode_error = || HttpError::Unreadable("cannot encode the request".into());
    let value = crate::store::idb::to_js(value).map_err(|_| encode_error())?;
    js_sys::JSON::stringify(&value).ok().and_then(|text| text.as_string()).ok_or_else(encode_error)
}
