//! A fiche added or deleted: the model is changed in place instead of being made again
//! from every fiche (`fiches serve`, see `workspace`). A fiche shows on its own page,
//! on its card in the list of its kind (and on the home page when among the first), in
//! the roles of the organisations it names and in the lists of the issues it names; a
//! published city in the comparisons of its kinds of figure, which count the cities
//! they compare; the lists that count the fiches count it.
//!
//! `build` reads the cities in path order, then the projects, and some outcomes hang on
//! that order (see `partners` and `issues`): a fiche that would be the first to name an
//! organisation or an issue whose spelling or slug it could change, a name that folds as
//! another fiche's of its kind, a slug another file takes, a file name that is no slug
//! (`build` refuses the file), a city that would be the first to show a kind of figure,
//! give way (`None`) and the whole site is modelled again, which reports what a full
//! build reports. The outcome is the model `build` makes of the same files
//! (tests/incremental.rs).

use rayon::prelude::*;

use super::comparisons::{self, Was};
use super::issues::{self, Subject};
use super::partners::{self, Fiche, Patch};
use super::rename::named_alike;
use super::{Link, Sector, Site, patch_sector};
use crate::content::{CityFile, Document, SectorFile};
use crate::text::{fold, is_slug};

/// What a fiche added or deleted changed, for what is kept beside the model (the
/// routes of the fiches, the cards of the lists) and for the pages to render again.
#[derive(Debug)]
pub struct Added {
    /// The fiche's place in the list of its kind: where it now is, or was.
    pub at: usize,
    /// What became of the organisations it names or named.
    pub organisations: Patch,
    /// The issues whose lists it joined or left, by place.
    pub enjeux: Vec<usize>,
    /// What became of the comparisons that changed, by place (a published city's).
    pub comparisons: Vec<(usize, Was)>,
}

fn link(name: &str, url: &str) -> Link {
    Link {
        name: name.into(),
        url: url.into(),
    }
}

fn path(source: &crate::diagnostic::SourceFile) -> &[u8] {
    source.path.as_os_str().as_encoded_bytes()
}

/// Puts a city that is not in the model into it, in its place in the list of cities
/// and in the comparisons of its figures; `None`, with the model untouched, when its
/// slug is another's or not one at all (a file name `build` refuses), its name folds as
/// another's, it would be the first to show a kind of figure, or its organisations or
/// issues could be resolved otherwise by a reading of every fiche.
pub fn city(site: &mut Site, doc: Document<CityFile>) -> Option<Added> {
    if !is_slug(&doc.slug) || site.cities.iter().any(|c| c.slug == doc.slug) {
        return None;
    }
    let name = doc.data.ville.value.as_str();
    let names = site.cities.par_iter().map(|c| c.name.as_str());
    if named_alike(names, usize::MAX, name) {
        return None;
    }
    let url = format!("{}villes/{}/", site.config.base_path, doc.slug);
    let subject = Subject {
        link: link(name, &url),
        before: &[],
        path: path(&doc.source),
        city: true,
    };
    // The issues are checked first, then the comparisons, with the city in its place
    // but no organisation yet: the organisations' patch is the last to change the model.
    let plan = issues::plan(site, subject, &doc.data.enjeux)?;
    let fiche = Fiche::new(site, true, name, &url, &doc.source);
    let compared = super::city(doc.clone(), Vec::new(), Vec::new(), Vec::new(), url.clone());
    let place = (!compared.published, fold(&compared.name));
    let at = (site.cities).partition_point(|c| (!c.published, fold(&c.name)) < place);
    site.cities.insert(at, compared);
    let Some(was) = comparisons::compare_renamed(&mut site.comparisons, &site.cities, at) else {
        site.cities.remove(at);
        return None;
    };
    let Some((organisations, (partnerships, key_partners))) =
        partners::city_roles(site, fiche, &doc.data)
    else {
        // Made again, never moved: the city was in no comparison before.
        let back = comparisons::put_back(&mut site.comparisons, was);
        debug_assert!(back, "a new city's bar moved");
        site.cities.remove(at);
        return None;
    };
    let (enjeux_links, enjeux) = plan.apply(site);
    site.cities[at] = super::city(doc, partnerships, key_partners, enjeux_links, url);
    Some(Added {
        at,
        organisations,
        enjeux,
        comparisons: was,
    })
}

