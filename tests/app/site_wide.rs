//! What holds on every page: escaping of user text, Swedish error pages, security headers, the health check.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use crate::support::*;

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
    let app = TestApp::with(&[
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
        let answer = app.get(path).await;
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
        let html = app.get(path).await.body;
        assert!(
            html.contains("Farlig &lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: {html}"
        );
    }
    let html = app.get("/pivi/elak").await.body;
    assert!(html.contains("<h1>Farlig &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img"));
    assert!(html.contains(r#"<meta name="description" content="Farlig &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img"#));
    // The Markdown link keeps its text and loses its target.
    assert!(
        html.contains("Skadlig text <a rel=\"noopener noreferrer\">x</a>"),
        "{html}"
    );
    let html = app.get("/medinflytande/forberedelser/elak").await.body;
    assert!(html.contains("<label for=\"punkt-1\">&lt;script&gt;alert(1)&lt;/script&gt;</label>"));
}

#[tokio::test]
async fn unknown_paths_and_methods_get_swedish_pages_in_the_layout() {
    let app = TestApp::with(&[]).await;
    let answer = app.get("/finns/inte").await;
    let html = assert_error_page(&answer, StatusCode::NOT_FOUND, "Sidan finns inte");
    assert!(html.contains("Vi hittar ingen sida på den här adressen."));
    assert!(html.contains(r#"<a href="/stadsutveckling">Stadsutveckling</a>"#));

    let answer = app
        .send(Request::post("/sok").body(Body::empty()).unwrap())
        .await;
    let html = assert_error_page(
        &answer,
        StatusCode::METHOD_NOT_ALLOWED,
        "Åtgärden stöds inte",
    );
    assert!(html.contains("Den här sidan kan inte ta emot den här sortens förfrågan."));
}

#[tokio::test]
async fn review_findings_stay_fixed() {
    let app = crate::search::search_app().await;

    // A facet the catalogue does not offer is ignored, not applied invisibly.
    let html = app.get("/pivi?sektor=kommun&q=läxhjälp").await.body;
    assert!(!html.contains("Inget matchar filtren"), "{html}");
    assert!(main_of(&html).contains("/pivi/laxhjalp-1"));
    let canonical = between(&html, r#"<link rel="canonical" href=""#, "\"");
    assert!(!canonical.contains("sektor"), "{canonical}");

    // A chip removes its filter even when the URL spelled the value differently.
    let html = app
        .get("/sok?q=l%C3%A4xhj%C3%A4lp&stadsdel=angered%20")
        .await
        .body;
    let chip = href_at(&html, "Ta bort filtret Stadsdel");
    assert!(!chip.contains("stadsdel"), "{chip}");
    assert!(has_pair(&chip, "q", "läxhjälp"), "{chip}");

    // A page past the last one says so and links to pages that exist.
    let html = app.get("/sok?q=l%C3%A4xhj%C3%A4lp&sida=9").await.body;
    assert!(html.contains("Sidan 9 finns inte."), "{html}");
    assert!(html.contains("Till första sidan"));

    // A path that is not UTF-8 is the Swedish 404 page, not a plain-text error.
    let answer = app.get("/pivi/%FF").await;
    assert_error_page(&answer, StatusCode::NOT_FOUND, "Sidan finns inte");

    // The section is marked as current on its pages below, as "page" only on itself.
    let html = app.get("/pivi/laxhjalp-1").await.body;
    assert!(
        html.contains(r#"<a href="/pivi" aria-current="true">"#),
        "{html}"
    );
    let html = app.get("/pivi").await.body;
    assert!(html.contains(r#"<a href="/pivi" aria-current="page">"#));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::with(&[]).await;
    for path in ["/", "/finns-inte", "/api/v1/sok?q=x", "/sitemap.xml"] {
        let response = app.get(path).await;
        let headers = &response.headers;
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
    let app = TestApp::with(&[pivi_json("p", None)]).await;
    app.pool().close().await;
    for path in ["/", "/pivi/p", "/stadsutveckling", "/medinflytande"] {
        let answer = app.get(path).await;
        let html = assert_error_page(&answer, StatusCode::INTERNAL_SERVER_ERROR, "Något gick fel");
        assert!(html.contains("Försök igen om en stund"), "{path}");
        assert!(!html.to_lowercase().contains("pool"), "{path}: {html}");
        assert!(!html.contains("databasfel"), "{path}: {html}");
    }
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let app = TestApp::with(&[]).await;
    let answer = app.get("/healthz").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["status"], "ok");
    app.pool().close().await;
    assert_eq!(
        app.get("/healthz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn unknown_paths_get_a_swedish_404_page() {
    let app = TestApp::with(&[]).await;
    let Answer {
        status, body: html, ..
    } = app.get("/finns/inte").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Sidan finns inte"));
    assert!(html.contains(r#"lang="sv""#));
}

#[tokio::test]
async fn wrong_methods_get_a_swedish_405_page() {
    let app = TestApp::with(&[]).await;
    let answer = app
        .send(Request::post("/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        answer.body.contains("Åtgärden stöds inte"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn https_sites_tell_browsers_to_use_https_only() {
    let app = TestApp::with(&[]).await;
    for path in ["/", "/finns-inte", "/api/v1/sok?q=x"] {
        let headers = app.get(path).await.headers;
        assert_eq!(
            headers[header::STRICT_TRANSPORT_SECURITY],
            "max-age=31536000",
            "{path}"
        );
    }
    let plain = TestApp::with(&[])
        .await
        .configured(|config| config.public_url = "http://localhost:3000".into());
    assert!(
        !plain
            .get("/")
            .await
            .headers
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );
}
