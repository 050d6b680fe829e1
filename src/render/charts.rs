//! The bar charts of headline figures. A chart draws the largest values of a comparison;
//! a city among them has its bar highlighted, a city beyond them is given its value and
//! rank beside the chart. The geometry of every bar is computed here, the bars are made
//! template values once for the whole site, and a chart without a highlighted bar is the
//! same on every page that shows it at the same place, so it is rendered once
//! (`Renderer`): at 10 000 cities, three charts on each city page were a third of a build.

use std::hash::BuildHasher;
use std::sync::OnceLock;

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

/// A chart: `c` in `partials/graphique.html`, and in the page that includes it. Its
/// texts are template values made once for each comparison (`Charts`), which a chart
/// shares rather than copies for each page.
#[derive(Serialize, Clone)]
pub struct Chart {
    /// `graphique-N` for the N-th chart of its page: the base of its caption's id, which
    /// names the chart.
    pub id: String,
    label: Value,
    unit: Value,
    /// The rows of the largest values: one list shared by every chart of the comparison,
    /// rather than a list of them made for each page.
    rows: Value,
    /// The highlighted city's bar, when the chart has one.
    current: Option<Value>,
    /// How many cities publish this figure.
    total: usize,
    sources: Value,
    /// Height of the SVG.
    height: usize,
    /// Thickness of a bar.
    bar_height: usize,
    /// The highlighted city's value and rank when it is not among the largest values:
    /// the chart then draws the largest values only, the same on every such page.
    own: Option<Own>,
    /// The chart's HTML, when it is the same on many pages and was rendered once
    /// (`Renderer`); otherwise the page includes `partials/graphique.html`.
    pub html: Option<Value>,
}

impl Chart {
    /// This chart, without a highlighted bar, on the page of the city ranked `rank` in
    /// its comparison (`comparisons[i]`), with that city's value and rank beside it.
    pub fn with_own(&self, comparisons: &[Comparison], i: usize, rank: usize) -> Chart {
        debug_assert!(
            self.current.is_none() && self.own.is_none(),
            "a chart of no city"
        );
        let own = own(rank, &comparisons[i].rows[rank]);
        Chart {
            own: Some(own),
            ..self.clone()
        }
    }
}

/// A city's own value and rank, for a chart that does not draw its bar.
#[derive(Serialize, Clone)]
struct Own {
    text: Value,
    /// 1 for the largest value.
    rank: usize,
}

/// The city's own value and rank beside a chart, its `bar` being at `rank` in the
/// ranking (0 for the largest).
fn own(rank: usize, bar: &Bar) -> Own {
    Own {
        text: Value::safe_string(&escape_html(&bar.text)),
        rank: rank + 1,
    }
}

/// The hash `Charts` finds a city's places by.
fn slug_hash(slug: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(slug)
}

/// Where a city is in a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The place of its bar among the largest values, which its comparison's chart then
    /// draws highlighted. Otherwise its page shows the chart without a highlighted bar,
    /// the same on every such page, with the city's value and rank beside it.
    pub drawn: Option<usize>,
    /// Its rank (`Comparison::rank`, 0 for the largest value). A city with two figures of
    /// one kind has two bars: its first is the one drawn, its last gives its rank.
    pub rank: usize,
}

impl Place {
    /// The place of the city `slug` ranked `rank` in `comparison`.
    fn of(comparison: &Comparison, slug: &str, rank: usize) -> Place {
        let (top, _) = comparison.chart_bars(None);
        Place {
            drawn: top.iter().position(|bar| bar.slug == slug),
            rank,
        }
    }
}

/// What every chart of a comparison shows, as template values, and where each city is
/// ranked.
pub struct Charts {
    /// Each comparison's label, unit, sources and the rows of its largest values.
    shown: Vec<Shown>,
    /// Every bar of every comparison, by the hash of its city's slug, then in the
    /// comparisons' order and by rank: made at the first page that asks (`places`), by
    /// a build, whose city pages then ask once each rather than asking each comparison's
    /// ranking (20 lookups in tables of 10 000 slugs at 10 000 cities, half of what their
    /// charts cost).
    places: OnceLock<Bars>,
}

/// What every chart of one comparison shows.
struct Shown {
    label: Value,
    unit: Value,
    sources: Value,
    rows: Value,
}