/// Takes the city at `i`, whose file was deleted, out of the model and out of the
/// comparisons it was in; `None`, with the model untouched, when it is the first to show
/// a kind of figure, or to name an organisation or (without a registry) an issue that
/// another fiche names too.
pub fn city_removed(site: &mut Site, i: usize) -> Option<Added> {
    let c = &site.cities[i];
    let subject = Subject {
        link: link(&c.name, &c.url),
        before: &c.enjeux,
        path: path(&c.source_file),
        city: true,
    };
    let plan = issues::plan(site, subject, &[])?;
    let fiche = Fiche::city(site, i);
    let city = site.cities.remove(i);
    let Some(was) = comparisons::compare_removed(&mut site.comparisons, &site.cities, &city.slug)
    else {
        site.cities.insert(i, city);
        return None;
    };
    let Some(organisations) = partners::gone(site, fiche) else {
        // Made again, never moved (`compare_removed`).
        let back = comparisons::put_back(&mut site.comparisons, was);
        debug_assert!(back, "a deleted city's bar moved");
        site.cities.insert(i, city);
        return None;
    };
    let (_, enjeux) = plan.apply(site);
    crate::drop_in_background(city);
    Some(Added {
        at: i,
        organisations,
        enjeux,
        comparisons: was,
    })
}

/// Puts a project that is not in the model into it, in its place in the list of
/// projects; `None`, with the model untouched, when its slug is another's or not one at
/// all (a file name `build` refuses), its title folds as another's, or its
/// organisations or issues could be resolved otherwise by a reading of every fiche.
pub fn sector(site: &mut Site, mut doc: Document<SectorFile>) -> Option<Added> {
    if !is_slug(&doc.slug) || site.sectors.iter().any(|s| s.slug == doc.slug) {
        return None;
    }
    let d = &mut doc.data;
    let titles = site.sectors.par_iter().map(|s| s.title.as_str());
    if named_alike(titles, usize::MAX, &d.titre.value) {
        return None;
    }
    let url = format!("{}secteurs/{}/", site.config.base_path, doc.slug);
    let subject = Subject {
        link: link(&d.titre.value, &url),
        before: &[],
        path: path(&doc.source),
        city: false,
    };
    // The issues are checked first: the organisations' patch changes the model.
    let plan = issues::plan(site, subject, &d.enjeux)?;
    let fiche = Fiche::new(site, false, &d.titre.value, &url, &doc.source);
    let (organisations, (lead, partners, partner_groups)) = partners::sector_roles(site, fiche, d)?;
    let (enjeux_links, enjeux) = plan.apply(site);
    let d = &mut doc.data;
    let sector = Sector {
        slug: doc.slug.clone(),
        url,
        title: std::mem::take(&mut d.titre.value),
        order: d.ordre,
        region: d.region.take(),
        enjeux: enjeux_links,
        description: None,
        lead,
        partners,
        partner_groups,
        contact: None,
        updated: None,
        source_file: doc.source.clone(),
        key: doc.key,
        card_key: doc.card_key,
        frame_key: doc.frame_key,
        issues_key: doc.issues_key,
    };
    let place = (sector.order.is_none(), sector.order, fold(&sector.title));
    let at =
        (site.sectors).partition_point(|s| (s.order.is_none(), s.order, fold(&s.title)) < place);
    site.sectors.insert(at, sector);
    patch_sector(&mut site.sectors[at], doc);
    Some(Added {
        at,
        organisations,
        enjeux,
        comparisons: Vec::new(),
    })
}

/// Takes the project at `j`, whose file was deleted, out of the model; `None`, with the
/// model untouched, when it is the first to name an organisation or (without a
/// registry) an issue that another fiche names too, whose spelling could change.
pub fn sector_removed(site: &mut Site, j: usize) -> Option<Added> {
    let s = &site.sectors[j];
    let subject = Subject {
        link: link(&s.title, &s.url),
        before: &s.enjeux,
        path: path(&s.source_file),
        city: false,
    };
    let plan = issues::plan(site, subject, &[])?;
    let organisations = partners::gone(site, Fiche::sector(site, j))?;
    let (_, enjeux) = plan.apply(site);
    crate::drop_in_background(site.sectors.remove(j));
    Some(Added {
        at: j,
        organisations,
        enjeux,
        comparisons: Vec::new(),
    })
}
