//! The server under connection pressure: idle and half-sent connections beyond the cap,
//! under a low file limit, cannot keep others out, and are closed by the timeouts.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// Kills the server when the test ends, also when it fails.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `hallbar serve` under a file limit of 256 (soft and hard), short timeouts, logging
/// warnings to `log`; returns it and its `host:port`.
fn serve_under_low_file_limit(data: &Path, log: &Path) -> (Server, String) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -n 256 && exec "$0" serve --no-demo --addr 127.0.0.1:0 --header-timeout 2 --idle-timeout 3"#)
        .arg(env!("CARGO_BIN_EXE_hallbar"))
        .envs(database_env(data))
        .env("HALLBAR_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let host = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("serve did not start: {line:?}"))
        .trim_start_matches("http://")
        .to_string();
    (Server(child), host)
}

/// A GET on a new connection; panics unless a complete answer arrives within 5 s.
fn get(host: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .unwrap_or_else(|e| panic!("{path}: no answer in time ({e})"));
    response
}

/// Whether the server has closed this connection (end of file or reset), waiting up to
/// `within` for it to do so.
fn closed_by_server(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut buffer = [0u8; 512];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            // A 408 or other answer before closing is fine: keep reading to the end.
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[test]
fn idle_and_half_sent_connections_cannot_take_the_site_down() {
    let dir = tempfile::tempdir().unwrap();
    assert!(hallbar(dir.path(), &["demo"]).status.success());
    let log = dir.path().join("serve.log");
    let (_server, host) = serve_under_low_file_limit(dir.path(), &log);

    // Far more idle and half-sent connections than the cap (128 under this limit).
    let mut attackers: Vec<TcpStream> = Vec::new();
    for i in 0..300 {
        let mut stream = TcpStream::connect(&host).unwrap();
        if i % 2 == 0 {
            let _ = stream.write_all(b"GET /sok HTTP/1.1\r\nHost: x\r\nX-a: ");
        }
        attackers.push(stream);
    }

    // Visitors are still served, promptly.
    for _ in 0..5 {
        assert!(get(&host, "/healthz").starts_with("HTTP/1.1 200"));
        let search = get(&host, "/api/v1/sok?q=dialog");
        assert!(search.starts_with("HTTP/1.1 200"), "{search}");
        assert!(search.contains("\"total\""), "{search}");
    }

    // The indexer keeps working: a member imported now becomes searchable.
    let line = serde_json::json!({
        "type": "medlem", "id": "ny-under-trycket", "namn": "Ny Medlem",
        "titel": "Samordnare", "organisation": "Göteborgs Stad", "sektor": "kommun",
        "stadsdel": "angered", "bakgrund": "Arbetar med zebrafinkar i Angered.",
        "kompetenser": ["fågelskådning"], "medlem_sedan": "2020-01-01"
    });
    let file = dir.path().join("ny.jsonl");
    std::fs::write(&file, line.to_string()).unwrap();
    assert!(
        hallbar(dir.path(), &["import", file.to_str().unwrap()])
            .status
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if get(&host, "/api/v1/sok?q=zebrafinkar").contains("ny-under-trycket") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the import never became searchable"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // Every idle or half-sent connection is closed by the server (made room for others,
    // or timed out after 2 s of headers or 3 s of silence).
    for (i, stream) in attackers.iter_mut().enumerate() {
        assert!(
            closed_by_server(stream, Duration::from_secs(8)),
            "connection {i} is still open"
        );
    }
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(!log.contains("os error 24"), "{log}");
    assert!(!log.contains("Too many open files"), "{log}");
}

#[test]
fn a_kept_alive_connection_is_closed_after_the_idle_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("serve.log");
    let (_server, host) = serve_under_low_file_limit(dir.path(), &log);
    let mut stream = TcpStream::connect(&host).unwrap();
    write!(stream, "GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut first = [0u8; 256];
    let n = stream.read(&mut first).unwrap();
    assert!(first[..n].starts_with(b"HTTP/1.1 200"));
    // Kept alive, then silent: closed after a few seconds (the header timeout of 2 s for
    // the next request, or the idle timeout of 3 s, whichever the server hits first), not
    // left open, and not at once.
    let started = Instant::now();
    assert!(closed_by_server(&mut stream, Duration::from_secs(10)));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "closed at once, not kept alive"
    );
}
