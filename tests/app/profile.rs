//! A member's own pages end to end: editing the profile (in search in the same response),
//! the data export, deleting the account, and inviting an imported profile.

use axum::http::{StatusCode, header};
use serde_json::json;

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";

/// An app with an indexer, and Anna registered, verified and logged in.
async fn with_anna(values: &[serde_json::Value]) -> (TestApp, hallbar::indexer::IndexerHandle) {
    let mut app = TestApp::with(values).await;
    let indexer = app.start_indexer();
    (app, indexer)
}

async fn anna_logged_in(app: &TestApp) -> Visitor<'_> {
    let mut anna = Visitor::new(app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    let login = anna.log_in("anna@exempel.se", PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    anna
}

fn profile_fields<'a>(competences: &'a str, visibility: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("namn", "Anna Lind"),
        ("titel", "Områdesutvecklare"),
        ("organisation", "Göteborgs Stad"),
        ("sektor", "kommun"),
        ("stadsdel", "angered"),
        (
            "bakgrund",
            "Har lett **trygghetsvandringar** i Hammarkullen.\n\n<script>alert(1)</script>",
        ),
        ("kompetenser", competences),
        ("intressen", "stadsodling"),
        (
            "lankar",
            "Min blogg https://exempel.se/blogg\nhttps://exempel.se/cv",
        ),
        ("synlighet", visibility),
    ]
}

