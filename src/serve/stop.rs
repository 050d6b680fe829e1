//! Stopping the preview without leaving its builds behind.
//!
//! The preview builds into `fiches-serve-<process id>` in the system's temporary
//! directory: a few megabytes for a city's site, 600 MiB for 10 000 fiches. Ctrl+C (or
//! the terminal closed, or `kill`) used to end the process where it stood, and every
//! preview left its folder there. Now the signals that stop it are taken by one thread,
//! which removes the folder before the process ends; a preview that could not clean up
//! (killed with `kill -9`, the machine switched off) has its folder removed by the next
//! one, whose process can tell that the owner is gone.

use std::path::{Path, PathBuf};

/// The folder a preview with this process id builds into, under `temp`.
pub fn builds_folder(temp: &Path, pid: u32) -> PathBuf {
    temp.join(format!("{PREFIX}{pid}"))
}

const PREFIX: &str = "fiches-serve-";

/// Takes Ctrl+C, a closed terminal and `kill` for the preview: they remove `builds`, say
/// so with `said`, and end the process with the shell's code for the signal (130 for
/// Ctrl+C). Must be called before any other thread is started, so that every thread
/// inherits the blocked signals and only the waiting thread receives them.
#[cfg(unix)]
pub fn on_stop(builds: PathBuf, said: &'static str) -> std::io::Result<()> {
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
            let rc = unsafe { libc::sigwait(&set, &mut signal) };
            if rc != 0 {
                signal = libc::SIGTERM;
            }
            remove(&builds);
            super::say(said);
            std::process::exit(128 + signal);
        })?;
    Ok(())
}

#[cfg(not(unix))]
pub fn on_stop(_builds: PathBuf, _said: &'static str) -> std::io::Result<()> {
    Ok(())
}

/// Removes a folder that a rebuild may still be writing into: a file created while the
/// tree is walked makes one pass fail, so a few passes are made.
fn remove(dir: &Path) {
    for _ in 0..5 {
        match std::fs::remove_dir_all(dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            _ => return,
        }
    }
}

/// Removes the build folders, under `temp`, of previews whose process is gone; returns
/// how many. A folder whose process id is in use again is left: it may be another
/// preview's.
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
        if gone(pid) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            remove(&entry.path());
            removed += usize::from(!entry.path().exists());
        }
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
