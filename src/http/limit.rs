//! Searches at once per client address: one client sending expensive searches on many
//! connections cannot take every core. A client's searches beyond its limit wait their
//! turn briefly; past that they are refused with 429 (a Swedish page, JSON under `/api`)
//! and told when to try again.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::AppError;
use crate::server::ClientAddr;

/// How long a search waits for its client's turn before it is refused.
const WAIT: Duration = Duration::from_secs(1);

/// How many searches each client address may have running at once.
#[derive(Debug, Default)]
pub struct ClientLimit {
    /// 0: no limit.
    max: usize,
    /// Each client's places, and how many of its searches hold or wait for one.
    clients: Mutex<HashMap<IpAddr, (Arc<Semaphore>, usize)>>,
}

/// One running search of a client; dropping it frees the place.
pub struct Running {
    _permit: OwnedSemaphorePermit,
    _user: User,
}

/// A search holding or waiting for a place (the client's entry goes when none is left).
struct User {
    limit: Arc<ClientLimit>,
    client: IpAddr,
}

impl Drop for User {
    fn drop(&mut self) {
        let mut clients = self.limit.clients();
        if let Some((_, users)) = clients.get_mut(&self.client) {
            *users -= 1;
            if *users == 0 {
                clients.remove(&self.client);
            }
        }
    }
}

impl ClientLimit {
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(ClientLimit {
            max,
            clients: Mutex::default(),
        })
    }

    /// The default: one core left for everyone else.
    pub fn default_max() -> usize {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get().saturating_sub(1))
            .max(1)
    }

    fn clients(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, (Arc<Semaphore>, usize)>> {
        self.clients.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A place for one more search of `client` within `wait`, or `None`. Without a limit,
    /// always a place.
    pub async fn enter(self: &Arc<Self>, client: IpAddr, wait: Duration) -> Option<Running> {
        let client = network_of(client);
        let max = if self.max == 0 {
            Semaphore::MAX_PERMITS
        } else {
            self.max
        };
        let semaphore = {
            let mut clients = self.clients();
            let (semaphore, users) = clients
                .entry(client)
                .or_insert_with(|| (Arc::new(Semaphore::new(max)), 0));
            *users += 1;
            Arc::clone(semaphore)
        };
        let user = User {
            limit: Arc::clone(self),
            client,
        };
        let permit = tokio::time::timeout(wait, semaphore.acquire_owned())
            .await
            .ok()?
            .ok()?;
        Some(Running {
            _permit: permit,
            _user: user,
        })
    }
}

/// Middleware: runs the request once its client has a place free, else 429.
pub async fn per_client(
    State(limit): State<Arc<ClientLimit>>,
    request: Request,
    next: Next,
) -> Response {
    // Requests that did not come over the network (in-process callers) are not limited.
    let Some(ClientAddr(addr)) = request.extensions().get::<ClientAddr>().copied() else {
        return next.run(request).await;
    };
    match limit.enter(addr.ip(), WAIT).await {
        Some(running) => {
            let response = next.run(request).await;
            drop(running);
            response
        }
        None => {
            let mut response = AppError::TooManyRequests.into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
    }
}

/// The client a limit counts for an address: an IPv4 address itself, an IPv6 address's
/// /64 network (one host is usually given a whole /64 and may use any address in it); an
/// IPv4 address written as IPv6 counts as that IPv4 address.
pub(crate) fn network_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(bits.into())
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NO_WAIT: Duration = Duration::from_millis(10);

    #[tokio::test]
    async fn addresses_of_one_ipv6_network_share_their_places() {
        let limit = ClientLimit::new(1);
        let one: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let same_network: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other_network: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        let held = limit.enter(one, Duration::from_millis(10)).await;
        assert!(held.is_some());
        assert!(
            limit
                .enter(same_network, Duration::from_millis(10))
                .await
                .is_none()
        );
        assert!(
            limit
                .enter(other_network, Duration::from_millis(10))
                .await
                .is_some()
        );
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(network_of(mapped), IpAddr::from([192, 0, 2, 1]));
    }

    #[tokio::test]
    async fn each_client_has_its_own_places_and_waits_its_turn() {
        let limit = ClientLimit::new(2);
        let a: IpAddr = [192, 0, 2, 1].into();
        let b: IpAddr = [192, 0, 2, 2].into();
        let first = limit.enter(a, NO_WAIT).await.expect("a place");
        let _second = limit.enter(a, NO_WAIT).await.expect("a place");
        assert!(limit.enter(a, NO_WAIT).await.is_none());
        assert!(
            limit.enter(b, NO_WAIT).await.is_some(),
            "another client is not affected"
        );
        // A search that waits gets the place a finished one frees.
        let waiting = {
            let limit = Arc::clone(&limit);
            tokio::spawn(async move { limit.enter(a, Duration::from_secs(5)).await.is_some() })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(first);
        assert!(waiting.await.expect("the waiting search"));
        drop(_second);
        assert!(
            limit.clients().is_empty(),
            "no entry is kept for idle clients"
        );

        let unlimited = ClientLimit::new(0);
        let mut held = Vec::new();
        for _ in 0..100 {
            held.push(unlimited.enter(a, NO_WAIT).await.expect("no limit"));
        }
    }

    #[tokio::test]
    async fn a_client_over_its_limit_gets_429_while_others_are_served() {
        use axum::Router;
        use axum::body::Body;
        use axum::http::{Request, StatusCode};
        use axum::routing::get;
        use tower::ServiceExt;

        async fn slow() -> &'static str {
            tokio::time::sleep(Duration::from_millis(1_500)).await;
            "klar"
        }
        let app =
            Router::new()
                .route("/sok", get(slow))
                .layer(axum::middleware::from_fn_with_state(
                    ClientLimit::new(1),
                    per_client,
                ));
        let send = |ip: [u8; 4]| {
            let app = app.clone();
            async move {
                let mut request = Request::get("/sok").body(Body::empty()).expect("a request");
                request
                    .extensions_mut()
                    .insert(ClientAddr((ip, 40_000).into()));
                let response = app.oneshot(request).await.expect("an answer");
                (
                    response.status(),
                    response.headers().get(header::RETRY_AFTER).cloned(),
                )
            }
        };
        let (first, second, other) = tokio::join!(
            send([192, 0, 2, 1]),
            async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                send([192, 0, 2, 1]).await
            },
            send([192, 0, 2, 9]),
        );
        assert_eq!(first.0, StatusCode::OK);
        assert_eq!(
            other.0,
            StatusCode::OK,
            "another client is served meanwhile"
        );
        assert_eq!(second.0, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(second.1, Some(HeaderValue::from_static("1")));
    }
}
