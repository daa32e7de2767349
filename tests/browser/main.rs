//! Browser tests: accessibility (axe-core) and end-to-end flows in headless Chromium against the real server with the demo corpus; the checks themselves are in `tests/browser/run.mjs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Debian's `chromium`; `HALLBAR_CHROMIUM` points elsewhere.
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// `run.mjs` stops itself well before this; past it the node process is killed.
const NODE_DEADLINE: Duration = Duration::from_secs(300);

/// Kills (and reaps) a child process when dropped, also when the test panics.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `CARGO_TARGET_DIR` when set (relative to the package), otherwise `<manifest>/target`.
fn target_dir(manifest: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => manifest.join(dir),
        _ => manifest.join("target"),
    }
}

fn chromium_path() -> PathBuf {
    std::env::var_os("HALLBAR_CHROMIUM")
        .filter(|path| !path.is_empty())
        .map_or_else(|| PathBuf::from(DEFAULT_CHROMIUM), PathBuf::from)
}

/// Installs playwright-core and axe-core from the committed lock file when they are missing.
fn ensure_node_modules(dir: &Path) {
    if dir.join("node_modules").is_dir() {
        return;
    }
    println!("tests/browser/node_modules saknas: kör npm ci");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .unwrap_or_else(|e| {
            panic!("npm kunde inte startas ({e}): installera Node.js och npm, eller kör ./test")
        });
    assert!(
        status.success(),
        "`npm ci` i {} misslyckades ({status}): webbläsartesterna behöver playwright-core och axe-core",
        dir.display()
    );
}

#[test]
fn accessibility_and_flows_in_headless_chromium() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = manifest.join("tests").join("browser");

    let chromium = chromium_path();
    assert!(
        chromium.exists(),
        "Chromium saknas på {}: installera Debians paket med `apt-get install chromium` \
         (eller kör ./test, som gör det), eller sätt HALLBAR_CHROMIUM",
        chromium.display()
    );
    ensure_node_modules(&browser_dir);

    let data = tempfile::tempdir().unwrap();
    let (server, host) = support::spawn_serve_with_demo(data.path());
    let _server = KillOnDrop(server);

    let screenshots = target_dir(manifest).join("screenshots");
    let mut node = Command::new("node")
        .arg(browser_dir.join("run.mjs"))
        .arg(format!("http://{host}"))
        .arg(&screenshots)
        // The server writes its mails there (no SMTP server configured).
        .arg(data.path().join("mail"))
        .current_dir(&browser_dir)
        .env("HALLBAR_CHROMIUM", &chromium)
        // For `hallbar admin promote` on the server's database (the admin pages' checks).
        .env("HALLBAR_BIN", env!("CARGO_BIN_EXE_hallbar"))
        .env("HALLBAR_DATA_DIR", data.path())
        .envs(support::database_env(data.path()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("node kunde inte startas ({e}): installera Node.js"));

    // Both output streams, line by line, through one channel so that a hung run can time out.
    let (lines, received) = mpsc::channel::<String>();
    let readers: Vec<_> = [
        Box::new(node.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(node.stderr.take().unwrap()),
    ]
    .into_iter()
    .map(|stream| {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    break;
                }
            }
        })
    })
    .collect();
    drop(lines);
    let mut node = KillOnDrop(node);

    let deadline = Instant::now() + NODE_DEADLINE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match received.recv_timeout(left) {
            Ok(line) => println!("{line}"),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                "webbläsartesterna blev inte klara inom {} s och avbröts",
                NODE_DEADLINE.as_secs()
            ),
        }
    }
    for reader in readers {
        let _ = reader.join();
    }
    let status = node.0.wait().unwrap();
    assert!(
        status.success(),
        "webbläsartesterna misslyckades ({status}); se sammanfattningen ovan och skärmbilderna i {}",
        screenshots.display()
    );
}
