//! The sync client: pushes the outbox in bounded batches, pulls what other
//! devices recorded, and decides when, by itself. It runs on app start, on the
//! "online" event, when the page becomes visible, shortly after a save, on
//! "Sync now", and while anything is pending on a retry timer with exponential
//! backoff and full jitter (1 s up to 5 min). A request that fails is the only
//! proof of being offline: navigator.onLine is never trusted alone.
//!
//! Every step is safe to repeat: records are marked sent only after the
//! server's durable answer, and a push the server already stored comes back
//! as "duplicate". So a failure at any point loses nothing and doubles nothing.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use walkbook_core::sync::{JoinResponse, OutboxReport, PullResponse, PushResponse, PushResult, PushStatus};

use crate::campaign::CampaignContext;
use crate::http::{get_json, post_json, send, HttpError};
use crate::store::{app_store, Joined, OutboxSummary, SyncMeta, SyncState};

/// At most this many records per push, and about this many bytes.
const BATCH_RECORDS: u32 = walkbook_core::sync::MAX_PUSH_RECORDS as u32;
/// Pending records read from IndexedDB in one go (several batches).
const READ_AHEAD: u32 = 4 * BATCH_RECORDS;
/// Below the server's 1 MiB, leaving room for the envelope.
const BATCH_BYTES: usize = walkbook_core::sync::MAX_PUSH_BYTES - 64 * 1024;
const AFTER_SAVE_DELAY_MS: u32 = 1500;
const BACKOFF_BASE_MS: f64 = 1000.0;
const BACKOFF_MAX_MS: f64 = 300_000.0;

/// What the volunteer sees of sync.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncView {
    pub outbox: OutboxSummary,
    pub meta: SyncMeta,
    pub running: bool,
    /// The last failure, in words (cleared by a success).
    pub last_error: Option<SyncFailure>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SyncFailure {
    /// No answer: offline, or the server is down.
    Unreachable,
    /// The server no longer knows this phone's session (revoked or expired).
    SignedOut(String),
    /// The server answered with an error.
    Server(String),
}

#[derive(Clone, Copy)]
pub struct SyncClient {
    pub view: RwSignal<SyncView>,
    campaign: CampaignContext,
}

thread_local! {
    static IN_FLIGHT: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    static ATTEMPT: Cell<u32> = const { Cell::new(0) };
    static TIMER: Cell<Option<i32>> = const { Cell::new(None) };
}

pub fn use_sync() -> SyncClient {
    expect_context::<SyncClient>()
}

pub fn provide_sync(campaign: CampaignContext) -> SyncClient {
    let client = SyncClient { view: RwSignal::new(SyncView::default()), campaign };
    provide_context(client);
    let on_online = Closure::<dyn FnMut()>::new(move || client.request(0));
    let _ = window().add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    on_online.forget();
    let on_visible = Closure::<dyn FnMut()>::new(move || {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            client.request(0);
        }
    });
    let _ = document().add_event_listener_with_callback("visibilitychange", on_visible.as_ref().unchecked_ref());
    on_visible.forget();
    listen_for_background_sync(client);
    client.refresh();
    client.request(0);
    client
}

/// The service worker's Background Sync event arrives as a message.
fn listen_for_background_sync(client: SyncClient) {
    let navigator = window().navigator();
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let kind = js_sys::Reflect::get(&event.data(), &"type".into()).ok().and_then(|v| v.as_string());
        if kind.as_deref() == Some("SYNC_OUTBOX") {
            client.request(0);
        }
    });
    navigator.service_worker().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

/// Asks the browser for a Background Sync when connectivity returns, where it
/// has the API (`registration.sync`); elsewhere the retry timer does the job.
fn register_background_sync() {
    leptos::task::spawn_local(async {
        let navigator = window().navigator();
        if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
            return;
        }
        let Ok(ready) = navigator.service_worker().ready() else { return };
        let Ok(registration) = JsFuture::from(ready).await else { return };
        let Ok(manager) = js_sys::Reflect::get(&registration, &"sync".into()) else { return };
        let Ok(register) = js_sys::Reflect::get(&manager, &"register".into()) else { return };
        if let Ok(register) = register.dyn_into::<js_sys::Function>() {
            if let Ok(promise) = register.call1(&manager, &"walkbook-outbox".into()) {
                // Refused (e.g. permission) changes nothing: the timer retries.
                let _ = JsFuture::from(js_sys::Promise::from(promise)).await;
            }
        }
    });
}

impl SyncClient {
    /// Re-reads the outbox and sync state for the UI.
    pub fn refresh(self) {
        leptos::task::spawn_local(async move {
            let store = app_store();
            if let (Ok(outbox), Ok(meta)) = (store.outbox_summary().await, store.sync_meta().await) {
                self.view.update(|v| {
                    v.outbox = outbox;
                    v.meta = meta;
                });
            }
        });
    }

