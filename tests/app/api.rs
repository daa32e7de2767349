//! The JSON API over the demo corpus: shape, visibility, and precise 400 errors.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::support::*;

#[tokio::test]
async fn search_returns_hits_facets_and_highlighted_snippets() {
    let app = TestApp::demo().await;
    let (status, body) = app.get_json("/api/v1/sok?q=medborgardialog").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["total"].as_u64().unwrap() > 3, "{body}");
    let hit = &body["hits"][0];
    for key in ["kind", "id", "title", "url", "snippet", "date"] {
        assert!(hit.get(key).is_some(), "{key} missing in {hit}");
    }
    assert!(
        body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["snippet"].as_str().unwrap().contains("<mark>"))
    );
    let facets: Vec<&str> = body["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        facets,
        [
            "typ",
            "modell",
            "stadsdel",
            "sektor",
            "fas",
            "kategori",
            "malgrupp",
            "kompetens",
            "ar",
            "grupp"
        ]
    );
}

#[tokio::test]
async fn search_answers_json_with_its_length() {
    let app = TestApp::demo().await;
    for path in [
        "/api/v1/sok?q=dialog",
        "/api/v1/sok?q=dialog&per_sida=100",
        "/api/v1/sok",
    ] {
        let answer = app.get(path).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(answer.content_type, "application/json", "{path}");
        assert_eq!(
            answer.headers[axum::http::header::CONTENT_LENGTH],
            answer.body.len().to_string().as_str(),
            "{path}"
        );
        assert!(
            answer.json()["hits"]
                .as_array()
                .is_some_and(|h| !h.is_empty())
        );
    }
}

#[tokio::test]
async fn compound_and_filtered_search_through_the_api() {
    let app = TestApp::demo().await;
    let (_, body) = app
        .get_json("/api/v1/sok?q=trygghet&typ=pivi&stadsdel=ostra-goteborg")
        .await;
    let hits = body["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{body}");
    assert!(hits.iter().all(|h| h["kind"] == "pivi"));
    assert!(
        hits.iter()
            .any(|h| h["id"] == "trygghetsvandringar-i-bergsjon"),
        "{body}"
    );
}

