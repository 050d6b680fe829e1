//! The CI recipes offered to users (`docs/ci/`) run commands that work: every shell line
//! of every job, install lines aside, runs against a copy of the shipped site with this
//! `fiches` on the PATH, and the site is built into `public/`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Site;
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_recipe(name: &str) -> Value {
    let text = std::fs::read_to_string(repo().join("docs/ci").join(name)).unwrap();
    fiches::yaml::parse_loose::<Value>(&text).unwrap_or_else(|| panic!("{name} is not YAML"))
}

/// The shell lines of a recipe, in order: GitHub's `run:` steps, GitLab's scripts.
fn shell_lines(recipe: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    let mut push = |v: &Value| match v {
        Value::String(s) => lines.extend(s.lines().map(str::to_string)),
        Value::Array(items) => {
            for i in items {
                if let Some(s) = i.as_str() {
                    lines.push(s.to_string());
                }
            }
        }
        _ => {}
    };
    if let Some(jobs) = recipe.get("jobs").and_then(Value::as_object) {
        for job in jobs.values() {
            for step in job["steps"].as_array().into_iter().flatten() {
                if let Some(run) = step.get("run") {
                    push(run);
                }
            }
        }
    } else if let Some(map) = recipe.as_object() {
        if let Some(before) = map.get("default").and_then(|d| d.get("before_script")) {
            push(before);
        }
        for job in map.values() {
            if let Some(script) = job.get("script") {
                push(script);
            }
        }
    }
    lines.retain(|l| !l.trim().is_empty());
    lines
}

fn validator_dir() -> Option<PathBuf> {
    std::env::var("FICHES_CHECK_JSONSCHEMA")
        .ok()
        .map(PathBuf::from)
        .or_else(|| Some(repo().join("target/pyenv/bin/check-jsonschema")))
        .filter(|p| p.is_file())
        .and_then(|p| p.parent().map(Path::to_path_buf))
}

fn run_recipe(name: &str) {
    let recipe = read_recipe(name);
    let lines = shell_lines(&recipe);
    assert!(
        lines.iter().any(|l| l.trim() == "fiches check"),
        "{name}: no `fiches check`"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.trim() == "fiches build --out public"),
        "{name}: no `fiches build`"
    );
    let validator = validator_dir();
    if validator.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "check-jsonschema is missing on CI"
        );
        eprintln!("SKIPPED in {name}: the check-jsonschema lines (validator not installed)");
    }
    let site = Site::shipped();
    let bin = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_fiches"), bin.path().join("fiches")).unwrap();
    let mut path = bin.path().as_os_str().to_owned();
    if let Some(v) = &validator {
        path.push(":");
        path.push(v);
    }
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());

    let mut script = String::from("set -eo pipefail\n");
    for line in &lines {
        let install = ["cargo install", "pip install", "apt-get"]
            .iter()
            .any(|w| line.contains(w));
        let needs_validator = line.contains("check-jsonschema");
        if install || (needs_validator && validator.is_none()) {
            continue;
        }
        script.push_str(line);
        script.push('\n');
    }
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(site.path(""))
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}:\n{script}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.path("public/index.html").is_file());
    assert!(site.path("public/schemas/ville.schema.json").is_file());
}

#[test]
fn the_github_actions_recipe_runs() {
    run_recipe("github-actions.yml");
}

#[test]
fn the_gitlab_recipe_runs() {
    run_recipe("gitlab-ci.yml");
}
