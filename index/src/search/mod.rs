//! Faceted search over the index, filtered by what the viewer may see.

pub mod collect;
pub mod count;
pub mod facet_table;
pub mod facets;
pub mod params;
mod passes;
pub mod query;
pub mod request;
pub mod snippet;
pub mod suggest;

pub use facets::{FACETS, FacetKey};
pub use query::Ranking;
pub use request::{
    Facet, FacetValue, Filters, Hit, MAX_PAGE, MAX_PER_PAGE, SearchRequest, SearchResults, Sort,
    Viewer,
};

use tantivy::TantivyDocument;
use tantivy::collector::TopDocs;
use tantivy::schema::Value;

use crate::document::DocKind;
use crate::store::SearchIndex;
use collect::{FacetSpec, FacetedCollector, Order};
use facets::ValueOrder;
use snippet::Highlighter;

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
    let page = request.page.clamp(1, MAX_PAGE);
    let mut words = query::analyse_query(&request.query);
    if words.len() <= ranking.typos_up_to_words {
        query::expand_typos(&searcher, f.text_exact, &mut words, TYPO_VARIANTS)?;
    }
    let visibility = request.viewer.visibility_terms();

    let selected = selected_values(&request.filters);
    let specs = facet_specs(&selected);
    let offset = (page - 1) * per_page;
    let (top, collected) = if words.is_empty() || request.sort == Sort::Newest {
        // Newest first: the same counting pass, then the newest of the passing documents.
        let (collected, allowed) =
            passes::count_matches(index, &searcher, ranking, &words, &visibility, specs)?;
        (
            passes::newest(&searcher, &allowed, offset, per_page)?,
            collected,
        )
    } else {
        // By relevance: the total and counts from a pass that scores nothing, then the
        // page's hits. Up to two words: a flat disjunction of their terms over the documents
        // that passed, which tantivy can prune (the same sum as the nested query). More
        // words: the nested query with the facet filters as clauses that score nothing,
        // faster than pruning a disjunction of dozens of terms.
        let (collected, allowed) = passes::count_matches(
            index,
            &searcher,
            ranking,
            &words,
            &visibility,
            specs.clone(),
        )?;
        let top = if words.len() <= 2 {
            let terms: Vec<query::WeightedTerm> = words
                .iter()
                .flat_map(|w| query::word_terms(f, ranking, w))
                .collect();
            passes::pruned_top(&searcher, &terms, &allowed, offset, per_page)?
        } else {
            let nested = query::full_query(f, ranking, &words, &visibility);
            let filtered = passes::with_facet_filters(index, nested, &specs);
            searcher.search(
                &*filtered,
                &TopDocs::with_limit(per_page)
                    .and_offset(offset)
                    .order_by_score(),
            )?
        };
        (top, collected)
    };

    let highlighter = Highlighter::new(&words);
    // (Reading and highlighting the page on two threads was measured: waking a second
    // thread costs as much as it saves.)
    let hits: Vec<Hit> = top
        .iter()
        .map(|(score, address)| page_hit(&searcher, f, &highlighter, *score, *address))
        .collect::<tantivy::Result<Vec<Option<Hit>>>>()?
        .into_iter()
        .flatten()
        .collect();

    let facets = FACETS
        .iter()
        .zip(collected.counts)
        .zip(selected.iter())
        .map(|((key, counts), selected)| build_facet(*key, counts, selected))
        .collect();

    let suggestion = if collected.total == 0 && !words.is_empty() {
        suggestion_with_hits(index, request, ranking)?
    } else {
        None
    };

    Ok(SearchResults {
        total: collected.total,
        page,
        per_page,
        hits,
        facets,
        suggestion,
    })
}

/// A hit of the page: its stored document read, with a snippet (`None` for a document of
/// an unknown kind, which an index from a newer version could hold).
fn page_hit(
    searcher: &tantivy::Searcher,
    f: &crate::schema::Fields,
    highlighter: &Highlighter,
    score: f32,
    address: tantivy::DocAddress,
) -> tantivy::Result<Option<Hit>> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let Some(kind) = DocKind::from_slug(&text(f.kind)) else {
        return Ok(None);
    };
    let summary = text(f.summary);
    let body = text(f.body);
    // The summary when it mentions what was searched for (it is the text written to
    // introduce the item), otherwise the best passage of the body.
    let snippet = match highlighter.snippet_if_matched(&summary) {
        Some(snippet) => snippet,
        None if body.is_empty() => highlighter.snippet(&summary),
        None => highlighter.snippet(&body),
    };
    Ok(Some(Hit {
        kind,
        id: text(f.id),
        title: text(f.title),
        url: text(f.url),
        snippet,
        date: text(f.date_text),
        score,
    }))
}

fn build_facet(
    key: FacetKey,
    counts: std::collections::HashMap<String, u64>,
    selected: &[String],
) -> Facet {
    let mut values: Vec<(usize, FacetValue)> = counts
        .into_iter()
        .map(|(value, count)| {
            let (label, rank) = key.value_label(&value);
            let is_selected = selected.contains(&value);
            (
                rank,
                FacetValue {
                    value,
                    label,
                    count,
                    selected: is_selected,
                },
            )
        })
        .collect();
    for value in selected {
        if !values.iter().any(|(_, v)| &v.value == value) {
            let (label, rank) = key.value_label(value);
            values.push((
                rank,
                FacetValue {
                    value: value.clone(),
                    label,
                    count: 0,
                    selected: true,
                },
            ));
        }
    }
    let values = match key.order() {
        ValueOrder::MostHits => {
            values.sort_by(|a, b| {
                b.1.count
                    .cmp(&a.1.count)
                    .then_with(|| a.1.value.cmp(&b.1.value))
            });
            values
                .into_iter()
                .enumerate()
                .filter(|(i, (_, v))| *i < facets::TOP_COMPETENCES || v.selected)
                .map(|(_, (_, v))| v)
                .collect()
        }
        ValueOrder::Descending => {
            values.sort_by(|a, b| b.1.value.cmp(&a.1.value));
            values.into_iter().map(|(_, v)| v).collect()
        }
        ValueOrder::Natural => {
            values.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.value.cmp(&b.1.value)));
            values.into_iter().map(|(_, v)| v).collect()
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
    request: &SearchRequest,
    ranking: &Ranking,
) -> tantivy::Result<Option<String>> {
    let searcher = index.searcher();
    let Some(respelled) =
        suggest::did_you_mean(&searcher, index.fields().public_words, &request.query)?
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
    query::expand_typos(
        &searcher,
        index.fields().text_exact,
        &mut words,
        TYPO_VARIANTS,
    )?;
    let q = query::full_query(
        index.fields(),
        ranking,
        &words,
        &probe.viewer.visibility_terms(),
    );
    // Counted with the same filters as the search, so the suggestion never leads to nothing.
    let selected = selected_values(&probe.filters);
    let counting = FacetedCollector {
        facets: facet_specs(&selected),
        order: Order::Date,
        keep: 0,
        tables: index.facet_tables(&searcher),
    };
    let count = searcher.search(&*q, &counting)?.total;
    Ok((count > 0).then_some(respelled))
}

/// Completions for search-as-you-type, from public words only.
pub fn suggestions(index: &SearchIndex, typed: &str) -> tantivy::Result<Vec<String>> {
    suggest::complete(&index.searcher(), index.fields().public_words, typed)
}
