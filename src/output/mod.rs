//! Output: every route rendered in parallel, its internal links checked, minified and
//! written to a staging folder as soon as it is rendered, so that no more than a few pages
//! are in memory at once; the staging folder replaces the output folder in one step when
//! every page is written, and is thrown away on any error.

mod folders;
mod links;

mod staging;

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::Failure;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{Generated, Renderer, Route, routes};
use crate::site::Site;
use folders::Folders;
pub use links::{Linked, Targets};
pub use staging::Staging;

/// What the build wrote, or would write: page files and static files by output path.
pub struct Output {
    pub pages: Vec<String>,
    pub assets: BTreeMap<String, PathBuf>,
    /// The internal links of each page, when the renderer is kept (`fiches serve`).
    pub links: Linked,
}

impl Output {
    pub fn file_count(&self) -> usize {
        self.pages.len() + self.assets.len()
    }
}

/// Static files of the theme, overridden by the site's `static/`, by output path.
pub fn assets(root: &Path, theme: &str) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for dir in [
        root.join("themes").join(theme).join("static"),
        root.join("static"),
    ] {
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if entry.file_type().is_file()
                && let Ok(rel) = entry.path().strip_prefix(&dir)
            {
                files.insert(
                    rel.to_string_lossy().replace('\\', "/"),
                    entry.path().to_path_buf(),
                );
            }
        }
    }
    files
}

/// The most pages a thread renders in one go before another thread may take the rest.
/// Left to itself, rayon cuts the pages into as many runs as there are threads, and a
/// run is rendered to its end by one thread: at 10 000 cities, the other core sat idle
/// for the last third of a second while one thread rendered the last city pages, which
/// cost several times an organisation's. A run of 32 pages is a few milliseconds.
const PAGES_PER_TASK: usize = 32;

/// Why one page could not be produced.
enum PageError {
    Content(Vec<Diagnostic>),
    Io(anyhow::Error),
}

/// Renders every page and checks every internal link. With `dest` (a staging folder),
/// each page is minified and written there as soon as it is checked, while the
/// generated files (open data, search index, feeds, schemas) are made and written beside
/// them, and the static files copied; without it, nothing is written or generated.
pub fn render(
    site: &Site,
    renderer: &Renderer,
    assets: BTreeMap<String, PathBuf>,
    generated: Vec<Generated<'_>>,
    dest: Option<&Path>,
) -> Result<Output, Failure> {
    let routes = routes(site);
    let generated_paths: Vec<String> = generated.iter().map(|g| g.path.clone()).collect();
    let base = &site.config.base_path;
    // A kept build (`fiches serve`) keeps the links of its pages, for its rebuilds.
    let record = renderer.keeps();
    // Every page's file and the link check's list of targets are made while the other
    // core begins the generated files: made before them, they left it idle.
    let pages = || -> Result<_, Failure> {
        let paths: Vec<String> = (routes.par_iter().with_max_len(PAGES_PER_TASK))
            .map(|r| r.output_file(site))
            .collect();
        let targets = Targets::new(
            (paths.iter().chain(assets.keys()).chain(&generated_paths)).map(String::as_str),
        );
        let folders = (dest
            .map(|d| Folders::new(d, &["villes", "secteurs", "enjeux", "organismes"])))
        .transpose()
        .map_err(Failure::Io)?;
        let results: Vec<Result<Box<[u64]>, PageError>> = (routes.par_iter())
            .zip(paths.par_iter())
            .with_max_len(PAGES_PER_TASK)
            .map(|(route, path)| {
                page(
                    site,
                    renderer,
                    route,
                    path,
                    &targets,
                    base,
                    folders.as_ref(),
                )
            })
            .collect();
        Ok((paths, results))
    };
    let (pages, written) = match dest {
        Some(dest) => rayon::join(pages, || {
            write_generated(generated, dest).and_then(|()| copy_assets(&assets, dest))
        }),
        None => (pages(), Ok(())),
    };
    let (mut paths, results) = pages?;
    let mut diags = Diagnostics::default();
    let mut links = if record {
        let count = results.iter().flatten().map(|h| h.len()).sum();
        Linked::with_capacity(paths.len(), count)
    } else {
        Linked::default()
    };
    for (result, path) in results.into_iter().zip(&paths) {
        match result {
            Ok(hashes) if record => links.set(path.clone(), hashes),
            Ok(_) => {}
            Err(PageError::Content(d)) => d.into_iter().for_each(|d| diags.push(d)),
            Err(PageError::Io(e)) => return Err(Failure::Io(e)),
        }
    }
    written.map_err(Failure::Io)?;
    if diags.has_errors() {
        return Err(Failure::Content(diags.into_sorted()));
    }
    paths.extend(generated_paths);
    Ok(Output {
        pages: paths,
        assets,
        links,
    })
}

