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

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture};
use futures::{Stream, StreamExt};
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use walkbook_core::limits::MAX_RECORD_BYTES;
use walkbook_core::sync::{JoinResponse, OutboxReport, PullResponse, PushResponse, PushResult, PushStatus};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::campaign::CampaignContext;
use crate::http::{get_json, post_json, send, HttpError};
use crate::screens::split::NotLoaded;
use crate::store::idb::IdbError;
use crate::store::{app_store, Joined, OutboxEntry, OutboxSummary, RelayedEntry, SyncMeta};

/// At most this many records per push, and about this many bytes.
const BATCH_RECORDS: u32 = walkbook_core::sync::MAX_PUSH_RECORDS as u32;
/// Outbox entries read from IndexedDB in one go (several batches).
const READ_AHEAD: u32 = 4 * BATCH_RECORDS;
const PUSHES_IN_FLIGHT: usize = 2;
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
    /// The next sync; replacing it drops (cancels) the one set before.
    static TIMER: RefCell<Option<Timeout>> = const { RefCell::new(None) };
}

/// What one sync wrote to the phone's store, for the screens to refresh.
#[derive(Default)]
pub struct StoreChanges {
    /// Records or a new territory were pulled.
    pulled: Cell<bool>,
    /// The server's answers for records were written back.
    acknowledged: Cell<bool>,
}

pub fn use_sync() -> SyncClient {
    expect_context::<SyncClient>()
}

