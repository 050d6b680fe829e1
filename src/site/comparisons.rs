//! Headline figures compared across cities: one comparison per kind of figure (same label
//! and unit once folded), drawn as a bar chart with its table beside it.

use serde::Serialize;

use super::City;
use crate::text::fold;

#[derive(Debug, Serialize)]
pub struct Comparison {
    /// The figure's label as the first city wrote it (`emplois`).
    pub label: String,
    pub unit: Option<String>,
    /// Largest first, then by city name.
    pub rows: Vec<Bar>,
    /// The distinct sources of the compared figures.
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize)]
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
pub fn compare(cities: &[City]) -> Vec<Comparison> {
    let mut keys: Vec<(String, Option<String>)> = Vec::new();
    let mut out: Vec<Comparison> = Vec::new();
    for city in cities.iter().filter(|c| c.published) {
        for f in &city.figures {
            let key = (fold(&f.label), f.unit.clone());
            let i = match keys.iter().position(|k| *k == key) {
                Some(i) => i,
                None => {
                    keys.push(key);
                    out.push(Comparison {
                        label: f.label.clone(),
                        unit: f.unit.clone(),
                        rows: Vec::new(),
                        sources: Vec::new(),
                    });
                    out.len() - 1
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
        c.rows.sort_by(|a, b| {
            b.value
                .total_cmp(&a.value)
                .then_with(|| fold(&a.city).cmp(&fold(&b.city)))
        });
        let max = c.rows.first().map_or(0.0, |r| r.value);
        for r in &mut c.rows {
            r.percent = if max > 0.0 {
                (r.value / max * 1000.0).round() / 10.0
            } else {
                0.0
            };
        }
    }
    out
}
