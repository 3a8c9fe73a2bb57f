//! Handing unsent records over to another phone, offline: "Hand over unsent
//! records" saves this phone's unsent records as a signed package (a file
//! to send by any means: Bluetooth, a cable, a message later), or shows it
//! as QR codes for another phone's camera; "Import records from another
//! phone" (a file, or the codes scanned) checks a package (whole, this
//! campaign's, every signature its maker's) and keeps its records as
//! relayed, to be sent with this phone's own. Nothing of a package that
//! fails a check is kept.

use std::future::Future;

use leptos::prelude::*;
use walkbook_core::handover::{HandoverPackage, HandoverProblem, HANDOVER_FORMAT};
use walkbook_core::sync::{canonical_bytes, RelayedRecord};
use wasm_bindgen_futures::JsFuture;

use crate::campaign::use_campaign;
use crate::i18n::{use_i18n, Text};
use crate::screens::handover_codes::ScanCodes;
use crate::screens::split::{self, split_screen, NotLoaded, SplitTask};
use crate::screens::StoreError;
use crate::store::idb::{self, IdbError};
use crate::store::keys::Verifier;
use crate::store::{app_store, Imported};
use crate::sync::use_sync;

/// The two buttons; `has_unsent`: whether there is anything to hand over.
/// What they do runs in the `handover` split point's module.
#[component]
pub fn Handover(#[prop(into)] has_unsent: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let sync = use_sync();
    let failure = RwSignal::new(None::<ActionFailure>);
    let outcome = RwSignal::new(None::<Result<Imported, HandoverProblem>>);
    let shown_codes = RwSignal::new(None::<Vec<String>>);
    let too_many_for_codes = RwSignal::new(false);
    let hand_over = move |_| {
        run_action(split::package_of_unsent(context.campaign_id()), failure, |json| {
            let name = format!("walkbook-handover-{}.json", crate::door_status::local_today());
            let _ = crate::pwa::save_file(&name, "application/json", &json);
        })
    };
    let import_text = Callback::new(move |text: String| {
        run_action(split::import_package(text, context.campaign_id()), failure, move |result| {
            if result.as_ref().is_ok_and(|imported| imported.added > 0) {
                context.changed();
                sync.after_save();
            }
            outcome.set(Some(result));
        })
    });
    let import_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        leptos::task::spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|text| text.as_string()).unwrap_or_default();
            import_text.run(text);
        });
        input.set_value("");
    };
    let show_codes = move |_| {
        run_action(split::codes_of_unsent(context.campaign_id()), failure, move |codes| {
            too_many_for_codes.set(codes.is_none());
            shown_codes.set(codes);
        })
    };
    let message = move || {
        outcome.get().map(|result| {
            let (class, text) = match result {
                Ok(Imported { added: 0, .. }) => ("hint", i18n.t(Text::HandoverNothingNew).to_string()),
                Ok(Imported { added, .. }) => ("notice", i18n.t(Text::HandoverImported).replace("{n}", &added.to_string())),
                Err(problem) => ("error", i18n.t(problem_text(&problem)).to_string()),
            };
            view! { <p class=class id="handover-result" role="status">{text}</p> }
        })
    };
    let store_error = Signal::derive(move || match failure.get() {
        Some(ActionFailure::Store(error)) => Some(error),
        _ => None,
    });
    view! {
        <Show when=move || has_unsent.get()>
            <button class="button wide" id="export-unsent" on:click=hand_over>"⤓ " {move || i18n.t(Text::HandOverUnsent)}</button>
            {move || match shown_codes.get() {
                Some(codes) => split_screen(split::shown_codes(codes, Callback::new(move |()| shown_codes.set(None)))).into_any(),
                None => view! { <button class="button wide" id="show-codes" on:click=show_codes>{move || i18n.t(Text::ShowCodes)}</button> }.into_any(),
            }}
            <Show when=move || too_many_for_codes.get()>
                <p class="error" id="too-many-for-codes" role="alert">{move || i18n.t(Text::TooManyForCodes)}</p>
            </Show>
        </Show>
        <label class="button wide" for="import-handover">"⤒ " {move || i18n.t(Text::ImportHandover)}</label>
        <input type="file" id="import-handover" class="visually-hidden" accept=".json,application/json" on:change=import_file/>
        <ScanCodes on_package=import_text/>
        {message}
        <StoreError result=store_error/>
        <Show when=move || matches!(failure.get(), Some(ActionFailure::NotLoaded))>
            <p class="error" id="handover-not-loaded" role="alert">{move || i18n.t(Text::PartNotLoaded)}</p>
        </Show>
    }
}

