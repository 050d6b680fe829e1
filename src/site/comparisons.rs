//! Headline figures compared across cities: one comparison per kind of figure (same label
//! and unit once folded), drawn as a bar chart with its table beside it.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::ops::RangeInclusive;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{City, Figure};
use crate::text::fold;

#[derive(Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The figure's label as the first city wrote it (`emplois`).
    pub label: String,
    pub unit: Option<String>,
    /// Largest first, then by city name.
    pub rows: Vec<Bar>,
    /// The distinct sources of the compared figures.
    pub sources: Vec<String>,
    /// Position of each city's bar in `rows`, by slug.
    #[serde(skip)]
    pub rank: FxHashMap<String, usize>,
}

/// How many bars a chart draws at most: the largest values, and the highlighted city's
/// if it is not among them; the whole list is in the open data. Keeps a page's cost
/// independent of the number of cities.
pub const CHART_ROWS: usize = 15;

impl Comparison {
    /// The bars of this comparison's chart: the largest values, and the bar at `rank`
    /// (a city's place in the ranking, 0 for the largest: `rank[slug]`) with that place
    /// when it is not among them.
    pub fn chart_bars(&self, rank: Option<usize>) -> (&[Bar], Option<(usize, &Bar)>) {
        let top = &self.rows[..self.rows.len().min(CHART_ROWS)];
        let mine = (rank.filter(|&i| i >= CHART_ROWS)).map(|i| (i, &self.rows[i]));
        (top, mine)
    }

    /// A comparison of `rows`, ranked in their order as `compare` ranks them (a city with
    /// two bars by its last), for tests.
    #[cfg(test)]
    pub fn of_bars(rows: Vec<Bar>) -> Comparison {
        let rank = (rows.iter().enumerate())
            .map(|(i, r)| (r.slug.clone(), i))
            .collect();
        Comparison {
            label: "emplois".to_string(),
            unit: None,
            rows,
            sources: Vec::new(),
            rank,
        }
    }
}

/// How a comparison changed between two models, for the pages that draw its chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Not at all.
    None,
    /// In the ranks and bars beyond its largest values: the same label, unit, sources,
    /// number of cities and largest values.
    Ranks,
    /// In what every chart of it draws.
    All,
}

/// How comparison `b` changed from `a`, the same kind of figure in the last model.
pub fn change(a: &Comparison, b: &Comparison) -> Change {
    let same = a.label == b.label
        && a.unit == b.unit
        && a.sources == b.sources
        && a.rows.len() == b.rows.len();
    match (same, a.rows == b.rows) {
        (true, true) => Change::None,
        (true, false) if a.chart_bars(None).0 == b.chart_bars(None).0 => Change::Ranks,
        _ => Change::All,
    }
}

/// Whether the city `slug` is shown the same charts by two models, given the
/// comparisons of the last and of the new that differ and how (`change`): it is in both
/// or neither of each, and in those whose ranks changed alone, at the same rank with
/// the same bar. An edited figure changes the rank of the cities it passes, and, when it
/// enters or leaves the largest values, every chart of its comparison: those pages
/// alone, not every city's, are rendered again.
pub fn same_for_city(changed: &[(&Comparison, &Comparison, Change)], slug: &str) -> bool {
    changed.iter().all(|(a, b, change)| match change {
        Change::None => true,
        Change::Ranks => match (a.rank.get(slug), b.rank.get(slug)) {
            (None, None) => true,
            (Some(&i), Some(&j)) => i == j && a.rows[i] == b.rows[j],
            _ => false,
        },
        Change::All => !a.rank.contains_key(slug) && !b.rank.contains_key(slug),
    })
}

#[derive(Debug, PartialEq, Serialize)]
pub struct Bar {
    pub city: String,
    pub slug: String,
    pub url: String,
    pub value: f64,
    pub text: String,
    /// Bar length, in percent of the largest value (0–100).
    pub percent: f64,
}

