//! The campaign and its doors as the phone keeps them.

use serde::Serialize;
use walkbook_core::campaign::{Campaign, CampaignBundle};
use walkbook_core::territory::{search_key, Door};
use web_sys::{IdbKeyRange, IdbTransactionMode as Mode};

use super::idb::{self, js, key, Durability, IdbResult};
use super::schema::{CAMPAIGNS, DOORS};
use super::{campaign_range, Store};

/// How long one slice of `save_bundle`'s door writes may hold the main
/// thread: a frame's worth of work, far under the 50 ms that makes a task
/// long (and under it still when a profile slows the CPU four times).
const SLICE_MS: f64 = 8.0;

/// A door as stored: the door plus what its indices need (written only: a
/// door is read as a `Door` from the same object).
#[derive(Debug, Clone, Serialize)]
pub(super) struct StoredDoor {
    pub(super) campaign_id: String,
    pub(super) search_key: String,
    #[serde(flatten)]
    pub(super) door: Door,
}

impl Store {
    pub async fn campaign(&self, campaign_id: &str) -> IdbResult<Option<Campaign>> {
        self.get(CAMPAIGNS, &campaign_id.into()).await
    }

    /// Stores a campaign and its doors in one transaction (a replace: doors
    /// the bundle no longer has are removed with it).
    pub async fn save_bundle(&self, bundle: &CampaignBundle) -> IdbResult<()> {
        self.save_bundle_then(bundle, &|| ()).await
    }

    /// As `save_bundle`, calling `started` once the campaign is written in
    /// the transaction (in its request's callback): from then on, a
    /// transaction reading the campaign or its doors sees them stored
    /// (IndexedDB runs it after this one), so the campaign can be shown
    /// while its doors are written.
    ///
    /// The doors are written in slices of `SLICE_MS` of the main thread
    /// each: a slice ends by waiting for its first door to be stored (the
    /// transaction takes new requests only in a request's callback), so a
    /// tap or a paint gets through between slices while the database is
    /// still busy with the slice's other doors. A district's 100,000 doors
    /// never freeze the screen. Leaving the page ends the write.
    pub async fn save_bundle_then(&self, bundle: &CampaignBundle, started: &dyn Fn()) -> IdbResult<()> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[CAMPAIGNS, DOORS], Mode::Readwrite, Durability::Strict)?;
        // A page left while its doors are written ends the write (the next
        // start stores the campaign again): WebKit keeps a page it put in
        // its back-forward cache with its transaction open, which would
        // hold the campaign's stores from the next page.
        let _end_when_left = web_sys::window().map(|window| {
            let tx = tx.clone();
            gloo_events::EventListener::new(&window, "pagehide", move |_| {
                let _ = tx.abort();
            })
        });
        let campaign_id = bundle.campaign.id.as_str();
        let campaign_stored = js(js(tx.object_store(CAMPAIGNS))?.put(&idb::to_js(&bundle.campaign)?))?;
        // Three tasks, not one, on a slow phone: writing the campaign (this
        // one), then what `started` sets off (drawing it: the put's
        // callback), then the doors (from the delete's callback, issued
        // there so that it is still pending when the drawing runs).
        idb::request(campaign_stored).await?;
        started();
        let doors = js(tx.object_store(DOORS))?;
        let everything_of_campaign = campaign_range(campaign_id)?;
        idb::request(js(doors.delete(&everything_of_campaign))?).await?;
        let clock = web_sys::window().and_then(|window| window.performance());
        let now = || clock.as_ref().map_or(0.0, web_sys::Performance::now);
        let mut slice: Option<(f64, web_sys::IdbRequest)> = None;
        for door in &bundle.doors {
            let stored = StoredDoor { campaign_id: campaign_id.to_string(), search_key: search_key(&door.label), door: door.clone() };
            let request = js(doors.put(&idb::to_js(&stored)?))?;
            let slice_began = slice.get_or_insert_with(|| (now(), request)).0;
            if now() - slice_began >= SLICE_MS {
                let (_, first_of_slice) = slice.take().expect("a slice was started above");
                idb::request(first_of_slice).await?;
            }
        }
        idb::committed(&tx).await
    }

    pub async fn door(&self, campaign_id: &str, door_id: &str) -> IdbResult<Option<Door>> {
        self.get(DOORS, &key(&[campaign_id.into(), door_id.into()])).await
    }

    /// Every door of a campaign.
    pub async fn campaign_doors(&self, campaign_id: &str) -> IdbResult<Vec<Door>> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[DOORS], Mode::Readonly, Durability::Relaxed)?;
        let value = idb::request(js(js(tx.object_store(DOORS))?.get_all_with_key(&campaign_range(campaign_id)?.into()))?).await?;
        idb::all_from_js(value)
    }

    /// Doors whose label starts with what the volunteer typed (normalised by
    /// `search_key`), at most `limit`.
    pub async fn find_doors(&self, campaign_id: &str, typed: &str, limit: u32) -> IdbResult<Vec<Door>> {
        let prefix = search_key(typed);
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[DOORS], Mode::Readonly, Durability::Relaxed)?;
        let index = js(js(tx.object_store(DOORS))?.index("by_search"))?;
        let range = js(IdbKeyRange::bound(
            &key(&[campaign_id.into(), prefix.as_str().into()]),
            &key(&[campaign_id.into(), format!("{prefix}\u{ffff}").into()]),
        ))?;
        let value = idb::request(js(index.get_all_with_key_and_limit(&range, limit))?).await?;
        idb::all_from_js(value)
    }
}
