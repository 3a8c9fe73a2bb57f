//! Find a door by what is written on it.

use leptos::prelude::*;

use crate::campaign::use_campaign;
use crate::i18n::{use_i18n, Text};
use crate::screens::{DoorLink, StoreError};
use crate::store::app_store;

const MAX_RESULTS: u32 = 30;

#[component]
pub fn FindScreen() -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let typed = RwSignal::new(String::new());
    let campaign_id = move || context.campaign_id();
    let matches = LocalResource::new(move || {
        let (campaign_id, typed) = (campaign_id(), typed.get());
        async move {
            if typed.trim().is_empty() {
                return Ok(Vec::new());
            }
            app_store().find_doors(&campaign_id, &typed, MAX_RESULTS).await
        }
    });
    view! {
        <section class="card">
            <h1>{move || i18n.t(Text::FindDoor)}</h1>
            <input id="find-door" class="field" type="search" autocomplete="off"
                placeholder=move || i18n.t(Text::FindPlaceholder)
                on:input=move |ev| typed.set(event_target_value(&ev))/>
            <StoreError result=Signal::derive(move || matches.get().and_then(|r| r.err()))/>
            {move || matches.get().and_then(Result::ok).map(|doors| {
                if doors.is_empty() && !typed.get().trim().is_empty() {
                    return view! { <p class="hint">{move || i18n.t(Text::NoMatches)}</p> }.into_any();
                }
                view! {
                    <ul class="link-list" id="find-results">
                        {doors.into_iter().map(|door| view! { <DoorLink door=door/> }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}
