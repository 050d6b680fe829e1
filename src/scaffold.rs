//! `fiches new`: a new fiche, every field present and explained in French, that passes
//! `fiches check` as it is. Optional fields are commented out with an example, so the
//! editor only removes a `#` to fill one; required fields carry a value that validates.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::text::{self, slugify};
use crate::yaml;

/// Why a fiche was not created. The message is for the editor, in French.
#[derive(Debug)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Writes `content/villes/<slug>.yaml` for the city `name` and returns its path,
/// relative to `root`.
pub fn new_city(root: &Path, name: &str, today: &str) -> Result<PathBuf, Refusal> {
    let slug = slug_of(name, "le nom de la ville")?;
    let rel = free_path(root, "villes", &slug, "yaml")?;
    write(root, &rel, &city(name, today))?;
    Ok(rel)
}

/// Writes `content/secteurs/<slug>.md` for the project `title` and returns its path,
/// relative to `root`. Without `lead`, the organisation that leads the most existing
/// projects stands in, marked to be checked.
pub fn new_sector(
    root: &Path,
    title: &str,
    lead: Option<&str>,
    today: &str,
) -> Result<PathBuf, Refusal> {
    let slug = slug_of(title, "le titre du projet")?;
    let rel = free_path(root, "secteurs", &slug, "md")?;
    let existing = existing_sectors(root);
    let (lead, guessed) = match lead {
        Some(l) if !l.trim().is_empty() => (l.trim().to_string(), false),
        _ => (most_frequent_lead(root, &existing), true),
    };
    let next = existing.iter().filter_map(|s| s.order).max().unwrap_or(0) + 1;
    write(root, &rel, &sector(title, &lead, guessed, next, today))?;
    Ok(rel)
}

fn slug_of(name: &str, what: &str) -> Result<String, Refusal> {
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(Refusal(format!(
            "{what} « {name} » ne donne aucune adresse de page : écrivez-le avec des lettres ou des chiffres"
        )));
    }
    Ok(slug)
}

/// `content/<folder>/<slug>.<ext>`, unless a fiche with that slug exists in any format.
fn free_path(root: &Path, folder: &str, slug: &str, ext: &str) -> Result<PathBuf, Refusal> {
    for other in ["yaml", "yml", "md"] {
        let rel = Path::new("content")
            .join(folder)
            .join(format!("{slug}.{other}"));
        if root.join(&rel).exists() {
            return Err(Refusal(format!(
                "la fiche {} existe déjà : elle n’a pas été modifiée (modifiez-la directement, ou choisissez un autre nom)",
                rel.display()
            )));
        }
    }
    Ok(Path::new("content")
        .join(folder)
        .join(format!("{slug}.{ext}")))
}

