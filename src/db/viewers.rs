//! Who a member is to the search: the closed groups whose content they may see.

use hallbar_index::Slug;
use hallbar_index::search::Viewer;
use sqlx::{Row, SqliteConnection};

use super::codec;

/// The search viewer for a member, or `None` when the member does not exist.
pub async fn viewer_for_member(
    conn: &mut SqliteConnection,
    member_id: &str,
) -> sqlx::Result<Option<Viewer>> {
    let exists: bool = sqlx::query("SELECT EXISTS (SELECT 1 FROM members WHERE id = ?) AS found")
        .bind(member_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("found")?;
    if !exists {
        return Ok(None);
    }
    let groups = sqlx::query(
        "SELECT g.id FROM groups g JOIN group_members m ON m.group_id = g.id \
         WHERE m.member_id = ? AND g.access = 'stangd' ORDER BY g.id",
    )
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| codec::slug(r, "id"))
    .collect::<sqlx::Result<Vec<Slug>>>()?;
    Ok(Some(Viewer::Member {
        id: Slug::new(member_id).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        groups,
    }))
}
