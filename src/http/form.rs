//! Submitted forms: the URL-encoded body read as a [`FormState`] (everything typed, to show
//! again if it fails), and the answer that shows a failed form again.

use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hallbar_templates::components::form::FormState;
use maud::Markup;

use super::AppError;

/// The largest form body read, in bytes (the longest text field is 50,000 characters).
pub const MAX_FORM_BYTES: usize = 512 * 1024;

/// A submitted `application/x-www-form-urlencoded` form, values trimmed of surrounding
/// whitespace (invalid UTF-8 is replaced, never refused).
pub struct FormInput(pub FormState);

impl<S: Send + Sync> FromRequest<S> for FormInput {
    type Rejection = AppError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, AppError> {
        let is_form = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !is_form {
            return Err(AppError::invalid(
                "formulär",
                "förfrågan är inget formulär; skicka det från sidan",
            ));
        }
        let too_large = || AppError::invalid("formulär", "formuläret är för stort");
        let length = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if length.is_some_and(|n| n > MAX_FORM_BYTES) {
            return Err(too_large());
        }
        let body = axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES)
            .await
            .map_err(|_| too_large())?;
        let pairs = form_urlencoded::parse(&body)
            .map(|(name, value)| (name.into_owned(), value.trim().to_string()));
        Ok(FormInput(FormState::from_pairs(pairs)))
    }
}

/// A form shown again because something in it was wrong: 422 with the page (which holds
/// the messages and what was typed).
pub fn failed(page: Markup) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::routing::post;
    use hallbar_templates::components::form::{Field, field};
    use tower::ServiceExt;

    use super::*;

    /// A form that requires `namn`: shown again with the message when it is missing.
    async fn echo(FormInput(mut form): FormInput) -> Response {
        if form.value("namn").is_empty() {
            form.add_error("namn", "Skriv ditt namn");
            return failed(field(&form, &Field::text("namn", "Namn").required()));
        }
        format!("hej {}", form.value("namn")).into_response()
    }

    async fn send(content_type: &str, body: Vec<u8>) -> (StatusCode, String) {
        let app = Router::new().route("/", post(echo));
        let request = axum::http::Request::post("/")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("a request");
        let response = app.oneshot(request).await.expect("an answer");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    const FORM: &str = "application/x-www-form-urlencoded";

    #[tokio::test]
    async fn a_form_is_read_trimmed_and_a_failed_one_comes_back_with_422() {
        assert_eq!(
            send(FORM, b"namn=+Anna+Lind+&x=1".to_vec()).await,
            (StatusCode::OK, "hej Anna Lind".to_string())
        );
        let (status, html) = send(FORM, b"namn=++&annat=%3Cb%3E".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("Skriv ditt namn"), "{html}");
        // Invalid UTF-8 is replaced, not refused.
        let (status, body) =
            send(&format!("{FORM}; charset=utf-8"), b"namn=%FF%FEx".to_vec()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    #[tokio::test]
    async fn other_bodies_and_oversized_forms_are_refused_in_swedish() {
        let (status, html) = send("application/json", b"{\"namn\":\"x\"}".to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(html.contains("förfrågan är inget formulär"), "{html}");
        let huge = format!("namn={}", "a".repeat(MAX_FORM_BYTES));
        let (status, html) = send(FORM, huge.into_bytes()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(html.contains("formuläret är för stort"), "{html}");
    }
}
