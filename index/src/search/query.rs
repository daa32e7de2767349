//! From the words a person typed to a tantivy query: each word may match exactly, by lemma,
//! as a compound part, with å/ä/ö restored when typed without them, without diacritics, or
//! with a typo, in falling order of weight.

use std::collections::HashSet;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use super::visible::VisibleDocs;
use crate::analysis::{fold, restore, stopwords, tokenize, word};
use crate::schema::Fields;

/// The most words of a query that are used (the rest are ignored).
pub const MAX_QUERY_WORDS: usize = 32;

/// Ranking weights. The app, the CLI and the benchmarks all use [`Ranking::default`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranking {
    pub title: f32,
    pub competences: f32,
    pub summary: f32,
    pub body: f32,
    /// Exact spelling, on top of the lemma match.
    pub exact: f32,
    pub part: f32,
    pub folded: f32,
    pub fuzzy: f32,
    /// A match of Snowball stems (derivations), on top of the lemma match.
    pub snowball: f32,
    /// A word typed without å/ä/ö matches what its restored spelling matches (exactly, by
    /// lemma, as a part, by stem), at this share of that spelling's own weights: below the
    /// word as typed, so a text that has the typed spelling ranks first.
    pub restored: f32,
    /// Queries with at most this many words require every word; longer ones OR their words,
    /// so a document matching more of them ranks first but one missing a word still counts.
    /// (Requiring all words of two- and three-word queries lost a tenth of MRR on SweFAQ dev.)
    pub all_words_up_to: usize,
    /// Longer queries require this share of their words (rounded up).
    pub long_query_share: f32,
    /// Typo tolerance applies to queries of at most this many words (long questions
    /// gain nothing from it but noise).
    pub typos_up_to_words: usize,
}

impl Default for Ranking {
    fn default() -> Self {
        Ranking {
            title: 3.0,
            competences: 2.5,
            summary: 1.5,
            body: 1.0,
            exact: 0.6,
            part: 0.35,
            folded: 0.25,
            fuzzy: 0.2,
            snowball: 0.5,
            restored: 0.7,
            all_words_up_to: 1,
            long_query_share: 0.0,
            typos_up_to_words: 4,
        }
    }
}

/// One analysed query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    pub exact: String,
    pub snowball: String,
    pub lemmas: Vec<String>,
    pub folded: String,
    /// Spellings within the typo budget that occur in the index (filled by [`expand_typos`]).
    pub typos: Vec<String>,
    /// The word with å, ä, ö or é put back, when it was typed without them
    /// (`foraldrar` → `föräldrar`); see [`restore::restorations`].
    pub restored: Vec<RestoredWord>,
}

/// A spelling with å, ä, ö or é restored, analysed as if it had been typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoredWord {
    pub exact: String,
    pub lemmas: Vec<String>,
    pub snowball: String,
}

impl RestoredWord {
    fn new(exact: String) -> Self {
        RestoredWord {
            lemmas: word::analyse(&exact).lemmas.clone(),
            snowball: word::snowball(&exact).into_owned(),
            exact,
        }
    }
}

/// The content words of a query (stop words dropped unless the query is only stop words).
pub fn analyse_query(text: &str) -> Vec<QueryWord> {
    let words = tokenize::words(text);
    let content: Vec<_> = words
        .iter()
        .filter(|w| !stopwords::is_stop_word(&w.text))
        .collect();
    let chosen: Vec<_> = if content.is_empty() {
        words.iter().collect()
    } else {
        content
    };
    let mut seen = HashSet::new();
    chosen
        .into_iter()
        .filter(|w| seen.insert(w.text.clone()))
        .take(MAX_QUERY_WORDS)
        .map(|w| QueryWord {
            exact: w.text.clone(),
            snowball: word::snowball(&w.text).into_owned(),
            lemmas: word::analyse(&w.text).lemmas.clone(),
            folded: fold::folded(&w.text),
            typos: Vec::new(),
            restored: restore::restorations(&w.text)
                .into_iter()
                .map(RestoredWord::new)
                .collect(),
        })
        .collect()
}

