//! Discover, parse and check every content file. Nothing here knows about pages: the
//! output is typed documents and the diagnostics of every file, all of them at once.

mod front_matter;
pub mod key;
pub mod types;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::text::{self, is_slug, slugify};
use crate::validate::{check_date, check_email, check_url};
use crate::yaml::{self, position};
pub use types::*;

/// A parsed fiche with where it came from.
#[derive(Debug, Clone)]
pub struct Document<T> {
    pub slug: String,
    pub source: Arc<SourceFile>,
    pub data: T,
    pub updated: Option<text::Date>,
    /// The hash of the fields that show outside the fiche's own page (`key`).
    pub key: u64,
    /// The same without a city's or a project's partners (`key::city`, `key::sector`).
    pub card_key: u64,
    /// The same without a city's figures, region and territory (`key::city`); a sector
    /// project's is its key.
    pub frame_key: u64,
    /// The same without a city's or a project's issues (`key::city`, `key::sector`).
    pub issues_key: u64,
}

/// One fiche of either kind, as read again after an edit.
#[derive(Debug)]
pub enum Fiche {
    City(Document<CityFile>),
    Sector(Document<SectorFile>),
}

/// Whether a path relative to the site names a fiche file: `content/villes/<name>.yaml`,
/// `.yml` or `.md`, or the same under `content/secteurs/`. Hidden files (an editor's
/// lock or backup files) never are.
pub fn is_fiche_path(rel: &Path) -> bool {
    kind_of(rel).is_some()
}

fn kind_of(rel: &Path) -> Option<Kind> {
    let mut parts = rel.components().map(|c| c.as_os_str().to_str());
    let (Some(Some("content")), Some(Some(folder)), Some(Some(name)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if !is_fiche_name(Path::new(name)) {
        return None;
    }
    [Kind::City, Kind::Sector]
        .into_iter()
        .find(|k| k.folder() == folder)
}

fn is_fiche_name(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'));
    !hidden
        && matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "md")
        )
}

/// Reads one fiche again, by its path relative to `root`; `None` when the path does not
/// name a fiche (`is_fiche_path`) or the file has an error, which the diagnostics tell.
/// Only what concerns the file itself is checked: references to organisations and
/// issues are resolved by the site model.
pub fn read_fiche(root: &Path, rel: &Path) -> (Option<Fiche>, Diagnostics) {
    match kind_of(rel) {
        Some(Kind::City) => {
            let (doc, d) = parse_fiche::<CityFile>(root, rel, check_city);
            (doc.map(Fiche::City), d)
        }
        Some(Kind::Sector) => {
            let (doc, d) = parse_fiche::<SectorFile>(root, rel, check_sector);
            (doc.map(Fiche::Sector), d)
        }
        None => (None, Diagnostics::default()),
    }
}

/// A registry file (`organismes.yaml`, `enjeux.yaml`) and its entries.
#[derive(Debug)]
pub struct Registry<T> {
    pub source: Arc<SourceFile>,
    pub entries: Vec<T>,
}

/// Everything under `content/`, parsed and checked value by value.
#[derive(Debug, Default)]
pub struct Content {
    pub cities: Vec<Document<CityFile>>,
    pub sectors: Vec<Document<SectorFile>>,
    pub organisations: Option<Registry<OrganisationEntry>>,
    pub enjeux: Option<Registry<EnjeuEntry>>,
}

/// The kinds of fiche, one folder each.
#[derive(Debug, Clone, Copy)]
enum Kind {
    City,
    Sector,
}

impl Kind {
    fn folder(self) -> &'static str {
        match self {
            Kind::City => "villes",
            Kind::Sector => "secteurs",
        }
    }
}

/// Fiches already read, kept from one reading of a site to the next (`fiches serve`). A
/// fiche is parsed again only when its file's length or modification time changed, or
/// when it is among the paths the watcher reported; a saved file is never missed, even
/// when two saves of the same length fall within one tick of the file system's clock.
#[derive(Default)]
pub struct Cache {
    cities: Shelf<CityFile>,
    sectors: Shelf<SectorFile>,
    /// The fiche files found last time, and what finding them reported, until a file may
    /// have been added, removed or renamed (`forget_listing`).
    listing: Option<Listing>,
}

