//! The SQLite store: opening the database, migrations, and one module of queries per area.
//!
//! Every query function takes `&mut SqliteConnection`, so callers compose them inside one
//! transaction. Every write that changes searchable content also appends to the outbox.

pub mod account_links;
pub mod accounts;
pub mod activity;
pub mod admin;
pub mod admin_log;
pub mod articles;
mod backend;
pub mod codec;
pub mod dialect;
pub mod dialogue;
pub mod digests;
pub mod drafts;
pub mod editors;
pub mod epoch;
pub mod group_members;
pub mod groups;
pub mod matrix;
pub mod members;
pub mod migrations;
pub mod moderation;
pub mod notifications;
pub mod outbox;
pub mod pivi;
pub mod proposals;
pub mod rate_events;
pub mod replicas;
pub mod revisions;
pub mod sessions;
pub mod stats;
pub mod support_models;
pub mod threads;
pub mod viewers;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub(crate) use backend::on_db;
pub use backend::{AsConn, Conn, Db, Exclusive, Kind, PoolConn, Tx};

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
    Migrate(sqlx::migrate::MigrateError),
    #[error(
        "databasen har uppdaterats av en nyare version av hallbar (migrering {0} är okänd för \
         den här versionen); kör den nyare versionen eller återställ en äldre säkerhetskopia"
    )]
    NewerSchema(i64),
    #[error(
        "databasadressen är ogiltig ({0}); den ska se ut som \
         postgres://användare:lösenord@värd:5432/databas"
    )]
    BadUrl(String),
    #[error("PostgreSQL-databasen kunde inte nås: {0}")]
    Unreachable(String),
    #[error(
        "PostgreSQL-databasen vägrade inloggningen (kontrollera användare, lösenord och \
         databasnamn i databasadressen): {0}"
    )]
    LoginRefused(String),
    #[error("PostgreSQL-databasen svarade med ett fel: {0}")]
    Postgres(sqlx::Error),
}

impl From<sqlx::migrate::MigrateError> for OpenError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        match error {
            sqlx::migrate::MigrateError::VersionMissing(version) => OpenError::NewerSchema(version),
            other => OpenError::Migrate(other),
        }
    }
}

/// How long connecting to PostgreSQL may take before it counts as unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// PostgreSQL's codes for a refused login: wrong password, no such role or database, not
/// allowed by pg_hba.conf.
const LOGIN_REFUSED: &[&str] = &["28P01", "28000", "3D000"];

fn classify_postgres(error: sqlx::Error) -> OpenError {
    match &error {
        sqlx::Error::Io(io) => OpenError::Unreachable(io.to_string()),
        sqlx::Error::Tls(tls) => OpenError::Unreachable(tls.to_string()),
        sqlx::Error::PoolTimedOut => {
            OpenError::Unreachable("ingen anslutning inom tidsgränsen".to_string())
        }
        sqlx::Error::Database(db)
            if db
                .code()
                .is_some_and(|code| LOGIN_REFUSED.contains(&code.as_ref())) =>
        {
            OpenError::LoginRefused(db.message().to_string())
        }
        _ => OpenError::Postgres(error),
    }
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

/// Connects to the PostgreSQL database at `url` (`postgres://…`). Does not migrate.
pub async fn connect_postgres(url: &str) -> Result<PgPool, OpenError> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(OpenError::BadUrl(
            "den börjar inte med postgres://".to_string(),
        ));
    }
    let options: PgConnectOptions = url
        .parse()
        .map_err(|e: sqlx::Error| OpenError::BadUrl(e.to_string()))?;
    // One connection first: its error says why (the pool's would only say it timed out).
    use sqlx::Connection;
    let first = tokio::time::timeout(CONNECT_TIMEOUT, sqlx::PgConnection::connect_with(&options))
        .await
        .map_err(|_| {
            OpenError::Unreachable(format!("inget svar inom {} s", CONNECT_TIMEOUT.as_secs()))
        })?;
    first
        .map_err(classify_postgres)?
        .close()
        .await
        .map_err(classify_postgres)?;
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(classify_postgres)
}

/// Brings the schema up to date with the migrations embedded in the binary.
pub async fn migrate(db: &Db) -> Result<(), OpenError> {
    match db {
        Db::Sqlite(pool) => migrations::migrator(migrations::SQLITE).run(pool).await?,
        Db::Postgres(pool) => migrations::migrator(migrations::POSTGRES).run(pool).await?,
    }
    Ok(())
}

/// Brings the schema up to `version` and no further (tests of a later migration start from
/// the schema before it).
pub async fn migrate_to(db: &Db, version: i64) -> Result<(), OpenError> {
    let upto = |files: &[migrations::MigrationFile]| -> Vec<migrations::MigrationFile> {
        files
            .iter()
            .copied()
            .filter(|f| f.version <= version)
            .collect()
    };
    match db {
        Db::Sqlite(pool) => {
            migrations::migrator(&upto(migrations::SQLITE))
                .run(pool)
                .await?
        }
        Db::Postgres(pool) => {
            migrations::migrator(&upto(migrations::POSTGRES))
                .run(pool)
                .await?
        }
    }
    Ok(())
}

/// Opens and migrates the SQLite database in `data_dir`.
pub async fn open_and_migrate(data_dir: &Path) -> Result<Db, OpenError> {
    let db = Db::Sqlite(open(data_dir).await?);
    migrate(&db).await?;
    Ok(db)
}

/// Opens and migrates the database every command works on: PostgreSQL at `url` when one
/// is given, SQLite in `data_dir` otherwise.
pub async fn open_configured(data_dir: &Path, url: Option<&str>) -> Result<Db, OpenError> {
    match url {
        Some(url) => {
            let file = data_dir.join(DATABASE_FILE);
            if file.is_file() {
                tracing::warn!(
                    fil = %file.display(),
                    "datakatalogen har en SQLite-databas som inte används: med --database-url gäller PostgreSQL-databasen"
                );
            }
            let db = Db::Postgres(connect_postgres(url).await?);
            migrate(&db).await?;
            Ok(db)
        }
        None => open_and_migrate(data_dir).await,
    }
}

/// Whether the database answers (for the health check).
pub async fn ping(db: &Db) -> sqlx::Result<()> {
    let mut conn = db.acquire().await?;
    on_db!(&mut conn, |c| {
        sqlx::query("SELECT 1").execute(&mut *c).await?;
    });
    Ok(())
}

/// A `$start, $start+1, …` list of `n` placeholders, for an `IN (…)` of bound values.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
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
