//! The e-mail digest: for every member whose daily or weekly digest is due, the unread
//! notifications since the last one, mailed with a link that ends the digest without
//! logging in. Any node may run it: each member's digest is claimed by one.

use crate::auth::tokens;
use crate::config::Config;
use crate::db::{self, Db};
use crate::mail::{Mail, Mailer};

/// The most notifications one digest lists.
const LISTED: i64 = 30;

/// How often a running server looks for due digests.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// The page an unsubscribe token opens.
pub fn unsubscribe_path(token: &str) -> String {
    format!("/sammanfattning/avsluta/{token}")
}

/// Sends every digest due at `now` (Unix seconds); returns how many were mailed. A member
/// with nothing new gets no mail (their period starts again).
pub async fn send_due(
    db: &Db,
    mailer: &Mailer,
    config: &Config,
    now: i64,
) -> anyhow::Result<usize> {
    let mut conn = db.acquire().await?;
    let due = db::digests::due(&mut conn, now).await?;
    let mut sent = 0;
    for (member, was) in due {
        if !db::digests::claim(&mut conn, &member, was, now).await? {
            continue;
        }
        let news = db::notifications::unread_since(&mut conn, &member, was, LISTED).await?;
        let Some(account) = db::accounts::by_member(&mut conn, &member).await? else {
            continue;
        };
        if news.is_empty() || account.verified_at.is_none() {
            continue;
        }
        let token = tokens::random();
        db::digests::add_unsubscribe_token(&mut conn, &tokens::hash(&token), &member, now).await?;
        let mut body = format!(
            "Hej {}!\n\nDet här har hänt på hallbar sedan sist:\n\n",
            account.name
        );
        for n in &news {
            body.push_str(&format!(
                "- {}: {}\n  {}\n",
                n.kind.label(),
                n.text,
                config.absolute(&n.link)
            ));
        }
        body.push_str(&format!(
            "\nAlla dina notiser: {}\n\nVill du inte längre få sammanfattningen? Avsluta den här \
             (ingen inloggning behövs):\n{}\n\nVänliga hälsningar\nhallbar\n",
            config.absolute("/notiser"),
            config.absolute(&unsubscribe_path(&token)),
        ));
        let subject = match news.len() {
            1 => "1 nyhet på hallbar".to_string(),
            n => format!("{n} nyheter på hallbar"),
        };
        // One failed mail does not stop the others (it is logged; the next period tries again).
        match mailer
            .send(Mail {
                to: account.email.clone(),
                subject,
                body,
            })
            .await
        {
            Ok(()) => sent += 1,
            Err(e) => {
                tracing::warn!(error = %e, member = %member, "en sammanfattning kunde inte skickas")
            }
        }
    }
    Ok(sent)
}
