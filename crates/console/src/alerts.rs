//! Alerts: fever readings and red codes (at doors and at the gates),
//! overdue checks, missed weekly looks and phones' data at risk, each with
//! door, person and time; "mark handled" records who and when.

use leptos::prelude::*;
use walkbook_core::console::AlertView;

use crate::campaign::use_console;
use crate::home::HttpProblem;
use crate::text::ConsoleText;
use walkbook_app::door_status::short_time;
use walkbook_app::http::{get_json, send, HttpError};
use walkbook_app::i18n::{use_i18n, Text};

#[component]
pub fn AlertsSection() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let alerts = LocalResource::new(move || {
        console.refresh.track();
        let url = console.api("/alerts");
        async move { get_json::<Vec<AlertView>>(&url).await }
    });
    let action_error = RwSignal::new(None::<HttpError>);
    let handle = move |alert_id: String| {
        let url = console.api(&format!("/alerts/{alert_id}/handled"));
        leptos::task::spawn_local(async move {
            match send::<Vec<AlertView>>("POST", &url, "application/json", String::new()).await {
                Ok(_) => console.changed(),
                Err(error) => action_error.set(Some(error)),
            }
        });
    };
    view! {
        <section class="card" id="console-alerts">
            <h2>{move || i18n.t(ConsoleText::Alerts)}</h2>
            <HttpProblem error=Signal::derive(move || alerts.get().and_then(Result::err))/>
            <HttpProblem error=action_error/>
            {move || alerts.get().and_then(Result::ok).map(|alerts| {
                if alerts.is_empty() {
                    return view! { <p class="hint">{move || i18n.t(ConsoleText::NoAlerts)}</p> }.into_any();
                }
                view! {
                    <ul class="link-list" id="alert-list">
                        {alerts.into_iter().map(|alert| {
                            let kind = alert.kind.clone();
                            let kind_label = move || match kind.as_str() {
                                "fever" => i18n.t(Text::Fever),
                                "red_code" => i18n.t(Text::RedCode),
                                "data_at_risk" => i18n.t(ConsoleText::DataAtRisk),
                                "weekly_check_missed" => i18n.t(ConsoleText::WeeklyCheckMissed),
                                _ => i18n.t(Text::CheckOverdue),
                            };
                            let door = alert.door.as_ref().map(|d| d.label.clone()).unwrap_or_default();
                            let handled = alert.handled_by.clone().map(|by| format!("{by} · {}", alert.handled_at.map(short_time).unwrap_or_default()));
                            let id = alert.id.clone();
                            let is_handled = handled.is_some().to_string();
                            view! {
                                <li class="alert-item" data-kind=alert.kind.clone() data-handled=is_handled>
                                    <strong>{kind_label} " · " {alert.person_name.clone()} " · " {door}</strong>
                                    <span class="muted">{alert.detail.clone()} " · " {short_time(alert.at)}</span>
                                    {match handled {
                                        Some(handled) => view! {
                                            <span class="floor-closed">"✓ " {move || i18n.t(ConsoleText::HandledBy)} " " {handled.clone()}</span>
                                        }.into_any(),
                                        None => view! {
                                            <button class="button" data-action="handle" on:click=move |_| handle(id.clone())>
                                                {move || i18n.t(ConsoleText::MarkHandled)}
                                            </button>
                                        }.into_any(),
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}
