//! "No household missed": coverage by building and floor, the doors never
//! visited, and the revisits due.

use leptos::prelude::*;
use walkbook_core::console::{CoverageReport, FloorCoverage};
use walkbook_core::labels::Labels;

use crate::campaign::use_console;
use crate::home::HttpProblem;
use crate::text::ConsoleText;
use walkbook_app::http::get_json;
use walkbook_app::i18n::{floor_name, use_i18n, Text};
use walkbook_app::screens::ProgressBar;

/// Doors never visited are listed up to this many (the count is exact).
const NEVER_VISITED_SHOWN: usize = 60;

#[component]
pub fn CoverageSection() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let report = LocalResource::new(move || {
        console.refresh.track();
        let url = console.api("/coverage");
        async move { get_json::<CoverageReport>(&url).await }
    });
    let error = Signal::derive(move || report.get().and_then(Result::err));
    view! {
        <section class="card" id="console-coverage">
            <h2>{move || i18n.t(ConsoleText::Coverage)}</h2>
            <HttpProblem error=error/>
            {move || report.get().and_then(Result::ok).map(|report| {
                let rounds: Vec<(String, Option<Labels>)> = console.bundle.with(|bundle| {
                    let Some(bundle) = bundle else { return Vec::new() };
                    bundle.campaign.notice_rounds().into_iter().map(|(id, label)| (id.to_string(), label.cloned())).collect()
                });
                let total = report.coverage;
                let never = report.never_visited_total as usize;
                view! {
                    <div id="coverage-total" data-final=total.final_ data-visited=total.visited data-doors=total.doors>
                        <ProgressBar coverage=Signal::derive(move || total)/>
                    </div>
                    <ul class="link-list">
                        {report.buildings.into_iter().map(|building| {
                            let rounds = rounds.clone();
                            let coverage = building.coverage;
                            let notices = notice_progress(&rounds, &building.floors);
                            let complete = building.floors.iter().filter(|f| f.complete).count();
                            let closed = building.floors.iter().filter(|f| f.closed_at.is_some()).count();
                            let floors = building.floors.len();
                            view! {
                                <li class="console-building" data-building=building.id.clone() data-floors-closed=closed data-floors-complete=complete>
                                    <strong>{let name = building.name.clone(); move || name.get(i18n.lang.get()).to_string()}</strong>
                                    <ProgressBar coverage=Signal::derive(move || coverage)/>
                                    <p class="muted">
                                        {move || format!("{} {closed} / {floors} · {} {complete} / {floors}", i18n.t(Text::FloorClosed), i18n.t(ConsoleText::FloorsAllFinal))}
                                    </p>
                                    {notices.into_iter().map(|(notice_id, label, missing)| {
                                        let posted = floors - missing.len();
                                        view! {
                                            <p class="muted notice-progress" data-notice=notice_id data-posted=posted>
                                                {move || format!("📋 {} {posted} / {floors}", label.as_ref().map_or(i18n.t(Text::NoticePosted), |l| l.get(i18n.lang.get())))}
                                                {(!missing.is_empty()).then(|| move || format!(" · {}: {}", i18n.t(Text::NoticeMissing),
                                                    missing.iter().map(|f| floor_name(i18n.lang.get(), *f)).collect::<Vec<_>>().join(", ")))}
                                            </p>
                                        }
                                    }).collect_view()}
                                    <a class="button" target="_blank" data-print=building.id.clone()
                                        href=console.api(&format!("/print/buildings/{}", building.id))>
                                        "🖨 " {move || i18n.t(ConsoleText::PaperSheet)}
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h3>{move || format!("{} ({never})", i18n.t(ConsoleText::NeverVisited))}</h3>
                    <p class="muted" id="never-visited" data-count=never>
                        {report.never_visited.iter().take(NEVER_VISITED_SHOWN).map(|door| door.label.clone()).collect::<Vec<_>>().join(", ")}
                        {(never > NEVER_VISITED_SHOWN).then_some(" …")}
                    </p>
                    <h3>{move || format!("{} ({})", i18n.t(Text::Revisits), report.revisits_total)}</h3>
                }
            })}
        </section>
    }
}

/// Each of the campaign's notices (id, name) with the building's floors
/// still without it.
fn notice_progress(rounds: &[(String, Option<Labels>)], floors: &[FloorCoverage]) -> Vec<(String, Option<Labels>, Vec<i32>)> {
    rounds
        .iter()
        .map(|(notice_id, label)| {
            let missing = floors.iter().filter(|f| !f.notices.iter().any(|posted| &posted.notice_id == notice_id)).map(|f| f.floor).collect();
            (notice_id.clone(), label.clone(), missing)
        })
        .collect()
}
