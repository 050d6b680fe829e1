//! Watching the site's sources: `content/`, `themes/`, `templates/`, `static/` and
//! `site.yaml`. Only changes count — a build reads every file, and reading must not
//! trigger the next build — and they are debounced (an editor's save is often several
//! events) before the site is rebuilt. The preview folder is outside the site.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use anyhow::Context as _;
use notify::event::ModifyKind;
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::State;

const WATCHED_FOLDERS: [&str; 4] = ["content", "themes", "templates", "static"];
/// Quiet time after the last change before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(50);

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

/// Whether an event changes a source: reads and metadata (access times) do not.
fn is_change(root: &Path, event: &Event) -> bool {
    let kind_counts = !matches!(
        event.kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
    );
    kind_counts && event.paths.iter().any(|p| is_source(root, p))
}

/// Starts watching; the returned watcher must be kept alive for the watch to go on.
pub fn start(state: Arc<State>) -> anyhow::Result<RecommendedWatcher> {
    let root: PathBuf = std::fs::canonicalize(&state.root).unwrap_or_else(|_| state.root.clone());
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(tx).context("surveillance des fichiers")?;
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
    std::thread::spawn(move || rebuild_on_change(&root, &rx, &state));
    Ok(watcher)
}

fn rebuild_on_change(root: &Path, rx: &Receiver<notify::Result<Event>>, state: &State) {
    loop {
        // Wait for a change…
        match rx.recv() {
            Ok(Ok(event)) if is_change(root, &event) => {}
            Ok(Ok(_)) => continue,
            Ok(Err(e)) => {
                super::say_err(&format!("avertissement : surveillance des fichiers : {e}"));
                continue;
            }
            Err(_) => return,
        }
        // …then for the editor to be done saving.
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        state.rebuild();
    }
}
