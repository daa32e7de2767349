//! Faceted search over the index, filtered by what the viewer may see.

pub mod bits;
pub mod collect;
pub mod count;
mod facet_counts;
pub mod facet_table;
pub mod facets;
pub mod page_docs;
pub mod params;
mod passes;
pub mod query;
pub mod request;
mod score;
pub mod snippet;
pub mod suggest;
pub mod term_docs;
pub mod visible;
mod weights;

pub use facets::{FACETS, FacetKey};
pub use query::Ranking;
pub use request::{
    Facet, FacetValue, Filters, Hit, MAX_PAGE, MAX_PER_PAGE, MAX_REACHABLE, SearchRequest,
    SearchResults, Sort, Viewer, last_reachable_page,
};

use crate::store::SearchIndex;
use collect::FacetSpec;
use facets::ValueOrder;
use snippet::Highlighter;
use visible::VisibleDocs;

impl SearchIndex {
    /// The facet tables for `searcher`'s segments (tables of segments gone are dropped).
    pub fn facet_tables(
        &self,
        searcher: &tantivy::Searcher,
    ) -> std::sync::Arc<facet_table::FacetTables> {
        self.segment_cache(searcher)
    }

    /// The cached terms of `searcher`'s segments (terms of segments gone are dropped).
    pub fn terms(&self, searcher: &tantivy::Searcher) -> std::sync::Arc<term_docs::TermCache> {
        self.segment_cache(searcher)
    }

    /// The cached page documents of `searcher`'s segments.
    pub fn page_docs(&self, searcher: &tantivy::Searcher) -> std::sync::Arc<page_docs::PageDocs> {
        self.segment_cache(searcher)
    }
}

/// The most typo variants tried per query word.
const TYPO_VARIANTS: usize = 5;

/// What each facet selects, in [`FACETS`] order, as the index stores the values.
fn selected_values(filters: &Filters) -> Vec<Vec<String>> {
    FACETS.iter().map(|key| key.selected(filters)).collect()
}

/// The counting specification of every facet, in [`FACETS`] order.
fn facet_specs(selected: &[Vec<String>]) -> Vec<FacetSpec> {
    FACETS
        .iter()
        .zip(selected)
        .map(|(key, values)| FacetSpec {
            field: key.field(),
            selected: values.clone(),
        })
        .collect()
}

/// Runs a search with the app's ranking.
pub fn search(index: &SearchIndex, request: &SearchRequest) -> tantivy::Result<SearchResults> {
    search_with(index, request, &Ranking::default())
}

/// Runs a search with the given ranking weights.
pub fn search_with(
    index: &SearchIndex,
    request: &SearchRequest,
    ranking: &Ranking,
) -> tantivy::Result<SearchResults> {
    let f = index.fields();
    let searcher = index.searcher();
    let per_page = request.per_page.clamp(1, MAX_PER_PAGE);
    let page = request
        .page
        .clamp(1, request::last_reachable_page(per_page));
    // Every statistic the search decides or scores with is of what the viewer may see.
    let visible = VisibleDocs::new(index, &searcher, &request.viewer.visibility_terms())?;
    let mut words = query::analyse_query(&request.query);
    // One budget of dictionary walks for the whole request (typos, "Menade du").
    let mut walks = query::MAX_WALKS;
    if words.len() <= ranking.typos_up_to_words {
        query::expand_typos(
            &visible,
            f.text_exact,
            &mut words,
            TYPO_VARIANTS,
            &mut walks,
        )?;
    }

    let selected = selected_values(&request.filters);
    let specs = facet_specs(&selected);
    let offset = (page - 1) * per_page;
    // Every way each word may match, read once for counting and for scoring.
    let terms: Vec<Vec<query::WeightedTerm>> = words
        .iter()
        .map(|w| query::word_terms(f, ranking, w))
        .collect();
    // The total and the counts from a pass that scores nothing, with the documents that
    // passed, then the page's hits among those.
    let (total, counts, allowed) =
        passes::count_matches(index, &searcher, ranking, &terms, &visible, &specs)?;
    let top = if words.is_empty() || request.sort == Sort::Newest {
        passes::newest(index, &searcher, &allowed, offset, per_page)?
    } else {
        let flat: Vec<query::WeightedTerm> = terms.into_iter().flatten().collect();
        score::top_by_score(index, &visible, &flat, &allowed, offset, per_page)?
    };

    let highlighter = Highlighter::new(&words);
    let documents = index.page_docs(&searcher);
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        // (Reading and highlighting the page on two threads was measured: waking a second
        // thread costs as much as it saves.)
        hits.extend(
            documents
                .get(&searcher, f, address)?
                .hit(&highlighter, score),
        );
    }

    let facets = FACETS
        .iter()
        .zip(selected.iter())
        .enumerate()
        .map(|(i, (key, selected))| build_facet(*key, counts.values(i), selected))
        .collect();

    let suggestion = if total == 0 && !words.is_empty() {
        suggestion_with_hits(index, &visible, request, ranking, &mut walks)?
    } else {
        None
    };

    Ok(SearchResults {
        total,
        page,
        per_page,
        hits,
        facets,
        suggestion,
    })
}

