//! Rendering: the theme's Tera templates, overridable by the site's own, turned into one
//! HTML string per route of the site model.

mod charts;
mod data;
mod feeds;
mod filters;
mod jsonld;
pub mod markdown;
mod metrics;
pub mod minify;
mod routes;
mod search;

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::site::{City, Organisation, Sector, Site};
pub use metrics::TemplateTime;
pub use routes::{COUNTING, Route, routes};

/// The templates of a theme, with the site's overrides, ready to render.
pub struct Renderer {
    /// The templates as written.
    tera: Tera,
    /// The templates minified when loaded (`minify::template`), when every one could be:
    /// the pages are rendered from these, and need no minifying.
    minified: Option<Tera>,
    /// Values shared by every page, serialised once.
    shared: Shared,
    charts: charts::Charts,
    /// Charts made once (`shared_chart`), their values with their HTML, by comparison
    /// and position on the page.
    chart_html: Mutex<FxHashMap<(usize, usize), charts::Chart>>,
    /// The length of the last page rendered from each template: the next one's buffer is
    /// made that large at once rather than grown, and copied, a dozen times.
    page_sizes: FxHashMap<String, AtomicUsize>,
    /// The card of every city, made only for a list template that names them (`Named`),
    /// and then kept once made when `keep_cards` (`fiches serve`): the list of every city
    /// spends half its rendering making them (10 000 cards, 0.1 s), and the next model
    /// reuses those of the cities whose card is unchanged (`again`). A one-off build
    /// drops them after that page. For a list that prints its items' HTML instead, each
    /// card is made alone, for its item, and dropped: at 10 000 cities the cards of
    /// every city and organisation are about 75 MB, which the preview held for nothing.
    city_cards: Mutex<Option<Value>>,
    /// The HTML of every city's card in the list of every city, each rendered alone
    /// (`items_html`) for a list template that prints them, and kept when `keep_cards`:
    /// an edit renders again the cards it changes, and the list is the others joined.
    city_card_html: Kept,
    /// The card of every organisation, kept the same way: `partners` changes a few, and
    /// the list is rendered again from the others as kept (`patch_organisations`).
    organisation_cards: Mutex<Option<Value>>,
    /// The HTML of every organisation's line in their list, kept the same way.
    organisation_html: Kept,
    keep_cards: bool,
    /// Which lists their templates name.
    named: Named,
    /// What each template's pages cost, when the timings are asked for (`metrics`).
    metrics: Option<metrics::Metrics>,
}

/// What the list templates name of their list: the list of every city (`cities` in
/// `villes.html`) or of every organisation (`organisations` in `organismes.html`), and
/// its items' HTML (`city_cards_html`, `organisation_lines_html`); in their own text, in
/// what they extend or include (`Tera::get_template_variables`), or as the implicit
/// argument of a component, which reads it from the page that calls it. A list is
/// given only to a template that names it, and neither a build nor the preview makes
/// it otherwise: the cards of 10 000 cities are about 75 MB of template values, for one
/// page that prints their HTML instead.
#[derive(Clone, Copy)]
struct Named {
    cities: Uses,
    organisations: Uses,
}

/// Whether a list template names its list, and its items' HTML.
#[derive(Clone, Copy)]
struct Uses {
    list: bool,
    html: bool,
}

impl Named {
    fn of(tera: &Tera) -> Named {
        let component_reads = |name: &str| {
            tera.get_component_names().any(|component| {
                (tera.get_component_definition(component))
                    .is_some_and(|c| (c.args().iter()).any(|a| a.is_implicit() && a.name() == name))
            })
        };
        let uses = |items: &Items| {
            // A template that cannot be looked into is taken to name everything.
            let names = tera.get_template_variables(items.page.template()).ok();
            let names =
                |name| names.as_ref().is_none_or(|n| n.contains(name)) || component_reads(name);
            Uses {
                list: names(items.list),
                html: names(items.html),
            }
        };
        Named {
            cities: uses(&CITY_CARDS),
            organisations: uses(&ORGANISATION_LINES),
        }
    }
}

/// The HTML of each item of a list, rendered alone and kept (`Renderer::items_html`);
/// `None` for an item to render again. Shared, so that the renderer of the next model
/// (`Renderer::again`) takes them without a copy of each.
type Kept = Mutex<Option<Vec<Option<Arc<String>>>>>;

/// How the items of a list are rendered alone (`Renderer::items_html`): the partial,
/// the name it gives the item, and the heading of a card; the list's page, and the names
/// it gives the list and the items' joined HTML.
struct Items {
    template: &'static str,
    name: &'static str,
    heading: Option<&'static str>,
    page: Route,
    list: &'static str,
    html: &'static str,
}

/// A city's card in the list of every city.
const CITY_CARDS: Items = Items {
    template: "partials/carte-ville.html",
    name: "city",
    heading: Some("h2"),
    page: Route::Cities,
    list: "cities",
    html: "city_cards_html",
};

/// An organisation's line in their list.
const ORGANISATION_LINES: Items = Items {
    template: "partials/ligne-organisme.html",
    name: "o",
    heading: None,
    page: Route::Organisations,
    list: "organisations",
    html: "organisation_lines_html",
};

