//! Warnings that teach: problems that do not stop a build (unless `--strict`), but that an
//! editor should look at — two spellings of what is probably one organisation, figures
//! whose source is old, fiches not updated for a long time.
//!
//! "Old" is measured against a **reference date**, never the clock, so that the same
//! content gives the same warnings on every machine and every day: the date given with
//! `--annee-reference` (or `FICHES_ANNEE_REFERENCE`), else the most recent `mise_a_jour`
//! of the content. Without either, the age checks are skipped.

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::Stopped;
use crate::content::Content;
use crate::diagnostic::{Diagnostics, SourceFile};
use crate::site::resolve::{key, split_acronym};
use crate::text::{self, Date, fold};
use crate::yaml::{Spanned, position};

/// A figure whose source is older than this many years is flagged.
pub const FIGURE_MAX_AGE_YEARS: u16 = 5;
/// A fiche whose `mise_a_jour` is older than this many years is flagged.
pub const FICHE_MAX_AGE_YEARS: u16 = 2;
/// Two folded names at most this many letters apart (Levenshtein) probably name one
/// organisation.
pub const NEAR_DUPLICATE_EDITS: usize = 2;

/// Parses a reference given by the editor: `2025` (January 1st) or `2025-03-25`.
pub fn parse_reference(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() == 4 {
        return Date::parse(&format!("{s}-01-01"));
    }
    Date::parse(s)
}

/// The reference date: the one given, else the newest `mise_a_jour` in `content`.
pub fn reference(content: &Content, given: Option<Date>) -> Option<Date> {
    given.or_else(|| {
        content
            .cities
            .iter()
            .filter_map(|d| d.updated)
            .chain(content.sectors.iter().filter_map(|d| d.updated))
            .max()
    })
}

/// The warnings of `content`, measured against `reference`, in two steps: `start` takes
/// what they need, so that the costly one, the near-duplicate names, can be found
/// (`Pending::finish`) while the site is modelled from the content, which the model takes.
pub fn start(content: &Content, reference: Option<Date>) -> Pending {
    let mut dated = Diagnostics::default();
    if let Some(today) = reference {
        old_figures(content, today, &mut dated);
        old_fiches(content, today, &mut dated);
    }
    Pending {
        mentions: content
            .organisations
            .is_none()
            .then(|| first_spellings(content)),
        dated,
    }
}

/// The warnings `start` left to find.
pub struct Pending {
    /// The organisation mentions, when there is no registry to hold the names.
    mentions: Option<Vec<Named>>,
    /// The warnings about dates, already found.
    dated: Diagnostics,
}

impl Pending {
    /// Every warning, in the order of the checks: near-duplicate names, old figures, old
    /// fiches.
    /// `None` when `stopped` said so before they were all found (`fiches serve`, when
    /// the editor saved again during the pause's reading: `crate::model`).
    pub fn finish(self, stopped: &Stopped) -> Option<Diagnostics> {
        let mut diags = Diagnostics::default();
        if let Some(mentions) = self.mentions {
            near_duplicates(mentions, &mut diags, stopped)?;
        }
        diags.extend(self.dated);
        Some(diags)
    }
}

/// An organisation as a fiche names it.
struct Mention<'a> {
    source: &'a Arc<SourceFile>,
    name: &'a Spanned<String>,
}

/// A mention kept for `Pending::finish`, beyond the content's life.
struct Named {
    source: Arc<SourceFile>,
    name: Spanned<String>,
}

/// The first mention of each distinct spelling, in reading order, kept: the later ones
/// change no warning (`near_duplicates` looks at the first mention of each name), and
/// most organisations are named in the same words by many fiches.
fn first_spellings(content: &Content) -> Vec<Named> {
    let mut seen = FxHashSet::default();
    (mentions(content).into_iter())
        .filter(|m| seen.insert(m.name.value.as_str()))
        .map(|m| Named {
            source: Arc::clone(m.source),
            name: m.name.clone(),
        })
        .collect()
}

