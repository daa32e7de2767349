//! People-finding: members whose competences and background overlap a given member's
//! ("hitta kollegor"), and members who know about a free-text need ("vem kan …?"), each
//! with the evidence that explains why, and only among people the viewer may see. Scores
//! come from the statistics of what the viewer may see, so hidden content cannot move them.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::analysis::{stopwords, tokenize, word};
use crate::document::DocKind;
use crate::model::Member;
use crate::search::query::{self, Ranking};
use crate::search::snippet::{Highlighter, escape};
use crate::search::visible::VisibleDocs;
use crate::search::{self, Filters, Viewer};
use crate::store::SearchIndex;

/// How many candidates are considered before ranking by evidence.
const CANDIDATES: usize = 300;

/// The most words of a need or of a member's competences that people-finding uses (each
/// word is a dozen terms to read and score).
const MATCH_WORDS: usize = 12;

/// Limits on whom [`match_members`] suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchOptions {
    /// Only members of other sectors (bridge-building across sectors).
    pub other_sectors_only: bool,
    /// Only members in the same district.
    pub same_district_only: bool,
    pub limit: usize,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            other_sectors_only: false,
            same_district_only: false,
            limit: 10,
        }
    }
}

/// Why someone was suggested.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// `delad_kompetens`, `narliggande_kompetens`, `bakgrund`, `pivi`, `inlagg`, `diskussion`.
    pub kind: &'static str,
    /// HTML: escaped text with the shared words in `<mark>`.
    pub text: String,
    /// Where the evidence can be read (a competence's page for a competence).
    pub url: String,
}

/// A suggested member and the evidence for the suggestion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberMatch {
    pub id: String,
    pub name: String,
    /// Title and organisation.
    pub summary: String,
    pub url: String,
    pub score: f32,
    pub evidence: Vec<Evidence>,
}

fn stored(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string()
}

fn stored_all(doc: &TantivyDocument, field: tantivy::schema::Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The content words of a text, lemmatised, with their compound parts.
fn lemma_set(text: &str) -> HashSet<String> {
    let mut set = HashSet::new();
    for w in tokenize::words(text) {
        if stopwords::is_stop_word(&w.text) {
            continue;
        }
        let analysis = word::analyse(&w.text);
        set.extend(analysis.lemmas.iter().cloned());
        set.extend(analysis.parts.iter().cloned());
    }
    set
}

/// `competence` with the words it shares with `shared` marked.
fn mark_shared(competence: &str, shared: &HashSet<String>) -> String {
    let mut html = String::new();
    let mut cursor = 0;
    for w in tokenize::words(competence) {
        html.push_str(&escape(&competence[cursor..w.offset_from]));
        let analysis = word::analyse(&w.text);
        let hit = analysis
            .lemmas
            .iter()
            .chain(&analysis.parts)
            .any(|l| shared.contains(l));
        let original = escape(&competence[w.offset_from..w.offset_to]);
        if hit && !stopwords::is_stop_word(&w.text) {
            html.push_str(&format!("<mark>{original}</mark>"));
        } else {
            html.push_str(&original);
        }
        cursor = w.offset_to;
    }
    html.push_str(&escape(&competence[cursor..]));
    html
}

/// Members like `member`: ranked by how their competences and background overlap, each with
/// the shared or related competences as evidence. Never the member themself, never anyone
/// the viewer may not see.
pub fn match_members(
    index: &SearchIndex,
    member: &Member,
    viewer: &Viewer,
    options: MatchOptions,
) -> tantivy::Result<Vec<MemberMatch>> {
    let f = index.fields();
    let searcher = index.searcher();
    let ranking = Ranking::default();
    // The member's competences carry the match; the background adds a little.
    let competence_text = member.competences.join(" ");
    let mut words = query::analyse_query(&competence_text);
    words.truncate(MATCH_WORDS);
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let filters = Filters {
        kinds: vec![DocKind::Member],
        districts: if options.same_district_only {
            vec![member.district]
        } else {
            Vec::new()
        },
        ..Filters::default()
    };
    let mut excluded = vec![(f.id, member.id.as_str())];
    if options.other_sectors_only {
        excluded.push((f.sector, member.sector.slug()));
    }
    let visible = VisibleDocs::new(index, &searcher, &viewer.visibility_terms())?;
    let top = search::top_matching(
        index,
        &visible,
        &ranking,
        &words,
        &filters,
        &excluded,
        options.limit.max(1),
    )?;

    let own: HashSet<String> = member
        .competences
        .iter()
        .map(|c| crate::model::competence_key(c))
        .collect();
    let own_lemmas = lemma_set(&competence_text);
    let mut out = Vec::new();
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let mut evidence = Vec::new();
        for competence in stored_all(&doc, f.competences) {
            // A competence is read about on its own page: who has it, what goes with it.
            let url = crate::paths::competence(&competence);
            if own.contains(&crate::model::competence_key(&competence)) {
                evidence.push(Evidence {
                    kind: "delad_kompetens",
                    text: format!("<mark>{}</mark>", escape(&competence)),
                    url,
                });
            } else {
                let shared: HashSet<String> = lemma_set(&competence)
                    .intersection(&own_lemmas)
                    .cloned()
                    .collect();
                if !shared.is_empty() {
                    evidence.push(Evidence {
                        kind: "narliggande_kompetens",
                        text: mark_shared(&competence, &shared),
                        url,
                    });
                }
            }
        }
        // Shared competences first, then related ones.
        evidence.sort_by_key(|e| e.kind != "delad_kompetens");
        out.push(MemberMatch {
            id: stored(&doc, f.id),
            name: stored(&doc, f.title),
            summary: stored(&doc, f.summary),
            url: stored(&doc, f.url),
            score,
            evidence,
        });
    }
    Ok(out)
}

