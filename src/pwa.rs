//! The page's side of the service worker and of storage persistence.
//!
//! Registers `/sw.js`, tells the UI when the app shell is cached for offline
//! use, and when a newer build is installed and waiting ("a new version is
//! ready"). Applying the update asks the waiting worker to take over and
//! reloads once it controls the page.

use gloo_events::EventListener;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfflineReadiness {
    Preparing,
    Ready,
    Unsupported,
}

/// What the UI shows about the installed app, shared through context.
#[derive(Clone, Copy)]
pub struct ServiceWorkerStatus {
    pub offline: RwSignal<OfflineReadiness>,
    /// A newer build is installed and waiting for the volunteer's "Reload".
    pub update_waiting: RwSignal<bool>,
}

impl ServiceWorkerStatus {
    /// Asks the waiting worker to activate; the `controllerchange` listener
    /// installed by [`register`] reloads the page into the new build.
    pub fn apply_update(self) {
        leptos::task::spawn_local(async {
            let container = window().navigator().service_worker();
            let Ok(registration) = JsFuture::from(container.get_registration()).await else { return };
            let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else { return };
            if let Some(waiting) = registration.waiting() {
                ask_worker(&waiting, "SKIP_WAITING");
            }
        });
    }
}

pub fn use_service_worker() -> ServiceWorkerStatus {
    expect_context::<ServiceWorkerStatus>()
}

/// The longest the service worker's registration waits for the first screen.
const REGISTRATION_WAIT_MS: i32 = 5_000;

/// Registers the service worker once `first_screen_ready` (or after
/// [`REGISTRATION_WAIT_MS`]): its first install downloads the whole build,
/// which over slow mobile data would share the line with what the first
/// screen waits for (the campaign) and hold it back.
pub fn provide_service_worker(first_screen_ready: Signal<bool>) -> ServiceWorkerStatus {
    let status = ServiceWorkerStatus { offline: RwSignal::new(OfflineReadiness::Preparing), update_waiting: RwSignal::new(false) };
    provide_context(status);
    let (shown, when_shown) = futures::channel::oneshot::channel::<()>();
    let mut shown = Some(shown);
    Effect::new(move || {
        if first_screen_ready.get() {
            if let Some(shown) = shown.take() {
                let _ = shown.send(());
            }
        }
    });
    leptos::task::spawn_local(async move {
        let at_the_latest = std::pin::pin!(crate::pause(REGISTRATION_WAIT_MS));
        futures::future::select(when_shown, at_the_latest).await;
        // After the first screen is painted, not before.
        crate::pause(0).await;
        if let Err(error) = register(status).await {
            web_sys::console::warn_2(&"service worker registration failed".into(), &error);
            status.offline.set(OfflineReadiness::Unsupported);
        }
    });
    status
}

async fn register(status: ServiceWorkerStatus) -> Result<(), JsValue> {
    let navigator = window().navigator();
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into())? {
        status.offline.set(OfflineReadiness::Unsupported);
        return Ok(());
    }
    let container = navigator.service_worker();

    // Reload exactly once, when a new worker takes control after "Reload".
    let had_controller = container.controller().is_some();
    EventListener::new(&container, "controllerchange", move |_| {
        if had_controller {
            let _ = window().location().reload();
        }
    })
    .forget();

    let registration: ServiceWorkerRegistration = JsFuture::from(container.register("/sw.js")).await?.dyn_into()?;

    // Offline readiness: the shell is cached once a worker is active.
    let ready: ServiceWorkerRegistration = JsFuture::from(container.ready()?).await?.dyn_into()?;
    if let Some(active) = ready.active() {
        status.offline.set(OfflineReadiness::Ready);
        // A page that loaded while the first worker was activating can miss
        // that worker's claim (Firefox: the page stays uncontrolled, and its
        // screens' modules would come from the network until the next
        // visit): ask the worker to claim this page too.
        if container.controller().is_none() {
            ask_worker(&active, "CLAIM");
        }
    }

    if registration.waiting().is_some() && container.controller().is_some() {
        status.update_waiting.set(true);
    }
    let watched = registration.clone();
    EventListener::new(&registration, "updatefound", move |_| {
        if let Some(installing) = watched.installing() {
            watch_installing(status, installing);
        }
    })
    .forget();

    // Phones keep the app open for days: look for a new build whenever the
    // volunteer comes back to it.
    let checked = registration.clone();
    EventListener::new(&document(), "visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            let _ = checked.update();
        }
    })
    .forget();
    Ok(())
}

