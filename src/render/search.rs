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

/// Writes the index, `PATH`, an entry at a time: it is never whole in memory.
pub fn write_index(site: &Site, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer(w, &Index(site)).map_err(std::io::Error::other)
}

struct Index<'a>(&'a Site);

impl Serialize for Index<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(entries(self.0))
    }
}

/// Every entry of the index: cities, projects, organisations, issues.
fn entries(site: &Site) -> impl Iterator<Item = Entry<'_>> {
    let cities = site.cities.iter().map(|c| {
        let mut text = vec![c.name.as_str()];
        text.extend(c.region.as_deref());
        text.extend(c.levers.iter().map(|l| l.title.as_str()));
        text.extend(c.key_partners.iter().map(|p| &*p.organisation.name));
        text.extend(c.partnerships.iter().map(|p| &*p.organisation.name));
        text.extend(c.enjeux.iter().map(|e| &*e.name));
        let status = if c.published {
            "Fiche-portrait"
        } else {
            "Fiche-portrait à venir"
        };
        Entry {
            t: &c.name,
            u: &c.url,
            k: "Ville",
            d: match &c.region {
                Some(r) => format!("{status} · {r}"),
                None => status.to_string(),
            },
            x: fold(&text.join(" ")),
        }
    });
    let sectors = site.sectors.iter().map(|s| {
        let mut text = vec![s.title.as_str(), &*s.lead.name];
        text.extend(s.enjeux.iter().map(|e| &*e.name));
        text.extend(s.partners.iter().map(|p| &*p.name));
        for g in &s.partner_groups {
            text.push(&g.title);
            text.extend(g.partners.iter().map(|p| &*p.name));
        }
        Entry {
            t: &s.title,
            u: &s.url,
            k: "Secteur",
            d: format!("Porté par {}", s.lead.name),
            x: fold(&text.join(" ")),
        }
    });
    let organisations = site.organisations.iter().map(|o| {
        let mut text = vec![o.name.as_str()];
        text.extend(o.acronym.as_deref());
        let n = o.roles.len();
        Entry {
            t: &o.name,
            u: &o.url,
            k: "Organisme",
            d: format!("{n} mention{}", if n > 1 { "s" } else { "" }),
            x: fold(&text.join(" ")),
        }
    });
    let enjeux = site.enjeux.iter().map(|e| {
        let n = e.sectors.len() + e.cities.len();
        Entry {
            t: &e.name,
            u: &e.url,
            k: "Enjeu",
            d: format!("{n} fiche{}", if n > 1 { "s" } else { "" }),
            x: fold(&e.name),
        }
    });
    cities.chain(sectors).chain(organisations).chain(enjeux)
}
