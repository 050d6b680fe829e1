//! The shared entities, organisations and issues (enjeux), gathered from every mention.
//! With a registry file, every mention must match an entry; without one, each new
//! spelling after folding becomes a new entity.

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::resolve::{Resolver, split_acronym};
use super::{Enjeu, Link, Organisation, Role};
use crate::content::Content;
use crate::diagnostic::{Diagnostics, SourceFile};
use crate::text::{fold, slugify};
use crate::yaml::{Spanned, position};

struct OrgData {
    name: String,
    acronym: Option<String>,
    site: Option<String>,
    email: Option<String>,
    description: Option<String>,
    roles: Vec<Mention>,
}

/// A role recorded as it is met: the fiche by its place in the table of fiche links that
/// `finish` is given (the cities, then the sector projects), so that recording it copies
/// no link. Two places are two fiches with two links (`content::discover` keeps one file
/// per slug), so roles are told apart by place.
#[derive(PartialEq)]
struct Mention {
    kind: &'static str,
    fiche: usize,
    group: Option<String>,
}

struct EnjeuData {
    name: String,
    description: Option<String>,
    /// The fiches that name it, by their place in the table of fiche links.
    sectors: Vec<usize>,
    cities: Vec<usize>,
}

/// The organisations and issues met so far. Mentions are resolved to ids in the order of
/// the fiches (an entity's slug and spelling are those of its first mention), which is one
/// pass over the names; the links of a city are then made from the ids, city by city in
/// parallel (`organisation_link`, `enjeu_link`), a sector project's as it is read, and the
/// roles and lists of each entity in `finish`.
///
/// A link's name and address are shared, not copied: one organisation's link is in every
/// fiche that names it, and one fiche's in every role it has (`make_links`).
pub struct Entities {
    base: String,
    orgs: Resolver,
    org_data: Vec<OrgData>,
    org_registry: bool,
    enjeux: Resolver,
    enjeu_data: Vec<EnjeuData>,
    enjeu_registry: bool,
    org_slugs: Slugs,
    enjeu_slugs: Slugs,
    /// The link to each entity's page by id, once every mention is resolved.
    org_links: Vec<Link>,
    enjeu_links: Vec<Link>,
    /// The first mention of each organisation by id; `None` for the registry's.
    org_first: Vec<Option<First>>,
}

/// The fiche that first named an organisation, which gave it its spelling and its place
/// among the slugs, and whether every later mention was written the same way.
#[derive(Debug, Clone, Copy)]
pub struct First {
    pub fiche: usize,
    pub uniform: bool,
}

