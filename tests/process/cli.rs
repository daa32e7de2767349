//! The `hallbar` binary itself: help, bad input, a corrupt database, a busy port, and a real
//! `serve` that comes up with the demo corpus and stops cleanly on SIGTERM.

use std::time::Duration;

use crate::support::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_is_in_plain_swedish() {
    let dir = tempfile::tempdir().unwrap();
    let out = hallbar(dir.path(), &["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for word in [
        "serve",
        "import",
        "export",
        "migrate",
        "demo",
        "Startar webbplatsen",
    ] {
        assert!(text.contains(word), "{word} missing in {text}");
    }
    let out = hallbar(dir.path(), &["import", "--help"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("--skip-invalid"));
}

#[test]
fn a_bad_import_names_the_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.jsonl");
    std::fs::write(&file, "\n{\"type\":\"medlem\"\n").unwrap();
    let out = hallbar(
        &dir.path().join("data"),
        &["import", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("fel: 1 rad(er)"), "{err}");
    assert!(err.contains("rad 2: ogiltig JSON"), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );

    let missing = hallbar(&dir.path().join("data"), &["import", "/finns/inte.jsonl"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("kunde inte öppnas"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn export_import_round_trip_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    assert!(hallbar(&a, &["demo"]).status.success());
    let first = dir.path().join("first.jsonl");
    let second = dir.path().join("second.jsonl");
    assert!(
        hallbar(&a, &["export", first.to_str().unwrap()])
            .status
            .success()
    );
    let import = hallbar(&b, &["import", first.to_str().unwrap()]);
    assert!(import.status.success(), "{}", stderr(&import));
    assert!(
        hallbar(&b, &["export", second.to_str().unwrap()])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
}

/// (SQLite's data directory and file: on PostgreSQL the database is elsewhere.)
#[test]
fn unusable_data_dir_and_corrupt_database_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_dir = dir.path().join("fil");
    std::fs::write(&not_a_dir, "jag är en fil").unwrap();
    let out = hallbar_on_sqlite(&not_a_dir, &["migrate"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("datakatalogen"), "{}", stderr(&out));

    let corrupt = dir.path().join("korrupt");
    std::fs::create_dir(&corrupt).unwrap();
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(corrupt.join("hallbar.db"), &garbage).unwrap();
    let out = hallbar_on_sqlite(&corrupt, &["migrate"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("skadad"), "{err}");
    assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    // The file is left as it was.
    assert_eq!(std::fs::read(corrupt.join("hallbar.db")).unwrap(), garbage);

    let directory = dir.path().join("katalog");
    std::fs::create_dir_all(directory.join("hallbar.db")).unwrap();
    let out = hallbar_on_sqlite(&directory, &["migrate"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("är en katalog"), "{}", stderr(&out));
}

#[test]
fn a_port_in_use_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = hallbar(dir.path(), &["serve", "--no-demo", "--addr", &addr]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("används porten redan"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn serve_loads_the_demo_corpus_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hallbar"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .envs(database_env(dir.path()))
        .env("HALLBAR_DATA_DIR", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let host = url.trim_start_matches("http://");

    let page = http_get(host, "/");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("Kunskapsmatris"));
    assert!(
        !page.contains("<dt>Medlemmar</dt><dd>0</dd>"),
        "demo corpus not loaded"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    for _ in 0..100 {
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "serve exited with {exit}");
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    panic!("serve did not stop on SIGTERM");
}

fn http_get(host: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn export_writes_through_symlinks_and_names_a_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(hallbar(&data, &["demo"]).status.success());
    let real = dir.path().join("verklig.jsonl");
    std::fs::write(&real, "").unwrap();
    let link = dir.path().join("lank.jsonl");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert!(
        hallbar(&data, &["export", link.to_str().unwrap()])
            .status
            .success()
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(std::fs::metadata(&real).unwrap().len() > 1000);

    let missing = dir.path().join("finns-inte").join("x.jsonl");
    let out = hallbar(&data, &["export", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("finns-inte"), "{}", stderr(&out));
    let out = hallbar(&data, &["export", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("är en katalog"), "{}", stderr(&out));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn boolean_settings_accept_swedish_and_english_spellings() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blandat.jsonl");
    std::fs::write(&file, "{trasig\n").unwrap();
    let import = |value: &str| {
        Command::new(env!("CARGO_BIN_EXE_hallbar"))
            .args(["import", file.to_str().unwrap()])
            .envs(database_env(&dir.path().join("data")))
            .env("HALLBAR_DATA_DIR", dir.path().join("data"))
            .env("HALLBAR_SKIP_INVALID", value)
            .output()
            .unwrap()
    };
    for yes in ["1", "ja", "JA", "yes", "true"] {
        assert!(
            import(yes).status.success(),
            "{yes} means skip the bad line"
        );
    }
    for no in ["0", "nej", "no", "false", ""] {
        assert_eq!(import(no).status.code(), Some(1), "{no} means do not skip");
    }
    let out = import("kanske");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("varken ja eller nej"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn shutdown_does_not_wait_forever_for_a_half_sent_request() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, host) = spawn_serve(dir.path());
    let mut stream = std::net::TcpStream::connect(&host).unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    for _ in 0..200 {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.kill().unwrap();
    panic!("serve kept running for 20 s after SIGTERM");
}

#[test]
fn search_takes_every_facet_the_site_has() {
    let dir = tempfile::tempdir().unwrap();
    assert!(hallbar(dir.path(), &["demo"]).status.success());
    assert!(hallbar(dir.path(), &["reindex"]).status.success());

    let help =
        String::from_utf8_lossy(&hallbar(dir.path(), &["search", "--help"]).stdout).into_owned();
    for facet in hallbar_index::search::FACETS {
        assert!(help.contains(&format!("--{}", facet.name())), "{help}");
    }

    // Every facet filters as the site's API does: the same hits and totals, and each of
    // these searches finds something, so the comparison is not of two empty answers.
    let (mut server, host) = spawn_serve(dir.path());
    let searches: [&[(&str, &str)]; 8] = [
        &[("typ", "pivi"), ("malgrupp", "unga")],
        &[("stadsdel", "angered")],
        &[("sektor", "kommun"), ("sektor", "akademi")],
        &[("fas", "inventering")],
        &[
            ("kategori", "projekt"),
            ("ar", "2015"),
            ("ar", "2016"),
            ("ar", "2017"),
        ],
        &[("kompetens", "medborgardialog")],
        &[
            ("typ", "medlem"),
            ("stadsdel", "angered"),
            ("sektor", "kommun"),
        ],
        &[("q", "trygghet"), ("typ", "artikel"), ("typ", "dialog")],
    ];
    for search in searches {
        let mut args = vec!["search".to_string(), "--json".to_string()];
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in search {
            query.append_pair(name, value);
            if *name == "q" {
                args.push((*value).to_string());
            } else {
                args.push(format!("--{name}"));
                args.push((*value).to_string());
            }
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = hallbar(dir.path(), &args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let response = http_get(&host, &format!("/api/v1/sok?{}", query.finish()));
        let body = &response[response.find("\r\n\r\n").unwrap() + 4..];
        let api: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(cli["total"].as_u64().unwrap() > 0, "{args:?} finds nothing");
        assert_eq!(cli["total"], api["total"], "{args:?}");
        assert_eq!(cli["hits"], api["hits"], "{args:?}");
        assert_eq!(cli["facets"], api["facets"], "{args:?}");
    }
    server.kill().unwrap();
    server.wait().unwrap();

    for (flag, value) in [
        ("--ar", "1800"),
        ("--ar", "-5"),
        ("--malgrupp", "katter"),
        ("--typ", "x"),
    ] {
        let out = hallbar(dir.path(), &["search", flag, value]);
        assert!(!out.status.success());
        let message = stderr(&out);
        assert!(
            message.starts_with(&format!("fel: {}:", &flag[2..])),
            "{flag}: {message}"
        );
    }
}

/// A bad database setting ends with one Swedish `fel:` line that says what is wrong.
#[tokio::test]
async fn a_bad_database_url_ends_with_one_swedish_line() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on (taken, then freed).
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = std::env::var("HALLBAR_TEST_POSTGRES").unwrap();
    let wrong_role = base.replacen("postgres://hallbar@", "postgres://ingen_sadan@", 1);
    for (url, expected) in [
        (
            format!("postgres://x@127.0.0.1:{port}/hallbar"),
            "kunde inte nås",
        ),
        ("mysql://x@localhost/hallbar".to_string(), "ogiltig"),
        ("postgres://[".to_string(), "ogiltig"),
        (wrong_role, "vägrade inloggningen"),
    ] {
        let out = hallbar(dir.path(), &["migrate", "--database-url", &url]);
        assert!(!out.status.success(), "{url}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{url}: {err}");
        assert!(
            err.starts_with("fel: ") && err.contains(expected),
            "{url}: {err}"
        );
    }
}

/// A database migrated by a newer hallbar is refused, not changed.
#[tokio::test]
async fn a_database_of_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_postgres_url();
    let out = hallbar(dir.path(), &["migrate", "--database-url", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
    let pool = sqlx::PgPool::connect_with(options).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (29991231000001, 'from the future', true, '\\x00', 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let out = hallbar(dir.path(), &["migrate", "--database-url", &url]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("nyare version av hallbar"), "{err}");
}

/// Every command works on PostgreSQL: import, export, search and reindex.
#[tokio::test]
async fn the_commands_work_on_postgresql() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_postgres_url();
    let out = hallbar(dir.path(), &["demo", "--database-url", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let export = dir.path().join("export.jsonl");
    let out = hallbar(
        dir.path(),
        &["export", export.to_str().unwrap(), "--database-url", &url],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let exported = std::fs::read_to_string(&export).unwrap();
    assert!(exported.lines().count() > 100, "{exported}");
    let out = hallbar(dir.path(), &["reindex", "--database-url", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = hallbar(
        dir.path(),
        &["search", "trygghet", "--json", "--database-url", &url],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(found["total"].as_u64().unwrap() > 0, "{found}");
    // The same file imported into a second, empty schema gives the same export.
    let second = fresh_postgres_url();
    let out = hallbar(
        dir.path(),
        &[
            "import",
            export.to_str().unwrap(),
            "--database-url",
            &second,
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let again = dir.path().join("again.jsonl");
    let out = hallbar(
        dir.path(),
        &["export", again.to_str().unwrap(), "--database-url", &second],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), exported);
}

#[tokio::test]
async fn admin_invites_an_imported_profile_and_changes_roles() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    assert!(hallbar(data, &["demo"]).status.success());
    // An unknown member, a malformed address: one Swedish line each, nothing stored.
    let unknown = hallbar(data, &["admin", "invite", "ingen-alls", "bo@exempel.se"]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("ingen medlem med id ingen-alls"),
        "{}",
        stderr(&unknown)
    );
    let malformed = hallbar(data, &["admin", "invite", "sara-al-khalil", "sara@"]);
    assert!(!malformed.status.success());
    assert!(
        stderr(&malformed).contains("e-postadress"),
        "{}",
        stderr(&malformed)
    );
    // The invitation: an account without a password, and a mail with a link.
    let invited = hallbar(
        data,
        &[
            "admin",
            "invite",
            "sara-al-khalil",
            "Sara@Exempel.se",
            "--public-url",
            "https://hallbar.example",
        ],
    );
    assert!(invited.status.success(), "{}", stderr(&invited));
    let mails: Vec<String> = std::fs::read_dir(data.join("mail"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: Sara@Exempel.se"), "{}", mails[0]);
    assert!(
        mails[0].contains("https://hallbar.example/aterstall/"),
        "{}",
        mails[0]
    );
    // Only a verified account gets a role: the invitation is not accepted yet.
    let early = hallbar(data, &["admin", "promote", "sara@exempel.se"]);
    assert!(!early.status.success());
    assert!(
        stderr(&early).contains("inget bekräftat konto"),
        "{}",
        stderr(&early)
    );
    // Accepted (as choosing a password through the link does).
    let url = database_env(data)
        .into_iter()
        .find(|(name, _)| *name == "HALLBAR_DATABASE_URL")
        .map(|(_, url)| url);
    let db = hallbar::db::open_configured(data, url.as_deref())
        .await
        .unwrap();
    execute(&db, "UPDATE accounts SET verified_at = 1")
        .await
        .unwrap();
    db.close().await;
    // Roles, by address in any letter case.
    let promoted = hallbar(data, &["admin", "promote", "sara@exempel.se"]);
    assert!(promoted.status.success(), "{}", stderr(&promoted));
    assert!(String::from_utf8_lossy(&promoted.stdout).contains("administratör"));
    let demoted = hallbar(data, &["admin", "demote", "SARA@exempel.se"]);
    assert!(demoted.status.success(), "{}", stderr(&demoted));
    let nobody = hallbar(data, &["admin", "promote", "ingen@exempel.se"]);
    assert!(!nobody.status.success());
    assert!(stderr(&nobody).contains("inget bekräftat konto med e-postadressen ingen@exempel.se"));
    // The export holds content only: no accounts, addresses of accounts or hashes.
    let export = hallbar(data, &["export", "-"]);
    assert!(export.status.success());
    let text = String::from_utf8_lossy(&export.stdout);
    assert!(text.contains("sara-al-khalil"));
    assert!(!text.to_lowercase().contains("sara@exempel.se"));
    assert!(!text.contains("argon2"));
}

#[tokio::test]
async fn admin_editor_gives_and_takes_a_support_model_and_the_log_is_exported() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    assert!(hallbar(data, &["demo"]).status.success());
    let invited = hallbar(
        data,
        &["admin", "invite", "sara-al-khalil", "sara@exempel.se"],
    );
    assert!(invited.status.success(), "{}", stderr(&invited));
    // Only a verified account is given anything.
    let early = hallbar(data, &["admin", "editor", "sara@exempel.se", "pivi"]);
    assert!(!early.status.success());
    assert!(
        stderr(&early).contains("inget bekräftat konto"),
        "{}",
        stderr(&early)
    );
    let url = database_env(data)
        .into_iter()
        .find(|(name, _)| *name == "HALLBAR_DATABASE_URL")
        .map(|(_, url)| url);
    let db = hallbar::db::open_configured(data, url.as_deref())
        .await
        .unwrap();
    execute(&db, "UPDATE accounts SET verified_at = 1")
        .await
        .unwrap();
    let models = || async {
        let mut conn = db.acquire().await.unwrap();
        let key = hallbar::auth::email::key("sara@exempel.se");
        let account = hallbar::db::accounts::by_email_key(&mut conn, &key)
            .await
            .unwrap()
            .unwrap();
        hallbar::db::editors::models_of(&mut conn, account.id)
            .await
            .unwrap()
    };

    let given = hallbar(data, &["admin", "editor", "Sara@exempel.se", "pivi"]);
    assert!(given.status.success(), "{}", stderr(&given));
    assert!(String::from_utf8_lossy(&given.stdout).contains("är nu redaktör för pivi"));
    assert_eq!(models().await, ["pivi"]);
    // An unknown model: one Swedish line naming the known ones.
    let unknown = hallbar(data, &["admin", "editor", "sara@exempel.se", "stadsodling"]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains(
            "okänd stödmodell \"stadsodling\"; kända stödmodeller: stadsutveckling, pivi, \
             medinflytande"
        ),
        "{}",
        stderr(&unknown)
    );
    let taken = hallbar(
        data,
        &["admin", "editor", "sara@exempel.se", "pivi", "--ta-bort"],
    );
    assert!(taken.status.success(), "{}", stderr(&taken));
    assert!(String::from_utf8_lossy(&taken.stdout).contains("inte längre redaktör för pivi"));
    assert!(models().await.is_empty());
    assert!(
        hallbar(data, &["admin", "promote", "sara@exempel.se"])
            .status
            .success()
    );
    db.close().await;

    // The log goes with the export, and importing it again stores nothing twice.
    let export = hallbar(data, &["export", "-"]);
    assert!(export.status.success());
    let text = String::from_utf8_lossy(&export.stdout).into_owned();
    let logged: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(r#"{"type":"adminlogg""#))
        .collect();
    assert_eq!(logged.len(), 3, "{text}");
    for (line, action) in logged
        .iter()
        .zip(["redaktor-ge", "redaktor-ta-bort", "admin-ge"])
    {
        assert!(line.contains(&format!(r#""atgard":"{action}""#)), "{line}");
        assert!(line.contains(r#""vem":"kommandoraden""#), "{line}");
        assert!(line.contains("(sara-al-khalil)"), "{line}");
    }
    // No account's address is exported.
    assert!(!text.to_lowercase().contains("sara@exempel.se"));
    let file = data.join("export.jsonl");
    std::fs::write(&file, &text).unwrap();
    let again = hallbar(data, &["import", file.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!String::from_utf8_lossy(&again.stdout).contains("adminloggen"));
    let export = hallbar(data, &["export", "-"]);
    assert_eq!(String::from_utf8_lossy(&export.stdout), text);
}
