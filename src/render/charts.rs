//! The bar charts of headline figures. The geometry of every bar is computed here, and
//! the bars that every chart of a comparison draws (the largest values) are turned into
//! template values once for the whole site: at 10 000 cities, drawing three charts on
//! each city page was a third of a build when the template did the arithmetic.

use serde::Serialize;
use tera::Value;

use crate::site::comparisons::{Bar, Comparison};
use crate::text::{escape_html, typography};

/// Height of a bar's row, top of the first bar, baseline of the first row's labels, where
/// bars start and how long a bar is per percent of the largest value, in SVG pixels.
const ROW: usize = 34;
const TOP: usize = 6;
const BASELINE: usize = 22;
const BARS_START: f64 = 160.0;
const PIXELS_PER_PERCENT: f64 = 2.2;
/// Space between a bar's end and the value written after it.
const VALUE_GAP: f64 = 8.0;

/// One bar of a chart, at its place: `r` in `partials/graphique.html`. The texts are
/// HTML already, escaped and with French typography: they are printed thousands of times
/// and made once.
#[derive(Serialize)]
struct Row<'a> {
    city: Value,
    slug: &'a str,
    url: Value,
    text: Value,
    /// Top of the bar.
    y: usize,
    /// Baseline of the city's name and of the value.
    label_y: usize,
    /// Length of the bar (at least one pixel, so that a zero shows).
    width: i64,
    /// Where the value is written, after the bar.
    value_x: i64,
}

fn row(bar: &Bar, index: usize) -> Value {
    let length = bar.percent * PIXELS_PER_PERCENT;
    Value::from_serializable(&Row {
        city: Value::safe_string(&escape_html(&typography(&bar.city))),
        slug: &bar.slug,
        url: Value::safe_string(&escape_html(&bar.url)),
        text: Value::safe_string(&escape_html(&bar.text)),
        y: index * ROW + TOP,
        label_y: index * ROW + BASELINE,
        width: (length + 1.0).round() as i64,
        value_x: (length + BARS_START + VALUE_GAP).round() as i64,
    })
}

/// A chart: `c` in `partials/graphique.html`.
#[derive(Serialize)]
struct Chart<'a> {
    label: &'a str,
    unit: Option<&'a str>,
    rows: Vec<Value>,
    /// The highlighted city's bar, when the chart has one.
    current: Option<Value>,
    /// How many cities publish this figure.
    total: usize,
    sources: &'a [String],
    /// Height of the SVG.
    height: usize,
}

/// The largest values of each comparison, as template values, shared by every chart.
pub struct Charts {
    top: Vec<Vec<Value>>,
}

impl Charts {
    pub fn new(comparisons: &[Comparison]) -> Charts {
        let top = comparisons
            .iter()
            .map(|c| {
                let (top, _) = c.chart_bars(None);
                top.iter().enumerate().map(|(i, bar)| row(bar, i)).collect()
            })
            .collect();
        Charts { top }
    }

    /// The chart of the `i`-th comparison, with `highlight`'s bar added after the largest
    /// values if it is not among them.
    pub fn chart(&self, comparisons: &[Comparison], i: usize, highlight: Option<&str>) -> Value {
        let c = &comparisons[i];
        let (top, mine) = c.chart_bars(highlight);
        let mut rows = self.top[i].clone();
        let mut current = highlight
            .and_then(|slug| top.iter().position(|bar| bar.slug == slug))
            .map(|i| rows[i].clone());
        if let Some(bar) = mine {
            let own = row(bar, top.len());
            current = Some(own.clone());
            rows.push(own);
        }
        Value::from_serializable(&Chart {
            label: &c.label,
            unit: c.unit.as_deref(),
            current,
            height: rows.len() * ROW + TOP,
            rows,
            total: c.rows.len(),
            sources: &c.sources,
        })
    }
}
