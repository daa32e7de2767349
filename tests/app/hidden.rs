//! Content a viewer may not see changes nothing they get: on the demo corpus, a visitor's,
//! an outsider's and a closed group's member's answers (hits, totals, order, scores,
//! snippets, facets, "did you mean", completions, who-knows) equal the answers of an index
//! that holds only what that viewer may see, for every word of the hidden texts and
//! misspellings of them.

use std::collections::BTreeSet;

use hallbar::indexer::documents::all_documents;
use hallbar_index::analysis::tokenize;
use hallbar_index::matching;
use hallbar_index::search::{self, SearchRequest, SearchResults, Viewer};
use hallbar_index::{SearchDocument, SearchIndex, Slug, Visibility};

use crate::support::{test_db, writes};

/// The demo corpus's search documents, in the order a rebuild adds them.
async fn demo_documents() -> Vec<SearchDocument> {
    let (_dir, pool) = test_db().await;
    hallbar::demo::load(&writes(&pool)).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    all_documents(&mut conn, |_| {}).await.unwrap()
}

fn index_of<'a>(docs: impl IntoIterator<Item = &'a SearchDocument>) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut writer = index.bulk_writer().unwrap();
    for doc in docs {
        writer.add(doc).unwrap();
    }
    writer.commit(1).unwrap();
    writer.merge_all().unwrap();
    writer.wait_merging_threads().unwrap();
    index.reload().unwrap();
    index
}

/// The words to ask for: every word of the texts `viewer` may not see, a misspelling of
/// each longer one (a letter dropped, a letter changed) and its first letters (for
/// completions), and the cases the hostile test found.
fn words_of_hidden(docs: &[SearchDocument], viewer: &Viewer) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for doc in docs.iter().filter(|d| !viewer.may_see(&d.visibility)) {
        let text = format!(
            "{} {} {} {}",
            doc.title,
            doc.summary,
            doc.body,
            doc.competences.join(" ")
        );
        for word in tokenize::words(&text) {
            let chars: Vec<char> = word.text.chars().collect();
            if chars.len() >= 5 {
                let dropped: String = chars[..chars.len() - 1].iter().collect();
                let mut changed = chars.clone();
                let last = changed.len() - 1;
                changed[last] = if changed[last] == 'b' { 'p' } else { 'b' };
                words.insert(dropped);
                words.insert(changed.into_iter().collect());
            }
            words.insert(word.text);
        }
    }
    for case in ["gemenskap", "gemenskab", "förväntningar", "tunna"] {
        words.insert(case.to_string());
    }
    words
}

