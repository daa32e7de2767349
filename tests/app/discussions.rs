//! Discussions end to end: starting a thread (in search at once for its writer), replies,
//! pagination, editing and deleting one's own post, who may read and write a closed group,
//! mentions, sanitized Markdown, bad input, and imports keeping post ids.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";

/// An app with an indexer holding member bo, the open group `g` (bo a member) and the
/// closed group `s` (bo only), with Anna Lind registered, logged in and in `g`.
async fn app_with(values: &[Value]) -> (TestApp, hallbar::indexer::IndexerHandle) {
    let mut all = vec![
        member_json("bo"),
        group_json("g", "bo", &["bo"], "oppen"),
        group_json("s", "bo", &["bo"], "stangd"),
    ];
    all.extend_from_slice(values);
    let mut app = TestApp::with(&all).await;
    let indexer = app.start_indexer();
    (app, indexer)
}

async fn anna(app: &TestApp) -> Visitor<'_> {
    let mut anna = Visitor::new(app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    let login = anna.log_in("anna@exempel.se", PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    execute(
        app.pool(),
        "INSERT INTO group_members (group_id, member_id) VALUES ('g', 'anna-lind')",
    )
    .await
    .unwrap();
    anna
}

/// Starts a thread in `g` as `who`; the thread's path.
async fn start(who: &mut Visitor<'_>, title: &str, text: &str) -> String {
    let answer = who
        .submit(
            "/grupper/g/ny-trad",
            "/grupper/g/ny-trad",
            &[("rubrik", title), ("inlagg", text)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    answer.headers["location"].to_str().unwrap().to_string()
}

/// Edit and delete links on a thread page, in order.
fn own_links(html: &str, action: &str) -> Vec<String> {
    hrefs(html)
        .into_iter()
        .filter(|h| h.ends_with(action))
        .collect()
}

#[tokio::test]
async fn a_new_thread_and_its_replies_are_in_search_at_once() {
    let (app, _indexer) = app_with(&[]).await;
    let mut anna = anna(&app).await;
    let form = anna.get("/grupper/g/ny-trad").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.cache_control, "no-store");
    for words in [
        "Rubrik",
        "Inlägg",
        "Publicera",
        "<h1>Ny tråd i Grupp g</h1>",
    ] {
        assert!(form.body.contains(words), "{words}: {}", form.body);
    }
    let path = start(
        &mut anna,
        "Trygghet i Hammarkullen",
        "Vi pratar om gatubelysning.",
    )
    .await;
    // The title's slug and eight random characters (an id must not tell which titles other
    // groups use).
    let id = path
        .strip_prefix("/grupper/g/trygghet-i-hammarkullen-")
        .unwrap();
    assert!(
        id.len() == 8 && id.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{path}"
    );
    let hits = anna.get("/sok?q=gatubelysning").await;
    assert!(hits.body.contains(&path), "{}", hits.body);
    assert!(hits.body.contains("Diskussioner"), "{}", hits.body);
    let in_group = anna.get("/sok?q=gatubelysning&grupp=g").await;
    assert!(in_group.body.contains(&path), "{}", in_group.body);
    let elsewhere = anna.get("/sok?q=gatubelysning&grupp=s").await;
    assert!(!elsewhere.body.contains(&path), "{}", elsewhere.body);

    // The same title again gets an id of its own; a route word is never an id.
    let again = start(&mut anna, "Trygghet i Hammarkullen", "Igen.").await;
    assert_ne!(again, path);
    assert!(
        again.starts_with("/grupper/g/trygghet-i-hammarkullen-"),
        "{again}"
    );
    let word = start(&mut anna, "Ny tråd", "Ord.").await;
    assert!(word.starts_with("/grupper/g/ny-trad-"), "{word}");

    let page = anna.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches("<h1").count(), 1);
    assert!(page.body.contains("Ditt svar"), "{}", page.body);
    assert!(
        page.body.contains(r#"href="/medlemmar/anna-lind""#),
        "{}",
        page.body
    );
    let replied = anna
        .submit(&path, &path, &[("inlagg", "Och om cykelparkering.")])
        .await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
    assert_eq!(
        replied.headers["location"],
        format!("{path}#inlagg-2").as_str()
    );
    let page = anna.get(&path).await;
    assert!(page.body.contains("Vi pratar om gatubelysning."));
    assert!(page.body.contains(r#"id="inlagg-2""#), "{}", page.body);
    let hits = anna.get("/sok?q=cykelparkering").await;
    assert!(hits.body.contains(&path), "{}", hits.body);

    // The group's threads, newest activity first.
    let mut conn = app.pool().acquire().await.unwrap();
    let list = hallbar::db::threads::list_for_group(&mut conn, "g")
        .await
        .unwrap();
    let ids: Vec<&str> = list.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(format!("/grupper/g/{}", ids[0]), path, "{ids:?}");
    assert_eq!(list[0].posts, 2);
    assert_eq!(list.len(), 3);
}

#[tokio::test]
async fn long_threads_are_paged() {
    let posts: Vec<Value> = (0..51)
        .map(|i| {
            json!({"av": "bo", "skapad": format!("2014-04-02T10:{:02}:{:02}Z", i / 60, i % 60),
                   "text": format!("Inlägg nummer {i}")})
        })
        .collect();
    let thread =
        json!({"type": "trad", "id": "lang", "grupp": "g", "rubrik": "Lång", "inlagg": posts});
    let (mut app, _indexer) = app_with(&[thread]).await;
    app.log_in("bo").await;
    let first = app.get("/grupper/g/lang").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains(r#"id="inlagg-50""#));
    assert!(!first.body.contains(r#"id="inlagg-51""#));
    assert!(
        first.body.contains(r#"href="/grupper/g/lang?sida=2""#),
        "{}",
        first.body
    );
    let second = app.get("/grupper/g/lang?sida=2").await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains(r#"id="inlagg-51""#));
    assert!(second.body.contains("Inlägg nummer 50"));
    assert!(!second.body.contains("Inlägg nummer 49<"));
    for bad in [
        "/grupper/g/lang?sida=3",
        "/grupper/g/lang?sida=x",
        "/grupper/g/lang?sida=0",
    ] {
        assert_eq!(app.get(bad).await.status, StatusCode::NOT_FOUND, "{bad}");
    }
    // Search leads to the page a post is on.
    let hits = app.get("/sok?q=nummer+50&typ=inlagg").await;
    assert!(
        hits.body.contains("/grupper/g/lang?sida=2#inlagg-51"),
        "{}",
        hits.body
    );
}

#[tokio::test]
async fn members_edit_and_delete_only_their_own_posts() {
    let (app, _indexer) =
        app_with(&[thread_json("bos", "g", &[("bo", "Bos inlägg om parker.")])]).await;
    let mut anna = anna(&app).await;
    let path = start(&mut anna, "Lekplatser", "Ett inlägg om gungor.").await;
    let page = anna.get(&path).await;
    let edit = own_links(&page.body, "/redigera");
    assert_eq!(edit.len(), 1, "{}", page.body);
    let form = anna.get(&edit[0]).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Ett inlägg om gungor."));
    assert!(form.body.contains("Redigera"));
    let saved = anna
        .submit(
            &edit[0],
            &edit[0],
            &[("inlagg", "Ett inlägg om rutschkanor.")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = anna.get(&path).await;
    assert!(page.body.contains("rutschkanor"));
    assert!(page.body.contains("redigerad"), "{}", page.body);
    assert!(anna.get("/sok?q=rutschkanor").await.body.contains(&path));
    assert!(!anna.get("/sok?q=gungor").await.body.contains(&path));

    // Bo's post: neither its edit nor its delete page, nor a forged form.
    let mut conn = app.pool().acquire().await.unwrap();
    let bos = hallbar::db::threads::posts_page(&mut conn, "bos", 0, 50)
        .await
        .unwrap();
    drop(conn);
    let bos_id = bos[0].id;
    let bos_page = anna.get("/grupper/g/bos").await;
    assert!(own_links(&bos_page.body, "/redigera").is_empty());
    for action in ["redigera", "ta-bort"] {
        let url = format!("/grupper/g/bos/inlagg/{bos_id}/{action}");
        assert_eq!(anna.get(&url).await.status, StatusCode::FORBIDDEN, "{url}");
        let token = csrf_of(&bos_page.body);
        let forged = anna
            .post(&url, &[("inlagg", "Kapat"), ("csrf", &token)])
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{url}");
    }
    assert_eq!(
        anna.get("/grupper/g/bos/inlagg/999999/redigera")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        anna.get("/grupper/g/bos")
            .await
            .body
            .contains("Bos inlägg om parker.")
    );

    // Deleting her only post removes the thread, and from search.
    let delete = own_links(&anna.get(&path).await.body, "/ta-bort");
    let confirm = anna.get(&delete[0]).await;
    assert!(confirm.body.contains("Ta bort"));
    let gone = anna.submit(&delete[0], &delete[0], &[]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    assert_eq!(anna.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(!anna.get("/sok?q=rutschkanor").await.body.contains(&path));
}

#[tokio::test]
async fn a_closed_groups_threads_exist_only_for_its_members() {
    let (mut app, _indexer) = app_with(&[
        thread_json("hemlig", "s", &[("bo", "Hemliga planer om vattentorn.")]),
        thread_json("oppet", "g", &[("bo", "Öppna planer om fontäner.")]),
    ])
    .await;
    // Visitors: a closed group's thread does not exist; an open one's asks them to log in.
    assert_eq!(
        app.get("/grupper/s/hemlig").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/grupper/s/ny-trad").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/grupper/g/oppet").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        !app.get("/sok?q=vattentorn")
            .await
            .body
            .contains("/grupper/s/hemlig")
    );

    let mut anna = anna(&app).await;
    for path in [
        "/grupper/s/hemlig",
        "/grupper/s/ny-trad",
        "/grupper/s/okand",
    ] {
        assert_eq!(anna.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let hits = anna.get("/sok?q=vattentorn").await;
    assert!(!hits.body.contains("/grupper/s/hemlig"), "{}", hits.body);
    let facet = anna.get("/sok?q=planer&grupp=s").await;
    assert!(!facet.body.contains("hemlig"), "{}", facet.body);
    let all = anna.get("/sok?q=planer").await;
    assert!(all.body.contains("/grupper/g/oppet"), "{}", all.body);
    assert!(!all.body.contains("grupp=s"), "{}", all.body);
    // A thread is read only under its own group.
    assert_eq!(
        anna.get("/grupper/g/hemlig").await.status,
        StatusCode::NOT_FOUND
    );

    app.log_in("bo").await;
    let page = app.get("/grupper/s/hemlig").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Hemliga planer"));
    assert!(
        app.get("/sok?q=vattentorn")
            .await
            .body
            .contains("/grupper/s/hemlig")
    );
}

#[tokio::test]
async fn outsiders_read_an_open_group_but_only_members_write() {
    let (app, _indexer) = app_with(&[thread_json("oppet", "g", &[("bo", "Om fontäner.")])]).await;
    let mut anna = anna(&app).await;
    execute(
        app.pool(),
        "DELETE FROM group_members WHERE member_id = 'anna-lind'",
    )
    .await
    .unwrap();
    let page = anna.get("/grupper/g/oppet").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Bara gruppens medlemmar kan svara"));
    assert_eq!(
        anna.get("/grupper/g/ny-trad").await.status,
        StatusCode::FORBIDDEN
    );
    let token = csrf_of(&anna.get("/profil/redigera").await.body);
    let reply = anna
        .post(
            "/grupper/g/oppet",
            &[("inlagg", "Får jag?"), ("csrf", &token)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let start = anna
        .post(
            "/grupper/g/ny-trad",
            &[("rubrik", "Smyg"), ("inlagg", "In"), ("csrf", &token)],
        )
        .await;
    assert_eq!(start.status, StatusCode::FORBIDDEN);
    assert!(!anna.get("/grupper/g/oppet").await.body.contains("Får jag?"));
}

#[tokio::test]
async fn mentions_link_and_markdown_is_made_harmless() {
    let (app, _indexer) = app_with(&[]).await;
    let mut anna = anna(&app).await;
    let path = start(
        &mut anna,
        "Länkar",
        "Hej @bo och @ingen-alls! Se [kartan](https://goteborg.se/karta).\n\n\
         ![spårare](https://spion.example/p.png) [klick](javascript:alert(1))\n\n\
         <script>alert(1)</script> <img src=x onerror=alert(1)>",
    )
    .await;
    let page = anna.get(&path).await;
    let body = &page.body;
    assert!(
        body.contains(r#"<a href="/medlemmar/bo" rel="nofollow noopener ugc">@bo</a>"#),
        "{body}"
    );
    assert!(body.contains("@ingen-alls"));
    assert!(!body.contains("/medlemmar/ingen-alls"));
    assert!(
        body.contains(r#"<a href="https://goteborg.se/karta" rel="nofollow noopener ugc">"#),
        "{body}"
    );
    assert!(!body.contains("<script>alert"), "{body}");
    assert!(body.contains("&lt;script&gt;alert(1)"), "{body}");
    assert!(!body.contains("<img"), "{body}");
    assert!(!body.contains("spion.example"), "{body}");
    assert!(body.contains("spårare"), "{body}");
    assert!(!body.contains("javascript:"), "{body}");
    assert_eq!(
        hallbar_index::mentions::mentions_in("Hej @bo och @ingen-alls och @bo"),
        [
            hallbar_index::Slug::new("bo").unwrap(),
            hallbar_index::Slug::new("ingen-alls").unwrap()
        ]
    );
}

#[tokio::test]
async fn bad_posts_are_refused_at_the_field_and_nothing_changes() {
    let (app, _indexer) = app_with(&[]).await;
    let mut anna = anna(&app).await;
    let empty = anna
        .submit(
            "/grupper/g/ny-trad",
            "/grupper/g/ny-trad",
            &[("rubrik", "Min rubrik"), ("inlagg", "  \r\n ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("Skriv något i inlägget"),
        "{}",
        empty.body
    );
    assert!(
        empty.body.contains(r#"value="Min rubrik""#),
        "{}",
        empty.body
    );
    let untitled = anna
        .submit(
            "/grupper/g/ny-trad",
            "/grupper/g/ny-trad",
            &[("rubrik", ""), ("inlagg", "Text")],
        )
        .await;
    assert_eq!(untitled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(untitled.body.contains("Skriv en rubrik"));
    let long = "å".repeat(50_001);
    let too_long = anna
        .submit(
            "/grupper/g/ny-trad",
            "/grupper/g/ny-trad",
            &[("rubrik", "Lång"), ("inlagg", &long)],
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_long.body.contains("högst 50 000 tecken"),
        "{}",
        &too_long.body[..500]
    );
    let exactly = "å".repeat(50_000);
    let path = start(&mut anna, "Precis", &exactly).await;
    let huge = "a".repeat(1024 * 1024 + 10);
    let token = csrf_of(&anna.get(&path).await.body);
    let too_big = anna
        .post(&path, &[("inlagg", &huge), ("csrf", &token)])
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    let reply_empty = anna.submit(&path, &path, &[("inlagg", "")]).await;
    assert_eq!(reply_empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply_empty.body.contains("Skriv något i inlägget"));
    let mut conn = app.pool().acquire().await.unwrap();
    let threads = hallbar::db::threads::list_for_group(&mut conn, "g")
        .await
        .unwrap();
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].posts, 1);
    // An edit that fails keeps the post as it was.
    drop(conn);
    let edit = own_links(&anna.get(&path).await.body, "/redigera");
    let failed = anna.submit(&edit[0], &edit[0], &[("inlagg", "")]).await;
    assert_eq!(failed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!anna.get(&path).await.body.contains("redigerad"));
}

#[tokio::test]
async fn an_import_keeps_the_ids_of_posts_also_after_deletions_and_replies() {
    let original = thread_json(
        "t",
        "g",
        &[
            ("bo", "Ett."),
            ("bo", "Två."),
            ("bo", "Tre."),
            ("bo", "Fyra."),
        ],
    );
    let (app, _indexer) = app_with(std::slice::from_ref(&original)).await;
    let ids = |posts: &[hallbar::db::threads::StoredPost]| -> Vec<i64> {
        posts.iter().map(|p| p.id).collect()
    };
    let mut conn = app.pool().acquire().await.unwrap();
    let before = hallbar::db::threads::posts_page(&mut conn, "t", 0, 50)
        .await
        .unwrap();
    drop(conn);
    import(app.pool(), std::slice::from_ref(&original)).await;
    let mut conn = app.pool().acquire().await.unwrap();
    let again = hallbar::db::threads::posts_page(&mut conn, "t", 0, 50)
        .await
        .unwrap();
    assert_eq!(ids(&again), ids(&before));

    // The second post deleted on the site: an export and import keep the others' ids.
    let mut change = writes(app.pool()).begin().await.unwrap();
    assert!(
        hallbar::db::threads::delete_post(&mut change, &before[1])
            .await
            .unwrap()
    );
    change.commit().await.unwrap();
    let thread = hallbar::db::threads::get(&mut conn, "t")
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let exported = serde_json::to_value(&thread).unwrap();
    let mut exported = exported.as_object().unwrap().clone();
    exported.insert("type".into(), json!("trad"));
    import(app.pool(), &[Value::Object(exported)]).await;
    let mut conn = app.pool().acquire().await.unwrap();
    let after = hallbar::db::threads::posts_page(&mut conn, "t", 0, 50)
        .await
        .unwrap();
    assert_eq!(ids(&after), [before[0].id, before[2].id, before[3].id]);
    let texts: Vec<&str> = after.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(texts, ["Ett.", "Tre.", "Fyra."]);
}

#[tokio::test]
async fn members_to_mention_are_suggested_as_the_viewer_may_see_them() {
    let mut app = TestApp::with(&[
        member_json("anna"),
        hidden_member("annika"),
        member_json("bo"),
    ])
    .await;
    let (status, json) = app.get_json("/api/v1/medlemmar/forslag?q=an").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["medlemmar"][0]["id"], "anna");
    assert_eq!(
        json["medlemmar"].as_array().unwrap().len(),
        1,
        "a visitor: public profiles only"
    );
    app.log_in("bo").await;
    let (_, json) = app.get_json("/api/v1/medlemmar/forslag?q=AN").await;
    let ids: Vec<&str> = json["medlemmar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["anna", "annika"]);
    assert_eq!(json["medlemmar"][0]["namn"], "Namn anna");
    let (_, json) = app.get_json("/api/v1/medlemmar/forslag?q=%25").await;
    assert_eq!(
        json["medlemmar"].as_array().unwrap().len(),
        0,
        "no wildcard"
    );
    let long = format!("/api/v1/medlemmar/forslag?q={}", "a".repeat(101));
    let (status, json) = app.get_json(&long).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["fel"]["parameter"], "q");
}
