//! Stadsutveckling: the matrix table and its cells, pages and queries.

use axum::http::StatusCode;
use hallbar::db;
use serde_json::json;

use crate::support::*;

/// A matrix with two filled cells; two articles in one cell (one with Markdown), one in the
/// other.
pub async fn matrix_app() -> TestApp {
    let mut broar = article_json("broar", "m", &[("mellanrum", "trygghet")]);
    broar["text"] = json!(
        "# Broar som mötesplats\n\nBroar kan **både skilja och förena** stadsdelar.\n\n\
         - Hisingsbron\n- Götaälvbron\n\nLäs mer hos [Göteborgs Stad](https://goteborg.se/)."
    );
    let mut passager = article_json("passager", "m", &[("mellanrum", "trygghet")]);
    passager["publicerad"] = json!("2016-01-01");
    let mut torget = article_json("torget", "m", &[("torg", "moten")]);
    torget["taggar"] = json!(["torghandel"]);
    TestApp::with(&[
        matrix_json("m", &[("mellanrum", "trygghet"), ("torg", "moten")]),
        broar,
        passager,
        torget,
    ])
    .await
}

#[tokio::test]
async fn the_matrix_is_a_real_table_with_article_counts() {
    let app = matrix_app().await;
    let html = assert_page(&app.get("/stadsutveckling").await, "/stadsutveckling");
    let table = between(&html, "<table", "</table>");
    assert!(
        table.contains("<caption>Kunskapsmatris</caption>"),
        "{table}"
    );
    assert!(table.contains(r#"<th scope="col">Trygghet</th>"#));
    assert!(table.contains(r#"<th scope="col">Möten</th>"#));
    assert!(table.contains(r#"<th scope="row">Mellanrum</th>"#));
    assert!(table.contains(r#"<th scope="row">Torg</th>"#));
    let cell = between(
        table,
        r#"<a href="/stadsutveckling/mellanrum/trygghet">"#,
        "</td>",
    );
    assert!(
        cell.contains("Kunskap om mellanrum och trygghet."),
        "{cell}"
    );
    assert!(
        cell.contains(r#"<span class="antal">2 artiklar</span>"#),
        "{cell}"
    );
    let cell = between(table, r#"<a href="/stadsutveckling/torg/moten">"#, "</td>");
    assert!(
        cell.contains(r#"<span class="antal">1 artikel</span>"#),
        "{cell}"
    );
    // The two empty cells link nowhere.
    assert_eq!(
        hrefs(table)
            .iter()
            .filter(|h| h.starts_with("/stadsutveckling/"))
            .count(),
        2
    );
    assert_eq!(table.matches("Ingen kunskap samlad ännu").count(), 2);
}

#[tokio::test]
async fn a_cell_page_lists_its_articles() {
    let app = matrix_app().await;
    let path = "/stadsutveckling/mellanrum/trygghet";
    let html = assert_page(&app.get(path).await, path);
    assert!(html.contains("<h1>Mellanrum – Trygghet</h1>"));
    assert!(html.contains("Kunskap om mellanrum och trygghet."));
    let list = between(&html, r#"<ul class="artiklar list">"#, "</ul>");
    assert!(list.contains(r#"<a href="/stadsutveckling/artiklar/broar">Artikel broar</a>"#));
    assert!(list.contains(r#"<a href="/stadsutveckling/artiklar/passager">Artikel passager</a>"#));
    assert!(!list.contains("torget"), "{list}");

    for missing in [
        "/stadsutveckling/mellanrum/okand",
        "/stadsutveckling/okand/trygghet",
        // Both axis values exist, but nothing is known about the cell yet.
        "/stadsutveckling/mellanrum/moten",
    ] {
        assert_error_page(
            &app.get(missing).await,
            StatusCode::NOT_FOUND,
            "Sidan finns inte",
        );
    }
}

#[tokio::test]
async fn matrices_update_cells_and_articles_link_to_them() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    let m = matrix("m", &[("mellanrum", "trygghet"), ("torg", "moten")]);
    db::matrix::upsert(&mut conn, &m).await.unwrap();
    let a = article("a", "m", &[("torg", "moten")]);
    db::articles::upsert(&mut conn, &a).await.unwrap();
    assert_eq!(
        db::articles::get(&mut conn, "a").await.unwrap(),
        Some(a.clone())
    );

    // Reordering and rewriting cells keeps the linked cell.
    let mut changed = matrix("m", &[("torg", "moten"), ("torg", "trygghet")]);
    changed.cells[0].summary = "Ny sammanfattning.".into();
    db::matrix::upsert(&mut conn, &changed).await.unwrap();
    assert_eq!(
        db::matrix::get(&mut conn, "m").await.unwrap(),
        Some(changed)
    );

    // Removing a cell an article links to is refused by the database.
    let without = matrix("m", &[("torg", "trygghet")]);
    assert!(db::matrix::upsert(&mut conn, &without).await.is_err());

    assert_eq!(db::matrix::list(&mut conn).await.unwrap().len(), 1);
    assert_eq!(
        db::articles::list(&mut conn, true, 10).await.unwrap(),
        vec![a]
    );
}