#[tokio::test]
async fn anonymous_visitors_never_see_members_only_or_group_content() {
    let app = TestApp::demo().await;
    // eva-sandberg's profile is for members only.
    let (_, body) = app.get_json("/api/v1/sok?q=Eva+Sandberg&typ=medlem").await;
    assert_eq!(body["total"], 0, "{body}");
    for kind in ["inlagg", "diskussion"] {
        let (_, body) = app.get_json(&format!("/api/v1/sok?typ={kind}")).await;
        assert_eq!(body["total"], 0, "{kind}: {body}");
    }
    // Groups themselves (name and description) are public; their content is not.
    let (_, body) = app.get_json("/api/v1/sok?typ=grupp").await;
    assert!(body["total"].as_u64().unwrap() > 0, "{body}");
    let (_, body) = app.get_json("/api/v1/sok").await;
    let kinds = body["facets"][0]["values"].as_array().unwrap();
    assert!(
        kinds
            .iter()
            .all(|v| !["inlagg", "diskussion"].contains(&v["value"].as_str().unwrap())),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn bad_parameters_get_400_naming_the_parameter() {
    let app = TestApp::demo().await;
    for (uri, parameter) in [
        ("/api/v1/sok?stadsdel=molndal", "stadsdel"),
        ("/api/v1/sok?sida=-1", "sida"),
        ("/api/v1/sok?sida=abc", "sida"),
        ("/api/v1/sok?typ=film", "typ"),
        ("/api/v1/sok?sortera=bast", "sortera"),
        ("/api/v1/sok?ar=tjugo", "ar"),
    ] {
        let (status, body) = app.get_json(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["fel"]["parameter"], parameter, "{uri}: {body}");
        assert!(!body["fel"]["meddelande"].as_str().unwrap().is_empty());
    }
    let long = "a".repeat(10_000);
    let (status, body) = app.get_json(&format!("/api/v1/sok?q={long}")).await;
    assert_eq!(
        (status, body["fel"]["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("q"))
    );
    let (status, _) = app.get_json("/api/v1/sok?q=%FF%FE").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "invalid percent-encoded UTF-8 is replaced, not a crash"
    );
}

#[tokio::test]
async fn suggestions_complete_the_last_word() {
    let app = TestApp::demo().await;
    let (status, body) = app.get_json("/api/v1/forslag?q=trygghetsv").await;
    assert_eq!(status, StatusCode::OK);
    let list = body["forslag"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|s| s.as_str().unwrap().starts_with("trygghetsv")),
        "{list:?}"
    );
    let (_, body) = app.get_json("/api/v1/forslag?q=").await;
    assert_eq!(body["forslag"].as_array().unwrap().len(), 0);
    let (status, body) = app
        .get_json(&format!("/api/v1/forslag?q={}", "x".repeat(200)))
        .await;
    assert_eq!(
        (status, body["fel"]["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("q"))
    );
}

#[tokio::test]
async fn colleagues_and_who_knows_come_with_evidence() {
    let app = TestApp::demo().await;
    let (status, body) = app.get_json("/api/v1/kollegor/anna-lindqvist").await;
    assert_eq!(status, StatusCode::OK);
    let list = body["medlemmar"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(list.iter().all(|m| m["id"] != "anna-lindqvist"));
    assert!(
        list[0]["evidence"][0]["text"]
            .as_str()
            .unwrap()
            .contains("<mark>"),
        "{}",
        list[0]
    );
    let (_, bridges) = app
        .get_json("/api/v1/kollegor/anna-lindqvist?annan_sektor=ja")
        .await;
    // anna-lindqvist works for the city; bridges only come from other sectors.
    for m in bridges["medlemmar"].as_array().unwrap() {
        assert!(
            !m["summary"].as_str().unwrap().contains("Göteborgs Stad")
                || m["id"] != "sara-al-khalil"
        );
    }
    let (status, body) = app
        .get_json("/api/v1/kollegor/anna-lindqvist?annan_sektor=kanske")
        .await;
    assert_eq!(
        (status, body["fel"]["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("annan_sektor"))
    );
    // A members-only profile does not exist for anonymous visitors.
    let (status, _) = app.get_json("/api/v1/kollegor/eva-sandberg").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get_json("/api/v1/kollegor/finns-inte").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = app
        .get_json("/api/v1/vem-kan?q=vem+kan+trygghetsvandringar+i+Angered%3F")
        .await;
    assert_eq!(status, StatusCode::OK);
    let list = body["medlemmar"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(
        list.iter().all(|m| m["id"] != "eva-sandberg"),
        "members-only profiles are not suggested to anonymous visitors"
    );
    assert!(!list[0]["evidence"].as_array().unwrap().is_empty());
    let (status, _) = app.get_json("/api/v1/vem-kan?q=").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn internal_errors_are_json_without_their_cause() {
    let app = TestApp::demo().await;
    app.pool().close().await;
    let (status, body) = app.get_json("/api/v1/kollegor/anna-lindqvist").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        body,
        serde_json::json!({"fel": {"kod": "internt_fel", "meddelande": "ett internt fel uppstod"}})
    );
}

#[tokio::test]
async fn unknown_addresses_and_methods_under_api_are_json_errors() {
    let app = TestApp::with(&[]).await;
    for path in [
        "/api/v1/okand",
        "/api/v1/sok/",
        "/api/v1/kollegor/",
        "/api",
        "/api/",
    ] {
        let answer = app.get(path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            answer.content_type.starts_with("application/json"),
            "{path}"
        );
        assert_eq!(answer.json()["fel"]["kod"], "finns_inte", "{path}");
    }
    let answer = app
        .send(Request::post("/api/v1/sok").body(Body::empty()).unwrap())
        .await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.json()["fel"]["kod"], "fel_metod");
    // Pages outside the API keep their HTML errors.
    let page = app.get("/finns-inte").await;
    assert!(
        page.content_type.starts_with("text/html"),
        "{}",
        page.content_type
    );
}
