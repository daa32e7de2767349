//! The running site's settings, read once from the command line and the environment and
//! shared by every request (`State<Arc<Config>>`). New settings (mail, sessions) go here.

/// Everything a request may need to know about how the site is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The site's public address without a trailing slash, for absolute links (canonical
    /// links, feeds, the sitemap, OpenSearch).
    pub public_url: String,
    /// Where the contact page sends people, if set.
    pub contact_email: Option<String>,
    /// How long search may lag behind the database, or the indexer fail, before `/healthz`
    /// answers 503.
    pub index_lag_limit: std::time::Duration,
    /// How many searches one client address may have running at once (0: no limit).
    pub searches_per_client: usize,
    /// Where the operator publishes the source, if set; `/kallkod` always offers the
    /// archive of the sources this binary was built from.
    pub source_url: Option<String>,
    /// Whether a reverse proxy stands in front: then a client is the last address in
    /// `X-Forwarded-For` for the login and registration limits.
    pub behind_proxy: bool,
    /// The sender of the site's mails (`Namn <adress>` or an address).
    pub mail_from: String,
    /// Where mails are written as `.eml` files when no SMTP server is configured.
    pub mail_dir: std::path::PathBuf,
    /// The data directory: this node's search index, and uploads waiting to be imported.
    pub data_dir: std::path::PathBuf,
    /// The largest file an admin may upload to `/admin/import`, in bytes.
    pub import_max_bytes: u64,
    /// How long a checked upload waits for the admin's confirmation, in seconds.
    pub import_confirm_seconds: i64,
}

/// The largest import upload when none is configured: 256 MiB.
pub const DEFAULT_IMPORT_MAX_BYTES: u64 = 256 * 1024 * 1024;

/// The sender when none is configured.
pub const DEFAULT_MAIL_FROM: &str = "hallbar <noreply@localhost>";

impl Default for Config {
    fn default() -> Self {
        Config {
            public_url: "http://localhost:3000".to_string(),
            contact_email: None,
            index_lag_limit: std::time::Duration::from_secs(60),
            searches_per_client: crate::http::ClientLimit::default_max(),
            source_url: None,
            behind_proxy: false,
            mail_from: DEFAULT_MAIL_FROM.to_string(),
            mail_dir: std::path::PathBuf::from("data/mail"),
            data_dir: std::path::PathBuf::from("data"),
            import_max_bytes: DEFAULT_IMPORT_MAX_BYTES,
            import_confirm_seconds: 30 * 60,
        }
    }
}

impl Config {
    /// The settings with this public address (a trailing slash is dropped).
    pub fn with_public_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.public_url = url.trim_end_matches('/').to_string();
        self
    }

    /// The settings with this contact address.
    pub fn with_contact_email(mut self, email: Option<String>) -> Self {
        self.contact_email = email;
        self
    }

    /// The settings with this address of the published source (named on `/kallkod`).
    pub fn with_source_url(mut self, url: Option<String>) -> Self {
        self.source_url = url;
        self
    }

    /// Whether the site is served over https (then browsers are told to use https only).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// An absolute URL for a site path (which starts with `/`).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_have_one_slash() {
        let config = Config::default().with_public_url("https://exempel.se/");
        assert_eq!(config.absolute("/pivi"), "https://exempel.se/pivi");
    }
}
