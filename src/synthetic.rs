//! A synthetic Swedish corpus of any size for benchmarks, built from the demo corpus: the
//! same kinds in the same proportions, body lengths drawn from the demo's, and text from a
//! word-bigram model of the demo's own text (so term frequencies follow real Swedish).

use std::collections::HashMap;

use chrono::{TimeZone, Utc};
use hallbar_index::{
    District, DocKind, SearchDocument, SearchIndex, Sector, Slug, Visibility, seed_models,
};

use crate::demo;
use crate::interchange::{Record, parse_lines};

/// A small deterministic random number generator (xorshift64*), so every run generates
/// the same corpus for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What the generator learned from the demo corpus.
pub struct Model {
    /// Demo documents, as templates for kind, metadata and length.
    templates: Vec<SearchDocument>,
    /// word → the words that follow it in the demo text (with repeats, so sampling follows
    /// the observed frequencies).
    next: HashMap<String, Vec<String>>,
    starts: Vec<String>,
    competences: Vec<String>,
}

impl Model {
    /// Learns from the embedded demo corpus.
    pub fn from_demo() -> Self {
        let corpus = demo::corpus();
        let (lines, _) = parse_lines(corpus.as_bytes()).unwrap_or_default();
        let records: Vec<Record> = lines.into_iter().map(|l| l.record).collect();
        let groups: HashMap<String, hallbar_index::Group> = records
            .iter()
            .filter_map(|r| match r {
                Record::Group(g) => Some((g.id.to_string(), g.clone())),
                _ => None,
            })
            .collect();
        let mut templates = Vec::new();
        let mut competences = Vec::new();
        for record in &records {
            match record {
                Record::Member(m) => {
                    competences.extend(m.competences.iter().cloned());
                    templates.push(SearchDocument::member(m));
                }
                Record::Pivi(p) => templates.push(SearchDocument::pivi(p)),
                Record::Matrix(m) => templates.extend(SearchDocument::matrix_cells(m, &m.id)),
                Record::Article(a) => templates.push(SearchDocument::article(a, &a.matrix)),
                Record::Model(_) => {}
                Record::Dialogue(d) => templates.push(SearchDocument::dialogue(d)),
                Record::Group(g) => templates.push(SearchDocument::group(g)),
                Record::Thread(t) => {
                    if let Some(g) = groups.get(t.group.as_str()) {
                        templates.extend(SearchDocument::thread(t, g));
                    }
                }
            }
        }
        let mut next: HashMap<String, Vec<String>> = HashMap::new();
        let mut starts = Vec::new();
        for doc in &templates {
            let words: Vec<&str> = doc.body.split_whitespace().collect();
            if let Some(first) = words.first() {
                starts.push(first.to_string());
            }
            for pair in words.windows(2) {
                next.entry(pair[0].to_string())
                    .or_default()
                    .push(pair[1].to_string());
            }
        }
        Model {
            templates,
            next,
            starts,
            competences,
        }
    }

    fn text(&self, rng: &mut Rng, words: usize) -> String {
        let mut out: Vec<&str> = Vec::with_capacity(words);
        let mut current: &str = rng.pick(&self.starts).as_str();
        for _ in 0..words {
            out.push(current);
            current = match self.next.get(current) {
                Some(followers) => rng.pick(followers).as_str(),
                None => rng.pick(&self.starts).as_str(),
            };
        }
        out.join(" ")
    }

    /// `count` documents, deterministic for a seed.
    pub fn generate(&self, count: usize, seed: u64) -> Vec<SearchDocument> {
        let mut rng = Rng(seed | 1);
        let seed_models = seed_models();
        let categories = seed_models[1].categories.clone();
        let phases = seed_models[2].phases.clone();
        let start = Utc
            .with_ymd_and_hms(2013, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        (0..count)
            .map(|i| {
                let template = rng.pick(&self.templates);
                let mut doc = template.clone();
                doc.id = format!("syn-{i}");
                doc.entity = format!("syn:{i}");
                doc.url = format!("/syntetisk/{i}");
                let title_words = template.title.split_whitespace().count().clamp(2, 10);
                doc.title = self.text(&mut rng, title_words);
                let summary_words = template.summary.split_whitespace().count();
                doc.summary = self.text(&mut rng, summary_words);
                let body_words = template.body.split_whitespace().count().max(5);
                doc.body = self.text(&mut rng, body_words);
                if doc.kind == DocKind::Member {
                    let n = 3 + rng.below(5);
                    doc.competences = (0..n)
                        .map(|_| rng.pick(&self.competences).clone())
                        .collect();
                    doc.sector = Some(*rng.pick(Sector::ALL));
                }
                if doc.district.is_some() {
                    doc.district = Some(*rng.pick(District::ALL));
                }
                if doc.phase.is_some() {
                    doc.phase = Some(rng.pick(&phases).id.clone());
                }
                if doc.pivi_kind.is_some() {
                    doc.pivi_kind = Some(rng.pick(&categories).id.clone());
                }
                if let Visibility::Group(_) = doc.visibility {
                    let group = format!("grupp-{}", rng.below(200));
                    if let Ok(slug) = Slug::new(group) {
                        doc.visibility = Visibility::Group(slug);
                    }
                }
                let seconds = rng.below(13 * 365 * 24 * 3600) as i64;
                doc.date = start + chrono::Duration::seconds(seconds);
                doc
            })
            .collect()
    }
}

/// Writes `docs` into an empty `index` the way a full rebuild does (the bulk writer, one
/// commit), optionally merges everything into one segment, waits for merges to finish and
/// makes the result visible: the benchmarks' index.
pub fn write_index(
    index: &SearchIndex,
    docs: &[SearchDocument],
    merge: bool,
) -> tantivy::Result<()> {
    let mut writer = index.bulk_writer()?;
    for doc in docs {
        writer.add(doc)?;
    }
    writer.commit(1)?;
    if merge {
        writer.merge_all()?;
    }
    writer.wait_merging_threads()?;
    index.reload()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_deterministic_varied_documents() {
        let model = Model::from_demo();
        let a = model.generate(200, 7);
        let b = model.generate(200, 7);
        assert_eq!(a, b);
        assert_eq!(a.len(), 200);
        let kinds: std::collections::HashSet<_> = a.iter().map(|d| d.kind).collect();
        assert!(kinds.len() >= 5, "{kinds:?}");
        let distinct_bodies: std::collections::HashSet<_> = a.iter().map(|d| &d.body).collect();
        assert!(distinct_bodies.len() > 190);
        assert!(a.iter().all(|d| !d.body.is_empty()));
    }
}