/// Every organisation mention, in file and line order. The fiches of each kind are read in
/// path order (`content::load_cached`), so only each file's mentions need sorting, and the two
/// folders are taken in the order of their names.
fn mentions(content: &Content) -> Vec<Mention<'_>> {
    let by_place = |a: &Mention, b: &Mention| position(a.name).cmp(&position(b.name));
    let mut cities = Vec::new();
    for doc in &content.cities {
        let src = &doc.source;
        let start = cities.len();
        for p in &doc.data.partenariats {
            cities.push(Mention {
                source: src,
                name: &p.nom,
            });
        }
        for p in &doc.data.partenaires_cles {
            cities.push(Mention {
                source: src,
                name: &p.nom,
            });
        }
        cities[start..].sort_by(by_place);
    }
    let mut sectors = Vec::new();
    for doc in &content.sectors {
        let src = &doc.source;
        let d = &doc.data;
        let start = sectors.len();
        sectors.push(Mention {
            source: src,
            name: &d.organisme_porteur,
        });
        for p in d
            .partenaires
            .iter()
            .chain(d.groupes_partenaires.iter().flat_map(|g| &g.partenaires))
        {
            sectors.push(Mention {
                source: src,
                name: p,
            });
        }
        sectors[start..].sort_by(by_place);
    }
    let cities_first = match (cities.first(), sectors.first()) {
        (Some(c), Some(s)) => c.source.path < s.source.path,
        _ => true,
    };
    if cities_first {
        cities.extend(sectors);
        cities
    } else {
        sectors.extend(cities);
        sectors
    }
}

/// Whether two folded names, not the same, probably name one organisation.
fn near(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let extends = short.split(' ').count() >= 3
        && long.starts_with(short)
        && long[short.len()..].starts_with([' ', ',']);
    // A typo: a couple of letters apart. A similarity ratio would pair every "Chambre de
    // commerce de X" with every other X, which are different organisations.
    let typo = short.chars().count() >= 8 && within_edits(a, b, NEAR_DUPLICATE_EDITS);
    extends || typo
}

/// Whether `a` and `b` are at most `k` single-letter edits apart. Neighbours in sorted
/// order share most of their letters: only the part between their common start and common
/// end is measured, which gives the same distance for a fraction of the work.
fn within_edits(a: &str, b: &str, k: usize) -> bool {
    let start: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[start..], &b[start..]);
    let end: usize = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (a, b) = (&a[..a.len() - end], &b[..b.len() - end]);
    a.chars().count().abs_diff(b.chars().count()) <= k && strsim::levenshtein(a, b) <= k
}

/// How many neighbours, in sorted order, each name is compared with.
const NEIGHBOURS: usize = 3;

/// Near-duplicates among the distinct names, in O(n log n): each name is compared with its
/// closest neighbours in alphabetical order, and in the order of the names read backwards,
/// which pairs names that differ at their end and names that differ at their start.
/// Comparing every pair would cost seconds on a province-wide site.
///
/// `None`, having pushed nothing, when `stopped` says so: it is asked between the steps,
/// and every `CHECKED` names of the comparisons.
fn near_duplicates(all: Vec<Named>, diags: &mut Diagnostics, stopped: &Stopped) -> Option<()> {
    let go_on = || (!stopped()).then_some(());
    // The first mention of each distinct name, as the resolver folds it, in reading order.
    let keys: Vec<String> = (all.par_iter())
        .map(|m| key(split_acronym(&m.name.value).0))
        .collect();
    go_on()?;
    let mut seen = std::collections::HashSet::new();
    let firsts: Vec<&Named> = (all.iter().zip(keys))
        .filter_map(|(m, k)| (!k.is_empty() && seen.insert(k)).then_some(m))
        .collect();
    let firsts: Vec<(String, &Named)> = (firsts.into_par_iter())
        .map(|m| (fold(split_acronym(&m.name.value).0), m))
        .collect();
    let reversed: Vec<String> = firsts
        .iter()
        .map(|(f, _)| f.chars().rev().collect())
        .collect();
    go_on()?;
    // For each name, the earliest earlier name it nearly duplicates.
    let mut earlier: Vec<Option<usize>> = vec![None; firsts.len()];
    let mut by_name: Vec<usize> = (0..firsts.len()).collect();
    let mut by_reversed = by_name.clone();
    by_name.sort_by(|&a, &b| firsts[a].0.cmp(&firsts[b].0));
    by_reversed.sort_by(|&a, &b| reversed[a].cmp(&reversed[b]));
    for order in [&by_name, &by_reversed] {
        for (pos, &i) in order.iter().enumerate() {
            if pos % CHECKED == 0 {
                go_on()?;
            }
            for &j in order.iter().skip(pos + 1).take(NEIGHBOURS) {
                let (first, later) = if i < j { (i, j) } else { (j, i) };
                if near(&firsts[first].0, &firsts[later].0)
                    && earlier[later].is_none_or(|e| first < e)
                {
                    earlier[later] = Some(first);
                }
            }
        }
    }
    for (later, first) in earlier.iter().enumerate() {
        let Some(first) = *first else { continue };
        let m = firsts[later].1;
        let first = firsts[first].1;
        let (l, c) = position(&m.name);
        let (fl, _) = position(&first.name);
        diags.push(
            m.source
                .error_at(
                    l,
                    c,
                    format!(
                        "organismes presque identiques : « {} » et « {} » ({}:{fl})",
                        m.name.value.trim(),
                        first.name.value.trim(),
                        first.source.path.display()
                    ),
                )
                .with_hint("s’il s’agit du même organisme, écrivez son nom de la même façon partout ; sinon, ou pour garder les deux graphies, créez `content/organismes.yaml` avec l’une dans `alias`")
                .warning(),
        );
    }
    Some(())
}

