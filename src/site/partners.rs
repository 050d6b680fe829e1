//! A city's or a project's partners changed (a project's lead organisation among them,
//! which its card shows too), and nothing else that shows outside its page: the model
//! is changed in place instead of being made again from every fiche
//! (`fiches serve`, see `workspace`). What changes is the fiche, the organisations it
//! names or named — their roles —, an organisation no fiche names any more, which goes,
//! and one named for the first time, which comes. A city and a project differ only in
//! their mentions (`partners`, `sector_partners`); the rest is `roles`.
//!
//! `build` resolves mentions in the order the fiches are read, and some outcomes hang on
//! that order: an organisation is spelled as its first mention spells it, slugs made
//! from one name are numbered in order, a mention found by its acronym names whatever
//! holds that acronym when it is read, roles that sort alike (two fiches whose names
//! fold alike) are listed as they are read. Where the edit could change any of these for
//! another fiche, there is no patch (`None`) and the whole site is modelled again. The
//! outcome is the model `build` makes of the same files (tests/incremental.rs).

use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::entities::{
    First, OrgIndex, organisation_order, role_label, role_order, role_rank, slug_base,
};
use super::resolve::{Resolver, split_acronym};
use super::{City, KeyOrganisation, Link, Organisation, PartnerGroup, Role, Site, patch_sector};
use crate::content::{CityFile, Document, SectorFile};
use crate::diagnostic::SourceFile;
use crate::text::fold;

/// What `partners` changed in the list of organisations, for what is kept beside the
/// model (its routes, the cards of the list) and for the pages to render again: the
/// list after the patch is the list before, less `removed`, with `added` inserted.
#[derive(Debug, Default)]
pub struct Patch {
    /// The organisations that no longer exist: their places before the patch, in order,
    /// and their slugs.
    pub removed: Vec<(usize, String)>,
    /// The organisations named for the first time, by their places after the patch, in
    /// order.
    pub added: Vec<usize>,
    /// The other organisations whose page changed, by their places after the patch.
    pub changed: Vec<usize>,
}

impl Patch {
    /// Where each organisation of the list before the patch is after it; `None` for
    /// those removed.
    pub fn moves(&self, before: usize) -> Vec<Option<usize>> {
        let mut after: Vec<Option<usize>> = (0..before).map(Some).collect();
        for (at, _) in self.removed.iter().rev() {
            after.remove(*at);
        }
        for &at in &self.added {
            after.insert(at, None);
        }
        let mut moves = vec![None; before];
        for (now, was) in after.into_iter().enumerate() {
            if let Some(was) = was {
                moves[was] = Some(now);
            }
        }
        moves
    }

    /// Applies the patch to a list kept in the order of the organisations, `fill` making
    /// the entries of those added.
    pub fn apply<T>(&self, list: &mut Vec<T>, mut fill: impl FnMut() -> T) {
        for (at, _) in self.removed.iter().rev() {
            list.remove(*at);
        }
        for &at in &self.added {
            list.insert(at, fill());
        }
    }
}

/// What a mention names: an organisation of the model, by id, or a new one.
#[derive(Clone, Copy, PartialEq)]
enum Target {
    Known(usize),
    New(usize),
}

/// An organisation named for the first time.
struct New {
    /// The mention, as the fiche writes it (trimmed).
    text: String,
    slug: String,
}

/// Puts a new version of the city at `i` into the model when it differs from the last
/// only by its partners and what its own page shows (its card key is the same); `None`,
/// with the model untouched, when it does not, or when the outcome could depend on the
/// order of the fiches. The model's organisation index is brought up to date with it
/// (`keep_up`): the next change of partners is patched in place too.
pub fn partners(site: &mut Site, i: usize, doc: Document<CityFile>) -> Option<Patch> {
    let old = &site.cities[i];
    if doc.card_key != old.card_key || doc.slug != old.slug {
        return None;
    }
    let fiche = Fiche::city(site, i);
    let (patch, named) = city_roles(site, fiche, &doc.data)?;
    let (partnerships, key_partners) = named;
    let city: &City = &site.cities[i];
    let (enjeux, url) = (city.enjeux.clone(), city.url.clone());
    site.cities[i] = super::city(doc, partnerships, key_partners, enjeux, url);
    Some(patch)
}

