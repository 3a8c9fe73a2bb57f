//! Campaigns, volunteers and join codes in the database, and the in-memory
//! index of a campaign that push validation reads.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use walkbook_core::campaign::CampaignBundle;
use walkbook_core::form::CompiledForm;
use walkbook_core::record::Record;

use crate::db::Db;
use crate::error::ApiError;

/// What validating a record needs to know about its campaign.
pub struct CampaignIndex {
    pub bundle: CampaignBundle,
    /// Door id -> building id.
    pub doors: HashMap<String, String>,
    /// Door id -> its place in `bundle.doors`.
    door_at: HashMap<String, usize>,
    /// Every version of every form, compiled: `(form id, version)`.
    pub forms: HashMap<(String, u32), CompiledForm>,
}

impl CampaignIndex {
    pub fn door(&self, door_id: &str) -> Option<&walkbook_core::territory::Door> {
        self.door_at.get(door_id).map(|&at| &self.bundle.doors[at])
    }

    /// The building a record is filed under: a floor record's own, a gate
    /// entry's gate, else its door's (`None` for a door no longer in the
    /// territory).
    pub fn building_of<'a>(&'a self, record: &'a Record) -> Option<&'a str> {
        match record.kind.place() {
            Some((building_id, _)) => Some(building_id),
            None => self.doors.get(&record.door_id).map(String::as_str),
        }
    }

    pub fn new(bundle: CampaignBundle) -> CampaignIndex {
        let doors = bundle.doors.iter().map(|d| (d.id.clone(), d.building_id.clone())).collect();
        let forms = bundle
            .campaign
            .forms
            .iter()
            .filter_map(|form| {
                let key = (form.id.clone(), form.version);
                CompiledForm::compile(form.clone()).ok().map(|compiled| (key, compiled))
            })
            .collect();
        let door_at = bundle.doors.iter().enumerate().map(|(at, d)| (d.id.clone(), at)).collect();
        CampaignIndex { bundle, doors, door_at, forms }
    }
}

/// Campaign indices, loaded from the database on first use and reloaded
/// when the stored revision moves on (another process may have changed it).
#[derive(Default)]
pub struct CampaignCache {
    loaded: std::sync::RwLock<HashMap<String, Arc<CampaignIndex>>>,
}

impl CampaignCache {
    pub async fn get(&self, db: &Db, campaign_id: &str) -> Result<Arc<CampaignIndex>, ApiError> {
        let revision = stored_revision(db, campaign_id).await?.ok_or_else(|| ApiError::not_found(format!("No campaign {campaign_id}")))?;
        if let Some(index) = self.loaded.read().expect("not poisoned").get(campaign_id) {
            if index.bundle.campaign.revision == revision {
                return Ok(index.clone());
            }
        }
        let bundle: Option<(String, i64)> =
            sqlx::query_as("SELECT bundle, revision FROM campaigns WHERE id = $1").bind(campaign_id).fetch_optional(db).await?;
        let (bundle, revision) = bundle.ok_or_else(|| ApiError::not_found(format!("No campaign {campaign_id}")))?;
        let mut bundle: CampaignBundle =
            serde_json::from_str(&bundle).map_err(|e| ApiError::Internal(format!("stored campaign {campaign_id} is unreadable: {e}")))?;
        bundle.campaign.revision = revision as u64;
        let index = Arc::new(CampaignIndex::new(bundle));
        self.loaded.write().expect("not poisoned").insert(campaign_id.to_string(), index.clone());
        Ok(index)
    }
}

