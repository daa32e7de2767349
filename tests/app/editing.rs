//! Editing support models' content on the web: who may (roles × routes), publishing into
//! search in the same response, drafts that never leave the editors, revisions with diffs
//! and restore, deleting, concurrent edits, and bad input at each field.

use axum::http::StatusCode;

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";

/// Pivi entry `laxhjalp`, the matrix `stadsutveckling` with two filled cells and article
/// `broar` in one, and dialogue text `syfte`.
pub async fn app() -> (TestApp, hallbar::indexer::IndexerHandle) {
    let mut app = TestApp::with(&[
        member_json("bo"),
        pivi_json("laxhjalp", None),
        matrix_json(
            "stadsutveckling",
            &[("mellanrum", "trygghet"), ("torg", "moten")],
        ),
        article_json("broar", "stadsutveckling", &[("mellanrum", "trygghet")]),
        dialogue_json("syfte", "text", &[]),
    ])
    .await;
    let indexer = app.start_indexer();
    (app, indexer)
}

/// Registers and logs in `name` (`first@exempel.se`).
pub async fn member<'a>(app: &'a TestApp, name: &str) -> Visitor<'a> {
    let email = format!(
        "{}@exempel.se",
        name.split(' ').next().unwrap().to_lowercase()
    );
    let mut who = Visitor::new(app);
    who.register(name, &email, PASSWORD).await;
    let login = who.log_in(&email, PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    who
}

/// Makes the member `member_id` an editor of `model`.
pub async fn make_editor(app: &TestApp, member_id: &str, model: &str) {
    let sql = format!(
        "INSERT INTO model_editors (account_id, model_id, granted_at) \
         SELECT id, '{model}', 0 FROM accounts WHERE member_id = '{member_id}'"
    );
    execute(app.pool(), Box::leak(sql.into_boxed_str()))
        .await
        .unwrap();
}

pub async fn make_admin(app: &TestApp, member_id: &str) {
    let sql = format!("UPDATE accounts SET role = 'admin' WHERE member_id = '{member_id}'");
    execute(app.pool(), Box::leak(sql.into_boxed_str()))
        .await
        .unwrap();
}

