//! The JSON Schemas: generated from the content types, kept in `schemas/`, published by
//! the build, pointed to by every shipped fiche, and checked with an independent
//! validator (`check-jsonschema`, which `.ci/run` installs) against the shipped content
//! and against typical mistakes that `fiches check` rejects too.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Site;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_committed_schemas_are_the_generated_ones() {
    for (path, bytes) in fiches::schema::files() {
        let committed = std::fs::read(repo().join(&path)).unwrap_or_default();
        assert!(
            committed == bytes,
            "{path} is stale: run `cargo run -- schema` and commit the result"
        );
    }
}

#[test]
fn the_build_publishes_the_schemas() {
    let site = Site::fixture("valide");
    let out = site.fiches(&["build"]);
    assert_eq!(out.status.code(), Some(0));
    for name in ["ville", "secteur", "organismes", "enjeux", "site"] {
        let text = site.read(&format!("public/schemas/{name}.schema.json"));
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(schema["$schema"].as_str().unwrap().contains("2020-12"));
    }
    let ville = site.read("public/schemas/ville.schema.json");
    assert!(ville.contains("Nom de la ville, tel qu’il s’affiche"));
    assert!(ville.contains("\"additionalProperties\": false"));
}

/// Every field of every schema has a description, in French.
#[test]
fn every_field_is_described() {
    fn walk(v: &serde_json::Value, at: &str, missing: &mut Vec<String>) {
        if let Some(props) = v.get("properties").and_then(|p| p.as_object()) {
            for (k, p) in props {
                if p.get("description").and_then(|d| d.as_str()).is_none() {
                    missing.push(format!("{at}.{k}"));
                }
            }
        }
        if let Some(obj) = v.as_object() {
            for (k, child) in obj {
                walk(child, &format!("{at}/{k}"), missing);
            }
        }
    }
    let mut missing = Vec::new();
    for (name, schema) in fiches::schema::schemas() {
        walk(&serde_json::to_value(&schema).unwrap(), name, &mut missing);
    }
    assert!(
        missing.is_empty(),
        "fields without a description: {missing:?}"
    );
}

#[test]
fn every_shipped_content_file_names_its_schema() {
    let mut files = vec![(repo().join("site.yaml"), "schemas/site.schema.json")];
    for entry in walkdir::WalkDir::new(repo().join("content")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let p = entry.path().to_path_buf();
        let schema = match p.parent().unwrap().file_name().unwrap().to_str().unwrap() {
            "villes" => "../../schemas/ville.schema.json",
            "secteurs" => "../../schemas/secteur.schema.json",
            _ if p.ends_with("organismes.yaml") => "../schemas/organismes.schema.json",
            _ if p.ends_with("enjeux.yaml") => "../schemas/enjeux.schema.json",
            other => panic!("unexpected content file {} in {other}", p.display()),
        };
        files.push((p, schema));
    }
    for (path, schema) in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let line = format!("# yaml-language-server: $schema={schema}\n");
        let ok = if path.extension().is_some_and(|e| e == "md") {
            text.starts_with(&format!("---\n{line}"))
        } else {
            text.starts_with(&line)
        };
        assert!(ok, "{} does not begin with {line}", path.display());
        // And the path it names exists.
        assert!(path.parent().unwrap().join(schema).is_file());
    }
}

/// The validator: `FICHES_CHECK_JSONSCHEMA`, the one `.ci/run` installs under `target/`,
/// or one on the PATH.
fn validator() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("FICHES_CHECK_JSONSCHEMA") {
        return Some(PathBuf::from(p));
    }
    let local = repo().join("target/pyenv/bin/check-jsonschema");
    if local.is_file() {
        return Some(local);
    }
    Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| PathBuf::from("check-jsonschema"))
}

/// The validator, or `None` with a clear message when it is absent locally. On CI it must
/// be there.
fn validator_or_skip() -> Option<PathBuf> {
    let v = validator();
    if v.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "check-jsonschema is missing on CI: .ci/run must install it"
        );
        eprintln!(
            "SKIPPED: check-jsonschema is not installed; run `bash .ci/run` once, or \
             `python3 -m venv target/pyenv && target/pyenv/bin/pip install check-jsonschema`"
        );
    }
    v
}

