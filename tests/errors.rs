//! The exact text an editor reads for each kind of mistake: French, located at the file's
//! own line and column, with the line quoted and a fix suggested.

mod common;

use common::Site;

/// The valid fixture with `file` edited by `edit`; `fiches check` must fail.
fn errors_after(file: &str, edit: impl Fn(String) -> String) -> String {
    let site = Site::fixture("valide");
    let text = site.read(file);
    let edited = edit(text.clone());
    assert_ne!(text, edited, "the edit changed nothing");
    site.write(file, &edited);
    site.check_fails()
}

#[test]
fn unknown_key() {
    let err = errors_after("content/villes/levis.yaml", |t| {
        t.replace("\ndefis:", "\ndefi:")
    });
    assert_eq!(
        err,
        "erreur : champ inconnu `defi`
  --> content/villes/levis.yaml:22:1
   |
22 | defi:
   | ^^^^
   = aide : vouliez-vous dire `defis` ?

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn wrong_type() {
    let err = errors_after("content/villes/levis.yaml", |t| {
        t.replacen("annee: 2023", "annee: \"deux mille\"", 1)
    });
    assert_eq!(
        err,
        "erreur : valeur invalide : un nombre entier attendu
 --> content/villes/levis.yaml:8:12
  |
8 |     annee: \"deux mille\"
  |            ^^^^^^^^^^^^
  = aide : écrivez un nombre entier, sans espace ni unité (ex. `2023`)

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn a_list_written_as_text() {
    let err = errors_after("content/villes/levis.yaml", |t| {
        t.replace(
            "defis:\n  - \"Faire connaître les programmes\"",
            "defis: \"Faire connaître les programmes\"",
        )
    });
    assert_eq!(
        err,
        "erreur : type invalide : une liste attendue
  --> content/villes/levis.yaml:22:8
   |
22 | defis: \"Faire connaître les programmes\"
   |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = aide : écrivez une liste, un élément par ligne, chacun précédé de `- `

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn missing_required_field_in_a_markdown_front_matter() {
    let err = errors_after("content/secteurs/aines.md", |t| {
        t.replace(
            "organisme_porteur: \"Chantier de l’économie sociale\"\n",
            "",
        )
    });
    assert_eq!(
        err,
        "erreur : champ obligatoire `organisme_porteur` manquant
 --> content/secteurs/aines.md:8:1
  |
8 | contact:
  | ^^^^^^^
  = aide : ajoutez une ligne `organisme_porteur: …` dans le bloc qui se termine ici, au même niveau que les autres champs

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn yaml_syntax_error() {
    let err = errors_after("content/villes/levis.yaml", |t| {
        t.replace("ville: \"Lévis\"", "ville: \"Lévis")
    });
    assert!(err.starts_with(
        "erreur : syntaxe YAML invalide
 --> content/villes/levis.yaml:2:10
  |
2 | region: \"Chaudière-Appalaches\"
  |          ^^^^^^^^^^^^^^^^^^^^^
  = aide : vérifiez l’indentation, les deux-points et les guillemets de cette ligne et de la précédente (un guillemet ouvert se ferme sur la même ligne) ; détail : "
    ), "{err}");
    assert!(
        err.ends_with("\n\n1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.\n")
    );
}

#[test]
fn duplicate_slug() {
    let site = Site::fixture("valide");
    site.write(
        "content/villes/levis.md",
        "---\nville: \"Lévis\"\n---\nUne autre fiche.\n",
    );
    assert_eq!(
        site.check_fails(),
        "erreur : slug en double « levis » : content/villes/levis.md porte déjà ce nom
 --> content/villes/levis.yaml
  = aide : deux fiches ne peuvent pas avoir la même adresse : renommez ou supprimez l’un des deux fichiers

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn unknown_organisation_with_a_registry() {
    let site = Site::fixture("valide");
    site.write(
        "content/organismes.yaml",
        "- nom: \"Chantier de l’économie sociale\"\n- nom: \"Conseil québécois de la coopération et de la mutualité\"\n  sigle: \"CQCM\"\n",
    );
    let text = site
        .read("content/secteurs/aines.md")
        .replace("économie sociale\"", "économie socale\"");
    site.write("content/secteurs/aines.md", &text);
    assert_eq!(
        site.check_fails(),
        "erreur : organisme inconnu « Chantier de l’économie socale »
 --> content/secteurs/aines.md:6:20
  |
6 | organisme_porteur: \"Chantier de l’économie socale\"
  |                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = aide : vouliez-vous dire « Chantier de l’économie sociale » ? Sinon, ajoutez cet organisme à `content/organismes.yaml`

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn unknown_issue_with_a_registry() {
    let site = Site::fixture("valide");
    site.write(
        "content/enjeux.yaml",
        "- nom: \"Vitalité des collectivités\"\n  alias: [\"Vitalité des collectivités du Québec\"]\n",
    );
    let err = site.check_fails();
    assert_eq!(
        err,
        "erreur : enjeu inconnu « Transfert d’entreprise »
 --> content/secteurs/reprise.md:5:5
  |
5 |   - \"Transfert d’entreprise\"
  |     ^^^^^^^^^^^^^^^^^^^^^^^^
  = aide : ajoutez cet enjeu à `content/enjeux.yaml`

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn figure_without_source() {
    let err = errors_after("content/villes/levis.yaml", |t| {
        t.replacen("    source: \"portrait d'essai\"\n", "", 1)
    });
    assert_eq!(
        err,
        "erreur : chiffre sans source : « 22 840 emplois »
 --> content/villes/levis.yaml:5:5
  |
5 |   - valeur: 22840
  |     ^^^^^^
  = aide : ajoutez `source: …` et `annee: …` sous ce chiffre (ex. `source: \"portrait Pôle CN\"` et `annee: 2023`) : des chiffres de méthodes et d’années différentes circulent pour une même ville

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn malformed_email_and_url() {
    let err = errors_after("content/villes/levis.yaml", |t| {
        t.replace("info@chantier.qc.ca", "info@chantier")
            .replace("https://chantier.qc.ca/", "chantier.qc.ca")
    });
    assert_eq!(
        err,
        "erreur : adresse courriel invalide « info@chantier »
  --> content/villes/levis.yaml:26:15
   |
26 |     courriel: \"info@chantier\"
   |               ^^^^^^^^^^^^^^^
   = aide : une adresse courriel a la forme `nom@domaine.qc.ca`, sans espace

erreur : adresse web invalide « chantier.qc.ca »
  --> content/villes/levis.yaml:27:11
   |
27 |     site: \"chantier.qc.ca\"
   |           ^^^^^^^^^^^^^^^^
   = aide : écrivez l’adresse complète : `https://chantier.qc.ca`

2 erreurs et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn bad_date() {
    let err = errors_after("content/villes/levis.yaml", |t| {
        t.replace("2025-03-01", "1er mars 2025")
    });
    assert_eq!(
        err,
        "erreur : date invalide « 1er mars 2025 »
 --> content/villes/levis.yaml:3:14
  |
3 | mise_a_jour: 1er mars 2025
  |              ^^^^^^^^^^^^^
  = aide : écrivez la date sous la forme AAAA-MM-JJ, par exemple `2025-03-25`

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn every_mistake_in_every_file_is_reported_in_one_run() {
    let site = Site::fixture("valide");
    let city = site
        .read("content/villes/levis.yaml")
        .replace("\ndefis:", "\ndefi:")
        .replacen("annee: 2023", "annee: \"deux mille\"", 1)
        .replace("libelle: \"de revenus\"", "libele: \"de revenus\"")
        .replace("info@chantier.qc.ca", "info@chantier");
    site.write("content/villes/levis.yaml", &city);
    let sector = site
        .read("content/secteurs/aines.md")
        .replace("ordre: 1", "ordre: premier\nauteur: \"moi\"");
    site.write("content/secteurs/aines.md", &sector);
    let err = site.check_fails();
    let headlines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("erreur") || l.contains("-->"))
        .collect();
    assert_eq!(
        headlines,
        [
            "erreur : valeur invalide : un nombre entier attendu",
            " --> content/secteurs/aines.md:3:8",
            "erreur : champ inconnu `auteur`",
            " --> content/secteurs/aines.md:4:1",
            "erreur : valeur invalide : un nombre entier attendu",
            " --> content/villes/levis.yaml:8:12",
            "erreur : champ inconnu `libele`",
            "  --> content/villes/levis.yaml:11:5",
            "erreur : champ inconnu `defi`",
            "  --> content/villes/levis.yaml:22:1",
            "erreur : adresse courriel invalide « info@chantier »",
            "  --> content/villes/levis.yaml:26:15",
        ]
    );
    assert!(
        err.ends_with("6 erreurs et 0 avertissement dans 2 fichiers ; rien n’a été écrit.\n"),
        "{err}"
    );
}

#[test]
fn a_badly_named_file() {
    let site = Site::fixture("valide");
    site.write("content/villes/Lévis 2.yaml", "ville: \"Lévis\"\n");
    assert_eq!(
        site.check_fails(),
        "erreur : nom de fichier invalide « Lévis 2 » : il devient l’adresse de la page
 --> content/villes/Lévis 2.yaml
  = aide : renommez le fichier en `levis-2.yaml` (minuscules sans accents, mots séparés par des tirets)

1 erreur et 0 avertissement dans 1 fichier ; rien n’a été écrit.
"
    );
}

#[test]
fn every_mistake_in_a_registry_is_reported_too() {
    let site = Site::fixture("valide");
    site.write(
        "content/organismes.yaml",
        "- nom: \"Chantier de l’économie sociale\"\n  sigel: \"CES\"\n- nom: \"Conseil québécois de la coopération et de la mutualité\"\n  sites: \"https://cqcm.coop/\"\n",
    );
    let err = site.check_fails();
    let headlines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("erreur") || l.contains("-->"))
        .collect();
    assert_eq!(
        headlines,
        [
            "erreur : champ inconnu `sigel`",
            " --> content/organismes.yaml:2:3",
            "erreur : champ inconnu `sites`",
            " --> content/organismes.yaml:4:3",
        ]
    );
}

/// Pages are rendered from minified templates; a mistake in a template is still shown
/// in the template as its author wrote it, at its own line.
#[test]
fn a_template_mistake_is_shown_in_the_template_as_written() {
    let site = Site::fixture("valide");
    let theme = std::fs::read_to_string(site.path("themes/default/templates/404.html")).unwrap();
    site.write(
        "templates/404.html",
        &theme.replace(
            "<h1>Page introuvable</h1>",
            "<h1>Page introuvable</h1>\n<p>{{ 1 + site.title }}</p>",
        ),
    );
    let err = site.check_fails();
    assert!(
        err.contains("erreur dans le gabarit en produisant 404.html"),
        "{err}"
    );
    assert!(err.contains("--> 404.html:4:7"), "{err}");
    assert!(err.contains("4 | <p>{{ 1 + site.title }}</p>"), "{err}");
}

/// A file saved in Windows-1252 (as older editors and spreadsheets save French text) is
/// not read as garbled text: the first unreadable character is located, named, and the
/// others counted; every such file is reported in the same run. A character pasted into
/// a file that is UTF-8 otherwise is to be retyped: the file reopened in Windows-1252
/// would spoil its other accents.
#[test]
fn a_file_not_saved_in_utf8() {
    let site = Site::fixture("valide");
    let levis = site.read("content/villes/levis.yaml");
    let windows_1252: Vec<u8> = levis
        .chars()
        .map(|c| match c {
            '’' => 0x92,
            'œ' => 0x9c,
            '–' => 0x96,
            // ASCII and Latin-1 have the same code in Windows-1252.
            c if u32::from(c) <= 0xff => u32::from(c) as u8,
            c => panic!("{c} is not in this test's table"),
        })
        .collect();
    std::fs::write(site.path("content/villes/levis.yaml"), windows_1252).unwrap();
    let aines = site.read("content/secteurs/aines.md");
    let quote = aines.find("\n---\n").unwrap() + 5;
    let mut bytes = aines.into_bytes();
    bytes.splice(quote..quote, *b"L\x92action ");
    std::fs::write(site.path("content/secteurs/aines.md"), bytes).unwrap();
    assert_eq!(
        site.check_fails(),
        "erreur : caractère illisible : le fichier n’est pas enregistré en UTF-8
  --> content/secteurs/aines.md:13:2
   |
13 | L\u{fffd}action Le projet vise des services **accessibles** :
   |  ^
   = aide : ce caractère est sans doute un « ’ » enregistré en Windows-1252, alors que le reste du fichier est en UTF-8 : retapez-le à la main, sans rouvrir le fichier dans un autre codage

erreur : caractère illisible : le fichier n’est pas enregistré en UTF-8
 --> content/villes/levis.yaml:1:10
  |
1 | ville: \"L\u{fffd}vis\"
  |          ^
  = aide : ce caractère est sans doute un « é » enregistré en Windows-1252 : rouvrez le fichier en Windows-1252 (dans VS Code : « Rouvrir avec l’encodage »), puis enregistrez-le en UTF-8 ; le fichier contient 8 autres caractères illisibles plus loin

2 erreurs et 0 avertissement dans 2 fichiers ; rien n’a été écrit.
"
    );
}
