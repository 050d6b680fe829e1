//! The one place that touches the YAML crate (serde-saphyr): parse a file's YAML into a
//! typed value, or explain in French, at the file's line and column, why it cannot be.
//! A well-formed fiche in plain YAML is read by `quick` first, which answers as
//! serde-saphyr would or not at all.

mod quick;

use serde::de::DeserializeOwned;
use serde_saphyr::{Error, Location};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::suggest::closest;

/// A value with the place where it was written, so that a later check (a bad e-mail, an
/// unknown organisation) can point at it. Our own wrapper around serde-saphyr's, so that
/// the JSON Schema of a content type sees through it (see `crate::schema`).
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    pub value: T,
    at: (usize, usize),
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Spanned<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        Ok(Spanned {
            value: s.value,
            at: location(&s.referenced),
        })
    }
}

/// Where a value was written, 1-based (line, column) in the file.
pub fn position<T>(value: &Spanned<T>) -> (usize, usize) {
    value.at
}

fn location(loc: &Location) -> (usize, usize) {
    (loc.line() as usize, loc.column() as usize)
}

/// Parse `yaml` without diagnostics, for tools that only peek at a file (`fiches new`):
/// a broken file is `fiches check`'s business.
pub fn parse_loose<T: DeserializeOwned>(yaml: &str) -> Option<T> {
    parse_once(yaml).ok()
}

fn parse_once<T: DeserializeOwned>(yaml: &str) -> Result<T, Error> {
    let options = serde_saphyr::options! { with_snippet: false };
    serde_saphyr::from_str_with_options::<T>(yaml, options)
}

/// How many mistakes one file may report before the rest is left for the next run.
const MAX_ERRORS_PER_FILE: usize = 20;

/// Parse `yaml` and report every mistake that can be told apart, not just the first: after
/// a misspelt key, a value of the wrong type or a doubled key, that entry is mended in a
/// copy of the text (line numbers kept) and the file parsed again. Returns the value
/// parsed from the mended text, if any, with the diagnostics; when there are diagnostics
/// the value only serves to find more mistakes.
pub fn parse_all<T: DeserializeOwned>(
    file: &SourceFile,
    yaml: &str,
) -> (Option<T>, Vec<Diagnostic>) {
    // Most files are plain YAML that the quick reader takes in one pass.
    if let Some(value) = quick::from_str(yaml) {
        return (Some(value), Vec::new());
    }
    // The text is copied only to be mended, after a first mistake.
    let mut last_error = match parse_once::<T>(yaml) {
        Ok(v) => return (Some(v), Vec::new()),
        Err(e) => Err(e),
    };
    let mut text = yaml.to_string();
    let mut diags = Vec::new();
    loop {
        let e = match last_error {
            Ok(v) => return (Some(v), diags),
            Err(e) => e,
        };
        diags.push(to_diagnostic(file, &e));
        if diags.len() >= MAX_ERRORS_PER_FILE {
            return (None, diags);
        }
        let Some(line) = e.location().map(|l| l.line() as usize) else {
            return (None, diags);
        };
        let mends: Vec<Mend> = match &e {
            Error::SerdeUnknownField {
                field, expected, ..
            } => {
                let mut m: Vec<Mend> = closest(field, expected.iter().copied())
                    .map(Mend::Rename)
                    .into_iter()
                    .collect();
                m.push(Mend::Remove);
                m
            }
            Error::DuplicateMappingKey { .. } => vec![Mend::Remove],
            Error::SerdeInvalidType { .. }
            | Error::SerdeInvalidValue { .. }
            | Error::SerdeUnknownVariant { .. }
            | Error::InvalidScalar { .. }
            | Error::Unexpected { .. }
            | Error::NullIntoString { .. } => PLACEHOLDERS
                .iter()
                .map(|p| Mend::Value(p))
                .chain([Mend::Remove])
                .collect(),
            _ => return (None, diags),
        };
        // Keep the first mend after which the parser gets past this line.
        let mut next = None;
        for mend in mends {
            let mut candidate = text.clone();
            if !mend_key(&mut candidate, line, &mend) {
                continue;
            }
            let result = parse_once::<T>(&candidate);
            let moved_on = match &result {
                Ok(_) => true,
                Err(err) => {
                    err.location().is_some_and(|l| l.line() as usize != line)
                        && !matches!(err, Error::SerdeMissingField { .. })
                }
            };
            if moved_on {
                text = candidate;
                next = Some(result);
                break;
            }
        }
        match next {
            Some(result) => last_error = result,
            None => return (None, diags),
        }
    }
}

/// Stand-in values tried in place of a value of the wrong type.
const PLACEHOLDERS: [&str; 6] = ["0", "\"?\"", "[]", "{}", "publiee", "null"];

enum Mend<'a> {
    Rename(&'a str),
    Value(&'a str),
    Remove,
}

/// Mends the `key: …` entry that starts on `line` (1-based) and its nested block, keeping
/// every line in place. Returns false if the line holds no key.
fn mend_key(text: &mut String, line: usize, mend: &Mend) -> bool {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let Some(idx) = line.checked_sub(1) else {
        return false;
    };
    let Some(current) = lines.get(idx).cloned() else {
        return false;
    };
    let indent = current.len() - current.trim_start().len();
    let mut key_at = indent;
    if current[indent..].starts_with("- ") {
        key_at =
            indent + 2 + current[indent + 2..].len() - current[indent + 2..].trim_start().len();
    }
    let rest = &current[key_at..];
    let Some(colon) = rest.find(':') else {
        return false;
    };
    let key = rest[..colon].trim();
    if key.is_empty() {
        return false;
    }
    lines[idx] = match mend {
        Mend::Rename(new_key) => format!("{}{new_key}{}", &current[..key_at], &rest[colon..]),
        Mend::Value(v) => format!("{}{key}: {v}", &current[..key_at]),
        Mend::Remove => format!("{}{}", &current[..key_at], " ".repeat(rest.len())),
    };
    if !matches!(mend, Mend::Rename(_)) {
        for l in lines.iter_mut().skip(idx + 1) {
            let ind = l.len() - l.trim_start().len();
            if l.trim().is_empty() || l.trim_start().starts_with('#') || ind > key_at {
                l.clear();
            } else {
                break;
            }
        }
    }
    *text = lines.join("\n");
    true
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
            Some(format!("ajoutez une ligne `{field}: …` dans le bloc qui se termine ici, au même niveau que les autres champs")),
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
                "type invalide : {}, {}",
                agreed(unexpected, "trouvé"),
                agreed(expected, "attendu")
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
            format!("valeur invalide : {}", agreed(ty, "attendu")),
            Some(type_hint(ty)),
        ),
        Error::Unexpected { expected, .. } => (
            format!("type invalide : {}", agreed(expected, "attendu")),
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
            "syntaxe YAML invalide".to_string(),
            Some(format!(
                "vérifiez l’indentation, les deux-points et les guillemets de cette ligne et de la précédente (un guillemet ouvert se ferme sur la même ligne) ; détail : {}",
                plain(err)
            )),
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

/// The French name of a serde kind followed by a past participle agreed with it: "une
/// liste attendue", "un texte attendu".
fn agreed(serde_kind: &str, participle: &str) -> String {
    let kind = kind(serde_kind);
    let ending = if kind.starts_with("une ") { "e" } else { "" };
    format!("{kind} {participle}{ending}")
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
