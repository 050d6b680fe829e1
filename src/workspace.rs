//! Rebuilding after an edit: what `fiches serve` does on every save.
//!
//! A workspace keeps the model and the templates of its last build. Nine ways to bring
//! the output up to date, from the cheapest:
//!
//! - **One page.** When the only files that changed are fiches it knows, each still
//!   without error and with the same structural key (`content::key`), the edit can show
//!   on one page only: the fiche's own. The new version is put into the model, its page
//!   is rendered, checked and written over the old one. Every list, card, organisation
//!   and issue page reads only what the key covers (see `render::Shared`), so they are
//!   unchanged by construction.
//! - **A fiche's partners.** When one city or project changed, and only in its partners
//!   (a project's lead organisation too) and what its own page shows (its card key,
//!   `content::key`, is the same; for a project whose lead changed, its frame key, the
//!   card key without the lead), its partners are resolved against the last model and
//!   put into it in place (`site::partners`): the fiche's page, the pages of the
//!   organisations whose roles changed, and the list of organisations are rendered
//!   again, the lists that count organisations when there are more or fewer, and those
//!   that show a project's card when its lead changed. Where the outcome could hang on
//!   the order the fiches are read in, this gives way to the next.
//! - **A city's card.** When one city changed, and only in its figures, region or
//!   territory and what its own page shows (its frame key is the same), they are put
//!   into the model in place and the comparisons where its bars differ are made again
//!   (`site::patch_card`): the city's page, the lists that show its card, and the
//!   pages of the cities whose charts changed — those whose rank it passed, or every
//!   city of a comparison whose largest values changed — are rendered again. When the
//!   number of kinds of figure changes, the charts no longer match by place, and this
//!   gives way to the next; kinds replaced or reordered make every comparison again.
//! - **A fiche's issues.** When one city or project changed, and only in its issues and
//!   what its own page shows (its issues key is the same), its issues are put into the
//!   model in place and it joins or leaves the lists of those issues (`site::issues`):
//!   the fiche's page, the lists that show its card, the pages of the issues it joined or
//!   left, the list of issues, which counts them, and the home page, which lists them,
//!   are rendered again. An issue named otherwise than by its whole name or
//!   an alias, or, without `content/enjeux.yaml`, an edit that could change which fiche
//!   first names an issue (which spells it), gives way to the next.
//! - **A fiche's name or place.** When one city changed, and only in its name or status,
//!   or one project in its title, order or region, and what its own page shows (its
//!   structural key, computed with the old values, is the same), it moves to its new
//!   place in the list of its kind and its name changes where it is listed
//!   (`site::rename`): its page, the lists that show its card, the pages of the
//!   organisations and issues that name it, the counting lists when a city's status
//!   changed, and the city pages whose charts changed are rendered again. A name that
//!   folds as another fiche's of its kind, or a change of the city that first shows a
//!   kind of figure, gives way to the next.
//! - **A fiche added or deleted.** When the only file that changed is a new fiche's,
//!   without error, or a fiche's that was deleted, the fiche is put into the model or
//!   taken out of it in place (`site::added`): its organisations' roles and its issues'
//!   lists as above, its place in the list of its kind, the routes of the fiches of its
//!   kind after it moved by one, and for a published city the comparisons of its kinds
//!   of figure made again. Its page (or its removal), the lists of its kind, the lists
//!   that count the fiches, the pages of its organisations and issues, and for a
//!   published city the pages of the cities whose charts changed (each counts the cities
//!   it compares: every city of those comparisons) are rendered again. Where the outcome
//!   could hang on the order of reading (the first to name an organisation or an issue,
//!   a name that folds as another's) or a city would be the first to show a kind of
//!   figure, this gives way to the next.
//! - **Several fiches, one by one.** When a few fiches changed at once (a fiche's
//!   file renamed, fiches added or deleted together by a `git pull`), none of them a
//!   published city and none with an error, each is patched in turn as if saved alone,
//!   those deleted first (`Workspace::one_by_one`). A step that gives way or fails
//!   leaves the rest to the next.
//! - **The pages that changed.** Any other change under `content/` (a published city's
//!   file renamed, a kind of figure more or fewer, a partner, a figure, an issue, a
//!   name, a fiche added or deleted that gave way, a registry): the
//!   fiches whose files changed are parsed again, the others taken as last read
//!   (`content::Cache`), the site is modelled again, and compared with the last model
//!   (`diff`): a page whose city, project, issue or organisation is unchanged is left
//!   alone; another is rendered again only when its fingerprint — a hash of its
//!   template's name and of every value the template is given
//!   (`Renderer::fingerprint`) — differs from the one it had in the last model. Pages
//!   that no longer exist are removed.
//! - **Everything**, into a new folder: a template, a static file, `site.yaml`.
//!
//! The open data, search index and feeds are written again afterwards, once the editor
//! pauses (`refresh_data`); after a patch of the model (a fiche's partners, card, issues
//! or name, a fiche added or deleted), every fiche is read and modelled again first, for
//! the warnings, which look at every fiche (the pages are already right: that reading
//! changes none). A fiche saved with an error leaves the model as it was and is
//! remembered as broken; fixing it is again a one-page rebuild.
//! The result is the same, byte for byte, as a full build of the same files
//! (tests/incremental.rs).

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::content::{self, Fiche};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::{self, Renderer, Route};
use crate::site::{self, Site, comparisons};
use crate::{Failure, Options, Report, Stopped, output};

/// A site being edited, and its last full build.
pub struct Workspace {
    root: PathBuf,
    options: Options,
    last: Option<Last>,
    /// The fiches as last read, so that a rebuild parses only those that changed.
    cache: content::Cache,
}

