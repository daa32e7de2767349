//! Moderation end to end: reporting a post (once), the queue per role, hiding, deleting,
//! locking and unlocking, removing a member, dismissing, the log, and bad input.

use axum::http::StatusCode;

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";

/// Member bo owns the open groups `g` (thread `t`, two posts by bo) and `h` (thread `u`).
async fn app() -> (TestApp, hallbar::indexer::IndexerHandle) {
    let mut app = TestApp::with(&[
        member_json("bo"),
        group_json("g", "bo", &["bo"], "oppen"),
        group_json("h", "bo", &["bo"], "oppen"),
        thread_json(
            "t",
            "g",
            &[
                ("bo", "Vi planerar gatukonst i Hammarkullen."),
                ("bo", "Och cykelbanor längs vägen."),
            ],
        ),
        thread_json("u", "h", &[("bo", "Om odlingslotter.")]),
    ])
    .await;
    let indexer = app.start_indexer();
    (app, indexer)
}

/// Registers and logs in `name` (`first@exempel.se`).
async fn member<'a>(app: &'a TestApp, name: &str) -> Visitor<'a> {
    let email = format!(
        "{}@exempel.se",
        name.split(' ').next().unwrap().to_lowercase()
    );
    let mut who = Visitor::new(app);
    who.register(name, &email, PASSWORD).await;
    let login = who.log_in(&email, PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    who
}

async fn sql(app: &TestApp, statement: &'static str) {
    execute(app.pool(), statement).await.unwrap();
}

/// The id of bo's first post in `t`.
async fn first_post(app: &TestApp) -> i64 {
    fetch_number(
        app.pool(),
        "SELECT id FROM posts WHERE thread_id = 't' AND body LIKE '%gatukonst%'",
    )
    .await
}

/// Anna Lind, a member of `g`, and Cilla Berg, its moderator.
async fn anna_and_cilla(app: &TestApp) -> (Visitor<'_>, Visitor<'_>) {
    let anna = member(app, "Anna Lind").await;
    let cilla = member(app, "Cilla Berg").await;
    sql(
        app,
        "INSERT INTO group_members (group_id, member_id) VALUES ('g', 'anna-lind')",
    )
    .await;
    sql(
        app,
        "INSERT INTO group_members (group_id, member_id, role) VALUES ('g', 'cilla-berg', 'moderator')",
    )
    .await;
    (anna, cilla)
}

async fn report(who: &mut Visitor<'_>, post: i64, reason: &str) -> Answer {
    let path = format!("/grupper/g/t/inlagg/{post}/anmal");
    who.submit(&path, &path, &[("anledning", reason)]).await
}

/// A moderator's action on `post` from the queue (a report is filed first if there is none:
/// actions answer reports).
async fn act(who: &mut Visitor<'_>, post: i64, action: &str, reason: &str) -> Answer {
    report_if_none(who.app, post).await;
    who.submit(
        "/moderering",
        &format!("/moderering/inlagg/{post}/{action}"),
        &[("anledning", reason)],
    )
    .await
}

