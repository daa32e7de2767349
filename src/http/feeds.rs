//! Machine access: Atom feeds, the OpenSearch description, the sitemap and robots.txt.

use std::borrow::Cow;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{NaiveDate, NaiveTime, SecondsFormat, Utc};
use hallbar_index::search::Viewer;
use hallbar_index::{ModelKind, paths};
use maud::{Markup, PreEscaped, html};

use super::extract::SitePath;
use super::{AppError, AppState};
use crate::db;

/// The most entries a feed holds.
const FEED_LEN: i64 = 30;

const XML_DECLARATION: PreEscaped<&str> = PreEscaped(r#"<?xml version="1.0" encoding="utf-8"?>"#);

const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";
const OPENSEARCH_TYPE: &str = "application/opensearchdescription+xml; charset=utf-8";
const SITEMAP_TYPE: &str = "application/xml; charset=utf-8";

/// Public pages without an entity behind them, after the areas' own pages.
const INFO_PAGES: [&str; 3] = ["/om", "/tillganglighet", "/kontakt"];

/// The feeds, the OpenSearch description, the sitemap and robots.txt.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/flode/{feed}", get(model_feed))
        .route("/opensearch.xml", get(opensearch))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
}

/// Markup sent as an XML document of the given content type.
fn xml(content_type: &'static str, markup: Markup) -> Response {
    ([(header::CONTENT_TYPE, content_type)], markup.into_string()).into_response()
}

/// Text as XML 1.0 allows it: the control characters it forbids are dropped (maud escapes
/// `&`, `<`, `>` and `"`).
fn xml_text(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

/// A date as an RFC 3339 timestamp at midnight UTC.
fn rfc3339(date: NaiveDate) -> String {
    date.and_time(NaiveTime::MIN)
        .and_utc()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// One entry of an Atom feed, whatever it is about.
struct FeedEntry {
    path: String,
    title: String,
    date: NaiveDate,
    summary: String,
    author: String,
}

/// An Atom feed: its title, its own path, the page it mirrors and its entries, newest first.
struct Feed {
    title: String,
    path: String,
    alternate: String,
    entries: Vec<FeedEntry>,
}

/// Renders a feed as an Atom 1.0 document with absolute links.
fn atom(state: &AppState, feed: &Feed) -> Response {
    let updated = feed
        .entries
        .iter()
        .map(|e| e.date)
        .max()
        .map(rfc3339)
        // An empty feed has no entry date to go by.
        .unwrap_or_else(|| Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true));
    let markup = html! {
        (XML_DECLARATION)
        feed xmlns="http://www.w3.org/2005/Atom" "xml:lang"="sv" {
            title { (feed.title) }
            id { (state.config.absolute(&feed.path)) }
            link rel="self" type="application/atom+xml" href=(state.config.absolute(&feed.path)) {}
            link rel="alternate" type="text/html" href=(state.config.absolute(&feed.alternate)) {}
            updated { (updated) }
            // Entries without an author of their own fall back on this one.
            author { name { "hallbar" } }
            @for item in &feed.entries {
                @let url = state.config.absolute(&item.path);
                @let date = rfc3339(item.date);
                entry {
                    id { (url) }
                    title type="text" { (xml_text(&item.title)) }
                    link rel="alternate" type="text/html" href=(url) {}
                    published { (date) }
                    updated { (date) }
                    summary type="text" { (xml_text(&item.summary)) }
                    @if !item.author.trim().is_empty() {
                        author { name { (xml_text(&item.author)) } }
                    }
                }
            }
        }
    };
    xml(ATOM_TYPE, markup)
}

/// A support model's feed (`/flode/{model}.atom`, the first matrix's is
/// `/flode/artiklar.atom`): a catalogue's newest entries, a matrix's newest articles, a
/// guide's newest texts.
async fn model_feed(
    State(state): State<AppState>,
    SitePath(file): SitePath<String>,
) -> Result<Response, AppError> {
    let name = file.strip_suffix(".atom").ok_or(AppError::NotFound)?;
    let id = if name == "artiklar" {
        "stadsutveckling"
    } else {
        name
    };
    let mut conn = state.db.acquire().await?;
    let models = db::support_models::list(&mut conn).await?;
    let model = hallbar_index::find_model(&models, id).ok_or(AppError::NotFound)?;
    if model.feed_path() != format!("/flode/{file}") {
        return Err(AppError::NotFound);
    }
    let (title, entries) = match model.kind {
        ModelKind::Catalogue => (
            format!("hallbar – nya projekt och idéer i {}", model.id),
            db::pivi::newest_in(&mut conn, model.id.as_str(), FEED_LEN)
                .await?
                .into_iter()
                .map(|e| FeedEntry {
                    path: paths::pivi_entry(&e.model, &e.id),
                    title: e.title,
                    date: e.published,
                    summary: e.summary,
                    author: e.organisation,
                })
                .collect::<Vec<_>>(),
        ),
        ModelKind::Matrix => (
            if model.id.as_str() == "stadsutveckling" {
                "hallbar – nya artiklar i kunskapsmatrisen".to_string()
            } else {
                format!("hallbar – nya artiklar i {}", model.area)
            },
            db::articles::list(&mut conn, true, i64::MAX)
                .await?
                .into_iter()
                .filter(|a| {
                    hallbar_index::model_of_matrix(&models, a.matrix.as_str())
                        .is_some_and(|m| m.id == model.id)
                })
                .take(FEED_LEN as usize)
                .map(|a| FeedEntry {
                    path: paths::article(&model.id, &a.id),
                    title: a.title,
                    date: a.published,
                    summary: a.lead,
                    author: a.author,
                })
                .collect(),
        ),
        ModelKind::Guide => {
            let mut texts = db::dialogue::in_model(&mut conn, model.id.as_str()).await?;
            texts.sort_by(|a, b| b.published.cmp(&a.published).then(a.id.cmp(&b.id)));
            (
                format!("hallbar – nya texter i {}", model.area),
                texts
                    .into_iter()
                    .take(FEED_LEN as usize)
                    .map(|t| FeedEntry {
                        path: paths::dialogue_text(&t.model, &t.phase, &t.id),
                        title: t.title,
                        date: t.published,
                        summary: t.lead,
                        author: t.author,
                    })
                    .collect(),
            )
        }
    };
    let feed = Feed {
        title,
        path: model.feed_path(),
        alternate: model.path(),
        entries,
    };
    Ok(atom(&state, &feed))
}

/// Lets browsers add the site's search. `/api/v1/forslag` answers `{"forslag": [..]}`, not
/// the `[query, [completions]]` array of OpenSearch suggestions, so it is not advertised.
async fn opensearch(State(state): State<AppState>) -> Response {
    let markup = html! {
        (XML_DECLARATION)
        OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/" {
            ShortName { "hallbar" }
            Description {
                "Sök bland projekt, idéer, artiklar, dialogtexter och medlemmar om socialt "
                "hållbar utveckling i Göteborg."
            }
            InputEncoding { "UTF-8" }
            Language { "sv-SE" }
            Url type="text/html" method="get"
                template=(state.config.absolute("/sok?q={searchTerms}")) {}
            Url type="application/opensearchdescription+xml" rel="self"
                template=(state.config.absolute("/opensearch.xml")) {}
        }
    };
    xml(OPENSEARCH_TYPE, markup)
}