/// What a page's template is given, name by name, and the error of an item of its list
/// that could not be rendered alone (`Renderer::items_html`).
struct Entries {
    values: Vec<(&'static str, Value)>,
    failed: Option<ItemError>,
}

/// An item of a list that could not be rendered alone, when the list template prints
/// the items' HTML: the page's error.
struct ItemError {
    items: &'static Items,
    error: tera::Error,
}

/// The partial that draws a chart.
const CHART_TEMPLATE: &str = "partials/graphique.html";

/// What several pages show is serialised once, in parallel (a tera `Value` array or map
/// is reference-counted, so a clone costs nothing): the issues, the project cards and
/// the home page's city cards. A card holds only what the structural key of the file
/// covers (`content::key`), so an edit that keeps the key changes no list: lists are
/// correct by construction when one page is rebuilt. What one page alone shows is
/// serialised when that page is rendered, and not kept: a whole fiche, an
/// organisation, and the cards of every city and the list of every organisation (tens of
/// megabytes at 10 000 cities, for one page each); `fiches serve` alone keeps, of every
/// city and organisation, the cards when the list's template names them and their HTML
/// when it prints that (`Renderer::city_cards`, `Renderer::items_html`).
struct Shared {
    /// `site` for the pages that list fiches: the configuration and the counts.
    site: Value,
    /// `site` for the other pages: the configuration alone, so that a fiche added or
    /// removed changes no other fiche's page.
    site_config: Value,
    /// The first city and project cards, for the home page.
    home_cities: Value,
    home_sectors: Value,
    /// Every project card.
    sectors: Value,
    enjeux: Value,
    enjeu: Vec<Value>,
}

/// `list`, a list of cards, with `card` at `i`.
fn with_item(list: &Value, i: usize, card: &Value) -> Value {
    let mut list = list.as_array().map(<[Value]>::to_vec).unwrap_or_default();
    if let Some(kept) = list.get_mut(i) {
        *kept = card.clone();
    }
    Value::from(list)
}

/// `list` with its item at `from` moved to `to`, the items between shifted by one.
fn moved<T>(list: &mut Vec<T>, from: usize, to: usize) {
    debug_assert!(
        from < list.len() && to < list.len(),
        "a kept list of another length"
    );
    if from < list.len() && to < list.len() {
        let item = list.remove(from);
        list.insert(to, item);
    }
}

/// How many city and project cards the home page shows; the indexes list them all. The
/// home page stays light for a province-wide edition of tens of thousands of fiches.
const HOME_CARDS: usize = 24;

fn values<T: Serialize + Sync>(items: &[T]) -> Vec<Value> {
    items.par_iter().map(Value::from_serializable).collect()
}

/// What a list shows of a city: `city` in `partials/carte-ville.html`.
#[derive(Serialize, PartialEq)]
struct CityCard<'a> {
    slug: &'a str,
    url: &'a str,
    name: &'a str,
    region: &'a Option<String>,
    territory: &'a Option<String>,
    published: bool,
    figures: &'a [crate::site::Figure],
    figure_sources: &'a [String],
    enjeux: &'a [crate::site::Link],
}

impl<'a> From<&'a City> for CityCard<'a> {
    fn from(c: &'a City) -> Self {
        CityCard {
            slug: &c.slug,
            url: &c.url,
            name: &c.name,
            region: &c.region,
            territory: &c.territory,
            published: c.published,
            figures: &c.figures,
            figure_sources: &c.figure_sources,
            enjeux: &c.enjeux,
        }
    }
}

/// What a list shows of a sector project: `sector` in `partials/carte-secteur.html`.
#[derive(Serialize)]
struct SectorCard<'a> {
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    order: Option<u32>,
    region: &'a Option<String>,
    lead: &'a crate::site::Link,
    enjeux: &'a [crate::site::Link],
}

impl<'a> From<&'a Sector> for SectorCard<'a> {
    fn from(s: &'a Sector) -> Self {
        SectorCard {
            slug: &s.slug,
            url: &s.url,
            title: &s.title,
            order: s.order,
            region: &s.region,
            lead: &s.lead,
            enjeux: &s.enjeux,
        }
    }
}

/// What the list of organisations shows of one: `o` in `organismes.html`. Its roles are
/// counted, not listed: the list of a province-wide edition names tens of thousands of
/// organisations, whose roles are on their own pages.
#[derive(Serialize, PartialEq)]
struct OrganisationCard<'a> {
    slug: &'a str,
    url: &'a str,
    name: &'a str,
    acronym: &'a Option<String>,
    site: &'a Option<String>,
    email: &'a Option<String>,
    description: &'a Option<String>,
    /// The number of its roles, as its own page lists them.
    mentions: usize,
}

impl<'a> From<&'a Organisation> for OrganisationCard<'a> {
    fn from(o: &'a Organisation) -> Self {
        OrganisationCard {
            slug: &o.slug,
            url: &o.url,
            name: &o.name,
            acronym: &o.acronym,
            site: &o.site,
            email: &o.email,
            description: &o.description,
            mentions: o.roles.len(),
        }
    }
}

/// The template value of a city's card.
pub fn city_card(city: &City) -> Value {
    Value::from_serializable(&CityCard::from(city))
}

/// The template value of an organisation's line in their list.
fn organisation_card(organisation: &Organisation) -> Value {
    Value::from_serializable(&OrganisationCard::from(organisation))
}

/// Whether two lists of cities show the same cards.
pub fn same_city_cards(a: &[City], b: &[City]) -> bool {
    same_cards::<City, CityCard>(a, b)
}

/// Whether two lists of organisations show the same cards.
pub fn same_organisation_cards(a: &[Organisation], b: &[Organisation]) -> bool {
    same_cards::<Organisation, OrganisationCard>(a, b)
}

fn same_cards<'a, T, C: PartialEq + From<&'a T>>(a: &'a [T], b: &'a [T]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| C::from(a) == C::from(b))
}

/// For each item of `items`, the place in `old` (the same list as it was) of the item
/// with the same slug and the same card, if there is one.
fn unchanged<'a, T: Sync, C: PartialEq + From<&'a T>>(
    old: &'a [T],
    items: &'a [T],
    slug: impl Fn(&T) -> &str + Sync,
) -> Vec<Option<usize>> {
    let was: FxHashMap<&str, usize> = (old.iter().enumerate())
        .map(|(j, item)| (slug(item), j))
        .collect();
    (items.par_iter())
        .map(|item| {
            let j = *was.get(slug(item))?;
            (C::from(&old[j]) == C::from(item)).then_some(j)
        })
        .collect()
}

/// The cards of `items`, from the cards `kept` of the list as it was where an item's card
/// is unchanged (`old_place`, from `unchanged`); `None` when `kept` is not one card per
/// item of that list, `old_len` long.
fn cards_again<'a, T: Sync, C: Serialize + From<&'a T>>(
    kept: &Value,
    old_place: &[Option<usize>],
    items: &'a [T],
    old_len: usize,
) -> Option<Value> {
    let kept = kept.as_array().filter(|k| k.len() == old_len)?;
    let cards: Vec<Value> = (old_place.par_iter().zip(items))
        .map(|(j, item)| match j {
            Some(j) => kept[*j].clone(),
            None => Value::from_serializable(&C::from(item)),
        })
        .collect();
    Some(Value::from(cards))
}

/// The HTML of the items of a list, taken from `kept`, that of the list as it was, where
/// an item's card is unchanged (`old_place`); `None` for the others, to render. `None`
/// when `kept` is not one per item of that list, `old_len` long.
fn html_again(
    kept: Option<Vec<Option<Arc<String>>>>,
    old_place: &[Option<usize>],
    old_len: usize,
) -> Option<Vec<Option<Arc<String>>>> {
    let mut kept = kept.filter(|k| k.len() == old_len)?;
    // Each item of the list as it was is taken once at most: slugs are unique.
    Some(
        old_place
            .iter()
            .map(|j| j.and_then(|j| kept[j].take()))
            .collect(),
    )
}

fn cards<'a, T: Sync + 'a, C: Serialize + From<&'a T>>(items: &'a [T]) -> Vec<Value> {
    items
        .par_iter()
        .map(|item| Value::from_serializable(&C::from(item)))
        .collect()
}