/// A word in at least this many documents gets no typo variants.
const WELL_KNOWN: u64 = 3;

/// The edit distance allowed for a word of `chars` characters.
pub fn typo_budget(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// The most walks of the term dictionary one search makes: typo variants and "Menade du"
/// together (each walk runs a Levenshtein automaton over the dictionary, 0.1–0.6 ms at
/// 100,000 documents). Typo variants are for queries of at most four words, so "Menade
/// du" always has four left.
pub const MAX_WALKS: usize = 8;

/// Fills in each word's typo variants: terms of `field` within the word's edit budget that
/// share its first letter, most frequent first among the `visible` documents (and found in
/// at least one of them), at most `limit`. None for a word the viewer's documents know
/// well, nor for one restored from the lexicon. Each word that gets variants uses one of
/// the `walks` left; when none are left, the rest get none.
pub fn expand_typos(
    visible: &VisibleDocs,
    field: Field,
    words: &mut [QueryWord],
    limit: usize,
    walks: &mut usize,
) -> tantivy::Result<()> {
    for w in words.iter_mut() {
        // A word restored from the lexicon (typed without å/ä/ö) is a word spelt as meant,
        // as is a word the index knows well; spelling variants of it would only add noise
        // (and cost a walk of the term dictionary).
        if !w.restored.is_empty() || typo_budget(w.exact.chars().count()) == 0 {
            continue;
        }
        if visible.doc_freq(field, &w.exact)? >= WELL_KNOWN {
            continue;
        }
        if *walks == 0 {
            break;
        }
        *walks -= 1;
        w.typos = close_terms(visible, field, &w.exact, limit)?;
    }
    Ok(())
}

/// Terms of `field` within the typo budget of `word`, sharing its first letter, excluding
/// the word itself, by document frequency among the `visible` documents.
pub fn close_terms(
    visible: &VisibleDocs,
    field: Field,
    word: &str,
    limit: usize,
) -> tantivy::Result<Vec<String>> {
    close_terms_within(
        visible,
        field,
        word,
        typo_budget(word.chars().count()),
        limit,
    )
}

/// Terms of `field` within `budget` edits of `word` (at most 2), sharing its first letter,
/// excluding the word itself, that some `visible` document holds, most frequent among them
/// first.
pub fn close_terms_within(
    visible: &VisibleDocs,
    field: Field,
    word: &str,
    budget: u8,
    limit: usize,
) -> tantivy::Result<Vec<String>> {
    let budget = budget.min(2);
    let Some(first) = word.chars().next() else {
        return Ok(Vec::new());
    };
    if budget == 0 {
        return Ok(Vec::new());
    }
    // One automaton for all segments: building it is most of the cost.
    let automaton =
        FuzzyTermQuery::new(Term::from_field_text(field, word), budget, true).automaton()?;
    let mut found: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    for (ordinal, segment) in visible.searcher().segment_readers().iter().enumerate() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().search(&automaton).into_stream()?;
        while stream.advance() {
            let Ok(term) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if term != word && term.starts_with(first) {
                let count = visible.count_in_segment(ordinal, &inverted, stream.value())?;
                if count > 0 {
                    *found.entry(term.to_string()).or_default() += count;
                }
            }
        }
    }
    let mut terms: Vec<(String, u64)> = found.into_iter().collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(terms.into_iter().take(limit).map(|(t, _)| t).collect())
}

/// One way a word may match: a term of a field and its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedTerm {
    pub field: Field,
    pub text: String,
    pub boost: f32,
}

