//! The admin pages end to end: who may open them, roles and editors, the background
//! reindex, the admin log and its export, and import on the web (check, confirm, limits).

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use futures_util::StreamExt;
use hallbar::db::accounts::Role;
use serde_json::json;

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";
const BOUNDARY: &str = "gransen-mellan-delarna-7d3f";

/// An app with one pivi entry, its indexer running.
pub(crate) async fn app() -> (TestApp, hallbar::indexer::IndexerHandle) {
    let mut app = TestApp::with(&[member_json("bo"), pivi_json("laxhjalp-i-hjallbo", None)]).await;
    let indexer = app.start_indexer();
    (app, indexer)
}

/// Registers and logs in `name` (`first@exempel.se`).
pub(crate) async fn member<'a>(app: &'a TestApp, name: &str) -> Visitor<'a> {
    let mut who = Visitor::new(app);
    let email = email_of(name);
    who.register(name, &email, PASSWORD).await;
    let login = who.log_in(&email, PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    who
}

fn email_of(name: &str) -> String {
    format!(
        "{}@exempel.se",
        name.split(' ').next().unwrap().to_lowercase()
    )
}

async fn account_id(app: &TestApp, name: &str) -> i64 {
    let mut conn = app.pool().acquire().await.unwrap();
    let key = hallbar::auth::email::key(&email_of(name));
    hallbar::db::accounts::by_email_key(&mut conn, &key)
        .await
        .unwrap()
        .unwrap()
        .id
}

pub(crate) async fn make_admin(app: &TestApp, name: &str) {
    let id = account_id(app, name).await;
    let mut conn = app.pool().acquire().await.unwrap();
    assert!(
        hallbar::db::admin::set_role_of(&mut conn, id, Role::Admin)
            .await
            .unwrap()
    );
}

async fn editor_models(app: &TestApp, name: &str) -> Vec<String> {
    let id = account_id(app, name).await;
    let mut conn = app.pool().acquire().await.unwrap();
    hallbar::db::editors::models_of(&mut conn, id)
        .await
        .unwrap()
}