/// The last build, kept up to date by partial rebuilds.
struct Last {
    site: Site,
    renderer: Renderer,
    /// The folder the build is in.
    out: PathBuf,
    /// Every file of the build, for the link check of a rebuilt page.
    targets: output::Targets,
    /// The internal links of every page, for the pages that link to one a rebuild removes.
    links: output::Linked,
    /// Pages a failed patch of the model took out of it (`patched`) but left on disk:
    /// the next reading removes those it does not make again.
    gone: Vec<String>,
    /// Whether the model may differ from the files: a partial rebuild failed since.
    stale: bool,
    /// The route of each fiche, by its file's path relative to the root.
    fiches: FxHashMap<PathBuf, Route>,
    /// The route of each page, by its output file.
    pages: FxHashMap<String, Route>,
    /// Fiches saved with an error since, and their diagnostics.
    broken: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Pages whose fiche is in the model as last saved but could not be written (a
    /// broken link): the page on disk is older than the model.
    unwritten: HashSet<String>,
    /// Whether the open data, search index and feeds lag behind the pages.
    data_stale: bool,
    /// Whether the model was patched in place (`one_city`, `one_fiche_more_or_less`)
    /// since the fiches were last modelled whole: the warnings, which look at every
    /// fiche, lag behind it.
    unsettled: bool,
}

/// What `refresh_data` did.
#[derive(Debug, Default)]
pub struct Refreshed {
    /// The reading of every fiche after a patch of the model: its warnings, and the pages
    /// it wrote (none, when the patch was right).
    pub settled: Option<Patched>,
    /// Whether the open data, search index and feeds were written.
    pub data: bool,
    /// Whether a change stopped it before it was done: what is left is for the next
    /// pause.
    pub interrupted: bool,
}

/// What of one city an edit changed, put into the model in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InPlace {
    /// Its partners, a city's or a project's (`site::partners`).
    Partners,
    /// A city's figures, region or territory (`site::patch_card`), a city's status or a
    /// project's order or region (`site::rename`): its card.
    Card,
    /// Its issues, a city's or a project's (`site::issues`).
    Issues,
    /// Its name, a city's or a project's (`site::rename`).
    Name,
    /// A project's lead organisation, with its partners (`site::partners`): its card and
    /// the organisations' pages.
    Lead,
    /// A city or a project added: a new file (`site::added`).
    Added,
    /// A city or a project deleted: its file gone (`site::added`).
    Removed,
    /// Several fiches changed at once, each patched in turn (`Workspace::one_by_one`).
    Several,
}

/// What a partial rebuild did.
#[derive(Debug, Default)]
pub struct Patched {
    /// The output files written again, relative to the output folder.
    pub pages: Vec<String>,
    /// The output files removed: pages that no longer exist.
    pub removed: Vec<String>,
    /// Whether every fiche was read again (a change that shows on other pages).
    pub reread: bool,
    /// What of a city was put into the model in place, if it was.
    pub in_place: Option<InPlace>,
    /// The warnings of the content, when it was read again.
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
    /// The wall time of each stage of a rebuild that read the fiches again, and the
    /// memory held after it (`FICHES_TIMINGS=1 fiches serve` prints them).
    pub phases: Vec<crate::Phase>,
}

impl Patched {
    /// Takes `next`, a rebuild made after this one, as part of it: a page written then
    /// removed is removed, one removed then written is written.
    fn then(&mut self, next: Patched) {
        let (written, gone): (HashSet<&String>, HashSet<&String>) =
            (next.pages.iter().collect(), next.removed.iter().collect());
        self.pages.retain(|p| !gone.contains(p));
        self.removed.retain(|p| !written.contains(p));
        self.pages.extend(next.pages);
        self.removed.extend(next.removed);
        for list in [&mut self.pages, &mut self.removed] {
            list.sort_unstable();
            list.dedup();
        }
        self.reread |= next.reread;
        self.in_place = (!self.reread).then_some(InPlace::Several);
        if next.reread {
            self.warnings = next.warnings;
        }
        self.phases.extend(next.phases);
    }
}

impl Workspace {
    pub fn new(root: &Path, options: Options) -> Workspace {
        Workspace {
            root: root.to_path_buf(),
            options,
            last: None,
            cache: content::Cache::default(),
        }
    }

    /// Builds the whole site into `out`, like `fiches build`, and keeps what a one-page
    /// rebuild needs; `changed` are the paths saved since the last build, which are read
    /// again whatever their stamps. After a failure, the next `update` asks for a full build again.
    pub fn build(&mut self, out: &Path, changed: &[PathBuf]) -> Result<Report, Failure> {
        self.last = None;
        changed.iter().for_each(|p| self.cache.forget(p));
        self.cache.forget_listing();
        let built =
            crate::run_keeping(&self.root, Some(out), &self.options, Some(&mut self.cache))?;
        let site = built.site;
        let output = built.output;
        let targets = output::Targets::new(
            (output.pages.iter().chain(output.assets.keys())).map(String::as_str),
        );
        let fiches = fiche_routes(&site);
        let pages = page_routes(&site);
        self.last = Some(Last {
            site,
            renderer: built.renderer,
            out: out.to_path_buf(),
            targets,
            links: output.links,
            gone: Vec::new(),
            stale: false,
            fiches,
            pages,
            broken: BTreeMap::new(),
            unwritten: HashSet::new(),
            data_stale: false,
            unsettled: false,
        });
        Ok(built.report)
    }

    /// Takes the paths that changed since the last build (relative to the root) and
    /// rebuilds the pages they change: one page per fiche when that is all an edit
    /// changes, else the pages whose fingerprint changed. `Ok(None)`: a full build is
    /// needed (`build`). `Err`: the content has an error; the error stands until it is
    /// fixed, and the output stays as it was (but for the pages of fiches saved without
    /// error in the meantime, as a full build would write them).
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Option<Patched>, Failure> {
        let start = Instant::now();
        // With --strict, warnings fail the build, and only a full build collects them.
        if self.options.strict || self.last.is_none() {
            return Ok(None);
        }
        let changed: Vec<&PathBuf> = changed.iter().filter(|p| matters(p)).collect();
        // Whatever their stamps, the files saved are read again.
        changed.iter().for_each(|p| self.cache.forget(p));
        if changed.is_empty() {
            return Ok(Some(Patched::default()));
        }
        if !changed.iter().all(|p| p.starts_with("content")) {
            return Ok(None);
        }
        // Fiche files are looked for again only when one may have come or gone: a
        // saved path that is not a fiche of the model, or is no longer a file; or after a
        // failed rebuild, since which the model no longer tells the files.
        let known = |p: &&PathBuf| {
            self.last
                .as_ref()
                .is_some_and(|l| !l.stale && l.fiches.contains_key(*p))
                && self.root.join(p).is_file()
        };
        if !changed.iter().all(known) {
            self.cache.forget_listing();
        }
        match self.one_page_each(&changed)? {
            Some(mut patched) => {
                patched.elapsed = start.elapsed();
                Ok(Some(patched))
            }
            None => {
                let mut patched = match self.in_place(&changed)? {
                    Some(patched) => patched,
                    None => match self.one_by_one(&changed)? {
                        Some(patched) => patched,
                        None => self.changed_pages()?,
                    },
                };
                patched.elapsed = start.elapsed();
                Ok(Some(patched))
            }
        }
    }

    /// The rebuild of one fiche changed, added or deleted, patched into the model in
    /// place (`one_city`, `one_fiche_more_or_less`); `Ok(None)`, before anything is
    /// changed, when the change is not that or the patch gives way.
    fn in_place(&mut self, changed: &[&PathBuf]) -> Result<Option<Patched>, Failure> {
        match self.one_city(changed)? {
            Some(patched) => Ok(Some(patched)),
            None => self.one_fiche_more_or_less(changed),
        }
    }

