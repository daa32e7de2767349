//! Groups and membership end to end: creating a group (in search at once), joining and
//! leaving, applying to closed groups, roles, ownership passing on, who sees what, and
//! bad input.

use axum::http::{StatusCode, header};
use hallbar::db::group_members::Role;

use crate::support::*;

/// Opens `page` as the app's current viewer and submits its form to `action`.
async fn act(app: &TestApp, page: &str, action: &str, fields: &[(&str, &str)]) -> Answer {
    Visitor::new(app).submit(page, action, fields).await
}

async fn role(app: &TestApp, group: &str, member: &str) -> Option<Role> {
    let mut conn = app.pool().acquire().await.unwrap();
    hallbar::db::group_members::role(&mut conn, group, member)
        .await
        .unwrap()
}

async fn group_exists(app: &TestApp, group: &str) -> bool {
    let mut conn = app.pool().acquire().await.unwrap();
    hallbar::db::groups::exists(&mut conn, group).await.unwrap()
}

fn new_group<'a>(name: &'a str, description: &'a str, access: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("namn", name),
        ("beskrivning", description),
        ("tillgang", access),
        ("stadsdel", "angered"),
        ("amnen", "Läxhjälp, trygghet"),
    ]
}

#[tokio::test]
async fn a_new_group_is_in_search_in_the_same_response_and_its_creator_owns_it() {
    let mut app = TestApp::with(&[member_json("anna")]).await;
    let _indexer = app.start_indexer();
    // Visitors are sent to the login page.
    let answer = app.get("/grupper/ny").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(answer.body.contains("Logga in"), "{}", answer.body);

    app.log_in("anna").await;
    let form = assert_page(&app.get("/grupper/ny").await, "/grupper/ny");
    for label in [
        "Namn",
        "Beskrivning",
        "Öppen",
        "Stängd",
        "Stadsdel",
        "Ämnen",
    ] {
        assert!(form.contains(&format!(">{label}")), "{label}: {form}");
    }
    assert!(form.contains("Skapa grupp</button>"), "{form}");
    let created = act(
        &app,
        "/grupper/ny",
        "/grupper/ny",
        &new_group(
            "Läxhjälp i Hjällbo",
            "Vi ordnar läxhjälp för unga.",
            "stangd",
        ),
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(
        created.headers[header::LOCATION],
        "/grupper/laxhjalp-i-hjallbo?klart=skapad"
    );
    assert_eq!(
        role(&app, "laxhjalp-i-hjallbo", "anna").await,
        Some(Role::Owner)
    );
    let page = app.get("/grupper/laxhjalp-i-hjallbo?klart=skapad").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Gruppen är skapad"), "{}", page.body);
    assert!(page.body.contains("Stängd grupp"));
    assert!(page.body.contains("Nordost") || page.body.contains("Angered"));
    assert!(page.body.contains("Läxhjälp, trygghet"), "{}", page.body);
    assert!(page.body.contains("(ägare)"), "{}", page.body);
    // In search at once, for everyone: a group's name and description are public.
    let list = app.get("/grupper?q=läxhjälp").await.body;
    assert!(list.contains("Läxhjälp i Hjällbo"), "{list}");
    app.log_out();
    let list = app.get("/grupper?q=läxhjälp").await.body;
    assert!(list.contains("Läxhjälp i Hjällbo"), "{list}");
    assert!(list.contains("Stängd grupp · 1 medlem"), "{list}");

    // The same name again gets a number; a route word is never an id.
    app.log_in("anna").await;
    let again = act(
        &app,
        "/grupper/ny",
        "/grupper/ny",
        &new_group("Läxhjälp i Hjällbo", "En till.", "oppen"),
    )
    .await;
    assert_eq!(
        again.headers[header::LOCATION],
        "/grupper/laxhjalp-i-hjallbo-2?klart=skapad"
    );
    let reserved = act(
        &app,
        "/grupper/ny",
        "/grupper/ny",
        &new_group("Ny", "Om nytt.", "oppen"),
    )
    .await;
    assert_eq!(
        reserved.headers[header::LOCATION],
        "/grupper/ny-2?klart=skapad"
    );
}

/// A form's fields, the field whose message is expected, and the message.
type BadInput<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);

