//! A thin async layer over the browser's IndexedDB (web-sys): requests and
//! transactions as futures, values through serde. Nothing here knows about
//! Walkbook's stores; `store/mod.rs` does.

use js_sys::{Array, Function, Promise};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, IdbDatabase, IdbRequest, IdbTransaction, IdbTransactionMode};

#[wasm_bindgen]
extern "C" {
    /// An `IDBDatabase`, seen with the options argument of `transaction`,
    /// which web-sys offers only behind its unstable-API flag.
    type DatabaseWithOptions;

    #[wasm_bindgen(method, catch, js_name = transaction)]
    fn transaction_with_options(
        this: &DatabaseWithOptions,
        names: &Array,
        mode: IdbTransactionMode,
        options: &JsValue,
    ) -> Result<IdbTransaction, JsValue>;
}

/// When a committed transaction is reported: "strict" waits until the data is
/// on disk; "relaxed" may report once the OS has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    Strict,
    Relaxed,
}

/// An IndexedDB failure, named as the browser names it (`QuotaExceededError`,
/// `VersionError`, ...), with its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdbError {
    pub name: String,
    pub message: String,
}

impl IdbError {
    pub fn new(name: &str, message: impl Into<String>) -> IdbError {
        IdbError { name: name.into(), message: message.into() }
    }

    pub fn is_quota_exceeded(&self) -> bool {
        self.name == "QuotaExceededError"
    }

    fn from_dom(exception: Option<DomException>, fallback: &str) -> IdbError {
        match exception {
            Some(e) => IdbError { name: e.name(), message: e.message() },
            None => IdbError::new("AbortError", fallback),
        }
    }

    pub fn from_js(value: JsValue) -> IdbError {
        if let Some(e) = value.dyn_ref::<DomException>() {
            return IdbError { name: e.name(), message: e.message() };
        }
        if let Some(e) = value.dyn_ref::<js_sys::Error>() {
            return IdbError { name: e.name().into(), message: e.message().into() };
        }
        // Not an exception (something threw a plain value): the release build
        // formats no `{:?}`, so say what it was rather than print it.
        IdbError::new(
            "Error",
            value.as_string().unwrap_or_else(|| format!("a thrown value of type {}", value.js_typeof().as_string().unwrap_or_default())),
        )
    }
}

impl std::fmt::Display for IdbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

pub type IdbResult<T> = Result<T, IdbError>;

pub fn js<T>(result: Result<T, JsValue>) -> IdbResult<T> {
    result.map_err(IdbError::from_js)
}

/// Resolves with the request's result once it succeeds (at once if it
/// already has: a request awaited after other work may be done by then).
pub async fn request(request: IdbRequest) -> IdbResult<JsValue> {
    if request.ready_state() == web_sys::IdbRequestReadyState::Done {
        return match request.error() {
            Ok(None) => js(request.result()),
            Ok(Some(error)) => Err(IdbError::from_dom(Some(error), "request failed")),
            Err(error) => Err(IdbError::from_js(error)),
        };
    }
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        request.set_onsuccess(Some(&resolve));
        request.set_onerror(Some(&reject));
    });
    match JsFuture::from(promise).await {
        Ok(_) => js(request.result()),
        Err(_) => Err(IdbError::from_dom(request.error().ok().flatten(), "request failed")),
    }
}

/// Starts a transaction. Readwrite transactions of records use durability
/// "strict": complete means on disk, not only in the OS's cache.
pub fn transaction(db: &IdbDatabase, stores: &[&str], mode: IdbTransactionMode, durability: Durability) -> IdbResult<IdbTransaction> {
    let names: Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    let options = js_sys::Object::new();
    let durability = match durability {
        Durability::Strict => "strict",
        Durability::Relaxed => "relaxed",
    };
    js_sys::Reflect::set(&options, &"durability".into(), &durability.into()).map_err(IdbError::from_js)?;
    js(db.unchecked_ref::<DatabaseWithOptions>().transaction_with_options(&names, mode, &options))
}

/// Resolves when the transaction has committed; errors if it aborted, with
/// the reason (e.g. QuotaExceededError).
pub async fn committed(transaction: &IdbTransaction) -> IdbResult<()> {
    when_committed(transaction.clone()).await
}

/// Listens for the transaction's end now (before it can complete unseen)
/// and resolves when it committed, whenever that is awaited.
pub fn when_committed(transaction: IdbTransaction) -> impl std::future::Future<Output = IdbResult<()>> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        transaction.set_oncomplete(Some(&resolve));
        transaction.set_onabort(Some(&reject));
        transaction.set_onerror(Some(&reject));
    });
    async move {
        match JsFuture::from(promise).await {
            Ok(_) => Ok(()),
            Err(_) => Err(IdbError::from_dom(transaction.error(), "the transaction was aborted")),
        }
    }
}

pub fn to_js<T: Serialize>(value: &T) -> IdbResult<JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| IdbError::new("DataError", e.to_string()))
}

/// A stored value as a `T`. Only the fields `T` names are read (serde-wasm-bindgen
/// asks the object for each of them), so a door or a sync meta is read
/// straight from the object it is stored in beside its index keys.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> IdbResult<T> {
    serde_wasm_bindgen::from_value(value).map_err(|e| IdbError::new("DataError", e.to_string()))
}

/// Every value of a `getAll` result.
pub fn all_from_js<T: DeserializeOwned>(value: JsValue) -> IdbResult<Vec<T>> {
    all_read(value, from_js)
}

/// Every value of a `getAll` result, each read by `read`.
pub fn all_read<T>(value: JsValue, read: impl FnMut(JsValue) -> IdbResult<T>) -> IdbResult<Vec<T>> {
    Array::from(&value).iter().map(read).collect()
}

/// A compound key, e.g. `[campaign_id, building_id, floor]`.
pub fn key(parts: &[JsValue]) -> JsValue {
    parts.iter().collect::<Array>().into()
}