/// One page: rendered, its links checked, then (with `dest`) minified and written; the
/// hashes of its links when the renderer is kept, else none.
fn page(
    site: &Site,
    renderer: &Renderer,
    route: &Route,
    path: &str,
    targets: &Targets,
    base: &str,
    dest: Option<&Folders>,
) -> Result<Box<[u64]>, PageError> {
    let (html, links) = checked_html(site, renderer, route, path, targets, base, &[])?;
    if let Some(dest) = dest {
        (dest.write(path, &renderer.finish(html))).map_err(PageError::Io)?;
    }
    Ok(links)
}

/// A page rendered, with its internal links checked against the files of the build, and
/// their hashes (`links::hashes`) when the renderer is kept (`fiches serve`, whose
/// rebuilds look them up). `removed` are the pages the rebuild removes, which a broken
/// link's hint names.
fn checked_html(
    site: &Site,
    renderer: &Renderer,
    route: &Route,
    path: &str,
    targets: &Targets,
    base: &str,
    removed: &[String],
) -> Result<(Vec<u8>, Box<[u64]>), PageError> {
    let html = renderer
        .render(site, route)
        .map_err(|d| PageError::Content(vec![d]))?;
    let internal = links::internal_targets(&html, base);
    let mut seen = HashSet::new();
    let broken: Vec<Diagnostic> = (internal.iter())
        .filter(|t| !targets.resolves(t, base) && seen.insert(**t))
        .map(|t| broken_link(site, route, path, t, links::removed_file(t, base, removed)))
        .collect();
    if !broken.is_empty() {
        return Err(PageError::Content(broken));
    }
    let hashes = if renderer.keeps() {
        links::hashes(&internal, base)
    } else {
        Box::default()
    };
    Ok((html, hashes))
}

