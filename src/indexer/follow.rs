//! The follower task: the one owner of the index writer. It follows the outbox past the
//! watermark stored in the index's last commit, replaces the changed entities' documents,
//! commits with the new watermark, and switches generations after `hallbar reindex`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::db::Db;
use anyhow::Context;
use hallbar_index::{SearchIndex, SearchWriter};
use tokio::sync::watch;

use super::documents::{Replacement, replacements};
use super::location::IndexLocation;
use crate::db;
use crate::search::IndexFeed;

/// How often the indexer looks for work when nobody wakes it.
const POLL: Duration = Duration::from_millis(400);
/// The longest wait between tries while indexing keeps failing.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(30);

/// How long to wait before the next try: the poll interval, doubled for each failure in a
/// row up to [`MAX_RETRY_DELAY`].
fn retry_delay(failures: u32) -> Duration {
    let doubled = POLL.saturating_mul(1u32 << failures.min(10));
    if failures == 0 {
        POLL
    } else {
        doubled.min(MAX_RETRY_DELAY)
    }
}

/// How often an idle indexer reports its watermark (see [`db::replicas`]).
const HEARTBEAT: Duration = Duration::from_secs(30);

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

/// What the indexer starts from: the generation the search handle was opened on, and the
/// feed that reports to that handle.
pub struct Opened {
    pub feed: IndexFeed,
    pub location: IndexLocation,
    /// The generation's name (empty when it was opened some other way).
    pub generation: String,
}

/// Takes the writer of the opened generation and starts following the outbox.
pub fn start(opened: Opened, pool: Db) -> anyhow::Result<IndexerHandle> {
    let Opened {
        feed,
        location,
        generation,
    } = opened;
    let index = feed.current();
    let writer = index.writer().context(
        "sökindexet används redan av en annan process (körs hallbar serve redan med samma datakatalog?)",
    )?;
    let watermark = feed.indexed();
    let epoch = index.epoch()?;
    let mark = index.mark()?;
    let node = location.node_id()?;
    let mut writer = writer;
    writer.set_epoch(&epoch);
    let (stop, stopped) = watch::channel(false);
    let state = Indexer {
        feed,
        pool,
        location,
        index,
        watermark,
        epoch,
        mark,
        node,
        reported: None,
        writer: Arc::new(Mutex::new(Some(writer))),
        generation,
        pending_switch: None,
    };
    let task = tokio::spawn(state.run(stopped));
    Ok(IndexerHandle { stop, task })
}

struct Indexer {
    feed: IndexFeed,
    pool: Db,
    location: IndexLocation,
    /// The generation the writer writes to, and the outbox position it holds.
    index: SearchIndex,
    watermark: i64,
    /// The database epoch the watermark counts in (empty until known).
    epoch: String,
    /// When the outbox row at the watermark was written (empty: not recorded).
    mark: String,
    /// This node's name in its heartbeats.
    node: String,
    /// The last heartbeat: when, and the watermark it reported.
    reported: Option<(std::time::Instant, i64)>,
    writer: Arc<Mutex<Option<SearchWriter>>>,
    generation: String,
    /// After a rebuild: the generation searches used before, while the new one catches up
    /// with the outbox; searches switch only once it holds at least what they held.
    pending_switch: Option<String>,
}

/// On PostgreSQL, a listener for the outbox's notifications: other nodes' writes wake
/// this indexer at once. Notifications sent while it reconnects are lost; polling finds
/// those rows.
async fn outbox_listener(pool: &Db) -> Option<sqlx::postgres::PgListener> {
    let Db::Postgres(pool) = pool else {
        return None;
    };
    let listen = async {
        let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
        listener.listen(db::dialect::OUTBOX_CHANNEL).await?;
        Ok::<_, sqlx::Error>(listener)
    };
    match listen.await {
        Ok(listener) => Some(listener),
        Err(e) => {
            tracing::warn!(error = %e, "kan inte lyssna efter ändringar i databasen; söker efter dem var {} ms", POLL.as_millis());
            None
        }
    }
}

