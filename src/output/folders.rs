//! The pages of a build written into its staging folder. Each section's folder
//! (`villes/`, `organismes/`…) is opened once, and a page's folder and file are made
//! relative to it (`mkdirat`, `openat`): the system then looks up one or two names for a
//! page rather than every folder of the staging folder's path, twice, 34 000 times at
//! 10 000 fiches. Elsewhere than on Unix, and for a page outside a section, the page is
//! written by its whole path, as before.

#[cfg(unix)]
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// A staging folder with its sections made and open.
pub struct Folders {
    dest: PathBuf,
    /// Each section's name and its folder, open.
    #[cfg(unix)]
    sections: Vec<(&'static str, File)>,
}

impl Folders {
    /// Makes each of `sections` in `dest` and opens it.
    pub fn new(dest: &Path, sections: &[&'static str]) -> Result<Folders> {
        #[cfg(unix)]
        let mut open = Vec::with_capacity(sections.len());
        for &section in sections {
            let dir = dest.join(section);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("création de {}", dir.display()))?;
            #[cfg(unix)]
            open.push((
                section,
                File::open(&dir).with_context(|| format!("ouverture de {}", dir.display()))?,
            ));
        }
        Ok(Folders {
            dest: dest.to_path_buf(),
            #[cfg(unix)]
            sections: open,
        })
    }

    /// Writes `bytes` as the page `path` (relative to the staging folder, with `/`),
    /// making its folder when it has one of its own.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        #[cfg(unix)]
        if let Some((section, rest)) = path.split_once('/')
            && let Some((_, dir)) = self.sections.iter().find(|(s, _)| *s == section)
        {
            // `rest` is the file (`index.html`) or one folder and its file
            // (`quebec/index.html`); anything deeper goes by the whole path below.
            let folder = rest.split_once('/').map(|(folder, _)| folder);
            let shallow =
                folder.is_none_or(|f| !f.is_empty() && !rest[f.len() + 1..].contains('/'));
            if shallow {
                if let Some(folder) = folder {
                    at::make_folder(dir, folder).with_context(|| {
                        let made = self.dest.join(section).join(folder);
                        format!("création de {}", made.display())
                    })?;
                }
                return at::write(dir, rest, bytes)
                    .with_context(|| format!("écriture de {}", self.dest.join(path).display()));
            }
        }
        let file = self.dest.join(path);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("création de {}", dir.display()))?;
        }
        std::fs::write(&file, bytes).with_context(|| format!("écriture de {}", file.display()))
    }
}

#[cfg(unix)]
mod at {
    use std::ffi::CString;
    use std::fs::File;
    use std::io::{self, Write};
    use std::os::fd::{AsRawFd, FromRawFd};

    /// Makes `folder` in `dir` unless it exists, with the permissions `create_dir` gives.
    pub fn make_folder(dir: &File, folder: &str) -> io::Result<()> {
        let name = CString::new(folder)?;
        // SAFETY: mkdirat reads the NUL-terminated name, which outlives the call; the
        // descriptor is `dir`'s, open for as long as `dir` is borrowed.
        if unsafe { libc::mkdirat(dir.as_raw_fd(), name.as_ptr(), 0o777) } != 0 {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::AlreadyExists {
                return Err(e);
            }
        }
        Ok(())
    }

    /// Writes `bytes` to `file`, a path relative to `dir`, created or emptied, with the
    /// permissions `std::fs::write` gives.
    pub fn write(dir: &File, file: &str, bytes: &[u8]) -> io::Result<()> {
        let name = CString::new(file)?;
        let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC;
        // SAFETY: as in `make_folder`; openat returns a new descriptor or -1.
        let fd =
            unsafe { libc::openat(dir.as_raw_fd(), name.as_ptr(), flags, 0o666 as libc::c_uint) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just opened and nothing else owns it.
        let mut page = unsafe { File::from_raw_fd(fd) };
        page.write_all(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::Folders;

    #[test]
    fn pages_are_written_in_their_sections_and_elsewhere_by_their_path() {
        let dest = tempfile::tempdir().unwrap();
        let folders = Folders::new(dest.path(), &["villes", "enjeux"]).unwrap();
        let pages = [
            ("villes/quebec/index.html", "Québec"),
            ("villes/index.html", "Les villes"),
            ("villes/levis/carte/index.html", "Carte"),
            ("index.html", "Accueil"),
            ("recherche/index.html", "Recherche"),
            ("enjeux/logement/index.html", "Logement"),
        ];
        for (path, text) in pages {
            folders.write(path, text.as_bytes()).unwrap();
        }
        // Written over: emptied first.
        folders.write("villes/quebec/index.html", b"Qc").unwrap();
        for (path, text) in pages {
            let want = if path == "villes/quebec/index.html" {
                "Qc"
            } else {
                text
            };
            let got = std::fs::read_to_string(dest.path().join(path)).unwrap();
            assert_eq!(got, want, "{path}");
        }
    }

    /// The section is written through the folder opened, not by its path: moved after it
    /// was opened, it still receives its pages.
    #[cfg(unix)]
    #[test]
    fn pages_of_a_section_go_to_the_folder_opened() {
        let dest = tempfile::tempdir().unwrap();
        let folders = Folders::new(dest.path(), &["villes"]).unwrap();
        std::fs::rename(dest.path().join("villes"), dest.path().join("ailleurs")).unwrap();
        folders.write("villes/quebec/index.html", b"Qc").unwrap();
        folders.write("villes/index.html", b"Villes").unwrap();
        let moved = dest.path().join("ailleurs");
        assert_eq!(
            std::fs::read_to_string(moved.join("quebec/index.html")).unwrap(),
            "Qc"
        );
        assert_eq!(
            std::fs::read_to_string(moved.join("index.html")).unwrap(),
            "Villes"
        );
        assert!(!dest.path().join("villes").exists());
    }

    #[test]
    fn a_page_that_cannot_be_written_is_told_by_its_whole_path() {
        let dest = tempfile::tempdir().unwrap();
        let folders = Folders::new(dest.path(), &["villes"]).unwrap();
        // A file where the page's folder should be.
        std::fs::write(dest.path().join("villes/quebec"), "").unwrap();
        let e = folders.write("villes/quebec/index.html", b"x").unwrap_err();
        let told = format!("{e:#}");
        let page = dest.path().join("villes/quebec/index.html");
        assert!(
            told.starts_with(&format!("écriture de {}: ", page.display())),
            "{told}"
        );
    }
}
