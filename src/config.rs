//! `site.yaml`: what the whole site is called, where it lives, what its home page says.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::validate::{check_email, check_url};
use crate::yaml::{self, Spanned};

/// Configuration du site (`site.yaml`, à la racine) : son titre, son adresse, ce que dit
/// sa page d’accueil. Les descriptions (en français) sont publiées dans le JSON Schema.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Configuration du site (site.yaml)")]
pub(crate) struct SiteFile {
    /// Titre du site. Ex. : "Villes et économie sociale".
    titre: String,
    /// Sous-titre, sous le titre de la page d’accueil.
    sous_titre: Option<String>,
    /// Adresse publique du site, complète. Ex. : "https://example.org/fiches/".
    #[schemars(pattern(r"^https?://"))]
    url_base: Spanned<String>,
    /// Langue des pages (par défaut "fr-CA").
    #[serde(default = "default_language")]
    langue: String,
    /// Thème, un dossier de `themes/` (par défaut "default").
    #[serde(default = "default_theme")]
    theme: String,
    /// Licence du contenu et des données ouvertes (par défaut "CC BY 4.0").
    #[serde(default = "default_licence")]
    licence: String,
    /// Texte de la page d’accueil (Markdown).
    presentation: Option<String>,
    /// Coordonnées du programme, en pied de page.
    contact_programme: Option<ProgrammeContactFile>,
}

/// Coordonnées du programme.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ProgrammeContactFile {
    /// Nom du service ou de la direction.
    nom: String,
    /// Adresse postale, une ligne par élément.
    #[serde(default)]
    adresse: Vec<String>,
    /// Téléphone. Ex. : "418 691-5698".
    telephone: Option<String>,
    /// Numéro sans frais. Ex. : "1 866 680-1884".
    sans_frais: Option<String>,
    /// Adresse courriel.
    #[schemars(email)]
    courriel: Option<Spanned<String>>,
}

fn default_language() -> String {
    "fr-CA".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_licence() -> String {
    "CC BY 4.0".to_string()
}

/// The validated site configuration, as templates see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteConfig {
    pub title: String,
    pub subtitle: Option<String>,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`, where the site's pages live (`/` or `/fiches/`).
    pub base_path: String,
    pub language: String,
    pub theme: String,
    pub licence: String,
    pub presentation: Option<String>,
    pub programme_contact: Option<ProgrammeContact>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgrammeContact {
    pub name: String,
    pub address: Vec<String>,
    pub phone: Option<String>,
    pub toll_free: Option<String>,
    pub email: Option<String>,
}

/// Reads and checks `site.yaml` in `root`.
pub fn load(root: &Path) -> Result<(SiteConfig, SourceFile), Vec<Diagnostic>> {
    let rel = Path::new("site.yaml");
    let source = SourceFile::read(root, rel)
        .map_err(|e| {
            vec![
                Diagnostic::file_error(rel, format!("impossible de lire le fichier : {e}"))
                    .with_hint("créez `site.yaml` à la racine du site (voir le README)"),
            ]
        })?
        .map_err(|not_utf8| vec![not_utf8])?;
    let (file, mut errors) = yaml::parse_all::<SiteFile>(&source, &source.text);
    let Some(file) = file else {
        return Err(errors);
    };
    check_url(&source, &file.url_base, &mut errors);
    let contact = file.contact_programme.map(|c| {
        if let Some(mail) = &c.courriel {
            check_email(&source, mail, &mut errors);
        }
        ProgrammeContact {
            name: c.nom,
            address: c.adresse,
            phone: c.telephone,
            toll_free: c.sans_frais,
            email: c.courriel.map(|m| m.value),
        }
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut base_url = file.url_base.value.trim().to_string();
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let base_path = base_url
        .split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| "/".to_string());
    let config = SiteConfig {
        title: file.titre,
        subtitle: file.sous_titre,
        base_url,
        base_path,
        language: file.langue,
        theme: file.theme,
        licence: file.licence,
        presentation: file.presentation,
        programme_contact: contact,
    };
    Ok((config, source))
}
