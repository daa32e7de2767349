//! Attacks on editing and proposals: an editor of one model reaching another model's
//! items through a new item's address, odd addresses, forged hidden fields, and what a
//! deleted member leaves behind in the history.

use axum::http::StatusCode;

use crate::editing::{hidden, make_admin, make_editor, member, pivi_form, save};
use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";

/// As in the editing tests, plus a second matrix model `annan` with one filled cell.
async fn app() -> (TestApp, hallbar::indexer::IndexerHandle) {
    let mut app = TestApp::with(&[
        serde_json::json!({
            "type": "stodmodell", "id": "annan", "typ": "matris", "omrade": "Annan",
            "namn": "Annan matris", "introduktion": "En andra kunskapsmatris."
        }),
        member_json("bo"),
        pivi_json("laxhjalp", None),
        matrix_json(
            "stadsutveckling",
            &[("mellanrum", "trygghet"), ("torg", "moten")],
        ),
        matrix_json("annan", &[("torg", "moten")]),
        article_json("broar", "stadsutveckling", &[("mellanrum", "trygghet")]),
        dialogue_json("syfte", "text", &[]),
    ])
    .await;
    let indexer = app.start_indexer();
    (app, indexer)
}

fn article_form(id: &str, cell: &str, text: &str) -> Vec<(&'static str, String)> {
    vec![
        ("id", id.to_string()),
        ("titel", "Övertagen artikel".to_string()),
        ("ingress", "Om broar.".to_string()),
        ("text", text.to_string()),
        ("forfattare", "Mallory".to_string()),
        ("publicerad", "2026-12-01".to_string()),
        ("celler", cell.to_string()),
        ("taggar", String::new()),
        ("stadsdel", "hela-staden".to_string()),
    ]
}

/// Posts `fields` to `target` with a token from `shown` and the hidden fields given.
async fn post_with(
    who: &mut Visitor<'_>,
    target: &str,
    shown: &str,
    fields: &[(&str, String)],
    extra: &[(&str, &str)],
) -> Answer {
    let csrf = csrf_of(shown);
    let mut all: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    all.push(("csrf", &csrf));
    all.extend_from_slice(extra);
    who.post(target, &all).await
}

#[tokio::test]
async fn a_new_item_cannot_take_the_address_of_another_models_article_or_draft() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    make_editor(&app, "anna-lind", "stadsutveckling").await;
    let mut erik = member(&app, "Erik Holm").await;
    make_editor(&app, "erik-holm", "annan").await;
    let new_in_annan = "/admin/innehall/artikel/ny?modell=annan";

    // Erik "creates" an article in his model at the address of stadsutveckling's, with
    // the version its page shows (the conflict page would give it to him too).
    let version = hidden(
        &anna.get("/admin/innehall/artikel/broar").await.body,
        "version",
    );
    assert!(!version.is_empty());
    let shown = erik.get(new_in_annan).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    let taken = post_with(
        &mut erik,
        new_in_annan,
        &shown.body,
        &article_form("broar", "torg/moten", "Kapad."),
        &[("version", &version), ("atgard", "publicera")],
    )
    .await;
    assert_eq!(taken.status, StatusCode::FORBIDDEN, "{}", taken.body);
    let public = app.get("/stadsutveckling/artiklar/broar").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("Artikel broar"), "{}", public.body);
    assert!(!public.body.contains("Kapad."));
    let still = anna.get("/admin/innehall/artikel/broar").await;
    assert_eq!(still.status, StatusCode::OK, "still stadsutveckling's");

    // Anna's draft of a new article is neither shown to him nor replaced.
    let drafted = save(
        &mut anna,
        "/admin/innehall/artikel/ny?modell=stadsutveckling",
        &article_form("hemlig", "mellanrum/trygghet", "Hemlig plan för torget."),
        "utkast",
    )
    .await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
    for action in ["utkast", "publicera"] {
        let over = save(
            &mut erik,
            new_in_annan,
            &article_form("hemlig", "torg/moten", "Mitt utkast."),
            action,
        )
        .await;
        assert_eq!(
            over.status,
            StatusCode::FORBIDDEN,
            "{action}: {}",
            over.body
        );
        assert!(!over.body.contains("Hemlig plan"), "{action}");
    }
    let kept = anna.get("/admin/innehall/artikel/hemlig").await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    assert!(kept.body.contains("Hemlig plan för torget."));
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM content_drafts").await,
        1
    );
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT count(*) FROM articles WHERE id = 'hemlig'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn odd_addresses_of_editing_and_proposals_are_swedish_404s() {
    let (app, _indexer) = app().await;
    let mut erik = member(&app, "Erik Holm").await;
    make_admin(&app, "erik-holm").await;
    let long = "a".repeat(5000);
    let paths = [
        "/forslag/andring/artikel/%00".to_string(),
        "/forslag/andring/artikel/%FF".to_string(),
        "/forslag/andring/dialog/syfte%00".to_string(),
        format!("/forslag/andring/artikel/{long}"),
        "/admin/innehall/artikel/%FF".to_string(),
        "/admin/innehall/artikel/broar%00".to_string(),
        "/admin/innehall/cell/stadsutveckling/%2E%2E/trygghet".to_string(),
        "/admin/innehall/ARTIKEL/broar".to_string(),
        format!("/admin/innehall/artikel/{long}"),
        "/admin/forslag/%FF/redigera".to_string(),
        "/admin/forslag/99999999999999999999999/redigera".to_string(),
    ];
    for path in &paths {
        let answer = erik.get(path).await;
        assert_error_page(&answer, StatusCode::NOT_FOUND, "Sidan finns inte");
    }
    // Posting there too.
    let token = csrf_of(&erik.get("/forslag/andring/artikel/broar").await.body);
    for path in [
        "/forslag/andring/artikel/%00",
        "/admin/innehall/artikel/%FF",
        "/admin/forslag/%FF/avsla",
    ] {
        let answer = erik
            .post(path, &[("csrf", &token), ("atgard", "publicera")])
            .await;
        assert_error_page(&answer, StatusCode::NOT_FOUND, "Sidan finns inte");
    }
}

