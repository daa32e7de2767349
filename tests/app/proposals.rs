//! Members' proposals end to end: "Tipsa om ett projekt" and "Föreslå en ändring", the
//! editors' queue by model, accepting (the proposer credited and offered as contact),
//! editing first, declining with a reason, the proposer's notifications, and bad input.

use axum::http::StatusCode;

use crate::editing::{app, hidden, make_admin, make_editor, member, pivi_form};
use crate::support::*;

/// The fields of a member's new-project form (no address, no date).
fn project(title: &str) -> Vec<(&'static str, String)> {
    let mut fields = pivi_form(title, "Vi lagar cyklar ihop varje lördag.");
    fields.retain(|(n, _)| *n != "publicerad");
    fields.push(("meddelande", "Jag var där i våras.".to_string()));
    fields
}

fn article_fields(title: &str, text: &str) -> Vec<(&'static str, String)> {
    vec![
        ("titel", title.to_string()),
        ("ingress", "Om broar.".to_string()),
        ("text", text.to_string()),
        ("forfattare", "Redaktionen".to_string()),
        ("celler", "mellanrum/trygghet".to_string()),
        ("taggar", "barriärer".to_string()),
        ("stadsdel", "hela-staden".to_string()),
    ]
}

async fn propose(who: &mut Visitor<'_>, page: &str, fields: &[(&str, String)]) -> Answer {
    crate::editing::save(who, page, fields, "publicera").await
}

/// The waiting proposal ids, oldest first.
async fn waiting(app: &TestApp) -> Vec<i64> {
    let n = fetch_number(
        app.pool(),
        "SELECT count(*) FROM proposals WHERE status = 'vantar'",
    )
    .await;
    let mut ids = Vec::new();
    if n > 0 {
        let max = fetch_number(
            app.pool(),
            "SELECT max(id) FROM proposals WHERE status = 'vantar'",
        )
        .await;
        let min = fetch_number(
            app.pool(),
            "SELECT min(id) FROM proposals WHERE status = 'vantar'",
        )
        .await;
        ids = (min..=max).collect();
    }
    ids
}

