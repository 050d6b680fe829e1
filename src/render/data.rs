//! Open data: every fiche as JSON, cities, figures and projects as CSV. Keys are the
//! content format's own French keys, so that the data reads like the files editors write.

use std::io::Write;

use serde::{Serialize, Serializer};

use super::Generated;

use crate::site::{
    City, Contact, Enjeu, Figure, KeyPartner, Lever, Link, Organisation, PartnerGroup, Partnership,
    Role, Sector, Site,
};

/// The files of `/donnees/`.
pub fn files(site: &Site) -> Vec<Generated<'_>> {
    vec![
        Generated::streamed("donnees/fiches.json", |w| {
            serde_json::to_writer(&mut *w, &Document::new(site))?;
            w.write_all(b"\n")
        }),
        Generated::streamed("donnees/villes.csv", |w| {
            csv(w, CITY_COLUMNS, cities_rows(site))
        }),
        Generated::streamed("donnees/chiffres.csv", |w| {
            csv(w, FIGURE_COLUMNS, figures_rows(site))
        }),
        Generated::streamed("donnees/secteurs.csv", |w| {
            csv(w, SECTOR_COLUMNS, sectors_rows(site))
        }),
        Generated::streamed("donnees/organismes.csv", |w| {
            csv(w, ORGANISATION_COLUMNS, organisations_rows(site))
        }),
    ]
}

fn names(links: &[Link]) -> Vec<&str> {
    links.iter().map(|l| &*l.name).collect()
}

fn absolute(site: &Site, url: &str) -> String {
    let rel = url.strip_prefix(&site.config.base_path).unwrap_or(url);
    format!("{}{rel}", site.config.base_url)
}

// `fiches.json` is serialised straight from the model through the borrowed views below:
// a tree of JSON values for the whole site would be several times the size of the file.
// Fields are in alphabetical order, the order the file has always had.

/// The names of linked entities, as a JSON array of strings.
struct Names<'a>(&'a [Link]);

impl Serialize for Names<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|l| &l.name))
    }
}

/// Items serialised one by one through a view, without collecting the views.
struct Each<'a, T, V>(&'a [T], fn(&'a T) -> V);

impl<'a, T, V: Serialize> Serialize for Each<'a, T, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(self.1))
    }
}

/// Items that need the site to be viewed (for absolute URLs).
struct EachIn<'a, T, V>(&'a Site, &'a [T], fn(&'a Site, &'a T) -> V);

impl<'a, T, V: Serialize> Serialize for EachIn<'a, T, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.iter().map(|x| (self.2)(self.0, x)))
    }
}

#[derive(Serialize)]
struct Document<'a> {
    enjeux: EachIn<'a, Enjeu, EnjeuView<'a>>,
    licence: &'a str,
    organismes: EachIn<'a, Organisation, OrganisationView<'a>>,
    secteurs: EachIn<'a, Sector, SectorView<'a>>,
    titre: &'a str,
    url: &'a str,
    villes: EachIn<'a, City, CityView<'a>>,
}

impl<'a> Document<'a> {
    fn new(site: &'a Site) -> Self {
        Document {
            enjeux: EachIn(site, &site.enjeux, EnjeuView::new),
            licence: &site.config.licence,
            organismes: EachIn(site, &site.organisations, OrganisationView::new),
            secteurs: EachIn(site, &site.sectors, SectorView::new),
            titre: &site.config.title,
            url: &site.config.base_url,
            villes: EachIn(site, &site.cities, CityView::new),
        }
    }
}

#[derive(Serialize)]
struct ContactView<'a> {
    courriel: &'a Option<String>,
    nom: &'a str,
    telephone: &'a Option<String>,
}

fn contact(c: &Option<Contact>) -> Option<ContactView<'_>> {
    c.as_ref().map(|c| ContactView {
        courriel: &c.email,
        nom: &c.name,
        telephone: &c.phone,
    })
}

#[derive(Serialize)]
struct CityView<'a> {
    chiffres: Each<'a, Figure, FigureView<'a>>,
    contact: Option<ContactView<'a>>,
    defis: &'a [String],
    enjeux: Names<'a>,
    force_distinctive: &'a Option<String>,
    leviers: Each<'a, Lever, LeverView<'a>>,
    mise_a_jour: Option<&'a str>,
    partenaires_cles: Each<'a, KeyPartner, KeyPartnerView<'a>>,
    partenariats: Each<'a, Partnership, PartnershipView<'a>>,
    region: &'a Option<String>,
    slug: &'a str,
    sources: &'a [String],
    statut: &'static str,
    territoire: &'a Option<String>,
    url: String,
    ville: &'a str,
}

