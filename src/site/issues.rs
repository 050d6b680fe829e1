//! A city's or a project's issues changed, and nothing else that shows outside its page
//! but on its card, which is given its issues: the model is changed in place
//! instead of being made again from every fiche (`fiches serve`, see `workspace`). What
//! changes is the fiche's list of issues and the list of cities or projects of each
//! issue it joins or leaves.
//!
//! `build` resolves the mentions of issues in the order the fiches are read: cities by
//! path, then projects by path. With `content/enjeux.yaml`, every issue, its spelling and
//! its slug come from the registry, and a mention only finds one. Without it, an issue is
//! made by its first mention, which gives it its spelling and its place among the slugs:
//! an edit that would change which fiche first names an issue, or how, gives way (`None`)
//! and the whole site is modelled again. The outcome is the model `build` makes of the
//! same files (tests/incremental.rs).

use rustc_hash::FxHashMap;

use super::{Link, Site, patch_city, patch_sector};
use crate::content::{CityFile, Document, SectorFile};
use crate::diagnostic::SourceFile;
use crate::text::fold;
use crate::yaml::Spanned;

/// Puts a new version of the city at `i` into the model when it differs from the last
/// only by its issues (on its page, its card and the issues' pages) and what its own page
/// shows (its issues key is the same). Returns
/// the places, in `site.enjeux`, of the issues whose list of cities changed, in order;
/// `None`, with the model untouched, when the version differs otherwise, names an issue
/// that is not one of the model's under its whole name, or could change an issue's
/// spelling or slug.
pub fn issues(site: &mut Site, i: usize, doc: Document<CityFile>) -> Option<Vec<usize>> {
    let old = &site.cities[i];
    if doc.issues_key != old.issues_key || doc.slug != old.slug {
        return None;
    }
    let (links, changed) = join_and_leave(site, Fiche::City(i), &doc.data.enjeux)?;
    let city = &mut site.cities[i];
    city.enjeux = links;
    (city.key, city.card_key, city.frame_key) = (doc.key, doc.card_key, doc.frame_key);
    patch_city(city, doc);
    Some(changed)
}

/// `issues` for the sector project at `j`, whose card shows its issues too.
pub fn sector_issues(site: &mut Site, j: usize, doc: Document<SectorFile>) -> Option<Vec<usize>> {
    let old = &site.sectors[j];
    if doc.issues_key != old.issues_key || doc.slug != old.slug {
        return None;
    }
    let (links, changed) = join_and_leave(site, Fiche::Sector(j), &doc.data.enjeux)?;
    let sector = &mut site.sectors[j];
    sector.enjeux = links;
    patch_sector(sector, doc);
    Some(changed)
}

/// The fiche whose issues change, by its place in its list.
#[derive(Clone, Copy)]
enum Fiche {
    City(usize),
    Sector(usize),
}

fn bytes(file: &SourceFile) -> &[u8] {
    file.path.as_os_str().as_encoded_bytes()
}

/// A fiche whose issues change, as `plan` needs it: the link its issues' lists give,
/// the issues it named (none for a project not yet in the model), the path it is read
/// by, and its kind.
pub(super) struct Subject<'a> {
    pub link: Link,
    pub before: &'a [Link],
    pub path: &'a [u8],
    pub city: bool,
}

/// What `plan` found a fiche's new mentions of issues to change: its links to its
/// issues, in its order, and the places of the issues whose lists it joins or leaves.
pub(super) struct Plan {
    link: Link,
    city: bool,
    links: Vec<Link>,
    joined: Vec<usize>,
    left: Vec<usize>,
}

/// Resolves a fiche's new mentions of issues against the model and puts the fiche into
/// the lists of the issues it joins, out of those it leaves. Returns its new links to
/// its issues, in its order, and the places of the issues whose lists changed.
fn join_and_leave(
    site: &mut Site,
    fiche: Fiche,
    mentions: &[Spanned<String>],
) -> Option<(Vec<Link>, Vec<usize>)> {
    let (link, before, source, city) = match fiche {
        Fiche::City(i) => {
            let c = &site.cities[i];
            ((&c.name, &c.url), &c.enjeux, &c.source_file, true)
        }
        Fiche::Sector(j) => {
            let s = &site.sectors[j];
            ((&s.title, &s.url), &s.enjeux, &s.source_file, false)
        }
    };
    let subject = Subject {
        link: Link {
            name: link.0.as_str().into(),
            url: link.1.as_str().into(),
        },
        before,
        path: bytes(source),
        city,
    };
    Some(plan(site, subject, mentions)?.apply(site))
}

