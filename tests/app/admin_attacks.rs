//! The hostile review of the admin view and support models as data (issue 14): what an
//! attacker or a clumsy admin could do with imports, uploads and models, each a test that
//! failed before its fix.

use axum::http::StatusCode;
use serde_json::json;

use crate::admin::{app, confirm, make_admin, member, token_of, upload_text, uploads_left};
use crate::support::*;

fn admin_log_line(vem: &str, mal: &str, detalj: &str) -> String {
    json!({
        "type": "adminlogg", "tid": "2026-11-30T12:00:00Z", "vem": vem, "atgard": "admin-ge",
        "mal": mal, "detalj": detalj
    })
    .to_string()
}

async fn log_names(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool().acquire().await.unwrap();
    hallbar::db::admin_log::all(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.actor_name)
        .collect()
}

/// NUL (which PostgreSQL refuses: a 500 at the confirmation) and other control characters
/// in an `adminlogg` line are bad lines at the check, in Swedish, and nothing is kept.
#[tokio::test]
async fn admin_log_lines_with_nul_or_control_characters_are_bad_lines() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Admin").await;
    make_admin(&app, "Anna Admin").await;
    for (vem, mal, detalj) in [
        ("Anna\u{0}Admin", "Bo", ""),
        ("Anna Admin", "Bo\u{0}", ""),
        ("Anna Admin", "Bo", "rad\u{0}"),
        ("Anna\u{1b}[31m Admin", "Bo", ""),
    ] {
        let text = format!("{}\n", admin_log_line(vem, mal, detalj));
        let answer = upload_text(&mut anna, &text).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{vem:?} {mal:?} {detalj:?}: {}",
            answer.body
        );
        assert!(
            answer.body.contains("otillåtna kontrolltecken"),
            "{}",
            answer.body
        );
        assert_eq!(uploads_left(&app), 0);
    }
    assert!(
        !log_names(&app).await.iter().any(|n| n.contains('\u{0}')),
        "a NUL was stored"
    );
}

/// A file of countless short bad lines is not turned into countless messages in memory: the
/// check stops after a bounded number and says so.
#[tokio::test]
async fn a_file_of_countless_bad_lines_stops_being_checked() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Admin").await;
    make_admin(&app, "Anna Admin").await;
    let text = "x\n".repeat(hallbar::interchange::MAX_CHECK_ERRORS * 3);
    let answer = upload_text(&mut anna, &text).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert!(
        answer
            .body
            .contains("kontrollen avbröts efter 1000 rader med fel"),
        "{}",
        answer.body
    );
    let rows = answer.body.matches(r#"<th scope="row">"#).count();
    assert_eq!(rows, hallbar::interchange::MAX_CHECK_ERRORS + 1);
    assert_eq!(uploads_left(&app), 0);
}

/// A confirmation whose file has gone from the server (removed by hand, a cleanup) is a
/// Swedish 410, not a 500, and nothing is imported.
#[tokio::test]
async fn a_confirmation_whose_file_is_gone_is_refused_in_swedish() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Admin").await;
    make_admin(&app, "Anna Admin").await;
    let text = format!("{}\n", admin_log_line("Cecilia", "Bo", ""));
    let answer = upload_text(&mut anna, &text).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let token = token_of(&answer.body);
    for entry in std::fs::read_dir(app.dir.path().join("uploads")).unwrap() {
        std::fs::remove_file(entry.unwrap().path()).unwrap();
    }
    let answer = confirm(&mut anna, &token).await;
    assert_eq!(answer.status, StatusCode::GONE, "{}", answer.body);
    assert!(
        answer.body.contains("finns inte längre på servern"),
        "{}",
        answer.body
    );
    assert!(!log_names(&app).await.contains(&"Cecilia".to_string()));
}
