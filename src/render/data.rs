//! Open data: every fiche as JSON, cities, figures and projects as CSV. Keys are the
//! content format's own French keys, so that the data reads like the files editors write.

use serde_json::{Value, json};

use crate::site::{City, Contact, Link, Sector, Site};

/// The files of `/donnees/`, by output path.
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut json = serde_json::to_vec_pretty(&document(site)).unwrap_or_default();
    json.push(b'\n');
    vec![
        ("donnees/fiches.json".to_string(), json),
        ("donnees/villes.csv".to_string(), csv(&cities_table(site))),
        (
            "donnees/chiffres.csv".to_string(),
            csv(&figures_table(site)),
        ),
        (
            "donnees/secteurs.csv".to_string(),
            csv(&sectors_table(site)),
        ),
        (
            "donnees/organismes.csv".to_string(),
            csv(&organisations_table(site)),
        ),
    ]
}

fn names(links: &[Link]) -> Vec<&str> {
    links.iter().map(|l| l.name.as_str()).collect()
}

fn absolute(site: &Site, url: &str) -> String {
    let rel = url.strip_prefix(&site.config.base_path).unwrap_or(url);
    format!("{}{rel}", site.config.base_url)
}

fn contact(c: &Option<Contact>) -> Value {
    match c {
        Some(c) => json!({ "nom": c.name, "courriel": c.email, "telephone": c.phone }),
        None => Value::Null,
    }
}

fn city(site: &Site, c: &City) -> Value {
    json!({
        "slug": c.slug,
        "url": absolute(site, &c.url),
        "ville": c.name,
        "region": c.region,
        "territoire": c.territory,
        "statut": if c.published { "publiee" } else { "a_venir" },
        "chiffres": c.figures.iter().map(|f| json!({
            "valeur": f.value, "unite": f.unit, "libelle": f.label, "source": f.source, "annee": f.year,
        })).collect::<Vec<_>>(),
        "leviers": c.levers.iter().map(|l| json!({ "titre": l.title, "texte": l.text })).collect::<Vec<_>>(),
        "force_distinctive": c.strength,
        "defis": c.challenges,
        "partenariats": c.partnerships.iter().map(|p| json!({ "nom": p.organisation.name, "description": p.description })).collect::<Vec<_>>(),
        "partenaires_cles": c.key_partners.iter().map(|p| json!({
            "nom": p.organisation.name, "sigle": p.acronym, "courriel": p.email, "site": p.site,
        })).collect::<Vec<_>>(),
        "enjeux": names(&c.enjeux),
        "contact": contact(&c.contact),
        "mise_a_jour": c.updated.as_ref().map(|d| &d.iso),
        "sources": c.sources,
    })
}

fn sector(site: &Site, s: &Sector) -> Value {
    json!({
        "slug": s.slug,
        "url": absolute(site, &s.url),
        "titre": s.title,
        "ordre": s.order,
        "region": s.region,
        "enjeux": names(&s.enjeux),
        "description": s.description,
        "organisme_porteur": s.lead.name,
        "partenaires": names(&s.partners),
        "groupes_partenaires": s.partner_groups.iter().map(|g| json!({ "titre": g.title, "partenaires": names(&g.partners) })).collect::<Vec<_>>(),
        "contact": contact(&s.contact),
        "mise_a_jour": s.updated.as_ref().map(|d| &d.iso),
    })
}

fn document(site: &Site) -> Value {
    json!({
        "titre": site.config.title,
        "url": site.config.base_url,
        "licence": site.config.licence,
        "villes": site.cities.iter().map(|c| city(site, c)).collect::<Vec<_>>(),
        "secteurs": site.sectors.iter().map(|s| sector(site, s)).collect::<Vec<_>>(),
        "organismes": site.organisations.iter().map(|o| json!({
            "slug": o.slug,
            "url": absolute(site, &o.url),
            "nom": o.name,
            "sigle": o.acronym,
            "site": o.site,
            "courriel": o.email,
            "roles": o.roles.iter().map(|r| json!({
                "role": r.kind, "fiche": r.fiche.name, "url": absolute(site, &r.fiche.url), "groupe": r.group,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "enjeux": site.enjeux.iter().map(|e| json!({
            "slug": e.slug,
            "url": absolute(site, &e.url),
            "nom": e.name,
            "secteurs": names(&e.sectors),
            "villes": names(&e.cities),
        })).collect::<Vec<_>>(),
    })
}

type Table = Vec<Vec<String>>;

fn cities_table(site: &Site) -> Table {
    let mut t = vec![row(&[
        "slug",
        "ville",
        "region",
        "statut",
        "leviers",
        "partenaires_cles",
        "enjeux",
        "mise_a_jour",
        "url",
    ])];
    for c in &site.cities {
        t.push(vec![
            c.slug.clone(),
            c.name.clone(),
            c.region.clone().unwrap_or_default(),
            if c.published { "publiee" } else { "a_venir" }.to_string(),
            c.levers.len().to_string(),
            c.key_partners
                .iter()
                .map(|p| p.organisation.name.as_str())
                .collect::<Vec<_>>()
                .join(" ; "),
            names(&c.enjeux).join(" ; "),
            c.updated
                .as_ref()
                .map(|d| d.iso.clone())
                .unwrap_or_default(),
            absolute(site, &c.url),
        ]);
    }
    t
}

fn figures_table(site: &Site) -> Table {
    let mut t = vec![row(&[
        "ville", "valeur", "unite", "libelle", "source", "annee",
    ])];
    for c in &site.cities {
        for f in &c.figures {
            t.push(vec![
                c.slug.clone(),
                number(f.value),
                f.unit.clone().unwrap_or_default(),
                f.label.clone(),
                f.source.clone(),
                f.year.to_string(),
            ]);
        }
    }
    t
}

fn sectors_table(site: &Site) -> Table {
    let mut t = vec![row(&[
        "slug",
        "ordre",
        "titre",
        "enjeux",
        "organisme_porteur",
        "partenaires",
        "contact_nom",
        "contact_courriel",
        "url",
    ])];
    for s in &site.sectors {
        let mut partners = names(&s.partners);
        for g in &s.partner_groups {
            partners.extend(names(&g.partners));
        }
        t.push(vec![
            s.slug.clone(),
            s.order.map(|o| o.to_string()).unwrap_or_default(),
            s.title.clone(),
            names(&s.enjeux).join(" ; "),
            s.lead.name.clone(),
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
        ]);
    }
    t
}

fn organisations_table(site: &Site) -> Table {
    let mut t = vec![row(&[
        "slug", "nom", "sigle", "site", "courriel", "mentions", "url",
    ])];
    for o in &site.organisations {
        t.push(vec![
            o.slug.clone(),
            o.name.clone(),
            o.acronym.clone().unwrap_or_default(),
            o.site.clone().unwrap_or_default(),
            o.email.clone().unwrap_or_default(),
            o.roles.len().to_string(),
            absolute(site, &o.url),
        ]);
    }
    t
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// A plain number for spreadsheets: `2600000000`, `2.5`.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// RFC 4180 CSV, UTF-8 with a byte-order mark so that spreadsheets keep the accents.
pub fn csv(table: &Table) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    for r in table {
        let cells: Vec<String> = r
            .iter()
            .map(|c| {
                if c.contains([',', '"', '\n', '\r', ';']) {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_keeps_accents() {
        let t = vec![
            row(&["ville", "note"]),
            row(&["Québec", "dit « oui », puis \"non\""]),
        ];
        let text = String::from_utf8(csv(&t)).unwrap();
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
