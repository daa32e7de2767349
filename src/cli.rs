//! The command line: `serve`, `migrate`, `import`, `export` and `demo`.

use std::io::{BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};

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
    Reindex,
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
            no_demo,
        } => {
            let site = serve::Site {
                public_url,
                contact_email,
            };
            serve::serve(&cli.data_dir, addr, site, !no_demo).await
        }
        Command::Migrate => {
            db::open_and_migrate(&cli.data_dir).await?;
            println!("Databasen i {} är uppdaterad.", cli.data_dir.display());
            Ok(())
        }
        Command::Import { file, skip_invalid } => {
            // A running server's indexer finds the import by polling the outbox.
            let writes = Writes::new(db::open_and_migrate(&cli.data_dir).await?, None);
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
            let pool = db::open_and_migrate(&cli.data_dir).await?;
            // One read transaction: the export is a consistent snapshot even while others write.
            let mut snapshot = pool.begin().await?;
            let records = interchange::export(&mut snapshot).await?;
            snapshot.rollback().await?;
            if records.is_empty() {
                eprintln!(
                    "Obs: databasen i {} är tom – stämmer --data-dir?",
                    cli.data_dir.display()
                );
            }
            if file == Path::new("-") {
                match interchange::write_records(std::io::stdout().lock(), &records) {
                    // The reader stopped early (`hallbar export - | head`): not an error.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                    other => other?,
                }
            } else {
                write_atomically(&file, |out| interchange::write_records(out, &records))?;
                eprintln!(
                    "Exporterade {} poster till {}.",
                    records.len(),
                    file.display()
                );
            }
            Ok(())
        }
        Command::Reindex => reindex(&cli.data_dir).await,
        Command::Search {
            query,
            filters,
            sida,
            json,
            som,
        } => {
            let mut pairs: Vec<(&str, String)> = vec![("q", query), ("sida", sida.to_string())];
            pairs.extend(filters.0);
            search_command(&cli.data_dir, &pairs, json, som).await
        }
        Command::Demo => {
            let writes = Writes::new(db::open_and_migrate(&cli.data_dir).await?, None);
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
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
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
    let temporary = tempfile_in(dir, path)?;
    let file = std::fs::File::create(&temporary)
        .with_context(|| format!("filen {} kunde inte skapas", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let result = write(&mut out).and_then(|()| out.flush());
    let result = result.and_then(|()| out.get_ref().sync_all());
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(e).with_context(|| format!("filen {} kunde inte skrivas", path.display()));
    }
    std::fs::rename(&temporary, path).map_err(|e| {
        let _ = std::fs::remove_file(&temporary);
        anyhow::Error::new(e).context(format!("filen {} kunde inte skrivas", path.display()))
    })
}

fn tempfile_in(dir: &Path, path: &Path) -> anyhow::Result<PathBuf> {
    let name = path
        .file_name()
        .with_context(|| format!("{} är inget filnamn", path.display()))?;
    let mut temporary = name.to_os_string();
    temporary.push(format!(".{}.tmp", std::process::id()));
    Ok(dir.join(temporary))
}

async fn reindex(data_dir: &Path) -> anyhow::Result<()> {
    let pool = db::open_and_migrate(data_dir).await?;
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
    let location = indexer::IndexLocation::new(data_dir);
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
    pairs: &[(&str, String)],
    json: bool,
    as_member: Option<String>,
) -> anyhow::Result<()> {
    // Only a search as a member needs the database (for the member's closed groups).
    let viewer = match as_member {
        None => hallbar_index::search::Viewer::Anonymous,
        Some(id) => {
            let pool = db::open_and_migrate(data_dir).await?;
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

/// A public URL: http or https, a host, no query; the trailing slash is dropped.
fn public_url(value: &str) -> Result<String, String> {
    let trimmed = value.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .ok_or_else(|| "adressen måste börja med http:// eller https://".to_string())?;
    if rest.is_empty() || rest.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err("adressen måste ha ett värdnamn och får inte ha ?, # eller mellanslag".into());
    }
    Ok(trimmed.to_string())
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
