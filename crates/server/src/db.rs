//! The database: SQLite by default, in one file, with WAL and
//! synchronous=FULL so that a write the endpoint acknowledged survives a power
//! cut; PostgreSQL when given a `postgres://` URL, for several server
//! processes sharing one database.
//!
//! Both go through sqlx's `Any` driver, so every query is written once: with
//! `$1, $2, ...` parameters (SQLite reads them by number too) and SQL both
//! speak (`ON CONFLICT ... DO NOTHING`, `CAST(... AS BIGINT)`). Each backend
//! has its own numbered migrations, kept in step: `migrations/sqlite` and
//! `migrations/postgres`.

use std::path::Path;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub type Db = AnyPool;

/// Opens the database `target` names: a `postgres://` (or `postgresql://`)
/// URL, or else a SQLite file (created if missing). Brings its schema up to
/// date.
pub async fn open(target: &str) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    if target.starts_with("postgres://") || target.starts_with("postgresql://") {
        let options: AnyConnectOptions = target.parse()?;
        // Enough that the record writer's transaction does not wait for a
        // connection behind hundreds of phones' and consoles' short queries.
        let pool = AnyPoolOptions::new().max_connections(32).connect_with(options).await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        crate::campaigns::hash_plaintext_join_codes(&pool).await?;
        crate::campaigns::fill_record_buildings(&pool).await?;
        crate::door_status::fill(&pool).await?;
        Ok(pool)
    } else {
        open_sqlite(Path::new(target)).await
    }
}

/// SQLite with WAL, synchronous=FULL, foreign keys, and a busy timeout long
/// enough for writers to queue behind each other.
pub async fn open_sqlite(path: &Path) -> Result<Db, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let options: AnyConnectOptions = format!("sqlite://{}?mode=rwc", path.display()).parse()?;
    let pool = AnyPoolOptions::new()
        .max_connections(4)
        .after_connect(|connection, _| {
            Box::pin(async move {
                connection
                    .execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;")
                    .await
                    .map(|_| ())
            })
        })
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    crate::campaigns::hash_plaintext_join_codes(&pool).await?;
    crate::campaigns::fill_record_buildings(&pool).await?;
    crate::door_status::fill(&pool).await?;
    Ok(pool)
}

pub fn is_postgres(db: &Db) -> bool {
    db.connect_options().database_url.scheme().starts_with("postgres")
}

/// "sqlite" or "postgres", as the health probe reports it.
pub fn backend(db: &Db) -> &'static str {
    if is_postgres(db) {
        "postgres"
    } else {
        "sqlite"
    }
}

/// A cheap round trip that proves the database answers.
pub async fn ping(db: &Db) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(db).await.map(|_| ())
}

/// The advisory lock that orders writers on PostgreSQL: taken alone
/// (exclusively) by a write that is not a campaign's records, shared by the
/// writers of campaigns' records, who then take their campaigns' locks.
const WRITE_LOCK: i64 = 7461;

/// Starts a transaction that writes, one writer at a time: SQLite's
/// `BEGIN IMMEDIATE` takes its write lock at the start (so writers queue up
/// to the busy timeout instead of failing when a read turns into a write);
/// on PostgreSQL a transaction-scoped advisory lock does the same across
/// every server process, excluding every other writer, campaigns' records
/// included (see [`begin_records_write`]).
pub async fn begin_write(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if is_postgres(db) {
        let mut tx = db.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
        Ok(tx)
    } else {
        db.begin_with("BEGIN IMMEDIATE").await
    }
}

/// Starts a transaction that stores records of `campaigns`: one writer at a
/// time per campaign. Pushes check for existing ids and then insert, so
/// they must not interleave; and a pull's cursor relies on a campaign's
/// records becoming visible in `seq` order, which holds when the
/// transactions that take its numbers commit one after the other. Writers
/// of different campaigns run side by side on PostgreSQL (SQLite has one
/// writer whatever the lock). Campaign locks are taken in one order, so two
/// processes' groups never wait on each other in a cycle.
pub async fn begin_records_write(db: &Db, campaigns: &[&str]) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    if !is_postgres(db) {
        return begin_write(db).await;
    }
    let mut tx = db.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock_shared($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
    // The keys in ascending order (a hash collision only makes two
    // campaigns share a lock).
    let mut keys: Vec<i32> = campaigns.iter().map(|campaign| campaign_lock_key(campaign)).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        sqlx::query("SELECT pg_advisory_xact_lock($1, $2)").bind(WRITE_LOCK as i32).bind(key).execute(&mut *tx).await?;
    }
    Ok(tx)
}