/// Why a handover action did nothing.
#[derive(Debug, Clone)]
enum ActionFailure {
    Store(IdbError),
    /// The `handover` module could not be fetched.
    NotLoaded,
}

/// Awaits a handover action (`split`'s, in its own module) and gives what
/// it made to `use_result`; a failure goes to `failure`, which a success clears.
fn run_action<T: 'static>(
    action: impl Future<Output = Result<SplitTask<Result<T, IdbError>>, NotLoaded>> + 'static,
    failure: RwSignal<Option<ActionFailure>>,
    use_result: impl FnOnce(T) + 'static,
) {
    leptos::task::spawn_local(async move {
        let result = match action.await {
            Ok(task) => task.await.map_err(ActionFailure::Store),
            Err(NotLoaded) => Err(ActionFailure::NotLoaded),
        };
        match result {
            Ok(made) => {
                failure.set(None);
                use_result(made);
            }
            Err(why) => failure.set(Some(why)),
        }
    });
}

fn problem_text(problem: &HandoverProblem) -> Text {
    match problem {
        HandoverProblem::NotAPackage | HandoverProblem::TooManyRecords => Text::HandoverNotAPackage,
        HandoverProblem::OtherCampaign(_) => Text::HandoverOtherCampaign,
        HandoverProblem::OwnPackage => Text::HandoverOwnPackage,
        HandoverProblem::MixedRecords | HandoverProblem::Altered => Text::HandoverAltered,
    }
}

/// This phone's unsent records of the campaign, each signed, in a package
/// signed over all of them: its JSON.
pub(crate) async fn package_of_unsent(campaign_id: &str) -> Result<String, IdbError> {
    let store = app_store();
    let (device, key) = (store.device().await?, store.signing_key().await?);
    let mut records = Vec::new();
    for stored in store.unsent_records().await?.into_iter().filter(|stored| stored.record.campaign_id == campaign_id) {
        let signature = key.sign(&canonical_bytes(&stored.record)).await?;
        records.push(RelayedRecord { record: stored.record, signature });
    }
    let mut package = HandoverPackage {
        format: HANDOVER_FORMAT.into(),
        campaign_id: campaign_id.to_string(),
        device_id: device.device_id,
        public_key: key.public_key.clone(),
        made_at: js_sys::Date::now() as i64,
        records,
        signature: String::new(),
    };
    package.signature = key.sign(&package.manifest()).await?;
    let json = js_sys::JSON::stringify(&idb::to_js(&package)?).map_err(IdbError::from_js)?;
    Ok(json.into())
}

/// Checks the package in `text` and keeps its records as relayed: what was
/// imported, or why nothing was.
pub(crate) async fn import_package(text: &str, campaign_id: &str) -> Result<Result<Imported, HandoverProblem>, IdbError> {
    let store = app_store();
    let device = store.device().await?;
    // The browser's JSON parser: a file cut short is not JSON.
    let parsed = js_sys::JSON::parse(text).ok().and_then(|value| idb::from_js::<HandoverPackage>(value).ok());
    let package = match parsed.ok_or(HandoverProblem::NotAPackage).and_then(|package| package.check(campaign_id, &device.device_id)) {
        Ok(package) => package,
        Err(problem) => return Ok(Err(problem)),
    };
    let Some(verifier) = Verifier::of(&package.public_key).await else { return Ok(Err(HandoverProblem::Altered)) };
    if !verifier.signed(&package.signature, &package.manifest()).await {
        return Ok(Err(HandoverProblem::Altered));
    }
    for relayed in &package.records {
        if !verifier.signed(&relayed.signature, &canonical_bytes(&relayed.record)).await {
            return Ok(Err(HandoverProblem::Altered));
        }
    }
    Ok(Ok(store.import_relayed(campaign_id, &package).await?))
}
