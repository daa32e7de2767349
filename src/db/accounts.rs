//! Accounts: who can log in, with which password, as which member and role. Not content:
//! nothing here is indexed, exported or imported.

use super::codec::DbRow;
use super::{AsConn, on_db};

/// What an account may do beyond a member's rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Member,
    Admin,
}

impl Role {
    pub fn slug(self) -> &'static str {
        match self {
            Role::Member => "medlem",
            Role::Admin => "admin",
        }
    }

    fn from_slug(slug: &str) -> sqlx::Result<Role> {
        match slug {
            "medlem" => Ok(Role::Member),
            "admin" => Ok(Role::Admin),
            other => Err(sqlx::Error::Decode(
                format!("okänd roll i databasen: {other}").into(),
            )),
        }
    }
}

/// One account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    /// As typed at registration (trimmed).
    pub email: String,
    pub email_key: String,
    /// The name given at registration (the profile's name once it exists).
    pub name: String,
    /// `None` until a password is chosen (an invited account).
    pub password_hash: Option<String>,
    pub member_id: Option<String>,
    pub role: Role,
    /// Unix seconds; `None` until the address is verified.
    pub verified_at: Option<i64>,
    pub created_at: i64,
}

fn from_row(row: &impl DbRow) -> sqlx::Result<Account> {
    Ok(Account {
        id: row.int("id")?,
        email: row.text("email")?,
        email_key: row.text("email_key")?,
        name: row.text("name")?,
        password_hash: row.optional_text("password_hash")?,
        member_id: row.optional_text("member_id")?,
        role: Role::from_slug(&row.text("role")?)?,
        verified_at: row.optional_int("verified_at")?,
        created_at: row.int("created_at")?,
    })
}

/// A new account to store.
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub email_key: &'a str,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub member_id: Option<&'a str>,
    pub verified_at: Option<i64>,
    pub now: i64,
}

/// Stores a new account and returns its id; `None` when the e-mail key is taken.
pub async fn create(conn: &mut impl AsConn, new: &NewAccount<'_>) -> sqlx::Result<Option<i64>> {
    on_db!(conn, |c| {
        sqlx::query_scalar(
            "INSERT INTO accounts (email, email_key, name, password_hash, member_id, \
                                   verified_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (email_key) DO NOTHING RETURNING id",
        )
        .bind(new.email)
        .bind(new.email_key)
        .bind(new.name)
        .bind(new.password_hash)
        .bind(new.member_id)
        .bind(new.verified_at)
        .bind(new.now)
        .fetch_optional(&mut *c)
        .await
    })
}

pub async fn by_id(conn: &mut impl AsConn, id: i64) -> sqlx::Result<Option<Account>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    })
}

pub async fn by_email_key(conn: &mut impl AsConn, key: &str) -> sqlx::Result<Option<Account>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM accounts WHERE email_key = $1")
            .bind(key)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    })
}

pub async fn by_member(conn: &mut impl AsConn, member_id: &str) -> sqlx::Result<Option<Account>> {
    on_db!(conn, |c| {
        sqlx::query("SELECT * FROM accounts WHERE member_id = $1")
            .bind(member_id)
            .fetch_optional(&mut *c)
            .await?
            .as_ref()
            .map(from_row)
            .transpose()
    })
}

pub async fn set_password(conn: &mut impl AsConn, id: i64, hash: &str) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Marks the address verified (once: a later call keeps the first time) and links the
/// profile.
pub async fn verify(
    conn: &mut impl AsConn,
    id: i64,
    member_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "UPDATE accounts SET verified_at = COALESCE(verified_at, $1), member_id = $2 \
             WHERE id = $3",
        )
        .bind(now)
        .bind(member_id)
        .bind(id)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}

/// Sets the role of the verified account with this e-mail key; false when there is none.
pub async fn set_role(conn: &mut impl AsConn, email_key: &str, role: Role) -> sqlx::Result<bool> {
    on_db!(conn, |c| {
        let done = sqlx::query(
            "UPDATE accounts SET role = $1 WHERE email_key = $2 AND verified_at IS NOT NULL",
        )
        .bind(role.slug())
        .bind(email_key)
        .execute(&mut *c)
        .await?;
        Ok(done.rows_affected() > 0)
    })
}

/// Removes the account (its sessions and links go with it).
pub async fn delete(conn: &mut impl AsConn, id: i64) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query("DELETE FROM accounts WHERE id = $1")
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Changes an account's address (an invitation renewed to another address).
pub async fn set_email(
    conn: &mut impl AsConn,
    id: i64,
    email: &str,
    email_key: &str,
) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query("UPDATE accounts SET email = $1, email_key = $2 WHERE id = $3")
            .bind(email)
            .bind(email_key)
            .bind(id)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// Removes the accounts never verified and made before `before` (their links have
/// expired): their addresses are free to register again.
pub async fn forget_unverified(conn: &mut impl AsConn, before: i64) -> sqlx::Result<()> {
    on_db!(conn, |c| {
        sqlx::query(
            "DELETE FROM accounts WHERE verified_at IS NULL AND member_id IS NULL \
             AND created_at < $1",
        )
        .bind(before)
        .execute(&mut *c)
        .await?;
    });
    Ok(())
}