async fn stored_revision(db: &Db, campaign_id: &str) -> Result<Option<u64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT revision FROM campaigns WHERE id = $1").bind(campaign_id).fetch_optional(db).await?;
    Ok(row.map(|(revision,)| revision as u64))
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Stores a campaign bundle unless one with its id exists (revision 1).
/// Returns whether it was new.
pub async fn insert_campaign(db: &Db, bundle: &CampaignBundle) -> Result<bool, sqlx::Error> {
    let mut bundle = bundle.clone();
    bundle.campaign.revision = 1;
    let json = serde_json::to_string(&bundle).expect("a bundle always serialises");
    let result = sqlx::query("INSERT INTO campaigns (id, bundle, created_at, revision) VALUES ($1, $2, $3, 1) ON CONFLICT (id) DO NOTHING")
        .bind(&bundle.campaign.id)
        .bind(json)
        .bind(now_ms())
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Stores the built-in demo campaign, or brings a stored copy up to this
/// build's demo as a new revision (keeping its older form versions, so its
/// records stay readable). A demo changed by hand in a way this build's
/// cannot replace is kept, with a warning.
pub async fn ensure_demo_campaign(db: &Db) -> Result<(), ApiError> {
    let demo = walkbook_core::demo::demo_campaign();
    if insert_campaign(db, &demo).await? {
        return Ok(());
    }
    let mut stored = CampaignCache::default().get(db, &demo.campaign.id).await?.bundle.clone();
    stored.campaign.revision = demo.campaign.revision;
    if stored != demo {
        if let Err(error) = store_campaign(db, &demo).await {
            tracing::warn!(%error, "the stored demo campaign differs from this build's and is kept");
        }
    }
    Ok(())
}

/// Creates a campaign, or replaces a stored one with the next revision,
/// after checking it: a bad bundle changes nothing and every problem is
/// named. A replacement keeps every form version, and every door some
/// record names. Returns the stored revision.
pub async fn store_campaign(db: &Db, bundle: &CampaignBundle) -> Result<u64, ApiError> {
    let campaign_id = bundle.campaign.id.as_str();
    let mut tx = crate::db::begin_write(db).await?;
    let stored: Option<(String, i64)> =
        sqlx::query_as("SELECT bundle, revision FROM campaigns WHERE id = $1").bind(campaign_id).fetch_optional(&mut *tx).await?;
    // A bundle read at revision R replaces revision R only: an edit made
    // meanwhile (another coordinator, another process) is never lost.
    // Revision 0 means "not read from here" (a new campaign, a file, the demo).
    if let Some((_, revision)) = &stored {
        if bundle.campaign.revision != 0 && bundle.campaign.revision != *revision as u64 {
            return Err(ApiError::conflict(
                "campaign_changed",
                format!("Campaign {campaign_id} changed meanwhile (now revision {revision}): reload it and make the change again."),
            ));
        }
    }
    let mut problems = match &stored {
        None => bundle.problems(),
        Some((stored, _)) => {
            let stored: CampaignBundle = serde_json::from_str(stored)
                .map_err(|e| ApiError::Internal(format!("stored campaign {campaign_id} is unreadable: {e}")))?;
            stored.update_problems(bundle)
        }
    };
    let doors: HashSet<&str> = bundle.doors.iter().map(|d| d.id.as_str()).collect();
    let recorded: Vec<(String, i64)> =
        // (A floor's records, notices and closures, name no door.)
        sqlx::query_as("SELECT door_id, COUNT(*) FROM records WHERE campaign_id = $1 AND door_id <> '' GROUP BY door_id ORDER BY door_id")
            .bind(campaign_id)
            .fetch_all(&mut *tx)
            .await?;
    for (door_id, count) in recorded.iter().filter(|(door_id, _)| !doors.contains(door_id.as_str())) {
        problems.push(format!("door '{door_id}' has {count} records: keep it in the territory"));
    }
    // A gate's entries are filed under its id (`RecordKind::place`).
    let gates_recorded: Vec<(String, i64)> = sqlx::query_as(
        "SELECT building_id, COUNT(*) FROM records WHERE campaign_id = $1 AND kind = 'visitor' GROUP BY building_id ORDER BY building_id",
    )
    .bind(campaign_id)
    .fetch_all(&mut *tx)
    .await?;
    for (gate_id, count) in gates_recorded.iter().filter(|(gate_id, _)| bundle.campaign.gate(gate_id).is_none()) {
        problems.push(format!("gate '{gate_id}' has {count} visitors' records: keep it in the territory"));
    }
    if !problems.is_empty() {
        return Err(ApiError::unprocessable("invalid_campaign", problems.join("; ")));
    }
    let revision = stored.map_or(1, |(_, revision)| revision as u64 + 1);
    let mut bundle = bundle.clone();
    bundle.campaign.revision = revision;
    // Floors and door counts follow from the doors, whatever the file said.
    walkbook_core::territory::summarise_floors(&mut bundle.campaign.buildings, &bundle.doors);
    let json = serde_json::to_string(&bundle).expect("a bundle always serialises");
    sqlx::query(
        "INSERT INTO campaigns (id, bundle, created_at, revision) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET bundle = excluded.bundle, revision = excluded.revision",
    )
    .bind(campaign_id)
    .bind(json)
    .bind(now_ms())
    .bind(revision as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(revision)
}

/// Creates a volunteer of a campaign and a one-time join code valid for
/// `valid_for_ms`. Returns (volunteer id, code).
/// `buildings`: the buildings they work (none: the whole campaign).
pub async fn invite(
    db: &Db,
    campaigns: &CampaignCache,
    campaign_id: &str,
    name: &str,
    buildings: &[String],
    valid_for_ms: i64,
) -> Result<(String, String), ApiError> {
    let index = campaigns.get(db, campaign_id).await?;
    if let Some(closed_at) = index.bundle.campaign.closed_at {
        let day = crate::retention::day_of(&index.bundle.campaign, closed_at);
        return Err(ApiError::conflict(
            "campaign_closed",
            format!("Campaign {campaign_id} was closed on {day}: it takes no new volunteers."),
        ));
    }
    check_buildings(&index, buildings)?;
    let volunteer_id = format!("vol-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let code = join_code();
    let mut tx = crate::db::begin_write(db).await?;
    sqlx::query("INSERT INTO volunteers (id, campaign_id, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&volunteer_id)
        .bind(campaign_id)
        .bind(name)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO join_codes (code, volunteer_id, expires_at) VALUES ($1, $2, $3)")
        .bind(join_code_hash(&code))
        .bind(&volunteer_id)
        .bind(now_ms() + valid_for_ms)
        .execute(&mut *tx)
        .await?;
    set_assignments(&mut tx, &volunteer_id, buildings).await?;
    tx.commit().await?;
    Ok((volunteer_id, code))
}

/// Refuses building ids the campaign does not have.
pub fn check_buildings(index: &CampaignIndex, buildings: &[String]) -> Result<(), ApiError> {
    match buildings.iter().find(|b| index.bundle.campaign.building(b).is_none()) {
        Some(unknown) => {
            Err(ApiError::unprocessable("unknown_building", format!("There is no building '{unknown}' in {}", index.bundle.campaign.id)))
        }
        None => Ok(()),
    }
}

/// Gives the records stored before they had a building column theirs (see
/// migration 0008), a few thousand at a time. Done once: later records are
/// stored with it.
pub async fn fill_record_buildings(db: &Db) -> Result<(), sqlx::Error> {
    const AT_A_TIME: i64 = 5000;
    let campaigns: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT campaign_id FROM records WHERE building_id IS NULL").fetch_all(db).await?;
    for (campaign_id,) in campaigns {
        let Some((bundle,)): Option<(String,)> =
            sqlx::query_as("SELECT bundle FROM campaigns WHERE id = $1").bind(&campaign_id).fetch_optional(db).await?
        else {
            continue;
        };
        let bundle: CampaignBundle = serde_json::from_str(&bundle).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        let index = CampaignIndex::new(bundle);
        let mut after = 0i64;
        loop {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT seq, body FROM records WHERE campaign_id = $1 AND building_id IS NULL AND seq > $2 ORDER BY seq LIMIT $3",
            )
            .bind(&campaign_id)
            .bind(after)
            .bind(AT_A_TIME)
            .fetch_all(db)
            .await?;
            let Some((last, _)) = rows.last() else { break };
            after = *last;
            let mut tx = crate::db::begin_write(db).await?;
            for (seq, body) in &rows {
                let record: Record = serde_json::from_str(body).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
                if let Some(building_id) = index.building_of(&record) {
                    sqlx::query("UPDATE records SET building_id = $1 WHERE seq = $2").bind(building_id).bind(seq).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
        }
    }
    Ok(())
}

/// The buildings a volunteer works. None assigned: the whole campaign.
pub struct Assignments(HashSet<String>);

impl Assignments {
    pub async fn of(db: &Db, volunteer_id: &str) -> Result<Assignments, sqlx::Error> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT building_id FROM assignments WHERE volunteer_id = $1").bind(volunteer_id).fetch_all(db).await?;
        Ok(Assignments(rows.into_iter().map(|(building,)| building).collect()))
    }

    /// Whether the volunteer works `building_id`.
    pub fn covers(&self, building_id: &str) -> bool {
        self.covers_all() || self.0.contains(building_id)
    }

    /// Whether the volunteer works the whole campaign.
    pub fn covers_all(&self) -> bool {
        self.0.is_empty()
    }

    /// The buildings, in the campaign's order, as the phone is told them;
    /// None: the whole campaign.
    pub fn told(&self, index: &CampaignIndex) -> Option<Vec<String>> {
        (!self.covers_all())
            .then(|| index.bundle.campaign.buildings.iter().map(|building| building.id.clone()).filter(|id| self.0.contains(id)).collect())
    }
}

/// Makes `buildings` (checked by `check_buildings`) the volunteer's only
/// assignments; none: the whole campaign.
pub async fn set_assignments(tx: &mut sqlx::AnyConnection, volunteer_id: &str, buildings: &[String]) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM assignments WHERE volunteer_id = $1").bind(volunteer_id).execute(&mut *tx).await?;
    for building in buildings {
        sqlx::query("INSERT INTO assignments (volunteer_id, building_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(volunteer_id)
            .bind(building)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// What the database keeps of a join code: the SHA-256 of the code as a
/// person may type it (spaces around, any case).
pub fn join_code_hash(code: &str) -> String {
    crate::auth::token_hash(&code.trim().to_ascii_uppercase())
}

/// Join codes stored by earlier versions in plaintext (ten characters; a
/// hash has 64) are rewritten as their hash. Idempotent.
pub async fn hash_plaintext_join_codes(db: &Db) -> Result<(), sqlx::Error> {
    let plaintext: Vec<(String,)> = sqlx::query_as("SELECT code FROM join_codes WHERE LENGTH(code) < 64").fetch_all(db).await?;
    for (code,) in plaintext {
        sqlx::query("UPDATE join_codes SET code = $1 WHERE code = $2").bind(join_code_hash(&code)).bind(&code).execute(db).await?;
    }
    Ok(())
}

/// Ten characters a person can read out and type: no 0/O, 1/I/L.
fn join_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    uuid::Uuid::new_v4().as_bytes()[..10].iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect()
}
