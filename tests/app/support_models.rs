//! Support models as data: site admins create a phased guide, a catalogue or a matrix at
//! `/admin/stodmodeller/ny`, and it is at once in the navigation, on the start page, in its
//! own pages, in search (the `modell` facet), in the sitemap and in the feeds; imports carry
//! models; bad input gets Swedish messages at its field.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const PASSWORD: &str = "en lång mening om Hammarkullen";
const NEW: &str = "/admin/stodmodeller/ny";

/// An app with its indexer running, and a logged-in site admin.
async fn admin_app() -> (TestApp, hallbar::indexer::IndexerHandle) {
    let mut app = TestApp::with(&[]).await;
    let indexer = app.start_indexer();
    (app, indexer)
}

/// Registers and logs in `name` (`first@exempel.se`), an admin when `admin`.
async fn member<'a>(app: &'a TestApp, name: &str, admin: bool) -> Visitor<'a> {
    let first = name.split(' ').next().unwrap().to_lowercase();
    let email = format!("{first}@exempel.se");
    let mut who = Visitor::new(app);
    who.register(name, &email, PASSWORD).await;
    let login = who.log_in(&email, PASSWORD).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    if admin {
        let id = hallbar_index::competence_slug(name);
        let sql: &'static str = Box::leak(
            format!("UPDATE accounts SET role = 'admin' WHERE member_id = '{id}'").into_boxed_str(),
        );
        execute(app.pool(), sql).await.unwrap();
    }
    who
}

/// Imports records through the app's write path and waits until search has them.
async fn import_and_index(app: &TestApp, values: &[Value]) -> hallbar::interchange::ImportReport {
    let report = hallbar::interchange::import(&app.state.writes(), lines(values).as_bytes(), false)
        .await
        .unwrap();
    if let Some(seq) = report.committed_seq {
        assert!(
            app.state
                .search
                .wait_for(seq, Duration::from_secs(30))
                .await,
            "the indexer never took in the import"
        );
    }
    report
}

fn guide_fields<'a>(name: &'a str, address: &'a str, phases: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("namn", name),
        ("omrade", ""),
        ("adress", address),
        (
            "introduktion",
            "Stöd för att låta unga påverka sin stadsdel.",
        ),
        ("typ", "fasguide"),
        ("faser", phases),
    ]
}

fn text_json(id: &str, model: &str, phase: &str) -> Value {
    json!({
        "type": "dialog", "id": id, "modell": model, "titel": "Checklista för ungdomsråd",
        "fas": phase, "texttyp": "checklista", "ingress": "Inför första mötet med ungdomsrådet.",
        "text": "Bjud in tidigt och låt de unga sätta dagordningen.",
        "punkter": ["Boka lokal", "Fråga skolorna"], "stadsdel": null,
        "forfattare": "Redaktionen", "publicerad": "2026-11-20", "taggar": ["ungdomsråd"]
    })
}