/// Every way one word may match (channels with weight zero are switched off). A term
/// reached in two ways (a restored spelling's lemma that is also the typed word's) is
/// listed once, with the higher weight.
pub fn word_terms(f: &Fields, r: &Ranking, w: &QueryWord) -> Vec<WeightedTerm> {
    let mut terms: Vec<WeightedTerm> = Vec::new();
    let mut add = |field: Field, text: &str, boost: f32| {
        if boost <= 0.0 {
            return;
        }
        match terms
            .iter_mut()
            .find(|t| t.field == field && t.text == text)
        {
            Some(seen) => seen.boost = seen.boost.max(boost),
            None => terms.push(WeightedTerm {
                field,
                text: text.to_string(),
                boost,
            }),
        }
    };
    add(f.title_exact, &w.exact, r.title * r.exact);
    add(f.text_exact, &w.exact, r.exact);
    for lemma in &w.lemmas {
        add(f.title_stem, lemma, r.title);
        add(f.competences_stem, lemma, r.competences);
        add(f.summary_stem, lemma, r.summary);
        add(f.body_stem, lemma, r.body);
        add(f.parts, lemma, r.part);
    }
    add(f.folded, &w.folded, r.folded);
    add(f.snowball, &w.snowball, r.snowball);
    let k = r.restored;
    for restored in &w.restored {
        add(f.title_exact, &restored.exact, r.title * r.exact * k);
        add(f.text_exact, &restored.exact, r.exact * k);
        for lemma in &restored.lemmas {
            add(f.title_stem, lemma, r.title * k);
            add(f.competences_stem, lemma, r.competences * k);
            add(f.summary_stem, lemma, r.summary * k);
            add(f.body_stem, lemma, r.body * k);
            add(f.parts, lemma, r.part * k);
        }
        add(f.snowball, &restored.snowball, r.snowball * k);
    }
    for typo in &w.typos {
        add(f.text_exact, typo, r.fuzzy);
    }
    terms
}

/// The disjunction of a word's terms.
fn word_query(f: &Fields, r: &Ranking, w: &QueryWord) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = word_terms(f, r, w)
        .into_iter()
        .map(|t| {
            let query = TermQuery::new(
                Term::from_field_text(t.field, &t.text),
                IndexRecordOption::WithFreqs,
            );
            let boosted: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(query), t.boost));
            (Occur::Should, boosted)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// How many of a query's words a document must match.
pub fn words_required(r: &Ranking, words: usize) -> usize {
    if words <= r.all_words_up_to {
        words
    } else {
        (((words as f32) * r.long_query_share).ceil() as usize).max(1)
    }
}

/// The text part of a search: `None` for an empty query (match everything).
pub fn text_query(f: &Fields, r: &Ranking, words: &[QueryWord]) -> Option<Box<dyn Query>> {
    if words.is_empty() {
        return None;
    }
    let per_word: Vec<Box<dyn Query>> = words.iter().map(|w| word_query(f, r, w)).collect();
    let required = words_required(r, per_word.len());
    if required == per_word.len() {
        return Some(Box::new(BooleanQuery::new(
            per_word.into_iter().map(|q| (Occur::Must, q)).collect(),
        )));
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> =
        per_word.into_iter().map(|q| (Occur::Should, q)).collect();
    if required <= 1 {
        return Some(Box::new(BooleanQuery::new(clauses)));
    }
    Some(Box::new(BooleanQuery::with_minimum_required_clauses(
        clauses, required,
    )))
}

/// Only documents the viewer may see, scoring nothing.
pub fn visibility_filter(f: &Fields, terms: &[String]) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|t| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(f.visibility, t),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(clauses)),
        0.0,
    ))
}

/// The whole query: text (or everything) and the visibility filter.
pub fn full_query(
    f: &Fields,
    r: &Ranking,
    words: &[QueryWord],
    visibility: &[String],
) -> Box<dyn Query> {
    let text = text_query(f, r, words).unwrap_or_else(|| Box::new(AllQuery));
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, text),
        (Occur::Must, visibility_filter(f, visibility)),
    ]))
}