impl<'a> CityView<'a> {
    fn new(site: &'a Site, c: &'a City) -> Self {
        CityView {
            chiffres: Each(&c.figures, |f| FigureView {
                annee: f.year,
                libelle: &f.label,
                source: &f.source,
                unite: &f.unit,
                valeur: f.value,
            }),
            contact: contact(&c.contact),
            defis: &c.challenges,
            enjeux: Names(&c.enjeux),
            force_distinctive: &c.strength,
            leviers: Each(&c.levers, |l| LeverView {
                texte: &l.text,
                titre: &l.title,
            }),
            mise_a_jour: c.updated.as_ref().map(|d| d.iso.as_str()),
            partenaires_cles: Each(&c.key_partners, |p| KeyPartnerView {
                courriel: &p.email,
                nom: &p.organisation.name,
                sigle: &p.acronym,
                site: &p.site,
            }),
            partenariats: Each(&c.partnerships, |p| PartnershipView {
                description: &p.description,
                nom: &p.organisation.name,
            }),
            region: &c.region,
            slug: &c.slug,
            sources: &c.sources,
            statut: if c.published { "publiee" } else { "a_venir" },
            territoire: &c.territory,
            url: absolute(site, &c.url),
            ville: &c.name,
        }
    }
}

#[derive(Serialize)]
struct FigureView<'a> {
    annee: u16,
    libelle: &'a str,
    source: &'a str,
    unite: &'a Option<String>,
    valeur: f64,
}

#[derive(Serialize)]
struct LeverView<'a> {
    texte: &'a str,
    titre: &'a str,
}

#[derive(Serialize)]
struct KeyPartnerView<'a> {
    courriel: &'a Option<String>,
    nom: &'a str,
    sigle: &'a Option<String>,
    site: &'a Option<String>,
}

#[derive(Serialize)]
struct PartnershipView<'a> {
    description: &'a str,
    nom: &'a str,
}

#[derive(Serialize)]
struct SectorView<'a> {
    contact: Option<ContactView<'a>>,
    description: &'a Option<String>,
    enjeux: Names<'a>,
    groupes_partenaires: Each<'a, PartnerGroup, GroupView<'a>>,
    mise_a_jour: Option<&'a str>,
    ordre: Option<u32>,
    organisme_porteur: &'a str,
    partenaires: Names<'a>,
    region: &'a Option<String>,
    slug: &'a str,
    titre: &'a str,
    url: String,
}

impl<'a> SectorView<'a> {
    fn new(site: &'a Site, s: &'a Sector) -> Self {
        SectorView {
            contact: contact(&s.contact),
            description: &s.description,
            enjeux: Names(&s.enjeux),
            groupes_partenaires: Each(&s.partner_groups, |g| GroupView {
                partenaires: Names(&g.partners),
                titre: &g.title,
            }),
            mise_a_jour: s.updated.as_ref().map(|d| d.iso.as_str()),
            ordre: s.order,
            organisme_porteur: &s.lead.name,
            partenaires: Names(&s.partners),
            region: &s.region,
            slug: &s.slug,
            titre: &s.title,
            url: absolute(site, &s.url),
        }
    }
}

#[derive(Serialize)]
struct GroupView<'a> {
    partenaires: Names<'a>,
    titre: &'a str,
}

#[derive(Serialize)]
struct OrganisationView<'a> {
    courriel: &'a Option<String>,
    nom: &'a str,
    roles: EachIn<'a, Role, RoleView<'a>>,
    sigle: &'a Option<String>,
    site: &'a Option<String>,
    slug: &'a str,
    url: String,
}

impl<'a> OrganisationView<'a> {
    fn new(site: &'a Site, o: &'a Organisation) -> Self {
        OrganisationView {
            courriel: &o.email,
            nom: &o.name,
            roles: EachIn(site, &o.roles, |site, r| RoleView {
                fiche: &r.fiche.name,
                groupe: &r.group,
                role: r.kind,
                url: absolute(site, &r.fiche.url),
            }),
            sigle: &o.acronym,
            site: &o.site,
            slug: &o.slug,
            url: absolute(site, &o.url),
        }
    }
}

#[derive(Serialize)]
struct RoleView<'a> {
    fiche: &'a str,
    groupe: &'a Option<String>,
    role: &'static str,
    url: String,
}

#[derive(Serialize)]
struct EnjeuView<'a> {
    nom: &'a str,
    secteurs: Names<'a>,
    slug: &'a str,
    url: String,
    villes: Names<'a>,
}

impl<'a> EnjeuView<'a> {
    fn new(site: &'a Site, e: &'a Enjeu) -> Self {
        EnjeuView {
            nom: &e.name,
            secteurs: Names(&e.sectors),
            slug: &e.slug,
            url: absolute(site, &e.url),
            villes: Names(&e.cities),
        }
    }
}

