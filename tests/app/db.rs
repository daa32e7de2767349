//! The store itself: migrations, SQLite's connection settings and the outbox.

use hallbar::db;
use hallbar_index::ContentKind;

use sqlx::Row;

use crate::support::*;

#[tokio::test]
async fn migrations_create_every_table_on_an_empty_database() {
    let (_dir, pool) = test_db().await;
    let tables: Vec<String> = match &pool {
        db::Db::Sqlite(p) => sqlx::query_scalar("SELECT name FROM sqlite_schema WHERE type = 'table'")
            .fetch_all(p)
            .await
            .unwrap(),
        db::Db::Postgres(p) => sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()",
        )
        .fetch_all(p)
        .await
        .unwrap(),
    };
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
    // SQLite's own settings: always a SQLite database, whichever the other tests use.
    let dir = tempfile::tempdir().unwrap();
    let db = db::open_and_migrate(dir.path()).await.unwrap();
    let pool = sqlite(&db).clone();
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
