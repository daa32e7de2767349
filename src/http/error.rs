//! The application's error type and how each error is shown: a Swedish page for people,
//! JSON under `/api` (see [`json_errors`]); internal causes are logged, never shown.

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use hallbar_index::search::params::ParamError;
use hallbar_templates::pages::errors;

use crate::search::SearchError;

const BUSY: &str = "för många sökningar på en gång från din adress; försök igen om en stund";
const TOO_LARGE: &str = "det som skickades är för stort";
const UNSUPPORTED: &str = "skicka formuläret från webbplatsen (som formulär i UTF-8)";

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sidan finns inte")]
    NotFound,
    /// The page or action is for logged-in members; `return_to` is where to come back.
    #[error("inloggning krävs")]
    Unauthorized { return_to: String },
    /// Logged in, but not allowed.
    #[error("behörighet saknas")]
    Forbidden,
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// A submitted body larger than the site takes.
    #[error("förfrågan är för stor")]
    PayloadTooLarge,
    /// A submitted body in a form the site does not read (not a UTF-8 form).
    #[error("förfrågans format stöds inte")]
    UnsupportedMediaType,
    /// A known address asked with a method it does not answer.
    #[error("metoden stöds inte")]
    MethodNotAllowed,
    #[error("adressen är för lång")]
    UriTooLong,
    #[error("förfrågans rubriker är för stora")]
    HeadersTooLarge,
    /// One client has too many searches running.
    #[error("för många sökningar på en gång")]
    TooManyRequests,
    /// Too many tries of something guarded (logins, registrations, mails) from one
    /// address or for one account; `minutes` until it may be tried again.
    #[error("för många försök; vänta {minutes} minuter")]
    TooManyAttempts { minutes: i64 },
    /// A form without its CSRF token or with another one (old, tampered, or sent from
    /// another site).
    #[error("formuläret är för gammalt eller kommer från en annan webbplats")]
    StaleForm,
    /// A state-changing request a browser said came from another site.
    #[error("förfrågan kom från en annan webbplats")]
    CrossSite,
    /// A change could not be stored (the database was busy); nothing was changed.
    #[error("{0}")]
    Write(#[from] crate::write::WriteError),
    #[error("sökfel: {0}")]
    Search(#[from] SearchError),
    #[error("databasfel: {0}")]
    Db(#[from] sqlx::Error),
    #[error("internt fel: {0}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A bad value in a named field or parameter.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Invalid { .. } => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::UriTooLong => StatusCode::URI_TOO_LONG,
            AppError::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            AppError::TooManyRequests | AppError::TooManyAttempts { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            AppError::StaleForm | AppError::CrossSite => StatusCode::FORBIDDEN,
            AppError::Write(crate::write::WriteError::Busy) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Write(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Db(_) | AppError::Internal(_) | AppError::Search(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What the JSON API says about this error (internal causes are not shown).
    pub(super) fn report(&self) -> ErrorReport {
        let (code, parameter, message) = match self {
            AppError::NotFound => ("finns_inte", None, "resursen finns inte".to_string()),
            AppError::Unauthorized { .. } => (
                "inte_inloggad",
                None,
                "du behöver vara inloggad".to_string(),
            ),
            AppError::Forbidden => (
                "ingen_behorighet",
                None,
                "du har inte behörighet till det här".to_string(),
            ),
            AppError::Invalid { field, message } => {
                ("ogiltig_parameter", Some(field.clone()), message.clone())
            }
            AppError::PayloadTooLarge => ("for_stor", None, TOO_LARGE.to_string()),
            AppError::UnsupportedMediaType => ("fel_format", None, UNSUPPORTED.to_string()),
            AppError::MethodNotAllowed => (
                "fel_metod",
                None,
                "adressen tar inte emot den här sortens förfrågan".to_string(),
            ),
            AppError::UriTooLong => ("for_lang_adress", None, "adressen är för lång".to_string()),
            AppError::HeadersTooLarge => (
                "for_stora_rubriker",
                None,
                "förfrågans rubriker är för stora".to_string(),
            ),
            AppError::TooManyRequests => ("for_manga_samtidiga", None, BUSY.to_string()),
            AppError::TooManyAttempts { minutes } => (
                "for_manga_forsok",
                None,
                format!("för många försök; försök igen om {minutes} minuter"),
            ),
            AppError::StaleForm => (
                "ogiltigt_formular",
                Some("csrf".to_string()),
                "formulärets kontrollkod saknas eller stämmer inte".to_string(),
            ),
            AppError::CrossSite => (
                "annan_webbplats",
                None,
                "förfrågan kom från en annan webbplats".to_string(),
            ),
            AppError::Write(crate::write::WriteError::Busy) => ("upptagen", None, self.to_string()),
            AppError::Write(_) => ("internt_fel", None, "ett internt fel uppstod".to_string()),
            AppError::Db(_) | AppError::Internal(_) | AppError::Search(_) => {
                ("internt_fel", None, "ett internt fel uppstod".to_string())
            }
        };
        ErrorReport {
            status: self.status(),
            code,
            parameter,
            message,
        }
    }
}

impl From<ParamError> for AppError {
    fn from(e: ParamError) -> Self {
        AppError::Invalid {
            field: e.parameter,
            message: e.message,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let page = match &self {
            AppError::NotFound => errors::not_found(),
            AppError::Unauthorized { return_to } => errors::unauthorized(return_to),
            AppError::Forbidden => errors::forbidden(),
            AppError::Invalid { field, message } => errors::bad_request(field, message),
            AppError::PayloadTooLarge => errors::bad_request("formulär", TOO_LARGE),
            AppError::UnsupportedMediaType => errors::bad_request("formulär", UNSUPPORTED),
            AppError::MethodNotAllowed => errors::method_not_allowed(),
            AppError::TooManyRequests => errors::too_many_requests(),
            AppError::TooManyAttempts { minutes } => errors::too_many_attempts(*minutes),
            AppError::StaleForm => errors::stale_form(),
            AppError::CrossSite => errors::cross_site(),
            AppError::Write(crate::write::WriteError::Busy) => errors::busy(&self.to_string()),
            AppError::Write(_) => {
                tracing::error!(error = %self, "fel vid hantering av en förfrågan");
                errors::server_error()
            }
            AppError::UriTooLong | AppError::HeadersTooLarge => {
                errors::bad_request("förfrågan", &self.report().message)
            }
            AppError::Db(_) | AppError::Internal(_) | AppError::Search(_) => {
                tracing::error!(error = %self, "fel vid hantering av en förfrågan");
                errors::server_error()
            }
        };
        let report = self.report();
        let mut response = (report.status, page).into_response();
        challenge(&mut response);
        response.extensions_mut().insert(report);
        response
    }
}

/// A 401 names how to authenticate (RFC 9110 §11.6.1): by logging in on the site, which
/// sets a session cookie.
fn challenge(response: &mut Response) {
    if response.status() == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            axum::http::header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Cookie realm=\"hallbar\""),
        );
    }
}

/// An error as the JSON API reports it; carried in the extensions of an error response so
/// that [`json_errors`] can re-render it.
#[derive(Debug, Clone)]
pub struct ErrorReport {
    status: StatusCode,
    code: &'static str,
    parameter: Option<String>,
    message: String,
}

impl ErrorReport {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn message(&self) -> String {
        self.message.clone()
    }
}

/// `{"fel": {"kod": …, "parameter": …, "meddelande": …}}` for a report.
pub fn report_json(report: &ErrorReport) -> serde_json::Value {
    let mut body = serde_json::json!({ "kod": report.code, "meddelande": report.message });
    if let Some(parameter) = &report.parameter {
        body["parameter"] = serde_json::Value::String(parameter.clone());
    }
    serde_json::json!({ "fel": body })
}

/// For the API's routes: an error response becomes
/// `{"fel": {"kod": …, "parameter": …, "meddelande": …}}` with the same status, whichever
/// handler or extractor produced it.
pub async fn json_errors(response: Response) -> Response {
    let Some(report) = response.extensions().get::<ErrorReport>().cloned() else {
        return response;
    };
    let mut json = (report.status, axum::Json(report_json(&report))).into_response();
    challenge(&mut json);
    json
}

/// For a known path asked with a method it does not answer (e.g. `POST /`).
pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

/// The fallback for paths that match no route.
pub async fn not_found(uri: Uri) -> AppError {
    tracing::debug!(%uri, "okänd sökväg");
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[tokio::test]
    async fn each_error_is_a_swedish_page_and_precise_json() {
        let cases = [
            (AppError::NotFound, 404, "Sidan finns inte", "finns_inte"),
            (
                AppError::Unauthorized {
                    return_to: "/".into(),
                },
                401,
                "Logga in för att fortsätta",
                "inte_inloggad",
            ),
            (
                AppError::Forbidden,
                403,
                "Du har inte behörighet",
                "ingen_behorighet",
            ),
            (
                AppError::invalid("sida", "måste vara ett heltal"),
                400,
                "Felaktig förfrågan",
                "ogiltig_parameter",
            ),
            (
                AppError::PayloadTooLarge,
                413,
                "Felaktig förfrågan",
                "for_stor",
            ),
            (
                AppError::UnsupportedMediaType,
                415,
                "Felaktig förfrågan",
                "fel_format",
            ),
            (
                AppError::Internal(anyhow::anyhow!("hemlig orsak")),
                500,
                "Något gick fel",
                "internt_fel",
            ),
        ];
        for (error, status, heading, code) in cases {
            let page = error.into_response();
            assert_eq!(page.status().as_u16(), status);
            assert_eq!(
                page.headers()
                    .contains_key(axum::http::header::WWW_AUTHENTICATE),
                status == 401
            );
            let report = page.extensions().get::<ErrorReport>().cloned();
            let html = body(page).await;
            assert!(html.contains(&format!("<h1>{heading}</h1>")), "{html}");
            assert!(!html.contains("hemlig orsak"), "{html}");

            let mut rebuilt = (StatusCode::OK, "x").into_response();
            rebuilt.extensions_mut().insert(report.expect("a report"));
            let json = json_errors(rebuilt).await;
            assert_eq!(json.status().as_u16(), status);
            assert_eq!(
                json.headers()
                    .contains_key(axum::http::header::WWW_AUTHENTICATE),
                status == 401
            );
            let value: serde_json::Value = serde_json::from_str(&body(json).await).expect("JSON");
            assert_eq!(value["fel"]["kod"], code, "{value}");
            assert!(!value.to_string().contains("hemlig orsak"));
        }
    }

    #[tokio::test]
    async fn responses_without_an_error_pass_the_api_layer_unchanged() {
        let ok = json_errors((StatusCode::OK, "hej").into_response()).await;
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(body(ok).await, "hej");
    }
}