    /// A record was saved: show it in the outbox and sync soon.
    pub fn after_save(self) {
        self.refresh();
        self.request(AFTER_SAVE_DELAY_MS);
    }

    /// Runs a sync after `delay_ms`, replacing any sooner-or-later timer.
    pub fn request(self, delay_ms: u32) {
        if let Some(timer) = TIMER.take() {
            window().clear_timeout_with_handle(timer);
        }
        let run = Closure::once_into_js(move || {
            TIMER.set(None);
            leptos::task::spawn_local(self.run());
        });
        TIMER.set(window().set_timeout_with_callback_and_timeout_and_arguments_0(run.unchecked_ref(), delay_ms as i32).ok());
    }

    async fn run(self) {
        if IN_FLIGHT.replace(true) {
            AGAIN.set(true); // the running sync goes round once more
            return;
        }
        self.view.update(|v| v.running = true);
        loop {
            AGAIN.set(false);
            let result = self.sync_once().await;
            self.record_result(result);
            if !AGAIN.get() {
                break;
            }
        }
        IN_FLIGHT.set(false);
        self.view.update(|v| v.running = false);
    }

    fn record_result(self, result: Result<(), SyncFailure>) {
        let store = app_store();
        let view = self.view;
        let campaign = self.campaign;
        let failed = result.is_err();
        let signed_out = matches!(result, Err(SyncFailure::SignedOut(_)));
        view.update(|v| v.last_error = result.err());
        leptos::task::spawn_local(async move {
            let outbox = store.outbox_summary().await.unwrap_or_default();
            let meta = store.sync_meta().await.unwrap_or_default();
            let pending = outbox.pending;
            view.update(|v| {
                v.outbox = outbox;
                v.meta = meta;
            });
            campaign.changed();
            if failed && pending > 0 && !signed_out {
                register_background_sync();
                // Full jitter: a random wait up to the exponential bound, so
                // a crowd of phones regaining signal does not arrive at once.
                let attempt = ATTEMPT.get() + 1;
                ATTEMPT.set(attempt);
                let bound = (BACKOFF_BASE_MS * 2f64.powi(attempt.min(16) as i32)).min(BACKOFF_MAX_MS);
                SyncClient { view, campaign }.request((js_sys::Math::random() * bound).max(BACKOFF_BASE_MS) as u32);
            } else if !failed {
                ATTEMPT.set(0);
            }
        });
    }

    async fn sync_once(self) -> Result<(), SyncFailure> {
        let store = app_store();
        let mut meta = store.sync_meta().await.map_err(|e| SyncFailure::Server(e.to_string()))?;
        let Some(joined) = meta.joined.clone() else { return Ok(()) };
        let device = store.device().await.map_err(|e| SyncFailure::Server(e.to_string()))?;
        // What the outbox holds is reported with every request, so the
        // coordinator sees it even when records are refused.
        let outbox = store.outbox_summary().await.map_err(|e| SyncFailure::Server(e.to_string()))?;
        let report = OutboxReport { pending: outbox.pending, oldest_pending: outbox.oldest_pending };
        let store_error = |e: crate::store::idb::IdbError| SyncFailure::Server(e.to_string());
        loop {
            // Several batches are read at once, and each batch's write-back
            // commits while the next one is on the wire.
            let pending = store.pending_raw(READ_AHEAD).await.map_err(store_error)?;
            if pending.is_empty() {
                break;
            }
            let mut commits = Vec::new();
            let mut rest = pending.as_slice();
            while !rest.is_empty() {
                let (count, body) = bounded_batch(&device.device_id, &rest[..rest.len().min(BATCH_RECORDS as usize)], report)?;
                let (batch, after) = rest.split_at(count);
                let response: PushResponse = send("POST", "/api/v1/sync/push", "application/json", body).await?;
                if response.results.len() != batch.len() {
                    return Err(SyncFailure::Server("the server answered for a different number of records".into()));
                }
                for (stored, result) in batch.iter().zip(response.results) {
                    mark_pushed(stored, result)?;
                }
                commits.push(store.start_put_raw(batch).await.map_err(store_error)?);
                rest = after;
            }
            for commit in commits {
                commit.await.map_err(store_error)?;
            }
            if pending.len() < READ_AHEAD as usize {
                break;
            }
        }
        let mut revision = store.campaign(&joined.campaign_id).await.map_err(store_error)?.map_or(0, |c| c.revision);
        loop {
            let oldest = report.oldest_pending.map(|at| format!("&oldest_pending={at}")).unwrap_or_default();
            let url = format!(
                "/api/v1/sync/pull?cursor={}&device_id={}&campaign_revision={revision}&pending={}{oldest}",
                meta.cursor, device.device_id, report.pending
            );
            let page: PullResponse = get_json(&url).await?;
            if let Some(bundle) = page.campaign {
                // The territory first: pulled records find their doors in it.
                store.save_bundle(&bundle).await.map_err(store_error)?;
                revision = bundle.campaign.revision;
                self.campaign.campaign.set(Some(bundle.campaign));
            }
            meta.cursor = page.cursor;
            store.save_pulled(&joined.campaign_id, &page.records, &meta).await.map_err(store_error)?;
            if !page.more {
                break;
            }
        }
        meta.last_success = Some(js_sys::Date::now() as i64);
        store.save_sync_meta(&meta).await.map_err(|e| SyncFailure::Server(e.to_string()))?;
        Ok(())
    }
}

