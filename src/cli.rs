//! The command line: `serve`, `migrate`, `import`, `export` and `demo`.

use std::ffi::{OsStr, OsString};
use std::io::{BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use hallbar_index::model::{WebAddressError, web_address};

use crate::interchange::{self, ImportReport};
use crate::write::Writes;
use crate::{db, demo, indexer, serve};
use hallbar_index::search::{FACETS, params};

/// hallbar – sök- och kunskapsmotor för socialt hållbar utveckling i Göteborg.
///
/// Utan inställningar används katalogen ./data för databasen och sökindexet; varje
/// inställning kan också ges som miljövariabel (HALLBAR_…).
#[derive(Debug, Parser)]
#[command(name = "hallbar", version)]
pub struct Cli {
    /// Katalog för databasen och sökindexet (skapas om den saknas).
    #[arg(
        long,
        env = "HALLBAR_DATA_DIR",
        default_value = "./data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// PostgreSQL-databas att använda i stället för SQLite i datakatalogen, t.ex.
    /// postgres://hallbar:lösenord@db.example/hallbar. Sökindexet ligger ändå i
    /// datakatalogen (ett eget för varje nod).
    #[arg(
        long,
        env = "HALLBAR_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// SMTP-server för webbplatsens mejl, t.ex. smtp://127.0.0.1:25 (utan TLS),
    /// smtp://värd?tls=required (STARTTLS) eller smtps://användare:lösenord@värd. Utan den
    /// skrivs varje mejl som en .eml-fil i katalogen mail/ i datakatalogen.
    #[arg(long, env = "HALLBAR_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Avsändaren av webbplatsens mejl, t.ex. "hallbar <noreply@hallbar.goteborg.se>".
    #[arg(long, env = "HALLBAR_MAIL_FROM", global = true,
          default_value = crate::config::DEFAULT_MAIL_FROM)]
    pub mail_from: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Startar webbplatsen. Uppdaterar databasen och laddar demoinnehållet om databasen är tom.
    Serve {
        /// Adress och port att lyssna på.
        #[arg(long, env = "HALLBAR_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// Webbplatsens publika adress (för flöden, webbplatskarta och kanoniska länkar),
        /// t.ex. https://hallbar.goteborg.se. Standard: http:// och adressen den lyssnar på.
        #[arg(long, env = "HALLBAR_PUBLIC_URL", value_parser = public_url)]
        public_url: Option<String>,
        /// E-postadressen som kontaktsidan anger för frågor om tjänsten.
        #[arg(long, env = "HALLBAR_CONTACT_EMAIL", value_parser = contact_email)]
        contact_email: Option<String>,
        /// Var källkoden till den version som körs publiceras (länkas från /kallkod, som
        /// alltid också erbjuder källkoden som programmet byggdes från).
        #[arg(long, env = "HALLBAR_SOURCE_URL", value_parser = source_url)]
        source_url: Option<String>,
        /// Sekunder som sökindexet får ligga efter databasen, eller indexeringen misslyckas,
        /// innan /healthz svarar 503.
        #[arg(long, env = "HALLBAR_INDEX_LAG_LIMIT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86400))]
        index_lag_limit: u64,
        /// Hur många sökningar en klientadress får ha igång samtidigt (0: ingen gräns;
        /// bakom en omvänd proxy delar alla besökare dess adress). Standard: antalet
        /// processorkärnor minus en, minst en.
        #[arg(long, env = "HALLBAR_SEARCHES_PER_CLIENT", value_parser = clap::value_parser!(u64).range(0..=10_000))]
        searches_per_client: Option<u64>,
        /// Högsta tid i sekunder som en förfrågans rubriker får ta att komma fram.
        #[arg(long, env = "HALLBAR_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
        header_timeout: u64,
        /// Sekunder som en öppen anslutning får vara tyst innan den stängs.
        #[arg(long, env = "HALLBAR_IDLE_TIMEOUT", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86400))]
        idle_timeout: u64,
        /// Högsta antal öppna anslutningar. Standard: processens gräns för öppna filer
        /// minus utrymme för databasen och sökindexet (högst 10 000).
        #[arg(long, env = "HALLBAR_MAX_CONNECTIONS", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        max_connections: Option<u64>,
        /// Webbplatsen står bakom en omvänd proxy (nginx, Caddy …) som lägger klientens
        /// adress sist i X-Forwarded-For: gränserna för inloggningar och registreringar
        /// räknar då den adressen i stället för proxyns. Slå bara på om proxyn alltid
        /// sätter rubriken (annars kan en klient välja adress själv).
        #[arg(long, env = "HALLBAR_BEHIND_PROXY", action = clap::ArgAction::SetTrue,
              value_parser = yes_no)]
        behind_proxy: bool,
        /// Största fil i byte som en administratör får ladda upp för import på webben
        /// (/admin/import). Standard: 256 MiB.
        #[arg(long, env = "HALLBAR_IMPORT_MAX_BYTES",
              default_value_t = crate::config::DEFAULT_IMPORT_MAX_BYTES,
              value_parser = clap::value_parser!(u64).range(1..))]
        import_max_bytes: u64,
        /// Ladda inte demoinnehållet i en tom databas.
        #[arg(long, env = "HALLBAR_NO_DEMO", action = clap::ArgAction::SetTrue,
              value_parser = yes_no)]
        no_demo: bool,
    },
    /// Uppdaterar databasen till den senaste versionen och avslutar.
    Migrate,
    /// Importerar innehåll från en JSON Lines-fil (se README). Samma fil två gånger
    /// uppdaterar i stället för att skapa dubbletter.
    Import {
        /// Filen att läsa, eller - för standard in.
        file: PathBuf,
        /// Importera de felfria raderna även om andra rader har fel.
        #[arg(long, env = "HALLBAR_SKIP_INVALID", action = clap::ArgAction::SetTrue,
              value_parser = yes_no)]
        skip_invalid: bool,
    },
    /// Exporterar allt innehåll till en JSON Lines-fil som kan importeras igen.
    Export {
        /// Filen att skriva, eller - för standard ut.
        file: PathBuf,
    },
    /// Laddar demoinnehållet (befintligt innehåll med samma id uppdateras).
    Demo,
    /// Bygger ett helt nytt sökindex från databasen och byter till det. En körande
    /// `hallbar serve` byter utan omstart och tappar inga ändringar.
    Reindex {
        /// Kontrollera först sökindexets filer mot deras kontrollsummor; bygg bara om det
        /// är skadat eller saknas.
        #[arg(long)]
        check: bool,
    },
    /// Administrerar konton: ger eller tar tillbaka administratörsrollen, eller bjuder in
    /// en importerad profil (som då får ett konto och ett mejl med en länk för att välja
    /// lösenord).
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Söker i sökindexet från kommandoraden och visar träffar och facetter.
    Search {
        /// Sökfrågan (tom: allt, nyast först).
        #[arg(default_value = "")]
        query: String,
        // Filters: one flag per facet of the site, from the facet list.
        #[command(flatten)]
        filters: FacetArgs,
        /// Sidnummer.
        #[arg(long, default_value_t = 1)]
        sida: usize,
        /// Skriv resultatet som JSON (samma form som /api/v1/sok).
        #[arg(long)]
        json: bool,
        /// Sök som en inloggad medlem (medlemmens id) i stället för som anonym besökare.
        #[arg(long)]
        som: Option<String>,
    },
}

