//! What the admin pages read: the accounts with their roles and the counts on `/admin`.

use super::codec::DbRow;
use super::{AsConn, on_db};

/// An account as the members page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLine {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub member_id: Option<String>,
    pub admin: bool,
}

/// One page of the verified accounts, by name.
pub async fn accounts(
    conn: &mut impl AsConn,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<AccountLine>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT a.id, coalesce(m.name, a.name) AS name, a.email, a.member_id, a.role \
             FROM accounts a LEFT JOIN members m ON m.id = a.member_id \
             WHERE a.verified_at IS NOT NULL \
             ORDER BY lower(coalesce(m.name, a.name)), a.id LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok(AccountLine {
                id: row.int("id")?,
                name: row.text("name")?,
                email: row.text("email")?,
                member_id: row.optional_text("member_id")?,
                admin: row.text("role")? == "admin",
            })
        })
        .collect()
    })
}

/// How many verified accounts there are.
pub async fn account_count(conn: &mut impl AsConn) -> sqlx::Result<i64> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT count(*) FROM accounts WHERE verified_at IS NOT NULL")
            .fetch_one(&mut *c)
            .await
    })
}

/// Sets the role of the verified account `id`; false when there is none.
pub async fn set_role_of(
    conn: &mut impl AsConn,
    id: i64,
    role: super::accounts::Role,
) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        let done =
            sqlx::query("UPDATE accounts SET role = $1 WHERE id = $2 AND verified_at IS NOT NULL")
                .bind(role.slug())
                .bind(id)
                .execute(&mut *c)
                .await?;
        Ok(done.rows_affected() > 0)
    })
}

/// The ids of the site admins.
pub async fn admin_ids(conn: &mut impl AsConn) -> sqlx::Result<Vec<i64>> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT id FROM accounts WHERE role = 'admin' ORDER BY id")
            .fetch_all(&mut *c)
            .await
    })
}

/// Every `(account, model)` pair of editors.
pub async fn editors(conn: &mut impl AsConn) -> sqlx::Result<Vec<(i64, String)>> {
    on_db!(conn, |c| {
        sqlx::query_as("SELECT account_id, model_id FROM model_editors ORDER BY model_id")
            .fetch_all(&mut *c)
            .await
    })
}

/// Reports not yet acted on (the moderation queue).
pub async fn open_reports(conn: &mut impl AsConn) -> sqlx::Result<i64> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT count(*) FROM post_reports WHERE closed_at IS NULL")
            .fetch_one(&mut *c)
            .await
    })
}

/// Members' proposals waiting for an editor.
pub async fn waiting_proposals(conn: &mut impl AsConn) -> sqlx::Result<i64> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT count(*) FROM proposals WHERE status = 'vantar'")
            .fetch_one(&mut *c)
            .await
    })
}