/// Fields of a stored record that are the phone's own, not the record's
/// (see `store::StoredRecord`): left out of what is pushed.
const LOCAL_FIELDS: [&str; 4] = ["building_id", "floor", "sync_state", "sync_problem"];

/// The push request's JSON for as many of the first of `pending` (stored
/// records, in order) as fit in the byte bound: (how many, JSON). Built from
/// the stored JS objects directly; halved in the rare batch of long notes.
fn bounded_batch(device_id: &str, pending: &[js_sys::Object], outbox: OutboxReport) -> Result<(usize, String), SyncFailure> {
    let encode_error = |_| SyncFailure::Server("cannot encode the request".into());
    let outbox = crate::store::idb::to_js(&outbox).map_err(|_| SyncFailure::Server("cannot encode the request".into()))?;
    let mut count = pending.len();
    loop {
        let records: js_sys::Array = pending[..count]
            .iter()
            .map(|stored| {
                let record = js_sys::Object::assign(&js_sys::Object::new(), stored);
                for field in LOCAL_FIELDS {
                    let _ = js_sys::Reflect::delete_property(&record, &field.into());
                }
                record
            })
            .collect();
        let request = js_sys::Object::new();
        js_sys::Reflect::set(&request, &"device_id".into(), &device_id.into()).map_err(encode_error)?;
        js_sys::Reflect::set(&request, &"records".into(), &records).map_err(encode_error)?;
        js_sys::Reflect::set(&request, &"outbox".into(), &outbox).map_err(encode_error)?;
        let body = js_sys::JSON::stringify(&request).map_err(encode_error)?.as_string().unwrap_or_default();
        if body.len() <= BATCH_BYTES || count == 1 {
            return Ok((count, body));
        }
        count /= 2;
    }
}

/// Sets a pushed record's sync state from the server's answer for it.
fn mark_pushed(stored: &js_sys::Object, result: PushResult) -> Result<(), SyncFailure> {
    let id = js_sys::Reflect::get(stored, &"id".into()).ok().and_then(|id| id.as_string());
    if id.as_deref() != Some(result.id.as_str()) {
        return Err(SyncFailure::Server("the server answered for other records".into()));
    }
    let state = if result.status.is_on_server() { SyncState::Synced } else { SyncState::Refused };
    let problem = match result.status {
        PushStatus::Conflict | PushStatus::Rejected => Some(result.reason.unwrap_or_else(|| format!("{:?}", result.status))),
        PushStatus::Stored | PushStatus::Duplicate => None,
    };
    let encode_error = |_| SyncFailure::Server("cannot mark a record".into());
    let state = crate::store::idb::to_js(&state).map_err(|_| SyncFailure::Server("cannot mark a record".into()))?;
    js_sys::Reflect::set(stored, &"sync_state".into(), &state).map_err(encode_error)?;
    match problem {
        Some(problem) => js_sys::Reflect::set(stored, &"sync_problem".into(), &problem.into()).map_err(encode_error)?,
        None => js_sys::Reflect::delete_property(stored, &"sync_problem".into()).map_err(encode_error)?,
    };
    Ok(())
}

/// Exchanges a join code for a session (an HttpOnly cookie the browser keeps)
/// and stores the campaign it opens. Returns the volunteer's name.
pub async fn join(code: &str, campaign: CampaignContext) -> Result<String, SyncFailure> {
    let response: JoinResponse = post_json("/api/v1/join", &walkbook_core::sync::JoinRequest { code: code.to_string() }).await?;
    let joined = Joined {
        volunteer_id: response.volunteer_id,
        volunteer_name: response.volunteer_name.clone(),
        campaign_id: response.bundle.campaign.id.clone(),
    };
    app_store().save_joined(&response.bundle, joined).await.map_err(|e| SyncFailure::Server(e.to_string()))?;
    campaign.campaign.set(Some(response.bundle.campaign));
    campaign.changed();
    Ok(response.volunteer_name)
}

impl From<HttpError> for SyncFailure {
    fn from(error: HttpError) -> SyncFailure {
        match error {
            HttpError::Unreachable => SyncFailure::Unreachable,
            HttpError::Status { status: 401, message } => SyncFailure::SignedOut(message),
            HttpError::Status { message, .. } | HttpError::Unreadable(message) => SyncFailure::Server(message),
        }
    }
}