/// `partners` for the sector project at `j`: a new version that differs from the last
/// only by its organisations — its lead (`organisme_porteur`), which its card shows too,
/// its partners and partner groups (`partenaires`, `groupes_partenaires`) — and what its
/// own page shows (its frame key is the same).
pub fn sector_partners(site: &mut Site, j: usize, doc: Document<SectorFile>) -> Option<Patch> {
    let old = &site.sectors[j];
    if doc.frame_key != old.frame_key || doc.slug != old.slug {
        return None;
    }
    let fiche = Fiche::sector(site, j);
    let mut doc = doc;
    let (patch, links) = sector_roles(site, fiche, &mut doc.data)?;
    let sector = &mut site.sectors[j];
    (sector.lead, sector.partners, sector.partner_groups) = links;
    patch_sector(sector, doc);
    Some(patch)
}

/// The roles a fiche about to leave the model gives taken out of it (`fiche`, made
/// while it was in): an organisation no other fiche names goes. `None`, with the model
/// untouched, when the outcome could depend on the order of the fiches (the fiche is the
/// first to name an organisation that stays).
pub(super) fn gone(site: &mut Site, fiche: Fiche) -> Option<Patch> {
    let fiche = Fiche {
        leaving: true,
        ..fiche
    };
    roles(site, fiche, &[]).map(|(patch, _)| patch)
}

/// A city's partnerships and key partners, as the model links them.
pub(super) type CityLinks = (Vec<Link>, Vec<KeyOrganisation>);

/// A project's lead organisation, partners and partner groups, as links.
pub(super) type SectorLinks = (Link, Vec<Link>, Vec<PartnerGroup>);

/// The roles of a city's new version `d` put into the model (`roles`), and its
/// organisations as the model links them.
pub(super) fn city_roles(
    site: &mut Site,
    fiche: Fiche,
    d: &CityFile,
) -> Option<(Patch, CityLinks)> {
    let mentions: Vec<Mention> = (d.partenariats.iter())
        .map(|p| ("partenariat", None, p.nom.value.trim()))
        .chain((d.partenaires_cles.iter()).map(|p| ("partenaire_cle", None, p.nom.value.trim())))
        .collect();
    let (patch, mut named) = roles(site, fiche, &mentions)?;
    // Its links, made from the organisations as they now are.
    let key_partners = named.split_off(d.partenariats.len());
    let partnerships = named.into_iter().map(|o| o.link).collect();
    Some((patch, (partnerships, key_partners)))
}

/// The roles of a project's new version `d` put into the model (`roles`), and its
/// organisations as links; its groups of partners are taken out of `d`.
pub(super) fn sector_roles(
    site: &mut Site,
    fiche: Fiche,
    d: &mut SectorFile,
) -> Option<(Patch, SectorLinks)> {
    let mentions: Vec<Mention> =
        std::iter::once(("porteur", None, d.organisme_porteur.value.trim()))
            .chain((d.partenaires.iter()).map(|p| ("partenaire", None, p.value.trim())))
            .chain((d.groupes_partenaires.iter()).flat_map(|g| {
                (g.partenaires.iter())
                    .map(|p| ("partenaire", Some(g.titre.as_str()), p.value.trim()))
            }))
            .collect();
    let (patch, named) = roles(site, fiche, &mentions)?;

    // The project's links, made from the organisations as they now are.
    let mut named = named.into_iter().map(|o| o.link);
    let lead = named.next().expect("a project names its lead organisation");
    let partners = named.by_ref().take(d.partenaires.len()).collect();
    let partner_groups = (std::mem::take(&mut d.groupes_partenaires).into_iter())
        .map(|g| PartnerGroup {
            partners: named.by_ref().take(g.partenaires.len()).collect(),
            title: g.titre,
        })
        .collect();
    Some((patch, (lead, partners, partner_groups)))
}

