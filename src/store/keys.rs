//! This phone's signing key: an ECDSA P-256 key pair made with WebCrypto on
//! first use, whose private half cannot be extracted (IndexedDB keeps the
//! `CryptoKey` object itself), and whose public half the server registers
//! when the phone joins. What the phone hands over to another phone is
//! signed with it (see `walkbook_core::handover`).

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, IdbTransactionMode as Mode, SubtleCrypto};

use super::idb::{self, js, Durability, IdbError, IdbResult};
use super::schema::META;
use super::Store;

/// Where the key pair is kept in `meta`.
const KEY_ENTRY: &str = "signing_key";

/// The phone's key pair: the private key, and the public key as sent.
pub struct SigningKey {
    private_key: CryptoKey,
    /// The uncompressed point (65 bytes), base64.
    pub public_key: String,
}

fn subtle() -> IdbResult<SubtleCrypto> {
    let window = web_sys::window().ok_or_else(|| IdbError::new("Error", "no window"))?;
    Ok(js(window.crypto())?.subtle())
}

async fn resolved(promise: Result<js_sys::Promise, JsValue>) -> IdbResult<JsValue> {
    JsFuture::from(js(promise)?).await.map_err(IdbError::from_js)
}

/// `{name: "ECDSA", ...}` with the given extra fields.
fn algorithm(fields: &[(&str, &str)]) -> IdbResult<js_sys::Object> {
    let object = js_sys::Object::new();
    for (name, value) in [("name", "ECDSA")].iter().chain(fields) {
        js(js_sys::Reflect::set(&object, &(*name).into(), &(*value).into()))?;
    }
    Ok(object)
}

fn field(object: &JsValue, name: &str) -> IdbResult<JsValue> {
    js(js_sys::Reflect::get(object, &name.into()))
}

pub fn base64(bytes: &[u8]) -> IdbResult<String> {
    let binary: String = bytes.iter().map(|&byte| char::from(byte)).collect();
    js(web_sys::window().ok_or_else(|| IdbError::new("Error", "no window"))?.btoa(&binary))
}

/// The bytes of base64 `text`; `None` if it is not base64.
pub fn unbase64(text: &str) -> Option<Vec<u8>> {
    let binary = web_sys::window()?.atob(text).ok()?;
    binary.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect()
}

impl Store {
    /// The phone's key pair, made (and kept) on first use.
    pub async fn signing_key(&self) -> IdbResult<SigningKey> {
        if let Some(key) = self.stored_signing_key().await? {
            return Ok(key);
        }
        let usages = js_sys::Array::of2(&"sign".into(), &"verify".into());
        let pair = resolved(subtle()?.generate_key_with_object(&algorithm(&[("namedCurve", "P-256")])?, false, &usages)).await?;
        let (private_key, public_key) = (field(&pair, "privateKey")?, field(&pair, "publicKey")?);
        let raw = resolved(subtle()?.export_key("raw", public_key.unchecked_ref())).await?;
        let entry = js_sys::Object::new();
        for (name, value) in [("key", JsValue::from(KEY_ENTRY)), ("private_key", private_key), ("public_key", base64(&js_sys::Uint8Array::new(&raw).to_vec())?.into())] {
            js(js_sys::Reflect::set(&entry, &name.into(), &value))?;
        }
        // `add`, not `put`: of two first uses at once, the first key stays
        // (the one the server may already have), and the other reads it.
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[META], Mode::Readwrite, Durability::Strict)?;
        js(js(tx.object_store(META))?.add(&entry))?;
        // A failure here is another first use having kept its key: read it.
        let _ = idb::committed(&tx).await;
        self.stored_signing_key().await?.ok_or_else(|| IdbError::new("NotFoundError", "this phone's key could not be kept"))
    }

    async fn stored_signing_key(&self) -> IdbResult<Option<SigningKey>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[META], Mode::Readonly, Durability::Relaxed)?;
        let entry = idb::request(js(js(tx.object_store(META))?.get(&KEY_ENTRY.into()))?).await?;
        if entry.is_undefined() {
            return Ok(None);
        }
        let public_key = field(&entry, "public_key")?.as_string().unwrap_or_default();
        Ok(Some(SigningKey { private_key: field(&entry, "private_key")?.unchecked_into(), public_key }))
    }
}

impl SigningKey {
    /// The signature (64 bytes `r || s`, base64) over `bytes`.
    pub async fn sign(&self, bytes: &[u8]) -> IdbResult<String> {
        let signed = resolved(subtle()?.sign_with_object_and_u8_array(&algorithm(&[("hash", "SHA-256")])?, &self.private_key, bytes)).await?;
        base64(&js_sys::Uint8Array::new(&signed).to_vec())
    }
}

/// Checks signatures made by the phone whose public key is `public_key`.
pub struct Verifier(CryptoKey);

impl Verifier {
    /// `None` if `public_key` is not a P-256 public key.
    pub async fn of(public_key: &str) -> Option<Verifier> {
        let raw = js_sys::Uint8Array::from(unbase64(public_key)?.as_slice());
        let usages = js_sys::Array::of1(&"verify".into());
        let algorithm = algorithm(&[("namedCurve", "P-256")]).ok()?;
        let key = resolved(subtle().ok()?.import_key_with_object("raw", &raw, &algorithm, true, &usages)).await.ok()?;
        Some(Verifier(key.unchecked_into()))
    }

    /// Whether `signature` (base64) is this phone's over `bytes`.
    pub async fn signed(&self, signature: &str, bytes: &[u8]) -> bool {
        let (Some(signature), Ok(algorithm), Ok(subtle)) = (unbase64(signature), algorithm(&[("hash", "SHA-256")]), subtle()) else {
            return false;
        };
        let checked = resolved(subtle.verify_with_object_and_u8_array_and_u8_array(&algorithm, &self.0, &signature, bytes)).await;
        checked.ok().and_then(|valid| valid.as_bool()).unwrap_or(false)
    }
}
