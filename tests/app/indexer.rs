//! Keeping the index right: writes on the write path become searchable and the writer can
//! wait for its own change, group access reaches thread visibility, and `reindex` while
//! serving switches without losing writes.

use std::sync::Arc;
use std::time::Duration;

use hallbar::db;
use hallbar::db::Db;
use hallbar::indexer::{IndexLocation, IndexerHandle};
use hallbar::search::SearchService;
use hallbar::write::Writes;
use hallbar_index::search::{SearchRequest, Viewer};
use hallbar_index::{GroupAccess, Slug};
use serde_json::Value;
use tempfile::TempDir;

use crate::support::*;

/// `kind:id` of everything `viewer` finds for `query`, through the app's search handle.
async fn ids(service: &SearchService, query: &str, viewer: Viewer) -> Vec<String> {
    let request = SearchRequest {
        query: query.into(),
        viewer,
        per_page: 100,
        ..Default::default()
    };
    service
        .search(request)
        .await
        .unwrap()
        .hits
        .into_iter()
        .map(|h| format!("{}:{}", h.kind.slug(), h.id))
        .collect()
}

/// A database holding `values`, its index, and a running indexer, as `serve` has them.
async fn serving(values: &[Value]) -> (TempDir, Db, SearchService, IndexerHandle) {
    let (dir, pool) = test_db().await;
    if !values.is_empty() {
        import(&pool, values).await;
    }
    let (service, opened) = hallbar::indexer::open(dir.path(), &pool).await.unwrap();
    let indexer = hallbar::indexer::start(opened, pool.clone()).unwrap();
    (dir, pool, service, indexer)
}

#[tokio::test]
async fn writes_become_searchable_and_a_writer_can_wait_for_its_own_change() {
    let (_dir, pool, service, indexer) = serving(&[]).await;
    let writes = Writes::new(pool.clone(), Some(service.clone()));

    let mut change = writes.begin().await.unwrap();
    let mut anna = member("anna");
    anna.background = "Jag leder trygghetsvandringar i Hammarkullen.".into();
    db::members::upsert(&mut change, &anna).await.unwrap();
    let committed = change.commit().await.unwrap();
    assert!(committed.seq.is_some());
    assert!(committed.searchable(Duration::from_secs(10)).await);
    assert_eq!(
        ids(&service, "hammarkullen", Viewer::Anonymous).await,
        ["medlem:anna"]
    );

    // An edit replaces the document; nothing is duplicated.
    anna.background = "Numera arbetar jag med stadsodling i Bergsjön.".into();
    let mut change = writes.begin().await.unwrap();
    db::members::upsert(&mut change, &anna).await.unwrap();
    let committed = change.commit().await.unwrap();
    assert!(committed.searchable(Duration::from_secs(10)).await);
    assert!(
        ids(&service, "hammarkullen", Viewer::Anonymous)
            .await
            .is_empty()
    );
    assert_eq!(
        ids(&service, "stadsodling", Viewer::Anonymous).await,
        ["medlem:anna"]
    );
    assert_eq!(service.document_count(), 1);
    indexer.stop().await;
}

#[tokio::test]
async fn a_change_dropped_before_commit_stores_nothing_and_an_import_is_one_change() {
    let (_dir, pool, service, indexer) = serving(&[]).await;
    let writes = Writes::new(pool.clone(), Some(service.clone()));

    let mut change = writes.begin().await.unwrap();
    db::members::upsert(&mut change, &member("anna"))
        .await
        .unwrap();
    drop(change);
    let mut conn = pool.acquire().await.unwrap();
    assert!(!db::members::exists(&mut conn, "anna").await.unwrap());
    assert_eq!(db::outbox::latest(&mut conn).await.unwrap(), 0);
    drop(conn);

    // A change that touches nothing searchable has no outbox position and waits for nothing.
    let committed = writes.begin().await.unwrap().commit().await.unwrap();
    assert_eq!(committed.seq, None);
    assert!(committed.searchable(Duration::ZERO).await);

    // An import goes through the same path: its report says what search must reach.
    let report = hallbar::interchange::import(
        &writes,
        lines(&[member_json("anna"), member_json("bo")]).as_bytes(),
        false,
    )
    .await
    .unwrap();
    let seq = report.committed_seq.unwrap();
    assert!(service.wait_for(seq, Duration::from_secs(10)).await);
    assert_eq!(
        ids(&service, "hammarkullen", Viewer::Anonymous).await.len(),
        2
    );
    indexer.stop().await;
}

