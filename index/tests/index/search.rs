//! Search over a small in-memory index: Swedish matching, ranking order, disjunctive facets,
//! visibility on hits, totals, snippets and facet counts, suggestions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use chrono::NaiveDate;
use hallbar_index::search::{self, Filters, SearchRequest, Sort, Viewer};
use hallbar_index::*;

use crate::ProjectKind;

fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap()
}

fn date(y: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, 3, 1).unwrap()
}

fn pivi(
    id: &str,
    title: &str,
    body: &str,
    district: District,
    kind: ProjectKind,
    year: i32,
) -> SearchDocument {
    SearchDocument::pivi(&PiviEntry {
        id: slug(id),
        title: title.into(),
        model: slug("pivi"),
        kind: kind.slug(),
        summary: String::new(),
        body: body.into(),
        district,
        organisation: "Göteborgs Stad".into(),
        target_groups: vec![],
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
        published: date(year),
    })
}

fn member(
    id: &str,
    competences: &[&str],
    visibility: ProfileVisibility,
    sector: Sector,
) -> SearchDocument {
    SearchDocument::member(&Member {
        id: slug(id),
        name: format!("Person {id}"),
        title: "Utvecklare".into(),
        organisation: "Org".into(),
        sector,
        district: District::Angered,
        background: "Arbetar i Angered.".into(),
        competences: competences.iter().map(|c| c.to_string()).collect(),
        interests: vec![],
        links: vec![],
        visibility,
        member_since: date(2015),
    })
}

fn group(id: &str, access: GroupAccess, members: &[&str]) -> Group {
    Group {
        id: slug(id),
        name: format!("Grupp {id}"),
        description: "En grupp.".into(),
        access,
        created: date(2014),
        created_by: slug(members[0]),
        members: members.iter().map(|m| slug(m)).collect(),
        district: None,
        topics: Vec::new(),
    }
}

fn thread(id: &str, group: &str, text: &str) -> Thread {
    Thread {
        id: slug(id),
        group: slug(group),
        title: format!("Tråd {id}"),
        posts: vec![Post {
            author: slug("anna"),
            created: date(2016).and_hms_opt(9, 0, 0).unwrap().and_utc(),
            text: text.into(),
        }],
    }
}

fn index(docs: Vec<SearchDocument>) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut writer = index.writer().unwrap();
    for doc in &docs {
        writer.add(doc).unwrap();
    }
    writer.commit(7).unwrap();
    index.reload().unwrap();
    index
}

fn corpus() -> SearchIndex {
    let open = group("oppen", GroupAccess::Open, &["anna", "bo"]);
    let closed = group("sluten", GroupAccess::Closed, &["anna"]);
    let mut docs = vec![
        pivi(
            "a",
            "Stadsutveckling i Angered",
            "Om stadsutvecklingen i nordost.",
            District::Angered,
            ProjectKind::Project,
            2014,
        ),
        pivi(
            "b",
            "Utveckling av fritidsgården",
            "Ungdomarna utvecklar gården.",
            District::Lundby,
            ProjectKind::Activity,
            2016,
        ),
        pivi(
            "c",
            "Medborgardialogen i Bergsjön",
            "Vi bjöd in till medborgardialog.",
            District::OstraGoteborg,
            ProjectKind::Idea,
            2018,
        ),
        pivi(
            "d",
            "Trygghetsvandringar med kvinnor",
            "Kvinnor i Gårdsten vandrade kvällstid.",
            District::Angered,
            ProjectKind::Project,
            2018,
        ),
        pivi(
            "e",
            "Mötesplats i Göteborg",
            "En ny mötesplats vid torget.",
            District::Centrum,
            ProjectKind::Inspiration,
            2020,
        ),
        pivi(
            "f",
            "Kompetenser i samhället",
            "Projektet samlade kompetens från hela samhället.",
            District::Centrum,
            ProjectKind::Project,
            2021,
        ),
        member(
            "anna",
            &["medborgardialog", "trygghetsvandringar"],
            ProfileVisibility::Public,
            Sector::Municipality,
        ),
        member(
            "hemlis",
            &["sekretessarbete", "medborgardialog"],
            ProfileVisibility::Members,
            Sector::Academia,
        ),
        SearchDocument::group(&open),
        SearchDocument::group(&closed),
    ];
    docs.extend(SearchDocument::thread(
        &thread("t1", "oppen", "Öppen diskussion om läxhjälp."),
        &open,
    ));
    docs.extend(SearchDocument::thread(
        &thread(
            "t2",
            "sluten",
            "Hemlig diskussion om läxhjälp och sekretessarbete.",
        ),
        &closed,
    ));
    index(docs)
}

