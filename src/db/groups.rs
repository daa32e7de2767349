//! Groups: their rows, the lists the group pages show, and creating and deleting them
//! (membership, roles and requests are in [`super::group_members`]).

use chrono::{DateTime, Utc};
use hallbar_index::{ContentKind, Group, GroupAccess, Slug};
use sqlx::types::Json;

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
        district: codec::optional_closed(row, "district")?,
        topics: codec::json(row, "topics")?,
    })
}

/// Creates or updates a group (as imported) and replaces its member list: members who stay
/// keep their role and join time, new ones are members, the creator is the owner.
pub async fn upsert(conn: &mut impl AsConn, group: &Group) -> sqlx::Result<()> {
    let joined_at = group
        .created
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp());
    let before = member_ids(conn, group.id.as_str()).await?;
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO groups (id, name, description, access, created, created_by, district, \
                                 topics) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, \
               description = excluded.description, access = excluded.access, \
               created = excluded.created, created_by = excluded.created_by, \
               district = excluded.district, topics = excluded.topics",
        )
        .bind(group.id.as_str())
        .bind(&group.name)
        .bind(&group.description)
        .bind(group.access.slug())
        .bind(group.created)
        .bind(group.created_by.as_str())
        .bind(group.district.map(|d| d.slug()))
        .bind(Json(&group.topics))
        .execute(&mut *c)
        .await?;
        for gone in before.iter().filter(|m| !group.members.contains(m)) {
            sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND member_id = $2")
                .bind(group.id.as_str())
                .bind(gone.as_str())
                .execute(&mut *c)
                .await?;
        }
        for member in &group.members {
            sqlx::query(
                "INSERT INTO group_members (group_id, member_id, role, joined_at) \
                 VALUES ($1, $2, 'medlem', $3) ON CONFLICT (group_id, member_id) DO NOTHING",
            )
            .bind(group.id.as_str())
            .bind(member.as_str())
            .bind(joined_at)
            .execute(&mut *c)
            .await?;
        }
        sqlx::query(
            "UPDATE group_members SET role = CASE WHEN member_id = $2 THEN 'agare' \
               WHEN role = 'agare' THEN 'medlem' ELSE role END WHERE group_id = $1",
        )
        .bind(group.id.as_str())
        .bind(group.created_by.as_str())
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "DELETE FROM group_requests WHERE group_id = $1 AND member_id IN \
               (SELECT member_id FROM group_members WHERE group_id = $1)",
        )
        .bind(group.id.as_str())
        .execute(&mut *c)
        .await?;
    });
    // Access and membership decide who may see the group's threads.
    outbox::append(conn, ContentKind::Group, group.id.as_str()).await?;
    Ok(())
}

/// Creates a new group with its creator (`group.created_by`) as its owner, who joined at
/// `now` (Unix seconds).
pub async fn create(conn: &mut impl AsConn, group: &Group, now: i64) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO groups (id, name, description, access, created, created_by, district, \
                                 topics) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(group.id.as_str())
        .bind(&group.name)
        .bind(&group.description)
        .bind(group.access.slug())
        .bind(group.created)
        .bind(group.created_by.as_str())
        .bind(group.district.map(|d| d.slug()))
        .bind(Json(&group.topics))
        .execute(&mut *c)
        .await?;
        sqlx::query(
            "INSERT INTO group_members (group_id, member_id, role, joined_at) \
             VALUES ($1, $2, 'agare', $3)",
        )
        .bind(group.id.as_str())
        .bind(group.created_by.as_str())
        .bind(now)
        .execute(&mut *c)
        .await?;
    });
    outbox::append(conn, ContentKind::Group, group.id.as_str()).await?;
    Ok(())
}