/// `site` on the pages that list fiches (the home page, the indexes, the open data): the
/// configuration and how many fiches and entities there are. The other pages get the
/// configuration alone.
#[derive(Serialize)]
struct SiteView<'a> {
    #[serde(flatten)]
    config: &'a crate::config::SiteConfig,
    city_count: usize,
    published_count: usize,
    sector_count: usize,
    organisation_count: usize,
    enjeu_count: usize,
}

impl<'a> SiteView<'a> {
    fn of(site: &'a Site) -> Self {
        SiteView {
            config: &site.config,
            city_count: site.cities.len(),
            published_count: site.cities.iter().filter(|c| c.published).count(),
            sector_count: site.sectors.len(),
            organisation_count: site.organisations.len(),
            enjeu_count: site.enjeux.len(),
        }
    }
}

/// The template folders in order of precedence: the site's `templates/` first, then the
/// theme's.
pub fn template_dirs(root: &Path, theme: &str) -> Vec<PathBuf> {
    vec![
        root.join("templates"),
        root.join("themes").join(theme).join("templates"),
    ]
}

impl Renderer {
    pub fn new(root: &Path, site: &Site) -> Result<Renderer, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        let mut errors = Vec::new();
        let dirs = template_dirs(root, &site.config.theme);
        if !dirs[1].is_dir() {
            let rel = dirs[1].strip_prefix(root).unwrap_or(&dirs[1]);
            errors.push(
                Diagnostic::file_error(rel, format!("thème « {} » introuvable", site.config.theme))
                    .with_hint(
                        "vérifiez le champ `theme` de site.yaml : il nomme un dossier de `themes/`",
                    ),
            );
            return Err(errors);
        }
        for dir in dirs.iter().rev() {
            for entry in walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                let path = entry.path();
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(name) = path.strip_prefix(dir) else {
                    continue;
                };
                let name = name.to_string_lossy().replace('\\', "/");
                let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                match SourceFile::read(root, &rel) {
                    Ok(Ok(file)) => {
                        sources.insert(name, (rel, file.text));
                    }
                    Ok(Err(not_utf8)) => errors.push(not_utf8),
                    Err(e) => errors.push(Diagnostic::file_error(
                        &rel,
                        format!("lecture impossible : {e}"),
                    )),
                }
            }
        }
        // Templates are checked as written, so that an error names the editor's line;
        // the pages are rendered from their minified text when every one has one.
        let mut tera = Tera::default();
        filters::register(&mut tera);
        let all = sources
            .iter()
            .map(|(name, (_, text))| (name.as_str(), text.as_str()));
        if let Err(e) = tera.add_raw_templates(all) {
            errors.push(template_error(&sources, &e));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let minified: Option<Vec<(&str, String)>> = sources
            .par_iter()
            .map(|(name, (_, text))| Some((name.as_str(), minify::template(text)?)))
            .collect();
        let minified = match minified {
            Some(minified) => {
                let mut small = Tera::default();
                filters::register(&mut small);
                small.add_raw_templates(minified).is_ok().then_some(small)
            }
            None => None,
        };
        let page_sizes = (sources.keys())
            .map(|name| (name.clone(), AtomicUsize::new(0)))
            .collect();
        let mut renderer = Renderer::with(tera, minified, page_sizes, site);
        renderer.metrics = crate::timings_asked().then(|| metrics::Metrics::new(sources.keys()));
        Ok(renderer)
    }

    /// What each template's pages cost so far, the costliest first, when the timings are
    /// asked for (`FICHES_TIMINGS=1`); else nothing.
    pub fn template_times(&self) -> Vec<TemplateTime> {
        self.metrics
            .as_ref()
            .map_or_else(Vec::new, metrics::Metrics::report)
    }

    /// A page or an item begun, when its template's cost is counted.
    fn timer(&self) -> Option<metrics::Timer> {
        self.metrics.as_ref().map(|_| metrics::Metrics::start())
    }

    /// A page or an item of `template` made, `bytes` long, since `timer`.
    fn timed(&self, template: &str, timer: Option<metrics::Timer>, bytes: usize) {
        if let (Some(metrics), Some(timer)) = (&self.metrics, timer) {
            metrics.record(template, timer, bytes);
        }
    }

    /// This renderer, keeping the city cards it makes when `keep` (see `city_cards`).
    pub fn keeping_cards(mut self, keep: bool) -> Renderer {
        self.keep_cards = keep;
        // The preview prints its stages' timings, not its templates'.
        if keep {
            self.metrics = None;
        }
        self
    }

    /// Whether this renderer is kept for rebuilds (`fiches serve`), not used once.
    pub fn keeps(&self) -> bool {
        self.keep_cards
    }

    /// A renderer of `site` with the templates of this one, as compiled: for a model read
    /// again while the templates are unchanged (`fiches serve`). The city cards this one
    /// kept are taken for the cities of `site` whose card is the same in `old`, the model
    /// this one renders.
    pub fn again(&self, old: &Site, site: &Site) -> Renderer {
        let page_sizes = (self.page_sizes.iter())
            .map(|(name, size)| (name.clone(), AtomicUsize::new(size.load(Ordering::Relaxed))))
            .collect();
        let mut renderer =
            Renderer::with(self.tera.clone(), self.minified.clone(), page_sizes, site);
        renderer.keep_cards = self.keep_cards;
        let kept = |cards: &Mutex<Option<Value>>| cards.lock().ok().and_then(|c| c.clone());
        // An item's HTML is made from its card and the configuration. It is shared, not
        // taken: the new renderer may be let go (a reading the next save stopped), and
        // this one then still renders each list's items from what it kept, rather than
        // all of them again.
        let same_config = old.config == site.config;
        let html = |kept: &Kept| (kept.lock().ok()?.clone()).filter(|_| same_config);
        let (cities, organisations) = rayon::join(
            || unchanged::<City, CityCard>(&old.cities, &site.cities, |c| &c.slug),
            || {
                unchanged::<Organisation, OrganisationCard>(
                    &old.organisations,
                    &site.organisations,
                    |o| &o.slug,
                )
            },
        );
        let (n, m) = (old.cities.len(), old.organisations.len());
        renderer.city_cards = Mutex::new(
            kept(&self.city_cards)
                .and_then(|k| cards_again::<City, CityCard>(&k, &cities, &site.cities, n)),
        );
        renderer.city_card_html = Mutex::new(html_again(html(&self.city_card_html), &cities, n));
        renderer.organisation_cards = Mutex::new(kept(&self.organisation_cards).and_then(|k| {
            cards_again::<Organisation, OrganisationCard>(
                &k,
                &organisations,
                &site.organisations,
                m,
            )
        }));
        renderer.organisation_html =
            Mutex::new(html_again(html(&self.organisation_html), &organisations, m));
        renderer
    }

    /// The card of every city of `site`, this renderer's model: made now, or as kept.
    fn city_cards(&self, site: &Site) -> Value {
        let kept = || self.city_cards.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cards) = kept().as_ref() {
            return cards.clone();
        }
        // Made without the lock held: its tasks may run on threads that wait for it.
        let cards = Value::from(cards::<City, CityCard>(&site.cities));
        if self.keep_cards {
            *kept() = Some(cards.clone());
        }
        cards
    }

    /// The card of every organisation of `site`, this renderer's model: made now, or as
    /// kept.
    fn organisation_cards(&self, site: &Site) -> Value {
        let kept = || {
            self.organisation_cards
                .lock()
                .unwrap_or_else(|e| e.into_inner())
        };
        if let Some(cards) = kept().as_ref() {
            return cards.clone();
        }
        let cards = Value::from(cards::<Organisation, OrganisationCard>(&site.organisations));
        if self.keep_cards {
            *kept() = Some(cards.clone());
        }
        cards
    }

    /// A renderer of `site` with these templates: the values every page shares are
    /// serialised here.
    fn with(
        tera: Tera,
        minified: Option<Tera>,
        page_sizes: FxHashMap<String, AtomicUsize>,
        site: &Site,
    ) -> Renderer {
        let view = SiteView::of(site);
        let enjeu = values(&site.enjeux);
        let home_cities =
            cards::<City, CityCard>(&site.cities[..site.cities.len().min(HOME_CARDS)]);
        let sector_cards = cards::<Sector, SectorCard>(&site.sectors);
        let shared = Shared {
            site: Value::from_serializable(&view),
            site_config: Value::from_serializable(&site.config),
            home_cities: Value::from(home_cities),
            home_sectors: Value::from(
                sector_cards
                    .iter()
                    .take(HOME_CARDS)
                    .cloned()
                    .collect::<Vec<_>>(),
            ),
            sectors: Value::from(sector_cards),
            enjeux: Value::from(enjeu.clone()),
            enjeu,
        };
        let named = Named::of(&tera);
        Renderer {
            tera,
            minified,
            shared,
            charts: charts::Charts::new(&site.comparisons),
            chart_html: Mutex::default(),
            page_sizes,
            city_cards: Mutex::default(),
            city_card_html: Mutex::default(),
            organisation_html: Mutex::default(),
            organisation_cards: Mutex::default(),
            keep_cards: false,
            named,
            metrics: None,
        }
    }

    /// Takes a change of `site`'s organisations by `partners` (`patch`): the kept cards
    /// of those changed are made again, and the counts the lists show are counted again.
    pub fn patch_organisations(&mut self, site: &Site, patch: &crate::site::partners::Patch) {
        let kept = self
            .organisation_cards
            .get_mut()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(cards) = kept.as_mut() {
            let mut list: Vec<Value> = cards.as_array().map(<[Value]>::to_vec).unwrap_or_default();
            patch.apply(&mut list, Value::none);
            let card = |i: usize| {
                Value::from_serializable(&OrganisationCard::from(&site.organisations[i]))
            };
            for &i in patch.changed.iter().chain(&patch.added) {
                list[i] = card(i);
            }
            debug_assert_eq!(list.len(), site.organisations.len());
            *cards = Value::from(list);
        }
        let html = self.organisation_html.get_mut();
        if let Some(kept) = html.unwrap_or_else(|e| e.into_inner()).as_mut() {
            patch.apply(kept, || None);
            for &i in &patch.changed {
                kept[i] = None;
            }
        }
        if patch.added.len() != patch.removed.len() {
            self.recount(site);
        }
    }

    /// Takes a change of what `site` counts (its organisations, its published cities):
    /// the `site` value of the lists that count them is made again (`COUNTING`).
    pub fn recount(&mut self, site: &Site) {
        self.shared.site = Value::from_serializable(&SiteView::of(site));
    }

    /// Takes a change of the card of `site`'s city `i` (`site::patch_card`): its
    /// kept cards are made again, and the charts drawn from the comparisons of `site`.
    /// Returns the lists that show its card: that of every city, and the home page when
    /// the city is among its first.
    pub fn patch_card(&mut self, site: &Site, i: usize) -> Vec<Route> {
        self.charts = charts::Charts::new(&site.comparisons);
        self.chart_html
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.patch_city_card(site, i)
    }

    /// Takes a change of the card of `site`'s city `i`: its kept cards are made again.
    /// Returns the lists that show its card: that of every city, and the home page when
    /// the city is among its first.
    pub fn patch_city_card(&mut self, site: &Site, i: usize) -> Vec<Route> {
        let card = Value::from_serializable(&CityCard::from(&site.cities[i]));
        let with_card = |list: &Value| with_item(list, i, &card);
        let kept = self.city_cards.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(cards) = kept.as_mut() {
            *cards = with_card(cards);
        }
        let html = self.city_card_html.get_mut();
        let kept = html.unwrap_or_else(|e| e.into_inner()).as_mut();
        if let Some(card) = kept.and_then(|kept| kept.get_mut(i)) {
            *card = None;
        }
        if i < HOME_CARDS {
            self.shared.home_cities = with_card(&self.shared.home_cities);
            vec![Route::Cities, Route::Home]
        } else {
            vec![Route::Cities]
        }
    }

    /// Takes a city of `site` moved in the list from `from` to `to` (`site::rename`): its
    /// kept card and the HTML of its card move with it, and the home page's cards are
    /// made again when it is or was among them. Returns the home page then. Its card is
    /// still to be made again (`patch_card`).
    pub fn move_city(&mut self, site: &Site, from: usize, to: usize) -> Vec<Route> {
        let kept = self.city_cards.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(cards) = kept.as_mut() {
            let mut list = cards.as_array().map(<[Value]>::to_vec).unwrap_or_default();
            moved(&mut list, from, to);
            *cards = Value::from(list);
        }
        let html = self.city_card_html.get_mut();
        if let Some(kept) = html.unwrap_or_else(|e| e.into_inner()).as_mut() {
            moved(kept, from, to);
        }
        if from.min(to) < HOME_CARDS {
            let home = &site.cities[..site.cities.len().min(HOME_CARDS)];
            self.shared.home_cities = Value::from(cards::<City, CityCard>(home));
            vec![Route::Home]
        } else {
            Vec::new()
        }
    }

    /// Takes a city put into `site`'s list at `at` (`added`) or taken out of it
    /// (`site::added`): its kept card and the HTML of its card come or go, the home
    /// page's cards are made again when it is or was among them, and the charts are drawn
    /// again from `site`'s comparisons when they changed (`charts`).
    pub fn city_came_or_went(&mut self, site: &Site, at: usize, added: bool, charts: bool) {
        fn came_or_went<T>(list: &mut Vec<T>, at: usize, added: bool, item: impl FnOnce() -> T) {
            if added && at <= list.len() {
                list.insert(at, item());
            } else if !added && at < list.len() {
                list.remove(at);
            }
        }
        let card = || Value::from_serializable(&CityCard::from(&site.cities[at]));
        let kept = self.city_cards.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(cards) = kept.as_mut() {
            let mut list = cards.as_array().map(<[Value]>::to_vec).unwrap_or_default();
            came_or_went(&mut list, at, added, card);
            debug_assert_eq!(
                list.len(),
                site.cities.len(),
                "a kept list of another length"
            );
            *cards = Value::from(list);
        }
        let html = self.city_card_html.get_mut();
        if let Some(kept) = html.unwrap_or_else(|e| e.into_inner()).as_mut() {
            came_or_went(kept, at, added, || None);
        }
        if at < HOME_CARDS {
            let home = &site.cities[..site.cities.len().min(HOME_CARDS)];
            self.shared.home_cities = Value::from(cards::<City, CityCard>(home));
        }
        if charts {
            self.charts = charts::Charts::new(&site.comparisons);
            (self.chart_html.get_mut())
                .unwrap_or_else(|e| e.into_inner())
                .clear();
        }
    }

    /// Takes a change of the cards of `site`'s projects, their order among them
    /// (`site::rename::sector`): the project cards are made again. Returns the lists that
    /// show them: that of every project, and the home page when the change is among its
    /// first, `first` being the first place changed.
    pub fn patch_sector_cards(&mut self, site: &Site, first: usize) -> Vec<Route> {
        let cards = cards::<Sector, SectorCard>(&site.sectors);
        let home = cards.iter().take(HOME_CARDS).cloned().collect::<Vec<_>>();
        self.shared.home_sectors = Value::from(home);
        self.shared.sectors = Value::from(cards);
        if first < HOME_CARDS {
            vec![Route::Sectors, Route::Home]
        } else {
            vec![Route::Sectors]
        }
    }

    /// Takes a change of the fiches of `site`'s issues at `changed` (`site::issues`):
    /// their values are made again. Returns the pages that are given them: each issue's,
    /// the list of issues, which counts their fiches, and the home page, which lists the
    /// issues.
    pub fn patch_enjeux(&mut self, site: &Site, changed: &[usize]) -> Vec<Route> {
        if changed.is_empty() {
            return Vec::new();
        }
        for &k in changed {
            self.shared.enjeu[k] = Value::from_serializable(&site.enjeux[k]);
        }
        self.shared.enjeux = Value::from(self.shared.enjeu.clone());
        let mut routes = vec![Route::Enjeux, Route::Home];
        routes.extend(changed.iter().map(|&k| Route::Enjeu(k)));
        routes
    }

    /// Takes a change of the card of `site`'s project `j` (`site::issues::sector_issues`):
    /// the project cards are made again. Returns the lists that show its card: that of
    /// every project, and the home page when the project is among its first.
    pub fn patch_sector_card(&mut self, site: &Site, j: usize) -> Vec<Route> {
        let card = Value::from_serializable(&SectorCard::from(&site.sectors[j]));
        let with_card = |list: &Value| with_item(list, j, &card);
        self.shared.sectors = with_card(&self.shared.sectors);
        if j < HOME_CARDS {
            self.shared.home_sectors = with_card(&self.shared.home_sectors);
            vec![Route::Sectors, Route::Home]
        } else {
            vec![Route::Sectors]
        }
    }

    /// What a page's template is given, name by name. A page is a function of its
    /// template and of these values: two models that give a route the same entries give
    /// it the same page (`fingerprint`).
    fn entries(&self, site: &Site, route: &Route) -> Entries {
        let site_value = if routes::COUNTING.contains(route) {
            &self.shared.site
        } else {
            &self.shared.site_config
        };
        let mut e = vec![
            ("site", site_value.clone()),
            ("page_url", Value::from(route.url(site))),
            ("page_path", Value::from(route.path(site))),
            ("page_title", Value::from(route.title(site))),
            ("page_description", Value::from(route.description(site))),
        ];
        let mut failed = None;
        match *route {
            Route::Home => {
                e.push(("cities", self.shared.home_cities.clone()));
                e.push(("sectors", self.shared.home_sectors.clone()));
                e.push(("enjeux", self.shared.enjeux.clone()));
            }
            Route::Cities => {
                let charts: Vec<_> = (0..site.comparisons.len())
                    .map(|i| {
                        Value::from_serializable(&self.charts.chart(
                            &site.comparisons,
                            i,
                            i + 1,
                            None,
                        ))
                    })
                    .collect();
                let uses = self.named.cities;
                let cards = uses.list.then(|| self.city_cards(site));
                let card = |i| city_card(&site.cities[i]);
                let list = (cards, site.cities.len(), card);
                failed = self.list(&mut e, list, &self.city_card_html, &CITY_CARDS, uses);
                e.push(("comparisons", Value::from(charts)));
            }
            Route::City(i) => {
                let slug = site.cities[i].slug.as_str();
                let comparisons = &site.comparisons;
                // The preview, which renders a few pages at a time, asks each ranking; a
                // build asks the charts, which find every city's places at once. The
                // tests' builds compare the two on every city page.
                let places = if self.keeps() {
                    charts::Charts::ranked(comparisons, slug)
                } else {
                    self.charts.places(comparisons, slug).collect()
                };
                debug_assert_eq!(
                    self.charts.places(comparisons, slug).collect::<Vec<_>>(),
                    charts::Charts::ranked(comparisons, slug),
                    "the places of {slug}, in the charts and in the rankings"
                );
                let mine: Vec<_> = (places.into_iter().enumerate())
                    .map(|(k, (i, place))| {
                        let chart = match place.drawn {
                            Some(_) => self.charts.chart(comparisons, i, k + 1, Some(place)),
                            None => (self.shared_chart(site, i, k + 1)).with_own(
                                comparisons,
                                i,
                                place.rank,
                            ),
                        };
                        Value::from_serializable(&chart)
                    })
                    .collect();
                e.push(("city", Value::from_serializable(&site.cities[i])));
                e.push(("city_comparisons", Value::from(mine)));
            }
            Route::Sectors => e.push(("sectors", self.shared.sectors.clone())),
            Route::Sector(i) => e.push(("sector", Value::from_serializable(&site.sectors[i]))),
            Route::Enjeux => e.push(("enjeux", self.shared.enjeux.clone())),
            Route::Enjeu(i) => e.push(("enjeu", self.shared.enjeu[i].clone())),
            Route::Organisations => {
                let uses = self.named.organisations;
                let cards = uses.list.then(|| self.organisation_cards(site));
                let card = |i| organisation_card(&site.organisations[i]);
                let list = (cards, site.organisations.len(), card);
                let kept = &self.organisation_html;
                failed = self.list(&mut e, list, kept, &ORGANISATION_LINES, uses);
            }
            Route::Organisation(i) => {
                let organisation = Value::from_serializable(&site.organisations[i]);
                e.push(("organisation", organisation));
            }
            Route::Search | Route::NotFound | Route::Data => {}
        }
        e.push(("jsonld", Value::from(jsonld::for_route(site, route))));
        Entries { values: e, failed }
    }

    /// Gives a list page what its template `uses`: its items rendered alone
    /// (`items_html`), and the list itself. The `cards` are those of every item when
    /// the template names the list, else each of the `len` items' `card` is made alone
    /// when its HTML is not kept; the error of an item that could not be rendered alone,
    /// when the template prints them.
    fn list(
        &self,
        e: &mut Vec<(&'static str, Value)>,
        (cards, len, card): (Option<Value>, usize, impl Fn(usize) -> Value + Sync),
        kept: &Kept,
        items: &'static Items,
        uses: Uses,
    ) -> Option<ItemError> {
        let mut failed = None;
        if uses.html {
            let html = match cards.as_ref().and_then(Value::as_array) {
                Some(cards) => self.items_html(kept, cards.len(), |i| cards[i].clone(), items),
                None => self.items_html(kept, len, card, items),
            };
            match html {
                Ok(Some(html)) => e.push((items.html, html)),
                // A theme made before the partial existed loops over the list itself.
                Ok(None) => {}
                Err(error) => failed = Some(ItemError { items, error }),
            }
        }
        if uses.list
            && let Some(cards) = cards
        {
            e.push((items.list, cards));
        }
        failed
    }

    /// The HTML of a list's `len` items, as the list's loop would print them: the
    /// partial of `items` rendered for each item's card alone (`card(i)`), with `site`
    /// (the configuration alone, so that an item is unchanged by a fiche added
    /// elsewhere), the card under the partial's name and the card's heading as
    /// `card_heading`, and joined. Rendered once each in `fiches serve` (`kept`) rather
    /// than every item at each edit: the lists of every city and of every organisation
    /// have tens of thousands. `None` for a theme without the partial; the error of the
    /// first item that cannot be rendered alone, told from the templates as written.
    fn items_html(
        &self,
        kept: &Kept,
        len: usize,
        card: impl Fn(usize) -> Value + Sync,
        items: &Items,
    ) -> Result<Option<Value>, tera::Error> {
        let tera = self.minified.as_ref().unwrap_or(&self.tera);
        // A theme made before the partial existed loops over the list itself.
        if !tera.get_template_names().any(|n| n == items.template) {
            return Ok(None);
        }
        let lock = || kept.lock().unwrap_or_else(|e| e.into_inner());
        let mut html = lock().take().filter(|h| h.len() == len);
        let html = html.get_or_insert_with(|| vec![None; len]);
        // Rendered without the lock held: its tasks may run on threads that wait for it.
        let rendered: Vec<Result<Arc<String>, tera::Error>> = (html.par_iter_mut().enumerate())
            .map(|(i, html)| match html.take() {
                Some(html) => Ok(html),
                None => {
                    let timer = self.timer();
                    let mut ctx = Context::new();
                    ctx.insert_value("site", self.shared.site_config.clone());
                    ctx.insert_value(items.name, card(i));
                    if let Some(heading) = items.heading {
                        ctx.insert("card_heading", heading);
                    }
                    let rendered = tera.render(items.template, &ctx);
                    let bytes = rendered.as_ref().map_or(0, String::len);
                    self.timed(items.template, timer, bytes);
                    (rendered)
                        .map(Arc::new)
                        .map_err(|e| self.as_written(items.template, &ctx, e))
                }
            })
            .collect();
        // The first error in the list's order, whichever thread met it first.
        let rendered = rendered.into_iter().collect::<Result<Vec<_>, _>>()?;
        let mut joined = String::with_capacity(rendered.iter().map(|item| item.len()).sum());
        rendered.iter().for_each(|item| joined.push_str(item));
        // A one-off build frees them before the list's page is made: the largest lists
        // are megabytes, rendered at the same time.
        if self.keep_cards {
            *lock() = Some(rendered.into_iter().map(Some).collect());
        } else {
            drop(rendered);
        }
        Ok(Some(Value::safe_string(&joined)))
    }

    /// The `i`-th comparison's chart without a highlighted bar, as the `position`-th
    /// chart of a page, made once and kept: its values, and as its `html`,
    /// `partials/graphique.html` rendered with `site`, `c`, `chart_id` and an empty
    /// `current`. Its `html` is none if it cannot be rendered alone: the page then
    /// includes the partial, and reports its error.
    fn shared_chart(&self, site: &Site, i: usize, position: usize) -> charts::Chart {
        let key = (i, position);
        let kept = |charts: &FxHashMap<_, charts::Chart>| charts.get(&key).cloned();
        if let Some(chart) = self.chart_html.lock().ok().and_then(|c| kept(&c)) {
            return chart;
        }
        let mut chart = self.charts.chart(&site.comparisons, i, position, None);
        let mut ctx = Context::new();
        ctx.insert_value("site", self.shared.site_config.clone());
        ctx.insert("chart_id", &chart.id);
        ctx.insert("current", "");
        ctx.insert_value("c", Value::from_serializable(&chart));
        let tera = self.minified.as_ref().unwrap_or(&self.tera);
        chart.html = tera
            .render(CHART_TEMPLATE, &ctx)
            .ok()
            .map(|html| Value::safe_string(&html));
        if let Ok(mut charts) = self.chart_html.lock() {
            charts.insert(key, chart.clone());
        }
        chart
    }

    /// A hash of what a route's page is made from: its template's name and its entries.
    /// Within one set of templates, an unchanged fingerprint is an unchanged page. The
    /// hash is FxHash's, fast on the many short strings of a page's values; two different
    /// pages share a fingerprint only by accident of 64 bits, and then only the preview's
    /// page lags, until the next full build.
    pub fn fingerprint(&self, site: &Site, route: &Route) -> u64 {
        let mut hash = rustc_hash::FxHasher::default();
        route.template().hash(&mut hash);
        let Entries { values, failed } = self.entries(site, route);
        for (name, value) in values {
            name.hash(&mut hash);
            hash_value(&value, &mut hash);
        }
        if let Some(failed) = failed {
            error_chain(&failed.error).hash(&mut hash);
        }
        hash.finish()
    }

    /// A rendered page as it is written: minified, by its templates or now.
    pub fn finish(&self, html: Vec<u8>) -> Vec<u8> {
        if self.minified.is_some() {
            html
        } else {
            minify::html(&html)
        }
    }

    /// An error of `template` rendered with `ctx`, told from the templates as written,
    /// whose lines the theme's author knows, when it came from their minified text.
    fn as_written(&self, template: &str, ctx: &Context, e: tera::Error) -> tera::Error {
        match &self.minified {
            Some(_) => self.tera.render(template, ctx).err().unwrap_or(e),
            None => e,
        }
    }

    /// Renders one route to HTML.
    pub fn render(&self, site: &Site, route: &Route) -> Result<Vec<u8>, Diagnostic> {
        let timer = self.timer();
        let Entries { values, failed } = self.entries(site, route);
        if let Some(failed) = &failed {
            self.timed(route.template(), timer, 0);
            return Err(item_error(site, route, failed));
        }
        let mut ctx = Context::new();
        for (name, value) in values {
            ctx.insert_value(name, value);
        }
        let size = self.page_sizes.get(route.template());
        let last = size.map_or(0, |s| s.load(Ordering::Relaxed));
        let mut html = Vec::with_capacity(last + last / 16);
        let tera = self.minified.as_ref().unwrap_or(&self.tera);
        let rendered = tera.render_to(route.template(), &ctx, &mut html);
        if let Some(size) = size {
            size.store(html.len(), Ordering::Relaxed);
        }
        self.timed(route.template(), timer, html.len());
        rendered
            .map(|()| html)
            .map_err(|e| page_error(site, route, &self.as_written(route.template(), &ctx, e)))
    }
}

