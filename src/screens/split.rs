//! Split points: the parts of the app a volunteer does not need to see the
//! first screen, each cut out of the app's first wasm into a module of its
//! own by the build (`scripts/build-app-wasm.sh`, wasm-split). A split
//! point's module is precached by the service worker like every file of the
//! build, and fetched (from that cache, after the first visit) when it is
//! first shown; the door sheet's as soon as a floor is drawn, so that a tap
//! on a door never waits for it. Home and the floor stay in the main
//! module: they are the first screens of a day's work.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Text};
use crate::screens::{
    about::AboutScreen, checks::ChecksScreen, door::DoorScreen, find::FindScreen, gate::GateScreen, join::JoinScreen,
    revisits::RevisitsScreen, AssignedBuilding,
};

macro_rules! split_points {
    ($($point:ident $(, preload $preload:ident)? => $view:expr;)*) => {
        $(
            #[wasm_split_helpers::wasm_split($point, fallible $(, preload($preload))?)]
            pub fn $point() -> Result<AnyView, NotLoaded> {
                Ok($view.into_any())
            }
        )*
    };
}

split_points! {
    // Made ready by the floor screen, whose next screen it is.
    door_screen, preload preload_door_screen => view! { <AssignedBuilding><DoorScreen/></AssignedBuilding> };
    gate_screen => view! { <GateScreen/> };
    find_screen => view! { <FindScreen/> };
    revisits_screen => view! { <RevisitsScreen/> };
    checks_screen => view! { <ChecksScreen/> };
    join_screen => view! { <JoinScreen/> };
    about_screen => view! { <AboutScreen/> };
}

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
pub fn split_screen(part: impl std::future::Future<Output = Result<AnyView, NotLoaded>> + Send + 'static) -> impl IntoView {
    Suspend::new(async move { part.await.unwrap_or_else(|NotLoaded| view! { <NotOnPhone/> }.into_any()) })
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