fn term_filter(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn kind_filter(index: &SearchIndex, kind: DocKind) -> Box<dyn Query> {
    term_filter(index.fields().kind, kind.slug())
}

/// How much one kind of document says about what its author knows.
fn weight(kind: DocKind) -> f32 {
    match kind {
        DocKind::Member => 1.0,
        DocKind::Pivi => 0.8,
        DocKind::Thread => 0.6,
        DocKind::Post => 0.5,
        _ => 0.0,
    }
}

fn evidence_kind(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Member => "profil",
        DocKind::Pivi => "pivi",
        DocKind::Thread => "diskussion",
        _ => "inlagg",
    }
}

/// Members ranked for a free-text need ("vem kan trygghetsvandringar i Angered?"), from
/// their profiles, the pivi entries they are contact for, and what they have written, with
/// the evidence for each. Only documents and people the viewer may see count.
pub fn who_knows(
    index: &SearchIndex,
    need: &str,
    viewer: &Viewer,
    limit: usize,
) -> tantivy::Result<Vec<MemberMatch>> {
    let mut words = query::analyse_query(need);
    words.truncate(MATCH_WORDS);
    who_knows_words(index, &words, viewer, limit)
}

/// Members ranked for the topic of a page, given as its texts in order of weight (title,
/// then tags, then summary or lead): their words, each once, the first
/// [`MATCH_WORDS`] of them, ranked as [`who_knows`] does.
pub fn who_knows_topic(
    index: &SearchIndex,
    topic: &[&str],
    viewer: &Viewer,
    limit: usize,
) -> tantivy::Result<Vec<MemberMatch>> {
    let mut words: Vec<query::QueryWord> = Vec::new();
    for text in topic {
        for word in query::analyse_query(text) {
            if words.len() < MATCH_WORDS && !words.iter().any(|w| w.exact == word.exact) {
                words.push(word);
            }
        }
    }
    who_knows_words(index, &words, viewer, limit)
}

fn who_knows_words(
    index: &SearchIndex,
    words: &[query::QueryWord],
    viewer: &Viewer,
    limit: usize,
) -> tantivy::Result<Vec<MemberMatch>> {
    let f = index.fields();
    let searcher = index.searcher();
    let ranking = Ranking::default();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let words = words.to_vec();
    let filters = Filters {
        kinds: vec![
            DocKind::Member,
            DocKind::Pivi,
            DocKind::Thread,
            DocKind::Post,
        ],
        ..Filters::default()
    };
    let visible = VisibleDocs::new(index, &searcher, &viewer.visibility_terms())?;
    let top = search::top_matching(index, &visible, &ranking, &words, &filters, &[], CANDIDATES)?;
    let highlighter = Highlighter::new(&words);
    // Best first, equal scores by web address (not by document number, which depends on what
    // else the index holds), so sums and evidence do not depend on hidden documents.
    let mut found = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        found.push((score, stored(&doc, f.url), doc));
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));

    let mut people: HashMap<String, (f32, Vec<Evidence>)> = HashMap::new();
    for (score, url, doc) in found {
        let Some(kind) = DocKind::from_slug(&stored(&doc, f.kind)) else {
            continue;
        };
        let text = match kind {
            DocKind::Member => format!(
                "{}\n{}",
                stored_all(&doc, f.competences).join(", "),
                stored(&doc, f.body)
            ),
            _ => format!(
                "{}\n{}\n{}",
                stored(&doc, f.title),
                stored(&doc, f.summary),
                stored(&doc, f.body)
            ),
        };
        for author in stored_all(&doc, f.author) {
            let entry = people.entry(author).or_insert((0.0, Vec::new()));
            entry.0 += score * weight(kind);
            if entry.1.len() < 5 {
                entry.1.push(Evidence {
                    kind: evidence_kind(kind),
                    text: highlighter.snippet(&text),
                    url: url.clone(),
                });
            }
        }
    }
    let visible = visible_members(index, &searcher, people.keys().cloned().collect(), viewer)?;
    let mut out: Vec<MemberMatch> = people
        .into_iter()
        .filter_map(|(id, (score, evidence))| {
            let (name, summary, url) = visible.get(&id)?.clone();
            Some(MemberMatch {
                id,
                name,
                summary,
                url,
                score,
                evidence,
            })
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    out.truncate(limit);
    Ok(out)
}

/// Of `ids`, the members whose profiles the viewer may see: id → (name, summary, url).
fn visible_members(
    index: &SearchIndex,
    searcher: &Searcher,
    ids: Vec<String>,
    viewer: &Viewer,
) -> tantivy::Result<HashMap<String, (String, String, String)>> {
    let f = index.fields();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let any_id: Vec<(Occur, Box<dyn Query>)> = ids
        .iter()
        .map(|id| (Occur::Should, term_filter(f.id, id)))
        .collect();
    let query = BooleanQuery::new(vec![
        (Occur::Must, Box::new(BooleanQuery::new(any_id))),
        (Occur::Must, kind_filter(index, DocKind::Member)),
        (
            Occur::Must,
            query::visibility_filter(f, &viewer.visibility_terms()),
        ),
    ]);
    let found: Vec<(f32, DocAddress)> =
        searcher.search(&query, &TopDocs::with_limit(ids.len()).order_by_score())?;
    let mut out = HashMap::new();
    for (_, address) in found {
        let doc: TantivyDocument = searcher.doc(address)?;
        out.insert(
            stored(&doc, f.id),
            (
                stored(&doc, f.title),
                stored(&doc, f.summary),
                stored(&doc, f.url),
            ),
        );
    }
    Ok(out)
}
