//! Internal links are checked before anything is written: a link to a page that does
//! not exist is an error, located in the content file that wrote it when there is one.

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use rustc_hash::FxHasher;

/// Every internal link target (`href`/`src` starting with `base`) of a page, without
/// fragment or query, in order of appearance. Values may be quoted or not: minified
/// templates leave a plain value unquoted.
pub fn internal_targets<'a>(bytes: &'a [u8], base: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    for eq in memchr::memchr_iter(b'=', bytes) {
        let name = &bytes[..eq];
        let name_len = if name.ends_with(b"href") {
            4
        } else if name.ends_with(b"src") {
            3
        } else {
            continue;
        };
        // The attribute's name, not the end of a longer one (`data-src`), inside a tag,
        // not in text (where `<` and `>` are escaped, so the nearest one tells).
        let before = &name[..name.len() - name_len];
        if !before.last().is_some_and(|c| c.is_ascii_whitespace())
            || memchr::memrchr2(b'<', b'>', before).is_none_or(|i| before[i] == b'>')
        {
            continue;
        }
        let rest = &bytes[eq + 1..];
        let target = match rest.first() {
            Some(&q @ (b'"' | b'\'')) => {
                let value = &rest[1..];
                match memchr::memchr(q, value) {
                    Some(end) => &value[..end],
                    None => continue,
                }
            }
            _ => {
                let end = rest
                    .iter()
                    .position(|&c| c.is_ascii_whitespace() || c == b'>')
                    .unwrap_or(rest.len());
                &rest[..end]
            }
        };
        // Cut at ASCII bytes of a page that is UTF-8 text: the target is text too.
        let Ok(target) = std::str::from_utf8(target) else {
            continue;
        };
        if target.starts_with(base) && !target.starts_with("//") {
            let cut = target.find(['#', '?']).unwrap_or(target.len());
            out.push(&target[..cut]);
        }
    }
    out
}

type FastSet = HashSet<Box<str>, BuildHasherDefault<FxHasher>>;

/// The folder a link names for an `index.html`: `villes/quebec/` for
/// `villes/quebec/index.html`, `` for the home page's.
fn folder_of(file: &str) -> Option<&str> {
    file.strip_suffix("index.html")
        .filter(|dir| dir.is_empty() || dir.ends_with('/'))
}

/// The files the build writes, and the folders whose `index.html` it writes, so that a
/// link is looked up without building a string. It owns its names: the preview keeps it
/// from one rebuild to the next.
pub struct Targets {
    files: FastSet,
    /// `villes/quebec/` and `villes/quebec` for `villes/quebec/index.html`; `` for home.
    folders: FastSet,
}

impl Targets {
    pub fn new<'a>(files: impl IntoIterator<Item = &'a str>) -> Self {
        let mut targets = Targets {
            files: FastSet::default(),
            folders: FastSet::default(),
        };
        files.into_iter().for_each(|f| targets.insert(f));
        targets
    }

    /// Adds a file the build writes.
    pub fn insert(&mut self, file: &str) {
        if let Some(dir) = folder_of(file) {
            self.folders.insert(Box::from(dir));
            if let Some(bare) = dir.strip_suffix('/') {
                self.folders.insert(Box::from(bare));
            }
        }
        self.files.insert(Box::from(file));
    }

    /// Takes out a file the build no longer writes.
    pub fn remove(&mut self, file: &str) {
        if let Some(dir) = folder_of(file) {
            self.folders.remove(dir);
            if let Some(bare) = dir.strip_suffix('/') {
                self.folders.remove(bare);
            }
        }
        self.files.remove(file);
    }

    /// Whether a URL path names one of the files the build writes (`/villes/quebec/`
    /// names `villes/quebec/index.html`).
    pub fn resolves(&self, target: &str, base: &str) -> bool {
        let rel = target.strip_prefix(base).unwrap_or(target);
        if rel.is_empty() || rel.ends_with('/') {
            self.folders.contains(rel)
        } else {
            self.files.contains(rel) || self.folders.contains(rel)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_internal_links_only() {
        let html = r#"<a href="/villes/quebec/#leviers">Q</a><a href="https://polecn.org/">P</a><link href="/style.css"><img src="/logo.svg"><a href="mailto:a@b.ca">m</a>"#;
        assert_eq!(
            internal_targets(html.as_bytes(), "/"),
            vec!["/villes/quebec/", "/style.css", "/logo.svg"]
        );
    }

    #[test]
    fn finds_unquoted_and_single_quoted_values_and_skips_other_attributes() {
        let html = "<a class=skip href=#contenu>x</a><link href=/atom.xml rel=alternate><a href=/villes/>V</a><img data-src=\"/x.png\" src='/y.png?v=2'><p>a href=/pas-un-lien/</p>";
        assert_eq!(
            internal_targets(html.as_bytes(), "/"),
            vec!["/atom.xml", "/villes/", "/y.png"]
        );
    }

    #[test]
    fn resolves_pages_and_files() {
        let files = Targets::new(["index.html", "villes/quebec/index.html", "style.css"]);
        assert!(files.resolves("/", "/"));
        assert!(files.resolves("/villes/quebec/", "/"));
        assert!(files.resolves("/villes/quebec", "/"));
        assert!(files.resolves("/style.css", "/"));
        assert!(!files.resolves("/villes/quebek/", "/"));
        assert!(!files.resolves("/villes/", "/"), "no index.html there");
        assert!(!files.resolves("/style.css/", "/"));
    }

    #[test]
    fn files_come_and_go() {
        let mut files = Targets::new(["index.html", "villes/quebec/index.html"]);
        files.insert("villes/levis/index.html");
        files.remove("villes/quebec/index.html");
        assert!(files.resolves("/villes/levis/", "/"));
        assert!(files.resolves("/villes/levis", "/"));
        assert!(!files.resolves("/villes/quebec/", "/"));
        assert!(!files.resolves("/villes/quebec", "/"));
        assert!(!files.resolves("/villes/quebec/index.html", "/"));
        assert!(files.resolves("/", "/"));
    }
}
