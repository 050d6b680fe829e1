//! The `fiches` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use fiches::lang::Lang;
use fiches::text::Date;
use fiches::{Failure, Options, Report};

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
    /// Langue des messages : fr (par défaut) ou en.
    #[arg(long, global = true, default_value = "fr", value_parser = parse_lang)]
    lang: Lang,
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
        #[command(flatten)]
        advice: AdviceArgs,
    },
    /// Vérifie tout ce que `build` vérifie, sans rien écrire.
    Check {
        #[command(flatten)]
        advice: AdviceArgs,
    },
    /// Construit, sert le site en local et le reconstruit à chaque modification ; les
    /// pages ouvertes se rechargent d’elles-mêmes.
    Serve {
        /// Port (0 : un port libre, choisi par le système).
        #[arg(long, short = 'p', default_value_t = 1111)]
        port: u16,
        /// Adresse d’écoute ; 127.0.0.1 (cet ordinateur seulement) par défaut.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        #[command(flatten)]
        advice: AdviceArgs,
    },
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

#[derive(clap::Args)]
struct AdviceArgs {
    /// Les avertissements font échouer la commande, comme les erreurs.
    #[arg(long)]
    strict: bool,
    /// Date de référence des avertissements d’ancienneté : AAAA ou AAAA-MM-JJ (sinon
    /// FICHES_ANNEE_REFERENCE, sinon la `mise_a_jour` la plus récente du contenu).
    #[arg(long, value_parser = parse_reference)]
    annee_reference: Option<Date>,
}

impl AdviceArgs {
    fn options(&self) -> Result<Options, String> {
        let reference = match self.annee_reference {
            Some(d) => Some(d),
            None => match std::env::var("FICHES_ANNEE_REFERENCE") {
                Ok(v) if !v.trim().is_empty() => {
                    Some(parse_reference(&v).map_err(|e| format!("FICHES_ANNEE_REFERENCE : {e}"))?)
                }
                _ => None,
            },
        };
        Ok(Options {
            reference,
            strict: self.strict,
        })
    }
}

fn parse_reference(s: &str) -> Result<Date, String> {
    fiches::advice::parse_reference(s)
        .ok_or_else(|| format!("« {s} » n’est pas une année (AAAA) ni une date (AAAA-MM-JJ)"))
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("langue inconnue « {s} » : fr ou en"))
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
    fiches::without_huge_pages();
    let cli = Cli::parse();
    match cli.command {
        Command::Build { out, advice } => {
            let out = if out.is_absolute() {
                out
            } else {
                cli.root.join(out)
            };
            let options = match advice.options() {
                Ok(o) => o,
                Err(e) => return usage(&e),
            };
            finish(
                fiches::build_with(&cli.root, &out, &options),
                Verb::Built,
                Some(&out),
                cli.lang,
            )
        }
        Command::Check { advice } => {
            let options = match advice.options() {
                Ok(o) => o,
                Err(e) => return usage(&e),
            };
            finish(
                fiches::check_with(&cli.root, &options).map(|(_, r)| r),
                Verb::Checked,
                None,
                cli.lang,
            )
        }
        Command::Serve { port, bind, advice } => {
            let build = match advice.options() {
                Ok(o) => o,
                Err(e) => return usage(&e),
            };
            let options = fiches::serve::ServeOptions {
                bind,
                port,
                lang: cli.lang,
                build,
            };
            match fiches::serve::serve(&cli.root, options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("erreur : {e:#}");
                    ExitCode::from(1)
                }
            }
        }
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

fn usage(message: &str) -> ExitCode {
    eprintln!("erreur : {message}");
    ExitCode::from(2)
}

enum Verb {
    Built,
    Checked,
}

fn finish(
    result: Result<Report, Failure>,
    verb: Verb,
    out: Option<&PathBuf>,
    lang: Lang,
) -> ExitCode {
    match result {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("{}", w.render(lang));
            }
            if let Some(timings) = fiches::timings(&report.phases) {
                eprintln!("{timings}");
            }
            if let Some(templates) = fiches::template_timings(&report.templates) {
                eprintln!("{templates}");
            }
            let ms = report.elapsed.as_secs_f64() * 1000.0;
            let (verb, into, files, sep) = match (lang, verb) {
                (Lang::Fr, Verb::Built) => ("Site construit", "dans", "fichiers", " :"),
                (Lang::Fr, Verb::Checked) => ("Site vérifié", "dans", "fichiers", " :"),
                (Lang::En, Verb::Built) => ("Site built", "in", "files", ":"),
                (Lang::En, Verb::Checked) => ("Site checked", "in", "files", ":"),
            };
            let place = out
                .map(|o| format!(" {into} {}", o.display()))
                .unwrap_or_default();
            let time = if lang == Lang::Fr { "en" } else { "in" };
            println!(
                "{verb}{place}{sep} {} pages, {} {files} {time} {ms:.0} ms",
                report.pages, report.files
            );
            ExitCode::SUCCESS
        }
        Err(Failure::Content(diags)) => {
            let mut all = fiches::diagnostic::Diagnostics::default();
            for d in diags {
                eprintln!("{}", d.render(lang));
                all.push(d);
            }
            let nothing = match lang {
                Lang::Fr => " ; rien n’a été écrit.",
                Lang::En => "; nothing was written.",
            };
            eprintln!("{}{nothing}", all.summary_in(lang));
            ExitCode::from(1)
        }
        Err(Failure::Io(e)) => {
            eprintln!("{} : {e:#}", lang.word("erreur"));
            eprintln!("Le dossier de sortie précédent est resté intact.");
            ExitCode::from(1)
        }
    }
}
