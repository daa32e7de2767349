//! Shared helpers for the integration tests: a fresh migrated database and sample content.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use hallbar_index::{Article, DialogueText, Group, Matrix, Member, PiviEntry, Thread};
use serde_json::{Value, json};
use sqlx::SqlitePool;
use tempfile::TempDir;

/// A fresh, migrated database in its own temporary data directory.
pub async fn test_db() -> (TempDir, SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let pool = hallbar::db::open_and_migrate(dir.path()).await.unwrap();
    (dir, pool)
}

/// A fresh database plus its search index (no indexer running), as the app state.
pub async fn test_state() -> (TempDir, hallbar::AppState) {
    let (dir, pool) = test_db().await;
    let search = hallbar::search::open(dir.path(), &pool).await.unwrap();
    (dir, hallbar::AppState::new(pool, search))
}

pub fn member_json(id: &str) -> Value {
    json!({
        "type": "medlem", "id": id, "namn": format!("Namn {id}"),
        "titel": "Områdesutvecklare", "organisation": "Göteborgs Stad",
        "sektor": "kommun", "stadsdel": "angered",
        "bakgrund": "Arbetar med medborgardialog och trygghetsvandringar i Hammarkullen.",
        "kompetenser": ["medborgardialog", "trygghetsvandringar"],
        "intressen": ["stadsodling"], "synlighet": "publik", "medlem_sedan": "2014-03-02"
    })
}

pub fn group_json(id: &str, creator: &str, members: &[&str], access: &str) -> Value {
    json!({
        "type": "grupp", "id": id, "namn": format!("Grupp {id}"),
        "beskrivning": "En grupp för erfarenhetsutbyte.", "tillgang": access,
        "skapad": "2014-04-01", "skapad_av": creator, "medlemmar": members
    })
}

pub fn thread_json(id: &str, group: &str, posts: &[(&str, &str)]) -> Value {
    let posts: Vec<Value> = posts
        .iter()
        .enumerate()
        .map(|(i, (author, text))| {
            json!({"av": author, "skapad": format!("2014-04-02T09:{:02}:00Z", i), "text": text})
        })
        .collect();
    json!({"type": "trad", "id": id, "grupp": group, "rubrik": format!("Tråd {id}"), "inlagg": posts})
}

pub fn pivi_json(id: &str, contact_member: Option<&str>) -> Value {
    json!({
        "type": "pivi", "id": id, "titel": format!("Projekt {id}"), "kategori": "projekt",
        "sammanfattning": "Läxhjälp för unga i Hjällbo.",
        "beskrivning": "Ideella läxhjälpare träffar elever två kvällar i veckan.",
        "stadsdel": "angered", "organisation": "Hjällbo bibliotek",
        "malgrupper": ["unga"], "taggar": ["läxhjälp"], "period": {"fran": 2014, "till": null},
        "kontakt": {"namn": "Sara Ek", "epost": "sara.ek@example.org", "medlem": contact_member},
        "lankar": [{"titel": "Göteborgs Stad", "url": "https://goteborg.se/"}],
        "publicerad": "2014-09-10"
    })
}

pub fn matrix_json(id: &str, cells: &[(&str, &str)]) -> Value {
    let cells: Vec<Value> = cells
        .iter()
        .map(|(r, c)| json!({"rad": r, "kolumn": c, "sammanfattning": format!("Kunskap om {r} och {c}.")}))
        .collect();
    json!({
        "type": "matris", "id": id, "titel": "Kunskapsmatris", "beskrivning": "Om mellanrum och stadsrum.",
        "rader": {"namn": "Rum", "varden": [
            {"id": "mellanrum", "namn": "Mellanrum", "beskrivning": "Ytor mellan stadsdelar."},
            {"id": "torg", "namn": "Torg", "beskrivning": "Stadens torg."}]},
        "kolumner": {"namn": "Social dimension", "varden": [
            {"id": "trygghet", "namn": "Trygghet", "beskrivning": "Upplevd trygghet."},
            {"id": "moten", "namn": "Möten", "beskrivning": "Möten mellan människor."}]},
        "celler": cells
    })
}

pub fn article_json(id: &str, matrix: &str, cells: &[(&str, &str)]) -> Value {
    let cells: Vec<Value> = cells
        .iter()
        .map(|(r, c)| json!({"rad": r, "kolumn": c}))
        .collect();
    json!({
        "type": "artikel", "id": id, "titel": format!("Artikel {id}"), "ingress": "Om broar.",
        "text": "Broar kan både skilja och förena stadsdelar.", "forfattare": "Redaktionen",
        "publicerad": "2015-02-11", "matris": matrix, "celler": cells, "taggar": ["barriärer"],
        "stadsdel": "hela-staden"
    })
}

pub fn dialogue_json(id: &str, kind: &str, items: &[&str]) -> Value {
    json!({
        "type": "dialog", "id": id, "titel": format!("Text {id}"), "fas": "forberedelser",
        "texttyp": kind, "ingress": "Inför dialogen.", "text": "Formulera syftet först.",
        "punkter": items, "stadsdel": null, "forfattare": "Redaktionen",
        "publicerad": "2015-01-20", "taggar": ["medborgardialog"]
    })
}

/// Turns a JSON line of the interchange format into the model type (dropping `type`).
pub fn typed<T: serde::de::DeserializeOwned>(mut value: Value) -> T {
    value.as_object_mut().unwrap().remove("type");
    serde_json::from_value(value).unwrap()
}

pub fn member(id: &str) -> Member {
    typed(member_json(id))
}
pub fn group(id: &str, creator: &str, members: &[&str], access: &str) -> Group {
    typed(group_json(id, creator, members, access))
}
pub fn thread(id: &str, group: &str, posts: &[(&str, &str)]) -> Thread {
    typed(thread_json(id, group, posts))
}
pub fn pivi(id: &str, contact_member: Option<&str>) -> PiviEntry {
    typed(pivi_json(id, contact_member))
}
pub fn matrix(id: &str, cells: &[(&str, &str)]) -> Matrix {
    typed(matrix_json(id, cells))
}
pub fn article(id: &str, matrix: &str, cells: &[(&str, &str)]) -> Article {
    typed(article_json(id, matrix, cells))
}
pub fn dialogue(id: &str, kind: &str, items: &[&str]) -> DialogueText {
    typed(dialogue_json(id, kind, items))
}

/// JSON Lines text from values.
pub fn lines(values: &[Value]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Starts the real `hallbar serve` on a free port with an empty data directory (no demo)
/// and returns the child and its `host:port` once it listens.
pub fn spawn_serve(data: &std::path::Path) -> (std::process::Child, String) {
    spawn_serve_with(data, &["--no-demo"])
}

/// Starts the real `hallbar serve` on a free port with the demo corpus loaded into the empty
/// data directory, and returns the child and its `host:port` once it listens.
pub fn spawn_serve_with_demo(data: &std::path::Path) -> (std::process::Child, String) {
    spawn_serve_with(data, &[])
}

fn spawn_serve_with(data: &std::path::Path, extra: &[&str]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hallbar"))
        .arg("serve")
        .args(extra)
        .args(["--addr", "127.0.0.1:0"])
        .env("HALLBAR_DATA_DIR", data)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let host = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("serve did not start: {line:?}"))
        .trim_start_matches("http://")
        .to_string();
    (child, host)
}