/// Posts `{ type: kind }` to `worker` (public/sw.js's message handler).
fn ask_worker(worker: &ServiceWorker, kind: &str) {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &kind.into());
    let _ = worker.post_message(&message);
}

fn watch_installing(status: ServiceWorkerStatus, worker: ServiceWorker) {
    let watched = worker.clone();
    EventListener::new(&worker, "statechange", move |_| {
        if watched.state() == ServiceWorkerState::Installed {
            if window().navigator().service_worker().controller().is_some() {
                status.update_waiting.set(true);
            } else {
                // First install: nothing to update, the shell is now cached.
                status.offline.set(OfflineReadiness::Ready);
            }
        }
    })
    .forget();
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Persistence {
    Unknown,
    Granted,
    NotGranted,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StorageReport {
    pub persistence: Persistence,
    pub usage_bytes: Option<f64>,
    pub quota_bytes: Option<f64>,
}

/// Warn when this much of the quota is used: saves fail when it is all used.
const QUOTA_WARNING_FRACTION: f64 = 0.8;

impl StorageReport {
    pub fn nearly_full(&self) -> bool {
        matches!((self.usage_bytes, self.quota_bytes), (Some(used), Some(quota)) if quota > 0.0 && used / quota >= QUOTA_WARNING_FRACTION)
    }
}

/// The storage report, asked for once at start (persistent storage is
/// requested then), shared through context.
#[derive(Clone, Copy)]
pub struct StorageStatus(pub RwSignal<Option<StorageReport>>);

pub fn provide_storage_status() -> StorageStatus {
    let status = StorageStatus(RwSignal::new(None));
    provide_context(status);
    leptos::task::spawn_local(async move { status.0.set(Some(request_persistent_storage().await)) });
    status
}

pub fn use_storage_status() -> StorageStatus {
    expect_context::<StorageStatus>()
}

/// Asks the browser to keep this origin's data under storage pressure
/// (`navigator.storage.persist()`), then reads how much is used.
pub async fn request_persistent_storage() -> StorageReport {
    let navigator = window().navigator();
    let mut report = StorageReport { persistence: Persistence::Unknown, usage_bytes: None, quota_bytes: None };
    if !js_sys::Reflect::has(&navigator, &"storage".into()).unwrap_or(false) {
        return report;
    }
    let storage = navigator.storage();
    if let Ok(promise) = storage.persist() {
        report.persistence = match JsFuture::from(promise).await.map(|granted| granted.as_bool()) {
            Ok(Some(true)) => Persistence::Granted,
            Ok(_) => Persistence::NotGranted,
            Err(_) => Persistence::Unknown,
        };
    }
    if let Ok(promise) = storage.estimate() {
        if let Ok(estimate) = JsFuture::from(promise).await {
            let number = |key: &str| js_sys::Reflect::get(&estimate, &key.into()).ok().and_then(|v| v.as_f64());
            report.usage_bytes = number("usage");
            report.quota_bytes = number("quota");
        }
    }
    report
}

/// Whether the browser keeps this origin's storage under pressure and past
/// Safari's seven days (`navigator.storage.persisted()`); `None` where the
/// browser does not say.
pub async fn storage_persisted() -> Option<bool> {
    let navigator = window().navigator();
    if !js_sys::Reflect::has(&navigator, &"storage".into()).unwrap_or(false) {
        return None;
    }
    JsFuture::from(navigator.storage().persisted().ok()?).await.ok()?.as_bool()
}

/// Offers `text` as a file download (works offline: nothing leaves the phone).
pub fn save_file(file_name: &str, mime: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    web_sys::Url::revoke_object_url(&url)
}