    /// The rebuild after several fiches changed at once — a fiche's file renamed (one
    /// deleted, one added), a few fiches added or deleted together by a `git pull` — each
    /// patched into the model in turn as if it had been saved alone: those deleted first
    /// (a fiche's file renamed frees its name for the new one), then the others in the
    /// order given. Each step is a patch of the model as it is after the one before, so
    /// that the last leaves the pages of a full build. A step that gives way, or fails
    /// (a link to the new file of a fiche read later, for one), leaves the rest to a
    /// reading of every fiche (`changed_pages`), which starts from the model the steps
    /// made and reports only what is wrong once every file is read.
    ///
    /// `Ok(None)`, before anything is changed, for one path or more than `MOST_STEPS`
    /// (each step renders the lists that count the fiches: past a few, one reading is
    /// faster), for a model that is not the files', for a path that is not a fiche's (a
    /// registry), for a fiche with an error (no step writes a page before the error is
    /// reported), or for a published city among them: its charts are drawn on thousands
    /// of city pages, which each step could render again, where one reading renders
    /// them once.
    fn one_by_one(&mut self, changed: &[&PathBuf]) -> Result<Option<Patched>, Failure> {
        const MOST_STEPS: usize = 6;
        let Some(last) = self.last.as_ref() else {
            return Ok(None);
        };
        let settled = !last.stale && last.broken.is_empty() && last.unwritten.is_empty();
        if !(2..=MOST_STEPS).contains(&changed.len()) || !settled {
            return Ok(None);
        }
        let (mut steps, mut rest) = (Vec::new(), Vec::new());
        for &rel in changed {
            let known = last.fiches.get(rel);
            if let Some(&Route::City(i)) = known
                && last.site.cities[i].published
            {
                return Ok(None);
            }
            if !self.root.join(rel).is_file() {
                match known {
                    Some(_) => steps.push(rel),
                    None => return Ok(None),
                }
                continue;
            }
            match content::read_fiche(&self.root, rel) {
                (_, diags) if diags.has_errors() => return Ok(None),
                (Some(Fiche::City(doc)), _) if doc.data.statut == content::Status::Publiee => {
                    return Ok(None);
                }
                (Some(_), _) => rest.push(rel),
                (None, _) => return Ok(None),
            }
        }
        steps.extend(rest);
        let mut done = Patched::default();
        for rel in steps {
            let one = [rel];
            let step = match self.one_page_each(&one) {
                Ok(None) => self.in_place(&one),
                step => step,
            };
            match step {
                Ok(Some(patched)) => done.then(patched),
                // The model is as the steps before left it; the reading compares with it.
                Ok(None) | Err(_) => {
                    done.then(self.changed_pages()?);
                    return Ok(Some(done));
                }
            }
        }
        Ok(Some(done))
    }

    /// The rebuild of one city whose partners changed, or its card, or its issues, or its
    /// name or status, or of one project whose partners or lead organisation, issues,
    /// title, order or region changed, and nothing else shown outside its page: the fiche
    /// is changed in the model in place (`partners_of_fiche`, `card_of_city`,
    /// `site::issues`, `renamed`), then the pages that show what changed are rendered
    /// again. `Ok(None)`, before anything is changed, when the edit is not that.
    fn one_city(&mut self, changed: &[&PathBuf]) -> Result<Option<Patched>, Failure> {
        let Some((last, rel)) = patchable(self.last.as_mut(), changed) else {
            return Ok(None);
        };
        let Some(&route) = last.fiches.get(rel) else {
            return Ok(None);
        };
        let mut phases = crate::Phases::start();
        let (fiche, diags) = content::read_fiche(&self.root, rel);
        let Some(fiche) = fiche.filter(|_| !diags.has_errors()) else {
            return Ok(None);
        };
        phases.mark("lecture");
        let (i, doc) = match (route, fiche) {
            (Route::City(i), Fiche::City(doc)) => (i, doc),
            (Route::Sector(j), Fiche::Sector(doc)) => {
                let sector = &last.site.sectors[j];
                let patched = if doc.frame_key == sector.frame_key {
                    // Its organisations changed; its lead too when its card did.
                    let lead = doc.card_key != sector.card_key;
                    partners_of_fiche(last, route, Fiche::Sector(doc)).map(
                        |(mut routes, removed)| {
                            if !lead {
                                return (routes, removed, InPlace::Partners);
                            }
                            routes.extend(last.renderer.patch_sector_card(&last.site, j));
                            (routes, removed, InPlace::Lead)
                        },
                    )
                } else if doc.issues_key == sector.issues_key {
                    site::issues::sector_issues(&mut last.site, j, doc).map(|changed| {
                        let mut routes = vec![route];
                        routes.extend(last.renderer.patch_sector_card(&last.site, j));
                        routes.extend(last.renderer.patch_enjeux(&last.site, &changed));
                        (routes, Vec::new(), InPlace::Issues)
                    })
                } else {
                    renamed(last, route, Fiche::Sector(doc))
                        .map(|(routes, in_place)| (routes, Vec::new(), in_place))
                };
                return match patched {
                    Some((routes, removed, in_place)) => {
                        self.patched(routes, removed, in_place, phases)
                    }
                    None => Ok(None),
                };
            }
            _ => return Ok(None),
        };
        let city = &last.site.cities[i];
        let (routes, removed, in_place) = if doc.card_key == city.card_key {
            match partners_of_fiche(last, route, Fiche::City(doc)) {
                Some((routes, removed)) => (routes, removed, InPlace::Partners),
                None => return Ok(None),
            }
        } else if doc.frame_key == city.frame_key {
            match card_of_city(last, i, doc) {
                Some(routes) => (routes, Vec::new(), InPlace::Card),
                None => return Ok(None),
            }
        } else if doc.issues_key == city.issues_key {
            match site::issues::issues(&mut last.site, i, doc) {
                Some(changed) => {
                    let mut routes = vec![Route::City(i)];
                    routes.extend(last.renderer.patch_city_card(&last.site, i));
                    routes.extend(last.renderer.patch_enjeux(&last.site, &changed));
                    (routes, Vec::new(), InPlace::Issues)
                }
                None => return Ok(None),
            }
        } else {
            match renamed(last, route, Fiche::City(doc)) {
                Some((routes, in_place)) => (routes, Vec::new(), in_place),
                None => return Ok(None),
            }
        };
        self.patched(routes, removed, in_place, phases)
    }

