//! The site's other outputs: open data, the search index, sitemap, robots, feed, JSON-LD,
//! and charts with their tables.

mod common;

use common::{Site, plain};

fn built() -> Site {
    Site::built("valide")
}

#[test]
fn open_data_json_uses_the_content_keys() {
    let site = built();
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/donnees/fiches.json")).unwrap();
    assert_eq!(json["licence"], "CC BY 4.0");
    let levis = &json["villes"].as_array().unwrap()[0];
    assert_eq!(levis["ville"], "Lévis");
    assert_eq!(levis["url"], "https://essai.example/villes/levis/");
    assert_eq!(levis["chiffres"][1]["valeur"], 2_600_000_000.0);
    assert_eq!(levis["chiffres"][1]["unite"], "$");
    assert_eq!(levis["chiffres"][1]["annee"], 2023);
    assert_eq!(levis["mise_a_jour"], "2025-03-01");
    let sectors = json["secteurs"].as_array().unwrap();
    assert_eq!(
        sectors[0]["organisme_porteur"],
        "Chantier de l'économie sociale"
    );
    assert_eq!(
        sectors[1]["groupes_partenaires"][0]["titre"],
        "Milieu coopératif"
    );
}

#[test]
fn csv_files_start_with_a_bom_and_keep_accents() {
    let site = built();
    let bytes = std::fs::read(site.path("public/donnees/villes.csv")).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("slug,ville,region,statut,leviers,partenaires_cles,enjeux,mise_a_jour,url")
    );
    assert_eq!(
        lines.next(),
        Some(
            "levis,Lévis,Chaudière-Appalaches,publiee,1,Chantier de l'économie sociale,Vitalité des collectivités,2025-03-01,https://essai.example/villes/levis/"
        )
    );
    let figures = site.read("public/donnees/chiffres.csv");
    assert!(
        figures.contains("levis,2600000000,$,de revenus,portrait d'essai,2023\r\n"),
        "{figures}"
    );
}

#[test]
fn the_search_index_is_folded_for_accent_free_queries() {
    let site = built();
    let index: serde_json::Value =
        serde_json::from_str(&site.read("public/recherche/index.json")).unwrap();
    let entries = index.as_array().unwrap();
    let levis = entries.iter().find(|e| e["t"] == "Lévis").unwrap();
    assert_eq!(levis["u"], "/villes/levis/");
    assert!(
        levis["x"]
            .as_str()
            .unwrap()
            .contains("levis chaudiere-appalaches")
    );
    let chantier = entries
        .iter()
        .find(|e| e["k"] == "Organisme" && e["t"] == "Chantier de l'économie sociale")
        .unwrap();
    assert!(
        chantier["x"]
            .as_str()
            .unwrap()
            .contains("chantier de l'economie sociale")
    );
    let page = site.read("public/recherche/index.html");
    assert!(page.contains("<label for=q>"), "the field has a label");
    assert!(site.path("public/recherche.js").is_file());
}

#[test]
fn sitemap_robots_and_feed() {
    let site = built();
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains(
        "<url><loc>https://essai.example/villes/levis/</loc><lastmod>2025-03-01</lastmod></url>"
    ));
    assert!(!sitemap.contains("404"));
    assert_eq!(
        site.read("public/robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://essai.example/sitemap.xml\n"
    );
    let feed = site.read("public/atom.xml");
    assert!(feed.contains("<updated>2025-03-01T00:00:00Z</updated>"));
    assert!(feed.contains(
        "<entry>\n    <title>Lévis</title>\n    <id>https://essai.example/villes/levis/</id>"
    ));
    assert_eq!(feed.matches("<entry>").count(), 1, "only dated fiches");
}

