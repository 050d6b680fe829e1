//! Internal links are checked before anything is written: a link to a page that does
//! not exist is an error, located in the content file that wrote it when there is one.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::LazyLock;

use memchr::memmem::Finder;

use rustc_hash::{FxHashMap, FxHasher};

/// Every internal link target (`href`/`src` starting with `base`) of a page, without
/// fragment or query, in order of appearance. Values may be quoted or not: minified
/// templates leave a plain value unquoted.
pub fn internal_targets<'a>(bytes: &'a [u8], base: &str) -> Vec<&'a str> {
    // The two names are looked for as they are, rather than every `=`: a page's charts
    // give hundreds of other attributes. Each searcher is made once for every page.
    static HREF: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"href="));
    static SRC: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"src="));
    let mut names: Vec<(usize, usize)> = (HREF.find_iter(bytes).map(|at| (at + 4, 4)))
        .chain(SRC.find_iter(bytes).map(|at| (at + 3, 3)))
        .collect();
    names.sort_unstable();
    let mut out = Vec::with_capacity(names.len());
    for (eq, name_len) in names {
        let name = &bytes[..eq];
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
        if !target.starts_with(base.as_bytes()) || target.starts_with(b"//") {
            continue;
        }
        // Cut at ASCII bytes of a page that is UTF-8 text: the target is text too.
        let cut = memchr::memchr2(b'#', b'?', target).unwrap_or(target.len());
        if let Ok(target) = std::str::from_utf8(&target[..cut]) {
            out.push(target);
        }
    }
    out
}

/// Names kept as their hashes (`name_hash`). Every link of every page is looked up
/// here, and with the names themselves as keys each lookup read a string elsewhere in
/// memory: at 10 000 fiches, 100 000 names, and that read missed the processor's caches
/// nearly every time (2 % of a build's time). Two names share a 64-bit hash only by
/// accident: among 100 000 names, a mistyped link has about one chance in 10^14 to pass
/// (and, in the preview, a page removed as much chance to take such a twin with it).
type HashedNames = HashSet<u64, BuildHasherDefault<FxHasher>>;

/// The folder a link names for an `index.html`: `villes/quebec/` for
/// `villes/quebec/index.html`, `` for the home page's.
fn folder_of(file: &str) -> Option<&str> {
    file.strip_suffix("index.html")
        .filter(|dir| dir.is_empty() || dir.ends_with('/'))
}

/// The files the build writes, and the folders whose `index.html` it writes, so that a
/// link is looked up without building a string. The preview keeps it from one rebuild
/// to the next.
pub struct Targets {
    files: HashedNames,
    /// `villes/quebec/` and `villes/quebec` for `villes/quebec/index.html`; `` for home.
    folders: HashedNames,
}

impl Targets {
    pub fn new<'a>(files: impl IntoIterator<Item = &'a str>) -> Self {
        let mut targets = Targets {
            files: HashedNames::default(),
            folders: HashedNames::default(),
        };
        files.into_iter().for_each(|f| targets.insert(f));
        targets
    }

    /// Adds a file the build writes.
    pub fn insert(&mut self, file: &str) {
        if let Some(dir) = folder_of(file) {
            self.folders.insert(name_hash(dir));
            if let Some(bare) = dir.strip_suffix('/') {
                self.folders.insert(name_hash(bare));
            }
        }
        self.files.insert(name_hash(file));
    }

    /// Takes out a file the build no longer writes.
    pub fn remove(&mut self, file: &str) {
        if let Some(dir) = folder_of(file) {
            self.folders.remove(&name_hash(dir));
            if let Some(bare) = dir.strip_suffix('/') {
                self.folders.remove(&name_hash(bare));
            }
        }
        self.files.remove(&name_hash(file));
    }

    /// Whether a URL path names one of the files the build writes (`/villes/quebec/`
    /// names `villes/quebec/index.html`).
    pub fn resolves(&self, target: &str, base: &str) -> bool {
        let rel = target.strip_prefix(base).unwrap_or(target);
        let name = name_hash(rel);
        if rel.is_empty() || rel.ends_with('/') {
            self.folders.contains(&name)
        } else {
            self.files.contains(&name) || self.folders.contains(&name)
        }
    }
}

