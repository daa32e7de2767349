//! Who belongs to a group and in what role (owner, moderator, member), requests to join
//! closed groups, and what happens when a member leaves: an owner's group passes to the
//! longest-standing moderator, else the longest-standing member, and an empty group goes.

use hallbar_index::{ContentKind, Slug};

use super::codec::{self, DbRow};
use super::{AsConn, on_db, outbox};

/// A member's role in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Owner,
    Moderator,
    Member,
}

impl Role {
    /// As stored.
    pub fn slug(self) -> &'static str {
        match self {
            Role::Owner => "agare",
            Role::Moderator => "moderator",
            Role::Member => "medlem",
        }
    }

    /// As a page names it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "ägare",
            Role::Moderator => "moderator",
            Role::Member => "medlem",
        }
    }

    /// As read from the database.
    pub fn from_slug(slug: &str) -> sqlx::Result<Role> {
        match slug {
            "agare" => Ok(Role::Owner),
            "moderator" => Ok(Role::Moderator),
            "medlem" => Ok(Role::Member),
            other => Err(sqlx::Error::Decode(
                format!("okänd roll i gruppen: {other}").into(),
            )),
        }
    }

    /// Whether this role decides on requests to join.
    pub fn moderates(self) -> bool {
        matches!(self, Role::Owner | Role::Moderator)
    }
}

/// One member of a group, as its page lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub member: Slug,
    pub name: String,
    pub role: Role,
    /// Unix seconds.
    pub joined_at: i64,
}

/// A request to join a closed group.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinRequest {
    pub member: Slug,
    pub name: String,
    pub message: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// `member_id`'s role in a group, when they belong to it.
pub async fn role(
    conn: &mut impl AsConn,
    group_id: &str,
    member_id: &str,
) -> sqlx::Result<Option<Role>> {
    let role: Option<String> = on_db!(conn, |c| {
        sqlx::query_scalar("SELECT role FROM group_members WHERE group_id = $1 AND member_id = $2")
            .bind(group_id)
            .bind(member_id)
            .fetch_optional(&mut *c)
            .await?
    });
    role.as_deref().map(Role::from_slug).transpose()
}

