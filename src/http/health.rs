//! `GET /healthz`: whether the site can answer truthfully (and `GET /readyz`: whether a
//! load balancer should send this node traffic). 200 when the database answers and
//! search is current; 503 when the database does not answer, or the indexer has been
//! failing or falling behind for longer than the configured limit. The body says how far
//! behind search is (outbox rows and seconds) and why indexing fails.

use std::sync::Arc;

use crate::db::Db;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::AppState;
use crate::config::Config;
use crate::db;
use crate::search::SearchService;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// What `/readyz` answers.
#[derive(Debug, Serialize)]
struct Readiness {
    /// `klar` or `inte klar`.
    status: &'static str,
    /// Why not, while not.
    orsak: Option<&'static str>,
}

/// `GET /readyz`: whether a load balancer should send this node traffic. 200 once the
/// node's index has caught up with the database since it started (a node that joins late
/// builds its index from one snapshot and then follows the outbox), while the database
/// answers, indexing does not fail and the index is not behind by more than the lag limit;
/// 503 otherwise.
async fn readyz(
    State(pool): State<Db>,
    State(search): State<SearchService>,
    State(config): State<Arc<Config>>,
) -> (StatusCode, Json<Readiness>) {
    let indexer = search.indexer_health();
    let lag = match pool.acquire().await {
        Ok(mut conn) => db::outbox::lag(&mut conn, search.indexed()).await.ok(),
        Err(_) => None,
    };
    let behind_too_long = lag
        .and_then(|(_, oldest)| oldest)
        .and_then(|oldest| (chrono::Utc::now() - oldest).to_std().ok())
        .is_some_and(|waited| waited >= config.index_lag_limit);
    let reason = if lag.is_none() {
        Some("databasen svarar inte")
    } else if indexer.failing_since.is_some() {
        Some("indexeringen misslyckas")
    } else if !indexer.caught_up {
        Some("sökindexet har ännu inte hunnit ikapp databasen")
    } else if behind_too_long {
        Some("sökindexet ligger efter databasen")
    } else {
        None
    };
    let status = if reason.is_none() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Readiness {
        status: if reason.is_none() {
            "klar"
        } else {
            "inte klar"
        },
        orsak: reason,
    };
    (status, Json(body))
}

/// What `/healthz` answers.
#[derive(Debug, Serialize)]
struct Health {
    /// `ok` or `fel`.
    status: &'static str,
    /// `ok` or `svarar inte`.
    databas: &'static str,
    sokindex: IndexHealth,
}

#[derive(Debug, Serialize)]
struct IndexHealth {
    /// Changes written but not yet searchable (unknown when the database does not answer).
    andringar_efter: Option<i64>,
    /// How long the oldest of them has waited, in seconds.
    sekunder_efter: Option<u64>,
    /// Why indexing fails, while it does.
    fel: Option<String>,
    /// For how many seconds it has failed.
    fel_i_sekunder: Option<u64>,
}

async fn healthz(
    State(pool): State<Db>,
    State(search): State<SearchService>,
    State(config): State<Arc<Config>>,
) -> (StatusCode, Json<Health>) {
    let indexer = search.indexer_health();
    let failing_for = indexer.failing_since.map(|since| since.elapsed());
    let lag = match db::ping(&pool).await {
        Err(e) => {
            tracing::error!(error = %e, "hälsokontrollen nådde inte databasen");
            None
        }
        Ok(()) => match pool.acquire().await {
            Ok(mut conn) => db::outbox::lag(&mut conn, search.indexed()).await.ok(),
            Err(_) => None,
        },
    };
    let waited = lag.and_then(|(_, oldest)| oldest).map(|oldest| {
        (chrono::Utc::now() - oldest)
            .to_std()
            .unwrap_or_default()
            .as_secs()
    });
    let limit = config.index_lag_limit;
    let behind_too_long = waited.is_some_and(|s| s >= limit.as_secs());
    let failing_too_long = failing_for.is_some_and(|f| f >= limit);
    let healthy = lag.is_some() && !behind_too_long && !failing_too_long;
    let health = Health {
        status: if healthy { "ok" } else { "fel" },
        databas: if lag.is_some() { "ok" } else { "svarar inte" },
        sokindex: IndexHealth {
            andringar_efter: lag.map(|(behind, _)| behind),
            sekunder_efter: lag.map(|_| waited.unwrap_or(0)),
            fel: indexer.last_error,
            fel_i_sekunder: failing_for.map(|f| f.as_secs()),
        },
    };
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(health))
}
