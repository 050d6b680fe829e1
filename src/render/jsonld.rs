//! schema.org JSON-LD for the pages that describe a thing: a city, an organisation, a
//! project. Search engines and data portals read it; nothing on the page depends on it.

use serde::Serialize;

use super::Route;
use crate::site::Site;

/// A thing's JSON-LD, its keys in the order of their names (as a JSON object's keys are
/// sorted): fields are declared in that order.
#[derive(Serialize)]
struct Thing<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName", skip_serializing_if = "Option::is_none")]
    alternate_name: Option<&'a str>,
    #[serde(rename = "containedInPlace", skip_serializing_if = "Option::is_none")]
    contained_in_place: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<Vec<&'a str>>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sponsor: Option<Named<'a>>,
    url: &'a str,
}

/// A thing known by its name alone: a region, a project's lead organisation.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

impl<'a> Thing<'a> {
    fn new(kind: &'static str, name: &'a str, url: &'a str) -> Self {
        Thing {
            context: "https://schema.org",
            kind,
            alternate_name: None,
            contained_in_place: None,
            email: None,
            keywords: None,
            name,
            sponsor: None,
            url,
        }
    }
}

/// The JSON-LD of a route, or an empty string; safe to put inside a `<script>` element.
pub fn for_route(site: &Site, route: &Route) -> String {
    let url = [site.config.base_url.as_str(), &route.path(site)].concat();
    let thing = match *route {
        Route::City(i) => {
            let c = &site.cities[i];
            Thing {
                contained_in_place: (c.region.as_deref()).map(|name| Named {
                    kind: "AdministrativeArea",
                    name,
                }),
                ..Thing::new("City", &c.name, &url)
            }
        }
        Route::Organisation(i) => {
            let o = &site.organisations[i];
            Thing {
                alternate_name: o.acronym.as_deref(),
                email: o.email.as_deref(),
                ..Thing::new("Organization", &o.name, o.site.as_deref().unwrap_or(&url))
            }
        }
        Route::Sector(i) => {
            let s = &site.sectors[i];
            Thing {
                keywords: Some(s.enjeux.iter().map(|e| &*e.name).collect()),
                sponsor: Some(Named {
                    kind: "Organization",
                    name: &s.lead.name,
                }),
                ..Thing::new("Project", &s.title, &url)
            }
        }
        _ => return String::new(),
    };
    let json = serde_json::to_string(&thing).unwrap_or_default();
    if json.contains("</") {
        json.replace("</", "<\\/")
    } else {
        json
    }
}