/// What `hallbar admin` does.
#[derive(Debug, Subcommand)]
pub enum AdminAction {
    /// Gör kontot med e-postadressen EPOST till administratör.
    Promote {
        #[arg(value_name = "EPOST")]
        email: String,
    },
    /// Tar tillbaka administratörsrollen från kontot med e-postadressen EPOST.
    Demote {
        #[arg(value_name = "EPOST")]
        email: String,
    },
    /// Gör kontot med e-postadressen EPOST till redaktör för stödmodellen MODELL (t.ex.
    /// pivi), eller tar tillbaka det med --ta-bort.
    Editor {
        #[arg(value_name = "EPOST")]
        email: String,
        #[arg(value_name = "MODELL")]
        model: String,
        /// Ta tillbaka redaktörskapet i stället för att ge det.
        #[arg(long = "ta-bort")]
        revoke: bool,
    },
    /// Ger den importerade profilen MEDLEM-ID ett konto med e-postadressen EPOST och mejlar
    /// en länk (giltig i sju dygn) där medlemmen väljer sitt lösenord.
    Invite {
        #[arg(value_name = "MEDLEM-ID")]
        member: String,
        #[arg(value_name = "EPOST")]
        email: String,
        /// Webbplatsens publika adress, som länken i mejlet börjar med.
        #[arg(long, env = "HALLBAR_PUBLIC_URL", default_value = "http://localhost:3000",
              value_parser = public_url)]
        public_url: String,
    },
}

