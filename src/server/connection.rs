//! One HTTP/1 connection: hyper's header-read timeout for requests being sent, our idle
//! timeout for kept-alive connections that send nothing, and a bounded goodbye.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tower::ServiceExt;

use super::ClientAddr;
use super::activity::Tracked;
use super::head::{self, FirstHead, Prefixed};
use super::registry::Slot;
use crate::config::Config;

/// The timeouts of one connection.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// The most time a request's headers may take to arrive.
    pub header: Duration,
    /// The most time a connection may send and receive nothing.
    pub idle: Duration,
}

/// How long an evicted connection may take to finish a response it is still sending.
const EVICTED_GOODBYE: Duration = Duration::from_secs(1);

/// Serves one connection until it closes, is idle too long, is evicted to make room, or the
/// server stops. Its slot is freed when it returns.
pub async fn serve(
    mut stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    config: std::sync::Arc<Config>,
    timeouts: Timeouts,
    slot: Slot,
    mut closing: watch::Receiver<bool>,
) {
    // The first head is read and checked here; hyper reads the rest.
    let first = tokio::select! {
        read = tokio::time::timeout(timeouts.header, head::read_first(&mut stream)) => read,
        () = slot.evict.notified() => return,
        _ = closing.changed() => return,
    };
    let prefix = match first {
        Ok(Ok(FirstHead::Readable(prefix))) => prefix,
        Ok(Ok(FirstHead::Refused { refusal, api })) => {
            let answer = crate::http::edge::refusal(refusal, api, &config);
            let _ = tokio::time::timeout(EVICTED_GOODBYE, async {
                stream.write_all(&answer).await?;
                stream.shutdown().await
            })
            .await;
            return;
        }
        // Closed, unreadable, or no whole head in time: nothing to answer.
        Ok(Ok(FirstHead::Closed)) | Ok(Err(_)) | Err(_) => return,
    };
    let activity = slot.activity.clone();
    let io = TokioIo::new(Prefixed::new(
        prefix,
        Tracked::new(stream, activity.clone()),
    ));
    let in_flight = std::sync::Arc::clone(&slot.in_flight);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ClientAddr(peer));
        let app = app.clone();
        let in_flight = std::sync::Arc::clone(&in_flight);
        in_flight.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        async move {
            let response = app.oneshot(request.map(Body::new)).await;
            in_flight.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
            Ok::<_, Infallible>(match response {
                Ok(response) => response,
                Err(never) => match never {},
            })
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header)
        .max_headers(head::MAX_HEADERS)
        .keep_alive(true);
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);

    let check_every = (timeouts.idle / 4).clamp(Duration::from_millis(50), Duration::from_secs(5));
    let mut check = tokio::time::interval(check_every);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // After asking the connection to close: how long its last request may still take to be
    // sent to a client that does not read.
    let mut goodbye: Option<tokio::time::Instant> = None;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, %peer, "anslutningen avslutades med fel");
                }
                return;
            }
            _ = check.tick() => {
                match goodbye {
                    None if activity.idle_for() >= timeouts.idle => {
                        connection.as_mut().graceful_shutdown();
                        goodbye = Some(tokio::time::Instant::now() + timeouts.idle);
                    }
                    Some(deadline) if tokio::time::Instant::now() >= deadline => {
                        tracing::debug!(%peer, "stänger en anslutning som inte blev klar");
                        return;
                    }
                    _ => {}
                }
            }
            changed = closing.changed(), if goodbye.is_none() => {
                let _ = changed;
                connection.as_mut().graceful_shutdown();
                goodbye = Some(tokio::time::Instant::now() + timeouts.idle.min(Duration::from_secs(5)));
            }
            () = slot.evict.notified(), if goodbye.is_none() => {
                connection.as_mut().graceful_shutdown();
                goodbye = Some(tokio::time::Instant::now() + EVICTED_GOODBYE);
            }
        }
    }
}
