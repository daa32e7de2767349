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

/// The longest meta description, in characters.
const DESCRIPTION_CHARS: usize = 160;

/// A meta description from a text: whole words, at most 160 characters, "…" when cut.
pub fn description(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= DESCRIPTION_CHARS {
        return text;
    }
    let cut: String = text.chars().take(DESCRIPTION_CHARS - 1).collect();
    let whole_words = match cut.rfind(' ') {
        Some(space) if space > DESCRIPTION_CHARS / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        whole_words.trim_end_matches([',', '.', ';', ':', ' '])
    )
}

/// The URL's `name=value` pairs, decoded, trimmed, empty values dropped, competences in
/// lower case (as the search reads them, so links that remove a filter find it).
pub fn pairs(raw: &Option<String>) -> Vec<(String, String)> {
    raw.as_deref()
        .map(|q| {
            form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .filter_map(|(name, value)| {
                    let value = value.trim();
                    if value.is_empty() {
                        return None;
                    }
                    let value = if name == "kompetens" {
                        value.to_lowercase()
                    } else {
                        value.to_string()
                    };
                    Some((name, value))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Parameters every search page understands besides its facets.
const SEARCH_PARAMETERS: &[&str] = &["q", "sortera", "sida", "per_sida"];

/// Only the parameters a search page offers (the query, sort, paging and its own facets):
/// anything else in the URL would filter invisibly, with no chip to remove it.
pub fn offered(pairs: Vec<(String, String)>, facets: &[&str]) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .filter(|(name, _)| {
            SEARCH_PARAMETERS.contains(&name.as_str()) || facets.contains(&name.as_str())
        })
        .collect()
}

/// Reads a search from URL pairs (a bad value is a 400 naming the parameter).
pub fn request(pairs: &[(String, String)], viewer: Viewer) -> Result<SearchRequest, AppError> {
    Ok(params::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        viewer,
    )?)
}

/// A search page's request, read from the URL and run: what every search page renders.
pub struct SearchPage {
    pub action: &'static str,
    pub facets: &'static [&'static str],
    /// The parameters the page offers, as given.
    pub params: Vec<(String, String)>,
    pub query: String,
    pub sort: hallbar_index::search::Sort,
    pub page: usize,
    pub results: SearchResults,
}

impl SearchPage {
    /// Reads the URL (only the page's own parameters), restricts the search to `kind` when
    /// given, and runs it.
    pub async fn run(
        state: &AppState,
        raw: &Option<String>,
        action: &'static str,
        facets: &'static [&'static str],
        kind: Option<hallbar_index::DocKind>,
        viewer: Viewer,
    ) -> Result<Self, AppError> {
        let params = offered(pairs(raw), facets);
        let mut search = request(&params, viewer)?;
        if let Some(kind) = kind {
            search.filters.kinds = vec![kind];
        }
        let (query, sort, page) = (search.query.clone(), search.sort, search.page);
        let results = run(state, search).await?;
        Ok(SearchPage {
            action,
            facets,
            params,
            query,
            sort,
            page,
            results,
        })
    }

    /// The page's canonical path: its own parameters and page number.
    pub fn path(&self) -> String {
        hallbar_templates::components::link(self.action, &self.params, None, Some(self.page), None)
    }

    /// What the search form and results are rendered from.
    pub fn view<'a>(
        &'a self,
        query_label: &'a str,
    ) -> hallbar_templates::components::SearchView<'a> {
        hallbar_templates::components::SearchView {
            action: self.action,
            results: &self.results,
            query: &self.query,
            sort: self.sort,
            params: &self.params,
            facets: self.facets,
            query_label,
        }
    }
}

/// Runs a search on a blocking thread.
pub async fn run(state: &AppState, request: SearchRequest) -> Result<SearchResults, AppError> {
    let index = state.search.index();
    tokio::task::spawn_blocking(move || search::search(&index, &request))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::from)
}

/// A path parameter; one that cannot be read (invalid UTF-8, wrong shape) leads nowhere,
/// so it is the Swedish 404 page rather than axum's English plain-text error.
pub struct SitePath<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for SitePath<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(SitePath(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "oläslig sökväg");
                Err(AppError::NotFound)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_are_cut_at_a_word() {
        assert_eq!(description("Kort  text."), "Kort text.");
        let long = "ord ".repeat(60);
        let cut = description(&long);
        assert!(cut.chars().count() <= DESCRIPTION_CHARS, "{cut}");
        assert!(cut.ends_with("ord…"), "{cut}");
    }
}
