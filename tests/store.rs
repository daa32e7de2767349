//! The SQLite store: migrations, connection settings and every query function.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use hallbar::db;
use hallbar_index::{ContentKind, Phase};
use sqlx::Row;

#[tokio::test]
async fn migrations_create_every_table_on_an_empty_database() {
    let (_dir, pool) = test_db().await;
    let tables: Vec<String> = sqlx::query("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .fetch_all(&pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("name"))
        .collect();
    for table in [
        "members",
        "accounts",
        "sessions",
        "groups",
        "group_members",
        "threads",
        "posts",
        "pivi_entries",
        "matrices",
        "matrix_cells",
        "articles",
        "article_cells",
        "dialogue_texts",
        "index_outbox",
    ] {
        assert!(
            tables.iter().any(|t| t == table),
            "table {table} missing: {tables:?}"
        );
    }
    // Migrating again is a no-op.
    db::migrate(&pool).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    assert!(db::stats::is_empty(&mut conn).await.unwrap());
}

#[tokio::test]
async fn connections_use_wal_foreign_keys_and_a_busy_timeout() {
    let (_dir, pool) = test_db().await;
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(fk, 1);
    let timeout: i64 = sqlx::query("PRAGMA busy_timeout")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    assert!(timeout >= 1000, "busy_timeout {timeout}");
}

#[tokio::test]
async fn members_upsert_get_list_exists_and_outbox() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    let mut anna = member("anna");
    db::members::upsert(&mut conn, &anna).await.unwrap();
    db::members::upsert(&mut conn, &member("bo")).await.unwrap();
    assert_eq!(
        db::members::get(&mut conn, "anna").await.unwrap(),
        Some(anna.clone())
    );
    assert_eq!(db::members::get(&mut conn, "saknas").await.unwrap(), None);
    assert!(db::members::exists(&mut conn, "bo").await.unwrap());
    assert!(!db::members::exists(&mut conn, "saknas").await.unwrap());

    anna.title = "Enhetschef".into();
    anna.competences.push("barnrättsperspektiv".into());
    db::members::upsert(&mut conn, &anna).await.unwrap();
    let all = db::members::list(&mut conn).await.unwrap();
    assert_eq!(all.len(), 2, "an update must not add a row");
    assert_eq!(all[0], anna);

    let entries = db::outbox::after(&mut conn, 0, 100).await.unwrap();
    let kinds: Vec<(ContentKind, &str)> = entries
        .iter()
        .map(|e| (e.kind, e.entity_id.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (ContentKind::Member, "anna"),
            (ContentKind::Member, "bo"),
            (ContentKind::Member, "anna")
        ]
    );
    assert_eq!(db::outbox::latest(&mut conn).await.unwrap(), entries[2].seq);
    assert_eq!(
        db::outbox::after(&mut conn, entries[1].seq, 100)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(db::outbox::after(&mut conn, 0, 1).await.unwrap().len(), 1);
}

#[tokio::test]
async fn groups_replace_their_member_list() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    for id in ["anna", "bo", "cia"] {
        db::members::upsert(&mut conn, &member(id)).await.unwrap();
    }
    db::groups::upsert(&mut conn, &group("g", "anna", &["anna", "bo"], "stangd"))
        .await
        .unwrap();
    assert!(db::groups::is_member(&mut conn, "g", "bo").await.unwrap());
    assert!(!db::groups::is_member(&mut conn, "g", "cia").await.unwrap());
    let changed = group("g", "anna", &["cia", "anna"], "oppen");
    db::groups::upsert(&mut conn, &changed).await.unwrap();
    let stored = db::groups::get(&mut conn, "g").await.unwrap().unwrap();
    assert_eq!(
        stored
            .members
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>(),
        ["anna", "cia"]
    );
    assert!(!stored.is_closed());
    assert!(!db::groups::is_member(&mut conn, "g", "bo").await.unwrap());
    assert_eq!(db::groups::list(&mut conn).await.unwrap().len(), 1);
    assert!(db::groups::exists(&mut conn, "g").await.unwrap());
    let ids = db::groups::member_ids(&mut conn, "g").await.unwrap();
    assert_eq!(
        ids.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        ["anna", "cia"]
    );
    assert!(
        db::groups::member_ids(&mut conn, "saknas")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(db::groups::get(&mut conn, "saknas").await.unwrap(), None);
}

#[tokio::test]
async fn threads_keep_post_ids_when_updated_and_drop_removed_posts() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    for id in ["anna", "bo"] {
        db::members::upsert(&mut conn, &member(id)).await.unwrap();
    }
    db::groups::upsert(&mut conn, &group("g", "anna", &["anna", "bo"], "oppen"))
        .await
        .unwrap();
    let t = thread(
        "t",
        "g",
        &[("anna", "Första"), ("bo", "Andra"), ("anna", "Tredje")],
    );
    db::threads::upsert(&mut conn, &t).await.unwrap();
    let first_id: i64 = sqlx::query("SELECT id FROM posts WHERE position = 0")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get(0);
    let shorter = thread("t", "g", &[("anna", "Första, redigerad"), ("bo", "Andra")]);
    db::threads::upsert(&mut conn, &shorter).await.unwrap();
    let stored = db::threads::get(&mut conn, "t").await.unwrap().unwrap();
    assert_eq!(stored, shorter);
    assert_eq!(stored.author().unwrap().as_str(), "anna");
    let same_id: i64 = sqlx::query("SELECT id FROM posts WHERE position = 0")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(first_id, same_id);
    assert_eq!(db::threads::list(&mut conn).await.unwrap().len(), 1);
    assert_eq!(
        db::threads::ids_in_group(&mut conn, "g").await.unwrap(),
        ["t"]
    );
    let counts = db::stats::counts(&mut conn).await.unwrap();
    assert_eq!((counts.threads, counts.posts), (1, 2));
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

#[tokio::test]
async fn matrices_update_cells_and_articles_link_to_them() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    let m = matrix("m", &[("mellanrum", "trygghet"), ("torg", "moten")]);
    db::matrix::upsert_matrix(&mut conn, &m).await.unwrap();
    let a = article("a", "m", &[("torg", "moten")]);
    db::matrix::upsert_article(&mut conn, &a).await.unwrap();
    assert_eq!(
        db::matrix::get_article(&mut conn, "a").await.unwrap(),
        Some(a.clone())
    );

    // Reordering and rewriting cells keeps the linked cell.
    let mut changed = matrix("m", &[("torg", "moten"), ("torg", "trygghet")]);
    changed.cells[0].summary = "Ny sammanfattning.".into();
    db::matrix::upsert_matrix(&mut conn, &changed)
        .await
        .unwrap();
    assert_eq!(
        db::matrix::get_matrix(&mut conn, "m").await.unwrap(),
        Some(changed)
    );

    // Removing a cell an article links to is refused by the database.
    let without = matrix("m", &[("torg", "trygghet")]);
    assert!(
        db::matrix::upsert_matrix(&mut conn, &without)
            .await
            .is_err()
    );

    assert_eq!(db::matrix::list_matrices(&mut conn).await.unwrap().len(), 1);
    assert_eq!(
        db::matrix::list_articles(&mut conn, true, 10)
            .await
            .unwrap(),
        vec![a]
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
        db::matrix::upsert_matrix(&mut conn, &matrix(id, &cells))
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
        db::matrix::upsert_article(&mut conn, a).await.unwrap();
    }

    let ids = |list: Vec<hallbar_index::Article>| -> Vec<String> {
        list.into_iter().map(|a| a.id.to_string()).collect()
    };
    assert_eq!(
        ids(
            db::matrix::articles_in_cell(&mut conn, "m", "torg", "moten")
                .await
                .unwrap()
        ),
        ["a", "c", "b"]
    );
    assert_eq!(
        ids(
            db::matrix::articles_in_cell(&mut conn, "n", "torg", "moten")
                .await
                .unwrap()
        ),
        ["g"]
    );
    assert!(
        db::matrix::articles_in_cell(&mut conn, "n", "mellanrum", "trygghet")
            .await
            .unwrap()
            .is_empty()
    );

    let mut counts = db::matrix::article_counts(&mut conn).await.unwrap();
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
        ids(db::matrix::related_articles(&mut conn, &articles[0], 10)
            .await
            .unwrap()),
        ["b", "c", "d", "f", "e"]
    );
    assert_eq!(
        ids(db::matrix::related_articles(&mut conn, &articles[0], 2)
            .await
            .unwrap()),
        ["b", "c"]
    );
    // An article with nothing in common with any other has no related articles.
    assert!(
        db::matrix::related_articles(&mut conn, &articles[6], 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn dialogue_texts_by_phase() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    let checklist = dialogue("c", "checklista", &["Syftet är formulerat", "Budget finns"]);
    let mut text = dialogue("t", "text", &[]);
    text.phase = Phase::FollowUp;
    db::dialogue::upsert(&mut conn, &checklist).await.unwrap();
    db::dialogue::upsert(&mut conn, &text).await.unwrap();
    assert_eq!(
        db::dialogue::get(&mut conn, "c").await.unwrap(),
        Some(checklist.clone())
    );
    assert_eq!(
        db::dialogue::in_phase(&mut conn, Phase::Preparation)
            .await
            .unwrap(),
        vec![checklist]
    );
    assert_eq!(
        db::dialogue::in_phase(&mut conn, Phase::FollowUp)
            .await
            .unwrap(),
        vec![text]
    );
    assert_eq!(db::dialogue::list(&mut conn).await.unwrap().len(), 2);
    let counts = db::stats::counts(&mut conn).await.unwrap();
    assert_eq!(counts.dialogue_texts, 2);
    assert!(!db::stats::is_empty(&mut conn).await.unwrap());
}

#[tokio::test]
async fn outbox_append_returns_growing_sequence_numbers() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    assert_eq!(db::outbox::latest(&mut conn).await.unwrap(), 0);
    let first = db::outbox::append(&mut conn, ContentKind::Pivi, "p")
        .await
        .unwrap();
    let second = db::outbox::append(&mut conn, ContentKind::Group, "g")
        .await
        .unwrap();
    assert!(second > first);
    let entries = db::outbox::after(&mut conn, first, 10).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].kind, entries[0].entity_id.as_str()),
        (ContentKind::Group, "g")
    );
}
