//! Submitted forms: the URL-encoded body read as a [`FormState`] (everything typed, to show
//! again if it fails), and the answer that shows a failed form again.

use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hallbar_templates::components::form::FormState;
use http_body_util::BodyExt;
use maud::Markup;

use super::AppError;

/// The largest form body read, in bytes: room for a 50,000-character text of four-byte
/// characters, percent-encoded, and the rest of the form.
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

/// A submitted `application/x-www-form-urlencoded` form in UTF-8, values exactly as sent
/// (a password is not trimmed; callers trim where it makes sense). Its `csrf` field must
/// be the request's expected token (see [`super::csrf`]), or it is refused with
/// [`AppError::StaleForm`] before anything reads it.
pub struct FormInput(pub FormState);

/// The media type and charset of a form body, when it is one we read.
fn is_utf8_form(content_type: &str) -> bool {
    let mut parts = content_type.split(';').map(str::trim);
    let is_form = parts
        .next()
        .is_some_and(|media| media.eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    let charset_ok = parts.all(|parameter| match parameter.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            let value = value.trim().trim_matches('"');
            value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8")
        }
        _ => true,
    });
    is_form && charset_ok
}

impl<S: Send + Sync> FromRequest<S> for FormInput {
    type Rejection = AppError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, AppError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !is_utf8_form(content_type) {
            return Err(AppError::UnsupportedMediaType);
        }
        let length = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if length.is_some_and(|n| n > MAX_FORM_BYTES) {
            return Err(AppError::PayloadTooLarge);
        }
        let extensions = request.extensions().clone();
        let limited = http_body_util::Limited::new(request.into_body(), MAX_FORM_BYTES);
        let body = match limited.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                return Err(AppError::PayloadTooLarge);
            }
            Err(e) => {
                return Err(AppError::invalid(
                    "formulär",
                    format!("formuläret kom inte fram helt: {e}"),
                ));
            }
        };
        let pairs = form_urlencoded::parse(&body).into_owned();
        let form = FormState::from_pairs(pairs);
        if !super::csrf::form_token_ok(&extensions, form.value("csrf")) {
            return Err(AppError::StaleForm);
        }
        Ok(FormInput(form))
    }
}

/// A free text typed in `form`'s field `name` (a reason, a message), trimmed. A message
/// at `field` (usually `name`) when it is empty and `missing` says what to write, when it
/// holds control characters other than line breaks and tabs, or when it is longer than
/// `max` characters; `noun` begins the latter two ("Anledningen", "Meddelandet").
pub fn free_text(
    form: &mut FormState,
    (name, field): (&str, &str),
    noun: &str,
    max: usize,
    missing: Option<&str>,
) -> String {
    let text = form.value(name).trim().to_string();
    if text.is_empty() {
        if let Some(missing) = missing {
            form.add_error(field, missing);
        }
    } else if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        form.add_error(field, format!("{noun} innehåller otillåtna tecken"));
    } else if text.chars().count() > max {
        let max = hallbar_templates::components::swedish::thousands(max as u64);
        form.add_error(field, format!("{noun} får vara högst {max} tecken"));
    }
    text
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
        if form.value("namn").trim().is_empty() {
            form.add_error("namn", "Skriv ditt namn");
            return failed(field(&form, &Field::text("namn", "Namn").required()));
        }
        format!("hej {}", form.value("namn").trim()).into_response()
    }

    /// The token the tests' forms carry (and the request expects).
    const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    fn expecting_token(request: &mut axum::http::Request<Body>) {
        request
            .extensions_mut()
            .insert(super::super::session::ExpectedCsrf(Some(TOKEN.to_string())));
    }

    async fn send(content_type: &str, body: Vec<u8>) -> (StatusCode, String) {
        let app = Router::new().route("/", post(echo));
        let mut body = body;
        body.extend_from_slice(format!("&csrf={TOKEN}").as_bytes());
        let mut request = axum::http::Request::post("/")
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("a request");
        expecting_token(&mut request);
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
    async fn other_bodies_charsets_and_oversized_forms_are_refused_in_swedish() {
        for content_type in [
            "application/json",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded; charset=ISO-8859-1",
        ] {
            let (status, html) = send(content_type, b"namn=%E5s%E4".to_vec()).await;
            assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}");
            assert!(html.contains("formulär"), "{html}");
        }
        let huge = format!("namn={}", "a".repeat(MAX_FORM_BYTES));
        let (status, html) = send(FORM, huge.into_bytes()).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(html.contains("för stort"), "{html}");
        // The longest text field, in four-byte characters, fits.
        let longest = format!("namn={}", "%F0%9F%98%80".repeat(50_000));
        assert_eq!(send(FORM, longest.into_bytes()).await.0, StatusCode::OK);
    }

    #[tokio::test]
    async fn a_form_without_the_expected_token_is_refused() {
        let app = Router::new().route("/", post(echo));
        let other = TOKEN.replace('0', "1");
        // (body, whether the request expects TOKEN, whether the form is taken)
        let cases = [
            ("namn=Anna".to_string(), true, false),
            (format!("namn=Anna&csrf={other}"), true, false),
            ("namn=Anna&csrf=".to_string(), true, false),
            (format!("namn=Anna&csrf={TOKEN}"), false, false),
            (format!("namn=Anna&csrf={TOKEN}"), true, true),
        ];
        for (body, expects, taken) in cases {
            let mut request = axum::http::Request::post("/")
                .header(header::CONTENT_TYPE, FORM)
                .body(Body::from(body.clone()))
                .expect("a request");
            if expects {
                expecting_token(&mut request);
            }
            let response = app.clone().oneshot(request).await.expect("an answer");
            let expected = if taken {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(response.status(), expected, "{body}");
        }
    }

    #[tokio::test]
    async fn values_are_kept_exactly_as_sent() {
        let app = Router::new().route(
            "/",
            post(
                |FormInput(form): FormInput| async move { format!("[{}]", form.value("losenord")) },
            ),
        );
        let mut request = axum::http::Request::post("/")
            .header(header::CONTENT_TYPE, FORM)
            .body(Body::from(format!("losenord=+hemligt+ord+&csrf={TOKEN}")))
            .expect("a request");
        expecting_token(&mut request);
        let response = app.oneshot(request).await.expect("an answer");
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        assert_eq!(&bytes[..], b"[ hemligt ord ]");
    }
}
