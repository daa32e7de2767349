//! Several real `hallbar serve` nodes on one PostgreSQL, each with its own data directory:
//! writes reach every node, a node killed with SIGKILL in the middle of a stream of imports
//! comes back matching the database exactly, a node that joins while writes continue is
//! ready once it has caught up, and `hallbar reindex` on one node while writes continue
//! misses nothing.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// Runs the binary on `data` and the database at `url`; panics unless it succeeds.
fn run(data: &Path, url: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_hallbar"))
        .args(args)
        .env("HALLBAR_DATA_DIR", data)
        .env("HALLBAR_DATABASE_URL", url)
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn get(host: &str, path: &str) -> (u16, String) {
    use std::io::Read;
    let Ok(mut stream) = std::net::TcpStream::connect(host) else {
        return (0, String::new());
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return (0, String::new());
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Imports `count` members named `{prefix}-{i}` in batches of 20 (one commit each), a
/// little apart.
fn import_members(data: &Path, url: &str, prefix: &str, count: usize) {
    for batch in 0..count.div_ceil(20) {
        if batch > 0 {
            std::thread::sleep(Duration::from_millis(40));
        }
        let values: Vec<_> = (batch * 20..((batch + 1) * 20).min(count))
            .map(|i| member_json(&format!("{prefix}-{i}")))
            .collect();
        let file = data.join(format!("{prefix}-{batch}.jsonl"));
        std::fs::write(&file, lines(&values)).unwrap();
        run(data, url, &["import", file.to_str().unwrap()]);
    }
}

/// What a node's index answers for everything a visitor may see (the total, the facet
/// counts, the newest page of hits), read with `hallbar search` from its data directory.
fn everything(data: &Path, url: &str) -> serde_json::Value {
    let out = run(data, url, &["search", "--json"]);
    let mut answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Scores do not matter for an empty query; the order is by date, then key.
    answer.as_object_mut().unwrap().remove("suggestion");
    answer
}

/// Waits until the node at `host` is ready and has nothing left to index (10 s at most).
fn settled(host: &str) {
    let started = Instant::now();
    loop {
        let (ready, _) = get(host, "/readyz");
        let (_, health) = get(host, "/healthz");
        if ready == 200 && health.contains("\"andringar_efter\":0") {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{host} did not settle: {health}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The authoritative answer: an index built afresh from the database.
fn rebuilt(url: &str) -> serde_json::Value {
    let fresh = tempfile::tempdir().unwrap();
    run(fresh.path(), url, &["reindex"]);
    everything(fresh.path(), url)
}

fn kill_hard(child: &mut Child) {
    Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status()
        .unwrap();
    let _ = child.wait();
}

#[test]
fn nodes_follow_one_database_through_kills_joins_and_reindexes() {
    let url = fresh_postgres_url();
    let work = tempfile::tempdir().unwrap();
    let (a_dir, b_dir, c_dir) = (
        work.path().join("a"),
        work.path().join("b"),
        work.path().join("c"),
    );
    let (mut a, a_host) = spawn_serve_on(&a_dir, &url);
    let (mut b, b_host) = spawn_serve_on(&b_dir, &url);

    // A write (an import, a process of its own) is found on both nodes.
    import_members(work.path(), &url, "forsta", 1);
    let started = Instant::now();
    for host in [&a_host, &b_host] {
        loop {
            let (_, body) = get(host, "/api/v1/sok?q=Namn+forsta-0");
            if body.contains("\"forsta-0\"") {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{host}: {body}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    // B is killed with SIGKILL in the middle of a stream of imports, and comes back.
    let writer = {
        let (dir, url) = (work.path().to_path_buf(), url.clone());
        std::thread::spawn(move || import_members(&dir, &url, "strom", 1200))
    };
    std::thread::sleep(Duration::from_millis(800));
    kill_hard(&mut b);
    // C joins while the writes continue; a reindex of A runs while they continue.
    let (mut c, c_host) = spawn_serve_on(&c_dir, &url);
    run(&a_dir, &url, &["reindex"]);
    assert!(
        !writer.is_finished(),
        "the writes went on through the kill, the join and the reindex"
    );
    writer.join().unwrap();
    let (mut b, b_host) = spawn_serve_on(&b_dir, &url);
    for host in [&a_host, &b_host, &c_host] {
        settled(host);
    }

    let truth = rebuilt(&url);
    assert!(
        truth["total"].as_u64().unwrap() >= 1201,
        "{}",
        truth["total"]
    );
    for (name, dir) in [("A", &a_dir), ("B", &b_dir), ("C", &c_dir)] {
        assert_eq!(everything(dir, &url), truth, "node {name}");
    }
    for child in [&mut a, &mut b, &mut c] {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// A node that has to build its index first (here from 30,000 members) answers at once:
/// `/readyz` says 503 while it builds, then 200, and never goes back.
#[test]
fn a_node_says_it_is_not_ready_while_it_builds_its_index() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let values: Vec<_> = (0..30_000)
        .map(|i| member_json(&format!("manga-{i}")))
        .collect();
    let file = work.path().join("manga.jsonl");
    std::fs::write(&file, lines(&values)).unwrap();
    assert!(
        hallbar(&data, &["import", file.to_str().unwrap()])
            .status
            .success()
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let host = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hallbar"))
        .args(["serve", "--no-demo", "--addr", &host])
        .envs(database_env(&data))
        .env("HALLBAR_DATA_DIR", &data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut answers = Vec::new();
    loop {
        let (status, body) = get(&host, "/readyz");
        if status != 0 {
            answers.push((status, body));
        }
        if status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "not ready within 60 s: {answers:?}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    let (first, body) = &answers[0];
    assert_eq!(*first, 503, "the first answer, while building: {body}");
    assert!(body.contains("sökindexet byggs"), "{body}");
    assert!(
        answers.iter().all(|(s, _)| *s == 503 || *s == 200),
        "{answers:?}"
    );
}
