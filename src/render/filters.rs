//! Template filters: Markdown, French typography, numbers, money and dates. Each is a thin
//! shell over a tested function of `text` or `markdown`.

use tera::{Kwargs, State, Tera, Value};

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
    // Plain content text: escaped, with French typography.
    tera.register_filter("typo", |s: &str, _: Kwargs, _: &State| {
        if text::is_plain(s) {
            Value::safe_string(s)
        } else {
            Value::safe_string(&escape_html(&typography(s)))
        }
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