impl Charts {
    pub fn new(comparisons: &[Comparison]) -> Charts {
        let shown = comparisons
            .iter()
            .map(|c| {
                let (top, _) = c.chart_bars(None);
                let rows: Vec<Value> = top.iter().enumerate().map(|(i, bar)| row(bar, i)).collect();
                Shown {
                    label: Value::from_serializable(&c.label),
                    unit: Value::from_serializable(&c.unit),
                    sources: Value::from_serializable(&c.sources),
                    rows: Value::from(rows),
                }
            })
            .collect();
        Charts {
            shown,
            places: OnceLock::new(),
        }
    }

    /// The comparisons that rank the city `slug`, in their order, and its place in each:
    /// the charts of its page. `comparisons` are those the charts were made from.
    pub fn places<'a>(
        &'a self,
        comparisons: &'a [Comparison],
        slug: &'a str,
    ) -> impl Iterator<Item = (usize, Place)> + 'a {
        // The list is made on this thread alone: made with rayon, a thread waiting for a
        // part of it could take up another city page, which would ask for the list while
        // it is being made, and wait for itself.
        let bars = self
            .places
            .get_or_init(|| Bars::new(comparisons, slug_hash));
        bars.of(comparisons, slug)
    }

    /// `places`, as the preview finds them: each comparison's ranking asked for the
    /// city, and its bar looked for among the largest values. A few pages at a time need
    /// no list of every bar, which the preview would make again at each change of the
    /// comparisons.
    pub fn ranked(comparisons: &[Comparison], slug: &str) -> Vec<(usize, Place)> {
        (comparisons.iter().enumerate())
            .filter_map(|(i, c)| Some((i, Place::of(c, slug, *c.rank.get(slug)?))))
            .collect()
    }

    /// The chart of the `i`-th comparison, `position`-th of its page: the largest values,
    /// with the bar of the city at `place` highlighted when it is among them, and its
    /// value and rank beside the chart when its rank is not.
    pub fn chart(
        &self,
        comparisons: &[Comparison],
        i: usize,
        position: usize,
        place: Option<Place>,
    ) -> Chart {
        let c = &comparisons[i];
        let shown = &self.shown[i];
        let (top, mine) = c.chart_bars(place.map(|p| p.rank));
        let rows = shown.rows.clone();
        let current = (place.and_then(|p| p.drawn))
            .and_then(|drawn| Some(rows.as_array()?.get(drawn)?.clone()));
        let own = mine.map(|(rank, bar)| own(rank, bar));
        Chart {
            id: format!("graphique-{position}"),
            label: shown.label.clone(),
            unit: shown.unit.clone(),
            current,
            height: top.len() * ROW + BOTTOM,
            bar_height: BAR_HEIGHT,
            rows,
            total: c.rows.len(),
            sources: shown.sources.clone(),
            own,
            html: None,
        }
    }
}

/// Every bar of every comparison, by the hash of its city's slug (`hash`), then by
/// comparison and rank.
struct Bars {
    all: Vec<(u64, usize, usize)>,
    hash: fn(&str) -> u64,
}

impl Bars {
    fn new(comparisons: &[Comparison], hash: fn(&str) -> u64) -> Bars {
        let mut all: Vec<_> = (comparisons.iter().enumerate())
            .flat_map(|(i, c)| {
                (c.rows.iter().enumerate()).map(move |(rank, bar)| (hash(&bar.slug), i, rank))
            })
            .collect();
        all.sort_unstable();
        Bars { all, hash }
    }