pub fn provide_sync(campaign: CampaignContext) -> SyncClient {
    let client = SyncClient { view: RwSignal::new(SyncView::default()), campaign };
    provide_context(client);
    EventListener::new(&window(), "online", move |_| client.request(0)).forget();
    EventListener::new(&document(), "visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            client.request(0);
        }
    })
    .forget();
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
    // The `onmessage` property, not a listener: setting it also starts the
    // container's message queue (web-sys has no `startMessages`).
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
        // A timer that fired stays here until the next request replaces it
        // (dropping it inside its own callback would free running code).
        let timer = Timeout::new(delay_ms, move || leptos::task::spawn_local(self.run()));
        TIMER.with_borrow_mut(|pending| *pending = Some(timer));
    }

    async fn run(self) {
        if IN_FLIGHT.replace(true) {
            AGAIN.set(true); // the running sync goes round once more
            return;
        }
        self.view.update(|v| v.running = true);
        loop {
            AGAIN.set(false);
            let changes = Rc::new(StoreChanges::default());
            let result = self.sync_once(&changes).await;
            self.record_result(result, &changes);
            if !AGAIN.get() {
                break;
            }
        }
        IN_FLIGHT.set(false);
        self.view.update(|v| v.running = false);
    }

    fn record_result(self, result: Result<(), SyncFailure>, changes: &StoreChanges) {
        let store = app_store();
        let view = self.view;
        let campaign = self.campaign;
        let failed = result.is_err();
        let signed_out = matches!(result, Err(SyncFailure::SignedOut(_)));
        let (pulled, acknowledged) = (changes.pulled.get(), changes.acknowledged.get());
        view.update(|v| v.last_error = result.err());
        leptos::task::spawn_local(async move {
            let outbox = match store.outbox_summary().await {
                Ok(outbox) => outbox,
                Err(error) => {
                    web_sys::console::error_1(&format!("the outbox could not be read: {error}").into());
                    OutboxSummary::default()
                }
            };
            let meta = store.sync_meta().await.unwrap_or_default();
            let pending = outbox.pending;
            view.update(|v| {
                v.outbox = outbox;
                v.meta = meta;
            });
            // Screens re-read their records only when a sync changed them: all
            // after records or the territory were pulled, the floor's door
            // marks after records were acknowledged. A failed retry while
            // offline, every few seconds to minutes, changes nothing.
            if pulled {
                campaign.changed();
            } else if acknowledged {
                campaign.acknowledged();
            }
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

    /// One sync, if the phone joined a campaign (the demo's has no server
    /// to sync with). Its work is a split point's module, fetched at a
    /// joined phone's first sync, never on the path of a tap.
    async fn sync_once(self, changes: &Rc<StoreChanges>) -> Result<(), SyncFailure> {
        let meta = app_store().sync_meta().await?;
        let Some(joined) = meta.joined.clone() else { return Ok(()) };
        // A module that cannot be fetched (offline before the service
        // worker had the build) is one more sign of being offline.
        let sync = crate::screens::split::sync_joined(self, meta, joined, Rc::clone(changes))
            .await
            .map_err(|NotLoaded| SyncFailure::Unreachable)?;
        sync.await
    }

    /// One push of the whole outbox, then the pull, for the campaign the
    /// phone `joined`; `changes` says what it wrote to the store as it goes
    /// (also when a later step fails).
    pub(crate) async fn sync_joined(self, mut meta: SyncMeta, joined: Joined, changes: &StoreChanges) -> Result<(), SyncFailure> {
        let store = app_store();
        let device = store.device().await?;
        // What the outbox holds is reported with every request, so the
        // coordinator sees it even when records are refused.
        let outbox = store.outbox_summary().await?;
        let report = OutboxReport {
            pending: outbox.pending,
            oldest_pending: outbox.oldest_pending,
            installed: Some(crate::install::is_installed()),
            persisted: crate::pwa::storage_persisted().await,
        };
        // The phone's key goes with every push, for a server that has none
        // for it yet (a phone that joined before phones had keys). Without
        // WebCrypto (a page not served over https) there is none to send.
        let public_key = store.signing_key().await.ok().map(|key| key.public_key);
        let envelope = push_envelope(&device.device_id, report, public_key)?;
        // Two pushes in flight: the server parses one while it commits the
        // other. Each answer is written back (its own outbox range) while
        // later batches are on the wire; the order of those writes does not
        // matter.
        let first_read = start_outbox_read(None).await?;
        let pushes = outbox_batches(&envelope, first_read)
            .map(|batch| async {
                let batch = batch?;
                Ok::<_, SyncFailure>((push_batch(&envelope, &batch).await?, batch.len() as u32))
            })
            .buffered(PUSHES_IN_FLIGHT);
        let mut pushes = std::pin::pin!(pushes);
        let mut acknowledged = Vec::new();
        // A push the server answered with an error (one bad batch) stops the
        // pushing, never the pull: the volunteer still gets the others'
        // records. Unreachable or signed out, there is no pull to make.
        let mut push_failure = None;
        while let Some(pushed) = pushes.next().await {
            match pushed {
                Ok(pushed) => acknowledged.push(pushed),
                Err(failure @ (SyncFailure::Unreachable | SyncFailure::SignedOut(_))) => return Err(failure),
                Err(failure) => {
                    push_failure = Some(failure);
                    break;
                }
            }
        }
        let mut acknowledged_any = !acknowledged.is_empty();
        // Then the records handed over by other phones, once this phone's own are sent.
        if push_failure.is_none() {
            for batch in batches(&envelope, store.relayed_entries().await?) {
                match push_relayed_batch(&envelope, &batch).await {
                    Ok(()) => {
                        acknowledged_any = true;
                        changes.acknowledged.set(true);
                    }
                    Err(failure @ (SyncFailure::Unreachable | SyncFailure::SignedOut(_))) => return Err(failure),
                    Err(failure) => {
                        push_failure = Some(failure);
                        break;
                    }
                }
            }
        }
        for (commit, size) in acknowledged {
            commit.await?;
            changes.acknowledged.set(true);
            // The count goes down as batches are acknowledged (the summary
            // read at the end confirms it).
            self.view.update(|v| {
                v.outbox.pending = v.outbox.pending.saturating_sub(size);
                if v.outbox.pending == 0 {
                    v.outbox.oldest_pending = None;
                }
            });
        }
        // The pull reports the outbox as the pushes left it, so that the
        // coordinator sees records arrive (and a data-at-risk alert clear)
        // at this sync, not the next.
        let outbox = if acknowledged_any { store.outbox_summary().await? } else { outbox };
        let report = OutboxReport { pending: outbox.pending, oldest_pending: outbox.oldest_pending, ..report };
        let mut revision = store.campaign(&joined.campaign_id).await?.map_or(0, |c| c.revision);
        loop {
            let oldest = report.oldest_pending.map(|at| format!("&oldest_pending={at}")).unwrap_or_default();
            let flag = |name: &str, value: Option<bool>| value.map(|v| format!("&{name}={v}")).unwrap_or_default();
            let url = format!(
                "/api/v1/sync/pull?cursor={}&device_id={}&campaign_revision={revision}&pending={}{oldest}{}{}",
                meta.cursor,
                device.device_id,
                report.pending,
                flag("installed", report.installed),
                flag("persisted", report.persisted)
            );
            let page: PullResponse = get_json(&url).await?;
            let brings_changes = page.campaign.is_some() || !page.records.is_empty();
            if let Some(bundle) = page.campaign {
                // The territory first: pulled records find their doors in it.
                store.save_bundle(&bundle).await?;
                revision = bundle.campaign.revision;
                self.campaign.campaign.set(Some(bundle.campaign));
            }
            meta.cursor = page.cursor;
            // A building gained: its records were never sent to this phone,
            // so the pull starts over (records it holds are skipped).
            let gained_a_building = gains_buildings(meta.assigned_buildings.as_deref(), page.assigned_buildings.as_deref());
            if page.assigned_buildings != meta.assigned_buildings {
                meta.assigned_buildings = page.assigned_buildings.clone();
                self.campaign.assigned_buildings.set(page.assigned_buildings);
            }
            if gained_a_building {
                meta.cursor = 0;
            }
            store.save_pulled(&joined.campaign_id, &page.records, &meta).await?;
            changes.pulled.set(changes.pulled.get() || brings_changes || gained_a_building);
            if !page.more && !gained_a_building {
                break;
            }
        }
        // A closed campaign: what the server has is erased here too.
        if self.campaign.campaign.with_untracked(|campaign| campaign.as_ref().is_some_and(|c| c.closed_at.is_some())) {
            let erased = store.erase_sent(&joined.campaign_id).await?;
            changes.pulled.set(changes.pulled.get() || erased > 0);
        }
        if let Some(failure) = push_failure {
            return Err(failure);
        }
        meta.last_success = Some(js_sys::Date::now() as i64);
        store.save_sync_meta(&meta).await?;
        Ok(())
    }
}

/// Whether an assignment `now` has a building the one `before` had not
/// (None: the whole campaign).
fn gains_buildings(before: Option<&[String]>, now: Option<&[String]>) -> bool {
    match (before, now) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(before), Some(now)) => now.iter().any(|building| !before.contains(building)),
    }
}

