//! What the hostile review of moderation found, as tests of what a safe app does (each
//! failed before its fix): a moderator's powers through unreported posts, edits in locked
//! threads, 403-or-404 revealing closed threads, control characters in reasons, report
//! floods.

use axum::http::StatusCode;

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";

/// bo owns the open group `g` (thread `t`: two posts by bo).
async fn app() -> (TestApp, hallbar::indexer::IndexerHandle) {
    let mut app = TestApp::with(&[
        member_json("bo"),
        group_json("g", "bo", &["bo"], "oppen"),
        thread_json(
            "t",
            "g",
            &[
                ("bo", "Vi planerar gatukonst i Hammarkullen."),
                ("bo", "Och cykelbanor längs vägen."),
            ],
        ),
    ])
    .await;
    let indexer = app.start_indexer();
    (app, indexer)
}

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

async fn act(who: &mut Visitor<'_>, post: i64, action: &str, reason: &str) -> Answer {
    who.submit(
        "/moderering",
        &format!("/moderering/inlagg/{post}/{action}"),
        &[("anledning", reason)],
    )
    .await
}

async fn reply(who: &mut Visitor<'_>, text: &str) -> Answer {
    who.submit("/grupper/g/t", "/grupper/g/t", &[("inlagg", text)])
        .await
}

/// Finding 1: a group moderator removes a FELLOW MODERATOR from the group through
/// "ta-bort-ur-gruppen" — on a post nobody reported. Member management (`/grupper/g/
/// medlemmar/…/ta-bort`, `ta-bort-moderator`) is the owner's alone; the moderation action
/// bypasses that: any moderator can purge every other moderator (and, by the same route,
/// hide or delete any post of the group, the owner's too, without a report).
#[tokio::test]
async fn a_moderator_cannot_remove_a_fellow_moderator_through_an_unreported_post() {
    let (app, _indexer) = app().await;
    let mut cilla = member(&app, "Cilla Berg").await;
    let mut dag = member(&app, "Dag Ek").await;
    sql(
        &app,
        "INSERT INTO group_members (group_id, member_id, role) VALUES \
         ('g', 'cilla-berg', 'moderator'), ('g', 'dag-ek', 'moderator')",
    )
    .await;
    assert_eq!(
        reply(&mut dag, "Hej från Dag.").await.status,
        StatusCode::SEE_OTHER
    );
    let dags = fetch_number(
        app.pool(),
        "SELECT id FROM posts WHERE author_id = 'dag-ek'",
    )
    .await;
    assert_eq!(
        fetch_number(app.pool(), "SELECT COUNT(*) FROM post_reports").await,
        0,
        "nobody reported anything"
    );

    let removed = act(&mut cilla, dags, "ta-bort-ur-gruppen", "Maktkamp").await;
    let still = fetch_number(
        app.pool(),
        "SELECT COUNT(*) FROM group_members WHERE group_id = 'g' AND member_id = 'dag-ek' \
         AND role = 'moderator'",
    )
    .await;
    assert_eq!(
        still, 1,
        "moderator cilla removed moderator dag (answer {}, no report existed); only the \
         owner may remove members or moderators",
        removed.status
    );
}

/// Finding 2: a locked thread still takes changes: the author of a post in it edits the
/// post (to anything, up to 50 000 characters) after a moderator locked the thread.
#[tokio::test]
async fn an_author_cannot_edit_a_post_in_a_locked_thread() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut cilla = member(&app, "Cilla Berg").await;
    sql(
        &app,
        "INSERT INTO group_members (group_id, member_id, role) VALUES \
         ('g', 'anna-lind', 'medlem'), ('g', 'cilla-berg', 'moderator')",
    )
    .await;
    assert_eq!(
        reply(&mut anna, "Ett lugnt inlägg.").await.status,
        StatusCode::SEE_OTHER
    );
    let own = fetch_number(
        app.pool(),
        "SELECT id FROM posts WHERE author_id = 'anna-lind'",
    )
    .await;
    let mut conn = app.pool().acquire().await.unwrap();
    hallbar::db::moderation::report(&mut conn, own, "bo", "Spårar ur", 1)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(
        act(&mut cilla, own, "las", "Tråden spårade ur")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT COUNT(*) FROM threads WHERE id = 't' AND locked"
        )
        .await,
        1
    );
    let path = format!("/grupper/g/t/inlagg/{own}/redigera");
    let edited = anna
        .submit(
            &path,
            &path,
            &[("inlagg", "ELAKT NYTT INNEHÅLL efter låsningen")],
        )
        .await;
    let changed = fetch_number(
        app.pool(),
        "SELECT COUNT(*) FROM posts WHERE body LIKE '%efter låsningen%'",
    )
    .await;
    assert_eq!(
        changed, 0,
        "the post was edited in a locked thread (answer {})",
        edited.status
    );
}

/// Finding 3: "anledning" takes control characters (NUL too), unlike posts and titles. On
/// SQLite the NUL is stored and shown to moderators and in the log; on PostgreSQL (`text`
/// refuses 0x00) the report / action fails with a 500 instead of a 422.
#[tokio::test]
async fn a_reason_with_a_nul_byte_is_refused_as_a_form_error() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let post = fetch_number(
        app.pool(),
        "SELECT id FROM posts WHERE body LIKE '%gatukonst%'",
    )
    .await;
    let path = format!("/grupper/g/t/inlagg/{post}/anmal");
    let answer = anna
        .submit(&path, &path, &[("anledning", "spam\u{0}\u{1b}[31m")])
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason with NUL/ESC: {} {}",
        answer.status,
        answer.body.chars().take(300).collect::<String>()
    );
}

