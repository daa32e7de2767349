//! What every HTML handler shares: the page frame's metadata, reading the URL's parameters,
//! and running a search off the async threads.

use hallbar_index::search::{self, SearchRequest, SearchResults, Viewer};
use hallbar_templates::Page;

use super::{AppError, AppState};
use crate::search::params;

/// A page's frame data with its absolute canonical URL.
pub fn page(state: &AppState, path: &str, title: &str, description: &str) -> Page {
    Page::new(title, description, state.absolute(path))
}

/// The URL's `name=value` pairs, decoded, empty values dropped.
pub fn pairs(raw: &Option<String>) -> Vec<(String, String)> {
    raw.as_deref()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .filter(|(_, v)| !v.trim().is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a search from URL pairs (a bad value is a 400 naming the parameter).
pub fn request(pairs: &[(String, String)], viewer: Viewer) -> Result<SearchRequest, AppError> {
    Ok(params::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        viewer,
    )?)
}

/// Runs a search on a blocking thread.
pub async fn run(state: &AppState, request: SearchRequest) -> Result<SearchResults, AppError> {
    let index = state.search.index();
    tokio::task::spawn_blocking(move || search::search(&index, &request))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::from)
}
