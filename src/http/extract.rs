//! Reading a page's path parameters: one that cannot be read leads nowhere.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;

use super::AppError;

/// A path parameter; one that cannot be read (invalid UTF-8, wrong shape) leads nowhere,
/// so it is the Swedish 404 page rather than axum's English plain-text error.
pub struct SitePath<T>(pub T);

impl<T, S> FromRequestParts<S> for SitePath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        // No page's id holds a control character; a NUL would not even reach PostgreSQL.
        let path = parts.uri.path();
        if path.contains("%00") || path.bytes().any(|b| b.is_ascii_control()) {
            return Err(AppError::NotFound);
        }
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(SitePath(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "oläslig sökväg");
                Err(AppError::NotFound)
            }
        }
    }
}
