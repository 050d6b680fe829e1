//! Stopping the preview without leaving its builds behind.
//!
//! The preview builds into `fiches-serve-<process id>` in the system's temporary
//! directory: a few megabytes for a city's site, 600 MiB for 10 000 fiches. Ctrl+C (or
//! the terminal closed, or `kill`) used to end the process where it stood, and every
//! preview left its folder there. Now the signals that stop it are taken by one thread,
//! which removes the folder before the process ends; a preview that could not clean up
//! (killed with `kill -9`, the machine switched off) has its folder removed by the next
//! one, whose process can tell that the owner is gone.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, MutexGuard, TryLockError};
use std::time::{Duration, Instant};

use super::State;
use crate::workspace::Workspace;

/// The folder a preview with this process id builds into, under `temp`.
pub fn builds_folder(temp: &Path, pid: u32) -> PathBuf {
    temp.join(format!("{PREFIX}{pid}"))
}

const PREFIX: &str = "fiches-serve-";

/// The file whose lock tells that a build folder is in use.
const LOCK: &str = "verrou";

/// Makes `builds` and locks a file in it until the process ends (the lock goes with the
/// returned file). Another preview's sweep leaves a folder whose lock is held, even
/// when it cannot see the owner's process (a container sharing the temporary
/// directory).
pub fn claim(builds: &Path) -> std::io::Result<File> {
    std::fs::create_dir_all(builds)?;
    let file = File::create(builds.join(LOCK))?;
    file.lock()?;
    Ok(file)
}

/// Takes Ctrl+C, a closed terminal and `kill` for the preview: a rebuild under way is let
/// finish (up to 10 s), the build folder is removed, `said` printed, and the process
/// then ends by the signal, as it would have without this, so that the shell knows it
/// was stopped. Must be called before any other thread is started, so that every
/// thread inherits the blocked signals and only the waiting thread receives them.
#[cfg(unix)]
pub fn on_stop(state: Arc<State>, said: &'static str) -> std::io::Result<()> {
    #[cfg(all(debug_assertions, target_os = "linux"))]
    debug_assert_eq!(
        std::fs::read_dir("/proc/self/task")
            .map(Iterator::count)
            .ok(),
        Some(1),
        "a thread started before the signals were blocked would receive them"
    );
    // SAFETY: the set is a plain value that sigemptyset initialises before any other use;
    // pthread_sigmask only changes the calling thread's mask.
    let set = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, signal);
        }
        let rc = libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        if rc != 0 {
            return Err(std::io::Error::from_raw_os_error(rc));
        }
        set
    };
    std::thread::Builder::new()
        .name("stop".into())
        .spawn(move || {
            let mut signal = 0;
            // SAFETY: sigwait reads the set and writes the signal number, both ours.
            if unsafe { libc::sigwait(&set, &mut signal) } != 0 {
                signal = libc::SIGTERM;
            }
            let rebuild = quiet(&state);
            remove(&state.builds);
            // The terminal echoed `^C` without a line break.
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                super::say("");
            }
            super::say(said);
            drop(rebuild);
            // SAFETY: the signal's default action is put back and the signal unblocked in
            // this thread alone, then raised in it: the process ends as if never caught.
            unsafe {
                libc::signal(signal, libc::SIG_DFL);
                libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
                libc::raise(signal);
            }
            std::process::exit(128 + signal);
        })?;
    Ok(())
}

#[cfg(not(unix))]
pub fn on_stop(_state: Arc<State>, _said: &'static str) -> std::io::Result<()> {
    Ok(())
}

/// Waits, 10 s at most, for the rebuild under way to end, and keeps the next from
/// starting: its files would be written into the folder being removed.
fn quiet(state: &State) -> Option<MutexGuard<'_, Workspace>> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match state.workspace.try_lock() {
            Ok(guard) => return Some(guard),
            Err(TryLockError::Poisoned(p)) => return Some(p.into_inner()),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::WouldBlock) => return None,
        }
    }
}

/// Removes a folder; a file created while the tree is walked makes one pass fail, so a
/// few are made.
pub fn remove(dir: &Path) {
    for _ in 0..5 {
        match std::fs::remove_dir_all(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::DirectoryNotEmpty => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => return,
        }
    }
}

/// Removes the build folders, under `temp`, of previews that are gone: no process has
/// their id and no one holds their lock. Returns how many. A folder whose process id is
/// in use again is left (it may be another preview's), and so is anything that is not
/// a folder (a link is not followed).
pub fn sweep(temp: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if !gone(pid) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        // Held while the folder is removed; folders made before the lock existed have none.
        let lock = match File::open(path.join(LOCK)) {
            Ok(file) if file.try_lock().is_ok() => Some(file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            _ => continue,
        };
        remove(&path);
        drop(lock);
        removed += usize::from(!path.exists());
    }
    removed
}

/// Whether no process has this id. Where that cannot be told, every process is taken
/// to be running, so that no folder in use is removed.
fn gone(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let rc = unsafe { libc::kill(pid, 0) };
        rc != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}
