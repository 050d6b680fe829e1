//! `fiches serve`: a local preview that rebuilds on every change and reloads open tabs.
//!
//! Three ideas, one file each: `http` serves the last build (and nothing outside it),
//! `watch` rebuilds when the content, the theme or `site.yaml` change, `reload` tells
//! open pages that a new build — or a content error — is there. A content error does not
//! stop the server: pages show the same located message as the terminal until it is
//! fixed.
//!
//! A save that changes only the text of a fiche rebuilds that fiche's page, in place
//! (`crate::workspace`: a few milliseconds whatever the size of the site); one that
//! changes a city's partners or its card patches the model and renders the pages that
//! show them (tens of milliseconds); another change under `content/`
//! re-renders the pages it changes. A template, a static file or
//! `site.yaml` rebuilds the whole site into a new folder of the system's temporary
//! directory, which takes the place of the previous one only when it is complete. Either
//! way the built files are the same as `fiches build`'s: the reload script is added only
//! to the pages as they are served. Stopping the preview removes its builds (`stop`).

mod http;
mod reload;
mod stop;
mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use rustc_hash::FxHashSet;

use crate::diagnostic::plural;
use crate::lang::Lang;
use crate::workspace::{InPlace, Patched, Workspace};
use crate::{Failure, Options};

/// How `fiches serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: std::net::IpAddr,
    /// 0 lets the system choose a free port.
    pub port: u16,
    pub lang: Lang,
    pub build: Options,
}

/// What the last build left: a generation number that every build increments, the error
/// text when it failed, and the folder of the last successful build.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    pub generation: u64,
    pub error: Option<String>,
    pub out: PathBuf,
}

/// Shared by the server's threads: the last build's outcome, and a condition variable that
/// wakes the pages waiting for the next one.
pub struct State {
    root: PathBuf,
    /// Each full build goes into a numbered folder under this one.
    builds: PathBuf,
    options: ServeOptions,
    /// The site and its last build; only the watching thread rebuilds.
    workspace: Mutex<Workspace>,
    snapshot: Mutex<Snapshot>,
    changed: Condvar,
    /// The content's warnings as last printed, each rendered.
    warned: Mutex<Vec<String>>,
    /// The lock on `builds`, held until the process ends (`stop::claim`).
    _claim: std::fs::File,
}

impl State {
    /// Prints the content's warnings after a reading of every fiche (`warnings` is then
    /// all of them), unless they are those printed last (`warnings_to_say`).
    fn warn(&self, warnings: &[crate::diagnostic::Diagnostic]) {
        let lang = self.options.lang;
        let now = warnings.iter().map(|w| w.render(lang)).collect();
        let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
        for line in warnings_to_say(&mut warned, now, lang) {
            say_err(&line);
        }
    }

