//! Query latency per kind of query (criterion), on a synthetic corpus of
//! `HALLBAR_BENCH_DOCS` documents (default 10,000), with facets, snippets and visibility.
//! The p50/p99 over the whole mix, and the 100,000-document figures, come from
//! `benches/search_perf.rs`.

use criterion::{Criterion, criterion_group, criterion_main};
use hallbar_index::search::{self, Filters, SearchRequest};
use hallbar_index::{District, DocKind, SearchIndex};

fn index() -> SearchIndex {
    let size = std::env::var("HALLBAR_BENCH_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let docs = hallbar::synthetic::Model::from_demo().generate(size, 42);
    let index = SearchIndex::in_memory().expect("an index in memory");
    hallbar::synthetic::write_index(&index, &docs, false).expect("an index");
    index
}

fn queries(c: &mut Criterion) {
    let index = index();
    let q = |query: &str| SearchRequest {
        query: query.into(),
        ..Default::default()
    };
    let cases = [
        ("ett ord", q("dialog")),
        ("flera ord", q("trygghetsvandringar med kvinnor i angered")),
        ("sammansatt", q("medborgardialog")),
        ("stavfel", q("trygghetsvandirngar")),
        (
            "filtrerad",
            SearchRequest {
                query: "utveckling".into(),
                filters: Filters {
                    districts: vec![District::Angered],
                    kinds: vec![DocKind::Pivi],
                    ..Default::default()
                },
                ..Default::default()
            },
        ),
    ];
    let mut group = c.benchmark_group("sökning");
    group.sample_size(30);
    for (name, request) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| search::search(&index, std::hint::black_box(request)).map(|r| r.total))
        });
    }
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