/// The push request with `"records":[]`, which `push_body` fills.
fn push_envelope(device_id: &str, outbox: OutboxReport, public_key: Option<String>) -> Result<String, SyncFailure> {
    let envelope =
        walkbook_core::sync::PushRequest { device_id: device_id.to_string(), records: Vec::new(), relayed: Vec::new(), public_key, outbox: Some(outbox) };
    crate::store::idb::to_js(&envelope)
        .ok()
        .and_then(|value| js_sys::JSON::stringify(&value).ok())
        .map(String::from)
        .ok_or_else(|| SyncFailure::Server("cannot encode the request".into()))
}

const NO_RECORDS: &str = r#""records":[]"#;

/// A read of the next outbox entries, started (see `Store::start_outbox_read`).
type OutboxRead = LocalBoxFuture<'static, Result<Vec<OutboxEntry>, IdbError>>;

async fn start_outbox_read(after: Option<u64>) -> Result<OutboxRead, IdbError> {
    Ok(app_store().start_outbox_read(after, READ_AHEAD).await?.boxed_local())
}

/// The outbox as pushes, oldest first, from `first_read` on: READ_AHEAD
/// entries are read at a time, the next ones while these are being sent.
fn outbox_batches(envelope: &str, first_read: OutboxRead) -> impl Stream<Item = Result<Vec<OutboxEntry>, SyncFailure>> + '_ {
    futures::stream::try_unfold((Some(first_read), VecDeque::new()), move |(mut read, mut ready)| async move {
        while ready.is_empty() {
            let Some(entries) = read.take() else { return Ok(None) };
            let entries = entries.await?;
            if let (true, Some(last)) = (entries.len() == READ_AHEAD as usize, entries.last()) {
                read = Some(start_outbox_read(Some(last.seq)).await?);
            }
            ready.extend(batches(envelope, entries));
        }
        Ok(ready.pop_front().map(|batch| (batch, (read, ready))))
    })
}