    fn snapshot(&self) -> Snapshot {
        self.snapshot
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Rebuilds after `changed` (paths relative to the root; empty for a full build: the
    /// first, or after changes the watcher may have missed):
    /// the pages an edit of the content changes, or the whole site into a new folder.
    /// Then the outcome is published and open tabs reload. Returns whether the open data
    /// lags behind the pages (`refresh_data`).
    fn rebuild(&self, changed: &[PathBuf]) -> bool {
        let start = Instant::now();
        let lang = self.options.lang;
        let mut workspace = self.workspace.lock().unwrap_or_else(|e| e.into_inner());
        let generation = self.snapshot().generation + 1;
        let update = if changed.is_empty() {
            Ok(None)
        } else {
            workspace.update(changed)
        };
        match update {
            Ok(Some(patched)) => {
                // A patch in place finds no warnings: they follow at the pause.
                if patched.reread {
                    self.warn(&patched.warnings);
                }
                let ms = start.elapsed().as_millis();
                let line = match (lang, patched.reread) {
                    (_, false) if patched.pages.is_empty() => return false,
                    (_, false) if let Some(what) = patched.in_place => {
                        counted_line(lang, Rebuild::InPlace(what), &patched, Some(ms))
                    }
                    (Lang::Fr, false) => {
                        format!(
                            "Page reconstruite : {} en {ms} ms",
                            patched.pages.join(", ")
                        )
                    }
                    (Lang::En, false) => {
                        format!("Page rebuilt: {} in {ms} ms", patched.pages.join(", "))
                    }
                    (_, true) => counted_line(lang, Rebuild::Reread, &patched, Some(ms)),
                };
                say(&line);
                if let Some(timings) = crate::timings(&patched.phases) {
                    say_err(&timings);
                }
                self.publish(generation, None, None);
                return true;
            }
            Ok(None) => {
                let out = self.builds.join(generation.to_string());
                match workspace.build(&out, changed) {
                    Ok(report) => {
                        self.warn(&report.warnings);
                        say(&format!(
                            "{} ({} pages) en {} ms",
                            if lang == Lang::Fr {
                                "Site reconstruit"
                            } else {
                                "Site rebuilt"
                            },
                            report.pages,
                            start.elapsed().as_millis()
                        ));
                        self.publish(generation, None, Some(out));
                    }
                    Err(e) => {
                        let text = failure_text(e, lang);
                        say_err(&text);
                        self.publish(generation, Some(text), None);
                    }
                }
            }
            Err(e) => {
                let text = failure_text(e, lang);
                say_err(&text);
                self.publish(generation, Some(text), None);
            }
        }
        false
    }

    /// Writes the open data, search index and feeds again after one-page rebuilds, and
    /// after a patch of the model in place (a fiche's partners, issues, figures or name
    /// changed, a fiche added or deleted) models every fiche again for the warnings. They
    /// list every fiche, so this takes as long as their part of a full build: the
    /// watcher runs it once the editor pauses, not on every save, and sets `stop` when it
    /// hears the next change, which stops it (`Workspace::refresh_data`). Returns false
    /// when it was stopped, to be done at the next pause; true when it was done, or failed
    /// (the failure is printed, and the next save reads every fiche).
    fn refresh_data(&self, stop: &AtomicBool) -> bool {
        let start = Instant::now();
        let lang = self.options.lang;
        let mut workspace = self.workspace.lock().unwrap_or_else(|e| e.into_inner());
        let refreshed = workspace.refresh_data(&|| stop.load(Ordering::Relaxed));
        if let Ok(refreshed) = &refreshed
            && let Some(settled) = &refreshed.settled
        {
            self.warn(&settled.warnings);
            if let Some(timings) = crate::timings(&settled.phases) {
                say_err(&timings);
            }
            // None, unless the patch of the model missed a change: those pages are
            // right from now on.
            if !settled.pages.is_empty() || !settled.removed.is_empty() {
                say(&counted_line(lang, Rebuild::Reread, settled, None));
                let generation = self.snapshot().generation + 1;
                self.publish(generation, None, None);
            }
        }
        match refreshed {
            Ok(r) if r.interrupted => false,
            Ok(r) => {
                if r.data {
                    say(&format!(
                        "{} {} ms",
                        if lang == Lang::Fr {
                            "Données ouvertes, recherche et fils à jour en"
                        } else {
                            "Open data, search and feeds up to date in"
                        },
                        start.elapsed().as_millis()
                    ));
                }
                true
            }
            Err(e) => {
                say_err(&failure_text(e, lang));
                true
            }
        }
    }

    /// Makes a build the current one and wakes the waiting pages; a new output folder
    /// takes the place of the previous one, which is removed a moment later, once
    /// requests that were reading it are done.
    fn publish(&self, generation: u64, error: Option<String>, out: Option<PathBuf>) {
        let mut snap = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        snap.generation = generation;
        snap.error = error;
        if let Some(out) = out {
            let old = std::mem::replace(&mut snap.out, out);
            if !old.as_os_str().is_empty() {
                std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_secs(2));
                    let _ = std::fs::remove_dir_all(old);
                });
            }
        }
        self.changed.notify_all();
    }
}

/// A rebuild that wrote pages other than a fiche's own.
#[derive(Clone, Copy)]
enum Rebuild {
    /// A city's partners or card patched into the model.
    InPlace(InPlace),
    /// Every fiche read again.
    Reread,
}

