//! Articles of the knowledge matrix: the article page and the article queries.

use crate::matrix::matrix_app;

use axum::http::StatusCode;
use hallbar::db;

use crate::support::*;

#[tokio::test]
async fn an_article_page_renders_markdown_and_shows_cells_and_related_articles() {
    let app = matrix_app().await;
    let path = "/stadsutveckling/artiklar/broar";
    let html = assert_page(&app.get(path).await, path);
    assert!(html.contains("<h1>Artikel broar</h1>"));
    // The text's own "#" heading is shifted below the page's h1.
    assert!(html.contains("<h2>Broar som mötesplats</h2>"), "{html}");
    assert!(html.contains("<strong>både skilja och förena</strong>"));
    assert!(html.contains("<li>Hisingsbron</li>"));
    assert!(html.contains(r#"href="https://goteborg.se/""#));
    assert!(!html.contains("**"));
    let cells = between(&html, "<h2>Hör till rutorna</h2>", "</ul>");
    assert!(
        cells.contains(r#"<a href="/stadsutveckling/mellanrum/trygghet">Mellanrum – Trygghet</a>"#),
        "{cells}"
    );
    let related = between(&html, "<h2>Relaterade artiklar</h2>", "</ul>");
    // passager shares the cell; torget shares neither a cell nor a subject.
    assert!(
        related.contains("/stadsutveckling/artiklar/passager"),
        "{related}"
    );
    assert!(
        !related.contains("/stadsutveckling/artiklar/broar"),
        "not itself"
    );
    assert!(!related.contains("torget"), "nothing in common: {related}");

    assert_error_page(
        &app.get("/stadsutveckling/artiklar/finns-inte").await,
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
    );
}

#[tokio::test]
async fn cell_articles_counts_and_related_articles_come_from_sql() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    let cells = [
        ("mellanrum", "trygghet"),
        ("torg", "moten"),
        ("torg", "trygghet"),
    ];
    for id in ["m", "n"] {
        db::matrix::upsert(&mut conn, &matrix(id, &cells))
            .await
            .unwrap();
    }
    let dated = |id: &str, m: &str, cells: &[(&str, &str)], date: &str, tags: &[&str]| {
        let mut a = article(id, m, cells);
        a.published = date.parse().unwrap();
        a.tags = tags.iter().map(|t| t.to_string()).collect();
        a
    };
    let articles = [
        // The article whose related articles are asked for.
        dated(
            "a",
            "m",
            &[("torg", "moten"), ("torg", "trygghet")],
            "2015-01-01",
            &["broar", "ljus"],
        ),
        // Two shared cells.
        dated(
            "b",
            "m",
            &[("torg", "moten"), ("torg", "trygghet")],
            "2010-01-01",
            &[],
        ),
        // One shared cell and both tags; one shared cell and no tag, newer.
        dated(
            "c",
            "m",
            &[("torg", "moten")],
            "2011-01-01",
            &["broar", "ljus"],
        ),
        dated("d", "m", &[("torg", "trygghet")], "2020-01-01", &[]),
        // Only tags: the newer first among equals.
        dated(
            "e",
            "m",
            &[("mellanrum", "trygghet")],
            "2012-01-01",
            &["ljus"],
        ),
        dated(
            "f",
            "m",
            &[("mellanrum", "trygghet")],
            "2013-01-01",
            &["broar"],
        ),
        // The same row and column in another matrix is another cell; nothing in common.
        dated("g", "n", &[("torg", "moten")], "2019-01-01", &["annat"]),
    ];
    for a in &articles {
        db::articles::upsert(&mut conn, a).await.unwrap();
    }

    let ids = |list: Vec<hallbar_index::Article>| -> Vec<String> {
        list.into_iter().map(|a| a.id.to_string()).collect()
    };
    assert_eq!(
        ids(db::articles::in_cell(&mut conn, "m", "torg", "moten")
            .await
            .unwrap()),
        ["a", "c", "b"]
    );
    assert_eq!(
        ids(db::articles::in_cell(&mut conn, "n", "torg", "moten")
            .await
            .unwrap()),
        ["g"]
    );
    assert!(
        db::articles::in_cell(&mut conn, "n", "mellanrum", "trygghet")
            .await
            .unwrap()
            .is_empty()
    );

    let mut counts = db::articles::counts_per_cell(&mut conn).await.unwrap();
    counts.sort();
    let expected: Vec<(String, String, String, i64)> = [
        ("m", "mellanrum", "trygghet", 2),
        ("m", "torg", "moten", 3),
        ("m", "torg", "trygghet", 3),
        ("n", "torg", "moten", 1),
    ]
    .iter()
    .map(|(m, r, c, n)| (m.to_string(), r.to_string(), c.to_string(), *n))
    .collect();
    assert_eq!(counts, expected);

    assert_eq!(
        ids(db::articles::related(&mut conn, &articles[0], 10)
            .await
            .unwrap()),
        ["b", "c", "d", "f", "e"]
    );
    assert_eq!(
        ids(db::articles::related(&mut conn, &articles[0], 2)
            .await
            .unwrap()),
        ["b", "c"]
    );
    // An article with nothing in common with any other has no related articles.
    assert!(
        db::articles::related(&mut conn, &articles[6], 10)
            .await
            .unwrap()
            .is_empty()
    );
}