/// `entries` cut into pushes: each at most the batch limit and within the
/// byte bound. A record larger than a record may be is a push of its own
/// that is never sent (see `push_batch`): it would make any push it is in
/// fail as a whole.
fn batches(envelope: &str, entries: Vec<OutboxEntry>) -> Vec<Vec<OutboxEntry>> {
    let mut batches: Vec<Vec<OutboxEntry>> = Vec::new();
    let mut bytes = 0;
    for entry in entries {
        let size = entry.json.len() + 1;
        match batches.last_mut() {
            Some(batch)
                if !is_too_large(&batch[0])
                    && !is_too_large(&entry)
                    && batch.len() < BATCH_RECORDS as usize
                    && bytes + size <= BATCH_BYTES =>
            {
                bytes += size;
                batch.push(entry);
            }
            _ => {
                bytes = envelope.len() + size;
                batches.push(vec![entry]);
            }
        }
    }
    batches
}

fn is_too_large(entry: &OutboxEntry) -> bool {
    entry.json.len() > MAX_RECORD_BYTES
}

/// Sends one batch and starts writing the server's answer back; resolves to
/// what completes when that write committed.
/// A record too large to send is refused on the phone, with the reason, and
/// kept like any refused record.
async fn push_batch(envelope: &str, batch: &[OutboxEntry]) -> Result<impl std::future::Future<Output = Result<(), IdbError>>, SyncFailure> {
    let refused = match batch {
        [entry] if is_too_large(entry) => {
            vec![(entry.id.clone(), format!("the record is {} bytes (at most {MAX_RECORD_BYTES}): too large to send", entry.json.len()))]
        }
        _ => {
            let response: PushResponse = send("POST", "/api/v1/sync/push", "application/json", push_body(envelope, batch)).await?;
            refused_records(batch, response.results)?
        }
    };
    Ok(app_store().start_acknowledge(batch, &refused).await?)
}

