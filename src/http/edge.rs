//! Answers for requests that never reach the router because they cannot be read as HTTP
//! (a URI too long, too many or too large headers, bytes a URI may not hold): the same
//! Swedish page — or JSON under `/api` — and security headers as any other error, as the
//! complete HTTP/1.1 response bytes the connection writes before it closes.

use axum::http::StatusCode;
use hallbar_templates::pages::errors;

use super::AppError;
use super::error::{ErrorReport, report_json};
use super::headers::security_headers;
use crate::config::Config;

/// Why a request head was refused before routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The request line or a header is not well-formed HTTP.
    Malformed,
    UriTooLong,
    HeadersTooLarge,
}

impl Refusal {
    fn error(self) -> AppError {
        match self {
            Refusal::Malformed => AppError::invalid(
                "adress",
                "förfrågan kunde inte läsas (adressen eller en rubrik har otillåtna tecken)",
            ),
            Refusal::UriTooLong => AppError::UriTooLong,
            Refusal::HeadersTooLarge => AppError::HeadersTooLarge,
        }
    }
}

/// The whole response to a refused request; `api` when its path starts with `/api`.
pub fn refusal(refusal: Refusal, api: bool, config: &Config) -> Vec<u8> {
    let error = refusal.error();
    let report: ErrorReport = error.report();
    let status: StatusCode = report.status();
    let (content_type, body) = if api {
        ("application/json", report_json(&report).to_string())
    } else {
        let page = match &error {
            AppError::Invalid { field, message } => errors::bad_request(field, message),
            _ => errors::bad_request("förfrågan", &report.message()),
        };
        ("text/html; charset=utf-8", page.into_string())
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    );
    for (name, value) in security_headers(config) {
        if let Ok(value) = value.to_str() {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_complete_swedish_answers_with_the_security_headers() {
        let config = Config::default().with_public_url("https://exempel.se");
        let html =
            String::from_utf8(refusal(Refusal::UriTooLong, false, &config)).unwrap_or_default();
        assert!(html.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{html}");
        assert!(
            html.contains("content-security-policy: default-src 'self'"),
            "{html}"
        );
        assert!(
            html.contains("strict-transport-security: max-age=31536000"),
            "{html}"
        );
        assert!(html.contains("<html lang=\"sv\">"), "{html}");
        let (head, body) = html.split_once("\r\n\r\n").unwrap_or_default();
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{head}"
        );

        let json = String::from_utf8(refusal(Refusal::HeadersTooLarge, true, &Config::default()))
            .unwrap_or_default();
        assert!(json.starts_with("HTTP/1.1 431 "), "{json}");
        assert!(json.contains("application/json"), "{json}");
        assert!(!json.contains("strict-transport-security"), "{json}");
        assert!(json.ends_with(r#"{"fel":{"kod":"for_stora_rubriker","meddelande":"förfrågans rubriker är för stora"}}"#), "{json}");
        let malformed = String::from_utf8(refusal(Refusal::Malformed, true, &Config::default()))
            .unwrap_or_default();
        assert!(malformed.starts_with("HTTP/1.1 400 "), "{malformed}");
        assert!(malformed.contains(r#""parameter":"adress""#), "{malformed}");
    }
}
