//! What every HTML handler shares: the page frame's metadata, and the search pages' runner
//! (URL → request → results → what the view renders).

use hallbar_index::DocKind;
use hallbar_index::search::{FacetKey, SearchResults, Sort, Viewer, params};
use hallbar_templates::Page;
use hallbar_templates::components::{SearchView, link};

use super::AppError;
use crate::config::Config;
use crate::search::SearchService;

/// A page's frame data with its absolute canonical URL.
pub fn page(config: &Config, path: &str, title: &str, description: &str) -> Page {
    Page::new(title, description, config.absolute(path))
        .account(super::session::header_account())
        .models(super::session::navigation())
}

/// A page with forms that must not be kept by any cache (its CSRF token belongs to one
/// visitor or session).
pub fn uncached(status: axum::http::StatusCode, markup: maud::Markup) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        markup,
    )
        .into_response()
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

/// A description from a text that may be empty (then the title).
pub fn description_or(text: &str, title: &str) -> String {
    if text.is_empty() {
        title.to_string()
    } else {
        description(text)
    }
}

/// A page's topic for finding the members who know about it: its title, then its tags,
/// then its summary or lead.
pub fn topic(title: &str, tags: &[String], summary: &str) -> Vec<String> {
    let mut topic = Vec::with_capacity(tags.len() + 2);
    topic.push(title.to_string());
    topic.extend(tags.iter().cloned());
    topic.push(summary.to_string());
    topic
}

/// What a search page is: where its form submits, the facets it offers, and which kind of
/// content it searches (all when `None`).
pub struct SearchScope {
    pub action: String,
    pub facets: &'static [FacetKey],
    pub kind: Option<DocKind>,
    /// Only this support model's content (a catalogue's own search).
    pub model: Option<hallbar_index::Slug>,
}

/// A search page's request, read from the URL and run: what every search page renders.
pub struct SearchPage {
    pub scope: SearchScope,
    /// The search's parameters in canonical form (without the page number).
    pub params: Vec<(String, String)>,
    pub query: String,
    pub sort: Sort,
    pub page: usize,
    pub results: SearchResults,
}

impl SearchPage {
    /// Reads the URL (only the page's own parameters; a bad value is a 400 naming it),
    /// restricts the search to the scope's kind, and runs it for `viewer`.
    pub async fn run(
        search: &SearchService,
        raw: Option<&str>,
        scope: SearchScope,
        viewer: Viewer,
    ) -> Result<Self, AppError> {
        let offered = params::offered(params::pairs(raw), scope.facets);
        let mut request = params::parse(
            offered.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            viewer,
        )?;
        // Links and the canonical address are built from what was understood.
        let params = params::canonical_pairs(&request, scope.facets);
        if let Some(kind) = scope.kind {
            request.filters.kinds = vec![kind];
        }
        if let Some(model) = &scope.model {
            request.filters.models = vec![model.clone()];
        }
        let (query, sort, page) = (request.query.clone(), request.sort, request.page);
        let results = search.search(request).await?;
        Ok(SearchPage {
            scope,
            params,
            query,
            sort,
            page,
            results,
        })
    }

    /// Gives the model facets' values (`modell`, `kategori`, `fas`) their names and order
    /// from `models`.
    pub fn relabel(&mut self, models: &[hallbar_index::SupportModel]) {
        hallbar_index::search::facets::relabel(&mut self.results.facets, models);
        hallbar_index::search::facets::label_hits(&mut self.results.hits, models);
    }

    /// The page's canonical path: its own parameters and page number.
    pub fn path(&self) -> String {
        link(
            &self.scope.action,
            &self.params,
            None,
            Some(self.page),
            None,
        )
    }

    /// What the search form and results are rendered from.
    pub fn view<'a>(&'a self, query_label: &'a str) -> SearchView<'a> {
        SearchView {
            action: &self.scope.action,
            results: &self.results,
            query: &self.query,
            sort: self.sort,
            params: &self.params,
            facets: self.scope.facets,
            query_label,
            notes: &[],
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
        assert_eq!(description_or("", "Titel"), "Titel");
    }
}