/// A CSV row: one cell per column, in the order of the table's columns.
type Row = Vec<String>;

const CITY_COLUMNS: &[&str] = &[
    "slug",
    "ville",
    "region",
    "statut",
    "leviers",
    "partenaires_cles",
    "enjeux",
    "mise_a_jour",
    "url",
];

fn cities_rows(site: &Site) -> impl Iterator<Item = Row> + '_ {
    site.cities.iter().map(move |c| {
        vec![
            c.slug.clone(),
            c.name.clone(),
            c.region.clone().unwrap_or_default(),
            if c.published { "publiee" } else { "a_venir" }.to_string(),
            c.levers.len().to_string(),
            c.key_partners
                .iter()
                .map(|p| &*p.organisation.name)
                .collect::<Vec<_>>()
                .join(" ; "),
            names(&c.enjeux).join(" ; "),
            c.updated
                .as_ref()
                .map(|d| d.iso.clone())
                .unwrap_or_default(),
            absolute(site, &c.url),
        ]
    })
}

const FIGURE_COLUMNS: &[&str] = &["ville", "valeur", "unite", "libelle", "source", "annee"];

fn figures_rows(site: &Site) -> impl Iterator<Item = Row> + '_ {
    site.cities.iter().flat_map(|c| {
        c.figures.iter().map(move |f| {
            vec![
                c.slug.clone(),
                number(f.value),
                f.unit.clone().unwrap_or_default(),
                f.label.clone(),
                f.source.clone(),
                f.year.to_string(),
            ]
        })
    })
}

const SECTOR_COLUMNS: &[&str] = &[
    "slug",
    "ordre",
    "titre",
    "enjeux",
    "organisme_porteur",
    "partenaires",
    "contact_nom",
    "contact_courriel",
    "url",
];

fn sectors_rows(site: &Site) -> impl Iterator<Item = Row> + '_ {
    site.sectors.iter().map(move |s| {
        let mut partners = names(&s.partners);
        for g in &s.partner_groups {
            partners.extend(names(&g.partners));
        }
        vec![
            s.slug.clone(),
            s.order.map(|o| o.to_string()).unwrap_or_default(),
            s.title.clone(),
            names(&s.enjeux).join(" ; "),
            s.lead.name.to_string(),
            partners.join(" ; "),
            s.contact
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            s.contact
                .as_ref()
                .and_then(|c| c.email.clone())
                .unwrap_or_default(),
            absolute(site, &s.url),
        ]
    })
}

const ORGANISATION_COLUMNS: &[&str] = &[
    "slug", "nom", "sigle", "site", "courriel", "mentions", "url",
];

fn organisations_rows(site: &Site) -> impl Iterator<Item = Row> + '_ {
    site.organisations.iter().map(move |o| {
        vec![
            o.slug.clone(),
            o.name.clone(),
            o.acronym.clone().unwrap_or_default(),
            o.site.clone().unwrap_or_default(),
            o.email.clone().unwrap_or_default(),
            o.roles.len().to_string(),
            absolute(site, &o.url),
        ]
    })
}

/// A plain number for spreadsheets: `2600000000`, `2.5`.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// RFC 4180 CSV, UTF-8 with a byte-order mark so that spreadsheets keep the accents,
/// written a row at a time: the table of a province-wide edition is never held whole.
pub fn csv<C: AsRef<str>>(
    w: &mut dyn Write,
    columns: &[&str],
    rows: impl Iterator<Item = Vec<C>>,
) -> std::io::Result<()> {
    w.write_all("\u{feff}".as_bytes())?;
    csv_row(w, columns)?;
    for r in rows {
        csv_row(w, &r)?;
    }
    Ok(())
}

fn csv_row<C: AsRef<str>>(w: &mut dyn Write, cells: &[C]) -> std::io::Result<()> {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        let c = c.as_ref();
        if c.contains([',', '"', '\n', '\r', ';']) {
            w.write_all(b"\"")?;
            w.write_all(c.replace('"', "\"\"").as_bytes())?;
            w.write_all(b"\"")?;
        } else {
            w.write_all(c.as_bytes())?;
        }
    }
    w.write_all(b"\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_keeps_accents() {
        let mut out = Vec::new();
        let rows = [vec!["Québec", "dit « oui », puis \"non\""]];
        csv(&mut out, &["ville", "note"], rows.into_iter()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\u{feff}ville,note\r\nQuébec,\"dit « oui », puis \"\"non\"\"\"\r\n"
        );
    }

    #[test]
    fn numbers_stay_plain() {
        assert_eq!(number(2_600_000_000.0), "2600000000");
        assert_eq!(number(2.5), "2.5");
    }
}
