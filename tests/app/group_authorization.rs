//! The authorization matrix of groups and discussions: for each action and each role —
//! visitor, member outside, requester, group member, moderator, owner, site admin — what is
//! allowed and what is refused, through HTTP, for an open and a closed group. A refused
//! action changes nothing.

use axum::http::StatusCode;

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Visitor,
    Outsider,
    Requester,
    Member,
    Moderator,
    Owner,
    SiteAdmin,
}

const EVERYONE: [Who; 7] = [
    Who::Visitor,
    Who::Outsider,
    Who::Requester,
    Who::Member,
    Who::Moderator,
    Who::Owner,
    Who::SiteAdmin,
];

impl Who {
    /// The member id the role is played by (the site admin is a registered account).
    fn id(self) -> Option<&'static str> {
        match self {
            Who::Visitor => None,
            Who::Outsider => Some("olle"),
            Who::Requester => Some("rut"),
            Who::Member => Some("mats"),
            Who::Moderator => Some("mona"),
            Who::Owner => Some("agnes"),
            Who::SiteAdmin => Some("ada-admin"),
        }
    }

    fn in_group(self) -> bool {
        matches!(self, Who::Member | Who::Moderator | Who::Owner)
    }
}

async fn app() -> TestApp {
    let people = ["olle", "rut", "mats", "mona", "agnes"].map(member_json);
    let mut values: Vec<serde_json::Value> = people.to_vec();
    for (group, access) in [("oppen", "oppen"), ("stangd", "stangd")] {
        values.push(group_json(
            group,
            "agnes",
            &["agnes", "mona", "mats"],
            access,
        ));
        values.push(thread_json(
            &format!("t-{group}"),
            group,
            &[("mats", "Första inlägget."), ("agnes", "Ett svar.")],
        ));
    }
    let app = TestApp::with(&values).await;
    execute(
        app.pool(),
        "UPDATE group_members SET role = 'moderator' WHERE member_id = 'mona'",
    )
    .await
    .unwrap();
    execute(
        app.pool(),
        "INSERT INTO group_requests (group_id, member_id, message, created_at) \
         VALUES ('stangd', 'rut', 'Får jag vara med?', 1)",
    )
    .await
    .unwrap();
    app
}

/// A browser for `who` (the site admin logs in for real; the others are injected).
async fn as_who<'a>(app: &'a mut TestApp, who: Who) -> Visitor<'a> {
    match who {
        Who::SiteAdmin => {
            app.log_out();
            let mut admin = Visitor::new(app);
            if fetch_number(app.pool(), "SELECT count(*) FROM accounts").await == 0 {
                admin
                    .register("Ada Admin", "ada@exempel.se", PASSWORD)
                    .await;
                execute(app.pool(), "UPDATE accounts SET role = 'admin'")
                    .await
                    .unwrap();
            }
            admin.log_in("ada@exempel.se", PASSWORD).await;
            admin
        }
        Who::Visitor => {
            app.log_out();
            Visitor::new(app)
        }
        other => {
            app.log_in(other.id().unwrap()).await;
            Visitor::new(app)
        }
    }
}

fn allowed(status: StatusCode) -> bool {
    status.is_success() || status.is_redirection()
}

/// Posts a form with a CSRF token from `page` (or from `/registrera` when `page` has none).
async fn act(v: &mut Visitor<'_>, page: &str, action: &str, fields: &[(&str, &str)]) -> StatusCode {
    let shown = v.get(page).await;
    // A page that offers no form for this viewer: a token from a page that always has one
    // (a forged request with a valid token, which only the server's own rules can stop).
    let source = if shown.body.contains(r#"name="csrf""#) {
        shown
    } else {
        v.get("/registrera").await
    };
    let token = csrf_of(&source.body);
    let mut all = fields.to_vec();
    all.push(("csrf", &token));
    v.post(action, &all).await.status
}