/// A link target as the link check looks it up (relative to the base path), hashed.
fn name_hash(rel: &str) -> u64 {
    BuildHasherDefault::<FxHasher>::default().hash_one(rel)
}

/// The names a link may give a file the build writes: `villes/quebec/index.html`,
/// `villes/quebec/` and `villes/quebec` for `villes/quebec/index.html`.
fn names_of(file: &str) -> impl Iterator<Item = &str> {
    let folder = folder_of(file);
    let bare = folder.and_then(|dir| dir.strip_suffix('/'));
    std::iter::once(file).chain(folder).chain(bare)
}

/// The file of `removed` that a link target names, if any.
pub fn removed_file<'a>(target: &str, base: &str, removed: &'a [String]) -> Option<&'a str> {
    let rel = target.strip_prefix(base).unwrap_or(target);
    (removed.iter())
        .find(|f| names_of(f).any(|name| name == rel))
        .map(String::as_str)
}

/// The internal links of each page of a build, each target hashed: the preview keeps
/// them from one rebuild to the next, so that when a rebuild removes a page (an
/// organisation no longer named, a fiche deleted), the pages it keeps that link to it are
/// found and checked again, as `fiches build` would check them (`linking_to`). A hash that
/// happens to match only has a page checked for nothing. The hashes of every page lie
/// end to end in one array, which `linking_to` reads straight through (a million links at
/// 10 000 cities, in a few milliseconds).
#[derive(Default)]
pub struct Linked {
    /// Each page's place in `spans`, by output file.
    ids: FxHashMap<String, usize>,
    /// Each page's output file and range of `hashes`.
    spans: Vec<(String, std::ops::Range<usize>)>,
    hashes: Vec<u64>,
    /// How many of `hashes` no page has any more.
    dead: usize,
}

impl Linked {
    /// Room for `pages` pages and `links` links in all.
    pub fn with_capacity(pages: usize, links: usize) -> Linked {
        Linked {
            ids: FxHashMap::with_capacity_and_hasher(pages, Default::default()),
            spans: Vec::with_capacity(pages),
            hashes: Vec::with_capacity(links),
            dead: 0,
        }
    }

    /// The links of a page as rendered last, replacing those it had.
    pub fn set(&mut self, page: String, links: Box<[u64]>) {
        let range = self.hashes.len()..self.hashes.len() + links.len();
        self.hashes.extend_from_slice(&links);
        match self.ids.get(&page) {
            Some(&id) => {
                let old = std::mem::replace(&mut self.spans[id].1, range);
                self.dead += old.len();
            }
            None => {
                self.ids.insert(page.clone(), self.spans.len());
                self.spans.push((page, range));
            }
        }
        self.compact();
    }

    /// Forgets a page the build no longer writes.
    pub fn forget(&mut self, page: &str) {
        if let Some(id) = self.ids.remove(page) {
            // The last page takes its place.
            let (_, range) = self.spans.swap_remove(id);
            self.dead += range.len();
            if let Some((moved, _)) = self.spans.get(id) {
                self.ids.insert(moved.clone(), id);
            }
        }
        self.compact();
    }

    /// Once most of the hashes are those of older versions, the others are moved together.
    fn compact(&mut self) {
        if self.dead < 1 << 16 || self.dead * 2 < self.hashes.len() {
            return;
        }
        let mut hashes = Vec::with_capacity(self.hashes.len() - self.dead);
        for (_, range) in &mut self.spans {
            let start = hashes.len();
            hashes.extend_from_slice(&self.hashes[range.clone()]);
            *range = start..hashes.len();
        }
        self.hashes = hashes;
        self.dead = 0;
    }

    /// The pages that link to one of the files `removed`, sorted, but for those files.
    pub fn linking_to(&self, removed: &[String]) -> Vec<&str> {
        if removed.is_empty() {
            return Vec::new();
        }
        let mut gone: Vec<u64> = (removed.iter())
            .flat_map(|f| names_of(f))
            .map(name_hash)
            .collect();
        gone.sort_unstable();
        let removed: HashSet<&str> = removed.iter().map(String::as_str).collect();
        let mut pages: Vec<&str> = (self.spans.iter())
            .filter(|(_, range)| {
                (self.hashes[range.clone()].iter()).any(|h| gone.binary_search(h).is_ok())
            })
            .map(|(page, _)| page.as_str())
            .filter(|page| !removed.contains(page))
            .collect();
        pages.sort_unstable();
        pages
    }
}

