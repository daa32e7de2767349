//! Live pages: how much memory 1,000 open event streams (`/handelser`, one logged-in
//! member each on a thread page) take in one server, and how long a new post takes to reach
//! all of them (written, indexed, announced, sent).
//!
//! Run: `cargo bench --bench streams` (demo corpus, SQLite in a temporary directory;
//! `HALLBAR_BENCH_STREAMS` sets the number of streams).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The process's resident memory in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Reads from `stream` until `wanted` has arrived.
async fn read_until(stream: &mut TcpStream, wanted: &str) -> std::io::Result<()> {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains(wanted) {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Err(std::io::Error::other("the stream closed"));
        }
        seen.extend_from_slice(&buffer[..n]);
        if seen.len() > 65_536 {
            seen.drain(..32_768);
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let streams: usize = std::env::var("HALLBAR_BENCH_STREAMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    hallbar::server::limits::raise_file_limit();
    let dir = tempfile::tempdir()?;
    let db = hallbar::db::open_and_migrate(dir.path()).await?;
    hallbar::demo::load(&hallbar::write::Writes::new(db.clone(), None)).await?;
    let (search, opened) = hallbar::indexer::open(dir.path(), &db).await?;
    let indexer = hallbar::indexer::start(opened, db.clone())?;
    let config = hallbar::config::Config {
        mail_dir: dir.path().join("mail"),
        ..Default::default()
    };
    let state = hallbar::AppState::new(db.clone(), search, config);
    let hallbar::db::Db::Sqlite(pool) = &db else {
        return Err("the bench runs on SQLite".into());
    };
    let (thread, member): (String, String) = sqlx::query_as(
        "SELECT t.id, m.member_id FROM threads t JOIN groups g ON g.id = t.group_id \
         JOIN group_members m ON m.group_id = g.id WHERE g.access = 'oppen' LIMIT 1",
    )
    .fetch_one(pool)
    .await?;
    let mut conn = db.acquire().await?;
    let account = hallbar::db::accounts::create(
        &mut conn,
        &hallbar::db::accounts::NewAccount {
            email: "anna@exempel.se",
            email_key: "anna@exempel.se",
            name: "Anna",
            password_hash: None,
            member_id: Some(&member),
            verified_at: Some(1),
            now: 1,
        },
    )
    .await?
    .ok_or("no account")?;
    drop(conn);
    let cookie = hallbar::http::session::start(&state, account).await?;
    let cookie = cookie
        .to_str()?
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let limits = hallbar::server::ServerLimits {
        header_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(60),
        max_connections: streams + 100,
    };
    let config = Arc::clone(&state.config);
    let app = hallbar::router(state.clone());
    tokio::spawn(hallbar::server::run(
        listener,
        app,
        config,
        limits,
        std::future::pending(),
    ));
    tokio::time::sleep(Duration::from_millis(200)).await;

    let request = format!(
        "GET /handelser?trad={thread} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
         Accept: text/event-stream\r\n\r\n"
    );
    // One stream first (warms up what every stream shares), then the rest.
    let mut open = Vec::with_capacity(streams);
    let mut first = TcpStream::connect(addr).await?;
    first.write_all(request.as_bytes()).await?;
    read_until(&mut first, "event: antal").await?;
    open.push(first);
    let before = rss_kib();
    let started = Instant::now();
    for _ in 1..streams {
        let mut stream = TcpStream::connect(addr).await?;
        stream.write_all(request.as_bytes()).await?;
        read_until(&mut stream, "event: antal").await?;
        open.push(stream);
    }
    let opened_in = started.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_kib();
    println!(
        "{streams} open event streams: opened in {:.2} s; resident memory {} → {} KiB, \
         {:.1} KiB per stream (server and client in one process)",
        opened_in.as_secs_f64(),
        before,
        after,
        (after.saturating_sub(before)) as f64 / (streams - 1) as f64
    );

    // A post reaches all of them: written, indexed, announced and sent.
    let mut conn = db.acquire().await?;
    let mut current = hallbar::db::threads::get(&mut conn, &thread)
        .await?
        .ok_or("no thread")?;
    drop(conn);
    let author = current.posts[0].author.clone();
    current.posts.push(hallbar_index::Post {
        author,
        created: chrono::Utc::now(),
        text: "Ett nytt inlägg.".to_string(),
    });
    let started = Instant::now();
    let mut change = state.writes().begin().await?;
    hallbar::db::threads::upsert(&mut change, &current).await?;
    change.commit().await?;
    let mut waits = Vec::with_capacity(streams);
    for mut stream in open {
        waits.push(tokio::spawn(async move {
            read_until(&mut stream, "event: inlagg")
                .await
                .map(|()| Instant::now())
        }));
    }
    let mut last = started;
    for wait in waits {
        last = last.max(wait.await??);
    }
    println!(
        "a new post reached all {streams} streams {:.0} ms after its write began",
        (last - started).as_secs_f64() * 1000.0
    );
    indexer.stop().await;
    Ok(())
}
