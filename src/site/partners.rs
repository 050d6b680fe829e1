//! A city's partners changed, and nothing else that shows outside its page: the model is
//! changed in place instead of being made again from every fiche (`fiches serve`, see
//! `workspace`). What changes is the city, the organisations it names or named — their
//! roles —, an organisation no fiche names any more, which goes, and one named for the
//! first time, which comes.
//!
//! `build` resolves mentions in the order the fiches are read, and some outcomes hang on
//! that order: an organisation is spelled as its first mention spells it, slugs made
//! from one name are numbered in order, a mention found by its acronym names whatever
//! holds that acronym when it is read. Where the edit could change any of these for
//! another fiche, there is no patch (`None`) and the whole site is modelled again. The
//! outcome is the model `build` makes of the same files (tests/incremental.rs).

use rustc_hash::FxHashSet;

use super::entities::{OrgIndex, organisation_order, role_label, role_order, role_rank, slug_base};
use super::resolve::{Resolver, split_acronym};
use super::{City, KeyOrganisation, Link, Organisation, Role, Site};
use crate::content::{CityFile, Document};
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
/// order of the fiches. The model's organisation index is gone afterwards: the next
/// change models the site again.
pub fn partners(site: &mut Site, i: usize, doc: Document<CityFile>) -> Option<Patch> {
    let index = site.org_index.as_deref()?;
    let old = &site.cities[i];
    if doc.card_key != old.card_key || doc.slug != old.slug {
        return None;
    }
    // The city's place in reading order: cities are read in path order, before projects.
    // They are all in one folder, where paths compare as their bytes do.
    fn bytes(c: &City) -> &[u8] {
        c.source_file.path.as_os_str().as_encoded_bytes()
    }
    let place = (site.cities.iter())
        .filter(|c| bytes(c) < bytes(old))
        .count();

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
    let d = &doc.data;
    let partnerships: Vec<Target> = (d.partenariats.iter())
        .map(|p| resolve(p.nom.value.trim()))
        .collect::<Option<_>>()?;
    let key_partners: Vec<Target> = (d.partenaires_cles.iter())
        .map(|p| resolve(p.nom.value.trim()))
        .collect::<Option<_>>()?;
    let texts = (d.partenariats.iter().map(|p| p.nom.value.trim()))
        .chain(d.partenaires_cles.iter().map(|p| p.nom.value.trim()));
    // The roles the city now gives, in reading order, with the mention's words.
    let mentions: Vec<(&'static str, Target, &str)> = (partnerships.iter())
        .map(|t| ("partenariat", *t))
        .chain(key_partners.iter().map(|t| ("partenaire_cle", *t)))
        .zip(texts)
        .map(|((kind, t), text)| (kind, t, text))
        .collect();

    // The organisations it named before, by id.
    let mut named_before: Vec<usize> = Vec::new();
    for link in (old.partnerships.iter().map(|p| &p.organisation))
        .chain(old.key_partners.iter().map(|k| &k.organisation))
    {
        let id = index.id(slug_of(&link.url)?)?;
        if !named_before.contains(&id) {
            named_before.push(id);
        }
    }
    // Those it names now. Where its first mention in reading order is this city's, or
    // becomes it, the organisation is spelled and given its slug here: the city must
    // write it as it is written, its slug must not depend on when it is made, and made
    // earlier it must not take a mention that an earlier reading found by another key.
    let mut named_now: Vec<usize> = Vec::new();
    for (_, target, text) in &mentions {
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
                || (place < first.fiche && index.resolver.tried(text)))
        {
            return None;
        }
    }
    let organisation = |id: usize| {
        let slug = &index.slugs[id];
        site.organisations.iter().find(|o| o.slug == *slug)
    };
    let folded_name = fold(&old.name);
    let mut removed: Vec<usize> = Vec::new();
    for &id in named_before.iter().chain(&named_now) {
        let o = organisation(id)?;
        let others = || o.roles.iter().filter(|r| *r.fiche.url != *old.url);
        // A role of another city (a partnership or a key partner, whichever this city's
        // are) with a name that folds alike: their order is the order of reading.
        if others().any(|r| {
            r.group.is_none() && role_rank(r.kind) >= 2 && fold(&r.fiche.name) == folded_name
        }) {
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
            if !stays {
                removed.push(id);
            }
        }
    }
    let fiche = Link {
        name: old.name.as_str().into(),
        url: old.url.as_str().into(),
    };
    let roles_for = |target: Target| -> Vec<Role> {
        let mut roles: Vec<Role> = (mentions.iter())
            .filter(|(_, t, _)| *t == target)
            .map(|&(kind, _, _)| Role {
                kind,
                label: role_label(kind),
                fiche: fiche.clone(),
                group: None,
            })
            .collect();
        roles.sort_by_key(|r| role_rank(r.kind));
        roles.dedup();
        roles
    };
    // The organisations whose roles change: the city's roles in them differ.
    let mut touched: Vec<usize> = Vec::new();
    for &id in named_before.iter().chain(&named_now) {
        if removed.contains(&id) || touched.contains(&id) {
            continue;
        }
        let was = (organisation(id)?.roles.iter()).filter(|r| *r.fiche.url == *fiche.url);
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
    let index = site.org_index.take()?;
    let base = site.config.base_path.clone();
    let mut patch = Patch::default();
    let orgs = &mut site.organisations;
    for &id in &touched {
        let slug = &index.slugs[id];
        let Some(o) = orgs.iter_mut().find(|o| o.slug == *slug) else {
            continue;
        };
        o.roles.retain(|r| *r.fiche.url != *fiche.url);
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

    // The city, its links made from the organisations as they now are.
    let org_of = |target: Target| -> &Organisation {
        let slug = match target {
            Target::Known(id) => &index.slugs[id],
            Target::New(n) => &news[n].slug,
        };
        &orgs[at(slug).expect("an organisation the city names is in the model")]
    };
    let link = |o: &Organisation| Link {
        name: o.name.as_str().into(),
        url: o.url.as_str().into(),
    };
    let partnerships = (partnerships.iter()).map(|t| link(org_of(*t))).collect();
    let key_partners = (key_partners.iter())
        .map(|t| {
            let o = org_of(*t);
            KeyOrganisation {
                link: link(o),
                acronym: o.acronym.clone(),
                email: o.email.clone(),
                site: o.site.clone(),
            }
        })
        .collect();
    let city: &City = &site.cities[i];
    let (enjeux, url) = (city.enjeux.clone(), city.url.clone());
    site.cities[i] = super::city(doc, partnerships, key_partners, enjeux, url);
    // Hundreds of thousands of names, which the editor need not wait for.
    crate::drop_in_background(index);
    Some(patch)
}

/// The slug in an organisation page's URL (`/organismes/<slug>/`).
fn slug_of(url: &str) -> Option<&str> {
    let rest = url.strip_suffix('/')?;
    rest.rsplit('/').next()
}

/// Whether an organisation's slug is the same whenever it is made: its name's, and no
/// slug is that one numbered 2 (made from the same name; or from a name ending in 2,
/// which is told apart only at that cost).
fn unambiguous(index: &OrgIndex, id: usize) -> bool {
    let slug = &index.slugs[id];
    let name = index.resolver.name(id);
    let name = match index.first[id] {
        Some(_) => split_acronym(name).0,
        None => name,
    };
    *slug == slug_base(name) && !index.taken.contains(&format!("{slug}-2"))
}
