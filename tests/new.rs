//! `fiches new`: the scaffolds pass `fiches check` as they are, with the right slug, and
//! an existing fiche is never overwritten.

mod common;

use common::Site;

fn ok(out: &std::process::Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn a_new_city_is_named_by_its_slug_and_passes_check() {
    let site = Site::fixture("valide");
    std::fs::remove_file(site.path("content/villes/saint-jean-sur-richelieu.yaml")).unwrap();
    let out = site.fiches(&["new", "ville", "Saint-Jean-sur-Richelieu"]);
    let stdout = ok(&out);
    assert!(
        stdout.starts_with("Fiche créée : content/villes/saint-jean-sur-richelieu.yaml\n"),
        "{stdout}"
    );
    let text = site.read("content/villes/saint-jean-sur-richelieu.yaml");
    assert!(text.starts_with("# yaml-language-server: $schema=../../schemas/ville.schema.json\n"));
    assert!(text.contains("\nville: \"Saint-Jean-sur-Richelieu\"\n"));
    // Every field of a city portrait is there, to fill or to uncomment.
    for field in [
        "ville:",
        "region:",
        "territoire:",
        "statut:",
        "mise_a_jour:",
        "chiffres:",
        "valeur:",
        "unite:",
        "libelle:",
        "source:",
        "annee:",
        "leviers:",
        "titre:",
        "texte:",
        "force_distinctive:",
        "defis:",
        "partenariats:",
        "partenaires_cles:",
        "sigle:",
        "courriel:",
        "site:",
        "enjeux:",
        "contact:",
        "telephone:",
        "sources:",
        "description:",
    ] {
        assert!(text.contains(field), "{field} missing from the scaffold");
    }
    ok(&site.fiches(&["check"]));
    ok(&site.fiches(&["build"]));
    assert!(
        site.read("public/villes/saint-jean-sur-richelieu/index.html")
            .contains("Saint-Jean-sur-Richelieu")
    );
}

#[test]
fn a_new_city_with_its_optional_fields_uncommented_still_passes_check() {
    let site = Site::fixture("valide");
    ok(&site.fiches(&["new", "ville", "L'Érable"]));
    let rel = "content/villes/l-erable.yaml";
    // Uncomment every example: what an editor does field by field.
    let text: String = site
        .read(rel)
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if !rest.starts_with(' ') && looks_like_yaml(rest) => rest.to_string(),
            Some(rest) if rest.starts_with("  ") => rest.to_string(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    site.write(rel, &text);
    ok(&site.fiches(&["check"]));
}

fn looks_like_yaml(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(k, _)| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

#[test]
fn a_new_sector_is_markdown_and_passes_check_with_or_without_a_registry() {
    let site = Site::fixture("valide");
    let stdout = ok(&site.fiches(&["new", "secteur", "Économie circulaire des textiles"]));
    assert!(stdout.contains("content/secteurs/economie-circulaire-des-textiles.md"));
    let text = site.read("content/secteurs/economie-circulaire-des-textiles.md");
    assert!(
        text.starts_with(
            "---\n# yaml-language-server: $schema=../../schemas/secteur.schema.json\n"
        )
    );
    for field in [
        "titre:",
        "ordre:",
        "region:",
        "enjeux:",
        "organisme_porteur:",
        "partenaires:",
        "groupes_partenaires:",
        "contact:",
        "mise_a_jour:",
    ] {
        assert!(text.contains(field), "{field} missing from the scaffold");
    }
    ok(&site.fiches(&["check"]));

    // The shipped site has a registry of organisations: the lead must be one of them.
    let shipped = Site::shipped();
    ok(&shipped.fiches(&["new", "secteur", "Culture et patrimoine"]));
    ok(&shipped.fiches(&[
        "new",
        "secteur",
        "Habitation communautaire",
        "--porteur",
        "Chantier de l’économie sociale",
    ]));
    let text = shipped.read("content/secteurs/habitation-communautaire.md");
    assert!(text.contains("organisme_porteur: \"Chantier de l’économie sociale\"\n"));
    assert!(!text.contains("À VÉRIFIER"));
    ok(&shipped.fiches(&["check"]));
}

#[test]
fn an_existing_fiche_is_never_overwritten() {
    let site = Site::fixture("valide");
    let before = site.read("content/villes/levis.yaml");
    let out = site.fiches(&["new", "ville", "Lévis"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "erreur : la fiche content/villes/levis.yaml existe déjà : elle n’a pas été modifiée (modifiez-la directement, ou choisissez un autre nom)\n"
    );
    assert_eq!(site.read("content/villes/levis.yaml"), before);

    // A sector in another format holds the slug too.
    let out = site.fiches(&["new", "secteur", "Aînés"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/secteurs/aines.md existe déjà"));

    let out = site.fiches(&["new", "ville", "« »"]);
    assert_eq!(out.status.code(), Some(1));
}
