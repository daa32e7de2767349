//! Member profiles.

use hallbar_index::search::Viewer;
use hallbar_index::{ContentKind, Member, ProfileVisibility, Slug};
use sqlx::types::Json;

use super::codec::{self, DbRow};
use super::{AsConn, on_db, outbox};

fn from_row(row: &impl DbRow) -> sqlx::Result<Member> {
    Ok(Member {
        id: codec::slug(row, "id")?,
        name: row.text("name")?,
        title: row.text("title")?,
        organisation: row.text("organisation")?,
        sector: codec::closed(row, "sector")?,
        district: codec::closed(row, "district")?,
        background: row.text("background")?,
        competences: codec::json(row, "competences")?,
        interests: codec::json(row, "interests")?,
        links: codec::json(row, "links")?,
        visibility: codec::closed(row, "visibility")?,
        member_since: row.date("member_since")?,
    })
}

/// Creates or updates a profile, keyed by its id.
pub async fn upsert(conn: &mut impl AsConn, member: &Member) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO members (id, name, title, organisation, sector, district, background, \
                                  competences, interests, visibility, member_since, links) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, title = excluded.title, \
               organisation = excluded.organisation, sector = excluded.sector, \
               district = excluded.district, background = excluded.background, \
               competences = excluded.competences, interests = excluded.interests, \
               visibility = excluded.visibility, member_since = excluded.member_since, \
               links = excluded.links",
        )
        .bind(member.id.as_str())
        .bind(&member.name)
        .bind(&member.title)
        .bind(&member.organisation)
        .bind(member.sector.slug())
        .bind(member.district.slug())
        .bind(&member.background)
        .bind(Json(&member.competences))
        .bind(Json(&member.interests))
        .bind(member.visibility.slug())
        .bind(member.member_since)
        .bind(Json(&member.links))
        .execute(&mut *c)
        .await?;
    });
    outbox::append(conn, ContentKind::Member, member.id.as_str()).await?;
    Ok(())
}

/// Saves an existing profile (never creates one: a profile deleted meanwhile stays
/// deleted); false when there is no profile `member.id`.
pub async fn update(conn: &mut impl AsConn, member: &Member) -> sqlx::Result<bool> {
    let updated = on_db!(conn, |c| {
        sqlx::query(
            "UPDATE members SET name = $2, title = $3, organisation = $4, sector = $5, \
               district = $6, background = $7, competences = $8, interests = $9, \
               visibility = $10, links = $11 WHERE id = $1",
        )
        .bind(member.id.as_str())
        .bind(&member.name)
        .bind(&member.title)
        .bind(&member.organisation)
        .bind(member.sector.slug())
        .bind(member.district.slug())
        .bind(&member.background)
        .bind(Json(&member.competences))
        .bind(Json(&member.interests))
        .bind(member.visibility.slug())
        .bind(Json(&member.links))
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if updated == 0 {
        return Ok(false);
    }
    outbox::append(conn, ContentKind::Member, member.id.as_str()).await?;
    Ok(true)
}

pub async fn get(conn: &mut impl AsConn, id: &str) -> sqlx::Result<Option<Member>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM members WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    })
}

/// Every profile, sorted by id.
pub async fn list(conn: &mut impl AsConn) -> sqlx::Result<Vec<Member>> {
    on_db!(conn, |c| {
        let rows = sqlx::query("SELECT * FROM members ORDER BY id")
            .fetch_all(&mut *c)
            .await?;
        rows.iter().map(from_row).collect()
    })
}

pub async fn exists(conn: &mut impl AsConn, id: &str) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        sqlx::query("SELECT EXISTS (SELECT 1 FROM members WHERE id = $1) AS found")
            .bind(id)
            .fetch_one(&mut *c)
            .await?
            .flag("found")
    })
}