/// The fiche files of a site, by kind, and the problems with their names.
struct Listing {
    cities: Vec<PathBuf>,
    sectors: Vec<PathBuf>,
    diags: Diagnostics,
}

impl Cache {
    /// Makes the next reading look for the fiche files again. Until then, the files found
    /// last time are read: `fiches serve` keeps the listing while every saved file is a
    /// fiche it knows and that is still there, which spares walking folders of tens of
    /// thousands of files on every save.
    pub fn forget_listing(&mut self) {
        self.listing = None;
    }

    /// Drops what was read of a file, which is then parsed again at the next reading.
    pub fn forget(&mut self, rel: &Path) {
        self.cities.remove(rel);
        self.sectors.remove(rel);
    }
}

/// The fiches of one kind read last time, by path relative to the root: the file's
/// stamp, and what reading it gave.
type Shelf<T> = HashMap<PathBuf, (Stamp, Read<T>)>;

/// What reading one fiche gives: the document, unless it has an error, and the
/// diagnostics of the file.
type Read<T> = (Option<Document<T>>, Diagnostics);

/// The length and modification time of a file.
type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

/// Reads `root/content`. The content is returned even when some files have errors, so
/// that later stages can report their own problems in the same run. With a cache, the
/// fiches whose files are unchanged are taken from it (`Cache::forget` makes one read
/// again whatever its stamp), and the cache is then brought up to date.
pub fn load_cached(root: &Path, cache: Option<&mut Cache>) -> (Content, Diagnostics) {
    match load_cached_until(root, cache, crate::NEVER) {
        Some(read) => read,
        None => unreachable!("a reading that nothing stops was stopped"),
    }
}

/// `load_cached`, or `None` when `stopped` says so before the fiches are all read: it is
/// asked before each of them (`fiches serve`, when the editor saves during the pause's
/// reading). The listing of the files is kept; the cities' shelf is brought up to date
/// when they were all read and the projects were stopped, the projects' shelf is left as
/// it was. Either way the cache holds only fiches as their stamped files were.
pub fn load_cached_until(
    root: &Path,
    mut cache: Option<&mut Cache>,
    stopped: &crate::Stopped,
) -> Option<(Content, Diagnostics)> {
    let mut content = Content::default();
    let listing = match cache.as_deref_mut().and_then(|c| c.listing.take()) {
        Some(listing) => listing,
        None => {
            let mut diags = Diagnostics::default();
            let cities = discover(root, Kind::City, &mut diags);
            let sectors = discover(root, Kind::Sector, &mut diags);
            Listing {
                cities,
                sectors,
                diags,
            }
        }
    };
    let mut diags = listing.diags.clone();
    let (cities, sectors) = (&listing.cities, &listing.sectors);
    let (parsed_cities, parsed_sectors) = match cache.as_deref_mut() {
        Some(cache) => {
            let cities = read_cached(root, cities, &mut cache.cities, check_city, stopped);
            let sectors = cities.as_ref().and_then(|_| {
                read_cached(root, sectors, &mut cache.sectors, check_sector, stopped)
            });
            match (cities, sectors) {
                (Some(cities), Some(sectors)) => (cities, sectors),
                _ => {
                    cache.listing = Some(listing);
                    return None;
                }
            }
        }
        // Both kinds at once, so that a core done with one takes files of the other.
        None => rayon::join(
            || {
                (cities.par_iter().with_max_len(FICHES_PER_TASK))
                    .map(|p| parse_fiche::<CityFile>(root, p, check_city))
                    .collect()
            },
            || {
                (sectors.par_iter().with_max_len(FICHES_PER_TASK))
                    .map(|p| parse_fiche::<SectorFile>(root, p, check_sector))
                    .collect()
            },
        ),
    };
    content.cities.reserve(parsed_cities.len());
    content.sectors.reserve(parsed_sectors.len());
    for (doc, d) in parsed_cities {
        diags.extend(d);
        content.cities.extend(doc);
    }
    for (doc, d) in parsed_sectors {
        diags.extend(d);
        content.sectors.extend(doc);
    }
    if let Some(cache) = cache {
        cache.listing = Some(listing);
    }

    content.organisations = load_registry(
        root,
        "organismes.yaml",
        &mut diags,
        |src, entries: &Vec<OrganisationEntry>, errs| {
            for e in entries {
                if let Some(site) = &e.site {
                    check_url(src, site, errs);
                }
                if let Some(mail) = &e.courriel {
                    check_email(src, mail, errs);
                }
            }
        },
    );
    content.enjeux = load_registry(
        root,
        "enjeux.yaml",
        &mut diags,
        |_, _: &Vec<EnjeuEntry>, _| {},
    );
    Some((content, diags))
}