/// Every facet of the site as a repeatable flag (`--typ`, `--stadsdel`, …), taken from the
/// index crate's one facet list: `(facet name, value)` in the order of that list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetArgs(pub Vec<(&'static str, String)>);

impl clap::FromArgMatches for FacetArgs {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut pairs = Vec::new();
        for key in FACETS {
            if let Some(values) = matches.get_many::<String>(key.name()) {
                pairs.extend(values.map(|value| (key.name(), value.clone())));
            }
        }
        Ok(FacetArgs(pairs))
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for FacetArgs {
    fn augment_args(command: clap::Command) -> clap::Command {
        FACETS.iter().fold(command, |command, key| {
            command.arg(
                clap::Arg::new(key.name())
                    .long(key.name())
                    .value_name("VÄRDE")
                    .action(clap::ArgAction::Append)
                    // "-5" is a (bad) value for the facet, not an unknown flag.
                    .allow_hyphen_values(true)
                    .help(key.help()),
            )
        })
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

/// A yes/no setting, in Swedish or English (`ja`, `nej`, `1`, `0`, `true`, `false` …).
fn yes_no(value: &str) -> Result<bool, String> {
    match value.trim().to_lowercase().as_str() {
        "1" | "ja" | "j" | "yes" | "y" | "true" | "on" => Ok(true),
        "" | "0" | "nej" | "n" | "no" | "false" | "off" => Ok(false),
        other => Err(format!("\"{other}\" är varken ja eller nej")),
    }
}

/// Runs one command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            addr,
            public_url,
            contact_email,
            source_url,
            index_lag_limit,
            searches_per_client,
            header_timeout,
            idle_timeout,
            max_connections,
            behind_proxy,
            import_max_bytes,
            no_demo,
        } => {
            let site = serve::Site {
                behind_proxy,
                smtp_url: cli.smtp_url.clone(),
                mail_from: cli.mail_from.clone(),
                public_url,
                contact_email,
                source_url,
                index_lag_limit: std::time::Duration::from_secs(index_lag_limit),
                import_max_bytes,
                searches_per_client: searches_per_client
                    .map_or_else(crate::http::ClientLimit::default_max, |n| {
                        usize::try_from(n).unwrap_or(usize::MAX)
                    }),
            };
            let connections = serve::Connections {
                header_timeout: std::time::Duration::from_secs(header_timeout),
                idle_timeout: std::time::Duration::from_secs(idle_timeout),
                max_connections: max_connections.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
            };
            serve::serve(
                &cli.data_dir,
                cli.database_url.as_deref(),
                addr,
                site,
                connections,
                !no_demo,
            )
            .await
        }
        Command::Admin { action } => {
            let pool = db::open_configured(&cli.data_dir, cli.database_url.as_deref()).await?;
            let mail = MailSettings {
                data_dir: cli.data_dir.clone(),
                smtp_url: cli.smtp_url.clone(),
                mail_from: cli.mail_from.clone(),
            };
            let result = admin(&mail, &pool, action).await;
            pool.close().await;
            result
        }
        Command::Migrate => {
            db::open_configured(&cli.data_dir, cli.database_url.as_deref()).await?;
            if cli.database_url.is_some() {
                println!("PostgreSQL-databasen är uppdaterad.");
            } else {
                println!("Databasen i {} är uppdaterad.", cli.data_dir.display());
            }
            Ok(())
        }
        Command::Import { file, skip_invalid } => {
            // A running server's indexer finds the import by polling the outbox.
            let writes = Writes::new(
                db::open_configured(&cli.data_dir, cli.database_url.as_deref()).await?,
                None,
            );
            let report = if file == Path::new("-") {
                interchange::import(&writes, std::io::stdin().lock(), skip_invalid).await?
            } else {
                if file.is_dir() {
                    anyhow::bail!("{} är en katalog, inte en fil", file.display());
                }
                let input = std::fs::File::open(&file)
                    .with_context(|| format!("filen {} kunde inte öppnas", file.display()))?;
                interchange::import(&writes, BufReader::new(input), skip_invalid).await?
            };
            print_report(&report);
            Ok(())
        }
        Command::Export { file } => {
            let pool = db::open_configured(&cli.data_dir, cli.database_url.as_deref()).await?;
            // One read transaction: the export is a consistent snapshot even while others write.
            let mut snapshot = pool.begin_snapshot().await?;
            let exported = interchange::export_all(&mut snapshot).await?;
            snapshot.rollback().await?;
            if exported.records.is_empty() {
                eprintln!(
                    "Obs: databasen i {} är tom – stämmer --data-dir?",
                    cli.data_dir.display()
                );
            }
            if file == Path::new("-") {
                match exported.write(std::io::stdout().lock()) {
                    // The reader stopped early (`hallbar export - | head`): not an error.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                    other => other?,
                }
            } else {
                write_atomically(&file, |out| exported.write(out))?;
                eprintln!(
                    "Exporterade {} poster till {}.",
                    exported.len(),
                    file.display()
                );
            }
            Ok(())
        }
        Command::Reindex { check } => {
            reindex(&cli.data_dir, cli.database_url.as_deref(), check).await
        }
        Command::Search {
            query,
            filters,
            sida,
            json,
            som,
        } => {
            let mut pairs: Vec<(&str, String)> = vec![("q", query), ("sida", sida.to_string())];
            pairs.extend(filters.0);
            search_command(
                &cli.data_dir,
                cli.database_url.as_deref(),
                &pairs,
                json,
                som,
            )
            .await
        }
        Command::Demo => {
            let writes = Writes::new(
                db::open_configured(&cli.data_dir, cli.database_url.as_deref()).await?,
                None,
            );
            let report = demo::load(&writes).await?;
            print_report(&report);
            Ok(())
        }
    }
}

