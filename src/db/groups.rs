//! Groups and who belongs to them.

use hallbar_index::{ContentKind, Group, Slug};

use super::codec::{self, DbRow};
use super::{AsConn, on_db, outbox};

/// A group as its row holds it (its members are read separately).
fn from_row(row: &impl DbRow) -> sqlx::Result<Group> {
    Ok(Group {
        id: codec::slug(row, "id")?,
        name: row.text("name")?,
        description: row.text("description")?,
        access: codec::closed(row, "access")?,
        created: row.date("created")?,
        created_by: codec::slug(row, "created_by")?,
        members: Vec::new(),
    })
}

/// Creates or updates a group and replaces its member list.
pub async fn upsert(conn: &mut impl AsConn, group: &Group) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO groups (id, name, description, access, created, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6) \
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
        .execute(&mut *c)
        .await?;
        sqlx::query("DELETE FROM group_members WHERE group_id = $1")
            .bind(group.id.as_str())
            .execute(&mut *c)
            .await?;
        for member in &group.members {
            sqlx::query("INSERT INTO group_members (group_id, member_id) VALUES ($1, $2)")
                .bind(group.id.as_str())
                .bind(member.as_str())
                .execute(&mut *c)
                .await?;
        }
    });
    // Access and membership decide who may see the group's threads.
    outbox::append(conn, ContentKind::Group, group.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<Group>> {
    let group = on_db!(conn, |c| {
        sqlx::query("SELECT * FROM groups WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()?
    });
    match group {
        Some(mut group) => {
            group.members = member_ids(conn, group.id.as_str()).await?;
            Ok(Some(group))
        }
        None => Ok(None),
    }
}

/// Every group with its members, sorted by id.
pub async fn list(conn: &mut impl AsConn) -> sqlx::Result<Vec<Group>> {
    let mut groups = on_db!(conn, |c| {
        sqlx::query("SELECT * FROM groups ORDER BY id")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect::<sqlx::Result<Vec<_>>>()?
    });
    for group in &mut groups {
        group.members = member_ids(conn, group.id.as_str()).await?;
    }
    Ok(groups)
}

/// A group's member ids, sorted.
pub async fn member_ids(conn: &mut impl AsConn, group_id: &str) -> sqlx::Result<Vec<Slug>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT member_id FROM group_members WHERE group_id = $1 ORDER BY member_id")
            .bind(group_id)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| codec::slug(r, "member_id"))
            .collect()
    })
}

pub async fn is_member(
    conn: &mut impl AsConn,
    group_id: &str,
    member_id: &str,
) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM group_members WHERE group_id = $1 AND member_id = $2) \
             AS found",
        )
        .bind(group_id)
        .bind(member_id)
        .fetch_one(&mut *c)
        .await?
        .flag("found")
    })
}

pub async fn exists(conn: &mut impl AsConn, id: &str) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        sqlx::query("SELECT EXISTS (SELECT 1 FROM groups WHERE id = $1) AS found")
            .bind(id)
            .fetch_one(&mut *c)
            .await?
            .flag("found")
    })
}
