//! The whole contact with `minify-html`: spec-compliant settings only, so that the
//! minified pages still pass the HTML validator.

use std::sync::LazyLock;

static CFG: LazyLock<minify_html::Cfg> = LazyLock::new(|| {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_css = true;
    cfg.minify_js = false;
    cfg.minify_doctype = false;
    cfg
});

pub fn html(page: &str) -> Vec<u8> {
    minify_html::minify(page.as_bytes(), &CFG)
}
