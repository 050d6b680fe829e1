//! Markdown fiches: a `---` YAML front matter, then the description in Markdown.

use crate::diagnostic::{Diagnostic, SourceFile};

/// Splits a Markdown file into its front matter and body. The front matter is the file's
/// own text up to the closing line, opening `---` included: YAML reads that line as the
/// start of its document, so that its line numbers are the file's own, and nothing is
/// copied.
pub fn split(file: &SourceFile) -> Result<(&str, Option<String>), Diagnostic> {
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
            let yaml = &text[..consumed];
            let body = text[consumed + line.len()..].trim().to_string();
            return Ok((yaml, (!body.is_empty()).then_some(body)));
        }
        consumed += line.len();
    }
    Err(file
        .error_at(1, 1, "en-tête YAML non fermé")
        .with_hint("ajoutez une ligne `---` après le dernier champ, avant la description"))
}
