//! While a node starts (its search index is built from the database, which for a large
//! database or a node that joins late takes a while), it already answers: `/readyz` and
//! `/healthz` say 503 (so a load balancer keeps it out), every other request gets a short
//! Swedish 503 with `Retry-After`. Once the site is ready, every request goes to it.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;

/// Where the site goes once it is ready.
#[derive(Clone, Default)]
pub struct Ready(Arc<OnceLock<Router>>);

impl Ready {
    /// From now on every request goes to `site`.
    pub fn open(&self, site: Router) {
        let _ = self.0.set(site);
    }
}

/// The router a starting node serves: the site once [`Ready::open`] has been called, the
/// starting answers before.
pub fn router(ready: Ready) -> Router {
    Router::new().fallback(dispatch).with_state(ready)
}

async fn dispatch(State(ready): State<Ready>, request: Request) -> Response {
    match ready.0.get() {
        Some(site) => match site.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        None => starting(&request),
    }
}

/// How long a client is asked to wait before it tries again.
const RETRY_SECONDS: &str = "5";

fn starting(request: &Request) -> Response {
    let path = request.uri().path();
    let mut response = if path == "/readyz" || path == "/healthz" || path.starts_with("/api/") {
        let body = r#"{"status":"inte klar","orsak":"sökindexet byggs från databasen"}"#;
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            Body::from(body),
        )
            .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Webbplatsen startar och bygger sitt sökindex. Försök igen om en liten stund.\n",
        )
            .into_response()
    };
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_SECONDS));
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(app: &Router, path: &str) -> (StatusCode, String) {
        let response = app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn a_starting_node_says_so_and_then_serves_the_site() {
        let ready = Ready::default();
        let app = router(ready.clone());
        let (status, body) = get(&app, "/readyz").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("inte klar"), "{body}");
        let (status, body) = get(&app, "/sok?q=dialog").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("startar"), "{body}");

        ready.open(Router::new().route("/readyz", axum::routing::get(|| async { "klar" })));
        assert_eq!(
            get(&app, "/readyz").await,
            (StatusCode::OK, "klar".to_string())
        );
    }
}
