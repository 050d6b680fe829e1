//! The structural key of a fiche: a hash of every field that shows outside the fiche's
//! own page — on a card, in a list, on an organisation's or an issue's page, in the
//! comparison charts, in the order of the lists. Two versions of a fiche with the same
//! key differ only in what its own page (and the open data) shows, so an edit that keeps
//! the key rebuilds one page (see `workspace`).
//!
//! The hash is FxHash's, as the pages' fingerprints are (`Renderer::fingerprint`): every
//! fiche is keyed at each build, where SipHash took a fiftieth of a build's instructions.
//! Two versions of a fiche share a key only by accident (of 64 bits on a 64-bit machine;
//! FxHash mixes whole words linearly, so an edit of one number offset by an absurd change
//! of another could too), and then only the preview's pages lag, until the next full
//! build.
//!
//! Each function takes the file apart field by field, without `..`: a field added to the
//! content format does not compile until it is sorted here, structural or not.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use super::types::{CityFile, Figure, KeyPartner, PartnerGroup, Partnership, SectorFile};

/// The keys of a city portrait, each the hash of the fields that show outside its own
/// page but for some: its structural key (all of them); its card key, without the
/// partners; its frame key, without the figures, the region and the territory; its issues
/// key, without the issues. Its own
/// page alone shows the levers, the distinctive strength, the challenges, what each
/// partnership does, the contact, the update date, the sources and the description. The
/// partners (partnerships and key partners) show on its page and on the pages of the
/// organisations they name, and nowhere else: two versions with the same card key differ,
/// outside their own page, only on those. The region and the territory show on its page
/// and its card, the figures there and in the comparison charts: two versions with the
/// same frame key differ, outside their page, only on those. The issues show on its page,
/// its card, the issues' pages, the list of issues (which counts them) and the home page
/// (which is given every issue): two versions with the same issues key differ, outside
/// their page, only on those (`workspace`).
pub fn city(c: &CityFile) -> Keys {
    let CityFile {
        ville,
        region,
        territoire,
        statut,
        chiffres,
        leviers: _,
        force_distinctive: _,
        defis: _,
        partenariats,
        partenaires_cles,
        enjeux,
        contact: _,
        mise_a_jour: _,
        sources: _,
        description: _,
    } = c;
    let mut h = FxHasher::default();
    ville.value.hash(&mut h);
    statut.hash(&mut h);
    let mut issues = h.clone();
    enjeux.len().hash(&mut h);
    enjeux.iter().for_each(|e| e.value.hash(&mut h));
    let mut frame = h.clone();
    let figures = |h: &mut FxHasher| {
        region.hash(h);
        territoire.hash(h);
        chiffres.len().hash(h);
        for f in chiffres {
            let Figure {
                valeur,
                unite,
                libelle,
                source,
                annee,
            } = &f.value;
            valeur.to_bits().hash(h);
            unite.as_ref().map(|u| &u.value).hash(h);
            libelle.hash(h);
            source.hash(h);
            annee.hash(h);
        }
    };
    figures(&mut h);
    figures(&mut issues);
    let card = h.finish();
    let partners = |h: &mut FxHasher| {
        partenariats.len().hash(h);
        for p in partenariats {
            let Partnership {
                nom,
                description: _,
            } = p;
            nom.value.hash(h);
        }
        partenaires_cles.len().hash(h);
        for p in partenaires_cles {
            let KeyPartner {
                nom,
                sigle,
                courriel,
                site,
            } = p;
            nom.value.hash(h);
            sigle.hash(h);
            courriel.as_ref().map(|m| &m.value).hash(h);
            site.as_ref().map(|s| &s.value).hash(h);
        }
    };
    partners(&mut h);
    partners(&mut frame);
    partners(&mut issues);
    Keys {
        key: h.finish(),
        card,
        frame: frame.finish(),
        issues: issues.finish(),
    }
}

/// The keys of a fiche (`city`, `sector`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keys {
    pub key: u64,
    pub card: u64,
    pub frame: u64,
    pub issues: u64,
}

/// The keys of a sector project: its structural key, of every field that shows outside
/// its own page; its card key, without the partners (`partenaires`, and
/// `groupes_partenaires` with their titles), which show on its page and on the pages of
/// the organisations they name, and nowhere else (`workspace`). Its own page alone shows
/// the description, the contact and the update date. Its frame key is its card key
/// without its lead organisation (`organisme_porteur`), which shows on its page, its card
/// and the page of the organisation: two versions with the same frame key differ, outside
/// their page, only on the card and the organisations' pages. Its issues key is without
/// its issues, which show on its page, its card and the issues' pages.
pub fn sector(s: &SectorFile) -> Keys {
    let SectorFile {
        titre,
        ordre,
        region,
        enjeux,
        description: _,
        organisme_porteur,
        partenaires,
        groupes_partenaires,
        contact: _,
        mise_a_jour: _,
    } = s;
    let mut h = FxHasher::default();
    titre.value.hash(&mut h);
    ordre.hash(&mut h);
    region.hash(&mut h);
    let mut issues = h.clone();
    enjeux.len().hash(&mut h);
    enjeux.iter().for_each(|e| e.value.hash(&mut h));
    let frame = h.finish();
    organisme_porteur.value.hash(&mut h);
    organisme_porteur.value.hash(&mut issues);
    let card = h.finish();
    let partners = |h: &mut FxHasher| {
        partenaires.len().hash(h);
        partenaires.iter().for_each(|p| p.value.hash(h));
        groupes_partenaires.len().hash(h);
        for g in groupes_partenaires {
            let PartnerGroup { titre, partenaires } = g;
            titre.hash(h);
            partenaires.len().hash(h);
            partenaires.iter().for_each(|p| p.value.hash(h));
        }
    };
    partners(&mut h);
    partners(&mut issues);
    let key = h.finish();
    Keys {
        key,
        card,
        frame,
        issues: issues.finish(),
    }
}