/// Every kind of figure published by at least one city, in the order of first appearance.
/// `cities` come in the site's order, by folded name (`site::build`): each comparison's
/// rows are pushed in that order, and a stable sort by value alone puts them largest first,
/// then by city name.
pub fn compare(cities: &[City]) -> Vec<Comparison> {
    let kinds = Kinds::of(cities);
    let all = vec![true; kinds.written.len()];
    kinds
        .compare(cities, &all)
        .into_iter()
        .map(|(_, c)| c)
        .collect()
}

/// The comparisons brought up to date after the figures of the city at `i` changed from
/// `before`, and nothing else: those where its bars differ are made again, the others
/// are left as they are. Returns those made again, as they were, by place; `None`, with
/// `comparisons` untouched, when the kinds of figure are no longer the same, in the same
/// order, written the same way (`compare` is then the way).
pub fn compare_again(
    comparisons: &mut [Comparison],
    cities: &[City],
    i: usize,
    before: &[Figure],
) -> Option<Vec<(usize, Comparison)>> {
    let kinds = Kinds::of(cities);
    if !kinds.same_as(comparisons) {
        return None;
    }
    let city = &cities[i];
    if !city.published {
        return Some(Vec::new());
    }
    // The kind of each of the city's figures, before and now.
    let kind = |f: &Figure| kinds.keys.get(&(fold(&f.label), f.unit.clone())).copied();
    let was: Vec<usize> = before.iter().map(kind).collect::<Option<_>>()?;
    let now: Vec<usize> = city.figures.iter().map(kind).collect::<Option<_>>()?;
    let mut affected = vec![false; comparisons.len()];
    // The city's figures of each kind, before and now: where they differ, so does the
    // comparison.
    fn of_kind<'a>(
        figures: &'a [Figure],
        kinds: &'a [usize],
        k: usize,
    ) -> impl Iterator<Item = &'a Figure> {
        (figures.iter().zip(kinds))
            .filter(move |(_, j)| **j == k)
            .map(|(f, _)| f)
    }
    for &k in was.iter().chain(&now) {
        affected[k] = !of_kind(before, &was, k).eq(of_kind(&city.figures, &now, k));
    }
    let made = kinds.compare(cities, &affected);
    Some(
        (made.into_iter())
            .map(|(k, c)| (k, std::mem::replace(&mut comparisons[k], c)))
            .collect(),
    )
}

/// What became of a comparison that a patch changed, for the pages that draw its chart.
#[derive(Debug)]
pub enum Was {
    /// Made again: the comparison as it was.
    Made(Comparison),
    /// The same cities compared, one city's bar renamed and moved among equal values in
    /// place: the bars at `ranks` changed (that one, and those it passed, moved by one),
    /// and every chart of the comparison with them when `all` (its largest values or its
    /// sources changed).
    Moved {
        ranks: RangeInclusive<usize>,
        all: bool,
    },
}

/// Whether the city `slug` is shown the same chart of comparison `b` after a bar moved
/// in it (`Was::Moved`): it is in neither, or its bar is outside `ranks` and the chart's
/// largest values and sources are the same.
pub fn same_after_move(
    b: &Comparison,
    ranks: &RangeInclusive<usize>,
    all: bool,
    slug: &str,
) -> bool {
    match b.rank.get(slug) {
        None => true,
        Some(r) => !all && !ranks.contains(r),
    }
}

