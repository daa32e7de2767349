//! Outgoing mail: plain-text messages over SMTP (lettre), or as .eml files when there is no SMTP server.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How long an SMTP server may take to answer each step before sending fails.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);

/// One message to send: plain-text UTF-8 body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Why a message could not be sent or written.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("ogiltig e-postadress {address:?}: {source}")]
    Address {
        address: String,
        #[source]
        source: lettre::address::AddressError,
    },
    /// The SMTP URL; its text is left out (it may hold a password).
    #[error("ogiltig SMTP-adress: {0}")]
    SmtpUrl(#[source] lettre::transport::smtp::Error),
    #[error("kunde inte skicka e-post via SMTP: {0}")]
    Smtp(#[source] lettre::transport::smtp::Error),
    #[error("kunde inte skriva e-postfilen {}: {source}", path.display())]
    File {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("kunde inte bygga e-postmeddelandet: {0}")]
    Message(#[from] lettre::error::Error),
}

/// Sends [`Mail`] from one sender address, over SMTP or into a directory.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(Arc<Path>),
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Mailer");
        out.field("from", &self.from.to_string());
        match &self.transport {
            // Not the transport itself: its settings hold the SMTP credentials.
            Transport::Smtp(_) => out.field("transport", &"smtp"),
            Transport::Files(dir) => out.field("mail_dir", dir),
        };
        out.finish()
    }
}

impl Mailer {
    /// SMTP when `smtp_url` is given (lettre's URL format: `smtp://127.0.0.1:2525` is plain
    /// SMTP without TLS, `smtp://host?tls=required` STARTTLS on port 587 by default,
    /// `smtps://user:pass@host` TLS on port 465 by default), otherwise .eml files in
    /// `mail_dir` (created when the first message is written).
    pub fn new(smtp_url: Option<&str>, from: &str, mail_dir: PathBuf) -> Result<Mailer, MailError> {
        let from = parse_mailbox(from)?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(MailError::SmtpUrl)?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            None => Transport::Files(mail_dir.into()),
        };
        Ok(Mailer { from, transport })
    }

    /// Sends `mail` (or writes it to the mail directory).
    pub async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let message = self.message(mail)?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.map_err(MailError::Smtp)?;
                Ok(())
            }
            Transport::Files(dir) => write_eml(dir, &message.formatted()).await,
        }
    }

    /// Where files go when there is no SMTP server (None with SMTP).
    pub fn mail_dir(&self) -> Option<&Path> {
        match &self.transport {
            Transport::Smtp(_) => None,
            Transport::Files(dir) => Some(dir),
        }
    }

    /// The RFC 5322 message: UTF-8 text/plain, sent as 8bit so that the text (å, ä, ö,
    /// long links) stays readable as it is (SMTP servers must then offer 8BITMIME, as all
    /// current ones do); only a body 8bit cannot carry (a line over 998 bytes, a NUL) gets
    /// the encoding lettre finds best (quoted-printable or base64).
    fn message(&self, mail: Mail) -> Result<Message, MailError> {
        let to = parse_mailbox(&mail.to)?;
        let body = eight_bit(&mail.body).unwrap_or_else(|| Body::new(mail.body));
        let part = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(body);
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(one_line(&mail.subject))
            .singlepart(part)?)
    }
}

/// `text` as an 8bit body (RFC 6152) with CRLF line ends, when 8bit can carry it: lettre
/// itself refuses 8bit for lines over 76 bytes, which would break long links with
/// quoted-printable soft line breaks.
fn eight_bit(text: &str) -> Option<Body> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.contains('\0') || text.split('\n').any(|line| line.len() > 998) {
        return None;
    }
    let crlf = text.replace('\n', "\r\n").into_bytes();
    Some(Body::dangerous_pre_encoded(
        crlf,
        ContentTransferEncoding::EightBit,
    ))
}

fn parse_mailbox(address: &str) -> Result<Mailbox, MailError> {
    address.parse().map_err(|source| MailError::Address {
        address: address.to_owned(),
        source,
    })
}