#[tokio::test]
async fn bad_input_shows_the_form_again_and_creates_nothing() {
    let mut app = TestApp::with(&[member_json("anna")]).await;
    app.log_in("anna").await;
    let long_name = "x".repeat(201);
    let long_description = "y".repeat(5_001);
    let cases: Vec<BadInput> = vec![
        (
            new_group("  ", "Om oss.", "oppen"),
            "namn",
            "Skriv gruppens namn",
        ),
        (
            new_group(&long_name, "Om oss.", "oppen"),
            "namn",
            "högst 200 tecken",
        ),
        (
            new_group("Grupp", " ", "oppen"),
            "beskrivning",
            "Skriv en beskrivning",
        ),
        (
            new_group("Grupp", &long_description, "oppen"),
            "beskrivning",
            "högst 5",
        ),
        (
            new_group("Grupp", "Om oss.", "halvoppen"),
            "tillgang",
            "öppen eller stängd",
        ),
        (
            vec![
                ("namn", "Grupp"),
                ("beskrivning", "Om oss."),
                ("tillgang", "oppen"),
                ("stadsdel", "molndal"),
            ],
            "stadsdel",
            "Välj en stadsdel",
        ),
    ];
    for (fields, field, message) in cases {
        let answer = act(&app, "/grupper/ny", "/grupper/ny", &fields).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(answer.body.contains(message), "{field}: {}", answer.body);
        assert!(
            answer.body.contains(&format!(r#"id="{field}-fel""#)),
            "{field}"
        );
        assert!(answer.body.contains("Formuläret har fel"));
    }
    // What was typed comes back.
    let answer = act(
        &app,
        "/grupper/ny",
        "/grupper/ny",
        &new_group("", "Vår beskrivning", "stangd"),
    )
    .await;
    assert!(
        answer.body.contains(">Vår beskrivning</textarea>"),
        "{}",
        answer.body
    );
    assert!(
        answer.body.contains(r#"value="stangd" checked"#),
        "{}",
        answer.body
    );
    let mut conn = app.pool().acquire().await.unwrap();
    assert!(
        hallbar::db::groups::list(&mut conn)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn members_join_and_leave_an_open_group_and_see_their_groups_first() {
    let mut app = TestApp::with(&[
        member_json("anna"),
        member_json("bo"),
        group_json("oppen", "anna", &["anna"], "oppen"),
        group_json("annan", "anna", &["anna"], "oppen"),
        thread_json("t1", "oppen", &[("anna", "Välkomna!")]),
    ])
    .await;
    // Visitors see the group but not its discussions or members.
    let page = app.get("/grupper/oppen").await.body;
    assert!(page.contains("Grupp oppen"));
    assert!(!page.contains("Tråd t1"), "{page}");
    assert!(!page.contains("Namn anna"), "{page}");
    assert!(!page.contains("Gå med</button>"));

    app.log_in("bo").await;
    let page = app.get("/grupper/oppen").await;
    assert_eq!(page.cache_control, "no-store");
    assert!(
        page.body
            .contains(r#"<a href="/grupper/oppen/t1">Tråd t1</a>"#),
        "{}",
        page.body
    );
    assert!(page.body.contains("Namn anna"));
    assert!(page.body.contains("Gå med</button>"));
    let list = app.get("/grupper").await;
    assert_eq!(list.cache_control, "no-store");
    assert!(
        list.body.contains("Du är inte med i någon grupp ännu."),
        "{}",
        list.body
    );

    let joined = act(
        &app,
        "/grupper/oppen",
        "/grupper/oppen/medlemskap/ga-med",
        &[],
    )
    .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    assert_eq!(role(&app, "oppen", "bo").await, Some(Role::Member));
    let page = app.get("/grupper/oppen?klart=gick-med").await.body;
    assert!(page.contains("Du är nu medlem i gruppen."));
    assert!(page.contains("Lämna gruppen</button>"));
    assert!(page.contains("Namn bo"));
    // "Mina grupper" comes first and holds only their own groups.
    let list = app.get("/grupper").await.body;
    let mine = list
        .find("<h2 id=\"mina-grupper\">Mina grupper</h2>")
        .expect("Mina grupper");
    let all = list.find("Alla grupper").unwrap();
    assert!(mine < all);
    let own = &list[mine..all];
    assert!(
        own.contains("Grupp oppen") && !own.contains("Grupp annan"),
        "{own}"
    );
    assert!(
        own.contains("Öppen grupp · 2 medlemmar · senaste aktivitet 2 april 2014"),
        "{own}"
    );

    let left = act(
        &app,
        "/grupper/oppen",
        "/grupper/oppen/medlemskap/lamna",
        &[],
    )
    .await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    assert_eq!(role(&app, "oppen", "bo").await, None);
    // Leaving again, or a group that does not exist.
    let again = act(
        &app,
        "/grupper/oppen",
        "/grupper/oppen/medlemskap/lamna",
        &[],
    )
    .await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(again.body.contains("<h1>"), "{}", again.body);
    let missing = act(
        &app,
        "/grupper/oppen",
        "/grupper/finns-inte/medlemskap/ga-med",
        &[],
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/grupper/finns-inte").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_closed_group_takes_applications_that_its_owner_or_moderators_answer() {
    let mut app = TestApp::with(&[
        member_json("anna"),
        member_json("bo"),
        member_json("cia"),
        member_json("dan"),
        group_json("stangd", "anna", &["anna", "dan"], "stangd"),
        thread_json("hemlig", "stangd", &[("anna", "Hemlig plan för Hjällbo.")]),
    ])
    .await;
    // Outsiders see the name but neither discussions nor members, and cannot join directly.
    app.log_in("bo").await;
    let page = app.get("/grupper/stangd").await.body;
    assert!(page.contains("Grupp stangd"));
    assert!(
        !page.contains("Tråd hemlig") && !page.contains("Namn anna"),
        "{page}"
    );
    assert!(page.contains("Ansök om medlemskap</button>"));
    assert!(page.contains(">Meddelande"));
    assert!(!page.contains("Gå med</button>"));
    let direct = act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/ga-med",
        &[],
    )
    .await;
    assert_eq!(direct.status, StatusCode::FORBIDDEN);
    assert_eq!(role(&app, "stangd", "bo").await, None);

    let long = "m".repeat(1_001);
    let too_long = act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/ansok",
        &[("meddelande", &long)],
    )
    .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.body.contains("högst 1"), "{}", too_long.body);
    let applied = act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/ansok",
        &[("meddelande", "Jag arbetar i Hjällbo.")],
    )
    .await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
    let twice = act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/ansok",
        &[("meddelande", "Igen")],
    )
    .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("Du har redan ansökt"), "{}", twice.body);
    assert!(twice.body.contains(">Igen</textarea>"));

    app.log_in("cia").await;
    act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/ansok",
        &[("meddelande", "")],
    )
    .await;

    // A plain member may not answer; the owner sees the requests.
    app.log_in("dan").await;
    let page = app.get("/grupper/stangd").await.body;
    assert!(page.contains("Tråd hemlig"), "{page}");
    assert!(!page.contains("Godkänn"));
    let refused = act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/bo/godkann",
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    app.log_in("bo").await;
    let outsider = act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/bo/godkann",
        &[],
    )
    .await;
    assert_eq!(outsider.status, StatusCode::FORBIDDEN);
    assert_eq!(role(&app, "stangd", "bo").await, None);

    app.log_in("anna").await;
    let page = app.get("/grupper/stangd").await.body;
    assert!(page.contains("Jag arbetar i Hjällbo."), "{page}");
    assert!(
        page.contains("Godkänn<span class=\"visually-hidden\"> Namn bo</span>"),
        "{page}"
    );
    assert!(page.contains("Avslå"));
    let approved = act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/bo/godkann",
        &[],
    )
    .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert_eq!(role(&app, "stangd", "bo").await, Some(Role::Member));
    let declined = act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/cia/avsla",
        &[],
    )
    .await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER);
    assert_eq!(role(&app, "stangd", "cia").await, None);
    // An answered request is gone.
    let gone = act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/cia/godkann",
        &[],
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    // A moderator answers too.
    act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/dan/moderator",
        &[],
    )
    .await;
    app.log_in("cia").await;
    act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/ansok",
        &[("meddelande", "Snälla")],
    )
    .await;
    app.log_in("dan").await;
    let by_moderator = act(
        &app,
        "/grupper/stangd",
        "/grupper/stangd/medlemskap/cia/godkann",
        &[],
    )
    .await;
    assert_eq!(by_moderator.status, StatusCode::SEE_OTHER);
    assert_eq!(role(&app, "stangd", "cia").await, Some(Role::Member));
}

