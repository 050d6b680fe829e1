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
            let _ = writeln!(f, "{gutter} |");
            let _ = writeln!(f, "{} | {snippet}", self.line);
            let pad = " ".repeat(self.column.saturating_sub(1));
            let _ = writeln!(f, "{gutter} | {pad}{}", "^".repeat(self.width));
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

fn plural(n: usize, one: &str, many: &str, lang: Lang) -> String {
    // French says « 0 erreur », English "0 errors".
    let singular = if lang == Lang::Fr { n <= 1 } else { n == 1 };
    if singular {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
