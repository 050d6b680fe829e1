//! Located diagnostics for editors: what is wrong, where in the file, and how to fix it.
//!
//! A content error is read by a city employee, not a programmer, so every message is in
//! French, names the file, line and column, quotes the line and offers a hint.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use crate::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in one place of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as the editor knows it: relative to the site's root.
    pub file: PathBuf,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The offending line, quoted as it is in the file.
    pub snippet: Option<String>,
    /// How many characters the caret underlines.
    pub width: usize,
}

impl Diagnostic {
    /// A problem that concerns a file as a whole (a bad file name, an unreadable file).
    pub fn file_error(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            snippet: None,
            width: 0,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Underline `width` characters instead of the token at the column.
    pub fn with_width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A content file's text, kept so that diagnostics can quote the offending line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// A diagnostic at `line`:`column` (1-based), quoting that line and underlining the
    /// token that starts there.
    pub fn error_at(&self, line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        let snippet = line
            .checked_sub(1)
            .and_then(|i| self.text.lines().nth(i))
            .map(|l| l.trim_end().to_string());
        let width = snippet
            .as_deref()
            .map(|l| token_width(l, column))
            .unwrap_or(1);
        Diagnostic {
            severity: Severity::Error,
            file: self.path.clone(),
            line,
            column,
            message: message.into(),
            hint: None,
            snippet,
            width,
        }
    }

    /// The first place where `needle` occurs in the file, as (line, column), 1-based.
    pub fn find(&self, needle: &str) -> Option<(usize, usize)> {
        self.text.lines().enumerate().find_map(|(i, l)| {
            l.find(needle)
                .map(|byte| (i + 1, l[..byte].chars().count() + 1))
        })
    }
}

/// The width of the token starting at `column`: a quoted string, or a run of characters up
/// to a YAML delimiter.
fn token_width(line: &str, column: usize) -> usize {
    let rest: Vec<char> = line.chars().skip(column.saturating_sub(1)).collect();
    let Some(&first) = rest.first() else {
        return 1;
    };
    let width = if first == '"' || first == '\'' {
        rest.iter()
            .skip(1)
            .position(|&c| c == first)
            .map_or(rest.len(), |p| p + 2)
    } else if first == '-' || first == '[' || first == '{' {
        1
    } else {
        rest.iter()
            .position(|&c| matches!(c, ':' | ',' | ']' | '}' | '#'))
            .unwrap_or(rest.len())
    };
    let trimmed = rest[..width.min(rest.len())]
        .iter()
        .rev()
        .skip_while(|c| c.is_whitespace())
        .count();
    trimmed.max(1)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::Fr))
    }
}

impl Diagnostic {
    /// Rustc-style: a headline, the location, the quoted line with a caret, the hint.
    pub fn render(&self, lang: Lang) -> String {
        let mut f = String::new();
        let kind = match self.severity {
            Severity::Error => lang.word("erreur"),
            Severity::Warning => lang.word("avertissement"),
        };
        let sep = if lang == Lang::Fr { " :" } else { ":" };
        let _ = writeln!(f, "{kind}{sep} {}", lang.text(&self.message));
        let file = self.file.display();
        let gutter = " ".repeat(self.line.max(1).to_string().len());
        if self.line == 0 {
            let _ = writeln!(f, "{gutter}--> {file}");
        } else {
            let _ = writeln!(f, "{gutter}--> {file}:{}:{}", self.line, self.column);
        }
        if let Some(snippet) = &self.snippet {
            let (text, at, width) = excerpt(snippet, self.column.saturating_sub(1), self.width);
            let _ = writeln!(f, "{gutter} |");
            let _ = writeln!(f, "{} | {text}", self.line);
            let pad = " ".repeat(at);
            let _ = writeln!(f, "{gutter} | {pad}{}", "^".repeat(width));
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(
                f,
                "{gutter} = {}{sep} {}",
                lang.word("aide"),
                lang.text(hint)
            );
        }
        f
    }
}

/// The longest source line shown whole, in characters. A longer one (a paragraph of a
/// description is one line) would wrap in a terminal or the preview's error page and
/// leave the carets under the wrong words.
const SHOWN: usize = 100;