/// The line that says how many pages a rebuild wrote and removed, and in how long.
fn counted_line(lang: Lang, kind: Rebuild, patched: &Patched, ms: Option<u128>) -> String {
    let (pages, removed) = (patched.pages.len(), patched.removed.len());
    let what = match (lang, kind) {
        (Lang::Fr, Rebuild::InPlace(InPlace::Partners)) => "Partenaires mis à jour",
        (Lang::Fr, Rebuild::InPlace(InPlace::Card)) => "Carte mise à jour",
        (Lang::Fr, Rebuild::InPlace(InPlace::Issues)) => "Enjeux mis à jour",
        (Lang::Fr, Rebuild::InPlace(InPlace::Name)) => "Nom mis à jour",
        (Lang::Fr, Rebuild::InPlace(InPlace::Lead)) => "Porteur mis à jour",
        (Lang::Fr, Rebuild::InPlace(InPlace::Added)) => "Fiche ajoutée",
        (Lang::Fr, Rebuild::InPlace(InPlace::Removed)) => "Fiche retirée",
        (Lang::Fr, Rebuild::InPlace(InPlace::Several)) => "Fiches mises à jour une à une",
        (Lang::Fr, Rebuild::Reread) => "Fiches relues",
        (Lang::En, Rebuild::InPlace(InPlace::Partners)) => "Partners updated",
        (Lang::En, Rebuild::InPlace(InPlace::Card)) => "Card updated",
        (Lang::En, Rebuild::InPlace(InPlace::Issues)) => "Issues updated",
        (Lang::En, Rebuild::InPlace(InPlace::Name)) => "Name updated",
        (Lang::En, Rebuild::InPlace(InPlace::Lead)) => "Lead organisation updated",
        (Lang::En, Rebuild::InPlace(InPlace::Added)) => "Fiche added",
        (Lang::En, Rebuild::InPlace(InPlace::Removed)) => "Fiche removed",
        (Lang::En, Rebuild::InPlace(InPlace::Several)) => "Fiches updated one by one",
        (Lang::En, Rebuild::Reread) => "Fiches read again",
    };
    let (time, line) = match lang {
        Lang::Fr => (
            ms.map(|ms| format!(" en {ms} ms")),
            format!(
                "{what}, {}, {}",
                plural(pages, "page reconstruite", "pages reconstruites", lang),
                plural(removed, "retirée", "retirées", lang)
            ),
        ),
        Lang::En => (
            ms.map(|ms| format!(" in {ms} ms")),
            format!(
                "{what}, {} rebuilt, {removed} removed",
                plural(pages, "page", "pages", lang)
            ),
        ),
    };
    line + &time.unwrap_or_default()
}

/// What the terminal and the error page show of a failed build.
fn failure_text(failure: Failure, lang: Lang) -> String {
    match failure {
        Failure::Content(diags) => {
            let mut text = String::new();
            let mut all = crate::diagnostic::Diagnostics::default();
            for d in diags {
                text.push_str(&d.render(lang));
                text.push('\n');
                all.push(d);
            }
            text.push_str(&all.summary_in(lang));
            text
        }
        Failure::Io(e) => format!("{} : {e:#}", lang.word("erreur")),
    }
}

/// What to print of the content's warnings `now` (each rendered), when `last` were the
/// last printed: every one the first time; afterwards those that are new, then one line
/// that counts the new, the fixed and the unchanged ("(1 nouvel avertissement, 2 corrigés,
/// 898 inchangés)"); "Plus aucun avertissement." when the last is fixed; nothing when
/// there are none. Each reading of every fiche finds them all again, hundreds on a large
/// site: an editor reads what changed. A warning that moved (a line added above it) is
/// told as new, where it now is.
fn warnings_to_say(last: &mut Vec<String>, now: Vec<String>, lang: Lang) -> Vec<String> {
    if last.is_empty() || now.is_empty() {
        let said = match (last.is_empty(), now.is_empty()) {
            (_, false) => now.clone(),
            (false, true) => vec![
                match lang {
                    Lang::Fr => "Plus aucun avertissement.",
                    Lang::En => "No warnings left.",
                }
                .to_string(),
            ],
            (true, true) => Vec::new(),
        };
        *last = now;
        return said;
    }
    let before: FxHashSet<&String> = last.iter().collect();
    let after: FxHashSet<&String> = now.iter().collect();
    let mut said: Vec<String> = (now.iter())
        .filter(|w| !before.contains(w))
        .cloned()
        .collect();
    let fixed = last.iter().filter(|w| !after.contains(w)).count();
    let (new, kept) = (said.len(), now.len() - said.len());
    let words = match lang {
        Lang::Fr => [
            ("nouvel avertissement", "nouveaux avertissements"),
            ("corrigé", "corrigés"),
            ("avertissement inchangé", "avertissements inchangés"),
        ],
        Lang::En => [
            ("new warning", "new warnings"),
            ("fixed", "fixed"),
            ("warning unchanged", "warnings unchanged"),
        ],
    };
    let counts: Vec<String> = ([new, fixed, kept].into_iter().zip(words))
        .filter(|(n, _)| *n > 0)
        .map(|(n, (one, many))| plural(n, one, many, lang))
        .collect();
    said.push(format!("({})", counts.join(", ")));
    *last = now;
    said
}