/// The YAML of a fiche: the file itself, or a Markdown file's front matter.
fn yaml_of(path: &Path, scratch: &Path) -> PathBuf {
    if path.extension().is_none_or(|e| e != "md") {
        return path.to_path_buf();
    }
    let text = std::fs::read_to_string(path).unwrap();
    let front = text
        .strip_prefix("---\n")
        .and_then(|t| t.split("\n---\n").next())
        .unwrap_or_else(|| panic!("{} has no front matter", path.display()));
    let dest = scratch.join(format!(
        "{}.yaml",
        path.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::write(&dest, format!("{front}\n")).unwrap();
    dest
}

fn validate(validator: &Path, schema: &str, files: &[PathBuf]) -> (bool, String) {
    let out = Command::new(validator)
        .arg("--schemafile")
        .arg(repo().join("schemas").join(schema))
        .args(files)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn the_shipped_content_is_valid_against_the_schemas() {
    let Some(v) = validator_or_skip() else {
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let content = repo().join("content");
    let groups: Vec<(&str, Vec<PathBuf>)> = vec![
        ("ville.schema.json", files_in(&content.join("villes"))),
        (
            "secteur.schema.json",
            files_in(&content.join("secteurs"))
                .iter()
                .map(|p| yaml_of(p, scratch.path()))
                .collect(),
        ),
        (
            "organismes.schema.json",
            vec![content.join("organismes.yaml")],
        ),
        ("enjeux.schema.json", vec![content.join("enjeux.yaml")]),
        ("site.schema.json", vec![repo().join("site.yaml")]),
    ];
    for (schema, files) in groups {
        assert!(!files.is_empty());
        let (ok, text) = validate(&v, schema, &files);
        assert!(ok, "{schema}: {text}");
    }
}

/// A few typical mistakes: the schema rejects what `fiches check` rejects.
#[test]
fn the_schemas_reject_what_check_rejects() {
    let Some(v) = validator_or_skip() else {
        return;
    };
    let valid =
        std::fs::read_to_string(repo().join("tests/sites/valide/content/villes/levis.yaml"))
            .unwrap();
    let mistakes: [(&str, String); 5] = [
        ("unknown key", valid.replace("\ndefis:", "\ndefi:")),
        (
            "wrong type",
            valid.replacen("annee: 2023", "annee: \"deux mille\"", 1),
        ),
        (
            "a list written as text",
            valid.replace(
                "defis:\n  - \"Faire connaître les programmes\"",
                "defis: \"Faire connaître les programmes\"",
            ),
        ),
        (
            "missing required field",
            valid.replace("ville: \"Lévis\"\n", ""),
        ),
        (
            "unknown status",
            valid.replace("ville: \"Lévis\"\n", "ville: \"Lévis\"\nstatut: publie\n"),
        ),
    ];
    for (what, text) in mistakes {
        assert_ne!(text, valid, "{what}: the edit changed nothing");
        let site = Site::fixture("valide");
        site.write("content/villes/levis.yaml", &text);
        assert_eq!(site.fiches(&["check"]).status.code(), Some(1), "{what}");
        let (ok, out) = validate(
            &v,
            "ville.schema.json",
            &[site.path("content/villes/levis.yaml")],
        );
        assert!(!ok, "the schema accepts a file with a {what}: {out}");
    }

    let sector =
        std::fs::read_to_string(repo().join("tests/sites/valide/content/secteurs/aines.md"))
            .unwrap();
    let site = Site::fixture("valide");
    let broken = sector.replace("organisme_porteur:", "porteur:");
    assert_ne!(broken, sector);
    site.write("content/secteurs/aines.md", &broken);
    assert_eq!(site.fiches(&["check"]).status.code(), Some(1));
    let scratch = tempfile::tempdir().unwrap();
    let yaml = yaml_of(&site.path("content/secteurs/aines.md"), scratch.path());
    let (ok, out) = validate(&v, "secteur.schema.json", &[yaml]);
    assert!(!ok, "the schema accepts a project without a lead: {out}");
}

/// What `fiches new` writes validates too.
#[test]
fn the_scaffolds_are_valid_against_the_schemas() {
    let Some(v) = validator_or_skip() else {
        return;
    };
    let site = Site::fixture("valide");
    assert!(site.fiches(&["new", "ville", "Granby"]).status.success());
    assert!(site.fiches(&["new", "secteur", "Culture"]).status.success());
    let (ok, out) = validate(
        &v,
        "ville.schema.json",
        &[site.path("content/villes/granby.yaml")],
    );
    assert!(ok, "{out}");
    let scratch = tempfile::tempdir().unwrap();
    let yaml = yaml_of(&site.path("content/secteurs/culture.md"), scratch.path());
    let (ok, out) = validate(&v, "secteur.schema.json", &[yaml]);
    assert!(ok, "{out}");
}
