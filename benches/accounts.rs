//! Member accounts: what one login costs (argon2id at the chosen parameters), the extra
//! cost of a logged-in page view over an anonymous one (the session lookup), and `/sok`'s
//! latency while a flood of logins (from many addresses, for many accounts, so no limit
//! stops them before the password is hashed) runs against the same server.
//!
//! Run: `cargo bench --bench accounts` (on the demo corpus, SQLite in a temporary directory).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const PASSWORD: &str = "en lång mening om Hammarkullen";

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn login_request(
    email: &str,
    password: &str,
    client: Option<std::net::SocketAddr>,
) -> Request<Body> {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("epost", email)
        .append_pair("losenord", password)
        .append_pair("csrf", TOKEN)
        .finish();
    let mut request = Request::post("/logga-in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("hallbar_csrf={TOKEN}"))
        .body(Body::from(body))
        .expect("a request");
    if let Some(addr) = client {
        request
            .extensions_mut()
            .insert(hallbar::server::ClientAddr(addr));
    }
    request
}

async fn get(app: &Router, path: &str, cookie: Option<&str>) -> Duration {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let started = Instant::now();
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).expect("a request"))
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let _ = axum::body::to_bytes(response.into_body(), usize::MAX).await;
    started.elapsed()
}

async fn sok_latencies(app: &Router, n: usize) -> Vec<Duration> {
    let queries = [
        "/sok?q=trygghet",
        "/sok?q=medborgardialog",
        "/sok?q=dialog+med+unga",
        "/sok",
    ];
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        times.push(get(app, queries[i % queries.len()], None).await);
    }
    times.sort();
    times
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
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
    let app = hallbar::router(state.clone());

    // One verified account on a demo profile.
    let hash = state.hasher.hash(PASSWORD).await?;
    let mut conn = db.acquire().await?;
    let member = hallbar::db::members::all_ids(&mut conn).await?.remove(0);
    hallbar::db::accounts::create(
        &mut conn,
        &hallbar::db::accounts::NewAccount {
            email: "anna@exempel.se",
            email_key: "anna@exempel.se",
            name: "Anna",
            password_hash: Some(&hash),
            member_id: Some(&member),
            verified_at: Some(1),
            now: 1,
        },
    )
    .await?;
    drop(conn);

    // 1. Logging in: the whole POST, right password (argon2id verify and a new session).
    let mut logins = Vec::new();
    let mut cookie = String::new();
    for _ in 0..20 {
        let started = Instant::now();
        let response = app
            .clone()
            .oneshot(login_request("anna@exempel.se", PASSWORD, None))
            .await?;
        logins.push(started.elapsed());
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let set = response.headers()[header::SET_COOKIE].to_str()?.to_string();
        cookie = set.split(';').next().unwrap_or_default().to_string();
        hallbar::db::rate_events::prune(&mut db.acquire().await?, i64::MAX).await?;
    }
    logins.sort();
    println!(
        "login (argon2id m=19456 KiB, t=2, p=1): p50 {:.1} ms, max {:.1} ms",
        percentile(&logins, 0.5),
        percentile(&logins, 1.0)
    );

    // 2. A page view logged in vs anonymous (the same page; interleaved).
    let page = "/om";
    for _ in 0..200 {
        get(&app, page, None).await;
        get(&app, page, Some(&cookie)).await;
    }
    let (mut anonymous, mut member_view) = (Vec::new(), Vec::new());
    for _ in 0..3000 {
        anonymous.push(get(&app, page, None).await);
        member_view.push(get(&app, page, Some(&cookie)).await);
    }
    anonymous.sort();
    member_view.sort();
    println!(
        "page view {page}: anonymous p50 {:.3} ms p99 {:.3} ms; logged in p50 {:.3} ms p99 {:.3} ms; extra p50 {:.3} ms",
        percentile(&anonymous, 0.5),
        percentile(&anonymous, 0.99),
        percentile(&member_view, 0.5),
        percentile(&member_view, 0.99),
        percentile(&member_view, 0.5) - percentile(&anonymous, 0.5)
    );

    // 3. /sok alone, then during a flood of logins.
    sok_latencies(&app, 100).await;
    let quiet = sok_latencies(&app, 400).await;
    let stop = Arc::new(AtomicBool::new(false));
    let hashed = Arc::new(AtomicU64::new(0));
    let mut flooders = Vec::new();
    for worker in 0..32u32 {
        let app = app.clone();
        let stop = Arc::clone(&stop);
        let hashed = Arc::clone(&hashed);
        flooders.push(tokio::spawn(async move {
            let mut i = 0u32;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                // A new address and account each time: no limit applies before the hash.
                let ip = std::net::Ipv4Addr::from(0x0a00_0000 + worker * 65_536 + i);
                let addr = std::net::SocketAddr::new(ip.into(), 4000);
                let email = format!("gissning{worker}-{i}@exempel.se");
                let request = login_request(&email, "fel lösenord igen", Some(addr));
                if let Ok(response) = app.clone().oneshot(request).await
                    && response.status() == StatusCode::UNPROCESSABLE_ENTITY
                {
                    hashed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = hashed.load(Ordering::Relaxed);
    let started = Instant::now();
    let flooded = sok_latencies(&app, 400).await;
    let rate = (hashed.load(Ordering::Relaxed) - before) as f64 / started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for flooder in flooders {
        let _ = flooder.await;
    }
    println!(
        "/sok alone: p50 {:.2} ms p99 {:.2} ms; during a flood of 32 concurrent logins ({rate:.0} failed logins/s): p50 {:.2} ms p99 {:.2} ms",
        percentile(&quiet, 0.5),
        percentile(&quiet, 0.99),
        percentile(&flooded, 0.5),
        percentile(&flooded, 0.99)
    );
    indexer.stop().await;
    Ok(())
}