/// The best `limit` documents the viewer may see (`visible`) that match `words` and
/// `filters`, less those holding any of the `excluded` terms, with their exact scores:
/// what people-finding ranks with. Scores are summed in the query's order, ties go to the
/// lower tie-break value, so neither depends on how the index is laid out.
pub fn top_matching(
    index: &SearchIndex,
    visible: &VisibleDocs,
    ranking: &Ranking,
    words: &[query::QueryWord],
    filters: &Filters,
    excluded: &[(tantivy::schema::Field, &str)],
    limit: usize,
) -> tantivy::Result<Vec<(f32, tantivy::DocAddress)>> {
    let searcher = visible.searcher();
    let terms: Vec<Vec<query::WeightedTerm>> = words
        .iter()
        .map(|w| query::word_terms(index.fields(), ranking, w))
        .collect();
    let specs = facet_specs(&selected_values(filters));
    let (_, _, mut allowed) =
        passes::count_matches(index, searcher, ranking, &terms, visible, &specs)?;
    let cache = index.terms(searcher);
    for (segment, allowed) in searcher.segment_readers().iter().zip(&mut allowed) {
        for (field, text) in excluded {
            allowed.subtract(cache.get(segment, *field, text)?.bits());
        }
    }
    let flat: Vec<query::WeightedTerm> = terms.into_iter().flatten().collect();
    score::top_by_score(index, visible, &flat, &allowed, 0, limit)
}

/// A facet's values in its order, with their Swedish labels; only the values listed are
/// copied out of the facet tables.
fn build_facet<'a>(
    key: FacetKey,
    mut counts: Vec<(&'a str, u64)>,
    selected: &'a [String],
) -> Facet {
    for value in selected {
        if !counts.iter().any(|(v, _)| v == value) {
            counts.push((value, 0));
        }
    }
    let is_selected = |value: &str| selected.iter().any(|s| s == value);
    let listed = |value: &str, label: String, count: u64| FacetValue {
        value: value.to_string(),
        label,
        count,
        selected: is_selected(value),
    };
    let values = match key.order() {
        ValueOrder::MostHits => {
            // The most common first (then alphabetical), and the selected ones after them:
            // only those are put in order.
            let order = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
            let top = facets::TOP_COMPETENCES;
            if counts.len() > top {
                counts.select_nth_unstable_by(top, order);
                let mut rest = counts.split_off(top);
                rest.retain(|(value, _)| is_selected(value));
                counts.sort_unstable_by(order);
                rest.sort_unstable_by(order);
                counts.append(&mut rest);
            } else {
                counts.sort_unstable_by(order);
            }
            counts
                .into_iter()
                .map(|(value, count)| listed(value, key.value_label(value).0, count))
                .collect()
        }
        ValueOrder::Descending => {
            counts.sort_by(|a, b| b.0.cmp(a.0));
            counts
                .into_iter()
                .map(|(value, count)| listed(value, key.value_label(value).0, count))
                .collect()
        }
        ValueOrder::Natural => {
            let mut ranked: Vec<(usize, String, &str, u64)> = counts
                .into_iter()
                .map(|(value, count)| {
                    let (label, rank) = key.value_label(value);
                    (rank, label, value, count)
                })
                .collect();
            ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(b.2)));
            ranked
                .into_iter()
                .map(|(_, label, value, count)| listed(value, label, count))
                .collect()
        }
    };
    Facet {
        name: key.name(),
        label: key.label(),
        values,
    }
}

/// "Did you mean": a respelling from public words, offered only if it finds something the
/// viewer may see with the same filters.
fn suggestion_with_hits(
    index: &SearchIndex,
    visible: &VisibleDocs,
    request: &SearchRequest,
    ranking: &Ranking,
    walks: &mut usize,
) -> tantivy::Result<Option<String>> {
    let Some(respelled) =
        suggest::did_you_mean(visible, index.fields().public_words, &request.query, walks)?
    else {
        return Ok(None);
    };
    let probe = SearchRequest {
        query: respelled.clone(),
        per_page: 1,
        page: 1,
        ..request.clone()
    };
    let mut words = query::analyse_query(&probe.query);
    if words.len() <= ranking.typos_up_to_words {
        query::expand_typos(
            visible,
            index.fields().text_exact,
            &mut words,
            TYPO_VARIANTS,
            walks,
        )?;
    }
    let terms: Vec<Vec<query::WeightedTerm>> = words
        .iter()
        .map(|w| query::word_terms(index.fields(), ranking, w))
        .collect();
    // Counted with the same filters as the search, so the suggestion never leads to nothing.
    let specs = facet_specs(&selected_values(&probe.filters));
    let (count, _, _) =
        passes::count_matches(index, visible.searcher(), ranking, &terms, visible, &specs)?;
    Ok((count > 0).then_some(respelled))
}

/// Completions for search-as-you-type, from words of public documents only (and only of
/// those that are live).
pub fn suggestions(index: &SearchIndex, typed: &str) -> tantivy::Result<Vec<String>> {
    let searcher = index.searcher();
    let public = VisibleDocs::new(index, &searcher, &Viewer::Anonymous.visibility_terms())?;
    suggest::complete(&public, index.fields().public_words, typed)
}