/// Renders pages of a finished build again and writes each over its previous version in
/// `dest`. Each page is written to a temporary file beside its own as soon as it is
/// checked, so that a thread holds one page at a time (a published city added changes
/// 8 400 pages at 10 000 fiches, 230 MB), and the temporary files replace the pages
/// only once every page is rendered and written. Once a page fails, the others are
/// still rendered and checked, for their errors, but no longer written, and those
/// written are removed: on an error in a page, or in writing one, nothing changes (an
/// error in writing is the one returned). Only a failed renaming can leave some pages
/// replaced and not others. A reader (the preview server) sees a page's old version or
/// its new one, never half of one. `targets` are the files of the build, for the link
/// check; the `links` of the pages replaced are brought up to date. `removed` are the
/// pages the rebuild removes: a link to one is told apart from a mistyped one.
pub fn rewrite_pages(
    site: &Site,
    renderer: &Renderer,
    routes: &[Route],
    targets: &Targets,
    links: &mut Linked,
    dest: &Path,
    removed: &[String],
) -> Result<(), Failure> {
    let base = &site.config.base_path;
    let failing = AtomicBool::new(false);
    let fail = |e| {
        failing.store(true, Ordering::Relaxed);
        e
    };
    // Each page checked and written, or checked alone once another has failed.
    let written: Vec<_> = routes
        .par_iter()
        .with_max_len(PAGES_PER_TASK)
        .map(|route| {
            let path = route.output_file(site);
            let (html, hashes) =
                checked_html(site, renderer, route, &path, targets, base, removed).map_err(fail)?;
            if failing.load(Ordering::Relaxed) {
                return Ok(None);
            }
            let page = Replacement::written(dest.join(&path), &renderer.finish(html))
                .map_err(|e| fail(PageError::Io(e)))?;
            Ok(Some((path, page, hashes)))
        })
        .collect();
    let mut diags = Diagnostics::default();
    let mut failed = None;
    let mut pages = Vec::new();
    for page in written {
        match page {
            Ok(page) => pages.extend(page),
            Err(PageError::Content(d)) => d.into_iter().for_each(|d| diags.push(d)),
            Err(PageError::Io(e)) => {
                failed.get_or_insert(e);
            }
        }
    }
    debug_assert!(
        pages
            .iter()
            .map(|(path, _, _)| path)
            .collect::<HashSet<_>>()
            .len()
            == pages.len(),
        "two routes of one page would share its temporary file"
    );
    if failing.load(Ordering::Relaxed) {
        pages.par_iter().for_each(|(_, page, _)| page.discard());
        return Err(match failed {
            Some(e) => Failure::Io(e),
            None => Failure::Content(diags.into_sorted()),
        });
    }
    let renamed: Vec<Result<()>> = (pages.par_iter())
        .map(|(_, page, _)| page.put_in_place())
        .collect();
    for ((path, page, hashes), renamed) in pages.into_iter().zip(renamed) {
        match renamed {
            Ok(()) => links.set(path, hashes),
            Err(e) => {
                page.discard();
                failed.get_or_insert(e);
            }
        }
    }
    failed.map_or(Ok(()), |e| Err(Failure::Io(e)))
}

/// A page written to a temporary file beside the one it replaces.
struct Replacement {
    file: PathBuf,
    temp: PathBuf,
    /// The page's folder, when it was made for it: the page did not exist yet.
    made: Option<PathBuf>,
}

impl Replacement {
    /// Writes `bytes` to a temporary file beside `file` (`temp_beside`), making the
    /// page's folder when it does not exist; on an error, removes what it made. The file
    /// is written first and the folder made only if that fails for want of it: most
    /// rewritten pages exist, and a folder asked for again was one more system call for
    /// each (2.6 % of a published city's 8 400 pages, at 10 000 fiches).
    fn written(file: PathBuf, bytes: &[u8]) -> Result<Replacement> {
        let mut page = Replacement {
            temp: temp_beside(&file),
            file,
            made: None,
        };
        let mut result = std::fs::write(&page.temp, bytes);
        if let Err(e) = &result
            && e.kind() == std::io::ErrorKind::NotFound
            && let Some(dir) = page.file.parent()
        {
            page.made = made_folder(dir)?;
            result = std::fs::write(&page.temp, bytes);
        }
        if let Err(e) = result {
            page.discard();
            return Err(e).with_context(|| format!("écriture de {}", page.temp.display()));
        }
        Ok(page)
    }

    fn put_in_place(&self) -> Result<()> {
        (std::fs::rename(&self.temp, &self.file))
            .with_context(|| format!("remplacement de {}", self.file.display()))
    }

    /// Removes the temporary file, and the page's folder when it was made for it and is
    /// left empty.
    fn discard(&self) {
        let _ = std::fs::remove_file(&self.temp);
        if let Some(dir) = &self.made {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Makes the folder `dir` when it does not exist, and then returns it. Only the folder
/// itself is told: a page's folder is made in its section's, which exists.
fn made_folder(dir: &Path) -> Result<Option<PathBuf>> {
    let made = match std::fs::create_dir(dir) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("création de {}", dir.display()))?;
            true
        }
        Err(e) => return Err(e).with_context(|| format!("création de {}", dir.display())),
    };
    Ok(made.then(|| dir.to_path_buf()))
}

