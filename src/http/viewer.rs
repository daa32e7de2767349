//! Who is asking: the extractors every handler gets its viewer from. Whatever authenticates
//! a request (the session layer; in-process tests) puts an [`Authenticated`] into its
//! extensions, which nothing a client sends can set; without one the request is anonymous.

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use hallbar_index::Slug;
use hallbar_index::search::Viewer;

use super::AppError;

/// A logged-in member, as the request's authentication found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    pub member: Slug,
    /// The closed groups whose content they may see (those they belong to).
    pub groups: Vec<Slug>,
}

impl Authenticated {
    /// What search and the visibility rules see of this member.
    pub fn viewer(&self) -> Viewer {
        Viewer::Member {
            id: self.member.clone(),
            groups: self.groups.clone(),
        }
    }
}

/// An anonymous viewer is nobody to authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("en anonym besökare är ingen inloggad medlem")]
pub struct NotAMember;

impl TryFrom<Viewer> for Authenticated {
    type Error = NotAMember;

    /// A member viewer as an authentication.
    fn try_from(viewer: Viewer) -> Result<Self, NotAMember> {
        match viewer {
            Viewer::Member { id, groups } => Ok(Authenticated { member: id, groups }),
            Viewer::Anonymous => Err(NotAMember),
        }
    }
}

/// Whoever is asking, logged in or not.
#[derive(Debug, Clone, Default)]
pub struct MaybeUser(pub Option<Authenticated>);

impl MaybeUser {
    /// The viewer searches and visibility checks use: anonymous when not logged in.
    pub fn viewer(&self) -> Viewer {
        self.0
            .as_ref()
            .map_or(Viewer::Anonymous, Authenticated::viewer)
    }

    pub fn is_logged_in(&self) -> bool {
        self.0.is_some()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(parts.extensions.get::<Authenticated>().cloned()))
    }
}

/// A logged-in member; anyone else is refused with [`AppError::Unauthorized`] (the login
/// page for people, 401 JSON for the API).
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Authenticated);

impl CurrentUser {
    pub fn viewer(&self) -> Viewer {
        self.0.viewer()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        match parts.extensions.get::<Authenticated>() {
            Some(user) => Ok(CurrentUser(user.clone())),
            None => Err(AppError::Unauthorized {
                return_to: return_path(parts),
            }),
        }
    }
}

/// The path (and query) to come back to after logging in: the request's own, as the
/// client sent it (before any nesting), and only ever a path on this site.
fn return_path(parts: &Parts) -> String {
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |original| &original.0);
    let path = uri.path_and_query().map_or("/", |pq| pq.as_str());
    site_path(path).to_string()
}

/// `path` when it is a path on this site (`/…`, not `//host` or `/\host`), else `/`.
pub fn site_path(path: &str) -> &str {
    let on_site = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(char::is_control);
    if on_site { path } else { "/" }
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    async fn who(user: MaybeUser) -> String {
        match user.viewer() {
            Viewer::Anonymous => "anonym".to_string(),
            Viewer::Member { id, groups } => format!("{id} {}", groups.len()),
        }
    }

    async fn members_only(CurrentUser(user): CurrentUser) -> String {
        format!("välkommen {}", user.member)
    }

    fn app() -> Router {
        Router::new()
            .route("/vem", get(who))
            .route("/medlemssida", get(members_only))
            .route(
                "/api/medlemssida",
                get(members_only).layer(axum::middleware::map_response(
                    super::super::error::json_errors,
                )),
            )
    }

    async fn send(path: &str, user: Option<Authenticated>) -> (StatusCode, String) {
        let mut request = Request::get(path).body(Body::empty()).expect("a request");
        if let Some(user) = user {
            request.extensions_mut().insert(user);
        }
        let response = app().oneshot(request).await.expect("an answer");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn anna() -> Authenticated {
        Authenticated {
            member: Slug::new("anna").expect("a slug"),
            groups: vec![Slug::new("stangd").expect("a slug")],
        }
    }

    #[tokio::test]
    async fn the_viewer_comes_from_the_authentication_or_is_anonymous() {
        assert_eq!(send("/vem", None).await.1, "anonym");
        assert_eq!(send("/vem", Some(anna())).await.1, "anna 1");
        // A client cannot claim to be someone: headers and cookies are not an authentication.
        let request = Request::get("/vem")
            .header("Cookie", "medlem=anna")
            .header("X-Member", "anna")
            .body(Body::empty())
            .expect("a request");
        let response = app().oneshot(request).await.expect("an answer");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        assert_eq!(&body[..], b"anonym");
    }

    #[test]
    fn only_site_paths_are_returned_to() {
        assert_eq!(site_path("/grupper/a?b=1"), "/grupper/a?b=1");
        for outside in [
            "//evil.example/x",
            "/\\evil.example",
            "https://evil.example",
            "",
            "x",
        ] {
            assert_eq!(site_path(outside), "/", "{outside}");
        }
    }

    #[tokio::test]
    async fn members_only_pages_send_visitors_to_the_login_page() {
        let (status, html) = send("/medlemssida?flik=2", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(html.contains("Logga in för att fortsätta"), "{html}");
        assert!(
            html.contains("tillbaka=%2Fmedlemssida%3Fflik%3D2"),
            "{html}"
        );
        assert_eq!(
            send("/medlemssida", Some(anna())).await,
            (StatusCode::OK, "välkommen anna".to_string())
        );
        let (status, json) = send("/api/medlemssida", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            json,
            r#"{"fel":{"kod":"inte_inloggad","meddelande":"du behöver vara inloggad"}}"#
        );
    }
}
