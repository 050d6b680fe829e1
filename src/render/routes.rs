//! The route table: every page the site has, derived from the model. Adding a kind of
//! page is one variant here and one template.

use crate::site::Site;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Home,
    Cities,
    City(usize),
    Sectors,
    Sector(usize),
    Enjeux,
    Enjeu(usize),
    Organisations,
    Organisation(usize),
    Search,
    Data,
    NotFound,
}

/// Every route of `site`, in a stable order.
pub fn routes(site: &Site) -> Vec<Route> {
    let mut r = vec![
        Route::Home,
        Route::Cities,
        Route::Sectors,
        Route::Enjeux,
        Route::Organisations,
        Route::Search,
        Route::Data,
        Route::NotFound,
    ];
    r.extend((0..site.cities.len()).map(Route::City));
    r.extend((0..site.sectors.len()).map(Route::Sector));
    r.extend((0..site.enjeux.len()).map(Route::Enjeu));
    r.extend((0..site.organisations.len()).map(Route::Organisation));
    r
}

/// The pages that show how many fiches, organisations and issues there are: they list
/// them, or the open data.
pub const COUNTING: [Route; 6] = [
    Route::Home,
    Route::Cities,
    Route::Sectors,
    Route::Enjeux,
    Route::Organisations,
    Route::Data,
];

/// `section/slug/`, made without the formatting machinery: five of these are made for
/// each of tens of thousands of pages.
fn folder(section: &str, slug: &str) -> String {
    [section, "/", slug, "/"].concat()
}

impl Route {
    pub fn template(&self) -> &'static str {
        match self {
            Route::Home => "index.html",
            Route::Cities => "villes.html",
            Route::City(_) => "ville.html",
            Route::Sectors => "secteurs.html",
            Route::Sector(_) => "secteur.html",
            Route::Enjeux => "enjeux.html",
            Route::Enjeu(_) => "enjeu.html",
            Route::Organisations => "organismes.html",
            Route::Organisation(_) => "organisme.html",
            Route::Search => "recherche.html",
            Route::Data => "donnees.html",
            Route::NotFound => "404.html",
        }
    }

    /// The page's place under the site's root: `villes/quebec/`, `404.html`, `` for home.
    pub fn path(&self, site: &Site) -> String {
        match *self {
            Route::Home => String::new(),
            Route::Cities => "villes/".to_string(),
            Route::City(i) => folder("villes", &site.cities[i].slug),
            Route::Sectors => "secteurs/".to_string(),
            Route::Sector(i) => folder("secteurs", &site.sectors[i].slug),
            Route::Enjeux => "enjeux/".to_string(),
            Route::Enjeu(i) => folder("enjeux", &site.enjeux[i].slug),
            Route::Organisations => "organismes/".to_string(),
            Route::Organisation(i) => folder("organismes", &site.organisations[i].slug),
            Route::Search => "recherche/".to_string(),
            Route::Data => "donnees/".to_string(),
            Route::NotFound => "404.html".to_string(),
        }
    }

    /// The page's URL path (`/villes/quebec/`).
    pub fn url(&self, site: &Site) -> String {
        [site.config.base_path.as_str(), &self.path(site)].concat()
    }

    /// The file written for the page, relative to the output folder.
    pub fn output_file(&self, site: &Site) -> String {
        let mut path = self.path(site);
        if path.is_empty() || path.ends_with('/') {
            path.push_str("index.html");
        }
        path
    }

    /// The page's title, for `<title>` and sharing.
    pub fn title(&self, site: &Site) -> String {
        let name: &str = match *self {
            Route::Home => return site.config.title.clone(),
            Route::Cities => "Les villes",
            Route::City(i) => &site.cities[i].name,
            Route::Sectors => "Secteurs stratégiques",
            Route::Sector(i) => &site.sectors[i].title,
            Route::Enjeux => "Les enjeux",
            Route::Enjeu(i) => &site.enjeux[i].name,
            Route::Organisations => "Les organismes",
            Route::Organisation(i) => &site.organisations[i].name,
            Route::Search => "Recherche",
            Route::Data => "Données ouvertes",
            Route::NotFound => "Page introuvable",
        };
        [name, " – ", &site.config.title].concat()
    }

    /// One sentence on what the page holds, for search engines and sharing.
    pub fn description(&self, site: &Site) -> String {
        match *self {
            Route::City(i) => {
                let c = &site.cities[i];
                if c.published {
                    format!(
                        "Fiche-portrait de {} : l’économie sociale, ses chiffres clés, les leviers de la Ville et ses partenaires.",
                        c.name
                    )
                } else {
                    format!(
                        "{} participe à la démarche Villes et économie sociale ; sa fiche-portrait est à venir.",
                        c.name
                    )
                }
            }
            Route::Sector(i) => {
                let s = &site.sectors[i];
                format!(
                    "Secteur stratégique d’économie sociale porté par {} : {}.",
                    s.lead.name, s.title
                )
            }
            Route::Enjeu(i) => format!(
                "Les fiches qui ciblent l’enjeu « {} ».",
                site.enjeux[i].name
            ),
            Route::Organisation(i) => format!(
                "{} dans les fiches : projets portés, partenariats et villes.",
                site.organisations[i].name
            ),
            Route::Data => "Toutes les fiches en données ouvertes, en JSON et en CSV.".to_string(),
            _ => site
                .config
                .subtitle
                .clone()
                .unwrap_or_else(|| site.config.title.clone()),
        }
    }
}
