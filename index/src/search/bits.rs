//! A set of a segment's documents, one bit each: what counting, facet tables and cached
//! terms share.

/// The documents of one segment, one bit each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocBits {
    words: Vec<u64>,
}

impl DocBits {
    pub fn empty(max_doc: u32) -> Self {
        DocBits {
            words: vec![0; (max_doc as usize).div_ceil(64)],
        }
    }

    /// An empty set over the same documents as `self`.
    pub fn empty_like(&self) -> Self {
        DocBits {
            words: vec![0; self.words.len()],
        }
    }

    pub fn insert(&mut self, doc: u32) {
        if let Some(word) = self.words.get_mut(doc as usize / 64) {
            *word |= 1 << (doc % 64);
        }
    }

    pub fn contains(&self, doc: u32) -> bool {
        self.words
            .get(doc as usize / 64)
            .is_some_and(|word| word & (1 << (doc % 64)) != 0)
    }

    pub fn union_with(&mut self, other: &DocBits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub fn intersect_with(&mut self, other: &DocBits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// Removes the documents of `other`.
    pub fn subtract(&mut self, other: &DocBits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// The documents in the set, in order.
    pub fn docs(&self) -> impl Iterator<Item = u32> + '_ {
        self.words
            .iter()
            .enumerate()
            .flat_map(|(i, &word)| docs_of_word(i, word))
    }

    /// The documents in both sets, in order.
    pub fn and_docs<'a>(&'a self, other: &'a DocBits) -> impl Iterator<Item = u32> + 'a {
        self.words
            .iter()
            .zip(&other.words)
            .enumerate()
            .flat_map(|(i, (&a, &b))| docs_of_word(i, a & b))
    }

    /// How many documents are in both sets.
    pub fn and_count(&self, other: &DocBits) -> u64 {
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| u64::from((a & b).count_ones()))
            .sum()
    }

    /// How many documents are in the set.
    pub fn len(&self) -> u64 {
        self.words.iter().map(|w| u64::from(w.count_ones())).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// The set as 64-document words (document `d` is bit `d % 64` of word `d / 64`).
    pub fn words(&self) -> &[u64] {
        &self.words
    }
}

/// The documents of the `index`-th 64-bit word of a set, in order.
fn docs_of_word(index: usize, word: u64) -> impl Iterator<Item = u32> {
    let mut rest = word;
    std::iter::from_fn(move || {
        if rest == 0 {
            return None;
        }
        let bit = rest.trailing_zeros();
        rest &= rest - 1;
        Some(index as u32 * 64 + bit)
    })
}
