//! `hallbar serve`: open the store, load the demo corpus into an empty one, serve HTTP
//! until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;

use crate::config::Config;
use crate::http::{AppState, router, starting};
use crate::server::{self, ServerLimits};
use crate::{db, demo, indexer};

/// How long requests in flight may take after Ctrl-C or SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Settings about the site as the public sees it.
#[derive(Debug, Clone)]
pub struct Site {
    /// Whether a reverse proxy's `X-Forwarded-For` names the client (for the limits).
    pub behind_proxy: bool,
    /// The SMTP server mails go through; `.eml` files under `<data>/mail` when not set.
    pub smtp_url: Option<String>,
    /// The sender of the site's mails.
    pub mail_from: String,
    /// The public address; `http://` and the listening address when not set.
    pub public_url: Option<String>,
    /// The address the contact page names.
    pub contact_email: Option<String>,
    /// Where the operator publishes the source code (named on `/kallkod`).
    pub source_url: Option<String>,
    /// How long search may lag or the indexer fail before `/healthz` answers 503.
    pub index_lag_limit: Duration,
    /// The largest import an admin may upload on the web, in bytes.
    pub import_max_bytes: u64,
    /// Searches at once per client address (0: no limit).
    pub searches_per_client: usize,
}

/// How the server treats connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connections {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    /// The most open connections; derived from the file limit when not set.
    pub max_connections: Option<usize>,
}

impl Default for Connections {
    fn default() -> Self {
        Connections {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: None,
        }
    }
}

pub async fn serve(
    data_dir: &Path,
    database_url: Option<&str>,
    addr: SocketAddr,
    site: Site,
    connections: Connections,
    load_demo: bool,
) -> anyhow::Result<()> {
    // Raise the file limit before anything opens files, and cap connections below it.
    let file_limit = server::limits::raise_file_limit();
    let limits = ServerLimits {
        header_timeout: connections.header_timeout,
        idle_timeout: connections.idle_timeout,
        max_connections: connections
            .max_connections
            .unwrap_or_else(|| server::limits::connections_for(file_limit)),
    };
    let mail_dir = data_dir.join("mail");
    let mailer =
        crate::mail::Mailer::new(site.smtp_url.as_deref(), &site.mail_from, mail_dir.clone())
            .map_err(|e| anyhow::anyhow!("e-postinställningarna: {e}"))?;
    // Take the port first: a port in use must not leave a half-set-up data directory.
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("kunde inte lyssna på {addr} (används porten redan?)"))?;
    let local = listener.local_addr()?;
    let public_url = site.public_url.unwrap_or_else(|| format!("http://{local}"));
    let config = Config::default()
        .with_public_url(public_url)
        .with_contact_email(site.contact_email)
        .with_source_url(site.source_url);
    let config = Config {
        index_lag_limit: site.index_lag_limit,
        searches_per_client: site.searches_per_client,
        mail_from: site.mail_from.clone(),
        mail_dir,
        behind_proxy: site.behind_proxy,
        data_dir: data_dir.to_path_buf(),
        import_max_bytes: site.import_max_bytes,
        ..config
    };
    let shared_config = std::sync::Arc::new(config.clone());
    // The server answers from the start: while the index is built, `/readyz` says 503 and
    // pages ask to come back (see `http::starting`).
    let ready = starting::Ready::default();
    let (stopping, mut stop_requested) = tokio::sync::watch::channel(false);
    let graceful = async move {
        shutdown_signal().await;
        let _ = stopping.send(true);
    };
    let mut server = tokio::spawn(server::run(
        listener,
        starting::router(ready.clone()),
        std::sync::Arc::clone(&shared_config),
        limits,
        graceful,
    ));
    let started = async {
        let pool = db::open_configured(data_dir, database_url).await?;
        if load_demo && demo::load_if_empty(&pool).await? {
            tracing::info!("demoinnehållet laddades i den tomma databasen");
        }
        let (search, opened) = indexer::open(data_dir, &pool).await?;
        let indexer = indexer::start(opened, pool.clone())?;
        anyhow::Ok((pool, search, indexer))
    };
    let mut stopped_early = stop_requested.clone();
    let (pool, search, indexer) = tokio::select! {
        started = started => started?,
        _ = stopped_early.wait_for(|stop| *stop) => {
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, server).await;
            tracing::info!("hallbar avslutades under starten");
            return Ok(());
        }
    };
    tracing::info!(
        file_limit,
        max_connections = limits.max_connections,
        "hallbar lyssnar på http://{local}"
    );
    let state = AppState::new(pool.clone(), search, config).with_mailer(mailer);
    // Members' e-mail digests, looked for every ten minutes (any node may send one; each
    // member's is claimed by one node).
    let digests = {
        let state = state.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(crate::digest::EVERY);
            loop {
                every.tick().await;
                let now = chrono::Utc::now().timestamp();
                if let Err(e) =
                    crate::digest::send_due(&state.db, &state.mailer, &state.config, now).await
                {
                    tracing::warn!(error = %e, "e-postsammanfattningarna kunde inte skickas");
                }
            }
        })
    };
    ready.open(router(state));
    println!("hallbar är igång på http://{local} – avsluta med Ctrl-C");
    // Requests in flight get a bounded time to finish; a client that never completes its
    // request cannot keep the process alive.
    let deadline = async move {
        let _ = stop_requested.wait_for(|stop| *stop).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        _ = &mut server => {}
        () = deadline => tracing::warn!("avslutar trots att förfrågningar pågår"),
    }
    digests.abort();
    indexer.stop().await;
    pool.close().await;
    tracing::info!("hallbar avslutades");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