/// Feeds a template value to a hasher, whole and unambiguously: each value is tagged with
/// its kind, strings end with a marker (as `str`'s `Hash` does), lists and maps start
/// with their length.
fn hash_value(value: &Value, h: &mut impl Hasher) {
    use tera::value::ValueKind as K;
    let kind = value.kind();
    std::mem::discriminant(&kind).hash(h);
    match kind {
        K::Undefined | K::None => {}
        K::Bool => value.as_bool().hash(h),
        K::U64 => value.as_u64().hash(h),
        K::I64 => value.as_i64().hash(h),
        K::U128 => value.as_u128().hash(h),
        K::I128 => value.as_i128().hash(h),
        K::F64 => value.as_f64().map(f64::to_bits).hash(h),
        K::String => {
            value.is_safe().hash(h);
            value.as_str().hash(h);
        }
        K::Array => {
            let items = value.as_array().unwrap_or_default();
            items.len().hash(h);
            items.iter().for_each(|v| hash_value(v, h));
        }
        K::Map => {
            let map = value.as_map();
            map.map_or(0, |m| m.len()).hash(h);
            for (k, v) in map.into_iter().flatten() {
                k.hash(h);
                hash_value(v, h);
            }
        }
        K::Bytes => value.as_bytes().hash(h),
        // A kind of value that a later Tera may add: as the template would print it.
        _ => value.to_string().hash(h),
    }
}

