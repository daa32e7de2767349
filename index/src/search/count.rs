//! Exact totals and disjunctive facet counts for a text query without scoring anything:
//! each query term's documents are read once per segment into a bit set and kept (segments
//! never change), so counting is OR-ing bit sets and one pass over the matches with the
//! facet tables. The top hits are scored separately.

use tantivy::SegmentReader;
use tantivy::schema::Field;

use super::bits::DocBits;
use super::facet_table::FacetTable;
use super::term_docs::TermCache;

/// What a document must match to count: for each word, the terms any of which matches
/// it, and how many words are required (no words: every document).
pub struct TextMatch<'a> {
    pub words: Vec<Vec<(Field, &'a str)>>,
    pub required: usize,
}

/// The documents of `segment` that match among the `visible` ones (which are live).
pub fn matching_docs(
    cache: &TermCache,
    segment: &SegmentReader,
    text: &TextMatch,
    visible: &DocBits,
) -> tantivy::Result<DocBits> {
    let max_doc = segment.max_doc();
    let union_of = |terms: &[(Field, &str)]| -> tantivy::Result<DocBits> {
        let mut set = DocBits::empty(max_doc);
        for (field, term) in terms {
            set.union_with(cache.get(segment, *field, term)?.bits());
        }
        Ok(set)
    };
    let per_word = text
        .words
        .iter()
        .map(|terms| union_of(terms))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut matched = if text.words.is_empty() {
        // No words: every document (an empty query lists everything the viewer may see).
        visible.clone()
    } else if text.required <= 1 {
        let mut any = DocBits::empty(max_doc);
        for set in &per_word {
            any.union_with(set);
        }
        any
    } else if text.required >= per_word.len() {
        let mut all = per_word.first().cloned().unwrap_or(DocBits::empty(max_doc));
        for set in per_word.iter().skip(1) {
            all.intersect_with(set);
        }
        all
    } else {
        let mut counts = vec![0u16; max_doc as usize];
        for set in &per_word {
            for doc in set.docs() {
                counts[doc as usize] += 1;
            }
        }
        let mut enough = DocBits::empty(max_doc);
        for (doc, &n) in counts.iter().enumerate() {
            if n as usize >= text.required {
                enough.insert(doc as u32);
            }
        }
        enough
    };
    matched.intersect_with(visible);
    Ok(matched)
}

/// One facet of one segment: its table and the ordinals of the selected values (`None`
/// when the facet does not filter).
pub struct SegmentFacet<'a> {
    pub table: &'a FacetTable,
    pub selected: Option<Vec<u32>>,
}

/// Each facet's counts (by ordinal) over `matched`, a facet's counts honouring every filter
/// but its own, and the documents that pass every filter (their number is the total).
pub fn count_facets(matched: &DocBits, facets: &[SegmentFacet]) -> (DocBits, Vec<Vec<u64>>) {
    // Each filtering facet's documents: any of its selected values.
    let filters: Vec<Option<DocBits>> = facets
        .iter()
        .map(|facet| {
            let selected = facet.selected.as_ref()?;
            let mut set = matched.empty_like();
            match facet.table.value_bits() {
                Some(bits) => {
                    for &ord in selected {
                        if let Some(value) = bits.get(ord as usize) {
                            set.union_with(value);
                        }
                    }
                }
                None => {
                    for doc in matched.and_docs(facet.table.with_values()) {
                        if facet.table.values(doc).iter().any(|o| selected.contains(o)) {
                            set.insert(doc);
                        }
                    }
                }
            }
            Some(set)
        })
        .collect();
    let all_but = |skip: Option<usize>| {
        let mut set = matched.clone();
        for (i, filter) in filters.iter().enumerate() {
            if Some(i) != skip
                && let Some(filter) = filter
            {
                set.intersect_with(filter);
            }
        }
        set
    };
    let base = all_but(None);
    let counts = facets
        .iter()
        .enumerate()
        .map(|(i, facet)| {
            let own;
            let set = if filters[i].is_some() {
                own = all_but(Some(i));
                &own
            } else {
                &base
            };
            let mut counts = vec![0u64; facet.table.num_values()];
            match facet.table.value_bits() {
                Some(bits) => {
                    for (count, value) in counts.iter_mut().zip(bits) {
                        *count = set.and_count(value);
                    }
                }
                None => {
                    for doc in set.and_docs(facet.table.with_values()) {
                        for &ord in facet.table.values(doc) {
                            if let Some(count) = counts.get_mut(ord as usize) {
                                *count += 1;
                            }
                        }
                    }
                }
            }
            counts
        })
        .collect();
    (base, counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_sets_union_intersect_and_list() {
        let mut a = DocBits::empty(200);
        let mut b = DocBits::empty(200);
        for d in [0, 5, 64, 199] {
            a.insert(d);
        }
        for d in [5, 64, 130] {
            b.insert(d);
        }
        let mut both = a.clone();
        both.intersect_with(&b);
        assert_eq!(both.docs().collect::<Vec<_>>(), [5, 64]);
        a.union_with(&b);
        assert_eq!(a.docs().collect::<Vec<_>>(), [0, 5, 64, 130, 199]);
        a.insert(500); // out of range: ignored
        assert_eq!(a.docs().count(), 5);
        assert_eq!(a.and_docs(&b).collect::<Vec<_>>(), [5, 64, 130]);
        assert_eq!(a.and_count(&b), 3);
    }
}