async fn log_actions(app: &TestApp) -> Vec<String> {
    let mut conn = app.pool().acquire().await.unwrap();
    hallbar::db::admin_log::all(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

/// Uploads `content` as the import form does (the CSRF token first, then the file).
async fn upload(who: &mut Visitor<'_>, csrf: &str, content: Body) -> Answer {
    let head = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"innehall.jsonl\"\r\n\
         Content-Type: application/x-ndjson\r\n\r\n"
    );
    let tail = format!("\r\n--{BOUNDARY}--\r\n");
    let content = content.into_data_stream();
    let stream = futures_util::stream::iter([Ok::<_, axum::Error>(Bytes::from(head))])
        .chain(content)
        .chain(futures_util::stream::iter([Ok(Bytes::from(tail))]));
    let request = Request::post("/admin/import")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("sec-fetch-site", "same-origin")
        .body(Body::from_stream(stream))
        .unwrap();
    who.send(request).await
}

pub(crate) async fn upload_text(who: &mut Visitor<'_>, text: &str) -> Answer {
    let page = who.get("/admin/import").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = csrf_of(&page.body);
    upload(who, &csrf, Body::from(text.to_string())).await
}

/// The confirmation token on a checked upload's page.
pub(crate) fn token_of(html: &str) -> String {
    between(html, r#"name="uppladdning" value=""#, "\"").to_string()
}

pub(crate) async fn confirm(who: &mut Visitor<'_>, token: &str) -> Answer {
    let page = who.get("/admin/import").await;
    let csrf = csrf_of(&page.body);
    who.post(
        "/admin/import/bekrafta",
        &[("uppladdning", token), ("csrf", &csrf)],
    )
    .await
}

pub(crate) fn uploads_left(app: &TestApp) -> usize {
    std::fs::read_dir(app.dir.path().join("uploads"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test]
async fn every_admin_route_is_for_admins_only() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut erik = member(&app, "Erik Ek").await;
    let mut olle = member(&app, "Olle Berg").await;
    make_admin(&app, "Anna Lind").await;
    // Erik edits pivi; Olle is a plain member.
    let erik_id = account_id(&app, "Erik Ek").await;
    let mut conn = app.pool().acquire().await.unwrap();
    hallbar::db::editors::grant(&mut conn, erik_id, "pivi", 1)
        .await
        .unwrap();
    drop(conn);
    let mut visitor = Visitor::new(&app);
    let pages = [
        "/admin",
        "/admin/medlemmar",
        "/admin/logg",
        "/admin/import",
        "/admin/export",
    ];
    for path in pages {
        assert_eq!(
            visitor.get(path).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        for who in [&mut erik, &mut olle] {
            let answer = who.get(path).await;
            assert_error_page(&answer, StatusCode::FORBIDDEN, "Du har inte behörighet");
        }
        let answer = anna.get(path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
    }
    for path in ["/admin", "/admin/medlemmar", "/admin/logg", "/admin/import"] {
        assert_page(&anna.get(path).await, path);
    }
    // The forms: a visitor is sent to log in, others are refused before anything is read.
    let target = format!("/admin/medlemmar/{erik_id}/roll");
    let editor = format!("/admin/medlemmar/{erik_id}/redaktor");
    let forms: [(&str, Vec<(&str, &str)>); 4] = [
        ("/admin/indexera", vec![]),
        (&target, vec![("roll", "admin")]),
        (&editor, vec![("modell", "medinflytande"), ("atgard", "ge")]),
        ("/admin/import/bekrafta", vec![("uppladdning", "x")]),
    ];
    for (path, fields) in &forms {
        assert_eq!(
            visitor.post(path, fields).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
        for who in [&mut erik, &mut olle] {
            let page = who.get("/").await;
            let mut all = fields.clone();
            let csrf = csrf_of(&page.body);
            all.push(("csrf", &csrf));
            assert_eq!(
                who.post(path, &all).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }
    for who in [&mut erik, &mut olle] {
        let csrf = csrf_of(&who.get("/").await.body);
        let answer = upload(who, &csrf, Body::from("{}")).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        upload(&mut visitor, "x", Body::from("{}")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(editor_models(&app, "Erik Ek").await, ["pivi"]);
    assert_eq!(uploads_left(&app), 0);
    // Only admins' headers link to the admin pages.
    assert!(
        anna.get("/")
            .await
            .body
            .contains(r#"<a href="/admin">Administration</a>"#)
    );
    assert!(!erik.get("/").await.body.contains("Administration"));
}

#[tokio::test]
async fn admins_give_and_take_roles_and_editors_and_it_is_logged() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let _erik = member(&app, "Erik Ek").await;
    make_admin(&app, "Anna Lind").await;
    let erik = account_id(&app, "Erik Ek").await;
    let editor = format!("/admin/medlemmar/{erik}/redaktor");

    let given = anna
        .submit(
            "/admin/medlemmar",
            &editor,
            &[("modell", "pivi"), ("atgard", "ge")],
        )
        .await;
    assert_eq!(given.status, StatusCode::SEE_OTHER, "{}", given.body);
    assert_eq!(editor_models(&app, "Erik Ek").await, ["pivi"]);
    let page = anna.get("/admin/medlemmar?klart=redaktor").await;
    assert!(
        page.body.contains("Redaktörskapet är ändrat."),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(r#"<input type="hidden" name="modell" value="pivi">"#)
    );
    assert!(
        page.body
            .contains("<caption>Bekräftade konton, efter namn</caption>")
    );

    // An unknown model: a Swedish error naming the known ones; nothing changes.
    let unknown = anna
        .submit(
            "/admin/medlemmar",
            &editor,
            &[("modell", "stadsodling"), ("atgard", "ge")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(
        unknown
            .body
            .contains("kända stödmodeller: stadsutveckling, pivi, medinflytande"),
        "{}",
        unknown.body
    );
    assert_eq!(editor_models(&app, "Erik Ek").await, ["pivi"]);

    let taken = anna
        .submit(
            "/admin/medlemmar",
            &editor,
            &[("modell", "pivi"), ("atgard", "ta-bort")],
        )
        .await;
    assert_eq!(taken.status, StatusCode::SEE_OTHER);
    assert!(editor_models(&app, "Erik Ek").await.is_empty());

    // Admin, and back.
    let role = format!("/admin/medlemmar/{erik}/roll");
    let promoted = anna
        .submit("/admin/medlemmar", &role, &[("roll", "admin")])
        .await;
    assert_eq!(promoted.status, StatusCode::SEE_OTHER);
    let mut conn = app.pool().acquire().await.unwrap();
    let account = hallbar::db::accounts::by_id(&mut conn, erik)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.role, Role::Admin);
    drop(conn);
    let demoted = anna
        .submit("/admin/medlemmar", &role, &[("roll", "medlem")])
        .await;
    assert_eq!(demoted.status, StatusCode::SEE_OTHER);
    let mut conn = app.pool().acquire().await.unwrap();
    let account = hallbar::db::accounts::by_id(&mut conn, erik)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.role, Role::Member);
    drop(conn);
    // Nobody takes away their own admin role.
    let anna_id = account_id(&app, "Anna Lind").await;
    let own = anna
        .submit(
            "/admin/medlemmar",
            &format!("/admin/medlemmar/{anna_id}/roll"),
            &[("roll", "medlem")],
        )
        .await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    assert!(own.body.contains("din egen administratörsroll"));

    assert_eq!(
        log_actions(&app).await,
        [
            "redaktor-ge",
            "redaktor-ta-bort",
            "admin-ge",
            "admin-ta-bort"
        ]
    );
    let log = anna.get("/admin/logg").await;
    for words in [
        "<caption>Administratörernas åtgärder, de senaste först</caption>",
        "gjorde till redaktör",
        "tog bort som redaktör",
        "gjorde till administratör",
        "tog bort administratörsrollen",
        "Erik Ek (erik-ek)",
        "stödmodell pivi",
        "<td>Anna Lind</td>",
    ] {
        assert!(log.body.contains(words), "{words}: {}", log.body);
    }
    // Newest first.
    let body = &log.body;
    assert!(body.find("tog bort administratörsrollen") < body.find("gjorde till redaktör"));
}

#[tokio::test]
async fn a_form_without_the_right_token_is_refused() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let _erik = member(&app, "Erik Ek").await;
    make_admin(&app, "Anna Lind").await;
    let erik = account_id(&app, "Erik Ek").await;
    let role = format!("/admin/medlemmar/{erik}/roll");
    let wrong = "0".repeat(64);
    for fields in [
        vec![("roll", "admin")],
        vec![("roll", "admin"), ("csrf", &wrong)],
    ] {
        let answer = anna.post(&role, &fields).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
    }
    assert_eq!(
        anna.post("/admin/indexera", &[("csrf", &wrong)])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let upload = upload(&mut anna, &wrong, Body::from(lines(&[member_json("ny")]))).await;
    assert_eq!(upload.status, StatusCode::FORBIDDEN);
    assert_eq!(uploads_left(&app), 0);
    assert!(log_actions(&app).await.is_empty());
    assert!(anna.get("/admin").await.body.contains("Indexera om"));
}

#[tokio::test]
async fn a_reindex_runs_in_the_background_once_at_a_time() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    make_admin(&app, "Anna Lind").await;

    let overview = anna.get("/admin").await;
    for words in [
        "<caption>Dokument i sökindexet per typ</caption>",
        r#"<th scope="row">pivi</th><td>1</td>"#,
        r#"<th scope="row">Medlemmar</th>"#,
        "Eftersläpning",
        "Storlek på disk",
        "ingen sedan servern startade",
    ] {
        assert!(overview.body.contains(words), "{words}: {}", overview.body);
    }

    // While a run holds this node's reindex, a second start is refused and the page
    // shows the run's progress.
    let held = app.state.admin.reindex.claim("Bo Ek", 1).unwrap();
    held.progress(12_000, 48_000);
    let refused = anna.submit("/admin", "/admin/indexera", &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("En omindexering pågår redan"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("12\u{a0}000 av 48\u{a0}000 dokument"),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("Indexera om"));
    drop(held);

    let started = anna.submit("/admin", "/admin/indexera", &[]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    app.state.admin.reindex.wait_idle().await;
    let status = app.state.admin.reindex.status();
    let last = status.last.unwrap();
    assert_eq!(last.error, None);
    assert_eq!(last.by, "Anna Lind");
    assert!(last.documents >= 2, "{last:?}");

    let overview = anna.get("/admin").await;
    assert!(overview.body.contains("dokument på"), "{}", overview.body);
    assert!(overview.body.contains("Indexera om"));
    assert_eq!(
        log_actions(&app).await,
        ["omindexering-start", "omindexering-klar"]
    );
    // Search still answers, from the new generation once the follower switches.
    let (status, results) = app.get_json("/api/v1/sok?q=läxhjälp").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        results.to_string().contains("laxhjalp-i-hjallbo"),
        "{results}"
    );
}

#[tokio::test]
async fn the_export_holds_the_admin_log_and_it_is_imported_once() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let _erik = member(&app, "Erik Ek").await;
    make_admin(&app, "Anna Lind").await;
    let erik = account_id(&app, "Erik Ek").await;
    anna.submit(
        "/admin/medlemmar",
        &format!("/admin/medlemmar/{erik}/redaktor"),
        &[("modell", "medinflytande"), ("atgard", "ge")],
    )
    .await;
    let export = anna.get("/admin/export").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.content_type.starts_with("application/x-ndjson"));
    let disposition = export.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"hallbar-"),
        "{disposition}"
    );
    let text = export.body.clone();
    let logged: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(r#""type":"adminlogg""#))
        .collect();
    assert_eq!(logged.len(), 1, "{text}");
    assert!(
        logged[0].contains(r#""atgard":"redaktor-ge""#),
        "{}",
        logged[0]
    );
    assert!(logged[0].contains(r#""vem":"Anna Lind""#));
    assert!(text.contains(r#""type":"pivi""#));
    // The export itself is logged (after it was taken).
    assert_eq!(log_actions(&app).await, ["redaktor-ge", "export"]);

    // Into another database: stored once however often it is imported.
    let (_dir, other) = test_db().await;
    for _ in 0..2 {
        hallbar::interchange::import(&writes(&other), text.as_bytes(), false)
            .await
            .unwrap();
    }
    let mut conn = other.acquire().await.unwrap();
    let entries = hallbar::db::admin_log::all(&mut conn).await.unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].action, "redaktor-ge");
    assert_eq!(entries[0].actor_name, "Anna Lind");
    assert_eq!(entries[0].account_id, None);
    assert!(entries[0].imported, "an imported entry is marked as such");
    // A forged "reindex finished" line is never taken for a node's own last reindex.
    let forged = lines(&[json!({"type": "adminlogg", "tid": "2030-01-01T00:00:00Z",
        "vem": "Mallory", "atgard": "omindexering-klar", "mal": "nod-1", "detalj": "1 dokument"})]);
    hallbar::interchange::import(&writes(&other), forged.as_bytes(), false)
        .await
        .unwrap();
    let last = hallbar::db::admin_log::last_of(&mut conn, "omindexering-klar", "nod-1")
        .await
        .unwrap();
    assert_eq!(last, None);
    drop(conn);
    // A file without admin-log lines, and a bad admin-log line.
    let old = lines(&[member_json("ny-medlem")]);
    hallbar::interchange::import(&writes(&other), old.as_bytes(), false)
        .await
        .unwrap();
    let bad = lines(&[json!({"type": "adminlogg", "tid": "igår", "vem": "", "atgard": "X"})]);
    let error = hallbar::interchange::import(&writes(&other), bad.as_bytes(), false)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("rad 1: tid: ogiltigt datum"), "{error}");
    let bad = lines(&[
        json!({"type": "adminlogg", "tid": "2026-12-01T10:00:00Z", "vem": "", "atgard": "X"}),
    ]);
    let error = hallbar::interchange::import(&writes(&other), bad.as_bytes(), false)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("rad 1: adminlogg: vem: 1–200 tecken; atgard"),
        "{error}"
    );
}

#[tokio::test]
async fn an_upload_with_bad_lines_lists_every_one_and_imports_nothing() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    make_admin(&app, "Anna Lind").await;
    let text = [
        lines(&[member_json("ny-medlem")]),
        "{inte json".to_string(),
        lines(&[json!({"type": "person", "id": "x"})]),
        lines(&[pivi_json("nytt-projekt", Some("finns-inte"))]),
    ]
    .join("\n");
    let answer = upload_text(&mut anna, &text).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    for words in [
        "<h1>Filen har fel</h1>",
        "3 rad(er) i filen har fel, så ingenting importerades",
        r#"<th scope="row">2</th><td>ogiltig JSON"#,
        r#"<th scope="row">3</th><td>okänd typ &quot;person&quot;"#,
        r#"<th scope="row">4</th>"#,
        "finns-inte",
    ] {
        assert!(answer.body.contains(words), "{words}: {}", answer.body);
    }
    assert!(!answer.body.contains("uppladdning"));
    assert_eq!(uploads_left(&app), 0);
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT count(*) FROM members WHERE id = 'ny-medlem'"
        )
        .await,
        0
    );
    assert!(log_actions(&app).await.is_empty());
}

#[tokio::test]
async fn a_good_upload_is_imported_once_on_its_uploaders_confirmation() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut erik = member(&app, "Erik Ek").await;
    make_admin(&app, "Anna Lind").await;
    make_admin(&app, "Erik Ek").await;
    let mut entry = pivi_json("cykelkok-i-bergsjon", None);
    entry["titel"] = json!("Cykelköket i Bergsjön");
    let text = lines(&[member_json("ny-medlem"), entry]);

    let checked = upload_text(&mut anna, &text).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(checked.body.contains("<h1>Filen är kontrollerad</h1>"));
    assert!(
        checked
            .body
            .contains(r#"<th scope="row">pivi</th><td>1</td>"#),
        "{}",
        checked.body
    );
    assert!(
        checked
            .body
            .contains(r#"<th scope="row">medlem</th><td>1</td>"#)
    );
    assert_eq!(uploads_left(&app), 1);
    let token = token_of(&checked.body);
    // Nothing is imported before the confirmation.
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT count(*) FROM pivi_entries WHERE id = 'cykelkok-i-bergsjon'"
        )
        .await,
        0
    );
    // Another admin's session cannot use it.
    let other = confirm(&mut erik, &token).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.body);

    let done = confirm(&mut anna, &token).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("<h1>Importen är klar</h1>"));
    assert_eq!(uploads_left(&app), 0);
    let (_, results) = app.get_json("/api/v1/sok?q=cykelköket").await;
    assert!(
        results.to_string().contains("cykelkok-i-bergsjon"),
        "{results}"
    );
    assert_eq!(log_actions(&app).await, ["import"]);

    // Used once.
    let again = confirm(&mut anna, &token).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("redan importerad eller finns inte"));
    assert_eq!(log_actions(&app).await, ["import"]);
}

#[tokio::test]
async fn an_expired_upload_is_refused_and_removed() {
    let (app, _indexer) = app().await;
    let app = app.configured(|c| c.import_confirm_seconds = 0);
    let mut anna = member(&app, "Anna Lind").await;
    make_admin(&app, "Anna Lind").await;
    // A file a restart left behind two days ago is cleaned up by the next upload.
    let stray = app.dir.path().join("uploads").join("import-kvar.jsonl");
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    let file = std::fs::File::create(&stray).unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 24 * 3600);
    file.set_modified(old).unwrap();
    drop(file);
    let checked = upload_text(&mut anna, &lines(&[member_json("ny-medlem")])).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(!stray.exists());
    assert_eq!(uploads_left(&app), 1);
    let expired = confirm(&mut anna, &token_of(&checked.body)).await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert!(expired.body.contains("Uppladdningen har gått ut"));
    assert_eq!(uploads_left(&app), 0);
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT count(*) FROM members WHERE id = 'ny-medlem'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn an_upload_over_the_limit_is_refused_without_keeping_it() {
    let (app, _indexer) = app().await;
    let app = app.configured(|c| c.import_max_bytes = 4_000);
    let mut anna = member(&app, "Anna Lind").await;
    make_admin(&app, "Anna Lind").await;
    let csrf = csrf_of(&anna.get("/admin/import").await.body);
    // Streamed in chunks without a declared length: refused once past the limit.
    let chunks = (0..100).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b' '; 1_000])));
    let answer = upload(
        &mut anna,
        &csrf,
        Body::from_stream(futures_util::stream::iter(chunks)),
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        answer.body
    );
    assert!(
        answer.body.contains("<h1>Filen är för stor</h1>"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("4\u{a0}000 byte"));
    assert_eq!(uploads_left(&app), 0);
    // Within the limit it is read.
    let small = upload(
        &mut anna,
        &csrf,
        Body::from(lines(&[member_json("ny-medlem")])),
    )
    .await;
    assert_eq!(small.status, StatusCode::OK, "{}", small.body);
}