/// A campaign's advisory lock key: FNV-1a of its id, the same in every
/// server process.
fn campaign_lock_key(campaign_id: &str) -> i32 {
    let hash = campaign_id.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193));
    hash as i32
}

/// The records already stored under `ids`: (id, content hash, door id,
/// building id).
/// The ids go as one JSON parameter, unpacked by the database (fast on
/// both, and no limit on parameters).
pub async fn stored_records(
    tx: &mut sqlx::AnyConnection,
    postgres: bool,
    ids: &[&str],
) -> Result<Vec<(String, String, String, Option<String>)>, sqlx::Error> {
    let sql = format!("SELECT id, content_hash, door_id, building_id FROM records WHERE id IN ({})", strings_of(postgres, 1));
    sqlx::query_as(&sql).bind(json_list(ids)).fetch_all(tx).await
}

/// A subquery giving the strings of JSON array parameter `$n` (bound with
/// `json_list`): one parameter however many strings, on both databases.
pub fn strings_of(postgres: bool, n: usize) -> String {
    if postgres {
        format!("SELECT json_array_elements_text(${n}::json)")
    } else {
        format!("SELECT value FROM json_each(${n})")
    }
}

/// `strings` as the JSON array parameter `strings_of` unpacks.
pub fn json_list<S: serde::Serialize>(strings: &[S]) -> String {
    serde_json::to_string(strings).expect("strings always serialise")
}

/// One row of `records` as `insert_records` takes it.
pub struct NewRecordRow<'a> {
    pub id: &'a str,
    pub campaign_id: &'a str,
    pub door_id: &'a str,
    pub device_id: &'a str,
    pub device_seq: i64,
    pub received_from: &'a str,
    pub content_hash: &'a str,
    pub body: &'a str,
    pub received_at: i64,
    pub building_id: Option<&'a str>,
    /// The outcome's code (`answered`, `not_home`, ...).
    pub outcome: &'a str,
    /// The kind's code (`visit`, `need`, ...).
    pub kind: &'a str,
}

/// Inserts records in one statement, in order, from one JSON parameter (an
/// array of row arrays): binding thousands of parameters a batch is what
/// costs most otherwise.
pub async fn insert_records(tx: &mut sqlx::AnyConnection, postgres: bool, rows: &[NewRecordRow<'_>]) -> Result<(), sqlx::Error> {
    let sql = if postgres {
        "INSERT INTO records (id, campaign_id, door_id, device_id, device_seq, received_from, content_hash, body, received_at, building_id, outcome, kind) \
         SELECT r->>0, r->>1, r->>2, r->>3, (r->>4)::bigint, r->>5, r->>6, r->>7, (r->>8)::bigint, r->>9, r->>10, r->>11 \
         FROM json_array_elements($1::json) WITH ORDINALITY AS rows (r, n) ORDER BY n"
    } else {
        "INSERT INTO records (id, campaign_id, door_id, device_id, device_seq, received_from, content_hash, body, received_at, building_id, outcome, kind) \
         SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), \
         json_extract(value, '$[3]'), json_extract(value, '$[4]'), json_extract(value, '$[5]'), \
         json_extract(value, '$[6]'), json_extract(value, '$[7]'), json_extract(value, '$[8]'), json_extract(value, '$[9]'), \
         json_extract(value, '$[10]'), json_extract(value, '$[11]') \
         FROM json_each($1) ORDER BY key"
    };
    let rows: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!([
                r.id,
                r.campaign_id,
                r.door_id,
                r.device_id,
                r.device_seq,
                r.received_from,
                r.content_hash,
                r.body,
                r.received_at,
                r.building_id,
                r.outcome,
                r.kind
            ])
        })
        .collect();
    let rows = serde_json::to_string(&rows).expect("rows always serialise");
    sqlx::query(sql).bind(rows).execute(tx).await.map(|_| ())
}
