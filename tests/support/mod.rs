//! Helpers shared by every test binary: a fresh database, sample content in the import
//! format, the app driven in-process (anonymously or as a logged-in member), HTML checks, and
//! the real binary started as a process.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use hallbar::db::Db;
use hallbar::http::Authenticated;
use hallbar::write::Writes;
use hallbar_index::{Article, DialogueText, Group, Matrix, Member, PiviEntry, Thread};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

/// The public address the in-process app is configured with.
pub const SITE: &str = "https://exempel.se";

/// Whether the tests run on PostgreSQL (`HALLBAR_TEST_DATABASE=postgres`, as `./test`'s
/// second pass sets it) instead of SQLite.
pub fn on_postgres() -> bool {
    std::env::var("HALLBAR_TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

/// A fresh, migrated database and a temporary data directory (which holds the SQLite file,
/// or only the search index when the tests run on PostgreSQL).
pub async fn test_db() -> (TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = if on_postgres() {
        let db = Db::Postgres(postgres_db().await);
        hallbar::db::migrate(&db).await.unwrap();
        db
    } else {
        hallbar::db::open_and_migrate(dir.path()).await.unwrap()
    };
    (dir, db)
}

/// The write path without a search handle (no indexer runs in these tests).
pub fn writes(pool: &Db) -> Writes {
    Writes::new(pool.clone(), None)
}

/// Imports `values` (JSON Lines records); panics on any error.
pub async fn import(pool: &Db, values: &[Value]) {
    hallbar::interchange::import(&writes(pool), lines(values).as_bytes(), false)
        .await
        .unwrap();
}

/// What a request answered.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub content_type: String,
    pub cache_control: String,
    pub body: String,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The whole app, driven in-process through its router: anonymously, or as a member after
/// [`TestApp::log_in`].
pub struct TestApp {
    pub dir: TempDir,
    pub state: hallbar::AppState,
    member: Option<Authenticated>,
    /// What the indexer needs, until [`TestApp::start_indexer`] starts it.
    opened: Option<hallbar::indexer::Opened>,
}

impl TestApp {
    /// A fresh database holding `values`, its search index built from it, the public
    /// address [`SITE`].
    pub async fn with(values: &[Value]) -> TestApp {
        let (dir, pool) = test_db().await;
        if !values.is_empty() {
            import(&pool, values).await;
        }
        TestApp::on(dir, pool).await
    }

    /// The app on the demo corpus.
    pub async fn demo() -> TestApp {
        let (dir, pool) = test_db().await;
        hallbar::demo::load(&writes(&pool)).await.unwrap();
        TestApp::on(dir, pool).await
    }

    /// The app on an existing database (the index is built from it when opened).
    pub async fn on(dir: TempDir, pool: Db) -> TestApp {
        let (search, opened) = hallbar::indexer::open(dir.path(), &pool).await.unwrap();
        let mut config = hallbar::config::Config::default().with_public_url(SITE);
        config.mail_dir = dir.path().join("mail");
        config.data_dir = dir.path().to_path_buf();
        TestApp {
            dir,
            state: hallbar::AppState::new(pool, search, config),
            member: None,
            opened: Some(opened),
        }
    }

    /// The same app with other settings.
    pub fn configured(mut self, change: impl FnOnce(&mut hallbar::config::Config)) -> Self {
        let mut config = (*self.state.config).clone();
        change(&mut config);
        self.state.config = std::sync::Arc::new(config);
        self
    }

    /// Starts the indexer, as `serve` does (once).
    pub fn start_indexer(&mut self) -> hallbar::indexer::IndexerHandle {
        let opened = self.opened.take().expect("the indexer is started once");
        hallbar::indexer::start(opened, self.state.db.clone()).unwrap()
    }

    pub fn pool(&self) -> &Db {
        &self.state.db
    }

    /// From now on the app's requests come from this member.
    pub async fn log_in(&mut self, member_id: &str) {
        let mut conn = self.state.db.acquire().await.unwrap();
        let viewer = hallbar::db::viewers::viewer_for_member(&mut conn, member_id)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no member {member_id}"));
        self.member = Some(Authenticated::try_from(viewer).unwrap());
    }

    /// From now on the app's requests are anonymous.
    pub fn log_out(&mut self) {
        self.member = None;
    }

    /// Sends a request through the whole router.
    pub async fn send(&self, mut request: Request<Body>) -> Answer {
        if let Some(member) = &self.member {
            request.extensions_mut().insert(member.clone());
        }
        let response = hallbar::router(self.state.clone())
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status();
        let header_text = |name| {
            response
                .headers()
                .get(name)
                .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
                .unwrap_or_default()
        };
        let content_type = header_text(header::CONTENT_TYPE);
        let cache_control = header_text(header::CACHE_CONTROL);
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            content_type,
            cache_control,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// A GET whose answer must be JSON.
    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let answer = self.get(path).await;
        (answer.status, answer.json())
    }
}

/// A browser on the in-process app: keeps the cookies it is given, sends them back, and
/// fills in forms with the CSRF token of the page they were on.
pub struct Visitor<'a> {
    pub app: &'a TestApp,
    pub cookies: std::collections::BTreeMap<String, String>,
    /// The client address the app sees (for per-client limits); none: in-process.
    pub addr: Option<std::net::SocketAddr>,
    /// Headers sent with every request (e.g. a proxy's `X-Forwarded-For`).
    pub headers: Vec<(&'static str, String)>,
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Visitor {
            app,
            cookies: Default::default(),
            addr: None,
            headers: Vec::new(),
        }
    }

    /// The same visitor sending `name: value` with every request.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// The same visitor coming from `ip`.
    pub fn at_ip(mut self, ip: &str) -> Self {
        let ip: std::net::IpAddr = ip.parse().unwrap();
        self.addr = Some(std::net::SocketAddr::new(ip, 40000));
        self
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Sends a request with the visitor's cookies and keeps what the answer sets.
    pub async fn send(&mut self, mut request: Request<Body>) -> Answer {
        if !self.cookies.is_empty() {
            request
                .headers_mut()
                .insert(header::COOKIE, self.cookie_header().parse().unwrap());
        }
        if let Some(addr) = self.addr {
            request
                .extensions_mut()
                .insert(hallbar::server::ClientAddr(addr));
        }
        for (name, value) in &self.headers {
            request.headers_mut().insert(*name, value.parse().unwrap());
        }
        let answer = self.app.send(request).await;
        for value in answer.headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        answer
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// Posts a form as a browser on this site would (URL-encoded, `Sec-Fetch-Site:
    /// same-origin`), `csrf` included only when given in `fields`.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Opens `page`, then submits its form to `action` with `fields` and the page's CSRF
    /// token.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Answer {
        let shown = self.get(page).await;
        assert_eq!(shown.status, StatusCode::OK, "{page}: {}", shown.body);
        let token = csrf_of(&shown.body);
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.post(action, &all).await
    }

    /// Registers, follows the mailed link and confirms: an account with a profile.
    pub async fn register(&mut self, name: &str, email: &str, password: &str) {
        let mailed_before = mails_to(self.app, email).len();
        let answer = self
            .submit(
                "/registrera",
                "/registrera",
                &[
                    ("namn", name),
                    ("epost", email),
                    ("losenord", password),
                    ("villkor", "ja"),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let mails = wait_for_mails(self.app, email, mailed_before + 1).await;
        let link = link_in(mails.last().unwrap(), "/verifiera/");
        let path = link.strip_prefix(SITE).unwrap().to_string();
        let confirmed = self.submit(&path, &path, &[]).await;
        assert_eq!(
            confirmed.status,
            StatusCode::SEE_OTHER,
            "{}",
            confirmed.body
        );
    }

    /// Logs in through the form; the answer (a redirect when it worked).
    pub async fn log_in(&mut self, email: &str, password: &str) -> Answer {
        self.submit(
            "/logga-in",
            "/logga-in",
            &[("epost", email), ("losenord", password)],
        )
        .await
    }
}

/// The CSRF token in a page's first form.
pub fn csrf_of(html: &str) -> String {
    between(html, r#"name="csrf" value=""#, "\"").to_string()
}

/// The mails written for `to`, oldest first, as text.
pub fn mails_to(app: &TestApp, to: &str) -> Vec<String> {
    let dir = app.dir.path().join("mail");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "eml"));
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .filter(|text| {
            text.lines()
                .any(|l| l.starts_with("To:") && l.to_lowercase().contains(&to.to_lowercase()))
        })
        .collect()
}

/// Waits (the mails are sent in the background) until `to` has been mailed `n` times, and
/// returns those mails.
pub async fn wait_for_mails(app: &TestApp, to: &str, n: usize) -> Vec<String> {
    for _ in 0..200 {
        let mails = mails_to(app, to);
        if mails.len() >= n {
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("fewer than {n} mails to {to}: {:?}", mails_to(app, to));
}

/// The link to `SITE` + `path_start`… in a mail.
pub fn link_in(mail: &str, path_start: &str) -> String {
    let start = format!("{SITE}{path_start}");
    let at = mail
        .find(&start)
        .unwrap_or_else(|| panic!("no link to {path_start} in {mail}"));
    let rest = &mail[at..];
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The link to `SITE` + `path_start`… in the first mail to `to`.
pub async fn mailed_link(app: &TestApp, to: &str, path_start: &str) -> String {
    let mails = wait_for_mails(app, to, 1).await;
    link_in(mails.last().unwrap(), path_start)
}

pub fn member_json(id: &str) -> Value {
    json!({
        "type": "medlem", "id": id, "namn": format!("Namn {id}"),
        "titel": "Områdesutvecklare", "organisation": "Göteborgs Stad",
        "sektor": "kommun", "stadsdel": "angered",
        "bakgrund": "Arbetar med medborgardialog och trygghetsvandringar i Hammarkullen.",
        "kompetenser": ["medborgardialog", "trygghetsvandringar"],
        "intressen": ["stadsodling"], "synlighet": "publik", "medlem_sedan": "2014-03-02"
    })
}

pub fn group_json(id: &str, creator: &str, members: &[&str], access: &str) -> Value {
    json!({
        "type": "grupp", "id": id, "namn": format!("Grupp {id}"),
        "beskrivning": "En grupp för erfarenhetsutbyte.", "tillgang": access,
        "skapad": "2014-04-01", "skapad_av": creator, "medlemmar": members
    })
}

pub fn thread_json(id: &str, group: &str, posts: &[(&str, &str)]) -> Value {
    let posts: Vec<Value> = posts
        .iter()
        .enumerate()
        .map(|(i, (author, text))| {
            json!({"av": author, "skapad": format!("2014-04-02T09:{:02}:00Z", i), "text": text})
        })
        .collect();
    json!({"type": "trad", "id": id, "grupp": group, "rubrik": format!("Tråd {id}"), "inlagg": posts})
}

pub fn pivi_json(id: &str, contact_member: Option<&str>) -> Value {
    json!({
        "type": "pivi", "id": id, "titel": format!("Projekt {id}"), "kategori": "projekt",
        "sammanfattning": "Läxhjälp för unga i Hjällbo.",
        "beskrivning": "Ideella läxhjälpare träffar elever två kvällar i veckan.",
        "stadsdel": "angered", "organisation": "Hjällbo bibliotek",
        "malgrupper": ["unga"], "taggar": ["läxhjälp"], "period": {"fran": 2014, "till": null},
        "kontakt": {"namn": "Sara Ek", "epost": "sara.ek@example.org", "medlem": contact_member},
        "lankar": [{"titel": "Göteborgs Stad", "url": "https://goteborg.se/"}],
        "publicerad": "2014-09-10"
    })
}

pub fn matrix_json(id: &str, cells: &[(&str, &str)]) -> Value {
    let cells: Vec<Value> = cells
        .iter()
        .map(|(r, c)| json!({"rad": r, "kolumn": c, "sammanfattning": format!("Kunskap om {r} och {c}.")}))
        .collect();
    json!({
        "type": "matris", "id": id, "titel": "Kunskapsmatris", "beskrivning": "Om mellanrum och stadsrum.",
        "rader": {"namn": "Rum", "varden": [
            {"id": "mellanrum", "namn": "Mellanrum", "beskrivning": "Ytor mellan stadsdelar."},
            {"id": "torg", "namn": "Torg", "beskrivning": "Stadens torg."}]},
        "kolumner": {"namn": "Social dimension", "varden": [
            {"id": "trygghet", "namn": "Trygghet", "beskrivning": "Upplevd trygghet."},
            {"id": "moten", "namn": "Möten", "beskrivning": "Möten mellan människor."}]},
        "celler": cells
    })
}

pub fn article_json(id: &str, matrix: &str, cells: &[(&str, &str)]) -> Value {
    let cells: Vec<Value> = cells
        .iter()
        .map(|(r, c)| json!({"rad": r, "kolumn": c}))
        .collect();
    json!({
        "type": "artikel", "id": id, "titel": format!("Artikel {id}"), "ingress": "Om broar.",
        "text": "Broar kan både skilja och förena stadsdelar.", "forfattare": "Redaktionen",
        "publicerad": "2015-02-11", "matris": matrix, "celler": cells, "taggar": ["barriärer"],
        "stadsdel": "hela-staden"
    })
}

pub fn dialogue_json(id: &str, kind: &str, items: &[&str]) -> Value {
    json!({
        "type": "dialog", "id": id, "titel": format!("Text {id}"), "fas": "forberedelser",
        "texttyp": kind, "ingress": "Inför dialogen.", "text": "Formulera syftet först.",
        "punkter": items, "stadsdel": null, "forfattare": "Redaktionen",
        "publicerad": "2015-01-20", "taggar": ["medborgardialog"]
    })
}

/// Turns a JSON line of the interchange format into the model type (dropping `type`).
pub fn typed<T: serde::de::DeserializeOwned>(mut value: Value) -> T {
    value.as_object_mut().unwrap().remove("type");
    serde_json::from_value(value).unwrap()
}

pub fn member(id: &str) -> Member {
    typed(member_json(id))
}

pub fn group(id: &str, creator: &str, members: &[&str], access: &str) -> Group {
    typed(group_json(id, creator, members, access))
}

pub fn thread(id: &str, group: &str, posts: &[(&str, &str)]) -> Thread {
    typed(thread_json(id, group, posts))
}

pub fn pivi(id: &str, contact_member: Option<&str>) -> PiviEntry {
    typed(pivi_json(id, contact_member))
}

pub fn matrix(id: &str, cells: &[(&str, &str)]) -> Matrix {
    typed(matrix_json(id, cells))
}

pub fn article(id: &str, matrix: &str, cells: &[(&str, &str)]) -> Article {
    typed(article_json(id, matrix, cells))
}

pub fn dialogue(id: &str, kind: &str, items: &[&str]) -> DialogueText {
    typed(dialogue_json(id, kind, items))
}

/// JSON Lines text from values.
pub fn lines(values: &[Value]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn hidden_member(id: &str) -> Value {
    let mut m = member_json(id);
    m["synlighet"] = json!("medlemmar");
    m
}

pub fn dated_pivi(id: &str, published: &str) -> Value {
    let mut p = pivi_json(id, None);
    p["publicerad"] = json!(published);
    p
}

pub fn dated_article(id: &str, published: &str) -> Value {
    let mut a = article_json(id, "m", &[("mellanrum", "trygghet")]);
    a["publicerad"] = json!(published);
    a
}

/// The text between the first `start` and the next `end` after it.
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found in {text}"))
        + start.len();
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not found after {start:?}"));
    &text[from..from + to]
}

/// The `<main>` element's content (the page without header and footer).
pub fn main_of(html: &str) -> &str {
    between(html, "<main", "</main>")
}

/// Every `href` in `html`, with `&amp;` decoded.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&"))
        .collect()
}

/// The `href` (decoded) of the link whose tag or text contains `marker`.
pub fn href_at(html: &str, marker: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} not found in {html}"));
    let start = html[..at].rfind("href=\"").unwrap() + "href=\"".len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].replace("&amp;", "&")
}

/// The decoded query pairs of a link.
pub fn query_pairs(href: &str) -> Vec<(String, String)> {
    let query = href.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

pub fn has_pair(href: &str, name: &str, value: &str) -> bool {
    query_pairs(href)
        .iter()
        .any(|(n, v)| n == name && v == value)
}

/// The `<input …>` tag of the checkbox `name=value`.
pub fn checkbox<'a>(html: &'a str, name: &str, value: &str) -> &'a str {
    let needle = format!(r#"name="{name}" value="{value}""#);
    let at = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no checkbox {name}={value}"));
    let start = html[..at].rfind("<input").unwrap();
    let end = at + html[at..].find('>').unwrap() + 1;
    &html[start..end]
}

/// Checks the frame every content page has, with `canonical` as the page's site path, and
/// returns the body.
pub fn assert_page(answer: &Answer, canonical: &str) -> String {
    let html = &answer.body;
    assert_eq!(answer.status, StatusCode::OK, "{canonical}: {html}");
    assert!(
        answer.content_type.starts_with("text/html"),
        "{canonical}: {}",
        answer.content_type
    );
    assert!(html.starts_with("<!DOCTYPE html>"), "{canonical}");
    assert!(html.contains(r#"<html lang="sv">"#), "{canonical}");
    assert_eq!(html.matches("<h1").count(), 1, "{canonical}: {html}");
    let title = between(html, "<title>", "</title>");
    assert!(title.ends_with(" – hallbar"), "{canonical}: {title}");
    assert!(title.len() > " – hallbar".len(), "{canonical}: {title}");
    let description = between(html, r#"<meta name="description" content=""#, "\"");
    assert!(!description.trim().is_empty(), "{canonical}");
    let absolute = format!("{SITE}{canonical}").replace('&', "&amp;");
    assert!(
        html.contains(&format!(r#"<link rel="canonical" href="{absolute}">"#)),
        "{canonical}: {}",
        between(html, "<head>", "</head>")
    );
    assert_eq!(html.matches(r#"rel="canonical""#).count(), 1);
    assert!(html.contains(r#"<nav class="main" aria-label="Huvudmeny">"#));
    html.clone()
}

/// Checks an error page: its status, in the layout, in Swedish, no canonical link.
pub fn assert_error_page(answer: &Answer, status: StatusCode, heading: &str) -> String {
    let html = &answer.body;
    assert_eq!(answer.status, status, "{html}");
    assert!(answer.content_type.starts_with("text/html"));
    assert!(html.contains(r#"<html lang="sv">"#));
    assert!(html.contains(r#"<nav class="main" aria-label="Huvudmeny">"#));
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(
        html.contains(&format!("<h1>{heading}</h1>")),
        "expected {heading}: {html}"
    );
    assert!(html.contains(&format!("<title>{heading} – hallbar</title>")));
    assert!(!html.contains(r#"rel="canonical""#));
    assert!(html.contains(r#"<a href="/">Till startsidan</a>"#));
    html.clone()
}

/// The database settings for the binary run on `data_dir`: none on SQLite (the file in the
/// data directory); on PostgreSQL (`HALLBAR_TEST_DATABASE=postgres`) `HALLBAR_DATABASE_URL`
/// naming a schema of the throwaway server that belongs to this data directory, so that
/// every run on one directory finds the same database, as with SQLite.
pub fn database_env(data_dir: &Path) -> Vec<(&'static str, String)> {
    if !on_postgres() {
        return Vec::new();
    }
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    data_dir.hash(&mut hasher);
    let schema = format!("dir_{:016x}", hasher.finish());
    let base = std::env::var("HALLBAR_TEST_POSTGRES").expect(
        "HALLBAR_TEST_POSTGRES names no PostgreSQL server: run the tests with ./test, \
         which starts one",
    );
    let create = {
        let (base, schema) = (base.clone(), schema.clone());
        // A runtime of its own on a thread of its own: callers may be inside one.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let pool = sqlx::PgPool::connect(&base).await.unwrap();
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "CREATE SCHEMA IF NOT EXISTS {schema}"
                )))
                .execute(&pool)
                .await
                .unwrap();
                pool.close().await;
            });
        })
    };
    create.join().unwrap();
    vec![("HALLBAR_DATABASE_URL", schema_url(&schema))]
}

/// The throwaway server's URL with `schema` first on the search path.
fn schema_url(schema: &str) -> String {
    let base = std::env::var("HALLBAR_TEST_POSTGRES").expect(
        "HALLBAR_TEST_POSTGRES names no PostgreSQL server: run the tests with ./test, \
         which starts one",
    );
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options=-c%20search_path%3D{schema}")
}

/// A `--database-url` of a fresh schema of the throwaway PostgreSQL server (callable from
/// inside a runtime or outside one).
pub fn fresh_postgres_url() -> String {
    std::thread::spawn(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let pool = postgres_db().await;
            let schema: String = sqlx::query_scalar("SELECT current_schema()::text")
                .fetch_one(&pool)
                .await
                .unwrap();
            pool.close().await;
            schema_url(&schema)
        })
    })
    .join()
    .unwrap()
}

/// Runs the `hallbar` binary on a data directory with SQLite, whichever database the other
/// tests use (for what only SQLite's file in the data directory can show).
pub fn hallbar_on_sqlite(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hallbar"))
        .args(args)
        .env("HALLBAR_DATA_DIR", data_dir)
        .env_remove("HALLBAR_DATABASE_URL")
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

/// Runs the `hallbar` binary on a data directory (log settings from the environment
/// removed, so its output is what a user sees), on the database the tests use.
pub fn hallbar(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hallbar"))
        .args(args)
        .envs(database_env(data_dir))
        .env("HALLBAR_DATA_DIR", data_dir)
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

/// Starts the real `hallbar serve` (no demo) on a free port for `data` on the PostgreSQL
/// database at `url`, whichever database the other tests use; the child and its
/// `host:port` once it listens.
pub fn spawn_serve_on(data: &std::path::Path, url: &str) -> (std::process::Child, String) {
    spawn_serve_with(
        data,
        &["--no-demo"],
        vec![("HALLBAR_DATABASE_URL", url.to_string())],
    )
}

/// Starts the real `hallbar serve` on a free port with an empty data directory (no demo)
/// and returns the child and its `host:port` once it listens.
pub fn spawn_serve(data: &std::path::Path) -> (std::process::Child, String) {
    spawn_serve_with(data, &["--no-demo"], database_env(data))
}

/// Starts the real `hallbar serve` on a free port with the demo corpus loaded into the empty
/// data directory, and returns the child and its `host:port` once it listens.
pub fn spawn_serve_with_demo(data: &std::path::Path) -> (std::process::Child, String) {
    spawn_serve_with(data, &[], database_env(data))
}

fn spawn_serve_with(
    data: &std::path::Path,
    extra: &[&str],
    database: Vec<(&'static str, String)>,
) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hallbar"))
        .arg("serve")
        .args(extra)
        .args(["--addr", "127.0.0.1:0"])
        .envs(database)
        .env("HALLBAR_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let host = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("serve did not start: {line:?}"))
        .trim_start_matches("http://")
        .to_string();
    (child, host)
}

/// A fresh, empty database on the throwaway PostgreSQL server `./test` starts (named by
/// `HALLBAR_TEST_POSTGRES`), for tests that run on both databases: a schema of its own,
/// first on every connection's search path (cheaper than a database per test).
pub async fn postgres_db() -> sqlx::PgPool {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let url = std::env::var("HALLBAR_TEST_POSTGRES").expect(
        "HALLBAR_TEST_POSTGRES names no PostgreSQL server: run the tests with ./test, \
         which starts one",
    );
    let options: sqlx::postgres::PgConnectOptions = url.parse().unwrap();
    // The clock too: a server kept between runs may hold a schema of a reused pid.
    let name = format!(
        "test_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    );
    let server = sqlx::PgPool::connect_with(options.clone()).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}")))
        .execute(&server)
        .await
        .unwrap();
    server.close().await;
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(8)
        .connect_with(options.options([("search_path", name.as_str())]))
        .await
        .unwrap()
}

/// Runs one statement on whichever database the tests use.
pub async fn execute(db: &Db, sql: &'static str) -> sqlx::Result<()> {
    match db {
        Db::Sqlite(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
    }
}

/// The one number a query answers, on whichever database the tests use.
pub async fn fetch_number(db: &Db, sql: &'static str) -> i64 {
    match db {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

/// The SQLite pool of a test that checks something only SQLite has.
pub fn sqlite(db: &Db) -> &sqlx::SqlitePool {
    db.as_sqlite().expect("a test of SQLite itself")
}
