//! Read-your-writes across nodes: a write answers with a short-lived cookie holding its
//! outbox position, and a search on any node first waits briefly until that node's index
//! has passed it. On one node the write path already waits for its own index; with several
//! nodes behind a load balancer the next request may land on another.

use std::time::Duration;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::HeaderValue;
use axum::http::header::COOKIE;
use axum::http::request::Parts;

use crate::db::{self, Db};
use crate::search::SearchService;
use crate::write::Committed;

/// The cookie a write sets: the outbox position of the writer's last change.
pub const COOKIE_NAME: &str = "hallbar_skrivet";
/// The same position as a request header, for API clients without cookies.
pub const HEADER_NAME: &str = "hallbar-skrivet";
/// How long the cookie lives: long enough for the next few requests, no longer.
const COOKIE_SECONDS: u32 = 60;
/// The longest a search waits for its node's index to catch up.
pub const WAIT: Duration = Duration::from_secs(2);

/// The `Set-Cookie` value that makes the writer's next searches, on any node, include a
/// committed change; `None` when it changed nothing searchable.
pub fn remember(committed: &Committed, secure: bool) -> Option<HeaderValue> {
    let seq = committed.seq?;
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={seq}; Max-Age={COOKIE_SECONDS}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

/// The outbox position a request asks its searches to include, from the cookie or the
/// header (the highest when both are given; anything unreadable is ignored).
fn written_up_to(parts: &Parts) -> Option<i64> {
    let from_header = parts
        .headers
        .get_all(HEADER_NAME)
        .iter()
        .filter_map(|v| v.to_str().ok()?.trim().parse::<i64>().ok());
    let from_cookie = parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == COOKIE_NAME).then(|| value.trim().parse::<i64>().ok())?
        });
    from_header.chain(from_cookie).filter(|seq| *seq > 0).max()
}

/// Extracting this waits (at most [`WAIT`]) until the node's index includes what the
/// request says its client wrote; a search handler takes it before searching.
pub struct ReadYourWrites;

impl<S> FromRequestParts<S> for ReadYourWrites
where
    S: Send + Sync,
    SearchService: FromRef<S>,
    Db: FromRef<S>,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Some(seq) = written_up_to(parts) else {
            return Ok(ReadYourWrites);
        };
        let search = SearchService::from_ref(state);
        if search.indexed() >= seq {
            return Ok(ReadYourWrites);
        }
        // Only a position the database has written is waited for (a made-up one would
        // only make the request slow); the indexer hears of it on its own.
        if !written(&Db::from_ref(state), seq).await {
            return Ok(ReadYourWrites);
        }
        if !search.wait_until(seq, WAIT).await {
            tracing::debug!(seq, "sökindexet hann inte ikapp skrivningen");
        }
        Ok(ReadYourWrites)
    }
}

/// Whether the outbox has reached `seq`.
async fn written(db: &Db, seq: i64) -> bool {
    match db.acquire().await {
        Ok(mut conn) => db::outbox::latest(&mut conn)
            .await
            .is_ok_and(|latest| latest >= seq),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::*;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::builder().uri("/sok");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn the_position_comes_from_the_cookie_or_the_header() {
        assert_eq!(written_up_to(&parts(&[])), None);
        assert_eq!(
            written_up_to(&parts(&[("cookie", "a=1; hallbar_skrivet=42; b=2")])),
            Some(42)
        );
        assert_eq!(written_up_to(&parts(&[("hallbar-skrivet", "7")])), Some(7));
        assert_eq!(
            written_up_to(&parts(&[
                ("hallbar-skrivet", "7"),
                ("cookie", "hallbar_skrivet=9")
            ])),
            Some(9)
        );
        for bad in ["x", "-3", "0", "99999999999999999999999"] {
            assert_eq!(
                written_up_to(&parts(&[("hallbar-skrivet", bad)])),
                None,
                "{bad}"
            );
        }
    }
}
