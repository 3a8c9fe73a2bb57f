//! "Notice posted on this floor", for each of the campaign's notices (posted
//! in rounds: a plain-language sheet, then a letter): one tap records it
//! (time and volunteer), one withdraws it with a reason if it was a mistake,
//! and the building's floors still without it are listed.

use leptos::prelude::*;
use walkbook_core::labels::Labels;
use walkbook_core::record::{floor_notices, RecordKind};
use walkbook_core::territory::Building;

use crate::campaign::use_campaign;
use crate::door_status::short_time;
use crate::i18n::{floor_name, use_i18n, Text};
use crate::screens::{StoreError, Withdraw};
use crate::store::{app_store, idb::IdbError};
use crate::sync::use_sync;

/// A notice posted on a floor of the building: (notice id, floor, time,
/// volunteer, record id).
type Posted = (String, i32, i64, String, String);

/// Made once per building: stepping to another floor changes `floor` and
/// redraws only what is said of it (the building's records are not re-read).
#[component]
pub fn FloorNotice(building: Building, floor: Signal<i32>) -> impl IntoView {
    let context = use_campaign();
    // The campaign's notices: (id, its name; none for a campaign's one unnamed notice).
    let rounds = move || -> Vec<(String, Option<Labels>)> {
        context.campaign.with(|campaign| {
            let Some(campaign) = campaign else { return Vec::new() };
            campaign.notice_rounds().into_iter().map(|(id, label)| (id.to_string(), label.cloned())).collect()
        })
    };
    let posted = LocalResource::new({
        let building_id = building.id.clone();
        move || {
            context.content_revision.track();
            let rounds = rounds();
            let (campaign_id, building_id) = (context.campaign_id(), building_id.clone());
            async move {
                let records = app_store().building_records(&campaign_id, &building_id).await?;
                let records: Vec<_> = records.into_iter().map(|stored| stored.record).collect();
                let first = rounds.first().map(|(id, _)| id.as_str()).unwrap_or_default();
                let mut posted = Vec::new();
                for (notice, _) in &rounds {
                    posted.extend(floor_notices(&building_id, notice, first, &records).into_iter().map(|(floor, record)| {
                        (notice.clone(), floor, record.device_time, record.volunteer_id.clone(), record.id.clone())
                    }));
                }
                Ok::<_, IdbError>(posted)
            }
        }
    });
    let posted = Signal::derive(move || posted.get().and_then(Result::ok));
    view! {
        <div class="floor-notice">
            {move || rounds().into_iter().map(|(notice_id, label)| view! {
                <NoticeRound building=building.clone() floor notice_id label posted/>
            }).collect_view()}
        </div>
    }
}

/// One notice on this floor: posted (when, by whom; withdraw) or the button
/// to post it, and the building's floors still without it.
#[component]
fn NoticeRound(building: Building, floor: Signal<i32>, notice_id: String, label: Option<Labels>, posted: Signal<Option<Vec<Posted>>>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let of_this_notice = {
        let notice_id = notice_id.clone();
        move || posted.get().map(|all| all.into_iter().filter(|(notice, ..)| *notice == notice_id).collect::<Vec<_>>())
    };
    let here = Signal::derive({
        let of_this_notice = of_this_notice.clone();
        move || of_this_notice()?.into_iter().find(|(_, f, ..)| *f == floor.get())
    });
    let missing = {
        let floors = building.floors.clone();
        move || {
            let posted = of_this_notice()?;
            Some(floors.iter().copied().filter(|f| !posted.iter().any(|(_, n, ..)| n == f)).collect::<Vec<_>>())
        }
    };
    let volunteer_name = move |volunteer_id: &str| {
        sync.view.with(|v| match &v.meta.joined {
            Some(joined) if joined.volunteer_id == volunteer_id => joined.volunteer_name.clone(),
            _ => volunteer_id.to_string(),
        })
    };
    let save_error = RwSignal::new(None::<IdbError>);
    let save_record = crate::screens::event_saver(save_error);
    let building_id = building.id;
    let withdrawn_in = building_id.clone();
    let withdraw_id = if notice_id.is_empty() { "withdraw-notice".to_string() } else { format!("withdraw-notice-{notice_id}") };
    let post = {
        let notice_id = notice_id.clone();
        move |_| {
            let floor = floor.get_untracked();
            let kind = RecordKind::FloorNotice { building_id: building_id.clone(), floor, notice_id: notice_id.clone() };
            save_record(&building_id, floor, "", kind, None);
        }
    };
    view! {
        <div class="notice-round" data-notice=notice_id.clone() data-posted=move || here.with(Option::is_some).to_string()>
            {label.map(|label| view! { <p class="notice-name">"📋 " {move || label.get(i18n.lang.get()).to_string()}</p> })}
            {move || match here.get() {
                Some((_, floor, at, volunteer, record_id)) => view! {
                    <p class="floor-closed notice-posted">
                        "✓ " {move || i18n.t(Text::NoticePosted)} " · " {short_time(at)} " · " {volunteer_name(&volunteer)}
                    </p>
                    <Withdraw id=withdraw_id.clone() record_id building_id=withdrawn_in.clone() floor label=Text::Withdraw/>
                }.into_any(),
                None => view! {
                    <button class="button wide post-notice" on:click=post.clone()>
                        "📋 " {move || i18n.t(Text::PostNotice)}
                    </button>
                }.into_any(),
            }}
            {move || missing().map(|floors| if floors.is_empty() {
                view! { <p class="hint notice-missing" data-floors="">{move || i18n.t(Text::NoticeEveryFloor)}</p> }.into_any()
            } else {
                let list = floors.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
                view! {
                    <p class="hint notice-missing" data-floors=list>
                        {move || i18n.t(Text::NoticeMissing)} ": "
                        {move || floors.iter().map(|f| floor_name(i18n.lang.get(), *f)).collect::<Vec<_>>().join(", ")}
                    </p>
                }.into_any()
            })}
            <StoreError result=save_error/>
        </div>
    }
}
