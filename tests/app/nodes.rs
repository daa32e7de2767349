//! Several app nodes on one PostgreSQL, each with its own search index fed by the shared
//! outbox: a write through one node is found on every node, and outbox numbers never
//! become visible out of order (a slow transaction committed after a fast one is not
//! skipped).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use hallbar::db::{self, Db};
use hallbar::indexer::IndexerHandle;
use hallbar::search::SearchService;
use hallbar::write::Writes;
use hallbar_index::search::SearchRequest;
use tempfile::TempDir;

use crate::support::*;

/// One node: its own data directory and index, following the shared database.
struct Node {
    _dir: TempDir,
    search: SearchService,
    indexer: IndexerHandle,
}

async fn node(db: &Db) -> Node {
    let dir = tempfile::tempdir().unwrap();
    let (search, opened) = hallbar::indexer::open(dir.path(), db).await.unwrap();
    let indexer = hallbar::indexer::start(opened, db.clone()).unwrap();
    Node {
        _dir: dir,
        search,
        indexer,
    }
}

/// Whether `node` finds the member `id` by the name the fixtures give it.
async fn finds(node: &Node, id: &str) -> bool {
    let request = SearchRequest {
        query: format!("Namn {id}"),
        per_page: 100,
        ..Default::default()
    };
    let results = node.search.search(request).await.unwrap();
    results.hits.iter().any(|h| h.id == id)
}

/// Waits until `every node finds every id`, failing after 10 s.
async fn converge(nodes: &[&Node], ids: &[&str]) {
    let started = Instant::now();
    loop {
        let mut all = true;
        for node in nodes {
            for id in ids {
                all &= finds(node, id).await;
            }
        }
        if all {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the nodes did not all find {ids:?} within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn postgres() -> Db {
    let db = Db::Postgres(postgres_db().await);
    db::migrate(&db).await.unwrap();
    db
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_through_one_node_is_found_on_the_others() {
    let db = postgres().await;
    let a = node(&db).await;
    let b = node(&db).await;
    let c = node(&db).await;
    // Node A's write path wakes A's indexer; B and C hear of it from the database.
    let writes = Writes::new(db.clone(), Some(a.search.clone()));
    let mut change = writes.begin().await.unwrap();
    db::members::upsert(&mut change, &member("ada"))
        .await
        .unwrap();
    change.commit().await.unwrap();
    converge(&[&a, &b, &c], &["ada"]).await;
    for n in [a, b, c] {
        n.indexer.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_slow_and_a_fast_transaction_committed_out_of_order_reach_every_node() {
    let db = postgres().await;
    let a = node(&db).await;
    let b = node(&db).await;

    // A reader of the outbox as every indexer reads it: the rows past its watermark.
    let reader_db = db.clone();
    let reader = tokio::spawn(async move {
        let mut seen = BTreeSet::new();
        let mut watermark = 0;
        let started = Instant::now();
        while seen.len() < 2 && started.elapsed() < Duration::from_secs(10) {
            let mut conn = reader_db.acquire().await.unwrap();
            for entry in db::outbox::after(&mut conn, watermark, 100).await.unwrap() {
                watermark = watermark.max(entry.seq);
                seen.insert(entry.entity_id);
            }
            drop(conn);
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        seen
    });

    // The slow transaction writes first and holds its outbox row uncommitted…
    let writes = Writes::new(db.clone(), None);
    let mut slow = writes.begin().await.unwrap();
    db::members::upsert(&mut slow, &member("langsam"))
        .await
        .unwrap();
    // …while a fast one writes and commits.
    let fast_writes = writes.clone();
    let fast = tokio::spawn(async move {
        let mut change = fast_writes.begin().await.unwrap();
        db::members::upsert(&mut change, &member("snabb"))
            .await
            .unwrap();
        change.commit().await.unwrap();
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    slow.commit().await.unwrap();
    fast.await.unwrap();

    let seen = reader.await.unwrap();
    assert_eq!(
        seen,
        BTreeSet::from(["langsam".to_string(), "snabb".to_string()]),
        "a reader following the outbox saw both"
    );
    converge(&[&a, &b], &["langsam", "snabb"]).await;
    a.indexer.stop().await;
    b.indexer.stop().await;
}

/// A client that wrote through node A and then searches on node B sees its change: the
/// write's cookie makes B wait until its index has it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_search_on_another_node_sees_the_clients_own_write() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};

    let db = postgres().await;
    let a = node(&db).await;
    let mut b = TestApp::on(tempfile::tempdir().unwrap(), db.clone()).await;
    let b_indexer = b.start_indexer();
    for round in 0..5 {
        let id = format!("skribent-{round}");
        let writes = Writes::new(db.clone(), Some(a.search.clone()));
        let mut change = writes.begin().await.unwrap();
        db::members::upsert(&mut change, &member(&id))
            .await
            .unwrap();
        let committed = change.commit().await.unwrap();
        let cookie = hallbar::http::fresh::remember(&committed, false).expect("a position");
        let cookie = cookie
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let request = Request::get(format!("/api/v1/sok?q=Namn+{id}"))
            .header("cookie", cookie)
            .body(Body::empty())
            .unwrap();
        let answer = b.send(request).await;
        assert_eq!(answer.status, StatusCode::OK);
        let hits = answer.json()["hits"].clone();
        assert!(
            hits.as_array()
                .unwrap()
                .iter()
                .any(|h| h["id"] == id.as_str()),
            "round {round}: {hits}"
        );
    }
    b_indexer.stop().await;
    a.indexer.stop().await;
}

/// Nodes that start at the same moment on an empty database migrate it once and load the
/// demo corpus once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nodes_starting_together_migrate_once_and_load_the_demo_once() {
    let db = Db::Postgres(postgres_db().await);
    let starts: Vec<_> = (0..3)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                db::migrate(&db).await.unwrap();
                hallbar::demo::load_if_empty(&db).await.unwrap()
            })
        })
        .collect();
    let mut loaded = 0;
    for start in starts {
        loaded += usize::from(start.await.unwrap());
    }
    assert_eq!(loaded, 1, "exactly one node loads the demo corpus");
    let migrations = fetch_number(&db, "SELECT count(*) FROM _sqlx_migrations").await;
    assert_eq!(migrations, hallbar::db::migrations::POSTGRES.len() as i64);

    // One load's outbox rows, as many as loading once into another empty database gives.
    let once = postgres().await;
    assert!(hallbar::demo::load_if_empty(&once).await.unwrap());
    let rows = "SELECT count(*) FROM index_outbox";
    assert_eq!(
        fetch_number(&db, rows).await,
        fetch_number(&once, rows).await
    );
}

/// Two imports at once, the second touching a record the first reaches later, take turns
/// instead of deadlocking (each write transaction takes the outbox's lock first).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_imports_take_turns() {
    let db = postgres().await;
    let big: Vec<serde_json::Value> = (0..1500)
        .map(|i| member_json(&format!("stor-{i}")))
        .collect();
    let first = {
        let writes = Writes::new(db.clone(), None);
        let text = lines(&big);
        tokio::spawn(
            async move { hallbar::interchange::import(&writes, text.as_bytes(), false).await },
        )
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let second = hallbar::interchange::import(
        &Writes::new(db.clone(), None),
        lines(&[member_json("stor-1499")]).as_bytes(),
        false,
    )
    .await;
    let first = first.await.unwrap();
    assert!(first.is_ok(), "{:?}", first.err());
    assert!(second.is_ok(), "{:?}", second.err());
    assert_eq!(
        fetch_number(&db, "SELECT count(*) FROM members").await,
        1500
    );
}
