//! The machine-readable routes: Atom feeds, OpenSearch, the sitemap and robots.txt.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// The app on the demo corpus, and its database.
/// The element children of `node` with this local name.
fn children<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.is_element() && n.tag_name().name() == name)
}

/// The text of the one child of `node` with this local name.
fn child_text<'a>(node: roxmltree::Node<'a, '_>, name: &'static str) -> &'a str {
    let child = children(node, name)
        .next()
        .unwrap_or_else(|| panic!("no <{name}> in <{}>", node.tag_name().name()));
    child.text().unwrap_or("")
}

/// The `href` of the `link` child of `node` with this `rel`.
fn link<'a>(node: roxmltree::Node<'a, '_>, rel: &str) -> &'a str {
    children(node, "link")
        .find(|l| l.attribute("rel") == Some(rel))
        .and_then(|l| l.attribute("href"))
        .unwrap_or_else(|| panic!("no link rel={rel}"))
}

/// The demo corpus's items of one type, newest `publicerad` first (ties by id), at most 30.
fn newest_in_demo(kind: &str) -> Vec<Value> {
    let mut items: Vec<Value> = hallbar::demo::corpus()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] == kind)
        .collect();
    items.sort_by_key(|v| {
        let field = |name: &str| v[name].as_str().unwrap().to_string();
        (std::cmp::Reverse(field("publicerad")), field("id"))
    });
    items.truncate(30);
    items
}

/// Checks a feed against the items it should hold, in order.
fn assert_feed(body: &str, expected: &[Value], page: &str, summary: &str, author: &str) {
    let doc = roxmltree::Document::parse(body).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM_NS));
    assert_eq!(feed.tag_name().name(), "feed");
    assert!(child_text(feed, "id").starts_with(SITE));
    let entries: Vec<_> = children(feed, "entry").collect();
    assert_eq!(entries.len(), expected.len());
    let newest = expected[0]["publicerad"].as_str().unwrap();
    assert_eq!(child_text(feed, "updated"), format!("{newest}T00:00:00Z"));
    for (entry, item) in entries.iter().zip(expected) {
        let id = item["id"].as_str().unwrap();
        let url = format!("{SITE}{page}{id}");
        let date = format!("{}T00:00:00Z", item["publicerad"].as_str().unwrap());
        assert_eq!(child_text(*entry, "id"), url);
        assert_eq!(link(*entry, "alternate"), url);
        assert_eq!(child_text(*entry, "title"), item["titel"].as_str().unwrap());
        assert_eq!(child_text(*entry, "published"), date);
        assert_eq!(child_text(*entry, "updated"), date);
        assert_eq!(
            child_text(*entry, "summary"),
            item[summary].as_str().unwrap()
        );
        let name = children(*entry, "author")
            .next()
            .map(|a| child_text(a, "name"));
        assert_eq!(name, Some(item[author].as_str().unwrap()));
    }
}

#[tokio::test]
async fn the_pivi_feed_holds_the_newest_30_entries_newest_first() {
    let app = TestApp::demo().await;
    let Answer {
        status,
        content_type,
        body,
        ..
    } = app.get("/flode/pivi.atom").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/atom+xml; charset=utf-8");
    let expected = newest_in_demo("pivi");
    assert_eq!(
        expected.len(),
        30,
        "the demo should have more than 30 entries"
    );
    assert_feed(&body, &expected, "/pivi/", "sammanfattning", "organisation");
    let doc = roxmltree::Document::parse(&body).unwrap();
    let feed = doc.root_element();
    assert_eq!(
        child_text(feed, "title"),
        "hallbar – nya projekt och idéer i pivi"
    );
    assert_eq!(link(feed, "self"), "https://exempel.se/flode/pivi.atom");
    assert_eq!(link(feed, "alternate"), "https://exempel.se/pivi");
}

#[tokio::test]
async fn the_article_feed_holds_the_newest_articles_newest_first() {
    let app = TestApp::demo().await;
    let Answer {
        status,
        content_type,
        body,
        ..
    } = app.get("/flode/artiklar.atom").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/atom+xml; charset=utf-8");
    let expected = newest_in_demo("artikel");
    assert!(expected.len() > 1);
    assert_feed(
        &body,
        &expected,
        "/stadsutveckling/artiklar/",
        "ingress",
        "forfattare",
    );
    let doc = roxmltree::Document::parse(&body).unwrap();
    let feed = doc.root_element();
    assert_eq!(
        child_text(feed, "title"),
        "hallbar – nya artiklar i kunskapsmatrisen"
    );
    assert_eq!(link(feed, "self"), "https://exempel.se/flode/artiklar.atom");
    assert_eq!(
        link(feed, "alternate"),
        "https://exempel.se/stadsutveckling"
    );
}

