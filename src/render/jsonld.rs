//! schema.org JSON-LD for the pages that describe a thing: a city, an organisation, a
//! project. Search engines and data portals read it; nothing on the page depends on it.

use serde_json::json;

use super::Route;
use crate::site::Site;

/// The JSON-LD of a route, or an empty string; safe to put inside a `<script>` element.
pub fn for_route(site: &Site, route: &Route) -> String {
    let url = format!("{}{}", site.config.base_url, route.path(site));
    let value = match *route {
        Route::City(i) => {
            let c = &site.cities[i];
            let mut v = json!({
                "@context": "https://schema.org",
                "@type": "City",
                "name": c.name,
                "url": url,
            });
            if let Some(region) = &c.region {
                v["containedInPlace"] = json!({ "@type": "AdministrativeArea", "name": region });
            }
            v
        }
        Route::Organisation(i) => {
            let o = &site.organisations[i];
            let mut v = json!({
                "@context": "https://schema.org",
                "@type": "Organization",
                "name": o.name,
                "url": o.site.clone().unwrap_or(url),
            });
            if let Some(a) = &o.acronym {
                v["alternateName"] = json!(a);
            }
            if let Some(e) = &o.email {
                v["email"] = json!(e);
            }
            v
        }
        Route::Sector(i) => {
            let s = &site.sectors[i];
            json!({
                "@context": "https://schema.org",
                "@type": "Project",
                "name": s.title,
                "url": url,
                "keywords": s.enjeux.iter().map(|e| &*e.name).collect::<Vec<_>>(),
                "sponsor": { "@type": "Organization", "name": s.lead.name },
            })
        }
        _ => return String::new(),
    };
    value.to_string().replace("</", "<\\/")
}
