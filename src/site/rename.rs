//! A city renamed or given another status, a project renamed or given another order or
//! region, and nothing else that shows outside its page: the model is changed in place instead of being made again from every fiche (`fiches serve`, see
//! `workspace`). A fiche's name shows on its card, in the roles of the organisations it
//! names, in the lists of the issues it names, and for a city on the bars of the
//! comparisons; it sets the fiche's place in the list of fiches, in those roles and lists,
//! and among the bars of equal value.
//!
//! `build` sorts by folded name, and lists fiches whose names fold alike in the order it
//! reads them: where another fiche of its kind has a name that folds as the new name
//! does, there is no patch (`None`) and the whole site is modelled again. The outcome is the model
//! `build` makes of the same files (tests/incremental.rs).

use std::sync::Arc;

use rayon::prelude::*;

use super::comparisons::{self, Was};
use super::entities::role_order;
use super::{Enjeu, Link, Organisation, Site, patch_city, patch_sector};
use crate::content::{CityFile, Document, SectorFile, Status, key};
use crate::text::fold;

/// What a rename changed, for what is kept beside the model (the routes of the fiches,
/// the cards of the lists) and for the pages to render again.
#[derive(Debug)]
pub struct Renamed {
    /// Whether its name changed (a city's status, a project's order or region alone may
    /// have).
    pub renamed: bool,
    /// Whether a city's status changed: the lists that count the published cities.
    pub counted: bool,
    /// The fiche's place in its list, before and after.
    pub from: usize,
    pub to: usize,
    /// The organisations whose roles name it, by place.
    pub organisations: Vec<usize>,
    /// The issues whose lists name it, by place.
    pub enjeux: Vec<usize>,
    /// What became of the comparisons that changed, by place (a city's).
    pub comparisons: Vec<(usize, Was)>,
}

/// Puts a new version of the city at `i` into the model when it differs from the last
/// only by its name, its status and what its own page shows (its structural key, computed
/// with the old name and status, is the same); `None`, with the model untouched, when it
/// does not, when another city's name folds as the new one does, or when the kinds of
/// figure would be compared otherwise (in another order, or more or fewer of them).
pub fn city(site: &mut Site, i: usize, mut doc: Document<CityFile>) -> Option<Renamed> {
    let old = &site.cities[i];
    let d = &mut doc.data;
    let published = d.statut == Status::Publiee;
    let renamed = d.ville.value != old.name;
    if doc.slug != old.slug || (!renamed && published == old.published) {
        return None;
    }
    let status = if old.published {
        Status::Publiee
    } else {
        Status::AVenir
    };
    let name = std::mem::replace(&mut d.ville.value, old.name.clone());
    let status = std::mem::replace(&mut d.statut, status);
    let same = key::city(d).key == old.key;
    (d.ville.value, d.statut) = (name, status);
    let cities = site.cities.par_iter().map(|c| c.name.as_str());
    if !same || named_alike(cities, i, &doc.data.ville.value) {
        return None;
    }
    let from = i;
    let mut city = site.cities.remove(from);
    let was = (
        std::mem::replace(&mut city.name, doc.data.ville.value.clone()),
        std::mem::replace(&mut city.published, published),
    );
    let place = (!city.published, fold(&city.name));
    let to = (site.cities).partition_point(|c| (!c.published, fold(&c.name)) < place);
    site.cities.insert(to, city);
    // The kinds of figure are compared in the order the cities first show them, and
    // charted by that order on each city's page: a change of it is no patch.
    let Some(comparisons) = comparisons::compare_renamed(&mut site.comparisons, &site.cities, to)
    else {
        let mut city = site.cities.remove(to);
        (city.name, city.published) = was;
        site.cities.insert(from, city);
        return None;
    };
    let city = &mut site.cities[to];
    (city.key, city.card_key) = (doc.key, doc.card_key);
    (city.frame_key, city.issues_key) = (doc.frame_key, doc.issues_key);
    patch_city(city, doc);
    let city = &site.cities[to];
    let (organisations, enjeux) = if renamed {
        let named = (city.partnerships.iter().map(|p| &p.organisation))
            .chain(city.key_partners.iter().map(|k| &k.organisation));
        let lists = (&mut site.organisations[..], &mut site.enjeux[..]);
        rename_links(lists, (&city.name, &city.url), named, &city.enjeux, |e| {
            &mut e.cities
        })
    } else {
        Default::default()
    };
    Some(Renamed {
        renamed,
        counted: published != was.1,
        from,
        to,
        organisations,
        enjeux,
        comparisons,
    })
}