/// Deletes a group with its threads, requests and memberships, telling the index about
/// the group and each of its threads.
pub async fn delete(conn: &mut impl AsConn, id: &str) -> sqlx::Result<()> {
    let threads = super::threads::ids_in_group(conn, id).await?;
    on_db!(conn, |c| {
        sqlx::query("DELETE FROM groups WHERE id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    for thread in &threads {
        outbox::append(conn, ContentKind::Thread, thread).await?;
    }
    outbox::append(conn, ContentKind::Group, id).await?;
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

/// Words that are pages under `/grupper/`, never a group's id.
const RESERVED: &[&str] = &["ny", "sok"];

/// A new group id from a name: its slug, with a number added when taken.
pub async fn free_id(conn: &mut impl AsConn, name: &str) -> sqlx::Result<Slug> {
    let base = super::members::slug_of(name, "grupp");
    for n in 1u32.. {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        if !RESERVED.contains(&candidate.as_str()) && !exists(conn, &candidate).await? {
            return Slug::new(&candidate).map_err(|e| sqlx::Error::Decode(Box::new(e)));
        }
    }
    unreachable!("u32 ids run out first")
}

/// A group as the group list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub id: Slug,
    pub name: String,
    pub description: String,
    pub access: GroupAccess,
    pub members: i64,
    /// When the latest post in its threads was written.
    pub latest: Option<DateTime<Utc>>,
}

const SUMMARY: &str = "SELECT g.id, g.name, g.description, g.access, \
       (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS member_count, \
       (SELECT MAX(p.created) FROM posts p JOIN threads t ON t.id = p.thread_id \
        WHERE t.group_id = g.id) AS latest \
     FROM groups g";

fn summary_from_row(row: &impl DbRow) -> sqlx::Result<Summary> {
    Ok(Summary {
        id: codec::slug(row, "id")?,
        name: row.text("name")?,
        description: row.text("description")?,
        access: codec::closed(row, "access")?,
        members: row.int("member_count")?,
        latest: row.optional_moment("latest")?,
    })
}

/// Every group, with its member count and latest activity, by id.
pub async fn summaries(conn: &mut impl AsConn) -> sqlx::Result<Vec<Summary>> {
    on_db!(conn, |c| {
        sqlx::query(sqlx::AssertSqlSafe(format!("{SUMMARY} ORDER BY g.id")))
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(summary_from_row)
            .collect()
    })
}

/// The groups `member_id` belongs to, by name.
pub async fn of_member(conn: &mut impl AsConn, member_id: &str) -> sqlx::Result<Vec<Summary>> {
    on_db!(conn, |c| {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SUMMARY} WHERE g.id IN (SELECT group_id FROM group_members WHERE member_id = $1) \
             ORDER BY g.name, g.id"
        )))
        .bind(member_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(summary_from_row)
        .collect()
    })
}

/// A thread as a group's page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadSummary {
    pub id: Slug,
    pub title: String,
    pub posts: i64,
    pub latest: Option<DateTime<Utc>>,
}

/// A group's threads, the one with the newest post first.
pub async fn threads(conn: &mut impl AsConn, group_id: &str) -> sqlx::Result<Vec<ThreadSummary>> {
    on_db!(conn, |c| {
        let rows = sqlx::query(
            "SELECT t.id, t.title, COUNT(p.id) AS post_count, MAX(p.created) AS latest \
             FROM threads t LEFT JOIN posts p ON p.thread_id = t.id WHERE t.group_id = $1 \
             GROUP BY t.id, t.title ORDER BY MAX(p.created) IS NULL, MAX(p.created) DESC, t.id",
        )
        .bind(group_id)
        .fetch_all(&mut *c)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(ThreadSummary {
                    id: codec::slug(row, "id")?,
                    title: row.text("title")?,
                    posts: row.int("post_count")?,
                    latest: row.optional_moment("latest")?,
                })
            })
            .collect()
    })
}

/// Every group's id, sorted (a group's name and description are public: the sitemap).
pub async fn all_ids(conn: &mut impl AsConn) -> sqlx::Result<Vec<String>> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT id FROM groups ORDER BY id")
            .fetch_all(&mut *c)
            .await
    })
}