fn run(
    index: &SearchIndex,
    query: &str,
    viewer: Viewer,
    filters: Filters,
) -> search::SearchResults {
    search::search(
        index,
        &SearchRequest {
            query: query.into(),
            filters,
            viewer,
            per_page: 50,
            ..Default::default()
        },
    )
    .unwrap()
}

fn ids(results: &search::SearchResults) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| format!("{}:{}", h.kind.slug(), h.id))
        .collect()
}

fn anna() -> Viewer {
    Viewer::Member {
        id: slug("anna"),
        groups: vec![slug("sluten")],
    }
}

fn bo() -> Viewer {
    Viewer::Member {
        id: slug("bo"),
        groups: vec![],
    }
}

#[test]
fn part_of_a_compound_finds_it_but_ranks_below_the_whole_word() {
    let r = run(
        &corpus(),
        "utveckling",
        Viewer::Anonymous,
        Filters::default(),
    );
    let found = ids(&r);
    assert!(found.contains(&"pivi:a".to_string()), "{found:?}");
    assert_eq!(found[0], "pivi:b", "whole-word match first: {found:?}");
}

#[test]
fn inflections_and_compounds_match() {
    let c = corpus();
    assert!(
        ids(&run(&c, "dialog", Viewer::Anonymous, Filters::default())).contains(&"pivi:c".into())
    );
    assert!(
        ids(&run(&c, "trygghet", Viewer::Anonymous, Filters::default())).contains(&"pivi:d".into())
    );
    assert!(
        ids(&run(&c, "kompetens", Viewer::Anonymous, Filters::default()))
            .contains(&"pivi:f".into())
    );
    assert!(
        ids(&run(&c, "samhälle", Viewer::Anonymous, Filters::default())).contains(&"pivi:f".into())
    );
    assert!(
        ids(&run(&c, "projekt", Viewer::Anonymous, Filters::default())).contains(&"pivi:f".into())
    );
}

#[test]
fn folded_spelling_and_typos_still_find() {
    let c = corpus();
    assert_eq!(
        ids(&run(
            &c,
            "motesplats",
            Viewer::Anonymous,
            Filters::default()
        ))[0],
        "pivi:e"
    );
    assert_eq!(
        ids(&run(&c, "goteborg", Viewer::Anonymous, Filters::default()))[0],
        "pivi:e"
    );
    assert!(
        ids(&run(
            &c,
            "trygghetsvandirngar",
            Viewer::Anonymous,
            Filters::default()
        ))
        .contains(&"pivi:d".into())
    );
}

