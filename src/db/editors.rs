//! Editors (redaktörer): which accounts may edit which support model's content.

use super::{AsConn, on_db};

/// Makes `account_id` an editor of `model_id`; false when it already was.
pub async fn grant(
    conn: &mut impl AsConn,
    account_id: i64,
    model_id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let added = on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO model_editors (account_id, model_id, granted_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(account_id)
        .bind(model_id)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(added > 0)
}

/// Ends `account_id`'s editing of `model_id`; false when it was no editor of it.
pub async fn revoke(conn: &mut impl AsConn, account_id: i64, model_id: &str) -> sqlx::Result<bool> {
    let removed = on_db!(conn, |c| {
        sqlx::query("DELETE FROM model_editors WHERE account_id = $1 AND model_id = $2")
            .bind(account_id)
            .bind(model_id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    Ok(removed > 0)
}

/// The models `account_id` edits, sorted.
pub async fn models_of(conn: &mut impl AsConn, account_id: i64) -> sqlx::Result<Vec<String>> {
    on_db!(conn, |c| {
        sqlx::query_scalar(
            "SELECT model_id FROM model_editors WHERE account_id = $1 ORDER BY model_id",
        )
        .bind(account_id)
        .fetch_all(&mut *c)
        .await
    })
}

/// Whether `account_id` edits `model_id`.
pub async fn edits(conn: &mut impl AsConn, account_id: i64, model_id: &str) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM model_editors WHERE account_id = $1 \
             AND model_id = $2) AS found",
        )
        .bind(account_id)
        .bind(model_id)
        .fetch_one(&mut *c)
        .await
    })
}

/// The accounts that edit `model_id`, oldest grant first.
pub async fn of_model(conn: &mut impl AsConn, model_id: &str) -> sqlx::Result<Vec<i64>> {
    on_db!(conn, |c| {
        sqlx::query_scalar(
            "SELECT account_id FROM model_editors WHERE model_id = $1 \
             ORDER BY granted_at, account_id",
        )
        .bind(model_id)
        .fetch_all(&mut *c)
        .await
    })
}
