//! This phone's identity (device id, volunteer, record counter) and what it
//! knows of its sync (the joined campaign, the pull cursor, the last success).

use serde::{Deserialize, Serialize};
use walkbook_core::campaign::CampaignBundle;
use web_sys::IdbTransactionMode as Mode;

use super::idb::{self, js, Durability, IdbResult};
use super::schema::META;
use super::Store;

/// This phone's identity and record counter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    key: String,
    pub device_id: String,
    pub volunteer_id: String,
    /// The sequence number the next record gets.
    pub next_seq: u64,
}

/// What this phone knows of its sync: the joined volunteer and campaign, the
/// pull cursor, when a sync last succeeded, and the buildings the volunteer
/// is assigned (None: the whole campaign).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SyncMeta {
    pub joined: Option<Joined>,
    pub cursor: i64,
    pub last_success: Option<i64>,
    #[serde(default)]
    pub assigned_buildings: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Joined {
    pub volunteer_id: String,
    pub volunteer_name: String,
    pub campaign_id: String,
}

/// The sync meta as stored, under its key (written only: it is read as a
/// `SyncMeta` from the same object).
#[derive(Serialize)]
pub(super) struct StoredSyncMeta {
    pub(super) key: String,
    #[serde(flatten)]
    pub(super) meta: SyncMeta,
}

impl Store {
    /// This phone's identity, created on first use.
    pub async fn device(&self) -> IdbResult<Device> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[META], Mode::Readwrite, Durability::Strict)?;
        let meta = js(tx.object_store(META))?;
        let value = idb::request(js(meta.get(&"device".into()))?).await?;
        if !value.is_undefined() {
            return idb::from_js(value);
        }
        let device_id = uuid::Uuid::new_v4().to_string();
        let device = Device { key: "device".into(), volunteer_id: format!("volunteer-{}", &device_id[..8]), device_id, next_seq: 1 };
        js(meta.put(&idb::to_js(&device)?))?;
        idb::committed(&tx).await?;
        Ok(device)
    }

    pub async fn sync_meta(&self) -> IdbResult<SyncMeta> {
        Ok(self.get(META, &"sync".into()).await?.unwrap_or_default())
    }

    pub async fn save_sync_meta(&self, meta: &SyncMeta) -> IdbResult<()> {
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[META], Mode::Readwrite, Durability::Strict)?;
        let stored = StoredSyncMeta { key: "sync".into(), meta: meta.clone() };
        js(js(tx.object_store(META))?.put(&idb::to_js(&stored)?))?;
        idb::committed(&tx).await
    }

    /// After joining: the campaign the server sent, the volunteer on this
    /// phone from now on (and their buildings), and the sync state starting
    /// over, in one transaction.
    pub async fn save_joined(&self, bundle: &CampaignBundle, joined: Joined, assigned_buildings: Option<Vec<String>>) -> IdbResult<()> {
        self.save_bundle(bundle).await?;
        let db = self.db().await?;
        let tx = idb::transaction(&db, &[META], Mode::Readwrite, Durability::Strict)?;
        let meta = js(tx.object_store(META))?;
        let device_value = idb::request(js(meta.get(&"device".into()))?).await?;
        if !device_value.is_undefined() {
            let mut device: Device = idb::from_js(device_value)?;
            device.volunteer_id = joined.volunteer_id.clone();
            js(meta.put(&idb::to_js(&device)?))?;
        }
        let sync = StoredSyncMeta {
            key: "sync".into(),
            meta: SyncMeta { joined: Some(joined), cursor: 0, last_success: None, assigned_buildings },
        };
        js(meta.put(&idb::to_js(&sync)?))?;
        idb::committed(&tx).await
    }
}
