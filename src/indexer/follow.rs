//! The follower task: the one owner of the index writer. It follows the outbox past the
//! watermark stored in the index's last commit, replaces the changed entities' documents,
//! commits with the new watermark, and switches generations after `hallbar reindex`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use hallbar_index::{SearchIndex, SearchWriter};
use sqlx::SqlitePool;
use tokio::sync::watch;

use super::documents::{Replacement, replacements};
use super::location::IndexLocation;
use crate::db;
use crate::search::IndexFeed;

/// How often the indexer looks for work when nobody wakes it.
const POLL: Duration = Duration::from_millis(400);
/// The most outbox entries handled in one commit.
const BATCH: i64 = 2_000;

/// A running indexer; stop it with [`IndexerHandle::stop`].
pub struct IndexerHandle {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl IndexerHandle {
    /// Finishes the batch in hand, then stops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Takes the writer of the current index (under `location`) and starts following the
/// outbox, reporting through `feed`.
pub fn start(
    feed: IndexFeed,
    pool: SqlitePool,
    location: IndexLocation,
) -> anyhow::Result<IndexerHandle> {
    let index = feed.current();
    let writer = index.writer().context(
        "sökindexet används redan av en annan process (körs hallbar serve redan med samma datakatalog?)",
    )?;
    let generation = location.current()?.unwrap_or_default();
    let (stop, stopped) = watch::channel(false);
    let state = Indexer {
        feed,
        pool,
        location,
        index,
        writer: Arc::new(Mutex::new(Some(writer))),
        generation,
    };
    let task = tokio::spawn(state.run(stopped));
    Ok(IndexerHandle { stop, task })
}

struct Indexer {
    feed: IndexFeed,
    pool: SqlitePool,
    location: IndexLocation,
    index: SearchIndex,
    writer: Arc<Mutex<Option<SearchWriter>>>,
    generation: String,
}

impl Indexer {
    async fn run(mut self, mut stopped: watch::Receiver<bool>) {
        loop {
            if let Err(e) = self.follow_switch().await {
                tracing::error!(error = %format!("{e:#}"), "kunde inte byta sökindex");
            }
            match self.catch_up().await {
                Ok(()) => {}
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), "indexeringen misslyckades, försöker igen");
                    self.rollback().await;
                }
            }
            tokio::select! {
                () = self.feed.woken() => {}
                () = tokio::time::sleep(POLL) => {}
                _ = stopped.changed() => break,
            }
            if *stopped.borrow() {
                break;
            }
        }
        let writer = self.writer.lock().ok().and_then(|mut w| w.take());
        if let Some(writer) = writer {
            let _ = tokio::task::spawn_blocking(move || writer.wait_merging_threads()).await;
        }
    }

    /// Indexes every outbox entry past the watermark, in batches.
    async fn catch_up(&mut self) -> anyhow::Result<()> {
        loop {
            let watermark = self.feed.indexed();
            let mut conn = self.pool.acquire().await?;
            let entries = db::outbox::after(&mut conn, watermark, BATCH).await?;
            let Some(last) = entries.last().map(|e| e.seq) else {
                return Ok(());
            };
            let mut seen = HashSet::new();
            let mut work: Vec<Replacement> = Vec::new();
            for entry in entries.iter().rev() {
                if seen.insert((entry.kind, entry.entity_id.clone())) {
                    work.extend(replacements(&mut conn, entry.kind, &entry.entity_id).await?);
                }
            }
            drop(conn);
            let writer = Arc::clone(&self.writer);
            tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
                let mut guard = writer
                    .lock()
                    .map_err(|_| anyhow::anyhow!("indexskrivaren är låst"))?;
                let writer = guard.as_mut().context("indexskrivaren saknas")?;
                let mut done = HashSet::new();
                for replacement in &work {
                    // Newest entries were loaded first; an entity is replaced once.
                    if done.insert(replacement.entity.clone()) {
                        writer.replace_entity(&replacement.entity, &replacement.documents)?;
                    }
                }
                writer.commit(last)?;
                Ok(())
            })
            .await??;
            self.index.reload()?;
            self.feed.advanced(last);
            tracing::debug!(watermark = last, "sökindexet uppdaterat");
        }
    }

    async fn rollback(&mut self) {
        let writer = Arc::clone(&self.writer);
        let _ = tokio::task::spawn_blocking(move || {
            if let Ok(mut guard) = writer.lock()
                && let Some(writer) = guard.as_mut()
            {
                let _ = writer.rollback();
            }
        })
        .await;
    }

    /// After `hallbar reindex` switched generations: take the new index's writer, continue
    /// from its watermark, and delete the old generation.
    async fn follow_switch(&mut self) -> anyhow::Result<()> {
        let location = self.location.clone();
        let Some(current) = location.current()? else {
            return Ok(());
        };
        if current == self.generation {
            return Ok(());
        }
        let dir = location.dir(&current);
        let old_writer = self.writer.lock().ok().and_then(|mut w| w.take());
        let opened =
            tokio::task::spawn_blocking(move || -> anyhow::Result<(SearchIndex, SearchWriter)> {
                if let Some(old) = old_writer {
                    old.wait_merging_threads()?;
                }
                let index = SearchIndex::open_or_create(&dir)?;
                let writer = index.writer()?;
                Ok((index, writer))
            })
            .await??;
        let (index, writer) = opened;
        let watermark = index.watermark()?;
        if let Ok(mut slot) = self.writer.lock() {
            *slot = Some(writer);
        }
        let previous = std::mem::replace(&mut self.generation, current);
        self.index = index.clone();
        self.feed.switched(index, watermark);
        tracing::info!(generation = %self.generation, watermark, "bytte till det nybyggda sökindexet");
        if !previous.is_empty()
            && let Err(e) = location.remove(&previous)
        {
            tracing::warn!(error = %e, "det gamla sökindexet kunde inte tas bort");
        }
        Ok(())
    }
}