/// The locations the sitemap lists.
async fn sitemap(app: &TestApp) -> Vec<String> {
    let body = app.get("/sitemap.xml").await.body;
    body.split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_phased_guide_made_on_the_web_is_everywhere_at_once() {
    let (app, _indexer) = admin_app().await;
    let mut admin = member(&app, "Ada Berg", true).await;
    let made = admin
        .submit(
            NEW,
            NEW,
            &guide_fields(
                "Ungas inflytande",
                "ungas-inflytande",
                "Förankring\nUngdomsråd\n\nUppföljning\n",
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let list = admin
        .get("/admin/stodmodeller?skapad=ungas-inflytande")
        .await;
    assert!(list.body.contains("är skapad"), "{}", list.body);
    // The admin log says who made it.
    let log = admin.get("/admin/logg").await.body;
    assert!(log.contains("skapade stödmodellen"), "{log}");
    assert!(log.contains("ungas-inflytande"), "{log}");

    // In the navigation of every page, after the first three, and on the start page.
    let home = app.get("/").await;
    let nav = between(&home.body, r#"aria-label="Huvudmeny""#, "</nav>");
    let order: Vec<usize> = [
        "/stadsutveckling",
        "/pivi",
        "/medinflytande",
        "/ungas-inflytande",
    ]
    .iter()
    .map(|href| {
        nav.find(&format!(r#"href="{href}""#))
            .unwrap_or_else(|| panic!("{href} not in {nav}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{nav}");
    let cards = between(&home.body, r#"id="stodmodeller""#, "</section>");
    assert!(
        cards.contains(r#"<a href="/ungas-inflytande">Ungas inflytande</a>"#),
        "{cards}"
    );
    assert!(cards.contains("0 texter i 3 faser"), "{cards}");

    // Its overview and phases, the current model marked in the navigation.
    let overview = assert_page(&app.get("/ungas-inflytande").await, "/ungas-inflytande");
    assert!(overview.contains("<h1>Ungas inflytande</h1>"), "{overview}");
    assert!(overview.contains(r#"<a href="/ungas-inflytande" aria-current="page">"#));
    for (slug, name) in [
        ("forankring", "Förankring"),
        ("ungdomsrad", "Ungdomsråd"),
        ("uppfoljning", "Uppföljning"),
    ] {
        let path = format!("/ungas-inflytande/{slug}");
        assert!(
            overview.contains(&format!(r#"<a href="{path}">{name}</a>"#)),
            "{overview}"
        );
        let phase = assert_page(&app.get(&path).await, &path);
        assert!(phase.contains(&format!("<h1>{name}</h1>")), "{phase}");
        assert!(phase.contains(r#"<a href="/ungas-inflytande" aria-current="true">"#));
    }
    assert!(app.get("/ungas-inflytande/forberedelser").await.status == StatusCode::NOT_FOUND);
    // The first three are as they were.
    assert_eq!(
        app.get("/medinflytande/forberedelser").await.status,
        StatusCode::OK
    );

    // A checklist imported into it: its page, search with the model facet, sitemap, feed.
    import_and_index(
        &app,
        &[text_json(
            "ungdomsrad-start",
            "ungas-inflytande",
            "ungdomsrad",
        )],
    )
    .await;
    let path = "/ungas-inflytande/ungdomsrad/ungdomsrad-start";
    let text = assert_page(&app.get(path).await, path);
    assert!(text.contains("Checklista · Ungdomsråd"), "{text}");
    assert_eq!(
        app.get("/medinflytande/ungdomsrad/ungdomsrad-start")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let (status, found) = app
        .get_json("/api/v1/sok?q=ungdomsrådet&modell=ungas-inflytande")
        .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["hits"][0]["url"], json!(path), "{found}");
    let (_, found) = app.get_json("/api/v1/sok?q=ungdomsrådet").await;
    let facets = found["facets"].as_array().unwrap();
    let facet = |name: &str| {
        facets
            .iter()
            .find(|f| f["name"] == json!(name))
            .unwrap()
            .clone()
    };
    let models = facet("modell");
    assert!(
        models["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["value"] == json!("ungas-inflytande")
                && v["label"] == json!("Ungas inflytande")),
        "{models}"
    );
    let phases = facet("fas");
    assert!(
        phases["values"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["value"] == json!("ungdomsrad") && v["label"] == json!("Ungdomsråd")),
        "{phases}"
    );
    let (_, none) = app.get_json("/api/v1/sok?q=ungdomsrådet&modell=pivi").await;
    assert_eq!(none["total"], json!(0), "{none}");
    let html = app.get("/sok?q=ungdomsr%C3%A5det").await.body;
    assert!(html.contains("Ungas inflytande"), "{html}");

    let locs = sitemap(&app).await;
    for path in [
        "/ungas-inflytande",
        "/ungas-inflytande/forankring",
        "/ungas-inflytande/ungdomsrad/ungdomsrad-start",
    ] {
        assert!(
            locs.contains(&format!("{SITE}{path}")),
            "{path} not in {locs:?}"
        );
    }
    let feed = app.get("/flode/ungas-inflytande.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.body.contains(&format!("{SITE}{path}")),
        "{}",
        feed.body
    );
}

#[tokio::test]
async fn a_catalogue_and_a_matrix_made_on_the_web_get_their_pages() {
    let (app, _indexer) = admin_app().await;
    let mut admin = member(&app, "Ada Berg", true).await;
    let catalogue = admin
        .submit(
            NEW,
            NEW,
            &[
                ("namn", "Grönt i staden"),
                ("omrade", "Grönska"),
                ("adress", "gronska"),
                ("introduktion", "Odlingar och parker som andra kan lära av."),
                ("typ", "katalog"),
                ("kategorier", "Odling\nPark"),
            ],
        )
        .await;
    assert_eq!(
        catalogue.status,
        StatusCode::SEE_OTHER,
        "{}",
        catalogue.body
    );
    let matrix = admin
        .submit(
            NEW,
            NEW,
            &[
                ("namn", "Trygghetsmatris"),
                ("adress", "trygghet"),
                ("introduktion", "Kunskap om trygghet i olika rum."),
                ("typ", "matris"),
                ("rader-namn", "Rum"),
                ("rader-varden", "Torg\nPark"),
                ("kolumner-namn", "Tid"),
                ("kolumner-varden", "Dag\nKväll"),
            ],
        )
        .await;
    assert_eq!(matrix.status, StatusCode::SEE_OTHER, "{}", matrix.body);

    let nav = app.get("/").await.body;
    assert!(nav.contains(r#"<a href="/gronska">Grönska</a>"#), "{nav}");
    assert!(nav.contains(r#"<a href="/trygghet">Trygghetsmatris</a>"#));

    // The catalogue: its search, an imported entry with its category's name.
    let mut entry = pivi_json("kolonilotter", None);
    entry["modell"] = json!("gronska");
    entry["kategori"] = json!("odling");
    import_and_index(&app, &[entry]).await;
    let page = assert_page(&app.get("/gronska").await, "/gronska");
    assert!(page.contains("Projekt kolonilotter"), "{page}");
    let shown = assert_page(
        &app.get("/gronska/kolonilotter").await,
        "/gronska/kolonilotter",
    );
    assert!(shown.contains(r#"<p class="typ">Odling</p>"#), "{shown}");
    assert_eq!(
        app.get("/pivi/kolonilotter").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!app.get("/pivi").await.body.contains("Projekt kolonilotter"));
    let (_, found) = app.get_json("/api/v1/sok?kategori=odling").await;
    assert_eq!(found["total"], json!(1), "{found}");

    // The matrix: its own table (no cells yet), not the first matrix's.
    let table = assert_page(&app.get("/trygghet").await, "/trygghet");
    assert!(table.contains(r#"<th scope="row">Torg</th>"#), "{table}");
    assert!(table.contains(r#"<th scope="col">Kväll</th>"#), "{table}");
    assert!(!app.get("/stadsutveckling").await.body.contains("Kväll"));
    let locs = sitemap(&app).await;
    assert!(
        locs.contains(&format!("{SITE}/gronska/kolonilotter")),
        "{locs:?}"
    );
    assert!(locs.contains(&format!("{SITE}/trygghet")), "{locs:?}");
    let feed = app.get("/flode/gronska.atom").await;
    assert!(
        feed.body.contains(&format!("{SITE}/gronska/kolonilotter")),
        "{}",
        feed.body
    );
}

#[tokio::test]
async fn only_site_admins_reach_the_model_forms() {
    let (app, _indexer) = admin_app().await;
    for path in ["/admin/stodmodeller", NEW] {
        let visitor = Visitor::new(&app).get(path).await;
        assert_eq!(visitor.status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(visitor.body.contains("Logga in"), "{}", visitor.body);
    }
    let mut plain = member(&app, "Bo Ek", false).await;
    for path in ["/admin/stodmodeller", NEW] {
        let refused = plain.get(path).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            refused.body.contains("behörighet") || refused.body.contains("får inte"),
            "{}",
            refused.body
        );
    }
    // A member's post with a valid token is refused too, and nothing is stored.
    let token = csrf_of(&plain.get("/profil/redigera").await.body);
    let mut fields = guide_fields("Smyg", "smyg", "Ett");
    fields.push(("csrf", &token));
    assert_eq!(plain.post(NEW, &fields).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/smyg").await.status, StatusCode::NOT_FOUND);
    let mut admin = member(&app, "Ada Berg", true).await;
    let form = admin.get(NEW).await;
    assert_eq!(form.status, StatusCode::OK);
    for label in [
        "Namn",
        "Område",
        "Adress",
        "Introduktion",
        "Rader – namn",
        "Rader – värden",
        "Kolumner – namn",
        "Kolumner – värden",
        "Kategorier",
        "Faser",
    ] {
        assert!(
            form.body.contains(&format!(">{label}<"))
                || form.body.contains(&format!(">{label} <"))
                || form.body.contains(&format!(">\n{label}"))
                || form.body.contains(&format!("{label}<span")),
            "{label}: {}",
            form.body
        );
    }
    assert!(form.body.contains("<legend>Typ</legend>"));
}

#[tokio::test]
async fn bad_input_is_told_at_its_field_and_nothing_is_stored() {
    let (app, _indexer) = admin_app().await;
    let mut admin = member(&app, "Ada Berg", true).await;
    let many: String = (1..=21).map(|i| format!("Fas {i}\n")).collect();
    // (the form's fields, the field with the message, what the message says)
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (
            guide_fields("Sök", "sok", "Ett"),
            "adress",
            "används redan av webbplatsen",
        ),
        (
            guide_fields("Dialog", "medinflytande", "Ett"),
            "adress",
            "finns redan en stödmodell",
        ),
        (
            guide_fields("Tom", "tom", "\n \n"),
            "faser",
            "Skriv minst en fas",
        ),
        (guide_fields("Många", "manga", &many), "faser", "högst 20"),
        (
            guide_fields("Dubbel", "dubbel", "Start\nstart"),
            "faser",
            "står mer än en gång",
        ),
        (
            guide_fields("Fel", "Fel Adress", "Ett"),
            "adress",
            "a–z, 0–9",
        ),
        (
            guide_fields("", "tomt-namn", "Ett"),
            "namn",
            "får inte vara tomt",
        ),
        (
            guide_fields("Ond\u{7}", "ond", "Ett"),
            "namn",
            "otillåtna kontrolltecken",
        ),
    ];
    for (fields, field, message) in &cases {
        let answer = admin.submit(NEW, NEW, fields).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            answer.body
        );
        assert!(
            answer.body.contains(&format!("{field}-fel")),
            "{field}: {}",
            answer.body
        );
        let said = between(&answer.body, &format!(r#"id="{field}-fel""#), "</p>");
        assert!(said.contains(message), "{field}: {said}");
        assert!(
            answer
                .body
                .contains(&format!(r#"aria-describedby="{field}-hjalp {field}-fel""#))
                || answer
                    .body
                    .contains(&format!(r#"aria-describedby="{field}-fel""#)),
            "{field}"
        );
    }
    // What was typed is kept, escaped.
    let hostile = admin
        .submit(
            NEW,
            NEW,
            &guide_fields("<script>alert(1)</script>", "sok", "<b>Fas</b>"),
        )
        .await;
    assert_eq!(hostile.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !hostile.body.contains("<script>alert(1)"),
        "{}",
        hostile.body
    );
    assert!(
        hostile
            .body
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(hostile.body.contains("&lt;b&gt;Fas&lt;/b&gt;"));
    let mut conn = app.pool().acquire().await.unwrap();
    let models = hallbar::db::support_models::list(&mut conn).await.unwrap();
    assert_eq!(models, hallbar_index::seed_models());
}

#[tokio::test]
async fn imports_carry_models_and_refuse_content_that_does_not_fit_its_model() {
    let (dir, pool) = test_db().await;
    let model = json!({
        "type": "stodmodell", "id": "ungas-inflytande", "typ": "fasguide", "omrade": "Ungas inflytande",
        "namn": "Ungas inflytande", "introduktion": "Stöd för att låta unga påverka.",
        "faser": [{"id": "start", "namn": "Start", "beskrivning": "Hur det börjar."}]
    });
    let mut unknown_category = pivi_json("okand", None);
    unknown_category["kategori"] = json!("odling");
    let mut wrong_kind = text_json("fel-modell", "pivi", "start");
    wrong_kind["id"] = json!("fel-modell");
    let input = lines(&[
        model.clone(),
        text_json("ok-text", "ungas-inflytande", "start"),
        text_json("fel-fas", "ungas-inflytande", "forberedelser"),
        unknown_category,
        wrong_kind,
    ]);
    let error = hallbar::interchange::import(&writes(&pool), input.as_bytes(), false)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("rad 3: dialog \"fel-fas\": fas: \"forberedelser\" är ingen fas i \"ungas-inflytande\"; tillåtna: start"), "{error}");
    assert!(
        error.contains("rad 4: pivi \"okand\": kategori: \"odling\" är ingen kategori i \"pivi\""),
        "{error}"
    );
    assert!(
        error.contains(
            "rad 5: dialog \"fel-modell\": modell: \"pivi\" är ingen fasguide utan en katalog"
        ),
        "{error}"
    );
    assert!(
        !error.contains("rad 1") && !error.contains("rad 2"),
        "{error}"
    );
    let report = hallbar::interchange::import(&writes(&pool), input.as_bytes(), true)
        .await
        .unwrap();
    assert_eq!(report.total(), 2);
    let app = TestApp::on(dir, pool.clone()).await;
    assert_eq!(
        app.get("/ungas-inflytande/start/ok-text").await.status,
        StatusCode::OK
    );

    // Export writes models first and reads back the same.
    let mut conn = pool.acquire().await.unwrap();
    let records = hallbar::interchange::export(&mut conn).await.unwrap();
    let kinds: Vec<&str> = records.iter().take(4).map(|r| r.kind().slug()).collect();
    assert_eq!(kinds, ["stodmodell"; 4]);
    let mut out = Vec::new();
    hallbar::interchange::write_records(&mut out, &records[..4]).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.lines()
            .last()
            .unwrap()
            .contains(r#""type":"stodmodell","id":"ungas-inflytande","typ":"fasguide""#),
        "{text}"
    );
    // A model may not change its kind.
    let mut changed = model;
    changed["typ"] = json!("katalog");
    changed["faser"] = json!([]);
    changed["kategorier"] = json!([{"id": "a", "namn": "A"}]);
    let error = hallbar::interchange::import(&writes(&pool), lines(&[changed]).as_bytes(), false)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("typen kan inte ändras"), "{error}");
}

#[tokio::test]
async fn every_first_path_segment_of_the_router_is_reserved() {
    // Every route's first segment, read from the router's sources.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let mut segments = std::collections::BTreeSet::new();
    // Every source file of the HTTP edge, in its subdirectories too.
    let mut files = Vec::new();
    let mut dirs = vec![dir];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        // The API's own routes are nested under `/api`.
        let nested = path.ends_with("api.rs");
        for piece in source
            .split(".route(")
            .skip(1)
            .chain(source.split(".nest(").skip(1))
        {
            let Some(path) = piece.trim_start().strip_prefix("\"/") else {
                continue;
            };
            let first = path.split(['/', '"']).next().unwrap();
            if nested && first != "api" {
                continue;
            }
            if !first.is_empty() && !first.starts_with('{') {
                segments.insert(first.to_string());
            }
        }
    }
    assert!(
        segments.contains("sok") && segments.contains("api"),
        "{segments:?}"
    );
    let missing: Vec<_> = segments
        .iter()
        .filter(|s| !hallbar_index::paths::is_reserved(s))
        .collect();
    // Constants used as routes (`LIST_PATH`, …) are `/admin/…`.
    assert!(missing.is_empty(), "not reserved: {missing:?}");
    assert!(hallbar_index::paths::is_reserved("admin"));
}

/// The version before the support models' migration.
const BEFORE_MODELS: i64 = 20261201000012;

/// Copies every row of `from` into the tables of `to` (the columns `to` has), in whatever
/// order the foreign keys allow.
async fn copy_rows(from: &hallbar::db::Db, to: &hallbar::db::Db) {
    use hallbar::db::Db;
    match (from, to) {
        (Db::Sqlite(_), Db::Sqlite(to)) => {
            let mut conn = to.acquire().await.unwrap();
            let source = from_path(from);
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "ATTACH DATABASE '{source}' AS alt"
            )))
            .execute(&mut *conn)
            .await
            .unwrap();
            sqlx::query("PRAGMA foreign_keys = OFF")
                .execute(&mut *conn)
                .await
                .unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM main.sqlite_schema WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
            )
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            for table in tables {
                let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT name FROM pragma_table_info('{table}')"
                )))
                .fetch_all(&mut *conn)
                .await
                .unwrap();
                let columns = columns.join(", ");
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT OR REPLACE INTO main.{table} ({columns}) SELECT {columns} FROM alt.{table}"
                )))
                .execute(&mut *conn)
                .await
                .unwrap();
            }
            sqlx::query("PRAGMA foreign_keys = ON")
                .execute(&mut *conn)
                .await
                .unwrap();
            sqlx::query("DETACH DATABASE alt")
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        (Db::Postgres(from), Db::Postgres(to)) => {
            let schema = |pool: sqlx::PgPool| async move {
                sqlx::query_scalar::<_, String>("SELECT current_schema()::text")
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            };
            let (source, target) = (schema(from.clone()).await, schema(to.clone()).await);
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
            )
            .fetch_all(to)
            .await
            .unwrap();
            let mut left: Vec<String> = tables;
            // Parents before children: a table whose rows point at uncopied ones waits.
            for _ in 0..20 {
                let mut waiting = Vec::new();
                for table in left {
                    let columns: Vec<String> = sqlx::query_scalar(
                        "SELECT column_name::text FROM information_schema.columns \
                         WHERE table_schema = current_schema() AND table_name = $1 \
                         AND is_generated = 'NEVER' ORDER BY ordinal_position",
                    )
                    .bind(&table)
                    .fetch_all(to)
                    .await
                    .unwrap();
                    let columns = columns.join(", ");
                    let copied = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "INSERT INTO {target}.{table} ({columns}) OVERRIDING SYSTEM VALUE \
                         SELECT {columns} FROM {source}.{table} ON CONFLICT DO NOTHING"
                    )))
                    .execute(to)
                    .await;
                    if copied.is_err() {
                        waiting.push(table);
                    }
                }
                left = waiting;
                if left.is_empty() {
                    break;
                }
            }
            assert!(left.is_empty(), "could not copy {left:?}");
        }
        _ => unreachable!("both databases are of one kind"),
    }
}

fn from_path(db: &hallbar::db::Db) -> String {
    let pool = sqlite(db);
    let options = pool.connect_options();
    options.get_filename().to_string_lossy().into_owned()
}

/// What a set of searches answers (whole JSON: hits in order, totals and facets).
async fn searches(app: &TestApp) -> Vec<(String, Value)> {
    const QUERIES: [&str; 20] = [
        "q=dialog",
        "q=trygghet",
        "q=medborgardialog&typ=dialog",
        "q=l%C3%A4xhj%C3%A4lp",
        "typ=pivi",
        "typ=artikel",
        "typ=matriscell",
        "typ=dialog&fas=inventering",
        "fas=uppfoljning",
        "fas=forberedelser&fas=genomforande",
        "kategori=projekt",
        "kategori=ide",
        "kategori=verksamhet&sortera=nyast",
        "q=unga&typ=pivi&malgrupp=unga",
        "q=stadsrum",
        "q=mellanrum&typ=artikel",
        "q=checklista",
        "stadsdel=hela-staden",
        "ar=2015",
        "q=goteborg&sida=2",
    ];
    let mut out = Vec::new();
    for query in QUERIES {
        let (status, mut json) = app.get_json(&format!("/api/v1/sok?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {json}");
        // The new facet is the one difference a migrated database may show.
        if let Some(facets) = json["facets"].as_array_mut() {
            facets.retain(|f| f["name"] != json!("modell"));
        }
        out.push((query.to_string(), json));
    }
    out
}

#[tokio::test]
async fn a_database_from_before_models_keeps_every_address_and_search_result() {
    // The reference: the demo loaded at today's schema.
    let reference = TestApp::demo().await;
    // The same content in a database at the schema before models, then migrated.
    let dir = tempfile::tempdir().unwrap();
    let old = if on_postgres() {
        hallbar::db::Db::Postgres(postgres_db().await)
    } else {
        hallbar::db::Db::Sqlite(hallbar::db::open(dir.path()).await.unwrap())
    };
    hallbar::db::migrate_to(&old, BEFORE_MODELS).await.unwrap();
    let has_models = |db: hallbar::db::Db| async move {
        let mut conn = db.acquire().await.unwrap();
        hallbar::db::support_models::list(&mut conn).await.is_ok()
    };
    assert!(!has_models(old.clone()).await, "migrated too far");
    copy_rows(reference.pool(), &old).await;
    hallbar::db::migrate(&old).await.unwrap();
    let migrated = TestApp::on(dir, old).await;

    // Every address of the sitemap, in the same order, answers the same.
    let before = sitemap(&reference).await;
    let after = sitemap(&migrated).await;
    assert_eq!(before, after);
    assert!(before.len() > 100, "{}", before.len());
    for prefix in [
        "/stadsutveckling/",
        "/stadsutveckling/artiklar/",
        "/pivi/",
        "/medinflytande/inventering/",
    ] {
        assert!(
            before
                .iter()
                .any(|l| l.starts_with(&format!("{SITE}{prefix}"))),
            "{prefix}"
        );
    }
    for loc in &before {
        let path = loc.strip_prefix(SITE).unwrap();
        let (a, b) = (reference.get(path).await, migrated.get(path).await);
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(b.status, a.status, "{path}");
        assert_eq!(main_of(&b.body), main_of(&a.body), "{path}");
    }
    // The feeds too.
    for feed in ["/flode/pivi.atom", "/flode/artiklar.atom"] {
        assert_eq!(
            migrated.get(feed).await.body,
            reference.get(feed).await.body,
            "{feed}"
        );
    }
    // Every search gives the same hits in the same order, with the same facets.
    let (a, b) = (searches(&reference).await, searches(&migrated).await);
    for ((query, a), (_, b)) in a.iter().zip(&b) {
        assert!(
            a["total"].as_u64().unwrap() > 0 || query.contains("sida=2"),
            "{query}: no hits"
        );
        assert_eq!(a, b, "{query}");
    }
}

#[tokio::test]
async fn a_model_made_on_one_node_reaches_the_others_once_their_indexers_read_it() {
    let (app, _indexer) = admin_app().await;
    // A second node on the same database has read (and keeps) the list of models.
    let mut other = TestApp::on(tempfile::tempdir().unwrap(), app.pool().clone()).await;
    let _other_indexer = other.start_indexer();
    assert!(
        !other
            .get("/")
            .await
            .body
            .contains(r#"href="/ungas-inflytande""#)
    );
    assert_eq!(
        other.get("/ungas-inflytande").await.status,
        StatusCode::NOT_FOUND
    );

    let mut admin = member(&app, "Ada Berg", true).await;
    let made = admin
        .submit(
            NEW,
            NEW,
            &guide_fields(
                "Ungas inflytande",
                "ungas-inflytande",
                "Förankring\nUppföljning",
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    // On the node that made it, at once.
    assert!(
        app.get("/")
            .await
            .body
            .contains(r#"href="/ungas-inflytande""#)
    );
    // On the other, once its indexer has read the change from the outbox.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while other.get("/ungas-inflytande").await.status != StatusCode::OK {
        assert!(
            std::time::Instant::now() < deadline,
            "the other node never saw the model"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        other
            .get("/")
            .await
            .body
            .contains(r#"href="/ungas-inflytande""#)
    );
}