/// How many names `near_duplicates` compares between two questions to its `stopped`: a
/// millisecond or two of work.
const CHECKED: usize = 1024;

fn old_figures(content: &Content, today: Date, diags: &mut Diagnostics) {
    for doc in &content.cities {
        for figure in &doc.data.chiffres {
            let f = &figure.value;
            let Some(year) = f.annee else { continue };
            if year.saturating_add(FIGURE_MAX_AGE_YEARS) >= today.year {
                continue;
            }
            let (l, c) = position(figure);
            let shown = format!(
                "{} {}",
                text::format_number(f.valeur).replace(text::NBSP, " "),
                f.libelle
            );
            diags.push(
                doc.source
                    .error_at(
                        l,
                        c,
                        format!(
                            "chiffre ancien : « {shown} » vient d’une source de {year}, plus de {FIGURE_MAX_AGE_YEARS} ans avant {}",
                            today.year
                        ),
                    )
                    .with_hint("cherchez une source plus récente et mettez à jour `valeur`, `source` et `annee` ; sinon, le chiffre reste affiché avec son année")
                    .warning(),
            );
        }
    }
}

fn old_fiches(content: &Content, today: Date, diags: &mut Diagnostics) {
    let limit = Date {
        year: today.year.saturating_sub(FICHE_MAX_AGE_YEARS),
        ..today
    };
    let docs = content
        .cities
        .iter()
        .map(|d| (&d.source, d.updated, d.data.mise_a_jour.as_ref()))
        .chain(
            content
                .sectors
                .iter()
                .map(|d| (&d.source, d.updated, d.data.mise_a_jour.as_ref())),
        );
    for (source, updated, written) in docs {
        let (Some(updated), Some(written)) = (updated, written) else {
            continue;
        };
        if updated >= limit {
            continue;
        }
        let (l, c) = position(written);
        diags.push(
            source
                .error_at(
                    l,
                    c,
                    format!(
                        "fiche non mise à jour depuis plus de {FICHE_MAX_AGE_YEARS} ans (le {}, référence : {})",
                        updated.iso(),
                        today.iso()
                    ),
                )
                .with_hint("relisez la fiche, corrigez ce qui a changé, puis mettez `mise_a_jour` à la date du jour")
                .warning(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names() {
        for (a, b, expected) in [
            (
                "Chantier de l’économie sociale",
                "Chantier de l'economie socialle",
                true,
            ),
            (
                "Association des parcs régionaux du Québec",
                "Association des parcs régionaux du Québec via Aventure écotourisme Québec",
                true,
            ),
            ("Coop Carbone", "Coop Carbone de l’Estrie", false),
            (
                "Chambre de commerce de Bonaventure",
                "Chambre de commerce de Cabano",
                false,
            ),
            (
                "Caisse Desjardins de Yamaska-sur-Mer",
                "Caisse Desjardins de Yamaska",
                false,
            ),
            ("Pôle CN", "Pôle Mauricie", false),
            (
                "Conseil québécois de la coopération et de la mutualité",
                "Conseil québécois du loisir",
                false,
            ),
        ] {
            assert_eq!(near(&fold(a), &fold(b)), expected, "{a} / {b}");
        }
    }

    #[test]
    fn edits_are_counted_between_the_common_start_and_end() {
        for (a, b) in [
            ("", ""),
            ("abc", "abc"),
            ("chantier", "chantiers"),
            ("aaa", "aaaa"),
            ("économie sociale", "economie socialle"),
            ("kitten", "sitting"),
            ("abcdef", "fedcba"),
            ("ab", "ba"),
            ("la ville", "ville"),
        ] {
            let d = strsim::levenshtein(a, b);
            for k in 0..4 {
                assert_eq!(within_edits(a, b, k), d <= k, "{a} / {b}, {k}");
            }
        }
    }

    #[test]
    fn references() {
        assert_eq!(
            parse_reference("2025"),
            Some(Date {
                year: 2025,
                month: 1,
                day: 1
            })
        );
        assert_eq!(
            parse_reference("2025-03-25").map(|d| d.iso()).as_deref(),
            Some("2025-03-25")
        );
        assert_eq!(parse_reference("l’an dernier"), None);
    }
}
