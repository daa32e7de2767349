//! The SQLite store: opening the database, migrations, and one module of queries per area.
//!
//! Every query function takes `&mut SqliteConnection`, so callers compose them inside one
//! transaction. Every write that changes searchable content also appends to the outbox.

pub mod articles;
pub mod codec;
pub mod dialogue;
pub mod groups;
pub mod matrix;
pub mod members;
pub mod migrations;
pub mod outbox;
pub mod pivi;
pub mod stats;
pub mod threads;
pub mod viewers;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "hallbar.db";

/// Why the store could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("datakatalogen {path} kan inte skapas eller användas: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("datakatalogen {path} är inte skrivbar: {source}")]
    NotWritable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "databasfilen {path} är skadad eller ingen SQLite-databas ({source}); \
         återställ den från en säkerhetskopia eller flytta undan den"
    )]
    Corrupt { path: PathBuf, source: sqlx::Error },
    #[error("databasen {path} kunde inte öppnas: {source}")]
    Sqlite { path: PathBuf, source: sqlx::Error },
    #[error("databasfilen {path} är en katalog, inte en fil")]
    NotAFile { path: PathBuf },
    #[error("databasen kunde inte uppdateras till den senaste versionen: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Opens (creating if needed) the database under `data_dir`: WAL, foreign keys, busy timeout.
/// Does not migrate; see [`migrate`].
pub async fn open(data_dir: &Path) -> Result<SqlitePool, OpenError> {
    std::fs::create_dir_all(data_dir).map_err(|source| OpenError::DataDir {
        path: data_dir.to_path_buf(),
        source,
    })?;
    check_writable(data_dir)?;
    let path = data_dir.join(DATABASE_FILE);
    if path.is_dir() {
        return Err(OpenError::NotAFile { path });
    }
    let options = SqliteConnectOptions::from_str("sqlite://")
        .map_err(|source| OpenError::Sqlite {
            path: path.clone(),
            source,
        })?
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|source| classify(&path, source))?;
    // A file that is not a database can get past connecting; reading the schema catches it.
    sqlx::query("SELECT count(*) FROM sqlite_schema")
        .execute(&pool)
        .await
        .map_err(|source| classify(&path, source))?;
    Ok(pool)
}

/// Brings the schema up to date with the migrations embedded in the binary.
pub async fn migrate(pool: &SqlitePool) -> Result<(), OpenError> {
    migrations::migrator(migrations::SQLITE).run(pool).await?;
    Ok(())
}

/// Opens and migrates: what every command that touches the data needs.
pub async fn open_and_migrate(data_dir: &Path) -> Result<SqlitePool, OpenError> {
    let pool = open(data_dir).await?;
    migrate(&pool).await?;
    Ok(pool)
}

/// Whether the database answers (for the health check).
pub async fn ping(pool: &SqlitePool) -> sqlx::Result<()> {
    sqlx::query("SELECT 1").execute(pool).await.map(|_| ())
}

/// A `?, ?, …` list of `n` placeholders, for an `IN (…)` of bound values.
pub(crate) fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn check_writable(data_dir: &Path) -> Result<(), OpenError> {
    let probe = data_dir.join(".hallbar-skrivtest");
    std::fs::write(&probe, b"ok")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|source| OpenError::NotWritable {
            path: data_dir.to_path_buf(),
            source,
        })
}

/// SQLite's "file is not a database" and "database disk image is malformed" codes.
const SQLITE_NOTADB: &str = "26";
const SQLITE_CORRUPT: &str = "11";

fn classify(path: &Path, source: sqlx::Error) -> OpenError {
    let corrupt = source
        .as_database_error()
        .and_then(|e| e.code())
        .is_some_and(|code| code == SQLITE_NOTADB || code == SQLITE_CORRUPT);
    if corrupt {
        OpenError::Corrupt {
            path: path.to_path_buf(),
            source,
        }
    } else {
        OpenError::Sqlite {
            path: path.to_path_buf(),
            source,
        }
    }
}
