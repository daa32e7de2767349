//! People beside everything: competence pages, competence suggestions, "Hitta kollegor",
//! "Kollegor som kan det här" on knowledge pages, colleagues on the start page and a
//! profile's pivi entries, each showing only the people the viewer may see.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// A member with these competences, sector and district.
fn person(id: &str, competences: &[&str], sector: &str, district: &str) -> Value {
    let mut m = member_json(id);
    m["namn"] = json!(format!("Person {id}"));
    m["kompetenser"] = json!(competences);
    m["sektor"] = json!(sector);
    m["stadsdel"] = json!(district);
    m["bakgrund"] = json!("Arbetar i Göteborg.");
    m["intressen"] = json!([]);
    m
}

/// anna, bo, cia (public) and dold (members only) share Medborgardialog, typed three ways;
/// eva has one competence nobody else has.
fn network() -> Vec<Value> {
    let mut dold = person(
        "dold",
        &["medborgardialog", "hemlighetsmakeri"],
        "naringsliv",
        "angered",
    );
    dold["synlighet"] = json!("medlemmar");
    dold["namn"] = json!("Hemliga Hedda");
    let mut people = vec![
        person(
            "anna",
            &["Medborgardialog", "trygghetsvandringar", "processledning"],
            "kommun",
            "angered",
        ),
        person(
            "bo",
            &[" medborgardialog ", "utvärdering"],
            "akademi",
            "angered",
        ),
        person(
            "cia",
            &["MEDBORGARDIALOG", "Processledning"],
            "kommun",
            "centrum",
        ),
        dold,
        person("eva", &["stadsodling"], "civilsamhalle", "majorna-linne"),
    ];
    // Anna joined first: a competence is spelt as the first member who named it spelt it.
    for (year, member) in (2010..).zip(&mut people) {
        member["medlem_sedan"] = json!(format!("{year}-05-01"));
    }
    people
}

/// The `<section>` under the heading `heading`, or "" when there is none.
fn section<'a>(html: &'a str, heading: &str) -> &'a str {
    let Some(at) = html.find(heading) else {
        return "";
    };
    let end = html[at..].find("</section>").map_or(html.len(), |e| at + e);
    &html[at..end]
}