fn write(root: &Path, rel: &Path, text: &str) -> Result<(), Refusal> {
    let path = root.join(rel);
    let fail = |e: std::io::Error| {
        Refusal(format!(
            "impossible d’écrire {} : {e}",
            rel.to_string_lossy()
        ))
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    // `create_new`: never replace a file that appeared since the check above.
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(fail)
}

/// A YAML double-quoted string.
fn quoted(s: &str) -> String {
    format!(
        "\"{}\"",
        s.trim().replace('\\', "\\\\").replace('"', "\\\"")
    )
}

fn city(name: &str, today: &str) -> String {
    let name = quoted(name);
    format!(
        r##"# yaml-language-server: $schema=../../schemas/ville.schema.json
# Fiche-portrait créée par `fiches new ville`. Chaque champ est expliqué au-dessus de
# sa ligne ; pour remplir un champ facultatif, retirez le « # » au début de ses lignes
# (en gardant le retrait de deux espaces des lignes du dessous). Vérifiez avec
# `fiches check` et prévisualisez avec `fiches serve`. Guide : docs/guide.md

# Nom de la ville, tel qu’il s’affiche (obligatoire).
ville: {name}

# Région administrative.
# region: "Montérégie"

# Territoire que décrivent les chiffres, s’il n’est pas la ville elle-même.
# territoire: "Haut-Richelieu"

# `a_venir` : la carte de la ville annonce une fiche à venir.
# Passez à `publiee` quand la fiche est prête à être lue.
statut: a_venir

# Date de la dernière mise à jour de la fiche, AAAA-MM-JJ.
mise_a_jour: {today}

# Chiffres phares. Chaque chiffre nomme sa source et l’année de la source.
# `valeur` : un nombre sans espace ni unité ; `unite` : "$" (affiché 2,6 G$) ou "%".
# chiffres:
#   - valeur: 22840
#     libelle: "emplois"
#     source: "portrait du pôle régional"
#     annee: 2023
#   - valeur: 2600000000
#     unite: "$"
#     libelle: "générés en revenus"
#     source: "portrait du pôle régional"
#     annee: 2023

# Leviers de développement : un titre et un texte (Markdown) chacun.
# leviers:
#   - titre: "Partenariats stratégiques"
#     texte: |
#       La Ville confie un mandat d’accompagnement des entreprises collectives…

# Force distinctive de la ville (Markdown).
# force_distinctive: |
#   L’adaptation de la politique de financement de la Ville…

# Défis, un par ligne.
# defis:
#   - "Faire connaître davantage les programmes de financement."

# Partenariats gagnants : le nom de l’organisme et ce que fait le partenariat.
# partenariats:
#   - nom: "Coop Carbone"
#     description: |
#       Coop Carbone est une coopérative de solidarité…

# Partenaires clés : nom, sigle, courriel et site web (tous facultatifs sauf le nom).
# partenaires_cles:
#   - nom: "Pôle d’économie sociale de la Capitale-Nationale"
#     sigle: "Pôle CN"
#     courriel: "direction@polecn.org"
#     site: "https://polecn.org/"

# Enjeux que touche la fiche (voir content/enjeux.yaml s’il existe).
# enjeux:
#   - "Vitalité des collectivités"

# Personne à joindre au sujet de la fiche.
# contact:
#   nom: "Prénom Nom"
#   courriel: "prenom.nom@ville.qc.ca"
#   telephone: "418 555-0123"

# D’où viennent les informations de la fiche.
# sources:
#   - "Fiche-portrait Villes & économie sociale"

# Présentation libre, en Markdown.
# description: |
#   Un paragraphe de présentation.
"##
    )
}

fn sector(title: &str, lead: &str, guessed: bool, order: u32, today: &str) -> String {
    let mut lead_note = String::from("# Organisme porteur du projet (obligatoire).");
    if guessed {
        let _ = write!(
            lead_note,
            "\n# À VÉRIFIER : `fiches new` y a mis l’organisme qui porte le plus de projets.\n# Avec content/organismes.yaml, le nom doit y figurer (nom, sigle ou alias)."
        );
    }
    let title = quoted(title);
    let lead = quoted(lead);
    format!(
        r##"---
# yaml-language-server: $schema=../../schemas/secteur.schema.json
# Projet de secteur stratégique créé par `fiches new secteur`. Chaque champ est expliqué
# au-dessus de sa ligne ; pour remplir un champ facultatif, retirez le « # » au début de
# ses lignes. La description du projet est le texte après la seconde ligne `---`.
# Vérifiez avec `fiches check`, prévisualisez avec `fiches serve`. Guide : docs/guide.md

# Titre du projet (obligatoire).
titre: {title}

# Position dans la liste du ministère ; les projets sans position viennent après.
# ordre: {order}

# Région, si le projet ne couvre pas tout le Québec.
# region: "Montérégie"

# Enjeux visés (voir content/enjeux.yaml s’il existe).
# enjeux:
#   - "Vitalité des collectivités"

{lead_note}
organisme_porteur: {lead}

# Partenaires fondateurs, un par ligne.
# partenaires:
#   - "Conseil québécois de la coopération et de la mutualité (CQCM)"

# Partenaires regroupés sous des intertitres (facultatif, en plus de `partenaires`).
# groupes_partenaires:
#   - titre: "Milieu autochtone"
#     partenaires:
#       - "Tourisme autochtone Québec"

# Personne à joindre au sujet du projet.
# contact:
#   nom: "Prénom Nom"
#   courriel: "prenom.nom@organisme.qc.ca"

# Date de la dernière mise à jour, AAAA-MM-JJ.
mise_a_jour: {today}
---
<!-- Décrivez le projet ici, en Markdown : des paragraphes, puis au besoin une liste
d’étapes (1. 2. 3.) ou de sous-secteurs (- …). Ce commentaire n’apparaît pas sur le site. -->
"##
    )
}

struct ExistingSector {
    order: Option<u32>,
    lead: Option<String>,
}

/// The existing sector projects, read loosely: only their order and lead are needed, and a
/// broken file is `fiches check`'s business, not this command's.
fn existing_sectors(root: &Path) -> Vec<ExistingSector> {
    #[derive(serde::Deserialize)]
    struct Loose {
        ordre: Option<u32>,
        organisme_porteur: Option<String>,
    }
    let dir = root.join("content").join("secteurs");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let Ok(text) = std::fs::read_to_string(entry.path()) else {
            continue;
        };
        let yaml = match text.strip_prefix("---") {
            Some(rest) => rest.split("\n---").next().unwrap_or("").to_string(),
            None => text,
        };
        if let Some(l) = yaml::parse_loose::<Loose>(&yaml) {
            found.push(ExistingSector {
                order: l.ordre,
                lead: l.organisme_porteur,
            });
        }
    }
    found
}

fn most_frequent_lead(root: &Path, existing: &[ExistingSector]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for lead in existing.iter().filter_map(|s| s.lead.as_deref()) {
        let key = text::fold(lead);
        match counts.iter_mut().find(|(k, _)| text::fold(k) == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((lead.to_string(), 1)),
        }
    }
    // Most frequent first; the first written wins a tie, so the result is stable.
    let best = counts.iter().rev().max_by_key(|(_, n)| *n).map(|(l, _)| l);
    if let Some(best) = best {
        return best.clone();
    }
    // No project yet: with a registry, its first organisation is the only name that is
    // sure to validate.
    #[derive(serde::Deserialize)]
    struct Entry {
        nom: String,
    }
    std::fs::read_to_string(root.join("content").join("organismes.yaml"))
        .ok()
        .and_then(|t| yaml::parse_loose::<Vec<Entry>>(&t))
        .and_then(|entries| entries.into_iter().next())
        .map(|e| e.nom)
        .unwrap_or_else(|| "Organisme porteur à préciser".to_string())
}

/// Today's date, `AAAA-MM-JJ`, in UTC: the only place `fiches` reads the clock, to date a
/// new fiche (never a build).
pub fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0) as i64;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
