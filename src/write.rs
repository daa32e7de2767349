//! The one write path for searchable content: a change runs in one transaction together
//! with its outbox rows, is committed, wakes the indexer, and can be waited for until search
//! includes it — so whoever saved sees their change in search in the same response.

use std::time::Duration;

use crate::db::{self, AsConn, Conn, Db, Tx};
use crate::search::SearchService;

/// Why a change could not be written; nothing of it was stored.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "databasen är upptagen av en annan skrivning; ingenting ändrades, försök igen om en \
         stund"
    )]
    Busy,
    #[error("databasfel: {0}")]
    Db(sqlx::Error),
}

impl From<sqlx::Error> for WriteError {
    /// SQLite's "database is locked" (after the busy timeout) is [`WriteError::Busy`].
    fn from(e: sqlx::Error) -> Self {
        let locked = e
            .as_database_error()
            .and_then(|d| d.code())
            .is_some_and(|code| code == "5" || code == "6");
        if locked {
            WriteError::Busy
        } else {
            WriteError::Db(e)
        }
    }
}

/// Where changes are written: the database, and the search handle whose indexer is told.
/// Without a handle (a command-line import) a running server's indexer finds the change by
/// polling the outbox.
#[derive(Clone)]
pub struct Writes {
    db: Db,
    search: Option<SearchService>,
}

impl Writes {
    pub fn new(db: impl Into<Db>, search: Option<SearchService>) -> Self {
        Writes {
            db: db.into(),
            search,
        }
    }

    /// Starts a change. It takes the write lock at once (`BEGIN IMMEDIATE`), so a concurrent
    /// writer makes it wait up to the busy timeout instead of failing at its first write.
    pub async fn begin(&self) -> Result<Change, WriteError> {
        let mut tx = self.db.begin_write().await?;
        let outbox_before = db::outbox::latest(&mut tx).await?;
        Ok(Change {
            tx,
            outbox_before,
            search: self.search.clone(),
        })
    }
}

/// A change in progress: use it as the connection for `db::…` writes (which append their
/// outbox rows), then [`Change::commit`]. Dropped without committing, nothing is stored.
pub struct Change {
    tx: Tx,
    outbox_before: i64,
    search: Option<SearchService>,
}

impl AsConn for Change {
    fn conn(&mut self) -> Conn<'_> {
        self.tx.conn()
    }
}

impl Change {
    /// Stores the change and wakes the indexer.
    pub async fn commit(mut self) -> Result<Committed, WriteError> {
        // The write lock is held: the outbox's newest row is this change's last one.
        let latest = db::outbox::latest(&mut self.tx).await?;
        self.tx.commit().await?;
        let seq = (latest > self.outbox_before).then_some(latest);
        if seq.is_some()
            && let Some(search) = &self.search
        {
            search.wake();
        }
        Ok(Committed {
            seq,
            search: self.search,
        })
    }
}

/// A stored change.
pub struct Committed {
    /// The outbox position of the change's last row; `None` when it changed nothing
    /// searchable.
    pub seq: Option<i64>,
    search: Option<SearchService>,
}

impl Committed {
    /// Waits at most `timeout` until search includes the change. True when it does (or the
    /// change touched nothing searchable); false on timeout or without a search handle.
    pub async fn searchable(&self, timeout: Duration) -> bool {
        match (self.seq, &self.search) {
            (None, _) => true,
            (Some(seq), Some(search)) => search.wait_for(seq, timeout).await,
            (Some(_), None) => false,
        }
    }
}
