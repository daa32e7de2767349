//! A search's facet counts, kept per segment by value ordinal and merged by value only when
//! asked, borrowing the values from the segments' facet tables instead of copying each one.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::facet_table::FacetTable;

/// Per segment, per facet: the facet's table and each value ordinal's count.
#[derive(Default)]
pub struct FacetCounts {
    segments: Vec<Vec<(Arc<FacetTable>, Vec<u64>)>>,
}

impl FacetCounts {
    /// Adds a segment's counts: per facet, its table and the counts by ordinal.
    pub fn add_segment(&mut self, facets: Vec<(Arc<FacetTable>, Vec<u64>)>) {
        self.segments.push(facets);
    }

    /// The values of the `facet`-th facet that some counted document has, with how many
    /// have it, in no particular order.
    pub fn values(&self, facet: usize) -> Vec<(&str, u64)> {
        match self.segments.as_slice() {
            [one] => counted(one, facet).collect(),
            many => {
                let most = many
                    .iter()
                    .map(|s| s.get(facet).map_or(0, |f| f.1.len()))
                    .max();
                let mut merged: FxHashMap<&str, u64> =
                    FxHashMap::with_capacity_and_hasher(most.unwrap_or(0), Default::default());
                for segment in many {
                    for (value, n) in counted(segment, facet) {
                        *merged.entry(value).or_default() += n;
                    }
                }
                merged.into_iter().collect()
            }
        }
    }
}

/// A segment's values of the `facet`-th facet with a count, and the count.
fn counted(
    segment: &[(Arc<FacetTable>, Vec<u64>)],
    facet: usize,
) -> impl Iterator<Item = (&str, u64)> {
    segment.get(facet).into_iter().flat_map(|(table, counts)| {
        counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .filter_map(|(ord, n)| Some((table.value(ord as u32)?, *n)))
    })
}
