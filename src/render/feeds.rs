//! Discovery files: `sitemap.xml`, `robots.txt` and an Atom feed of the fiches by their
//! update date. No clock is read: dates come from the content, so builds stay identical.

use crate::render::{Generated, Route, routes};
use crate::site::Site;
use crate::text::escape_html;

pub fn files(site: &Site) -> Vec<Generated<'_>> {
    vec![
        Generated::new("sitemap.xml", || sitemap(site, &routes(site)).into_bytes()),
        Generated::new("robots.txt", || robots(site).into_bytes()),
        Generated::new("atom.xml", || atom(site).into_bytes()),
    ]
}

fn absolute(site: &Site, path: &str) -> String {
    format!("{}{path}", site.config.base_url)
}

fn sitemap(site: &Site, routes: &[Route]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for route in routes.iter().filter(|r| **r != Route::NotFound) {
        out.push_str("  <url><loc>");
        out.push_str(&escape_html(&absolute(site, &route.path(site))));
        out.push_str("</loc>");
        let updated = match *route {
            Route::City(i) => site.cities[i].updated.as_ref(),
            Route::Sector(i) => site.sectors[i].updated.as_ref(),
            _ => None,
        };
        if let Some(d) = updated {
            out.push_str(&format!("<lastmod>{}</lastmod>", d.iso));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        absolute(site, "sitemap.xml")
    )
}

/// Dated fiches, newest first; the feed's own date is the newest fiche's.
fn atom(site: &Site) -> String {
    let mut entries: Vec<(&str, &str, &str, String)> = site
        .cities
        .iter()
        .filter_map(|c| {
            c.updated.as_ref().map(|d| {
                (
                    d.iso.as_str(),
                    c.name.as_str(),
                    c.url.as_str(),
                    format!("Fiche-portrait de {}", c.name),
                )
            })
        })
        .chain(site.sectors.iter().filter_map(|s| {
            s.updated.as_ref().map(|d| {
                (
                    d.iso.as_str(),
                    s.title.as_str(),
                    s.url.as_str(),
                    format!("Secteur stratégique porté par {}", s.lead.name),
                )
            })
        }))
        .collect();
    entries.sort_by(|a, b| b.0.cmp(a.0).then_with(|| a.2.cmp(b.2)));
    let updated = entries.first().map_or("1970-01-01", |e| e.0);
    let base = &site.config.base_url;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{base}</id>\n  <link href=\"{base}\"/>\n  <link rel=\"self\" href=\"{base}atom.xml\"/>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{}</name></author>\n",
        escape_html(&site.config.language),
        escape_html(&site.config.title),
        escape_html(&site.config.title),
    );
    for (date, title, url, summary) in entries {
        let rel = url.strip_prefix(&site.config.base_path).unwrap_or(url);
        let link = escape_html(&format!("{base}{rel}"));
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{link}</id>\n    <link href=\"{link}\"/>\n    <updated>{date}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>\n",
            escape_html(title),
            escape_html(&summary)
        ));
    }
    out.push_str("</feed>\n");
    out
}
