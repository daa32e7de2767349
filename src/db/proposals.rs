//! Members' proposals: a new pivi entry, or a change of an article or a dialogue text,
//! waiting for an editor of its model to accept or decline it.

use super::codec::DbRow;
use super::{AsConn, on_db};

/// Where a proposal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Waiting,
    Accepted,
    Declined,
}

impl Status {
    pub fn slug(self) -> &'static str {
        match self {
            Status::Waiting => "vantar",
            Status::Accepted => "antagen",
            Status::Declined => "avslagen",
        }
    }

    fn from_slug(slug: &str) -> sqlx::Result<Status> {
        match slug {
            "vantar" => Ok(Status::Waiting),
            "antagen" => Ok(Status::Accepted),
            "avslagen" => Ok(Status::Declined),
            other => Err(sqlx::Error::Decode(
                format!("okänd status för ett förslag: {other}").into(),
            )),
        }
    }
}

/// A stored proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    /// `pivi` (a new entry), `artikel` or `dialog` (a change).
    pub kind: String,
    pub model_id: String,
    /// The item changed (`None`: a new pivi entry).
    pub entity_id: Option<String>,
    /// The proposed item in the import format.
    pub body: String,
    /// The published version the change was made against.
    pub base_hash: Option<String>,
    pub message: String,
    pub proposer_id: Option<String>,
    pub proposer_name: String,
    pub status: Status,
    pub reason: Option<String>,
    pub created_at: i64,
}

fn read(row: &impl DbRow) -> sqlx::Result<Proposal> {
    Ok(Proposal {
        id: row.int("id")?,
        kind: row.text("kind")?,
        model_id: row.text("model_id")?,
        entity_id: row.optional_text("entity_id")?,
        body: row.text("body")?,
        base_hash: row.optional_text("base_hash")?,
        message: row.text("message")?,
        proposer_id: row.optional_text("proposer_id")?,
        proposer_name: row.text("proposer_name")?,
        status: Status::from_slug(&row.text("status")?)?,
        reason: row.optional_text("reason")?,
        created_at: row.int("created_at")?,
    })
}

const COLUMNS: &str = "id, kind, model_id, entity_id, body, base_hash, message, proposer_id, \
     proposer_name, status, reason, created_at";

/// A new proposal.
pub struct New<'a> {
    pub kind: &'a str,
    pub model_id: &'a str,
    pub entity_id: Option<&'a str>,
    pub body: &'a str,
    pub base_hash: Option<&'a str>,
    pub message: &'a str,
    pub proposer_id: &'a str,
    pub proposer_name: &'a str,
    pub now: i64,
}

pub async fn create(conn: &mut impl AsConn, new: &New<'_>) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO proposals (kind, model_id, entity_id, body, base_hash, message, \
               proposer_id, proposer_name, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(new.kind)
        .bind(new.model_id)
        .bind(new.entity_id)
        .bind(new.body)
        .bind(new.base_hash)
        .bind(new.message)
        .bind(new.proposer_id)
        .bind(new.proposer_name)
        .bind(new.now)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

pub async fn get(conn: &mut impl AsConn, id: i64) -> sqlx::Result<Option<Proposal>> {
    on_db!(conn, |c| {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM proposals WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(read)
        .transpose()
    })
}

/// The waiting proposals of the given models (all when `None`), oldest first.
pub async fn waiting(
    conn: &mut impl AsConn,
    models: Option<&[String]>,
) -> sqlx::Result<Vec<Proposal>> {
    let all: Vec<Proposal> = on_db!(conn, |c| {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM proposals WHERE status = 'vantar' ORDER BY created_at, id"
        )))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(read)
        .collect::<sqlx::Result<_>>()?
    });
    Ok(match models {
        None => all,
        Some(models) => all
            .into_iter()
            .filter(|p| models.contains(&p.model_id))
            .collect(),
    })
}

/// How many proposals of the given models wait.
pub async fn waiting_count(conn: &mut impl AsConn, models: Option<&[String]>) -> sqlx::Result<i64> {
    Ok(waiting(conn, models).await?.len() as i64)
}

