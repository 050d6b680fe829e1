//! Rebuilding after an edit: what `fiches serve` does on every save.
//!
//! A workspace keeps the model and the templates of its last full build. When the only
//! files that changed are fiches it knows, each still without error and with the same
//! structural key (`content::key`), the edit can show on one page only: the fiche's own.
//! The new version is put into the model, its page is rendered, checked and written over
//! the old one, and the open data is written again afterwards (`refresh_data`). Every
//! list, card, organisation and issue page reads only what the key covers (see
//! `render::Shared`), so they are unchanged by construction. Anything else — a new,
//! renamed or deleted fiche, a renamed partner, a figure, a registry, a template,
//! `site.yaml` — is a full build.
//!
//! A fiche saved with an error leaves the model as it was and is remembered as broken;
//! fixing it is again a one-page rebuild. The result is the same, byte for byte, as a
//! full build of the same files (tests/incremental.rs).

use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::{self, Fiche};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{self, Renderer, Route};
use crate::site::{self, Site};
use crate::{Failure, Options, Report, output, schema};

/// A site being edited, and its last full build.
pub struct Workspace {
    root: PathBuf,
    options: Options,
    last: Option<Last>,
}

/// The last full build, kept up to date by one-page rebuilds.
struct Last {
    site: Site,
    renderer: Renderer,
    /// The folder the build is in.
    out: PathBuf,
    /// Every file of the build, for the link check of a rebuilt page.
    targets: output::Targets,
    /// The route of each fiche, by its file's path relative to the root.
    fiches: HashMap<PathBuf, Route>,
    /// Fiches saved with an error since, and their diagnostics.
    broken: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Whether the open data, search index and feeds lag behind the pages.
    data_stale: bool,
}

/// What a one-page rebuild did.
#[derive(Debug)]
pub struct Patched {
    /// The output files written again, relative to the output folder.
    pub pages: Vec<String>,
    pub elapsed: Duration,
}

