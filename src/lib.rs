//! `fiches`: a static site generator for Québec's municipal fact sheets on the social
//! economy. Data flows one way: config → content → site → render → output.

// A diagnostic is the error of most content functions; it is built once per mistake, so
// its size does not matter on the success path.
#![allow(clippy::result_large_err)]

pub mod advice;
mod allocator;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod lang;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod site;
mod source;
pub mod suggest;
pub mod text;
pub mod validate;
pub mod workspace;
pub mod yaml;

use std::path::Path;
use std::time::{Duration, Instant};

use diagnostic::{Diagnostic, Diagnostics};

/// mimalloc (`allocator`).
#[global_allocator]
static ALLOCATOR: allocator::Mimalloc = allocator::Mimalloc;

/// Asks the system not to back this process's memory with transparent huge pages. Where
/// the system gives them to every process (`/sys/kernel/mm/transparent_hugepage/enabled`
/// set to `always`, as on many servers), the allocator's half-used regions are counted and
/// zeroed 2 MiB at a time: a build of 10 000 fiches then held about 20 MiB more for no
/// gain in speed (same binary with and without, builds alternating). Called once, first
/// thing, by the command line; a failure only leaves the system's choice in place.
pub fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer flag and touches no memory of ours.
    unsafe {
        let (on, none): (libc::c_ulong, libc::c_ulong) = (1, 0);
        libc::prctl(libc::PR_SET_THP_DISABLE, on, none, none, none);
    }
}

/// mimalloc's `mi_option_purge_delay` (its v3 numbering, which `_mi_option_last` tells
/// apart from v2's): how long freed memory is kept before it is given back to the system.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const _: () = assert!(
    libmimalloc_sys::_mi_option_last == 47,
    "mimalloc's options are not numbered as v3's: find mi_option_purge_delay again"
);

/// Whether a work under way is to stop: the editor saved again during the preview's
/// pause (`workspace::Workspace::refresh_data`). Once it says so it keeps saying so until
/// the work is let go, so that whatever a stopped step made is dropped unseen.
pub type Stopped<'a> = dyn Fn() -> bool + Sync + 'a;

/// A work that nothing stops: a build, a rebuild.
pub const NEVER: &Stopped<'static> = &|| false;

/// Frees `garbage` — the last model of a site, its kept cards — on a thread of its own,
/// at the lowest priority: tens of thousands of allocations that the editor need not wait
/// for, nor share the processor with when the next save comes during it.
pub fn drop_in_background<T: Send + 'static>(garbage: T) {
    std::thread::spawn(move || {
        // SAFETY: setpriority reads its three integers; on Linux, `who` 0 is the calling
        // thread. A refusal leaves the thread at its priority, which is no error.
        #[cfg(target_os = "linux")]
        unsafe {
            libc::setpriority(libc::PRIO_PROCESS, 0, 19);
        }
        drop(garbage);
    });
}

/// Keeps the memory a rebuild frees for the next one, for `fiches serve`. The preview
/// models the site again when an edit shows beyond its fiche's page, and frees the old
/// model; given back to the system a second later, that memory was asked for again, page
/// by page, at the next save, which spent a quarter of the rebuild zeroing fresh pages
/// (10 000 fiches: a renamed partner rebuilt in about 0.8 s instead of 1.1 s). The
/// process then holds the memory of its largest rebuild until it ends.
pub fn keep_freed_memory() {
    // SAFETY: mi_option_set stores one integer in the allocator's option table.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

/// Gives the memory freed so far back to the system, from every thread's heap. Once the
/// model is made, the fiches as read and the warnings' working copies are freed, and
/// the allocator kept them: at 10 000 fiches the process then held 248 MiB, and 178 MiB
/// after this; the peak, during the pages, is 5 to 10 MiB lower.
fn give_back_freed_memory() {
    // SAFETY: mi_collect only returns the calling thread's free pages to the system.
    let collect = || unsafe { libmimalloc_sys::mi_collect(true) };
    rayon::broadcast(|_| collect());
    collect();
}

/// What a successful check or build produced.
#[derive(Debug)]
pub struct Report {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Each stage, in order (`FICHES_TIMINGS=1` prints them).
    pub phases: Vec<Phase>,
    /// What each template's pages cost, the costliest first, when `FICHES_TIMINGS=1`
    /// asks for it (`template_timings` prints them); else empty.
    pub templates: Vec<render::TemplateTime>,
}

/// A stage of a run: its wall time, the processor time of every thread during it and
/// the memory the process held at its end, in bytes, where the system tells them.
#[derive(Debug, Clone)]
pub struct Phase {
    pub name: &'static str,
    pub wall: Duration,
    pub cpu: Option<Duration>,
    pub memory: Option<u64>,
}

/// The stages of a run, each measured from the end of the previous one.
struct Phases {
    last: Instant,
    last_cpu: Option<Duration>,
    done: Vec<Phase>,
}

impl Phases {
    fn start() -> Self {
        Phases {
            last: Instant::now(),
            last_cpu: cpu_time(),
            done: Vec::new(),
        }
    }

    fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        let cpu = cpu_time();
        self.done.push(Phase {
            name,
            wall: now - self.last,
            cpu: cpu
                .zip(self.last_cpu)
                .map(|(now, then)| now.saturating_sub(then)),
            memory: resident_memory(),
        });
        self.last = now;
        self.last_cpu = cpu;
    }

    /// Every stage marked, in order.
    fn done(self) -> Vec<Phase> {
        self.done
    }
}

