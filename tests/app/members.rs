//! Members: the directory, profiles and who may see them, and the member queries.

use axum::http::StatusCode;
use hallbar::db;
use hallbar_index::ContentKind;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn anonymous_visitors_find_only_public_profiles() {
    let mut anna = member_json("anna");
    anna["bakgrund"] = json!("Samordnar stadsodling i Hammarkullen.");
    let mut hidden = hidden_member("dold");
    hidden["namn"] = json!("Hemliga Hedda");
    hidden["sektor"] = json!("akademi");
    hidden["bakgrund"] = json!("Forskar om stadsodling i Hammarkullen.");
    hidden["kompetenser"] = json!(["hemlighetsmakeri"]);
    let app = TestApp::with(&[anna, hidden]).await;

    let html = assert_page(&app.get("/medlemmar").await, "/medlemmar");
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
    let html = assert_page(&app.get(path).await, path);
    assert!(html.contains("<strong>1 träff</strong>"), "{html}");
    assert!(html.contains(r#"href="/medlemmar/anna""#));
    assert!(!html.contains("Hedda"));
    for path in [
        "/medlemmar?q=Hedda",
        "/sok?q=Hedda",
        "/sok?q=hemlighetsmakeri",
    ] {
        let html = app.get(path).await.body;
        assert!(
            html.contains("<strong>0 träffar</strong>"),
            "{path}: {html}"
        );
        assert!(!html.contains("/medlemmar/dold"), "{path}");
    }
    let html = app.get("/medlemmar?sektor=akademi").await.body;
    assert!(html.contains("<strong>0 träffar</strong>"), "{html}");

    let path = "/medlemmar/anna";
    let html = assert_page(&app.get(path).await, path);
    assert!(html.contains("<h1>Namn anna</h1>"));
    assert!(html.contains("<p>Samordnar stadsodling i Hammarkullen.</p>"));
    assert!(html.contains(r#"<a href="/medlemmar?sektor=kommun">Göteborgs Stad</a>"#));
    assert!(html.contains(r#"<a href="/kompetens/medborgardialog">medborgardialog</a>"#));
    assert!(
        !html.contains("/medlemmar/dold"),
        "not suggested as a colleague"
    );
    assert_error_page(
        &app.get("/medlemmar/dold").await,
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
    );
    assert_error_page(
        &app.get("/medlemmar/finns-inte").await,
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
    );
}

#[tokio::test]
async fn members_upsert_get_list_exists_and_outbox() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    let mut anna = member("anna");
    db::members::upsert(&mut conn, &anna).await.unwrap();
    db::members::upsert(&mut conn, &member("bo")).await.unwrap();
    assert_eq!(
        db::members::get(&mut conn, "anna").await.unwrap(),
        Some(anna.clone())
    );
    assert_eq!(db::members::get(&mut conn, "saknas").await.unwrap(), None);
    assert!(db::members::exists(&mut conn, "bo").await.unwrap());
    assert!(!db::members::exists(&mut conn, "saknas").await.unwrap());

    anna.title = "Enhetschef".into();
    anna.competences.push("barnrättsperspektiv".into());
    db::members::upsert(&mut conn, &anna).await.unwrap();
    let all = db::members::list(&mut conn).await.unwrap();
    assert_eq!(all.len(), 2, "an update must not add a row");
    assert_eq!(all[0], anna);

    let entries = db::outbox::after(&mut conn, 0, 100).await.unwrap();
    let kinds: Vec<(ContentKind, &str)> = entries
        .iter()
        .map(|e| (e.kind, e.entity_id.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (ContentKind::Member, "anna"),
            (ContentKind::Member, "bo"),
            (ContentKind::Member, "anna")
        ]
    );
    assert_eq!(db::outbox::latest(&mut conn).await.unwrap(), entries[2].seq);
    assert_eq!(
        db::outbox::after(&mut conn, entries[1].seq, 100)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(db::outbox::after(&mut conn, 0, 1).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_logged_in_member_sees_members_only_profiles_everywhere() {
    let mut app = TestApp::with(&[member_json("anna"), hidden_member("dold")]).await;
    for path in ["/medlemmar/dold", "/api/v1/kollegor/dold"] {
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let directory = app.get("/medlemmar").await.body;
    assert!(!directory.contains("/medlemmar/dold"), "{directory}");

    app.log_in("anna").await;
    let profile = assert_page(&app.get("/medlemmar/dold").await, "/medlemmar/dold");
    assert!(profile.contains("Namn dold"), "{profile}");
    let (status, colleagues) = app.get_json("/api/v1/kollegor/dold").await;
    assert_eq!(status, StatusCode::OK, "{colleagues}");
    let directory = app.get("/medlemmar").await.body;
    assert!(directory.contains("/medlemmar/dold"), "{directory}");
    assert!(
        !directory.contains("Inloggade medlemmar ser även"),
        "the note for visitors is not shown to members"
    );
    let (_, found) = app.get_json("/api/v1/sok?typ=medlem").await;
    assert_eq!(found["total"], 2, "{found}");

    app.log_out();
    assert_eq!(
        app.get("/medlemmar/dold").await.status,
        StatusCode::NOT_FOUND
    );
}
