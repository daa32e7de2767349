//! The public HTML pages, driven in-process with `router(state).oneshot(..)`: every page type
//! has its frame (language, one `h1`, title, description, absolute canonical link) and its
//! real content; search state lives in the URL; members-only content stays hidden; bad
//! parameters are Swedish 400 pages; user text is always escaped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const SITE: &str = "https://exempel.se";

/// What a request answered.
struct Answer {
    status: StatusCode,
    content_type: String,
    cache_control: String,
    body: String,
}

async fn send(app: &axum::Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let header_text = |name| {
        response
            .headers()
            .get(name)
            .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let content_type = header_text(header::CONTENT_TYPE);
    let cache_control = header_text(header::CACHE_CONTROL);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        content_type,
        cache_control,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(app: &axum::Router, path: &str) -> Answer {
    send(app, Request::get(path).body(Body::empty()).unwrap()).await
}

/// A fresh database holding `values` (JSON Lines), its search index built from it, as state
/// with the public url [`SITE`].
async fn state_with(values: &[Value]) -> (tempfile::TempDir, hallbar::AppState) {
    let (dir, pool) = test_db().await;
    if !values.is_empty() {
        hallbar::interchange::import(&pool, lines(values).as_bytes(), false)
            .await
            .unwrap();
    }
    // Opening builds the index from the database, so everything imported is searchable.
    let search = hallbar::search::open(dir.path(), &pool).await.unwrap();
    (
        dir,
        hallbar::AppState::new(pool, search).with_public_url(SITE),
    )
}

async fn app_with(values: &[Value]) -> (tempfile::TempDir, axum::Router) {
    let (dir, state) = state_with(values).await;
    (dir, hallbar::router(state))
}

/// The text between the first `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found in {text}"))
        + start.len();
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not found after {start:?}"));
    &text[from..from + to]
}

/// The `<main>` element's content (the page without header and footer).
fn main_of(html: &str) -> &str {
    between(html, "<main", "</main>")
}

/// Every `href` in `html`, with `&amp;` decoded.
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&"))
        .collect()
}

/// The `href` (decoded) of the link whose tag or text contains `marker`.
fn href_at(html: &str, marker: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} not found in {html}"));
    let start = html[..at].rfind("href=\"").unwrap() + "href=\"".len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].replace("&amp;", "&")
}

/// The decoded query pairs of a link.
fn query_pairs(href: &str) -> Vec<(String, String)> {
    let query = href.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn has_pair(href: &str, name: &str, value: &str) -> bool {
    query_pairs(href)
        .iter()
        .any(|(n, v)| n == name && v == value)
}

/// The `<input …>` tag of the checkbox `name=value`.
fn checkbox<'a>(html: &'a str, name: &str, value: &str) -> &'a str {
    let needle = format!(r#"name="{name}" value="{value}""#);
    let at = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no checkbox {name}={value}"));
    let start = html[..at].rfind("<input").unwrap();
    let end = at + html[at..].find('>').unwrap() + 1;
    &html[start..end]
}

