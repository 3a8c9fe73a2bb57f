//! One campaign in the console: every section reads the server's copy and
//! refreshes together (every 10 s, and after any change made here).

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use walkbook_core::campaign::CampaignBundle;

use crate::alerts::AlertsSection;
use crate::coverage::CoverageSection;
use crate::home::HttpProblem;
use crate::needs::NeedsSection;
use crate::records::VoidSection;
use crate::report::DailyReportSection;
use crate::setup::{ExportsSection, SetupSection};
use crate::text::ConsoleText;
use crate::volunteers::VolunteersSection;
use crate::xlsform::XlsFormSection;
use walkbook_app::http::get_json;
use walkbook_app::i18n::use_i18n;

/// What the sections share: the campaign's id and bundle, and a counter
/// every change bumps so that all of them read again.
#[derive(Clone, Copy)]
pub struct ConsoleCampaign {
    pub id: Signal<String>,
    pub bundle: Signal<Option<CampaignBundle>>,
    pub refresh: RwSignal<u32>,
}

impl ConsoleCampaign {
    pub fn api(self, rest: &str) -> String {
        format!("/api/v1/coordinator/campaigns/{}{rest}", self.id.get_untracked())
    }

    pub fn changed(self) {
        self.refresh.update(|n| *n += 1);
    }
}

#[component]
pub fn ConsoleCampaignScreen() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Signal::derive(move || params.read().get("campaign").unwrap_or_default());
    let refresh = RwSignal::new(0u32);
    let bundle_resource = LocalResource::new(move || {
        refresh.track();
        let id = id.get();
        async move { get_json::<CampaignBundle>(&format!("/api/v1/coordinator/campaigns/{id}")).await }
    });
    let bundle = Signal::derive(move || bundle_resource.get().and_then(Result::ok));
    let error = Signal::derive(move || bundle_resource.get().and_then(Result::err));
    let console = ConsoleCampaign { id, bundle, refresh };
    provide_context(console);
    // Coverage moves as phones sync: read again every 10 seconds.
    if let Ok(interval) = set_interval_with_handle(move || refresh.update(|n| *n += 1), Duration::from_secs(10)) {
        on_cleanup(move || interval.clear());
    }
    let title = move || bundle.get().map(|b| b.campaign.name.get(i18n.lang.get()).to_string()).unwrap_or_default();
    view! {
        <section class="card console">
            <a class="back" href="/coordinator">"‹ " {move || i18n.t(ConsoleText::ConsoleTitle)}</a>
            <h1 id="console-campaign-title">{title}</h1>
            <HttpProblem error=error/>
            <button class="button" id="console-refresh" on:click=move |_| console.changed()>"⟳ " {move || i18n.t(ConsoleText::Refresh)}</button>
        </section>
        <CoverageSection/>
        <AlertsSection/>
        <NeedsSection/>
        <VolunteersSection/>
        <SetupSection/>
        <XlsFormSection/>
        <DailyReportSection/>
        <ExportsSection/>
        <VoidSection/>
    }
}

pub fn use_console() -> ConsoleCampaign {
    expect_context::<ConsoleCampaign>()
}
