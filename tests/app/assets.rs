//! The stylesheet and scripts under content-hashed names.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn assets_are_served_under_hashed_names_only() {
    let app = TestApp::with(&[]).await;
    let html = app.get("/").await.body;
    let stylesheet = between(&html, r#"<link rel="stylesheet" href=""#, "\"").to_string();
    assert!(stylesheet.starts_with("/static/hallbar-"), "{stylesheet}");
    assert!(stylesheet.ends_with(".css"));
    let answer = app.get(&stylesheet).await;
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
    let answer = app.get(&script).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/javascript"));
    assert!(answer.cache_control.contains("immutable"));

    for path in [
        "/static/hallbar.css",
        "/static/hallbar-000000000000.css",
        "/static/sok.js",
    ] {
        let answer = app.get(path).await;
        assert_error_page(&answer, StatusCode::NOT_FOUND, "Sidan finns inte");
        assert!(!answer.cache_control.contains("immutable"), "{path}");
    }
}
