//! What happens to accounts, for the web and the command line alike: links mailed to an
//! account, opening an account's profile when its address is proven, inviting an imported
//! member, and deleting an account with its profile.

use chrono::Utc;
use hallbar_index::{District, Member, ProfileVisibility, Sector, Slug};

use crate::auth::tokens;
use crate::config::Config;
use crate::db::account_links::{self, Purpose};
use crate::db::accounts::{self, Account};
use crate::db::{self, AsConn};
use crate::mail::Mail;

/// How long a mailed link may be used, in seconds.
pub fn link_lifetime(purpose: Purpose) -> i64 {
    match purpose {
        Purpose::Verify | Purpose::Invite => 7 * 24 * 60 * 60,
        Purpose::Reset => 60 * 60,
    }
}

/// A new link of `purpose` for the account (older unused ones of the same purpose stop
/// working); returns the token for the mail, which is stored only hashed.
pub async fn issue_link(
    conn: &mut impl AsConn,
    account_id: i64,
    purpose: Purpose,
    now: i64,
) -> sqlx::Result<String> {
    let token = tokens::random();
    account_links::void(conn, account_id, purpose, now).await?;
    account_links::create(
        conn,
        &tokens::hash(&token),
        account_id,
        purpose,
        now,
        now + link_lifetime(purpose),
    )
    .await?;
    Ok(token)
}

/// The page a link of `purpose` opens.
pub fn link_path(purpose: Purpose, token: &str) -> String {
    match purpose {
        Purpose::Verify => format!("/verifiera/{token}"),
        Purpose::Reset | Purpose::Invite => format!("/aterstall/{token}"),
    }
}

/// The mail that carries a link.
pub fn link_mail(config: &Config, account: &Account, purpose: Purpose, token: &str) -> Mail {
    let url = config.absolute(&link_path(purpose, token));
    let (subject, what, valid) = match purpose {
        Purpose::Verify => (
            "Bekräfta din e-postadress på hallbar",
            "Välkommen till hallbar! Följ länken för att bekräfta din e-postadress och öppna \
             ditt konto:",
            "Länken gäller i sju dygn. Har du inte skapat något konto kan du bortse från mejlet.",
        ),
        Purpose::Reset => (
            "Välj ett nytt lösenord på hallbar",
            "Någon, förhoppningsvis du, bad om en länk för att välja ett nytt lösenord:",
            "Länken gäller i en timme och kan användas en gång. Har du inte bett om den kan du \
             bortse från mejlet; ditt lösenord är oförändrat.",
        ),
        Purpose::Invite => (
            "Du är inbjuden till hallbar",
            "Du har bjudits in till hallbar, mötesplatsen för alla som arbetar med socialt \
             hållbar utveckling i Göteborg. Din profil finns redan; följ länken för att välja \
             ett lösenord:",
            "Länken gäller i sju dygn och kan användas en gång.",
        ),
    };
    // A name typed by whoever registered an address that is not yet proven is not put in
    // a mail to it (a stranger could write a message to anyone in our name).
    let greeting = if account.verified_at.is_some() || purpose == Purpose::Invite {
        format!("Hej {}!", account.name)
    } else {
        "Hej!".to_string()
    };
    Mail {
        to: account.email.clone(),
        subject: subject.to_string(),
        body: format!(
            "{greeting}\n\n{what}\n\n{url}\n\n{valid}\n\nVänliga hälsningar\nhallbar\n{site}\n",
            site = config.public_url,
        ),
    }
}

/// Marks the account's address proven and makes sure it has a profile: a verified new
/// account gets one with its name, visible to members only until they choose otherwise.
/// Runs inside the caller's write (the profile is indexed with it).
pub async fn activate(conn: &mut impl AsConn, account: &Account, now: i64) -> sqlx::Result<Slug> {
    let member_id = match &account.member_id {
        Some(id) if db::members::exists(conn, id).await? => {
            Slug::new(id.as_str()).map_err(|e| sqlx::Error::Decode(Box::new(e)))?
        }
        _ => {
            let id = db::members::free_id(conn, &account.name).await?;
            let member = Member {
                id: id.clone(),
                name: account.name.clone(),
                title: String::new(),
                organisation: String::new(),
                sector: Sector::Other,
                district: District::WholeCity,
                background: String::new(),
                competences: Vec::new(),
                interests: Vec::new(),
                links: Vec::new(),
                visibility: ProfileVisibility::Members,
                member_since: Utc::now().date_naive(),
            };
            db::members::upsert(conn, &member).await?;
            id
        }
    };
    accounts::verify(conn, account.id, member_id.as_str(), now).await?;
    Ok(member_id)
}

/// Why an invitation could not be made; nothing was stored.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("det finns ingen medlem med id {0}")]
    NoSuchMember(String),
    #[error("e-postadressen: {0}")]
    Email(#[from] crate::auth::email::EmailProblem),
    #[error("medlemmen {0} har redan ett konto med ett lösenord; hen kan välja Glömt lösenordet")]
    HasAccount(String),
    #[error("e-postadressen används redan av ett annat konto")]
    EmailTaken,
    #[error("databasfel: {0}")]
    Db(#[from] sqlx::Error),
    #[error("mejlet kunde inte skickas: {0}")]
    Mail(#[from] crate::mail::MailError),
}

/// Gives the imported profile `member_id` an account with `email` (no password yet) and
/// mails a link to choose one. An earlier invitation of the same member without a chosen
/// password is renewed. Returns the address mailed to.
pub async fn invite(
    pool: &db::Db,
    mailer: &crate::mail::Mailer,
    config: &Config,
    member_id: &str,
    typed_email: &str,
) -> Result<String, InviteError> {
    let address = crate::auth::email::parse(typed_email)?;
    let key = crate::auth::email::key(&address);
    let now = Utc::now().timestamp();
    let mut tx = pool.begin_write().await?;
    let member = db::members::get(&mut tx, member_id)
        .await?
        .ok_or_else(|| InviteError::NoSuchMember(member_id.to_string()))?;
    let by_email = accounts::by_email_key(&mut tx, &key).await?;
    let account_id = match accounts::by_member(&mut tx, member_id).await? {
        Some(existing) if existing.password_hash.is_some() => {
            return Err(InviteError::HasAccount(member_id.to_string()));
        }
        Some(existing) => {
            if by_email
                .as_ref()
                .is_some_and(|other| other.id != existing.id)
            {
                return Err(InviteError::EmailTaken);
            }
            accounts::set_email(&mut tx, existing.id, &address, &key).await?;
            existing.id
        }
        None => {
            if by_email.is_some() {
                return Err(InviteError::EmailTaken);
            }
            accounts::create(
                &mut tx,
                &accounts::NewAccount {
                    email: &address,
                    email_key: &key,
                    name: &member.name,
                    password_hash: None,
                    member_id: Some(member_id),
                    verified_at: None,
                    now,
                },
            )
            .await?
            .ok_or(InviteError::EmailTaken)?
        }
    };
    let account = accounts::by_id(&mut tx, account_id)
        .await?
        .ok_or_else(|| InviteError::NoSuchMember(member_id.to_string()))?;
    let token = issue_link(&mut tx, account_id, Purpose::Invite, now).await?;
    tx.commit().await?;
    // Sent after the commit (a slow mail server must not hold the write lock); when it
    // fails, the same command again renews the invitation.
    mailer
        .send(link_mail(config, &account, Purpose::Invite, &token))
        .await?;
    Ok(address)
}