#[tokio::test]
async fn a_draft_with_a_forged_version_gets_a_message_and_stores_nothing() {
    let (app, _indexer) = app().await;
    let mut cilla = member(&app, "Cilla Berg").await;
    make_editor(&app, "cilla-berg", "pivi").await;
    let page = "/admin/innehall/pivi/laxhjalp";
    let long = "f".repeat(100_000);
    for forged in ["\0", "x", "<script>alert(1)</script>", long.as_str()] {
        let shown = cilla.get(page).await;
        assert_eq!(shown.status, StatusCode::OK);
        let answer = post_with(
            &mut cilla,
            page,
            &shown.body,
            &pivi_form("Läxhjälp", "Ny text."),
            &[("version", forged), ("utkast", ""), ("atgard", "utkast")],
        )
        .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            answer.body
        );
        assert!(!answer.body.contains("<script>alert"));
    }
    // A new entry at a published one's address, claiming to start from some version.
    let shown = cilla.get("/admin/innehall/pivi/ny?modell=pivi").await;
    let mut fields = pivi_form("Läxhjälp", "Ny text.");
    fields.push(("id", "laxhjalp".to_string()));
    let answer = post_with(
        &mut cilla,
        "/admin/innehall/pivi/ny?modell=pivi",
        &shown.body,
        &fields,
        &[("version", "x"), ("utkast", ""), ("atgard", "utkast")],
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert!(
        answer
            .body
            .contains("det finns redan innehåll med den adressen")
    );
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM content_drafts").await,
        0
    );
}

#[tokio::test]
async fn a_deleted_members_name_leaves_the_history_of_what_they_proposed() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut erik = member(&app, "Erik Holm").await;
    make_editor(&app, "erik-holm", "stadsutveckling").await;

    let fields = vec![
        ("titel", "Artikel broar".to_string()),
        ("ingress", "Om broar.".to_string()),
        (
            "text",
            "Broar kan både skilja och förena. Gångbroar särskilt.".to_string(),
        ),
        ("forfattare", "Redaktionen".to_string()),
        ("celler", "mellanrum/trygghet".to_string()),
        ("taggar", "barriärer".to_string()),
        ("stadsdel", "hela-staden".to_string()),
    ];
    let sent = save(
        &mut anna,
        "/forslag/andring/artikel/broar",
        &fields,
        "publicera",
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let queue = erik.get("/admin/forslag").await.body;
    let id = fetch_number(app.pool(), "SELECT max(id) FROM proposals").await;
    let accepted = erik
        .post(
            &format!("/admin/forslag/{id}/godkann"),
            &[("csrf", &csrf_of(&queue))],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let history = erik
        .get("/admin/innehall/artikel/broar/historik")
        .await
        .body;
    assert!(history.contains("Anna Lind"), "named while a member");

    let token = csrf_of(&anna.get("/profil/radera").await.body);
    let gone = anna
        .post(
            "/profil/radera",
            &[("losenord", PASSWORD), ("csrf", &token)],
        )
        .await;
    assert!(gone.body.contains("Ditt konto är raderat"), "{}", gone.body);

    let history = erik
        .get("/admin/innehall/artikel/broar/historik")
        .await
        .body;
    assert!(!history.contains("Anna Lind"), "{history}");
    assert!(history.contains("En tidigare medlem"), "{history}");
    let article = app.get("/stadsutveckling/artiklar/broar").await.body;
    assert!(!article.contains("Anna Lind"));
}

#[tokio::test]
async fn a_members_tip_cannot_name_another_member_as_its_contact() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut cilla = member(&app, "Cilla Berg").await;
    make_editor(&app, "cilla-berg", "pivi").await;

    let form = anna.get("/forslag/projekt").await.body;
    assert!(!form.contains(r#"name="kontakt.medlem""#), "{form}");
    let mut fields = pivi_form("Cykelköket", "Vi lagar cyklar ihop varje lördag.");
    fields.retain(|(n, _)| *n != "publicerad" && *n != "kontakt.medlem");
    // A forged field names Bo as the contact.
    fields.push(("kontakt.medlem", "bo".to_string()));
    let sent = save(&mut anna, "/forslag/projekt", &fields, "publicera").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

    let queue = cilla.get("/admin/forslag").await.body;
    let id = fetch_number(app.pool(), "SELECT max(id) FROM proposals").await;
    let accepted = cilla
        .post(
            &format!("/admin/forslag/{id}/godkann"),
            &[("csrf", &csrf_of(&queue))],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT count(*) FROM pivi_entries WHERE contact_member_id = 'bo'"
        )
        .await,
        0
    );
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM pivi_entries").await,
        2,
        "published"
    );
}