impl Workspace {
    pub fn new(root: &Path, options: Options) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
            options,
            last: None,
        }
    }

    /// Builds the whole site into `out`, like `fiches build`, and keeps what a one-page
    /// rebuild needs. After a failure, the next `update` asks for a full build again.
    pub fn build(&mut self, out: &Path) -> Result<Report, Failure> {
        self.last = None;
        let built = crate::run_keeping(&self.root, Some(out), &self.options)?;
        let site = built.site;
        let output = &built.output;
        let targets = output::Targets::new(
            (output.pages.iter().chain(output.assets.keys())).map(String::as_str),
        );
        let fiches = (site.cities.iter().enumerate())
            .map(|(i, c)| (c.source_file.path.clone(), Route::City(i)))
            .chain(
                (site.sectors.iter().enumerate())
                    .map(|(i, s)| (s.source_file.path.clone(), Route::Sector(i))),
            )
            .collect();
        self.last = Some(Last {
            site,
            renderer: built.renderer,
            out: out.to_path_buf(),
            targets,
            fiches,
            broken: BTreeMap::new(),
            data_stale: false,
        });
        Ok(built.report)
    }

    /// Takes the paths that changed since the last build (relative to the root) and
    /// rebuilds the pages they show on, when that is one page per fiche. `Ok(None)`: a
    /// full build is needed (`build`). `Err`: a changed fiche has an error; the pages of
    /// the others are rebuilt, and the error stands until that fiche is fixed.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Option<Patched>, Failure> {
        let start = Instant::now();
        // With --strict, warnings fail the build, and only a full build collects them.
        if self.options.strict {
            return Ok(None);
        }
        let Some(last) = self.last.as_mut() else {
            return Ok(None);
        };
        let changed: Vec<&PathBuf> = changed.iter().filter(|p| matters(p)).collect();
        if changed.is_empty() {
            return Ok(Some(Patched {
                pages: Vec::new(),
                elapsed: start.elapsed(),
            }));
        }
        // Every changed path must be a known fiche that still exists, or it is a full build.
        if changed.iter().any(|p| !last.fiches.contains_key(*p)) {
            return Ok(None);
        }
        let mut read = Vec::new();
        for rel in &changed {
            let (fiche, diags) = content::read_fiche(&self.root, rel);
            match fiche {
                None if !self.root.join(rel).is_file() => return Ok(None),
                None => {
                    last.broken.insert((*rel).clone(), diags.into_sorted());
                }
                Some(fiche) => read.push(((*rel).clone(), fiche)),
            }
        }
        // A changed key shows on other pages: a full build, before anything is patched.
        for (rel, fiche) in &read {
            let key = match (fiche, last.fiches[rel]) {
                (Fiche::City(d), Route::City(i)) => (d.key, last.site.cities[i].key),
                (Fiche::Sector(d), Route::Sector(i)) => (d.key, last.site.sectors[i].key),
                _ => return Ok(None),
            };
            if key.0 != key.1 {
                return Ok(None);
            }
        }
        let mut pages = Vec::new();
        for (rel, fiche) in read {
            let route = last.fiches[&rel];
            match (fiche, route) {
                (Fiche::City(doc), Route::City(i)) => {
                    site::patch_city(&mut last.site.cities[i], doc);
                }
                (Fiche::Sector(doc), Route::Sector(i)) => {
                    site::patch_sector(&mut last.site.sectors[i], doc);
                }
                _ => return Ok(None),
            }
            match output::rewrite_pages(
                &last.site,
                &last.renderer,
                &[route],
                &last.targets,
                &last.out,
            ) {
                Ok(()) => {
                    last.broken.remove(&rel);
                    last.data_stale = true;
                    pages.push(route.output_file(&last.site));
                }
                Err(Failure::Content(d)) => {
                    last.broken.insert(rel, d);
                }
                Err(io) => return Err(io),
            }
        }
        if !last.broken.is_empty() {
            let mut all = Diagnostics::default();
            last.broken
                .values()
                .flatten()
                .for_each(|d| all.push(d.clone()));
            return Err(Failure::Content(all.into_sorted()));
        }
        Ok(Some(Patched {
            pages,
            elapsed: start.elapsed(),
        }))
    }

    /// Writes the open data, search index and feeds again after one-page rebuilds; they
    /// list every fiche with every field, so they are generated whole. Nothing to do when
    /// they are up to date or a fiche is broken. Returns whether it wrote them.
    pub fn refresh_data(&mut self) -> Result<bool, Failure> {
        let Some(last) = self.last.as_mut() else {
            return Ok(false);
        };
        if !last.data_stale || !last.broken.is_empty() {
            return Ok(false);
        }
        let mut files = render::files(&last.site, &render::routes(&last.site));
        files.extend(schema::files());
        for (rel, bytes) in files {
            output::replace_file(&last.out.join(rel), &bytes).map_err(Failure::Io)?;
        }
        last.data_stale = false;
        Ok(true)
    }
}

/// Whether a changed path can change the site: hidden files (an editor's swap, lock and
/// backup files) and files in a fiche folder that are not fiches cannot.
fn matters(rel: &Path) -> bool {
    let hidden = rel.components().any(|c| match c {
        Component::Normal(name) => name.to_str().is_some_and(|n| n.starts_with('.')),
        _ => false,
    });
    if hidden {
        return false;
    }
    let mut parts = rel.components().map(|c| c.as_os_str().to_str());
    let in_fiche_folder = parts.next() == Some(Some("content"))
        && matches!(parts.next(), Some(Some("villes" | "secteurs")));
    !in_fiche_folder || content::is_fiche_path(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_do_not_matter() {
        assert!(matters(Path::new("content/villes/levis.yaml")));
        assert!(matters(Path::new("content/secteurs/aines.md")));
        assert!(matters(Path::new("site.yaml")));
        assert!(matters(Path::new("themes/default/templates/ville.html")));
        assert!(!matters(Path::new("content/villes/.levis.yaml.swp")));
        assert!(!matters(Path::new("content/villes/.#levis.yaml")));
        assert!(!matters(Path::new("content/villes/levis.yaml~")));
        assert!(!matters(Path::new("content/villes/4913")));
        assert!(!matters(Path::new("themes/default/.git/index")));
    }
}