/// Checks the frame every content page has, with `canonical` as the page's site path, and
/// returns the body.
fn assert_page(answer: &Answer, canonical: &str) -> String {
    let html = &answer.body;
    assert_eq!(answer.status, StatusCode::OK, "{canonical}: {html}");
    assert!(
        answer.content_type.starts_with("text/html"),
        "{canonical}: {}",
        answer.content_type
    );
    assert!(html.starts_with("<!DOCTYPE html>"), "{canonical}");
    assert!(html.contains(r#"<html lang="sv">"#), "{canonical}");
    assert_eq!(html.matches("<h1").count(), 1, "{canonical}: {html}");
    let title = between(html, "<title>", "</title>");
    assert!(title.ends_with(" – hallbar"), "{canonical}: {title}");
    assert!(title.len() > " – hallbar".len(), "{canonical}: {title}");
    let description = between(html, r#"<meta name="description" content=""#, "\"");
    assert!(!description.trim().is_empty(), "{canonical}");
    let absolute = format!("{SITE}{canonical}").replace('&', "&amp;");
    assert!(
        html.contains(&format!(r#"<link rel="canonical" href="{absolute}">"#)),
        "{canonical}: {}",
        between(html, "<head>", "</head>")
    );
    assert_eq!(html.matches(r#"rel="canonical""#).count(), 1);
    assert!(html.contains(r#"<nav class="main" aria-label="Huvudmeny">"#));
    html.clone()
}

/// Checks an error page: its status, in the layout, in Swedish, no canonical link.
fn assert_error_page(answer: &Answer, status: StatusCode, heading: &str) -> String {
    let html = &answer.body;
    assert_eq!(answer.status, status, "{html}");
    assert!(answer.content_type.starts_with("text/html"));
    assert!(html.contains(r#"<html lang="sv">"#));
    assert!(html.contains(r#"<nav class="main" aria-label="Huvudmeny">"#));
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(
        html.contains(&format!("<h1>{heading}</h1>")),
        "expected {heading}: {html}"
    );
    assert!(html.contains(&format!("<title>{heading} – hallbar</title>")));
    assert!(!html.contains(r#"rel="canonical""#));
    assert!(html.contains(r#"<a href="/">Till startsidan</a>"#));
    html.clone()
}

fn hidden_member(id: &str) -> Value {
    let mut m = member_json(id);
    m["synlighet"] = json!("medlemmar");
    m
}

fn dated_pivi(id: &str, published: &str) -> Value {
    let mut p = pivi_json(id, None);
    p["publicerad"] = json!(published);
    p
}

fn dated_article(id: &str, published: &str) -> Value {
    let mut a = article_json(id, "m", &[("mellanrum", "trygghet")]);
    a["publicerad"] = json!(published);
    a
}

#[tokio::test]
async fn the_start_page_lists_the_newest_entries_and_articles_and_the_support_models() {
    let dates = [
        ("p2012", "2012-01-01"),
        ("p2016", "2016-06-06"),
        ("p2013", "2013-03-03"),
        ("p2015", "2015-05-05"),
        ("p2011", "2011-11-11"),
        ("p2014", "2014-04-04"),
    ];
    let mut values = vec![matrix_json(
        "m",
        &[("mellanrum", "trygghet"), ("torg", "moten")],
    )];
    for (id, date) in dates {
        values.push(dated_pivi(id, date));
        values.push(dated_article(&format!("a{}", &id[1..]), date));
    }
    let (_dir, app) = app_with(&values).await;
    let html = assert_page(&get(&app, "/").await, "/");
    assert!(html.contains("<h1>Socialt hållbar utveckling i Göteborg</h1>"));

    // Newest five, newest first; the oldest is left out.
    let pivi = between(&html, r#"<h2 id="nytt-pivi">"#, "</section>");
    let shown: Vec<String> = hrefs(pivi)
        .into_iter()
        .filter(|h| h.starts_with("/pivi/"))
        .collect();
    assert_eq!(
        shown,
        [
            "/pivi/p2016",
            "/pivi/p2015",
            "/pivi/p2014",
            "/pivi/p2013",
            "/pivi/p2012"
        ]
    );
    assert!(pivi.contains(r#"<time datetime="2016-06-06">6 juni 2016</time>"#));
    assert!(!html.contains("p2011"));
    let articles = between(&html, r#"<h2 id="nya-artiklar">"#, "</section>");
    let shown: Vec<String> = hrefs(articles)
        .into_iter()
        .filter(|h| h.starts_with("/stadsutveckling/artiklar/"))
        .collect();
    assert_eq!(
        shown,
        [
            "/stadsutveckling/artiklar/a2016",
            "/stadsutveckling/artiklar/a2015",
            "/stadsutveckling/artiklar/a2014",
            "/stadsutveckling/artiklar/a2013",
            "/stadsutveckling/artiklar/a2012",
        ]
    );
    assert!(articles.contains("Artikel a2016"));
    assert!(!html.contains("a2011"));

    // The three support models, each linked, with what they hold.
    let models = between(&html, r#"<ul class="cards">"#, "</ul>");
    for (path, area, name) in [
        ("/stadsutveckling", "Stadsutveckling", "Kunskapsmatris"),
        (
            "/pivi",
            "Social utveckling",
            "pivi – projekt, idéer, verksamheter, inspiration",
        ),
        ("/medinflytande", "Medinflytande", "Dialogverktyget"),
    ] {
        assert!(
            models.contains(&format!(r#"<h3><a href="{path}">{area}</a></h3>"#)),
            "{area}: {models}"
        );
        assert!(
            models.contains(&format!("<strong>{name}</strong>")),
            "{name}"
        );
    }
    assert_eq!(models.matches("<li>").count(), 3);
    assert!(
        models.contains("2 rutor med kunskap och 6 artiklar"),
        "{models}"
    );
    assert!(
        models.contains("6 projekt, idéer, verksamheter"),
        "{models}"
    );
}

#[tokio::test]
async fn the_start_page_counts_in_good_swedish() {
    let (_dir, app) = app_with(&[
        matrix_json("m", &[("mellanrum", "trygghet")]),
        article_json("broar", "m", &[("mellanrum", "trygghet")]),
    ])
    .await;
    let html = get(&app, "/").await.body;
    assert!(html.contains("1 ruta med kunskap och 1 artikel"), "{html}");
}

/// Content for the search page: three pivi entries in Angered about läxhjälp, one about
/// trygghetsvandringar, a member, and a matrix.
async fn search_app() -> (tempfile::TempDir, axum::Router) {
    let mut trygg = pivi_json("trygga-stråk", None);
    trygg["id"] = json!("trygga-strak");
    trygg["titel"] = json!("Trygga stråk i Hammarkullen");
    trygg["sammanfattning"] = json!("Boende går trygghetsvandringar på kvällarna.");
    trygg["beskrivning"] = json!("Vi ordnar trygghetsvandringar med bostadsbolaget.");
    trygg["malgrupper"] = json!(["boende"]);
    trygg["taggar"] = json!(["trygghet"]);
    let mut elsewhere = pivi_json("laxhjalp-lundby", None);
    elsewhere["stadsdel"] = json!("lundby");
    app_with(&[
        member_json("anna"),
        pivi_json("laxhjalp-1", None),
        pivi_json("laxhjalp-2", None),
        pivi_json("laxhjalp-3", None),
        elsewhere,
        trygg,
        matrix_json("m", &[("mellanrum", "trygghet")]),
    ])
    .await
}

#[tokio::test]
async fn search_finds_compound_parts_and_highlights_them() {
    let (_dir, app) = search_app().await;
    let html = assert_page(&get(&app, "/sok?q=trygghet").await, "/sok?q=trygghet");
    assert!(
        html.contains("<h1>Sökresultat för ”trygghet”</h1>"),
        "{html}"
    );
    assert!(html.contains("<title>Sök: trygghet – hallbar</title>"));
    let results = between(&html, r#"<ol class="traffar""#, "</ol>");
    assert!(
        results.contains(r#"<a href="/pivi/trygga-strak">Trygga stråk i Hammarkullen</a>"#),
        "{results}"
    );
    assert!(
        results.contains("<mark>trygghetsvandringar</mark>"),
        "{results}"
    );
    // anna's background mentions trygghetsvandringar too; the matrix cell is about trygghet.
    assert!(results.contains(r#"href="/medlemmar/anna""#));
    assert!(results.contains(r#"href="/stadsutveckling/mellanrum/trygghet""#));
    let hits = results.matches(r#"<li class="traff">"#).count();
    assert_eq!(hits, 3, "{results}");
    let count = between(&html, r#"<p id="antal-traffar" role="status">"#, "</p>");
    assert_eq!(count, "<strong>3 träffar</strong> för ”trygghet”");
    // The query is kept in both search fields.
    assert!(html.contains(r#"<input id="q" type="search" name="q" value="trygghet""#));
    assert!(html.contains(r#"<input id="sok-huvud" type="search" name="q" value="trygghet""#));
}

#[tokio::test]
async fn ticked_facets_are_checked_and_removable_as_chips() {
    let (_dir, app) = search_app().await;
    let path = "/sok?q=l%C3%A4xhj%C3%A4lp&typ=pivi&stadsdel=angered";
    let html = assert_page(
        &get(&app, path).await,
        "/sok?q=l%C3%A4xhj%C3%A4lp&typ=pivi&stadsdel=angered",
    );
    let count = between(&html, r#"<p id="antal-traffar" role="status">"#, "</p>");
    assert!(count.starts_with("<strong>3 träffar</strong>"), "{count}");
    assert!(
        !html.contains("laxhjalp-lundby"),
        "the Lundby entry is filtered out"
    );
    assert!(checkbox(&html, "typ", "pivi").ends_with(" checked>"));
    assert!(checkbox(&html, "stadsdel", "angered").ends_with(" checked>"));
    // Unticked values are offered, unchecked, with their counts.
    let lundby = checkbox(&html, "stadsdel", "lundby");
    assert!(!lundby.contains("checked"), "{lundby}");
    assert!(checkbox(&html, "kategori", "projekt").ends_with("\">"));

    let chips = between(&html, r#"<ul class="valda-filter""#, "</ul>");
    let links = hrefs(chips);
    assert_eq!(links.len(), 3, "two filters and clear-all: {chips}");
    let without_type = links
        .iter()
        .find(|h| !has_pair(h, "typ", "pivi"))
        .expect("a chip removing typ");
    assert!(
        has_pair(without_type, "stadsdel", "angered"),
        "{without_type}"
    );
    assert!(has_pair(without_type, "q", "läxhjälp"), "{without_type}");
    let without_district = links
        .iter()
        .find(|h| !has_pair(h, "stadsdel", "angered"))
        .expect("a chip removing stadsdel");
    assert!(has_pair(without_district, "typ", "pivi"));
    assert!(has_pair(without_district, "q", "läxhjälp"));
    assert!(chips.contains("Typ: pivi ✕"));
    assert!(chips.contains("Stadsdel: Angered ✕"));
    // "Rensa alla" clears the filters but keeps what was searched for.
    assert_eq!(
        href_at(chips, ">Rensa alla</a>"),
        "/sok?q=l%C3%A4xhj%C3%A4lp"
    );

    // Following a chip really removes that filter.
    let html = get(&app, without_district).await.body;
    assert!(!checkbox(&html, "stadsdel", "angered").contains("checked"));
    assert!(checkbox(&html, "typ", "pivi").ends_with(" checked>"));
    assert!(html.contains("laxhjalp-lundby"));
}

#[tokio::test]
async fn pagination_links_keep_the_query_and_filters() {
    let (_dir, app) = search_app().await;
    let path = "/sok?q=l%C3%A4xhj%C3%A4lp&typ=pivi&stadsdel=angered&per_sida=1";
    let html = assert_page(&get(&app, path).await, path);
    assert!(html.contains(r#"<ol class="traffar" start="1">"#));
    assert_eq!(html.matches(r#"<li class="traff">"#).count(), 1);
    let nav = between(&html, r#"<nav class="sidor" aria-label="Sidor">"#, "</nav>");
    let links = hrefs(nav);
    assert!(!links.is_empty(), "{nav}");
    for href in &links {
        assert!(href.starts_with("/sok?"), "{href}");
        for (name, value) in [
            ("q", "läxhjälp"),
            ("typ", "pivi"),
            ("stadsdel", "angered"),
            ("per_sida", "1"),
        ] {
            assert!(has_pair(href, name, value), "{href} lacks {name}={value}");
        }
    }
    let pages: Vec<Option<String>> = links
        .iter()
        .map(|h| {
            query_pairs(h)
                .into_iter()
                .find(|(n, _)| n == "sida")
                .map(|(_, v)| v)
        })
        .collect();
    assert!(pages.contains(&None), "page 1 has no sida: {links:?}");
    assert!(pages.contains(&Some("2".into())), "{links:?}");
    assert!(pages.contains(&Some("3".into())), "{links:?}");
    assert!(
        !pages.contains(&Some("4".into())),
        "only three pages: {links:?}"
    );

    let next = href_at(nav, r#"rel="next""#);
    assert!(has_pair(&next, "sida", "2"), "{next}");
    // Each page is its own canonical page.
    let html = assert_page(&get(&app, &next).await, &format!("{path}&sida=2"));
    assert!(html.contains(r#"<ol class="traffar" start="2">"#), "{html}");
    assert!(html.contains(r#"aria-label="Sida 2, nuvarande""#));
    assert!(html.contains(r#"rel="prev""#));
    assert_eq!(html.matches(r#"<li class="traff">"#).count(), 1);
}

#[tokio::test]
async fn a_misspelling_with_no_hits_gets_did_you_mean() {
    let (_dir, app) = search_app().await;
    // Two edits from "hjällbo": beyond typo tolerance, within reach of "did you mean".
    let html = get(&app, "/sok?q=hjullbi").await.body;
    assert!(html.contains("<strong>0 träffar</strong>"), "{html}");
    let suggestion = between(&html, r#"<p class="menade-du">"#, "</p>");
    assert_eq!(
        suggestion,
        r#"Menade du <a href="/sok?q=hj%C3%A4llbo">hjällbo</a>?"#
    );
    let html = get(&app, "/sok?q=hj%C3%A4llbo").await.body;
    assert!(!html.contains("menade-du"));
    assert!(html.contains(r#"<li class="traff">"#));
}

#[tokio::test]
async fn nonsense_gets_the_empty_state() {
    let (_dir, app) = search_app().await;
    let html = assert_page(&get(&app, "/sok?q=xqzvwpk").await, "/sok?q=xqzvwpk");
    assert!(html.contains("<strong>0 träffar</strong> för ”xqzvwpk”"));
    assert!(html.contains("Inga träffar för ”xqzvwpk”."));
    assert!(html.contains(r#"<div class="tom">"#));
    assert!(!html.contains(r#"<ol class="traffar""#));
    assert!(!html.contains("menade-du"));
    // With a filter, the empty state offers the same search without it.
    let html = get(&app, "/sok?q=xqzvwpk&stadsdel=lundby").await.body;
    assert!(
        html.contains(r#"<a href="/sok?q=xqzvwpk">Sök utan filter</a>"#),
        "{html}"
    );
}

#[tokio::test]
async fn bad_search_parameters_get_a_swedish_400_page_naming_the_parameter() {
    let (_dir, app) = search_app().await;
    let long = "a".repeat(10_000);
    let long_path = format!("/sok?q={long}");
    for (path, parameter, explanation) in [
        ("/sok?sida=-1", "sida", "&quot;-1&quot; är inget heltal"),
        ("/sok?sida=0", "sida", "måste vara mellan 1 och 500"),
        ("/sok?sida=99999", "sida", "måste vara mellan 1 och 500"),
        ("/sok?typ=okand", "typ", "okänt värde &quot;okand&quot;"),
        (
            "/sok?stadsdel=mars",
            "stadsdel",
            "okänt värde &quot;mars&quot;",
        ),
        (
            long_path.as_str(),
            "q",
            "sökfrågan får vara högst 500 tecken",
        ),
        ("/pivi?sida=abc", "sida", "&quot;abc&quot; är inget heltal"),
        (
            "/medlemmar?sektor=kyrkan",
            "sektor",
            "okänt värde &quot;kyrkan&quot;",
        ),
    ] {
        let answer = get(&app, path).await;
        let html = assert_error_page(&answer, StatusCode::BAD_REQUEST, "Felaktig förfrågan");
        assert!(
            html.contains("Förfrågan kunde inte hanteras eftersom ett värde är felaktigt."),
            "{path}"
        );
        let detail = between(&html, "<p><strong>", "</p>");
        assert!(
            detail.starts_with(&format!("{parameter}</strong>: ")),
            "{path}: {detail}"
        );
        assert!(detail.contains(explanation), "{path}: {detail}");
        assert!(!html.contains(&long), "the long query is not echoed back");
    }
}

/// A matrix with two filled cells; two articles in one cell (one with Markdown), one in the
/// other.
async fn matrix_app() -> (tempfile::TempDir, axum::Router) {
    let mut broar = article_json("broar", "m", &[("mellanrum", "trygghet")]);
    broar["text"] = json!(
        "# Broar som mötesplats\n\nBroar kan **både skilja och förena** stadsdelar.\n\n\
         - Hisingsbron\n- Götaälvbron\n\nLäs mer hos [Göteborgs Stad](https://goteborg.se/)."
    );
    let mut passager = article_json("passager", "m", &[("mellanrum", "trygghet")]);
    passager["publicerad"] = json!("2016-01-01");
    let mut torget = article_json("torget", "m", &[("torg", "moten")]);
    torget["taggar"] = json!(["torghandel"]);
    app_with(&[
        matrix_json("m", &[("mellanrum", "trygghet"), ("torg", "moten")]),
        broar,
        passager,
        torget,
    ])
    .await
}

#[tokio::test]
async fn the_matrix_is_a_real_table_with_article_counts() {
    let (_dir, app) = matrix_app().await;
    let html = assert_page(&get(&app, "/stadsutveckling").await, "/stadsutveckling");
    let table = between(&html, "<table", "</table>");
    assert!(
        table.contains("<caption>Kunskapsmatris</caption>"),
        "{table}"
    );
    assert!(table.contains(r#"<th scope="col">Trygghet</th>"#));
    assert!(table.contains(r#"<th scope="col">Möten</th>"#));
    assert!(table.contains(r#"<th scope="row">Mellanrum</th>"#));
    assert!(table.contains(r#"<th scope="row">Torg</th>"#));
    let cell = between(
        table,
        r#"<a href="/stadsutveckling/mellanrum/trygghet">"#,
        "</td>",
    );
    assert!(
        cell.contains("Kunskap om mellanrum och trygghet."),
        "{cell}"
    );
    assert!(
        cell.contains(r#"<span class="antal">2 artiklar</span>"#),
        "{cell}"
    );
    let cell = between(table, r#"<a href="/stadsutveckling/torg/moten">"#, "</td>");
    assert!(
        cell.contains(r#"<span class="antal">1 artikel</span>"#),
        "{cell}"
    );
    // The two empty cells link nowhere.
    assert_eq!(
        hrefs(table)
            .iter()
            .filter(|h| h.starts_with("/stadsutveckling/"))
            .count(),
        2
    );
    assert_eq!(table.matches("Ingen kunskap samlad ännu").count(), 2);
}

#[tokio::test]
async fn a_cell_page_lists_its_articles() {
    let (_dir, app) = matrix_app().await;
    let path = "/stadsutveckling/mellanrum/trygghet";
    let html = assert_page(&get(&app, path).await, path);
    assert!(html.contains("<h1>Mellanrum – Trygghet</h1>"));
    assert!(html.contains("Kunskap om mellanrum och trygghet."));
    let list = between(&html, r#"<ul class="artiklar list">"#, "</ul>");
    assert!(list.contains(r#"<a href="/stadsutveckling/artiklar/broar">Artikel broar</a>"#));
    assert!(list.contains(r#"<a href="/stadsutveckling/artiklar/passager">Artikel passager</a>"#));
    assert!(!list.contains("torget"), "{list}");

    for missing in [
        "/stadsutveckling/mellanrum/okand",
        "/stadsutveckling/okand/trygghet",
        // Both axis values exist, but nothing is known about the cell yet.
        "/stadsutveckling/mellanrum/moten",
    ] {
        assert_error_page(
            &get(&app, missing).await,
            StatusCode::NOT_FOUND,
            "Sidan finns inte",
        );
    }
}

#[tokio::test]
async fn an_article_page_renders_markdown_and_shows_cells_and_related_articles() {
    let (_dir, app) = matrix_app().await;
    let path = "/stadsutveckling/artiklar/broar";
    let html = assert_page(&get(&app, path).await, path);
    assert!(html.contains("<h1>Artikel broar</h1>"));
    // The text's own "#" heading is shifted below the page's h1.
    assert!(html.contains("<h2>Broar som mötesplats</h2>"), "{html}");
    assert!(html.contains("<strong>både skilja och förena</strong>"));
    assert!(html.contains("<li>Hisingsbron</li>"));
    assert!(html.contains(r#"href="https://goteborg.se/""#));
    assert!(!html.contains("**"));
    let cells = between(&html, "<h2>Hör till rutorna</h2>", "</ul>");
    assert!(
        cells.contains(r#"<a href="/stadsutveckling/mellanrum/trygghet">Mellanrum – Trygghet</a>"#),
        "{cells}"
    );
    let related = between(&html, "<h2>Relaterade artiklar</h2>", "</ul>");
    // passager shares the cell; torget shares neither a cell nor a subject.
    assert!(
        related.contains("/stadsutveckling/artiklar/passager"),
        "{related}"
    );
    assert!(
        !related.contains("/stadsutveckling/artiklar/broar"),
        "not itself"
    );
    assert!(!related.contains("torget"), "nothing in common: {related}");

    assert_error_page(
        &get(&app, "/stadsutveckling/artiklar/finns-inte").await,
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
    );
}

/// A public member, a members-only member, and pivi entries with each as contact.
async fn pivi_app() -> (tempfile::TempDir, axum::Router) {
    let mut anna = member_json("anna");
    anna["bakgrund"] = json!("Samordnar läxhjälp och trygghetsvandringar i Hammarkullen.");
    let mut trygg = pivi_json("trygga-strak", Some("anna"));
    trygg["titel"] = json!("Trygga stråk i Hammarkullen");
    trygg["beskrivning"] = json!("Boende går trygghetsvandringar på kvällarna.");
    trygg["publicerad"] = json!("2016-02-02");
    let mut idea = pivi_json("laxhjalp-ide", None);
    idea["kategori"] = json!("ide");
    idea["stadsdel"] = json!("lundby");
    idea["period"] = json!({"fran": 2017, "till": 2018});
    app_with(&[
        anna,
        hidden_member("dold"),
        trygg,
        pivi_json("laxhjalp", Some("dold")),
        idea,
    ])
    .await
}

#[tokio::test]
async fn the_pivi_catalogue_holds_only_pivi_entries_with_its_own_facets() {
    let (_dir, app) = pivi_app().await;
    let html = assert_page(&get(&app, "/pivi").await, "/pivi");
    assert!(html.contains("<h1>Social utveckling – pivi</h1>"));
    let results = between(&html, r#"<ol class="traffar""#, "</ol>");
    assert_eq!(results.matches(r#"<li class="traff">"#).count(), 3);

    // "Hammarkullen" is in anna's background and in one entry; only the entry is listed.
    let path = "/pivi?q=hammarkullen";
    let html = assert_page(&get(&app, path).await, path);
    let results = between(&html, r#"<ol class="traffar""#, "</ol>");
    assert!(
        results.contains(r#"href="/pivi/trygga-strak""#),
        "{results}"
    );
    assert!(!html.contains("/medlemmar/anna"), "{html}");
    assert!(html.contains("<strong>1 träff</strong>"));
    let main = main_of(&html);
    for legend in ["Kategori", "Stadsdel", "Målgrupp", "År"] {
        assert!(
            main.contains(&format!("<legend>{legend}</legend>")),
            "{legend}"
        );
    }
    for absent in ["Sektor", "Typ", "Kompetens", "Fas"] {
        assert!(
            !main.contains(&format!("<legend>{absent}</legend>")),
            "{absent}"
        );
    }
    assert!(!main.contains(r#"name="sektor""#));
    assert!(!main.contains(r#"name="typ""#));

    // A typ in the URL has no say: the catalogue stays pivi only, and no 400 either.
    let html = get(&app, "/pivi?q=hammarkullen&typ=medlem").await.body;
    assert!(html.contains(r#"href="/pivi/trygga-strak""#));
    assert!(!html.contains("/medlemmar/anna"));
    assert_eq!(get(&app, "/pivi?typ=okand").await.status, StatusCode::OK);

    // Its facets filter.
    let html = get(&app, "/pivi?kategori=ide").await.body;
    assert!(html.contains("<strong>1 träff</strong>"), "{html}");
    assert!(html.contains(r#"href="/pivi/laxhjalp-ide""#));
    assert!(checkbox(&html, "kategori", "ide").ends_with(" checked>"));
    let chips = between(&html, r#"<ul class="valda-filter""#, "</ul>");
    assert!(hrefs(chips).contains(&"/pivi".to_string()), "{chips}");
}

#[tokio::test]
async fn a_pivi_entry_links_a_public_contact_and_lists_similar_entries() {
    let (_dir, app) = pivi_app().await;
    let path = "/pivi/trygga-strak";
    let html = assert_page(&get(&app, path).await, path);
    assert!(html.contains("<h1>Trygga stråk i Hammarkullen</h1>"));
    let facts = between(&html, r#"<dl class="facts">"#, "</dl>");
    for fact in [
        r#"<a href="/pivi?kategori=projekt">Projekt</a>"#,
        r#"<a href="/pivi?stadsdel=angered">Angered</a>"#,
        "<dd>Hjällbo bibliotek</dd>",
        r#"<a href="/pivi?malgrupp=unga">Unga</a>"#,
        "<dd>sedan 2014</dd>",
        r#"<time datetime="2016-02-02">2 februari 2016</time>"#,
    ] {
        assert!(facts.contains(fact), "{fact} missing in {facts}");
    }
    assert!(html.contains("<p>Boende går trygghetsvandringar på kvällarna.</p>"));
    assert!(html.contains(
        r#"<a href="https://goteborg.se/" rel="noopener noreferrer">Göteborgs Stad</a>"#
    ));
    let contact = between(&html, "<h2>Kontakt</h2>", "</p>");
    assert!(
        contact.contains(r#"<a href="/medlemmar/anna">Sara Ek</a>"#),
        "{contact}"
    );
    assert!(contact.contains(r#"<a href="mailto:sara.ek@example.org">"#));

    let similar = between(&html, r#"<section id="liknande""#, "</section>");
    let links: Vec<String> = hrefs(similar);
    assert!(!links.is_empty(), "{similar}");
    assert!(links.iter().all(|h| h.starts_with("/pivi/")), "{links:?}");
    assert!(
        !links.contains(&"/pivi/trygga-strak".to_string()),
        "not itself"
    );
    assert!(links.contains(&"/pivi/laxhjalp".to_string()), "{links:?}");
}

#[tokio::test]
async fn a_members_only_contact_is_named_but_not_linked() {
    let (_dir, app) = pivi_app().await;
    let path = "/pivi/laxhjalp";
    let html = assert_page(&get(&app, path).await, path);
    let contact = between(&html, "<h2>Kontakt</h2>", "</p>");
    assert!(contact.starts_with("<p>Sara Ek, "), "{contact}");
    assert!(!html.contains("/medlemmar/dold"));
    assert_error_page(
        &get(&app, "/pivi/finns-inte").await,
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
    );
}

/// Dialogue texts in two phases: a text, a checklist and an experience in the first.
async fn dialogue_app() -> (tempfile::TempDir, axum::Router) {
    let mut experience = dialogue_json("erfarenhet-angered", "erfarenhet", &[]);
    experience["titel"] = json!("Så gick det i Angered");
    let mut follow_up = dialogue_json("utvardera", "text", &[]);
    follow_up["fas"] = json!("uppfoljning");
    follow_up["titel"] = json!("Utvärdera dialogen");
    app_with(&[
        dialogue_json("syfte", "text", &[]),
        dialogue_json(
            "checklista-infor",
            "checklista",
            &[
                "Syftet är formulerat",
                "Deltagarna är <inbjudna>",
                "Lokalen är bokad",
            ],
        ),
        experience,
        follow_up,
    ])
    .await
}

#[tokio::test]
async fn the_dialogue_tool_shows_the_four_phases_in_order() {
    let (_dir, app) = dialogue_app().await;
    let html = assert_page(&get(&app, "/medinflytande").await, "/medinflytande");
    let main = main_of(&html);
    let positions: Vec<usize> = [
        ("forberedelser", "Förberedelser"),
        ("inventering", "Inventering"),
        ("genomforande", "Genomförande"),
        ("uppfoljning", "Uppföljning"),
    ]
    .iter()
    .map(|(slug, label)| {
        main.find(&format!(r#"<a href="/medinflytande/{slug}">{label}</a>"#))
            .unwrap_or_else(|| panic!("{label} missing"))
    })
    .collect();
    assert!(positions.is_sorted(), "{positions:?}");
    assert!(
        main.contains("1 text, 1 checklista, 1 erfarenhet"),
        "{main}"
    );
    assert!(main.contains("1 text, 0 checklistor, 0 erfarenheter"));
}

#[tokio::test]
async fn a_phase_page_lists_its_texts_by_kind() {
    let (_dir, app) = dialogue_app().await;
    let path = "/medinflytande/forberedelser";
    let html = assert_page(&get(&app, path).await, path);
    assert!(html.contains("<h1>Förberedelser</h1>"));
    let texts = between(&html, r#"<ul class="list texter">"#, "</ul>");
    assert!(texts.contains(r#"<a href="/medinflytande/forberedelser/syfte">Text syfte</a>"#));
    let checklists = between(&html, r#"<ul class="list checklistor">"#, "</ul>");
    assert!(checklists.contains(
        r#"<a href="/medinflytande/forberedelser/checklista-infor">Text checklista-infor</a>"#
    ));
    let experiences = between(&html, r#"<ul class="list erfarenheter">"#, "</ul>");
    assert!(experiences.contains("Så gick det i Angered"));
    assert!(!html.contains("utvardera"), "another phase's text");
    assert!(html.contains(r#"Nästa fas: <a href="/medinflytande/inventering">Inventering</a>"#));

    let html = get(&app, "/medinflytande/inventering").await.body;
    assert!(html.contains("Inga texter i den här fasen ännu."));
    assert!(!html.contains(r#"<ul class="list checklistor">"#));

    assert_error_page(
        &get(&app, "/medinflytande/okand").await,
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
    );
}

#[tokio::test]
async fn a_checklist_is_real_labelled_checkboxes_with_its_script() {
    let (_dir, app) = dialogue_app().await;
    let path = "/medinflytande/forberedelser/checklista-infor";
    let html = assert_page(&get(&app, path).await, path);
    let list = between(&html, r#"<ul class="checklista""#, "</ul>");
    let items: Vec<&str> = list.split("<li>").skip(1).collect();
    assert_eq!(items.len(), 3, "{list}");
    for (i, item) in items.iter().enumerate() {
        let id = between(item, r#"<input type="checkbox" id=""#, "\"");
        assert_eq!(id, format!("punkt-{}", i + 1));
        assert!(item.contains(&format!(r#"<label for="{id}">"#)), "{item}");
    }
    assert!(list.contains("<label for=\"punkt-2\">Deltagarna är &lt;inbjudna&gt;</label>"));
    let script = between(&html, r#"<script src="/static/checklista-"#, "\"");
    let script_path = format!("/static/checklista-{script}");
    let answer = get(&app, &script_path).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/javascript"));

    // A plain text has no checklist and no checklist script.
    let path = "/medinflytande/forberedelser/syfte";
    let html = assert_page(&get(&app, path).await, path);
    assert!(!html.contains("/static/checklista-"), "{html}");
    assert!(html.contains("<p>Formulera syftet först.</p>"));
    assert!(html.contains("Mer i fasen Förberedelser"));

    // A text lives under its own phase only.
    for missing in [
        "/medinflytande/inventering/syfte",
        "/medinflytande/forberedelser/utvardera",
        "/medinflytande/forberedelser/finns-inte",
        "/medinflytande/okand/syfte",
    ] {
        assert_error_page(
            &get(&app, missing).await,
            StatusCode::NOT_FOUND,
            "Sidan finns inte",
        );
    }
    let path = "/medinflytande/uppfoljning/utvardera";
    assert_page(&get(&app, path).await, path);
}

#[tokio::test]
async fn anonymous_visitors_find_only_public_profiles() {
    let mut anna = member_json("anna");
    anna["bakgrund"] = json!("Samordnar stadsodling i Hammarkullen.");
    let mut hidden = hidden_member("dold");
    hidden["namn"] = json!("Hemliga Hedda");
    hidden["sektor"] = json!("akademi");
    hidden["bakgrund"] = json!("Forskar om stadsodling i Hammarkullen.");
    hidden["kompetenser"] = json!(["hemlighetsmakeri"]);
    let (_dir, app) = app_with(&[anna, hidden]).await;

    let html = assert_page(&get(&app, "/medlemmar").await, "/medlemmar");
    assert!(html.contains("<h1>Medlemmar</h1>"));
    assert!(html.contains(r#"<a href="/medlemmar/anna">Namn anna</a>"#));
    assert!(html.contains("<strong>1 träff</strong>"));
    assert!(!html.contains("Hemliga Hedda"));
    assert!(!html.contains("/medlemmar/dold"));
    // The facets count public profiles only: a sector and competence only the hidden
    // profile has are not offered, and Angered (both live there) counts one.
    assert!(!html.contains(r#"value="akademi""#), "{html}");
    assert!(!html.contains("hemlighetsmakeri"));
    let angered = between(&html, r#"value="angered">"#, "</label>");
    assert!(
        angered.contains(r#"<span class="count">(1)</span>"#),
        "{angered}"
    );

    let path = "/medlemmar?q=stadsodling";
    let html = assert_page(&get(&app, path).await, path);
    assert!(html.contains("<strong>1 träff</strong>"), "{html}");
    assert!(html.contains(r#"href="/medlemmar/anna""#));
    assert!(!html.contains("Hedda"));
    for path in [
        "/medlemmar?q=Hedda",
        "/sok?q=Hedda",
        "/sok?q=hemlighetsmakeri",
    ] {
        let html = get(&app, path).await.body;
        assert!(
            html.contains("<strong>0 träffar</strong>"),
            "{path}: {html}"
        );
        assert!(!html.contains("/medlemmar/dold"), "{path}");
    }
    let html = get(&app, "/medlemmar?sektor=akademi").await.body;
    assert!(html.contains("<strong>0 träffar</strong>"), "{html}");

    let path = "/medlemmar/anna";
    let html = assert_page(&get(&app, path).await, path);
    assert!(html.contains("<h1>Namn anna</h1>"));
    assert!(html.contains("<p>Samordnar stadsodling i Hammarkullen.</p>"));
    assert!(html.contains(r#"<a href="/medlemmar?sektor=kommun">Göteborgs Stad</a>"#));
    assert!(html.contains(r#"<a href="/medlemmar?kompetens=medborgardialog""#));
    assert!(
        !html.contains("/medlemmar/dold"),
        "not suggested as a colleague"
    );
    assert_error_page(
        &get(&app, "/medlemmar/dold").await,
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
    );
    assert_error_page(
        &get(&app, "/medlemmar/finns-inte").await,
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
    );
}

#[tokio::test]
async fn anonymous_visitors_see_no_groups() {
    let (_dir, app) = app_with(&[
        member_json("anna"),
        group_json("oppna-gruppen", "anna", &["anna"], "oppen"),
        group_json("stangda-gruppen", "anna", &["anna"], "stangd"),
        thread_json("t", "oppna-gruppen", &[("anna", "Hej alla i gruppen")]),
    ])
    .await;
    for path in ["/grupper", "/grupper?q=grupp"] {
        let html = assert_page(&get(&app, path).await, "/grupper");
        assert!(html.contains("<h1>Grupper</h1>"));
        assert!(html.contains("visas inga grupper här när du inte är inloggad"));
        assert!(!html.contains("Grupp oppna-gruppen"), "{html}");
        assert!(!html.contains("Grupp stangda-gruppen"), "{html}");
        assert!(!html.contains("Hej alla"));
    }
    let html = get(&app, "/sok?q=grupp").await.body;
    assert!(!html.contains("oppna-gruppen"));
    assert!(!html.contains("stangda-gruppen"));
}

#[tokio::test]
async fn the_service_pages_answer() {
    let (_dir, app) = app_with(&[]).await;
    for (path, h1) in [
        ("/om", "Om hallbar"),
        ("/tillganglighet", "Tillgänglighets&shy;redogörelse"),
        ("/kontakt", "Kontakt"),
        ("/logga-in", "Logga in"),
    ] {
        let html = assert_page(&get(&app, path).await, path);
        assert!(html.contains(&format!("<h1>{h1}</h1>")), "{path}");
    }
    let html = get(&app, "/logga-in").await.body;
    assert!(html.contains(r#"<a href="/logga-in" aria-current="page">Logga in</a>"#));
    let html = get(&app, "/tillganglighet").await.body;
    assert!(html.contains("WCAG 2.1"));
    let html = get(&app, "/kontakt").await.body;
    assert!(!html.contains("mailto:"), "no address configured");
}

#[tokio::test]
async fn the_contact_page_names_the_configured_address() {
    let (_dir, state) = state_with(&[]).await;
    let app = hallbar::router(state.with_contact_email(Some("hej@exempel.se".into())));
    let html = assert_page(&get(&app, "/kontakt").await, "/kontakt");
    assert!(
        html.contains(r#"<a href="mailto:hej@exempel.se">hej@exempel.se</a>"#),
        "{html}"
    );
}

#[tokio::test]
async fn assets_are_served_under_hashed_names_only() {
    let (_dir, app) = app_with(&[]).await;
    let html = get(&app, "/").await.body;
    let stylesheet = between(&html, r#"<link rel="stylesheet" href=""#, "\"").to_string();
    assert!(stylesheet.starts_with("/static/hallbar-"), "{stylesheet}");
    assert!(stylesheet.ends_with(".css"));
    let answer = get(&app, &stylesheet).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer.content_type.starts_with("text/css"),
        "{}",
        answer.content_type
    );
    assert!(
        answer.cache_control.contains("immutable"),
        "{}",
        answer.cache_control
    );
    assert!(answer.cache_control.contains("max-age="));
    assert!(answer.body.contains('{'), "a stylesheet: {}", answer.body);
    let script = between(&html, r#"<script src=""#, "\"").to_string();
    let answer = get(&app, &script).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/javascript"));
    assert!(answer.cache_control.contains("immutable"));

    for path in [
        "/static/hallbar.css",
        "/static/hallbar-000000000000.css",
        "/static/sok.js",
    ] {
        let answer = get(&app, path).await;
        assert_error_page(&answer, StatusCode::NOT_FOUND, "Sidan finns inte");
        assert!(!answer.cache_control.contains("immutable"), "{path}");
    }
}

#[tokio::test]
async fn user_text_is_always_escaped() {
    const SCRIPT: &str = "<script>alert(1)</script>";
    const IMG: &str = r#""><img src=x onerror=alert(1)>"#;
    const LINK: &str = "[x](javascript:alert(1))";
    let hostile = format!("Farlig {SCRIPT} {IMG}");
    let markdown = format!("Skadlig text {LINK} och {SCRIPT} och {IMG}");

    let mut member = member_json("elak");
    member["namn"] = json!(format!("Elak {SCRIPT}"));
    member["titel"] = json!(IMG);
    member["organisation"] = json!(hostile);
    member["bakgrund"] = json!(format!("Farlig bakgrund {SCRIPT} {IMG}"));
    member["kompetenser"] = json!([format!("farlig {SCRIPT}")]);
    let mut entry = pivi_json("elak", Some("elak"));
    entry["titel"] = json!(hostile);
    entry["sammanfattning"] = json!(hostile);
    entry["beskrivning"] = json!(markdown);
    entry["organisation"] = json!(hostile);
    entry["taggar"] = json!([format!("farlig {SCRIPT}")]);
    entry["kontakt"]["namn"] = json!(IMG);
    entry["lankar"] = json!([{"titel": hostile, "url": "https://goteborg.se/"}]);
    let mut article = article_json("elak", "m", &[("mellanrum", "trygghet")]);
    article["titel"] = json!(hostile);
    article["ingress"] = json!(hostile);
    article["text"] = json!(markdown);
    article["forfattare"] = json!(IMG);
    let mut text = dialogue_json("elak", "checklista", &[SCRIPT, IMG]);
    text["titel"] = json!(hostile);
    text["ingress"] = json!(hostile);
    text["text"] = json!(markdown);
    let (_dir, app) = app_with(&[
        member,
        entry,
        matrix_json("m", &[("mellanrum", "trygghet")]),
        article,
        text,
    ])
    .await;

    for path in [
        "/",
        "/pivi/elak",
        "/stadsutveckling/artiklar/elak",
        "/stadsutveckling/mellanrum/trygghet",
        "/medinflytande/forberedelser",
        "/medinflytande/forberedelser/elak",
        "/medlemmar/elak",
        "/sok?q=farlig",
        "/sok?q=alert",
        "/sok?q=farlig&sortera=nyast",
        "/pivi?q=farlig",
        "/medlemmar?q=farlig",
        "/sok?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/sok?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
    ] {
        let answer = get(&app, path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        let html = &answer.body;
        assert!(!html.contains("<script>alert"), "{path}: {html}");
        assert!(!html.contains("<img src=x"), "{path}: {html}");
        // Sanitised Markdown may keep an image, never its event handlers.
        for tag in html.split("<img").skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            assert!(!tag.contains("on"), "{path}: <img{tag}>");
        }
        assert!(!html.contains("javascript:"), "{path}: {html}");
        assert!(!html.contains("onerror=alert(1)>"), "{path}");
    }
    // Where it is plain text it is shown, escaped.
    for path in [
        "/",
        "/pivi/elak",
        "/stadsutveckling/artiklar/elak",
        "/medinflytande/forberedelser/elak",
        "/medlemmar/elak",
        "/sok?q=farlig",
    ] {
        let html = get(&app, path).await.body;
        assert!(
            html.contains("Farlig &lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: {html}"
        );
    }
    let html = get(&app, "/pivi/elak").await.body;
    assert!(html.contains("<h1>Farlig &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img"));
    assert!(html.contains(r#"<meta name="description" content="Farlig &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img"#));
    // The Markdown link keeps its text and loses its target.
    assert!(
        html.contains("Skadlig text <a rel=\"noopener noreferrer\">x</a>"),
        "{html}"
    );
    let html = get(&app, "/medinflytande/forberedelser/elak").await.body;
    assert!(html.contains("<label for=\"punkt-1\">&lt;script&gt;alert(1)&lt;/script&gt;</label>"));
}

#[tokio::test]
async fn unknown_paths_and_methods_get_swedish_pages_in_the_layout() {
    let (_dir, app) = app_with(&[]).await;
    let answer = get(&app, "/finns/inte").await;
    let html = assert_error_page(&answer, StatusCode::NOT_FOUND, "Sidan finns inte");
    assert!(html.contains("Vi hittar ingen sida på den här adressen."));
    assert!(html.contains(r#"<a href="/stadsutveckling">Stadsutveckling</a>"#));

    let answer = send(&app, Request::post("/sok").body(Body::empty()).unwrap()).await;
    let html = assert_error_page(
        &answer,
        StatusCode::METHOD_NOT_ALLOWED,
        "Åtgärden stöds inte",
    );
    assert!(html.contains("Den här sidan kan inte ta emot den här sortens förfrågan."));
}

#[tokio::test]
async fn review_findings_stay_fixed() {
    let (_dir, app) = search_app().await;

    // A facet the catalogue does not offer is ignored, not applied invisibly.
    let html = get(&app, "/pivi?sektor=kommun&q=läxhjälp").await.body;
    assert!(!html.contains("Inget matchar filtren"), "{html}");
    assert!(main_of(&html).contains("/pivi/laxhjalp-1"));
    let canonical = between(&html, r#"<link rel="canonical" href=""#, "\"");
    assert!(!canonical.contains("sektor"), "{canonical}");

    // A chip removes its filter even when the URL spelled the value differently.
    let html = get(&app, "/sok?q=l%C3%A4xhj%C3%A4lp&stadsdel=angered%20")
        .await
        .body;
    let chip = href_at(&html, "Ta bort filtret Stadsdel");
    assert!(!chip.contains("stadsdel"), "{chip}");
    assert!(has_pair(&chip, "q", "läxhjälp"), "{chip}");

    // A page past the last one says so and links to pages that exist.
    let html = get(&app, "/sok?q=l%C3%A4xhj%C3%A4lp&sida=9").await.body;
    assert!(html.contains("Sidan 9 finns inte."), "{html}");
    assert!(html.contains("Till första sidan"));

    // A path that is not UTF-8 is the Swedish 404 page, not a plain-text error.
    let answer = get(&app, "/pivi/%FF").await;
    assert_error_page(&answer, StatusCode::NOT_FOUND, "Sidan finns inte");

    // The section is marked as current on its pages below, as "page" only on itself.
    let html = get(&app, "/pivi/laxhjalp-1").await.body;
    assert!(
        html.contains(r#"<a href="/pivi" aria-current="true">"#),
        "{html}"
    );
    let html = get(&app, "/pivi").await.body;
    assert!(html.contains(r#"<a href="/pivi" aria-current="page">"#));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (_dir, app) = app_with(&[]).await;
    for path in ["/", "/finns-inte", "/api/v1/sok?q=x", "/sitemap.xml"] {
        let response = app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let headers = response.headers();
        let csp = headers
            .get(header::CONTENT_SECURITY_POLICY)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
        assert!(headers.contains_key(header::REFERRER_POLICY), "{path}");
    }
}

#[tokio::test]
async fn a_failing_database_gives_the_swedish_500_page_without_the_cause() {
    let (_dir, state) = state_with(&[pivi_json("p", None)]).await;
    let pool = state.db.clone();
    let app = hallbar::router(state);
    pool.close().await;
    for path in ["/", "/pivi/p", "/stadsutveckling", "/medinflytande"] {
        let answer = get(&app, path).await;
        let html = assert_error_page(&answer, StatusCode::INTERNAL_SERVER_ERROR, "Något gick fel");
        assert!(html.contains("Försök igen om en stund"), "{path}");
        assert!(!html.to_lowercase().contains("pool"), "{path}: {html}");
        assert!(!html.contains("databasfel"), "{path}: {html}");
    }
}

/// AGPL-3.0 §13: every page links to `/kallkod`, which offers the archive of the sources the
/// binary was built from (a real tar.gz with the workspace's manifest and code in it), and
/// the operator's published source when `--source-url` is set.
#[tokio::test]
async fn every_page_links_to_the_source_which_is_a_real_archive() {
    let (_dir, state) = state_with(&[]).await;
    let app = hallbar::router(state.clone());
    for path in ["/", "/om", "/finns-inte"] {
        let html = get(&app, path).await.body;
        assert!(
            html.contains(r#"<a href="/kallkod">Källkod</a>"#),
            "{path}: no source link in the footer"
        );
    }
    let html = assert_page(&get(&app, "/kallkod").await, "/kallkod");
    assert!(html.contains("AGPL-3.0-or-later"));
    assert!(!html.contains("publicerar också"), "no --source-url given");
    let version = env!("CARGO_PKG_VERSION");
    let archive_path = format!("/kallkod/hallbar-{version}.tar.gz");
    assert!(
        html.contains(&format!(r#"href="{archive_path}""#)),
        "{html}"
    );

    let response = app
        .clone()
        .oneshot(Request::get(&archive_path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/gzip");
    assert!(
        response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let archive = response.into_body().collect().await.unwrap().to_bytes();
    // The system's tar checks the gzip stream and every header's checksum.
    let mut tar = std::process::Command::new("tar")
        .arg("-tzf")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = tar.stdin.take().unwrap();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &archive));
    let listing = tar.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(listing.status.success(), "not a valid tar.gz");
    let names = String::from_utf8(listing.stdout).unwrap();
    let root = format!("hallbar-{version}");
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "LICENSE",
        "README.md",
        "build.rs",
        "src/main.rs",
        "src/http/source.rs",
        "index/Cargo.toml",
        "index/lexicon/sv-lexicon.tsv.gz",
        "templates/src/layout.rs",
        "migrations/20261126000001_initial.sql",
        "data/demo",
    ] {
        assert!(
            names
                .lines()
                .any(|n| n.starts_with(&format!("{root}/{file}"))),
            "{file} missing from the archive:\n{names}"
        );
    }
    assert!(!names.contains("hallbar.db"), "the archive holds no data");
    // Every file git tracks is in it, except what build.rs leaves out on purpose (a new
    // top-level file or directory has to be added to its list).
    let tracked = std::process::Command::new("git")
        .args(["ls-files"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|out| out.status.success());
    // Not a git checkout (a source archive): nothing to compare with.
    if let Some(tracked) = tracked {
        let left_out = [
            "tests/",
            "index/tests/",
            "benches/",
            ".ci/",
            ".gitignore",
            "test",
        ];
        for file in String::from_utf8_lossy(&tracked.stdout).lines() {
            if left_out.iter().any(|prefix| {
                file == *prefix || (prefix.ends_with('/') && file.starts_with(prefix))
            }) {
                continue;
            }
            let entry = format!("{root}/{file}");
            assert!(
                names.lines().any(|n| n == entry),
                "{file} is tracked but not in the source archive: add it to SOURCES in build.rs"
            );
        }
    }

    let app = hallbar::router(state.with_source_url(Some("https://git.exempel.se/hallbar".into())));
    let html = get(&app, "/kallkod").await.body;
    assert!(
        html.contains(r#"<a href="https://git.exempel.se/hallbar">"#),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"href="{archive_path}""#)),
        "the archive stays"
    );
}
