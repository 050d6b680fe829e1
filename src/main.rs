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
    /// Écrit les JSON Schemas du format des fiches (autocomplétion dans l’éditeur, CI).
    Schema {
        /// Dossier où les écrire, relatif au dossier du site.
        #[arg(long, short = 'o', default_value = "schemas")]
        out: PathBuf,
    },
    /// Crée une nouvelle fiche, chaque champ expliqué, prête à remplir.
    New {
        #[command(subcommand)]
        kind: NewKind,
    },
}

#[derive(Subcommand)]
enum NewKind {
    /// Une fiche-portrait de ville : content/villes/<slug>.yaml
    Ville {
        /// Nom de la ville, par exemple "Saint-Jean-sur-Richelieu".
        nom: String,
    },
    /// Un projet de secteur stratégique : content/secteurs/<slug>.md
    Secteur {
        /// Titre du projet, par exemple "Services aux personnes aînées".
        titre: String,
        /// Organisme porteur (sinon, celui qui porte le plus de projets, à vérifier).
        #[arg(long)]
        porteur: Option<String>,
    },
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
        Command::Schema { out } => {
            let out = if out.is_absolute() {
                out
            } else {
                cli.root.join(out)
            };
            match fiches::schema::write(&out) {
                Ok(files) => {
                    println!("{} schémas écrits dans {}", files.len(), out.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!(
                        "erreur : impossible d’écrire les schémas dans {} : {e}",
                        out.display()
                    );
                    ExitCode::from(1)
                }
            }
        }
        Command::New { kind } => {
            let today = fiches::scaffold::today();
            let created = match &kind {
                NewKind::Ville { nom } => fiches::scaffold::new_city(&cli.root, nom, &today),
                NewKind::Secteur { titre, porteur } => {
                    fiches::scaffold::new_sector(&cli.root, titre, porteur.as_deref(), &today)
                }
            };
            match created {
                Ok(rel) => {
                    println!(
                        "Fiche créée : {}\nRemplissez-la, puis vérifiez avec `fiches check` ou prévisualisez avec `fiches serve`.",
                        rel.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(refusal) => {
                    eprintln!("erreur : {refusal}");
                    ExitCode::from(1)
                }
            }
        }
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
