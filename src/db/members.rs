//! Member profiles.

use hallbar_index::search::Viewer;
use hallbar_index::{ContentKind, Member, ProfileVisibility, Slug};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{codec, outbox};

fn from_row(row: &SqliteRow) -> sqlx::Result<Member> {
    Ok(Member {
        id: codec::slug(row, "id")?,
        name: row.try_get("name")?,
        title: row.try_get("title")?,
        organisation: row.try_get("organisation")?,
        sector: codec::closed(row, "sector")?,
        district: codec::closed(row, "district")?,
        background: row.try_get("background")?,
        competences: codec::json(row, "competences")?,
        interests: codec::json(row, "interests")?,
        visibility: codec::closed(row, "visibility")?,
        member_since: row.try_get("member_since")?,
    })
}

/// Creates or updates a profile, keyed by its id.
pub async fn upsert(conn: &mut SqliteConnection, member: &Member) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO members (id, name, title, organisation, sector, district, background, \
                              competences, interests, visibility, member_since) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, title = excluded.title, \
           organisation = excluded.organisation, sector = excluded.sector, \
           district = excluded.district, background = excluded.background, \
           competences = excluded.competences, interests = excluded.interests, \
           visibility = excluded.visibility, member_since = excluded.member_since",
    )
    .bind(member.id.as_str())
    .bind(&member.name)
    .bind(&member.title)
    .bind(&member.organisation)
    .bind(member.sector.slug())
    .bind(member.district.slug())
    .bind(&member.background)
    .bind(codec::to_json(&member.competences))
    .bind(codec::to_json(&member.interests))
    .bind(member.visibility.slug())
    .bind(member.member_since)
    .execute(&mut *conn)
    .await?;
    outbox::append(conn, ContentKind::Member, member.id.as_str()).await?;
    Ok(())
}

pub async fn get(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<Option<Member>> {
    sqlx::query("SELECT * FROM members WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Every profile, sorted by id.
pub async fn list(conn: &mut SqliteConnection) -> sqlx::Result<Vec<Member>> {
    let rows = sqlx::query("SELECT * FROM members ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn exists(conn: &mut SqliteConnection, id: &str) -> sqlx::Result<bool> {
    let row = sqlx::query("SELECT EXISTS (SELECT 1 FROM members WHERE id = ?) AS found")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    row.try_get("found")
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
pub async fn visible_ids(conn: &mut SqliteConnection, viewer: &Viewer) -> sqlx::Result<Vec<Slug>> {
    let choices = visible_choices(viewer);
    let sql = format!(
        "SELECT id FROM members WHERE visibility IN ({}) ORDER BY id",
        super::placeholders(choices.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for choice in choices {
        query = query.bind(choice);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    rows.iter().map(|row| codec::slug(row, "id")).collect()
}

/// Every member's id, whoever may see them (for checking references on import).
pub async fn all_ids(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT id FROM members ORDER BY id")
        .fetch_all(&mut *conn)
        .await
}
