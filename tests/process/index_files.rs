//! The index on disk: a damaged index is rebuilt rather than served, `reindex --check`
//! verifies it, generations left by killed builds are removed, and a wrong file or
//! directory where the index belongs is explained in Swedish.

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The data directory's current generation.
fn current(data: &Path) -> String {
    std::fs::read_to_string(data.join("index/CURRENT"))
        .unwrap()
        .trim()
        .to_string()
}

/// The largest file of the current generation with this extension.
fn largest(data: &Path, extension: &str) -> PathBuf {
    std::fs::read_dir(data.join("index").join(current(data)))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .max_by_key(|p| std::fs::metadata(p).unwrap().len())
        .unwrap_or_else(|| panic!("no .{extension} file"))
}

/// Overwrites `len` bytes in the middle of a file.
fn damage(file: &Path, len: usize) {
    let size = std::fs::metadata(file).unwrap().len();
    let mut handle = std::fs::OpenOptions::new().write(true).open(file).unwrap();
    handle.seek(SeekFrom::Start(size / 3)).unwrap();
    // Leave the footer whole: the damage is in the data, found only by the checksum.
    let len = len.min((size - size / 3).saturating_sub(64) as usize);
    assert!(len > 0, "{} is too small to damage", file.display());
    handle.write_all(&vec![0u8; len]).unwrap();
    handle.sync_all().unwrap();
}

fn demo_with_index() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert!(hallbar(dir.path(), &["demo"]).status.success());
    assert!(hallbar(dir.path(), &["reindex"]).status.success());
    dir
}

#[test]
fn a_damaged_index_is_rebuilt_not_served() {
    let dir = demo_with_index();
    let out = hallbar(dir.path(), &["reindex", "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("är helt"), "{}", stdout(&out));

    for extension in ["store", "term"] {
        let before = current(dir.path());
        damage(&largest(dir.path(), extension), 200_000);
        let (mut server, host) = spawn_serve(dir.path());
        assert_ne!(current(dir.path()), before, "{extension}: not rebuilt");
        for query in [
            "dialog",
            "trygghet",
            "stadsodling",
            "unga",
            "medborgardialog",
        ] {
            let path = format!("/api/v1/sok?q={query}&per_sida=100");
            let answer = http_get(&host, &path);
            assert!(
                answer.starts_with("HTTP/1.1 200"),
                "{extension} {path}: {answer:.200}"
            );
        }
        server.kill().unwrap();
        server.wait().unwrap();
    }

    damage(&largest(dir.path(), "store"), 200_000);
    let before = current(dir.path());
    let out = hallbar(dir.path(), &["reindex", "--check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Damage is found by the checksums, or already when the file is opened.
    let said = stdout(&out);
    assert!(
        said.contains("skadade") || said.contains("kunde inte öppnas"),
        "{said}"
    );
    assert!(said.contains("byggs om från databasen"), "{said}");
    assert_ne!(current(dir.path()), before);
    let out = hallbar(dir.path(), &["reindex", "--check"]);
    assert!(stdout(&out).contains("är helt"), "{}", stdout(&out));
}

/// A GET on a new connection.
fn http_get(host: &str, path: &str) -> String {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn generations_left_by_killed_builds_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    // Enough content that a rebuild takes a moment.
    let members: Vec<String> = (0..6_000)
        .map(|i| {
            serde_json::json!({
                "type": "medlem", "id": format!("medlem-{i}"), "namn": format!("Medlem {i}"),
                "titel": "Utvecklare", "organisation": "Göteborgs Stad", "sektor": "kommun",
                "stadsdel": "angered", "bakgrund": format!("Arbetar med fråga {i} i Angered."),
                "kompetenser": ["medborgardialog"], "medlem_sedan": "2020-01-01"
            })
            .to_string()
        })
        .collect();
    let file = dir.path().join("medlemmar.jsonl");
    std::fs::write(&file, members.join("\n")).unwrap();
    assert!(
        hallbar(dir.path(), &["import", file.to_str().unwrap()])
            .status
            .success()
    );
    assert!(hallbar(dir.path(), &["reindex"]).status.success());
    let kept = current(dir.path());

    // A reindex killed while it builds leaves its generation behind.
    let mut build = Command::new(env!("CARGO_BIN_EXE_hallbar"))
        .arg("reindex")
        .envs(database_env(dir.path()))
        .env("HALLBAR_DATA_DIR", dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let generations = |data: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(data.join("index"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("gen-"))
            .collect();
        names.sort();
        names
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while generations(dir.path()).len() < 2 {
        assert!(
            Instant::now() < deadline,
            "the reindex never started building"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    build.kill().unwrap();
    build.wait().unwrap();
    // And a generation from a process long gone, with a temporary pointer.
    let mut gone = Command::new("true").spawn().unwrap();
    let gone_pid = gone.id();
    gone.wait().unwrap();
    let stale = format!("gen-1-{gone_pid}");
    std::fs::create_dir_all(dir.path().join("index").join(&stale)).unwrap();
    std::fs::write(
        dir.path()
            .join("index")
            .join(format!("CURRENT.{gone_pid}.tmp")),
        "x",
    )
    .unwrap();
    assert!(generations(dir.path()).len() >= 3);
    assert_eq!(current(dir.path()), kept, "the killed build never switched");

    // Starting the server removes them; the one in use stays.
    let (mut server, _host) = spawn_serve(dir.path());
    assert_eq!(generations(dir.path()), std::slice::from_ref(&kept));
    assert!(
        !dir.path()
            .join(format!("index/CURRENT.{gone_pid}.tmp"))
            .exists()
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

#[test]
fn a_wrong_file_where_the_index_belongs_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index"), b"inte en katalog").unwrap();
    let out = hallbar(dir.path(), &["serve", "--no-demo", "--addr", "127.0.0.1:0"]);
    assert!(!out.status.success());
    let message = stderr(&out);
    let message = message.lines().last().unwrap_or_default().to_string();
    assert!(message.starts_with("fel: "), "{message}");
    assert!(
        message.contains("är en fil") && message.contains("flytta undan"),
        "{message}"
    );
    assert!(
        message.contains(&dir.path().join("index").display().to_string()),
        "{message}"
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("index/CURRENT")).unwrap();
    let out = hallbar(dir.path(), &["serve", "--no-demo", "--addr", "127.0.0.1:0"]);
    assert!(!out.status.success());
    let message = stderr(&out);
    let message = message.lines().last().unwrap_or_default().to_string();
    assert!(message.starts_with("fel: "), "{message}");
    assert!(
        message.contains("är en katalog") && message.contains("CURRENT"),
        "{message}"
    );
    assert!(!message.contains("os error"), "{message}");
}
