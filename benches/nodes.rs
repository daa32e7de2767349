//! Several nodes on PostgreSQL against one node on SQLite: how long a write through node A
//! takes to become searchable on node B, import and reindex rates on each database, and
//! search latency on a node of each (search never touches the database).
//!
//! Needs a PostgreSQL server: `HALLBAR_TEST_POSTGRES` (a URL whose user may create
//! schemas), as `./test` sets it; `tools/cluster` or any server will do.
//!
//!   HALLBAR_TEST_POSTGRES=postgres://… cargo bench --bench nodes

use std::time::{Duration, Instant};

use hallbar::db::{self, Db};
use hallbar::interchange;
use hallbar::search::SearchService;
use hallbar::write::Writes;
use hallbar_index::search::SearchRequest;
use serde_json::json;

type Error = Box<dyn std::error::Error>;

fn member(id: &str) -> serde_json::Value {
    json!({
        "type": "medlem", "id": id, "namn": format!("Namn {id}"),
        "titel": "Områdesutvecklare", "organisation": "Göteborgs Stad",
        "sektor": "kommun", "stadsdel": "angered",
        "bakgrund": "Arbetar med medborgardialog och trygghetsvandringar i Hammarkullen.",
        "kompetenser": ["medborgardialog", "trygghetsvandringar"],
        "intressen": ["stadsodling"], "synlighet": "publik", "medlem_sedan": "2014-03-02"
    })
}

/// `count` members as JSON Lines.
fn members(prefix: &str, count: usize) -> String {
    (0..count)
        .map(|i| member(&format!("{prefix}-{i}")).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A fresh, migrated schema of the PostgreSQL server.
async fn postgres(base: &str) -> Result<Db, Error> {
    let options: sqlx::postgres::PgConnectOptions = base.parse()?;
    let server = sqlx::PgPool::connect_with(options.clone()).await?;
    let schema = format!("bench_{}_{}", std::process::id(), rand_suffix());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&server)
        .await?;
    server.close().await;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(16)
        .connect_with(options.options([("search_path", schema.as_str())]))
        .await?;
    let db = Db::Postgres(pool);
    db::migrate(&db).await?;
    Ok(db)
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// Imports and reindexes `count` members on `db`: records per second for each.
async fn rates(db: &Db, count: usize) -> Result<(f64, f64), Error> {
    let text = members("rate", count);
    let started = Instant::now();
    interchange::import(&Writes::new(db.clone(), None), text.as_bytes(), false).await?;
    let import = count as f64 / started.elapsed().as_secs_f64();
    let dir = tempfile::tempdir()?;
    let location = hallbar::indexer::IndexLocation::new(dir.path());
    let started = Instant::now();
    let rebuilt =
        hallbar::indexer::rebuild::rebuild(db, &location, std::sync::Arc::new(|_, _| {})).await?;
    let reindex = rebuilt.documents as f64 / started.elapsed().as_secs_f64();
    Ok((import, reindex))
}

/// Search latency (p50, p99) of a mix of queries on a node of `db`.
async fn search_latency(db: &Db) -> Result<(f64, f64), Error> {
    let dir = tempfile::tempdir()?;
    let (search, _opened) = hallbar::indexer::open(dir.path(), db).await?;
    let queries = [
        "medborgardialog",
        "trygghetsvandringar i hammarkullen",
        "namn rate-17",
        "stadsodlng",
    ];
    let mut times = Vec::new();
    for _ in 0..50 {
        for q in queries {
            let request = SearchRequest {
                query: q.into(),
                ..Default::default()
            };
            let started = Instant::now();
            std::hint::black_box(search.search(request).await?);
            times.push(started.elapsed());
        }
    }
    times.sort();
    Ok((percentile(&times, 0.5), percentile(&times, 0.99)))
}

/// Write-to-searchable latency from node A to node B: `rounds` single writes through A,
/// each timed until B's index holds it.
async fn propagation(db: &Db, rounds: usize) -> Result<Vec<Duration>, Error> {
    let a_dir = tempfile::tempdir()?;
    let b_dir = tempfile::tempdir()?;
    let (a, a_opened) = hallbar::indexer::open(a_dir.path(), db).await?;
    let (b, b_opened) = hallbar::indexer::open(b_dir.path(), db).await?;
    let a_indexer = hallbar::indexer::start(a_opened, db.clone())?;
    let b_indexer = hallbar::indexer::start(b_opened, db.clone())?;
    let writes = Writes::new(db.clone(), Some(a.clone()));
    let mut times = Vec::with_capacity(rounds);
    for i in 0..rounds {
        let line = member(&format!("spridning-{i}")).to_string();
        let started = Instant::now();
        let report = interchange::import(&writes, line.as_bytes(), false).await?;
        let seq = report.committed_seq.ok_or("nothing written")?;
        if !wait(&b, seq).await {
            return Err(format!("node B did not get write {i} within 10 s").into());
        }
        times.push(started.elapsed());
    }
    a_indexer.stop().await;
    b_indexer.stop().await;
    times.sort();
    Ok(times)
}

async fn wait(search: &SearchService, seq: i64) -> bool {
    search.wait_for(seq, Duration::from_secs(10)).await
}

fn main() -> Result<(), Error> {
    let Ok(base) = std::env::var("HALLBAR_TEST_POSTGRES") else {
        println!("nodes: set HALLBAR_TEST_POSTGRES to a PostgreSQL server (./test starts one)");
        return Ok(());
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let count = 5_000;
        let pg = postgres(&base).await?;
        let dir = tempfile::tempdir()?;
        let sqlite = db::open_and_migrate(dir.path()).await?;

        let (pg_import, pg_reindex) = rates(&pg, count).await?;
        let (sqlite_import, sqlite_reindex) = rates(&sqlite, count).await?;
        println!("{count} medlemmar: import och omindexering, poster/s");
        println!("  PostgreSQL: import {pg_import:.0}/s, omindexering {pg_reindex:.0} dokument/s");
        println!("  SQLite:     import {sqlite_import:.0}/s, omindexering {sqlite_reindex:.0} dokument/s");

        let (pg50, pg99) = search_latency(&pg).await?;
        let (sq50, sq99) = search_latency(&sqlite).await?;
        println!("sökning (fyra frågor × 50): PostgreSQL-nod p50 {pg50:.2} ms, p99 {pg99:.2} ms; SQLite-nod p50 {sq50:.2} ms, p99 {sq99:.2} ms");

        let times = propagation(&pg, 200).await?;
        println!(
            "skrivning via nod A sökbar på nod B (200 skrivningar): p50 {:.1} ms, p99 {:.1} ms",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
        Ok::<(), Error>(())
    })
}