/// A mention of an organisation in a fiche: its role, the sub-heading it is listed
/// under, and its words, trimmed.
type Mention<'a> = (&'static str, Option<&'a str>, &'a str);

/// The fiche whose partners change: its place in reading order, the link its roles
/// give, and the addresses of the organisations it named, in any order. A fiche new to
/// the model takes the place of the fiche read after it, with no fiche between them: it
/// is the first to name what that fiche was the first to name, and it is read before
/// that fiche (`new`). A fiche that leaves the model (`leaving`) gives its place to the
/// fiche read after it.
pub(super) struct Fiche {
    place: usize,
    new: bool,
    leaving: bool,
    link: Link,
    before: Vec<Arc<str>>,
}

impl Fiche {
    /// The city at `i` of the model. Cities are read in path order, before projects;
    /// they are all in one folder, where paths compare as their bytes do.
    pub(super) fn city(site: &Site, i: usize) -> Fiche {
        let c = &site.cities[i];
        Fiche {
            place: city_place(site, bytes(&c.source_file)),
            new: false,
            leaving: false,
            link: link_to(&c.name, &c.url),
            before: (c.partnerships.iter().map(|p| &p.organisation))
                .chain(c.key_partners.iter().map(|k| &k.organisation))
                .map(|l| l.url.clone())
                .collect(),
        }
    }

    /// The project at `j` of the model. Projects are read after every city, in path
    /// order.
    pub(super) fn sector(site: &Site, j: usize) -> Fiche {
        let s = &site.sectors[j];
        Fiche {
            place: sector_place(site, bytes(&s.source_file)),
            new: false,
            leaving: false,
            link: link_to(&s.title, &s.url),
            before: std::iter::once(&s.lead)
                .chain(&s.partners)
                .chain(s.partner_groups.iter().flat_map(|g| &g.partners))
                .map(|l| l.url.clone())
                .collect(),
        }
    }

    /// A fiche not yet in the model, `city` or a project, named `name`, whose page is
    /// at `url` and file at `source`.
    pub(super) fn new(
        site: &Site,
        city: bool,
        name: &str,
        url: &str,
        source: &SourceFile,
    ) -> Fiche {
        let path = bytes(source);
        Fiche {
            place: if city {
                city_place(site, path)
            } else {
                sector_place(site, path)
            },
            new: true,
            leaving: false,
            link: link_to(name, url),
            before: Vec::new(),
        }
    }
}

fn link_to(name: &str, url: &str) -> Link {
    Link {
        name: name.into(),
        url: url.into(),
    }
}

/// A city's place in reading order, by its file's path.
fn city_place(site: &Site, path: &[u8]) -> usize {
    (site.cities.iter())
        .filter(|c| bytes(&c.source_file) < path)
        .count()
}

/// A project's place in reading order: after every city, in path order.
fn sector_place(site: &Site, path: &[u8]) -> usize {
    site.cities.len()
        + (site.sectors.iter())
            .filter(|s| bytes(&s.source_file) < path)
            .count()
}

fn bytes(file: &SourceFile) -> &[u8] {
    file.path.as_os_str().as_encoded_bytes()
}

fn link(o: &Organisation) -> Link {
    Link {
        name: o.name.as_str().into(),
        url: o.url.as_str().into(),
    }
}