/// What putting a fiche's new `mentions` of issues into the model would change, the
/// model untouched; `None` when a mention names no issue of the model by its whole name
/// or an alias, or (without a registry) when some issue's spelling or slug could
/// change.
pub(super) fn plan(site: &Site, subject: Subject, mentions: &[Spanned<String>]) -> Option<Plan> {
    let index = site.enjeu_index.as_deref()?;
    let fiche_link = subject.link;
    let place_of_url = |url: &str| site.enjeux.iter().position(|e| e.url == url);
    let place_of_id = |id: usize| {
        let slug = index.slugs.get(id)?;
        site.enjeux.iter().position(|e| e.slug == *slug)
    };
    // What each mention names now, in the fiche's order, with its words.
    let now: Vec<(usize, &str)> = (mentions.iter())
        .map(|e| {
            let text = e.value.trim();
            let id = index.resolver.lasting(text)?;
            Some((place_of_id(id)?, text))
        })
        .collect::<Option<_>>()?;
    let before: Vec<usize> = (subject.before.iter())
        .map(|l| place_of_url(&l.url))
        .collect::<Option<_>>()?;

    if !index.registry {
        // The issues this fiche is the first to name, in reading order (cities by path,
        // then projects by path), with the words that made them: the same before and
        // after, or some issue's spelling, or the order the slugs were given in, could
        // differ.
        let path = subject.path;
        let cities: FxHashMap<&str, &[u8]> = (site.cities.iter())
            .map(|c| (c.url.as_str(), bytes(&c.source_file)))
            .collect();
        let sectors: FxHashMap<&str, &[u8]> = (site.sectors.iter())
            .map(|s| (s.url.as_str(), bytes(&s.source_file)))
            .collect();
        let earlier = |list: &[Link], paths: &FxHashMap<&str, &[u8]>| {
            (list.iter())
                .any(|l| *l.url != *fiche_link.url && paths.get(&*l.url).is_some_and(|p| *p < path))
        };
        let named_earlier = |k: usize| {
            let e = &site.enjeux[k];
            if subject.city {
                earlier(&e.cities, &cities)
            } else {
                // Every city is read before the projects.
                !e.cities.is_empty() || earlier(&e.sectors, &sectors)
            }
        };
        let first = |mentions: &mut dyn Iterator<Item = (usize, &str)>| {
            let mut seen: Vec<usize> = Vec::new();
            let mut first: Vec<(usize, String)> = Vec::new();
            for (k, text) in mentions {
                if seen.contains(&k) {
                    continue;
                }
                seen.push(k);
                if !named_earlier(k) {
                    first.push((k, text.to_string()));
                }
            }
            first
        };
        // Before, the issue an earliest mention made is spelled as that mention.
        let was = first(&mut before.iter().map(|&k| (k, site.enjeux[k].name.as_str())));
        if first(&mut now.iter().copied()) != was {
            return None;
        }
    }

    let mut joined: Vec<usize> = (now.iter().map(|&(k, _)| k))
        .filter(|k| !before.contains(k))
        .collect();
    joined.sort_unstable();
    joined.dedup();
    let mut left: Vec<usize> = (before.iter().copied())
        .filter(|k| !now.iter().any(|(n, _)| n == k))
        .collect();
    left.sort_unstable();
    left.dedup();
    let links: Vec<Link> = (now.iter())
        .map(|&(k, _)| {
            let e = &site.enjeux[k];
            Link {
                name: e.name.as_str().into(),
                url: e.url.as_str().into(),
            }
        })
        .collect();
    Some(Plan {
        link: fiche_link,
        city: subject.city,
        links,
        joined,
        left,
    })
}

impl Plan {
    /// Puts the fiche into the lists of the issues it joins, out of those it leaves (in
    /// the order of `Entities::finish`). Returns its links to its issues and the places
    /// of the issues whose lists changed, in order.
    pub(super) fn apply(self, site: &mut Site) -> (Vec<Link>, Vec<usize>) {
        let order = |l: &Link| (fold(&l.name), l.name.clone(), l.url.clone());
        let link = &self.link;
        for &k in &self.joined {
            let e = &mut site.enjeux[k];
            let list = if self.city {
                &mut e.cities
            } else {
                &mut e.sectors
            };
            let key = order(link);
            let at = list.partition_point(|l| order(l) < key);
            list.insert(at, link.clone());
        }
        for &k in &self.left {
            let e = &mut site.enjeux[k];
            let list = if self.city {
                &mut e.cities
            } else {
                &mut e.sectors
            };
            list.retain(|l| *l.url != *link.url);
        }
        let mut changed = self.joined;
        changed.extend(self.left);
        changed.sort_unstable();
        (self.links, changed)
    }
}
