//! Requests that cannot be read as HTTP get the site's own answer: a Swedish page (JSON
//! under `/api`) with the security headers, never a bare status line.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::support::*;

/// Sends raw bytes on a new connection and returns everything the server answers.
fn raw(host: &str, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    // The server may answer and close before all of a huge request is written.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn assert_site_answer(answer: &str, status: &str, json: bool) {
    assert!(
        answer.starts_with(&format!("HTTP/1.1 {status}")),
        "{answer:.300}"
    );
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(
        head.contains("content-security-policy: default-src 'self'"),
        "{head}"
    );
    assert!(head.contains("x-content-type-options: nosniff"), "{head}");
    if json {
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(value["fel"]["kod"].is_string(), "{body}");
        assert!(!value["fel"]["meddelande"].as_str().unwrap().is_empty());
    } else {
        assert!(body.contains(r#"<html lang="sv">"#), "{body:.300}");
        assert!(body.contains("Felaktig förfrågan"), "{body:.300}");
    }
}

#[test]
fn unreadable_requests_get_the_sites_own_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (mut server, host) = spawn_serve(dir.path());

    let long_uri = format!(
        "GET /sok?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(70_000)
    );
    assert_site_answer(&raw(&host, long_uri.as_bytes()), "414", false);
    let long_api_uri = format!(
        "GET /api/v1/sok?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(70_000)
    );
    assert_site_answer(&raw(&host, long_api_uri.as_bytes()), "414", true);

    let many_headers = format!(
        "GET / HTTP/1.1\r\nHost: x\r\n{}\r\n",
        "X-a: b\r\n".repeat(150)
    );
    assert_site_answer(&raw(&host, many_headers.as_bytes()), "431", false);
    let huge_header = format!(
        "GET /api/v1/sok HTTP/1.1\r\nHost: x\r\nX-a: {}\r\n\r\n",
        "b".repeat(1 << 20)
    );
    assert_site_answer(&raw(&host, huge_header.as_bytes()), "431", true);

    assert_site_answer(
        &raw(&host, b"GET /sok?q=\"x\" HTTP/1.1\r\nHost: x\r\n\r\n"),
        "400",
        false,
    );
    assert_site_answer(
        &raw(
            &host,
            b"GET /api/v1/sok?q=\"x\" HTTP/1.1\r\nHost: x\r\n\r\n",
        ),
        "400",
        true,
    );

    // An ordinary request on the same server is unaffected.
    let fine = raw(
        &host,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(fine.starts_with("HTTP/1.1 200"), "{fine}");
    server.kill().unwrap();
    server.wait().unwrap();
}