fn print_report(report: &ImportReport) {
    let parts: Vec<String> = report
        .written
        .iter()
        .map(|(kind, n)| format!("{} {n}", kind.slug()))
        .collect();
    println!(
        "Importerade {} poster ({}).",
        report.total(),
        parts.join(", ")
    );
    if report.admin_log > 0 {
        println!("Lade till {} rad(er) i adminloggen.", report.admin_log);
    }
    if !report.skipped.is_empty() {
        println!("Hoppade över {} rad(er) med fel:", report.skipped.len());
        for error in &report.skipped {
            println!("  {error}");
        }
    }
}

/// Writes a file through a temporary sibling and a rename, so a failed export never
/// leaves a half-written file in place of a good one.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    // Write through a symlink to its target; write pipes and devices directly.
    let resolved = std::fs::canonicalize(path).ok();
    let path = resolved.as_deref().unwrap_or(path);
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            anyhow::bail!("{} är en katalog, inte en fil", path.display());
        }
        if !meta.is_file() {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("{} kunde inte öppnas för skrivning", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            return write(&mut out)
                .and_then(|()| out.flush())
                .with_context(|| format!("{} kunde inte skrivas", path.display()));
        }
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        anyhow::bail!("katalogen {} finns inte", dir.display());
    }
    let name = path
        .file_name()
        .with_context(|| format!("{} är inget filnamn", path.display()))?;
    let mut temporary = temporary_sibling(dir, name)
        .with_context(|| format!("filen {} kunde inte skapas", path.display()))?;
    let written = {
        let mut out = std::io::BufWriter::new(temporary.as_file_mut());
        write(&mut out).and_then(|()| out.flush())
    };
    // On an error the temporary file is dropped, which deletes it.
    written
        .and_then(|()| temporary.as_file().sync_all())
        .with_context(|| format!("filen {} kunde inte skrivas", path.display()))?;
    temporary
        .persist(path)
        .map_err(|e| anyhow::Error::new(e.error))
        .with_context(|| format!("filen {} kunde inte skrivas", path.display()))?;
    Ok(())
}

