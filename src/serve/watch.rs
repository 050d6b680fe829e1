//! Watching the site's sources: `content/`, `themes/`, `templates/`, `static/` and
//! `site.yaml`. Only changes count — a build reads every file, and reading must not
//! trigger the next build — and they are debounced (an editor's save is often several
//! events) before the site is rebuilt. The preview folder is outside the site.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use anyhow::Context as _;
use notify::event::ModifyKind;
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::State;

const WATCHED_FOLDERS: [&str; 4] = ["content", "themes", "templates", "static"];
/// Quiet time after the last change before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(50);
/// Quiet time after a one-page rebuild before the open data is written again.
const PAUSE: Duration = Duration::from_millis(1000);

/// Whether a changed path is one of the site's sources.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    match parts.next().and_then(|c| c.as_os_str().to_str()) {
        Some("site.yaml") => parts.next().is_none(),
        Some(first) => WATCHED_FOLDERS.contains(&first),
        None => false,
    }
}

/// The sources an event changes, relative to the root: reads and metadata changes
/// (access times) change nothing.
fn changed_sources<'a>(root: &'a Path, event: &'a Event) -> impl Iterator<Item = PathBuf> + 'a {
    let counts = !matches!(
        event.kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
    );
    event
        .paths
        .iter()
        .filter(move |p| counts && is_source(root, p))
        .filter_map(move |p| p.strip_prefix(root).ok().map(Path::to_path_buf))
}

/// Starts watching in a thread of its own, which owns the watcher and rebuilds on changes.
pub fn start(state: Arc<State>) -> anyhow::Result<()> {
    let root: PathBuf = std::fs::canonicalize(&state.root).unwrap_or_else(|_| state.root.clone());
    let (tx, rx) = channel();
    // Set as soon as a change is heard, before the watching thread reads it: a refresh of
    // the open data under way stops for it (`State::refresh_data`).
    let heard = Arc::new(AtomicBool::new(false));
    let handler = {
        let (root, heard) = (root.clone(), Arc::clone(&heard));
        move |event: notify::Result<Event>| {
            // An editor's swap and backup files, which change nothing, stop nothing.
            let counts = |e: &Event| {
                e.need_rescan() || changed_sources(&root, e).any(|p| crate::workspace::matters(&p))
            };
            if event.as_ref().map_or(true, counts) {
                heard.store(true, Ordering::Relaxed);
            }
            let _ = tx.send(event);
        }
    };
    let mut watcher = notify::recommended_watcher(handler).context("surveillance des fichiers")?;
    // The root itself, not recursively: `site.yaml` (even when an editor replaces it
    // rather than writing it), and the watched folders appearing.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("surveillance de {}", root.display()))?;
    for folder in WATCHED_FOLDERS {
        let dir = root.join(folder);
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .with_context(|| format!("surveillance de {}", dir.display()))?;
        }
    }
    std::thread::spawn(move || rebuild_on_change(&root, watcher, &rx, &heard, &state));
    Ok(())
}

fn rebuild_on_change(
    root: &Path,
    mut watcher: RecommendedWatcher,
    rx: &Receiver<notify::Result<Event>>,
    heard: &AtomicBool,
    state: &State,
) {
    let mut changed: Vec<PathBuf> = Vec::new();
    // Whether changes may have been missed (the system's queue of events overflowed, as
    // when a branch of tens of thousands of fiches is checked out): the whole site is
    // then built again.
    let mut missed = false;
    let mut data_stale = false;
    loop {
        // Wait for a change, then for the editor to be done saving; after a one-page
        // rebuild, for a pause to bring the open data up to date. A change heard from
        // here on stops that refresh.
        heard.store(false, Ordering::Relaxed);
        let event = if !changed.is_empty() || missed {
            rx.recv_timeout(DEBOUNCE)
        } else if data_stale {
            rx.recv_timeout(PAUSE)
        } else {
            rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        };
        match event {
            Ok(Ok(event)) => {
                missed |= event.need_rescan();
                for rel in changed_sources(root, &event) {
                    // A watched folder created after the start (a site's first
                    // `templates/`) is watched from now on.
                    if rel.components().count() == 1 && root.join(&rel).is_dir() {
                        let _ = watcher.watch(&root.join(&rel), RecursiveMode::Recursive);
                    }
                    if !changed.contains(&rel) {
                        changed.push(rel);
                    }
                }
            }
            Ok(Err(e)) => {
                super::say_err(&format!("avertissement : surveillance des fichiers : {e}"));
                missed = true;
            }
            Err(RecvTimeoutError::Timeout) if missed => {
                // No path: a full build.
                data_stale = state.rebuild(&[]) || data_stale;
                changed.clear();
                missed = false;
            }
            Err(RecvTimeoutError::Timeout) if changed.is_empty() => {
                data_stale = !state.refresh_data(heard);
            }
            Err(RecvTimeoutError::Timeout) => {
                data_stale = state.rebuild(&changed) || data_stale;
                changed.clear();
            }
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
