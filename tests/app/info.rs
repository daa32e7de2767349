//! The service's own pages: om, tillgänglighet, kontakt, logga in.

use crate::support::*;

#[tokio::test]
async fn the_service_pages_answer() {
    let app = TestApp::with(&[]).await;
    for (path, h1) in [
        ("/om", "Om hallbar"),
        ("/tillganglighet", "Tillgänglighets&shy;redogörelse"),
        ("/kontakt", "Kontakt"),
        ("/logga-in", "Logga in"),
    ] {
        let html = assert_page(&app.get(path).await, path);
        assert!(html.contains(&format!("<h1>{h1}</h1>")), "{path}");
    }
    let html = app.get("/logga-in").await.body;
    assert!(html.contains(r#"<a href="/logga-in" aria-current="page">Logga in</a>"#));
    let html = app.get("/tillganglighet").await.body;
    assert!(html.contains("WCAG 2.1"));
    let html = app.get("/kontakt").await.body;
    assert!(!html.contains("mailto:"), "no address configured");
}

#[tokio::test]
async fn the_contact_page_names_the_configured_address() {
    let app = TestApp::with(&[])
        .await
        .configured(|config| config.contact_email = Some("hej@exempel.se".into()));
    let html = assert_page(&app.get("/kontakt").await, "/kontakt");
    assert!(
        html.contains(r#"<a href="mailto:hej@exempel.se">hej@exempel.se</a>"#),
        "{html}"
    );
}