/// The comparisons brought up to date after the city at `i` was renamed or given
/// another status, and moved in `cities` to its new place, and nothing else: those it
/// was or is in change (its bar's name, its place among equal values, the order of the
/// sources, its bar added or taken out), the others are left as they are. Returns what
/// became of those that changed, by place; `None`, with `comparisons` untouched, when
/// the kinds of figure are no longer the same, in the same order, written the same way
/// (`compare` is then the way). A city compared in the same comparisons as before, with
/// one figure of each kind, has its bar moved in place (`Was::Moved`); otherwise they
/// are made again (`Was::Made`).
pub fn compare_renamed(
    comparisons: &mut [Comparison],
    cities: &[City],
    i: usize,
) -> Option<Vec<(usize, Was)>> {
    let kinds = Kinds::of(cities);
    if !kinds.same_as(comparisons) {
        return None;
    }
    let city = &cities[i];
    let was_in: Vec<bool> = (comparisons.iter())
        .map(|c| c.rank.contains_key(&city.slug))
        .collect();
    let mut wanted = was_in.clone();
    let mut shown = vec![false; comparisons.len()];
    let mut once = true;
    if city.published {
        for f in &city.figures {
            let k = *kinds.keys.get(&(fold(&f.label), f.unit.clone()))?;
            once &= !std::mem::replace(&mut shown[k], true);
            wanted[k] = true;
        }
    }
    // Published, or in no comparison before as now.
    let kept = city.published || !was_in.contains(&true);
    if once && kept && wanted == was_in {
        return Some(kinds.move_bar(comparisons, cities, i, &wanted));
    }
    let made = kinds.compare(cities, &wanted);
    Some(
        (made.into_iter())
            .map(|(k, c)| (k, Was::Made(std::mem::replace(&mut comparisons[k], c))))
            .collect(),
    )
}

/// The comparisons brought up to date after the city `slug` was taken out of `cities`:
/// those it was in are made again. Returns them as they were, by place; `None`, with
/// `comparisons` untouched, when the kinds of figure are no longer the same, in the same
/// order, written the same way (it was the first to show one).
pub fn compare_removed(
    comparisons: &mut [Comparison],
    cities: &[City],
    slug: &str,
) -> Option<Vec<(usize, Was)>> {
    let kinds = Kinds::of(cities);
    if !kinds.same_as(comparisons) {
        return None;
    }
    let wanted: Vec<bool> = (comparisons.iter())
        .map(|c| c.rank.contains_key(slug))
        .collect();
    let made = kinds.compare(cities, &wanted);
    Some(
        (made.into_iter())
            .map(|(k, c)| (k, Was::Made(std::mem::replace(&mut comparisons[k], c))))
            .collect(),
    )
}

/// Puts back the comparisons a patch made again (`was`), for a patch that gives way
/// after; `false` when one was moved in place instead, which cannot be put back.
pub fn put_back(comparisons: &mut [Comparison], was: Vec<(usize, Was)>) -> bool {
    let mut all = true;
    for (k, was) in was {
        match was {
            Was::Made(c) => comparisons[k] = c,
            Was::Moved { .. } => all = false,
        }
    }
    all
}

/// The kinds of figure of a site: each label as first written with its unit, in the
/// order of first appearance, their places by folded label and unit, and the kind of
/// every figure of the published cities, in their order.
struct Kinds {
    written: Vec<(String, Option<String>)>,
    keys: HashMap<(String, Option<String>), usize>,
    of_figure: Vec<usize>,
}

impl Kinds {
    fn of(cities: &[City]) -> Kinds {
        let mut keys: HashMap<(String, Option<String>), usize> = HashMap::new();
        // Each label as written, then folded only the first time it is seen: most cities
        // write the same few labels.
        let mut seen: FxHashMap<(&str, Option<&str>), usize> = FxHashMap::default();
        let mut written = Vec::new();
        let mut of_figure = Vec::new();
        for f in cities
            .iter()
            .filter(|c| c.published)
            .flat_map(|c| &c.figures)
        {
            let as_written = (f.label.as_str(), f.unit.as_deref());
            let k = match seen.get(&as_written) {
                Some(&k) => k,
                None => {
                    let folded = (fold(&f.label), f.unit.clone());
                    let k = *keys.entry(folded).or_insert_with(|| {
                        written.push((f.label.clone(), f.unit.clone()));
                        written.len() - 1
                    });
                    seen.insert(as_written, k);
                    k
                }
            };
            of_figure.push(k);
        }
        Kinds {
            written,
            keys,
            of_figure,
        }
    }

    /// Whether `comparisons` compare these kinds, in this order, written this way.
    fn same_as(&self, comparisons: &[Comparison]) -> bool {
        self.written.len() == comparisons.len()
            && (self.written.iter().zip(comparisons))
                .all(|((label, unit), c)| *label == c.label && *unit == c.unit)
    }

