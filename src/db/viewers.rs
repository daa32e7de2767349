//! Who a member is to the search: the closed groups whose content they may see.

use hallbar_index::Slug;
use hallbar_index::search::Viewer;

use super::codec;
use super::{AsConn, members, on_db};

/// The search viewer for a member, or `None` when the member does not exist.
pub async fn viewer_for_member(
    conn: &mut impl AsConn,
    member_id: &str,
) -> sqlx::Result<Option<Viewer>> {
    if !members::exists(conn, member_id).await? {
        return Ok(None);
    }
    let groups = closed_groups(conn, member_id).await?;
    Ok(Some(Viewer::Member {
        id: Slug::new(member_id).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
        groups,
    }))
}

/// The closed groups `member_id` belongs to, sorted by id.
pub async fn closed_groups(conn: &mut impl AsConn, member_id: &str) -> sqlx::Result<Vec<Slug>> {
    Ok(on_db!(conn, |c| {
        sqlx::query(
            "SELECT g.id FROM groups g JOIN group_members m ON m.group_id = g.id \
             WHERE m.member_id = $1 AND g.access = 'stangd' ORDER BY g.id",
        )
        .bind(member_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| codec::slug(r, "id"))
        .collect::<sqlx::Result<Vec<Slug>>>()?
    }))
}