/// The hashed targets of a page's internal links (`internal_targets`), for `Linked`.
pub fn hashes(targets: &[&str], base: &str) -> Box<[u64]> {
    let mut hashes: Vec<u64> = (targets.iter())
        .map(|t| name_hash(t.strip_prefix(base).unwrap_or(t)))
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes.into_boxed_slice()
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
    fn finds_links_in_the_order_of_the_page() {
        let html = r#"<img src="/a.png"><a href=/b/>B</a><a href="/c/"><img alt="x=y" src=/d.png></a><a title="src=/e/" href=/f/>F</a>"#;
        assert_eq!(
            internal_targets(html.as_bytes(), "/"),
            vec!["/a.png", "/b/", "/c/", "/d.png", "/f/"]
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
    fn pages_linking_to_a_removed_page_are_found_under_any_of_its_names() {
        let mut linked = Linked::default();
        let page = |html: &str| hashes(&internal_targets(html.as_bytes(), "/fiches/"), "/fiches/");
        linked.set(
            "villes/levis/index.html".into(),
            page(r#"<a href="/fiches/organismes/cdc/#role">C</a><a href="/fiches/">A</a>"#),
        );
        linked.set(
            "villes/quebec/index.html".into(),
            page(r#"<a href=/fiches/organismes/cdc>C</a>"#),
        );
        linked.set(
            "secteurs/aines/index.html".into(),
            page(r#"<a href="/fiches/organismes/cdc/index.html">C</a>"#),
        );
        linked.set(
            "organismes/cdc/index.html".into(),
            page(
                r#"<a href="/fiches/organismes/cdc/">C</a><a href="/fiches/villes/quebec/">Q</a>"#,
            ),
        );
        linked.set(
            "villes/gatineau/index.html".into(),
            page(r#"<a href="/fiches/organismes/cdc-2/">C</a><a href="https://cdc.qc.ca/organismes/cdc/">S</a>"#),
        );
        assert_eq!(
            linked.linking_to(&["organismes/cdc/index.html".into()]),
            [
                "secteurs/aines/index.html",
                "villes/levis/index.html",
                "villes/quebec/index.html"
            ],
            "a removed page is not looked for in itself, nor in a page naming another"
        );
        assert_eq!(
            linked.linking_to(&["villes/quebec/index.html".into()]),
            ["organismes/cdc/index.html"]
        );
        linked.forget("organismes/cdc/index.html");
        assert_eq!(linked.spans.len(), 4, "a page forgotten leaves no entry");
        linked.set(
            "villes/levis/index.html".into(),
            page("<p>plus de lien</p>"),
        );
        assert_eq!(
            linked.linking_to(&["villes/quebec/index.html".into()]),
            Vec::<&str>::new()
        );
        assert_eq!(
            linked.linking_to(&["organismes/cdc/index.html".into()]),
            ["secteurs/aines/index.html", "villes/quebec/index.html"]
        );
    }

    #[test]
    fn the_hashes_of_older_versions_are_let_go() {
        let mut linked = Linked::default();
        let to = |page: &str| hashes(&[page], "/");
        linked.set("villes/levis/index.html".into(), to("/organismes/cdc/"));
        for i in 0..100_000 {
            let target = format!("/organismes/o-{}/", i % 7);
            linked.set("villes/quebec/index.html".into(), to(&target));
        }
        assert!(linked.hashes.len() < 70_000, "{}", linked.hashes.len());
        let removed = |page: &str| vec![page.to_string()];
        assert_eq!(
            linked.linking_to(&removed("organismes/o-4/index.html")),
            ["villes/quebec/index.html"],
            "the last version: 99 999 % 7 = 4"
        );
        assert!(
            linked
                .linking_to(&removed("organismes/o-3/index.html"))
                .is_empty()
        );
        assert_eq!(
            linked.linking_to(&removed("organismes/cdc/index.html")),
            ["villes/levis/index.html"]
        );
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