/// A subject on one line: control characters (line breaks) become spaces.
fn one_line(subject: &str) -> String {
    subject
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Writes `message` to `<dir>/<UTC yyyymmddThhmmss.ffffff>-<random hex>.eml`, through a
/// hidden temporary name in the same directory, so that a reader never sees half a file.
async fn write_eml(dir: &Path, message: &[u8]) -> Result<(), MailError> {
    let name = format!(
        "{}-{:016x}.eml",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"),
        uuid::Uuid::new_v4().as_u64_pair().0
    );
    let path = dir.join(&name);
    let temporary = dir.join(format!(".{name}.tmp"));
    let fail = |path: &Path| {
        let path = path.to_owned();
        move |source| MailError::File { path, source }
    };
    tokio::fs::create_dir_all(dir).await.map_err(fail(dir))?;
    tokio::fs::write(&temporary, message)
        .await
        .map_err(fail(&temporary))?;
    if let Err(error) = tokio::fs::rename(&temporary, &path).await {
        let _ = tokio::fs::remove_file(&temporary).await;
        return Err(fail(&path)(error));
    }
    tracing::info!(path = %path.display(), "e-post skriven till fil");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "http://localhost:3000/verifiera/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_abcdefghijklmnop";

    fn mail() -> Mail {
        Mail {
            to: "Åsa Öberg <asa@example.se>".into(),
            subject: "Bekräfta din e-postadress på Hållbar Göteborg".into(),
            body: format!(
                "Hej!\n\nKlicka på länken för att bekräfta din adress:\n\n{LINK}\n\nVänliga hälsningar\nHållbar"
            ),
        }
    }

    fn files(dir: &Path) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("the mail directory")
            .map(|entry| entry.expect("an entry").path())
            .collect();
        files.sort();
        files
    }

    /// The unfolded value of the first header called `name`.
    fn header(message: &str, name: &str) -> String {
        let head = message.split("\r\n\r\n").next().expect("headers");
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let prefix = format!("{}: ", name.to_lowercase());
        unfolded
            .lines()
            .find(|line| line.to_lowercase().starts_with(&prefix))
            .map(|line| line[prefix.len()..].to_owned())
            .unwrap_or_else(|| panic!("no {name} header in\n{head}"))
    }

    /// Decodes a header with RFC 2047 `=?utf-8?b?…?=` words (what lettre writes for
    /// non-ASCII words): the space between two encoded words is not part of the text.
    fn decode_words(value: &str) -> String {
        let mut text = String::new();
        let mut previous_encoded = false;
        for word in value.split(' ') {
            let encoded = word
                .strip_prefix("=?utf-8?b?")
                .and_then(|w| w.strip_suffix("?="));
            if !(text.is_empty() || previous_encoded && encoded.is_some()) {
                text.push(' ');
            }
            match encoded {
                Some(encoded) => text.push_str(&String::from_utf8(base64(encoded)).expect("UTF-8")),
                None => text.push_str(word),
            }
            previous_encoded = encoded.is_some();
        }
        text
    }

    fn base64(text: &str) -> Vec<u8> {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let (mut bits, mut count, mut out) = (0u32, 0, Vec::new());
        for c in text.bytes().filter(|&c| c != b'=') {
            let value = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
            bits = (bits << 6) | value;
            count += 6;
            if count >= 8 {
                count -= 8;
                out.push((bits >> count) as u8);
            }
        }
        out
    }

    #[tokio::test]
    async fn without_smtp_messages_are_files() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mail_dir = dir.path().join("e-post").join("ut");
        let mailer = Mailer::new(None, "Hållbar <noreply@hallbar.example>", mail_dir.clone())
            .expect("a mailer");
        assert_eq!(mailer.mail_dir(), Some(mail_dir.as_path()));
        mailer.send(mail()).await.expect("written");
        mailer.send(mail()).await.expect("written again");

        let files = files(&mail_dir);
        assert_eq!(files.len(), 2, "{files:?}: no temporary files are left");
        let name = files[0]
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let (time, rest) = name.split_once('-').expect("time-random.eml");
        assert_eq!(time.len(), "20260101T120000.123456".len(), "{name}");
        assert_eq!(&time[8..9], "T", "{name}");
        assert!(
            time[..8]
                .bytes()
                .chain(time[9..15].bytes())
                .all(|b| b.is_ascii_digit())
        );
        let hex = rest.strip_suffix(".eml").expect(".eml");
        assert!(
            hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
            "{name}"
        );

        let message = std::fs::read_to_string(&files[0]).expect("UTF-8 text");
        assert!(
            header(&message, "To").contains("<asa@example.se>"),
            "{message}"
        );
        assert!(header(&message, "From").contains("<noreply@hallbar.example>"));
        let subject = header(&message, "Subject");
        assert!(subject.contains("=?utf-8?b?"), "{subject}");
        assert_eq!(
            decode_words(&subject),
            "Bekräfta din e-postadress på Hållbar Göteborg"
        );
        assert_eq!(header(&message, "Content-Transfer-Encoding"), "8bit");
        assert!(header(&message, "Content-Type").contains("charset=utf-8"));
        assert_eq!(header(&message, "MIME-Version"), "1.0");
        assert!(message.contains(LINK), "the link is whole:\n{message}");
        assert!(
            message.contains("Vänliga hälsningar\r\nHållbar"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn a_subject_stays_one_header() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mailer =
            Mailer::new(None, "noreply@hallbar.example", dir.path().into()).expect("a mailer");
        let mut mail = mail();
        mail.subject = "Hej\r\nBcc: alla@example.se".into();
        mailer.send(mail).await.expect("written");
        let message = std::fs::read_to_string(&files(dir.path())[0]).expect("text");
        let head = message.split("\r\n\r\n").next().expect("headers");
        assert!(!head.to_lowercase().contains("\r\nbcc:"), "{head}");
    }

    #[test]
    fn bad_addresses_are_errors_in_swedish() {
        let dir = PathBuf::from("/nonexistent");
        let error = Mailer::new(None, "inte en adress", dir.clone()).expect_err("bad from");
        assert!(matches!(error, MailError::Address { .. }));
        assert!(
            error
                .to_string()
                .starts_with("ogiltig e-postadress \"inte en adress\"")
        );

        let mailer = Mailer::new(None, "noreply@hallbar.example", dir).expect("a mailer");
        for to in [
            "",
            "asa",
            "asa@",
            "@example.se",
            "asa@example.se\r\nBcc: x@y.se",
        ] {
            let mut mail = mail();
            mail.to = to.into();
            let error = mailer.message(mail).expect_err(to);
            assert!(
                matches!(error, MailError::Address { .. }),
                "{to:?}: {error}"
            );
        }
    }

    #[test]
    fn bad_smtp_urls_are_errors_without_the_password() {
        for url in [
            "inte en url",
            "http://localhost",
            "smtp://",
            "smtp://h?tls=kanske",
        ] {
            let error =
                Mailer::new(Some(url), "noreply@hallbar.example", PathBuf::new()).expect_err(url);
            assert!(matches!(error, MailError::SmtpUrl(_)), "{url}: {error}");
            assert!(error.to_string().starts_with("ogiltig SMTP-adress"));
        }
        let mailer = Mailer::new(
            Some("smtps://anna:hemligt@smtp.example.se"),
            "noreply@hallbar.example",
            PathBuf::new(),
        )
        .expect("a mailer");
        assert_eq!(mailer.mail_dir(), None);
        assert!(!format!("{mailer:?}").contains("hemligt"));
    }

    #[tokio::test]
    async fn an_unwritable_directory_is_an_error() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("en-fil");
        std::fs::write(&file, "inte en katalog").expect("a file");
        let mailer =
            Mailer::new(None, "noreply@hallbar.example", file.join("e-post")).expect("a mailer");
        let error = mailer.send(mail()).await.expect_err("not a directory");
        assert!(matches!(error, MailError::File { .. }), "{error}");
        assert!(
            error
                .to_string()
                .starts_with("kunde inte skriva e-postfilen")
        );
    }

    #[test]
    fn bodies_get_crlf_line_ends() {
        let body = eight_bit("ett\ntvå\r\ntre\rfyra").expect("8bit");
        assert_eq!(body.encoding(), ContentTransferEncoding::EightBit);
        assert_eq!(body.into_vec(), "ett\r\ntvå\r\ntre\r\nfyra".as_bytes());
        assert!(eight_bit(&"x".repeat(998)).is_some());
        assert!(eight_bit(&"x".repeat(999)).is_none());
        assert!(eight_bit("noll\0byte").is_none());
    }

    #[test]
    fn a_body_8bit_cannot_carry_is_still_sent() {
        let mailer =
            Mailer::new(None, "noreply@hallbar.example", PathBuf::new()).expect("a mailer");
        let mut mail = mail();
        mail.body = "å".repeat(600);
        let message = mailer.message(mail).expect("a message");
        let text = String::from_utf8(message.formatted()).expect("ASCII");
        assert_ne!(header(&text, "Content-Transfer-Encoding"), "8bit");
    }
}