#[tokio::test]
async fn a_member_reports_a_post_once_and_the_queue_shows_it_by_role() {
    let (app, _indexer) = app().await;
    let (mut anna, mut cilla) = anna_and_cilla(&app).await;
    let post = first_post(&app).await;

    let thread = anna.get("/grupper/g/t").await;
    let link = format!("/grupper/g/t/inlagg/{post}/anmal");
    assert!(thread.body.contains(&link), "{}", thread.body);
    let form = anna.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.cache_control, "no-store");
    for words in [
        "<h1>Anmäl inlägget</h1>",
        "Anledning",
        "Anmäl</button>",
        "gatukonst",
    ] {
        assert!(form.body.contains(words), "{words}: {}", form.body);
    }

    // A reason is required; unknown posts are not found.
    let missing = report(&mut anna, post, "  ").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.body.contains("Skriv en anledning"),
        "{}",
        missing.body
    );
    assert_eq!(
        anna.get("/grupper/g/t/inlagg/99999/anmal").await.status,
        StatusCode::NOT_FOUND
    );

    let sent = report(&mut anna, post, "Reklam för en firma").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let back = sent.headers["location"].to_str().unwrap().to_string();
    assert!(back.starts_with("/grupper/g/t?anmalt=1#inlagg-"), "{back}");
    let thanked = anna.get(back.split('#').next().unwrap()).await;
    assert!(
        thanked.body.contains("Din anmälan är skickad"),
        "{}",
        thanked.body
    );
    let again = report(&mut anna, post, "Igen").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("Du har redan anmält"), "{}", again.body);
    assert_eq!(
        fetch_number(app.pool(), "SELECT COUNT(*) FROM post_reports").await,
        1
    );

    // One's own post has no report link, and cannot be reported.
    let reply = anna
        .submit(
            "/grupper/g/t",
            "/grupper/g/t",
            &[("inlagg", "Mitt eget svar.")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let own = fetch_number(
        app.pool(),
        "SELECT id FROM posts WHERE author_id = 'anna-lind'",
    )
    .await;
    let page = anna.get("/grupper/g/t").await;
    assert!(
        !page.body.contains(&format!("/inlagg/{own}/anmal")),
        "{}",
        page.body
    );
    assert_eq!(
        anna.get(&format!("/grupper/g/t/inlagg/{own}/anmal"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The group's moderator, then its owner, sees the report; the group page leads there.
    let group = cilla.get("/grupper/g").await;
    assert!(
        group.body.contains("href=\"/moderering\""),
        "{}",
        group.body
    );
    assert!(
        !anna
            .get("/grupper/g")
            .await
            .body
            .contains("href=\"/moderering\"")
    );
    let queue = cilla.get("/moderering").await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert_eq!(queue.cache_control, "no-store");
    for words in [
        "<h1>Moderering</h1>",
        "Reklam för en firma",
        "Anna Lind",
        "Namn bo",
        "Tråd t",
        "Grupp g",
        "gatukonst",
        "Dölj inlägget",
        "Ta bort inlägget",
        "Lås tråden",
        "Avfärda",
        &format!("for=\"anledning-{post}-dolj\""),
    ] {
        assert!(queue.body.contains(words), "{words}: {}", queue.body);
    }
    // The group's owner wrote it: nobody offers to remove them.
    assert!(!queue.body.contains("Ta bort ur gruppen"), "{}", queue.body);
    sql(
        &app,
        "UPDATE group_members SET role = 'agare' WHERE member_id = 'cilla-berg'",
    )
    .await;
    assert!(
        cilla
            .get("/moderering")
            .await
            .body
            .contains("Reklam för en firma")
    );

    // A moderator of another group sees none of it; an admin sees all.
    let mut dag = member(&app, "Dag Ek").await;
    sql(
        &app,
        "INSERT INTO group_members (group_id, member_id, role) VALUES ('h', 'dag-ek', 'moderator')",
    )
    .await;
    let other = dag.get("/moderering").await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(
        !other.body.contains("Reklam för en firma"),
        "{}",
        other.body
    );
    assert!(other.body.contains("Det finns inga öppna anmälningar"));
    let outside = act(&mut dag, post, "dolj", "Jag vill").await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);

    sql(
        &app,
        "UPDATE accounts SET role = 'admin' WHERE member_id = 'dag-ek'",
    )
    .await;
    assert!(
        dag.get("/moderering")
            .await
            .body
            .contains("Reklam för en firma")
    );

    // A plain member is refused; a visitor is asked to log in.
    assert_eq!(anna.get("/moderering").await.status, StatusCode::FORBIDDEN);
    let visitor = Visitor::new(&app).get("/moderering").await;
    assert_eq!(visitor.status, StatusCode::UNAUTHORIZED);
    assert!(visitor.body.contains("Logga in"), "{}", visitor.body);
}

#[tokio::test]
async fn hiding_takes_the_text_out_of_the_thread_and_search_and_is_logged() {
    let (app, _indexer) = app().await;
    let (mut anna, mut cilla) = anna_and_cilla(&app).await;
    let post = first_post(&app).await;
    assert!(
        anna.get("/sok?q=gatukonst")
            .await
            .body
            .contains("/grupper/g/t")
    );
    assert_eq!(
        report(&mut anna, post, "Kränkande").await.status,
        StatusCode::SEE_OTHER
    );

    // A reason is required; the message stands at the action's own field.
    let missing = act(&mut cilla, post, "dolj", "").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing
            .body
            .contains(&format!("href=\"#anledning-{post}-dolj\"")),
        "{}",
        missing.body
    );
    assert!(missing.body.contains("Skriv en anledning"));
    assert_eq!(
        act(&mut cilla, 99999, "dolj", "Varför").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        act(&mut cilla, post, "okand", "Varför").await.status,
        StatusCode::NOT_FOUND
    );

    let hidden = act(&mut cilla, post, "dolj", "Bryter mot reglerna").await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER, "{}", hidden.body);
    assert_eq!(hidden.headers["location"], "/moderering?klart=dolj");
    let queue = cilla.get("/moderering?klart=dolj").await;
    assert!(queue.body.contains("Inlägget är dolt."), "{}", queue.body);
    assert!(
        queue.body.contains("Det finns inga öppna anmälningar"),
        "{}",
        queue.body
    );

    for who in [&mut anna, &mut cilla] {
        let page = who.get("/grupper/g/t").await;
        assert!(
            page.body.contains("Inlägget är dolt av en moderator."),
            "{}",
            page.body
        );
        assert!(!page.body.contains("gatukonst"), "{}", page.body);
    }
    assert!(
        !anna
            .get("/sok?q=gatukonst")
            .await
            .body
            .contains("/grupper/g/t")
    );
    assert!(
        anna.get("/sok?q=cykelbanor")
            .await
            .body
            .contains("/grupper/g/t")
    );

    // A hidden post of one's own can no longer be edited.
    let reply = anna
        .submit(
            "/grupper/g/t",
            "/grupper/g/t",
            &[("inlagg", "Mitt inlägg.")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let own = fetch_number(
        app.pool(),
        "SELECT id FROM posts WHERE author_id = 'anna-lind'",
    )
    .await;
    let edit = format!("/grupper/g/t/inlagg/{own}/redigera");
    assert_eq!(anna.get(&edit).await.status, StatusCode::OK);
    assert_eq!(
        act(&mut cilla, own, "dolj", "Personuppgifter").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(anna.get(&edit).await.status, StatusCode::FORBIDDEN);
    let page = anna.get("/grupper/g/t").await;
    assert!(!page.body.contains(&edit), "{}", page.body);

    // Only site admins read the log.
    assert_eq!(
        cilla.get("/moderering/logg").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        anna.get("/moderering/logg").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        Visitor::new(&app).get("/moderering/logg").await.status,
        StatusCode::UNAUTHORIZED
    );
    sql(
        &app,
        "UPDATE accounts SET role = 'admin' WHERE member_id = 'anna-lind'",
    )
    .await;
    let log = anna.get("/moderering/logg").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    for words in [
        "<h1>Modereringslogg</h1>",
        "cilla-berg",
        "dolde inlägget",
        "Bryter mot reglerna",
        "<td>t</td>",
        "<td>g</td>",
        "<td>bo</td>",
    ] {
        assert!(log.body.contains(words), "{words}: {}", log.body);
    }
}

#[tokio::test]
async fn deleting_locking_removing_and_dismissing() {
    let (app, _indexer) = app().await;
    let (mut anna, mut cilla) = anna_and_cilla(&app).await;
    let post = first_post(&app).await;

    // Locking: no reply form, and a reply is refused.
    assert_eq!(
        report(&mut anna, post, "Gräl").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&mut cilla, post, "las", "Tråden spårade ur")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = anna.get("/grupper/g/t").await;
    assert!(page.body.contains("Tråden är låst"), "{}", page.body);
    assert!(!page.body.contains("Ditt svar"), "{}", page.body);
    let token = csrf_of(&page.body);
    let refused = anna
        .post(
            "/grupper/g/t",
            &[("inlagg", "Ändå ett svar"), ("csrf", &token)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Tråden är låst"));
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT COUNT(*) FROM posts WHERE thread_id = 't'"
        )
        .await,
        2
    );
    // The moderator unlocks it, with a reason.
    let shown = cilla.get("/grupper/g/t").await;
    assert!(
        shown.body.contains("/moderering/tradar/t/las-upp"),
        "{}",
        shown.body
    );
    let path = "/moderering/tradar/t/las-upp";
    assert_eq!(
        cilla.submit(path, path, &[("anledning", "")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(anna.get(path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        cilla
            .submit(path, path, &[("anledning", "Lugnt nu")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let reply = anna
        .submit(
            "/grupper/g/t",
            "/grupper/g/t",
            &[("inlagg", "Mitt svar om gatukonst.")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);

    // Removing the author from the group: not the owner; a member loses the right to write.
    assert_eq!(
        report(&mut anna, post, "Igen").await.status,
        StatusCode::SEE_OTHER
    );
    let owner = act(&mut cilla, post, "ta-bort-ur-gruppen", "Spam").await;
    assert_eq!(owner.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        owner
            .body
            .contains("Gruppens ägare kan inte tas bort ur gruppen"),
        "{}",
        owner.body
    );
    let own = fetch_number(
        app.pool(),
        "SELECT id FROM posts WHERE author_id = 'anna-lind'",
    )
    .await;
    let mut bertil = member(&app, "Bertil Holm").await;
    sql(
        &app,
        "INSERT INTO group_members (group_id, member_id) VALUES ('g', 'bertil-holm')",
    )
    .await;
    let path = format!("/grupper/g/t/inlagg/{own}/anmal");
    assert_eq!(
        bertil
            .submit(&path, &path, &[("anledning", "Hot")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let queue = cilla.get("/moderering").await;
    let remove = format!("/moderering/inlagg/{own}/ta-bort-ur-gruppen");
    assert!(queue.body.contains(&remove), "{}", queue.body);
    let removed = act(&mut cilla, own, "ta-bort-ur-gruppen", "Hot mot andra").await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT COUNT(*) FROM group_members WHERE member_id = 'anna-lind'"
        )
        .await,
        0
    );
    let page = anna.get("/grupper/g/t").await;
    let token = csrf_of(&page.body);
    let barred = anna
        .post("/grupper/g/t", &[("inlagg", "Hallå?"), ("csrf", &token)])
        .await;
    assert_eq!(barred.status, StatusCode::FORBIDDEN);

    // Dismissing closes the report and changes nothing else; deleting removes the post.
    assert_eq!(
        bertil
            .submit(
                &format!("/grupper/g/t/inlagg/{post}/anmal"),
                &format!("/grupper/g/t/inlagg/{post}/anmal"),
                &[("anledning", "Fel")]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&mut cilla, post, "avfarda", "Inget fel").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT COUNT(*) FROM post_reports WHERE closed_at IS NULL"
        )
        .await,
        0
    );
    assert!(
        bertil
            .get("/grupper/g/t")
            .await
            .body
            .contains("gatukonst i Hammarkullen")
    );
    assert_eq!(
        act(&mut cilla, post, "ta-bort", "Olämpligt").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT COUNT(*) FROM posts WHERE body LIKE 'Vi planerar%'"
        )
        .await,
        0
    );
    assert!(
        !bertil
            .get("/sok?q=planerar")
            .await
            .body
            .contains("/grupper/g/t")
    );
    assert_eq!(
        fetch_number(app.pool(), "SELECT COUNT(*) FROM moderation_log").await,
        5
    );
}

/// Files an open report of `post` (by its author, who certainly exists) unless one is open.
async fn report_if_none(app: &TestApp, post: i64) {
    let mut conn = app.pool().acquire().await.unwrap();
    if !hallbar::db::moderation::has_open_report(&mut conn, post)
        .await
        .unwrap()
        && let Some(found) = hallbar::db::threads::post(&mut conn, post).await.unwrap()
    {
        hallbar::db::moderation::report(
            &mut conn,
            post,
            found.author.as_str(),
            "Anmäld i testet",
            1,
        )
        .await
        .unwrap();
    }
}
