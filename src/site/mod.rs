//! The site model: fiches with their references resolved to shared organisations and
//! issues, slugs and URLs fixed, cross-links in both directions. Templates read only this.

pub mod added;
pub mod comparisons;
mod entities;
pub mod issues;
pub mod partners;
pub mod rename;
pub mod resolve;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::{CityFile, Content, Document, SectorFile, Status};
use crate::diagnostic::{Diagnostics, SourceFile};
use crate::text::{self, Date};
use entities::{EnjeuIndex, Entities, OrgIndex};

/// A resolved reference: something with a name and a page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    pub name: Arc<str>,
    pub url: Arc<str>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateView {
    pub iso: String,
    pub text: String,
}

impl From<Date> for DateView {
    fn from(d: Date) -> Self {
        DateView {
            iso: d.iso(),
            text: d.french(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub value: f64,
    pub unit: Option<String>,
    /// The value as written in French (`2,6 G$`).
    pub text: String,
    pub label: String,
    pub source: String,
    pub year: u16,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct Lever {
    pub title: String,
    pub text: String,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct Partnership {
    pub organisation: Link,
    pub description: String,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct KeyPartner {
    pub organisation: Link,
    pub acronym: Option<String>,
    pub email: Option<String>,
    pub site: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct City {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub region: Option<String>,
    pub territory: Option<String>,
    pub published: bool,
    pub figures: Vec<Figure>,
    /// The distinct sources of the figures (`portrait Pôle CN, 2023`).
    pub figure_sources: Vec<String>,
    pub levers: Vec<Lever>,
    pub strength: Option<String>,
    pub challenges: Vec<String>,
    pub partnerships: Vec<Partnership>,
    pub key_partners: Vec<KeyPartner>,
    pub enjeux: Vec<Link>,
    pub contact: Option<Contact>,
    pub updated: Option<DateView>,
    pub sources: Vec<String>,
    pub description: Option<String>,
    #[serde(skip)]
    pub source_file: Arc<SourceFile>,
    /// The structural key of its file (`content::key`).
    #[serde(skip)]
    pub key: u64,
    /// The same without its partners (`content::key::city`).
    #[serde(skip)]
    pub card_key: u64,
    /// The same without its figures, region and territory.
    #[serde(skip)]
    pub frame_key: u64,
    /// The same without its issues.
    #[serde(skip)]
    pub issues_key: u64,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct PartnerGroup {
    pub title: String,
    pub partners: Vec<Link>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct Sector {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub order: Option<u32>,
    pub region: Option<String>,
    pub enjeux: Vec<Link>,
    pub description: Option<String>,
    pub lead: Link,
    pub partners: Vec<Link>,
    pub partner_groups: Vec<PartnerGroup>,
    pub contact: Option<Contact>,
    pub updated: Option<DateView>,
    #[serde(skip)]
    pub source_file: Arc<SourceFile>,
    /// The structural key of its file (`content::key`).
    #[serde(skip)]
    pub key: u64,
    /// The same without its partners (`content::key::sector`).
    #[serde(skip)]
    pub card_key: u64,
    /// Its card key without its lead organisation.
    #[serde(skip)]
    pub frame_key: u64,
    /// The same without its issues.
    #[serde(skip)]
    pub issues_key: u64,
}

/// What an organisation does in one fiche.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Role {
    /// `porteur`, `partenaire`, `partenaire_cle` or `partenariat`.
    pub kind: &'static str,
    /// The role in words (`Organisme porteur`).
    pub label: &'static str,
    pub fiche: Link,
    /// The sub-heading a partner is listed under, if any.
    pub group: Option<String>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct Organisation {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub acronym: Option<String>,
    pub site: Option<String>,
    pub email: Option<String>,
    pub description: Option<String>,
    pub roles: Vec<Role>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct Enjeu {
    pub slug: String,
    pub url: String,
    pub name: String,
    pub description: Option<String>,
    pub sectors: Vec<Link>,
    pub cities: Vec<Link>,
}

/// The whole site, ready to render.
#[derive(Debug, Serialize)]
pub struct Site {
    pub config: SiteConfig,
    /// Published fiches first, then by name.
    pub cities: Vec<City>,
    /// In the ministry's order, then by title.
    pub sectors: Vec<Sector>,
    /// By name, ignoring case and accents.
    pub organisations: Vec<Organisation>,
    /// By name, ignoring case and accents.
    pub enjeux: Vec<Enjeu>,
    /// Headline figures compared across cities, one per kind of figure.
    pub comparisons: Vec<comparisons::Comparison>,
    /// The folder the site was read from.
    #[serde(skip)]
    pub root: PathBuf,
    /// How its organisations were told apart, while the model is as `build` made it
    /// (`partners`).
    #[serde(skip)]
    pub org_index: Option<Box<OrgIndex>>,
    /// How its issues were told apart (`issues`).
    #[serde(skip)]
    pub enjeu_index: Option<Box<EnjeuIndex>>,
}

impl Site {
    /// Drops the text of each fiche file that nothing else holds (a full build's; not
    /// the preview's, which keeps every fiche as read): once the model is built, every
    /// diagnostic that quotes a fiche is made, but for a broken link found in a rendered
    /// page, which reads its file again (`source_text`). At 10 000 cities, 80 MB less.
    pub fn release_sources(&mut self) {
        let files = (self.cities.iter_mut().map(|c| &mut c.source_file))
            .chain(self.sectors.iter_mut().map(|s| &mut s.source_file));
        for file in files {
            if let Some(file) = Arc::get_mut(file) {
                file.text = String::new();
            }
        }
    }

    /// A fiche file with its text, read again if `release_sources` dropped it.
    pub fn source_text(&self, file: &Arc<SourceFile>) -> Arc<SourceFile> {
        if !file.text.is_empty() {
            return Arc::clone(file);
        }
        let text = std::fs::read_to_string(self.root.join(&file.path)).unwrap_or_default();
        Arc::new(SourceFile {
            path: file.path.clone(),
            text,
        })
    }
}

/// Builds the model; reference errors (an unknown organisation or issue) are reported in
/// `diags`, and the model is still returned so that later checks can run. `None` when
/// `stopped` said so (`crate::model`): it is asked between the steps (not during the
/// last, the organisations' pages and the comparisons, about 40 ms at 10 000 cities),
/// and as the cities go, every `CHECKED` of them; what was made is let go on a thread of
/// its own.
pub fn build(
    root: &Path,
    config: SiteConfig,
    content: Content,
    diags: &mut Diagnostics,
    stopped: &crate::Stopped,
) -> Option<Site> {
    fn let_go<T: Send + 'static>(garbage: T) -> Option<Site> {
        crate::drop_in_background(garbage);
        None
    }
    let base = config.base_path.clone();
    let mut entities = Entities::new(&content, &base, diags);
    // The link to each fiche's page, the cities then the sector projects: the roles and
    // issue lists of the entities point into it.
    let fiches: Vec<Link> = (content.cities.par_iter())
        .map(|doc| Link {
            name: doc.data.ville.value.as_str().into(),
            url: format!("{base}villes/{}/", doc.slug).into(),
        })
        .chain(content.sectors.par_iter().map(|doc| Link {
            name: doc.data.titre.value.as_str().into(),
            url: format!("{base}secteurs/{}/", doc.slug).into(),
        }))
        .collect();

    // Every mention is resolved in the order of the fiches, in one pass; the cities are
    // then made from the ids, each in a task of its own.
    let mentions: Option<Vec<CityMentions>> = (content.cities.iter().enumerate())
        .map(|(i, doc)| {
            if i % CHECKED == 0 && stopped() {
                return None;
            }
            let src = &doc.source;
            let d = &doc.data;
            Some(CityMentions {
                partnerships: (d.partenariats.iter())
                    .map(|p| entities.organisation_id(src, &p.nom, "partenariat", i, None, diags))
                    .collect(),
                key_partners: (d.partenaires_cles.iter())
                    .map(|p| {
                        entities.organisation_id(src, &p.nom, "partenaire_cle", i, None, diags)
                    })
                    .collect(),
                enjeux: (d.enjeux.iter())
                    .filter_map(|e| entities.enjeu(src, e, i, true, diags))
                    .collect(),
            })
        })
        .collect();
    let Some(mentions) = mentions.filter(|_| !stopped()) else {
        return let_go((content, entities, fiches));
    };

    let first_sector = content.cities.len();
    let mut sectors: Vec<Sector> = (content.sectors.into_iter().enumerate())
        .map(|(j, doc)| {
            let fiche = first_sector + j;
            let src = &doc.source;
            let d = doc.data;
            let lead =
                entities.organisation(src, &d.organisme_porteur, "porteur", fiche, None, diags);
            let partners = d
                .partenaires
                .iter()
                .map(|p| entities.organisation(src, p, "partenaire", fiche, None, diags))
                .collect();
            let partner_groups = d
                .groupes_partenaires
                .into_iter()
                .map(|g| PartnerGroup {
                    partners: g
                        .partenaires
                        .iter()
                        .map(|p| {
                            entities.organisation(
                                src,
                                p,
                                "partenaire",
                                fiche,
                                Some(&g.titre),
                                diags,
                            )
                        })
                        .collect(),
                    title: g.titre,
                })
                .collect();
            let enjeux: Vec<usize> = (d.enjeux.iter())
                .filter_map(|e| entities.enjeu(src, e, fiche, false, diags))
                .collect();
            let enjeux = enjeux
                .into_iter()
                .map(|id| entities.enjeu_link(id))
                .collect();
            Sector {
                url: fiches[fiche].url.to_string(),
                slug: doc.slug,
                title: d.titre.value,
                order: d.ordre,
                region: d.region,
                enjeux,
                description: d.description,
                lead,
                partners,
                partner_groups,
                contact: d.contact.map(contact),
                updated: doc.updated.map(DateView::from),
                source_file: Arc::clone(&doc.source),
                key: doc.key,
                card_key: doc.card_key,
                frame_key: doc.frame_key,
                issues_key: doc.issues_key,
            }
        })
        .collect();

    if stopped() {
        return let_go((content.cities, entities, sectors, mentions, fiches));
    }
    // Every mention is resolved: the links the cities take share their text from here.
    entities.make_links();
    if stopped() {
        return let_go((content.cities, entities, sectors, mentions, fiches));
    }
    // No city is made once stopped, and those made are dropped.
    let cities: Option<Vec<City>> = (content.cities.into_par_iter().zip(mentions))
        .zip(&fiches[..first_sector])
        .map(|((doc, mentions), link)| {
            if stopped() {
                return None;
            }
            let d = &doc.data;
            let partnerships = (d.partenariats.iter().zip(mentions.partnerships))
                .map(|(p, id)| entities.organisation_link(id, &p.nom))
                .collect();
            let key_partners = (d.partenaires_cles.iter().zip(mentions.key_partners))
                .map(|(p, id)| {
                    let (email, site) = entities.contact_details(id);
                    KeyOrganisation {
                        link: entities.organisation_link(id, &p.nom),
                        acronym: entities.acronym(id),
                        email,
                        site,
                    }
                })
                .collect();
            let enjeux = (mentions.enjeux.into_iter())
                .map(|id| entities.enjeu_link(id))
                .collect();
            let url = link.url.to_string();
            Some(city(doc, partnerships, key_partners, enjeux, url))
        })
        .collect();
    let Some(mut cities) = cities else {
        return let_go((entities, sectors, fiches));
    };
    // Sort keys are folded once per fiche, not once per comparison.
    cities.par_sort_by_cached_key(|c| (!c.published, text::fold(&c.name)));
    sectors.sort_by_cached_key(|s| (s.order.is_none(), s.order, text::fold(&s.title)));
    if stopped() {
        return let_go((cities, entities, sectors, fiches));
    }

    let ((organisations, enjeux, org_index, enjeu_index), comparisons) = rayon::join(
        || entities.finish(&fiches),
        || comparisons::compare(&cities),
    );
    Some(Site {
        root: root.to_path_buf(),
        comparisons,
        config,
        cities,
        sectors,
        organisations,
        enjeux,
        org_index: Some(Box::new(org_index)),
        enjeu_index: Some(Box::new(enjeu_index)),
    })
}

/// How many cities `build` resolves the mentions of between two questions to its
/// `stopped`: a few milliseconds of work.
const CHECKED: usize = 512;

/// The ids of the organisations and issues a city's file names, in the order of its
/// lists; `None` for an unknown organisation.
struct CityMentions {
    partnerships: Vec<Option<usize>>,
    key_partners: Vec<Option<usize>>,
    enjeux: Vec<usize>,
}

/// The organisation a key partner names: the link to its page, and what its entry gives
/// where the fiche says nothing (acronym, e-mail, site).
struct KeyOrganisation {
    link: Link,
    acronym: Option<String>,
    email: Option<String>,
    site: Option<String>,
}

/// A city of the model, from its file, the organisations and issues its mentions resolved
/// to, in the order of its lists, and the URL of its page.
fn city(
    doc: Document<CityFile>,
    partnerships: Vec<Link>,
    key_partners: Vec<KeyOrganisation>,
    enjeux: Vec<Link>,
    url: String,
) -> City {
    let d = doc.data;
    let partnerships = (d.partenariats.into_iter().zip(partnerships))
        .map(|(p, organisation)| Partnership {
            organisation,
            description: p.description,
        })
        .collect();
    let key_partners = (d.partenaires_cles.into_iter().zip(key_partners))
        .map(|(p, o)| KeyPartner {
            organisation: o.link,
            acronym: p.sigle.or(o.acronym),
            email: p.courriel.map(|m| m.value).or(o.email),
            site: p.site.map(|s| s.value).or(o.site),
        })
        .collect();
    let (figures, figure_sources) = figures(d.chiffres);
    City {
        figures,
        figure_sources,
        url,
        slug: doc.slug,
        name: d.ville.value,
        region: d.region,
        territory: d.territoire,
        published: d.statut == Status::Publiee,
        levers: d.leviers.into_iter().map(lever).collect(),
        strength: d.force_distinctive,
        challenges: d.defis,
        partnerships,
        key_partners,
        enjeux,
        contact: d.contact.map(contact),
        updated: doc.updated.map(DateView::from),
        sources: d.sources,
        description: d.description,
        source_file: doc.source,
        key: doc.key,
        card_key: doc.card_key,
        frame_key: doc.frame_key,
        issues_key: doc.issues_key,
    }
}

/// A city's figures as the model shows them, and their distinct sources (`portrait Pôle
/// CN, 2023`).
fn figures(
    chiffres: Vec<crate::yaml::Spanned<crate::content::Figure>>,
) -> (Vec<Figure>, Vec<String>) {
    let mut sources: Vec<String> = Vec::new();
    for f in &chiffres {
        if let (Some(s), Some(y)) = (&f.value.source, f.value.annee) {
            let note = format!("{s}, {y}");
            if !sources.contains(&note) {
                sources.push(note);
            }
        }
    }
    let figures = (chiffres.into_iter())
        .map(|f| {
            let f = f.value;
            let unit = f.unite.map(|u| u.value);
            Figure {
                text: text::format_figure(f.valeur, unit.as_deref()),
                value: f.valeur,
                unit,
                label: f.libelle,
                source: f.source.unwrap_or_default(),
                year: f.annee.unwrap_or_default(),
            }
        })
        .collect();
    (figures, sources)
}

/// Puts a new version of the city at `i` into the model when it differs from the last
/// only by what its card shows but for its name, status and issues — its figures, region
/// and territory — and by what its own page shows (its frame key is the same), and
/// brings the comparisons up to date (`comparisons::compare_again`). Returns the
/// comparisons that changed, as they were, by place (every one when the kinds of figure
/// were replaced or reordered); `None`, with the model untouched, when the version
/// differs otherwise, or when the number of kinds of figure changes (the charts would no
/// longer match by place).
pub fn patch_card(
    site: &mut Site,
    i: usize,
    mut doc: Document<CityFile>,
) -> Option<Vec<(usize, comparisons::Comparison)>> {
    let city = &mut site.cities[i];
    if doc.frame_key != city.frame_key || doc.slug != city.slug {
        return None;
    }
    let (figures, sources) = figures(std::mem::take(&mut doc.data.chiffres));
    let was = (
        std::mem::replace(&mut city.figures, figures),
        std::mem::replace(&mut city.figure_sources, sources),
    );
    let again = comparisons::compare_again(&mut site.comparisons, &site.cities, i, &was.0);
    let changed = match again {
        Some(changed) => changed,
        None => {
            let compared = comparisons::compare(&site.cities);
            if compared.len() != site.comparisons.len() {
                let city = &mut site.cities[i];
                (city.figures, city.figure_sources) = was;
                return None;
            }
            let old = std::mem::replace(&mut site.comparisons, compared);
            old.into_iter().enumerate().collect()
        }
    };
    let city = &mut site.cities[i];
    (city.key, city.card_key, city.issues_key) = (doc.key, doc.card_key, doc.issues_key);
    city.region = std::mem::take(&mut doc.data.region);
    city.territory = std::mem::take(&mut doc.data.territoire);
    patch_city(city, doc);
    Some(changed)
}

/// Puts a new version of a city's file into its place in the model. The new version has
/// the same structural key (`content::key`), so only fields that its own page (and the
/// open data) shows change; they are converted as `build` converts them. None of them is
/// on the city's card, which `fiches serve` keeps from one model to the next
/// (`render::Renderer::again`).
pub fn patch_city(city: &mut City, doc: Document<CityFile>) {
    debug_assert_eq!(city.key, doc.key);
    let d = doc.data;
    city.levers = d.leviers.into_iter().map(lever).collect();
    city.strength = d.force_distinctive;
    city.challenges = d.defis;
    for (p, new) in city.partnerships.iter_mut().zip(d.partenariats) {
        p.description = new.description;
    }
    city.contact = d.contact.map(contact);
    city.updated = doc.updated.map(DateView::from);
    city.sources = d.sources;
    city.description = d.description;
    city.source_file = doc.source;
}

/// `patch_city` for a sector project, which takes the new version's keys too: its
/// caller has put into the model what else of it changed (its partners, its lead, its
/// issues, its title, order or region).
pub fn patch_sector(sector: &mut Sector, doc: Document<SectorFile>) {
    (sector.key, sector.card_key) = (doc.key, doc.card_key);
    (sector.frame_key, sector.issues_key) = (doc.frame_key, doc.issues_key);
    let d = doc.data;
    sector.description = d.description;
    sector.contact = d.contact.map(contact);
    sector.updated = doc.updated.map(DateView::from);
    sector.source_file = doc.source;
}

fn lever(l: crate::content::Lever) -> Lever {
    Lever {
        title: l.titre,
        text: l.texte,
    }
}

fn contact(c: crate::content::Contact) -> Contact {
    Contact {
        name: c.nom,
        email: c.courriel.map(|m| m.value),
        phone: c.telephone,
    }
}
