//! The start page: the support models, the newest entries and only public numbers.

use axum::http::StatusCode;

use crate::support::*;

#[tokio::test]
async fn the_start_page_lists_the_newest_entries_and_articles_and_the_support_models() {
    let dates = [
        ("p2012", "2012-01-01"),
        ("p2016", "2016-06-06"),
        ("p2013", "2013-03-03"),
        ("p2015", "2015-05-05"),
        ("p2011", "2011-11-11"),
        ("p2014", "2014-04-04"),
    ];
    let mut values = vec![matrix_json(
        "m",
        &[("mellanrum", "trygghet"), ("torg", "moten")],
    )];
    for (id, date) in dates {
        values.push(dated_pivi(id, date));
        values.push(dated_article(&format!("a{}", &id[1..]), date));
    }
    let app = TestApp::with(&values).await;
    let html = assert_page(&app.get("/").await, "/");
    assert!(html.contains("<h1>Socialt hållbar utveckling i Göteborg</h1>"));

    // Newest five, newest first; the oldest is left out.
    let pivi = between(&html, r#"<h2 id="nytt-pivi">"#, "</section>");
    let shown: Vec<String> = hrefs(pivi)
        .into_iter()
        .filter(|h| h.starts_with("/pivi/"))
        .collect();
    assert_eq!(
        shown,
        [
            "/pivi/p2016",
            "/pivi/p2015",
            "/pivi/p2014",
            "/pivi/p2013",
            "/pivi/p2012"
        ]
    );
    assert!(pivi.contains(r#"<time datetime="2016-06-06">6 juni 2016</time>"#));
    assert!(!html.contains("p2011"));
    let articles = between(&html, r#"<h2 id="nya-artiklar">"#, "</section>");
    let shown: Vec<String> = hrefs(articles)
        .into_iter()
        .filter(|h| h.starts_with("/stadsutveckling/artiklar/"))
        .collect();
    assert_eq!(
        shown,
        [
            "/stadsutveckling/artiklar/a2016",
            "/stadsutveckling/artiklar/a2015",
            "/stadsutveckling/artiklar/a2014",
            "/stadsutveckling/artiklar/a2013",
            "/stadsutveckling/artiklar/a2012",
        ]
    );
    assert!(articles.contains("Artikel a2016"));
    assert!(!html.contains("a2011"));

    // The three support models, each linked, with what they hold.
    let models = between(&html, r#"<ul class="cards">"#, "</ul>");
    for (path, area, name) in [
        ("/stadsutveckling", "Stadsutveckling", "Kunskapsmatris"),
        (
            "/pivi",
            "Social utveckling",
            "pivi – projekt, idéer, verksamheter, inspiration",
        ),
        ("/medinflytande", "Medinflytande", "Dialogverktyget"),
    ] {
        assert!(
            models.contains(&format!(r#"<h3><a href="{path}">{area}</a></h3>"#)),
            "{area}: {models}"
        );
        assert!(
            models.contains(&format!("<strong>{name}</strong>")),
            "{name}"
        );
    }
    assert_eq!(models.matches("<li>").count(), 3);
    assert!(
        models.contains("2 rutor med kunskap och 6 artiklar"),
        "{models}"
    );
    assert!(
        models.contains("6 projekt, idéer, verksamheter"),
        "{models}"
    );
}

#[tokio::test]
async fn the_start_page_counts_in_good_swedish() {
    let app = TestApp::with(&[
        matrix_json("m", &[("mellanrum", "trygghet")]),
        article_json("broar", "m", &[("mellanrum", "trygghet")]),
    ])
    .await;
    let html = app.get("/").await.body;
    assert!(html.contains("1 ruta med kunskap och 1 artikel"), "{html}");
}

#[tokio::test]
async fn start_page_shows_the_support_models_and_counts() {
    let app = TestApp::with(&[
        member_json("anna"),
        {
            let mut bo = member_json("bo");
            bo["synlighet"] = "medlemmar".into();
            bo
        },
        group_json("g", "anna", &["anna", "bo"], "oppen"),
        thread_json(
            "t",
            "g",
            &[("anna", "Hej"), ("bo", "Svar"), ("anna", "Tack")],
        ),
        pivi_json("p", None),
    ])
    .await;
    let Answer {
        status, body: html, ..
    } = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="sv">"#));
    assert_eq!(html.matches("<h1").count(), 1);
    for area in [
        "Stadsutveckling",
        "Social utveckling",
        "Medinflytande",
        "Dialogverktyget",
    ] {
        assert!(html.contains(area), "{area} missing");
    }
    // Only what a visitor can find is counted: one public profile, no group content.
    assert!(
        html.contains("<dt>Medlemmar med offentlig profil</dt><dd>1</dd>"),
        "{html}"
    );
    assert!(!html.contains("Inlägg"), "{html}");
    assert!(
        html.contains("<dt>Projekt och idéer i pivi</dt><dd>1</dd>"),
        "{html}"
    );
    assert!(html.contains("1 projekt, idéer, verksamheter"), "{html}");
}

#[tokio::test]
async fn a_members_start_page_shows_the_newest_posts_in_their_groups_only() {
    let mut app = TestApp::with(&[
        member_json("anna"),
        member_json("bo"),
        group_json("oppen", "bo", &["bo", "anna"], "oppen"),
        thread_json(
            "trygghet",
            "oppen",
            &[("bo", "Vi börjar."), ("bo", "Ett svar.")],
        ),
        group_json("annan", "bo", &["bo"], "oppen"),
        thread_json("annat", "annan", &[("bo", "Inte Annas grupp.")]),
        group_json("stangd", "bo", &["bo"], "stangd"),
        thread_json("hemligt", "stangd", &[("bo", "Bara för gruppen.")]),
    ])
    .await;
    // Visitors see no feed.
    assert!(!app.get("/").await.body.contains("I dina grupper"));
    app.log_in("anna").await;
    let page = app.get("/").await;
    let feed = between(&page.body, "I dina grupper", "</section>");
    assert!(feed.contains(r#"href="/grupper/oppen/trygghet""#), "{feed}");
    assert!(feed.contains("svarade i"), "{feed}");
    assert!(feed.contains("startade"), "{feed}");
    assert!(!feed.contains("annat"), "a group Anna is not in: {feed}");
    assert!(!feed.contains("hemligt"), "a closed group: {feed}");
}

#[tokio::test]
async fn new_members_with_similar_competences_are_named_on_a_members_start_page() {
    let mut newcomer = member_json("nyfiken");
    newcomer["medlem_sedan"] = serde_json::json!(chrono::Utc::now().date_naive().to_string());
    let mut app = TestApp::with(&[member_json("anna"), member_json("bo"), newcomer]).await;
    app.log_in("anna").await;
    let page = app.get("/").await;
    let section = between(
        &page.body,
        "Nya medlemmar med liknande kompetens",
        "</section>",
    );
    assert!(
        section.contains(r#"href="/medlemmar/nyfiken""#),
        "{section}"
    );
    assert!(
        !section.contains("/medlemmar/bo"),
        "a member since 2014 is not new: {section}"
    );
}