/// A file that is not a page (open data, search index, feeds, schemas): its place in the
/// output and how to make it. Its name is known before it is made, so that the pages'
/// links to it are checked while it is made beside them.
pub struct Generated<'a> {
    pub path: String,
    write: WriteFile<'a>,
}

/// How a generated file is written.
type WriteFile<'a> = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + Send + 'a>;

impl<'a> Generated<'a> {
    pub fn new(path: &str, make: impl FnOnce() -> Vec<u8> + Send + 'a) -> Self {
        Generated::streamed(path, move |w| w.write_all(&make()))
    }

    /// A file written as it is made, never whole in memory (`fiches.json` is 50 MB at
    /// 10 000 cities).
    pub fn streamed(
        path: &str,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()> + Send + 'a,
    ) -> Self {
        Generated {
            path: path.to_string(),
            write: Box::new(write),
        }
    }

    /// A file already made.
    pub fn ready(path: String, bytes: Vec<u8>) -> Self {
        Generated {
            path,
            write: Box::new(move |w| w.write_all(&bytes)),
        }
    }

    /// Makes the file into `w`.
    pub fn write_to(self, w: &mut dyn Write) -> std::io::Result<()> {
        (self.write)(w)
    }
}

/// The files that are not pages: open data, search index, sitemap, robots, feed.
pub fn files(site: &Site) -> Vec<Generated<'_>> {
    let mut files = data::files(site);
    files.extend(feeds::files(site));
    files.push(Generated::streamed(search::PATH, |w| {
        search::write_index(site, w)
    }));
    files
}

