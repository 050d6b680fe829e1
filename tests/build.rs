//! Fixture sites built through the real binary: the pages exist and say what they should.

mod common;

use common::{Site, plain, tree};

#[test]
fn the_valid_fixture_builds_every_kind_of_page() {
    let site = Site::fixture("valide");
    let out = site.fiches(&["build"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8(out.stdout).unwrap();
    assert!(summary.contains("pages"), "{summary}");
    for page in [
        "index.html",
        "404.html",
        "style.css",
        "villes/index.html",
        "villes/levis/index.html",
        "villes/saint-jean-sur-richelieu/index.html",
        "secteurs/index.html",
        "secteurs/aines/index.html",
        "secteurs/reprise/index.html",
        "enjeux/index.html",
        "enjeux/vitalite-des-collectivites/index.html",
        "organismes/index.html",
        "organismes/chantier-de-l-economie-sociale/index.html",
    ] {
        assert!(site.path("public").join(page).is_file(), "missing {page}");
    }
}

/// The entries of the main navigation that say they are the current page
/// (`aria-current="page"`), by their text.
fn current_in_navigation(html: &str) -> Vec<&str> {
    let start = html
        .find("aria-label=\"Navigation principale\"")
        .expect("navigation");
    let nav = &html[start..start + html[start..].find("</nav>").expect("end of navigation")];
    nav.split("</a>")
        .filter(|entry| entry.contains("aria-current=\"page\""))
        .map(|entry| &entry[entry.rfind('>').unwrap() + 1..])
        .collect()
}

#[test]
fn the_navigation_marks_the_section_of_the_page_and_no_other() {
    let site = Site::fixture("valide");
    assert!(site.fiches(&["build"]).status.success());
    for (page, current) in [
        ("index.html", None),
        ("404.html", None),
        ("villes/index.html", Some("Villes")),
        ("villes/levis/index.html", Some("Villes")),
        ("secteurs/aines/index.html", Some("Secteurs")),
        ("enjeux/index.html", Some("Enjeux")),
        (
            "enjeux/vitalite-des-collectivites/index.html",
            Some("Enjeux"),
        ),
        (
            "organismes/chantier-de-l-economie-sociale/index.html",
            Some("Organismes"),
        ),
        ("donnees/index.html", Some("Données")),
        ("recherche/index.html", Some("Recherche")),
    ] {
        let html = site.read(&format!("public/{page}"));
        assert_eq!(
            current_in_navigation(&html),
            Vec::from_iter(current),
            "{page}"
        );
    }
}

#[test]
fn a_city_page_uses_french_number_formats_and_sanitises_html() {
    let site = Site::fixture("valide");
    assert!(site.fiches(&["build"]).status.success());
    let html = site.read("public/villes/levis/index.html");
    assert!(
        html.contains("22\u{a0}840"),
        "grouped with a no-break space"
    );
    assert!(html.contains("2,6\u{a0}G$"));
    assert!(html.contains("15\u{a0}%"));
    assert!(html.contains("1er\u{a0}mars 2025"));
    assert!(
        html.contains("d’économie sociale"),
        "typographic apostrophe"
    );
    assert!(
        !html.contains("<script>alert"),
        "raw HTML from content is stripped"
    );
    assert!(html.contains("mailto:info@chantier.qc.ca"));
    let coming = plain(&site.read("public/villes/saint-jean-sur-richelieu/index.html"));
    assert!(coming.contains("est à venir"));
}

#[test]
fn spellings_of_one_organisation_make_one_page_listing_every_role() {
    let site = Site::fixture("valide");
    assert!(site.fiches(&["build"]).status.success());
    let orgs: Vec<_> = std::fs::read_dir(site.path("public/organismes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("chantier"))
        .collect();
    assert_eq!(orgs, ["chantier-de-l-economie-sociale"]);
    let page = plain(&site.read("public/organismes/chantier-de-l-economie-sociale/index.html"));
    assert!(
        page.contains("Organisme porteur</span> <a href=\"/secteurs/aines/\">"),
        "{page}"
    );
    assert!(
        page.contains("Partenaire initial</span> <a href=\"/secteurs/reprise/\">"),
        "{page}"
    );
    assert!(
        page.contains("Partenaire clé</span> <a href=\"/villes/levis/\">"),
        "{page}"
    );
    assert!(page.contains("(Milieu coopératif)"));
    let cqcm = plain(&site.read(
        "public/organismes/conseil-quebecois-de-la-cooperation-et-de-la-mutualite/index.html",
    ));
    assert!(cqcm.contains("(CQCM)"), "acronym kept from the mention");
}

#[test]
fn the_organisations_index_counts_the_mentions_each_page_lists() {
    let site = Site::fixture("valide");
    assert!(site.fiches(&["build"]).status.success());
    let index = plain(&site.read("public/organismes/index.html"));
    for slug in [
        "chantier-de-l-economie-sociale",
        "conseil-quebecois-de-la-cooperation-et-de-la-mutualite",
    ] {
        let page = site.read(&format!("public/organismes/{slug}/index.html"));
        let listed = page.matches("<span class=\"role role-").count();
        assert!(listed > 0, "{slug} has mentions");
        let plural = if listed > 1 { "s" } else { "" };
        let item = index
            .split("<li>")
            .find(|li| li.contains(&format!("href=\"/organismes/{slug}/\"")))
            .unwrap_or_else(|| panic!("{slug} listed in {index}"));
        assert!(
            item.contains(&format!("{listed} mention{plural}</span>")),
            "{slug}: {listed} mentions on its page, index says {item}"
        );
    }
}

#[test]
fn an_issue_page_lists_its_projects_and_cities() {
    let site = Site::fixture("valide");
    assert!(site.fiches(&["build"]).status.success());
    let page = site.read("public/enjeux/vitalite-des-collectivites/index.html");
    assert!(page.contains("href=\"/secteurs/aines/\""));
    assert!(page.contains("href=\"/villes/levis/\""));
    assert!(!page.contains("href=\"/secteurs/reprise/\""));
}

#[test]
fn the_shipped_content_builds_the_quebec_fiche_whole() {
    let site = Site::shipped();
    site.build();
    let quebec = plain(&site.read("public/villes/quebec/index.html"));
    for text in [
        "1 103",
        "22 840",
        "2,6 G$",
        "portrait Pôle CN, 2023",
        "Des efforts pour adapter les programmes",
        "Complémentarité des actions pour l’économie sociale",
        "Force distinctive",
        "API-Enfance",
        "Coop Carbone",
        "direction@polecn.org",
        "igilbert@cdec.quebec",
        "gestion@maison.coop",
        "fonds-emprunt.qc.ca",
    ] {
        assert!(quebec.contains(text), "Québec fiche lacks {text:?}");
    }
    assert_eq!(quebec.matches("class=lever>").count(), 7, "seven levers");
    let sectors = std::fs::read_dir(site.path("public/secteurs"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(sectors, 12);
    let cities = std::fs::read_dir(site.path("public/villes"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(cities, 8);
}

#[test]
fn the_chantier_page_lists_every_project_it_leads_or_partners() {
    let site = Site::shipped();
    assert!(site.fiches(&["build"]).status.success());
    let page = site.read("public/organismes/chantier-de-l-economie-sociale/index.html");
    let mut expected = Vec::new();
    for entry in std::fs::read_dir(site.path("content/secteurs")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap().replace('\'', "’");
        if text.contains("Chantier de l’économie sociale") {
            expected.push(path.file_stem().unwrap().to_str().unwrap().to_string());
        }
    }
    assert!(expected.len() >= 5, "{expected:?}");
    for slug in expected {
        assert!(
            page.contains(&format!("href=\"/secteurs/{slug}/\"")),
            "missing {slug}"
        );
    }
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = Site::shipped();
    assert!(site.fiches(&["build", "--out", "a"]).status.success());
    assert!(site.fiches(&["build", "--out", "b"]).status.success());
    let a = tree(&site.path("a"));
    let b = tree(&site.path("b"));
    assert!(a.len() > 100);
    assert_eq!(a, b);
}

#[test]
fn a_failing_build_leaves_the_previous_output_untouched() {
    let site = Site::fixture("valide");
    assert!(site.fiches(&["build"]).status.success());
    let before = tree(&site.path("public"));
    site.write("content/villes/levis.yaml", "ville: \"Lévis\"\ndefi: []\n");
    site.build_fails();
    assert_eq!(tree(&site.path("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_editors_hidden_lock_and_swap_files_are_not_fiches() {
    let site = Site::fixture("valide");
    // Emacs' lock file and vim's swap file, beside the fiche being edited.
    site.write("content/villes/.#levis.yaml", "utilisateur@poste.1234");
    site.write("content/villes/.levis.yaml.swp", "\u{0}\u{1}binaire");
    site.build();
    assert!(!site.path("public/villes/.#levis").exists());
}

#[test]
fn check_writes_nothing() {
    let site = Site::fixture("valide");
    let out = site.fiches(&["check"]);
    assert!(out.status.success());
    assert!(!site.path("public").exists());
}

#[test]
fn usage_errors_exit_with_2() {
    let site = Site::fixture("valide");
    assert_eq!(site.fiches(&["construire"]).status.code(), Some(2));
}

#[test]
fn a_dangling_internal_link_in_content_is_a_located_error() {
    let site = Site::fixture("valide");
    let body = site
        .read("content/secteurs/aines.md")
        .replace("/villes/levis/", "/villes/leviss/");
    site.write("content/secteurs/aines.md", &body);
    let err = site.check_fails();
    assert_eq!(
        err,
        "erreur : lien interne brisé vers `/villes/leviss/` (page secteurs/aines/index.html)
  --> content/secteurs/aines.md:18:32
   |
18 | Voir aussi la [fiche de Lévis](/villes/leviss/).
   |                                ^^^^^^^^^^^^^^^
   = aide : cette page n’existe pas : vérifiez l’adresse (ex. `/villes/quebec/`), ou retirez le lien

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
    // The same in English, but for the editor's own line.
    let out = site.fiches(&["--lang", "en", "build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: broken internal link to `/villes/leviss/` (page secteurs/aines/index.html)
  --> content/secteurs/aines.md:18:32
   |
18 | Voir aussi la [fiche de Lévis](/villes/leviss/).
   |                                ^^^^^^^^^^^^^^^
   = help: this page does not exist: check the address (e.g. `/villes/quebec/`), or remove the link

1 error and 0 warnings in 1 file; nothing was written.
"
    );
}

/// The memory of a stage is read where Linux tells it.
#[cfg(target_os = "linux")]
#[test]
fn timings_give_each_stage_its_wall_time_memory_and_processor_time() {
    let site = Site::fixture("valide");
    let build = |timings: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_fiches"));
        command.arg("-C").arg(site.path("")).arg("build");
        if timings {
            command.env("FICHES_TIMINGS", "1");
        } else {
            command.env_remove("FICHES_TIMINGS");
        }
        let out = command.output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    let err = build(true);
    for stage in ["lecture", "modèle et avertissements", "gabarits", "pages"] {
        let line = (err.lines())
            .find(|l| l.trim_start().starts_with(stage))
            .unwrap_or_else(|| panic!("no line for {stage}: {err}"));
        let words: Vec<&str> = line[line.find(stage).unwrap() + stage.len()..]
            .split_whitespace()
            .collect();
        // `12.3 ms 8 Mio 10 ms CPU ×0.8`
        assert!(
            words[0].parse::<f64>().is_ok() && words[1] == "ms",
            "{line}"
        );
        assert!(
            words[2].parse::<u64>().unwrap() > 0 && words[3] == "Mio",
            "{line}"
        );
        assert!(
            words[4].parse::<u64>().is_ok() && words[5..7] == ["ms", "CPU"],
            "{line}"
        );
        let busy: f64 = words[7].strip_prefix('×').unwrap().parse().unwrap();
        assert!(busy >= 0.0, "{line}");
    }
    let quiet = build(false);
    assert!(
        !quiet.contains("Mio") && !quiet.contains("gabarit"),
        "{quiet}"
    );
}

/// With the timings, what each template's pages cost: one line per template that made
/// pages, with as many pages as the build wrote of it.
#[test]
fn timings_give_each_template_its_pages_time_and_size() {
    let site = Site::fixture("valide");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fiches"))
        .arg("-C")
        .arg(site.path(""))
        .arg("build")
        .env("FICHES_TIMINGS", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let header = (err
        .lines()
        .position(|l| l.split_whitespace().next() == Some("gabarit")))
    .unwrap_or_else(|| panic!("no table of templates: {err}"));
    let rows: Vec<Vec<&str>> = (err.lines().skip(header + 1))
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .take_while(|w| w.first().is_some_and(|t| t.ends_with(".html")))
        .collect();
    let pages = |template: &str| {
        let row = (rows.iter().find(|r| r[0] == template))
            .unwrap_or_else(|| panic!("no line for {template}: {err}"));
        // `ville.html 2 0.4 ms 180.2 µs 12.5 Kio`
        assert!(row[2].parse::<f64>().is_ok() && row[3] == "ms", "{row:?}");
        assert!(matches!(row[5], "µs" | "ms") && row[7] == "Kio", "{row:?}");
        assert!(
            row[6].parse::<f64>().unwrap() > 0.0,
            "a page has a size: {row:?}"
        );
        row[1].parse::<usize>().unwrap()
    };
    let written = |section: &str| {
        (std::fs::read_dir(site.path("public").join(section)).unwrap())
            .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
            .count()
    };
    assert_eq!(pages("ville.html"), written("villes"));
    assert_eq!(pages("secteur.html"), written("secteurs"));
    assert_eq!(pages("organisme.html"), written("organismes"));
    assert_eq!(pages("villes.html"), 1);
    // The items of the lists, rendered alone, under their partial.
    assert_eq!(pages("partials/carte-ville.html"), written("villes"));
    assert_eq!(
        pages("partials/ligne-organisme.html"),
        written("organismes")
    );
    // The costliest first.
    let times: Vec<f64> = rows.iter().map(|r| r[2].parse().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "{err}");
}