    /// The rebuild after one fiche's file was added or deleted, and nothing else: the
    /// fiche is put into the model or taken out of it in place (`site::added`), the
    /// routes of the fiches of its kind after it move by one, and the pages that show it
    /// are rendered again: its own (added) or removed, the lists of its kind, the lists
    /// that count the fiches, the pages of the organisations it names or named (those it
    /// alone named go, those it names first come) and of the issues it names or named,
    /// and for a published city the pages of the cities whose charts changed.
    /// `Ok(None)`, before anything is changed, when the change is not that, or when the
    /// patch gives way.
    fn one_fiche_more_or_less(&mut self, changed: &[&PathBuf]) -> Result<Option<Patched>, Failure> {
        let Some((last, rel)) = patchable(self.last.as_mut(), changed) else {
            return Ok(None);
        };
        let mut phases = crate::Phases::start();
        let before = last.site.organisations.len();
        let model = &mut last.site;
        let (city, change, mut removed) =
            match (last.fiches.get(rel).copied(), self.root.join(rel).is_file()) {
                (None, true) => {
                    let (fiche, diags) = content::read_fiche(&self.root, rel);
                    let fiche = fiche.filter(|_| !diags.has_errors());
                    phases.mark("lecture");
                    let change = match fiche {
                        Some(Fiche::City(doc)) => site::added::city(model, doc).map(|c| (true, c)),
                        Some(Fiche::Sector(doc)) => {
                            site::added::sector(model, doc).map(|c| (false, c))
                        }
                        None => None,
                    };
                    let Some((city, change)) = change else {
                        return Ok(None);
                    };
                    (city, change, Vec::new())
                }
                (Some(route @ (Route::City(_) | Route::Sector(_))), false) => {
                    let page = route.output_file(model);
                    let change = match route {
                        Route::City(i) => site::added::city_removed(model, i),
                        Route::Sector(j) => site::added::sector_removed(model, j),
                        _ => None,
                    };
                    let Some(change) = change else {
                        return Ok(None);
                    };
                    last.fiches.remove(rel);
                    last.pages.remove(&page);
                    last.targets.remove(&page);
                    (matches!(route, Route::City(_)), change, vec![page])
                }
                _ => return Ok(None),
            };
        let at = change.at;
        let added = removed.is_empty();
        for route in last.fiches.values_mut().chain(last.pages.values_mut()) {
            let k = match route {
                Route::City(k) if city => k,
                Route::Sector(k) if !city => k,
                _ => continue,
            };
            if added && *k >= at {
                *k += 1;
            } else if !added && *k > at {
                *k -= 1;
            }
        }
        let mut routes = Vec::new();
        if added {
            let route = if city {
                Route::City(at)
            } else {
                Route::Sector(at)
            };
            let page = route.output_file(&last.site);
            last.fiches.insert(rel.clone(), route);
            last.targets.insert(&page);
            last.pages.insert(page, route);
            routes.push(route);
        }
        let (organisations, gone) = organisations_patched(last, &change.organisations, before);
        routes.extend(organisations);
        removed.extend(gone);
        removed.sort();
        let site = &last.site;
        let renderer = &mut last.renderer;
        if city {
            let charts = !change.comparisons.is_empty();
            renderer.city_came_or_went(site, at, added, charts);
            let except = if added { at } else { usize::MAX };
            routes.extend(charts_changed(site, change.comparisons, except));
        } else {
            routes.extend(renderer.patch_sector_cards(site, at));
        }
        routes.extend(renderer.patch_enjeux(site, &change.enjeux));
        // The lists count the fiches.
        renderer.recount(site);
        routes.extend(render::COUNTING);
        let in_place = if added {
            InPlace::Added
        } else {
            InPlace::Removed
        };
        self.patched(routes, removed, in_place, phases)
    }

    /// Renders again the pages of `routes` after a patch of the model, and removes the
    /// pages `removed`.
    fn patched(
        &mut self,
        routes: Vec<Route>,
        removed: Vec<String>,
        in_place: InPlace,
        mut phases: crate::Phases,
    ) -> Result<Option<Patched>, Failure> {
        let Some(last) = self.last.as_mut() else {
            return Ok(None);
        };
        phases.mark("modèle, cartes et routes");
        let site = &last.site;
        // A page shows several things a patch changed (the home page, a city's card and
        // the issues): it is rendered once.
        let mut paged: Vec<(String, Route)> = (routes.into_iter())
            .map(|r| (r.output_file(site), r))
            .collect();
        paged.sort_by(|a, b| a.0.cmp(&b.0));
        paged.dedup_by(|a, b| a.0 == b.0);
        let (pages, routes): (Vec<String>, Vec<Route>) = paged.into_iter().unzip();
        last.unsettled = true;
        last.data_stale = true;
        let written = write_pages(
            site,
            &last.renderer,
            &routes,
            &last.pages,
            &last.targets,
            &mut last.links,
            &last.out,
            &removed,
        );
        if let Err(e) = written {
            // As after a failed reading: the next one renders these pages whatever the
            // models say, and removes those the model no longer has.
            last.unwritten.extend(pages);
            last.gone.extend(removed);
            last.stale = true;
            return Err(e);
        }
        phases.mark("pages");
        Ok(Some(Patched {
            pages,
            removed,
            in_place: Some(in_place),
            phases: phases.done(),
            ..Patched::default()
        }))
    }

    /// The one-page rebuild of each changed fiche; `Ok(None)` when an edit shows beyond
    /// its fiche's page, before anything is changed.
    fn one_page_each(&mut self, changed: &[&PathBuf]) -> Result<Option<Patched>, Failure> {
        let Some(last) = self.last.as_mut() else {
            return Ok(None);
        };
        if last.stale || changed.iter().any(|p| !last.fiches.contains_key(*p)) {
            return Ok(None);
        }
        let mut read = Vec::new();
        let mut broken = Vec::new();
        for rel in changed {
            let (fiche, diags) = content::read_fiche(&self.root, rel);
            match fiche {
                None if !self.root.join(rel).is_file() => return Ok(None),
                // A value refused (a date, an address) is an error too, though the fiche
                // could be read.
                Some(fiche) if !diags.has_errors() => read.push(((*rel).clone(), fiche)),
                _ => broken.push(((*rel).clone(), diags.into_sorted())),
            }
        }
        // A changed key shows on other pages.
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
        last.broken.extend(broken);
        let mut pages = Vec::new();
        for (rel, fiche) in read {
            let route = last.fiches[&rel];
            match (fiche, route) {
                (Fiche::City(doc), Route::City(i)) => {
                    let city = &mut last.site.cities[i];
                    #[cfg(debug_assertions)]
                    let card = render::city_card(city);
                    site::patch_city(city, doc);
                    // The kept cards stay true (`Renderer::again`).
                    #[cfg(debug_assertions)]
                    debug_assert!(card == render::city_card(city), "a card changed");
                }
                (Fiche::Sector(doc), Route::Sector(i)) => {
                    site::patch_sector(&mut last.site.sectors[i], doc);
                }
                _ => return Ok(None),
            }
            let path = route.output_file(&last.site);
            match output::rewrite_pages(
                &last.site,
                &last.renderer,
                &[route],
                &last.targets,
                &mut last.links,
                &last.out,
                &[],
            ) {
                Ok(()) => {
                    last.broken.remove(&rel);
                    last.unwritten.remove(&path);
                    last.data_stale = true;
                    pages.push(path);
                }
                Err(Failure::Content(d)) => {
                    last.broken.insert(rel, d);
                    last.unwritten.insert(path);
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
            ..Patched::default()
        }))
    }