#[tokio::test]
async fn a_saved_profile_is_in_search_in_the_same_response() {
    let (app, indexer) = with_anna(&[member_json("bo")]).await;
    let mut anna = anna_logged_in(&app).await;
    let form = anna.get("/profil/redigera").await;
    assert_eq!(form.status, StatusCode::OK);
    for label in [
        "Namn",
        "Titel",
        "Organisation",
        "Sektor",
        "Stadsdel",
        "Bakgrund",
        "Kompetenser",
        "Intressen",
        "Länkar",
    ] {
        assert!(form.body.contains(&format!(">{label}")), "{label}");
    }
    assert!(form.body.contains(r#"value="Anna Lind""#));
    assert!(form.body.contains("kompetenser.js") || form.body.contains("/static/kompetenser-"));
    let saved = anna
        .submit(
            "/profil/redigera",
            "/profil/redigera",
            &profile_fields(
                " medborgardialog ,Medborgardialog,  Trygghetsvandringar  i  nordost",
                "publik",
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.headers[header::LOCATION], "/profil?sparad=1");
    // One competence however it was typed, inner spaces collapsed.
    let mut conn = app.pool().acquire().await.unwrap();
    let anna_row = hallbar::db::members::get(&mut conn, "anna-lind")
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    assert_eq!(
        anna_row.competences,
        vec!["medborgardialog", "Trygghetsvandringar i nordost"]
    );
    assert_eq!(anna_row.links.len(), 2);
    assert_eq!(anna_row.links[0].title, "Min blogg");
    // In search at once, for a visitor too (the profile is public now).
    let hits = anna.get("/sok?q=trygghetsvandringar+nordost").await;
    assert!(hits.body.contains("Anna Lind"), "{}", main_of(&hits.body));
    let public = app.get("/medlemmar/anna-lind").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Områdesutvecklare"));
    assert!(
        !public.body.contains("<script>alert(1)"),
        "the background is sanitized"
    );
    // Back to members only: gone for visitors.
    anna.submit(
        "/profil/redigera",
        "/profil/redigera",
        &profile_fields("medborgardialog", "medlemmar"),
    )
    .await;
    assert_eq!(
        app.get("/medlemmar/anna-lind").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !app.get("/sok?q=Anna+Lind")
            .await
            .body
            .contains("/medlemmar/anna-lind")
    );
    assert!(!app.get("/sitemap.xml").await.body.contains("anna-lind"));
    let (_, api) = app.get_json("/api/v1/sok?q=Anna+Lind").await;
    assert!(!api.to_string().contains("anna-lind"), "{api}");
    assert!(
        anna.get("/sok?q=Anna+Lind")
            .await
            .body
            .contains("/medlemmar/anna-lind")
    );
    indexer.stop().await;
}

#[tokio::test]
async fn bad_profile_input_is_said_at_its_field_and_changes_nothing() {
    let (app, indexer) = with_anna(&[]).await;
    let mut anna = anna_logged_in(&app).await;
    let many: String = (0..51)
        .map(|i| format!("kompetens {i}"))
        .collect::<Vec<_>>()
        .join(",");
    let long = "x".repeat(50_001);
    let cases: Vec<(&str, &str, &str)> = vec![
        ("namn", "", "Skriv ditt namn"),
        ("sektor", "kyrkan", "Välj en sektor"),
        ("stadsdel", "stockholm", "Välj en stadsdel"),
        ("synlighet", "alla", "Välj vem som får se profilen"),
        ("kompetenser", &many, "högst 50"),
        ("lankar", "javascript:alert(1)", "https://"),
        ("bakgrund", &long, "högst 50000"),
    ];
    for (field, value, message) in cases {
        let mut fields = profile_fields("medborgardialog", "publik");
        fields.retain(|(n, _)| *n != field);
        fields.push((field, value));
        let answer = anna
            .submit("/profil/redigera", "/profil/redigera", &fields)
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let at_field = between(&answer.body, &format!(r#"id="{field}-fel""#), "</p>");
        assert!(at_field.contains(message), "{field}: {at_field}");
        assert!(
            answer.body.contains("Områdesutvecklare"),
            "what was typed is kept"
        );
    }
    let mut conn = app.pool().acquire().await.unwrap();
    let row = hallbar::db::members::get(&mut conn, "anna-lind")
        .await
        .unwrap()
        .unwrap();
    assert!(row.title.is_empty(), "nothing was saved");
    indexer.stop().await;
}

#[tokio::test]
async fn one_can_only_edit_ones_own_profile() {
    let (app, indexer) = with_anna(&[member_json("bo")]).await;
    let mut anna = anna_logged_in(&app).await;
    let mut fields = profile_fields("medborgardialog", "publik");
    fields.push(("id", "bo"));
    anna.submit("/profil/redigera", "/profil/redigera", &fields)
        .await;
    let mut conn = app.pool().acquire().await.unwrap();
    let bo = hallbar::db::members::get(&mut conn, "bo")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(bo.name, "Namn bo");
    for other in ["/medlemmar/bo/redigera", "/profil/redigera/bo"] {
        assert_eq!(
            anna.get(other).await.status,
            StatusCode::NOT_FOUND,
            "{other}"
        );
    }
    // Visitors are sent to log in.
    for page in [
        "/profil",
        "/profil/redigera",
        "/profil/losenord",
        "/profil/data",
        "/profil/radera",
    ] {
        let answer = app.get(page).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{page}");
        assert!(answer.body.contains("/logga-in?tillbaka="), "{page}");
    }
    indexer.stop().await;
}

#[tokio::test]
async fn the_data_export_holds_everything_about_the_member() {
    let (app, indexer) = with_anna(&[]).await;
    let mut anna = anna_logged_in(&app).await;
    let answer = anna.get("/profil/data").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("application/json"));
    assert!(
        answer.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let data = answer.json();
    assert_eq!(data["konto"]["epost"], "anna@exempel.se");
    assert_eq!(data["profil"]["namn"], "Anna Lind");
    assert_eq!(data["inloggningar"].as_array().unwrap().len(), 1);
    assert!(
        !answer.body.contains("argon2"),
        "no password hash in the export"
    );
    assert!(
        !answer
            .body
            .contains(&anna.cookies["__Host-hallbar_session"])
    );
    indexer.stop().await;
}

#[tokio::test]
async fn a_deleted_account_is_gone_everywhere_in_the_same_response() {
    let mut pivi = pivi_json("laxhjalp", Some("bo"));
    pivi["kontakt"]["namn"] = json!("Namn bo");
    let (app, indexer) = with_anna(&[member_json("bo"), pivi]).await;
    // Bo is an imported profile: invited, he chooses a password through the mailed link.
    let sent = hallbar::accounts::invite(
        app.pool(),
        &app.state.mailer,
        &app.state.config,
        "bo",
        "Bo@Exempel.se",
    )
    .await
    .unwrap();
    assert_eq!(sent, "Bo@Exempel.se");
    let link = mailed_link(&app, "bo@exempel.se", "/aterstall/").await;
    let path = link.strip_prefix(SITE).unwrap().to_string();
    let mut bo = Visitor::new(&app);
    let page = bo.get(&path).await;
    assert!(page.body.contains("Välj ett lösenord"), "{}", page.body);
    let chosen = bo.submit(&path, &path, &[("losenord", PASSWORD)]).await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.body);
    assert_eq!(
        bo.log_in("bo@exempel.se", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        app.get("/pivi/laxhjalp")
            .await
            .body
            .contains(r#"href="/medlemmar/bo""#)
    );
    assert!(
        app.get("/sok?q=Namn+bo")
            .await
            .body
            .contains("/medlemmar/bo")
    );

    let wrong = bo
        .submit(
            "/profil/radera",
            "/profil/radera",
            &[("losenord", "inte mitt lösenord")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Lösenordet stämmer inte"));
    let deleted = bo
        .submit(
            "/profil/radera",
            "/profil/radera",
            &[("losenord", PASSWORD)],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    assert!(deleted.body.contains("Ditt konto är raderat"));
    assert!(!deleted.body.contains(">Logga ut</button>"));
    // Gone at once: search, suggestions, facets, profile, pivi contact link, sitemap, API.
    assert!(
        !app.get("/sok?q=Namn+bo")
            .await
            .body
            .contains("/medlemmar/bo")
    );
    assert!(
        !app.get("/medlemmar?kompetens=medborgardialog")
            .await
            .body
            .contains("/medlemmar/bo")
    );
    assert_eq!(app.get("/medlemmar/bo").await.status, StatusCode::NOT_FOUND);
    assert!(
        !app.get("/pivi/laxhjalp")
            .await
            .body
            .contains(r#"href="/medlemmar/bo""#)
    );
    assert!(!app.get("/sitemap.xml").await.body.contains("/medlemmar/bo"));
    let (_, api) = app.get_json("/api/v1/sok?q=Namn+bo").await;
    assert!(!api.to_string().contains("/medlemmar/bo"), "{api}");
    assert_eq!(bo.get("/profil").await.status, StatusCode::UNAUTHORIZED);
    for table in [
        "SELECT count(*) FROM accounts",
        "SELECT count(*) FROM sessions",
        "SELECT count(*) FROM members",
    ] {
        assert_eq!(fetch_number(app.pool(), table).await, 0, "{table}");
    }
    assert_eq!(
        Visitor::new(&app)
            .log_in("bo@exempel.se", PASSWORD)
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    indexer.stop().await;
}

#[tokio::test]
async fn an_invitation_is_refused_for_unknown_members_taken_addresses_and_members_with_passwords() {
    let (app, indexer) = with_anna(&[member_json("bo")]).await;
    let _anna = anna_logged_in(&app).await;
    let invite = |member: &'static str, email: &'static str| {
        hallbar::accounts::invite(
            app.pool(),
            &app.state.mailer,
            &app.state.config,
            member,
            email,
        )
    };
    assert!(
        invite("ingen", "x@exempel.se")
            .await
            .unwrap_err()
            .to_string()
            .contains("ingen medlem")
    );
    assert!(invite("bo", "x@").await.is_err());
    assert!(
        invite("bo", "ANNA@exempel.se")
            .await
            .unwrap_err()
            .to_string()
            .contains("används redan")
    );
    assert!(
        invite("anna-lind", "ny@exempel.se")
            .await
            .unwrap_err()
            .to_string()
            .contains("redan ett konto")
    );
    // Inviting again renews the link (the old one stops working).
    invite("bo", "bo@exempel.se").await.unwrap();
    let first = mailed_link(&app, "bo@exempel.se", "/aterstall/").await;
    invite("bo", "bo@exempel.se").await.unwrap();
    let mails = wait_for_mails(&app, "bo@exempel.se", 2).await;
    let second = link_in(&mails[1], "/aterstall/");
    assert_ne!(first, second);
    assert_eq!(
        Visitor::new(&app)
            .get(first.strip_prefix(SITE).unwrap())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        Visitor::new(&app)
            .get(second.strip_prefix(SITE).unwrap())
            .await
            .status,
        StatusCode::OK
    );
    indexer.stop().await;
}