/// The generated files of a finished build made again, each in a task of its own, and
/// written over their previous versions as `rewrite_pages` writes pages (a temporary file
/// beside each, renamed over it), streamed to the disk as
/// they are made (`fiches.json` is 50 MB at 10 000 cities). Once `stopped` says so, a file
/// being written stops within 64 KiB (a small one, made whole before it is written, once
/// made) and stays as it was, its temporary file removed, as do those not yet begun; a
/// file already written is still renamed into place. Returns whether every file was
/// replaced. A temporary file is removed on an error too.
pub fn replace_generated(
    generated: Vec<Generated<'_>>,
    dest: &Path,
    stopped: &crate::Stopped,
) -> Result<bool> {
    let left = AtomicBool::new(false);
    generated.into_par_iter().try_for_each(|g| {
        if stopped() {
            left.store(true, Ordering::Relaxed);
            return Ok(());
        }
        let file = dest.join(&g.path);
        let temp = temp_beside(&file);
        let written = std::fs::File::create(&temp).and_then(|f| {
            let mut w = std::io::BufWriter::with_capacity(
                1 << 16,
                Stoppable {
                    file: f,
                    stop: stopped,
                },
            );
            g.write_to(&mut w)?;
            w.flush()
        });
        if written.is_err() {
            let _ = std::fs::remove_file(&temp);
            if stopped() {
                left.store(true, Ordering::Relaxed);
                return Ok(());
            }
        }
        written.with_context(|| format!("écriture de {}", temp.display()))?;
        std::fs::rename(&temp, &file).with_context(|| format!("remplacement de {}", file.display()))
    })?;
    Ok(!left.load(Ordering::Relaxed))
}

/// A file whose writes fail once `stop` says so.
struct Stoppable<'a> {
    file: std::fs::File,
    stop: &'a crate::Stopped<'a>,
}

impl Write for Stoppable<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if (self.stop)() {
            return Err(std::io::Error::other("arrêté par une modification"));
        }
        self.file.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// A hidden temporary file beside `file`, named after it and this process.
fn temp_beside(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The process's id, asked of the system once rather than for every page.
    static PID: std::sync::LazyLock<u32> = std::sync::LazyLock::new(std::process::id);
    file.with_file_name(format!(".{name}.{}.tmp", *PID))
}

fn copy_assets(assets: &BTreeMap<String, PathBuf>, dest: &Path) -> Result<()> {
    assets.par_iter().try_for_each(|(rel, src)| {
        let file = dest.join(rel);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("création de {}", dir.display()))?;
        }
        std::fs::copy(src, &file)
            .map(|_| ())
            .with_context(|| format!("copie de {} vers {}", src.display(), file.display()))
    })
}

/// Makes the generated files, each in a task of its own, and writes them.
fn write_generated(generated: Vec<Generated<'_>>, dest: &Path) -> Result<()> {
    generated.into_par_iter().try_for_each(|g| {
        let file = dest.join(&g.path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("création de {}", dir.display()))?;
        }
        let written = std::fs::File::create(&file).and_then(|f| {
            let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
            g.write_to(&mut w)?;
            w.flush()
        });
        written.with_context(|| format!("écriture de {}", file.display()))
    })
}