#[tokio::test]
async fn who_may_read_what() {
    let mut app = app().await;
    for who in EVERYONE {
        let mut v = as_who(&mut app, who).await;
        let list = v.get("/grupper").await;
        assert_eq!(list.status, StatusCode::OK, "{who:?} lists groups");
        // Every group's name is public; a closed group's threads are not.
        assert!(list.body.contains("Grupp stangd"), "{who:?}");
        for (group, closed) in [("oppen", false), ("stangd", true)] {
            let page = v.get(&format!("/grupper/{group}")).await;
            assert_eq!(page.status, StatusCode::OK, "{who:?} {group} page");
            let may_read = if closed {
                who.in_group()
            } else {
                who != Who::Visitor
            };
            assert_eq!(
                page.body.contains(&format!("/grupper/{group}/t-{group}")),
                may_read,
                "{who:?} sees {group}'s threads"
            );
            let thread = v.get(&format!("/grupper/{group}/t-{group}")).await;
            let expected = match (may_read, who, closed) {
                (true, _, _) => StatusCode::OK,
                (false, Who::Visitor, false) => StatusCode::UNAUTHORIZED,
                (false, _, _) => StatusCode::NOT_FOUND,
            };
            assert_eq!(thread.status, expected, "{who:?} reads {group}'s thread");
            let search = v.get("/sok?q=inl%C3%A4gget").await;
            assert_eq!(
                search.body.contains(&format!("/grupper/{group}/t-{group}")),
                may_read,
                "{who:?} finds {group}'s thread in search"
            );
        }
    }
}

#[tokio::test]
async fn who_may_write_in_a_group() {
    let mut app = app().await;
    for (group, closed) in [("oppen", false), ("stangd", true)] {
        for who in EVERYONE {
            let may_write = who.in_group();
            let threads_before = fetch_number(app.pool(), "SELECT count(*) FROM threads").await;
            let posts_before = fetch_number(app.pool(), "SELECT count(*) FROM posts").await;
            let mut v = as_who(&mut app, who).await;
            let new_thread = format!("/grupper/{group}/ny-trad");
            let status = act(
                &mut v,
                &new_thread,
                &new_thread,
                &[
                    ("rubrik", &format!("Ny tråd av {who:?}")),
                    ("inlagg", "Hej!"),
                ],
            )
            .await;
            assert_eq!(
                allowed(status),
                may_write,
                "{who:?} starts a thread in {group}: {status}"
            );
            let thread = format!("/grupper/{group}/t-{group}");
            let status = act(&mut v, &thread, &thread, &[("inlagg", "Ett svar till.")]).await;
            assert_eq!(
                allowed(status),
                may_write,
                "{who:?} replies in {group}: {status}"
            );
            drop(v);
            let expected = if may_write { 1 } else { 0 };
            assert_eq!(
                fetch_number(app.pool(), "SELECT count(*) FROM threads").await - threads_before,
                expected,
                "{who:?} {group} {closed}"
            );
            assert_eq!(
                fetch_number(app.pool(), "SELECT count(*) FROM posts").await - posts_before,
                2 * expected,
                "{who:?} {group}"
            );
        }
    }
}

#[tokio::test]
async fn only_the_author_edits_or_deletes_a_post() {
    let mut app = app().await;
    for group in ["oppen", "stangd"] {
        let post: i64 = match group {
            "oppen" => {
                fetch_number(
                    app.pool(),
                    "SELECT min(id) FROM posts WHERE thread_id = 't-oppen'",
                )
                .await
            }
            _ => {
                fetch_number(
                    app.pool(),
                    "SELECT min(id) FROM posts WHERE thread_id = 't-stangd'",
                )
                .await
            }
        };
        let base = format!("/grupper/{group}/t-{group}/inlagg/{post}");
        for who in EVERYONE {
            let mut v = as_who(&mut app, who).await;
            let edit = format!("{base}/redigera");
            let status = act(
                &mut v,
                &edit,
                &edit,
                &[("inlagg", "Ändrat av någon annan.")],
            )
            .await;
            let author = who == Who::Member;
            assert_eq!(
                allowed(status),
                author,
                "{who:?} edits Mats's post in {group}: {status}"
            );
            let delete = format!("{base}/ta-bort");
            if !author {
                let status = act(&mut v, &delete, &delete, &[]).await;
                assert!(
                    !allowed(status),
                    "{who:?} deletes Mats's post in {group}: {status}"
                );
            }
        }
        let edited = fetch_number(
            app.pool(),
            "SELECT count(*) FROM posts WHERE body = 'Ändrat av någon annan.'",
        )
        .await;
        assert_eq!(
            edited,
            if group == "oppen" { 1 } else { 2 },
            "only Mats's own edit"
        );
    }
}

