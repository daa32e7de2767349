//! Limits on guarded attempts (logins, registrations, mails), counted in the database so
//! that every node counts the same; over a limit the answer is a Swedish 429.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::{AppError, AppState};
use crate::db::{self, Db};
use crate::server::ClientAddr;

/// At most `max` attempts per `window` seconds in one bucket.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: i64,
    pub window: i64,
}

/// Logins from one client address: Mastodon's 25 per 5 minutes.
pub const LOGIN_PER_CLIENT: Limit = Limit {
    name: "inloggning-klient",
    max: 25,
    window: 5 * 60,
};
/// Logins (and password checks) for one e-mail address from one client, whether or not
/// the address has an account: a stranger's tries do not lock the owner out.
pub const LOGIN_PER_ACCOUNT_AND_CLIENT: Limit = Limit {
    name: "inloggning-konto-klient",
    max: 10,
    window: 15 * 60,
};
/// Logins for one e-mail address from all clients together: the brake on guessing one
/// password from many addresses (high enough that locking an owner out takes many).
pub const LOGIN_PER_ACCOUNT: Limit = Limit {
    name: "inloggning-konto",
    max: 100,
    window: 15 * 60,
};
/// New accounts from one client address.
pub const REGISTER_PER_CLIENT: Limit = Limit {
    name: "registrering-klient",
    max: 10,
    window: 60 * 60,
};
/// Requests for a password link from one client address.
pub const RESET_PER_CLIENT: Limit = Limit {
    name: "aterstallning-klient",
    max: 10,
    window: 60 * 60,
};
/// Reports of posts by one member (the moderators' queue is not to be flooded).
pub const REPORTS_PER_MEMBER: Limit = Limit {
    name: "anmalan-medlem",
    max: 20,
    window: 60 * 60,
};
/// Mails (verification, password links) to one address.
pub const MAIL_PER_ADDRESS: Limit = Limit {
    name: "mejl-adress",
    max: 3,
    window: 60 * 60,
};

/// Who a client is to the limits: its address (an IPv6 client's /64), or `lokal` for
/// requests that did not come over the network (in-process callers). Behind a reverse
/// proxy (`--behind-proxy`) the address is the last one in `X-Forwarded-For`, the one the
/// proxy itself saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientKey(pub String);

impl FromRequestParts<AppState> for ClientKey {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ClientAddr>()
            .map(|ClientAddr(a)| a.ip());
        let forwarded = || {
            parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .last()
                .and_then(|last| last.trim().parse::<std::net::IpAddr>().ok())
        };
        let address = if state.config.behind_proxy {
            forwarded().or(peer)
        } else {
            peer
        };
        Ok(ClientKey(match address {
            Some(ip) => super::limit::network_of(ip).to_string(),
            None => "lokal".to_string(),
        }))
    }
}

/// Counts an attempt in `limit`'s bucket for `key`; refused with
/// [`AppError::TooManyAttempts`] when it is one too many. The attempt is recorded before
/// counting, so racing attempts cannot all slip under the limit.
pub async fn attempt(db: &Db, limit: Limit, key: &str, now: i64) -> Result<(), AppError> {
    let bucket = format!("{}:{key}", limit.name);
    let since = now - limit.window;
    let mut conn = db.acquire().await?;
    db::rate_events::record(&mut conn, &bucket, now, since).await?;
    let count = db::rate_events::count_since(&mut conn, &bucket, since).await?;
    if count > limit.max {
        return Err(AppError::TooManyAttempts {
            minutes: (limit.window + 59) / 60,
        });
    }
    Ok(())
}

/// Whether another attempt would still be within `limit` (nothing is recorded).
pub async fn has_room(db: &Db, limit: Limit, key: &str, now: i64) -> Result<bool, AppError> {
    let bucket = format!("{}:{key}", limit.name);
    let mut conn = db.acquire().await?;
    let count = db::rate_events::count_since(&mut conn, &bucket, now - limit.window).await?;
    Ok(count < limit.max)
}
