//! A database that goes back (restored from a backup, failed over to a standby that had not
//! received everything) is noticed through its epoch and its outbox: the index is rebuilt
//! from it rather than left holding what the database no longer has.

use std::time::{Duration, Instant};

use hallbar::db::{self, Db};
use hallbar::search::SearchService;
use hallbar_index::search::SearchRequest;
use tempfile::TempDir;

use crate::support::*;

async fn finds(search: &SearchService, id: &str) -> bool {
    let request = SearchRequest {
        query: format!("Namn {id}"),
        ..Default::default()
    };
    let results = search.search(request).await.unwrap();
    results.hits.iter().any(|h| h.id == id)
}

async fn epoch(db: &Db) -> String {
    db::epoch::current(&mut db.acquire().await.unwrap())
        .await
        .unwrap()
}

/// A database with members `kvar` and `borta`, indexed by a node that is then stopped.
async fn indexed() -> (TempDir, Db, String) {
    let (dir, db) = test_db().await;
    import(&db, &[member_json("kvar"), member_json("borta")]).await;
    let (search, opened) = hallbar::indexer::open(dir.path(), &db).await.unwrap();
    assert!(finds(&search, "borta").await);
    drop((search, opened));
    let before = epoch(&db).await;
    (dir, db, before)
}

#[tokio::test]
async fn an_index_ahead_of_a_restored_database_is_rebuilt_at_start() {
    let (dir, db, before) = indexed().await;
    // The backup was taken before `borta` was written.
    execute(&db, "DELETE FROM members WHERE id = 'borta'")
        .await
        .unwrap();
    execute(&db, "DELETE FROM index_outbox WHERE entity_id = 'borta'")
        .await
        .unwrap();
    let (search, _opened) = hallbar::indexer::open(dir.path(), &db).await.unwrap();
    assert!(
        !finds(&search, "borta").await,
        "what the database lost is gone"
    );
    assert!(finds(&search, "kvar").await);
    let after = epoch(&db).await;
    assert_ne!(after, before, "the database got a new epoch");
    assert_eq!(search.index_epoch().unwrap(), after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_node_rebuilds_when_the_epoch_changes() {
    let (dir, db, _) = indexed().await;
    let mut app = TestApp::on(dir, db.clone()).await;
    let indexer = app.start_indexer();
    let search = app.state.search.clone();
    assert!(finds(&search, "borta").await);
    // Fail-over to a standby without `borta`; another node noticed first and renewed the
    // epoch.
    execute(&db, "DELETE FROM members WHERE id = 'borta'")
        .await
        .unwrap();
    execute(&db, "UPDATE search_epoch SET epoch = 'efter-bytet'")
        .await
        .unwrap();
    let started = Instant::now();
    while finds(&search, "borta").await {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the node did not rebuild within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(finds(&search, "kvar").await);
    assert_eq!(search.index_epoch().unwrap(), "efter-bytet");
    indexer.stop().await;
}