/// A new file with a random name (`.<name>.XXXXXX.tmp`) in `dir`, created exclusively: an
/// existing file or symlink is never opened. Readable as a file made by `File::create` would
/// be (the umask decides), not only by its owner.
fn temporary_sibling(dir: &Path, name: &OsStr) -> std::io::Result<tempfile::NamedTempFile> {
    let mut prefix = OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

async fn reindex(data_dir: &Path, database_url: Option<&str>, check: bool) -> anyhow::Result<()> {
    let pool = db::open_configured(data_dir, database_url).await?;
    let location = indexer::IndexLocation::new(data_dir);
    if check {
        match location.current()? {
            None => println!("Det finns inget sökindex; det byggs nu."),
            Some(name) => match indexer::open_intact(&location, &name).await {
                Ok(_) => {
                    println!(
                        "Sökindexet ({name}) är helt: varje fil stämmer med sin kontrollsumma."
                    );
                    return Ok(());
                }
                Err(damage) => println!("{damage}; sökindexet byggs om från databasen."),
            },
        }
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} dokument")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("Bygger sökindex");
    let progress_bar = bar.clone();
    let progress = std::sync::Arc::new(move |done: u64, total: u64| {
        progress_bar.set_length(total);
        progress_bar.set_position(done);
    });
    let rebuilt = indexer::rebuild::rebuild(&pool, &location, progress).await?;
    bar.finish_and_clear();
    println!(
        "Sökindexet byggdes om: {} dokument, komplett till och med ändring {} ({}).",
        rebuilt.documents, rebuilt.watermark, rebuilt.generation
    );
    Ok(())
}

async fn search_command(
    data_dir: &Path,
    database_url: Option<&str>,
    pairs: &[(&str, String)],
    json: bool,
    as_member: Option<String>,
) -> anyhow::Result<()> {
    // Only a search as a member needs the database (for the member's closed groups).
    let viewer = match as_member {
        None => hallbar_index::search::Viewer::Anonymous,
        Some(id) => {
            let pool = db::open_configured(data_dir, database_url).await?;
            let mut conn = pool.acquire().await?;
            crate::db::viewers::viewer_for_member(&mut conn, &id)
                .await?
                .with_context(|| format!("medlemmen \"{id}\" finns inte"))?
        }
    };
    let request = params::parse(pairs.iter().map(|(k, v)| (*k, v.as_str())), viewer)?;
    let results = indexer::open_for_reading(data_dir)?.search(request).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&results)?);
        return Ok(());
    }
    println!("{} träffar", results.total);
    if let Some(suggestion) = &results.suggestion {
        println!("Menade du: {suggestion}?");
    }
    for (i, hit) in results.hits.iter().enumerate() {
        let n = (results.page - 1) * results.per_page + i + 1;
        println!("\n{n}. [{}] {}  {}", hit.kind.label(), hit.title, hit.url);
        println!("   {}", strip_marks(&hit.snippet));
    }
    for facet in &results.facets {
        if facet.values.is_empty() {
            continue;
        }
        let values: Vec<String> = facet
            .values
            .iter()
            .map(|v| {
                format!(
                    "{}{} ({})",
                    if v.selected { "*" } else { "" },
                    v.label,
                    v.count
                )
            })
            .collect();
        println!("\n{}: {}", facet.label, values.join(", "));
    }
    Ok(())
}

