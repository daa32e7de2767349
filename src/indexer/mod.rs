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

use crate::db::{self, Db};
use anyhow::Context;
use hallbar_index::SearchIndex;

use crate::search::SearchService;
pub use follow::{IndexerHandle, Opened, start};
pub use location::IndexLocation;

/// Opens the current index generation under `data_dir`, building one from the database when
/// there is none or it was made by an incompatible version. Returns the search handle and
/// what [`start`] needs to keep that generation current.
pub async fn open(data_dir: &Path, pool: &Db) -> anyhow::Result<(SearchService, Opened)> {
    let location = IndexLocation::new(data_dir);
    let current = location.current()?;
    remove_abandoned(&location);
    let existing = match current {
        Some(name) => match open_intact(&location, &name).await {
            Ok(index) => {
                let mut conn = pool.acquire().await?;
                let verdict = db::epoch::index_matches(
                    &mut conn,
                    &index.epoch()?,
                    index.watermark()?,
                    &index.mark()?,
                )
                .await?;
                match verdict {
                    db::epoch::Verdict::Matches { .. } => Some((name, index)),
                    other => {
                        tracing::warn!(läge = ?other, "sökindexet hör till en annan historik i databasen (återställd eller bytt databas) och byggs om");
                        None
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "sökindexet kan inte användas och byggs om från databasen");
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

/// Why an index generation cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    #[error("sökindexet kunde inte öppnas: {0}")]
    Unreadable(#[from] tantivy::TantivyError),
    #[error("sökindexets filer är skadade (kontrollsumman stämmer inte): {}", .0.join(", "))]
    Checksums(Vec<String>),
    #[error("kontrollen av sökindexet avbröts: {0}")]
    Aborted(#[from] tokio::task::JoinError),
}

/// Opens a generation after reading every file of it against its checksum.
pub async fn open_intact(location: &IndexLocation, name: &str) -> Result<SearchIndex, Damage> {
    let dir = location.dir(name);
    tokio::task::spawn_blocking(move || {
        let index = SearchIndex::open_existing(&dir)?;
        let damaged = index.damaged_files()?;
        if damaged.is_empty() {
            Ok(index)
        } else {
            Err(Damage::Checksums(damaged))
        }
    })
    .await?
}

/// Removes generations left by builds that were killed, saying so in the log.
pub fn remove_abandoned(location: &IndexLocation) {
    match location.remove_abandoned() {
        Ok(removed) if !removed.is_empty() => {
            tracing::info!(generations = ?removed, "övergivna indexgenerationer togs bort");
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "övergivna indexgenerationer kunde inte letas upp"),
    }
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