/// Resolves a fiche's new `mentions` (in reading order) against the model, changes the
/// roles of the organisations it names or named, removes those no fiche names any more
/// and adds those named for the first time. Returns the patch and, for each mention,
/// the organisation it names, as it now is; `None`, with the model untouched, when the
/// outcome could depend on the order of the fiches.
fn roles(
    site: &mut Site,
    fiche: Fiche,
    mentions: &[Mention],
) -> Option<(Patch, Vec<KeyOrganisation>)> {
    let index = site.org_index.as_deref()?;
    let place = fiche.place;
    // What each mention names, in reading order.
    let mut news: Vec<New> = Vec::new();
    let mut new_keys: FxHashSet<String> = FxHashSet::default();
    let mut resolve = |text: &str| -> Option<Target> {
        if let Some(id) = index.resolver.lasting(text) {
            return Some(Target::Known(id));
        }
        // With a registry, every name is one of its entries: an unknown one is an
        // error, which a full reading reports.
        if index.registry {
            return None;
        }
        if let Some(n) = news.iter().position(|n| n.text == text) {
            return Some(Target::New(n));
        }
        let keys = Resolver::keys_of(text);
        if index.resolver.would_take(text) || keys.iter().any(|k| new_keys.contains(k)) {
            return None;
        }
        let slug = slug_base(split_acronym(text).0);
        if index.taken.contains(&slug) || news.iter().any(|n| n.slug == slug) {
            return None;
        }
        new_keys.extend(keys);
        news.push(New {
            text: text.to_string(),
            slug,
        });
        Some(Target::New(news.len() - 1))
    };
    let targets: Vec<Target> = (mentions.iter())
        .map(|(_, _, text)| resolve(text))
        .collect::<Option<_>>()?;

    // The organisations it named before, by id.
    let mut named_before: Vec<usize> = Vec::new();
    for url in &fiche.before {
        let id = index.id(slug_of(url)?)?;
        if !named_before.contains(&id) {
            named_before.push(id);
        }
    }
    // Those it names now. Where its first mention in reading order is this fiche's, or
    // becomes it, the organisation is spelled and given its slug here: the fiche must
    // write it as it is written, its slug must not depend on when it is made, and made
    // earlier it must not take a mention that an earlier reading found by another key.
    let mut named_now: Vec<usize> = Vec::new();
    for (target, (_, _, text)) in targets.iter().zip(mentions) {
        let Target::Known(id) = *target else {
            continue;
        };
        if named_now.contains(&id) {
            continue;
        }
        named_now.push(id);
        if let Some(first) = index.first[id]
            && place <= first.fiche
            && (*text != index.resolver.name(id)
                || !unambiguous(index, id)
                || ((place < first.fiche || fiche.new) && index.resolver.tried(text)))
        {
            return None;
        }
    }
    let organisation = |id: usize| {
        let slug = &index.slugs[id];
        site.organisations.iter().find(|o| o.slug == *slug)
    };
    let url = &fiche.link.url;
    let folded_name = fold(&fiche.link.name);
    let mut removed: Vec<usize> = Vec::new();
    // Those it named first and no longer names that stay, with the place of the fiche
    // that names them first from now on (as the index numbers places before the patch).
    let mut moved: Vec<(usize, usize)> = Vec::new();
    for &id in named_before.iter().chain(&named_now) {
        let o = organisation(id)?;
        let others = || o.roles.iter().filter(|r| r.fiche.url != *url);
        // A role of another fiche with a name that folds alike: roles that sort alike
        // are in the order of reading.
        if others().any(|r| fold(&r.fiche.name) == folded_name) {
            return None;
        }
        if named_now.contains(&id) {
            continue;
        }
        // Named no more. Named first here, it takes the spelling and the place of the next
        // mention, or goes with its page.
        if let Some(first) = index.first[id]
            && first.fiche == place
        {
            let stays = others().next().is_some();
            if (stays && !first.uniform) || !unambiguous(index, id) {
                return None;
            }
            if stays {
                moved.push((id, next_first(site, o, url)?));
            } else {
                removed.push(id);
            }
        }
    }
    // The roles the fiche gives an organisation, in the order of `role_order`.
    let roles_for = |target: Target| -> Vec<Role> {
        let mut roles: Vec<Role> = (targets.iter().zip(mentions))
            .filter(|(t, _)| **t == target)
            .map(|(_, &(kind, group, _))| Role {
                kind,
                label: role_label(kind),
                fiche: fiche.link.clone(),
                group: group.map(str::to_string),
            })
            .collect();
        roles.sort_by(|a, b| (role_rank(a.kind), &a.group).cmp(&(role_rank(b.kind), &b.group)));
        roles.dedup();
        roles
    };
    // The organisations whose roles change: the fiche's roles in them differ.
    let mut touched: Vec<usize> = Vec::new();
    for &id in named_before.iter().chain(&named_now) {
        if removed.contains(&id) || touched.contains(&id) {
            continue;
        }
        let was = (organisation(id)?.roles.iter()).filter(|r| r.fiche.url == *url);
        let now = if named_now.contains(&id) {
            roles_for(Target::Known(id))
        } else {
            Vec::new()
        };
        if !was.eq(now.iter()) {
            touched.push(id);
        }
    }

    // Every check passed: the model changes from here on.
    let mut index = site.org_index.take()?;
    let base = site.config.base_path.clone();
    let mut patch = Patch::default();
    let orgs = &mut site.organisations;
    for &id in &touched {
        let slug = &index.slugs[id];
        let Some(o) = orgs.iter_mut().find(|o| o.slug == *slug) else {
            continue;
        };
        o.roles.retain(|r| r.fiche.url != *url);
        if named_now.contains(&id) {
            o.roles.extend(roles_for(Target::Known(id)));
        }
        o.roles.sort_by_cached_key(role_order);
        o.roles.dedup();
    }
    for &id in &removed {
        let slug = &index.slugs[id];
        if let Some(at) = orgs.iter().position(|o| o.slug == *slug) {
            patch.removed.push((at, slug.clone()));
        }
    }
    patch.removed.sort_unstable();
    for (at, _) in patch.removed.iter().rev() {
        orgs.remove(*at);
    }
    for (n, new) in news.iter().enumerate() {
        let (name, acronym) = split_acronym(&new.text);
        let org = Organisation {
            url: format!("{base}organismes/{}/", new.slug),
            slug: new.slug.clone(),
            name: name.to_string(),
            acronym: acronym.map(str::to_string),
            site: None,
            email: None,
            description: None,
            roles: roles_for(Target::New(n)),
        };
        let key = organisation_order(&org);
        let at = orgs.partition_point(|o| organisation_order(o) < key);
        orgs.insert(at, org);
    }
    let at = |slug: &str| orgs.iter().position(|o| o.slug == slug);
    patch.changed = (touched.iter())
        .filter_map(|&id| at(&index.slugs[id]))
        .collect();
    patch.changed.sort_unstable();
    patch.added = news.iter().filter_map(|n| at(&n.slug)).collect();
    patch.added.sort_unstable();

    // What each mention names, as it now is.
    let named = (targets.iter())
        .map(|target| {
            let slug = match *target {
                Target::Known(id) => &index.slugs[id],
                Target::New(n) => &news[n].slug,
            };
            let o = &orgs[at(slug).expect("an organisation the fiche names is in the model")];
            KeyOrganisation {
                link: link(o),
                acronym: o.acronym.clone(),
                email: o.email.clone(),
                site: o.site.clone(),
            }
        })
        .collect();
    // An index that could not be kept is dropped: the next patch reads every fiche.
    site.org_index = keep_up(
        &mut index, &fiche, &targets, mentions, &news, &removed, &moved,
    )
    .then_some(index);
    Some((patch, named))
}