/// The push request's JSON: the envelope with the records' JSON, made when
/// each was saved, spliced in (no record is parsed or encoded again).
fn push_body(envelope: &str, batch: &[OutboxEntry]) -> String {
    let records = batch.iter().map(|entry| entry.json.as_str()).collect::<Vec<_>>().join(",");
    // The first match is the field: the device id before it is a JSON string,
    // in which a quote would be escaped.
    envelope.replacen(NO_RECORDS, &format!(r#""records":[{records}]"#), 1)
}

/// Sends a batch of records relayed for other phones (each with its
/// maker's signature, as imported) and writes the server's answer back.
async fn push_relayed_batch(envelope: &str, batch: &[RelayedEntry]) -> Result<(), SyncFailure> {
    let relayed = batch.iter().map(|entry| entry.json.as_str()).collect::<Vec<_>>().join(",");
    let body = envelope.replacen(NO_RECORDS, &format!(r#""records":[],"relayed":[{relayed}]"#), 1);
    let response: PushResponse = send("POST", "/api/v1/sync/push", "application/json", body).await?;
    let refused = refused_records(batch, response.results)?;
    Ok(app_store().acknowledge_relayed(batch, &refused).await?)
}

/// Checks the server answered for exactly `batch`, in order, and returns the
/// records it refused, each with the reason.
fn refused_records(batch: &[OutboxEntry], results: Vec<PushResult>) -> Result<Vec<(String, String)>, SyncFailure> {
    if results.len() != batch.len() || batch.iter().zip(&results).any(|(entry, result)| entry.id != result.id) {
        return Err(SyncFailure::Server("the server answered for other records".into()));
    }
    Ok(results
        .into_iter()
        .filter_map(|result| {
            let unexplained = match result.status {
                PushStatus::Stored | PushStatus::Duplicate => return None,
                PushStatus::Conflict => "another record is stored under this id",
                PushStatus::Rejected => "refused by the server",
            };
            Some((result.id, result.reason.unwrap_or_else(|| unexplained.into())))
        })
        .collect())
}

/// Exchanges a join code for a session (an HttpOnly cookie the browser keeps)
/// and stores the campaign it opens. Returns the volunteer's name.
pub async fn join(code: &str, campaign: CampaignContext) -> Result<String, SyncFailure> {
    // The session is bound to this phone, and its records made before
    // joining (under the phone's own volunteer id) stay pushable.
    let device = app_store().device().await?;
    let request = walkbook_core::sync::JoinRequest {
        code: code.to_string(),
        device_id: Some(device.device_id),
        local_volunteer_id: Some(device.volunteer_id),
        // Registered now, so that records this phone hands over later can be
        // relayed even if it never reaches the server again.
        public_key: app_store().signing_key().await.ok().map(|key| key.public_key),
    };
    let response: JoinResponse = post_json("/api/v1/join", &request).await?;
    let joined = Joined {
        volunteer_id: response.volunteer_id,
        volunteer_name: response.volunteer_name.clone(),
        campaign_id: response.bundle.campaign.id.clone(),
    };
    app_store().save_joined(&response.bundle, joined, response.assigned_buildings.clone()).await?;
    campaign.assigned_buildings.set(response.assigned_buildings);
    campaign.campaign.set(Some(response.bundle.campaign));
    campaign.changed();
    Ok(response.volunteer_name)
}

/// Why the phone was not wiped.
#[derive(Debug, Clone, PartialEq)]
pub enum WipeRefused {
    /// Records are still unsent, or were refused by the server: they would
    /// be lost.
    Unsent(u32),
    Failed(SyncFailure),
}

/// For a volunteer leaving: ends the session on the server (its cookie
/// could otherwise still pull the campaign's people), then deletes
/// everything the phone holds. Refused while any record is unsent, and when
/// the server cannot be told (the phone keeps working meanwhile). After it,
/// the app starts over as on a new phone.
pub async fn sign_out_and_wipe() -> Result<(), WipeRefused> {
    let store = app_store();
    let outbox = store.outbox_summary().await.map_err(|e| WipeRefused::Failed(e.into()))?;
    let unsent = outbox.pending + outbox.refused.len() as u32;
    if unsent > 0 {
        return Err(WipeRefused::Unsent(unsent));
    }
    match send::<()>("POST", "/api/v1/sign-out", "application/json", String::new()).await {
        // Signed out already (revoked, expired): nothing left to end.
        Ok(()) | Err(HttpError::Status { status: 401, .. }) => {}
        Err(error) => return Err(WipeRefused::Failed(error.into())),
    }
    store.delete_everything().await.map_err(|e| WipeRefused::Failed(e.into()))?;
    if let Some(storage) = leptos::prelude::window().local_storage().ok().flatten() {
        let _ = storage.remove_item(crate::campaign::DEVICE_KEY);
    }
    Ok(())
}

/// The phone's own database failed: said as it is.
impl From<IdbError> for SyncFailure {
    fn from(error: IdbError) -> SyncFailure {
        SyncFailure::Server(error.to_string())
    }
}

impl From<HttpError> for SyncFailure {
    fn from(error: HttpError) -> SyncFailure {
        match error {
            HttpError::Unreachable => SyncFailure::Unreachable,
            HttpError::Status { status: 401, message, .. } => SyncFailure::SignedOut(message),
            HttpError::Status { message, .. } | HttpError::Unreadable(message) => SyncFailure::Server(message),
        }
    }
}