    /// Where the model's organisation index, as the patches since the last reading of
    /// every fiche left it, differs from the one a reading of the files would make
    /// (`OrgIndex::differences`); empty when it agrees, or when there is none. For the
    /// tests: nothing is kept of that reading.
    #[doc(hidden)]
    pub fn org_index_differences(&self) -> Vec<String> {
        let Some(index) = (self.last.as_ref()).and_then(|l| l.site.org_index.as_deref()) else {
            return Vec::new();
        };
        let mut cache = content::Cache::default();
        match crate::prepare(&self.root, &self.options, Some(&mut cache), None) {
            Ok(fresh) => match fresh.site.org_index.as_deref() {
                Some(fresh) => index.differences(fresh),
                None => vec!["no index made".to_string()],
            },
            Err(e) => vec![format!("the files do not build: {e:?}")],
        }
    }

    /// Reads and models the whole site again, and renders again the pages that changed
    /// (`diff`); removes the pages that no longer exist.
    fn changed_pages(&mut self) -> Result<Patched, Failure> {
        match self.reread(crate::NEVER)? {
            Some(reread) => self.write_reread(reread),
            None => unreachable!("a reading that nothing stops was stopped"),
        }
    }

    /// The whole site read and modelled again, and compared with the last build; nothing
    /// of the last build changes (the content cache aside, which follows the files),
    /// unless the reading fails (it is then stale). `None` when `stopped` says so during
    /// the reading of the files, their model or the comparison (each asks it as it goes),
    /// whose work is then let go.
    fn reread(&mut self, stopped: &Stopped) -> Result<Option<Reread>, Failure> {
        let last = self.last.as_mut().ok_or_else(no_build)?;
        let read = match crate::read(&self.root, Some(&mut self.cache), stopped) {
            Some(read) if !stopped() => read,
            read => {
                // Tens of thousands of allocations, which the next rebuild need not wait for.
                crate::drop_in_background(read);
                return Ok(None);
            }
        };
        // The templates are those of the last build: a change to one is a full build.
        let templates = Some((&last.renderer, &last.site));
        let prepared = match crate::model(&self.root, &self.options, read, templates, stopped) {
            Ok(Some(p)) => p,
            // Stopped in the middle: what was made is let go as it went.
            Ok(None) => return Ok(None),
            // A file read in the middle of the save that stopped the reading: that save's
            // rebuild reads it again.
            Err(_) if stopped() => return Ok(None),
            Err(e) => {
                last.stale = true;
                return Err(e);
            }
        };
        if stopped() {
            crate::drop_in_background(prepared);
            return Ok(None);
        }
        let (site, renderer) = (prepared.site, prepared.renderer);
        let mut phases = prepared.phases;
        let diff = diff(
            &last.pages,
            &last.site,
            &last.renderer,
            &site,
            &renderer,
            &last.unwritten,
            stopped,
        );
        let Some(mut diff) = diff else {
            crate::drop_in_background((site, renderer));
            return Ok(None);
        };
        // The pages a failed patch left on disk: those of the new model are new to the
        // old one (`added`), the others go.
        let gone = (last.gone.iter()).filter(|p| !diff.pages.contains_key(p.as_str()));
        diff.removed.extend(gone.cloned());
        diff.removed.sort();
        diff.removed.dedup();
        phases.mark("comparaison");
        Ok(Some(Reread {
            site,
            renderer,
            diff,
            warnings: prepared.diags,
            phases,
        }))
    }

    /// Writes the pages a reading found changed and removes those gone, and makes its
    /// model the last build's.
    fn write_reread(&mut self, reread: Reread) -> Result<Patched, Failure> {
        let Reread {
            site,
            renderer,
            diff,
            warnings,
            mut phases,
        } = reread;
        let last = self.last.as_mut().ok_or_else(no_build)?;
        // The files of the build, for the link check, brought up to date in place, and put
        // back as they were if the pages cannot be written.
        let targets = &mut last.targets;
        diff.added.iter().for_each(|p| targets.insert(p));
        diff.removed.iter().for_each(|p| targets.remove(p));
        let routes: Vec<Route> = diff.changed.iter().map(|(_, r)| *r).collect();
        let written = write_pages(
            &site,
            &renderer,
            &routes,
            &diff.pages,
            targets,
            &mut last.links,
            &last.out,
            &diff.removed,
        );
        if let Err(e) = written {
            diff.added.iter().for_each(|p| targets.remove(p));
            diff.removed.iter().for_each(|p| targets.insert(p));
            // Some of the pages may be written already, newer than the model kept: the
            // next reading renders them again whatever the models say.
            (last.unwritten).extend(diff.changed.iter().map(|(p, _)| p.clone()));
            last.stale = true;
            return Err(e);
        }
        phases.mark("pages");
        last.fiches = fiche_routes(&site);
        // The last model and templates are freed on a thread of their own: a site of
        // 10 000 fiches is millions of allocations, which the editor need not wait for.
        let old = (
            std::mem::replace(&mut last.site, site),
            std::mem::replace(&mut last.renderer, renderer),
            std::mem::replace(&mut last.pages, diff.pages),
        );
        crate::drop_in_background(old);
        last.broken.clear();
        last.unwritten.clear();
        last.gone.clear();
        last.stale = false;
        last.data_stale = true;
        last.unsettled = false;
        Ok(Patched {
            pages: diff.changed.into_iter().map(|(p, _)| p).collect(),
            removed: diff.removed,
            reread: true,
            in_place: None,
            warnings: warnings.into_sorted(),
            elapsed: Duration::ZERO,
            phases: phases.done(),
        })
    }

