//! The content format: what an editor writes, field by field. Key names are French, as
//! the editors are; unknown keys are errors.
//!
//! The doc comments of these structs are in French: they are published as the field
//! descriptions of the JSON Schemas (`fiches schema`) that the editors' text editors show
//! while they type. Keep them short, concrete, and written for the editor.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::yaml::Spanned;

/// Fiche-portrait d’une ville (`content/villes/<slug>.yaml`) : le nom du fichier devient
/// l’adresse de la page. Seul `ville` est obligatoire.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[schemars(title = "Fiche-portrait d’une ville")]
#[serde(deny_unknown_fields)]
pub struct CityFile {
    /// Nom de la ville, tel qu’il s’affiche. Ex. : "Saint-Jean-sur-Richelieu".
    pub ville: Spanned<String>,
    /// Région administrative. Ex. : "Capitale-Nationale".
    pub region: Option<String>,
    /// Territoire que décrivent les chiffres, s’il n’est pas la ville elle-même.
    pub territoire: Option<String>,
    /// `publiee` (par défaut) : la fiche est en ligne ; `a_venir` : la carte de la ville
    /// annonce une fiche à venir.
    #[serde(default)]
    pub statut: Status,
    /// Chiffres phares : chacun avec sa valeur, son libellé, sa source et l’année de la source.
    #[serde(default)]
    pub chiffres: Vec<Spanned<Figure>>,
    /// Leviers de développement : un titre et un texte chacun.
    #[serde(default)]
    pub leviers: Vec<Lever>,
    /// Force distinctive de la ville (Markdown).
    pub force_distinctive: Option<String>,
    /// Défis, un par élément de la liste.
    #[serde(default)]
    pub defis: Vec<String>,
    /// Partenariats gagnants : le nom de l’organisme et une description.
    #[serde(default)]
    pub partenariats: Vec<Partnership>,
    /// Partenaires clés : nom, sigle, courriel et site web.
    #[serde(default)]
    pub partenaires_cles: Vec<KeyPartner>,
    /// Enjeux que touche la fiche. Avec `content/enjeux.yaml`, chacun doit y figurer.
    #[serde(default)]
    pub enjeux: Vec<Spanned<String>>,
    /// Personne à joindre au sujet de la fiche.
    pub contact: Option<Contact>,
    /// Date de la dernière mise à jour de la fiche, AAAA-MM-JJ. Ex. : 2025-03-25.
    #[schemars(pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub mise_a_jour: Option<Spanned<String>>,
    /// D’où viennent les informations de la fiche.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Présentation libre, en Markdown. Dans un fichier .md, c’est le texte après l’en-tête.
    pub description: Option<String>,
}

/// `publiee` : la fiche est en ligne ; `a_venir` : la carte annonce une fiche à venir.
#[derive(
    Debug, Default, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Publiee,
    AVenir,
}

/// Un chiffre phare : sa valeur, ce qu’il compte, et d’où il vient.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Le nombre, sans espace ni unité, avec un point décimal. Ex. : 22840 ou 2600000000.
    pub valeur: f64,
    /// "$" pour un montant (affiché en M$ ou G$) ou "%" ; à omettre pour un simple nombre.
    #[schemars(extend("enum" = ["$", "%", null]))]
    pub unite: Option<Spanned<String>>,
    /// Ce que compte le chiffre. Ex. : "emplois".
    pub libelle: String,
    /// La source du chiffre (obligatoire pour publier). Ex. : "portrait Pôle CN".
    pub source: Option<String>,
    /// L’année de la source (obligatoire pour publier). Ex. : 2023.
    pub annee: Option<u16>,
}

/// Un levier de développement.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lever {
    /// Titre du levier. Ex. : "Partenariats stratégiques".
    pub titre: String,
    /// Ce que fait la ville (Markdown).
    pub texte: String,
}

/// Un partenariat gagnant.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partnership {
    /// Nom de l’organisme partenaire. Ex. : "Coop Carbone".
    pub nom: Spanned<String>,
    /// Ce que fait le partenariat (Markdown).
    pub description: String,
}

