//! The handover package as QR codes, for two phones with nothing else
//! between them: one shows the package's codes in turn (core
//! `handover_codes`), the other reads them with its camera through the
//! browser's `BarcodeDetector`, in any order, until it has them all, then
//! imports the package as it would a file. Showing codes and reading them
//! run in the `handover` split module (`split::shown_codes`,
//! `split::read_codes`); the scan button stays in the main module.

use std::time::Duration;

use leptos::prelude::*;
use walkbook_core::handover_codes::{CodeCollector, CodeRead};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlVideoElement, MediaStream, MediaStreamConstraints, MediaStreamTrack};

use crate::i18n::{use_i18n, Text};
use crate::screens::split::{self, NotLoaded};

/// How long each code is shown: a phone's camera reads a code in a few
/// frames, and one missed comes round again.
const CODE_SHOWN_MS: u64 = 400;
/// How often the camera's picture is searched for a code.
const SCAN_EVERY_MS: i32 = 150;
/// Scanning stops by itself after this long without a new code, so that a
/// camera left on does not drain the battery.
const SCAN_GIVE_UP_MS: f64 = 60_000.0;

/// The codes `codes`, one after another, round and round, until closed.
#[component]
pub fn ShowCodes(codes: Vec<String>, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let total = codes.len();
    let shown = RwSignal::new(0usize);
    if let Ok(timer) = set_interval_with_handle(move || shown.update(|i| *i = (*i + 1) % total), Duration::from_millis(CODE_SHOWN_MS)) {
        on_cleanup(move || timer.clear());
    }
    keep_screen_on_while_shown();
    let picture = Memo::new(move |_| qr_picture(&codes[shown.get()]));
    let caption = move || i18n.t(Text::CodeOf).replace("{i}", &(shown.get() + 1).to_string()).replace("{n}", &total.to_string());
    view! {
        <figure class="handover-codes" id="handover-codes" data-code=move || (shown.get() + 1).to_string() data-codes=total.to_string()>
            {move || picture.get().map(|(side, path)| view! {
                <svg class="qr-code" viewBox=format!("0 0 {side} {side}") role="img" aria-label=caption shape-rendering="crispEdges">
                    <rect width="100%" height="100%" fill="#fff"/>
                    <path d=path fill="#000"/>
                </svg>
            })}
            <figcaption>{caption}</figcaption>
        </figure>
        <button class="button wide" id="hide-codes" on:click=move |_| on_close.run(())>{move || i18n.t(Text::CloseCodes)}</button>
    }
}

/// A QR code of `text` as an SVG path of its dark modules, with the quiet
/// zone of four modules the standard asks for: `(side, path)`.
///
/// Every code is a version 14 at error correction M (what a handover code
/// is sized for: core's `CODE_MAX_BYTES`), in byte mode, with one fixed
/// mask: the crate's search for the best segments and mask would be most of
/// its code in the app, and readers read any mask.
fn qr_picture(text: &str) -> Option<(usize, String)> {
    use qrcode::canvas::{Canvas, MaskPattern};
    use qrcode::{bits::Bits, ec, Color, EcLevel, Version};
    use std::fmt::Write;
    const QUIET: usize = 4;
    let (version, level) = (Version::Normal(14), EcLevel::M);
    let mut bits = Bits::new(version);
    bits.push_byte_data(text.as_bytes()).ok()?;
    bits.push_terminator(level).ok()?;
    let (data, correction) = ec::construct_codewords(&bits.into_bytes(), version, level).ok()?;
    let mut canvas = Canvas::new(version, level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &correction);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let width = version.width() as usize;
    let mut path = String::new();
    for (i, _) in canvas.into_colors().iter().enumerate().filter(|(_, color)| **color == Color::Dark) {
        let _ = write!(path, "M{} {}h1v1h-1z", i % width + QUIET, i / width + QUIET);
    }
    Some((width + 2 * QUIET, path))
}

#[wasm_bindgen]
extern "C" {
    /// The Screen Wake Lock API (`navigator.wakeLock`), where there is one.
    type WakeLock;
    #[wasm_bindgen(method, catch)]
    fn request(this: &WakeLock, kind: &str) -> Result<js_sys::Promise, JsValue>;
    type WakeLockSentinel;
    #[wasm_bindgen(method)]
    fn release(this: &WakeLockSentinel) -> js_sys::Promise;
}

/// Keeps the screen on while the codes are shown: a phone left untouched
/// dims and locks after half a minute or so, and a big package's codes take
/// longer to go round. Where the browser cannot, or will not (a hidden page,
/// a power saver), the codes are shown all the same.
fn keep_screen_on_while_shown() {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    let Some(navigator) = web_sys::window().map(|window| window.navigator()) else { return };
    let Ok(wake_lock) = js_sys::Reflect::get(&navigator, &JsValue::from_str("wakeLock")) else { return };
    if wake_lock.is_undefined() {
        return;
    }
    let Ok(requested) = wake_lock.unchecked_into::<WakeLock>().request("screen") else { return };
    let held = Rc::new(RefCell::new(None::<WakeLockSentinel>));
    let closed = Rc::new(Cell::new(false));
    let (held_now, closed_now) = (held.clone(), closed.clone());
    leptos::task::spawn_local(async move {
        let Ok(sentinel) = JsFuture::from(requested).await else { return };
        let sentinel = sentinel.unchecked_into::<WakeLockSentinel>();
        // Closed before the lock came: let it go at once.
        if closed_now.get() {
            let _ = sentinel.release();
        } else {
            *held_now.borrow_mut() = Some(sentinel);
        }
    });
    let on_close = send_wrapper::SendWrapper::new((held, closed));
    on_cleanup(move || {
        let (held, closed) = on_close.take();
        closed.set(true);
        let sentinel = held.borrow_mut().take();
        if let Some(sentinel) = sentinel {
            let _ = sentinel.release();
        }
    });
}

