//! Index build rate, index open + first query, and query latency percentiles on a synthetic
//! Swedish corpus built from the demo corpus (`hallbar::synthetic`).
//!
//! Run: `cargo bench --bench search_perf` (sizes with `HALLBAR_BENCH_SIZES=10000,100000`).
//! Criterion reports means and medians; p99 over a fixed query mix needs every sample, so
//! this harness times each query itself. The mix runs twice: as a server answers it again
//! and again (every cache warm), and with the page documents read afresh for every search.

use std::time::{Duration, Instant};

use hallbar_index::search::{self, Filters, SearchRequest, Viewer};
use hallbar_index::{District, DocKind, SearchIndex, Slug};

/// The fixed query mix: (class, request).
fn mix() -> Vec<(&'static str, SearchRequest)> {
    let member = Viewer::Member {
        id: Slug::new("anna-lindqvist").unwrap_or_else(|_| unreachable!()),
        groups: (0..5)
            .filter_map(|i| Slug::new(format!("grupp-{i}")).ok())
            .collect(),
    };
    let q = |query: &str| SearchRequest {
        query: query.into(),
        ..Default::default()
    };
    vec![
        ("ett ord", q("dialog")),
        ("ett ord", q("trygghet")),
        ("flera ord", q("trygghetsvandringar med kvinnor i angered")),
        ("flera ord", q("läxhjälp för unga på biblioteket")),
        ("sammansatt", q("medborgardialog")),
        ("sammansatt", q("barnkonsekvensanalys")),
        ("stavfel", q("trygghetsvandirngar")),
        ("stavfel", q("motesplats")),
        (
            "filtrerad",
            SearchRequest {
                query: "utveckling".into(),
                filters: Filters {
                    districts: vec![District::Angered, District::Lundby],
                    kinds: vec![DocKind::Pivi, DocKind::Article],
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
        (
            "filtrerad",
            SearchRequest {
                filters: Filters {
                    districts: vec![District::Centrum],
                    ..Default::default()
                },
                viewer: member.clone(),
                ..Default::default()
            },
        ),
        (
            "medlem",
            SearchRequest {
                query: "stadsodling föreningsliv".into(),
                viewer: member,
                ..Default::default()
            },
        ),
    ]
}

/// Queries with å/ä/ö and the same typed without them, in pairs: their totals are printed
/// so that a folded query can be compared with its restored spelling.
const FOLDED_PAIRS: &[&str] = &[
    "föräldrar",
    "foraldrar",
    "hyresgäster",
    "hyresgaster",
    "skolgårdar",
    "skolgardar",
    "mötesplats",
    "motesplats",
];

/// The `n`-th of a series of nine-letter words that are unlikely to be in an index: a
/// common first letter, then `n`'s digits in base 26.
fn unknown_word(n: usize) -> String {
    let mut word = String::from("s");
    let mut rest = n;
    for _ in 0..8 {
        word.push(char::from(b'a' + (rest % 26) as u8));
        rest /= 26;
    }
    word
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sizes: Vec<usize> = std::env::var("HALLBAR_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,100000".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let model = hallbar::synthetic::Model::from_demo();
    println!(
        "synthetic corpus from the demo corpus; {} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    for size in sizes {
        let docs = model.generate(size, 42);
        let bytes: usize = docs
            .iter()
            .map(|d| d.title.len() + d.summary.len() + d.body.len())
            .sum();
        let dir = tempfile::tempdir()?;

        let started = Instant::now();
        let index = SearchIndex::open_or_create(dir.path())?;
        let merge = std::env::var_os("HALLBAR_BENCH_MERGE").is_some();
        hallbar::synthetic::write_index(&index, &docs, merge)?;
        let build = started.elapsed();
        drop(index);

        let started = Instant::now();
        let reopened = SearchIndex::open_or_create(dir.path())?;
        let first = search::search(
            &reopened,
            &SearchRequest {
                query: "dialog".into(),
                ..Default::default()
            },
        )?;
        let open_and_first = started.elapsed();
        let segments = reopened.searcher().segment_readers().len();

        let mix = mix();
        for (_, request) in &mix {
            search::search(&reopened, request)?; // warm up
        }
        let mut all = Vec::new();
        let mut per_class: std::collections::BTreeMap<&str, Vec<Duration>> = Default::default();
        let rounds: usize = std::env::var("HALLBAR_BENCH_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(40);
        for _ in 0..rounds {
            for (class, request) in &mix {
                let started = Instant::now();
                let results = search::search(&reopened, request)?;
                let took = started.elapsed();
                std::hint::black_box(results);
                all.push(took);
                per_class.entry(class).or_default().push(took);
            }
        }
        // The same mix with every page read from the document store and scanned afresh
        // (the page cache emptied before each search), as for documents no search has
        // shown yet.
        let mut uncached = Vec::new();
        let mut uncached_per_class: std::collections::BTreeMap<&str, Vec<Duration>> =
            Default::default();
        for _ in 0..rounds {
            for (class, request) in &mix {
                reopened.page_docs(&reopened.searcher()).clear();
                let started = Instant::now();
                let results = search::search(&reopened, request)?;
                let took = started.elapsed();
                std::hint::black_box(results);
                uncached.push(took);
                uncached_per_class.entry(class).or_default().push(took);
            }
        }
        if std::env::var_os("HALLBAR_BENCH_PARTS").is_some() {
            // Where the time goes: the scoring query alone (top 20 with tantivy's pruning,
            // no filters, no counts, no snippets).
            use tantivy::collector::TopDocs;
            let f = reopened.fields();
            let searcher = reopened.searcher();
            let mut bare = Vec::new();
            for _ in 0..40 {
                for (_, request) in &mix {
                    let words = search::query::analyse_query(&request.query);
                    let q = search::query::full_query(
                        f,
                        &search::Ranking::default(),
                        &words,
                        &request.viewer.visibility_terms(),
                    );
                    let started = Instant::now();
                    let top = searcher.search(&*q, &TopDocs::with_limit(20).order_by_score())?;
                    bare.push(started.elapsed());
                    std::hint::black_box(top);
                }
            }
            bare.sort();
            println!(
                "  bara frågan (topp 20, utan facetter och utdrag): p50 {:.2} ms",
                ms(percentile(&bare, 0.5))
            );
            let mut typos = Vec::new();
            let mut facets = Vec::new();
            let mut loading = Vec::new();
            let mut counting_only = Vec::new();
            let mut one_hit = Vec::new();
            let mut snippets = Vec::new();
            for _ in 0..40 {
                for (_, request) in &mix {
                    // The app's search with a one-hit page: both passes (counting every match,
                    // choosing the best hit) without loading and highlighting a page of hits.
                    let single = SearchRequest {
                        per_page: 1,
                        ..request.clone()
                    };
                    let started = Instant::now();
                    std::hint::black_box(search::search(&reopened, &single)?);
                    one_hit.push(started.elapsed());
                    let started = Instant::now();
                    let mut words = search::query::analyse_query(&request.query);
                    let visible = search::visible::VisibleDocs::new(
                        &reopened,
                        &searcher,
                        &request.viewer.visibility_terms(),
                    )?;
                    search::query::expand_typos(
                        &visible,
                        f.text_exact,
                        &mut words,
                        5,
                        &mut search::query::MAX_WALKS.clone(),
                    )?;
                    typos.push(started.elapsed());
                    let q = search::query::full_query(
                        f,
                        &search::Ranking::default(),
                        &words,
                        &request.viewer.visibility_terms(),
                    );
                    let collector = search::collect::FacetedCollector {
                        facets: [
                            "kind",
                            "district",
                            "sector",
                            "phase",
                            "pivi_kind",
                            "competence",
                            "year",
                        ]
                        .iter()
                        .map(|field| search::collect::FacetSpec {
                            field,
                            selected: Vec::new(),
                        })
                        .collect(),
                        order: search::collect::Order::Score,
                        keep: 20,
                        tables: reopened.facet_tables(&searcher),
                    };
                    let started = Instant::now();
                    let collected = searcher.search(&*q, &collector)?;
                    facets.push(started.elapsed());
                    // The same counts without scoring (no top hits kept).
                    let counting = search::collect::FacetedCollector {
                        facets: collector.facets.clone(),
                        order: search::collect::Order::Date,
                        keep: 0,
                        tables: reopened.facet_tables(&searcher),
                    };
                    let started = Instant::now();
                    std::hint::black_box(searcher.search(&*q, &counting)?);
                    counting_only.push(started.elapsed());
                    let started = Instant::now();
                    let docs: Vec<tantivy::TantivyDocument> = collected
                        .top
                        .iter()
                        .map(|(_, a)| searcher.doc(*a))
                        .collect::<Result<_, _>>()?;
                    loading.push(started.elapsed());
                    let started = Instant::now();
                    let highlighter = search::snippet::Highlighter::new(&words);
                    for doc in &docs {
                        use tantivy::schema::Value;
                        let body = doc
                            .get_first(f.body)
                            .and_then(|v| v.as_str())
                            .unwrap_or_default();
                        std::hint::black_box(highlighter.snippet(body));
                    }
                    snippets.push(started.elapsed());
                }
            }
            loading.sort();
            snippets.sort();
            counting_only.sort();
            one_hit.sort();
            facets.sort();
            println!(
                "  sökningen med en träff per sida (räkna alla träffar + välja bästa): p50 {:.2} ms",
                ms(percentile(&one_hit, 0.5))
            );
            println!(
                "  jämförelse, ett enda pass över alla träffar (tantivy-kollektor): \
                 med poäng p50 {:.2} ms, utan poäng p50 {:.2} ms",
                ms(percentile(&facets, 0.5)),
                ms(percentile(&counting_only, 0.5))
            );
            println!(
                "  läsa 20 lagrade dokument: p50 {:.2} ms; utdrag för dem: p50 {:.2} ms",
                ms(percentile(&loading, 0.5)),
                ms(percentile(&snippets, 0.5))
            );
            typos.sort();
            println!(
                "  analys + stavfelsvarianter: p50 {:.2} ms",
                ms(percentile(&typos, 0.5))
            );
        }
        all.sort();
        println!("\n{size} dokument ({:.1} MB text)", bytes as f64 / 1e6);
        println!(
            "  bygge: {:.1} s, {:.0} dokument/s",
            build.as_secs_f64(),
            size as f64 / build.as_secs_f64()
        );
        println!("  segment: {segments}");
        println!(
            "  öppna index + första sökning: {:.1} ms ({} träffar)",
            ms(open_and_first),
            first.total
        );
        println!(
            "  frågemix ({} sökningar, med facetter): p50 {:.2} ms, p99 {:.2} ms",
            all.len(),
            ms(percentile(&all, 0.5)),
            ms(percentile(&all, 0.99))
        );
        for (class, mut times) in per_class {
            times.sort();
            println!(
                "    {class:<11} p50 {:.2} ms, p99 {:.2} ms",
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.99))
            );
        }
        uncached.sort();
        println!(
            "  samma mix, sidornas dokument lästa på nytt (tom sidcache): p50 {:.2} ms, p99 {:.2} ms",
            ms(percentile(&uncached, 0.5)),
            ms(percentile(&uncached, 0.99))
        );
        for (class, mut times) in uncached_per_class {
            times.sort();
            println!(
                "    {class:<11} p50 {:.2} ms, p99 {:.2} ms",
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.99))
            );
        }
        // A hostile query: 50 different unknown nine-letter words (every one a walk of the
        // term dictionary if nothing capped the work), each round with new words so that no
        // cache helps.
        let mut hostile = Vec::new();
        for round in 0..rounds {
            let words: Vec<String> = (0..50).map(|i| unknown_word(round * 50 + i)).collect();
            let request = SearchRequest {
                query: words.join(" "),
                ..Default::default()
            };
            let started = Instant::now();
            std::hint::black_box(search::search(&reopened, &request)?);
            hostile.push(started.elapsed());
        }
        hostile.sort();
        println!(
            "  50 okända ord på nio bokstäver: p50 {:.2} ms, p99 {:.2} ms",
            ms(percentile(&hostile, 0.5)),
            ms(percentile(&hostile, 0.99))
        );
        println!("  träffar, med och utan å/ä/ö:");
        for pair in FOLDED_PAIRS.chunks(2) {
            let totals = pair
                .iter()
                .map(|query| {
                    let request = SearchRequest {
                        query: (*query).into(),
                        ..Default::default()
                    };
                    search::search(&reopened, &request).map(|r| format!("{query} {}", r.total))
                })
                .collect::<Result<Vec<_>, _>>()?;
            println!("    {}", totals.join(", "));
        }
    }
    Ok(())
}
