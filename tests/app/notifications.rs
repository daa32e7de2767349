//! `/notiser` and the unread count in the header: listed newest first, marked read one by
//! one or all at once, only the member's own, and one about a closed group only while the
//! member belongs to it.

use axum::http::StatusCode;
use hallbar::db::notifications::{self, Kind, New};

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";

async fn notify(app: &TestApp, member: &str, kind: Kind, text: &str, group: Option<&str>, at: i64) {
    let mut conn = app.pool().acquire().await.unwrap();
    notifications::create(
        &mut conn,
        &New {
            member_id: member,
            kind,
            text,
            link: "/grupper",
            group_id: group,
            now: at,
        },
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn notifications_are_listed_counted_and_marked_read() {
    let app = TestApp::with(&[
        member_json("bo"),
        group_json("stangd", "bo", &["bo"], "stangd"),
    ])
    .await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    anna.log_in("anna@exempel.se", PASSWORD).await;
    assert!(
        anna.get("/notiser")
            .await
            .body
            .contains("Du har inga notiser ännu")
    );
    notify(
        &app,
        "anna-lind",
        Kind::Reply,
        "Bo svarade i Trygghetsvandringar",
        None,
        100,
    )
    .await;
    notify(
        &app,
        "anna-lind",
        Kind::Mention,
        "Bo nämnde dig i Mötesplatser",
        None,
        200,
    )
    .await;
    notify(&app, "bo", Kind::Reply, "Någon svarade Bo", None, 300).await;
    let page = anna.get("/notiser").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(r#"<span class="olasta">2</span>"#),
        "the header counts two"
    );
    let main = main_of(&page.body);
    let (newer, older) = (
        main.find("nämnde dig").unwrap(),
        main.find("svarade i").unwrap(),
    );
    assert!(newer < older, "newest first");
    assert!(!main.contains("Någon svarade Bo"), "only Anna's own");
    assert!(main.contains("Omnämnande"));
    // Another member's notification cannot be marked.
    let token = csrf_of(&page.body);
    let bos: i64 = fetch_number(
        app.pool(),
        "SELECT max(id) FROM notifications WHERE member_id = 'bo'",
    )
    .await;
    let answer = anna
        .post(&format!("/notiser/{bos}/last"), &[("csrf", &token)])
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    // One read.
    let first: i64 = fetch_number(
        app.pool(),
        "SELECT min(id) FROM notifications WHERE member_id = 'anna-lind'",
    )
    .await;
    let answer = anna
        .post(&format!("/notiser/{first}/last"), &[("csrf", &token)])
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(
        anna.get("/om")
            .await
            .body
            .contains(r#"<span class="olasta">1</span>"#)
    );
    // All read.
    let answer = anna.post("/notiser/alla-lasta", &[("csrf", &token)]).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let page = anna.get("/notiser").await;
    assert!(!page.body.contains(r#"class="olasta""#));
    assert!(page.body.contains("Alla notiser är lästa."));
    // Without the token nothing changes; visitors are sent to log in.
    notify(&app, "anna-lind", Kind::NewThread, "Ny tråd", None, 400).await;
    assert_eq!(
        anna.post("/notiser/alla-lasta", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        anna.get("/om")
            .await
            .body
            .contains(r#"<span class="olasta">1</span>"#)
    );
    assert_eq!(app.get("/notiser").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_notification_about_a_closed_group_goes_with_the_membership() {
    let app = TestApp::with(&[
        member_json("bo"),
        group_json("stangd", "bo", &["bo"], "stangd"),
    ])
    .await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    anna.log_in("anna@exempel.se", PASSWORD).await;
    execute(
        app.pool(),
        "INSERT INTO group_members (group_id, member_id) VALUES ('stangd', 'anna-lind')",
    )
    .await
    .unwrap();
    notify(
        &app,
        "anna-lind",
        Kind::NewThread,
        "Hemlig tråd i den stängda gruppen",
        Some("stangd"),
        100,
    )
    .await;
    let page = anna.get("/notiser").await;
    assert!(page.body.contains("Hemlig tråd"));
    assert!(page.body.contains(r#"<span class="olasta">1</span>"#));
    execute(
        app.pool(),
        "DELETE FROM group_members WHERE member_id = 'anna-lind'",
    )
    .await
    .unwrap();
    let page = anna.get("/notiser").await;
    assert!(
        !page.body.contains("Hemlig tråd"),
        "gone with the membership"
    );
    assert!(!page.body.contains(r#"class="olasta""#));
}

#[tokio::test]
async fn threads_replies_and_mentions_notify_the_members_concerned() {
    let app = TestApp::with(&[
        member_json("bo"),
        member_json("cecilia"),
        member_json("dan"),
        group_json("g", "bo", &["bo", "cecilia"], "oppen"),
        group_json("s", "bo", &["bo"], "stangd"),
    ])
    .await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    anna.log_in("anna@exempel.se", PASSWORD).await;
    execute(app.pool(), "INSERT INTO group_members (group_id, member_id) VALUES ('g', 'anna-lind'), ('s', 'anna-lind')")
        .await
        .unwrap();
    // A new thread: the group's other members hear of it; a mention of a non-member of an
    // open group too, of a closed group's outsider not.
    let created = anna
        .submit(
            "/grupper/g/ny-trad",
            "/grupper/g/ny-trad",
            &[
                ("rubrik", "Trygghetsvandringar i höst"),
                ("inlagg", "Vem vill vara med? @dan"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let count = |sql: &'static str| fetch_number(app.pool(), sql);
    assert_eq!(count("SELECT count(*) FROM notifications WHERE kind = 'ny_trad' AND member_id IN ('bo', 'cecilia')").await, 2);
    assert_eq!(
        count("SELECT count(*) FROM notifications WHERE member_id = 'anna-lind'").await,
        0
    );
    assert_eq!(
        count("SELECT count(*) FROM notifications WHERE kind = 'omnamnande' AND member_id = 'dan'")
            .await,
        1
    );
    let secret = anna
        .submit(
            "/grupper/s/ny-trad",
            "/grupper/s/ny-trad",
            &[("rubrik", "Internt"), ("inlagg", "Hej @dan")],
        )
        .await;
    assert_eq!(secret.status, StatusCode::SEE_OTHER, "{}", secret.body);
    assert_eq!(
        count("SELECT count(*) FROM notifications WHERE member_id = 'dan'").await,
        1,
        "no word of a closed group's thread to an outsider"
    );
    // A reply: those who wrote in the thread (Anna), not the replier.
    let thread: i64 = count("SELECT count(*) FROM threads WHERE group_id = 'g'").await;
    assert_eq!(thread, 1);
    let location = created.headers["location"].to_str().unwrap().to_string();
    let path = location.split('#').next().unwrap().to_string();
    let mut bo = Visitor::new(&app);
    bo.register("Bo Berg", "bo@exempel.se", PASSWORD).await;
    bo.log_in("bo@exempel.se", PASSWORD).await;
    execute(
        app.pool(),
        "INSERT INTO group_members (group_id, member_id) VALUES ('g', 'bo-berg')",
    )
    .await
    .unwrap();
    let replied = bo.submit(&path, &path, &[("inlagg", "Jag är med!")]).await;
    assert_eq!(replied.status, StatusCode::SEE_OTHER, "{}", replied.body);
    assert_eq!(
        count("SELECT count(*) FROM notifications WHERE kind = 'svar' AND member_id = 'anna-lind'")
            .await,
        1
    );
    assert_eq!(
        count("SELECT count(*) FROM notifications WHERE kind = 'svar' AND member_id = 'bo-berg'")
            .await,
        0
    );
    let page = anna.get("/notiser").await;
    assert!(
        page.body
            .contains("Bo Berg svarade i ”Trygghetsvandringar i höst”"),
        "{}",
        main_of(&page.body)
    );
}

/// The digest choice's radio button for `value`.
fn radio<'a>(html: &'a str, value: &str) -> &'a str {
    let needle = format!(r#"name="sammanfattning" type="radio" value="{value}""#);
    let at = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no choice {value}"));
    let start = html[..at].rfind("<input").unwrap();
    let end = at + html[at..].find('>').unwrap() + 1;
    &html[start..end]
}

#[tokio::test]
async fn the_email_digest_is_off_until_chosen_and_ends_from_its_link() {
    let app = TestApp::with(&[member_json("bo")]).await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    anna.log_in("anna@exempel.se", PASSWORD).await;
    let profile = anna.get("/profil").await;
    assert!(profile.body.contains("Sammanfattning via e-post"));
    assert!(
        radio(&profile.body, "av").contains("checked"),
        "off by default"
    );
    let now = chrono::Utc::now().timestamp();
    let send =
        |at: i64| hallbar::digest::send_due(app.pool(), &app.state.mailer, &app.state.config, at);
    notify(
        &app,
        "anna-lind",
        Kind::Reply,
        "Bo svarade i Parkerna",
        None,
        now + 10,
    )
    .await;
    assert_eq!(
        send(now + 30 * 86_400).await.unwrap(),
        0,
        "no digest unless chosen"
    );
    let saved = anna
        .submit(
            "/profil",
            "/profil/sammanfattning",
            &[("sammanfattning", "vecka")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(radio(&anna.get("/profil").await.body, "vecka").contains("checked"));
    assert_eq!(send(now + 86_400).await.unwrap(), 0, "not due yet");
    assert_eq!(send(now + 8 * 86_400).await.unwrap(), 1);
    assert_eq!(send(now + 8 * 86_400).await.unwrap(), 0, "sent once");
    let mails = wait_for_mails(&app, "anna@exempel.se", 2).await;
    let digest = mails.last().unwrap();
    assert!(digest.contains("Bo svarade i Parkerna"), "{digest}");
    let link = link_in(digest, "/sammanfattning/avsluta/");
    let path = link.strip_prefix(SITE).unwrap().to_string();
    // The link works without logging in; opening it changes nothing, the button does.
    let mut stranger = Visitor::new(&app);
    assert_eq!(stranger.get(&path).await.status, StatusCode::OK);
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM digest_settings").await,
        1
    );
    let done = stranger.submit(&path, &path, &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Sammanfattningen är avslutad"));
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM digest_settings").await,
        0
    );
    let unknown = format!("/sammanfattning/avsluta/{}", "a".repeat(64));
    assert_eq!(stranger.get(&unknown).await.status, StatusCode::NOT_FOUND);
    let bad = anna
        .submit(
            "/profil",
            "/profil/sammanfattning",
            &[("sammanfattning", "varje-timme")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
