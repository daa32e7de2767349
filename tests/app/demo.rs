//! The Swedish demo corpus: breadth, loading once, every file embedded.

use std::collections::HashSet;

use hallbar::db;
use hallbar_index::{DialogueKind, GroupAccess, seed_models};

use crate::support::*;

#[tokio::test]
async fn demo_corpus_has_the_promised_breadth() {
    let (_dir, pool) = test_db().await;
    let report = hallbar::demo::load(&writes(&pool)).await.unwrap();
    assert!(report.skipped.is_empty());
    let mut conn = pool.acquire().await.unwrap();

    let members = db::members::list(&mut conn).await.unwrap();
    assert!(members.len() >= 60, "{} members", members.len());
    let sectors: HashSet<_> = members.iter().map(|m| m.sector).collect();
    // Every sector but "annan", which is where a profile made on the web starts.
    assert_eq!(
        sectors.len(),
        hallbar_index::Sector::ALL.len() - 1,
        "every sector"
    );
    assert!(!sectors.contains(&hallbar_index::Sector::Other));
    let districts: HashSet<_> = members.iter().map(|m| m.district).collect();
    assert!(districts.len() >= 8, "{} districts", districts.len());
    for m in &members {
        assert!(
            (3..=8).contains(&m.competences.len()),
            "{} has {} competences",
            m.id,
            m.competences.len()
        );
        assert!(
            m.background.split_whitespace().count() >= 30,
            "{} background too short",
            m.id
        );
    }
    // Realistic overlap: some competences are shared by several members.
    let mut holders = std::collections::HashMap::<String, usize>::new();
    for m in &members {
        for c in &m.competences {
            *holders.entry(c.to_lowercase()).or_default() += 1;
        }
    }
    assert!(
        holders.values().filter(|&&n| n >= 4).count() >= 10,
        "too little overlap"
    );

    let pivi = db::pivi::list(&mut conn).await.unwrap();
    assert!(pivi.len() >= 40);
    let kinds: HashSet<_> = pivi.iter().map(|p| p.kind.clone()).collect();
    assert_eq!(kinds.len(), seed_models()[1].categories.len());

    let matrices = db::matrix::list(&mut conn).await.unwrap();
    let cells: usize = matrices.iter().map(|m| m.cells.len()).sum();
    assert!(cells >= 12, "{cells} cells");
    let articles = db::articles::list(&mut conn, false, 1000).await.unwrap();
    assert!(articles.len() >= 25);

    let dialogue = db::dialogue::list(&mut conn).await.unwrap();
    assert!(dialogue.len() >= 24);
    for phase in &seed_models()[2].phases {
        assert!(
            dialogue.iter().any(|d| d.phase == phase.id),
            "{} empty",
            phase.id
        );
    }
    let count = |kind| dialogue.iter().filter(|d| d.kind == kind).count();
    assert!(count(DialogueKind::Checklist) >= 4);
    assert!(count(DialogueKind::Experience) >= 4);

    let groups = db::groups::list(&mut conn).await.unwrap();
    assert!(groups.len() >= 8);
    assert!(groups.iter().any(|g| g.access == GroupAccess::Closed));
    assert!(groups.iter().any(|g| g.access == GroupAccess::Open));
    let counts = db::stats::counts(&mut conn).await.unwrap();
    assert!(counts.threads >= 30, "{} threads", counts.threads);
    assert!(counts.posts >= 100, "{} posts", counts.posts);
}

#[tokio::test]
async fn demo_loads_once_into_an_empty_database_only() {
    let (_dir, pool) = test_db().await;
    assert!(hallbar::demo::load_if_empty(&pool).await.unwrap());
    let mut conn = pool.acquire().await.unwrap();
    let before = db::stats::counts(&mut conn).await.unwrap();
    assert!(!hallbar::demo::load_if_empty(&pool).await.unwrap());
    hallbar::demo::load(&writes(&pool)).await.unwrap();
    assert_eq!(db::stats::counts(&mut conn).await.unwrap(), before);
}

#[test]
fn every_demo_file_is_in_the_embedded_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let corpus = hallbar::demo::corpus();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                corpus.contains(text.trim_end()),
                "{} is not embedded",
                path.display()
            );
        }
    }
}