#[tokio::test]
async fn titles_with_markup_characters_are_escaped() {
    let tricky = r#"Läxhjälp <b>&"mer"</b> & 'annat'"#;
    let mut entry = pivi_json("laxhjalp", None);
    entry["titel"] = json!(tricky);
    entry["organisation"] = json!("Bibliotek & <Co>");
    let mut article = article_json("broar", "m", &[("mellanrum", "trygghet")]);
    article["titel"] = json!(tricky);
    let app = TestApp::with(&[
        entry,
        matrix_json("m", &[("mellanrum", "trygghet")]),
        article,
    ])
    .await;
    for path in ["/flode/pivi.atom", "/flode/artiklar.atom"] {
        let Answer { status, body, .. } = app.get(path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body.contains("<b>"), "{body}");
        assert!(body.contains("&lt;b&gt;&amp;"), "{body}");
        let doc = roxmltree::Document::parse(&body).expect("well-formed XML");
        let entry = children(doc.root_element(), "entry").next().unwrap();
        assert_eq!(child_text(entry, "title"), tricky);
    }
    let Answer { body, .. } = app.get("/flode/pivi.atom").await;
    let doc = roxmltree::Document::parse(&body).unwrap();
    let entry = children(doc.root_element(), "entry").next().unwrap();
    let author = children(entry, "author").next().unwrap();
    assert_eq!(child_text(author, "name"), "Bibliotek & <Co>");
}

#[tokio::test]
async fn an_empty_feed_is_still_a_valid_feed() {
    let app = TestApp::with(&[]).await;
    let Answer { status, body, .. } = app.get("/flode/pivi.atom").await;
    assert_eq!(status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&body).unwrap();
    let feed = doc.root_element();
    assert_eq!(children(feed, "entry").count(), 0);
    let updated = chrono::DateTime::parse_from_rfc3339(child_text(feed, "updated")).unwrap();
    let age = chrono::Utc::now().signed_duration_since(updated);
    assert!(
        age.num_minutes().abs() < 5,
        "updated should be now: {updated}"
    );
}

