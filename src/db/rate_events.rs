//! Attempts counted by rate limits, in the database so every node counts the same: a row
//! per attempt in a named bucket, counted over a window.

use super::{AsConn, on_db};

/// Records an attempt in `bucket` at `now` and removes the bucket's rows older than
/// `forget_before` (so a bucket never holds more than its window's attempts).
pub async fn record(
    conn: &mut impl AsConn,
    bucket: &str,
    now: i64,
    forget_before: i64,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND at < $2")
            .bind(bucket)
            .bind(forget_before)
            .execute(&mut *c)
            .await?;
        sqlx::query("INSERT INTO rate_events (bucket, at) VALUES ($1, $2)")
            .bind(bucket)
            .bind(now)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// How many attempts `bucket` holds since `since`.
pub async fn count_since(conn: &mut impl AsConn, bucket: &str, since: i64) -> sqlx::Result<i64> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT count(*) FROM rate_events WHERE bucket = $1 AND at >= $2")
            .bind(bucket)
            .bind(since)
            .fetch_one(&mut *c)
            .await
    })
}

/// Removes every attempt older than `before` (all buckets).
pub async fn prune(conn: &mut impl AsConn, before: i64) -> sqlx::Result<u64> {
    on_db!(conn, |c| {
        let done = sqlx::query("DELETE FROM rate_events WHERE at < $1")
            .bind(before)
            .execute(&mut *c)
            .await?;
        Ok(done.rows_affected())
    })
}