/// Equal answers, hits of equal score in any order (documents are numbered differently in
/// the two indexes; ties are broken by that number). When the page is full, the last
/// group of equal scores may hold different documents of that score.
fn assert_same(query: &str, viewer: &Viewer, got: &SearchResults, want: &SearchResults) {
    let context = format!("{viewer:?} «{query}»");
    assert_eq!(got.total, want.total, "total, {context}");
    assert_eq!(got.facets, want.facets, "facets, {context}");
    assert_eq!(got.suggestion, want.suggestion, "did you mean, {context}");
    assert_eq!(got.hits.len(), want.hits.len(), "hits, {context}");
    let scores = |r: &SearchResults| r.hits.iter().map(|h| h.score.to_bits()).collect::<Vec<_>>();
    assert_eq!(scores(got), scores(want), "scores, {context}");
    let full = got.total as usize > got.hits.len();
    let mut start = 0;
    while start < got.hits.len() {
        let score = got.hits[start].score.to_bits();
        let end = start
            + got.hits[start..]
                .iter()
                .take_while(|h| h.score.to_bits() == score)
                .count();
        if !(full && end == got.hits.len()) {
            let group = |r: &SearchResults| {
                let mut hits: Vec<String> = r.hits[start..end]
                    .iter()
                    .map(|h| serde_json::to_string(h).unwrap())
                    .collect();
                hits.sort();
                hits
            };
            assert_eq!(group(got), group(want), "hits, {context}");
        }
        start = end;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_viewer_may_not_see_changes_nothing_they_get() {
    let docs = demo_documents().await;
    let everything = index_of(&docs);
    let closed_group = docs
        .iter()
        .find_map(|d| match &d.visibility {
            Visibility::Group(group) => Some(group.clone()),
            _ => None,
        })
        .expect("the demo corpus has a closed group");
    let viewers = [
        Viewer::Anonymous,
        Viewer::Member {
            id: Slug::new("utomstaende").unwrap(),
            groups: vec![],
        },
        Viewer::Member {
            id: Slug::new("insider").unwrap(),
            groups: vec![closed_group],
        },
    ];
    let mut answers = 0;
    for viewer in &viewers {
        let only_visible = index_of(docs.iter().filter(|d| viewer.may_see(&d.visibility)));
        let hidden = docs.len() - only_visible.num_docs() as usize;
        assert!(hidden > 0, "{viewer:?} may not see something");
        let words = words_of_hidden(&docs, viewer);
        assert!(words.len() > 1000, "{} words", words.len());
        for word in &words {
            let request = SearchRequest {
                query: word.clone(),
                per_page: search::MAX_PER_PAGE,
                viewer: viewer.clone(),
                ..SearchRequest::default()
            };
            let got = search::search(&everything, &request).unwrap();
            let want = search::search(&only_visible, &request).unwrap();
            assert_same(word, viewer, &got, &want);
            let got = matching::who_knows(&everything, word, viewer, 10).unwrap();
            let want = matching::who_knows(&only_visible, word, viewer, 10).unwrap();
            assert_eq!(got, want, "who knows, {viewer:?} «{word}»");
            answers += 2;
        }
        // Completions come from public words for everyone.
        if matches!(viewer, Viewer::Anonymous) {
            let prefixes: BTreeSet<String> =
                words.iter().map(|w| w.chars().take(3).collect()).collect();
            for prefix in &prefixes {
                assert_eq!(
                    search::suggestions(&everything, prefix).unwrap(),
                    search::suggestions(&only_visible, prefix).unwrap(),
                    "completions of «{prefix}»"
                );
                answers += 1;
            }
        }
    }
    assert!(answers > 5000, "{answers} answers compared");
}

/// The cases the hostile test found, answered as the public texts alone would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_gets_what_the_public_texts_give() {
    let docs = demo_documents().await;
    let everything = index_of(&docs);
    let public = index_of(docs.iter().filter(|d| d.visibility == Visibility::Public));
    let ask = |index: &SearchIndex, q: &str| {
        let request = SearchRequest {
            query: q.into(),
            ..SearchRequest::default()
        };
        search::search(index, &request).unwrap()
    };
    for q in ["gemenskap", "gemenskab", "förväntningar", "tunna"] {
        let got = ask(&everything, q);
        let want = ask(&public, q);
        assert_eq!(got.total, want.total, "«{q}»");
        assert_eq!(got.suggestion, want.suggestion, "«{q}»");
    }
}

/// Deleted documents not yet merged away count for nothing: a profile that was public and
/// is now for members only gives a visitor neither completions nor typo decisions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleted_documents_count_for_nothing() {
    let docs = demo_documents().await;
    let hidden: Vec<&SearchDocument> = docs
        .iter()
        .filter(|d| d.visibility != Visibility::Public)
        .collect();
    assert!(!hidden.is_empty());
    // First every document public, then the hidden ones replaced by their real visibility
    // (as when a profile is made members-only): the public versions stay in the first
    // segment, deleted.
    let index = SearchIndex::in_memory().unwrap();
    let mut writer = index.writer().unwrap();
    for doc in &docs {
        let mut public = doc.clone();
        public.visibility = Visibility::Public;
        writer.add(&public).unwrap();
    }
    writer.commit(1).unwrap();
    let entities: BTreeSet<&str> = hidden.iter().map(|d| d.entity.as_str()).collect();
    for entity in entities {
        let versions: Vec<SearchDocument> = docs
            .iter()
            .filter(|d| d.entity == entity)
            .cloned()
            .collect();
        writer.replace_entity(entity, &versions).unwrap();
    }
    writer.commit(2).unwrap();
    index.reload().unwrap();
    assert!(
        index
            .searcher()
            .segment_readers()
            .iter()
            .any(|s| s.num_deleted_docs() > 0),
        "the old versions are deleted, not merged away"
    );
    let public = index_of(docs.iter().filter(|d| d.visibility == Visibility::Public));
    let words = words_of_hidden(&docs, &Viewer::Anonymous);
    for word in &words {
        let request = SearchRequest {
            query: word.clone(),
            per_page: search::MAX_PER_PAGE,
            ..SearchRequest::default()
        };
        assert_same(
            word,
            &Viewer::Anonymous,
            &search::search(&index, &request).unwrap(),
            &search::search(&public, &request).unwrap(),
        );
        let prefix: String = word.chars().take(4).collect();
        assert_eq!(
            search::suggestions(&index, &prefix).unwrap(),
            search::suggestions(&public, &prefix).unwrap(),
            "completions of «{prefix}»"
        );
    }
}
