//! The editors' guide cannot go stale: every ```yaml or ```markdown block of
//! `docs/guide.md` follows a marker saying what it is, and is checked with fiches.
//!
//! - `<!-- fiche : PATH -->`: the block, written at PATH in the test site, passes `fiches check`;
//! - `<!-- erreur : PATH -->`: it fails, and the ```text block that follows is exactly
//!   what `fiches check` prints for it (the summary line aside);
//! - `<!-- extrait -->`: a fragment shown for reading, not checked.
//!
//! Add ` (site livré)` after PATH to use the shipped site, which has registries.

mod common;

use common::Site;

struct Example {
    kind: String,
    path: String,
    shipped: bool,
    code: String,
    expected: Option<String>,
    line: usize,
}

fn examples() -> Vec<Example> {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guide.md")).unwrap();
    let lines: Vec<&str> = guide.lines().collect();
    let mut out: Vec<Example> = Vec::new();
    let mut marker: Option<(String, String, bool)> = None;
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i].trim();
        if let Some(m) = l.strip_prefix("<!--").and_then(|m| m.strip_suffix("-->")) {
            let m = m.trim();
            marker = Some(match m.split_once(" : ") {
                Some((k, p)) => {
                    let shipped = p.ends_with("(site livré)");
                    let p = p.trim_end_matches("(site livré)").trim();
                    (k.trim().to_string(), p.to_string(), shipped)
                }
                None => (m.to_string(), String::new(), false),
            });
        } else if let Some(lang) = l.strip_prefix("```").filter(|s| !s.is_empty()) {
            let start = i + 1;
            let mut end = start;
            while !lines[end].trim_start().starts_with("```") {
                end += 1;
            }
            let code = lines[start..end].join("\n") + "\n";
            if lang == "text" {
                if let Some(last) = out
                    .last_mut()
                    .filter(|e| e.kind == "erreur" && e.expected.is_none())
                {
                    last.expected = Some(code);
                }
            } else if lang == "yaml" || lang == "markdown" {
                let (kind, path, shipped) = marker.take().unwrap_or_else(|| {
                    panic!("docs/guide.md:{}: a ```{lang} block without a marker (fiche, erreur or extrait)", i + 1)
                });
                out.push(Example {
                    kind,
                    path,
                    shipped,
                    code,
                    expected: None,
                    line: i + 1,
                });
            }
            i = end;
        }
        i += 1;
    }
    out
}

#[test]
fn the_guides_examples_say_what_fiches_does() {
    let all = examples();
    assert!(all.iter().filter(|e| e.kind == "fiche").count() >= 4);
    assert!(all.iter().filter(|e| e.kind == "erreur").count() >= 10);
    let print = std::env::var_os("FICHES_GUIDE_PRINT").is_some();
    let mut failures = Vec::new();
    for ex in all.iter().filter(|e| e.kind != "extrait") {
        assert!(
            ex.kind == "fiche" || ex.kind == "erreur",
            "docs/guide.md:{}: unknown marker {}",
            ex.line,
            ex.kind
        );
        let site = if ex.shipped {
            Site::shipped()
        } else {
            Site::fixture("valide")
        };
        site.write(&ex.path, &ex.code);
        let out = site.fiches(&["check"]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let shown: String = stderr
            .lines()
            .filter(|l| !l.ends_with("rien n’a été écrit."))
            .map(|l| format!("{l}\n"))
            .collect();
        let shown = shown.trim_end().to_string() + "\n";
        if print {
            eprintln!("== docs/guide.md:{} {}\n{shown}", ex.line, ex.path);
        }
        match ex.kind.as_str() {
            "fiche" if !out.status.success() => failures.push(format!(
                "docs/guide.md:{}: the example fails:\n{stderr}",
                ex.line
            )),
            "erreur" if out.status.success() => {
                failures.push(format!("docs/guide.md:{}: the mistake passes", ex.line))
            }
            "erreur" => match &ex.expected {
                Some(text) if *text == shown => {}
                Some(text) => failures.push(format!(
                    "docs/guide.md:{}: the guide says\n{text}but fiches says\n{shown}",
                    ex.line
                )),
                None => failures.push(format!(
                    "docs/guide.md:{}: no ```text block with the message",
                    ex.line
                )),
            },
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