/// The part of a source line shown under a message: the whole line when it is short,
/// else about `SHOWN` characters around the place, cut with `…`; with the place's column
/// and width in it (0-based, in characters).
fn excerpt(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= SHOWN {
        return (line.to_string(), column, width);
    }
    let width = width.max(1);
    // Some words before the place, unless the place is near enough the start.
    let start = if column + width.min(SHOWN / 2) <= SHOWN - 10 {
        0
    } else {
        // About 40 characters before, from the start of a word.
        let from = column.saturating_sub(40).min(chars.len());
        (chars[from..column.min(chars.len())].iter())
            .position(|c| *c == ' ')
            .map_or(from, |space| from + space + 1)
    };
    let end = (start + SHOWN).min(chars.len());
    let mut text = String::new();
    if start > 0 {
        text.push('…');
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    let at = column.saturating_sub(start) + usize::from(start > 0);
    let width = width.min(end.saturating_sub(column).max(1));
    (text, at, width)
}

/// Every diagnostic of a run, in a stable order (file, line, column).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorted, deduplicated, errors before warnings within a place.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.0.dedup();
        self.0
    }

    /// The closing line under the list: how many errors and warnings, in how many files.
    pub fn summary(&self) -> String {
        self.summary_in(Lang::Fr)
    }

    /// `summary`, in `lang`.
    pub fn summary_in(&self, lang: Lang) -> String {
        let errors = self.error_count();
        let warnings = self.warning_count();
        let mut files: Vec<&PathBuf> = self.0.iter().map(|d| &d.file).collect();
        files.sort();
        files.dedup();
        let n = files.len();
        format!(
            "{} {} {} {} {}",
            plural(errors, lang.word("erreur"), lang.word("erreurs"), lang),
            lang.word("et"),
            plural(
                warnings,
                lang.word("avertissement"),
                lang.word("avertissements"),
                lang
            ),
            lang.word("dans"),
            plural(n, lang.word("fichier"), lang.word("fichiers"), lang)
        )
    }
}

/// `n` and the word that goes with it: French says « 0 erreur », English "0 errors".
pub fn plural(n: usize, one: &str, many: &str, lang: Lang) -> String {
    let singular = if lang == Lang::Fr { n <= 1 } else { n == 1 };
    if singular {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    /// The quoted line and the text its carets are under, from a rendered diagnostic.
    fn quoted(text: &str, needle: &str) -> (String, String) {
        let source = SourceFile {
            path: PathBuf::from("content/villes/montreal.yaml"),
            text: text.to_string(),
        };
        let (line, column) = source.find(needle).unwrap();
        let rendered = source
            .error_at(line, column, "lien interne brisé")
            .with_width(needle.chars().count())
            .render(Lang::Fr);
        let lines: Vec<&str> = rendered.lines().collect();
        let quote = lines
            .iter()
            .position(|l| l.contains("| ") && !l.trim_start().starts_with('|'));
        let (quote, carets) = (lines[quote.unwrap()], lines[quote.unwrap() + 1]);
        let under: String = (quote.chars().zip(carets.chars()))
            .filter(|(_, c)| *c == '^')
            .map(|(q, _)| q)
            .collect();
        let shown = quote.split_once(" | ").unwrap().1.to_string();
        (shown, under)
    }

    #[test]
    fn a_short_line_is_quoted_whole() {
        let text = "ville: \"Montréal\"\nstatut: publiee\n";
        assert_eq!(
            quoted(text, "publiee"),
            ("statut: publiee".into(), "publiee".into())
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_place_and_the_carets_stay_under_it() {
        let paragraph = "      La Ville de Montréal a confié la surveillance et l’entretien ménager de 36 bâtiments municipaux à l’entreprise collective adaptée Axia, démontrant ainsi sa confiance (comme [à Gatineau](/villes/gatineau/)) envers les entreprises d’économie sociale pour des services essentiels.";
        let text = format!("partenariats:\n  - nom: \"Axia\"\n    description: |\n{paragraph}\n");
        let (shown, under) = quoted(&text, "/villes/gatineau/");
        assert_eq!(under, "/villes/gatineau/");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= SHOWN + 2, "{shown}");
        assert!(
            shown.contains("sa confiance (comme [à Gatineau]"),
            "words before it: {shown}"
        );

        // Near the start: from the start, cut at the end only.
        let (shown, under) = quoted(&text, "Montréal");
        assert_eq!(under, "Montréal");
        assert!(
            shown.starts_with("      La Ville") && shown.ends_with('…'),
            "{shown}"
        );

        // At the very end.
        let (shown, under) = quoted(&text, "essentiels.");
        assert_eq!(under, "essentiels.");
        assert!(
            shown.starts_with('…') && shown.ends_with("essentiels."),
            "{shown}"
        );

        // A place wider than what is shown: the carets stop at the cut.
        let (shown, under) = quoted(&text, paragraph.trim_start());
        assert!(shown.ends_with('…'), "{shown}");
        assert!(paragraph.trim_start().starts_with(&under) && under.chars().count() > 50);
    }
}