/// Prints a line for the editor; a closed terminal must not stop the preview.
fn say(line: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

fn say_err(text: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Builds, then serves `root` until the process is stopped.
pub fn serve(root: &Path, options: ServeOptions) -> anyhow::Result<()> {
    crate::keep_freed_memory();
    let lang = options.lang;
    let temp = std::env::temp_dir();
    let builds = stop::builds_folder(&temp, std::process::id());
    let claim = stop::claim(&builds)
        .map_err(|e| anyhow::anyhow!("impossible de créer {} : {e}", builds.display()))?;
    let state = Arc::new(State {
        root: root.to_path_buf(),
        builds,
        options: options.clone(),
        workspace: Mutex::new(Workspace::new(root, options.build.clone())),
        snapshot: Mutex::new(Snapshot::default()),
        changed: Condvar::new(),
        warned: Mutex::new(Vec::new()),
        _claim: claim,
    });
    // No thread may start before this.
    let stopped = if lang == Lang::Fr {
        "Aperçu arrêté."
    } else {
        "Preview stopped."
    };
    let served = stop::on_stop(Arc::clone(&state), stopped)
        .map_err(anyhow::Error::from)
        .and_then(|()| serve_state(&state, &temp));
    // Stopped by an error (the port taken, say): the builds go too.
    if served.is_err() {
        stop::remove(&state.builds);
    }
    served
}

/// Listens, sweeps the folders of previews stopped without cleaning up, builds, watches,
/// then answers requests.
fn serve_state(state: &Arc<State>, temp: &Path) -> anyhow::Result<()> {
    let options = &state.options;
    let lang = options.lang;
    // Before the first build: a port already taken is said at once.
    let server = http::bind(SocketAddr::new(options.bind, options.port))?;
    let temp = temp.to_path_buf();
    std::thread::spawn(move || {
        let removed = stop::sweep(&temp);
        if removed > 0 {
            say(&if lang == Lang::Fr {
                format!("Dossiers d’aperçus arrêtés sans nettoyage supprimés : {removed}")
            } else {
                format!("Folders of previews stopped without cleaning up removed: {removed}")
            });
        }
    });
    state.rebuild(&[]);
    watch::start(Arc::clone(state))?;
    let addr = server
        .server_addr()
        .to_ip()
        .map(|a| a.to_string())
        .unwrap_or_default();
    say(&format!(
        "{} http://{addr}/ ({})",
        if lang == Lang::Fr {
            "Aperçu sur"
        } else {
            "Preview at"
        },
        if lang == Lang::Fr {
            "Ctrl+C pour arrêter"
        } else {
            "Ctrl+C to stop"
        }
    ));
    http::run(server, Arc::clone(state));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patched(pages: usize, removed: usize) -> Patched {
        Patched {
            pages: vec![String::new(); pages],
            removed: vec![String::new(); removed],
            ..Patched::default()
        }
    }

    #[test]
    fn warnings_are_printed_again_only_when_they_changed() {
        let mut last = Vec::new();
        let w = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut say = |now: &[&str]| warnings_to_say(&mut last, w(now), Lang::Fr);
        assert_eq!(say(&[]), Vec::<String>::new());
        assert_eq!(say(&["a", "b"]), w(&["a", "b"]));
        assert_eq!(say(&["a", "b"]), w(&["(2 avertissements inchangés)"]));
        assert_eq!(say(&["a"]), w(&["(1 corrigé, 1 avertissement inchangé)"]));
        assert_eq!(
            say(&["c", "a", "d"]),
            w(&[
                "c",
                "d",
                "(2 nouveaux avertissements, 1 avertissement inchangé)"
            ])
        );
        assert_eq!(
            say(&["e"]),
            w(&["e", "(1 nouvel avertissement, 3 corrigés)"])
        );
        assert_eq!(say(&[]), w(&["Plus aucun avertissement."]));
        assert_eq!(say(&[]), Vec::<String>::new());
        assert_eq!(say(&["a"]), w(&["a"]));
        let mut last = w(&["x", "y"]);
        assert_eq!(
            warnings_to_say(&mut last, w(&["x", "z"]), Lang::En),
            w(&["z", "(1 new warning, 1 fixed, 1 warning unchanged)"])
        );
    }

    #[test]
    fn the_counted_line_agrees_with_its_numbers() {
        let fr = |kind, p: &Patched| counted_line(Lang::Fr, kind, p, Some(7));
        assert_eq!(
            fr(Rebuild::InPlace(InPlace::Removed), &patched(6, 1)),
            "Fiche retirée, 6 pages reconstruites, 1 retirée en 7 ms"
        );
        assert_eq!(
            fr(Rebuild::Reread, &patched(1, 0)),
            "Fiches relues, 1 page reconstruite, 0 retirée en 7 ms"
        );
        assert_eq!(
            fr(Rebuild::InPlace(InPlace::Added), &patched(13, 2)),
            "Fiche ajoutée, 13 pages reconstruites, 2 retirées en 7 ms"
        );
        let en = counted_line(Lang::En, Rebuild::Reread, &patched(1, 0), None);
        assert_eq!(en, "Fiches read again, 1 page rebuilt, 0 removed");
    }
}
