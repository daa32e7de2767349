//! Keeping the search index in step with the database. The database is the source of
//! truth: one follower task owns the index writer and replays the outbox
//! ([`follow`]), `hallbar reindex` builds a new generation from a snapshot ([`rebuild`]) that
//! a running server switches to, and [`documents`] loads what changed as search documents.
//! It reaches the request side only through [`IndexFeed`].

pub mod documents;
pub mod follow;
pub mod location;
pub mod rebuild;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use hallbar_index::SearchIndex;
use sqlx::SqlitePool;

use crate::search::SearchService;
pub use follow::{IndexerHandle, Opened, start};
pub use location::IndexLocation;

/// Opens the current index generation under `data_dir`, building one from the database when
/// there is none or it was made by an incompatible version. Returns the search handle and
/// what [`start`] needs to keep that generation current.
pub async fn open(data_dir: &Path, pool: &SqlitePool) -> anyhow::Result<(SearchService, Opened)> {
    let location = IndexLocation::new(data_dir);
    let existing = match location.current()? {
        Some(name) => match SearchIndex::open_or_create(&location.dir(&name)) {
            Ok(index) => Some((name, index)),
            Err(e) => {
                tracing::warn!(error = %e, "sökindexet kan inte användas och byggs om");
                None
            }
        },
        None => None,
    };
    let (generation, index) = match existing {
        Some(opened) => opened,
        None => {
            let quiet = Arc::new(|_: u64, _: u64| {});
            let rebuilt = rebuild::rebuild(pool, &location, quiet).await?;
            tracing::info!(documents = rebuilt.documents, "sökindexet byggdes");
            let index = SearchIndex::open_or_create(&location.dir(&rebuilt.generation))?;
            (rebuilt.generation, index)
        }
    };
    let watermark = index.watermark()?;
    let (search, feed) = SearchService::new(index, watermark);
    Ok((
        search,
        Opened {
            feed,
            location,
            generation,
        },
    ))
}

/// Opens the index generation in use for searching only (no indexer, nothing built): what
/// `hallbar search` reads while a server may be running.
pub fn open_for_reading(data_dir: &Path) -> anyhow::Result<SearchService> {
    let location = IndexLocation::new(data_dir);
    let name = location.current()?.context(
        "det finns inget sökindex ännu; kör `hallbar reindex` eller starta `hallbar serve`",
    )?;
    let index = SearchIndex::open_or_create(&location.dir(&name))?;
    let watermark = index.watermark()?;
    Ok(SearchService::new(index, watermark).0)
}
