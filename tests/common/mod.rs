//! Fixture sites copied to a temporary folder and driven through the real `fiches` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Site {
    pub dir: tempfile::TempDir,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

impl Site {
    /// A copy of `tests/sites/<name>` with the default theme.
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("tests/sites").join(name), dir.path());
        copy_dir(&repo().join("themes"), &dir.path().join("themes"));
        Site { dir }
    }

    /// `fixture(name)`, built into its `public/`; panics with fiches' errors if it fails.
    pub fn built(name: &str) -> Site {
        let site = Site::fixture(name);
        site.build();
        site
    }

    /// `fiches build` into `public/`; panics with fiches' errors if it fails.
    pub fn build(&self) {
        let out = self.fiches(&["build"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A copy of the site shipped in the repository.
    pub fn shipped() -> Site {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(repo().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        copy_dir(&repo().join("content"), &dir.path().join("content"));
        copy_dir(&repo().join("themes"), &dir.path().join("themes"));
        Site { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Runs `fiches` on this site.
    pub fn fiches(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_fiches"))
            .arg("-C")
            .arg(self.dir.path())
            .args(args)
            .output()
            .unwrap()
    }

    /// `fiches check`, expected to fail: its exit code and what it printed on stderr.
    pub fn check_fails(&self) -> String {
        self.fails("check")
    }

    /// `fiches build`, expected to fail: its exit code and what it printed on stderr.
    pub fn build_fails(&self) -> String {
        self.fails("build")
    }

    fn fails(&self, command: &str) -> String {
        let out = self.fiches(&[command]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stderr).unwrap()
    }
}

/// Every file under `dir`, with its bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Page text with no-break spaces shown as plain spaces, for readable assertions.
pub fn plain(html: &str) -> String {
    html.replace(['\u{a0}', '\u{202f}'], " ")
}
