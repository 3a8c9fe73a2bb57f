//! The campaign the phone works on, shared by every screen, and its first
//! load: from the server when it answers within a few seconds, otherwise from
//! the copy built into the app. After that the phone reads only IndexedDB.

use leptos::prelude::*;
use walkbook_core::campaign::{Campaign, CampaignBundle};
use walkbook_core::demo::DEMO_CAMPAIGN_ID;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::store::app_store;

/// How long the first start waits for the server before using the built-in copy.
const SERVER_WAIT_MS: u32 = 4000;

#[derive(Clone, Copy)]
pub struct CampaignContext {
    pub campaign: RwSignal<Option<Campaign>>,
    pub load_error: RwSignal<Option<String>>,
    /// Bumped after every write, so screens reading the store refresh (the
    /// floor view, which shows whether each door's record is on the server).
    pub revision: RwSignal<u64>,
    /// Bumped when records or the territory change, not when the server
    /// acknowledges records: screens that show no sync state (home, checks,
    /// revisits) need not re-read everything after a push.
    pub content_revision: RwSignal<u64>,
    /// The phone's database was found empty after this browser had used it:
    /// cleared by the browser or the phone's settings.
    pub wiped: RwSignal<bool>,
    /// The buildings the volunteer is assigned, as the server last said;
    /// None: the whole campaign.
    pub assigned_buildings: RwSignal<Option<Vec<String>>>,
}

impl CampaignContext {
    /// The loaded campaign's id (empty until it is loaded). Reactive.
    pub fn campaign_id(self) -> String {
        self.campaign.with(|c| c.as_ref().map(|c| c.id.clone()).unwrap_or_default())
    }

    /// The campaign's fever threshold (°C); the default one until it is
    /// loaded. Reactive.
    pub fn fever_threshold(self) -> f64 {
        self.campaign.with(|c| c.as_ref().map_or_else(|| walkbook_core::campaign::Settings::default().fever_threshold_c, |c| c.settings.fever_threshold_c))
    }

    /// A building's name in `lang`. Reactive.
    pub fn building_name(self, building_id: &str, lang: walkbook_core::lang::Lang) -> Option<String> {
        self.campaign.with(|c| c.as_ref()?.building(building_id).map(|b| b.name.get(lang).to_string()))
    }

    /// Whether the volunteer works `building_id` (records there). Reactive.
    pub fn works(self, building_id: &str) -> bool {
        self.assigned_buildings.with(|assigned| assigned.as_ref().is_none_or(|buildings| buildings.iter().any(|b| b == building_id)))
    }

    pub fn changed(self) {
        self.revision.update(|r| *r += 1);
        self.content_revision.update(|r| *r += 1);
    }

    /// The server acknowledged (or refused) records: only their sync state changed.
    pub fn acknowledged(self) {
        self.revision.update(|r| *r += 1);
    }
}

pub fn use_campaign() -> CampaignContext {
    expect_context::<CampaignContext>()
}

pub fn provide_campaign() -> CampaignContext {
    let context = CampaignContext {
        campaign: RwSignal::new(None),
        load_error: RwSignal::new(None),
        revision: RwSignal::new(0),
        content_revision: RwSignal::new(0),
        wiped: RwSignal::new(false),
        assigned_buildings: RwSignal::new(None),
    };
    provide_context(context);
    leptos::task::spawn_local(async move {
        if let Err(error) = load_campaign(context).await {
            context.campaign.set(None);
            context.load_error.set(Some(error));
        }
    });
    context
}

/// localStorage remembers the device id: IndexedDB and localStorage are
/// cleared together by "clear site data", but a browser evicting storage or a
/// broken database loses IndexedDB alone, and then the two disagree.
/// index.html reads it too: without it, a start is a first start.
pub(crate) const DEVICE_KEY: &str = "walkbook.device";