/// The profile choices `viewer` may see (the visibility rule, as SQL values).
pub(super) fn visible_choices(viewer: &Viewer) -> Vec<&'static str> {
    ProfileVisibility::ALL
        .iter()
        .filter(|v| viewer.may_see_profile(**v))
        .map(|v| v.slug())
        .collect()
}

/// The ids of the profiles `viewer` may see, sorted by id.
pub async fn visible_ids(conn: &mut impl AsConn, viewer: &Viewer) -> sqlx::Result<Vec<Slug>> {
    let choices = visible_choices(viewer);
    let sql = format!(
        "SELECT id FROM members WHERE visibility IN ({}) ORDER BY id",
        super::placeholders(1, choices.len())
    );
    on_db!(conn, |c| {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for choice in &choices {
            query = query.bind(*choice);
        }
        let rows = query.fetch_all(&mut *c).await?;
        rows.iter().map(|row| codec::slug(row, "id")).collect()
    })
}

/// Every member's id, whoever may see them (for checking references on import).
pub async fn all_ids(conn: &mut impl AsConn) -> sqlx::Result<Vec<String>> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT id FROM members ORDER BY id")
            .fetch_all(&mut *c)
            .await
    })
}

/// How proposals and content versions name a member who has deleted their account.
pub const FORMER_MEMBER: &str = "En tidigare medlem";

