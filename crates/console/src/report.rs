//! The daily report: a day's figures at a glance, and the links to the
//! printable page and the JSON the street office's systems can read.

use leptos::prelude::*;
use walkbook_core::dates::LocalTime;
use walkbook_core::report::{figure_labels, DailyReport};

use crate::campaign::use_console;
use crate::home::HttpProblem;
use crate::text::ConsoleText;
use walkbook_app::http::get_json;
use walkbook_app::i18n::use_i18n;

#[component]
pub fn DailyReportSection() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    // Empty until the coordinator picks a day: the campaign's today.
    let picked_date = RwSignal::new(String::new());
    let date = Signal::derive(move || {
        let picked = picked_date.get();
        if !picked.is_empty() {
            return picked;
        }
        let offset = console.bundle.get().map(|bundle| bundle.campaign.settings.utc_offset_minutes).unwrap_or_default();
        LocalTime::at(js_sys::Date::now() as i64, offset).date()
    });
    let url = move |page: &str| console.api(&format!("/reports/{page}?date={}", js_sys::encode_uri_component(&date.get())));
    let report = LocalResource::new(move || {
        console.refresh.track();
        let url = url("daily");
        async move { get_json::<DailyReport>(&url).await }
    });
    let error = Signal::derive(move || report.get().and_then(Result::err));
    view! {
        <section class="card" id="console-daily-report">
            <h2>{move || i18n.t(ConsoleText::DailyReport)}</h2>
            <label class="question-label" for="daily-report-date">{move || i18n.t(ConsoleText::ReportDay)}</label>
            <input id="daily-report-date" class="field" type="date" prop:value=date on:change=move |ev| picked_date.set(event_target_value(&ev))/>
            <HttpProblem error=error/>
            {move || report.get().and_then(Result::ok).map(|report| {
                let labels = figure_labels(i18n.lang.get());
                view! {
                    <dl class="facts" id="daily-report-figures" data-date=report.date.clone() data-day-over=report.day_over.to_string()>
                        {report.totals.named().into_iter().zip(labels).map(|((name, value), label)| view! {
                            <div data-figure=name><dt>{label}</dt><dd>{value}{if name == "coverage_percent" { " %" } else { "" }}</dd></div>
                        }).collect_view()}
                    </dl>
                }
            })}
            <div class="link-list">
                <a class="button" id="daily-report-page" target="_blank" href=move || url("daily.html")>"🖨 " {move || i18n.t(ConsoleText::PrintableReport)}</a>
                <a class="button" id="daily-report-json" target="_blank" href=move || url("daily")>"{ } JSON"</a>
            </div>
        </section>
    }
}