/// Sets the context's campaign: the stored one, else (a first start) the
/// server's or the shipped demo, shown as soon as it is read and stored
/// while the volunteer looks at it. Screens that read its doors from the
/// store wait for that write (IndexedDB orders the transactions); if it
/// fails, the campaign is taken away again, with the error.
async fn load_campaign(context: CampaignContext) -> Result<(), String> {
    let store = app_store();
    let device = store.device().await.map_err(|e| e.to_string())?;
    if let Some(storage) = window().local_storage().ok().flatten() {
        let remembered = storage.get_item(DEVICE_KEY).ok().flatten();
        if remembered.is_some_and(|id| id != device.device_id) {
            context.wiped.set(true);
        }
        let _ = storage.set_item(DEVICE_KEY, &device.device_id);
    }
    // The joined campaign, else the demo.
    let meta = store.sync_meta().await.map_err(|e| e.to_string())?;
    context.assigned_buildings.set(meta.assigned_buildings);
    let joined = meta.joined;
    let campaign_id = joined.map_or(DEMO_CAMPAIGN_ID.to_string(), |j| j.campaign_id);
    if let Some(campaign) = store.campaign(&campaign_id).await.map_err(|e| e.to_string())? {
        context.campaign.set(Some(campaign));
        return Ok(());
    }
    // The server's copy (a coordinator may have changed it), else the copy
    // shipped with the app as data and precached: a first start works
    // without the server too.
    let from_server = match take_first_start_request() {
        Some(request) => JsFuture::from(request).await.ok().filter(|json| !json.is_null()),
        None => fetch_json(SERVER_DEMO).await,
    };
    let bundle = match read_bundle(from_server) {
        Some(bundle) => bundle,
        None => read_bundle(fetch_json(SHIPPED_DEMO).await).ok_or("the demo campaign shipped with the app is unreadable")?,
    };
    // Read, drawn, stored: each in tasks of their own, so that a slow phone
    // paints the campaign as soon as it can and never holds the screen for
    // all three at once. It is shown once its transaction exists: screens
    // reading its doors wait for them to be stored.
    crate::pause(0).await;
    store.save_bundle_then(&bundle, &|| context.campaign.set(Some(bundle.campaign.clone()))).await.map_err(|e| e.to_string())
}

/// The server's demo campaign.
const SERVER_DEMO: &str = "/api/v1/demo/campaign";

/// The demo campaign as the app ships it (`public/demo-campaign.json`, which
/// a test in `walkbook-core` holds equal to `demo_campaign()`).
const SHIPPED_DEMO: &str = "/demo-campaign.json";

/// The request for `SERVER_DEMO` index.html starts on a first start
/// (`walkbookFirstCampaign`: a promise of its JSON, or of null if the
/// server did not answer in `SERVER_WAIT_MS`), taken once. Without it the
/// request would wait for the app's wasm to download and start, then for
/// the database to be created: round trips a first screen waits for on
/// slow mobile data.
fn take_first_start_request() -> Option<js_sys::Promise> {
    const STARTED_REQUEST: &str = "walkbookFirstCampaign";
    let window = window();
    let request = js_sys::Reflect::get(&window, &STARTED_REQUEST.into()).ok()?.dyn_into().ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &STARTED_REQUEST.into());
    Some(request)
}

/// The JSON `url` answers (parsed by the browser: serde_json in the wasm
/// would be a second deserializer for every type), or `None` if it does
/// not answer in time or answers an error.
async fn fetch_json(url: &str) -> Option<wasm_bindgen::JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(SERVER_WAIT_MS)));
    let response = JsFuture::from(window().fetch_with_str_and_init(url, &init)).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.json().ok()?).await.ok()
}

/// A campaign bundle from a server's JSON, if it is one.
fn read_bundle(json: Option<wasm_bindgen::JsValue>) -> Option<CampaignBundle> {
    serde_wasm_bindgen::from_value(json?)
        .map_err(|error| web_sys::console::warn_1(&format!("the server's campaign is unreadable: {error}").into()))
        .ok()
}
