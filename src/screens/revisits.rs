//! Doors to visit again (not home, come back), soonest due first.

use leptos::prelude::*;
use walkbook_core::record::Outcome;
use walkbook_core::territory::Door;

use crate::campaign::use_campaign;
use crate::door_status::{short_time, statuses_by_door};
use crate::i18n::{outcome_text, use_i18n, Text};
use crate::screens::{DoorLink, StoreError};
use crate::store::{app_store, idb::IdbError};

#[derive(Clone, PartialEq)]
struct Revisit {
    door: Door,
    outcome: Outcome,
}

#[component]
pub fn RevisitsScreen() -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let campaign_id = move || context.campaign_id();
    let revisits = LocalResource::new(move || {
        context.content_revision.track();
        let campaign_id = campaign_id();
        async move { load_revisits(&campaign_id).await }
    });
    view! {
        <section class="card">
            <h1>{move || i18n.t(Text::Revisits)}</h1>
            <StoreError result=Signal::derive(move || revisits.get().and_then(|r| r.err()))/>
            {move || revisits.get().and_then(Result::ok).map(|list| {
                if list.is_empty() {
                    return view! { <p class="hint">{move || i18n.t(Text::NoRevisits)}</p> }.into_any();
                }
                view! {
                    <ul class="link-list" id="revisit-list">
                        {list.into_iter().map(|revisit| {
                            let due = match revisit.outcome {
                                Outcome::ComeBack { at } => Some(short_time(at)),
                                _ => None,
                            };
                            let text = outcome_text(&revisit.outcome);
                            view! {
                                <DoorLink door=revisit.door>
                                    <span>"↻ " {move || i18n.t(text)}
                                        {due.clone().map(|due| view! { " · " {move || i18n.t(Text::Due)} " " {due.clone()} })}
                                    </span>
                                </DoorLink>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
    }
}

async fn load_revisits(campaign_id: &str) -> Result<Vec<Revisit>, IdbError> {
    let store = app_store();
    let records = store.campaign_records(campaign_id).await?;
    let mut revisits = Vec::new();
    for (door_id, status) in statuses_by_door(&records) {
        let Some(latest) = status.latest.filter(|r| r.outcome.needs_revisit()) else { continue };
        let Some(door) = store.door(campaign_id, door_id).await? else { continue };
        revisits.push(Revisit { door, outcome: latest.outcome });
    }
    // Appointments first, by time; then not-home doors by label.
    revisits.sort_by(|a, b| match (&a.outcome, &b.outcome) {
        (Outcome::ComeBack { at: x }, Outcome::ComeBack { at: y }) => x.cmp(y),
        (Outcome::ComeBack { .. }, _) => std::cmp::Ordering::Less,
        (_, Outcome::ComeBack { .. }) => std::cmp::Ordering::Greater,
        _ => a.door.label.cmp(&b.door.label),
    });
    Ok(revisits)
}