impl Entities {
    /// Seeds the entities from the registries, reporting conflicting entries.
    pub fn new(content: &Content, base: &str, diags: &mut Diagnostics) -> Self {
        let mut e = Entities {
            base: base.to_string(),
            orgs: Resolver::default(),
            org_data: Vec::new(),
            org_registry: content.organisations.is_some(),
            enjeux: Resolver::default(),
            enjeu_data: Vec::new(),
            enjeu_registry: content.enjeux.is_some(),
            org_slugs: Slugs::default(),
            enjeu_slugs: Slugs::default(),
            org_links: Vec::new(),
            enjeu_links: Vec::new(),
            org_first: Vec::new(),
        };
        if let Some(reg) = &content.organisations {
            for entry in &reg.entries {
                let mut keys: Vec<&str> = entry.alias.iter().map(String::as_str).collect();
                keys.extend(entry.sigle.as_deref());
                match e.orgs.add(&entry.nom.value, &keys) {
                    Ok(_) => e.org_data.push(OrgData {
                        name: entry.nom.value.clone(),
                        acronym: entry.sigle.clone(),
                        site: entry.site.as_ref().map(|s| s.value.clone()),
                        email: entry.courriel.as_ref().map(|s| s.value.clone()),
                        description: entry.description.clone(),
                        roles: Vec::new(),
                    }),
                    Err(other) => {
                        let (l, c) = position(&entry.nom);
                        diags.push(
                            reg.source
                                .error_at(l, c, format!("organisme en double « {} » : il se confond avec « {} »", entry.nom.value, e.org_data[other].name))
                                .with_hint("fusionnez les deux entrées en une seule, avec l’autre graphie dans `alias`"),
                        );
                    }
                }
            }
        }
        if let Some(reg) = &content.enjeux {
            for entry in &reg.entries {
                let keys: Vec<&str> = entry.alias.iter().map(String::as_str).collect();
                match e.enjeux.add(&entry.nom.value, &keys) {
                    Ok(_) => e.enjeu_data.push(EnjeuData {
                        name: entry.nom.value.clone(),
                        description: entry.description.clone(),
                        sectors: Vec::new(),
                        cities: Vec::new(),
                    }),
                    Err(other) => {
                        let (l, c) = position(&entry.nom);
                        diags.push(
                            reg.source
                                .error_at(l, c, format!("enjeu en double « {} » : il se confond avec « {} »", entry.nom.value, e.enjeu_data[other].name))
                                .with_hint("fusionnez les deux entrées en une seule, avec l’autre graphie dans `alias`"),
                        );
                    }
                }
            }
        }
        for data in &e.org_data {
            e.org_slugs.add(&data.name);
            e.org_first.push(None);
        }
        for data in &e.enjeu_data {
            e.enjeu_slugs.add(&data.name);
        }
        e
    }

    /// Resolves an organisation mention and records the role it plays in the fiche
    /// `fiche` (its place in the table of fiche links): the organisation's id, `None` for
    /// an unknown organisation, which is reported.
    pub fn organisation_id(
        &mut self,
        src: &SourceFile,
        mention: &Spanned<String>,
        kind: &'static str,
        fiche: usize,
        group: Option<&str>,
        diags: &mut Diagnostics,
    ) -> Option<usize> {
        let name = mention.value.trim();
        match self.orgs.resolve(name, !self.org_registry) {
            Some(id) => {
                if id == self.org_data.len() {
                    let (base, acronym) = split_acronym(name);
                    self.org_data.push(OrgData {
                        name: base.to_string(),
                        acronym: acronym.map(str::to_string),
                        site: None,
                        email: None,
                        description: None,
                        roles: Vec::new(),
                    });
                    self.org_slugs.add(base);
                    self.org_first.push(Some(First {
                        fiche,
                        uniform: true,
                    }));
                } else if let Some(first) = &mut self.org_first[id]
                    && first.uniform
                    && self.orgs.name(id) != name
                {
                    first.uniform = false;
                }
                self.org_data[id].roles.push(Mention {
                    kind,
                    fiche,
                    group: group.map(str::to_string),
                });
                Some(id)
            }
            None => {
                let (l, c) = position(mention);
                let hint = match self.orgs.suggest(name) {
                    Some(s) => format!(
                        "vouliez-vous dire « {s} » ? Sinon, ajoutez cet organisme à `content/organismes.yaml`"
                    ),
                    None => "ajoutez cet organisme à `content/organismes.yaml` (nom, sigle, site)"
                        .to_string(),
                };
                diags.push(
                    src.error_at(l, c, format!("organisme inconnu « {name} »"))
                        .with_hint(hint),
                );
                None
            }
        }
    }

    /// `organisation_id`, and the link to the organisation's page.
    pub fn organisation(
        &mut self,
        src: &SourceFile,
        mention: &Spanned<String>,
        kind: &'static str,
        fiche: usize,
        group: Option<&str>,
        diags: &mut Diagnostics,
    ) -> Link {
        let id = self.organisation_id(src, mention, kind, fiche, group, diags);
        self.organisation_link(id, mention)
    }

