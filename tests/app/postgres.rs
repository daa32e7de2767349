//! The PostgreSQL schema against the SQLite one: both sets of migrations give the same
//! tables with the same columns, each as nullable as its twin.

use std::collections::BTreeMap;

use hallbar::db::migrations::{POSTGRES, SQLITE, migrator};
use sqlx::Row;

use crate::support::{postgres_db, sqlite};

/// Table → column → whether it may be NULL.
type Schema = BTreeMap<String, BTreeMap<String, bool>>;

async fn sqlite_schema() -> Schema {
    let dir = tempfile::tempdir().unwrap();
    let db = hallbar::db::open_and_migrate(dir.path()).await.unwrap();
    let pool = sqlite(&db);
    migrator(SQLITE).run(pool).await.unwrap();
    let tables = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for table in tables {
        let table: String = table.get("name");
        let columns = sqlx::query("SELECT name, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(&table)
            .fetch_all(pool)
            .await
            .unwrap();
        let columns = columns
            .into_iter()
            .map(|c| {
                let not_null: i64 = c.get("notnull");
                let key: i64 = c.get("pk");
                // A primary key column is never NULL, whether it says so or not.
                (c.get::<String, _>("name"), not_null == 0 && key == 0)
            })
            .collect();
        schema.insert(table, columns);
    }
    schema
}

async fn postgres_schema() -> Schema {
    let pool = postgres_db().await;
    migrator(POSTGRES).run(&pool).await.unwrap();
    let columns = sqlx::query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, \
         is_nullable::text AS is_nullable FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for c in columns {
        schema.entry(c.get("table_name")).or_default().insert(
            c.get("column_name"),
            c.get::<String, _>("is_nullable") == "YES",
        );
    }
    schema
}

#[tokio::test]
async fn both_databases_have_the_same_tables_and_columns() {
    let sqlite = sqlite_schema().await;
    let postgres = postgres_schema().await;
    assert!(sqlite.len() >= 14, "{:?}", sqlite.keys());
    assert_eq!(sqlite, postgres);
}