/// A hidden field's value in a page's edit form.
pub fn hidden(html: &str, name: &str) -> String {
    between(html, &format!(r#"name="{name}" value=""#), "\"").to_string()
}

/// Every field of a pivi entry's form, with `title` and `body`.
pub fn pivi_form(title: &str, body: &str) -> Vec<(&'static str, String)> {
    vec![
        ("titel", title.to_string()),
        ("kategori", "projekt".to_string()),
        ("sammanfattning", "Läxhjälp för unga i Hjällbo.".to_string()),
        ("beskrivning", body.to_string()),
        ("stadsdel", "angered".to_string()),
        ("organisation", "Hjällbo bibliotek".to_string()),
        ("malgrupper", "unga".to_string()),
        ("taggar", "läxhjälp".to_string()),
        ("period.fran", "2014".to_string()),
        ("period.till", String::new()),
        ("kontakt.namn", "Sara Ek".to_string()),
        ("kontakt.epost", "sara.ek@example.org".to_string()),
        ("kontakt.medlem", String::new()),
        (
            "lankar",
            "Göteborgs Stad | https://goteborg.se/".to_string(),
        ),
        ("publicerad", "2014-09-10".to_string()),
    ]
}

/// Opens `page` (an edit form) and submits `fields` with the button `action`, carrying the
/// page's CSRF token and version fields.
pub async fn save(
    who: &mut Visitor<'_>,
    page: &str,
    fields: &[(&str, String)],
    action: &str,
) -> Answer {
    let shown = who.get(page).await;
    assert_eq!(shown.status, StatusCode::OK, "{page}: {}", shown.body);
    send_form(who, page, &shown.body, fields, action).await
}

/// Submits an edit form as `shown` had it (its token and versions) to `target`.
pub async fn send_form(
    who: &mut Visitor<'_>,
    target: &str,
    shown: &str,
    fields: &[(&str, String)],
    action: &str,
) -> Answer {
    let csrf = csrf_of(shown);
    let version = hidden(shown, "version");
    let draft = hidden(shown, "utkast");
    let mut all: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
    all.push(("csrf", &csrf));
    all.push(("version", &version));
    all.push(("utkast", &draft));
    all.push(("atgard", action));
    let target = target.split('?').next().unwrap().to_string()
        + &target
            .split_once('?')
            .map(|(_, q)| format!("?{q}"))
            .unwrap_or_default();
    who.post(&target, &all).await
}

async fn searched(app: &TestApp, words: &str) -> String {
    let answer = app
        .get(&format!("/api/v1/sok?q={}", words.replace(' ', "+")))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

const EDIT_PIVI: &str = "/admin/innehall/pivi/laxhjalp";

#[tokio::test]
async fn only_a_models_editors_and_admins_reach_its_edit_pages() {
    let (app, _indexer) = app().await;
    let mut visitor = Visitor::new(&app);
    let mut member_only = member(&app, "Anna Lind").await;
    let mut pivi_editor = member(&app, "Cilla Berg").await;
    make_editor(&app, "cilla-berg", "pivi").await;
    let mut admin = member(&app, "Dag Ek").await;
    make_admin(&app, "dag-ek").await;

    let pivi_pages = [
        "/admin/innehall",
        "/admin/innehall/pivi/ny?modell=pivi",
        EDIT_PIVI,
        "/admin/innehall/pivi/laxhjalp/historik",
        "/admin/innehall/pivi/laxhjalp/ta-bort",
    ];
    let other_pages = [
        "/admin/innehall/artikel/broar",
        "/admin/innehall/artikel/ny?modell=stadsutveckling",
        "/admin/innehall/cell/stadsutveckling/mellanrum/trygghet",
        "/admin/innehall/cell/ny?modell=stadsutveckling",
        "/admin/innehall/dialog/syfte",
        "/admin/innehall/dialog/syfte/historik",
        "/admin/innehall/artikel/broar/ta-bort",
    ];
    for path in pivi_pages.iter().chain(&other_pages) {
        let answer = visitor.get(path).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(
            answer.body.contains("/logga-in?"),
            "{path}: {}",
            answer.body
        );
        assert_eq!(
            member_only.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(admin.get(path).await.status, StatusCode::OK, "{path}");
    }
    for path in pivi_pages {
        assert_eq!(pivi_editor.get(path).await.status, StatusCode::OK, "{path}");
    }
    for path in other_pages {
        assert_eq!(
            pivi_editor.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    // Editors (and admins) find their content from the header; members do not see it.
    for (who, shown) in [
        (&mut pivi_editor, true),
        (&mut admin, true),
        (&mut member_only, false),
    ] {
        let page = who.get("/").await.body;
        assert_eq!(
            page.contains(r#"<a href="/admin/innehall">Innehåll</a>"#),
            shown
        );
    }
    // The list shows only the editor's model.
    let list = pivi_editor.get("/admin/innehall").await.body;
    assert!(list.contains("Projekt laxhjalp"), "{list}");
    assert!(!list.contains("Artikel broar"), "{list}");

    // Writes are refused the same way, whatever the form says.
    let token = csrf_of(&member_only.get("/profil").await.body);
    let editor_token = csrf_of(&pivi_editor.get(EDIT_PIVI).await.body);
    for path in [
        "/admin/innehall/pivi/laxhjalp",
        "/admin/innehall/pivi/ny?modell=pivi",
        "/admin/innehall/pivi/laxhjalp/ta-bort",
        "/admin/innehall/pivi/laxhjalp/kasta-utkast",
        "/admin/innehall/pivi/laxhjalp/historik/1/aterstall",
    ] {
        let answer = member_only
            .post(path, &[("csrf", &token), ("atgard", "publicera")])
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{path}");
    }
    for path in [
        "/admin/innehall/artikel/broar",
        "/admin/innehall/artikel/ny?modell=stadsutveckling",
        "/admin/innehall/artikel/broar/ta-bort",
        "/admin/innehall/dialog/syfte/historik/1/aterstall",
        "/admin/innehall/cell/stadsutveckling/torg/moten",
    ] {
        let answer = pivi_editor
            .post(path, &[("csrf", &editor_token), ("atgard", "publicera")])
            .await;
        assert!(
            answer.status == StatusCode::FORBIDDEN || answer.status == StatusCode::NOT_FOUND,
            "{path}: {}",
            answer.status
        );
    }
    // Nothing changed.
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM content_revisions").await,
        0
    );
    // Unknown items and addresses are not found.
    for path in [
        "/admin/innehall/pivi/finns-inte",
        "/admin/innehall/okand/x",
        "/admin/innehall/cell/stadsutveckling/mellanrum",
    ] {
        assert_eq!(
            admin.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_published_change_is_in_search_at_once_and_kept_in_the_history() {
    let (app, _indexer) = app().await;
    let mut cilla = member(&app, "Cilla Berg").await;
    make_editor(&app, "cilla-berg", "pivi").await;

    // The entry's page links to its edit form for its editor only.
    let page = cilla.get("/pivi/laxhjalp").await.body;
    assert!(
        page.contains(r#"href="/admin/innehall/pivi/laxhjalp""#),
        "{page}"
    );
    assert!(page.contains(">Redigera<"), "{page}");
    let anonymous = app.get("/pivi/laxhjalp").await.body;
    assert!(!anonymous.contains("/admin/innehall"), "{anonymous}");

    let form = cilla.get(EDIT_PIVI).await.body;
    for label in [
        "Rubrik",
        "Kategori",
        "Beskrivning",
        "Startår",
        "Länkar",
        "Publicera",
        "Spara utkast",
        "Förhandsgranska",
    ] {
        assert!(form.contains(label), "{label}");
    }
    assert!(
        form.contains("Ideella läxhjälpare"),
        "the form holds the entry"
    );

    let published = save(
        &mut cilla,
        EDIT_PIVI,
        &pivi_form(
            "Läxhjälp med schackklubb",
            "Nu även **schack** på onsdagar.",
        ),
        "publicera",
    )
    .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    // In search in the same response: no waiting.
    assert!(searched(&app, "schackklubb").await.contains("laxhjalp"));
    let public = app.get("/pivi/laxhjalp").await.body;
    assert!(public.contains("<strong>schack</strong>"), "{public}");

    let history = cilla
        .get("/admin/innehall/pivi/laxhjalp/historik")
        .await
        .body;
    assert!(history.contains("Cilla Berg"), "{history}");
    assert!(
        history.contains("Import"),
        "the imported version is kept: {history}"
    );
    assert!(history.contains("(nuvarande version)"), "{history}");
    assert!(history.contains("Läxhjälp med schackklubb"), "{history}");
    assert!(
        history.contains("<del"),
        "the diff marks what went: {history}"
    );
    assert!(history.contains("<ins"), "and what came: {history}");

    // Restoring the imported version brings its text back, as a new version.
    let restore = between(
        &history,
        r#"action="/admin/innehall/pivi/laxhjalp/historik/"#,
        "\"",
    );
    let path = format!("/admin/innehall/pivi/laxhjalp/historik/{restore}");
    let restored = cilla
        .post(
            &path,
            &[
                ("csrf", &csrf_of(&history)),
                ("version", &hidden(&history, "version")),
            ],
        )
        .await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.body);
    assert!(!searched(&app, "schackklubb").await.contains("laxhjalp"));
    assert!(
        app.get("/pivi/laxhjalp")
            .await
            .body
            .contains("Ideella läxhjälpare")
    );
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT count(*) FROM content_revisions WHERE entity_id = 'laxhjalp'"
        )
        .await,
        3
    );
    let history = cilla
        .get("/admin/innehall/pivi/laxhjalp/historik")
        .await
        .body;
    assert!(
        history.contains("Återställd till versionen från"),
        "{history}"
    );
}

#[tokio::test]
async fn drafts_stay_with_the_editors_until_published() {
    let (app, _indexer) = app().await;
    let mut cilla = member(&app, "Cilla Berg").await;
    make_editor(&app, "cilla-berg", "pivi").await;

    // A change saved as a draft: the public page and search keep the published version.
    let saved = save(
        &mut cilla,
        EDIT_PIVI,
        &pivi_form("Läxhjälp och kulturkollo", "Sommarens kulturkollo."),
        "utkast",
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let again = cilla
        .get(saved.headers["location"].to_str().unwrap())
        .await
        .body;
    assert!(again.contains("Utkastet är sparat"), "{again}");
    assert!(
        again.contains("kulturkollo"),
        "the form shows the draft: {again}"
    );
    assert!(!app.get("/pivi/laxhjalp").await.body.contains("kulturkollo"));
    assert!(!searched(&app, "kulturkollo").await.contains("laxhjalp"));

    // A new entry as a draft: nowhere public.
    let new_page = "/admin/innehall/pivi/ny?modell=pivi";
    let mut fields = pivi_form("Cykelkök i Bergsjön", "Reparera cyklar tillsammans.");
    fields.push(("id", "cykelkok".to_string()));
    let drafted = save(&mut cilla, new_page, &fields, "utkast").await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
    assert_eq!(
        app.get("/pivi/cykelkok").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!searched(&app, "cykelkök").await.contains("cykelkok"));
    for path in [
        "/sitemap.xml",
        "/flode/pivi.atom",
        "/api/v1/sok?q=cykel",
        "/pivi",
    ] {
        let answer = app.get(path).await;
        assert!(!answer.body.contains("cykelkok"), "{path}: {}", answer.body);
        assert!(!answer.body.contains("Cykelkök"), "{path}");
    }
    // Export writes published content only.
    let mut conn = app.pool().acquire().await.unwrap();
    let records = hallbar::interchange::export(&mut conn).await.unwrap();
    drop(conn);
    let mut exported = Vec::new();
    hallbar::interchange::write_records(&mut exported, &records).unwrap();
    let exported = String::from_utf8(exported).unwrap();
    assert!(exported.contains("Projekt laxhjalp"));
    assert!(!exported.contains("kulturkollo") && !exported.contains("cykelkok"));
    // Other members do not see drafts either.
    let mut anna = member(&app, "Anna Lind").await;
    assert_eq!(
        anna.get("/admin/innehall/pivi/cykelkok").await.status,
        StatusCode::FORBIDDEN
    );
    let list = cilla.get("/admin/innehall").await.body;
    assert!(list.contains("Cykelkök i Bergsjön"), "{list}");
    assert!(list.contains("Utkast (ny)"), "{list}");
    assert!(list.contains("Publicerad, med utkast"), "{list}");

    // Published later: public, searchable, the draft gone.
    let published = save(
        &mut cilla,
        "/admin/innehall/pivi/cykelkok",
        &fields,
        "publicera",
    )
    .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    assert!(
        app.get("/pivi/cykelkok")
            .await
            .body
            .contains("Cykelkök i Bergsjön")
    );
    assert!(searched(&app, "cykelkök").await.contains("cykelkok"));
    assert!(app.get("/flode/pivi.atom").await.body.contains("cykelkok"));
    assert_eq!(
        fetch_number(
            app.pool(),
            "SELECT count(*) FROM content_drafts WHERE entity_id = 'cykelkok'"
        )
        .await,
        0
    );

    // Throwing the other draft away leaves the published entry as it was.
    let edit = cilla.get(EDIT_PIVI).await.body;
    let thrown = cilla
        .post(
            "/admin/innehall/pivi/laxhjalp/kasta-utkast",
            &[("csrf", &csrf_of(&edit))],
        )
        .await;
    assert_eq!(thrown.status, StatusCode::SEE_OTHER);
    let edit = cilla.get(EDIT_PIVI).await.body;
    assert!(!edit.contains("kulturkollo"), "{edit}");
}

#[tokio::test]
async fn a_second_save_of_the_same_item_is_told_and_shown_both_versions() {
    let (app, _indexer) = app().await;
    let mut cilla = member(&app, "Cilla Berg").await;
    let mut dag = member(&app, "Dag Ek").await;
    make_editor(&app, "cilla-berg", "pivi").await;
    make_editor(&app, "dag-ek", "pivi").await;

    // Both open the form; Dag publishes first.
    let cillas_form = cilla.get(EDIT_PIVI).await.body;
    let dags = save(
        &mut dag,
        EDIT_PIVI,
        &pivi_form("Läxhjälp enligt Dag", "Dags text."),
        "publicera",
    )
    .await;
    assert_eq!(dags.status, StatusCode::SEE_OTHER);

    let cillas = send_form(
        &mut cilla,
        EDIT_PIVI,
        &cillas_form,
        &pivi_form("Läxhjälp enligt Cilla", "Cillas text."),
        "publicera",
    )
    .await;
    assert_eq!(cillas.status, StatusCode::CONFLICT, "{}", cillas.body);
    assert!(cillas.body.contains("Någon annan har ändrat innehållet"));
    assert!(
        cillas.body.contains("Läxhjälp enligt Dag"),
        "the stored version"
    );
    assert!(cillas.body.contains("Läxhjälp enligt Cilla"), "and hers");
    // Nothing of hers was stored.
    assert!(
        app.get("/pivi/laxhjalp")
            .await
            .body
            .contains("Läxhjälp enligt Dag")
    );

    // Having seen both, she saves again: now hers replaces his.
    let again = send_form(
        &mut cilla,
        EDIT_PIVI,
        &cillas.body,
        &pivi_form("Läxhjälp enligt Cilla", "Cillas text."),
        "publicera",
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert!(
        app.get("/pivi/laxhjalp")
            .await
            .body
            .contains("Läxhjälp enligt Cilla")
    );

    // Drafts likewise: two editors saving drafts of the same item.
    let dags_form = dag.get(EDIT_PIVI).await.body;
    let cillas_draft = save(
        &mut cilla,
        EDIT_PIVI,
        &pivi_form("Utkast av Cilla", "x"),
        "utkast",
    )
    .await;
    assert_eq!(cillas_draft.status, StatusCode::SEE_OTHER);
    let dags_draft = send_form(
        &mut dag,
        EDIT_PIVI,
        &dags_form,
        &pivi_form("Utkast av Dag", "y"),
        "utkast",
    )
    .await;
    assert_eq!(
        dags_draft.status,
        StatusCode::CONFLICT,
        "{}",
        dags_draft.body
    );
    assert!(dags_draft.body.contains("Utkast av Cilla"));

    // And a new item whose address someone took meanwhile.
    let new_page = "/admin/innehall/pivi/ny?modell=pivi";
    let mut fields = pivi_form("Projekt laxhjalp", "z");
    fields.push(("id", "laxhjalp".to_string()));
    let taken = save(&mut dag, new_page, &fields, "publicera").await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
}

#[tokio::test]
async fn bad_input_gets_a_swedish_message_at_its_field_and_nothing_is_stored() {
    let (app, _indexer) = app().await;
    let mut cilla = member(&app, "Cilla Berg").await;
    make_editor(&app, "cilla-berg", "pivi").await;
    let before = app.get("/pivi/laxhjalp").await.body;

    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "titel",
            "   ".to_string(),
            "titel-fel",
            "får inte vara tomt",
        ),
        ("titel", "x".repeat(201), "titel-fel", "högst 200 tecken"),
        (
            "beskrivning",
            "a".repeat(50_001),
            "beskrivning-fel",
            "högst 50000 tecken",
        ),
        (
            "period.fran",
            "tjugohundra".to_string(),
            "period.fran-fel",
            "årtal",
        ),
        (
            "period.fran",
            "1500".to_string(),
            "period.fran-fel",
            "mellan 1900 och 2100",
        ),
        (
            "publicerad",
            "igår".to_string(),
            "publicerad-fel",
            "ÅÅÅÅ-MM-DD",
        ),
        (
            "lankar",
            "Farlig | javascript:alert(1)".to_string(),
            "lankar-fel",
            "https://",
        ),
        (
            "lankar",
            "bara en titel".to_string(),
            "lankar-fel",
            "Titel | https://adress",
        ),
        ("kategori", "okand".to_string(), "kategori-fel", "Välj"),
        (
            "kontakt.epost",
            "inte en adress".to_string(),
            "kontakt.epost-fel",
            "giltig e-postadress",
        ),
        (
            "kontakt.medlem",
            "finns-inte".to_string(),
            "kontakt.medlem-fel",
            "finns inte",
        ),
        (
            "organisation",
            "a\u{0}b".to_string(),
            "organisation-fel",
            "kontrolltecken",
        ),
        ("malgrupper", "alla".to_string(), "malgrupper-fel", "Välj"),
    ];
    for (field, value, error_id, words) in cases {
        let mut fields = pivi_form("Läxhjälp", "Text.");
        fields.retain(|(n, _)| *n != field);
        fields.push((field, value.clone()));
        for action in ["publicera", "utkast"] {
            let answer = save(&mut cilla, EDIT_PIVI, &fields, action).await;
            assert_eq!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field}={value:.40} ({action}): {}",
                answer.body
            );
            let at_field = between(&answer.body, &format!(r#"id="{error_id}""#), "</p>");
            assert!(at_field.contains(words), "{field} ({action}): {at_field}");
            assert!(answer.body.contains("Formuläret har fel"));
        }
    }
    assert_eq!(app.get("/pivi/laxhjalp").await.body, before);
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM content_revisions").await
            + fetch_number(app.pool(), "SELECT count(*) FROM content_drafts").await,
        0
    );
    // An unknown button and a form without its token are refused too.
    let unknown = save(&mut cilla, EDIT_PIVI, &pivi_form("X", "Y"), "radera-allt").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let stale = cilla
        .post(EDIT_PIVI, &[("atgard", "publicera"), ("titel", "X")])
        .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_preview_renders_markdown_as_the_page_does_and_stores_nothing() {
    let (app, _indexer) = app().await;
    let mut cilla = member(&app, "Cilla Berg").await;
    make_editor(&app, "cilla-berg", "pivi").await;
    let answer = save(
        &mut cilla,
        EDIT_PIVI,
        &pivi_form(
            "Läxhjälp",
            "Med **fetstil** och <script>alert(1)</script> [länk](javascript:alert(2))",
        ),
        "forhandsgranska",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let preview = between(&answer.body, "Förhandsgranskning</h2>", "</section>");
    assert!(preview.contains("<strong>fetstil</strong>"), "{preview}");
    assert!(!preview.contains("<script"), "{preview}");
    assert!(!preview.contains("javascript:"), "{preview}");
    assert!(!app.get("/pivi/laxhjalp").await.body.contains("fetstil"));
    assert_eq!(
        fetch_number(app.pool(), "SELECT count(*) FROM content_drafts").await,
        0
    );
}

#[tokio::test]
async fn cells_articles_and_dialogue_texts_are_edited_by_their_models_editors() {
    let (app, _indexer) = app().await;
    let mut erik = member(&app, "Erik Holm").await;
    make_editor(&app, "erik-holm", "stadsutveckling").await;
    make_editor(&app, "erik-holm", "medinflytande").await;

    // A cell's summary.
    let cell = "/admin/innehall/cell/stadsutveckling/torg/moten";
    let saved = save(
        &mut erik,
        cell,
        &[(
            "sammanfattning",
            "Torg där grannar möts över odlingslådor.".to_string(),
        )],
        "publicera",
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(
        app.get("/stadsutveckling/torg/moten")
            .await
            .body
            .contains("odlingslådor")
    );
    assert!(searched(&app, "odlingslådor").await.contains("torg"));

    // A new cell in an empty place, then an article moved into it.
    let new_cell = save(
        &mut erik,
        "/admin/innehall/cell/ny?modell=stadsutveckling",
        &[
            ("rad", "torg".to_string()),
            ("kolumn", "trygghet".to_string()),
            ("sammanfattning", "Belysning gör torget tryggt.".to_string()),
        ],
        "publicera",
    )
    .await;
    assert_eq!(new_cell.status, StatusCode::SEE_OTHER, "{}", new_cell.body);
    assert!(
        app.get("/stadsutveckling/torg/trygghet")
            .await
            .body
            .contains("Belysning")
    );

    let article_form = erik.get("/admin/innehall/artikel/broar").await.body;
    assert!(
        article_form.contains(r#"value="torg/trygghet""#),
        "{article_form}"
    );
    let article_fields = |cells: &[&str]| {
        let mut fields = vec![
            ("titel", "Broar och belysning".to_string()),
            ("ingress", "Om broar.".to_string()),
            ("text", "Broar kan både skilja och förena.".to_string()),
            ("forfattare", "Redaktionen".to_string()),
            ("publicerad", "2015-02-11".to_string()),
            ("taggar", "barriärer".to_string()),
            ("stadsdel", "hela-staden".to_string()),
            // A forged matrix is ignored: the article stays in its own.
            ("matris", "annan".to_string()),
        ];
        for cell in cells {
            fields.push(("celler", cell.to_string()));
        }
        fields
    };
    let moved = save(
        &mut erik,
        "/admin/innehall/artikel/broar",
        &article_fields(&["torg/trygghet"]),
        "publicera",
    )
    .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert!(
        app.get("/stadsutveckling/torg/trygghet")
            .await
            .body
            .contains("Broar och belysning")
    );
    assert!(
        !app.get("/stadsutveckling/mellanrum/trygghet")
            .await
            .body
            .contains("Broar och belysning")
    );
    // No cell, or an unknown one, is a message at "Rutor i matrisen".
    for cells in [&[][..], &["torg/okand"][..]] {
        let refused = save(
            &mut erik,
            "/admin/innehall/artikel/broar",
            &article_fields(cells),
            "publicera",
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{cells:?}"
        );
        assert!(
            refused.body.contains(r#"id="celler-fel""#),
            "{}",
            refused.body
        );
    }
    // A cell with articles cannot be deleted; an empty one can.
    let blocked_page = "/admin/innehall/cell/stadsutveckling/torg/trygghet/ta-bort";
    let blocked = erik.get(blocked_page).await.body;
    assert!(
        blocked.contains("artikel/artiklar hör till den"),
        "{blocked}"
    );
    let refused = erik
        .post(
            blocked_page,
            &[
                ("csrf", &csrf_of(&blocked)),
                ("version", &hidden(&blocked, "version")),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let empty_page = "/admin/innehall/cell/stadsutveckling/torg/moten/ta-bort";
    let empty = erik.get(empty_page).await.body;
    let deleted = erik
        .post(
            empty_page,
            &[
                ("csrf", &csrf_of(&empty)),
                ("version", &hidden(&empty, "version")),
            ],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(!searched(&app, "odlingslådor").await.contains("torg"));

    // A dialogue text becomes a checklist.
    let checklist = save(
        &mut erik,
        "/admin/innehall/dialog/syfte",
        &[
            ("titel", "Checklista för syftet".to_string()),
            ("fas", "forberedelser".to_string()),
            ("texttyp", "checklista".to_string()),
            ("ingress", "Inför dialogen.".to_string()),
            ("text", "Formulera syftet först.".to_string()),
            ("punkter", "Vem berörs?\nVad kan påverkas?".to_string()),
            ("stadsdel", String::new()),
            ("forfattare", "Redaktionen".to_string()),
            ("publicerad", "2015-01-20".to_string()),
            ("taggar", "medborgardialog".to_string()),
        ],
        "publicera",
    )
    .await;
    assert_eq!(
        checklist.status,
        StatusCode::SEE_OTHER,
        "{}",
        checklist.body
    );
    let page = app.get("/medinflytande/forberedelser/syfte").await.body;
    assert!(page.contains("Vad kan påverkas?"), "{page}");
}

#[tokio::test]
async fn a_deleted_entry_leaves_search_and_can_be_restored_from_its_history() {
    let (app, _indexer) = app().await;
    let mut cilla = member(&app, "Cilla Berg").await;
    make_editor(&app, "cilla-berg", "pivi").await;
    assert!(searched(&app, "läxhjälpare").await.contains("laxhjalp"));
    let confirm = cilla
        .get("/admin/innehall/pivi/laxhjalp/ta-bort")
        .await
        .body;
    assert!(confirm.contains("Ta bort “Projekt laxhjalp”?"), "{confirm}");
    let deleted = cilla
        .post(
            "/admin/innehall/pivi/laxhjalp/ta-bort",
            &[
                ("csrf", &csrf_of(&confirm)),
                ("version", &hidden(&confirm, "version")),
            ],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);
    assert_eq!(
        app.get("/pivi/laxhjalp").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!searched(&app, "läxhjälpare").await.contains("laxhjalp"));
    // Its history stays, and its last version comes back.
    let history = cilla.get("/admin/innehall/pivi/laxhjalp/historik").await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(history.body.contains("Sidan togs bort"), "{}", history.body);
    let restore = between(
        &history.body,
        r#"action="/admin/innehall/pivi/laxhjalp/historik/"#,
        "\"",
    );
    let restored = cilla
        .post(
            &format!("/admin/innehall/pivi/laxhjalp/historik/{restore}"),
            &[("csrf", &csrf_of(&history.body)), ("version", "")],
        )
        .await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.body);
    assert!(searched(&app, "läxhjälpare").await.contains("laxhjalp"));

    // A stale delete (the entry changed since the confirmation was shown) is refused.
    let confirm = cilla
        .get("/admin/innehall/pivi/laxhjalp/ta-bort")
        .await
        .body;
    save(
        &mut cilla,
        EDIT_PIVI,
        &pivi_form("Ändrad", "Ändrad."),
        "publicera",
    )
    .await;
    let stale = cilla
        .post(
            "/admin/innehall/pivi/laxhjalp/ta-bort",
            &[
                ("csrf", &csrf_of(&confirm)),
                ("version", &hidden(&confirm, "version")),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(app.get("/pivi/laxhjalp").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_editor_of_a_new_guide_adds_a_checklist_that_is_found_at_once() {
    let (app, _indexer) = app().await;
    execute(
        app.pool(),
        "INSERT INTO support_models (id, kind, area, name, intro, structure, position, created_at) \
         VALUES ('ungas-inflytande', 'fasguide', 'Ungas inflytande', 'Ungas inflytande', \
         'Stöd för att låta unga påverka.', \
         '{\"faser\":[{\"id\":\"forbereda\",\"namn\":\"Förbereda\",\"beskrivning\":\"\"},\
         {\"id\":\"genomfora\",\"namn\":\"Genomföra\",\"beskrivning\":\"\"}]}', 10, 0)",
    )
    .await
    .unwrap();
    let mut erik = member(&app, "Erik Holm").await;
    make_editor(&app, "erik-holm", "ungas-inflytande").await;
    // Only the new guide is his: its own list, its own phases.
    let list = erik.get("/admin/innehall").await.body;
    assert!(list.contains("Ungas inflytande"), "{list}");
    assert!(!list.contains("Text syfte"), "{list}");
    let new_page = "/admin/innehall/dialog/ny?modell=ungas-inflytande";
    let form = erik.get(new_page).await.body;
    assert!(form.contains(r#"<option value="genomfora""#), "{form}");
    assert!(!form.contains(r#"value="forberedelser""#), "{form}");
    assert_eq!(
        erik.get("/admin/innehall/dialog/ny?modell=medinflytande")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        erik.get("/admin/innehall/pivi/ny?modell=ungas-inflytande")
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a guide has no catalogue entries"
    );
    let fields = |phase: &str| {
        vec![
            ("titel", "Checklista för ungas möten".to_string()),
            ("fas", phase.to_string()),
            ("texttyp", "checklista".to_string()),
            ("ingress", "Innan mötet.".to_string()),
            ("text", "Unga vet vad som fungerar.".to_string()),
            ("punkter", "Fråga unga först\nBjud in skolorna".to_string()),
            ("stadsdel", String::new()),
            ("forfattare", "Erik Holm".to_string()),
            ("publicerad", "2026-12-01".to_string()),
            ("taggar", String::new()),
            // A forged model changes nothing: the address names it.
            ("modell", "medinflytande".to_string()),
        ]
    };
    // Another guide's phase is not one of this guide's.
    let wrong = save(&mut erik, new_page, &fields("forberedelser"), "publicera").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains(r#"id="fas-fel""#), "{}", wrong.body);
    let published = save(&mut erik, new_page, &fields("genomfora"), "publicera").await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    let page = app
        .get("/ungas-inflytande/genomfora/checklista-for-ungas-moten")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Bjud in skolorna"));
    let found = searched(&app, "skolorna").await;
    assert!(
        found.contains("/ungas-inflytande/genomfora/checklista-for-ungas-moten"),
        "{found}"
    );
    // The hit is named by its guide, not as the dialogue tool's.
    let page = app.get("/sok?q=skolorna").await.body;
    let hit = between(&page, r#"<li class="traff">"#, "</li>");
    assert!(
        hit.contains(r#"<span class="typ">Ungas inflytande</span>"#),
        "{hit}"
    );
    let facet = app
        .get("/api/v1/sok?q=skolorna&modell=ungas-inflytande")
        .await
        .body;
    assert!(facet.contains("checklista-for-ungas-moten"), "{facet}");
    // Its editor sees "Redigera" on the page; the guide's own page lists the text.
    let own = erik
        .get("/ungas-inflytande/genomfora/checklista-for-ungas-moten")
        .await
        .body;
    assert!(
        own.contains(r#"href="/admin/innehall/dialog/checklista-for-ungas-moten""#),
        "{own}"
    );
}
