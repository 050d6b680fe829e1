//! Markdown from content to safe HTML: pulldown-cmark, French typography on text, and
//! ammonia to strip whatever raw HTML an editor pasted in.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, html};

use crate::text::typography;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(None);
    b.add_generic_attributes(["lang"]);
    b
});

/// Renders Markdown; with `inline`, a single paragraph loses its `<p>` wrapper.
pub fn to_html(source: &str, inline: bool) -> String {
    let parser = Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut in_code = false;
    let events = parser.map(|event| match event {
        Event::Start(pulldown_cmark::Tag::CodeBlock(_)) => {
            in_code = true;
            event
        }
        Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
            in_code = false;
            event
        }
        Event::Text(t) if !in_code => Event::Text(typography(&t).into()),
        other => other,
    });
    let mut raw = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut raw, events);
    let clean = SANITIZER.clean(&raw).to_string();
    let trimmed = clean.trim();
    if inline
        && trimmed.starts_with("<p>")
        && trimmed.ends_with("</p>")
        && trimmed.matches("<p>").count() == 1
    {
        trimmed[3..trimmed.len() - 4].to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn renders_lists_and_typography() {
        let html = to_html(
            "Il se réalisera en deux étapes :\n\n1. l'analyse;\n2. le plan.",
            false,
        );
        assert_eq!(
            html,
            "<p>Il se réalisera en deux étapes&nbsp;:</p>\n<ol>\n<li>l’analyse\u{202f};</li>\n<li>le plan.</li>\n</ol>"
        );
    }

    #[test]
    fn strips_raw_html() {
        let html = to_html(
            "Bonjour <script>alert(1)</script><b onclick=\"x()\">gras</b>",
            true,
        );
        assert_eq!(html, "Bonjour <b>gras</b>");
    }

    #[test]
    fn inline_keeps_multi_paragraph_text() {
        assert_eq!(to_html("a\n\nb", true), "<p>a</p>\n<p>b</p>");
    }
}