#[test]
fn pages_carry_canonical_urls_open_graph_and_json_ld() {
    let site = built();
    let page = site.read("public/villes/levis/index.html");
    assert!(
        page.contains(r#"<link href="https://essai.example/villes/levis/" rel=canonical>"#),
        "{page}"
    );
    assert!(page.contains("property=og:url"));
    assert!(page.contains(r#""@type":"City""#));
    assert!(page.contains(
        r#""containedInPlace":{"@type":"AdministrativeArea","name":"Chaudière-Appalaches"}"#
    ));
    let org = site.read("public/organismes/chantier-de-l-economie-sociale/index.html");
    assert!(org.contains(r#""@type":"Organization""#));
}

/// The JSON-LD of a page, as written between its script tags.
fn json_ld(page: &str) -> &str {
    let start = page.find("<script type=application/ld+json>").expect(page) + 33;
    let end = start + page[start..].find("</script>").unwrap();
    &page[start..end]
}

#[test]
fn json_ld_is_whole_in_the_order_of_its_keys_and_cannot_close_its_script() {
    let site = Site::fixture("valide");
    let project = site.read("content/secteurs/aines.md").replace(
        "titre: \"Services aux personnes aînées\"",
        "titre: \"Services </script><script>alert(1)</script> aux aînés\"",
    );
    site.write("content/secteurs/aines.md", &project);
    site.build();
    assert_eq!(
        json_ld(&site.read("public/secteurs/aines/index.html")),
        concat!(
            r#"{"@context":"https://schema.org","@type":"Project","keywords":["Vitalité des collectivités"],"#,
            r#""name":"Services <\/script><script>alert(1)<\/script> aux aînés","#,
            r#""sponsor":{"@type":"Organization","name":"Chantier de l'économie sociale"},"#,
            r#""url":"https://essai.example/secteurs/aines/"}"#
        )
    );
    let org = "public/organismes/conseil-quebecois-de-la-cooperation-et-de-la-mutualite/index.html";
    assert_eq!(
        json_ld(&site.read(org)),
        concat!(
            r#"{"@context":"https://schema.org","@type":"Organization","alternateName":"CQCM","#,
            r#""name":"Conseil québécois de la coopération et de la mutualité","#,
            r#""url":"https://essai.example/organismes/conseil-quebecois-de-la-cooperation-et-de-la-mutualite/"}"#
        )
    );
    assert_eq!(
        json_ld(&site.read("public/villes/levis/index.html")),
        concat!(
            r#"{"@context":"https://schema.org","@type":"City","#,
            r#""containedInPlace":{"@type":"AdministrativeArea","name":"Chaudière-Appalaches"},"#,
            r#""name":"Lévis","url":"https://essai.example/villes/levis/"}"#
        )
    );
}

#[test]
fn figures_are_drawn_as_charts_with_a_table_and_a_text_alternative() {
    let site = built();
    let page = plain(&site.read("public/villes/index.html"));
    assert_eq!(
        page.matches("<svg").count(),
        3,
        "one chart per kind of figure"
    );
    // The chart is an image named by its caption; its numbers are read once, in the
    // table under it, not a second time from a description inside the SVG.
    assert!(
        page.contains(r#"<svg aria-labelledby="graphique-1-titre" "#),
        "{page}"
    );
    assert!(page.contains(r#"<figcaption id="graphique-1-titre">"#));
    assert!(page.contains("role=img"));
    assert!(!page.contains("<desc"), "{page}");
    assert!(
        page.contains("<th scope=row><a href=\"/villes/levis/\">Lévis</a></th><td>2,6 G$</td>")
    );
    let city = site.read("public/villes/levis/index.html");
    assert!(
        city.contains("class=is-current"),
        "the city's own bar is highlighted"
    );
    assert!(
        !city.contains(r#"class="""#) && !page.contains(r#"class="""#),
        "a bar that is not highlighted has no class at all: {city}"
    );
}

/// The theme's templates are minified once when loaded. A site's own template with a Tera
/// tag where minify-html could move it (here between two attributes) cannot be; its
/// pages are then minified one by one, and come out the same.
#[test]
fn pages_are_minified_whether_or_not_their_templates_could_be() {
    let site = Site::fixture("valide");
    let theme = std::fs::read_to_string(site.path("themes/default/templates/404.html")).unwrap();
    let out = site.fiches(&["build"]);
    assert!(out.status.success());
    let ahead = site.read("public/404.html");
    assert!(ahead.starts_with("<!doctype html><html lang="), "{ahead}");
    assert!(!ahead.contains("\n  <"), "indentation removed: {ahead}");

    site.write(
        "templates/404.html",
        &theme.replace(
            "<li><a href=\"{{ site.base_path }}\">Accueil</a></li>",
            "<li><a href=\"{{ site.base_path }}\"{% if site.title %} class=\"home\"{% endif %}>Accueil</a></li>",
        ),
    );
    let out = site.fiches(&["build"]);
    assert!(out.status.success());
    let after = site.read("public/404.html");
    assert!(
        after.contains("<a class=home href=/>Accueil</a>"),
        "{after}"
    );
    assert!(!after.contains("\n  <"), "indentation removed: {after}");
    let levis = site.read("public/villes/levis/index.html");
    assert!(
        levis.contains("<html lang=fr-CA>"),
        "every page minified now: {levis}"
    );
}

/// Writes Ville 1 to Ville `n`, Ville i with 1 000 + i jobs, each with `more` fields.
fn with_job_counts(site: &Site, n: usize, more: &str) {
    for i in 1..=n {
        site.write(
            &format!("content/villes/ville-{i}.yaml"),
            &format!(
                "ville: \"Ville {i}\"\n{more}chiffres:\n  - valeur: {}\n    libelle: \"emplois\"\n    source: \"essai\"\n    annee: 2023\n",
                1000 + i
            ),
        );
    }
}

/// Beyond the largest values, a city's page gives its value and rank beside a chart of
/// the largest values, the same on every such page (it is rendered once); a city among
/// them has its bar highlighted in the chart.
#[test]
fn a_city_beyond_the_largest_values_gets_its_rank_beside_the_shared_chart() {
    let site = Site::fixture("valide");
    with_job_counts(&site, 20, "");
    site.build();
    let chart = |page: &str| {
        let start = page.find("<figure class=chart>").expect("a chart");
        page[start..start + page[start..].find("</figure>").unwrap()].to_string()
    };
    let last = plain(&site.read("public/villes/ville-1/index.html"));
    assert!(
        last.contains("Ville 1 : 1 001 emplois, au 21<sup>e</sup> rang sur 21 villes."),
        "{last}"
    );
    let other = plain(&site.read("public/villes/ville-2/index.html"));
    assert!(
        other.contains("au 20<sup>e</sup> rang sur 21 villes."),
        "{other}"
    );
    assert_eq!(chart(&last), chart(&other), "one chart for both pages");
    assert!(!chart(&last).contains("is-current"));
    assert!(!chart(&last).contains(">Ville 1<"), "its bar is not drawn");
    let levis = plain(&site.read("public/villes/levis/index.html"));
    assert!(
        !levis.contains("rang sur"),
        "Lévis is among the largest values"
    );
    assert!(chart(&levis).contains("class=is-current"), "{levis}");
}

/// Cities of equal value are listed by name, accents folded (« Écully » between « Dorval »
/// and « Fleurimont »), whatever the order of their files.
#[test]
fn cities_of_equal_value_are_charted_by_name() {
    let site = Site::fixture("valide");
    for (file, name) in [
        ("a-fleurimont", "Fleurimont"),
        ("b-ecully", "Écully"),
        ("c-dorval", "Dorval"),
    ] {
        site.write(
            &format!("content/villes/{file}.yaml"),
            &format!(
                "ville: \"{name}\"\nchiffres:\n  - valeur: 500\n    libelle: \"coopératives\"\n    source: \"essai\"\n    annee: 2023\n  - valeur: 7\n    libelle: \"Coopératives\"\n    source: \"essai\"\n    annee: 2024\n"
            ),
        );
    }
    site.build();
    let page = plain(&site.read("public/villes/index.html"));
    let table = &page[page.find("<tbody>").unwrap()..page.find("</tbody>").unwrap()];
    let row = |name: &str| table.find(&format!(">{name}</a></th><td>500</td>"));
    let rows = ["Dorval", "Écully", "Fleurimont"].map(row);
    assert!(
        rows.iter().all(Option::is_some) && rows.is_sorted(),
        "{rows:?} in {table}"
    );
}

/// The lists of every city and of every organisation print each item rendered alone
/// (`city_cards_html`, `organisation_lines_html`, which the preview keeps from one edit to
/// the next): the same pages as list templates that loop over `cities` and
/// `organisations` and include the item's partial, as a site's own templates may.
#[test]
fn the_lists_are_the_same_from_items_rendered_alone_or_in_their_loop() {
    let site = Site::fixture("valide");
    with_job_counts(&site, 5, "region: \"Estrie\"\n");
    site.build();
    let lists = [
        ("villes", "city_cards_html", "city", "carte-ville"),
        (
            "organismes",
            "organisation_lines_html",
            "o",
            "ligne-organisme",
        ),
    ];
    let alone = lists.map(|(list, ..)| site.read(&format!("public/{list}/index.html")));
    assert!(alone[0].contains("Ville 5"), "{}", alone[0]);
    assert!(
        alone[1].contains("Chantier de l’économie sociale"),
        "{}",
        alone[1]
    );
    for (list, html, item, partial) in lists {
        let theme = site.read(&format!("themes/default/templates/{list}.html"));
        let plural = if item == "city" {
            "cities"
        } else {
            "organisations"
        };
        let looped = theme.replace(
            &format!("{{{{ {html} | safe }}}}"),
            &format!(
                "{{% for {item} in {plural} %}}{{% include \"partials/{partial}.html\" %}}{{% endfor %}}"
            ),
        );
        assert_ne!(looped, theme, "the theme's list prints `{html}`");
        site.write(&format!("templates/{list}.html"), &looped);
    }
    site.build();
    for ((list, ..), alone) in lists.iter().zip(alone) {
        assert_eq!(site.read(&format!("public/{list}/index.html")), alone);
    }
}

/// An item's partial of the theme made to read a count of the site, `count`: its first
/// `from` in `partials/<partial>.html` replaced by `to`.
struct Counting {
    partial: &'static str,
    from: &'static str,
    to: &'static str,
    count: &'static str,
    /// The list that prints the items, and the list its template would loop over.
    list: &'static str,
    looped: &'static str,
}

impl Counting {
    /// Writes the partial, and checks that the build fails at the list with the
    /// partial's error, located in it, and the hint to loop over the list, and writes
    /// nothing.
    fn fails_the_list(&self, site: &Site) {
        let Counting {
            partial,
            from,
            to,
            count,
            list,
            looped,
        } = self;
        let item = site.read(&format!("themes/default/templates/partials/{partial}.html"));
        let numbered = item.replacen(from, to, 1);
        assert_ne!(numbered, item);
        site.write(&format!("templates/partials/{partial}.html"), &numbered);
        let stderr = site.build_fails();
        assert!(
            stderr.contains(&format!(
                "erreur dans le gabarit en produisant {list}/index.html"
            )) && stderr.contains(&format!("--> partials/{partial}.html"))
                && stderr.contains(count)
                && stderr.contains(&format!(
                    "faites boucler le gabarit de la liste ({list}.html) sur `{looped}`"
                )),
            "{stderr}"
        );
        assert!(!site.path("public").exists(), "nothing is written");
    }
}

/// A card that reads the site's counts cannot be rendered alone (it is given the
/// configuration alone, so that a fiche added elsewhere leaves it as it was). The theme's
/// list, which prints the cards rendered alone, then fails with the card's error, rather
/// than printing an empty list; a list template that loops over `cities` renders it.
#[test]
fn a_card_that_reads_the_counts_fails_the_theme_list_and_works_in_a_looping_one() {
    let site = Site::fixture("valide");
    let counting = Counting {
        partial: "carte-ville",
        from: "<article class=\"card",
        to: "<p>Une de {{ site.city_count }}</p><article class=\"card",
        count: "city_count",
        list: "villes",
        looped: "cities",
    };
    counting.fails_the_list(&site);

    // A list that counts its list but prints the cards rendered alone fails for want of
    // them: the card's error still says why.
    let list = site.read("themes/default/templates/villes.html");
    let counting = list.replace(
        "{{ city_cards_html | safe }}",
        "{{ cities | length }} villes{{ city_cards_html | safe }}",
    );
    assert_ne!(counting, list);
    site.write("templates/villes.html", &counting);
    let stderr = site.build_fails();
    assert!(
        stderr.contains("--> partials/carte-ville.html") && stderr.contains("city_count"),
        "{stderr}"
    );

    site.write(
        "templates/villes.html",
        &list.replace(
            "{{ city_cards_html | safe }}",
            "{% for city in cities %}{% include \"partials/carte-ville.html\" %}{% endfor %}",
        ),
    );
    site.build();
    let page = site.read("public/villes/index.html");
    assert!(page.matches("<p>Une de 2</p>").count() == 2, "{page}");
}

/// The same for an organisation's line in the list of every organisation: a line that
/// reads a count cannot be rendered alone, and the list that prints the lines fails with
/// its error, located in the partial, and the hint; a list that loops over
/// `organisations` renders it.
#[test]
fn an_organisation_line_that_reads_the_counts_fails_the_theme_list_and_works_in_a_looping_one() {
    let site = Site::fixture("valide");
    let counting = Counting {
        partial: "ligne-organisme",
        from: "<li>",
        to: "<li>Un de {{ site.organisation_count }} : ",
        count: "organisation_count",
        list: "organismes",
        looped: "organisations",
    };
    counting.fails_the_list(&site);

    let list = site.read("themes/default/templates/organismes.html");
    let looping = list.replace(
        "{{ organisation_lines_html | safe }}",
        "{% for o in organisations %}{% include \"partials/ligne-organisme.html\" %}{% endfor %}",
    );
    assert_ne!(looping, list);
    site.write("templates/organismes.html", &looping);
    site.build();
    let page = site.read("public/organismes/index.html");
    let lines = page.matches("<li>Un de ").count();
    assert!(lines > 1, "{page}");
    let counted = format!("<li>Un de {lines} : ");
    assert_eq!(page.matches(&counted).count(), lines, "{page}");
}