    /// Once the editor pauses: the fiches modelled whole again after a patch of the model
    /// (`one_city`, `one_fiche_more_or_less`), for the warnings, which look at every
    /// fiche; the patched model was that of the files, so no page changes
    /// (tests/incremental.rs). Then the open data, search index and feeds
    /// written again after one-page rebuilds; they list every fiche with every field, so
    /// they are generated whole. Nothing to do when they are up to date or a fiche is
    /// broken, nor after a failed rebuild (the next save reads every fiche, and would
    /// only fail again now).
    ///
    /// At 10 000 fiches this takes half a second, and the editor may save again during
    /// it: once `stopped` says so (the watcher heard a change), it stops where it is,
    /// whether reading the files (before each), modelling them and finding the warnings
    /// (every few milliseconds: `site::build`, `advice`), comparing the models (before
    /// each page: `diff`) or writing a generated file (every 64 KiB)
    /// (`Refreshed::interrupted`). A reading stopped is let go, and the model and pages
    /// stay as they were; a generated file not yet replaced stays as it was. What is left
    /// is for the next pause. The next rebuild waits for the longest steps that do not
    /// ask, at 10 000 fiches: the organisations' pages and the comparisons of the model
    /// (about 40 ms), the renderer of the new model (`Renderer::again`, about 20 ms) and
    /// the comparison of the lists at the start of `diff`.
    pub fn refresh_data(&mut self, stopped: &Stopped) -> Result<Refreshed, Failure> {
        let mut refreshed = Refreshed::default();
        let Some(last) = self.last.as_mut() else {
            return Ok(refreshed);
        };
        if last.stale {
            return Ok(refreshed);
        }
        if last.unsettled && last.broken.is_empty() {
            if stopped() {
                refreshed.interrupted = true;
                return Ok(refreshed);
            }
            let reread = match self.reread(stopped)? {
                Some(reread) if !stopped() => reread,
                reread => {
                    // Hundreds of thousands of allocations, which the next rebuild need
                    // not wait for.
                    crate::drop_in_background(reread);
                    refreshed.interrupted = true;
                    return Ok(refreshed);
                }
            };
            refreshed.settled = Some(self.write_reread(reread)?);
        }
        let Some(last) = self.last.as_mut() else {
            return Ok(refreshed);
        };
        if !last.data_stale || !last.broken.is_empty() {
            return Ok(refreshed);
        }
        let files = render::files(&last.site);
        let whole = output::replace_generated(files, &last.out, stopped).map_err(Failure::Io)?;
        last.data_stale = !whole;
        refreshed.data = whole;
        refreshed.interrupted = !whole;
        Ok(refreshed)
    }
}

