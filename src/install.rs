//! Installing Walkbook to the Home Screen. Installed, the app opens without
//! the browser around it and keeps its storage: Safari deletes the storage
//! of a site used in a tab and not visited for seven days, IndexedDB
//! included, but not an installed web app's. So the app says how to install
//! on each platform, and reports whether it is installed with every sync.
//!
//! Chromium offers its own install prompt (`beforeinstallprompt`): it is
//! caught and kept, and offered by the app at a calm moment (after the first
//! saved record, and in About), never as a blocking dialog. iOS and iPadOS
//! Safari have no prompt: a short guide shows the two taps (Share, then
//! "Add to Home Screen"). Other browsers are told where their menu puts it.

use std::cell::RefCell;

use gloo_events::{EventListener, EventListenerOptions};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Set once a record was saved on this phone: the install offer waits for it.
const SAVED_A_RECORD_KEY: &str = "walkbook.saved-a-record";

thread_local! {
    /// Chromium's deferred install prompt (an event: not Send, so kept here).
    static DEFERRED_PROMPT: RefCell<Option<web_sys::Event>> = const { RefCell::new(None) };
}

/// How this phone can install the app, shared through context.
#[derive(Clone, Copy)]
pub struct Install {
    /// Running as an installed app (standalone), not in a browser tab.
    pub installed: RwSignal<bool>,
    /// The browser offered its install prompt and it was not used yet.
    pub prompt_available: RwSignal<bool>,
    /// iPhone or iPad Safari in a tab: installing is Share, then "Add to Home Screen".
    pub ios_safari: bool,
    /// A record was saved on this phone (ever).
    pub saved_a_record: RwSignal<bool>,
    /// "Not now" was tapped on the offer (this visit).
    pub offer_dismissed: RwSignal<bool>,
}

impl Install {
    pub fn note_saved(self) {
        if !self.saved_a_record.get_untracked() {
            if let Ok(Some(storage)) = window().local_storage() {
                let _ = storage.set_item(SAVED_A_RECORD_KEY, "1");
            }
            self.saved_a_record.set(true);
        }
    }

    /// The calm offer: not installed, the browser can prompt, a record was saved, not dismissed.
    pub fn offer_now(self) -> bool {
        !self.installed.get() && self.prompt_available.get() && self.saved_a_record.get() && !self.offer_dismissed.get()
    }

    /// Shows the browser's install prompt (Chromium); the offer goes away either way.
    pub fn prompt(self) {
        let Some(event) = DEFERRED_PROMPT.with(|prompt| prompt.borrow_mut().take()) else { return };
        self.prompt_available.set(false);
        let prompt = js_sys::Reflect::get(&event, &"prompt".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(prompt) = prompt {
            let _ = prompt.call0(&event);
        }
    }
}

pub fn provide_install() -> Install {
    let saved_before = window().local_storage().ok().flatten().and_then(|s| s.get_item(SAVED_A_RECORD_KEY).ok().flatten()).is_some();
    let install = Install {
        installed: RwSignal::new(is_installed()),
        prompt_available: RwSignal::new(false),
        ios_safari: is_ios_safari(),
        saved_a_record: RwSignal::new(saved_before),
        offer_dismissed: RwSignal::new(false),
    };
    provide_context(install);
    // Keep the browser's own mini-bar away: the app offers it when it suits the volunteer.
    let options = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&window(), "beforeinstallprompt", options, move |event| {
        event.prevent_default();
        DEFERRED_PROMPT.with(|prompt| *prompt.borrow_mut() = Some(event.clone()));
        install.prompt_available.set(true);
    })
    .forget();
    EventListener::new(&window(), "appinstalled", move |_| {
        install.prompt_available.set(false);
        install.installed.set(true);
    })
    .forget();
    install
}

pub fn use_install() -> Install {
    expect_context::<Install>()
}

/// Running from the Home Screen: the standalone display mode (Android,
/// desktop, iOS 16.4+), or iOS's own `navigator.standalone`.
pub fn is_installed() -> bool {
    let standalone = ["(display-mode: standalone)", "(display-mode: fullscreen)", "(display-mode: minimal-ui)"]
        .iter()
        .any(|query| window().match_media(query).ok().flatten().is_some_and(|list| list.matches()));
    let ios_standalone = js_sys::Reflect::get(&window().navigator(), &"standalone".into()).ok().and_then(|v| v.as_bool()) == Some(true);
    standalone || ios_standalone
}

/// iPhone, iPod or iPad Safari (iPadOS says "Macintosh" but has touch), not
/// another browser's shell around WebKit (those cannot add to the Home Screen
/// the same way).
fn is_ios_safari() -> bool {
    let navigator = window().navigator();
    let agent = navigator.user_agent().unwrap_or_default();
    let ios = agent.contains("iPhone") || agent.contains("iPad") || agent.contains("iPod");
    let ipad_as_mac = agent.contains("Macintosh") && navigator.max_touch_points() > 1;
    let other_browser = ["CriOS", "FxiOS", "EdgiOS", "OPiOS"].iter().any(|shell| agent.contains(shell));
    (ios || ipad_as_mac) && agent.contains("Safari") && !other_browser
}
