//! pivi: the catalogue with its own facets, entry pages, contacts and the pivi queries.

use axum::http::StatusCode;
use hallbar::db;
use serde_json::json;

use crate::support::*;

/// A public member, a members-only member, and pivi entries with each as contact.
pub async fn pivi_app() -> TestApp {
    let mut anna = member_json("anna");
    anna["bakgrund"] = json!("Samordnar läxhjälp och trygghetsvandringar i Hammarkullen.");
    let mut trygg = pivi_json("trygga-strak", Some("anna"));
    trygg["titel"] = json!("Trygga stråk i Hammarkullen");
    trygg["beskrivning"] = json!("Boende går trygghetsvandringar på kvällarna.");
    trygg["publicerad"] = json!("2016-02-02");
    let mut idea = pivi_json("laxhjalp-ide", None);
    idea["kategori"] = json!("ide");
    idea["stadsdel"] = json!("lundby");
    idea["period"] = json!({"fran": 2017, "till": 2018});
    TestApp::with(&[
        anna,
        hidden_member("dold"),
        trygg,
        pivi_json("laxhjalp", Some("dold")),
        idea,
    ])
    .await
}

#[tokio::test]
async fn the_pivi_catalogue_holds_only_pivi_entries_with_its_own_facets() {
    let app = pivi_app().await;
    let html = assert_page(&app.get("/pivi").await, "/pivi");
    assert!(html.contains("<h1>Social utveckling – pivi</h1>"));
    let results = between(&html, r#"<ol class="traffar""#, "</ol>");
    assert_eq!(results.matches(r#"<li class="traff">"#).count(), 3);

    // "Hammarkullen" is in anna's background and in one entry; only the entry is listed.
    let path = "/pivi?q=hammarkullen";
    let html = assert_page(&app.get(path).await, path);
    let results = between(&html, r#"<ol class="traffar""#, "</ol>");
    assert!(
        results.contains(r#"href="/pivi/trygga-strak""#),
        "{results}"
    );
    assert!(!html.contains("/medlemmar/anna"), "{html}");
    assert!(html.contains("<strong>1 träff</strong>"));
    let main = main_of(&html);
    for legend in ["Kategori", "Stadsdel", "Målgrupp", "År"] {
        assert!(
            main.contains(&format!("<legend>{legend}</legend>")),
            "{legend}"
        );
    }
    for absent in ["Sektor", "Typ", "Kompetens", "Fas"] {
        assert!(
            !main.contains(&format!("<legend>{absent}</legend>")),
            "{absent}"
        );
    }
    assert!(!main.contains(r#"name="sektor""#));
    assert!(!main.contains(r#"name="typ""#));

    // A typ in the URL has no say: the catalogue stays pivi only, and no 400 either.
    let html = app.get("/pivi?q=hammarkullen&typ=medlem").await.body;
    assert!(html.contains(r#"href="/pivi/trygga-strak""#));
    assert!(!html.contains("/medlemmar/anna"));
    assert_eq!(app.get("/pivi?typ=okand").await.status, StatusCode::OK);

    // Its facets filter.
    let html = app.get("/pivi?kategori=ide").await.body;
    assert!(html.contains("<strong>1 träff</strong>"), "{html}");
    assert!(html.contains(r#"href="/pivi/laxhjalp-ide""#));
    assert!(checkbox(&html, "kategori", "ide").ends_with(" checked>"));
    let chips = between(&html, r#"<ul class="valda-filter""#, "</ul>");
    assert!(hrefs(chips).contains(&"/pivi".to_string()), "{chips}");
}

#[tokio::test]
async fn a_pivi_entry_links_a_public_contact_and_lists_similar_entries() {
    let app = pivi_app().await;
    let path = "/pivi/trygga-strak";
    let html = assert_page(&app.get(path).await, path);
    assert!(html.contains("<h1>Trygga stråk i Hammarkullen</h1>"));
    let facts = between(&html, r#"<dl class="facts">"#, "</dl>");
    for fact in [
        r#"<a href="/pivi?kategori=projekt">Projekt</a>"#,
        r#"<a href="/pivi?stadsdel=angered">Angered</a>"#,
        "<dd>Hjällbo bibliotek</dd>",
        r#"<a href="/pivi?malgrupp=unga">Unga</a>"#,
        "<dd>sedan 2014</dd>",
        r#"<time datetime="2016-02-02">2 februari 2016</time>"#,
    ] {
        assert!(facts.contains(fact), "{fact} missing in {facts}");
    }
    assert!(html.contains("<p>Boende går trygghetsvandringar på kvällarna.</p>"));
    assert!(html.contains(
        r#"<a href="https://goteborg.se/" rel="noopener noreferrer">Göteborgs Stad</a>"#
    ));
    let contact = between(&html, "<h2>Kontakt</h2>", "</p>");
    assert!(
        contact.contains(r#"<a href="/medlemmar/anna">Sara Ek</a>"#),
        "{contact}"
    );
    assert!(contact.contains(r#"<a href="mailto:sara.ek@example.org">"#));

    let similar = between(&html, r#"<section id="liknande""#, "</section>");
    let links: Vec<String> = hrefs(similar);
    assert!(!links.is_empty(), "{similar}");
    assert!(links.iter().all(|h| h.starts_with("/pivi/")), "{links:?}");
    assert!(
        !links.contains(&"/pivi/trygga-strak".to_string()),
        "not itself"
    );
    assert!(links.contains(&"/pivi/laxhjalp".to_string()), "{links:?}");
}

#[tokio::test]
async fn a_members_only_contact_is_named_but_not_linked() {
    let app = pivi_app().await;
    let path = "/pivi/laxhjalp";
    let html = assert_page(&app.get(path).await, path);
    let contact = between(&html, "<h2>Kontakt</h2>", "</p>");
    assert!(contact.starts_with("<p>Sara Ek, "), "{contact}");
    assert!(!html.contains("/medlemmar/dold"));
    assert_error_page(
        &app.get("/pivi/finns-inte").await,
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
    );
}

#[tokio::test]
async fn pivi_entries_round_trip_and_sort_newest_first() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    db::members::upsert(&mut conn, &member("anna"))
        .await
        .unwrap();
    let linked = pivi("a", Some("anna"));
    let mut newer = pivi("b", None);
    newer.published = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    newer.contact.email = None;
    db::pivi::upsert(&mut conn, &linked).await.unwrap();
    db::pivi::upsert(&mut conn, &newer).await.unwrap();
    assert_eq!(db::pivi::get(&mut conn, "a").await.unwrap(), Some(linked));
    assert_eq!(db::pivi::get(&mut conn, "b").await.unwrap(), Some(newer));
    let newest = db::pivi::newest(&mut conn, 1).await.unwrap();
    assert_eq!(newest[0].id.as_str(), "b");
    assert_eq!(db::pivi::list(&mut conn).await.unwrap().len(), 2);
}