    /// The comparisons with a bar of the city `slug`, and its place in each: its first
    /// bar's rank, drawn when it is among the largest values, and its last bar's rank. A
    /// city whose slug has another's hash is told apart by the bars.
    fn of<'a>(
        &'a self,
        comparisons: &'a [Comparison],
        slug: &'a str,
    ) -> impl Iterator<Item = (usize, Place)> + 'a {
        let hash = (self.hash)(slug);
        let all = &self.all;
        let mut bars = all[all.partition_point(|b| b.0 < hash)..]
            .iter()
            .take_while(move |b| b.0 == hash)
            .map(|&(_, i, rank)| (i, rank))
            .filter(move |&(i, rank)| comparisons[i].rows[rank].slug == slug)
            .peekable();
        std::iter::from_fn(move || {
            let (i, first) = bars.next()?;
            let mut last = first;
            while let Some((_, rank)) = bars.next_if(|later| later.0 == i) {
                last = rank;
            }
            let drawn = (first < comparisons[i].chart_bars(None).0.len()).then_some(first);
            Some((i, Place { drawn, rank: last }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::comparisons::CHART_ROWS;

    /// A comparison of `slugs`, ranked in that order.
    fn comparison(slugs: &[&str]) -> Comparison {
        Comparison::of_bars(
            (slugs.iter().enumerate())
                .map(|(i, slug)| Bar {
                    city: slug.to_string(),
                    slug: slug.to_string(),
                    url: format!("/villes/{slug}/"),
                    value: (slugs.len() - i) as f64,
                    text: format!("{}", slugs.len() - i),
                    percent: 0.0,
                })
                .collect(),
        )
    }

    fn many(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("ville-{i}")).collect()
    }

    fn slugs(names: &[String]) -> Vec<&str> {
        names.iter().map(String::as_str).collect()
    }

    #[test]
    fn a_city_is_found_in_the_comparisons_that_rank_it_at_its_place() {
        let mut long = many(CHART_ROWS + 10);
        long[5] = "b".to_string();
        long[20] = "b".to_string();
        let comparisons = [
            comparison(&["a", "b", "c"]),
            comparison(&["c", "d"]),
            comparison(&["b", "e", "b", "c"]),
            comparison(&slugs(&long)),
        ];
        let charts = Charts::new(&comparisons);
        for slug in ["a", "b", "c", "d", "e", "f", "ville-3", "ville-22"] {
            let places: Vec<_> = charts.places(&comparisons, slug).collect();
            assert_eq!(places, Charts::ranked(&comparisons, slug), "{slug}");
            // Every slug given one hash: the bars still tell the cities apart.
            let bars = Bars::new(&comparisons, |_| 7);
            let alike: Vec<_> = bars.of(&comparisons, slug).collect();
            assert_eq!(alike, places, "{slug}, every slug with one hash");
        }
        let place = |drawn, rank| Place { drawn, rank };
        assert_eq!(
            charts.places(&comparisons, "b").collect::<Vec<_>>(),
            [
                (0, place(Some(1), 1)),
                (2, place(Some(0), 2)),
                (3, place(Some(5), 20))
            ],
            "a city with two bars is drawn at its first and ranked at its last"
        );
        let beyond = [(3, place(None, CHART_ROWS + 7))];
        assert_eq!(
            charts.places(&comparisons, "ville-22").collect::<Vec<_>>(),
            beyond
        );
        assert_eq!(charts.places(&comparisons, "f").count(), 0);
    }

    /// `c.current` and `c.own` of a chart, as its template reads them.
    fn shown(chart: &Chart) -> String {
        let mut tera = tera::Tera::default();
        let template = "{{ c.current.slug | default(value='-') }} {{ c.own.rank | default(value='-') }} {{ c.own.text | default(value='-') }} {{ c.total }}";
        tera.add_raw_template("c", template).unwrap();
        let mut context = tera::Context::new();
        context.insert_value("c", Value::from_serializable(chart));
        tera.render("c", &context).unwrap()
    }

    #[test]
    fn a_city_drawn_among_the_largest_values_and_ranked_beyond_them_is_shown_both_ways() {
        let mut names = many(CHART_ROWS + 10);
        names[5] = "b".to_string();
        names[20] = "b".to_string();
        let comparisons = [comparison(&slugs(&names))];
        let charts = Charts::new(&comparisons);
        let (i, place) = charts.places(&comparisons, "b").next().unwrap();
        let chart = charts.chart(&comparisons, i, 1, Some(place));
        let n = CHART_ROWS + 10;
        assert_eq!(shown(&chart), format!("b 21 {} {n}", n - 20));
    }

    #[test]
    fn a_shared_chart_given_a_city_is_the_chart_made_for_that_city() {
        let comparisons = [comparison(&slugs(&many(CHART_ROWS + 5)))];
        let charts = Charts::new(&comparisons);
        let (_, place) = (charts.places(&comparisons, "ville-17").next()).unwrap();
        assert_eq!(
            place,
            Place {
                drawn: None,
                rank: 17
            }
        );
        let made = charts.chart(&comparisons, 0, 3, Some(place));
        let shared = (charts.chart(&comparisons, 0, 3, None)).with_own(&comparisons, 0, 17);
        let n = CHART_ROWS + 5;
        assert_eq!(shown(&made), format!("- 18 {} {n}", n - 17));
        assert_eq!(
            Value::from_serializable(&made),
            Value::from_serializable(&shared)
        );
    }
}
