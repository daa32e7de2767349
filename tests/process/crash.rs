//! Crash safety: a real `hallbar serve` killed with SIGKILL while it indexes, started again,
//! converges to the database with nothing missing and nothing duplicated.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use crate::support::*;
use std::process::Child;
use std::time::Instant;

use hallbar_index::SearchIndex;
use tantivy::collector::DocSetCollector;
use tantivy::query::AllQuery;
use tantivy::schema::Value as _;

const MEMBERS: usize = 6_000;

/// Starts `serve` and returns once it listens.
fn serve(data: &Path) -> Child {
    spawn_serve(data).0
}

fn open_current(data: &Path) -> SearchIndex {
    let location = hallbar::indexer::IndexLocation::new(data);
    let name = location.current().unwrap().unwrap();
    SearchIndex::open_or_create(&location.dir(&name)).unwrap()
}

fn member_line(i: usize) -> String {
    serde_json::json!({
        "type": "medlem", "id": format!("medlem-{i}"), "namn": format!("Medlem {i}"),
        "titel": "Samordnare", "organisation": "Göteborgs Stad", "sektor": "kommun",
        "stadsdel": "angered", "bakgrund": format!("Arbetar med stadsutveckling, nummer {i}."),
        "kompetenser": ["medborgardialog"], "medlem_sedan": "2015-01-01"
    })
    .to_string()
}

#[test]
fn a_killed_indexer_resumes_and_converges() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    // An empty index exists first, so the new members reach it through the outbox.
    let mut first = serve(data);
    first.kill().unwrap();
    first.wait().unwrap();

    let file = data.join("medlemmar.jsonl");
    let text: Vec<String> = (0..MEMBERS).map(member_line).collect();
    std::fs::write(&file, text.join("\n")).unwrap();
    let import = hallbar(data, &["import", file.to_str().unwrap()]);
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );

    // Kill the server twice while it works through the outbox.
    for delay in [150u64, 400] {
        let mut child = serve(data);
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        eprintln!(
            "watermark after kill at {delay} ms: {}",
            open_current(data).watermark().unwrap()
        );
    }

    // Start again and wait until the index has caught up with the whole outbox.
    let mut last = serve(data);
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let index = open_current(data);
        if index.watermark().unwrap() >= MEMBERS as i64 {
            break;
        }
        assert!(Instant::now() < deadline, "the index never caught up");
        std::thread::sleep(Duration::from_millis(200));
    }
    last.kill().unwrap();
    last.wait().unwrap();

    let index = open_current(data);
    index.reload().unwrap();
    let searcher = index.searcher();
    let docs = searcher.search(&AllQuery, &DocSetCollector).unwrap();
    let mut keys = HashSet::new();
    for address in &docs {
        let doc: tantivy::TantivyDocument = searcher.doc(*address).unwrap();
        let key = doc
            .get_first(index.fields().key)
            .and_then(|v| v.as_str())
            .unwrap()
            .to_string();
        assert!(keys.insert(key.clone()), "{key} is in the index twice");
    }
    assert_eq!(
        keys.len(),
        MEMBERS,
        "every member is in the index exactly once"
    );
    for i in [0, MEMBERS / 2, MEMBERS - 1] {
        assert!(keys.contains(&format!("medlem:medlem-{i}")));
    }
}
