//! The application's error type and how each error is shown: a Swedish page, never a cause.

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sidan finns inte")]
    NotFound,
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("sökfel: {0}")]
    Search(#[from] tantivy::TantivyError),
    #[error("databasfel: {0}")]
    Db(#[from] sqlx::Error),
    #[error("internt fel: {0}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid { .. } => StatusCode::BAD_REQUEST,
            AppError::Db(_) | AppError::Internal(_) | AppError::Search(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let page = match &self {
            AppError::NotFound => hallbar_templates::pages::errors::not_found(),
            AppError::Invalid { field, message } => {
                hallbar_templates::pages::errors::bad_request(field, message)
            }
            AppError::Db(_) | AppError::Internal(_) | AppError::Search(_) => {
                tracing::error!(error = %self, "fel vid hantering av en förfrågan");
                hallbar_templates::pages::errors::server_error()
            }
        };
        (status, page).into_response()
    }
}

/// For a known path asked with a method it does not answer (e.g. `POST /`).
pub async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        hallbar_templates::pages::errors::method_not_allowed(),
    )
        .into_response()
}

/// The fallback for paths that match no route.
pub async fn not_found(uri: Uri) -> AppError {
    tracing::debug!(%uri, "okänd sökväg");
    AppError::NotFound
}

impl From<crate::search::params::ParamError> for AppError {
    fn from(e: crate::search::params::ParamError) -> Self {
        AppError::Invalid {
            field: e.parameter,
            message: e.message,
        }
    }
}

/// The same errors as JSON, for `/api`: `{"fel": {"kod": …, "parameter": …, "meddelande": …}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let body = match &self.0 {
            AppError::NotFound => {
                serde_json::json!({"kod": "finns_inte", "meddelande": "resursen finns inte"})
            }
            AppError::Invalid { field, message } => serde_json::json!({
                "kod": "ogiltig_parameter", "parameter": field, "meddelande": message
            }),
            other => {
                tracing::error!(error = %other, "fel vid hantering av ett API-anrop");
                serde_json::json!({"kod": "internt_fel", "meddelande": "ett internt fel uppstod"})
            }
        };
        (status, axum::Json(serde_json::json!({ "fel": body }))).into_response()
    }
}
