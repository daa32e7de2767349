//! Keeping the index right: near-real-time indexing of writes, a writer waiting for its own
//! change, group access changes reaching thread visibility, and `reindex` while serving.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use hallbar::db;
use hallbar_index::search::{self, SearchRequest, Viewer};
use hallbar_index::{GroupAccess, Slug};

fn ids(index: &hallbar_index::SearchIndex, query: &str, viewer: Viewer) -> Vec<String> {
    let request = SearchRequest {
        query: query.into(),
        viewer,
        per_page: 100,
        ..Default::default()
    };
    search::search(index, &request)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| format!("{}:{}", h.kind.slug(), h.id))
        .collect()
}

#[tokio::test]
async fn writes_become_searchable_and_a_writer_can_wait_for_its_own_change() {
    let (dir, pool) = test_db().await;
    let service = hallbar::search::open(dir.path(), &pool).await.unwrap();
    let indexer = hallbar::search::indexer::start(service.clone(), pool.clone()).unwrap();

    let mut tx = pool.begin().await.unwrap();
    let mut anna = member("anna");
    anna.background = "Jag leder trygghetsvandringar i Hammarkullen.".into();
    db::members::upsert(&mut tx, &anna).await.unwrap();
    let seq = db::outbox::latest(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    assert!(service.wait_for(seq, Duration::from_secs(10)).await);
    assert_eq!(
        ids(&service.index(), "hammarkullen", Viewer::Anonymous),
        ["medlem:anna"]
    );

    // An edit replaces the document; nothing is duplicated.
    anna.background = "Numera arbetar jag med stadsodling i Bergsjön.".into();
    let mut conn = pool.acquire().await.unwrap();
    db::members::upsert(&mut conn, &anna).await.unwrap();
    let seq = db::outbox::latest(&mut conn).await.unwrap();
    assert!(service.wait_for(seq, Duration::from_secs(10)).await);
    let index = service.index();
    assert!(ids(&index, "hammarkullen", Viewer::Anonymous).is_empty());
    assert_eq!(
        ids(&index, "stadsodling", Viewer::Anonymous),
        ["medlem:anna"]
    );
    assert_eq!(index.num_docs(), 1);
    indexer.stop().await;
}

#[tokio::test]
async fn closing_a_group_hides_its_threads_from_non_members() {
    let (dir, pool) = test_db().await;
    let setup = lines(&[
        member_json("anna"),
        member_json("bo"),
        group_json("g", "anna", &["anna"], "oppen"),
        thread_json("t", "g", &[("anna", "Vi planerar läxhjälp i Hjällbo.")]),
    ]);
    hallbar::interchange::import(&pool, setup.as_bytes(), false)
        .await
        .unwrap();
    let service = hallbar::search::open(dir.path(), &pool).await.unwrap();
    let indexer = hallbar::search::indexer::start(service.clone(), pool.clone()).unwrap();
    let bo = Viewer::Member {
        id: Slug::new("bo").unwrap(),
        groups: vec![],
    };
    assert!(!ids(&service.index(), "läxhjälp", bo.clone()).is_empty());

    let mut closed = group("g", "anna", &["anna"], "stangd");
    closed.access = GroupAccess::Closed;
    let mut conn = pool.acquire().await.unwrap();
    db::groups::upsert(&mut conn, &closed).await.unwrap();
    let seq = db::outbox::latest(&mut conn).await.unwrap();
    assert!(service.wait_for(seq, Duration::from_secs(10)).await);
    assert!(ids(&service.index(), "läxhjälp", bo).is_empty());
    let anna = db::viewers::viewer_for_member(&mut conn, "anna")
        .await
        .unwrap()
        .unwrap();
    assert!(!ids(&service.index(), "läxhjälp", anna).is_empty());
    indexer.stop().await;
}

#[tokio::test]
async fn reindex_while_serving_switches_without_losing_writes() {
    let (dir, pool) = test_db().await;
    hallbar::demo::load(&pool).await.unwrap();
    let service = hallbar::search::open(dir.path(), &pool).await.unwrap();
    let first = service.location().current().unwrap().unwrap();
    let indexer = hallbar::search::indexer::start(service.clone(), pool.clone()).unwrap();
    let docs_before = service.index().num_docs();

    // Rebuild (as `hallbar reindex` does) while the server runs, writing meanwhile.
    let location = hallbar::search::IndexLocation::new(dir.path());
    let rebuild = hallbar::search::rebuild::rebuild(&pool, &location, Arc::new(|_, _| {}));
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
            && service.location().current().unwrap().as_deref() == Some(rebuilt.generation.as_str())
            && ids(&service.index(), "tuve", Viewer::Anonymous).len() >= 2
            // The server has switched once it has removed the generation it used before.
            && !location.dir(&first).exists()
        {
            switched = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(switched, "server did not pick up the new index");
    let index = service.index();
    let found = ids(&index, "tuve", Viewer::Anonymous);
    assert!(
        found.contains(&"medlem:skrevs-under-bygget".into()),
        "{found:?}"
    );
    assert!(
        found.contains(&"medlem:skrevs-efter-bygget".into()),
        "{found:?}"
    );
    assert_eq!(index.num_docs(), docs_before + 2);
    indexer.stop().await;
    assert!(
        !location.dir(&first).exists(),
        "the old generation is removed"
    );
}