/// The next notification of `listener` (never, without one).
async fn notified(listener: &mut Option<sqlx::postgres::PgListener>) {
    match listener {
        Some(l) => {
            if let Err(e) = l.recv().await {
                // The listener reconnects on its next receive; wait a poll in between.
                tracing::debug!(error = %e, "lyssnaren på databasen tappade anslutningen");
                tokio::time::sleep(POLL).await;
            }
        }
        None => std::future::pending().await,
    }
}

impl Indexer {
    async fn run(mut self, mut stopped: watch::Receiver<bool>) {
        let mut failures: u32 = 0;
        let mut listener = outbox_listener(&self.pool).await;
        loop {
            let outcome = match self.follow_switch().await {
                Err(e) => Err(e.context("kunde inte byta sökindex")),
                Ok(()) => self.catch_up().await,
            };
            match outcome {
                Ok(complete) => {
                    if failures > 0 {
                        tracing::info!(failures, "indexeringen fungerar igen");
                    }
                    failures = 0;
                    self.feed.succeeded();
                    if complete && self.pending_switch.is_none() {
                        self.feed.caught_up(true);
                    }
                    self.heartbeat().await;
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let message = format!("{e:#}");
                    // Logged on the 1st, 2nd, 4th, 8th … failure in a row, not every try.
                    if failures.is_power_of_two() {
                        tracing::error!(error = %message, failures, "indexeringen misslyckades, försöker igen");
                    }
                    self.feed.failed(message);
                    self.rollback().await;
                }
            }
            tokio::select! {
                () = self.feed.woken(), if failures == 0 => {}
                () = notified(&mut listener), if failures == 0 => {}
                () = tokio::time::sleep(retry_delay(failures)) => {}
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

    /// Indexes every outbox entry past the watermark, in batches; then, after a rebuild,
    /// lets searches switch to the new generation. True when it reached the end of the
    /// outbox; false when the database's history no longer matches the index and a new
    /// generation was built instead (the next round switches to it).
    async fn catch_up(&mut self) -> anyhow::Result<bool> {
        loop {
            let mut conn = self.pool.acquire().await?;
            let entries = db::outbox::after(&mut conn, self.watermark, BATCH).await?;
            // Checked after the read: rows pruned before it show here as an outbox that
            // starts past the watermark, so nothing is skipped unnoticed.
            match db::epoch::index_matches(&mut conn, &self.epoch, self.watermark, &self.mark)
                .await?
            {
                db::epoch::Verdict::Matches { epoch } => {
                    if epoch != self.epoch {
                        self.adopt_epoch(epoch);
                    }
                }
                other => {
                    drop(conn);
                    tracing::warn!(läge = ?other, "databasen har en annan historik än sökindexet (återställd, bytt eller rensad förbi indexet); indexet byggs om");
                    self.feed.caught_up(false);
                    let quiet = Arc::new(|_: u64, _: u64| {});
                    super::rebuild::build_next(&self.pool, &self.location, quiet).await?;
                    return Ok(false);
                }
            }
            let Some((last, mark)) = entries.last().map(|e| (e.seq, e.mark.clone())) else {
                drop(conn);
                self.publish_switch();
                return Ok(true);
            };
            let mut seen = HashSet::new();
            let mut work: Vec<Replacement> = Vec::new();
            for entry in entries.iter().rev() {
                if seen.insert((entry.kind, entry.entity_id.clone())) {
                    work.extend(replacements(&mut conn, entry.kind, &entry.entity_id).await?);
                }
            }
            drop(conn);
            let commit_mark = mark.clone();
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
                writer.set_mark(&commit_mark);
                writer.commit(last)?;
                Ok(())
            })
            .await??;
            self.index.reload()?;
            self.watermark = last;
            self.mark = mark;
            if self.pending_switch.is_none() {
                self.feed.advanced(last);
            }
            self.feed.announce(
                seen.into_iter()
                    .map(|(kind, entity_id)| crate::search::Changed { kind, entity_id }),
            );
            tracing::debug!(watermark = last, "sökindexet uppdaterat");
        }
    }

    /// Reports this node's watermark when it changed or every [`HEARTBEAT`], and prunes the
    /// outbox rows every live node has read. A failure is only logged: retention can wait.
    async fn heartbeat(&mut self) {
        let due = match self.reported {
            None => true,
            Some((at, watermark)) => watermark != self.watermark || at.elapsed() >= HEARTBEAT,
        };
        // (While searches still use the old generation, the new one's watermark is what
        // must be kept: the old one is done with.)
        if !due {
            return;
        }
        let result: anyhow::Result<u64> = async {
            let mut conn = self.pool.acquire().await?;
            db::replicas::heartbeat(&mut conn, &self.node, self.watermark).await?;
            Ok(db::replicas::prune(&mut conn).await?)
        }
        .await;
        match result {
            Ok(pruned) => {
                if pruned > 0 {
                    tracing::debug!(pruned, "gamla rader i utkorgen togs bort");
                }
                self.reported = Some((std::time::Instant::now(), self.watermark));
            }
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), "indexets hjärtslag kunde inte skrivas")
            }
        }
    }

    /// Records `epoch` with this index's commits from now on.
    fn adopt_epoch(&mut self, epoch: String) {
        if let Ok(mut guard) = self.writer.lock()
            && let Some(writer) = guard.as_mut()
        {
            writer.set_epoch(&epoch);
        }
        self.epoch = epoch;
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

    /// After `hallbar reindex` switched generations: take the new index's writer and continue
    /// from its watermark. Searches keep the old generation until the new one has caught up
    /// (see [`Indexer::publish_switch`]), so nobody's saved change goes missing meanwhile.
    async fn follow_switch(&mut self) -> anyhow::Result<()> {
        let Some(current) = self.location.current()? else {
            return Ok(());
        };
        if current == self.generation {
            return Ok(());
        }
        let dir = self.location.dir(&current);
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
        let (index, mut writer) = opened;
        self.watermark = index.watermark()?;
        self.epoch = index.epoch()?;
        self.mark = index.mark()?;
        writer.set_epoch(&self.epoch);
        if let Ok(mut slot) = self.writer.lock() {
            *slot = Some(writer);
        }
        let previous = std::mem::replace(&mut self.generation, current);
        self.index = index;
        // A second switch before the first was published keeps the first's old generation
        // (the one searches still use) to remove.
        if self.pending_switch.is_none() {
            self.pending_switch = Some(previous);
        } else if !previous.is_empty() {
            self.remove_generation(&previous);
        }
        tracing::info!(generation = %self.generation, watermark = self.watermark, "bytter till det nybyggda sökindexet");
        // The node now reports the new generation's position itself; the build's report
        // can go.
        let mut conn = self.pool.acquire().await?;
        db::replicas::heartbeat(&mut conn, &self.node, self.watermark).await?;
        db::replicas::forget(&mut conn, &super::rebuild::build_report(&self.node)).await?;
        self.reported = Some((std::time::Instant::now(), self.watermark));
        Ok(())
    }

    /// Once the new generation holds everything: searches use it from now on, and the old
    /// generation is deleted.
    fn publish_switch(&mut self) {
        let Some(previous) = self.pending_switch.take() else {
            return;
        };
        self.feed.switched(self.index.clone(), self.watermark);
        tracing::info!(generation = %self.generation, watermark = self.watermark, "sökningarna använder det nybyggda sökindexet");
        if !previous.is_empty() {
            self.remove_generation(&previous);
        }
    }

    fn remove_generation(&self, name: &str) {
        if let Err(e) = self.location.remove(name) {
            tracing::warn!(error = %e, "det gamla sökindexet kunde inte tas bort");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_half_a_minute() {
        assert_eq!(retry_delay(0), POLL);
        assert_eq!(retry_delay(1), POLL * 2);
        assert!(retry_delay(3) > retry_delay(2));
        assert_eq!(retry_delay(20), MAX_RETRY_DELAY);
        assert_eq!(retry_delay(u32::MAX), MAX_RETRY_DELAY);
    }
}
