//! Template filters: Markdown, French typography, numbers, money and dates. Each is a thin
//! shell over a tested function of `text` or `markdown`.

use tera::{ArgFromValue, Kwargs, State, Tera, TeraResult, Value};

use super::markdown;
use crate::text::{self, Date, escape_html, typography};

pub fn register(tera: &mut Tera) {
    // The same entities as Tera's own escaping, written a run at a time, not a byte.
    tera.set_escape_fn(text::write_escaped);
    // Markdown from content, sanitised, with French typography; `inline=true` drops the
    // paragraph around a one-paragraph text.
    tera.register_filter("markdown", |s: &str, kw: Kwargs, _: &State| {
        let inline = kw.get::<bool>("inline").ok().flatten().unwrap_or(false);
        Value::safe_string(&markdown::to_html(s, inline))
    });
    // Plain content text: escaped, with French typography. A text that neither escaping
    // nor typography changes is given back as the value itself, marked safe: a name
    // longer than a few words is then shared, not copied (the filter is called half a
    // million times at 10 000 fiches, most often on such names).
    tera.register_filter("typo", |v: &Value, _: Kwargs, _: &State| {
        let s = <&str>::from_value(v)?;
        TeraResult::Ok(if text::is_plain(s) {
            v.clone().mark_safe()
        } else {
            Value::safe_string(&escape_html(&typography(s)))
        })
    });
    tera.register_filter("nombre", |n: f64, _: Kwargs, _: &State| {
        text::format_number(n)
    });
    tera.register_filter("montant", |n: f64, _: Kwargs, _: &State| {
        text::format_money(n)
    });
    tera.register_filter("date_fr", |s: &str, _: Kwargs, _: &State| {
        Date::parse(s)
            .map(|d| d.french())
            .unwrap_or_else(|| s.to_string())
    });
    // A web address as readers see it: `https://polecn.org/` → `polecn.org`.
    tera.register_filter("domaine", |s: &str, _: Kwargs, _: &State| {
        s.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_start_matches("www.")
            .trim_end_matches('/')
            .to_string()
    });
}

#[cfg(test)]
mod tests {
    use tera::{Context, Tera};

    /// `template` rendered as a page's template is: named `.html`, so escaped.
    fn render(template: &str, ctx: &Context) -> Result<String, tera::Error> {
        let mut tera = Tera::default();
        super::register(&mut tera);
        tera.add_raw_templates([("t.html", template)])?;
        tera.render("t.html", ctx)
    }

    #[test]
    fn typo_gives_plain_text_as_it_is_and_the_rest_escaped_with_french_typography() {
        let mut ctx = Context::new();
        // Longer than a short string kept in the value itself, and short.
        ctx.insert(
            "long",
            "Corporation de développement communautaire de Lévis",
        );
        ctx.insert("court", "Lévis");
        ctx.insert(
            "autre",
            "Chambre de commerce de l'Île <Nord> : 22 840 emplois",
        );
        ctx.insert("nombre", &3);
        assert_eq!(
            render("{{ long | typo }}|{{ court | typo }}", &ctx).unwrap(),
            "Corporation de développement communautaire de Lévis|Lévis"
        );
        // Escaped once: the filter's result is marked safe.
        assert_eq!(
            render("{{ autre | typo }}", &ctx).unwrap(),
            "Chambre de commerce de l’Île &lt;Nord&gt;\u{a0}: 22\u{a0}840 emplois"
        );
        let error = render("{{ nombre | typo }}", &ctx).unwrap_err();
        let chain = std::iter::successors(Some(&error as &dyn std::error::Error), |e| e.source());
        assert!(
            chain.map(ToString::to_string).any(|m| m.contains("&str")),
            "text only: {error:?}"
        );
    }
}
