//! The staging folder: pages are written beside the output folder, which it replaces in
//! one step once everything is written. On any error it is thrown away and the previous
//! output is left as it was.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rayon::prelude::*;

pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    old: PathBuf,
}

impl Staging {
    /// Creates an empty staging folder beside `out`.
    pub fn new(out: &Path) -> Result<Staging> {
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("création de {}", parent.display()))?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).with_context(|| format!("création de {}", dir.display()))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            old,
        })
    }

    /// Where the pages go.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Puts the staging folder in place of the output folder.
    pub fn commit(self) -> Result<()> {
        let had_old = self.out.exists();
        if had_old {
            std::fs::rename(&self.out, &self.old)
                .with_context(|| format!("déplacement de {}", self.out.display()))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            if had_old {
                let _ = std::fs::rename(&self.old, &self.out);
            }
            remove_tree(&self.dir);
            return Err(e).with_context(|| format!("mise en place de {}", self.out.display()));
        }
        if had_old {
            remove_tree(&self.old);
        }
        Ok(())
    }

    /// Throws the staging folder away.
    pub fn discard(self) {
        remove_tree(&self.dir);
    }
}

/// Removes a folder and everything in it, best effort. A page is a folder and a file, and
/// on some disks each removal waits on the device: the files of each folder are removed
/// in parallel, on more threads than cores, which divides that wait.
fn remove_tree(dir: &Path) {
    let entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
        .collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(16).build();
    let remove = || {
        entries
            .par_iter()
            .filter(|e| !e.file_type().is_dir())
            .for_each(|e| {
                let _ = std::fs::remove_file(e.path());
            });
        let mut dirs: Vec<&walkdir::DirEntry> =
            entries.iter().filter(|e| e.file_type().is_dir()).collect();
        dirs.sort_by_key(|e| std::cmp::Reverse(e.depth()));
        for depth in dirs.chunk_by(|a, b| a.depth() == b.depth()) {
            depth.par_iter().for_each(|e| {
                let _ = std::fs::remove_dir(e.path());
            });
        }
    };
    match pool {
        Ok(pool) => pool.install(remove),
        Err(_) => remove(),
    }
    let _ = std::fs::remove_dir_all(dir);
}
