//! Checks on single values that YAML types cannot express: e-mails, web addresses, dates.

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::text::Date;
use crate::yaml::{Spanned, position};

/// An e-mail address: one `@`, a local part, a domain with a dot, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && s.chars()
            .all(|c| !c.is_whitespace() && c != ',' && c != '<' && c != '>')
}

/// A web address readers can follow: `http(s)://host.tld/…`.
pub fn is_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && s.chars()
            .all(|c| !c.is_whitespace() && c != '"' && c != '<' && c != '>')
}

pub fn check_email(file: &SourceFile, value: &Spanned<String>, errors: &mut Vec<Diagnostic>) {
    if !is_email(value.value.trim()) {
        let (line, col) = position(value);
        errors.push(
            file.error_at(
                line,
                col,
                format!("adresse courriel invalide « {} »", value.value),
            )
            .with_hint("une adresse courriel a la forme `nom@domaine.qc.ca`, sans espace"),
        );
    }
}

pub fn check_url(file: &SourceFile, value: &Spanned<String>, errors: &mut Vec<Diagnostic>) {
    let v = value.value.trim();
    if !is_url(v) {
        let (line, col) = position(value);
        let hint = if !v.contains("://") && v.contains('.') {
            format!(
                "écrivez l’adresse complète : `https://{}`",
                v.trim_start_matches("www.")
            )
        } else {
            "une adresse web commence par `https://` (ex. `https://polecn.org/`)".to_string()
        };
        errors.push(
            file.error_at(
                line,
                col,
                format!("adresse web invalide « {} »", value.value),
            )
            .with_hint(hint),
        );
    }
}

pub fn check_date(
    file: &SourceFile,
    value: &Spanned<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let date = Date::parse(&value.value);
    if date.is_none() {
        let (line, col) = position(value);
        errors.push(
            file.error_at(line, col, format!("date invalide « {} »", value.value))
                .with_hint("écrivez la date sous la forme AAAA-MM-JJ, par exemple `2025-03-25`"),
        );
    }
    date
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "direction@polecn.org",
            "sb-ernard@fonds-emprunt.qc.ca",
            "l.gauthier@larpent.ca",
        ] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "polecn.org",
            "a@b",
            "a @b.ca",
            "@b.ca",
            "a@@b.ca",
            "a@b..ca",
            "a@.b.ca",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://polecn.org/",
            "http://maison.coop",
            "https://www.quebec.ca/a?b=c",
        ] {
            assert!(is_url(ok), "{ok}");
        }
        for bad in [
            "polecn.org",
            "https://",
            "https://localhost/",
            "ftp://a.ca",
            "https://a b.ca",
        ] {
            assert!(!is_url(bad), "{bad}");
        }
    }
}
