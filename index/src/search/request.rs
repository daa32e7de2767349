//! What a search asks for and what it returns.

use serde::Serialize;

use crate::document::DocKind;
use crate::model::{District, Sector, Slug, TargetGroup};

/// The most hits one page may hold.
pub const MAX_PER_PAGE: usize = 100;
/// The deepest page that may be asked for (deep paging costs memory).
pub const MAX_PAGE: usize = 500;
/// The most hits that pages reach: a page past them is refused (each page sorts every hit
/// before it; a search with more hits than this is refined, not paged through).
pub const MAX_REACHABLE: usize = 1000;

/// The last page of `per_page` hits that stays within [`MAX_REACHABLE`].
pub fn last_reachable_page(per_page: usize) -> usize {
    MAX_REACHABLE.div_ceil(per_page.max(1)).min(MAX_PAGE)
}

/// Who is searching: decides which documents exist for them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Viewer {
    /// Not logged in: public documents only.
    #[default]
    Anonymous,
    /// A logged-in member: public and members' documents, and the content of the closed
    /// groups listed (those they belong to).
    Member { id: Slug, groups: Vec<Slug> },
}

impl Viewer {
    /// The visibility terms this viewer may see.
    pub fn visibility_terms(&self) -> Vec<String> {
        match self {
            Viewer::Anonymous => vec!["publik".to_string()],
            Viewer::Member { groups, .. } => {
                let mut terms = vec!["publik".to_string(), "medlemmar".to_string()];
                terms.extend(groups.iter().map(|g| format!("grupp:{g}")));
                terms
            }
        }
    }
}

/// Facet filters: values within one facet are OR'ed, facets are AND'ed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    pub kinds: Vec<DocKind>,
    pub districts: Vec<District>,
    pub sectors: Vec<Sector>,
    /// Phases of phased guides (slugs).
    pub phases: Vec<Slug>,
    /// Categories of catalogues (slugs).
    pub pivi_kinds: Vec<Slug>,
    /// Support models (their ids).
    pub models: Vec<Slug>,
    pub target_groups: Vec<TargetGroup>,
    pub competences: Vec<String>,
    pub years: Vec<i32>,
    /// Group ids (a group's threads and posts).
    pub groups: Vec<crate::model::Slug>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// The order of hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (newest first when there is no query).
    #[default]
    Relevance,
    /// Newest first.
    Newest,
}

/// One search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub query: String,
    pub filters: Filters,
    pub sort: Sort,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
    pub viewer: Viewer,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            query: String::new(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            page: 1,
            per_page: 20,
            viewer: Viewer::Anonymous,
        }
    }
}

/// One hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub kind: DocKind,
    pub id: String,
    pub title: String,
    pub url: String,
    /// HTML: the text is escaped and matched words are wrapped in `<mark>`.
    pub snippet: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub score: f32,
    /// What the hit is called when not its kind's usual name: the support model it belongs
    /// to, for content of a model made on the web (see [`super::facets::label_hits`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// One value of a facet with the number of hits it would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

/// A facet: its URL parameter, its Swedish name and its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facet {
    pub name: &'static str,
    pub label: &'static str,
    pub values: Vec<FacetValue>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub total: u64,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<Hit>,
    pub facets: Vec<Facet>,
    /// "Menade du …?": a close spelling that gives hits, when nothing matched.
    pub suggestion: Option<String>,
}