/// The snippet as plain text for a terminal: matches in «», entities decoded.
fn strip_marks(html: &str) -> String {
    html.replace("<mark>", "«")
        .replace("</mark>", "»")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The site's public address: http or https, a host, perhaps a path prefix (the site is
/// served under it), no query, fragment, user name or password; the trailing slash is
/// dropped. An internationalised host is given back in its ASCII form, as links need it.
fn public_url(value: &str) -> Result<String, String> {
    const NO_HOST: &str = "adressen måste ha ett värdnamn och får inte ha ?, # eller mellanslag";
    let trimmed = value.trim();
    let url = web_address(trimmed).map_err(|e| match e {
        WebAddressError::NotHttp | WebAddressError::Credentials => e.to_string(),
        WebAddressError::Host | WebAddressError::Whitespace => NO_HOST.to_string(),
    })?;
    if url.query().is_some() || url.fragment().is_some() || trimmed.contains(['"', '<', '>']) {
        return Err(NO_HOST.into());
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Where the source is published: an http(s) address with a host and no user name or
/// password (a query or fragment is fine: it is only linked to).
fn source_url(value: &str) -> Result<String, String> {
    web_address(value.trim())
        .map(String::from)
        .map_err(|e| e.to_string())
}

/// An e-mail address: something@host, no spaces or markup characters.
fn contact_email(value: &str) -> Result<String, String> {
    let value = value.trim();
    let valid = value.len() <= 254
        && value.split_once('@').is_some_and(|(local, host)| {
            !local.is_empty() && host.contains('.') && !host.starts_with('.')
        })
        && !value.contains(|c: char| c.is_whitespace() || "<>\"'(),;:".contains(c));
    if valid {
        Ok(value.to_string())
    } else {
        Err("ogiltig e-postadress".to_string())
    }
}

/// Where `hallbar admin invite` sends its mail.
struct MailSettings {
    data_dir: PathBuf,
    smtp_url: Option<String>,
    mail_from: String,
}

/// Runs one `hallbar admin` action.
async fn admin(cli: &MailSettings, pool: &db::Db, action: AdminAction) -> anyhow::Result<()> {
    use crate::admin::roles::{self, Actor};
    use crate::http::session::now;
    let promote = matches!(action, AdminAction::Promote { .. });
    let mut conn = pool.acquire().await?;
    match action {
        AdminAction::Promote { email }
        | AdminAction::Demote { email }
        | AdminAction::Editor { email, .. }
            if email.trim().is_empty() =>
        {
            anyhow::bail!("ange en e-postadress")
        }
        AdminAction::Promote { email } | AdminAction::Demote { email } => {
            let account = verified_account(&mut conn, &email).await?;
            drop(conn);
            roles::set_admin(pool, &Actor::command_line(), &account, promote, now()).await?;
            if promote {
                println!("{} är nu administratör.", email.trim());
            } else {
                println!("{} är nu medlem utan administratörsroll.", email.trim());
            }
        }
        AdminAction::Editor {
            email,
            model,
            revoke,
        } => {
            let model = match crate::admin::models::find(&mut conn, &model).await? {
                Ok(model) => model,
                Err(message) => anyhow::bail!("{message}"),
            };
            let account = verified_account(&mut conn, &email).await?;
            drop(conn);
            let changed = roles::set_editor(
                pool,
                &Actor::command_line(),
                &account,
                &model.slug,
                !revoke,
                now(),
            )
            .await?;
            let email = email.trim();
            match (revoke, changed) {
                (false, true) => println!("{email} är nu redaktör för {}.", model.slug),
                (false, false) => println!("{email} var redan redaktör för {}.", model.slug),
                (true, true) => println!("{email} är inte längre redaktör för {}.", model.slug),
                (true, false) => println!("{email} var inte redaktör för {}.", model.slug),
            }
        }
        AdminAction::Invite {
            member,
            email,
            public_url,
        } => {
            drop(conn);
            let mail_dir = cli.data_dir.join("mail");
            let mailer =
                crate::mail::Mailer::new(cli.smtp_url.as_deref(), &cli.mail_from, mail_dir)
                    .map_err(|e| anyhow::anyhow!("e-postinställningarna: {e}"))?;
            let config = crate::config::Config::default().with_public_url(public_url);
            let sent_to = crate::accounts::invite(pool, &mailer, &config, &member, &email).await?;
            println!("En inbjudan med en länk för att välja lösenord är skickad till {sent_to}.");
        }
    }
    Ok(())
}

/// The verified account with this address, or a Swedish error.
async fn verified_account(
    conn: &mut impl db::AsConn,
    email: &str,
) -> anyhow::Result<db::accounts::Account> {
    let key = crate::auth::email::key(email);
    match db::accounts::by_email_key(conn, &key).await? {
        Some(account) if account.verified_at.is_some() => Ok(account),
        _ => anyhow::bail!(
            "det finns inget bekräftat konto med e-postadressen {}",
            email.trim()
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn public_urls_are_parsed_and_hostile_ones_refused() {
        assert_eq!(
            public_url(" https://hallbar.goteborg.se/ ").as_deref(),
            Ok("https://hallbar.goteborg.se")
        );
        assert_eq!(
            public_url("http://127.0.0.1:3000").as_deref(),
            Ok("http://127.0.0.1:3000")
        );
        // A path prefix is kept (the site is served under it), without its trailing slash.
        assert_eq!(
            public_url("https://goteborg.se/hallbar/").as_deref(),
            Ok("https://goteborg.se/hallbar")
        );
        // An internationalised host is given back in the form links need.
        assert_eq!(
            public_url("https://göteborg.se").as_deref(),
            Ok("https://xn--gteborg-90a.se")
        );
        let refused = |text: &str| public_url(text).expect_err(text);
        for text in [
            "javascript:alert(1)",
            "//evil.example",
            "goteborg.se",
            "ftp://x.se",
        ] {
            assert!(refused(text).contains("börja med http"), "{text}");
        }
        for text in [
            "https://",
            "http://exa mple",
            "https://x.se/?a=1",
            "https://x.se/?",
            "https://x.se/#top",
            "https://x.se/\"onmouseover=",
            "https://x.se/<script>",
        ] {
            assert!(refused(text).contains("värdnamn"), "{text}");
        }
        assert!(refused("https://anna:hemligt@x.se").contains("användarnamn"));
    }

    #[test]
    fn source_urls_are_http_addresses() {
        assert_eq!(
            source_url("https://git.exempel.se/hallbar?ref=main").as_deref(),
            Ok("https://git.exempel.se/hallbar?ref=main")
        );
        assert!(source_url("javascript:alert(1)").is_err());
        assert!(source_url("https://anna:hemligt@git.exempel.se/").is_err());
    }

    fn write_text(path: &Path, text: &str) -> anyhow::Result<()> {
        write_atomically(path, |out| out.write_all(text.as_bytes()))
    }

    /// The name the old implementation used for its temporary file: predictable, so anyone
    /// who could write to the directory could plant a file or symlink there first.
    fn old_temporary_name(path: &Path) -> PathBuf {
        let mut name = path.file_name().unwrap().to_os_string();
        name.push(format!(".{}.tmp", std::process::id()));
        path.with_file_name(name)
    }

    #[test]
    fn a_symlink_planted_at_a_predictable_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("offer.txt");
        std::fs::write(&victim, "orört").unwrap();
        let export = dir.path().join("export.jsonl");
        let planted = old_temporary_name(&export);
        std::os::unix::fs::symlink(&victim, &planted).unwrap();

        write_text(&export, "nytt innehåll\n").unwrap();

        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "orört");
        assert!(
            std::fs::symlink_metadata(&planted)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let written = std::fs::symlink_metadata(&export).unwrap();
        assert!(
            written.file_type().is_file(),
            "a file, not the planted link"
        );
        assert_eq!(std::fs::read_to_string(&export).unwrap(), "nytt innehåll\n");
    }

    #[test]
    fn a_file_at_a_predictable_temporary_name_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let export = dir.path().join("export.jsonl");
        let planted = old_temporary_name(&export);
        std::fs::write(&planted, "någon annans").unwrap();
        write_text(&export, "nytt\n").unwrap();
        assert_eq!(std::fs::read_to_string(&planted).unwrap(), "någon annans");
        assert_eq!(std::fs::read_to_string(&export).unwrap(), "nytt\n");
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let export = dir.path().join("export.jsonl");
        std::fs::write(&export, "gammalt\n").unwrap();
        let error = write_atomically(&export, |out| {
            out.write_all(b"halv")?;
            Err(std::io::Error::other("disken är full"))
        })
        .unwrap_err();
        assert!(
            format!("{error:#}").contains("kunde inte skrivas"),
            "{error:#}"
        );
        assert_eq!(std::fs::read_to_string(&export).unwrap(), "gammalt\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["export.jsonl"], "temporary files left behind");
    }

    #[cfg(unix)]
    #[test]
    fn the_written_file_is_readable_as_a_created_file_would_be() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let export = dir.path().join("export.jsonl");
        write_text(&export, "x\n").unwrap();
        let probe = dir.path().join("probe");
        std::fs::File::create(&probe).unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&export), mode(&probe));
    }

    #[cfg(unix)]
    #[test]
    fn pipes_are_written_directly() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("ror");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write_text(&fifo, "genom röret\n").unwrap();
        assert_eq!(reader.join().unwrap(), "genom röret\n");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }
}
