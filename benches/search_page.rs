//! Server-side time of the search page `/sok` at 100,000 documents: reading the URL, the
//! search (facets, snippets, visibility) and rendering the HTML, split into search and
//! render. Same synthetic corpus as `search_perf`.
//!
//! Run: `cargo bench --bench search_page` (size with `HALLBAR_BENCH_SIZE=100000`).

use std::time::{Duration, Instant};

use hallbar_index::SearchIndex;
use hallbar_index::search::params;
use hallbar_index::search::{self, Viewer};
use hallbar_templates::Page;
use hallbar_templates::components::SearchView;

/// The URL query strings of the mix (what a browser sends to `/sok`).
const MIX: &[&str] = &[
    "q=dialog",
    "q=trygghet",
    "q=trygghetsvandringar+med+kvinnor+i+angered",
    "q=medborgardialog",
    "q=trygghetsvandirngar",
    "q=motesplats",
    "q=utveckling&stadsdel=angered&stadsdel=lundby&typ=pivi&typ=artikel",
    "stadsdel=centrum",
    "q=l%C3%A4xhj%C3%A4lp&sortera=nyast&sida=2",
    "",
];

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let size: usize = std::env::var("HALLBAR_BENCH_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let docs = hallbar::synthetic::Model::from_demo().generate(size, 42);
    let dir = tempfile::tempdir()?;
    let index = SearchIndex::open_or_create(dir.path())?;
    hallbar::synthetic::write_index(&index, &docs, false)?;

    let page = Page::new("Sök", "Sök på hallbar.", "https://exempel.se/sok");
    let render = |pairs: &[(String, String)],
                  results: &search::SearchResults,
                  request: &search::SearchRequest| {
        hallbar_templates::pages::search::search(
            &page,
            &SearchView {
                action: "/sok",
                results,
                query: &request.query,
                sort: request.sort,
                params: pairs,
                facets: hallbar_templates::pages::search::FACETS,
                query_label: "Sökord",
                notes: &[],
            },
        )
        .into_string()
    };
    let run = |raw: &str| -> Result<(Duration, Duration, usize), Box<dyn std::error::Error>> {
        let started = Instant::now();
        let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
            .into_owned()
            .collect();
        let request = params::parse(
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            Viewer::Anonymous,
        )?;
        let results = search::search(&index, &request)?;
        let searched = started.elapsed();
        let html = render(&pairs, &results, &request);
        Ok((searched, started.elapsed() - searched, html.len()))
    };
    for raw in MIX {
        run(raw)?; // warm up
    }
    let (mut whole, mut rendering) = (Vec::new(), Vec::new());
    let mut bytes = 0;
    for _ in 0..40 {
        for raw in MIX {
            let (searched, rendered, len) = run(raw)?;
            whole.push(searched + rendered);
            rendering.push(rendered);
            bytes = bytes.max(len);
        }
    }
    whole.sort();
    rendering.sort();
    println!("{size} dokument, {} sidvisningar av /sok", whole.len());
    println!(
        "  hela sidan (tolka URL + sökning + HTML): p50 {:.2} ms, p99 {:.2} ms",
        percentile(&whole, 0.5),
        percentile(&whole, 0.99)
    );
    println!(
        "  bara HTML-renderingen: p50 {:.3} ms, p99 {:.3} ms; största sidan {bytes} byte",
        percentile(&rendering, 0.5),
        percentile(&rendering, 0.99)
    );
    Ok(())
}