/// A dangling link, located in the content file that wrote it when it can be found there.
fn broken_link(
    site: &Site,
    route: &Route,
    page: &str,
    target: &str,
    removed: Option<&str>,
) -> Diagnostic {
    let source = match *route {
        Route::City(i) => Some(site.source_text(&site.cities[i].source_file)),
        Route::Sector(i) => Some(site.source_text(&site.sectors[i].source_file)),
        _ => None,
    };
    let message = format!("lien interne brisé vers `{target}` (page {page})");
    if let Some(src) = source
        && let Some((line, col)) = src.find(target)
    {
        let hint = match removed.and_then(|f| f.split('/').next()) {
            Some("organismes") => {
                "cette page n’existe plus : aucune fiche ne nomme plus cet organisme ; nommez-le de nouveau, ou retirez le lien"
            }
            Some("enjeux") => {
                "cette page n’existe plus : aucune fiche ne nomme plus cet enjeu ; nommez-le de nouveau, ou retirez le lien"
            }
            Some("villes" | "secteurs") => {
                "cette page n’existe plus : sa fiche a été supprimée, ou renommée ; rétablissez-la, ou corrigez ou retirez le lien"
            }
            Some(_) => {
                "cette page n’existe plus : retirez le lien, ou rétablissez ce qui la faisait"
            }
            None => {
                "cette page n’existe pas : vérifiez l’adresse (ex. `/villes/quebec/`), ou retirez le lien"
            }
        };
        return src
            .error_at(line, col, message)
            .with_width(target.chars().count())
            .with_hint(hint);
    }
    Diagnostic::file_error(Path::new(page), message)
        .with_hint("le lien vient d’un gabarit : corrigez le gabarit ou la donnée qu’il affiche")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_heard_while_a_file_is_made_leaves_it_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("fiches.json");
        std::fs::write(&file, "avant").unwrap();
        let stop = AtomicBool::new(false);
        let made = vec![Generated::streamed("fiches.json", |w| {
            // More than the writer's buffer: part of it reaches the temporary file.
            w.write_all(&[b'a'; 200_000])?;
            stop.store(true, Ordering::Relaxed);
            w.write_all(&[b'b'; 200_000])
        })];
        let stopped = || stop.load(Ordering::Relaxed);
        assert!(!replace_generated(made, dir.path(), &stopped).unwrap());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "avant");
        let names: Vec<_> = (std::fs::read_dir(dir.path()).unwrap())
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["fiches.json"], "no temporary file is left");

        // Already stopped: nothing is made.
        let made = vec![Generated::new("fiches.json", || {
            panic!("made after the stop")
        })];
        assert!(!replace_generated(made, dir.path(), &stopped).unwrap());

        let made = vec![Generated::new("fiches.json", || b"apres".to_vec())];
        assert!(replace_generated(made, dir.path(), &|| false).unwrap());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "apres");
    }

    /// What a replacement made, and only that, is taken back when it is let go: the
    /// folder is now made after the write failed for want of it, not before.
    #[test]
    fn a_replacement_makes_the_folder_of_a_new_page_and_takes_back_only_that() {
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path().join("villes/quebec/index.html");
        std::fs::create_dir_all(existing.parent().unwrap()).unwrap();
        std::fs::write(&existing, "avant").unwrap();

        // A page that exists: its folder is not made, and stays when the page is let go.
        let page = Replacement::written(existing.clone(), b"apres").unwrap();
        assert!(page.made.is_none());
        assert_eq!(std::fs::read_to_string(&page.temp).unwrap(), "apres");
        page.discard();
        assert!(!page.temp.exists());
        assert_eq!(std::fs::read_to_string(&existing).unwrap(), "avant");

        // A new page: its folder is made, and removed when the page is let go.
        let new = dir.path().join("villes/levis/index.html");
        let page = Replacement::written(new.clone(), b"Levis").unwrap();
        assert_eq!(page.made.as_deref(), new.parent());
        page.discard();
        assert!(!new.parent().unwrap().exists());

        // Put in place, it replaces the page.
        let page = Replacement::written(new.clone(), b"Levis").unwrap();
        page.put_in_place().unwrap();
        assert_eq!(std::fs::read_to_string(&new).unwrap(), "Levis");
        let names: Vec<_> = (std::fs::read_dir(new.parent().unwrap()).unwrap())
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["index.html"], "no temporary file is left");
    }
}