/// The stages of a run, one line each, with their time and the memory held after them,
/// when `FICHES_TIMINGS=1` asks for them.
pub fn timings(phases: &[Phase]) -> Option<String> {
    timings_asked().then(|| timing_lines(phases))
}

/// Whether `FICHES_TIMINGS=1` asks for the timings.
pub(crate) fn timings_asked() -> bool {
    std::env::var_os("FICHES_TIMINGS").is_some_and(|v| v != "0")
}

/// What each template's pages cost (`Report::templates`), one line each, the costliest
/// first: the pages it made, the time spent making them (their template values and
/// Tera's rendering, summed over the threads), that time per page and their mean size.
pub fn template_timings(templates: &[render::TemplateTime]) -> Option<String> {
    if templates.is_empty() {
        return None;
    }
    // As wide as the stages' names, or the longest template's (`partials/…`).
    let width = (templates.iter())
        .map(|t| t.template.chars().count())
        .fold(24, usize::max);
    let header = format!(
        "{:>width$} {:>8} {:>11} {:>11} {:>12}",
        "gabarit", "pages", "temps", "par page", "taille"
    );
    let lines = templates.iter().map(|t| {
        let ms = t.time.as_secs_f64() * 1000.0;
        let pages = t.pages.max(1) as f64;
        let each = match ms / pages {
            ms if ms < 1.0 => format!("{:8.1} µs", ms * 1000.0),
            ms => format!("{ms:8.1} ms"),
        };
        let kib = t.bytes as f64 / 1024.0 / pages;
        format!(
            "{:>width$} {:>8} {ms:>8.1} ms {each} {kib:>8.1} Kio",
            t.template, t.pages
        )
    });
    Some(
        std::iter::once(header)
            .chain(lines)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// `timings`' lines: each stage's name, wall time, memory held after it, and the
/// processor time of every thread during it and how many processors it kept busy (2 is
/// both of a 2-core machine).
fn timing_lines(phases: &[Phase]) -> String {
    let lines: Vec<String> = (phases.iter())
        .map(|p| {
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            let memory = (p.memory)
                .map(|b| format!(" {:7} Mio", b >> 20))
                .unwrap_or_default();
            let cpu = (p.cpu)
                .filter(|_| !p.wall.is_zero())
                .map(|c| format!(" {:8.0} ms CPU ×{:.1}", ms(c), ms(c) / ms(p.wall)))
                .unwrap_or_default();
            format!("{:>24} {:8.1} ms{memory}{cpu}", p.name, ms(p.wall))
        })
        .collect();
    lines.join("\n")
}

/// The processor time of every thread of the process so far, those ended included (user
/// and system), to the nanosecond, where the system tells it.
fn cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one `timespec` into the one it is given.
        if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) } != 0 {
            return None;
        }
        Some(Duration::new(
            now.tv_sec.try_into().ok()?,
            now.tv_nsec.try_into().ok()?,
        ))
    }
    #[cfg(not(unix))]
    None
}

/// The memory the process holds now (its resident set), on Linux.
fn resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Why a build stopped.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the content, themes or configuration: every one of them, sorted.
    Content(Vec<Diagnostic>),
    /// The output could not be written.
    Io(anyhow::Error),
}

/// How a check or build is run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The date that "old" is measured against (see `advice`); by default the newest
    /// `mise_a_jour` of the content.
    pub reference: Option<text::Date>,
    /// Warnings fail the run, like errors.
    pub strict: bool,
}

/// Reads, validates and renders the site in `root` without writing anything.
pub fn check(root: &Path) -> Result<(output::Output, Report), Failure> {
    check_with(root, &Options::default())
}

/// `check`, with options.
pub fn check_with(root: &Path, options: &Options) -> Result<(output::Output, Report), Failure> {
    run(root, None, options)
}

/// Builds the site in `root` into `out`. On any error, `out` is left as it was.
pub fn build(root: &Path, out: &Path) -> Result<Report, Failure> {
    build_with(root, out, &Options::default())
}

