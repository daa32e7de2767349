//! The command line: `serve`, `migrate`, `import`, `export` and `demo`.

use std::io::{BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::interchange::{self, ImportReport};
use crate::{db, demo, serve};

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
        /// Ladda inte demoinnehållet i en tom databas.
        #[arg(long, env = "HALLBAR_NO_DEMO")]
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
        #[arg(long)]
        skip_invalid: bool,
    },
    /// Exporterar allt innehåll till en JSON Lines-fil som kan importeras igen.
    Export {
        /// Filen att skriva, eller - för standard ut.
        file: PathBuf,
    },
    /// Laddar demoinnehållet (befintligt innehåll med samma id uppdateras).
    Demo,
}

/// Runs one command to completion.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { addr, no_demo } => serve::serve(&cli.data_dir, addr, !no_demo).await,
        Command::Migrate => {
            db::open_and_migrate(&cli.data_dir).await?;
            println!("Databasen i {} är uppdaterad.", cli.data_dir.display());
            Ok(())
        }
        Command::Import { file, skip_invalid } => {
            let pool = db::open_and_migrate(&cli.data_dir).await?;
            let report = if file == Path::new("-") {
                interchange::import(&pool, std::io::stdin().lock(), skip_invalid).await?
            } else {
                let input = std::fs::File::open(&file)
                    .with_context(|| format!("filen {} kunde inte öppnas", file.display()))?;
                interchange::import(&pool, BufReader::new(input), skip_invalid).await?
            };
            print_report(&report);
            Ok(())
        }
        Command::Export { file } => {
            let pool = db::open_and_migrate(&cli.data_dir).await?;
            let mut conn = pool.acquire().await?;
            let records = interchange::export(&mut conn).await?;
            if file == Path::new("-") {
                interchange::write_records(std::io::stdout().lock(), &records)?;
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
        Command::Demo => {
            let pool = db::open_and_migrate(&cli.data_dir).await?;
            let report = demo::load(&pool).await?;
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
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let temporary = tempfile_in(dir, path)?;
    let file = std::fs::File::create(&temporary)
        .with_context(|| format!("filen {} kunde inte skapas", temporary.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let result = write(&mut out).and_then(|()| out.flush());
    let result = result.and_then(|()| out.get_ref().sync_all());
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temporary);
        return Err(e).with_context(|| format!("filen {} kunde inte skrivas", path.display()));
    }
    std::fs::rename(&temporary, path)
        .with_context(|| format!("filen {} kunde inte skrivas", path.display()))
}

fn tempfile_in(dir: &Path, path: &Path) -> anyhow::Result<PathBuf> {
    let name = path
        .file_name()
        .with_context(|| format!("{} är inget filnamn", path.display()))?;
    let mut temporary = name.to_os_string();
    temporary.push(format!(".{}.tmp", std::process::id()));
    Ok(dir.join(temporary))
}
