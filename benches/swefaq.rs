//! Relevance on real Swedish text: SweFAQ v2.0 (Språkbanken Text, CC BY 4.0). Every distinct
//! answer of a split becomes one document; every question is searched against all of them
//! with exactly the app's analyzer and ranking. Prints accuracy@1, recall@10 and MRR@10.
//!
//! Run: `cargo bench --bench swefaq` (reads `../shared/eval/swefaq/`, or the directory in
//! `HALLBAR_SWEFAQ_DIR`). With `HALLBAR_BASELINE=1` it also runs the reference
//! configuration (BM25, Swedish stop words + Snowball, terms OR'ed) in the same harness.

use std::collections::HashMap;
use std::path::PathBuf;

use hallbar_index::search::{self, Ranking, SearchRequest};
use hallbar_index::{SearchDocument, SearchIndex};

#[derive(serde::Deserialize)]
struct Line {
    question: String,
    candidate_answers: Vec<String>,
    label: usize,
}

#[derive(Default)]
struct Scores {
    questions: usize,
    at1: usize,
    at10: usize,
    reciprocal: f64,
}

impl Scores {
    /// One row of the results table.
    fn print(&self, split: &str, note: &str) {
        let n = self.questions as f64;
        println!(
            "{:<6} {:>9} {:>8.3} {:>10.3} {:>8.3}{note}",
            split,
            self.questions,
            self.at1 as f64 / n,
            self.at10 as f64 / n,
            self.reciprocal / n
        );
    }

    /// Counts one question whose right answer came at `rank` (0-based) of the top ten, or
    /// not at all.
    fn record(&mut self, rank: Option<usize>) {
        self.questions += 1;
        if let Some(rank) = rank {
            if rank == 0 {
                self.at1 += 1;
            }
            self.at10 += 1;
            self.reciprocal += 1.0 / (rank as f64 + 1.0);
        }
    }
}

/// The app's ranking, unless `HALLBAR_RANKING` overrides some weights for a tuning run
/// (`name=value,…`; only ever used on `dev`).
fn ranking() -> (Ranking, bool) {
    let mut r = Ranking::default();
    let Ok(spec) = std::env::var("HALLBAR_RANKING") else {
        return (r, false);
    };
    for pair in spec.split(',').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').expect("HALLBAR_RANKING: name=value");
        let v: f32 = value.parse().expect("HALLBAR_RANKING: a number");
        match name {
            "title" => r.title = v,
            "competences" => r.competences = v,
            "summary" => r.summary = v,
            "body" => r.body = v,
            "exact" => r.exact = v,
            "part" => r.part = v,
            "folded" => r.folded = v,
            "fuzzy" => r.fuzzy = v,
            "snowball" => r.snowball = v,
            "restored" => r.restored = v,
            "all_words_up_to" => r.all_words_up_to = v as usize,
            "long_query_share" => r.long_query_share = v,
            "typos_up_to_words" => r.typos_up_to_words = v as usize,
            other => panic!("HALLBAR_RANKING: unknown weight {other}"),
        }
    }
    (r, true)
}

/// The questions of one split.
fn read_lines(path: &PathBuf) -> Result<Vec<Line>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?)
}

fn evaluate(path: &PathBuf, ranking: &Ranking) -> Result<Scores, Box<dyn std::error::Error>> {
    let lines = read_lines(path)?;
    let mut answer_ids: HashMap<String, String> = HashMap::new();
    for line in &lines {
        for answer in &line.candidate_answers {
            let next = answer_ids.len();
            answer_ids
                .entry(answer.clone())
                .or_insert_with(|| format!("a{next}"));
        }
    }
    let index = SearchIndex::in_memory()?;
    let mut writer = index.bulk_writer()?;
    for (answer, id) in &answer_ids {
        writer.add(&SearchDocument::plain_text(id, "", answer))?;
    }
    writer.commit(0)?;
    index.reload()?;

    let mut scores = Scores::default();
    for line in &lines {
        let right = &answer_ids[&line.candidate_answers[line.label]];
        let request = SearchRequest {
            query: line.question.clone(),
            per_page: 10,
            ..Default::default()
        };
        let results = search::search_with(&index, &request, ranking)?;
        scores.record(results.hits.iter().position(|h| &h.id == right));
    }
    Ok(scores)
}

/// The reference configuration (BM25, Swedish stop words + Snowball, terms OR'ed), run in
/// the same harness so hallbar's figures can be compared like for like.
fn baseline(path: &PathBuf) -> Result<Scores, Box<dyn std::error::Error>> {
    use tantivy::collector::TopDocs;
    use tantivy::query::QueryParser;
    use tantivy::schema::{STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
    use tantivy::tokenizer::{
        Language, LowerCaser, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
    };
    use tantivy::{Index, TantivyDocument, doc};

    let lines = read_lines(path)?;
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let body = b.add_text_field(
        "body",
        TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer("sv")),
    );
    let index = Index::create_in_ram(b.build());
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::Swedish).ok_or("no stop words")?)
        .filter(Stemmer::new(Language::Swedish))
        .build();
    index.tokenizers().register("sv", analyzer);
    let mut writer = index.writer(50_000_000)?;
    let mut answer_ids: HashMap<String, String> = HashMap::new();
    for line in &lines {
        for answer in &line.candidate_answers {
            if !answer_ids.contains_key(answer) {
                let n = format!("a{}", answer_ids.len());
                writer.add_document(doc!(id => n.clone(), body => answer.clone()))?;
                answer_ids.insert(answer.clone(), n);
            }
        }
    }
    writer.commit()?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let parser = QueryParser::for_index(&index, vec![body]);
    let mut scores = Scores::default();
    for line in &lines {
        let right = &answer_ids[&line.candidate_answers[line.label]];
        let (query, _) = parser.parse_query_lenient(&line.question);
        let top = searcher.search(&query, &TopDocs::with_limit(10).order_by_score())?;
        let mut found = None;
        for (rank, (_, address)) in top.iter().enumerate() {
            let d: TantivyDocument = searcher.doc(*address)?;
            if d.get_first(id).and_then(|v| v.as_str()) == Some(right.as_str()) {
                found = Some(rank);
            }
        }
        scores.record(found);
    }
    Ok(scores)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::var_os("HALLBAR_SWEFAQ_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/swefaq"));
    let (ranking, tuning) = ranking();
    if tuning {
        println!(
            "TUNING RUN with HALLBAR_RANKING={:?}: not the app's ranking",
            ranking
        );
    }
    println!("SweFAQ v2.0 – hallbar analyzer and ranking (all answers of a split as documents)");
    println!(
        "{:<6} {:>9} {:>8} {:>10} {:>8}",
        "split", "questions", "acc@1", "recall@10", "MRR@10"
    );
    let splits: &[&str] = if tuning { &["dev"] } else { &["dev", "test"] };
    for split in splits {
        let path = dir.join(format!("swefaq_{split}.jsonl"));
        if std::env::var_os("HALLBAR_BASELINE").is_some() {
            baseline(&path)?.print(split, "  (BM25 + Snowball reference)");
        }
        evaluate(&path, &ranking)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .print(split, "");
    }
    Ok(())
}
