//! One-time links mailed to an account (verify the address, reset the password, accept an
//! invitation): stored hashed, valid until they expire, usable once.

use super::{AsConn, on_db};

/// What a link is for (the `purpose` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Verify,
    Reset,
    Invite,
}

impl Purpose {
    pub fn slug(self) -> &'static str {
        match self {
            Purpose::Verify => "verifiera",
            Purpose::Reset => "aterstall",
            Purpose::Invite => "inbjudan",
        }
    }
}

pub async fn create(
    conn: &mut impl AsConn,
    token_hash: &str,
    account_id: i64,
    purpose: Purpose,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "INSERT INTO account_links (token_hash, account_id, purpose, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(purpose.slug())
        .bind(now)
        .bind(expires_at)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// The account a usable link (unused, not expired, of one of `purposes`) belongs to,
/// without using it up.
pub async fn peek(
    conn: &mut impl AsConn,
    token_hash: &str,
    purposes: &[Purpose],
    now: i64,
) -> sqlx::Result<Option<(i64, Purpose)>> {
    let found: Option<(i64, String)> = on_db!(conn, |c| {
        sqlx::query_as(
            "SELECT account_id, purpose FROM account_links \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *c)
        .await?
    });
    Ok(found.and_then(|(account, slug)| {
        purposes
            .iter()
            .find(|p| p.slug() == slug)
            .map(|p| (account, *p))
    }))
}

/// Uses the link up: the account it belongs to when it was still usable for one of
/// `purposes` (only one caller ever gets it), `None` otherwise.
pub async fn take(
    conn: &mut impl AsConn,
    token_hash: &str,
    purposes: &[Purpose],
    now: i64,
) -> sqlx::Result<Option<(i64, Purpose)>> {
    let Some((account, purpose)) = peek(conn, token_hash, purposes, now).await? else {
        return Ok(None);
    };
    let used = on_db!(conn, |c| {
        sqlx::query(
            "UPDATE account_links SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(token_hash)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    Ok((used == 1).then_some((account, purpose)))
}

/// Voids an account's unused links of one purpose (a new one was sent, or the password
/// was changed).
pub async fn void(
    conn: &mut impl AsConn,
    account_id: i64,
    purpose: Purpose,
    now: i64,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "UPDATE account_links SET used_at = $1 \
             WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(account_id)
        .bind(purpose.slug())
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// Voids every unused password link of an account (reset and invitation): after a
/// password is set or changed, no older link may set it again.
pub async fn void_password_links(
    conn: &mut impl AsConn,
    account_id: i64,
    now: i64,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "UPDATE account_links SET used_at = $1 \
             WHERE account_id = $2 AND purpose IN ('aterstall', 'inbjudan') AND used_at IS NULL",
        )
        .bind(now)
        .bind(account_id)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}
