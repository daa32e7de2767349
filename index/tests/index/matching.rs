//! Member matching ("hitta kollegor") and "vem kan …?": ranking, reasons, options, and
//! that nobody and nothing the viewer may not see is ever suggested.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use hallbar_index::matching::{MatchOptions, match_members, who_knows};
use hallbar_index::search::Viewer;
use hallbar_index::*;

use crate::ProjectKind;

fn slug(s: &str) -> Slug {
    Slug::new(s).unwrap()
}

fn member(
    id: &str,
    sector: Sector,
    district: District,
    competences: &[&str],
    visibility: ProfileVisibility,
) -> Member {
    Member {
        id: slug(id),
        name: format!("Person {id}"),
        title: "Handläggare".into(),
        organisation: "Org".into(),
        sector,
        district,
        background: "Arbetar med frågor om staden.".into(),
        competences: competences.iter().map(|c| c.to_string()).collect(),
        interests: vec![],
        links: vec![],
        visibility,
        member_since: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
    }
}

fn people() -> Vec<Member> {
    use ProfileVisibility::*;
    vec![
        member(
            "anna",
            Sector::Municipality,
            District::Angered,
            &["medborgardialog", "trygghetsvandringar"],
            Public,
        ),
        member(
            "bo",
            Sector::Academia,
            District::Centrum,
            &["medborgardialoger", "utvärdering"],
            Public,
        ),
        member(
            "cia",
            Sector::Municipality,
            District::Angered,
            &["trygghetsvandringar", "platssamverkan"],
            Public,
        ),
        member(
            "dora",
            Sector::CivilSociety,
            District::Angered,
            &["medborgardialog"],
            Members,
        ),
        member(
            "eve",
            Sector::Business,
            District::Lundby,
            &["bokföring"],
            Public,
        ),
    ]
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let mut writer = index.writer().unwrap();
    for m in people() {
        writer.add(&SearchDocument::member(&m)).unwrap();
    }
    let pivi = PiviEntry {
        id: slug("vandring"),
        title: "Trygghetsvandringar i Hammarkullen".into(),
        model: slug("pivi"),
        kind: ProjectKind::Project.slug(),
        summary: "Boende och polis gick tillsammans.".into(),
        body: "Vi genomförde trygghetsvandringar varje höst i Angered.".into(),
        district: District::Angered,
        organisation: "Göteborgs Stad".into(),
        target_groups: vec![],
        tags: vec![],
        period: Period {
            from: 2014,
            to: None,
        },
        contact: Contact {
            name: "Person cia".into(),
            email: None,
            member: Some(slug("cia")),
        },
        links: vec![],
        published: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
    };
    writer.add(&SearchDocument::pivi(&pivi)).unwrap();
    let closed = Group {
        id: slug("stangd"),
        name: "Stängd".into(),
        description: "Stängd grupp.".into(),
        access: GroupAccess::Closed,
        created: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
        created_by: slug("eve"),
        members: vec![slug("eve")],
        district: None,
        topics: Vec::new(),
    };
    let thread = Thread {
        id: slug("hemligt"),
        group: slug("stangd"),
        title: "Hemlig planering".into(),
        posts: vec![Post {
            author: slug("eve"),
            created: NaiveDate::from_ymd_opt(2016, 1, 1)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap()
                .and_utc(),
            text: "Jag leder trygghetsvandringar i Angered varje vecka.".into(),
        }],
    };
    for doc in SearchDocument::thread(&thread, &closed) {
        writer.add(&doc).unwrap();
    }
    writer.commit(1).unwrap();
    index.reload().unwrap();
    index
}

fn ids(matches: &[hallbar_index::matching::MemberMatch]) -> Vec<&str> {
    matches.iter().map(|m| m.id.as_str()).collect()
}

fn member_viewer(id: &str) -> Viewer {
    Viewer::Member {
        id: slug(id),
        groups: vec![],
    }
}

#[test]
fn matches_shared_and_related_competences_with_reasons() {
    let index = index();
    let anna = &people()[0];
    let found = match_members(&index, anna, &Viewer::Anonymous, MatchOptions::default()).unwrap();
    let list = ids(&found);
    assert!(list.contains(&"bo") && list.contains(&"cia"), "{list:?}");
    assert!(!list.contains(&"anna"), "never the member themself");
    assert!(
        !list.contains(&"dora"),
        "members-only profile hidden from anonymous"
    );
    assert!(!list.contains(&"eve"), "no overlap, no match");
    let cia = found.iter().find(|m| m.id == "cia").unwrap();
    assert_eq!(cia.evidence[0].kind, "delad_kompetens");
    assert_eq!(cia.evidence[0].text, "<mark>trygghetsvandringar</mark>");
    let bo = found.iter().find(|m| m.id == "bo").unwrap();
    assert_eq!(bo.evidence[0].kind, "narliggande_kompetens");
    assert!(
        bo.evidence[0]
            .text
            .contains("<mark>medborgardialoger</mark>"),
        "{:?}",
        bo.evidence
    );
}

#[test]
fn members_see_members_only_profiles_and_options_filter() {
    let index = index();
    let anna = &people()[0];
    let found = match_members(&index, anna, &member_viewer("bo"), MatchOptions::default()).unwrap();
    assert!(ids(&found).contains(&"dora"));
    let bridges = match_members(
        &index,
        anna,
        &member_viewer("bo"),
        MatchOptions {
            other_sectors_only: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!ids(&bridges).contains(&"cia"), "same sector excluded");
    assert!(ids(&bridges).contains(&"bo"));
    let local = match_members(
        &index,
        anna,
        &member_viewer("bo"),
        MatchOptions {
            same_district_only: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!ids(&local).contains(&"bo"), "other district excluded");
    assert!(ids(&local).contains(&"cia") && ids(&local).contains(&"dora"));
}

#[test]
fn who_knows_uses_profiles_and_what_people_did_with_evidence() {
    let index = index();
    let found = who_knows(
        &index,
        "vem kan trygghetsvandringar i Angered?",
        &Viewer::Anonymous,
        10,
    )
    .unwrap();
    assert_eq!(
        found[0].id,
        "cia",
        "profile and pivi contact: {:?}",
        ids(&found)
    );
    let kinds: Vec<&str> = found[0].evidence.iter().map(|e| e.kind).collect();
    assert!(
        kinds.contains(&"pivi") && kinds.contains(&"profil"),
        "{kinds:?}"
    );
    assert!(found[0].evidence.iter().any(|e| e.text.contains("<mark>")));
    // Eve's only evidence is in a closed group: not for outsiders.
    assert!(!ids(&found).contains(&"eve"));
    let insider = Viewer::Member {
        id: slug("eve"),
        groups: vec![slug("stangd")],
    };
    let found = who_knows(&index, "trygghetsvandringar", &insider, 10).unwrap();
    assert!(ids(&found).contains(&"eve"), "{:?}", ids(&found));
}
