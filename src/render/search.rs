//! The search index: one compact JSON array, searched in the browser by the search page.
//! Text is folded at build time (case, accents, apostrophes), so "quebec" finds Québec.

use serde::Serialize;

use crate::site::Site;
use crate::text::fold;

#[derive(Serialize)]
struct Entry<'a> {
    /// Title shown in the results.
    t: &'a str,
    /// Page URL.
    u: &'a str,
    /// Kind of page (`Ville`, `Secteur`, `Organisme`, `Enjeu`).
    k: &'static str,
    /// One line under the title.
    d: String,
    /// Folded text the query is matched against.
    x: String,
}

/// Where the index is written.
pub const PATH: &str = "recherche/index.json";

/// The index, `PATH`.
pub fn index(site: &Site) -> Vec<u8> {
    let mut entries = Vec::new();
    for c in &site.cities {
        let mut text = vec![c.name.as_str()];
        text.extend(c.region.as_deref());
        text.extend(c.levers.iter().map(|l| l.title.as_str()));
        text.extend(c.key_partners.iter().map(|p| p.organisation.name.as_str()));
        text.extend(c.partnerships.iter().map(|p| p.organisation.name.as_str()));
        text.extend(c.enjeux.iter().map(|e| e.name.as_str()));
        let status = if c.published {
            "Fiche-portrait"
        } else {
            "Fiche-portrait à venir"
        };
        entries.push(Entry {
            t: &c.name,
            u: &c.url,
            k: "Ville",
            d: match &c.region {
                Some(r) => format!("{status} · {r}"),
                None => status.to_string(),
            },
            x: fold(&text.join(" ")),
        });
    }
    for s in &site.sectors {
        let mut text = vec![s.title.as_str(), s.lead.name.as_str()];
        text.extend(s.enjeux.iter().map(|e| e.name.as_str()));
        text.extend(s.partners.iter().map(|p| p.name.as_str()));
        for g in &s.partner_groups {
            text.push(&g.title);
            text.extend(g.partners.iter().map(|p| p.name.as_str()));
        }
        entries.push(Entry {
            t: &s.title,
            u: &s.url,
            k: "Secteur",
            d: format!("Porté par {}", s.lead.name),
            x: fold(&text.join(" ")),
        });
    }
    for o in &site.organisations {
        let mut text = vec![o.name.as_str()];
        text.extend(o.acronym.as_deref());
        let n = o.roles.len();
        entries.push(Entry {
            t: &o.name,
            u: &o.url,
            k: "Organisme",
            d: format!("{n} mention{}", if n > 1 { "s" } else { "" }),
            x: fold(&text.join(" ")),
        });
    }
    for e in &site.enjeux {
        let n = e.sectors.len() + e.cities.len();
        entries.push(Entry {
            t: &e.name,
            u: &e.url,
            k: "Enjeu",
            d: format!("{n} fiche{}", if n > 1 { "s" } else { "" }),
            x: fold(&e.name),
        });
    }
    serde_json::to_vec(&entries).unwrap_or_default()
}
