//! Serving HTTP/1 connections with limits (instead of `axum::serve`): every connection has a
//! header-read timeout and an idle timeout, and the number of open connections is capped
//! below the process's file limit. At the cap the longest-idle connection is closed to make
//! room; when every connection is busy, new ones are closed at once while the open ones are
//! served. Each request carries the client's address.

mod activity;
mod connection;
mod head;
pub mod limits;
mod registry;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::Config;
pub use limits::ServerLimits;
use registry::Registry;

/// How long to pause accepting after the process ran out of file descriptors.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting, lets every
/// open connection finish its request in flight, and returns when all are closed.
pub async fn run(
    listener: TcpListener,
    app: Router,
    config: Arc<Config>,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()>,
) {
    let registry = Registry::new(limits.max_connections);
    let (closing, closed_signal) = watch::channel(false);
    let mut refused: u64 = 0;
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of descriptors (or a connection reset before it was accepted): wait a
                // little instead of spinning; connections already open go on being served.
                tracing::warn!(error = %e, "kunde inte ta emot en anslutning");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let Some(slot) = registry.admit().await else {
            // Every connection is busy: close at once, before reading anything.
            drop(stream);
            refused += 1;
            if refused.is_power_of_two() {
                tracing::warn!(
                    refused,
                    open = registry.open_connections(),
                    max = limits.max_connections,
                    "alla anslutningar är upptagna; nya stängs direkt"
                );
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let closing = closed_signal.clone();
        let timeouts = limits.timeouts();
        let config = Arc::clone(&config);
        tokio::spawn(connection::serve(
            stream, peer, app, config, timeouts, slot, closing,
        ));
    }
    let _ = closing.send(true);
    registry.all_closed().await;
}

/// The client's address, in every request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub SocketAddr);
