//! One pass over the matching documents that yields the page's top hits, the total, and
//! disjunctive facet counts: each facet counts the documents that pass every active filter
//! except its own, so ticking a second value shows what it would add.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::facet_table::{FacetTable, FacetTables};

/// One facet to count and, when `selected` is not empty, to filter on.
#[derive(Debug, Clone)]
pub struct FacetSpec {
    /// The fast field's name.
    pub field: &'static str,
    /// The selected values (OR'ed).
    pub selected: Vec<String>,
}

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Score,
    /// By the i64 fast field `date`, newest first.
    Date,
}

/// Collects top hits, the total and facet counts.
pub struct FacetedCollector {
    pub facets: Vec<FacetSpec>,
    pub order: Order,
    /// How many of the best hits to keep (offset + page size).
    pub keep: usize,
    /// The index's cached facet tables.
    pub tables: Arc<FacetTables>,
}

/// What the collector found.
#[derive(Debug, Default)]
pub struct Collected {
    /// The best hits, best first.
    pub top: Vec<(Score, DocAddress)>,
    pub total: u64,
    /// Per facet (same order as the specs): value → count.
    pub counts: Vec<HashMap<String, u64>>,
}

/// Ordering key: higher is better; ties go to the lower address.
/// (order key, place among equals: tie-break value, segment, document; score bits).
type Ranked = (u64, Reverse<(u64, SegmentOrdinal, DocId)>, u32);

struct SegmentFacet {
    table: Arc<FacetTable>,
    /// Whether this facet filters at all (its selected values may be absent here).
    filtering: bool,
    selected: Vec<u32>,
    counts: Vec<u64>,
}

pub struct FacetedSegmentCollector {
    segment: SegmentOrdinal,
    facets: Vec<SegmentFacet>,
    full_mask: u32,
    order: Order,
    dates: Option<Column<i64>>,
    tiebreaks: Column<u64>,
    keep: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
    total: u64,
}

fn score_key(score: Score) -> u64 {
    // Scores are non-negative, and non-negative floats order like their bit patterns.
    u64::from(score.max(0.0).to_bits())
}

impl Collector for FacetedCollector {
    type Fruit = Collected;
    type Child = FacetedSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetedSegmentCollector> {
        let mut facets = Vec::with_capacity(self.facets.len());
        for spec in &self.facets {
            let table = self.tables.get(reader, spec.field)?;
            let mut selected = Vec::new();
            for value in &spec.selected {
                if let Some(ord) = table.ordinal(value)? {
                    selected.push(ord);
                }
            }
            let counts = vec![0; table.num_values()];
            facets.push(SegmentFacet {
                table,
                filtering: !spec.selected.is_empty(),
                selected,
                counts,
            });
        }
        let dates = match self.order {
            Order::Date => Some(reader.fast_fields().i64("date")?),
            Order::Score => None,
        };
        Ok(FacetedSegmentCollector {
            segment,
            facets,
            full_mask: (1u32 << self.facets.len()) - 1,
            order: self.order,
            dates,
            tiebreaks: reader.fast_fields().u64("tiebreak")?,
            keep: self.keep,
            heap: BinaryHeap::new(),
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.order == Order::Score
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Collected> {
        let mut heap: Vec<Ranked> = Vec::new();
        let mut collected = Collected {
            counts: vec![HashMap::new(); self.facets.len()],
            ..Collected::default()
        };
        for fruit in fruits {
            collected.total += fruit.total;
            heap.extend(fruit.top);
            for (i, counts) in fruit.counts.into_iter().enumerate() {
                for (value, n) in counts {
                    *collected.counts[i].entry(value).or_default() += n;
                }
            }
        }
        heap.sort_by(|a, b| b.cmp(a));
        heap.truncate(self.keep);
        collected.top = heap
            .into_iter()
            .map(|(_, Reverse((_, segment, doc)), score)| {
                (f32::from_bits(score), DocAddress::new(segment, doc))
            })
            .collect();
        Ok(collected)
    }
}

/// One segment's share of the result.
pub struct SegmentFruit {
    top: Vec<Ranked>,
    total: u64,
    counts: Vec<Vec<(String, u64)>>,
}

impl SegmentCollector for FacetedSegmentCollector {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        let mut mask = 0u32;
        for (i, facet) in self.facets.iter().enumerate() {
            let passes = !facet.filtering
                || facet
                    .table
                    .values(doc)
                    .iter()
                    .any(|o| facet.selected.contains(o));
            if passes {
                mask |= 1 << i;
            }
        }
        if mask == self.full_mask {
            self.total += 1;
            if self.keep > 0 {
                let key = match (&self.order, &self.dates) {
                    (Order::Date, Some(dates)) => {
                        let date = dates.first(doc).unwrap_or(i64::MIN);
                        (date as u64) ^ (1 << 63)
                    }
                    _ => score_key(score),
                };
                let tiebreak = self.tiebreaks.first(doc).unwrap_or(0);
                let ranked = (key, Reverse((tiebreak, self.segment, doc)), score.to_bits());
                if self.heap.len() < self.keep {
                    self.heap.push(Reverse(ranked));
                } else if self
                    .heap
                    .peek()
                    .is_some_and(|Reverse(worst)| ranked > *worst)
                {
                    self.heap.pop();
                    self.heap.push(Reverse(ranked));
                }
            }
        }
        for (i, facet) in self.facets.iter_mut().enumerate() {
            if mask | (1 << i) != self.full_mask {
                continue;
            }
            for &ord in facet.table.values(doc) {
                if let Some(count) = facet.counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        let counts = self
            .facets
            .iter()
            .map(|facet| {
                facet
                    .counts
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .filter_map(|(ord, &n)| Some((facet.table.value(ord as u32)?.to_string(), n)))
                    .collect()
            })
            .collect();
        SegmentFruit {
            top: self.heap.into_iter().map(|Reverse(r)| r).collect(),
            total: self.total,
            counts,
        }
    }
}