    /// Makes the link to every entity's page, once the mentions are resolved: the
    /// links handed out after this share their name and address.
    pub fn make_links(&mut self) {
        self.org_links = (0..self.org_data.len())
            .map(|id| self.new_organisation_link(id))
            .collect();
        self.enjeu_links = (0..self.enjeu_data.len())
            .map(|id| self.new_enjeu_link(id))
            .collect();
    }

    fn new_organisation_link(&self, id: usize) -> Link {
        Link {
            name: self.org_data[id].name.as_str().into(),
            url: format!("{}organismes/{}/", self.base, self.org_slugs[id]).into(),
        }
    }

    fn new_enjeu_link(&self, id: usize) -> Link {
        Link {
            name: self.enjeu_data[id].name.as_str().into(),
            url: format!("{}enjeux/{}/", self.base, self.enjeu_slugs[id]).into(),
        }
    }

    /// The link to the page of the organisation `id` that `mention` resolved to; an
    /// unknown organisation is its name without a page.
    pub fn organisation_link(&self, id: Option<usize>, mention: &Spanned<String>) -> Link {
        match id {
            Some(id) => {
                (self.org_links.get(id).cloned()).unwrap_or_else(|| self.new_organisation_link(id))
            }
            None => Link {
                name: mention.value.trim().into(),
                url: "".into(),
            },
        }
    }

    /// The registry's e-mail and site for an organisation, to fill what a fiche omits.
    pub fn contact_details(&self, id: Option<usize>) -> (Option<String>, Option<String>) {
        id.map(|id| &self.org_data[id])
            .map(|d| (d.email.clone(), d.site.clone()))
            .unwrap_or_default()
    }

    /// The organisation's acronym, from the registry or from how it was first named.
    pub fn acronym(&self, id: Option<usize>) -> Option<String> {
        id.and_then(|id| self.org_data[id].acronym.clone())
    }

    /// Resolves an issue mention and records that the fiche `fiche` (its place in the
    /// table of fiche links) targets it: the id, `None` for an unknown issue,
    /// which is reported.
    pub fn enjeu(
        &mut self,
        src: &SourceFile,
        mention: &Spanned<String>,
        fiche: usize,
        is_city: bool,
        diags: &mut Diagnostics,
    ) -> Option<usize> {
        let name = mention.value.trim();
        let id = match self.enjeux.resolve(name, !self.enjeu_registry) {
            Some(id) => {
                if id == self.enjeu_data.len() {
                    self.enjeu_data.push(EnjeuData {
                        name: name.to_string(),
                        description: None,
                        sectors: Vec::new(),
                        cities: Vec::new(),
                    });
                    self.enjeu_slugs.add(name);
                }
                id
            }
            None => {
                let (l, c) = position(mention);
                let hint = match self.enjeux.suggest(name) {
                    Some(s) => format!(
                        "vouliez-vous dire « {s} » ? Sinon, ajoutez cet enjeu à `content/enjeux.yaml`"
                    ),
                    None => "ajoutez cet enjeu à `content/enjeux.yaml`".to_string(),
                };
                diags.push(
                    src.error_at(l, c, format!("enjeu inconnu « {name} »"))
                        .with_hint(hint),
                );
                return None;
            }
        };
        let data = &mut self.enjeu_data[id];
        let list = if is_city {
            &mut data.cities
        } else {
            &mut data.sectors
        };
        // A fiche naming the same issue twice is listed once: duplicates are dropped
        // in `finish`, after sorting, instead of a scan of the list here, which made an
        // issue named by every city cost the square of the site.
        list.push(fiche);
        Some(id)
    }

    /// The link to the page of the issue `id`.
    pub fn enjeu_link(&self, id: usize) -> Link {
        (self.enjeu_links.get(id).cloned()).unwrap_or_else(|| self.new_enjeu_link(id))
    }

