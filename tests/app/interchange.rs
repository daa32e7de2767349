//! Import and export of the JSON Lines format: per-line Swedish errors, all-or-nothing, idempotence and round trips.

use hallbar::db;
use hallbar::db::Db;
use hallbar::interchange::{self, ImportError};
use serde_json::{Value, json};

use crate::support::*;

/// Imports `text`, expecting it to be rejected; returns the error lines.
async fn rejected(pool: &Db, text: &[u8]) -> Vec<String> {
    match interchange::import(&writes(pool), text, false).await {
        Err(ImportError::Invalid(errors)) => errors.iter().map(ToString::to_string).collect(),
        other => panic!("expected the import to be rejected, got {other:?}"),
    }
}

async fn total_rows(pool: &Db) -> i64 {
    let mut conn = pool.acquire().await.unwrap();
    let c = db::stats::counts(&mut conn).await.unwrap();
    c.members
        + c.groups
        + c.threads
        + c.posts
        + c.pivi_entries
        + c.matrix_cells
        + c.articles
        + c.dialogue_texts
}

/// One valid member line, then `bad`; the bad line must be named as line 2 with `expect`.
async fn assert_bad_line(bad: &[u8], expect: &str) {
    let (_dir, pool) = test_db().await;
    let mut text = member_json("anna").to_string().into_bytes();
    text.push(b'\n');
    text.extend_from_slice(bad);
    let errors = rejected(&pool, &text).await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("rad 2: "), "{errors:?}");
    assert!(
        errors[0].contains(expect),
        "expected {expect:?} in {errors:?}"
    );
    assert_eq!(total_rows(&pool).await, 0, "nothing may be written");
}

fn with(mut value: Value, field: &str, new: Value) -> Vec<u8> {
    value[field] = new;
    value.to_string().into_bytes()
}

fn without(mut value: Value, field: &str) -> Vec<u8> {
    value.as_object_mut().unwrap().remove(field);
    value.to_string().into_bytes()
}

