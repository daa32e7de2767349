//! The HTTP skeleton, driven in-process with `router(state).oneshot(..)`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(app: axum::Router, path: &str) -> (StatusCode, String) {
    let response = app
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn start_page_shows_the_support_models_and_counts() {
    let (_dir, state) = test_state().await;
    let pool = state.db.clone();
    let text = lines(&[
        member_json("anna"),
        {
            let mut bo = member_json("bo");
            bo["synlighet"] = "medlemmar".into();
            bo
        },
        group_json("g", "anna", &["anna", "bo"], "oppen"),
        thread_json(
            "t",
            "g",
            &[("anna", "Hej"), ("bo", "Svar"), ("anna", "Tack")],
        ),
        pivi_json("p", None),
    ]);
    hallbar::interchange::import(&pool, text.as_bytes(), false)
        .await
        .unwrap();
    let (status, html) = get(hallbar::router(state), "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="sv">"#));
    assert_eq!(html.matches("<h1").count(), 1);
    for area in [
        "Stadsutveckling",
        "Social utveckling",
        "Medinflytande",
        "Dialogverktyget",
    ] {
        assert!(html.contains(area), "{area} missing");
    }
    // Only what a visitor can find is counted: one public profile, no group content.
    assert!(
        html.contains("<dt>Medlemmar med offentlig profil</dt><dd>1</dd>"),
        "{html}"
    );
    assert!(!html.contains("Inlägg"), "{html}");
    assert!(
        html.contains("<dt>Projekt och idéer i pivi</dt><dd>1</dd>"),
        "{html}"
    );
    assert!(html.contains("1 projekt, idéer, verksamheter"), "{html}");
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let (_dir, state) = test_state().await;
    let pool = state.db.clone();
    let app = hallbar::router(state);
    let (status, body) = get(app.clone(), "/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
    pool.close().await;
    let (status, _) = get(app, "/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn unknown_paths_get_a_swedish_404_page() {
    let (_dir, state) = test_state().await;
    let (status, html) = get(hallbar::router(state), "/finns/inte").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Sidan finns inte"));
    assert!(html.contains(r#"lang="sv""#));
}

#[tokio::test]
async fn wrong_methods_get_a_swedish_405_page() {
    let (_dir, state) = test_state().await;
    let response = hallbar::router(state)
        .oneshot(Request::post("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let html = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(html.contains("Åtgärden stöds inte"), "{html}");
}
