//! The two databases behind one handle: a pool, a connection and a transaction of either
//! SQLite or PostgreSQL, and [`on_db!`], which writes a query's body once and compiles it
//! for each (every query function of `db::` uses it).
//!
//! Why not functions generic over sqlx's `Database`: they work, but each needs its bounds
//! spelled out (`for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>`, `for<'q>
//! &'q str: Encode<'q, DB> + Type<DB>`, `i64: for<'r> Decode<'r, DB> + Type<DB>`, `for<'a>
//! &'a str: ColumnIndex<DB::Row>`, … one line per type read or bound), no trait can bundle
//! them so that they are implied, and every caller up to the HTTP state would have to be
//! generic too or choose the database itself. Here the choice is made once, in the
//! handle; each body is compiled with concrete types, so sqlx's whole API is available and
//! the compiler checks both.

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

/// Which database a handle talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A pool of connections to the one database the app uses.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A borrowed connection of either database (of a pool or inside a transaction).
pub enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// A connection taken from the pool, returned when dropped.
pub enum PoolConn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A transaction: rolled back when dropped without [`Tx::commit`].
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Anything a query can run on: a pooled connection, a transaction, a borrowed connection.
pub trait AsConn: Send {
    fn conn(&mut self) -> Conn<'_>;
}

impl AsConn for Conn<'_> {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            Conn::Sqlite(c) => Conn::Sqlite(c),
            Conn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl AsConn for SqliteConnection {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Sqlite(self)
    }
}

impl AsConn for PgConnection {
    fn conn(&mut self) -> Conn<'_> {
        Conn::Postgres(self)
    }
}

impl AsConn for PoolConn {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            PoolConn::Sqlite(c) => Conn::Sqlite(c),
            PoolConn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl AsConn for Tx {
    fn conn(&mut self) -> Conn<'_> {
        match self {
            Tx::Sqlite(t) => Conn::Sqlite(t),
            Tx::Postgres(t) => Conn::Postgres(t),
        }
    }
}

impl Db {
    pub fn kind(&self) -> Kind {
        match self {
            Db::Sqlite(_) => Kind::Sqlite,
            Db::Postgres(_) => Kind::Postgres,
        }
    }

    /// A connection from the pool.
    pub async fn acquire(&self) -> sqlx::Result<PoolConn> {
        Ok(match self {
            Db::Sqlite(pool) => PoolConn::Sqlite(pool.acquire().await?),
            Db::Postgres(pool) => PoolConn::Postgres(pool.acquire().await?),
        })
    }

    /// A transaction that writes searchable content: it takes the write lock at once, so
    /// writers take turns from their first statement and never deadlock on each other's
    /// rows. On SQLite that is `BEGIN IMMEDIATE`; on PostgreSQL the outbox's advisory lock
    /// (see [`super::dialect::Dialect::OUTBOX_APPEND`]), which the transaction then holds
    /// until it ends.
    pub async fn begin_write(&self) -> sqlx::Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(super::dialect::OUTBOX_LOCK)
                    .execute(&mut *tx)
                    .await?;
                Tx::Postgres(tx)
            }
        })
    }

    /// A transaction that sees one consistent snapshot of the whole database while others
    /// write (SQLite's read transaction, PostgreSQL's `REPEATABLE READ`).
    pub async fn begin_snapshot(&self) -> sqlx::Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?,
            ),
        })
    }

    /// Closes every connection (waiting for those in use to come back).
    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }

    /// The SQLite pool, when that is the database.
    pub fn as_sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Db::Sqlite(pool) => Some(pool),
            Db::Postgres(_) => None,
        }
    }
}

impl From<SqlitePool> for Db {
    fn from(pool: SqlitePool) -> Self {
        Db::Sqlite(pool)
    }
}

impl From<PgPool> for Db {
    fn from(pool: PgPool) -> Self {
        Db::Postgres(pool)
    }
}

impl Tx {
    pub async fn commit(self) -> sqlx::Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        match self {
            Tx::Sqlite(t) => t.rollback().await,
            Tx::Postgres(t) => t.rollback().await,
        }
    }
}

/// One holder at a time across every node of a database, for work that must happen once
/// (loading the demo corpus into an empty database). On PostgreSQL a session advisory
/// lock on a connection of its own; on SQLite, where one server owns the database, nothing.
pub struct Exclusive {
    held: Option<(PoolConnection<Postgres>, i64)>,
}

impl Exclusive {
    /// The key for loading the demo corpus.
    pub const DEMO: i64 = 0x6861_6c6c_6465_6d6f;

    /// Waits for the turn of `key`.
    pub async fn take(db: &Db, key: i64) -> sqlx::Result<Exclusive> {
        let held = match db {
            Db::Sqlite(_) => None,
            Db::Postgres(pool) => {
                let mut conn = pool.acquire().await?;
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(key)
                    .execute(&mut *conn)
                    .await?;
                Some((conn, key))
            }
        };
        Ok(Exclusive { held })
    }

    /// Gives the turn to the next one.
    pub async fn release(mut self) -> sqlx::Result<()> {
        if let Some((mut conn, key)) = self.held.take() {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(key)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

impl Drop for Exclusive {
    /// Not released (an error on the way): the connection is closed instead of returned to
    /// the pool, which ends its session and with it the lock.
    fn drop(&mut self) {
        if let Some((conn, _)) = self.held.take() {
            drop(conn.detach());
        }
    }
}

/// Runs `$body` with `$c` bound to the concrete connection (`&mut SqliteConnection` or
/// `&mut PgConnection`) of `$conn` (anything [`AsConn`]), and the type `Db` naming its
/// database. Write SQL both accept: `$1, $2, …` placeholders in order of appearance
/// (SQLite reads them by number too), `ON CONFLICT … DO UPDATE`, `RETURNING`; the few
/// differences are in [`super::dialect`].
macro_rules! on_db {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $crate::db::AsConn::conn($conn) {
            $crate::db::Conn::Sqlite($c) => {
                #[allow(dead_code)]
                type Db = ::sqlx::Sqlite;
                $body
            }
            $crate::db::Conn::Postgres($c) => {
                #[allow(dead_code)]
                type Db = ::sqlx::Postgres;
                $body
            }
        }
    };
}
pub(crate) use on_db;