/// Every public page, with the date of what it shows where it has one.
/// The most competence pages the sitemap lists.
const SITEMAP_COMPETENCES: usize = 10_000;

async fn sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let models = db::support_models::list(&mut conn).await?;
    let matrices = db::matrix::list(&mut conn).await?;
    let articles = db::articles::dates(&mut conn).await?;
    let pivi = db::pivi::dates(&mut conn).await?;
    let texts = db::dialogue::dates(&mut conn).await?;
    let members = db::members::visible_ids(&mut conn, &Viewer::Anonymous).await?;
    let groups = db::groups::all_ids(&mut conn).await?;
    drop(conn);
    // Competence pages of public profiles (what a visitor finds there), by address.
    let mut competences: Vec<String> = state
        .search
        .competence_suggestions(String::new(), Viewer::Anonymous, SITEMAP_COMPETENCES)
        .await?
        .iter()
        .map(|c| paths::competence(&c.name))
        .collect();
    competences.sort();
    competences.dedup();

    let undated = |path: &str| (path.to_string(), None);
    let mut urls: Vec<(String, Option<NaiveDate>)> = vec![undated("/"), undated("/sok")];
    // Each support model's pages, in navigation order.
    let owner = |matrix: &str| hallbar_index::model_of_matrix(&models, matrix).map(|m| &m.id);
    for model in &models {
        urls.push(undated(&model.path()));
        match model.kind {
            ModelKind::Matrix => {
                let mut cells: Vec<(&str, &str)> = matrices
                    .iter()
                    .filter(|m| owner(m.id.as_str()) == Some(&model.id))
                    .flat_map(|m| &m.cells)
                    .map(|c| (c.row.as_str(), c.column.as_str()))
                    .collect();
                cells.sort_unstable();
                cells.dedup();
                urls.extend(
                    cells
                        .iter()
                        .map(|(row, column)| undated(&paths::matrix_cell(&model.id, row, column))),
                );
                urls.extend(
                    articles
                        .iter()
                        .filter(|(matrix, _, _)| owner(matrix.as_str()) == Some(&model.id))
                        .map(|(_, id, date)| (paths::article(&model.id, id), Some(*date))),
                );
            }
            ModelKind::Catalogue => urls.extend(
                pivi.iter()
                    .filter(|(m, _, _)| *m == model.id)
                    .map(|(m, id, date)| (paths::pivi_entry(m, id), Some(*date))),
            ),
            ModelKind::Guide => {
                for phase in &model.phases {
                    urls.push(undated(&paths::dialogue_phase(&model.id, &phase.id)));
                    urls.extend(
                        texts
                            .iter()
                            .filter(|(m, _, p, _)| *m == model.id && *p == phase.id)
                            .map(|(m, id, p, date)| (paths::dialogue_text(m, p, id), Some(*date))),
                    );
                }
            }
        }
    }
    urls.push(undated("/medlemmar"));
    urls.extend(members.iter().map(|id| undated(&paths::member(id))));
    urls.extend(competences.iter().map(|path| undated(path)));
    urls.push(undated("/grupper"));
    urls.extend(groups.iter().map(|id| undated(&format!("/grupper/{id}"))));
    urls.extend(INFO_PAGES.map(undated));

    let markup = html! {
        (XML_DECLARATION)
        urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" {
            @for (path, lastmod) in &urls {
                url {
                    loc { (state.config.absolute(path)) }
                    @if let Some(date) = lastmod {
                        lastmod { (date.format("%Y-%m-%d")) }
                    }
                }
            }
        }
    };
    Ok(xml(SITEMAP_TYPE, markup))
}

/// Crawlers may read every page but the API, and learn where the sitemap is.
async fn robots(State(state): State<AppState>) -> String {
    format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: {}\n",
        state.config.absolute("/sitemap.xml")
    )
}
