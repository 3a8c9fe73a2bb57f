//! Needs of households in quarantine still open or in progress, the longest
//! waiting first: what, for whom, where, since when; and `needs.csv`.

use leptos::prelude::*;
use walkbook_core::console::NeedView;

use crate::campaign::use_console;
use crate::home::HttpProblem;
use crate::text::ConsoleText;
use walkbook_app::door_status::short_time;
use walkbook_app::http::get_json;
use walkbook_app::i18n::{use_i18n, Text};
use walkbook_app::screens::needs::{need_text, status_text};

#[component]
pub fn NeedsSection() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let needs = LocalResource::new(move || {
        console.refresh.track();
        let url = console.api("/needs");
        async move { get_json::<Vec<NeedView>>(&url).await }
    });
    let now = move || js_sys::Date::now() as i64;
    view! {
        <section class="card" id="console-needs">
            <h2>{move || i18n.t(Text::Needs)}</h2>
            <HttpProblem error=Signal::derive(move || needs.get().and_then(Result::err))/>
            {move || needs.get().and_then(Result::ok).map(|needs| {
                let pending: Vec<NeedView> = needs.into_iter().filter(|need| need.status.is_pending()).collect();
                if pending.is_empty() {
                    return view! { <p class="hint" id="no-open-needs">{move || i18n.t(ConsoleText::NoOpenNeeds)}</p> }.into_any();
                }
                view! {
                    <ul class="link-list" id="need-list">
                        {pending.into_iter().map(|need| {
                            let hours = (now() - need.raised_at).max(0) / 3_600_000;
                            let who = need.person_name.clone().map(|name| format!(" · {name}")).unwrap_or_default();
                            view! {
                                <li class="alert-item" data-need=need.need_id.clone() data-status=need.status.code() data-door=need.door_id.clone()>
                                    <strong>{move || i18n.t(need_text(need.kind))} " · " {need.door_label.clone()} {who}</strong>
                                    <span class="muted">
                                        {move || i18n.t(status_text(need.status))} " · " {short_time(need.raised_at)} " · "
                                        {move || format!("{hours} {}", i18n.t(ConsoleText::HoursWaiting))}
                                        {(!need.details.is_empty()).then(|| format!(" · {}", need.details))}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
            <a class="button" id="export-needs" href=move || console.api("/exports/needs.csv") download>"⤓ needs.csv"</a>
        </section>
    }
}