/// Texts about parents, tenants and schoolyards in their inflections and compounds, the
/// same words typed without å/ä/ö (`typed:*`), and texts about none of them.
fn restoration_corpus() -> SearchIndex {
    let texts = [
        (
            "foraldrar-1",
            "Föräldrar möts i parken",
            "Alla föräldrar är välkomna.",
        ),
        (
            "foraldrar-2",
            "En förälder berättar",
            "Hon är förälder till två barn.",
        ),
        (
            "foraldrar-3",
            "Möte i Angered",
            "Föräldrarna bjöds in till skolan.",
        ),
        (
            "foraldrar-4",
            "Synpunkter",
            "Föräldrarnas synpunkter samlades in.",
        ),
        (
            "hyresgaster-1",
            "Hyresgäster i Bergsjön",
            "Hyresgäster möts.",
        ),
        (
            "hyresgaster-2",
            "Klagomål",
            "Hyresgästen klagade på värmen.",
        ),
        (
            "hyresgaster-3",
            "Ny styrelse",
            "Hyresgästerna valde en ny styrelse.",
        ),
        (
            "hyresgaster-4",
            "Krav",
            "Hyresgästernas krav på bättre belysning.",
        ),
        (
            "skolgardar-1",
            "Skolgårdar rustas",
            "Fler skolgårdar blir gröna.",
        ),
        ("skolgardar-2", "Nya träd", "Skolgården fick nya träd."),
        ("skolgardar-3", "Lek", "Skolgårdarna är öppna på helgen."),
        ("annat-1", "Vädret", "Vädret var soligt hela veckan."),
        ("annat-2", "Gårdar på landet", "Gårdarna har kor och får."),
        ("annat-3", "Skolan", "Skolan har nya lärare och gäster."),
        (
            "typed-foraldrar",
            "Foraldrar och barn",
            "Foraldrar och barn leker.",
        ),
        (
            "typed-hyresgaster",
            "Hyresgaster",
            "Hyresgaster i Hammarkullen.",
        ),
        ("typed-skolgardar", "Skolgardar", "Skolgardar i nordost."),
    ];
    index(
        texts
            .iter()
            .map(|(id, title, body)| {
                pivi(
                    id,
                    title,
                    body,
                    District::Angered,
                    ProjectKind::Project,
                    2020,
                )
            })
            .collect(),
    )
}

#[test]
fn typed_without_swedish_letters_finds_what_the_restored_spelling_finds() {
    let c = restoration_corpus();
    for (restored, typed, family) in [
        ("föräldrar", "foraldrar", 4),
        ("hyresgäster", "hyresgaster", 4),
        ("skolgårdar", "skolgardar", 3),
    ] {
        let with = run(&c, restored, Viewer::Anonymous, Filters::default());
        let without = run(&c, typed, Viewer::Anonymous, Filters::default());
        let with_ids = ids(&with);
        let without_ids = ids(&without);
        for id in (1..=family).map(|n| format!("pivi:{typed}-{n}")) {
            assert!(with_ids.contains(&id), "{restored}: {id} in {with_ids:?}");
            assert!(
                without_ids.contains(&id),
                "{typed}: {id} in {without_ids:?}"
            );
        }
        // The typed spelling finds what the restored one finds, and the text that has the
        // spelling as typed (which the restored spelling finds only as a typo of a rare
        // word: nothing of an unaccented text goes into the folded field).
        let typed_text = format!("pivi:typed-{typed}");
        let expected: BTreeSet<&String> = with_ids.iter().chain([&typed_text]).collect();
        let got: BTreeSet<&String> = without_ids.iter().collect();
        assert_eq!(got, expected, "{typed} against {restored}");
        assert_eq!(
            without.total as usize,
            expected.len(),
            "{typed} against {restored}"
        );
        assert_eq!(
            without_ids[0], typed_text,
            "spelling as typed first: {without_ids:?}"
        );
        assert!(
            !with_ids.iter().any(|id| id.contains("annat")),
            "{restored}: {with_ids:?}"
        );
    }
}

#[test]
fn a_restored_word_gets_no_typo_variants() {
    let c = restoration_corpus();
    let mut words = search::query::analyse_query("foraldrar hyresgastr");
    let visible =
        search::visible::VisibleDocs::new(&c, &c.searcher(), &Viewer::Anonymous.visibility_terms())
            .unwrap();
    search::query::expand_typos(
        &visible,
        c.fields().text_exact,
        &mut words,
        5,
        &mut search::query::MAX_WALKS.clone(),
    )
    .unwrap();
    let restored: Vec<&str> = words[0].restored.iter().map(|r| r.exact.as_str()).collect();
    assert_eq!(restored, ["föräldrar"]);
    assert!(words[0].typos.is_empty(), "{:?}", words[0].typos);
    // Nothing folds to a misspelt word: it keeps its typo variants.
    assert!(words[1].restored.is_empty());
    assert!(
        words[1].typos.contains(&"hyresgäster".to_string()),
        "{:?}",
        words[1].typos
    );
}

