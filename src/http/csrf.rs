//! Cross-site request forgery: every state-changing request must come from this site.
//! Two independent checks: browsers' `Sec-Fetch-Site` / `Origin` headers (middleware on
//! the whole router), and a token in every form that must match the session's, or for a
//! visitor the token in their cookie (checked by [`super::form::FormInput`]).

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppError;
use super::session::{ExpectedCsrf, visitor_csrf};
use crate::auth::tokens;
use crate::config::Config;

/// Middleware: a request that may change state (anything but GET, HEAD, OPTIONS) which a
/// browser marks as coming from another site is refused with 403 before any handler runs.
/// Clients that send neither header (scripts, curl) still need a form's token.
pub async fn same_origin(
    State(config): State<Arc<Config>>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !safe && !from_this_site(request.headers(), &config) {
        return AppError::CrossSite.into_response();
    }
    next.run(request).await
}

/// Whether the browser's own headers say the request came from this site (or say nothing).
fn from_this_site(headers: &HeaderMap, config: &Config) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match text(header::ORIGIN.as_str()) {
        None => true,
        Some(origin) => {
            origin == origin_of(&config.public_url)
                || text(header::HOST.as_str()).is_some_and(|host| {
                    origin == format!("http://{host}") || origin == format!("https://{host}")
                })
        }
    }
}

/// `scheme://host[:port]` of an absolute URL.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => &url[..after_scheme + slash],
        None => url,
    }
}

/// The CSRF token to put in the forms of the page being rendered.
#[derive(Debug, Clone)]
pub struct Csrf(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Csrf {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Csrf(visitor_csrf(&parts.extensions)))
    }
}

/// Whether a submitted form's token is the one expected for this request.
pub fn form_token_ok(extensions: &axum::http::Extensions, sent: &str) -> bool {
    match extensions.get::<ExpectedCsrf>() {
        Some(ExpectedCsrf(Some(expected))) => {
            tokens::well_formed(sent) && tokens::same(expected, sent)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn only_this_site_may_post() {
        let config = Config::default().with_public_url("https://exempel.se");
        for ok in [
            vec![],
            vec![("sec-fetch-site", "same-origin")],
            vec![("sec-fetch-site", "none")],
            vec![("origin", "https://exempel.se")],
            vec![
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000"),
            ],
        ] {
            assert!(from_this_site(&headers(&ok), &config), "{ok:?}");
        }
        for refused in [
            vec![("sec-fetch-site", "cross-site")],
            vec![("sec-fetch-site", "same-site")],
            vec![
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://exempel.se"),
            ],
            vec![("origin", "https://ond.example")],
            vec![("origin", "null")],
            vec![("origin", "https://exempel.se.ond.example")],
        ] {
            assert!(!from_this_site(&headers(&refused), &config), "{refused:?}");
        }
        assert_eq!(origin_of("https://exempel.se/a/b"), "https://exempel.se");
        assert_eq!(origin_of("http://localhost:3000"), "http://localhost:3000");
    }
}