/// Removes a member and everything that is theirs alone, telling the index about every
/// entity that changes: their posts go (their threads are re-indexed), groups they own
/// pass to the longest-standing moderator, else the longest-standing member, or go when
/// nobody else is in them (see [`super::group_members::leave`]), pivi entries
/// that named them as contact lose the link (re-indexed), and the profile goes.
pub async fn delete(conn: &mut impl AsConn, id: &str) -> sqlx::Result<()> {
    let (threads, created, joined, contact_for) = on_db!(conn, |c| {
        let threads: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT thread_id FROM posts WHERE author_id = $1 ORDER BY thread_id",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        let created: Vec<String> =
            sqlx::query_scalar("SELECT id FROM groups WHERE created_by = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&mut *c)
                .await?;
        let joined: Vec<String> = sqlx::query_scalar(
            "SELECT group_id FROM group_members WHERE member_id = $1 ORDER BY group_id",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        let contact_for: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM pivi_entries WHERE contact_member_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        (threads, created, joined, contact_for)
    });
    on_db!(conn, |c| {
        sqlx::query("DELETE FROM posts WHERE author_id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    // Groups they owned pass on (or go when nobody is left); the others just lose them.
    let mut groups: Vec<&String> = created.iter().chain(&joined).collect();
    groups.sort();
    groups.dedup();
    for group in groups {
        super::group_members::leave(conn, group, id).await?;
    }
    // Their waiting proposals go; answered ones, versions they published and the notes of
    // versions their proposals became keep no name.
    super::proposals::forget_in_notes(conn, id, FORMER_MEMBER).await?;
    on_db!(conn, |c| {
        sqlx::query("DELETE FROM proposals WHERE proposer_id = $1 AND status = 'vantar'")
            .bind(id)
            .execute(&mut *c)
            .await?;
        sqlx::query("UPDATE proposals SET proposer_name = $2 WHERE proposer_id = $1")
            .bind(id)
            .bind(FORMER_MEMBER)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "UPDATE content_revisions SET author_name = $2 WHERE account_id IN \
             (SELECT a.id FROM accounts a WHERE a.member_id = $1)",
        )
        .bind(id)
        .bind(FORMER_MEMBER)
        .execute(&mut *c)
        .await?;
    });
    on_db!(conn, |c| {
        sqlx::query("DELETE FROM members WHERE id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    for thread in &threads {
        outbox::append(conn, ContentKind::Thread, thread).await?;
    }
    for group in created.iter().chain(&joined) {
        outbox::append(conn, ContentKind::Group, group).await?;
    }
    for entry in &contact_for {
        outbox::append(conn, ContentKind::Pivi, entry).await?;
    }
    outbox::append(conn, ContentKind::Member, id).await?;
    Ok(())
}

/// A member's group memberships and posts, for their data export.
pub async fn activity(
    conn: &mut impl AsConn,
    id: &str,
) -> sqlx::Result<(Vec<String>, Vec<serde_json::Value>)> {
    on_db!(conn, |c| {
        let groups: Vec<String> = sqlx::query_scalar(
            "SELECT group_id FROM group_members WHERE member_id = $1 ORDER BY group_id",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        let rows = sqlx::query(
            "SELECT thread_id, created, body FROM posts WHERE author_id = $1 \
             ORDER BY thread_id, position",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        let mut posts = Vec::with_capacity(rows.len());
        for row in &rows {
            posts.push(serde_json::json!({
                "trad": row.text("thread_id")?,
                "skapad": row.moment("created")?.to_rfc3339(),
                "text": row.text("body")?,
            }));
        }
        Ok((groups, posts))
    })
}

/// A new member id from a name: its slug, with a number added when taken.
pub async fn free_id(conn: &mut impl AsConn, name: &str) -> sqlx::Result<Slug> {
    let base = slug_of(name, "medlem");
    // Words that are pages under /medlemmar/ are never a member's id.
    const RESERVED: &[&str] = &["matcha", "sok", "ny", "redigera"];
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

/// A text as an id, like [`slug_of`] (the name the discussions code uses).
pub(crate) fn slug_or(name: &str, fallback: &str) -> String {
    slug_of(name, fallback)
}

/// A text as an id: lower case a–z and digits (å ä → a, ö → o, é → e …), other characters
/// as single dashes, at most 60 characters; `fallback` when nothing is left.
pub(crate) fn slug_of(name: &str, fallback: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        let c = match c {
            'å' | 'ä' | 'á' | 'à' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' | 'ù' => 'u',
            'í' | 'ì' | 'ï' => 'i',
            c => c,
        };
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug.to_string()
    }
}

/// Which of `ids` became members on or after `since`.
pub async fn joined_since(
    conn: &mut impl AsConn,
    ids: &[&str],
    since: chrono::NaiveDate,
) -> sqlx::Result<std::collections::HashSet<String>> {
    if ids.is_empty() {
        return Ok(std::collections::HashSet::new());
    }
    let sql = format!(
        "SELECT id FROM members WHERE member_since >= $1 AND id IN ({})",
        super::placeholders(2, ids.len())
    );
    on_db!(conn, |c| {
        let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).bind(since);
        for id in ids {
            query = query.bind(*id);
        }
        Ok(query.fetch_all(&mut *c).await?.into_iter().collect())
    })
}

/// Members `viewer` may see whose id starts with `prefix` (a slug's beginning), by id, at
/// most `limit`: the suggestions for `@mentions`.
pub async fn with_id_prefix(
    conn: &mut impl AsConn,
    prefix: &str,
    viewer: &Viewer,
    limit: i64,
) -> sqlx::Result<Vec<(String, String)>> {
    let choices = visible_choices(viewer);
    // `_` and `%` never occur in a slug; the prefix is one.
    let pattern = format!("{prefix}%");
    let sql = format!(
        "SELECT id, name FROM members WHERE id LIKE $1 AND visibility IN ({}) ORDER BY id LIMIT $2",
        super::placeholders(3, choices.len())
    );
    on_db!(conn, |c| {
        let mut query = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql))
            .bind(&pattern)
            .bind(limit);
        for choice in &choices {
            query = query.bind(*choice);
        }
        query.fetch_all(&mut *c).await
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_become_ids() {
        assert_eq!(super::slug_of("Åsa Öberg-Lind", "medlem"), "asa-oberg-lind");
        assert_eq!(super::slug_of("  <script>  ", "medlem"), "script");
        assert_eq!(super::slug_of("李", "medlem"), "medlem");
        assert!(super::slug_of(&"a".repeat(500), "medlem").len() <= 60);
    }
}
