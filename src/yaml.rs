//! The one place that touches the YAML crate (serde-saphyr): parse a file's YAML into a
//! typed value, or explain in French, at the file's line and column, why it cannot be.

use serde::de::DeserializeOwned;
use serde_saphyr::{Error, Location};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::suggest::closest;

pub use serde_saphyr::Spanned;

/// Where a value was written, 1-based (line, column) in the file.
pub fn position<T>(value: &Spanned<T>) -> (usize, usize) {
    location(&value.referenced)
}

fn location(loc: &Location) -> (usize, usize) {
    (loc.line() as usize, loc.column() as usize)
}

/// Parse `yaml`, which must be laid out so that its line numbers are the file's (a front
/// matter is passed with blank lines standing for the lines before it).
pub fn parse<T: DeserializeOwned>(file: &SourceFile, yaml: &str) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options::<T>(yaml, options).map_err(|e| to_diagnostic(file, &e))
}

fn to_diagnostic(file: &SourceFile, err: &Error) -> Diagnostic {
    let (line, column) = err.location().map(|l| location(&l)).unwrap_or((1, 1));
    let (message, hint) = french(err);
    let d = file.error_at(line.max(1), column.max(1), message);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// What went wrong, and what to do, in the editor's words.
fn french(err: &Error) -> (String, Option<String>) {
    match err {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let hint = match closest(field, expected.iter().copied()) {
                Some(s) => format!("vouliez-vous dire `{s}` ?"),
                None => format!("champs permis ici : {}", list(expected)),
            };
            (format!("champ inconnu `{field}`"), Some(hint))
        }
        Error::SerdeMissingField { field, .. } => (
            format!("champ obligatoire `{field}` manquant"),
            Some(format!("ajoutez une ligne `{field}: …` à cet endroit")),
        ),
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            format!(
                "type invalide : {} trouvé, {} attendu",
                kind(unexpected),
                kind(expected)
            ),
            Some(type_hint(expected)),
        ),
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let hint = match closest(variant, expected.iter().copied()) {
                Some(s) => format!("vouliez-vous dire `{s}` ?"),
                None => format!("valeurs permises : {}", list(expected)),
            };
            (format!("valeur inconnue `{variant}`"), Some(hint))
        }
        Error::InvalidScalar { ty, .. } => (
            format!("valeur invalide : {} attendu", kind(ty)),
            Some(type_hint(ty)),
        ),
        Error::Unexpected { expected, .. } => (
            format!("type invalide : {} attendu", kind(expected)),
            Some(type_hint(expected)),
        ),
        Error::NullIntoString { .. } => (
            "valeur vide".to_string(),
            Some("écrivez le texte après les deux-points, ou retirez la ligne si le champ est facultatif".to_string()),
        ),
        Error::DuplicateMappingKey { key, .. } => (
            match key {
                Some(k) => format!("champ `{k}` écrit deux fois"),
                None => "champ écrit deux fois".to_string(),
            },
            Some("gardez une seule ligne pour ce champ".to_string()),
        ),
        Error::IndentationError { .. } => (
            "indentation incorrecte".to_string(),
            Some("alignez ce champ avec les autres champs du même niveau (espaces, pas de tabulations)".to_string()),
        ),
        Error::QuotingRequired { value, .. } => (
            format!("la valeur `{value}` doit être entre guillemets"),
            Some(format!("écrivez \"{value}\"")),
        ),
        Error::Eof { .. } => (
            "fin de fichier inattendue".to_string(),
            Some("un guillemet, un crochet ou une accolade n’est peut-être pas fermé".to_string()),
        ),
        Error::MultipleDocuments { .. } => (
            "plusieurs documents YAML dans un même fichier".to_string(),
            Some("une fiche par fichier : retirez la ligne `---` en trop".to_string()),
        ),
        Error::WithSnippet { .. } => {
            // Snippets are disabled in `parse`; keep the inner message if one slips through.
            (format!("YAML invalide : {}", plain(err)), None)
        }
        _ => (
            format!("syntaxe YAML invalide : {}", plain(err)),
            Some("vérifiez l’indentation, les deux-points et les guillemets de cette ligne".to_string()),
        ),
    }
}

/// The crate's own message, without its location suffix (we show the location ourselves).
fn plain(err: &Error) -> String {
    let s = err.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Serde's names of kinds of values, in French.
fn kind(serde_kind: &str) -> String {
    let k = serde_kind.trim();
    let lower = k.to_ascii_lowercase();
    let french = if lower.starts_with("string") || lower.contains("str") {
        "un texte"
    } else if lower.starts_with("a sequence")
        || lower.starts_with("sequence")
        || lower.contains("vec")
    {
        "une liste"
    } else if lower.starts_with("map") || lower.starts_with("struct") || lower.contains("mapping") {
        "un groupe de champs"
    } else if lower.starts_with('u')
        || lower.starts_with('i') && lower[1..].chars().all(|c| c.is_ascii_digit())
        || lower.contains("integer")
    {
        "un nombre entier"
    } else if lower.starts_with('f') || lower.contains("float") || lower.contains("number") {
        "un nombre"
    } else if lower.contains("bool") {
        "vrai ou faux (`true`/`false`)"
    } else if lower.contains("unit") || lower.contains("null") {
        "une valeur vide"
    } else {
        return format!("`{k}`");
    };
    french.to_string()
}

fn type_hint(expected: &str) -> String {
    match kind(expected).as_str() {
        "une liste" => "écrivez une liste, un élément par ligne, chacun précédé de `- `".to_string(),
        "un groupe de champs" => "écrivez les champs en dessous, en retrait de deux espaces".to_string(),
        "un nombre entier" => "écrivez un nombre entier, sans espace ni unité (ex. `2023`)".to_string(),
        "un nombre" => "écrivez le nombre sans espace ni unité, avec un point décimal (ex. `2600000000` ou `2.6`)".to_string(),
        "un texte" => "mettez le texte entre guillemets".to_string(),
        other => format!("écrivez {other}"),
    }
}
