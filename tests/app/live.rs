//! `/handelser`: a thread page's live events: a new post in the thread once it is
//! searchable, the unread count as it changes; only for who may read the thread.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";

/// Reads the event stream until `wanted` appears (or panics after five seconds).
async fn wait_for(body: &mut Body, seen: &mut String, wanted: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !seen.contains(wanted) {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .unwrap_or_else(|_| panic!("no {wanted:?} in {seen:?}"))
            .expect("the stream goes on")
            .expect("a frame");
        if let Ok(data) = frame.into_data() {
            seen.push_str(&String::from_utf8_lossy(&data));
        }
    }
}

#[tokio::test]
async fn a_thread_page_hears_of_new_posts_and_the_unread_count() {
    let mut app = TestApp::with(&[
        member_json("bo"),
        group_json("g", "bo", &["bo"], "oppen"),
        thread_json("t", "g", &[("bo", "Välkomna till tråden.")]),
        group_json("s", "bo", &["bo"], "stangd"),
        thread_json("hemlig", "s", &[("bo", "Bara för gruppen.")]),
    ])
    .await;
    let indexer = app.start_indexer();
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    anna.log_in("anna@exempel.se", PASSWORD).await;
    let cookies = anna
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let listen = |path: &str| {
        Request::get(path)
            .header(header::COOKIE, cookies.clone())
            .body(Body::empty())
            .unwrap()
    };
    // Visitors, unknown threads and a closed group's thread for an outsider: nothing.
    assert_eq!(
        app.get("/handelser?trad=t").await.status,
        StatusCode::UNAUTHORIZED
    );
    for path in ["/handelser?trad=finns-inte", "/handelser?trad=hemlig"] {
        let response = hallbar::router(app.state.clone())
            .oneshot(listen(path))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let response = hallbar::router(app.state.clone())
        .oneshot(listen("/handelser?trad=t"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut body = response.into_body();
    let mut seen = String::new();
    wait_for(&mut body, &mut seen, "event: antal\ndata: 0").await;
    // A reply through the write path, and a notification for Anna in the same change.
    let mut thread = thread(
        "t",
        "g",
        &[("bo", "Välkomna till tråden."), ("bo", "Ett svar.")],
    );
    thread.title = "Tråd t".to_string();
    let writes = app.state.writes();
    let mut change = writes.begin().await.unwrap();
    hallbar::db::threads::upsert(&mut change, &thread)
        .await
        .unwrap();
    hallbar::db::notifications::create(
        &mut change,
        &hallbar::db::notifications::New {
            member_id: "anna-lind",
            kind: hallbar::db::notifications::Kind::Reply,
            text: "Bo svarade i Tråd t",
            link: "/grupper/g/t",
            group_id: Some("g"),
            now: 1,
        },
    )
    .await
    .unwrap();
    change.commit().await.unwrap();
    wait_for(&mut body, &mut seen, "event: inlagg\ndata: t").await;
    wait_for(&mut body, &mut seen, "event: antal\ndata: 1").await;
    indexer.stop().await;
}
