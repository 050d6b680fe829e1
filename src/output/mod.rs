//! Output: every route rendered in parallel, internal links checked, pages minified,
//! then written to a staging folder that replaces the output folder in one step.

mod links;
mod minify;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{Renderer, routes};
use crate::site::Site;

/// What the build will write: pages in memory, static files by their source path.
pub struct Output {
    pub pages: Vec<(String, Vec<u8>)>,
    pub assets: BTreeMap<String, PathBuf>,
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

/// Renders every page and checks every internal link; nothing is written.
pub fn render(
    site: &Site,
    renderer: &Renderer,
    assets: BTreeMap<String, PathBuf>,
) -> Result<Output, Diagnostics> {
    let routes = routes(site);
    let rendered: Vec<Result<(String, String), Diagnostic>> = routes
        .par_iter()
        .map(|r| {
            renderer
                .render(site, r)
                .map(|html| (r.output_file(site), html))
        })
        .collect();
    let mut diags = Diagnostics::default();
    let mut pages = Vec::with_capacity(rendered.len());
    for (route, result) in routes.iter().zip(rendered) {
        match result {
            Ok(page) => pages.push((*route, page)),
            Err(d) => diags.push(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }

    let data_files = crate::render::files(site, &routes);
    let mut files: HashSet<String> = pages.iter().map(|(_, (p, _))| p.clone()).collect();
    files.extend(assets.keys().cloned());
    files.extend(data_files.iter().map(|(p, _)| p.clone()));
    let base = &site.config.base_path;
    let broken: Vec<Diagnostic> = pages
        .par_iter()
        .flat_map_iter(|(route, (path, html))| {
            let mut seen = HashSet::new();
            links::internal_targets(html, base)
                .into_iter()
                .filter(|t| !links::resolves(t, base, &files) && seen.insert(*t))
                .map(|t| broken_link(site, route, path, t))
                .collect::<Vec<_>>()
        })
        .collect();
    for d in broken {
        diags.push(d);
    }
    if diags.has_errors() {
        return Err(diags);
    }

    let mut pages: Vec<(String, Vec<u8>)> = pages
        .into_par_iter()
        .map(|(_, (path, html))| {
            let bytes = minify::html(&html);
            (path, bytes)
        })
        .collect();
    pages.extend(data_files);
    Ok(Output { pages, assets })
}

/// A dangling link, located in the content file that wrote it when it can be found there.
fn broken_link(site: &Site, route: &crate::render::Route, page: &str, target: &str) -> Diagnostic {
    use crate::render::Route;
    let source = match *route {
        Route::City(i) => Some(&site.cities[i].source_file),
        Route::Sector(i) => Some(&site.sectors[i].source_file),
        _ => None,
    };
    let message = format!("lien interne brisé vers `{target}` (page {page})");
    if let Some(src) = source
        && let Some((line, col)) = src.find(target)
    {
        return src
            .error_at(line, col, message)
            .with_width(target.chars().count())
            .with_hint("cette page n’existe pas : vérifiez l’adresse (ex. `/villes/quebec/`), ou retirez le lien");
    }
    Diagnostic::file_error(Path::new(page), message)
        .with_hint("le lien vient d’un gabarit : corrigez le gabarit ou la donnée qu’il affiche")
}

/// Writes `output` into a staging folder beside `out`, then puts it in place of `out`.
/// On any failure the previous `out` is left as it was.
pub fn write(output: &Output, out: &Path) -> Result<()> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("création de {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);

    let result = (|| -> Result<()> {
        let dirs: HashSet<PathBuf> = output
            .pages
            .iter()
            .map(|(p, _)| p.as_str())
            .chain(output.assets.keys().map(String::as_str))
            .filter_map(|p| staging.join(p).parent().map(Path::to_path_buf))
            .collect();
        for d in &dirs {
            std::fs::create_dir_all(d).with_context(|| format!("création de {}", d.display()))?;
        }
        output.pages.par_iter().try_for_each(|(path, bytes)| {
            let dest = staging.join(path);
            std::fs::write(&dest, bytes).with_context(|| format!("écriture de {}", dest.display()))
        })?;
        output.assets.par_iter().try_for_each(|(rel, src)| {
            let dest = staging.join(rel);
            std::fs::copy(src, &dest)
                .map(|_| ())
                .with_context(|| format!("copie de {} vers {}", src.display(), dest.display()))
        })?;
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }

    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, &old).with_context(|| format!("déplacement de {}", out.display()))?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        if had_old {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e).with_context(|| format!("mise en place de {}", out.display()));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}