/// Brings the organisation index up to date with the patch `roles` made, so that the next
/// patch of the organisations need not wait for a reading of every fiche: as that reading
/// would give them, the fiche's place among the first mentions (a new fiche pushes those read
/// after it back by one, a fiche leaving brings them forward), the organisations it now
/// names first, those it named first that `moved` to the next fiche naming them, those
/// `removed`, those new. What a reading would tell more finely (an organisation whose
/// mentions became alike again, a key no longer tried) is kept as it was: a later patch
/// gives way where one would not be needed. False if the index could not be kept: a new
/// organisation the resolver does not number as a reading would.
fn keep_up(
    index: &mut OrgIndex,
    fiche: &Fiche,
    targets: &[Target],
    mentions: &[Mention],
    news: &[New],
    removed: &[usize],
    moved: &[(usize, usize)],
) -> bool {
    let place = fiche.place;
    if fiche.new {
        (index.first.iter_mut().flatten())
            .filter(|f| f.fiche >= place)
            .for_each(|f| f.fiche += 1);
    }
    removed.iter().for_each(|&id| index.forget(id));
    for &(id, next) in moved {
        if let Some(first) = &mut index.first[id] {
            first.fiche = next;
        }
    }
    if fiche.leaving {
        (index.first.iter_mut().flatten())
            .filter(|f| f.fiche > place)
            .for_each(|f| f.fiche -= 1);
    }
    for (target, (_, _, text)) in targets.iter().zip(mentions) {
        let Target::Known(id) = *target else {
            continue;
        };
        let name_differs = *text != index.resolver.name(id);
        if let Some(first) = &mut index.first[id] {
            if place < first.fiche {
                // Spelled as the organisation's name: `roles` gives way otherwise.
                first.fiche = place;
            } else if name_differs {
                first.uniform = false;
            }
        }
    }
    for new in news {
        if index.resolver.resolve(&new.text, true) != Some(index.slugs.len()) {
            return false;
        }
        index.slugs.push(new.slug.clone());
        index.taken.insert(new.slug.clone());
        index.first.push(Some(First {
            fiche: place,
            uniform: true,
        }));
    }
    true
}