/// The last build and the one path that changed, when the model may be patched in
/// place: one file changed, and the model is the files' (no rebuild failed, no fiche is
/// broken and no page unwritten since the last reading).
fn patchable<'a, 'p>(
    last: Option<&'a mut Last>,
    changed: &[&'p PathBuf],
) -> Option<(&'a mut Last, &'p PathBuf)> {
    let (Some(last), [rel]) = (last, changed) else {
        return None;
    };
    let settled = !last.stale && last.broken.is_empty() && last.unwritten.is_empty();
    settled.then_some((last, *rel))
}

/// A city's or a project's new partners (a project's lead too) put into the model in
/// place (`site::partners`), its pages' routes and the kept cards brought up to date:
/// the routes to render again (the fiche's page, the pages of the organisations whose
/// roles changed, the list of organisations, and the lists that count organisations
/// when there are more or fewer; the caller adds those that show a project's card when
/// its lead changed), and the pages gone. `None`, with the model untouched, when the patch gives way.
fn partners_of_fiche(
    last: &mut Last,
    route: Route,
    doc: Fiche,
) -> Option<(Vec<Route>, Vec<String>)> {
    let before = last.site.organisations.len();
    let patch = match (route, doc) {
        (Route::City(i), Fiche::City(doc)) => site::partners::partners(&mut last.site, i, doc)?,
        (Route::Sector(j), Fiche::Sector(doc)) => {
            site::partners::sector_partners(&mut last.site, j, doc)?
        }
        _ => return None,
    };
    let (organisations, removed) = organisations_patched(last, &patch, before);
    let mut routes = vec![route];
    routes.extend(organisations);
    Some((routes, removed))
}

/// What is kept beside the model brought up to date after a change of its organisations
/// (`patch`, from a list of `before`): the kept cards, the routes of the organisations'
/// pages, the files of the build. Returns the routes to render again (the pages of the
/// organisations whose roles changed or that came, the list of organisations, and the
/// lists that count them when there are more or fewer) and the pages gone, sorted.
fn organisations_patched(
    last: &mut Last,
    patch: &site::partners::Patch,
    before: usize,
) -> (Vec<Route>, Vec<String>) {
    let site = &last.site;
    last.renderer.patch_organisations(site, patch);
    // The routes of the organisations move with their places in the list.
    let moves = patch.moves(before);
    let mut removed = Vec::new();
    last.pages.retain(|path, route| match *route {
        Route::Organisation(k) => match moves[k] {
            Some(now) => {
                *route = Route::Organisation(now);
                true
            }
            None => {
                removed.push(path.clone());
                false
            }
        },
        _ => true,
    });
    removed.sort();
    let mut routes = Vec::new();
    // The lists that count the organisations, that of the organisations among them.
    if patch.added.len() == patch.removed.len() {
        routes.push(Route::Organisations);
    } else {
        routes.extend(render::COUNTING);
    }
    routes.extend(patch.changed.iter().map(|&k| Route::Organisation(k)));
    for &k in &patch.added {
        let route = Route::Organisation(k);
        let path = route.output_file(site);
        last.targets.insert(&path);
        last.pages.insert(path, route);
        routes.push(route);
    }
    removed.iter().for_each(|p| last.targets.remove(p));
    (routes, removed)
}

/// A city's new card put into the model in place (`site::patch_card`) and the
/// kept cards and charts brought up to date: the routes to render again, the city's
/// page, the lists that show its card, and the pages of the cities whose charts changed
/// (`comparisons::same_for_city`). `None`, with the model untouched, when the patch
/// gives way.
fn card_of_city(
    last: &mut Last,
    i: usize,
    doc: content::Document<content::CityFile>,
) -> Option<Vec<Route>> {
    let was = site::patch_card(&mut last.site, i, doc)?;
    let was = (was.into_iter()).map(|(k, c)| (k, comparisons::Was::Made(c)));
    let site = &last.site;
    let mut routes = vec![Route::City(i)];
    routes.extend(last.renderer.patch_card(site, i));
    routes.extend(charts_changed(site, was.collect(), i));
    Some(routes)
}

/// The pages of the cities of `site` but `except` whose charts changed from what became
/// of the comparisons `was`, by place: made again, from the comparison as it was
/// (`comparisons::same_for_city`), or a bar moved in place
/// (`comparisons::same_after_move`). The old comparisons are freed off the editor's time.
fn charts_changed(site: &Site, was: Vec<(usize, comparisons::Was)>, except: usize) -> Vec<Route> {
    let (mut made, mut moved) = (Vec::new(), Vec::new());
    for (k, was) in &was {
        let b = &site.comparisons[*k];
        match was {
            comparisons::Was::Made(a) => made.push((a, b, comparisons::change(a, b))),
            comparisons::Was::Moved { ranks, all } => moved.push((b, ranks, *all)),
        }
    }
    let same = |slug: &str| {
        comparisons::same_for_city(&made, slug)
            && (moved.iter())
                .all(|(b, ranks, all)| comparisons::same_after_move(b, ranks, *all, slug))
    };
    let others = (site.cities.par_iter().enumerate())
        .filter(|&(j, c)| j != except && !same(&c.slug))
        .map(|(j, _)| Route::City(j))
        .collect();
    crate::drop_in_background(was);
    others
}

/// A city or a project renamed in the model in place (`site::rename`), or given another
/// status (a city), order or region (a project); the routes of the fiches of its kind
/// moved with their places, and the kept cards and charts brought up to date: the routes
/// to render again, the fiche's page, the lists that show its card, the pages of the
/// organisations and issues that name it, the lists that count the published cities when
/// its status changed, and for a city the pages of the cities whose charts changed
/// (`comparisons::same_for_city`). `None`, with the model untouched, when the patch gives
/// way. A fiche whose name is the same has its card patched (`InPlace::Card`).
fn renamed(last: &mut Last, route: Route, doc: Fiche) -> Option<(Vec<Route>, InPlace)> {
    let (r, city) = match (route, doc) {
        (Route::City(i), Fiche::City(doc)) => (site::rename::city(&mut last.site, i, doc)?, true),
        (Route::Sector(j), Fiche::Sector(doc)) => {
            (site::rename::sector(&mut last.site, j, doc)?, false)
        }
        _ => return None,
    };
    let moved = |k: usize| match k {
        k if k == r.from => r.to,
        k => {
            let k = if k > r.from { k - 1 } else { k };
            if k >= r.to { k + 1 } else { k }
        }
    };
    for route in last.fiches.values_mut().chain(last.pages.values_mut()) {
        match route {
            Route::City(k) if city => *k = moved(*k),
            Route::Sector(k) if !city => *k = moved(*k),
            _ => {}
        }
    }
    let site = &last.site;
    let renderer = &mut last.renderer;
    let mut routes: Vec<Route> = (r.organisations.iter())
        .map(|&k| Route::Organisation(k))
        .collect();
    routes.extend(renderer.patch_enjeux(site, &r.enjeux));
    let in_place = if r.renamed {
        InPlace::Name
    } else {
        InPlace::Card
    };
    if r.counted {
        renderer.recount(site);
        routes.extend(render::COUNTING);
    }
    if !city {
        routes.push(Route::Sector(r.to));
        routes.extend(renderer.patch_sector_cards(site, r.from.min(r.to)));
        return Some((routes, in_place));
    }
    routes.push(Route::City(r.to));
    routes.extend(renderer.move_city(site, r.from, r.to));
    routes.extend(renderer.patch_card(site, r.to));
    routes.extend(charts_changed(site, r.comparisons, r.to));
    Some((routes, in_place))
}

/// The route of each page of `site`, by its output file.
fn page_routes(site: &Site) -> FxHashMap<String, Route> {
    (render::routes(site).into_par_iter())
        .map(|r| (r.output_file(site), r))
        .collect()
}

/// The route of each fiche, by its file's path relative to the root.
fn fiche_routes(site: &Site) -> FxHashMap<PathBuf, Route> {
    (site.cities.iter().enumerate())
        .map(|(i, c)| (c.source_file.path.clone(), Route::City(i)))
        .chain(
            (site.sectors.iter().enumerate())
                .map(|(i, s)| (s.source_file.path.clone(), Route::Sector(i))),
        )
        .collect()
}

/// The error of a rebuild asked for before any build.
fn no_build() -> Failure {
    Failure::Io(anyhow::anyhow!("aucune construction à mettre à jour"))
}

/// A reading of the whole site, compared with the last build, not yet written.
struct Reread {
    site: Site,
    renderer: Renderer,
    diff: Diff,
    warnings: Diagnostics,
    phases: crate::Phases,
}

/// What reading the site again changed: the pages of the new model, by output file, those
/// of them that differ from the pages written from the old model, and the pages that no
/// longer exist, these two sorted by output file.
struct Diff {
    pages: FxHashMap<String, Route>,
    /// The pages of the new model that the old one did not have.
    added: Vec<String>,
    changed: Vec<(String, Route)>,
    removed: Vec<String>,
}

/// Compares two models of a site, read with the same configuration and rendered with the
/// same templates (a change to either is a full build). The page of a city, a project,
/// an issue or an organisation is made from that object alone, and for a city from its
/// charts too (`Renderer::entries`): when it is equal in both models, so is its page,
/// which is left as it is without being looked at. A city's charts are the same when
/// the largest values of its comparisons and its own rank and bar are
/// (`comparisons::same_for_city`): an edited figure renders again the pages of the
/// cities it passes, not of every city. The list of every city and the
/// list of every organisation are the same when their cards are, and rendered again
/// otherwise. Any other page is rendered again when its fingerprint, a hash of all it is
/// made from (`Renderer::fingerprint`), differs between the two models: an edit rewrites
/// the pages it really changes, and the cost of finding them grows with the edit, not
/// with the site. The `unwritten` pages, older on disk than in the old model, are
/// rendered again whatever the models say. `old_pages` are the routes of the old model by
/// output file. `None` when `stopped` says so: it is asked after the lists are compared,
/// and before each page.
fn diff(
    old_pages: &FxHashMap<String, Route>,
    old: &Site,
    old_renderer: &Renderer,
    site: &Site,
    renderer: &Renderer,
    unwritten: &HashSet<String>,
    stopped: &Stopped,
) -> Option<Diff> {
    let published = |s: &Site| s.cities.iter().filter(|c| c.published).count();
    let counts = old.cities.len() == site.cities.len()
        && old.sectors.len() == site.sectors.len()
        && old.organisations.len() == site.organisations.len()
        && old.enjeux.len() == site.enjeux.len()
        && published(old) == published(site);
    let config = old.config == site.config;
    // The comparisons that differ, and how, when they still match by place.
    let changes: Option<Vec<_>> = (old.comparisons.len() == site.comparisons.len()).then(|| {
        (old.comparisons.iter().zip(&site.comparisons))
            .map(|(a, b)| (a, b, comparisons::change(a, b)))
            .filter(|(_, _, change)| *change != comparisons::Change::None)
            .collect()
    });
    let same_comparisons = changes.as_ref().is_some_and(Vec::is_empty);
    // The largest lists, compared on both cores.
    let ((cities, cards), (organisations, organisation_cards)) = rayon::join(
        || {
            rayon::join(
                || old.cities == site.cities,
                || render::same_city_cards(&old.cities, &site.cities),
            )
        },
        || {
            rayon::join(
                || old.organisations == site.organisations,
                || render::same_organisation_cards(&old.organisations, &site.organisations),
            )
        },
    );
    let everything = counts
        && same_comparisons
        && cities
        && organisations
        && old.sectors == site.sectors
        && old.enjeux == site.enjeux;
    // Whether a page of the new model is the same as the page of the old one: `Some` when
    // its inputs tell, `None` when only its fingerprint can.
    let same = |new: Route, was: Route| -> Option<bool> {
        if !config {
            return None;
        }
        match (new, was) {
            (Route::City(i), Route::City(j)) => {
                // Other charts are other pages; when a kind of figure came or went, the
                // fingerprint tells.
                let city = &site.cities[i];
                match (&changes, *city == old.cities[j]) {
                    (Some(changes), true) => Some(comparisons::same_for_city(changes, &city.slug)),
                    _ => None,
                }
            }
            (Route::Sector(i), Route::Sector(j)) => {
                (site.sectors[i] == old.sectors[j]).then_some(true)
            }
            (Route::Enjeu(i), Route::Enjeu(j)) => (site.enjeux[i] == old.enjeux[j]).then_some(true),
            (Route::Organisation(i), Route::Organisation(j)) => {
                (site.organisations[i] == old.organisations[j]).then_some(true)
            }
            // The lists of every city and of every organisation are the largest pages:
            // fingerprinting one costs a third of rendering it, and when its cards
            // changed it changed.
            (Route::Cities, Route::Cities) => Some(counts && cards && same_comparisons),
            (Route::Organisations, Route::Organisations) => Some(counts && organisation_cards),
            (a, b) => (a == b && everything).then_some(true),
        }
    };
    if stopped() {
        return None;
    }
    let pages: Vec<(String, Route, bool)> = (render::routes(site).into_par_iter())
        .map(|r| {
            if stopped() {
                return None;
            }
            let path = r.output_file(site);
            let changed = match old_pages.get(&path) {
                None => true,
                Some(_) if unwritten.contains(&path) => true,
                Some(&was) => match same(r, was) {
                    Some(same) => !same,
                    None => renderer.fingerprint(site, &r) != old_renderer.fingerprint(old, &was),
                },
            };
            Some((path, r, changed))
        })
        .collect::<Option<_>>()?;
    let mut changed: Vec<(String, Route)> = (pages.iter())
        .filter(|(_, _, changed)| *changed)
        .map(|(p, r, _)| (p.clone(), *r))
        .collect();
    changed.sort_by(|a, b| a.0.cmp(&b.0));
    // A new page is a changed one.
    let added: Vec<String> = (changed.iter())
        .filter(|(p, _)| !old_pages.contains_key(p))
        .map(|(p, _)| p.clone())
        .collect();
    let pages: FxHashMap<String, Route> = (pages.into_iter()).map(|(p, r, _)| (p, r)).collect();
    // As many pages as before, none of them new: the same pages.
    let mut removed: Vec<String> = if added.is_empty() && pages.len() == old_pages.len() {
        Vec::new()
    } else {
        (old_pages.keys())
            .filter(|p| !pages.contains_key(p.as_str()))
            .cloned()
            .collect()
    };
    removed.sort();
    Some(Diff {
        pages,
        added,
        changed,
        removed,
    })
}

/// Renders and writes the pages of `routes` over those in `out`, then removes the pages
/// that no longer exist. The pages kept that link to one removed are rendered too, so
/// that their links are checked again: a link to a page that is no more is an error, as
/// in `fiches build`. `pages` are the routes of the pages of `site`, by output file.
#[allow(clippy::too_many_arguments)]
fn write_pages(
    site: &Site,
    renderer: &Renderer,
    routes: &[Route],
    pages: &FxHashMap<String, Route>,
    targets: &output::Targets,
    links: &mut output::Linked,
    out: &Path,
    removed: &[String],
) -> Result<(), Failure> {
    let linking = links.linking_to(removed);
    let mut routes = std::borrow::Cow::Borrowed(routes);
    if !linking.is_empty() {
        let rendered: HashSet<String> = routes.iter().map(|r| r.output_file(site)).collect();
        let kept = (linking.into_iter()).filter(|p| !rendered.contains(*p));
        let kept: Vec<Route> = kept.filter_map(|p| pages.get(p).copied()).collect();
        routes.to_mut().extend(kept);
    }
    output::rewrite_pages(site, renderer, &routes, targets, links, out, removed)?;
    removed.iter().for_each(|p| links.forget(p));
    (removed.iter())
        .try_for_each(|path| remove_page(out, path))
        .map_err(Failure::Io)
}

/// Removes a page that no longer exists, and its folder when that is left empty.
fn remove_page(out: &Path, page: &str) -> anyhow::Result<()> {
    let file = out.join(page);
    match std::fs::remove_file(&file) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(anyhow::Error::new(e).context(format!("suppression de {}", file.display())));
        }
    }
    if let Some(dir) = file.parent().filter(|d| *d != out) {
        // Not empty (another file lives there): it stays.
        let _ = std::fs::remove_dir(dir);
    }
    Ok(())
}

