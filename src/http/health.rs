//! `GET /healthz`: 200 when the database answers, 503 when it does not.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use sqlx::SqlitePool;

use super::AppState;
use crate::db;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

async fn healthz(State(pool): State<SqlitePool>) -> (StatusCode, &'static str) {
    match db::ping(&pool).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "hälsokontrollen nådde inte databasen");
            (StatusCode::SERVICE_UNAVAILABLE, "databasen svarar inte")
        }
    }
}