    /// The organisations and issues, each sorted by folded name, roles and fiches sorted;
    /// each organisation and issue in a task of its own. `fiches` is the table of fiche
    /// links the mentions point into.
    pub fn finish(self, fiches: &[Link]) -> (Vec<Organisation>, Vec<Enjeu>, OrgIndex, EnjeuIndex) {
        debug_assert_eq!(
            (fiches.iter().map(|f| &f.url))
                .collect::<FxHashSet<_>>()
                .len(),
            fiches.len(),
            "two fiches with one page: roles told apart by place would differ from their links"
        );
        let base = self.base;
        // Each fiche's name folded once, not once per role and list it is in.
        let folded: Vec<String> = fiches.par_iter().map(|f| fold(&f.name)).collect();
        let index = OrgIndex {
            registry: self.org_registry,
            resolver: self.orgs,
            slugs: self.org_slugs.by_id,
            taken: self.org_slugs.taken,
            first: self.org_first,
        };
        let mut orgs: Vec<Organisation> = (self.org_data.into_par_iter())
            .zip(&index.slugs)
            .map(|(d, slug)| {
                let mut roles = d.roles;
                // As `role_order`, with each fiche's name folded once.
                roles.sort_by_cached_key(|r| {
                    (role_rank(r.kind), folded[r.fiche].as_str(), r.group.clone())
                });
                roles.dedup();
                let roles = (roles.into_iter())
                    .map(|r| Role {
                        kind: r.kind,
                        label: role_label(r.kind),
                        fiche: fiches[r.fiche].clone(),
                        group: r.group,
                    })
                    .collect();
                Organisation {
                    url: format!("{base}organismes/{slug}/"),
                    slug: slug.clone(),
                    name: d.name,
                    acronym: d.acronym,
                    site: d.site,
                    email: d.email,
                    description: d.description,
                    roles,
                }
            })
            .collect();
        // Slugs are unique: the order is the same whatever the sort.
        orgs.par_sort_by_cached_key(organisation_order);
        let enjeu_index = EnjeuIndex {
            registry: self.enjeu_registry,
            resolver: self.enjeux,
            slugs: self.enjeu_slugs.by_id,
        };
        let mut enjeux: Vec<Enjeu> = (self.enjeu_data.into_par_iter())
            .zip(enjeu_index.slugs.par_iter().cloned())
            .map(|(d, slug)| {
                let [sectors, cities] = [d.sectors, d.cities].map(|mut list| {
                    list.sort_by_cached_key(|&f| {
                        (folded[f].as_str(), &*fiches[f].name, &*fiches[f].url)
                    });
                    list.dedup();
                    list.into_iter().map(|f| fiches[f].clone()).collect()
                });
                Enjeu {
                    url: format!("{base}enjeux/{slug}/"),
                    slug,
                    name: d.name,
                    description: d.description,
                    sectors,
                    cities,
                }
            })
            .collect();
        enjeux.sort_by_cached_key(|e| (fold(&e.name), e.slug.clone()));
        (orgs, enjeux, index, enjeu_index)
    }
}

/// How the issues of a model were told apart from their mentions, kept so that a city's
/// issues can be changed in the model without modelling every fiche again (`issues`).
#[derive(Debug)]
pub struct EnjeuIndex {
    /// Whether `content/enjeux.yaml` lists them.
    pub registry: bool,
    pub resolver: Resolver,
    /// By id.
    pub slugs: Vec<String>,
}

/// How the organisations of a model were told apart from their mentions, kept so that a
/// city's partners can be changed in the model without modelling every fiche again
/// (`partners`). It tells the model it was made with, not one changed since.
#[derive(Debug)]
pub struct OrgIndex {
    /// Whether `content/organismes.yaml` lists them.
    pub registry: bool,
    pub resolver: Resolver,
    /// By id.
    pub slugs: Vec<String>,
    /// Every slug.
    pub taken: FxHashSet<String>,
    /// By id.
    pub first: Vec<Option<First>>,
}

impl OrgIndex {
    /// The id of the organisation whose page is at `slug`.
    pub fn id(&self, slug: &str) -> Option<usize> {
        self.slugs.iter().position(|s| s == slug)
    }

