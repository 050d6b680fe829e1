//! A city's issues changed, and nothing else that shows outside its page: the model is
//! changed in place instead of being made again from every fiche (`fiches serve`, see
//! `workspace`). What changes is the city's list of issues and the list of cities of each
//! issue it joins or leaves.
//!
//! `build` resolves the mentions of issues in the order the fiches are read. With
//! `content/enjeux.yaml`, every issue, its spelling and its slug come from the registry,
//! and a mention only finds one. Without it, an issue is made by its first mention, which
//! gives it its spelling and its place among the slugs: an edit that would change which
//! fiche first names an issue, or how, gives way (`None`) and the whole site is modelled
//! again. The outcome is the model `build` makes of the same files (tests/incremental.rs).

use rustc_hash::FxHashMap;

use super::{City, Link, Site, patch_city};
use crate::content::{CityFile, Document};
use crate::text::fold;

/// Puts a new version of the city at `i` into the model when it differs from the last
/// only by its issues and what its own page shows (its issues key is the same). Returns
/// the places, in `site.enjeux`, of the issues whose list of cities changed, in order;
/// `None`, with the model untouched, when the version differs otherwise, names an issue
/// that is not one of the model's under its whole name, or could change an issue's
/// spelling or slug.
pub fn issues(site: &mut Site, i: usize, doc: Document<CityFile>) -> Option<Vec<usize>> {
    let index = site.enjeu_index.as_deref()?;
    let old = &site.cities[i];
    if doc.issues_key != old.issues_key || doc.slug != old.slug {
        return None;
    }
    let place_of_url = |url: &str| site.enjeux.iter().position(|e| e.url == url);
    let place_of_id = |id: usize| {
        let slug = index.slugs.get(id)?;
        site.enjeux.iter().position(|e| e.slug == *slug)
    };
    // What each mention names now, in the city's order, with its words.
    let now: Vec<(usize, &str)> = (doc.data.enjeux.iter())
        .map(|e| {
            let text = e.value.trim();
            let id = index.resolver.lasting(text)?;
            Some((place_of_id(id)?, text))
        })
        .collect::<Option<_>>()?;
    let before: Vec<usize> = (old.enjeux.iter())
        .map(|l| place_of_url(&l.url))
        .collect::<Option<_>>()?;

    if !index.registry {
        // The issues this city is the first to name, in reading order (cities by path,
        // before the projects), with the words that made them: the same before and
        // after, or some issue's spelling, or the order the slugs were given in, could
        // differ.
        fn bytes(c: &City) -> &[u8] {
            c.source_file.path.as_os_str().as_encoded_bytes()
        }
        let cities: FxHashMap<&str, &City> =
            (site.cities.iter()).map(|c| (c.url.as_str(), c)).collect();
        let named_earlier = |k: usize| {
            (site.enjeux[k].cities.iter()).any(|l| {
                *l.url != *old.url && cities.get(&*l.url).is_some_and(|c| bytes(c) < bytes(old))
            })
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

    let fiche = Link {
        name: old.name.as_str().into(),
        url: old.url.as_str().into(),
    };
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

    // Every check passed: the model changes from here on.
    let order = |l: &Link| (fold(&l.name), l.name.clone(), l.url.clone());
    for &k in &joined {
        let list = &mut site.enjeux[k].cities;
        let key = order(&fiche);
        let at = list.partition_point(|l| order(l) < key);
        list.insert(at, fiche.clone());
    }
    for &k in &left {
        site.enjeux[k].cities.retain(|l| *l.url != *fiche.url);
    }
    let city = &mut site.cities[i];
    city.enjeux = links;
    (city.key, city.card_key, city.frame_key) = (doc.key, doc.card_key, doc.frame_key);
    patch_city(city, doc);
    let mut changed = joined;
    changed.extend(left);
    changed.sort_unstable();
    Some(changed)
}