/// Finding 4: once a post is hidden, search numbers the thread's remaining posts as if the
/// hidden one were not there: a hit on the post after it links to the HIDDEN post's anchor
/// (`#inlagg-1` instead of `#inlagg-2`), and on later pages to the wrong post/page.
/// Finding 5: the moderation routes answer 403 for a thread (or post) that exists and 404
/// for one that does not, to ANY logged-in member, before looking at whether the thread's
/// group is closed to them. Thread ids are slugs of their titles, so an outsider confirms
/// guessed titles of a closed group's threads ("does `/moderering/tradar/<slug of a
/// title>/las-upp` answer 403?"). Everywhere else a closed group's content is a 404.
#[tokio::test]
async fn the_unlock_route_does_not_reveal_a_closed_groups_threads() {
    let app = TestApp::with(&[
        member_json("bo"),
        member_json("eva"),
        group_json("hemlig", "bo", &["bo"], "stangd"),
        thread_json("uppsagningar-pa-bolaget", "hemlig", &[("bo", "Hemligt.")]),
    ])
    .await;
    let mut eva = Visitor::new(&app);
    eva.register("Eva Ny", "eva@exempel.se", PASSWORD).await;
    assert_eq!(
        eva.log_in("eva@exempel.se", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        eva.get("/grupper/hemlig/uppsagningar-pa-bolaget")
            .await
            .status,
        StatusCode::NOT_FOUND,
        "the thread itself is a 404 to an outsider"
    );
    let exists = eva
        .get("/moderering/tradar/uppsagningar-pa-bolaget/las-upp")
        .await
        .status;
    let missing = eva
        .get("/moderering/tradar/finns-inte/las-upp")
        .await
        .status;
    assert_eq!(
        exists, missing,
        "an outsider tells an existing closed-group thread ({exists}) from none ({missing})"
    );
}

/// Finding 6: "Ta bort ur gruppen" has no teeth in an open group: the removed member joins
/// again at once ("Gå med") and writes in the same thread. Nothing records the removal.
/// Finding 7: moderation does not survive an export and import (the documented way to move
/// or restore the data): a hidden post comes back with its text shown, a locked thread
/// comes back open. The export carries the hidden text with nothing marking it hidden.
/// Finding 8: the hidden mark sticks to a post's ROW while an import matches posts by
/// POSITION. After a moderator deletes an earlier post of the thread (or its author does),
/// importing the thread again (as `hallbar import` of the source does) moves the mark onto
/// another post: the hidden text is shown again and an innocent post is hidden instead.
/// Finding 9: reporting has no throttle and the queue no limit: any logged-in member (no
/// need to belong to an open group) files a 2 000-character report on every post of every
/// open group in a loop; every moderator's and admin's `/moderering` then loads and renders
/// all of them (each with its post's full text read from the database) on every view.
#[tokio::test]
async fn one_member_cannot_flood_the_moderation_queue() {
    let posts: Vec<(&str, String)> = (0..40)
        .map(|i| ("bo", format!("Inlägg nummer {i}.")))
        .collect();
    let refs: Vec<(&str, &str)> = posts.iter().map(|(a, t)| (*a, t.as_str())).collect();
    let mut app = TestApp::with(&[
        member_json("bo"),
        group_json("g", "bo", &["bo"], "oppen"),
        thread_json("t", "g", &refs),
    ])
    .await;
    let _indexer = app.start_indexer();
    let mut eva = member(&app, "Eva Ny").await; // not even a member of g
    let reason = "x".repeat(2_000);
    let first = fetch_number(app.pool(), "SELECT MIN(id) FROM posts").await;
    let mut accepted = 0;
    for id in first..first + 40 {
        let path = format!("/grupper/g/t/inlagg/{id}/anmal");
        if eva
            .submit(&path, &path, &[("anledning", &reason)])
            .await
            .status
            == StatusCode::SEE_OTHER
        {
            accepted += 1;
        }
    }
    assert!(
        accepted < 40,
        "one outsider filed {accepted} reports of 2 000 characters in a row, unthrottled"
    );
}

/// Finding 4: once a post is hidden, search numbers the thread's remaining posts as if the
/// hidden one were not there: a hit on the post after it links to the HIDDEN post's anchor
/// (`#inlagg-1` instead of `#inlagg-2`), and on later pages to the wrong post/page.
#[tokio::test]
async fn a_search_hit_after_a_hidden_post_links_to_its_own_post() {
    let (app, _indexer) = app().await;
    let mut cilla = member(&app, "Cilla Berg").await;
    sql(
        &app,
        "INSERT INTO group_members (group_id, member_id, role) VALUES ('g', 'cilla-berg', 'moderator')",
    )
    .await;
    let first = fetch_number(
        app.pool(),
        "SELECT id FROM posts WHERE body LIKE '%gatukonst%'",
    )
    .await;
    let before = cilla.get("/sok?q=cykelbanor").await;
    assert!(
        before.body.contains("/grupper/g/t#inlagg-2"),
        "{}",
        before.body
    );
    let mut conn = app.pool().acquire().await.unwrap();
    hallbar::db::moderation::report(&mut conn, first, "bo", "Bryter mot reglerna", 1)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(
        act(&mut cilla, first, "dolj", "Bryter mot reglerna")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let after = cilla.get("/sok?q=cykelbanor").await;
    assert!(
        after.body.contains("/grupper/g/t#inlagg-2")
            && !after.body.contains("/grupper/g/t#inlagg-1"),
        "the hit on post 2 now links to the hidden post 1: {}",
        main_of(&after.body)
    );
}
