//! The `fiches` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use fiches::{Failure, Report};

#[derive(Parser)]
#[command(
    name = "fiches",
    version,
    about = "Fiches-portraits et secteurs de l’économie sociale : un site statique à partir de fichiers YAML"
)]
struct Cli {
    /// Dossier du site (contient site.yaml et content/).
    #[arg(long, short = 'C', global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Construit le site dans public/ (ou --out).
    Build {
        /// Dossier de sortie, relatif au dossier du site.
        #[arg(long, short = 'o', default_value = "public")]
        out: PathBuf,
    },
    /// Vérifie tout ce que `build` vérifie, sans rien écrire.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { out } => {
            let out = if out.is_absolute() {
                out
            } else {
                cli.root.join(out)
            };
            finish(fiches::build(&cli.root, &out), "construit", Some(&out))
        }
        Command::Check => finish(fiches::check(&cli.root).map(|(_, r)| r), "vérifié", None),
    }
}

fn finish(result: Result<Report, Failure>, verb: &str, out: Option<&PathBuf>) -> ExitCode {
    match result {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("{w}");
            }
            let ms = report.elapsed.as_secs_f64() * 1000.0;
            let place = out
                .map(|o| format!(" dans {}", o.display()))
                .unwrap_or_default();
            println!(
                "Site {verb}{place} : {} pages, {} fichiers en {ms:.0} ms",
                report.pages, report.files
            );
            ExitCode::SUCCESS
        }
        Err(Failure::Content(diags)) => {
            let mut all = fiches::diagnostic::Diagnostics::default();
            for d in diags {
                eprintln!("{d}");
                all.push(d);
            }
            eprintln!("{} ; rien n’a été écrit.", all.summary());
            ExitCode::from(1)
        }
        Err(Failure::Io(e)) => {
            eprintln!("erreur : {e:#}");
            eprintln!("Le dossier de sortie précédent est resté intact.");
            ExitCode::from(1)
        }
    }
}