/// The most fiches a thread reads in one go before another thread may take the rest:
/// rayon otherwise cuts the files into one run per thread, and the last run was read by
/// one thread while the other waited (`output::PAGES_PER_TASK`).
const FICHES_PER_TASK: usize = 32;

/// Reads the fiches at `paths`, taking from `shelf` those whose file is unchanged, and
/// leaves in `shelf` what was read of each: nothing else, so that a deleted fiche is
/// forgotten. `None`, with `shelf` as it was, when `stopped` says so before they are all
/// read.
fn read_cached<T>(
    root: &Path,
    paths: &[PathBuf],
    shelf: &mut Shelf<T>,
    check: Check<T>,
    stopped: &crate::Stopped,
) -> Option<Vec<Read<T>>>
where
    T: DeserializeOwned + FicheData + Clone + Send + Sync,
{
    // Each fiche, with the stamp of its file when it was read now: `None` when it was
    // taken from the shelf.
    let reads: Vec<(Option<Stamp>, Read<T>)> = paths
        .par_iter()
        .with_max_len(FICHES_PER_TASK)
        .map(|p| {
            if stopped() {
                return None;
            }
            // The stamp is taken before the file is read: a save in between is seen next time.
            let now = stamp(&root.join(p));
            let unchanged = |(then, _): &&(Stamp, Read<T>)| now == Some(*then);
            Some(match shelf.get(p).filter(unchanged) {
                Some((_, read)) => (None, read.clone()),
                // A file that cannot be stamped is read every time.
                None => (Some(now.unwrap_or_default()), parse_fiche(root, p, check)),
            })
        })
        .collect::<Option<_>>()?;
    // The shelf is brought up to date in place: most fiches were taken from it as they
    // are, and stay.
    let mut kept = 0;
    let mut out = Vec::with_capacity(paths.len());
    for (path, (now, read)) in paths.iter().zip(reads) {
        match now {
            Some(now) if now.1.is_some() => {
                shelf.insert(path.clone(), (now, read.clone()));
                kept += 1;
            }
            Some(_) => {
                shelf.remove(path);
            }
            None => kept += 1,
        }
        out.push(read);
    }
    // Fiches no longer listed are forgotten.
    if shelf.len() > kept {
        let listed: HashSet<&PathBuf> = paths.iter().collect();
        shelf.retain(|path, _| listed.contains(path));
    }
    Some(out)
}

/// The fiche files of one kind, sorted by path, with duplicate slugs and badly named
/// files reported.
fn discover(root: &Path, kind: Kind, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let dir = root.join("content").join(kind.folder());
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(|entry| match entry {
            // The folder's listing tells a file from a folder without a `stat` per entry;
            // a link is followed.
            Ok(e) if e.file_type().is_file() => Some(e.into_path()),
            Ok(e) if e.file_type().is_symlink() && e.path().is_file() => Some(e.into_path()),
            Ok(_) => None,
            Err(err) => {
                if dir.exists() {
                    let rel = err
                        .path()
                        .unwrap_or(&dir)
                        .strip_prefix(root)
                        .unwrap_or(&dir)
                        .to_path_buf();
                    diags.push(Diagnostic::file_error(
                        &rel,
                        format!("lecture impossible : {err}"),
                    ));
                }
                None
            }
        })
        .filter(|p| is_fiche_name(p))
        .map(|p| p.strip_prefix(root).map(Path::to_path_buf).unwrap_or(p))
        .collect();
    // In the order of their names. The files share their folder, so their paths compare
    // as their names do, byte by byte: comparing them as paths, part by part, was most
    // of the listing's time at 10 000 fiches.
    files.sort_unstable_by(|a, b| {
        a.as_os_str()
            .as_encoded_bytes()
            .cmp(b.as_os_str().as_encoded_bytes())
    });

    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    files.retain(|path| {
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if !is_slug(stem) {
            let suggestion = slugify(stem);
            diags.push(
                Diagnostic::file_error(path, format!("nom de fichier invalide « {stem} » : il devient l’adresse de la page"))
                    .with_hint(format!("renommez le fichier en `{suggestion}.{}` (minuscules sans accents, mots séparés par des tirets)", path.extension().and_then(|e| e.to_str()).unwrap_or("yaml"))),
            );
            return false;
        }
        if let Some(first) = seen.get(stem) {
            diags.push(
                Diagnostic::file_error(path, format!("slug en double « {stem} » : {} porte déjà ce nom", first.display()))
                    .with_hint("deux fiches ne peuvent pas avoir la même adresse : renommez ou supprimez l’un des deux fichiers"),
            );
            return false;
        }
        seen.insert(stem.to_string(), path.clone());
        true
    });
    files
}

