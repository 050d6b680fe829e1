//! The benchmark's corpus (the shared yardstick generator, then scripts/corpus_to_fiches.py)
//! at a small size: it must build, with one page per fiche, issue and organisation. No
//! timing here: `scripts/bench` measures.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn bench_dir() -> PathBuf {
    std::env::var_os("FICHES_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench"))
}

fn count_pages(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
        .count()
}

#[test]
fn the_benchmark_corpus_builds_with_every_page() {
    let generator = bench_dir().join("gen_corpus.py");
    let python = Command::new("python3").arg("--version").output();
    if !generator.is_file() || python.is_err() {
        eprintln!(
            "skipped: needs python3 and {} (set FICHES_BENCH_DIR)",
            generator.display()
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let site = tmp.path().join("site");
    let status = Command::new("python3")
        .arg(&generator)
        .args([
            "--cities",
            "50",
            "--sectors",
            "5",
            "--layout",
            "plain",
            "--seed",
            "42",
        ])
        .arg("--out")
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(status.status.success(), "{:?}", status);
    let converter = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/corpus_to_fiches.py");
    let status = Command::new("python3")
        .arg(converter)
        .arg(&corpus)
        .arg(&site)
        .arg("--theme-from")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .status()
        .unwrap();
    assert!(status.success());

    let out = Command::new(env!("CARGO_BIN_EXE_fiches"))
        .arg("-C")
        .arg(&site)
        .arg("build")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = site.join("public");
    assert_eq!(count_pages(&public.join("villes")), 50);
    assert_eq!(count_pages(&public.join("secteurs")), 5);
    let manifest = std::fs::read_to_string(corpus.join("corpus-manifest.json")).unwrap();
    let enjeux = count_pages(&public.join("enjeux"));
    assert!(
        manifest.contains(&format!("\"enjeux_count\": {enjeux}")),
        "{enjeux} issue pages, manifest: {manifest}"
    );
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(
        home.contains("Toutes les villes (50)"),
        "the home page links to the full index"
    );
    assert_eq!(
        home.matches("city-card").count(),
        24,
        "the home page shows 24 city cards"
    );
    let organisations = count_pages(&public.join("organismes"));
    assert!(organisations > 0);
    // home, 404, search, open data and the four indexes, then one page per fiche, issue
    // and organisation
    let pages = 8 + 50 + 5 + enjeux + organisations;
    assert!(
        stdout.contains(&format!(": {pages} pages, ")),
        "expected {pages} pages: {stdout}"
    );
    let html_files = common::tree(&public)
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(html_files, pages);
}
