//! The bar charts of headline figures. A chart draws the largest values of a comparison;
//! a city among them has its bar highlighted, a city beyond them is given its value and
//! rank beside the chart. The geometry of every bar is computed here, the bars are made
//! template values once for the whole site, and a chart without a highlighted bar is the
//! same on every page that shows it at the same place, so it is rendered once
//! (`Renderer`): at 10 000 cities, three charts on each city page were a third of a build.

use serde::Serialize;
use tera::Value;

use crate::site::comparisons::{Bar, Comparison};
use crate::text::{escape_html, typography};

/// Each bar has a row of its own: the city's name on a line, the bar under it with the
/// value after its end, so that a long name (`Saint-Jean-sur-Richelieu`) never runs
/// under a bar. In SVG pixels: the height of a row, the name's baseline and the bar's
/// top within it, the bar's thickness, and how long a bar is per percent of the largest
/// value (the longest bar leaves room for its value in the 480 pixels of the chart).
const ROW: usize = 50;
const NAME_BASELINE: usize = 17;
const BAR_TOP: usize = 22;
const BAR_HEIGHT: usize = 22;
const PIXELS_PER_PERCENT: f64 = 3.6;
/// Space between a bar's end and its value, and the value's baseline below the bar's top.
const VALUE_GAP: f64 = 8.0;
const VALUE_BASELINE: usize = 17;
/// Space below the last row.
const BOTTOM: usize = 4;

/// One bar of a chart, at its place: `r` in `partials/graphique.html`. The texts are
/// HTML already, escaped and with French typography: they are printed thousands of times
/// and made once.
#[derive(Serialize)]
struct Row<'a> {
    city: Value,
    slug: &'a str,
    url: Value,
    text: Value,
    /// Baseline of the city's name.
    label_y: usize,
    /// Top of the bar.
    y: usize,
    /// Length of the bar (at least one pixel, so that a zero shows).
    width: i64,
    /// Where the value is written, after the bar, and its baseline.
    value_x: i64,
    value_y: usize,
}

fn row(bar: &Bar, index: usize) -> Value {
    let length = bar.percent * PIXELS_PER_PERCENT;
    let top = index * ROW;
    Value::from_serializable(&Row {
        city: Value::safe_string(&escape_html(&typography(&bar.city))),
        slug: &bar.slug,
        url: Value::safe_string(&escape_html(&bar.url)),
        text: Value::safe_string(&escape_html(&bar.text)),
        label_y: top + NAME_BASELINE,
        y: top + BAR_TOP,
        width: (length + 1.0).round() as i64,
        value_x: (length + 1.0 + VALUE_GAP).round() as i64,
        value_y: top + BAR_TOP + VALUE_BASELINE,
    })
}

/// A chart: `c` in `partials/graphique.html`, and in the page that includes it.
#[derive(Serialize)]
pub struct Chart<'a> {
    /// `graphique-N` for the N-th chart of its page: the base of its caption's id, which
    /// names the chart.
    pub id: String,
    label: &'a str,
    unit: Option<&'a str>,
    /// The rows of the largest values: one list shared by every chart of the comparison
    /// (a clone costs nothing), rather than a list of them made for each page.
    rows: Value,
    /// The highlighted city's bar, when the chart has one.
    current: Option<Value>,
    /// How many cities publish this figure.
    total: usize,
    sources: &'a [String],
    /// Height of the SVG.
    height: usize,
    /// Thickness of a bar.
    bar_height: usize,
    /// The highlighted city's value and rank when it is not among the largest values:
    /// the chart then draws the largest values only, the same on every such page.
    pub own: Option<Own>,
    /// The chart's HTML, when it is the same on many pages and was rendered once
    /// (`Renderer`); otherwise the page includes `partials/graphique.html`.
    pub html: Option<Value>,
}

/// A city's own value and rank, for a chart that does not draw its bar.
#[derive(Serialize)]
pub struct Own {
    text: Value,
    /// 1 for the largest value.
    rank: usize,
}

impl Chart<'_> {
    /// Whether the chart is the same on every page that shows it at this position.
    pub fn is_shared(&self) -> bool {
        self.current.is_none()
    }
}

/// The largest values of each comparison, as template values, shared by every chart.
pub struct Charts {
    /// A list of rows for each comparison.
    top: Vec<Value>,
}

impl Charts {
    pub fn new(comparisons: &[Comparison]) -> Charts {
        let top = comparisons
            .iter()
            .map(|c| {
                let (top, _) = c.chart_bars(None);
                let rows: Vec<Value> = top.iter().enumerate().map(|(i, bar)| row(bar, i)).collect();
                Value::from(rows)
            })
            .collect();
        Charts { top }
    }

    /// The chart of the `i`-th comparison, `position`-th of its page: the largest values,
    /// with the bar of the city `highlight` (its slug and its place in the ranking,
    /// `rank[slug]`) highlighted when it is among them, and its value and rank beside the
    /// chart when it is not.
    pub fn chart<'a>(
        &self,
        comparisons: &'a [Comparison],
        i: usize,
        position: usize,
        highlight: Option<(&str, usize)>,
    ) -> Chart<'a> {
        let c = &comparisons[i];
        let (top, mine) = c.chart_bars(highlight.map(|(_, rank)| rank));
        let rows = self.top[i].clone();
        let current = highlight
            .and_then(|(slug, _)| top.iter().position(|bar| bar.slug == slug))
            .and_then(|i| Some(rows.as_array()?.get(i)?.clone()));
        let own = mine.map(|(rank, bar)| Own {
            text: Value::safe_string(&escape_html(&bar.text)),
            rank: rank + 1,
        });
        Chart {
            id: format!("graphique-{position}"),
            label: &c.label,
            unit: c.unit.as_deref(),
            current,
            height: top.len() * ROW + BOTTOM,
            bar_height: BAR_HEIGHT,
            rows,
            total: c.rows.len(),
            sources: &c.sources,
            own,
            html: None,
        }
    }
}
