//! What each template's pages cost, when `FICHES_TIMINGS=1` asks for the timings: the
//! pages it made, the time spent making them (their template values and Tera's
//! rendering, not the link check or the writing), and their size. A theme's author sees
//! which template to look at first, as Hugo's `--templateMetrics` shows. The items of a
//! list rendered alone (`partials/carte-ville.html`) are counted under their partial.
//!
//! The time is each page's own, summed over the threads. A thread that waits for the
//! items of a list renders some of them, or other pages, meanwhile (rayon gives it
//! work): those are counted for themselves, not for the list, whose time is then its
//! own thread's, waiting for the items the other threads render included.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

/// The pages of each template, as they are rendered.
pub struct Metrics {
    by_template: FxHashMap<String, Counts>,
}

#[derive(Default)]
struct Counts {
    pages: AtomicU64,
    nanos: AtomicU64,
    bytes: AtomicU64,
}

/// What the pages of one template cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateTime {
    pub template: String,
    pub pages: u64,
    /// The time spent making them, summed over the threads.
    pub time: Duration,
    /// Their size, as rendered.
    pub bytes: u64,
}

thread_local! {
    /// The time of the pages this thread has made so far: a page made while another
    /// waits on the same thread is taken out of the other's time.
    static MADE: Cell<Duration> = const { Cell::new(Duration::ZERO) };
}

/// A page begun.
pub struct Timer {
    start: Instant,
    made_before: Duration,
}

impl Metrics {
    /// Counts for each of the templates `names`.
    pub fn new<'a>(names: impl Iterator<Item = &'a String>) -> Metrics {
        Metrics {
            by_template: names.map(|n| (n.clone(), Counts::default())).collect(),
        }
    }

    pub fn start() -> Timer {
        Timer {
            start: Instant::now(),
            made_before: MADE.get(),
        }
    }

    /// A page of `template` made, `bytes` long, since `timer`.
    pub fn record(&self, template: &str, timer: Timer, bytes: usize) {
        let total = timer.start.elapsed();
        let made_by_others = MADE.get().saturating_sub(timer.made_before);
        MADE.set(timer.made_before + total);
        let Some(counts) = self.by_template.get(template) else {
            return;
        };
        let own = total.saturating_sub(made_by_others);
        counts.pages.fetch_add(1, Ordering::Relaxed);
        (counts.nanos).fetch_add(
            u64::try_from(own.as_nanos()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        counts.bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// The templates that made pages, the costliest first (then by name).
    pub fn report(&self) -> Vec<TemplateTime> {
        let mut times: Vec<TemplateTime> = (self.by_template.iter())
            .map(|(template, c)| TemplateTime {
                template: template.clone(),
                pages: c.pages.load(Ordering::Relaxed),
                time: Duration::from_nanos(c.nanos.load(Ordering::Relaxed)),
                bytes: c.bytes.load(Ordering::Relaxed),
            })
            .filter(|t| t.pages > 0)
            .collect();
        times.sort_by(|a, b| {
            b.time
                .cmp(&a.time)
                .then_with(|| a.template.cmp(&b.template))
        });
        times
    }
}

#[cfg(test)]
mod tests {
    use super::Metrics;
    use std::time::{Duration, Instant};

    /// Sleeps give each page a least time; the bounds hold however long they oversleep.
    #[test]
    fn a_page_made_while_another_waits_is_counted_for_itself_alone() {
        let names = ["liste.html", "page.html", "partiel.html", "seule.html"];
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let metrics = Metrics::new(names.iter());
        let whole = Instant::now();
        let list = Metrics::start();
        std::thread::sleep(Duration::from_millis(20));
        // Made on the same thread while the list waits for its items, and an item made
        // while that page waits in turn.
        let page = Metrics::start();
        std::thread::sleep(Duration::from_millis(30));
        let item = Metrics::start();
        std::thread::sleep(Duration::from_millis(40));
        metrics.record("partiel.html", item, 10);
        metrics.record("page.html", page, 100);
        metrics.record("liste.html", list, 1000);
        let whole = whole.elapsed();
        metrics.record("seule.html", Metrics::start(), 5);
        metrics.record("inconnu.html", Metrics::start(), 1);

        let report = metrics.report();
        let time = |name: &str| {
            let t = report.iter().find(|t| t.template == name).unwrap();
            assert_eq!(t.pages, 1, "{t:?}");
            t.time
        };
        let (list, page, item) = (time("liste.html"), time("page.html"), time("partiel.html"));
        assert!(list >= Duration::from_millis(20), "{list:?}");
        assert!(page >= Duration::from_millis(30), "{page:?}");
        assert!(item >= Duration::from_millis(40), "{item:?}");
        assert!(list + page + item <= whole, "each counted once: {report:?}");
        let bytes: Vec<(&str, u64)> = (report.iter())
            .map(|t| (t.template.as_str(), t.bytes))
            .collect();
        assert!(bytes.contains(&("liste.html", 1000)) && bytes.contains(&("seule.html", 5)));
        assert_eq!(
            report.len(),
            4,
            "a template not named is not counted: {report:?}"
        );
        assert!(
            report.windows(2).all(|w| w[0].time >= w[1].time),
            "the costliest first"
        );
    }
}
