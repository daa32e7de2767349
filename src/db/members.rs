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
        visibility: codec::closed(row, "visibility")?,
        member_since: row.date("member_since")?,
    })
}

/// Creates or updates a profile, keyed by its id.
pub async fn upsert(conn: &mut impl AsConn, member: &Member) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO members (id, name, title, organisation, sector, district, background, \
                                  competences, interests, visibility, member_since) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
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
        .bind(Json(&member.competences))
        .bind(Json(&member.interests))
        .bind(member.visibility.slug())
        .bind(member.member_since)
        .execute(&mut *c)
        .await?;
    });
    outbox::append(conn, ContentKind::Member, member.id.as_str()).await?;
    Ok(())
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