/// Whether a changed path can change the site: hidden files (an editor's swap, lock and
/// backup files) and files in a fiche folder that are not fiches cannot. A fiche folder
/// itself can: renamed or replaced whole, it is all the watcher reports.
pub(crate) fn matters(rel: &Path) -> bool {
    let hidden = rel.components().any(|c| match c {
        Component::Normal(name) => name.to_str().is_some_and(|n| n.starts_with('.')),
        _ => false,
    });
    if hidden {
        return false;
    }
    let mut parts = rel.components().map(|c| c.as_os_str().to_str());
    let in_fiche_folder = parts.next() == Some(Some("content"))
        && matches!(parts.next(), Some(Some("villes" | "secteurs")))
        && parts.next().is_some();
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
        assert!(matters(Path::new("content/villes")));
        assert!(matters(Path::new("content/secteurs")));
        assert!(matters(Path::new("themes/default/templates/ville.html")));
        assert!(!matters(Path::new("content/villes/.levis.yaml.swp")));
        assert!(!matters(Path::new("content/villes/.#levis.yaml")));
        assert!(!matters(Path::new("content/villes/levis.yaml~")));
        assert!(!matters(Path::new("content/villes/4913")));
        assert!(!matters(Path::new("themes/default/.git/index")));
    }
}
