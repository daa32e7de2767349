//! The service's own pages: om, tillgänglighet, kontakt, logga in.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::support::*;

#[tokio::test]
async fn the_service_pages_answer() {
    let app = TestApp::with(&[]).await;
    for (path, h1) in [
        ("/om", "Om hallbar"),
        ("/tillganglighet", "Tillgänglighets&shy;redogörelse"),
        ("/kontakt", "Kontakt"),
        ("/logga-in", "Logga in"),
    ] {
        let html = assert_page(&app.get(path).await, path);
        assert!(html.contains(&format!("<h1>{h1}</h1>")), "{path}");
    }
    let html = app.get("/logga-in").await.body;
    assert!(html.contains(r#"<a href="/logga-in" aria-current="page">Logga in</a>"#));
    let html = app.get("/tillganglighet").await.body;
    assert!(html.contains("WCAG 2.1"));
    let html = app.get("/kontakt").await.body;
    assert!(!html.contains("mailto:"), "no address configured");
}

#[tokio::test]
async fn the_contact_page_names_the_configured_address() {
    let app = TestApp::with(&[])
        .await
        .configured(|config| config.contact_email = Some("hej@exempel.se".into()));
    let html = assert_page(&app.get("/kontakt").await, "/kontakt");
    assert!(
        html.contains(r#"<a href="mailto:hej@exempel.se">hej@exempel.se</a>"#),
        "{html}"
    );
}

/// AGPL-3.0 §13: every page links to `/kallkod`, which offers the archive of the sources the
/// binary was built from (a real tar.gz with the workspace's manifest and code in it), and
/// the operator's published source when `--source-url` is set.
#[tokio::test]
async fn every_page_links_to_the_source_which_is_a_real_archive() {
    let app = TestApp::with(&[]).await;
    for path in ["/", "/om", "/finns-inte"] {
        let html = app.get(path).await.body;
        assert!(
            html.contains(r#"<a href="/kallkod">Källkod</a>"#),
            "{path}: no source link in the footer"
        );
    }
    let html = assert_page(&app.get("/kallkod").await, "/kallkod");
    assert!(html.contains("AGPL-3.0-or-later"));
    assert!(!html.contains("publicerar också"), "no --source-url given");
    let version = env!("CARGO_PKG_VERSION");
    let archive_path = format!("/kallkod/hallbar-{version}.tar.gz");
    assert!(
        html.contains(&format!(r#"href="{archive_path}""#)),
        "{html}"
    );

    // The archive is binary: straight through the router, not `TestApp::get`.
    let response = hallbar::router(app.state.clone())
        .oneshot(Request::get(&archive_path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/gzip");
    assert!(
        response.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let archive = response.into_body().collect().await.unwrap().to_bytes();
    // The system's tar checks the gzip stream and every header's checksum.
    let mut tar = std::process::Command::new("tar")
        .arg("-tzf")
        .arg("-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = tar.stdin.take().unwrap();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &archive));
    let listing = tar.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(listing.status.success(), "not a valid tar.gz");
    let names = String::from_utf8(listing.stdout).unwrap();
    let root = format!("hallbar-{version}");
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "LICENSE",
        "README.md",
        "build.rs",
        "src/main.rs",
        "src/http/source.rs",
        "index/Cargo.toml",
        "index/lexicon/sv-lexicon.tsv.gz",
        "templates/src/layout.rs",
        "migrations/sqlite/20261126000001_initial.sql",
        "migrations/postgres/20261201000001_initial.sql",
        "data/demo",
    ] {
        assert!(
            names
                .lines()
                .any(|n| n.starts_with(&format!("{root}/{file}"))),
            "{file} missing from the archive:\n{names}"
        );
    }
    assert!(!names.contains("hallbar.db"), "the archive holds no data");
    // Every file git tracks is in it, except what build.rs leaves out on purpose (a new
    // top-level file or directory has to be added to its list).
    let tracked = std::process::Command::new("git")
        .args(["ls-files"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|out| out.status.success());
    // Not a git checkout (a source archive): nothing to compare with.
    if let Some(tracked) = tracked {
        let left_out = [
            "tests/",
            "index/tests/",
            "benches/",
            ".ci/",
            ".gitignore",
            "test",
        ];
        for file in String::from_utf8_lossy(&tracked.stdout).lines() {
            if left_out.iter().any(|prefix| {
                file == *prefix || (prefix.ends_with('/') && file.starts_with(prefix))
            }) {
                continue;
            }
            let entry = format!("{root}/{file}");
            assert!(
                names.lines().any(|n| n == entry),
                "{file} is tracked but not in the source archive: add it to SOURCES in build.rs"
            );
        }
    }

    let app = app.configured(|config| {
        config.source_url = Some("https://git.exempel.se/hallbar".into());
    });
    let html = app.get("/kallkod").await.body;
    assert!(
        html.contains(r#"<a href="https://git.exempel.se/hallbar">"#),
        "{html}"
    );
    assert!(
        html.contains(&format!(r#"href="{archive_path}""#)),
        "the archive stays"
    );
}
