//! A member's activity feed: the newest posts in the groups they belong to (a thread's
//! first post is a new thread, later ones replies).

use super::codec::DbRow;
use super::{AsConn, on_db};

/// One post in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupPost {
    pub thread_id: String,
    pub thread_title: String,
    pub group_id: String,
    pub group_name: String,
    pub author_name: String,
    /// Whether the post opened its thread.
    pub opened_thread: bool,
    pub created: chrono::DateTime<chrono::Utc>,
}

/// The newest posts, at most `limit`, in the groups `member_id` belongs to (a group's
/// content is its members' to see, so nothing of a group they left).
pub async fn in_members_groups(
    conn: &mut impl AsConn,
    member_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<GroupPost>> {
    on_db!(conn, |c| {
        let rows = sqlx::query(
            "SELECT t.id AS thread_id, t.title, g.id AS group_id, g.name AS group_name, \
                    COALESCE(m.name, '') AS author_name, p.created, \
                    p.position = (SELECT min(q.position) FROM posts q WHERE q.thread_id = t.id) \
                      AS opened \
             FROM posts p JOIN threads t ON t.id = p.thread_id \
             JOIN groups g ON g.id = t.group_id \
             JOIN group_members gm ON gm.group_id = g.id AND gm.member_id = $1 \
             LEFT JOIN members m ON m.id = p.author_id \
             ORDER BY p.created DESC, p.id DESC LIMIT $2",
        )
        .bind(member_id)
        .bind(limit)
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(GroupPost {
                    thread_id: row.text("thread_id")?,
                    thread_title: row.text("title")?,
                    group_id: row.text("group_id")?,
                    group_name: row.text("group_name")?,
                    author_name: row.text("author_name")?,
                    opened_thread: row.flag("opened")?,
                    created: row.moment("created")?,
                })
            })
            .collect()
    })
}