#[tokio::test]
async fn a_members_project_tip_is_accepted_with_the_member_as_contact_and_credited() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut cilla = member(&app, "Cilla Berg").await;
    make_editor(&app, "cilla-berg", "pivi").await;
    let mut erik = member(&app, "Erik Holm").await;
    make_editor(&app, "erik-holm", "stadsutveckling").await;

    // The catalogue invites tips; visitors are asked to log in.
    let catalogue = app.get("/pivi").await.body;
    assert!(
        catalogue.contains(r#"href="/forslag/projekt?modell=pivi""#),
        "{catalogue}"
    );
    assert!(catalogue.contains("Tipsa om ett projekt"));
    assert_eq!(
        Visitor::new(&app).get("/forslag/projekt").await.status,
        StatusCode::UNAUTHORIZED
    );
    let form = anna.get("/forslag/projekt").await.body;
    for words in [
        "<h1>Tipsa om ett projekt</h1>",
        "Meddelande till redaktörerna",
        "Skicka förslaget",
    ] {
        assert!(form.contains(words), "{words}");
    }
    assert!(!form.contains("Spara utkast"));
    assert!(
        form.contains(r#"value="Anna Lind""#),
        "the contact is prefilled: {form}"
    );

    let sent = propose(
        &mut anna,
        "/forslag/projekt",
        &project("Cykelkök i Bergsjön"),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let mine = anna.get("/forslag?skickat=1").await.body;
    assert!(mine.contains("Tack! Ditt förslag är skickat"), "{mine}");
    assert!(
        mine.contains("Cykelkök i Bergsjön") && mine.contains("Väntar"),
        "{mine}"
    );
    // Not public before an editor accepts it.
    assert!(
        !app.get("/api/v1/sok?q=cykelkök")
            .await
            .body
            .contains("cykelkok")
    );

    // The queue: pivi's editor sees it, matrix's editor does not, a member may not look.
    let queue = cilla.get("/admin/forslag").await.body;
    assert!(
        queue.contains("Nytt projekt i pivi: Cykelkök i Bergsjön"),
        "{queue}"
    );
    assert!(queue.contains("Jag var där i våras."), "{queue}");
    assert!(queue.contains("Gör förslagsställaren till kontaktperson"));
    assert!(!erik.get("/admin/forslag").await.body.contains("Cykelkök"));
    assert_eq!(
        anna.get("/admin/forslag").await.status,
        StatusCode::FORBIDDEN
    );
    let id = waiting(&app).await[0];
    let token = csrf_of(&queue);
    let eriks_token = csrf_of(&erik.get("/admin/forslag").await.body);
    let refused = erik
        .post(
            &format!("/admin/forslag/{id}/godkann"),
            &[("csrf", &eriks_token)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let accepted = cilla
        .post(
            &format!("/admin/forslag/{id}/godkann"),
            &[("csrf", &token), ("kontakt", "ja")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    // Published, searchable at once, the proposer its contact and credited.
    assert!(
        app.get("/api/v1/sok?q=cykelkök")
            .await
            .body
            .contains("cykelkok-i-bergsjon")
    );
    // Anna's profile is for members: members see her name (visitors see "En medlem").
    let entry = cilla.get("/pivi/cykelkok-i-bergsjon").await.body;
    assert!(entry.contains(r#"href="/medlemmar/anna-lind""#), "{entry}");
    assert!(entry.contains("Med förslag från"), "{entry}");
    // Told, and the list says so; answering twice is not possible.
    let notices = anna.get("/notiser").await.body;
    assert!(
        notices.contains("har godkänts och publicerats"),
        "{notices}"
    );
    assert!(anna.get("/forslag").await.body.contains("Godkänt"));
    assert!(
        anna.get("/profil")
            .await
            .body
            .contains(r#"href="/forslag""#)
    );
    let data = anna.get("/profil/data").await.json();
    assert_eq!(data["forslag"][0]["status"], "antagen", "{data}");
    assert_eq!(
        data["forslag"][0]["forslag"]["titel"],
        "Cykelkök i Bergsjön"
    );
    let again = cilla
        .post(&format!("/admin/forslag/{id}/godkann"), &[("csrf", &token)])
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    // The history names the proposal.
    let history = cilla
        .get("/admin/innehall/pivi/cykelkok-i-bergsjon/historik")
        .await
        .body;
    assert!(
        history.contains("Förslag från Anna Lind godkänt"),
        "{history}"
    );
}

#[tokio::test]
async fn a_change_is_declined_with_a_reason_or_edited_then_accepted() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut erik = member(&app, "Erik Holm").await;
    make_editor(&app, "erik-holm", "stadsutveckling").await;

    let article = anna.get("/stadsutveckling/artiklar/broar").await.body;
    assert!(
        article.contains(r#"href="/forslag/andring/artikel/broar""#),
        "{article}"
    );
    let form = anna.get("/forslag/andring/artikel/broar").await.body;
    assert!(
        form.contains("Broar kan både skilja och förena stadsdelar."),
        "prefilled"
    );

    // Proposing nothing is refused at the field.
    let unchanged = propose(
        &mut anna,
        "/forslag/andring/artikel/broar",
        &article_fields(
            "Artikel broar",
            "Broar kan både skilja och förena stadsdelar.",
        ),
    )
    .await;
    assert_eq!(unchanged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unchanged.body.contains("ändrar ingenting"),
        "{}",
        unchanged.body
    );

    let sent = propose(
        &mut anna,
        "/forslag/andring/artikel/broar",
        &article_fields(
            "Artikel broar",
            "Broar kan både skilja och förena. Gångbroar särskilt.",
        ),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let queue = erik.get("/admin/forslag").await.body;
    assert!(
        queue.contains("Ändring av en artikel: Artikel broar"),
        "{queue}"
    );
    assert!(queue.contains("Gångbroar särskilt"), "the diff: {queue}");

    // Declining needs a reason; the member is told it.
    let id = waiting(&app).await[0];
    let reason_field = format!("anledning-{id}");
    let token = csrf_of(&queue);
    let empty = erik
        .post(
            &format!("/admin/forslag/{id}/avsla"),
            &[("csrf", &token), (&reason_field, "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Skriv varför förslaget avslås"));
    let declined = erik
        .post(
            &format!("/admin/forslag/{id}/avsla"),
            &[("csrf", &token), (&reason_field, "Källa saknas.")],
        )
        .await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER);
    assert!(
        anna.get("/notiser")
            .await
            .body
            .contains("avslogs: Källa saknas.")
    );
    let mine = anna.get("/forslag").await.body;
    assert!(
        mine.contains("Avslaget") && mine.contains("Källa saknas."),
        "{mine}"
    );
    assert!(
        !app.get("/stadsutveckling/artiklar/broar")
            .await
            .body
            .contains("Gångbroar")
    );

    // Another proposal, edited by the editor before accepting.
    propose(
        &mut anna,
        "/forslag/andring/artikel/broar",
        &article_fields("Artikel broar", "Broar förenar. Gångbroar särskilt."),
    )
    .await;
    let id = waiting(&app).await[0];
    let page = format!("/admin/forslag/{id}/redigera");
    let shown = erik.get(&page).await.body;
    assert!(
        shown.contains("Förslaget jämfört med den publicerade versionen"),
        "{shown}"
    );
    assert!(shown.contains("Godkänn och publicera"));
    let mut fields = article_fields("Artikel broar", "Broar förenar. Gångbroar och cykelbroar.");
    fields.push(("publicerad", "2015-02-11".to_string()));
    let accepted = crate::editing::send_form(&mut erik, &page, &shown, &fields, "publicera").await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let article = app.get("/stadsutveckling/artiklar/broar").await.body;
    assert!(article.contains("cykelbroar"), "{article}");
    assert!(article.contains("Med förslag från"), "{article}");
    assert!(
        app.get("/api/v1/sok?q=cykelbroar")
            .await
            .body
            .contains("broar")
    );
}

#[tokio::test]
async fn a_proposal_made_against_an_older_version_is_not_accepted_blindly() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut admin = member(&app, "Dag Ek").await;
    make_admin(&app, "dag-ek").await;
    propose(
        &mut anna,
        "/forslag/andring/artikel/broar",
        &article_fields("Artikel broar", "Annas version."),
    )
    .await;
    // The article changes after the proposal was written.
    let edit = "/admin/innehall/artikel/broar";
    let mut fields = article_fields("Artikel broar", "Redaktörens version.");
    fields.push(("publicerad", "2015-02-11".to_string()));
    let changed = crate::editing::save(&mut admin, edit, &fields, "publicera").await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);

    let id = waiting(&app).await[0];
    let queue = admin.get("/admin/forslag").await.body;
    let refused = admin
        .post(
            &format!("/admin/forslag/{id}/godkann"),
            &[("csrf", &csrf_of(&queue))],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("Redigera först"), "{}", refused.body);
    assert!(
        app.get("/stadsutveckling/artiklar/broar")
            .await
            .body
            .contains("Redaktörens version.")
    );

    // Editing first shows the conflict with both versions; a second save decides.
    let page = format!("/admin/forslag/{id}/redigera");
    let shown = admin.get(&page).await.body;
    let mut fields = article_fields("Artikel broar", "Annas version.");
    fields.push(("publicerad", "2015-02-11".to_string()));
    let conflict = crate::editing::send_form(&mut admin, &page, &shown, &fields, "publicera").await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(
        conflict.body.contains("Redaktörens version."),
        "{}",
        conflict.body
    );
    let decided =
        crate::editing::send_form(&mut admin, &page, &conflict.body, &fields, "publicera").await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    assert!(
        app.get("/stadsutveckling/artiklar/broar")
            .await
            .body
            .contains("Annas version.")
    );
    assert!(!hidden(&shown, "version").is_empty());
}

#[tokio::test]
async fn bad_proposals_get_messages_and_floods_are_stopped() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut bad = project("  ");
    bad.push(("lankar", "javascript:alert(1)".to_string()));
    let refused = propose(&mut anna, "/forslag/projekt", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains(r#"id="titel-fel""#),
        "{}",
        refused.body
    );
    let mut long = project("Ett projekt");
    long.retain(|(n, _)| *n != "meddelande");
    long.push(("meddelande", "x".repeat(2_001)));
    let refused = propose(&mut anna, "/forslag/projekt", &long).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(r#"id="meddelande-fel""#));
    // Proposals of kinds that cannot be proposed, or of items that do not exist.
    for path in [
        "/forslag/andring/pivi/laxhjalp",
        "/forslag/andring/cell/x",
        "/forslag/andring/artikel/finns-inte",
    ] {
        assert_eq!(anna.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    for i in 0..20 {
        let sent = propose(
            &mut anna,
            "/forslag/projekt",
            &project(&format!("Projekt nummer {i}")),
        )
        .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{i}");
    }
    let flooded = propose(&mut anna, "/forslag/projekt", &project("Ett till")).await;
    assert_eq!(flooded.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(waiting(&app).await.len(), 20);

    // A member who deletes their account takes their waiting proposals and name along.
    let profile = anna.get("/profil/radera").await.body;
    let gone = anna
        .post(
            "/profil/radera",
            &[
                ("csrf", &csrf_of(&profile)),
                ("losenord", "en lång mening om Hammarkullen"),
            ],
        )
        .await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
    assert!(gone.body.contains("Ditt konto är raderat"));
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM proposals").await,
        0
    );
}

#[tokio::test]
async fn every_proposal_route_refuses_who_may_not_use_it() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut erik = member(&app, "Erik Holm").await;
    make_editor(&app, "erik-holm", "stadsutveckling").await;
    let mut cilla = member(&app, "Cilla Berg").await;
    make_editor(&app, "cilla-berg", "pivi").await;
    propose(
        &mut anna,
        "/forslag/projekt?modell=pivi",
        &project("Cykelkök"),
    )
    .await;
    let id = waiting(&app).await[0];
    let visitor = Visitor::new(&app);
    // A visitor is asked to log in on every route, read or write.
    for path in [
        "/forslag".to_string(),
        "/forslag/projekt".to_string(),
        "/forslag/andring/artikel/broar".to_string(),
        "/admin/forslag".to_string(),
        format!("/admin/forslag/{id}/redigera"),
    ] {
        assert_eq!(
            visitor.app.get(&path).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
    // A member who edits nothing, and an editor of another model, may not answer it.
    let routes = [
        (format!("/admin/forslag/{id}/godkann"), vec![]),
        (
            format!("/admin/forslag/{id}/avsla"),
            vec![(format!("anledning-{id}"), "Nej".to_string())],
        ),
        (
            format!("/admin/forslag/{id}/redigera"),
            vec![("atgard".to_string(), "publicera".to_string())],
        ),
    ];
    for who in [&mut anna, &mut erik] {
        let token = csrf_of(&who.get("/forslag").await.body);
        assert_ne!(
            who.get(&format!("/admin/forslag/{id}/redigera"))
                .await
                .status,
            StatusCode::OK
        );
        for (path, extra) in &routes {
            let mut fields: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
            fields.extend(extra.iter().map(|(n, v)| (n.as_str(), v.as_str())));
            let answer = who.post(path, &fields).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    assert_eq!(waiting(&app).await, vec![id], "still waiting");
    // Its own model's editor may.
    assert_eq!(
        cilla
            .get(&format!("/admin/forslag/{id}/redigera"))
            .await
            .status,
        StatusCode::OK
    );
}
