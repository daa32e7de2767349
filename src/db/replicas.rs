//! Outbox retention: each node's indexer reports how far it has read the outbox (a
//! heartbeat, timed by the database's clock), and rows every live node has read are
//! pruned. A node not heard from for [`LIVE_MINUTES`] no longer holds rows back; if it
//! comes back, its index is behind what the outbox still holds and it rebuilds (see
//! [`super::epoch::index_matches`]).

use chrono::{DateTime, Utc};

use super::codec::DbRow;
use super::dialect::Dialect;
use super::{AsConn, on_db};

/// How long, in minutes of the database's clock, a node counts as live after its last
/// heartbeat.
pub const LIVE_MINUTES: u32 = 15;

/// Records that `node`'s index has read the outbox up to `watermark`, at the database's
/// time (the nodes' clocks play no part).
pub async fn heartbeat(conn: &mut impl AsConn, node: &str, watermark: i64) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        let sql = format!(
            "INSERT INTO index_replicas (node_id, watermark, seen_at) VALUES ($1, $2, {now}) \
             ON CONFLICT (node_id) DO UPDATE SET watermark = excluded.watermark, \
               seen_at = excluded.seen_at",
            now = <Db as Dialect>::NOW
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(node)
            .bind(watermark)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Removes the outbox rows every node heard from in the last [`LIVE_MINUTES`] has read,
/// always keeping the newest row (it numbers the next), and forgets nodes not heard from
/// for a day. Returns how many outbox rows went.
pub async fn prune(conn: &mut impl AsConn) -> sqlx::Result<u64> {
    on_db!(conn, |c| {
        let forget = format!(
            "DELETE FROM index_replicas WHERE seen_at < {}",
            <Db as Dialect>::minutes_ago(24 * 60)
        );
        sqlx::query(sqlx::AssertSqlSafe(forget))
            .execute(&mut *c)
            .await?;
        let live = format!(
            "SELECT min(watermark) FROM index_replicas WHERE seen_at >= {}",
            <Db as Dialect>::minutes_ago(LIVE_MINUTES)
        );
        let lowest: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(live))
            .fetch_one(&mut *c)
            .await?;
        let Some(lowest) = lowest else {
            return Ok(0);
        };
        let done = sqlx::query(
            "DELETE FROM index_outbox WHERE seq < $1 \
             AND seq < (SELECT max(seq) FROM index_outbox)",
        )
        .bind(lowest)
        .execute(&mut *c)
        .await?;
        Ok(done.rows_affected())
    })
}

/// Forgets a report (a build's, once the node follows what it built).
pub async fn forget(conn: &mut impl AsConn, node: &str) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query("DELETE FROM index_replicas WHERE node_id = $1")
            .bind(node)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Every node's report: `(node, watermark, last heard from)`, by node.
pub async fn list(conn: &mut impl AsConn) -> sqlx::Result<Vec<(String, i64, DateTime<Utc>)>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT node_id, watermark, seen_at FROM index_replicas ORDER BY node_id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|row| {
                Ok((
                    row.text("node_id")?,
                    row.int("watermark")?,
                    row.moment("seen_at")?,
                ))
            })
            .collect()
    })
}