/// The place, as the index numbers places before a patch, of the fiche that names `o`
/// first once the fiche at `url`, which named it first, no longer does: one more than the
/// fiches read before it but that one. `None` if no other fiche of the model names it.
fn next_first(site: &Site, o: &Organisation, url: &str) -> Option<usize> {
    let others: FxHashSet<&str> = (o.roles.iter())
        .map(|r| &*r.fiche.url)
        .filter(|u| *u != url)
        .collect();
    // Cities are read before projects, each in path order.
    let fiches = || {
        (site.cities.iter())
            .map(|c| (c.url.as_str(), (false, bytes(&c.source_file))))
            .chain((site.sectors.iter()).map(|s| (s.url.as_str(), (true, bytes(&s.source_file)))))
    };
    let next = (fiches().filter(|(u, _)| others.contains(u)))
        .map(|(_, order)| order)
        .min()?;
    Some(
        1 + fiches()
            .filter(|(u, order)| *u != url && *order < next)
            .count(),
    )
}

/// The slug in an organisation page's URL (`/organismes/<slug>/`).
fn slug_of(url: &str) -> Option<&str> {
    let rest = url.strip_suffix('/')?;
    rest.rsplit('/').next()
}

/// Whether an organisation's slug is the same whenever it is made: its name's, no slug
/// is that one numbered 2 (made from the same name; or from a name ending in 2, which is
/// told apart only at that cost), and it is no numbered slot of a slug taken (`sans-nom-2`
/// beside `sans-nom`: freed, the next name that makes `sans-nom` would take it).
fn unambiguous(index: &OrgIndex, id: usize) -> bool {
    let slug = &index.slugs[id];
    let name = index.resolver.name(id);
    let name = match index.first[id] {
        Some(_) => split_acronym(name).0,
        None => name,
    };
    let numbered = slug.rsplit_once('-').is_some_and(|(stem, n)| {
        !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && index.taken.contains(stem)
    });
    *slug == slug_base(name) && !index.taken.contains(&format!("{slug}-2")) && !numbered
}