/// Un partenaire clé de la ville.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyPartner {
    /// Nom complet de l’organisme. Avec `content/organismes.yaml`, il doit y figurer.
    pub nom: Spanned<String>,
    /// Sigle. Ex. : "Pôle CN".
    pub sigle: Option<String>,
    /// Adresse courriel. Ex. : "direction@polecn.org".
    #[schemars(email)]
    pub courriel: Option<Spanned<String>>,
    /// Site web, adresse complète. Ex. : "https://polecn.org/".
    #[schemars(pattern(r"^https?://"))]
    pub site: Option<Spanned<String>>,
}

/// Une personne à joindre.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Prénom et nom.
    pub nom: String,
    /// Adresse courriel.
    #[schemars(email)]
    pub courriel: Option<Spanned<String>>,
    /// Numéro de téléphone. Ex. : "418 691-5698".
    pub telephone: Option<String>,
}

/// Projet de secteur stratégique (`content/secteurs/<slug>.md`, ou .yaml) : le nom du
/// fichier devient l’adresse de la page. Dans un fichier .md, ces champs forment l’en-tête
/// entre deux lignes `---`, et la description est le texte qui suit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Projet de secteur stratégique")]
pub struct SectorFile {
    /// Titre du projet. Ex. : "Services aux personnes aînées".
    pub titre: Spanned<String>,
    /// Position dans la liste du ministère ; les projets sans position viennent après,
    /// par titre.
    pub ordre: Option<u32>,
    /// Région, si le projet ne couvre pas tout le Québec.
    pub region: Option<String>,
    /// Enjeux visés. Avec `content/enjeux.yaml`, chacun doit y figurer.
    #[serde(default)]
    pub enjeux: Vec<Spanned<String>>,
    /// Description en Markdown ; dans un fichier .md, c’est le texte après l’en-tête.
    pub description: Option<String>,
    /// Organisme porteur du projet. Avec `content/organismes.yaml`, il doit y figurer.
    pub organisme_porteur: Spanned<String>,
    /// Partenaires fondateurs, un par élément de la liste.
    #[serde(default)]
    pub partenaires: Vec<Spanned<String>>,
    /// Partenaires regroupés sous des intertitres.
    #[serde(default)]
    pub groupes_partenaires: Vec<PartnerGroup>,
    /// Personne à joindre au sujet du projet.
    pub contact: Option<Contact>,
    /// Date de la dernière mise à jour, AAAA-MM-JJ.
    #[schemars(pattern(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub mise_a_jour: Option<Spanned<String>>,
}

/// Des partenaires sous un intertitre.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerGroup {
    /// L’intertitre. Ex. : "Milieu autochtone".
    pub titre: String,
    /// Les partenaires du groupe.
    pub partenaires: Vec<Spanned<String>>,
}

/// Un organisme du registre `content/organismes.yaml` : son nom officiel, et les autres
/// façons de l’écrire qui mènent à lui.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationEntry {
    /// Nom officiel, tel qu’il s’affiche sur sa page.
    pub nom: Spanned<String>,
    /// Sigle ; une mention du sigle seul mène aussi à l’organisme. Ex. : "CDRQ".
    pub sigle: Option<String>,
    /// Autres graphies rencontrées dans les fiches.
    #[serde(default)]
    pub alias: Vec<String>,
    /// Site web, adresse complète.
    #[schemars(pattern(r"^https?://"))]
    pub site: Option<Spanned<String>>,
    /// Adresse courriel générale.
    #[schemars(email)]
    pub courriel: Option<Spanned<String>>,
    /// Présentation de l’organisme (Markdown).
    pub description: Option<String>,
}

/// Un enjeu du registre `content/enjeux.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnjeuEntry {
    /// Nom de l’enjeu, tel qu’il s’affiche.
    pub nom: Spanned<String>,
    /// Autres graphies rencontrées dans les fiches.
    #[serde(default)]
    pub alias: Vec<String>,
    /// Présentation de l’enjeu (Markdown).
    pub description: Option<String>,
}