#[wasm_bindgen]
extern "C" {
    /// The Barcode Detection API (Chrome on Android, Safari): not in
    /// web-sys's stable set, and absent from some browsers (the constructor
    /// then throws).
    type BarcodeDetector;
    #[wasm_bindgen(constructor, catch)]
    fn new(options: &JsValue) -> Result<BarcodeDetector, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn detect(this: &BarcodeDetector, source: &HtmlVideoElement) -> Result<js_sys::Promise, JsValue>;
}

/// Whether this browser can read codes from the camera.
fn can_read_codes() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("BarcodeDetector")).unwrap_or(false)
}

/// "Scan codes from another phone", where the browser can; `on_package`
/// gets the package's text once every code is read.
#[component]
pub fn ScanCodes(on_package: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let scanning = RwSignal::new(false);
    let progress = RwSignal::new((0usize, 0usize));
    let problem = RwSignal::new(None::<Text>);
    let camera = NodeRef::<leptos::html::Video>::new();
    let start = move |_| {
        let Some(video) = camera.get_untracked() else { return };
        problem.set(None);
        progress.set((0, 0));
        scanning.set(true);
        leptos::task::spawn_local(async move {
            let result = match split::read_codes(video, scanning, progress).await {
                Ok(reading) => reading.await,
                Err(NotLoaded) => Err(Text::PartNotLoaded),
            };
            // The screen may have gone meanwhile (its signals with it).
            if scanning.try_set(false).is_some() {
                return;
            }
            match result {
                Ok(Some(package)) => on_package.run(package),
                Ok(None) => {}
                Err(text) => problem.set(Some(text)),
            }
        });
    };
    let status = move || {
        let (have, total) = progress.get();
        if total == 0 {
            i18n.t(Text::ScanAim).to_string()
        } else {
            i18n.t(Text::ScanProgress).replace("{have}", &have.to_string()).replace("{n}", &total.to_string())
        }
    };
    can_read_codes().then(|| {
        view! {
            <Show when=move || !scanning.get()>
                <button class="button wide" id="scan-codes" on:click=start>"⌾ " {move || i18n.t(Text::ScanCodes)}</button>
            </Show>
            <div class="code-camera" hidden=move || !scanning.get()>
                <video id="code-camera" node_ref=camera muted=true playsinline=true></video>
                <p class="hint" id="scan-progress" role="status" data-have=move || progress.get().0.to_string()
                    data-codes=move || progress.get().1.to_string()>{status}</p>
                <button class="button wide" id="stop-scan" on:click=move |_| scanning.set(false)>{move || i18n.t(Text::StopScan)}</button>
            </div>
            {move || problem.get().map(|text| view! { <p class="error" id="scan-problem" role="alert">{i18n.t(text)}</p> })}
        }
    })
}

/// Reads codes from the back camera into `video` while `scanning` holds:
/// the package once whole, `None` when stopped, or what went wrong. The
/// camera is off again when this returns.
pub(crate) async fn read_codes(
    video: &HtmlVideoElement,
    scanning: RwSignal<bool>,
    progress: RwSignal<(usize, usize)>,
) -> Result<Option<String>, Text> {
    let options = js_sys::JSON::parse(r#"{"formats":["qr_code"]}"#).unwrap_or(JsValue::UNDEFINED);
    let detector = BarcodeDetector::new(&options).map_err(|_| Text::CameraUnavailable)?;
    let stream = open_back_camera().await.ok_or(Text::CameraUnavailable)?;
    video.set_src_object(Some(&stream));
    // Not awaited: a play that never starts must not keep the camera on
    // past "Stop scanning" (the loop below ends it); codes are simply not
    // seen until frames come.
    let _ = video.play();
    let mut collector = CodeCollector::default();
    let mut last_new = js_sys::Date::now();
    let outcome = loop {
        if !scanning.try_get_untracked().unwrap_or(false) {
            break Ok(None);
        }
        if js_sys::Date::now() - last_new > SCAN_GIVE_UP_MS {
            break Err(Text::ScanGaveUp);
        }
        for code in codes_in_view(&detector, video).await {
            if let CodeRead::Added { have, total } = collector.read(&code) {
                last_new = js_sys::Date::now();
                progress.try_set((have, total));
            }
        }
        if let Some(package) = collector.package() {
            break Ok(Some(package));
        }
        let (have, total) = collector.progress();
        if total > 0 && have == total {
            // Every part read, yet they do not add up (a misread part): read again.
            collector = CodeCollector::default();
        }
        crate::pause(SCAN_EVERY_MS).await;
    };
    video.set_src_object(None);
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
            track.stop();
        }
    }
    outcome
}

async fn open_back_camera() -> Option<MediaStream> {
    let devices = web_sys::window()?.navigator().media_devices().ok()?;
    let constraints = MediaStreamConstraints::new();
    constraints.set_video(&js_sys::JSON::parse(r#"{"facingMode":"environment"}"#).ok()?);
    let request = devices.get_user_media_with_constraints(&constraints).ok()?;
    JsFuture::from(request).await.ok()?.dyn_into().ok()
}

/// The texts of the codes the camera sees now (none while it starts).
async fn codes_in_view(detector: &BarcodeDetector, video: &HtmlVideoElement) -> Vec<String> {
    let Ok(detecting) = detector.detect(video) else { return Vec::new() };
    let Ok(found) = JsFuture::from(detecting).await else { return Vec::new() };
    js_sys::Array::from(&found)
        .iter()
        .filter_map(|barcode| js_sys::Reflect::get(&barcode, &JsValue::from_str("rawValue")).ok()?.as_string())
        .collect()
}
