//! Headline figures compared across cities: one comparison per kind of figure (same label
//! and unit once folded), drawn as a bar chart with its table beside it.

use std::cmp::Reverse;
use std::collections::HashMap;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::City;
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
    pub rank: HashMap<String, usize>,
}

/// How many bars a chart draws at most: the largest values, and the highlighted city's
/// if it is not among them; the whole list is in the open data. Keeps a page's cost
/// independent of the number of cities.
pub const CHART_ROWS: usize = 15;

impl Comparison {
    /// The bars of this comparison's chart: the largest values, and `highlight`'s bar
    /// with its place in the ranking (0 for the largest) when it is not among them.
    pub fn chart_bars(&self, highlight: Option<&str>) -> (&[Bar], Option<(usize, &Bar)>) {
        let top = &self.rows[..self.rows.len().min(CHART_ROWS)];
        let mine = highlight
            .and_then(|slug| self.rank.get(slug))
            .filter(|i| **i >= CHART_ROWS)
            .map(|i| (*i, &self.rows[*i]));
        (top, mine)
    }
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
    let mut keys: HashMap<(String, Option<String>), usize> = HashMap::new();
    // Each label as written, then folded only the first time it is seen: most cities
    // write the same few labels.
    let mut written: FxHashMap<(&str, Option<&str>), usize> = FxHashMap::default();
    let mut out: Vec<Comparison> = Vec::new();
    for city in cities.iter().filter(|c| c.published) {
        for f in &city.figures {
            let as_written = (f.label.as_str(), f.unit.as_deref());
            let i = match written.get(&as_written) {
                Some(&i) => i,
                None => {
                    let folded = (fold(&f.label), f.unit.clone());
                    let i = *keys.entry(folded).or_insert_with(|| {
                        out.push(Comparison {
                            label: f.label.clone(),
                            unit: f.unit.clone(),
                            rows: Vec::new(),
                            sources: Vec::new(),
                            rank: HashMap::new(),
                        });
                        out.len() - 1
                    });
                    written.insert(as_written, i);
                    i
                }
            };
            let source = format!("{}, {}", f.source, f.year);
            if !out[i].sources.contains(&source) {
                out[i].sources.push(source);
            }
            out[i].rows.push(Bar {
                city: city.name.clone(),
                slug: city.slug.clone(),
                url: city.url.clone(),
                value: f.value,
                text: f.text.clone(),
                percent: 0.0,
            });
        }
    }
    for c in &mut out {
        // Values are finite and not negative (`content` checks them), so their bits sort
        // as they do.
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
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comparison(n: usize) -> Comparison {
        let rows: Vec<Bar> = (0..n)
            .map(|i| Bar {
                city: format!("Ville {i}"),
                slug: format!("ville-{i}"),
                url: format!("/villes/ville-{i}/"),
                value: (n - i) as f64,
                text: String::new(),
                percent: 0.0,
            })
            .collect();
        let rank = rows
            .iter()
            .enumerate()
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

    #[test]
    fn a_chart_draws_the_top_cities_and_keeps_the_highlighted_one() {
        let c = comparison(40);
        let (top, mine) = c.chart_bars(None);
        assert_eq!((top.len(), mine.is_none()), (CHART_ROWS, true));
        let (top, mine) = c.chart_bars(Some("ville-33"));
        assert_eq!(top.len(), CHART_ROWS);
        assert_eq!(mine.unwrap().1.slug, "ville-33");
        assert!(c.chart_bars(Some("ville-3")).1.is_none(), "already drawn");
        assert_eq!(comparison(4).chart_bars(Some("ville-2")).0.len(), 4);
    }
}
