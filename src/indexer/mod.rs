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

use crate::search::{IndexFeed, SearchService};
pub use follow::{IndexerHandle, start};
pub use location::IndexLocation;

/// Opens the current index generation under `data_dir`, building one from the database when
/// there is none or it was made by an incompatible version. Returns the search handle and
/// the feed the indexer follows the outbox with.
pub async fn open(
    data_dir: &Path,
    pool: &SqlitePool,
) -> anyhow::Result<(SearchService, IndexFeed)> {
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
    Ok(SearchService::new(index, watermark))
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
