//! Internal links are checked before anything is written: a link to a page that does
//! not exist is an error, located in the content file that wrote it when there is one.

use std::collections::HashSet;

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

/// The files the build writes, and the folders whose `index.html` it writes, so that a
/// link is looked up without building a string. It owns its names: the preview keeps it
/// from one rebuild to the next.
pub struct Targets {
    files: HashSet<Box<str>>,
    /// `villes/quebec/` and `villes/quebec` for `villes/quebec/index.html`; `` for home.
    folders: HashSet<Box<str>>,
}

impl Targets {
    pub fn new<'a>(files: impl IntoIterator<Item = &'a str>) -> Self {
        let mut all = HashSet::new();
        let mut folders = HashSet::new();
        for f in files {
            if let Some(dir) = f.strip_suffix("index.html")
                && (dir.is_empty() || dir.ends_with('/'))
            {
                folders.insert(Box::from(dir));
                if let Some(bare) = dir.strip_suffix('/') {
                    folders.insert(Box::from(bare));
                }
            }
            all.insert(Box::from(f));
        }
        Targets {
            files: all,
            folders,
        }
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
            internal_targets(html, "/"),
            vec!["/villes/quebec/", "/style.css", "/logo.svg"]
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
}
