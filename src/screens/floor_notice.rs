//! "Notice posted on this floor": one tap records it (time and volunteer),
//! one withdraws it with a reason if it was a mistake, and the building's
//! floors still without the notice are listed.

use leptos::prelude::*;
use walkbook_core::record::{floor_notices, RecordKind};
use walkbook_core::territory::Building;

use crate::campaign::use_campaign;
use crate::door_status::short_time;
use crate::i18n::{floor_name, use_i18n, Text};
use crate::screens::{StoreError, Withdraw};
use crate::store::{app_store, idb::IdbError};
use crate::sync::use_sync;

#[component]
pub fn FloorNotice(building: Building, floor: i32) -> impl IntoView {
    let i18n = use_i18n();
    let context = use_campaign();
    let sync = use_sync();
    let building_id = building.id.clone();
    // (floor, time, volunteer, record id) of each floor's latest notice.
    let notices = LocalResource::new({
        let building_id = building_id.clone();
        move || {
            context.content_revision.track();
            let (campaign_id, building_id) = (context.campaign_id(), building_id.clone());
            async move {
                let records = app_store().building_records(&campaign_id, &building_id).await?;
                let records: Vec<_> = records.into_iter().map(|stored| stored.record).collect();
                let notices = floor_notices(&building_id, &records)
                    .into_iter()
                    .map(|(floor, record)| (floor, record.device_time, record.volunteer_id.clone(), record.id.clone()))
                    .collect::<Vec<_>>();
                Ok::<_, IdbError>(notices)
            }
        }
    });
    let loaded = move || notices.get().and_then(Result::ok);
    let posted = move || loaded()?.into_iter().find(|(f, _, _, _)| *f == floor);
    let missing = {
        let floors = building.floors.clone();
        move || {
            let notices = loaded()?;
            Some(floors.iter().copied().filter(|f| !notices.iter().any(|(n, _, _, _)| n == f)).collect::<Vec<_>>())
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
    let withdrawn_in = building_id.clone();
    let post = move |_| {
        let kind = RecordKind::FloorNotice { building_id: building_id.clone(), floor };
        save_record(&building_id, floor, "", kind, None);
    };
    view! {
        <div class="floor-notice">
            {move || match posted() {
                Some((_, at, volunteer, record_id)) => view! {
                    <p class="floor-closed" id="notice-posted">
                        "✓ " {move || i18n.t(Text::NoticePosted)} " · " {short_time(at)} " · " {volunteer_name(&volunteer)}
                    </p>
                    <Withdraw id="withdraw-notice" record_id building_id=withdrawn_in.clone() floor label=Text::Withdraw/>
                }.into_any(),
                None => view! {
                    <button class="button wide" id="post-notice" on:click=post.clone()>
                        "📋 " {move || i18n.t(Text::PostNotice)}
                    </button>
                }.into_any(),
            }}
            {move || missing().map(|floors| if floors.is_empty() {
                view! { <p class="hint" id="notice-missing" data-floors="">{move || i18n.t(Text::NoticeEveryFloor)}</p> }.into_any()
            } else {
                let list = floors.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
                view! {
                    <p class="hint" id="notice-missing" data-floors=list>
                        {move || i18n.t(Text::NoticeMissing)} ": "
                        {move || floors.iter().map(|f| floor_name(i18n.lang.get(), *f)).collect::<Vec<_>>().join(", ")}
                    </p>
                }.into_any()
            })}
            <StoreError result=save_error/>
        </div>
    }
}
