//! The relevance search scores only the documents whose bound can reach the page, and takes
//! its total and facet counts from cached term bit sets. This checks both against one plain
//! pass over every match with tantivy's own query (the reference), over many queries,
//! filters, viewers and pages, across several segments with deletions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use chrono::NaiveDate;
use hallbar_index::search::collect::{FacetSpec, FacetedCollector, Order};
use hallbar_index::search::{self, Filters, SearchRequest, Sort, Viewer, query};
use hallbar_index::*;

use crate::ProjectKind;
use tantivy::DocAddress;

const WORDS: &[&str] = &[
    "trygghet",
    "trygghetsvandringar",
    "dialog",
    "medborgardialogen",
    "barn",
    "unga",
    "läxhjälp",
    "mötesplatser",
    "stadsdelen",
    "kultur",
    "idrott",
    "parken",
    "torget",
    "föreningar",
    "kvällstid",
];

/// A small deterministic generator (no dependency, same corpus every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }

    fn text(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| WORDS[self.next(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap()
}

fn pivi(rng: &mut Lcg, i: usize) -> SearchDocument {
    let year = 2010 + rng.next(12) as i32;
    SearchDocument::pivi(&PiviEntry {
        id: slug(&format!("p{i}")),
        title: rng.text(3),
        model: slug("pivi"),
        kind: ProjectKind::ALL[rng.next(ProjectKind::ALL.len())].slug(),
        summary: rng.text(8),
        body: rng.text(25),
        district: District::ALL[rng.next(District::ALL.len())],
        organisation: "Org".into(),
        target_groups: vec![TargetGroup::ALL[rng.next(TargetGroup::ALL.len())]],
        tags: vec![],
        period: Period {
            from: year,
            to: None,
        },
        contact: Contact {
            name: "Kontakt".into(),
            email: None,
            member: None,
        },
        links: vec![],
        published: NaiveDate::from_ymd_opt(year, 1 + rng.next(12) as u32, 1).unwrap(),
    })
}

fn member(rng: &mut Lcg, i: usize) -> SearchDocument {
    SearchDocument::member(&Member {
        id: slug(&format!("m{i}")),
        name: format!("Person {i}"),
        title: rng.text(2),
        organisation: "Org".into(),
        sector: Sector::ALL[rng.next(Sector::ALL.len())],
        district: District::ALL[rng.next(District::ALL.len())],
        background: rng.text(20),
        competences: vec![rng.text(1), rng.text(1)],
        interests: vec![],
        links: vec![],
        visibility: if rng.next(3) == 0 {
            ProfileVisibility::Members
        } else {
            ProfileVisibility::Public
        },
        member_since: NaiveDate::from_ymd_opt(2012 + rng.next(10) as i32, 5, 1).unwrap(),
    })
}

fn thread(rng: &mut Lcg, i: usize) -> Vec<SearchDocument> {
    let group = Group {
        id: slug(&format!("g{}", i % 3)),
        name: format!("Grupp {}", i % 3),
        description: rng.text(6),
        access: if i.is_multiple_of(3) {
            GroupAccess::Closed
        } else {
            GroupAccess::Open
        },
        created: NaiveDate::from_ymd_opt(2014, 1, 1).unwrap(),
        created_by: slug("m0"),
        members: vec![slug("m0")],
        district: None,
        topics: Vec::new(),
    };
    let t = Thread {
        id: slug(&format!("t{i}")),
        group: group.id.clone(),
        title: rng.text(3),
        posts: vec![Post {
            author: slug("m0"),
            created: NaiveDate::from_ymd_opt(2016, 2, 1)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
                .and_utc(),
            text: rng.text(15),
        }],
    };
    SearchDocument::thread(&t, &group)
}

/// Three segments, some documents replaced (deleted and added again) in a later one.
fn corpus() -> SearchIndex {
    let mut rng = Lcg(7);
    let index = SearchIndex::in_memory().unwrap();
    let mut writer = index.writer().unwrap();
    for round in 0..3 {
        for i in 0..120 {
            let n = round * 120 + i;
            let docs = match n % 4 {
                0 | 1 => vec![pivi(&mut rng, n)],
                2 => vec![member(&mut rng, n)],
                _ => thread(&mut rng, n),
            };
            for doc in &docs {
                writer.add(doc).unwrap();
            }
        }
        if round == 2 {
            for n in (0..120).step_by(7) {
                let replaced = pivi(&mut rng, n);
                let entity = replaced.entity.clone();
                writer.replace_entity(&entity, &[replaced]).unwrap();
            }
        }
        writer.commit(round as i64 + 1).unwrap();
    }
    index.reload().unwrap();
    index
}

const FACET_FIELDS: &[(&str, &str)] = &[
    ("typ", "kind"),
    ("stadsdel", "district"),
    ("sektor", "sector"),
    ("fas", "phase"),
    ("kategori", "pivi_kind"),
    ("modell", "model"),
    ("malgrupp", "target_group"),
    ("kompetens", "competence"),
    ("ar", "year"),
    ("grupp", "group"),
];

fn selected(filters: &Filters, facet: &str) -> Vec<String> {
    match facet {
        "typ" => filters.kinds.iter().map(|k| k.slug().into()).collect(),
        "stadsdel" => filters.districts.iter().map(|d| d.slug().into()).collect(),
        "kategori" => filters.pivi_kinds.iter().map(|k| k.to_string()).collect(),
        "modell" => filters.models.iter().map(|m| m.to_string()).collect(),
        "ar" => filters.years.iter().map(|y| y.to_string()).collect(),
        "grupp" => filters.groups.iter().map(|g| g.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// What the plain pass found.
struct Reference {
    total: u64,
    /// Facet URL name → value → count.
    counts: HashMap<String, HashMap<String, u64>>,
    /// Every hit's score, best first (by relevance).
    scores: Vec<f32>,
    /// Every hit's address, in order.
    addresses: Vec<DocAddress>,
}

/// One plain pass over every match: total, counts per facet, every hit in order.
fn reference(index: &SearchIndex, request: &SearchRequest) -> Reference {
    let searcher = index.searcher();
    let mut words = query::analyse_query(&request.query);
    let visible =
        search::visible::VisibleDocs::new(index, &searcher, &request.viewer.visibility_terms())
            .unwrap();
    query::expand_typos(
        &visible,
        index.fields().text_exact,
        &mut words,
        5,
        &mut query::MAX_WALKS.clone(),
    )
    .unwrap();
    let q = query::full_query(
        index.fields(),
        &search::Ranking::default(),
        &words,
        &request.viewer.visibility_terms(),
    );
    let collector = FacetedCollector {
        facets: FACET_FIELDS
            .iter()
            .map(|(name, field)| FacetSpec {
                field,
                selected: selected(&request.filters, name),
            })
            .collect(),
        order: if words.is_empty() || request.sort == Sort::Newest {
            Order::Date
        } else {
            Order::Score
        },
        keep: 10_000,
        tables: index.facet_tables(&searcher),
    };
    // Scored with the statistics of what the viewer may see, as the search does.
    let collected = searcher
        .search_with_statistics_provider(&*q, &collector, &visible)
        .unwrap();
    let counts = FACET_FIELDS
        .iter()
        .zip(collected.counts)
        .map(|((name, _), counts)| (name.to_string(), counts))
        .collect();
    let scores = collected.top.iter().map(|(s, _)| *s).collect();
    let addresses = collected.top.iter().map(|(_, a)| *a).collect();
    Reference {
        total: collected.total,
        counts,
        scores,
        addresses,
    }
}

/// The stored key of each hit (`kind:id`), in order.
fn keys(index: &SearchIndex, addresses: &[DocAddress]) -> Vec<String> {
    use tantivy::schema::Value;
    let searcher = index.searcher();
    addresses
        .iter()
        .map(|a| {
            let doc: tantivy::TantivyDocument = searcher.doc(*a).unwrap();
            let kind = doc
                .get_first(index.fields().kind)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string();
            let id = doc
                .get_first(index.fields().id)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string();
            format!("{kind}:{id}")
        })
        .collect()
}

#[test]
fn scored_hits_and_bit_set_counts_equal_one_plain_pass() {
    let index = corpus();
    let viewers = [
        Viewer::Anonymous,
        Viewer::Member {
            id: slug("m0"),
            groups: vec![],
        },
        Viewer::Member {
            id: slug("m0"),
            groups: vec![slug("g0")],
        },
    ];
    let queries = [
        "trygghet",
        "dialog",
        "barn unga",
        "läxhjälp i parken",
        "trygghetsvandring",
        "motesplatser",
        "kulturr",
        "idrott föreningar kvällstid torget",
        "trygghet dialog barn unga",
        "läxhjälp för unga i parken på kvällstid",
        "kultur idrott föreningar torget stadsdelen mötesplatser",
        "laxhjalp for barn i parken",
    ];
    let filter_sets = [
        Filters::default(),
        Filters {
            districts: vec![District::Angered, District::Lundby],
            ..Default::default()
        },
        Filters {
            kinds: vec![DocKind::Pivi],
            pivi_kinds: vec![ProjectKind::Project.slug()],
            years: vec![2012, 2015, 2019],
            ..Default::default()
        },
    ];
    let mut compared = 0;
    for viewer in &viewers {
        for text in queries {
            for filters in &filter_sets {
                for (page, per_page) in [(1, 7), (2, 7), (5, 3), (1, 1)] {
                    let request = SearchRequest {
                        query: text.into(),
                        filters: filters.clone(),
                        viewer: viewer.clone(),
                        page,
                        per_page,
                        ..Default::default()
                    };
                    let got = search::search(&index, &request).unwrap();
                    let Reference {
                        total,
                        counts,
                        scores,
                        addresses,
                    } = reference(&index, &request);
                    let case = format!("{text:?} {filters:?} {viewer:?} page {page}");
                    assert_eq!(got.total, total, "total for {case}");
                    for facet in &got.facets {
                        let expected = &counts[facet.name];
                        for value in &facet.values {
                            assert_eq!(
                                value.count,
                                expected.get(&value.value).copied().unwrap_or(0),
                                "{}={} for {case}",
                                facet.name,
                                value.value
                            );
                        }
                        if facet.name != "kompetens" {
                            let shown = facet.values.iter().filter(|v| v.count > 0).count();
                            assert_eq!(shown, expected.len(), "{} for {case}", facet.name);
                        }
                    }
                    let from = (page - 1) * per_page;
                    let want: Vec<f32> = scores.iter().skip(from).take(per_page).copied().collect();
                    let got_scores: Vec<f32> = got.hits.iter().map(|h| h.score).collect();
                    assert_eq!(got_scores.len(), want.len(), "hits for {case}");
                    for (g, w) in got_scores.iter().zip(&want) {
                        assert!(
                            (g - w).abs() < 1e-4,
                            "scores {got_scores:?} vs {want:?}: {case}"
                        );
                    }
                    // Each hit is a match, with the score the reference gives that document.
                    let reference_scores: HashMap<String, f32> = keys(&index, &addresses)
                        .into_iter()
                        .zip(scores.iter().copied())
                        .collect();
                    for hit in &got.hits {
                        let key = format!("{}:{}", hit.kind.slug(), hit.id);
                        let expected = reference_scores.get(&key).copied();
                        assert!(
                            expected.is_some_and(|e| (e - hit.score).abs() < 1e-4),
                            "{key} scored {} (reference {expected:?}): {case}",
                            hit.score
                        );
                    }
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 3 * 12 * 3 * 4);
}

#[test]
fn newest_first_and_empty_queries_equal_one_plain_pass() {
    let index = corpus();
    let filter_sets = [
        Filters::default(),
        Filters {
            districts: vec![District::Centrum],
            ..Default::default()
        },
        Filters {
            kinds: vec![DocKind::Member, DocKind::Thread],
            years: vec![2016],
            ..Default::default()
        },
    ];
    for viewer in [
        Viewer::Anonymous,
        Viewer::Member {
            id: slug("m0"),
            groups: vec![slug("g0")],
        },
    ] {
        for text in ["", "dialog", "barn unga"] {
            for filters in &filter_sets {
                for page in [1, 3] {
                    let request = SearchRequest {
                        query: text.into(),
                        filters: filters.clone(),
                        viewer: viewer.clone(),
                        sort: Sort::Newest,
                        page,
                        per_page: 5,
                    };
                    let got = search::search(&index, &request).unwrap();
                    let Reference {
                        total,
                        counts,
                        addresses,
                        ..
                    } = reference(&index, &request);
                    let case = format!("{text:?} {filters:?} {viewer:?} page {page}");
                    assert_eq!(got.total, total, "total for {case}");
                    for facet in &got.facets {
                        for value in facet.values.iter().filter(|v| v.count > 0) {
                            assert_eq!(
                                Some(&value.count),
                                counts[facet.name].get(&value.value),
                                "{}={} for {case}",
                                facet.name,
                                value.value
                            );
                        }
                    }
                    let want: Vec<DocAddress> = addresses
                        .iter()
                        .skip((page - 1) * 5)
                        .take(5)
                        .copied()
                        .collect();
                    let got_keys: Vec<String> = got
                        .hits
                        .iter()
                        .map(|h| format!("{}:{}", h.kind.slug(), h.id))
                        .collect();
                    assert_eq!(got_keys, keys(&index, &want), "hits for {case}");
                }
            }
        }
    }
}

/// Documents with the same text score the same; the page takes the lowest tie-break values
/// (hashes of their keys) first, as the reference does, also on pages past the first and
/// across segments.
#[test]
fn equal_scores_are_ordered_by_tiebreak_like_one_plain_pass() {
    let index = SearchIndex::in_memory().unwrap();
    let mut writer = index.writer().unwrap();
    let mut n = 0;
    for round in 0..2 {
        for i in 0..60 {
            let (title, body) = match i % 3 {
                0 => ("Dialog i parken", "Vi samtalar om parken och dialog."),
                1 => ("Samtal", "Dialog med unga."),
                _ => ("Torget", "Kultur på torget."),
            };
            let doc = SearchDocument::plain_text(&format!("d{n}"), title, body);
            writer.add(&doc).unwrap();
            n += 1;
        }
        writer.commit(round + 1).unwrap();
    }
    index.reload().unwrap();
    assert!(index.searcher().segment_readers().len() >= 2);
    for text in ["dialog", "dialog parken", "dialog parken unga kultur"] {
        for (page, per_page) in [(1, 7), (3, 7), (4, 9), (1, 50)] {
            let request = SearchRequest {
                query: text.into(),
                page,
                per_page,
                ..Default::default()
            };
            let got = search::search(&index, &request).unwrap();
            let Reference { addresses, .. } = reference(&index, &request);
            let want: Vec<DocAddress> = addresses
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .copied()
                .collect();
            let got_keys: Vec<String> = got
                .hits
                .iter()
                .map(|h| format!("{}:{}", h.kind.slug(), h.id))
                .collect();
            assert_eq!(got_keys, keys(&index, &want), "{text:?} page {page}");
        }
    }
}
