//! Medinflytande: the four phases, phase pages, checklists and the dialogue queries.

use axum::http::StatusCode;
use hallbar::db;
use serde_json::json;

use crate::support::*;

/// Dialogue texts in two phases: a text, a checklist and an experience in the first.
pub async fn dialogue_app() -> TestApp {
    let mut experience = dialogue_json("erfarenhet-angered", "erfarenhet", &[]);
    experience["titel"] = json!("Så gick det i Angered");
    let mut follow_up = dialogue_json("utvardera", "text", &[]);
    follow_up["fas"] = json!("uppfoljning");
    follow_up["titel"] = json!("Utvärdera dialogen");
    TestApp::with(&[
        dialogue_json("syfte", "text", &[]),
        dialogue_json(
            "checklista-infor",
            "checklista",
            &[
                "Syftet är formulerat",
                "Deltagarna är <inbjudna>",
                "Lokalen är bokad",
            ],
        ),
        experience,
        follow_up,
    ])
    .await
}

#[tokio::test]
async fn the_dialogue_tool_shows_the_four_phases_in_order() {
    let app = dialogue_app().await;
    let html = assert_page(&app.get("/medinflytande").await, "/medinflytande");
    let main = main_of(&html);
    let positions: Vec<usize> = [
        ("forberedelser", "Förberedelser"),
        ("inventering", "Inventering"),
        ("genomforande", "Genomförande"),
        ("uppfoljning", "Uppföljning"),
    ]
    .iter()
    .map(|(slug, label)| {
        main.find(&format!(r#"<a href="/medinflytande/{slug}">{label}</a>"#))
            .unwrap_or_else(|| panic!("{label} missing"))
    })
    .collect();
    assert!(positions.is_sorted(), "{positions:?}");
    assert!(
        main.contains("1 text, 1 checklista, 1 erfarenhet"),
        "{main}"
    );
    assert!(main.contains("1 text, 0 checklistor, 0 erfarenheter"));
}

#[tokio::test]
async fn a_phase_page_lists_its_texts_by_kind() {
    let app = dialogue_app().await;
    let path = "/medinflytande/forberedelser";
    let html = assert_page(&app.get(path).await, path);
    assert!(html.contains("<h1>Förberedelser</h1>"));
    let texts = between(&html, r#"<ul class="list texter">"#, "</ul>");
    assert!(texts.contains(r#"<a href="/medinflytande/forberedelser/syfte">Text syfte</a>"#));
    let checklists = between(&html, r#"<ul class="list checklistor">"#, "</ul>");
    assert!(checklists.contains(
        r#"<a href="/medinflytande/forberedelser/checklista-infor">Text checklista-infor</a>"#
    ));
    let experiences = between(&html, r#"<ul class="list erfarenheter">"#, "</ul>");
    assert!(experiences.contains("Så gick det i Angered"));
    assert!(!html.contains("utvardera"), "another phase's text");
    assert!(html.contains(r#"Nästa fas: <a href="/medinflytande/inventering">Inventering</a>"#));

    let html = app.get("/medinflytande/inventering").await.body;
    assert!(html.contains("Inga texter i den här fasen ännu."));
    assert!(!html.contains(r#"<ul class="list checklistor">"#));

    assert_error_page(
        &app.get("/medinflytande/okand").await,
        StatusCode::NOT_FOUND,
        "Sidan finns inte",
    );
}

#[tokio::test]
async fn a_checklist_is_real_labelled_checkboxes_with_its_script() {
    let app = dialogue_app().await;
    let path = "/medinflytande/forberedelser/checklista-infor";
    let html = assert_page(&app.get(path).await, path);
    let list = between(&html, r#"<ul class="checklista""#, "</ul>");
    let items: Vec<&str> = list.split("<li>").skip(1).collect();
    assert_eq!(items.len(), 3, "{list}");
    for (i, item) in items.iter().enumerate() {
        let id = between(item, r#"<input type="checkbox" id=""#, "\"");
        assert_eq!(id, format!("punkt-{}", i + 1));
        assert!(item.contains(&format!(r#"<label for="{id}">"#)), "{item}");
    }
    assert!(list.contains("<label for=\"punkt-2\">Deltagarna är &lt;inbjudna&gt;</label>"));
    let script = between(&html, r#"<script src="/static/checklista-"#, "\"");
    let script_path = format!("/static/checklista-{script}");
    let answer = app.get(&script_path).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("text/javascript"));

    // A plain text has no checklist and no checklist script.
    let path = "/medinflytande/forberedelser/syfte";
    let html = assert_page(&app.get(path).await, path);
    assert!(!html.contains("/static/checklista-"), "{html}");
    assert!(html.contains("<p>Formulera syftet först.</p>"));
    assert!(html.contains("Mer i fasen Förberedelser"));

    // A text lives under its own phase only.
    for missing in [
        "/medinflytande/inventering/syfte",
        "/medinflytande/forberedelser/utvardera",
        "/medinflytande/forberedelser/finns-inte",
        "/medinflytande/okand/syfte",
    ] {
        assert_error_page(
            &app.get(missing).await,
            StatusCode::NOT_FOUND,
            "Sidan finns inte",
        );
    }
    let path = "/medinflytande/uppfoljning/utvardera";
    assert_page(&app.get(path).await, path);
}

#[tokio::test]
async fn dialogue_texts_by_phase() {
    let (_dir, pool) = test_db().await;
    let mut conn = pool.acquire().await.unwrap();
    let checklist = dialogue("c", "checklista", &["Syftet är formulerat", "Budget finns"]);
    let mut text = dialogue("t", "text", &[]);
    text.phase = hallbar_index::Slug::new("uppfoljning").unwrap();
    db::dialogue::upsert(&mut conn, &checklist).await.unwrap();
    db::dialogue::upsert(&mut conn, &text).await.unwrap();
    assert_eq!(
        db::dialogue::get(&mut conn, "c").await.unwrap(),
        Some(checklist.clone())
    );
    assert_eq!(
        db::dialogue::in_phase(&mut conn, "medinflytande", "forberedelser")
            .await
            .unwrap(),
        vec![checklist]
    );
    assert_eq!(
        db::dialogue::in_phase(&mut conn, "medinflytande", "uppfoljning")
            .await
            .unwrap(),
        vec![text]
    );
    assert_eq!(db::dialogue::list(&mut conn).await.unwrap().len(), 2);
    let counts = db::stats::counts(&mut conn).await.unwrap();
    assert_eq!(counts.dialogue_texts, 2);
    assert!(!db::stats::is_empty(&mut conn).await.unwrap());
}
