//! The search page `/sok`: compound parts, facets and chips, paging, "Menade du", empty states and 400s.

use axum::http::StatusCode;
use serde_json::json;

use crate::support::*;

/// Content for the search page: three pivi entries in Angered about läxhjälp, one about
/// trygghetsvandringar, a member, and a matrix.
pub async fn search_app() -> TestApp {
    let mut trygg = pivi_json("trygga-stråk", None);
    trygg["id"] = json!("trygga-strak");
    trygg["titel"] = json!("Trygga stråk i Hammarkullen");
    trygg["sammanfattning"] = json!("Boende går trygghetsvandringar på kvällarna.");
    trygg["beskrivning"] = json!("Vi ordnar trygghetsvandringar med bostadsbolaget.");
    trygg["malgrupper"] = json!(["boende"]);
    trygg["taggar"] = json!(["trygghet"]);
    let mut elsewhere = pivi_json("laxhjalp-lundby", None);
    elsewhere["stadsdel"] = json!("lundby");
    TestApp::with(&[
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
    let app = search_app().await;
    let html = assert_page(&app.get("/sok?q=trygghet").await, "/sok?q=trygghet");
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
    let app = search_app().await;
    let path = "/sok?q=l%C3%A4xhj%C3%A4lp&typ=pivi&stadsdel=angered";
    let html = assert_page(
        &app.get(path).await,
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
    let html = app.get(without_district).await.body;
    assert!(!checkbox(&html, "stadsdel", "angered").contains("checked"));
    assert!(checkbox(&html, "typ", "pivi").ends_with(" checked>"));
    assert!(html.contains("laxhjalp-lundby"));
}

#[tokio::test]
async fn pagination_links_keep_the_query_and_filters() {
    let app = search_app().await;
    let path = "/sok?q=l%C3%A4xhj%C3%A4lp&typ=pivi&stadsdel=angered&per_sida=1";
    let html = assert_page(&app.get(path).await, path);
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
    let html = assert_page(&app.get(&next).await, &format!("{path}&sida=2"));
    assert!(html.contains(r#"<ol class="traffar" start="2">"#), "{html}");
    assert!(html.contains(r#"aria-label="Sida 2, nuvarande""#));
    assert!(html.contains(r#"rel="prev""#));
    assert_eq!(html.matches(r#"<li class="traff">"#).count(), 1);
}

#[tokio::test]
async fn a_misspelling_with_no_hits_gets_did_you_mean() {
    let app = search_app().await;
    // Two edits from "hjällbo": beyond typo tolerance, within reach of "did you mean".
    let html = app.get("/sok?q=hjullbi").await.body;
    assert!(html.contains("<strong>0 träffar</strong>"), "{html}");
    let suggestion = between(&html, r#"<p class="menade-du">"#, "</p>");
    assert_eq!(
        suggestion,
        r#"Menade du <a href="/sok?q=hj%C3%A4llbo">hjällbo</a>?"#
    );
    let html = app.get("/sok?q=hj%C3%A4llbo").await.body;
    assert!(!html.contains("menade-du"));
    assert!(html.contains(r#"<li class="traff">"#));
}

#[tokio::test]
async fn nonsense_gets_the_empty_state() {
    let app = search_app().await;
    let html = assert_page(&app.get("/sok?q=xqzvwpk").await, "/sok?q=xqzvwpk");
    assert!(html.contains("<strong>0 träffar</strong> för ”xqzvwpk”"));
    assert!(html.contains("Inga träffar för ”xqzvwpk”."));
    assert!(html.contains(r#"<div class="tom">"#));
    assert!(!html.contains(r#"<ol class="traffar""#));
    assert!(!html.contains("menade-du"));
    // With a filter, the empty state offers the same search without it.
    let html = app.get("/sok?q=xqzvwpk&stadsdel=lundby").await.body;
    assert!(
        html.contains(r#"<a href="/sok?q=xqzvwpk">Sök utan filter</a>"#),
        "{html}"
    );
}

#[tokio::test]
async fn bad_search_parameters_get_a_swedish_400_page_naming_the_parameter() {
    let app = search_app().await;
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
        let answer = app.get(path).await;
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

#[tokio::test]
async fn repeated_parameters_are_not_amplified_into_the_page() {
    let app = search_app().await;
    // A single-valued parameter given twice names the parameter.
    let repeated_q = format!("/sok?{}", "q=dialog&".repeat(6_000));
    let answer = app.get(&repeated_q).await;
    let html = assert_error_page(&answer, StatusCode::BAD_REQUEST, "Felaktig förfrågan");
    assert!(html.contains("får bara anges en gång"), "{html}");
    assert!(html.len() < 20_000, "{} bytes", html.len());
    let (status, body) = app
        .get_json(&format!("/api/v1/sok?{}", "sida=1&".repeat(100)))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["fel"]["parameter"], "sida");

    // A facet value given thousands of times counts once, and links hold it once.
    let path = format!(
        "/sok?q=l%C3%A4xhj%C3%A4lp&{}",
        "stadsdel=angered&".repeat(3_000)
    );
    let answer = app.get(&path).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body.len() < 60_000, "{} bytes", answer.body.len());
    let canonical = between(&answer.body, r#"<link rel="canonical" href=""#, "\"");
    assert_eq!(
        canonical.replace("&amp;", "&"),
        format!("{SITE}/sok?q=l%C3%A4xhj%C3%A4lp&stadsdel=angered")
    );
    for href in hrefs(&answer.body) {
        assert!(href.matches("stadsdel=").count() <= 1, "{href}");
    }
}
