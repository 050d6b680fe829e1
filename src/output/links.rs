//! Internal links are checked before anything is written: a link to a page that does
//! not exist is an error, located in the content file that wrote it when there is one.

use std::borrow::Borrow;
use std::collections::HashSet;
use std::hash::Hash;

/// Every internal link target (`href`/`src` starting with `base`) of a page, without
/// fragment or query, in order of appearance.
pub fn internal_targets<'a>(html: &'a str, base: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let Some(end) = rest.find('"') else { break };
            let target = &rest[..end];
            rest = &rest[end..];
            if target.starts_with(base) && !target.starts_with("//") {
                let cut = target.find(['#', '?']).unwrap_or(target.len());
                out.push(&target[..cut]);
            }
        }
    }
    out
}

/// Whether a URL path names one of the files the build writes (`/villes/quebec/` names
/// `villes/quebec/index.html`).
pub fn resolves<S: Borrow<str> + Hash + Eq>(target: &str, base: &str, files: &HashSet<S>) -> bool {
    let rel = target.strip_prefix(base).unwrap_or(target);
    if rel.is_empty() || rel.ends_with('/') {
        files.contains(format!("{rel}index.html").as_str())
    } else {
        files.contains(rel) || files.contains(format!("{rel}/index.html").as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_internal_links_only() {
        let html = r#"<a href="/villes/quebec/#leviers">Q</a><a href="https://polecn.org/">P</a><link href="/style.css"><img src="/logo.svg"><a href="mailto:a@b.ca">m</a>"#;
        assert_eq!(
            internal_targets(html, "/"),
            vec!["/villes/quebec/", "/style.css", "/logo.svg"]
        );
    }

    #[test]
    fn resolves_pages_and_files() {
        let files: HashSet<&str> = ["index.html", "villes/quebec/index.html", "style.css"]
            .into_iter()
            .collect();
        assert!(resolves("/", "/", &files));
        assert!(resolves("/villes/quebec/", "/", &files));
        assert!(resolves("/villes/quebec", "/", &files));
        assert!(resolves("/style.css", "/", &files));
        assert!(!resolves("/villes/quebek/", "/", &files));
    }
}
