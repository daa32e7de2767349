//! Accounts end to end through the router: registering with a mailed link, logging in and
//! out, sessions, CSRF, rate limits, forgotten passwords, and every form's bad input.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";

/// The site path of an absolute link to the test site.
fn path_of(link: &str) -> String {
    link.strip_prefix(SITE).unwrap().to_string()
}

/// A used, expired or unknown link: 404 with a way on.
fn assert_link_invalid(answer: &Answer) {
    assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.body);
    assert!(
        answer.body.contains("<h1>Länken gäller inte längre</h1>"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains(r#"href="/glomt-losenord""#));
}

#[tokio::test]
async fn joining_takes_a_verified_address_and_then_the_profile_is_there() {
    let app = TestApp::with(&[]).await;
    let mut anna = Visitor::new(&app);
    let form = anna.get("/registrera").await;
    assert_eq!(form.status, StatusCode::OK);
    for label in [
        r#"<label for="namn">Namn</label>"#,
        r#"<label for="epost">E-post</label>"#,
        r#"<label for="losenord">Lösenord</label>"#,
        "Jag godkänner <a href=\"/villkor\">villkoren</a> och har läst <a href=\"/integritetspolicy\">integritetspolicyn</a>",
        ">Skapa konto</button>",
    ] {
        assert!(form.body.contains(label), "{label}");
    }
    assert!(form.cache_control.contains("no-store"));
    let answer = anna
        .submit(
            "/registrera",
            "/registrera",
            &[
                ("namn", "Anna Lind"),
                ("epost", "Anna.Lind@Exempel.se"),
                ("losenord", PASSWORD),
                ("villkor", "ja"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(answer.body.contains("Bekräfta din e-postadress"));
    // Not verified: no profile anywhere, and no login.
    assert!(
        !app.get("/sok?q=Anna+Lind")
            .await
            .body
            .contains("Anna Lind</a>")
    );
    let refused = anna.log_in("anna.lind@exempel.se", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("bekräfta din e-postadress"),
        "{}",
        refused.body
    );

    let mails = wait_for_mails(&app, "anna.lind@exempel.se", 1).await;
    assert!(mails[0].contains("Subject: "), "{}", mails[0]);
    let link = path_of(&link_in(&mails[0], "/verifiera/"));
    // Opening the link changes nothing: a button confirms.
    let confirm = anna.get(&link).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Bekräfta e-postadressen"));
    assert_eq!(
        anna.get(&link).await.status,
        StatusCode::OK,
        "a GET does not use the link up"
    );
    let confirmed = anna.submit(&link, &link, &[]).await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
    assert_eq!(confirmed.headers[header::LOCATION], "/logga-in?bekraftad=1");
    // Used once.
    let again = anna.get(&link).await;
    assert_link_invalid(&again);

    // Logging in (the address in other letter case) goes back to where the person was.
    let login = anna
        .submit(
            "/logga-in?tillbaka=/medlemmar",
            "/logga-in",
            &[
                ("epost", "ANNA.LIND@exempel.se"),
                ("losenord", PASSWORD),
                ("tillbaka", "/medlemmar"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    assert_eq!(login.headers[header::LOCATION], "/medlemmar");
    let cookie = login.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("__Host-hallbar_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let profile = anna.get("/profil").await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.contains("Anna Lind"));
    assert!(profile.body.contains("Anna.Lind@Exempel.se"));
    assert!(
        profile.body.contains(">Logga ut</button>"),
        "the header has the logout button"
    );
    // The new profile is for members only until Anna chooses otherwise.
    assert_eq!(
        app.get("/medlemmar/anna-lind").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anna.get("/medlemmar/anna-lind").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_return_address_off_the_site_is_not_followed() {
    let app = TestApp::with(&[]).await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    for outside in ["//ond.example/x", "https://ond.example", "/\\ond.example"] {
        let login = anna
            .submit(
                "/logga-in",
                "/logga-in",
                &[
                    ("epost", "anna@exempel.se"),
                    ("losenord", PASSWORD),
                    ("tillbaka", outside),
                ],
            )
            .await;
        assert_eq!(login.headers[header::LOCATION], "/", "{outside}");
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_get_the_same_answer() {
    let app = TestApp::with(&[]).await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    let wrong = anna.log_in("anna@exempel.se", "fel lösenord här").await;
    let unknown = anna.log_in("okand@exempel.se", "fel lösenord här").await;
    for answer in [&wrong, &unknown] {
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(answer.body.contains("Fel e-postadress eller lösenord"));
        assert!(
            !answer.body.contains("fel lösenord här"),
            "the password is never shown again"
        );
        assert!(
            answer.headers.get(header::SET_COOKIE).is_none()
                || !answer.headers[header::SET_COOKIE]
                    .to_str()
                    .unwrap()
                    .contains("session")
        );
    }
    let strip = |html: &str| {
        main_of(html)
            .replace("okand@exempel.se", "X")
            .replace("anna@exempel.se", "X")
    };
    let (a, b) = (strip(&wrong.body), strip(&unknown.body));
    let without_token = |s: &str| s.replace(&csrf_of(s), "");
    assert_eq!(without_token(&a), without_token(&b));
    assert_eq!(anna.get("/profil").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn too_many_logins_are_refused_for_a_while_then_allowed_again() {
    let app = TestApp::with(&[]).await;
    let mut anna = Visitor::new(&app).at_ip("203.0.113.7");
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    for _ in 0..10 {
        let answer = anna.log_in("anna@exempel.se", "inte rätt lösenord").await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The limit for this address from this client: even the right password waits now.
    let locked = anna.log_in("anna@exempel.se", PASSWORD).await;
    assert_error_page(&locked, StatusCode::TOO_MANY_REQUESTS, "För många försök");
    // The owner elsewhere is not locked out by what happened here.
    let mut elsewhere = Visitor::new(&app).at_ip("198.51.100.9");
    assert_eq!(
        elsewhere.log_in("anna@exempel.se", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // An unknown address is limited the same way (it does not tell that it is unknown).
    let mut guesser = Visitor::new(&app).at_ip("192.0.2.1");
    for _ in 0..10 {
        guesser
            .log_in("ingen@exempel.se", "inte rätt lösenord")
            .await;
    }
    assert_eq!(
        guesser
            .log_in("ingen@exempel.se", "inte rätt lösenord")
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Many clients together: 100 tries for one address in 15 minutes, then it waits.
    for i in 0..9u8 {
        let mut bot = Visitor::new(&app).at_ip(&format!("192.0.2.{}", 10 + i));
        for _ in 0..10 {
            bot.log_in("anna@exempel.se", "inte rätt lösenord").await;
        }
    }
    let mut last = Visitor::new(&app).at_ip("192.0.2.200");
    assert_eq!(
        last.log_in("anna@exempel.se", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Fifteen minutes later.
    execute(app.pool(), "UPDATE rate_events SET at = at - 901")
        .await
        .unwrap();
    let login = anna.log_in("anna@exempel.se", PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
}

#[tokio::test]
async fn one_client_address_may_try_25_logins_in_five_minutes() {
    let app = TestApp::with(&[]).await;
    let mut robot = Visitor::new(&app).at_ip("2001:db8::1");
    for i in 0..25 {
        let answer = robot
            .log_in(&format!("person{i}@exempel.se"), "gissning 123")
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "try {i}");
    }
    let over = robot.log_in("person99@exempel.se", "gissning 123").await;
    assert_error_page(&over, StatusCode::TOO_MANY_REQUESTS, "För många försök");
    // Another address of the same /64 is the same client.
    let mut same_network = Visitor::new(&app).at_ip("2001:db8::2");
    assert_eq!(
        same_network
            .log_in("x@exempel.se", "gissning 123")
            .await
            .status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let mut other = Visitor::new(&app).at_ip("2001:db9::1");
    assert_eq!(
        other.log_in("x@exempel.se", "gissning 123").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn forms_without_their_token_or_from_another_site_change_nothing() {
    let app = TestApp::with(&[]).await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    anna.log_in("anna@exempel.se", PASSWORD).await;
    let before = fetch_number(app.pool(), "SELECT count(*) FROM accounts").await;
    // No token.
    let answer = anna.post("/profil/radera", &[("losenord", PASSWORD)]).await;
    assert_error_page(
        &answer,
        StatusCode::FORBIDDEN,
        "Formuläret kunde inte skickas",
    );
    // Another session's token, or a made-up one.
    let answer = anna
        .post(
            "/profil/radera",
            &[("losenord", PASSWORD), ("csrf", &"a".repeat(64))],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // The right token, but the browser says the form came from another site.
    let token = csrf_of(&anna.get("/profil/radera").await.body);
    let mut request = Request::post("/profil/radera")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!(
            "losenord=en+l%C3%A5ng+mening+om+Hammarkullen&csrf={token}"
        )))
        .unwrap();
    request
        .headers_mut()
        .insert(header::ORIGIN, "https://ond.example".parse().unwrap());
    let answer = anna.send(request).await;
    assert_error_page(
        &answer,
        StatusCode::FORBIDDEN,
        "Förfrågan kom från en annan webbplats",
    );
    // A visitor's register form with no CSRF cookie.
    let mut stranger = Visitor::new(&app);
    let answer = stranger
        .post(
            "/registrera",
            &[
                ("namn", "X"),
                ("epost", "x@exempel.se"),
                ("losenord", PASSWORD),
                ("villkor", "ja"),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM accounts").await,
        before
    );
    // Nothing changes state on GET.
    assert_eq!(
        anna.get("/logga-ut").await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
    assert_eq!(anna.get("/profil").await.status, StatusCode::OK);
}

#[tokio::test]
async fn logging_out_ends_the_session_on_the_server() {
    let app = TestApp::with(&[]).await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    anna.log_in("anna@exempel.se", PASSWORD).await;
    let stolen = anna.cookies.clone();
    let page = anna.get("/profil").await;
    let token = csrf_of(&page.body);
    let out = anna.post("/logga-ut", &[("csrf", &token)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(!anna.cookies.contains_key("__Host-hallbar_session"));
    // The old cookie, replayed, is nobody.
    let mut thief = Visitor::new(&app);
    thief.cookies = stolen;
    assert_eq!(thief.get("/profil").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM sessions").await,
        0
    );
}

#[tokio::test]
async fn a_password_change_ends_every_other_session() {
    let app = TestApp::with(&[]).await;
    let mut laptop = Visitor::new(&app);
    laptop
        .register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    laptop.log_in("anna@exempel.se", PASSWORD).await;
    let mut phone = Visitor::new(&app);
    phone.log_in("anna@exempel.se", PASSWORD).await;
    assert_eq!(phone.get("/profil").await.status, StatusCode::OK);
    let old_laptop_cookies = laptop.cookies.clone();
    // The current password is asked for.
    let wrong = laptop
        .submit(
            "/profil/losenord",
            "/profil/losenord",
            &[
                ("nuvarande", "inte rätt"),
                ("losenord", "ett helt nytt lösenord"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Det nuvarande lösenordet stämmer inte"));
    let changed = laptop
        .submit(
            "/profil/losenord",
            "/profil/losenord",
            &[
                ("nuvarande", PASSWORD),
                ("losenord", "ett helt nytt lösenord"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(
        laptop.get("/profil").await.status,
        StatusCode::OK,
        "this browser stays logged in"
    );
    assert_eq!(phone.get("/profil").await.status, StatusCode::UNAUTHORIZED);
    let mut replay = Visitor::new(&app);
    replay.cookies = old_laptop_cookies;
    assert_eq!(
        replay.get("/profil").await.status,
        StatusCode::UNAUTHORIZED,
        "a new id, the old one ended"
    );
    assert_eq!(
        Visitor::new(&app)
            .log_in("anna@exempel.se", PASSWORD)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        Visitor::new(&app)
            .log_in("anna@exempel.se", "ett helt nytt lösenord")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn sessions_end_when_idle_or_old() {
    let app = TestApp::with(&[]).await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    anna.log_in("anna@exempel.se", PASSWORD).await;
    assert_eq!(anna.get("/profil").await.status, StatusCode::OK);
    execute(
        app.pool(),
        "UPDATE sessions SET seen_at = seen_at - 15 * 24 * 3600",
    )
    .await
    .unwrap();
    assert_eq!(
        anna.get("/profil").await.status,
        StatusCode::UNAUTHORIZED,
        "idle two weeks"
    );
    anna.log_in("anna@exempel.se", PASSWORD).await;
    assert_eq!(anna.get("/profil").await.status, StatusCode::OK);
    execute(
        app.pool(),
        "UPDATE sessions SET created_at = created_at - 31 * 24 * 3600",
    )
    .await
    .unwrap();
    assert_eq!(
        anna.get("/profil").await.status,
        StatusCode::UNAUTHORIZED,
        "older than 30 days"
    );
}

#[tokio::test]
async fn a_forgotten_password_link_works_once_and_for_an_hour() {
    let app = TestApp::with(&[]).await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    anna.log_in("anna@exempel.se", PASSWORD).await;
    // The same answer for an address without an account, and no mail to it.
    let unknown = Visitor::new(&app)
        .submit(
            "/glomt-losenord",
            "/glomt-losenord",
            &[("epost", "ingen@exempel.se")],
        )
        .await;
    let known = Visitor::new(&app)
        .submit(
            "/glomt-losenord",
            "/glomt-losenord",
            &[("epost", "anna@exempel.se")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(main_of(&unknown.body), main_of(&known.body));
    let mails = wait_for_mails(&app, "anna@exempel.se", 2).await;
    assert!(mails_to(&app, "ingen@exempel.se").is_empty());
    let link = path_of(&link_in(&mails[1], "/aterstall/"));
    // The token is stored only hashed.
    let token = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT count(*) FROM account_links WHERE purpose = 'aterstall'"
        )
        .await,
        1
    );
    let stored: Vec<String> = match app.pool() {
        hallbar::db::Db::Sqlite(p) => sqlx::query_scalar("SELECT token_hash FROM account_links")
            .fetch_all(p)
            .await
            .unwrap(),
        hallbar::db::Db::Postgres(p) => sqlx::query_scalar("SELECT token_hash FROM account_links")
            .fetch_all(p)
            .await
            .unwrap(),
    };
    assert!(!stored.contains(&token));
    // A weak password is refused and the link stays usable.
    let weak = Visitor::new(&app)
        .submit(&link, &link, &[("losenord", "password1")])
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.body.contains("för vanligt"), "{}", weak.body);
    let reset = Visitor::new(&app)
        .submit(&link, &link, &[("losenord", "ett nytt och långt lösenord")])
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
    // Every session ended; the new password works; the link does not again.
    assert_eq!(anna.get("/profil").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        Visitor::new(&app)
            .log_in("anna@exempel.se", "ett nytt och långt lösenord")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_link_invalid(&Visitor::new(&app).get(&link).await);
    // An expired link.
    Visitor::new(&app)
        .submit(
            "/glomt-losenord",
            "/glomt-losenord",
            &[("epost", "anna@exempel.se")],
        )
        .await;
    let mails = wait_for_mails(&app, "anna@exempel.se", 3).await;
    let link = path_of(&link_in(&mails[2], "/aterstall/"));
    assert_eq!(Visitor::new(&app).get(&link).await.status, StatusCode::OK);
    execute(
        app.pool(),
        "UPDATE account_links SET expires_at = expires_at - 3601",
    )
    .await
    .unwrap();
    assert_eq!(
        Visitor::new(&app).get(&link).await.status,
        StatusCode::NOT_FOUND
    );
    let late = Visitor::new(&app)
        .post(&link, &[("losenord", "ett annat långt lösenord")])
        .await;
    assert_eq!(
        late.status,
        StatusCode::FORBIDDEN,
        "no token from a page: refused before the link"
    );
}

#[tokio::test]
async fn mails_to_one_address_are_limited() {
    let app = TestApp::with(&[]).await;
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    for _ in 0..5 {
        let answer = Visitor::new(&app)
            .submit(
                "/glomt-losenord",
                "/glomt-losenord",
                &[("epost", "anna@exempel.se")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // One verification mail and two reset mails: three an hour.
    assert_eq!(mails_to(&app, "anna@exempel.se").len(), 3);
}

#[tokio::test]
async fn every_bad_input_is_said_at_its_field_and_stores_nothing() {
    let app = TestApp::with(&[]).await;
    let mut first = Visitor::new(&app);
    first
        .register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    let huge_name = "å".repeat(201);
    /// The fields sent, the field whose message is expected, and (part of) the message.
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![
                ("namn", ""),
                ("epost", "b@exempel.se"),
                ("losenord", PASSWORD),
                ("villkor", "ja"),
            ],
            "namn",
            "Skriv ditt namn",
        ),
        (
            vec![
                ("namn", &huge_name),
                ("epost", "b@exempel.se"),
                ("losenord", PASSWORD),
                ("villkor", "ja"),
            ],
            "namn",
            "högst 200 tecken",
        ),
        (
            vec![
                ("namn", "Bo"),
                ("epost", "bo@"),
                ("losenord", PASSWORD),
                ("villkor", "ja"),
            ],
            "epost",
            "giltig e-postadress",
        ),
        (
            vec![
                ("namn", "Bo"),
                ("epost", ""),
                ("losenord", PASSWORD),
                ("villkor", "ja"),
            ],
            "epost",
            "Skriv din e-postadress",
        ),
        (
            vec![
                ("namn", "Bo"),
                ("epost", "ANNA@exempel.se"),
                ("losenord", PASSWORD),
                ("villkor", "ja"),
            ],
            "epost",
            "Det finns redan ett konto",
        ),
        (
            vec![
                ("namn", "Bo"),
                ("epost", "bo@exempel.se"),
                ("losenord", "kort"),
                ("villkor", "ja"),
            ],
            "losenord",
            "minst 8 tecken",
        ),
        (
            vec![
                ("namn", "Bo"),
                ("epost", "bo@exempel.se"),
                ("losenord", "qwertyuiop"),
                ("villkor", "ja"),
            ],
            "losenord",
            "för vanligt",
        ),
        (
            vec![
                ("namn", "Bo"),
                ("epost", "bo@exempel.se"),
                ("losenord", PASSWORD),
            ],
            "villkor",
            "godkänna villkoren",
        ),
    ];
    for (fields, field, message) in cases {
        let answer = Visitor::new(&app)
            .submit("/registrera", "/registrera", &fields)
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}"
        );
        let at_field = between(&answer.body, &format!(r#"id="{field}-fel""#), "</p>");
        assert!(at_field.contains(message), "{field}: {at_field}");
        // What was typed is kept, never the password.
        let typed_name = fields
            .iter()
            .find(|(n, _)| *n == "namn")
            .map(|(_, v)| *v)
            .unwrap_or("");
        if !typed_name.is_empty() {
            assert!(
                answer.body.contains(&format!(r#"value="{typed_name}""#)),
                "{field}"
            );
        }
        assert!(!answer.body.contains(PASSWORD), "{field}");
    }
    // Script tags are text, not markup.
    let answer = Visitor::new(&app)
        .submit(
            "/registrera",
            "/registrera",
            &[
                ("namn", "<script>alert(1)</script>"),
                ("epost", "x@"),
                ("losenord", PASSWORD),
                ("villkor", "ja"),
            ],
        )
        .await;
    assert!(!answer.body.contains("<script>alert(1)"));
    assert!(
        answer
            .body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    // A body over the form limit.
    let mut huge = Visitor::new(&app);
    let token = csrf_of(&huge.get("/registrera").await.body);
    let big = "x".repeat(1024 * 1024 + 10);
    let answer = huge
        .post("/registrera", &[("namn", &big), ("csrf", &token)])
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer.body.contains("för stort"));
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM accounts").await,
        1
    );
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM members").await,
        1
    );
}

#[tokio::test]
async fn terms_and_privacy_are_pages() {
    let app = TestApp::with(&[]).await;
    assert_page(&app.get("/villkor").await, "/villkor");
    let privacy = app.get("/integritetspolicy").await;
    assert_page(&privacy, "/integritetspolicy");
    assert!(privacy.body.contains("argon2id"));
}

#[tokio::test]
async fn an_address_never_verified_is_free_again_a_week_later_and_old_rows_go() {
    let app = TestApp::with(&[]).await;
    let first = Visitor::new(&app)
        .submit(
            "/registrera",
            "/registrera",
            &[
                ("namn", "Någon Annan"),
                ("epost", "anna@exempel.se"),
                ("losenord", PASSWORD),
                ("villkor", "ja"),
            ],
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    // Within the week the address is taken.
    let again = Visitor::new(&app)
        .submit(
            "/registrera",
            "/registrera",
            &[
                ("namn", "Anna Lind"),
                ("epost", "anna@exempel.se"),
                ("losenord", PASSWORD),
                ("villkor", "ja"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A week and a second later (the link has expired) the owner can register.
    execute(
        app.pool(),
        "UPDATE accounts SET created_at = created_at - 7 * 24 * 3600 - 1",
    )
    .await
    .unwrap();
    execute(app.pool(), "UPDATE rate_events SET at = at - 7200")
        .await
        .unwrap();
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM accounts").await,
        1
    );
    // Sessions nobody will present again go at the next login.
    anna.log_in("anna@exempel.se", PASSWORD).await;
    execute(
        app.pool(),
        "UPDATE sessions SET seen_at = seen_at - 15 * 24 * 3600",
    )
    .await
    .unwrap();
    Visitor::new(&app).log_in("anna@exempel.se", PASSWORD).await;
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM sessions").await,
        1
    );
}