#[tokio::test]
async fn closing_a_group_hides_its_threads_from_non_members() {
    let (_dir, pool, service, indexer) = serving(&[
        member_json("anna"),
        member_json("bo"),
        group_json("g", "anna", &["anna"], "oppen"),
        thread_json("t", "g", &[("anna", "Vi planerar läxhjälp i Hjällbo.")]),
    ])
    .await;
    let bo = Viewer::Member {
        id: Slug::new("bo").unwrap(),
        groups: vec![],
    };
    assert!(!ids(&service, "läxhjälp", bo.clone()).await.is_empty());

    let mut closed = group("g", "anna", &["anna"], "stangd");
    closed.access = GroupAccess::Closed;
    let writes = Writes::new(pool.clone(), Some(service.clone()));
    let mut change = writes.begin().await.unwrap();
    db::groups::upsert(&mut change, &closed).await.unwrap();
    let committed = change.commit().await.unwrap();
    assert!(committed.searchable(Duration::from_secs(10)).await);
    assert!(ids(&service, "läxhjälp", bo).await.is_empty());
    let mut conn = pool.acquire().await.unwrap();
    let anna = db::viewers::viewer_for_member(&mut conn, "anna")
        .await
        .unwrap()
        .unwrap();
    assert!(!ids(&service, "läxhjälp", anna).await.is_empty());
    indexer.stop().await;
}

#[tokio::test]
async fn reindex_while_serving_switches_without_losing_writes() {
    let (dir, pool) = test_db().await;
    hallbar::demo::load(&writes(&pool)).await.unwrap();
    let location = IndexLocation::new(dir.path());
    let (service, opened) = hallbar::indexer::open(dir.path(), &pool).await.unwrap();
    let first = opened.generation.clone();
    let indexer = hallbar::indexer::start(opened, pool.clone()).unwrap();
    let docs_before = service.document_count();

    // Rebuild (as `hallbar reindex` does) while the server runs, writing meanwhile.
    let rebuild = hallbar::indexer::rebuild::rebuild(&pool, &location, Arc::new(|_, _| {}));
    let mut conn = pool.acquire().await.unwrap();
    let mut during = member("skrevs-under-bygget");
    during.background = "Skrev under ombyggnaden om folkhälsoarbete i Tuve.".into();
    db::members::upsert(&mut conn, &during).await.unwrap();
    let rebuilt = rebuild.await.unwrap();
    assert_ne!(rebuilt.generation, first);
    let mut after = member("skrevs-efter-bygget");
    after.background = "Skrev efter ombyggnaden om kulturarv i Tuve.".into();
    db::members::upsert(&mut conn, &after).await.unwrap();
    let seq = db::outbox::latest(&mut conn).await.unwrap();

    // The server follows the switch and replays what the snapshot may have missed.
    let mut switched = false;
    for _ in 0..100 {
        if service.wait_for(seq, Duration::from_millis(200)).await
            && location.current().unwrap().as_deref() == Some(rebuilt.generation.as_str())
            && ids(&service, "tuve", Viewer::Anonymous).await.len() >= 2
            // The server has switched once it has removed the generation it used before.
            && !location.dir(&first).exists()
        {
            switched = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(switched, "server did not pick up the new index");
    let found = ids(&service, "tuve", Viewer::Anonymous).await;
    assert!(
        found.contains(&"medlem:skrevs-under-bygget".into()),
        "{found:?}"
    );
    assert!(
        found.contains(&"medlem:skrevs-efter-bygget".into()),
        "{found:?}"
    );
    assert_eq!(service.document_count(), docs_before + 2);
    indexer.stop().await;
    assert!(
        !location.dir(&first).exists(),
        "the old generation is removed"
    );
}

/// How many member profiles an anonymous visitor finds.
async fn members_found(service: &SearchService) -> u64 {
    let request = SearchRequest {
        filters: hallbar_index::search::Filters {
            kinds: vec![hallbar_index::DocKind::Member],
            ..Default::default()
        },
        ..Default::default()
    };
    service.search(request).await.unwrap().total
}

#[tokio::test]
async fn a_saved_change_stays_searchable_while_rebuilds_switch_generations() {
    let (dir, pool, service, indexer) = serving(&[member_json("anna")]).await;
    let writes = Writes::new(pool.clone(), Some(service.clone()));
    let location = IndexLocation::new(dir.path());
    let rebuild_pool = pool.clone();
    let rebuilds = tokio::spawn(async move {
        for _ in 0..3 {
            hallbar::indexer::rebuild::rebuild(&rebuild_pool, &location, Arc::new(|_, _| {}))
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    let mut written = 1;
    while !rebuilds.is_finished() || written < 20 {
        let mut change = writes.begin().await.unwrap();
        db::members::upsert(&mut change, &member(&format!("ny-{written}")))
            .await
            .unwrap();
        let committed = change.commit().await.unwrap();
        assert!(committed.searchable(Duration::from_secs(10)).await);
        written += 1;
        // Once a change is searchable it stays so, whichever generation searches use.
        for _ in 0..5 {
            assert_eq!(members_found(&service).await, written);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    rebuilds.await.unwrap();
    indexer.stop().await;
}