/// A group's members with their names: the owner, then moderators, then members, each by
/// when they joined.
pub async fn list(conn: &mut impl AsConn, group_id: &str) -> sqlx::Result<Vec<Membership>> {
    let mut members = on_db!(conn, |c| {
        sqlx::query(
            "SELECT gm.member_id, m.name, gm.role, gm.joined_at FROM group_members gm \
             JOIN members m ON m.id = gm.member_id WHERE gm.group_id = $1 \
             ORDER BY gm.joined_at, gm.member_id",
        )
        .bind(group_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok(Membership {
                member: codec::slug(row, "member_id")?,
                name: row.text("name")?,
                role: Role::from_slug(&row.text("role")?)?,
                joined_at: row.int("joined_at")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?
    });
    members.sort_by_key(|m| m.role);
    Ok(members)
}

/// Adds `member_id` to a group as a member (and drops their request); false when they
/// already belonged to it.
pub async fn join(
    conn: &mut impl AsConn,
    group_id: &str,
    member_id: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let added = on_db!(conn, |c| {
        sqlx::query("DELETE FROM group_requests WHERE group_id = $1 AND member_id = $2")
            .bind(group_id)
            .bind(member_id)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO group_members (group_id, member_id, role, joined_at) \
             VALUES ($1, $2, 'medlem', $3) ON CONFLICT (group_id, member_id) DO NOTHING",
        )
        .bind(group_id)
        .bind(member_id)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if added > 0 {
        // Who belongs to a closed group decides who sees its content.
        outbox::append(conn, ContentKind::Group, group_id).await?;
    }
    Ok(added > 0)
}

/// What became of a group when someone left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Departure {
    /// They were not in the group.
    NotMember,
    /// They left; the group goes on as before.
    Left,
    /// The owner left and the group passed to this member.
    NewOwner(String),
    /// Nobody was left, so the group was deleted.
    Deleted,
}

/// Takes `member_id` out of a group. An owner's group passes to the longest-standing
/// moderator, else the longest-standing member (who becomes the owner); a group nobody is
/// left in is deleted.
pub async fn leave(
    conn: &mut impl AsConn,
    group_id: &str,
    member_id: &str,
) -> sqlx::Result<Departure> {
    let was_owner: bool = on_db!(conn, |c| {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM groups WHERE id = $1 AND created_by = $2) AS found",
        )
        .bind(group_id)
        .bind(member_id)
        .fetch_one(&mut *c)
        .await?
    });
    let removed = on_db!(conn, |c| {
        sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND member_id = $2")
            .bind(group_id)
            .bind(member_id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if removed == 0 && !was_owner {
        return Ok(Departure::NotMember);
    }
    let heir: Option<String> = on_db!(conn, |c| {
        sqlx::query_scalar(
            "SELECT member_id FROM group_members WHERE group_id = $1 \
             ORDER BY CASE role WHEN 'agare' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, \
               joined_at, member_id LIMIT 1",
        )
        .bind(group_id)
        .fetch_optional(&mut *c)
        .await?
    });
    let departure = match heir {
        None => {
            super::groups::delete(conn, group_id).await?;
            return Ok(Departure::Deleted);
        }
        Some(heir) if was_owner => {
            make_owner(conn, group_id, &heir).await?;
            Departure::NewOwner(heir)
        }
        Some(_) => Departure::Left,
    };
    outbox::append(conn, ContentKind::Group, group_id).await?;
    Ok(departure)
}

/// Makes `member_id` the group's owner; the owner before stays as a moderator.
async fn make_owner(conn: &mut impl AsConn, group_id: &str, member_id: &str) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "UPDATE group_members SET role = CASE WHEN member_id = $2 THEN 'agare' \
               WHEN role = 'agare' THEN 'moderator' ELSE role END WHERE group_id = $1",
        )
        .bind(group_id)
        .bind(member_id)
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE groups SET created_by = $2 WHERE id = $1")
            .bind(group_id)
            .bind(member_id)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Hands the group over to another of its members; false when they are not one.
pub async fn hand_over(
    conn: &mut impl AsConn,
    group_id: &str,
    member_id: &str,
) -> sqlx::Result<bool> {
    if role(conn, group_id, member_id).await?.is_none() {
        return Ok(false);
    }
    make_owner(conn, group_id, member_id).await?;
    outbox::append(conn, ContentKind::Group, group_id).await?;
    Ok(true)
}

/// Makes a member a moderator (`true`) or a member again (`false`); false when they are not
/// in the group or are its owner.
pub async fn set_moderator(
    conn: &mut impl AsConn,
    group_id: &str,
    member_id: &str,
    moderator: bool,
) -> sqlx::Result<bool> {
    let role = if moderator {
        Role::Moderator
    } else {
        Role::Member
    };
    let changed = on_db!(conn, |c| {
        sqlx::query(
            "UPDATE group_members SET role = $3 \
             WHERE group_id = $1 AND member_id = $2 AND role <> 'agare'",
        )
        .bind(group_id)
        .bind(member_id)
        .bind(role.slug())
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(changed > 0)
}

/// Asks to join a closed group; false when the request was already made.
pub async fn request(
    conn: &mut impl AsConn,
    group_id: &str,
    member_id: &str,
    message: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let added = on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO group_requests (group_id, member_id, message, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, member_id) DO NOTHING",
        )
        .bind(group_id)
        .bind(member_id)
        .bind(message)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(added > 0)
}

/// Whether `member_id` has asked to join and is waiting for an answer.
pub async fn has_requested(
    conn: &mut impl AsConn,
    group_id: &str,
    member_id: &str,
) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM group_requests WHERE group_id = $1 \
               AND member_id = $2) AS found",
        )
        .bind(group_id)
        .bind(member_id)
        .fetch_one(&mut *c)
        .await?
        .flag("found")
    })
}

/// A group's waiting requests, oldest first.
pub async fn requests(conn: &mut impl AsConn, group_id: &str) -> sqlx::Result<Vec<JoinRequest>> {
    on_db!(conn, |c| {
        sqlx::query(
            "SELECT r.member_id, m.name, r.message, r.created_at FROM group_requests r \
             JOIN members m ON m.id = r.member_id WHERE r.group_id = $1 \
             ORDER BY r.created_at, r.member_id",
        )
        .bind(group_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok(JoinRequest {
                member: codec::slug(row, "member_id")?,
                name: row.text("name")?,
                message: row.text("message")?,
                created_at: row.int("created_at")?,
            })
        })
        .collect()
    })
}

/// Answers a request: approved, the member joins; either way the request goes. False when
/// there was no such request.
pub async fn decide(
    conn: &mut impl AsConn,
    group_id: &str,
    member_id: &str,
    approve: bool,
    now: i64,
) -> sqlx::Result<bool> {
    let removed = on_db!(conn, |c| {
        sqlx::query("DELETE FROM group_requests WHERE group_id = $1 AND member_id = $2")
            .bind(group_id)
            .bind(member_id)
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    if removed == 0 {
        return Ok(false);
    }
    if approve {
        join(conn, group_id, member_id, now).await?;
    }
    Ok(true)
}
