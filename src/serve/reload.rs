//! Reloading open tabs: each served page carries a small script that long-polls
//! `/__fiches/events?since=N`; the answer comes when build N+1 is done (or after a while,
//! so that the connection never idles out), and the page reloads when the generation
//! changed. Long-polling needs no streaming response, so it works through any proxy.

use std::time::{Duration, Instant};

use super::State;

/// The reserved path that pages poll.
pub const EVENTS: &str = "/__fiches/events";

/// How long a poll waits before answering "nothing new".
const POLL: Duration = Duration::from_secs(25);

/// Waits until the generation differs from `since`, or `POLL` passes; returns the
/// current generation as a small JSON body.
pub fn wait(state: &State, since: u64) -> String {
    let deadline = Instant::now() + POLL;
    let mut snap = state.snapshot.lock().unwrap_or_else(|e| e.into_inner());
    while snap.generation == since {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        snap = match state.changed.wait_timeout(snap, left) {
            Ok((s, _)) => s,
            Err(e) => e.into_inner().0,
        };
    }
    format!(
        "{{\"generation\":{},\"error\":{}}}",
        snap.generation,
        snap.error.is_some()
    )
}

/// The script added before `</body>` of every served page.
pub fn script(generation: u64) -> String {
    format!(
        "<script>(function(){{var g={generation};function poll(){{fetch('{EVENTS}?since='+g,{{cache:'no-store'}}).then(function(r){{return r.json()}}).then(function(d){{if(d.generation!==g){{location.reload()}}else{{poll()}}}}).catch(function(){{setTimeout(poll,1000)}})}}poll()}})();</script>"
    )
}

/// Adds the reload script to an HTML page.
pub fn inject(html: &[u8], generation: u64) -> Vec<u8> {
    let script = script(generation);
    let text = String::from_utf8_lossy(html);
    let out = match text.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &text[..i], &text[i..]),
        None => format!("{text}{script}"),
    };
    out.into_bytes()
}

/// Scrolls each quoted block of the error page, where it is wider than the screen, so
/// that its carets are in view with some words before them.
const SCROLL: &str = "document.querySelectorAll('.q').forEach(function(q){var c=q.querySelector('.c');if(!c)return;var x=c.getBoundingClientRect().right-q.getBoundingClientRect().left;if(x>q.clientWidth){q.scrollLeft=x-q.clientWidth+q.clientWidth/3}})";

/// The page shown instead of every page while the content has an error: the same text
/// as the terminal. Messages wrap; the quoted lines and their carets do not, so that on
/// a narrow screen the carets stay under the words they point at (their block scrolls).
pub fn error_page(error: &str, generation: u64) -> Vec<u8> {
    let mut escaped = String::new();
    let mut quoting = false;
    for line in error.lines() {
        // `15 | …`, `   | ^^^`: a line of the quoted source, and what follows its gutter.
        let quoted = line.split_once('|').filter(|(gutter, _)| {
            !gutter.is_empty()
                && gutter.ends_with(' ')
                && gutter.trim().chars().all(|c| c.is_ascii_digit())
        });
        match (quoting, quoted.is_some()) {
            (false, true) => escaped.push_str("<span class=q>"),
            (true, false) => escaped.push_str("</span>"),
            _ => {}
        }
        quoting = quoted.is_some();
        // The carets, which a narrow screen scrolls to (`SCROLL`).
        let carets = quoted.map(|(_, after)| after).filter(|after| {
            after.trim_start().starts_with('^') && after.trim().chars().all(|c| c == '^')
        });
        match carets {
            Some(after) => {
                let (pad, run) = after.split_at(after.len() - after.trim_start().len());
                let gutter = &line[..line.len() - after.len()];
                escaped.push_str(&format!(
                    "{gutter}{pad}<span class=c>{}</span>",
                    run.trim_end()
                ));
            }
            None if quoted.is_some() => escaped.push_str(&crate::text::escape_html(line)),
            None => escaped.push_str(&french_spaces(&crate::text::escape_html(line))),
        }
        escaped.push('\n');
    }
    if quoting {
        escaped.push_str("</span>");
    }
    format!(
        "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Erreur dans le contenu — fiches</title><style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1a1a1a}}h1{{color:#a4000f;font-size:1.4rem}}pre{{background:#fff4f4;border-left:4px solid #a4000f;padding:1rem;overflow:auto;font:14px/1.45 ui-monospace,monospace;white-space:pre-wrap}}.q{{display:block;white-space:pre;overflow-x:auto}}</style></head><body><h1>Le site n’a pas pu être reconstruit</h1><p>Corrigez le fichier indiqué et enregistrez&nbsp;: la page se rechargera d’elle-même.</p><pre>{escaped}</pre><script>{SCROLL}</script>{}</body></html>",
        script(generation)
    )
    .into_bytes()
}

/// A message or a hint, its French spaces made unbreakable: on a phone, no line of it
/// starts with `:`, `;`, `?`, `!` or `»`, nor ends with `«`. The source quoted is left
/// as it is written.
fn french_spaces(line: &str) -> String {
    (line.replace("« ", "«\u{a0}"))
        .replace(" »", "\u{a0}»")
        .replace(" :", "\u{a0}:")
        .replace(" ;", "\u{a0};")
        .replace(" ?", "\u{a0}?")
        .replace(" !", "\u{a0}!")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quoted_lines_of_an_error_are_kept_together_unwrapped() {
        let error = "erreur : champ inconnu `defi` | ici\n  --> content/villes/levis.yaml:22:1\n   |\n22 | defi: <a> « x » ?\n   | ^^^^\n   = aide : vouliez-vous dire `defis` ? Ou « défi » !\n\n1 erreur et 0 avertissement dans 1 fichier\n";
        let page = String::from_utf8(error_page(error, 7)).unwrap();
        let body = &page[page.find("<pre>").unwrap() + 5..page.find("</pre>").unwrap()];
        assert_eq!(
            body,
            "erreur\u{a0}: champ inconnu `defi` | ici\n  --&gt; content/villes/levis.yaml:22:1\n<span class=q>   |\n22 | defi: &lt;a&gt; « x » ?\n   | <span class=c>^^^^</span>\n</span>   = aide\u{a0}: vouliez-vous dire `defis`\u{a0}? Ou «\u{a0}défi\u{a0}»\u{a0}!\n\n1 erreur et 0 avertissement dans 1 fichier\n"
        );
        assert!(page.contains(".q{display:block;white-space:pre;overflow-x:auto}"));
    }
}