#[tokio::test]
async fn broken_json_is_named_by_line() {
    assert_bad_line(br#"{"type":"medlem","id":"#, "ogiltig JSON").await;
    assert_bad_line(b"[1,2,3]", "JSON-objekt").await;
}

#[tokio::test]
async fn missing_or_unknown_type() {
    assert_bad_line(&without(member_json("bo"), "type"), "\"type\" saknas").await;
    assert_bad_line(
        &with(member_json("bo"), "type", json!("person")),
        "okänd typ \"person\"",
    )
    .await;
    assert_bad_line(
        &with(member_json("bo"), "type", json!(3)),
        "måste vara en sträng",
    )
    .await;
}

#[tokio::test]
async fn unknown_enum_values_name_the_allowed_ones() {
    assert_bad_line(
        &with(member_json("bo"), "stadsdel", json!("mölndal")),
        "stadsdel",
    )
    .await;
    assert_bad_line(
        &with(member_json("bo"), "sektor", json!("kyrkan")),
        "kommun, offentlig",
    )
    .await;
    assert_bad_line(
        &with(pivi_json("p", None), "kategori", json!("event")),
        "kategori",
    )
    .await;
    assert_bad_line(
        &with(dialogue_json("d", "text", &[]), "fas", json!("slut")),
        "fas",
    )
    .await;
}

#[tokio::test]
async fn missing_wrong_typed_and_unknown_fields() {
    assert_bad_line(
        &without(member_json("bo"), "namn"),
        "obligatoriskt fält `namn` saknas",
    )
    .await;
    assert_bad_line(
        &with(member_json("bo"), "kompetenser", json!("dialog")),
        "kompetenser",
    )
    .await;
    assert_bad_line(
        &with(member_json("bo"), "skostorlek", json!(42)),
        "okänt fält `skostorlek`",
    )
    .await;
    assert_bad_line(
        &with(member_json("bo"), "medlem_sedan", json!("igår")),
        "medlem_sedan",
    )
    .await;
    assert_bad_line(
        &with(member_json("bo"), "id", json!("Bo Ek")),
        "ogiltigt id",
    )
    .await;
}

#[tokio::test]
async fn over_long_fields_and_lines() {
    assert_bad_line(
        &with(member_json("bo"), "namn", json!("å".repeat(201))),
        "namn: får vara högst 200",
    )
    .await;
    // A profile may have no competences yet (one made on the web starts so), but not the
    // same one twice.
    assert_bad_line(
        &with(
            member_json("bo"),
            "kompetenser",
            json!(["Medborgardialog", "medborgardialog"]),
        ),
        "förekommer mer än en gång",
    )
    .await;
    let many: Vec<String> = (0..51).map(|i| format!("kompetens {i}")).collect();
    assert_bad_line(
        &with(member_json("bo"), "kompetenser", json!(many)),
        "högst 50",
    )
    .await;
    let huge = with(
        member_json("bo"),
        "bakgrund",
        json!("x".repeat(2 * 1024 * 1024)),
    );
    assert_bad_line(&huge, "längre än").await;
}

#[tokio::test]
async fn invalid_utf8_is_named_by_line() {
    let mut bad = br#"{"type":"medlem","id":"bo","namn":"G"#.to_vec();
    bad.extend_from_slice(&[0xff, 0xfe]);
    bad.extend_from_slice(br#"teborg"}"#);
    assert_bad_line(&bad, "UTF-8").await;
}

#[tokio::test]
async fn content_rules_per_type() {
    assert_bad_line(
        &dialogue_json("d", "checklista", &[])
            .to_string()
            .into_bytes(),
        "punkter",
    )
    .await;
    assert_bad_line(
        &dialogue_json("d", "text", &["punkt"])
            .to_string()
            .into_bytes(),
        "bara en checklista",
    )
    .await;
    assert_bad_line(
        &with(
            pivi_json("p", None),
            "period",
            json!({"fran": 2015, "till": 2013}),
        ),
        "period.till",
    )
    .await;
    let bad_link = json!([{"titel": "x", "url": "javascript:alert(1)"}]);
    assert_bad_line(
        &with(pivi_json("p", None), "lankar", bad_link),
        "lankar[0].url",
    )
    .await;
    assert_bad_line(
        &group_json("g", "bo", &["anna"], "oppen")
            .to_string()
            .into_bytes(),
        "skapare",
    )
    .await;
    assert_bad_line(
        &thread_json("t", "g", &[]).to_string().into_bytes(),
        "minst ett inlägg",
    )
    .await;
    assert_bad_line(
        &matrix_json("m", &[("mellanrum", "saknas")])
            .to_string()
            .into_bytes(),
        "kolumnen \"saknas\"",
    )
    .await;
}

#[tokio::test]
async fn references_must_resolve_in_the_file_or_the_database() {
    assert_bad_line(
        &group_json("g", "anna", &["anna", "okand"], "oppen")
            .to_string()
            .into_bytes(),
        "\"okand\" finns inte",
    )
    .await;
    assert_bad_line(
        &thread_json("t", "ingen-grupp", &[("anna", "Hej")])
            .to_string()
            .into_bytes(),
        "gruppen \"ingen-grupp\" finns inte",
    )
    .await;
    assert_bad_line(
        &pivi_json("p", Some("okand")).to_string().into_bytes(),
        "kontakt.medlem",
    )
    .await;
    assert_bad_line(
        &article_json("a", "ingen-matris", &[("torg", "moten")])
            .to_string()
            .into_bytes(),
        "matrisen \"ingen-matris\" finns inte",
    )
    .await;
    assert_bad_line(
        &member_json("anna").to_string().into_bytes(),
        "finns redan på rad 1",
    )
    .await;

    // A post author must belong to the thread's group, even when the group is stored already.
    let (_dir, pool) = test_db().await;
    let setup = lines(&[
        member_json("anna"),
        member_json("bo"),
        group_json("g", "anna", &["anna"], "stangd"),
        matrix_json("m", &[("torg", "moten")]),
    ]);
    interchange::import(&writes(&pool), setup.as_bytes(), false)
        .await
        .unwrap();
    let errors = rejected(
        &pool,
        thread_json("t", "g", &[("anna", "Hej"), ("bo", "Hej på dig")])
            .to_string()
            .as_bytes(),
    )
    .await;
    assert!(
        errors[0].contains("inlagg[1].av: \"bo\" är inte medlem"),
        "{errors:?}"
    );
    let errors = rejected(
        &pool,
        article_json("a", "m", &[("torg", "trygghet")])
            .to_string()
            .as_bytes(),
    )
    .await;
    assert!(
        errors[0].contains("cellen torg/trygghet finns inte"),
        "{errors:?}"
    );
    // Stored references resolve.
    let ok = lines(&[
        thread_json("t", "g", &[("anna", "Hej")]),
        article_json("a", "m", &[("torg", "moten")]),
    ]);
    interchange::import(&writes(&pool), ok.as_bytes(), false)
        .await
        .unwrap();
    // A matrix may not drop a cell a stored article links to.
    let errors = rejected(
        &pool,
        matrix_json("m", &[("mellanrum", "moten")])
            .to_string()
            .as_bytes(),
    )
    .await;
    assert!(errors[0].contains("artikeln \"a\" länkar"), "{errors:?}");
}

#[tokio::test]
async fn nothing_changes_when_any_line_is_bad() {
    let (_dir, pool) = test_db().await;
    interchange::import(
        &writes(&pool),
        member_json("anna").to_string().as_bytes(),
        false,
    )
    .await
    .unwrap();
    let mut renamed = member_json("anna");
    renamed["namn"] = json!("Nytt namn");
    let text = format!("{}\n{{trasig", renamed);
    rejected(&pool, text.as_bytes()).await;
    let mut conn = pool.acquire().await.unwrap();
    let stored = db::members::get(&mut conn, "anna").await.unwrap().unwrap();
    assert_eq!(stored.name, "Namn anna");
}

#[tokio::test]
async fn skip_invalid_imports_the_rest_and_cascades() {
    let (_dir, pool) = test_db().await;
    let mut bad_member = member_json("bo");
    bad_member["sektor"] = json!("okand");
    let text = lines(&[
        member_json("anna"),
        bad_member,
        group_json("g", "anna", &["anna", "bo"], "oppen"),
        pivi_json("p", Some("anna")),
    ]);
    let report = interchange::import(&writes(&pool), text.as_bytes(), true)
        .await
        .unwrap();
    assert_eq!(report.total(), 2, "{report:?}");
    let skipped: Vec<usize> = report.skipped.iter().map(|e| e.line).collect();
    assert_eq!(skipped, [2, 3], "the group refers to the rejected member");
}

#[tokio::test]
async fn importing_twice_updates_without_duplicates() {
    let (_dir, pool) = test_db().await;
    let text = lines(&[
        thread_json("t", "g", &[("anna", "Hej"), ("bo", "Svar")]),
        group_json("g", "anna", &["anna", "bo"], "stangd"),
        member_json("anna"),
        member_json("bo"),
        pivi_json("p", Some("bo")),
        matrix_json("m", &[("torg", "moten")]),
        article_json("a", "m", &[("torg", "moten")]),
        dialogue_json("d", "checklista", &["Ett", "Två"]),
    ]);
    let first = interchange::import(&writes(&pool), text.as_bytes(), false)
        .await
        .unwrap();
    assert_eq!(first.total(), 8);
    let rows = total_rows(&pool).await;
    let second = interchange::import(&writes(&pool), text.as_bytes(), false)
        .await
        .unwrap();
    assert_eq!(second.total(), 8);
    assert_eq!(total_rows(&pool).await, rows);
}

#[tokio::test]
async fn export_import_export_is_stable() {
    let (_dir, pool) = test_db().await;
    hallbar::demo::load(&writes(&pool)).await.unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let mut first = Vec::new();
    interchange::write_records(&mut first, &interchange::export(&mut conn).await.unwrap()).unwrap();
    assert!(!first.is_empty());

    let (_dir2, fresh) = test_db().await;
    interchange::import(&writes(&fresh), first.as_slice(), false)
        .await
        .unwrap();
    let mut conn2 = fresh.acquire().await.unwrap();
    let mut second = Vec::new();
    interchange::write_records(&mut second, &interchange::export(&mut conn2).await.unwrap())
        .unwrap();
    assert_eq!(
        String::from_utf8(first).unwrap(),
        String::from_utf8(second).unwrap()
    );
}

#[tokio::test]
async fn a_group_may_not_drop_members_who_wrote_in_its_threads() {
    let (_dir, pool) = test_db().await;
    let setup = lines(&[
        member_json("anna"),
        member_json("bo"),
        group_json("g", "anna", &["anna", "bo"], "oppen"),
        thread_json("t", "g", &[("anna", "Hej"), ("bo", "Svar")]),
    ]);
    interchange::import(&writes(&pool), setup.as_bytes(), false)
        .await
        .unwrap();
    let errors = rejected(
        &pool,
        group_json("g", "anna", &["anna"], "oppen")
            .to_string()
            .as_bytes(),
    )
    .await;
    assert!(errors[0].starts_with("rad 1: grupp \"g\""), "{errors:?}");
    assert!(
        errors[0].contains("\"bo\" saknas men har skrivit i gruppens tråd \"t\""),
        "{errors:?}"
    );
    // Re-importing the thread without bo's post in the same file is fine.
    let both = lines(&[
        group_json("g", "anna", &["anna"], "oppen"),
        thread_json("t", "g", &[("anna", "Hej")]),
    ]);
    interchange::import(&writes(&pool), both.as_bytes(), false)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_matrix_can_drop_a_cell_while_its_articles_move_in_the_same_file() {
    let (_dir, pool) = test_db().await;
    let setup = lines(&[
        matrix_json("m", &[("torg", "moten"), ("mellanrum", "trygghet")]),
        article_json("a", "m", &[("torg", "moten"), ("mellanrum", "trygghet")]),
    ]);
    interchange::import(&writes(&pool), setup.as_bytes(), false)
        .await
        .unwrap();
    let moved = lines(&[
        matrix_json("m", &[("torg", "moten")]),
        article_json("a", "m", &[("torg", "moten")]),
    ]);
    interchange::import(&writes(&pool), moved.as_bytes(), false)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    assert_eq!(
        db::matrix::get(&mut conn, "m")
            .await
            .unwrap()
            .unwrap()
            .cells
            .len(),
        1
    );
    assert_eq!(
        db::articles::get(&mut conn, "a")
            .await
            .unwrap()
            .unwrap()
            .cells
            .len(),
        1
    );
}

#[tokio::test]
async fn dates_outside_a_sensible_range_and_wrong_types_are_explained_in_swedish() {
    assert_bad_line(
        &with(member_json("bo"), "medlem_sedan", json!("+12345-01-01")),
        "medlem_sedan",
    )
    .await;
    assert_bad_line(
        &with(member_json("bo"), "medlem_sedan", json!("0001-01-01")),
        "mellan år 1900 och 2100",
    )
    .await;
    assert_bad_line(
        &with(member_json("bo"), "namn", json!(5)),
        "förväntade en sträng",
    )
    .await;
    assert_bad_line(
        &with(
            pivi_json("p", None),
            "period",
            json!({"fran": 99999999999i64}),
        ),
        "period.fran",
    )
    .await;
}