#[test]
fn snippets_mark_matches_and_escape() {
    let r = run(
        &corpus(),
        "medborgardialog",
        Viewer::Anonymous,
        Filters::default(),
    );
    let hit = r.hits.iter().find(|h| h.id == "c").unwrap();
    assert!(
        hit.snippet.contains("<mark>medborgardialog</mark>"),
        "{}",
        hit.snippet
    );
    let doc = pivi(
        "x",
        "X",
        "Om dialog: 1 < 2 & 3 > 2 <script>alert('x')</script>",
        District::Centrum,
        ProjectKind::Idea,
        2020,
    );
    let r = run(
        &index(vec![doc]),
        "dialog",
        Viewer::Anonymous,
        Filters::default(),
    );
    assert!(
        !r.hits[0].snippet.contains("<script>"),
        "{}",
        r.hits[0].snippet
    );
    assert!(
        r.hits[0].snippet.contains("1 &lt; 2 &amp; 3 &gt; 2"),
        "{}",
        r.hits[0].snippet
    );
}

#[test]
fn visibility_is_enforced_in_hits_totals_snippets_and_facets() {
    let c = corpus();
    // Anonymous: no members-only profile, no group content (threads, posts) at all.
    let r = run(
        &c,
        "läxhjälp sekretessarbete medborgardialog",
        Viewer::Anonymous,
        Filters::default(),
    );
    let found = ids(&r);
    assert!(
        !found.iter().any(|i| i.contains("hemlis")
            || i.starts_with("diskussion")
            || i.starts_with("inlagg")
            || i.starts_with("grupp")),
        "{found:?}"
    );
    let all = run(&c, "", Viewer::Anonymous, Filters::default());
    assert_eq!(
        all.total,
        9,
        "6 pivi + 1 public profile + 2 groups (their names are public): {:?}",
        ids(&all)
    );
    let kinds = &all.facets.iter().find(|f| f.name == "typ").unwrap().values;
    assert!(
        kinds
            .iter()
            .all(|v| v.value == "pivi" || v.value == "medlem" || v.value == "grupp"),
        "{kinds:?}"
    );
    let sectors = &all
        .facets
        .iter()
        .find(|f| f.name == "sektor")
        .unwrap()
        .values;
    assert!(
        !sectors.iter().any(|v| v.value == "akademi"),
        "members-only profile counted: {sectors:?}"
    );
    let competences = &all
        .facets
        .iter()
        .find(|f| f.name == "kompetens")
        .unwrap()
        .values;
    assert!(
        !competences.iter().any(|v| v.value == "sekretessarbete"),
        "{competences:?}"
    );

    // A member outside the closed group sees open-group content, not the closed group's.
    let r = run(&c, "läxhjälp", bo(), Filters::default());
    let found = ids(&r);
    assert!(found.contains(&"inlagg:t1/0".into()), "{found:?}");
    assert!(
        !found
            .iter()
            .any(|i| i.contains("t2") || i.contains("hemlig")),
        "{found:?}"
    );
    assert!(r.hits.iter().all(|h| !h.snippet.contains("Hemlig")));
    let r = run(&c, "sekretessarbete", bo(), Filters::default());
    assert_eq!(ids(&r), ["medlem:hemlis"], "only the members-only profile");

    // A group member sees it all.
    let r = run(&c, "sekretessarbete", anna(), Filters::default());
    let found = ids(&r);
    assert!(found.contains(&"inlagg:t2/0".into()), "{found:?}");
}

#[test]
fn facet_counts_are_disjunctive() {
    let c = corpus();
    let filters = Filters {
        districts: vec![District::Angered],
        ..Default::default()
    };
    let r = run(&c, "", Viewer::Anonymous, filters);
    assert_eq!(
        r.total,
        3,
        "two pivi entries and a profile in Angered: {:?}",
        ids(&r)
    );
    let districts = &r
        .facets
        .iter()
        .find(|f| f.name == "stadsdel")
        .unwrap()
        .values;
    let count = |v: &str| districts.iter().find(|d| d.value == v).map(|d| d.count);
    // The district facet ignores its own filter: other districts still show their counts.
    assert_eq!(count("angered"), Some(3));
    assert_eq!(count("centrum"), Some(2));
    assert!(
        districts
            .iter()
            .find(|d| d.value == "angered")
            .unwrap()
            .selected
    );
    // Other facets honour the district filter.
    let kinds = &r
        .facets
        .iter()
        .find(|f| f.name == "kategori")
        .unwrap()
        .values;
    assert_eq!(
        kinds
            .iter()
            .map(|k| (k.value.as_str(), k.count))
            .collect::<Vec<_>>(),
        [("projekt", 2)]
    );

    let two = Filters {
        districts: vec![District::Angered, District::Centrum],
        pivi_kinds: vec![ProjectKind::Project.slug()],
        ..Default::default()
    };
    let r = run(&c, "", Viewer::Anonymous, two);
    assert_eq!(r.total, 3);
    let districts = &r
        .facets
        .iter()
        .find(|f| f.name == "stadsdel")
        .unwrap()
        .values;
    assert_eq!(
        districts
            .iter()
            .find(|d| d.value == "centrum")
            .unwrap()
            .count,
        1
    );
}

