//! Machine access: Atom feeds, the OpenSearch description, the sitemap and robots.txt.

use std::borrow::Cow;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{NaiveDate, NaiveTime, SecondsFormat, Utc};
use hallbar_index::Phase;
use hallbar_index::paths;
use hallbar_index::search::Viewer;
use maud::{Markup, PreEscaped, html};

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
        .route("/flode/pivi.atom", get(pivi_feed))
        .route("/flode/artiklar.atom", get(article_feed))
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
    title: &'static str,
    path: &'static str,
    alternate: &'static str,
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
            id { (state.config.absolute(feed.path)) }
            link rel="self" type="application/atom+xml" href=(state.config.absolute(feed.path)) {}
            link rel="alternate" type="text/html" href=(state.config.absolute(feed.alternate)) {}
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

/// The newest pivi entries.
async fn pivi_feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let entries = db::pivi::newest(&mut conn, FEED_LEN).await?;
    let feed = Feed {
        title: "hallbar – nya projekt och idéer i pivi",
        path: "/flode/pivi.atom",
        alternate: "/pivi",
        entries: entries
            .into_iter()
            .map(|e| FeedEntry {
                path: paths::pivi_entry(&e.id),
                title: e.title,
                date: e.published,
                summary: e.summary,
                author: e.organisation,
            })
            .collect(),
    };
    Ok(atom(&state, &feed))
}

/// The newest articles of the knowledge matrix.
async fn article_feed(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let articles = db::articles::list(&mut conn, true, FEED_LEN).await?;
    let feed = Feed {
        title: "hallbar – nya artiklar i kunskapsmatrisen",
        path: "/flode/artiklar.atom",
        alternate: "/stadsutveckling",
        entries: articles
            .into_iter()
            .map(|a| FeedEntry {
                path: paths::article(&a.id),
                title: a.title,
                date: a.published,
                summary: a.lead,
                author: a.author,
            })
            .collect(),
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
    let cells = db::matrix::filled_cells(&mut conn).await?;
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
    let mut urls: Vec<(String, Option<NaiveDate>)> =
        vec![undated("/"), undated("/sok"), undated("/stadsutveckling")];
    urls.extend(
        cells
            .iter()
            .map(|c| undated(&paths::matrix_cell(&c.row, &c.column))),
    );
    urls.extend(
        articles
            .iter()
            .map(|(id, date)| (paths::article(id), Some(*date))),
    );
    urls.push(undated("/pivi"));
    urls.extend(
        pivi.iter()
            .map(|(id, date)| (paths::pivi_entry(id), Some(*date))),
    );
    urls.push(undated("/medinflytande"));
    for &phase in Phase::ALL {
        let base = paths::dialogue_phase(phase);
        urls.push(undated(&base));
        urls.extend(
            texts
                .iter()
                .filter(|(_, p, _)| *p == phase)
                .map(|(id, _, date)| (format!("{base}/{id}"), Some(*date))),
        );
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