#[tokio::test]
async fn who_may_answer_requests_and_change_roles() {
    let mut app = app().await;
    for who in EVERYONE {
        let may_answer = matches!(who, Who::Moderator | Who::Owner);
        let may_manage = who == Who::Owner;
        // Approving Rut (only once: the first allowed answer takes the request).
        let requests = fetch_number(app.pool(), "SELECT count(*) FROM group_requests").await;
        let mut v = as_who(&mut app, who).await;
        let page = "/grupper/stangd";
        let status = act(&mut v, page, "/grupper/stangd/medlemskap/rut/godkann", &[]).await;
        if requests == 1 {
            assert_eq!(allowed(status), may_answer, "{who:?} approves: {status}");
        } else {
            assert!(
                !allowed(status),
                "{who:?} approves an answered request: {status}"
            );
        }
        // Making Mats a moderator, and back.
        let status = act(
            &mut v,
            page,
            "/grupper/stangd/medlemskap/mats/moderator",
            &[],
        )
        .await;
        assert_eq!(
            allowed(status),
            may_manage,
            "{who:?} appoints a moderator: {status}"
        );
        if may_manage {
            let status = act(
                &mut v,
                page,
                "/grupper/stangd/medlemskap/mats/ta-bort-moderator",
                &[],
            )
            .await;
            assert!(allowed(status));
        }
        // Removing the owner is never allowed; removing Mats only for the owner.
        let status = act(
            &mut v,
            page,
            "/grupper/stangd/medlemskap/agnes/ta-bort",
            &[],
        )
        .await;
        assert!(!allowed(status), "{who:?} removes the owner: {status}");
        drop(v);
        if !may_manage {
            assert_eq!(
                fetch_number(
                    app.pool(),
                    "SELECT count(*) FROM group_members WHERE group_id = 'stangd' AND role = 'moderator'"
                )
                .await,
                1,
                "{who:?} changed roles"
            );
        }
    }
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT count(*) FROM group_members WHERE member_id = 'rut'"
        )
        .await,
        1,
        "Rut was approved once"
    );
}

#[tokio::test]
async fn who_may_report_and_moderate() {
    let mut app = app().await;
    for (group, closed) in [("oppen", false), ("stangd", true)] {
        let post: i64 = if closed {
            fetch_number(
                app.pool(),
                "SELECT max(id) FROM posts WHERE thread_id = 't-stangd'",
            )
            .await
        } else {
            fetch_number(
                app.pool(),
                "SELECT max(id) FROM posts WHERE thread_id = 't-oppen'",
            )
            .await
        };
        // Agnes wrote the post; anyone else who may read it may report it.
        let report = format!("/grupper/{group}/t-{group}/inlagg/{post}/anmal");
        for who in EVERYONE {
            let may_read = if closed {
                who.in_group()
            } else {
                who != Who::Visitor
            };
            let may_report = may_read && who != Who::Owner;
            let mut v = as_who(&mut app, who).await;
            let status = act(&mut v, &report, &report, &[("anledning", "Stämmer inte.")]).await;
            assert_eq!(
                allowed(status),
                may_report,
                "{who:?} reports in {group}: {status}"
            );
        }
        for who in EVERYONE {
            let mut v = as_who(&mut app, who).await;
            let queue = v.get("/moderering").await.status;
            let moderates = matches!(who, Who::Moderator | Who::Owner | Who::SiteAdmin);
            let expected = match who {
                Who::Visitor => StatusCode::UNAUTHORIZED,
                _ if moderates => StatusCode::OK,
                _ => StatusCode::FORBIDDEN,
            };
            assert_eq!(queue, expected, "{who:?} opens the queue");
            // Someone has reported the post (actions answer reports).
            let mut conn = v.app.pool().acquire().await.unwrap();
            if !hallbar::db::moderation::has_open_report(&mut conn, post)
                .await
                .unwrap()
            {
                hallbar::db::moderation::report(&mut conn, post, "olle", "Anmält.", 1)
                    .await
                    .unwrap();
            }
            drop(conn);
            let lock = format!("/moderering/inlagg/{post}/las");
            let status = act(&mut v, "/moderering", &lock, &[("anledning", "Lugna ner.")]).await;
            assert_eq!(
                allowed(status),
                moderates,
                "{who:?} locks {group}'s thread: {status}"
            );
            drop(v);
            let locked = if closed {
                fetch_number(
                    app.pool(),
                    "SELECT count(*) FROM threads WHERE id = 't-stangd' AND locked = TRUE",
                )
                .await
            } else {
                fetch_number(
                    app.pool(),
                    "SELECT count(*) FROM threads WHERE id = 't-oppen' AND locked = TRUE",
                )
                .await
            };
            assert_eq!(locked == 1, moderates, "{who:?}");
            if moderates {
                execute(app.pool(), "UPDATE threads SET locked = FALSE")
                    .await
                    .unwrap();
            }
        }
    }
}