type Check<T> = fn(&SourceFile, &T, &mut Vec<Diagnostic>) -> Option<text::Date>;

/// Reads one fiche: YAML, or Markdown whose body becomes the `description`.
fn parse_fiche<T: DeserializeOwned + FicheData>(
    root: &Path,
    rel: &Path,
    check: Check<T>,
) -> (Option<Document<T>>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let source = match SourceFile::read(root, rel) {
        Ok(Ok(source)) => source,
        Ok(Err(not_utf8)) => {
            diags.push(not_utf8);
            return (None, diags);
        }
        Err(e) => {
            diags.push(
                Diagnostic::file_error(rel, format!("lecture impossible : {e}")).with_hint(
                    "vérifiez que le fichier existe et que vous avez le droit de le lire",
                ),
            );
            return (None, diags);
        }
    };
    let is_markdown = rel.extension().is_some_and(|e| e == "md");
    let (yaml_text, body) = if is_markdown {
        match front_matter::split(&source) {
            Ok(parts) => parts,
            Err(d) => {
                diags.push(d);
                return (None, diags);
            }
        }
    } else {
        (
            Cow::Borrowed(source.text.trim_start_matches('\u{feff}')),
            None,
        )
    };
    let (parsed, structural) = yaml::parse_all::<T>(&source, &yaml_text);
    let structurally_sound = structural.is_empty();
    for d in structural {
        diags.push(d);
    }
    let Some(mut data) = parsed else {
        return (None, diags);
    };
    if let Some(body) = body {
        if data.has_description() {
            let (line, col) = source.find("description:").unwrap_or((1, 1));
            diags.push(
                source
                    .error_at(line, col, "description écrite deux fois : dans l’en-tête et dans le corps du fichier")
                    .with_hint("dans un fichier .md, la description est le texte après la ligne `---` : retirez le champ `description`"),
            );
        }
        data.set_description(body);
    }
    let mut errors = Vec::new();
    let updated = check(&source, &data, &mut errors);
    for e in errors {
        diags.push(e);
    }
    if !structurally_sound {
        return (None, diags);
    }
    let slug = rel
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let key::Keys {
        key,
        card: card_key,
        frame: frame_key,
        issues: issues_key,
    } = data.keys();
    let doc = Document {
        slug,
        source: Arc::new(source),
        key,
        card_key,
        frame_key,
        issues_key,
        data,
        updated,
    };
    (Some(doc), diags)
}

/// What parsing needs of each kind of fiche: the description field, which a Markdown
/// file's body fills, and the structural key.
trait FicheData {
    fn set_description(&mut self, body: String);
    fn has_description(&self) -> bool;
    /// The structural key, the card key, the frame key and the issues key (`key::city`).
    fn keys(&self) -> key::Keys;
}

impl FicheData for CityFile {
    fn set_description(&mut self, body: String) {
        self.description = Some(body);
    }
    fn has_description(&self) -> bool {
        self.description.is_some()
    }
    fn keys(&self) -> key::Keys {
        key::city(self)
    }
}

impl FicheData for SectorFile {
    fn set_description(&mut self, body: String) {
        self.description = Some(body);
    }
    fn has_description(&self) -> bool {
        self.description.is_some()
    }
    fn keys(&self) -> key::Keys {
        key::sector(self)
    }
}

