//! Groups: the group list, who may see it, and the group and thread queries.

use hallbar::db;

use crate::support::*;

#[tokio::test]
async fn anonymous_visitors_see_every_group_but_no_group_content() {
    let app = TestApp::with(&[
        member_json("anna"),
        group_json("oppna-gruppen", "anna", &["anna"], "oppen"),
        group_json("stangda-gruppen", "anna", &["anna"], "stangd"),
        thread_json("t", "oppna-gruppen", &[("anna", "Hej alla i gruppen")]),
    ])
    .await;
    for path in ["/grupper", "/grupper?q=grupp"] {
        let html = assert_page(&app.get(path).await, "/grupper");
        assert!(html.contains("<h1>Grupper</h1>"));
        assert!(html.contains("Grupp oppna-gruppen"), "{html}");
        assert!(html.contains("Grupp stangda-gruppen"), "{html}");
        assert!(!html.contains("Hej alla"));
        assert!(!html.contains("Mina grupper"));
    }
    let html = app.get("/sok?q=grupp").await.body;
    assert!(html.contains("oppna-gruppen"));
    assert!(!html.contains("Hej alla"));
    let html = app.get("/sok?q=hej").await.body;
    assert!(!html.contains("Hej alla"), "{html}");
}

#[tokio::test]
async fn groups_replace_their_member_list() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    for id in ["anna", "bo", "cia"] {
        db::members::upsert(&mut conn, &member(id)).await.unwrap();
    }
    db::groups::upsert(&mut conn, &group("g", "anna", &["anna", "bo"], "stangd"))
        .await
        .unwrap();
    assert!(db::groups::is_member(&mut conn, "g", "bo").await.unwrap());
    assert!(!db::groups::is_member(&mut conn, "g", "cia").await.unwrap());
    let changed = group("g", "anna", &["cia", "anna"], "oppen");
    db::groups::upsert(&mut conn, &changed).await.unwrap();
    let stored = db::groups::get(&mut conn, "g").await.unwrap().unwrap();
    assert_eq!(
        stored
            .members
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>(),
        ["anna", "cia"]
    );
    assert!(!stored.is_closed());
    assert!(!db::groups::is_member(&mut conn, "g", "bo").await.unwrap());
    assert_eq!(db::groups::list(&mut conn).await.unwrap().len(), 1);
    assert!(db::groups::exists(&mut conn, "g").await.unwrap());
    let ids = db::groups::member_ids(&mut conn, "g").await.unwrap();
    assert_eq!(
        ids.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        ["anna", "cia"]
    );
    assert!(
        db::groups::member_ids(&mut conn, "saknas")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(db::groups::get(&mut conn, "saknas").await.unwrap(), None);
}

#[tokio::test]
async fn threads_keep_post_ids_when_updated_and_drop_removed_posts() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    for id in ["anna", "bo"] {
        db::members::upsert(&mut conn, &member(id)).await.unwrap();
    }
    db::groups::upsert(&mut conn, &group("g", "anna", &["anna", "bo"], "oppen"))
        .await
        .unwrap();
    let t = thread(
        "t",
        "g",
        &[("anna", "Första"), ("bo", "Andra"), ("anna", "Tredje")],
    );
    db::threads::upsert(&mut conn, &t).await.unwrap();
    let first_id: i64 = fetch_number(&pool, "SELECT id FROM posts WHERE position = 0").await;
    let shorter = thread("t", "g", &[("anna", "Första, redigerad"), ("bo", "Andra")]);
    db::threads::upsert(&mut conn, &shorter).await.unwrap();
    let stored = db::threads::get(&mut conn, "t").await.unwrap().unwrap();
    assert_eq!(stored, shorter);
    assert_eq!(stored.author().unwrap().as_str(), "anna");
    let same_id: i64 = fetch_number(&pool, "SELECT id FROM posts WHERE position = 0").await;
    assert_eq!(first_id, same_id);
    assert_eq!(db::threads::list(&mut conn).await.unwrap().len(), 1);
    assert_eq!(
        db::threads::ids_in_group(&mut conn, "g").await.unwrap(),
        ["t"]
    );
    let counts = db::stats::counts(&mut conn).await.unwrap();
    assert_eq!((counts.threads, counts.posts), (1, 2));
}

#[tokio::test]
async fn closed_group_content_reaches_only_its_members() {
    let mut app = TestApp::with(&[
        member_json("anna"),
        member_json("bo"),
        group_json("oppen", "anna", &["anna", "bo"], "oppen"),
        group_json("stangd", "anna", &["anna"], "stangd"),
        thread_json(
            "t-oppen",
            "oppen",
            &[("anna", "Vi planerar läxhjälp i Hjällbo.")],
        ),
        thread_json(
            "t-stangd",
            "stangd",
            &[("anna", "Hemlig läxhjälp i Hjällbo.")],
        ),
    ])
    .await;
    let hits = |body: &serde_json::Value| -> Vec<String> {
        body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, visitor) = app.get_json("/api/v1/sok?q=läxhjälp&typ=diskussion").await;
    assert!(hits(&visitor).is_empty(), "{visitor}");

    app.log_in("bo").await;
    let (_, outsider) = app.get_json("/api/v1/sok?q=läxhjälp&typ=diskussion").await;
    assert_eq!(hits(&outsider), ["t-oppen"], "{outsider}");
    // Every group is listed (a closed one by name and description only).
    let list = app.get("/grupper").await.body;
    assert!(list.contains("Grupp oppen"), "{list}");
    assert!(list.contains("Grupp stangd"), "{list}");
    assert!(
        !app.get("/grupper/stangd")
            .await
            .body
            .contains("Tråd t-stangd")
    );

    app.log_in("anna").await;
    let (_, insider) = app.get_json("/api/v1/sok?q=läxhjälp&typ=diskussion").await;
    let mut found = hits(&insider);
    found.sort();
    assert_eq!(found, ["t-oppen", "t-stangd"], "{insider}");
    let list = app.get("/grupper").await.body;
    assert!(list.contains("Grupp stangd"), "{list}");
}
