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

/// Resolves a fiche's new mentions of issues against the model and puts the fiche into
/// the lists of the issues it joins, out of those it leaves. Returns its new links to
/// its issues, in its order, and the places of the issues whose lists changed.
fn join_and_leave(
    site: &mut Site,
    fiche: Fiche,
    mentions: &[Spanned<String>],
) -> Option<(Vec<Link>, Vec<usize>)> {
    let index = site.enjeu_index.as_deref()?;
    let (link, old_links, source) = match fiche {
        Fiche::City(i) => {
            let c = &site.cities[i];
            ((&c.name, &c.url), &c.enjeux, &c.source_file)
        }
        Fiche::Sector(j) => {
            let s = &site.sectors[j];
            ((&s.title, &s.url), &s.enjeux, &s.source_file)
        }
    };
    let fiche_link = Link {
        name: link.0.as_str().into(),
        url: link.1.as_str().into(),
    };
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
    let before: Vec<usize> = (old_links.iter())
        .map(|l| place_of_url(&l.url))
        .collect::<Option<_>>()?;

    if !index.registry {
        // The issues this fiche is the first to name, in reading order (cities by path,
        // then projects by path), with the words that made them: the same before and
        // after, or some issue's spelling, or the order the slugs were given in, could
        // differ.
        let path = bytes(source);
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
            match fiche {
                Fiche::City(_) => earlier(&e.cities, &cities),
                // Every city is read before the projects.
                Fiche::Sector(_) => !e.cities.is_empty() || earlier(&e.sectors, &sectors),
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

    // Every check passed: the model changes from here on. The lists are in the order of
    // `Entities::finish`.
    let order = |l: &Link| (fold(&l.name), l.name.clone(), l.url.clone());
    fn list(site: &mut Site, fiche: Fiche, k: usize) -> &mut Vec<Link> {
        match fiche {
            Fiche::City(_) => &mut site.enjeux[k].cities,
            Fiche::Sector(_) => &mut site.enjeux[k].sectors,
        }
    }
    for &k in &joined {
        let list = list(site, fiche, k);
        let key = order(&fiche_link);
        let at = list.partition_point(|l| order(l) < key);
        list.insert(at, fiche_link.clone());
    }
    for &k in &left {
        list(site, fiche, k).retain(|l| *l.url != *fiche_link.url);
    }
    let mut changed = joined;
    changed.extend(left);
    changed.sort_unstable();
    Some((links, changed))
}