/// How many proposals a member made since `since` (a limit against floods).
pub async fn made_since(conn: &mut impl AsConn, member_id: &str, since: i64) -> sqlx::Result<i64> {
    on_db!(conn, |c| {
        sqlx::query_scalar(
            "SELECT count(*) FROM proposals WHERE proposer_id = $1 AND created_at >= $2",
        )
        .bind(member_id)
        .bind(since)
        .fetch_one(&mut *c)
        .await
    })
}

/// Marks a waiting proposal answered; false when it no longer waited (someone else did).
pub async fn decide(
    conn: &mut impl AsConn,
    id: i64,
    status: Status,
    reason: Option<&str>,
    account_id: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let changed = on_db!(conn, |c| {
        sqlx::query(
            "UPDATE proposals SET status = $1, reason = $2, decided_by = $3, decided_at = $4 \
             WHERE id = $5 AND status = 'vantar'",
        )
        .bind(status.slug())
        .bind(reason)
        .bind(account_id)
        .bind(now)
        .bind(id)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok(changed > 0)
}

/// A member's proposals, newest first.
pub async fn of_member(conn: &mut impl AsConn, member_id: &str) -> sqlx::Result<Vec<Proposal>> {
    on_db!(conn, |c| {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM proposals WHERE proposer_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT 200"
        )))
        .bind(member_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(read)
        .collect()
    })
}

/// The members whose accepted proposals shaped an item, by first acceptance:
/// `(member id if still a member, name)`.
pub async fn contributors(
    conn: &mut impl AsConn,
    kind: &str,
    entity_id: &str,
) -> sqlx::Result<Vec<(Option<String>, String)>> {
    let rows: Vec<(Option<String>, String)> = on_db!(conn, |c| {
        sqlx::query(
            "SELECT proposer_id, proposer_name FROM proposals WHERE kind = $1 \
             AND entity_id = $2 AND status = 'antagen' ORDER BY decided_at, id",
        )
        .bind(kind)
        .bind(entity_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok((
                row.optional_text("proposer_id")?,
                row.text("proposer_name")?,
            ))
        })
        .collect::<sqlx::Result<_>>()?
    });
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|(_, name)| seen.insert(name.clone()))
        .collect())
}

/// The note of the version an accepted proposal published (`edited`: changed first).
pub fn accepted_note(proposer_name: &str, edited: bool) -> String {
    if edited {
        format!("Förslag från {proposer_name} godkänt med ändringar")
    } else {
        format!("Förslag från {proposer_name} godkänt")
    }
}

/// Names a member who deletes their account `former` in the notes of the versions their
/// accepted proposals published.
pub async fn forget_in_notes(
    conn: &mut impl AsConn,
    member_id: &str,
    former: &str,
) -> sqlx::Result<()> {
    let accepted: Vec<(String, Option<String>, String)> = on_db!(conn, |c| {
        sqlx::query(
            "SELECT kind, entity_id, proposer_name FROM proposals \
             WHERE proposer_id = $1 AND status = 'antagen'",
        )
        .bind(member_id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|row| {
            Ok((
                row.text("kind")?,
                row.optional_text("entity_id")?,
                row.text("proposer_name")?,
            ))
        })
        .collect::<sqlx::Result<_>>()?
    });
    for (kind, entity, name) in accepted {
        let Some(entity) = entity else { continue };
        for edited in [false, true] {
            let (old, new) = (accepted_note(&name, edited), accepted_note(former, edited));
            on_db!(conn, |c| {
                sqlx::query(
                    "UPDATE content_revisions SET note = $1 \
                     WHERE kind = $2 AND entity_id = $3 AND note = $4",
                )
                .bind(&new)
                .bind(&kind)
                .bind(&entity)
                .bind(&old)
                .execute(&mut *c)
                .await?;
            });
        }
    }
    Ok(())
}

/// Records the item an accepted new-entry proposal became (its id is chosen on accepting).
pub async fn set_entity(conn: &mut impl AsConn, id: i64, entity_id: &str) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query("UPDATE proposals SET entity_id = $1 WHERE id = $2")
            .bind(entity_id)
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}
