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

/// A `stodmodell` import may not take away a category or phase that stored items (not
/// re-imported with it) still use: they would lose their place in the model.
#[tokio::test]
async fn a_model_import_keeps_the_categories_and_phases_in_use() {
    let (dir, pool) = test_db().await;
    let text = json!({
        "type": "dialog", "id": "checklista", "modell": "medinflytande", "titel": "Checklista",
        "fas": "inventering", "texttyp": "checklista", "ingress": "Inför första mötet.",
        "text": "Bjud in tidigt.", "punkter": ["Boka lokal"], "stadsdel": null,
        "forfattare": "Redaktionen", "publicerad": "2026-11-20", "taggar": []
    });
    let stored = lines(&[
        member_json("bo"),
        pivi_json("laxhjalp-i-hjallbo", None),
        text.clone(),
    ]);
    hallbar::interchange::import(&writes(&pool), stored.as_bytes(), false)
        .await
        .unwrap();
    let seed = hallbar_index::seed_models();
    let mut catalogue = serde_json::to_value(&seed[1]).unwrap();
    catalogue["type"] = json!("stodmodell");
    catalogue["kategorier"] = json!([{"id": "ide", "namn": "Idé"}]);
    let mut guide = serde_json::to_value(&seed[2]).unwrap();
    guide["type"] = json!("stodmodell");
    guide["faser"] = json!([{"id": "forberedelser", "namn": "Förberedelser", "beskrivning": ""}]);
    let error = hallbar::interchange::import(
        &writes(&pool),
        lines(&[catalogue.clone(), guide.clone()]).as_bytes(),
        false,
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        error.contains(
            "rad 1: stodmodell \"pivi\": kategorier: \"projekt\" saknas men \
             \"laxhjalp-i-hjallbo\" hör dit"
        ),
        "{error}"
    );
    assert!(
        error.contains(
            "rad 2: stodmodell \"medinflytande\": faser: \"inventering\" saknas men \
             \"checklista\" hör dit"
        ),
        "{error}"
    );
    let app = TestApp::on(dir, pool.clone()).await;
    let mut conn = pool.acquire().await.unwrap();
    let pivi = hallbar::db::support_models::get(&mut conn, "pivi")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pivi.categories.len(), 4);
    drop(conn);
    assert_eq!(
        app.get("/medinflytande/inventering/checklista")
            .await
            .status,
        StatusCode::OK
    );

    // Moving the items along in the same file is fine.
    let mut moved = pivi_json("laxhjalp-i-hjallbo", None);
    moved["kategori"] = json!("ide");
    let mut moved_text = text;
    moved_text["fas"] = json!("forberedelser");
    hallbar::interchange::import(
        &writes(&pool),
        lines(&[catalogue, guide, moved, moved_text]).as_bytes(),
        false,
    )
    .await
    .unwrap();
}

/// A new model while another write holds the database (SQLite's lock, past its busy
/// timeout) is the site's Swedish 503 "try again", not a 500.
#[tokio::test]
async fn a_new_model_while_the_database_is_busy_is_a_swedish_503() {
    if on_postgres() {
        // PostgreSQL writers do not lock each other out.
        return;
    }
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Admin").await;
    make_admin(&app, "Anna Admin").await;
    let form = anna.get("/admin/stodmodeller/ny").await;
    let csrf = csrf_of(&form.body);
    let held = app.pool().begin_write().await.unwrap();
    let answer = anna
        .post(
            "/admin/stodmodeller/ny",
            &[
                ("namn", "Ungas inflytande"),
                ("omrade", ""),
                ("adress", "ungas-inflytande"),
                ("introduktion", "Stöd för att låta unga påverka."),
                ("typ", "fasguide"),
                ("faser", "Start"),
                ("csrf", &csrf),
            ],
        )
        .await;
    drop(held);
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.body
    );
    assert!(answer.body.contains("upptagen"), "{}", answer.body);
    let mut conn = app.pool().acquire().await.unwrap();
    assert!(
        hallbar::db::support_models::get(&mut conn, "ungas-inflytande")
            .await
            .unwrap()
            .is_none()
    );
}

/// Uploading again and again does not fill the disk: a session has one checked upload
/// waiting at a time, the newest; an earlier token is spent.
#[tokio::test]
async fn uploads_again_and_again_keep_only_the_newest_file() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Admin").await;
    make_admin(&app, "Anna Admin").await;
    let mut tokens = Vec::new();
    for name in ["Cecilia", "David", "Eva"] {
        let text = format!("{}\n", admin_log_line(name, "Bo", ""));
        let answer = upload_text(&mut anna, &text).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        tokens.push(token_of(&answer.body));
    }
    assert_eq!(uploads_left(&app), 1);
    let first = confirm(&mut anna, &tokens[0]).await;
    assert_eq!(first.status, StatusCode::GONE, "{}", first.body);
    let last = confirm(&mut anna, &tokens[2]).await;
    assert_eq!(last.status, StatusCode::OK, "{}", last.body);
    let names = log_names(&app).await;
    assert!(names.contains(&"Eva".to_string()), "{names:?}");
    assert!(!names.contains(&"Cecilia".to_string()), "{names:?}");
    assert_eq!(uploads_left(&app), 0);
}

/// Two admins taking each other's role at once must not leave the site without one: a role
/// change by an admin who lost the role meanwhile is refused, and no admin takes the role
/// from the last one (not even their own, past the form's check).
#[tokio::test]
async fn the_last_admin_keeps_the_role() {
    use hallbar::admin::roles::{self, Actor, RoleError};
    let (app, _indexer) = app().await;
    let _anna = member(&app, "Anna Admin").await;
    let _bo = member(&app, "Bo Admin").await;
    make_admin(&app, "Anna Admin").await;
    make_admin(&app, "Bo Admin").await;
    let account = |name: &'static str| {
        let pool = app.pool().clone();
        async move {
            let mut conn = pool.acquire().await.unwrap();
            let key = hallbar::auth::email::key(&format!("{name}@exempel.se"));
            hallbar::db::accounts::by_email_key(&mut conn, &key)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let (anna, bo) = (account("anna").await, account("bo").await);
    let as_actor = |a: &hallbar::db::accounts::Account| Actor {
        account_id: Some(a.id),
        name: a.name.clone(),
    };
    // Anna takes Bo's role; Bo's request, already past the admin check, takes Anna's.
    assert!(
        roles::set_admin(app.pool(), &as_actor(&anna), &bo, false, 1)
            .await
            .unwrap()
    );
    let refused = roles::set_admin(app.pool(), &as_actor(&bo), &anna, false, 1).await;
    assert!(matches!(refused, Err(RoleError::NotAdmin)), "{refused:?}");
    let refused = roles::set_editor(app.pool(), &as_actor(&bo), &bo, "pivi", true, 1).await;
    assert!(matches!(refused, Err(RoleError::NotAdmin)), "{refused:?}");
    let anna = account("anna").await;
    assert_eq!(anna.role, hallbar::db::accounts::Role::Admin);
    let refused = roles::set_admin(app.pool(), &as_actor(&anna), &anna, false, 1).await;
    assert!(matches!(refused, Err(RoleError::LastAdmin)), "{refused:?}");
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("minst en administratör")
    );
    assert_eq!(
        account("anna").await.role,
        hallbar::db::accounts::Role::Admin
    );
}
