//! Markdown from content to safe HTML: pulldown-cmark, French typography on text, and
//! ammonia to strip whatever raw HTML an editor pasted in.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

use crate::text::typography;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.link_rel(None);
    b.add_generic_attributes(["lang"]);
    b
});

/// Renders Markdown; with `inline`, a single paragraph loses its `<p>` wrapper.
///
/// pulldown-cmark escapes every piece of text and attribute it writes, so only two things
/// can carry markup an editor did not mean: raw HTML (`Html`/`InlineHtml` events) and a
/// link or image whose address has a scheme other than the web's and e-mail's
/// (`javascript:`). A text with neither is already safe and skips ammonia, whose HTML
/// parse and reserialisation cost more than the rest of the rendering together.
pub fn to_html(source: &str, inline: bool) -> String {
    if is_plain_sentence(source) {
        let text = typography(source);
        return if inline {
            text
        } else {
            format!("<p>{text}</p>")
        };
    }
    parse(source, inline)
}

/// Whether a text is one paragraph of words that Markdown leaves as they are: no space
/// at either end (a letter, a quote or a parenthesis first), no line
/// break, no character that marks up, escapes or links (`* _ [ ] ` < > & \ ~ #`), nor
/// one that can open a block (a list's `-` or `1.`, a quote's `>`) at its start. Most
/// short fields of a fiche (a lever, a partnership) are such sentences, which pulldown
/// would give back as one text in one paragraph.
fn is_plain_sentence(text: &str) -> bool {
    let opens_block = |c: char| !(c.is_alphabetic() || matches!(c, '«' | '"' | '\'' | '('));
    // Markdown trims some spaces around a paragraph and keeps others (a no-break space):
    // a text with any is left to pulldown.
    let ends_in_space = text.chars().next_back().is_some_and(char::is_whitespace);
    match text.chars().next() {
        None => false,
        Some(_) if ends_in_space => false,
        Some(first) if opens_block(first) => false,
        Some(_) => !text.bytes().any(|b| {
            matches!(
                b,
                b'\0'
                    | b'\n'
                    | b'\r'
                    | b'\t'
                    | b'*'
                    | b'_'
                    | b'['
                    | b']'
                    | b'`'
                    | b'<'
                    | b'>'
                    | b'&'
                    | b'\\'
                    | b'~'
                    | b'#'
                    | b'|'
            )
        }),
    }
}

/// `to_html` through pulldown-cmark.
fn parse(source: &str, inline: bool) -> String {
    let parser = Parser::new_ext(
        source,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    let mut in_code = false;
    let mut needs_sanitising = false;
    let events = parser.map(|event| match event {
        Event::Start(Tag::CodeBlock(_)) => {
            in_code = true;
            event
        }
        Event::End(TagEnd::CodeBlock) => {
            in_code = false;
            event
        }
        Event::Text(t) if !in_code => Event::Text(typography(&t).into()),
        Event::Html(_) | Event::InlineHtml(_) => {
            needs_sanitising = true;
            event
        }
        Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
            if !is_plain_address(dest_url) {
                needs_sanitising = true;
            }
            event
        }
        other => other,
    });
    let mut raw = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut raw, events);
    let clean = if needs_sanitising {
        SANITIZER.clean(&raw).to_string()
    } else {
        raw
    };
    let trimmed = clean.trim();
    if inline
        && trimmed.starts_with("<p>")
        && trimmed.ends_with("</p>")
        && trimmed.matches("<p>").count() == 1
    {
        trimmed[3..trimmed.len() - 4].to_string()
    } else if trimmed.len() == clean.len() {
        clean
    } else {
        trimmed.to_string()
    }
}

/// Whether a link address needs no sanitising: relative, or `http`, `https`, `mailto`,
/// `tel`.
fn is_plain_address(url: &str) -> bool {
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    match url[..end].split_once(':') {
        None => true,
        Some((scheme, _)) => ["http", "https", "mailto", "tel"]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme)),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_plain_sentence, parse, to_html};

    #[test]
    fn plain_sentences_read_as_markdown_would_read_them() {
        let plain = [
            "Le problème de la rareté des logements freine l'arrivée de main-d'œuvre.",
            "« Parc industriel régional » en tête : 22 840 emplois ; 15 % ! Vraiment ?",
            "Rendez-vous à https://exemple.qc.ca/plan ou info@exemple.qc.ca.",
            "Deux espaces  au milieu.",
            "(Entre parenthèses) puis... la suite: 2,6 G$ et 10 $.",
            "\"Entre guillemets droits\" et 'simples'.",
        ];
        for text in plain {
            assert!(is_plain_sentence(text), "{text:?}");
            assert_eq!(to_html(text, true), parse(text, true), "{text:?}");
            assert_eq!(to_html(text, false), parse(text, false), "{text:?}");
        }
        let marked = [
            "- une liste",
            "1. une liste",
            "2030. Une année qui ouvre une liste",
            "> une citation",
            "# un titre",
            "un *accent*",
            "un [lien](/villes/quebec/)",
            "deux\n\nparagraphes",
            "a &amp; b",
            "a < b",
            "",
            "    un bloc de code",
            "\tun bloc de code",
            "Texte\u{a0}",
            "Texte ",
        ];
        for text in marked {
            assert!(!is_plain_sentence(text), "{text:?}");
        }
    }

    #[test]
    fn renders_lists_and_typography() {
        let html = to_html(
            "Il se réalisera en deux étapes :\n\n1. l'analyse;\n2. le plan.",
            false,
        );
        assert_eq!(
            html,
            "<p>Il se réalisera en deux étapes\u{a0}:</p>\n<ol>\n<li>l’analyse\u{202f};</li>\n<li>le plan.</li>\n</ol>"
        );
    }

    #[test]
    fn escapes_text_without_sanitiser() {
        assert_eq!(
            to_html("a < b & \"c\" [lien](https://a.ca/?x=\"1\")", true),
            "a &lt; b &amp; \"c\" <a href=\"https://a.ca/?x=%221%22\">lien</a>"
        );
    }

    #[test]
    fn strips_dangerous_link_schemes() {
        assert_eq!(
            to_html(
                "[x](javascript:alert(1)) [y](JavaScript:z) [z](/villes/quebec/)",
                true
            ),
            "<a>x</a> <a>y</a> <a href=\"/villes/quebec/\">z</a>"
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