/// `build`, with options.
pub fn build_with(root: &Path, out: &Path, options: &Options) -> Result<Report, Failure> {
    run(root, Some(out), options).map(|(_, report)| report)
}

/// Everything is read and validated before anything is written; then, for a build, each
/// page goes to a staging folder as soon as it is rendered, and the staging folder takes
/// the place of `out` only when every page is written.
fn run(
    root: &Path,
    out: Option<&Path>,
    options: &Options,
) -> Result<(output::Output, Report), Failure> {
    let built = run_keeping(root, out, options, None)?;
    // The model and the templates are no longer needed: freed on the side, the hundred
    // thousand allocations of a large site do not keep `fiches build` from exiting, which
    // gives the memory back whole.
    drop_in_background((built.site, built.renderer));
    Ok((built.output, built.report))
}

/// What a full run leaves: the files, the report, and the model and templates it
/// rendered them from (which `workspace` keeps to rebuild single pages).
struct Built {
    output: output::Output,
    report: Report,
    site: site::Site,
    renderer: render::Renderer,
}

/// A site read, validated and ready to render: its model, its templates, the warnings.
struct Prepared {
    site: site::Site,
    renderer: render::Renderer,
    diags: Diagnostics,
    phases: Phases,
}

/// Reads and validates everything, and compiles the templates; writes nothing. With a
/// cache, only the fiches that changed since it was filled are parsed again
/// (`content::load_cached`). `last` is the previous build's renderer and model, whose
/// templates are taken as compiled.
fn prepare(
    root: &Path,
    options: &Options,
    cache: Option<&mut content::Cache>,
    last: Option<(&render::Renderer, &site::Site)>,
) -> Result<Prepared, Failure> {
    let read = read(root, cache, NEVER);
    match read.map(|read| model(root, options, read, last, NEVER)) {
        Some(Ok(Some(prepared))) => Ok(prepared),
        Some(Err(failure)) => Err(failure),
        Some(Ok(None)) | None => unreachable!("a reading that nothing stops was stopped"),
    }
}

/// The first half of `prepare`: the configuration and the fiches read.
struct Read {
    config: Option<config::SiteConfig>,
    content: content::Content,
    diags: Diagnostics,
    phases: Phases,
    /// A build for once, not kept for the next (`fiches serve`, which keeps its memory).
    once: bool,
}

/// `None` when `stopped` said so before the fiches were all read
/// (`content::load_cached_until`).
fn read(root: &Path, cache: Option<&mut content::Cache>, stopped: &Stopped) -> Option<Read> {
    let mut phases = Phases::start();
    let mut diags = Diagnostics::default();
    let config = match config::load(root) {
        Ok((config, _)) => Some(config),
        Err(errors) => {
            errors.into_iter().for_each(|d| diags.push(d));
            None
        }
    };
    let once = cache.is_none();
    let (content, content_diags) = content::load_cached_until(root, cache, stopped)?;
    diags.extend(content_diags);
    phases.mark("lecture");
    Some(Read {
        config,
        content,
        diags,
        phases,
        once,
    })
}

/// The second half of `prepare`: the fiches read, modelled and checked, and the
/// templates compiled. `None` when `stopped` said so before the end: the model and the
/// warnings ask it as they go, a few milliseconds of work apart.
fn model(
    root: &Path,
    options: &Options,
    read: Read,
    last: Option<(&render::Renderer, &site::Site)>,
    stopped: &Stopped,
) -> Result<Option<Prepared>, Failure> {
    let Read {
        config,
        content,
        mut diags,
        mut phases,
        once,
    } = read;
    let reference = advice::reference(&content, options.reference);
    let advice = advice::start(&content, reference);
    let Some(config) = config else {
        let Some(warnings) = advice.finish(stopped) else {
            return Ok(None);
        };
        diags.extend(warnings);
        return Err(Failure::Content(diags.into_sorted()));
    };
    // The model takes the content; the warnings are found meanwhile, on the other core.
    let (warnings, (site, model_diags)) = rayon::join(
        || advice.finish(stopped),
        || {
            let mut diags = Diagnostics::default();
            let site = site::build(root, config, content, &mut diags, stopped);
            (site, diags)
        },
    );
    let (warnings, mut site) = match (warnings, site) {
        (Some(warnings), Some(site)) => (warnings, site),
        // A whole model, when the warnings alone were stopped: tens of thousands of
        // allocations, which the next rebuild need not wait for.
        (_, site) => {
            drop_in_background(site);
            return Ok(None);
        }
    };
    // After the warnings, which held some of the files' texts.
    site.release_sources();
    if once {
        // Only a model that is kept changes afterwards.
        (site.org_index, site.enjeu_index) = (None, None);
    }
    diags.extend(warnings);
    diags.extend(model_diags);
    if once {
        give_back_freed_memory();
    }
    phases.mark("modèle et avertissements");
    // Warnings are all known here; with --strict they stop the run before anything is written.
    if diags.has_errors() || (options.strict && !diags.is_empty()) {
        return Err(Failure::Content(diags.into_sorted()));
    }
    let renderer = match last {
        Some((renderer, old)) => Ok(renderer.again(old, &site)),
        // A build that is kept (`fiches serve`) keeps the city cards it makes.
        None => render::Renderer::new(root, &site).map(|r| r.keeping_cards(!once)),
    };
    match renderer {
        Ok(renderer) => Ok(Some(Prepared {
            phases: {
                phases.mark("gabarits");
                phases
            },
            site,
            renderer,
            diags,
        })),
        Err(errors) => {
            errors.into_iter().for_each(|d| diags.push(d));
            Err(Failure::Content(diags.into_sorted()))
        }
    }
}