fn template_error(sources: &BTreeMap<String, (PathBuf, String)>, e: &tera::Error) -> Diagnostic {
    let msg = error_chain(e);
    let file = sources
        .iter()
        .find(|(name, _)| msg.contains(name.as_str()))
        .map(|(_, (rel, _))| rel.clone())
        .unwrap_or_else(|| PathBuf::from("templates"));
    Diagnostic::file_error(&file, format!("gabarit invalide : {msg}"))
        .with_hint("corrigez la syntaxe Tera du gabarit")
}

/// A page that its templates could not render.
fn page_error(site: &Site, route: &Route, e: &tera::Error) -> Diagnostic {
    Diagnostic::file_error(
        Path::new(route.template()),
        format!(
            "erreur dans le gabarit en produisant {} : {}",
            route.output_file(site),
            error_chain(e)
        ),
    )
    .with_hint("corrigez le gabarit (thème ou dossier `templates/` du site)")
}

/// A page whose list has an item that could not be rendered alone, told at the item's
/// partial.
fn item_error(site: &Site, route: &Route, failed: &ItemError) -> Diagnostic {
    let items = failed.items;
    Diagnostic::file_error(
        Path::new(items.template),
        format!(
            "erreur dans le gabarit en produisant {} : {}",
            route.output_file(site),
            error_chain(&failed.error)
        ),
    )
    .with_hint(format!(
        "chaque élément de la liste est produit seul, avec la seule configuration dans `site` : corrigez ce gabarit, ou faites boucler le gabarit de la liste ({}) sur `{}` en l’incluant",
        route.template(),
        items.list
    ))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(" : ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::Route;

    /// A copy of the site shipped in the repository, with `templates`, the site's own
    /// templates, by name.
    fn shipped_with(templates: &[(&str, &str)]) -> tempfile::TempDir {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(repo.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        for folder in ["content", "themes"] {
            for entry in walkdir::WalkDir::new(repo.join(folder)) {
                let entry = entry.unwrap();
                let to = dir.path().join(entry.path().strip_prefix(repo).unwrap());
                if entry.file_type().is_dir() {
                    std::fs::create_dir_all(&to).unwrap();
                } else {
                    std::fs::copy(entry.path(), &to).unwrap();
                }
            }
        }
        for (name, text) in templates {
            let file = dir.path().join("templates").join(name);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        dir
    }

    /// The renderer of the site at `root`, for a one-off build or, with `kept`, for the
    /// preview, and its model.
    fn renderer(root: &Path, kept: bool) -> (super::Renderer, crate::site::Site) {
        let prepared = match crate::prepare(root, &crate::Options::default(), None, None) {
            Ok(prepared) => prepared,
            Err(crate::Failure::Content(diags)) => {
                panic!("{:?}", diags.iter().map(|d| &d.message).collect::<Vec<_>>())
            }
            Err(crate::Failure::Io(e)) => panic!("{e}"),
        };
        (prepared.renderer.keeping_cards(kept), prepared.site)
    }

    /// The names the template of `route` is given, by a one-off build or, with `kept`,
    /// by the preview's renderer.
    fn given(root: &Path, route: &Route, kept: bool) -> Vec<&'static str> {
        let (renderer, site) = renderer(root, kept);
        let entries = renderer.entries(&site, route);
        assert!(entries.failed.is_none(), "every item renders alone");
        entries.values.into_iter().map(|(name, _)| name).collect()
    }

    /// What the preview's renderer holds once the lists of every city and of every
    /// organisation are made: for each, whether it keeps the cards and their HTML.
    fn kept(root: &Path) -> [(bool, bool); 2] {
        let (renderer, site) = renderer(root, true);
        for route in [Route::Cities, Route::Organisations] {
            assert!(renderer.entries(&site, &route).failed.is_none());
        }
        let held = |cards: &std::sync::Mutex<Option<tera::Value>>, html: &super::Kept| {
            let html = html.lock().unwrap();
            let html = html.as_ref().is_some_and(|h| h.iter().all(Option::is_some));
            (cards.lock().unwrap().is_some(), html)
        };
        [
            held(&renderer.city_cards, &renderer.city_card_html),
            held(&renderer.organisation_cards, &renderer.organisation_html),
        ]
    }

    /// The preview keeps, of each list, what its template reads for the next edits: the
    /// items' HTML for the theme's lists, which print it, not the cards they are made
    /// from (about 75 MB at 10 000 cities); the cards for a list that loops over them,
    /// not the HTML it does not print.
    #[test]
    fn the_preview_keeps_of_a_list_only_what_its_template_reads() {
        let theme = shipped_with(&[]);
        assert_eq!(kept(theme.path()), [(false, true); 2]);
        let looping = shipped_with(&[
            (
                "villes.html",
                "{% extends \"base.html\" %}{% block content %}{% for city in cities %}{% include \"partials/carte-ville.html\" %}{% endfor %}{% endblock content %}",
            ),
            (
                "organismes.html",
                "{% extends \"base.html\" %}{% block content %}{% for o in organisations %}{% include \"partials/ligne-organisme.html\" %}{% endfor %}{% endblock content %}",
            ),
        ]);
        assert_eq!(kept(looping.path()), [(true, false); 2]);
    }

    /// The theme's lists print their items rendered alone, so they are not given the
    /// list of every city or organisation, and a one-off build does not make it (tens of
    /// megabytes of cards at a province's scale); a list template that names the list,
    /// in its own text, in a template it extends or in a partial it includes, is given
    /// it. The preview gives the same names.
    #[test]
    fn a_list_of_every_card_is_given_only_to_a_template_that_names_it() {
        let theme = shipped_with(&[]);
        for kept in [false, true] {
            let cities = given(theme.path(), &Route::Cities, kept);
            assert!(cities.contains(&"city_cards_html"), "{cities:?}");
            assert!(!cities.contains(&"cities"), "{cities:?}");
            let organisations = given(theme.path(), &Route::Organisations, kept);
            assert!(organisations.contains(&"organisation_lines_html"));
            assert!(
                !organisations.contains(&"organisations"),
                "{organisations:?}"
            );
        }

        let counted = shipped_with(&[
            (
                "villes.html",
                "{% extends \"liste.html\" %}{% block list %}{{ city_cards_html | safe }}{% endblock list %}",
            ),
            (
                "liste.html",
                "{% extends \"base.html\" %}{% block content %}{{ cities | length }}{% block list %}{% endblock list %}{% endblock content %}",
            ),
            (
                "organismes.html",
                "{% extends \"base.html\" %}{% block content %}{% include \"partials/compte.html\" %}{% endblock content %}",
            ),
            ("partials/compte.html", "{{ organisations | length }}"),
        ]);
        for kept in [false, true] {
            let cities = given(counted.path(), &Route::Cities, kept);
            assert!(cities.contains(&"cities") && cities.contains(&"city_cards_html"));
            let organisations = given(counted.path(), &Route::Organisations, kept);
            assert!(
                organisations.contains(&"organisations"),
                "{organisations:?}"
            );
        }
    }

    /// A list template that loops over its list is given it, and neither a one-off build
    /// nor the preview renders its items alone, which it would not print.
    #[test]
    fn a_list_that_loops_is_given_its_list_and_not_its_items_alone() {
        let site = shipped_with(&[(
            "villes.html",
            "{% extends \"base.html\" %}{% block content %}{% for city in cities %}{% include \"partials/carte-ville.html\" %}{% endfor %}{% endblock content %}",
        )]);
        for kept in [false, true] {
            let cities = given(site.path(), &Route::Cities, kept);
            assert!(cities.contains(&"cities"), "{cities:?}");
            assert!(!cities.contains(&"city_cards_html"), "{cities:?}");
        }
    }

    /// A component that takes the list as an implicit argument reads it from the page
    /// that calls it: the page names it, although its own text does not.
    #[test]
    fn a_component_that_reads_the_list_from_the_page_names_it() {
        let site = shipped_with(&[
            (
                "composants.html",
                "{% component Compte(@cities) %}{{ cities | length }}{% endcomponent Compte %}",
            ),
            (
                "villes.html",
                "{% extends \"base.html\" %}{% block content %}{{ <Compte /> }}{{ city_cards_html | safe }}{% endblock content %}",
            ),
        ]);
        let cities = given(site.path(), &Route::Cities, false);
        assert!(cities.contains(&"cities"), "{cities:?}");
    }
}
