//! The whole contact with `minify-html`, with spec-compliant settings only, so that the
//! minified pages still pass the HTML validator.
//!
//! Templates are minified once, when they are loaded, rather than every page they render:
//! at 10 000 cities, minifying 34 000 pages took 40 % of a build. minify-html keeps Tera's
//! `{{ … }}`, `{% … %}` and `{# … #}` as they are wherever HTML allows text, which is
//! where a template's tags usually sit: in text and inside quoted attribute values. A tag
//! anywhere else (between two attributes, as a tag name, in a script or style, in an HTML
//! comment) could be moved, split or dropped, so a template is minified only when every
//! one of its Tera tags is found again, in the same order and the same place, in the
//! minified text. Otherwise the template stays as written and the pages it renders are
//! minified one by one (`html`), which gives the same result, slower.

use std::sync::LazyLock;

fn config(templates: bool) -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_css = true;
    cfg.minify_js = false;
    cfg.minify_doctype = false;
    cfg.preserve_brace_template_syntax = templates;
    cfg
}

static PAGE: LazyLock<minify_html::Cfg> = LazyLock::new(|| config(false));

/// A rendered page, minified.
pub fn html(page: &[u8]) -> Vec<u8> {
    minify_html::minify(page, &PAGE)
}

/// A template's HTML minified around its Tera tags, or `None` when one of them sits where
/// minification could change it.
pub fn template(source: &str) -> Option<String> {
    let before = tera_tags(source)?;
    let minified = String::from_utf8(minify_html::minify(source.as_bytes(), &config(true))).ok()?;
    (tera_tags(&minified)? == before).then_some(minified)
}