    /// The distinct sources of the comparisons of the kinds `wanted`, in the order of
    /// first appearance, by place (empty for the others).
    fn sources<'a>(&self, cities: &'a [City], wanted: &[bool]) -> Vec<Vec<(&'a str, u16)>> {
        let mut sources: Vec<Vec<(&str, u16)>> = vec![Vec::new(); wanted.len()];
        let figures = cities
            .iter()
            .filter(|c| c.published)
            .flat_map(|c| &c.figures);
        for (f, &k) in figures.zip(&self.of_figure) {
            let source = (f.source.as_str(), f.year);
            if wanted[k] && !sources[k].contains(&source) {
                sources[k].push(source);
            }
        }
        sources
    }

    /// `compare_renamed` for the city at `i`, published, compared in the comparisons
    /// `wanted` as before, with one figure of each kind: in each, its bar takes its new
    /// name and its new place among the bars of equal value (which are in the order of
    /// their cities, by folded name), and the sources their new order.
    fn move_bar(
        &self,
        comparisons: &mut [Comparison],
        cities: &[City],
        i: usize,
        wanted: &[bool],
    ) -> Vec<(usize, Was)> {
        let city = &cities[i];
        let name = fold(&city.name);
        let sources = self.sources(cities, wanted);
        let bits = |r: &Bar| (r.value + 0.0).to_bits();
        let mut moved = Vec::new();
        for (k, c) in comparisons.iter_mut().enumerate() {
            if !wanted[k] {
                continue;
            }
            let from = c.rank[&city.slug];
            let mut bar = c.rows.remove(from);
            bar.city.clone_from(&city.name);
            let value = bits(&bar);
            let start = c.rows.partition_point(|r| bits(r) > value);
            let end = c.rows.partition_point(|r| bits(r) >= value);
            let to = start + c.rows[start..end].partition_point(|r| fold(&r.city) < name);
            c.rows.insert(to, bar);
            let ranks = from.min(to)..=from.max(to);
            // The bars between moved by one. A city's rank is that of its last bar (a city
            // may show a kind twice): it moves with that bar alone.
            let was = |r: usize| if from < to { r + 1 } else { r - 1 };
            for r in ranks.clone().filter(|&r| r != to) {
                if let Some(rank) = c.rank.get_mut(c.rows[r].slug.as_str())
                    && *rank == was(r)
                {
                    *rank = r;
                }
            }
            if let Some(rank) = c.rank.get_mut(city.slug.as_str()) {
                *rank = to;
            }
            let new: Vec<String> = (sources[k].iter())
                .map(|(source, year)| format!("{source}, {year}"))
                .collect();
            let all = *ranks.start() < CHART_ROWS || new != c.sources;
            c.sources = new;
            moved.push((k, Was::Moved { ranks, all }));
        }
        moved
    }

    /// The comparisons of the kinds `wanted`, by place.
    fn compare(&self, cities: &[City], wanted: &[bool]) -> Vec<(usize, Comparison)> {
        let mut out: Vec<Option<Comparison>> = (self.written.iter().zip(wanted))
            .map(|((label, unit), &wanted)| {
                wanted.then(|| Comparison {
                    label: label.clone(),
                    unit: unit.clone(),
                    rows: Vec::new(),
                    sources: Vec::new(),
                    rank: FxHashMap::default(),
                })
            })
            .collect();
        let figures = cities
            .iter()
            .filter(|c| c.published)
            .flat_map(|city| city.figures.iter().map(move |f| (city, f)));
        let sources = self.sources(cities, wanted);
        for ((city, f), &k) in figures.zip(&self.of_figure) {
            let Some(c) = out[k].as_mut() else {
                continue;
            };
            c.rows.push(Bar {
                city: city.name.clone(),
                slug: city.slug.clone(),
                url: city.url.clone(),
                value: f.value,
                text: f.text.clone(),
                percent: 0.0,
            });
        }
        let mut made = Vec::new();
        for (k, c) in out.into_iter().enumerate() {
            let Some(mut c) = c else {
                continue;
            };
            c.sources = (sources[k].iter())
                .map(|(source, year)| format!("{source}, {year}"))
                .collect();
            // Values are finite and not negative (`content` checks them), so their bits
            // sort as they do.
            c.rows.sort_by_key(|r| Reverse((r.value + 0.0).to_bits()));
            let max = c.rows.first().map_or(0.0, |r| r.value);
            for (i, r) in c.rows.iter_mut().enumerate() {
                r.percent = if max > 0.0 {
                    (r.value / max * 1000.0).round() / 10.0
                } else {
                    0.0
                };
                c.rank.insert(r.slug.clone(), i);
            }
            made.push((k, c));
        }
        made
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comparison(n: usize) -> Comparison {
        Comparison::of_bars(
            (0..n)
                .map(|i| Bar {
                    city: format!("Ville {i}"),
                    slug: format!("ville-{i}"),
                    url: format!("/villes/ville-{i}/"),
                    value: (n - i) as f64,
                    text: String::new(),
                    percent: 0.0,
                })
                .collect(),
        )
    }

    #[test]
    fn a_chart_draws_the_top_cities_and_keeps_the_highlighted_one() {
        let c = comparison(40);
        let (top, mine) = c.chart_bars(None);
        assert_eq!((top.len(), mine.is_none()), (CHART_ROWS, true));
        let (top, mine) = c.chart_bars(c.rank.get("ville-33").copied());
        assert_eq!(top.len(), CHART_ROWS);
        assert_eq!(mine.unwrap().1.slug, "ville-33");
        assert!(
            c.chart_bars(c.rank.get("ville-3").copied()).1.is_none(),
            "already drawn"
        );
        assert_eq!(comparison(4).chart_bars(Some(1)).0.len(), 4);
    }

    /// A reproducible sequence of numbers below `n`, from `seed`.
    fn random(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        }
    }

    /// A published or coming city with these figures, in the site's order by `k`.
    fn city(k: usize, published: bool, figures: Vec<Figure>) -> City {
        City {
            slug: format!("ville-{k:02}"),
            url: format!("/villes/ville-{k:02}/"),
            name: format!("Ville {k:02}"),
            region: None,
            territory: None,
            published,
            figures,
            figure_sources: Vec::new(),
            levers: Vec::new(),
            strength: None,
            challenges: Vec::new(),
            partnerships: Vec::new(),
            key_partners: Vec::new(),
            enjeux: Vec::new(),
            contact: None,
            updated: None,
            sources: Vec::new(),
            description: None,
            source_file: std::sync::Arc::new(crate::diagnostic::SourceFile {
                path: "ville.yaml".into(),
                text: String::new(),
            }),
            key: 0,
            card_key: 0,
            frame_key: 0,
            issues_key: 0,
        }
    }

    /// Random edits of one city's figures — values with ties, labels that fold alike,
    /// units, sources, figures added and removed, cities not published —, each compared
    /// again (`compare_again`) and from scratch (`compare`): where the first answers, it
    /// gives the second's comparisons, and those it made again as they were.
    #[test]
    fn comparing_again_after_an_edit_gives_what_comparing_whole_gives() {
        const LABELS: [&str; 4] = ["emplois", "Emplois", "ÉMPLOIS", "coopératives"];
        let mut next = random(11);
        let figure = |next: &mut dyn FnMut(usize) -> usize| {
            let value = next(20) as f64;
            Figure {
                text: format!("{value}"),
                value,
                unit: [None, Some("%".to_string())][next(2)].clone(),
                label: LABELS[next(LABELS.len())].to_string(),
                source: ["Registre", "Recensement"][next(2)].to_string(),
                year: 2023 + next(2) as u16,
            }
        };
        let (mut again, mut whole) = (0, 0);
        for _ in 0..100 {
            let n = 5 + next(30);
            let mut cities: Vec<City> = (0..n)
                .map(|k| {
                    let figures = (0..next(4)).map(|_| figure(&mut next)).collect();
                    city(k, next(5) != 0, figures)
                })
                .collect();
            let mut comparisons = compare(&cities);
            for _ in 0..20 {
                let i = next(n);
                let mut figures = cities[i].figures.clone();
                let len = figures.len();
                match next(4) {
                    0 if len > 0 => figures[next(len)].value = next(20) as f64,
                    1 if len > 0 => drop(figures.remove(next(len))),
                    2 if len > 0 => figures[next(len)].label = LABELS[next(4)].to_string(),
                    _ => figures.push(figure(&mut next)),
                }
                let previous = compare(&cities);
                let before = std::mem::replace(&mut cities[i].figures, figures);
                let expected = compare(&cities);
                match compare_again(&mut comparisons, &cities, i, &before) {
                    Some(made) => {
                        assert_eq!(comparisons, expected);
                        for (k, was) in &made {
                            assert_eq!(*was, previous[*k], "comparison {k} as it was");
                        }
                        again += 1;
                    }
                    None => {
                        comparisons = expected;
                        whole += 1;
                    }
                }
            }
        }
        assert!(
            again > 1000 && whole > 50,
            "{again} compared again, {whole} whole"
        );
    }

    /// Random renames of one city — to a name that sorts anywhere among ties of value —,
    /// some with its status changed, each moved to its place among the cities and
    /// compared again (`compare_renamed`) and from scratch (`compare`): where the first
    /// answers, it gives the second's comparisons; those it made again are as they were,
    /// and a bar moved in place tells every city whose chart changed.
    #[test]
    fn comparing_again_after_a_rename_gives_what_comparing_whole_gives() {
        const LABELS: [&str; 3] = ["emplois", "Emplois", "coopératives"];
        let mut next = random(5);
        let place = |c: &City| (!c.published, fold(&c.name));
        let (mut moved, mut made, mut whole) = (0, 0, 0);
        for _ in 0..100 {
            let n = 5 + next(30);
            let mut cities: Vec<City> = (0..n)
                .map(|k| {
                    let figures = (0..next(4))
                        .map(|_| {
                            let value = next(6) as f64;
                            Figure {
                                text: format!("{value}"),
                                value,
                                unit: None,
                                label: LABELS[next(LABELS.len())].to_string(),
                                source: ["Registre", "Recensement"][next(2)].to_string(),
                                year: 2023,
                            }
                        })
                        .collect();
                    city(k, next(5) != 0, figures)
                })
                .collect();
            cities.sort_by_key(place);
            let mut comparisons = compare(&cities);
            for step in 0..20 {
                let previous = compare(&cities);
                let mut city = cities.remove(next(n));
                city.name = format!("Ville {:02} {step}", next(n + 1));
                if next(6) == 0 {
                    city.published = !city.published;
                }
                let to = cities.partition_point(|c| place(c) < place(&city));
                cities.insert(to, city);
                let expected = compare(&cities);
                let Some(changed) = compare_renamed(&mut comparisons, &cities, to) else {
                    comparisons = expected;
                    whole += 1;
                    continue;
                };
                assert_eq!(comparisons, expected);
                for (k, was) in &changed {
                    let (a, b) = (&previous[*k], &expected[*k]);
                    match was {
                        Was::Made(c) => {
                            assert_eq!(c, a, "comparison {k} as it was");
                            made += 1;
                        }
                        Was::Moved { ranks, all } => {
                            let truth = [(a, b, change(a, b))];
                            for slug in a.rank.keys().chain(b.rank.keys()) {
                                assert!(
                                    !same_after_move(b, ranks, *all, slug)
                                        || same_for_city(&truth, slug),
                                    "{slug}'s chart {k} changed: {ranks:?} {all}"
                                );
                            }
                            moved += 1;
                        }
                    }
                }
                let untouched =
                    (0..expected.len()).filter(|k| !changed.iter().any(|(j, _)| j == k));
                for k in untouched {
                    assert_eq!(previous[k], expected[k], "comparison {k} left as it was");
                }
            }
        }
        assert!(
            moved > 400 && made > 400 && whole > 50,
            "{moved} bars moved, {made} made again, {whole} whole"
        );
    }
}
