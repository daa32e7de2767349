//! Members' e-mail digests: who wants one how often, when each was last sent, and the
//! unsubscribe tokens mailed with them (hashed).

use super::{AsConn, on_db};

/// How often a member wants the digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
}

impl Frequency {
    pub fn slug(self) -> &'static str {
        match self {
            Frequency::Daily => "dag",
            Frequency::Weekly => "vecka",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Frequency> {
        match slug {
            "dag" => Some(Frequency::Daily),
            "vecka" => Some(Frequency::Weekly),
            _ => None,
        }
    }

    /// Seconds between two digests.
    pub fn period(self) -> i64 {
        match self {
            Frequency::Daily => 24 * 60 * 60,
            Frequency::Weekly => 7 * 24 * 60 * 60,
        }
    }
}

/// The member's choice (`None`: no digest).
pub async fn frequency(conn: &mut impl AsConn, member_id: &str) -> sqlx::Result<Option<Frequency>> {
    let slug: Option<String> = on_db!(conn, |c| {
        sqlx::query_scalar("SELECT frequency FROM digest_settings WHERE member_id = $1")
            .bind(member_id)
            .fetch_optional(&mut *c)
            .await?
    });
    Ok(slug.as_deref().and_then(Frequency::from_slug))
}

/// Sets (or, with `None`, ends) the member's digest. A new choice counts from `now`.
pub async fn set(
    conn: &mut impl AsConn,
    member_id: &str,
    frequency: Option<Frequency>,
    now: i64,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        match frequency {
            Some(frequency) => {
                sqlx::query(
                    "INSERT INTO digest_settings (member_id, frequency, last_sent_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (member_id) DO UPDATE SET \
                     frequency = excluded.frequency",
                )
                .bind(member_id)
                .bind(frequency.slug())
                .bind(now)
                .execute(&mut *c)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM digest_settings WHERE member_id = $1")
                    .bind(member_id)
                    .execute(&mut *c)
                    .await?;
            }
        }
    });
    Ok(())
}

/// The members whose digest is due at `now`, with the time their last one was sent.
pub async fn due(conn: &mut impl AsConn, now: i64) -> sqlx::Result<Vec<(String, i64)>> {
    on_db!(conn, |c| {
        sqlx::query_as(
            "SELECT member_id, last_sent_at FROM digest_settings \
             WHERE (frequency = 'dag' AND last_sent_at <= $1) \
                OR (frequency = 'vecka' AND last_sent_at <= $2) ORDER BY member_id",
        )
        .bind(now - Frequency::Daily.period())
        .bind(now - Frequency::Weekly.period())
        .fetch_all(&mut *c)
        .await
    })
}

/// Takes the member's due digest for this node: true only for the one caller (of any
/// node) that moved `last_sent_at` from `was` to `now`.
pub async fn claim(
    conn: &mut impl AsConn,
    member_id: &str,
    was: i64,
    now: i64,
) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        let done = sqlx::query(
            "UPDATE digest_settings SET last_sent_at = $1 WHERE member_id = $2 AND last_sent_at = $3",
        )
        .bind(now)
        .bind(member_id)
        .bind(was)
        .execute(&mut *c)
        .await?;
        Ok(done.rows_affected() == 1)
    })
}

/// Stores the hash of a mailed unsubscribe token.
pub async fn add_unsubscribe_token(
    conn: &mut impl AsConn,
    token_hash: &str,
    member_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO digest_unsubscribe_tokens (token_hash, member_id, created_at) \
             VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(member_id)
        .bind(now)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// The member an unsubscribe token belongs to.
pub async fn unsubscriber(
    conn: &mut impl AsConn,
    token_hash: &str,
) -> sqlx::Result<Option<String>> {
    on_db!(conn, |c| {
        sqlx::query_scalar("SELECT member_id FROM digest_unsubscribe_tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *c)
            .await
    })
}
