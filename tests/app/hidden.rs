//! Content a viewer may not see changes nothing they get: on the demo corpus, a visitor's,
//! an outsider's and a closed group's member's answers (hits, totals, order — ties too —,
//! scores, snippets, facets, "did you mean", completions, who-knows, colleagues) from an
//! index in several segments with deleted old versions equal the answers of a merged index
//! that holds only what that viewer may see, for every word of the hidden texts and
//! misspellings of them.

use std::collections::BTreeSet;

use hallbar::indexer::documents::all_documents;
use hallbar_index::analysis::tokenize;
use hallbar_index::matching;
use hallbar_index::search::{self, SearchRequest, SearchResults, Viewer};
use hallbar_index::{Member, SearchDocument, SearchIndex, Slug, Visibility};

use crate::support::{test_db, writes};

/// The demo corpus's search documents, in the order a rebuild adds them.
async fn demo_documents() -> Vec<SearchDocument> {
    demo().await.0
}

/// The demo corpus's search documents and its members.
async fn demo() -> (Vec<SearchDocument>, Vec<Member>) {
    let (_dir, pool) = test_db().await;
    hallbar::demo::load(&writes(&pool)).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let docs = all_documents(&mut conn, |_| {}).await.unwrap();
    let members = hallbar::db::members::list(&mut conn).await.unwrap();
    (docs, members)
}

/// An index of `docs` as a running server may hold it: in several segments, with the
/// hidden documents first added as public and then replaced (so the old versions are still
/// there, deleted but not merged away).
fn layered_index(docs: &[SearchDocument]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut writer = index.writer().unwrap();
    for (i, chunk) in docs.chunks(60).enumerate() {
        for doc in chunk {
            let mut public = doc.clone();
            public.visibility = Visibility::Public;
            writer.add(&public).unwrap();
        }
        writer.commit(i as i64 + 1).unwrap();
    }
    let entities: BTreeSet<&str> = docs
        .iter()
        .filter(|d| d.visibility != Visibility::Public)
        .map(|d| d.entity.as_str())
        .collect();
    for entity in entities {
        let versions: Vec<SearchDocument> = docs
            .iter()
            .filter(|d| d.entity == entity)
            .cloned()
            .collect();
        writer.replace_entity(entity, &versions).unwrap();
    }
    writer.commit(1000).unwrap();
    index.reload().unwrap();
    let segments = index.searcher().segment_readers().len();
    assert!(segments > 2, "{segments} segments");
    index
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

/// Equal answers, down to the order of hits of equal score and the bits of every score.
fn assert_same(query: &str, viewer: &Viewer, got: &SearchResults, want: &SearchResults) {
    let context = format!("{viewer:?} «{query}»");
    assert_eq!(got.total, want.total, "total, {context}");
    assert_eq!(got.facets, want.facets, "facets, {context}");
    assert_eq!(got.suggestion, want.suggestion, "did you mean, {context}");
    let hits = |r: &SearchResults| {
        r.hits
            .iter()
            .map(|h| (serde_json::to_string(h).unwrap(), h.score.to_bits()))
            .collect::<Vec<_>>()
    };
    assert_eq!(hits(got), hits(want), "hits, {context}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_viewer_may_not_see_changes_nothing_they_get() {
    let (docs, members) = demo().await;
    let everything = layered_index(&docs);
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
        // Colleagues of every member the viewer may see, with each option, five at a time
        // as on a profile page.
        for member in members.iter().filter(|m| viewer.may_see_member(m)) {
            for (other_sectors_only, same_district_only) in
                [(false, false), (true, false), (false, true)]
            {
                let options = matching::MatchOptions {
                    other_sectors_only,
                    same_district_only,
                    limit: 5,
                };
                let got = matching::match_members(&everything, member, viewer, options).unwrap();
                let want = matching::match_members(&only_visible, member, viewer, options).unwrap();
                assert_eq!(got, want, "colleagues of {}, {viewer:?}", member.id);
                answers += 1;
            }
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
