//! The campaign's notices, posted on every floor in rounds (a plain-language
//! sheet, then a letter to residents): the list, and a new one added with
//! its name in each of the campaign's languages. Named notices stay, in
//! their order: records name them.

use std::collections::BTreeMap;

use leptos::prelude::*;
use walkbook_core::campaign::Notice;
use walkbook_core::console::SettingsUpdate;
use walkbook_core::labels::Labels;
use walkbook_core::lang::Lang;

use crate::campaign::use_console;
use crate::text::ConsoleText;
use walkbook_app::i18n::use_i18n;

#[component]
pub fn NoticesSetting(save: impl Fn(SettingsUpdate) + Copy + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let notices = move || console.bundle.get().map(|bundle| bundle.campaign.notices).unwrap_or_default();
    let languages = move || console.bundle.get().map(|bundle| bundle.campaign.languages).unwrap_or_default();
    let new_id = RwSignal::new(String::new());
    let new_names = RwSignal::new(BTreeMap::<Lang, String>::new());
    let add = move |_| {
        let mut all = notices();
        let label = Labels(new_names.get_untracked().into_iter().map(|(lang, name)| (lang, name.trim().to_string())).collect());
        all.push(Notice { id: new_id.get_untracked().trim().to_string(), label });
        save(SettingsUpdate { notices: Some(all), ..Default::default() });
    };
    view! {
        <p class="question-label">{move || i18n.t(ConsoleText::Notices)}</p>
        <p class="hint">{move || i18n.t(ConsoleText::NoticesHelp)}</p>
        <ul class="link-list" id="notice-list">
            {move || notices().into_iter().map(|Notice { id, label }| {
                let shown_id = id.clone();
                let text = move || format!("📋 {} ({shown_id})", label.get(i18n.lang.get()));
                view! { <li data-notice=id.clone()>{text}</li> }
            }).collect_view()}
        </ul>
        <label class="question-label" for="new-notice-id">{move || i18n.t(ConsoleText::NoticeId)}</label>
        <input id="new-notice-id" class="field" on:input=move |ev| new_id.set(event_target_value(&ev))/>
        {move || languages().into_iter().map(|lang| view! {
            <label class="question-label" for=format!("new-notice-{}", lang.tag())>{move || i18n.t(ConsoleText::NoticeName)} " · " {lang.endonym()}</label>
            <input id=format!("new-notice-{}", lang.tag()) class="field" lang=lang.tag()
                on:input=move |ev| new_names.update(|names| { names.insert(lang, event_target_value(&ev)); })/>
        }).collect_view()}
        <button class="button wide" id="add-notice" on:click=add>{move || i18n.t(ConsoleText::AddNotice)}</button>
    }
}
