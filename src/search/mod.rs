//! Keeping the search index in step with the database, and the handle handlers search with.
//!
//! The database is the source of truth. One indexer task owns the index writer and follows
//! the outbox; `hallbar reindex` builds a new generation that a running server switches to.

pub mod documents;
pub mod indexer;
pub mod location;
pub mod params;
pub mod rebuild;

use std::path::Path;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Context;
use hallbar_index::SearchIndex;
use sqlx::SqlitePool;
use tokio::sync::{Notify, watch};

pub use location::IndexLocation;

/// The search side of the application state: the current index, and the indexer's progress.
#[derive(Clone)]
pub struct SearchService {
    inner: Arc<Inner>,
}

struct Inner {
    current: RwLock<SearchIndex>,
    indexed: watch::Sender<i64>,
    wake: Notify,
    location: IndexLocation,
}

impl SearchService {
    fn new(index: SearchIndex, watermark: i64, location: IndexLocation) -> Self {
        let (indexed, _) = watch::channel(watermark);
        SearchService {
            inner: Arc::new(Inner {
                current: RwLock::new(index),
                indexed,
                wake: Notify::new(),
                location,
            }),
        }
    }

    /// The index to search (cheap to clone; a search keeps the generation it started with).
    pub fn index(&self) -> SearchIndex {
        match self.inner.current.read() {
            Ok(index) => index.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn replace(&self, index: SearchIndex) {
        match self.inner.current.write() {
            Ok(mut current) => *current = index,
            Err(poisoned) => *poisoned.into_inner() = index,
        }
    }

    /// The outbox position the index has caught up with.
    pub fn indexed(&self) -> i64 {
        *self.inner.indexed.borrow()
    }

    /// Tells the indexer there is new work (it also polls on its own).
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// Waits until the index includes outbox entry `seq` (a writer's own change), at most
    /// `timeout`. Returns whether it got there.
    pub async fn wait_for(&self, seq: i64, timeout: Duration) -> bool {
        self.wake();
        let mut receiver = self.inner.indexed.subscribe();
        tokio::time::timeout(timeout, receiver.wait_for(|&indexed| indexed >= seq))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    pub fn location(&self) -> &IndexLocation {
        &self.inner.location
    }
}

/// Opens the current index generation under `data_dir`, building one from the database when
/// there is none or it was made by an incompatible version.
pub async fn open(data_dir: &Path, pool: &SqlitePool) -> anyhow::Result<SearchService> {
    let location = IndexLocation::new(data_dir);
    let existing = match location.current()? {
        Some(name) => match SearchIndex::open_or_create(&location.dir(&name)) {
            Ok(index) => Some(index),
            Err(e) => {
                tracing::warn!(error = %e, "sökindexet kan inte användas och byggs om");
                None
            }
        },
        None => None,
    };
    let index = match existing {
        Some(index) => index,
        None => {
            let quiet = Arc::new(|_: u64, _: u64| {});
            let rebuilt = rebuild::rebuild(pool, &location, quiet).await?;
            tracing::info!(documents = rebuilt.documents, "sökindexet byggdes");
            let name = location
                .current()?
                .context("sökindexet saknas efter bygget")?;
            SearchIndex::open_or_create(&location.dir(&name))?
        }
    };
    let watermark = index.watermark()?;
    Ok(SearchService::new(index, watermark, location))
}
