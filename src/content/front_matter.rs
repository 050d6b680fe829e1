//! Markdown fiches: a `---` YAML front matter, then the description in Markdown.

use std::borrow::Cow;

use crate::diagnostic::{Diagnostic, SourceFile};

/// Splits a Markdown file into its front matter and body. The front matter is the file's
/// own text up to the closing line, opening `---` included: YAML reads that line as the
/// start of its document, so that its line numbers are the file's own, and nothing is
/// copied. An opening line that YAML would not read so (`---` followed by a no-break
/// space) is replaced by a blank line in a copy.
pub fn split(file: &SourceFile) -> Result<(Cow<'_, str>, Option<String>), Diagnostic> {
    let text = file.text.trim_start_matches('\u{feff}');
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(file
            .error_at(1, 1, "en-tête YAML manquant au début du fichier Markdown")
            .with_hint("un fichier .md commence par une ligne `---`, les champs de la fiche, puis une autre ligne `---` avant la description"));
    }
    let mut consumed = first.len();
    for line in lines {
        if matches!(line.trim_end(), "---" | "...") {
            let fields = &text[first.len()..consumed];
            if fields.trim().is_empty() {
                return Err(file
                    .error_at(1, 1, "en-tête YAML vide : la fiche n’a aucun champ")
                    .with_hint("écrivez les champs de la fiche entre les deux lignes `---` (voir `fiches new` pour un modèle)"));
            }
            let yaml = if first.trim_end_matches([' ', '\t', '\r', '\n']) == "---" {
                Cow::Borrowed(&text[..consumed])
            } else {
                Cow::Owned(format!("\n{fields}"))
            };
            let body = text[consumed + line.len()..].trim().to_string();
            return Ok((yaml, (!body.is_empty()).then_some(body)));
        }
        consumed += line.len();
    }
    Err(file
        .error_at(1, 1, "en-tête YAML non fermé")
        .with_hint("ajoutez une ligne `---` après le dernier champ, avant la description"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: "content/secteurs/x.md".into(),
            text: text.to_string(),
        }
    }

    #[test]
    fn the_front_matter_keeps_the_file_s_lines() {
        for opening in ["---", "--- ", "---\t", "---\u{a0}", "---\r"] {
            let f = file(&format!("{opening}\ntitre: \"T\"\n---\nLe corps.\n"));
            let (yaml, body) = split(&f).unwrap_or_else(|d| panic!("{opening:?}: {d:?}"));
            assert_eq!(yaml.lines().nth(1), Some("titre: \"T\""), "{opening:?}");
            assert_eq!(body.as_deref(), Some("Le corps."));
            let parsed: Option<serde_json::Value> = crate::yaml::parse_loose(&yaml);
            assert_eq!(
                parsed,
                Some(serde_json::json!({ "titre": "T" })),
                "{opening:?}"
            );
        }
    }

    #[test]
    fn an_empty_front_matter_is_told_as_such() {
        let d = split(&file("---\n\n---\nLe corps.\n")).unwrap_err();
        assert!(d.message.contains("en-tête YAML vide"), "{}", d.message);
    }
}