#[tokio::test]
async fn the_owner_hands_over_appoints_moderators_and_removes_members() {
    let mut app = TestApp::with(&[
        member_json("anna"),
        member_json("bo"),
        member_json("cia"),
        group_json("g", "anna", &["anna", "bo", "cia"], "oppen"),
    ])
    .await;
    app.log_in("bo").await;
    let page = app.get("/grupper/g").await.body;
    assert!(!page.contains("Gör till moderator"));
    let refused = act(
        &app,
        "/grupper/g",
        "/grupper/g/medlemskap/cia/moderator",
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(role(&app, "g", "cia").await, Some(Role::Member));

    app.log_in("anna").await;
    let page = app.get("/grupper/g").await.body;
    for button in ["Gör till ägare", "Gör till moderator", "Ta bort ur gruppen"] {
        assert!(page.contains(button), "{button}: {page}");
    }
    let made = act(
        &app,
        "/grupper/g",
        "/grupper/g/medlemskap/bo/moderator",
        &[],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    assert_eq!(role(&app, "g", "bo").await, Some(Role::Moderator));
    let page = app.get("/grupper/g").await.body;
    assert!(page.contains("Namn bo</a> (moderator)"), "{page}");
    assert!(page.contains("Ta bort som moderator"));
    act(
        &app,
        "/grupper/g",
        "/grupper/g/medlemskap/bo/ta-bort-moderator",
        &[],
    )
    .await;
    assert_eq!(role(&app, "g", "bo").await, Some(Role::Member));
    // The owner cannot be removed, nor can someone outside the group be.
    let owner = act(
        &app,
        "/grupper/g",
        "/grupper/g/medlemskap/anna/ta-bort",
        &[],
    )
    .await;
    assert_eq!(owner.status, StatusCode::FORBIDDEN);
    assert_eq!(role(&app, "g", "anna").await, Some(Role::Owner));
    let stranger = act(
        &app,
        "/grupper/g",
        "/grupper/g/medlemskap/saknas/ta-bort",
        &[],
    )
    .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);
    let removed = act(&app, "/grupper/g", "/grupper/g/medlemskap/cia/ta-bort", &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(role(&app, "g", "cia").await, None);
    let handed = act(&app, "/grupper/g", "/grupper/g/medlemskap/bo/agare", &[]).await;
    assert_eq!(handed.status, StatusCode::SEE_OTHER);
    assert_eq!(role(&app, "g", "bo").await, Some(Role::Owner));
    assert_eq!(role(&app, "g", "anna").await, Some(Role::Moderator));
    let mut conn = app.pool().acquire().await.unwrap();
    let group = hallbar::db::groups::get(&mut conn, "g")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(group.created_by.as_str(), "bo");
    drop(conn);
    // Anna is no longer the owner.
    let no_longer = act(&app, "/grupper/g", "/grupper/g/medlemskap/bo/ta-bort", &[]).await;
    assert_eq!(no_longer.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_owners_group_passes_on_when_they_leave_and_goes_when_nobody_is_left() {
    let mut app = TestApp::with(&[
        member_json("anna"),
        member_json("adam"),
        member_json("ylva"),
        member_json("zack"),
        group_json("g", "anna", &["anna", "ylva", "zack"], "oppen"),
        group_json("ensam", "anna", &["anna"], "stangd"),
    ])
    .await;
    // Adam joins later than Ylva: Ylva has been a member longest.
    app.log_in("adam").await;
    act(&app, "/grupper/g", "/grupper/g/medlemskap/ga-med", &[]).await;
    app.log_in("anna").await;
    let left = act(&app, "/grupper/g", "/grupper/g/medlemskap/lamna", &[]).await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    assert_eq!(role(&app, "g", "ylva").await, Some(Role::Owner));
    assert_eq!(role(&app, "g", "anna").await, None);

    // A moderator comes before longer-standing members.
    app.log_in("ylva").await;
    act(
        &app,
        "/grupper/g",
        "/grupper/g/medlemskap/adam/moderator",
        &[],
    )
    .await;
    act(&app, "/grupper/g", "/grupper/g/medlemskap/lamna", &[]).await;
    assert_eq!(role(&app, "g", "adam").await, Some(Role::Owner));
    assert_eq!(role(&app, "g", "zack").await, Some(Role::Member));

    // The last member leaving deletes the group.
    app.log_in("anna").await;
    let last = act(
        &app,
        "/grupper/ensam",
        "/grupper/ensam/medlemskap/lamna",
        &[],
    )
    .await;
    assert_eq!(last.status, StatusCode::SEE_OTHER);
    assert_eq!(last.headers[header::LOCATION], "/grupper");
    assert!(!group_exists(&app, "ensam").await);
    assert_eq!(
        app.get("/grupper/ensam").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_deleted_owner_account_leaves_the_group_to_the_longest_standing_moderator() {
    let mut app = TestApp::with(&[
        member_json("anna"),
        member_json("bo"),
        member_json("cia"),
        group_json("g", "anna", &["anna", "bo", "cia"], "stangd"),
        group_json("ensam", "anna", &["anna"], "oppen"),
        thread_json("t", "ensam", &[("anna", "Bara jag här.")]),
    ])
    .await;
    let _indexer = app.start_indexer();
    app.log_in("anna").await;
    act(
        &app,
        "/grupper/g",
        "/grupper/g/medlemskap/cia/moderator",
        &[],
    )
    .await;
    let mut change = app.state.writes().begin().await.unwrap();
    hallbar::db::members::delete(&mut change, "anna")
        .await
        .unwrap();
    let committed = change.commit().await.unwrap();
    assert!(
        committed
            .searchable(std::time::Duration::from_secs(5))
            .await
    );
    assert_eq!(role(&app, "g", "cia").await, Some(Role::Owner));
    assert_eq!(role(&app, "g", "bo").await, Some(Role::Member));
    let mut conn = app.pool().acquire().await.unwrap();
    let group = hallbar::db::groups::get(&mut conn, "g")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(group.created_by.as_str(), "cia");
    drop(conn);
    // A group nobody is left in goes, with its discussions, from search too.
    assert!(!group_exists(&app, "ensam").await);
    app.log_in("bo").await;
    let (_, found) = app.get_json("/api/v1/sok?q=grupp").await;
    let ids: Vec<&str> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"g") && !ids.contains(&"ensam"), "{found}");
    let (_, threads) = app.get_json("/api/v1/sok?typ=diskussion").await;
    assert_eq!(threads["total"], 0, "{threads}");
}

const PASSWORD: &str = "en lång mening om Hammarkullen";

#[tokio::test]
async fn leaving_a_closed_group_takes_its_content_away_at_once() {
    let mut app = TestApp::with(&[]).await;
    let _indexer = app.start_indexer();
    let mut anna = Visitor::new(&app);
    anna.register("Anna Lind", "anna@exempel.se", PASSWORD)
        .await;
    anna.log_in("anna@exempel.se", PASSWORD).await;
    let created = anna
        .submit(
            "/grupper/ny",
            "/grupper/ny",
            &new_group("Hemliga rådet", "Ett slutet råd.", "stangd"),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let mut change = app.state.writes().begin().await.unwrap();
    hallbar::db::threads::upsert(
        &mut change,
        &thread(
            "plan",
            "hemliga-radet",
            &[("anna-lind", "Vår hemliga plan för läxhjälp.")],
        ),
    )
    .await
    .unwrap();
    change
        .commit()
        .await
        .unwrap()
        .searchable(std::time::Duration::from_secs(5))
        .await;

    let mut bo = Visitor::new(&app);
    bo.register("Bo Ek", "bo@exempel.se", PASSWORD).await;
    bo.log_in("bo@exempel.se", PASSWORD).await;
    let thread_hits = |body: &str| body.contains("Tråd plan");
    assert!(!thread_hits(&bo.get("/sok?q=läxhjälp").await.body));
    bo.submit(
        "/grupper/hemliga-radet",
        "/grupper/hemliga-radet/medlemskap/ansok",
        &[("meddelande", "Hej")],
    )
    .await;
    let approved = anna
        .submit(
            "/grupper/hemliga-radet",
            "/grupper/hemliga-radet/medlemskap/bo-ek/godkann",
            &[],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    // The next request sees the new membership.
    assert!(thread_hits(&bo.get("/sok?q=läxhjälp").await.body));
    assert!(
        bo.get("/grupper/hemliga-radet")
            .await
            .body
            .contains("Tråd plan")
    );
    let left = bo
        .submit(
            "/grupper/hemliga-radet",
            "/grupper/hemliga-radet/medlemskap/lamna",
            &[],
        )
        .await;
    assert_eq!(left.status, StatusCode::SEE_OTHER);
    assert!(!thread_hits(&bo.get("/sok?q=läxhjälp").await.body));
    let page = bo.get("/grupper/hemliga-radet").await.body;
    assert!(
        !page.contains("Tråd plan") && page.contains("Hemliga rådet"),
        "{page}"
    );
    // Visitors see the group's name and description, never its content.
    let mut visitor = Visitor::new(&app);
    let list = visitor.get("/grupper").await.body;
    assert!(
        list.contains("Hemliga rådet") && list.contains("Ett slutet råd."),
        "{list}"
    );
    assert!(!thread_hits(&visitor.get("/sok?q=läxhjälp").await.body));
    assert!(
        !visitor
            .get("/grupper/hemliga-radet")
            .await
            .body
            .contains("Tråd plan")
    );
}

#[tokio::test]
async fn imported_members_are_members_and_the_creator_owns_the_group() {
    let app = TestApp::with(&[
        member_json("anna"),
        member_json("bo"),
        member_json("cia"),
        group_json("g", "anna", &["anna", "bo", "cia"], "stangd"),
    ])
    .await;
    assert_eq!(role(&app, "g", "anna").await, Some(Role::Owner));
    assert_eq!(role(&app, "g", "bo").await, Some(Role::Member));
    let mut conn = app.pool().acquire().await.unwrap();
    hallbar::db::group_members::set_moderator(&mut conn, "g", "cia", true)
        .await
        .unwrap();
    // Imported again with another creator: who stays keeps their role, the old owner is a
    // member, and district and topics come along.
    let mut again = group_json("g", "bo", &["anna", "bo", "cia"], "stangd");
    again["stadsdel"] = serde_json::json!("angered");
    again["amnen"] = serde_json::json!(["läxhjälp"]);
    drop(conn);
    import(app.pool(), &[again]).await;
    assert_eq!(role(&app, "g", "bo").await, Some(Role::Owner));
    assert_eq!(role(&app, "g", "anna").await, Some(Role::Member));
    assert_eq!(role(&app, "g", "cia").await, Some(Role::Moderator));
    let mut conn = app.pool().acquire().await.unwrap();
    let group = hallbar::db::groups::get(&mut conn, "g")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(group.topics, ["läxhjälp"]);
    assert_eq!(group.district.map(|d| d.slug()), Some("angered"));
    let exported = serde_json::to_value(&group).unwrap();
    assert_eq!(exported["stadsdel"], "angered");
    let plain = hallbar::db::groups::summaries(&mut conn).await.unwrap();
    assert_eq!(plain[0].members, 3);
}
