//! A sector project added or deleted: the model is changed in place instead of being
//! made again from every fiche (`fiches serve`, see `workspace`). A project shows on its
//! own page, on its card in the list of projects (and on the home page when among the
//! first), in the roles of the organisations it names and in the lists of the issues it
//! names; the lists that count the fiches count it.
//!
//! `build` reads the projects after every city, in path order, and some outcomes hang on
//! that order (see `partners` and `issues`): a project that would be the first to name an
//! organisation or an issue whose spelling or slug it could change, a title that folds as
//! another project's, a slug another file takes, give way (`None`) and the whole site is
//! modelled again, which reports what a full build reports. The outcome is the model
//! `build` makes of the same files (tests/incremental.rs).

use rayon::prelude::*;

use super::issues::{self, Subject};
use super::partners::{self, Patch};
use super::rename::named_alike;
use super::{Link, Sector, Site, patch_sector};
use crate::content::{Document, SectorFile};
use crate::text::fold;

/// What a project added or deleted changed, for what is kept beside the model (the
/// routes of the fiches, the cards of the lists) and for the pages to render again.
#[derive(Debug)]
pub struct Added {
    /// The project's place in the list of projects: where it now is, or was.
    pub at: usize,
    /// What became of the organisations it names or named.
    pub organisations: Patch,
    /// The issues whose lists it joined or left, by place.
    pub enjeux: Vec<usize>,
}

/// Puts a project that is not in the model into it, in its place in the list of
/// projects; `None`, with the model untouched, when its slug is another's, its title
/// folds as another's, or its organisations or issues could be resolved otherwise by a
/// reading of every fiche.
pub fn sector(site: &mut Site, mut doc: Document<SectorFile>) -> Option<Added> {
    if site.sectors.iter().any(|s| s.slug == doc.slug) {
        return None;
    }
    let d = &mut doc.data;
    let titles = site.sectors.par_iter().map(|s| s.title.as_str());
    if named_alike(titles, usize::MAX, &d.titre.value) {
        return None;
    }
    let url = format!("{}secteurs/{}/", site.config.base_path, doc.slug);
    let path = doc.source.path.as_os_str().as_encoded_bytes();
    let subject = Subject {
        link: Link {
            name: d.titre.value.as_str().into(),
            url: url.as_str().into(),
        },
        before: &[],
        path,
        city: false,
    };
    // The issues are checked first: the organisations' patch changes the model.
    let plan = issues::plan(site, subject, &d.enjeux)?;
    let (organisations, (lead, partners, partner_groups)) =
        partners::new_sector(site, d, &doc.source, &url)?;
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
    })
}

/// Takes the project at `j`, whose file was deleted, out of the model; `None`, with the
/// model untouched, when it is the first to name an organisation or (without a
/// registry) an issue that another fiche names too, whose spelling could change.
pub fn sector_removed(site: &mut Site, j: usize) -> Option<Added> {
    let s = &site.sectors[j];
    let subject = Subject {
        link: Link {
            name: s.title.as_str().into(),
            url: s.url.as_str().into(),
        },
        before: &s.enjeux,
        path: s.source_file.path.as_os_str().as_encoded_bytes(),
        city: false,
    };
    let plan = issues::plan(site, subject, &[])?;
    let organisations = partners::sector_gone(site, j)?;
    let (_, enjeux) = plan.apply(site);
    let gone = site.sectors.remove(j);
    crate::drop_in_background(gone);
    Some(Added {
        at: j,
        organisations,
        enjeux,
    })
}