#[tokio::test]
async fn a_competence_page_lists_its_holders_and_related_competences() {
    let mut app = TestApp::with(&network()).await;
    let path = "/kompetens/medborgardialog";
    let html = assert_page(&app.get(path).await, path);
    let main = main_of(&html);
    assert!(main.contains("<h1>Medborgardialog</h1>"), "{main}");
    assert!(
        main.contains("3 medlemmar i nätverket har kompetensen"),
        "{main}"
    );
    for id in ["anna", "bo", "cia"] {
        assert!(
            main.contains(&format!(r#"href="/medlemmar/{id}""#)),
            "{id}: {main}"
        );
    }
    assert!(!main.contains("/medlemmar/dold"), "members only: {main}");
    assert!(!main.contains("Hedda"));
    let related = section(main, "Relaterade kompetenser");
    // Processledning goes with it twice (typed two ways), the others once.
    assert!(
        related.contains(r#"<a href="/kompetens/processledning">processledning</a> <span class="count">(2)</span>"#),
        "{related}"
    );
    assert!(related.contains(r#"href="/kompetens/trygghetsvandringar""#));
    assert!(
        related.contains(r#"href="/kompetens/utvardering""#),
        "{related}"
    );
    assert!(!related.contains("hemlighetsmakeri"), "{related}");
    assert!(!related.contains(r#"href="/kompetens/medborgardialog""#));

    for missing in [
        "/kompetens/finns-inte",
        "/kompetens/hemlighetsmakeri",
        "/kompetens/Medborgardialog",
    ] {
        assert_error_page(
            &app.get(missing).await,
            StatusCode::NOT_FOUND,
            "Sidan finns inte",
        );
    }

    app.log_in("anna").await;
    let html = app.get(path).await.body;
    assert!(html.contains("4 medlemmar i nätverket"), "{html}");
    assert!(html.contains(r#"href="/medlemmar/dold""#), "{html}");
    assert!(section(&html, "Relaterade kompetenser").contains("hemlighetsmakeri"));
    let secret = "/kompetens/hemlighetsmakeri";
    let html = assert_page(&app.get(secret).await, secret);
    assert!(html.contains("Hemliga Hedda"), "{html}");
}

#[tokio::test]
async fn competences_on_profiles_link_to_their_pages() {
    let app = TestApp::with(&network()).await;
    let html = app.get("/medlemmar/anna").await.body;
    assert!(
        html.contains(r#"<a href="/kompetens/medborgardialog">Medborgardialog</a>"#),
        "{html}"
    );
    // The colleagues' shared competences too.
    let colleagues = section(&html, "Medlemmar med liknande kompetens");
    assert!(
        colleagues.contains(r#"Delad kompetens: <a href="/kompetens/medborgardialog"><mark>"#),
        "{colleagues}"
    );
    for href in hrefs(main_of(&html)) {
        if href.starts_with("/kompetens/") {
            let answer = app.get(&href).await;
            assert_eq!(answer.status, StatusCode::OK, "{href}");
        }
    }
}

#[tokio::test]
async fn competence_suggestions_come_from_visible_profiles() {
    let mut app = TestApp::with(&network()).await;
    let suggest = |q: &str| format!("/api/v1/kompetenser?q={q}");
    let (status, body) = app.get_json(&suggest("med")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"kompetenser": ["Medborgardialog"]}));
    assert_eq!(app.get_json(&suggest("MED")).await.1, body);
    // Any word's start, with or without å/ä/ö; not the middle of a word.
    let (_, body) = app.get_json(&suggest("utvar")).await;
    assert_eq!(body["kompetenser"], json!(["utvärdering"]));
    let (_, body) = app.get_json(&suggest("dialog")).await;
    assert_eq!(body["kompetenser"], json!([]));
    // Empty: the most common first.
    let (_, body) = app.get_json("/api/v1/kompetenser").await;
    let all = body["kompetenser"].as_array().unwrap();
    assert_eq!(all[0], "Medborgardialog", "{body}");
    assert_eq!(all[1], "processledning", "{body}");
    assert_eq!(all.len(), 5, "{body}");
    assert!(!all.contains(&json!("hemlighetsmakeri")));
    assert_eq!(
        app.get_json(&suggest("hem")).await.1["kompetenser"],
        json!([])
    );

    let (status, body) = app.get_json(&suggest(&"m".repeat(101))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["fel"]["parameter"], "q", "{body}");
    assert_eq!(
        app.get_json(&suggest(&"m".repeat(100))).await.0,
        StatusCode::OK
    );

    app.log_in("anna").await;
    let (_, body) = app.get_json(&suggest("hem")).await;
    assert_eq!(body["kompetenser"], json!(["hemlighetsmakeri"]));
}

#[tokio::test]
async fn hitta_kollegor_needs_a_login_and_filters_by_sector_and_district() {
    let mut app = TestApp::with(&network()).await;
    let answer = app.get("/medlemmar/matcha?andra_sektorer=1").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(
        answer.body.contains("Logga in för att fortsätta"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("tillbaka=%2Fmedlemmar%2Fmatcha"));

    app.log_in("anna").await;
    let path = "/medlemmar/matcha";
    let html = assert_page(&app.get(path).await, path);
    let main = main_of(&html);
    assert!(main.contains("<h1>Hitta kollegor</h1>"));
    assert!(main.contains(r#"<label for="andra-sektorer">Bara andra sektorer</label>"#));
    assert!(main.contains(r#"<label for="min-stadsdel">Bara min stadsdel</label>"#));
    assert!(main.contains(r#"<button type="submit">Visa</button>"#));
    let suggested = |html: &str| -> Vec<String> {
        ["bo", "cia", "dold", "eva", "anna"]
            .into_iter()
            .filter(|id| section(html, "Förslag").contains(&format!(r#"href="/medlemmar/{id}""#)))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(suggested(main), ["bo", "cia", "dold"], "{main}");
    assert!(
        main.contains(r#"Delad kompetens: <a href="/kompetens/medborgardialog"><mark>"#),
        "{main}"
    );
    assert!(
        main.contains(r#"<mark>Processledning</mark>"#),
        "cia's: {main}"
    );

    let path = "/medlemmar/matcha?andra_sektorer=1";
    let html = assert_page(&app.get(path).await, path);
    assert_eq!(suggested(&html), ["bo", "dold"], "not cia (kommun)");
    assert!(checkbox(&html, "andra_sektorer", "1").contains("checked"));
    assert!(!checkbox(&html, "min_stadsdel", "1").contains("checked"));

    let html = app.get("/medlemmar/matcha?min_stadsdel=1").await.body;
    assert_eq!(suggested(&html), ["bo", "dold"], "not cia (centrum)");
    let html = app
        .get("/medlemmar/matcha?min_stadsdel=1&andra_sektorer=1")
        .await
        .body;
    assert_eq!(suggested(&html), ["bo", "dold"]);
    assert_eq!(
        app.get("/medlemmar/matcha?min_stadsdel=kanske")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    app.log_in("eva").await;
    let html = app.get("/medlemmar/matcha").await.body;
    assert!(
        section(&html, "Förslag").contains("Ingen medlem matchar"),
        "{html}"
    );
}

#[tokio::test]
async fn the_start_page_suggests_colleagues_to_a_member_and_nothing_to_visitors() {
    let mut app = TestApp::with(&network()).await;
    let html = assert_page(&app.get("/").await, "/");
    assert!(!html.contains("Kollegor för dig"));
    assert!(!html.contains("/medlemmar/dold"));
    assert!(!html.contains("Komplettera din profil"));

    app.log_in("anna").await;
    let html = assert_page(&app.get("/").await, "/");
    let mine = section(&html, "Kollegor för dig");
    for id in ["bo", "cia", "dold"] {
        assert!(
            mine.contains(&format!(r#"href="/medlemmar/{id}""#)),
            "{id}: {mine}"
        );
    }
    assert!(mine.contains(r#"href="/medlemmar/matcha""#));
    assert!(
        !mine.contains("Komplettera din profil"),
        "three competences"
    );

    app.log_in("bo").await;
    let html = app.get("/").await.body;
    let mine = section(&html, "Kollegor för dig");
    assert!(
        mine.contains(r#"<a href="/profil/redigera">Komplettera din profil</a>"#),
        "{mine}"
    );
    assert!(mine.contains(r#"href="/medlemmar/anna""#), "{mine}");
}

#[tokio::test]
async fn a_profile_lists_the_pivi_entries_its_member_is_contact_for() {
    let mut older = pivi_json("aldre", Some("anna"));
    older["publicerad"] = json!("2012-01-01");
    let app = TestApp::with(&[
        member_json("anna"),
        member_json("bo"),
        pivi_json("nyare", Some("anna")),
        older,
        pivi_json("annans", Some("bo")),
        pivi_json("ingens", None),
    ])
    .await;
    let html = app.get("/medlemmar/anna").await.body;
    let listed = between(&html, "<h2>Kontaktperson i pivi</h2>", "</ul>");
    assert_eq!(
        hrefs(listed),
        ["/pivi/nyare", "/pivi/aldre"],
        "newest first: {listed}"
    );
    let html = app.get("/medlemmar/bo").await.body;
    assert_eq!(
        hrefs(between(&html, "<h2>Kontaktperson i pivi</h2>", "</ul>")),
        ["/pivi/annans"]
    );

    let mut conn = app.pool().acquire().await.unwrap();
    let none = hallbar::db::pivi::for_contact(&mut conn, "saknas")
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn knowledge_pages_show_colleagues_who_know_the_topic() {
    let app = TestApp::demo().await;
    for path in [
        "/stadsutveckling/mellanrum-mellan-stadsdelar/trygghet",
        "/stadsutveckling/artiklar/jubileumsparken-bygga-park-innan-staden-finns",
        "/pivi/medborgarbudget-i-rannebergen",
        "/medinflytande/forberedelser/dialog-med-barn-enligt-barnkonventionen",
    ] {
        let html = assert_page(&app.get(path).await, path);
        let people = section(&html, "Kollegor som kan det här");
        assert!(!people.is_empty(), "{path}: {html}");
        let members = people.matches("<li>").count();
        assert!((1..=5).contains(&members), "{path}: {people}");
        // Each with one line of evidence.
        assert_eq!(people.matches("<br>").count(), members, "{path}: {people}");
        assert!(people.contains("<mark>"), "{path}: {people}");
    }
    // The pivi entry's contact knows its topic.
    let html = app.get("/pivi/medborgarbudget-i-rannebergen").await.body;
    assert!(
        section(&html, "Kollegor som kan det här").contains("/medlemmar/anna-lindqvist"),
        "{html}"
    );
}

#[tokio::test]
async fn colleagues_who_know_a_topic_are_only_those_the_viewer_may_see() {
    // The entry's contact, and the only one who knows about it, shows their profile to
    // members only.
    let mut entry = pivi_json("p", Some("dold"));
    entry["taggar"] = json!(["hemlighetsmakeri"]);
    let mut app = TestApp::with(&[
        entry,
        hidden_member("dold"),
        matrix_json("m", &[("mellanrum", "trygghet")]),
    ])
    .await;
    for path in ["/pivi/p", "/stadsutveckling/mellanrum/trygghet"] {
        let html = assert_page(&app.get(path).await, path);
        assert!(!html.contains("Kollegor som kan det här"), "{path}: {html}");
        assert!(!html.contains("/medlemmar/dold"), "{path}");
    }

    app.log_in("dold").await;
    let html = app.get("/pivi/p").await.body;
    let people = section(&html, "Kollegor som kan det här");
    assert!(people.contains(r#"href="/medlemmar/dold""#), "{html}");
    // Her profile: medborgardialog and trygghetsvandringar in Hammarkullen.
    let html = app.get("/stadsutveckling/mellanrum/trygghet").await.body;
    assert!(
        section(&html, "Kollegor som kan det här").contains(r#"href="/medlemmar/dold""#),
        "{html}"
    );
}

#[tokio::test]
async fn vem_kan_ranks_people_by_evidence_the_viewer_may_see() {
    let mut app = TestApp::with(&[member_json("anna"), hidden_member("bo")]).await;
    let empty = app.get("/vem-kan").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains(r#"<label for="vem-kan-q">"#));
    let answer = app.get("/vem-kan?q=trygghetsvandringar").await;
    assert_eq!(answer.status, StatusCode::OK);
    let found = main_of(&answer.body);
    assert!(found.contains(r#"href="/medlemmar/anna""#), "{found}");
    assert!(
        found.contains("<mark>"),
        "the evidence is highlighted: {found}"
    );
    assert!(
        !found.contains("/medlemmar/bo"),
        "a members-only profile: {found}"
    );
    app.log_in("anna").await;
    let as_member = app.get("/vem-kan?q=trygghetsvandringar").await;
    assert!(main_of(&as_member.body).contains(r#"href="/medlemmar/bo""#));
    let long = format!("/vem-kan?q={}", "a".repeat(600));
    let refused = app.get(&long).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("Skriv högst"));
}