#[tokio::test]
async fn a_proposer_whose_profile_is_for_members_is_not_named_to_visitors() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut erik = member(&app, "Erik Holm").await;
    make_editor(&app, "erik-holm", "stadsutveckling").await;
    let fields = vec![
        ("titel", "Artikel broar".to_string()),
        ("ingress", "Om broar.".to_string()),
        ("text", "Broar förenar. Gångbroar särskilt.".to_string()),
        ("forfattare", "Redaktionen".to_string()),
        ("celler", "mellanrum/trygghet".to_string()),
        ("taggar", "barriärer".to_string()),
        ("stadsdel", "hela-staden".to_string()),
    ];
    let sent = save(
        &mut anna,
        "/forslag/andring/artikel/broar",
        &fields,
        "publicera",
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let queue = erik.get("/admin/forslag").await.body;
    let id = fetch_number(app.pool(), "SELECT max(id) FROM proposals").await;
    let accepted = erik
        .post(
            &format!("/admin/forslag/{id}/godkann"),
            &[("csrf", &csrf_of(&queue))],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);

    // A new member's profile is for members only.
    let to_members = erik.get("/stadsutveckling/artiklar/broar").await.body;
    assert!(to_members.contains("Anna Lind"), "{to_members}");
    let to_visitors = app.get("/stadsutveckling/artiklar/broar").await.body;
    assert!(to_visitors.contains("Gångbroar"), "{to_visitors}");
    assert!(!to_visitors.contains("Anna Lind"), "{to_visitors}");
    assert!(
        !to_visitors.contains("/medlemmar/anna-lind"),
        "{to_visitors}"
    );
    assert!(to_visitors.contains("En medlem"), "{to_visitors}");
}

#[tokio::test]
async fn proposals_sent_all_at_once_stay_within_the_days_limit() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let csrf = csrf_of(&anna.get("/forslag/projekt").await.body);
    let forms: Vec<Vec<(&str, String)>> = (0..25)
        .map(|i| {
            let mut fields = pivi_form(&format!("Tips nummer {i}"), "Vi lagar cyklar.");
            fields.retain(|(n, _)| *n != "publicerad");
            fields.push(("csrf", csrf.clone()));
            fields.push(("atgard", "publicera".to_string()));
            fields
        })
        .collect();
    let sends = forms.iter().map(|fields| {
        let mut tab = Visitor::new(&app);
        tab.cookies = anna.cookies.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
            tab.post("/forslag/projekt", &pairs).await.status
        }
    });
    let statuses = futures_util::future::join_all(sends).await;
    let sent = statuses
        .iter()
        .filter(|s| **s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(sent, 20, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::SEE_OTHER || *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM proposals").await,
        20
    );
}

#[tokio::test]
async fn a_members_data_export_holds_their_proposals() {
    let (app, _indexer) = app().await;
    let mut anna = member(&app, "Anna Lind").await;
    let mut fields = pivi_form("Cykelköket", "Vi lagar cyklar ihop varje lördag.");
    fields.retain(|(n, _)| *n != "publicerad");
    fields.push(("meddelande", "Jag var där i våras.".to_string()));
    let sent = save(&mut anna, "/forslag/projekt", &fields, "publicera").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    make_editor(&app, "anna-lind", "pivi").await;

    let export = anna.get("/profil/data").await;
    assert_eq!(export.status, StatusCode::OK);
    let data: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    let proposals = data["forslag"].as_array().expect("proposals in the export");
    assert_eq!(proposals.len(), 1, "{data}");
    assert_eq!(proposals[0]["meddelande"], "Jag var där i våras.");
    assert_eq!(proposals[0]["forslag"]["titel"], "Cykelköket");
    assert_eq!(proposals[0]["status"], "vantar");
    assert_eq!(data["redaktor_for"], serde_json::json!(["pivi"]));
}
