//! Groups and who belongs to them.

use hallbar_index::{ContentKind, Group, Slug};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{codec, outbox};

async fn from_row(conn: &mut SqliteConnection, row: &SqliteRow) -> sqlx::Result<Group> {
    let id = codec::slug(row, "id")?;
    let members = member_ids(conn, id.as_str()).await?;
    Ok(Group {
        id,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        access: codec::closed(row, "access")?,
        created: row.try_get("created")?,
        created_by: codec::slug(row, "created_by")?,
        members,
    })
}

/// Creates or updates a group and replaces its member list.
pub async fn upsert(conn: &mut SqliteConnection, group: &Group) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO groups (id, name, description, access, created, created_by) \
         VALUES (?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
           description = excluded.description, access = excluded.access, \
           created = excluded.created, created_by = excluded.created_by",
    )
    .bind(group.id.as_str())
    .bind(&group.name)
    .bind(&group.description)
    .bind(group.access.slug())
    .bind(group.created)
    .bind(group.created_by.as_str())
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM group_members WHERE group_id = ?")
        .bind(group.id.as_str())
        .execute(&mut *conn)
        .await?;
    for member in &group.members {
        sqlx::query("INSERT INTO group_members (group_id, member_id) VALUES (?, ?)")
            .bind(group.id.as_str())
            .bind(member.as_str())
            .execute(&mut *conn)
            .await?;
    }
    // Access and membership decide who may see the group's threads.
    outbox::append(conn, ContentKind::Group, group.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<Option<Group>> {
    let row = sqlx::query("SELECT * FROM groups WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(Some(from_row(conn, &row).await?)),
        None => Ok(None),
    }
}

/// Every group with its members, sorted by id.
pub async fn list(conn: &mut SqliteConnection) -> sqlx::Result<Vec<Group>> {
    let rows = sqlx::query("SELECT * FROM groups ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let mut groups = Vec::with_capacity(rows.len());
    for row in &rows {
        groups.push(from_row(conn, row).await?);
    }
    Ok(groups)
}

/// A group's member ids, sorted.
pub async fn member_ids(conn: &mut SqliteConnection, group_id: &str) -> sqlx::Result<Vec<Slug>> {
    let rows =
        sqlx::query("SELECT member_id FROM group_members WHERE group_id = ? ORDER BY member_id")
            .bind(group_id)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(|r| codec::slug(r, "member_id")).collect()
}

pub async fn is_member(
    conn: &mut SqliteConnection,
    group_id: &str,
    member_id: &str,
) -> sqlx::Result<bool> {
    let row = sqlx::query(
        "SELECT EXISTS (SELECT 1 FROM group_members WHERE group_id = ? AND member_id = ?) AS found",
    )
    .bind(group_id)
    .bind(member_id)
    .fetch_one(&mut *conn)
    .await?;
    row.try_get("found")
}

pub async fn exists(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<bool> {
    let row = sqlx::query("SELECT EXISTS (SELECT 1 FROM groups WHERE id = ?) AS found")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    row.try_get("found")
}
