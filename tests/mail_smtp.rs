//! Mail over SMTP, end to end: `Mailer` sends to a real SMTP server (aiosmtpd, started from
//! `tests/support/smtp_sink.py`), and the message it stored is read back as received.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hallbar::mail::{Mail, MailError, Mailer};

const LINK: &str = "http://localhost:3000/verifiera/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_abcdefghijklmnop";

/// A Python that has aiosmtpd: `HALLBAR_TEST_PYTHON`, else `python3` on the PATH, else
/// Debian's `/usr/bin/python3` (where the python3-aiosmtpd package installs it, when the
/// PATH's python3 is another one, e.g. pyenv's).
fn python_with_aiosmtpd() -> PathBuf {
    let candidates: Vec<PathBuf> = match std::env::var_os("HALLBAR_TEST_PYTHON") {
        Some(python) => vec![python.into()],
        None => vec!["python3".into(), "/usr/bin/python3".into()],
    };
    for python in &candidates {
        let imports = Command::new(python)
            .args(["-c", "import aiosmtpd.controller"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if imports {
            return python.clone();
        }
    }
    panic!(
        "no Python with aiosmtpd (tried {candidates:?}): this test needs a real SMTP server. \
         Install it with `apt-get install python3-aiosmtpd` (./test does), or name a Python \
         that has it in HALLBAR_TEST_PYTHON"
    );
}

/// The SMTP server, stopped (and waited for) when dropped.
struct SmtpSink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        let python = python_with_aiosmtpd();
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let child = Command::new(&python)
            .arg(&script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {} {}: {e}", python.display(), script.display()));
        let mut sink = SmtpSink { child, port, dir };
        sink.wait_until_it_accepts();
        sink
    }

    fn wait_until_it_accepts(&mut self) {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the SMTP server stopped before it listened: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "the SMTP server does not listen on {address}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Message `n` as received, and its envelope (`{"from": …, "to": […]}`).
    fn message(&self, n: usize) -> (String, String) {
        let eml = self.dir.path().join(format!("{n}.eml"));
        let message = std::fs::read(&eml).unwrap_or_else(|e| panic!("{}: {e}", eml.display()));
        let envelope = std::fs::read_to_string(self.dir.path().join(format!("{n}.json")))
            .expect("the envelope");
        (String::from_utf8(message).expect("UTF-8 (8bit)"), envelope)
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn mail_goes_through_a_real_smtp_server() {
    let sink = SmtpSink::start();
    let mailer = Mailer::new(
        Some(&sink.url()),
        "Hållbar Göteborg <noreply@hallbar.example>",
        PathBuf::from("/inte/använd"),
    )
    .expect("a mailer");
    assert_eq!(mailer.mail_dir(), None);
    mailer
        .send(Mail {
            to: "Åsa Öberg <asa@example.se>".into(),
            subject: "Bekräfta din e-postadress".into(),
            body: format!("Hej Åsa!\n\nBekräfta här:\n{LINK}\n\nVänliga hälsningar"),
        })
        .await
        .expect("sent");

    let (message, envelope) = sink.message(1);
    assert!(
        envelope.contains(r#""from": "noreply@hallbar.example""#),
        "{envelope}"
    );
    assert!(
        envelope.contains(r#""to": ["asa@example.se"]"#),
        "{envelope}"
    );
    let (head, body) = message.split_once("\r\n\r\n").expect("headers and body");
    let lines: Vec<&str> = head.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("To: ") && l.ends_with("<asa@example.se>"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("From: ") && l.contains("<noreply@hallbar.example>"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Subject: ") && l.contains("=?utf-8?b?"))
    );
    assert!(lines.contains(&"Content-Transfer-Encoding: 8bit"), "{head}");
    assert!(body.contains(LINK), "the link arrives whole:\n{body}");
    assert!(body.contains("Hej Åsa!\r\n"), "{body}");
    assert!(body.contains("Vänliga hälsningar"), "{body}");
}

#[tokio::test]
async fn no_server_is_an_smtp_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let mailer = Mailer::new(
        Some(&format!("smtp://127.0.0.1:{port}")),
        "noreply@hallbar.example",
        PathBuf::new(),
    )
    .expect("a mailer");
    let started = Instant::now();
    let error = mailer
        .send(Mail {
            to: "asa@example.se".into(),
            subject: "Hej".into(),
            body: "Hej!".into(),
        })
        .await
        .expect_err("nobody listens");
    assert!(matches!(error, MailError::Smtp(_)), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("kunde inte skicka e-post via SMTP")
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