fn check_city(src: &SourceFile, city: &CityFile, errs: &mut Vec<Diagnostic>) -> Option<text::Date> {
    if city.ville.value.trim().is_empty() {
        let (l, c) = position(&city.ville);
        errs.push(
            src.error_at(l, c, "nom de ville vide")
                .with_hint("écrivez le nom de la ville, par exemple `ville: \"Lévis\"`"),
        );
    }
    for figure in &city.chiffres {
        let (l, c) = position(figure);
        let f = &figure.value;
        let shown = format!(
            "{} {}",
            text::format_number(f.valeur).replace(text::NBSP, " "),
            f.libelle
        );
        match (&f.source, f.annee) {
            (None, _) => errs.push(
                src.error_at(l, c, format!("chiffre sans source : « {shown} »"))
                    .with_hint("ajoutez `source: …` et `annee: …` sous ce chiffre (ex. `source: \"portrait Pôle CN\"` et `annee: 2023`) : des chiffres de méthodes et d’années différentes circulent pour une même ville"),
            ),
            (Some(_), None) => errs.push(
                src.error_at(l, c, format!("chiffre sans année de source : « {shown} »"))
                    .with_hint("ajoutez `annee: …` sous ce chiffre, l’année de la source (ex. `annee: 2023`)"),
            ),
            (Some(s), Some(_)) if s.trim().is_empty() => errs.push(
                src.error_at(l, c, format!("source vide pour le chiffre « {shown} »"))
                    .with_hint("nommez la source du chiffre (ex. `source: \"portrait Pôle CN\"`)"),
            ),
            _ => {}
        }
        if let Some(unit) = &f.unite
            && !matches!(unit.value.as_str(), "$" | "%")
        {
            let (l, c) = position(unit);
            errs.push(
                src.error_at(l, c, format!("unité inconnue « {} »", unit.value))
                    .with_hint("les unités permises sont `\"$\"` (montants, affichés en M$ ou G$) et `\"%\"` ; pour un nombre d’entreprises ou d’emplois, retirez `unite`"),
            );
        }
        if !f.valeur.is_finite() || f.valeur < 0.0 {
            errs.push(
                src.error_at(l, c, "valeur de chiffre invalide")
                    .with_hint("écrivez un nombre positif, sans espace ni unité"),
            );
        }
    }
    for partner in &city.partenaires_cles {
        if let Some(mail) = &partner.courriel {
            check_email(src, mail, errs);
        }
        if let Some(site) = &partner.site {
            check_url(src, site, errs);
        }
    }
    if let Some(mail) = city.contact.as_ref().and_then(|c| c.courriel.as_ref()) {
        check_email(src, mail, errs);
    }
    city.mise_a_jour
        .as_ref()
        .and_then(|d| check_date(src, d, errs))
}

fn check_sector(
    src: &SourceFile,
    sector: &SectorFile,
    errs: &mut Vec<Diagnostic>,
) -> Option<text::Date> {
    if sector.titre.value.trim().is_empty() {
        let (l, c) = position(&sector.titre);
        errs.push(
            src.error_at(l, c, "titre vide")
                .with_hint("donnez au projet un titre court et fidèle"),
        );
    }
    if let Some(mail) = sector.contact.as_ref().and_then(|c| c.courriel.as_ref()) {
        check_email(src, mail, errs);
    }
    sector
        .mise_a_jour
        .as_ref()
        .and_then(|d| check_date(src, d, errs))
}

fn load_registry<T: DeserializeOwned>(
    root: &Path,
    name: &str,
    diags: &mut Diagnostics,
    check: impl Fn(&SourceFile, &Vec<T>, &mut Vec<Diagnostic>),
) -> Option<Registry<T>> {
    let rel = Path::new("content").join(name);
    let path = root.join(&rel);
    if !path.exists() {
        return None;
    }
    let source = match SourceFile::read(root, &rel) {
        Ok(Ok(source)) => source,
        Ok(Err(not_utf8)) => {
            diags.push(not_utf8);
            return None;
        }
        Err(e) => {
            diags.push(Diagnostic::file_error(
                &rel,
                format!("lecture impossible : {e}"),
            ));
            return None;
        }
    };
    let (entries, errors) = yaml::parse_all::<Vec<T>>(&source, &source.text);
    let structural = !errors.is_empty();
    errors.into_iter().for_each(|d| diags.push(d));
    let entries = entries?;
    let mut errs = Vec::new();
    check(&source, &entries, &mut errs);
    errs.into_iter().for_each(|d| diags.push(d));
    (!structural).then(|| Registry {
        source: Arc::new(source),
        entries,
    })
}
