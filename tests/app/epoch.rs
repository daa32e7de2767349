//! An index and the database's history: a database that goes back (restored from a backup,
//! failed over to a standby that had not received everything) is noticed through its epoch
//! and its outbox, and the index is rebuilt rather than left holding what the database no
//! longer has; the outbox is pruned below what every live node has read, and a node that
//! was away longer rebuilds.

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

/// The outbox keeps what some live node has not read yet, and the newest row.
#[tokio::test]
async fn the_outbox_is_pruned_below_the_lowest_live_watermark() {
    let (_dir, db) = test_db().await;
    let mut conn = db.acquire().await.unwrap();
    for i in 0..10 {
        db::outbox::append(
            &mut conn,
            hallbar_index::ContentKind::Member,
            &format!("m{i}"),
        )
        .await
        .unwrap();
    }
    let seqs = |db: Db| async move {
        let mut conn = db.acquire().await.unwrap();
        db::outbox::after(&mut conn, 0, 100)
            .await
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect::<Vec<_>>()
    };
    let all = seqs(db.clone()).await;
    assert_eq!(all.len(), 10);
    db::replicas::heartbeat(&mut conn, "a", all[4])
        .await
        .unwrap();
    db::replicas::heartbeat(&mut conn, "b", all[2])
        .await
        .unwrap();
    db::replicas::heartbeat(&mut conn, "borta", all[0])
        .await
        .unwrap();
    // `borta` was last heard from an hour ago, by the database's clock.
    execute(
        &db,
        "UPDATE index_replicas SET seen_at = '2000-01-01T00:00:00.000Z' WHERE node_id = 'borta'",
    )
    .await
    .unwrap();
    assert_eq!(db::replicas::prune(&mut conn).await.unwrap(), 2);
    assert_eq!(seqs(db.clone()).await, all[2..]);
    // Everyone has read everything: only the newest row stays (it numbers the next).
    for node in ["a", "b"] {
        db::replicas::heartbeat(&mut conn, node, all[9])
            .await
            .unwrap();
    }
    db::replicas::prune(&mut conn).await.unwrap();
    assert_eq!(seqs(db.clone()).await, [all[9]]);
    assert_eq!(db::outbox::latest(&mut conn).await.unwrap(), all[9]);
}

/// A node away for longer than the others waited finds the outbox pruned past its index,
/// and rebuilds instead of missing what it did not read.
#[tokio::test]
async fn a_node_behind_the_pruned_outbox_rebuilds() {
    let (dir, db, _) = indexed().await;
    import(&db, &[member_json("senare"), member_json("sist")]).await;
    let mut conn = db.acquire().await.unwrap();
    let latest = db::outbox::latest(&mut conn).await.unwrap();
    db::replicas::heartbeat(&mut conn, "en-annan-nod", latest)
        .await
        .unwrap();
    // This node was last heard from long ago: it no longer holds the rows back.
    execute(
        &db,
        "UPDATE index_replicas SET seen_at = '2000-01-01T00:00:00.000Z' \
         WHERE node_id <> 'en-annan-nod'",
    )
    .await
    .unwrap();
    assert!(db::replicas::prune(&mut conn).await.unwrap() > 0);
    drop(conn);
    let (search, _opened) = hallbar::indexer::open(dir.path(), &db).await.unwrap();
    assert!(
        finds(&search, "senare").await,
        "a change whose row was pruned"
    );
    assert!(finds(&search, "sist").await);
}

/// A running indexer reports its watermark.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_indexer_reports_its_watermark() {
    let (dir, db, _) = indexed().await;
    let mut app = TestApp::on(dir, db.clone()).await;
    let indexer = app.start_indexer();
    let latest = db::outbox::latest(&mut db.acquire().await.unwrap())
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let reports = db::replicas::list(&mut db.acquire().await.unwrap())
            .await
            .unwrap();
        if reports.iter().any(|(_, watermark, _)| *watermark == latest) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{reports:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    indexer.stop().await;
}

/// A database restored to before the index's last change, which has written again since
/// and so numbered other rows the same: the row at the index's watermark is another one,
/// and the index is rebuilt at start.
#[tokio::test]
async fn a_restored_database_that_wrote_again_is_told_apart() {
    let (dir, db, before) = indexed().await;
    let watermark = fetch_number(&db, "SELECT max(seq) FROM index_outbox").await;
    // The backup was taken before `borta`…
    execute(&db, "DELETE FROM members WHERE id = 'borta'")
        .await
        .unwrap();
    execute(&db, "DELETE FROM index_outbox WHERE entity_id = 'borta'")
        .await
        .unwrap();
    // …and since the restore `ny` was written, under the number `borta` had.
    import(&db, &[member_json("ny")]).await;
    execute(&db, "DELETE FROM index_outbox WHERE entity_id = 'ny'")
        .await
        .unwrap();
    let renumbered: &'static str = Box::leak(
        format!(
            "INSERT INTO index_outbox (seq, kind, entity_id) VALUES ({watermark}, 'medlem', 'ny')"
        )
        .into_boxed_str(),
    );
    execute(&db, renumbered).await.unwrap();
    assert_eq!(
        fetch_number(&db, "SELECT max(seq) FROM index_outbox").await,
        watermark,
        "the outbox ends where the index does"
    );

    let (search, _opened) = hallbar::indexer::open(dir.path(), &db).await.unwrap();
    assert!(finds(&search, "ny").await, "the write after the restore");
    assert!(!finds(&search, "borta").await, "nothing the database lost");
    assert_ne!(epoch(&db).await, before);
}

/// A build reports how far its snapshot reaches under a name of its own, so that the node's
/// follower, reporting its own position meanwhile, cannot let others prune under it.
#[tokio::test]
async fn a_build_reports_its_snapshot_beside_the_node() {
    let (dir, db, _) = indexed().await;
    let location = hallbar::indexer::IndexLocation::new(dir.path());
    hallbar::indexer::rebuild::rebuild(&db, &location, std::sync::Arc::new(|_, _| {}))
        .await
        .unwrap();
    let node = location.node_id().unwrap();
    let latest = db::outbox::latest(&mut db.acquire().await.unwrap())
        .await
        .unwrap();
    let reports = db::replicas::list(&mut db.acquire().await.unwrap())
        .await
        .unwrap();
    let build = hallbar::indexer::rebuild::build_report(&node);
    assert!(
        reports
            .iter()
            .any(|(name, watermark, _)| *name == build && *watermark == latest),
        "{reports:?}"
    );
}