    /// Takes out the organisation `id`, which no fiche names any more: its keys, its slug
    /// and its first mention. Its id stays, with no slug, and names nothing.
    pub fn forget(&mut self, id: usize) {
        self.resolver.forget(id);
        self.taken.remove(&self.slugs[id]);
        self.slugs[id].clear();
        self.first[id] = None;
    }

    /// Where this index, kept up to date by patches of the model, differs from `fresh`,
    /// made by a reading of every fiche, in a way that could make a patch go otherwise:
    /// organisations are compared by slug (ids may differ). An organisation's mentions
    /// may be taken for unalike, and keys for tried, where they no longer are: a patch then
    /// gives way. Empty when they agree; for the tests.
    pub fn differences(&self, fresh: &OrgIndex) -> Vec<String> {
        let mut found = Vec::new();
        if self.registry != fresh.registry || self.taken != fresh.taken {
            found.push(format!(
                "slugs {:?} instead of {:?}",
                sorted(&self.taken),
                sorted(&fresh.taken)
            ));
        }
        for (id, slug) in self.slugs.iter().enumerate().filter(|(_, s)| !s.is_empty()) {
            let Some(f) = fresh.id(slug) else { continue };
            let (name, fresh_name) = (self.resolver.name(id), fresh.resolver.name(f));
            if name != fresh_name {
                // A slug given to another organisation: said first, the rest follows.
                found.push(format!("{slug} is {name:?} instead of {fresh_name:?}"));
            }
            match (self.first[id], fresh.first[f]) {
                (None, None) => {}
                (Some(a), Some(b)) if a.fiche == b.fiche && (b.uniform || !a.uniform) => {}
                (a, b) => found.push(format!("{slug} first named by {a:?} instead of {b:?}")),
            }
        }
        found.extend(self.resolver.differences(
            |id| self.slugs[id].as_str(),
            &fresh.resolver,
            |id| fresh.slugs[id].as_str(),
        ));
        found
    }
}

fn sorted(set: &FxHashSet<String>) -> Vec<&String> {
    let mut list: Vec<&String> = set.iter().collect();
    list.sort();
    list
}

/// The order of the organisations: by folded name, then slug.
pub fn organisation_order(o: &Organisation) -> (String, String) {
    (fold(&o.name), o.slug.clone())
}

/// The order of an organisation's roles: by kind, then by the fiche's folded name, then
/// by sub-heading; roles alike otherwise stay in reading order.
pub fn role_order(r: &Role) -> (u8, String, Option<String>) {
    (role_rank(r.kind), fold(&r.fiche.name), r.group.clone())
}

/// A role in words, as an organisation's page lists it.
pub fn role_label(kind: &str) -> &'static str {
    match kind {
        "porteur" => "Organisme porteur",
        "partenaire" => "Partenaire initial",
        "partenaire_cle" => "Partenaire clé",
        _ => "Partenariat gagnant",
    }
}

pub fn role_rank(kind: &str) -> u8 {
    match kind {
        "porteur" => 0,
        "partenaire" => 1,
        "partenaire_cle" => 2,
        _ => 3,
    }
}

/// Slugs by entity id, unique: two names that fold alike still get two pages.
#[derive(Default)]
struct Slugs {
    by_id: Vec<String>,
    taken: FxHashSet<String>,
}

/// The slug a name gives an entity when no other has it.
pub fn slug_base(name: &str) -> String {
    match slugify(name) {
        s if s.is_empty() => "sans-nom".to_string(),
        s => s,
    }
}

impl Slugs {
    fn add(&mut self, name: &str) {
        let base = slug_base(name);
        let mut slug = base.clone();
        let mut n = 2;
        while self.taken.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(slug.clone());
        self.by_id.push(slug);
    }
}

impl std::ops::Index<usize> for Slugs {
    type Output = String;
    fn index(&self, id: usize) -> &String {
        &self.by_id[id]
    }
}
