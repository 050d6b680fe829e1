//! The content format: what an editor writes, field by field. Key names are French, as
//! the editors are; unknown keys are errors.

use serde::Deserialize;

use crate::yaml::Spanned;

/// `content/villes/<slug>.yaml`: a city's fiche-portrait.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityFile {
    /// The city's name, as it should be displayed.
    pub ville: Spanned<String>,
    /// Administrative region.
    pub region: Option<String>,
    /// Territory the figures describe, when it is not the city itself.
    pub territoire: Option<String>,
    /// Whether the fiche is published or still to come.
    #[serde(default)]
    pub statut: Status,
    #[serde(default)]
    pub chiffres: Vec<Spanned<Figure>>,
    #[serde(default)]
    pub leviers: Vec<Lever>,
    pub force_distinctive: Option<String>,
    #[serde(default)]
    pub defis: Vec<String>,
    #[serde(default)]
    pub partenariats: Vec<Partnership>,
    #[serde(default)]
    pub partenaires_cles: Vec<KeyPartner>,
    #[serde(default)]
    pub enjeux: Vec<Spanned<String>>,
    pub contact: Option<Contact>,
    /// Date of the fiche's last update, `AAAA-MM-JJ`.
    pub mise_a_jour: Option<Spanned<String>>,
    /// Where the fiche's facts come from.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Free presentation (Markdown); in a `.md` file, the body after the front matter.
    pub description: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Publiee,
    AVenir,
}

/// A headline figure: its value, what it counts, and where it comes from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    pub valeur: f64,
    pub unite: Option<Spanned<String>>,
    pub libelle: String,
    pub source: Option<String>,
    pub annee: Option<u16>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lever {
    pub titre: String,
    pub texte: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partnership {
    pub nom: Spanned<String>,
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyPartner {
    pub nom: Spanned<String>,
    pub sigle: Option<String>,
    pub courriel: Option<Spanned<String>>,
    pub site: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub nom: String,
    pub courriel: Option<Spanned<String>>,
    pub telephone: Option<String>,
}

/// `content/secteurs/<slug>.yaml|md`: a strategic sector project.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorFile {
    pub titre: Spanned<String>,
    /// Position in the ministry's list; projects without one come after, by title.
    pub ordre: Option<u32>,
    pub region: Option<String>,
    #[serde(default)]
    pub enjeux: Vec<Spanned<String>>,
    /// Markdown; in a `.md` file, the body after the front matter.
    pub description: Option<String>,
    pub organisme_porteur: Spanned<String>,
    #[serde(default)]
    pub partenaires: Vec<Spanned<String>>,
    #[serde(default)]
    pub groupes_partenaires: Vec<PartnerGroup>,
    pub contact: Option<Contact>,
    pub mise_a_jour: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerGroup {
    pub titre: String,
    pub partenaires: Vec<Spanned<String>>,
}

/// One entry of `content/organismes.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationEntry {
    pub nom: Spanned<String>,
    pub sigle: Option<String>,
    #[serde(default)]
    pub alias: Vec<String>,
    pub site: Option<Spanned<String>>,
    pub courriel: Option<Spanned<String>>,
    pub description: Option<String>,
}

/// One entry of `content/enjeux.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnjeuEntry {
    pub nom: Spanned<String>,
    #[serde(default)]
    pub alias: Vec<String>,
    pub description: Option<String>,
}