fn run_keeping(
    root: &Path,
    out: Option<&Path>,
    options: &Options,
    cache: Option<&mut content::Cache>,
) -> Result<Built, Failure> {
    let start = Instant::now();
    let Prepared {
        site,
        renderer,
        mut diags,
        mut phases,
    } = prepare(root, options, cache, None)?;
    let theme = site.config.theme.clone();
    let staging = match out {
        Some(out) => Some(output::Staging::new(out).map_err(Failure::Io)?),
        None => None,
    };
    let dest = staging.as_ref().map(output::Staging::path);
    let mut files = render::files(&site);
    files.extend(
        schema::files()
            .into_iter()
            .map(|(p, b)| render::Generated::ready(p, b)),
    );
    let rendered = output::render(&site, &renderer, output::assets(root, &theme), files, dest);
    phases.mark("pages");
    let output = match (rendered, staging) {
        (Ok(out), Some(staging)) => {
            staging.commit().map_err(Failure::Io)?;
            phases.mark("remplacement");
            out
        }
        (Ok(out), None) => out,
        (Err(e), staging) => {
            if let Some(staging) = staging {
                staging.discard();
            }
            return Err(match e {
                Failure::Content(errors) => {
                    errors.into_iter().for_each(|d| diags.push(d));
                    Failure::Content(diags.into_sorted())
                }
                io => io,
            });
        }
    };
    let report = Report {
        pages: output.pages.iter().filter(|p| p.ends_with(".html")).count(),
        files: output.file_count(),
        elapsed: start.elapsed(),
        warnings: diags.into_sorted(),
        phases: phases.done(),
        templates: renderer.template_times(),
    };
    Ok(Built {
        output,
        report,
        site,
        renderer,
    })
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    #[test]
    fn processor_time_counts_the_work_of_every_thread() {
        let before = super::cpu_time().expect("the process's CPU clock");
        // Two threads busy until the process has counted 40 ms more, or 10 s have passed:
        // the count is the process's, both threads'.
        let start = Instant::now();
        let spin = || {
            let mut x = 0u64;
            while super::cpu_time().unwrap() < before + Duration::from_millis(40)
                && start.elapsed() < Duration::from_secs(10)
            {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            }
            x
        };
        std::thread::scope(|s| {
            s.spawn(spin);
            spin();
        });
        assert!(super::cpu_time().unwrap() >= before + Duration::from_millis(40));
    }

    #[test]
    fn timing_lines_show_the_processors_a_long_stage_kept_busy() {
        let phase = |name, wall, cpu| super::Phase {
            name,
            wall: Duration::from_millis(wall),
            cpu: Some(Duration::from_millis(cpu)),
            memory: Some(180 << 20),
        };
        let mut unknown = phase("remplacement", 1, 0);
        unknown.cpu = None;
        let lines = super::timing_lines(&[phase("pages", 2000, 3800), unknown]);
        assert_eq!(
            lines,
            "                   pages   2000.0 ms     180 Mio     3800 ms CPU ×1.9\n            remplacement      1.0 ms     180 Mio"
        );
    }
    #[test]
    fn freed_memory_is_kept() {
        super::keep_freed_memory();
        // SAFETY: mi_option_get reads one integer of the allocator's option table.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, -1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_turned_off_for_the_process() {
        let none: libc::c_ulong = 0;
        // SAFETY: PR_GET_THP_DISABLE only reads the process's flag.
        let flag = || unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, none, none, none, none) };
        if flag() == -1 {
            // A sandbox that filters prctl: the call is then a no-op by design.
            return;
        }
        super::without_huge_pages();
        assert_eq!(flag(), 1);
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        if let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) {
            assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
        }
    }
}