#[test]
fn empty_query_lists_newest_first_and_sorting_works() {
    let c = corpus();
    let r = run(
        &c,
        "",
        Viewer::Anonymous,
        Filters {
            kinds: vec![DocKind::Pivi],
            ..Default::default()
        },
    );
    assert_eq!(ids(&r)[0], "pivi:f");
    let newest = search::search(
        &c,
        &SearchRequest {
            query: "utveckling".into(),
            sort: Sort::Newest,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(ids(&newest)[0], "pivi:b");
}

#[test]
fn paging_and_totals() {
    let c = corpus();
    let page2 = search::search(
        &c,
        &SearchRequest {
            per_page: 2,
            page: 2,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page2.hits.len(), 2);
    assert_eq!(
        page2.total, 9,
        "with the two groups, whose names are public"
    );
    let page1 = search::search(
        &c,
        &SearchRequest {
            per_page: 2,
            page: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(page1.hits.iter().all(|h| !page2.hits.contains(h)));
}

#[test]
fn did_you_mean_and_suggestions_come_from_public_words() {
    let c = corpus();
    // Two typos in a seven-letter word: beyond typo tolerance, so nothing matches, but
    // "Menade du" offers the right spelling.
    let r = run(&c, "kvonnar", Viewer::Anonymous, Filters::default());
    assert_eq!(r.total, 0, "{:?}", ids(&r));
    assert_eq!(r.suggestion.as_deref(), Some("kvinnor"));
    // With a filter that the respelling finds nothing in, it is not offered.
    let in_angered = Filters {
        districts: vec![District::Angered],
        ..Default::default()
    };
    assert_eq!(
        run(&c, "kvonnar", Viewer::Anonymous, in_angered)
            .suggestion
            .as_deref(),
        Some("kvinnor")
    );
    let elsewhere = Filters {
        districts: vec![District::NorraHisingen],
        ..Default::default()
    };
    assert_eq!(
        run(&c, "kvonnar", Viewer::Anonymous, elsewhere).suggestion,
        None,
        "\"kvinnor\" finds nothing in Norra Hisingen"
    );
    // One typo is simply tolerated.
    assert!(
        ids(&run(&c, "kvinnir", Viewer::Anonymous, Filters::default())).contains(&"pivi:d".into())
    );
    let none = run(&c, "xyzzyq", Viewer::Anonymous, Filters::default());
    assert_eq!((none.total, none.suggestion), (0, None));
    // A close word that exists only in closed-group content is never suggested.
    let hidden = run(&c, "sekretessarbate", bo(), Filters::default());
    assert_ne!(hidden.suggestion.as_deref(), Some("sekretessarbete"));
    let suggestions = search::suggestions(&c, "trygg").unwrap();
    assert!(
        suggestions
            .iter()
            .any(|s| s.starts_with("trygghetsvandringar")),
        "{suggestions:?}"
    );
    // Words only found in a closed group or a members-only profile are never suggested.
    assert!(search::suggestions(&c, "sekre").unwrap().is_empty());
    assert!(search::suggestions(&c, "hemli").unwrap().is_empty());
}

#[test]
fn hostile_queries_do_not_panic() {
    let c = corpus();
    for q in [
        "",
        "   ",
        "\"",
        "AND OR NOT",
        "*",
        "a:b",
        "((((",
        &"å".repeat(10_000),
        "\u{0}",
        "😀 dialog",
    ] {
        search::search(
            &c,
            &SearchRequest {
                query: q.into(),
                ..Default::default()
            },
        )
        .unwrap();
        search::suggestions(&c, q).unwrap();
    }
}

#[test]
fn facet_counts_follow_new_commits_deletions_and_merges() {
    let index = index(vec![pivi(
        "a",
        "Läxhjälp",
        "Läxhjälp för barn.",
        District::Angered,
        ProjectKind::Project,
        2020,
    )]);
    let districts = |index: &SearchIndex| {
        let r = run(index, "läxhjälp", Viewer::Anonymous, Filters::default());
        let mut values: Vec<(String, u64)> = r
            .facets
            .iter()
            .find(|f| f.name == "stadsdel")
            .unwrap()
            .values
            .iter()
            .map(|v| (v.value.clone(), v.count))
            .collect();
        values.sort();
        (r.total, values)
    };
    assert_eq!(districts(&index), (1, vec![("angered".into(), 1)]));

    // A second segment with other values: the cached table of the first stays right and
    // the new segment gets its own.
    let mut writer = index.writer().unwrap();
    writer
        .replace_entity(
            "pivi:b",
            &[pivi(
                "b",
                "Läxhjälp i Centrum",
                "Läxhjälp.",
                District::Centrum,
                ProjectKind::Idea,
                2021,
            )],
        )
        .unwrap();
    writer.commit(8).unwrap();
    index.reload().unwrap();
    assert_eq!(
        districts(&index),
        (2, vec![("angered".into(), 1), ("centrum".into(), 1)])
    );

    // Moving entry a to another district (delete + add) changes the counts at once.
    writer
        .replace_entity(
            "pivi:a",
            &[pivi(
                "a",
                "Läxhjälp",
                "Läxhjälp för barn.",
                District::MajornaLinne,
                ProjectKind::Project,
                2020,
            )],
        )
        .unwrap();
    writer.commit(9).unwrap();
    index.reload().unwrap();
    assert_eq!(
        districts(&index),
        (2, vec![("centrum".into(), 1), ("majorna-linne".into(), 1)])
    );

    // After merging everything into one segment the counts are the same.
    writer.wait_merging_threads().unwrap();
    let mut writer = index.writer().unwrap();
    writer.merge_all().unwrap();
    index.reload().unwrap();
    assert_eq!(
        districts(&index),
        (2, vec![("centrum".into(), 1), ("majorna-linne".into(), 1)])
    );
}

#[test]
fn matrix_cells_have_no_date_and_no_year() {
    let axis = |name: &str, id: &str| Axis {
        name: name.into(),
        values: vec![AxisValue {
            id: slug(id),
            name: id.into(),
            description: String::new(),
        }],
    };
    let matrix = Matrix {
        id: slug("m"),
        title: "Matris".into(),
        description: String::new(),
        rows: axis("Rum", "torg"),
        columns: axis("Dimension", "trygghet"),
        cells: vec![Cell {
            row: slug("torg"),
            column: slug("trygghet"),
            summary: "Torgets trygghet kvällstid.".into(),
        }],
    };
    let mut docs = SearchDocument::matrix_cells(&matrix, &slug("stadsutveckling"));
    docs.push(pivi(
        "p",
        "Trygghet",
        "Trygghet på torget.",
        District::Angered,
        ProjectKind::Project,
        2019,
    ));
    let index = index(docs);
    let r = run(&index, "trygghet", Viewer::Anonymous, Filters::default());
    let cell = r
        .hits
        .iter()
        .find(|h| h.kind == DocKind::MatrixCell)
        .expect("the cell is found");
    assert_eq!(cell.date, "", "a cell has no date to show");
    let years: Vec<&str> = r
        .facets
        .iter()
        .find(|f| f.name == "ar")
        .unwrap()
        .values
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(years, ["2019"], "no 1970 from the dateless cell");
}

#[test]
fn competences_list_the_most_common_then_the_selected() {
    // k00 on 20 members, k01 on 19, … k19 on one; k14b on the same members as k14.
    let docs = (0..20)
        .map(|i| {
            let mut competences: Vec<String> = (0..20 - i).map(|j| format!("k{j:02}")).collect();
            if 20 - i > 14 {
                competences.push("k14b".into());
            }
            let competences: Vec<&str> = competences.iter().map(String::as_str).collect();
            member(
                &format!("m{i}"),
                &competences,
                ProfileVisibility::Public,
                Sector::ALL[0],
            )
        })
        .collect();
    let c = index(docs);
    let listed = |filters: Filters| -> Vec<(String, u64, bool)> {
        run(&c, "", Viewer::Anonymous, filters)
            .facets
            .into_iter()
            .find(|f| f.name == "kompetens")
            .unwrap()
            .values
            .into_iter()
            .map(|v| (v.value, v.count, v.selected))
            .collect()
    };
    // The fifteen most common, ties in alphabetical order (k14 before k14b, which is left out).
    let top: Vec<(String, u64, bool)> = (0..15)
        .map(|j| (format!("k{j:02}"), 20 - j as u64, false))
        .collect();
    assert_eq!(listed(Filters::default()), top);
    // A selected value below them is listed after them, also one no member has.
    let mut want = top.clone();
    want[3].2 = true;
    want.push(("k18".into(), 2, true));
    want.push(("saknas".into(), 0, true));
    let filters = Filters {
        competences: vec!["k18".into(), "saknas".into(), "k03".into()],
        ..Default::default()
    };
    assert_eq!(listed(filters), want);
}

/// A long query of misspelt words costs a bounded amount of work: its typo variants and
/// its "did you mean" together walk the term dictionary at most `MAX_WALKS` times, for its
/// first words.
#[test]
fn a_long_misspelt_query_walks_the_dictionary_for_its_first_words_only() {
    let index = SearchIndex::in_memory().unwrap();
    let known = [
        "samverkan",
        "trygghet",
        "delaktighet",
        "folkhälsa",
        "föreningsliv",
        "integration",
        "mötesplats",
        "stadsdelen",
        "bostadsområde",
        "ungdomsgård",
    ];
    let mut writer = index.writer().unwrap();
    for (i, word) in known.iter().enumerate() {
        let doc = SearchDocument::plain_text(&format!("d{i}"), "Text", word);
        writer.add(&doc).unwrap();
    }
    writer.commit(1).unwrap();
    index.reload().unwrap();
    let misspelt = [
        "samverkam",
        "trygghed",
        "delaktigheb",
        "folkhälsu",
        "föreningslib",
        "integratiom",
        "mötesplatz",
        "stadsdelem",
        "bostadsområdr",
        "ungdomsgårf",
    ];
    let query = misspelt.join(" ");
    let visible = search::visible::VisibleDocs::new(
        &index,
        &index.searcher(),
        &Viewer::Anonymous.visibility_terms(),
    )
    .unwrap();
    let max = search::query::MAX_WALKS;
    assert!(max < misspelt.len());

    let mut walks = max;
    let respelled =
        search::suggest::did_you_mean(&visible, index.fields().public_words, &query, &mut walks)
            .unwrap()
            .expect("a respelling");
    let changed: Vec<(&str, &str)> = respelled
        .split(' ')
        .zip(misspelt)
        .filter(|(new, old)| new != old)
        .collect();
    assert_eq!(changed.len(), max, "{respelled}");
    assert_eq!(walks, 0);
    for (new, _) in &changed {
        assert!(known.contains(new), "{respelled}");
    }

    let mut words = search::query::analyse_query(&query);
    let mut walks = max;
    search::query::expand_typos(
        &visible,
        index.fields().text_exact,
        &mut words,
        5,
        &mut walks,
    )
    .unwrap();
    let expanded: Vec<&str> = words
        .iter()
        .filter(|w| !w.typos.is_empty())
        .map(|w| w.exact.as_str())
        .collect();
    assert_eq!(expanded, misspelt[..max], "{words:?}");

    // Whatever typo variants used is gone for "did you mean".
    let mut walks = max;
    let mut words = search::query::analyse_query(&query);
    search::query::expand_typos(
        &visible,
        index.fields().text_exact,
        &mut words,
        5,
        &mut walks,
    )
    .unwrap();
    assert_eq!(
        search::suggest::did_you_mean(&visible, index.fields().public_words, &query, &mut walks)
            .unwrap(),
        None
    );
}
