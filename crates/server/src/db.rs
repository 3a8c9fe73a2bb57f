//! The database: SQLite by default, in one file, with WAL and synchronous=FULL
//! so that a write the endpoint acknowledged survives a power cut.

use std::path::Path;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub type Db = SqlitePool;

/// Opens (creating if needed) the SQLite file and brings its schema up to date
/// with the numbered migrations in `crates/server/migrations`.
pub async fn open_sqlite(path: &Path) -> Result<Db, sqlx::Error> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(10));
    let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// A cheap round trip that proves the database answers.
pub async fn ping(db: &Db) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT 1").execute(db).await.map(|_| ())
}

/// Starts a transaction that writes. `BEGIN IMMEDIATE` takes SQLite's write
/// lock at the start, so concurrent writers queue (up to the busy timeout)
/// instead of failing when a read turns into a write.
pub async fn begin_write(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    db.begin_with("BEGIN IMMEDIATE").await
}
