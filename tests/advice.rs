//! Warnings that teach: they do not fail a build unless `--strict`, and each kind has its
//! exact text, in French and, for the common ones, in English.

mod common;

use common::Site;

fn run(site: &Site, args: &[&str]) -> (Option<i32>, String) {
    let out = site.fiches(args);
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn near_duplicate_organisations_without_a_registry() {
    let site = Site::fixture("valide");
    let text = site.read("content/secteurs/reprise.md");
    site.write(
        "content/secteurs/reprise.md",
        &text.replace(
            "      - \"CHANTIER DE L'ECONOMIE SOCIALE\"",
            "      - \"CHANTIER DE L'ECONOMIE SOCIALE\"\n      - \"Conseil québécois de la coopération et de la mutualité du Québec\"",
        ),
    );
    let (code, err) = run(&site, &["check"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        err,
        "avertissement : organismes presque identiques : « Conseil québécois de la coopération et de la mutualité du Québec » et « Conseil québécois de la coopération et de la mutualité (CQCM) » (content/secteurs/aines.md:8)
  --> content/secteurs/reprise.md:11:9
   |
11 |       - \"Conseil québécois de la coopération et de la mutualité du Québec\"
   |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = aide : s’il s’agit du même organisme, écrivez son nom de la même façon partout ; sinon, ou pour garder les deux graphies, créez `content/organismes.yaml` avec l’une dans `alias`

"
    );

    // A registry settles it: no more guessing.
    site.write(
        "content/organismes.yaml",
        "- nom: \"Conseil québécois de la coopération et de la mutualité\"\n  alias: [\"Conseil québécois de la coopération et de la mutualité du Québec\"]\n- nom: \"Chantier de l’économie sociale\"\n",
    );
    let (code, err) = run(&site, &["check"]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
}

#[test]
fn old_figures_against_the_newest_update_in_the_content() {
    let site = Site::fixture("valide");
    let text = site.read("content/villes/levis.yaml");
    site.write(
        "content/villes/levis.yaml",
        &text.replacen("annee: 2023", "annee: 2018", 1),
    );
    // The newest `mise_a_jour` is 2025-03-01: 2018 is more than five years before 2025.
    let (code, err) = run(&site, &["check"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        err,
        "avertissement : chiffre ancien : « 22 840 emplois » vient d’une source de 2018, plus de 5 ans avant 2025
 --> content/villes/levis.yaml:5:5
  |
5 |   - valeur: 22840
  |     ^^^^^^
  = aide : cherchez une source plus récente et mettez à jour `valeur`, `source` et `annee` ; sinon, le chiffre reste affiché avec son année

"
    );
}

#[test]
fn fiches_not_updated_for_two_years_against_a_given_reference() {
    let site = Site::fixture("valide");
    let expected = "avertissement : fiche non mise à jour depuis plus de 2 ans (le 2025-03-01, référence : 2028-01-01)
 --> content/villes/levis.yaml:3:14
  |
3 | mise_a_jour: 2025-03-01
  |              ^^^^^^^^^^
  = aide : relisez la fiche, corrigez ce qui a changé, puis mettez `mise_a_jour` à la date du jour

";
    let (code, err) = run(&site, &["check", "--annee-reference", "2028"]);
    assert_eq!(code, Some(0));
    assert_eq!(err, expected);
    // The same reference from the environment.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fiches"))
        .args(["-C", site.path("").to_str().unwrap(), "check"])
        .env("FICHES_ANNEE_REFERENCE", "2028")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stderr).unwrap(), expected);
    // Not yet two years: nothing to say.
    let (_, err) = run(&site, &["check", "--annee-reference", "2027-03-01"]);
    assert_eq!(err, "");
    // A reference that is not a year is a usage error.
    let (code, err) = run(&site, &["check", "--annee-reference", "bientôt"]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn strict_makes_warnings_fail_and_writes_nothing() {
    let site = Site::fixture("valide");
    let (code, err) = run(&site, &["build", "--strict", "--annee-reference", "2028"]);
    assert_eq!(code, Some(1));
    assert!(
        err.ends_with("0 erreur et 1 avertissement dans 1 fichier ; rien n’a été écrit.\n"),
        "{err}"
    );
    assert!(!site.path("public").exists());
    let (code, _) = run(&site, &["build", "--strict"]);
    assert_eq!(code, Some(0));
}

#[test]
fn messages_in_english() {
    let site = Site::fixture("valide");
    let text = site.read("content/villes/levis.yaml");
    site.write(
        "content/villes/levis.yaml",
        &text.replace("\ndefis:", "\ndefi:"),
    );
    let (code, err) = run(&site, &["check", "--lang", "en"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "error: unknown field `defi`
  --> content/villes/levis.yaml:22:1
   |
22 | defi:
   | ^^^^
   = help: did you mean `defis`?

1 error and 0 warnings in 1 file; nothing was written.
"
    );
    site.write("content/villes/levis.yaml", &text);
    let out = site.fiches(&["--lang", "en", "check", "--annee-reference", "2028"]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("warning: fiche not updated for more than 2 years (on 2025-03-01, reference: 2028-01-01)\n"), "{err}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("Site checked: ")
    );
}
