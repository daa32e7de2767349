//! Outbox retention: each node's indexer reports how far it has read the outbox (a
//! heartbeat), and rows every live node has read are pruned. A node not heard from for
//! [`LIVE_FOR`] no longer holds rows back; if it comes back, its index is behind what the
//! outbox still holds and it rebuilds (see [`super::epoch::index_matches`]).

use chrono::{DateTime, TimeDelta, Utc};

use super::codec::DbRow;
use super::{AsConn, on_db};

/// How long a node counts as live after its last heartbeat.
pub const LIVE_FOR: TimeDelta = TimeDelta::minutes(15);

/// Records that `node`'s index has read the outbox up to `watermark`.
pub async fn heartbeat(
    conn: &mut impl AsConn,
    node: &str,
    watermark: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO index_replicas (node_id, watermark, seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (node_id) DO UPDATE SET watermark = excluded.watermark, \
               seen_at = excluded.seen_at",
        )
        .bind(node)
        .bind(watermark)
        .bind(now)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// Removes the outbox rows every node heard from since `now - LIVE_FOR` has read, always
/// keeping the newest row (it numbers the next). Returns how many rows went.
pub async fn prune(conn: &mut impl AsConn, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let cutoff = now - LIVE_FOR;
    on_db!(conn, |c| {
        let lowest: Option<i64> =
            sqlx::query_scalar("SELECT min(watermark) FROM index_replicas WHERE seen_at >= $1")
                .bind(cutoff)
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
