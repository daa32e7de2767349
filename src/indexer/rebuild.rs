//! Building a complete new index from a database snapshot, then switching to it.

use std::sync::Arc;

use crate::db::Db;
use anyhow::Context;
use hallbar_index::SearchIndex;

use super::documents::all_documents;
use super::location::IndexLocation;
use crate::db;

/// What a rebuild produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    pub generation: String,
    pub documents: u64,
    /// The outbox position the new index is complete up to.
    pub watermark: i64,
}

/// Builds a new generation from one consistent snapshot of the database and makes it
/// current, then removes generations nothing uses. `progress(done, total)` is called as
/// documents are added. A server that is running notices the switch and replays the
/// outbox from the new watermark.
pub async fn rebuild(
    pool: &Db,
    location: &IndexLocation,
    progress: Arc<dyn Fn(u64, u64) + Send + Sync>,
) -> anyhow::Result<Rebuilt> {
    let rebuilt = build_next(pool, location, progress).await?;
    super::remove_abandoned(location);
    Ok(rebuilt)
}

/// The name under which a build in progress reports how far its snapshot reaches, beside
/// the node's own report (a server's follower keeps reporting its own position meanwhile).
pub fn build_report(node: &str) -> String {
    format!("{node}:bygge")
}

/// How often a build in progress renews its report.
const BUILD_REPORT_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Builds a new generation and makes it current, leaving other generations alone (what a
/// running server's follower calls: searches may still use the one before).
pub async fn build_next(
    pool: &Db,
    location: &IndexLocation,
    progress: Arc<dyn Fn(u64, u64) + Send + Sync>,
) -> anyhow::Result<Rebuilt> {
    // Before the snapshot (which may not write): the epoch exists, and the build reports
    // the outbox's current end, renewed while it runs, so that no node prunes rows the new
    // generation will read after its snapshot.
    let report = build_report(&location.node_id()?);
    let latest = {
        let mut conn = pool.acquire().await?;
        db::epoch::current(&mut conn).await?;
        let latest = db::outbox::latest(&mut conn).await?;
        db::replicas::heartbeat(&mut conn, &report, latest).await?;
        latest
    };
    let renewer = {
        let (pool, report) = (pool.clone(), report.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(BUILD_REPORT_EVERY).await;
                if let Ok(mut conn) = pool.acquire().await {
                    let _ = db::replicas::heartbeat(&mut conn, &report, latest).await;
                }
            }
        })
    };
    let built = build_from_snapshot(pool, location, progress).await;
    renewer.abort();
    built
}

async fn build_from_snapshot(
    pool: &Db,
    location: &IndexLocation,
    progress: Arc<dyn Fn(u64, u64) + Send + Sync>,
) -> anyhow::Result<Rebuilt> {
    // One read transaction: the watermark and the documents come from the same snapshot.
    let mut snapshot = pool.begin_snapshot().await?;
    let epoch = db::epoch::read(&mut snapshot).await?;
    let watermark = db::outbox::latest(&mut snapshot).await?;
    let mark = db::outbox::mark(&mut snapshot, watermark)
        .await?
        .unwrap_or_default();
    let documents = all_documents(&mut snapshot, |_| {}).await?;
    snapshot.rollback().await?;

    let previous = location.current()?;
    let generation = location.new_generation();
    let dir = location.dir(&generation);
    let total = documents.len() as u64;
    let built = tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let index = SearchIndex::open_or_create(&dir)
            .with_context(|| format!("kunde inte skapa sökindexet i {}", dir.display()))?;
        let mut writer = index.bulk_writer()?;
        writer.set_epoch(&epoch);
        writer.set_mark(&mark);
        for (i, doc) in documents.iter().enumerate() {
            writer.add(doc)?;
            if i % 500 == 0 {
                progress(i as u64, total);
            }
        }
        writer.commit(watermark)?;
        writer.wait_merging_threads()?;
        progress(total, total);
        Ok(())
    })
    .await
    .context("indexbygget avbröts")?;
    if let Err(e) = built {
        let _ = location.remove(&generation);
        return Err(e);
    }
    location
        .switch_to(&generation)
        .context("kunde inte byta till det nya sökindexet")?;
    if let Some(previous) = previous {
        remove_if_unused(location, &previous);
    }
    Ok(Rebuilt {
        generation,
        documents: total,
        watermark,
    })
}

/// Deletes an old generation unless a running server still holds its writer (that server
/// deletes it itself once it has switched).
fn remove_if_unused(location: &IndexLocation, name: &str) {
    let dir = location.dir(name);
    let unused = SearchIndex::open_or_create(&dir)
        .and_then(|index| index.writer())
        .is_ok();
    if unused && let Err(e) = location.remove(name) {
        tracing::warn!(error = %e, "det gamla sökindexet kunde inte tas bort");
    }
}