/// A template's Tera tags as minify-html may move them: those in text and in scripts
/// in order; those in attribute values by element, each attribute's in order, the
/// attributes of an element in any order (minify-html sorts them).
#[derive(Debug, PartialEq, Eq)]
enum Tags<'a> {
    Text(&'a str),
    Script(&'a str),
    Element(Vec<Vec<&'a str>>),
}

/// Every Tera tag of a template with its place; `None` if one sits anywhere but in text,
/// in a script (which minify-html keeps as written) or inside a quoted attribute value
/// (without that quote in it), or if the template has a `raw` block, whose content Tera
/// does not read as tags.
fn tera_tags(source: &str) -> Option<Vec<Tags<'_>>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Text,
        /// In a start or end tag, between attributes.
        Tag,
        Quoted(u8),
        /// The content of a script or style element, up to its end tag.
        RawText,
        Comment,
    }
    let bytes = source.as_bytes();
    let mut tags = Vec::new();
    let mut attributes: Vec<Vec<&str>> = Vec::new();
    let mut value: Vec<&str> = Vec::new();
    let mut state = State::Text;
    let mut raw_end: &[u8] = b"";
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if rest[0] == b'{' && matches!(rest.get(1), Some(b'{' | b'%' | b'#')) {
            let close: &[u8] = match rest[1] {
                b'{' => b"}}",
                b'%' => b"%}",
                _ => b"#}",
            };
            let len = find(&rest[2..], close)? + 4;
            let tag = &source[i..i + len];
            if rest[1] == b'%' && tag[2..tag.len() - 2].trim_matches(['-', ' ']) == "raw" {
                return None;
            }
            match state {
                State::Text => tags.push(Tags::Text(tag)),
                State::RawText if raw_end == b"</script" => tags.push(Tags::Script(tag)),
                State::Quoted(q) if !tag.as_bytes().contains(&q) => value.push(tag),
                _ => return None,
            }
            i += len;
            continue;
        }
        match state {
            State::Text => {
                if rest.starts_with(b"<!--") {
                    state = State::Comment;
                    i += 4;
                    continue;
                }
                if rest[0] == b'<' {
                    let name_start = if rest.get(1) == Some(&b'/') { 2 } else { 1 };
                    match rest.get(name_start) {
                        Some(c) if c.is_ascii_alphabetic() => {
                            let name_len = rest[name_start..]
                                .iter()
                                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                                .count();
                            let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
                            raw_end = match (name_start, name.as_slice()) {
                                (1, b"script") => b"</script",
                                (1, b"style") => b"</style",
                                _ => b"",
                            };
                            state = State::Tag;
                            i += name_start + name_len;
                            continue;
                        }
                        // A tag whose name is written by Tera.
                        Some(b'{') => return None,
                        _ => {}
                    }
                }
            }
            State::Tag => match rest[0] {
                b'"' | b'\'' => state = State::Quoted(rest[0]),
                b'>' => {
                    if !attributes.is_empty() {
                        attributes.sort();
                        tags.push(Tags::Element(std::mem::take(&mut attributes)));
                    }
                    state = if raw_end.is_empty() {
                        State::Text
                    } else {
                        State::RawText
                    };
                }
                _ => {}
            },
            State::Quoted(q) => {
                if rest[0] == q {
                    if !value.is_empty() {
                        attributes.push(std::mem::take(&mut value));
                    }
                    state = State::Tag;
                }
            }
            State::RawText => {
                if rest.len() >= raw_end.len()
                    && rest[..raw_end.len()].eq_ignore_ascii_case(raw_end)
                {
                    raw_end = b"";
                    state = State::Tag;
                    i += 2;
                    continue;
                }
            }
            State::Comment => {
                if rest.starts_with(b"-->") {
                    state = State::Text;
                    i += 3;
                    continue;
                }
            }
        }
        i += 1;
    }
    Some(tags)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minifies_around_tags_in_text_and_quoted_values() {
        let src = "<ul class=\"tags\">\n  {% for e in enjeux %}\n  <li><a href=\"{{ e.url }}\">{{ e.name | typo }}</a></li>\n  {% endfor %}\n</ul>\n";
        let out = template(src).expect("minifiable");
        assert!(out.len() < src.len(), "{out}");
        assert!(!out.contains("\n  "), "{out}");
        assert!(out.contains("href=\"{{ e.url }}\""), "{out}");
        assert!(
            out.contains("{% for e in enjeux %}") && out.contains("{% endfor %}"),
            "{out}"
        );
    }

    #[test]
    fn leaves_templates_whose_tags_minify_html_could_move() {
        // Between two attributes.
        assert_eq!(
            template("<a href=\"/\"{% if x %} aria-current=\"page\"{% endif %}>V</a>"),
            None
        );
        // A tag name.
        assert_eq!(template("<{{ h }} class=\"t\">x</{{ h }}>"), None);
        // The attribute's own quote inside the tag.
        assert_eq!(
            template("<meta content=\"{{ a | replace(from=\"-\", to=\"_\") }}\">"),
            None
        );
        // An unquoted attribute value.
        assert_eq!(template("<a href={{ url }}>x</a>"), None);
        // Comments are removed by minify-html, and Tera tags with them.
        assert_eq!(template("<p>a</p><!-- {{ x }} -->"), None);
        // Styles, which minify-html rewrites.
        assert_eq!(template("<style>p { color: {{ c }}; }</style>"), None);
        assert_eq!(template("{% raw %}{{ x }}{% endraw %}"), None);
    }

    #[test]
    fn attributes_may_be_reordered_and_scripts_are_kept() {
        let src = "<svg width=\"480\" height=\"{{ h }}\" viewBox=\"0 0 480 {{ h }}\" aria-labelledby=\"{{ a }} {{ b }}\"></svg><script type=\"application/ld+json\">{{ j | safe }}</script>";
        let out = template(src).expect("minifiable");
        assert!(out.contains("\"{{ a }} {{ b }}\""), "{out}");
        assert!(out.contains(">{{ j | safe }}</script>"), "{out}");
    }

    #[test]
    fn keeps_tags_with_html_characters_in_them() {
        let src = "<p>{% if c.total > c.rows | length %} plus {% endif %}</p>";
        let out = template(src).expect("minifiable");
        assert!(out.contains("{% if c.total > c.rows | length %}"), "{out}");
    }
}

#[cfg(test)]
mod theme {
    /// The shipped theme is minified when loaded, template by template: a tag written
    /// where minify-html could move it would make every page of every site slower.
    #[test]
    fn every_template_of_the_default_theme_is_minified_when_loaded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let mut count = 0;
        for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
            if entry.file_type().is_file() {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                assert!(
                    super::template(&text).is_some(),
                    "{} is not minifiable",
                    entry.path().display()
                );
                count += 1;
            }
        }
        assert!(count >= 20, "{count} templates");
    }
}