#[tokio::test]
async fn the_sitemap_lists_every_public_page_and_no_hidden_profile() {
    let mut hidden = member_json("dold");
    hidden["synlighet"] = json!("medlemmar");
    hidden["kompetenser"] = json!(["hemlighetsmakeri"]);
    let mut follow_up = dialogue_json("utvardera", "text", &[]);
    follow_up["fas"] = json!("uppfoljning");
    follow_up["publicerad"] = json!("2016-05-04");
    let app = TestApp::with(&[
        member_json("anna"),
        hidden,
        pivi_json("laxhjalp", Some("anna")),
        matrix_json("m", &[("mellanrum", "trygghet"), ("torg", "moten")]),
        article_json("broar", "m", &[("mellanrum", "trygghet")]),
        dialogue_json("syfte", "checklista", &["Varför?"]),
        follow_up,
        group_json("stangd", "anna", &["anna"], "stangd"),
    ])
    .await;
    let Answer {
        status,
        content_type,
        body,
        ..
    } = app.get("/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "application/xml; charset=utf-8");
    let doc = roxmltree::Document::parse(&body).expect("well-formed XML");
    let urlset = doc.root_element();
    assert_eq!(
        urlset.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let urls: Vec<(String, Option<String>)> = children(urlset, "url")
        .map(|u| {
            let lastmod = children(u, "lastmod").next().map(|l| l.text().unwrap());
            let loc = child_text(u, "loc");
            let path = loc.strip_prefix(SITE).unwrap_or_else(|| panic!("{loc}"));
            (path.to_string(), lastmod.map(str::to_string))
        })
        .collect();
    let dated = |path: &str, date: &str| (path.to_string(), Some(date.to_string()));
    let undated = |path: &str| (path.to_string(), None);
    let expected = vec![
        undated("/"),
        undated("/sok"),
        undated("/stadsutveckling"),
        undated("/stadsutveckling/mellanrum/trygghet"),
        undated("/stadsutveckling/torg/moten"),
        dated("/stadsutveckling/artiklar/broar", "2015-02-11"),
        undated("/pivi"),
        dated("/pivi/laxhjalp", "2014-09-10"),
        undated("/medinflytande"),
        undated("/medinflytande/forberedelser"),
        dated("/medinflytande/forberedelser/syfte", "2015-01-20"),
        undated("/medinflytande/inventering"),
        undated("/medinflytande/genomforande"),
        undated("/medinflytande/uppfoljning"),
        dated("/medinflytande/uppfoljning/utvardera", "2016-05-04"),
        undated("/medlemmar"),
        undated("/medlemmar/anna"),
        undated("/kompetens/medborgardialog"),
        undated("/kompetens/trygghetsvandringar"),
        undated("/grupper"),
        undated("/grupper/stangd"),
        undated("/om"),
        undated("/tillganglighet"),
        undated("/kontakt"),
    ];
    assert_eq!(urls, expected);
    assert!(!body.contains("dold"));
    assert!(
        !body.contains("hemlighetsmakeri"),
        "a members-only profile's competence"
    );
}

#[tokio::test]
async fn the_demo_sitemap_has_all_phases_and_only_public_members() {
    let app = TestApp::demo().await;
    let pool = app.pool().clone();
    let Answer { body, .. } = app.get("/sitemap.xml").await;
    let doc = roxmltree::Document::parse(&body).expect("well-formed XML");
    let locs: Vec<&str> = children(doc.root_element(), "url")
        .map(|u| child_text(u, "loc"))
        .collect();
    for phase in &hallbar_index::seed_models()[2].phases {
        let loc = format!("{SITE}/medinflytande/{}", phase.id);
        assert!(locs.contains(&loc.as_str()), "{loc} missing");
    }
    let mut conn = pool.acquire().await.unwrap();
    let members = hallbar::db::members::list(&mut conn).await.unwrap();
    let hidden = members
        .iter()
        .filter(|m| m.visibility != hallbar_index::ProfileVisibility::Public)
        .count();
    assert!(hidden > 0, "the demo should have members-only profiles");
    for member in &members {
        let loc = format!("{SITE}/medlemmar/{}", member.id);
        let public = member.visibility == hallbar_index::ProfileVisibility::Public;
        assert_eq!(locs.contains(&loc.as_str()), public, "{loc}");
    }
    let mut unique = locs.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), locs.len(), "no page is listed twice");
}

#[tokio::test]
async fn robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_the_api() {
    let app = TestApp::with(&[]).await;
    let Answer {
        status,
        content_type,
        body,
        ..
    } = app.get("/robots.txt").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let lines: Vec<&str> = body.lines().collect();
    assert!(lines.contains(&"User-agent: *"), "{body}");
    assert!(lines.contains(&"Disallow: /api/"), "{body}");
    assert!(
        lines.contains(&"Sitemap: https://exempel.se/sitemap.xml"),
        "{body}"
    );
}

#[tokio::test]
async fn opensearch_describes_the_search_page() {
    let app = TestApp::with(&[]).await;
    let Answer {
        status,
        content_type,
        body,
        ..
    } = app.get("/opensearch.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        content_type,
        "application/opensearchdescription+xml; charset=utf-8"
    );
    let doc = roxmltree::Document::parse(&body).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://a9.com/-/spec/opensearch/1.1/")
    );
    assert_eq!(root.tag_name().name(), "OpenSearchDescription");
    assert_eq!(child_text(root, "ShortName"), "hallbar");
    assert_eq!(child_text(root, "InputEncoding"), "UTF-8");
    assert_eq!(child_text(root, "Language"), "sv-SE");
    assert!(child_text(root, "Description").contains("Göteborg"));
    let template = |kind: &str| {
        children(root, "Url")
            .find(|u| u.attribute("type") == Some(kind))
            .and_then(|u| u.attribute("template"))
    };
    assert_eq!(
        template("text/html"),
        Some("https://exempel.se/sok?q={searchTerms}")
    );
    // `/api/v1/forslag` answers an object, not the array OpenSearch suggestions need.
    assert_eq!(template("application/x-suggestions+json"), None);
}
