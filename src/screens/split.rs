//! Split points: the parts of the app a volunteer does not need to see the
//! first screen, each cut out of the app's first wasm into a module of its
//! own by the build (`scripts/build-app-wasm.sh`, wasm-split). A split
//! point's module is precached by the service worker like every file of the
//! build, and fetched (from that cache, after the first visit) when it is
//! first shown; a floor's once home is drawn and the service worker ready,
//! the door sheet's as soon as a floor is drawn, so that a tap on a
//! building or a door does not wait for it; on a start straight onto a
//! floor or a door, that screen's at once (`app::preload_start_screen`).
//! Only home stays in the main module: the first screen, which every start
//! waits for (its largest paint follows the main module's download).
//!
//! The handover's work (making a signed package, checking and importing
//! one, drawing its codes, reading codes with the camera) is a module of
//! its own too, `handover`, fetched at its first use; its buttons stay in
//! the main module, on home's sync card, so that the card never grows
//! after it is drawn.
//!
//! So is the sync's work (pushing the outbox, pulling, storing what came),
//! `sync`: fetched at the first sync of a phone that joined a campaign; the
//! client deciding when to sync, and what the volunteer sees of it, stay in
//! the main module.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use walkbook_core::handover::HandoverProblem;

use crate::i18n::{use_i18n, Text};
use crate::screens::{
    about::AboutScreen, checks::ChecksScreen, door::DoorScreen, find::FindScreen, floor::FloorScreen, gate::GateScreen, handover,
    handover_codes, join::JoinScreen, revisits::RevisitsScreen, AssignedBuilding,
};
use crate::store::{idb::IdbError, Imported, Joined, SyncMeta};
use crate::sync::{StoreChanges, SyncClient, SyncFailure};

/// A split point: with the `split` feature (the shipped app,
/// `scripts/build-app-wasm.sh`), a function whose code wasm-split cuts out
/// into `$module`, loaded at its first call (or by `$preload`); without it,
/// a plain call. The console links some of the app's screens and the wasm
/// tests link all of them: neither is split, and a split point's loader
/// there would be an import nothing provides.
macro_rules! split_point {
    ($module:ident $(, preload $preload:ident)? => $(#[$doc:meta])* pub fn $name:ident($($arg:ident: $ty:ty),*) -> $out:ty $body:block) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($module, fallible $(, preload($preload))?)]
        pub fn $name($($arg: $ty),*) -> $out $body

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name($($arg: $ty),*) -> $out $body

        $(
            #[cfg(not(feature = "split"))]
            pub async fn $preload() -> Result<(), wasm_split_helpers::SplitLoaderError> {
                Ok(())
            }
        )?
    };
}

/// Screens, each a split point of its own.
macro_rules! split_screens {
    ($($point:ident $(, preload $preload:ident)? => $view:expr;)*) => {
        $(
            split_point!($point $(, preload $preload)? => pub fn $point() -> Result<AnyView, NotLoaded> {
                Ok($view.into_any())
            });
        )*
    };
}

split_screens! {
    // Made ready by home, whose next screen it is.
    floor_screen, preload preload_floor_screen => view! { <AssignedBuilding><FloorScreen/></AssignedBuilding> };
    // Made ready by the floor screen, whose next screen it is.
    door_screen, preload preload_door_screen => view! { <AssignedBuilding><DoorScreen/></AssignedBuilding> };
    gate_screen => view! { <GateScreen/> };
    find_screen => view! { <FindScreen/> };
    revisits_screen => view! { <RevisitsScreen/> };
    checks_screen => view! { <ChecksScreen/> };
    join_screen => view! { <JoinScreen/> };
    about_screen => view! { <AboutScreen/> };
}

/// Work started in a split point's module, awaited by its caller.
pub type SplitTask<T> = Pin<Box<dyn Future<Output = T>>>;

split_point!(handover =>
    /// This phone's unsent records of `campaign_id` as a signed package: its JSON.
    pub fn package_of_unsent(campaign_id: String) -> Result<SplitTask<Result<String, IdbError>>, NotLoaded> {
        Ok(Box::pin(async move { handover::package_of_unsent(&campaign_id).await }))
    }
);

split_point!(handover =>
    /// The same package as the texts of its QR codes, or `None` when it is
    /// too big for codes.
    pub fn codes_of_unsent(campaign_id: String) -> Result<SplitTask<Result<Option<Vec<String>>, IdbError>>, NotLoaded> {
        Ok(Box::pin(async move {
            let json = handover::package_of_unsent(&campaign_id).await?;
            Ok(walkbook_core::handover_codes::handover_codes(&json))
        }))
    }
);

split_point!(handover =>
    /// Checks the package in `text` and keeps its records (`handover::import_package`).
    pub fn import_package(
        text: String,
        campaign_id: String
    ) -> Result<SplitTask<Result<Result<Imported, HandoverProblem>, IdbError>>, NotLoaded> {
        Ok(Box::pin(async move { handover::import_package(&text, &campaign_id).await }))
    }
);

split_point!(handover =>
    /// The codes shown in turn until closed (`handover_codes::ShowCodes`).
    pub fn shown_codes(codes: Vec<String>, on_close: Callback<()>) -> Result<AnyView, NotLoaded> {
        Ok(view! { <handover_codes::ShowCodes codes on_close/> }.into_any())
    }
);

split_point!(handover =>
    /// Reads codes with the camera into `video` (`handover_codes::read_codes`).
    pub fn read_codes(
        video: web_sys::HtmlVideoElement,
        scanning: RwSignal<bool>,
        progress: RwSignal<(usize, usize)>
    ) -> Result<SplitTask<Result<Option<String>, Text>>, NotLoaded> {
        Ok(Box::pin(async move { handover_codes::read_codes(&video, scanning, progress).await }))
    }
);

split_point!(sync =>
    /// One sync of the campaign the phone joined (`SyncClient::sync_joined`).
    pub fn sync_joined(
        client: SyncClient,
        meta: SyncMeta,
        joined: Joined,
        changes: Rc<StoreChanges>
    ) -> Result<SplitTask<Result<(), SyncFailure>>, NotLoaded> {
        Ok(Box::pin(async move { client.sync_joined(meta, joined, &changes).await }))
    }
);

/// A split point's module could not be fetched (offline before the service
/// worker had the build, or the server gone mid-update).
#[derive(Debug, Clone, Copy)]
pub struct NotLoaded;

impl From<wasm_split_helpers::SplitLoaderError> for NotLoaded {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        NotLoaded
    }
}

/// A split point's view, drawn once its module is loaded (at once if it is).
/// Inside a `Suspense` of its own: a bare `Suspend` leaving the page while
/// the next screen's `Suspend` was pending read a disposed signal (find,
/// then a door, then any split screen: a panic, the app stopped).
pub fn split_screen(part: impl std::future::Future<Output = Result<AnyView, NotLoaded>> + Send + 'static) -> impl IntoView {
    view! {
        <Suspense>{Suspend::new(async move { part.await.unwrap_or_else(|NotLoaded| view! { <NotOnPhone/> }.into_any()) })}</Suspense>
    }
}

#[component]
fn NotOnPhone() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <p class="error" role="alert" id="screen-not-loaded">{move || i18n.t(Text::ScreenNotLoaded)}</p>
            <a class="button" href="/">{move || i18n.t(Text::NavHome)}</a>
        </section>
    }
}