/// The generations in a node's index directory.
fn generations(dir: &std::path::Path) -> std::collections::BTreeSet<String> {
    std::fs::read_dir(dir.join("index"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[tokio::test]
async fn a_reindex_from_the_web_rebuilds_only_the_node_that_got_the_request() {
    let (app, _indexer) = app().await;
    // A second node on the same database, with its own index.
    let mut other = TestApp::on(tempfile::tempdir().unwrap(), app.pool().clone()).await;
    let _other_indexer = other.start_indexer();
    let mut anna = member(&app, "Anna Lind").await;
    make_admin(&app, "Anna Lind").await;
    let mine_before = generations(app.dir.path());
    let other_before = generations(other.dir.path());

    let started = anna.submit("/admin", "/admin/indexera", &[]).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    app.state.admin.reindex.wait_idle().await;

    assert_ne!(
        generations(app.dir.path()),
        mine_before,
        "this node built a new one"
    );
    assert_eq!(
        generations(other.dir.path()),
        other_before,
        "the other kept its own"
    );
    assert!(other.state.admin.reindex.status().last.is_none());
    // The other node still answers, and still follows new writes.
    let (status, results) = other.get_json("/api/v1/sok?q=läxhjälp").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        results.to_string().contains("laxhjalp-i-hjallbo"),
        "{results}"
    );
    import(app.pool(), &[pivi_json("cykelkok", None)]).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (_, found) = other.get_json("/api/v1/sok?q=cykelkok").await;
        if found.to_string().contains("\"cykelkok\"") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the other node never saw the write"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