/// `city` for the sector project at `j`: a new version that differs from the last only
/// by its title, its order or its region (its place in the list of projects, and its
/// card) and what its own page shows.
pub fn sector(site: &mut Site, j: usize, mut doc: Document<SectorFile>) -> Option<Renamed> {
    let old = &site.sectors[j];
    let d = &mut doc.data;
    let retitled = d.titre.value != old.title;
    if doc.slug != old.slug || (!retitled && d.ordre == old.order && d.region == old.region) {
        return None;
    }
    let title = std::mem::replace(&mut d.titre.value, old.title.clone());
    let order = std::mem::replace(&mut d.ordre, old.order);
    let region = std::mem::replace(&mut d.region, old.region.clone());
    let same = key::sector(d).key == old.key;
    (d.titre.value, d.ordre, d.region) = (title, order, region);
    // Projects of one order whose titles fold alike are listed in the order they are read.
    let sectors = site.sectors.par_iter().map(|s| s.title.as_str());
    if !same || named_alike(sectors, j, &doc.data.titre.value) {
        return None;
    }
    let from = j;
    let mut sector = site.sectors.remove(from);
    let d = &mut doc.data;
    (sector.title, sector.order) = (d.titre.value.clone(), d.ordre);
    sector.region = d.region.take();
    let place = (sector.order.is_none(), sector.order, fold(&sector.title));
    let to =
        (site.sectors).partition_point(|s| (s.order.is_none(), s.order, fold(&s.title)) < place);
    site.sectors.insert(to, sector);
    let sector = &mut site.sectors[to];
    patch_sector(sector, doc);
    let sector = &site.sectors[to];
    let (organisations, enjeux) = if retitled {
        let named = std::iter::once(&sector.lead)
            .chain(&sector.partners)
            .chain(sector.partner_groups.iter().flat_map(|g| &g.partners));
        let lists = (&mut site.organisations[..], &mut site.enjeux[..]);
        let (title, url) = (&sector.title, &sector.url);
        rename_links(lists, (title, url), named, &sector.enjeux, |e| {
            &mut e.sectors
        })
    } else {
        Default::default()
    };
    Some(Renamed {
        renamed: retitled,
        counted: false,
        from,
        to,
        organisations,
        enjeux,
        comparisons: Vec::new(),
    })
}

/// Whether a fiche of the list `names` other than the one at `except` has a name that
/// folds as `name` does: the list of their kind, the roles and the issue lists put such
/// fiches in the order they are read, which a patch does not know. Fiches that shared the
/// old name keep their order among themselves, which the patch does not change; a city
/// and a project are never in one list, nor have roles of one kind (`role_rank`).
pub(super) fn named_alike<'a>(
    names: impl IndexedParallelIterator<Item = &'a str>,
    except: usize,
    name: &str,
) -> bool {
    let name = fold(name);
    names
        .enumerate()
        .any(|(k, n)| k != except && fold(n) == name)
}

/// The fiche `(name, url)` renamed in the roles of the organisations its links `named`
/// lead to and in the list `list` gives of each issue of `enjeux`, its issues; returns
/// the places of the organisations and of the issues changed.
fn rename_links<'a>(
    (organisations, all): (&mut [Organisation], &mut [Enjeu]),
    (name, url): (&str, &str),
    named: impl Iterator<Item = &'a Link>,
    enjeux: &[Link],
    list: impl Fn(&mut Enjeu) -> &mut Vec<Link>,
) -> (Vec<usize>, Vec<usize>) {
    let link = Link {
        name: name.into(),
        url: url.into(),
    };
    let organisations = rename_roles(organisations, named, &link);
    (organisations, rename_in_lists(all, enjeux, &link, list))
}

/// The fiche `link` renamed in the roles of the organisations `named` links to, each
/// organisation's roles sorted again; returns their places.
fn rename_roles<'a>(
    organisations: &mut [Organisation],
    named: impl Iterator<Item = &'a Link>,
    link: &Link,
) -> Vec<usize> {
    let mut urls: Vec<&str> = named.map(|l| &*l.url).collect();
    urls.sort_unstable();
    urls.dedup();
    let mut changed = Vec::new();
    for (k, o) in organisations.iter_mut().enumerate() {
        if urls.binary_search(&o.url.as_str()).is_err() {
            continue;
        }
        let mut found = false;
        for role in o.roles.iter_mut().filter(|r| r.fiche.url == link.url) {
            role.fiche.name = Arc::clone(&link.name);
            found = true;
        }
        if found {
            o.roles.sort_by_cached_key(role_order);
            changed.push(k);
        }
    }
    changed
}

/// The fiche `link` renamed in the list `list` gives of each issue of `named`, the list
/// sorted again as `build` sorts it; returns the issues' places.
fn rename_in_lists(
    enjeux: &mut [Enjeu],
    named: &[Link],
    link: &Link,
    list: impl Fn(&mut Enjeu) -> &mut Vec<Link>,
) -> Vec<usize> {
    let order = |l: &Link| (fold(&l.name), l.name.clone(), l.url.clone());
    let mut changed = Vec::new();
    for (k, e) in enjeux.iter_mut().enumerate() {
        if !named.iter().any(|n| *n.url == *e.url) {
            continue;
        }
        let list = list(e);
        if let Some(at) = list.iter().position(|l| l.url == link.url) {
            list.remove(at);
            let place = order(link);
            let at = list.partition_point(|l| order(l) < place);
            list.insert(at, link.clone());
            changed.push(k);
        }
    }
    changed
}
